//! The one flow for versioned documents. Every resource with a `versie` (aanbod, organisaties,
//! regionale netwerken with their overleggen and acties, inburgeraars, contracten,
//! doorverwijzingen, deelnamebewijzen) changes the same way, inside one write transaction:
//!
//! 1. **load what the caller may see** — [`found`]: the resource's access policy filters the
//!    query; nothing visible is `404` (named the same way everywhere);
//! 2. **authorize** the operation on that row — the policy's decision, `403`;
//! 3. **`If-Match`** against the version just read — [`VersionedWrite::write`]: `412`;
//! 4. **the versioned write** (`UPDATE … WHERE versie = ?`): when it touches no row another
//!    writer got in between the read and the write, and the answer is always the same
//!    `409 conflict` ([`lost_race`]), with or without `If-Match`;
//! 5. **the audit entry**, in the same transaction;
//! 6. **respond** with the document, its `ETag` and, for a new one, its `Location`
//!    ([`respond`]).
//!
//! Naming in the code: Dutch for the domain (resources, rules: `aanbod`, `mag_beheren`),
//! English for the plumbing (load, write, respond, not_found).

use actix_web::HttpResponse;
use actix_web::http::{StatusCode, header};
use serde::Serialize;

use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::http::conditional::{IfMatch, with_etag};
use crate::repo::audit::{self, Action, Actor};

/// A stored document with a version.
pub trait Document {
    /// Its resource type in the audit log, and the noun of its `404`.
    const RESOURCE: &'static str;
    /// Its id as the audit log and the `404` name it.
    fn key(&self) -> String;
    fn version(&self) -> i64;
}

/// The `404` of a document that does not exist or that the caller may not see (the two are
/// indistinguishable on purpose).
pub fn not_found(resource: &str, id: impl std::fmt::Display) -> ApiError {
    ApiError::not_found(format!("No {resource} with id {id}"))
}

/// Step 1: the row the resource's access-filtered query found, else `404`.
pub fn found<D: Document>(id: impl std::fmt::Display, row: Option<D>) -> ApiResult<D> {
    row.ok_or_else(|| not_found(D::RESOURCE, id))
}

/// The answer to a lost version race: the versioned `UPDATE` found the row at another version
/// than the one just read, so a concurrent change got in first. One answer for every resource,
/// whether or not the client sent `If-Match`: `409 conflict`, "fetch it again and retry".
pub fn lost_race() -> ApiError {
    ApiError::conflict("Another change to this resource got in first; fetch it again and retry")
}

/// Steps 3–5 for a document the caller may change.
pub struct VersionedWrite<'a> {
    pub actor: &'a Actor,
    pub if_match: &'a IfMatch,
}

impl VersionedWrite<'_> {
    /// Checks `If-Match` against `current`, runs the versioned write `update` (given the version
    /// it must find; `false` when it found another: a lost race), and records `action` with
    /// `details` in the audit log. Flows that judge rules first check `If-Match` before them too
    /// (a stale copy is `412` whatever else is wrong); checking here again costs nothing and keeps
    /// a flow that forgets the early check honest.
    pub fn write<D: Document>(
        &self,
        c: &mut DbConn,
        current: &D,
        action: Action,
        details: Option<serde_json::Value>,
        update: impl FnOnce(&mut DbConn, i64) -> ApiResult<bool>,
    ) -> ApiResult<()> {
        self.if_match.check(current.version())?;
        if !update(c, current.version())? {
            return Err(lost_race());
        }
        audit::record(c, self.actor, action, D::RESOURCE, &current.key(), details)?;
        Ok(())
    }
}

/// Records the creation of document `id` (step 5 of a `POST`).
pub fn created(
    c: &mut DbConn,
    actor: &Actor,
    resource: &str,
    id: impl std::fmt::Display,
    details: Option<serde_json::Value>,
) -> ApiResult<()> {
    Ok(audit::record(c, actor, Action::Create, resource, &id.to_string(), details)?)
}

/// Step 6: a document with its `ETag`; a new one (`201`) also with its `Location`.
pub fn respond(status: StatusCode, self_link: &str, version: i64, doc: impl Serialize) -> HttpResponse {
    let mut res = HttpResponse::build(status);
    with_etag(&mut res, version);
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, self_link.to_string()));
    }
    res.json(doc)
}
