//! Integration tests over HTTP. `cargo test` runs them on SQLite; with
//! `TEST_DATABASE_URL=postgres://…` the same tests run on PostgreSQL, each in its own schema.

mod helpers;

mod aanbod;
mod auditlog;
mod auth;
mod cli;
mod contracten;
mod conventions;
mod deelnamebewijzen;
mod feeds;
mod inburgeraars;
mod inburgering;
mod organisaties;
mod referentiedata;
mod spec;
mod wijzigingen;
mod zoeken;
