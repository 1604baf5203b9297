//! Access policies, one file per resource: each turns the typed caller into the SQL visibility
//! filter (plain data the repo turns into a `WHERE`) *and* the per-row decisions (read, manage,
//! sign, review, …), so list totals, audit entries and row checks always agree. Handlers reach
//! personal and scoped data only through a policy: the repo's read functions take its filter.
//!
//! Who sees which newcomers and contracts (R15), and how much of the rijksregisternummer.
//!
//! - `admin` sees everything.
//! - A `trajectbegeleider` sees the contracts whose `trajectbegeleider` is their `sub`, and the
//!   newcomers in their caseload (the newcomer's `trajectbegeleider`) or with a contract of theirs.
//! - An `inburgeraar` sees their own record and contracts (`gebruikerId` = `sub`).
//! - Every other role sees no personal record; the municipal list (R16) is a separate exception.

pub mod aanbod;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod netwerken;
pub mod organisaties;
pub mod personen;

use crate::auth::Role;

/// The part of the newcomers and contracts a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Zicht {
    pub alles: bool,
    /// The caller's `sub` as trajectbegeleider.
    pub caseload: Option<String>,
    /// The caller's `sub` as inburgeraar.
    pub eigen: Option<String>,
}

impl Zicht {
    /// `None` when none of the caller's roles sees personal records.
    pub fn van(roles: &[Role], sub: &str) -> Option<Zicht> {
        let zicht = Zicht {
            alles: roles.contains(&Role::Admin),
            caseload: roles.contains(&Role::Trajectbegeleider).then(|| sub.to_string()),
            eigen: roles.contains(&Role::Inburgeraar).then(|| sub.to_string()),
        };
        (zicht.alles || zicht.caseload.is_some() || zicht.eigen.is_some()).then_some(zicht)
    }

    /// The unrestricted view, for re-reading what the caller just wrote.
    pub fn alles() -> Zicht {
        Zicht { alles: true, caseload: None, eigen: None }
    }

    /// Whether the caller may change contracts and newcomers (not only read their own).
    pub fn beheert(&self) -> bool {
        self.alles || self.caseload.is_some()
    }

    /// Whether `trajectbegeleider` (a newcomer's or a contract's) is the caller.
    pub fn is_begeleider(&self, trajectbegeleider: &str) -> bool {
        self.caseload.as_deref() == Some(trajectbegeleider)
    }

    /// Whether the caller may hand a newcomer or contract to another trajectbegeleider:
    /// an admin, or the current trajectbegeleider.
    pub fn mag_toewijzen(&self, huidige_trajectbegeleider: &str) -> bool {
        self.alles || self.is_begeleider(huidige_trajectbegeleider)
    }

    /// How the rijksregisternummer of a newcomer shows to this caller: whole to an admin, the
    /// newcomer's current trajectbegeleider and the person; masked to a trajectbegeleider who
    /// sees the record only through an earlier contract of theirs.
    pub fn insz_weergave(&self, trajectbegeleider: &str, gebruiker_id: Option<&str>) -> InszWeergave {
        let zelf = self.eigen.is_some() && self.eigen.as_deref() == gebruiker_id;
        if self.alles || self.is_begeleider(trajectbegeleider) || zelf {
            InszWeergave::Volledig
        } else {
            InszWeergave::Gemaskeerd
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InszWeergave {
    Volledig,
    Gemaskeerd,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roles_decide_the_view() {
        assert_eq!(Zicht::van(&[Role::LokaalBestuur], "lb"), None);
        assert_eq!(Zicht::van(&[Role::Aanbieder, Role::FeedClient], "x"), None);
        let tb = Zicht::van(&[Role::Trajectbegeleider], "tb-1").unwrap();
        assert!(tb.beheert() && !tb.alles);
        assert!(tb.is_begeleider("tb-1") && !tb.is_begeleider("tb-2"));
        assert!(tb.mag_toewijzen("tb-1") && !tb.mag_toewijzen("tb-2"));
        let ib = Zicht::van(&[Role::Inburgeraar], "p-1").unwrap();
        assert!(!ib.beheert());
        assert!(!ib.mag_toewijzen("tb-1"));
        let admin = Zicht::van(&[Role::Admin], "a").unwrap();
        assert!(admin.alles && admin.mag_toewijzen("tb-9"));
    }

    #[test]
    fn insz_is_whole_only_for_those_who_need_it() {
        let tb = Zicht::van(&[Role::Trajectbegeleider], "tb-1").unwrap();
        assert_eq!(tb.insz_weergave("tb-1", None), InszWeergave::Volledig);
        assert_eq!(tb.insz_weergave("tb-2", None), InszWeergave::Gemaskeerd);
        let ib = Zicht::van(&[Role::Inburgeraar], "p-1").unwrap();
        assert_eq!(ib.insz_weergave("tb-1", Some("p-1")), InszWeergave::Volledig);
        assert_eq!(ib.insz_weergave("tb-1", Some("p-2")), InszWeergave::Gemaskeerd);
        assert_eq!(ib.insz_weergave("tb-1", None), InszWeergave::Gemaskeerd);
        let admin = Zicht::van(&[Role::Admin], "a").unwrap();
        assert_eq!(admin.insz_weergave("tb-1", None), InszWeergave::Volledig);
    }
}
