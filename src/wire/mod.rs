//! The contract's types: what clients send and receive (JSON bodies, query strings, the PDF of a
//! proof) and their conversion from and to storage. Handlers in `routes` only wire these to the
//! flows in `app`; keeping them apart keeps the routes about HTTP and the document about data.

pub mod aanbod;
pub mod common;
pub mod deelnamebewijzen;
pub mod pdf;
