//! One-time signing links (R8) for contact persons without an account.
//!
//! `POST /v1/deelnamebewijzen/{id}/ondertekenverzoeken` (newcomer, trajectbegeleider) makes a
//! link: a random 256-bit token, returned once and stored only as its SHA-256, valid for
//! [`LINK_GELDIG_DAGEN`] days and tied to the proof's version at that moment. Without logging in,
//! `GET /v1/ondertekenverzoeken/{token}` shows the contact person the minimum to decide, and
//! `POST /v1/ondertekenverzoeken/{token}` records one decision. Any change to the proof after the
//! link was made outdates it; a used, expired, outdated or unknown token each has its own
//! problem, and every call counts against a per-address rate limit, so guessing is hopeless.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::Duration;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use super::model::{BeslissingIn, BeslissingUit, NieuwOndertekenverzoek, Ondertekenverzoek};
use super::{
    BEWERKEN_VERBODEN, Geladen, bewijs_href, bewijs_zicht, contract_loopt, laad, laad_voor, log, overgangsfout,
    prestatie_uit, problem,
};
use crate::domain::deelnamebewijs::{
    self as regels, Handeling, LINK_GELDIG_DAGEN, LinkBeslissing, LinkFout, LinkStand, Rollen, Wijze,
};
use crate::domain::secrets::{random_token, token_hash};
use crate::error::{ApiError, ApiResult, InputLocation, Problem};
use crate::http::conditional::IfMatch;
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::JsonBody;
use crate::http::idempotency;
use crate::http::links::Links;
use crate::repo::audit::{Action, Actor};
use crate::repo::deelnamebewijzen::{self as repo, BewijsWijziging, LinkRow};
use crate::routes::common::utc;
use crate::routes::toegang::{regelfouten, versie_verschoven};

fn link_href(links: &Links, token: &str) -> String {
    links.href(&format!("/v1/ondertekenverzoeken/{token}"))
}

/// Make a signing link
///
/// For the newcomer, their trajectbegeleider or an admin, when the contact person has no
/// account: returns a one-time link (`self`, with the `token`) to send them. The token is shown
/// only here; the API keeps its hash. A draft is submitted (`concept` → `teOndertekenen`) on the
/// way. The link is valid 14 days, for one decision, and only while the proof stays exactly as it
/// is now (its `versie`): change the hours and make a new link. `Idempotency-Key` is refused
/// here, since a replay would have to store the token.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "createOndertekenverzoek",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag of the version the contact person should sign"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "The link (shown once)", body = NieuwOndertekenverzoek,
            headers(("Location" = String, description = "The link"), ("ETag" = String, description = "The proof's new ETag"))),
        (status = 409, description = "Not in `concept` or `teOndertekenen` (`invalidTransition`), no lines \
            (`emptyDeelnamebewijs`), or the contract is not running (`contractNotRunning`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/ondertekenverzoeken")]
pub async fn create_ondertekenverzoek(
    req: HttpRequest,
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    if req.headers().contains_key(idempotency::HEADER) {
        return Err(ApiError::invalid(
            InputLocation::Header,
            "Idempotency-Key",
            "A signing link is shown once and never stored; leave out Idempotency-Key and make a new link if the \
             response got lost",
        ));
    }
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let id = path.into_inner();
    let token = random_token(32);
    let hash = token_hash(&token);
    let (versie, verloopt_op) = state
        .db
        .write(move |c| {
            let (g, _) = laad_voor(c, &zicht, id, Rollen::mag_bewerken, BEWERKEN_VERBODEN)?;
            if_match.check(g.row.versie)?;
            let van = g.status()?;
            let naar = regels::overgang(van, Handeling::LinkMaken, g.prestaties.len()).map_err(overgangsfout)?;
            contract_loopt(&g.contract)?;
            let nu = crate::db::now();
            let mut versie = g.row.versie;
            if naar != van {
                let w = BewijsWijziging { status: Some(naar.as_str().to_string()), ..Default::default() };
                if repo::wijzig(c, id, versie, &w, nu)? == 0 {
                    return Err(versie_verschoven(&if_match));
                }
                versie += 1;
            }
            let verloopt_op = nu + Duration::days(LINK_GELDIG_DAGEN);
            let link = repo::insert_link(c, id, &hash, versie, &actor.sub, nu, verloopt_op)?;
            log(
                c,
                &actor,
                Action::Change("ondertekenverzoekAangemaakt"),
                &g.row,
                json!({ "ondertekenverzoek": link, "versie": versie, "van": van.as_str(), "naar": naar.as_str() }),
            )?;
            Ok((versie, verloopt_op))
        })
        .await?;
    let href = link_href(&links, &token);
    let mut res = HttpResponse::Created();
    res.insert_header((header::LOCATION, href.clone()));
    crate::http::conditional::with_etag(&mut res, versie);
    Ok(res.json(NieuwOndertekenverzoek {
        self_link: href,
        token,
        deelnamebewijs: bewijs_href(&links, id),
        verloopt_op: utc(verloopt_op),
        versie,
    }))
}

fn linkfout(f: LinkFout) -> ApiError {
    match f {
        LinkFout::Gebruikt => ApiError::pnt(
            StatusCode::GONE,
            problem::SIGNING_LINK_USED,
            "Signing Link Used",
            "This signing link was already used; a link records one decision",
        ),
        LinkFout::Verlopen => ApiError::pnt(
            StatusCode::GONE,
            problem::SIGNING_LINK_EXPIRED,
            "Signing Link Expired",
            format!("This signing link expired (links are valid {LINK_GELDIG_DAGEN} days); ask for a new one"),
        ),
        LinkFout::Verouderd => ApiError::pnt(
            StatusCode::CONFLICT,
            problem::SIGNING_LINK_OUTDATED,
            "Signing Link Outdated",
            "The proof changed (or was signed or refused) since this link was made; ask for a new link",
        ),
    }
}

/// The link and its proof, if the link may be used now: 404 for an unknown token, else the
/// link's own problem. `geclaimd`: this transaction just marked the link used for its decision.
fn laad_link(c: &mut crate::db::DbConn, token: &str, geclaimd: bool) -> ApiResult<(LinkRow, Geladen)> {
    let onbekend = || ApiError::not_found("No signing link with this token; check the link or ask for a new one");
    let link = repo::find_link(c, &token_hash(token))?.ok_or_else(onbekend)?;
    let g = laad(c, link.bewijs_id)?.ok_or_else(onbekend)?;
    let stand = LinkStand {
        gebruikt: link.gebruikt_op.is_some() && !geclaimd,
        verloopt_op: link.verloopt_op,
        bewijs_versie: link.bewijs_versie,
    };
    regels::link_bruikbaar(stand, crate::db::now(), g.row.versie, g.status()?).map_err(linkfout)?;
    Ok((link, g))
}

/// Who acts through a link, for the audit log.
fn link_actor(link: &LinkRow, trace: &crate::http::conventions::TraceId, at: chrono::NaiveDateTime) -> Actor {
    Actor::system(&format!("ondertekenverzoek:{}", link.id), trace, at)
}

const TOKEN_PARAM: &str = "The token of the link";

/// Open a signing link (no login)
///
/// What the contact person needs to decide, and nothing more: the newcomer's first name and
/// initial, the activity, the organisation, the hours per day and the total. Rate limited per
/// address (`429`).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "getOndertekenverzoek",
    params(("token" = String, Path, description = TOKEN_PARAM)),
    responses(
        (status = 200, description = "What to sign", body = Ondertekenverzoek),
        (status = 404, description = "Unknown token (`resourceNotFound`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The proof changed since the link was made (`signingLinkOutdated`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 410, description = "The link was used (`signingLinkUsed`) or expired (`signingLinkExpired`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`tooManyRequests`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/ondertekenverzoeken/{token}")]
pub async fn get_ondertekenverzoek(
    req: HttpRequest,
    ctx: PublicCtx,
    path: web::Path<String>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, trace, .. } = ctx;
    state.limits.ondertekening.check(&req)?;
    let nu = state.clock.now();
    let token = path.into_inner();
    let self_link = link_href(&links, &token);
    let (link, g) = state
        .db
        .write(move |c| {
            let (link, g) = laad_link(c, &token, false)?;
            log(c, &link_actor(&link, &trace, nu), Action::Read, &g.row, json!({ "via": Wijze::Link.as_str() }))?;
            Ok((link, g))
        })
        .await?;
    Ok(HttpResponse::Ok().json(Ondertekenverzoek {
        self_link,
        inburgeraar: regels::korte_naam(&g.persoon.voornaam, &g.persoon.achternaam),
        activiteit: g.row.activiteit.clone(),
        organisatie: g.row.organisatie_naam.clone(),
        prestaties: g.prestaties.iter().map(prestatie_uit).collect(),
        totaal_uren: regels::totaal(&g.prestaties).uren(),
        verloopt_op: utc(link.verloopt_op),
    }))
}

/// Sign or refuse through a link (no login)
///
/// `{ "beslissing": "ondertekenen" | "weigeren", "naam": …, "motivatie": … }` — the motivation is
/// required to refuse (R8). One decision per link: afterwards the link is `signingLinkUsed`.
/// Signing makes the proof `ondertekend` and immutable; refusing makes it `geweigerd`. Rate
/// limited per address (`429`).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "decideOndertekenverzoek",
    params(("token" = String, Path, description = TOKEN_PARAM)),
    request_body(content = BeslissingIn, description = "The decision, with the name of who decides", examples(
        ("ondertekenen" = (summary = "Sign the hours", value = json!({ "beslissing": "ondertekenen", "naam": "An Peeters" }))),
        ("weigeren" = (summary = "Refuse the hours", value = json!({
            "beslissing": "weigeren", "naam": "An Peeters", "motivatie": "Was op 7 oktober niet aanwezig"
        }))),
    )),
    responses(
        (status = 200, description = "The decision is recorded", body = BeslissingUit),
        (status = 404, description = "Unknown token (`resourceNotFound`)", body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The proof changed since the link was made (`signingLinkOutdated`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 410, description = "The link was used (`signingLinkUsed`) or expired (`signingLinkExpired`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 429, description = "Too many requests from this address (`tooManyRequests`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/ondertekenverzoeken/{token}")]
pub async fn decide_ondertekenverzoek(
    req: HttpRequest,
    ctx: PublicCtx,
    path: web::Path<String>,
    body: JsonBody<BeslissingIn>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, trace, .. } = ctx;
    state.limits.ondertekening.check(&req)?;
    let nu = state.clock.now();
    let token = path.into_inner();
    let BeslissingIn { beslissing, naam, motivatie } = body.0;
    let handeling = match beslissing {
        LinkBeslissing::Ondertekenen => Handeling::Ondertekenen,
        LinkBeslissing::Weigeren => Handeling::Weigeren,
    };
    let motivatie = regels::motivatie(handeling, motivatie.as_deref()).map_err(|f| regelfouten(vec![f]))?;
    let naam = naam.trim().to_string();
    if naam.is_empty() {
        return Err(ApiError::invalid(InputLocation::Body, "naam", "naam must not be blank"));
    }
    let uit = state
        .db
        .write(move |c| {
            // Claim the link first: of two concurrent decisions one waits for the other and then
            // finds the link used. Any refusal below rolls the claim back.
            let geclaimd = repo::claim_link(c, &token_hash(&token), beslissing.as_str(), nu)? == 1;
            let (link, g) = laad_link(c, &token, geclaimd)?;
            let van = g.status()?;
            let naar = regels::overgang(van, handeling, g.prestaties.len()).map_err(overgangsfout)?;
            let via = Some(Some(Wijze::Link.as_str().to_string()));
            let mut w = BewijsWijziging { status: Some(naar.as_str().to_string()), ..Default::default() };
            match beslissing {
                LinkBeslissing::Ondertekenen => {
                    w.ondertekend_door = Some(Some(naam));
                    w.ondertekend_op = Some(Some(nu));
                    w.ondertekend_via = via;
                }
                LinkBeslissing::Weigeren => {
                    w.geweigerd_door = Some(Some(naam));
                    w.geweigerd_op = Some(Some(nu));
                    w.geweigerd_via = via;
                    w.weigering_motivatie = Some(motivatie);
                }
            }
            if repo::wijzig(c, g.row.id, link.bewijs_versie, &w, nu)? == 0 {
                return Err(linkfout(LinkFout::Verouderd));
            }
            let audit_naam = if beslissing == LinkBeslissing::Ondertekenen { "ondertekend" } else { "geweigerd" };
            log(
                c,
                &link_actor(&link, &trace, nu),
                Action::Change(audit_naam),
                &g.row,
                json!({ "van": van.as_str(), "naar": naar.as_str(), "via": Wijze::Link.as_str(), "ondertekenverzoek": link.id }),
            )?;
            Ok(BeslissingUit { beslissing, status: naar, op: utc(nu), totaal_uren: regels::totaal(&g.prestaties).uren() })
        })
        .await?;
    Ok(HttpResponse::Ok().json(uit))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_ondertekenverzoek).service(get_ondertekenverzoek).service(decide_ondertekenverzoek);
}
