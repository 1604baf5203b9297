//! The conventions every response keeps: problem+json for every error (also the framework's),
//! trace ids, security headers, health.

use crate::helpers::*;
use pnt_api::auth::Role;
use serde_json::json;

#[actix_web::test]
async fn unknown_path_is_a_problem() {
    let app = TestApp::spawn().await;
    let res = app.get("/v1/bestaatNiet").send().await;
    let p = res.problem(404, "belgif:resourceNotFound");
    assert!(p["detail"].as_str().unwrap().contains("/v1/bestaatNiet"));
}

#[actix_web::test]
async fn wrong_method_is_405_with_allow() {
    let app = TestApp::spawn().await;
    let res = app.delete("/v1/gemeenten/11002").send().await;
    res.problem(405, "pnt:methodNotAllowed");
    assert_eq!(res.header("allow").as_deref(), Some("GET"));
}

#[actix_web::test]
async fn trace_id_is_echoed_or_generated() {
    let app = TestApp::spawn().await;
    let res = app.get("/health").header("BelGov-Trace-Id", "abc-123").send().await;
    assert_eq!(res.header("belgov-trace-id").as_deref(), Some("abc-123"));

    let res = app.get("/v1/gemeenten/99999").send().await;
    let generated = res.header("belgov-trace-id").expect("trace id on errors too");
    assert_eq!(uuid::Uuid::parse_str(&generated).unwrap().get_version_num(), 4);

    // A header value that cannot be logged safely is replaced, not echoed.
    let res = app.get("/health").header("BelGov-Trace-Id", "a b").send().await;
    assert_ne!(res.header("belgov-trace-id").as_deref(), Some("a b"));
}

#[actix_web::test]
async fn security_headers_on_api_responses() {
    let app = TestApp::spawn().await;
    // (The anonymous public catalogue is cacheable since issue 16: tests/api/cache.rs.)
    let tb = app.token(pnt_api::auth::Role::Trajectbegeleider, "tb-1");
    for res in [
        app.get("/v1/gemeenten").bearer(&tb).send().await,
        app.get("/v1/inburgeraars").send().await,
        app.get("/v1/nope").send().await,
    ] {
        assert_eq!(res.header("x-content-type-options").as_deref(), Some("nosniff"));
        assert_eq!(res.header("x-frame-options").as_deref(), Some("DENY"));
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    }
}

#[actix_web::test]
async fn health_is_up_with_a_database() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/health").send().await.expect(200), json!({"status": "UP"}));
    assert_eq!(app.get("/health/live").send().await.expect(200), json!({"status": "UP"}));
    assert_eq!(app.get("/health/ready").send().await.expect(200), json!({"status": "UP"}));
}

#[actix_web::test]
async fn health_is_down_without_a_database() {
    use pnt_api::db::{ConnManager, Db};
    // Both backends: a SQLite file in a folder that does not exist, and a closed port.
    for url in [
        pnt_api::config::DatabaseUrl::Sqlite("/nonexistent/dir/pnt.db".into()),
        pnt_api::config::DatabaseUrl::Postgres("postgres://postgres@127.0.0.1:1/none".into()),
    ] {
        let pool = r2d2::Pool::builder()
            .min_idle(Some(0))
            .connection_timeout(std::time::Duration::from_millis(500))
            .build_unchecked(ConnManager::new(url.clone()));
        let dir = tempfile::tempdir().unwrap();
        let settings = settings(url, dir.path().to_path_buf());
        let state = pnt_api::state::AppState {
            db: Db::new(pool),
            tokens: std::sync::Arc::new(pnt_api::auth::TokenService::new(&settings.jwt).unwrap()),
            outbox: std::sync::Arc::new(
                pnt_api::outbox::Outbox::new(&settings.mail, &settings.webhooks, dir.path()).unwrap(),
            ),
            settings: std::sync::Arc::new(settings),
            refdata: Default::default(),
            limits: pnt_api::http::ratelimit::Limiters::new(10),
            clock: Default::default(),
            catalogus: Default::default(),
        };
        let app = TestApp::from_state_unchecked(state).await;
        let res = app.get("/health").send().await;
        assert_eq!(res.expect(503), json!({"status": "DOWN"}));
        assert_eq!(app.get("/health/ready").send().await.expect(503), json!({"status": "DOWN"}));
        assert_eq!(app.get("/health/live").send().await.expect(200), json!({"status": "UP"}), "the process runs");
        // Requests that need the database say so as a problem, without internals.
        let res = app.get("/v1/gemeenten").send().await;
        let p = res.problem(503, "belgif:serviceUnavailable");
        assert!(!p.to_string().contains("nonexistent") && !p.to_string().contains("127.0.0.1"), "{p}");
    }
}

#[actix_web::test]
async fn unknown_and_malformed_query_parameters_are_bad_requests() {
    let app = TestApp::spawn().await;
    let p = app.get("/v1/gemeenten?gemeentee=1").send().await.problem(400, "belgif:badRequest");
    assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:unknownInput");
    assert_eq!(p["issues"][0]["in"], "query");
    assert_eq!(issue_names(&p), ["gemeentee"]);

    let p = app.get("/v1/gemeenten?gewest=wallonie").send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["gewest"]);

    let p = app.get("/v1/gemeenten?page=0&pageSize=500").send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["page", "pageSize"]);

    let p = app.get("/v1/gemeenten?pageSize=abc").send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["pageSize"]);
}

#[actix_web::test]
async fn invalid_path_parameter_is_a_bad_request() {
    let app = TestApp::spawn().await;
    let p = app.get("/v1/gemeenten/12ab5").send().await.problem(400, "belgif:badRequest");
    assert_eq!(p["issues"][0]["in"], "path");
    assert_eq!(issue_names(&p), ["nisCode"]);
}

#[actix_web::test]
async fn cors_preflight_follows_configured_origins() {
    let app = TestApp::spawn_with(|s| s.cors_origins = vec!["https://frontend.example.be".into()]).await;
    let res = app
        .req(actix_web::http::Method::OPTIONS, "/v1/gemeenten")
        .header("Origin", "https://frontend.example.be")
        .header("Access-Control-Request-Method", "GET")
        .send()
        .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text());
    assert_eq!(res.header("access-control-allow-origin").as_deref(), Some("https://frontend.example.be"));

    let res = app.get("/v1/gemeenten").header("Origin", "https://frontend.example.be").send().await;
    assert_eq!(res.header("access-control-allow-origin").as_deref(), Some("https://frontend.example.be"));
    assert!(res.header("access-control-expose-headers").unwrap().to_lowercase().contains("belgov-trace-id"));

    let res = app.get("/v1/gemeenten").header("Origin", "https://evil.example.com").send().await;
    assert_eq!(res.header("access-control-allow-origin"), None);
}

#[actix_web::test]
async fn me_returns_the_callers_claims() {
    let app = TestApp::spawn().await;
    let token = app.token_for(pnt_api::auth::TokenRequest {
        sub: "lb-gent".into(),
        roles: vec![Role::LokaalBestuur],
        gemeenten: vec!["44021".into()],
        name: Some("Stad Gent".into()),
        ..Default::default()
    });
    let me = app.get("/v1/me").bearer(&token).send().await.expect(200);
    assert_eq!(me["sub"], "lb-gent");
    assert_eq!(me["roles"], json!(["lokaalBestuur"]));
    assert_eq!(me["gemeenten"], json!(["44021"]));
    assert_eq!(me["name"], "Stad Gent");
    assert!(me["expiresAt"].as_str().unwrap().ends_with('Z'));
}

#[actix_web::test]
async fn swagger_ui_is_served_from_vendored_assets() {
    let app = TestApp::spawn().await;
    let res = app.get("/swagger-ui/").send().await;
    assert_eq!(res.status.as_u16(), 200);
    assert!(res.text().contains("swagger-ui"));
    let res = app.get("/swagger-ui/swagger-ui-bundle.js").send().await;
    assert_eq!(res.status.as_u16(), 200);
    assert!(res.body.len() > 100_000, "the real bundle, not a placeholder");
}

mod json_bodies {
    //! The JSON body extractor every write operation uses, on a tiny app with the same
    //! middleware: malformed JSON, wrong content type, unknown fields, rule violations, size.
    use actix_web::{App, HttpResponse, middleware::from_fn, test, web};
    use pnt_api::http::conventions::conventions;
    use pnt_api::http::extract::JsonBody;
    use serde::Deserialize;
    use validator::Validate;

    #[derive(Deserialize, Validate)]
    #[serde(deny_unknown_fields, rename_all = "camelCase")]
    struct Echo {
        #[validate(length(min = 2))]
        naam: String,
        #[validate(range(min = 1, max = 12))]
        aantal_uren: u32,
    }

    async fn echo(body: JsonBody<Echo, 64>) -> HttpResponse {
        HttpResponse::Ok().body(body.0.naam)
    }

    async fn call(content_type: &str, body: &str) -> (u16, serde_json::Value) {
        let app = test::init_service(App::new().wrap(from_fn(conventions)).route("/echo", web::post().to(echo))).await;
        let req = test::TestRequest::post()
            .uri("/echo")
            .insert_header(("Content-Type", content_type))
            .set_payload(body.to_string())
            .to_request();
        let res = test::call_service(&app, req).await;
        let status = res.status().as_u16();
        let ct = res.headers().get("content-type").map(|v| v.to_str().unwrap().to_string());
        let bytes = test::read_body(res).await;
        if status >= 400 {
            assert_eq!(ct.as_deref(), Some("application/problem+json"));
            (status, serde_json::from_slice(&bytes).unwrap())
        } else {
            (status, serde_json::Value::String(String::from_utf8_lossy(&bytes).into()))
        }
    }

    #[actix_web::test]
    async fn accepts_a_valid_body() {
        assert_eq!(call("application/json", r#"{"naam":"Ann","aantalUren":3}"#).await.0, 200);
    }

    #[actix_web::test]
    async fn malformed_json_is_a_bad_request() {
        let (status, p) = call("application/json", r#"{"naam":"Ann","#).await;
        assert_eq!(status, 400);
        assert_eq!(p["type"], "urn:problem-type:belgif:badRequest");
        assert_eq!(p["issues"][0]["in"], "body");
        assert!(p["issues"][0]["detail"].as_str().unwrap().starts_with("Malformed JSON"));
    }

    #[actix_web::test]
    async fn wrong_content_type_is_415() {
        let (status, p) = call("text/plain", r#"{"naam":"Ann","aantalUren":3}"#).await;
        assert_eq!(status, 415);
        assert_eq!(p["type"], "urn:problem-type:pnt:unsupportedMediaType");
    }

    #[actix_web::test]
    async fn wrong_types_unknown_fields_and_rules_name_the_input() {
        let (_, p) = call("application/json", r#"{"naam":"Ann","aantalUren":"drie"}"#).await;
        assert_eq!(p["issues"][0]["name"], "aantalUren");
        let (_, p) = call("application/json", r#"{"naam":"Ann","aantalUren":3,"x":1}"#).await;
        assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:unknownInput");
        assert_eq!(p["issues"][0]["name"], "x");
        let (status, p) = call("application/json", r#"{"naam":"A","aantalUren":13}"#).await;
        assert_eq!(status, 400);
        let names: Vec<_> = p["issues"].as_array().unwrap().iter().map(|i| i["name"].clone()).collect();
        assert_eq!(names, ["aantalUren", "naam"]);
    }

    #[actix_web::test]
    async fn too_large_is_413() {
        let big = format!(r#"{{"naam":"{}","aantalUren":3}}"#, "x".repeat(100));
        let (status, p) = call("application/json", &big).await;
        assert_eq!(status, 413);
        assert_eq!(p["type"], "urn:problem-type:belgif:payloadTooLarge");
    }
}
