//! Who may see and act on referrals (doorverwijzingen), R15 and R22:
//!
//! - `admin`: every referral, in full; makes every change;
//! - `trajectbegeleider`: the referrals of the contracts they follow, in full; makes every change
//!   to them;
//! - `inburgeraar`: their own referrals, in full, read-only;
//! - `aanbieder`: the referrals to its organisation's offers, with the newcomer's name and
//!   contact language only (no contract, no id, no dossier); may mark them `gestart`;
//! - other roles: `403`. A referral outside the caller's sight is `404` (existence does not leak);
//!   one in sight that the caller may not change is `403`.
//! - Referring (creating) is for a trajectbegeleider or admin, for a contract they follow.
//!
//! One decision, two forms that cannot disagree: [`Zicht`] is the visibility filter (plain data
//! that `repo::doorverwijzingen` turns into its `WHERE`: one of the three relations below, or
//! `alles`), and [`Zicht::rol`] is the caller's part in a row that filter let through. `rol`
//! reads the same three relations ([`Betrokkenen`], loaded from the columns the filter tests)
//! but never decides visibility again, so every row a list counts is also a row it shows and
//! logs.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::auth::Caller;
use crate::domain::doorverwijzing::Wie;
use crate::domain::ids::OrganisatieId;
use crate::error::{ApiError, ApiResult};

/// Which referrals a caller sees: those of the contracts the caller sees (the personal records'
/// policy, `personen::Zicht`: all, the caseload, one's own) and those to the offers of the
/// caller's organisation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Zicht {
    /// The contracts whose referrals the caller sees; empty for an aanbieder alone.
    pub contracten: super::Zicht,
    /// Aanbieder: the referrals to this organisation's offers.
    pub organisatie: Option<OrganisatieId>,
}

/// Who a referral concerns, as far as access goes: the contract's trajectbegeleider, the
/// newcomer's user id and the offer's organisation.
#[derive(Clone, Copy, Debug)]
pub struct Betrokkenen<'a> {
    pub trajectbegeleider: &'a str,
    pub gebruiker_id: Option<&'a str>,
    pub aanbod_organisatie: Option<OrganisatieId>,
}

/// Which view of a referral the caller gets.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DoorverwijzingWeergave)]
pub enum Weergave {
    /// Admin, the contract's trajectbegeleider, the newcomer.
    Volledig,
    /// The offer's aanbieder: the newcomer's name and contact language only.
    Aanbieder,
}

/// The caller's part in one referral it sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rol {
    pub weergave: Weergave,
    /// Which transitions the caller may ask for; `None`: read only (the newcomer).
    pub wie: Option<Wie>,
}

impl Zicht {
    /// The referrals `caller` sees; `403` for roles that see none.
    pub fn van(caller: &Caller) -> ApiResult<Zicht> {
        let contracten = super::Zicht::van(&caller.roles, &caller.sub);
        let organisatie = caller.aanbieder_van();
        if contracten.is_some() || organisatie.is_some() {
            Ok(Zicht { contracten: contracten.unwrap_or_default(), organisatie })
        } else {
            Err(ApiError::missing_permission(
                "Referrals are for admins, trajectbegeleiders, the newcomer and the offer's aanbieder",
            ))
        }
    }

    /// The caller's part in a referral this filter let through. Whoever follows the contract
    /// (or an admin) gets it in full and manages it; the newcomer reads it in full; otherwise
    /// the caller sees it as the offer's aanbieder.
    pub fn rol(&self, b: Betrokkenen<'_>) -> Rol {
        let begeleidt = self.contracten.mag_beheren(b.trajectbegeleider);
        let zelf = self.contracten.is_zelf(b.gebruiker_id);
        let aanbieder = self.organisatie.is_some() && self.organisatie == b.aanbod_organisatie;
        Rol {
            weergave: if begeleidt || zelf { Weergave::Volledig } else { Weergave::Aanbieder },
            wie: if begeleidt {
                Some(Wie::Begeleiding)
            } else if aanbieder {
                Some(Wie::Aanbieder)
            } else {
                None
            },
        }
    }
}

impl Rol {
    /// Changing the warm handover and companion: the contract's trajectbegeleider or an admin.
    pub fn mag_wijzigen(&self) -> ApiResult<()> {
        if self.wie == Some(Wie::Begeleiding) {
            Ok(())
        } else {
            Err(ApiError::missing_permission("Only the contract's trajectbegeleider or an admin changes a referral"))
        }
    }

    /// Asking for a status change: who asks, for the state machine to judge
    /// (`domain::doorverwijzing::controleer`); the newcomer only reads.
    pub fn wie(&self) -> ApiResult<Wie> {
        self.wie.ok_or_else(|| {
            ApiError::missing_permission("The newcomer reads their referrals; the trajectbegeleider changes them")
        })
    }
}

/// Referring a newcomer: a trajectbegeleider or admin (`403` otherwise), for a contract in this
/// view of personal records (the caller's caseload, without their own contract as newcomer).
pub fn mag_doorverwijzen(caller: &Caller) -> ApiResult<super::Zicht> {
    Ok(super::Zicht::beheerder(caller)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;

    fn caller(roles: &[Role], organisatie: Option<i64>) -> Caller {
        Caller {
            sub: "me".into(),
            roles: roles.to_vec(),
            gemeenten: vec![],
            organisatie: organisatie.map(OrganisatieId),
            regio: None,
            name: None,
            email: None,
            expires_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    const VAN_MIJ: Betrokkenen<'static> =
        Betrokkenen { trajectbegeleider: "me", gebruiker_id: None, aanbod_organisatie: None };

    #[test]
    fn roles_decide_what_is_seen() {
        assert!(Zicht::van(&caller(&[Role::LokaalBestuur], None)).is_err());
        assert!(Zicht::van(&caller(&[Role::Aanbieder], None)).is_err(), "an aanbieder without organisation");
        let z = Zicht::van(&caller(&[Role::Aanbieder], Some(12))).unwrap();
        assert_eq!(z.organisatie, Some(OrganisatieId(12)));
        assert_eq!(z.contracten, super::super::Zicht::default(), "no contracts through the organisation");
        // The organisation claim counts only with the aanbieder role.
        let z = Zicht::van(&caller(&[Role::Trajectbegeleider], Some(12))).unwrap();
        assert_eq!(z.organisatie, None);
    }

    #[test]
    fn the_part_in_a_visible_referral() {
        let rol = |roles: &[Role], b| Zicht::van(&caller(roles, Some(12))).unwrap().rol(b);
        let volledig = |wie| Rol { weergave: Weergave::Volledig, wie };
        assert_eq!(rol(&[Role::Admin], VAN_MIJ), volledig(Some(Wie::Begeleiding)));
        assert_eq!(rol(&[Role::Trajectbegeleider], VAN_MIJ), volledig(Some(Wie::Begeleiding)));
        let eigen = Betrokkenen { trajectbegeleider: "tb", gebruiker_id: Some("me"), aanbod_organisatie: None };
        assert_eq!(rol(&[Role::Inburgeraar], eigen), volledig(None));
        let bij_org =
            Betrokkenen { trajectbegeleider: "tb", gebruiker_id: None, aanbod_organisatie: Some(OrganisatieId(12)) };
        assert_eq!(rol(&[Role::Aanbieder], bij_org), Rol { weergave: Weergave::Aanbieder, wie: Some(Wie::Aanbieder) });
        // The newcomer who works for the offer's organisation reads in full and marks the start.
        let beide = Betrokkenen { gebruiker_id: Some("me"), ..bij_org };
        assert_eq!(rol(&[Role::Inburgeraar, Role::Aanbieder], beide), volledig(Some(Wie::Aanbieder)));
        // A trajectbegeleider who is also the offer's aanbieder, for another's contract.
        assert_eq!(
            rol(&[Role::Trajectbegeleider, Role::Aanbieder], bij_org),
            Rol { weergave: Weergave::Aanbieder, wie: Some(Wie::Aanbieder) }
        );
    }

    #[test]
    fn only_those_who_follow_the_contract_change_it() {
        let z = Zicht::van(&caller(&[Role::Aanbieder, Role::Inburgeraar], Some(12))).unwrap();
        let bij_org =
            Betrokkenen { trajectbegeleider: "tb", gebruiker_id: None, aanbod_organisatie: Some(OrganisatieId(12)) };
        assert!(z.rol(bij_org).mag_wijzigen().is_err());
        assert_eq!(z.rol(bij_org).wie().unwrap(), Wie::Aanbieder);
        let eigen = Betrokkenen { trajectbegeleider: "tb", gebruiker_id: Some("me"), aanbod_organisatie: None };
        assert!(z.rol(eigen).wie().is_err());
        let tb = Zicht::van(&caller(&[Role::Trajectbegeleider], None)).unwrap();
        assert!(tb.rol(VAN_MIJ).mag_wijzigen().is_ok());
        assert!(mag_doorverwijzen(&caller(&[Role::Aanbieder], Some(12))).is_err());
        let contracten = mag_doorverwijzen(&caller(&[Role::Trajectbegeleider, Role::Inburgeraar], None)).unwrap();
        assert!(contracten.eigen.is_none(), "one's own contract is not one's caseload");
    }
}
