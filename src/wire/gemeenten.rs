//! The bodies of `/v1/gemeenten`: municipalities and the references to them.

use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

/// Region of a municipality: `vlaanderen` or `brussel`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum Gewest {
    Vlaanderen,
    Brussel,
}

/// Filters of the municipality list; repeated parameters are alternatives (OR).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct GemeentenQuery {
    /// Code of a regional network (repeatable).
    #[serde(default)]
    #[param(example = json!(["REFREG03"]))]
    pub regionaal_netwerk: Vec<String>,
    /// Province name (repeatable).
    #[serde(default)]
    #[param(example = json!(["Antwerpen"]))]
    pub provincie: Vec<String>,
    /// Region.
    #[param(example = "vlaanderen")]
    pub gewest: Option<Gewest>,
    /// Part of the name (case and accents ignored) or of a postcode.
    #[param(example = "geel")]
    pub q: Option<String>,
}

/// Link to a regional network.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NetwerkRef {
    /// Absolute URI of the network.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/regionaleNetwerken/REFREG03")]
    pub href: String,
    /// Code of the network (the reference region's code).
    #[schema(example = "REFREG03")]
    pub code: String,
    /// Name of the network.
    #[schema(example = "Kempen")]
    pub naam: String,
}

/// A municipality in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeenteSummary {
    /// Absolute URI of the municipality.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/gemeenten/13008")]
    pub href: String,
    /// NIS code (five digits).
    #[schema(example = "13008")]
    pub nis_code: String,
    /// Official name.
    #[schema(example = "Geel")]
    pub naam: String,
    /// Region.
    pub gewest: Gewest,
    /// Province; absent for Brussels.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Antwerpen")]
    pub provincie: Option<String>,
    /// The regional organisation network that covers this municipality.
    pub regionaal_netwerk: NetwerkRef,
}

/// WGS84 coordinates.
#[derive(Clone, Copy, Debug, Serialize, Deserialize, ToSchema)]
pub struct Coordinaten {
    /// Latitude.
    #[schema(example = 51.16)]
    pub lat: f64,
    /// Longitude.
    #[schema(example = 4.99)]
    pub lon: f64,
}

/// A reference region (referentieregio) of the Flemish government.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Referentieregio {
    /// Code of the reference region.
    #[schema(example = "REFREG03")]
    pub code: String,
    /// Name of the reference region.
    #[schema(example = "Kempen")]
    pub naam: String,
}

/// A municipality that merged into this one on 2025-01-01.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoormaligeGemeente {
    /// Its former NIS code; `GET /v1/gemeenten/{nisCode}` with it redirects here.
    #[schema(example = "71034")]
    pub nis_code: String,
    /// Its former name.
    #[schema(example = "Kortessem")]
    pub naam: String,
}

/// A municipality.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Gemeente {
    /// Absolute URI of this municipality.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/gemeenten/13008")]
    pub self_link: String,
    /// NIS code (five digits).
    #[schema(example = "13008")]
    pub nis_code: String,
    /// Official name.
    #[schema(example = "Geel")]
    pub naam: String,
    /// Region.
    pub gewest: Gewest,
    /// Province; absent for Brussels.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Antwerpen")]
    pub provincie: Option<String>,
    /// The Flemish reference region the municipality belongs to, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub referentieregio: Option<Referentieregio>,
    /// The regional organisation network that covers this municipality.
    pub regionaal_netwerk: NetwerkRef,
    /// Postcodes whose main municipality this is.
    #[schema(example = json!(["2440"]))]
    pub postcodes: Vec<String>,
    /// Centroid of the territory (not the town centre).
    pub ligging: Coordinaten,
    /// Municipalities merged into this one on 2025-01-01.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fusie_van: Vec<VoormaligeGemeente>,
}
