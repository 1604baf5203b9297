//! The bodies of `/v1/monitoring`: the aggregates per municipality and network.

use crate::wire::common::GemeenteRef;
pub use crate::wire::gemeenten::NetwerkRef;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Scope and year of the monitoring.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct MonitoringQuery {
    /// A network's code: every municipality of it, plus the network total. Give this or
    /// `gemeente`.
    #[param(example = "REFREG03")]
    pub regionaal_netwerk: Option<String>,
    /// One municipality's NIS code: its row. Give this or `regionaalNetwerk`.
    #[param(example = "13008")]
    pub gemeente: Option<String>,
    /// Calendar year (default: the current one).
    #[param(example = 2026, minimum = 2023)]
    pub jaar: Option<i32>,
}

/// A suppressed figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
pub struct Onderdrukt {
    /// Always true: the figure rests on fewer than 5 units, or would let one be computed.
    pub onderdrukt: bool,
}

/// A figure: a number (an integer for counts), or `{"onderdrukt": true}`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum Waarde {
    /// The figure.
    #[schema(value_type = f64)]
    Getal(serde_json::Number),
    /// The figure is suppressed.
    Onderdrukt(Onderdrukt),
}

/// Published offers by type.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodPerType {
    /// Buddy projects.
    pub buddyproject: Waarde,
    /// Introductory work placements.
    pub kennismakingsstage: Waarde,
    /// Volunteering.
    pub vrijwilligerswerk: Waarde,
    /// Conversation tables.
    pub praattafel: Waarde,
    /// Leisure activities.
    pub vrijetijd: Waarde,
    /// Other offers.
    pub andere: Waarde,
}

/// Published offers.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodCijfers {
    /// All published offers.
    pub totaal: Waarde,
    /// The same offers by type.
    pub per_type: AanbodPerType,
}

/// Referrals by status.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorverwijzingenPerStatus {
    /// With a place reserved, not started yet.
    pub voorgesteld: Waarde,
    /// Waiting for a place.
    pub wachtlijst: Waarde,
    /// Started.
    pub gestart: Waarde,
    /// Done.
    pub afgerond: Waarde,
    /// Broken off.
    pub afgebroken: Waarde,
}

/// Referrals.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorverwijzingCijfers {
    /// All referrals made in the year.
    pub totaal: Waarde,
    /// The same referrals by their current status.
    pub per_status: DoorverwijzingenPerStatus,
}

/// The figures of a municipality (or the network total) for a year.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Cijfers {
    /// Offers in the municipality, published now, whose period touches the year.
    pub aanbod_gepubliceerd: AanbodCijfers,
    /// Of those, the ones with a free place today (or no capacity limit).
    pub aanbod_met_vrije_plaatsen: Waarde,
    /// Referrals of residents made in the year, by their current status.
    pub doorverwijzingen: DoorverwijzingCijfers,
    /// Residents' contracts with the PNT that ran on at least one day of the year.
    pub lopende_contracten_met_pnt: Waarde,
    /// Residents who started a PNT activity in the year.
    pub gestart_met_pnt_activiteit: Waarde,
    /// Approved PNT hours of the contracts in `lopendeContractenMetPnt` (suppressed when they
    /// are fewer than 5).
    pub goedgekeurde_uren: Waarde,
    /// Residents' contracts with the PNT running on `peildatum` that are behind schedule or
    /// past their term without the hours.
    pub contracten_met_risico: Waarde,
    /// Attests issued to residents in the year.
    pub attesten: Waarde,
}

/// A municipality's figures.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct GemeenteCijfers {
    /// The municipality.
    pub gemeente: GemeenteRef,
    /// Its figures.
    pub cijfers: Cijfers,
}

/// The monitoring table.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Monitoring {
    /// This table's URL, with its scope and year.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The calendar year.
    #[schema(example = 2026)]
    pub jaar: i32,
    /// The day running contracts and their risk are judged on: today, or 31 December of a
    /// past year.
    pub peildatum: NaiveDate,
    /// Figures resting on fewer units than this are suppressed.
    #[schema(example = 5)]
    pub drempel: i64,
    /// The network: the one asked for, or the municipality's.
    pub regionaal_netwerk: NetwerkRef,
    /// One entry per municipality (by name); one only with `gemeente`.
    pub gemeenten: Vec<GemeenteCijfers>,
    /// The network's total (column sums, protected like the rest); with `regionaalNetwerk`
    /// only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub totaal: Option<Cijfers>,
}
