//! A network's meetings (stuurgroep, klankbordgroep, werkgroep) and the organisations that
//! took part.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::{netwerk_overleg_deelnemers, netwerk_overleggen, organisaties};
use crate::db::{DbConn, MultiBackend};
use crate::domain::netwerk::Overlegsoort;
use crate::domain::toegang::netwerken::{Beheerrecht, Leesrecht};
use crate::repo::netwerk_onderdelen::pagina;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = netwerk_overleggen)]
pub struct OverlegRow {
    pub id: i64,
    pub netwerk_code: String,
    pub soort: Overlegsoort,
    pub datum: NaiveDate,
    pub onderwerp: String,
    pub verslag: Option<String>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = netwerk_overleggen, treat_none_as_null = true)]
pub struct OverlegVelden {
    pub soort: Overlegsoort,
    pub datum: NaiveDate,
    pub onderwerp: String,
    pub verslag: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct OverlegFilter {
    pub soorten: Vec<Overlegsoort>,
    pub van: Option<NaiveDate>,
    pub tot: Option<NaiveDate>,
}

fn gefilterd(netwerk: &Leesrecht, f: &OverlegFilter) -> netwerk_overleggen::BoxedQuery<'static, MultiBackend> {
    let code = netwerk.netwerk().as_str().to_string();
    let mut q = netwerk_overleggen::table.filter(netwerk_overleggen::netwerk_code.eq(code)).into_boxed();
    if !f.soorten.is_empty() {
        q = q.filter(netwerk_overleggen::soort.eq_any(f.soorten.clone()));
    }
    if let Some(van) = f.van {
        q = q.filter(netwerk_overleggen::datum.ge(van));
    }
    if let Some(tot) = f.tot {
        q = q.filter(netwerk_overleggen::datum.le(tot));
    }
    q
}

/// A page of a network's meetings, newest first, with their participants.
pub fn list(
    conn: &mut DbConn,
    netwerk: &Leesrecht,
    f: &OverlegFilter,
    page: Option<(i64, i64)>,
) -> QueryResult<(Vec<OverlegMetDeelnemers>, i64)> {
    let total = gefilterd(netwerk, f).count().get_result(conn)?;
    let q = gefilterd(netwerk, f).order((netwerk_overleggen::datum.desc(), netwerk_overleggen::id.desc()));
    let rows: Vec<OverlegRow> = pagina(q, page).select(OverlegRow::as_select()).load(conn)?;
    let mut d = deelnemers(conn, &rows.iter().map(|r| r.id).collect::<Vec<_>>())?;
    let items =
        rows.into_iter().map(|rij| OverlegMetDeelnemers { deelnemers: d.remove(&rij.id).unwrap_or_default(), rij });
    Ok((items.collect(), total))
}

/// The meeting row alone; `find`, `insert`, `update` and `delete` below also keep its
/// participants.
mod rij {
    crate::repo::netwerk_onderdelen::versioned_item_queries!(
        netwerk_overleggen,
        super::OverlegRow,
        super::OverlegVelden
    );
}

/// A meeting with its participants (organisation id, name), by name.
#[derive(Debug, Clone)]
pub struct OverlegMetDeelnemers {
    pub rij: OverlegRow,
    pub deelnemers: Vec<(i64, String)>,
}

/// Meeting `id` of the network the caller may read, with its participants.
pub fn find(conn: &mut DbConn, netwerk: &Leesrecht, id: i64) -> QueryResult<Option<OverlegMetDeelnemers>> {
    let Some(rij) = rij::find(conn, netwerk, id)? else {
        return Ok(None);
    };
    let deelnemers = deelnemers(conn, &[id])?.remove(&id).unwrap_or_default();
    Ok(Some(OverlegMetDeelnemers { rij, deelnemers }))
}

/// The participants of each of `ids`: (organisation id, name), by name.
fn deelnemers(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<(i64, String)>>> {
    let rows: Vec<(i64, i64, String)> = netwerk_overleg_deelnemers::table
        .inner_join(organisaties::table)
        .filter(netwerk_overleg_deelnemers::overleg_id.eq_any(ids))
        .order((organisaties::naam.asc(), organisaties::id.asc()))
        .select((netwerk_overleg_deelnemers::overleg_id, organisaties::id, organisaties::naam))
        .load(conn)?;
    let mut out: HashMap<i64, Vec<(i64, String)>> = HashMap::new();
    for (overleg, org, naam) in rows {
        out.entry(overleg).or_default().push((org, naam));
    }
    Ok(out)
}

fn zet_deelnemers(conn: &mut DbConn, id: i64, organisaties: &[i64]) -> QueryResult<()> {
    diesel::delete(netwerk_overleg_deelnemers::table.filter(netwerk_overleg_deelnemers::overleg_id.eq(id)))
        .execute(conn)?;
    for org in organisaties {
        diesel::insert_into(netwerk_overleg_deelnemers::table)
            .values((netwerk_overleg_deelnemers::overleg_id.eq(id), netwerk_overleg_deelnemers::organisatie_id.eq(org)))
            .execute(conn)?;
    }
    Ok(())
}

pub fn insert(
    conn: &mut DbConn,
    netwerk: &Beheerrecht,
    v: &OverlegVelden,
    deelnemers: &[i64],
    nu: NaiveDateTime,
) -> QueryResult<i64> {
    let id = rij::insert(conn, netwerk, v, nu)?;
    zet_deelnemers(conn, id, deelnemers)?;
    Ok(id)
}

/// Replaces the meeting if it is still at `versie`; false when it moved on.
pub fn update(
    conn: &mut DbConn,
    netwerk: &Beheerrecht,
    id: i64,
    versie: i64,
    v: &OverlegVelden,
    deelnemers: &[i64],
    nu: NaiveDateTime,
) -> QueryResult<bool> {
    let bijgewerkt = rij::update(conn, netwerk, id, versie, v, nu)?;
    if bijgewerkt {
        zet_deelnemers(conn, id, deelnemers)?;
    }
    Ok(bijgewerkt)
}

/// Deletes the meeting and its participants if it is still at `versie`; false when it moved on
/// (the caller then rolls back, participants included).
pub fn delete(conn: &mut DbConn, netwerk: &Beheerrecht, id: i64, versie: i64) -> QueryResult<bool> {
    diesel::delete(netwerk_overleg_deelnemers::table.filter(netwerk_overleg_deelnemers::overleg_id.eq(id)))
        .execute(conn)?;
    rij::delete(conn, netwerk, id, versie)
}

/// (kind, date) of every meeting of the network between `van` and `tot` (for the compliance
/// view).
pub fn data(
    conn: &mut DbConn,
    netwerk: &Leesrecht,
    van: NaiveDate,
    tot: NaiveDate,
) -> QueryResult<Vec<(Overlegsoort, NaiveDate)>> {
    netwerk_overleggen::table
        .filter(netwerk_overleggen::netwerk_code.eq(netwerk.netwerk().as_str()))
        .filter(netwerk_overleggen::datum.between(van, tot))
        .select((netwerk_overleggen::soort, netwerk_overleggen::datum))
        .load(conn)
}
