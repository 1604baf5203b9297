//! The audit log (R15): one row per read of personal data and per change, written in the same
//! transaction as the change it records.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::db::schema::audit_log;
use crate::domain::gebeurtenis::Wijziging;
use crate::http::conventions::TraceId;
use crate::repo::gebeurtenissen;

/// Who acts, under which trace id, and when: built once per request from its extractors. `at`
/// is read once from the process clock ([`crate::clock::Clock`]), so a change and its audit
/// entry carry the same instant.
#[derive(Clone, Debug)]
pub struct Actor {
    pub sub: String,
    pub roles: String,
    pub trace_id: String,
    pub at: NaiveDateTime,
    /// The organisation the caller's token is scoped to (claim `organisatie`), if any.
    pub organisatie: Option<i64>,
    /// The municipalities the caller's token is scoped to (claim `gemeenten`), comma-separated;
    /// `None` when it names none.
    pub gemeenten: Option<String>,
}

impl Actor {
    pub fn new(caller: &Caller, trace: &TraceId, at: NaiveDateTime) -> Actor {
        Actor::van_caller(caller, trace.0.clone(), at)
    }

    /// The actor for `caller` under trace id `trace_id`.
    pub fn van_caller(caller: &Caller, trace_id: String, at: NaiveDateTime) -> Actor {
        let gemeenten: Vec<&str> = caller.gemeenten.iter().map(|g| g.as_str()).collect();
        Actor {
            sub: caller.sub.clone(),
            roles: caller.role_names().join(","),
            trace_id,
            at,
            organisatie: caller.organisatie.map(|o| o.0),
            gemeenten: (!gemeenten.is_empty()).then(|| gemeenten.join(",")),
        }
    }

    /// For changes made without a logged-in user (a signing link, a system job).
    pub fn system(name: &str, trace: &TraceId, at: NaiveDateTime) -> Actor {
        Actor::machine(name, "", trace, at)
    }

    /// For a machine client acting under `roles` (comma-separated), without a scope.
    pub fn machine(name: &str, roles: &str, trace: &TraceId, at: NaiveDateTime) -> Actor {
        Actor {
            sub: name.to_string(),
            roles: roles.to_string(),
            trace_id: trace.0.clone(),
            at,
            organisatie: None,
            gemeenten: None,
        }
    }
}

/// What happened; `read` entries are what R15 asks for every access to personal data.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    Read,
    List,
    Create,
    Update,
    Delete,
    /// A named state change (status transition, contract change, signature, review…).
    Change(&'static str),
}

impl Action {
    pub fn as_string(self) -> String {
        match self {
            Action::Read => "read".into(),
            Action::List => "list".into(),
            Action::Create => "create".into(),
            Action::Update => "update".into(),
            Action::Delete => "delete".into(),
            Action::Change(what) => what.into(),
        }
    }
}

/// Appends one entry. `details` must not repeat personal data; ids and field names only.
pub fn record(
    conn: &mut DbConn,
    actor: &Actor,
    action: Action,
    resource_type: &str,
    resource_id: &str,
    details: Option<serde_json::Value>,
) -> QueryResult<()> {
    let actie = action.as_string();
    diesel::insert_into(audit_log::table)
        .values((
            audit_log::at.eq(actor.at),
            audit_log::actor.eq(&actor.sub),
            audit_log::actor_roles.eq(&actor.roles),
            audit_log::action.eq(&actie),
            audit_log::resource_type.eq(resource_type),
            audit_log::resource_id.eq(resource_id),
            audit_log::trace_id.eq(&actor.trace_id),
            audit_log::details.eq(details.as_ref().map(|d| d.to_string())),
            audit_log::actor_organisatie.eq(actor.organisatie),
            audit_log::actor_gemeenten.eq(&actor.gemeenten),
        ))
        .execute(conn)?;
    // Every change other systems act on is also an event, in this same transaction (issue 16).
    let status = |k: &str| details.as_ref().and_then(|d| d.get(k)).and_then(|v| v.as_str());
    let w = Wijziging { resource: resource_type, actie: &actie, van: status("van"), naar: status("naar") };
    gebeurtenissen::na_wijziging(conn, &w, resource_id, actor.at).map(|_| ())
}
