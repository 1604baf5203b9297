//! `GET /health`: whether this instance can serve, i.e. reach its database.

use std::time::Duration;

use actix_web::{HttpResponse, get, web};

use crate::http::conventions::PlainErrorBody;
use crate::state::AppState;
use crate::wire::health::{Health, HealthStatus};

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
    if state.db.ping(Duration::from_secs(1)).await {
        HttpResponse::Ok().json(Health { status: HealthStatus::Up })
    } else {
        let mut res = HttpResponse::ServiceUnavailable().json(Health { status: HealthStatus::Down });
        res.extensions_mut().insert(PlainErrorBody);
        res
    }
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
    HttpResponse::Ok().json(Health { status: HealthStatus::Up })
}

/// Readiness
///
/// Public (no token). `UP` when the database answers within a second and holds every migration
/// this binary knows; else `DOWN` with 503: for a readiness probe or load balancer (send no
/// traffic until ready). The 503 body is this health document, not a problem.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getReadiness",
    responses(
        (status = 200, description = "Ready to serve", body = Health, example = json!({"status": "UP"})),
        (status = 503, description = "The database is unreachable or behind this binary's migrations", body = Health,
            example = json!({"status": "DOWN"})),
    )
)]
#[get("/health/ready")]
pub async fn ready(state: web::Data<AppState>) -> HttpResponse {
    if state.db.ready(Duration::from_secs(1)).await {
        HttpResponse::Ok().json(Health { status: HealthStatus::Up })
    } else {
        let mut res = HttpResponse::ServiceUnavailable().json(Health { status: HealthStatus::Down });
        res.extensions_mut().insert(PlainErrorBody);
        res
    }
}
