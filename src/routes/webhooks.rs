//! `/v1/webhooks`: admins subscribe other systems to events (README, "Webhooks"). Deliveries
//! are written with the event, in the transaction of the change (`repo::webhooks`), and sent by
//! the outbox worker, signed, with retries (`crate::webhooks`). The secret is shown once.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, delete, get, post};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Role;
use crate::domain::gebeurtenis::GebeurtenisType;
use crate::domain::webhook::check_url;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::WebhookId;
use crate::repo::audit::{self, Action};
use crate::repo::outbox::{BerichtRow, BerichtStatus};
use crate::repo::webhooks::{self as repo, NieuweWebhook, RESOURCE, WebhookRow};
use crate::wire::common::utc;
use crate::wire::webhooks::{Levering, Webhook, WebhookIn, WebhooksQuery};

fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/webhooks/{id}"))
}

fn document(links: &Links, row: WebhookRow, geheim: Option<String>) -> Webhook {
    Webhook {
        self_link: href(links, row.id),
        leveringen: links.href(&format!("/v1/webhooks/{}/leveringen", row.id)),
        id: row.id,
        url: row.url,
        gebeurtenissen: row.gebeurtenissen.map(|g| g.0),
        scope: row.scope.map(|s| s.0),
        omschrijving: row.omschrijving,
        geheim,
        aangemaakt_door: row.aangemaakt_door,
        aangemaakt_op: utc(row.aangemaakt_op),
    }
}

/// A delivery row as the API shows it; a stored type outside the set is an internal error,
/// as for every closed set read back.
fn levering(r: BerichtRow) -> ApiResult<Levering> {
    let soort = GebeurtenisType::parse(&r.onderwerp)
        .ok_or_else(|| ApiError::internal(format!("delivery {}: '{}' is not an event type", r.id, r.onderwerp)))?;
    Ok(Levering {
        id: r.id,
        gebeurtenis: r.gebeurtenis_id.unwrap_or_default(),
        soort,
        volgende_poging: (r.status == BerichtStatus::TeVerzenden).then(|| utc(r.volgende_poging)),
        status: r.status,
        pogingen: r.pogingen,
        laatste_status: r.laatste_status,
        laatste_fout: r.laatste_fout,
        aangemaakt_op: utc(r.aangemaakt_op),
        afgehandeld_op: r.afgehandeld_op.map(utc),
    })
}

fn not_found(id: i64) -> ApiError {
    ApiError::not_found(format!("No webhook subscription {id}"))
}

/// Subscribe to events
///
/// admin only. Registers `url` to receive, as they happen, the events of `gebeurtenissen`
/// (absent: every type) within `scope` (absent: every event) — the same events the change feed
/// (`GET /v1/gebeurtenissen`) shows. Each event is POSTed as JSON (the feed's item) and signed as
/// Standard Webhooks specifies: headers `webhook-id` (`evt_<event id>`, the same on every retry:
/// drop a repeat), `webhook-timestamp` (Unix seconds) and `webhook-signature`
/// (`v1,<base64 HMAC-SHA256 over "<webhook-id>.<webhook-timestamp>.<body>">`, the key being the
/// base64 after `whsec_` in `geheim`). A 2xx answer within 10 s is a delivery; anything else is
/// retried with a doubling delay for about six hours, then marked `mislukt` (see
/// `…/leveringen`). Deliveries are at least once and in no guaranteed order. The URL must be
/// `https://` and resolve to public addresses only (`400` naming `url`). `geheim` is shown only
/// in this answer, so this operation takes no `Idempotency-Key`.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "createWebhook",
    request_body(content = WebhookIn, description = "The subscription",
        example = json!({"url": "https://integratie.gent.be/pnt/webhooks", "gebeurtenissen": ["aanbod.gepubliceerd", "aanbod.gearchiveerd"],
                         "scope": {"gemeenten": ["44021"]}, "omschrijving": "UiTdatabank-koppeling Stad Gent"})),
    responses((status = 201, description = "Subscribed; `geheim` is shown only now", body = Webhook,
        headers(("Location" = String, description = "URI of the subscription"))))
)]
#[post("/webhooks")]
pub async fn create_webhook(ctx: Ctx, body: JsonBody<WebhookIn>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let input = body.0;
    let mut issues = Vec::new();
    if let Err(e) = check_url(&input.url, ctx.state.settings.webhooks.insecure_loopback) {
        issues.push(InputIssue::invalid(InputLocation::Body, "url", e));
    }
    let scope = input.scope.filter(|s| !s.is_leeg());
    if let Some(s) = &scope {
        for (i, g) in s.gemeenten.iter().enumerate() {
            if ctx.state.refdata.gemeente(g).is_none() {
                issues.push(InputIssue::referenced_not_found(
                    InputLocation::Body,
                    format!("scope.gemeenten[{i}]"),
                    format!("No municipality with NIS code '{g}'"),
                ));
            }
        }
    }
    if input.gebeurtenissen.as_ref().is_some_and(Vec::is_empty) {
        issues.push(InputIssue::invalid(
            InputLocation::Body,
            "gebeurtenissen",
            "name at least one event type, or leave gebeurtenissen out for every type",
        ));
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let geheim = crate::webhooks::nieuw_geheim();
    let actor = ctx.actor();
    let (url, sleutel) = (input.url.trim().to_string(), geheim.clone());
    let typen = input.gebeurtenissen.map(|g| serde_json::to_string(&g)).transpose().map_err(ApiError::internal)?;
    let scope = scope.map(|s| serde_json::to_string(&s)).transpose().map_err(ApiError::internal)?;
    let omschrijving = input.omschrijving.map(|o| o.trim().to_string()).filter(|o| !o.is_empty());
    let row = ctx
        .state
        .db
        .write(move |c| {
            let w = NieuweWebhook {
                url: &url,
                gebeurtenissen: typen,
                scope,
                geheim: &sleutel,
                omschrijving: omschrijving.as_deref(),
                door: &actor.sub,
            };
            let row = repo::insert(c, &w, actor.at)?;
            audit::record(c, &actor, Action::Create, RESOURCE, &row.id.to_string(), None)?;
            Ok(row)
        })
        .await?;
    let doc = document(&ctx.links, row, Some(geheim));
    Ok(HttpResponse::Created().insert_header((header::LOCATION, doc.self_link.clone())).json(doc))
}

/// List webhook subscriptions
///
/// admin only. The active subscriptions, newest first, never with their secrets.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "listWebhooks",
    params(PageParams),
    responses((status = 200, description = "A page of subscriptions", body = Collection<Webhook>))
)]
#[get("/webhooks")]
pub async fn list_webhooks(req: HttpRequest, ctx: Ctx, query: ListQuery<WebhooksQuery>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx.state.db.run(move |c| Ok(repo::list(c, offset, limit)?)).await?;
    let items = rows.into_iter().map(|r| document(&ctx.links, r, None)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

/// Get a webhook subscription
///
/// admin only. Without its secret (a lost secret cannot be shown again: subscribe anew).
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "getWebhook",
    params(WebhookId),
    responses((status = 200, description = "The subscription", body = Webhook))
)]
#[get("/webhooks/{id}")]
pub async fn get_webhook(ctx: Ctx, id: WebhookId) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let row = ctx.state.db.run(move |c| Ok(repo::find(c, id.0)?)).await?.ok_or_else(|| not_found(id.0))?;
    Ok(HttpResponse::Ok().json(document(&ctx.links, row, None)))
}

/// Remove a webhook subscription
///
/// admin only. No new deliveries; those still waiting are given up (`mislukt`).
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "deleteWebhook",
    params(WebhookId),
    responses((status = 204, description = "Removed"))
)]
#[delete("/webhooks/{id}")]
pub async fn delete_webhook(ctx: Ctx, id: WebhookId) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let actor = ctx.actor();
    ctx.state
        .db
        .write(move |c| {
            if !repo::verwijder(c, id.0, actor.at)? {
                return Err(not_found(id.0));
            }
            Ok(audit::record(c, &actor, Action::Delete, RESOURCE, &id.0.to_string(), None)?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A subscription's deliveries
///
/// admin only. Newest first: each event delivered to this subscription, its status
/// (`teVerzenden`, `verzonden`, `mislukt`), attempts, the receiver's last HTTP status and the
/// last error.
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "listWebhookDeliveries",
    params(WebhookId, PageParams),
    responses((status = 200, description = "A page of deliveries", body = Collection<Levering>))
)]
#[get("/webhooks/{id}/leveringen")]
pub async fn list_leveringen(
    req: HttpRequest,
    ctx: Ctx,
    id: WebhookId,
    query: ListQuery<WebhooksQuery>,
) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx
        .state
        .db
        .run(move |c| {
            if repo::find(c, id.0)?.is_none() {
                return Err(not_found(id.0));
            }
            Ok(repo::leveringen(c, id.0, offset, limit)?)
        })
        .await?;
    let items = rows.into_iter().map(levering).collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_webhooks)
        .service(create_webhook)
        .service(get_webhook)
        .service(delete_webhook)
        .service(list_leveringen);
}
