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

/// Who asks for a transition, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Wie {
    /// The contract's trajectbegeleider or an admin: every transition a person may make.
    Begeleiding,
    /// The aanbieder of the offer's organisation: may only mark a referral `gestart`.
    Aanbieder,
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
    if !toegestaan(van, naar) {
        return Err(OvergangFout::Ongeldig { van, naar });
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
}
