//! `/v1/regionaleNetwerken/{code}/overleggen`: a network's meetings — stuurgroep (at least 4 a
//! year), klankbordgroep (1–2 a year) and ad-hoc werkgroepen — with the organisations that
//! took part and the minutes. Read by the agency's roles, municipalities and network
//! coordinators; written by an admin and the network's own netwerkcoordinator.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::app::document::respond;
use crate::db::DbConn;
use crate::domain::netwerk::Overlegsoort;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::repo::overleggen::{self as repo, OverlegFilter, OverlegRow, OverlegVelden};
use crate::routes::common::{OrganisatieRef, utc};
use crate::routes::netwerk_onderdelen::{self as onderdelen, Onderdeel};
use crate::routes::regionale_netwerken::{jaar, jaargrenzen, mag_lezen, netwerk_href, onbekende_organisaties};
use crate::routes::toegang::tekst;

/// A meeting as clients write it (the body of POST and PUT). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverlegInput {
    /// Kind of meeting; what the compliance view counts it as.
    pub soort: Overlegsoort,
    /// Day of the meeting (yyyy-MM-dd); a date after today is a planned meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject, 1 to 500 characters.
    #[validate(length(min = 1, max = 500))]
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// Ids of the organisations that took part (at most 200; duplicates count once). Unknown
    /// ids are refused (400 `referencedResourceNotFound`).
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(example = json!([12, 15]))]
    pub deelnemers: Vec<i64>,
    /// The minutes, up to 20,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 20000))]
    #[schema(example = "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni.")]
    pub verslag: Option<String>,
}

/// A JSON Merge Patch (RFC 7396) of a meeting: the fields of [`OverlegInput`] to change.
/// Applied to the meeting's current content and then checked like a PUT body, so an unknown
/// field is refused (400 `unknownInput`) and so is `null` on `soort`, `datum` or `onderwerp`
/// (they are required). For the document only: the handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"verslag": "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni."}))]
pub struct OverlegPatch {
    /// New kind; cannot be removed.
    #[schema(nullable = false)]
    soort: Option<Overlegsoort>,
    /// New day (yyyy-MM-dd); cannot be removed.
    #[schema(nullable = false, example = "2026-03-19")]
    datum: Option<NaiveDate>,
    /// New subject; cannot be removed.
    #[schema(nullable = false, example = "Mapping van het aanbod en ontwerp actieplan")]
    onderwerp: Option<String>,
    /// The participating organisations' ids, replacing the list whole; `null` empties it.
    #[schema(example = json!([12, 15, 21]))]
    deelnemers: Option<Vec<i64>>,
    /// The minutes; `null` removes them.
    #[schema(example = "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni.")]
    verslag: Option<String>,
}

/// A meeting of a network.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overleg {
    /// This meeting's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The meeting's id within the API.
    #[schema(example = 3)]
    pub id: i64,
    /// The network's URL.
    pub netwerk: String,
    /// Kind of meeting.
    pub soort: Overlegsoort,
    /// Day of the meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject.
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// The organisations that took part, by name.
    pub deelnemers: Vec<OrganisatieRef>,
    /// The minutes, once recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verslag: Option<String>,
    /// Version; the `ETag` of this document.
    pub versie: i64,
    /// When the meeting was recorded.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the meeting's record last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// A meeting in a list (without the minutes).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverlegSummary {
    /// The meeting's URL.
    pub href: String,
    /// The meeting's id within the API.
    #[schema(example = 3)]
    pub id: i64,
    /// Kind of meeting.
    pub soort: Overlegsoort,
    /// Day of the meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject.
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// The organisations that took part.
    pub deelnemers: Vec<OrganisatieRef>,
    /// Whether minutes are recorded (read them on the meeting itself).
    pub heeft_verslag: bool,
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OverleggenQuery {
    /// Kind (repeatable: `soort=stuurgroep&soort=werkgroep`).
    #[serde(default)]
    #[param(example = json!(["stuurgroep"]))]
    pub soort: Vec<Overlegsoort>,
    /// Only meetings in this calendar year (2023 to next year, else 400).
    #[param(example = 2026, minimum = 2023)]
    pub jaar: Option<i32>,
}

fn href(links: &Links, code: &str, id: i64) -> String {
    format!("{}/overleggen/{id}", netwerk_href(links, code))
}

fn soort(row: &OverlegRow) -> Overlegsoort {
    Overlegsoort::parse(&row.soort).unwrap_or(Overlegsoort::Werkgroep)
}

fn deelnemers(links: &Links, lijst: Option<&Vec<(i64, String)>>) -> Vec<OrganisatieRef> {
    lijst.map(|l| l.iter().map(|(id, naam)| OrganisatieRef::new(links, *id, naam)).collect()).unwrap_or_default()
}

fn document(links: &Links, row: OverlegRow, d: Vec<(i64, String)>) -> Overleg {
    Overleg {
        self_link: href(links, &row.netwerk_code, row.id),
        id: row.id,
        netwerk: netwerk_href(links, &row.netwerk_code),
        soort: soort(&row),
        datum: row.datum,
        deelnemers: deelnemers(links, Some(&d)),
        onderwerp: row.onderwerp,
        verslag: row.verslag,
        versie: row.versie,
        aangemaakt_op: utc(row.aangemaakt_op),
        gewijzigd_op: utc(row.gewijzigd_op),
    }
}

/// Checks the participants exist; gives the fields to store.
fn velden(c: &mut DbConn, mut input: OverlegInput) -> ApiResult<(OverlegVelden, Vec<i64>)> {
    input.deelnemers.sort_unstable();
    input.deelnemers.dedup();
    let issues = onbekende_organisaties(c, &input.deelnemers, |_| "deelnemers".into())?;
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let v = OverlegVelden {
        soort: input.soort.as_str().to_string(),
        datum: input.datum,
        onderwerp: input.onderwerp.trim().to_string(),
        verslag: tekst(input.verslag),
    };
    Ok((v, input.deelnemers))
}

/// The meetings as a network's [`Onderdeel`]; an item is a meeting with its participants
/// (organisation id, name).
struct Overleggen;

impl Onderdeel for Overleggen {
    const RESOURCE: &'static str = "netwerkOverleg";
    const NAAM: &'static str = "meeting";
    type Item = (OverlegRow, Vec<(i64, String)>);
    type Input = OverlegInput;

    fn vind(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<Self::Item>> {
        let Some(row) = repo::find(c, code, id)? else {
            return Ok(None);
        };
        let d = repo::deelnemers(c, &[id])?.remove(&id).unwrap_or_default();
        Ok(Some((row, d)))
    }

    fn versie_van(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<i64>> {
        Ok(repo::find(c, code, id)?.map(|r| r.versie))
    }

    fn versie((row, _): &Self::Item) -> i64 {
        row.versie
    }

    fn input_van((row, d): &Self::Item) -> OverlegInput {
        OverlegInput {
            soort: soort(row),
            datum: row.datum,
            onderwerp: row.onderwerp.clone(),
            deelnemers: d.iter().map(|(id, _)| *id).collect(),
            verslag: row.verslag.clone(),
        }
    }

    fn voeg_toe(c: &mut DbConn, code: &str, input: OverlegInput) -> ApiResult<i64> {
        let (v, deelnemers) = velden(c, input)?;
        Ok(repo::insert(c, code, &v, &deelnemers, crate::db::now())?)
    }

    fn werk_bij(c: &mut DbConn, id: i64, versie: i64, input: OverlegInput) -> ApiResult<bool> {
        let (v, deelnemers) = velden(c, input)?;
        Ok(repo::update(c, id, versie, &v, &deelnemers, crate::db::now())?)
    }

    fn wis(c: &mut DbConn, id: i64, versie: i64) -> ApiResult<bool> {
        Ok(repo::delete(c, id, versie)?)
    }

    fn respond(status: StatusCode, links: &Links, (row, d): Self::Item) -> HttpResponse {
        let doc = document(links, row, d);
        let self_link = doc.self_link.clone();
        respond(status, &self_link, doc.versie, doc)
    }
}

/// List a network's meetings
///
/// Newest first, filtered on kind and year; without the minutes. For admins,
/// trajectbegeleiders, municipalities (lokaalBestuur) and network coordinators (of any
/// network); other roles get 403, an unknown network 404.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "listNetwerkOverleggen",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"), OverleggenQuery, PageParams),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of meetings", body = Collection<OverlegSummary>))
)]
#[get("/regionaleNetwerken/{code}/overleggen")]
pub async fn list_overleggen(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<String>,
    query: ListQuery<OverleggenQuery>,
) -> ApiResult<HttpResponse> {
    let code = path.into_inner();
    mag_lezen(&ctx, &code)?;
    let Ctx { state, links, .. } = ctx;
    let ListQuery { filter, page } = query;
    let (van, tot) = match filter.jaar {
        Some(j) => {
            let (van, tot) = jaargrenzen(jaar(Some(j))?);
            (Some(van), Some(tot))
        }
        None => (None, None),
    };
    let f = OverlegFilter { soorten: filter.soort.iter().map(|s| s.as_str().to_string()).collect(), van, tot };
    let c2 = code.clone();
    let (offset, limit) = (page.offset(), page.limit());
    let ((rows, total), d) = state
        .db
        .run(move |c| {
            let (rows, total) = repo::list(c, &c2, &f, Some((offset, limit)))?;
            let ids: Vec<i64> = rows.iter().map(|r| r.id).collect();
            Ok(((rows, total), repo::deelnemers(c, &ids)?))
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| OverlegSummary {
            href: href(&links, &code, r.id),
            id: r.id,
            soort: soort(&r),
            datum: r.datum,
            deelnemers: deelnemers(&links, d.get(&r.id)),
            onderwerp: r.onderwerp,
            heeft_verslag: r.verslag.is_some(),
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Record a meeting
///
/// Held or planned. For an admin and the network's own netwerkcoordinator (claim `regio`);
/// others get 403, an unknown network 404. Participants must be registered organisations
/// (400 otherwise). The write is audited with the network.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "createNetwerkOverleg",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe creation")),
    request_body(content = OverlegInput, description = "The meeting", example = json!({
        "soort": "stuurgroep", "datum": "2026-03-12",
        "onderwerp": "Mapping van het aanbod en ontwerp actieplan", "deelnemers": [12, 15]
    })),
    security(("bearerAuth" = [])),
    responses((status = 201, description = "Recorded", body = Overleg, headers(("Location" = String), ("ETag" = String))))
)]
#[post("/regionaleNetwerken/{code}/overleggen")]
pub async fn create_overleg(
    ctx: Ctx,
    path: web::Path<String>,
    body: JsonBody<OverlegInput>,
) -> ApiResult<HttpResponse> {
    onderdelen::maak::<Overleggen>(ctx, path.into_inner(), body.0).await
}

/// Get a meeting
///
/// One meeting of the network, with its participants, minutes and `ETag`. For the roles that
/// read what networks record (admins, trajectbegeleiders, municipalities, network
/// coordinators); 404 for an unknown network or a meeting of another network, else 403 for
/// other roles.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "getNetwerkOverleg",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Meeting id", example = 3)),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The meeting", body = Overleg, headers(("ETag" = String))))
)]
#[get("/regionaleNetwerken/{code}/overleggen/{id}")]
pub async fn get_overleg(ctx: Ctx, path: web::Path<(String, i64)>) -> ApiResult<HttpResponse> {
    onderdelen::haal::<Overleggen>(ctx, path.into_inner()).await
}

/// Replace a meeting
///
/// The whole meeting: absent optional fields are removed, an absent `deelnemers` empties the
/// list. For an admin and the network's own netwerkcoordinator; honours `If-Match` (412 when
/// stale, 409 when a concurrent write got in first without it). Audited with the network.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "replaceNetwerkOverleg",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Meeting id", example = 3),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = OverlegInput, description = "The meeting as it should be", example = json!({
        "soort": "klankbordgroep", "datum": "2026-05-20", "onderwerp": "Noden van nieuwkomers in de vrije tijd",
        "deelnemers": [12, 15, 21], "verslag": "Drie werkgroepen opgericht: sport, cultuur, jeugdwerk."
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Overleg, headers(("ETag" = String))),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/regionaleNetwerken/{code}/overleggen/{id}")]
pub async fn replace_overleg(
    ctx: Ctx,
    path: web::Path<(String, i64)>,
    if_match: IfMatch,
    body: JsonBody<OverlegInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    onderdelen::vervang::<Overleggen>(ctx, path.into_inner(), if_match, move |_| Ok(input)).await
}

/// Update a meeting partially
///
/// A JSON Merge Patch (RFC 7396) of the PUT body, e.g. to add the minutes after the meeting:
/// `null` removes an optional field; the result is checked like a PUT body. Same rights,
/// `If-Match` and audit as PUT.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "patchNetwerkOverleg",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Meeting id", example = 3),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = OverlegPatch, content_type = "application/merge-patch+json",
        description = "The fields to change", example = json!({"verslag": "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni."})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Overleg, headers(("ETag" = String))),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/regionaleNetwerken/{code}/overleggen/{id}")]
pub async fn patch_overleg(
    ctx: Ctx,
    path: web::Path<(String, i64)>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    onderdelen::vervang::<Overleggen>(ctx, path.into_inner(), if_match, move |huidig| patch.apply(huidig)).await
}

/// Delete a meeting
///
/// Removes the meeting and its participants. For an admin and the network's own
/// netwerkcoordinator; honours `If-Match`. Audited with the network.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "deleteNetwerkOverleg",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Meeting id", example = 3),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you mean to delete")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/regionaleNetwerken/{code}/overleggen/{id}")]
pub async fn delete_overleg(ctx: Ctx, path: web::Path<(String, i64)>, if_match: IfMatch) -> ApiResult<HttpResponse> {
    onderdelen::verwijder::<Overleggen>(ctx, path.into_inner(), if_match).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_overleggen)
        .service(create_overleg)
        .service(get_overleg)
        .service(replace_overleg)
        .service(patch_overleg)
        .service(delete_overleg);
}
