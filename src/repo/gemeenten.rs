//! Queries on the reference data: municipalities, regional networks, 2025 mergers.

use std::collections::HashMap;

use diesel::prelude::*;

use crate::db::schema::{gemeente_fusies, gemeenten, regionale_netwerken};
use crate::db::{DbConn, MultiBackend};
use crate::domain::text::{fold, like_escape};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = gemeenten)]
pub struct GemeenteRow {
    pub nis_code: String,
    pub naam: String,
    pub gewest: String,
    pub provincie: Option<String>,
    pub referentieregio: Option<String>,
    pub referentieregio_code: Option<String>,
    pub regionaal_netwerk_code: String,
    pub postcodes: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = regionale_netwerken)]
pub struct NetwerkRow {
    pub code: String,
    pub naam: String,
    pub soort: String,
    pub nis_code: Option<String>,
    pub trekker: Option<String>,
    pub trekker_zekerheid: Option<String>,
    pub trekker_bron: Option<String>,
    pub opmerking: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct GemeenteFilter {
    pub netwerken: Vec<String>,
    pub provincies: Vec<String>,
    pub gewest: Option<String>,
    pub q: Option<String>,
}

type Boxed<'a> = gemeenten::BoxedQuery<'a, MultiBackend>;

fn filtered(f: &GemeenteFilter) -> Boxed<'static> {
    let mut query = gemeenten::table.into_boxed::<MultiBackend>();
    if !f.netwerken.is_empty() {
        query = query.filter(gemeenten::regionaal_netwerk_code.eq_any(f.netwerken.clone()));
    }
    if !f.provincies.is_empty() {
        query = query.filter(gemeenten::provincie.eq_any(f.provincies.clone()));
    }
    if let Some(g) = &f.gewest {
        query = query.filter(gemeenten::gewest.eq(g.clone()));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        let name = format!("%{}%", like_escape(&fold(q)));
        let postcode = format!("%{}%", like_escape(q));
        query = query
            .filter(gemeenten::zoeknaam.like(name).escape('\\').or(gemeenten::postcodes.like(postcode).escape('\\')));
    }
    query
}

pub fn list(conn: &mut DbConn, f: &GemeenteFilter, offset: i64, limit: i64) -> QueryResult<(Vec<GemeenteRow>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    let rows = filtered(f)
        .order((gemeenten::naam.asc(), gemeenten::nis_code.asc()))
        .offset(offset)
        .limit(limit)
        .select(GemeenteRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut DbConn, nis: &str) -> QueryResult<Option<GemeenteRow>> {
    gemeenten::table.find(nis).select(GemeenteRow::as_select()).first(conn).optional()
}

/// The municipality an old (pre-2025) NIS code was merged into.
pub fn merged_into(conn: &mut DbConn, old_nis: &str) -> QueryResult<Option<String>> {
    gemeente_fusies::table.find(old_nis).select(gemeente_fusies::new_nis).first(conn).optional()
}

/// Old municipalities that merged into `nis` on 2025-01-01: (old NIS, old name).
pub fn merged_from(conn: &mut DbConn, nis: &str) -> QueryResult<Vec<(String, String)>> {
    gemeente_fusies::table
        .filter(gemeente_fusies::new_nis.eq(nis))
        .order(gemeente_fusies::old_nis)
        .select((gemeente_fusies::old_nis, gemeente_fusies::old_naam))
        .load(conn)
}

pub fn netwerk_names(conn: &mut DbConn) -> QueryResult<HashMap<String, String>> {
    Ok(regionale_netwerken::table
        .select((regionale_netwerken::code, regionale_netwerken::naam))
        .load::<(String, String)>(conn)?
        .into_iter()
        .collect())
}

pub fn netwerken(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<(Vec<(NetwerkRow, i64)>, i64)> {
    let total = regionale_netwerken::table.count().get_result(conn)?;
    let rows = regionale_netwerken::table
        .order(regionale_netwerken::code)
        .offset(offset)
        .limit(limit)
        .select(NetwerkRow::as_select())
        .load(conn)?;
    let counts: HashMap<String, i64> = gemeenten::table
        .group_by(gemeenten::regionaal_netwerk_code)
        .select((gemeenten::regionaal_netwerk_code, diesel::dsl::count_star()))
        .load::<(String, i64)>(conn)?
        .into_iter()
        .collect();
    let rows = rows.into_iter().map(|n| {
        let count = counts.get(&n.code).copied().unwrap_or(0);
        (n, count)
    });
    Ok((rows.collect(), total))
}

pub fn netwerk(conn: &mut DbConn, code: &str) -> QueryResult<Option<NetwerkRow>> {
    regionale_netwerken::table.find(code).select(NetwerkRow::as_select()).first(conn).optional()
}

/// The municipalities of a network: (NIS code, name), by name.
pub fn netwerk_gemeenten(conn: &mut DbConn, code: &str) -> QueryResult<Vec<(String, String)>> {
    gemeenten::table
        .filter(gemeenten::regionaal_netwerk_code.eq(code))
        .order(gemeenten::naam)
        .select((gemeenten::nis_code, gemeenten::naam))
        .load(conn)
}

/// Which of `codes` are known municipalities (for validating references in request bodies).
pub fn existing(conn: &mut DbConn, codes: &[String]) -> QueryResult<Vec<String>> {
    gemeenten::table.filter(gemeenten::nis_code.eq_any(codes)).select(gemeenten::nis_code).load(conn)
}
