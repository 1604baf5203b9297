//! Pure domain rules and value types: no HTTP, no SQL. Request DTOs are parsed into these at
//! the edge, so an invalid INSZ or NIS code cannot reach the rules or the database.

pub mod aanbod;
pub mod contract;
pub mod deelnamebewijs;
pub mod doorverwijzing;
pub mod gebeurtenis;
pub mod geo;
pub mod ids;
pub mod inburgeraar;
pub mod matching;
pub mod moment;
pub mod monitoring;
pub mod netwerk;
pub mod nis;
pub mod opvolging;
pub mod raadpleging;
pub mod retentie;
pub mod secrets;
pub mod taal;
pub mod text;
pub mod toegang;
pub mod voortgang;
pub mod webhook;
