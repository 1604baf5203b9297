//! Integration tests over HTTP. `cargo test` runs them on SQLite; with
//! `TEST_DATABASE_URL=postgres://…` the same tests run on PostgreSQL, each in its own schema.

mod helpers;

mod aanbod;
mod auth;
mod cli;
mod conventions;
mod feeds;
mod organisaties;
mod referentiedata;
mod spec;
mod zoeken;
