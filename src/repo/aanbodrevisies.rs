//! Pending and decided revisions of published offers (`aanbodrevisies`): an organisation's change
//! waits here while the offer stays published as it was (issue 14). At most one revision of an
//! offer is `open` (a unique partial index); a new change replaces its proposal.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::aanbodrevisies;
use crate::domain::aanbod::RevisieStatus;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = aanbodrevisies)]
pub struct RevisieRow {
    pub id: i64,
    pub aanbod_id: i64,
    pub status: RevisieStatus,
    /// The offer as proposed, as the client wrote it (`AanbodInput` as JSON).
    pub voorstel: String,
    /// The offer's version the proposal was made on.
    pub basis_versie: i64,
    pub voorgesteld_door: String,
    pub voorgesteld_op: NaiveDateTime,
    pub motivatie: Option<String>,
    pub beoordeeld_door: Option<String>,
    pub beoordeeld_op: Option<NaiveDateTime>,
}

/// The offer's open revision, if any.
pub fn open_van(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<Option<RevisieRow>> {
    aanbodrevisies::table
        .filter(aanbodrevisies::aanbod_id.eq(aanbod_id))
        .filter(aanbodrevisies::status.eq(RevisieStatus::Open))
        .select(RevisieRow::as_select())
        .first(conn)
        .optional()
}

/// The offer's latest revision (open or decided), if it ever had one.
pub fn laatste_van(conn: &mut DbConn, aanbod_id: i64) -> QueryResult<Option<RevisieRow>> {
    aanbodrevisies::table
        .filter(aanbodrevisies::aanbod_id.eq(aanbod_id))
        .order(aanbodrevisies::id.desc())
        .select(RevisieRow::as_select())
        .first(conn)
        .optional()
}

/// Proposes `voorstel` for the offer on its version `basis_versie`: replaces the open revision's
/// proposal, or opens one. Returns the revision's id.
pub fn stel_voor(
    conn: &mut DbConn,
    aanbod_id: i64,
    voorstel: &str,
    basis_versie: i64,
    door: &str,
    nu: NaiveDateTime,
) -> QueryResult<i64> {
    if let Some(open) = open_van(conn, aanbod_id)? {
        diesel::update(aanbodrevisies::table.find(open.id))
            .set((
                aanbodrevisies::voorstel.eq(voorstel),
                aanbodrevisies::basis_versie.eq(basis_versie),
                aanbodrevisies::voorgesteld_door.eq(door),
                aanbodrevisies::voorgesteld_op.eq(nu),
            ))
            .execute(conn)?;
        return Ok(open.id);
    }
    diesel::insert_into(aanbodrevisies::table)
        .values((
            aanbodrevisies::aanbod_id.eq(aanbod_id),
            aanbodrevisies::status.eq(RevisieStatus::Open),
            aanbodrevisies::voorstel.eq(voorstel),
            aanbodrevisies::basis_versie.eq(basis_versie),
            aanbodrevisies::voorgesteld_door.eq(door),
            aanbodrevisies::voorgesteld_op.eq(nu),
        ))
        .returning(aanbodrevisies::id)
        .get_result(conn)
}

/// Decides the open revision `id`: `goedgekeurd` or `afgekeurd` (with `motivatie`). False when
/// it was no longer open (decided or replaced in between).
pub fn beslis(
    conn: &mut DbConn,
    id: i64,
    status: RevisieStatus,
    motivatie: Option<&str>,
    door: &str,
    nu: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(aanbodrevisies::table.find(id))
        .filter(aanbodrevisies::status.eq(RevisieStatus::Open))
        .set((
            aanbodrevisies::status.eq(status),
            aanbodrevisies::motivatie.eq(motivatie),
            aanbodrevisies::beoordeeld_door.eq(door),
            aanbodrevisies::beoordeeld_op.eq(nu),
        ))
        .execute(conn)?;
    Ok(n == 1)
}
