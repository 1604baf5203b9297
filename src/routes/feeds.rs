//! `PUT /v1/aanbodFeeds/{bron}`: a municipal system pushes its offer (R14). Items are upserted
//! by (`bron`, `externId`), identical ones are left alone, each item is validated on its own
//! (a bad item never rejects the good ones), and a full sync archives what the feed no longer
//! contains. The whole push is one transaction: a crash leaves the old state, never half a feed.

use std::collections::{HashMap, HashSet};

use actix_web::{HttpResponse, put, web};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::auth::Role;
use crate::domain::aanbod::AanbodStatus;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, validation_issues};
use crate::refdata::RefCache;
use crate::repo::aanbod::{self as repo, AanbodInhoud};
use crate::repo::api_clients;
use crate::repo::audit::{self, Action};
use crate::repo::organisaties;
use crate::routes::aanbod::model::AanbodInput;

/// Items per push.
pub const MAX_ITEMS: usize = 5000;
/// Body limit of a push: 5,000 items of a few kB each.
const FEED_BODY_LIMIT: usize = 32 * 1024 * 1024;

/// How the push relates to what the source sent before.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub enum FeedModus {
    /// Only these items changed: upsert them, leave the rest.
    Delta,
    /// This is the whole offer of the source: upsert these and archive the source's others.
    Volledig,
}

/// A feed push.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct FeedInput {
    pub modus: FeedModus,
    /// Up to 5,000 items, each an offer plus its `externId` in the source system. Items are
    /// checked one by one, so they are kept as raw JSON text until then (a few MB, not a tree
    /// of values ten times that size).
    #[validate(length(max = 5000))]
    #[schema(value_type = Vec<FeedItem>)]
    pub items: Vec<Box<serde_json::value::RawValue>>,
}

/// One feed item: the source's id and the offer.
#[derive(Debug, Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedItem {
    /// The item's id in the source system (1–200 characters); the upsert key with `bron`.
    #[schema(example = "uit-2026-00042")]
    pub extern_id: String,
    #[serde(flatten)]
    pub aanbod: AanbodInput,
}

/// A rejected item.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedFout {
    /// Position in `items`.
    pub index: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extern_id: Option<String>,
    /// Why, as a `badRequest` problem naming the item's faulty fields.
    pub problem: Problem,
}

/// What a push did.
#[derive(Debug, Default, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct FeedRapport {
    pub ontvangen: usize,
    pub aangemaakt: usize,
    pub bijgewerkt: usize,
    pub ongewijzigd: usize,
    /// Items of the source archived because a full sync no longer contained them.
    pub gearchiveerd: usize,
    pub afgewezen: usize,
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
    if let Err(e) = input.validate() {
        let issues = validation_issues(&e, InputLocation::Body)
            .into_iter()
            .map(|mut i| {
                i.name = i.name.map(|n| format!("{prefix}.{n}"));
                i
            })
            .collect();
        return Err(fail(issues));
    }
    if allowed.is_some_and(|g| !g.contains(&input.gemeente)) {
        return Err(fail(vec![
            issue("gemeente", "this client may only push offers in its own municipalities").with_value(&input.gemeente),
        ]));
    }
    // The canonical form of the item: field order fixed by the struct, maps sorted.
    let hash = format!("{:x}", Sha256::digest(serde_json::to_vec(&input).unwrap_or_default()));
    let organisatie = input.organisatie;
    let inhoud = input.into_inhoud(refdata).map_err(|issues| {
        fail(
            issues
                .into_iter()
                .map(|mut i| {
                    i.name = i.name.map(|n| format!("{prefix}.{n}"));
                    i
                })
                .collect(),
        )
    })?;
    Ok(Geldig { extern_id, organisatie, inhoud, hash })
}

/// Push a feed
///
/// A feed client pushes to its own source (`bron` = its client id) and only offers in its own
/// municipalities; admin may push to any source. Items are published as they come: the
/// municipality's system is the moderator of its own offer. Replaying a push changes nothing.
#[utoipa::path(
    tag = "Feeds",
    operation_id = "pushAanbodFeed",
    params(("bron" = String, Path, description = "The source: the feed client's id", example = "pnt-9f3a6c1e2b7d4a50")),
    request_body = FeedInput,
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "What happened to each item", body = FeedRapport),
        (status = 413, description = "Over the body limit (`payloadTooLarge`)", body = Problem, content_type = "application/problem+json"),
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
            let now = crate::db::now();
            let gepubliceerd = AanbodStatus::Gepubliceerd.as_str();
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
                        rapport.bijgewerkt += 1;
                    }
                    None => nieuw.push(item),
                }
            }
            let rijen: Vec<_> = nieuw.iter().map(|i| (&i.inhoud, i.extern_id.as_str(), i.hash.as_str())).collect();
            repo::insert_feed_items(c, &rijen, &bron, &actor.sub, now)?;
            rapport.aangemaakt = nieuw.len();
            if modus == FeedModus::Volledig {
                let archief = AanbodStatus::Gearchiveerd.as_str();
                for s in index.values().filter(|s| !gezien.contains(&s.extern_id) && s.status != archief) {
                    if !repo::update_status(c, s.id, s.versie, archief, None, None, now)? {
                        return Err(ApiError::conflict("An item changed during the push; push again"));
                    }
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
    Ok(HttpResponse::Ok().json(rapport))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(push_feed);
}
