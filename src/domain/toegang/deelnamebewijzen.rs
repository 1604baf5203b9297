//! Who may see, start, change, sign, refuse and review proofs of participation (deelnamebewijzen):
//! R8, R9, R15 and R20 of `RULES.md`.
//!
//! | relation to the proof                        | sees          | starts, changes hours, submits, makes links | signs, refuses | reviews |
//! |----------------------------------------------|---------------|---------------------------------------------|----------------|---------|
//! | `admin`                                      | in full       | yes                                         | no             | yes     |
//! | the contract's `trajectbegeleider`           | in full       | yes                                         | no             | yes     |
//! | the newcomer (`inburgeraar`, `gebruikerId`)  | in full       | yes                                         | no             | no      |
//! | an `aanbieder` of its organisation, once submitted | reduced (newcomer's name only) | changes hours and names the contact person until signed (not after a refusal) | by account | no |
//! | the holder of a signing link to it           | the link page | no                                          | by link        | no      |
//!
//! A proof outside every relation is `404` (its existence does not leak); one the caller sees but
//! may not act on is `403`, except signing or refusing by account, which is the organisation's:
//! anyone else who sees the proof gets `409 signerNotOfOrganisation` (R20); and nobody approves
//! their own account signature ([`mag_goedkeuren`], `409 ownSignature`). A newcomer who is also an aanbieder of the organisation does not sign
//! their own proof, and nobody reviews a proof as its newcomer (R20). Whether a link may still be
//! used (once, 14 days, while the proof is unchanged) is `domain::deelnamebewijs::link_bruikbaar`.
//!
//! One decision in two forms that cannot disagree: [`BewijsZicht`] is the visibility filter
//! (plain data; `repo::deelnamebewijzen` turns each relation into one part of its `WHERE`, and
//! its read functions take it, so no proof is loaded without it), and [`BewijsZicht::rollen`]
//! evaluates the same relations on one proof's [`Betrokkenen`], which are read from the columns
//! the filter tests.

use actix_web::http::StatusCode;

use super::Zicht;
use crate::auth::Caller;
use crate::domain::deelnamebewijs::{Beoordeling, BewijsStatus, Handeling, Wijze};
use crate::domain::ids::OrganisatieId;
use crate::error::{ApiError, ApiResult};

/// Problem type names (`urn:problem-type:pnt:<name>`) of the separation of duties (R20).
pub mod problem {
    /// An account signature or refusal by someone who is not an aanbieder of the proof's own
    /// organisation.
    pub const SIGNER_NOT_OF_ORGANISATION: &str = "signerNotOfOrganisation";
    /// Approving a proof whose account signature is the reviewer's own.
    pub const OWN_SIGNATURE: &str = "ownSignature";
    pub const LINK_TO_REVIEWER: &str = "signingLinkToReviewer";
    pub const LINK_TO_NEWCOMER: &str = "signingLinkToNewcomer";
}

/// The proofs a caller may see: those related to them in one of these ways (or all).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct BewijsZicht {
    /// The proofs of the contracts the caller sees by the personal-records policy (all for an
    /// admin, the caseload of a trajectbegeleider, a newcomer's own); empty for others.
    pub contracten: Zicht,
    /// An aanbieder: the proofs addressed to this organisation, once submitted
    /// ([`voor_aanbieder`]).
    pub organisatie: Option<OrganisatieId>,
    /// The holder of a signing link: the link's proof (id).
    pub link: Option<i64>,
}

/// Whether an aanbieder of the proof's organisation sees a proof in `status`: not while it is a
/// draft (the newcomer's own business until submitted).
pub fn voor_aanbieder(status: BewijsStatus) -> bool {
    status != BewijsStatus::Concept
}

/// Who is involved in one proof, as far as access goes.
#[derive(Clone, Copy, Debug)]
pub struct Betrokkenen<'a> {
    pub id: i64,
    /// The contract's trajectbegeleider.
    pub trajectbegeleider: &'a str,
    /// The newcomer's `gebruikerId`.
    pub gebruiker_id: Option<&'a str>,
    pub organisatie: Option<OrganisatieId>,
    pub status: BewijsStatus,
}

/// How a caller is involved in one proof.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Rollen {
    pub admin: bool,
    /// The contract's trajectbegeleider.
    pub begeleider: bool,
    /// The newcomer themself.
    pub inburgeraar: bool,
    /// An aanbieder of the proof's organisation (once it was submitted).
    pub aanbieder: bool,
    /// That aanbieder, on a proof it may fill in: not sent back after a refusal or rejection
    /// (the newcomer's side changes and resubmits it then).
    pub aanbieder_vult_in: bool,
    /// The holder of a signing link to this proof.
    pub link: bool,
}

/// What of a proof a caller sees.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Weergave {
    /// Everything, and how it was signed: who asked for each signing link, where it was sent and
    /// what became of it (the contract's trajectbegeleider and admins, who review it).
    Beoordelaar,
    /// Everything: the newcomer, their contract, the review (the newcomer's own view).
    Volledig,
    /// The aanbieder's view: the newcomer's name only, no contract and no review.
    Beperkt,
}

const BEWERKEN_VERBODEN: &str = "The hours are changed by the newcomer, their trajectbegeleider, an admin, or an \
     aanbieder of the proof's organisation while it waits for a signature";
const INDIENEN_VERBODEN: &str =
    "Only the newcomer, their trajectbegeleider or an admin submits a proof or asks for a signing link";
const CONTACT_VERBODEN: &str =
    "The organisation names its contact person: an aanbieder of the proof's organisation, once it was submitted";
const ONDERTEKENEN_VERBODEN: &str = "A newcomer does not sign or refuse their own proof (R20)";
const BEOORDELEN_VERBODEN: &str = "Only the contract's trajectbegeleider or an admin reviews a proof (R9)";

impl BewijsZicht {
    /// The proofs `caller` sees; `403` for roles that see none.
    pub fn van(caller: &Caller) -> ApiResult<BewijsZicht> {
        let contracten = Zicht::van(&caller.roles, &caller.sub);
        let organisatie = caller.aanbieder_van();
        if contracten.is_some() || organisatie.is_some() {
            Ok(BewijsZicht { contracten: contracten.unwrap_or_default(), organisatie, link: None })
        } else {
            Err(ApiError::missing_permission(
                "Proofs are visible to the newcomer, their trajectbegeleider, admins and the aanbieder they are \
                 addressed to",
            ))
        }
    }

    /// What the holder of a signing link to proof `bewijs` sees: that proof.
    pub fn via_link(bewijs: i64) -> BewijsZicht {
        BewijsZicht { link: Some(bewijs), ..BewijsZicht::default() }
    }

    /// Starting a proof: the newcomer, their trajectbegeleider or an admin (`403` otherwise), for a
    /// contract in the returned view of personal records.
    pub fn mag_starten(&self) -> ApiResult<Zicht> {
        if self.contracten != Zicht::default() {
            Ok(self.contracten.clone())
        } else {
            Err(ApiError::missing_permission("A proof is started by the newcomer, their trajectbegeleider or an admin"))
        }
    }

    /// The caller's relations to one proof: the filter's relations, evaluated on its row.
    pub fn rollen(&self, b: &Betrokkenen<'_>) -> Rollen {
        Rollen {
            admin: self.contracten.alles,
            begeleider: self.contracten.is_begeleider(b.trajectbegeleider),
            inburgeraar: self.contracten.is_zelf(b.gebruiker_id),
            aanbieder: self.organisatie.is_some() && self.organisatie == b.organisatie && voor_aanbieder(b.status),
            aanbieder_vult_in: self.organisatie.is_some()
                && self.organisatie == b.organisatie
                && voor_aanbieder(b.status)
                && !matches!(b.status, BewijsStatus::Geweigerd | BewijsStatus::Afgekeurd),
            link: self.link == Some(b.id),
        }
    }
}

impl Rollen {
    /// What of the proof the caller sees; `None`: they may not know it exists (a link holder sees
    /// only the link page).
    pub fn weergave(&self) -> Option<Weergave> {
        if self.mag_beoordelen() {
            Some(Weergave::Beoordelaar)
        } else if self.admin || self.begeleider || self.inburgeraar {
            Some(Weergave::Volledig)
        } else if self.aanbieder {
            Some(Weergave::Beperkt)
        } else {
            None
        }
    }

    /// Change the hours, submit, make signing links: the newcomer, the trajectbegeleider, admins.
    pub fn mag_bewerken(&self) -> bool {
        self.admin || self.begeleider || self.inburgeraar
    }

    /// Change the lines: besides [`Rollen::mag_bewerken`], an aanbieder of the proof's
    /// organisation on a proof addressed to it (seed 003: the contact person fills it in); the
    /// status machine keeps a signed proof immutable. Never the newcomer's own proof as aanbieder.
    pub fn mag_prestaties_wijzigen(&self) -> bool {
        self.mag_bewerken() || (self.aanbieder_vult_in && !self.inburgeraar)
    }

    /// Name or change the contact person: an aanbieder of the proof's organisation (seed 003:
    /// "een organisatie kan zelf bepalen wie de contactpersoon is"), not as the newcomer.
    pub fn mag_contactpersoon_wijzigen(&self) -> bool {
        self.aanbieder_vult_in && !self.inburgeraar
    }

    /// Sign or refuse: an aanbieder of the proof's organisation by account, never the newcomer
    /// (R20); the holder of a signing link.
    pub fn mag_ondertekenen(&self) -> bool {
        (self.aanbieder && !self.inburgeraar) || self.link
    }

    /// Review a signed proof: the contract's trajectbegeleider or an admin, never the newcomer
    /// (R9, R20).
    pub fn mag_beoordelen(&self) -> bool {
        (self.admin || self.begeleider) && !self.inburgeraar
    }

    /// `handeling` on this proof, or `403` saying who may. Signing or refusing by account as
    /// anyone but an aanbieder of the proof's own organisation is `409 signerNotOfOrganisation`
    /// (separation of duties, R20): the caller sees the proof, but the signature is not theirs to
    /// give.
    pub fn mag(&self, handeling: Handeling) -> ApiResult<()> {
        let ondertekening = matches!(handeling, Handeling::Ondertekenen | Handeling::Weigeren);
        if ondertekening && !self.aanbieder && !self.link {
            return Err(ApiError::pnt(
                StatusCode::CONFLICT,
                problem::SIGNER_NOT_OF_ORGANISATION,
                "Signer Not Of Organisation",
                "An account signature or refusal needs an aanbieder of the proof's organisation (token claim \
                 `organisatie`); a proof at an organisation that is not registered is signed only through a link \
                 sent to its contact person",
            ));
        }
        let (mag, verboden) = match handeling {
            Handeling::PrestatiesWijzigen => (self.mag_prestaties_wijzigen(), BEWERKEN_VERBODEN),
            Handeling::Indienen | Handeling::LinkMaken => (self.mag_bewerken(), INDIENEN_VERBODEN),
            Handeling::ContactpersoonWijzigen => (self.mag_contactpersoon_wijzigen(), CONTACT_VERBODEN),
            Handeling::Ondertekenen | Handeling::Weigeren => (self.mag_ondertekenen(), ONDERTEKENEN_VERBODEN),
            Handeling::Beoordelen(_) => (self.mag_beoordelen(), BEOORDELEN_VERBODEN),
        };
        if mag { Ok(()) } else { Err(ApiError::missing_permission(verboden)) }
    }
}

/// R20: approving a proof signed by account (`via`) by `ondertekend_sub` as `sub` — `409
/// ownSignature` when they are the same person: a signature and its approval need two people.
/// Rejecting stays possible (it only sends the proof back).
pub fn mag_goedkeuren(
    beslissing: Beoordeling,
    via: Option<Wijze>,
    ondertekend_sub: Option<&str>,
    sub: &str,
) -> ApiResult<()> {
    if beslissing == Beoordeling::Goedgekeurd && via == Some(Wijze::Account) && ondertekend_sub == Some(sub) {
        return Err(ApiError::pnt(
            StatusCode::CONFLICT,
            problem::OWN_SIGNATURE,
            "Own Signature",
            "You signed this proof with your own account; another trajectbegeleider or an admin approves it (R20)",
        ));
    }
    Ok(())
}

/// The same address, as mail delivers it: case and surrounding spaces do not matter.
fn zelfde_adres(a: &str, b: &str) -> bool {
    a.trim().eq_ignore_ascii_case(b.trim())
}

/// R20: approving a proof signed through a link that went to `naar` — `409
/// signingLinkToReviewer` when that is the reviewer's own address (`reviewer`, their token's
/// `email` claim), `409 signingLinkToNewcomer` when it is the newcomer's (`inburgeraar`, as
/// recorded on the newcomer): whoever holds that mailbox signed, not the organisation.
pub fn mag_goedkeuren_via_link(naar: Option<&str>, reviewer: Option<&str>, inburgeraar: Option<&str>) -> ApiResult<()> {
    let Some(naar) = naar else { return Ok(()) };
    if reviewer.is_some_and(|r| zelfde_adres(r, naar)) {
        return Err(ApiError::pnt(
            StatusCode::CONFLICT,
            problem::LINK_TO_REVIEWER,
            "Signing Link To Reviewer",
            "This proof was signed through a link sent to your own e-mail address; another trajectbegeleider or an \
             admin approves it (R20)",
        ));
    }
    if inburgeraar.is_some_and(|i| zelfde_adres(i, naar)) {
        return Err(ApiError::pnt(
            StatusCode::CONFLICT,
            problem::LINK_TO_NEWCOMER,
            "Signing Link To Newcomer",
            "This proof was signed through a link sent to the newcomer's own e-mail address, so the organisation \
             did not confirm it; reject it, or have the organisation sign with its account or through its \
             contact person's address (R20)",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::Role;
    use crate::domain::deelnamebewijs::Beoordeling;

    fn caller(roles: &[Role], sub: &str, organisatie: Option<i64>) -> Caller {
        Caller {
            sub: sub.into(),
            roles: roles.to_vec(),
            gemeenten: vec![],
            organisatie: organisatie.map(OrganisatieId),
            regio: None,
            name: None,
            email: None,
            expires_at: chrono::DateTime::UNIX_EPOCH,
        }
    }

    fn zicht(roles: &[Role], sub: &str, org: Option<i64>) -> Option<BewijsZicht> {
        BewijsZicht::van(&caller(roles, sub, org)).ok()
    }

    fn b(status: BewijsStatus) -> Betrokkenen<'static> {
        Betrokkenen {
            id: 3,
            trajectbegeleider: "tb-1",
            gebruiker_id: Some("burger-1"),
            organisatie: Some(OrganisatieId(7)),
            status,
        }
    }

    #[test]
    fn who_sees_and_does_what() {
        let ingediend = b(BewijsStatus::TeOndertekenen);
        assert_eq!(zicht(&[Role::LokaalBestuur], "lb", None), None);
        assert_eq!(zicht(&[Role::Aanbieder], "o", None), None, "an aanbieder without organisation sees nothing");
        assert_eq!(zicht(&[Role::Trajectbegeleider], "tb", Some(7)).unwrap().organisatie, None, "only as aanbieder");

        let admin = zicht(&[Role::Admin], "a", None).unwrap().rollen(&ingediend);
        assert_eq!(admin.weergave(), Some(Weergave::Beoordelaar));
        assert!(admin.mag_bewerken() && admin.mag_beoordelen() && !admin.mag_ondertekenen());

        let tb = zicht(&[Role::Trajectbegeleider], "tb-1", None).unwrap();
        let r = tb.rollen(&ingediend);
        assert!(r.begeleider && r.mag_beoordelen() && r.mag_bewerken() && !r.mag_ondertekenen());
        assert_eq!(zicht(&[Role::Trajectbegeleider], "tb-2", None).unwrap().rollen(&ingediend).weergave(), None);

        let burger = zicht(&[Role::Inburgeraar], "burger-1", None).unwrap().rollen(&ingediend);
        assert!(burger.mag_bewerken() && !burger.mag_beoordelen() && !burger.mag_ondertekenen());
        assert_eq!(zicht(&[Role::Inburgeraar], "burger-2", None).unwrap().rollen(&ingediend).weergave(), None);

        let org = zicht(&[Role::Aanbieder], "o7", Some(7)).unwrap();
        let r = org.rollen(&ingediend);
        assert_eq!(r.weergave(), Some(Weergave::Beperkt));
        assert!(r.mag_ondertekenen() && !r.mag_bewerken() && !r.mag_beoordelen());
        assert!(r.mag(Handeling::PrestatiesWijzigen).is_ok() && r.mag(Handeling::ContactpersoonWijzigen).is_ok());
        assert!(r.mag(Handeling::Indienen).is_err() && r.mag(Handeling::LinkMaken).is_err());
        let teruggestuurd = org.rollen(&b(BewijsStatus::Geweigerd));
        assert!(teruggestuurd.mag(Handeling::PrestatiesWijzigen).is_err(), "the newcomer's side resubmits");
        assert!(tb.rollen(&ingediend).mag(Handeling::ContactpersoonWijzigen).is_err());
        assert_eq!(org.rollen(&b(BewijsStatus::Concept)).weergave(), None, "drafts are not addressed yet");
        assert_eq!(zicht(&[Role::Aanbieder], "o8", Some(8)).unwrap().rollen(&ingediend).weergave(), None);

        // The newcomer who is also the organisation's aanbieder does not sign their own proof.
        let beide = zicht(&[Role::Aanbieder, Role::Inburgeraar], "burger-1", Some(7)).unwrap().rollen(&ingediend);
        assert_eq!(beide.weergave(), Some(Weergave::Volledig));
        assert!(!beide.mag_ondertekenen());
        assert!(beide.mag(Handeling::Ondertekenen).is_err() && beide.mag(Handeling::Indienen).is_ok());
        let e = beide.mag(Handeling::Ondertekenen).unwrap_err();
        assert_eq!(e.problem_type(), "urn:problem-type:belgif:missingPermission", "R20: 403");

        // Anyone else who sees the proof but is not its organisation: 409, not theirs to sign.
        for r in [admin, tb.rollen(&ingediend), burger] {
            let e = r.mag(Handeling::Ondertekenen).unwrap_err();
            assert_eq!(e.problem_type(), "urn:problem-type:pnt:signerNotOfOrganisation");
        }

        // A signing link signs and refuses its own proof, and nothing else.
        let link = BewijsZicht::via_link(3).rollen(&ingediend);
        assert_eq!(link.weergave(), None);
        assert!(link.mag(Handeling::Weigeren).is_ok() && link.mag(Handeling::Indienen).is_err());
        assert!(link.mag(Handeling::Beoordelen(Beoordeling::Goedgekeurd)).is_err());
        assert!(!BewijsZicht::via_link(4).rollen(&ingediend).mag_ondertekenen());
    }

    #[test]
    fn nobody_approves_their_own_account_signature() {
        use Beoordeling::*;
        assert!(mag_goedkeuren(Goedgekeurd, Some(Wijze::Account), Some("tb-1"), "tb-1").is_err());
        assert!(mag_goedkeuren(Afgekeurd, Some(Wijze::Account), Some("tb-1"), "tb-1").is_ok(), "rejecting is");
        assert!(mag_goedkeuren(Goedgekeurd, Some(Wijze::Account), Some("o7"), "tb-1").is_ok());
        assert!(mag_goedkeuren(Goedgekeurd, Some(Wijze::Link), None, "tb-1").is_ok());
    }

    #[test]
    fn starting_a_proof_needs_a_personal_view() {
        assert!(zicht(&[Role::Aanbieder], "o7", Some(7)).unwrap().mag_starten().is_err());
        let z = zicht(&[Role::Inburgeraar, Role::Trajectbegeleider], "x", None).unwrap().mag_starten().unwrap();
        assert_eq!(z, Zicht { alles: false, caseload: Some("x".into()), eigen: Some("x".into()) });
    }
}
