//! A network's action plan.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::netwerk_acties;
use crate::db::{DbConn, MultiBackend};
use crate::repo::netwerk_onderdelen::{pagina, versioned_item_queries};

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
    let q = gefilterd(code, f).order((
        netwerk_acties::deadline.is_null().asc(),
        netwerk_acties::deadline.asc(),
        netwerk_acties::id.asc(),
    ));
    Ok((pagina(q, page).select(ActieRow::as_select()).load(conn)?, total))
}

versioned_item_queries!(netwerk_acties, ActieRow, ActieVelden);

/// Every action of the network (the compliance view counts them all).
pub fn alle(conn: &mut DbConn, code: &str) -> QueryResult<Vec<ActieRow>> {
    list(conn, code, &ActieFilter::default(), None).map(|(rows, _)| rows)
}
