//! `/v1/apiClients`: machine clients (municipal IT systems) of the client-credentials grant.
//! admin only. The secret is shown once, at creation or rotation, and stored as an argon2 hash.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Role;
use crate::domain::secrets;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::repo::api_clients::{self as repo, ApiClientRow, NewApiClient};
use crate::repo::audit::{self, Action};
use crate::wire::api_clients::{ApiClient, ApiClientInput, ApiClientsQuery, ClientRol};
use crate::wire::common::{GemeenteRef, utc};

const RESOURCE: &str = "apiClient";

fn href(links: &Links, id: &str) -> String {
    links.href(&format!("/v1/apiClients/{id}"))
}

fn document(row: ApiClientRow, secret: Option<String>, ctx: &Ctx) -> ApiClient {
    ApiClient {
        self_link: href(&ctx.links, &row.client_id),
        client_secret: secret,
        gemeenten: row.gemeenten().iter().map(|g| GemeenteRef::cached(&ctx.links, &ctx.state.refdata, g)).collect(),
        rol: ClientRol::FeedClient,
        naam: row.naam,
        actief: row.actief,
        aangemaakt_op: utc(row.aangemaakt_op),
        laatst_gebruikt_op: row.laatst_gebruikt_op.map(utc),
        client_id: row.client_id,
    }
}

fn not_found(id: &str) -> ApiError {
    ApiError::not_found(format!("No API client {id}"))
}

/// Hashing is deliberately slow (argon2): keep it off the async workers.
async fn hash(secret: String) -> ApiResult<String> {
    Ok(web::block(move || secrets::hash_secret(&secret)).await?)
}

/// Register a machine client
///
/// admin only. Registers a municipal system as a `feedClient` for the given municipalities and
/// returns its `clientId` (also the `bron` of its feed) and its `clientSecret`, shown only
/// now; only an argon2 hash is stored. The client gets tokens at `POST /v1/oauth/token`. An
/// unknown municipality is `400`.
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "createApiClient",
    request_body(content = ApiClientInput, description = "The new client",
        example = json!({"naam": "Stad Gent – UiTdatabank-koppeling", "rol": "feedClient", "gemeenten": ["44021"]})),
    responses((status = 201, description = "Created; `clientSecret` is shown only now", body = ApiClient,
        headers(("Location" = String, description = "URI of the new client"))))
)]
#[post("/apiClients")]
pub async fn create_api_client(ctx: Ctx, body: JsonBody<ApiClientInput>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let input = body.0;
    let mut gemeenten: Vec<String> = Vec::new();
    let mut issues = Vec::new();
    for (i, g) in input.gemeenten.iter().enumerate() {
        if ctx.state.refdata.gemeente(g).is_none() {
            issues.push(InputIssue::referenced_not_found(
                InputLocation::Body,
                format!("gemeenten[{i}]"),
                format!("No municipality with NIS code '{g}'"),
            ));
        } else if !gemeenten.contains(g) {
            gemeenten.push(g.clone());
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let client_id = format!("pnt-{}", hex_id());
    let secret = secrets::random_token(32);
    let secret_hash = hash(secret.clone()).await?;
    let actor = ctx.actor();
    let id = client_id.clone();
    let row = ctx
        .state
        .db
        .write(move |c| {
            repo::insert(
                c,
                &NewApiClient {
                    client_id: &id,
                    naam: input.naam.trim(),
                    rol: "feedClient",
                    gemeenten: gemeenten.join(","),
                    secret_hash: &secret_hash,
                    actief: true,
                    aangemaakt_op: actor.at,
                    aangemaakt_door: &actor.sub,
                },
            )?;
            audit::record(c, &actor, Action::Create, RESOURCE, &id, None)?;
            repo::find(c, &id)?.ok_or_else(|| not_found(&id))
        })
        .await?;
    Ok(HttpResponse::Created().insert_header((header::LOCATION, href(&ctx.links, &client_id))).json(document(
        row,
        Some(secret),
        &ctx,
    )))
}

fn hex_id() -> String {
    let mut raw = [0u8; 8];
    getrandom::fill(&mut raw).expect("the OS random source is available");
    raw.iter().map(|b| format!("{b:02x}")).collect()
}

/// List machine clients
///
/// admin only. Every registered client, revoked ones included (`actief: false`), never with
/// its secret.
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "listApiClients",
    params(PageParams),
    responses((status = 200, description = "A page of clients (never their secrets)", body = Collection<ApiClient>))
)]
#[get("/apiClients")]
pub async fn list_api_clients(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<ApiClientsQuery>,
) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = ctx.state.db.run(move |c| Ok(repo::list(c, offset, limit)?)).await?;
    let items = rows.into_iter().map(|r| document(r, None, &ctx)).collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &ctx.links, &page, items, total)))
}

/// Get a machine client
///
/// admin only. The client without its secret (a lost secret cannot be shown again: rotate
/// it).
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "getApiClient",
    params(("clientId" = String, Path, description = "Client id", example = "pnt-9f3a6c1e2b7d4a50")),
    responses((status = 200, description = "The client (without its secret)", body = ApiClient))
)]
#[get("/apiClients/{clientId}")]
pub async fn get_api_client(ctx: Ctx, path: web::Path<String>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let id = path.into_inner();
    let lookup = id.clone();
    let row = ctx.state.db.run(move |c| Ok(repo::find(c, &lookup)?)).await?;
    let row = row.ok_or_else(|| not_found(&id))?;
    Ok(HttpResponse::Ok().json(document(row, None, &ctx)))
}

/// Rotate a client's secret
///
/// admin only. The old secret stops working at once; tokens already issued stay valid until
/// they expire. The new `clientSecret` is shown only in this response.
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "rotateApiClientSecret",
    params(("clientId" = String, Path, description = "Client id", example = "pnt-9f3a6c1e2b7d4a50")),
    responses((status = 200, description = "The client with its new `clientSecret`, shown only now", body = ApiClient))
)]
#[post("/apiClients/{clientId}/secret")]
pub async fn rotate_secret(ctx: Ctx, path: web::Path<String>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let id = path.into_inner();
    let secret = secrets::random_token(32);
    let secret_hash = hash(secret.clone()).await?;
    let actor = ctx.actor();
    let row = ctx
        .state
        .db
        .write(move |c| {
            if !repo::set_secret(c, &id, &secret_hash)? {
                return Err(not_found(&id));
            }
            audit::record(c, &actor, Action::Change("secretVernieuwd"), RESOURCE, &id, None)?;
            repo::find(c, &id)?.ok_or_else(|| not_found(&id))
        })
        .await?;
    Ok(HttpResponse::build(StatusCode::OK).json(document(row, Some(secret), &ctx)))
}

/// Revoke a machine client
///
/// admin only. The client gets no new tokens and can no longer push feeds, even with a token
/// it still holds; its offers stay.
#[utoipa::path(
    tag = "Machineclients",
    operation_id = "revokeApiClient",
    params(("clientId" = String, Path, description = "Client id", example = "pnt-9f3a6c1e2b7d4a50")),
    responses((status = 204, description = "Revoked"))
)]
#[delete("/apiClients/{clientId}")]
pub async fn revoke_api_client(ctx: Ctx, path: web::Path<String>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin])?;
    let id = path.into_inner();
    let actor = ctx.actor();
    let revoked = id.clone();
    ctx.state
        .db
        .write(move |c| {
            if !repo::deactivate(c, &id)? {
                return Err(not_found(&id));
            }
            Ok(audit::record(c, &actor, Action::Change("ingetrokken"), RESOURCE, &id, None)?)
        })
        .await?;
    // Its tokens stop working on this instance at once (others: within CLIENT_STATE_TTL).
    ctx.state.tokens.forget_client(&revoked);
    Ok(HttpResponse::NoContent().finish())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_api_clients)
        .service(create_api_client)
        .service(get_api_client)
        .service(rotate_secret)
        .service(revoke_api_client);
}
