//! `/v1/regionaleNetwerken`: the 18 regional organisation networks (15 reference regions plus
//! Antwerpen, Gent and Brussel) and what each records about itself — its leader (trekker) and
//! mandate, staff, subsidy and partner organisations — plus the compliance view
//! (`…/opvolging`). Meetings and the action plan are in `overleggen` and `acties`.
//!
//! The reference part is public. What a network records is read by the agency's roles,
//! municipalities and network coordinators, and written by an admin or the network's own
//! netwerkcoordinator (claim `regio`): `domain::toegang::netwerken`. Its PUT and PATCH follow
//! the flow every document of a network follows (`netwerk_onderdelen`).

use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, get, patch, put, web};
use chrono::{Datelike, NaiveDate};
use utoipa_actix_web::service_config::ServiceConfig;

use crate::app::document::{self, Document};
use crate::db::DbConn;
use crate::domain::ids::NetwerkCode;
use crate::domain::netwerk::{self as regels, ActieStatus, Medewerker, Overlegnormen, Overlegsoort, Subsidie};
use crate::domain::toegang::netwerken::{Beheerrecht, Leesrecht, NetwerkToegang};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::context::{Ctx, PublicCtx};
use crate::http::extract::{JsonBody, ListQuery, MergePatch, Query};
use crate::http::links::Links;
use crate::repo::audit::Actor;
use crate::repo::gemeenten as repo;
use crate::repo::netwerkbeheer::{self as beheer_repo, Beheer, BeheerWaarden};
use crate::repo::{acties as acties_repo, organisaties, overleggen as overleggen_repo};
use crate::routes::netwerk_onderdelen::{
    self as documenten, NetwerkDocument, known_network, leesrecht, network_not_found,
};
use crate::routes::toegang::tekst;
use crate::wire::common::{GemeenteRef, OrganisatieRef, utc};
use crate::wire::netwerken::{
    AchterstalligeActie, ActiesOpvolging, ActiesPerStatus, JaarQuery, NetwerkBeheer, NetwerkBeheerInput,
    NetwerkBeheerPatch, NetwerkSoort, NetwerkenQuery, Opvolging, OverlegOpvolging, Partner, PartnerInput,
    RegionaalNetwerk, RegionaalNetwerkSummary, SubsidieOpvolging, Trekker, TrekkerInput,
};

impl NetwerkSoort {
    fn from_db(s: &str) -> NetwerkSoort {
        if s == "grootstad" { NetwerkSoort::Grootstad } else { NetwerkSoort::Referentieregio }
    }
}

pub fn netwerk_href(links: &Links, code: &str) -> String {
    links.href(&format!("/v1/regionaleNetwerken/{code}"))
}

/// The organisations among `ids` that do not exist, as issues on `veld(i)`.
pub fn onbekende_organisaties(
    c: &mut DbConn,
    ids: &[i64],
    veld: impl Fn(usize) -> String,
) -> ApiResult<Vec<InputIssue>> {
    let bestaand: std::collections::HashSet<i64> = organisaties::names(c, ids)?.into_iter().map(|(id, _)| id).collect();
    Ok(ids
        .iter()
        .enumerate()
        .filter(|(_, id)| !bestaand.contains(id))
        .map(|(i, id)| {
            InputIssue::referenced_not_found(InputLocation::Body, veld(i), format!("No organisation with id {id}"))
                .with_value(id)
        })
        .collect())
}

/// List regional networks
///
/// The 18 regional organisation networks (the 15 reference regions, then Antwerpen, Gent and
/// Brussel), by code, with their kind and number of member municipalities. Public: no token
/// needed. Takes no filters; unknown query parameters are refused (400).
#[utoipa::path(
    tag = "Referentiedata",
    operation_id = "listRegionaleNetwerken",
    params(PageParams),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The networks", body = Collection<RegionaalNetwerkSummary>))
)]
#[get("/regionaleNetwerken")]
pub async fn list_netwerken(
    req: HttpRequest,
    ctx: PublicCtx,
    query: ListQuery<NetwerkenQuery>,
) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, .. } = ctx;
    let page = query.page;
    let (offset, limit) = (page.offset(), page.limit());
    let (rows, total) = state.db.run(move |c| Ok(repo::netwerken(c, offset, limit)?)).await?;
    let items = rows
        .into_iter()
        .map(|(n, count)| RegionaalNetwerkSummary {
            href: netwerk_href(&links, &n.code),
            soort: NetwerkSoort::from_db(&n.soort),
            code: n.code,
            naam: n.naam,
            aantal_gemeenten: count,
        })
        .collect();
    Ok(HttpResponse::Ok().json(Collection::new(&req, &links, &page, items, total)))
}

/// The writable representation of what a network recorded.
fn input_van(b: &Beheer) -> NetwerkBeheerInput {
    let rij = b.rij.as_ref();
    let trekker = rij.and_then(|r| {
        (r.trekker_organisatie_id.is_some() || r.trekker_naam.is_some() || r.trekker_mandaat.is_some()).then(|| {
            TrekkerInput {
                organisatie: r.trekker_organisatie_id,
                naam: r.trekker_naam.clone(),
                mandaat: r.trekker_mandaat.clone(),
            }
        })
    });
    NetwerkBeheerInput {
        trekker,
        medewerkers: b.medewerkers.clone(),
        subsidie: rij.and_then(|r| r.subsidie()),
        partners: b
            .partners
            .iter()
            .map(|p| PartnerInput { organisatie: p.organisatie_id, rol: p.rol.clone() })
            .collect(),
        // The norms in force (the defaults when the network set none), so a merge patch of
        // one field (`{"klankbordgroep": {"maximum": null}}`) has a whole norm to merge into.
        overlegnormen: Some(rij.and_then(|r| r.overlegnormen()).unwrap_or_default()),
    }
}

/// A network, its municipalities (NIS code, name) and what it recorded: the network's document.
pub struct Geladen {
    netwerk: repo::NetwerkRow,
    gemeenten: Vec<(String, String)>,
    beheer: Beheer,
}

/// Loads the network and what it recorded; `404` when there is no such network.
fn laad(c: &mut DbConn, code: &NetwerkCode) -> ApiResult<Geladen> {
    let netwerk = repo::netwerk(c, code.as_str())?.ok_or_else(|| network_not_found(code.as_str()))?;
    let gemeenten = repo::netwerk_gemeenten(c, code.as_str())?;
    let beheer = beheer_repo::laad(c, code)?;
    Ok(Geladen { netwerk, gemeenten, beheer })
}

impl Document for Geladen {
    const RESOURCE: &'static str = "regionaalNetwerk";

    fn key(&self) -> String {
        self.netwerk.code.clone()
    }

    fn version(&self) -> i64 {
        self.beheer.versie()
    }
}

/// What a network records about itself: one document per network, changed but never added or
/// deleted.
impl NetwerkDocument for Geladen {
    type Id = ();
    type Input = NetwerkBeheerInput;

    fn load(c: &mut DbConn, netwerk: &Leesrecht, _: ()) -> ApiResult<Geladen> {
        laad(c, netwerk.netwerk())
    }

    fn input(&self) -> NetwerkBeheerInput {
        input_van(&self.beheer)
    }

    fn update(
        c: &mut DbConn,
        netwerk: &Beheerrecht,
        _: &Geladen,
        versie: i64,
        input: NetwerkBeheerInput,
        actor: &Actor,
    ) -> ApiResult<bool> {
        let w = waarden(c, input)?;
        Ok(beheer_repo::bewaar(c, netwerk, versie, &w, &actor.sub, actor.at)?)
    }

    fn respond(self, status: StatusCode, links: &Links, _: NaiveDate) -> HttpResponse {
        respond(status, document(links, self, true))
    }

    fn details(_: &NetwerkCode, _: &NetwerkBeheerInput) -> Option<serde_json::Value> {
        None
    }
}

fn document(links: &Links, geladen: Geladen, met_beheer: bool) -> RegionaalNetwerk {
    let Geladen { netwerk: n, gemeenten, beheer: b } = geladen;
    let versie = b.versie();
    let rij = b.rij.as_ref();
    let eigen_trekker = rij.filter(|r| r.trekker_organisatie_id.is_some() || r.trekker_naam.is_some()).map(|r| {
        let org_naam = b.trekker_organisatie_naam.clone().unwrap_or_default();
        Trekker {
            naam: r.trekker_naam.clone().unwrap_or_else(|| org_naam.clone()),
            organisatie: r.trekker_organisatie_id.map(|id| OrganisatieRef::new(links, id, &org_naam)),
            mandaat: r.trekker_mandaat.clone(),
            zekerheid: None,
            bron: None,
        }
    });
    let trekker = eigen_trekker.or_else(|| {
        n.trekker.clone().map(|naam| Trekker {
            naam,
            organisatie: None,
            mandaat: None,
            zekerheid: n.trekker_zekerheid.clone(),
            bron: n.trekker_bron.clone(),
        })
    });
    let self_link = netwerk_href(links, &n.code);
    let beheer = met_beheer.then(|| {
        let input = input_van(&b);
        NetwerkBeheer {
            medewerkers: input.medewerkers,
            subsidie: input.subsidie,
            overlegnormen: input.overlegnormen.unwrap_or_default(),
            partners: b
                .partners
                .iter()
                .map(|p| Partner {
                    organisatie: OrganisatieRef::new(links, p.organisatie_id, &p.naam),
                    rol: p.rol.clone(),
                })
                .collect(),
            overleggen: format!("{self_link}/overleggen"),
            acties: format!("{self_link}/acties"),
            opvolging: format!("{self_link}/opvolging"),
            monitoring: links.href(&format!("/v1/monitoring?regionaalNetwerk={}", n.code)),
            gewijzigd_op: rij.map(|r| utc(r.gewijzigd_op)),
            gewijzigd_door: rij.map(|r| r.gewijzigd_door.clone()),
        }
    });
    RegionaalNetwerk {
        self_link,
        soort: NetwerkSoort::from_db(&n.soort),
        nis_code: n.nis_code,
        trekker,
        opmerking: n.opmerking,
        aantal_gemeenten: gemeenten.len() as i64,
        gemeenten: gemeenten.into_iter().map(|(nis_code, naam)| GemeenteRef::new(links, &nis_code, &naam)).collect(),
        beheer,
        versie,
        code: n.code,
        naam: n.naam,
    }
}

fn respond(status: StatusCode, doc: RegionaalNetwerk) -> HttpResponse {
    document::respond(status, &doc.self_link.clone(), doc.versie, doc)
}

/// Get a regional network
///
/// With its member municipalities and its leader (trekker). For admins, trajectbegeleiders,
/// municipalities and network coordinators also what the network records (`beheer`): staff,
/// subsidy, partners, and links to its meetings, action plan, compliance view and monitoring.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "getRegionaalNetwerk",
    params(("code" = String, Path, description = "Network code", example = "REFREG03")),
    security((), ("bearerAuth" = [])),
    responses((status = 200, description = "The network", body = RegionaalNetwerk,
        headers(("ETag" = String, description = "Version, for If-Match"))))
)]
#[get("/regionaleNetwerken/{code}")]
pub async fn get_netwerk(ctx: PublicCtx, path: web::Path<String>) -> ApiResult<HttpResponse> {
    let PublicCtx { state, links, caller, .. } = ctx;
    let met_beheer = caller.as_ref().is_some_and(|c| NetwerkToegang::van(c).mag_inzien());
    let code = known_network(&state, &path)?;
    let geladen = state.db.run(move |c| laad(c, &code)).await?;
    Ok(respond(StatusCode::OK, document(&links, geladen, met_beheer)))
}

/// Checks an input against the database and turns it into what is stored.
fn waarden(c: &mut DbConn, input: NetwerkBeheerInput) -> ApiResult<BeheerWaarden> {
    let mut issues = Vec::new();
    let mut ids: Vec<i64> = input.partners.iter().map(|p| p.organisatie).collect();
    issues.extend(onbekende_organisaties(c, &ids, |i| format!("partners[{i}].organisatie"))?);
    ids.sort_unstable();
    if let Some(dubbel) = ids.windows(2).find(|w| w[0] == w[1]) {
        issues.push(InputIssue::invalid(
            InputLocation::Body,
            "partners",
            format!("organisation {} is listed twice", dubbel[0]),
        ));
    }
    let trekker = input.trekker.map(|t| TrekkerInput { naam: tekst(t.naam), mandaat: tekst(t.mandaat), ..t });
    if let Some(t) = &trekker {
        if t.organisatie.is_none() && t.naam.is_none() {
            issues.push(InputIssue::invalid(
                InputLocation::Body,
                "trekker",
                "trekker needs an organisatie, a naam, or both",
            ));
        }
        if let Some(org) = t.organisatie {
            issues.extend(onbekende_organisaties(c, &[org], |_| "trekker.organisatie".into())?);
        }
    }
    if input.subsidie.as_ref().is_some_and(|s| !s.periode_klopt()) {
        issues.push(InputIssue::invalid(InputLocation::Body, "subsidie.tot", "subsidie.tot lies before subsidie.van"));
    }
    if let Some(n) = &input.overlegnormen {
        for (soort, norm) in [("stuurgroep", n.stuurgroep), ("klankbordgroep", n.klankbordgroep)] {
            if !norm.klopt() {
                issues.push(
                    InputIssue::invalid(
                        InputLocation::Body,
                        format!("overlegnormen.{soort}.maximum"),
                        format!("overlegnormen.{soort}.maximum lies below its minimum"),
                    )
                    .with_value(norm.maximum),
                );
            }
        }
    }
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let trekker = trekker.unwrap_or(TrekkerInput { organisatie: None, naam: None, mandaat: None });
    Ok(BeheerWaarden {
        trekker_organisatie_id: trekker.organisatie,
        trekker_naam: trekker.naam,
        trekker_mandaat: trekker.mandaat,
        subsidie: input.subsidie.map(|s| Subsidie { financier: s.financier.trim().to_string(), ..s }),
        medewerkers: input
            .medewerkers
            .into_iter()
            .map(|m| Medewerker { naam: m.naam.trim().to_string(), ..m })
            .collect(),
        partners: input.partners.into_iter().map(|p| (p.organisatie, tekst(p.rol))).collect(),
        overlegnormen: input.overlegnormen,
    })
}

/// Replace what a network records
///
/// Leader and mandate, staff, subsidy, partners and meeting norms (R23), replaced whole: an
/// absent field is removed (absent `overlegnormen`: the defaults), an absent list emptied. A
/// norm's maximum may not lie below its minimum (400). For an admin and the network's own netwerkcoordinator
/// (claim `regio`); others get 403, an unknown network 404. Organisations must exist and be
/// listed once, the subsidy period must not end before it starts (400). Honours `If-Match`
/// (412 when stale; 409 when a concurrent write got in first); audited.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "replaceRegionaalNetwerk",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"), IfMatch),
    request_body(content = NetwerkBeheerInput, description = "What the network records", example = json!({
        "trekker": {"naam": "Welzijnszorg Kempen", "mandaat": "Coördinatie vierde pijler voor de 27 aangesloten besturen"},
        "medewerkers": [
            {"rol": "netwerkcoach", "naam": "Evelien Van Eynde", "email": "wzk.beleid@iok.be"},
            {"rol": "regiocoordinator", "naam": "Birgit Oris", "email": "wzk.beleid@iok.be"}
        ],
        "subsidie": {"bedragCent": 32085000, "van": "2023-01-01", "tot": "2024-12-31", "financier": "Europa WSE"},
        "partners": [{"organisatie": 12, "rol": "stuurgroep"}]
    })),
    responses((status = 200, description = "Updated", body = RegionaalNetwerk, headers(("ETag" = String))))
)]
#[put("/regionaleNetwerken/{code}")]
pub async fn replace_netwerk(
    ctx: Ctx,
    path: web::Path<String>,
    if_match: IfMatch,
    body: JsonBody<NetwerkBeheerInput>,
) -> ApiResult<HttpResponse> {
    let input = body.0;
    documenten::replace::<Geladen>(ctx, &path, (), if_match, move |_| Ok(input)).await
}

/// Update what a network records partially
///
/// A JSON Merge Patch (RFC 7396) over the fields of the PUT body: `trekker` and `subsidie` are
/// merged field by field, lists are replaced whole and `null` removes a field. The result is
/// checked like a PUT body. Same rights, checks, `If-Match` and audit as PUT.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "patchRegionaalNetwerk",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"), IfMatch),
    request_body(content = NetwerkBeheerPatch, content_type = "application/merge-patch+json",
        description = "The fields to change", example = json!({"subsidie": {"bedragCent": 32085000, "van": "2023-01-01", "tot": "2024-12-31", "financier": "Europa WSE"}})),
    responses((status = 200, description = "Updated", body = RegionaalNetwerk, headers(("ETag" = String))))
)]
#[patch("/regionaleNetwerken/{code}")]
pub async fn patch_netwerk(
    ctx: Ctx,
    path: web::Path<String>,
    if_match: IfMatch,
    patch: MergePatch,
) -> ApiResult<HttpResponse> {
    documenten::replace::<Geladen>(ctx, &path, (), if_match, move |huidig| patch.apply(huidig)).await
}

// --- compliance view -------------------------------------------------------------------------

/// The year asked for (default: that of `vandaag`), checked: from 2023 (the PNT's start) to
/// next year.
pub fn jaar(gevraagd: Option<i32>, vandaag: NaiveDate) -> ApiResult<i32> {
    let huidig = vandaag.year();
    let jaar = gevraagd.unwrap_or(huidig);
    if !(2023..=huidig + 1).contains(&jaar) {
        return Err(ApiError::bad_request(vec![
            InputIssue::invalid(InputLocation::Query, "jaar", format!("jaar must lie between 2023 and {}", huidig + 1))
                .with_value(jaar),
        ]));
    }
    Ok(jaar)
}

/// First and last day of `jaar`.
pub fn jaargrenzen(jaar: i32) -> (NaiveDate, NaiveDate) {
    (NaiveDate::from_ymd_opt(jaar, 1, 1).unwrap_or_default(), NaiveDate::from_ymd_opt(jaar, 12, 31).unwrap_or_default())
}

/// Get a network's compliance view
///
/// For the roles that read what networks record (admins, trajectbegeleiders, municipalities,
/// network coordinators); 404 for an unknown network, else 403 for other roles; 400 for a
/// `jaar` before 2023 or after next year. For a calendar year: meetings held per kind against
/// the network's own norms (`beheer.overlegnormen`; by default stuurgroep at least 4 a year,
/// klankbordgroep 1–2; werkgroepen without a norm), the action plan per status and the overdue
/// actions, and what is left of the subsidy period. Meetings and deadlines are judged on
/// `peildatum` (today, or 31 December of a past year); the subsidy on today. Only a past year
/// gets a final verdict (`definitief`: `voldaan` or `onderNorm`); the current year is judged
/// pro rata to the date (`verwachtTotNu`: `opSchema` or `achterstand`), so a network is not
/// behind in January. More meetings than planned is `bovenPlanning`: information, not a
/// failure.
#[utoipa::path(
    tag = "Regionale netwerken",
    operation_id = "getNetwerkOpvolging",
    params(("code" = String, Path, description = "Network code", example = "REFREG03"), JaarQuery),
    responses((status = 200, description = "The compliance view", body = Opvolging))
)]
#[get("/regionaleNetwerken/{code}/opvolging")]
pub async fn get_opvolging(ctx: Ctx, path: web::Path<String>, query: Query<JaarQuery>) -> ApiResult<HttpResponse> {
    let recht = leesrecht(&ctx, &path)?;
    let Ctx { state, links, .. } = ctx;
    let vandaag = state.clock.today();
    let jaar = jaar(query.0.jaar, vandaag)?;
    let (van, tot) = jaargrenzen(jaar);
    let peildatum = vandaag.min(tot);
    let base = netwerk_href(&links, recht.netwerk().as_str());
    let (overleggen, acties, beheer) = state
        .db
        .run(move |c| {
            let overleggen = overleggen_repo::data(c, &recht, van, tot)?;
            Ok((overleggen, acties_repo::alle(c, &recht)?, beheer_repo::laad(c, recht.netwerk())?))
        })
        .await?;
    let normen: Overlegnormen = beheer.rij.as_ref().and_then(|r| r.overlegnormen()).unwrap_or_default();
    let definitief = vandaag > tot;
    let overleggen = Overlegsoort::ALL
        .iter()
        .map(|&soort| {
            let van_soort = overleggen.iter().filter(|(s, _)| *s == soort);
            let gehouden = van_soort.clone().filter(|(_, d)| regels::gehouden(*d, peildatum)).count() as u32;
            let gepland = van_soort.count() as u32 - gehouden;
            let norm = normen.norm(soort);
            let oordeel = regels::beoordeel(norm, gehouden, (van, tot), peildatum, definitief);
            OverlegOpvolging {
                soort,
                gehouden,
                gepland,
                norm,
                verwacht_tot_nu: oordeel.verwacht_tot_nu,
                status: oordeel.status,
            }
        })
        .collect();
    let mut per_status = ActiesPerStatus::default();
    let mut achterstallig = Vec::new();
    for a in &acties {
        if a.deadline.is_none_or(|d| (van..=tot).contains(&d)) {
            *match a.status {
                ActieStatus::Gepland => &mut per_status.gepland,
                ActieStatus::Lopend => &mut per_status.lopend,
                ActieStatus::Afgerond => &mut per_status.afgerond,
                ActieStatus::Geschrapt => &mut per_status.geschrapt,
            } += 1;
        }
        if regels::achterstallig(a.status, a.deadline, peildatum)
            && let Some(deadline) = a.deadline
        {
            achterstallig.push(AchterstalligeActie {
                href: format!("{base}/acties/{}", a.id),
                id: a.id,
                titel: a.titel.clone(),
                status: a.status,
                deadline,
                dagen_te_laat: regels::dagen_te_laat(a.deadline, peildatum),
            });
        }
    }
    achterstallig.sort_by_key(|a| (a.deadline, a.id));
    let subsidie = beheer.rij.as_ref().and_then(|r| r.subsidie()).map(|s| {
        let stand = regels::subsidie_stand(s.van, s.tot, vandaag);
        SubsidieOpvolging {
            bedrag_cent: s.bedrag_cent,
            van: s.van,
            tot: s.tot,
            financier: s.financier,
            dagen_resterend: stand.dagen_resterend,
            percentage_verstreken: stand.percentage_verstreken,
            gestart: stand.gestart,
            afgelopen: stand.afgelopen,
        }
    });
    Ok(HttpResponse::Ok().json(Opvolging {
        self_link: format!("{base}/opvolging?jaar={jaar}"),
        netwerk: base,
        jaar,
        peildatum,
        definitief,
        overleggen,
        acties: ActiesOpvolging { per_status, achterstallig },
        subsidie,
    }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(list_netwerken)
        .service(get_netwerk)
        .service(replace_netwerk)
        .service(patch_netwerk)
        .service(get_opvolging);
}
