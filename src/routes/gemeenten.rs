//! `/v1/gemeenten`: the 304 municipalities of Flanders and Brussels (public reference data).

use actix_web::{HttpRequest, HttpResponse, get, http::header, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::nis::NisCode;
use crate::error::{ApiError, ApiResult, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::PublicCtx;
use crate::http::extract::ListQuery;
use crate::http::links::Links;
use crate::repo::gemeenten::{self as repo, GemeenteFilter, GemeenteRow};
use crate::routes::regionale_netwerken::netwerk_href;
use crate::wire::gemeenten::{
    Coordinaten, Gemeente, GemeenteSummary, GemeentenQuery, Gewest, NetwerkRef, Referentieregio, VoormaligeGemeente,
};

impl Gewest {
    fn as_str(self) -> &'static str {
        match self {
            Gewest::Vlaanderen => "vlaanderen",
            Gewest::Brussel => "brussel",
        }
    }

    fn from_db(s: &str) -> Gewest {
        if s == "brussel" { Gewest::Brussel } else { Gewest::Vlaanderen }
    }
}

pub fn gemeente_href(links: &Links, nis: &str) -> String {
    links.href(&format!("/v1/gemeenten/{nis}"))
}

pub fn netwerk_ref(links: &Links, code: &str, naam: &str) -> NetwerkRef {
    NetwerkRef { href: netwerk_href(links, code), code: code.into(), naam: naam.into() }
}

fn summary(links: &Links, g: GemeenteRow, netwerk_naam: &str) -> GemeenteSummary {
    GemeenteSummary {
        href: gemeente_href(links, &g.nis_code),
        regionaal_netwerk: netwerk_ref(links, &g.regionaal_netwerk_code, netwerk_naam),
        nis_code: g.nis_code,
        naam: g.naam,
        gewest: Gewest::from_db(&g.gewest),
        provincie: g.provincie,
    }
}

/// List municipalities
///
/// Public: no token needed. All 304 municipalities (285 Flemish, 19 in Brussels) after the 2025
/// mergers, by name; filter by network, province, region or part of the name or a postcode.
#[utoipa::path(
    tag = "Referentiedata",
    operation_id = "listGemeenten",
    params(GemeentenQuery, PageParams),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "A page of municipalities", body = Collection<GemeenteSummary>))
)]
#[get("/gemeenten")]
pub async fn list_gemeenten(
    req: HttpRequest,
    ctx: PublicCtx,
    query: ListQuery<GemeentenQuery>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let ListQuery { filter, page } = query;
    let f = GemeenteFilter {
        netwerken: filter.regionaal_netwerk,
        provincies: filter.provincie,
        gewest: filter.gewest.map(|g| g.as_str().to_string()),
        q: filter.q,
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total, names) = state
        .db
        .run(move |c| {
            let (rows, total) = repo::list(c, &f, offset, limit)?;
            Ok((rows, total, repo::netwerk_names(c)?))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|g| {
            let naam = names.get(&g.regionaal_netwerk_code).cloned().unwrap_or_default();
            summary(&links, g, &naam)
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Get a municipality
///
/// A NIS code of a municipality that merged on 2025-01-01 answers `301 Moved Permanently`
/// with the `Location` of the merged municipality.
#[utoipa::path(
    tag = "Referentiedata",
    operation_id = "getGemeente",
    params(("nisCode" = String, Path, description = "NIS code (five digits)", example = "13008")),
    security((), ("bearerAuth" = [])),
    responses(
        (status = 200, description = "The municipality", body = Gemeente),
        (status = 301, description = "Merged into another municipality; see `Location`",
            headers(("Location" = String, description = "The merged municipality"))),
    )
)]
#[get("/gemeenten/{nisCode}")]
pub async fn get_gemeente(ctx: PublicCtx, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let nis = NisCode::parse(&path).map_err(|e| ApiError::invalid(InputLocation::Path, "nisCode", e))?;
    let code = nis.as_str().to_string();
    let found = state
        .db
        .run(move |c| {
            let Some(g) = repo::find(c, &code)? else {
                return Ok(Err(repo::merged_into(c, &code)?));
            };
            let netwerk = repo::netwerk(c, &g.regionaal_netwerk_code)?;
            let fusie = repo::merged_from(c, &code)?;
            Ok(Ok((g, netwerk, fusie)))
        })
        .await?;
    match found {
        Ok((g, netwerk, fusie)) => {
            let naam = netwerk.map(|n| n.naam).unwrap_or_default();
            let referentieregio = match (g.referentieregio_code.clone(), g.referentieregio.clone()) {
                (Some(code), Some(naam)) => Some(Referentieregio { code, naam }),
                _ => None,
            };
            Ok(HttpResponse::Ok().json(Gemeente {
                self_link: gemeente_href(&links, &g.nis_code),
                regionaal_netwerk: netwerk_ref(&links, &g.regionaal_netwerk_code, &naam),
                referentieregio,
                postcodes: g.postcodes.split(';').filter(|p| !p.is_empty()).map(str::to_string).collect(),
                ligging: Coordinaten { lat: g.lat, lon: g.lon },
                fusie_van: fusie.into_iter().map(|(nis_code, naam)| VoormaligeGemeente { nis_code, naam }).collect(),
                nis_code: g.nis_code,
                naam: g.naam,
                gewest: Gewest::from_db(&g.gewest),
                provincie: g.provincie,
            }))
        }
        Err(Some(new_nis)) => Ok(HttpResponse::MovedPermanently()
            .insert_header((header::LOCATION, gemeente_href(&links, &new_nis)))
            .finish()),
        Err(None) => Err(ApiError::not_found(format!("No municipality with NIS code {nis}"))),
    }
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_gemeenten).service(get_gemeente);
}
