//! The inburgeringscontract and its rules (R2–R6): what the PNT requires at signing, when a
//! vrijstelling holds, and which contract changes are allowed in which state. Pure: the caller
//! passes today's date and the approved hours, and gets the new state or a refusal.
//!
//! Decisions where the decree and the agency's Q&A are silent (each one documented where it
//! is enforced):
//! - A vrijstelling exists only for `verplicht` newcomers; a `rechthebbend` one simply does not
//!   include the PNT (R3), or drops it with `pntGeschrapt`.
//! - For reason `werk` the half-time employment must be current: the employment contract(s)
//!   must cover the reference date (signing, or the day the vrijstelling is granted) within an
//!   unbroken span of at least three months. Adjacent contracts count as one span.
//! - A sanction is only for `verplicht` newcomers with the PNT included, once per term: after a
//!   sanction the PNT stays required, and another sanction needs the term extended and passed
//!   again.
//! - Every change needs a running contract (`lopend` or `verlengd`); `voltooid` and
//!   `stopgezet` are final.

use chrono::{Days, Months, NaiveDate};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::inburgeraar::{Statuut, text_enum};
use super::opvolging::{self, Opvolging};
use super::voortgang::Uren;

/// Hours of the PNT (decree: at least 40 hours of participation in a Dutch-speaking context).
pub const PNT_UREN: u32 = 40;
/// The lowest half-time fraction that counts as employment for a vrijstelling (R2).
pub const MINIMALE_TEWERKSTELLINGSBREUK: f64 = 0.5;
/// Employment contract(s) must cover at least this many consecutive months (R2).
pub const MINIMALE_MAANDEN_TEWERKSTELLING: u32 = 3;
/// The decree's bounds of an administrative fine: €50 to €5,000, in euro cents.
pub const MINIMALE_BOETE_CENT: i64 = 5_000;
pub const MAXIMALE_BOETE_CENT: i64 = 500_000;
/// The PNT exists since this day: a contract signed before it cannot include the PNT (R2).
pub fn pnt_sinds() -> NaiveDate {
    NaiveDate::from_ymd_opt(2023, 1, 1).expect("a valid date")
}
/// Free-text limits.
pub const MAX_TEKST: usize = 2000;

text_enum! {
    /// State of one pillar of the integration path.
    PijlerStatus {
        NietGestart = "nietGestart",
        Lopend = "lopend",
        Behaald = "behaald",
        Vrijgesteld = "vrijgesteld",
    }
}

impl PijlerStatus {
    /// Whether the pillar counts as done for the attest (R6).
    pub fn afgerond(self) -> bool {
        matches!(self, PijlerStatus::Behaald | PijlerStatus::Vrijgesteld)
    }
}

text_enum! {
    /// The three pillars besides the PNT (the fourth pillar is the contract's `pnt`).
    Pijler {
        MaatschappelijkeOrientatie = "maatschappelijkeOrientatie",
        Nederlands = "nederlands",
        Werk = "werk",
    }
}

text_enum! {
    /// Lifecycle of a contract: `lopend` and `verlengd` are running; `voltooid` (attest issued)
    /// and `stopgezet` are final.
    ContractStatus {
        Lopend = "lopend",
        Verlengd = "verlengd",
        Voltooid = "voltooid",
        Stopgezet = "stopgezet",
    }
}

impl ContractStatus {
    pub const LOPEND: [ContractStatus; 2] = [ContractStatus::Lopend, ContractStatus::Verlengd];

    pub fn is_lopend(self) -> bool {
        ContractStatus::LOPEND.contains(&self)
    }
}

text_enum! {
    /// R2: why a `verplicht` newcomer is exempt from the PNT.
    VrijstellingReden {
        /// Employed at least half-time with employment contract(s) of at least three
        /// consecutive months.
        Werk = "werk",
        /// Self-employed at least half-time, with evidence of self-employment.
        Zelfstandige = "zelfstandige",
        /// Civil servant at least half-time, with the benoemingsbesluit.
        Ambtenaar = "ambtenaar",
        /// Studying.
        Studie = "studie",
    }
}

text_enum! {
    /// The kinds of contract change (the history's `soort`).
    WijzigingSoort {
        TermijnVerlengd = "termijnVerlengd",
        PntToegevoegd = "pntToegevoegd",
        PntGeschrapt = "pntGeschrapt",
        VrijstellingToegekend = "vrijstellingToegekend",
        PijlerStatusGewijzigd = "pijlerStatusGewijzigd",
        SanctieOpgelegd = "sanctieOpgelegd",
        AttestUitgereikt = "attestUitgereikt",
        Stopgezet = "stopgezet",
    }
}

/// The status of each pillar besides the PNT.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pijlers {
    /// Maatschappelijke oriëntatie (civic orientation course).
    #[serde(default = "niet_gestart")]
    pub maatschappelijke_orientatie: PijlerStatus,
    /// Nederlands als tweede taal (NT2).
    #[serde(default = "niet_gestart")]
    pub nederlands: PijlerStatus,
    /// The path to work (VDAB).
    #[serde(default = "niet_gestart")]
    pub werk: PijlerStatus,
}

fn niet_gestart() -> PijlerStatus {
    PijlerStatus::NietGestart
}

impl Default for Pijlers {
    fn default() -> Self {
        Pijlers {
            maatschappelijke_orientatie: PijlerStatus::NietGestart,
            nederlands: PijlerStatus::NietGestart,
            werk: PijlerStatus::NietGestart,
        }
    }
}

impl Pijlers {
    pub fn get(&self, pijler: Pijler) -> PijlerStatus {
        match pijler {
            Pijler::MaatschappelijkeOrientatie => self.maatschappelijke_orientatie,
            Pijler::Nederlands => self.nederlands,
            Pijler::Werk => self.werk,
        }
    }

    pub fn set(&mut self, pijler: Pijler, status: PijlerStatus) {
        match pijler {
            Pijler::MaatschappelijkeOrientatie => self.maatschappelijke_orientatie = status,
            Pijler::Nederlands => self.nederlands = status,
            Pijler::Werk => self.werk = status,
        }
    }

    /// The pillars not yet `behaald` or `vrijgesteld`.
    pub fn open(&self) -> Vec<Pijler> {
        Pijler::ALL.iter().copied().filter(|p| !self.get(*p).afgerond()).collect()
    }
}

/// A period of an employment contract; `tot` absent means open-ended (onbepaalde duur).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Periode {
    /// First day.
    #[schema(example = "2026-03-01")]
    pub van: NaiveDate,
    /// Last day; absent for a contract of indefinite duration.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-08-31")]
    pub tot: Option<NaiveDate>,
}

/// Evidence of self-employment (R2), e.g. the registration as zelfstandige in hoofdberoep.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ZelfstandigeBewijs {
    /// The document seen.
    #[schema(
        example = "Aansluiting sociaal verzekeringsfonds als zelfstandige in hoofdberoep",
        min_length = 1,
        max_length = 2000
    )]
    pub bewijs: String,
    /// Its date (start of the activity or of the registration); not after the reference date.
    #[schema(example = "2026-02-01")]
    pub datum: NaiveDate,
}

/// A civil servant's appointment decision (benoemingsbesluit), the evidence for reason
/// `ambtenaar` (R2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Benoemingsbesluit {
    /// Date of the decision; not after the reference date.
    #[schema(example = "2026-01-15")]
    pub datum: NaiveDate,
    /// The authority that issued it.
    #[schema(example = "College van burgemeester en schepenen van Gent", min_length = 1, max_length = 2000)]
    pub uitgevaardigd_door: String,
}

/// The facts behind a vrijstelling for work (R2): how much, and the evidence of its kind —
/// `arbeidsovereenkomsten` for `werk`, `zelfstandige` for `zelfstandige`, `benoemingsbesluit`
/// for `ambtenaar`; evidence of another kind is refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tewerkstelling {
    /// Employment fraction (1 = full-time); at least 0.5.
    #[schema(example = 0.8, minimum = 0, maximum = 1)]
    pub breuk: f64,
    /// Reason `werk` only (required there): the employment contract(s); together they must
    /// cover at least three consecutive months including the reference date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub arbeidsovereenkomsten: Option<Vec<Periode>>,
    /// Reason `zelfstandige` only (required there): the evidence of self-employment.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub zelfstandige: Option<ZelfstandigeBewijs>,
    /// Reason `ambtenaar` only (required there): the appointment decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub benoemingsbesluit: Option<Benoemingsbesluit>,
}

/// An exemption from the PNT for a `verplicht` newcomer, with its reason and evidence (R2).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Vrijstelling {
    /// Why the newcomer is exempt.
    pub reden: VrijstellingReden,
    /// The evidence seen: which document, from whom, its date or reference.
    #[schema(example = "Arbeidsovereenkomst Bakkerij Peeters d.d. 2026-02-20 en Dimona-aangifte")]
    pub bewijs: String,
    /// Further explanation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "Halftijds verkoopster, contract van onbepaalde duur")]
    pub details: Option<String>,
    /// Required for reasons `werk`, `zelfstandige` and `ambtenaar`, refused for `studie`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(schema_with = tewerkstelling_schema)]
    pub tewerkstelling: Option<Tewerkstelling>,
}

fn tewerkstelling_schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    crate::openapi::nullable_ref::<Tewerkstelling>(
        "The employment facts: required for reasons `werk`, `zelfstandige` and `ambtenaar` (breuk ≥ 0.5 and the evidence of that kind), refused for `studie` (absent or `null` there).",
    )
}

/// A rule a request broke, named by the body path of the faulty input (a `badRequest` issue).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RegelFout {
    pub veld: String,
    pub detail: String,
}

impl RegelFout {
    pub fn new(veld: impl Into<String>, detail: impl Into<String>) -> Self {
        RegelFout { veld: veld.into(), detail: detail.into() }
    }
}

/// The last day of `months` months starting on `start`.
fn einde_na_maanden(start: NaiveDate, months: u32) -> Option<NaiveDate> {
    start.checked_add_months(Months::new(months)).and_then(|d| d.checked_sub_days(Days::new(1)))
}

/// Merges periods that overlap or follow each other without a gap into unbroken spans.
fn aaneengesloten(perioden: &[Periode]) -> Vec<Periode> {
    let mut sorted = perioden.to_vec();
    sorted.sort_by_key(|p| p.van);
    let mut spans: Vec<Periode> = Vec::new();
    for p in sorted {
        match spans.last_mut() {
            Some(last) => {
                let aansluitend = match last.tot {
                    None => true,
                    Some(tot) => tot.checked_add_days(Days::new(1)).is_some_and(|next| p.van <= next),
                };
                if aansluitend {
                    last.tot = match (last.tot, p.tot) {
                        (None, _) | (_, None) => None,
                        (Some(a), Some(b)) => Some(a.max(b)),
                    };
                } else {
                    spans.push(p);
                }
            }
            None => spans.push(p),
        }
    }
    spans
}

/// R2 for work of any kind: at least half-time, and the evidence of the reason's kind — for
/// `werk` contract(s) covering an unbroken span of at least three months that includes
/// `peildatum` (the person must be employed now), for `zelfstandige` the proof of
/// self-employment, for `ambtenaar` the benoemingsbesluit, each dated on or before `peildatum`.
/// Evidence of another kind is refused.
pub fn check_tewerkstelling(
    reden: VrijstellingReden,
    t: &Tewerkstelling,
    peildatum: NaiveDate,
    veld: &str,
) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    if !(t.breuk > 0.0 && t.breuk <= 1.0) {
        fouten.push(RegelFout::new(
            format!("{veld}.breuk"),
            "breuk is the employment fraction: more than 0 and at most 1",
        ));
    } else if t.breuk < MINIMALE_TEWERKSTELLINGSBREUK {
        fouten.push(RegelFout::new(
            format!("{veld}.breuk"),
            format!(
                "a vrijstelling for work needs at least half-time employment (breuk ≥ {MINIMALE_TEWERKSTELLINGSBREUK})"
            ),
        ));
    }
    let vreemd = |naam: &str| {
        RegelFout::new(
            format!("{veld}.{naam}"),
            format!("{naam} is not evidence for a vrijstelling with reason {reden}"),
        )
    };
    if t.arbeidsovereenkomsten.is_some() && reden != VrijstellingReden::Werk {
        fouten.push(vreemd("arbeidsovereenkomsten"));
    }
    if t.zelfstandige.is_some() && reden != VrijstellingReden::Zelfstandige {
        fouten.push(vreemd("zelfstandige"));
    }
    if t.benoemingsbesluit.is_some() && reden != VrijstellingReden::Ambtenaar {
        fouten.push(vreemd("benoemingsbesluit"));
    }
    let niet_later = |datum: NaiveDate, pad: String, fouten: &mut Vec<RegelFout>| {
        if datum > peildatum {
            fouten.push(RegelFout::new(pad, format!("the evidence must be dated on or before {peildatum}")));
        }
    };
    match reden {
        VrijstellingReden::Werk => check_arbeidsovereenkomsten(t, peildatum, veld, &mut fouten),
        VrijstellingReden::Zelfstandige => match &t.zelfstandige {
            None => fouten.push(RegelFout::new(
                format!("{veld}.zelfstandige"),
                "a vrijstelling as zelfstandige needs the evidence of self-employment (bewijs and datum)",
            )),
            Some(z) => {
                check_tekst(&format!("{veld}.zelfstandige.bewijs"), Some(&z.bewijs), true, &mut fouten);
                niet_later(z.datum, format!("{veld}.zelfstandige.datum"), &mut fouten);
            }
        },
        VrijstellingReden::Ambtenaar => match &t.benoemingsbesluit {
            None => fouten.push(RegelFout::new(
                format!("{veld}.benoemingsbesluit"),
                "a vrijstelling as ambtenaar needs the benoemingsbesluit (datum and uitgevaardigdDoor)",
            )),
            Some(b) => {
                check_tekst(
                    &format!("{veld}.benoemingsbesluit.uitgevaardigdDoor"),
                    Some(&b.uitgevaardigd_door),
                    true,
                    &mut fouten,
                );
                niet_later(b.datum, format!("{veld}.benoemingsbesluit.datum"), &mut fouten);
            }
        },
        VrijstellingReden::Studie => {}
    }
    fouten
}

/// Reason `werk`: contract(s) covering at least three consecutive months including `peildatum`.
fn check_arbeidsovereenkomsten(t: &Tewerkstelling, peildatum: NaiveDate, veld: &str, fouten: &mut Vec<RegelFout>) {
    let perioden = t.arbeidsovereenkomsten.as_deref().unwrap_or_default();
    if perioden.is_empty() {
        fouten.push(RegelFout::new(
            format!("{veld}.arbeidsovereenkomsten"),
            "a vrijstelling for work needs the employment contract(s)",
        ));
        return;
    }
    let mut perioden_ok = true;
    for (i, p) in perioden.iter().enumerate() {
        if p.tot.is_some_and(|tot| tot < p.van) {
            perioden_ok = false;
            fouten.push(RegelFout::new(format!("{veld}.arbeidsovereenkomsten[{i}].tot"), "tot lies before van"));
        }
    }
    if perioden_ok {
        let gedekt = aaneengesloten(perioden).into_iter().any(|span| {
            let lang_genoeg = match (span.tot, einde_na_maanden(span.van, MINIMALE_MAANDEN_TEWERKSTELLING)) {
                (None, _) => true,
                (Some(tot), Some(minimum)) => tot >= minimum,
                (Some(_), None) => false,
            };
            let lopend = span.van <= peildatum && span.tot.is_none_or(|tot| tot >= peildatum);
            lang_genoeg && lopend
        });
        if !gedekt {
            fouten.push(RegelFout::new(
                format!("{veld}.arbeidsovereenkomsten"),
                format!(
                    "the employment contract(s) must cover at least {MINIMALE_MAANDEN_TEWERKSTELLING} consecutive months including {peildatum}"
                ),
            ));
        }
    }
}

fn check_tekst(veld: &str, tekst: Option<&str>, verplicht: bool, fouten: &mut Vec<RegelFout>) {
    match tekst.map(str::trim) {
        None | Some("") if verplicht => fouten.push(RegelFout::new(veld, format!("{veld} is required"))),
        Some(t) if t.chars().count() > MAX_TEKST => {
            fouten.push(RegelFout::new(veld, format!("{veld} has at most {MAX_TEKST} characters")))
        }
        _ => {}
    }
}

/// A vrijstelling's own completeness: reason, evidence, and for `werk` the employment facts.
pub fn check_vrijstelling(v: &Vrijstelling, peildatum: NaiveDate, veld: &str) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    check_tekst(&format!("{veld}.bewijs"), Some(&v.bewijs), true, &mut fouten);
    check_tekst(&format!("{veld}.details"), v.details.as_deref(), false, &mut fouten);
    match (v.reden, &v.tewerkstelling) {
        (VrijstellingReden::Studie, Some(_)) => fouten.push(RegelFout::new(
            format!("{veld}.tewerkstelling"),
            "tewerkstelling belongs to a vrijstelling for work (werk, zelfstandige, ambtenaar), not for studie",
        )),
        (VrijstellingReden::Studie, None) => {}
        (reden, Some(t)) => fouten.extend(check_tewerkstelling(reden, t, peildatum, &format!("{veld}.tewerkstelling"))),
        (reden, None) => fouten.push(RegelFout::new(
            format!("{veld}.tewerkstelling"),
            format!(
                "a vrijstelling for reason {reden} needs the employment facts: breuk (at least half-time) and the evidence of its kind"
            ),
        )),
    }
    fouten
}

/// R2/R3 at signing: a `verplicht` newcomer's contract includes the PNT unless a justified
/// vrijstelling is recorded; for a `rechthebbend` one the PNT is a free choice and a
/// vrijstelling makes no sense.
pub fn check_pnt_bij_ondertekening(
    statuut: Statuut,
    opgenomen: bool,
    vrijstelling: Option<&Vrijstelling>,
    ondertekend_op: NaiveDate,
) -> Vec<RegelFout> {
    const VELD: &str = "pnt.vrijstelling";
    if ondertekend_op < pnt_sinds() {
        // Before the PNT existed there is nothing to include nor to exempt from.
        let mut fouten = Vec::new();
        if opgenomen {
            fouten.push(RegelFout::new(
                "pnt.opgenomen",
                format!("the PNT exists since {}; a contract signed before cannot include it", pnt_sinds()),
            ));
        }
        if vrijstelling.is_some() {
            fouten.push(RegelFout::new(
                VELD,
                format!("the PNT exists since {}; a contract signed before has no PNT to exempt from", pnt_sinds()),
            ));
        }
        return fouten;
    }
    match (statuut, opgenomen, vrijstelling) {
        (Statuut::Verplicht, true, None) | (Statuut::Rechthebbend, _, None) => vec![],
        (Statuut::Verplicht, false, None) => vec![RegelFout::new(
            VELD,
            "a verplicht newcomer's contract includes the PNT unless a vrijstelling with reason and evidence is recorded (R2)",
        )],
        (Statuut::Verplicht, true, Some(_)) => {
            vec![RegelFout::new(VELD, "the PNT is either included (opgenomen: true) or exempted, not both")]
        }
        (Statuut::Verplicht, false, Some(v)) => check_vrijstelling(v, ondertekend_op, VELD),
        (Statuut::Rechthebbend, _, Some(_)) => vec![RegelFout::new(
            VELD,
            "a vrijstelling applies to verplicht newcomers only; for a rechthebbend newcomer the PNT is optional (R3)",
        )],
    }
}

/// The term must end after the signing date, and signing cannot lie in the future.
pub fn check_termijn(ondertekend_op: NaiveDate, termijn_einde: NaiveDate, vandaag: NaiveDate) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    if ondertekend_op > vandaag {
        fouten.push(RegelFout::new("ondertekendOp", "ondertekendOp lies in the future"));
    }
    if termijn_einde <= ondertekend_op {
        fouten.push(RegelFout::new("termijnEinde", "termijnEinde must lie after ondertekendOp"));
    }
    fouten
}

/// A fine imposed under R5: a contract shows the most recent, the change history every one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Sanctie {
    /// The decree's fine category (1–4).
    #[schema(example = 2)]
    pub categorie: u8,
    /// Amount in euro cents.
    #[schema(example = 25000)]
    pub bedrag_cent: i64,
    /// The day the fine was imposed.
    #[schema(example = "2027-09-15")]
    pub opgelegd_op: NaiveDate,
    /// The term that passed without the hours; one sanction per term.
    #[schema(example = "2027-09-01")]
    pub termijn_einde: NaiveDate,
}

/// What the rules need to know about a contract.
#[derive(Clone, Debug, PartialEq)]
pub struct ContractStaat {
    pub statuut: Statuut,
    pub status: ContractStatus,
    pub ondertekend_op: NaiveDate,
    pub termijn_einde: NaiveDate,
    pub pnt_opgenomen: bool,
    pub vereiste_uren: u32,
    pub vrijstelling: Option<Vrijstelling>,
    pub vrijstelling_toegekend_op: Option<NaiveDate>,
    pub pijlers: Pijlers,
    pub attest_uitgereikt_op: Option<NaiveDate>,
    pub stopgezet_op: Option<NaiveDate>,
    pub sanctie: Option<Sanctie>,
}

impl ContractStaat {
    /// A contract as signed on `ondertekend_op` for a newcomer with `statuut` (R1): running,
    /// with the PNT's hours, a vrijstelling granted at signing (R2), no attest or sanction yet.
    pub fn getekend(
        statuut: Statuut,
        ondertekend_op: NaiveDate,
        termijn_einde: NaiveDate,
        pnt_opgenomen: bool,
        vrijstelling: Option<Vrijstelling>,
        pijlers: Pijlers,
    ) -> ContractStaat {
        ContractStaat {
            statuut,
            status: ContractStatus::Lopend,
            ondertekend_op,
            termijn_einde,
            pnt_opgenomen,
            vereiste_uren: PNT_UREN,
            vrijstelling_toegekend_op: vrijstelling.as_ref().map(|_| ondertekend_op),
            vrijstelling,
            pijlers,
            attest_uitgereikt_op: None,
            stopgezet_op: None,
            sanctie: None,
        }
    }

    /// Whether the PNT's hours are done, or the contract does not require them.
    pub fn pnt_voldaan(&self, goedgekeurde_uren: f64) -> bool {
        !self.pnt_opgenomen || goedgekeurde_uren >= f64::from(self.vereiste_uren)
    }
}

/// A requested contract change, parsed.
#[derive(Clone, Debug, PartialEq)]
pub enum Wijziging {
    TermijnVerlengd {
        nieuwe_termijn_einde: NaiveDate,
    },
    PntToegevoegd,
    PntGeschrapt,
    VrijstellingToegekend(Vrijstelling),
    PijlerStatusGewijzigd {
        pijler: Pijler,
        status: PijlerStatus,
    },
    SanctieOpgelegd {
        categorie: u8,
        bedrag_cent: i64,
        /// The new term in which the PNT must still be completed (R5); after today.
        nieuwe_termijn_einde: NaiveDate,
        /// The follow-up entries that judged the effort `onvoldoende` or `geen`.
        opvolging: Vec<i64>,
        /// Why no extension preceded the sanction; required without one.
        zonder_verlenging_reden: Option<String>,
    },
    AttestUitgereikt,
    Stopgezet,
}

impl Wijziging {
    pub fn soort(&self) -> WijzigingSoort {
        match self {
            Wijziging::TermijnVerlengd { .. } => WijzigingSoort::TermijnVerlengd,
            Wijziging::PntToegevoegd => WijzigingSoort::PntToegevoegd,
            Wijziging::PntGeschrapt => WijzigingSoort::PntGeschrapt,
            Wijziging::VrijstellingToegekend(_) => WijzigingSoort::VrijstellingToegekend,
            Wijziging::PijlerStatusGewijzigd { .. } => WijzigingSoort::PijlerStatusGewijzigd,
            Wijziging::SanctieOpgelegd { .. } => WijzigingSoort::SanctieOpgelegd,
            Wijziging::AttestUitgereikt => WijzigingSoort::AttestUitgereikt,
            Wijziging::Stopgezet => WijzigingSoort::Stopgezet,
        }
    }
}

/// What a change did, beyond who, when and why. Stored with the change and shown as is; each
/// field is present only for the kinds named in its description.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WijzigingEffect {
    /// `termijnVerlengd`, `sanctieOpgelegd`: the term's end before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub vorige_termijn_einde: Option<NaiveDate>,
    /// `termijnVerlengd`, `sanctieOpgelegd`: the term's new end.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub nieuwe_termijn_einde: Option<NaiveDate>,
    /// `vrijstellingToegekend`: the exemption granted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub vrijstelling: Option<Vrijstelling>,
    /// `pijlerStatusGewijzigd`: which pillar.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pijler: Option<Pijler>,
    /// `pijlerStatusGewijzigd`: its status before.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub vorige_status: Option<PijlerStatus>,
    /// `pijlerStatusGewijzigd`: its new status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub nieuwe_status: Option<PijlerStatus>,
    /// `sanctieOpgelegd`: the follow-up entries (ids under `…/opvolging`) that judged the
    /// effort `onvoldoende` or `geen`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = json!([3, 7]))]
    pub opvolging: Option<Vec<i64>>,
    /// `sanctieOpgelegd`: why no extension preceded the sanction, when none did.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub zonder_verlenging_reden: Option<String>,
    /// `sanctieOpgelegd`: the fine category.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub categorie: Option<u8>,
    /// `sanctieOpgelegd`: the fine in euro cents.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub bedrag_cent: Option<i64>,
    /// `pntToegevoegd`, `pntGeschrapt`, `vrijstellingToegekend`: whether the PNT is part of
    /// the contract afterwards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub pnt_opgenomen: Option<bool>,
    /// The contract's status afterwards, when the change altered it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contract_status: Option<ContractStatus>,
}

impl WijzigingEffect {
    /// What `w` did to the contract in state `voor`, giving `na`.
    pub fn van(w: &Wijziging, voor: &ContractStaat, na: &ContractStaat) -> Self {
        let mut e =
            WijzigingEffect { contract_status: (voor.status != na.status).then_some(na.status), ..Default::default() };
        match w {
            Wijziging::TermijnVerlengd { nieuwe_termijn_einde } => {
                e.vorige_termijn_einde = Some(voor.termijn_einde);
                e.nieuwe_termijn_einde = Some(*nieuwe_termijn_einde);
            }
            Wijziging::PntToegevoegd | Wijziging::PntGeschrapt => e.pnt_opgenomen = Some(na.pnt_opgenomen),
            Wijziging::VrijstellingToegekend(v) => {
                e.vrijstelling = Some(v.clone());
                e.pnt_opgenomen = Some(na.pnt_opgenomen);
            }
            Wijziging::PijlerStatusGewijzigd { pijler, status } => {
                e.pijler = Some(*pijler);
                e.vorige_status = Some(voor.pijlers.get(*pijler));
                e.nieuwe_status = Some(*status);
            }
            Wijziging::SanctieOpgelegd {
                categorie,
                bedrag_cent,
                nieuwe_termijn_einde,
                opvolging,
                zonder_verlenging_reden,
            } => {
                e.categorie = Some(*categorie);
                e.bedrag_cent = Some(*bedrag_cent);
                e.vorige_termijn_einde = Some(voor.termijn_einde);
                e.nieuwe_termijn_einde = Some(*nieuwe_termijn_einde);
                e.opvolging = Some(opvolging.clone());
                e.zonder_verlenging_reden = zonder_verlenging_reden.clone();
            }
            Wijziging::AttestUitgereikt | Wijziging::Stopgezet => {}
        }
        e
    }
}

/// What the rules need to know besides the contract: its hours, its follow-up and its history.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Dossier {
    /// The PNT hours (R9): approved, and signed waiting for review.
    pub uren: Uren,
    /// The contract's follow-up log (for a sanction).
    pub opvolging: Vec<Opvolging>,
    /// Whether the term was extended (`termijnVerlengd`) since the last sanction, or ever when
    /// there was none: the Q&A's order is first the extension, then the sanction (R5).
    pub verlengd_sinds_sanctie: bool,
}

impl Dossier {
    /// A dossier with these approved hours and nothing else.
    pub fn met_uren(goedgekeurd: f64) -> Dossier {
        Dossier { uren: Uren { goedgekeurd, ingediend: 0.0 }, ..Default::default() }
    }
}

/// Why a change was refused; each maps to one problem type.
#[derive(Clone, Debug, PartialEq)]
pub enum Refusal {
    /// The request itself is incomplete or wrong (400 `badRequest`).
    Invalid(Vec<RegelFout>),
    /// The contract's state does not allow this change (409 `invalidContractChange`).
    InvalidChange(String),
    /// R5 does not allow a sanction now (409 `sanctionNotAllowed`).
    SanctionNotAllowed(String),
    /// R6 does not hold (409 `attestNotAllowed`).
    AttestNotAllowed(String),
}

/// The checks that need only the request: required reasons, fine bounds, vrijstelling facts.
fn check_aanvraag(w: &Wijziging, reden: Option<&str>, vandaag: NaiveDate) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    let reden_verplicht =
        matches!(w, Wijziging::TermijnVerlengd { .. } | Wijziging::SanctieOpgelegd { .. } | Wijziging::Stopgezet);
    check_tekst("reden", reden, reden_verplicht, &mut fouten);
    match w {
        Wijziging::SanctieOpgelegd {
            categorie, bedrag_cent, nieuwe_termijn_einde, zonder_verlenging_reden, ..
        } => {
            if *nieuwe_termijn_einde <= vandaag {
                fouten.push(RegelFout::new(
                    "nieuweTermijnEinde",
                    "nieuweTermijnEinde must lie after today: the newcomer must be able to complete the PNT after the sanction (R5)",
                ));
            }
            check_tekst("zonderVerlengingReden", zonder_verlenging_reden.as_deref(), false, &mut fouten);
            if !(1..=4).contains(categorie) {
                fouten.push(RegelFout::new("categorie", "categorie is one of the decree's fine categories 1 to 4"));
            }
            if !(MINIMALE_BOETE_CENT..=MAXIMALE_BOETE_CENT).contains(bedrag_cent) {
                fouten.push(RegelFout::new(
                    "bedragCent",
                    format!("bedragCent lies between {MINIMALE_BOETE_CENT} and {MAXIMALE_BOETE_CENT} (€50 to €5,000)"),
                ));
            }
        }
        Wijziging::VrijstellingToegekend(v) => fouten.extend(check_vrijstelling(v, vandaag, "vrijstelling")),
        _ => {}
    }
    fouten
}

/// Applies a change to a contract, or says why it is not allowed. `dossier` holds the PNT
/// hours so far (R9), the follow-up and what the history says; `vandaag` is the date the change
/// is made.
pub fn pas_toe(
    staat: &ContractStaat,
    w: &Wijziging,
    reden: Option<&str>,
    vandaag: NaiveDate,
    dossier: &Dossier,
) -> Result<ContractStaat, Refusal> {
    let goedgekeurde_uren = dossier.uren.goedgekeurd;
    let fouten = check_aanvraag(w, reden, vandaag);
    if !fouten.is_empty() {
        return Err(Refusal::Invalid(fouten));
    }
    if !staat.status.is_lopend() {
        return Err(Refusal::InvalidChange(format!(
            "the contract is {}; a closed contract takes no more changes",
            staat.status
        )));
    }
    let mut nieuw = staat.clone();
    match w {
        Wijziging::TermijnVerlengd { nieuwe_termijn_einde } => {
            if *nieuwe_termijn_einde <= staat.termijn_einde {
                return Err(Refusal::Invalid(vec![RegelFout::new(
                    "nieuweTermijnEinde",
                    format!("nieuweTermijnEinde must lie after the current termijnEinde {}", staat.termijn_einde),
                )]));
            }
            nieuw.termijn_einde = *nieuwe_termijn_einde;
            nieuw.status = ContractStatus::Verlengd;
        }
        Wijziging::PntToegevoegd | Wijziging::PntGeschrapt => {
            if staat.statuut != Statuut::Rechthebbend {
                return Err(Refusal::InvalidChange(
                    "only a rechthebbend newcomer's PNT can be added or dropped (R3); for a verplicht newcomer the PNT is required unless a vrijstelling is granted".into(),
                ));
            }
            let toevoegen = matches!(w, Wijziging::PntToegevoegd);
            if toevoegen && staat.ondertekend_op < pnt_sinds() {
                return Err(Refusal::InvalidChange(format!(
                    "the PNT exists since {}; this contract was signed on {} and cannot include it",
                    pnt_sinds(),
                    staat.ondertekend_op
                )));
            }
            if staat.pnt_opgenomen == toevoegen {
                return Err(Refusal::InvalidChange(if toevoegen {
                    "the PNT is already part of this contract".into()
                } else {
                    "the PNT is not part of this contract".into()
                }));
            }
            nieuw.pnt_opgenomen = toevoegen;
        }
        Wijziging::VrijstellingToegekend(v) => {
            if staat.statuut != Statuut::Verplicht {
                return Err(Refusal::InvalidChange(
                    "a vrijstelling applies to verplicht newcomers only; a rechthebbend newcomer's PNT is dropped with pntGeschrapt".into(),
                ));
            }
            if !staat.pnt_opgenomen {
                return Err(Refusal::InvalidChange(
                    "the PNT is not part of this contract: there is nothing to exempt from".into(),
                ));
            }
            nieuw.pnt_opgenomen = false;
            nieuw.vrijstelling = Some(v.clone());
            nieuw.vrijstelling_toegekend_op = Some(vandaag);
        }
        Wijziging::PijlerStatusGewijzigd { pijler, status } => {
            let huidig = staat.pijlers.get(*pijler);
            if huidig == *status {
                return Err(Refusal::InvalidChange(format!("the pillar {pijler} is already {status}")));
            }
            // Undoing a pillar that counted for the attest is a correction: say why.
            if huidig.afgerond() && reden.is_none_or(|r| r.trim().is_empty()) {
                return Err(Refusal::Invalid(vec![RegelFout::new(
                    "reden",
                    format!("the pillar {pijler} is {huidig}; changing it back needs a reden"),
                )]));
            }
            nieuw.pijlers.set(*pijler, *status);
        }
        Wijziging::SanctieOpgelegd {
            categorie,
            bedrag_cent,
            nieuwe_termijn_einde,
            opvolging: gekozen,
            zonder_verlenging_reden,
        } => {
            if staat.statuut != Statuut::Verplicht {
                return Err(Refusal::SanctionNotAllowed("only a verplicht newcomer can be sanctioned (R5)".into()));
            }
            if !staat.pnt_opgenomen {
                return Err(Refusal::SanctionNotAllowed(
                    "the PNT is not part of this contract, so its hours cannot be missed".into(),
                ));
            }
            if vandaag <= staat.termijn_einde {
                return Err(Refusal::SanctionNotAllowed(format!(
                    "the term runs until {}; a sanction is possible only after it passed (R5)",
                    staat.termijn_einde
                )));
            }
            // Signed hours waiting for the trajectbegeleider's own review count here: the
            // newcomer did them, and the review is not theirs to delay.
            let uren = dossier.uren.goedgekeurd + dossier.uren.ingediend;
            if uren >= f64::from(staat.vereiste_uren) {
                return Err(Refusal::SanctionNotAllowed(format!(
                    "the PNT's hours are met counting signed proofs waiting for review: approved plus signed make {uren} of {} hours",
                    staat.vereiste_uren
                )));
            }
            if staat.sanctie.is_some_and(|s| s.termijn_einde == staat.termijn_einde) {
                return Err(Refusal::SanctionNotAllowed(
                    "a sanction was already imposed for this term; extend the term first".into(),
                ));
            }
            // R5: only when the follow-up shows no or insufficient effort.
            let tekort: Vec<i64> = opvolging::geldend(&dossier.opvolging)
                .filter(|o| o.inspanning.is_some_and(|i| i.schiet_tekort()))
                .map(|o| o.id)
                .collect();
            if tekort.is_empty() {
                return Err(Refusal::SanctionNotAllowed(
                    "the follow-up holds no entry judging the effort onvoldoende or geen; a sanction rests on the trajectbegeleider's follow-up (R5)".into(),
                ));
            }
            let mut fouten = Vec::new();
            if gekozen.is_empty() {
                fouten.push(RegelFout::new(
                    "opvolging",
                    "name the follow-up entries that judged the effort onvoldoende or geen",
                ));
            }
            for (i, id) in gekozen.iter().enumerate() {
                if !tekort.contains(id) {
                    fouten.push(RegelFout::new(
                        format!("opvolging[{i}]"),
                        format!("{id} is not a standing follow-up entry of this contract judging the effort onvoldoende or geen"),
                    ));
                }
            }
            // The Q&A's order: first the extension, then the sanction — or say why not.
            if !dossier.verlengd_sinds_sanctie && zonder_verlenging_reden.as_deref().is_none_or(|r| r.trim().is_empty())
            {
                fouten.push(RegelFout::new(
                    "zonderVerlengingReden",
                    "the term was not extended before this sanction (first the extension, then the sanction); say why not",
                ));
            }
            if !fouten.is_empty() {
                return Err(Refusal::Invalid(fouten));
            }
            // R5: the PNT stays required; the new term lets the newcomer complete it.
            nieuw.sanctie = Some(Sanctie {
                categorie: *categorie,
                bedrag_cent: *bedrag_cent,
                opgelegd_op: vandaag,
                termijn_einde: staat.termijn_einde,
            });
            nieuw.termijn_einde = *nieuwe_termijn_einde;
        }
        Wijziging::AttestUitgereikt => {
            let open = staat.pijlers.open();
            if !open.is_empty() {
                let namen: Vec<_> = open.iter().map(|p| p.as_str()).collect();
                return Err(Refusal::AttestNotAllowed(format!(
                    "every pillar must be behaald or vrijgesteld (R6); still open: {}",
                    namen.join(", ")
                )));
            }
            if !staat.pnt_voldaan(goedgekeurde_uren) {
                return Err(Refusal::AttestNotAllowed(format!(
                    "the PNT is part of the contract and {goedgekeurde_uren} of its {} hours are approved (R6)",
                    staat.vereiste_uren
                )));
            }
            nieuw.status = ContractStatus::Voltooid;
            nieuw.attest_uitgereikt_op = Some(vandaag);
        }
        Wijziging::Stopgezet => {
            nieuw.status = ContractStatus::Stopgezet;
            nieuw.stopgezet_op = Some(vandaag);
        }
    }
    Ok(nieuw)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    const VANDAAG: (i32, u32, u32) = (2026, 11, 22);

    fn vandaag() -> NaiveDate {
        d(VANDAAG.0, VANDAAG.1, VANDAAG.2)
    }

    fn staat(statuut: Statuut, opgenomen: bool) -> ContractStaat {
        ContractStaat {
            statuut,
            status: ContractStatus::Lopend,
            ondertekend_op: d(2026, 1, 10),
            termijn_einde: d(2027, 1, 10),
            pnt_opgenomen: opgenomen,
            vereiste_uren: PNT_UREN,
            vrijstelling: None,
            vrijstelling_toegekend_op: None,
            pijlers: Pijlers::default(),
            attest_uitgereikt_op: None,
            stopgezet_op: None,
            sanctie: None,
        }
    }

    fn werk(breuk: f64, perioden: &[(NaiveDate, Option<NaiveDate>)]) -> Vrijstelling {
        Vrijstelling {
            reden: VrijstellingReden::Werk,
            bewijs: "arbeidsovereenkomst".into(),
            details: None,
            tewerkstelling: Some(Tewerkstelling {
                breuk,
                arbeidsovereenkomsten: Some(
                    perioden.iter().map(|(van, tot)| Periode { van: *van, tot: *tot }).collect(),
                ),
                zelfstandige: None,
                benoemingsbesluit: None,
            }),
        }
    }

    fn velden(fouten: &[RegelFout]) -> Vec<&str> {
        fouten.iter().map(|f| f.veld.as_str()).collect()
    }

    #[test]
    fn verplicht_needs_the_pnt_or_a_justified_vrijstelling() {
        let peil = vandaag();
        assert!(check_pnt_bij_ondertekening(Statuut::Verplicht, true, None, peil).is_empty());
        assert_eq!(velden(&check_pnt_bij_ondertekening(Statuut::Verplicht, false, None, peil)), ["pnt.vrijstelling"]);
        let studie = Vrijstelling {
            reden: VrijstellingReden::Studie,
            bewijs: "inschrijvingsbewijs KU Leuven 2026-2027".into(),
            details: None,
            tewerkstelling: None,
        };
        assert!(check_pnt_bij_ondertekening(Statuut::Verplicht, false, Some(&studie), peil).is_empty());
        assert_eq!(
            velden(&check_pnt_bij_ondertekening(Statuut::Verplicht, true, Some(&studie), peil)),
            ["pnt.vrijstelling"]
        );
        let zonder_bewijs = Vrijstelling { bewijs: "  ".into(), ..studie.clone() };
        assert_eq!(
            velden(&check_pnt_bij_ondertekening(Statuut::Verplicht, false, Some(&zonder_bewijs), peil)),
            ["pnt.vrijstelling.bewijs"]
        );
    }

    #[test]
    fn rechthebbend_chooses_freely_without_vrijstelling() {
        let peil = vandaag();
        assert!(check_pnt_bij_ondertekening(Statuut::Rechthebbend, true, None, peil).is_empty());
        assert!(check_pnt_bij_ondertekening(Statuut::Rechthebbend, false, None, peil).is_empty());
        let v = werk(1.0, &[(d(2025, 1, 1), None)]);
        assert_eq!(
            velden(&check_pnt_bij_ondertekening(Statuut::Rechthebbend, false, Some(&v), peil)),
            ["pnt.vrijstelling"]
        );
    }

    #[test]
    fn werk_needs_half_time_and_three_consecutive_months_now() {
        let peil = d(2026, 6, 15);
        let ok = |v: &Vrijstelling| check_vrijstelling(v, peil, "v").is_empty();
        // Open-ended contract running since before the reference date.
        assert!(ok(&werk(0.5, &[(d(2026, 6, 1), None)])));
        // Exactly three months: 1 May to 31 July.
        assert!(ok(&werk(1.0, &[(d(2026, 5, 1), Some(d(2026, 7, 31)))])));
        // One day short.
        assert!(!ok(&werk(1.0, &[(d(2026, 5, 1), Some(d(2026, 7, 30)))])));
        // Two adjacent contracts make one span; order of input does not matter.
        assert!(ok(&werk(0.6, &[(d(2026, 6, 1), Some(d(2026, 7, 31))), (d(2026, 4, 1), Some(d(2026, 5, 31)))])));
        // A gap of one day breaks the span.
        assert!(!ok(&werk(0.6, &[(d(2026, 4, 1), Some(d(2026, 5, 30))), (d(2026, 6, 1), Some(d(2026, 7, 31)))])));
        // Long enough, but over before the reference date.
        assert!(!ok(&werk(1.0, &[(d(2025, 1, 1), Some(d(2025, 12, 31)))])));
        // Not yet started.
        assert!(!ok(&werk(1.0, &[(d(2026, 7, 1), None)])));
        // Less than half-time.
        let f = check_vrijstelling(&werk(0.4, &[(d(2026, 1, 1), None)]), peil, "v");
        assert_eq!(velden(&f), ["v.tewerkstelling.breuk"]);
        let f = check_vrijstelling(&werk(1.5, &[(d(2026, 1, 1), None)]), peil, "v");
        assert_eq!(velden(&f), ["v.tewerkstelling.breuk"]);
        // Inverted period, missing facts, facts for another reason.
        let f = check_vrijstelling(&werk(1.0, &[(d(2026, 5, 1), Some(d(2026, 4, 1)))]), peil, "v");
        assert_eq!(velden(&f), ["v.tewerkstelling.arbeidsovereenkomsten[0].tot"]);
        let f = check_vrijstelling(&werk(1.0, &[]), peil, "v");
        assert_eq!(velden(&f), ["v.tewerkstelling.arbeidsovereenkomsten"]);
        let mut geen_feiten = werk(1.0, &[]);
        geen_feiten.tewerkstelling = None;
        assert_eq!(velden(&check_vrijstelling(&geen_feiten, peil, "v")), ["v.tewerkstelling"]);
        let mut zelfstandige = werk(1.0, &[(d(2026, 1, 1), None)]);
        zelfstandige.reden = VrijstellingReden::Zelfstandige;
        assert_eq!(
            velden(&check_vrijstelling(&zelfstandige, peil, "v")),
            ["v.tewerkstelling.arbeidsovereenkomsten", "v.tewerkstelling.zelfstandige"]
        );
    }

    #[test]
    fn zelfstandige_and_ambtenaar_need_half_time_and_their_own_evidence() {
        let peil = d(2026, 6, 15);
        let t = |breuk: f64, z: Option<ZelfstandigeBewijs>, b: Option<Benoemingsbesluit>| Tewerkstelling {
            breuk,
            arbeidsovereenkomsten: None,
            zelfstandige: z,
            benoemingsbesluit: b,
        };
        let v = |reden, t: Option<Tewerkstelling>| Vrijstelling {
            reden,
            bewijs: "stukken".into(),
            details: None,
            tewerkstelling: t,
        };
        let z = ZelfstandigeBewijs { bewijs: "sociaal verzekeringsfonds".into(), datum: peil };
        let b = Benoemingsbesluit { datum: peil, uitgevaardigd_door: "Stad Gent".into() };
        use VrijstellingReden::{Ambtenaar, Zelfstandige};
        // Accepted boundary: exactly half-time, evidence dated on the reference date.
        assert!(check_vrijstelling(&v(Zelfstandige, Some(t(0.5, Some(z.clone()), None))), peil, "v").is_empty());
        assert!(check_vrijstelling(&v(Ambtenaar, Some(t(0.5, None, Some(b.clone())))), peil, "v").is_empty());
        // Less than half-time.
        assert_eq!(
            velden(&check_vrijstelling(&v(Zelfstandige, Some(t(0.49, Some(z.clone()), None))), peil, "v")),
            ["v.tewerkstelling.breuk"]
        );
        // No facts, or no evidence of the kind, or evidence of another kind.
        assert_eq!(velden(&check_vrijstelling(&v(Ambtenaar, None), peil, "v")), ["v.tewerkstelling"]);
        assert_eq!(
            velden(&check_vrijstelling(&v(Ambtenaar, Some(t(1.0, Some(z.clone()), None))), peil, "v")),
            ["v.tewerkstelling.zelfstandige", "v.tewerkstelling.benoemingsbesluit"]
        );
        // Evidence dated after the reference date, or blank.
        let later = Benoemingsbesluit { datum: d(2026, 6, 16), uitgevaardigd_door: " ".into() };
        assert_eq!(
            velden(&check_vrijstelling(&v(Ambtenaar, Some(t(1.0, None, Some(later)))), peil, "v")),
            ["v.tewerkstelling.benoemingsbesluit.uitgevaardigdDoor", "v.tewerkstelling.benoemingsbesluit.datum"]
        );
    }

    #[test]
    fn the_pnt_exists_since_2023() {
        let voor = d(2022, 12, 31);
        assert_eq!(velden(&check_pnt_bij_ondertekening(Statuut::Verplicht, true, None, voor)), ["pnt.opgenomen"]);
        assert_eq!(velden(&check_pnt_bij_ondertekening(Statuut::Rechthebbend, true, None, voor)), ["pnt.opgenomen"]);
        assert!(check_pnt_bij_ondertekening(Statuut::Verplicht, false, None, voor).is_empty());
        assert!(check_pnt_bij_ondertekening(Statuut::Verplicht, true, None, pnt_sinds()).is_empty());
        let mut r = staat(Statuut::Rechthebbend, false);
        r.ondertekend_op = voor;
        assert!(matches!(
            pas_toe(&r, &Wijziging::PntToegevoegd, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        r.ondertekend_op = pnt_sinds();
        assert!(pas_toe(&r, &Wijziging::PntToegevoegd, None, vandaag(), &Dossier::met_uren(0.0)).is_ok());
    }

    #[test]
    fn term_checks() {
        let v = vandaag();
        assert!(check_termijn(d(2026, 11, 1), d(2027, 11, 1), v).is_empty());
        assert_eq!(velden(&check_termijn(d(2026, 11, 1), d(2026, 11, 1), v)), ["termijnEinde"]);
        assert_eq!(velden(&check_termijn(d(2026, 12, 1), d(2027, 11, 1), v)), ["ondertekendOp"]);
    }

    #[test]
    fn extending_needs_a_later_date_and_a_reason() {
        let s = staat(Statuut::Verplicht, true);
        let later = Wijziging::TermijnVerlengd { nieuwe_termijn_einde: d(2027, 6, 1) };
        let n = pas_toe(&s, &later, Some("ziekte"), vandaag(), &Dossier::met_uren(0.0)).unwrap();
        assert_eq!(n.termijn_einde, d(2027, 6, 1));
        assert_eq!(n.status, ContractStatus::Verlengd);
        // Extending again keeps `verlengd`.
        let n2 = pas_toe(
            &n,
            &Wijziging::TermijnVerlengd { nieuwe_termijn_einde: d(2027, 9, 1) },
            Some("opnieuw ziek"),
            vandaag(),
            &Dossier::met_uren(0.0),
        )
        .unwrap();
        assert_eq!(n2.status, ContractStatus::Verlengd);
        match pas_toe(&s, &later, None, vandaag(), &Dossier::met_uren(0.0)) {
            Err(Refusal::Invalid(f)) => assert_eq!(velden(&f), ["reden"]),
            other => panic!("{other:?}"),
        }
        let vroeger = Wijziging::TermijnVerlengd { nieuwe_termijn_einde: s.termijn_einde };
        match pas_toe(&s, &vroeger, Some("x"), vandaag(), &Dossier::met_uren(0.0)) {
            Err(Refusal::Invalid(f)) => assert_eq!(velden(&f), ["nieuweTermijnEinde"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pnt_can_be_added_or_dropped_only_for_rechthebbend() {
        let r = staat(Statuut::Rechthebbend, false);
        let n = pas_toe(&r, &Wijziging::PntToegevoegd, None, vandaag(), &Dossier::met_uren(0.0)).unwrap();
        assert!(n.pnt_opgenomen);
        assert!(matches!(
            pas_toe(&n, &Wijziging::PntToegevoegd, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        let n = pas_toe(&n, &Wijziging::PntGeschrapt, None, vandaag(), &Dossier::met_uren(0.0)).unwrap();
        assert!(!n.pnt_opgenomen);
        assert!(matches!(
            pas_toe(&n, &Wijziging::PntGeschrapt, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        let v = staat(Statuut::Verplicht, true);
        assert!(matches!(
            pas_toe(&v, &Wijziging::PntGeschrapt, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
    }

    #[test]
    fn vrijstelling_later_only_for_verplicht_with_the_pnt() {
        let v = staat(Statuut::Verplicht, true);
        let werk = werk(1.0, &[(d(2026, 1, 1), None)]);
        let n = pas_toe(&v, &Wijziging::VrijstellingToegekend(werk.clone()), None, vandaag(), &Dossier::met_uren(0.0))
            .unwrap();
        assert!(!n.pnt_opgenomen);
        assert_eq!(n.vrijstelling_toegekend_op, Some(vandaag()));
        assert!(matches!(
            pas_toe(&n, &Wijziging::VrijstellingToegekend(werk.clone()), None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        let r = staat(Statuut::Rechthebbend, true);
        assert!(matches!(
            pas_toe(&r, &Wijziging::VrijstellingToegekend(werk.clone()), None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        let te_weinig = super::tests::werk(0.3, &[(d(2026, 1, 1), None)]);
        match pas_toe(&v, &Wijziging::VrijstellingToegekend(te_weinig), None, vandaag(), &Dossier::met_uren(0.0)) {
            Err(Refusal::Invalid(f)) => assert_eq!(velden(&f), ["vrijstelling.tewerkstelling.breuk"]),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sanction_only_after_the_term_without_the_hours() {
        use crate::domain::opvolging::Inspanning;
        let mut s = staat(Statuut::Verplicht, true);
        let boete = |opvolging: Vec<i64>, zonder: Option<&str>| Wijziging::SanctieOpgelegd {
            categorie: 2,
            bedrag_cent: 25_000,
            nieuwe_termijn_einde: d(2027, 6, 1),
            opvolging,
            zonder_verlenging_reden: zonder.map(str::to_string),
        };
        let reden = Some("geen inspanningen geleverd");
        let geen = Opvolging { id: 7, inspanning: Some(Inspanning::Geen), corrigeert: None };
        let dossier = |goedgekeurd: f64, ingediend: f64| Dossier {
            uren: Uren { goedgekeurd, ingediend },
            opvolging: vec![geen],
            verlengd_sinds_sanctie: true,
        };
        let ok = boete(vec![7], None);
        // Term still running, also on its last day.
        assert!(matches!(pas_toe(&s, &ok, reden, vandaag(), &dossier(0.0, 0.0)), Err(Refusal::SanctionNotAllowed(_))));
        s.termijn_einde = vandaag();
        assert!(matches!(pas_toe(&s, &ok, reden, vandaag(), &dossier(0.0, 0.0)), Err(Refusal::SanctionNotAllowed(_))));
        s.termijn_einde = d(2026, 11, 1);
        // Hours met: approved, or approved plus signed waiting for review.
        assert!(matches!(pas_toe(&s, &ok, reden, vandaag(), &dossier(40.0, 0.0)), Err(Refusal::SanctionNotAllowed(_))));
        assert!(matches!(
            pas_toe(&s, &ok, reden, vandaag(), &dossier(30.0, 10.0)),
            Err(Refusal::SanctionNotAllowed(_))
        ));
        // No follow-up judging the effort short, or only a corrected one.
        let zonder_opvolging = Dossier { opvolging: vec![], ..dossier(0.0, 0.0) };
        assert!(matches!(pas_toe(&s, &ok, reden, vandaag(), &zonder_opvolging), Err(Refusal::SanctionNotAllowed(_))));
        let gecorrigeerd = Dossier {
            opvolging: vec![geen, Opvolging { id: 8, inspanning: Some(Inspanning::Voldoende), corrigeert: Some(7) }],
            ..dossier(0.0, 0.0)
        };
        assert!(matches!(pas_toe(&s, &ok, reden, vandaag(), &gecorrigeerd), Err(Refusal::SanctionNotAllowed(_))));
        // The entries named must be those; without an extension first, a reason is required.
        match pas_toe(&s, &boete(vec![], None), reden, vandaag(), &dossier(0.0, 0.0)) {
            Err(Refusal::Invalid(f)) => assert_eq!(velden(&f), ["opvolging"]),
            other => panic!("{other:?}"),
        }
        let niet_verlengd = Dossier { verlengd_sinds_sanctie: false, ..dossier(0.0, 0.0) };
        match pas_toe(&s, &boete(vec![7, 9], None), reden, vandaag(), &niet_verlengd) {
            Err(Refusal::Invalid(f)) => assert_eq!(velden(&f), ["opvolging[1]", "zonderVerlengingReden"]),
            other => panic!("{other:?}"),
        }
        assert!(pas_toe(&s, &boete(vec![7], Some("verlenging zinloos")), reden, vandaag(), &niet_verlengd).is_ok());
        // Accepted boundary: 39.75 hours with the review included.
        let n = pas_toe(&s, &ok, reden, vandaag(), &dossier(30.0, 9.75)).unwrap();
        assert!(n.pnt_opgenomen, "the PNT stays required after a sanction");
        assert_eq!(n.status, s.status);
        assert_eq!(n.termijn_einde, d(2027, 6, 1), "a new term to complete the PNT");
        assert_eq!(n.sanctie.unwrap().termijn_einde, d(2026, 11, 1));
        // The new term runs: no second sanction until it passed.
        assert!(matches!(pas_toe(&n, &ok, reden, vandaag(), &dossier(0.0, 0.0)), Err(Refusal::SanctionNotAllowed(_))));
        // Not for rechthebbend, nor without the PNT.
        let mut r = staat(Statuut::Rechthebbend, true);
        r.termijn_einde = d(2026, 11, 1);
        assert!(matches!(pas_toe(&r, &ok, reden, vandaag(), &dossier(0.0, 0.0)), Err(Refusal::SanctionNotAllowed(_))));
        let mut vrij = s.clone();
        vrij.pnt_opgenomen = false;
        assert!(matches!(
            pas_toe(&vrij, &ok, reden, vandaag(), &dossier(0.0, 0.0)),
            Err(Refusal::SanctionNotAllowed(_))
        ));
        // Bounds, reason and the new term are input errors.
        let fout = Wijziging::SanctieOpgelegd {
            categorie: 5,
            bedrag_cent: 100,
            nieuwe_termijn_einde: vandaag(),
            opvolging: vec![7],
            zonder_verlenging_reden: None,
        };
        match pas_toe(&s, &fout, None, vandaag(), &dossier(0.0, 0.0)) {
            Err(Refusal::Invalid(f)) => {
                assert_eq!(velden(&f), ["reden", "nieuweTermijnEinde", "categorie", "bedragCent"])
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn attest_needs_every_pillar_and_the_hours() {
        let mut s = staat(Statuut::Verplicht, true);
        assert!(matches!(
            pas_toe(&s, &Wijziging::AttestUitgereikt, None, vandaag(), &Dossier::met_uren(40.0)),
            Err(Refusal::AttestNotAllowed(_))
        ));
        s.pijlers = Pijlers {
            maatschappelijke_orientatie: PijlerStatus::Behaald,
            nederlands: PijlerStatus::Behaald,
            werk: PijlerStatus::Vrijgesteld,
        };
        assert!(matches!(
            pas_toe(&s, &Wijziging::AttestUitgereikt, None, vandaag(), &Dossier::met_uren(39.0)),
            Err(Refusal::AttestNotAllowed(_))
        ));
        let n = pas_toe(&s, &Wijziging::AttestUitgereikt, None, vandaag(), &Dossier::met_uren(40.0)).unwrap();
        assert_eq!(n.status, ContractStatus::Voltooid);
        assert_eq!(n.attest_uitgereikt_op, Some(vandaag()));
        // Without the PNT, the hours are not required.
        s.pnt_opgenomen = false;
        assert!(pas_toe(&s, &Wijziging::AttestUitgereikt, None, vandaag(), &Dossier::met_uren(0.0)).is_ok());
        // A closed contract takes no more changes.
        assert!(matches!(
            pas_toe(&n, &Wijziging::Stopgezet, Some("verhuisd"), vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
    }

    #[test]
    fn pillar_changes() {
        let s = staat(Statuut::Verplicht, true);
        let behaald = Wijziging::PijlerStatusGewijzigd { pijler: Pijler::Nederlands, status: PijlerStatus::Behaald };
        let n = pas_toe(&s, &behaald, None, vandaag(), &Dossier::met_uren(0.0)).unwrap();
        assert_eq!(n.pijlers.nederlands, PijlerStatus::Behaald);
        assert!(matches!(
            pas_toe(&n, &behaald, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::InvalidChange(_))
        ));
        let terug = Wijziging::PijlerStatusGewijzigd { pijler: Pijler::Nederlands, status: PijlerStatus::Lopend };
        assert!(matches!(pas_toe(&n, &terug, None, vandaag(), &Dossier::met_uren(0.0)), Err(Refusal::Invalid(_))));
        assert!(pas_toe(&n, &terug, Some("attest NT2 bleek ongeldig"), vandaag(), &Dossier::met_uren(0.0)).is_ok());
    }

    #[test]
    fn stopping_needs_a_reason_and_closes_the_contract() {
        let s = staat(Statuut::Rechthebbend, false);
        assert!(matches!(
            pas_toe(&s, &Wijziging::Stopgezet, None, vandaag(), &Dossier::met_uren(0.0)),
            Err(Refusal::Invalid(_))
        ));
        let n = pas_toe(&s, &Wijziging::Stopgezet, Some("verhuisd naar Wallonië"), vandaag(), &Dossier::met_uren(0.0))
            .unwrap();
        assert_eq!(n.status, ContractStatus::Stopgezet);
        assert_eq!(n.stopgezet_op, Some(vandaag()));
        assert!(!n.status.is_lopend());
    }
}
