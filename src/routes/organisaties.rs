//! `/v1/organisaties`: the organisations behind the offer. Public reads; writes by admin,
//! lokaalBestuur within its municipalities, and the aanbieder for its own organisation.

use actix_web::{HttpRequest, HttpResponse, get, http::header, patch, post, put, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::{Caller, Role};
use crate::domain::aanbod::OrganisatieSoort;
use crate::domain::ids::KboNummer;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::repo::audit::{self, Action};
use crate::repo::organisaties::{self as repo, OrganisatieFilter, OrganisatieRow, OrganisatieWrite};
use crate::routes::common::{Adres, GemeenteRef, utc};
use crate::state::AppState;

/// An organisation as clients write it.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisatieInput {
    /// Name of the organisation.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// KBO enterprise number (10 digits, mod-97 checked); dots and a `BE` prefix are accepted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
    pub soort: OrganisatieSoort,
    /// NIS code of the municipality where the organisation is based.
    #[schema(example = "44021")]
    pub gemeente: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub adres: Option<Adres>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email)]
    #[schema(example = "info@debrug.be")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 6, max = 30))]
    #[schema(example = "+32 9 123 45 67")]
    pub telefoon: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(url)]
    #[schema(example = "https://www.debrug.be")]
    pub website: Option<String>,
}

/// An organisation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organisatie {
    #[serde(rename = "self")]
    pub self_link: String,
    #[schema(example = 12)]
    pub id: i64,
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// In the official notation `0123.456.789`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
    pub soort: OrganisatieSoort,
    pub gemeente: GemeenteRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub adres: Option<Adres>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub telefoon: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// The organisation's offer.
    pub aanbod: String,
    /// Version; the `ETag` of this document.
    pub versie: i32,
    pub aangemaakt_op: DateTime<Utc>,
    pub gewijzigd_op: DateTime<Utc>,
}

/// An organisation in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieSummary {
    pub href: String,
    pub id: i64,
    pub naam: String,
    pub soort: OrganisatieSoort,
    pub gemeente: GemeenteRef,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kbo_nummer: Option<String>,
}

/// Filters of the organisation list; repeated parameters are alternatives.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OrganisatiesQuery {
    /// NIS code (repeatable).
    #[serde(default)]
    #[param(example = json!(["44021"]))]
    pub gemeente: Vec<String>,
    /// Kind (repeatable).
    #[serde(default)]
    pub soort: Vec<OrganisatieSoort>,
    /// KBO number.
    #[param(example = "0203201340")]
    pub kbo_nummer: Option<String>,
    /// Part of the name.
    #[param(example = "brug")]
    pub q: Option<String>,
}

const RESOURCE: &str = "organisatie";

fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/organisaties/{id}"))
}

fn formatted_kbo(k: Option<String>) -> Option<String> {
    k.map(|k| KboNummer::parse(&k).map(|n| n.formatted()).unwrap_or(k))
}

fn soort(s: &str) -> OrganisatieSoort {
    OrganisatieSoort::parse(s).unwrap_or(OrganisatieSoort::Andere)
}

impl OrganisatieInput {
    /// Checks what the attributes cannot (KBO check digits, a known municipality) and gives
    /// the row to store.
    fn into_write(self, state: &AppState) -> ApiResult<OrganisatieWrite> {
        let mut issues = Vec::new();
        let kbo = match self.kbo_nummer.as_deref().map(KboNummer::parse) {
            Some(Ok(k)) => Some(k.as_str().to_string()),
            Some(Err(e)) => {
                issues.push(InputIssue::invalid(InputLocation::Body, "kboNummer", e).with_value(&self.kbo_nummer));
                None
            }
            None => None,
        };
        if state.refdata.gemeente(&self.gemeente).is_none() {
            issues.push(
                InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "gemeente",
                    format!("No municipality with NIS code '{}'", self.gemeente),
                )
                .with_value(&self.gemeente),
            );
        }
        if !issues.is_empty() {
            return Err(ApiError::bad_request(issues));
        }
        Ok(OrganisatieWrite {
            naam: self.naam.trim().to_string(),
            kbo_nummer: kbo,
            soort: self.soort.as_str().to_string(),
            gemeente: self.gemeente,
            adres: self.adres.filter(|a| !a.is_empty()).map(|a| serde_json::to_string(&a).unwrap_or_default()),
            email: self.email,
            telefoon: self.telefoon,
            website: self.website,
        })
    }
}

impl OrganisatieRow {
    fn input(&self) -> OrganisatieInput {
        OrganisatieInput {
            naam: self.naam.clone(),
            kbo_nummer: self.kbo_nummer.clone(),
            soort: soort(&self.soort),
            gemeente: self.gemeente.clone(),
            adres: self.adres.as_deref().and_then(|a| serde_json::from_str(a).ok()),
            email: self.email.clone(),
            telefoon: self.telefoon.clone(),
            website: self.website.clone(),
        }
    }

    fn document(self, links: &Links, state: &AppState) -> Organisatie {
        Organisatie {
            self_link: href(links, self.id),
            aanbod: links.href(&format!("/v1/aanbod?organisatie={}", self.id)),
            adres: self.adres.as_deref().and_then(|a| serde_json::from_str(a).ok()),
            gemeente: GemeenteRef::cached(links, &state.refdata, &self.gemeente),
            soort: soort(&self.soort),
            kbo_nummer: formatted_kbo(self.kbo_nummer),
            id: self.id,
            naam: self.naam,
            email: self.email,
            telefoon: self.telefoon,
            website: self.website,
            versie: self.versie,
            aangemaakt_op: utc(self.aangemaakt_op),
            gewijzigd_op: utc(self.gewijzigd_op),
        }
    }
}

fn may_create(caller: &Caller, gemeente: &str) -> bool {
    caller.is_admin() || (caller.has(Role::LokaalBestuur) && caller.covers_gemeente(gemeente))
}

fn may_edit(caller: &Caller, row: &OrganisatieRow) -> bool {
    may_create(caller, &row.gemeente)
        || (caller.has(Role::Aanbieder) && caller.organisatie.as_deref() == Some(row.id.to_string().as_str()))
}

fn respond(status: actix_web::http::StatusCode, row: OrganisatieRow, links: &Links, state: &AppState) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    with_etag(&mut res, i64::from(row.versie));
    if status == actix_web::http::StatusCode::CREATED {
        res.insert_header((header::LOCATION, href(links, row.id)));
    }
    res.json(row.document(links, state))
}

/// 409 with the existing organisation when the KBO number is already registered.
fn check_unique_kbo(c: &mut crate::db::DbConn, links: &Links, kbo: Option<&str>, own_id: Option<i64>) -> ApiResult<()> {
    if let Some(kbo) = kbo
        && let Some(existing) = repo::find_by_kbo(c, kbo)?
        && Some(existing) != own_id
    {
        return Err(ApiError::duplicate(
            format!("An organisation with KBO number {kbo} already exists"),
            href(links, existing),
        ));
    }
    Ok(())
}

/// List organisations
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "listOrganisaties",
    params(OrganisatiesQuery, PageParams),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "A page of organisations", body = Collection<OrganisatieSummary>))
)]
#[get("/organisaties")]
pub async fn list_organisaties(
    req: HttpRequest,
    ctx: PublicCtx,
    query: ListQuery<OrganisatiesQuery>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let ListQuery { filter, page } = query;
    let kbo_nummer = match filter.kbo_nummer.as_deref().map(KboNummer::parse) {
        Some(Ok(k)) => Some(k.as_str().to_string()),
        Some(Err(e)) => return Err(ApiError::invalid(InputLocation::Query, "kboNummer", e)),
        None => None,
    };
    let f = OrganisatieFilter {
        gemeenten: filter.gemeente,
        soorten: filter.soort.iter().map(|s| s.as_str().to_string()).collect(),
        kbo_nummer,
        q: filter.q,
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = state.db.run(move |c| Ok(repo::list(c, &f, offset, limit)?)).await?;
    let items = rows
        .into_iter()
        .map(|r| OrganisatieSummary {
            href: href(&links, r.id),
            gemeente: GemeenteRef::cached(&links, &state.refdata, &r.gemeente),
            soort: soort(&r.soort),
            kbo_nummer: formatted_kbo(r.kbo_nummer),
            id: r.id,
            naam: r.naam,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Get an organisation
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "getOrganisatie",
    params(("id" = i64, Path, description = "Organisation id", example = 12)),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The organisation", body = Organisatie,
        headers(("ETag" = String, description = "Version, for If-Match"))))
)]
#[get("/organisaties/{id}")]
pub async fn get_organisatie(ctx: PublicCtx, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let id = path.into_inner();
    let row = state.db.run(move |c| Ok(repo::find(c, id)?)).await?;
    let row = row.ok_or_else(|| ApiError::not_found(format!("No organisation with id {id}")))?;
    Ok(respond(actix_web::http::StatusCode::OK, row, &links, &state))
}

/// Register an organisation
///
/// admin, or lokaalBestuur for an organisation in one of its municipalities. A KBO number can
/// be registered once: a second registration is `409` with the `href` of the first.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "createOrganisatie",
    request_body = OrganisatieInput,
    security(("bearerAuth" = [])),
    params(("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe creation: a retry with the same key returns the first response")),
    responses(
        (status = 201, description = "Created", body = Organisatie,
            headers(("Location" = String), ("ETag" = String))),
        (status = 409, description = "KBO number already registered (`duplicate`, with `href`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/organisaties")]
pub async fn create_organisatie(ctx: Ctx, body: JsonBody<OrganisatieInput>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    caller.require_any(&[Role::Admin, Role::LokaalBestuur])?;
    let input = body.0;
    if !may_create(&caller, &input.gemeente) {
        return Err(ApiError::missing_permission("You may only register organisations in your own municipalities"));
    }
    let write = input.into_write(&state)?;
    let l = links.clone();
    let row = state
        .db
        .write(move |c| {
            check_unique_kbo(c, &l, write.kbo_nummer.as_deref(), None)?;
            let id = repo::insert(c, &write, crate::db::now())?;
            audit::record(c, &actor, Action::Create, RESOURCE, &id.to_string(), None)?;
            repo::find(c, id)?.ok_or_else(|| ApiError::internal("organisation vanished after insert"))
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::CREATED, row, &links, &state))
}

/// Stores a new version of an organisation the caller may edit (shared by PUT and PATCH).
async fn replace(
    ctx: Ctx,
    id: i64,
    if_match: IfMatch,
    new: impl FnOnce(&OrganisatieRow) -> ApiResult<OrganisatieInput> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let (l, s) = (links.clone(), state.clone());
    let row = state
        .db
        .write(move |c| {
            let row = repo::find(c, id)?.ok_or_else(|| ApiError::not_found(format!("No organisation with id {id}")))?;
            if !may_edit(&caller, &row) {
                return Err(ApiError::missing_permission("You may not change this organisation"));
            }
            if_match.check(i64::from(row.versie))?;
            let input = new(&row)?;
            // Moving an organisation to another municipality needs rights there too.
            if input.gemeente != row.gemeente && !caller.has(Role::Aanbieder) && !may_create(&caller, &input.gemeente) {
                return Err(ApiError::missing_permission("You may not move the organisation to that municipality"));
            }
            let write = input.into_write(&s)?;
            check_unique_kbo(c, &l, write.kbo_nummer.as_deref(), Some(id))?;
            if !repo::update(c, id, row.versie, &write, crate::db::now())? {
                return Err(ApiError::precondition_failed("The organisation changed meanwhile; fetch it again"));
            }
            audit::record(c, &actor, Action::Update, RESOURCE, &id.to_string(), None)?;
            repo::find(c, id)?.ok_or_else(|| ApiError::internal("organisation vanished after update"))
        })
        .await?;
    Ok(respond(actix_web::http::StatusCode::OK, row, &links, &state))
}

/// Replace an organisation
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "replaceOrganisatie",
    params(("id" = i64, Path, description = "Organisation id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body = OrganisatieInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Organisatie, headers(("ETag" = String))),
        (status = 409, description = "KBO number of another organisation", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/organisaties/{id}")]
pub async fn replace_organisatie(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<OrganisatieInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    replace(ctx, path.into_inner(), if_match, move |_| Ok(input)).await
}

/// Update an organisation partially
///
/// A JSON Merge Patch (RFC 7396): the fields to change; `null` removes an optional field.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "patchOrganisatie",
    params(("id" = i64, Path, description = "Organisation id"),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = Object, content_type = "application/merge-patch+json",
        example = json!({"telefoon": "+32 9 765 43 21", "website": null})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Organisatie, headers(("ETag" = String))),
        (status = 412, description = "Stale If-Match", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/organisaties/{id}")]
pub async fn patch_organisatie(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    replace(ctx, path.into_inner(), if_match, move |row| patch.apply(&row.input())).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organisaties)
        .service(create_organisatie)
        .service(get_organisatie)
        .service(replace_organisatie)
        .service(patch_organisatie);
}
