//! `/v1/aanbod`: the offer catalogue. Public search over published offers; organisations
//! submit, municipalities moderate (R11–R14, R21). Who may see and do what:
//! `domain::toegang::aanbod`; every change follows `app::document`.

use actix_web::http::StatusCode;
use actix_web::http::header::{self, HeaderValue};
use actix_web::{HttpRequest, HttpResponse, delete, get, patch, post, put, web};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;
use validator::Validate;

use crate::app::document::{self, Document, VersionedWrite, created, found};
use crate::auth::Role;
use crate::catalogus::Catalogus;
use crate::db::DbConn;
use crate::domain::aanbod::{
    self as regels, AanbodStatus, RevisieBeslissing, RevisieStatus, Sortering, Stap, WorkflowFout, zoekwoorden,
};
use crate::domain::geo::{Omtrek, Punt};
use crate::domain::ids::OrganisatieId;
use crate::domain::toegang::aanbod::{AanbodToegang, Zichtbaarheid};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::{JsonBody, ListQuery, MergePatch, Query};
use crate::http::links::Links;
use crate::http::path::AanbodId;
use crate::repo::aanbod::{self as repo, AanbodInhoud, AanbodRow, Groepering, Herkomst, Zoekopdracht};
use crate::repo::aanbodrevisies::{self as revisies, RevisieRow};
use crate::repo::audit::{self, Action, Actor};
use crate::repo::organisaties;
use crate::state::AppState;
use crate::wire::aanbod::{
    Aanbod, AanbodFacetten, AanbodInput, AanbodPatch, AanbodQuery, AanbodZoekresultaat, FacetWaarde, LangQuery,
};
use crate::wire::aanbodrevisies::{AanbodRevisie, RevisieBeoordeling};
use crate::wire::common::utc;

/// An offer with the name of its organisation: what its document is made of.
type Geladen = (AanbodRow, Option<String>);

fn met_organisatie(c: &mut DbConn, row: AanbodRow) -> ApiResult<Geladen> {
    let org = organisatie_naam(c, row.organisatie_id)?;
    Ok((row, org))
}

fn organisatie_naam(c: &mut DbConn, id: Option<i64>) -> ApiResult<Option<String>> {
    let Some(id) = id else { return Ok(None) };
    Ok(organisaties::names(c, &[id])?.into_iter().next().map(|(_, n)| n))
}

/// The offer if the caller may see it (else `404`, so drafts do not leak).
fn zichtbaar(c: &mut DbConn, toegang: &AanbodToegang, id: i64) -> ApiResult<AanbodRow> {
    found(id, repo::find(c, id, &toegang.zichtbaarheid())?)
}

/// The offer if the caller may manage it (`404` if they may not even see it, else `403`).
fn beheerd(c: &mut DbConn, toegang: &AanbodToegang, id: i64) -> ApiResult<AanbodRow> {
    let row = zichtbaar(c, toegang, id)?;
    if !toegang.beheert(&row.eigenaar()) {
        return Err(ApiError::missing_permission("You may not manage this offer"));
    }
    Ok(row)
}

/// The offer as it was just stored.
fn opgeslagen(c: &mut DbConn, id: i64) -> ApiResult<AanbodRow> {
    found(id, repo::find(c, id, &Zichtbaarheid::Alles)?)
}

/// Validates an input against the reference data and the database (the organisation exists),
/// reporting every problem at once.
fn inhoud(c: &mut DbConn, state: &AppState, input: AanbodInput) -> ApiResult<AanbodInhoud> {
    let mut issues = Vec::new();
    if let Some(id) = input.organisatie
        && organisatie_naam(c, Some(id))?.is_none()
    {
        let detail = format!("No organisation with id {id}");
        issues.push(InputIssue::referenced_not_found(InputLocation::Body, "organisatie", detail).with_value(id));
    }
    match input.into_inhoud(&state.refdata) {
        Ok(inhoud) if issues.is_empty() => Ok(inhoud),
        result => Err(ApiError::bad_request(issues.into_iter().chain(result.err().into_iter().flatten()).collect())),
    }
}

struct Taal {
    lang: Option<String>,
    accept: Option<String>,
}

impl Taal {
    fn of(req: &HttpRequest, lang: Option<String>) -> Taal {
        let accept = req.headers().get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).map(str::to_string);
        Taal { lang, accept }
    }
}

/// The offer's document with its `ETag` (and `Location` when new), in the language the request
/// asks for, which `Content-Language` names.
fn respond(status: StatusCode, (row, org): Geladen, links: &Links, state: &AppState, taal: &Taal) -> HttpResponse {
    let doc = row.document(links, &state.refdata, org, taal.lang.as_deref(), taal.accept.as_deref());
    let (self_link, versie) = (doc.self_link.clone(), doc.versie);
    let content_language = HeaderValue::from_str(&doc.weergave.taal);
    let mut res = document::respond(status, &self_link, versie, doc);
    if let Ok(v) = content_language {
        res.headers_mut().insert(header::CONTENT_LANGUAGE, v);
    }
    res
}

/// What a write to an offer works with inside its transaction.
struct Schrijver {
    toegang: AanbodToegang,
    actor: Actor,
    state: web::Data<AppState>,
}

/// Runs `write` in one write transaction with the caller's rights and answers with the offer it
/// stored.
async fn schrijf(
    req: &HttpRequest,
    ctx: Ctx,
    status: StatusCode,
    write: impl FnOnce(&mut DbConn, Schrijver) -> ApiResult<AanbodRow> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let taal = Taal::of(req, None);
    let schrijver =
        Schrijver { toegang: AanbodToegang::van(Some(&ctx.caller)), actor: ctx.actor(), state: ctx.state.clone() };
    let Ctx { state, links, .. } = ctx;
    let geladen = state
        .db
        .write(move |c| {
            let row = write(c, schrijver)?;
            met_organisatie(c, row)
        })
        .await?;
    Ok(respond(status, geladen, &links, &state, &taal))
}

/// The example of the `409` of a change to an archived offer.
fn gearchiveerd() -> serde_json::Value {
    serde_json::json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
        "detail": "An archived offer can no longer be changed", "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})
}

/// Turns the query parameters into a search, reporting every faulty one.
fn zoekopdracht(f: AanbodQuery, state: &AppState) -> ApiResult<Zoekopdracht> {
    let mut issues = Vec::new();
    let omtrek = match f.near.as_deref().map(Punt::parse) {
        Some(Ok(p)) => {
            let radius = f.radius_km.unwrap_or(10.0);
            if !(radius > 0.0 && radius <= 250.0) {
                issues.push(InputIssue::invalid(InputLocation::Query, "radiusKm", "radiusKm must be > 0 and ≤ 250"));
            }
            Some(Omtrek::new(p, radius.clamp(0.1, 250.0)))
        }
        Some(Err(e)) => {
            issues.push(InputIssue::invalid(InputLocation::Query, "near", e).with_value(&f.near));
            None
        }
        None => {
            if f.radius_km.is_some() {
                issues.push(InputIssue::invalid(InputLocation::Query, "radiusKm", "radiusKm needs near"));
            }
            None
        }
    };
    if f.sort.contains(&Sortering::Afstand) && f.near.is_none() {
        issues.push(InputIssue::invalid(InputLocation::Query, "sort", "sorting by afstand needs near=lat,lon"));
    }
    if let Some(t) = f.taal.iter().find(|t| !crate::domain::taal::is_language_code(&t.to_ascii_lowercase())) {
        issues.push(InputIssue::invalid(InputLocation::Query, "taal", format!("'{t}' is not an ISO 639-1 code")));
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let mut gemeenten = f.gemeente;
    if !f.regionaal_netwerk.is_empty() {
        let in_netwerk = state.refdata.gemeenten_van(&f.regionaal_netwerk);
        gemeenten = if gemeenten.is_empty() {
            in_netwerk
        } else {
            gemeenten.into_iter().filter(|g| in_netwerk.contains(g)).collect()
        };
        if gemeenten.is_empty() {
            // No municipality satisfies both filters: nothing can match.
            gemeenten.push(String::new());
        }
    }
    let woorden = zoekwoorden(f.q.as_deref().unwrap_or(""));
    let statussen = if f.status.is_empty() { vec![AanbodStatus::Gepubliceerd] } else { f.status };
    Ok(Zoekopdracht {
        gemeenten,
        types: f.aanbodtype,
        talen: f.taal.iter().map(|t| t.to_ascii_lowercase()).collect(),
        themas: f.thema.iter().map(|t| regels::normaliseer_thema(t)).collect(),
        statussen,
        organisatie: f.organisatie,
        nederlandstalige_context: f.nederlandstalige_context,
        in_groep: f.in_groep,
        buiten_eigen_kring: f.buiten_eigen_kring,
        duurzaam_contact: f.duurzaam_contact,
        kwalificeert: f.kwalificeert,
        kosteloos: f.kosteloos,
        beschikbaar_op: f.beschikbaar_op,
        omtrek,
        weekdagen: f.weekdag,
        dagdelen: f.dagdeel,
        // A query of only punctuation matches nothing rather than everything.
        niets: f.q.as_deref().is_some_and(|q| !q.trim().is_empty()) && woorden.is_empty(),
        woorden,
        sortering: f.sort,
    })
}

/// A facet of the search (`facetten`), named as its filter.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Facet {
    Aanbodtype,
    Gemeente,
    RegionaalNetwerk,
    Taal,
    Weekdag,
}

impl Facet {
    const ALL: [(&'static str, Facet); 5] = [
        ("aanbodtype", Facet::Aanbodtype),
        ("gemeente", Facet::Gemeente),
        ("regionaalNetwerk", Facet::RegionaalNetwerk),
        ("taal", Facet::Taal),
        ("weekdag", Facet::Weekdag),
    ];

    /// The facets asked for, comma-separated and/or repeated; an unknown name is `400`.
    fn parse(gevraagd: &[String]) -> ApiResult<Vec<Facet>> {
        let mut out = Vec::new();
        for naam in gevraagd.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|n| !n.is_empty()) {
            let Some((_, f)) = Facet::ALL.iter().find(|(n, _)| *n == naam) else {
                let namen: Vec<&str> = Facet::ALL.iter().map(|(n, _)| *n).collect();
                return Err(ApiError::bad_request(vec![
                    InputIssue::invalid(
                        InputLocation::Query,
                        "facetten",
                        format!("'{naam}' is not a facet; facets: {}", namen.join(", ")),
                    )
                    .with_value(naam),
                ]));
            };
            if !out.contains(f) {
                out.push(*f);
            }
        }
        Ok(out)
    }

    /// The request without this facet's own filter: each facet ignores its own.
    fn zonder_eigen_filter(self, mut f: AanbodQuery) -> AanbodQuery {
        match self {
            Facet::Aanbodtype => f.aanbodtype.clear(),
            Facet::Gemeente => f.gemeente.clear(),
            Facet::RegionaalNetwerk => f.regionaal_netwerk.clear(),
            Facet::Taal => f.taal.clear(),
            Facet::Weekdag => f.weekdag.clear(),
        }
        f
    }

    fn groepering(self) -> Groepering {
        match self {
            Facet::Aanbodtype => Groepering::Aanbodtype,
            Facet::Gemeente | Facet::RegionaalNetwerk => Groepering::Gemeente,
            Facet::Taal => Groepering::Taal,
            Facet::Weekdag => Groepering::Weekdag,
        }
    }
}

/// Counts per value, most first, ties by value.
fn waarden(telling: impl IntoIterator<Item = (String, i64)>) -> Vec<FacetWaarde> {
    let mut per_waarde: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
    for (waarde, aantal) in telling {
        *per_waarde.entry(waarde).or_default() += aantal;
    }
    let mut out: Vec<FacetWaarde> =
        per_waarde.into_iter().filter(|(_, n)| *n > 0).map(|(waarde, aantal)| FacetWaarde { waarde, aantal }).collect();
    out.sort_by(|a, b| b.aantal.cmp(&a.aantal).then_with(|| a.waarde.cmp(&b.waarde)));
    out
}

/// Search the offer
///
/// Public. Without a token, or without a `status` filter, only published offers are found.
/// With `status`, other states show only what the caller may see: admins and
/// trajectbegeleiders everything, an aanbieder its organisation's offers, lokaalBestuur the
/// offers in its municipalities, a feed client those of its own source.
///
/// Combine free text, place, type, language, themes, criteria, period and distance: repeated
/// parameters are alternatives, different ones all apply. Each item carries `afstandKm` when
/// `near` is given. Unknown or faulty parameters are `400` naming each one (e.g. `radiusKm`
/// without `near`, `sort=afstand` without `near`, a `taal` that is not ISO 639-1, an unknown
/// name in `facetten`).
///
/// `weekdag` and `dagdeel` select by schedule (R30): an offer matches with a weekly slot on the
/// day or a dated session falling on it, overlapping the part of the day by at least a minute
/// (`voormiddag` 00:00–12:00, `namiddag` 12:00–18:00, `avond` 18:00–24:00); given together, one
/// moment must match both.
///
/// **Facets.** `facetten=aanbodtype,gemeente,regionaalNetwerk,taal,weekdag` (any of them) adds
/// `facetten` next to the page: per facet the values with the number of matching offers, each
/// facet under every filter of the request except its own, as catalogue filters expect.
///
/// `total` is exact. Published offers are searched in a copy of the catalogue that each
/// instance keeps in memory: a change is found at once on the instance that made it and within
/// `PNT_SEARCH_REFRESH_MS` (250 ms by default) on the others.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "searchAanbod",
    params(AanbodQuery, PageParams,
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages for `titel` (`lang` overrides it); an offer without that language shows Dutch", example = "en, nl;q=0.8")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "A page of offers, with the facets when asked", body = AanbodZoekresultaat))
)]
#[get("/aanbod")]
pub async fn search_aanbod(req: HttpRequest, ctx: PublicCtx, query: ListQuery<AanbodQuery>) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, caller, .. } = ctx;
    let ListQuery { filter, page } = query;
    let taal = Taal::of(&req, filter.lang.clone());
    let facetten = Facet::parse(&filter.facetten)?;
    let per_facet = facetten
        .iter()
        .map(|f| Ok((*f, zoekopdracht(f.zonder_eigen_filter(filter.clone()), &state)?)))
        .collect::<ApiResult<Vec<(Facet, Zoekopdracht)>>>()?;
    let z = zoekopdracht(filter, &state)?;
    let zicht = AanbodToegang::van(caller.as_ref()).zichtbaarheid();
    let near = z.omtrek.as_ref().map(|o| o.centrum);
    let (offset, limit) = (page.offset(), page.limit());
    let catalogus = state.catalogus.clone();
    // Published offers come from the catalogue in memory, the rest from SQL.
    let in_geheugen = Catalogus::beantwoordt(&z) && per_facet.iter().all(|(_, zf)| Catalogus::beantwoordt(zf));
    let gevraagd: Vec<_> = per_facet.iter().map(|(f, zf)| (zf.clone(), f.groepering())).collect();
    let namen: Vec<Facet> = per_facet.iter().map(|(f, _)| *f).collect();
    let (kaarten, total, tellingen) = if in_geheugen && catalogus.bij() {
        // Caught up: memory alone answers, without taking a database connection.
        let r = web::block(move || catalogus.antwoord(&z, offset, limit, &gevraagd)).await?;
        (r.kaarten, r.total, namen.into_iter().zip(r.facetten).collect())
    } else {
        state
            .db
            .run(move |c| {
                if in_geheugen && let Some(r) = catalogus.zoek(c, &z, offset, limit, &gevraagd)? {
                    return Ok((r.kaarten, r.total, namen.into_iter().zip(r.facetten).collect()));
                }
                let (rows, total) = repo::search(c, &z, &zicht, offset, limit)?;
                let mut tellingen = Vec::new();
                for (f, zf) in &per_facet {
                    tellingen.push((*f, repo::facet(c, zf, &zicht, f.groepering())?));
                }
                Ok((rows.iter().map(AanbodRow::kaart).collect(), total, tellingen))
            })
            .await?
    };
    let items = kaarten
        .iter()
        .map(|r| r.summary(&links, &state.refdata, taal.lang.as_deref(), taal.accept.as_deref(), near.as_ref()))
        .collect();
    let facetten = (!facetten.is_empty()).then(|| {
        let mut uit = AanbodFacetten::default();
        for (f, telling) in tellingen {
            let lijst = match f {
                Facet::RegionaalNetwerk => waarden(
                    telling
                        .into_iter()
                        .filter_map(|(nis, n)| state.refdata.gemeente(&nis).map(|g| (g.netwerk.clone(), n))),
                ),
                _ => waarden(telling),
            };
            let veld = match f {
                Facet::Aanbodtype => &mut uit.aanbodtype,
                Facet::Gemeente => &mut uit.gemeente,
                Facet::RegionaalNetwerk => &mut uit.regionaal_netwerk,
                Facet::Taal => &mut uit.taal,
                Facet::Weekdag => &mut uit.weekdag,
            };
            *veld = Some(lijst);
        }
        uit
    });
    let pagina = Collection::new(&req, &links, &page, items, total);
    Ok(HttpResponse::Ok().json(AanbodZoekresultaat { pagina, facetten }))
}

/// Get an offer
///
/// Published offers are public. Other states only for whoever may manage the offer (admin,
/// lokaalBestuur of its municipality, the aanbieder of its organisation, the feed client of its
/// source) and for trajectbegeleiders; anyone else gets `404`, so drafts do not leak.
/// `weergave` holds the texts in the language asked for with `lang` or `Accept-Language`.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "getAanbod",
    params(AanbodId, LangQuery,
        ("Accept-Language" = Option<String>, Header, description = "Preferred languages for `weergave` (`lang` overrides it)", example = "en, nl;q=0.8")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The offer", body = Aanbod,
        headers(("ETag" = String, description = "Version, for If-Match"),
            ("Content-Language" = String, description = "The language of `weergave`"))))
)]
#[get("/aanbod/{id}")]
pub async fn get_aanbod(
    req: HttpRequest,
    ctx: PublicCtx,
    id: AanbodId,
    query: Query<LangQuery>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, caller, .. } = ctx;
    let id = id.0;
    let taal = Taal::of(&req, query.0.lang);
    let toegang = AanbodToegang::van(caller.as_ref());
    let geladen = state
        .db
        .run(move |c| {
            let row = zichtbaar(c, &toegang, id)?;
            met_organisatie(c, row)
        })
        .await?;
    Ok(respond(StatusCode::OK, geladen, &links, &state, &taal))
}

/// Create an offer
///
/// The offer starts as `concept`; submit it with `POST /v1/aanbod/{id}/status`. An aanbieder
/// creates offers of its own organisation (`organisatie` = its organisation); lokaalBestuur in
/// its own municipalities; admin anywhere. Other roles, or another organisation or
/// municipality, get `403`. The input is checked against the reference data too: an unknown
/// `gemeente` or `organisatie` is `400` (`referencedResourceNotFound`).
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "createAanbod",
    request_body(content = AanbodInput, description = "The new offer",
        example = json!({
            "titel": {"nl": "Taalcafé De Brug", "en": "Language café De Brug"},
            "beschrijving": {"nl": "Elke dinsdag praten we Nederlands bij koffie.", "en": "Every Tuesday we speak Dutch over coffee."},
            "aanbodtype": "praattafel",
            "organisatie": 12,
            "gemeente": "44021",
            "locatie": {"straat": "Sint-Pietersplein", "huisnummer": "5", "postcode": "9000", "plaats": "Gent", "lat": 51.0425, "lon": 3.7265},
            "contactpersoon": {"naam": "An Peeters", "email": "an.peeters@example.be", "telefoon": "+32 470 12 34 56"},
            "nederlandstaligeContext": true,
            "socialeParticipatie": true,
            "inGroep": true,
            "buitenEigenKring": true,
            "duurzaamContact": false,
            "ondersteuningstalen": ["en", "ar"],
            "verwachteUrenPerWeek": 2.0,
            "periode": {"van": "2026-09-01", "tot": "2027-06-30"},
            "capaciteit": 8,
            "kosteloos": true,
            "themas": ["taal", "ontmoeting"]
        })),
    responses((status = 201, description = "Created, as `concept`", body = Aanbod,
        headers(("Location" = String, description = "URI of the new offer"), ("ETag" = String, description = "Version, for If-Match"))))
)]
#[post("/aanbod")]
pub async fn create_aanbod(req: HttpRequest, ctx: Ctx, body: JsonBody<AanbodInput>) -> ApiResult<HttpResponse> {
    ctx.caller.require_any(&[Role::Admin, Role::LokaalBestuur, Role::Aanbieder])?;
    let input = body.0;
    schrijf(&req, ctx, StatusCode::CREATED, move |c, w| {
        if !w.toegang.mag_aanmaken(input.organisatie.map(OrganisatieId), &input.gemeente) {
            return Err(ApiError::missing_permission(
                "An aanbieder creates offers of its own organisation; lokaalBestuur in its own municipalities",
            ));
        }
        let inhoud = inhoud(c, &w.state, input)?;
        let herkomst = Herkomst {
            status: AanbodStatus::Concept,
            bron: None,
            extern_id: None,
            feed_hash: None,
            door: &w.actor.sub,
        };
        let id = repo::insert(c, &inhoud, &herkomst, w.actor.at)?;
        created(c, &w.actor, AanbodRow::RESOURCE, id, None)?;
        opgeslagen(c, id)
    })
    .await
}

/// What a change to an offer came to: applied to the offer, or a pending revision of it.
enum Uitkomst {
    Toegepast(Geladen),
    Revisie(RevisieRow, AanbodRow),
}

/// The proposal a revision holds.
fn voorstel(r: &RevisieRow) -> ApiResult<AanbodInput> {
    serde_json::from_str(&r.voorstel).map_err(|e| ApiError::internal(format!("stored revision {}: {e}", r.id)))
}

/// A revision's document: its proposal and, while it is open or after a rejection, how it
/// differs from the offer as it is now.
fn revisie_document(links: &Links, r: &RevisieRow, row: &AanbodRow) -> ApiResult<AanbodRevisie> {
    let proposal = voorstel(r)?;
    let verschillen = if r.status == RevisieStatus::Goedgekeurd {
        Vec::new()
    } else {
        let als_json = |v: &AanbodInput| serde_json::to_value(v).map_err(ApiError::internal);
        regels::verschillen(&als_json(&row.input())?, &als_json(&proposal)?)
    };
    Ok(AanbodRevisie {
        self_link: links.href(&format!("/v1/aanbod/{}/revisie", r.aanbod_id)),
        id: r.id,
        aanbod: crate::wire::aanbod::href(links, r.aanbod_id),
        status: r.status,
        voorstel: proposal,
        verschillen,
        basis_versie: r.basis_versie,
        aanbod_versie: row.versie,
        voorgesteld_door: r.voorgesteld_door.clone(),
        voorgesteld_op: utc(r.voorgesteld_op),
        motivatie: r.motivatie.clone(),
        beoordeeld_op: r.beoordeeld_op.map(utc),
    })
}

/// Stores new content for an offer (PUT and PATCH); `new` gets what the change builds on (the
/// offer, or the proposal of its open revision when the change is one too). A change that
/// makes a revision (`AanbodToegang::wordt_revisie`) is checked like any other, then stored as
/// the offer's open revision, replacing its proposal: `202` with the revision.
async fn replace(
    req: &HttpRequest,
    ctx: Ctx,
    id: i64,
    if_match: IfMatch,
    new: impl FnOnce(AanbodInput) -> ApiResult<AanbodInput> + Send + 'static,
) -> ApiResult<HttpResponse> {
    let taal = Taal::of(req, None);
    let (toegang, actor) = (AanbodToegang::van(Some(&ctx.caller)), ctx.actor());
    let Ctx { state, links, .. } = ctx;
    let st = state.clone();
    let uitkomst = state
        .db
        .write(move |c| {
            let row = beheerd(c, &toegang, id)?;
            // A stale copy is `412` whatever else is wrong with the request.
            if_match.check(row.versie)?;
            if row.status == AanbodStatus::Gearchiveerd {
                return Err(ApiError::invalid_transition("An archived offer can no longer be changed"));
            }
            // An organisation's change to a published offer waits for the municipality; the
            // published version stays public meanwhile (R21).
            let herzien = toegang.wordt_revisie(row.status, row.gemeente.as_str());
            let open = if herzien { revisies::open_van(c, id)? } else { None };
            let basis = match &open {
                Some(r) => voorstel(r)?,
                None => row.input(),
            };
            let input = new(basis)?;
            let moves = input.organisatie != row.organisatie_id || input.gemeente != row.gemeente.as_str();
            if moves && !toegang.mag_aanmaken(input.organisatie.map(OrganisatieId), &input.gemeente) {
                return Err(ApiError::missing_permission(
                    "You may not move the offer to that organisation or municipality",
                ));
            }
            let inhoud = inhoud(c, &st, input.clone())?;
            if herzien {
                let json = serde_json::to_string(&input).map_err(ApiError::internal)?;
                let rid = revisies::stel_voor(c, id, &json, row.versie, &actor.sub, actor.at)?;
                let details = serde_json::json!({"revisie": rid, "basisVersie": row.versie});
                audit::record(
                    c,
                    &actor,
                    Action::Change(REVISIE_VOORGESTELD),
                    AanbodRow::RESOURCE,
                    &row.key(),
                    Some(details),
                )?;
                let r = revisies::open_van(c, id)?
                    .ok_or_else(|| ApiError::internal("the revision just stored vanished"))?;
                return Ok(Uitkomst::Revisie(r, row));
            }
            VersionedWrite { actor: &actor, if_match: &if_match }.write(
                c,
                &row,
                Action::Update,
                None,
                |c, versie| Ok(repo::update_inhoud(c, id, versie, &inhoud, None, row.feed_hash.as_deref(), actor.at)?),
            )?;
            let capaciteit_was = row.capaciteit;
            let row = opgeslagen(c, id)?;
            if row.capaciteit != capaciteit_was {
                crate::app::doorverwijzingen::capaciteit_gewijzigd(c, &actor, id, row.capaciteit)?;
            }
            Ok(Uitkomst::Toegepast(met_organisatie(c, row)?))
        })
        .await?;
    match uitkomst {
        Uitkomst::Toegepast(geladen) => Ok(respond(StatusCode::OK, geladen, &links, &state, &taal)),
        Uitkomst::Revisie(r, row) => {
            let doc = revisie_document(&links, &r, &row)?;
            Ok(HttpResponse::Accepted().insert_header((header::LOCATION, doc.self_link.clone())).json(doc))
        }
    }
}

/// The audit actions (and events) of a revision.
const REVISIE_VOORGESTELD: &str = "revisieVoorgesteld";
const REVISIE_GOEDGEKEURD: &str = "revisieGoedgekeurd";
const REVISIE_AFGEKEURD: &str = "revisieAfgekeurd";

/// Replace an offer
///
/// For whoever may manage the offer: admin, lokaalBestuur of its municipality, the aanbieder
/// of its organisation, the feed client of its source (others who may see it get `403`, the
/// rest `404`). Moving the offer to another organisation or municipality needs the right to
/// create offers there (else `403`). When anyone but a moderator (admin, lokaalBestuur of the
/// municipality) changes a published offer, the change becomes the offer's pending revision
/// (`202` with it, `Location: /v1/aanbod/{id}/revisie`): the offer stays published as it was,
/// for everyone and in search, until the municipality approves or rejects the revision
/// (`POST /v1/aanbod/{id}/revisie/beoordeling`); a new change replaces a pending one. Other
/// changes apply at once (`200`). An archived offer can no longer be changed (`409`). A higher
/// capacity (or none) gives waiting referrals a place, first come first served.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "replaceAanbod",
    params(AanbodId, IfMatch),
    request_body(content = AanbodInput, description = "The whole offer, as for creation",
        example = json!({
            "titel": {"nl": "Taalcafé De Brug", "en": "Language café De Brug"},
            "beschrijving": {"nl": "Elke dinsdag en donderdag praten we Nederlands bij koffie."},
            "aanbodtype": "praattafel",
            "organisatie": 12,
            "gemeente": "44021",
            "nederlandstaligeContext": true,
            "socialeParticipatie": true,
            "inGroep": true,
            "ondersteuningstalen": ["en"],
            "capaciteit": 10,
            "kosteloos": true,
            "themas": ["taal"]
        })),
    responses(
        (status = 200, description = "Updated", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 202, description = "The change to the published offer waits for the municipality as its revision; the offer stays as it was",
            body = AanbodRevisie, headers(("Location" = String, description = "The revision: `/v1/aanbod/{id}/revisie`"))),
        (status = 409, description = "The offer is archived (`invalidTransition`)", body = Problem, example = gearchiveerd),
    )
)]
#[put("/aanbod/{id}")]
pub async fn replace_aanbod(
    req: HttpRequest,
    ctx: Ctx,
    id: AanbodId,
    if_match: IfMatch,
    body: JsonBody<AanbodInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    replace(&req, ctx, id.0, if_match, move |_| Ok(input)).await
}

/// Update an offer partially
///
/// A JSON Merge Patch (RFC 7396) with `Content-Type: application/merge-patch+json`: only the
/// fields to change; `null` removes an optional field. The patched offer must be a valid
/// offer, checked exactly as for PUT; who may patch, the pending revision (`202`), `409` and
/// `412` are as for PUT too. A patch by the organisation on top of a pending revision applies to
/// its proposal. A body that is not a JSON object, an unknown field or `null` on a field every offer
/// needs is `400`.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "patchAanbod",
    params(AanbodId, IfMatch),
    request_body(content = AanbodPatch, content_type = "application/merge-patch+json",
        description = "The fields to change",
        example = json!({"titel": {"ar": "مقهى اللغة"}, "capaciteit": null})),
    responses(
        (status = 200, description = "Updated", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 202, description = "The change to the published offer waits for the municipality as its revision; the offer stays as it was",
            body = AanbodRevisie, headers(("Location" = String, description = "The revision: `/v1/aanbod/{id}/revisie`"))),
        (status = 409, description = "The offer is archived (`invalidTransition`)", body = Problem, example = gearchiveerd),
    )
)]
#[patch("/aanbod/{id}")]
pub async fn patch_aanbod(
    req: HttpRequest,
    ctx: Ctx,
    id: AanbodId,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    replace(&req, ctx, id.0, if_match, move |basis| patch.apply(&basis)).await
}

/// Delete an offer
///
/// Only while it is a `concept` (else `409`: archive a published offer instead), by whoever may
/// manage it: admin, lokaalBestuur of its municipality, the aanbieder of its organisation, the
/// feed client of its source.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "deleteAanbod",
    params(AanbodId, IfMatch),
    responses(
        (status = 204, description = "Deleted"),
        (status = 409, description = "Not a concept (`invalidTransition`)", body = Problem,
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "Only a concept can be deleted; this offer is gepubliceerd; archive it instead",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[delete("/aanbod/{id}")]
pub async fn delete_aanbod(ctx: Ctx, id: AanbodId, if_match: IfMatch) -> ApiResult<HttpResponse> {
    let id = id.0;
    let (toegang, actor) = (AanbodToegang::van(Some(&ctx.caller)), ctx.actor());
    ctx.state
        .db
        .write(move |c| {
            let row = beheerd(c, &toegang, id)?;
            if_match.check(row.versie)?;
            if row.status != AanbodStatus::Concept {
                return Err(ApiError::invalid_transition(format!(
                    "Only a concept can be deleted; this offer is {}; archive it instead",
                    row.status
                )));
            }
            VersionedWrite { actor: &actor, if_match: &if_match }
                .write(c, &row, Action::Delete, None, |c, versie| Ok(repo::delete(c, id, versie)?))
        })
        .await?;
    Ok(HttpResponse::NoContent().finish())
}

/// A moderation step of an offer: the state it should go to.
#[derive(Debug, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AanbodStatusWijziging)]
pub struct StatusWijziging {
    /// The new state: `ingediend`, `gepubliceerd`, `afgekeurd` or `gearchiveerd` (see the
    /// operation for the allowed transitions).
    #[schema(example = "afgekeurd")]
    pub status: AanbodStatus,
    /// Why (1–2,000 characters): required when rejecting (`afgekeurd`), shown as
    /// `statusMotivatie`; ignored for other steps.
    #[validate(length(min = 1, max = 2000))]
    #[schema(example = "Er is geen Nederlandstalige context: de activiteit verloopt in het Engels.")]
    pub motivatie: Option<String>,
}

/// Change an offer's state
///
/// The moderation workflow: `concept → ingediend → gepubliceerd | afgekeurd`,
/// `gepubliceerd → gearchiveerd`, `afgekeurd → ingediend` (only after the offer was changed).
/// Whoever may manage the offer submits (`ingediend`): admin, lokaalBestuur of its
/// municipality, the aanbieder of its organisation, the feed client of its source. Only
/// lokaalBestuur of the offer's municipality and admin publish, reject (with `motivatie`,
/// else `400`) and archive; others get `403`. Any other step is `409` naming the allowed ones.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "changeAanbodStatus",
    params(AanbodId, IfMatch),
    request_body(content = StatusWijziging, description = "The step",
        example = json!({"status": "afgekeurd", "motivatie": "Er is geen Nederlandstalige context: de activiteit verloopt in het Engels."})),
    responses(
        (status = 200, description = "The offer in its new state", body = Aanbod, headers(("ETag" = String, description = "The new version"))),
        (status = 409, description = "Not a transition of the workflow, or a rejected offer resubmitted unchanged (`invalidTransition`)", body = Problem,
            example = json!({"type": "urn:problem-type:pnt:invalidTransition", "title": "Invalid Status Transition", "status": 409,
                "detail": "an offer cannot go from concept to gepubliceerd (from concept: ingediend)",
                "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11"})),
    )
)]
#[post("/aanbod/{id}/status")]
pub async fn change_status(
    req: HttpRequest,
    ctx: Ctx,
    id: AanbodId,
    if_match: IfMatch,
    body: JsonBody<StatusWijziging>,
) -> ApiResult<HttpResponse> {
    let id = id.0;
    let StatusWijziging { status: naar, motivatie } = body.0;
    schrijf(&req, ctx, StatusCode::OK, move |c, w| {
        let row = zichtbaar(c, &w.toegang, id)?;
        if !w.toegang.mag_overgaan(naar, &row.eigenaar()) {
            return Err(ApiError::missing_permission(match naar {
                AanbodStatus::Ingediend | AanbodStatus::Concept => "You may not manage this offer",
                _ => "Only the municipality of the offer (lokaalBestuur) or an admin moderates offers",
            }));
        }
        if_match.check(row.versie)?;
        let van = row.status;
        let stap = regels::controleer_overgang(van, naar, motivatie.as_deref(), row.versie, row.afgekeurd_versie)
            .map_err(|e| match e {
                WorkflowFout::MotivatieVereist => ApiError::invalid(InputLocation::Body, "motivatie", e.to_string()),
                _ => ApiError::invalid_transition(e.to_string()),
            })?;
        let (motivatie, afgekeurd_versie) = match stap {
            Stap::Afkeuren => (motivatie, Some(row.versie + 1)),
            _ => (None, None),
        };
        let details = serde_json::json!({"van": van, "naar": naar});
        VersionedWrite { actor: &w.actor, if_match: &if_match }.write(
            c,
            &row,
            Action::Change("status"),
            Some(details),
            |c, versie| {
                let at = w.actor.at;
                Ok(repo::update_status(c, id, versie, naar, motivatie.as_deref(), afgekeurd_versie, at)?)
            },
        )?;
        opgeslagen(c, id)
    })
    .await
}

/// Get the offer's revision
///
/// The offer's latest revision: the pending change its organisation proposed (`open`), or the
/// last one decided (`goedgekeurd`, or `afgekeurd` with the municipality's `motivatie`), with
/// `verschillen`, field by field, against the offer as it is now. For the offer's managers:
/// admin, lokaalBestuur of its municipality, the aanbieder of its organisation, the feed client
/// of its source; others who see the offer get `403`, the rest (and an offer that never had a
/// revision) `404`.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "getAanbodRevisie",
    params(AanbodId),
    responses((status = 200, description = "The offer's latest revision", body = AanbodRevisie))
)]
#[get("/aanbod/{id}/revisie")]
pub async fn get_revisie(ctx: Ctx, id: AanbodId) -> ApiResult<HttpResponse> {
    let id = id.0;
    let toegang = AanbodToegang::van(Some(&ctx.caller));
    let links = ctx.links.clone();
    let doc = ctx
        .state
        .db
        .run(move |c| {
            let row = zichtbaar(c, &toegang, id)?;
            if !toegang.mag_revisies_lezen(&row.eigenaar()) {
                return Err(ApiError::missing_permission("The revisions of an offer are for its managers"));
            }
            let r = revisies::laatste_van(c, id)?
                .ok_or_else(|| ApiError::not_found(format!("Offer {id} has no revision")))?;
            revisie_document(&links, &r, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// Approve or reject the offer's revision
///
/// By lokaalBestuur of the offer's municipality or an admin (others who manage the offer get
/// `403`), on its open revision (`409 invalidTransition` when there is none). `goedgekeurd`: the
/// proposal becomes the offer (a new version, audited and announced as any change,
/// `aanbod.gewijzigd`, plus `aanbod.revisieGoedgekeurd`); the offer must still be published
/// (`409`). `afgekeurd` needs a `motivatie` (else `400`): the offer stays as it was, and the
/// organisation reads the rejection and its motivation in `GET /v1/aanbod/{id}/revisie`.
/// `If-Match` names the offer's version.
#[utoipa::path(
    tag = "Aanbod",
    operation_id = "decideAanbodRevisie",
    params(AanbodId, IfMatch),
    request_body(content = RevisieBeoordeling, description = "The decision",
        example = json!({"beslissing": "afgekeurd", "motivatie": "De activiteit vindt niet meer in het Nederlands plaats."})),
    responses(
        (status = 200, description = "The decided revision", body = AanbodRevisie),
        (status = 409, description = "No open revision, or approving a revision of an offer that is no longer published (`invalidTransition`)", body = Problem),
    )
)]
#[post("/aanbod/{id}/revisie/beoordeling")]
pub async fn decide_revisie(
    ctx: Ctx,
    id: AanbodId,
    if_match: IfMatch,
    body: JsonBody<RevisieBeoordeling>,
) -> ApiResult<HttpResponse> {
    let id = id.0;
    let RevisieBeoordeling { beslissing, motivatie } = body.0;
    let (toegang, actor) = (AanbodToegang::van(Some(&ctx.caller)), ctx.actor());
    let (state, links) = (ctx.state.clone(), ctx.links.clone());
    let doc = ctx
        .state
        .db
        .write(move |c| {
            let row = zichtbaar(c, &toegang, id)?;
            if !toegang.mag_revisie_beoordelen(&row.eigenaar()) {
                return Err(ApiError::missing_permission(
                    "Only the municipality of the offer (lokaalBestuur) or an admin decides on its revisions",
                ));
            }
            if_match.check(row.versie)?;
            let Some(r) = revisies::open_van(c, id)? else {
                return Err(ApiError::invalid_transition(format!("Offer {id} has no open revision")));
            };
            let motivatie = regels_tekst(motivatie);
            let details = serde_json::json!({"revisie": r.id});
            match beslissing {
                RevisieBeslissing::Afgekeurd => {
                    let Some(m) = motivatie.as_deref() else {
                        let detail = "rejecting a revision needs a motivation";
                        return Err(ApiError::invalid(InputLocation::Body, "motivatie", detail));
                    };
                    if !revisies::beslis(c, r.id, RevisieStatus::Afgekeurd, Some(m), &actor.sub, actor.at)? {
                        return Err(document::lost_race());
                    }
                    audit::record(
                        c,
                        &actor,
                        Action::Change(REVISIE_AFGEKEURD),
                        AanbodRow::RESOURCE,
                        &row.key(),
                        Some(details),
                    )?;
                }
                RevisieBeslissing::Goedgekeurd => {
                    if row.status != AanbodStatus::Gepubliceerd {
                        return Err(ApiError::invalid_transition(format!(
                            "Offer {id} is {}; only a revision of a published offer is approved",
                            row.status
                        )));
                    }
                    let inhoud = inhoud(c, &state, voorstel(&r)?)?;
                    let write = VersionedWrite { actor: &actor, if_match: &if_match };
                    write.write(c, &row, Action::Update, Some(details.clone()), |c, versie| {
                        Ok(repo::update_inhoud(c, id, versie, &inhoud, None, row.feed_hash.as_deref(), actor.at)?)
                    })?;
                    if !revisies::beslis(
                        c,
                        r.id,
                        RevisieStatus::Goedgekeurd,
                        motivatie.as_deref(),
                        &actor.sub,
                        actor.at,
                    )? {
                        return Err(document::lost_race());
                    }
                    audit::record(
                        c,
                        &actor,
                        Action::Change(REVISIE_GOEDGEKEURD),
                        AanbodRow::RESOURCE,
                        &row.key(),
                        Some(details),
                    )?;
                    if inhoud.capaciteit != row.capaciteit {
                        crate::app::doorverwijzingen::capaciteit_gewijzigd(c, &actor, id, inhoud.capaciteit)?;
                    }
                }
            }
            let row = opgeslagen(c, id)?;
            let r = revisies::laatste_van(c, id)?
                .ok_or_else(|| ApiError::internal("the revision just decided vanished"))?;
            revisie_document(&links, &r, &row)
        })
        .await?;
    Ok(HttpResponse::Ok().json(doc))
}

/// Optional free text: trimmed, absent when blank.
fn regels_tekst(s: Option<String>) -> Option<String> {
    s.map(|t| t.trim().to_string()).filter(|t| !t.is_empty())
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(search_aanbod)
        .service(create_aanbod)
        .service(get_aanbod)
        .service(replace_aanbod)
        .service(patch_aanbod)
        .service(delete_aanbod)
        .service(change_status)
        .service(get_revisie)
        .service(decide_revisie);
}
