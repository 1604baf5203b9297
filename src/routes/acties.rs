//! `/v1/regionaleNetwerken/{code}/acties`: a network's action plan. Read by the agency's
//! roles, municipalities and network coordinators; written by an admin and the network's own
//! netwerkcoordinator.

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::app::document::respond;
use crate::db::DbConn;
use crate::domain::netwerk::{self as regels, ActieStatus};
use crate::error::{ApiResult, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery, MergePatch};
use crate::http::links::Links;
use crate::repo::acties::{self as repo, ActieFilter, ActieRow, ActieVelden};
use crate::routes::common::utc;
use crate::routes::netwerk_onderdelen::{self as onderdelen, Onderdeel};
use crate::routes::regionale_netwerken::{mag_lezen, netwerk_href};
use crate::routes::toegang::{tekst, vandaag};

fn gepland() -> ActieStatus {
    ActieStatus::Gepland
}

/// An action as clients write it (the body of POST and PUT). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActieInput {
    /// What is to be done, 1 to 300 characters.
    #[validate(length(min = 1, max = 300))]
    #[schema(example = "Kennismakingsronde bij alle lokale besturen")]
    pub titel: String,
    /// Details, up to 10,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 10000))]
    #[schema(example = "Per gemeente een gesprek met de schepen van welzijn en de dienst integratie.")]
    pub beschrijving: Option<String>,
    /// `gepland` when absent.
    #[serde(default = "gepland")]
    pub status: ActieStatus,
    /// The day it should be done by (yyyy-MM-dd); after it, an open action is overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-06-30")]
    pub deadline: Option<NaiveDate>,
    /// Who carries the action (a person, a partner, a werkgroep), up to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "netwerkcoach")]
    pub trekker: Option<String>,
}

/// A JSON Merge Patch (RFC 7396) of an action: the fields of [`ActieInput`] to change. Applied
/// to the action's current content and then checked like a PUT body, so an unknown field is
/// refused (400 `unknownInput`) and so is `null` on `titel` (the field is required). For the
/// document only: the handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"status": "afgerond", "deadline": null}))]
pub struct ActiePatch {
    /// New title; cannot be removed.
    #[schema(nullable = false, example = "Kennismakingsronde bij alle lokale besturen")]
    titel: Option<String>,
    /// New details; `null` removes them.
    beschrijving: Option<String>,
    /// New status; `null` sets it back to `gepland`.
    status: Option<ActieStatus>,
    /// New deadline (yyyy-MM-dd); `null` removes it.
    #[schema(example = "2026-09-30")]
    deadline: Option<NaiveDate>,
    /// Who carries it now; `null` removes it.
    trekker: Option<String>,
}

/// An action of the action plan.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Actie {
    /// This action's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The action's id within the API.
    #[schema(example = 7)]
    pub id: i64,
    /// The network's URL.
    pub netwerk: String,
    /// What is to be done.
    #[schema(example = "Kennismakingsronde bij alle lokale besturen")]
    pub titel: String,
    /// Details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beschrijving: Option<String>,
    /// Where the action stands.
    pub status: ActieStatus,
    /// The day it should be done by.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-06-30")]
    pub deadline: Option<NaiveDate>,
    /// Who carries the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "netwerkcoach")]
    pub trekker: Option<String>,
    /// Open (`gepland`, `lopend`) with its deadline passed.
    pub achterstallig: bool,
    /// Version; the `ETag` of this document.
    pub versie: i64,
    /// When the action was added.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the action last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// An action in a list: the action, with `href` next to `self`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActieItem {
    /// This action's URL (equal to `self`).
    pub href: String,
    #[serde(flatten)]
    pub actie: Actie,
}

/// Filters of the action plan.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ActiesQuery {
    /// Status (repeatable: `status=gepland&status=lopend`).
    #[serde(default)]
    #[param(example = json!(["lopend"]))]
    pub status: Vec<ActieStatus>,
    /// `true`: only overdue actions (open, deadline passed); `false`: only the others.
    #[param(example = true)]
    pub achterstallig: Option<bool>,
}

fn href(links: &Links, code: &str, id: i64) -> String {
    format!("{}/acties/{id}", netwerk_href(links, code))
}

fn status(row: &ActieRow) -> ActieStatus {
    ActieStatus::parse(&row.status).unwrap_or(ActieStatus::Gepland)
}

fn velden(input: ActieInput) -> ActieVelden {
    ActieVelden {
        titel: input.titel.trim().to_string(),
        beschrijving: tekst(input.beschrijving),
        status: input.status.as_str().to_string(),
        deadline: input.deadline,
        trekker: tekst(input.trekker),
    }
}

fn document(links: &Links, row: ActieRow) -> Actie {
    let status = status(&row);
    Actie {
        self_link: href(links, &row.netwerk_code, row.id),
        id: row.id,
        netwerk: netwerk_href(links, &row.netwerk_code),
        achterstallig: regels::achterstallig(status, row.deadline, vandaag()),
        titel: row.titel,
        beschrijving: row.beschrijving,
        status,
        deadline: row.deadline,
        trekker: row.trekker,
        versie: row.versie,
        aangemaakt_op: utc(row.aangemaakt_op),
        gewijzigd_op: utc(row.gewijzigd_op),
    }
}

/// The action plan as a network's [`Onderdeel`].
struct Acties;

impl Onderdeel for Acties {
    const RESOURCE: &'static str = "netwerkActie";
    const NAAM: &'static str = "action";
    type Item = ActieRow;
    type Input = ActieInput;

    fn vind(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<ActieRow>> {
        Ok(repo::find(c, code, id)?)
    }

    fn versie_van(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<i64>> {
        Ok(repo::find(c, code, id)?.map(|r| r.versie))
    }

    fn versie(row: &ActieRow) -> i64 {
        row.versie
    }

    fn input_van(row: &ActieRow) -> ActieInput {
        ActieInput {
            titel: row.titel.clone(),
            beschrijving: row.beschrijving.clone(),
            status: status(row),
            deadline: row.deadline,
            trekker: row.trekker.clone(),
        }
    }

    fn voeg_toe(c: &mut DbConn, code: &str, input: ActieInput) -> ApiResult<i64> {
        Ok(repo::insert(c, code, &velden(input), crate::db::now())?)
    }

    fn werk_bij(c: &mut DbConn, id: i64, versie: i64, input: ActieInput) -> ApiResult<bool> {
        Ok(repo::update(c, id, versie, &velden(input), crate::db::now())?)
    }

    fn wis(c: &mut DbConn, id: i64, versie: i64) -> ApiResult<bool> {
        Ok(repo::delete(c, id, versie)?)
    }

    fn respond(status: StatusCode, links: &Links, row: ActieRow) -> HttpResponse {
        let doc = document(links, row);
        let self_link = doc.self_link.clone();
        respond(status, &self_link, doc.versie, doc)
    }

    /// With the status the action now has.
    fn details_bij_wijziging(code: &str, input: &ActieInput) -> serde_json::Value {
        serde_json::json!({"netwerk": code, "status": input.status.as_str()})
    }
}

/// List a network's actions
///
/// The network's action plan by deadline (actions without one last), filtered on status and
/// on being overdue. For admins, trajectbegeleiders, municipalities (lokaalBestuur) and network
/// coordinators (of any network); other roles get 403, an unknown network 404.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "listNetwerkActies",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"), ActiesQuery, PageParams),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of actions", body = Collection<ActieItem>))
)]
#[get("/regionaleNetwerken/{code}/acties")]
pub async fn list_acties(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<String>,
    query: ListQuery<ActiesQuery>,
) -> ApiResult<HttpResponse> {
    let code = path.into_inner();
    mag_lezen(&ctx, &code)?;
    let Ctx { state, links, .. } = ctx;
    let ListQuery { filter, page } = query;
    // Overdue in SQL; "not overdue" (few actions) is filtered below.
    let f = ActieFilter {
        statussen: filter.status.iter().map(|s| s.as_str().to_string()).collect(),
        achterstallig_op: (filter.achterstallig == Some(true)).then(vandaag),
    };
    let (offset, limit) = (page.offset(), page.limit());
    let niet_achterstallig = filter.achterstallig == Some(false);
    let (rows, total) = state
        .db
        .run(move |c| {
            if niet_achterstallig {
                let (rows, _) = repo::list(c, &code, &f, None)?;
                let rows: Vec<ActieRow> =
                    rows.into_iter().filter(|r| !regels::achterstallig(status(r), r.deadline, vandaag())).collect();
                let total = rows.len() as i64;
                Ok((rows.into_iter().skip(offset as usize).take(limit as usize).collect(), total))
            } else {
                Ok(repo::list(c, &code, &f, Some((offset, limit)))?)
            }
        })
        .await?;
    let items = rows
        .into_iter()
        .map(|r| {
            let actie = document(&links, r);
            ActieItem { href: actie.self_link.clone(), actie }
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// Add an action to the plan
///
/// For an admin and the network's own netwerkcoordinator (claim `regio`); others get 403, an
/// unknown network 404. `status` defaults to `gepland`. The write is audited with the network.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "createNetwerkActie",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("Idempotency-Key" = Option<String>, Header, description = "Repeat-safe creation")),
    request_body(content = ActieInput, description = "The new action", example = json!({
        "titel": "Kennismakingsronde bij alle lokale besturen",
        "beschrijving": "Per gemeente een gesprek met de schepen van welzijn en de dienst integratie.",
        "status": "gepland", "deadline": "2026-06-30", "trekker": "netwerkcoach"
    })),
    security(("bearerAuth" = [])),
    responses((status = 201, description = "Added", body = Actie, headers(("Location" = String), ("ETag" = String))))
)]
#[post("/regionaleNetwerken/{code}/acties")]
pub async fn create_actie(ctx: Ctx, path: web::Path<String>, body: JsonBody<ActieInput>) -> ApiResult<HttpResponse> {
    onderdelen::maak::<Acties>(ctx, path.into_inner(), body.0).await
}

/// Get an action
///
/// One action of the network's plan, with its `ETag`. For the roles that read the plan (admins,
/// trajectbegeleiders, municipalities, network coordinators); 404 for an unknown network or an
/// action of another network, else 403 for other roles.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "getNetwerkActie",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Action id", example = 7)),
    security(("bearerAuth" = [])),
    responses((status = 200, description = "The action", body = Actie, headers(("ETag" = String))))
)]
#[get("/regionaleNetwerken/{code}/acties/{id}")]
pub async fn get_actie(ctx: Ctx, path: web::Path<(String, i64)>) -> ApiResult<HttpResponse> {
    onderdelen::haal::<Acties>(ctx, path.into_inner()).await
}

/// Replace an action
///
/// The whole action: absent optional fields are removed and an absent `status` becomes
/// `gepland`. For an admin and the network's own netwerkcoordinator; honours `If-Match` (412
/// when stale, 409 when a concurrent write got in first without it). Audited with the
/// network and the new status.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "replaceNetwerkActie",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Action id", example = 7),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = ActieInput, description = "The action as it should be", example = json!({
        "titel": "Kennismakingsronde bij alle lokale besturen", "status": "lopend",
        "deadline": "2026-09-30", "trekker": "netwerkcoach"
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Actie, headers(("ETag" = String))),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[put("/regionaleNetwerken/{code}/acties/{id}")]
pub async fn replace_actie(
    ctx: Ctx,
    path: web::Path<(String, i64)>,
    if_match: IfMatch,
    body: JsonBody<ActieInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    onderdelen::vervang::<Acties>(ctx, path.into_inner(), if_match, move |_| Ok(input)).await
}

/// Update an action partially
///
/// A JSON Merge Patch (RFC 7396) of the PUT body, e.g. `{"status": "afgerond"}`: `null`
/// removes an optional field (`status: null` sets `gepland`); the result is checked like a
/// PUT body. Same rights, `If-Match` and audit as PUT.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "patchNetwerkActie",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Action id", example = 7),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you edited")),
    request_body(content = ActiePatch, content_type = "application/merge-patch+json",
        description = "The fields to change", example = json!({"status": "afgerond"})),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = Actie, headers(("ETag" = String))),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[patch("/regionaleNetwerken/{code}/acties/{id}")]
pub async fn patch_actie(
    ctx: Ctx,
    path: web::Path<(String, i64)>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    onderdelen::vervang::<Acties>(ctx, path.into_inner(), if_match, move |huidig| patch.apply(huidig)).await
}

/// Delete an action
///
/// Removes the action from the plan. For an admin and the network's own netwerkcoordinator;
/// honours `If-Match`. Audited with the network.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "deleteNetwerkActie",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"),
        ("id" = i64, Path, description = "Action id", example = 7),
        ("If-Match" = Option<String>, Header, description = "ETag of the version you mean to delete")),
    security(("bearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "A concurrent change got in first (without If-Match)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "Stale If-Match (`preconditionFailed`)", body = Problem, content_type = "application/problem+json"),
    )
)]
#[delete("/regionaleNetwerken/{code}/acties/{id}")]
pub async fn delete_actie(ctx: Ctx, path: web::Path<(String, i64)>, if_match: IfMatch) -> ApiResult<HttpResponse> {
    onderdelen::verwijder::<Acties>(ctx, path.into_inner(), if_match).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_acties)
        .service(create_actie)
        .service(get_actie)
        .service(replace_actie)
        .service(patch_actie)
        .service(delete_actie);
}
