//! Who may see and act on referrals (doorverwijzingen), R15 and R22:
//!
//! - `admin`: every referral, in full; makes every change;
//! - `trajectbegeleider`: the referrals of the contracts they follow, in full; makes every change
//!   to them;
//! - `inburgeraar`: their own referrals, in full; registers themselves for a published offer with
//!   their own running contract that includes the PNT (self-registration, `aangemeldDoor:
//!   inburgeraar`), and cancels such a registration of their own (`afgebroken`) before it
//!   started; every other referral of theirs is read-only;
//! - `aanbieder`: the referrals to its organisation's offers, with the newcomer's name and
//!   contact language only (no contract, no id, no dossier); may mark them `gestart`;
//! - other roles: `403`. A referral outside the caller's sight is `404` (existence does not leak);
//!   one in sight that the caller may not change is `403`.
//! - Referring (creating) is for a trajectbegeleider or admin, for a contract they follow, and
//!   for the newcomer with their own contract ([`Aanmelder`]). Someone else's contract is `404`
//!   to a newcomer.
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
use crate::domain::doorverwijzing::{AangemeldDoor, Wie};
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
    /// Who made the referral: the newcomer may cancel only what they registered themselves.
    pub aangemeld_door: AangemeldDoor,
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
    /// Which transitions the caller may ask for; `None`: read only (the newcomer, on a referral
    /// their trajectbegeleider made).
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
    /// (or an admin) gets it in full and manages it; the newcomer reads it in full and may
    /// cancel it if they registered themselves; otherwise the caller sees it as the offer's
    /// aanbieder.
    pub fn rol(&self, b: Betrokkenen<'_>) -> Rol {
        let begeleidt = self.contracten.mag_beheren(b.trajectbegeleider);
        let zelf = self.contracten.is_zelf(b.gebruiker_id);
        let aanbieder = self.organisatie.is_some() && self.organisatie == b.aanbod_organisatie;
        Rol {
            weergave: if begeleidt || zelf { Weergave::Volledig } else { Weergave::Aanbieder },
            wie: if begeleidt {
                Some(Wie::Begeleiding)
            } else if zelf && b.aangemeld_door == AangemeldDoor::Inburgeraar {
                Some(Wie::Inburgeraar)
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
    /// (`domain::doorverwijzing::controleer`); the newcomer only reads what their
    /// trajectbegeleider made.
    pub fn wie(&self) -> ApiResult<Wie> {
        self.wie.ok_or_else(|| {
            ApiError::missing_permission(
                "The newcomer cancels only their own registrations; the trajectbegeleider changes the others",
            )
        })
    }
}

/// Who may create a referral, and for which contracts: a trajectbegeleider or admin for a
/// contract they manage (their caseload, without their own contract as newcomer: R20), and a
/// newcomer for their own contract (self-registration).
#[derive(Clone, Debug)]
pub struct Aanmelder {
    /// The contracts the caller may refer: the view `repo::contracten::find_visible` takes.
    pub contracten: super::Zicht,
    /// The caller acts as newcomer only (no trajectbegeleider or admin role): a contract they
    /// cannot register with is someone else's, `404`.
    pub alleen_zelf: bool,
}

/// How a contract the caller may refer is registered, given who it concerns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Aanmelding {
    /// By the contract's trajectbegeleider or an admin, with the rules as before.
    Begeleiding,
    /// By the newcomer themselves: the contract must also include the PNT.
    Zelf,
}

impl Aanmelding {
    /// What a self-registration asks of the contract and the request besides the rules every
    /// referral follows: the contract includes the PNT (`409 contractZonderPnt`), and the warm
    /// handover and companion (`begeleid`) stay the trajectbegeleider's (`400`).
    pub fn controleer(self, contract: i64, pnt_opgenomen: bool, begeleid: bool) -> ApiResult<()> {
        if self == Aanmelding::Begeleiding {
            return Ok(());
        }
        if begeleid {
            let detail = "The warm handover and a companion are for the trajectbegeleider to add";
            return Err(ApiError::invalid(crate::error::InputLocation::Body, "warmeOverdracht", detail));
        }
        if !pnt_opgenomen {
            return Err(ApiError::pnt(
                actix_web::http::StatusCode::CONFLICT,
                "contractZonderPnt",
                "Contract Without PNT",
                format!("Contract {contract} does not include the participatie- en netwerktraject"),
            ));
        }
        Ok(())
    }

    pub fn door(self) -> AangemeldDoor {
        match self {
            Aanmelding::Begeleiding => AangemeldDoor::Trajectbegeleider,
            Aanmelding::Zelf => AangemeldDoor::Inburgeraar,
        }
    }
}

impl Aanmelder {
    /// A contract the caller may not register with: to a newcomer acting only as such it is
    /// someone else's (`404`, existence does not leak); to a trajectbegeleider or admin a
    /// reference to a contract they do not follow (`None`: the handler's `400`).
    pub fn niet_gevonden(&self, contract: i64) -> Option<ApiError> {
        self.alleen_zelf.then(|| ApiError::not_found(format!("No inburgeringscontract with id {contract}")))
    }

    /// The part the caller plays for a contract `find_visible` found with [`Aanmelder::contracten`]:
    /// their own contract is always a self-registration (also for a trajectbegeleider who is a
    /// newcomer too).
    pub fn aanmelding(&self, trajectbegeleider: &str, gebruiker_id: Option<&str>) -> Option<Aanmelding> {
        if self.contracten.is_zelf(gebruiker_id) {
            Some(Aanmelding::Zelf)
        } else if self.contracten.mag_beheren(trajectbegeleider) {
            Some(Aanmelding::Begeleiding)
        } else {
            None
        }
    }
}

/// Referring a newcomer: a trajectbegeleider or admin, or the newcomer for their own contract
/// (`403` for other roles).
pub fn mag_doorverwijzen(caller: &Caller) -> ApiResult<Aanmelder> {
    let eigen = caller.has(crate::auth::Role::Inburgeraar).then(|| caller.sub.clone());
    match super::Zicht::beheerder(caller) {
        Ok(mut contracten) => {
            contracten.eigen = eigen;
            Ok(Aanmelder { contracten, alleen_zelf: false })
        }
        Err(_) if eigen.is_some() => {
            Ok(Aanmelder { contracten: super::Zicht { eigen, ..Default::default() }, alleen_zelf: true })
        }
        Err(e) => Err(ApiError::missing_permission(format!("{}, or the newcomer for their own contract", e.0))),
    }
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
        Betrokkenen { trajectbegeleider: "me", gebruiker_id: None, aanbod_organisatie: None, aangemeld_door: TB };
    const TB: AangemeldDoor = AangemeldDoor::Trajectbegeleider;

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
        let eigen = Betrokkenen {
            trajectbegeleider: "tb",
            gebruiker_id: Some("me"),
            aanbod_organisatie: None,
            aangemeld_door: TB,
        };
        assert_eq!(rol(&[Role::Inburgeraar], eigen), volledig(None));
        // Their own registration they may cancel.
        let zelf = Betrokkenen { aangemeld_door: AangemeldDoor::Inburgeraar, ..eigen };
        assert_eq!(rol(&[Role::Inburgeraar], zelf), volledig(Some(Wie::Inburgeraar)));
        let bij_org = Betrokkenen {
            trajectbegeleider: "tb",
            gebruiker_id: None,
            aanbod_organisatie: Some(OrganisatieId(12)),
            aangemeld_door: TB,
        };
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
        let bij_org = Betrokkenen {
            trajectbegeleider: "tb",
            gebruiker_id: None,
            aanbod_organisatie: Some(OrganisatieId(12)),
            aangemeld_door: TB,
        };
        assert!(z.rol(bij_org).mag_wijzigen().is_err());
        assert_eq!(z.rol(bij_org).wie().unwrap(), Wie::Aanbieder);
        let eigen = Betrokkenen {
            trajectbegeleider: "tb",
            gebruiker_id: Some("me"),
            aanbod_organisatie: None,
            aangemeld_door: TB,
        };
        assert!(z.rol(eigen).wie().is_err());
        let tb = Zicht::van(&caller(&[Role::Trajectbegeleider], None)).unwrap();
        assert!(tb.rol(VAN_MIJ).mag_wijzigen().is_ok());
        assert!(mag_doorverwijzen(&caller(&[Role::Aanbieder], Some(12))).is_err());
        let a = mag_doorverwijzen(&caller(&[Role::Trajectbegeleider, Role::Inburgeraar], None)).unwrap();
        assert!(!a.alleen_zelf);
        // One's own contract is never one's caseload: registering there is self-registration.
        assert_eq!(a.aanmelding("me", Some("me")), Some(Aanmelding::Zelf));
        assert_eq!(a.aanmelding("me", Some("other")), Some(Aanmelding::Begeleiding));
        assert_eq!(a.aanmelding("tb", Some("other")), None);
        let a = mag_doorverwijzen(&caller(&[Role::Inburgeraar], None)).unwrap();
        assert!(a.alleen_zelf);
        assert_eq!(a.aanmelding("me", Some("other")), None, "a newcomer never refers another");
        assert_eq!(a.aanmelding("tb", Some("me")), Some(Aanmelding::Zelf));
        assert_eq!(a.niet_gevonden(5).unwrap().problem_type(), crate::error::types::RESOURCE_NOT_FOUND);
        // A self-registration needs the PNT in the contract and leaves the handover alone.
        assert!(Aanmelding::Zelf.controleer(5, true, false).is_ok());
        let p = Aanmelding::Zelf.controleer(5, false, false).unwrap_err();
        assert_eq!(p.problem_type(), "urn:problem-type:pnt:contractZonderPnt");
        assert_eq!(
            Aanmelding::Zelf.controleer(5, true, true).unwrap_err().issues()[0].name.as_deref(),
            Some("warmeOverdracht")
        );
        assert!(Aanmelding::Begeleiding.controleer(5, false, true).is_ok(), "as before for the trajectbegeleider");
    }
}
