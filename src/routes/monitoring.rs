//! `GET /v1/monitoring`: how the fourth pillar is doing per municipality, without any person
//! (R15). Counts under 5 are suppressed, with complementary suppression (see
//! `domain::monitoring`); JSON or, with `Accept: text/csv`, the same table as CSV.
//!
//! The suppression pattern is always computed on the whole network (every municipality and
//! the network total) and a single municipality's figures are its row of that table, so asking
//! for a municipality and for its network gives the same protected numbers.

use std::collections::HashMap;

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get};
use chrono::NaiveDate;
use utoipa_actix_web::service_config::ServiceConfig;

use crate::auth::Caller;
use crate::domain::aanbod::Aanbodtype;
use crate::domain::doorverwijzing::{self as dv, DoorverwijzingStatus};
use crate::domain::ids::NetwerkCode;
use crate::domain::monitoring::{self as regels, Beveiligd, Cel, DREMPEL, Kolom, Looptijd};
use crate::domain::toegang::netwerken::NetwerkToegang;
use crate::domain::voortgang::{self, PntTermijn, Risico};
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};
use crate::http::context::Ctx;
use crate::http::extract::Query;
use crate::http::links::Links;
use crate::repo::{monitoring as repo, voortgang as uren_repo};
use crate::routes::gemeenten::netwerk_ref;
use crate::routes::regionale_netwerken::{jaar, jaargrenzen};
use crate::state::AppState;
use crate::wire::common::GemeenteRef;

/// The network a monitoring table is about.
pub use crate::wire::gemeenten::NetwerkRef;
use crate::wire::monitoring::{
    AanbodCijfers, AanbodPerType, Cijfers, DoorverwijzingCijfers, DoorverwijzingenPerStatus, GemeenteCijfers,
    Monitoring, MonitoringQuery, Onderdrukt, Waarde,
};

/// The scope of a request: the network, and the one municipality if asked for.
struct Scope {
    netwerk: NetwerkCode,
    gemeente: Option<String>,
}

/// The scope asked for (400 unless exactly one of a known network and a known municipality),
/// if the caller may see it (the policy's 403).
fn scope(state: &AppState, caller: &Caller, q: &MonitoringQuery) -> ApiResult<Scope> {
    let code = |n: &str| NetwerkCode::parse(n).ok().filter(|c| state.refdata.netwerken.contains_key(c.as_str()));
    let scope = match (&q.regionaal_netwerk, &q.gemeente) {
        (Some(n), None) => {
            let Some(netwerk) = code(n).filter(|c| c.as_str() == n) else {
                return Err(ApiError::bad_request(vec![
                    InputIssue::referenced_not_found(
                        InputLocation::Query,
                        "regionaalNetwerk",
                        format!("No regional network with code {n}"),
                    )
                    .with_value(n),
                ]));
            };
            Scope { netwerk, gemeente: None }
        }
        (None, Some(g)) => {
            let info = state.refdata.gemeente(g).ok_or_else(|| {
                ApiError::bad_request(vec![
                    InputIssue::referenced_not_found(
                        InputLocation::Query,
                        "gemeente",
                        format!("No municipality with NIS code {g}"),
                    )
                    .with_value(g),
                ])
            })?;
            let netwerk = code(&info.netwerk).ok_or_else(|| ApiError::internal("a municipality without a network"))?;
            Scope { netwerk, gemeente: Some(g.clone()) }
        }
        _ => {
            let detail = "give either regionaalNetwerk or gemeente";
            return Err(ApiError::bad_request(vec![
                InputIssue::invalid(InputLocation::Query, "regionaalNetwerk", detail),
                InputIssue::invalid(InputLocation::Query, "gemeente", detail),
            ]));
        }
    };
    NetwerkToegang::van(caller).monitoren(&scope.netwerk, scope.gemeente.as_deref())?;
    Ok(scope)
}

/// Counts per municipality and column, from the raw material.
struct Telling {
    kolommen: Vec<Kolom>,
    cellen: HashMap<(String, usize), Cel>,
}

impl Telling {
    fn new() -> Telling {
        Telling { kolommen: Kolom::alle(), cellen: HashMap::new() }
    }

    fn pos(&self, k: Kolom) -> usize {
        self.kolommen.iter().position(|x| *x == k).unwrap_or(0)
    }

    fn tel(&mut self, gemeente: &str, k: Kolom, aantal: i64) {
        let p = self.pos(k);
        let c = self.cellen.entry((gemeente.to_string(), p)).or_insert(Cel::aantal(0));
        *c = Cel::aantal(c.basis + aantal);
    }

    fn zet(&mut self, gemeente: &str, k: Kolom, cel: Cel) {
        let p = self.pos(k);
        self.cellen.insert((gemeente.to_string(), p), cel);
    }

    fn rij(&self, gemeente: &str) -> Vec<Cel> {
        (0..self.kolommen.len())
            .map(|p| self.cellen.get(&(gemeente.to_string(), p)).copied().unwrap_or(Cel::aantal(0)))
            .collect()
    }
}

/// Counts the figures of `gemeenten` for the year `van`–`tot` with `peildatum`.
fn tel(
    c: &mut crate::db::DbConn,
    gemeenten: &[String],
    van: NaiveDate,
    tot: NaiveDate,
    peildatum: NaiveDate,
) -> ApiResult<Telling> {
    let mut t = Telling::new();
    // Offers: by type, and with a free place today.
    let aanbod = repo::aanbod(c, gemeenten, van, tot)?;
    for (g, soort, capaciteit, bezet) in &aanbod {
        t.tel(g, Kolom::AanbodGepubliceerd, 1);
        t.tel(g, Kolom::AanbodPerType(*soort), 1);
        if dv::vrije_plaatsen(*capaciteit, bezet.unwrap_or(0)).is_none_or(|v| v > 0) {
            t.tel(g, Kolom::AanbodMetVrijePlaatsen, 1);
        }
    }
    // Referrals of residents made in the year.
    for (g, s) in repo::doorverwijzingen(c, gemeenten, van, tot)? {
        t.tel(&g, Kolom::Doorverwijzingen, 1);
        t.tel(&g, Kolom::DoorverwijzingenPerStatus(s), 1);
    }
    // Residents who started an activity.
    for (g, _) in repo::gestart(c, gemeenten, van, tot)? {
        t.tel(&g, Kolom::GestartMetPntActiviteit, 1);
    }
    // Contracts: running with the PNT, their hours and risk; attests.
    let contracten = repo::contracten(c, gemeenten, tot)?;
    let ids: Vec<i64> = contracten.iter().map(|(_, r)| r.id).collect();
    let uren = uren_repo::uren(c, &ids)?;
    let mut uren_per: HashMap<String, (f64, i64)> = HashMap::new();
    for (g, r) in &contracten {
        let status = r.status;
        let looptijd = Looptijd {
            ondertekend_op: r.ondertekend_op,
            lopend: status.is_lopend(),
            einde: r.attest_uitgereikt_op.or(r.stopgezet_op),
        };
        if r.attest_uitgereikt_op.is_some_and(|d| (van..=tot).contains(&d)) {
            t.tel(g, Kolom::Attesten, 1);
        }
        if !r.pnt_opgenomen || !looptijd.liep_tussen(van, tot) {
            continue;
        }
        t.tel(g, Kolom::LopendeContractenMetPnt, 1);
        let u = uren.get(&r.id).copied().unwrap_or_default();
        // R15, issue 14: an amount rests on the contracts that contribute to it, not on the
        // running ones — 12 hours of one contract among 28 running ones is one person's hours.
        let e = uren_per.entry(g.clone()).or_insert((0.0, 0));
        if u.goedgekeurd > 0.0 {
            e.0 += u.goedgekeurd;
            e.1 += 1;
        }
        if looptijd.liep_op(peildatum) {
            let v = voortgang::bereken(
                PntTermijn {
                    opgenomen: true,
                    vereiste_uren: u32::try_from(r.pnt_vereiste_uren).unwrap_or(0),
                    ondertekend_op: r.ondertekend_op,
                    termijn_einde: r.termijn_einde,
                    status,
                },
                u,
                peildatum,
            );
            if matches!(v.risico, Risico::Achterstand | Risico::TermijnVerstreken) {
                t.tel(g, Kolom::ContractenMetRisico, 1);
            }
        }
    }
    for (g, (som, n)) in uren_per {
        t.zet(&g, Kolom::GoedgekeurdeUren, Cel::bedrag((som * 10.0).round() / 10.0, n));
    }
    Ok(t)
}

fn waarde(kolom: Kolom, cel: Cel, weg: bool) -> Waarde {
    if weg {
        Waarde::Onderdrukt(Onderdrukt { onderdrukt: true })
    } else if kolom == Kolom::GoedgekeurdeUren {
        Waarde::Getal(serde_json::Number::from_f64(cel.waarde).unwrap_or_else(|| 0.into()))
    } else {
        Waarde::Getal(cel.basis.into())
    }
}

fn cijfers(kolommen: &[Kolom], rij: &[Cel], weg: &[bool]) -> Cijfers {
    let get = |k: Kolom| {
        let p = kolommen.iter().position(|x| *x == k).unwrap_or(0);
        waarde(k, rij[p], weg[p])
    };
    let t = |a| get(Kolom::AanbodPerType(a));
    let s = |x| get(Kolom::DoorverwijzingenPerStatus(x));
    Cijfers {
        aanbod_gepubliceerd: AanbodCijfers {
            totaal: get(Kolom::AanbodGepubliceerd),
            per_type: AanbodPerType {
                buddyproject: t(Aanbodtype::Buddyproject),
                kennismakingsstage: t(Aanbodtype::Kennismakingsstage),
                vrijwilligerswerk: t(Aanbodtype::Vrijwilligerswerk),
                praattafel: t(Aanbodtype::Praattafel),
                vrijetijd: t(Aanbodtype::Vrijetijd),
                andere: t(Aanbodtype::Andere),
            },
        },
        aanbod_met_vrije_plaatsen: get(Kolom::AanbodMetVrijePlaatsen),
        doorverwijzingen: DoorverwijzingCijfers {
            totaal: get(Kolom::Doorverwijzingen),
            per_status: DoorverwijzingenPerStatus {
                voorgesteld: s(DoorverwijzingStatus::Voorgesteld),
                wachtlijst: s(DoorverwijzingStatus::Wachtlijst),
                gestart: s(DoorverwijzingStatus::Gestart),
                afgerond: s(DoorverwijzingStatus::Afgerond),
                afgebroken: s(DoorverwijzingStatus::Afgebroken),
            },
        },
        lopende_contracten_met_pnt: get(Kolom::LopendeContractenMetPnt),
        gestart_met_pnt_activiteit: get(Kolom::GestartMetPntActiviteit),
        goedgekeurde_uren: get(Kolom::GoedgekeurdeUren),
        contracten_met_risico: get(Kolom::ContractenMetRisico),
        attesten: get(Kolom::Attesten),
    }
}

/// The table in CSV: a header, a row per municipality, the total; `<5` for suppressed cells.
fn csv(kolommen: &[Kolom], rijen: &[(String, String, &[Cel], &[bool])]) -> ApiResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut kop = vec!["nisCode".to_string(), "gemeente".to_string()];
    kop.extend(kolommen.iter().map(|k| k.naam()));
    w.write_record(&kop).map_err(ApiError::internal)?;
    for (nis, naam, cellen, weg) in rijen {
        let mut r = vec![nis.clone(), naam.clone()];
        r.extend(kolommen.iter().zip(cellen.iter().zip(weg.iter())).map(|(k, (c, weg))| match waarde(*k, *c, *weg) {
            Waarde::Onderdrukt(_) => format!("<{DREMPEL}"),
            Waarde::Getal(n) if *k == Kolom::GoedgekeurdeUren => format!("{:.1}", n.as_f64().unwrap_or_default()),
            Waarde::Getal(n) => n.to_string(),
        }));
        w.write_record(&r).map_err(ApiError::internal)?;
    }
    let bytes = w.into_inner().map_err(ApiError::internal)?;
    String::from_utf8(bytes).map_err(ApiError::internal)
}

fn wil_csv(req: &HttpRequest) -> bool {
    req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|a| {
        a.split(',').any(|m| m.split(';').next().unwrap_or("").trim().eq_ignore_ascii_case("text/csv"))
    })
}

fn self_link(links: &Links, q: &MonitoringQuery, jaar: i32) -> String {
    let mut s = form_urlencoded::Serializer::new(String::new());
    if let Some(n) = &q.regionaal_netwerk {
        s.append_pair("regionaalNetwerk", n);
    }
    if let Some(g) = &q.gemeente {
        s.append_pair("gemeente", g);
    }
    s.append_pair("jaar", &jaar.to_string());
    links.href(&format!("/v1/monitoring?{}", s.finish()))
}

/// Monitor the fourth pillar
///
/// Figures per municipality for a calendar year, for a whole network (`regionaalNetwerk`, with
/// the network total) or one municipality (`gemeente`): published offers by type, offers with
/// free places, referrals by status, running contracts with the PNT, newcomers who started a
/// PNT activity, approved hours, contracts at risk, attests. No person is ever shown.
///
/// **Suppression.** Every figure resting on fewer than 5 units — a count under 5 (0 included),
/// or hours of fewer than 5 contracts — is reported as `{"onderdrukt": true}` (`<5` in CSV),
/// never as its number. **Complementary suppression** then hides further figures until no
/// suppressed one can be recovered from the others in the same response: every relation
/// `total = Σ parts` (offers by type → all offers, referrals by status → all referrals, and
/// every column over the municipalities → the network total) holds either no suppressed figure
/// or at least two whose sum itself rests on at least 5 units, and the whole system of these
/// relations is checked so that no combination of visible figures determines a suppressed one.
/// The pattern is computed on the whole network, so a municipality's row is the same whether
/// it is asked for alone or with its network.
///
/// **Who.** A netwerkcoordinator for its own network (claim `regio`) and its municipalities; a
/// lokaalBestuur for its own municipalities (`gemeente=` one of its claim `gemeenten`);
/// trajectbegeleiders and admins for everything.
///
/// `Accept: text/csv` returns the same table as CSV: `nisCode`, `gemeente`, then one column per
/// figure (`aanbodGepubliceerd.buddyproject`, `doorverwijzingen.wachtlijst`, …), a row per
/// municipality and, for a network, a last row `Totaal`.
#[utoipa::path(
    tag = "Monitoring",
    operation_id = "getMonitoring",
    params(MonitoringQuery),
    responses((status = 200, description = "The protected table", content(
        (Monitoring = "application/json"),
        (String = "text/csv", example = "nisCode,gemeente,aanbodGepubliceerd,…\n13008,Geel,12,…\n,Totaal Kempen,57,…\n")
    )))
)]
#[get("/monitoring")]
pub async fn get_monitoring(req: HttpRequest, ctx: Ctx, query: Query<MonitoringQuery>) -> ApiResult<HttpResponse> {
    let Ctx { state, links, caller, .. } = ctx;
    let q = query.0;
    let scope = scope(&state, &caller, &q)?;
    let vandaag = state.clock.today();
    let jaar = jaar(q.jaar, vandaag)?;
    let (van, tot) = jaargrenzen(jaar);
    let peildatum = vandaag.min(tot);
    let netwerk = scope.netwerk.as_str();
    let mut gemeenten = state.refdata.gemeenten_van(&[netwerk.to_string()]);
    gemeenten.sort_by_key(|g| state.refdata.gemeente(g).map(|i| i.naam.clone()).unwrap_or_default());
    let g2 = gemeenten.clone();
    let telling = state.db.run(move |c| tel(c, &g2, van, tot, peildatum)).await?;
    let rijen: Vec<Vec<Cel>> = gemeenten.iter().map(|g| telling.rij(g)).collect();
    let kolommen = telling.kolommen.clone();
    let Beveiligd { rijen: weg, totaal, totaal_onderdrukt } = regels::beveilig(&Kolom::opbouw(&kolommen), &rijen);
    let netwerk_naam = state.refdata.netwerken.get(netwerk).cloned().unwrap_or_default();
    let getoond: Vec<usize> =
        (0..gemeenten.len()).filter(|i| scope.gemeente.as_ref().is_none_or(|g| *g == gemeenten[*i])).collect();
    let met_totaal = scope.gemeente.is_none();

    if wil_csv(&req) {
        let mut tabel: Vec<(String, String, &[Cel], &[bool])> = getoond
            .iter()
            .map(|&i| {
                let naam = state.refdata.gemeente(&gemeenten[i]).map(|g| g.naam.clone()).unwrap_or_default();
                (gemeenten[i].clone(), naam, rijen[i].as_slice(), weg[i].as_slice())
            })
            .collect();
        if met_totaal {
            tabel.push((String::new(), format!("Totaal {netwerk_naam}"), &totaal, &totaal_onderdrukt));
        }
        let body = csv(&kolommen, &tabel)?;
        let bestand = format!("monitoring-{}-{jaar}.csv", scope.gemeente.as_deref().unwrap_or(netwerk));
        return Ok(HttpResponse::Ok()
            .content_type("text/csv; charset=utf-8")
            .insert_header((header::CONTENT_DISPOSITION, format!("inline; filename=\"{bestand}\"")))
            .body(body));
    }
    Ok(HttpResponse::Ok().json(Monitoring {
        self_link: self_link(&links, &q, jaar),
        jaar,
        peildatum,
        drempel: DREMPEL,
        regionaal_netwerk: netwerk_ref(&links, netwerk, &netwerk_naam),
        gemeenten: getoond
            .iter()
            .map(|&i| GemeenteCijfers {
                gemeente: GemeenteRef::cached(&links, &state.refdata, &gemeenten[i]),
                cijfers: cijfers(&kolommen, &rijen[i], &weg[i]),
            })
            .collect(),
        totaal: met_totaal.then(|| cijfers(&kolommen, &totaal, &totaal_onderdrukt)),
    }))
}

pub fn configure(cfg: &mut ServiceConfig) {
    cfg.service(get_monitoring);
}
