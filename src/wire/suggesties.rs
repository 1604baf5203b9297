//! The bodies of a contract's suggestions (`/v1/inburgeringscontracten/{id}/suggesties`).

use crate::domain::aanbod::Aanbodtype;
use crate::domain::matching::Reden;
use crate::domain::moment::Moment;
use crate::wire::common::GemeenteRef;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// An offer suggested for a newcomer.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Suggestie {
    /// The offer.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42")]
    pub href: String,
    /// Id of the offer.
    #[schema(example = 42)]
    pub id: i64,
    /// The offer's Dutch title.
    #[schema(example = "Buddyproject Samen Geel")]
    pub titel: String,
    /// Kind of activity.
    pub aanbodtype: Aanbodtype,
    /// The municipality where the activity takes place.
    pub gemeente: GemeenteRef,
    /// 0–100: the sum of the reasons' points.
    #[schema(example = 92.0)]
    pub score: f64,
    /// Distance from the centre of the newcomer's municipality, in km.
    #[schema(example = 5.0)]
    pub afstand_km: f64,
    /// Free places now; absent when the offer has no capacity limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 1)]
    pub vrije_plaatsen: Option<i32>,
    /// Places for newcomers; absent means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 8)]
    pub capaciteit: Option<i32>,
    /// Languages (ISO 639-1) in which the newcomer can get support.
    #[schema(example = json!(["en", "ar"]))]
    pub ondersteuningstalen: Vec<String>,
    /// When it takes place (R30): weekly slots and dated sessions; empty when the offer gives
    /// no schedule.
    #[schema(example = json!([{"weekdag": "dinsdag", "van": "19:00", "tot": "21:00"}]))]
    pub momenten: Vec<Moment>,
    /// The points per criterium; they add up to `score`.
    pub redenen: Vec<Reden>,
}

/// Narrowing the suggestions.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct SuggestiesQuery {
    /// Only these kinds of activity (repeatable).
    #[serde(default)]
    pub aanbodtype: Vec<Aanbodtype>,
    /// Search radius around the newcomer's municipality in km (default 25, at most 250). The
    /// distance points fall linearly from 40 at home to 0 at the radius.
    #[param(example = 25)]
    pub max_afstand_km: Option<f64>,
}
