//! Building the application: state (pool, migrations, reference data, keys), the actix `App`
//! with its middleware, routes and Swagger UI, and the HTTP server.

use std::sync::Arc;

use actix_cors::Cors;
use actix_web::body::MessageBody;
use actix_web::dev::{ServiceFactory, ServiceRequest, ServiceResponse};
use actix_web::middleware::{Condition, Logger, from_fn};
use actix_web::{App, http::header, web};
use utoipa_actix_web::{AppExt, scope};
use utoipa_swagger_ui::SwaggerUi;

use crate::auth::TokenService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{self, Db};
use crate::error::{ApiError, InputLocation};
use crate::http::conventions::{self, RouteTable};
use crate::http::idempotency;
use crate::http::ratelimit::Limiters;
use crate::outbox::Outbox;
use crate::refdata::RefCache;
use crate::state::AppState;
use crate::{openapi, outbox, refdata, routes};

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    #[error(transparent)]
    Db(#[from] db::DbSetupError),
    #[error("{0}")]
    Keys(String),
    #[error("cannot load the reference data: {0}")]
    RefData(String),
    #[error("cannot listen on {0}: {1}")]
    Bind(String, std::io::Error),
    #[error("server error: {0}")]
    Server(std::io::Error),
}

/// Connects, migrates and loads the reference data.
pub fn build_state(settings: Settings) -> Result<AppState, StartupError> {
    let tokens = TokenService::new(&settings.jwt).map_err(StartupError::Keys)?;
    let outbox = Outbox::new(&settings.mail, &settings.webhooks, &settings.data_dir).map_err(StartupError::Keys)?;
    let settings_rate = settings.auth_rate_per_minute;
    let pool = db::connect(&settings.database_url, settings.db_pool_size)?;
    let refdata = {
        let mut conn =
            pool.get().map_err(|e| db::DbSetupError::Connect(settings.database_url.redacted(), e.to_string()))?;
        let applied = db::run_migrations(&mut conn)?;
        if applied > 0 {
            log::info!("applied {applied} migration(s)");
        }
        refdata::load(&mut conn).map_err(|e| StartupError::RefData(e.to_string()))?;
        RefCache::load(&mut conn).map_err(|e| StartupError::RefData(e.to_string()))?
    };
    Ok(AppState {
        db: Db::new(pool),
        tokens: Arc::new(tokens),
        settings: Arc::new(settings),
        refdata: Arc::new(refdata),
        limits: Limiters::new(settings_rate),
        clock: Clock::system(),
        outbox: Arc::new(outbox),
        catalogus: Arc::new(crate::catalogus::Catalogus::new()),
    })
}

/// The routes and their OpenAPI document, from one set of `service(...)` calls.
fn collect() -> (
    App<
        impl ServiceFactory<
            ServiceRequest,
            Config = (),
            Response = ServiceResponse<impl MessageBody>,
            Error = actix_web::Error,
            InitError = (),
        >,
    >,
    utoipa::openapi::OpenApi,
) {
    let (app, api) = App::new()
        .into_utoipa_app()
        .openapi(openapi::base())
        .service(routes::health::health)
        .service(routes::health::live)
        .service(routes::health::ready)
        .service(routes::health::metrics)
        .service(scope::scope("/v1").configure(routes::configure))
        .split_for_parts();
    (app, openapi::finish(api))
}

/// The OpenAPI document this binary serves (and `pnt-api openapi` prints).
pub fn api_doc() -> utoipa::openapi::OpenApi {
    collect().1
}

fn cors(origins: &[String]) -> Cors {
    let mut cors = Cors::default()
        .allowed_methods(["GET", "POST", "PUT", "PATCH", "DELETE"])
        .allowed_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::ACCEPT_LANGUAGE,
            header::IF_MATCH,
            header::HeaderName::from_static("idempotency-key"),
            header::HeaderName::from_static("belgov-trace-id"),
        ])
        .expose_headers([header::ETAG, header::LOCATION, header::HeaderName::from_static("belgov-trace-id")])
        .max_age(3600);
    for origin in origins {
        cors = if origin == "*" { cors.allow_any_origin() } else { cors.allowed_origin(origin) };
    }
    cors
}

/// The served OpenAPI document (`/openapi.json`).
static OPENAPI_JSON: std::sync::OnceLock<web::Bytes> = std::sync::OnceLock::new();

/// The complete application for one worker.
pub fn app(
    state: AppState,
) -> App<
    impl ServiceFactory<
        ServiceRequest,
        Config = (),
        Response = ServiceResponse<impl MessageBody>,
        Error = actix_web::Error,
        InitError = (),
    >,
> {
    let (app, api) = collect();
    let routes = RouteTable::from_openapi(&api);
    // Serialized once per process and shared: a copy of the document per worker (which Swagger
    // UI's own `url(.., api)` keeps) held about 13 MB each.
    let spec =
        OPENAPI_JSON.get_or_init(|| web::Bytes::from(serde_json::to_vec(&api).expect("the document serializes")));
    drop(api);
    let origins = state.settings.cors_origins.clone();
    let body_limit = state.settings.body_limit;
    app.app_data(web::Data::new(state))
        .app_data(web::Data::new(routes))
        .app_data(web::PayloadConfig::new(body_limit))
        .app_data(web::PathConfig::default().error_handler(|err, req| path_error(&err.to_string(), req.path()).into()))
        .app_data(
            web::QueryConfig::default()
                .error_handler(|err, _| ApiError::invalid(InputLocation::Query, "query", err.to_string()).into()),
        )
        .route(
            "/openapi.json",
            web::get().to(move || {
                let spec = spec.clone();
                async move { actix_web::HttpResponse::Ok().content_type(header::ContentType::json()).body(spec) }
            }),
        )
        .service(SwaggerUi::new("/swagger-ui/{_:.*}").config(utoipa_swagger_ui::Config::from("/openapi.json")))
        .default_service(web::to(conventions::fallback))
        // Innermost first: idempotent replays, CORS pre-flights, then the conventions add the
        // trace id, security headers and problem bodies; the logger sees the final response.
        .wrap(from_fn(idempotency::idempotency))
        // The public catalogue's anonymous answers: `Cache-Control: public`, `ETag`, `304`.
        .wrap(from_fn(crate::http::cache::public_cache))
        // Before a replay or a handler: a revoked API client's tokens are refused at once.
        .wrap(from_fn(crate::auth::client_revocation))
        .wrap(Condition::new(!origins.is_empty(), cors(&origins)))
        .wrap(from_fn(conventions::conventions))
        .wrap(from_fn(crate::http::metrics::middleware))
        .wrap(
            Logger::new("%a \"%{request}xi\" %s %b %Dms trace=%{BelGov-Trace-Id}o")
                .custom_request_replace("request", |req| {
                    logged_request_line(req.method().as_str(), &req.uri().to_string())
                }),
        )
}

/// A path segment that does not parse: the detail names the expected kind of value, never
/// the Rust type the extractor wanted (`can not parse "1e3" to a i64`).
fn path_error(message: &str, path: &str) -> ApiError {
    let numeric =
        ["i64", "i32", "u64", "u32", "i16", "u16", "usize"].iter().any(|t| message.ends_with(&format!(" {t}")));
    let expected = if numeric { "a whole number" } else { "a valid identifier" };
    let segment = message.split('"').nth(1).unwrap_or_default();
    let shown: String = segment.chars().filter(|c| !c.is_control()).take(64).collect();
    let detail = if shown.is_empty() {
        format!("The path {path} does not name a resource: a segment must be {expected}")
    } else {
        format!("The path segment \"{shown}\" must be {expected}")
    };
    ApiError::invalid(InputLocation::Path, "path", detail)
}

/// The request line as the access log shows it: one-time signing tokens are secrets (they
/// let anyone sign a proof), so they never reach a log file.
pub fn logged_request_line(method: &str, uri: &str) -> String {
    const SIGNING: &str = "/v1/ondertekenverzoeken/";
    let uri = match uri.find(SIGNING) {
        Some(i) => {
            let rest = &uri[i + SIGNING.len()..];
            let end = rest.find(['/', '?']).unwrap_or(rest.len());
            format!("{}{SIGNING}***{}", &uri[..i], &rest[end..])
        }
        None => uri.to_string(),
    };
    format!("{method} {uri}")
}

/// Runs the server until it is stopped.
pub async fn serve(settings: Settings) -> Result<(), StartupError> {
    let bind = settings.bind.clone();
    let workers = settings.workers;
    log::info!("database: {} ({})", settings.database_url.redacted(), settings.database_url.backend_name());
    log::info!("HS256 secret: {}", settings.jwt.secret_source);
    if settings.jwt.public_key_pem.is_some() {
        log::info!("RS256 tokens of the identity provider are accepted");
    }
    if let Some(jwks) = &settings.jwt.jwks {
        log::info!("identity provider keys: {} (refreshed every {}s)", jwks.url, jwks.refresh.as_secs());
    }
    let state = web::block(move || build_state(settings)).await.map_err(|e| StartupError::Keys(e.to_string()))??;
    log::info!("mail: {}", state.outbox.beschrijving());
    outbox::start(state.clone());
    crate::app::retentie::start(state.clone());
    crate::catalogus::start(state.clone());
    let addrs = std::net::ToSocketAddrs::to_socket_addrs(&bind).map_err(|e| StartupError::Bind(bind.clone(), e))?;
    let mut listeners = Vec::new();
    for addr in addrs {
        listeners.push(std::net::TcpListener::bind(addr).map_err(|e| StartupError::Bind(bind.clone(), e))?);
    }
    let server = server(state.clone(), listeners, workers).map_err(|e| StartupError::Bind(bind.clone(), e))?;
    let stopped = server.await.map_err(StartupError::Server);
    // The server has stopped (SIGTERM): let a send in flight finish within the grace period.
    // A send cut off later is not lost: its lease runs out and another attempt follows.
    outbox::stop(&state, state.settings.shutdown_grace).await;
    stopped
}

/// The HTTP server on these listeners (what `serve` runs; tests run it on a loopback port).
/// Built from actix-server and actix-http like `actix_web::HttpServer` with its defaults, plus
/// one thing it cannot do: every connection passes through `oversized::HeadGuard`, so even a
/// request head too large for the framework is answered with a problem.
pub fn server(
    state: AppState,
    listeners: Vec<std::net::TcpListener>,
    workers: Option<usize>,
) -> std::io::Result<actix_server::Server> {
    use actix_http::{HttpService, KeepAlive};
    use actix_service::{ServiceFactoryExt, fn_service, map_config};
    use actix_web::dev::AppConfig;

    // Database calls run on the blocking pool; more threads than pooled connections would only
    // wait for a connection, and each thread costs memory.
    let blocking_threads = state.settings.db_pool_size.max(2) as usize;
    // SIGTERM/SIGINT stop accepting at once and give in-flight requests the grace period.
    let grace = state.settings.shutdown_grace.as_secs();
    let mut builder =
        actix_server::Server::build().worker_max_blocking_threads(blocking_threads).shutdown_timeout(grace);
    if let Some(n) = workers {
        builder = builder.workers(n);
    }
    for listener in listeners {
        let addr = listener.local_addr()?;
        log::info!("PNT API listening on http://{addr} — Swagger UI: http://{addr}/swagger-ui/");
        let state = state.clone();
        builder = builder.listen(format!("pnt-api-{addr}"), listener, move || {
            let app =
                actix_service::IntoServiceFactory::into_factory(app(state.clone())).map_err(|err| err.error_response());
            // As `HttpServer`: a request without `Host` is taken to address the listener.
            let config = move |()| AppConfig::__priv_test_new(false, addr.to_string(), addr);
            let http = HttpService::build()
                .keep_alive(KeepAlive::default())
                .client_request_timeout(std::time::Duration::from_secs(5))
                .client_disconnect_timeout(std::time::Duration::from_secs(1))
                .local_addr(addr)
                .h1(map_config(app, config));
            fn_service(|io: actix_rt::net::TcpStream| {
                let peer = io.peer_addr().ok();
                // Small responses go out at once, as HttpServer does.
                let _ = io.set_nodelay(true);
                std::future::ready(Ok((crate::http::oversized::HeadGuard::new(io), peer)))
            })
            .and_then(http)
        })?;
    }
    Ok(builder.run())
}

#[cfg(test)]
mod tests {
    use super::logged_request_line;

    #[test]
    fn signing_tokens_are_masked_in_the_access_log() {
        assert_eq!(logged_request_line("GET", "/v1/ondertekenverzoeken/abc123"), "GET /v1/ondertekenverzoeken/***");
        assert_eq!(
            logged_request_line("POST", "/v1/ondertekenverzoeken/abc?x=1"),
            "POST /v1/ondertekenverzoeken/***?x=1"
        );
        assert_eq!(logged_request_line("GET", "/v1/aanbod?q=x"), "GET /v1/aanbod?q=x");
    }
}
