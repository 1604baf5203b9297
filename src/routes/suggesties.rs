//! `GET /v1/inburgeringscontracten/{id}/suggesties`: offers that fit a newcomer, ranked by the
//! score documented in `domain::matching` (distance, support language, free places, types not
//! done yet). Visible to whoever sees the contract; each request is logged as a read of it.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::found;
use crate::app::doorverwijzingen::vrije_plaatsen;
use crate::domain::aanbod::{AanbodStatus, Aanbodtype};
use crate::domain::geo::{Omtrek, Punt};
use crate::domain::matching::{self, Kandidaat, Profiel, Reden};
use crate::domain::toegang::Zicht;
use crate::domain::toegang::aanbod::Zichtbaarheid;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::ListQuery;
use crate::http::path::ContractId;
use crate::repo::aanbod::{self as aanbod_repo, AanbodRow, Zoekopdracht};
use crate::repo::audit::Action;
use crate::repo::{doorverwijzingen as dv_repo, inburgeraars};
use crate::routes::contracten::{load, log_read};
use crate::wire::common::GemeenteRef;

/// At most this many offers within the radius are scored (nearest first would need the
/// score; a radius of 250 km around any Flemish town holds far fewer qualifying offers).
const MAX_KANDIDATEN: i64 = 5000;

/// An offer suggested for a newcomer.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestie {
    /// The offer.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42")]
    pub href: String,
    /// Id of the offer.
    #[schema(example = 42)]
    pub id: i64,
    /// The offer's Dutch title.
    #[schema(example = "Buddyproject Samen Geel")]
    pub titel: String,
    /// Kind of activity.
    pub aanbodtype: Aanbodtype,
    /// The municipality where the activity takes place.
    pub gemeente: GemeenteRef,
    /// 0–100: the sum of the reasons' points.
    #[schema(example = 92.0)]
    pub score: f64,
    /// Distance from the centre of the newcomer's municipality, in km.
    #[schema(example = 5.0)]
    pub afstand_km: f64,
    /// Free places now; absent when the offer has no capacity limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 1)]
    pub vrije_plaatsen: Option<i32>,
    /// Places for newcomers; absent means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 8)]
    pub capaciteit: Option<i32>,
    /// Languages (ISO 639-1) in which the newcomer can get support.
    #[schema(example = json!(["en", "ar"]))]
    pub ondersteuningstalen: Vec<String>,
    /// The points per criterium; they add up to `score`.
    pub redenen: Vec<Reden>,
}

/// Narrowing the suggestions.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SuggestiesQuery {
    /// Only these kinds of activity (repeatable).
    #[serde(default)]
    pub aanbodtype: Vec<Aanbodtype>,
    /// Search radius around the newcomer's municipality in km (default 25, at most 250). The
    /// distance points fall linearly from 40 at home to 0 at the radius.
    #[param(example = 25)]
    pub max_afstand_km: Option<f64>,
}

fn kandidaat(r: &AanbodRow, vrij: Option<i32>) -> Kandidaat {
    Kandidaat {
        id: r.id,
        aanbodtype: r.aanbodtype,
        locatie: Punt { lat: r.lat, lon: r.lon },
        ondersteuningstalen: r.ondersteuningstalen.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        vrije_plaatsen: vrij,
    }
}

/// Suggest offers for a contract
///
/// Published offers that qualify for the PNT (Dutch-speaking context, social participation,
/// in a pair or group: R11, R13b), running today or later, within the radius of the
/// newcomer's municipality, and without a referral of this contract in progress. Ranked by a
/// score of 0–100:
///
/// - `afstand` 0–40: 40 × (1 − distance / radius), from the centre of the newcomer's
///   municipality;
/// - `taal` 20 when the offer supports the newcomer's contact language (or it is Dutch);
/// - `vrijePlaatsen` 20 with a free place or no capacity limit, 0 when a referral would wait;
/// - `nieuwType` 20 for a kind of activity the newcomer has not started yet.
///
/// Ties go to the nearer offer, then the lower id. Each suggestion lists its reasons.
/// Visible to whoever sees the contract: admin, the trajectbegeleider whose caseload it is in,
/// the newcomer for their own (a contract out of sight is `404`, other roles get `403`); each
/// request is logged as a read of the contract. `maxAfstandKm` outside 0–250 is
/// `400`.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "suggestAanbod",
    params(ContractId, SuggestiesQuery, PageParams),
    responses((status = 200, description = "A page of suggestions, best first", body = Collection<Suggestie>))
)]
#[get("/inburgeringscontracten/{id}/suggesties")]
pub async fn suggesties(
    req: HttpRequest,
    ctx: Ctx,
    id: ContractId,
    query: ListQuery<SuggestiesQuery>,
) -> ApiResult<HttpResponse> {
    let (actor, vandaag) = (ctx.actor(), ctx.today());
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = Zicht::lezer(&caller)?;
    let id = id.0;
    let ListQuery { filter, page } = query;
    let straal = filter.max_afstand_km.unwrap_or(matching::STANDAARD_STRAAL_KM);
    if !(straal > 0.0 && straal <= 250.0) {
        return Err(ApiError::bad_request(vec![
            InputIssue::invalid(InputLocation::Query, "maxAfstandKm", "maxAfstandKm must be > 0 and ≤ 250")
                .with_value(straal),
        ]));
    }
    let refdata = state.refdata.clone();
    let (profiel, rows, vrij) = state
        .db
        .write(move |c| {
            let (contract, persoon) = load(c, &zicht, id)?;
            // Whoever sees a contract sees its newcomer (`domain::toegang::personen`).
            let inburgeraar = found(persoon.id, inburgeraars::find_visible(c, &zicht, persoon.id)?)?;
            let woonplaats =
                refdata
                    .gemeente(inburgeraar.gemeente.as_str())
                    .map(|g| Punt { lat: g.lat, lon: g.lon })
                    .ok_or_else(|| ApiError::internal("newcomer's municipality is not in the reference data"))?;
            let z = Zoekopdracht {
                statussen: vec![AanbodStatus::Gepubliceerd],
                kwalificeert: Some(true),
                types: filter.aanbodtype.clone(),
                omtrek: Some(Omtrek::new(woonplaats, straal)),
                ..Default::default()
            };
            let (rows, _) = aanbod_repo::search(c, &z, &Zichtbaarheid::Publiek, 0, MAX_KANDIDATEN)?;
            let lopend = dv_repo::open_aanbod_van_contract(c, contract.id)?;
            let rows: Vec<AanbodRow> = rows
                .into_iter()
                .filter(|r| !lopend.contains(&r.id) && r.periode_tot.is_none_or(|t| t >= vandaag))
                .collect();
            let vrij = vrije_plaatsen(c, &rows.iter().map(|r| (r.id, r.capaciteit)).collect::<Vec<_>>())?;
            let gedaan = dv_repo::gedane_types(c, persoon.id)?;
            log_read(c, &actor, Action::Read, &contract, Some("suggesties"))?;
            let profiel =
                Profiel { woonplaats, contacttaal: inburgeraar.contacttaal, gedane_types: gedaan, straal_km: straal };
            Ok((profiel, rows, vrij))
        })
        .await?;
    let kandidaten: Vec<Kandidaat> = rows.iter().map(|r| kandidaat(r, vrij.get(&r.id).copied().flatten())).collect();
    let gerangschikt = matching::rangschik(&profiel, &kandidaten);
    let total = gerangschikt.len() as i64;
    let per_id: HashMap<i64, &AanbodRow> = rows.iter().map(|r| (r.id, r)).collect();
    let items = gerangschikt
        .into_iter()
        .skip(page.offset() as usize)
        .take(page.limit() as usize)
        .filter_map(|s| {
            let r = per_id.get(&s.id)?;
            Some(Suggestie {
                href: links.href(&format!("/v1/aanbod/{}", r.id)),
                id: r.id,
                titel: r.titel_nl.clone(),
                aanbodtype: r.aanbodtype,
                gemeente: GemeenteRef::cached(&links, &state.refdata, r.gemeente.as_str()),
                score: s.score,
                afstand_km: s.afstand_km,
                vrije_plaatsen: s.vrije_plaatsen,
                capaciteit: r.capaciteit,
                ondersteuningstalen: kandidaat(r, None).ondersteuningstalen,
                redenen: s.redenen,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(suggesties);
}
