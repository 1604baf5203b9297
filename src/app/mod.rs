//! The application layer: the one flow versioned documents follow ([`document`]) and the
//! workflows that change more than one resource in one transaction. Handlers parse and
//! respond; rules live in `domain`, SQL in `repo`; what ties several of them together lives here.

pub mod deelnamebewijzen;
pub mod document;
pub mod doorverwijzingen;
pub mod ondertekening;
pub mod retentie;
pub mod toewijzing;
