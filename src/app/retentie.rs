//! R27: forgetting a newcomer on time. The daily job inside the API process (`start`), the CLI
//! (`pnt-api retentie [--dry-run]`) and an admin's erasure on request all come here; the rule is
//! `domain::retentie`, the SQL `repo::retentie`.
//!
//! One run is one write transaction: it takes the job's lock first (on PostgreSQL an advisory
//! lock, so of several instances starting at once one runs and the others skip; on SQLite the
//! write transaction excludes every other writer), erases every newcomer past the limit and
//! writes one audit entry per person (`uitgewist`, under the system actor `retentie`). Erasing
//! is idempotent: an erased newcomer is never erased again.

use std::time::Duration;

use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::db::DbConn;
use crate::domain::retentie::{self as regels, Grond, Verlopen};
use crate::error::{ApiError, ApiResult};
use crate::http::conventions::TraceId;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::inburgeraars::RESOURCE;
use crate::repo::retentie as repo;
use crate::state::AppState;

/// The audit action of an erasure.
pub const UITGEWIST: &str = "uitgewist";

/// A newcomer past the retention period.
#[derive(Clone, Debug)]
pub struct Kandidaat {
    pub id: i64,
    pub dossiernummer: String,
    pub verlopen: Verlopen,
}

impl Kandidaat {
    /// One line for the CLI: id, dossiernummer and why.
    pub fn regel(&self) -> String {
        let waarom = match self.verlopen {
            Verlopen::LaatsteContractAfgesloten(d) => format!("last contract closed on {d}"),
            Verlopen::GeenContract(d) => format!("no contract; record last changed on {d}"),
        };
        format!("{}\t{}\t{waarom}", self.id, self.dossiernummer)
    }
}

/// What one run did.
#[derive(Clone, Debug)]
pub struct Verslag {
    /// `false`: another instance held the job's lock, this run did nothing.
    pub uitgevoerd: bool,
    /// Who was (dry run: would be) erased.
    pub uitgewist: Vec<Kandidaat>,
}

/// Every newcomer past the retention period of `jaren` years on `vandaag`, by id.
pub fn kandidaten(c: &mut DbConn, vandaag: NaiveDate, jaren: u32) -> ApiResult<Vec<Kandidaat>> {
    let grens = regels::grens(vandaag, jaren);
    let bewaard = repo::bewaard(c)?;
    let contracten = repo::afsluitingen(c, None)?;
    Ok(bewaard
        .into_iter()
        .filter_map(|b| {
            let eigen = contracten.get(&b.id).map(Vec::as_slice).unwrap_or_default();
            regels::verlopen(eigen, b.gewijzigd_op.date(), grens).map(|verlopen| Kandidaat {
                id: b.id,
                dossiernummer: b.dossiernummer,
                verlopen,
            })
        })
        .collect())
}

fn audit_uitwissing(c: &mut DbConn, actor: &Actor, id: i64, grond: Grond) -> ApiResult<()> {
    Ok(audit::record(c, actor, Action::Change(UITGEWIST), RESOURCE, &id.to_string(), Some(json!({ "grond": grond })))?)
}

/// One run at the state's clock: erases everyone past the limit (`droog`: only lists them).
pub async fn voer_uit(state: &AppState, droog: bool) -> ApiResult<Verslag> {
    let (nu, vandaag, jaren) = (state.clock.now(), state.clock.today(), state.settings.retention_years);
    if droog {
        let lijst = state.db.run(move |c| kandidaten(c, vandaag, jaren)).await?;
        return Ok(Verslag { uitgevoerd: true, uitgewist: lijst });
    }
    state.db.write(move |c| run(c, nu, vandaag, jaren)).await
}

fn run(c: &mut DbConn, nu: NaiveDateTime, vandaag: NaiveDate, jaren: u32) -> ApiResult<Verslag> {
    if !repo::neem_taak(c)? {
        return Ok(Verslag { uitgevoerd: false, uitgewist: Vec::new() });
    }
    let trace = TraceId(uuid::Uuid::new_v4().to_string());
    let actor = Actor::system("retentie", &trace, nu);
    let mut uitgewist = Vec::new();
    for k in kandidaten(c, vandaag, jaren)? {
        if repo::wis_uit(c, k.id, Grond::Bewaartermijn, None, nu)? {
            audit_uitwissing(c, &actor, k.id, Grond::Bewaartermijn)?;
            uitgewist.push(k);
        }
    }
    Ok(Verslag { uitgevoerd: true, uitgewist })
}

/// The right to erasure: an admin erases newcomer `id` on request, with `reden` (kept on the
/// record, not in the audit log). `404` for an unknown newcomer; `409` while a contract runs
/// (R27) or when the data is erased already.
pub fn op_verzoek(c: &mut DbConn, actor: &Actor, id: i64, reden: &str) -> ApiResult<()> {
    if repo::is_uitgewist(c, id)? {
        return Err(ApiError::conflict(format!("The data of newcomer {id} is erased already")));
    }
    let contracten = repo::afsluitingen(c, Some(&[id]))?.remove(&id).unwrap_or_default();
    regels::uitwissing_op_verzoek(&contracten).map_err(ApiError::conflict)?;
    if !repo::wis_uit(c, id, Grond::Verzoek, Some(reden), actor.at)? {
        return Err(ApiError::conflict(format!("The data of newcomer {id} is erased already")));
    }
    audit_uitwissing(c, actor, id, Grond::Verzoek)
}

/// Runs the job once a day on the current actix runtime until the process ends: the first run a
/// minute after start-up, then every 24 hours.
pub fn start(state: AppState) {
    actix_web::rt::spawn(async move {
        actix_web::rt::time::sleep(Duration::from_secs(60)).await;
        loop {
            match voer_uit(&state, false).await {
                Ok(v) if !v.uitgevoerd => log::info!("retention: another instance runs the job"),
                Ok(v) => log::info!("retention: {} newcomer(s) past the retention period erased", v.uitgewist.len()),
                Err(e) => log::warn!("retention: {e}"),
            }
            actix_web::rt::time::sleep(Duration::from_secs(24 * 3600)).await;
        }
    });
}
