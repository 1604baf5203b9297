//! `/v1/organisaties`: the organisations behind the offer. Public reads; writes by admin,
//! lokaalBestuur within its municipalities, and the aanbieder for its own organisation (who may
//! do what: `domain::toegang::organisaties`; every change follows `app::document`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, post, put};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::{self, Document, VersionedWrite, created, found};
use crate::auth::Role;
use crate::domain::ids::{KboNummer, OrganisatieId};
use crate::domain::nis::NisCode;
use crate::domain::toegang::organisaties::OrganisatieToegang;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::http::path::OrganisatieIdPath;
use crate::repo::audit::Action;
use crate::repo::organisaties::{self as repo, OrganisatieFilter, OrganisatieRow, OrganisatieWrite};
use crate::state::AppState;
use crate::wire::common::{GemeenteRef, utc};
use crate::wire::organisaties::{
    Organisatie, OrganisatieInput, OrganisatiePatch, OrganisatieSummary, OrganisatiesQuery,
};

fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/organisaties/{id}"))
}

impl OrganisatieInput {
    /// Checks what the attributes cannot (KBO check digits, a known municipality) and gives
    /// the row to store.
    fn into_write(self, state: &AppState) -> ApiResult<OrganisatieWrite> {
        let mut issues = Vec::new();
        let kbo = match self.kbo_nummer.as_deref().map(KboNummer::parse) {
            Some(Ok(k)) => Some(k),
            Some(Err(e)) => {
                issues.push(InputIssue::invalid(InputLocation::Body, "kboNummer", e).with_value(&self.kbo_nummer));
                None
            }
            None => None,
        };
        // A known municipality's code is a NIS code; the lookup is on the input as given.
        let gemeente = state.refdata.gemeente(&self.gemeente).and_then(|_| NisCode::parse(&self.gemeente).ok());
        if gemeente.is_none() {
            issues.push(
                InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "gemeente",
                    format!("No municipality with NIS code '{}'", self.gemeente),
                )
                .with_value(&self.gemeente),
            );
        }
        let gemeente = match gemeente {
            Some(g) if issues.is_empty() => g,
            _ => return Err(ApiError::bad_request(issues)),
        };
        Ok(OrganisatieWrite {
            naam: self.naam.trim().to_string(),
            kbo_nummer: kbo,
            soort: self.soort,
            gemeente,
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
            kbo_nummer: self.kbo_nummer.as_ref().map(|k| k.as_str().to_string()),
            soort: self.soort,
            gemeente: self.gemeente.to_string(),
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
            gemeente: GemeenteRef::cached(links, &state.refdata, self.gemeente.as_str()),
            soort: self.soort,
            kbo_nummer: self.kbo_nummer.map(|k| k.formatted()),
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

/// The organisation's document with its `ETag` (and `Location` when new).
fn respond(status: StatusCode, row: OrganisatieRow, links: &Links, state: &AppState) -> HttpResponse {
    let (self_link, versie) = (href(links, row.id), row.versie);
    document::respond(status, &self_link, versie, row.document(links, state))
}

/// The example of the `409 duplicate` of a KBO number registered before.
fn kbo_bestaat() -> serde_json::Value {
    serde_json::json!({"type": "urn:problem-type:pnt:duplicate", "title": "Duplicate Resource", "status": 409,
        "detail": "An organisation with KBO number 0203201340 already exists",
        "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11", "href": "https://pnt.example.vlaanderen.be/v1/organisaties/12"})
}

/// 409 with the existing organisation when the KBO number is already registered.
fn check_unique_kbo(
    c: &mut crate::db::DbConn,
    links: &Links,
    kbo: Option<&KboNummer>,
    own_id: Option<i64>,
) -> ApiResult<()> {
    if let Some(kbo) = kbo
        && let Some(existing) = repo::find_by_kbo(c, kbo)?
        && Some(existing) != own_id
    {
        return Err(ApiError::duplicate(
            format!("An organisation with KBO number {} already exists", kbo.as_str()),
            href(links, existing),
        ));
    }
    Ok(())
}

/// List organisations
///
/// Public: no token needed. Filter by municipality, kind, KBO number or part of the name;
/// repeated parameters are alternatives, different ones all apply.
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
        Some(Ok(k)) => Some(k),
        Some(Err(e)) => return Err(ApiError::invalid(InputLocation::Query, "kboNummer", e)),
        None => None,
    };
    let f = OrganisatieFilter { gemeenten: filter.gemeente, soorten: filter.soort, kbo_nummer, q: filter.q };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = state.db.run(move |c| Ok(repo::list(c, &f, offset, limit)?)).await?;
    let items = rows
        .into_iter()
        .map(|r| OrganisatieSummary {
            href: href(&links, r.id),
            gemeente: GemeenteRef::cached(&links, &state.refdata, r.gemeente.as_str()),
            soort: r.soort,
            kbo_nummer: r.kbo_nummer.map(|k| k.formatted()),
            id: r.id,
            naam: r.naam,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Get an organisation
///
/// Public: no token needed. `aanbod` links to the organisation's offer.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "getOrganisatie",
    params(OrganisatieIdPath),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The organisation", body = Organisatie,
        headers(("ETag" = String, description = "Version, for If-Match"))))
)]
#[get("/organisaties/{id}")]
pub async fn get_organisatie(ctx: PublicCtx, id: OrganisatieIdPath) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let id = id.0;
    let row = state.db.run(move |c| found(id, repo::find(c, id)?)).await?;
    Ok(respond(StatusCode::OK, row, &links, &state))
}

/// Register an organisation
///
/// admin, or lokaalBestuur for an organisation in one of its municipalities (else `403`). A
/// KBO number can be registered once: a second registration is `409` with the `href` of the
/// first. An unknown `gemeente` or a KBO number with wrong check digits is `400`.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "createOrganisatie",
    request_body(content = OrganisatieInput, description = "The new organisation",
        example = json!({
            "naam": "Buurtwerk De Brug vzw",
            "kboNummer": "0203.201.340",
            "soort": "vzw",
            "gemeente": "44021",
            "adres": {"straat": "Kortrijksesteenweg", "huisnummer": "12A", "postcode": "9000", "plaats": "Gent"},
            "email": "info@debrug.be",
            "telefoon": "+32 9 123 45 67",
            "website": "https://www.debrug.be"
        })),
    responses(
        (status = 201, description = "Created", body = Organisatie,
            headers(("Location" = String, description = "URI of the new organisation"), ("ETag" = String, description = "Version, for If-Match"))),
        (status = 409, description = "KBO number already registered (`duplicate`, with `href`)", body = Problem, example = kbo_bestaat),
    )
)]
#[post("/organisaties")]
pub async fn create_organisatie(ctx: Ctx, body: JsonBody<OrganisatieInput>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    caller.require_any(&[Role::Admin, Role::LokaalBestuur])?;
    let input = body.0;
    if !OrganisatieToegang::van(&caller).mag_registreren(&input.gemeente) {
        return Err(ApiError::missing_permission("You may only register organisations in your own municipalities"));
    }
    let write = input.into_write(&state)?;
    let l = links.clone();
    let row = state
        .db
        .write(move |c| {
            check_unique_kbo(c, &l, write.kbo_nummer.as_ref(), None)?;
            let id = repo::insert(c, &write, actor.at)?;
            created(c, &actor, OrganisatieRow::RESOURCE, id, None)?;
            found(id, repo::find(c, id)?)
        })
        .await?;
    Ok(respond(StatusCode::CREATED, row, &links, &state))
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
    let toegang = OrganisatieToegang::van(&caller);
    let (l, s) = (links.clone(), state.clone());
    let row = state
        .db
        .write(move |c| {
            let row = found(id, repo::find(c, id)?)?;
            if !toegang.mag_wijzigen(OrganisatieId(row.id), row.gemeente.as_str()) {
                return Err(ApiError::missing_permission("You may not change this organisation"));
            }
            if_match.check(row.versie)?;
            let input = new(&row)?;
            if input.gemeente != row.gemeente.as_str() && !toegang.mag_verhuizen(&input.gemeente) {
                return Err(ApiError::missing_permission("You may not move the organisation to that municipality"));
            }
            let write = input.into_write(&s)?;
            check_unique_kbo(c, &l, write.kbo_nummer.as_ref(), Some(id))?;
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &row,
                Action::Update,
                None,
                |c, versie| Ok(repo::update(c, id, versie, &write, actor.at)?),
            )?;
            found(id, repo::find(c, id)?)
        })
        .await?;
    Ok(respond(StatusCode::OK, row, &links, &state))
}

/// Replace an organisation
///
/// admin, lokaalBestuur of the organisation's municipality, or the aanbieder of this
/// organisation (else `403`). Moving it to another municipality needs the right to register
/// organisations there, except for its own aanbieder. A KBO number of another organisation is
/// `409`.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "replaceOrganisatie",
    params(OrganisatieIdPath, IfMatch),
    request_body(content = OrganisatieInput, description = "The whole organisation, as for registration",
        example = json!({
            "naam": "Buurtwerk De Brug vzw",
            "kboNummer": "0203.201.340",
            "soort": "vzw",
            "gemeente": "44021",
            "email": "contact@debrug.be",
            "telefoon": "+32 9 765 43 21"
        })),
    responses(
        (status = 200, description = "Updated", body = Organisatie, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "KBO number of another organisation (`duplicate`, with `href`)", body = Problem, example = kbo_bestaat),
    )
)]
#[put("/organisaties/{id}")]
pub async fn replace_organisatie(
    ctx: Ctx,
    id: OrganisatieIdPath,
    if_match: IfMatch,
    body: JsonBody<OrganisatieInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    replace(ctx, id.0, if_match, move |_| Ok(input)).await
}

/// Update an organisation partially
///
/// A JSON Merge Patch (RFC 7396) with `Content-Type: application/merge-patch+json`: the fields
/// to change; `null` removes an optional field. The result is checked exactly as for PUT, and
/// who may patch, `409` and `412` are as for PUT too. A body that is not a JSON object, an
/// unknown field or `null` on `naam`, `soort` or `gemeente` is `400`.
#[utoipa::path(
    tag = "Organisaties",
    operation_id = "patchOrganisatie",
    params(OrganisatieIdPath, IfMatch),
    request_body(content = OrganisatiePatch, content_type = "application/merge-patch+json",
        description = "The fields to change",
        example = json!({"telefoon": "+32 9 765 43 21", "website": null})),
    responses(
        (status = 200, description = "Updated", body = Organisatie, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "KBO number of another organisation (`duplicate`, with `href`)", body = Problem, example = kbo_bestaat),
    )
)]
#[patch("/organisaties/{id}")]
pub async fn patch_organisatie(
    ctx: Ctx,
    id: OrganisatieIdPath,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    replace(ctx, id.0, if_match, move |row| patch.apply(&row.input())).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_organisaties)
        .service(create_organisatie)
        .service(get_organisatie)
        .service(replace_organisatie)
        .service(patch_organisatie);
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    fn properties<T: PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["properties"].as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn the_merge_patch_schema_names_every_field_of_the_input() {
        assert_eq!(properties::<OrganisatiePatch>(), properties::<OrganisatieInput>());
    }
}
