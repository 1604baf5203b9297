//! The bodies of the token endpoint (`/v1/oauth/token`).

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The token request (form-encoded). The client authenticates with `client_id` and
/// `client_secret` here, or with HTTP Basic.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenRequest {
    /// Must be `client_credentials` (else `400` `unsupported_grant_type`; missing: `400`
    /// `invalid_request`).
    #[schema(nullable = false, example = "client_credentials")]
    pub grant_type: Option<String>,
    /// The client id (`clientId` of the machine client), unless HTTP Basic is used.
    #[schema(nullable = false, example = "pnt-9f3a6c1e2b7d4a50")]
    pub client_id: Option<String>,
    /// The client secret, with `client_id`; unless HTTP Basic is used.
    #[schema(nullable = false, example = "q3Jm0X8cV2b5Tz9LwR4nYd7Ke1Ha6Pf0Ug3Ss8Ej2Oi")]
    pub client_secret: Option<String>,
    /// Ignored: the client's role decides what the token allows.
    #[schema(nullable = false)]
    pub scope: Option<String>,
}

/// An access token (RFC 6749 §5.1).
#[derive(Debug, Serialize, Deserialize, ToSchema)]
pub struct TokenResponse {
    /// A JWT signed by this API with the client's id as `sub`, role `feedClient` and its
    /// municipalities; send it as `Authorization: Bearer …`.
    #[schema(example = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJwbnQtOWYzYTZjMWUyYjdkNGE1MCJ9.c2lnbmF0dXJl")]
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Lifetime in seconds.
    #[schema(example = 3600)]
    pub expires_in: i64,
}
