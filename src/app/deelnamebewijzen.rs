//! Proofs of participation through the versioned-document flow: loading and listing what the
//! caller's access policy shows (every access logged, R15), starting a proof on a contract (R7,
//! R10) and changing its hours (R10). Submitting, signing, refusing and reviewing are
//! [`crate::app::ondertekening`].

use chrono::NaiveDate;
use serde_json::json;

use crate::app::document::{self, Document, VersionedWrite};
use crate::app::ondertekening::{contract_loopt, overgangsfout};
use crate::db::DbConn;
use crate::domain::aanbod::Contactpersoon;
use crate::domain::contract::RegelFout;
use crate::domain::deelnamebewijs::{self as regels, ContactBron, Handeling, Invoer, NieuwePrestatie, Prestatie};
use crate::domain::toegang::deelnamebewijzen::{BewijsZicht, Rollen, Weergave};
use crate::error::{ApiError, ApiResult};
use crate::repo::audit::{self, Action, Actor};
use crate::repo::contracten::ContractRow;
use crate::repo::deelnamebewijzen::{self as repo, Bewijs, BewijsFilter, BewijsRow, BewijsWijziging, NieuwBewijs};

/// The proof if the caller's access policy shows it — `404` otherwise, so other people's proofs
/// do not leak their existence (R15) — with the caller's relations to it and the view they get.
pub fn load(c: &mut DbConn, zicht: &BewijsZicht, id: i64) -> ApiResult<(Bewijs, Rollen, Weergave)> {
    let b = document::found(id, repo::find(c, zicht, id)?)?;
    let rollen = zicht.rollen(&b.betrokkenen());
    let weergave = rollen.weergave().ok_or_else(|| document::not_found(Bewijs::RESOURCE, id))?;
    Ok((b, rollen, weergave))
}

/// Logs an access to or a change of a proof; the details hold ids, never names.
pub fn log(
    c: &mut DbConn,
    actor: &Actor,
    action: Action,
    row: &BewijsRow,
    details: serde_json::Value,
) -> ApiResult<()> {
    let mut d = json!({ "contract": row.contract_id });
    if let (Some(o), Some(extra)) = (d.as_object_mut(), details.as_object()) {
        o.extend(extra.clone());
    }
    Ok(audit::record(c, actor, action, Bewijs::RESOURCE, &row.id.to_string(), Some(d))?)
}

/// A page of the proofs the caller sees that match `f`, each with its view and logged as listed,
/// and how many there are.
pub fn list(
    c: &mut DbConn,
    actor: &Actor,
    zicht: &BewijsZicht,
    f: &BewijsFilter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<(Bewijs, Weergave)>, i64)> {
    let (rows, total) = repo::list(c, zicht, f, offset, limit)?;
    let mut gezien = Vec::with_capacity(rows.len());
    for b in rows {
        let Some(weergave) = zicht.rollen(&b.betrokkenen()).weergave() else {
            // SQL and the policy disagree: never show more than the policy allows.
            log::error!("deelnamebewijs {} listed but not visible to {}", b.row.id, actor.sub);
            continue;
        };
        log(c, actor, Action::List, &b.row, json!({}))?;
        gezien.push((b, weergave));
    }
    Ok((gezien, total))
}

/// R10 on `invoer` for proof `bewijs` (`None`: a new one) of `contract`: the proof's new lines,
/// or every broken rule. Takes the contract's lock first (`repo::vergrendel_contract`): the
/// other proofs' hours it counts cannot change until this transaction ends, so concurrent lines
/// for one day never add up past 12 hours (R10, `RULES.md`).
pub fn controleer(
    c: &mut DbConn,
    contract: &ContractRow,
    bewijs: Option<i64>,
    invoer: Invoer<'_>,
    vandaag: NaiveDate,
) -> ApiResult<Result<Vec<Prestatie>, Vec<RegelFout>>> {
    repo::vergrendel_contract(c, contract.id)?;
    let dagen: Vec<NaiveDate> = invoer.nieuw.iter().map(|(_, p)| p.datum).collect();
    let elders = repo::elders_per_dag(c, contract.id, bewijs, &dagen)?;
    Ok(regels::controleer_prestaties(invoer, repo::termijn(contract), vandaag, &elders))
}

/// Starts proof `nieuw` with `lijnen` (R10 checked) on `contract`, as `actor`: only while the
/// contract runs (`409`), and not beside an open proof its hours belong on (R7: the same type,
/// organisation and contact person; `409 duplicate` with that proof's address, `href(id)`). Returns the new proof as the caller sees it.
pub fn start(
    c: &mut DbConn,
    zicht: &BewijsZicht,
    actor: &Actor,
    contract: &ContractRow,
    nieuw: &NieuwBewijs,
    lijnen: &[Prestatie],
    href: impl Fn(i64) -> String,
) -> ApiResult<(Bewijs, Weergave)> {
    contract_loopt(contract)?;
    repo::vergrendel_contract(c, contract.id)?;
    if let Some(open) = repo::open_in_groep(c, nieuw, None)? {
        return Err(dubbel(nieuw, href(open)));
    }
    let id = repo::insert(c, nieuw, &actor.sub, actor.at)?;
    repo::vervang_prestaties(c, id, lijnen)?;
    let (b, _, weergave) = load(c, zicht, id)?;
    log(c, actor, Action::Create, &b.row, json!({ "prestaties": lijnen.len() }))?;
    Ok((b, weergave))
}

/// R7's `409 duplicate`: the open proof `href` holds the hours of `nieuw`'s group.
fn dubbel(nieuw: &NieuwBewijs, href: String) -> ApiError {
    ApiError::duplicate(
        format!(
            "This contract already has an open proof for {} at the same organisation with the same contact person \
             (R7: one proof per type, organisation and contact person); add the hours there",
            nieuw.aanbodtype
        ),
        href,
    )
}

/// Names another contact person on proof `id` through `write`: the policy's decision (an
/// aanbieder of the proof's organisation, `403`), `If-Match` (`412`), the proof not signed
/// (`409`), a running contract (`409`), R7 with the new contact person (`409 duplicate` when
/// another open proof already holds that group, `href(id)`), then the versioned write (open
/// signing links become outdated) and its audit entry (without the names).
pub fn wijzig_contactpersoon(
    c: &mut DbConn,
    zicht: &BewijsZicht,
    write: &VersionedWrite<'_>,
    id: i64,
    contact: Contactpersoon,
    href: impl Fn(i64) -> String,
) -> ApiResult<(Bewijs, Weergave)> {
    let (b, rollen, _) = load(c, zicht, id)?;
    rollen.mag(Handeling::ContactpersoonWijzigen)?;
    write.if_match.check(b.version())?;
    let van = b.row.status;
    let naar = regels::overgang(van, Handeling::ContactpersoonWijzigen, b.prestaties.len()).map_err(overgangsfout)?;
    contract_loopt(&b.contract)?;
    let r = &b.row;
    let groep = NieuwBewijs {
        contract_id: r.contract_id,
        aanbod_id: r.aanbod_id,
        activiteit: r.activiteit.clone(),
        organisatie_id: r.organisatie_id,
        organisatie_naam: r.organisatie_naam.clone(),
        aanbodtype: r.aanbodtype,
        contact_naam: contact.naam.trim().to_string(),
        contact_email: contact.email.map(|e| e.trim().to_string()),
        contact_telefoon: contact.telefoon.map(|t| t.trim().to_string()),
        contact_bron: ContactBron::Organisatie,
    };
    repo::vergrendel_contract(c, r.contract_id)?;
    if let Some(open) = repo::open_in_groep(c, &groep, Some(id))? {
        return Err(dubbel(&groep, href(open)));
    }
    let w = BewijsWijziging {
        status: Some(naar),
        contact_naam: Some(groep.contact_naam),
        contact_email: Some(groep.contact_email),
        contact_telefoon: Some(groep.contact_telefoon),
        contact_bron: Some(ContactBron::Organisatie),
        ..Default::default()
    };
    let details = json!({ "contract": r.contract_id, "contactpersoon": "gewijzigd", "van": van, "naar": naar });
    let at = write.actor.at;
    write.write(c, &b, Action::Update, Some(details), |c, versie| Ok(repo::update(c, id, versie, &w, at)?))?;
    let (b, _, weergave) = load(c, zicht, id)?;
    Ok((b, weergave))
}

/// A change to a proof's lines.
pub enum LijnActie {
    /// Every line, each named by its place in the body (`items[2]`).
    Vervang(Vec<(String, NieuwePrestatie)>),
    VoegToe(NieuwePrestatie),
    Verwijder(NaiveDate),
}

/// Changes the lines of proof `id` through `write`: the policy's decision (`403`), `If-Match`
/// (`412`), the proof still editable (`409`, before the lines are looked at: a signed proof is
/// immutable), a running contract (`409`), R10 on every new line (`400`), then status and version
/// move with the lines. A change after a refusal or a rejection returns the proof to `concept`,
/// and clears an earlier signature.
pub fn wijzig_prestaties(
    c: &mut DbConn,
    zicht: &BewijsZicht,
    write: &VersionedWrite<'_>,
    id: i64,
    actie: LijnActie,
    vandaag: NaiveDate,
) -> ApiResult<(Bewijs, Weergave)> {
    let (b, rollen, _) = load(c, zicht, id)?;
    rollen.mag(Handeling::PrestatiesWijzigen)?;
    write.if_match.check(b.version())?;
    let van = b.row.status;
    regels::overgang(van, Handeling::PrestatiesWijzigen, 1).map_err(overgangsfout)?;
    contract_loopt(&b.contract)?;
    let (naam, lijst, nieuw, behouden): (_, _, _, Vec<Prestatie>) = match actie {
        LijnActie::Vervang(items) => ("vervangen", "items", items, Vec::new()),
        LijnActie::VoegToe(p) => ("toegevoegd", "prestaties", vec![(String::new(), p)], b.prestaties.clone()),
        LijnActie::Verwijder(datum) => {
            if !b.prestaties.iter().any(|p| p.datum == datum) {
                return Err(ApiError::not_found(format!("Proof {id} has no line for {datum}")));
            }
            let behouden = b.prestaties.iter().filter(|p| p.datum != datum).cloned().collect();
            ("verwijderd", "prestaties", Vec::new(), behouden)
        }
    };
    let invoer = Invoer { nieuw, behouden: &behouden, lijst };
    let lijnen = controleer(c, &b.contract, Some(id), invoer, vandaag)?.map_err(ApiError::regelfouten)?;
    let naar = regels::overgang(van, Handeling::PrestatiesWijzigen, lijnen.len()).map_err(overgangsfout)?;
    let w = BewijsWijziging {
        status: Some(naar),
        ondertekend_door: Some(None),
        ondertekend_op: Some(None),
        ondertekend_via: Some(None),
        ondertekend_sub: Some(None),
        ..Default::default()
    };
    let details =
        json!({ "contract": b.row.contract_id, "prestaties": naam, "aantal": lijnen.len(), "van": van, "naar": naar });
    let at = write.actor.at;
    write.write(c, &b, Action::Update, Some(details), |c, versie| {
        let gelukt = repo::update(c, id, versie, &w, at)?;
        if gelukt {
            repo::vervang_prestaties(c, id, &lijnen)?;
        }
        Ok(gelukt)
    })?;
    let (b, _, weergave) = load(c, zicht, id)?;
    Ok((b, weergave))
}
