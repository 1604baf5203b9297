//! `POST /v1/oauth/token`: the OAuth2 client-credentials grant (RFC 6749 §4.4) for machine
//! clients. Errors are problem+json that also carry the RFC 6749 `error` code.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, post, web};
use base64::Engine;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::{Claims, Role};
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult, Problem};
use crate::http::conventions::TraceId;
use crate::http::extract::read_body;
use crate::repo::api_clients as repo;
use crate::repo::audit::{self, Action, Actor};
use crate::state::AppState;
use crate::wire::oauth::{TokenRequest, TokenResponse};

fn oauth_error(status: StatusCode, code: &'static str, detail: &str) -> ApiError {
    ApiError::pnt(status, "oauthError", "OAuth Error", detail).with_oauth_error(code)
}

fn invalid_client() -> ApiError {
    oauth_error(StatusCode::UNAUTHORIZED, "invalid_client", "Unknown client, wrong secret or revoked client")
        .with_header(header::WWW_AUTHENTICATE, "Basic realm=\"pnt-api\"")
}

/// `Authorization: Basic base64(urlencode(id):urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_credentials(req: &HttpRequest) -> ApiResult<Option<(String, String)>> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else { return Ok(None) };
    let value = value.to_str().unwrap_or("");
    let Some(encoded) = value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")) else {
        return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "Use HTTP Basic or form credentials"));
    };
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(encoded.trim())
        .ok()
        .and_then(|b| String::from_utf8(b).ok())
        .ok_or_else(invalid_client)?;
    let (id, secret) = decoded.split_once(':').ok_or_else(invalid_client)?;
    let decode = |s: &str| form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned());
    Ok(Some((decode(id).unwrap_or_default(), decode(secret).unwrap_or_default())))
}

/// Get an access token (client credentials)
///
/// Public (no bearer token): the machine client authenticates with its own credentials,
/// `grant_type=client_credentials` with `client_id` and `client_secret` in the form body or as
/// HTTP Basic (one of the two, not both). The token carries the client's role and
/// municipalities and is signed by this API; its lifetime is `expires_in`. Errors are
/// problem+json that also carry the RFC 6749 `error` code: an unknown, revoked or wrong client
/// is `401` `invalid_client`. Attempts are rate limited per address (`429`). An instance
/// without a signing secret of its own answers `503`.
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "oauthToken",
    request_body(content = TokenRequest, content_type = "application/x-www-form-urlencoded",
        description = "The grant, form-encoded",
        example = json!({"grant_type": "client_credentials", "client_id": "pnt-9f3a6c1e2b7d4a50", "client_secret": "q3Jm0X8cV2b5Tz9LwR4nYd7Ke1Ha6Pf0Ug3Ss8Ej2Oi"})),
    responses(
        (status = 200, description = "The token", body = TokenResponse,
            headers(("Cache-Control" = String, description = "`no-store`: never cache a token"), ("Pragma" = String, description = "`no-cache`"))),
        (status = 400, description = "`oauthError` with `error` `invalid_request` (no or a faulty form, two ways of authentication) or `unsupported_grant_type`",
            body = Problem,
            example = json!({"type": "urn:problem-type:pnt:oauthError", "title": "OAuth Error", "status": 400,
                "detail": "Only grant_type=client_credentials is supported", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11",
                "error": "unsupported_grant_type"})),
        (status = 401, description = "`oauthError` with `error` `invalid_client`: unknown client, wrong secret or revoked client (with `WWW-Authenticate: Basic`)",
            body = Problem,
            headers(("WWW-Authenticate" = String, description = "`Basic realm=\"pnt-api\"`")),
            example = json!({"type": "urn:problem-type:pnt:oauthError", "title": "OAuth Error", "status": 401,
                "detail": "Unknown client, wrong secret or revoked client", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11",
                "error": "invalid_client"})),
        (status = 429, description = "Too many attempts from this address (`tooManyRequests`, with `Retry-After`)", body = Problem,
            headers(("Retry-After" = String, description = "Seconds to wait")),
            example = json!({"type": "urn:problem-type:belgif:tooManyRequests", "title": "Too Many Requests", "status": 429,
                "detail": "Too many requests; retry after 12 seconds", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[post("/oauth/token")]
pub async fn token(
    req: HttpRequest,
    state: web::Data<AppState>,
    trace: TraceId,
    mut payload: web::Payload,
) -> ApiResult<HttpResponse> {
    state.limits.token.check(&req)?;
    let form_type = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if !form_type {
        return Err(
            ApiError::unsupported_media_type("application/x-www-form-urlencoded").with_oauth_error("invalid_request")
        );
    }
    let body = read_body(&req, &mut payload, 8 * 1024).await?;
    let form: TokenRequest = serde_html_form::from_bytes(&body)
        .map_err(|e| oauth_error(StatusCode::BAD_REQUEST, "invalid_request", &e.to_string()))?;
    match form.grant_type.as_deref() {
        Some("client_credentials") => {}
        Some(_) => {
            return Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "unsupported_grant_type",
                "Only grant_type=client_credentials is supported",
            ));
        }
        None => return Err(oauth_error(StatusCode::BAD_REQUEST, "invalid_request", "grant_type is required")),
    }
    let (client_id, secret) = match (basic_credentials(&req)?, form.client_id, form.client_secret) {
        (Some(basic), None, None) => basic,
        (None, Some(id), Some(secret)) => (id, secret),
        (Some(_), _, _) => {
            return Err(oauth_error(
                StatusCode::BAD_REQUEST,
                "invalid_request",
                "Use one way of client authentication",
            ));
        }
        _ => return Err(invalid_client()),
    };
    if !state.tokens.can_mint() {
        return Err(ApiError::service_unavailable("no HS256 secret")
            .with_detail("This instance issues no tokens of its own; machine clients use the identity provider"));
    }
    let lookup = client_id.clone();
    let client = state.db.run(move |c| Ok(repo::find(c, &lookup)?)).await?;
    let Some(client) = client.filter(|c| c.actief) else {
        // Same work as a real check, so timing does not tell which client ids exist.
        let _ = web::block(move || secrets::verify_secret(&secret, secrets::DUMMY_HASH)).await;
        return Err(invalid_client());
    };
    let hash = client.secret_hash.clone();
    if !web::block(move || secrets::verify_secret(&secret, &hash)).await? {
        return Err(invalid_client());
    }
    let ttl = chrono::Duration::from_std(state.settings.jwt.access_token_ttl).unwrap_or(chrono::Duration::hours(1));
    let claims = Claims {
        sub: client.client_id.clone(),
        roles: vec![Role::FeedClient.as_str().to_string()],
        gemeenten: client.gemeenten(),
        organisatie: None,
        regio: None,
        name: Some(client.naam.clone()),
        email: None,
        exp: 0,
        iat: None,
        nbf: None,
        iss: None,
        aud: None,
        client_id: Some(client.client_id.clone()),
    };
    let access_token = state.tokens.mint(claims, ttl)?;
    let actor = Actor::machine(&client.client_id, "feedClient", &trace, state.clock.now());
    state
        .db
        .write(move |c| {
            repo::touch(c, &actor.sub, actor.at)?;
            Ok(audit::record(c, &actor, Action::Change("tokenUitgegeven"), "apiClient", &actor.sub, None)?)
        })
        .await?;
    Ok(HttpResponse::Ok().insert_header((header::PRAGMA, "no-cache")).json(TokenResponse {
        access_token,
        token_type: "Bearer".into(),
        expires_in: ttl.num_seconds(),
    }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(token);
}
