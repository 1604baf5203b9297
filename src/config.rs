//! Typed settings from the environment (README, "Configuration"), with defaults for the embedded mode.
//!
//! Every malformed value is reported as one [`ConfigError`] line; `main` prints it and exits,
//! so an operator never sees a panic backtrace for a typo.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;

/// Where the database lives, decided from `DATABASE_URL` by its scheme only: a mistyped URL is
/// an error, never a silently created empty SQLite file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum DatabaseUrl {
    Postgres(String),
    Sqlite(PathBuf),
}

impl DatabaseUrl {
    pub fn parse(raw: &str) -> Result<Self, ConfigError> {
        let raw = raw.trim();
        if raw.starts_with("postgres://") || raw.starts_with("postgresql://") {
            return Ok(DatabaseUrl::Postgres(raw.to_string()));
        }
        if let Some(path) = raw.strip_prefix("sqlite://") {
            if path.is_empty() {
                return Err(ConfigError::new("DATABASE_URL", "sqlite:// needs a file path"));
            }
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(path)));
        }
        if raw.ends_with(".db") && !raw.contains("://") {
            return Ok(DatabaseUrl::Sqlite(PathBuf::from(raw)));
        }
        Err(ConfigError::new(
            "DATABASE_URL",
            "expected postgres://…, postgresql://…, sqlite://<path> or a path ending in .db",
        ))
    }

    pub fn backend_name(&self) -> &'static str {
        match self {
            DatabaseUrl::Postgres(_) => "postgresql",
            DatabaseUrl::Sqlite(_) => "sqlite",
        }
    }

    /// The URL without credentials, for logs.
    pub fn redacted(&self) -> String {
        match self {
            DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
            DatabaseUrl::Postgres(u) => match (u.find("://"), u.rfind('@')) {
                (Some(s), Some(at)) if at > s => format!("{}://***@{}", &u[..s], &u[at + 1..]),
                _ => u.clone(),
            },
        }
    }
}

#[derive(Debug, thiserror::Error)]
#[error("configuration error in {name}: {message}")]
pub struct ConfigError {
    pub name: &'static str,
    pub message: String,
}

impl ConfigError {
    pub fn new(name: &'static str, message: impl Into<String>) -> Self {
        ConfigError { name, message: message.into() }
    }
}

/// The keys tokens are checked with. HS256 uses the shared secret (also used to sign the API's
/// own tokens); RS256 uses the identity provider's public key. Each algorithm only ever
/// verifies with its own key type, so HS/RS confusion is impossible.
#[derive(Clone)]
pub struct JwtSettings {
    pub secret: Option<Vec<u8>>,
    /// Where the secret came from, for the start-up log line.
    pub secret_source: String,
    pub public_key_pem: Option<Vec<u8>>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    /// Lifetime of tokens the API issues itself (client-credentials grant).
    pub access_token_ttl: Duration,
    /// Longest lifetime a token may claim: one whose `exp` lies further ahead is refused
    /// (`PNT_JWT_MAX_LIFETIME`, seconds, default 24 hours).
    pub max_lifetime: Duration,
    /// The identity provider's JWKS (`PNT_JWT_JWKS_URL`), when configured.
    pub jwks: Option<JwksSettings>,
    /// `PNT_OIDC_ISSUER` (when `PNT_JWT_JWKS_URL` is not set): the JWKS URL is read from the
    /// issuer's discovery document at start-up, and the issuer becomes the required `iss`.
    pub oidc: Option<OidcSettings>,
}

/// An OpenID Connect issuer whose discovery document names the JWKS.
#[derive(Clone, Debug)]
pub struct OidcSettings {
    /// `PNT_OIDC_ISSUER`, exactly as the provider writes it in its tokens' `iss`.
    pub issuer: String,
    /// Refresh and URL rules for the discovered JWKS (its `url` is empty until discovery).
    pub jwks: JwksSettings,
}

/// Where and how often the identity provider's signing keys are fetched.
#[derive(Clone, Debug)]
pub struct JwksSettings {
    /// `PNT_JWT_JWKS_URL`: https:// (plain http:// only for a loopback host with
    /// `PNT_INSECURE_LOOPBACK=true`).
    pub url: String,
    /// `PNT_JWT_JWKS_REFRESH`: seconds between background refreshes (default 300).
    pub refresh: Duration,
    /// `PNT_JWT_JWKS_MIN_REFRESH`: at most one refresh on an unknown `kid` per this many
    /// seconds (default 30).
    pub min_refresh: Duration,
    /// `PNT_INSECURE_LOOPBACK=true`: allow plain http:// to a loopback address (tests and
    /// local development only).
    pub insecure_loopback: bool,
}

impl std::fmt::Debug for JwtSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtSettings")
            .field("secret", &self.secret.as_ref().map(|_| "***"))
            .field("secret_source", &self.secret_source)
            .field("public_key", &self.public_key_pem.is_some())
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field("jwks", &self.jwks)
            .field("oidc", &self.oidc)
            .finish()
    }
}

#[derive(Clone, Debug)]
pub struct Settings {
    pub database_url: DatabaseUrl,
    pub bind: String,
    pub data_dir: PathBuf,
    pub jwt: JwtSettings,
    pub cors_origins: Vec<String>,
    /// Absolute base used for `self`/`href` links (e.g. `https://api.example.be`); when unset
    /// links are built from the request's host.
    pub public_base_url: Option<String>,
    pub db_pool_size: u32,
    pub body_limit: usize,
    pub workers: Option<usize>,
    /// Attempts a minute per client address at secret-guessing operations.
    pub auth_rate_per_minute: u32,
    pub mail: MailSettings,
    /// `PNT_EVENT_RETENTION_DAYS`: days the change feed keeps its events (default 90).
    pub event_retention_days: u32,
    /// `PNT_PUBLIC_MAX_AGE`: seconds a shared cache may keep an anonymous answer of the public
    /// catalogue (default 60; 0: `no-store` like every other answer).
    pub public_max_age: u32,
    /// Webhook deliveries (README, "Webhooks").
    pub webhooks: WebhookSettings,
    /// `PNT_METRICS_TOKEN`: the bearer token of the Prometheus scraper; `None`: `/metrics`
    /// answers `404`.
    pub metrics_token: Option<String>,
    /// `PNT_SHUTDOWN_GRACE`: seconds a SIGTERM leaves in-flight requests and outbox sends to
    /// finish (default 30).
    pub shutdown_grace: Duration,
    /// `PNT_RETENTION_YEARS`: years after a newcomer's last contract closed (or, without a
    /// contract, after their record last changed) before their identifying data is erased
    /// (default 5; see `retentie`).
    pub retention_years: u32,
    /// `PNT_SEARCH_REFRESH_MS`: milliseconds between two looks at the change sequence for what
    /// other instances changed in the catalogue, which bounds how stale their changes can be in
    /// this instance's search (default 250; this instance's own writes count at once).
    pub search_refresh: Duration,
}

/// Webhook deliveries through the outbox (README, "Webhooks").
#[derive(Clone, Debug)]
pub struct WebhookSettings {
    /// `PNT_WEBHOOK_MAX_ATTEMPTS`: attempts before a delivery is marked failed (default 12:
    /// with the doubling delay capped at an hour, about six hours of retries).
    pub max_attempts: u32,
    /// `PNT_WEBHOOK_RETRY`: seconds before the first retry, doubled for each next one up to an
    /// hour (default 60).
    pub retry: Duration,
    /// `PNT_WEBHOOK_TIMEOUT`: seconds one delivery may take (default 10).
    pub timeout: Duration,
    /// `PNT_INSECURE_LOOPBACK=true`: plain `http://` to a loopback receiver (tests and local
    /// development only); otherwise https only and loopback refused like every private range.
    pub insecure_loopback: bool,
}

impl Default for WebhookSettings {
    fn default() -> Self {
        WebhookSettings {
            max_attempts: 12,
            retry: Duration::from_secs(60),
            timeout: crate::webhooks::DEFAULT_TIMEOUT,
            insecure_loopback: false,
        }
    }
}

impl WebhookSettings {
    fn from_env() -> Result<WebhookSettings, ConfigError> {
        let d = WebhookSettings::default();
        let secs = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            Ok(Duration::from_secs(parse_num(name, default.as_secs())?.max(1)))
        };
        Ok(WebhookSettings {
            max_attempts: parse_num("PNT_WEBHOOK_MAX_ATTEMPTS", d.max_attempts)?.max(1),
            retry: secs("PNT_WEBHOOK_RETRY", d.retry)?,
            timeout: secs("PNT_WEBHOOK_TIMEOUT", d.timeout)?,
            insecure_loopback: insecure_loopback()?,
        })
    }
}

/// `PNT_INSECURE_LOOPBACK`: `true` or `false` (default).
fn insecure_loopback() -> Result<bool, ConfigError> {
    match var("PNT_INSECURE_LOOPBACK").as_deref() {
        None | Some("false") => Ok(false),
        Some("true") => Ok(true),
        Some(v) => Err(ConfigError::new("PNT_INSECURE_LOOPBACK", format!("expected true or false, got {v}"))),
    }
}

/// Mail and the outbox worker that delivers it (README, "Mail").
#[derive(Clone)]
pub struct MailSettings {
    /// `PNT_SMTP_URL`: `smtp://host:port` (plain), `smtp://host:587?tls=required` (STARTTLS) or
    /// `smtps://user:pass@host` (TLS). `None`: each mail is written as an `.eml` file under
    /// `PNT_DATA_DIR/outbox/`.
    pub smtp_url: Option<String>,
    /// `PNT_MAIL_FROM`: the sender.
    pub from: String,
    /// `PNT_OUTBOX_MAX_ATTEMPTS`: attempts before a message is marked failed (default 8).
    pub max_attempts: u32,
    /// `PNT_OUTBOX_RETRY`: seconds before the first retry, doubled for each next one up to an
    /// hour (default 30).
    pub retry: Duration,
    /// `PNT_OUTBOX_LEASE`: seconds an instance holds a message it is sending; must exceed the
    /// SMTP timeout (`SMTP_TIMEOUT`), so a slow send is never taken over (default 120).
    pub lease: Duration,
    /// `PNT_OUTBOX_POLL`: seconds between looks for due messages; a change in this process
    /// wakes the worker at once (default 5).
    pub poll: Duration,
    /// `PNT_SIGNING_LINK_BASE`: the page that opens a signing link, the token appended (default:
    /// the API's own `/v1/ondertekenverzoeken/`).
    pub signing_link_base: Option<String>,
}

/// How long one SMTP conversation may take.
pub const SMTP_TIMEOUT: Duration = Duration::from_secs(30);

impl std::fmt::Debug for MailSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MailSettings")
            .field("smtp", &self.smtp_url.as_ref().map(|_| "***"))
            .field("from", &self.from)
            .field("max_attempts", &self.max_attempts)
            .field("retry", &self.retry)
            .field("lease", &self.lease)
            .field("poll", &self.poll)
            .field("signing_link_base", &self.signing_link_base)
            .finish()
    }
}

impl Default for MailSettings {
    fn default() -> Self {
        MailSettings {
            smtp_url: None,
            from: DEFAULT_MAIL_FROM.into(),
            max_attempts: 8,
            retry: Duration::from_secs(30),
            lease: Duration::from_secs(120),
            poll: Duration::from_secs(5),
            signing_link_base: None,
        }
    }
}

pub const DEFAULT_MAIL_FROM: &str = "PNT <noreply@pnt.localhost>";

impl MailSettings {
    fn from_env() -> Result<MailSettings, ConfigError> {
        let d = MailSettings::default();
        let secs = |name: &'static str, default: Duration| -> Result<Duration, ConfigError> {
            let n: u64 = parse_num(name, default.as_secs())?;
            if n == 0 {
                return Err(ConfigError::new(name, "must be at least 1 second"));
            }
            Ok(Duration::from_secs(n))
        };
        let smtp_url = var("PNT_SMTP_URL");
        if let Some(u) = &smtp_url
            && !(u.starts_with("smtp://") || u.starts_with("smtps://"))
        {
            return Err(ConfigError::new("PNT_SMTP_URL", "must start with smtp:// or smtps://"));
        }
        let lease = secs("PNT_OUTBOX_LEASE", d.lease)?;
        if lease <= SMTP_TIMEOUT {
            return Err(ConfigError::new(
                "PNT_OUTBOX_LEASE",
                format!("must exceed the SMTP timeout of {} seconds", SMTP_TIMEOUT.as_secs()),
            ));
        }
        let signing_link_base = var("PNT_SIGNING_LINK_BASE");
        if let Some(u) = &signing_link_base
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::new("PNT_SIGNING_LINK_BASE", "must start with http:// or https://"));
        }
        Ok(MailSettings {
            smtp_url,
            from: var("PNT_MAIL_FROM").unwrap_or(d.from),
            max_attempts: parse_num("PNT_OUTBOX_MAX_ATTEMPTS", d.max_attempts)?.max(1),
            retry: secs("PNT_OUTBOX_RETRY", d.retry)?,
            lease,
            poll: secs("PNT_OUTBOX_POLL", d.poll)?,
            signing_link_base,
        })
    }
}

fn default_pool_size() -> u32 {
    let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
    u32::try_from(2 * cores).unwrap_or(8).max(4)
}

/// Reads one variable, treating empty as unset.
fn var(name: &str) -> Option<String> {
    std::env::var(name).ok().map(|v| v.trim().to_string()).filter(|v| !v.is_empty())
}

fn parse_num<T: std::str::FromStr>(name: &'static str, default: T) -> Result<T, ConfigError> {
    match var(name) {
        None => Ok(default),
        Some(v) => v.parse().map_err(|_| ConfigError::new(name, format!("not a number: {v}"))),
    }
}

/// Default of `PNT_JWT_MAX_LIFETIME`: 24 hours.
pub const DEFAULT_MAX_LIFETIME_SECS: u64 = 24 * 3600;
pub const DEFAULT_BIND: &str = "127.0.0.1:8080";
const SECRET_FILE: &str = "jwt-secret";

impl Settings {
    /// Reads the environment (after `.env`, which `main` loads). Creates the data folder and,
    /// when no key is configured, the generated HS256 secret inside it.
    pub fn from_env() -> Result<Settings, ConfigError> {
        let data_dir = PathBuf::from(var("PNT_DATA_DIR").unwrap_or_else(|| "data".into()));
        let database_url = match var("DATABASE_URL") {
            Some(url) => DatabaseUrl::parse(&url)?,
            None => DatabaseUrl::Sqlite(data_dir.join("pnt.db")),
        };
        if let DatabaseUrl::Sqlite(path) = &database_url
            && let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty())
        {
            fs::create_dir_all(parent)
                .map_err(|e| ConfigError::new("DATABASE_URL", format!("cannot create {}: {e}", parent.display())))?;
        }
        let jwt = JwtSettings::from_env(&data_dir)?;
        let cors_origins = var("PNT_CORS_ORIGINS")
            .map(|v| v.split(',').map(|o| o.trim().to_string()).filter(|o| !o.is_empty()).collect())
            .unwrap_or_default();
        let public_base_url = var("PNT_PUBLIC_BASE_URL").map(|u| u.trim_end_matches('/').to_string());
        if let Some(u) = &public_base_url
            && !(u.starts_with("http://") || u.starts_with("https://"))
        {
            return Err(ConfigError::new("PNT_PUBLIC_BASE_URL", "must start with http:// or https://"));
        }
        let bind = var("PNT_BIND").unwrap_or_else(|| DEFAULT_BIND.into());
        if bind.parse::<std::net::SocketAddr>().is_err() && !bind.contains(':') {
            return Err(ConfigError::new("PNT_BIND", format!("expected host:port, got {bind}")));
        }
        Ok(Settings {
            database_url,
            bind,
            data_dir,
            jwt,
            cors_origins,
            public_base_url,
            // Beyond about two connections per core, queries only queue inside the database.
            db_pool_size: parse_num("PNT_DB_POOL_SIZE", default_pool_size())?,
            auth_rate_per_minute: parse_num("PNT_AUTH_RATE_PER_MINUTE", 30)?,
            mail: MailSettings::from_env()?,
            event_retention_days: parse_num("PNT_EVENT_RETENTION_DAYS", 90u32)?.max(1),
            public_max_age: parse_num("PNT_PUBLIC_MAX_AGE", 60u32)?,
            webhooks: WebhookSettings::from_env()?,
            metrics_token: var("PNT_METRICS_TOKEN"),
            shutdown_grace: Duration::from_secs(parse_num("PNT_SHUTDOWN_GRACE", 30u64)?),
            retention_years: parse_num("PNT_RETENTION_YEARS", 5u32)?.max(1),
            search_refresh: Duration::from_millis(parse_num("PNT_SEARCH_REFRESH_MS", 250u64)?.clamp(10, 60_000)),
            body_limit: parse_num("PNT_BODY_LIMIT", 1024 * 1024)?,
            workers: var("PNT_WORKERS")
                .map(|v| v.parse().map_err(|_| ConfigError::new("PNT_WORKERS", "not a number")))
                .transpose()?,
        })
    }
}

impl JwtSettings {
    fn from_env(data_dir: &Path) -> Result<JwtSettings, ConfigError> {
        let public_key_pem = match var("PNT_JWT_PUBLIC_KEY") {
            None => None,
            Some(v) => Some(load_pem(&v)?),
        };
        let jwks_url = var("PNT_JWT_JWKS_URL");
        let oidc_issuer = var("PNT_OIDC_ISSUER");
        if jwks_url.is_some() && oidc_issuer.is_some() {
            return Err(ConfigError::new(
                "PNT_OIDC_ISSUER",
                "set either PNT_OIDC_ISSUER (the JWKS URL is discovered) or PNT_JWT_JWKS_URL, not both",
            ));
        }
        let key_source = |name: &'static str, url: String| -> Result<JwksSettings, ConfigError> {
            let refresh = parse_num("PNT_JWT_JWKS_REFRESH", 300u64)?;
            if refresh == 0 {
                return Err(ConfigError::new("PNT_JWT_JWKS_REFRESH", "must be at least 1 second"));
            }
            let insecure_loopback = insecure_loopback()?;
            crate::auth::jwks::check_url(&url, insecure_loopback).map_err(|e| ConfigError::new(name, e))?;
            Ok(JwksSettings {
                url,
                refresh: Duration::from_secs(refresh),
                min_refresh: Duration::from_secs(parse_num("PNT_JWT_JWKS_MIN_REFRESH", 30u64)?),
                insecure_loopback,
            })
        };
        let jwks = jwks_url.map(|url| key_source("PNT_JWT_JWKS_URL", url)).transpose()?;
        let oidc = match oidc_issuer {
            None => None,
            Some(issuer) => {
                let mut jwks = key_source("PNT_OIDC_ISSUER", issuer.clone())?;
                jwks.url = String::new();
                Some(OidcSettings { issuer, jwks })
            }
        };
        let issuer = var("PNT_JWT_ISSUER");
        if let (Some(oidc), Some(configured)) = (&oidc, &issuer)
            && configured != &oidc.issuer
        {
            return Err(ConfigError::new(
                "PNT_JWT_ISSUER",
                format!("{configured} differs from PNT_OIDC_ISSUER {}; unset one of them", oidc.issuer),
            ));
        }
        let (secret, secret_source) = match var("PNT_JWT_SECRET") {
            Some(s) if s.len() < 32 => {
                return Err(ConfigError::new("PNT_JWT_SECRET", "must be at least 32 characters"));
            }
            Some(s) => (Some(s.into_bytes()), "PNT_JWT_SECRET".to_string()),
            // With only an identity provider key configured, HS256 is not accepted at all.
            None if public_key_pem.is_some() || jwks.is_some() || oidc.is_some() => {
                (None, "none (identity provider only)".to_string())
            }
            None => {
                let path = data_dir.join(SECRET_FILE);
                (Some(load_or_create_secret(&path)?), path.display().to_string())
            }
        };
        let access_token_ttl = Duration::from_secs(parse_num("PNT_ACCESS_TOKEN_TTL", 3600u64)?);
        let max_lifetime = Duration::from_secs(parse_num("PNT_JWT_MAX_LIFETIME", DEFAULT_MAX_LIFETIME_SECS)?);
        if access_token_ttl > max_lifetime {
            // The API would issue tokens it refuses itself.
            return Err(ConfigError::new("PNT_ACCESS_TOKEN_TTL", "must not exceed PNT_JWT_MAX_LIFETIME"));
        }
        Ok(JwtSettings {
            secret,
            secret_source,
            public_key_pem,
            issuer,
            audience: var("PNT_JWT_AUDIENCE"),
            access_token_ttl,
            max_lifetime,
            jwks,
            oidc,
        })
    }
}

/// `PNT_JWT_PUBLIC_KEY` is either the PEM itself or the path of a PEM file.
fn load_pem(value: &str) -> Result<Vec<u8>, ConfigError> {
    let pem = if value.starts_with("-----BEGIN") {
        value.replace("\\n", "\n").into_bytes()
    } else {
        fs::read(value).map_err(|e| ConfigError::new("PNT_JWT_PUBLIC_KEY", format!("cannot read {value}: {e}")))?
    };
    jsonwebtoken::DecodingKey::from_rsa_pem(&pem)
        .map_err(|e| ConfigError::new("PNT_JWT_PUBLIC_KEY", format!("not an RSA public key in PEM: {e}")))?;
    Ok(pem)
}

/// The embedded default's secret: generated once, kept beside the database with mode 0600 so
/// the server and the `token` command agree without any set-up.
fn load_or_create_secret(path: &Path) -> Result<Vec<u8>, ConfigError> {
    const NAME: &str = "PNT_JWT_SECRET";
    if let Ok(existing) = fs::read_to_string(path) {
        let existing = existing.trim();
        if existing.len() < 32 {
            return Err(ConfigError::new(NAME, format!("{} is too short; delete it to regenerate", path.display())));
        }
        return Ok(existing.as_bytes().to_vec());
    }
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .map_err(|e| ConfigError::new(NAME, format!("cannot create {}: {e}", parent.display())))?;
    }
    let mut raw = [0u8; 48];
    getrandom::fill(&mut raw).map_err(|e| ConfigError::new(NAME, format!("no randomness: {e}")))?;
    let secret = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(raw);
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    match options.open(path) {
        Ok(mut file) => {
            file.write_all(secret.as_bytes())
                .map_err(|e| ConfigError::new(NAME, format!("cannot write {}: {e}", path.display())))?;
            Ok(secret.into_bytes())
        }
        // Another process (a second instance, or `token`) won the race: use its secret.
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => load_or_create_secret(path),
        Err(e) => Err(ConfigError::new(NAME, format!("cannot create {}: {e}", path.display()))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn database_url_is_chosen_by_scheme_only() {
        assert_eq!(DatabaseUrl::parse("postgres://u@h/db").unwrap(), DatabaseUrl::Postgres("postgres://u@h/db".into()));
        assert_eq!(DatabaseUrl::parse("sqlite://data/x.db").unwrap(), DatabaseUrl::Sqlite("data/x.db".into()));
        assert_eq!(DatabaseUrl::parse("x.db").unwrap(), DatabaseUrl::Sqlite("x.db".into()));
        assert!(DatabaseUrl::parse("postgresdb://h/db").is_err());
        assert!(DatabaseUrl::parse("mysql://h/db").is_err());
        assert!(DatabaseUrl::parse("sqlite://").is_err());
    }

    #[test]
    fn redacts_credentials() {
        let url = DatabaseUrl::Postgres("postgres://user:pw@host:5432/db".into());
        assert_eq!(url.redacted(), "postgres://***@host:5432/db");
    }

    #[test]
    fn generated_secret_is_stable_and_private() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("jwt-secret");
        let first = load_or_create_secret(&path).unwrap();
        let second = load_or_create_secret(&path).unwrap();
        assert_eq!(first, second);
        assert!(first.len() >= 32);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
    }
}
