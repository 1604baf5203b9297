//! Per-client rate limits for the operations that guess secrets: the client-credentials grant
//! and one-time signing links. Kept in memory per instance (documented in the README): an
//! attacker spread over N instances gets N times the budget, still far too little to guess a
//! 256-bit secret.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::Arc;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};

use crate::error::{ApiError, ApiResult};

#[derive(Clone)]
pub struct Limiter {
    inner: Arc<DefaultKeyedRateLimiter<IpAddr>>,
}

impl Limiter {
    /// `per_minute` requests a minute per address, all of which may come at once.
    pub fn per_minute(per_minute: u32) -> Limiter {
        let n = NonZeroU32::new(per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        Limiter { inner: Arc::new(DefaultKeyedRateLimiter::keyed(Quota::per_minute(n))) }
    }

    /// 429 `tooManyRequests` with `Retry-After` once the caller's address used its budget.
    pub fn check(&self, req: &HttpRequest) -> ApiResult<()> {
        // The peer address, not a forwarded header a client could make up; behind a proxy the
        // proxy should limit per client itself.
        let ip = req.peer_addr().map(|a| a.ip()).unwrap_or(IpAddr::from([0, 0, 0, 0]));
        self.inner.check_key(&ip).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            ApiError::too_many_requests(wait.as_secs().max(1))
        })
    }
}

/// The limiters of one application instance.
#[derive(Clone)]
pub struct Limiters {
    /// `POST /v1/oauth/token`.
    pub token: Limiter,
    /// Signing links (`/v1/ondertekenverzoeken/{token}`).
    pub ondertekening: Limiter,
}

impl Limiters {
    pub fn new(per_minute: u32) -> Limiters {
        Limiters { token: Limiter::per_minute(per_minute), ondertekening: Limiter::per_minute(per_minute) }
    }
}
