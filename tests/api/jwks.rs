//! The identity provider's rotating keys (`PNT_JWT_JWKS_URL`): a JWKS served on a loopback
//! port by an in-process HTTP server that counts its requests.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::helpers::*;
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use pnt_api::auth::{Claims, Role, TokenService};
use pnt_api::config::{JwksSettings, OidcSettings};
use serde_json::{Value, json};

/// A JWKS endpoint: serves the current key set (or 503 during an "outage") and counts requests.
struct Provider {
    url: String,
    keys: Arc<Mutex<Option<Vec<Value>>>>,
    /// The OpenID Connect discovery document served at `/.well-known/openid-configuration`.
    discovery: Arc<Mutex<Option<String>>>,
    hits: Arc<AtomicUsize>,
}

impl Provider {
    fn start(keys: &[&str]) -> Provider {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/jwks.json", listener.local_addr().unwrap());
        let provider = Provider {
            url,
            keys: Arc::new(Mutex::new(None)),
            discovery: Arc::new(Mutex::new(None)),
            hits: Arc::new(AtomicUsize::new(0)),
        };
        provider.serve(keys);
        let (served, discovery, hits) = (provider.keys.clone(), provider.discovery.clone(), provider.hits.clone());
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut stream) = stream else { continue };
                let mut request = Vec::new();
                let mut buf = [0u8; 1024];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") {
                    match stream.read(&mut buf) {
                        Ok(0) | Err(_) => break,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                hits.fetch_add(1, Ordering::SeqCst);
                let discovering = request.starts_with(b"GET /.well-known/openid-configuration ");
                let (status, body) = match (discovering, served.lock().unwrap().as_ref()) {
                    (true, _) => match discovery.lock().unwrap().as_ref() {
                        Some(doc) => ("200 OK", doc.clone()),
                        None => ("404 Not Found", "none".to_string()),
                    },
                    (false, Some(keys)) => ("200 OK", json!({ "keys": keys }).to_string()),
                    (false, None) => ("503 Service Unavailable", "down".to_string()),
                };
                let _ = write!(
                    stream,
                    "HTTP/1.1 {status}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
            }
        });
        provider
    }

    /// Publishes these keys (fixture names without `jwk-`/`.json`, e.g. `rsa-1`).
    fn serve(&self, keys: &[&str]) {
        let keys = keys.iter().map(|k| serde_json::from_slice(&fixture(&format!("jwk-{k}.json"))).unwrap()).collect();
        *self.keys.lock().unwrap() = Some(keys);
    }

    /// The issuer URL of this provider (its base URL).
    fn issuer(&self) -> String {
        self.url.trim_end_matches("/jwks.json").to_string()
    }

    fn publish_discovery(&self, doc: &str) {
        *self.discovery.lock().unwrap() = Some(doc.to_string());
    }

    fn oidc(&self) -> OidcSettings {
        OidcSettings { issuer: self.issuer(), jwks: JwksSettings { url: String::new(), ..self.settings(3600) } }
    }

    fn outage(&self) {
        *self.keys.lock().unwrap() = None;
    }

    fn hits(&self) -> usize {
        self.hits.load(Ordering::SeqCst)
    }

    fn settings(&self, refresh_secs: u64) -> JwksSettings {
        JwksSettings {
            url: self.url.clone(),
            refresh: Duration::from_secs(refresh_secs),
            min_refresh: Duration::from_secs(60),
            insecure_loopback: true,
        }
    }
}

fn claims(sub: &str) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: sub.into(),
        roles: vec!["admin".into()],
        gemeenten: vec![],
        organisatie: None,
        regio: None,
        name: None,
        email: None,
        exp: now + 600,
        iat: Some(now),
        nbf: None,
        iss: None,
        aud: None,
        client_id: None,
    }
}

/// A token of the identity provider: signed with a fixture's private key, naming `kid`.
fn signed(alg: Algorithm, kid: &str, private_key: &str, sub: &str) -> String {
    let mut header = Header::new(alg);
    header.kid = Some(kid.into());
    let pem = fixture(private_key);
    let key = match alg {
        Algorithm::ES256 => EncodingKey::from_ec_pem(&pem).unwrap(),
        _ => EncodingKey::from_rsa_pem(&pem).unwrap(),
    };
    jsonwebtoken::encode(&header, &claims(sub), &key).unwrap()
}

fn key1(sub: &str) -> String {
    signed(Algorithm::RS256, "rsa-1", "test-rsa-private.pem", sub)
}

fn key2(sub: &str) -> String {
    signed(Algorithm::RS256, "rsa-2", "other-rsa-private.pem", sub)
}

async fn app_on(provider: &Provider, refresh_secs: u64) -> TestApp {
    let jwks = provider.settings(refresh_secs);
    TestApp::spawn_with(move |s| s.jwt.jwks = Some(jwks)).await
}

#[actix_web::test]
async fn a_rotated_key_is_used_without_a_restart_and_a_removed_key_is_refused() {
    let idp = Provider::start(&["rsa-1"]);
    let app = app_on(&idp, 3600).await;
    assert_eq!(idp.hits(), 1, "the keys are fetched at start-up");
    let me = app.get("/v1/me").bearer(&key1("idp-user")).send().await.expect(200);
    assert_eq!(me["sub"], "idp-user");
    // The API's own HS256 tokens keep working beside the identity provider's.
    app.get("/v1/me").bearer(&app.token(Role::Admin, "own")).send().await.expect(200);

    // The provider rotates: the new kid is unknown, so the keys are fetched again.
    idp.serve(&["rsa-1", "rsa-2"]);
    let me = app.get("/v1/me").bearer(&key2("rotated")).send().await.expect(200);
    assert_eq!(me["sub"], "rotated");
    assert_eq!(idp.hits(), 2);
    app.get("/v1/me").bearer(&key1("idp-user")).send().await.expect(200);
    assert_eq!(idp.hits(), 2, "a known kid needs no fetch");

    // The old key is withdrawn; after a refresh its tokens are refused.
    idp.serve(&["rsa-2"]);
    app.state.tokens.refresh_keys().unwrap();
    app.get("/v1/me").bearer(&key1("idp-user")).send().await.problem(401, "belgif:invalidAccessToken");
    app.get("/v1/me").bearer(&key2("rotated")).send().await.expect(200);

    // A token signed with the old key but naming the new kid does not verify either.
    let forged = signed(Algorithm::RS256, "rsa-2", "test-rsa-private.pem", "forged");
    app.get("/v1/me").bearer(&forged).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn a_burst_of_unknown_kids_refreshes_at_most_once() {
    let idp = Provider::start(&["rsa-1"]);
    let app = app_on(&idp, 3600).await;
    assert_eq!(idp.hits(), 1);
    for i in 0..25 {
        let forged = signed(Algorithm::RS256, &format!("forged-{i}"), "test-rsa-private.pem", "x");
        let res = app.get("/v1/me").bearer(&forged).send().await;
        res.problem(401, "belgif:invalidAccessToken");
    }
    // One refresh for the first unknown kid, then none within PNT_JWT_JWKS_MIN_REFRESH.
    assert_eq!(idp.hits(), 2, "at most one refresh per minimum interval");
    // Known keys keep working throughout.
    app.get("/v1/me").bearer(&key1("idp-user")).send().await.expect(200);
    assert_eq!(idp.hits(), 2);
}

#[actix_web::test]
async fn periodic_refresh_keeps_the_cached_keys_through_an_outage() {
    let idp = Provider::start(&["rsa-1"]);
    let app = app_on(&idp, 1).await;
    idp.outage();
    std::thread::sleep(Duration::from_millis(2500));
    assert!(idp.hits() >= 2, "the keys are refreshed periodically");
    app.get("/v1/me").bearer(&key1("idp-user")).send().await.expect(200);

    // Back up, with the old key withdrawn: the periodic refresh drops it without any request.
    idp.serve(&["rsa-2"]);
    std::thread::sleep(Duration::from_millis(2500));
    app.get("/v1/me").bearer(&key1("idp-user")).send().await.problem(401, "belgif:invalidAccessToken");
    app.get("/v1/me").bearer(&key2("rotated")).send().await.expect(200);
}

#[actix_web::test]
async fn es256_keys_and_the_algorithm_comes_from_the_key() {
    let idp = Provider::start(&["ec-1", "rsa-1"]);
    let app = app_on(&idp, 3600).await;
    let es = signed(Algorithm::ES256, "ec-1", "test-ec-private.pem", "ec-user");
    let me = app.get("/v1/me").bearer(&es).send().await.expect(200);
    assert_eq!(me["sub"], "ec-user");
    // The token's alg must match what its key serves: an RS256 token naming the EC key, or an
    // HS256-looking token naming an RSA key, is refused.
    let rs_on_ec = signed(Algorithm::RS256, "ec-1", "test-rsa-private.pem", "x");
    app.get("/v1/me").bearer(&rs_on_ec).send().await.problem(401, "belgif:invalidAccessToken");
    let mut header = Header::new(Algorithm::HS384);
    header.kid = Some("rsa-1".into());
    let hs = jsonwebtoken::encode(&header, &claims("x"), &EncodingKey::from_secret(b"whatever")).unwrap();
    app.get("/v1/me").bearer(&hs).send().await.problem(401, "belgif:invalidAccessToken");
}

#[test]
fn start_up_fails_in_one_line_on_an_unreachable_or_insecure_jwks() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let mut jwt = jwt_settings();
    jwt.jwks = Some(JwksSettings {
        url: format!("http://{closed}/jwks.json"),
        refresh: Duration::from_secs(300),
        min_refresh: Duration::from_secs(30),
        insecure_loopback: true,
    });
    let err = TokenService::new(&jwt).err().expect("an unreachable JWKS stops the start");
    assert!(err.starts_with("PNT_JWT_JWKS_URL: cannot fetch"), "{err}");
    assert!(!err.contains('\n'), "{err}");

    // Plain http:// without PNT_INSECURE_LOOPBACK, or to another host, is refused.
    let idp = Provider::start(&["rsa-1"]);
    let mut insecure = idp.settings(300);
    insecure.insecure_loopback = false;
    jwt.jwks = Some(insecure);
    let err = TokenService::new(&jwt).err().unwrap();
    assert!(err.contains("PNT_INSECURE_LOOPBACK"), "{err}");
    jwt.jwks = Some(JwksSettings { url: "http://idp.example.be/jwks.json".into(), ..idp.settings(300) });
    let err = TokenService::new(&jwt).err().unwrap();
    assert!(err.contains("https://"), "{err}");
    assert_eq!(idp.hits(), 0, "nothing is fetched over an insecure URL");

    // A JWKS without a usable key stops the start too.
    idp.serve(&[]);
    jwt.jwks = Some(idp.settings(300));
    let err = TokenService::new(&jwt).err().unwrap();
    assert!(err.contains("no usable signing key"), "{err}");
}

/// A token of the identity provider with this `iss` (or none).
fn with_issuer(iss: Option<&str>) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = Some("rsa-1".into());
    let claims = Claims { iss: iss.map(str::to_string), ..claims("oidc-user") };
    jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(&fixture("test-rsa-private.pem")).unwrap())
        .unwrap()
}

#[actix_web::test]
async fn the_jwks_is_discovered_from_the_oidc_issuer_which_tokens_must_name() {
    let idp = Provider::start(&["rsa-1"]);
    let issuer = idp.issuer();
    idp.publish_discovery(&json!({ "issuer": issuer, "jwks_uri": idp.url }).to_string());
    let oidc = idp.oidc();
    let app = TestApp::spawn_with(move |s| s.jwt.oidc = Some(oidc)).await;
    assert_eq!(idp.hits(), 2, "the discovery document, then the keys");

    let me = app.get("/v1/me").bearer(&with_issuer(Some(&issuer))).send().await.expect(200);
    assert_eq!(me["sub"], "oidc-user");
    // The issuer is the required `iss`: missing or another one is refused.
    app.get("/v1/me").bearer(&with_issuer(None)).send().await.problem(401, "invalidAccessToken");
    app.get("/v1/me")
        .bearer(&with_issuer(Some("https://other.example.be")))
        .send()
        .await
        .problem(401, "invalidAccessToken");

    // Rotation works as with PNT_JWT_JWKS_URL: the discovered URL is fetched again.
    idp.serve(&["rsa-1", "rsa-2"]);
    let rotated = {
        let mut header = Header::new(Algorithm::RS256);
        header.kid = Some("rsa-2".into());
        let claims = Claims { iss: Some(issuer.clone()), ..claims("rotated") };
        jsonwebtoken::encode(&header, &claims, &EncodingKey::from_rsa_pem(&fixture("other-rsa-private.pem")).unwrap())
            .unwrap()
    };
    app.get("/v1/me").bearer(&rotated).send().await.expect(200);
    assert_eq!(idp.hits(), 3);
}

#[test]
fn start_up_fails_in_one_line_on_an_unreachable_or_malformed_discovery() {
    let start = |oidc: OidcSettings| {
        let mut jwt = jwt_settings();
        jwt.oidc = Some(oidc);
        let err = TokenService::new(&jwt).err().expect("the start stops");
        assert!(err.starts_with("PNT_OIDC_ISSUER: "), "{err}");
        assert!(!err.contains('\n'), "{err}");
        err
    };
    let closed = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap();
    let idp = Provider::start(&["rsa-1"]);
    let err = start(OidcSettings { issuer: format!("http://{closed}"), ..idp.oidc() });
    assert!(err.contains("cannot fetch"), "{err}");

    // No discovery document (404), not JSON, no jwks_uri.
    let err = start(idp.oidc());
    assert!(err.contains("cannot fetch"), "{err}");
    for doc in ["<html>".to_string(), json!({ "issuer": idp.issuer() }).to_string()] {
        idp.publish_discovery(&doc);
        let err = start(idp.oidc());
        assert!(err.contains("not a discovery document"), "{err}");
    }
    // Another issuer than configured.
    idp.publish_discovery(&json!({ "issuer": "https://idp.example.be", "jwks_uri": idp.url }).to_string());
    let err = start(idp.oidc());
    assert!(err.contains("names issuer"), "{err}");
    // A jwks_uri under the URL rules: no plain http:// to another host.
    idp.publish_discovery(&json!({ "issuer": idp.issuer(), "jwks_uri": "http://idp.example.be/jwks" }).to_string());
    let err = start(idp.oidc());
    assert!(err.contains("jwks_uri") && err.contains("https://"), "{err}");
    // Plain http:// to the issuer without PNT_INSECURE_LOOPBACK.
    let mut insecure = idp.oidc();
    insecure.jwks.insecure_loopback = false;
    let err = start(insecure);
    assert!(err.contains("PNT_INSECURE_LOOPBACK"), "{err}");
    let hits = idp.hits();
    // The keys themselves were never fetched: only discovery documents.
    assert_eq!(hits, 5, "one discovery fetch per attempt over an allowed URL");
}
