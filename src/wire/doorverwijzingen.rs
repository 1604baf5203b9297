//! The bodies of `/v1/doorverwijzingen`: a referral and its status changes.

use crate::domain::doorverwijzing::Toeleider;
use crate::domain::doorverwijzing::{AangemeldDoor, DoorverwijzingStatus};
use crate::domain::toegang::doorverwijzingen::Weergave;
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

/// A new referral, by a trajectbegeleider or by the newcomer for themselves. Unknown fields are
/// refused.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DoorverwijzingInput {
    /// Id of the newcomer's running contract: one the caller follows (400 otherwise), or the
    /// newcomer's own (self-registration; someone else's is 404).
    #[schema(example = 5)]
    pub contract: i64,
    /// Id of the published offer (400 otherwise).
    #[schema(example = 42)]
    pub aanbod: i64,
    /// The trajectbegeleider announces the newcomer to the provider personally (default
    /// false).
    #[serde(default)]
    pub warme_overdracht: bool,
    /// What the provider should know for the first contact, up to 2,000 characters; only with
    /// `warmeOverdracht: true` (400 otherwise). It is addressed to the provider, who reads it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Amina komt graag samen met haar buurvrouw; spreekt al wat Nederlands.")]
    pub warme_overdracht_notitie: Option<String>,
    /// Who goes along to the first visit.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    pub toeleider: Option<Toeleider>,
}

/// A JSON Merge Patch (RFC 7396) of a referral's warm handover and companion. `null` removes a
/// field (`warmeOverdracht: null` sets false); the result is checked like a new referral's
/// fields, so an unknown field is refused (400 `unknownInput`). For the document only: the
/// handler applies the patch as JSON.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"toeleider": {"naam": "Youssef (brugfiguur Buurtwerk Geel)", "contact": null}}))]
pub struct DoorverwijzingPatch {
    /// Whether the trajectbegeleider announces the newcomer personally; `null` sets false.
    #[schema(example = true)]
    pub warme_overdracht: Option<bool>,
    /// The note for the provider (only with `warmeOverdracht: true`); `null` removes it.
    #[schema(example = "Amina komt graag samen met haar buurvrouw.")]
    pub warme_overdracht_notitie: Option<String>,
    /// Changes to the companion, merged into the current one; `null` removes the companion.
    #[schema(inline)]
    pub toeleider: Option<ToeleiderPatch>,
}

/// Changes to a referral's companion within a merge patch. Without a current companion,
/// `naam` is needed.
#[allow(dead_code)]
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ToeleiderPatch {
    /// Who goes along; cannot be removed (remove the companion with `"toeleider": null`).
    #[schema(nullable = false, example = "Youssef (brugfiguur Buurtwerk Geel)")]
    pub naam: Option<String>,
    /// Phone or e-mail; `null` removes it.
    #[schema(example = "+32 470 98 76 54")]
    pub contact: Option<String>,
}

/// The newcomer of a referral. The aanbieder sees the name and contact language only.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Deelnemer {
    /// The newcomer's URL; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub href: Option<String>,
    /// The newcomer's id within the API; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 17)]
    pub id: Option<i64>,
    /// First name.
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
    /// The language to contact them in (ISO 639-1).
    #[schema(example = "ar")]
    pub contacttaal: String,
}

/// The offer of a referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodLink {
    /// The offer's URL.
    pub href: String,
    /// The offer's id within the API.
    #[schema(example = 42)]
    pub id: i64,
    /// The offer's title.
    #[schema(example = "Buddyproject Samen Geel")]
    pub titel: String,
}

/// The contract of a referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ContractLink {
    /// The contract's URL.
    pub href: String,
    /// The contract's id within the API.
    #[schema(example = 5)]
    pub id: i64,
}

/// A referral, as its reader may see it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DoorverwijzingGegevens {
    /// The referral's id within the API.
    #[schema(example = 9)]
    pub id: i64,
    /// Which view the caller gets: `volledig`, or `aanbieder` (fields marked "not for the
    /// aanbieder" are left out).
    pub weergave: Weergave,
    /// The newcomer's contract; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contract: Option<ContractLink>,
    /// The newcomer referred.
    pub inburgeraar: Deelnemer,
    /// `sub` of the contract's trajectbegeleider; not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub trajectbegeleider: Option<String>,
    /// The offer referred to.
    pub aanbod: AanbodLink,
    /// Where the referral stands.
    pub status: DoorverwijzingStatus,
    /// Who made it: the `trajectbegeleider` (or an admin), or the `inburgeraar` who registered
    /// themselves.
    pub aangemeld_door: AangemeldDoor,
    /// Place on the offer's waiting list (1 = next), with `wachtlijst`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 2)]
    pub wachtlijst_positie: Option<i64>,
    /// Why it was broken off (with `afgebroken`); not for the aanbieder.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub reden_afgebroken: Option<String>,
    /// The trajectbegeleider announces the newcomer to the provider personally.
    pub warme_overdracht: bool,
    /// What the provider should know for the first contact (with `warmeOverdracht`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Amina komt graag samen met haar buurvrouw; spreekt al wat Nederlands.")]
    pub warme_overdracht_notitie: Option<String>,
    /// Who goes along to the first visit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub toeleider: Option<Toeleider>,
    /// When the referral was made.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the referral got a place (at once, or when it left the waiting list).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub plaats_toegekend_op: Option<DateTime<Utc>>,
    /// The day the newcomer started (with `gestart` and after).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub gestart_op: Option<NaiveDate>,
    /// The day the activity was done (with `afgerond`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub afgerond_op: Option<NaiveDate>,
    /// The day it was broken off (with `afgebroken`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub afgebroken_op: Option<NaiveDate>,
    /// Version; the `ETag` of this document.
    pub versie: i64,
}

/// A referral.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Doorverwijzing {
    /// This referral's URL.
    #[serde(rename = "self")]
    pub self_link: String,
    #[serde(flatten)]
    pub gegevens: DoorverwijzingGegevens,
}

/// A referral in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DoorverwijzingItem {
    /// The referral's URL.
    pub href: String,
    #[serde(flatten)]
    pub gegevens: DoorverwijzingGegevens,
}

/// A status change. Unknown fields are refused.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = DoorverwijzingStatusWijziging)]
pub struct StatusWijziging {
    /// `gestart`, `afgerond` or `afgebroken`; `voorgesteld` and `wachtlijst` are set by the API.
    #[schema(example = "gestart")]
    pub status: DoorverwijzingStatus,
    /// Why: required for `afgebroken`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Verhuisd naar een andere regio")]
    pub reden: Option<String>,
    /// The day it happened (default today; not in the future, nor before the referral was
    /// made or, for `afgerond`, before it started).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-03-02")]
    pub datum: Option<NaiveDate>,
}

/// Filters of the referral list; repeated parameters are alternatives.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DoorverwijzingenQuery {
    /// Contract id (repeatable).
    #[serde(default)]
    #[param(example = json!([5]))]
    pub contract: Vec<i64>,
    /// Offer id (repeatable); with `status=wachtlijst` this is the offer's waiting list in order.
    #[serde(default)]
    #[param(example = json!([42]))]
    pub aanbod: Vec<i64>,
    /// Status (repeatable: `status=voorgesteld&status=gestart`).
    #[serde(default)]
    #[param(example = json!(["wachtlijst"]))]
    pub status: Vec<DoorverwijzingStatus>,
    /// Who made it (repeatable): `aangemeldDoor=inburgeraar` is the worklist of the newcomers'
    /// own registrations.
    #[serde(default)]
    #[param(example = json!(["inburgeraar"]))]
    pub aangemeld_door: Vec<AangemeldDoor>,
}
