//! The identity provider's signing keys, published as a JWKS (`PNT_JWT_JWKS_URL`): fetched at
//! start-up (an unreachable or unusable JWKS stops the start), cached, selected by `kid`,
//! refreshed on an unknown `kid` (at most once per `min_refresh`, so a flood of forged `kid`s
//! cannot hammer the provider) and every `refresh` in the background. A failed refresh keeps
//! the cached keys. Each key's algorithm comes from the key itself (RSA → RS256, EC P-256 →
//! ES256, a JWK `alg` must agree), never from the token. With `PNT_OIDC_ISSUER` instead, the
//! JWKS URL is read from the issuer's OpenID Connect discovery document at start-up.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::{Arc, Mutex, RwLock};
use std::time::{Duration, Instant};

use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::config::{JwksSettings, OidcSettings};

/// How long one download of the JWKS (or the discovery document) may take at start-up and in
/// the background refresh.
const FETCH_TIMEOUT: Duration = Duration::from_secs(5);
/// How long the refresh on an unknown `kid` may take: it runs inside a request, on an actix
/// worker, so it is kept short (a slow provider fails it and the cached keys stay).
const INLINE_FETCH_TIMEOUT: Duration = Duration::from_secs(2);

type Keys = HashMap<String, (Algorithm, DecodingKey)>;

pub struct Jwks {
    url: String,
    agent: ureq::Agent,
    keys: RwLock<Keys>,
    /// When the last refresh on an unknown `kid` happened; held during such a refresh so
    /// concurrent requests wait for it instead of fetching again.
    last_forced: Mutex<Option<Instant>>,
    min_refresh: Duration,
}

/// Plain `http://` only for a loopback host and with `PNT_INSECURE_LOOPBACK=true` (tests and
/// local development); anything else must be `https://`.
pub fn check_url(url: &str, insecure_loopback: bool) -> Result<(), String> {
    let uri: ureq::http::Uri = url.parse().map_err(|e| format!("not a URL: {e}"))?;
    let host = uri.host().unwrap_or_default();
    match uri.scheme_str() {
        Some("https") if !host.is_empty() => Ok(()),
        Some("http") => {
            let bare = host.trim_start_matches('[').trim_end_matches(']');
            let loopback =
                bare.eq_ignore_ascii_case("localhost") || bare.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback());
            if loopback && insecure_loopback {
                Ok(())
            } else if loopback {
                Err("plain http:// is refused; set PNT_INSECURE_LOOPBACK=true to allow it for a loopback address (tests and local development only)".into())
            } else {
                Err("must use https:// (plain http:// is only allowed for a loopback address)".into())
            }
        }
        _ => Err(format!("must be an https:// URL, got {url}")),
    }
}

/// An HTTP client for the identity provider: https only (a plain-http loopback URL, allowed by
/// `check_url`, may not redirect anywhere else), each call limited to `FETCH_TIMEOUT`.
fn agent(url: &str) -> ureq::Agent {
    let https = url.starts_with("https://");
    ureq::Agent::config_builder()
        .timeout_global(Some(FETCH_TIMEOUT))
        .https_only(https)
        .max_redirects(if https { 5 } else { 0 })
        .build()
        .into()
}

/// OpenID Connect discovery (`PNT_OIDC_ISSUER`): reads
/// `<issuer>/.well-known/openid-configuration` and returns the JWKS settings with its
/// `jwks_uri`. The document must name the same `issuer` (OpenID Connect Discovery §4.3) and a
/// `jwks_uri` under the same URL rules as `PNT_JWT_JWKS_URL`. Every failure is one line
/// naming the setting.
pub fn discover(oidc: &OidcSettings) -> Result<JwksSettings, String> {
    let fail = |e: String| format!("PNT_OIDC_ISSUER: {e}");
    let insecure = oidc.jwks.insecure_loopback;
    check_url(&oidc.issuer, insecure).map_err(fail)?;
    let url = format!("{}/.well-known/openid-configuration", oidc.issuer.trim_end_matches('/'));
    let mut res = agent(&url).get(&url).call().map_err(|e| fail(format!("cannot fetch {url}: {e}")))?;
    let body = res.body_mut().read_to_string().map_err(|e| fail(format!("cannot read {url}: {e}")))?;
    #[derive(serde::Deserialize)]
    struct Discovery {
        issuer: String,
        jwks_uri: String,
    }
    let doc: Discovery = serde_json::from_str(&body)
        .map_err(|e| fail(format!("{url} is not a discovery document with issuer and jwks_uri: {e}")))?;
    if doc.issuer != oidc.issuer {
        return Err(fail(format!("{url} names issuer {:?}, expected {:?}", doc.issuer, oidc.issuer)));
    }
    check_url(&doc.jwks_uri, insecure).map_err(|e| fail(format!("jwks_uri {} of {url}: {e}", doc.jwks_uri)))?;
    log::info!("OpenID Connect issuer {}: keys at {}", oidc.issuer, doc.jwks_uri);
    Ok(JwksSettings { url: doc.jwks_uri, ..oidc.jwks.clone() })
}

/// The algorithm a key serves, from its type and curve; a JWK `alg` must agree. Encryption
/// keys and other types or curves are not used.
fn algorithm_of(jwk: &Jwk) -> Option<Algorithm> {
    if matches!(jwk.common.public_key_use, Some(PublicKeyUse::Encryption)) {
        return None;
    }
    let by_type = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(p) if p.curve == EllipticCurve::P256 => Algorithm::ES256,
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(by_type),
        Some(KeyAlgorithm::RS256) if by_type == Algorithm::RS256 => Some(by_type),
        Some(KeyAlgorithm::ES256) if by_type == Algorithm::ES256 => Some(by_type),
        Some(_) => None,
    }
}

/// The usable keys of a JWKS document; a key this API cannot use is skipped, not fatal.
pub fn parse(body: &str) -> Result<Keys, String> {
    #[derive(serde::Deserialize)]
    struct Set {
        keys: Vec<serde_json::Value>,
    }
    let set: Set = serde_json::from_str(body).map_err(|e| format!("not a JWKS document: {e}"))?;
    let mut keys = Keys::new();
    for value in set.keys {
        let Ok(jwk) = serde_json::from_value::<Jwk>(value) else { continue };
        let (Some(kid), Some(alg)) = (jwk.common.key_id.clone(), algorithm_of(&jwk)) else { continue };
        if let Ok(key) = DecodingKey::from_jwk(&jwk) {
            keys.insert(kid, (alg, key));
        }
    }
    if keys.is_empty() {
        return Err("the JWKS holds no usable signing key (RS256 or ES256 with a kid)".into());
    }
    Ok(keys)
}

impl Jwks {
    /// Checks the URL and fetches the keys; an error names the setting (`setting`) in one line.
    pub fn start(settings: &JwksSettings, setting: &str) -> Result<Arc<Jwks>, String> {
        let fail = |e: String| format!("{setting}: {e}");
        check_url(&settings.url, settings.insecure_loopback).map_err(fail)?;
        let jwks = Jwks {
            url: settings.url.clone(),
            agent: agent(&settings.url),
            keys: RwLock::new(Keys::new()),
            last_forced: Mutex::new(None),
            min_refresh: settings.min_refresh,
        };
        let n = jwks.refresh().map_err(fail)?;
        log::info!("JWKS {}: {n} signing key(s)", jwks.url);
        let jwks = Arc::new(jwks);
        spawn_refresher(&jwks, settings.refresh);
        Ok(jwks)
    }

    fn download(&self, timeout: Duration) -> Result<Keys, String> {
        let mut res = self
            .agent
            .get(&self.url)
            .config()
            .timeout_global(Some(timeout))
            .build()
            .call()
            .map_err(|e| format!("cannot fetch {}: {e}", self.url))?;
        let body = res.body_mut().read_to_string().map_err(|e| format!("cannot read {}: {e}", self.url))?;
        parse(&body).map_err(|e| format!("{}: {e}", self.url))
    }

    /// Fetches the keys again; on failure the cached keys stay.
    pub fn refresh(&self) -> Result<usize, String> {
        self.refresh_within(FETCH_TIMEOUT)
    }

    fn refresh_within(&self, timeout: Duration) -> Result<usize, String> {
        let keys = self.download(timeout)?;
        let n = keys.len();
        *self.keys.write().unwrap_or_else(|p| p.into_inner()) = keys;
        Ok(n)
    }

    fn cached(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        self.keys.read().unwrap_or_else(|p| p.into_inner()).get(kid).cloned()
    }

    /// The key with this `kid`; an unknown `kid` refreshes the keys first, at most once per
    /// `min_refresh`.
    pub fn key(&self, kid: &str) -> Option<(Algorithm, DecodingKey)> {
        if let Some(k) = self.cached(kid) {
            return Some(k);
        }
        let mut last = self.last_forced.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(k) = self.cached(kid) {
            return Some(k);
        }
        let now = Instant::now();
        if last.is_some_and(|t| now.duration_since(t) < self.min_refresh) {
            return None;
        }
        *last = Some(now);
        if let Err(e) = self.refresh_within(INLINE_FETCH_TIMEOUT) {
            log::warn!("JWKS refresh for an unknown kid failed, keeping the cached keys: {e}");
        }
        self.cached(kid)
    }
}

/// Refreshes the keys every `every` until the key set is dropped.
fn spawn_refresher(jwks: &Arc<Jwks>, every: Duration) {
    let weak = Arc::downgrade(jwks);
    let spawned = std::thread::Builder::new().name("jwks-refresh".into()).spawn(move || {
        loop {
            std::thread::sleep(every);
            let Some(jwks) = weak.upgrade() else { return };
            if let Err(e) = jwks.refresh() {
                log::warn!("JWKS refresh failed, keeping the cached keys: {e}");
            }
        }
    });
    if let Err(e) = spawned {
        log::warn!("cannot start the JWKS refresher: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_https_or_an_allowed_loopback() {
        assert!(check_url("https://idp.example.be/jwks", false).is_ok());
        assert!(check_url("http://idp.example.be/jwks", true).is_err());
        assert!(check_url("http://127.0.0.1:8080/jwks", false).is_err());
        assert!(check_url("http://127.0.0.1:8080/jwks", true).is_ok());
        assert!(check_url("http://[::1]:8080/jwks", true).is_ok());
        assert!(check_url("http://localhost/jwks", true).is_ok());
        assert!(check_url("http://127.0.0.1.example.be/jwks", true).is_err());
        assert!(check_url("ftp://idp.example.be/jwks", true).is_err());
    }

    #[test]
    fn the_algorithm_comes_from_the_key() {
        let jwk: serde_json::Value = serde_json::from_str(include_str!("../../tests/fixtures/jwk-rsa-1.json")).unwrap();
        let rsa = |alg: Option<&str>| {
            let mut k = jwk.clone();
            k["kid"] = "k".into();
            match alg {
                Some(a) => k["alg"] = a.into(),
                None => drop(k.as_object_mut().unwrap().remove("alg")),
            }
            serde_json::json!({ "keys": [k] }).to_string()
        };
        assert_eq!(parse(&rsa(None)).unwrap()["k"].0, Algorithm::RS256);
        assert_eq!(parse(&rsa(Some("RS256"))).unwrap()["k"].0, Algorithm::RS256);
        // A key claiming another algorithm than its type serves is not used.
        assert!(parse(&rsa(Some("ES256"))).is_err());
        assert!(parse(&rsa(Some("HS256"))).is_err());
        assert!(parse(r#"{"keys":[{"kty":"oct","kid":"k","k":"c2VjcmV0"}]}"#).is_err());
        assert!(parse(r#"{"keys":[]}"#).is_err());
    }
}
