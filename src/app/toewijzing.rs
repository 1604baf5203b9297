//! Handing a newcomer to another trajectbegeleider. A newcomer and their running contract are
//! in one caseload: whichever of the two a request moves — a contract reassigned (`PATCH`), a
//! newcomer's record given another trajectbegeleider (`PUT`), a contract signed in another
//! trajectbegeleider's name — the other follows, in the same transaction. A closed contract
//! stays with whoever had it (`RULES.md` R26).

use serde_json::json;

use crate::app::document::{VersionedWrite, lost_race};
use crate::db::DbConn;
use crate::error::ApiResult;
use crate::http::conditional::IfMatch;
use crate::repo::audit::{Action, Actor};
use crate::repo::contracten::{self, ContractRow};
use crate::repo::inburgeraars::{self, InburgeraarRow};

/// The audit action of a reassignment.
pub const TOEGEWEZEN: &str = "trajectbegeleiderGewijzigd";

/// Reassigns `contract` to `naar` at the version just read (`If-Match` against it: `412`; a
/// lost race: `409`), and logs it; a running contract takes its newcomer along. Naming the
/// current trajectbegeleider changes nothing. The contract as it is now.
pub fn contract(
    c: &mut DbConn,
    actor: &Actor,
    if_match: &IfMatch,
    contract: ContractRow,
    naar: &str,
) -> ApiResult<ContractRow> {
    if contract.trajectbegeleider == naar {
        if_match.check(contract.versie)?;
        return Ok(contract);
    }
    let details = json!({ "inburgeraar": contract.inburgeraar_id, "van": contract.trajectbegeleider, "naar": naar });
    let mut nieuw = None;
    VersionedWrite { actor, if_match }.write(
        c,
        &contract,
        Action::Change(TOEGEWEZEN),
        Some(details),
        |c, versie| {
            nieuw = contracten::set_trajectbegeleider(c, contract.id, versie, naar, actor.at)?;
            Ok(nieuw.is_some())
        },
    )?;
    let nieuw = nieuw.ok_or_else(lost_race)?;
    inburgeraar_volgt(c, actor, &nieuw)?;
    Ok(nieuw)
}

/// After `contract` was signed or reassigned: if it runs, its newcomer moves into its
/// trajectbegeleider's caseload (their record's version moves on; its log entry is the
/// contract's).
pub fn inburgeraar_volgt(c: &mut DbConn, actor: &Actor, contract: &ContractRow) -> ApiResult<()> {
    if contract.status.is_lopend() {
        inburgeraars::set_trajectbegeleider(c, contract.inburgeraar_id, &contract.trajectbegeleider, actor.at)?;
    }
    Ok(())
}

/// After the newcomer's record was given another trajectbegeleider: their running contract, if
/// any, is reassigned to them too (at the version just read; a lost race is `409`).
pub fn inburgeraar_verplaatst(c: &mut DbConn, actor: &Actor, inburgeraar: &InburgeraarRow) -> ApiResult<()> {
    if let Some(lopend) = contracten::lopend_van(c, inburgeraar.id)? {
        contract(c, actor, &IfMatch::Absent, lopend, &inburgeraar.trajectbegeleider)?;
    }
    Ok(())
}
