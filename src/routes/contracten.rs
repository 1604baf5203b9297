//! `/v1/inburgeringscontracten`: signing contracts (R2, R3), reading them with their progress
//! (R4, R9), the trajectbegeleider's worklist, and reassigning a contract. Changes after
//! signing go through `…/wijzigingen` (see `routes::wijzigingen`).

use std::collections::HashMap;

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use chrono::NaiveDate;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::{self, not_found};
use crate::app::toewijzing;
use crate::db::DbConn;
use crate::domain::contract::{self as regels, ContractStaat, Vrijstelling};
use crate::domain::toegang::Zicht;
use crate::domain::voortgang::{self, PntTermijn, Uren, Werklijst, Werkregel};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::ContractId;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::contracten::{self as repo, ContractFilter, ContractRow, PersoonRef, SqlSort};
use crate::repo::{inburgeraars, voortgang as uren_repo};
use crate::routes::inburgeraars::{inburgeraar_href, met_me};
use crate::routes::toegang::tekst;

pub use crate::repo::contracten::RESOURCE;

impl VrijstellingUit {
    fn van(v: Vrijstelling, toegekend_op: Option<NaiveDate>) -> Self {
        let Vrijstelling { reden, bewijs, details, tewerkstelling } = v;
        VrijstellingUit { reden, bewijs, details, tewerkstelling, toegekend_op }
    }
}

pub fn contract_href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/inburgeringscontracten/{id}"))
}

/// A contract row, its newcomer and its hours as the API shows them on `peildatum`.
pub fn contract_gegevens(
    links: &Links,
    row: &ContractRow,
    p: &PersoonRef,
    uren: Uren,
    peildatum: NaiveDate,
) -> ContractGegevens {
    let staat = row.staat();
    ContractGegevens {
        id: row.id,
        inburgeraar: InburgeraarRef {
            href: inburgeraar_href(links, p.id),
            id: p.id,
            dossiernummer: p.dossiernummer.clone(),
            voornaam: p.voornaam.clone(),
            achternaam: p.achternaam.clone(),
        },
        trajectbegeleider: row.trajectbegeleider.clone(),
        ondertekend_op: staat.ondertekend_op,
        termijn_einde: staat.termijn_einde,
        statuut: staat.statuut,
        pnt: Pnt {
            opgenomen: staat.pnt_opgenomen,
            vereiste_uren: staat.vereiste_uren,
            vrijstelling: staat.vrijstelling.clone().map(|v| VrijstellingUit::van(v, staat.vrijstelling_toegekend_op)),
        },
        pijlers: staat.pijlers,
        status: staat.status,
        attest_uitgereikt_op: staat.attest_uitgereikt_op,
        stopgezet_op: staat.stopgezet_op,
        laatste_sanctie: staat.sanctie,
        voortgang: voortgang::bereken(PntTermijn::van(&staat), uren, peildatum),
        wijzigingen: links.href(&format!("/v1/inburgeringscontracten/{}/wijzigingen", row.id)),
        aangemaakt_op: row.aangemaakt_op.and_utc(),
        gewijzigd_op: row.gewijzigd_op.and_utc(),
    }
}

/// The flow of every operation on one contract: `f` reads or writes in one transaction, with
/// the caller's view and the audit log's actor, and gives the contract and its newcomer; the
/// answer is the contract's document with its hours, its `ETag` (and `Location` when `status`
/// is `201`).
async fn respond_with(
    ctx: Ctx,
    zicht: Zicht,
    status: StatusCode,
    f: impl FnOnce(&mut DbConn, &Zicht, &Actor) -> ApiResult<(ContractRow, PersoonRef)> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let (row, persoon, uren) = ctx
        .state
        .db
        .write(move |c| {
            let (row, persoon) = f(c, &zicht, &actor)?;
            let uren = uren_repo::uren_van(c, row.id)?;
            Ok((row, persoon, uren))
        })
        .await?;
    let self_link = contract_href(&ctx.links, row.id);
    let gegevens = contract_gegevens(&ctx.links, &row, &persoon, uren, ctx.today());
    let doc = Inburgeringscontract { self_link: self_link.clone(), gegevens };
    Ok(document::respond(status, &self_link, row.versie, doc))
}

/// The contract and its newcomer, if the caller may see it; `404` otherwise, so other people's
/// contracts do not leak their existence (R15).
pub fn load(c: &mut DbConn, zicht: &Zicht, id: i64) -> ApiResult<(ContractRow, PersoonRef)> {
    repo::find_visible(c, zicht, id)?.ok_or_else(|| not_found(RESOURCE, id))
}

/// Logs a read (or listing) of a contract, personal data of its newcomer; `onderdeel` names
/// the part read (`voortgang`, `wijzigingen`, …).
pub fn log_read(
    c: &mut DbConn,
    actor: &Actor,
    action: Action,
    row: &ContractRow,
    onderdeel: Option<&str>,
) -> ApiResult<()> {
    let mut details = json!({ "inburgeraar": row.inburgeraar_id });
    if let Some(o) = onderdeel {
        details["onderdeel"] = json!(o);
    }
    Ok(audit::record(c, actor, action, RESOURCE, &row.id.to_string(), Some(details))?)
}

/// [`load`] and [`log_read`]: a contract (or its part `onderdeel`) the caller reads.
pub fn read(
    c: &mut DbConn,
    zicht: &Zicht,
    actor: &Actor,
    id: i64,
    onderdeel: Option<&str>,
) -> ApiResult<(ContractRow, PersoonRef)> {
    let (row, persoon) = load(c, zicht, id)?;
    log_read(c, actor, Action::Read, &row, onderdeel)?;
    Ok((row, persoon))
}

use crate::wire::contracten::{
    ContractGegevens, ContractIn, ContractPatch, ContractenQuery, InburgeraarRef, Inburgeringscontract,
    InburgeringscontractItem, Pnt, Voortgang, VrijstellingUit,
};

/// Sign a contract
///
/// For a trajectbegeleider (a newcomer of their caseload, signed in their own name: naming
/// another trajectbegeleider is `403`) and admins (any newcomer; `trajectbegeleider` defaults to
/// the newcomer's). The contract takes the newcomer's `statuut`, and the newcomer moves to the
/// contract's trajectbegeleider. For `verplicht` the PNT is included unless a vrijstelling with
/// reason and evidence is recorded — for `werk` at least half-time employment under contract(s)
/// covering three consecutive months including the signing date (R2); for `rechthebbend` it is
/// optional (R3). Broken rules, a signing date in the future, a term that does not end after it
/// and a newcomer the caller does not manage are `badRequest` issues naming the field. A
/// newcomer has at most one running contract (`409`). The creation is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "createInburgeringscontract",
    request_body(content = ContractIn, description = "The signed contract", example = json!({
        "inburgeraar": 17,
        "ondertekendOp": "2026-09-01",
        "termijnEinde": "2027-09-01",
        "pnt": {
            "opgenomen": false,
            "vrijstelling": {
                "reden": "werk",
                "bewijs": "Arbeidsovereenkomst Bakkerij Peeters d.d. 2026-02-20 en Dimona-aangifte",
                "details": "Halftijds verkoopster, contract van onbepaalde duur",
                "tewerkstelling": { "breuk": 0.5, "arbeidsovereenkomsten": [{ "van": "2026-03-01" }] }
            }
        },
        "pijlers": { "maatschappelijkeOrientatie": "behaald", "nederlands": "lopend", "werk": "nietGestart" }
    })),
    responses(
        (status = 201, description = "Signed", body = Inburgeringscontract,
            headers(("Location" = String, description = "The new contract"), ("ETag" = String))),
        (status = 409, description = "The newcomer already has a running contract (`duplicate`, with its `href`)",
            body = Problem),
    )
)]
#[post("/inburgeringscontracten")]
pub async fn create_contract(ctx: Ctx, body: JsonBody<ContractIn>) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let body = body.0;
    let namens = zicht.namens(tekst(body.trajectbegeleider))?;
    let termijn_fouten = regels::check_termijn(body.ondertekend_op, body.termijn_einde, ctx.today());
    let links = ctx.links.clone();
    respond_with(ctx, zicht, StatusCode::CREATED, move |c, zicht, actor| {
        // A newcomer the caller does not manage is one they may not name here.
        let persoon = inburgeraars::find_visible(c, zicht, body.inburgeraar)?
            .filter(|p| zicht.mag_beheren(&p.trajectbegeleider))
            .ok_or_else(|| {
                ApiError::bad_request(vec![InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "inburgeraar",
                    format!("No newcomer with id {} in your caseload", body.inburgeraar),
                )])
            })?;
        let mut fouten = termijn_fouten;
        fouten.extend(regels::check_pnt_bij_ondertekening(
            persoon.statuut,
            body.pnt.opgenomen,
            body.pnt.vrijstelling.as_ref(),
            body.ondertekend_op,
        ));
        if !fouten.is_empty() {
            return Err(ApiError::regelfouten(fouten));
        }
        if let Some(lopend) = repo::lopend_van(c, persoon.id)? {
            return Err(ApiError::duplicate(
                format!("Newcomer {} already has a running contract", persoon.id),
                contract_href(&links, lopend.id),
            ));
        }
        let staat = ContractStaat::getekend(
            persoon.statuut,
            body.ondertekend_op,
            body.termijn_einde,
            body.pnt.opgenomen,
            body.pnt.vrijstelling,
            body.pijlers.unwrap_or_default(),
        );
        let tb = namens.unwrap_or_else(|| persoon.trajectbegeleider.clone());
        let row = repo::insert(c, persoon.id, &tb, &staat, actor.at)?;
        toewijzing::inburgeraar_volgt(c, actor, &row)?;
        document::created(c, actor, RESOURCE, row.id, Some(json!({ "inburgeraar": persoon.id })))?;
        Ok((row, PersoonRef::from(&persoon)))
    })
    .await
}

/// Get a contract
///
/// With its progress. For admins, the contract's trajectbegeleider and the newcomer themself
/// (`gebruikerId`); other roles get `403`, anyone else's contract is `404`. Every read is
/// logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "getInburgeringscontract",
    params(ContractId),
    responses((status = 200, description = "The contract", body = Inburgeringscontract, headers(("ETag" = String))))
)]
#[get("/inburgeringscontracten/{id}")]
pub async fn get_contract(ctx: Ctx, id: ContractId) -> ApiResult<HttpResponse> {
    let (zicht, id) = (Zicht::lezer(&ctx.caller)?, id.0);
    respond_with(ctx, zicht, StatusCode::OK, move |c, zicht, actor| read(c, zicht, actor, id, None)).await
}

/// Get a contract's progress
///
/// Approved and submitted hours, what remains, the share done, days left in the term, the
/// hours expected by now at an even pace, and the risk, computed for today. Visible to whoever
/// sees the contract (else `404`); the read is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "getVoortgang",
    params(ContractId),
    responses((status = 200, description = "The progress", body = Voortgang))
)]
#[get("/inburgeringscontracten/{id}/voortgang")]
pub async fn get_voortgang(ctx: Ctx, id: ContractId) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let (id, actor) = (id.0, ctx.actor());
    let (row, uren) = ctx
        .state
        .db
        .write(move |c| {
            let (row, _) = read(c, &zicht, &actor, id, Some("voortgang"))?;
            Ok((row, uren_repo::uren_van(c, id)?))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Voortgang {
        self_link: ctx.links.href(&format!("/v1/inburgeringscontracten/{id}/voortgang")),
        contract: contract_href(&ctx.links, id),
        gegevens: voortgang::bereken(PntTermijn::van(&row.staat()), uren, ctx.today()),
    }))
}

/// Reassign a contract
///
/// Hands the contract to another trajectbegeleider: for an admin or the contract's current
/// trajectbegeleider (other roles get `403`, other trajectbegeleiders `404`). For a running contract
/// the newcomer moves to the new caseload too. Honours `If-Match`. Naming the current one
/// changes nothing (and keeps the ETag). Other fields change only through contract changes
/// (`…/wijzigingen`); the body takes `trajectbegeleider` only. The reassignment is logged.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "reassignInburgeringscontract",
    params(ContractId, IfMatch),
    request_body(
        description = "The new trajectbegeleider. Sent as JSON Merge Patch (`application/merge-patch+json`); plain \
            `application/json` is accepted too. `trajectbegeleider` is required and not nullable; any other field is \
            a `badRequest`.",
        content(
            (ContractPatch = "application/merge-patch+json", example = json!({"trajectbegeleider": "tb-2"})),
            (ContractPatch = "application/json", example = json!({"trajectbegeleider": "tb-2"})),
        )
    ),
    responses((status = 200, description = "Reassigned", body = Inburgeringscontract, headers(("ETag" = String))))
)]
#[patch("/inburgeringscontracten/{id}")]
pub async fn patch_contract(
    ctx: Ctx,
    if_match: IfMatch,
    id: ContractId,
    body: JsonBody<ContractPatch>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let id = id.0;
    let naar = body.0.trajectbegeleider.trim().to_string();
    if naar.is_empty() {
        return Err(ApiError::invalid(InputLocation::Body, "trajectbegeleider", "trajectbegeleider must not be blank"));
    }
    respond_with(ctx, zicht, StatusCode::OK, move |c, zicht, actor| {
        let (row, persoon) = load(c, zicht, id)?;
        zicht.beheren(&row.trajectbegeleider, "contract's trajectbegeleider reassigns it")?;
        Ok((toewijzing::contract(c, actor, &if_match, row, &naar)?, persoon))
    })
    .await
}

/// List contracts (the worklist)
///
/// The contracts the caller may see (admin: all; trajectbegeleider: the contracts they are the
/// trajectbegeleider of; inburgeraar: their own; other roles `403`), with progress, filtered and
/// sorted for the worklist: who is behind
/// (`risico=achterstand`), whose term ends soon (`termijnVoor`), whose proofs wait for review
/// (`teBeoordelen=true`). Every listed contract is logged as read.
#[utoipa::path(
    tag = "Inburgeringscontracten",
    operation_id = "listInburgeringscontracten",
    params(ContractenQuery, PageParams),
    responses((status = 200, description = "A page of contracts", body = Collection<InburgeringscontractItem>))
)]
#[get("/inburgeringscontracten")]
pub async fn list_contracten(req: HttpRequest, ctx: Ctx, query: ListQuery<ContractenQuery>) -> ApiResult<HttpResponse> {
    let zicht = Zicht::lezer(&ctx.caller)?;
    let ListQuery { filter: q, page } = query;
    let f = ContractFilter {
        trajectbegeleiders: met_me(q.trajectbegeleider, &ctx.caller),
        statussen: q.status,
        gemeenten: q.gemeente,
        statuut: q.statuut,
        pnt_opgenomen: q.pnt_opgenomen,
        termijn_voor: q.termijn_voor,
        inburgeraars: q.inburgeraar,
    };
    let werklijst = Werklijst { risico: q.risico, te_beoordelen: q.te_beoordelen, sort: q.sort };
    // Risk, review and percentage come from the hours, which SQL does not know about (yet):
    // then every match of the caller's view is loaded, computed, filtered, sorted and paged
    // here. The view is already narrowed in SQL (a caseload is hundreds of contracts, not
    // millions); when the proofs issue brings the hours into SQL, `repo::voortgang::uren`
    // stays the only source, so this stays correct — only an admin's unfiltered worklist
    // would then be worth pushing into SQL. Without those filters, SQL pages directly.
    let op_uren = werklijst.op_uren();
    let sql_sort = if werklijst.termijn_aflopend() { SqlSort::TermijnEindeDesc } else { SqlSort::TermijnEinde };
    let (offset, limit, actor, peildatum) = (page.offset(), page.limit(), ctx.actor(), ctx.today());
    let (regels, total) = ctx
        .state
        .db
        .write(move |c| {
            let (rows, total) = repo::list(c, &zicht, &f, sql_sort, (!op_uren).then_some((offset, limit)))?;
            let ids: Vec<i64> = rows.iter().map(|(r, _)| r.id).collect();
            let uren: HashMap<i64, Uren> = uren_repo::uren(c, &ids)?;
            let regels = rows.into_iter().map(|(row, persoon)| {
                let u = uren.get(&row.id).copied().unwrap_or_default();
                let v = voortgang::bereken(PntTermijn::van(&row.staat()), u, peildatum);
                (Werkregel { id: row.id, termijn_einde: row.termijn_einde, uren: u, voortgang: v }, (row, persoon))
            });
            let (regels, total) =
                if op_uren { werklijst.pagina(regels.collect(), offset, limit) } else { (regels.collect(), total) };
            for (_, (row, _)) in &regels {
                log_read(c, &actor, Action::List, row, None)?;
            }
            Ok((regels, total))
        })
        .await?;
    let items = regels
        .iter()
        .map(|(r, (row, persoon))| InburgeringscontractItem {
            href: contract_href(&ctx.links, row.id),
            gegevens: contract_gegevens(&ctx.links, row, persoon, r.uren, peildatum),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_contracten)
        .service(create_contract)
        .service(get_contract)
        .service(patch_contract)
        .service(get_voortgang);
}
