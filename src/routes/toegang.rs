//! Turning refusals into problems: an access policy's refusal (`403`), broken rules
//! (`badRequest`), a refused contract change; and optional free text. Who may see or manage
//! personal records is `domain::toegang::personen`.

use actix_web::http::StatusCode;

use crate::domain::contract::Refusal;
use crate::domain::toegang::personen::Geweigerd;
use crate::error::ApiError;

/// Problem type names (`urn:problem-type:pnt:<name>`) of refused contract changes.
pub mod problem {
    pub const INVALID_CONTRACT_CHANGE: &str = "invalidContractChange";
    pub const SANCTION_NOT_ALLOWED: &str = "sanctionNotAllowed";
    pub const ATTEST_NOT_ALLOWED: &str = "attestNotAllowed";
}

/// A policy's refusal is `403 missingPermission`, saying why.
impl From<Geweigerd> for ApiError {
    fn from(g: Geweigerd) -> ApiError {
        ApiError::missing_permission(g.0)
    }
}

/// A refused contract change as its problem.
pub fn weigering(r: Refusal) -> ApiError {
    let conflict = |name: &str, title: &str, detail: String| ApiError::pnt(StatusCode::CONFLICT, name, title, detail);
    match r {
        Refusal::Invalid(fouten) => ApiError::regelfouten(fouten),
        Refusal::InvalidChange(d) => conflict(problem::INVALID_CONTRACT_CHANGE, "Invalid Contract Change", d),
        Refusal::SanctionNotAllowed(d) => conflict(problem::SANCTION_NOT_ALLOWED, "Sanction Not Allowed", d),
        Refusal::AttestNotAllowed(d) => conflict(problem::ATTEST_NOT_ALLOWED, "Attest Not Allowed", d),
    }
}

/// Optional free text: trimmed, and absent when blank.
pub fn tekst(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}
