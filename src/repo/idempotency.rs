//! Stored responses of POST requests with an `Idempotency-Key`.

use chrono::{Duration, NaiveDateTime};
use diesel::prelude::*;

use crate::db::schema::idempotency_keys as k;
use crate::db::{DbConn, write_tx};

/// How long a key is remembered.
pub const RETENTION_HOURS: i64 = 24;

pub struct Stored {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
}

pub enum Begin {
    /// First time this key is seen: go ahead and call [`complete`] or [`abandon`] afterwards.
    Started,
    /// The first request succeeded: answer with its response.
    Replay(Stored),
    /// The key was used for a different request.
    Mismatch,
    /// The first request is still running.
    InProgress,
}

/// Claims `key` for this request, or reports what happened to it before. One write
/// transaction, so two concurrent requests with the same key cannot both start.
pub fn begin(conn: &mut DbConn, caller: &str, key: &str, request_hash: &str, now: NaiveDateTime) -> QueryResult<Begin> {
    write_tx(conn, |conn| {
        diesel::delete(k::table.filter(k::created_at.lt(now - Duration::hours(RETENTION_HOURS)))).execute(conn)?;
        let existing = k::table
            .find((caller, key))
            .select((k::request_hash, k::status, k::response_headers, k::response_body))
            .first::<(String, Option<i32>, Option<String>, Option<String>)>(conn)
            .optional()?;
        Ok(match existing {
            None => {
                diesel::insert_into(k::table)
                    .values((
                        k::caller.eq(caller),
                        k::idempotency_key.eq(key),
                        k::request_hash.eq(request_hash),
                        k::created_at.eq(now),
                    ))
                    .execute(conn)?;
                Begin::Started
            }
            Some((hash, _, _, _)) if hash != request_hash => Begin::Mismatch,
            Some((_, None, _, _)) => Begin::InProgress,
            Some((_, Some(status), headers, body)) => Begin::Replay(Stored {
                status: u16::try_from(status).unwrap_or(500),
                headers: headers.and_then(|h| serde_json::from_str(&h).ok()).unwrap_or_default(),
                body: body.unwrap_or_default(),
            }),
        })
    })
}

pub fn complete(conn: &mut DbConn, caller: &str, key: &str, stored: &Stored) -> QueryResult<()> {
    let headers = serde_json::to_string(&stored.headers).unwrap_or_else(|_| "[]".into());
    diesel::update(k::table.find((caller, key)))
        .set((
            k::status.eq(Some(i32::from(stored.status))),
            k::response_headers.eq(Some(headers)),
            k::response_body.eq(Some(&stored.body)),
        ))
        .execute(conn)
        .map(|_| ())
}

/// Forgets the key (the request failed), so the client may retry with it.
pub fn abandon(conn: &mut DbConn, caller: &str, key: &str) -> QueryResult<()> {
    diesel::delete(k::table.find((caller, key))).execute(conn).map(|_| ())
}
