//! PNT API: the JSON REST API behind the Flemish participatie- en netwerktraject.
//!
//! Layout: `routes` (HTTP: DTOs, handlers, one module per resource), `repo` (SQL per
//! resource), `domain` (pure rules, no HTTP or SQL), `http` (shared HTTP plumbing), `db`
//! (connections, migrations), `auth` (tokens and roles), `startup` (wiring).

pub mod auth;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod openapi;
pub mod refdata;
pub mod repo;
pub mod routes;
pub mod startup;
pub mod state;
