//! The transactional outbox: a message is inserted inside the transaction of the change that
//! causes it (`insert`), and the delivery worker (`crate::outbox`) takes due rows through
//! leases (`claim`): a conditional UPDATE that only one instance can win, on both backends
//! (on PostgreSQL the loser waits for the winner's row lock, then finds the lease taken).

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::outbox;
use crate::domain::inburgeraar::text_enum;

text_enum! {
    /// Where a message stands.
    BerichtStatus {
        /// Waiting for (another) attempt.
        TeVerzenden = "teVerzenden",
        /// Handed to the mail server (or written as `.eml`).
        Verzonden = "verzonden",
        /// Given up after the last attempt or a permanent refusal; `laatsteFout` says why.
        Mislukt = "mislukt",
    }
}

text_enum! {
    /// What kind of message.
    BerichtSoort {
        Mail = "mail",
        /// A webhook delivery: the event `gebeurtenis_id` POSTed to subscription `webhook_id`.
        Webhook = "webhook",
    }
}

/// A message to write with the change that causes it.
pub struct NieuwBericht<'a> {
    pub soort: BerichtSoort,
    pub ontvanger: &'a str,
    pub onderwerp: &'a str,
    /// The bodies, as JSON (for a mail: `{"tekst": …, "html": …}`).
    pub inhoud: &'a str,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = outbox)]
pub struct BerichtRow {
    pub id: i64,
    pub soort: BerichtSoort,
    pub ontvanger: String,
    pub onderwerp: String,
    pub inhoud: Option<String>,
    pub status: BerichtStatus,
    pub pogingen: i32,
    pub volgende_poging: NaiveDateTime,
    pub laatste_fout: Option<String>,
    pub bericht_id: Option<String>,
    pub aangemaakt_op: NaiveDateTime,
    pub afgehandeld_op: Option<NaiveDateTime>,
    pub webhook_id: Option<i64>,
    pub gebeurtenis_id: Option<i64>,
    /// A webhook receiver's last HTTP status.
    pub laatste_status: Option<i32>,
}

/// Writes `b` to be sent from `nu` on; returns its id. Call inside the change's transaction.
pub fn insert(conn: &mut DbConn, b: &NieuwBericht<'_>, nu: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(outbox::table)
        .values((
            outbox::soort.eq(b.soort),
            outbox::ontvanger.eq(b.ontvanger),
            outbox::onderwerp.eq(b.onderwerp),
            outbox::inhoud.eq(b.inhoud),
            outbox::status.eq(BerichtStatus::TeVerzenden),
            outbox::pogingen.eq(0),
            outbox::volgende_poging.eq(nu),
            outbox::aangemaakt_op.eq(nu),
        ))
        .returning(outbox::id)
        .get_result(conn)
}

/// The ids of up to `limit` messages due at `nu` whose lease (if any) ran out, oldest first.
pub fn due(conn: &mut DbConn, nu: NaiveDateTime, limit: i64) -> QueryResult<Vec<i64>> {
    outbox::table
        .filter(outbox::status.eq(BerichtStatus::TeVerzenden))
        .filter(outbox::volgende_poging.le(nu))
        .filter(outbox::geclaimd_tot.is_null().or(outbox::geclaimd_tot.lt(nu)))
        .order(outbox::id)
        .limit(limit)
        .select(outbox::id)
        .load(conn)
}

/// Takes message `id` for `lease` as `instance` and counts the attempt, if it is still due and
/// nobody holds it: the row, or `None` when another instance was first.
pub fn claim(
    conn: &mut DbConn,
    id: i64,
    instance: &str,
    nu: NaiveDateTime,
    lease: Duration,
) -> QueryResult<Option<BerichtRow>> {
    let n = diesel::update(
        outbox::table
            .find(id)
            .filter(outbox::status.eq(BerichtStatus::TeVerzenden))
            .filter(outbox::volgende_poging.le(nu))
            .filter(outbox::geclaimd_tot.is_null().or(outbox::geclaimd_tot.lt(nu))),
    )
    .set((
        outbox::geclaimd_tot.eq(nu + lease),
        outbox::geclaimd_door.eq(instance),
        outbox::pogingen.eq(outbox::pogingen + 1),
    ))
    .execute(conn)?;
    if n == 0 {
        return Ok(None);
    }
    outbox::table.find(id).select(BerichtRow::as_select()).first(conn).optional()
}

/// Records the outcome of `instance`'s attempt on message `id`: delivered (`Ok(bericht_id)`),
/// to retry at `opnieuw` (`Err` with `Some`), or given up (`Err` with `None`), and the
/// receiver's HTTP status if it answered (webhooks). The bodies are cleared once the message is
/// delivered or given up. `false` if the lease was lost meanwhile.
pub fn afhandelen(
    conn: &mut DbConn,
    id: i64,
    instance: &str,
    nu: NaiveDateTime,
    uitkomst: Result<String, (String, Option<NaiveDateTime>)>,
    http_status: Option<i32>,
) -> QueryResult<bool> {
    let target = outbox::table.find(id).filter(outbox::geclaimd_door.eq(instance));
    diesel::update(target).set(outbox::laatste_status.eq(http_status)).execute(conn)?;
    let geen_claim = (outbox::geclaimd_tot.eq(None::<NaiveDateTime>), outbox::geclaimd_door.eq(None::<String>));
    let n = match uitkomst {
        Ok(bericht_id) => diesel::update(target)
            .set((
                outbox::status.eq(BerichtStatus::Verzonden),
                outbox::bericht_id.eq(bericht_id),
                outbox::afgehandeld_op.eq(nu),
                outbox::inhoud.eq(None::<String>),
                outbox::laatste_fout.eq(None::<String>),
                geen_claim,
            ))
            .execute(conn)?,
        Err((fout, Some(opnieuw))) => diesel::update(target)
            .set((outbox::laatste_fout.eq(fout), outbox::volgende_poging.eq(opnieuw), geen_claim))
            .execute(conn)?,
        Err((fout, None)) => diesel::update(target)
            .set((
                outbox::status.eq(BerichtStatus::Mislukt),
                outbox::laatste_fout.eq(fout),
                outbox::afgehandeld_op.eq(nu),
                outbox::inhoud.eq(None::<String>),
                geen_claim,
            ))
            .execute(conn)?,
    };
    Ok(n == 1)
}

/// Message `id`.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<BerichtRow>> {
    outbox::table.find(id).select(BerichtRow::as_select()).first(conn).optional()
}

/// How many messages there are per kind and status (for `/metrics`).
pub fn tellingen(conn: &mut DbConn) -> QueryResult<Vec<(String, String, i64)>> {
    outbox::table
        .group_by((outbox::soort, outbox::status))
        .select((outbox::soort, outbox::status, diesel::dsl::count_star()))
        .load(conn)
}
