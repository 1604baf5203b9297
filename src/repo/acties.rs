//! A network's action plan.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::netwerk_acties;
use crate::db::{DbConn, MultiBackend};
use crate::domain::netwerk::{ActieStatus, OPEN};
use crate::domain::toegang::netwerken::Leesrecht;
use crate::repo::netwerk_onderdelen::{pagina, versioned_item_queries};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = netwerk_acties)]
pub struct ActieRow {
    pub id: i64,
    pub netwerk_code: String,
    pub titel: String,
    pub beschrijving: Option<String>,
    pub status: ActieStatus,
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
    pub status: ActieStatus,
    pub deadline: Option<NaiveDate>,
    pub trekker: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct ActieFilter {
    pub statussen: Vec<ActieStatus>,
    /// Open (`gepland`/`lopend`) with a deadline before this date (R25).
    pub achterstallig_op: Option<NaiveDate>,
}

fn gefilterd(netwerk: &Leesrecht, f: &ActieFilter) -> netwerk_acties::BoxedQuery<'static, MultiBackend> {
    let mut q = netwerk_acties::table
        .filter(netwerk_acties::netwerk_code.eq(netwerk.netwerk().as_str().to_string()))
        .into_boxed();
    if !f.statussen.is_empty() {
        q = q.filter(netwerk_acties::status.eq_any(f.statussen.clone()));
    }
    if let Some(d) = f.achterstallig_op {
        q = q.filter(netwerk_acties::status.eq_any(OPEN)).filter(netwerk_acties::deadline.lt(d).assume_not_null());
    }
    q
}

/// A page of a network's actions: by deadline (those without one last), then id.
pub fn list(
    conn: &mut DbConn,
    netwerk: &Leesrecht,
    f: &ActieFilter,
    page: Option<(i64, i64)>,
) -> QueryResult<(Vec<ActieRow>, i64)> {
    let total = gefilterd(netwerk, f).count().get_result(conn)?;
    let q = gefilterd(netwerk, f).order((
        netwerk_acties::deadline.is_null().asc(),
        netwerk_acties::deadline.asc(),
        netwerk_acties::id.asc(),
    ));
    Ok((pagina(q, page).select(ActieRow::as_select()).load(conn)?, total))
}

versioned_item_queries!(netwerk_acties, ActieRow, ActieVelden);

/// Every action of the network (the compliance view counts them all).
pub fn alle(conn: &mut DbConn, netwerk: &Leesrecht) -> QueryResult<Vec<ActieRow>> {
    list(conn, netwerk, &ActieFilter::default(), None).map(|(rows, _)| rows)
}
