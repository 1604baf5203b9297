//! The bodies of a contract's follow-up log (`/v1/inburgeringscontracten/{id}/opvolging`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::opvolging::{Inspanning, Kanaal, OpvolgingSoort};

/// A follow-up entry as the trajectbegeleider records it. Entries are never changed: to
/// correct one, record a new entry with `corrigeert`.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractopvolgingIn {
    /// The kind of contact.
    pub soort: OpvolgingSoort,
    /// The day of the contact: between signing and today.
    #[schema(example = "2026-10-14")]
    pub datum: NaiveDate,
    /// How the contact took place.
    pub kanaal: Kanaal,
    /// A short note of what was said or agreed; not blank, at most 2000 characters.
    #[schema(
        example = "Besproken welke activiteiten passen; afspraak om zich in te schrijven bij de buurtsportclub.",
        min_length = 1,
        max_length = 2000
    )]
    pub notitie: String,
    /// The effort judged, where it applies (e.g. in a follow-up conversation). Entries judging
    /// `onvoldoende` or `geen` can support a sanction (R5).
    #[serde(default)]
    #[schema(schema_with = inspanning_in)]
    pub inspanning: Option<Inspanning>,
    /// Id of the entry of this contract that this one corrects; the corrected entry then no
    /// longer counts. Absent or `null` for a new fact.
    #[serde(default)]
    #[schema(example = 3)]
    pub corrigeert: Option<i64>,
}

fn inspanning_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::openapi::nullable_ref::<Inspanning>(
        "The effort judged, where it applies; absent or `null` otherwise. `onvoldoende` or `geen` can support a \
         sanction (R5).",
    )
}

/// A follow-up entry.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractopvolgingGegevens {
    /// Id of the entry.
    #[schema(example = 4)]
    pub id: i64,
    /// The contract.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub contract: String,
    /// The kind of contact.
    pub soort: OpvolgingSoort,
    /// The day of the contact.
    #[schema(example = "2026-10-14")]
    pub datum: NaiveDate,
    /// How the contact took place.
    pub kanaal: Kanaal,
    /// What was said or agreed.
    #[schema(example = "Besproken welke activiteiten passen; afspraak om zich in te schrijven bij de buurtsportclub.")]
    pub notitie: String,
    /// The effort judged; absent where it does not apply.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub inspanning: Option<Inspanning>,
    /// The entry this one corrects; absent for a new fact.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/opvolging/3")]
    pub corrigeert: Option<String>,
    /// The later entry that corrects this one; absent while it stands. A corrected entry no
    /// longer counts.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/opvolging/6")]
    pub gecorrigeerd_door: Option<String>,
    /// Who recorded it: the caller's `sub`.
    #[schema(example = "tb-1")]
    pub door: String,
    /// The caller's roles then.
    #[schema(example = json!(["trajectbegeleider"]))]
    pub door_rollen: Vec<String>,
    /// When it was recorded.
    pub op: DateTime<Utc>,
}

/// A follow-up entry (document).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Contractopvolging {
    /// This entry's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/opvolging/4")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: ContractopvolgingGegevens,
}

/// A follow-up entry in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractopvolgingItem {
    /// The entry's address.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/opvolging/4")]
    pub href: String,
    #[serde(flatten)]
    pub gegevens: ContractopvolgingGegevens,
}

/// The follow-up log takes paging only.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ContractopvolgingQuery {}
