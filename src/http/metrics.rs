//! Operators' metrics (README, "Metrics"): requests by route template, method and status,
//! latency histograms, the database pool's use and waits, the outbox and webhook backlog and
//! failures, feed items processed. One registry per process (held by [`crate::db::Db`], which
//! every part already shares), exposed at `GET /metrics` in the Prometheus text format to the
//! scraper's static token (`PNT_METRICS_TOKEN`).

use std::time::Instant;

use actix_web::body::MessageBody;
use actix_web::dev::{ServiceRequest, ServiceResponse};
use actix_web::middleware::Next;
use actix_web::web;
use prometheus::{
    Encoder, Histogram, HistogramOpts, HistogramVec, IntCounterVec, IntGaugeVec, Opts, Registry, TextEncoder,
};

use crate::state::AppState;

/// Latency buckets in seconds: from a cached read to a slow report.
const BUCKETS: &[f64] = &[0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];

pub struct Metrics {
    registry: Registry,
    requests: IntCounterVec,
    duration: HistogramVec,
    pool_wait: Histogram,
    pool: IntGaugeVec,
    outbox: IntGaugeVec,
    feed_items: IntCounterVec,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let registry = Registry::new_custom(Some("pnt".into()), None).expect("a valid prefix");
        let requests = IntCounterVec::new(
            Opts::new("http_requests_total", "HTTP requests by route template, method and status"),
            &["route", "method", "status"],
        )
        .expect("valid metric");
        let duration = HistogramVec::new(
            HistogramOpts::new(
                "http_request_duration_seconds",
                "Time to the response head, by route template and method",
            )
            .buckets(BUCKETS.to_vec()),
            &["route", "method"],
        )
        .expect("valid metric");
        let pool_wait = Histogram::with_opts(
            HistogramOpts::new("db_pool_wait_seconds", "Time spent waiting for a database connection")
                .buckets(BUCKETS.to_vec()),
        )
        .expect("valid metric");
        let pool = IntGaugeVec::new(
            Opts::new("db_pool_connections", "Database connections of this instance's pool, by state (idle, inUse)"),
            &["state"],
        )
        .expect("valid metric");
        let outbox = IntGaugeVec::new(
            Opts::new(
                "outbox_messages",
                "Outbox messages (mail, webhook deliveries) by kind and status, all instances",
            ),
            &["soort", "status"],
        )
        .expect("valid metric");
        let feed_items = IntCounterVec::new(
            Opts::new("feed_items_total", "Items of municipal feed pushes processed, by outcome"),
            &["uitkomst"],
        )
        .expect("valid metric");
        for m in [
            Box::new(requests.clone()) as Box<dyn prometheus::core::Collector>,
            Box::new(duration.clone()),
            Box::new(pool_wait.clone()),
            Box::new(pool.clone()),
            Box::new(outbox.clone()),
            Box::new(feed_items.clone()),
        ] {
            registry.register(m).expect("each metric is registered once");
        }
        Metrics { registry, requests, duration, pool_wait, pool, outbox, feed_items }
    }

    /// A request answered: its route template (`/v1/aanbod/{id}`; `unmatched` for a 404 of the
    /// router), method, status and duration.
    pub fn request(&self, route: &str, method: &str, status: u16, seconds: f64) {
        self.requests.with_label_values(&[route, method, &status.to_string()]).inc();
        self.duration.with_label_values(&[route, method]).observe(seconds);
    }

    pub fn pool_wait(&self, seconds: f64) {
        self.pool_wait.observe(seconds);
    }

    /// Items of a feed push, by outcome (`aangemaakt`, `bijgewerkt`, `ongewijzigd`,
    /// `gearchiveerd`, `afgewezen`).
    pub fn feed_items(&self, uitkomst: &str, n: usize) {
        self.feed_items.with_label_values(&[uitkomst]).inc_by(n as u64);
    }

    /// The text exposition, with the gauges read now: the pool's state and the outbox counts
    /// (`(soort, status, count)`).
    pub fn render(&self, idle: u32, connections: u32, outbox: &[(String, String, i64)]) -> String {
        self.pool.with_label_values(&["idle"]).set(i64::from(idle));
        self.pool.with_label_values(&["inUse"]).set(i64::from(connections.saturating_sub(idle)));
        self.outbox.reset();
        for (soort, status, n) in outbox {
            self.outbox.with_label_values(&[soort.as_str(), status.as_str()]).set(*n);
        }
        let mut out = Vec::new();
        TextEncoder::new().encode(&self.registry.gather(), &mut out).expect("text encoding does not fail");
        String::from_utf8(out).expect("the text format is UTF-8")
    }
}

/// Counts every response by route template (not the raw path: ids would explode the series).
pub async fn middleware(
    req: ServiceRequest,
    next: Next<impl MessageBody + 'static>,
) -> Result<ServiceResponse<impl MessageBody + 'static>, actix_web::Error> {
    let start = Instant::now();
    let state = req.app_data::<web::Data<AppState>>().cloned();
    let method = req.method().as_str().to_string();
    let res = next.call(req).await?;
    if let Some(state) = state {
        let route = res.request().match_pattern().unwrap_or_else(|| "unmatched".into());
        state.db.metrics().request(&route, &method, res.status().as_u16(), start.elapsed().as_secs_f64());
    }
    Ok(res)
}
