//! Bearer tokens: verification (HS256 with the API's secret, RS256 with the identity provider's
//! public key), the typed `Caller` extractor handlers declare, and minting of the API's own
//! tokens (development tokens, client-credentials grant).

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, http::header, web};
use chrono::{DateTime, TimeZone, Utc};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, errors::ErrorKind};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::config::JwtSettings;

pub mod jwks;
use crate::domain::ids::{NetwerkCode, OrganisatieId};
use crate::domain::nis::NisCode;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// Roles from the `roles` claim (README, "Authentication and roles"): `admin`, `trajectbegeleider` (case worker of the
/// agency), `inburgeraar` (newcomer), `aanbieder` (organisation with offers), `lokaalBestuur`
/// (municipality), `netwerkcoordinator` (regional network), `feedClient` (machine client) and
/// `kbiSync` (the KBI synchronisation job: sets a newcomer's `kbiSyncStatus`, nothing else).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum Role {
    Admin,
    Trajectbegeleider,
    Inburgeraar,
    Aanbieder,
    LokaalBestuur,
    Netwerkcoordinator,
    FeedClient,
    KbiSync,
}

impl Role {
    pub const ALL: [Role; 8] = [
        Role::Admin,
        Role::Trajectbegeleider,
        Role::Inburgeraar,
        Role::Aanbieder,
        Role::LokaalBestuur,
        Role::Netwerkcoordinator,
        Role::FeedClient,
        Role::KbiSync,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Trajectbegeleider => "trajectbegeleider",
            Role::Inburgeraar => "inburgeraar",
            Role::Aanbieder => "aanbieder",
            Role::LokaalBestuur => "lokaalBestuur",
            Role::Netwerkcoordinator => "netwerkcoordinator",
            Role::FeedClient => "feedClient",
            Role::KbiSync => "kbiSync",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }
}

/// The JWT payload this API reads and writes.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Claims {
    pub sub: String,
    #[serde(default)]
    pub roles: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gemeenten: Vec<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisatie: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regio: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The OpenID Connect `email` claim: separation of duties compares it with the address a
    /// signing link went to (R20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub exp: i64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iat: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub nbf: Option<i64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iss: Option<String>,
    /// A string or an array of strings, per RFC 7519.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub aud: Option<serde_json::Value>,
    /// The API client a client-credentials token was issued to (RFC 9068 `client_id`): such
    /// tokens stop working as soon as the client is revoked.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
}

/// Set in the request extensions when the caller's token is one of the API's own
/// client-credentials tokens: the client's revocation is checked on every request.
#[derive(Clone, Debug)]
pub struct ApiClientToken(pub String);

/// The authenticated caller, as the API understood the token: its claims parsed once, so every
/// access decision compares typed values (a malformed claim is a 401 naming the claim).
#[derive(Clone, Debug)]
pub struct Caller {
    pub sub: String,
    pub roles: Vec<Role>,
    pub gemeenten: Vec<NisCode>,
    pub organisatie: Option<OrganisatieId>,
    pub regio: Option<NetwerkCode>,
    pub name: Option<String>,
    /// The `email` claim, when the token has one.
    pub email: Option<String>,
    pub expires_at: DateTime<Utc>,
}

impl Caller {
    pub fn has(&self, role: Role) -> bool {
        self.roles.contains(&role)
    }

    pub fn is_admin(&self) -> bool {
        self.has(Role::Admin)
    }

    /// 403 unless the caller has at least one of `roles`.
    pub fn require_any(&self, roles: &[Role]) -> ApiResult<()> {
        if roles.iter().any(|r| self.has(*r)) {
            Ok(())
        } else {
            let names: Vec<_> = roles.iter().map(|r| r.as_str()).collect();
            Err(ApiError::missing_permission(format!("This operation needs one of the roles: {}", names.join(", "))))
        }
    }

    /// Whether the token's `gemeenten` claim covers this NIS code.
    pub fn covers_gemeente(&self, nis: &str) -> bool {
        self.gemeenten.iter().any(|g| g.as_str() == nis)
    }

    /// The organisation an aanbieder acts for: the `organisatie` claim, only with that role.
    pub fn aanbieder_van(&self) -> Option<OrganisatieId> {
        self.organisatie.filter(|_| self.has(Role::Aanbieder))
    }

    /// The network a netwerkcoordinator coordinates: the `regio` claim, only with that role.
    pub fn coordinator_van(&self) -> Option<&NetwerkCode> {
        self.regio.as_ref().filter(|_| self.has(Role::Netwerkcoordinator))
    }

    /// The roles as strings, for the audit log.
    pub fn role_names(&self) -> Vec<&'static str> {
        self.roles.iter().map(|r| r.as_str()).collect()
    }
}

/// Leeway for `exp`/`nbf`: enough for clock skew between the identity provider and us.
const LEEWAY_SECS: u64 = 30;
const DEFAULT_ISSUER: &str = "pnt-api";

pub struct TokenService {
    hs: Option<(EncodingKey, DecodingKey)>,
    rs: Option<DecodingKey>,
    /// The identity provider's rotating keys, selected by `kid`.
    jwks: Option<std::sync::Arc<jwks::Jwks>>,
    issuer: Option<String>,
    audience: Option<String>,
    max_lifetime_secs: i64,
    /// Whether an API client is active, as read from the database, and when: see
    /// `client_revocation`.
    client_states: std::sync::Mutex<std::collections::HashMap<String, (bool, std::time::Instant)>>,
}

/// How long `client_revocation` trusts a client's active/revoked state read from the database.
/// A revocation on this instance takes effect at once (`TokenService::forget_client`); on other
/// instances within this time.
pub const CLIENT_STATE_TTL: std::time::Duration = std::time::Duration::from_secs(5);

impl TokenService {
    pub fn new(settings: &JwtSettings) -> Result<TokenService, String> {
        let hs = settings.secret.as_ref().map(|s| (EncodingKey::from_secret(s), DecodingKey::from_secret(s)));
        let rs = match &settings.public_key_pem {
            Some(pem) => Some(DecodingKey::from_rsa_pem(pem).map_err(|e| format!("PNT_JWT_PUBLIC_KEY: {e}"))?),
            None => None,
        };
        let mut issuer = settings.issuer.clone();
        let jwks = match (&settings.jwks, &settings.oidc) {
            (Some(jwks), _) => Some(jwks::Jwks::start(jwks, "PNT_JWT_JWKS_URL")?),
            (None, Some(oidc)) => {
                let discovered = jwks::discover(oidc)?;
                // The issuer's tokens carry its name in `iss` (config refused a different
                // PNT_JWT_ISSUER).
                issuer = Some(oidc.issuer.clone());
                Some(jwks::Jwks::start(&discovered, "PNT_OIDC_ISSUER")?)
            }
            (None, None) => None,
        };
        Ok(TokenService {
            hs,
            rs,
            jwks,
            issuer,
            audience: settings.audience.clone(),
            max_lifetime_secs: i64::try_from(settings.max_lifetime.as_secs()).unwrap_or(i64::MAX),
            client_states: Default::default(),
        })
    }

    /// Fetches the identity provider's keys now (the background refresh does this
    /// periodically); on failure the cached keys stay. Without a JWKS: nothing to do.
    pub fn refresh_keys(&self) -> Result<(), String> {
        match &self.jwks {
            Some(jwks) => jwks.refresh().map(|_| ()),
            None => Ok(()),
        }
    }

    /// The cached active/revoked state of an API client, if read less than `CLIENT_STATE_TTL` ago.
    fn client_state(&self, client_id: &str) -> Option<bool> {
        let states = self.client_states.lock().unwrap_or_else(|p| p.into_inner());
        states.get(client_id).filter(|(_, at)| at.elapsed() < CLIENT_STATE_TTL).map(|(active, _)| *active)
    }

    fn remember_client(&self, client_id: &str, active: bool) {
        let mut states = self.client_states.lock().unwrap_or_else(|p| p.into_inner());
        // Only clients with a valid token of ours get here, so the map stays small; expired
        // entries go when it grows anyway.
        if states.len() > 1024 {
            states.retain(|_, (_, at)| at.elapsed() < CLIENT_STATE_TTL);
        }
        states.insert(client_id.to_string(), (active, std::time::Instant::now()));
    }

    /// Drops the cached state of a client (after its revocation on this instance).
    pub fn forget_client(&self, client_id: &str) {
        self.client_states.lock().unwrap_or_else(|p| p.into_inner()).remove(client_id);
    }

    /// Whether this instance holds a secret to sign its own tokens with.
    pub fn can_mint(&self) -> bool {
        self.hs.is_some()
    }

    pub fn verify(&self, token: &str) -> ApiResult<Caller> {
        self.verify_token(token).map(|(caller, _)| caller)
    }

    /// Verifies a token; also returns the API client of one of the API's own
    /// client-credentials tokens (HS256 with a `client_id` claim).
    pub fn verify_token(&self, token: &str) -> ApiResult<(Caller, Option<String>)> {
        let header = jsonwebtoken::decode_header(token)
            .map_err(|_| ApiError::invalid_access_token("The access token is not a well-formed JWT"))?;
        // Each key serves one algorithm only, and the key decides it: an HS256 token can never
        // be checked against an RSA or EC public key (algorithm confusion), and `none` or any
        // other algorithm is refused outright. A token naming a `kid` is checked with that key
        // of the identity provider's JWKS, whose algorithm the token's `alg` must match.
        let refuse = || ApiError::invalid_access_token(format!("Tokens signed with {:?} are not accepted", header.alg));
        let (alg, key): (Algorithm, std::borrow::Cow<'_, DecodingKey>) = match (header.alg, &self.jwks, &header.kid) {
            (Algorithm::HS256, _, _) => {
                (Algorithm::HS256, std::borrow::Cow::Borrowed(self.hs.as_ref().map(|(_, d)| d).ok_or_else(refuse)?))
            }
            (_, Some(jwks), Some(kid)) => {
                let (alg, key) = jwks.key(kid).ok_or_else(|| {
                    ApiError::invalid_access_token(
                        "The access token is signed with a key the identity provider does not publish",
                    )
                })?;
                if alg != header.alg {
                    return Err(ApiError::invalid_access_token(format!(
                        "The access token says {:?} but its key serves {alg:?}",
                        header.alg
                    )));
                }
                (alg, std::borrow::Cow::Owned(key))
            }
            (Algorithm::RS256, _, _) => {
                (Algorithm::RS256, std::borrow::Cow::Borrowed(self.rs.as_ref().ok_or_else(refuse)?))
            }
            _ => return Err(refuse()),
        };
        // RFC 7515 §4.1.11: a recipient must refuse a token naming critical extensions it does
        // not understand; this API understands none.
        if let Some(crit) = &header.crit {
            return Err(ApiError::invalid_access_token(format!(
                "The access token names critical header extensions this API does not support: {}",
                crit.join(", ")
            )));
        }
        let mut validation = Validation::new(alg);
        validation.leeway = LEEWAY_SECS;
        validation.validate_nbf = true;
        // A configured issuer or audience is required, not only compared when present
        // (RFC 8725 §3.8–3.9).
        let mut required = vec!["exp", "sub"];
        if self.issuer.is_some() {
            required.push("iss");
        }
        if self.audience.is_some() {
            required.push("aud");
        }
        validation.set_required_spec_claims(&required);
        match &self.issuer {
            Some(iss) => validation.set_issuer(&[iss]),
            None => validation.iss = None,
        }
        match &self.audience {
            Some(aud) => validation.set_audience(&[aud]),
            None => validation.validate_aud = false,
        }
        let data = jsonwebtoken::decode::<Claims>(token, &key, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => ApiError::expired_access_token(),
            ErrorKind::ImmatureSignature => ApiError::invalid_access_token("The access token is not valid yet"),
            ErrorKind::InvalidSignature => ApiError::invalid_access_token("The access token's signature is invalid"),
            ErrorKind::InvalidAudience => {
                ApiError::invalid_access_token("The access token is meant for another audience")
            }
            ErrorKind::InvalidIssuer => ApiError::invalid_access_token("The access token comes from an unknown issuer"),
            ErrorKind::MissingRequiredClaim(c) => {
                ApiError::invalid_access_token(format!("The access token lacks the claim {c}"))
            }
            _ => ApiError::invalid_access_token("The access token is invalid"),
        })?;
        let c = data.claims;
        // Token validity is judged by the system clock, as jsonwebtoken judges `exp` and `nbf`
        // (the process clock of src/clock.rs may be pinned by tests; tokens are real).
        let now = i64::try_from(jsonwebtoken::get_current_timestamp()).unwrap_or(i64::MAX);
        let latest = now.saturating_add(self.max_lifetime_secs).saturating_add(LEEWAY_SECS as i64);
        if c.exp > latest {
            return Err(ApiError::invalid_access_token(format!(
                "The access token lives too long: its exp lies more than {} seconds ahead",
                self.max_lifetime_secs
            )));
        }
        let expires_at = Utc
            .timestamp_opt(c.exp, 0)
            .single()
            .ok_or_else(|| ApiError::invalid_access_token("The access token's exp is out of range"))?;
        if c.sub.trim().is_empty() {
            return Err(ApiError::invalid_access_token("The access token has an empty sub"));
        }
        let mut roles: Vec<Role> = c.roles.iter().filter_map(|r| Role::parse(r)).collect();
        roles.sort();
        roles.dedup();
        let claim =
            |name: &str, e: String| ApiError::invalid_access_token(format!("The claim {name} is malformed: {e}"));
        let gemeenten = c
            .gemeenten
            .iter()
            .map(|g| NisCode::parse(g))
            .collect::<Result<_, _>>()
            .map_err(|e| claim("gemeenten", e))?;
        let organisatie =
            c.organisatie.as_deref().map(OrganisatieId::parse).transpose().map_err(|e| claim("organisatie", e))?;
        let regio = c.regio.as_deref().map(NetwerkCode::parse).transpose().map_err(|e| claim("regio", e))?;
        let client = c.client_id.filter(|_| header.alg == Algorithm::HS256);
        let caller =
            Caller { sub: c.sub, roles, gemeenten, organisatie, regio, name: c.name, email: c.email, expires_at };
        Ok((caller, client))
    }

    /// Signs an HS256 token with the API's secret, filling in `iat`, `nbf`, `exp`, `iss`, `aud`.
    pub fn mint(&self, mut claims: Claims, ttl: chrono::Duration) -> ApiResult<String> {
        let (enc, _) = self.hs.as_ref().ok_or_else(|| {
            ApiError::service_unavailable("no HS256 secret configured")
                .with_detail("This instance issues no tokens of its own; use the identity provider")
        })?;
        let now = Utc::now().timestamp();
        claims.iat = Some(now);
        claims.nbf = Some(now);
        claims.exp = now + ttl.num_seconds();
        claims.iss = Some(self.issuer.clone().unwrap_or_else(|| DEFAULT_ISSUER.into()));
        if let Some(aud) = &self.audience {
            claims.aud = Some(serde_json::Value::String(aud.clone()));
        }
        jsonwebtoken::encode(&Header::new(Algorithm::HS256), &claims, enc).map_err(ApiError::internal)
    }
}

fn bearer(req: &HttpRequest) -> ApiResult<Option<&str>> {
    let Some(value) = req.headers().get(header::AUTHORIZATION) else {
        return Ok(None);
    };
    let value = value.to_str().map_err(|_| ApiError::invalid_access_token("Malformed Authorization header"))?;
    let mut parts = value.splitn(2, ' ');
    match (parts.next(), parts.next()) {
        (Some(scheme), Some(token)) if scheme.eq_ignore_ascii_case("bearer") && !token.trim().is_empty() => {
            Ok(Some(token.trim()))
        }
        _ => Err(ApiError::invalid_access_token("Expected 'Authorization: Bearer <token>'")),
    }
}

/// Verifies the request's token once and remembers the result for later extractors.
pub fn caller_of(req: &HttpRequest) -> ApiResult<Option<Caller>> {
    if let Some(c) = req.extensions().get::<Caller>() {
        return Ok(Some(c.clone()));
    }
    let Some(token) = bearer(req)? else {
        return Ok(None);
    };
    let state =
        req.app_data::<web::Data<AppState>>().ok_or_else(|| ApiError::internal("AppState missing from app data"))?;
    let (caller, client) = state.tokens.verify_token(token)?;
    if let Some(client) = client {
        req.extensions_mut().insert(ApiClientToken(client));
    }
    req.extensions_mut().insert(caller.clone());
    Ok(Some(caller))
}

/// Middleware: a client-credentials token of a revoked (or deleted) API client is refused on
/// every request, everywhere at once, without waiting for it to expire: the client's state is
/// read from the database on each request such a token makes.
pub async fn client_revocation(
    req: actix_web::dev::ServiceRequest,
    next: actix_web::middleware::Next<impl actix_web::body::MessageBody + 'static>,
) -> Result<actix_web::dev::ServiceResponse<actix_web::body::BoxBody>, actix_web::Error> {
    use actix_web::ResponseError;
    // An invalid token is answered by the extractors as usual.
    let client = match caller_of(req.request()) {
        Ok(Some(_)) => req.extensions().get::<ApiClientToken>().map(|c| c.0.clone()),
        _ => None,
    };
    if let (Some(client), Some(state)) = (client, req.app_data::<web::Data<AppState>>().cloned()) {
        // The state is read from the database at most once per CLIENT_STATE_TTL per client.
        let active = match state.tokens.client_state(&client) {
            Some(active) => Ok(active),
            None => {
                let id = client.clone();
                let found = state.db.run(move |c| Ok(crate::repo::api_clients::find(c, &id)?)).await;
                found.map(|row| {
                    let active = row.is_some_and(|r| r.actief);
                    state.tokens.remember_client(&client, active);
                    active
                })
            }
        };
        let refusal = match active {
            Ok(true) => None,
            Ok(false) => Some(ApiError::invalid_access_token("The API client this token was issued to is revoked")),
            Err(e) => Some(e),
        };
        if let Some(e) = refusal {
            return Ok(req.into_response(e.error_response()).map_into_boxed_body());
        }
    }
    Ok(next.call(req).await?.map_into_boxed_body())
}

impl FromRequest for Caller {
    type Error = ApiError;
    type Future = Ready<Result<Caller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_of(req).and_then(|c| c.ok_or_else(ApiError::no_access_token)))
    }
}

/// For public operations: no token is fine, but a token that is sent must be valid.
#[derive(Clone, Debug)]
pub struct MaybeCaller(pub Option<Caller>);

impl FromRequest for MaybeCaller {
    type Error = ApiError;
    type Future = Ready<Result<MaybeCaller, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(caller_of(req).map(MaybeCaller))
    }
}

/// Parameters of a development token (`pnt-api token …`).
#[derive(Clone, Debug, Default)]
pub struct TokenRequest {
    pub sub: String,
    pub roles: Vec<Role>,
    pub gemeenten: Vec<String>,
    pub organisatie: Option<String>,
    pub regio: Option<String>,
    pub name: Option<String>,
    pub email: Option<String>,
    pub ttl_minutes: i64,
}

impl TokenRequest {
    pub fn into_claims(self) -> Claims {
        Claims {
            sub: self.sub,
            roles: self.roles.iter().map(|r| r.as_str().to_string()).collect(),
            gemeenten: self.gemeenten,
            organisatie: self.organisatie,
            regio: self.regio,
            name: self.name,
            email: self.email,
            exp: 0,
            iat: None,
            nbf: None,
            iss: None,
            aud: None,
            client_id: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn settings(secret: Option<&str>) -> JwtSettings {
        JwtSettings {
            secret: secret.map(|s| s.as_bytes().to_vec()),
            secret_source: "test".into(),
            public_key_pem: None,
            issuer: None,
            audience: None,
            access_token_ttl: Duration::from_secs(60),
            max_lifetime: Duration::from_secs(24 * 3600),
            jwks: None,
            oidc: None,
        }
    }

    #[test]
    fn minted_tokens_round_trip() {
        let svc = TokenService::new(&settings(Some("0123456789abcdef0123456789abcdef"))).unwrap();
        let req = TokenRequest {
            sub: "tb-1".into(),
            roles: vec![Role::Trajectbegeleider],
            gemeenten: vec!["11002".into()],
            ttl_minutes: 5,
            ..Default::default()
        };
        let token = svc.mint(req.into_claims(), chrono::Duration::minutes(5)).unwrap();
        let caller = svc.verify(&token).unwrap();
        assert_eq!(caller.sub, "tb-1");
        assert_eq!(caller.roles, vec![Role::Trajectbegeleider]);
        assert!(caller.covers_gemeente("11002"));
    }

    #[test]
    fn unknown_roles_are_ignored_not_trusted() {
        assert_eq!(Role::parse("lokaalBestuur"), Some(Role::LokaalBestuur));
        assert_eq!(Role::parse("superuser"), None);
    }

    #[test]
    fn without_secret_no_tokens_are_minted() {
        let svc = TokenService::new(&settings(None)).unwrap();
        assert!(!svc.can_mint());
        assert!(svc.mint(TokenRequest::default().into_claims(), chrono::Duration::minutes(1)).is_err());
    }
}
