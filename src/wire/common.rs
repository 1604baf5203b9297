//! DTOs several resources share: links to other resources and postal addresses.

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use crate::http::links::Links;
use crate::refdata::RefCache;

/// Link to a municipality.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GemeenteRef {
    /// Absolute link to the municipality.
    pub href: String,
    /// The municipality's NIS code (5 digits).
    #[schema(example = "44021")]
    pub nis_code: String,
    /// The municipality's official name.
    #[schema(example = "Gent")]
    pub naam: String,
}

impl GemeenteRef {
    pub fn new(links: &Links, nis_code: &str, naam: &str) -> GemeenteRef {
        GemeenteRef {
            href: links.href(&format!("/v1/gemeenten/{nis_code}")),
            nis_code: nis_code.into(),
            naam: naam.into(),
        }
    }

    /// With the name from the reference data.
    pub fn cached(links: &Links, refdata: &RefCache, nis_code: &str) -> GemeenteRef {
        let naam = refdata.gemeente(nis_code).map(|g| g.naam.as_str()).unwrap_or_default();
        GemeenteRef::new(links, nis_code, naam)
    }
}

/// Link to an organisation.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrganisatieRef {
    /// Absolute link to the organisation.
    pub href: String,
    /// The organisation's id.
    #[schema(example = 12)]
    pub id: i64,
    /// The organisation's name.
    #[schema(example = "Voetbalclub KAA Gent Dames")]
    pub naam: String,
}

impl OrganisatieRef {
    pub fn new(links: &Links, id: i64, naam: &str) -> OrganisatieRef {
        OrganisatieRef { href: links.href(&format!("/v1/organisaties/{id}")), id, naam: naam.into() }
    }
}

/// A postal address (all parts optional: an activity may only name a place).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema, Validate)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Adres {
    /// Street name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Kortrijksesteenweg")]
    pub straat: Option<String>,
    /// House number, with box or letter if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 20))]
    #[schema(example = "12A")]
    pub huisnummer: Option<String>,
    /// Postal code.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 4, max = 10))]
    #[schema(example = "9000")]
    pub postcode: Option<String>,
    /// Place (municipality or borough).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "Gent")]
    pub plaats: Option<String>,
}

impl Adres {
    pub fn is_empty(&self) -> bool {
        self.straat.is_none() && self.huisnummer.is_none() && self.postcode.is_none() && self.plaats.is_none()
    }
}

/// A stored UTC timestamp as the RFC 3339 date-time clients get.
pub fn utc(t: chrono::NaiveDateTime) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::from_naive_utc_and_offset(t, chrono::Utc)
}

/// A mail address as a requester may see where a link went: the first character of the local
/// part and the domain (`a***@debrug.be`).
pub fn gemaskeerd_adres(adres: &str) -> String {
    match adres.trim().rsplit_once('@') {
        Some((lokaal, domein)) => {
            let eerste: String = lokaal.chars().take(1).collect();
            format!("{eerste}***@{domein}")
        }
        None => "***".into(),
    }
}
