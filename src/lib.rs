//! PNT API: the JSON REST API behind the Flemish participatie- en netwerktraject.
//!
//! Layout: `routes` (HTTP: DTOs, handlers, one module per resource), `app` (the flow every
//! versioned document follows, and the workflows that span resources), `repo` (SQL per
//! resource), `domain` (pure rules and access policies, no HTTP or SQL), `http` (shared HTTP
//! plumbing), `db` (connections, migrations), `auth` (tokens and the typed caller), `clock`
//! (the one source of "now"), `catalogus` (the published catalogue in memory, for search),
//! `startup` (wiring).

pub mod app;
pub mod auth;
pub mod catalogus;
pub mod clock;
pub mod config;
pub mod db;
pub mod domain;
pub mod error;
pub mod http;
pub mod openapi;
pub mod outbox;
pub mod refdata;
pub mod repo;
pub mod routes;
pub mod startup;
pub mod state;
pub mod webhooks;
pub mod wire;
