//! Who may see and manage organisations.
//!
//! - Everyone, also without a token, reads every organisation: they are public, so there is no
//!   visibility filter.
//! - `admin` registers and changes organisations anywhere.
//! - `lokaalBestuur` registers and changes organisations based in its municipalities.
//! - `aanbieder` changes its own organisation (the `organisatie` claim), and may move it to
//!   another municipality.
//! - Moving an organisation to another municipality otherwise needs the right to register
//!   organisations there.
//!
//! Anyone else who writes gets `403`.

use crate::auth::{Caller, Role};
use crate::domain::ids::OrganisatieId;
use crate::domain::nis::NisCode;

/// A caller's rights on organisations.
#[derive(Clone, Debug, Default)]
pub struct OrganisatieToegang {
    admin: bool,
    /// The municipalities whose organisations it registers and changes (lokaalBestuur).
    gemeenten: Vec<NisCode>,
    /// Has the aanbieder role (and so may move the organisation it changes).
    aanbieder: bool,
    /// The organisation it changes as its aanbieder.
    eigen: Option<OrganisatieId>,
}

impl OrganisatieToegang {
    pub fn van(caller: &Caller) -> OrganisatieToegang {
        OrganisatieToegang {
            admin: caller.is_admin(),
            gemeenten: if caller.has(Role::LokaalBestuur) { caller.gemeenten.clone() } else { Vec::new() },
            aanbieder: caller.has(Role::Aanbieder),
            eigen: caller.aanbieder_van(),
        }
    }

    /// Registers an organisation based in `gemeente`.
    pub fn mag_registreren(&self, gemeente: &str) -> bool {
        self.admin || self.gemeenten.iter().any(|g| g.as_str() == gemeente)
    }

    /// Changes organisation `id`, based in `gemeente`.
    pub fn mag_wijzigen(&self, id: OrganisatieId, gemeente: &str) -> bool {
        self.mag_registreren(gemeente) || self.eigen == Some(id)
    }

    /// Moves an organisation it may change to `naar`.
    pub fn mag_verhuizen(&self, naar: &str) -> bool {
        self.aanbieder || self.mag_registreren(naar)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toegang(roles: &[Role], gemeenten: &[&str], organisatie: Option<i64>) -> OrganisatieToegang {
        OrganisatieToegang::van(&Caller {
            sub: "x".into(),
            roles: roles.to_vec(),
            gemeenten: gemeenten.iter().map(|g| NisCode::parse(g).unwrap()).collect(),
            organisatie: organisatie.map(OrganisatieId),
            regio: None,
            name: None,
            email: None,
            expires_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        })
    }

    #[test]
    fn who_registers_changes_and_moves() {
        let admin = toegang(&[Role::Admin], &[], None);
        let gent = toegang(&[Role::LokaalBestuur], &["44021"], None);
        let eigen = toegang(&[Role::Aanbieder], &[], Some(7));
        let tb = toegang(&[Role::Trajectbegeleider], &["44021"], Some(7));
        assert!(admin.mag_registreren("11002") && gent.mag_registreren("44021"));
        assert!(!gent.mag_registreren("11002") && !eigen.mag_registreren("44021") && !tb.mag_registreren("44021"));
        assert!(gent.mag_wijzigen(OrganisatieId(8), "44021") && !gent.mag_wijzigen(OrganisatieId(8), "11002"));
        assert!(eigen.mag_wijzigen(OrganisatieId(7), "11002") && !eigen.mag_wijzigen(OrganisatieId(8), "11002"));
        assert!(!tb.mag_wijzigen(OrganisatieId(7), "11002"), "the organisation claim counts only for an aanbieder");
        assert!(eigen.mag_verhuizen("11002") && !gent.mag_verhuizen("11002") && gent.mag_verhuizen("44021"));
    }
}
