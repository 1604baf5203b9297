//! `PUT /v1/aanbodFeeds/{bron}`: a municipal system pushes its offer (R14). Items are upserted
//! by (`bron`, `externId`), identical ones are left alone, each item is validated on its own
//! (a bad item never rejects the good ones), and a full sync archives what the feed no longer
//! contains. The whole push is one transaction: a crash leaves the old state, never half a feed.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpResponse, put, web};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::openapi::schema::{AdditionalProperties, AnyOfBuilder, ObjectBuilder, Schema, SchemaType, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{PartialSchema, ToSchema};
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::Role;
use crate::domain::aanbod::AanbodStatus;
use crate::domain::gebeurtenis::GebeurtenisType as G;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, validation_issues};
use crate::refdata::RefCache;
use crate::repo::aanbod::{self as repo, AanbodInhoud};
use crate::repo::api_clients;
use crate::repo::audit::{self, Action};
use crate::repo::gebeurtenissen;
use crate::repo::organisaties;
use crate::wire::aanbod::AanbodInput;

/// Items per push.
pub const MAX_ITEMS: usize = 5000;
/// Body limit of a push: 5,000 items of a few kB each.
const FEED_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How the push relates to what the source sent before: `delta` (only these items changed) or
/// `volledig` (this is the source's whole offer; what is missing is archived).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum FeedModus {
    /// Only these items changed: upsert them, leave the rest.
    Delta,
    /// This is the whole offer of the source: upsert these and archive the source's others.
    Volledig,
}

/// A feed push. Unknown fields, a missing `modus` or `items`, or more than 5,000 items reject
/// the whole push (`400`); a faulty item never does.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeedInput {
    /// `delta` upserts the items and leaves the source's other offers alone; `volledig` also
    /// archives the source's offers the push no longer contains.
    pub modus: FeedModus,
    /// Up to 5,000 items, each meant to be a `FeedItem`. Items are checked one by one (so they
    /// are kept as raw JSON text until then: a few MB, not a tree of values ten times that
    /// size); an item that is not a valid `FeedItem` is reported in the report's `fouten`.
    #[validate(length(max = 5000))]
    #[schema(value_type = Vec<FeedInputItem>, max_items = 5000)]
    pub items: Vec<Box<serde_json::value::RawValue>>,
}

const FEED_ITEM: &str = "One feed item as the server reads it: `externId` (the item's id in the source system) \
plus every field of `AanbodInput`, with the same rules; unknown fields are refused. An item that breaks a rule is \
not stored and is reported in `FeedRapport.fouten`; the other items are processed.";

/// One feed item: the source's id plus the offer (`AanbodInput`), as one flat object. The
/// schema is built from `AanbodInput`'s, so the two cannot drift apart.
#[derive(Debug, Deserialize, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct FeedItem {
    /// The item's id in the source system (1–200 characters); the upsert key with `bron`.
    pub extern_id: String,
    #[serde(flatten)]
    pub aanbod: AanbodInput,
}

impl PartialSchema for FeedItem {
    fn schema() -> RefOr<Schema> {
        let RefOr::T(Schema::Object(aanbod)) = <AanbodInput as PartialSchema>::schema() else {
            return RefOr::Ref(Ref::from_schema_name(AanbodInput::name()));
        };
        let extern_id = ObjectBuilder::new()
            .schema_type(Type::String)
            .min_length(Some(1))
            .max_length(Some(200))
            .description(Some(
                "The item's id in the source system (1–200 characters, no control characters); with `bron` \
                 the key items are upserted by. Unique within a push.",
            ))
            .examples(["uit-2026-00042"]);
        let mut item = ObjectBuilder::new()
            .description(Some(FEED_ITEM))
            .property("externId", extern_id)
            .required("externId")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)));
        for (name, property) in aanbod.properties {
            item = item.property(name, property);
        }
        for name in aanbod.required {
            item = item.required(name);
        }
        item.into()
    }
}

impl ToSchema for FeedItem {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        <AanbodInput as ToSchema>::schemas(schemas);
    }
}

/// An element of `FeedInput.items` (document only): a `FeedItem`, or anything else.
pub struct FeedInputItem;

impl PartialSchema for FeedInputItem {
    fn schema() -> RefOr<Schema> {
        AnyOfBuilder::new()
            .item(Ref::from_schema_name(FeedItem::name()))
            .item(ObjectBuilder::new().schema_type(SchemaType::AnyValue).description(Some(
                "Any other JSON value: still accepted by the push, then rejected on its own in `fouten`.",
            )))
            .description(Some(
                "An element of `items`: meant to be a `FeedItem`. The push itself accepts any value here, so \
                 that one faulty item never rejects the others (and a validating gateway does not either); \
                 each item is then checked as a `FeedItem` and a faulty one is reported in `fouten` of the \
                 200 report. Generated clients should build `FeedItem`s.",
            ))
            .into()
    }
}

impl ToSchema for FeedInputItem {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((FeedItem::name().into_owned(), FeedItem::schema()));
        FeedItem::schemas(schemas);
    }
}

/// A rejected item: not stored; the source's previous version of it, if any, stays as it was.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedFout {
    /// Position in `items` (from 0).
    #[schema(example = 1)]
    pub index: usize,
    /// The item's `externId`, when it had a valid one.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "uit-2026-00043")]
    pub extern_id: Option<String>,
    /// Why, as a `badRequest` problem naming the item's faulty fields.
    pub problem: Problem,
}

/// What a push did: `ontvangen` = `aangemaakt` + `bijgewerkt` + `ongewijzigd` + `afgewezen`.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedRapport {
    /// Items in the push.
    #[schema(example = 3)]
    pub ontvangen: usize,
    /// New offers created (published at once).
    #[schema(example = 1)]
    pub aangemaakt: usize,
    /// Existing offers of the source whose content changed (published again).
    #[schema(example = 1)]
    pub bijgewerkt: usize,
    /// Items identical to what the source sent before: left alone.
    #[schema(example = 0)]
    pub ongewijzigd: usize,
    /// Items of the source archived because a full sync no longer contained them.
    #[schema(example = 0)]
    pub gearchiveerd: usize,
    /// Items rejected: as many as `fouten`.
    #[schema(example = 1)]
    pub afgewezen: usize,
    /// Every rejected item and why, by `index`.
    pub fouten: Vec<FeedFout>,
}

/// An item that passed its checks.
struct Geldig {
    extern_id: String,
    organisatie: Option<i64>,
    inhoud: AanbodInhoud,
    hash: String,
}

fn fout(index: usize, extern_id: Option<String>, issues: Vec<InputIssue>) -> FeedFout {
    FeedFout { index, extern_id, problem: ApiError::bad_request(issues).to_problem() }
}

/// Checks one item on its own: shape, the offer's rules, the municipality being the source's.
fn check_item(
    index: usize,
    raw: &serde_json::value::RawValue,
    allowed: Option<&[String]>,
    refdata: &RefCache,
) -> Result<Geldig, Box<FeedFout>> {
    let prefix = format!("items[{index}]");
    let issue = |name: &str, detail: &str| InputIssue::invalid(InputLocation::Body, format!("{prefix}.{name}"), detail);
    let Ok(serde_json::Value::Object(mut map)) = serde_json::from_str(raw.get()) else {
        return Err(Box::new(fout(index, None, vec![issue("", "an item is a JSON object")])));
    };
    let extern_id = match map.remove("externId") {
        Some(serde_json::Value::String(s))
            if (1..=200).contains(&s.chars().count()) && !s.chars().any(char::is_control) =>
        {
            s
        }
        _ => {
            return Err(Box::new(fout(
                index,
                None,
                vec![issue("externId", "externId is a text of 1 to 200 characters")],
            )));
        }
    };
    let fail = |issues: Vec<InputIssue>| Box::new(fout(index, Some(extern_id.clone()), issues));
    let input: AanbodInput = serde_path_to_error::deserialize(serde_json::Value::Object(map)).map_err(|e| {
        let path = e.path().to_string();
        let name = if path == "." { prefix.clone() } else { format!("{prefix}.{path}") };
        fail(vec![InputIssue::schema(InputLocation::Body, Some(name.clone()), format!("{name}: {}", e.into_inner()))])
    })?;
    // The item's issues, named from the push's body.
    let in_item = |issues: Vec<InputIssue>| -> Vec<InputIssue> {
        let prefixed = |mut i: InputIssue| {
            i.name = i.name.map(|n| format!("{prefix}.{n}"));
            i
        };
        issues.into_iter().map(prefixed).collect()
    };
    if let Err(e) = input.validate() {
        return Err(fail(in_item(validation_issues(&e, InputLocation::Body))));
    }
    if allowed.is_some_and(|g| !g.contains(&input.gemeente)) {
        return Err(fail(vec![
            issue("gemeente", "this client may only push offers in its own municipalities").with_value(&input.gemeente),
        ]));
    }
    // The canonical form of the item: field order fixed by the struct, maps sorted.
    let hash = format!("{:x}", Sha256::digest(serde_json::to_vec(&input).unwrap_or_default()));
    let organisatie = input.organisatie;
    let inhoud = input.into_inhoud(refdata).map_err(|issues| fail(in_item(issues)))?;
    Ok(Geldig { extern_id, organisatie, inhoud, hash })
}

/// Push a feed
///
/// A feed client (role `feedClient`, registered and not revoked) pushes to its own source
/// (`bron` = its client id) and only offers in its own municipalities; admin may push to any
/// source and any municipality. Others get `403`. Items are upserted by (`bron`, `externId`)
/// and published as they come: the municipality's system is the moderator of its own offer.
/// Identical items are left alone, so replaying a push changes nothing. Each item is checked
/// on its own: a faulty one (not a `FeedItem`, a rule of the offer broken, a municipality the
/// client does not cover, an unknown `organisatie`, an `externId` seen earlier in the push) is
/// reported in `fouten` and never blocks the others, and a rejected item's previous version
/// is kept (also by a full sync). The push is one transaction: it applies whole or not at all.
/// Body limit 32 MiB, at most 5,000 items.
#[utoipa::path(
    tag = "Feeds",
    operation_id = "pushAanbodFeed",
    params(("bron" = String, Path, description = "The source: the feed client's id", example = "pnt-9f3a6c1e2b7d4a50")),
    request_body(content = FeedInput, description = "The items and how they relate to earlier pushes",
        example = json!({
            "modus": "volledig",
            "items": [{
                "externId": "uit-2026-00042",
                "titel": {"nl": "Samen koken in De Centrale", "en": "Cooking together at De Centrale"},
                "beschrijving": {"nl": "Elke woensdag koken buurtbewoners en nieuwkomers samen een maaltijd."},
                "aanbodtype": "vrijetijd",
                "gemeente": "44021",
                "locatie": {"straat": "Kraankindersstraat", "huisnummer": "2", "postcode": "9000", "plaats": "Gent"},
                "nederlandstaligeContext": true,
                "socialeParticipatie": true,
                "inGroep": true,
                "buitenEigenKring": true,
                "ondersteuningstalen": ["en", "fr"],
                "periode": {"van": "2026-09-02", "tot": "2027-06-30"},
                "capaciteit": 6,
                "themas": ["koken"]
            }]
        })),
    responses(
        (status = 200, description = "What happened to each item", body = FeedRapport),
        (status = 409, description = "One of the source's offers changed during the push (`conflict`); nothing was applied: push again", body = Problem,
            example = json!({"type": "urn:problem-type:pnt:conflict", "title": "Conflict", "status": 409,
                "detail": "An item changed during the push; push again", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
        (status = 413, description = "Over the body limit of 32 MiB (`payloadTooLarge`)", body = Problem),
    )
)]
#[put("/aanbodFeeds/{bron}")]
pub async fn push_feed(
    ctx: Ctx,
    path: web::Path<String>,
    body: JsonBody<FeedInput, FEED_BODY_LIMIT>,
) -> ApiResult<HttpResponse> {
    let bron = path.into_inner();
    let caller = &ctx.caller;
    let is_admin = caller.is_admin();
    if !is_admin {
        caller.require_any(&[Role::FeedClient])?;
        if caller.sub != bron {
            return Err(ApiError::missing_permission(
                "A feed client may only push to its own source (bron = its client id)",
            ));
        }
    }
    // The client's current record decides: a revoked client cannot push with a token it still holds.
    let allowed: Option<Vec<String>> = if is_admin {
        None
    } else {
        let id = bron.clone();
        let client = ctx.state.db.run(move |c| Ok(api_clients::find(c, &id)?)).await?;
        match client.filter(|c| c.actief) {
            Some(c) => Some(c.gemeenten()),
            None => return Err(ApiError::missing_permission("This feed client is not registered or was revoked")),
        }
    };

    let FeedInput { modus, items } = body.0;
    let mut rapport = FeedRapport { ontvangen: items.len(), ..Default::default() };
    let mut geldig: Vec<(usize, Geldig)> = Vec::with_capacity(items.len());
    let mut gezien: HashSet<String> = HashSet::with_capacity(items.len());
    for (index, value) in items.into_iter().enumerate() {
        match check_item(index, &value, allowed.as_deref(), &ctx.state.refdata) {
            Ok(item) if !gezien.insert(item.extern_id.clone()) => {
                let issue = InputIssue::invalid(
                    InputLocation::Body,
                    format!("items[{index}].externId"),
                    "this externId occurs earlier in the same feed",
                );
                rapport.fouten.push(fout(index, Some(item.extern_id), vec![issue]));
            }
            Ok(item) => geldig.push((index, item)),
            Err(f) => {
                // A rejected version of an item still means the source has it: keep the old one.
                if let Some(id) = &f.extern_id {
                    gezien.insert(id.clone());
                }
                rapport.fouten.push(*f)
            }
        }
    }

    let actor = ctx.actor();
    let rapport = ctx
        .state
        .db
        .write(move |c| {
            // Referenced organisations must exist: one query for the whole feed.
            let wanted: Vec<i64> = geldig.iter().filter_map(|(_, g)| g.organisatie).collect();
            let bestaand: HashSet<i64> = organisaties::names(c, &wanted)?.into_iter().map(|(id, _)| id).collect();
            let index: HashMap<String, repo::FeedItemStand> =
                repo::feed_index(c, &bron)?.into_iter().map(|s| (s.extern_id.clone(), s)).collect();
            let now = actor.at;
            let gepubliceerd = AanbodStatus::Gepubliceerd;
            let mut nieuw: Vec<Geldig> = Vec::new();
            for (i, item) in geldig {
                if let Some(org) = item.organisatie.filter(|o| !bestaand.contains(o)) {
                    let issue = InputIssue::referenced_not_found(
                        InputLocation::Body,
                        format!("items[{i}].organisatie"),
                        format!("No organisation with id {org}"),
                    );
                    rapport.fouten.push(fout(i, Some(item.extern_id), vec![issue]));
                    continue;
                }
                match index.get(&item.extern_id) {
                    Some(s) if s.feed_hash.as_deref() == Some(item.hash.as_str()) && s.status == gepubliceerd => {
                        rapport.ongewijzigd += 1;
                    }
                    Some(s) => {
                        if !repo::update_inhoud(
                            c,
                            s.id,
                            s.versie,
                            &item.inhoud,
                            Some(gepubliceerd),
                            Some(&item.hash),
                            now,
                        )? {
                            return Err(ApiError::conflict("An item changed during the push; push again"));
                        }
                        let soort = if s.status == gepubliceerd { G::AanbodGewijzigd } else { G::AanbodGepubliceerd };
                        gebeurtenissen::schrijf_type(c, soort, "aanbod", s.id, now)?;
                        rapport.bijgewerkt += 1;
                    }
                    None => nieuw.push(item),
                }
            }
            let rijen: Vec<_> = nieuw.iter().map(|i| (&i.inhoud, i.extern_id.as_str(), i.hash.as_str())).collect();
            repo::insert_feed_items(c, &rijen, &bron, &actor.sub, now)?;
            rapport.aangemaakt = nieuw.len();
            if !nieuw.is_empty() {
                let nieuwe: HashSet<&str> = nieuw.iter().map(|i| i.extern_id.as_str()).collect();
                let events: Vec<_> = repo::feed_index(c, &bron)?
                    .iter()
                    .filter(|s| nieuwe.contains(s.extern_id.as_str()))
                    .flat_map(|s| [(G::AanbodAangemaakt, s.id), (G::AanbodGepubliceerd, s.id)])
                    .collect();
                gebeurtenissen::schrijf_aanbod_batch(c, &events, now)?;
            }
            if modus == FeedModus::Volledig {
                let archief = AanbodStatus::Gearchiveerd;
                for s in index.values().filter(|s| !gezien.contains(&s.extern_id) && s.status != archief) {
                    if !repo::update_status(c, s.id, s.versie, archief, None, None, now)? {
                        return Err(ApiError::conflict("An item changed during the push; push again"));
                    }
                    gebeurtenissen::schrijf_type(c, G::AanbodGearchiveerd, "aanbod", s.id, now)?;
                    rapport.gearchiveerd += 1;
                }
            }
            rapport.fouten.sort_by_key(|f| f.index);
            rapport.afgewezen = rapport.fouten.len();
            let details = serde_json::json!({
                "modus": modus, "ontvangen": rapport.ontvangen, "aangemaakt": rapport.aangemaakt,
                "bijgewerkt": rapport.bijgewerkt, "ongewijzigd": rapport.ongewijzigd,
                "gearchiveerd": rapport.gearchiveerd, "afgewezen": rapport.afgewezen,
            });
            audit::record(c, &actor, Action::Change("feed"), "aanbodFeed", &bron, Some(details))?;
            Ok(rapport)
        })
        .await?;
    let m = ctx.state.db.metrics();
    for (uitkomst, n) in [
        ("aangemaakt", rapport.aangemaakt),
        ("bijgewerkt", rapport.bijgewerkt),
        ("ongewijzigd", rapport.ongewijzigd),
        ("gearchiveerd", rapport.gearchiveerd),
        ("afgewezen", rapport.afgewezen),
    ] {
        m.feed_items(uitkomst, n);
    }
    Ok(HttpResponse::Ok().json(rapport))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(push_feed);
}
