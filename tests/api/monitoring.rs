//! Monitoring: small counts suppressed, complementary suppression so no hidden figure can be
//! recomputed from the response, the CSV form, and who may see which scope.

use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::deelnamebewijzen::{link, maak, post};
use crate::doorverwijzingen::*;
use crate::helpers::*;
use crate::inburgering::*;
use crate::organisaties::{aanbieder, create_organisatie};

fn onderdrukt(v: &Value) -> bool {
    v == &json!({"onderdrukt": true})
}

fn rij<'a>(m: &'a Value, nis: &str) -> &'a Value {
    &m["gemeenten"].as_array().unwrap().iter().find(|g| g["gemeente"]["nisCode"] == nis).unwrap()["cijfers"]
}

/// The figures of a row as (name, value) in table order, with the sum relations' names.
fn vlak(c: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (k, v) in c.as_object().unwrap() {
        match v.get("totaal") {
            Some(t) => {
                out.push((k.clone(), t.clone()));
                let delen = v.get("perType").or_else(|| v.get("perStatus")).unwrap();
                for (d, w) in delen.as_object().unwrap() {
                    out.push((format!("{k}.{d}"), w.clone()));
                }
            }
            None => out.push((k.clone(), v.clone())),
        }
    }
    out
}

/// No visible figure under 5 (hours aside), and no sum relation with exactly one hidden figure:
/// rows (groups against their totals) and columns (municipalities against the network total).
fn controleer_bescherming(m: &Value) {
    let rijen: Vec<Vec<(String, Value)>> =
        m["gemeenten"].as_array().unwrap().iter().map(|g| vlak(&g["cijfers"])).collect();
    let totaal = vlak(&m["totaal"]);
    for r in rijen.iter().chain(std::iter::once(&totaal)) {
        for (naam, w) in r {
            if naam != "goedgekeurdeUren" && !onderdrukt(w) {
                assert!(w.as_i64().unwrap() >= 5, "{naam} = {w} is visible");
            }
        }
        for groep in ["aanbodGepubliceerd", "doorverwijzingen"] {
            let verborgen = r.iter().filter(|(n, w)| n.starts_with(groep) && onderdrukt(w)).count();
            assert_ne!(verborgen, 1, "{groep}: one hidden figure in a row could be recomputed");
        }
    }
    for (k, (naam, t)) in totaal.iter().enumerate() {
        let verborgen = rijen.iter().filter(|r| onderdrukt(&r[k].1)).count() + usize::from(onderdrukt(t));
        assert_ne!(verborgen, 1, "column {naam}: one hidden figure could be recomputed");
    }
}

/// Kempen: 6 published praattafels in Geel and 2 buddy projects in Mol (and one in Herentals
/// whose period ended in 2020, outside every count); 6 newcomers of Geel and 5 of Mol with a
/// running contract with the PNT.
async fn kempen(app: &TestApp) {
    let org = create_organisatie(app, "Vrijwilligerspunt Kempen", GEEL).await;
    for i in 0..6 {
        publiceer(app, aanbod_body(org, GEEL, &format!("Praattafel {i}"), json!({"aanbodtype": "praattafel"}))).await;
    }
    for i in 0..2 {
        publiceer(app, aanbod_body(org, MOL, &format!("Buddy {i}"), json!({}))).await;
    }
    let voorbij = json!({"periode": {"van": "2020-01-01", "tot": "2020-12-31"}});
    publiceer(app, aanbod_body(org, HERENTALS, "Taalcafé 2020", voorbij)).await;
    let t = tb(app, "tb-1");
    for n in 1..=6 {
        contract_van(app, &t, n).await;
    }
    for n in 7..=11 {
        let p = registreer(app, &t, n, json!({"gemeente": MOL})).await;
        teken(app, &t, contract(id(&p), -10, 355, json!({"opgenomen": true}))).await;
    }
}

#[actix_web::test]
async fn small_counts_are_suppressed_and_cannot_be_recomputed() {
    let app = TestApp::spawn().await;
    kempen(&app).await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&nc).send().await.expect(200);
    assert_eq!(m["regionaalNetwerk"]["code"], "REFREG03");
    assert_eq!(m["drempel"], 5);
    assert_eq!(m["gemeenten"].as_array().unwrap().len(), 27, "every municipality of Kempen");
    let (geel, mol, totaal) = (rij(&m, GEEL), rij(&m, MOL), &m["totaal"]);

    // Primary: Mol's 2 offers are under 5.
    assert!(onderdrukt(&mol["aanbodGepubliceerd"]["totaal"]));
    // Complementary: Geel's 6 would give Mol's 2 away from the network's 8.
    assert!(onderdrukt(&geel["aanbodGepubliceerd"]["totaal"]), "{geel}");
    assert_eq!(totaal["aanbodGepubliceerd"]["totaal"], 8);
    assert_eq!(totaal["aanbodMetVrijePlaatsen"], 8, "no capacity limit: always a place");
    // …and the network's 6 praattafels would give the 2 buddy projects away from the 8.
    assert!(onderdrukt(&totaal["aanbodGepubliceerd"]["perType"]["praattafel"]), "{totaal}");
    assert!(onderdrukt(&totaal["aanbodGepubliceerd"]["perType"]["buddyproject"]));

    // Contracts: Geel 6 shows; Mol's 5 is hidden with the zeros of the other municipalities,
    // so the network's 11 minus Geel's 6 only says "5 over 26 municipalities".
    assert_eq!(geel["lopendeContractenMetPnt"], 6);
    assert!(onderdrukt(&mol["lopendeContractenMetPnt"]), "{mol}");
    assert_eq!(totaal["lopendeContractenMetPnt"], 11);
    // Hours rest on the contracts that contribute to them (issue 14): Geel's 6 running
    // contracts have no approved hours yet, so no contract contributes and nothing is shown.
    assert!(onderdrukt(&geel["goedgekeurdeUren"]), "{geel}");
    // Nothing at risk (signed 10 days ago): zero is suppressed like any count under 5.
    assert!(onderdrukt(&geel["contractenMetRisico"]));
    assert!(onderdrukt(&totaal["attesten"]));
    controleer_bescherming(&m);

    // One municipality: its row of the same table, without the total.
    let g = app.get(&format!("/v1/monitoring?gemeente={GEEL}")).bearer(&nc).send().await.expect(200);
    assert_eq!(g["gemeenten"].as_array().unwrap().len(), 1);
    assert_eq!(&g["gemeenten"][0]["cijfers"], geel);
    assert!(g.get("totaal").is_none());
    assert_eq!(g["regionaalNetwerk"]["code"], "REFREG03");
}

#[actix_web::test]
async fn referrals_and_starts_are_counted_by_the_newcomers_municipality() {
    let app = TestApp::spawn().await;
    let org = create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    let t = tb(&app, "tb-1");
    // Capacity 5 and 7 referrals: 5 voorgesteld, 2 wachtlijst; 5 of them started.
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Buddy", json!({"capaciteit": 5}))).await;
    let mut ids = Vec::new();
    for n in 1..=7 {
        let c = contract_van(&app, &t, n).await;
        ids.push(id(&verwijs(&app, &t, c, aanbod).await.expect(201)));
    }
    for d in &ids[..5] {
        zet_status(&app, &t, *d, json!({"status": "gestart"})).await.expect(200);
    }
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&admin(&app)).send().await.expect(200);
    let geel = rij(&m, GEEL);
    assert_eq!(
        geel["gestartMetPntActiviteit"],
        json!({"onderdrukt": true}),
        "5 in Geel, 0 elsewhere: the column needs a second hidden cell"
    );
    assert_eq!(m["totaal"]["gestartMetPntActiviteit"], 5);
    assert_eq!(m["totaal"]["doorverwijzingen"]["totaal"], 7);
    assert!(onderdrukt(&m["totaal"]["doorverwijzingen"]["perStatus"]["wachtlijst"]));
    // The offer is full: no free places anywhere, so that column is all suppressed zeros…
    assert!(onderdrukt(&m["totaal"]["aanbodMetVrijePlaatsen"]));
    controleer_bescherming(&m);
    // …the CSV says the same.
    let res = app
        .get("/v1/monitoring?regionaalNetwerk=REFREG03")
        .bearer(&admin(&app))
        .header("Accept", "text/csv")
        .send()
        .await;
    let csv = res.text();
    let totaalrij = csv.lines().last().unwrap();
    assert!(totaalrij.starts_with(",Totaal Kempen,"), "{totaalrij}");
}

#[actix_web::test]
async fn the_same_table_as_csv() {
    let app = TestApp::spawn().await;
    kempen(&app).await;
    let res = app
        .get("/v1/monitoring?regionaalNetwerk=REFREG03")
        .bearer(&admin(&app))
        .header("Accept", "text/csv")
        .send()
        .await;
    assert_eq!(res.status.as_u16(), 200, "{}", res.text());
    assert_eq!(res.header("content-type").as_deref(), Some("text/csv; charset=utf-8"));
    assert!(res.header("content-disposition").unwrap().contains("monitoring-REFREG03-"));
    let tekst = res.text();
    let mut regels = csv::Reader::from_reader(tekst.as_bytes());
    let kop: Vec<String> = regels.headers().unwrap().iter().map(str::to_string).collect();
    assert_eq!(&kop[..4], ["nisCode", "gemeente", "aanbodGepubliceerd", "aanbodGepubliceerd.buddyproject"]);
    assert!(kop.contains(&"doorverwijzingen.wachtlijst".to_string()));
    assert_eq!(kop.len(), 2 + 19);
    let rijen: Vec<Vec<String>> = regels.records().map(|r| r.unwrap().iter().map(str::to_string).collect()).collect();
    assert_eq!(rijen.len(), 28, "27 municipalities and the total");
    let kolom = |naam: &str| kop.iter().position(|k| k == naam).unwrap();
    let geel = rijen.iter().find(|r| r[0] == GEEL).unwrap();
    assert_eq!(geel[1], "Geel");
    assert_eq!(geel[kolom("aanbodGepubliceerd")], "<5", "hidden cells read <5, whatever the reason");
    assert_eq!(geel[kolom("lopendeContractenMetPnt")], "6");
    let mol = rijen.iter().find(|r| r[0] == MOL).unwrap();
    assert_eq!(mol[kolom("aanbodGepubliceerd")], "<5");
    let totaal = rijen.last().unwrap();
    assert_eq!((totaal[0].as_str(), totaal[1].as_str()), ("", "Totaal Kempen"));
    assert_eq!(totaal[kolom("aanbodGepubliceerd")], "8");
    assert_eq!(totaal[kolom("lopendeContractenMetPnt")], "11");
    // Every cell of the CSV equals the JSON's.
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&admin(&app)).send().await.expect(200);
    for (naam, w) in vlak(rij(&m, GEEL)) {
        let verwacht = if onderdrukt(&w) { "<5".to_string() } else { w.to_string() };
        assert_eq!(geel[kolom(&naam)], verwacht, "{naam}");
    }
    // A municipality alone, as CSV: its row only.
    let res = app
        .get(&format!("/v1/monitoring?gemeente={GEEL}"))
        .bearer(&lokaal_bestuur(&app, &[GEEL]))
        .header("Accept", "text/csv")
        .send()
        .await;
    assert_eq!(res.text().lines().count(), 2);
}

#[actix_web::test]
async fn who_may_monitor_what() {
    let app = TestApp::spawn().await;
    let org = create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    let kempen = "/v1/monitoring?regionaalNetwerk=REFREG03";
    let geel = format!("/v1/monitoring?gemeente={GEEL}");
    let mol = format!("/v1/monitoring?gemeente={MOL}");
    let gent = "/v1/monitoring?gemeente=44021";
    let midwest = "/v1/monitoring?regionaalNetwerk=REFREG10";

    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let lb = lokaal_bestuur(&app, &[GEEL]);
    let ok: Vec<(String, &str)> = vec![
        (nc.clone(), kempen),
        (nc.clone(), &geel),
        (lb.clone(), &geel),
        (tb(&app, "tb-1"), midwest),
        (tb(&app, "tb-1"), gent),
        (admin(&app), kempen),
    ];
    for (token, pad) in &ok {
        app.get(pad).bearer(token).send().await.expect(200);
    }
    let verboden: Vec<(String, &str)> = vec![
        (nc.clone(), midwest),
        (nc.clone(), gent),
        (lb.clone(), &mol),
        (lb.clone(), kempen),
        (aanbieder(&app, "o", org), &geel),
        (burger(&app, 1), &geel),
        (app.token(Role::FeedClient, "feed"), &geel),
        (netwerkcoordinator(&app, "nc-midwest", "REFREG10"), kempen),
    ];
    for (token, pad) in &verboden {
        app.get(pad).bearer(token).send().await.problem(403, "missingPermission");
    }
    app.get(kempen).send().await.problem(401, "noAccessToken");

    // The scope is one of the two, and the year is checked.
    let p = app.get("/v1/monitoring").bearer(&admin(&app)).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["regionaalNetwerk", "gemeente"]);
    app.get(&format!("{kempen}&gemeente={GEEL}")).bearer(&admin(&app)).send().await.problem(400, "badRequest");
    let p = app
        .get("/v1/monitoring?regionaalNetwerk=REFREG99")
        .bearer(&admin(&app))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["regionaalNetwerk"]);
    let p = app.get(&format!("{kempen}&jaar=2019")).bearer(&admin(&app)).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["jaar"]);
    let p = app.get(&format!("{kempen}&netwerk=x")).bearer(&admin(&app)).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["netwerk"]);
}

#[actix_web::test]
async fn hours_on_a_proof_count_as_a_start() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    // Six newcomers of Geel with hours on a proof and no referral at all.
    for n in 1..=6 {
        let contract = contract_van(&app, &t, n).await;
        let proof = json!({
            "contract": contract, "activiteit": "Buddy bij de buren", "aanbodtype": "buddyproject",
            "organisatieNaam": "Buurtwerk", "contactpersoon": {"naam": "Jan"},
            "prestaties": [{"datum": dag(-2), "uren": 2}]
        });
        app.post("/v1/deelnamebewijzen").bearer(&t).json(&proof).send().await.expect(201);
    }
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(m["totaal"]["gestartMetPntActiviteit"], 6, "counted from the proofs, without referrals");
    assert!(onderdrukt(&m["totaal"]["doorverwijzingen"]["totaal"]));
    controleer_bescherming(&m);
}

/// Approves `uren` hours of buddy project for contract `contract`: the trajectbegeleider starts
/// the proof, the contact person signs through the link, the trajectbegeleider approves.
async fn keur_uren_goed(app: &TestApp, t: &str, contract: i64, uren: f64) {
    let body = json!({
        "contract": contract, "organisatieNaam": "Buurtwerk", "aanbodtype": "buddyproject",
        "activiteit": "Buddy bij de buren", "contactpersoon": {"naam": "Jan", "email": "jan@buurtwerk.be"},
        "prestaties": [{"datum": dag(-2), "uren": uren}]
    });
    let b = maak(app, t, &body).await;
    let l = link(app, t, &b).await;
    app.post(&path_of(&l["self"])).json(&json!({"beslissing": "ondertekenen", "naam": "Jan"})).send().await.expect(200);
    let b = post(app, t, &b, "beoordeling", json!({"beslissing": "goedgekeurd"})).await.expect(200);
    assert_eq!(b["status"], "goedgekeurd");
}

/// Issue 14, R15: 12 hours of one contract among many running ones are one person's hours;
/// they show only once at least 5 contracts contribute.
#[actix_web::test]
async fn hours_are_shown_only_when_five_contracts_contribute() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let mut contracten = Vec::new();
    for n in 1..=8 {
        contracten.push(contract_van(&app, &t, n).await);
    }
    keur_uren_goed(&app, &t, contracten[0], 12.0).await;
    let a = admin(&app);
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&a).send().await.expect(200);
    let geel = rij(&m, GEEL);
    assert_eq!(m["totaal"]["lopendeContractenMetPnt"], 8, "8 running contracts…");
    assert!(onderdrukt(&geel["goedgekeurdeUren"]), "…but one contributor: {geel}");
    assert!(onderdrukt(&m["totaal"]["goedgekeurdeUren"]), "the network total rests on the same one contract");
    controleer_bescherming(&m);

    // Four contributors are still too few; the fifth makes the figure visible.
    for (i, c) in contracten[1..4].iter().enumerate() {
        keur_uren_goed(&app, &t, *c, 1.0 + i as f64).await;
    }
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&a).send().await.expect(200);
    assert!(onderdrukt(&rij(&m, GEEL)["goedgekeurdeUren"]), "4 contributors");
    assert!(onderdrukt(&m["totaal"]["goedgekeurdeUren"]), "4 contributors");
    keur_uren_goed(&app, &t, contracten[4], 0.5).await;
    let m = app.get("/v1/monitoring?regionaalNetwerk=REFREG03").bearer(&a).send().await.expect(200);
    assert_eq!(m["totaal"]["goedgekeurdeUren"], 18.5, "12 + 1 + 2 + 3 + 0.5 from 5 contracts");
    // Complementary: the other 26 municipalities' hours rest on no contract, so Geel's row
    // would reveal them ("0") from the total; Geel's figure is hidden instead.
    assert!(onderdrukt(&rij(&m, GEEL)["goedgekeurdeUren"]));
    controleer_bescherming(&m);
}
