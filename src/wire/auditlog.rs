//! The bodies of `/v1/auditLog`.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Filters of the audit log; repeated parameters are alternatives (OR).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AuditLogQuery {
    /// `sub` of whoever acted (repeatable).
    #[serde(default)]
    #[param(example = json!(["tb-1"]))]
    pub actor: Vec<String>,
    /// Resource type (repeatable): `inburgeraar`, `inburgeringscontract`, …
    #[serde(default)]
    #[param(example = json!(["inburgeraar"]))]
    pub resource_type: Vec<String>,
    /// Resource id (repeatable); combine with `resourceType`.
    #[serde(default)]
    #[param(example = json!(["17"]))]
    pub resource_id: Vec<String>,
    /// Action (repeatable): `read`, `list`, `create`, `update`, or a change such as
    /// `termijnVerlengd` or `trajectbegeleiderGewijzigd`.
    #[serde(default)]
    #[param(example = json!(["update"]))]
    pub actie: Vec<String>,
    /// From this moment, inclusive (RFC 3339, e.g. `2026-11-22T00:00:00Z`).
    #[param(example = "2026-11-22T00:00:00Z")]
    pub van: Option<DateTime<Utc>>,
    /// Until this moment, exclusive (RFC 3339); after `van`.
    #[param(example = "2026-11-23T00:00:00Z")]
    pub tot: Option<DateTime<Utc>>,
}

/// One entry of the audit log.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AuditEntry {
    /// Id of the entry; later entries have higher ids.
    #[schema(example = 1042)]
    pub id: i64,
    /// When.
    pub tijdstip: DateTime<Utc>,
    /// Who: the caller's `sub`.
    #[schema(example = "tb-1")]
    pub actor: String,
    /// The caller's roles then.
    #[schema(example = json!(["trajectbegeleider"]))]
    pub actor_rollen: Vec<String>,
    /// What: `read`, `list`, `create`, `update`, or the name of a change.
    #[schema(example = "read")]
    pub actie: String,
    /// The kind of record: `inburgeraar`, `inburgeringscontract`, `deelnamebewijs`, …
    #[schema(example = "inburgeraar")]
    pub resource_type: String,
    /// The record's id, as text.
    #[schema(example = "17")]
    pub resource_id: String,
    /// Link to the resource, for the types this API serves; absent for others.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub resource_href: Option<String>,
    /// The request's `BelGov-Trace-Id`, to find it in the access log.
    #[schema(example = "0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11")]
    pub trace_id: String,
    /// Ids and field names that qualify the action (never personal data); absent when there
    /// are none.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object, example = json!({ "velden": ["contact", "gemeente"] }))]
    pub details: Option<serde_json::Value>,
}
