//! `GET /v1/auditLog`: who read or changed which personal record, when, under which trace id
//! (R15). For admins (auditors) only; the log has no operation that changes it.

use actix_web::{HttpRequest, HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::toegang::personen::mag_auditlog_lezen;
use crate::error::{ApiError, ApiResult, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::ListQuery;
use crate::http::links::Links;
use crate::repo::auditlog::{self as repo, AuditFilter, AuditRow};
use crate::routes::{contracten, inburgeraars};
use crate::wire::auditlog::{AuditEntry, AuditLogQuery};

/// The resource an entry is about, where it has an address of its own.
pub fn resource_href(links: &Links, resource_type: &str, id: &str) -> Option<String> {
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
