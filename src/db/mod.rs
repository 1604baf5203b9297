//! Storage: one diesel connection type over SQLite (embedded default) and PostgreSQL, an r2d2
//! pool that picks the backend from the URL scheme, embedded migrations per backend, and the
//! async bridge (`Db::run`) that keeps blocking database calls off the actix worker threads.

pub mod explain;
pub mod schema;

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, SimpleConnection, TransactionManager};
use diesel::prelude::*;
use diesel::{PgConnection, SqliteConnection};
use diesel_migrations::{EmbeddedMigrations, MigrationHarness, embed_migrations};

use crate::config::DatabaseUrl;
use crate::error::{ApiError, ApiResult};

#[derive(diesel::MultiConnection)]
pub enum DbConn {
    Postgresql(PgConnection),
    Sqlite(SqliteConnection),
}

/// Runs one source text against the inner connection of either backend, for the few queries
/// the MultiConnection cannot express (upserts, `RETURNING` into structs, dialect SQL).
#[macro_export]
macro_rules! with_backend {
    ($conn:expr, |$c:ident| $body:expr) => {
        match $conn {
            $crate::db::DbConn::Postgresql($c) => $body,
            $crate::db::DbConn::Sqlite($c) => $body,
        }
    };
}

pub const SQLITE_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/sqlite");
pub const POSTGRES_MIGRATIONS: EmbeddedMigrations = embed_migrations!("migrations/postgres");

pub type Pool = r2d2::Pool<ConnManager>;
pub type PooledConn = r2d2::PooledConnection<ConnManager>;

/// Connects by scheme and refuses to guess: see [`DatabaseUrl::parse`].
#[derive(Debug, Clone)]
pub struct ConnManager {
    url: DatabaseUrl,
}

impl ConnManager {
    pub fn new(url: DatabaseUrl) -> Self {
        ConnManager { url }
    }
}

// Per-connection SQLite settings: WAL lets readers run beside the writer; the busy timeout
// makes concurrent writers wait instead of failing; foreign keys are off by default in SQLite.
// The busy timeout comes first: switching to WAL needs a lock another connection may hold.
const SQLITE_PRAGMAS: &str = "PRAGMA busy_timeout = 5000; PRAGMA journal_mode = WAL; \
     PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;";

impl r2d2::ManageConnection for ConnManager {
    type Connection = DbConn;
    type Error = diesel::r2d2::Error;

    fn connect(&self) -> Result<DbConn, Self::Error> {
        match &self.url {
            DatabaseUrl::Postgres(url) => {
                PgConnection::establish(url).map(DbConn::Postgresql).map_err(diesel::r2d2::Error::ConnectionError)
            }
            DatabaseUrl::Sqlite(path) => {
                let mut conn = SqliteConnection::establish(&path.to_string_lossy())
                    .map_err(diesel::r2d2::Error::ConnectionError)?;
                conn.batch_execute(SQLITE_PRAGMAS).map_err(diesel::r2d2::Error::QueryError)?;
                Ok(DbConn::Sqlite(conn))
            }
        }
    }

    fn is_valid(&self, conn: &mut DbConn) -> Result<(), Self::Error> {
        conn.batch_execute("SELECT 1").map_err(diesel::r2d2::Error::QueryError)
    }

    fn has_broken(&self, _conn: &mut DbConn) -> bool {
        false
    }
}

#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to the database ({0}): {1}")]
    Connect(String, String),
    #[error("database migrations failed: {0}")]
    Migrate(String),
}

/// Builds the pool and checks one connection, so a wrong URL or a down server is reported at
/// start-up in one line instead of on the first request.
pub fn connect(url: &DatabaseUrl, size: u32) -> Result<Pool, DbSetupError> {
    ConnManager::new(url.clone()).connect_once().map_err(|e| DbSetupError::Connect(url.redacted(), e))?;
    Ok(r2d2::Pool::builder()
        .max_size(size.max(1))
        .min_idle(Some(1))
        .connection_timeout(Duration::from_secs(5))
        .build_unchecked(ConnManager::new(url.clone())))
}

impl ConnManager {
    fn connect_once(&self) -> Result<(), String> {
        use r2d2::ManageConnection;
        self.connect().map(|_| ()).map_err(|e| match e {
            diesel::r2d2::Error::ConnectionError(c) => c.to_string().trim().to_string(),
            other => other.to_string(),
        })
    }
}

/// Applies the pending migrations of the connection's backend; returns how many ran.
pub fn run_migrations(conn: &mut DbConn) -> Result<usize, DbSetupError> {
    let applied = match conn {
        DbConn::Postgresql(c) => c.run_pending_migrations(POSTGRES_MIGRATIONS).map(|v| v.len()),
        DbConn::Sqlite(c) => c.run_pending_migrations(SQLITE_MIGRATIONS).map(|v| v.len()),
    };
    applied.map_err(|e| DbSetupError::Migrate(e.to_string()))
}

/// Write transactions this process has committed: the search catalogue compares it with what it
/// has caught up with, so a search sees every write that finished before it (`catalogus`).
static GESCHREVEN: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

/// The number of write transactions this process has committed.
pub fn schrijfteller() -> u64 {
    GESCHREVEN.load(std::sync::atomic::Ordering::Acquire)
}

/// A write transaction. On SQLite it starts with `BEGIN IMMEDIATE`, taking the write lock up
/// front: a deferred transaction that reads first and writes later can fail with SQLITE_BUSY
/// when another writer got in between, which the busy timeout cannot resolve.
pub fn write_tx<T, E, F>(conn: &mut DbConn, f: F) -> Result<T, E>
where
    F: FnOnce(&mut DbConn) -> Result<T, E>,
    E: From<diesel::result::Error>,
{
    match conn {
        DbConn::Sqlite(c) => AnsiTransactionManager::begin_transaction_sql(c, "BEGIN IMMEDIATE")?,
        DbConn::Postgresql(c) => AnsiTransactionManager::begin_transaction(c)?,
    }
    match f(conn) {
        Ok(value) => {
            <DbConn as Connection>::TransactionManager::commit_transaction(conn)?;
            GESCHREVEN.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
            Ok(value)
        }
        Err(e) => {
            <DbConn as Connection>::TransactionManager::rollback_transaction(conn)?;
            Err(e)
        }
    }
}

/// The pool plus the bridge from async handlers to blocking diesel calls.
#[derive(Clone)]
pub struct Db {
    pool: Pool,
    /// The process's metrics: every part of the process shares the `Db`, so it carries them.
    metrics: std::sync::Arc<crate::http::metrics::Metrics>,
}

impl Db {
    pub fn new(pool: Pool) -> Self {
        Db { pool, metrics: std::sync::Arc::new(crate::http::metrics::Metrics::new()) }
    }

    pub fn pool(&self) -> &Pool {
        &self.pool
    }

    pub fn metrics(&self) -> &crate::http::metrics::Metrics {
        &self.metrics
    }

    /// Runs `f` with a pooled connection on actix's blocking thread pool.
    pub async fn run<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        let (pool, metrics) = (self.pool.clone(), self.metrics.clone());
        actix_web::web::block(move || {
            let wacht = std::time::Instant::now();
            let conn = pool.get();
            metrics.pool_wait(wacht.elapsed().as_secs_f64());
            let mut conn = conn?;
            f(&mut conn)
        })
        .await?
    }

    /// Like [`Db::run`], inside one write transaction: all of `f` or nothing.
    pub async fn write<T, F>(&self, f: F) -> ApiResult<T>
    where
        F: FnOnce(&mut DbConn) -> ApiResult<T> + Send + 'static,
        T: Send + 'static,
    {
        self.run(move |conn| write_tx(conn, f)).await
    }

    /// Whether the database answers within `timeout` (for `/health`).
    /// Whether the database answers within `timeout` and has every migration this binary
    /// knows (for `/health/ready`: an instance started beside an older schema is not ready).
    pub async fn ready(&self, timeout: Duration) -> bool {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get_timeout(timeout).map_err(|e| e.to_string())?;
            let pending = match &mut *conn {
                DbConn::Postgresql(c) => c.has_pending_migration(POSTGRES_MIGRATIONS),
                DbConn::Sqlite(c) => c.has_pending_migration(SQLITE_MIGRATIONS),
            };
            match pending {
                Ok(false) => Ok(()),
                Ok(true) => Err("pending migrations".to_string()),
                Err(e) => Err(e.to_string()),
            }
        })
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false)
    }

    pub async fn ping(&self, timeout: Duration) -> bool {
        let pool = self.pool.clone();
        actix_web::web::block(move || {
            let mut conn = pool.get_timeout(timeout).map_err(|e| e.to_string())?;
            conn.batch_execute("SELECT 1").map_err(|e| e.to_string())
        })
        .await
        .map(|r| r.is_ok())
        .unwrap_or(false)
    }
}

/// Maps a transaction body's diesel error while keeping `ApiError`s from inside it.
impl From<DbSetupError> for ApiError {
    fn from(e: DbSetupError) -> Self {
        ApiError::service_unavailable(e)
    }
}
