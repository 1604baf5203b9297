//! What every handler can reach: the database, the token service and the settings.

use std::sync::Arc;

use crate::auth::TokenService;
use crate::clock::Clock;
use crate::config::Settings;
use crate::db::Db;
use crate::http::ratelimit::Limiters;
use crate::outbox::Outbox;
use crate::refdata::RefCache;

#[derive(Clone)]
pub struct AppState {
    pub db: Db,
    pub tokens: Arc<TokenService>,
    pub settings: Arc<Settings>,
    pub refdata: Arc<RefCache>,
    pub limits: Limiters,
    /// The one source of "now" and "today".
    pub clock: Clock,
    /// Mail and other messages, delivered from the outbox.
    pub outbox: Arc<Outbox>,
    /// The published catalogue in memory, which searches of published offers use.
    pub catalogus: Arc<crate::catalogus::Catalogus>,
}
