//! The bodies of `/v1/webhooks`: subscriptions and their deliveries.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::gebeurtenis::GebeurtenisType;
use crate::domain::webhook::WebhookScope;
use crate::repo::outbox::BerichtStatus;

/// A new subscription.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WebhookIn {
    /// Where events are POSTed: an `https://` URL without credentials, whose host resolves to
    /// public addresses only (private, loopback and link-local ranges are refused, also when a
    /// name resolves to them at delivery time).
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "https://integratie.gent.be/pnt/webhooks", max_length = 2000)]
    pub url: String,
    /// The event types to deliver; absent: every type.
    #[serde(default)]
    #[schema(example = json!(["aanbod.gepubliceerd", "aanbod.gearchiveerd"]))]
    pub gebeurtenissen: Option<Vec<GebeurtenisType>>,
    /// Which events: those the change feed would show a reader with these relations; absent:
    /// every event.
    #[serde(default)]
    pub scope: Option<WebhookScope>,
    /// What the subscription is for.
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(example = "UiTdatabank-koppeling Stad Gent", max_length = 200)]
    pub omschrijving: Option<String>,
}

/// A subscription. `geheim` appears only in the answer to its creation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Webhook {
    /// This subscription's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/webhooks/3")]
    pub self_link: String,
    #[schema(example = 3)]
    pub id: i64,
    #[schema(example = "https://integratie.gent.be/pnt/webhooks")]
    pub url: String,
    /// The event types delivered; absent: every type.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub gebeurtenissen: Option<Vec<GebeurtenisType>>,
    /// Which events are delivered; absent: every event.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub scope: Option<WebhookScope>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "UiTdatabank-koppeling Stad Gent")]
    pub omschrijving: Option<String>,
    /// The signing secret (Standard Webhooks: `whsec_` and the base64 key), shown only in the
    /// answer to `POST /v1/webhooks`. Keep it: it cannot be shown again.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw")]
    pub geheim: Option<String>,
    /// This subscription's deliveries.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/webhooks/3/leveringen")]
    pub leveringen: String,
    /// Who registered it.
    #[schema(example = "admin-1")]
    pub aangemaakt_door: String,
    pub aangemaakt_op: DateTime<Utc>,
}

/// One delivery of one event to a subscription.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Levering {
    /// The delivery's id.
    #[schema(example = 812)]
    pub id: i64,
    /// The event delivered (its `id` in the feed; the `webhook-id` header is `evt_<id>`).
    #[schema(example = 1042)]
    pub gebeurtenis: i64,
    /// The event's type.
    #[serde(rename = "type")]
    pub soort: GebeurtenisType,
    /// `teVerzenden` (waiting for a first or next attempt), `verzonden` (the receiver answered
    /// 2xx) or `mislukt` (given up after the last attempt).
    pub status: BerichtStatus,
    /// Attempts so far.
    #[schema(example = 1)]
    pub pogingen: i32,
    /// When the next attempt is due (while `teVerzenden`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub volgende_poging: Option<DateTime<Utc>>,
    /// The receiver's last HTTP status, if it answered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 204)]
    pub laatste_status: Option<i32>,
    /// Why the last attempt failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "the receiver answered HTTP 503")]
    pub laatste_fout: Option<String>,
    pub aangemaakt_op: DateTime<Utc>,
    /// When it was delivered or given up.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub afgehandeld_op: Option<DateTime<Utc>>,
}

/// No filters; declared so unknown parameters are refused (`400`).
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WebhooksQuery {}
