//! The bodies of a network's meetings.

use crate::domain::netwerk::Overlegsoort;
use crate::wire::common::OrganisatieRef;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// A meeting as clients write it (the body of POST and PUT). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverlegInput {
    /// Kind of meeting; what the compliance view counts it as.
    pub soort: Overlegsoort,
    /// Day of the meeting (yyyy-MM-dd); a date after today is a planned meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject, 1 to 500 characters.
    #[validate(length(min = 1, max = 500))]
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// Ids of the organisations that took part (at most 200; duplicates count once). Unknown
    /// ids are refused (400 `referencedResourceNotFound`).
    #[serde(default)]
    #[validate(length(max = 200))]
    #[schema(example = json!([12, 15]))]
    pub deelnemers: Vec<i64>,
    /// The minutes, up to 20,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 20000))]
    #[schema(example = "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni.")]
    pub verslag: Option<String>,
}

/// A JSON Merge Patch (RFC 7396) of a meeting: the fields of [`OverlegInput`] to change.
/// Applied to the meeting's current content and then checked like a PUT body, so an unknown
/// field is refused (400 `unknownInput`) and so is `null` on `soort`, `datum` or `onderwerp`
/// (they are required). For the document only: the handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"verslag": "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni."}))]
pub struct OverlegPatch {
    /// New kind; cannot be removed.
    #[schema(nullable = false)]
    pub soort: Option<Overlegsoort>,
    /// New day (yyyy-MM-dd); cannot be removed.
    #[schema(nullable = false, example = "2026-03-19")]
    pub datum: Option<NaiveDate>,
    /// New subject; cannot be removed.
    #[schema(nullable = false, example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: Option<String>,
    /// The participating organisations' ids, replacing the list whole; `null` empties it.
    #[schema(example = json!([12, 15, 21]))]
    pub deelnemers: Option<Vec<i64>>,
    /// The minutes; `null` removes them.
    #[schema(example = "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni.")]
    pub verslag: Option<String>,
}

/// A meeting of a network.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Overleg {
    /// This meeting's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The meeting's id within the API.
    #[schema(example = 3)]
    pub id: i64,
    /// The network's URL.
    pub netwerk: String,
    /// Kind of meeting.
    pub soort: Overlegsoort,
    /// Day of the meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject.
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// The organisations that took part, by name.
    pub deelnemers: Vec<OrganisatieRef>,
    /// The minutes, once recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub verslag: Option<String>,
    /// Version; the `ETag` of this document.
    pub versie: i64,
    /// When the meeting was recorded.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the meeting's record last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// A meeting in a list (without the minutes).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverlegSummary {
    /// The meeting's URL.
    pub href: String,
    /// The meeting's id within the API.
    #[schema(example = 3)]
    pub id: i64,
    /// Kind of meeting.
    pub soort: Overlegsoort,
    /// Day of the meeting.
    #[schema(example = "2026-03-12")]
    pub datum: NaiveDate,
    /// Subject.
    #[schema(example = "Mapping van het aanbod en ontwerp actieplan")]
    pub onderwerp: String,
    /// The organisations that took part.
    pub deelnemers: Vec<OrganisatieRef>,
    /// Whether minutes are recorded (read them on the meeting itself).
    pub heeft_verslag: bool,
}

/// Filters of the meeting list.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OverleggenQuery {
    /// Kind (repeatable: `soort=stuurgroep&soort=werkgroep`).
    #[serde(default)]
    #[param(example = json!(["stuurgroep"]))]
    pub soort: Vec<Overlegsoort>,
    /// Only meetings in this calendar year (2023 to next year, else 400).
    #[param(example = 2026, minimum = 2023)]
    pub jaar: Option<i32>,
}
