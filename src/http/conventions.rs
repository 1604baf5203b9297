//! The conventions every response keeps (README, "API conventions"): a `BelGov-Trace-Id`, security headers,
//! and a problem+json body for every error — also for the ones the framework produces itself
//! (router 404/405, CORS refusals, extractor errors).

use std::collections::BTreeSet;
use std::future::{Ready, ready};

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{Payload, ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::middleware::Next;
use actix_web::{FromRequest, HttpMessage, HttpRequest, HttpResponse, ResponseError, web};

use crate::error::{ApiError, PROBLEM_JSON, ProblemInstance, problem_for_status};

pub const TRACE_HEADER: &str = "BelGov-Trace-Id";

/// Marks a deliberate non-problem body on an error status (the health document's 503).
#[derive(Clone, Copy, Debug)]
pub struct PlainErrorBody;

tokio::task_local! {
    /// The trace id of the request this task serves, for log lines (`PNT_LOG_FORMAT=json`).
    static TRACE: String;
}

/// The trace id of the request being served on this task, if any.
pub fn huidige_trace() -> Option<String> {
    TRACE.try_with(Clone::clone).ok()
}

/// One log record as a JSON line (`PNT_LOG_FORMAT=json`) with the trace id of the request it
/// belongs to: the task's own while a request is served, else the access log's `trace=…`.
pub fn json_log_line(timestamp: &str, level: &str, target: &str, message: &str) -> String {
    let trace = huidige_trace().or_else(|| {
        let (_, rest) = message.rsplit_once("trace=")?;
        rest.split_whitespace().next().filter(|t| *t != "-").map(str::to_string)
    });
    serde_json::json!({
        "timestamp": timestamp,
        "level": level,
        "target": target,
        "message": message,
        "traceId": trace,
    })
    .to_string()
}

/// The request's trace id: the client's `BelGov-Trace-Id` if it sent a sane one, else a new UUID.
#[derive(Clone, Debug)]
pub struct TraceId(pub String);

impl FromRequest for TraceId {
    type Error = ApiError;
    type Future = Ready<Result<TraceId, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let id = req.extensions().get::<TraceId>().cloned();
        ready(Ok(id.unwrap_or_else(|| TraceId(uuid::Uuid::new_v4().to_string()))))
    }
}

/// Accepts client trace ids of visible ASCII up to 128 characters, so they are safe to echo
/// and to log.
fn client_trace_id(req: &ServiceRequest) -> Option<String> {
    let v = req.headers().get(TRACE_HEADER)?.to_str().ok()?.trim();
    (!v.is_empty() && v.len() <= 128 && v.bytes().all(|b| b.is_ascii_graphic())).then(|| v.to_string())
}

fn is_docs(path: &str) -> bool {
    path.starts_with("/swagger-ui")
}

pub async fn conventions(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let trace = client_trace_id(&req).unwrap_or_else(|| uuid::Uuid::new_v4().to_string());
    req.extensions_mut().insert(TraceId(trace.clone()));
    let docs = is_docs(req.path());

    // Handlers and extractors turn their errors into responses, so an `Err` here can only come
    // from a middleware; it is passed on for actix to render. (The request cannot be cloned
    // before routing to build a response ourselves: routing needs it unshared.)
    // Control characters and out-of-range dates in any query parameter are refused here, once
    // for every operation (README, "Input rules").
    let query_issues = super::extract::query_text_issues(req.query_string());
    let mut res = if query_issues.is_empty() || docs {
        TRACE.scope(trace.clone(), next.call(req)).await?.map_into_boxed_body()
    } else {
        req.into_response(ApiError::bad_request(query_issues).error_response()).map_into_boxed_body()
    };

    let status = res.status();
    if status.is_client_error() || status.is_server_error() {
        let is_problem = res
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with(PROBLEM_JSON));
        if !is_problem && !res.response().extensions().contains::<PlainErrorBody>() {
            res = as_problem(res);
        }
        if status.is_server_error() {
            let instance = res.response().extensions().get::<ProblemInstance>().map(|p| p.0.clone());
            log::error!("trace={trace} status={} instance={}", status.as_u16(), instance.unwrap_or_default());
        }
    }

    let headers = res.headers_mut();
    if let Ok(v) = HeaderValue::from_str(&trace) {
        headers.insert(HeaderName::from_static("belgov-trace-id"), v);
    }
    for (name, value) in security_headers(docs) {
        // A handler's own caching decision stands.
        if name == header::CACHE_CONTROL && headers.contains_key(header::CACHE_CONTROL) {
            continue;
        }
        headers.insert(name, HeaderValue::from_static(value));
    }
    Ok(res)
}

/// The security headers of every response (also the 431 `oversized::HeadGuard` writes
/// itself); the Swagger UI (`docs`) may be cached and needs scripts.
pub fn security_headers(docs: bool) -> Vec<(HeaderName, &'static str)> {
    let mut list = vec![
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "no-referrer"),
    ];
    if !docs {
        // API documents are personal or change often: never cache them in between.
        list.push((header::CACHE_CONTROL, "no-store"));
        list.push((header::CONTENT_SECURITY_POLICY, "default-src 'none'; frame-ancestors 'none'"));
    }
    list
}

/// Replaces a non-problem error body by the problem for its status, keeping headers such as
/// `Allow` or CORS ones.
fn as_problem(res: ServiceResponse<BoxBody>) -> ServiceResponse<BoxBody> {
    let (req, old) = res.into_parts();
    let mut new = problem_for_status(old.status()).error_response();
    for (name, value) in old.headers() {
        if name != header::CONTENT_TYPE && name != header::CONTENT_LENGTH {
            new.headers_mut().insert(name.clone(), value.clone());
        }
    }
    ServiceResponse::new(req, new)
}

/// The operations the API serves, taken from its OpenAPI document, so the fallback can tell
/// "no such resource" (404) from "no such method on this resource" (405 with `Allow`).
#[derive(Clone, Debug, Default)]
pub struct RouteTable {
    routes: Vec<(Vec<String>, BTreeSet<String>)>,
}

impl RouteTable {
    pub fn from_openapi(api: &utoipa::openapi::OpenApi) -> Self {
        let routes = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| {
                let value = serde_json::to_value(item).unwrap_or_default();
                let methods = value
                    .as_object()
                    .map(|o| {
                        o.keys()
                            .filter(|k| matches!(k.as_str(), "get" | "put" | "post" | "delete" | "patch" | "head"))
                            .map(|k| k.to_uppercase())
                            .collect()
                    })
                    .unwrap_or_default();
                (segments(path), methods)
            })
            .collect();
        RouteTable { routes }
    }

    /// The methods allowed on `path`, empty when no documented resource matches it.
    pub fn allowed(&self, path: &str) -> BTreeSet<String> {
        let wanted = segments(path);
        let mut allowed = BTreeSet::new();
        for (pattern, methods) in &self.routes {
            let matches = pattern.len() == wanted.len()
                && pattern.iter().zip(&wanted).all(|(p, w)| p == w || (p.starts_with('{') && !w.is_empty()));
            if matches {
                allowed.extend(methods.iter().cloned());
            }
        }
        allowed
    }
}

fn segments(path: &str) -> Vec<String> {
    path.trim_end_matches('/').split('/').map(str::to_string).collect()
}

/// The app's default service: 405 with `Allow` when the path exists under another method,
/// else 404.
pub async fn fallback(req: HttpRequest, routes: web::Data<RouteTable>) -> HttpResponse {
    let allowed = routes.allowed(req.path());
    let err = if allowed.is_empty() || allowed.contains(req.method().as_str()) {
        ApiError::not_found(format!("No resource at {}", req.path()))
    } else {
        let list: Vec<&str> = allowed.iter().map(String::as_str).collect();
        ApiError::method_not_allowed(&list)
    };
    err.error_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_table_matches_templates() {
        let table = RouteTable {
            routes: vec![
                (segments("/v1/gemeenten"), ["GET".to_string()].into()),
                (segments("/v1/gemeenten/{nisCode}"), ["GET".to_string()].into()),
                (segments("/v1/aanbod/{id}"), ["GET".to_string(), "PUT".to_string()].into()),
            ],
        };
        assert!(table.allowed("/v1/gemeenten/11002").contains("GET"));
        assert!(table.allowed("/v1/gemeenten/11002/x").is_empty());
        assert_eq!(table.allowed("/v1/aanbod/5").len(), 2);
        assert!(table.allowed("/v2/gemeenten").is_empty());
    }
}

#[cfg(test)]
mod log_tests {
    use super::*;

    #[test]
    fn json_log_lines_carry_the_trace_id() {
        let access = json_log_line(
            "2026-12-01T12:00:00.000Z",
            "INFO",
            "actix_web::middleware::logger",
            "127.0.0.1 \"GET /v1/aanbod\" 200 12 1.2ms trace=abc-123",
        );
        let v: serde_json::Value = serde_json::from_str(&access).unwrap();
        assert_eq!(v["traceId"], "abc-123");
        assert_eq!(v["level"], "INFO");
        let buiten = json_log_line("t", "WARN", "pnt_api::outbox", "outbox: down");
        assert_eq!(serde_json::from_str::<serde_json::Value>(&buiten).unwrap()["traceId"], serde_json::Value::Null);
        let binnen = actix_web::rt::System::new()
            .block_on(TRACE.scope("req-7".into(), async { json_log_line("t", "WARN", "x", "in a handler") }));
        assert_eq!(serde_json::from_str::<serde_json::Value>(&binnen).unwrap()["traceId"], "req-7");
    }
}
