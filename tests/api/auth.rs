//! Bearer token verification: each problem type, algorithm pinning, issuer and audience.

use crate::helpers::*;
use base64::Engine;
use pnt_api::auth::{Claims, Role};
use serde_json::json;

fn claims(sub: &str, exp_offset_secs: i64) -> Claims {
    let now = chrono::Utc::now().timestamp();
    Claims {
        sub: sub.into(),
        roles: vec!["admin".into()],
        gemeenten: vec![],
        organisatie: None,
        regio: None,
        name: None,
        email: None,
        exp: now + exp_offset_secs,
        iat: Some(now),
        nbf: None,
        iss: None,
        aud: None,
        client_id: None,
    }
}

fn rs256(claims: &Claims, private_pem: &[u8]) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::RS256),
        claims,
        &jsonwebtoken::EncodingKey::from_rsa_pem(private_pem).unwrap(),
    )
    .unwrap()
}

#[actix_web::test]
async fn missing_token_is_401_with_www_authenticate() {
    let app = TestApp::spawn().await;
    let res = app.get("/v1/me").send().await;
    res.problem(401, "belgif:noAccessToken");
    assert_eq!(res.header("www-authenticate").as_deref(), Some("Bearer"));
}

#[actix_web::test]
async fn garbage_and_wrong_scheme_are_invalid() {
    let app = TestApp::spawn().await;
    app.get("/v1/me").bearer("not-a-jwt").send().await.problem(401, "belgif:invalidAccessToken");
    app.get("/v1/me")
        .header("Authorization", "Basic dXNlcjpwdw==")
        .send()
        .await
        .problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn wrong_signature_is_invalid() {
    let app = TestApp::spawn().await;
    let token = TestApp::sign_claims(&claims("x", 600), b"another-secret-of-at-least-32-bytes!!");
    let p = app.get("/v1/me").bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
    assert!(p["detail"].as_str().unwrap().contains("signature"));
}

#[actix_web::test]
async fn tampered_payload_is_invalid() {
    let app = TestApp::spawn().await;
    let token = app.token(Role::Inburgeraar, "ib-1");
    let parts: Vec<&str> = token.split('.').collect();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut payload: serde_json::Value = serde_json::from_slice(&engine.decode(parts[1]).unwrap()).unwrap();
    payload["roles"] = json!(["admin"]);
    let forged = format!("{}.{}.{}", parts[0], engine.encode(payload.to_string()), parts[2]);
    app.get("/v1/me").bearer(&forged).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn alg_none_is_refused() {
    let app = TestApp::spawn().await;
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let header = engine.encode(r#"{"alg":"none","typ":"JWT"}"#);
    let payload = engine.encode(serde_json::to_string(&claims("x", 600)).unwrap());
    for token in [format!("{header}.{payload}."), format!("{header}.{payload}")] {
        app.get("/v1/me").bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
    }
}

#[actix_web::test]
async fn expired_token_is_its_own_problem() {
    let app = TestApp::spawn().await;
    let token = TestApp::sign_claims(&claims("x", -3600), TEST_SECRET.as_bytes());
    let res = app.get("/v1/me").bearer(&token).send().await;
    res.problem(401, "belgif:expiredAccessToken");
    // Within the small leeway a just-expired token still works.
    let token = TestApp::sign_claims(&claims("x", -5), TEST_SECRET.as_bytes());
    app.get("/v1/me").bearer(&token).send().await.expect(200);
}

#[actix_web::test]
async fn token_not_yet_valid_is_invalid() {
    let app = TestApp::spawn().await;
    let mut c = claims("x", 7200);
    c.nbf = Some(chrono::Utc::now().timestamp() + 3600);
    let token = TestApp::sign_claims(&c, TEST_SECRET.as_bytes());
    app.get("/v1/me").bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn missing_exp_is_invalid() {
    let app = TestApp::spawn().await;
    let token = jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &json!({"sub": "x", "roles": ["admin"]}),
        &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes()),
    )
    .unwrap();
    app.get("/v1/me").bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn issuer_and_audience_are_checked_when_configured() {
    let app = TestApp::spawn_with(|s| {
        s.jwt.issuer = Some("https://idp.example.be".into());
        s.jwt.audience = Some("pnt-api".into());
    })
    .await;
    let mut c = claims("x", 600);
    c.iss = Some("https://idp.example.be".into());
    c.aud = Some(json!("pnt-api"));
    app.get("/v1/me").bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes())).send().await.expect(200);

    c.aud = Some(json!("another-api"));
    let p = app
        .get("/v1/me")
        .bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes()))
        .send()
        .await
        .problem(401, "belgif:invalidAccessToken");
    assert!(p["detail"].as_str().unwrap().contains("audience"));

    c.aud = Some(json!("pnt-api"));
    c.iss = Some("https://evil.example.com".into());
    app.get("/v1/me")
        .bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes()))
        .send()
        .await
        .problem(401, "belgif:invalidAccessToken");

    // The API's own tokens carry the configured issuer and audience.
    let own = app.token(Role::Admin, "admin-1");
    app.get("/v1/me").bearer(&own).send().await.expect(200);
}

#[actix_web::test]
async fn rs256_tokens_of_the_identity_provider() {
    let app = TestApp::spawn_with(|s| {
        s.jwt.secret = None;
        s.jwt.public_key_pem = Some(fixture("test-rsa-public.pem"));
    })
    .await;
    let good = rs256(&claims("idp-user", 600), &fixture("test-rsa-private.pem"));
    let me = app.get("/v1/me").bearer(&good).send().await.expect(200);
    assert_eq!(me["sub"], "idp-user");

    let other_key = rs256(&claims("idp-user", 600), &fixture("other-rsa-private.pem"));
    app.get("/v1/me").bearer(&other_key).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn hs256_is_refused_when_only_rs256_is_configured() {
    let app = TestApp::spawn_with(|s| {
        s.jwt.secret = None;
        s.jwt.public_key_pem = Some(fixture("test-rsa-public.pem"));
    })
    .await;
    // The classic confusion attack: HMAC-sign with the public key as the secret.
    let public_pem = fixture("test-rsa-public.pem");
    let forged = TestApp::sign_claims(&claims("attacker", 600), &public_pem);
    let p = app.get("/v1/me").bearer(&forged).send().await.problem(401, "belgif:invalidAccessToken");
    assert!(p["detail"].as_str().unwrap().contains("HS256"));
    // And a token with our usual test secret means nothing here either.
    let hs = TestApp::sign_claims(&claims("x", 600), TEST_SECRET.as_bytes());
    app.get("/v1/me").bearer(&hs).send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn public_reads_refuse_a_bad_token_but_need_none() {
    let app = TestApp::spawn().await;
    app.get("/v1/gemeenten").send().await.expect(200);
    app.get("/v1/gemeenten").bearer("garbage").send().await.problem(401, "belgif:invalidAccessToken");
}

#[actix_web::test]
async fn unknown_roles_are_ignored() {
    let app = TestApp::spawn().await;
    let mut c = claims("x", 600);
    c.roles = vec!["superuser".into(), "aanbieder".into()];
    let me = app.get("/v1/me").bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes())).send().await.expect(200);
    assert_eq!(me["roles"], json!(["aanbieder"]));
}

/// The claims that scope a caller are parsed once, into typed values: a malformed one is a 401
/// that names the claim, never a caller whose SQL filter and row checks read it differently.
#[actix_web::test]
async fn a_malformed_scope_claim_is_401_naming_the_claim() {
    let app = TestApp::spawn().await;
    let secret = jwt_settings().secret.unwrap();
    type Spoil = fn(&mut Claims);
    let cases: [(&str, Spoil); 4] = [
        ("organisatie", |c| c.organisatie = Some("twaalf".into())),
        ("organisatie", |c| c.organisatie = Some("-3".into())),
        ("regio", |c| c.regio = Some("REF REG 03; drop".into())),
        ("gemeenten", |c| c.gemeenten = vec!["11002".into(), "Gent".into()]),
    ];
    for (claim, spoil) in cases {
        let mut c = claims("lb-1", 300);
        spoil(&mut c);
        let res = app.get("/v1/me").bearer(&TestApp::sign_claims(&c, &secret)).send().await;
        let p = res.problem(401, "belgif:invalidAccessToken");
        assert!(p["detail"].as_str().unwrap().contains(&format!("claim {claim}")), "{claim}: {p}");
    }
    // Well-formed, the same claims give a typed caller (`012` is organisation 12).
    let mut c = claims("ab-1", 300);
    c.organisatie = Some(" 012 ".into());
    c.regio = Some("REFREG03".into());
    c.gemeenten = vec!["11002".into()];
    let me = app.get("/v1/me").bearer(&TestApp::sign_claims(&c, &secret)).send().await.expect(200);
    assert_eq!((me["organisatie"].as_str(), me["regio"].as_str()), (Some("12"), Some("REFREG03")));
    assert_eq!(me["gemeenten"], json!(["11002"]));
}

fn hs256(header: jsonwebtoken::Header, claims: &Claims) -> String {
    jsonwebtoken::encode(&header, claims, &jsonwebtoken::EncodingKey::from_secret(TEST_SECRET.as_bytes())).unwrap()
}

// Issue 12, findings 1 and 2.

#[actix_web::test]
async fn configured_issuer_and_audience_are_required() {
    let app = TestApp::spawn_with(|s| {
        s.jwt.issuer = Some("idp".into());
        s.jwt.audience = Some("pnt".into());
    })
    .await;
    let mut c = claims("admin-x", 600);
    c.iss = Some("idp".into());
    c.aud = Some(json!("pnt"));
    app.get("/v1/auditLog").bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes())).send().await.expect(200);
    // (With both missing, either may be named first.)
    for (iss, aud, lacking) in [(None, None, "lacks the claim"), (Some("idp"), None, "aud"), (None, Some("pnt"), "iss")]
    {
        let mut c = claims("admin-x", 600);
        c.iss = iss.map(Into::into);
        c.aud = aud.map(|a| json!(a));
        let p = app
            .get("/v1/auditLog")
            .bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes()))
            .send()
            .await
            .problem(401, "belgif:invalidAccessToken");
        assert!(p["detail"].as_str().unwrap().contains(lacking), "{p}");
    }
    // Without a configured issuer and audience, neither claim is needed.
    let open = TestApp::spawn().await;
    open.get("/v1/auditLog")
        .bearer(&TestApp::sign_claims(&claims("admin-x", 600), TEST_SECRET.as_bytes()))
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn unknown_critical_headers_are_refused() {
    let app = TestApp::spawn().await;
    let mut header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    header.crit = Some(vec!["x-unknown".into()]);
    let p = app
        .get("/v1/me")
        .bearer(&hs256(header, &claims("admin-x", 600)))
        .send()
        .await
        .problem(401, "belgif:invalidAccessToken");
    assert!(p["detail"].as_str().unwrap().contains("x-unknown"));
    let plain = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    app.get("/v1/me").bearer(&hs256(plain, &claims("admin-x", 600))).send().await.expect(200);
}

#[actix_web::test]
async fn tokens_living_longer_than_the_maximum_are_refused() {
    let app = TestApp::spawn().await;
    let mut c = claims("admin-x", 0);
    c.exp = i64::MAX;
    app.get("/v1/me")
        .bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes()))
        .send()
        .await
        .problem(401, "belgif:invalidAccessToken");
    let too_long = TestApp::sign_claims(&claims("admin-x", 25 * 3600), TEST_SECRET.as_bytes());
    app.get("/v1/me").bearer(&too_long).send().await.problem(401, "belgif:invalidAccessToken");

    // Within the default 24 hours: accepted, and /v1/me tells when it expires.
    let c = claims("admin-x", 23 * 3600);
    let me = app.get("/v1/me").bearer(&TestApp::sign_claims(&c, TEST_SECRET.as_bytes())).send().await.expect(200);
    let expires: chrono::DateTime<chrono::Utc> = me["expiresAt"].as_str().unwrap().parse().unwrap();
    assert_eq!(expires.timestamp(), c.exp);

    // PNT_JWT_MAX_LIFETIME lowers the bound.
    let strict = TestApp::spawn_with(|s| s.jwt.max_lifetime = std::time::Duration::from_secs(3600)).await;
    let two_hours = TestApp::sign_claims(&claims("admin-x", 2 * 3600), TEST_SECRET.as_bytes());
    strict.get("/v1/me").bearer(&two_hours).send().await.problem(401, "belgif:invalidAccessToken");
    let half_hour = TestApp::sign_claims(&claims("admin-x", 1800), TEST_SECRET.as_bytes());
    strict.get("/v1/me").bearer(&half_hour).send().await.expect(200);
}

#[actix_web::test]
async fn a_revoked_clients_tokens_stop_working_at_once() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let client = crate::feeds::register(&app, &["44021"]).await;
    let token = crate::feeds::access_token(&app, &client).await;
    app.get("/v1/me").bearer(&token).send().await.expect(200);
    app.get("/v1/aanbod").bearer(&token).send().await.expect(200);
    let res = app.delete(&format!("/v1/apiClients/{}", client.id)).bearer(&admin).send().await;
    assert_eq!(res.status.as_u16(), 204);
    for path in ["/v1/me", "/v1/aanbod"] {
        let p = app.get(path).bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
        assert!(p["detail"].as_str().unwrap().contains("revoked"), "{p}");
    }
}

#[actix_web::test]
async fn a_revocation_made_elsewhere_takes_effect_within_the_client_state_ttl() {
    let app = TestApp::spawn().await;
    let client = crate::feeds::register(&app, &["44021"]).await;
    let token = crate::feeds::access_token(&app, &client).await;
    app.get("/v1/me").bearer(&token).send().await.expect(200);
    // Another instance revokes the client: this one does not read the database on every
    // request, so it notices within CLIENT_STATE_TTL, not at once.
    let id = client.id.clone();
    app.db(move |c| Ok(pnt_api::repo::api_clients::deactivate(c, &id)?)).await;
    app.get("/v1/me").bearer(&token).send().await.expect(200);
    actix_rt::time::sleep(pnt_api::auth::CLIENT_STATE_TTL + std::time::Duration::from_millis(200)).await;
    let p = app.get("/v1/me").bearer(&token).send().await.problem(401, "belgif:invalidAccessToken");
    assert!(p["detail"].as_str().unwrap().contains("revoked"), "{p}");
}
