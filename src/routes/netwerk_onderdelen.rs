//! The one flow of the documents a regional network keeps — what it records about itself
//! (`regionale_netwerken`), its action plan (`acties`) and its meetings (`overleggen`) — on top
//! of [`crate::app::document`]: the network must exist (404, before any role is looked at); the
//! caller needs the right to read or to run it (`domain::toegang::netwerken`, 403); the item
//! must be one of that network's (404); then `If-Match` (412), the versioned write (a lost race
//! is 409), the audit entry naming the network, and the document with its `ETag` (and its
//! `Location` when new).
//!
//! A resource module keeps its DTOs, validation and queries and plugs them in through
//! [`NetwerkDocument`] (and [`Onderdeel`] for items, which are also listed, added and
//! deleted); an item's six handlers, each with its own documented operation, come from
//! [`onderdeel_handlers!`].

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse};
use chrono::{NaiveDate, NaiveDateTime};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::app::document::{self, Document, VersionedWrite};
use crate::db::DbConn;
use crate::domain::ids::NetwerkCode;
use crate::domain::toegang::netwerken::{Beheerrecht, Leesrecht, NetwerkToegang};
use crate::error::{ApiError, ApiResult};
use crate::http::collection::Collection;
use crate::http::conditional::IfMatch;
use crate::http::context::Ctx;
use crate::http::extract::ListQuery;
use crate::http::links::Links;
use crate::repo::audit::{Action, Actor};
use crate::state::AppState;

/// The `404` of a network that does not exist.
pub fn network_not_found(code: &str) -> ApiError {
    ApiError::not_found(format!("No regional network with code {code}"))
}

/// Network `code`, if it is one of the networks (else `404`, also for a code that could name
/// none).
pub fn known_network(state: &AppState, code: &str) -> ApiResult<NetwerkCode> {
    NetwerkCode::parse(code)
        .ok()
        .filter(|c| c.as_str() == code && state.refdata.netwerken.contains_key(code))
        .ok_or_else(|| network_not_found(code))
}

/// The right to read what network `code` records: `404` for an unknown network, then the
/// policy's `403`.
pub fn leesrecht(ctx: &Ctx, code: &str) -> ApiResult<Leesrecht> {
    NetwerkToegang::van(&ctx.caller).lezen(known_network(&ctx.state, code)?)
}

/// The right to change what network `code` records: `404` for an unknown network, then the
/// policy's `403`.
pub fn beheerrecht(ctx: &Ctx, code: &str) -> ApiResult<Beheerrecht> {
    NetwerkToegang::van(&ctx.caller).beheren(known_network(&ctx.state, code)?)
}

/// The details of an audit entry about a document of `netwerk`.
pub fn details(netwerk: &NetwerkCode) -> serde_json::Value {
    serde_json::json!({"netwerk": netwerk.as_str()})
}

/// A versioned document a network keeps.
pub trait NetwerkDocument: Document + Sized + Send + 'static {
    /// How the network names it: `()` for what it records about itself, the id for an item.
    type Id: Copy + Send + 'static;
    /// As clients write it: the body of PUT, and what a merge patch applies to.
    type Input: Send + 'static;

    /// The document; `404` when the network has none with this id.
    fn load(c: &mut DbConn, netwerk: &Leesrecht, id: Self::Id) -> ApiResult<Self>;
    /// Its writable content.
    fn input(&self) -> Self::Input;
    /// Checks `input` and stores it over version `versie` of `current`; false when that version
    /// is gone (a lost race).
    fn update(
        c: &mut DbConn,
        netwerk: &Beheerrecht,
        current: &Self,
        versie: i64,
        input: Self::Input,
        actor: &Actor,
    ) -> ApiResult<bool>;
    /// Its representation, with its `ETag` ([`document::respond`]).
    fn respond(self, status: StatusCode, links: &Links, vandaag: NaiveDate) -> HttpResponse;

    /// The details of its update's audit entry.
    fn details(netwerk: &NetwerkCode, _input: &Self::Input) -> Option<serde_json::Value> {
        Some(details(netwerk))
    }
}

/// An item of a network's sub-collection: a document that is also listed, added and deleted.
pub trait Onderdeel: NetwerkDocument<Id = i64> {
    /// The filters of its list.
    type Filter: DeserializeOwned + utoipa::IntoParams + Send + 'static;
    /// An item in its list.
    type Summary: Serialize;

    /// A page (`offset`, `limit`) of the network's items that pass `filter`, and how many pass.
    fn list(
        c: &mut DbConn,
        netwerk: &Leesrecht,
        filter: Self::Filter,
        page: (i64, i64),
        vandaag: NaiveDate,
    ) -> ApiResult<(Vec<Self>, i64)>;
    /// The item as its list shows it.
    fn summary(self, links: &Links, vandaag: NaiveDate) -> Self::Summary;
    /// Checks `input` and adds it to the network; the new id.
    fn insert(c: &mut DbConn, netwerk: &Beheerrecht, input: Self::Input, nu: NaiveDateTime) -> ApiResult<i64>;
    /// Deletes item `id` if it is still at `versie`; false when it moved on.
    fn delete(c: &mut DbConn, netwerk: &Beheerrecht, id: i64, versie: i64) -> ApiResult<bool>;
}

/// Item `id` (`noun`: "action", "meeting") as found, else its `404`.
pub fn found<O>(noun: &str, id: i64, item: Option<O>) -> ApiResult<O> {
    item.ok_or_else(|| document::not_found(noun, format_args!("{id} in this network")))
}

/// GET of a list of items.
pub async fn list<O: Onderdeel>(
    req: HttpRequest,
    ctx: Ctx,
    code: &str,
    query: ListQuery<O::Filter>,
) -> ApiResult<HttpResponse> {
    let recht = leesrecht(&ctx, code)?;
    let vandaag = ctx.today();
    let ListQuery { filter, page } = query;
    let pagina = (page.offset(), page.limit());
    let (items, total) = ctx.state.db.run(move |c| O::list(c, &recht, filter, pagina, vandaag)).await?;
    let items = items.into_iter().map(|item| item.summary(&ctx.links, vandaag)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

/// GET of a document.
pub async fn get<D: NetwerkDocument>(ctx: Ctx, code: &str, id: D::Id) -> ApiResult<HttpResponse> {
    let recht = leesrecht(&ctx, code)?;
    let doc = ctx.state.db.run(move |c| D::load(c, &recht, id)).await?;
    Ok(doc.respond(StatusCode::OK, &ctx.links, ctx.today()))
}

/// PUT and PATCH: stores what `new` makes of the current content as the next version.
pub async fn replace<D: NetwerkDocument>(
    ctx: Ctx,
    code: &str,
    id: D::Id,
    if_match: IfMatch,
    new: impl FnOnce(&D::Input) -> ApiResult<D::Input> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let recht = beheerrecht(&ctx, code)?;
    let actor = ctx.actor();
    let doc = ctx
        .state
        .db
        .write(move |c| {
            let current = D::load(c, recht.lezen(), id)?;
            // A stale copy is refused before its changes are judged.
            if_match.check(current.version())?;
            let input = new(&current.input())?;
            let details = D::details(recht.netwerk(), &input);
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &current,
                Action::Update,
                details,
                |c, versie| D::update(c, &recht, &current, versie, input, &actor),
            )?;
            D::load(c, recht.lezen(), id)
        })
        .await?;
    Ok(doc.respond(StatusCode::OK, &ctx.links, ctx.today()))
}

/// POST: adds an item to the network.
pub async fn create<O: Onderdeel>(ctx: Ctx, code: &str, input: O::Input) -> ApiResult<HttpResponse> {
    let recht = beheerrecht(&ctx, code)?;
    let actor = ctx.actor();
    let item = ctx
        .state
        .db
        .write(move |c| {
            let id = O::insert(c, &recht, input, actor.at)?;
            document::created(c, &actor, O::RESOURCE, id, Some(details(recht.netwerk())))?;
            O::load(c, recht.lezen(), id)
        })
        .await?;
    Ok(item.respond(StatusCode::CREATED, &ctx.links, ctx.today()))
}

/// DELETE of an item.
pub async fn delete<O: Onderdeel>(ctx: Ctx, code: &str, id: i64, if_match: IfMatch) -> ApiResult<HttpResponse> {
    let recht = beheerrecht(&ctx, code)?;
    let actor = ctx.actor();
    ctx.state
        .db
        .write(move |c| {
            let current = O::load(c, recht.lezen(), id)?;
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &current,
                Action::Delete,
                Some(details(recht.netwerk())),
                |c, versie| O::delete(c, &recht, id, versie),
            )
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// The six handlers of an item of a network (list, add, get, replace, patch, delete), each with
/// its own documented operation, calling the flows above for `$O`, plus the module's
/// `configure`. What differs per item — operation ids, summaries and descriptions (the doc
/// comments), bodies and examples — is given; the rest (the `code` and `id` parameters,
/// security, the `ETag` and `Location` headers) is written here once.
/// `If-Match` is documented with its `412` and lost-race `409` by `openapi::finish`, as are
/// the `Idempotency-Key` of a POST and the shared problem responses. The invoking module
/// imports `Collection`, `PageParams`, `IfMatch` and actix's `delete`, `get`, `patch`, `post`
/// and `put` (utoipa reads these names as spelled).
macro_rules! onderdeel_handlers {
    (
        $O:ident: $collection:tt, $item:tt, id($id_doc:tt, $id_ex:tt),
        document($Doc:ident), input($Input:ident), patch($Patch:ident);
        $(#[doc = $list_doc:tt])* $list:ident($list_id:tt, $Filter:ident, $Summary:ident, $listed:tt);
        $(#[doc = $create_doc:tt])* $create:ident($create_id:tt, $create_body:tt, $create_ex:tt, $created:tt);
        $(#[doc = $get_doc:tt])* $get:ident($get_id:tt, $got:tt);
        $(#[doc = $replace_doc:tt])* $replace:ident($replace_id:tt, $replace_body:tt, $replace_ex:tt);
        $(#[doc = $patch_doc:tt])* $patch:ident($patch_id:tt, $patch_ex:tt);
        $(#[doc = $delete_doc:tt])* $delete:ident($delete_id:tt);
    ) => {
        $(#[doc = $list_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $list_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03"), $Filter, PageParams),
            responses((status = 200, description = $listed, body = Collection<$Summary>))
        )]
        #[get($collection)]
        pub async fn $list(
            req: ::actix_web::HttpRequest,
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<String>,
            query: $crate::http::extract::ListQuery<$Filter>,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            $crate::routes::netwerk_onderdelen::list::<$O>(req, ctx, &path, query).await
        }

        $(#[doc = $create_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $create_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03")),
            request_body(content = $Input, description = $create_body, example = json!($create_ex)),
            responses((status = 201, description = $created, body = $Doc, headers(("Location" = String), ("ETag" = String))))
        )]
        #[post($collection)]
        pub async fn $create(
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<String>,
            body: $crate::http::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            $crate::routes::netwerk_onderdelen::create::<$O>(ctx, &path, body.0).await
        }

        $(#[doc = $get_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $get_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03"),
                ("id" = i64, Path, description = $id_doc, example = $id_ex)),
            responses((status = 200, description = $got, body = $Doc, headers(("ETag" = String))))
        )]
        #[get($item)]
        pub async fn $get(
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<(String, i64)>,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            $crate::routes::netwerk_onderdelen::get::<$O>(ctx, &path.0, path.1).await
        }

        $(#[doc = $replace_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $replace_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03"),
                ("id" = i64, Path, description = $id_doc, example = $id_ex), IfMatch),
            request_body(content = $Input, description = $replace_body, example = json!($replace_ex)),
            responses((status = 200, description = "Updated", body = $Doc, headers(("ETag" = String))))
        )]
        #[put($item)]
        pub async fn $replace(
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<(String, i64)>,
            if_match: $crate::http::conditional::IfMatch,
            body: $crate::http::extract::JsonBody<$Input>,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            let input = body.0;
            $crate::routes::netwerk_onderdelen::replace::<$O>(ctx, &path.0, path.1, if_match, move |_| Ok(input)).await
        }

        $(#[doc = $patch_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $patch_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03"),
                ("id" = i64, Path, description = $id_doc, example = $id_ex), IfMatch),
            request_body(content = $Patch, content_type = "application/merge-patch+json",
                description = "The fields to change", example = json!($patch_ex)),
            responses((status = 200, description = "Updated", body = $Doc, headers(("ETag" = String))))
        )]
        #[patch($item)]
        pub async fn $patch(
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<(String, i64)>,
            if_match: $crate::http::conditional::IfMatch,
            patch: $crate::http::extract::MergePatch,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            $crate::routes::netwerk_onderdelen::replace::<$O>(ctx, &path.0, path.1, if_match, move |huidig| patch.apply(huidig))
                .await
        }

        $(#[doc = $delete_doc])*
        #[utoipa::path(
            tag = "Regionale netwerken",
            operation_id = $delete_id,
            params(("code" = String, Path, description = "Network code", example = "REFREG03"),
                ("id" = i64, Path, description = $id_doc, example = $id_ex), IfMatch),
            responses((status = 204, description = "Deleted"))
        )]
        #[delete($item)]
        pub async fn $delete(
            ctx: $crate::http::context::Ctx,
            path: ::actix_web::web::Path<(String, i64)>,
            if_match: $crate::http::conditional::IfMatch,
        ) -> $crate::error::ApiResult<::actix_web::HttpResponse> {
            $crate::routes::netwerk_onderdelen::delete::<$O>(ctx, &path.0, path.1, if_match).await
        }

        pub fn configure(cfg: &mut ::utoipa_actix_web::service_config::ServiceConfig) {
            cfg.service($list).service($create).service($get).service($replace).service($patch).service($delete);
        }
    };
}
pub(crate) use onderdeel_handlers;
