//! The bodies of a network's actions.

use crate::domain::netwerk::ActieStatus;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// An action as clients write it (the body of POST and PUT). Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ActieInput {
    /// What is to be done, 1 to 300 characters.
    #[validate(length(min = 1, max = 300))]
    #[schema(example = "Kennismakingsronde bij alle lokale besturen")]
    pub titel: String,
    /// Details, up to 10,000 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 10000))]
    #[schema(example = "Per gemeente een gesprek met de schepen van welzijn en de dienst integratie.")]
    pub beschrijving: Option<String>,
    /// `gepland` when absent.
    #[serde(default = "gepland")]
    pub status: ActieStatus,
    /// The day it should be done by (yyyy-MM-dd); after it, an open action is overdue.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-06-30")]
    pub deadline: Option<NaiveDate>,
    /// Who carries the action (a person, a partner, a werkgroep), up to 200 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "netwerkcoach")]
    pub trekker: Option<String>,
}

/// A JSON Merge Patch (RFC 7396) of an action: the fields of [`ActieInput`] to change. Applied
/// to the action's current content and then checked like a PUT body, so an unknown field is
/// refused (400 `unknownInput`) and so is `null` on `titel` (the field is required). For the
/// document only: the handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"status": "afgerond", "deadline": null}))]
pub struct ActiePatch {
    /// New title; cannot be removed.
    #[schema(nullable = false, example = "Kennismakingsronde bij alle lokale besturen")]
    pub titel: Option<String>,
    /// New details; `null` removes them.
    pub beschrijving: Option<String>,
    /// New status; `null` sets it back to `gepland`.
    pub status: Option<ActieStatus>,
    /// New deadline (yyyy-MM-dd); `null` removes it.
    #[schema(example = "2026-09-30")]
    pub deadline: Option<NaiveDate>,
    /// Who carries it now; `null` removes it.
    pub trekker: Option<String>,
}

/// An action of the action plan.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Actie {
    /// This action's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The action's id within the API.
    #[schema(example = 7)]
    pub id: i64,
    /// The network's URL.
    pub netwerk: String,
    /// What is to be done.
    #[schema(example = "Kennismakingsronde bij alle lokale besturen")]
    pub titel: String,
    /// Details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub beschrijving: Option<String>,
    /// Where the action stands.
    pub status: ActieStatus,
    /// The day it should be done by.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-06-30")]
    pub deadline: Option<NaiveDate>,
    /// Who carries the action.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "netwerkcoach")]
    pub trekker: Option<String>,
    /// Open (`gepland`, `lopend`) with its deadline passed.
    pub achterstallig: bool,
    /// Version; the `ETag` of this document.
    pub versie: i64,
    /// When the action was added.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the action last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// An action in a list: the action, with `href` next to `self`.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActieItem {
    /// This action's URL (equal to `self`).
    pub href: String,
    #[serde(flatten)]
    pub actie: Actie,
}

/// Filters of the action plan.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct ActiesQuery {
    /// Status (repeatable: `status=gepland&status=lopend`).
    #[serde(default)]
    #[param(example = json!(["lopend"]))]
    pub status: Vec<ActieStatus>,
    /// `true`: only overdue actions (open, deadline passed); `false`: only the others.
    #[param(example = true)]
    pub achterstallig: Option<bool>,
}

pub fn gepland() -> ActieStatus {
    ActieStatus::Gepland
}
