//! PNT hours per contract: the one place progress gets its hours from.
//!
//! Until the proofs (deelnamebewijzen, issue 5) exist, every contract has 0 approved and 0
//! submitted hours. The proofs issue replaces the body of [`uren`] with one grouped query
//! (`SUM(uren) … GROUP BY contract_id, status`); every caller — the contract document, its
//! `voortgang`, the worklist's risk filter and percentage sort, the sanction and attest rules —
//! already goes through here, so the API does not change when the hours become real.

use std::collections::HashMap;

use diesel::QueryResult;

use crate::db::DbConn;
use crate::domain::voortgang::Uren;

/// Approved and submitted PNT hours of each of `contract_ids` (every id gets an entry).
pub fn uren(_conn: &mut DbConn, contract_ids: &[i64]) -> QueryResult<HashMap<i64, Uren>> {
    Ok(contract_ids.iter().map(|id| (*id, Uren::default())).collect())
}

/// The hours of one contract.
pub fn uren_van(conn: &mut DbConn, contract_id: i64) -> QueryResult<Uren> {
    Ok(uren(conn, &[contract_id])?.remove(&contract_id).unwrap_or_default())
}
