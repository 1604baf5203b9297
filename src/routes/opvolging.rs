//! `/v1/inburgeringscontracten/{id}/opvolging`: the trajectbegeleider's follow-up log of a
//! contract (issue 13): intake, follow-up conversations, contact with contact persons,
//! reminders, with the effort judged. Append-only; a correction is a new entry. A sanction
//! (R5) links to the entries that judged the effort `onvoldoende` or `geen`.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, web};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::contract::Refusal;
use crate::domain::opvolging as regels;
use crate::domain::toegang::Zicht;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::ContractId;
use crate::repo::audit::{self, Action};
use crate::repo::opvolging::{self as repo, NieuweOpvolging, OpvolgingRow};
use crate::routes::contracten::{self as contracten, contract_href, load, read};
use crate::routes::toegang::weigering;
use crate::wire::opvolging::{
    Contractopvolging, ContractopvolgingGegevens, ContractopvolgingIn, ContractopvolgingItem, ContractopvolgingQuery,
};

pub fn opvolging_href(links: &Links, contract_id: i64, id: i64) -> String {
    links.href(&format!("/v1/inburgeringscontracten/{contract_id}/opvolging/{id}"))
}

/// An entry as the API shows it; `alle` is the contract's whole log (to find its correction).
pub(crate) fn gegevens(links: &Links, r: &OpvolgingRow, alle: &[OpvolgingRow]) -> ContractopvolgingGegevens {
    let o = &r.opvolging;
    let cid = o.contract_id;
    ContractopvolgingGegevens {
        id: r.id,
        contract: contract_href(links, cid),
        soort: o.soort,
        datum: o.datum,
        kanaal: o.kanaal,
        notitie: o.notitie.clone(),
        inspanning: o.inspanning,
        corrigeert: o.corrigeert.map(|c| opvolging_href(links, cid, c)),
        gecorrigeerd_door: alle
            .iter()
            .find(|l| l.opvolging.corrigeert == Some(r.id))
            .map(|l| opvolging_href(links, cid, l.id)),
        door: o.door.clone(),
        door_rollen: o.door_rollen.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        op: o.op.and_utc(),
    }
}

/// Record a follow-up entry
///
/// For an admin or the contract's trajectbegeleider (other roles, the newcomer included, get
/// `403`; anyone else's contract is `404`). Appends one entry to the contract's log; entries are
/// never changed or deleted — a correction is a new entry with `corrigeert`, and the corrected
/// entry no longer counts (for a sanction, R5). A date outside signing..today, a blank note, or a
/// `corrigeert` that names no entry of this contract (or one already corrected) is a
/// `badRequest` naming the field; a closed contract is `409 invalidContractChange`. Logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "createOpvolging",
    params(ContractId),
    request_body(content = ContractopvolgingIn, description = "The entry", example = json!({
        "soort": "opvolgingsgesprek",
        "datum": "2026-10-14",
        "kanaal": "fysiek",
        "notitie": "Geen activiteiten opgestart ondanks afspraak; opnieuw aanbod op maat besproken.",
        "inspanning": "onvoldoende"
    })),
    responses(
        (status = 201, description = "Recorded", body = Contractopvolging,
            headers(("Location" = String, description = "The new entry"))),
        (status = 409, description = "The contract is closed (`invalidContractChange`)", body = Problem),
    )
)]
#[post("/inburgeringscontracten/{id}/opvolging")]
pub async fn create_opvolging(
    ctx: Ctx,
    id: ContractId,
    body: JsonBody<ContractopvolgingIn>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let (id, body, actor, vandaag) = (id.0, body.0, ctx.actor(), ctx.today());
    let (row, alle) = ctx
        .state
        .db
        .write(move |c| {
            let (contract, _) = load(c, &zicht, id)?;
            zicht.beheren(&contract.trajectbegeleider, "contract's trajectbegeleider records its follow-up")?;
            let bestaande = repo::alle(c, id)?;
            let regels_bestaand: Vec<_> = bestaande.iter().map(OpvolgingRow::regel).collect();
            let fouten = regels::check_nieuw(
                body.datum,
                &body.notitie,
                body.corrigeert,
                contract.ondertekend_op,
                vandaag,
                &regels_bestaand,
            );
            if !fouten.is_empty() {
                return Err(ApiError::regelfouten(fouten));
            }
            if !contract.status.is_lopend() {
                return Err(weigering(Refusal::InvalidChange(format!(
                    "the contract is {}; a closed contract takes no more follow-up",
                    contract.status
                ))));
            }
            let nieuw = repo::insert(
                c,
                NieuweOpvolging {
                    contract_id: id,
                    soort: body.soort,
                    datum: body.datum,
                    kanaal: body.kanaal,
                    notitie: body.notitie.trim().to_string(),
                    inspanning: body.inspanning,
                    corrigeert: body.corrigeert,
                    door: actor.sub.clone(),
                    door_rollen: actor.roles.clone(),
                    op: actor.at,
                },
            )?;
            audit::record(
                c,
                &actor,
                Action::Create,
                contracten::RESOURCE,
                &id.to_string(),
                Some(
                    json!({ "inburgeraar": contract.inburgeraar_id, "onderdeel": "opvolging", "opvolging": nieuw.id }),
                ),
            )?;
            let mut alle = bestaande;
            alle.push(nieuw.clone());
            Ok((nieuw, alle))
        })
        .await?;
    let location = opvolging_href(&ctx.links, id, row.id);
    Ok(HttpResponse::Created()
        .insert_header((header::LOCATION, location.clone()))
        .json(Contractopvolging { self_link: location, gegevens: gegevens(&ctx.links, &row, &alle) }))
}

/// List a contract's follow-up
///
/// The log, oldest first, corrections included (each names the entry it corrects, which shows
/// `gecorrigeerdDoor`). Visible to admins, the contract's trajectbegeleider and the newcomer
/// (read-only); anyone else's contract is `404`, roles that see no contracts get `403`. The
/// read is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "listOpvolging",
    params(ContractId, PageParams),
    responses((status = 200, description = "A page of entries", body = Collection<ContractopvolgingItem>))
)]
#[get("/inburgeringscontracten/{id}/opvolging")]
pub async fn list_opvolging(
    req: HttpRequest,
    ctx: Ctx,
    id: ContractId,
    query: ListQuery<ContractopvolgingQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let (id, page, actor) = (id.0, query.page, ctx.actor());
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, alle, total) = ctx
        .state
        .db
        .write(move |c| {
            read(c, &zicht, &actor, id, Some("opvolging"))?;
            let (rows, total) = repo::pagina(c, id, offset, limit)?;
            Ok((rows, repo::alle(c, id)?, total))
        })
        .await?;
    let links = &ctx.links;
    let items = rows
        .iter()
        .map(|r| ContractopvolgingItem { href: opvolging_href(links, id, r.id), gegevens: gegevens(links, r, &alle) })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, links, &page, items, total)))
}

/// Get a follow-up entry
///
/// One entry of the log, as listed. Visible to whoever sees the contract (admins, its
/// trajectbegeleider, the newcomer; else `404`, or `403` for roles that see no contracts);
/// `404` too when the contract has no such entry. The read is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "getOpvolging",
    params(
        ("id" = i64, Path, description = "Contract id", example = 5),
        ("opvolgingId" = i64, Path, description = "Follow-up entry id", example = 4),
    ),
    responses((status = 200, description = "The entry", body = Contractopvolging))
)]
#[get("/inburgeringscontracten/{id}/opvolging/{opvolgingId}")]
pub async fn get_opvolging(ctx: Ctx, path: web::Path<(i64, i64)>) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let ((id, oid), actor) = (path.into_inner(), ctx.actor());
    let (row, alle) = ctx
        .state
        .db
        .write(move |c| {
            read(c, &zicht, &actor, id, Some("opvolging"))?;
            let row = repo::een(c, id, oid)?
                .ok_or_else(|| ApiError::not_found(format!("No follow-up entry {oid} on inburgeringscontract {id}")))?;
            Ok((row, repo::alle(c, id)?))
        })
        .await?;
    let gegevens = gegevens(&ctx.links, &row, &alle);
    Ok(HttpResponse::Ok().json(Contractopvolging { self_link: opvolging_href(&ctx.links, id, oid), gegevens }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_opvolging).service(create_opvolging).service(get_opvolging);
}
