//! A network's action plan.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::netwerk_acties;
use crate::db::{DbConn, MultiBackend};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = netwerk_acties)]
pub struct ActieRow {
    pub id: i64,
    pub netwerk_code: String,
    pub titel: String,
    pub beschrijving: Option<String>,
    pub status: String,
    pub deadline: Option<NaiveDate>,
    pub trekker: Option<String>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = netwerk_acties, treat_none_as_null = true)]
pub struct ActieVelden {
    pub titel: String,
    pub beschrijving: Option<String>,
    pub status: String,
    pub deadline: Option<NaiveDate>,
    pub trekker: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct ActieFilter {
    pub statussen: Vec<String>,
    /// Open (`gepland`/`lopend`) with a deadline before this date.
    pub achterstallig_op: Option<NaiveDate>,
}

fn gefilterd(code: &str, f: &ActieFilter) -> netwerk_acties::BoxedQuery<'static, MultiBackend> {
    let mut q = netwerk_acties::table.filter(netwerk_acties::netwerk_code.eq(code.to_string())).into_boxed();
    if !f.statussen.is_empty() {
        q = q.filter(netwerk_acties::status.eq_any(f.statussen.clone()));
    }
    if let Some(d) = f.achterstallig_op {
        q = q
            .filter(netwerk_acties::status.eq_any(["gepland", "lopend"]))
            .filter(netwerk_acties::deadline.lt(d).assume_not_null());
    }
    q
}

/// A page of a network's actions: by deadline (those without one last), then id.
pub fn list(
    conn: &mut DbConn,
    code: &str,
    f: &ActieFilter,
    page: Option<(i64, i64)>,
) -> QueryResult<(Vec<ActieRow>, i64)> {
    let total = gefilterd(code, f).count().get_result(conn)?;
    let mut q = gefilterd(code, f).order((
        netwerk_acties::deadline.is_null().asc(),
        netwerk_acties::deadline.asc(),
        netwerk_acties::id.asc(),
    ));
    if let Some((offset, limit)) = page {
        q = q.offset(offset).limit(limit);
    }
    Ok((q.select(ActieRow::as_select()).load(conn)?, total))
}

pub fn find(conn: &mut DbConn, code: &str, id: i64) -> QueryResult<Option<ActieRow>> {
    netwerk_acties::table
        .filter(netwerk_acties::id.eq(id))
        .filter(netwerk_acties::netwerk_code.eq(code))
        .select(ActieRow::as_select())
        .first(conn)
        .optional()
}

pub fn insert(conn: &mut DbConn, code: &str, v: &ActieVelden, nu: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(netwerk_acties::table)
        .values((
            v,
            netwerk_acties::netwerk_code.eq(code),
            netwerk_acties::versie.eq(1i64),
            netwerk_acties::aangemaakt_op.eq(nu),
            netwerk_acties::gewijzigd_op.eq(nu),
        ))
        .returning(netwerk_acties::id)
        .get_result(conn)
}

pub fn update(conn: &mut DbConn, id: i64, versie: i64, v: &ActieVelden, nu: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(netwerk_acties::table.filter(netwerk_acties::id.eq(id)))
        .filter(netwerk_acties::versie.eq(versie))
        .set((v, netwerk_acties::versie.eq(versie + 1), netwerk_acties::gewijzigd_op.eq(nu)))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: i64, versie: i64) -> QueryResult<bool> {
    let n = diesel::delete(netwerk_acties::table.filter(netwerk_acties::id.eq(id)))
        .filter(netwerk_acties::versie.eq(versie))
        .execute(conn)?;
    Ok(n == 1)
}

/// Every action of the network (the compliance view counts them all).
pub fn alle(conn: &mut DbConn, code: &str) -> QueryResult<Vec<ActieRow>> {
    list(conn, code, &ActieFilter::default(), None).map(|(rows, _)| rows)
}
