//! `Idempotency-Key` on POST: a retried request with the same key from the same caller gets the
//! first (successful) response again instead of creating a second resource. Keys live in the
//! database, so this holds across instances; they expire after 24 hours.
//!
//! Semantics follow the IETF draft "The Idempotency-Key HTTP Header Field": the same key with a
//! different request is 422, a key whose first request is still running is 409. Only 2xx
//! responses are kept; after an error the client may retry with the same key.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, ResponseError, web};
use sha2::{Digest, Sha256};

use crate::auth::{Caller, caller_of};
use crate::error::{ApiError, InputLocation};
use crate::http::conventions::TraceId;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::idempotency::{self as repo, Begin, Stored};
use crate::state::AppState;
use actix_web::HttpMessage;

pub const HEADER: &str = "idempotency-key";
/// Set on a replayed response.
pub const REPLAYED_HEADER: &str = "idempotent-replayed";
/// Larger responses are not kept (a retry then runs again).
const MAX_STORED_BODY: usize = 1024 * 1024;
/// Headers a replay must carry to mean the same as the original.
const KEPT_HEADERS: [HeaderName; 3] = [header::LOCATION, header::ETAG, header::CONTENT_TYPE];

fn parse_key(value: &HeaderValue) -> Result<String, ApiError> {
    let key = value.to_str().unwrap_or("").trim();
    if key.is_empty() || key.len() > 255 || !key.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(ApiError::invalid(
            InputLocation::Header,
            "Idempotency-Key",
            "Idempotency-Key must be 1 to 255 visible ASCII characters (a UUID is a good choice)",
        ));
    }
    Ok(key.to_string())
}

/// Operations whose response holds a secret (an API client's plaintext `clientSecret`, a
/// webhook's signing secret, a signing link's token): their responses are never stored, so they
/// take no `Idempotency-Key` (README, "Idempotency"). `path` is a request path or the document's template.
pub fn holds_secret(path: &str) -> bool {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').skip(1).collect();
    matches!(
        segments.as_slice(),
        ["v1", "apiClients"]
            | ["v1", "apiClients", _, "secret"]
            | ["v1", "deelnamebewijzen", _, "ondertekenverzoeken"]
            | ["v1", "webhooks"]
    )
}

/// The scope of a key: the caller's whole identity as far as access decisions go (subject,
/// roles and scoping claims), so a token with the same `sub` but other roles or claims never
/// replays a response it could not have obtained itself.
fn scope(c: &Caller) -> String {
    let gemeenten: Vec<_> = c.gemeenten.iter().map(ToString::to_string).collect();
    serde_json::json!({
        "sub": c.sub,
        "roles": c.role_names(),
        "gemeenten": gemeenten,
        "organisatie": c.organisatie.map(|o| o.to_string()),
        "regio": c.regio.as_ref().map(ToString::to_string),
    })
    .to_string()
}

fn respond(req: ServiceRequest, res: HttpResponse) -> ServiceResponse<BoxBody> {
    req.into_response(res).map_into_boxed_body()
}

pub async fn idempotency(
    mut req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let Some(raw_key) = req.headers().get(HEADER).cloned().filter(|_| req.method() == Method::POST) else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };
    let key = match parse_key(&raw_key) {
        Ok(k) => k,
        Err(e) => return Ok(respond(req, e.error_response())),
    };
    // Keys are per caller; without a valid token there is nobody to scope them to, and the
    // handler answers 401 (or serves an anonymous operation) as usual.
    let who = match caller_of(req.request()) {
        Ok(Some(c)) => c,
        _ => return Ok(next.call(req).await?.map_into_boxed_body()),
    };
    if holds_secret(req.path()) {
        return Ok(respond(
            req,
            ApiError::invalid(
                InputLocation::Header,
                "Idempotency-Key",
                "This operation takes no Idempotency-Key: its response holds a secret (a client secret or a \
                 signing link), which is never stored; repeat the request without it",
            )
            .error_response(),
        ));
    }
    let caller = scope(&who);
    let Some(state) = req.app_data::<web::Data<AppState>>().cloned() else {
        return Ok(next.call(req).await?.map_into_boxed_body());
    };

    // Read the body to fingerprint the request, then hand it on unchanged.
    let body = match req.extract::<web::Bytes>().await {
        Ok(b) => b,
        Err(_) => {
            return Ok(respond(req, ApiError::payload_too_large(state.settings.body_limit).error_response()));
        }
    };
    let mut hasher = Sha256::new();
    hasher.update(req.method().as_str());
    hasher.update(b"\n");
    hasher.update(req.uri().to_string());
    hasher.update(b"\n");
    hasher.update(&body);
    let hash = format!("{:x}", hasher.finalize());
    let (_, mut payload) = actix_http::h1::Payload::create(true);
    payload.unread_data(body);
    req.set_payload(payload.into());

    let (c, k, h) = (caller.clone(), key.clone(), hash);
    let now = state.clock.now();
    let begin = match state.db.run(move |conn| Ok(repo::begin(conn, &c, &k, &h, now)?)).await {
        Ok(b) => b,
        Err(e) => return Ok(respond(req, e.error_response())),
    };
    match begin {
        Begin::Replay(stored) => {
            // A replay hands out the stored response again (for a newcomer: personal data), so
            // it is audited like a read of the resource it created.
            let trace = req.extensions().get::<TraceId>().map(|t| t.0.clone()).unwrap_or_default();
            let actor = Actor::van_caller(&who, trace, now);
            let path = req.path().to_string();
            let resource = path.trim_start_matches("/v1/").split('/').next().unwrap_or("").to_string();
            let id = stored
                .headers
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case("location"))
                .and_then(|(_, v)| v.rsplit('/').next())
                .unwrap_or("")
                .to_string();
            let details = serde_json::json!({ "idempotentReplay": true, "path": path });
            let audited = state
                .db
                .write(move |conn| Ok(audit::record(conn, &actor, Action::Read, &resource, &id, Some(details))?))
                .await;
            if let Err(e) = audited {
                return Ok(respond(req, e.error_response()));
            }
            let mut res = HttpResponse::build(StatusCode::from_u16(stored.status).unwrap_or(StatusCode::OK));
            for (name, value) in &stored.headers {
                res.insert_header((name.as_str(), value.as_str()));
            }
            res.insert_header((REPLAYED_HEADER, "true"));
            Ok(respond(req, res.body(stored.body)))
        }
        Begin::Mismatch => Ok(respond(
            req,
            ApiError::pnt(
                StatusCode::UNPROCESSABLE_ENTITY,
                "idempotencyKeyReused",
                "Idempotency Key Reused",
                "This Idempotency-Key was used for a different request; use a new key",
            )
            .error_response(),
        )),
        Begin::InProgress => Ok(respond(
            req,
            ApiError::pnt(
                StatusCode::CONFLICT,
                "requestInProgress",
                "Request In Progress",
                "A request with this Idempotency-Key is still being processed; retry later",
            )
            .error_response(),
        )),
        Begin::Started => {
            let res = next.call(req).await;
            let (request, response) = match res {
                Ok(r) => r.into_parts(),
                Err(e) => {
                    let _ = state.db.run(move |conn| Ok(repo::abandon(conn, &caller, &key)?)).await;
                    return Err(e);
                }
            };
            let status = response.status();
            let headers: Vec<(String, String)> = KEPT_HEADERS
                .iter()
                .filter_map(|n| {
                    response.headers().get(n).and_then(|v| v.to_str().ok()).map(|v| (n.to_string(), v.to_string()))
                })
                .collect();
            let (head, body) = response.into_parts();
            let Ok(bytes) = actix_web::body::to_bytes(body).await else {
                let _ = state.db.run(move |conn| Ok(repo::abandon(conn, &caller, &key)?)).await;
                return Ok(ServiceResponse::new(
                    request,
                    ApiError::internal("unreadable response body").error_response(),
                ));
            };
            let keep = status.is_success() && bytes.len() <= MAX_STORED_BODY && std::str::from_utf8(&bytes).is_ok();
            let text = if keep { String::from_utf8(bytes.to_vec()).ok() } else { None };
            let _ = state
                .db
                .run(move |conn| {
                    match text {
                        Some(body) => {
                            repo::complete(conn, &caller, &key, &Stored { status: status.as_u16(), headers, body })?
                        }
                        None => repo::abandon(conn, &caller, &key)?,
                    }
                    Ok(())
                })
                .await;
            Ok(ServiceResponse::new(request, head.set_body(bytes).map_into_boxed_body()))
        }
    }
}
