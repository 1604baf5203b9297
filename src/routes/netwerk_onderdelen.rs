//! What a network's sub-collections under `/v1/regionaleNetwerken/{code}/…` — its action plan
//! (`acties`) and its meetings (`overleggen`) — share, so that the rules are written once: the
//! network must exist (404); reading takes a role that reads what networks record, writing an
//! admin or the network's own netwerkcoordinator (403); every write honours `If-Match` and
//! checks the version again in SQL (412, or 409 on a lost race without `If-Match`); and every
//! write leaves an audit entry naming the network. A resource module keeps its DTOs,
//! validation and queries and plugs them in through [`Onderdeel`]; its handlers (each with its
//! own documented path) call the flows below.

use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::db::DbConn;
use crate::error::{ApiError, ApiResult};
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::links::Links;
use crate::repo::audit::{self, Action};
use crate::routes::regionale_netwerken::{beheerder, mag_lezen};
use crate::routes::toegang::versie_verschoven;

/// One kind of item a network keeps.
pub trait Onderdeel: 'static {
    /// Resource type of its audit entries.
    const RESOURCE: &'static str;
    /// What its 404 calls one ("action", "meeting").
    const NAAM: &'static str;
    /// An item as its document is made from it: its row, and what hangs off it.
    type Item: Send + 'static;
    /// An item as clients write it: the body of PUT, and what a merge patch applies to.
    type Input: Send + 'static;

    /// Item `id` of network `code`, if there is one.
    fn vind(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<Self::Item>>;
    /// The current version of item `id` of network `code`, if there is one: all a delete needs.
    fn versie_van(c: &mut DbConn, code: &str, id: i64) -> ApiResult<Option<i64>>;
    fn versie(item: &Self::Item) -> i64;
    fn input_van(item: &Self::Item) -> Self::Input;
    /// Checks `input` and adds it to network `code`; the new id.
    fn voeg_toe(c: &mut DbConn, code: &str, input: Self::Input) -> ApiResult<i64>;
    /// Checks `input` and stores it over version `versie` of item `id`; false when that version
    /// is gone.
    fn werk_bij(c: &mut DbConn, id: i64, versie: i64, input: Self::Input) -> ApiResult<bool>;
    /// Deletes item `id` if it is still at `versie`; false when it moved on.
    fn wis(c: &mut DbConn, id: i64, versie: i64) -> ApiResult<bool>;
    /// The item's document (see [`antwoord`]).
    fn respond(status: StatusCode, links: &Links, item: Self::Item) -> HttpResponse;

    /// The details of an update's audit entry.
    fn details_bij_wijziging(code: &str, _input: &Self::Input) -> serde_json::Value {
        details(code)
    }
}

/// The details of an audit entry about an item of network `code`.
pub fn details(code: &str) -> serde_json::Value {
    serde_json::json!({"netwerk": code})
}

fn niet_gevonden<O: Onderdeel>(id: i64) -> ApiError {
    ApiError::not_found(format!("No {} with id {id} in this network", O::NAAM))
}

fn laad<O: Onderdeel>(c: &mut DbConn, code: &str, id: i64) -> ApiResult<O::Item> {
    O::vind(c, code, id)?.ok_or_else(|| niet_gevonden::<O>(id))
}

/// POST: adds an item to network `code`.
pub async fn maak<O: Onderdeel>(ctx: Ctx, code: String, input: O::Input) -> ApiResult<HttpResponse> {
    let actor = beheerder(&ctx, &code)?;
    let Ctx { state, links, .. } = ctx;
    let item = state
        .db
        .write(move |c| {
            let id = O::voeg_toe(c, &code, input)?;
            audit::record(c, &actor, Action::Create, O::RESOURCE, &id.to_string(), Some(details(&code)))?;
            laad::<O>(c, &code, id)
        })
        .await?;
    Ok(O::respond(StatusCode::CREATED, &links, item))
}

/// GET of one item.
pub async fn haal<O: Onderdeel>(ctx: Ctx, (code, id): (String, i64)) -> ApiResult<HttpResponse> {
    mag_lezen(&ctx, &code)?;
    let Ctx { state, links, .. } = ctx;
    let item = state.db.run(move |c| laad::<O>(c, &code, id)).await?;
    Ok(O::respond(StatusCode::OK, &links, item))
}

/// PUT and PATCH: stores what `new` makes of the current content as the item's next version.
pub async fn vervang<O: Onderdeel>(
    ctx: Ctx,
    (code, id): (String, i64),
    if_match: IfMatch,
    new: impl FnOnce(&O::Input) -> ApiResult<O::Input> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let actor = beheerder(&ctx, &code)?;
    let Ctx { state, links, .. } = ctx;
    let item = state
        .db
        .write(move |c| {
            let huidig = laad::<O>(c, &code, id)?;
            let versie = O::versie(&huidig);
            if_match.check(versie)?;
            let input = new(&O::input_van(&huidig))?;
            let details = O::details_bij_wijziging(&code, &input);
            // The row was just read at `versie`: not updating it means a concurrent write won.
            if !O::werk_bij(c, id, versie, input)? {
                return Err(versie_verschoven(&if_match));
            }
            audit::record(c, &actor, Action::Update, O::RESOURCE, &id.to_string(), Some(details))?;
            laad::<O>(c, &code, id)
        })
        .await?;
    Ok(O::respond(StatusCode::OK, &links, item))
}

/// DELETE of one item.
pub async fn verwijder<O: Onderdeel>(
    ctx: Ctx,
    (code, id): (String, i64),
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let actor = beheerder(&ctx, &code)?;
    ctx.state
        .db
        .write(move |c| {
            let versie = O::versie_van(c, &code, id)?.ok_or_else(|| niet_gevonden::<O>(id))?;
            if_match.check(versie)?;
            if !O::wis(c, id, versie)? {
                return Err(versie_verschoven(&if_match));
            }
            Ok(audit::record(c, &actor, Action::Delete, O::RESOURCE, &id.to_string(), Some(details(&code)))?)
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}
