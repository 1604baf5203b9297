//! `/v1/deelnamebewijzen`: proofs of participation (R7–R10). A newcomer or their
//! trajectbegeleider starts a proof for an activity and logs the hours per day; the contact person
//! signs or refuses it (with the organisation's account, or with a one-time link, see
//! [`ondertekenverzoeken`]); the trajectbegeleider approves or rejects it, and approved hours count
//! toward the contract's 40 (`repo::voortgang`). The rules live in `domain::deelnamebewijs`.

pub mod model;
pub mod ondertekenverzoeken;
pub mod pdf;

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, delete, get, post, put, web};
use chrono::NaiveDate;
use serde_json::json;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::db::DbConn;
use crate::domain::aanbod::Contactpersoon;
use crate::domain::aanbod::{AanbodStatus, Aanbodtype};
use crate::domain::deelnamebewijs::{
    self as regels, Beoordeling, Betrokkenen, BewijsStatus, BewijsZicht, Groep, Handeling, Invoer, NieuwePrestatie,
    Overeenkomst, Overgangsfout, Prestatie, Rollen, Termijn, Weergave, Wijze,
};
use crate::domain::toegang::aanbod::{AanbodToegang, Zichtbaarheid};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation, Problem};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::{IfMatch, with_etag};
use crate::http::context::Ctx;
use crate::http::extract::{JsonBody, ListQuery};
use crate::http::links::Links;
use crate::repo::audit::{self, Action, Actor};
use crate::repo::contracten::{self as contracten_repo, ContractRow, PersoonRef};
use crate::repo::deelnamebewijzen::{self as repo, BewijsFilter, BewijsRow, BewijsWijziging, NieuwBewijs};
use crate::repo::{aanbod as aanbod_repo, organisaties as organisaties_repo};
use crate::routes::common::utc;
use crate::routes::contracten::contract_href;
use crate::routes::inburgeraars::{inburgeraar_href, met_me};
use crate::routes::toegang::{regelfouten, tekst, vandaag, versie_verschoven};
use model::*;

/// The audit log's resource type for proofs.
pub const RESOURCE: &str = "deelnamebewijs";

/// Problem type names (`urn:problem-type:pnt:<name>`) of this resource.
pub mod problem {
    pub const CONTRACT_NOT_RUNNING: &str = "contractNotRunning";
    pub const EMPTY: &str = "emptyDeelnamebewijs";
    pub const SIGNING_LINK_USED: &str = "signingLinkUsed";
    pub const SIGNING_LINK_EXPIRED: &str = "signingLinkExpired";
    pub const SIGNING_LINK_OUTDATED: &str = "signingLinkOutdated";
}

pub fn bewijs_href(links: &Links, id: i64) -> String {
    links.href(&format!("/v1/deelnamebewijzen/{id}"))
}

fn niet_gevonden(id: i64) -> ApiError {
    ApiError::not_found(format!("No deelnamebewijs with id {id}"))
}

/// The caller's view on proofs; 403 for roles that see none.
fn bewijs_zicht(caller: &Caller) -> ApiResult<BewijsZicht> {
    BewijsZicht::van(&caller.roles, &caller.sub, caller.organisatie.map(|o| o.0)).ok_or_else(|| {
        ApiError::missing_permission(
            "Proofs are visible to the newcomer, their trajectbegeleider, admins and the aanbieder they are addressed to",
        )
    })
}

/// A proof with its contract, newcomer and lines.
pub(crate) struct Geladen {
    pub row: BewijsRow,
    pub contract: ContractRow,
    pub persoon: PersoonRef,
    pub prestaties: Vec<Prestatie>,
}

impl Geladen {
    fn status(&self) -> ApiResult<BewijsStatus> {
        Ok(self.row.status()?)
    }

    fn betrokkenen(&self) -> ApiResult<Betrokkenen<'_>> {
        Ok(Betrokkenen {
            trajectbegeleider: &self.contract.trajectbegeleider,
            gebruiker_id: self.persoon.gebruiker_id.as_deref(),
            organisatie_id: self.row.organisatie_id,
            status: self.status()?,
        })
    }

    fn aanbodtype(&self) -> ApiResult<Aanbodtype> {
        Aanbodtype::parse(&self.row.aanbodtype)
            .ok_or_else(|| ApiError::internal(format!("aanbodtype {}", self.row.aanbodtype)))
    }

    fn termijn(&self) -> Termijn {
        Termijn { van: self.contract.ondertekend_op, tot: self.contract.termijn_einde }
    }
}

/// A proof whoever asks (the caller's rights are checked by the callers of this).
pub(crate) fn laad(c: &mut DbConn, id: i64) -> ApiResult<Option<Geladen>> {
    let Some((row, contract, persoon)) = repo::find(c, id)? else {
        return Ok(None);
    };
    let prestaties = repo::prestaties_van(c, id)?;
    Ok(Some(Geladen { row, contract, persoon, prestaties }))
}

/// The proof if the caller may see it — 404 otherwise, so other people's proofs do not leak
/// their existence (R15) — with the caller's relation to it.
fn laad_zichtbaar(c: &mut DbConn, zicht: &BewijsZicht, id: i64) -> ApiResult<(Geladen, Rollen, Weergave)> {
    let g = laad(c, id)?.ok_or_else(|| niet_gevonden(id))?;
    let rollen = zicht.rollen(&g.betrokkenen()?);
    let weergave = rollen.weergave().ok_or_else(|| niet_gevonden(id))?;
    Ok((g, rollen, weergave))
}

/// The proof if the caller may do something to it: 404 if they may not see it, 403 if they see
/// it but `mag` says no.
fn laad_voor(
    c: &mut DbConn,
    zicht: &BewijsZicht,
    id: i64,
    mag: fn(&Rollen) -> bool,
    verboden: &str,
) -> ApiResult<(Geladen, Weergave)> {
    let (g, rollen, weergave) = laad_zichtbaar(c, zicht, id)?;
    if !mag(&rollen) {
        return Err(ApiError::missing_permission(verboden));
    }
    Ok((g, weergave))
}

/// 409 unless the proof's contract runs: hours are logged and submitted only then.
fn contract_loopt(contract: &ContractRow) -> ApiResult<()> {
    let status = contract.status()?;
    if status.is_lopend() {
        return Ok(());
    }
    Err(ApiError::pnt(
        StatusCode::CONFLICT,
        problem::CONTRACT_NOT_RUNNING,
        "Contract Not Running",
        format!("Contract {} is {status}; hours are logged and submitted only while it runs", contract.id),
    ))
}

fn overgangsfout(f: Overgangsfout) -> ApiError {
    match f {
        Overgangsfout::ZonderPrestaties => {
            ApiError::pnt(StatusCode::CONFLICT, problem::EMPTY, "Empty Deelnamebewijs", f.to_string())
        }
        Overgangsfout::Ongeldig { .. } => ApiError::invalid_transition(f.to_string()),
    }
}

/// Logs an access to or a change of a proof; the details hold ids, never names.
fn log(c: &mut DbConn, actor: &Actor, action: Action, row: &BewijsRow, details: serde_json::Value) -> ApiResult<()> {
    let mut d = json!({ "contract": row.contract_id });
    if let (Some(o), Some(extra)) = (d.as_object_mut(), details.as_object()) {
        o.extend(extra.clone());
    }
    audit::record(c, actor, action, RESOURCE, &row.id.to_string(), Some(d))?;
    Ok(())
}

fn prestatie_uit(p: &Prestatie) -> PrestatieUit {
    PrestatieUit { datum: p.datum, uren: p.kwartieren.uren(), omschrijving: p.omschrijving.clone() }
}

fn inhoud(links: &Links, g: &Geladen) -> ApiResult<BewijsInhoud> {
    let r = &g.row;
    let ondertekening =
        match (&r.ondertekend_door, r.ondertekend_op, r.ondertekend_via.as_deref().and_then(Wijze::parse)) {
            (Some(door), Some(op), Some(via)) => Some(Ondertekening { door: door.clone(), op: utc(op), via }),
            _ => None,
        };
    let weigering = match (&r.weigering_motivatie, r.geweigerd_op, &r.geweigerd_door, r.geweigerd_via.as_deref()) {
        (Some(m), Some(op), Some(door), Some(via)) => Some(Weigering {
            motivatie: m.clone(),
            op: utc(op),
            door: door.clone(),
            via: Wijze::parse(via).unwrap_or(Wijze::Account),
        }),
        _ => None,
    };
    Ok(BewijsInhoud {
        id: r.id,
        activiteit: r.activiteit.clone(),
        aanbod: r.aanbod_id.map(|id| Verwijzing { href: links.href(&format!("/v1/aanbod/{id}")), id }),
        organisatie: BewijsOrganisatie {
            href: r.organisatie_id.map(|id| links.href(&format!("/v1/organisaties/{id}"))),
            id: r.organisatie_id,
            naam: r.organisatie_naam.clone(),
        },
        aanbodtype: g.aanbodtype()?,
        contactpersoon: Contactpersoon {
            naam: r.contact_naam.clone(),
            email: r.contact_email.clone(),
            telefoon: r.contact_telefoon.clone(),
        },
        prestaties: g.prestaties.iter().map(prestatie_uit).collect(),
        totaal_uren: regels::totaal(&g.prestaties).uren(),
        status: g.status()?,
        ondertekening,
        weigering,
        versie: r.versie,
        aangemaakt_op: utc(r.aangemaakt_op),
        gewijzigd_op: utc(r.gewijzigd_op),
    })
}

fn beoordeling(r: &BewijsRow) -> Option<BeoordelingUit> {
    match (&r.beoordeeld_door, r.beoordeeld_op, r.beoordeling.as_deref().and_then(Beoordeling::parse)) {
        (Some(door), Some(op), Some(beslissing)) => Some(BeoordelingUit {
            door: door.clone(),
            op: utc(op),
            beslissing,
            motivatie: r.beoordeling_motivatie.clone(),
        }),
        _ => None,
    }
}

/// The proof as `weergave` shows it: everything, or the aanbieder's reduced view.
fn weergave_van(links: &Links, g: &Geladen, weergave: Weergave) -> ApiResult<DeelnamebewijsWeergave> {
    let inhoud = inhoud(links, g)?;
    let p = &g.persoon;
    Ok(match weergave {
        Weergave::Volledig => DeelnamebewijsWeergave::Volledig(DeelnamebewijsVolledig {
            contract: Verwijzing { href: contract_href(links, g.contract.id), id: g.contract.id },
            inburgeraar: BewijsInburgeraar {
                href: inburgeraar_href(links, p.id),
                id: p.id,
                voornaam: p.voornaam.clone(),
                achternaam: p.achternaam.clone(),
            },
            trajectbegeleider: g.contract.trajectbegeleider.clone(),
            inhoud,
            beoordeling: beoordeling(&g.row),
        }),
        Weergave::Beperkt => DeelnamebewijsWeergave::Beperkt(DeelnamebewijsBeperkt {
            inburgeraar: InburgeraarNaam { naam: format!("{} {}", p.voornaam, p.achternaam) },
            inhoud,
        }),
    })
}

/// The proof document with its `ETag` (and `Location` when created).
fn antwoord(status: StatusCode, links: &Links, g: &Geladen, weergave: Weergave) -> ApiResult<HttpResponse> {
    let href = bewijs_href(links, g.row.id);
    let mut res = HttpResponse::build(status);
    with_etag(&mut res, g.row.versie);
    if status == StatusCode::CREATED {
        res.insert_header((header::LOCATION, href.clone()));
    }
    Ok(res.json(Deelnamebewijs { self_link: href, weergave: weergave_van(links, g, weergave)? }))
}

fn nieuwe_prestatie(p: PrestatieIn) -> NieuwePrestatie {
    NieuwePrestatie { datum: p.datum, uren: p.uren, omschrijving: tekst(p.omschrijving) }
}

// --- Create --------------------------------------------------------------------------------------

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
            issues.push(InputIssue::invalid(
                InputLocation::Body,
                "aanbodtype",
                format!("the offer is of type {van_aanbod}; leave aanbodtype out or give that type"),
            ));
            None
        }
        (Some(t), _) | (None, Some(t)) => Some(t),
        (None, None) => {
            if body.aanbod.is_none() {
                issues.push(InputIssue::invalid(
                    InputLocation::Body,
                    "aanbodtype",
                    "aanbodtype is required without aanbod",
                ));
            }
            None
        }
    };
    let activiteit = tekst(body.activiteit.clone()).or_else(|| aanbod.as_ref().map(|a| a.titel_nl.clone()));
    if activiteit.is_none() && body.aanbod.is_none() {
        issues.push(InputIssue::invalid(
            InputLocation::Body,
            "activiteit",
            "describe the activity (activiteit) or link the offer (aanbod)",
        ));
    }
    let organisatie_id = body.organisatie.or(aanbod.as_ref().and_then(|a| a.organisatie_id));
    if let (Some(gegeven), Some(van_aanbod)) = (body.organisatie, aanbod.as_ref().and_then(|a| a.organisatie_id))
        && gegeven != van_aanbod
    {
        issues.push(InputIssue::invalid(
            InputLocation::Body,
            "organisatie",
            format!("the offer belongs to organisation {van_aanbod}"),
        ));
    }
    let naam_gegeven = tekst(body.organisatie_naam.clone());
    let organisatie_naam = match organisatie_id {
        Some(id) => {
            if naam_gegeven.is_some() {
                issues.push(InputIssue::invalid(
                    InputLocation::Body,
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
                issues.push(InputIssue::invalid(
                    InputLocation::Body,
                    "organisatieNaam",
                    "name the organisation: organisatie (a registered one) or organisatieNaam",
                ));
            }
            naam_gegeven
        }
    };
    let contactpersoon = body.contactpersoon.clone().or_else(|| {
        aanbod.as_ref().and_then(|a| a.contactpersoon.as_deref()).and_then(|c| serde_json::from_str(c).ok())
    });
    if contactpersoon.is_none() && (body.aanbod.is_none() || aanbod.is_some()) {
        issues.push(InputIssue::invalid(
            InputLocation::Body,
            "contactpersoon",
            "contactpersoon is required: the person who confirms the hours (R8)",
        ));
    }
    Ok(match (activiteit, organisatie_naam, aanbodtype, contactpersoon) {
        (Some(activiteit), Some(organisatie_naam), Some(aanbodtype), Some(cp)) => Some(NieuwBewijs {
            contract_id,
            aanbod_id: aanbod.map(|a| a.id),
            activiteit,
            organisatie_id,
            organisatie_naam,
            aanbodtype: aanbodtype.as_str().to_string(),
            contact_naam: cp.naam.trim().to_string(),
            contact_email: cp.email,
            contact_telefoon: cp.telefoon,
        }),
        _ => None,
    })
}

/// R7: 409 with the open proof the new one belongs with.
fn check_groep(c: &mut DbConn, links: &Links, nieuw: &NieuwBewijs, aanbodtype: Aanbodtype) -> ApiResult<()> {
    let groep = Groep {
        aanbodtype,
        organisatie_id: nieuw.organisatie_id,
        organisatie_naam: &nieuw.organisatie_naam,
        contact_naam: &nieuw.contact_naam,
        contact_email: nieuw.contact_email.as_deref(),
    };
    for open in repo::open_van(c, nieuw.contract_id, &nieuw.aanbodtype)? {
        let bestaand = Groep {
            aanbodtype,
            organisatie_id: open.organisatie_id,
            organisatie_naam: &open.organisatie_naam,
            contact_naam: &open.contact_naam,
            contact_email: open.contact_email.as_deref(),
        };
        if let Some(o) = regels::zelfde_groep(&groep, &bestaand) {
            let waarom = match o {
                Overeenkomst::Organisatie => "at the same organisation",
                Overeenkomst::Contactpersoon => "with the same contact person",
            };
            return Err(ApiError::duplicate(
                format!(
                    "This contract already has an open proof for {aanbodtype} {waarom} (R7: one proof per type and \
                     organisation or contact person); add the hours there"
                ),
                bewijs_href(links, open.id),
            ));
        }
    }
    Ok(())
}

/// Start a proof
///
/// By the newcomer (for their own contract), their trajectbegeleider or an admin, on a running
/// contract. Link the offer (`aanbod`) or describe the activity; name the organisation (a
/// registered one, or by name) and the contact person who confirms the hours. Lines may come
/// along (`prestaties`, R10). A second open proof for the same contract and aanbodtype at the same
/// organisation or with the same contact person is `409 duplicate` with the `href` of the open one
/// (R7): add the hours there. A signed or approved proof is closed; later hours start a new one.
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
    security(("bearerAuth" = [])),
    responses(
        (status = 201, description = "Started (status `concept`)", body = Deelnamebewijs,
            headers(("Location" = String, description = "The new proof"), ("ETag" = String))),
        (status = 409, description = "R7: an open proof of this type for the same organisation or contact person exists \
            (`duplicate`, with its `href`), or the contract is not running (`contractNotRunning`)",
            body = Problem, content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen")]
pub async fn create_deelnamebewijs(ctx: Ctx, body: JsonBody<DeelnamebewijsIn>) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let personen = zicht.personen.clone().ok_or_else(|| {
        ApiError::missing_permission("A proof is started by the newcomer, their trajectbegeleider or an admin")
    })?;
    let body = body.0;
    let l = links.clone();
    let (g, weergave) = state
        .db
        .write(move |c| {
            let mut issues = Vec::new();
            let contract = contracten_repo::find_zichtbaar(c, &personen, body.contract)?;
            if contract.is_none() {
                issues.push(InputIssue::referenced_not_found(
                    InputLocation::Body,
                    "contract",
                    format!("No inburgeringscontract with id {} of yours", body.contract),
                ));
            }
            let nieuw = kop(c, &caller, body.contract, &body, &mut issues)?;
            let lijnen = match &contract {
                Some((contract, _)) => {
                    let nieuwe: Vec<_> = body
                        .prestaties
                        .iter()
                        .cloned()
                        .enumerate()
                        .map(|(i, p)| (format!("prestaties[{i}]"), nieuwe_prestatie(p)))
                        .collect();
                    let dagen: Vec<NaiveDate> = nieuwe.iter().map(|(_, p)| p.datum).collect();
                    let elders = repo::elders_per_dag(c, contract.id, None, &dagen)?;
                    let termijn = Termijn { van: contract.ondertekend_op, tot: contract.termijn_einde };
                    let invoer = Invoer { nieuw: nieuwe, behouden: &[], lijst: "prestaties" };
                    match regels::controleer_prestaties(invoer, termijn, vandaag(), &elders) {
                        Ok(l) => l,
                        Err(fouten) => {
                            issues.extend(
                                fouten.into_iter().map(|f| InputIssue::invalid(InputLocation::Body, f.veld, f.detail)),
                            );
                            Vec::new()
                        }
                    }
                }
                None => Vec::new(),
            };
            let (Some((contract, _)), Some(nieuw), true) = (contract, nieuw, issues.is_empty()) else {
                return Err(ApiError::bad_request(issues));
            };
            contract_loopt(&contract)?;
            repo::vergrendel_contract(c, contract.id)?;
            let aanbodtype = Aanbodtype::parse(&nieuw.aanbodtype).unwrap_or(Aanbodtype::Andere);
            check_groep(c, &l, &nieuw, aanbodtype)?;
            let id = repo::insert(c, &nieuw, &actor.sub, crate::db::now())?;
            repo::vervang_prestaties(c, id, &lijnen)?;
            let (g, _, weergave) = laad_zichtbaar(c, &zicht, id)?;
            log(c, &actor, Action::Create, &g.row, json!({ "prestaties": lijnen.len() }))?;
            Ok((g, weergave))
        })
        .await?;
    antwoord(StatusCode::CREATED, &links, &g, weergave)
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

fn tijd_tekst(t: chrono::NaiveDateTime) -> String {
    t.format("%d-%m-%Y %H:%M UTC").to_string()
}

/// The printed proof: the same facts as the JSON view the caller has.
fn afdruk(links: &Links, g: &Geladen, weergave: Weergave, trace_id: &str) -> ApiResult<pdf::Afdruk> {
    let i = inhoud(links, g)?;
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
    if weergave == Weergave::Volledig
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
    Ok(pdf::Afdruk {
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
        gemaakt_op: tijd_tekst(crate::db::now()),
        adres: bewijs_href(links, i.id),
    })
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
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("Accept" = Option<String>, Header, description = "`application/json` (default) or `application/pdf`"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The proof", headers(("ETag" = String)), content(
            (Deelnamebewijs = "application/json"),
            (PdfDocument = "application/pdf"),
        )),
        (status = 406, description = "Neither JSON nor PDF is acceptable (`notAcceptable`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[get("/deelnamebewijzen/{id}")]
pub async fn get_deelnamebewijs(req: HttpRequest, ctx: Ctx, path: web::Path<i64>) -> ApiResult<HttpResponse> {
    let formaat = formaat(&req)?;
    let actor = ctx.actor();
    let Ctx { state, links, caller, trace } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let id = path.into_inner();
    let (g, weergave) = state
        .db
        .write(move |c| {
            let (g, _, weergave) = laad_zichtbaar(c, &zicht, id)?;
            let details = match formaat {
                Formaat::Pdf => json!({ "formaat": "pdf" }),
                Formaat::Json => json!({}),
            };
            log(c, &actor, Action::Read, &g.row, details)?;
            Ok((g, weergave))
        })
        .await?;
    if formaat == Formaat::Json {
        let mut res = antwoord(StatusCode::OK, &links, &g, weergave)?;
        res.headers_mut().insert(header::VARY, header::HeaderValue::from_static("Accept"));
        return Ok(res);
    }
    let bytes = pdf::render(&afdruk(&links, &g, weergave, &trace.0)?);
    let mut res = HttpResponse::Ok();
    with_etag(&mut res, g.row.versie)
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
    security(("bearerAuth" = [])),
    responses((status = 200, description = "A page of proofs", body = Collection<DeelnamebewijsItem>))
)]
#[get("/deelnamebewijzen")]
pub async fn list_deelnamebewijzen(
    req: HttpRequest,
    ctx: Ctx,
    query: ListQuery<DeelnamebewijzenQuery>,
) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let ListQuery { filter: q, page } = query;
    let f = BewijsFilter {
        contracten: q.contract,
        statussen: q.status.iter().map(|s| s.as_str().to_string()).collect(),
        organisaties: q.organisatie,
        trajectbegeleiders: met_me(q.trajectbegeleider, &caller),
        aanbodtypes: q.aanbodtype.iter().map(|t| t.as_str().to_string()).collect(),
    };
    let (offset, limit) = (page.offset(), page.limit());
    let (regels, total) = state
        .db
        .write(move |c| {
            let (rows, total) = repo::list(c, &zicht, &f, offset, limit)?;
            let ids: Vec<i64> = rows.iter().map(|(b, _, _)| b.id).collect();
            let mut lijnen = repo::prestaties(c, &ids)?;
            let mut regels = Vec::with_capacity(rows.len());
            for (row, contract, persoon) in rows {
                let prestaties = lijnen.remove(&row.id).unwrap_or_default();
                let g = Geladen { row, contract, persoon, prestaties };
                let Some(weergave) = zicht.rollen(&g.betrokkenen()?).weergave() else {
                    // SQL and the rules disagree: never show more than the rules allow.
                    log::error!("deelnamebewijs {} listed but not visible to {}", g.row.id, actor.sub);
                    continue;
                };
                log(c, &actor, Action::List, &g.row, json!({}))?;
                regels.push((g, weergave));
            }
            Ok((regels, total))
        })
        .await?;
    let items = regels
        .iter()
        .map(|(g, w)| {
            Ok(DeelnamebewijsItem { href: bewijs_href(&links, g.row.id), weergave: weergave_van(&links, g, *w)? })
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

// --- Hours ---------------------------------------------------------------------------------------

/// A change to a proof's lines.
enum LijnActie {
    Vervang(Vec<PrestatieIn>),
    VoegToe(PrestatieIn),
    Verwijder(NaiveDate),
}

impl LijnActie {
    fn naam(&self) -> &'static str {
        match self {
            LijnActie::Vervang(_) => "vervangen",
            LijnActie::VoegToe(_) => "toegevoegd",
            LijnActie::Verwijder(_) => "verwijderd",
        }
    }
}

const BEWERKEN_VERBODEN: &str =
    "Only the newcomer, their trajectbegeleider or an admin changes a proof; the contact person signs or refuses it";

/// The shared path of the three line operations: the proof must be editable, every new line
/// passes R10, and the proof's status and version move in the same transaction. A change after
/// a refusal or a rejection returns the proof to `concept`, and clears an earlier signature.
async fn wijzig_prestaties(ctx: Ctx, id: i64, if_match: IfMatch, actie: LijnActie) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let (g, weergave) = state
        .db
        .write(move |c| {
            let (g, weergave) = laad_voor(c, &zicht, id, Rollen::mag_bewerken, BEWERKEN_VERBODEN)?;
            if_match.check(g.row.versie)?;
            let van = g.status()?;
            // The step first: a signed proof is immutable, whatever the new lines hold.
            regels::overgang(van, Handeling::PrestatiesWijzigen, 1).map_err(overgangsfout)?;
            contract_loopt(&g.contract)?;
            let naam = actie.naam();
            let lijst = if matches!(actie, LijnActie::Vervang(_)) { "items" } else { "prestaties" };
            let (nieuw, behouden): (Vec<(String, NieuwePrestatie)>, Vec<Prestatie>) = match actie {
                LijnActie::Vervang(items) => (
                    items.into_iter().enumerate().map(|(i, p)| (format!("items[{i}]"), nieuwe_prestatie(p))).collect(),
                    Vec::new(),
                ),
                LijnActie::VoegToe(p) => (vec![(String::new(), nieuwe_prestatie(p))], g.prestaties.clone()),
                LijnActie::Verwijder(datum) => {
                    if !g.prestaties.iter().any(|p| p.datum == datum) {
                        return Err(ApiError::not_found(format!("Proof {id} has no line for {datum}")));
                    }
                    (Vec::new(), g.prestaties.iter().filter(|p| p.datum != datum).cloned().collect())
                }
            };
            let dagen: Vec<NaiveDate> = nieuw.iter().map(|(_, p)| p.datum).collect();
            let elders = repo::elders_per_dag(c, g.contract.id, Some(id), &dagen)?;
            let invoer = Invoer { nieuw, behouden: &behouden, lijst };
            let lijnen = regels::controleer_prestaties(invoer, g.termijn(), vandaag(), &elders).map_err(regelfouten)?;
            let naar = regels::overgang(van, Handeling::PrestatiesWijzigen, lijnen.len()).map_err(overgangsfout)?;
            let wijziging = BewijsWijziging {
                status: Some(naar.as_str().to_string()),
                ondertekend_door: Some(None),
                ondertekend_op: Some(None),
                ondertekend_via: Some(None),
                ..Default::default()
            };
            if repo::wijzig(c, id, g.row.versie, &wijziging, crate::db::now())? == 0 {
                return Err(versie_verschoven(&if_match));
            }
            repo::vervang_prestaties(c, id, &lijnen)?;
            log(
                c,
                &actor,
                Action::Update,
                &g.row,
                json!({ "prestaties": naam, "aantal": lijnen.len(), "van": van.as_str(), "naar": naar.as_str() }),
            )?;
            let g = laad(c, id)?.ok_or_else(|| niet_gevonden(id))?;
            Ok((g, weergave))
        })
        .await?;
    antwoord(StatusCode::OK, &links, &g, weergave)
}

/// Replace a proof's hours
///
/// For the newcomer, their trajectbegeleider and admins (an aanbieder gets `403`, anyone else
/// `404`), while the contract runs (`409 contractNotRunning`). Honours `If-Match`.
/// All lines at once (`{ "items": [ … ] }`). Allowed in `concept`, in `teOndertekenen` before
/// the signature (earlier signing links become outdated), and after `geweigerd` or `afgekeurd`
/// (the proof returns to `concept`). R10: a date outside the contract's (possibly extended) term
/// or in the future, hours ≤ 0 or above 12, other than whole quarter hours, a second line for a
/// day, or a day holding more than 12 hours over all the contract's proofs — each a `badRequest`
/// issue naming the line (`items[2].uren`).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "replacePrestaties",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = PrestatiesIn, description = "Every line of the proof; an empty list removes them all", example = json!({
        "items": [
            { "datum": "2026-10-07", "uren": 2.5, "omschrijving": "Soep gekookt en afgewassen" },
            { "datum": "2026-10-14", "uren": 3.25 }
        ]
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The proof with its new lines", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[put("/deelnamebewijzen/{id}/prestaties")]
pub async fn replace_prestaties(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<PrestatiesIn>,
) -> ApiResult<HttpResponse> {
    wijzig_prestaties(ctx, path.into_inner(), if_match, LijnActie::Vervang(body.0.items)).await
}

/// Add a day's hours
///
/// One line (`{ datum, uren, omschrijving? }`), under the rules of replacing the lines; a day
/// that already has a line is a `badRequest` naming `datum` (change it with PUT, or delete it).
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "addPrestatie",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = PrestatieIn, description = "The new line", example = json!({
        "datum": "2026-10-21", "uren": 2.75, "omschrijving": "Tafels gedekt en gasten ontvangen"
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The proof with the new line", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/prestaties")]
pub async fn add_prestatie(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<PrestatieIn>,
) -> ApiResult<HttpResponse> {
    wijzig_prestaties(ctx, path.into_inner(), if_match, LijnActie::VoegToe(body.0)).await
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
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "The proof without the line", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "A signed or approved proof is immutable (`invalidTransition`), or the contract \
            is not running (`contractNotRunning`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
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

// --- Status steps --------------------------------------------------------------------------------

/// A status step on a proof with its input.
enum Stap {
    Indienen,
    Ondertekenen { naam: Option<String> },
    Weigeren { naam: Option<String>, motivatie: Option<String> },
    Beoordelen { beslissing: Beoordeling, motivatie: Option<String> },
}

impl Stap {
    fn handeling(&self) -> Handeling {
        match self {
            Stap::Indienen => Handeling::Indienen,
            Stap::Ondertekenen { .. } => Handeling::Ondertekenen,
            Stap::Weigeren { .. } => Handeling::Weigeren,
            Stap::Beoordelen { beslissing, .. } => Handeling::Beoordelen(*beslissing),
        }
    }

    /// Who may take the step, and what a caller who sees the proof but may not is told.
    fn recht(&self) -> (fn(&Rollen) -> bool, &'static str) {
        match self {
            Stap::Indienen => (Rollen::mag_bewerken, BEWERKEN_VERBODEN),
            Stap::Ondertekenen { .. } | Stap::Weigeren { .. } => (
                Rollen::mag_ondertekenen,
                "Only an aanbieder of the proof's organisation signs or refuses it with an account; \
                 others use a signing link",
            ),
            Stap::Beoordelen { .. } => {
                (Rollen::mag_beoordelen, "Only the contract's trajectbegeleider or an admin reviews a proof (R9)")
            }
        }
    }

    fn audit_naam(&self) -> &'static str {
        match self {
            Stap::Indienen => "ingediend",
            Stap::Ondertekenen { .. } => "ondertekend",
            Stap::Weigeren { .. } => "geweigerd",
            Stap::Beoordelen { .. } => "beoordeeld",
        }
    }
}

/// The shared path of the status steps: load what the caller may act on, check `If-Match`, let
/// the status machine decide, and write the step with a version check and an audit entry.
async fn stap(ctx: Ctx, id: i64, if_match: IfMatch, stap: Stap) -> ApiResult<HttpResponse> {
    let actor = ctx.actor();
    let Ctx { state, links, caller, .. } = ctx;
    let zicht = bewijs_zicht(&caller)?;
    let handeling = stap.handeling();
    let motivatie = match &stap {
        Stap::Weigeren { motivatie, .. } | Stap::Beoordelen { motivatie, .. } => motivatie.as_deref(),
        _ => None,
    };
    let motivatie = regels::motivatie(handeling, motivatie).map_err(|f| regelfouten(vec![f]))?;
    // The signer's name: as given, else the token's name, else its subject.
    let ondertekenaar = caller.name.clone().unwrap_or_else(|| caller.sub.clone());
    let (g, weergave) = state
        .db
        .write(move |c| {
            let (mag, verboden) = stap.recht();
            let (g, weergave) = laad_voor(c, &zicht, id, mag, verboden)?;
            if_match.check(g.row.versie)?;
            let van = g.status()?;
            let naar = regels::overgang(van, handeling, g.prestaties.len()).map_err(overgangsfout)?;
            if handeling == Handeling::Indienen {
                contract_loopt(&g.contract)?;
            }
            let nu = crate::db::now();
            let mut w = BewijsWijziging { status: Some(naar.as_str().to_string()), ..Default::default() };
            let account = Some(Some(Wijze::Account.as_str().to_string()));
            match &stap {
                Stap::Indienen => {}
                Stap::Ondertekenen { naam } => {
                    w.ondertekend_door = Some(Some(tekst(naam.clone()).unwrap_or_else(|| ondertekenaar.clone())));
                    w.ondertekend_op = Some(Some(nu));
                    w.ondertekend_via = account;
                }
                Stap::Weigeren { naam, .. } => {
                    w.geweigerd_door = Some(Some(tekst(naam.clone()).unwrap_or_else(|| ondertekenaar.clone())));
                    w.geweigerd_op = Some(Some(nu));
                    w.geweigerd_via = account;
                    w.weigering_motivatie = Some(motivatie.clone());
                }
                Stap::Beoordelen { beslissing, .. } => {
                    w.beoordeeld_door = Some(Some(actor.sub.clone()));
                    w.beoordeeld_op = Some(Some(nu));
                    w.beoordeling = Some(Some(beslissing.as_str().to_string()));
                    w.beoordeling_motivatie = Some(motivatie.clone());
                }
            }
            if repo::wijzig(c, id, g.row.versie, &w, nu)? == 0 {
                return Err(versie_verschoven(&if_match));
            }
            log(
                c,
                &actor,
                Action::Change(stap.audit_naam()),
                &g.row,
                json!({ "van": van.as_str(), "naar": naar.as_str(), "via": "account" }),
            )?;
            let g = laad(c, id)?.ok_or_else(|| niet_gevonden(id))?;
            Ok((g, weergave))
        })
        .await?;
    antwoord(StatusCode::OK, &links, &g, weergave)
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
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(
        content = Option<serde_json::Value>,
        content_type = "application/json",
        description = "None needed: the step takes no input. A body, if sent, is not read (whatever its content).",
        example = json!({})
    ),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Submitted", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `concept` (`invalidTransition`), no lines (`emptyDeelnamebewijs`), or the \
            contract is not running (`contractNotRunning`)", body = Problem, content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/indienen")]
pub async fn submit_deelnamebewijs(ctx: Ctx, path: web::Path<i64>, if_match: IfMatch) -> ApiResult<HttpResponse> {
    stap(ctx, path.into_inner(), if_match, Stap::Indienen).await
}

/// Sign a proof (aanbieder account)
///
/// By an aanbieder of the proof's organisation (claim `organisatie`), only in `teOndertekenen`:
/// the proof becomes `ondertekend` and immutable, waiting for the trajectbegeleider's review.
/// Send the `If-Match` of the version you read, so you sign exactly what you saw.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "signDeelnamebewijs",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag of the version you sign; 412 if it changed since"),
    ),
    request_body(content = OndertekeningIn, description = "Who signs; `{}` signs under the token's name",
        example = json!({ "naam": "An Peeters" })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Signed", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `teOndertekenen` (`invalidTransition`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/ondertekening")]
pub async fn sign_deelnamebewijs(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<OndertekeningIn>,
) -> ApiResult<HttpResponse> {
    stap(ctx, path.into_inner(), if_match, Stap::Ondertekenen { naam: body.0.naam }).await
}

/// Refuse to sign a proof (aanbieder account)
///
/// By an aanbieder of the proof's organisation, only in `teOndertekenen`, with a `motivatie`
/// (R8). The proof becomes `geweigerd`; the trajectbegeleider follows up, and changing the hours
/// returns it to `concept`.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "refuseDeelnamebewijs",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = WeigeringIn, description = "Why the hours are not confirmed", example = json!({
        "motivatie": "Was op 7 oktober niet aanwezig", "naam": "An Peeters"
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Refused", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not in `teOndertekenen` (`invalidTransition`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/weigering")]
pub async fn refuse_deelnamebewijs(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<WeigeringIn>,
) -> ApiResult<HttpResponse> {
    let WeigeringIn { motivatie, naam } = body.0;
    stap(ctx, path.into_inner(), if_match, Stap::Weigeren { naam, motivatie }).await
}

/// Review a signed proof
///
/// By the contract's trajectbegeleider (or an admin), only on `ondertekend` (R9): `goedgekeurd`
/// hours count toward the contract's 40; `afgekeurd` needs a `motivatie`, and changing the hours
/// returns the proof to `concept` for a new signature.
#[utoipa::path(
    tag = "Deelnamebewijzen",
    operation_id = "reviewDeelnamebewijs",
    params(
        ("id" = i64, Path, description = "Proof id", example = 3),
        ("If-Match" = Option<String>, Header, description = "The ETag you read; 412 if it changed since"),
    ),
    request_body(content = BeoordelingIn, description = "The decision", example = json!({
        "beslissing": "goedgekeurd", "motivatie": "Uren op 7 en 8 oktober telefonisch bevestigd"
    })),
    security(("bearerAuth" = [])),
    responses(
        (status = 200, description = "Reviewed", body = Deelnamebewijs, headers(("ETag" = String))),
        (status = 409, description = "Not `ondertekend` (`invalidTransition`)", body = Problem,
            content_type = "application/problem+json"),
        (status = 412, description = "The proof changed since you read it (`preconditionFailed`)", body = Problem,
            content_type = "application/problem+json"),
    )
)]
#[post("/deelnamebewijzen/{id}/beoordeling")]
pub async fn review_deelnamebewijs(
    ctx: Ctx,
    path: web::Path<i64>,
    if_match: IfMatch,
    body: JsonBody<BeoordelingIn>,
) -> ApiResult<HttpResponse> {
    let BeoordelingIn { beslissing, motivatie } = body.0;
    stap(ctx, path.into_inner(), if_match, Stap::Beoordelen { beslissing, motivatie }).await
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_deelnamebewijzen)
        .service(create_deelnamebewijs)
        .service(get_deelnamebewijs)
        .service(replace_prestaties)
        .service(add_prestatie)
        .service(delete_prestatie)
        .service(submit_deelnamebewijs)
        .service(sign_deelnamebewijs)
        .service(refuse_deelnamebewijs)
        .service(review_deelnamebewijs);
    ondertekenverzoeken::configure(cfg);
}
