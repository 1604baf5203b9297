//! Reading the audit log (`GET /v1/auditLog`). Writing is `repo::audit::record`; nothing in the
//! API updates or deletes entries, and database triggers refuse it too.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{audit_log, deelnamebewijzen, doorverwijzingen, inburgeringscontracten, organisaties};
use crate::db::{DbConn, MultiBackend};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub struct AuditRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub actor_roles: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub trace_id: String,
    pub details: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct AuditFilter {
    pub actors: Vec<String>,
    pub resource_types: Vec<String>,
    pub resource_ids: Vec<String>,
    pub acties: Vec<String>,
    /// From this moment (inclusive).
    pub van: Option<NaiveDateTime>,
    /// Until this moment (exclusive).
    pub tot: Option<NaiveDateTime>,
}

fn gefilterd(f: &AuditFilter) -> audit_log::BoxedQuery<'static, MultiBackend> {
    let mut q = audit_log::table.into_boxed();
    if !f.actors.is_empty() {
        q = q.filter(audit_log::actor.eq_any(f.actors.clone()));
    }
    if !f.resource_types.is_empty() {
        q = q.filter(audit_log::resource_type.eq_any(f.resource_types.clone()));
    }
    if !f.resource_ids.is_empty() {
        q = q.filter(audit_log::resource_id.eq_any(f.resource_ids.clone()));
    }
    if !f.acties.is_empty() {
        q = q.filter(audit_log::action.eq_any(f.acties.clone()));
    }
    if let Some(van) = f.van {
        q = q.filter(audit_log::at.ge(van));
    }
    if let Some(tot) = f.tot {
        q = q.filter(audit_log::at.lt(tot));
    }
    q
}

/// A page of entries, newest first.
pub fn list(conn: &mut DbConn, f: &AuditFilter, offset: i64, limit: i64) -> QueryResult<(Vec<AuditRow>, i64)> {
    let total = gefilterd(f).count().get_result(conn)?;
    let rows = gefilterd(f)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select(AuditRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// An entry about one newcomer, with the scope of whoever acted (R28).
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = audit_log)]
pub struct RaadplegingRow {
    pub id: i64,
    pub at: NaiveDateTime,
    pub actor: String,
    pub actor_roles: String,
    pub action: String,
    pub resource_type: String,
    pub resource_id: String,
    pub details: Option<String>,
    pub actor_organisatie: Option<i64>,
    pub actor_gemeenten: Option<String>,
}

/// The resource ids that belong to newcomer `persoon`: their contracts, proofs and referrals,
/// as the audit log stores ids (text). Contracts, proofs and referrals never move to another
/// person, so an entry written at any time links to the person through them.
struct Bronnen {
    persoon: String,
    contracten: Vec<String>,
    bewijzen: Vec<String>,
    doorverwijzingen: Vec<String>,
}

fn bronnen(conn: &mut DbConn, persoon: i64) -> QueryResult<Bronnen> {
    let contracten: Vec<i64> = inburgeringscontracten::table
        .filter(inburgeringscontracten::inburgeraar_id.eq(persoon))
        .select(inburgeringscontracten::id)
        .load(conn)?;
    let bewijzen: Vec<i64> = deelnamebewijzen::table
        .filter(deelnamebewijzen::contract_id.eq_any(contracten.clone()))
        .select(deelnamebewijzen::id)
        .load(conn)?;
    let verwijzingen: Vec<i64> = doorverwijzingen::table
        .filter(doorverwijzingen::contract_id.eq_any(contracten.clone()))
        .select(doorverwijzingen::id)
        .load(conn)?;
    // Never an empty `IN ()`: no resource id is empty.
    let tekst = |ids: Vec<i64>| std::iter::once(String::new()).chain(ids.into_iter().map(|i| i.to_string())).collect();
    Ok(Bronnen {
        persoon: persoon.to_string(),
        contracten: tekst(contracten),
        bewijzen: tekst(bewijzen),
        doorverwijzingen: tekst(verwijzingen),
    })
}

fn over(
    b: &Bronnen,
    van: Option<NaiveDateTime>,
    tot: Option<NaiveDateTime>,
) -> audit_log::BoxedQuery<'static, MultiBackend> {
    let mut q = audit_log::table.into_boxed().filter(
        audit_log::resource_type
            .eq(crate::repo::inburgeraars::RESOURCE)
            .and(audit_log::resource_id.eq(b.persoon.clone()))
            .or(audit_log::resource_type
                .eq(crate::repo::contracten::RESOURCE)
                .and(audit_log::resource_id.eq_any(b.contracten.clone())))
            .or(audit_log::resource_type.eq("deelnamebewijs").and(audit_log::resource_id.eq_any(b.bewijzen.clone())))
            .or(audit_log::resource_type
                .eq("doorverwijzing")
                .and(audit_log::resource_id.eq_any(b.doorverwijzingen.clone()))),
    );
    if let Some(van) = van {
        q = q.filter(audit_log::at.ge(van));
    }
    if let Some(tot) = tot {
        q = q.filter(audit_log::at.lt(tot));
    }
    q
}

/// A page of the entries about newcomer `persoon` (their record, contracts, proofs, referrals),
/// newest first, between `van` (inclusive) and `tot` (exclusive).
pub fn over_persoon(
    conn: &mut DbConn,
    persoon: i64,
    van: Option<NaiveDateTime>,
    tot: Option<NaiveDateTime>,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<RaadplegingRow>, i64)> {
    let b = bronnen(conn, persoon)?;
    let total = over(&b, van, tot).count().get_result(conn)?;
    let rows = over(&b, van, tot)
        .order(audit_log::id.desc())
        .offset(offset)
        .limit(limit)
        .select(RaadplegingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The names of the organisations `ids`, by id.
pub fn organisatienamen(conn: &mut DbConn, ids: Vec<i64>) -> QueryResult<std::collections::HashMap<i64, String>> {
    let rows: Vec<(i64, String)> = organisaties::table
        .filter(organisaties::id.eq_any(ids))
        .select((organisaties::id, organisaties::naam))
        .load(conn)?;
    Ok(rows.into_iter().collect())
}
