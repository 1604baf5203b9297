//! The bodies of `/v1/gebeurtenissen`, the change feed.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::domain::gebeurtenis::GebeurtenisType;
use crate::http::links::Links;
use crate::repo::gebeurtenissen::{Cursor, GebeurtenisRow};
use crate::routes::auditlog::resource_href;

/// A cursor as the feed writes it: `<tx>-<id>`.
pub fn cursor_tekst(c: Cursor) -> String {
    format!("{}-{}", c.tx, c.id)
}

/// Where to read from and what.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct GebeurtenisQuery {
    /// The cursor of the last event you processed (`cursor` of an event, or `volgende` of a
    /// page); absent: from the oldest event kept.
    #[param(example = "0-1042")]
    pub na: Option<String>,
    /// Only these types (repeatable); absent: all.
    #[serde(default, rename = "type")]
    #[param(rename = "type", example = json!(["aanbod.gepubliceerd"]))]
    pub soort: Vec<GebeurtenisType>,
    /// At most this many events (1–500, default 100).
    #[param(minimum = 1, maximum = 500, example = 100)]
    pub page_size: Option<i64>,
    /// Long polling: when nothing is new, wait up to this many seconds (0–30, default 0) for
    /// an event before answering an empty page.
    #[param(minimum = 0, maximum = 30, example = 20)]
    pub wacht: Option<u64>,
}

/// The ids an event's subscriber may need besides the resource's own.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GebeurtenisVerwijzingen {
    /// The offer concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 12)]
    pub aanbod: Option<i64>,
    /// The contract concerned.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 7)]
    pub inburgeringscontract: Option<i64>,
    /// The newcomer concerned (their record is read with the reader's own token).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 5)]
    pub inburgeraar: Option<i64>,
}

/// Something that happened to a resource. No personal data: read the resource (`href`) with
/// your own token, where the normal access rules apply.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gebeurtenis {
    /// Unique and stable: use it to drop a repeated delivery.
    #[schema(example = 1042)]
    pub id: i64,
    /// What happened.
    #[serde(rename = "type")]
    pub soort: GebeurtenisType,
    /// When.
    pub tijdstip: DateTime<Utc>,
    /// The kind of resource: `aanbod`, `doorverwijzing`, `deelnamebewijs`,
    /// `inburgeringscontract` or `inburgeraar`.
    #[schema(example = "aanbod")]
    pub resource: String,
    /// The resource's id.
    #[schema(example = 12)]
    pub resource_id: i64,
    /// The resource's address; absent when it was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/aanbod/12")]
    pub href: Option<String>,
    /// The resource's version right after the change (its `ETag`); absent when it was deleted.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 3)]
    pub versie: Option<i64>,
    pub verwijzingen: GebeurtenisVerwijzingen,
    /// Read on after this event with `na=<cursor>`.
    #[schema(example = "0-1042")]
    pub cursor: String,
}

/// A page of the change feed, in commit order.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GebeurtenisPagina {
    /// The events after `na`, oldest first.
    pub items: Vec<Gebeurtenis>,
    /// The cursor to read on from (`na`): the last event's, or `na` again when the page is empty.
    #[schema(example = "0-1042")]
    pub volgende: String,
    /// The next page (`na=volgende`).
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/gebeurtenissen?na=0-1042")]
    pub next: String,
}

impl Gebeurtenis {
    /// Event `r` as the feed and the webhooks show it, with links on `links`.
    pub fn van(links: &Links, r: GebeurtenisRow) -> Gebeurtenis {
        let verwijzingen = serde_json::from_str(&r.verwijzingen).unwrap_or_default();
        let gone = r.versie.is_none();
        Gebeurtenis {
            id: r.id,
            soort: r.soort,
            tijdstip: r.op.and_utc(),
            href: (!gone).then(|| resource_href(links, &r.resource, &r.resource_id.to_string())).flatten(),
            resource: r.resource,
            resource_id: r.resource_id,
            versie: r.versie,
            verwijzingen,
            cursor: cursor_tekst(Cursor { tx: r.tx, id: r.id }),
        }
    }
}
