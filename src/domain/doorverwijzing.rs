//! A referral (doorverwijzing) of a newcomer to an offer, and its waiting-list state machine:
//!
//! ```text
//!             place free                 start               finish
//!  create ──────────────▶ voorgesteld ─────────▶ gestart ─────────▶ afgerond
//!    │                        ▲   │                 │
//!    │ offer full             │   │ afbreken        │ afbreken
//!    ▼        place freed     │   ▼                 ▼
//!  wachtlijst ────────────────┘  afgebroken ◀───────┘
//!    │ afbreken (leaves the list)    ▲
//!    └───────────────────────────────┘
//! ```
//!
//! `voorgesteld` and `gestart` hold one of the offer's places (`capaciteit`); `wachtlijst`
//! waits for one, first come first served; `afgerond` and `afgebroken` are final and free the
//! place they held. Nobody moves a referral to `voorgesteld` or `wachtlijst` by hand: the API
//! does, when it is created and when a place frees up.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::inburgeraar::text_enum;

text_enum! {
    /// Where a referral stands.
    DoorverwijzingStatus {
        /// A place is reserved; the newcomer has not started yet.
        Voorgesteld = "voorgesteld",
        /// The offer was full: waiting for a place, in order of referral.
        Wachtlijst = "wachtlijst",
        /// The newcomer started the activity.
        Gestart = "gestart",
        /// The activity is done.
        Afgerond = "afgerond",
        /// Stopped or withdrawn, with a reason.
        Afgebroken = "afgebroken",
    }
}

text_enum! {
    /// Who made a referral: the newcomer's `trajectbegeleider` (or an admin), or the
    /// `inburgeraar` who registered themselves with their own contract.
    AangemeldDoor {
        Trajectbegeleider = "trajectbegeleider",
        Inburgeraar = "inburgeraar",
    }
}

/// The reason recorded when a newcomer cancels their own registration without giving one.
pub const REDEN_GEANNULEERD: &str = "Aanmelding geannuleerd door de inburgeraar";

impl DoorverwijzingStatus {
    /// The statuses that hold one of the offer's places.
    pub const BEZET: [DoorverwijzingStatus; 2] = [DoorverwijzingStatus::Voorgesteld, DoorverwijzingStatus::Gestart];
    /// The statuses of a referral still in progress (one per contract and offer).
    pub const OPEN: [DoorverwijzingStatus; 3] =
        [DoorverwijzingStatus::Voorgesteld, DoorverwijzingStatus::Wachtlijst, DoorverwijzingStatus::Gestart];

    pub fn bezet_plaats(self) -> bool {
        DoorverwijzingStatus::BEZET.contains(&self)
    }

    pub fn is_open(self) -> bool {
        DoorverwijzingStatus::OPEN.contains(&self)
    }

    pub fn is_final(self) -> bool {
        !self.is_open()
    }
}

/// A companion for the first visit (toeleider or brugfiguur). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Toeleider {
    /// Who goes along, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Youssef (brugfiguur Buurtwerk Geel)")]
    pub naam: String,
    /// Phone or e-mail, up to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "+32 470 98 76 54")]
    pub contact: Option<String>,
}

/// The warm handover and companion of a referral: what `PATCH` changes, and what a merge
/// patch is applied to.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Begeleiding {
    #[serde(default)]
    pub warme_overdracht: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    pub warme_overdracht_notitie: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub toeleider: Option<Toeleider>,
}

impl Begeleiding {
    /// As stored: texts trimmed, blank ones absent. A note for the provider goes with a warm
    /// handover: the trajectbegeleider announces the newcomer personally (R22).
    pub fn gecontroleerd(self) -> Result<Begeleiding, &'static str> {
        let notitie = tekst(self.warme_overdracht_notitie);
        if notitie.is_some() && !self.warme_overdracht {
            return Err("a note for the provider goes with warmeOverdracht: true");
        }
        Ok(Begeleiding {
            warme_overdracht: self.warme_overdracht,
            warme_overdracht_notitie: notitie,
            toeleider: self.toeleider.map(|t| Toeleider { naam: t.naam.trim().to_string(), contact: tekst(t.contact) }),
        })
    }
}

/// Optional free text: trimmed, and absent when blank.
pub fn tekst(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

/// Who asks for a transition, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wie {
    /// The contract's trajectbegeleider or an admin: every transition a person may make.
    Begeleiding,
    /// The aanbieder of the offer's organisation: may only mark a referral `gestart`.
    Aanbieder,
    /// The newcomer, on a registration they made themselves: may only cancel it (`afgebroken`)
    /// before it started.
    Inburgeraar,
}

/// Why a requested transition is refused.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum OvergangFout {
    /// Not a transition of the state machine (409).
    Ongeldig { van: DoorverwijzingStatus, naar: DoorverwijzingStatus },
    /// Only the API moves a referral to `voorgesteld` or onto the waiting list (409).
    Automatisch(DoorverwijzingStatus),
    /// The caller's role may not make this transition (403).
    NietToegestaan(DoorverwijzingStatus),
    /// Breaking off needs a reason (400 on `reden`).
    RedenVereist,
    /// The newcomer cancels a registration that already started (409).
    AnnulerenNaStart,
}

impl fmt::Display for OvergangFout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            OvergangFout::Ongeldig { van, naar } => {
                write!(f, "a referral cannot go from {van} to {naar}")?;
                let mogelijk: Vec<_> =
                    DoorverwijzingStatus::ALL.iter().filter(|s| toegestaan(*van, **s)).map(|s| s.as_str()).collect();
                if mogelijk.is_empty() {
                    write!(f, " ({van} is final)")
                } else {
                    write!(f, " (from {van}: {})", mogelijk.join(", "))
                }
            }
            OvergangFout::Automatisch(s) => {
                write!(f, "the API sets {s} itself, when the referral is created or a place frees up")
            }
            OvergangFout::NietToegestaan(s) => {
                write!(f, "only the contract's trajectbegeleider or an admin marks a referral {s}")
            }
            OvergangFout::AnnulerenNaStart => f.write_str(
                "a newcomer cancels their own registration only before it started; ask the trajectbegeleider",
            ),
            OvergangFout::RedenVereist => f.write_str("breaking off a referral needs a reason (reden)"),
        }
    }
}

/// Transitions a person may request.
fn toegestaan(van: DoorverwijzingStatus, naar: DoorverwijzingStatus) -> bool {
    use DoorverwijzingStatus::*;
    matches!(
        (van, naar),
        (Voorgesteld, Gestart) | (Voorgesteld | Wachtlijst | Gestart, Afgebroken) | (Gestart, Afgerond)
    )
}

/// What a permitted transition does to the offer's places.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Overgang {
    pub naar: DoorverwijzingStatus,
    /// The referral held a place and gives it back: the first in line gets it.
    pub plaats_vrij: bool,
}

/// Checks a requested transition.
pub fn controleer(
    van: DoorverwijzingStatus,
    naar: DoorverwijzingStatus,
    wie: Wie,
    reden: Option<&str>,
) -> Result<Overgang, OvergangFout> {
    use DoorverwijzingStatus::*;
    if matches!(naar, Voorgesteld | Wachtlijst) {
        return Err(OvergangFout::Automatisch(naar));
    }
    if wie == Wie::Aanbieder && naar != Gestart {
        return Err(OvergangFout::NietToegestaan(naar));
    }
    if wie == Wie::Inburgeraar && naar != Afgebroken {
        return Err(OvergangFout::NietToegestaan(naar));
    }
    if !toegestaan(van, naar) {
        return Err(OvergangFout::Ongeldig { van, naar });
    }
    if wie == Wie::Inburgeraar {
        // Cancelling one's own registration: before it started, a reason is optional.
        if van == Gestart {
            return Err(OvergangFout::AnnulerenNaStart);
        }
        return Ok(Overgang { naar, plaats_vrij: van.bezet_plaats() });
    }
    if naar == Afgebroken && reden.is_none_or(|r| r.trim().is_empty()) {
        return Err(OvergangFout::RedenVereist);
    }
    Ok(Overgang { naar, plaats_vrij: van.bezet_plaats() && !naar.bezet_plaats() })
}

/// The status a new referral gets: a place if one could be claimed, else the waiting list.
pub fn bij_aanmaak(plaats_geclaimd: bool) -> DoorverwijzingStatus {
    if plaats_geclaimd { DoorverwijzingStatus::Voorgesteld } else { DoorverwijzingStatus::Wachtlijst }
}

/// Free places of an offer: unlimited (`None`) without a `capaciteit`, else what the active
/// referrals leave (never negative, also when the capacity was lowered below them).
pub fn vrije_plaatsen(capaciteit: Option<i32>, bezet: i32) -> Option<i32> {
    capaciteit.map(|c| (c - bezet).max(0))
}

/// Why the day of a transition is refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatumFout {
    InDeToekomst,
    /// Before the referral was made or, for `afgerond`, before it started.
    Voor(NaiveDate),
}

impl fmt::Display for DatumFout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DatumFout::InDeToekomst => f.write_str("datum lies in the future"),
            DatumFout::Voor(d) => write!(f, "datum lies before {d}"),
        }
    }
}

/// The day a transition to `naar` happened: the one given, or today; never in the future, nor
/// before the referral was made (`aangemaakt`) or, for `afgerond`, before it started.
pub fn datum(
    naar: DoorverwijzingStatus,
    gevraagd: Option<NaiveDate>,
    vandaag: NaiveDate,
    aangemaakt: NaiveDate,
    gestart: Option<NaiveDate>,
) -> Result<NaiveDate, DatumFout> {
    let niet_voor = match naar {
        DoorverwijzingStatus::Afgerond => gestart.unwrap_or(aangemaakt),
        _ => aangemaakt,
    };
    let d = gevraagd.unwrap_or(vandaag);
    if d > vandaag {
        Err(DatumFout::InDeToekomst)
    } else if d < niet_voor {
        Err(DatumFout::Voor(niet_voor))
    } else {
        Ok(d)
    }
}

// --- the waiting list (R22) ---------------------------------------------------------------------

/// A referral on an offer's waiting list, as the waiting-list policy sees it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Wachtende {
    /// The referral's id. Referrals are numbered in the order they are made (also within one
    /// millisecond, where their `aangemaakt_op` ties), so the id is their place in line.
    pub id: i64,
    /// Whether its contract still runs (R19).
    pub contract_lopend: bool,
}

/// What filling free places decided.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Opvulling {
    /// Referrals that leave the waiting list with a place, in order.
    pub gepromoveerd: Vec<i64>,
    /// Waiting referrals of contracts that no longer run, broken off on the way.
    pub afgevoerd: Vec<i64>,
}

/// Reason recorded on a waiting referral whose contract ended before a place came free.
pub const REDEN_CONTRACT_AFGELOPEN: &str = "Het inburgeringscontract loopt niet meer";

/// The waiting-list policy (R22): first come, first served. In order of referral (lowest id
/// first), the first in line whose contract runs gets the next of the `vrij` free places
/// (`None`: no limit); a waiting referral whose contract stopped is broken off instead and
/// passes its turn (R19). Stops at the first who runs and finds no place left: whoever is
/// behind them keeps waiting, whatever their contract.
pub fn vul_vrije_plaatsen(wachtenden: &[Wachtende], mut vrij: Option<i32>) -> Opvulling {
    let mut rij = wachtenden.to_vec();
    rij.sort_by_key(|w| w.id);
    let mut uit = Opvulling::default();
    for w in rij {
        if !w.contract_lopend {
            uit.afgevoerd.push(w.id);
            continue;
        }
        match vrij {
            Some(0) => break,
            Some(n) => vrij = Some(n - 1),
            None => {}
        }
        uit.gepromoveerd.push(w.id);
    }
    uit
}

#[cfg(test)]
mod tests {
    use super::DoorverwijzingStatus::*;
    use super::*;

    #[test]
    fn the_state_machine() {
        let ok = |van, naar| controleer(van, naar, Wie::Begeleiding, Some("verhuisd")).map(|o| o.plaats_vrij);
        assert_eq!(ok(Voorgesteld, Gestart), Ok(false));
        assert_eq!(ok(Gestart, Afgerond), Ok(true));
        assert_eq!(ok(Gestart, Afgebroken), Ok(true));
        assert_eq!(ok(Voorgesteld, Afgebroken), Ok(true));
        assert_eq!(ok(Wachtlijst, Afgebroken), Ok(false), "leaving the waiting list frees no place");
        for (van, naar) in [(Wachtlijst, Gestart), (Voorgesteld, Afgerond), (Afgerond, Gestart), (Afgebroken, Gestart)]
        {
            assert_eq!(ok(van, naar), Err(OvergangFout::Ongeldig { van, naar }), "{van} -> {naar}");
        }
        for naar in [Voorgesteld, Wachtlijst] {
            assert_eq!(ok(Gestart, naar), Err(OvergangFout::Automatisch(naar)));
        }
    }

    #[test]
    fn the_aanbieder_only_marks_started() {
        assert!(controleer(Voorgesteld, Gestart, Wie::Aanbieder, None).is_ok());
        assert_eq!(controleer(Gestart, Afgerond, Wie::Aanbieder, None), Err(OvergangFout::NietToegestaan(Afgerond)));
        assert_eq!(
            controleer(Voorgesteld, Afgebroken, Wie::Aanbieder, Some("x")),
            Err(OvergangFout::NietToegestaan(Afgebroken))
        );
        // A waiting newcomer cannot be started by the aanbieder either: no place is reserved.
        assert!(matches!(controleer(Wachtlijst, Gestart, Wie::Aanbieder, None), Err(OvergangFout::Ongeldig { .. })));
    }

    #[test]
    fn the_newcomer_only_cancels_their_own_registration_before_it_starts() {
        assert_eq!(controleer(Voorgesteld, Afgebroken, Wie::Inburgeraar, None).map(|o| o.plaats_vrij), Ok(true));
        assert_eq!(controleer(Wachtlijst, Afgebroken, Wie::Inburgeraar, None).map(|o| o.plaats_vrij), Ok(false));
        assert_eq!(controleer(Gestart, Afgebroken, Wie::Inburgeraar, Some("x")), Err(OvergangFout::AnnulerenNaStart));
        assert_eq!(
            controleer(Voorgesteld, Gestart, Wie::Inburgeraar, None),
            Err(OvergangFout::NietToegestaan(Gestart))
        );
        assert!(matches!(controleer(Afgerond, Afgebroken, Wie::Inburgeraar, None), Err(OvergangFout::Ongeldig { .. })));
    }

    #[test]
    fn breaking_off_needs_a_reason() {
        assert_eq!(controleer(Gestart, Afgebroken, Wie::Begeleiding, None), Err(OvergangFout::RedenVereist));
        assert_eq!(controleer(Gestart, Afgebroken, Wie::Begeleiding, Some("  ")), Err(OvergangFout::RedenVereist));
        let e = controleer(Afgerond, Afgebroken, Wie::Begeleiding, Some("x")).unwrap_err();
        assert!(e.to_string().contains("afgerond is final"), "{e}");
        let e = controleer(Voorgesteld, Afgerond, Wie::Begeleiding, None).unwrap_err();
        assert!(e.to_string().contains("from voorgesteld: gestart, afgebroken"), "{e}");
    }

    #[test]
    fn places() {
        assert_eq!(bij_aanmaak(true), Voorgesteld);
        assert_eq!(bij_aanmaak(false), Wachtlijst);
        assert_eq!(vrije_plaatsen(None, 7), None);
        assert_eq!(vrije_plaatsen(Some(3), 1), Some(2));
        assert_eq!(vrije_plaatsen(Some(3), 5), Some(0));
        assert!(Voorgesteld.bezet_plaats() && Gestart.bezet_plaats() && !Wachtlijst.bezet_plaats());
        assert!(Afgerond.is_final() && Afgebroken.is_final() && Wachtlijst.is_open());
    }

    #[test]
    fn a_note_goes_with_a_warm_handover() {
        let b = |warme_overdracht, notitie: &str| Begeleiding {
            warme_overdracht,
            warme_overdracht_notitie: Some(notitie.into()),
            toeleider: Some(Toeleider { naam: " Youssef ".into(), contact: Some("  ".into()) }),
        };
        assert!(b(false, "Spreekt Nederlands").gecontroleerd().is_err());
        let ok = b(false, "  ").gecontroleerd().unwrap();
        assert_eq!(ok.warme_overdracht_notitie, None);
        assert_eq!(ok.toeleider, Some(Toeleider { naam: "Youssef".into(), contact: None }));
        assert_eq!(
            b(true, " Spreekt Nederlands ").gecontroleerd().unwrap().warme_overdracht_notitie.as_deref(),
            Some("Spreekt Nederlands")
        );
    }

    #[test]
    fn the_day_of_a_transition() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let (vandaag, aangemaakt) = (d("2026-03-10"), d("2026-03-01"));
        assert_eq!(datum(Gestart, None, vandaag, aangemaakt, None), Ok(vandaag));
        assert_eq!(datum(Gestart, Some(d("2026-03-11")), vandaag, aangemaakt, None), Err(DatumFout::InDeToekomst));
        assert_eq!(datum(Gestart, Some(d("2026-02-28")), vandaag, aangemaakt, None), Err(DatumFout::Voor(aangemaakt)));
        let gestart = Some(d("2026-03-05"));
        assert_eq!(
            datum(Afgerond, Some(d("2026-03-04")), vandaag, aangemaakt, gestart),
            Err(DatumFout::Voor(d("2026-03-05")))
        );
        assert_eq!(datum(Afgebroken, Some(d("2026-03-04")), vandaag, aangemaakt, gestart), Ok(d("2026-03-04")));
    }

    #[test]
    fn the_waiting_list_is_first_come_first_served() {
        let w = |id, contract_lopend| Wachtende { id, contract_lopend };
        let rij = [w(7, true), w(3, true), w(5, true)];
        assert_eq!(vul_vrije_plaatsen(&rij, Some(2)).gepromoveerd, [3, 5], "in order of referral");
        assert_eq!(vul_vrije_plaatsen(&rij, Some(0)), Opvulling::default());
        assert_eq!(vul_vrije_plaatsen(&rij, None).gepromoveerd, [3, 5, 7], "no limit: everyone");
        // A stopped contract passes its turn, also when no place is left for the next one…
        let rij = [w(1, false), w(2, true), w(3, false), w(4, true), w(5, false)];
        assert_eq!(vul_vrije_plaatsen(&rij, Some(1)), Opvulling { gepromoveerd: vec![2], afgevoerd: vec![1, 3] });
        // …but whoever waits behind a running referral without a place keeps waiting.
        assert_eq!(vul_vrije_plaatsen(&rij[1..], Some(0)), Opvulling::default());
    }
}
