//! The public catalogue is cacheable (issue 16): an anonymous `GET` of a public resource (the
//! offer catalogue and its search, gemeenten, regionale netwerken, organisations) that answers
//! `200` gets `Cache-Control: public, max-age=<PNT_PUBLIC_MAX_AGE>` and an `ETag` (the
//! document's version, or a hash of the body for a list), and a matching `If-None-Match` gets
//! `304 Not Modified` without a body. Everything else — any request with an `Authorization`
//! header, any other path, any other status — keeps the `no-store` the conventions set, so a
//! shared cache never holds a personal or token-dependent answer. `Vary: Authorization,
//! Accept-Language` keeps a cache from serving an anonymous copy to a logged-in caller.

use actix_web::body::{BoxBody, MessageBody};
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::http::header::{self, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::middleware::Next;
use actix_web::{HttpResponse, web};
use base64::Engine;
use sha2::{Digest, Sha256};

use crate::state::AppState;

/// Paths whose anonymous answers are public: the collections and their documents.
const OPENBAAR: [&str; 4] = ["/v1/aanbod", "/v1/gemeenten", "/v1/regionaleNetwerken", "/v1/organisaties"];

/// Whether `path` is one of the public collections or a document in it (not a sub-resource).
pub fn is_openbaar(path: &str) -> bool {
    OPENBAAR.iter().any(|p| match path.strip_prefix(p) {
        Some("") => true,
        Some(rest) => rest.starts_with('/') && !rest[1..].is_empty() && !rest[1..].contains('/'),
        None => false,
    })
}

/// Whether an `If-None-Match` value matches `etag` (weak comparison, RFC 9110 §13.1.2).
fn matches(if_none_match: &str, etag: &str) -> bool {
    let kern = |t: &str| t.trim().trim_start_matches("W/").to_string();
    if_none_match.trim() == "*" || if_none_match.split(',').any(|t| kern(t) == kern(etag))
}

pub async fn public_cache(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<BoxBody>, actix_web::Error> {
    let kandidaat =
        req.method() == Method::GET && !req.headers().contains_key(header::AUTHORIZATION) && is_openbaar(req.path());
    let max_age = req.app_data::<web::Data<AppState>>().map(|s| s.settings.public_max_age).unwrap_or(0);
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).map(str::to_string);
    let res = next.call(req).await?.map_into_boxed_body();
    if !kandidaat || res.status() != StatusCode::OK || max_age == 0 {
        return Ok(res);
    }
    let (req, res) = res.into_parts();
    let (mut head, body) = res.into_parts();
    let bytes =
        actix_web::body::to_bytes(body).await.map_err(|_| actix_web::error::ErrorInternalServerError("body"))?;
    let etag = match head.headers().get(header::ETAG).and_then(|v| v.to_str().ok()) {
        Some(e) => e.to_string(),
        None => {
            let hash = Sha256::digest(&bytes);
            format!("\"{}\"", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&hash[..16]))
        }
    };
    let headers = head.headers_mut();
    let cache = format!("public, max-age={max_age}");
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_str(&cache).expect("ascii"));
    headers.insert(header::VARY, HeaderValue::from_static("Authorization, Accept-Language"));
    if let Ok(v) = HeaderValue::from_str(&etag) {
        headers.insert(header::ETAG, v);
    }
    if if_none_match.as_deref().is_some_and(|inm| matches(inm, &etag)) {
        let mut niet = HttpResponse::NotModified();
        for (naam, waarde) in head.headers() {
            if naam != header::CONTENT_TYPE && naam != header::CONTENT_LENGTH {
                niet.insert_header((naam.clone(), waarde.clone()));
            }
        }
        return Ok(ServiceResponse::new(req, niet.finish()));
    }
    Ok(ServiceResponse::new(req, head.set_body(BoxBody::new(bytes))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn public_paths() {
        for p in
            ["/v1/aanbod", "/v1/aanbod/12", "/v1/gemeenten/44021", "/v1/organisaties", "/v1/regionaleNetwerken/RN01"]
        {
            assert!(is_openbaar(p), "{p}");
        }
        for p in ["/v1/aanbodFeeds/x", "/v1/aanbod/12/doorverwijzingen", "/v1/aanbod/", "/v1/inburgeraars", "/health"] {
            assert!(!is_openbaar(p), "{p}");
        }
    }

    #[test]
    fn if_none_match() {
        assert!(matches("\"3\"", "\"3\""));
        assert!(matches("W/\"3\", \"4\"", "\"3\""));
        assert!(matches("*", "\"3\""));
        assert!(!matches("\"2\"", "\"3\""));
    }
}
