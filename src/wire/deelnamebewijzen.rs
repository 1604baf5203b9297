//! The DTOs of `/v1/deelnamebewijzen` and `/v1/ondertekenverzoeken`.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use validator::Validate;

use crate::domain::aanbod::Aanbodtype;
use crate::domain::aanbod::Contactpersoon;
use crate::domain::deelnamebewijs::{Beoordeling, BewijsStatus, ContactBron, LinkBeslissing, Wijze};
use crate::openapi::nullable_ref;
use crate::repo::outbox::BerichtStatus;

// --- Input ---------------------------------------------------------------------------------------

/// One day's hours.
#[derive(Clone, Debug, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrestatieIn {
    /// The day; inside the contract's term and not in the future (R10).
    #[schema(example = "2026-10-07")]
    pub datum: NaiveDate,
    /// Hours that day: more than 0, at most 12, in quarter hours (R10).
    #[schema(example = 2.5)]
    pub uren: f64,
    /// What was done, in a few words.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 1, max = 300))]
    #[schema(example = "Soep gekookt en afgewassen")]
    pub omschrijving: Option<String>,
}

/// A new proof. Link the offer (`aanbod`) when the activity comes from the catalogue: the
/// activity, type, organisation and contact person are then taken from it unless given.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct DeelnamebewijsIn {
    /// Id of the contract (the caller's own, or one of their caseload).
    #[schema(example = 5)]
    pub contract: i64,
    /// Id of the offer the activity belongs to, if it is in the catalogue.
    #[serde(default)]
    #[schema(example = 42)]
    pub aanbod: Option<i64>,
    /// The activity in words; required without `aanbod` (then the offer's Dutch title).
    #[serde(default)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Vrijwilliger in het buurtrestaurant")]
    pub activiteit: Option<String>,
    /// Id of a registered organisation (by default the offer's).
    #[serde(default)]
    #[schema(example = 12)]
    pub organisatie: Option<i64>,
    /// The organisation's name, when it is not registered.
    #[serde(default)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub organisatie_naam: Option<String>,
    /// Required without `aanbod`; with one it must match the offer's.
    #[serde(default)]
    #[schema(schema_with = aanbodtype_in)]
    pub aanbodtype: Option<Aanbodtype>,
    /// Who signs (R8); by default the offer's contact person.
    #[serde(default)]
    #[validate(nested)]
    #[schema(schema_with = contactpersoon_in)]
    pub contactpersoon: Option<Contactpersoon>,
    /// Hours already done.
    #[serde(default)]
    #[validate(nested)]
    pub prestaties: Vec<PrestatieIn>,
}

fn aanbodtype_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Aanbodtype>("The kind of activity. Required without `aanbod`; with one it must match the offer's.")
}

fn contactpersoon_in() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    nullable_ref::<Contactpersoon>(
        "Who confirms the hours (R8); absent or `null`: the offer's contact person (required without `aanbod`).",
    )
}

/// All lines of a proof, replacing the current ones.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct PrestatiesIn {
    /// The lines, one per day (at most 100).
    #[validate(nested)]
    pub items: Vec<PrestatieIn>,
}

/// Signing with the organisation's account.
#[derive(Clone, Debug, Default, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct OndertekeningIn {
    /// The name of the person who signs; by default the `name` (or else `sub`) of the token.
    #[serde(default)]
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "An Peeters")]
    pub naam: Option<String>,
}

/// Refusing to sign (R8).
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct WeigeringIn {
    /// Why the hours are not confirmed; the trajectbegeleider follows up. Required (R8): absent,
    /// `null` or blank is a `badRequest`.
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(required = true, value_type = String, min_length = 1, max_length = 2000,
        example = "Was op 7 oktober niet aanwezig")]
    pub motivatie: Option<String>,
    /// The name of the person who refuses; by default the `name` (or else `sub`) of the token.
    #[serde(default)]
    #[validate(length(min = 1, max = 200))]
    #[schema(min_length = 1, max_length = 200, example = "An Peeters")]
    pub naam: Option<String>,
}

/// The trajectbegeleider's review (R9).
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BeoordelingIn {
    /// `goedgekeurd`: the hours count toward the 40; `afgekeurd`: they do not.
    pub beslissing: Beoordeling,
    /// Why; required (not blank) for `afgekeurd`, at most 2000 characters.
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(example = "Uren op 7 en 8 oktober telefonisch bevestigd")]
    pub motivatie: Option<String>,
}

/// The contact person's decision through a signing link.
#[derive(Clone, Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct BeslissingIn {
    /// Sign (`ondertekenen`) or refuse (`weigeren`) the hours.
    pub beslissing: LinkBeslissing,
    /// The name of the person who signs or refuses.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "An Peeters")]
    pub naam: String,
    /// Why the hours are not confirmed; required (not blank) for `weigeren` (R8), at most 2000
    /// characters.
    #[serde(default)]
    #[validate(length(max = 2000))]
    #[schema(max_length = 2000, example = "Was op 7 oktober niet aanwezig")]
    pub motivatie: Option<String>,
}

/// Filters of the proof list; repeated parameters are alternatives (OR), different ones combine
/// (AND).
#[derive(Debug, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct DeelnamebewijzenQuery {
    /// Contract id (repeatable).
    #[serde(default)]
    #[param(example = json!([5]))]
    pub contract: Vec<i64>,
    /// Status (repeatable); `ondertekend` lists what waits for review.
    #[serde(default)]
    pub status: Vec<BewijsStatus>,
    /// Organisation id (repeatable).
    #[serde(default)]
    pub organisatie: Vec<i64>,
    /// `sub` of the contract's trajectbegeleider, or `me` (repeatable).
    #[serde(default)]
    #[param(example = json!(["me"]))]
    pub trajectbegeleider: Vec<String>,
    /// Aanbodtype (repeatable).
    #[serde(default)]
    pub aanbodtype: Vec<Aanbodtype>,
}

// --- Output --------------------------------------------------------------------------------------

/// One day's hours as stored.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PrestatieUit {
    /// The day.
    #[schema(example = "2026-10-07")]
    pub datum: NaiveDate,
    /// Hours that day, in quarter hours.
    #[schema(example = 2.5)]
    pub uren: f64,
    /// What was done; absent when not given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Soep gekookt en afgewassen")]
    pub omschrijving: Option<String>,
}

/// Link to a resource by id.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Verwijzing {
    /// Absolute link.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeringscontracten/5")]
    pub href: String,
    /// Id of the resource.
    #[schema(example = 5)]
    pub id: i64,
}

/// The organisation: a link when it is registered, always its name.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewijsOrganisatie {
    /// The registered organisation, if it is one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "https://pnt.example.vlaanderen.be/v1/organisaties/12")]
    pub href: Option<String>,
    /// Id of the registered organisation; absent for one given by name only.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 12)]
    pub id: Option<i64>,
    /// The organisation's name (as registered, or as given).
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub naam: String,
}

/// The contact person's signature.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ondertekening {
    /// The name the signer gave.
    #[schema(example = "An Peeters")]
    pub door: String,
    /// When it was signed.
    pub op: DateTime<Utc>,
    /// How: with the organisation's account or through a signing link.
    pub via: Wijze,
}

/// The contact person's refusal (R8).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Weigering {
    /// Why the contact person did not confirm the hours.
    #[schema(example = "Was op 7 oktober niet aanwezig")]
    pub motivatie: String,
    /// When it was refused.
    pub op: DateTime<Utc>,
    /// The name the contact person gave.
    #[schema(example = "An Peeters")]
    pub door: String,
    /// How: with the organisation's account or through a signing link.
    pub via: Wijze,
}

/// The trajectbegeleider's last review (R9).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeoordelingUit {
    /// `sub` of the reviewer.
    #[schema(example = "tb-1")]
    pub door: String,
    /// When it was reviewed.
    pub op: DateTime<Utc>,
    /// `goedgekeurd` (the hours count) or `afgekeurd`.
    pub beslissing: Beoordeling,
    /// Why; always there for `afgekeurd`, absent when none was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "Uren op 7 en 8 oktober telefonisch bevestigd")]
    pub motivatie: Option<String>,
}

/// The newcomer of a proof, as the agency and the newcomer see them.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewijsInburgeraar {
    /// The newcomer's record.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/inburgeraars/17")]
    pub href: String,
    /// Id of the newcomer.
    #[schema(example = 17)]
    pub id: i64,
    /// First name.
    #[schema(example = "Amina")]
    pub voornaam: String,
    /// Last name.
    #[schema(example = "Haddad")]
    pub achternaam: String,
}

/// The newcomer as an aanbieder sees them: the name, nothing else.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InburgeraarNaam {
    /// First and last name.
    #[schema(example = "Amina Haddad")]
    pub naam: String,
}

/// What every view of a proof shows.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BewijsInhoud {
    /// Id of the proof.
    #[schema(example = 3)]
    pub id: i64,
    /// The activity in words.
    #[schema(example = "Vrijwilliger in het buurtrestaurant")]
    pub activiteit: String,
    /// The offer, when the activity is in the catalogue; absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub aanbod: Option<Verwijzing>,
    /// The organisation where the hours were done.
    pub organisatie: BewijsOrganisatie,
    /// The kind of activity.
    pub aanbodtype: Aanbodtype,
    /// Who confirms the hours (R8).
    pub contactpersoon: Contactpersoon,
    /// Where the contact person comes from: `aanbod` or `organisatie` (confirmed by the
    /// organisation) or `ingevoerd` (typed by the newcomer or case worker, unconfirmed).
    pub contact_bron: ContactBron,
    /// The hours per day, by date.
    pub prestaties: Vec<PrestatieUit>,
    /// Sum of the lines.
    #[schema(example = 12.75)]
    pub totaal_uren: f64,
    /// Where the proof stands: `concept` → `teOndertekenen` → `ondertekend` (or `geweigerd`) →
    /// `goedgekeurd` (or `afgekeurd`).
    pub status: BewijsStatus,
    /// The contact person's signature; absent until signed (and after the hours changed).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub ondertekening: Option<Ondertekening>,
    /// The last refusal, also after the hours were changed; absent when never refused.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub weigering: Option<Weigering>,
    /// Version; the `ETag` of this document and what a signing link is tied to.
    #[schema(example = 4)]
    pub versie: i64,
    /// When the proof was started.
    pub aangemaakt_op: DateTime<Utc>,
    /// When it last changed.
    pub gewijzigd_op: DateTime<Utc>,
}

/// A proof as the newcomer, their trajectbegeleider and admins see it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeelnamebewijsVolledig {
    /// The contract the hours count for.
    pub contract: Verwijzing,
    /// The newcomer.
    pub inburgeraar: BewijsInburgeraar,
    /// `sub` of the contract's trajectbegeleider, who reviews the proof.
    #[schema(example = "tb-1")]
    pub trajectbegeleider: String,
    #[serde(flatten)]
    pub inhoud: BewijsInhoud,
    /// The last review; absent before one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub beoordeling: Option<BeoordelingUit>,
    /// How the proof was (to be) signed: its signing links, newest first. Only in the view of
    /// the contract's trajectbegeleider and admins, who review it; absent for the newcomer.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub ondertekenverzoeken: Option<Vec<OndertekenverzoekSpoor>>,
}

/// A proof as an aanbieder of its organisation sees it: the newcomer's name only — no contract,
/// no newcomer record, no review.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DeelnamebewijsBeperkt {
    /// The newcomer's name, nothing else.
    pub inburgeraar: InburgeraarNaam,
    #[serde(flatten)]
    pub inhoud: BewijsInhoud,
}

/// A proof: the full view, or the aanbieder's reduced view (`inburgeraar` has only `naam`).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(untagged)]
pub enum DeelnamebewijsWeergave {
    Volledig(DeelnamebewijsVolledig),
    Beperkt(DeelnamebewijsBeperkt),
}

/// A proof (document).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct Deelnamebewijs {
    /// This proof's address.
    #[serde(rename = "self")]
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/deelnamebewijzen/3")]
    pub self_link: String,
    #[serde(flatten)]
    pub weergave: DeelnamebewijsWeergave,
}

/// A proof in a list.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
pub struct DeelnamebewijsItem {
    /// The proof's address.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/deelnamebewijzen/3")]
    pub href: String,
    #[serde(flatten)]
    pub weergave: DeelnamebewijsWeergave,
}

/// The printable proof.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct PdfDocument(pub Vec<u8>);

/// A signing link on its way to the proof's contact person (R8). The link itself is only in the
/// mail: the API never shows it to whoever asked for it.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct NieuwOndertekenverzoek {
    /// Id of the link in the proof's signing trail (`ondertekenverzoeken`).
    #[schema(example = 7)]
    pub id: i64,
    /// The proof to sign.
    #[schema(example = "https://pnt.example.vlaanderen.be/v1/deelnamebewijzen/3")]
    pub deelnamebewijs: String,
    /// The address the mail goes to, masked.
    #[schema(example = "a***@debrug.be")]
    pub verzonden_naar: String,
    /// Where the address comes from: `aanbod` or `organisatie` (the organisation stands behind
    /// it) or `ingevoerd` (typed by the newcomer or case worker, unconfirmed).
    pub email_bron: ContactBron,
    /// The mail's delivery: `teVerzenden` until the mail server took it.
    pub bezorging: BerichtStatus,
    /// The link works until then, for one decision, while the proof stays as it is now.
    pub verloopt_op: DateTime<Utc>,
    /// The proof's version the link is tied to.
    #[schema(example = 2)]
    pub versie: i64,
}

/// Who asked for a signing link.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Aanvrager {
    /// `sub` of the requester.
    #[schema(example = "tb-1")]
    pub sub: String,
    /// The role they asked in: `inburgeraar`, `trajectbegeleider` or `admin`.
    #[schema(example = "trajectbegeleider")]
    pub rol: String,
}

/// How a link's mail was delivered.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Bezorging {
    /// `teVerzenden`, `verzonden` or `mislukt`.
    pub status: BerichtStatus,
    /// Attempts so far.
    #[schema(example = 1)]
    pub pogingen: i32,
    /// Why the last attempt failed; absent when it did not.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "SMTP: permanent error (550): mailbox unavailable")]
    pub laatste_fout: Option<String>,
    /// When the mail was handed over or given up; absent before.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub afgehandeld_op: Option<DateTime<Utc>>,
}

/// One signing link of a proof, as its reviewer sees it: who asked, where it went, what became
/// of it (R8, R20).
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OndertekenverzoekSpoor {
    /// Id of the link.
    #[schema(example = 7)]
    pub id: i64,
    pub aangevraagd_door: Aanvrager,
    /// When it was made.
    pub aangemaakt_op: DateTime<Utc>,
    /// The address it was sent to; absent for a link made before links were mailed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "an.peeters@debrug.be")]
    pub verzonden_naar: Option<String>,
    /// Where the address came from; `ingevoerd`: nobody at the organisation confirmed it.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub email_bron: Option<ContactBron>,
    /// The mail's delivery; absent for a link made before links were mailed.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub bezorging: Option<Bezorging>,
    /// When the contact person first opened it; absent until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub geopend_op: Option<DateTime<Utc>>,
    /// The decision taken through it; absent until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub beslissing: Option<LinkBeslissing>,
    /// When the decision was taken.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub beslist_op: Option<DateTime<Utc>>,
    /// The name the contact person typed with the decision.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "An Peeters")]
    pub naam: Option<String>,
    /// The link worked until then.
    pub verloopt_op: DateTime<Utc>,
}

/// What the contact person sees through a signing link: the minimum to decide.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Ondertekenverzoek {
    /// This link.
    #[serde(rename = "self")]
    pub self_link: String,
    /// The newcomer's first name and the initial of the last name.
    #[schema(example = "Amina H.")]
    pub inburgeraar: String,
    /// The activity.
    #[schema(example = "Vrijwilliger in het buurtrestaurant")]
    pub activiteit: String,
    /// The organisation's name.
    #[schema(example = "Buurtwerk De Brug vzw")]
    pub organisatie: String,
    /// The hours per day, by date.
    pub prestaties: Vec<PrestatieUit>,
    /// Sum of the hours.
    #[schema(example = 12.75)]
    pub totaal_uren: f64,
    /// The link works until then.
    pub verloopt_op: DateTime<Utc>,
}

/// The recorded decision.
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BeslissingUit {
    /// The decision as sent.
    pub beslissing: LinkBeslissing,
    /// The proof's status now: `ondertekend` or `geweigerd`.
    pub status: BewijsStatus,
    /// When the decision was recorded.
    pub op: DateTime<Utc>,
    /// The hours the decision covers.
    #[schema(example = 12.75)]
    pub totaal_uren: f64,
}
