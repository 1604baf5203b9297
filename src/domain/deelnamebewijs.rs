//! Deelnamebewijzen, proofs of participation (R7–R10): which proofs are one (R7), what a line of
//! hours may hold (R10), the status machine from draft to review (R8, R9), signing links, and
//! which proofs' hours count (R9). No HTTP, no SQL; who may see or do what is
//! `domain::toegang::deelnamebewijzen`.
//!
//! ```text
//!             indienen / link          ondertekenen               goedgekeurd
//!   concept ──────────────► teOndertekenen ──────────► ondertekend ──────────► goedgekeurd
//!      ▲                         │ weigeren                  │ afgekeurd
//!      │   hours changed         ▼                           ▼
//!      └──────────────────── geweigerd                   afgekeurd ───┐
//!      └──────────────────────────────────────────────────────────────┘ hours changed
//! ```
//! A signed (`ondertekend`) or approved proof is immutable.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::{NaiveDate, NaiveDateTime};

use super::aanbod::Aanbodtype;
use super::contract::RegelFout;
use super::inburgeraar::text_enum;
use super::text::naam_sleutel;
use super::voortgang::Uren;

text_enum! {
    /// Where a proof stands.
    BewijsStatus {
        /// Being filled in by the newcomer or their trajectbegeleider.
        Concept = "concept",
        /// Waiting for the contact person's signature (by account or one-time link).
        TeOndertekenen = "teOndertekenen",
        /// Signed by the contact person: immutable, waiting for the trajectbegeleider's review.
        Ondertekend = "ondertekend",
        /// Refused by the contact person, with a motivation; changing the hours reopens it.
        Geweigerd = "geweigerd",
        /// Approved by the trajectbegeleider: its hours count toward the 40 (R9).
        Goedgekeurd = "goedgekeurd",
        /// Rejected by the trajectbegeleider, with a motivation; changing the hours reopens it.
        Afgekeurd = "afgekeurd",
    }
}

impl BewijsStatus {
    /// The statuses whose hours can still change: the "open" proofs of R7.
    pub const OPEN: [BewijsStatus; 4] =
        [BewijsStatus::Concept, BewijsStatus::TeOndertekenen, BewijsStatus::Geweigerd, BewijsStatus::Afgekeurd];

    pub fn is_open(self) -> bool {
        BewijsStatus::OPEN.contains(&self)
    }

    /// How the hours of a proof in this status count toward the contract's 40 (R9): an approved
    /// proof's hours count, a signed one's wait for review; the others' hours do not count.
    pub fn telling(self) -> Option<Telling> {
        match self {
            BewijsStatus::Goedgekeurd => Some(Telling::Goedgekeurd),
            BewijsStatus::Ondertekend => Some(Telling::Ingediend),
            _ => None,
        }
    }

    /// The statuses whose hours progress shows ([`BewijsStatus::telling`]): what the sums select.
    pub fn tellend() -> Vec<BewijsStatus> {
        BewijsStatus::ALL.iter().copied().filter(|s| s.telling().is_some()).collect()
    }
}

/// How a proof's hours count (R9).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Telling {
    /// Approved by the trajectbegeleider: they count toward the 40.
    Goedgekeurd,
    /// Signed, not yet reviewed: shown as submitted, not counted.
    Ingediend,
}

/// Adds `kwartieren` on proofs in `status` to a contract's hours (R9).
pub fn tel(uren: &mut Uren, status: BewijsStatus, kwartieren: i64) {
    match status.telling() {
        Some(Telling::Goedgekeurd) => uren.goedgekeurd += self::uren(kwartieren),
        Some(Telling::Ingediend) => uren.ingediend += self::uren(kwartieren),
        None => {}
    }
}

text_enum! {
    /// How a contact person signed or refused.
    Wijze {
        /// With the aanbieder account of the proof's organisation.
        Account = "account",
        /// With a one-time signing link, without an account.
        Link = "link",
    }
}

text_enum! {
    /// Where the contact person and their e-mail address on a proof come from (R8): confirmed by
    /// the organisation (its offer, or its own account), or typed by the newcomer or case worker.
    ContactBron {
        /// From the published offer the proof is linked to, as the organisation set it.
        Aanbod = "aanbod",
        /// Named by an aanbieder of the proof's organisation.
        Organisatie = "organisatie",
        /// Typed by the newcomer or the case worker: nobody at the organisation confirmed it.
        Ingevoerd = "ingevoerd",
    }
}

impl ContactBron {
    /// Whether the organisation itself stands behind the address.
    pub fn bevestigd(self) -> bool {
        self != ContactBron::Ingevoerd
    }
}

text_enum! {
    /// The trajectbegeleider's decision on a signed proof (R9).
    Beoordeling {
        Goedgekeurd = "goedgekeurd",
        Afgekeurd = "afgekeurd",
    }
}

text_enum! {
    /// The contact person's decision through a signing link (R8).
    LinkBeslissing {
        Ondertekenen = "ondertekenen",
        Weigeren = "weigeren",
    }
}

// --- Hours (R10) -------------------------------------------------------------------------------

/// More hours than this on one day is more than a day can hold (R10).
pub const MAX_UREN_PER_DAG: i32 = 12;
const KWARTIEREN_PER_UUR: i32 = 4;
const MAX_KWARTIEREN_PER_DAG: i32 = MAX_UREN_PER_DAG * KWARTIEREN_PER_UUR;
/// Lines per proof: a season of weekly activities fits many times over, and the printed proof
/// stays within two pages.
pub const MAX_PRESTATIES: usize = 100;
/// A signing link is valid this many days.
pub const LINK_GELDIG_DAGEN: i64 = 14;

/// Hours counted in quarter hours, so sums are exact.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Kwartieren(pub i32);

impl Kwartieren {
    /// Hours as a client sends them: more than 0, at most 12, in whole quarter hours.
    pub fn van_uren(uren: f64) -> Result<Kwartieren, String> {
        if !uren.is_finite() || uren <= 0.0 {
            return Err(format!("hours must be more than 0 (got {uren})"));
        }
        if uren > f64::from(MAX_UREN_PER_DAG) {
            return Err(format!("more than {MAX_UREN_PER_DAG} hours on one day is more than a day can hold"));
        }
        let kwartieren = uren * f64::from(KWARTIEREN_PER_UUR);
        if kwartieren.fract() != 0.0 {
            return Err(format!("hours are counted in quarter hours (like 1.25 or 1.5); {uren} is not"));
        }
        Ok(Kwartieren(kwartieren as i32))
    }

    pub fn uren(self) -> f64 {
        uren(i64::from(self.0))
    }
}

/// Hours of a sum of quarter hours.
pub fn uren(kwartieren: i64) -> f64 {
    kwartieren as f64 / f64::from(KWARTIEREN_PER_UUR)
}

/// One line of a proof: the hours of one day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prestatie {
    pub datum: NaiveDate,
    pub kwartieren: Kwartieren,
    pub omschrijving: Option<String>,
}

/// A line as a client sends it, before the rules have seen it.
#[derive(Clone, Debug, PartialEq)]
pub struct NieuwePrestatie {
    pub datum: NaiveDate,
    pub uren: f64,
    pub omschrijving: Option<String>,
}

/// The days a contract's hours may fall on: from signing through the end of the (possibly
/// extended) term (R4).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Termijn {
    pub van: NaiveDate,
    pub tot: NaiveDate,
}

impl Termijn {
    pub fn bevat(&self, d: NaiveDate) -> bool {
        self.van <= d && d <= self.tot
    }
}

/// The lines to check and how issues name them.
pub struct Invoer<'a> {
    /// The new lines, each with the body path it came from (`items[2]`, `prestaties[0]`, or ""
    /// for a single line whose fields are at the top of the body).
    pub nieuw: Vec<(String, NieuwePrestatie)>,
    /// The proof's lines that stay as they are.
    pub behouden: &'a [Prestatie],
    /// The body path of the whole list, for the "too many lines" issue.
    pub lijst: &'a str,
}

fn veld(pad: &str, naam: &str) -> String {
    if pad.is_empty() { naam.to_string() } else { format!("{pad}.{naam}") }
}

/// R10 on new lines: every date inside the term and not in the future, 0 < hours ≤ 12 in quarter
/// hours, one line per day per proof, and no day holding more than 12 hours over all the
/// contract's proofs (`elders`: quarter hours per day on its other proofs). Returns the proof's
/// complete new set of lines, by date, or every broken rule naming its line.
pub fn controleer_prestaties(
    invoer: Invoer<'_>,
    termijn: Termijn,
    vandaag: NaiveDate,
    elders: &HashMap<NaiveDate, i32>,
) -> Result<Vec<Prestatie>, Vec<RegelFout>> {
    let mut fouten = Vec::new();
    let mut dagen: HashSet<NaiveDate> = invoer.behouden.iter().map(|p| p.datum).collect();
    let mut alle = invoer.behouden.to_vec();
    if invoer.behouden.len() + invoer.nieuw.len() > MAX_PRESTATIES {
        fouten.push(RegelFout::new(
            invoer.lijst,
            format!("a proof holds at most {MAX_PRESTATIES} lines (days); this would make {}", {
                invoer.behouden.len() + invoer.nieuw.len()
            }),
        ));
    }
    for (pad, p) in invoer.nieuw {
        let datum_veld = veld(&pad, "datum");
        if p.datum < termijn.van {
            fouten.push(RegelFout::new(
                &datum_veld,
                format!("{}: before the contract was signed ({})", p.datum, termijn.van),
            ));
        } else if p.datum > termijn.tot {
            fouten
                .push(RegelFout::new(&datum_veld, format!("{}: after the end of the term ({})", p.datum, termijn.tot)));
        }
        if p.datum > vandaag {
            fouten
                .push(RegelFout::new(&datum_veld, format!("{}: in the future; log hours once they are done", p.datum)));
        }
        if !dagen.insert(p.datum) {
            fouten.push(RegelFout::new(
                &datum_veld,
                format!("{}: this proof already has a line for that day (one line per day)", p.datum),
            ));
        }
        match Kwartieren::van_uren(p.uren) {
            Err(e) => fouten.push(RegelFout::new(veld(&pad, "uren"), e)),
            Ok(k) => {
                let al = elders.get(&p.datum).copied().unwrap_or(0);
                if al + k.0 > MAX_KWARTIEREN_PER_DAG {
                    fouten.push(RegelFout::new(
                        veld(&pad, "uren"),
                        format!(
                            "other proofs of this contract already hold {} hours on {}; {} more is more than a day \
                             can hold ({MAX_UREN_PER_DAG})",
                            Kwartieren(al).uren(),
                            p.datum,
                            k.uren()
                        ),
                    ));
                }
                alle.push(Prestatie { datum: p.datum, kwartieren: k, omschrijving: p.omschrijving });
            }
        }
    }
    if !fouten.is_empty() {
        return Err(fouten);
    }
    alle.sort_by_key(|p| p.datum);
    Ok(alle)
}

/// The total of a proof's lines.
pub fn totaal(prestaties: &[Prestatie]) -> Kwartieren {
    Kwartieren(prestaties.iter().map(|p| p.kwartieren.0).sum())
}

// --- One proof per type, organisation and contact person (R7) -----------------------------------

/// What groups hours on one proof.
#[derive(Clone, Copy, Debug)]
pub struct Groep<'a> {
    pub aanbodtype: Aanbodtype,
    pub organisatie_id: Option<i64>,
    pub organisatie_naam: &'a str,
    pub contact_naam: &'a str,
    pub contact_email: Option<&'a str>,
}

/// R7 (`RULES.md`): hours of one aanbodtype with one contact person at one organisation belong
/// on one proof; another type, organisation or contact person needs another proof. The same
/// organisation: the same registered organisation when both are registered, else the same name;
/// the same contact person: the same e-mail address or the same name. Names compare by
/// [`naam_sleutel`] (Unicode NFKC, case folding, no accents, single spaces).
pub fn zelfde_groep(a: &Groep<'_>, b: &Groep<'_>) -> bool {
    if a.aanbodtype != b.aanbodtype {
        return false;
    }
    let zelfde_org = match (a.organisatie_id, b.organisatie_id) {
        (Some(x), Some(y)) => x == y,
        _ => naam_sleutel(a.organisatie_naam) == naam_sleutel(b.organisatie_naam),
    };
    let zelfde_email = matches!((a.contact_email, b.contact_email), (Some(x), Some(y))
        if !x.trim().is_empty() && naam_sleutel(x) == naam_sleutel(y));
    let zelfde_persoon = zelfde_email || naam_sleutel(a.contact_naam) == naam_sleutel(b.contact_naam);
    zelfde_org && zelfde_persoon
}

// --- The status machine (R8, R9) -----------------------------------------------------------------

/// What someone does to a proof.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Handeling {
    /// Replace, add or remove lines.
    PrestatiesWijzigen,
    /// Name another contact person (the organisation's choice).
    ContactpersoonWijzigen,
    /// Ask the contact person to sign.
    Indienen,
    /// Make a one-time signing link (submits a draft too).
    LinkMaken,
    Ondertekenen,
    Weigeren,
    Beoordelen(Beoordeling),
}

impl fmt::Display for Handeling {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Handeling::PrestatiesWijzigen => "change its hours",
            Handeling::ContactpersoonWijzigen => "change its contact person",
            Handeling::Indienen => "be submitted for signing",
            Handeling::LinkMaken => "get a signing link",
            Handeling::Ondertekenen => "be signed",
            Handeling::Weigeren => "be refused",
            Handeling::Beoordelen(_) => "be reviewed",
        })
    }
}

/// Why a step is not possible now.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Overgangsfout {
    /// Not a step from this status.
    Ongeldig { van: BewijsStatus, handeling: Handeling },
    /// Submitting, linking and signing need at least one line.
    ZonderPrestaties,
}

impl fmt::Display for Overgangsfout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Overgangsfout::ZonderPrestaties => f.write_str("the proof has no hours yet; add at least one line first"),
            Overgangsfout::Ongeldig { van, handeling } => {
                write!(f, "a proof in status {van} cannot {handeling}")?;
                let uitleg = match (van, handeling) {
                    (BewijsStatus::Ondertekend | BewijsStatus::Goedgekeurd, Handeling::PrestatiesWijzigen) => {
                        "; a signed proof is immutable — log further hours on a new proof"
                    }
                    (BewijsStatus::Ondertekend | BewijsStatus::Goedgekeurd, Handeling::ContactpersoonWijzigen) => {
                        "; a signed proof is immutable"
                    }
                    (BewijsStatus::Geweigerd | BewijsStatus::Afgekeurd, _) => {
                        "; change its hours first, which returns it to concept"
                    }
                    (BewijsStatus::TeOndertekenen, Handeling::Indienen) => "; it is already waiting for a signature",
                    (_, Handeling::Ondertekenen | Handeling::Weigeren) => "; only a proof in teOndertekenen is signed",
                    (_, Handeling::Beoordelen(_)) => "; only a signed (ondertekend) proof is reviewed",
                    _ => "",
                };
                f.write_str(uitleg)
            }
        }
    }
}

/// The status after `handeling` on a proof in `van` with `aantal_prestaties` lines (after the
/// change, for [`Handeling::PrestatiesWijzigen`]).
pub fn overgang(
    van: BewijsStatus,
    handeling: Handeling,
    aantal_prestaties: usize,
) -> Result<BewijsStatus, Overgangsfout> {
    use BewijsStatus::*;
    let ongeldig = Overgangsfout::Ongeldig { van, handeling };
    let naar = match (van, handeling) {
        (Concept | Geweigerd | Afgekeurd, Handeling::PrestatiesWijzigen) => Concept,
        (TeOndertekenen, Handeling::PrestatiesWijzigen) => TeOndertekenen,
        (Concept | TeOndertekenen | Geweigerd | Afgekeurd, Handeling::ContactpersoonWijzigen) => van,
        (Concept, Handeling::Indienen) | (Concept | TeOndertekenen, Handeling::LinkMaken) => TeOndertekenen,
        (TeOndertekenen, Handeling::Ondertekenen) => Ondertekend,
        (TeOndertekenen, Handeling::Weigeren) => Geweigerd,
        (Ondertekend, Handeling::Beoordelen(Beoordeling::Goedgekeurd)) => Goedgekeurd,
        (Ondertekend, Handeling::Beoordelen(Beoordeling::Afgekeurd)) => Afgekeurd,
        _ => return Err(ongeldig),
    };
    let vraagt_uren = matches!(handeling, Handeling::Indienen | Handeling::LinkMaken | Handeling::Ondertekenen);
    if vraagt_uren && aantal_prestaties == 0 {
        return Err(Overgangsfout::ZonderPrestaties);
    }
    Ok(naar)
}

/// A refusal (R8) and a rejection (R9) need a motivation; returns it trimmed.
pub fn motivatie(handeling: Handeling, motivatie: Option<&str>) -> Result<Option<String>, RegelFout> {
    let m = motivatie.map(str::trim).filter(|m| !m.is_empty()).map(str::to_string);
    let vereist = matches!(handeling, Handeling::Weigeren | Handeling::Beoordelen(Beoordeling::Afgekeurd));
    if vereist && m.is_none() {
        let wat = if handeling == Handeling::Weigeren { "refusing to sign" } else { "rejecting a proof" };
        return Err(RegelFout::new("motivatie", format!("motivatie is required when {wat}")));
    }
    Ok(m)
}

// --- Signing links ---------------------------------------------------------------------------------

/// Why a signing link cannot be used.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkFout {
    /// Already used once.
    Gebruikt,
    /// Older than its validity.
    Verlopen,
    /// The proof changed (or was signed, refused or reviewed) since the link was made.
    Verouderd,
}

/// The state of a signing link as far as the link is concerned.
#[derive(Clone, Copy, Debug)]
pub struct LinkStand {
    pub gebruikt: bool,
    pub verloopt_op: NaiveDateTime,
    /// The proof's version when the link was made.
    pub bewijs_versie: i64,
}

/// Whether a link may be used now on a proof at `versie` in `status`: unused, not expired, and
/// the proof exactly as it was when the link was made.
pub fn link_bruikbaar(link: LinkStand, nu: NaiveDateTime, versie: i64, status: BewijsStatus) -> Result<(), LinkFout> {
    if link.gebruikt {
        Err(LinkFout::Gebruikt)
    } else if nu >= link.verloopt_op {
        Err(LinkFout::Verlopen)
    } else if versie != link.bewijs_versie || status != BewijsStatus::TeOndertekenen {
        Err(LinkFout::Verouderd)
    } else {
        Ok(())
    }
}

/// How the newcomer is named to a contact person who opens a link: first name and the initial
/// of the last name ("Amina H."), nothing more.
pub fn korte_naam(voornaam: &str, achternaam: &str) -> String {
    let voornaam = voornaam.trim();
    match achternaam.trim().chars().find(|c| c.is_alphabetic()) {
        Some(c) => format!("{voornaam} {}.", c.to_uppercase()),
        None => voornaam.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn lijn(datum: NaiveDate, uren: f64) -> NieuwePrestatie {
        NieuwePrestatie { datum, uren, omschrijving: None }
    }

    fn termijn() -> Termijn {
        Termijn { van: d(2026, 1, 10), tot: d(2026, 12, 31) }
    }

    fn check(nieuw: Vec<NieuwePrestatie>, behouden: &[Prestatie]) -> Result<Vec<Prestatie>, Vec<RegelFout>> {
        let invoer = Invoer {
            nieuw: nieuw.into_iter().enumerate().map(|(i, p)| (format!("items[{i}]"), p)).collect(),
            behouden,
            lijst: "items",
        };
        controleer_prestaties(invoer, termijn(), d(2026, 6, 1), &HashMap::new())
    }

    fn velden(r: Result<Vec<Prestatie>, Vec<RegelFout>>) -> Vec<String> {
        r.unwrap_err().into_iter().map(|f| f.veld).collect()
    }

    #[test]
    fn hours_are_quarter_hours_between_0_and_12() {
        assert_eq!(Kwartieren::van_uren(1.75), Ok(Kwartieren(7)));
        assert_eq!(Kwartieren::van_uren(12.0), Ok(Kwartieren(48)));
        assert_eq!(Kwartieren::van_uren(0.25), Ok(Kwartieren(1)));
        for bad in [0.0, -1.0, 12.25, 1.3, 0.1, f64::NAN] {
            assert!(Kwartieren::van_uren(bad).is_err(), "{bad}");
        }
        assert_eq!(Kwartieren(7).uren(), 1.75);
        assert_eq!(uren(161), 40.25);
    }

    #[test]
    fn each_line_error_names_its_line() {
        let ok = check(vec![lijn(d(2026, 3, 2), 2.5), lijn(d(2026, 3, 1), 1.0)], &[]).unwrap();
        assert_eq!(ok.iter().map(|p| p.datum).collect::<Vec<_>>(), [d(2026, 3, 1), d(2026, 3, 2)], "sorted by date");
        assert_eq!(totaal(&ok), Kwartieren(14));

        let r = check(
            vec![
                lijn(d(2026, 3, 1), 2.0),
                lijn(d(2026, 1, 9), 1.0),  // before signing
                lijn(d(2027, 1, 1), 1.0),  // after the term and in the future
                lijn(d(2026, 6, 2), 1.0),  // in the future
                lijn(d(2026, 3, 3), 0.0),  // zero
                lijn(d(2026, 3, 4), 13.0), // more than a day holds
                lijn(d(2026, 3, 5), 1.1),  // not a quarter
                lijn(d(2026, 3, 1), 1.0),  // second line for a day
                lijn(d(2026, 3, 6), -2.0), // negative
            ],
            &[],
        );
        assert_eq!(
            velden(r),
            [
                "items[1].datum",
                "items[2].datum",
                "items[2].datum",
                "items[3].datum",
                "items[4].uren",
                "items[5].uren",
                "items[6].uren",
                "items[7].datum",
                "items[8].uren"
            ]
        );
        // The first and the last day of the term are inside it.
        assert!(check(vec![lijn(d(2026, 1, 10), 1.0), lijn(d(2026, 6, 1), 1.0)], &[]).is_ok());
    }

    #[test]
    fn kept_lines_count_for_duplicates_and_the_maximum() {
        let kept = vec![Prestatie { datum: d(2026, 3, 1), kwartieren: Kwartieren(4), omschrijving: None }];
        let invoer = Invoer { nieuw: vec![(String::new(), lijn(d(2026, 3, 1), 1.0))], behouden: &kept, lijst: "x" };
        let fouten = controleer_prestaties(invoer, termijn(), d(2026, 6, 1), &HashMap::new()).unwrap_err();
        assert_eq!(fouten[0].veld, "datum", "a single line names its fields at the top");

        let veel: Vec<_> = (0..MAX_PRESTATIES as u64)
            .map(|i| Prestatie {
                datum: d(2026, 1, 10).checked_add_days(chrono::Days::new(i)).unwrap(),
                kwartieren: Kwartieren(1),
                omschrijving: None,
            })
            .collect();
        assert_eq!(velden(check(vec![lijn(d(2026, 5, 30), 1.0)], &veel)), ["items"]);
    }

    #[test]
    fn a_day_holds_12_hours_over_all_proofs() {
        let elders = HashMap::from([(d(2026, 3, 1), 40)]); // 10 hours elsewhere
        let invoer = |uren| Invoer {
            nieuw: vec![("items[0]".into(), lijn(d(2026, 3, 1), uren))],
            behouden: &[],
            lijst: "items",
        };
        assert!(controleer_prestaties(invoer(2.0), termijn(), d(2026, 6, 1), &elders).is_ok());
        let fouten = controleer_prestaties(invoer(2.25), termijn(), d(2026, 6, 1), &elders).unwrap_err();
        assert_eq!(fouten[0].veld, "items[0].uren");
        assert!(fouten[0].detail.contains("10 hours"), "{}", fouten[0].detail);
    }

    #[test]
    fn r7_groups_by_type_organisation_and_contact_person() {
        let a = Groep {
            aanbodtype: Aanbodtype::Vrijwilligerswerk,
            organisatie_id: Some(3),
            organisatie_naam: "Buurtwerk De Brug",
            contact_naam: "An Peeters",
            contact_email: Some("an@debrug.be"),
        };
        assert!(zelfde_groep(&a, &a));
        let andere_type = Groep { aanbodtype: Aanbodtype::Praattafel, ..a };
        assert!(!zelfde_groep(&a, &andere_type), "another type needs another proof");
        let zelfde_naam = Groep { organisatie_id: None, organisatie_naam: "BUURTWERK  de Brüg ", ..a };
        assert!(zelfde_groep(&a, &zelfde_naam), "the same organisation by name");
        let andere_persoon = Groep { contact_naam: "Jan Janssens", contact_email: Some("jan@debrug.be"), ..a };
        assert!(!zelfde_groep(&a, &andere_persoon), "another contact person needs another proof");
        let zelfde_mail = Groep { contact_naam: "A. Peeters", contact_email: Some(" AN@debrug.be"), ..a };
        assert!(zelfde_groep(&a, &zelfde_mail), "the same contact person by e-mail");
        let zonder_mail = Groep { contact_naam: "an PEETERS", contact_email: None, ..a };
        assert!(zelfde_groep(&a, &zonder_mail), "the same contact person by name");
        let andere_org = Groep { organisatie_id: Some(4), ..a };
        assert!(!zelfde_groep(&a, &andere_org), "the same person at another organisation");
        let zelfde_naam_ander_id = Groep { organisatie_id: Some(4), organisatie_naam: "Buurtwerk De Brug", ..a };
        assert!(!zelfde_groep(&a, &zelfde_naam_ander_id), "two registered organisations are told apart by id");
        let cafe = Groep { organisatie_id: None, organisatie_naam: "Café De Kring", contact_email: None, ..a };
        for naam in ["Cafe\u{301} De Kring", "ＣＡＦÉ de kring"] {
            assert!(zelfde_groep(&cafe, &Groep { organisatie_naam: naam, ..cafe }), "{naam}");
        }
    }

    #[test]
    fn the_status_machine() {
        use BewijsStatus::*;
        use Handeling::*;
        let goed = Beoordelen(Beoordeling::Goedgekeurd);
        let af = Beoordelen(Beoordeling::Afgekeurd);
        assert_eq!(overgang(Concept, Indienen, 1), Ok(TeOndertekenen));
        assert_eq!(overgang(Concept, Indienen, 0), Err(Overgangsfout::ZonderPrestaties));
        assert_eq!(overgang(Concept, LinkMaken, 2), Ok(TeOndertekenen));
        assert_eq!(overgang(TeOndertekenen, LinkMaken, 2), Ok(TeOndertekenen));
        assert_eq!(overgang(TeOndertekenen, PrestatiesWijzigen, 2), Ok(TeOndertekenen));
        assert_eq!(overgang(TeOndertekenen, ContactpersoonWijzigen, 2), Ok(TeOndertekenen));
        assert_eq!(overgang(Geweigerd, ContactpersoonWijzigen, 2), Ok(Geweigerd));
        assert_eq!(overgang(TeOndertekenen, Ondertekenen, 2), Ok(Ondertekend));
        assert_eq!(overgang(TeOndertekenen, Ondertekenen, 0), Err(Overgangsfout::ZonderPrestaties));
        assert_eq!(overgang(TeOndertekenen, Weigeren, 2), Ok(Geweigerd));
        assert_eq!(overgang(Geweigerd, PrestatiesWijzigen, 2), Ok(Concept));
        assert_eq!(overgang(Ondertekend, goed, 2), Ok(Goedgekeurd));
        assert_eq!(overgang(Ondertekend, af, 2), Ok(Afgekeurd));
        assert_eq!(overgang(Afgekeurd, PrestatiesWijzigen, 2), Ok(Concept));
        for (van, h) in [
            (Ondertekend, PrestatiesWijzigen),
            (Goedgekeurd, PrestatiesWijzigen),
            (Ondertekend, ContactpersoonWijzigen),
            (Goedgekeurd, ContactpersoonWijzigen),
            (TeOndertekenen, Indienen),
            (Geweigerd, Indienen),
            (Concept, Ondertekenen),
            (Ondertekend, Ondertekenen),
            (Concept, Weigeren),
            (TeOndertekenen, goed),
            (Goedgekeurd, af),
            (Ondertekend, LinkMaken),
            (Afgekeurd, LinkMaken),
        ] {
            assert_eq!(overgang(van, h, 3), Err(Overgangsfout::Ongeldig { van, handeling: h }), "{van} {h}");
        }
        let e = overgang(Ondertekend, PrestatiesWijzigen, 1).unwrap_err().to_string();
        assert!(e.contains("immutable"), "{e}");
        assert!(BewijsStatus::ALL.iter().filter(|s| s.is_open()).count() == 4);
    }

    #[test]
    fn only_approved_hours_count_and_signed_ones_wait_for_review() {
        let mut u = Uren::default();
        for status in BewijsStatus::ALL {
            tel(&mut u, *status, 6);
        }
        assert_eq!(u, Uren { goedgekeurd: 1.5, ingediend: 1.5 });
        assert_eq!(BewijsStatus::tellend(), [BewijsStatus::Ondertekend, BewijsStatus::Goedgekeurd]);
    }

    #[test]
    fn refusals_and_rejections_need_a_motivation() {
        assert!(motivatie(Handeling::Weigeren, None).is_err());
        assert!(motivatie(Handeling::Weigeren, Some("  ")).is_err());
        assert_eq!(motivatie(Handeling::Weigeren, Some(" Niet aanwezig ")), Ok(Some("Niet aanwezig".into())));
        assert!(motivatie(Handeling::Beoordelen(Beoordeling::Afgekeurd), None).is_err());
        assert_eq!(motivatie(Handeling::Beoordelen(Beoordeling::Goedgekeurd), None), Ok(None));
        assert_eq!(motivatie(Handeling::Ondertekenen, Some("")), Ok(None));
    }

    #[test]
    fn signing_links() {
        let nu = d(2026, 5, 1).and_hms_opt(12, 0, 0).unwrap();
        let link = LinkStand { gebruikt: false, verloopt_op: nu + chrono::Duration::days(1), bewijs_versie: 3 };
        assert_eq!(link_bruikbaar(link, nu, 3, BewijsStatus::TeOndertekenen), Ok(()));
        assert_eq!(link_bruikbaar(link, nu, 4, BewijsStatus::TeOndertekenen), Err(LinkFout::Verouderd));
        assert_eq!(link_bruikbaar(link, nu, 3, BewijsStatus::Ondertekend), Err(LinkFout::Verouderd));
        let later = nu + chrono::Duration::days(1);
        assert_eq!(link_bruikbaar(link, later, 3, BewijsStatus::TeOndertekenen), Err(LinkFout::Verlopen));
        let gebruikt = LinkStand { gebruikt: true, ..link };
        assert_eq!(link_bruikbaar(gebruikt, later, 4, BewijsStatus::Ondertekend), Err(LinkFout::Gebruikt));
        assert_eq!(korte_naam("Amina", "haddad"), "Amina H.");
        assert_eq!(korte_naam(" Amina ", "'t Hooft"), "Amina T.");
        assert_eq!(korte_naam("Amina", ""), "Amina");
    }
}
