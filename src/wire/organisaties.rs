//! The bodies of `/v1/organisaties`: an organisation and its address.

use crate::domain::aanbod::OrganisatieSoort;
use crate::wire::common::{Adres, GemeenteRef};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

crate::wire::aanbod::of_null!(AdresOfNull, Adres);

/// An organisation as clients write it (`POST`, `PUT`). Unknown fields are refused; every
/// problem is reported at once in the `issues` of a `badRequest`.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisatieInput {
    /// Name of the organisation (1–200 characters).
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// KBO enterprise number (10 digits, mod-97 checked); dots, spaces and a `BE` prefix are
    /// accepted. A number can be registered once (`409` `duplicate`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
    /// Kind of organisation.
    pub soort: OrganisatieSoort,
    /// NIS code of the municipality where the organisation is based (a known municipality).
    #[schema(example = "44021")]
    pub gemeente: String,
    /// Postal address; an empty object is stored as no address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    #[schema(value_type = AdresOfNull)]
    pub adres: Option<Adres>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email)]
    #[schema(example = "info@debrug.be")]
    pub email: Option<String>,
    /// Phone number (6–30 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 6, max = 30))]
    #[schema(example = "+32 9 123 45 67")]
    pub telefoon: Option<String>,
    /// Website (a URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(url)]
    #[schema(example = "https://www.debrug.be")]
    pub website: Option<String>,
}

/// A JSON Merge Patch (RFC 7396) of an organisation: only the fields to change. The patch is
/// applied to the organisation as `OrganisatieInput` and the result is checked exactly as for
/// PUT. Unknown fields are refused (`badRequest`, `unknownInput`); `null` removes an optional
/// field (`kboNummer`, `adres`, `email`, `telefoon`, `website`); `naam`, `soort` and `gemeente`
/// cannot be `null`. `adres` merges part by part (`{"adres": {"huisnummer": null}}`).
///
/// Describes the request body only; the handler merges the raw JSON.
#[allow(dead_code)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OrganisatiePatch {
    /// Name of the organisation (1–200 characters).
    #[serde(default)]
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// KBO enterprise number; `null` removes it.
    #[serde(default)]
    #[schema(example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
    /// Kind of organisation.
    #[serde(default)]
    #[schema(nullable = false)]
    pub soort: Option<OrganisatieSoort>,
    /// NIS code of the municipality; moving needs the right to register organisations there
    /// (an aanbieder may move its own organisation).
    #[serde(default)]
    #[schema(example = "44021")]
    pub gemeente: String,
    /// Address parts to change (each `null` removes that part); `null` removes the address.
    #[serde(default)]
    #[schema(value_type = AdresOfNull)]
    pub adres: Option<Adres>,
    /// E-mail address; `null` removes it.
    #[serde(default)]
    #[schema(example = "info@debrug.be")]
    pub email: Option<String>,
    /// Phone number (6–30 characters); `null` removes it.
    #[serde(default)]
    #[schema(example = "+32 9 765 43 21")]
    pub telefoon: Option<String>,
    /// Website (a URL); `null` removes it.
    #[serde(default)]
    #[schema(example = "https://www.debrug.be")]
    pub website: Option<String>,
}

/// An organisation that offers activities.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Organisatie {
    /// Absolute URI of this organisation.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/organisaties/12")]
    pub self_link: String,
    /// Id of the organisation.
    #[schema(example = 12)]
    pub id: i64,
    /// Name.
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// KBO enterprise number in the official notation `0123.456.789`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
    /// Kind of organisation.
    pub soort: OrganisatieSoort,
    /// The municipality where the organisation is based.
    pub gemeente: GemeenteRef,
    /// Postal address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub adres: Option<Adres>,
    /// E-mail address.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "info@debrug.be")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "+32 9 123 45 67")]
    pub telefoon: Option<String>,
    /// Website.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://www.debrug.be")]
    pub website: Option<String>,
    /// The organisation's offer: a search URI (`/v1/aanbod?organisatie=…`).
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod?organisatie=12")]
    pub aanbod: String,
    /// Version; the `ETag` of this document.
    #[schema(example = 2)]
    pub versie: i64,
    /// When the organisation was registered.
    pub aangemaakt_op: DateTime<Utc>,
    /// When it last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// An organisation in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieSummary {
    /// Absolute URI of the organisation.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/organisaties/12")]
    pub href: String,
    /// Id of the organisation.
    #[schema(example = 12)]
    pub id: i64,
    /// Name.
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
    /// Kind of organisation.
    pub soort: OrganisatieSoort,
    /// The municipality where the organisation is based.
    pub gemeente: GemeenteRef,
    /// KBO enterprise number in the official notation `0123.456.789`.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "0203.201.340")]
    pub kbo_nummer: Option<String>,
}

/// Filters of the organisation list; repeated parameters are alternatives.
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct OrganisatiesQuery {
    /// NIS code (repeatable).
    #[serde(default)]
    #[param(example = json!(["44021"]))]
    pub gemeente: Vec<String>,
    /// Kind (repeatable).
    #[serde(default)]
    pub soort: Vec<OrganisatieSoort>,
    /// KBO enterprise number, with or without dots (checked: a wrong one is `400`).
    #[param(example = "0203201340")]
    pub kbo_nummer: Option<String>,
    /// Part of the name (case and accents ignored).
    #[param(example = "brug")]
    pub q: Option<String>,
}
