//! `/v1/doorverwijzingen`: a trajectbegeleider refers a newcomer (through their contract) to an
//! offer, with a warm handover or a companion (toeleider/brugfiguur) when needed. An offer with
//! a `capaciteit` holds at most that many referrals in `voorgesteld` or `gestart`; the others
//! wait on its list, first come first served, and a freed place goes to the first in line in
//! the same transaction (R22; the workflows are in `app::doorverwijzingen`, and
//! `repo::doorverwijzingen` says why this holds under concurrency).
//!
//! Who sees and does what is decided in `domain::toegang::doorverwijzingen`: in full for admins,
//! the contract's trajectbegeleider and the newcomer; the offer's aanbieder sees the newcomer's
//! name and contact language only and may mark a referral `gestart`. Every read is logged
//! (R15): a referral names a newcomer.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::{self, VersionedWrite};
use crate::app::doorverwijzingen::{self as app, Geladen, Statuswijziging};
use crate::db::DbConn;
use crate::domain::doorverwijzing::Begeleiding;
use crate::domain::doorverwijzing::Toeleider;
use crate::domain::toegang::doorverwijzingen::Weergave;
use crate::domain::toegang::doorverwijzingen::{self as toegang, Zicht};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::http::path::DoorverwijzingId;
use crate::repo::audit::{Action, Actor};
use crate::repo::contracten;
use crate::repo::doorverwijzingen::{self as repo, DetailVelden};
use crate::routes::contracten::contract_href;
use crate::routes::inburgeraars::inburgeraar_href;
use crate::wire::common::utc;
use crate::wire::doorverwijzingen::{
    AanbodLink, ContractLink, Deelnemer, Doorverwijzing, DoorverwijzingGegevens, DoorverwijzingInput,
    DoorverwijzingItem, DoorverwijzingPatch, DoorverwijzingenQuery, StatusWijziging,
};

pub fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/doorverwijzingen/{id}"))
}

pub(crate) fn gegevens(links: &Links, g: Geladen) -> DoorverwijzingGegevens {
    let Geladen { row, context: ctx, rol } = g;
    let volledig = rol.weergave == Weergave::Volledig;
    DoorverwijzingGegevens {
        id: row.id,
        weergave: rol.weergave,
        contract: volledig.then(|| ContractLink { href: contract_href(links, row.contract_id), id: row.contract_id }),
        inburgeraar: Deelnemer {
            href: volledig.then(|| inburgeraar_href(links, ctx.inburgeraar_id)),
            id: volledig.then_some(ctx.inburgeraar_id),
            voornaam: ctx.voornaam,
            achternaam: ctx.achternaam,
            contacttaal: ctx.contacttaal,
        },
        trajectbegeleider: volledig.then_some(ctx.trajectbegeleider),
        aanbod: AanbodLink {
            href: links.href(&format!("/v1/aanbod/{}", row.aanbod_id)),
            id: row.aanbod_id,
            titel: ctx.aanbod_titel,
        },
        status: row.status,
        aangemeld_door: row.aangemeld_door,
        wachtlijst_positie: ctx.wachtlijst_positie,
        reden_afgebroken: row.reden_afgebroken.filter(|_| volledig),
        warme_overdracht: row.warme_overdracht,
        warme_overdracht_notitie: row.warme_overdracht_notitie,
        toeleider: row.toeleider_naam.map(|naam| Toeleider { naam, contact: row.toeleider_contact }),
        aangemaakt_op: utc(row.aangemaakt_op),
        plaats_toegekend_op: row.plaats_toegekend_op.map(utc),
        gestart_op: row.gestart_op,
        afgerond_op: row.afgerond_op,
        afgebroken_op: row.afgebroken_op,
        versie: row.versie,
    }
}

/// The referral as the caller sees it, with its `ETag` (and `Location` when new).
fn respond(status: StatusCode, links: &Links, g: Geladen) -> HttpResponse {
    let (self_link, versie) = (href(links, g.row.id), g.row.versie);
    let gegevens = gegevens(links, g);
    document::respond(status, &self_link, versie, Doorverwijzing { self_link: self_link.clone(), gegevens })
}

/// Loads referral `id` as the caller sees it (`404` otherwise), runs `op` on it in the same
/// write transaction and answers with the referral as it then is (`op` returns whether it
/// changed it, so it is read again).
async fn met_doorverwijzing(
    ctx: Ctx,
    id: i64,
    op: impl FnOnce(&mut DbConn, &Actor, &Geladen) -> ApiResult<bool> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::van(&ctx.caller)?;
    let actor = ctx.actor();
    let g = ctx
        .state
        .db
        .write(move |c| {
            let g = app::load(c, &zicht, id)?;
            if op(c, &actor, &g)? { app::load(c, &zicht, id) } else { Ok(g) }
        })
        .await?;
    Ok(respond(StatusCode::OK, &ctx.links, g))
}

/// The warm handover and companion as stored, checked (R22).
fn detail_velden(b: Begeleiding) -> ApiResult<DetailVelden> {
    let b = b.gecontroleerd().map_err(|e| ApiError::invalid(InputLocation::Body, "warmeOverdrachtNotitie", e))?;
    Ok(DetailVelden::from(b))
}

/// List referrals
///
/// The referrals the caller sees (see the tag), oldest first: filtered on one offer and
/// `status=wachtlijst`, this is its waiting list in order. Every listed referral is logged.
/// For admins, trajectbegeleiders (their contracts), newcomers (their own) and aanbieders
/// (referrals to their organisation's offers, in the `aanbieder` view); other roles get 403.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "listDoorverwijzingen",
    params(DoorverwijzingenQuery, PageParams),
    responses((status = 200, description = "A page of referrals", body = Collection<DoorverwijzingItem>))
)]
#[get("/doorverwijzingen")]
pub async fn list_doorverwijzingen(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<DoorverwijzingenQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::van(&ctx.caller)?;
    let actor = ctx.actor();
    let ListQuery { filter, page } = query;
    let f = repo::Filter {
        contracten: filter.contract,
        aanbod: filter.aanbod,
        statussen: filter.status,
        aangemeld_door: filter.aangemeld_door,
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx.state.db.write(move |c| app::list(c, &actor, &zicht, &f, offset, limit)).await?;
    let links = &ctx.links;
    let items: Vec<_> = rows
        .into_iter()
        .map(|g| DoorverwijzingItem { href: href(links, g.row.id), gegevens: gegevens(links, g) })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, links, &page, items, total)))
}

/// Refer a newcomer to an offer, or register for one
///
/// By the contract's trajectbegeleider or an admin, for a running contract and a published
/// offer; or by the newcomer themselves (role `inburgeraar`), for a published offer with their
/// own running contract that includes the PNT (`aangemeldDoor: inburgeraar`, shown to their
/// trajectbegeleider's worklist `GET /v1/doorverwijzingen?aangemeldDoor=inburgeraar`). With a
/// free place (or no `capaciteit`) the referral is `voorgesteld`; when the offer is full it
/// joins the waiting list (`wachtlijst`, with its `wachtlijstPositie`). Whoever waits goes
/// first: a new referral never passes the waiting list. A newcomer does not write the warm
/// handover or a companion (400 `warmeOverdracht`/`toeleider`): their trajectbegeleider adds it.
///
/// Other roles get 403. A contract the trajectbegeleider does not follow or an offer that is not
/// published is a 400 (`referencedResourceNotFound`); someone else's contract is a 404 to a
/// newcomer. A contract that no longer runs (`conflict`), a newcomer's contract without the PNT
/// (`contractZonderPnt`), or a referral to the same offer still in progress (`duplicate`, with
/// its `href`) is a 409.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "createDoorverwijzing",
    request_body(content = DoorverwijzingInput, description = "The referral", example = json!({
        "contract": 5, "aanbod": 42, "warmeOverdracht": true,
        "warmeOverdrachtNotitie": "Amina komt graag samen met haar buurvrouw.",
        "toeleider": {"naam": "Youssef (brugfiguur)", "contact": "+32 470 98 76 54"}
    })),
    responses(
        (status = 201, description = "Referred (`voorgesteld` or `wachtlijst`)", body = Doorverwijzing,
            headers(("Location" = String), ("ETag" = String))),
        (status = 404, description = "A newcomer named someone else's contract (`resourceNotFound`)", body = Problem),
        (status = 409, description = "The contract no longer runs (`conflict`), a newcomer's contract does not include the PNT (`contractZonderPnt`), or a referral to this offer is already in progress (`duplicate`, with its `href`)",
            body = Problem),
    )
)]
#[post("/doorverwijzingen")]
pub async fn create_doorverwijzing(ctx: Ctx, body: JsonBody<DoorverwijzingInput>) -> ApiResult<HttpResponse> {
    let aanmelder = toegang::mag_doorverwijzen(&ctx.caller)?;
    let zicht = Zicht::van(&ctx.caller)?;
    let actor = ctx.actor();
    let DoorverwijzingInput { contract, aanbod, warme_overdracht, warme_overdracht_notitie, toeleider } = body.0;
    let begeleid = warme_overdracht || warme_overdracht_notitie.is_some() || toeleider.is_some();
    let details = detail_velden(Begeleiding { warme_overdracht, warme_overdracht_notitie, toeleider })?;
    let links = ctx.links.clone();
    let onbekend = |veld: &str, detail: String, id: i64| {
        ApiError::bad_request(vec![InputIssue::referenced_not_found(InputLocation::Body, veld, detail).with_value(id)])
    };
    let g = ctx
        .state
        .db
        .write(move |c| {
            let gevonden = contracten::find_visible(c, &aanmelder.contracten, contract)?;
            let aanmelding = gevonden
                .as_ref()
                .and_then(|(k, p)| aanmelder.aanmelding(&k.trajectbegeleider, p.gebruiker_id.as_deref()));
            let (Some((contract_row, _)), Some(aanmelding)) = (gevonden, aanmelding) else {
                return Err(aanmelder.niet_gevonden(contract).unwrap_or_else(|| {
                    onbekend("contract", format!("No contract with id {contract} that you follow"), contract)
                }));
            };
            if !contract_row.status.is_lopend() {
                return Err(ApiError::conflict(format!(
                    "Contract {contract} is {}; only a running contract gets referrals",
                    contract_row.status
                )));
            }
            aanmelding.controleer(contract, contract_row.pnt_opgenomen, begeleid)?;
            let capaciteit = repo::capaciteit_gepubliceerd(c, aanbod)?
                .ok_or_else(|| onbekend("aanbod", format!("No published offer with id {aanbod}"), aanbod))?;
            let plek = (contract, aanbod, capaciteit);
            let id = app::verwijs_door(c, &actor, plek, aanmelding.door(), &details, |bestaand| {
                ApiError::duplicate(
                    format!("Contract {contract} already has a referral in progress to offer {aanbod}"),
                    href(&links, bestaand),
                )
            })?;
            app::load(c, &zicht, id)
        })
        .await?;
    Ok(respond(StatusCode::CREATED, &ctx.links, g))
}

/// Get a referral
///
/// In full for an admin, the contract's trajectbegeleider and the newcomer; the offer's
/// aanbieder sees the newcomer's name and contact language only. Anyone else: 404.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "getDoorverwijzing",
    params(DoorverwijzingId),
    responses((status = 200, description = "The referral", body = Doorverwijzing, headers(("ETag" = String))))
)]
#[get("/doorverwijzingen/{id}")]
pub async fn get_doorverwijzing(ctx: Ctx, id: DoorverwijzingId) -> ApiResult<HttpResponse> {
    met_doorverwijzing(ctx, id.0, |c, actor, g| {
        app::log(c, actor, Action::Read, &g.row, json!({"contract": g.row.contract_id}))?;
        Ok(false)
    })
    .await
}

/// Change the warm handover or companion
///
/// A JSON Merge Patch (RFC 7396) over `warmeOverdracht`, `warmeOverdrachtNotitie` and
/// `toeleider`, while the referral is in progress (409 `invalidTransition` once it is
/// `afgerond` or `afgebroken`). For the contract's trajectbegeleider and admins: the newcomer
/// and the aanbieder get 403, anyone else 404. Honours `If-Match`; audited.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "patchDoorverwijzing",
    params(DoorverwijzingId, IfMatch),
    request_body(content = DoorverwijzingPatch, content_type = "application/merge-patch+json",
        description = "The fields to change", example = json!({"toeleider": {"naam": "Youssef (brugfiguur)"}})),
    responses(
        (status = 200, description = "Updated", body = Doorverwijzing, headers(("ETag" = String))),
        (status = 409, description = "The referral is closed (`invalidTransition`)", body = Problem),
    )
)]
#[patch("/doorverwijzingen/{id}")]
pub async fn patch_doorverwijzing(
    ctx: Ctx,
    id: DoorverwijzingId,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    met_doorverwijzing(ctx, id.0, move |c, actor, g| {
        g.rol.mag_wijzigen()?;
        let (row, details) = (&g.row, json!({"contract": g.row.contract_id}));
        VersionedWrite { actor, if_match: &if_match }.write(c, row, Action::Update, Some(details), |c, versie| {
            if row.status.is_final() {
                let detail = format!("Referral {} is {}: it can no longer change", row.id, row.status);
                return Err(ApiError::invalid_transition(detail));
            }
            let nieuw = detail_velden(patch.apply(&row.begeleiding())?)?;
            Ok(repo::zet_details(c, row.id, versie, &nieuw, actor.at)?)
        })?;
        Ok(true)
    })
    .await
}

/// Change a referral's status
///
/// `voorgesteld → gestart → afgerond`, and `afgebroken` (with `reden`) from `voorgesteld`,
/// `wachtlijst` or `gestart`. The offer's aanbieder may only mark `gestart`; the contract's
/// trajectbegeleider and admins make every transition. The newcomer cancels a registration
/// they made themselves (`aangemeldDoor: inburgeraar`) with `afgebroken` while it is
/// `voorgesteld` or `wachtlijst` (`reden` optional; once `gestart`, 409); on other referrals
/// they get 403. When a referral that held a place ends
/// (`afgerond`, `afgebroken`), the first on the offer's waiting list gets it (`voorgesteld`) in
/// the same transaction. Marking `gestart` opens the proof-of-participation draft (once the
/// proofs exist).
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "changeDoorverwijzingStatus",
    params(DoorverwijzingId, IfMatch),
    request_body(content = StatusWijziging, description = "The new status", example = json!({
        "status": "afgebroken", "reden": "Verhuisd naar een andere regio", "datum": "2026-03-02"
    })),
    responses(
        (status = 200, description = "The referral in its new state", body = Doorverwijzing, headers(("ETag" = String))),
        (status = 409, description = "Not a transition of the state machine, or one only the API makes (`invalidTransition`)",
            body = Problem),
    )
)]
#[post("/doorverwijzingen/{id}/status")]
pub async fn change_status(
    ctx: Ctx,
    id: DoorverwijzingId,
    if_match: IfMatch,
    body: JsonBody<StatusWijziging>,
) -> ApiResult<HttpResponse> {
    let vandaag = ctx.today();
    let StatusWijziging { status: naar, reden, datum } = body.0;
    met_doorverwijzing(ctx, id.0, move |c, actor, g| {
        let write = VersionedWrite { actor, if_match: &if_match };
        app::wijzig_status(c, &write, g, Statuswijziging { naar, reden, datum }, vandaag)?;
        Ok(true)
    })
    .await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_doorverwijzingen)
        .service(create_doorverwijzing)
        .service(get_doorverwijzing)
        .service(patch_doorverwijzing)
        .service(change_status);
}
