//! One module per resource: its handlers and `configure`; the bodies they speak live in `wire`.
//! Paths and the OpenAPI document come from the same `service(...)` calls, so they cannot drift
//! apart.

pub mod aanbod;
pub mod acties;
pub mod api_clients;
pub mod auditlog;
pub mod contracten;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod feeds;
pub mod gebeurtenissen;
pub mod gemeenten;
pub mod health;
pub mod inburgeraars;
pub mod me;
pub mod monitoring;
pub mod netwerk_onderdelen;
pub mod oauth;
pub mod opvolging;
pub mod organisaties;
pub mod overleggen;
pub mod privacy;
pub mod regionale_netwerken;
pub mod suggesties;
pub mod toegang;
pub mod webhooks;
pub mod wijzigingen;

use utoipa_actix_web::service_config::ServiceConfig;

/// Everything under `/v1`.
pub fn configure(cfg: &mut ServiceConfig) {
    me::configure(cfg);
    gemeenten::configure(cfg);
    regionale_netwerken::configure(cfg);
    overleggen::configure(cfg);
    acties::configure(cfg);
    organisaties::configure(cfg);
    aanbod::configure(cfg);
    api_clients::configure(cfg);
    feeds::configure(cfg);
    oauth::configure(cfg);
    inburgeraars::configure(cfg);
    privacy::configure(cfg);
    contracten::configure(cfg);
    wijzigingen::configure(cfg);
    opvolging::configure(cfg);
    deelnamebewijzen::configure(cfg);
    doorverwijzingen::configure(cfg);
    suggesties::configure(cfg);
    monitoring::configure(cfg);
    auditlog::configure(cfg);
    gebeurtenissen::configure(cfg);
    webhooks::configure(cfg);
}
