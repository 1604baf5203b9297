//! The body of `/v1/me`: who the token says the caller is.

use crate::auth::Role;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

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
