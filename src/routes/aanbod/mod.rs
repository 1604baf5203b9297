//! `/v1/aanbod`: the offer catalogue. Public search over published offers; organisations
//! submit, municipalities moderate (R11–R14, R13b).

pub mod model;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::db::DbConn;
use crate::domain::aanbod::{self as regels, AanbodStatus, Eigenaar, Stap, WorkflowFout, zoekwoorden};
use crate::domain::geo::{Omtrek, Punt};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::{JsonBody, ListQuery, MergePatch, Query};
use crate::http::links::Links;
use crate::repo::aanbod::{self as repo, AanbodInhoud, AanbodRow, Herkomst, Sortering, Zichtbaarheid, Zoekopdracht};
use crate::repo::audit::{self, Action};
use crate::repo::organisaties;
use crate::state::AppState;
use model::{Aanbod, AanbodInput, AanbodPatch, AanbodQuery, AanbodSort, AanbodSummary, LangQuery};

const RESOURCE: &str = "aanbod";

fn eigenaar(row: &AanbodRow) -> Eigenaar<'_> {
    Eigenaar { organisatie_id: row.organisatie_id, gemeente: &row.gemeente, bron: row.bron.as_deref() }
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("No aanbod with id {id}"))
}

/// The offer if the caller may see it: published offers are public; other states only for
/// those who may manage them (and case workers). Anyone else gets 404, not 403, so drafts do
/// not leak.
fn load_visible(c: &mut DbConn, id: i64, caller: Option<&Caller>) -> ApiResult<AanbodRow> {
    let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
    let public = row.status == AanbodStatus::Gepubliceerd.as_str();
    if public || caller.is_some_and(|c| regels::mag_lezen(c, &eigenaar(&row))) { Ok(row) } else { Err(not_found(id)) }
}

/// The offer if the caller may manage it (404 if they may not even see it, else 403).
fn load_managed(c: &mut DbConn, id: i64, caller: &Caller) -> ApiResult<AanbodRow> {
    let row = load_visible(c, id, Some(caller))?;
    if !regels::mag_beheren(caller, &eigenaar(&row)) {
        return Err(ApiError::missing_permission("You may not manage this offer"));
    }
    Ok(row)
}

fn organisatie_naam(c: &mut DbConn, id: Option<i64>) -> ApiResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(organisaties::names(c, &[id])?.into_iter().next().map(|(_, n)| n))
}

/// Validates an input against the reference data and the database (the organisation exists).
fn inhoud(c: &mut DbConn, state: &AppState, input: AanbodInput) -> ApiResult<AanbodInhoud> {
    let organisatie = input.organisatie;
    let mut issues = Vec::new();
    if let Some(id) = organisatie
        && organisatie_naam(c, Some(id))?.is_none()
    {
        issues.push(
            InputIssue::referenced_not_found(
                InputLocation::Body,
                "organisatie",
                format!("No organisation with id {id}"),
            )
            .with_value(id),
        );
    }
    match input.into_inhoud(&state.refdata) {
        Ok(i) if issues.is_empty() => Ok(i),
        Ok(_) => Err(ApiError::bad_request(issues)),
        Err(more) => {
            issues.extend(more);
            Err(ApiError::bad_request(issues))
        }
    }
}

struct Taal {
    lang: Option<String>,
    accept: Option<String>,
}

impl Taal {
    fn of(req: &HttpRequest, lang: Option<String>) -> Taal {
        let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string);
        Taal { lang, accept }
    }
}

fn respond(status: StatusCode, doc: Aanbod) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    with_etag(&mut res, i64::from(doc.versie));
    res.insert_header((header::CONTENT_LANGUAGE, doc.weergave.taal.clone()));
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, doc.self_link.clone()));
    }
    res.json(doc)
}

fn document(row: AanbodRow, org: Option<String>, links: &Links, state: &AppState, taal: &Taal) -> Aanbod {
    row.document(links, &state.refdata, org, taal.lang.as_deref(), taal.accept.as_deref())
}

fn zichtbaarheid(caller: Option<&Caller>) -> Zichtbaarheid {
    match caller {
        None => Zichtbaarheid::Publiek,
        Some(c) if c.is_admin() || c.has(Role::Trajectbegeleider) => Zichtbaarheid::Alles,
        Some(c) => Zichtbaarheid::Beheerder {
            organisatie: c.aanbieder_van().map(|o| o.0),
            gemeenten: if c.has(Role::LokaalBestuur) {
                c.gemeenten.iter().map(ToString::to_string).collect()
            } else {
                Vec::new()
            },
            bron: c.has(Role::FeedClient).then(|| c.sub.clone()),
        },
    }
}

/// Turns the query parameters into a search, reporting every faulty one.
fn zoekopdracht(f: AanbodQuery, state: &AppState) -> ApiResult<Zoekopdracht> {
    let mut issues = Vec::new();
    let omtrek = match f.near.as_deref().map(Punt::parse) {
        Some(Ok(p)) => {
            let radius = f.radius_km.unwrap_or(10.0);
            if !(radius > 0.0 && radius <= 250.0) {
                issues.push(InputIssue::invalid(InputLocation::Query, "radiusKm", "radiusKm must be > 0 and ≤ 250"));
            }
            Some(Omtrek::new(p, radius.clamp(0.1, 250.0)))
        }
        Some(Err(e)) => {
            issues.push(InputIssue::invalid(InputLocation::Query, "near", e).with_value(&f.near));
            None
        }
        None => {
            if f.radius_km.is_some() {
                issues.push(InputIssue::invalid(InputLocation::Query, "radiusKm", "radiusKm needs near"));
            }
            None
        }
    };
    if f.sort.contains(&AanbodSort::Afstand) && f.near.is_none() {
        issues.push(InputIssue::invalid(InputLocation::Query, "sort", "sorting by afstand needs near=lat,lon"));
    }
    if let Some(t) = f.taal.iter().find(|t| !crate::domain::taal::is_language_code(&t.to_ascii_lowercase())) {
        issues.push(InputIssue::invalid(InputLocation::Query, "taal", format!("'{t}' is not an ISO 639-1 code")));
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let mut gemeenten = f.gemeente;
    if !f.regionaal_netwerk.is_empty() {
        let in_netwerk = state.refdata.gemeenten_van(&f.regionaal_netwerk);
        gemeenten = if gemeenten.is_empty() {
            in_netwerk
        } else {
            gemeenten.into_iter().filter(|g| in_netwerk.contains(g)).collect()
        };
        if gemeenten.is_empty() {
            // No municipality satisfies both filters: nothing can match.
            gemeenten.push(String::new());
        }
    }
    let woorden = zoekwoorden(f.q.as_deref().unwrap_or(""));
    let statussen = if f.status.is_empty() { vec![AanbodStatus::Gepubliceerd] } else { f.status };
    Ok(Zoekopdracht {
        gemeenten,
        types: f.aanbodtype.iter().map(|t| t.as_str().to_string()).collect(),
        talen: f.taal.iter().map(|t| t.to_ascii_lowercase()).collect(),
        themas: f.thema.iter().map(|t| regels::normaliseer_thema(t)).collect(),
        statussen: statussen.iter().map(|s| s.as_str().to_string()).collect(),
        organisatie: f.organisatie,
        nederlandstalige_context: f.nederlandstalige_context,
        in_groep: f.in_groep,
        kwalificeert: f.kwalificeert,
        kosteloos: f.kosteloos,
        beschikbaar_op: f.beschikbaar_op,
        omtrek,
        // A query of only punctuation matches nothing rather than everything.
        niets: f.q.as_deref().is_some_and(|q| !q.trim().is_empty()) && woorden.is_empty(),
        woorden,
        sortering: f
            .sort
            .iter()
            .map(|s| match s {
                AanbodSort::GewijzigdOpDesc => Sortering::GewijzigdAflopend,
                AanbodSort::GewijzigdOp => Sortering::GewijzigdOplopend,
                AanbodSort::Titel => Sortering::Titel,
                AanbodSort::TitelDesc => Sortering::TitelAflopend,
                AanbodSort::Afstand => Sortering::Afstand,
                AanbodSort::Relevantie => Sortering::Relevantie,
            })
            .collect(),
    })
}

/// Search the offer
///
/// Public. Without a token, or without a `status` filter, only published offers are found.
/// With `status`, other states show only what the caller may see: admins and
/// trajectbegeleiders everything, an aanbieder its organisation's offers, lokaalBestuur the
/// offers in its municipalities, a feed client those of its own source.
///
/// Combine free text, place, type, language, themes, criteria, period and distance: repeated
/// parameters are alternatives, different ones all apply. Each item carries `afstandKm` when
/// `near` is given. Unknown or faulty parameters are `400` naming each one (e.g. `radiusKm`
/// without `near`, `sort=afstand` without `near`, a `taal` that is not ISO 639-1).
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "searchAanbod",
    params(AanbodQuery, PageParams,
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages for `titel` (`lang` overrides it); an offer without that language shows Dutch", example = "en, nl;q=0.8")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "A page of offers", body = Collection<AanbodSummary>))
)]
#[get("/aanbod")]
pub async fn search_aanbod(req: HttpRequest, ctx: PublicCtx, query: ListQuery<AanbodQuery>) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, caller, .. } = ctx;
    let ListQuery { filter, page } = query;
    let taal = Taal::of(&req, filter.lang.clone());
    let z = zoekopdracht(filter, &state)?;
    let zicht = zichtbaarheid(caller.as_ref());
    let near = z.omtrek.as_ref().map(|o| o.centrum);
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = state.db.run(move |c| Ok(repo::search(c, &z, &zicht, offset, limit)?)).await?;
    let items = rows
        .iter()
        .map(|r| r.summary(&links, &state.refdata, taal.lang.as_deref(), taal.accept.as_deref(), near.as_ref()))
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Get an offer
///
/// Published offers are public. Other states only for whoever may manage the offer (admin,
/// lokaalBestuur of its municipality, the aanbieder of its organisation, the feed client of its
/// source) and for trajectbegeleiders; anyone else gets `404`, so drafts do not leak.
/// `weergave` holds the texts in the language asked for with `lang` or `Accept-Language`.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "getAanbod",
    params(("id" = i64, Path, description = "Offer id", example = 42), LangQuery,
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages for `weergave` (`lang` overrides it)", example = "en, nl;q=0.8")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The offer", body = Aanbod,
        headers(("ETag" = String, description = "Version, for If-Match"),
            ("Content-Language" = String, description = "The language of `weergave`"))))
)]
#[get("/aanbod/{id}")]
pub async fn get_aanbod(
    req: HttpRequest,
    ctx: PublicCtx,
    path: web::Path<i64>,
    query: Query<LangQuery>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, caller, .. } = ctx;
    let id = path.into_inner();
    let taal = Taal::of(&req, query.0.lang);
    let (row, org) = state
        .db
        .run(move |c| {
            let row = load_visible(c, id, caller.as_ref())?;
            let org = organisatie_naam(c, row.organisatie_id)?;
            Ok((row, org))
        })
        .await?;
    Ok(respond(StatusCode::OK, document(row, org, &links, &state, &taal)))
}

/// Create an offer
///
/// The offer starts as `concept`; submit it with `POST /v1/aanbod/{id}/status`. An aanbieder
/// creates offers of its own organisation (`organisatie` = its organisation); lokaalBestuur in
/// its own municipalities; admin anywhere. Other roles, or another organisation or
/// municipality, get `403`. The input is checked against the reference data too: an unknown
/// `gemeente` or `organisatie` is `400` (`referencedResourceNotFound`).
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "createAanbod",
    request_body(content = AanbodInput, description = "The new offer",
        example = json!({
            "titel": {"nl": "Taalcafé De Brug", "en": "Language café De Brug"},
            "beschrijving": {"nl": "Elke dinsdag praten we Nederlands bij koffie.", "en": "Every Tuesday we speak Dutch over coffee."},
            "aanbodtype": "praattafel",
            "organisatie": 12,
            "gemeente": "44021",
            "locatie": {"straat": "Sint-Pietersplein", "huisnummer": "5", "postcode": "9000", "plaats": "Gent", "lat": 51.0425, "lon": 3.7265},
            "contactpersoon": {"naam": "An Peeters", "email": "an.peeters@example.be", "telefoon": "+32 470 12 34 56"},
            "nederlandstaligeContext": true,
            "socialeParticipatie": true,
            "inGroep": true,
            "buitenEigenKring": true,
            "duurzaamContact": false,
            "ondersteuningstalen": ["en", "ar"],
            "verwachteUrenPerWeek": 2.0,
            "periode": {"van": "2026-09-01", "tot": "2027-06-30"},
            "capaciteit": 8,
            "kosteloos": true,
            "themas": ["taal", "ontmoeting"]
        })),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe creation: a retry with the same key and body returns the first response (marked `Idempotent-Replayed: true`) instead of a second offer; keys are per caller and kept 24 hours", example = "5f1c9a2e-8d4b-4c1e-9f3a-2b7d4a506c1e")),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Created, as `concept`", body = Aanbod,
            headers(("Location" = String, description = "URI of the new offer"), ("ETag" = String, description = "Version, for If-Match"))),
        (status = 409, description = "A request with this `Idempotency-Key` is still being processed (`requestInProgress`)", body = Problem,
            content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:requestInProgress", "title": "Request In Progress", "status": 409,
                "detail": "A request with this Idempotency-Key is still being processed; retry later",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 422, description = "This `Idempotency-Key` was used for a different request (`idempotencyKeyReused`)", body = Problem,
            content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:idempotencyKeyReused", "title": "Idempotency Key Reused", "status": 422,
                "detail": "This Idempotency-Key was used for a different request; use a new key",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[post("/aanbod")]
pub async fn create_aanbod(req: HttpRequest, ctx: Ctx, body: JsonBody<AanbodInput>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    caller.require_any(&[Role::Admin, Role::LokaalBestuur, Role::Aanbieder])?;
    let input = body.0;
    if !regels::mag_aanmaken(&caller, input.organisatie, &input.gemeente) {
        return Err(ApiError::missing_permission(
            "An aanbieder creates offers of its own organisation; lokaalBestuur in its own municipalities",
        ));
    }
    let taal = Taal::of(&req, None);
    let s = state.clone();
    let (row, org) = state
        .db
        .write(move |c| {
            let inhoud = inhoud(c, &s, input)?;
            let herkomst =
                Herkomst { status: "concept", bron: None, extern_id: None, feed_hash: None, door: &actor.sub };
            let id = repo::insert(c, &inhoud, &herkomst, crate::db::now())?;
            audit::record(c, &actor, Action::Create, RESOURCE, &id.to_string(), None)?;
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            let org = organisatie_naam(c, row.organisatie_id)?;
            Ok((row, org))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, document(row, org, &links, &state, &taal)))
}

/// Stores new content for an offer (PUT and PATCH).
async fn replace(
    req: &HttpRequest,
    ctx: Ctx,
    id: i64,
    if_match: IfMatch,
    new: impl FnOnce(&AanbodRow) -> ApiResult<AanbodInput> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let taal = Taal::of(req, None);
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let s = state.clone();
    let (row, org) = state
        .db
        .write(move |c| {
            let row = load_managed(c, id, &caller)?;
            if_match.check(i64::from(row.versie))?;
            if row.status == AanbodStatus::Gearchiveerd.as_str() {
                return Err(ApiError::invalid_transition("An archived offer can no longer be changed"));
            }
            let input = new(&row)?;
            let moves = input.organisatie != row.organisatie_id || input.gemeente != row.gemeente;
            if moves && !regels::mag_aanmaken(&caller, input.organisatie, &input.gemeente) {
                return Err(ApiError::missing_permission(
                    "You may not move the offer to that organisation or municipality",
                ));
            }
            let inhoud = inhoud(c, &s, input)?;
            // Content an organisation changes on a published offer is moderated again.
            let herzien =
                row.status == AanbodStatus::Gepubliceerd.as_str() && !regels::mag_modereren(&caller, &row.gemeente);
            let status = herzien.then_some(AanbodStatus::Ingediend.as_str());
            if !repo::update_inhoud(c, id, row.versie, &inhoud, status, row.feed_hash.as_deref(), crate::db::now())? {
                return Err(ApiError::precondition_failed("The offer changed meanwhile; fetch it again"));
            }
            audit::record(c, &actor, Action::Update, RESOURCE, &id.to_string(), None)?;
            let capaciteit_was = row.capaciteit;
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            if row.capaciteit != capaciteit_was {
                crate::app::doorverwijzingen::capaciteit_gewijzigd(c, &actor, id, row.capaciteit)?;
            }
            let org = organisatie_naam(c, row.organisatie_id)?;
            Ok((row, org))
        })
        .await?;
    Ok(respond(StatusCode::OK, document(row, org, &links, &state, &taal)))
}

/// Replace an offer
///
/// For whoever may manage the offer: admin, lokaalBestuur of its municipality, the aanbieder
/// of its organisation, the feed client of its source (others who may see it get `403`, the
/// rest `404`). Moving the offer to another organisation or municipality needs the right to
/// create offers there (else `403`). When anyone but a moderator (admin, lokaalBestuur of the
/// municipality) changes a published offer, it goes back to `ingediend` for moderation. An
/// archived offer can no longer be changed (`409`). A higher capacity (or none) gives waiting
/// referrals a place, first come first served.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "replaceAanbod",
    params(("id" = i64, Path, description = "Offer id", example = 42),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited; without it the last write wins", example = "\"3\"")),
    request_body(content = AanbodInput, description = "The whole offer, as for creation",
        example = json!({
            "titel": {"nl": "Taalcafé De Brug", "en": "Language café De Brug"},
            "beschrijving": {"nl": "Elke dinsdag en donderdag praten we Nederlands bij koffie."},
            "aanbodtype": "praattafel",
            "organisatie": 12,
            "gemeente": "44021",
            "nederlandstaligeContext": true,
            "socialeParticipatie": true,
            "inGroep": true,
            "ondersteuningstalen": ["en"],
            "capaciteit": 10,
            "kosteloos": true,
            "themas": ["taal"]
        })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "The offer is archived (`invalidTransition`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "An archived offer can no longer be changed", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:preconditionFailed", "title": "Precondition Failed", "status": 412,
                "detail": "The resource changed since you read it (current ETag \"4\"); fetch it again and retry", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[put("/aanbod/{id}")]
pub async fn replace_aanbod(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<AanbodInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    replace(&req, ctx, path.into_inner(), if_match, move |_| Ok(input)).await
}

/// Update an offer partially
///
/// A JSON Merge Patch (RFC 7396) with `Content-Type: application/merge-patch+json`: only the
/// fields to change; `null` removes an optional field. The patched offer must be a valid
/// offer, checked exactly as for PUT; who may patch, re-moderation, `409` and `412` are as for
/// PUT too. A body that is not a JSON object, an unknown field or `null` on a field every offer
/// needs is `400`.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "patchAanbod",
    params(("id" = i64, Path, description = "Offer id", example = 42),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited; without it the last write wins", example = "\"3\"")),
    request_body(content = AanbodPatch, content_type = "application/merge-patch+json",
        description = "The fields to change",
        example = json!({"titel": {"ar": "مقهى اللغة"}, "capaciteit": null})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "The offer is archived (`invalidTransition`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "An archived offer can no longer be changed", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:preconditionFailed", "title": "Precondition Failed", "status": 412,
                "detail": "The resource changed since you read it (current ETag \"4\"); fetch it again and retry", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[patch("/aanbod/{id}")]
pub async fn patch_aanbod(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    replace(&req, ctx, path.into_inner(), if_match, move |row| patch.apply(&row.input())).await
}

/// Delete an offer
///
/// Only while it is a `concept` (else `409`: archive a published offer instead), by whoever may
/// manage it: admin, lokaalBestuur of its municipality, the aanbieder of its organisation, the
/// feed client of its source.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "deleteAanbod",
    params(("id" = i64, Path, description = "Offer id", example = 42),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you mean to delete; without it the offer is deleted whatever its version", example = "\"1\"")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not a concept (`invalidTransition`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "Only a concept can be deleted; this offer is gepubliceerd; archive it instead",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:preconditionFailed", "title": "Precondition Failed", "status": 412,
                "detail": "The resource changed since you read it (current ETag \"4\"); fetch it again and retry", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[delete("/aanbod/{id}")]
pub async fn delete_aanbod(ctx: Ctx, path: web::Path<i64>, if_match: IfMatch) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let actor = ctx.actor();
    let Ctx { state, caller, .. } = ctx;
    state
        .db
        .write(move |c| {
            let row = load_managed(c, id, &caller)?;
            if_match.check(i64::from(row.versie))?;
            if row.status != AanbodStatus::Concept.as_str() {
                return Err(ApiError::invalid_transition(format!(
                    "Only a concept can be deleted; this offer is {}; archive it instead",
                    row.status
                )));
            }
            if !repo::delete(c, id, row.versie)? {
                return Err(ApiError::precondition_failed("The offer changed meanwhile; fetch it again"));
            }
            Ok(audit::record(c, &actor, Action::Delete, RESOURCE, &id.to_string(), None)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A moderation step of an offer: the state it should go to.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AanbodStatusWijziging)]
pub struct StatusWijziging {
    /// The new state: `ingediend`, `gepubliceerd`, `afgekeurd` or `gearchiveerd` (see the
    /// operation for the allowed transitions).
    #[schema(example = "afgekeurd")]
    pub status: AanbodStatus,
    /// Why (1–2,000 characters): required when rejecting (`afgekeurd`), shown as
    /// `statusMotivatie`; ignored for other steps.
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Er is geen Nederlandstalige context: de activiteit verloopt in het Engels.")]
    pub motivatie: Option<String>,
}

/// Change an offer's state
///
/// The moderation workflow: `concept → ingediend → gepubliceerd | afgekeurd`,
/// `gepubliceerd → gearchiveerd`, `afgekeurd → ingediend` (only after the offer was changed).
/// Whoever may manage the offer submits (`ingediend`): admin, lokaalBestuur of its
/// municipality, the aanbieder of its organisation, the feed client of its source. Only
/// lokaalBestuur of the offer's municipality and admin publish, reject (with `motivatie`,
/// else `400`) and archive; others get `403`. Any other step is `409` naming the allowed ones.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "changeAanbodStatus",
    params(("id" = i64, Path, description = "Offer id", example = 42),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you judged; without it the step applies to whatever version is current", example = "\"2\"")),
    request_body(content = StatusWijziging, description = "The step",
        example = json!({"status": "afgekeurd", "motivatie": "Er is geen Nederlandstalige context: de activiteit verloopt in het Engels."})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The offer in its new state", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not a transition of the workflow, or a rejected offer resubmitted unchanged (`invalidTransition`)", body = Problem,
            content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "an offer cannot go from concept to gepubliceerd (from concept: ingediend)",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json",
            example = json!({"type": "urn:problem-type:pnt:preconditionFailed", "title": "Precondition Failed", "status": 412,
                "detail": "The resource changed since you read it (current ETag \"4\"); fetch it again and retry", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[post("/aanbod/{id}/status")]
pub async fn change_status(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<StatusWijziging>,
) -> ApiResult<HttpResponse> {
    let id = path.into_inner();
    let StatusWijziging { status: naar, motivatie } = body.0;
    let taal = Taal::of(&req, None);
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let (row, org) = state
        .db
        .write(move |c| {
            let row = load_visible(c, id, Some(&caller))?;
            let allowed = match naar {
                AanbodStatus::Ingediend | AanbodStatus::Concept => regels::mag_beheren(&caller, &eigenaar(&row)),
                _ => regels::mag_modereren(&caller, &row.gemeente),
            };
            if !allowed {
                return Err(ApiError::missing_permission(match naar {
                    AanbodStatus::Ingediend | AanbodStatus::Concept => "You may not manage this offer",
                    _ => "Only the municipality of the offer (lokaalBestuur) or an admin moderates offers",
                }));
            }
            if_match.check(i64::from(row.versie))?;
            let van = AanbodStatus::parse(&row.status).unwrap_or(AanbodStatus::Concept);
            let stap = regels::controleer_overgang(van, naar, motivatie.as_deref(), row.versie, row.afgekeurd_versie)
                .map_err(|e| match e {
                WorkflowFout::MotivatieVereist => ApiError::invalid(InputLocation::Body, "motivatie", e.to_string()),
                _ => ApiError::invalid_transition(e.to_string()),
            })?;
            let (motivatie, afgekeurd_versie) = match stap {
                Stap::Afkeuren => (motivatie, Some(row.versie + 1)),
                _ => (None, None),
            };
            let ok = repo::update_status(
                c,
                id,
                row.versie,
                naar.as_str(),
                motivatie.as_deref(),
                afgekeurd_versie,
                crate::db::now(),
            )?;
            if !ok {
                return Err(ApiError::precondition_failed("The offer changed meanwhile; fetch it again"));
            }
            let details = serde_json::json!({"van": van.as_str(), "naar": naar.as_str()});
            audit::record(c, &actor, Action::Change("status"), RESOURCE, &id.to_string(), Some(details))?;
            let row = repo::find(c, id)?.ok_or_else(|| not_found(id))?;
            let org = organisatie_naam(c, row.organisatie_id)?;
            Ok((row, org))
        })
        .await?;
    Ok(respond(StatusCode::OK, document(row, org, &links, &state, &taal)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_aanbod)
        .service(create_aanbod)
        .service(get_aanbod)
        .service(replace_aanbod)
        .service(patch_aanbod)
        .service(delete_aanbod)
        .service(change_status);
}
