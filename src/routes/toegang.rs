//! Helpers the newcomer, contract, change and audit routes share: who may see or manage
//! personal records (R15), today's date, and turning rule refusals and lost version races into
//! problems.

use actix_web::http::StatusCode;
use chrono::{NaiveDate, NaiveDateTime, Utc};

use crate::auth::{Caller, Role};
use crate::domain::contract::{Refusal, RegelFout};
use crate::domain::toegang::Zicht;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::conditional::IfMatch;

/// Problem type names (`urn:problem-type:pnt:<name>`) of refused contract changes.
pub mod problem {
    pub const INVALID_CONTRACT_CHANGE: &str = "invalidContractChange";
    pub const SANCTION_NOT_ALLOWED: &str = "sanctionNotAllowed";
    pub const ATTEST_NOT_ALLOWED: &str = "attestNotAllowed";
}

/// The caller's view on personal records; 403 for roles that see none.
pub fn zicht(caller: &Caller) -> ApiResult<Zicht> {
    Zicht::van(&caller.roles, &caller.sub).ok_or_else(|| {
        ApiError::missing_permission(
            "Newcomers' records are visible to trajectbegeleiders, admins and the newcomer only",
        )
    })
}

/// For operations that change newcomers or contracts: trajectbegeleider or admin, else 403.
/// The view it returns leaves out the caller's own record: a trajectbegeleider who is also a
/// newcomer manages their caseload, not their own contract.
pub fn beheerder(caller: &Caller) -> ApiResult<Zicht> {
    caller.require_any(&[Role::Trajectbegeleider, Role::Admin])?;
    let mut zicht = zicht(caller)?;
    zicht.eigen = None;
    Ok(zicht)
}

/// The date rules are judged on (the server's UTC date).
pub fn vandaag() -> NaiveDate {
    Utc::now().date_naive()
}

/// The moment stored in `TIMESTAMP` columns (UTC).
pub fn nu() -> NaiveDateTime {
    Utc::now().naive_utc()
}

/// Broken rules as a `badRequest` naming each body field.
pub fn regelfouten(fouten: Vec<RegelFout>) -> ApiError {
    ApiError::bad_request(
        fouten.into_iter().map(|f| InputIssue::invalid(InputLocation::Body, f.veld, f.detail)).collect(),
    )
}

/// A refused contract change as its problem.
pub fn weigering(r: Refusal) -> ApiError {
    let conflict = |name: &str, title: &str, detail: String| ApiError::pnt(StatusCode::CONFLICT, name, title, detail);
    match r {
        Refusal::Invalid(fouten) => regelfouten(fouten),
        Refusal::InvalidChange(d) => conflict(problem::INVALID_CONTRACT_CHANGE, "Invalid Contract Change", d),
        Refusal::SanctionNotAllowed(d) => conflict(problem::SANCTION_NOT_ALLOWED, "Sanction Not Allowed", d),
        Refusal::AttestNotAllowed(d) => conflict(problem::ATTEST_NOT_ALLOWED, "Attest Not Allowed", d),
    }
}

/// An `UPDATE … WHERE versie = ?` changed nothing although the row was just read: the client's
/// `If-Match` is stale (412) or, without one, a concurrent request got in first (409).
pub fn versie_verschoven(if_match: &IfMatch) -> ApiError {
    match if_match {
        IfMatch::Versions(_) => {
            ApiError::precondition_failed("The resource changed since you read it; fetch it again and retry")
        }
        _ => ApiError::conflict("A concurrent change got in the way; retry the request"),
    }
}

/// Optional free text: trimmed, and absent when blank.
pub fn tekst(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
