//! The bodies of `/v1/aanbod/{id}/revisie`: an organisation's pending change to a published
//! offer, its difference with the published version, and the municipality's decision.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::domain::aanbod::{RevisieBeslissing, RevisieStatus, Verschil};
use crate::wire::aanbod::AanbodInput;

/// A proposed change to a published offer. While it is `open` the offer stays published as it
/// was; approved, the proposal became the offer; rejected, the offer stayed as it was and
/// `motivatie` says why.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodRevisie {
    /// This revision's URL (the offer's latest revision).
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42/revisie")]
    pub self_link: String,
    /// The revision's id.
    #[schema(example = 7)]
    pub id: i64,
    /// The offer's URL.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42")]
    pub aanbod: String,
    /// Where the revision stands.
    pub status: RevisieStatus,
    /// The offer as proposed, as its organisation wrote it.
    pub voorstel: AanbodInput,
    /// Every field the proposal changes against the offer as it is now (`[]` when it changes
    /// nothing, or once it was approved).
    pub verschillen: Vec<Verschil>,
    /// The offer's version the proposal was made on.
    #[schema(example = 3)]
    pub basis_versie: i64,
    /// The offer's version now (its `ETag`).
    #[schema(example = 3)]
    pub aanbod_versie: i64,
    /// `sub` of who proposed it.
    #[schema(example = "brug-user")]
    pub voorgesteld_door: String,
    /// When it was proposed (last replaced).
    pub voorgesteld_op: DateTime<Utc>,
    /// Why it was rejected (with `afgekeurd`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "De activiteit vindt niet meer in het Nederlands plaats.")]
    pub motivatie: Option<String>,
    /// When the municipality decided.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beoordeeld_op: Option<DateTime<Utc>>,
}

/// The municipality's decision on the open revision. Unknown fields are refused.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RevisieBeoordeling {
    /// `goedgekeurd`: the proposal becomes the offer; `afgekeurd`: the offer stays as it was.
    pub beslissing: RevisieBeslissing,
    /// Why (1–2,000 characters): required to reject, shown to the organisation.
    #[serde(default)]
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "De activiteit vindt niet meer in het Nederlands plaats.")]
    pub motivatie: Option<String>,
}
