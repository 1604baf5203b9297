//! The follow-up log of a contract (`opvolgingen`): append-only, oldest first.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::opvolgingen;
use crate::domain::opvolging::{Inspanning, Kanaal, Opvolging, OpvolgingSoort};

/// An entry to append.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = opvolgingen)]
pub struct NieuweOpvolging {
    pub contract_id: i64,
    pub soort: OpvolgingSoort,
    pub datum: NaiveDate,
    pub kanaal: Kanaal,
    pub notitie: String,
    pub inspanning: Option<Inspanning>,
    pub corrigeert: Option<i64>,
    pub door: String,
    pub door_rollen: String,
    pub op: NaiveDateTime,
}

/// An entry as stored.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = opvolgingen)]
pub struct OpvolgingRow {
    pub id: i64,
    #[diesel(embed)]
    pub opvolging: NieuweOpvolging,
}

impl OpvolgingRow {
    /// What the rules need of it.
    pub fn regel(&self) -> Opvolging {
        Opvolging { id: self.id, inspanning: self.opvolging.inspanning, corrigeert: self.opvolging.corrigeert }
    }
}

pub fn insert(conn: &mut DbConn, o: NieuweOpvolging) -> QueryResult<OpvolgingRow> {
    let id = diesel::insert_into(opvolgingen::table).values(o.clone()).returning(opvolgingen::id).get_result(conn)?;
    Ok(OpvolgingRow { id, opvolging: o })
}

/// Every entry of a contract, oldest first (a contract's log is short: tens of entries).
pub fn alle(conn: &mut DbConn, contract_id: i64) -> QueryResult<Vec<OpvolgingRow>> {
    opvolgingen::table
        .filter(opvolgingen::contract_id.eq(contract_id))
        .order(opvolgingen::id.asc())
        .select(OpvolgingRow::as_select())
        .load(conn)
}

/// A page of a contract's log, oldest first, and the total.
pub fn pagina(conn: &mut DbConn, contract_id: i64, offset: i64, limit: i64) -> QueryResult<(Vec<OpvolgingRow>, i64)> {
    let van = || opvolgingen::table.filter(opvolgingen::contract_id.eq(contract_id));
    let total = van().count().get_result(conn)?;
    let rows =
        van().order(opvolgingen::id.asc()).offset(offset).limit(limit).select(OpvolgingRow::as_select()).load(conn)?;
    Ok((rows, total))
}

/// Entry `id` of a contract.
pub fn een(conn: &mut DbConn, contract_id: i64, id: i64) -> QueryResult<Option<OpvolgingRow>> {
    opvolgingen::table
        .filter(opvolgingen::contract_id.eq(contract_id))
        .filter(opvolgingen::id.eq(id))
        .select(OpvolgingRow::as_select())
        .first(conn)
        .optional()
}
