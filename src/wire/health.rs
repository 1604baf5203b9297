//! The body of `/health`.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// `UP` when the instance can serve, `DOWN` when it cannot reach its database.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "UPPERCASE")]
pub enum HealthStatus {
    Up,
    Down,
}

/// Health of this instance (belgif health resource).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct Health {
    /// Whether the instance can serve.
    pub status: HealthStatus,
}
