//! `GET /v1/auditLog`: who read or changed which personal record, when, under which trace id
//! (R15). For admins (auditors) only; the log has no operation that changes it.

use actix_web::{HttpRequest, HttpResponse, get};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::toegang::personen::mag_auditlog_lezen;
use crate::error::{ApiError, ApiResult, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::ListQuery;
use crate::http::links::Links;
use crate::repo::auditlog::{self as repo, AuditFilter, AuditRow};
use crate::routes::{contracten, inburgeraars};

/// Filters of the audit log; repeated parameters are alternatives (OR).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditLogQuery {
    /// `sub` of whoever acted (repeatable).
    #[serde(default)]
    #[param(example = json!(["tb-1"]))]
    pub actor: Vec<String>,
    /// Resource type (repeatable): `inburgeraar`, `inburgeringscontract`, …
    #[serde(default)]
    #[param(example = json!(["inburgeraar"]))]
    pub resource_type: Vec<String>,
    /// Resource id (repeatable); combine with `resourceType`.
    #[serde(default)]
    #[param(example = json!(["17"]))]
    pub resource_id: Vec<String>,
    /// Action (repeatable): `read`, `list`, `create`, `update`, or a change such as
    /// `termijnVerlengd` or `trajectbegeleiderGewijzigd`.
    #[serde(default)]
    #[param(example = json!(["update"]))]
    pub actie: Vec<String>,
    /// From this moment, inclusive (RFC 3339, e.g. `2026-11-22T00:00:00Z`).
    #[param(example = "2026-11-22T00:00:00Z")]
    pub van: Option<DateTime<Utc>>,
    /// Until this moment, exclusive (RFC 3339); after `van`.
    #[param(example = "2026-11-23T00:00:00Z")]
    pub tot: Option<DateTime<Utc>>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Id of the entry; later entries have higher ids.
    #[schema(example = 1042)]
    pub id: i64,
    /// When.
    pub tijdstip: DateTime<Utc>,
    /// Who: the caller's `sub`.
    #[schema(example = "tb-1")]
    pub actor: String,
    /// The caller's roles then.
    #[schema(example = json!(["trajectbegeleider"]))]
    pub actor_rollen: Vec<String>,
    /// What: `read`, `list`, `create`, `update`, or the name of a change.
    #[schema(example = "read")]
    pub actie: String,
    /// The kind of record: `inburgeraar`, `inburgeringscontract`, `deelnamebewijs`, …
    #[schema(example = "inburgeraar")]
    pub resource_type: String,
    /// The record's id, as text.
    #[schema(example = "17")]
    pub resource_id: String,
    /// Link to the resource, for the types this API serves; absent for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub resource_href: Option<String>,
    /// The request's `BelGov-Trace-Id`, to find it in the access log.
    #[schema(example = "0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11")]
    pub trace_id: String,
    /// Ids and field names that qualify the action (never personal data); absent when there
    /// are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, example = json!({ "velden": ["contact", "gemeente"] }))]
    pub details: Option<serde_json::Value>,
}

/// The resource an entry is about, where it has an address of its own.
fn resource_href(links: &Links, resource_type: &str, id: &str) -> Option<String> {
    let path = match resource_type {
        inburgeraars::RESOURCE => return Some(inburgeraars::inburgeraar_href(links, id.parse().ok()?)),
        contracten::RESOURCE => return Some(contracten::contract_href(links, id.parse().ok()?)),
        "deelnamebewijs" => "deelnamebewijzen",
        "aanbod" => "aanbod",
        "organisatie" => "organisaties",
        "doorverwijzing" => "doorverwijzingen",
        "apiClient" => "apiClients",
        "regionaalNetwerk" => "regionaleNetwerken",
        _ => return None,
    };
    Some(links.href(&format!("/v1/{path}/{id}")))
}

fn entry(links: &Links, r: AuditRow) -> AuditEntry {
    AuditEntry {
        resource_href: resource_href(links, &r.resource_type, &r.resource_id),
        id: r.id,
        tijdstip: r.at.and_utc(),
        actor: r.actor,
        actor_rollen: r.actor_roles.split(',').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        actie: r.action,
        resource_type: r.resource_type,
        resource_id: r.resource_id,
        trace_id: r.trace_id,
        details: r.details.and_then(|d| serde_json::from_str(&d).ok()),
    }
}

/// Read the audit log
///
/// For admins only (others get `403`). Newest first. Every read of a newcomer's, contract's or
/// proof's data and every change is here: who (`sub`, roles), what (action, resource type and
/// id), when, and the trace id. Reading the log is not itself logged; `tot` not after `van`
/// is a `badRequest`.
#[utoipa::path(
    tag = "Audit",
    operation_id = "listAuditLog",
    params(AuditLogQuery, PageParams),
    responses((status = 200, description = "A page of entries", body = Collection<AuditEntry>))
)]
#[get("/auditLog")]
pub async fn list_audit_log(req: HttpRequest, ctx: Ctx, query: ListQuery<AuditLogQuery>) -> ApiResult<HttpResponse> {
    mag_auditlog_lezen(&ctx.caller)?;
    let ListQuery { filter, page } = query;
    if let (Some(van), Some(tot)) = (filter.van, filter.tot)
        && tot <= van
    {
        return Err(ApiError::invalid(InputLocation::Query, "tot", "tot must lie after van"));
    }
    let f = AuditFilter {
        actors: filter.actor,
        resource_types: filter.resource_type,
        resource_ids: filter.resource_id,
        acties: filter.actie,
        van: filter.van.map(|d| d.naive_utc()),
        tot: filter.tot.map(|d| d.naive_utc()),
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx.state.db.run(move |c| Ok(repo::list(c, &f, offset, limit)?)).await?;
    let items = rows.into_iter().map(|r| entry(&ctx.links, r)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_audit_log);
}
