//! The raw material of the monitoring figures, per municipality. Nothing here leaves the API
//! as such: `routes::monitoring` counts it and `domain::monitoring` suppresses small counts.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{aanbod, aanbod_plaatsen, doorverwijzingen, inburgeraars, inburgeringscontracten};
use crate::domain::aanbod::{AanbodStatus, Aanbodtype};
use crate::domain::doorverwijzing::DoorverwijzingStatus;
use crate::repo::contracten::ContractRow;

/// A published offer: (municipality, type, capacity, places taken).
pub type AanbodRegel = (String, Aanbodtype, Option<i32>, Option<i32>);

/// The published offers of `gemeenten` whose period touches `van`–`tot`.
pub fn aanbod(
    conn: &mut DbConn,
    gemeenten: &[String],
    van: NaiveDate,
    tot: NaiveDate,
) -> QueryResult<Vec<AanbodRegel>> {
    aanbod::table
        .left_join(aanbod_plaatsen::table)
        .filter(aanbod::gemeente.eq_any(gemeenten))
        .filter(aanbod::status.eq(AanbodStatus::Gepubliceerd.as_str()))
        .filter(aanbod::periode_van.is_null().or(aanbod::periode_van.le(tot).assume_not_null()))
        .filter(aanbod::periode_tot.is_null().or(aanbod::periode_tot.ge(van).assume_not_null()))
        .select((aanbod::gemeente, aanbod::aanbodtype, aanbod::capaciteit, aanbod_plaatsen::bezet.nullable()))
        .load(conn)
}

fn begin(d: NaiveDate) -> NaiveDateTime {
    d.and_hms_opt(0, 0, 0).unwrap_or_default()
}

/// (municipality of the newcomer, current status) of the referrals made from `van` to `tot`.
pub fn doorverwijzingen(
    conn: &mut DbConn,
    gemeenten: &[String],
    van: NaiveDate,
    tot: NaiveDate,
) -> QueryResult<Vec<(String, DoorverwijzingStatus)>> {
    let na_tot = tot.succ_opt().unwrap_or(tot);
    doorverwijzingen::table
        .inner_join(inburgeringscontracten::table.inner_join(inburgeraars::table))
        .filter(inburgeraars::gemeente.eq_any(gemeenten))
        .filter(doorverwijzingen::aangemaakt_op.ge(begin(van)))
        .filter(doorverwijzingen::aangemaakt_op.lt(begin(na_tot)))
        .select((inburgeraars::gemeente, doorverwijzingen::status))
        .load(conn)
}

/// (municipality, newcomer) of everyone who started a referred activity from `van` to `tot`,
/// once per newcomer.
pub fn gestart(
    conn: &mut DbConn,
    gemeenten: &[String],
    van: NaiveDate,
    tot: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    let mut rows: Vec<(String, i64)> = doorverwijzingen::table
        .inner_join(inburgeringscontracten::table.inner_join(inburgeraars::table))
        .filter(inburgeraars::gemeente.eq_any(gemeenten))
        .filter(doorverwijzingen::gestart_op.between(van, tot))
        .select((inburgeraars::gemeente, inburgeraars::id))
        .distinct()
        .load(conn)?;
    // Also those with hours on a proof in the period, referred or not.
    rows.extend(crate::repo::deelnamebewijzen::actief_in_periode(conn, gemeenten, van, tot)?);
    rows.sort();
    rows.dedup();
    Ok(rows)
}

/// The contracts of residents of `gemeenten` signed on or before `tot`, with the municipality.
pub fn contracten(conn: &mut DbConn, gemeenten: &[String], tot: NaiveDate) -> QueryResult<Vec<(String, ContractRow)>> {
    inburgeringscontracten::table
        .inner_join(inburgeraars::table)
        .filter(inburgeraars::gemeente.eq_any(gemeenten))
        .filter(inburgeringscontracten::ondertekend_op.le(tot))
        .select((inburgeraars::gemeente, ContractRow::as_select()))
        .load(conn)
}
