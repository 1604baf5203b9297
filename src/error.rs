//! One error type for every handler, rendered as RFC 9457 `application/problem+json` with the
//! belgif problem types (README, "API conventions"). No cause text of a 5xx ever reaches the client: it is logged
//! with the problem's `instance` id, which the client can quote to support.

use std::borrow::Cow;
use std::fmt;

use actix_web::http::StatusCode;
use actix_web::http::header::{HeaderName, HeaderValue};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub type ApiResult<T> = Result<T, ApiError>;

pub const PROBLEM_JSON: &str = "application/problem+json";

/// Stable problem type URNs. Standard belgif types first, then this API's own.
pub mod types {
    pub const BAD_REQUEST: &str = "urn:problem-type:belgif:badRequest";
    pub const NO_ACCESS_TOKEN: &str = "urn:problem-type:belgif:noAccessToken";
    pub const INVALID_ACCESS_TOKEN: &str = "urn:problem-type:belgif:invalidAccessToken";
    pub const EXPIRED_ACCESS_TOKEN: &str = "urn:problem-type:belgif:expiredAccessToken";
    pub const MISSING_PERMISSION: &str = "urn:problem-type:belgif:missingPermission";
    pub const RESOURCE_NOT_FOUND: &str = "urn:problem-type:belgif:resourceNotFound";
    pub const PAYLOAD_TOO_LARGE: &str = "urn:problem-type:belgif:payloadTooLarge";
    pub const REQUEST_HEADER_FIELDS_TOO_LARGE: &str = "urn:problem-type:pnt:requestHeaderFieldsTooLarge";
    pub const TOO_MANY_REQUESTS: &str = "urn:problem-type:belgif:tooManyRequests";
    pub const INTERNAL_SERVER_ERROR: &str = "urn:problem-type:belgif:internalServerError";
    pub const SERVICE_UNAVAILABLE: &str = "urn:problem-type:belgif:serviceUnavailable";
    pub const METHOD_NOT_ALLOWED: &str = "urn:problem-type:pnt:methodNotAllowed";
    pub const NOT_ACCEPTABLE: &str = "urn:problem-type:pnt:notAcceptable";
    pub const UNSUPPORTED_MEDIA_TYPE: &str = "urn:problem-type:pnt:unsupportedMediaType";
    pub const PRECONDITION_FAILED: &str = "urn:problem-type:pnt:preconditionFailed";
    pub const CONFLICT: &str = "urn:problem-type:pnt:conflict";
    pub const DUPLICATE: &str = "urn:problem-type:pnt:duplicate";
    pub const INVALID_TRANSITION: &str = "urn:problem-type:pnt:invalidTransition";

    /// Issue types inside a `badRequest`.
    pub const ISSUE_SCHEMA_VIOLATION: &str = "urn:problem-type:belgif:input-validation:schemaViolation";
    pub const ISSUE_INVALID_INPUT: &str = "urn:problem-type:belgif:input-validation:invalidInput";
    pub const ISSUE_UNKNOWN_INPUT: &str = "urn:problem-type:belgif:input-validation:unknownInput";
    pub const ISSUE_REFERENCED_RESOURCE_NOT_FOUND: &str =
        "urn:problem-type:belgif:input-validation:referencedResourceNotFound";
}

/// Where a faulty input was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum InputLocation {
    Body,
    Query,
    Path,
    Header,
}

/// One faulty input of a `badRequest` problem.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
pub struct InputIssue {
    /// Issue type URN.
    #[serde(rename = "type")]
    #[schema(example = "urn:problem-type:belgif:input-validation:invalidInput")]
    pub issue_type: String,
    /// Short English summary of the issue type.
    #[schema(example = "Invalid input")]
    pub title: String,
    /// What is wrong, for a human.
    #[schema(example = "rijksregisternummer: check digits do not match")]
    pub detail: String,
    /// Where the faulty input is: the body, a query or path parameter, or a header.
    #[serde(rename = "in")]
    pub location: InputLocation,
    /// The input's name: a query parameter, a header, or a body path like `prestaties[2].uren`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "rijksregisternummer")]
    pub name: Option<String>,
    /// The offending value as it was received (any JSON type), when it is safe to echo.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Value, example = "85073003328")]
    pub value: Option<serde_json::Value>,
}

impl InputIssue {
    pub fn invalid(location: InputLocation, name: impl Into<String>, detail: impl Into<String>) -> Self {
        InputIssue {
            issue_type: types::ISSUE_INVALID_INPUT.into(),
            title: "Invalid input".into(),
            detail: detail.into(),
            location,
            name: Some(name.into()),
            value: None,
        }
    }

    pub fn schema(location: InputLocation, name: Option<String>, detail: impl Into<String>) -> Self {
        InputIssue {
            issue_type: types::ISSUE_SCHEMA_VIOLATION.into(),
            title: "Input isn't valid with respect to schema".into(),
            detail: detail.into(),
            location,
            name,
            value: None,
        }
    }

    pub fn unknown(location: InputLocation, name: impl Into<String>) -> Self {
        let name = name.into();
        InputIssue {
            issue_type: types::ISSUE_UNKNOWN_INPUT.into(),
            title: "Unknown input".into(),
            detail: format!("{name} is not a known input of this operation"),
            location,
            name: Some(name),
            value: None,
        }
    }

    pub fn referenced_not_found(location: InputLocation, name: impl Into<String>, detail: impl Into<String>) -> Self {
        InputIssue {
            issue_type: types::ISSUE_REFERENCED_RESOURCE_NOT_FOUND.into(),
            title: "Referenced resource not found".into(),
            ..InputIssue::invalid(location, name, detail)
        }
    }

    pub fn with_value(mut self, value: impl Serialize) -> Self {
        self.value = serde_json::to_value(value).ok();
        self
    }
}

/// An RFC 9457 problem as this API returns it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(example = json!({
    "type": "urn:problem-type:belgif:resourceNotFound",
    "title": "Resource not found",
    "status": 404,
    "detail": "No aanbod with id 42",
    "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"
}))]
pub struct Problem {
    /// Stable URN of the problem type; clients branch on this, never on `title` or `detail`.
    #[serde(rename = "type")]
    pub problem_type: String,
    /// Short English summary of the problem type.
    pub title: String,
    /// The HTTP status code.
    pub status: u16,
    /// Explanation of this occurrence, for a human.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Unique id of this occurrence (`urn:uuid:…`); quote it when asking for support.
    pub instance: String,
    /// For `badRequest`: every faulty input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub issues: Vec<InputIssue>,
    /// For a `409` on a duplicate: the absolute URI of the existing resource.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// OAuth2 error code (RFC 6749 §5.2), on problems of `POST /v1/oauth/token` only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "invalid_client")]
    pub error: Option<String>,
    /// OAuth2 error description, with `error`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// The handlers' error: a problem waiting to be rendered, plus the logged-only cause of a 5xx.
/// Boxed, so `Result<T, ApiError>` stays one pointer wide on the happy path.
#[derive(Debug)]
pub struct ApiError(Box<ApiErrorInner>);

#[derive(Debug)]
pub struct ApiErrorInner {
    status: StatusCode,
    problem_type: Cow<'static, str>,
    title: Cow<'static, str>,
    detail: Option<String>,
    issues: Vec<InputIssue>,
    href: Option<String>,
    headers: Vec<(HeaderName, HeaderValue)>,
    cause: Option<String>,
    oauth_error: Option<&'static str>,
}

impl std::ops::Deref for ApiError {
    type Target = ApiErrorInner;
    fn deref(&self) -> &ApiErrorInner {
        &self.0
    }
}

impl std::ops::DerefMut for ApiError {
    fn deref_mut(&mut self) -> &mut ApiErrorInner {
        &mut self.0
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.status.as_u16(), self.problem_type)?;
        if let Some(d) = &self.detail {
            write!(f, ": {d}")?;
        }
        Ok(())
    }
}

/// Marker the conventions middleware reads to log 5xx causes next to the trace id.
#[derive(Clone, Debug)]
pub struct ProblemInstance(pub String);

impl ApiError {
    pub fn new(status: StatusCode, problem_type: &'static str, title: &'static str) -> Self {
        ApiError(Box::new(ApiErrorInner {
            status,
            problem_type: Cow::Borrowed(problem_type),
            title: Cow::Borrowed(title),
            detail: None,
            issues: Vec::new(),
            href: None,
            headers: Vec::new(),
            cause: None,
            oauth_error: None,
        }))
    }

    /// An API-specific problem type `urn:problem-type:pnt:<name>`.
    pub fn pnt(status: StatusCode, name: &str, title: impl Into<String>, detail: impl Into<String>) -> Self {
        let mut e = ApiError::new(status, types::CONFLICT, "").with_detail(detail);
        e.problem_type = Cow::Owned(format!("urn:problem-type:pnt:{name}"));
        e.title = Cow::Owned(title.into());
        e
    }

    pub fn with_detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }

    /// Adds the RFC 6749 `error` code (and the detail as `error_description`).
    pub fn with_oauth_error(mut self, code: &'static str) -> Self {
        self.oauth_error = Some(code);
        self
    }

    pub fn with_href(mut self, href: impl Into<String>) -> Self {
        self.href = Some(href.into());
        self
    }

    pub fn with_header(mut self, name: HeaderName, value: &str) -> Self {
        if let Ok(v) = HeaderValue::from_str(value) {
            self.headers.push((name, v));
        }
        self
    }

    pub fn problem_type(&self) -> &str {
        &self.problem_type
    }

    pub fn issues(&self) -> &[InputIssue] {
        &self.issues
    }

    // --- 400 ---------------------------------------------------------------------------------

    /// Broken domain rules, each an issue naming its body field.
    pub fn regelfouten(fouten: Vec<crate::domain::contract::RegelFout>) -> Self {
        Self::bad_request(
            fouten.into_iter().map(|f| InputIssue::invalid(InputLocation::Body, f.veld, f.detail)).collect(),
        )
    }

    pub fn bad_request(issues: Vec<InputIssue>) -> Self {
        let detail = match issues.as_slice() {
            [one] => one.detail.clone(),
            _ => "The input message is incorrect; see issues".into(),
        };
        let mut e = ApiError::new(StatusCode::BAD_REQUEST, types::BAD_REQUEST, "Bad Request").with_detail(detail);
        e.issues = issues;
        e
    }

    /// A single invalid input.
    pub fn invalid(location: InputLocation, name: impl Into<String>, detail: impl Into<String>) -> Self {
        ApiError::bad_request(vec![InputIssue::invalid(location, name, detail)])
    }

    // --- 401 / 403 -----------------------------------------------------------------------------

    pub fn no_access_token() -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, types::NO_ACCESS_TOKEN, "No Access Token")
            .with_detail("This operation needs a bearer access token")
            .with_header(actix_web::http::header::WWW_AUTHENTICATE, "Bearer")
    }

    pub fn invalid_access_token(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, types::INVALID_ACCESS_TOKEN, "Invalid Access Token")
            .with_detail(detail)
            .with_header(actix_web::http::header::WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"")
    }

    pub fn expired_access_token() -> Self {
        ApiError::new(StatusCode::UNAUTHORIZED, types::EXPIRED_ACCESS_TOKEN, "Expired Access Token")
            .with_detail("The access token has expired")
            .with_header(
                actix_web::http::header::WWW_AUTHENTICATE,
                "Bearer error=\"invalid_token\", error_description=\"The access token expired\"",
            )
    }

    pub fn missing_permission(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::FORBIDDEN, types::MISSING_PERMISSION, "Missing Permission").with_detail(detail)
    }

    // --- 404 / 405 / 406 / 409 / 412 / 413 / 415 / 429 ----------------------------------------

    pub fn not_found(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_FOUND, types::RESOURCE_NOT_FOUND, "Resource Not Found").with_detail(detail)
    }

    pub fn method_not_allowed(allowed: &[&str]) -> Self {
        ApiError::new(StatusCode::METHOD_NOT_ALLOWED, types::METHOD_NOT_ALLOWED, "Method Not Allowed")
            .with_detail(format!("Allowed methods: {}", allowed.join(", ")))
            .with_header(actix_web::http::header::ALLOW, &allowed.join(", "))
    }

    pub fn not_acceptable(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::NOT_ACCEPTABLE, types::NOT_ACCEPTABLE, "Not Acceptable").with_detail(detail)
    }

    /// A duplicate of an existing resource; `href` points at the one that exists.
    pub fn duplicate(detail: impl Into<String>, existing_href: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, types::DUPLICATE, "Duplicate Resource")
            .with_detail(detail)
            .with_href(existing_href)
    }

    pub fn conflict(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, types::CONFLICT, "Conflict").with_detail(detail)
    }

    pub fn invalid_transition(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::CONFLICT, types::INVALID_TRANSITION, "Invalid Status Transition").with_detail(detail)
    }

    pub fn precondition_failed(detail: impl Into<String>) -> Self {
        ApiError::new(StatusCode::PRECONDITION_FAILED, types::PRECONDITION_FAILED, "Precondition Failed")
            .with_detail(detail)
    }

    pub fn payload_too_large(limit: usize) -> Self {
        ApiError::new(StatusCode::PAYLOAD_TOO_LARGE, types::PAYLOAD_TOO_LARGE, "Payload Too Large")
            .with_detail(format!("The request body exceeds the limit of {limit} bytes"))
    }

    pub fn unsupported_media_type(expected: &str) -> Self {
        ApiError::new(StatusCode::UNSUPPORTED_MEDIA_TYPE, types::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type")
            .with_detail(format!("Expected a body of type {expected}"))
    }

    pub fn too_many_requests(retry_after_secs: u64) -> Self {
        ApiError::new(StatusCode::TOO_MANY_REQUESTS, types::TOO_MANY_REQUESTS, "Too Many Requests")
            .with_detail(format!("Too many requests; retry after {retry_after_secs} seconds"))
            .with_header(actix_web::http::header::RETRY_AFTER, &retry_after_secs.to_string())
    }

    // --- 5xx -------------------------------------------------------------------------------------

    pub fn internal(cause: impl fmt::Display) -> Self {
        let mut e =
            ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, types::INTERNAL_SERVER_ERROR, "Internal Server Error")
                .with_detail("An unexpected error occurred; quote the instance id when you contact support");
        e.cause = Some(cause.to_string());
        e
    }

    pub fn service_unavailable(cause: impl fmt::Display) -> Self {
        let mut e = ApiError::new(StatusCode::SERVICE_UNAVAILABLE, types::SERVICE_UNAVAILABLE, "Service Unavailable")
            .with_detail("The service is temporarily unavailable; try again later")
            .with_header(actix_web::http::header::RETRY_AFTER, "5");
        e.cause = Some(cause.to_string());
        e
    }

    /// The problem body, with a fresh occurrence id.
    pub fn to_problem(&self) -> Problem {
        Problem {
            problem_type: self.problem_type.to_string(),
            title: self.title.to_string(),
            status: self.status.as_u16(),
            detail: self.detail.clone(),
            instance: format!("urn:uuid:{}", uuid::Uuid::new_v4()),
            issues: self.issues.clone(),
            href: self.href.clone(),
            error: self.oauth_error.map(str::to_string),
            error_description: self.oauth_error.and(self.detail.clone()),
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        self.status
    }

    fn error_response(&self) -> HttpResponse {
        let problem = self.to_problem();
        if let Some(cause) = &self.cause {
            log::error!("{} {}: {cause}", problem.instance, self.problem_type);
        }
        let mut res = HttpResponse::build(self.status);
        res.content_type(PROBLEM_JSON);
        for (name, value) in &self.headers {
            res.insert_header((name.clone(), value.clone()));
        }
        let mut res = res.json(&problem);
        res.extensions_mut().insert(ProblemInstance(problem.instance));
        res
    }
}

impl From<diesel::result::Error> for ApiError {
    fn from(e: diesel::result::Error) -> Self {
        use diesel::result::{DatabaseErrorKind, Error};
        match e {
            Error::NotFound => ApiError::not_found("The resource does not exist"),
            Error::DatabaseError(DatabaseErrorKind::UniqueViolation, _) => {
                ApiError::conflict("The resource conflicts with an existing one")
            }
            Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => {
                ApiError::conflict("A concurrent change got in the way; retry the request")
            }
            Error::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                ApiError::service_unavailable(info.message())
            }
            other => ApiError::internal(other),
        }
    }
}

impl From<r2d2::Error> for ApiError {
    fn from(e: r2d2::Error) -> Self {
        ApiError::service_unavailable(format!("database pool: {e}"))
    }
}

impl From<actix_web::error::BlockingError> for ApiError {
    fn from(e: actix_web::error::BlockingError) -> Self {
        ApiError::internal(e)
    }
}

/// Default problem for a status that something outside our handlers produced (the router's 405,
/// an extractor of the framework); keeps every error response in one format.
pub fn problem_for_status(status: StatusCode) -> ApiError {
    match status.as_u16() {
        400 => ApiError::bad_request(vec![]).with_detail("The request is malformed"),
        401 => ApiError::no_access_token(),
        403 => ApiError::missing_permission("You are not allowed to do this"),
        404 => ApiError::not_found("No resource at this path"),
        405 => ApiError::new(status, types::METHOD_NOT_ALLOWED, "Method Not Allowed")
            .with_detail("This method is not allowed on this resource"),
        406 => ApiError::not_acceptable("No acceptable representation"),
        413 => ApiError::new(status, types::PAYLOAD_TOO_LARGE, "Payload Too Large")
            .with_detail("The request body is too large"),
        431 => ApiError::new(status, types::REQUEST_HEADER_FIELDS_TOO_LARGE, "Request Header Fields Too Large")
            .with_detail("The request's header fields are too large (at most 128 KiB and 96 fields in all)"),
        415 => ApiError::new(status, types::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type"),
        429 => ApiError::new(status, types::TOO_MANY_REQUESTS, "Too Many Requests"),
        503 => ApiError::new(status, types::SERVICE_UNAVAILABLE, "Service Unavailable"),
        s if s >= 500 => ApiError::new(status, types::INTERNAL_SERVER_ERROR, "Internal Server Error"),
        _ => ApiError::new(status, types::BAD_REQUEST, "Bad Request"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_errors_hide_their_cause() {
        let e = ApiError::internal("relation \"aanbod\" does not exist");
        let body = serde_json::to_string(&e.to_problem()).unwrap();
        assert!(!body.contains("relation"));
        assert!(body.contains("internalServerError"));
    }

    #[test]
    fn single_issue_becomes_the_detail() {
        let e = ApiError::invalid(InputLocation::Query, "pageSize", "must be between 1 and 200");
        let p = e.to_problem();
        assert_eq!(p.status, 400);
        assert_eq!(p.detail.as_deref(), Some("must be between 1 and 200"));
        assert_eq!(p.issues[0].name.as_deref(), Some("pageSize"));
        assert!(p.instance.starts_with("urn:uuid:"));
    }
}
