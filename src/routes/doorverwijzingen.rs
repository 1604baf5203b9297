//! `/v1/doorverwijzingen`: a trajectbegeleider refers a newcomer (through their contract) to an
//! offer, with a warm handover or a companion (toeleider/brugfiguur) when needed. An offer with
//! a `capaciteit` holds at most that many referrals in `voorgesteld` or `gestart`; the others
//! wait on its list, first come first served, and a freed place goes to the first in line in
//! the same transaction (see `repo::doorverwijzingen` for why this holds under concurrency).
//!
//! Who sees what:
//! - admin: every referral, in full;
//! - trajectbegeleider: the referrals of the contracts they follow, in full (else 404);
//! - inburgeraar: their own referrals, in full, read-only;
//! - aanbieder: the referrals to its organisation's offers, with the newcomer's name and
//!   contact language only (no contract, no id, no dossier), and may mark them `gestart`.
//!
//! Every read is logged (R15): a referral names a newcomer.

use std::collections::HashMap;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, patch, post, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::db::DbConn;
use crate::domain::aanbod::AanbodStatus;
use crate::domain::doorverwijzing::{self as regels, DoorverwijzingStatus, OvergangFout, Wie};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::doorverwijzingen::{self as repo, Context, DetailVelden, DoorverwijzingRow, Opvulling, StatusVelden};
use crate::repo::{aanbod as aanbod_repo, contracten};
use crate::routes::common::utc;
use crate::routes::contracten::contract_href;
use crate::routes::inburgeraars::inburgeraar_href;
use crate::routes::toegang::{beheerder, tekst, vandaag, versie_verschoven};

const RESOURCE: &str = "doorverwijzing";

/// A companion for the first visit (toeleider or brugfiguur). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toeleider {
    /// Who goes along, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Youssef (brugfiguur Buurtwerk Geel)")]
    pub naam: String,
    /// Phone or e-mail, up to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "+32 470 98 76 54")]
    pub contact: Option<String>,
}

/// The warm handover and companion of a referral: what `PATCH` changes, and what a merge
/// patch is applied to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Begeleiding {
    #[serde(default)]
    pub warme_overdracht: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    pub warme_overdracht_notitie: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub toeleider: Option<Toeleider>,
}

/// A new referral. Unknown fields are refused.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DoorverwijzingInput {
    /// Id of the newcomer's running contract, one the caller follows (400 otherwise).
    #[schema(example = 5)]
    pub contract: i64,
    /// Id of the published offer (400 otherwise).
    #[schema(example = 42)]
    pub aanbod: i64,
    /// The trajectbegeleider announces the newcomer to the provider personally (default
    /// false).
    #[serde(default)]
    pub warme_overdracht: bool,
    /// What the provider should know for the first contact, up to 2,000 characters; only with
    /// `warmeOverdracht: true` (400 otherwise). It is addressed to the provider, who reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Amina komt graag samen met haar buurvrouw; spreekt al wat Nederlands.")]
    pub warme_overdracht_notitie: Option<String>,
    /// Who goes along to the first visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub toeleider: Option<Toeleider>,
}

/// A JSON Merge Patch (RFC 7396) of a referral's warm handover and companion. `null` removes a
/// field (`warmeOverdracht: null` sets false); the result is checked like a new referral's
/// fields, so an unknown field is refused (400 `unknownInput`). For the document only: the
/// handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"toeleider": {"naam": "Youssef (brugfiguur Buurtwerk Geel)", "contact": null}}))]
pub struct DoorverwijzingPatch {
    /// Whether the trajectbegeleider announces the newcomer personally; `null` sets false.
    #[schema(example = true)]
    warme_overdracht: Option<bool>,
    /// The note for the provider (only with `warmeOverdracht: true`); `null` removes it.
    #[schema(example = "Amina komt graag samen met haar buurvrouw.")]
    warme_overdracht_notitie: Option<String>,
    /// Changes to the companion, merged into the current one; `null` removes the companion.
    #[schema(inline)]
    toeleider: Option<ToeleiderPatch>,
}

/// Changes to a referral's companion within a merge patch. Without a current companion,
/// `naam` is needed.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToeleiderPatch {
    /// Who goes along; cannot be removed (remove the companion with `"toeleider": null`).
    #[schema(nullable = false, example = "Youssef (brugfiguur Buurtwerk Geel)")]
    naam: Option<String>,
    /// Phone or e-mail; `null` removes it.
    #[schema(example = "+32 470 98 76 54")]
    contact: Option<String>,
}

/// The newcomer of a referral. The aanbieder sees the name and contact language only.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deelnemer {
    /// The newcomer's URL; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The newcomer's id within the API; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 17)]
    pub id: Option<i64>,
    /// First name.
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
    /// The language to contact them in (ISO 639-1).
    #[schema(example = "ar")]
    pub contacttaal: String,
}

/// The offer of a referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodLink {
    /// The offer's URL.
    pub href: String,
    /// The offer's id within the API.
    #[schema(example = 42)]
    pub id: i64,
    /// The offer's title.
    #[schema(example = "Buddyproject Samen Geel")]
    pub titel: String,
}

/// The contract of a referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractLink {
    /// The contract's URL.
    pub href: String,
    /// The contract's id within the API.
    #[schema(example = 5)]
    pub id: i64,
}

/// Which view of a referral the caller gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DoorverwijzingWeergave)]
pub enum Weergave {
    /// Admin, the contract's trajectbegeleider, the newcomer.
    Volledig,
    /// The offer's aanbieder: the newcomer's name and contact language only.
    Aanbieder,
}

/// A referral, as its reader may see it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorverwijzingGegevens {
    /// The referral's id within the API.
    #[schema(example = 9)]
    pub id: i64,
    /// Which view the caller gets: `volledig`, or `aanbieder` (fields marked "not for the
    /// aanbieder" are left out).
    pub weergave: Weergave,
    /// The newcomer's contract; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contract: Option<ContractLink>,
    /// The newcomer referred.
    pub inburgeraar: Deelnemer,
    /// `sub` of the contract's trajectbegeleider; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectbegeleider: Option<String>,
    /// The offer referred to.
    pub aanbod: AanbodLink,
    /// Where the referral stands.
    pub status: DoorverwijzingStatus,
    /// Place on the offer's waiting list (1 = next), with `wachtlijst`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 2)]
    pub wachtlijst_positie: Option<i64>,
    /// Why it was broken off (with `afgebroken`); not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reden_afgebroken: Option<String>,
    /// The trajectbegeleider announces the newcomer to the provider personally.
    pub warme_overdracht: bool,
    /// What the provider should know for the first contact (with `warmeOverdracht`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Amina komt graag samen met haar buurvrouw; spreekt al wat Nederlands.")]
    pub warme_overdracht_notitie: Option<String>,
    /// Who goes along to the first visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub toeleider: Option<Toeleider>,
    /// When the referral was made.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the referral got a place (at once, or when it left the waiting list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaats_toegekend_op: Option<DateTime<Utc>>,
    /// The day the newcomer started (with `gestart` and after).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gestart_op: Option<NaiveDate>,
    /// The day the activity was done (with `afgerond`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub afgerond_op: Option<NaiveDate>,
    /// The day it was broken off (with `afgebroken`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub afgebroken_op: Option<NaiveDate>,
    /// Version; the `ETag` of this document.
    pub versie: i64,
}

/// A referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Doorverwijzing {
    /// This referral's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: DoorverwijzingGegevens,
}

/// A referral in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DoorverwijzingItem {
    /// The referral's URL.
    pub href: String,
    #[serde(flatten)]
    pub gegevens: DoorverwijzingGegevens,
}

/// A status change. Unknown fields are refused.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = DoorverwijzingStatusWijziging)]
pub struct StatusWijziging {
    /// `gestart`, `afgerond` or `afgebroken`; `voorgesteld` and `wachtlijst` are set by the API.
    #[schema(example = "gestart")]
    pub status: DoorverwijzingStatus,
    /// Why: required for `afgebroken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Verhuisd naar een andere regio")]
    pub reden: Option<String>,
    /// The day it happened (default today; not in the future, nor before the referral was
    /// made or, for `afgerond`, before it started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-03-02")]
    pub datum: Option<NaiveDate>,
}

/// Filters of the referral list; repeated parameters are alternatives.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DoorverwijzingenQuery {
    /// Contract id (repeatable).
    #[serde(default)]
    #[param(example = json!([5]))]
    pub contract: Vec<i64>,
    /// Offer id (repeatable); with `status=wachtlijst` this is the offer's waiting list in order.
    #[serde(default)]
    #[param(example = json!([42]))]
    pub aanbod: Vec<i64>,
    /// Status (repeatable: `status=voorgesteld&status=gestart`).
    #[serde(default)]
    #[param(example = json!(["wachtlijst"]))]
    pub status: Vec<DoorverwijzingStatus>,
}

pub fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/doorverwijzingen/{id}"))
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("No referral with id {id}"))
}

/// The referrals a caller sees; 403 for roles that see none.
fn zicht(caller: &Caller) -> ApiResult<repo::Zicht> {
    let z = repo::Zicht {
        alles: caller.is_admin(),
        begeleider: caller.has(Role::Trajectbegeleider).then(|| caller.sub.clone()),
        eigen: caller.has(Role::Inburgeraar).then(|| caller.sub.clone()),
        organisatie: caller.aanbieder_van().map(|o| o.0),
    };
    if z.alles || z.begeleider.is_some() || z.eigen.is_some() || z.organisatie.is_some() {
        Ok(z)
    } else {
        Err(ApiError::missing_permission(
            "Referrals are for admins, trajectbegeleiders, the newcomer and the offer's aanbieder",
        ))
    }
}

/// How the caller relates to one referral: `None` when it does not see it.
fn rol_bij(caller: &Caller, ctx: &Context) -> Option<(Weergave, Option<Wie>)> {
    if caller.is_admin() || (caller.has(Role::Trajectbegeleider) && ctx.trajectbegeleider == caller.sub) {
        return Some((Weergave::Volledig, Some(Wie::Begeleiding)));
    }
    let aanbieder = caller.has(Role::Aanbieder)
        && ctx.aanbod_organisatie.is_some()
        && caller.organisatie.map(|o| o.0) == ctx.aanbod_organisatie;
    let zelf = caller.has(Role::Inburgeraar) && ctx.gebruiker_id.as_deref() == Some(caller.sub.as_str());
    match (zelf, aanbieder) {
        (true, true) => Some((Weergave::Volledig, Some(Wie::Aanbieder))),
        (true, false) => Some((Weergave::Volledig, None)),
        (false, true) => Some((Weergave::Aanbieder, Some(Wie::Aanbieder))),
        (false, false) => None,
    }
}

fn gegevens(
    links: &Links,
    row: DoorverwijzingRow,
    ctx: &Context,
    weergave: Weergave,
) -> ApiResult<DoorverwijzingGegevens> {
    let volledig = weergave == Weergave::Volledig;
    Ok(DoorverwijzingGegevens {
        id: row.id,
        weergave,
        contract: volledig.then(|| ContractLink { href: contract_href(links, row.contract_id), id: row.contract_id }),
        inburgeraar: Deelnemer {
            href: volledig.then(|| inburgeraar_href(links, ctx.inburgeraar_id)),
            id: volledig.then_some(ctx.inburgeraar_id),
            voornaam: ctx.voornaam.clone(),
            achternaam: ctx.achternaam.clone(),
            contacttaal: ctx.contacttaal.clone(),
        },
        trajectbegeleider: volledig.then(|| ctx.trajectbegeleider.clone()),
        aanbod: AanbodLink {
            href: links.href(&format!("/v1/aanbod/{}", row.aanbod_id)),
            id: row.aanbod_id,
            titel: ctx.aanbod_titel.clone(),
        },
        status: row.status()?,
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
    })
}

/// A visible referral with its context and the caller's relation to it; 404 otherwise.
fn laad(
    c: &mut DbConn,
    z: &repo::Zicht,
    caller: &Caller,
    id: i64,
) -> ApiResult<(DoorverwijzingRow, Context, Weergave, Option<Wie>)> {
    let row = repo::find_zichtbaar(c, z, id)?.ok_or_else(|| not_found(id))?;
    let ctx = repo::context(c, std::slice::from_ref(&row))?.remove(&id).ok_or_else(|| not_found(id))?;
    let (weergave, wie) = rol_bij(caller, &ctx).ok_or_else(|| not_found(id))?;
    Ok((row, ctx, weergave, wie))
}

fn respond(
    status: StatusCode,
    links: &Links,
    row: DoorverwijzingRow,
    ctx: &Context,
    w: Weergave,
) -> ApiResult<HttpResponse> {
    let self_link = href(links, row.id);
    let versie = row.versie;
    let doc = Doorverwijzing { self_link: self_link.clone(), gegevens: gegevens(links, row, ctx, w)? };
    let mut res = HttpResponse::build(status);
    with_etag(&mut res, versie);
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, self_link));
    }
    Ok(res.json(doc))
}

fn log(
    c: &mut DbConn,
    actor: &Actor,
    action: Action,
    row: &DoorverwijzingRow,
    details: serde_json::Value,
) -> ApiResult<()> {
    Ok(audit::record(c, actor, action, RESOURCE, &row.id.to_string(), Some(details))?)
}

/// An offer's capacity changed (its managers edited it): places that came free go to the
/// waiting list at once, in the same transaction as the edit.
pub fn capaciteit_gewijzigd(c: &mut DbConn, actor: &Actor, aanbod: i64, capaciteit: Option<i32>) -> ApiResult<()> {
    repo::vergrendel(c, aanbod)?;
    let opvulling = repo::vul_vrije_plaatsen(c, aanbod, capaciteit, crate::db::now())?;
    log_opvulling(c, actor, aanbod, &opvulling)
}

/// Logs what filling free places did: promotions and waiting referrals of ended contracts.
fn log_opvulling(c: &mut DbConn, actor: &Actor, aanbod: i64, o: &Opvulling) -> ApiResult<()> {
    for id in &o.gepromoveerd {
        audit::record(
            c,
            actor,
            Action::Change("plaatsToegekend"),
            RESOURCE,
            &id.to_string(),
            Some(json!({"aanbod": aanbod})),
        )?;
    }
    for id in &o.afgevoerd {
        audit::record(
            c,
            actor,
            Action::Change("afgebroken"),
            RESOURCE,
            &id.to_string(),
            Some(json!({"aanbod": aanbod, "reden": "contractAfgelopen"})),
        )?;
    }
    Ok(())
}

/// The warm handover and companion as stored, checked.
fn detail_velden(b: Begeleiding) -> ApiResult<DetailVelden> {
    let notitie = tekst(b.warme_overdracht_notitie);
    if notitie.is_some() && !b.warme_overdracht {
        return Err(ApiError::invalid(
            InputLocation::Body,
            "warmeOverdrachtNotitie",
            "a note for the provider goes with warmeOverdracht: true",
        ));
    }
    let toeleider = b.toeleider.map(|t| (t.naam.trim().to_string(), tekst(t.contact)));
    Ok(DetailVelden {
        warme_overdracht: b.warme_overdracht,
        warme_overdracht_notitie: notitie,
        toeleider_naam: toeleider.as_ref().map(|t| t.0.clone()),
        toeleider_contact: toeleider.and_then(|t| t.1),
    })
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
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of referrals", body = Collection<DoorverwijzingItem>))
)]
#[get("/doorverwijzingen")]
pub async fn list_doorverwijzingen(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<DoorverwijzingenQuery>,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let z = zicht(&caller)?;
    let ListQuery { filter, page } = query;
    let f = repo::Filter {
        contracten: filter.contract,
        aanbod: filter.aanbod,
        statussen: filter.status.iter().map(|s| s.as_str().to_string()).collect(),
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, contexts, total) = state
        .db
        .write(move |c| {
            let (rows, total) = repo::list(c, &z, &f, offset, limit)?;
            let contexts = repo::context(c, &rows)?;
            for r in &rows {
                log(c, &actor, Action::List, r, json!({"contract": r.contract_id}))?;
            }
            Ok((rows, contexts, total))
        })
        .await?;
    let items = rows
        .into_iter()
        .filter_map(|r| {
            let ctx = contexts.get(&r.id)?;
            let (w, _) = rol_bij(&caller, ctx)?;
            Some((r, ctx, w))
        })
        .map(|(r, ctx, w)| Ok(DoorverwijzingItem { href: href(&links, r.id), gegevens: gegevens(&links, r, ctx, w)? }))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Refer a newcomer to an offer
///
/// By the contract's trajectbegeleider or an admin, for a running contract and a published
/// offer. With a free place (or no `capaciteit`) the referral is `voorgesteld`; when the offer
/// is full it joins the waiting list (`wachtlijst`, with its `wachtlijstPositie`). Whoever
/// waits goes first: a new referral never passes the waiting list.
///
/// Other roles get 403. A contract the caller does not follow or an offer that is not
/// published is a 400 (`referencedResourceNotFound`); a contract that no longer runs, or a
/// referral to the same offer still in progress (`duplicate`, with its `href`), a 409.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "createDoorverwijzing",
    request_body(content = DoorverwijzingInput, description = "The referral", example = json!({
        "contract": 5, "aanbod": 42, "warmeOverdracht": true,
        "warmeOverdrachtNotitie": "Amina komt graag samen met haar buurvrouw.",
        "toeleider": {"naam": "Youssef (brugfiguur)", "contact": "+32 470 98 76 54"}
    })),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe creation")),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Referred (`voorgesteld` or `wachtlijst`)", body = Doorverwijzing,
            headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "The contract no longer runs (`conflict`), or a referral to this offer is already in progress (`duplicate`, with its `href`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/doorverwijzingen")]
pub async fn create_doorverwijzing(ctx: Ctx, body: JsonBody<DoorverwijzingInput>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let contract_zicht = beheerder(&caller)?;
    let DoorverwijzingInput { contract, aanbod, warme_overdracht, warme_overdracht_notitie, toeleider } = body.0;
    let details = detail_velden(Begeleiding { warme_overdracht, warme_overdracht_notitie, toeleider })?;
    let l = links.clone();
    let (row, context) = state
        .db
        .write(move |c| {
            let Some((contract_row, _)) = contracten::find_zichtbaar(c, &contract_zicht, contract)? else {
                return Err(ApiError::bad_request(vec![
                    InputIssue::referenced_not_found(
                        InputLocation::Body,
                        "contract",
                        format!("No contract with id {contract} that you follow"),
                    )
                    .with_value(contract),
                ]));
            };
            if !contract_row.status()?.is_lopend() {
                return Err(ApiError::conflict(format!(
                    "Contract {contract} is {}; only a running contract gets referrals",
                    contract_row.status
                )));
            }
            let aanbod_row = aanbod_repo::find(c, aanbod)?
                .filter(|a| a.status == AanbodStatus::Gepubliceerd.as_str())
                .ok_or_else(|| {
                    ApiError::bad_request(vec![
                        InputIssue::referenced_not_found(
                            InputLocation::Body,
                            "aanbod",
                            format!("No published offer with id {aanbod}"),
                        )
                        .with_value(aanbod),
                    ])
                })?;
            // From here on the offer's referrals are written one at a time.
            repo::vergrendel(c, aanbod)?;
            if let Some(bestaand) = repo::open_van(c, contract, aanbod)? {
                return Err(ApiError::duplicate(
                    format!("Contract {contract} already has a referral in progress to offer {aanbod}"),
                    href(&l, bestaand),
                ));
            }
            let nu = crate::db::now();
            // Whoever waits goes first (a raised capacity is filled from the list).
            let opvulling = repo::vul_vrije_plaatsen(c, aanbod, aanbod_row.capaciteit, nu)?;
            let status = regels::bij_aanmaak(repo::claim(c, aanbod, aanbod_row.capaciteit)?);
            let id = repo::insert(c, contract, aanbod, status, &details, &actor.sub, nu)?;
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            log(c, &actor, Action::Create, &row, json!({"contract": contract, "aanbod": aanbod, "status": status}))?;
            log_opvulling(c, &actor, aanbod, &opvulling)?;
            let ctx = repo::context(c, std::slice::from_ref(&row))?.remove(&id).ok_or_else(|| not_found(id))?;
            Ok((row, ctx))
        })
        .await?;
    respond(StatusCode::CREATED, &links, row, &context, Weergave::Volledig)
}

/// Get a referral
///
/// In full for an admin, the contract's trajectbegeleider and the newcomer; the offer's
/// aanbieder sees the newcomer's name and contact language only. Anyone else: 404.
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "getDoorverwijzing",
    params(("id" = i64, Path, description = "Referral id", example = 9)),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The referral", body = Doorverwijzing, headers(("ETag" = String))))
)]
#[get("/doorverwijzingen/{id}")]
pub async fn get_doorverwijzing(ctx: Ctx, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let z = zicht(&caller)?;
    let id = path.into_inner();
    let (row, context, w) = state
        .db
        .write(move |c| {
            let (row, context, w, _) = laad(c, &z, &caller, id)?;
            log(c, &actor, Action::Read, &row, json!({"contract": row.contract_id}))?;
            Ok((row, context, w))
        })
        .await?;
    respond(StatusCode::OK, &links, row, &context, w)
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
    params(("id" = i64, Path, description = "Referral id", example = 9),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = DoorverwijzingPatch, content_type = "application/merge-patch+json",
        description = "The fields to change", example = json!({"toeleider": {"naam": "Youssef (brugfiguur)"}})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Doorverwijzing, headers(("ETag" = String))),
        (status = 409, description = "The referral is closed (`invalidTransition`), or a concurrent change got in first", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/doorverwijzingen/{id}")]
pub async fn patch_doorverwijzing(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let z = zicht(&caller)?;
    let id = path.into_inner();
    let (row, context) = state
        .db
        .write(move |c| {
            let (row, _, _, wie) = laad(c, &z, &caller, id)?;
            if wie != Some(Wie::Begeleiding) {
                return Err(ApiError::missing_permission(
                    "Only the contract's trajectbegeleider or an admin changes a referral",
                ));
            }
            if_match.check(row.versie)?;
            if row.status()?.is_final() {
                return Err(ApiError::invalid_transition(format!(
                    "Referral {id} is {}: it can no longer change",
                    row.status
                )));
            }
            let huidig = Begeleiding {
                warme_overdracht: row.warme_overdracht,
                warme_overdracht_notitie: row.warme_overdracht_notitie.clone(),
                toeleider: row
                    .toeleider_naam
                    .clone()
                    .map(|naam| Toeleider { naam, contact: row.toeleider_contact.clone() }),
            };
            let nieuw = detail_velden(patch.apply(&huidig)?)?;
            if !repo::zet_details(c, id, row.versie, &nieuw, crate::db::now())? {
                return Err(versie_verschoven(&if_match));
            }
            log(c, &actor, Action::Update, &row, json!({"contract": row.contract_id}))?;
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            let ctx = repo::context(c, std::slice::from_ref(&row))?.remove(&id).ok_or_else(|| not_found(id))?;
            Ok((row, ctx))
        })
        .await?;
    respond(StatusCode::OK, &links, row, &context, Weergave::Volledig)
}

/// A refused transition as its problem.
fn weigering(e: OvergangFout) -> ApiError {
    match e {
        OvergangFout::RedenVereist => ApiError::invalid(InputLocation::Body, "reden", e.to_string()),
        OvergangFout::NietToegestaan(_) => ApiError::missing_permission(e.to_string()),
        OvergangFout::Ongeldig { .. } | OvergangFout::Automatisch(_) => ApiError::invalid_transition(e.to_string()),
    }
}

/// The day of a transition: given or today, never in the future nor before what it follows.
fn datum(gevraagd: Option<NaiveDate>, niet_voor: NaiveDate) -> ApiResult<NaiveDate> {
    let vandaag = vandaag();
    let d = gevraagd.unwrap_or(vandaag);
    if d > vandaag {
        return Err(ApiError::invalid(InputLocation::Body, "datum", "datum lies in the future"));
    }
    if d < niet_voor {
        return Err(ApiError::invalid(InputLocation::Body, "datum", format!("datum lies before {niet_voor}")));
    }
    Ok(d)
}

/// Change a referral's status
///
/// `voorgesteld → gestart → afgerond`, and `afgebroken` (with `reden`) from `voorgesteld`,
/// `wachtlijst` or `gestart`. The offer's aanbieder may only mark `gestart`; the contract's
/// trajectbegeleider and admins make every transition. When a referral that held a place ends
/// (`afgerond`, `afgebroken`), the first on the offer's waiting list gets it (`voorgesteld`) in
/// the same transaction. Marking `gestart` opens the proof-of-participation draft (once the
/// proofs exist).
#[utoipa::path(
    tag = "Doorverwijzingen",
    operation_id = "changeDoorverwijzingStatus",
    params(("id" = i64, Path, description = "Referral id", example = 9),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you judged")),
    request_body(content = StatusWijziging, description = "The new status", example = json!({
        "status": "afgebroken", "reden": "Verhuisd naar een andere regio", "datum": "2026-03-02"
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The referral in its new state", body = Doorverwijzing, headers(("ETag" = String))),
        (status = 409, description = "Not a transition of the state machine, or one only the API makes (`invalidTransition`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/doorverwijzingen/{id}/status")]
pub async fn change_status(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<StatusWijziging>,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let z = zicht(&caller)?;
    let id = path.into_inner();
    let StatusWijziging { status: naar, reden, datum: gevraagd } = body.0;
    let (row, context, w) = state
        .db
        .write(move |c| {
            let (row, _, w, wie) = laad(c, &z, &caller, id)?;
            let wie = wie.ok_or_else(|| {
                ApiError::missing_permission("The newcomer reads their referrals; the trajectbegeleider changes them")
            })?;
            if_match.check(row.versie)?;
            let van = row.status()?;
            let overgang = regels::controleer(van, naar, wie, reden.as_deref()).map_err(weigering)?;
            let niet_voor = match naar {
                DoorverwijzingStatus::Afgerond => row.gestart_op.unwrap_or(row.aangemaakt_op.date()),
                _ => row.aangemaakt_op.date(),
            };
            let dag = datum(gevraagd, niet_voor)?;
            let aanbod = aanbod_repo::find(c, row.aanbod_id)?
                .ok_or_else(|| ApiError::internal("offer of a referral vanished"))?;
            // Every status write on the offer's referrals waits for the offer's lock, so a
            // promotion never races a change of the same waiting referral.
            repo::vergrendel(c, row.aanbod_id)?;
            let nu = crate::db::now();
            let v = StatusVelden {
                status: Some(naar.as_str().to_string()),
                reden_afgebroken: tekst(reden).filter(|_| naar == DoorverwijzingStatus::Afgebroken),
                gestart_op: (naar == DoorverwijzingStatus::Gestart).then_some(dag),
                afgerond_op: (naar == DoorverwijzingStatus::Afgerond).then_some(dag),
                afgebroken_op: (naar == DoorverwijzingStatus::Afgebroken).then_some(dag),
                plaats_toegekend_op: None,
            };
            if !repo::zet_status(c, id, row.versie, &v, nu)? {
                return Err(versie_verschoven(&if_match));
            }
            let opvulling = if overgang.plaats_vrij {
                repo::geef_vrij(c, row.aanbod_id)?;
                repo::vul_vrije_plaatsen(c, row.aanbod_id, aanbod.capaciteit, nu)?
            } else {
                Opvulling::default()
            };
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            // Starting opens the proof the hours go on (or finds the open one, R7).
            if naar == DoorverwijzingStatus::Gestart
                && let Some((bewijs, true)) = crate::repo::deelnamebewijzen::concept_voor_aanbod(
                    c,
                    row.contract_id,
                    row.aanbod_id,
                    &actor.sub,
                    actor.at,
                )?
            {
                let details = json!({"contract": row.contract_id, "doorverwijzing": row.id});
                audit::record(c, &actor, Action::Create, "deelnamebewijs", &bewijs.to_string(), Some(details))?;
            }
            log(c, &actor, Action::Change("status"), &row, json!({"van": van, "naar": naar}))?;
            log_opvulling(c, &actor, row.aanbod_id, &opvulling)?;
            let ctx = repo::context(c, std::slice::from_ref(&row))?.remove(&id).ok_or_else(|| not_found(id))?;
            Ok((row, ctx, w))
        })
        .await?;
    respond(StatusCode::OK, &links, row, &context, w)
}

/// Free places per offer (`None`: no limit), for suggestions and monitoring.
pub fn vrije_plaatsen(c: &mut DbConn, aanbod: &[(i64, Option<i32>)]) -> ApiResult<HashMap<i64, Option<i32>>> {
    let ids: Vec<i64> = aanbod.iter().map(|(id, _)| *id).collect();
    let bezet = repo::bezet(c, &ids)?;
    Ok(aanbod
        .iter()
        .map(|(id, cap)| (*id, regels::vrije_plaatsen(*cap, bezet.get(id).copied().unwrap_or(0))))
        .collect())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_doorverwijzingen)
        .service(create_doorverwijzing)
        .service(get_doorverwijzing)
        .service(patch_doorverwijzing)
        .service(change_status);
}
