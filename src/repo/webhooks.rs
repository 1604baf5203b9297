//! Webhook subscriptions and their deliveries. A delivery is an outbox row of kind `webhook`,
//! written by [`na_gebeurtenis`] in the transaction of the change (with its event), and sent by
//! the outbox worker with the outbox's leases and retries (`crate::outbox`, `crate::webhooks`).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{outbox, webhooks};
use crate::domain::gebeurtenis::GebeurtenisType;
use crate::domain::toegang::gebeurtenissen::EventScope;
use crate::domain::webhook::WebhookScope;
use crate::repo::Json;
use crate::repo::outbox::{BerichtRow, BerichtSoort, BerichtStatus};

/// The audit log's resource type for webhooks.
pub const RESOURCE: &str = "webhook";

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = webhooks)]
pub struct WebhookRow {
    pub id: i64,
    pub url: String,
    pub gebeurtenissen: Option<Json<Vec<GebeurtenisType>>>,
    pub scope: Option<Json<WebhookScope>>,
    pub geheim: String,
    pub omschrijving: Option<String>,
    pub actief: bool,
    pub aangemaakt_door: String,
    pub aangemaakt_op: NaiveDateTime,
    pub versie: i64,
}

impl WebhookRow {
    /// Whether this subscription receives an event of type `soort` with scope `e`.
    pub fn wil(&self, soort: GebeurtenisType, e: &EventScope<'_>) -> bool {
        self.actief
            && self.gebeurtenissen.as_ref().is_none_or(|t| t.0.contains(&soort))
            && WebhookScope::zicht(self.scope.as_ref().map(|s| &s.0)).ziet(e)
    }
}

/// A new subscription; the lists and scope as JSON (`None`: all).
pub struct NieuweWebhook<'a> {
    pub url: &'a str,
    pub gebeurtenissen: Option<String>,
    pub scope: Option<String>,
    pub geheim: &'a str,
    pub omschrijving: Option<&'a str>,
    pub door: &'a str,
}

pub fn insert(conn: &mut DbConn, w: &NieuweWebhook<'_>, nu: NaiveDateTime) -> QueryResult<WebhookRow> {
    let id: i64 = diesel::insert_into(webhooks::table)
        .values((
            webhooks::url.eq(w.url),
            webhooks::gebeurtenissen.eq(&w.gebeurtenissen),
            webhooks::scope.eq(&w.scope),
            webhooks::geheim.eq(w.geheim),
            webhooks::omschrijving.eq(w.omschrijving),
            webhooks::actief.eq(true),
            webhooks::aangemaakt_door.eq(w.door),
            webhooks::aangemaakt_op.eq(nu),
            webhooks::versie.eq(1),
        ))
        .returning(webhooks::id)
        .get_result(conn)?;
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn)
}

/// An active subscription.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<WebhookRow>> {
    webhooks::table.find(id).filter(webhooks::actief.eq(true)).select(WebhookRow::as_select()).first(conn).optional()
}

/// Any subscription, removed ones too (the worker signs a delivery already underway).
pub fn find_any(conn: &mut DbConn, id: i64) -> QueryResult<Option<WebhookRow>> {
    webhooks::table.find(id).select(WebhookRow::as_select()).first(conn).optional()
}

/// A page of the active subscriptions, newest first, and their number.
pub fn list(conn: &mut DbConn, offset: i64, limit: i64) -> QueryResult<(Vec<WebhookRow>, i64)> {
    let total = webhooks::table.filter(webhooks::actief.eq(true)).count().get_result(conn)?;
    let rows = webhooks::table
        .filter(webhooks::actief.eq(true))
        .order(webhooks::id.desc())
        .offset(offset)
        .limit(limit)
        .select(WebhookRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// Ends subscription `id`: no new deliveries, and those still waiting are given up. `false`
/// when there is no active subscription `id`.
pub fn verwijder(conn: &mut DbConn, id: i64, nu: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(webhooks::table.find(id).filter(webhooks::actief.eq(true)))
        .set((webhooks::actief.eq(false), webhooks::versie.eq(webhooks::versie + 1)))
        .execute(conn)?;
    if n == 1 {
        diesel::update(
            outbox::table.filter(outbox::webhook_id.eq(id)).filter(outbox::status.eq(BerichtStatus::TeVerzenden)),
        )
        .set((
            outbox::status.eq(BerichtStatus::Mislukt),
            outbox::laatste_fout.eq("the subscription was removed"),
            outbox::afgehandeld_op.eq(nu),
        ))
        .execute(conn)?;
    }
    Ok(n == 1)
}

/// The active subscriptions.
pub fn actief(conn: &mut DbConn) -> QueryResult<Vec<WebhookRow>> {
    webhooks::table.filter(webhooks::actief.eq(true)).select(WebhookRow::as_select()).load(conn)
}

/// Writes a delivery of event `gebeurtenis` (type `soort`, scope `e`) for every active
/// subscription that wants it, in the caller's transaction; how many.
pub fn na_gebeurtenis(
    conn: &mut DbConn,
    gebeurtenis: i64,
    soort: GebeurtenisType,
    e: &EventScope<'_>,
    nu: NaiveDateTime,
) -> QueryResult<usize> {
    let actief = actief(conn)?;
    leveringen_voor(conn, &actief, gebeurtenis, soort, e, nu)
}

/// Writes a delivery of event `gebeurtenis` for each of the subscriptions `actief` that wants it.
pub fn leveringen_voor(
    conn: &mut DbConn,
    actief: &[WebhookRow],
    gebeurtenis: i64,
    soort: GebeurtenisType,
    e: &EventScope<'_>,
    nu: NaiveDateTime,
) -> QueryResult<usize> {
    let mut n = 0;
    for w in actief.iter().filter(|w| w.wil(soort, e)) {
        diesel::insert_into(outbox::table)
            .values((
                outbox::soort.eq(BerichtSoort::Webhook),
                outbox::ontvanger.eq(&w.url),
                outbox::onderwerp.eq(soort.as_str()),
                outbox::status.eq(BerichtStatus::TeVerzenden),
                outbox::pogingen.eq(0),
                outbox::volgende_poging.eq(nu),
                outbox::aangemaakt_op.eq(nu),
                outbox::webhook_id.eq(w.id),
                outbox::gebeurtenis_id.eq(gebeurtenis),
            ))
            .execute(conn)?;
        n += 1;
    }
    Ok(n)
}

/// A page of subscription `id`'s deliveries, newest first, and their number.
pub fn leveringen(conn: &mut DbConn, id: i64, offset: i64, limit: i64) -> QueryResult<(Vec<BerichtRow>, i64)> {
    let total = outbox::table.filter(outbox::webhook_id.eq(id)).count().get_result(conn)?;
    let rows = outbox::table
        .filter(outbox::webhook_id.eq(id))
        .order(outbox::id.desc())
        .offset(offset)
        .limit(limit)
        .select(BerichtRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}
