//! SQL per resource: the queries behind the routes, written once for both backends.

pub mod aanbod;
pub mod aanbodrevisies;
pub mod acties;
pub mod api_clients;
pub mod audit;
pub mod auditlog;
pub mod contracten;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod gebeurtenissen;
pub mod gemeenten;
pub mod idempotency;
pub mod inburgeraars;
pub mod monitoring;
pub mod netwerk_onderdelen;
pub mod netwerkbeheer;
pub mod opvolging;
pub mod organisaties;
pub mod outbox;
pub mod overleggen;
pub mod voortgang;
