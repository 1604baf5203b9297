//! The bodies of a newcomer's own data (issue 17): who consulted it (`…/raadplegingen`), the
//! full export (`…/export`) and an erasure on request (`…/uitwissing`).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::raadpleging::Instantie;
use crate::routes::inburgeraars::InburgeraarGegevens;
use crate::wire::contracten::ContractGegevens;
use crate::wire::deelnamebewijzen::DeelnamebewijsWeergave;
use crate::wire::doorverwijzingen::DoorverwijzingGegevens;
use crate::wire::opvolging::ContractopvolgingGegevens;
use crate::wire::wijzigingen::WijzigingGegevens;

/// The period filter of the consultations.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct RaadplegingenQuery {
    /// From this moment, inclusive (RFC 3339, e.g. `2026-11-01T00:00:00Z`).
    #[param(example = "2026-11-01T00:00:00Z")]
    pub van: Option<DateTime<Utc>>,
    /// Until this moment, exclusive (RFC 3339); after `van`.
    #[param(example = "2026-12-01T00:00:00Z")]
    pub tot: Option<DateTime<Utc>>,
}

/// An organisation that consulted the file.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RaadplegendeOrganisatie {
    /// The organisation's id.
    #[schema(example = 12)]
    pub id: i64,
    /// Its name; absent when the organisation no longer exists.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Buurtwerk De Brug vzw")]
    pub naam: Option<String>,
}

/// One read or change of the newcomer's record, contracts (with their changes, progress and
/// follow-up), proofs or referrals.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Raadpleging {
    /// Id of the audit entry; later entries have higher ids.
    #[schema(example = 1042)]
    pub id: i64,
    /// When.
    pub tijdstip: DateTime<Utc>,
    /// What: `read`, `list`, `create`, `update`, or the name of a change (`stopgezet`,
    /// `ondertekend`, `uitgewist`, …).
    #[schema(example = "read")]
    pub actie: String,
    /// Which body: the agency, a municipality, an organisation, a contact person, the newcomer,
    /// the system.
    pub instantie: Instantie,
    /// The roles of whoever acted, e.g. `trajectbegeleider`, `lokaalBestuur`.
    #[schema(example = json!(["trajectbegeleider"]))]
    pub rollen: Vec<String>,
    /// The municipalities (NIS codes) on whose behalf a municipality acted; absent otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!(["13008"]))]
    pub gemeenten: Vec<String>,
    /// The organisation on whose behalf an aanbieder acted; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub organisatie: Option<RaadplegendeOrganisatie>,
    /// The legal ground when the read rests on one, e.g. `decreet art. 20 §7` for the municipal
    /// list; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "decreet art. 20 §7")]
    pub grondslag: Option<String>,
    /// The part read, e.g. `voortgang`, `opvolging`, `wijzigingen`, `export`; absent for the
    /// whole record.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "opvolging")]
    pub onderdeel: Option<String>,
    /// The kind of record: `inburgeraar`, `inburgeringscontract`, `deelnamebewijs`,
    /// `doorverwijzing`.
    #[schema(example = "inburgeringscontract")]
    pub resource_type: String,
    /// The record's id, as text.
    #[schema(example = "5")]
    pub resource_id: String,
    /// Link to the record.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub resource_href: Option<String>,
    /// Who acted (the `sub`): shown to admins only, never to the newcomer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "tb-1")]
    pub actor: Option<String>,
}

/// A contract in the export, with its whole history.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractExport {
    /// The contract as `GET /v1/inburgeringscontracten/{id}` shows it.
    pub contract: ContractGegevens,
    /// Every change after signing, oldest first.
    pub wijzigingen: Vec<WijzigingGegevens>,
    /// Every follow-up entry, oldest first (corrections included).
    pub opvolging: Vec<ContractopvolgingGegevens>,
}

/// Everything the API holds about one newcomer (GDPR art. 15 and 20), as one document.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InburgeraarExport {
    /// This export's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17/export")]
    pub self_link: String,
    /// When the export was made.
    pub gemaakt_op: DateTime<Utc>,
    /// The newcomer's record.
    pub inburgeraar: InburgeraarGegevens,
    /// Every contract, oldest first, with its changes and follow-up.
    pub contracten: Vec<ContractExport>,
    /// Every proof of participation, with its lines, signature, refusal and review.
    pub deelnamebewijzen: Vec<DeelnamebewijsWeergave>,
    /// Every referral to an offer.
    pub doorverwijzingen: Vec<DoorverwijzingGegevens>,
    /// Every read and change of the file, newest first (this export included).
    pub raadplegingen: Vec<Raadpleging>,
}

/// An erasure on request (right to erasure).
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct UitwissingIn {
    /// Why: the request and how it reached the agency (kept with the record; not personal data).
    #[schema(example = "Verzoek tot gegevenswissing van betrokkene, ontvangen per brief op 2026-11-28")]
    #[validate(length(min = 1, max = 2000))]
    pub reden: String,
}
