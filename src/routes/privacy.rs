//! A newcomer's own data (issue 17, R27, R28): who consulted it
//! (`GET /v1/inburgeraars/{id}/raadplegingen`), everything the API holds about them
//! (`GET /v1/inburgeraars/{id}/export`), and an erasure on request
//! (`POST /v1/inburgeraars/{id}/uitwissing`).

use actix_web::{HttpRequest, HttpResponse, get, post};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::retentie;
use crate::auth::Role;
use crate::db::DbConn;
use crate::domain::raadpleging::instantie;
use crate::domain::toegang::Zicht;
use crate::domain::toegang::deelnamebewijzen::BewijsZicht;
use crate::domain::toegang::doorverwijzingen::Zicht as VerwijzingZicht;
use crate::error::{ApiError, ApiResult, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::InburgeraarId;
use crate::repo::audit::{self, Action};
use crate::repo::auditlog::{self, RaadplegingRow};
use crate::repo::contracten::{self as contract_repo, ContractFilter, SqlSort};
use crate::repo::deelnamebewijzen::{self as bewijs_repo, BewijsFilter};
use crate::repo::doorverwijzingen::{self as verwijzing_repo, Filter as VerwijzingFilter};
use crate::repo::inburgeraars::{self as repo, InburgeraarRow, RESOURCE};
use crate::repo::{opvolging as opvolging_repo, voortgang as uren_repo};
use crate::routes::auditlog::resource_href;
use crate::routes::{contracten, deelnamebewijzen, doorverwijzingen, inburgeraars, opvolging, wijzigingen};
use crate::wire::privacy::{
    ContractExport, InburgeraarExport, RaadplegendeOrganisatie, Raadpleging, RaadplegingenQuery, UitwissingIn,
};

/// The newcomer if the caller sees their record (as `GET /v1/inburgeraars/{id}`), else `404`.
fn zichtbaar(c: &mut DbConn, zicht: &Zicht, id: i64) -> ApiResult<InburgeraarRow> {
    repo::find_visible(c, zicht, id)?.ok_or_else(|| ApiError::not_found(format!("No inburgeraar with id {id}")))
}

/// The entries as the caller sees them: the body that acted, never a staff member's `sub`
/// unless the caller is an admin (R28).
fn raadplegingen(
    c: &mut DbConn,
    links: &Links,
    rows: Vec<RaadplegingRow>,
    met_actor: bool,
) -> ApiResult<Vec<Raadpleging>> {
    let mut ids: Vec<i64> = rows.iter().filter_map(|r| r.actor_organisatie).collect();
    ids.sort_unstable();
    ids.dedup();
    let namen = auditlog::organisatienamen(c, ids)?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let details: Option<serde_json::Value> = r.details.as_deref().and_then(|d| serde_json::from_str(d).ok());
            let veld = |k: &str| details.as_ref().and_then(|d| d.get(k)).and_then(|v| v.as_str()).map(str::to_string);
            let lijst = veld("gemeentelijst");
            let gemeenten = match (&lijst, &r.actor_gemeenten) {
                (Some(nis), _) => vec![nis.clone()],
                (None, Some(g)) => g.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                (None, None) => Vec::new(),
            };
            Raadpleging {
                id: r.id,
                tijdstip: r.at.and_utc(),
                instantie: instantie(&r.actor, &r.actor_roles),
                rollen: r.actor_roles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
                gemeenten,
                organisatie: r
                    .actor_organisatie
                    .map(|id| RaadplegendeOrganisatie { id, naam: namen.get(&id).cloned() }),
                grondslag: lijst.map(|_| "decreet art. 20 §7".to_string()),
                onderdeel: veld("onderdeel"),
                resource_href: resource_href(links, &r.resource_type, &r.resource_id),
                resource_type: r.resource_type,
                resource_id: r.resource_id,
                actie: r.action,
                actor: met_actor.then_some(r.actor),
            }
        })
        .collect())
}

/// Who consulted a newcomer's file
///
/// Every read and change of the newcomer's record, contracts (with their changes, progress and
/// follow-up), proofs and referrals, from the audit log, newest first: when, which body (the
/// agency, a municipality — e.g. its list under decree art. 20 §7 —, an organisation through a
/// proof or referral, a contact person through a signing link), in which role, and what. The
/// newcomer never sees an individual staff member's identifier; admins also see the `sub`
/// (`actor`). For the newcomer themself, admins and a trajectbegeleider who sees the record;
/// anyone else's newcomer is `404`, roles that see no newcomers get `403`. `tot` not after `van`
/// is a `badRequest`. The read itself is logged (and shows in the next read).
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "listRaadplegingen",
    params(InburgeraarId, RaadplegingenQuery, PageParams),
    responses((status = 200, description = "A page of consultations", body = Collection<Raadpleging>))
)]
#[get("/inburgeraars/{id}/raadplegingen")]
pub async fn list_raadplegingen(
    req: HttpRequest,
    ctx: Ctx,
    id: InburgeraarId,
    query: ListQuery<RaadplegingenQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let ListQuery { filter, page } = query;
    if let (Some(van), Some(tot)) = (filter.van, filter.tot)
        && tot <= van
    {
        return Err(ApiError::invalid(InputLocation::Query, "tot", "tot must lie after van"));
    }
    let (van, tot) = (filter.van.map(|d| d.naive_utc()), filter.tot.map(|d| d.naive_utc()));
    let (id, actor, links, admin) = (id.0, ctx.actor(), ctx.links.clone(), ctx.caller.is_admin());
    let (offset, limit) = (page.offset(), page.limit());
    let (items, total) = ctx
        .state
        .db
        .write(move |c| {
            zichtbaar(c, &zicht, id)?;
            let (rows, total) = auditlog::over_persoon(c, id, van, tot, offset, limit)?;
            let items = raadplegingen(c, &links, rows, admin)?;
            let details = json!({ "onderdeel": "raadplegingen" });
            audit::record(c, &actor, Action::Read, RESOURCE, &id.to_string(), Some(details))?;
            Ok((items, total))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

/// Everything the API holds about `persoon`, as the caller (the person or an admin) sees it.
fn export(c: &mut DbConn, ctx: &ExportCtx, persoon: InburgeraarRow) -> ApiResult<InburgeraarExport> {
    let links = &ctx.links;
    let id = persoon.id;
    let filter = ContractFilter { inburgeraars: vec![id], ..Default::default() };
    let (mut rijen, _) = contract_repo::list(c, &ctx.zicht, &filter, SqlSort::TermijnEinde, None)?;
    rijen.sort_by_key(|(r, _)| r.id);
    let mut contracten_uit = Vec::with_capacity(rijen.len());
    for (row, p) in &rijen {
        let uren = uren_repo::uren_van(c, row.id)?;
        let (wijz, _) = contract_repo::wijzigingen(c, row, 0, i64::MAX)?;
        let opv = opvolging_repo::alle(c, row.id)?;
        contracten_uit.push(ContractExport {
            contract: contracten::contract_gegevens(links, row, p, uren, ctx.vandaag),
            wijzigingen: wijz.into_iter().map(|w| wijzigingen::gegevens(links, w)).collect(),
            opvolging: opv.iter().map(|o| opvolging::gegevens(links, o, &opv)).collect(),
        });
    }
    let contract_ids: Vec<i64> = rijen.iter().map(|(r, _)| r.id).collect();
    let (bewijzen, verwijzingen) = if contract_ids.is_empty() {
        (Vec::new(), Vec::new())
    } else {
        let f = BewijsFilter { contracten: contract_ids.clone(), ..Default::default() };
        let (bewijzen, _) = bewijs_repo::list(c, &ctx.bewijs_zicht, &f, 0, i64::MAX)?;
        let bewijzen = bewijzen
            .iter()
            .filter_map(|b| {
                let weergave = ctx.bewijs_zicht.rollen(&b.betrokkenen()).weergave()?;
                Some(deelnamebewijzen::weergave_van(links, b, weergave))
            })
            .collect();
        let f = VerwijzingFilter { contracten: contract_ids, ..Default::default() };
        let (rows, _) = verwijzing_repo::list(c, &ctx.verwijzing_zicht, &f, 0, i64::MAX)?;
        let mut context = verwijzing_repo::context(c, &rows)?;
        let verwijzingen = rows
            .into_iter()
            .filter_map(|row| {
                let context = context.remove(&row.id)?;
                let rol = ctx.verwijzing_zicht.rol(context.betrokkenen());
                Some(doorverwijzingen::gegevens(links, crate::app::doorverwijzingen::Geladen { row, context, rol }))
            })
            .collect();
        (bewijzen, verwijzingen)
    };
    // The export is logged first, so it is among the consultations it lists.
    let details = json!({ "onderdeel": "export" });
    audit::record(c, &ctx.actor, Action::Read, RESOURCE, &id.to_string(), Some(details))?;
    let (rows, _) = auditlog::over_persoon(c, id, None, None, 0, i64::MAX)?;
    let raadplegingen = raadplegingen(c, links, rows, ctx.admin)?;
    Ok(InburgeraarExport {
        self_link: links.href(&format!("/v1/inburgeraars/{id}/export")),
        gemaakt_op: ctx.actor.at.and_utc(),
        inburgeraar: inburgeraars::gegevens(links, &ctx.zicht, persoon),
        contracten: contracten_uit,
        deelnamebewijzen: bewijzen,
        doorverwijzingen: verwijzingen,
        raadplegingen,
    })
}

struct ExportCtx {
    links: Links,
    zicht: Zicht,
    bewijs_zicht: BewijsZicht,
    verwijzing_zicht: VerwijzingZicht,
    actor: audit::Actor,
    vandaag: chrono::NaiveDate,
    admin: bool,
}

/// Export everything about a newcomer
///
/// Everything the API holds about the person as one JSON document (GDPR art. 15 and 20): the
/// record, every contract with its changes and follow-up entries, every proof with its lines,
/// signature, refusal and review, every referral, and every consultation of the file (as
/// `…/raadplegingen` shows them). For the newcomer themself and admins; a trajectbegeleider who
/// sees the record gets `403`, anyone else's newcomer is `404`. The export is logged (a `read`
/// with `onderdeel: export`).
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "exportInburgeraar",
    params(InburgeraarId),
    responses((status = 200, description = "Everything about the newcomer", body = InburgeraarExport))
)]
#[get("/inburgeraars/{id}/export")]
pub async fn export_inburgeraar(ctx: Ctx, id: InburgeraarId) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let e = ExportCtx {
        links: ctx.links.clone(),
        zicht: zicht.clone(),
        bewijs_zicht: BewijsZicht::van(&ctx.caller)?,
        verwijzing_zicht: VerwijzingZicht::van(&ctx.caller)?,
        actor: ctx.actor(),
        vandaag: ctx.today(),
        admin: ctx.caller.is_admin(),
    };
    let id = id.0;
    let doc = ctx
        .state
        .db
        .write(move |c| {
            let persoon = zichtbaar(c, &e.zicht, id)?;
            if !e.admin && !e.zicht.is_zelf(persoon.gebruiker_id.as_deref()) {
                return Err(ApiError::missing_permission("Only the newcomer themself and admins export the file"));
            }
            export(c, &e, persoon)
        })
        .await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// Erase a newcomer's personal data on request
///
/// The right to erasure (GDPR art. 17), for admins: the newcomer's identifying data is replaced
/// by a pseudonym or erased — on the record and on every contract, follow-up entry, proof and
/// referral — exactly as the retention job does (R27); ids, dates, hours, statuses and
/// municipalities stay, so monitoring and counts do not change, and the audit log keeps its
/// entries. `reden` (required) is kept with the record. Refused with `409 conflict` while the
/// newcomer has a running contract (the legal ground to keep the file) and when the data is
/// erased already; an unknown newcomer is `404`. The erasure is logged (`uitgewist`).
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "eraseInburgeraar",
    params(InburgeraarId),
    request_body(content = UitwissingIn, example = json!({
        "reden": "Verzoek tot gegevenswissing van betrokkene, ontvangen per brief op 2026-11-28"
    })),
    responses(
        (status = 204, description = "Erased"),
        (status = 409, description = "A running contract keeps the file, or it is erased already (`conflict`)", body = Problem),
    )
)]
#[post("/inburgeraars/{id}/uitwissing")]
pub async fn erase_inburgeraar(ctx: Ctx, id: InburgeraarId, body: JsonBody<UitwissingIn>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let reden = body.0.reden.trim().to_string();
    if reden.is_empty() {
        return Err(ApiError::invalid(InputLocation::Body, "reden", "reden must not be blank"));
    }
    let (id, actor) = (id.0, ctx.actor());
    let zicht = Zicht::lezer(&ctx.caller)?;
    ctx.state
        .db
        .write(move |c| {
            zichtbaar(c, &zicht, id)?;
            retentie::op_verzoek(c, &actor, id, &reden)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_raadplegingen).service(export_inburgeraar).service(erase_inburgeraar);
}
