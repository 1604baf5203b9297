//! Referrals (doorverwijzingen), the offers' place counters and waiting lists. Reads take the
//! caller's access policy ([`Zicht`], `domain::toegang::doorverwijzingen`) and turn it into their
//! `WHERE`; the waiting list's order is `domain::doorverwijzing::vul_vrije_plaatsen`'s.
//!
//! Capacity without over-booking: every write that takes, frees or waits for a place of an
//! offer first calls [`vergrendel`], which locks the offer's row in `aanbod_plaatsen` until the
//! transaction ends (PostgreSQL: a row lock; SQLite: the write lock `BEGIN IMMEDIATE` already
//! holds). A place is then claimed with one conditional statement ([`claim`]): one row changed
//! means the place is taken, none means the waiting list. Freeing a place ([`geef_vrij`]) and
//! promoting the first in line ([`vul_vrije_plaatsen`]) happen in the same transaction.

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;
use diesel::sql_types::Bool;

use crate::db::schema::{aanbod, aanbod_plaatsen, doorverwijzingen, inburgeraars, inburgeringscontracten};
use crate::db::{DbConn, MultiBackend};
use crate::domain::aanbod::{AanbodStatus, Aanbodtype};
use crate::domain::contract::ContractStatus;
use crate::domain::doorverwijzing::{
    self as regels, AangemeldDoor, Begeleiding, DoorverwijzingStatus, Opvulling, Toeleider, Wachtende,
};
use crate::domain::ids::OrganisatieId;
use crate::domain::toegang::doorverwijzingen::{Betrokkenen, Zicht};
use crate::with_backend;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = doorverwijzingen)]
pub struct DoorverwijzingRow {
    pub id: i64,
    pub contract_id: i64,
    pub aanbod_id: i64,
    pub status: DoorverwijzingStatus,
    pub warme_overdracht: bool,
    pub warme_overdracht_notitie: Option<String>,
    pub toeleider_naam: Option<String>,
    pub toeleider_contact: Option<String>,
    pub reden_afgebroken: Option<String>,
    pub plaats_toegekend_op: Option<NaiveDateTime>,
    pub gestart_op: Option<NaiveDate>,
    pub afgerond_op: Option<NaiveDate>,
    pub afgebroken_op: Option<NaiveDate>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub aangemaakt_door: String,
    pub gewijzigd_op: NaiveDateTime,
    pub aangemeld_door: AangemeldDoor,
}

/// What a client writes about a referral besides its status.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq, Eq)]
#[diesel(table_name = doorverwijzingen, treat_none_as_null = true)]
pub struct DetailVelden {
    pub warme_overdracht: bool,
    pub warme_overdracht_notitie: Option<String>,
    pub toeleider_naam: Option<String>,
    pub toeleider_contact: Option<String>,
}

impl From<Begeleiding> for DetailVelden {
    fn from(b: Begeleiding) -> DetailVelden {
        let (toeleider_naam, toeleider_contact) = b.toeleider.map_or((None, None), |t| (Some(t.naam), t.contact));
        DetailVelden {
            warme_overdracht: b.warme_overdracht,
            warme_overdracht_notitie: b.warme_overdracht_notitie,
            toeleider_naam,
            toeleider_contact,
        }
    }
}

impl DoorverwijzingRow {
    /// The warm handover and companion as stored.
    pub fn begeleiding(&self) -> Begeleiding {
        Begeleiding {
            warme_overdracht: self.warme_overdracht,
            warme_overdracht_notitie: self.warme_overdracht_notitie.clone(),
            toeleider: self
                .toeleider_naam
                .clone()
                .map(|naam| Toeleider { naam, contact: self.toeleider_contact.clone() }),
        }
    }
}

/// A status change: the fields it sets (`None` leaves a field as it is).
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = doorverwijzingen)]
pub struct StatusVelden {
    pub status: Option<DoorverwijzingStatus>,
    pub reden_afgebroken: Option<String>,
    pub plaats_toegekend_op: Option<NaiveDateTime>,
    pub gestart_op: Option<NaiveDate>,
    pub afgerond_op: Option<NaiveDate>,
    pub afgebroken_op: Option<NaiveDate>,
}

/// What a referral document shows besides the row: its contract, newcomer and offer.
#[derive(Debug, Clone)]
pub struct Context {
    pub trajectbegeleider: String,
    pub inburgeraar_id: i64,
    pub voornaam: String,
    pub achternaam: String,
    pub contacttaal: String,
    pub gebruiker_id: Option<String>,
    pub aanbod_titel: String,
    pub aanbod_organisatie: Option<OrganisatieId>,
    /// Place on the offer's waiting list (1 = next), for referrals on it.
    pub wachtlijst_positie: Option<i64>,
    /// Who made the referral.
    pub aangemeld_door: AangemeldDoor,
}

impl Context {
    /// Who the referral concerns, for the access policy: the same columns [`zichtbaar`] tests.
    pub fn betrokkenen(&self) -> Betrokkenen<'_> {
        Betrokkenen {
            trajectbegeleider: &self.trajectbegeleider,
            gebruiker_id: self.gebruiker_id.as_deref(),
            aanbod_organisatie: self.aanbod_organisatie,
            aangemeld_door: self.aangemeld_door,
        }
    }
}

type Predicate = Box<dyn BoxableExpression<doorverwijzingen::table, MultiBackend, SqlType = Bool>>;
type Boxed = doorverwijzingen::BoxedQuery<'static, MultiBackend>;

/// The policy's filter as SQL: the referrals related to the caller in one of its ways.
fn zichtbaar(q: Boxed, z: &Zicht) -> Boxed {
    if z.contracten.alles {
        return q;
    }
    let mut predicates: Vec<Predicate> = Vec::new();
    if let Some(tb) = &z.contracten.caseload {
        predicates.push(Box::new(
            doorverwijzingen::contract_id.eq_any(
                inburgeringscontracten::table
                    .filter(inburgeringscontracten::trajectbegeleider.eq(tb.clone()))
                    .select(inburgeringscontracten::id),
            ),
        ));
    }
    if let Some(sub) = &z.contracten.eigen {
        predicates.push(Box::new(
            doorverwijzingen::contract_id.eq_any(
                inburgeringscontracten::table
                    .inner_join(inburgeraars::table)
                    .filter(inburgeraars::gebruiker_id.assume_not_null().eq(sub.clone()))
                    .select(inburgeringscontracten::id),
            ),
        ));
    }
    if let Some(org) = z.organisatie {
        predicates.push(Box::new(
            doorverwijzingen::aanbod_id
                .eq_any(aanbod::table.filter(aanbod::organisatie_id.eq(org.0)).select(aanbod::id)),
        ));
    }
    match predicates.into_iter().reduce(|a, b| Box::new(a.or(b))) {
        Some(p) => q.filter(p),
        None => q.filter(not(doorverwijzingen::id.eq(doorverwijzingen::id))),
    }
}

#[derive(Debug, Clone, Default)]
pub struct Filter {
    pub contracten: Vec<i64>,
    pub aanbod: Vec<i64>,
    pub statussen: Vec<DoorverwijzingStatus>,
    pub aangemeld_door: Vec<AangemeldDoor>,
}

fn gefilterd(z: &Zicht, f: &Filter) -> Boxed {
    let mut q = zichtbaar(doorverwijzingen::table.into_boxed(), z);
    if !f.contracten.is_empty() {
        q = q.filter(doorverwijzingen::contract_id.eq_any(f.contracten.clone()));
    }
    if !f.aanbod.is_empty() {
        q = q.filter(doorverwijzingen::aanbod_id.eq_any(f.aanbod.clone()));
    }
    if !f.statussen.is_empty() {
        q = q.filter(doorverwijzingen::status.eq_any(f.statussen.clone()));
    }
    if !f.aangemeld_door.is_empty() {
        q = q.filter(doorverwijzingen::aangemeld_door.eq_any(f.aangemeld_door.clone()));
    }
    q
}

/// A page of the referrals `z` sees, oldest first (the order of the waiting lists).
pub fn list(
    conn: &mut DbConn,
    z: &Zicht,
    f: &Filter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<DoorverwijzingRow>, i64)> {
    let total = gefilterd(z, f).count().get_result(conn)?;
    let rows = gefilterd(z, f)
        .order(doorverwijzingen::id.asc())
        .offset(offset)
        .limit(limit)
        .select(DoorverwijzingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The referral, if `z` sees it.
pub fn find(conn: &mut DbConn, z: &Zicht, id: i64) -> QueryResult<Option<DoorverwijzingRow>> {
    gefilterd(z, &Filter::default())
        .filter(doorverwijzingen::id.eq(id))
        .select(DoorverwijzingRow::as_select())
        .first(conn)
        .optional()
}

/// The context of each of `rows` (every row gets one).
pub fn context(conn: &mut DbConn, rows: &[DoorverwijzingRow]) -> QueryResult<HashMap<i64, Context>> {
    let contract_ids: Vec<i64> = rows.iter().map(|r| r.contract_id).collect();
    let aanbod_ids: Vec<i64> = rows.iter().map(|r| r.aanbod_id).collect();
    type Persoon = (i64, String, i64, String, String, String, Option<String>);
    let personen: HashMap<i64, Persoon> = inburgeringscontracten::table
        .inner_join(inburgeraars::table)
        .filter(inburgeringscontracten::id.eq_any(&contract_ids))
        .select((
            inburgeringscontracten::id,
            inburgeringscontracten::trajectbegeleider,
            inburgeraars::id,
            inburgeraars::voornaam,
            inburgeraars::achternaam,
            inburgeraars::contacttaal,
            inburgeraars::gebruiker_id,
        ))
        .load::<Persoon>(conn)?
        .into_iter()
        .map(|p| (p.0, p))
        .collect();
    let aanbod: HashMap<i64, (String, Option<i64>)> = aanbod::table
        .filter(aanbod::id.eq_any(&aanbod_ids))
        .select((aanbod::id, aanbod::titel_nl, aanbod::organisatie_id))
        .load::<(i64, String, Option<i64>)>(conn)?
        .into_iter()
        .map(|(id, titel, org)| (id, (titel, org)))
        .collect();
    let mut out = HashMap::new();
    for r in rows {
        let (Some(p), Some(a)) = (personen.get(&r.contract_id), aanbod.get(&r.aanbod_id)) else {
            return Err(diesel::result::Error::NotFound);
        };
        let positie = if r.status == DoorverwijzingStatus::Wachtlijst {
            Some(wachtlijst_positie(conn, r.aanbod_id, r.id)?)
        } else {
            None
        };
        out.insert(
            r.id,
            Context {
                trajectbegeleider: p.1.clone(),
                inburgeraar_id: p.2,
                voornaam: p.3.clone(),
                achternaam: p.4.clone(),
                contacttaal: p.5.clone(),
                gebruiker_id: p.6.clone(),
                aanbod_titel: a.0.clone(),
                aanbod_organisatie: a.1.map(OrganisatieId),
                wachtlijst_positie: positie,
                aangemeld_door: r.aangemeld_door,
            },
        );
    }
    Ok(out)
}

/// The open (voorgesteld, wachtlijst, gestart) referral of a contract to an offer, if any.
pub fn open_van(conn: &mut DbConn, contract_id: i64, aanbod_id: i64) -> QueryResult<Option<i64>> {
    doorverwijzingen::table
        .filter(doorverwijzingen::contract_id.eq(contract_id))
        .filter(doorverwijzingen::aanbod_id.eq(aanbod_id))
        .filter(doorverwijzingen::status.eq_any(DoorverwijzingStatus::OPEN))
        .select(doorverwijzingen::id)
        .first(conn)
        .optional()
}

#[allow(clippy::too_many_arguments)]
pub fn insert(
    conn: &mut DbConn,
    contract_id: i64,
    aanbod_id: i64,
    status: DoorverwijzingStatus,
    aangemeld_door: AangemeldDoor,
    details: &DetailVelden,
    door: &str,
    nu: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(doorverwijzingen::table)
        .values((
            details,
            doorverwijzingen::contract_id.eq(contract_id),
            doorverwijzingen::aanbod_id.eq(aanbod_id),
            doorverwijzingen::status.eq(status),
            doorverwijzingen::aangemeld_door.eq(aangemeld_door),
            doorverwijzingen::plaats_toegekend_op.eq(status.bezet_plaats().then_some(nu)),
            doorverwijzingen::versie.eq(1i64),
            doorverwijzingen::aangemaakt_op.eq(nu),
            doorverwijzingen::aangemaakt_door.eq(door),
            doorverwijzingen::gewijzigd_op.eq(nu),
        ))
        .returning(doorverwijzingen::id)
        .get_result(conn)
}

/// Sets a new status if the referral is still at `versie`; false when it moved on.
pub fn zet_status(conn: &mut DbConn, id: i64, versie: i64, v: &StatusVelden, nu: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(doorverwijzingen::table.filter(doorverwijzingen::id.eq(id)))
        .filter(doorverwijzingen::versie.eq(versie))
        .set((v, doorverwijzingen::versie.eq(versie + 1), doorverwijzingen::gewijzigd_op.eq(nu)))
        .execute(conn)?;
    Ok(n == 1)
}

/// Replaces the warm handover and companion if the referral is still at `versie`.
pub fn zet_details(conn: &mut DbConn, id: i64, versie: i64, v: &DetailVelden, nu: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(doorverwijzingen::table.filter(doorverwijzingen::id.eq(id)))
        .filter(doorverwijzingen::versie.eq(versie))
        .set((v, doorverwijzingen::versie.eq(versie + 1), doorverwijzingen::gewijzigd_op.eq(nu)))
        .execute(conn)?;
    Ok(n == 1)
}

// --- places and waiting lists ---------------------------------------------------------------

/// The `capaciteit` of an offer (`None` inside: no limit), if the offer exists.
pub fn capaciteit(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<Option<Option<i32>>> {
    aanbod::table.find(aanbod_id).select(aanbod::capaciteit).first(conn).optional()
}

/// The `capaciteit` of an offer, if it is published (the only offers referred to).
pub fn capaciteit_gepubliceerd(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<Option<Option<i32>>> {
    aanbod::table
        .find(aanbod_id)
        .filter(aanbod::status.eq(AanbodStatus::Gepubliceerd.as_str()))
        .select(aanbod::capaciteit)
        .first(conn)
        .optional()
}

/// Locks the place counter of an offer (creating it at 0) until the transaction ends, so the
/// referral writes on one offer run one after the other on both backends.
pub fn vergrendel(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<()> {
    with_backend!(conn, |c| diesel::insert_into(aanbod_plaatsen::table)
        .values((
            aanbod_plaatsen::aanbod_id.eq(aanbod_id),
            aanbod_plaatsen::bezet.eq(0),
            aanbod_plaatsen::slot.eq(0i64)
        ))
        .on_conflict_do_nothing()
        .execute(c))?;
    diesel::update(aanbod_plaatsen::table.find(aanbod_id))
        .set(aanbod_plaatsen::slot.eq(aanbod_plaatsen::slot + 1i64))
        .execute(conn)?;
    Ok(())
}

/// Takes a place if one is free (`capaciteit` `None`: no limit). True when the place is taken.
pub fn claim(conn: &mut DbConn, aanbod_id: i64, capaciteit: Option<i32>) -> QueryResult<bool> {
    let doel = aanbod_plaatsen::table.filter(aanbod_plaatsen::aanbod_id.eq(aanbod_id));
    let n = match capaciteit {
        Some(cap) => diesel::update(doel.filter(aanbod_plaatsen::bezet.lt(cap)))
            .set(aanbod_plaatsen::bezet.eq(aanbod_plaatsen::bezet + 1))
            .execute(conn)?,
        None => diesel::update(doel).set(aanbod_plaatsen::bezet.eq(aanbod_plaatsen::bezet + 1)).execute(conn)?,
    };
    Ok(n == 1)
}

/// Gives a place back.
pub fn geef_vrij(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<()> {
    diesel::update(aanbod_plaatsen::table.filter(aanbod_plaatsen::aanbod_id.eq(aanbod_id)))
        .filter(aanbod_plaatsen::bezet.gt(0))
        .set(aanbod_plaatsen::bezet.eq(aanbod_plaatsen::bezet - 1))
        .execute(conn)?;
    Ok(())
}

/// Places taken of each of `aanbod_ids` (0 for offers without referrals).
pub fn bezet(conn: &mut DbConn, aanbod_ids: &[i64]) -> QueryResult<HashMap<i64, i32>> {
    let rows: Vec<(i64, i32)> = aanbod_plaatsen::table
        .filter(aanbod_plaatsen::aanbod_id.eq_any(aanbod_ids))
        .select((aanbod_plaatsen::aanbod_id, aanbod_plaatsen::bezet))
        .load(conn)?;
    let mut out: HashMap<i64, i32> = aanbod_ids.iter().map(|id| (*id, 0)).collect();
    out.extend(rows);
    Ok(out)
}

/// Whether anyone waits for a place of the offer.
pub fn heeft_wachtenden(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        doorverwijzingen::table
            .filter(doorverwijzingen::aanbod_id.eq(aanbod_id))
            .filter(doorverwijzingen::status.eq(DoorverwijzingStatus::Wachtlijst)),
    ))
    .get_result(conn)
}

/// 1 for the first in line (the waiting list is in order of referral: by id).
fn wachtlijst_positie(conn: &mut DbConn, aanbod_id: i64, id: i64) -> QueryResult<i64> {
    doorverwijzingen::table
        .filter(doorverwijzingen::aanbod_id.eq(aanbod_id))
        .filter(doorverwijzingen::status.eq(DoorverwijzingStatus::Wachtlijst))
        .filter(doorverwijzingen::id.le(id))
        .count()
        .get_result(conn)
}

/// A status write under the offer's lock: no one else can have changed the referral, so a
/// lost version is a bug — fail (and roll back) rather than leave the place counter off.
fn zet_onder_slot(conn: &mut DbConn, rij: &DoorverwijzingRow, v: &StatusVelden, nu: NaiveDateTime) -> QueryResult<()> {
    if zet_status(conn, rij.id, rij.versie, v, nu)? {
        Ok(())
    } else {
        Err(onder_slot_gewijzigd(format!("referral {}", rij.id)))
    }
}

fn onder_slot_gewijzigd(wat: String) -> diesel::result::Error {
    diesel::result::Error::QueryBuilderError(format!("{wat} changed while the offer was locked").into())
}

/// Gives free places to the waiting list as the waiting-list policy decides
/// (`domain::doorverwijzing::vul_vrije_plaatsen`: first come first served, waiting referrals of
/// contracts that stopped running broken off on the way). Call with the offer locked
/// ([`vergrendel`]).
pub fn vul_vrije_plaatsen(
    conn: &mut DbConn,
    aanbod_id: i64,
    capaciteit: Option<i32>,
    nu: NaiveDateTime,
) -> QueryResult<Opvulling> {
    let wachtend: HashMap<i64, (DoorverwijzingRow, ContractStatus)> = doorverwijzingen::table
        .inner_join(inburgeringscontracten::table)
        .filter(doorverwijzingen::aanbod_id.eq(aanbod_id))
        .filter(doorverwijzingen::status.eq(DoorverwijzingStatus::Wachtlijst))
        .select((DoorverwijzingRow::as_select(), inburgeringscontracten::status))
        .load::<(DoorverwijzingRow, String)>(conn)?
        .into_iter()
        .map(|(rij, status)| Ok((rij.id, (rij, parse_contract_status(&status)?))))
        .collect::<QueryResult<_>>()?;
    if wachtend.is_empty() {
        return Ok(Opvulling::default());
    }
    let bezet = bezet(conn, &[aanbod_id])?.get(&aanbod_id).copied().unwrap_or(0);
    let rij: Vec<Wachtende> =
        wachtend.values().map(|(r, s)| Wachtende { id: r.id, contract_lopend: s.is_lopend() }).collect();
    let opvulling = regels::vul_vrije_plaatsen(&rij, regels::vrije_plaatsen(capaciteit, bezet));
    for id in &opvulling.afgevoerd {
        let v = StatusVelden {
            status: Some(DoorverwijzingStatus::Afgebroken),
            reden_afgebroken: Some(regels::REDEN_CONTRACT_AFGELOPEN.into()),
            afgebroken_op: Some(nu.date()),
            ..Default::default()
        };
        zet_onder_slot(conn, &wachtend[id].0, &v, nu)?;
    }
    for id in &opvulling.gepromoveerd {
        if !claim(conn, aanbod_id, capaciteit)? {
            return Err(onder_slot_gewijzigd(format!("the places of offer {aanbod_id}")));
        }
        let v = StatusVelden {
            status: Some(DoorverwijzingStatus::Voorgesteld),
            plaats_toegekend_op: Some(nu),
            ..Default::default()
        };
        zet_onder_slot(conn, &wachtend[id].0, &v, nu)?;
    }
    Ok(opvulling)
}

fn parse_contract_status(s: &str) -> QueryResult<ContractStatus> {
    ContractStatus::parse(s).ok_or_else(|| {
        diesel::result::Error::DeserializationError(format!("'{s}' is not a stored ContractStatus").into())
    })
}

// --- for suggestions --------------------------------------------------------------------------

/// Offers the contract has a referral in progress for (not suggested again).
pub fn open_aanbod_van_contract(conn: &mut DbConn, contract_id: i64) -> QueryResult<HashSet<i64>> {
    Ok(doorverwijzingen::table
        .filter(doorverwijzingen::contract_id.eq(contract_id))
        .filter(doorverwijzingen::status.eq_any(DoorverwijzingStatus::OPEN))
        .select(doorverwijzingen::aanbod_id)
        .load::<i64>(conn)?
        .into_iter()
        .collect())
}

/// Types of activity (`aanbodtype`) a newcomer did or is doing: the offers of their referrals
/// that started (over all their contracts), plus the types their proofs show hours for.
pub fn gedane_types(conn: &mut DbConn, inburgeraar_id: i64) -> QueryResult<HashSet<Aanbodtype>> {
    let types: HashSet<Aanbodtype> = doorverwijzingen::table
        .inner_join(inburgeringscontracten::table)
        .inner_join(aanbod::table)
        .filter(inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id))
        .filter(doorverwijzingen::gestart_op.is_not_null())
        .select(aanbod::aanbodtype)
        .distinct()
        .load::<Aanbodtype>(conn)?
        .into_iter()
        .chain(crate::repo::deelnamebewijzen::gedane_types(conn, inburgeraar_id)?)
        .collect();
    Ok(types)
}
