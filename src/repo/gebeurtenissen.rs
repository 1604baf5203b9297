//! Events (issue 16): written in the transaction of the change that causes them ([`na_wijziging`],
//! called for every audit entry), read as a gap-free change feed ([`pagina`]) and forgotten after
//! the retention period ([`vergeet`]).
//!
//! Order: a page holds events in `(tx, id)` order, below a horizon. On PostgreSQL `tx` is the id
//! of the writing transaction (the column's default) and the horizon is the `xmin` of the
//! reader's snapshot: every transaction below it has finished, so no event can later appear
//! before a cursor a reader already holds. SQLite serialises writers, so `tx` is 0, ids follow
//! commit order and there is no horizon.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde_json::json;

use crate::db::DbConn;
use crate::db::schema::{
    aanbod, deelnamebewijzen, doorverwijzingen, gebeurtenissen, inburgeraars, inburgeringscontracten,
};
use crate::domain::contract::ContractStatus;
use crate::domain::gebeurtenis::{self as regels, GebeurtenisType, Wijziging};
use crate::domain::toegang::gebeurtenissen::{EventScope, GebeurtenisZicht, ORGANISATIE_RESOURCES};

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = gebeurtenissen)]
pub struct GebeurtenisRow {
    pub id: i64,
    pub tx: i64,
    pub soort: GebeurtenisType,
    pub resource: String,
    pub resource_id: i64,
    pub versie: Option<i64>,
    pub op: NaiveDateTime,
    pub verwijzingen: String,
}

/// Where an event belongs: who may see it.
#[derive(Default)]
struct Scope {
    versie: Option<i64>,
    gemeente: Option<String>,
    organisatie_id: Option<i64>,
    trajectbegeleider: Option<String>,
    verwijzingen: serde_json::Value,
    gesloten: bool,
}

fn contract_van(conn: &mut DbConn, id: i64) -> QueryResult<Option<(String, i64, ContractStatus, i64)>> {
    inburgeringscontracten::table
        .find(id)
        .select((
            inburgeringscontracten::trajectbegeleider,
            inburgeringscontracten::inburgeraar_id,
            inburgeringscontracten::status,
            inburgeringscontracten::versie,
        ))
        .first(conn)
        .optional()
}

/// The scope of `resource` `id` as it stands now (after the change); `None` when it is gone.
fn scope(conn: &mut DbConn, resource: &str, id: i64) -> QueryResult<Option<Scope>> {
    Ok(match resource {
        "aanbod" => aanbod::table
            .find(id)
            .select((aanbod::versie, aanbod::gemeente, aanbod::organisatie_id))
            .first::<(i64, String, Option<i64>)>(conn)
            .optional()?
            .map(|(versie, gemeente, org)| Scope {
                versie: Some(versie),
                gemeente: Some(gemeente),
                organisatie_id: org,
                verwijzingen: json!({}),
                ..Scope::default()
            }),
        "doorverwijzing" => {
            let Some((versie, contract, aanbod_id)) = doorverwijzingen::table
                .find(id)
                .select((doorverwijzingen::versie, doorverwijzingen::contract_id, doorverwijzingen::aanbod_id))
                .first::<(i64, i64, i64)>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let org: Option<i64> =
                aanbod::table.find(aanbod_id).select(aanbod::organisatie_id).first(conn).optional()?.flatten();
            let c = contract_van(conn, contract)?;
            Some(Scope {
                versie: Some(versie),
                organisatie_id: org,
                trajectbegeleider: c.as_ref().map(|c| c.0.clone()),
                verwijzingen: json!({ "aanbod": aanbod_id, "inburgeringscontract": contract, "inburgeraar": c.map(|c| c.1) }),
                ..Scope::default()
            })
        }
        "deelnamebewijs" => {
            let Some((versie, contract, org, aanbod_id)) = deelnamebewijzen::table
                .find(id)
                .select((
                    deelnamebewijzen::versie,
                    deelnamebewijzen::contract_id,
                    deelnamebewijzen::organisatie_id,
                    deelnamebewijzen::aanbod_id,
                ))
                .first::<(i64, i64, Option<i64>, Option<i64>)>(conn)
                .optional()?
            else {
                return Ok(None);
            };
            let c = contract_van(conn, contract)?;
            Some(Scope {
                versie: Some(versie),
                organisatie_id: org,
                trajectbegeleider: c.as_ref().map(|c| c.0.clone()),
                verwijzingen: json!({ "inburgeringscontract": contract, "inburgeraar": c.map(|c| c.1), "aanbod": aanbod_id }),
                ..Scope::default()
            })
        }
        "inburgeringscontract" => contract_van(conn, id)?.map(|(tb, inburgeraar, status, versie)| Scope {
            versie: Some(versie),
            trajectbegeleider: Some(tb),
            verwijzingen: json!({ "inburgeraar": inburgeraar }),
            gesloten: !status.is_lopend(),
            ..Scope::default()
        }),
        "inburgeraar" => inburgeraars::table
            .find(id)
            .select((inburgeraars::versie, inburgeraars::trajectbegeleider))
            .first::<(i64, String)>(conn)
            .optional()?
            .map(|(versie, tb)| Scope {
                versie: Some(versie),
                trajectbegeleider: Some(tb),
                verwijzingen: json!({}),
                ..Scope::default()
            }),
        _ => None,
    })
}

/// Writes the event of change `w` to `resource_id` at `op`, if other systems are told about
/// it, in the caller's transaction; returns it (for webhooks).
pub fn na_wijziging(
    conn: &mut DbConn,
    w: &Wijziging<'_>,
    resource_id: &str,
    op: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    // Cheap first: most audit entries are reads.
    if regels::type_van(w, false).is_none() && regels::type_van(w, true).is_none() {
        return Ok(None);
    }
    let Ok(id) = resource_id.parse::<i64>() else { return Ok(None) };
    schrijf(conn, w.resource, id, op, |gesloten| regels::type_van(w, gesloten))
}

/// Writes event `soort` of `resource` `id` at `op`, in the caller's transaction: for changes
/// that write no audit entry of their own (an offer through a feed).
pub fn schrijf_type(
    conn: &mut DbConn,
    soort: GebeurtenisType,
    resource: &str,
    id: i64,
    op: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    schrijf(conn, resource, id, op, |_| Some(soort))
}

fn schrijf(
    conn: &mut DbConn,
    resource: &str,
    id: i64,
    op: NaiveDateTime,
    soort: impl FnOnce(bool) -> Option<GebeurtenisType>,
) -> QueryResult<Option<i64>> {
    let s = scope(conn, resource, id)?.unwrap_or_else(|| Scope { verwijzingen: json!({}), ..Scope::default() });
    let Some(soort) = soort(s.gesloten) else { return Ok(None) };
    let id = diesel::insert_into(gebeurtenissen::table)
        .values((
            gebeurtenissen::soort.eq(soort),
            gebeurtenissen::resource.eq(resource),
            gebeurtenissen::resource_id.eq(id),
            gebeurtenissen::versie.eq(s.versie),
            gebeurtenissen::op.eq(op),
            gebeurtenissen::gemeente.eq(&s.gemeente),
            gebeurtenissen::organisatie_id.eq(s.organisatie_id),
            gebeurtenissen::trajectbegeleider.eq(&s.trajectbegeleider),
            gebeurtenissen::verwijzingen.eq(s.verwijzingen.to_string()),
        ))
        .returning(gebeurtenissen::id)
        .get_result(conn)?;
    let e = EventScope {
        resource,
        gemeente: s.gemeente.as_deref(),
        organisatie: s.organisatie_id,
        trajectbegeleider: s.trajectbegeleider.as_deref(),
    };
    crate::repo::webhooks::na_gebeurtenis(conn, id, soort, &e, op)?;
    Ok(Some(id))
}

/// Event `id`.
pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<GebeurtenisRow>> {
    gebeurtenissen::table.find(id).select(GebeurtenisRow::as_select()).first(conn).optional()
}

/// A position in the feed: after event `id` of transaction `tx`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Cursor {
    pub tx: i64,
    pub id: i64,
}

/// The horizon of this connection's snapshot: events of transactions at or above it may still
/// commit. `None`: no horizon (SQLite).
pub fn horizon(conn: &mut DbConn) -> QueryResult<Option<i64>> {
    #[derive(QueryableByName)]
    struct H {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        h: i64,
    }
    match conn {
        DbConn::Postgresql(c) => {
            let h: H =
                diesel::sql_query("SELECT pg_snapshot_xmin(pg_current_snapshot())::text::bigint AS h").get_result(c)?;
            Ok(Some(h.h))
        }
        DbConn::Sqlite(_) => Ok(None),
    }
}

/// The highest writing transaction of any committed event (PostgreSQL; `None` on SQLite or
/// without events): a reader that waits until the horizon passes it sees every event committed
/// before it asked.
pub fn hoogste_tx(conn: &mut DbConn) -> QueryResult<Option<i64>> {
    match conn {
        DbConn::Postgresql(_) => gebeurtenissen::table.select(diesel::dsl::max(gebeurtenissen::tx)).first(conn),
        DbConn::Sqlite(_) => Ok(None),
    }
}

/// Up to `limit` events after `na` that `zicht` shows, of `types` (all when empty), in order.
pub fn pagina(
    conn: &mut DbConn,
    zicht: &GebeurtenisZicht,
    na: Cursor,
    types: &[GebeurtenisType],
    limit: i64,
) -> QueryResult<Vec<GebeurtenisRow>> {
    use gebeurtenissen as g;
    let horizon = horizon(conn)?;
    let mut q = g::table
        .filter(g::tx.gt(na.tx).or(g::tx.eq(na.tx).and(g::id.gt(na.id))))
        .select(GebeurtenisRow::as_select())
        .order((g::tx.asc(), g::id.asc()))
        .limit(limit)
        .into_boxed();
    if let Some(h) = horizon {
        q = q.filter(g::tx.lt(h));
    }
    if !types.is_empty() {
        q = q.filter(g::soort.eq_any(types.to_vec()));
    }
    if !zicht.alles {
        // `false OR …`: each relation the caller has widens the view.
        let mut f: Box<dyn BoxableExpression<g::table, crate::db::MultiBackend, SqlType = diesel::sql_types::Bool>> =
            Box::new(diesel::dsl::sql::<diesel::sql_types::Bool>("1 = 0"));
        if !zicht.gemeenten.is_empty() {
            f = Box::new(
                f.or(g::resource.eq("aanbod").and(g::gemeente.assume_not_null().eq_any(zicht.gemeenten.clone()))),
            );
        }
        if let Some(org) = zicht.organisatie {
            f = Box::new(
                f.or(g::organisatie_id.assume_not_null().eq(org).and(g::resource.eq_any(ORGANISATIE_RESOURCES))),
            );
        }
        if let Some(tb) = &zicht.trajectbegeleider {
            f = Box::new(f.or(g::trajectbegeleider.assume_not_null().eq(tb.clone())));
        }
        q = q.filter(f);
    }
    q.load(conn)
}

/// The highest event id (SQLite: the last committed event).
pub fn laatste_id(conn: &mut DbConn) -> QueryResult<Option<i64>> {
    gebeurtenissen::table.select(diesel::dsl::max(gebeurtenissen::id)).first(conn)
}

/// The offer events `(tx, id, offer id)` of transactions from `tx_vanaf` on (PostgreSQL) or
/// after event `id_na` (SQLite), in feed order: what the search catalogue catches up with.
pub fn aanbod_vanaf(conn: &mut DbConn, tx_vanaf: Option<i64>, id_na: Option<i64>) -> QueryResult<Vec<(i64, i64, i64)>> {
    use gebeurtenissen as g;
    let mut q = g::table.filter(g::resource.eq("aanbod")).select((g::tx, g::id, g::resource_id)).into_boxed();
    if let Some(tx) = tx_vanaf {
        q = q.filter(g::tx.ge(tx)).order((g::tx.asc(), g::id.asc()));
    }
    if let Some(id) = id_na {
        // By id alone (SQLite's ids follow commit order): a range of the primary key, where
        // `(tx, id)` made SQLite walk the whole index from the start on every catch-up.
        q = q.filter(g::id.gt(id)).order(g::id.asc());
    }
    q.load(conn)
}

/// Deletes the events from before `voor`; how many.
pub fn vergeet(conn: &mut DbConn, voor: NaiveDateTime) -> QueryResult<usize> {
    diesel::delete(gebeurtenissen::table.filter(gebeurtenissen::op.lt(voor))).execute(conn)
}

/// Writes the events `events` (type, offer id) at `op` in the caller's transaction, as
/// [`schrijf_type`] does one by one, in a few statements: a feed push writes two events per new
/// offer, and one round trip per event and per lookup made the push ten times slower on
/// PostgreSQL. The offers' scopes are read in one query, the events inserted in chunks, and the
/// webhook deliveries written for the events any active subscription wants.
pub fn schrijf_aanbod_batch(
    conn: &mut DbConn,
    events: &[(GebeurtenisType, i64)],
    op: NaiveDateTime,
) -> QueryResult<()> {
    const CHUNK: usize = 1000;
    if events.is_empty() {
        return Ok(());
    }
    let actief = crate::repo::webhooks::actief(conn)?;
    for chunk in events.chunks(CHUNK) {
        let ids: Vec<i64> = chunk.iter().map(|(_, id)| *id).collect();
        let scopes: std::collections::HashMap<i64, (i64, String, Option<i64>)> = aanbod::table
            .filter(aanbod::id.eq_any(&ids))
            .select((aanbod::id, aanbod::versie, aanbod::gemeente, aanbod::organisatie_id))
            .load::<(i64, i64, String, Option<i64>)>(conn)?
            .into_iter()
            .map(|(id, versie, gemeente, org)| (id, (versie, gemeente, org)))
            .collect();
        let rows: Vec<_> = chunk
            .iter()
            .map(|(soort, id)| {
                let s = scopes.get(id);
                (
                    gebeurtenissen::soort.eq(*soort),
                    gebeurtenissen::resource.eq("aanbod"),
                    gebeurtenissen::resource_id.eq(*id),
                    gebeurtenissen::versie.eq(s.map(|s| s.0)),
                    gebeurtenissen::op.eq(op),
                    gebeurtenissen::gemeente.eq(s.map(|s| s.1.clone())),
                    gebeurtenissen::organisatie_id.eq(s.and_then(|s| s.2)),
                    gebeurtenissen::trajectbegeleider.eq(None::<String>),
                    gebeurtenissen::verwijzingen.eq("{}"),
                )
            })
            .collect();
        // Ids by (type, offer): the order of RETURNING is not something to rely on.
        let geschreven: Vec<(i64, GebeurtenisType, i64)> = match conn {
            DbConn::Postgresql(pg) => diesel::insert_into(gebeurtenissen::table)
                .values(&rows)
                .returning((gebeurtenissen::id, gebeurtenissen::soort, gebeurtenissen::resource_id))
                .get_results(pg)?,
            DbConn::Sqlite(_) => {
                let mut uit = Vec::with_capacity(rows.len());
                for row in rows {
                    uit.push(
                        diesel::insert_into(gebeurtenissen::table)
                            .values(row)
                            .returning((gebeurtenissen::id, gebeurtenissen::soort, gebeurtenissen::resource_id))
                            .get_result(conn)?,
                    );
                }
                uit
            }
        };
        if actief.is_empty() {
            continue;
        }
        for (event, soort, id) in geschreven {
            let s = scopes.get(&id);
            let e = EventScope {
                resource: "aanbod",
                gemeente: s.map(|s| s.1.as_str()),
                organisatie: s.and_then(|s| s.2),
                trajectbegeleider: None,
            };
            crate::repo::webhooks::leveringen_voor(conn, &actief, event, soort, &e, op)?;
        }
    }
    Ok(())
}
