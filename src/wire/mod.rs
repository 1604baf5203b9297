//! The contract's types: what clients send and receive (JSON bodies, query strings, the PDF of a
//! proof) and their conversion from and to storage. Handlers in `routes` only wire these to the
//! flows in `app`; keeping them apart keeps the routes about HTTP and the document about data.

pub mod aanbod;
pub mod aanbodrevisies;
pub mod acties;
pub mod api_clients;
pub mod auditlog;
pub mod common;
pub mod contracten;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod gebeurtenissen;
pub mod gemeenten;
pub mod health;
pub mod mail;
pub mod me;
pub mod monitoring;
pub mod netwerken;
pub mod oauth;
pub mod opvolging;
pub mod organisaties;
pub mod overleggen;
pub mod pdf;
pub mod privacy;
pub mod suggesties;
pub mod webhooks;
pub mod wijzigingen;
