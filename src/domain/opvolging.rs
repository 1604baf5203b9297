//! The trajectbegeleider's follow-up of a contract (issue 13): the aanmeldingsgesprek, the
//! intake (one conversation or several), regular follow-up conversations, contact with a
//! contact person, written reminders — each with an effort judgement where it applies. A
//! sanction (R5) rests on entries judging `onvoldoende` or `geen` effort. Append-only: a
//! correction is a new entry that names the one it corrects, which then no longer counts.

use chrono::NaiveDate;

use super::contract::{MAX_TEKST, RegelFout};
use super::inburgeraar::text_enum;

/// A note is short: at most this many characters.
pub const MAX_NOTITIE: usize = MAX_TEKST;

text_enum! {
    /// The kind of follow-up contact.
    OpvolgingSoort {
        /// The first conversation: the path, its conditions and pillars explained.
        Aanmeldingsgesprek = "aanmeldingsgesprek",
        /// (Part of) the intake: the path tailored to the newcomer.
        Intakegesprek = "intakegesprek",
        /// A regular conversation about progress and goals.
        Opvolgingsgesprek = "opvolgingsgesprek",
        /// Contact with the contact person of a proof, e.g. when in doubt.
        ContactMetContactpersoon = "contactMetContactpersoon",
        /// A written reminder to the newcomer.
        SchriftelijkeHerinnering = "schriftelijkeHerinnering",
        /// Anything else.
        Andere = "andere",
    }
}

text_enum! {
    /// How the contact took place.
    Kanaal {
        /// In person.
        Fysiek = "fysiek",
        /// By phone.
        Telefonisch = "telefonisch",
        /// By video call.
        Video = "video",
        /// By e-mail.
        Email = "email",
        /// By letter.
        Brief = "brief",
        /// Another channel.
        Andere = "andere",
    }
}

text_enum! {
    /// The trajectbegeleider's judgement of the newcomer's effort toward the PNT's goals (R5).
    Inspanning {
        /// Enough effort.
        Voldoende = "voldoende",
        /// Insufficient effort.
        Onvoldoende = "onvoldoende",
        /// No effort.
        Geen = "geen",
    }
}

impl Inspanning {
    /// Whether this judgement can support a sanction (R5: "geen of onvoldoende inspanning").
    pub fn schiet_tekort(self) -> bool {
        matches!(self, Inspanning::Onvoldoende | Inspanning::Geen)
    }
}

/// An entry as the rules see it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Opvolging {
    pub id: i64,
    pub inspanning: Option<Inspanning>,
    pub corrigeert: Option<i64>,
}

/// The entries that still count: those no later entry corrects.
pub fn geldend(entries: &[Opvolging]) -> impl Iterator<Item = &Opvolging> {
    entries.iter().filter(move |e| !entries.iter().any(|later| later.corrigeert == Some(e.id)))
}

/// A new entry's own checks: its date lies between signing and today, its note is not blank
/// and short, and a correction names an entry of the same contract that was not corrected yet.
pub fn check_nieuw(
    datum: NaiveDate,
    notitie: &str,
    corrigeert: Option<i64>,
    ondertekend_op: NaiveDate,
    vandaag: NaiveDate,
    bestaande: &[Opvolging],
) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    if datum > vandaag {
        fouten.push(RegelFout::new("datum", "datum lies in the future"));
    }
    if datum < ondertekend_op {
        fouten.push(RegelFout::new("datum", format!("datum lies before the contract was signed ({ondertekend_op})")));
    }
    let n = notitie.trim().chars().count();
    if n == 0 {
        fouten.push(RegelFout::new("notitie", "notitie is required"));
    } else if notitie.chars().count() > MAX_NOTITIE {
        fouten.push(RegelFout::new("notitie", format!("notitie has at most {MAX_NOTITIE} characters")));
    }
    if let Some(id) = corrigeert {
        if !bestaande.iter().any(|e| e.id == id) {
            fouten.push(RegelFout::new("corrigeert", format!("No follow-up entry {id} on this contract")));
        } else if bestaande.iter().any(|e| e.corrigeert == Some(id)) {
            fouten.push(RegelFout::new(
                "corrigeert",
                format!("entry {id} was already corrected; correct the latest entry instead"),
            ));
        }
    }
    fouten
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, day).unwrap()
    }

    fn e(id: i64, inspanning: Option<Inspanning>, corrigeert: Option<i64>) -> Opvolging {
        Opvolging { id, inspanning, corrigeert }
    }

    #[test]
    fn corrections_replace_the_entry_they_name() {
        let lijst = [e(1, Some(Inspanning::Geen), None), e(2, None, None), e(3, Some(Inspanning::Voldoende), Some(1))];
        let ids: Vec<i64> = geldend(&lijst).map(|e| e.id).collect();
        assert_eq!(ids, [2, 3]);
        assert!(Inspanning::Geen.schiet_tekort() && Inspanning::Onvoldoende.schiet_tekort());
        assert!(!Inspanning::Voldoende.schiet_tekort());
    }

    #[test]
    fn a_new_entry_is_checked() {
        let (start, vandaag) = (d(1, 10), d(6, 1));
        let lijst = [e(1, None, None), e(2, None, Some(1))];
        let velden = |f: Vec<RegelFout>| f.into_iter().map(|f| f.veld).collect::<Vec<_>>();
        assert!(check_nieuw(vandaag, "gesprek", None, start, vandaag, &lijst).is_empty());
        assert!(check_nieuw(start, "gesprek", Some(2), start, vandaag, &lijst).is_empty());
        assert_eq!(
            velden(check_nieuw(d(6, 2), " ", Some(1), start, vandaag, &lijst)),
            ["datum", "notitie", "corrigeert"]
        );
        assert_eq!(velden(check_nieuw(d(1, 9), "x", Some(9), start, vandaag, &lijst)), ["datum", "corrigeert"]);
    }
}
