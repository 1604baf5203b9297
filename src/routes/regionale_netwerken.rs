//! `/v1/regionaleNetwerken`: the 18 regional organisation networks (15 reference regions plus
//! Antwerpen, Gent and Brussel).

use actix_web::{HttpRequest, HttpResponse, get, web};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::MaybeCaller;
use crate::error::{ApiError, ApiResult};
use crate::http::collection::{Collection, PageParams};
use crate::http::extract::ListQuery;
use crate::http::links::Links;
use crate::repo::gemeenten as repo;
use crate::routes::common::GemeenteRef;
use crate::state::AppState;

/// Kind of network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum NetwerkSoort {
    /// One of the 15 Flemish reference regions.
    Referentieregio,
    /// Antwerpen, Gent or the Brussels-Capital Region.
    Grootstad,
}

impl NetwerkSoort {
    fn from_db(s: &str) -> NetwerkSoort {
        if s == "grootstad" { NetwerkSoort::Grootstad } else { NetwerkSoort::Referentieregio }
    }
}

/// The organisation that leads the network (promotor), as far as public sources tell.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Trekker {
    #[schema(example = "Welzijnszorg Kempen")]
    pub naam: String,
    /// How certain the source is: `bevestigd` or `onzeker`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "bevestigd")]
    pub zekerheid: Option<String>,
    /// Where this comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub bron: Option<String>,
}

/// A regional network in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionaalNetwerkSummary {
    pub href: String,
    #[schema(example = "REFREG03")]
    pub code: String,
    #[schema(example = "Kempen")]
    pub naam: String,
    pub soort: NetwerkSoort,
    #[schema(example = 27)]
    pub aantal_gemeenten: i64,
}

/// A regional organisation network.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionaalNetwerk {
    #[serde(rename = "self")]
    pub self_link: String,
    #[schema(example = "REFREG03")]
    pub code: String,
    #[schema(example = "Kempen")]
    pub naam: String,
    pub soort: NetwerkSoort,
    /// NIS code of the city or region, for the three big cities.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub nis_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trekker: Option<Trekker>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opmerking: Option<String>,
    pub aantal_gemeenten: i64,
    /// The member municipalities.
    pub gemeenten: Vec<GemeenteRef>,
}

fn netwerk_href(links: &Links, code: &str) -> String {
    links.href(&format!("/v1/regionaleNetwerken/{code}"))
}

/// No filters yet: the list is short. Declared so unknown parameters are refused.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetwerkenQuery {}

/// List regional networks
#[utoipa::path(
    tag = "Referentiedata",
    operation_id = "listRegionaleNetwerken",
    params(PageParams),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The networks", body = Collection<RegionaalNetwerkSummary>))
)]
#[get("/regionaleNetwerken")]
pub async fn list_netwerken(
    req: HttpRequest,
    state: web::Data<AppState>,
    links: Links,
    _caller: MaybeCaller,
    query: ListQuery<NetwerkenQuery>,
) -> ApiResult<HttpResponse> {
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = state.db.run(move |c| Ok(repo::netwerken(c, offset, limit)?)).await?;
    let items = rows
        .into_iter()
        .map(|(n, count)| RegionaalNetwerkSummary {
            href: netwerk_href(&links, &n.code),
            soort: NetwerkSoort::from_db(&n.soort),
            code: n.code,
            naam: n.naam,
            aantal_gemeenten: count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Get a regional network
///
/// With its member municipalities as links.
#[utoipa::path(
    tag = "Referentiedata",
    operation_id = "getRegionaalNetwerk",
    params(("code" = String, Path, description = "Network code", example = "REFREG03")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The network", body = RegionaalNetwerk))
)]
#[get("/regionaleNetwerken/{code}")]
pub async fn get_netwerk(
    state: web::Data<AppState>,
    links: Links,
    _caller: MaybeCaller,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let code = path.into_inner();
    let lookup = code.clone();
    let found = state
        .db
        .run(move |c| match repo::netwerk(c, &lookup)? {
            Some(n) => Ok(Some((n, repo::netwerk_gemeenten(c, &lookup)?))),
            None => Ok(None),
        })
        .await?;
    let (n, gemeenten) = found.ok_or_else(|| ApiError::not_found(format!("No regional network with code {code}")))?;
    let trekker = n.trekker.map(|naam| Trekker { naam, zekerheid: n.trekker_zekerheid, bron: n.trekker_bron });
    Ok(HttpResponse::Ok().json(RegionaalNetwerk {
        self_link: netwerk_href(&links, &n.code),
        soort: NetwerkSoort::from_db(&n.soort),
        nis_code: n.nis_code,
        trekker,
        opmerking: n.opmerking,
        aantal_gemeenten: gemeenten.len() as i64,
        gemeenten: gemeenten.into_iter().map(|(nis_code, naam)| GemeenteRef::new(&links, &nis_code, &naam)).collect(),
        code: n.code,
        naam: n.naam,
    }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_netwerken).service(get_netwerk);
}
