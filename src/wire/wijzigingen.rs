//! The bodies of a contract's changes (`/v1/inburgeringscontracten/{id}/wijzigingen`).

use crate::domain::contract::{Pijler, PijlerStatus, Vrijstelling, WijzigingEffect, WijzigingSoort};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};

/// Fields of a `termijnVerlengd` change.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TermijnVerlengdIn {
    /// The new end of the term; after the current one.
    #[schema(example = "2027-12-31")]
    pub nieuwe_termijn_einde: NaiveDate,
    /// Why: the delay's cause lies outside the newcomer's will (R5). Required; blank or `null`
    /// is a `badRequest`.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 2000,
        example = "Langdurige ziekte, attest huisarts van 2026-10-02")]
    pub reden: Option<String>,
}

/// Fields of a change that needs no more than an optional reason
/// (`pntToegevoegd`, `pntGeschrapt`, `attestUitgereikt`).
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct RedenIn {
    /// Why, for the record (at most 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000, example = "Op vraag van de inburgeraar")]
    pub reden: Option<String>,
}

/// Fields of a `stopgezet` change.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct StopgezetIn {
    /// Why the contract ends without an attest. Required; blank or `null` is a `badRequest`.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 2000, example = "Verhuisd naar Wallonië")]
    pub reden: Option<String>,
}

/// Fields of a `vrijstellingToegekend` change: a `verplicht` newcomer with the PNT in the
/// contract becomes exempt (R2); the PNT leaves the contract.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct VrijstellingToegekendIn {
    /// The exemption: reason and evidence; for `werk` the employment, which must cover today
    /// within an unbroken span of at least three months.
    pub vrijstelling: Vrijstelling,
    /// Why, for the record (at most 2000 characters).
    #[serde(default)]
    #[schema(max_length = 2000, example = "Vast werk gevonden")]
    pub reden: Option<String>,
}

/// Fields of a `pijlerStatusGewijzigd` change.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PijlerStatusGewijzigdIn {
    /// The pillar that changes.
    pub pijler: Pijler,
    /// Its new status; must differ from the current one.
    pub status: PijlerStatus,
    /// Why. Required when the pillar was `behaald` or `vrijgesteld` (a correction).
    #[serde(default)]
    #[schema(max_length = 2000, example = "Attest NT2 niveau A2 behaald")]
    pub reden: Option<String>,
}

/// Fields of a `sanctieOpgelegd` change (R5): only for a `verplicht` newcomer with the PNT whose
/// (possibly extended) term passed while approved plus signed-awaiting-review hours stay below
/// 40, when the follow-up holds entries judging the effort `onvoldoende` or `geen` (named in
/// `opvolging`), after an extension (or with `zonderVerlengingReden`). The sanction sets a new
/// term: the PNT stays required.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SanctieOpgelegdIn {
    /// The decree's fine category, 1 to 4.
    #[schema(example = 2, minimum = 1, maximum = 4)]
    pub categorie: u8,
    /// The fine in euro cents, €50 to €5,000.
    #[schema(example = 25000, minimum = 5000, maximum = 500000)]
    pub bedrag_cent: i64,
    /// The new end of the term in which the newcomer must still complete the PNT; after today.
    #[schema(example = "2028-03-31")]
    pub nieuwe_termijn_einde: NaiveDate,
    /// Ids of this contract's follow-up entries (`…/opvolging/{id}`) that judged the effort
    /// `onvoldoende` or `geen` and were not corrected; at least one.
    #[schema(example = json!([3, 7]), min_items = 1)]
    pub opvolging: Vec<i64>,
    /// Why the term was not extended first (the Q&A's order: first the extension, then the
    /// sanction). Required when no `termijnVerlengd` followed the previous sanction (or, for a
    /// first sanction, exists at all); ignored otherwise.
    #[serde(default)]
    #[schema(max_length = 2000, example = "Verlenging aangeboden en uitdrukkelijk geweigerd op 2027-09-05")]
    pub zonder_verlenging_reden: Option<String>,
    /// The follow-up that showed no or insufficient effort. Required; blank or `null` is a
    /// `badRequest`.
    #[serde(default)]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 2000, example = "Geen activiteiten ondanks drie gesprekken en aanbod op maat")]
    pub reden: Option<String>,
}

/// What the request extractor reads: the `soort`, and the rest parsed per kind afterwards so
/// errors name the faulty field (an internally tagged enum would lose the path).
#[derive(Debug, Deserialize)]
pub struct WijzigingBody {
    pub soort: WijzigingSoort,
    #[serde(flatten)]
    pub velden: Map<String, Value>,
}

/// A change in a contract's history.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WijzigingGegevens {
    /// Id of the change (within the contract).
    #[schema(example = 12)]
    pub id: i64,
    /// The contract.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub contract: String,
    /// The kind of change.
    pub soort: WijzigingSoort,
    /// When.
    pub op: DateTime<Utc>,
    /// Who: the `sub` of the caller.
    #[schema(example = "tb-1")]
    pub door: String,
    /// The caller's roles then.
    #[schema(example = json!(["trajectbegeleider"]))]
    pub door_rollen: Vec<String>,
    /// Why; absent when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Langdurige ziekte, attest huisarts van 2026-10-02")]
    pub reden: Option<String>,
    #[serde(flatten)]
    pub effect: WijzigingEffect,
}

/// A contract change (document).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Contractwijziging {
    /// This change's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/wijzigingen/12")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: WijzigingGegevens,
}

/// A contract change in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct ContractwijzigingItem {
    /// The change's address.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/wijzigingen/12")]
    pub href: String,
    #[serde(flatten)]
    pub gegevens: WijzigingGegevens,
}

/// The change history takes paging only.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct WijzigingenQuery {}
