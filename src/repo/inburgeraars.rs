//! Newcomers: storage, the visibility filter of R15 in SQL, duplicate detection, and the
//! municipal list of R16. Every read of a newcomer takes the caller's [`Zicht`]; a write
//! returns the row as stored.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{exists, not};
use diesel::prelude::*;

use crate::app::document::Document;
use crate::db::schema::{inburgeraars, inburgeringscontracten};
use crate::db::{DbConn, MultiBackend};
use crate::domain::ids::Insz;
use crate::domain::inburgeraar::{KbiSyncStatus, Statuut, Voortraject};
use crate::domain::nis::NisCode;
use crate::domain::toegang::Zicht;
use crate::domain::toegang::personen::KbiSync;
use crate::repo::Json;

/// The audit log's resource type for newcomers.
pub const RESOURCE: &str = "inburgeraar";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = inburgeraars)]
pub struct InburgeraarRow {
    pub id: i64,
    pub dossiernummer: String,
    pub voornaam: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub rijksregisternummer: Option<Insz>,
    pub contacttaal: String,
    pub gemeente: NisCode,
    pub statuut: Statuut,
    pub email: Option<String>,
    pub telefoon: Option<String>,
    pub adres: Option<String>,
    pub gebruiker_id: Option<String>,
    pub kbi_sync_status: KbiSyncStatus,
    pub trajectbegeleider: String,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
    pub tijdelijke_bescherming_sinds: Option<NaiveDate>,
    pub voortrajecten: Json<Vec<Voortraject>>,
}

impl Document for InburgeraarRow {
    const RESOURCE: &'static str = RESOURCE;

    fn key(&self) -> String {
        self.id.to_string()
    }

    fn version(&self) -> i64 {
        self.versie
    }
}

/// The writable fields of a newcomer, as stored. Used for insert and for a full update (`PUT`):
/// `None` clears an optional field.
#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = inburgeraars, treat_none_as_null = true)]
pub struct InburgeraarWaarden {
    pub dossiernummer: String,
    pub voornaam: String,
    pub achternaam: String,
    pub geboortedatum: NaiveDate,
    pub rijksregisternummer: Option<Insz>,
    pub contacttaal: String,
    pub gemeente: NisCode,
    pub statuut: Statuut,
    pub email: Option<String>,
    pub telefoon: Option<String>,
    pub adres: Option<String>,
    pub gebruiker_id: Option<String>,
    pub kbi_sync_status: KbiSyncStatus,
    pub trajectbegeleider: String,
    pub tijdelijke_bescherming_sinds: Option<NaiveDate>,
    /// The JSON list of [`Voortraject`]s (read back as [`Json`]).
    pub voortrajecten: String,
}

type Boxed<'a> = inburgeraars::BoxedQuery<'a, MultiBackend>;
type Predicate = Box<dyn BoxableExpression<inburgeraars::table, MultiBackend, SqlType = diesel::sql_types::Bool>>;

/// R15 in SQL: the newcomers `zicht` may see. A trajectbegeleider sees their caseload and the
/// newcomers of their contracts (also earlier ones); an inburgeraar only themself.
fn zichtbaar<'a>(query: Boxed<'a>, zicht: &Zicht) -> Boxed<'a> {
    if zicht.alles {
        return query;
    }
    let mut predicates: Vec<Predicate> = Vec::new();
    if let Some(tb) = &zicht.caseload {
        let eigen_contracten = inburgeringscontracten::table
            .filter(inburgeringscontracten::trajectbegeleider.eq(tb.clone()))
            .filter(inburgeringscontracten::inburgeraar_id.eq(inburgeraars::id));
        predicates.push(Box::new(inburgeraars::trajectbegeleider.eq(tb.clone()).or(exists(eigen_contracten))));
    }
    if let Some(sub) = &zicht.eigen {
        predicates.push(Box::new(inburgeraars::gebruiker_id.assume_not_null().eq(sub.clone())));
    }
    let combined = predicates.into_iter().reduce(|a, b| Box::new(a.or(b)));
    match combined {
        Some(p) => query.filter(p),
        // Nobody without a view reaches this, but never fail open.
        None => query.filter(not(inburgeraars::id.eq(inburgeraars::id))),
    }
}

/// The row just written (by a caller allowed to write it).
fn written(conn: &mut DbConn, id: i64) -> QueryResult<InburgeraarRow> {
    inburgeraars::table.find(id).select(InburgeraarRow::as_select()).first(conn)
}

/// Stores a new newcomer at version 1.
pub fn insert(conn: &mut DbConn, w: &InburgeraarWaarden, nu: NaiveDateTime) -> QueryResult<InburgeraarRow> {
    let id = diesel::insert_into(inburgeraars::table)
        .values((w, inburgeraars::versie.eq(1), inburgeraars::aangemaakt_op.eq(nu), inburgeraars::gewijzigd_op.eq(nu)))
        .returning(inburgeraars::id)
        .get_result(conn)?;
    written(conn, id)
}

/// A full update, only if the stored version is `versie` (optimistic concurrency in SQL): the
/// row as stored, or `None` when the version moved (or the row is gone).
pub fn update(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    w: &InburgeraarWaarden,
    nu: NaiveDateTime,
) -> QueryResult<Option<InburgeraarRow>> {
    let n = diesel::update(inburgeraars::table.filter(inburgeraars::id.eq(id)).filter(inburgeraars::versie.eq(versie)))
        .set((w, inburgeraars::versie.eq(inburgeraars::versie + 1), inburgeraars::gewijzigd_op.eq(nu)))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { written(conn, id).map(Some) }
}

/// Sets the KBI sync status (the KBI synchronisation's only write), bumping the version;
/// `false` when the row is no longer at `versie` (a lost race).
pub fn set_kbi_sync_status(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    status: KbiSyncStatus,
    nu: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(inburgeraars::table.filter(inburgeraars::id.eq(id)).filter(inburgeraars::versie.eq(versie)))
        .set((
            inburgeraars::kbi_sync_status.eq(status),
            inburgeraars::versie.eq(inburgeraars::versie + 1),
            inburgeraars::gewijzigd_op.eq(nu),
        ))
        .execute(conn)
        .map(|n| n == 1)
}

/// Moves a newcomer into `tb`'s caseload (when their running contract moves there), bumping the
/// version; a newcomer already there stays as is.
pub fn set_trajectbegeleider(conn: &mut DbConn, id: i64, tb: &str, nu: NaiveDateTime) -> QueryResult<usize> {
    diesel::update(inburgeraars::table.filter(inburgeraars::id.eq(id)).filter(inburgeraars::trajectbegeleider.ne(tb)))
        .set((
            inburgeraars::trajectbegeleider.eq(tb),
            inburgeraars::versie.eq(inburgeraars::versie + 1),
            inburgeraars::gewijzigd_op.eq(nu),
        ))
        .execute(conn)
}

/// The newcomer, if `zicht` may see them.
pub fn find_visible(conn: &mut DbConn, zicht: &Zicht, id: i64) -> QueryResult<Option<InburgeraarRow>> {
    zichtbaar(inburgeraars::table.into_boxed(), zicht)
        .filter(inburgeraars::id.eq(id))
        .select(InburgeraarRow::as_select())
        .first(conn)
        .optional()
}

/// The newcomer whose KBI status the synchronisation sets (it reads nothing from the row but
/// its version).
pub fn find_voor_kbi_sync(conn: &mut DbConn, _: &KbiSync, id: i64) -> QueryResult<Option<InburgeraarRow>> {
    inburgeraars::table.find(id).select(InburgeraarRow::as_select()).first(conn).optional()
}

/// Which unique field of another newcomer `w` would duplicate, and that newcomer's id.
pub fn duplicaat(
    conn: &mut DbConn,
    w: &InburgeraarWaarden,
    behalve: Option<i64>,
) -> QueryResult<Option<(&'static str, i64)>> {
    let candidates: [(&'static str, Option<Boxed<'static>>); 3] = [
        (
            "dossiernummer",
            Some(inburgeraars::table.into_boxed().filter(inburgeraars::dossiernummer.eq(w.dossiernummer.clone()))),
        ),
        (
            "rijksregisternummer",
            w.rijksregisternummer
                .clone()
                .map(|r| inburgeraars::table.into_boxed().filter(inburgeraars::rijksregisternummer.eq(r))),
        ),
        (
            "gebruikerId",
            w.gebruiker_id.clone().map(|g| inburgeraars::table.into_boxed().filter(inburgeraars::gebruiker_id.eq(g))),
        ),
    ];
    for (veld, query) in candidates {
        let Some(mut query) = query else { continue };
        if let Some(id) = behalve {
            query = query.filter(inburgeraars::id.ne(id));
        }
        if let Some(id) = query.select(inburgeraars::id).first::<i64>(conn).optional()? {
            return Ok(Some((veld, id)));
        }
    }
    Ok(None)
}

#[derive(Default, Debug, Clone)]
pub struct InburgeraarFilter {
    pub trajectbegeleiders: Vec<String>,
    pub gemeenten: Vec<String>,
    pub statuut: Option<Statuut>,
    pub kbi_sync_statussen: Vec<KbiSyncStatus>,
    pub dossiernummers: Vec<String>,
}

fn gefilterd(zicht: &Zicht, f: &InburgeraarFilter) -> Boxed<'static> {
    let mut q = zichtbaar(inburgeraars::table.into_boxed(), zicht);
    if !f.trajectbegeleiders.is_empty() {
        q = q.filter(inburgeraars::trajectbegeleider.eq_any(f.trajectbegeleiders.clone()));
    }
    if !f.gemeenten.is_empty() {
        q = q.filter(inburgeraars::gemeente.eq_any(f.gemeenten.clone()));
    }
    if let Some(s) = f.statuut {
        q = q.filter(inburgeraars::statuut.eq(s));
    }
    if !f.kbi_sync_statussen.is_empty() {
        q = q.filter(inburgeraars::kbi_sync_status.eq_any(f.kbi_sync_statussen.clone()));
    }
    if !f.dossiernummers.is_empty() {
        q = q.filter(inburgeraars::dossiernummer.eq_any(f.dossiernummers.clone()));
    }
    q
}

/// A page of the newcomers `zicht` may see, by name.
pub fn list(
    conn: &mut DbConn,
    zicht: &Zicht,
    f: &InburgeraarFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<InburgeraarRow>, i64)> {
    let total = gefilterd(zicht, f).count().get_result(conn)?;
    let rows = gefilterd(zicht, f)
        .order((inburgeraars::achternaam.asc(), inburgeraars::voornaam.asc(), inburgeraars::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(InburgeraarRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// One line of the municipal list (R16): exactly what art. 20 §7 allows, plus the id for the
/// audit log (never shown).
#[derive(Debug, Clone)]
pub struct GemeentelijstRegel {
    pub id: i64,
    pub achternaam: String,
    pub voornaam: String,
    pub rijksregisternummer: Option<Insz>,
    pub heeft_contract: bool,
    pub attest_behaald: bool,
}

/// The residents of municipality `nis`, by name, with whether they have a contract and an attest
/// (for a caller `domain::toegang::personen::mag_gemeentelijst_lezen` admits).
pub fn gemeentelijst(
    conn: &mut DbConn,
    nis: &NisCode,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<GemeentelijstRegel>, i64)> {
    let total = inburgeraars::table.filter(inburgeraars::gemeente.eq(nis)).count().get_result(conn)?;
    let rows: Vec<(i64, String, String, Option<Insz>)> = inburgeraars::table
        .filter(inburgeraars::gemeente.eq(nis))
        .order((inburgeraars::achternaam.asc(), inburgeraars::voornaam.asc(), inburgeraars::id.asc()))
        .offset(offset)
        .limit(limit)
        .select((inburgeraars::id, inburgeraars::achternaam, inburgeraars::voornaam, inburgeraars::rijksregisternummer))
        .load(conn)?;
    let ids: Vec<i64> = rows.iter().map(|r| r.0).collect();
    // Per newcomer: (has a contract, has an attest).
    let mut contracten: HashMap<i64, (bool, bool)> = HashMap::new();
    for (inburgeraar, attest) in inburgeringscontracten::table
        .filter(inburgeringscontracten::inburgeraar_id.eq_any(&ids))
        .select((inburgeringscontracten::inburgeraar_id, inburgeringscontracten::attest_uitgereikt_op))
        .load::<(i64, Option<NaiveDate>)>(conn)?
    {
        let e = contracten.entry(inburgeraar).or_default();
        e.0 = true;
        e.1 |= attest.is_some();
    }
    let regels = rows
        .into_iter()
        .map(|(id, achternaam, voornaam, rijksregisternummer)| {
            let (heeft_contract, attest_behaald) = contracten.get(&id).copied().unwrap_or_default();
            GemeentelijstRegel { id, achternaam, voornaam, rijksregisternummer, heeft_contract, attest_behaald }
        })
        .collect();
    Ok((regels, total))
}
