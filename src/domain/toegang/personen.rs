//! Who may see and manage newcomers (inburgeraars), their contracts and contract changes (R15,
//! R20), who reads the municipal list (R16), and who reads the audit log (R15).
//!
//! One policy, [`Zicht`], built once per request from the caller:
//! - its fields are the SQL visibility filter: `repo::inburgeraars` and `repo::contracten` take
//!   it in every read of a newcomer or a contract and turn it into the `WHERE`;
//! - its methods are the per-row decisions (manage, reassign, show the INSZ), made from the
//!   same fields.
//!
//! Who sees what:
//! - `admin` sees everything.
//! - A `trajectbegeleider` sees the contracts whose `trajectbegeleider` is their `sub`, and the
//!   newcomers in their caseload (the newcomer's `trajectbegeleider`) or with a contract of theirs
//!   (also an earlier one).
//! - An `inburgeraar` sees their own record and contracts (`gebruikerId` = `sub`).
//! - Every other role sees no personal record (`403`); the municipal list (R16) is a separate
//!   exception. A record the caller's view does not hold is `404`, so others' records do not
//!   leak their existence.
//!
//! Who changes what: an admin, and the trajectbegeleider of the newcomer or contract; a caller
//! who is also a newcomer never through their own record (R20).

use crate::auth::{Caller, Role};
use crate::domain::nis::NisCode;

/// An operation the caller may not perform (`403 missingPermission`), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Geweigerd(pub String);

fn geweigerd(reden: impl Into<String>) -> Geweigerd {
    Geweigerd(reden.into())
}

/// The part of the newcomers and contracts a caller may see (`Default`: none).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
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

    /// The view of a caller who reads newcomers and contracts; refused for roles that see none.
    pub fn lezer(caller: &Caller) -> Result<Zicht, Geweigerd> {
        Zicht::van(&caller.roles, &caller.sub).ok_or_else(|| {
            geweigerd("Newcomers' records are visible to trajectbegeleiders, admins and the newcomer only")
        })
    }

    /// The view of a caller who changes newcomers or contracts: a trajectbegeleider or an admin.
    /// It leaves out the caller's own record (R20): a trajectbegeleider who is also a newcomer
    /// manages their caseload, not their own contract.
    pub fn beheerder(caller: &Caller) -> Result<Zicht, Geweigerd> {
        if !caller.has(Role::Trajectbegeleider) && !caller.is_admin() {
            return Err(geweigerd("This operation needs one of the roles: trajectbegeleider, admin"));
        }
        let mut zicht = Zicht::lezer(caller)?;
        zicht.eigen = None;
        Ok(zicht)
    }

    /// Whether `trajectbegeleider` (a newcomer's or a contract's) is the caller.
    pub fn is_begeleider(&self, trajectbegeleider: &str) -> bool {
        self.caseload.as_deref() == Some(trajectbegeleider)
    }

    /// Whether the caller is the newcomer whose `gebruikerId` this is.
    pub fn is_zelf(&self, gebruiker_id: Option<&str>) -> bool {
        self.eigen.is_some() && self.eigen.as_deref() == gebruiker_id
    }

    /// Whether the caller manages the newcomer or contract whose trajectbegeleider this is:
    /// updates it, changes it, hands it to another trajectbegeleider. An admin, or the current
    /// trajectbegeleider (not one who sees a newcomer only through an earlier contract).
    pub fn mag_beheren(&self, trajectbegeleider: &str) -> bool {
        self.alles || self.is_begeleider(trajectbegeleider)
    }

    /// [`Zicht::mag_beheren`] as a decision: refused with "Only an admin or the `wie_wat`".
    pub fn beheren(&self, trajectbegeleider: &str, wie_wat: &str) -> Result<(), Geweigerd> {
        if self.mag_beheren(trajectbegeleider) {
            Ok(())
        } else {
            Err(geweigerd(format!("Only an admin or the {wie_wat}")))
        }
    }

    /// In whose name the caller registers a newcomer or signs a contract, given the
    /// trajectbegeleider the request names: a trajectbegeleider acts in their own name (naming
    /// another is refused; they reassign afterwards); an admin names one, or `None` when they
    /// named nobody.
    pub fn namens(&self, gevraagd: Option<String>) -> Result<Option<String>, Geweigerd> {
        match (gevraagd, &self.caseload) {
            (gevraagd, _) if self.alles => Ok(gevraagd),
            (None, Some(eigen)) => Ok(Some(eigen.clone())),
            (Some(tb), Some(eigen)) if &tb == eigen => Ok(Some(tb)),
            _ => Err(geweigerd("A trajectbegeleider acts in their own name; reassign afterwards")),
        }
    }

    /// How the rijksregisternummer of a newcomer shows to this caller: whole to an admin, the
    /// newcomer's current trajectbegeleider and the person; masked to a trajectbegeleider who
    /// sees the record only through an earlier contract of theirs.
    pub fn insz_weergave(&self, trajectbegeleider: &str, gebruiker_id: Option<&str>) -> InszWeergave {
        if self.mag_beheren(trajectbegeleider) || self.is_zelf(gebruiker_id) {
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

impl InszWeergave {
    /// A stored rijksregisternummer (11 digits) as this caller sees it: masked, only its last
    /// four digits show.
    pub fn toon(self, insz: &str) -> String {
        match self {
            InszWeergave::Volledig => insz.to_string(),
            InszWeergave::Gemaskeerd => format!("*******{}", insz.get(7..).unwrap_or("****")),
        }
    }
}

/// The right of the KBI synchronisation (role `kbiSync`, R17) to set a newcomer's sync status,
/// and nothing else: the only way to load a newcomer outside [`Zicht`]
/// (`repo::inburgeraars::find_voor_kbi_sync`), so no other handler can.
pub struct KbiSync(());

/// [`KbiSync`] for a caller with the role `kbiSync`.
pub fn kbi_sync(caller: &Caller) -> Result<KbiSync, Geweigerd> {
    if caller.has(Role::KbiSync) {
        Ok(KbiSync(()))
    } else {
        Err(geweigerd("This operation needs one of the roles: kbiSync"))
    }
}

/// R16: the municipal list of `nis` is for a lokaal bestuur whose `gemeenten` claim covers it,
/// and for admins.
pub fn mag_gemeentelijst_lezen(caller: &Caller, nis: &NisCode) -> Result<(), Geweigerd> {
    if !caller.has(Role::LokaalBestuur) && !caller.is_admin() {
        return Err(geweigerd("This operation needs one of the roles: lokaalBestuur, admin"));
    }
    if !caller.is_admin() && !caller.covers_gemeente(nis.as_str()) {
        return Err(geweigerd(format!("Your token does not cover municipality {nis}")));
    }
    Ok(())
}

/// R15: the audit log is for admins (auditors) only.
pub fn mag_auditlog_lezen(caller: &Caller) -> Result<(), Geweigerd> {
    if caller.is_admin() { Ok(()) } else { Err(geweigerd("This operation needs one of the roles: admin")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[Role], sub: &str, gemeenten: &[&str]) -> Caller {
        Caller {
            sub: sub.into(),
            roles: roles.to_vec(),
            gemeenten: gemeenten.iter().map(|g| NisCode::parse(g).unwrap()).collect(),
            organisatie: None,
            regio: None,
            name: None,
            email: None,
            expires_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn roles_decide_the_view() {
        assert_eq!(Zicht::van(&[Role::LokaalBestuur], "lb"), None);
        assert_eq!(Zicht::van(&[Role::Aanbieder, Role::FeedClient], "x"), None);
        assert!(Zicht::lezer(&caller(&[Role::LokaalBestuur], "lb", &[])).is_err());
        let tb = Zicht::van(&[Role::Trajectbegeleider], "tb-1").unwrap();
        assert!(!tb.alles);
        assert!(tb.is_begeleider("tb-1") && !tb.is_begeleider("tb-2"));
        assert!(tb.mag_beheren("tb-1") && !tb.mag_beheren("tb-2"));
        let ib = Zicht::van(&[Role::Inburgeraar], "p-1").unwrap();
        assert!(!ib.mag_beheren("tb-1"));
        assert!(Zicht::beheerder(&caller(&[Role::Inburgeraar], "p-1", &[])).is_err());
        let admin = Zicht::van(&[Role::Admin], "a").unwrap();
        assert!(admin.alles && admin.mag_beheren("tb-9"));
    }

    #[test]
    fn a_manager_never_acts_on_their_own_record() {
        let both = Zicht::beheerder(&caller(&[Role::Trajectbegeleider, Role::Inburgeraar], "x", &[])).unwrap();
        assert_eq!(both.eigen, None);
        assert_eq!(both.caseload.as_deref(), Some("x"));
    }

    #[test]
    fn a_trajectbegeleider_acts_in_their_own_name() {
        let tb = Zicht::van(&[Role::Trajectbegeleider], "tb-1").unwrap();
        assert_eq!(tb.namens(None), Ok(Some("tb-1".into())));
        assert_eq!(tb.namens(Some("tb-1".into())), Ok(Some("tb-1".into())));
        assert!(tb.namens(Some("tb-2".into())).is_err());
        let admin = Zicht::van(&[Role::Admin, Role::Trajectbegeleider], "a").unwrap();
        assert_eq!(admin.namens(None), Ok(None));
        assert_eq!(admin.namens(Some("tb-2".into())), Ok(Some("tb-2".into())));
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
        assert_eq!(InszWeergave::Gemaskeerd.toon("94031812371"), "*******2371");
        assert_eq!(InszWeergave::Volledig.toon("94031812371"), "94031812371");
    }

    #[test]
    fn the_municipal_list_and_the_audit_log() {
        let geel = NisCode::parse("13008").unwrap();
        assert!(mag_gemeentelijst_lezen(&caller(&[Role::LokaalBestuur], "lb", &["13008"]), &geel).is_ok());
        assert!(mag_gemeentelijst_lezen(&caller(&[Role::LokaalBestuur], "lb", &["44021"]), &geel).is_err());
        assert!(mag_gemeentelijst_lezen(&caller(&[Role::Trajectbegeleider], "tb", &["13008"]), &geel).is_err());
        assert!(mag_gemeentelijst_lezen(&caller(&[Role::Admin], "a", &[]), &geel).is_ok());
        assert!(mag_auditlog_lezen(&caller(&[Role::Admin], "a", &[])).is_ok());
        assert!(mag_auditlog_lezen(&caller(&[Role::Trajectbegeleider], "tb", &[])).is_err());
    }
}
