//! `GET /health`: whether this instance can serve, i.e. reach its database.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::error::{ApiError, ApiResult, Problem};
use crate::http::conventions::PlainErrorBody;
use crate::state::AppState;
use crate::wire::health::{Health, HealthStatus};

/// A probe's answer: `UP`, or `DOWN` with 503 (the health document, deliberately not a problem).
fn probe(up: bool) -> HttpResponse {
    if up {
        HttpResponse::Ok().json(Health { status: HealthStatus::Up })
    } else {
        let mut res = HttpResponse::ServiceUnavailable().json(Health { status: HealthStatus::Down });
        res.extensions_mut().insert(PlainErrorBody);
        res
    }
}

/// Health check
///
/// Public (no token). `UP` when the database answers within a second, else `DOWN` with 503,
/// so a load balancer takes the instance out of rotation. The 503 body is this health
/// document, not a problem.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getHealth",
    responses(
        (status = 200, description = "The instance is healthy", body = Health,
            example = json!({"status": "UP"})),
        (status = 503, description = "The database is unreachable", body = Health,
            example = json!({"status": "DOWN"})),
    )
)]
#[get("/health")]
pub async fn health(state: web::Data<AppState>) -> HttpResponse {
    probe(state.db.ping(Duration::from_secs(1)).await)
}

/// Liveness
///
/// Public (no token). `UP` whenever the process answers at all: for an orchestrator's liveness
/// probe (restart the instance when this fails). Does not touch the database.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getLiveness",
    responses((status = 200, description = "The process runs", body = Health, example = json!({"status": "UP"})))
)]
#[get("/health/live")]
pub async fn live() -> HttpResponse {
    probe(true)
}

/// Readiness
///
/// Public (no token). `UP` when the database answers within a second and holds every migration
/// this binary knows, and the search catalogue has been loaded into memory (seconds after the
/// start); else `DOWN` with 503: for a readiness probe or load balancer (send no traffic until
/// ready). The 503 body is this health document, not a problem.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getReadiness",
    responses(
        (status = 200, description = "Ready to serve", body = Health, example = json!({"status": "UP"})),
        (status = 503, description = "The database is unreachable or behind this binary's migrations, or the search catalogue is still loading", body = Health,
            example = json!({"status": "DOWN"})),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    probe(state.catalogus.gereed() && state.db.ready(Duration::from_secs(1)).await)
}

/// Metrics for operators
///
/// For the Prometheus scraper, with `Authorization: Bearer <PNT_METRICS_TOKEN>` (a static
/// token, not a JWT); `404` when no token is configured, `401` for a missing or wrong one. The
/// text exposition format: `pnt_http_requests_total{route,method,status}`,
/// `pnt_http_request_duration_seconds{route,method}` (histogram), `pnt_db_pool_connections{state}`,
/// `pnt_db_pool_wait_seconds` (histogram), `pnt_outbox_messages{soort,status}` (mail and webhook
/// backlog and failures, over all instances) and `pnt_feed_items_total{uitkomst}`. Request and
/// pool figures are this instance's: scrape every instance.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getMetrics",
    security(("metricsToken" = [])),
    responses((status = 200, description = "The metrics (Prometheus text format 0.0.4)",
        content_type = "text/plain", body = String,
        example = "# TYPE pnt_http_requests_total counter\npnt_http_requests_total{method=\"GET\",route=\"/v1/aanbod\",status=\"200\"} 42\n"),
        (status = 404, description = "No `PNT_METRICS_TOKEN` is configured: no metrics are served", body = Problem))
)]
#[get("/metrics")]
pub async fn metrics(req: actix_web::HttpRequest, state: web::Data<AppState>) -> ApiResult<HttpResponse> {
    let Some(token) = state.settings.metrics_token.as_deref() else {
        return Err(ApiError::not_found("No metrics here: PNT_METRICS_TOKEN is not set"));
    };
    let given = req
        .headers()
        .get(actix_web::http::header::AUTHORIZATION)
        .and_then(|h| h.to_str().ok())
        .and_then(|h| h.strip_prefix("Bearer "))
        .unwrap_or_default();
    if !crate::domain::secrets::gelijk(given.as_bytes(), token.as_bytes()) {
        return Err(ApiError::invalid_access_token("The metrics need Authorization: Bearer <PNT_METRICS_TOKEN>"));
    }
    let outbox = state.db.run(|c| Ok(crate::repo::outbox::tellingen(c)?)).await?;
    let pool = state.db.pool().state();
    let body = state.db.metrics().render(pool.idle_connections, pool.connections, &outbox);
    Ok(HttpResponse::Ok().content_type("text/plain; version=0.0.4; charset=utf-8").body(body))
}
