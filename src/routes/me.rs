//! `GET /v1/me`: the caller as the API understood their token.

use actix_web::{get, web::Json};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::wire::me::Me;

/// Who am I
///
/// Any valid bearer token, whatever its roles. Returns the claims of the token as this API
/// understood them: handy to check a token and its roles in Swagger UI. Reads nothing else and
/// changes nothing.
#[utoipa::path(
    tag = "Systeem",
    operation_id = "getMe",
    responses((status = 200, description = "The caller", body = Me))
)]
#[get("/me")]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(Me {
        sub: caller.sub,
        roles: caller.roles,
        gemeenten: caller.gemeenten.iter().map(ToString::to_string).collect(),
        organisatie: caller.organisatie.map(|o| o.to_string()),
        regio: caller.regio.map(|r| r.to_string()),
        name: caller.name,
        expires_at: caller.expires_at,
    })
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(me);
}
