//! `/v1/inburgeraars`: newcomers (personal data, R15 and R17), and the municipal list of
//! decree art. 20 §7 (R16) at `/v1/gemeenten/{nisCode}/inburgeraars`.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::app::document::{self, VersionedWrite, found};
use crate::app::toewijzing;
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::inburgeraar::{self as regels, KbiSyncStatus, Persoonsgegevens, Statuut, Voortraject};
use crate::domain::nis::NisCode;
use crate::domain::toegang::personen::{self as beleid, Zicht};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::InburgeraarId;
use crate::openapi::nullable_ref;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::gemeenten;
use crate::repo::inburgeraars::{self as repo, InburgeraarFilter, InburgeraarRow, InburgeraarWaarden};
use crate::routes::toegang::tekst;

pub use crate::repo::inburgeraars::RESOURCE;

/// How to reach a newcomer.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Contact {
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email, length(max = 254))]
    #[schema(example = "amina.haddad@example.be")]
    pub email: Option<String>,
    /// Phone number, preferably international (`+32…`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 6, max = 30))]
    #[schema(example = "+32 470 12 34 56")]
    pub telefoon: Option<String>,
    /// Postal address on one line.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 300))]
    #[schema(example = "Stationsstraat 12, 2440 Geel")]
    pub adres: Option<String>,
}

/// A newcomer as a trajectbegeleider or admin registers or updates them. `PUT` takes the same
/// document: absent optional fields are cleared.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct InburgeraarIn {
    /// The agency's file number; unique, not blank.
    #[validate(length(min = 1, max = 50))]
    #[schema(example = "AGII-2026-004512", min_length = 1, max_length = 50)]
    pub dossiernummer: String,
    /// First name(s); not blank.
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "Amina", min_length = 1, max_length = 100)]
    pub voornaam: String,
    /// Last name; not blank.
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "Haddad", min_length = 1, max_length = 100)]
    pub achternaam: String,
    /// Date of birth (`yyyy-MM-dd`); not in the future.
    #[schema(example = "1994-03-18")]
    pub geboortedatum: NaiveDate,
    /// INSZ (rijksregister- or BIS-number), 11 digits with or without punctuation; checked
    /// (mod 97) and against the birth date; unique. Stored as 11 digits. Absent, `null` or blank:
    /// none recorded.
    #[serde(default)]
    #[schema(example = "94031812371")]
    pub rijksregisternummer: Option<String>,
    /// ISO 639 code of the language to contact the newcomer in.
    #[schema(example = "ar")]
    pub contacttaal: String,
    /// NIS code of the municipality of domicile (a known municipality).
    #[schema(example = "13008")]
    pub gemeente: String,
    /// Whether the integration path is mandatory (R1). A running contract keeps the statuut it
    /// was signed under.
    pub statuut: Statuut,
    /// Whether the newcomer has the status of temporarily protected person (R1b: Ukrainian
    /// refugees). With it, `statuut` must be `rechthebbend`. Absent: `false`.
    #[serde(default)]
    pub tijdelijke_bescherming: bool,
    /// Since when the temporary protection applies (`yyyy-MM-dd`, not in the future); required
    /// with `tijdelijkeBescherming: true`, refused without it.
    #[serde(default)]
    #[schema(example = "2022-03-15")]
    pub tijdelijke_bescherming_sinds: Option<NaiveDate>,
    /// The voortrajecten inburgering the newcomer followed (R1b), for temporarily protected
    /// newcomers only. A voortraject is not a contract: it holds no PNT and no hours; a contract
    /// can still be signed later. Absent: none (on `PUT`: cleared).
    #[serde(default)]
    pub voortrajecten: Vec<Voortraject>,
    #[serde(default)]
    #[validate(nested)]
    #[schema(schema_with = contact_in)]
    pub contact: Option<Contact>,
    /// The `sub` the newcomer logs in with, so they can read their own record; unique.
    #[serde(default)]
    #[validate(length(min = 1, max = 255))]
    #[schema(example = "burger-7f3a9c")]
    pub gebruiker_id: Option<String>,
    /// The `sub` of the trajectbegeleider whose caseload the newcomer is in. Defaults to the
    /// calling trajectbegeleider; an admin must name one. Changing it later is for an admin or
    /// the current trajectbegeleider, and moves the running contract along.
    #[serde(default)]
    #[validate(length(min = 1, max = 255))]
    #[schema(example = "tb-1")]
    pub trajectbegeleider: Option<String>,
    /// Read-only here (R17): ignored, so a document read and sent back is accepted. It becomes
    /// `teSynchroniseren` whenever the rijksregisternummer is set or changed (`nietVanToepassing`
    /// without one), else stays; only the KBI synchronisation (role `kbiSync`) sets it, with
    /// `PUT /v1/inburgeraars/{id}/kbiSyncStatus`.
    #[serde(default)]
    #[schema(schema_with = kbi_sync_status_in)]
    pub kbi_sync_status: Option<KbiSyncStatus>,
}

fn contact_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Contact>("How to reach the newcomer. Absent or `null`: none recorded (on `PUT`: cleared).")
}

fn kbi_sync_status_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<KbiSyncStatus>(
        "Read-only here: ignored (R17). It becomes `teSynchroniseren` whenever the rijksregisternummer is set or \
         changed (`nietVanToepassing` without one), else stays; only the KBI synchronisation (role `kbiSync`) sets \
         it, with `PUT /v1/inburgeraars/{id}/kbiSyncStatus`.",
    )
}

/// A newcomer's record.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InburgeraarGegevens {
    /// Id of the newcomer.
    #[schema(example = 17)]
    pub id: i64,
    /// The agency's file number.
    #[schema(example = "AGII-2026-004512")]
    pub dossiernummer: String,
    /// First name(s).
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
    /// Date of birth.
    #[schema(example = "1994-03-18")]
    pub geboortedatum: NaiveDate,
    /// Whole for admins, the newcomer's trajectbegeleider and the newcomer; masked
    /// (`*******2371`) for a trajectbegeleider who sees the record only through an earlier
    /// contract. Absent when none is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "94031812371")]
    pub rijksregisternummer: Option<String>,
    /// ISO 639 code of the language to contact the newcomer in.
    #[schema(example = "ar")]
    pub contacttaal: String,
    /// NIS code of the municipality of domicile.
    #[schema(example = "13008")]
    pub gemeente: String,
    /// Whether the integration path is mandatory (R1).
    pub statuut: Statuut,
    /// Whether the newcomer is a temporarily protected person (R1b); then `statuut` is
    /// `rechthebbend`.
    pub tijdelijke_bescherming: bool,
    /// Since when the temporary protection applies; absent without it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2022-03-15")]
    pub tijdelijke_bescherming_sinds: Option<NaiveDate>,
    /// The voortrajecten inburgering the newcomer followed (R1b); no contracts, no PNT, no hours.
    pub voortrajecten: Vec<Voortraject>,
    /// How to reach the newcomer; absent when nothing is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contact: Option<Contact>,
    /// The `sub` the newcomer logs in with; absent when none is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "burger-7f3a9c")]
    pub gebruiker_id: Option<String>,
    /// Where the record stands with the central registry (R17).
    pub kbi_sync_status: KbiSyncStatus,
    /// The `sub` of the trajectbegeleider whose caseload the newcomer is in.
    #[schema(example = "tb-1")]
    pub trajectbegeleider: String,
    /// The newcomer's contracts (a filtered contract list).
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten?inburgeraar=17")]
    pub contracten: String,
    /// When the record was created.
    pub aangemaakt_op: DateTime<Utc>,
    /// When it last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// A newcomer (document).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Inburgeraar {
    /// This newcomer's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: InburgeraarGegevens,
}

/// A newcomer in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InburgeraarItem {
    /// The newcomer's address.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub href: String,
    #[serde(flatten)]
    pub gegevens: InburgeraarGegevens,
}

pub fn inburgeraar_href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/inburgeraars/{id}"))
}

pub(crate) fn gegevens(links: &Links, zicht: &Zicht, r: InburgeraarRow) -> InburgeraarGegevens {
    let weergave = zicht.insz_weergave(&r.trajectbegeleider, r.gebruiker_id.as_deref());
    let contact = Contact { email: r.email, telefoon: r.telefoon, adres: r.adres };
    InburgeraarGegevens {
        contracten: links.href(&format!("/v1/inburgeringscontracten?inburgeraar={}", r.id)),
        id: r.id,
        dossiernummer: r.dossiernummer,
        voornaam: r.voornaam,
        achternaam: r.achternaam,
        geboortedatum: r.geboortedatum,
        rijksregisternummer: r.rijksregisternummer.map(|s| weergave.toon(s.as_str())),
        contacttaal: r.contacttaal,
        gemeente: r.gemeente.to_string(),
        statuut: r.statuut,
        tijdelijke_bescherming: r.tijdelijke_bescherming_sinds.is_some(),
        tijdelijke_bescherming_sinds: r.tijdelijke_bescherming_sinds,
        voortrajecten: r.voortrajecten.0,
        contact: (contact != Contact::default()).then_some(contact),
        gebruiker_id: r.gebruiker_id,
        kbi_sync_status: r.kbi_sync_status,
        trajectbegeleider: r.trajectbegeleider,
        aangemaakt_op: r.aangemaakt_op.and_utc(),
        gewijzigd_op: r.gewijzigd_op.and_utc(),
    }
}

/// The flow of every operation on one newcomer: `f` reads or writes in one transaction, with
/// the caller's view and the audit log's actor, and gives the newcomer; the answer is their
/// document with its `ETag` (and `Location` when `status` is `201`).
async fn respond_with(
    ctx: Ctx,
    zicht: Zicht,
    status: StatusCode,
    f: impl FnOnce(&mut DbConn, &Zicht, &Actor) -> ApiResult<InburgeraarRow> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let (actor, z) = (ctx.actor(), zicht.clone());
    let r = ctx.state.db.write(move |c| f(c, &z, &actor)).await?;
    let (self_link, versie) = (inburgeraar_href(&ctx.links, r.id), r.versie);
    let doc = Inburgeraar { self_link: self_link.clone(), gegevens: gegevens(&ctx.links, &zicht, r) };
    Ok(document::respond(status, &self_link, versie, doc))
}

/// The request's values as stored, checked (`regels::check_persoonsgegevens`), except who the
/// trajectbegeleider is and the KBI status: those depend on the stored record and are filled
/// in by the caller, who also gets the KBI status the request asks for.
fn invoer(body: InburgeraarIn, vandaag: NaiveDate) -> ApiResult<(InburgeraarWaarden, Option<KbiSyncStatus>)> {
    let contact = body.contact.unwrap_or_default();
    let rijksregisternummer = tekst(body.rijksregisternummer);
    let (insz, gemeente) = regels::check_persoonsgegevens(
        &Persoonsgegevens {
            rijksregisternummer: rijksregisternummer.as_deref(),
            geboortedatum: body.geboortedatum,
            contacttaal: &body.contacttaal,
            gemeente: &body.gemeente,
            dossiernummer: &body.dossiernummer,
            voornaam: &body.voornaam,
            achternaam: &body.achternaam,
            telefoon: contact.telefoon.as_deref(),
        },
        vandaag,
    )
    .map_err(ApiError::regelfouten)?;
    let fouten = regels::check_bescherming(
        body.statuut,
        body.tijdelijke_bescherming,
        body.tijdelijke_bescherming_sinds,
        &body.voortrajecten,
        vandaag,
    );
    if !fouten.is_empty() {
        return Err(ApiError::regelfouten(fouten));
    }
    let waarden = InburgeraarWaarden {
        dossiernummer: body.dossiernummer.trim().to_string(),
        voornaam: body.voornaam.trim().to_string(),
        achternaam: body.achternaam.trim().to_string(),
        geboortedatum: body.geboortedatum,
        rijksregisternummer: insz,
        contacttaal: body.contacttaal,
        gemeente,
        statuut: body.statuut,
        email: tekst(contact.email),
        telefoon: tekst(contact.telefoon),
        adres: tekst(contact.adres),
        gebruiker_id: tekst(body.gebruiker_id),
        kbi_sync_status: KbiSyncStatus::NietVanToepassing,
        trajectbegeleider: String::new(),
        tijdelijke_bescherming_sinds: body.tijdelijke_bescherming_sinds,
        voortrajecten: serde_json::to_string(&body.voortrajecten).map_err(|e| ApiError::internal(e.to_string()))?,
    };
    Ok((waarden, body.kbi_sync_status))
}

/// The references and unique fields a stored newcomer must respect: a known municipality,
/// and no other newcomer with the same dossiernummer, INSZ or login (409 with its `href`).
fn check_opslag(c: &mut DbConn, links: &Links, w: &InburgeraarWaarden, behalve: Option<i64>) -> ApiResult<()> {
    if gemeenten::existing(c, &[w.gemeente.to_string()])?.is_empty() {
        return Err(ApiError::bad_request(vec![InputIssue::referenced_not_found(
            InputLocation::Body,
            "gemeente",
            format!("No municipality with NIS code {}", w.gemeente),
        )]));
    }
    if let Some((veld, id)) = repo::duplicaat(c, w, behalve)? {
        return Err(ApiError::duplicate(format!("Another newcomer has the same {veld}"), inburgeraar_href(links, id)));
    }
    Ok(())
}

/// Audit-logs newcomers as read (`Action::Read`) or listed (`Action::List`), with `details`.
fn log_read<'a>(
    c: &mut DbConn,
    actor: &Actor,
    action: Action,
    ids: impl IntoIterator<Item = &'a i64>,
    details: Option<serde_json::Value>,
) -> ApiResult<()> {
    for id in ids {
        audit::record(c, actor, action, RESOURCE, &id.to_string(), details.clone())?;
    }
    Ok(())
}

/// The example of a newcomer's record, as `POST` and `PUT` take it.
fn voorbeeld() -> serde_json::Value {
    json!({
        "dossiernummer": "AGII-2026-004512",
        "voornaam": "Amina",
        "achternaam": "Haddad",
        "geboortedatum": "1994-03-18",
        "rijksregisternummer": "94031812371",
        "contacttaal": "ar",
        "gemeente": "13008",
        "statuut": "verplicht",
        "contact": { "email": "amina.haddad@example.be", "telefoon": "+32 470 12 34 56", "adres": "Stationsstraat 12, 2440 Geel" },
        "gebruikerId": "burger-7f3a9c",
        "trajectbegeleider": "tb-1"
    })
}

/// Register a newcomer
///
/// For a trajectbegeleider (in their own caseload: naming another one is `403`) and admins (who
/// must name the trajectbegeleider). The rijksregisternummer is optional, checked (mod 97 and
/// against the birth date, R17) and unique, like `dossiernummer` and `gebruikerId` (`409`
/// `duplicate`). Every faulty field is a `badRequest` issue: INSZ, birth date in the future,
/// unknown language or municipality, blank names, phone number. The creation is logged.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "createInburgeraar",
    request_body(content = InburgeraarIn, description = "The newcomer. A trajectbegeleider leaves out `trajectbegeleider` \
        or names themself; an admin must name one.", example = json!(voorbeeld())),
    responses(
        (status = 201, description = "Registered", body = Inburgeraar,
            headers(("Location" = String, description = "The new newcomer"), ("ETag" = String))),
        (status = 409, description = "A newcomer with this dossiernummer, rijksregisternummer or gebruikerId exists (`duplicate`, with its `href`)",
            body = Problem),
    )
)]
#[post("/inburgeraars")]
pub async fn create_inburgeraar(ctx: Ctx, body: JsonBody<InburgeraarIn>) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let Some(tb) = zicht.namens(tekst(body.0.trajectbegeleider.clone()))? else {
        return Err(ApiError::invalid(
            InputLocation::Body,
            "trajectbegeleider",
            "trajectbegeleider is required when an admin registers a newcomer",
        ));
    };
    // kbiSyncStatus in the body is read-only (R17): only the KBI synchronisation sets it.
    let (mut waarden, _) = invoer(body.0, ctx.today())?;
    waarden.trajectbegeleider = tb;
    waarden.kbi_sync_status = KbiSyncStatus::na_insz_wijziging(waarden.rijksregisternummer.is_some());
    let links = ctx.links.clone();
    respond_with(ctx, zicht, StatusCode::CREATED, move |c, _, actor| {
        check_opslag(c, &links, &waarden, None)?;
        let row = repo::insert(c, &waarden, actor.at)?;
        document::created(c, actor, RESOURCE, row.id, None)?;
        Ok(row)
    })
    .await
}

/// Get a newcomer
///
/// For admins, the newcomer's trajectbegeleider (or one with a contract of theirs, who sees the
/// rijksregisternummer masked) and the newcomer themself (`gebruikerId`). Anyone else's
/// newcomer is `404`. Every read is logged.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "getInburgeraar",
    params(InburgeraarId),
    responses((status = 200, description = "The newcomer", body = Inburgeraar, headers(("ETag" = String))))
)]
#[get("/inburgeraars/{id}")]
pub async fn get_inburgeraar(ctx: Ctx, id: InburgeraarId) -> ApiResult<HttpResponse> {
    let (zicht, id) = (Zicht::lezer(&ctx.caller)?, id.0);
    respond_with(ctx, zicht, StatusCode::OK, move |c, zicht, actor| {
        let row = found(id, repo::find_visible(c, zicht, id)?)?;
        log_read(c, actor, Action::Read, [&row.id], None)?;
        Ok(row)
    })
    .await
}

/// Update a newcomer
///
/// Replaces the record (send every field; absent optional ones are cleared, except
/// `trajectbegeleider` and `kbiSyncStatus`, see the body). Honours `If-Match`. Only an admin
/// or the newcomer's trajectbegeleider updates it (`403` for a trajectbegeleider who sees the
/// newcomer only through an earlier contract; `404` for one who does not see them). Changing
/// `trajectbegeleider` moves the newcomer and their running contract to that caseload. The
/// running contract keeps the `statuut` it was signed under. The names of the changed fields
/// are logged, never their values.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "updateInburgeraar",
    params(InburgeraarId, IfMatch),
    request_body(content = InburgeraarIn, description = "The whole record: absent optional fields are cleared, \
        except `trajectbegeleider` (then unchanged) and `kbiSyncStatus` (then unchanged unless the \
        rijksregisternummer changes).", example = json!(voorbeeld())),
    responses(
        (status = 200, description = "Updated", body = Inburgeraar, headers(("ETag" = String))),
        (status = 409, description = "Another newcomer has this dossiernummer, rijksregisternummer or gebruikerId (`duplicate`, with its `href`)",
            body = Problem),
    )
)]
#[put("/inburgeraars/{id}")]
pub async fn update_inburgeraar(
    ctx: Ctx,
    if_match: IfMatch,
    id: InburgeraarId,
    body: JsonBody<InburgeraarIn>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let id = id.0;
    let gevraagde_tb = tekst(body.0.trajectbegeleider.clone());
    // kbiSyncStatus in the body is read-only (R17): only the KBI synchronisation sets it.
    let (mut waarden, _) = invoer(body.0, ctx.today())?;
    let links = ctx.links.clone();
    respond_with(ctx, zicht, StatusCode::OK, move |c, zicht, actor| {
        let oud = found(id, repo::find_visible(c, zicht, id)?)?;
        zicht.beheren(&oud.trajectbegeleider, "newcomer's trajectbegeleider updates the record")?;
        waarden.trajectbegeleider = gevraagde_tb.unwrap_or_else(|| oud.trajectbegeleider.clone());
        waarden.kbi_sync_status = if waarden.rijksregisternummer != oud.rijksregisternummer {
            KbiSyncStatus::na_insz_wijziging(waarden.rijksregisternummer.is_some())
        } else {
            oud.kbi_sync_status
        };
        let details = json!({ "velden": gewijzigde_velden(&oud, &waarden) });
        let mut nieuw = None;
        VersionedWrite { actor, if_match: &if_match }.write(c, &oud, Action::Update, Some(details), |c, versie| {
            check_opslag(c, &links, &waarden, Some(id))?;
            nieuw = repo::update(c, id, versie, &waarden, actor.at)?;
            Ok(nieuw.is_some())
        })?;
        let nieuw = nieuw.ok_or_else(document::lost_race)?;
        if nieuw.trajectbegeleider != oud.trajectbegeleider {
            toewijzing::inburgeraar_verplaatst(c, actor, &nieuw)?;
        }
        Ok(nieuw)
    })
    .await
}

/// The KBI synchronisation's write: only the sync status.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct KbiSyncStatusIn {
    /// The outcome of the synchronisation with the KBI.
    pub kbi_sync_status: KbiSyncStatus,
}

/// Set a newcomer's KBI sync status
///
/// Only for the KBI synchronisation (role `kbiSync`, R17), which may set this one field and
/// nothing else; it reads no personal data here. Honours `If-Match`. The change is logged.
/// Everyone else sees the field as read-only: `POST` and `PUT` of the newcomer ignore it, and a
/// changed rijksregisternummer resets it to `teSynchroniseren`.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "setKbiSyncStatus",
    params(InburgeraarId, IfMatch),
    request_body(content = KbiSyncStatusIn, example = json!({"kbiSyncStatus": "gesynchroniseerd"})),
    responses((status = 204, description = "Set; the `ETag` is the newcomer's new version", headers(("ETag" = String))))
)]
#[put("/inburgeraars/{id}/kbiSyncStatus")]
pub async fn set_kbi_sync_status(
    ctx: Ctx,
    if_match: IfMatch,
    id: InburgeraarId,
    body: JsonBody<KbiSyncStatusIn>,
) -> ApiResult<HttpResponse> {
    let recht = beleid::kbi_sync(&ctx.caller)?;
    let (id, status) = (id.0, body.0.kbi_sync_status);
    let actor = ctx.actor();
    let versie = ctx
        .state
        .db
        .write(move |c| {
            let oud = found(id, repo::find_voor_kbi_sync(c, &recht, id)?)?;
            let details = json!({ "kbiSyncStatus": status });
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &oud,
                Action::Change("kbiSyncStatus"),
                Some(details),
                |c, versie| Ok(repo::set_kbi_sync_status(c, id, versie, status, actor.at)?),
            )?;
            Ok(oud.versie + 1)
        })
        .await?;
    let mut res = HttpResponse::NoContent();
    with_etag(&mut res, versie);
    Ok(res.finish())
}

/// Names of the fields an update changed (for the audit log: names, never values).
fn gewijzigde_velden(oud: &InburgeraarRow, nieuw: &InburgeraarWaarden) -> Vec<&'static str> {
    let mut velden = Vec::new();
    let mut cmp = |naam: &'static str, gelijk: bool| {
        if !gelijk {
            velden.push(naam);
        }
    };
    cmp("dossiernummer", oud.dossiernummer == nieuw.dossiernummer);
    cmp("voornaam", oud.voornaam == nieuw.voornaam);
    cmp("achternaam", oud.achternaam == nieuw.achternaam);
    cmp("geboortedatum", oud.geboortedatum == nieuw.geboortedatum);
    cmp("rijksregisternummer", oud.rijksregisternummer == nieuw.rijksregisternummer);
    cmp("contacttaal", oud.contacttaal == nieuw.contacttaal);
    cmp("gemeente", oud.gemeente == nieuw.gemeente);
    cmp("statuut", oud.statuut == nieuw.statuut);
    cmp("tijdelijkeBescherming", oud.tijdelijke_bescherming_sinds == nieuw.tijdelijke_bescherming_sinds);
    cmp("voortrajecten", serde_json::to_string(&oud.voortrajecten.0).is_ok_and(|s| s == nieuw.voortrajecten));
    cmp("contact", oud.email == nieuw.email && oud.telefoon == nieuw.telefoon && oud.adres == nieuw.adres);
    cmp("gebruikerId", oud.gebruiker_id == nieuw.gebruiker_id);
    cmp("kbiSyncStatus", oud.kbi_sync_status == nieuw.kbi_sync_status);
    cmp("trajectbegeleider", oud.trajectbegeleider == nieuw.trajectbegeleider);
    velden
}

/// Filters of the newcomer list; repeated parameters are alternatives (OR).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct InburgeraarsQuery {
    /// `sub` of a trajectbegeleider, or `me` (repeatable).
    #[serde(default)]
    #[param(example = json!(["me"]))]
    pub trajectbegeleider: Vec<String>,
    /// NIS code of the municipality of domicile (repeatable).
    #[serde(default)]
    #[param(example = json!(["13008"]))]
    pub gemeente: Vec<String>,
    /// Only newcomers with this statuut: `verplicht` or `rechthebbend`.
    #[param(example = "verplicht")]
    pub statuut: Option<Statuut>,
    /// KBI sync status (repeatable), e.g. for the sync job.
    #[serde(default)]
    pub kbi_sync_status: Vec<KbiSyncStatus>,
    /// Exact file number (repeatable).
    #[serde(default)]
    #[param(example = json!(["AGII-2026-004512"]))]
    pub dossiernummer: Vec<String>,
}

/// Resolves `me` in a list of trajectbegeleider filters.
pub fn met_me(waarden: Vec<String>, caller: &Caller) -> Vec<String> {
    waarden.into_iter().map(|t| if t == "me" { caller.sub.clone() } else { t }).collect()
}

/// List newcomers
///
/// For admins (all newcomers) and trajectbegeleiders (their caseload and the newcomers of their
/// contracts), by name; other roles get `403`. Repeated parameters are alternatives, different
/// ones combine. Every listed record is logged as read.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "listInburgeraars",
    params(InburgeraarsQuery, PageParams),
    responses((status = 200, description = "A page of newcomers", body = Collection<InburgeraarItem>))
)]
#[get("/inburgeraars")]
pub async fn list_inburgeraars(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<InburgeraarsQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = Zicht::beheerder(&ctx.caller)?;
    let ListQuery { filter, page } = query;
    let f = InburgeraarFilter {
        trajectbegeleiders: met_me(filter.trajectbegeleider, &ctx.caller),
        gemeenten: filter.gemeente,
        statuut: filter.statuut,
        kbi_sync_statussen: filter.kbi_sync_status,
        dossiernummers: filter.dossiernummer,
    };
    let (offset, limit, actor, z) = (page.offset(), page.limit(), ctx.actor(), zicht.clone());
    let (rows, total) = ctx
        .state
        .db
        .write(move |c| {
            let (rows, total) = repo::list(c, &z, &f, offset, limit)?;
            log_read(c, &actor, Action::List, rows.iter().map(|r| &r.id), None)?;
            Ok((rows, total))
        })
        .await?;
    let links = &ctx.links;
    let items = rows
        .into_iter()
        .map(|r| InburgeraarItem { href: inburgeraar_href(links, r.id), gegevens: gegevens(links, &zicht, r) })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, links, &page, items, total)))
}

/// One resident on the municipal list (R16): exactly the fields decree art. 20 §7 allows.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeentelijstItem {
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
    /// First name(s).
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// The rijksregisternummer (INSZ), 11 digits; absent when none is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "94031812371")]
    pub rijksregisternummer: Option<String>,
    /// Whether an inburgeringscontract exists (in any status).
    pub heeft_contract: bool,
    /// Whether the inburgeringsattest was obtained.
    pub attest_behaald: bool,
}

/// List a municipality's newcomers (decree art. 20 §7)
///
/// For a lokaal bestuur of this municipality (claim `gemeenten`) and admins: the residents
/// registered as newcomers, by name, with name, first name, rijksregisternummer, whether a
/// contract exists and whether the attest was obtained — nothing more (R16). Every listed
/// record is logged as read.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "listGemeenteInburgeraars",
    params(("nisCode" = String, Path, description = "NIS code of the municipality", example = "13008"), PageParams),
    responses((status = 200, description = "A page of residents", body = Collection<GemeentelijstItem>))
)]
#[get("/gemeenten/{nisCode}/inburgeraars")]
pub async fn list_gemeente_inburgeraars(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<String>,
    query: ListQuery<GemeentelijstQuery>,
) -> ApiResult<HttpResponse> {
    let nis = NisCode::parse(&path).map_err(|e| ApiError::invalid(InputLocation::Path, "nisCode", e))?;
    beleid::mag_gemeentelijst_lezen(&ctx.caller, &nis)?;
    let page = query.page;
    let (offset, limit, actor) = (page.offset(), page.limit(), ctx.actor());
    let (regels, total) = ctx
        .state
        .db
        .write(move |c| {
            if gemeenten::find(c, nis.as_str())?.is_none() {
                return Err(ApiError::not_found(format!("No municipality with NIS code {nis}")));
            }
            let (regels, total) = repo::gemeentelijst(c, &nis, offset, limit)?;
            let details = json!({ "gemeentelijst": nis.as_str() });
            log_read(c, &actor, Action::List, regels.iter().map(|r| &r.id), Some(details))?;
            Ok((regels, total))
        })
        .await?;
    let items = regels
        .into_iter()
        .map(|r| GemeentelijstItem {
            achternaam: r.achternaam,
            voornaam: r.voornaam,
            rijksregisternummer: r.rijksregisternummer.map(|i| i.as_str().to_string()),
            heeft_contract: r.heeft_contract,
            attest_behaald: r.attest_behaald,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

/// The municipal list takes paging only.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct GemeentelijstQuery {}
pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_inburgeraars)
        .service(create_inburgeraar)
        .service(get_inburgeraar)
        .service(update_inburgeraar)
        .service(set_kbi_sync_status)
        .service(list_gemeente_inburgeraars);
}
