//! `/v1/deelnamebewijzen`: proofs of participation (R7–R10). A newcomer or their
//! trajectbegeleider starts a proof for an activity and logs the hours per day; the contact person
//! signs or refuses it (with the organisation's account, or with a one-time link, see
//! [`ondertekenverzoeken`]); the trajectbegeleider approves or rejects it, and approved hours count
//! toward the contract's 40 (`repo::voortgang`). The rules live in `domain::deelnamebewijs`, who
//! may do what in `domain::toegang::deelnamebewijzen`, the status steps in `app::ondertekening`.

pub mod ondertekenverzoeken;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::deelnamebewijzen::{self as app, LijnActie};
use crate::app::document::{self, VersionedWrite};
use crate::app::ondertekening::{self, Door, Stap};
use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::aanbod::AanbodStatus;
use crate::domain::aanbod::Contactpersoon;
use crate::domain::deelnamebewijs::{
    self as regels, Beoordeling, BewijsStatus, ContactBron, Invoer, NieuwePrestatie, Prestatie,
};
use crate::domain::toegang::aanbod::{AanbodToegang, Zichtbaarheid};
use crate::domain::toegang::deelnamebewijzen::{BewijsZicht, Weergave};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::http::path::BewijsId;
use crate::repo::audit::Action;
use crate::repo::contracten as contracten_repo;
use crate::repo::deelnamebewijzen::{Bewijs, BewijsFilter, BewijsRow, NieuwBewijs};
use crate::repo::{aanbod as aanbod_repo, organisaties as organisaties_repo};
use crate::routes::contracten::contract_href;
use crate::routes::inburgeraars::{inburgeraar_href, met_me};
use crate::routes::toegang::tekst;
use crate::wire::common::utc;
use crate::wire::deelnamebewijzen::*;
use crate::wire::pdf;

pub fn bewijs_href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/deelnamebewijzen/{id}"))
}

fn prestatie_uit(p: &Prestatie) -> PrestatieUit {
    PrestatieUit { datum: p.datum, uren: p.kwartieren.uren(), omschrijving: p.omschrijving.clone() }
}

fn inhoud(links: &Links, b: &Bewijs) -> BewijsInhoud {
    let r = &b.row;
    let ondertekening = match (&r.ondertekend_door, r.ondertekend_op, r.ondertekend_via) {
        (Some(door), Some(op), Some(via)) => Some(Ondertekening { door: door.clone(), op: utc(op), via }),
        _ => None,
    };
    let weigering = match (&r.weigering_motivatie, r.geweigerd_op, &r.geweigerd_door, r.geweigerd_via) {
        (Some(m), Some(op), Some(door), Some(via)) => {
            Some(Weigering { motivatie: m.clone(), op: utc(op), door: door.clone(), via })
        }
        _ => None,
    };
    BewijsInhoud {
        id: r.id,
        activiteit: r.activiteit.clone(),
        aanbod: r.aanbod_id.map(|id| Verwijzing { href: links.href(&format!("/v1/aanbod/{id}")), id }),
        organisatie: BewijsOrganisatie {
            href: r.organisatie_id.map(|id| links.href(&format!("/v1/organisaties/{id}"))),
            id: r.organisatie_id,
            naam: r.organisatie_naam.clone(),
        },
        aanbodtype: r.aanbodtype,
        contactpersoon: Contactpersoon {
            naam: r.contact_naam.clone(),
            email: r.contact_email.clone(),
            telefoon: r.contact_telefoon.clone(),
        },
        contact_bron: r.contact_bron,
        prestaties: b.prestaties.iter().map(prestatie_uit).collect(),
        totaal_uren: regels::totaal(&b.prestaties).uren(),
        status: r.status,
        ondertekening,
        weigering,
        versie: r.versie,
        aangemaakt_op: utc(r.aangemaakt_op),
        gewijzigd_op: utc(r.gewijzigd_op),
    }
}

fn beoordeling(r: &BewijsRow) -> Option<BeoordelingUit> {
    match (&r.beoordeeld_door, r.beoordeeld_op, r.beoordeling) {
        (Some(door), Some(op), Some(beslissing)) => Some(BeoordelingUit {
            door: door.clone(),
            op: utc(op),
            beslissing,
            motivatie: r.beoordeling_motivatie.clone(),
        }),
        _ => None,
    }
}

/// The signing trail of `b`: its links, newest first, with their mails' delivery.
fn spoor(b: &Bewijs) -> Vec<OndertekenverzoekSpoor> {
    b.links
        .iter()
        .map(|(l, bezorging)| OndertekenverzoekSpoor {
            id: l.id,
            aangevraagd_door: Aanvrager {
                sub: l.aangemaakt_door.clone(),
                rol: l.aangevraagd_rol.clone().unwrap_or_else(|| "onbekend".into()),
            },
            aangemaakt_op: utc(l.aangemaakt_op),
            verzonden_naar: l.email.clone(),
            email_bron: l.email_bron,
            bezorging: bezorging.as_ref().map(|d| Bezorging {
                status: d.status,
                pogingen: d.pogingen,
                laatste_fout: d.laatste_fout.clone(),
                afgehandeld_op: d.afgehandeld_op.map(utc),
            }),
            geopend_op: l.geopend_op.map(utc),
            beslissing: l.beslissing,
            beslist_op: l.gebruikt_op.map(utc),
            naam: l.naam.clone(),
            verloopt_op: utc(l.verloopt_op),
        })
        .collect()
}

/// The proof as `weergave` shows it: everything (with the signing trail for its reviewers), or
/// the aanbieder's reduced view.
pub(crate) fn weergave_van(links: &Links, b: &Bewijs, weergave: Weergave) -> DeelnamebewijsWeergave {
    let inhoud = inhoud(links, b);
    let p = &b.persoon;
    match weergave {
        Weergave::Beoordelaar | Weergave::Volledig => DeelnamebewijsWeergave::Volledig(DeelnamebewijsVolledig {
            contract: Verwijzing { href: contract_href(links, b.contract.id), id: b.contract.id },
            inburgeraar: BewijsInburgeraar {
                href: inburgeraar_href(links, p.id),
                id: p.id,
                voornaam: p.voornaam.clone(),
                achternaam: p.achternaam.clone(),
            },
            trajectbegeleider: b.contract.trajectbegeleider.clone(),
            inhoud,
            beoordeling: beoordeling(&b.row),
            ondertekenverzoeken: (weergave == Weergave::Beoordelaar).then(|| spoor(b)),
        }),
        Weergave::Beperkt => DeelnamebewijsWeergave::Beperkt(DeelnamebewijsBeperkt {
            inburgeraar: InburgeraarNaam { naam: format!("{} {}", p.voornaam, p.achternaam) },
            inhoud,
        }),
    }
}

/// The proof document with its `ETag` (and `Location` when created).
fn respond(status: StatusCode, links: &Links, b: &Bewijs, weergave: Weergave) -> HttpResponse {
    let self_link = bewijs_href(links, b.row.id);
    let doc = Deelnamebewijs { self_link: self_link.clone(), weergave: weergave_van(links, b, weergave) };
    document::respond(status, &self_link, b.row.versie, doc)
}

/// New lines as the rules take them, each named by its place in the body list `lijst`.
fn genummerd(lijst: &str, items: Vec<PrestatieIn>) -> Vec<(String, NieuwePrestatie)> {
    items.into_iter().enumerate().map(|(i, p)| (format!("{lijst}[{i}]"), nieuwe_prestatie(p))).collect()
}

fn nieuwe_prestatie(p: PrestatieIn) -> NieuwePrestatie {
    NieuwePrestatie { datum: p.datum, uren: p.uren, omschrijving: tekst(p.omschrijving) }
}

// --- Create --------------------------------------------------------------------------------------

fn ongeldig(veld: &str, detail: impl Into<String>) -> InputIssue {
    InputIssue::invalid(InputLocation::Body, veld, detail)
}

/// Resolves the offer, organisation, type, activity and contact person of a new proof against
/// what the caller may see, collecting every input problem.
fn kop(
    c: &mut DbConn,
    caller: &Caller,
    contract_id: i64,
    body: &DeelnamebewijsIn,
    issues: &mut Vec<InputIssue>,
) -> ApiResult<Option<NieuwBewijs>> {
    let niet_gevonden =
        |naam: &str, detail: String| InputIssue::referenced_not_found(InputLocation::Body, naam, detail);
    let aanbod = match body.aanbod {
        None => None,
        Some(id) => {
            let row = aanbod_repo::find(c, id, &Zichtbaarheid::Alles)?.filter(|a| {
                let openbaar = [AanbodStatus::Gepubliceerd, AanbodStatus::Gearchiveerd];
                openbaar.contains(&a.status) || AanbodToegang::van(Some(caller)).mag_lezen(&a.eigenaar())
            });
            if row.is_none() {
                issues.push(niet_gevonden("aanbod", format!("No aanbod with id {id}")));
            }
            row
        }
    };
    let aanbodtype = match (body.aanbodtype, aanbod.as_ref().map(|a| a.aanbodtype)) {
        (Some(gegeven), Some(van_aanbod)) if gegeven != van_aanbod => {
            issues.push(ongeldig(
                "aanbodtype",
                format!("the offer is of type {van_aanbod}; leave aanbodtype out or give that type"),
            ));
            None
        }
        (Some(t), _) | (None, Some(t)) => Some(t),
        (None, None) => {
            if body.aanbod.is_none() {
                issues.push(ongeldig("aanbodtype", "aanbodtype is required without aanbod"));
            }
            None
        }
    };
    let activiteit = tekst(body.activiteit.clone()).or_else(|| aanbod.as_ref().map(|a| a.titel_nl.clone()));
    if activiteit.is_none() && body.aanbod.is_none() {
        issues.push(ongeldig("activiteit", "describe the activity (activiteit) or link the offer (aanbod)"));
    }
    let organisatie_id = body.organisatie.or(aanbod.as_ref().and_then(|a| a.organisatie_id));
    if let (Some(gegeven), Some(van_aanbod)) = (body.organisatie, aanbod.as_ref().and_then(|a| a.organisatie_id))
        && gegeven != van_aanbod
    {
        issues.push(ongeldig("organisatie", format!("the offer belongs to organisation {van_aanbod}")));
    }
    let naam_gegeven = tekst(body.organisatie_naam.clone());
    let organisatie_naam = match organisatie_id {
        Some(id) => {
            if naam_gegeven.is_some() {
                issues.push(ongeldig(
                    "organisatieNaam",
                    "the organisation is registered (organisatie); leave organisatieNaam out",
                ));
            }
            let naam = organisaties_repo::names(c, &[id])?.into_iter().next().map(|(_, n)| n);
            if naam.is_none() {
                issues.push(niet_gevonden("organisatie", format!("No organisation with id {id}")));
            }
            naam
        }
        None => {
            if naam_gegeven.is_none() && (body.aanbod.is_none() || aanbod.is_some()) {
                issues.push(ongeldig(
                    "organisatieNaam",
                    "name the organisation: organisatie (a registered one) or organisatieNaam",
                ));
            }
            naam_gegeven
        }
    };
    // R8: the offer's contact person is the organisation's word; nobody else overrides it.
    let van_aanbod: Option<Contactpersoon> =
        aanbod.as_ref().and_then(|a| a.contactpersoon.as_deref()).and_then(|c| serde_json::from_str(c).ok());
    if van_aanbod.is_some() && body.contactpersoon.is_some() {
        issues.push(ongeldig(
            "contactpersoon",
            "the offer names its contact person (set by the organisation); leave contactpersoon out",
        ));
    }
    let contactpersoon = match van_aanbod {
        Some(cp) => Some((cp, ContactBron::Aanbod)),
        None => body.contactpersoon.clone().map(|cp| (cp, ContactBron::Ingevoerd)),
    };
    if contactpersoon.is_none() && (body.aanbod.is_none() || aanbod.is_some()) {
        issues.push(ongeldig("contactpersoon", "contactpersoon is required: the person who confirms the hours (R8)"));
    }
    Ok(match (activiteit, organisatie_naam, aanbodtype, contactpersoon) {
        (Some(activiteit), Some(organisatie_naam), Some(aanbodtype), Some((cp, contact_bron))) => Some(NieuwBewijs {
            contract_id,
            aanbod_id: aanbod.map(|a| a.id),
            activiteit,
            organisatie_id,
            organisatie_naam,
            aanbodtype,
            contact_naam: cp.naam.trim().to_string(),
            contact_email: cp.email,
            contact_telefoon: cp.telefoon,
            contact_bron,
        }),
        _ => None,
    })
}

/// Start a proof
///
/// By the newcomer (for their own contract), their trajectbegeleider or an admin, on a running
/// contract. Link the offer (`aanbod`) or describe the activity; name the organisation (a
/// registered one, or by name) and the contact person who confirms the hours. Lines may come
/// along (`prestaties`, R10). A second open proof for the same contract and aanbodtype at the same
/// organisation with the same contact person is `409 duplicate` with the `href` of the open one
/// (R7): add the hours there; another contact person, organisation or type gets a proof of its
/// own. Names compare after Unicode NFKC, case folding and accent removal. A signed or approved
/// proof is closed; later hours start a new one.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "createDeelnamebewijs",
    request_body(content = DeelnamebewijsIn, description = "The new proof", example = json!({
        "contract": 5,
        "aanbod": 42,
        "contactpersoon": { "naam": "An Peeters", "email": "an.peeters@debrug.be", "telefoon": "+32 14 12 34 56" },
        "prestaties": [
            { "datum": "2026-10-07", "uren": 2.5, "omschrijving": "Soep gekookt en afgewassen" },
            { "datum": "2026-10-14", "uren": 3 }
        ]
    })),
    responses(
        (status = 201, description = "Started (status `concept`)", body = Deelnamebewijs,
            headers(("Location" = String, description = "The new proof"), ("ETag" = String))),
        (status = 409, description = "R7: an open proof of this type at the same organisation with the same contact person exists \
            (`duplicate`, with its `href`), or the contract is not running (`contractNotRunning`)",
            body = Problem),
    )
)]
#[post("/deelnamebewijzen")]
pub async fn create_deelnamebewijs(ctx: Ctx, body: JsonBody<DeelnamebewijsIn>) -> ApiResult<HttpResponse> {
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let personen = zicht.mag_starten()?;
    let (actor, vandaag, caller, links) = (ctx.actor(), ctx.today(), ctx.caller.clone(), ctx.links.clone());
    let body = body.0;
    let (b, weergave) = ctx
        .state
        .db
        .write(move |c| {
            let mut issues = Vec::new();
            let contract = contracten_repo::find_visible(c, &personen, body.contract)?.map(|(contract, _)| contract);
            if contract.is_none() {
                issues.push(InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "contract",
                    format!("No inburgeringscontract with id {} of yours", body.contract),
                ));
            }
            let nieuw = kop(c, &caller, body.contract, &body, &mut issues)?;
            let mut lijnen = Vec::new();
            if let Some(contract) = &contract {
                let invoer = Invoer {
                    nieuw: genummerd("prestaties", body.prestaties.clone()),
                    behouden: &[],
                    lijst: "prestaties",
                };
                match app::controleer(c, contract, None, invoer, vandaag)? {
                    Ok(l) => lijnen = l,
                    Err(fouten) => issues.extend(fouten.into_iter().map(|f| ongeldig(&f.veld, f.detail))),
                }
            }
            let (Some(contract), Some(nieuw), true) = (contract, nieuw, issues.is_empty()) else {
                return Err(ApiError::bad_request(issues));
            };
            app::start(c, &zicht, &actor, &contract, &nieuw, &lijnen, |open| bewijs_href(&links, open))
        })
        .await?;
    Ok(respond(StatusCode::CREATED, &ctx.links, &b, weergave))
}

// --- Read ----------------------------------------------------------------------------------------

/// What a client asked for in `Accept`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Formaat {
    Json,
    Pdf,
}

/// JSON unless the client prefers PDF; 406 when it accepts neither.
fn formaat(req: &HttpRequest) -> ApiResult<Formaat> {
    let Some(accept) = req.headers().get(header::ACCEPT) else {
        return Ok(Formaat::Json);
    };
    let accept = accept.to_str().unwrap_or("").trim();
    if accept.is_empty() {
        return Ok(Formaat::Json);
    }
    let bereiken: Vec<(String, f32)> = accept
        .split(',')
        .filter_map(|deel| {
            let mut stukken = deel.split(';');
            let bereik = stukken.next()?.trim().to_ascii_lowercase();
            let q = stukken
                .filter_map(|p| p.trim().strip_prefix("q=").and_then(|q| q.trim().parse::<f32>().ok()))
                .next()
                .unwrap_or(1.0);
            (!bereik.is_empty()).then_some((bereik, q))
        })
        .collect();
    // The quality of a type is that of the most specific range that matches it.
    let kwaliteit = |mime: &str| {
        let hoofd = mime.split('/').next().unwrap_or("");
        bereiken
            .iter()
            .filter_map(|(b, q)| {
                let specifiek = if b == mime {
                    3
                } else if b.strip_suffix("/*") == Some(hoofd) {
                    2
                } else if b == "*/*" {
                    1
                } else {
                    return None;
                };
                Some((specifiek, *q))
            })
            .max_by_key(|(s, _)| *s)
            .map(|(_, q)| q)
            .unwrap_or(0.0)
    };
    let (json, pdf) = (kwaliteit("application/json"), kwaliteit("application/pdf"));
    match (json > 0.0, pdf > 0.0) {
        (false, false) => {
            Err(ApiError::not_acceptable("A deelnamebewijs is available as application/json or application/pdf"))
        }
        _ if pdf > json => Ok(Formaat::Pdf),
        _ => Ok(Formaat::Json),
    }
}

fn uren_tekst(uren: f64) -> String {
    let s = format!("{uren}");
    s.replace('.', ",")
}

fn tijd_tekst(t: NaiveDateTime) -> String {
    t.format("%d-%m-%Y %H:%M UTC").to_string()
}

/// The printed proof: the same facts as the JSON view the caller has.
fn afdruk(links: &Links, g: &Bewijs, weergave: Weergave, trace_id: &str, nu: NaiveDateTime) -> pdf::Afdruk {
    let i = inhoud(links, g);
    let mut verloop = Vec::new();
    if let Some(o) = &i.ondertekening {
        verloop.push(format!("Ondertekend door {} op {} (via {}).", o.door, tijd_tekst(o.op.naive_utc()), o.via));
    }
    if let Some(w) = &i.weigering {
        verloop.push(format!(
            "Geweigerd door {} op {} (via {}): {}",
            w.door,
            tijd_tekst(w.op.naive_utc()),
            w.via,
            w.motivatie
        ));
    }
    if weergave != Weergave::Beperkt
        && let Some(b) = beoordeling(&g.row)
    {
        let motivatie = b.motivatie.map(|m| format!(": {m}")).unwrap_or_default();
        verloop.push(format!(
            "{} door trajectbegeleider {} op {}{motivatie}",
            if b.beslissing == Beoordeling::Goedgekeurd { "Goedgekeurd" } else { "Afgekeurd" },
            b.door,
            tijd_tekst(b.op.naive_utc())
        ));
    }
    if i.ondertekening.is_none() {
        verloop.push("Nog niet ondertekend door de contactpersoon.".into());
    }
    let cp = &i.contactpersoon;
    let contact = [Some(cp.naam.clone()), cp.email.clone(), cp.telefoon.clone()].into_iter().flatten();
    pdf::Afdruk {
        id: i.id,
        inburgeraar: format!("{} {}", g.persoon.voornaam, g.persoon.achternaam),
        activiteit: i.activiteit.clone(),
        aanbodtype: i.aanbodtype.as_str().to_string(),
        organisatie: i.organisatie.naam.clone(),
        contactpersoon: contact.collect::<Vec<_>>().join(", "),
        prestaties: g
            .prestaties
            .iter()
            .map(|p| {
                (
                    p.datum.format("%d-%m-%Y").to_string(),
                    uren_tekst(p.kwartieren.uren()),
                    p.omschrijving.clone().unwrap_or_default(),
                )
            })
            .collect(),
        totaal: format!("{} uur op {} dag(en)", uren_tekst(i.totaal_uren), g.prestaties.len()),
        status: i.status.as_str().to_string(),
        verloop,
        handtekeningvak: matches!(i.status, BewijsStatus::Concept | BewijsStatus::TeOndertekenen),
        trace_id: trace_id.to_string(),
        gemaakt_op: tijd_tekst(nu),
        adres: bewijs_href(links, i.id),
    }
}

/// Get a proof (JSON or PDF)
///
/// For the newcomer, their trajectbegeleider and admins in full; for an aanbieder of the proof's
/// organisation (once submitted) with only the newcomer's name. Anyone else's proof is `404`.
/// With `Accept: application/pdf` the printable proof (one or two pages: newcomer, activity,
/// organisation, contact person, every line, the total, the signature status and the trace id),
/// for people without digital access. Every read is logged.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "getDeelnamebewijs",
    params(
        BewijsId,
        ("Accept" = Option<String>, Header, description = "`application/json` (default) or `application/pdf`"),
    ),
    responses(
        (status = 200, description = "The proof", headers(("ETag" = String)), content(
            (Deelnamebewijs = "application/json"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 406, description = "Neither JSON nor PDF is acceptable (`notAcceptable`)", body = Problem),
    )
)]
#[get("/deelnamebewijzen/{id}")]
pub async fn get_deelnamebewijs(req: HttpRequest, ctx: Ctx, id: BewijsId) -> ApiResult<HttpResponse> {
    let formaat = formaat(&req)?;
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let (actor, id) = (ctx.actor(), id.0);
    let (b, weergave) = ctx
        .state
        .db
        .write(move |c| {
            let (b, _, weergave) = app::load(c, &zicht, id)?;
            let details = match formaat {
                Formaat::Pdf => json!({ "formaat": "pdf" }),
                Formaat::Json => json!({}),
            };
            app::log(c, &actor, Action::Read, &b.row, details)?;
            Ok((b, weergave))
        })
        .await?;
    if formaat == Formaat::Json {
        let mut res = respond(StatusCode::OK, &ctx.links, &b, weergave);
        res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Accept"));
        return Ok(res);
    }
    let bytes = pdf::render(&afdruk(&ctx.links, &b, weergave, &ctx.trace.0, ctx.now()));
    let mut res = HttpResponse::Ok();
    with_etag(&mut res, b.row.versie)
        .content_type("application/pdf")
        .insert_header((header::VARY, "Accept"))
        .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"deelnamebewijs-{id}.pdf\"")));
    Ok(res.body(bytes))
}

/// List proofs
///
/// The proofs the caller may see (admin: all; trajectbegeleider: of their caseload; newcomer:
/// their own; aanbieder: the submitted ones of their organisation, with only the newcomer's name),
/// oldest first. `status=ondertekend&trajectbegeleider=me` is the review worklist. Every listed
/// proof is logged as read.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "listDeelnamebewijzen",
    params(DeelnamebewijzenQuery, PageParams),
    responses((status = 200, description = "A page of proofs", body = Collection<DeelnamebewijsItem>))
)]
#[get("/deelnamebewijzen")]
pub async fn list_deelnamebewijzen(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<DeelnamebewijzenQuery>,
) -> ApiResult<HttpResponse> {
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let actor = ctx.actor();
    let ListQuery { filter: q, page } = query;
    let f = BewijsFilter {
        contracten: q.contract,
        statussen: q.status,
        organisaties: q.organisatie,
        trajectbegeleiders: met_me(q.trajectbegeleider, &ctx.caller),
        aanbodtypes: q.aanbodtype,
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (gezien, total) = ctx.state.db.write(move |c| app::list(c, &actor, &zicht, &f, offset, limit)).await?;
    let links = &ctx.links;
    let items = gezien
        .iter()
        .map(|(b, w)| DeelnamebewijsItem { href: bewijs_href(links, b.row.id), weergave: weergave_van(links, b, *w) })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, links, &page, items, total)))
}

// --- Hours ---------------------------------------------------------------------------------------

/// The shared path of the three line operations (`app::deelnamebewijzen::wijzig_prestaties`).
async fn wijzig_prestaties(ctx: Ctx, id: i64, if_match: IfMatch, actie: LijnActie) -> ApiResult<HttpResponse> {
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let (actor, vandaag) = (ctx.actor(), ctx.today());
    let (b, weergave) = ctx
        .state
        .db
        .write(move |c| {
            let write = VersionedWrite { actor: &actor, if_match: &if_match };
            app::wijzig_prestaties(c, &zicht, &write, id, actie, vandaag)
        })
        .await?;
    Ok(respond(StatusCode::OK, &ctx.links, &b, weergave))
}

/// Replace a proof's hours
///
/// For the newcomer, their trajectbegeleider, admins, and an aanbieder of the proof's
/// organisation on a proof addressed to it until it is signed (not after a refusal or rejection:
/// `403`; anyone else `404`), while the contract runs (`409 contractNotRunning`). Honours
/// `If-Match`. Every change is audited and outdates open signing links.
/// All lines at once (`{ "items": [ … ] }`). Allowed in `concept`, in `teOndertekenen` before
/// the signature (earlier signing links become outdated), and after `geweigerd` or `afgekeurd`
/// (the proof returns to `concept`). R10: a date outside the contract's (possibly extended) term
/// or in the future, hours ≤ 0 or above 12, other than whole quarter hours, a second line for a
/// day, or a day holding more than 12 hours over all the contract's proofs — each a `badRequest`
/// issue naming the line (`items[2].uren`).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "replacePrestaties",
    params(BewijsId, IfMatch),
    request_body(content = PrestatiesIn, description = "Every line of the proof; an empty list removes them all", example = json!({
        "items": [
            { "datum": "2026-10-07", "uren": 2.5, "omschrijving": "Soep gekookt en afgewassen" },
            { "datum": "2026-10-14", "uren": 3.25 }
        ]
    })),
    responses(
        (status = 200, description = "The proof with its new lines", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem),
    )
)]
#[put("/deelnamebewijzen/{id}/prestaties")]
pub async fn replace_prestaties(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<PrestatiesIn>,
) -> ApiResult<HttpResponse> {
    wijzig_prestaties(ctx, id.0, if_match, LijnActie::Vervang(genummerd("items", body.0.items))).await
}

/// Add a day's hours
///
/// One line (`{ datum, uren, omschrijving? }`), under the rules of replacing the lines; a day
/// that already has a line is a `badRequest` naming `datum` (change it with PUT, or delete it).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "addPrestatie",
    params(BewijsId, IfMatch),
    request_body(content = PrestatieIn, description = "The new line", example = json!({
        "datum": "2026-10-21", "uren": 2.75, "omschrijving": "Tafels gedekt en gasten ontvangen"
    })),
    responses(
        (status = 200, description = "The proof with the new line", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/prestaties")]
pub async fn add_prestatie(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<PrestatieIn>,
) -> ApiResult<HttpResponse> {
    wijzig_prestaties(ctx, id.0, if_match, LijnActie::VoegToe(nieuwe_prestatie(body.0))).await
}

/// Remove a day's hours
///
/// Under the rules of replacing the lines; `404` when the proof has no line for that day.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "deletePrestatie",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("datum" = NaiveDate, Path, description = "The day of the line", example = "2026-10-07"),
        IfMatch,
    ),
    responses(
        (status = 200, description = "The proof without the line", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem),
    )
)]
#[delete("/deelnamebewijzen/{id}/prestaties/{datum}")]
pub async fn delete_prestatie(
    ctx: Ctx,
    path: web::Path<(i64, NaiveDate)>,
    if_match: IfMatch,
) -> ApiResult<HttpResponse> {
    let (id, datum) = path.into_inner();
    wijzig_prestaties(ctx, id, if_match, LijnActie::Verwijder(datum)).await
}

/// Name the contact person (aanbieder account)
///
/// By an aanbieder of the proof's organisation (claim `organisatie`) on a proof addressed to it
/// (submitted, not sent back after a refusal or rejection), until it is signed: the organisation
/// decides who confirms the hours (seed 003). Anyone else who sees the proof gets `403`. Honours
/// `If-Match`. The proof's version moves on, so open signing links become outdated; the change
/// is audited (without the names). R7: when another open proof of the contract already has this
/// type, organisation and contact person, `409 duplicate` with its `href`.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "replaceContactpersoon",
    params(BewijsId, IfMatch),
    request_body(content = Contactpersoon, description = "The contact person who confirms the hours", example = json!({
        "naam": "Piet Pieters", "email": "piet.pieters@debrug.be", "telefoon": "+32 14 12 34 57"
    })),
    responses(
        (status = 200, description = "The proof with its new contact person", body = Deelnamebewijs,
            headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), the contract is \
            not running (`contractNotRunning`), or another open proof has this type, organisation and contact person \
            (`duplicate`, with its `href`)", body = Problem),
    )
)]
#[put("/deelnamebewijzen/{id}/contactpersoon")]
pub async fn replace_contactpersoon(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<Contactpersoon>,
) -> ApiResult<HttpResponse> {
    let contact = body.0;
    if tekst(Some(contact.naam.clone())).is_none() {
        return Err(ApiError::bad_request(vec![ongeldig("naam", "name the contact person")]));
    }
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let (actor, id, links) = (ctx.actor(), id.0, ctx.links.clone());
    let (b, weergave) = ctx
        .state
        .db
        .write(move |c| {
            let write = VersionedWrite { actor: &actor, if_match: &if_match };
            app::wijzig_contactpersoon(c, &zicht, &write, id, contact, |open| bewijs_href(&links, open))
        })
        .await?;
    Ok(respond(StatusCode::OK, &ctx.links, &b, weergave))
}

// --- Status steps --------------------------------------------------------------------------------

/// A status step by account (`app::ondertekening`), answered with the proof.
async fn stap(ctx: Ctx, id: i64, if_match: IfMatch, stap: ApiResult<Stap>) -> ApiResult<HttpResponse> {
    let zicht = BewijsZicht::van(&ctx.caller)?;
    let (stap, actor, email) = (stap?, ctx.actor(), ctx.caller.email.clone());
    let (b, weergave) = ctx
        .state
        .db
        .write(move |c| {
            let (b, rollen, _) = app::load(c, &zicht, id)?;
            let write = VersionedWrite { actor: &actor, if_match: &if_match };
            let door = Door { rollen, link: None, email: email.as_deref(), write };
            ondertekening::zet(c, &b, &door, &stap)?;
            let (b, _, weergave) = app::load(c, &zicht, id)?;
            Ok((b, weergave))
        })
        .await?;
    Ok(respond(StatusCode::OK, &ctx.links, &b, weergave))
}

/// Who signs or refuses by account: the name given, else the token's name, else its subject.
fn ondertekenaar(caller: &Caller, naam: Option<String>) -> String {
    tekst(naam).unwrap_or_else(|| caller.name.clone().unwrap_or_else(|| caller.sub.clone()))
}

/// Submit a proof for signing
///
/// For the newcomer, their trajectbegeleider and admins (an aanbieder gets `403`), while the
/// contract runs. Honours `If-Match`.
/// `concept` → `teOndertekenen`, with at least one line. The contact person then signs with the
/// organisation's account, or through a signing link (`…/ondertekenverzoeken`, which submits a
/// draft too).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "submitDeelnamebewijs",
    params(BewijsId, IfMatch),
    request_body(
        content = Option<serde_json::Value>,
        content_type = "application/json",
        description = "None needed: the step takes no input. A body, if sent, is not read (whatever its content).",
        example = json!({})
    ),
    responses(
        (status = 200, description = "Submitted", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `concept` (`invalidTransition`), no lines (`emptyDeelnamebewijs`), or the \
            contract is not running (`contractNotRunning`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/indienen")]
pub async fn submit_deelnamebewijs(ctx: Ctx, id: BewijsId, if_match: IfMatch) -> ApiResult<HttpResponse> {
    stap(ctx, id.0, if_match, Ok(Stap::Indienen)).await
}

/// Sign a proof (aanbieder account)
///
/// By an aanbieder of the proof's organisation (claim `organisatie`; anyone else who sees the
/// proof gets `409 signerNotOfOrganisation`, and a proof at an unregistered organisation is
/// signed only through a link), only in `teOndertekenen`:
/// the proof becomes `ondertekend` and immutable, waiting for the trajectbegeleider's review.
/// Send the `If-Match` of the version you read, so you sign exactly what you saw.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "signDeelnamebewijs",
    params(BewijsId, IfMatch),
    request_body(content = OndertekeningIn, description = "Who signs; `{}` signs under the token's name",
        example = json!({ "naam": "An Peeters" })),
    responses(
        (status = 200, description = "Signed", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `teOndertekenen` (`invalidTransition`), the contract no longer runs \
            (`contractNotRunning`), or the caller sees the proof but is not an aanbieder of its organisation \
            (`signerNotOfOrganisation`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/ondertekening")]
pub async fn sign_deelnamebewijs(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<OndertekeningIn>,
) -> ApiResult<HttpResponse> {
    let naam = ondertekenaar(&ctx.caller, body.0.naam);
    stap(ctx, id.0, if_match, Ok(Stap::Ondertekenen { naam })).await
}

/// Refuse to sign a proof (aanbieder account)
///
/// By an aanbieder of the proof's organisation, only in `teOndertekenen`, with a `motivatie`
/// (R8). The proof becomes `geweigerd`; the trajectbegeleider follows up, and changing the hours
/// returns it to `concept`.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "refuseDeelnamebewijs",
    params(BewijsId, IfMatch),
    request_body(content = WeigeringIn, description = "Why the hours are not confirmed", example = json!({
        "motivatie": "Was op 7 oktober niet aanwezig", "naam": "An Peeters"
    })),
    responses(
        (status = 200, description = "Refused", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `teOndertekenen` (`invalidTransition`), the contract no longer runs \
            (`contractNotRunning`), or the caller sees the proof but is not an aanbieder of its organisation \
            (`signerNotOfOrganisation`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/weigering")]
pub async fn refuse_deelnamebewijs(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<WeigeringIn>,
) -> ApiResult<HttpResponse> {
    let WeigeringIn { motivatie, naam } = body.0;
    let naam = ondertekenaar(&ctx.caller, naam);
    stap(ctx, id.0, if_match, Stap::weigeren(naam, motivatie)).await
}

/// Review a signed proof
///
/// By the contract's trajectbegeleider (or an admin), only on `ondertekend` (R9): `goedgekeurd`
/// hours count toward the contract's 40; `afgekeurd` needs a `motivatie`, and changing the hours
/// returns the proof to `concept` for a new signature. Only while the contract runs. Nobody
/// approves a proof they signed with their own account (`409 ownSignature`).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "reviewDeelnamebewijs",
    params(BewijsId, IfMatch),
    request_body(content = BeoordelingIn, description = "The decision", example = json!({
        "beslissing": "goedgekeurd", "motivatie": "Uren op 7 en 8 oktober telefonisch bevestigd"
    })),
    responses(
        (status = 200, description = "Reviewed", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not `ondertekend` (`invalidTransition`), the contract no longer runs \
            (`contractNotRunning`), or approving a proof the caller signed with their own account \
            (`ownSignature`)", body = Problem),
    )
)]
#[post("/deelnamebewijzen/{id}/beoordeling")]
pub async fn review_deelnamebewijs(
    ctx: Ctx,
    id: BewijsId,
    if_match: IfMatch,
    body: JsonBody<BeoordelingIn>,
) -> ApiResult<HttpResponse> {
    let BeoordelingIn { beslissing, motivatie } = body.0;
    stap(ctx, id.0, if_match, Stap::beoordelen(beslissing, motivatie)).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_deelnamebewijzen)
        .service(create_deelnamebewijs)
        .service(get_deelnamebewijs)
        .service(replace_prestaties)
        .service(add_prestatie)
        .service(delete_prestatie)
        .service(replace_contactpersoon)
        .service(submit_deelnamebewijs)
        .service(sign_deelnamebewijs)
        .service(refuse_deelnamebewijs)
        .service(review_deelnamebewijs);
    ondertekenverzoeken::configure(cfg);
}
