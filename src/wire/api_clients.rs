//! The bodies of `/v1/apiClients`: machine clients and their secrets.

use crate::wire::common::GemeenteRef;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

/// Roles a machine client can have: only `feedClient` today.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum ClientRol {
    /// Pushes the offer of its municipalities as a feed.
    FeedClient,
}

/// A new machine client.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ApiClientInput {
    /// Who runs the client.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Stad Gent – UiTdatabank-koppeling")]
    pub naam: String,
    /// What the client may do.
    pub rol: ClientRol,
    /// NIS codes of the municipalities whose offer it may push (1–400 known municipalities;
    /// duplicates are dropped).
    #[validate(length(min = 1, max = 400))]
    #[schema(example = json!(["44021"]))]
    pub gemeenten: Vec<String>,
}

/// A machine client.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiClient {
    /// Absolute URI of this client.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/apiClients/pnt-9f3a6c1e2b7d4a50")]
    pub self_link: String,
    /// The `client_id` of the client-credentials grant, and the feed's `bron`.
    #[schema(example = "pnt-9f3a6c1e2b7d4a50")]
    pub client_id: String,
    /// Shown once, when created or rotated. Store it in the client's secret store.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "q3Jm0X8cV2b5Tz9LwR4nYd7Ke1Ha6Pf0Ug3Ss8Ej2Oi")]
    pub client_secret: Option<String>,
    /// Who runs the client.
    #[schema(example = "Stad Gent – UiTdatabank-koppeling")]
    pub naam: String,
    /// What the client may do.
    pub rol: ClientRol,
    /// The municipalities whose offer it may push.
    pub gemeenten: Vec<GemeenteRef>,
    /// False once revoked: no new tokens, no feed pushes.
    pub actief: bool,
    /// When the client was registered.
    pub aangemaakt_op: DateTime<Utc>,
    /// When it last got a token; absent if never.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub laatst_gebruikt_op: Option<DateTime<Utc>>,
}

/// No filters; declared so unknown parameters are refused (`400`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ApiClientsQuery {}
