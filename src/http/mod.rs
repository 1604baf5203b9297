//! HTTP plumbing shared by every resource: extractors, links, collections, conditional
//! requests and the conventions middleware.

pub mod cache;
pub mod collection;
pub mod conditional;
pub mod context;
pub mod conventions;
pub mod extract;
pub mod idempotency;
pub mod links;
pub mod metrics;
pub mod oversized;
pub mod path;
pub mod ratelimit;
