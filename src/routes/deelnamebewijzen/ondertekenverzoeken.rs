//! One-time signing links (R8) for contact persons without an account.
//!
//! `POST /v1/deelnamebewijzen/{id}/ondertekenverzoeken` (newcomer, trajectbegeleider) makes a
//! link: a random 256-bit token, stored only as its SHA-256, valid for `LINK_GELDIG_DAGEN` (14)
//! days and tied to the proof's version at that moment, and mailed (through the outbox) to the
//! proof's contact person — never returned to whoever asked (R8, R20). Without logging in,
//! `GET /v1/ondertekenverzoeken/{token}` shows the contact person the minimum to decide, and
//! `POST /v1/ondertekenverzoeken/{token}` records one decision. Any change to the proof after the
//! link was made outdates it; a used, expired, outdated or unknown token each has its own
//! problem, and every call counts against a per-address rate limit, so guessing is hopeless.

use actix_web::{HttpRequest, HttpResponse, get, post, web};
use utoipa_actix_web::service_config::ServiceConfig;

use super::{bewijs_href, prestatie_uit};
use crate::app::deelnamebewijzen;
use crate::app::document::VersionedWrite;
use crate::app::ondertekening::{self, Stap};
use crate::domain::deelnamebewijs as regels;
use crate::domain::secrets::random_token;
use crate::domain::toegang::deelnamebewijzen::BewijsZicht;
use crate::error::{ApiError, ApiResult, InputLocation, Problem};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::JsonBody;
use crate::http::links::Links;
use crate::http::path::BewijsId;
use crate::repo::outbox::BerichtStatus;
use crate::wire::common::{gemaskeerd_adres, utc};
use crate::wire::deelnamebewijzen::{BeslissingIn, BeslissingUit, NieuwOndertekenverzoek, Ondertekenverzoek};

/// The address a signing link opens: the signing page (`PNT_SIGNING_LINK_BASE`) or the API's own
/// `/v1/ondertekenverzoeken/{token}`, the token appended.
fn link_url(ctx: &Ctx, token: &str) -> String {
    match &ctx.state.settings.mail.signing_link_base {
        Some(base) => format!("{base}{token}"),
        None => link_href(&ctx.links, token),
    }
}

fn link_href(links: &Links, token: &str) -> String {
    links.href(&format!("/v1/ondertekenverzoeken/{token}"))
}

/// Send a signing link to the contact person
///
/// For the newcomer, their trajectbegeleider or an admin, when the contact person confirms the
/// hours without an account: the API mails a one-time link to the proof's contact person (R8) and
/// answers where it went (masked) — never the link itself, so whoever asks cannot sign. For a
/// proof of a catalogue offer the address is the one the organisation gave on the offer; an
/// address the newcomer or case worker typed is marked `ingevoerd` (unconfirmed) in the proof's
/// signing trail. A draft is submitted (`concept` → `teOndertekenen`) on the way. The link is
/// valid 14 days, for one decision, and only while the proof stays exactly as it is now (its
/// `versie`): change the hours and send a new link. `Idempotency-Key` is refused here: a replay
/// would have to keep the link.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "createOndertekenverzoek",
    params(BewijsId, IfMatch),
    responses(
        (status = 202, description = "The link is on its way (in the outbox; the mail follows within seconds)",
            body = NieuwOndertekenverzoek, headers(("ETag" = String, description = "The proof's new ETag"))),
        (status = 409, description = "Not in `concept` or `teOndertekenen` (`invalidTransition`), no lines \
            (`emptyDeelnamebewijs`), the contract is not running (`contractNotRunning`), or the contact person \
            has no e-mail address (`contactEmailMissing`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/ondertekenverzoeken")]
pub async fn create_ondertekenverzoek(ctx: Ctx, id: BewijsId, if_match: IfMatch) -> ApiResult<HttpResponse> {
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let (actor, id, token) = (ctx.actor(), id.0, random_token(32));
    let url = link_url(&ctx, &token);
    let link = ctx
        .state
        .db
        .write(move |c| {
            let (b, rollen, _) = deelnamebewijzen::load(c, &zicht, id)?;
            let write = VersionedWrite { actor: &actor, if_match: &if_match };
            ondertekening::maak_link(c, &b, &rollen, &write, &token, &url)
        })
        .await?;
    ctx.state.outbox.wek();
    let mut res = HttpResponse::Accepted();
    with_etag(&mut res, link.versie);
    Ok(res.json(NieuwOndertekenverzoek {
        id: link.id,
        deelnamebewijs: bewijs_href(&ctx.links, id),
        verzonden_naar: gemaskeerd_adres(&link.email),
        email_bron: link.email_bron,
        bezorging: BerichtStatus::TeVerzenden,
        verloopt_op: utc(link.verloopt_op),
        versie: link.versie,
    }))
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
        (status = 404, description = "Unknown token (`resourceNotFound`)", body = Problem),
        (status = 409, description = "The proof changed since the link was made (`signingLinkOutdated`)", body = Problem),
        (status = 410, description = "The link was used (`signingLinkUsed`) or expired (`signingLinkExpired`)", body = Problem),
        (status = 429, description = "Too many requests from this address (`tooManyRequests`)", body = Problem),
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
    let (nu, token) = (state.clock.now(), path.into_inner());
    let self_link = link_href(&links, &token);
    let (link, b) = state.db.write(move |c| ondertekening::open_link(c, &token, nu, &trace)).await?;
    Ok(HttpResponse::Ok().json(Ondertekenverzoek {
        self_link,
        inburgeraar: regels::korte_naam(&b.persoon.voornaam, &b.persoon.achternaam),
        activiteit: b.row.activiteit.clone(),
        organisatie: b.row.organisatie_naam.clone(),
        prestaties: b.prestaties.iter().map(prestatie_uit).collect(),
        totaal_uren: regels::totaal(&b.prestaties).uren(),
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
        (status = 404, description = "Unknown token (`resourceNotFound`)", body = Problem),
        (status = 409, description = "The proof changed since the link was made (`signingLinkOutdated`), or while the \
            decision was being recorded (`conflict`: open the link again), or the contract no longer runs \
            (`contractNotRunning`)", body = Problem),
        (status = 410, description = "The link was used (`signingLinkUsed`) or expired (`signingLinkExpired`)", body = Problem),
        (status = 429, description = "Too many requests from this address (`tooManyRequests`)", body = Problem),
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
    let (nu, token) = (state.clock.now(), path.into_inner());
    let BeslissingIn { beslissing, naam, motivatie } = body.0;
    let stap = Stap::beslissing(beslissing, naam.trim().to_string(), motivatie)?;
    if naam.trim().is_empty() {
        return Err(ApiError::invalid(InputLocation::Body, "naam", "naam must not be blank"));
    }
    let (status, b) = state.db.write(move |c| ondertekening::beslis(c, &token, nu, &trace, beslissing, &stap)).await?;
    let totaal_uren = regels::totaal(&b.prestaties).uren();
    Ok(HttpResponse::Ok().json(BeslissingUit { beslissing, status, op: utc(nu), totaal_uren }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(create_ondertekenverzoek).service(get_ondertekenverzoek).service(decide_ondertekenverzoek);
}
