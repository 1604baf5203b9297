//! R27 in SQL: who is past the retention period, and the erasure of a newcomer's identifying
//! data on every table that holds it (`domain::retentie` decides; `app::retentie` runs it).

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{
    contractwijzigingen, deelnamebewijzen, doorverwijzingen, inburgeraars, inburgeringscontracten, ondertekenverzoeken,
    opvolgingen, outbox, prestaties,
};
use crate::domain::contract::ContractStatus;
use crate::domain::retentie::{Afsluiting, Grond, UITGEWIST, pseudoniem};

/// A newcomer whose data is still kept: id, dossiernummer and the record's last change.
pub struct Bewaard {
    pub id: i64,
    pub dossiernummer: String,
    pub gewijzigd_op: NaiveDateTime,
}

/// Every newcomer whose data is not yet erased, by id.
pub fn bewaard(conn: &mut DbConn) -> QueryResult<Vec<Bewaard>> {
    let rows: Vec<(i64, String, NaiveDateTime)> = inburgeraars::table
        .filter(inburgeraars::uitgewist_op.is_null())
        .order(inburgeraars::id.asc())
        .select((inburgeraars::id, inburgeraars::dossiernummer, inburgeraars::gewijzigd_op))
        .load(conn)?;
    Ok(rows.into_iter().map(|(id, dossiernummer, gewijzigd_op)| Bewaard { id, dossiernummer, gewijzigd_op }).collect())
}

type ContractKop = (i64, ContractStatus, Option<NaiveDate>, Option<NaiveDate>, NaiveDateTime);

fn afsluiting((_, status, attest, stop, gewijzigd): ContractKop) -> Afsluiting {
    Afsluiting { status, op: attest.or(stop).unwrap_or(gewijzigd.date()) }
}

/// The contracts of the newcomers `ids` (all newcomers when `None`), as R27 reads them.
pub fn afsluitingen(conn: &mut DbConn, ids: Option<&[i64]>) -> QueryResult<HashMap<i64, Vec<Afsluiting>>> {
    let mut q = inburgeringscontracten::table.into_boxed();
    if let Some(ids) = ids {
        q = q.filter(inburgeringscontracten::inburgeraar_id.eq_any(ids.to_vec()));
    }
    let rows: Vec<ContractKop> = q
        .select((
            inburgeringscontracten::inburgeraar_id,
            inburgeringscontracten::status,
            inburgeringscontracten::attest_uitgereikt_op,
            inburgeringscontracten::stopgezet_op,
            inburgeringscontracten::gewijzigd_op,
        ))
        .load(conn)?;
    let mut per: HashMap<i64, Vec<Afsluiting>> = HashMap::new();
    for r in rows {
        per.entry(r.0).or_default().push(afsluiting(r));
    }
    Ok(per)
}

/// Whether newcomer `id` was erased already.
pub fn is_uitgewist(conn: &mut DbConn, id: i64) -> QueryResult<bool> {
    let op: Option<Option<NaiveDateTime>> =
        inburgeraars::table.find(id).select(inburgeraars::uitgewist_op).first(conn).optional()?;
    Ok(matches!(op, Some(Some(_))))
}

/// Takes the retention job's lock for this transaction: on PostgreSQL a transaction-level
/// advisory lock, so of several instances starting the job at once one runs it and the others
/// skip (`false`); on SQLite the write transaction already excludes every other writer.
pub fn neem_taak(conn: &mut DbConn) -> QueryResult<bool> {
    #[derive(QueryableByName)]
    struct Slot {
        #[diesel(sql_type = diesel::sql_types::Bool)]
        ok: bool,
    }
    match conn {
        DbConn::Postgresql(c) => {
            // "PNT" + "R27": one key for this job in the whole database.
            let s: Slot = diesel::sql_query("SELECT pg_try_advisory_xact_lock(5264980027) AS ok").get_result(c)?;
            Ok(s.ok)
        }
        DbConn::Sqlite(_) => Ok(true),
    }
}

/// Erases newcomer `id`'s identifying data (R27), unless it was erased already (`false`):
/// - the record: names by the pseudonym, dossiernummer by `UITGEWIST-<id>`, the birth date by
///   1 January of its year, INSZ, contact data and login (`gebruikerId`) removed; municipality,
///   statuut, contact language, caseload, KBI status stay (aggregates and counts rest on them);
/// - contracts: the vrijstelling's evidence and details; contract changes: their reasons;
///   follow-up entries: their notes;
/// - proofs: contact person (name, e-mail, phone), the names of who signed or refused, the
///   motivations, the lines' descriptions; signing links: the address and typed name; their mails
///   in the outbox: recipient, subject and body;
/// - referrals: the warm handover's note, the companion, the reason it was broken off.
///
/// Hours, dates, statuses, ids and versions (other than the record's) stay as they are.
pub fn wis_uit(conn: &mut DbConn, id: i64, grond: Grond, reden: Option<&str>, nu: NaiveDateTime) -> QueryResult<bool> {
    let geboren: Option<NaiveDate> = inburgeraars::table
        .find(id)
        .filter(inburgeraars::uitgewist_op.is_null())
        .select(inburgeraars::geboortedatum)
        .first(conn)
        .optional()?;
    let Some(geboren) = geboren else { return Ok(false) };
    let jaar = NaiveDate::from_yo_opt(chrono::Datelike::year(&geboren), 1).unwrap_or(geboren);
    let n = diesel::update(inburgeraars::table.find(id).filter(inburgeraars::uitgewist_op.is_null()))
        .set((
            inburgeraars::dossiernummer.eq(format!("UITGEWIST-{id}")),
            inburgeraars::voornaam.eq(pseudoniem(id)),
            inburgeraars::achternaam.eq(pseudoniem(id)),
            inburgeraars::geboortedatum.eq(jaar),
            inburgeraars::rijksregisternummer.eq(None::<String>),
            inburgeraars::email.eq(None::<String>),
            inburgeraars::telefoon.eq(None::<String>),
            inburgeraars::adres.eq(None::<String>),
            inburgeraars::gebruiker_id.eq(None::<String>),
            inburgeraars::versie.eq(inburgeraars::versie + 1),
            inburgeraars::gewijzigd_op.eq(nu),
            inburgeraars::uitgewist_op.eq(Some(nu)),
            inburgeraars::uitwissing_grond.eq(Some(grond.as_str())),
            inburgeraars::uitwissing_reden.eq(reden),
        ))
        .execute(conn)?;
    if n == 0 {
        return Ok(false);
    }
    let contracten: Vec<i64> = inburgeringscontracten::table
        .filter(inburgeringscontracten::inburgeraar_id.eq(id))
        .select(inburgeringscontracten::id)
        .load(conn)?;
    let c = || contracten.clone();
    diesel::update(
        inburgeringscontracten::table
            .filter(inburgeringscontracten::id.eq_any(c()))
            .filter(inburgeringscontracten::vrijstelling_bewijs.is_not_null()),
    )
    .set(inburgeringscontracten::vrijstelling_bewijs.eq(UITGEWIST))
    .execute(conn)?;
    diesel::update(
        inburgeringscontracten::table
            .filter(inburgeringscontracten::id.eq_any(c()))
            .filter(inburgeringscontracten::vrijstelling_details.is_not_null()),
    )
    .set(inburgeringscontracten::vrijstelling_details.eq(UITGEWIST))
    .execute(conn)?;
    diesel::update(
        contractwijzigingen::table
            .filter(contractwijzigingen::contract_id.eq_any(c()))
            .filter(contractwijzigingen::reden.is_not_null()),
    )
    .set(contractwijzigingen::reden.eq(UITGEWIST))
    .execute(conn)?;
    diesel::update(opvolgingen::table.filter(opvolgingen::contract_id.eq_any(c())))
        .set(opvolgingen::notitie.eq(UITGEWIST))
        .execute(conn)?;

    let bewijzen: Vec<i64> = deelnamebewijzen::table
        .filter(deelnamebewijzen::contract_id.eq_any(c()))
        .select(deelnamebewijzen::id)
        .load(conn)?;
    let b = || bewijzen.clone();
    diesel::update(deelnamebewijzen::table.filter(deelnamebewijzen::id.eq_any(b())))
        .set((
            deelnamebewijzen::contact_naam.eq(UITGEWIST),
            deelnamebewijzen::contact_email.eq(None::<String>),
            deelnamebewijzen::contact_telefoon.eq(None::<String>),
        ))
        .execute(conn)?;
    let q = || deelnamebewijzen::table.filter(deelnamebewijzen::id.eq_any(b()));
    diesel::update(q().filter(deelnamebewijzen::ondertekend_door.is_not_null()))
        .set(deelnamebewijzen::ondertekend_door.eq(UITGEWIST))
        .execute(conn)?;
    diesel::update(q().filter(deelnamebewijzen::geweigerd_door.is_not_null()))
        .set(deelnamebewijzen::geweigerd_door.eq(UITGEWIST))
        .execute(conn)?;
    diesel::update(q().filter(deelnamebewijzen::weigering_motivatie.is_not_null()))
        .set(deelnamebewijzen::weigering_motivatie.eq(UITGEWIST))
        .execute(conn)?;
    diesel::update(q().filter(deelnamebewijzen::beoordeling_motivatie.is_not_null()))
        .set(deelnamebewijzen::beoordeling_motivatie.eq(UITGEWIST))
        .execute(conn)?;
    diesel::update(prestaties::table.filter(prestaties::bewijs_id.eq_any(b())))
        .set(prestaties::omschrijving.eq(None::<String>))
        .execute(conn)?;
    let mails: Vec<Option<i64>> = ondertekenverzoeken::table
        .filter(ondertekenverzoeken::bewijs_id.eq_any(b()))
        .select(ondertekenverzoeken::outbox_id)
        .load(conn)?;
    diesel::update(ondertekenverzoeken::table.filter(ondertekenverzoeken::bewijs_id.eq_any(b())))
        .set((ondertekenverzoeken::email.eq(None::<String>), ondertekenverzoeken::naam.eq(None::<String>)))
        .execute(conn)?;
    let mails: Vec<i64> = mails.into_iter().flatten().collect();
    diesel::update(outbox::table.filter(outbox::id.eq_any(mails)))
        .set((outbox::ontvanger.eq(UITGEWIST), outbox::onderwerp.eq(UITGEWIST), outbox::inhoud.eq(None::<String>)))
        .execute(conn)?;

    let q = || doorverwijzingen::table.filter(doorverwijzingen::contract_id.eq_any(c()));
    diesel::update(q().filter(doorverwijzingen::warme_overdracht_notitie.is_not_null()))
        .set(doorverwijzingen::warme_overdracht_notitie.eq(UITGEWIST))
        .execute(conn)?;
    diesel::update(q().filter(doorverwijzingen::toeleider_naam.is_not_null()))
        .set((doorverwijzingen::toeleider_naam.eq(UITGEWIST), doorverwijzingen::toeleider_contact.eq(None::<String>)))
        .execute(conn)?;
    diesel::update(q().filter(doorverwijzingen::reden_afgebroken.is_not_null()))
        .set(doorverwijzingen::reden_afgebroken.eq(UITGEWIST))
        .execute(conn)?;
    Ok(true)
}
