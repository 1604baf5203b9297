//! `/v1/inburgeraars`: newcomers (personal data, R15 and R17), and the municipal list of
//! decree art. 20 §7 (R16) at `/v1/gemeenten/{nisCode}/inburgeraars`.

use actix_web::{HttpRequest, HttpResponse, get, http::header, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::json;
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::db::DbConn;
use crate::domain::ids::Insz;
use crate::domain::inburgeraar::{self as regels, KbiSyncStatus, Statuut};
use crate::domain::nis::NisCode;
use crate::domain::toegang::{InszWeergave, Zicht};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::conventions::TraceId;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::openapi::nullable_ref;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::inburgeraars::{self as repo, InburgeraarFilter, InburgeraarRow, InburgeraarWaarden};
use crate::repo::{contracten, gemeenten};
use crate::routes::toegang::{beheerder, nu, tekst, vandaag, versie_verschoven, zicht};
use crate::state::AppState;

/// The audit log's resource type for newcomers.
pub const RESOURCE: &str = "inburgeraar";

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
    /// Set by the KBI sync job. Left out, it becomes `teSynchroniseren` whenever the
    /// rijksregisternummer is set or changed (`nietVanToepassing` without one), else stays.
    #[serde(default)]
    #[schema(schema_with = kbi_sync_status_in)]
    pub kbi_sync_status: Option<KbiSyncStatus>,
}

fn contact_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Contact>("How to reach the newcomer. Absent or `null`: none recorded (on `PUT`: cleared).")
}

fn kbi_sync_status_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<KbiSyncStatus>(
        "Set by the KBI sync job. Absent or `null`: it becomes `teSynchroniseren` whenever the rijksregisternummer \
         is set or changed (`nietVanToepassing` without one), else stays.",
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

fn gegevens(links: &Links, zicht: &Zicht, r: InburgeraarRow) -> ApiResult<InburgeraarGegevens> {
    let rijksregisternummer = r.rijksregisternummer.as_deref().map(|s| {
        match zicht.insz_weergave(&r.trajectbegeleider, r.gebruiker_id.as_deref()) {
            InszWeergave::Volledig => s.to_string(),
            InszWeergave::Gemaskeerd => Insz::parse(s).map(|i| i.masked()).unwrap_or_else(|_| "***********".into()),
        }
    });
    let contact = Contact { email: r.email, telefoon: r.telefoon, adres: r.adres };
    Ok(InburgeraarGegevens {
        contracten: links.href(&format!("/v1/inburgeringscontracten?inburgeraar={}", r.id)),
        id: r.id,
        dossiernummer: r.dossiernummer,
        voornaam: r.voornaam,
        achternaam: r.achternaam,
        geboortedatum: r.geboortedatum,
        rijksregisternummer,
        contacttaal: r.contacttaal,
        gemeente: r.gemeente,
        statuut: Statuut::parse(&r.statuut).ok_or_else(|| ApiError::internal(format!("statuut {}", r.statuut)))?,
        contact: (contact != Contact::default()).then_some(contact),
        gebruiker_id: r.gebruiker_id,
        kbi_sync_status: KbiSyncStatus::parse(&r.kbi_sync_status)
            .ok_or_else(|| ApiError::internal(format!("kbi_sync_status {}", r.kbi_sync_status)))?,
        trajectbegeleider: r.trajectbegeleider,
        aangemaakt_op: r.aangemaakt_op.and_utc(),
        gewijzigd_op: r.gewijzigd_op.and_utc(),
    })
}

fn document(links: &Links, zicht: &Zicht, r: InburgeraarRow) -> ApiResult<HttpResponse> {
    let versie = r.versie;
    let doc = Inburgeraar { self_link: inburgeraar_href(links, r.id), gegevens: gegevens(links, zicht, r)? };
    Ok(with_etag(&mut HttpResponse::Ok(), versie).json(doc))
}

/// The checked, normalised values of a request, except who the trajectbegeleider is and the
/// KBI status (those depend on the stored record).
struct Invoer {
    waarden: InburgeraarWaarden,
    kbi_sync_status: Option<KbiSyncStatus>,
}

/// Checks what the `validator` rules cannot: INSZ, birth date, language, NIS code, blank names.
fn invoer(body: InburgeraarIn, trajectbegeleider: String) -> ApiResult<Invoer> {
    let mut issues = Vec::new();
    let mut fout = |name: &str, detail: String| issues.push(InputIssue::invalid(InputLocation::Body, name, detail));
    let rrn = match tekst(body.rijksregisternummer) {
        Some(s) => match Insz::parse(&s) {
            Ok(insz) => {
                if let Err(e) = regels::check_insz_geboortedatum(&insz, body.geboortedatum) {
                    fout("rijksregisternummer", e);
                }
                Some(insz.as_str().to_string())
            }
            Err(e) => {
                fout("rijksregisternummer", e);
                None
            }
        },
        None => None,
    };
    if let Err(e) = regels::check_geboortedatum(body.geboortedatum, vandaag()) {
        fout("geboortedatum", e);
    }
    if let Err(e) = regels::check_taalcode(&body.contacttaal) {
        fout("contacttaal", e);
    }
    if let Err(e) = NisCode::parse(&body.gemeente) {
        fout("gemeente", e);
    }
    for (name, value) in
        [("dossiernummer", &body.dossiernummer), ("voornaam", &body.voornaam), ("achternaam", &body.achternaam)]
    {
        if value.trim().is_empty() {
            fout(name, format!("{name} must not be blank"));
        }
    }
    let contact = body.contact.unwrap_or_default();
    if let Some(t) = &contact.telefoon
        && !t.chars().all(|c| c.is_ascii_digit() || " +/.-()".contains(c))
    {
        fout("contact.telefoon", "telefoon holds digits, spaces and + / . - ( ) only".into());
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    Ok(Invoer {
        waarden: InburgeraarWaarden {
            dossiernummer: body.dossiernummer.trim().to_string(),
            voornaam: body.voornaam.trim().to_string(),
            achternaam: body.achternaam.trim().to_string(),
            geboortedatum: body.geboortedatum,
            rijksregisternummer: rrn,
            contacttaal: body.contacttaal,
            gemeente: body.gemeente.trim().to_string(),
            statuut: body.statuut.as_str().to_string(),
            email: tekst(contact.email),
            telefoon: tekst(contact.telefoon),
            adres: tekst(contact.adres),
            gebruiker_id: tekst(body.gebruiker_id),
            // Filled in by the caller of `invoer`.
            kbi_sync_status: String::new(),
            trajectbegeleider,
        },
        kbi_sync_status: body.kbi_sync_status,
    })
}

/// The references and unique fields a stored newcomer must respect: a known municipality,
/// and no other newcomer with the same dossiernummer, INSZ or login (409 with its `href`).
fn check_opslag(c: &mut DbConn, links: &Links, w: &InburgeraarWaarden, behalve: Option<i64>) -> ApiResult<()> {
    if gemeenten::existing(c, std::slice::from_ref(&w.gemeente))?.is_empty() {
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
        or names themself; an admin must name one.", example = json!({
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
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Registered", body = Inburgeraar,
            headers(("Location" = String, description = "The new newcomer"), ("ETag" = String))),
        (status = 409, description = "A newcomer with this dossiernummer, rijksregisternummer or gebruikerId exists (`duplicate`, with its `href`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/inburgeraars")]
pub async fn create_inburgeraar(
    state: web::Data<AppState>,
    links: Links,
    caller: Caller,
    trace: TraceId,
    body: JsonBody<InburgeraarIn>,
) -> ApiResult<HttpResponse> {
    let zicht = beheerder(&caller)?;
    let tb = match (tekst(body.0.trajectbegeleider.clone()), &zicht.caseload) {
        (Some(tb), _) if zicht.alles => tb,
        (Some(tb), Some(eigen)) if &tb == eigen => tb,
        (None, Some(eigen)) if !zicht.alles => eigen.clone(),
        (Some(_), _) => {
            return Err(ApiError::missing_permission("A trajectbegeleider registers newcomers in their own caseload"));
        }
        (None, _) => {
            return Err(ApiError::invalid(
                InputLocation::Body,
                "trajectbegeleider",
                "trajectbegeleider is required when an admin registers a newcomer",
            ));
        }
    };
    let Invoer { mut waarden, kbi_sync_status } = invoer(body.0, tb)?;
    waarden.kbi_sync_status = kbi_sync_status
        .unwrap_or_else(|| KbiSyncStatus::na_insz_wijziging(waarden.rijksregisternummer.is_some()))
        .as_str()
        .to_string();
    let actor = Actor::new(&caller, &trace, state.clock.now());
    let l = links.clone();
    let row = state
        .db
        .write(move |c| {
            check_opslag(c, &l, &waarden, None)?;
            let id = repo::insert(c, &waarden, nu())?;
            audit::record(c, &actor, Action::Create, RESOURCE, &id.to_string(), None)?;
            repo::find(c, id)?.ok_or_else(|| ApiError::internal("inserted newcomer vanished"))
        })
        .await?;
    let location = inburgeraar_href(&links, row.id);
    let versie = row.versie;
    let doc = Inburgeraar { self_link: location.clone(), gegevens: gegevens(&links, &zicht, row)? };
    Ok(with_etag(&mut HttpResponse::Created(), versie).insert_header((header::LOCATION, location)).json(doc))
}

/// Get a newcomer
///
/// For admins, the newcomer's trajectbegeleider (or one with a contract of theirs, who sees the
/// rijksregisternummer masked) and the newcomer themself (`gebruikerId`). Anyone else's
/// newcomer is `404`. Every read is logged.
#[utoipa::path(
    tag = "Inburgeraars",
    operation_id = "getInburgeraar",
    params(("id" = i64, Path, description = "Newcomer id", example = 17)),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The newcomer", body = Inburgeraar, headers(("ETag" = String))))
)]
#[get("/inburgeraars/{id}")]
pub async fn get_inburgeraar(
    state: web::Data<AppState>,
    links: Links,
    caller: Caller,
    trace: TraceId,
    path: web::Path<i64>,
) -> ApiResult<HttpResponse> {
    let zicht = zicht(&caller)?;
    let id = path.into_inner();
    let actor = Actor::new(&caller, &trace, state.clock.now());
    let z = zicht.clone();
    let row = state
        .db
        .write(move |c| {
            let row = repo::find_zichtbaar(c, &z, id)?.ok_or_else(|| niet_gevonden(id))?;
            audit::record(c, &actor, Action::Read, RESOURCE, &id.to_string(), None)?;
            Ok(row)
        })
        .await?;
    document(&links, &zicht, row)
}

fn niet_gevonden(id: i64) -> ApiError {
    ApiError::not_found(format!("No newcomer with id {id}"))
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
    params(
        ("id" = i64, Path, description = "Newcomer id", example = 17),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = InburgeraarIn, description = "The whole record: absent optional fields are cleared, \
        except `trajectbegeleider` (then unchanged) and `kbiSyncStatus` (then unchanged unless the \
        rijksregisternummer changes).", example = json!({
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
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Inburgeraar, headers(("ETag" = String))),
        (status = 409, description = "Another newcomer has this dossiernummer, rijksregisternummer or gebruikerId (`duplicate`, with its `href`)",
            body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The newcomer changed since you read it (`preconditionFailed`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/inburgeraars/{id}")]
pub async fn update_inburgeraar(
    state: web::Data<AppState>,
    links: Links,
    caller: Caller,
    trace: TraceId,
    if_match: IfMatch,
    path: web::Path<i64>,
    body: JsonBody<InburgeraarIn>,
) -> ApiResult<HttpResponse> {
    let zicht = beheerder(&caller)?;
    let id = path.into_inner();
    let gevraagde_tb = tekst(body.0.trajectbegeleider.clone());
    let Invoer { mut waarden, kbi_sync_status } = invoer(body.0, String::new())?;
    let actor = Actor::new(&caller, &trace, state.clock.now());
    let (z, l) = (zicht.clone(), links.clone());
    let row = state
        .db
        .write(move |c| {
            let oud = repo::find_zichtbaar(c, &z, id)?.ok_or_else(|| niet_gevonden(id))?;
            if !z.mag_toewijzen(&oud.trajectbegeleider) {
                return Err(ApiError::missing_permission(
                    "Only an admin or the newcomer's trajectbegeleider updates the record",
                ));
            }
            if_match.check(oud.versie)?;
            waarden.trajectbegeleider = gevraagde_tb.unwrap_or_else(|| oud.trajectbegeleider.clone());
            waarden.kbi_sync_status = match kbi_sync_status {
                Some(s) => s.as_str().to_string(),
                None if waarden.rijksregisternummer != oud.rijksregisternummer => {
                    KbiSyncStatus::na_insz_wijziging(waarden.rijksregisternummer.is_some()).as_str().to_string()
                }
                None => oud.kbi_sync_status.clone(),
            };
            check_opslag(c, &l, &waarden, Some(id))?;
            let tijd = nu();
            if repo::update(c, id, oud.versie, &waarden, tijd)? == 0 {
                return Err(versie_verschoven(&if_match));
            }
            let velden = gewijzigde_velden(&oud, &waarden);
            audit::record(c, &actor, Action::Update, RESOURCE, &id.to_string(), Some(json!({ "velden": velden })))?;
            if waarden.trajectbegeleider != oud.trajectbegeleider
                && let Some(lopend) = contracten::lopend_van(c, id)?
            {
                if contracten::set_trajectbegeleider(c, lopend.id, lopend.versie, &waarden.trajectbegeleider, tijd)?
                    == 0
                {
                    return Err(versie_verschoven(&IfMatch::Absent));
                }
                audit::record(
                    c,
                    &actor,
                    Action::Change(crate::routes::contracten::TOEGEWEZEN),
                    crate::routes::contracten::RESOURCE,
                    &lopend.id.to_string(),
                    Some(json!({ "van": oud.trajectbegeleider, "naar": waarden.trajectbegeleider })),
                )?;
            }
            repo::find(c, id)?.ok_or_else(|| niet_gevonden(id))
        })
        .await?;
    document(&links, &zicht, row)
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
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of newcomers", body = Collection<InburgeraarItem>))
)]
#[get("/inburgeraars")]
pub async fn list_inburgeraars(
    req: HttpRequest,
    state: web::Data<AppState>,
    links: Links,
    caller: Caller,
    trace: TraceId,
    query: ListQuery<InburgeraarsQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = beheerder(&caller)?;
    let ListQuery { filter, page } = query;
    let f = InburgeraarFilter {
        trajectbegeleiders: met_me(filter.trajectbegeleider, &caller),
        gemeenten: filter.gemeente,
        statuut: filter.statuut.map(|s| s.as_str().to_string()),
        kbi_sync_statussen: filter.kbi_sync_status.iter().map(|s| s.as_str().to_string()).collect(),
        dossiernummers: filter.dossiernummer,
    };
    let (offset, limit) = (page.offset(), page.limit());
    let actor = Actor::new(&caller, &trace, state.clock.now());
    let z = zicht.clone();
    let (rows, total) = state
        .db
        .write(move |c| {
            let (rows, total) = repo::list(c, &z, &f, offset, limit)?;
            for r in &rows {
                audit::record(c, &actor, Action::List, RESOURCE, &r.id.to_string(), None)?;
            }
            Ok((rows, total))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| Ok(InburgeraarItem { href: inburgeraar_href(&links, r.id), gegevens: gegevens(&links, &zicht, r)? }))
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
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
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of residents", body = Collection<GemeentelijstItem>))
)]
#[get("/gemeenten/{nisCode}/inburgeraars")]
pub async fn list_gemeente_inburgeraars(
    req: HttpRequest,
    state: web::Data<AppState>,
    links: Links,
    caller: Caller,
    trace: TraceId,
    path: web::Path<String>,
    query: ListQuery<GemeentelijstQuery>,
) -> ApiResult<HttpResponse> {
    let nis = NisCode::parse(&path).map_err(|e| ApiError::invalid(InputLocation::Path, "nisCode", e))?;
    caller.require_any(&[Role::LokaalBestuur, Role::Admin])?;
    if !caller.is_admin() && !caller.covers_gemeente(nis.as_str()) {
        return Err(ApiError::missing_permission(format!("Your token does not cover municipality {nis}")));
    }
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let actor = Actor::new(&caller, &trace, state.clock.now());
    let code = nis.as_str().to_string();
    let regels = state
        .db
        .write(move |c| {
            if gemeenten::find(c, &code)?.is_none() {
                return Err(ApiError::not_found(format!("No municipality with NIS code {code}")));
            }
            let (regels, total) = repo::gemeentelijst(c, &code, offset, limit)?;
            for r in &regels {
                audit::record(
                    c,
                    &actor,
                    Action::List,
                    RESOURCE,
                    &r.id.to_string(),
                    Some(json!({ "gemeentelijst": code })),
                )?;
            }
            Ok((regels, total))
        })
        .await?;
    let (regels, total) = regels;
    let items = regels
        .into_iter()
        .map(|r| GemeentelijstItem {
            achternaam: r.achternaam,
            voornaam: r.voornaam,
            rijksregisternummer: r.rijksregisternummer,
            heeft_contract: r.heeft_contract,
            attest_behaald: r.attest_behaald,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
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
        .service(list_gemeente_inburgeraars);
}
