//! The aanbod DTOs (what clients write and read) and their conversion to and from storage.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::aanbod::{AanbodStatus, Aanbodtype, Contactpersoon, Sortering, normaliseer_thema, zoektekst};
use crate::domain::geo::{Punt, geocel};
use crate::domain::moment::{self, Dagdeel, Moment, Weekdag};
use crate::domain::nis::NisCode;
use crate::domain::taal::{self, Vertalingen};
use crate::error::{InputIssue, InputLocation};
use crate::http::links::Links;
use crate::refdata::RefCache;
use crate::repo::aanbod::{AanbodInhoud, AanbodKaart, AanbodRow};
use crate::wire::common::{GemeenteRef, OrganisatieRef, utc};

/// A document-only schema `oneOf: [$ref <T>, null]` for an optional field the API also accepts as
/// `null` (merge patches: `null` removes it). A named wrapper, so the field that uses it can
/// carry its own description next to the `$ref`.
macro_rules! of_null {
    ($(#[$doc:meta])* $name:ident, $t:ty) => {
        $(#[$doc])*
        #[allow(dead_code)]
        pub struct $name;

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::OneOfBuilder::new()
                    .item(utoipa::openapi::Ref::from_schema_name(<$t as utoipa::ToSchema>::name()))
                    .item(utoipa::openapi::schema::Object::with_type(utoipa::openapi::schema::Type::Null))
                    .description(Some(format!("`{}`, or `null`.", <$t as utoipa::ToSchema>::name())))
                    .into()
            }
        }

        impl utoipa::ToSchema for $name {
            fn schemas(
                schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>,
            ) {
                schemas.push((
                    <$t as utoipa::ToSchema>::name().into_owned(),
                    <$t as utoipa::PartialSchema>::schema(),
                ));
                <$t as utoipa::ToSchema>::schemas(schemas);
            }
        }
    };
}
pub(crate) use of_null;

of_null!(LocatieInputOfNull, LocatieInput);
of_null!(ContactpersoonOfNull, Contactpersoon);
of_null!(ContactpersoonPatchOfNull, ContactpersoonPatch);
of_null!(AanbodPeriodeOfNull, Periode);

/// Where the activity takes place. Without coordinates, distance search uses the centre of
/// the municipality's territory.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct LocatieInput {
    /// Street (1–200 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Sint-Pietersplein")]
    pub straat: Option<String>,
    /// House number, with a box or letter if any (1–20 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 20))]
    #[schema(example = "5")]
    pub huisnummer: Option<String>,
    /// Postcode (4–10 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 4, max = 10))]
    #[schema(example = "9000")]
    pub postcode: Option<String>,
    /// Place name (1–100 characters).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 100))]
    #[schema(example = "Gent")]
    pub plaats: Option<String>,
    /// WGS84 latitude, 49–52 (in or near Belgium); give `lat` and `lon` together or neither.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 51.0425)]
    pub lat: Option<f64>,
    /// WGS84 longitude, 2–7; with `lat`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 3.7265)]
    pub lon: Option<f64>,
}

/// When the activity runs (yyyy-MM-dd); either end may be open. `tot` may not lie before `van`.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AanbodPeriode)]
pub struct Periode {
    /// First day; absent means it already runs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2026-09-01")]
    pub van: Option<NaiveDate>,
    /// Last day (inclusive); absent means open-ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = "2027-06-30")]
    pub tot: Option<NaiveDate>,
}

fn default_true() -> bool {
    true
}

/// An offer as clients write it (`POST /v1/aanbod`, `PUT /v1/aanbod/{id}`; a feed item is this
/// plus `externId`). Unknown fields are refused. Every problem is reported at once, in the
/// `issues` of a `badRequest`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct AanbodInput {
    /// Title per ISO 639-1 language, at most 200 characters each; `nl` is required.
    #[schema(value_type = std::collections::BTreeMap<String, String>, example = json!({"nl": "Taalcafé De Brug", "en": "Language café De Brug"}))]
    pub titel: Vertalingen,
    /// Description per ISO 639-1 language, at most 5,000 characters each; `nl` is required.
    #[schema(value_type = std::collections::BTreeMap<String, String>, example = json!({"nl": "Elke dinsdag praten we Nederlands bij koffie.", "en": "Every Tuesday we speak Dutch over coffee."}))]
    pub beschrijving: Vertalingen,
    /// Kind of activity.
    pub aanbodtype: Aanbodtype,
    /// Id of the organisation that runs the activity; it must exist. An aanbieder may only
    /// name its own organisation.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(example = 12)]
    pub organisatie: Option<i64>,
    /// NIS code of the municipality where the activity takes place (a known municipality).
    #[schema(example = "44021")]
    pub gemeente: String,
    /// Address and coordinates; without coordinates distance search uses the municipality's
    /// centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    #[schema(value_type = LocatieInputOfNull)]
    pub locatie: Option<LocatieInput>,
    /// Who to contact about the activity; this person also confirms the hours.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(nested)]
    #[schema(value_type = ContactpersoonOfNull)]
    pub contactpersoon: Option<Contactpersoon>,
    /// R11: the activity takes place in a Dutch-speaking context.
    pub nederlandstalige_context: bool,
    /// R11: the activity promotes social participation.
    pub sociale_participatie: bool,
    /// R13b guidance: done in a pair or a group. Required and explicit, but not a condition to
    /// qualify; it counts in the suggestion score.
    pub in_groep: bool,
    /// R13b: meets people outside one's own circle (guidance, not required to qualify;
    /// default false).
    #[serde(default)]
    pub buiten_eigen_kring: bool,
    /// R13b: a good chance of lasting contacts (guidance, not required to qualify; default
    /// false).
    #[serde(default)]
    pub duurzaam_contact: bool,
    /// Languages (ISO 639-1) in which newcomers can get support; duplicates are dropped.
    #[serde(default)]
    #[schema(example = json!(["en", "ar"]))]
    pub ondersteuningstalen: Vec<String>,
    /// Expected hours per week (more than 0, at most 40).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(exclusive_min = 0.0, max = 40.0))]
    #[schema(example = 2.0)]
    pub verwachte_uren_per_week: Option<f64>,
    /// When the activity runs; absent means always.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(value_type = AanbodPeriodeOfNull)]
    pub periode: Option<Periode>,
    /// Places for newcomers (1–100,000); absent means no limit. Referrals beyond it wait.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 100000))]
    #[schema(example = 8)]
    pub capaciteit: Option<i32>,
    /// Free of charge for the newcomer (default true).
    #[serde(default = "default_true")]
    pub kosteloos: bool,
    /// Free tags of 1–50 characters, at most 20, e.g. `sport`, `koken`; stored trimmed and in
    /// lower case.
    #[serde(default)]
    #[validate(length(max = 20))]
    #[schema(example = json!(["taal", "ontmoeting"]))]
    pub themas: Vec<String>,
    /// When it takes place (R30): weekly slots (`weekdag`, `van`, `tot`, optionally
    /// `geldigVan`/`geldigTot`) and/or dated sessions (`datum`, `van`, `tot`), at most 100;
    /// exact duplicates are dropped. Absent or empty: no schedule given (the offer is then
    /// found by no `weekdag` or `dagdeel` filter).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schema(example = json!([{"weekdag": "dinsdag", "van": "19:00", "tot": "21:00"}, {"datum": "2026-10-10", "van": "10:00", "tot": "12:30"}]))]
    pub momenten: Vec<Moment>,
}

impl AanbodInput {
    /// Turns the input into what is stored, checking what the attributes cannot: translations,
    /// language codes, the municipality, coordinates, the period. All problems at once.
    pub fn into_inhoud(self, refdata: &RefCache) -> Result<AanbodInhoud, Vec<InputIssue>> {
        let mut issues = Vec::new();
        let issue = |name: &str, detail: String| InputIssue::invalid(InputLocation::Body, name, detail);
        for (field, v, max) in [("titel", &self.titel, 200), ("beschrijving", &self.beschrijving, 5000)] {
            for (lang, msg) in taal::check_vertalingen(v, max) {
                let name = if lang.is_empty() { field.to_string() } else { format!("{field}.{lang}") };
                issues.push(issue(&name, format!("{name}: {msg}")));
            }
        }
        // A known municipality's code is a NIS code; the lookup is on the input as given.
        let gemeente = refdata.gemeente(&self.gemeente).and_then(|g| Some((g, NisCode::parse(&self.gemeente).ok()?)));
        if gemeente.is_none() {
            issues.push(
                InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "gemeente",
                    format!("No municipality with NIS code '{}'", self.gemeente),
                )
                .with_value(&self.gemeente),
            );
        }
        let mut talen: Vec<String> = Vec::new();
        for (i, t) in self.ondersteuningstalen.iter().enumerate() {
            let t = t.trim().to_ascii_lowercase();
            if !taal::is_language_code(&t) {
                issues.push(issue(
                    &format!("ondersteuningstalen[{i}]"),
                    format!("'{t}' is not an ISO 639-1 language code"),
                ));
            } else if !talen.contains(&t) {
                talen.push(t);
            }
        }
        let mut themas: Vec<String> = Vec::new();
        for (i, t) in self.themas.iter().enumerate() {
            let t = normaliseer_thema(t);
            if t.is_empty() || t.chars().count() > 50 {
                issues.push(issue(&format!("themas[{i}]"), "a theme has 1 to 50 characters".into()));
            } else if !themas.contains(&t) {
                themas.push(t);
            }
        }
        let locatie = self.locatie.unwrap_or_default();
        let punt = match (locatie.lat, locatie.lon) {
            (Some(lat), Some(lon)) if (49.0..=52.0).contains(&lat) && (2.0..=7.0).contains(&lon) => {
                Some(Punt { lat, lon })
            }
            (Some(_), Some(_)) => {
                issues.push(issue("locatie", "coordinates must lie in or near Belgium (lat 49–52, lon 2–7)".into()));
                None
            }
            (None, None) => None,
            _ => {
                issues.push(issue("locatie", "give both lat and lon, or neither".into()));
                None
            }
        };
        if let Some(p) = &self.periode
            && let (Some(van), Some(tot)) = (p.van, p.tot)
            && tot < van
        {
            issues.push(issue("periode", "periode.tot lies before periode.van".into()));
        }
        let (periode_van, periode_tot) = self.periode.as_ref().map_or((None, None), |p| (p.van, p.tot));
        for (name, detail) in moment::controleer(&self.momenten, periode_van, periode_tot) {
            issues.push(issue(&name, format!("{name}: {detail}")));
        }
        let mut momenten: Vec<Moment> = Vec::new();
        for m in self.momenten {
            if !momenten.contains(&m) {
                momenten.push(m);
            }
        }
        let Some((gemeente, nis)) = gemeente.filter(|_| issues.is_empty()) else {
            return Err(issues);
        };
        let exact = punt.is_some();
        let punt = punt.unwrap_or(Punt { lat: gemeente.lat, lon: gemeente.lon });
        let adres = LocatieInput { lat: None, lon: None, ..locatie };
        let zoek = zoektekst(
            self.titel
                .values()
                .chain(self.beschrijving.values())
                .map(String::as_str)
                .chain(themas.iter().map(String::as_str)),
        );
        Ok(AanbodInhoud {
            titel_nl: self.titel.get(taal::DEFAULT_LANGUAGE).cloned().unwrap_or_default(),
            titel: serde_json::to_string(&self.titel).unwrap_or_default(),
            beschrijving: serde_json::to_string(&self.beschrijving).unwrap_or_default(),
            aanbodtype: self.aanbodtype,
            organisatie_id: self.organisatie,
            gemeente: nis,
            adres: (adres != LocatieInput::default()).then(|| serde_json::to_string(&adres).unwrap_or_default()),
            lat: punt.lat,
            lon: punt.lon,
            locatie_exact: exact,
            geocel: geocel(punt.lat, punt.lon),
            contactpersoon: self.contactpersoon.map(|c| serde_json::to_string(&c).unwrap_or_default()),
            nederlandstalige_context: self.nederlandstalige_context,
            sociale_participatie: self.sociale_participatie,
            in_groep: self.in_groep,
            buiten_eigen_kring: self.buiten_eigen_kring,
            duurzaam_contact: self.duurzaam_contact,
            ondersteuningstalen: talen.join(","),
            verwachte_uren_per_week: self.verwachte_uren_per_week,
            periode_van: self.periode.as_ref().and_then(|p| p.van),
            periode_tot: self.periode.as_ref().and_then(|p| p.tot),
            capaciteit: self.capaciteit,
            kosteloos: self.kosteloos,
            themas: serde_json::to_string(&themas).unwrap_or_else(|_| "[]".into()),
            zoektekst: zoek,
            momenten: serde_json::to_string(&momenten).unwrap_or_else(|_| "[]".into()),
        })
    }
}

/// A JSON Merge Patch (RFC 7396) of an offer: only the fields to change. The patch is applied
/// to the offer as `AanbodInput` and the result must be a valid offer, checked exactly as for
/// PUT. Unknown fields are refused (`badRequest`, `unknownInput`). `null` removes an optional
/// field and resets one with a default to it; a field every offer needs (`titel`,
/// `beschrijving`, `aanbodtype`, `gemeente`, `nederlandstaligeContext`, `socialeParticipatie`,
/// `inGroep`) cannot be `null`. Objects merge: `{"titel": {"en": null}}` removes the English
/// title only, `{"locatie": {"straat": "Kouter"}}` changes only the street; arrays are replaced
/// as a whole.
///
/// Describes the request body only; the handler merges the raw JSON.
#[allow(dead_code)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"titel": {"ar": "مقهى اللغة"}, "capaciteit": null, "periode": {"tot": "2027-06-30"}}))]
pub struct AanbodPatch {
    /// Translations to add or change; `null` for a language removes it (`nl` cannot be removed).
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, Option<String>>, example = json!({"en": "Language café De Brug", "fr": null}))]
    pub titel: std::collections::BTreeMap<String, Option<String>>,
    /// Descriptions to add or change, like `titel`.
    #[serde(default)]
    #[schema(value_type = std::collections::BTreeMap<String, Option<String>>, example = json!({"en": "Every Tuesday we speak Dutch over coffee."}))]
    pub beschrijving: std::collections::BTreeMap<String, Option<String>>,
    /// Kind of activity.
    #[serde(default)]
    #[schema(nullable = false)]
    pub aanbodtype: Option<Aanbodtype>,
    /// Id of the organisation that runs the activity; `null` detaches the offer from its
    /// organisation (not allowed for an aanbieder, who can only manage its own organisation's
    /// offers).
    #[serde(default)]
    #[schema(example = 12)]
    pub organisatie: Option<i64>,
    /// NIS code of the municipality; moving an offer needs the right to create offers there.
    #[serde(default)]
    #[schema(example = "44021")]
    pub gemeente: String,
    /// Address parts to change (each `null` removes that part); `null` removes the whole
    /// location (distance search then uses the municipality's centre).
    #[serde(default)]
    #[schema(value_type = LocatieInputOfNull)]
    pub locatie: Option<LocatieInput>,
    /// Contact fields to change; `null` removes the contact person. When the offer has none
    /// yet, the patch must give `naam`.
    #[serde(default)]
    #[schema(value_type = ContactpersoonPatchOfNull)]
    pub contactpersoon: Option<ContactpersoonPatch>,
    /// R11: in a Dutch-speaking context.
    #[serde(default)]
    pub nederlandstalige_context: bool,
    /// R11: promotes social participation.
    #[serde(default)]
    pub sociale_participatie: bool,
    /// R13b: in a pair or a group.
    #[serde(default)]
    pub in_groep: bool,
    /// R13b: meets people outside one's own circle; `null` resets it to false.
    #[serde(default)]
    pub buiten_eigen_kring: Option<bool>,
    /// R13b: a good chance of lasting contacts; `null` resets it to false.
    #[serde(default)]
    pub duurzaam_contact: Option<bool>,
    /// Support languages (ISO 639-1), replacing the list; `null` empties it.
    #[serde(default)]
    #[schema(example = json!(["en", "ar", "uk"]))]
    pub ondersteuningstalen: Option<Vec<String>>,
    /// Expected hours per week (more than 0, at most 40); `null` removes it.
    #[serde(default)]
    #[schema(example = 3.0)]
    pub verwachte_uren_per_week: Option<f64>,
    /// Ends of the period to change (each `null` opens that end); `null` removes the period.
    #[serde(default)]
    #[schema(value_type = AanbodPeriodeOfNull)]
    pub periode: Option<Periode>,
    /// Places for newcomers (1–100,000); `null` removes the limit. Referrals waiting for a
    /// place get one when the capacity grows.
    #[serde(default)]
    #[schema(example = 12)]
    pub capaciteit: Option<i32>,
    /// Free of charge for the newcomer; `null` resets it to true.
    #[serde(default)]
    pub kosteloos: Option<bool>,
    /// Theme tags, replacing the list; `null` empties it.
    #[serde(default)]
    #[schema(example = json!(["taal", "koken"]))]
    pub themas: Option<Vec<String>>,
    /// The schedule (R30), replacing the list; `null` empties it.
    #[serde(default)]
    #[schema(example = json!([{"weekdag": "donderdag", "van": "14:00", "tot": "16:00"}]))]
    pub momenten: Option<Vec<Moment>>,
}

/// The contact person in a merge patch: the fields to change. `naam` cannot be removed.
#[allow(dead_code)]
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ContactpersoonPatch {
    /// Name (1–200 characters); required when the offer has no contact person yet.
    #[serde(default)]
    #[schema(example = "An Peeters")]
    pub naam: String,
    /// E-mail address; `null` removes it.
    #[serde(default)]
    #[schema(example = "an.peeters@example.be")]
    pub email: Option<String>,
    /// Phone number (6–30 characters); `null` removes it.
    #[serde(default)]
    #[schema(example = "+32 470 12 34 56")]
    pub telefoon: Option<String>,
}

/// The location as clients read it: the address parts that were given, and always
/// coordinates.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Locatie {
    /// Street.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Sint-Pietersplein")]
    pub straat: Option<String>,
    /// House number.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "5")]
    pub huisnummer: Option<String>,
    /// Postcode.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "9000")]
    pub postcode: Option<String>,
    /// Place name.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "Gent")]
    pub plaats: Option<String>,
    /// WGS84 latitude: the activity's, or the municipality's centre when `exact` is false.
    #[schema(example = 51.0425)]
    pub lat: f64,
    /// WGS84 longitude, like `lat`.
    #[schema(example = 3.7265)]
    pub lon: f64,
    /// False when the coordinates are the municipality's centre, not the activity's address.
    pub exact: bool,
}

/// The texts in the language chosen by `lang` or `Accept-Language` (Dutch when missing).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[schema(as = AanbodWeergave)]
pub struct Weergave {
    /// The language shown (ISO 639-1): `lang` if the offer has it, else the best match of
    /// `Accept-Language`, else `nl`. Also sent as `Content-Language`.
    #[schema(example = "en")]
    pub taal: String,
    /// The title in `taal`.
    #[schema(example = "Language café De Brug")]
    pub titel: String,
    /// The description in `taal`.
    #[schema(example = "Every Tuesday we speak Dutch over coffee.")]
    pub beschrijving: String,
}

/// An offer: an activity where newcomers do their participation hours.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Aanbod {
    /// Absolute URI of this offer.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42")]
    pub self_link: String,
    /// Id of the offer.
    #[schema(example = 42)]
    pub id: i64,
    /// All translations of the title.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub titel: Vertalingen,
    /// All translations of the description.
    #[schema(value_type = std::collections::BTreeMap<String, String>)]
    pub beschrijving: Vertalingen,
    /// Title and description in the requested language.
    pub weergave: Weergave,
    /// Kind of activity.
    pub aanbodtype: Aanbodtype,
    /// The organisation that runs the activity, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub organisatie: Option<OrganisatieRef>,
    /// The municipality where the activity takes place.
    pub gemeente: GemeenteRef,
    /// Where the activity takes place.
    pub locatie: Locatie,
    /// Who to contact; also confirms the hours.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub contactpersoon: Option<Contactpersoon>,
    /// R11: in a Dutch-speaking context.
    pub nederlandstalige_context: bool,
    /// R11: promotes social participation.
    pub sociale_participatie: bool,
    /// R13b: done in a pair or a group.
    pub in_groep: bool,
    /// R13b: meets people outside one's own circle (guidance).
    pub buiten_eigen_kring: bool,
    /// R13b: a good chance of lasting contacts (guidance).
    pub duurzaam_contact: bool,
    /// Qualifies for the PNT: the two conditions, Dutch-speaking context and social participation
    /// (R11). The R13b guidance fields do not decide it.
    pub kwalificeert_voor_pnt: bool,
    /// Languages (ISO 639-1) in which newcomers can get support.
    #[schema(example = json!(["en", "ar"]))]
    pub ondersteuningstalen: Vec<String>,
    /// Expected hours per week.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 2.0)]
    pub verwachte_uren_per_week: Option<f64>,
    /// When the activity runs; absent means always.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub periode: Option<Periode>,
    /// Places for newcomers; absent means no limit.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 8)]
    pub capaciteit: Option<i32>,
    /// Free of charge for the newcomer.
    pub kosteloos: bool,
    /// Theme tags, in lower case.
    #[schema(example = json!(["taal", "ontmoeting"]))]
    pub themas: Vec<String>,
    /// When it takes place (R30): weekly slots and dated sessions, as written; empty when no
    /// schedule was given.
    #[schema(example = json!([{"weekdag": "dinsdag", "van": "19:00", "tot": "21:00"}]))]
    pub momenten: Vec<Moment>,
    /// Moderation state; only `gepubliceerd` offers are public.
    pub status: AanbodStatus,
    /// Why the offer was rejected (with `afgekeurd`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub status_motivatie: Option<String>,
    /// Feed source: the id of the feed client that pushed the offer (feed items only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "pnt-9f3a6c1e2b7d4a50")]
    pub bron: Option<String>,
    /// The item's id in the feed source (feed items only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = "uit-2026-00042")]
    pub extern_id: Option<String>,
    /// Version; the `ETag` of this document.
    #[schema(example = 3)]
    pub versie: i64,
    /// When the offer was created.
    pub aangemaakt_op: DateTime<Utc>,
    /// When the offer last changed (content or state).
    pub gewijzigd_op: DateTime<Utc>,
}

/// An offer in a search result.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodSummary {
    /// Absolute URI of the offer.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/aanbod/42")]
    pub href: String,
    /// Id of the offer.
    #[schema(example = 42)]
    pub id: i64,
    /// The title in the requested language.
    #[schema(example = "Taalcafé De Brug")]
    pub titel: String,
    /// The language of `titel`.
    #[schema(example = "nl")]
    pub taal: String,
    /// Kind of activity.
    pub aanbodtype: Aanbodtype,
    /// The municipality where the activity takes place.
    pub gemeente: GemeenteRef,
    /// Moderation state.
    pub status: AanbodStatus,
    /// R13b: done in a pair or a group.
    pub in_groep: bool,
    /// Meets the two PNT conditions (R11).
    pub kwalificeert_voor_pnt: bool,
    /// When the activity runs; absent means always.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub periode: Option<Periode>,
    /// When it takes place (R30): weekly slots and dated sessions; empty when no schedule was
    /// given.
    #[schema(example = json!([{"weekdag": "dinsdag", "van": "19:00", "tot": "21:00"}]))]
    pub momenten: Vec<Moment>,
    /// Distance from `near`, in km (with `near` only).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(example = 3.4)]
    pub afstand_km: Option<f64>,
    /// When the offer last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// Search filters; repeated parameters are alternatives (OR), different ones all apply (AND).
#[derive(Clone, Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct AanbodQuery {
    /// Free text in any language over title, description and themes; every word must match, as a
    /// prefix, accents ignored, Dutch stems matched (`voetbal` finds `voetballen`); relevance is
    /// BM25.
    #[param(example = "taalcafé")]
    pub q: Option<String>,
    /// NIS code of the municipality (repeatable).
    #[serde(default)]
    #[param(example = json!(["44021"]))]
    pub gemeente: Vec<String>,
    /// Regional network code (repeatable).
    #[serde(default)]
    #[param(example = json!(["REFREG13"]))]
    pub regionaal_netwerk: Vec<String>,
    /// Kind of activity (repeatable).
    #[serde(default)]
    pub aanbodtype: Vec<Aanbodtype>,
    /// Support language, ISO 639-1 (repeatable).
    #[serde(default)]
    #[param(example = json!(["en"]))]
    pub taal: Vec<String>,
    /// Theme tag (repeatable; case and extra spaces ignored).
    #[serde(default)]
    #[param(example = json!(["sport"]))]
    pub thema: Vec<String>,
    /// Only offers in a Dutch-speaking context (`true`) or only those that are not (`false`).
    #[param(example = true)]
    pub nederlandstalige_context: Option<bool>,
    /// Only offers done in a pair or group (`true`) or only those that are not (`false`)
    /// (R13b guidance).
    #[param(example = true)]
    pub in_groep: Option<bool>,
    /// Only offers that meet people outside one's own circle (`true`) or only those that do not
    /// declare it (`false`) (R13b guidance).
    #[param(example = true)]
    pub buiten_eigen_kring: Option<bool>,
    /// Only offers with a good chance of lasting contacts (`true`) or only those that do not
    /// declare it (`false`) (R13b guidance).
    #[param(example = true)]
    pub duurzaam_contact: Option<bool>,
    /// Only offers that meet the two PNT conditions (Dutch-speaking context and social
    /// participation, R11), or only those that do not.
    pub kwalificeert: Option<bool>,
    /// Only free offers (`true`) or only paying ones (`false`).
    #[param(example = true)]
    pub kosteloos: Option<bool>,
    /// Only offers whose period includes this date.
    #[param(example = "2026-12-01")]
    pub beschikbaar_op: Option<NaiveDate>,
    /// `lat,lon`: only offers within `radiusKm` of this point; items get `afstandKm`.
    #[param(example = "51.0543,3.7174")]
    pub near: Option<String>,
    /// Radius for `near` in km (default 10, at most 250).
    #[param(example = 10)]
    pub radius_km: Option<f64>,
    /// Day of the week (repeatable, R30): offers with a weekly slot on that day, or a dated
    /// session falling on it. Validity dates (`geldigVan`/`geldigTot`) and past sessions are
    /// not considered; combine with `beschikbaarOp` for a date.
    #[serde(default)]
    #[param(example = json!(["dinsdag"]))]
    pub weekdag: Vec<Weekdag>,
    /// Part of the day (repeatable, R30): `voormiddag` 00:00–12:00, `namiddag` 12:00–18:00,
    /// `avond` 18:00–24:00. A moment matches when it overlaps the part by at least a minute
    /// (starts before its end and ends after its start: 11:00–13:00 is voormiddag and
    /// namiddag, 17:00–18:00 only namiddag). With `weekdag`, one and the same moment must match
    /// both.
    #[serde(default)]
    #[param(example = json!(["avond"]))]
    pub dagdeel: Vec<Dagdeel>,
    /// Facets to count next to the page, comma-separated or repeated: `aanbodtype`,
    /// `gemeente`, `regionaalNetwerk`, `taal`, `weekdag`. Each facet counts the offers that
    /// match every other filter of the request, ignoring its own (`gemeente` ignores
    /// `gemeente`, `regionaalNetwerk` ignores `regionaalNetwerk`, `weekdag` ignores `weekdag`
    /// but counts only moments in the requested `dagdeel`). Cost: one extra counting query per
    /// facet, each as expensive as the page's `total`; ask only for what you show.
    #[serde(default)]
    #[param(example = json!(["aanbodtype,gemeente"]))]
    pub facetten: Vec<String>,
    /// Moderation state (repeatable; default `gepubliceerd`). Other states show only what
    /// the caller may manage.
    #[serde(default)]
    pub status: Vec<AanbodStatus>,
    /// Only the offers of this organisation (id).
    #[param(example = 12)]
    pub organisatie: Option<i64>,
    /// Sort keys (repeatable): `-gewijzigdOp` (default), `gewijzigdOp`, `titel`, `-titel`,
    /// `afstand` (with `near`), `relevantie` (default with `q`).
    #[serde(default)]
    #[param(value_type = Vec<String>, example = json!(["afstand"]))]
    pub sort: Vec<Sortering>,
    /// Language of `titel` in the results (overrides `Accept-Language`).
    #[param(example = "en")]
    pub lang: Option<String>,
}

/// One value of a facet and the number of offers with it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FacetWaarde {
    /// The value, as the filter of the same name takes it (a NIS code for `gemeente`, a network
    /// code for `regionaalNetwerk`, an ISO 639-1 code for `taal`).
    #[schema(example = "praattafel")]
    pub waarde: String,
    /// Offers with this value under the request's other filters (at least 1).
    #[schema(example = 12, minimum = 1)]
    pub aantal: i64,
}

/// The requested facets (`facetten`): per facet the values that occur, most offers first (ties
/// by value). Each counts the offers matching every filter of the request except its own; an
/// offer with several languages or days counts once for each.
#[derive(Clone, Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AanbodFacetten {
    /// Offers per kind of activity.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub aanbodtype: Option<Vec<FacetWaarde>>,
    /// Offers per municipality (NIS code).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub gemeente: Option<Vec<FacetWaarde>>,
    /// Offers per regional network (code).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub regionaal_netwerk: Option<Vec<FacetWaarde>>,
    /// Offers per support language (ISO 639-1).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub taal: Option<Vec<FacetWaarde>>,
    /// Offers per day of the week (weekly slots and dated sessions; only moments in the
    /// requested `dagdeel`).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub weekdag: Option<Vec<FacetWaarde>>,
}

/// A page of the offer search (a belgif collection), with `facetten` when asked.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct AanbodZoekresultaat {
    #[serde(flatten)]
    pub pagina: crate::http::collection::Collection<AanbodSummary>,
    /// The requested facets.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facetten: Option<AanbodFacetten>,
}

/// The collection's schema with one more property, `facetten`.
impl utoipa::PartialSchema for AanbodZoekresultaat {
    fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
        use utoipa::openapi::schema::Schema;
        use utoipa::openapi::{Ref, RefOr};
        let pagina =
            <crate::http::collection::Collection<AanbodSummary> as utoipa::__dev::ComposeSchema>::compose(Vec::new());
        match pagina {
            RefOr::T(Schema::Object(mut o)) => {
                o.description = Some(
                    "A page of `AanbodSummary` items with the links to the other pages (belgif collection), and \
                     the requested facets."
                        .into(),
                );
                let mut facetten = Ref::from_schema_name(<AanbodFacetten as ToSchema>::name());
                facetten.description = "The requested facets; absent without `facetten`.".into();
                o.properties.insert("facetten".into(), RefOr::Ref(facetten));
                RefOr::T(Schema::Object(o))
            }
            other => other,
        }
    }
}

impl ToSchema for AanbodZoekresultaat {
    fn name() -> std::borrow::Cow<'static, str> {
        std::borrow::Cow::Borrowed("AanbodZoekresultaat")
    }

    fn schemas(schemas: &mut Vec<(String, utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>)>) {
        use utoipa::PartialSchema;
        schemas.push((AanbodSummary::name().into_owned(), AanbodSummary::schema()));
        AanbodSummary::schemas(schemas);
        schemas.push((AanbodFacetten::name().into_owned(), AanbodFacetten::schema()));
        AanbodFacetten::schemas(schemas);
    }
}

/// Only `lang`, for single offers.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LangQuery {
    /// Language of `weergave` (overrides `Accept-Language`).
    #[param(example = "en")]
    pub lang: Option<String>,
}

pub fn vertalingen(json: &str) -> Vertalingen {
    serde_json::from_str(json).unwrap_or_default()
}

fn periode(van: Option<NaiveDate>, tot: Option<NaiveDate>) -> Option<Periode> {
    (van.is_some() || tot.is_some()).then_some(Periode { van, tot })
}

pub fn href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/aanbod/{id}"))
}

impl AanbodRow {
    /// The writable representation, base of a merge patch.
    pub fn input(&self) -> AanbodInput {
        let adres: LocatieInput = self.adres.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
        let locatie = if self.locatie_exact {
            Some(LocatieInput { lat: Some(self.lat), lon: Some(self.lon), ..adres })
        } else {
            (adres != LocatieInput::default()).then_some(adres)
        };
        AanbodInput {
            titel: vertalingen(&self.titel),
            beschrijving: vertalingen(&self.beschrijving),
            aanbodtype: self.aanbodtype,
            organisatie: self.organisatie_id,
            gemeente: self.gemeente.to_string(),
            locatie,
            contactpersoon: self.contactpersoon.as_deref().and_then(|c| serde_json::from_str(c).ok()),
            nederlandstalige_context: self.nederlandstalige_context,
            sociale_participatie: self.sociale_participatie,
            in_groep: self.in_groep,
            buiten_eigen_kring: self.buiten_eigen_kring,
            duurzaam_contact: self.duurzaam_contact,
            ondersteuningstalen: self.talen(),
            verwachte_uren_per_week: self.verwachte_uren_per_week,
            periode: periode(self.periode_van, self.periode_tot),
            capaciteit: self.capaciteit,
            kosteloos: self.kosteloos,
            themas: serde_json::from_str(&self.themas).unwrap_or_default(),
            momenten: self.momenten(),
        }
    }

    /// The schedule as written (R30).
    pub fn momenten(&self) -> Vec<Moment> {
        serde_json::from_str(&self.momenten).unwrap_or_default()
    }

    fn talen(&self) -> Vec<String> {
        self.ondersteuningstalen.split(',').filter(|t| !t.is_empty()).map(str::to_string).collect()
    }

    pub fn document(
        self,
        links: &Links,
        refdata: &RefCache,
        organisatie_naam: Option<String>,
        lang: Option<&str>,
        accept: Option<&str>,
    ) -> Aanbod {
        let titel = vertalingen(&self.titel);
        let beschrijving = vertalingen(&self.beschrijving);
        let gekozen = taal::choose(titel.keys().map(String::as_str), lang, accept);
        let adres: LocatieInput = self.adres.as_deref().and_then(|a| serde_json::from_str(a).ok()).unwrap_or_default();
        Aanbod {
            self_link: href(links, self.id),
            id: self.id,
            weergave: Weergave {
                titel: taal::text_in(&titel, &gekozen).to_string(),
                beschrijving: taal::text_in(&beschrijving, &gekozen).to_string(),
                taal: gekozen,
            },
            aanbodtype: self.aanbodtype,
            organisatie: self
                .organisatie_id
                .map(|id| OrganisatieRef::new(links, id, organisatie_naam.as_deref().unwrap_or_default())),
            gemeente: GemeenteRef::cached(links, refdata, self.gemeente.as_str()),
            locatie: Locatie {
                straat: adres.straat,
                huisnummer: adres.huisnummer,
                postcode: adres.postcode,
                plaats: adres.plaats,
                lat: self.lat,
                lon: self.lon,
                exact: self.locatie_exact,
            },
            contactpersoon: self.contactpersoon.as_deref().and_then(|c| serde_json::from_str(c).ok()),
            nederlandstalige_context: self.nederlandstalige_context,
            sociale_participatie: self.sociale_participatie,
            in_groep: self.in_groep,
            buiten_eigen_kring: self.buiten_eigen_kring,
            duurzaam_contact: self.duurzaam_contact,
            kwalificeert_voor_pnt: self.criteria().kwalificeert(),
            ondersteuningstalen: self.talen(),
            verwachte_uren_per_week: self.verwachte_uren_per_week,
            periode: periode(self.periode_van, self.periode_tot),
            capaciteit: self.capaciteit,
            kosteloos: self.kosteloos,
            themas: serde_json::from_str(&self.themas).unwrap_or_default(),
            momenten: self.momenten(),
            status: self.status,
            status_motivatie: self.status_motivatie.clone(),
            bron: self.bron.clone(),
            extern_id: self.extern_id.clone(),
            versie: self.versie,
            aangemaakt_op: utc(self.aangemaakt_op),
            gewijzigd_op: utc(self.gewijzigd_op),
            titel,
            beschrijving,
        }
    }
}

impl AanbodKaart {
    pub fn summary(
        &self,
        links: &Links,
        refdata: &RefCache,
        lang: Option<&str>,
        accept: Option<&str>,
        near: Option<&Punt>,
    ) -> AanbodSummary {
        let gekozen = taal::choose(self.titel.keys().map(String::as_str), lang, accept);
        AanbodSummary {
            href: href(links, self.id),
            id: self.id,
            titel: taal::text_in(&self.titel, &gekozen).to_string(),
            taal: gekozen,
            aanbodtype: self.aanbodtype,
            gemeente: GemeenteRef::cached(links, refdata, &self.gemeente),
            status: self.status,
            in_groep: self.in_groep,
            kwalificeert_voor_pnt: self.kwalificeert,
            periode: periode(self.periode_van, self.periode_tot),
            momenten: self.momenten.clone(),
            afstand_km: near.map(|p| (p.afstand_km(&Punt { lat: self.lat, lon: self.lon }) * 10.0).round() / 10.0),
            gewijzigd_op: utc(self.gewijzigd_op),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use utoipa::PartialSchema;

    fn properties<T: PartialSchema>() -> Vec<String> {
        let schema = serde_json::to_value(T::schema()).unwrap();
        schema["properties"].as_object().unwrap().keys().cloned().collect()
    }

    #[test]
    fn the_merge_patch_schema_names_every_field_of_the_input() {
        assert_eq!(properties::<AanbodPatch>(), properties::<AanbodInput>());
        assert_eq!(properties::<ContactpersoonPatch>(), properties::<Contactpersoon>());
    }
}
