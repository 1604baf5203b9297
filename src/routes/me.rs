//! `GET /v1/me`: the caller as the API understood their token.

use actix_web::{get, web::Json};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Caller, Role};

/// The caller's identity and permissions.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Me {
    /// Subject of the token: the user or client id.
    #[schema(example = "tb-1")]
    pub sub: String,
    /// Roles this API recognised (unknown ones are ignored).
    pub roles: Vec<Role>,
    /// NIS codes of the caller's municipalities.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["11002"]))]
    pub gemeenten: Vec<String>,
    /// The caller's organisation id (aanbieder).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "12")]
    pub organisatie: Option<String>,
    /// The caller's regional network (netwerkcoordinator).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "REFREG03")]
    pub regio: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Sofie Janssens")]
    pub name: Option<String>,
    /// When the token expires.
    pub expires_at: DateTime<Utc>,
}

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
