//! The bodies of `/v1/regionaleNetwerken`: a network, its management and its yearly follow-up.

use crate::domain::netwerk::{ActieStatus, Medewerker, Norm, NormStatus, Overlegnormen, Overlegsoort, Subsidie};
use crate::wire::common::{GemeenteRef, OrganisatieRef};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// Kind of network.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum NetwerkSoort {
    /// One of the 15 Flemish reference regions.
    Referentieregio,
    /// Antwerpen, Gent or the Brussels-Capital Region.
    Grootstad,
}

/// The organisation that leads the network (promotor). As the network recorded it, else as
/// far as public sources tell (with `zekerheid` and `bron`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Trekker {
    /// The leader's name: as recorded, else the registered organisation's name, else what
    /// public sources name.
    #[schema(example = "Welzijnszorg Kempen")]
    pub naam: String,
    /// The leading organisation, when it is registered.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub organisatie: Option<OrganisatieRef>,
    /// The mandate the local governments gave it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Coördinatie van het project vierde pijler voor de 27 aangesloten lokale besturen")]
    pub mandaat: Option<String>,
    /// For the public sources' value: `bevestigd` or `onzeker`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "bevestigd")]
    pub zekerheid: Option<String>,
    /// For the public sources' value: where it comes from.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "https://welzijnszorgkempen.be/traject-vierde-pijler/")]
    pub bron: Option<String>,
}

/// The leader as clients write it: a registered organisation, a name, or both (400 when
/// neither). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrekkerInput {
    /// Id of the leading organisation (400 when there is none with this id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 12)]
    pub organisatie: Option<i64>,
    /// Name, 1 to 200 characters; defaults to the organisation's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Welzijnszorg Kempen")]
    pub naam: Option<String>,
    /// The mandate the local governments gave it, up to 4,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 4000))]
    #[schema(example = "Coördinatie van het project vierde pijler voor de 27 aangesloten lokale besturen")]
    pub mandaat: Option<String>,
}

/// A partner organisation as clients write it. Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PartnerInput {
    /// Id of a registered organisation (400 when there is none; each at most once).
    #[schema(example = 12)]
    pub organisatie: i64,
    /// Its part in the network, 1 to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "klankbordgroep: vrijetijdsactor")]
    pub rol: Option<String>,
}

/// A partner organisation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Partner {
    /// The organisation.
    pub organisatie: OrganisatieRef,
    /// Its part in the network.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "klankbordgroep: vrijetijdsactor")]
    pub rol: Option<String>,
}

/// What a network records about itself, as clients write it (PUT, and the base of a merge
/// patch). Lists are replaced whole; an absent field is removed (an absent list emptied).
/// Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NetwerkBeheerInput {
    /// The leader and its mandate; absent: the public sources' leader is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub trekker: Option<TrekkerInput>,
    /// The staff, at most 20.
    #[serde(default)]
    #[validate(length(max = 20), nested)]
    pub medewerkers: Vec<Medewerker>,
    /// The subsidy.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub subsidie: Option<Subsidie>,
    /// The partner organisations, at most 500, each once.
    #[serde(default)]
    #[validate(length(max = 500), nested)]
    pub partners: Vec<PartnerInput>,
    /// The network's own meeting norms (R23); absent: the defaults (stuurgroep at least 4 a
    /// year, klankbordgroep 1–2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub overlegnormen: Option<Overlegnormen>,
}

/// A JSON Merge Patch (RFC 7396) of what a network records: the fields of
/// `NetwerkBeheerInput` to change. `trekker` and `subsidie` are merged into what is recorded
/// (a field of theirs set to `null` is removed); the lists are replaced whole. The result is
/// checked like a PUT body, so an unknown field is refused (400 `unknownInput`), and so is a
/// `subsidie` that lacks one of its fields after the merge. For the document only: the
/// handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"trekker": {"mandaat": null}, "subsidie": {"bedragCent": 30000000}}))]
pub struct NetwerkBeheerPatch {
    /// Changes to the leader; `null` removes it (the public sources' leader is shown again).
    #[schema(inline)]
    pub trekker: Option<TrekkerPatch>,
    /// The staff, replacing the list whole; `null` empties it.
    pub medewerkers: Option<Vec<Medewerker>>,
    /// Changes to the subsidy; `null` removes it. Without a recorded subsidy, give all four
    /// fields.
    #[schema(inline)]
    pub subsidie: Option<SubsidiePatch>,
    /// The partners, replacing the list whole; `null` empties it.
    pub partners: Option<Vec<PartnerInput>>,
    /// Changes to the meeting norms, merged per kind (`{"klankbordgroep": {"maximum": null}}`
    /// drops that maximum); `null` restores the defaults.
    #[schema(inline)]
    pub overlegnormen: Option<OverlegnormenPatch>,
}

/// Changes to the meeting norms within a merge patch: per kind, the fields to change.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OverlegnormenPatch {
    /// Changes to the stuurgroep's norm.
    #[schema(inline, nullable = false)]
    pub stuurgroep: Option<NormPatch>,
    /// Changes to the klankbordgroep's norm.
    #[schema(inline, nullable = false)]
    pub klankbordgroep: Option<NormPatch>,
}

/// Changes to one norm within a merge patch; `maximum: null` drops the maximum.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct NormPatch {
    /// Fewest meetings a year (0–52).
    #[schema(nullable = false, example = 4, maximum = 52)]
    pub minimum: Option<u32>,
    /// Most meetings planned a year (1–52, not below `minimum`); `null` drops it.
    #[schema(example = 2, minimum = 1, maximum = 52)]
    pub maximum: Option<u32>,
}

/// Changes to the leader within a merge patch; `null` removes a field. After the merge it
/// needs an `organisatie`, a `naam`, or both.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct TrekkerPatch {
    /// Id of the leading organisation; `null` removes it.
    #[schema(example = 12)]
    pub organisatie: Option<i64>,
    /// Name; `null` removes it (the organisation's name is shown).
    #[schema(example = "Welzijnszorg Kempen")]
    pub naam: Option<String>,
    /// The mandate; `null` removes it.
    pub mandaat: Option<String>,
}

/// Changes to the subsidy within a merge patch. None of its fields can be removed (`null` is
/// refused); remove the whole subsidy with `"subsidie": null`.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct SubsidiePatch {
    /// Amount in euro cents, at most 32 200 000.
    #[schema(nullable = false, example = 32_085_000)]
    pub bedrag_cent: Option<i64>,
    /// First day of the subsidy period.
    #[schema(nullable = false, example = "2023-01-01")]
    pub van: Option<NaiveDate>,
    /// Last day of the subsidy period.
    #[schema(nullable = false, example = "2024-12-31")]
    pub tot: Option<NaiveDate>,
    /// Who funds it.
    #[schema(nullable = false, example = "Europa WSE (ESF+, oproep 41)")]
    pub financier: Option<String>,
}

/// A regional network in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionaalNetwerkSummary {
    /// The network's URL.
    pub href: String,
    /// The network's code: `REFREG01`–`REFREG15` for the reference regions, `GS-ANTWERPEN`,
    /// `GS-GENT`, `GS-BRUSSEL` for the big cities.
    #[schema(example = "REFREG03")]
    pub code: String,
    /// The network's name.
    #[schema(example = "Kempen")]
    pub naam: String,
    /// Reference region or big city.
    pub soort: NetwerkSoort,
    /// Number of member municipalities.
    #[schema(example = 27)]
    pub aantal_gemeenten: i64,
}

/// A regional organisation network.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RegionaalNetwerk {
    /// This network's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The network's code.
    #[schema(example = "REFREG03")]
    pub code: String,
    /// The network's name.
    #[schema(example = "Kempen")]
    pub naam: String,
    /// Reference region or big city.
    pub soort: NetwerkSoort,
    /// NIS code of the city or region, for the three big cities.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "44021")]
    pub nis_code: Option<String>,
    /// The leading organisation, when known.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub trekker: Option<Trekker>,
    /// A note from the reference data (e.g. how a big city relates to its reference region).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub opmerking: Option<String>,
    /// Number of member municipalities.
    #[schema(example = 27)]
    pub aantal_gemeenten: i64,
    /// The member municipalities.
    pub gemeenten: Vec<GemeenteRef>,
    /// What the network records; for admins, trajectbegeleiders, municipalities and network
    /// coordinators only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub beheer: Option<NetwerkBeheer>,
    /// Version; the `ETag` of this document (1 while nothing is recorded).
    pub versie: i64,
}

/// What a network records about itself, with links to its meetings, action plan, compliance
/// view and monitoring.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NetwerkBeheer {
    /// The staff.
    pub medewerkers: Vec<Medewerker>,
    /// The subsidy, when recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub subsidie: Option<Subsidie>,
    /// The partner organisations.
    pub partners: Vec<Partner>,
    /// The meeting norms the compliance view judges by: the network's own, or the defaults.
    pub overlegnormen: Overlegnormen,
    /// URL of the network's meetings.
    pub overleggen: String,
    /// URL of the network's action plan.
    pub acties: String,
    /// URL of the network's compliance view.
    pub opvolging: String,
    /// URL of the network's monitoring table.
    pub monitoring: String,
    /// When the network last changed what it records; absent while nothing is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gewijzigd_op: Option<DateTime<Utc>>,
    /// `sub` of who last changed it; absent while nothing is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gewijzigd_door: Option<String>,
}

/// No filters yet: the list is short. Declared so unknown parameters are refused.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct NetwerkenQuery {}

/// The year of the compliance view or the monitoring.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct JaarQuery {
    /// Calendar year (default: the current one).
    #[param(example = 2026, minimum = 2023)]
    pub jaar: Option<i32>,
}

/// Meetings of one kind in the year against the norm.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OverlegOpvolging {
    /// The kind of meeting.
    pub soort: Overlegsoort,
    /// Meetings held (dated on or before `peildatum`).
    pub gehouden: u32,
    /// Meetings planned later in the year.
    pub gepland: u32,
    /// The network's yearly norm; absent for werkgroepen.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub norm: Option<Norm>,
    /// Meetings due by `peildatum`: the minimum pro rata to the date in the current year, the
    /// whole minimum for a past year; absent for werkgroepen.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 2)]
    pub verwacht_tot_nu: Option<u32>,
    /// The meetings held against the norm: final (`voldaan`, `onderNorm`) only for a past year;
    /// the current year is `voldaan`, `opSchema` or `achterstand`; `bovenPlanning` (more than
    /// the planned maximum) is information, not a failure.
    pub status: NormStatus,
}

/// Actions per status.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActiesPerStatus {
    /// Actions not started.
    #[schema(example = 3)]
    pub gepland: i64,
    /// Actions under way.
    #[schema(example = 2)]
    pub lopend: i64,
    /// Actions done.
    #[schema(example = 5)]
    pub afgerond: i64,
    /// Actions dropped.
    #[schema(example = 1)]
    pub geschrapt: i64,
}

/// An overdue action.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AchterstalligeActie {
    /// The action's URL.
    pub href: String,
    /// The action's id within the API.
    #[schema(example = 7)]
    pub id: i64,
    /// What is to be done.
    #[schema(example = "Mapping van het aanbod")]
    pub titel: String,
    /// `gepland` or `lopend`.
    pub status: ActieStatus,
    /// The deadline that passed.
    #[schema(example = "2026-06-30")]
    pub deadline: NaiveDate,
    /// Days from the deadline to `peildatum`.
    #[schema(example = 12)]
    pub dagen_te_laat: i64,
}

/// The action plan in the compliance view.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActiesOpvolging {
    /// Actions with a deadline in the year, and those without a deadline.
    pub per_status: ActiesPerStatus,
    /// Open (`gepland`, `lopend`) actions whose deadline lies before `peildatum`, of any year;
    /// most overdue first.
    pub achterstallig: Vec<AchterstalligeActie>,
}

/// The subsidy in the compliance view, on today's date: the recorded subsidy's fields and where
/// its period stands. (Written out rather than flattened from `Subsidie`, whose schema refuses
/// other fields.)
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubsidieOpvolging {
    /// Amount in euro cents.
    #[schema(example = 32_085_000)]
    pub bedrag_cent: i64,
    /// First day of the subsidy period.
    #[schema(example = "2026-01-01")]
    pub van: NaiveDate,
    /// Last day of the subsidy period.
    #[schema(example = "2027-12-31")]
    pub tot: NaiveDate,
    /// Who funds it.
    #[schema(example = "Europa WSE (ESF+, oproep 41)")]
    pub financier: String,
    /// Days left in the period, today included (0 once it ended).
    #[schema(example = 265)]
    pub dagen_resterend: i64,
    /// Share of the period passed, 0–100.
    #[schema(example = 27)]
    pub percentage_verstreken: u32,
    /// The period has begun (today is on or after `van`).
    pub gestart: bool,
    /// The period is over (today is after `tot`).
    pub afgelopen: bool,
}

/// How a network keeps its commitments in a year.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Opvolging {
    /// This view's URL, with its year.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The network's URL.
    pub netwerk: String,
    /// The calendar year.
    #[schema(example = 2026)]
    pub jaar: i32,
    /// The day meetings and deadlines are judged on: today, or the year's last day for a past
    /// year.
    pub peildatum: NaiveDate,
    /// The year is over: the meeting verdicts are final. For the current (or a later) year they
    /// are judged pro rata to `peildatum`.
    pub definitief: bool,
    /// Meetings per kind against the norm: `stuurgroep`, `klankbordgroep`, `werkgroep`.
    pub overleggen: Vec<OverlegOpvolging>,
    /// The action plan.
    pub acties: ActiesOpvolging,
    /// Where the subsidy period stands today; absent while no subsidy is recorded.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub subsidie: Option<SubsidieOpvolging>,
}
