//! Integration tests over HTTP. `cargo test` runs them on SQLite; with
//! `TEST_DATABASE_URL=postgres://…` the same tests run on PostgreSQL, each in its own schema.

mod contract;
mod helpers;

mod aanbod;
mod aanbodrevisies;
mod aanmeldingen;
mod auditlog;
mod auth;
mod cache;
mod cli;
mod contracten;
mod conventions;
mod deelnamebewijzen;
mod doorverwijzingen;
mod feeds;
mod gebeurtenissen;
mod idempotency;
mod inburgeraars;
mod inburgering;
mod input;
mod jwks;
mod mail;
mod momenten;
mod monitoring;
mod netwerken;
mod ondertekening;
mod opvolging;
mod organisaties;
mod oversized;
mod plannen;
mod privacy;
mod referentiedata;
mod spec;
mod suggesties;
mod webhooks;
mod wijzigingen;
mod zoeken;
