//! Test harness: an app on a fresh, isolated database per test — its own SQLite file, or its own
//! PostgreSQL schema when `TEST_DATABASE_URL=postgres://…` is set — driven over actix's test
//! service with real tokens.

#![allow(dead_code)]

use std::path::PathBuf;
use std::rc::Rc;
use std::time::Duration;

use actix_web::body::BoxBody;
use actix_web::dev::{Service, ServiceResponse};
use actix_web::http::header::{HeaderMap, HeaderName, HeaderValue};
use actix_web::http::{Method, StatusCode};
use actix_web::test::TestRequest;
use diesel::{Connection, PgConnection, RunQueryDsl};
use futures_util::future::LocalBoxFuture;
use pnt_api::auth::{Claims, Role, TokenRequest};
use pnt_api::config::{DatabaseUrl, JwtSettings, Settings};
use pnt_api::state::AppState;
use serde_json::Value;

pub const TEST_SECRET: &str = "test-secret-of-at-least-thirty-two-bytes!";

type BoxedService = Rc<
    dyn Service<
            actix_http::Request,
            Response = ServiceResponse<BoxBody>,
            Error = actix_web::Error,
            Future = LocalBoxFuture<'static, Result<ServiceResponse<BoxBody>, actix_web::Error>>,
        >,
>;

/// Drops the test's PostgreSQL schema when the test ends.
struct PgSchema {
    base_url: String,
    schema: String,
}

impl Drop for PgSchema {
    fn drop(&mut self) {
        if let Ok(mut c) = PgConnection::establish(&self.base_url) {
            let _ = diesel::sql_query(format!("DROP SCHEMA IF EXISTS {} CASCADE", self.schema)).execute(&mut c);
        }
    }
}

pub struct TestApp {
    // Field order matters: the service (and its pool) goes before the database it uses.
    svc: BoxedService,
    pub state: AppState,
    _pg: Option<PgSchema>,
    _dir: tempfile::TempDir,
}

/// Which backend the suite runs on.
pub fn test_database_url() -> Option<String> {
    std::env::var("TEST_DATABASE_URL").ok().filter(|u| !u.trim().is_empty())
}

pub fn is_postgres() -> bool {
    test_database_url().is_some()
}

fn with_search_path(url: &str, schema: &str) -> String {
    let sep = if url.contains('?') { '&' } else { '?' };
    format!("{url}{sep}options=-csearch_path%3D{schema}")
}

/// A fresh database URL for one test, plus what cleans it up.
fn fresh_database(dir: &tempfile::TempDir) -> (DatabaseUrl, Option<PgSchema>) {
    match test_database_url() {
        Some(base) => {
            let schema = format!("t_{}", uuid::Uuid::new_v4().simple());
            let mut c = PgConnection::establish(&base).expect("TEST_DATABASE_URL must be reachable");
            diesel::sql_query(format!("CREATE SCHEMA {schema}")).execute(&mut c).unwrap();
            let url = with_search_path(&base, &schema);
            (DatabaseUrl::Postgres(url), Some(PgSchema { base_url: base, schema }))
        }
        None => (DatabaseUrl::Sqlite(dir.path().join("pnt.db")), None),
    }
}

pub fn jwt_settings() -> JwtSettings {
    JwtSettings {
        secret: Some(TEST_SECRET.as_bytes().to_vec()),
        secret_source: "test".into(),
        public_key_pem: None,
        issuer: None,
        audience: None,
        access_token_ttl: Duration::from_secs(3600),
        max_lifetime: Duration::from_secs(24 * 3600),
        jwks: None,
        oidc: None,
    }
}

/// The scraper's token in tests (`PNT_METRICS_TOKEN`).
pub const METRICS_TOKEN: &str = "test-metrics-token";

pub fn settings(database_url: DatabaseUrl, data_dir: PathBuf) -> Settings {
    Settings {
        database_url,
        bind: "127.0.0.1:0".into(),
        data_dir,
        jwt: jwt_settings(),
        cors_origins: vec![],
        public_base_url: None,
        db_pool_size: 4,
        body_limit: 64 * 1024,
        workers: Some(1),
        auth_rate_per_minute: 1000,
        mail: pnt_api::config::MailSettings::default(),
        event_retention_days: 90,
        public_max_age: 60,
        webhooks: pnt_api::config::WebhookSettings { insecure_loopback: true, ..Default::default() },
        metrics_token: Some(METRICS_TOKEN.into()),
        shutdown_grace: std::time::Duration::from_secs(5),
        retention_years: 5,
        search_refresh: std::time::Duration::from_millis(50),
    }
}

pub fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

impl TestApp {
    pub async fn spawn() -> TestApp {
        TestApp::spawn_with(|_| {}).await
    }

    /// An app whose settings the test may adjust (keys, limits, CORS, …).
    pub async fn spawn_with(adjust: impl FnOnce(&mut Settings)) -> TestApp {
        // Server logs (5xx causes) show up in the output of a failing test.
        let _ = env_logger::builder().is_test(true).filter_level(log::LevelFilter::Warn).try_init();
        let dir = tempfile::tempdir().unwrap();
        let (url, pg) = fresh_database(&dir);
        let mut s = settings(url, dir.path().to_path_buf());
        adjust(&mut s);
        let state = actix_web::web::block(move || pnt_api::startup::build_state(s)).await.unwrap().unwrap();
        TestApp::from_state(state, pg, dir).await
    }

    /// An app over an already built state (e.g. a pool to an unreachable database).
    pub async fn from_state_unchecked(state: AppState) -> TestApp {
        TestApp::from_state(state, None, tempfile::tempdir().unwrap()).await
    }

    async fn from_state(state: AppState, pg: Option<PgSchema>, dir: tempfile::TempDir) -> TestApp {
        use actix_service::ServiceExt;
        let svc = actix_web::test::init_service(pnt_api::startup::app(state.clone())).await;
        let svc = svc.map(|res: ServiceResponse<_>| res.map_into_boxed_body());
        TestApp { svc: Rc::new(actix_service::boxed::rc_service(svc)), state, _pg: pg, _dir: dir }
    }

    pub fn token(&self, role: Role, sub: &str) -> String {
        self.token_for(TokenRequest { sub: sub.into(), roles: vec![role], ..Default::default() })
    }

    pub fn token_for(&self, req: TokenRequest) -> String {
        self.state.tokens.mint(req.into_claims(), chrono::Duration::minutes(10)).unwrap()
    }

    /// Signs arbitrary claims with the test secret, bypassing the service's own defaults.
    pub fn sign_claims(claims: &Claims, secret: &[u8]) -> String {
        jsonwebtoken::encode(
            &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
            claims,
            &jsonwebtoken::EncodingKey::from_secret(secret),
        )
        .unwrap()
    }

    pub fn req(&self, method: Method, path: &str) -> Req<'_> {
        Req {
            app: self,
            inner: TestRequest::default().method(method.clone()).uri(path),
            method,
            uri: path.to_string(),
            content_type: None,
            payload: None,
        }
    }

    pub fn get(&self, path: &str) -> Req<'_> {
        self.req(Method::GET, path)
    }

    pub fn post(&self, path: &str) -> Req<'_> {
        self.req(Method::POST, path)
    }

    pub fn put(&self, path: &str) -> Req<'_> {
        self.req(Method::PUT, path)
    }

    pub fn patch(&self, path: &str) -> Req<'_> {
        self.req(Method::PATCH, path)
    }

    pub fn delete(&self, path: &str) -> Req<'_> {
        self.req(Method::DELETE, path)
    }

    /// From now on every `UPDATE` and `DELETE` on `table` silently changes nothing, as if a
    /// concurrent writer had moved the row to another version between the API's read and its
    /// versioned write: the API must answer its lost-race `409 conflict`.
    pub async fn lose_races_on(&self, table: &'static str) {
        self.db(move |c| {
            use diesel::connection::SimpleConnection;
            let sql = if is_postgres() {
                format!(
                    "CREATE OR REPLACE FUNCTION pnt_test_skip() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$ LANGUAGE plpgsql;
                     CREATE TRIGGER pnt_test_lose_update BEFORE UPDATE ON {table} FOR EACH ROW EXECUTE FUNCTION pnt_test_skip();
                     CREATE TRIGGER pnt_test_lose_delete BEFORE DELETE ON {table} FOR EACH ROW EXECUTE FUNCTION pnt_test_skip();"
                )
            } else {
                format!(
                    "CREATE TRIGGER pnt_test_lose_update_{table} BEFORE UPDATE ON {table} BEGIN SELECT RAISE(IGNORE); END;
                     CREATE TRIGGER pnt_test_lose_delete_{table} BEFORE DELETE ON {table} BEGIN SELECT RAISE(IGNORE); END;"
                )
            };
            c.batch_execute(&sql).map_err(pnt_api::error::ApiError::internal)
        })
        .await
    }

    /// Runs a query directly on the test database (for set-up and for checking what was stored).
    pub async fn db<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut pnt_api::db::DbConn) -> pnt_api::error::ApiResult<T> + Send + 'static,
    ) -> T {
        self.state.db.run(f).await.unwrap()
    }
}

pub struct Req<'a> {
    app: &'a TestApp,
    inner: TestRequest,
    // Kept for the contract check of the exchange.
    method: Method,
    uri: String,
    content_type: Option<String>,
    payload: Option<Vec<u8>>,
}

impl Req<'_> {
    pub fn bearer(mut self, token: &str) -> Self {
        self.inner = self.inner.insert_header(("Authorization", format!("Bearer {token}")));
        self
    }

    pub fn header(mut self, name: &str, value: &str) -> Self {
        if name.eq_ignore_ascii_case("content-type") {
            self.content_type = Some(value.to_string());
        }
        self.inner = self.inner.insert_header((name.to_string(), value.to_string()));
        self
    }

    pub fn json(self, body: &Value) -> Self {
        self.body("application/json", body.to_string())
    }

    pub fn body(mut self, content_type: &str, body: impl Into<actix_web::web::Bytes>) -> Self {
        let body = body.into();
        self.content_type = Some(content_type.to_string());
        self.payload = Some(body.to_vec());
        self.inner = self.inner.insert_header(("Content-Type", content_type.to_string())).set_payload(body);
        self
    }

    pub async fn send(self) -> Res {
        let res = self.app.svc.call(self.inner.to_request()).await.unwrap_or_else(|e| {
            panic!("service error instead of a response: {e}");
        });
        let status = res.status();
        let headers = res.headers().clone();
        let body = actix_web::body::to_bytes(res.into_body()).await.map_err(|_| "body").unwrap();
        let header = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
        let exchange = crate::contract::Exchange {
            method: self.method.as_str(),
            uri: &self.uri,
            request_content_type: self.content_type.as_deref(),
            request_body: self.payload.as_deref(),
            status: status.as_u16(),
            response_content_type: header("content-type"),
            trace_id: header("belgov-trace-id"),
            response_body: &body,
        };
        if let Err(e) = crate::contract::contract().check_exchange(&exchange) {
            panic!(
                "the exchange does not match openapi/openapi.json:\n  {e}\nresponse body: {}",
                String::from_utf8_lossy(&body)
            );
        }
        Res { status, headers, body: body.to_vec() }
    }
}

#[derive(Debug)]
pub struct Res {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Res {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.body)
            .unwrap_or_else(|e| panic!("not JSON ({e}): {}", String::from_utf8_lossy(&self.body)))
    }

    pub fn header(&self, name: &str) -> Option<String> {
        self.headers
            .get(HeaderName::from_bytes(name.as_bytes()).unwrap())
            .and_then(|v: &HeaderValue| v.to_str().ok())
            .map(str::to_string)
    }

    pub fn text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// Asserts the status and returns the JSON body.
    #[track_caller]
    pub fn expect(&self, status: u16) -> Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text());
        if self.body.is_empty() { Value::Null } else { self.json() }
    }

    /// Asserts a problem+json response of this status and type suffix (`badRequest`,
    /// `pnt:invalidTransition`, …) and returns it.
    #[track_caller]
    pub fn problem(&self, status: u16, type_suffix: &str) -> Value {
        assert_eq!(self.status.as_u16(), status, "unexpected status; body: {}", self.text());
        assert_eq!(
            self.header("content-type").as_deref(),
            Some("application/problem+json"),
            "problem content type; body: {}",
            self.text()
        );
        let p = self.json();
        let t = p["type"].as_str().unwrap_or_default();
        assert!(t.ends_with(type_suffix), "problem type {t} does not end with {type_suffix}: {p}");
        assert_eq!(p["status"], status);
        assert!(p["instance"].as_str().unwrap_or_default().starts_with("urn:uuid:"), "{p}");
        p
    }
}

/// The names of the `issues` of a badRequest problem.
pub fn issue_names(problem: &Value) -> Vec<String> {
    problem["issues"]
        .as_array()
        .map(|a| a.iter().filter_map(|i| i["name"].as_str().map(str::to_string)).collect())
        .unwrap_or_default()
}

/// The real binary serving on a loopback port in its own process (a second instance beside a
/// `TestApp`); stopped when dropped.
pub struct Instantie {
    child: std::process::Child,
    pub addr: String,
    _dir: tempfile::TempDir,
}

impl Instantie {
    pub fn start(env: &[(&str, &str)]) -> Instantie {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pnt-api"));
        cmd.arg("serve").current_dir(dir.path());
        for var in ["DATABASE_URL", "PNT_JWT_PUBLIC_KEY", "PNT_JWT_JWKS_URL", "PNT_OIDC_ISSUER", "PNT_LOG_FORMAT"] {
            cmd.env_remove(var);
        }
        cmd.env("PNT_DATA_DIR", dir.path().join("data"))
            .env("PNT_JWT_SECRET", TEST_SECRET)
            .env("PNT_BIND", "127.0.0.1:0")
            .env("RUST_LOG", "info")
            .envs(env.iter().copied())
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::piped());
        let mut child = cmd.spawn().unwrap();
        let mut lines = std::io::BufReader::new(child.stderr.take().unwrap()).lines();
        let addr = loop {
            let line = lines.next().expect("the instance starts").unwrap();
            if let Some(rest) = line.split("PNT API listening on http://").nth(1) {
                break rest.split_whitespace().next().unwrap().to_string();
            }
        };
        // Keep draining its log, so the instance never blocks on a full pipe.
        std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
        Instantie { child, addr, _dir: dir }
    }

    /// `GET path`, anonymous: the raw answer.
    fn answer(&self, path: &str) -> String {
        use std::io::{Read, Write};
        let mut s = std::net::TcpStream::connect(&self.addr).unwrap();
        write!(s, "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n", self.addr).unwrap();
        let mut answer = String::new();
        s.read_to_string(&mut answer).unwrap();
        answer
    }

    /// `GET path`, anonymous; the JSON body of a `200`.
    pub fn get(&self, path: &str) -> Value {
        let answer = self.answer(path);
        assert!(answer.starts_with("HTTP/1.1 200"), "GET {path}: {answer}");
        serde_json::from_str(answer.split_once("\r\n\r\n").unwrap().1).unwrap()
    }

    /// Waits until `/health/ready` answers `200` (the search catalogue is loaded).
    pub fn wait_ready(&self) {
        let sinds = std::time::Instant::now();
        while !self.answer("/health/ready").starts_with("HTTP/1.1 200") {
            assert!(sinds.elapsed() < std::time::Duration::from_secs(30), "the instance never became ready");
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
    }
}

impl Drop for Instantie {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
