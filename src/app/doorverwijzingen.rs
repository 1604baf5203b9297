//! Referrals through the document flow, and the workflows around them that change more than one
//! resource in one transaction (R22): referring takes one of the offer's places or joins its
//! waiting list; a status change that frees a place gives it to the first in line and, for
//! `gestart`, opens the proof the hours go on (R7); a changed capacity gives the places that
//! came free to the waiting list. Every write on an offer's referrals first takes the offer's
//! lock (`repo::doorverwijzingen::vergrendel`), so they run one after the other.

use std::collections::HashMap;

use chrono::NaiveDate;
use serde_json::json;

use crate::app::document::{self, Document, VersionedWrite};
use crate::db::DbConn;
use crate::domain::doorverwijzing::{
    self as regels, AangemeldDoor, DoorverwijzingStatus, Opvulling, OvergangFout, Wie,
};
use crate::domain::toegang::doorverwijzingen::{Rol, Zicht};
use crate::error::{ApiError, ApiResult, InputLocation};
use crate::repo::audit::{self, Action, Actor};
use crate::repo::doorverwijzingen::{self as repo, Context, DetailVelden, DoorverwijzingRow, Filter, StatusVelden};

pub const RESOURCE: &str = "doorverwijzing";

impl Document for DoorverwijzingRow {
    const RESOURCE: &'static str = RESOURCE;

    fn key(&self) -> String {
        self.id.to_string()
    }

    fn version(&self) -> i64 {
        self.versie
    }
}

/// A referral the caller sees: the row, what its document shows besides (contract, newcomer,
/// offer) and the caller's part in it.
pub struct Geladen {
    pub row: DoorverwijzingRow,
    pub context: Context,
    pub rol: Rol,
}

/// The referral, if the caller's policy lets it through; `404` otherwise.
pub fn load(c: &mut DbConn, zicht: &Zicht, id: i64) -> ApiResult<Geladen> {
    let row = document::found(id, repo::find(c, zicht, id)?)?;
    let context = repo::context(c, std::slice::from_ref(&row))?.remove(&id);
    let context = context.ok_or_else(|| document::not_found(RESOURCE, id))?;
    Ok(Geladen { rol: zicht.rol(context.betrokkenen()), row, context })
}

/// A page of the referrals the caller sees, and how many there are; each listed one is logged
/// (R15: a referral names a newcomer). The count, the page and the log rest on the one filter.
pub fn list(
    c: &mut DbConn,
    actor: &Actor,
    zicht: &Zicht,
    filter: &Filter,
    offset: i64,
    limit: i64,
) -> ApiResult<(Vec<Geladen>, i64)> {
    let (rows, total) = repo::list(c, zicht, filter, offset, limit)?;
    let mut contexts = repo::context(c, &rows)?;
    let mut items = Vec::with_capacity(rows.len());
    for row in rows {
        let context = contexts.remove(&row.id).ok_or_else(|| document::not_found(RESOURCE, row.id))?;
        log(c, actor, Action::List, &row, json!({"contract": row.contract_id}))?;
        items.push(Geladen { rol: zicht.rol(context.betrokkenen()), row, context });
    }
    Ok((items, total))
}

/// An audit entry about a referral.
pub fn log(
    c: &mut DbConn,
    actor: &Actor,
    action: Action,
    row: &DoorverwijzingRow,
    details: serde_json::Value,
) -> ApiResult<()> {
    Ok(audit::record(c, actor, action, RESOURCE, &row.key(), Some(details))?)
}

/// Refers `contract` to the published offer `aanbod` with `capaciteit`: under the offer's lock,
/// whoever waits gets a free place first, then the new referral takes one (`voorgesteld`) or
/// joins the waiting list (`wachtlijst`). A referral of the contract to the offer still in
/// progress is refused with `dubbel(its id)`. The same rules whoever registers (`door`: the
/// trajectbegeleider, or the newcomer themselves). Returns the new referral's id.
pub fn verwijs_door(
    c: &mut DbConn,
    actor: &Actor,
    (contract, aanbod, capaciteit): (i64, i64, Option<i32>),
    door: AangemeldDoor,
    details: &DetailVelden,
    dubbel: impl FnOnce(i64) -> ApiError,
) -> ApiResult<i64> {
    // From here on the offer's referrals are written one at a time.
    repo::vergrendel(c, aanbod)?;
    if let Some(bestaand) = repo::open_van(c, contract, aanbod)? {
        return Err(dubbel(bestaand));
    }
    // Whoever waits goes first (a raised capacity is filled from the list).
    let opvulling = repo::vul_vrije_plaatsen(c, aanbod, capaciteit, actor.at)?;
    let status = regels::bij_aanmaak(repo::claim(c, aanbod, capaciteit)?);
    let id = repo::insert(c, contract, aanbod, status, door, details, &actor.sub, actor.at)?;
    let details = json!({"contract": contract, "aanbod": aanbod, "status": status, "aangemeldDoor": door});
    document::created(c, actor, RESOURCE, id, Some(details))?;
    log_opvulling(c, actor, aanbod, &opvulling)?;
    Ok(id)
}

/// A requested status change.
pub struct Statuswijziging {
    pub naar: DoorverwijzingStatus,
    /// Why (required for `afgebroken`).
    pub reden: Option<String>,
    /// The day it happened (default `vandaag`).
    pub datum: Option<NaiveDate>,
}

/// Changes a referral's status as the state machine allows the caller
/// (`domain::doorverwijzing::controleer`), through the versioned write. A referral that held a
/// place and ends gives it to the first in line; one that starts opens the proof its hours go
/// on, or finds the open one (R7).
pub fn wijzig_status(
    c: &mut DbConn,
    write: &VersionedWrite,
    g: &Geladen,
    w: Statuswijziging,
    vandaag: NaiveDate,
) -> ApiResult<()> {
    let wie = g.rol.wie()?;
    let (row, actor) = (&g.row, write.actor);
    let Statuswijziging { naar, reden, datum } = w;
    // A newcomer cancelling their own registration need not say why.
    let reden = match wie {
        Wie::Inburgeraar => regels::tekst(reden).or_else(|| Some(regels::REDEN_GEANNULEERD.to_string())),
        _ => reden,
    };
    let details = json!({"van": row.status, "naar": naar});
    let mut plaats_vrij = false;
    write.write(c, row, Action::Change("status"), Some(details), |c, versie| {
        let overgang = regels::controleer(row.status, naar, wie, reden.as_deref()).map_err(weigering)?;
        let dag = regels::datum(naar, datum, vandaag, row.aangemaakt_op.date(), row.gestart_op)
            .map_err(|e| ApiError::invalid(InputLocation::Body, "datum", e.to_string()))?;
        plaats_vrij = overgang.plaats_vrij;
        // Every status write on the offer's referrals waits for the offer's lock, so a
        // promotion never races a change of the same waiting referral.
        repo::vergrendel(c, row.aanbod_id)?;
        let op = |s: DoorverwijzingStatus| (naar == s).then_some(dag);
        let v = StatusVelden {
            status: Some(naar),
            reden_afgebroken: regels::tekst(reden).filter(|_| naar == DoorverwijzingStatus::Afgebroken),
            gestart_op: op(DoorverwijzingStatus::Gestart),
            afgerond_op: op(DoorverwijzingStatus::Afgerond),
            afgebroken_op: op(DoorverwijzingStatus::Afgebroken),
            plaats_toegekend_op: None,
        };
        Ok(repo::zet_status(c, row.id, versie, &v, actor.at)?)
    })?;
    if plaats_vrij {
        let capaciteit =
            repo::capaciteit(c, row.aanbod_id)?.ok_or_else(|| ApiError::internal("offer of a referral vanished"))?;
        repo::geef_vrij(c, row.aanbod_id)?;
        let opvulling = repo::vul_vrije_plaatsen(c, row.aanbod_id, capaciteit, actor.at)?;
        log_opvulling(c, actor, row.aanbod_id, &opvulling)?;
    }
    if naar == DoorverwijzingStatus::Gestart
        && let Some((bewijs, true)) =
            crate::repo::deelnamebewijzen::concept_voor_aanbod(c, row.contract_id, row.aanbod_id, &actor.sub, actor.at)?
    {
        let details = json!({"contract": row.contract_id, "doorverwijzing": row.id});
        document::created(c, actor, "deelnamebewijs", bewijs, Some(details))?;
    }
    Ok(())
}

/// A refused transition as its problem.
fn weigering(e: OvergangFout) -> ApiError {
    match e {
        OvergangFout::RedenVereist => ApiError::invalid(InputLocation::Body, "reden", e.to_string()),
        OvergangFout::NietToegestaan(_) => ApiError::missing_permission(e.to_string()),
        OvergangFout::Ongeldig { .. } | OvergangFout::Automatisch(_) | OvergangFout::AnnulerenNaStart => {
            ApiError::invalid_transition(e.to_string())
        }
    }
}

/// An offer's capacity changed (its managers edited it): places that came free go to the
/// waiting list at once, in the same transaction as the edit.
pub fn capaciteit_gewijzigd(c: &mut DbConn, actor: &Actor, aanbod: i64, capaciteit: Option<i32>) -> ApiResult<()> {
    repo::vergrendel(c, aanbod)?;
    let opvulling = repo::vul_vrije_plaatsen(c, aanbod, capaciteit, actor.at)?;
    log_opvulling(c, actor, aanbod, &opvulling)
}

/// Logs what filling free places did: promotions and waiting referrals of ended contracts.
fn log_opvulling(c: &mut DbConn, actor: &Actor, aanbod: i64, o: &Opvulling) -> ApiResult<()> {
    let gepromoveerd = o.gepromoveerd.iter().map(|id| (id, "plaatsToegekend", json!({"aanbod": aanbod})));
    let afgevoerd =
        o.afgevoerd.iter().map(|id| (id, "afgebroken", json!({"aanbod": aanbod, "reden": "contractAfgelopen"})));
    for (id, wat, details) in gepromoveerd.chain(afgevoerd) {
        audit::record(c, actor, Action::Change(wat), RESOURCE, &id.to_string(), Some(details))?;
    }
    Ok(())
}

/// Free places per offer (`None`: no limit), for suggestions and monitoring.
pub fn vrije_plaatsen(c: &mut DbConn, aanbod: &[(i64, Option<i32>)]) -> ApiResult<HashMap<i64, Option<i32>>> {
    let ids: Vec<i64> = aanbod.iter().map(|(id, _)| *id).collect();
    let bezet = repo::bezet(c, &ids)?;
    Ok(aanbod
        .iter()
        .map(|(id, cap)| (*id, regels::vrije_plaatsen(*cap, bezet.get(id).copied().unwrap_or(0))))
        .collect())
}
