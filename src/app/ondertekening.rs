//! Signing and refusing a proof of participation, by account or by one-time link: one workflow
//! for both ways (R8), which the other status steps — submitting, and the trajectbegeleider's
//! review (R9) — follow too; and making and opening signing links.
//!
//! A step is the versioned-document flow of `app::document`: the proof as the caller's access
//! policy lets it through (`404`), the policy's decision on the step (`403`,
//! `domain::toegang::deelnamebewijzen`), `If-Match` (`412`), the status machine (`409`,
//! `domain::deelnamebewijs::overgang`), the versioned write with its audit entry (`409 conflict`
//! on a lost race). By account the caller's relation to the proof comes from their token; by link
//! from the link, which must still be usable (`domain::deelnamebewijs::link_bruikbaar`).

use actix_web::http::StatusCode;
use chrono::{Duration, NaiveDateTime};
use serde_json::json;

use crate::app::document::{Document, VersionedWrite};
use crate::auth::Role;
use crate::clock::date_in_brussels;
use crate::db::DbConn;
use crate::domain::deelnamebewijs::{
    self as regels, Beoordeling, BewijsStatus, ContactBron, Handeling, LINK_GELDIG_DAGEN, LinkBeslissing, LinkFout,
    LinkStand, Overgangsfout, Wijze,
};
use crate::domain::secrets::token_hash;
use crate::domain::toegang::deelnamebewijzen::{self as toegang, BewijsZicht, Rollen};
use crate::error::{ApiError, ApiResult};
use crate::http::conditional::IfMatch;
use crate::http::conventions::TraceId;
use crate::outbox;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::contracten::ContractRow;
use crate::repo::deelnamebewijzen::{self as repo, Bewijs, BewijsWijziging, LinkRow, NieuweLinkRow};
use crate::wire::common::utc;
use crate::wire::mail;

/// Problem type names (`urn:problem-type:pnt:<name>`) of proofs and signing links.
pub mod problem {
    pub const CONTRACT_NOT_RUNNING: &str = "contractNotRunning";
    pub const CONTACT_EMAIL_MISSING: &str = "contactEmailMissing";
    pub const EMPTY: &str = "emptyDeelnamebewijs";
    pub const SIGNING_LINK_USED: &str = "signingLinkUsed";
    pub const SIGNING_LINK_EXPIRED: &str = "signingLinkExpired";
    pub const SIGNING_LINK_OUTDATED: &str = "signingLinkOutdated";
}

/// A status step on a proof, with its input.
#[derive(Clone, Debug)]
pub enum Stap {
    Indienen,
    Ondertekenen { naam: String },
    Weigeren { naam: String, motivatie: Option<String> },
    Beoordelen { beslissing: Beoordeling, motivatie: Option<String> },
}

impl Stap {
    /// Refusing to sign, with the motivation R8 requires (`400` naming `motivatie`).
    pub fn weigeren(naam: String, motivatie: Option<String>) -> ApiResult<Stap> {
        let motivatie = motivatie_voor(Handeling::Weigeren, motivatie)?;
        Ok(Stap::Weigeren { naam, motivatie })
    }

    /// The review, with the motivation R9 requires to reject (`400` naming `motivatie`).
    pub fn beoordelen(beslissing: Beoordeling, motivatie: Option<String>) -> ApiResult<Stap> {
        let motivatie = motivatie_voor(Handeling::Beoordelen(beslissing), motivatie)?;
        Ok(Stap::Beoordelen { beslissing, motivatie })
    }

    /// The contact person's decision through a link.
    pub fn beslissing(beslissing: LinkBeslissing, naam: String, motivatie: Option<String>) -> ApiResult<Stap> {
        match beslissing {
            LinkBeslissing::Ondertekenen => Ok(Stap::Ondertekenen { naam }),
            LinkBeslissing::Weigeren => Stap::weigeren(naam, motivatie),
        }
    }

    fn handeling(&self) -> Handeling {
        match self {
            Stap::Indienen => Handeling::Indienen,
            Stap::Ondertekenen { .. } => Handeling::Ondertekenen,
            Stap::Weigeren { .. } => Handeling::Weigeren,
            Stap::Beoordelen { beslissing, .. } => Handeling::Beoordelen(*beslissing),
        }
    }

    fn audit_naam(&self) -> &'static str {
        match self {
            Stap::Indienen => "ingediend",
            Stap::Ondertekenen { .. } => "ondertekend",
            Stap::Weigeren { .. } => "geweigerd",
            Stap::Beoordelen { .. } => "beoordeeld",
        }
    }

    /// The columns the step writes besides the status.
    fn wijziging(&self, naar: BewijsStatus, actor: &Actor, via: Wijze) -> BewijsWijziging {
        let w = BewijsWijziging { status: Some(naar), ..Default::default() };
        let nu = Some(Some(actor.at));
        match self.clone() {
            Stap::Indienen => w,
            Stap::Ondertekenen { naam } => BewijsWijziging {
                ondertekend_door: Some(Some(naam)),
                ondertekend_op: nu,
                ondertekend_via: Some(Some(via)),
                ondertekend_sub: Some((via == Wijze::Account).then(|| actor.sub.clone())),
                ..w
            },
            Stap::Weigeren { naam, motivatie } => BewijsWijziging {
                geweigerd_door: Some(Some(naam)),
                geweigerd_op: nu,
                geweigerd_via: Some(Some(via)),
                weigering_motivatie: Some(motivatie),
                ..w
            },
            Stap::Beoordelen { beslissing, motivatie } => BewijsWijziging {
                beoordeeld_door: Some(Some(actor.sub.clone())),
                beoordeeld_op: nu,
                beoordeling: Some(Some(beslissing)),
                beoordeling_motivatie: Some(motivatie),
                ..w
            },
        }
    }
}

fn motivatie_voor(handeling: Handeling, motivatie: Option<String>) -> ApiResult<Option<String>> {
    regels::motivatie(handeling, motivatie.as_deref()).map_err(|f| ApiError::regelfouten(vec![f]))
}

/// Who takes a step: their relations to the proof and how they act.
pub struct Door<'a> {
    pub rollen: Rollen,
    /// By account, or through this link.
    pub link: Option<&'a LinkRow>,
    /// The caller's `email` claim (by account): a reviewer does not approve a signature that
    /// came through a link sent to their own address (R20).
    pub email: Option<&'a str>,
    pub write: VersionedWrite<'a>,
}

/// Takes `stap` on `bewijs` as `door` and returns the new status: the policy's decision (`403`),
/// `If-Match` (`412`), the status machine (`409`), a running contract for every step —
/// submitting, signing, refusing, reviewing (`409 contractNotRunning`) — nobody approving their
/// own account signature (`409 ownSignature`), the versioned write
/// (`409 conflict` on a lost race) and its audit entry.
pub fn zet(c: &mut DbConn, bewijs: &Bewijs, door: &Door<'_>, stap: &Stap) -> ApiResult<BewijsStatus> {
    let handeling = stap.handeling();
    door.rollen.mag(handeling)?;
    door.write.if_match.check(bewijs.version())?;
    let van = bewijs.row.status;
    let naar = regels::overgang(van, handeling, bewijs.prestaties.len()).map_err(overgangsfout)?;
    contract_loopt(&bewijs.contract)?;
    if let Handeling::Beoordelen(beslissing) = handeling {
        let r = &bewijs.row;
        toegang::mag_goedkeuren(beslissing, r.ondertekend_via, r.ondertekend_sub.as_deref(), &door.write.actor.sub)?;
        if beslissing == Beoordeling::Goedgekeurd && r.ondertekend_via == Some(Wijze::Link) {
            let link = repo::ondertekenende_link(c, r.id)?;
            let naar = link.as_ref().and_then(|l| l.email.as_deref());
            toegang::mag_goedkeuren_via_link(naar, door.email, bewijs.persoon.email.as_deref())?;
        }
    }
    let via = if door.link.is_some() { Wijze::Link } else { Wijze::Account };
    let mut details = json!({ "contract": bewijs.row.contract_id, "van": van, "naar": naar, "via": via });
    if let Some(link) = door.link {
        // The decision through a link leads back to who asked for it (R8).
        details["ondertekenverzoek"] = json!(link.id);
        details["aangevraagdDoor"] = json!(link.aangemaakt_door);
    }
    let w = stap.wijziging(naar, door.write.actor, via);
    let at = door.write.actor.at;
    door.write.write(c, bewijs, Action::Change(stap.audit_naam()), Some(details), |c, versie| {
        Ok(repo::update(c, bewijs.row.id, versie, &w, at)?)
    })?;
    Ok(naar)
}

/// `409` unless the proof's contract runs: a proof is started, changed, submitted, signed,
/// refused and reviewed only then (a stopped or closed contract's proofs are frozen).
pub fn contract_loopt(contract: &ContractRow) -> ApiResult<()> {
    let status = contract.status;
    if status.is_lopend() {
        return Ok(());
    }
    Err(ApiError::pnt(
        StatusCode::CONFLICT,
        problem::CONTRACT_NOT_RUNNING,
        "Contract Not Running",
        format!(
            "Contract {} is {status}; its proofs are changed, submitted, signed and reviewed only while it runs",
            contract.id
        ),
    ))
}

/// A step the status machine refuses, as its problem.
pub fn overgangsfout(f: Overgangsfout) -> ApiError {
    match f {
        Overgangsfout::ZonderPrestaties => {
            ApiError::pnt(StatusCode::CONFLICT, problem::EMPTY, "Empty Deelnamebewijs", f.to_string())
        }
        Overgangsfout::Ongeldig { .. } => ApiError::invalid_transition(f.to_string()),
    }
}

// --- Signing links ---------------------------------------------------------------------------------

/// A new link: its id, the proof's version it is tied to, when it expires, and where it went.
pub struct NieuweLink {
    pub id: i64,
    pub versie: i64,
    pub verloopt_op: NaiveDateTime,
    pub email: String,
    pub email_bron: ContactBron,
}

/// The role `rollen` act in when they ask for a link, for the proof's signing trail.
fn aanvrager_rol(rollen: &Rollen) -> &'static str {
    if rollen.begeleider {
        Role::Trajectbegeleider.as_str()
    } else if rollen.admin {
        Role::Admin.as_str()
    } else {
        Role::Inburgeraar.as_str()
    }
}

/// Makes a signing link with `token` for `bewijs` and writes the mail that brings it (`url`) to
/// the proof's contact person into the outbox, in this transaction, as `rollen` on behalf of
/// `write.actor`: the policy's decision (`403`), `If-Match` (`412`), the status machine (a draft
/// is submitted on the way, `409`), a running contract (`409`), a contact e-mail address
/// (`409 contactEmailMissing`), then the link, tied to the proof's version after the step, and
/// the audit entry. The token never leaves this function but in the mail (R8).
pub fn maak_link(
    c: &mut DbConn,
    bewijs: &Bewijs,
    rollen: &Rollen,
    write: &VersionedWrite<'_>,
    token: &str,
    url: &str,
) -> ApiResult<NieuweLink> {
    rollen.mag(Handeling::LinkMaken)?;
    write.if_match.check(bewijs.version())?;
    let van = bewijs.row.status;
    let naar = regels::overgang(van, Handeling::LinkMaken, bewijs.prestaties.len()).map_err(overgangsfout)?;
    contract_loopt(&bewijs.contract)?;
    let r = &bewijs.row;
    let Some(email) = r.contact_email.clone() else {
        return Err(ApiError::pnt(
            StatusCode::CONFLICT,
            problem::CONTACT_EMAIL_MISSING,
            "Contact Email Missing",
            "The proof's contact person has no e-mail address, so a signing link cannot reach them; the \
             organisation signs with its account or names its contact person with an address \
             (PUT …/contactpersoon)",
        ));
    };
    let actor = write.actor;
    let versie = if naar == van { bewijs.version() } else { bewijs.version() + 1 };
    let verloopt_op = actor.at + Duration::days(LINK_GELDIG_DAGEN);
    let p = &bewijs.persoon;
    let initiaal: String = p.achternaam.chars().next().map(|i| format!(" {i}.")).unwrap_or_default();
    let mail = mail::ondertekenverzoek(&mail::Ondertekenverzoek {
        contactpersoon: &r.contact_naam,
        inburgeraar: &format!("{}{initiaal}", p.voornaam),
        activiteit: &r.activiteit,
        organisatie: &r.organisatie_naam,
        prestaties: &bewijs.prestaties,
        totaal_uren: regels::totaal(&bewijs.prestaties).uren(),
        link: url,
        geldig_tot: date_in_brussels(utc(verloopt_op)),
    });
    let outbox_id = outbox::schrijf_mail(c, &email, &mail, actor.at)?;
    let link = repo::insert_link(
        c,
        &NieuweLinkRow {
            bewijs_id: r.id,
            token_hash: &token_hash(token),
            bewijs_versie: versie,
            door: &actor.sub,
            rol: aanvrager_rol(rollen),
            email: &email,
            email_bron: r.contact_bron,
            outbox_id,
            nu: actor.at,
            verloopt_op,
        },
    )?;
    let details = json!({
        "contract": r.contract_id, "ondertekenverzoek": link, "versie": versie, "van": van, "naar": naar,
        "emailBron": r.contact_bron, "bericht": outbox_id
    });
    write.write(c, bewijs, Action::Change("ondertekenverzoekAangemaakt"), Some(details), |c, versie| {
        let w = BewijsWijziging { status: Some(naar), ..Default::default() };
        Ok(naar == van || repo::update(c, r.id, versie, &w, actor.at)?)
    })?;
    Ok(NieuweLink { id: link, versie, verloopt_op, email, email_bron: r.contact_bron })
}

/// A link that cannot be used, as its problem.
fn linkfout(f: LinkFout) -> ApiError {
    match f {
        LinkFout::Gebruikt => ApiError::pnt(
            StatusCode::GONE,
            problem::SIGNING_LINK_USED,
            "Signing Link Used",
            "This signing link was already used; a link records one decision",
        ),
        LinkFout::Verlopen => ApiError::pnt(
            StatusCode::GONE,
            problem::SIGNING_LINK_EXPIRED,
            "Signing Link Expired",
            format!("This signing link expired (links are valid {LINK_GELDIG_DAGEN} days); ask for a new one"),
        ),
        LinkFout::Verouderd => ApiError::pnt(
            StatusCode::CONFLICT,
            problem::SIGNING_LINK_OUTDATED,
            "Signing Link Outdated",
            "The proof changed (or was signed or refused) since this link was made; ask for a new link",
        ),
    }
}

/// Who acts through a link, for the audit log.
fn link_actor(link: &LinkRow, trace: &TraceId, at: NaiveDateTime) -> Actor {
    Actor::system(&format!("ondertekenverzoek:{}", link.id), trace, at)
}

/// The link of `token` and its proof, if the link may be used at `nu`: `404` for an unknown
/// token, else the link's own problem. `geclaimd`: this transaction just marked it used.
fn load_link(c: &mut DbConn, token: &str, nu: NaiveDateTime, geclaimd: bool) -> ApiResult<(LinkRow, Bewijs)> {
    let onbekend = || ApiError::not_found("No signing link with this token; check the link or ask for a new one");
    let link = repo::find_link(c, &token_hash(token))?.ok_or_else(onbekend)?;
    let bewijs = repo::find(c, &BewijsZicht::via_link(link.bewijs_id), link.bewijs_id)?.ok_or_else(onbekend)?;
    let stand = LinkStand {
        gebruikt: link.gebruikt_op.is_some() && !geclaimd,
        verloopt_op: link.verloopt_op,
        bewijs_versie: link.bewijs_versie,
    };
    regels::link_bruikbaar(stand, nu, bewijs.row.versie, bewijs.row.status).map_err(linkfout)?;
    Ok((link, bewijs))
}

/// Opens the link of `token` at `nu` for the contact person: the link and its proof, the read
/// logged in the proof's audit trail.
pub fn open_link(c: &mut DbConn, token: &str, nu: NaiveDateTime, trace: &TraceId) -> ApiResult<(LinkRow, Bewijs)> {
    let (link, bewijs) = load_link(c, token, nu, false)?;
    repo::link_geopend(c, link.id, nu)?;
    let details = json!({ "contract": bewijs.row.contract_id, "via": Wijze::Link, "ondertekenverzoek": link.id });
    audit::record(c, &link_actor(&link, trace, nu), Action::Read, Bewijs::RESOURCE, &bewijs.key(), Some(details))?;
    Ok((link, bewijs))
}

/// Records the contact person's one decision through the link of `token` at `nu`: claims the
/// link, then takes the step as the link's holder. Of two concurrent decisions one waits for the
/// other and then finds the link used; any refusal rolls the claim back.
pub fn beslis(
    c: &mut DbConn,
    token: &str,
    nu: NaiveDateTime,
    trace: &TraceId,
    beslissing: LinkBeslissing,
    stap: &Stap,
) -> ApiResult<(BewijsStatus, Bewijs)> {
    let geclaimd = repo::claim_link(c, &token_hash(token), beslissing, nu)?;
    let (link, bewijs) = load_link(c, token, nu, geclaimd)?;
    let actor = link_actor(&link, trace, nu);
    let door = Door {
        rollen: BewijsZicht::via_link(link.bewijs_id).rollen(&bewijs.betrokkenen()),
        link: Some(&link),
        email: None,
        write: VersionedWrite { actor: &actor, if_match: &IfMatch::Absent },
    };
    let naar = zet(c, &bewijs, &door, stap)?;
    if let Stap::Ondertekenen { naam } | Stap::Weigeren { naam, .. } = stap {
        repo::link_naam(c, link.id, naam)?;
    }
    Ok((naar, bewijs))
}
