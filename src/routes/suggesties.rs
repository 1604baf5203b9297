//! `GET /v1/inburgeringscontracten/{id}/suggesties`: offers that fit a newcomer, ranked by the
//! score documented in `domain::matching` (distance, support language, free places, types not
//! done yet). Visible to whoever sees the contract; each request is logged as a read of it.

use std::collections::HashMap;

use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::found;
use crate::app::doorverwijzingen::vrije_plaatsen;
use crate::domain::aanbod::AanbodStatus;
use crate::domain::geo::{Omtrek, Punt};
use crate::domain::matching::{self, Kandidaat, Profiel};
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
use crate::wire::suggesties::{Suggestie, SuggestiesQuery};

/// At most this many offers within the radius are scored (nearest first would need the
/// score; a radius of 250 km around any Flemish town holds far fewer qualifying offers).
const MAX_KANDIDATEN: i64 = 5000;

fn kandidaat(r: &AanbodRow, vrij: Option<i32>) -> Kandidaat {
    Kandidaat {
        id: r.id,
        aanbodtype: r.aanbodtype,
        locatie: Punt { lat: r.lat, lon: r.lon },
        ondersteuningstalen: r.ondersteuningstalen.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect(),
        vrije_plaatsen: vrij,
        in_groep: r.in_groep,
        buiten_eigen_kring: r.buiten_eigen_kring,
        duurzaam_contact: r.duurzaam_contact,
    }
}

/// Suggest offers for a contract
///
/// Published offers that qualify for the PNT (the two conditions: Dutch-speaking context and
/// social participation, R11), running today or later, within the radius of the newcomer's
/// municipality, and without a referral of this contract in progress. Ranked by a score of
/// 0–100:
///
/// - `afstand` 0–30: 30 × (1 − distance / radius), from the centre of the newcomer's
///   municipality;
/// - `taal` 15 when the offer supports the newcomer's contact language (or it is Dutch);
/// - `vrijePlaatsen` 15 with a free place or no capacity limit, 0 when a referral would wait;
/// - `nieuwType` 15 for a kind of activity the newcomer has not started yet;
/// - guidance (R13b), counted, never excluding: `inGroep` 15, `buitenEigenKring` 5,
///   `duurzaamContact` 5.
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
                momenten: r.momenten(),
                redenen: s.redenen,
            })
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(suggesties);
}
