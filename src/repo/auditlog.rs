//! Reading the audit log (`GET /v1/auditLog`). Writing is `repo::audit::record`; nothing in the
//! API updates or deletes entries, and database triggers refuse it too.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::audit_log;
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
