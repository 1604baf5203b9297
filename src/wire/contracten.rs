//! The bodies of `/v1/inburgeringscontracten`: a contract, its progress and the worklist.

use crate::domain::contract::{ContractStatus, Pijlers, Sanctie, Tewerkstelling, Vrijstelling, VrijstellingReden};
use crate::domain::inburgeraar::Statuut;
use crate::domain::voortgang::{self, ContractSort, Risico};
use crate::openapi::nullable_ref;
pub use crate::repo::contracten::RESOURCE;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// The PNT as agreed at signing.
#[derive(Clone, Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PntIn {
    /// Whether the PNT is part of the contract. For a `verplicht` newcomer it must be, unless
    /// a `vrijstelling` is recorded (R2); for a `rechthebbend` one it is a free choice (R3).
    pub opgenomen: bool,
    /// The exemption of a `verplicht` newcomer (with `opgenomen: false`); for `werk` the
    /// employment must cover the signing date. Absent or `null` without one; refused for a
    /// `rechthebbend` newcomer or with `opgenomen: true`.
    #[serde(default)]
    #[schema(schema_with = vrijstelling_in)]
    pub vrijstelling: Option<Vrijstelling>,
}

/// A contract as the trajectbegeleider signs it with the newcomer.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractIn {
    /// Id of the newcomer (in the caller's caseload); the contract takes their `statuut`.
    #[schema(example = 17)]
    pub inburgeraar: i64,
    /// `sub` of the signing trajectbegeleider. A trajectbegeleider signs in their own name
    /// (leave it out); an admin may name one, by default the newcomer's.
    #[serde(default)]
    #[validate(length(min = 1, max = 255))]
    #[schema(example = "tb-1")]
    pub trajectbegeleider: Option<String>,
    /// Date of signing; not in the future.
    #[schema(example = "2026-09-01")]
    pub ondertekend_op: NaiveDate,
    /// End of the term in which the PNT's hours must be done (R4); after `ondertekendOp`.
    #[schema(example = "2027-09-01")]
    pub termijn_einde: NaiveDate,
    /// The PNT: included, or (for a `verplicht` newcomer) exempted.
    pub pnt: PntIn,
    /// Pillars already under way or done at signing; all `nietGestart` by default.
    #[serde(default)]
    #[schema(schema_with = pijlers_in)]
    pub pijlers: Option<Pijlers>,
}

/// Reassigning a contract (JSON merge patch). Only `trajectbegeleider` can change here, the
/// rest through contract changes (`…/wijzigingen`). The server reads this object as is: without
/// `trajectbegeleider`, with `null` or a blank one, or with any other field, the request is a
/// `badRequest`.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContractPatch {
    /// `sub` of the trajectbegeleider who takes over. Allowed for an admin or the current one;
    /// for a running contract the newcomer moves to the new caseload too.
    #[validate(length(min = 1, max = 255))]
    #[schema(example = "tb-2", min_length = 1, max_length = 255)]
    pub trajectbegeleider: String,
}

/// The newcomer of a contract.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InburgeraarRef {
    /// The newcomer's record.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub href: String,
    /// Id of the newcomer.
    #[schema(example = 17)]
    pub id: i64,
    /// The agency's file number.
    #[schema(example = "AGII-2026-004512")]
    pub dossiernummer: String,
    /// First name(s).
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
}

/// An exemption as recorded (R2): the `Vrijstelling` as given, and when it was granted.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VrijstellingUit {
    /// Why the newcomer is exempt.
    pub reden: VrijstellingReden,
    /// The evidence seen: which document, from whom, its date or reference.
    #[schema(example = "Arbeidsovereenkomst Bakkerij Peeters d.d. 2026-02-20 en Dimona-aangifte")]
    pub bewijs: String,
    /// Further explanation; absent when none was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Halftijds verkoopster, contract van onbepaalde duur")]
    pub details: Option<String>,
    /// The employment facts, for reason `werk` only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub tewerkstelling: Option<Tewerkstelling>,
    /// When it was granted (the signing date, or the day of the change).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2026-09-01")]
    pub toegekend_op: Option<NaiveDate>,
}

/// The PNT in a contract.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Pnt {
    /// Whether the PNT is part of the contract (and so required for the attest).
    pub opgenomen: bool,
    /// The PNT's hours as fixed at signing (40). Whether they are required is `opgenomen`.
    #[schema(example = 40)]
    pub vereiste_uren: u32,
    /// The exemption of a `verplicht` newcomer (R2), at signing or by a later change; absent
    /// without one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub vrijstelling: Option<VrijstellingUit>,
}

/// Progress of one contract (document).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Voortgang {
    /// This progress's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/voortgang")]
    pub self_link: String,
    /// The contract.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub contract: String,
    #[serde(flatten)]
    pub gegevens: voortgang::Voortgang,
}

/// An inburgeringscontract.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractGegevens {
    /// Id of the contract.
    #[schema(example = 5)]
    pub id: i64,
    /// The newcomer who signed.
    pub inburgeraar: InburgeraarRef,
    /// `sub` of the contract's trajectbegeleider.
    #[schema(example = "tb-1")]
    pub trajectbegeleider: String,
    /// Date of signing.
    #[schema(example = "2026-09-01")]
    pub ondertekend_op: NaiveDate,
    /// End of the term (after extensions).
    #[schema(example = "2027-09-01")]
    pub termijn_einde: NaiveDate,
    /// The newcomer's statuut at signing.
    pub statuut: Statuut,
    /// The PNT: included or not, its hours, its exemption.
    pub pnt: Pnt,
    /// The status of the other three pillars.
    pub pijlers: Pijlers,
    /// Where the contract stands: `lopend`, `verlengd`, `voltooid` or `stopgezet`.
    pub status: ContractStatus,
    /// The day the inburgeringsattest was issued; absent before.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2027-08-20")]
    pub attest_uitgereikt_op: Option<NaiveDate>,
    /// The day the contract was ended without attest; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2027-02-14")]
    pub stopgezet_op: Option<NaiveDate>,
    /// The most recent fine (R5); absent when none was imposed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub laatste_sanctie: Option<Sanctie>,
    /// Progress toward the PNT's hours, computed on each read.
    pub voortgang: voortgang::Voortgang,
    /// The contract's change history.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5/wijzigingen")]
    pub wijzigingen: String,
    /// When the contract was recorded.
    pub aangemaakt_op: DateTime<Utc>,
    /// When it last changed (a change or a reassignment).
    pub gewijzigd_op: DateTime<Utc>,
}

/// An inburgeringscontract (document). Its `ETag` changes with every change or reassignment;
/// `voortgang` is computed on each read.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Inburgeringscontract {
    /// This contract's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: ContractGegevens,
}

/// A contract in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct InburgeringscontractItem {
    /// The contract's address.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub href: String,
    #[serde(flatten)]
    pub gegevens: ContractGegevens,
}

/// Worklist filters of the contract list; repeated parameters are alternatives (OR),
/// different parameters combine (AND).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ContractenQuery {
    /// `sub` of a trajectbegeleider, or `me` for the caller (repeatable).
    #[serde(default)]
    #[param(example = json!(["me"]))]
    pub trajectbegeleider: Vec<String>,
    /// Progress risk (repeatable), e.g. `achterstand` for who is behind schedule.
    #[serde(default)]
    pub risico: Vec<Risico>,
    /// Only terms that end strictly before this date, e.g. today + 60 days.
    #[param(example = "2027-01-31")]
    pub termijn_voor: Option<NaiveDate>,
    /// Contract status (repeatable).
    #[serde(default)]
    pub status: Vec<ContractStatus>,
    /// NIS code of the newcomer's municipality (repeatable).
    #[serde(default)]
    #[param(example = json!(["13008"]))]
    pub gemeente: Vec<String>,
    /// The statuut at signing: `verplicht` or `rechthebbend`.
    #[param(example = "verplicht")]
    pub statuut: Option<Statuut>,
    /// `true`: only contracts that include the PNT; `false`: only those without (exempted or not
    /// taken up).
    #[param(example = true)]
    pub pnt_opgenomen: Option<bool>,
    /// Id of a newcomer (repeatable).
    #[param(example = json!([17]))]
    #[serde(default)]
    pub inburgeraar: Vec<i64>,
    /// `true`: only contracts with submitted hours waiting for review; `false`: only without.
    pub te_beoordelen: Option<bool>,
    /// `termijnEinde`, `-termijnEinde`, `percentage`, `-percentage` (repeatable; by default
    /// `termijnEinde`). Contracts without the PNT have no percentage and sort last.
    #[serde(default)]
    #[param(inline, example = json!(["-percentage"]))]
    pub sort: Vec<ContractSort>,
}

fn vrijstelling_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Vrijstelling>(
        "The exemption of a `verplicht` newcomer (with `opgenomen: false`); for `werk` the employment must cover \
         the signing date. Absent or `null` without one; refused for a `rechthebbend` newcomer or with \
         `opgenomen: true`.",
    )
}

fn pijlers_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Pijlers>(
        "Pillars already under way or done at signing; absent or `null`: all `nietGestart` (so is any pillar left \
         out).",
    )
}
