//! Machine clients of the client-credentials grant.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::api_clients as t;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = t)]
pub struct ApiClientRow {
    pub client_id: String,
    pub naam: String,
    pub rol: String,
    pub gemeenten: String,
    pub secret_hash: String,
    pub actief: bool,
    pub aangemaakt_op: NaiveDateTime,
    pub aangemaakt_door: String,
    pub laatst_gebruikt_op: Option<NaiveDateTime>,
}

impl ApiClientRow {
    pub fn gemeenten(&self) -> Vec<String> {
        self.gemeenten.split(',').filter(|g| !g.is_empty()).map(str::to_string).collect()
    }
}

#[derive(Insertable, Debug)]
#[diesel(table_name = t)]
pub struct NewApiClient<'a> {
    pub client_id: &'a str,
    pub naam: &'a str,
    pub rol: &'a str,
    pub gemeenten: String,
    pub secret_hash: &'a str,
    pub actief: bool,
    pub aangemaakt_op: NaiveDateTime,
    pub aangemaakt_door: &'a str,
}

pub fn insert(conn: &mut DbConn, c: &NewApiClient<'_>) -> QueryResult<()> {
    diesel::insert_into(t::table).values(c).execute(conn).map(|_| ())
}

pub fn find(conn: &mut DbConn, client_id: &str) -> QueryResult<Option<ApiClientRow>> {
    t::table.find(client_id).select(ApiClientRow::as_select()).first(conn).optional()
}

pub fn list(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<(Vec<ApiClientRow>, i64)> {
    let total = t::table.count().get_result(conn)?;
    let rows = t::table
        .order(t::aangemaakt_op.desc())
        .offset(offset)
        .limit(limit)
        .select(ApiClientRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn set_secret(conn: &mut DbConn, client_id: &str, hash: &str) -> QueryResult<bool> {
    diesel::update(t::table.find(client_id)).set(t::secret_hash.eq(hash)).execute(conn).map(|n| n == 1)
}

pub fn deactivate(conn: &mut DbConn, client_id: &str) -> QueryResult<bool> {
    diesel::update(t::table.find(client_id)).set(t::actief.eq(false)).execute(conn).map(|n| n == 1)
}

pub fn touch(conn: &mut DbConn, client_id: &str, at: NaiveDateTime) -> QueryResult<()> {
    diesel::update(t::table.find(client_id)).set(t::laatst_gebruikt_op.eq(Some(at))).execute(conn).map(|_| ())
}
