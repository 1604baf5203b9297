//! PNT hours per contract: the one place progress gets its hours from.
//!
//! The hours come from the proofs (deelnamebewijzen): approved proofs give the hours that count
//! (R9), signed proofs waiting for review the submitted ones (`domain::deelnamebewijs::tel`). Only lines dated inside the
//! contract's term count — from signing through the end of the term, the extended end once the
//! term was extended (R4, R10). Every caller — the contract document, its `voortgang`, the
//! worklist's risk and review filters and percentage sort, the sanction and attest rules — goes
//! through here.

use std::collections::HashMap;

use diesel::QueryResult;

use crate::db::DbConn;
use crate::domain::deelnamebewijs;
use crate::domain::voortgang::Uren;
use crate::repo::deelnamebewijzen;

/// Approved and submitted PNT hours of each of `contract_ids` (every id gets an entry).
pub fn uren(conn: &mut DbConn, contract_ids: &[i64]) -> QueryResult<HashMap<i64, Uren>> {
    let mut uit: HashMap<i64, Uren> = contract_ids.iter().map(|id| (*id, Uren::default())).collect();
    for (contract, status, kwartieren) in deelnamebewijzen::kwartieren_per_contract(conn, contract_ids)? {
        deelnamebewijs::tel(uit.entry(contract).or_default(), status, kwartieren);
    }
    Ok(uit)
}

/// The hours of one contract.
pub fn uren_van(conn: &mut DbConn, contract_id: i64) -> QueryResult<Uren> {
    Ok(uren(conn, &[contract_id])?.remove(&contract_id).unwrap_or_default())
}
