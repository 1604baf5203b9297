//! Optimistic concurrency: every document carries a version, exposed as a strong `ETag`; writes
//! honour `If-Match` (412 `preconditionFailed` when the client's copy is stale). The check that
//! matters happens in SQL (`UPDATE … WHERE versie = ?`), so two racing writers cannot both win.

use std::future::{Ready, ready};

use actix_web::http::header::{self, HeaderValue};
use actix_web::{FromRequest, HttpRequest, HttpResponseBuilder, dev::Payload};

use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};

/// The `ETag` of a document version.
pub fn etag(version: i64) -> String {
    format!("\"{version}\"")
}

/// Adds the `ETag` header of `version` to a response.
pub fn with_etag(builder: &mut HttpResponseBuilder, version: i64) -> &mut HttpResponseBuilder {
    builder.insert_header((header::ETAG, etag(version)))
}

/// The request's `If-Match`: absent, `*`, or the versions the client holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum IfMatch {
    #[default]
    Absent,
    Any,
    Versions(Vec<i64>),
}

impl IfMatch {
    pub fn parse(value: Option<&HeaderValue>) -> ApiResult<IfMatch> {
        let Some(value) = value else {
            return Ok(IfMatch::Absent);
        };
        let bad = || {
            ApiError::bad_request(vec![InputIssue::invalid(
                InputLocation::Header,
                "If-Match",
                "If-Match must be * or a list of ETags from this API, like \"3\"",
            )])
        };
        let text = value.to_str().map_err(|_| bad())?.trim();
        if text == "*" {
            return Ok(IfMatch::Any);
        }
        let mut versions = Vec::new();
        for tag in text.split(',').map(str::trim).filter(|t| !t.is_empty()) {
            // Weak tags never match under If-Match (RFC 9110 §13.1.1): they cannot be ours.
            let Some(inner) = tag.strip_prefix('"').and_then(|t| t.strip_suffix('"')) else {
                return Err(bad());
            };
            match inner.parse::<i64>() {
                Ok(v) => versions.push(v),
                // Syntactically an ETag, but not one of ours: it simply does not match.
                Err(_) => versions.push(i64::MIN),
            }
        }
        if versions.is_empty() {
            return Err(bad());
        }
        Ok(IfMatch::Versions(versions))
    }

    /// The version the write must apply to, if the client pinned one.
    pub fn expected(&self) -> Option<&[i64]> {
        match self {
            IfMatch::Versions(v) => Some(v),
            _ => None,
        }
    }

    /// 412 unless the current version satisfies the precondition.
    pub fn check(&self, current: i64) -> ApiResult<()> {
        match self {
            IfMatch::Versions(v) if !v.contains(&current) => Err(ApiError::precondition_failed(format!(
                "The resource changed since you read it (current ETag {}); fetch it again and retry",
                etag(current)
            ))),
            _ => Ok(()),
        }
    }
}

/// The `If-Match` header, documented once: a handler lists `params(IfMatch)` and the document
/// gets this parameter, the `412` and the lost-race `409` (added centrally by
/// [`crate::openapi::finish`]).
impl utoipa::IntoParams for IfMatch {
    fn into_params(
        _: impl Fn() -> Option<utoipa::openapi::path::ParameterIn>,
    ) -> Vec<utoipa::openapi::path::Parameter> {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{ObjectBuilder, Required, schema::Type};
        vec![
            ParameterBuilder::new()
                .name(IF_MATCH)
                .parameter_in(ParameterIn::Header)
                .required(Required::False)
                .description(Some(
                    "The `ETag` of the version you read: the change applies only to that version (else `412`). \
                     Without it, the change applies to the current version.",
                ))
                .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
                .example(Some(serde_json::json!("\"3\"")))
                .build(),
        ]
    }
}

/// The header's name, as the document spells it.
pub const IF_MATCH: &str = "If-Match";

impl FromRequest for IfMatch {
    type Error = ApiError;
    type Future = Ready<Result<IfMatch, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(IfMatch::parse(req.headers().get(header::IF_MATCH)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(s: &str) -> ApiResult<IfMatch> {
        IfMatch::parse(Some(&HeaderValue::from_str(s).unwrap()))
    }

    #[test]
    fn parses_tags() {
        assert_eq!(IfMatch::parse(None).unwrap(), IfMatch::Absent);
        assert_eq!(parse("*").unwrap(), IfMatch::Any);
        assert_eq!(parse("\"3\", \"4\"").unwrap(), IfMatch::Versions(vec![3, 4]));
        assert!(parse("3").is_err());
        assert!(parse("W/\"3\"").is_err());
    }

    #[test]
    fn checks_the_current_version() {
        assert!(parse("\"3\"").unwrap().check(3).is_ok());
        let e = parse("\"3\"").unwrap().check(4).unwrap_err();
        assert_eq!(e.problem_type(), crate::error::types::PRECONDITION_FAILED);
        assert!(parse("\"abc\"").unwrap().check(4).is_err());
        assert!(IfMatch::Any.check(7).is_ok());
        assert!(IfMatch::Absent.check(7).is_ok());
    }
}
