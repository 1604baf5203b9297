//! `GET /v1/gebeurtenissen`: the change feed (issue 16). Every state change other systems act on
//! is written as an event in the transaction of the change (`repo::gebeurtenissen`); readers page
//! through them in commit order with a cursor, optionally waiting for new ones (long polling),
//! and see only the events their role relates them to (`domain::toegang::gebeurtenissen`).

use std::time::Duration;

use actix_web::{HttpResponse, get};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::domain::toegang::gebeurtenissen::GebeurtenisZicht;
use crate::error::{ApiError, ApiResult, InputLocation};
use crate::http::context::Ctx;
use crate::http::extract::Query;
use crate::repo::gebeurtenissen::{self as repo, Cursor};
use crate::wire::gebeurtenissen::{Gebeurtenis, GebeurtenisPagina, GebeurtenisQuery, cursor_tekst};

/// Days events are kept (`PNT_EVENT_RETENTION_DAYS`'s default): a reader that falls further
/// behind starts again from a full read of the resources.
pub const BEWAARDAGEN: i64 = 90;
const MAX_WACHT: u64 = 30;
const MAX_INHAALTIJD: Duration = Duration::from_secs(5);

fn cursor_van(tekst: &str) -> Option<Cursor> {
    let (tx, id) = tekst.split_once('-')?;
    Some(Cursor { tx: tx.parse().ok()?, id: id.parse().ok()? }).filter(|c| c.tx >= 0 && c.id >= 0)
}

/// Read the change feed
///
/// What happened, in commit order: offers created, changed, submitted, published, rejected and
/// archived (also through feeds); referrals created, changed, promoted from the waiting list;
/// proofs submitted, signed, refused and reviewed; contracts created, changed and closed;
/// newcomers registered and changed. Each event names the resource (`href`, `versie`) and the
/// ids a subscriber needs, never personal data: read the resource with your own token.
///
/// Keep the `cursor` of the last event you processed and ask `na=<cursor>` next time: the feed is
/// gap-free, also under concurrent writes on several instances (an event that commits late is
/// held back until every earlier transaction finished, so it never lands behind a cursor). With
/// `wacht=N` an empty answer waits up to N seconds for a new event (long polling). You see the
/// events of what your role relates you to: admins all; a municipality (`lokaalBestuur`, feed
/// client) its offers; an aanbieder its organisation's offers, referrals and proofs; a
/// trajectbegeleider their caseload. Events are kept 90 days (`PNT_EVENT_RETENTION_DAYS`).
#[utoipa::path(
    tag = "Gebeurtenissen",
    operation_id = "listGebeurtenissen",
    params(GebeurtenisQuery),
    responses((status = 200, description = "The events after `na`", body = GebeurtenisPagina))
)]
#[get("/gebeurtenissen")]
pub async fn list_gebeurtenissen(ctx: Ctx, query: Query<GebeurtenisQuery>) -> ApiResult<HttpResponse> {
    let zicht = GebeurtenisZicht::van(&ctx.caller)?;
    let q = query.0;
    let na = match q.na.as_deref() {
        None => Cursor::default(),
        Some(t) => cursor_van(t).ok_or_else(|| {
            ApiError::invalid(InputLocation::Query, "na", "not a cursor of this feed (use an event's `cursor`)")
        })?,
    };
    let limit = q.page_size.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(ApiError::invalid(InputLocation::Query, "pageSize", "pageSize must be 1–500"));
    }
    let wacht = q.wacht.unwrap_or(0);
    if wacht > MAX_WACHT {
        return Err(ApiError::invalid(InputLocation::Query, "wacht", format!("wacht must be 0–{MAX_WACHT} seconds")));
    }
    // Read your writes: every event committed before this request is returned, once the
    // transactions that were still running when it was written have finished (milliseconds;
    // at most `MAX_INHAALTIJD`, after which they simply come in a later page).
    if let Some(doel) = ctx.state.db.run(|c| Ok(repo::hoogste_tx(c)?)).await? {
        let begin = std::time::Instant::now();
        while ctx.state.db.run(|c| Ok(repo::horizon(c)?)).await?.is_some_and(|h| h <= doel)
            && begin.elapsed() < MAX_INHAALTIJD
        {
            actix_web::rt::time::sleep(Duration::from_millis(10)).await;
        }
    }
    let deadline = std::time::Instant::now() + Duration::from_secs(wacht);
    let rows = loop {
        let (z, types) = (zicht.clone(), q.soort.clone());
        let rows = ctx.state.db.run(move |c| Ok(repo::pagina(c, &z, na, &types, limit)?)).await?;
        if !rows.is_empty() || std::time::Instant::now() >= deadline {
            break rows;
        }
        actix_web::rt::time::sleep(Duration::from_millis(250)).await;
    };
    let items: Vec<Gebeurtenis> = rows.into_iter().map(|r| Gebeurtenis::van(&ctx.links, r)).collect();
    let volgende = items.last().map(|g| g.cursor.clone()).unwrap_or_else(|| cursor_tekst(na));
    let mut next = format!("/v1/gebeurtenissen?na={volgende}");
    for t in &q.soort {
        next.push_str(&format!("&type={t}"));
    }
    Ok(HttpResponse::Ok().json(GebeurtenisPagina { next: ctx.links.href(&next), items, volgende }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_gebeurtenissen);
}
