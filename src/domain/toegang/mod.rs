//! Access policies, one file per resource: each turns the typed caller into the SQL visibility
//! filter (plain data the repo turns into a `WHERE`) *and* the per-row decisions (read, manage,
//! sign, review, …), so list totals, audit entries and row checks always agree. Handlers reach
//! personal and scoped data only through a policy: the repo's read functions take its filter.
//!
//! Newcomers, contracts, the municipal list and the audit log (R15, R16): [`personen`].

pub mod aanbod;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod gebeurtenissen;
pub mod netwerken;
pub mod organisaties;
pub mod personen;

pub use personen::{InszWeergave, Zicht};
