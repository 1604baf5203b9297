//! A newcomer's own data (issue 17, R27, R28): who consulted the file, the full export, the
//! retention job (dry run, exactly the people past the limit, aggregates unchanged, idempotent,
//! once across two instances) and an erasure on request.

use chrono::{Days, Months, Utc};
use diesel::prelude::*;
use pnt_api::app::retentie;
use pnt_api::db::schema::{inburgeraars, inburgeringscontracten};
use serde_json::{Value, json};

use crate::deelnamebewijzen::{bewijs, etag, lijnen, maak, opzet, pad, post};
use crate::doorverwijzingen::{aanbod_body, publiceer, verwijs};
use crate::helpers::*;
use crate::inburgering::*;

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

async fn raadplegingen(app: &TestApp, token: &str, persoon: i64, query: &str) -> Res {
    app.get(&format!("/v1/inburgeraars/{persoon}/raadplegingen?pageSize=200{query}")).bearer(token).send().await
}

fn items(page: &Value) -> Vec<Value> {
    page["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn a_newcomer_sees_who_consulted_their_file_but_no_staff_sub() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let (p2, _) = persoon_met_contract(&app, &t, 2, "verplicht", true, -30, 300).await;
    let persoon = id(&p);

    // The trajectbegeleider reads the record and the follow-up; the municipality its art. 20 §7 list.
    app.get(&format!("/v1/inburgeraars/{persoon}")).bearer(&t).send().await.expect(200);
    app.get(&format!("{}/opvolging", path_of(&c["self"]))).bearer(&t).send().await.expect(200);
    let lb = lokaal_bestuur(&app, &[GEEL]);
    app.get(&format!("/v1/gemeenten/{GEEL}/inburgeraars")).bearer(&lb).send().await.expect(200);

    let zelf = burger(&app, 1);
    let res = raadplegingen(&app, &zelf, persoon, "").await;
    let page = res.expect(200);
    let lijst = items(&page);
    assert!(!res.text().contains("tb-1") && !res.text().contains("lb-1"), "no staff sub: {}", res.text());
    assert!(lijst.iter().all(|r| r.get("actor").is_none()));
    let ids: Vec<i64> = lijst.iter().map(id).collect();
    assert!(ids.windows(2).all(|w| w[0] > w[1]), "newest first: {ids:?}");
    let gemeente = lijst.iter().find(|r| r["instantie"] == "gemeente").expect("the municipal list shows");
    assert_eq!(gemeente["gemeenten"], json!([GEEL]));
    assert_eq!(gemeente["grondslag"], "decreet art. 20 §7");
    assert_eq!(gemeente["actie"], "list");
    assert_eq!(gemeente["rollen"], json!(["lokaalBestuur"]));
    let opvolging = lijst.iter().find(|r| r["onderdeel"] == "opvolging").expect("the follow-up read shows");
    assert_eq!(opvolging["instantie"], "agentschap");
    assert_eq!(opvolging["rollen"], json!(["trajectbegeleider"]));
    assert_eq!(opvolging["resourceType"], "inburgeringscontract");
    assert_eq!(opvolging["resourceId"], c["id"].to_string());
    assert!(
        lijst
            .iter()
            .any(|r| r["actie"] == "read" && r["resourceType"] == "inburgeraar" && r.get("onderdeel").is_none()),
        "the record read shows"
    );
    assert!(lijst.iter().any(|r| r["actie"] == "create" && r["resourceType"] == "inburgeringscontract"));
    // Another person's entries never show.
    let ander = p2["id"].to_string();
    assert!(lijst.iter().all(|r| r["resourceId"] != ander || r["resourceType"] != "inburgeraar"));

    // The read itself is logged and shows next time.
    let opnieuw = items(&raadplegingen(&app, &zelf, persoon, "").await.expect(200));
    assert_eq!(opnieuw[0]["onderdeel"], "raadplegingen");
    assert_eq!(opnieuw[0]["instantie"], "inburgeraar");

    // Admins see the sub; the trajectbegeleider sees the list without it.
    let a = items(&raadplegingen(&app, &admin(&app), persoon, "").await.expect(200));
    assert!(a.iter().any(|r| r["actor"] == "tb-1") && a.iter().any(|r| r["actor"] == "lb-1"));
    let res = raadplegingen(&app, &t, persoon, "").await;
    res.expect(200);
    assert!(!res.text().contains("\"actor\""));

    // Someone else's file is 404; roles that see no newcomers 403.
    raadplegingen(&app, &burger(&app, 2), persoon, "").await.problem(404, "resourceNotFound");
    raadplegingen(&app, &tb(&app, "tb-2"), persoon, "").await.problem(404, "resourceNotFound");
    raadplegingen(&app, &lb, persoon, "").await.problem(403, "missingPermission");
    raadplegingen(&app, &zelf, 999_999, "").await.problem(404, "resourceNotFound");

    // The period filter; bad input is named.
    let morgen = (Utc::now() + chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let gisteren = (Utc::now() - chrono::Duration::days(1)).format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let leeg = raadplegingen(&app, &zelf, persoon, &format!("&van={morgen}")).await.expect(200);
    assert_eq!(leeg["total"], 0);
    let alles = raadplegingen(&app, &zelf, persoon, &format!("&van={gisteren}&tot={morgen}")).await.expect(200);
    assert!(alles["total"].as_i64().unwrap() >= lijst.len() as i64);
    let p =
        raadplegingen(&app, &zelf, persoon, &format!("&van={morgen}&tot={gisteren}")).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["tot"]);
    let p = raadplegingen(&app, &zelf, persoon, "&van=gisteren").await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["van"]);
    let p = raadplegingen(&app, &zelf, persoon, "&actor=tb-1").await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["actor"]);
}

#[actix_web::test]
async fn an_aanbieder_shows_as_its_organisation() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -30, 300).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    app.get(&pad(&b)).bearer(&o.aanbieder).send().await.expect(200);
    let lijst = items(&raadplegingen(&app, &o.burger, id(&o.persoon), "").await.expect(200));
    let org = lijst.iter().find(|r| r["instantie"] == "organisatie").expect("the aanbieder's read shows");
    assert_eq!(org["organisatie"]["id"], o.org);
    assert_eq!(org["organisatie"]["naam"], "Buurtwerk De Brug 1 vzw");
    assert_eq!(org["resourceType"], "deelnamebewijs");
    assert!(org.get("actor").is_none());
}

#[actix_web::test]
async fn the_export_holds_every_kind_of_record() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -30, 300).await;
    let c = &o.contract;
    let a = admin(&app);
    // A proof, signed; a referral; a follow-up entry; a change.
    let b =
        maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0), (-2, 1.5)])))
            .await;
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    app.post(&format!("{}/ondertekening", pad(&b)))
        .bearer(&o.aanbieder)
        .header("If-Match", &etag(&b))
        .json(&json!({ "naam": "An Peeters" }))
        .send()
        .await
        .expect(200);
    let aanbod = publiceer(&app, aanbod_body(o.org, GEEL, "Samen Geel", json!({}))).await;
    verwijs(&app, &o.tb, id(c), aanbod).await.expect(201);
    let entry = json!({ "soort": "opvolgingsgesprek", "datum": dag(-1), "kanaal": "fysiek", "notitie": "Besproken" });
    app.post(&format!("{}/opvolging", path_of(&c["self"]))).bearer(&o.tb).json(&entry).send().await.expect(201);
    wijzig(&app, &o.tb, c, json!({ "soort": "stopgezet", "reden": "Verhuisd naar Wallonië" })).await.expect(201);

    let persoon = id(&o.persoon);
    let pad_export = format!("/v1/inburgeraars/{persoon}/export");
    let e = app.get(&pad_export).bearer(&o.burger).send().await.expect(200);
    assert_eq!(e["inburgeraar"]["id"], persoon);
    assert_eq!(e["inburgeraar"]["voornaam"], "Amina");
    assert_eq!(e["contracten"].as_array().unwrap().len(), 1);
    let ce = &e["contracten"][0];
    assert_eq!(ce["contract"]["id"], c["id"]);
    assert_eq!(ce["contract"]["status"], "stopgezet");
    assert_eq!(ce["wijzigingen"][0]["soort"], "stopgezet");
    assert_eq!(ce["opvolging"][0]["notitie"], "Besproken");
    let bewijzen = e["deelnamebewijzen"].as_array().unwrap();
    assert_eq!(bewijzen.len(), 1);
    assert_eq!(bewijzen[0]["prestaties"].as_array().unwrap().len(), 2);
    assert_eq!(bewijzen[0]["ondertekening"]["door"], "An Peeters");
    assert_eq!(e["doorverwijzingen"].as_array().unwrap().len(), 1);
    assert_eq!(e["doorverwijzingen"][0]["aanbod"]["id"], aanbod);
    let r = e["raadplegingen"].as_array().unwrap();
    assert_eq!(r[0]["onderdeel"], "export", "the export is logged and listed");
    assert!(r.iter().all(|x| x.get("actor").is_none()));
    assert!(r.iter().any(|x| x["resourceType"] == "deelnamebewijs"));
    assert!(r.iter().any(|x| x["resourceType"] == "doorverwijzing"));

    let e = app.get(&pad_export).bearer(&a).send().await.expect(200);
    assert!(e["raadplegingen"].as_array().unwrap().iter().any(|x| x["actor"] == "tb-1"), "admins see the sub");

    // The trajectbegeleider sees the record but does not export it; others do not see it.
    app.get(&pad_export).bearer(&o.tb).send().await.problem(403, "missingPermission");
    app.get(&pad_export).bearer(&burger(&app, 2)).send().await.problem(404, "resourceNotFound");
    app.get(&pad_export).bearer(&o.aanbieder).send().await.problem(403, "missingPermission");
    app.get("/v1/inburgeraars/999999/export").bearer(&a).send().await.problem(404, "resourceNotFound");
    app.get("/v1/inburgeraars/abc/export").bearer(&a).send().await.problem(400, "badRequest");
}

/// Moves the day contract `c` stopped to `jaren` years and `dagen` days ago.
async fn stopgezet_voor(app: &TestApp, c: i64, maanden: u32, dagen: u64) {
    let d = vandaag().checked_sub_months(Months::new(maanden)).unwrap().checked_sub_days(Days::new(dagen)).unwrap();
    app.db(move |conn| {
        diesel::update(inburgeringscontracten::table.find(c))
            .set(inburgeringscontracten::stopgezet_op.eq(Some(d)))
            .execute(conn)
            .map_err(pnt_api::error::ApiError::internal)
    })
    .await;
}

/// Moves newcomer `p`'s last change back.
async fn gewijzigd_voor(app: &TestApp, p: i64, maanden: u32) {
    let t = Utc::now().naive_utc().checked_sub_months(Months::new(maanden)).unwrap() - chrono::Duration::days(1);
    app.db(move |conn| {
        diesel::update(inburgeraars::table.find(p))
            .set(inburgeraars::gewijzigd_op.eq(t))
            .execute(conn)
            .map_err(pnt_api::error::ApiError::internal)
    })
    .await;
}

fn ids(v: &retentie::Verslag) -> Vec<i64> {
    let mut ids: Vec<i64> = v.uitgewist.iter().map(|k| k.id).collect();
    ids.sort_unstable();
    ids
}

async fn monitoring(app: &TestApp) -> Value {
    let jaar = vandaag().format("%Y");
    app.get(&format!("/v1/monitoring?gemeente={GEEL}&jaar={jaar}")).bearer(&admin(app)).send().await.expect(200)
}

/// Five newcomers: A stopped 5 years and a day ago, B runs, C has no contract and last changed
/// over 5 years ago, D stopped 4 years ago, E has no contract and changed today.
async fn vijf(app: &TestApp) -> [i64; 5] {
    let t = tb(app, "tb-1");
    let stop = json!({ "soort": "stopgezet", "reden": "Verhuisd" });
    let (pa, ca) = persoon_met_contract(app, &t, 1, "verplicht", true, -30, 300).await;
    wijzig(app, &t, &ca, stop.clone()).await.expect(201);
    stopgezet_voor(app, id(&ca), 60, 1).await;
    let (pb, _) = persoon_met_contract(app, &t, 2, "verplicht", true, -30, 300).await;
    let pc = registreer(app, &t, 3, json!({})).await;
    gewijzigd_voor(app, id(&pc), 60).await;
    let (pd, cd) = persoon_met_contract(app, &t, 4, "verplicht", true, -30, 300).await;
    wijzig(app, &t, &cd, stop).await.expect(201);
    stopgezet_voor(app, id(&cd), 48, 0).await;
    let pe = registreer(app, &t, 5, json!({})).await;
    [id(&pa), id(&pb), id(&pc), id(&pd), id(&pe)]
}

#[actix_web::test]
async fn retention_erases_exactly_the_people_past_the_limit() {
    let app = TestApp::spawn().await;
    let [a, b, c, d, e] = vijf(&app).await;
    // A's proof names a contact person; a referral a companion.
    let o = opzet(&app, 6, -30, 300).await;
    let bw =
        maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
            .await;
    wijzig(&app, &o.tb, &o.contract, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    stopgezet_voor(&app, id(&o.contract), 72, 0).await;
    let f = id(&o.persoon);
    let nu = Utc::now();
    app.state.clock.pin(nu);
    let voor = monitoring(&app).await;
    let adm = admin(&app);

    // The dry run lists, and changes nothing.
    let droog = retentie::voer_uit(&app.state, true).await.unwrap();
    assert_eq!(ids(&droog), [a, c, f]);
    let pa = app.get(&format!("/v1/inburgeraars/{a}")).bearer(&adm).send().await.expect(200);
    assert_eq!(pa["voornaam"], "Amina");

    let v = retentie::voer_uit(&app.state, false).await.unwrap();
    assert!(v.uitgevoerd);
    assert_eq!(ids(&v), [a, c, f], "exactly the people past the limit");
    for p in [a, c, f] {
        let d = app.get(&format!("/v1/inburgeraars/{p}")).bearer(&adm).send().await.expect(200);
        assert_eq!(d["voornaam"], format!("PSEUDONIEM-{p:06}"));
        assert_eq!(d["achternaam"], format!("PSEUDONIEM-{p:06}"));
        assert_eq!(d["dossiernummer"], format!("UITGEWIST-{p}"));
        assert_eq!(d["geboortedatum"], "1994-01-01");
        for veld in ["rijksregisternummer", "contact", "gebruikerId"] {
            assert!(d.get(veld).is_none(), "{veld} erased: {d}");
        }
        assert_eq!(d["gemeente"], GEEL, "aggregates keep the municipality");
    }
    for p in [b, d, e] {
        let d = app.get(&format!("/v1/inburgeraars/{p}")).bearer(&adm).send().await.expect(200);
        assert_eq!(d["voornaam"], "Amina");
        assert!(d["rijksregisternummer"].is_string());
    }
    // The proof's contact person and the contract's reason are gone; hours and statuses stay.
    let bw2 = app.get(&pad(&bw)).bearer(&adm).send().await.expect(200);
    assert_eq!(bw2["contactpersoon"]["naam"], "[uitgewist]");
    assert!(bw2["contactpersoon"].get("email").is_none());
    assert_eq!(bw2["totaalUren"], 2.0);
    assert_eq!(bw2["inburgeraar"]["voornaam"], format!("PSEUDONIEM-{f:06}"));
    let w = app.get(&format!("{}/wijzigingen", pad(&o.contract))).bearer(&adm).send().await.expect(200);
    assert_eq!(w["items"][0]["reden"], "[uitgewist]");
    assert_eq!(monitoring(&app).await, voor, "monitoring totals unchanged");
    // The audit log keeps its entries and says who erased, why.
    let log = items(&raadplegingen(&app, &adm, a, "").await.expect(200));
    let wis = log.iter().find(|r| r["actie"] == "uitgewist").expect("the erasure is logged");
    assert_eq!((wis["instantie"].clone(), wis["actor"].clone()), (json!("systeem"), json!("retentie")));
    assert!(log.iter().any(|r| r["actie"] == "create"), "earlier entries kept");

    // Idempotent: a second run erases nobody.
    let v = retentie::voer_uit(&app.state, false).await.unwrap();
    assert!(v.uitgevoerd && v.uitgewist.is_empty());
    let n = audit(&app, "actie=uitgewist").await.len();
    assert_eq!(n, 3, "one entry per person");

    // Two years on, D's closed contract is past the limit too; the running contract never.
    app.state.clock.pin(nu.checked_add_months(Months::new(24)).unwrap());
    assert_eq!(ids(&retentie::voer_uit(&app.state, true).await.unwrap()), [d], "not {b} (running) nor {e} (recent)");
    let v = retentie::voer_uit(&app.state, false).await.unwrap();
    assert_eq!(ids(&v), [d]);
}

#[actix_web::test]
async fn two_instances_run_the_job_once() {
    let app = TestApp::spawn().await;
    let [a, _, c, _, _] = vijf(&app).await;
    let settings = (*app.state.settings).clone();
    let tweede = actix_web::web::block(move || pnt_api::startup::build_state(settings)).await.unwrap().unwrap();
    let nu = Utc::now();
    app.state.clock.pin(nu);
    tweede.clock.pin(nu);
    let (v1, v2) =
        futures_util::future::join(retentie::voer_uit(&app.state, false), retentie::voer_uit(&tweede, false)).await;
    let (v1, v2) = (v1.unwrap(), v2.unwrap());
    let mut alle = [ids(&v1), ids(&v2)].concat();
    alle.sort_unstable();
    assert_eq!(alle, [a, c], "each person erased by exactly one instance: {v1:?} {v2:?}");
    assert_eq!(audit(&app, "actie=uitgewist").await.len(), 2);
}

#[actix_web::test]
async fn an_admin_erases_on_request_unless_a_contract_runs() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let adm = admin(&app);
    let (p, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let persoon = id(&p);
    let pad_w = format!("/v1/inburgeraars/{persoon}/uitwissing");
    let reden = json!({ "reden": "Verzoek van betrokkene per brief" });

    app.post(&pad_w).bearer(&t).json(&reden).send().await.problem(403, "missingPermission");
    app.post(&pad_w).bearer(&burger(&app, 1)).json(&reden).send().await.problem(403, "missingPermission");
    for (body, veld) in
        [(json!({}), "reden"), (json!({ "reden": "  " }), "reden"), (json!({ "reden": "x", "y": 1 }), "y")]
    {
        let p = app.post(&pad_w).bearer(&adm).json(&body).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), [veld], "{body}");
    }
    app.post("/v1/inburgeraars/999999/uitwissing")
        .bearer(&adm)
        .json(&reden)
        .send()
        .await
        .problem(404, "resourceNotFound");
    let p = app.post(&pad_w).bearer(&adm).json(&reden).send().await.problem(409, "conflict");
    assert!(p["detail"].as_str().unwrap().contains("running contract"), "{p}");

    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    app.post(&pad_w).bearer(&adm).json(&reden).send().await.expect(204);
    let d = app.get(&format!("/v1/inburgeraars/{persoon}")).bearer(&adm).send().await.expect(200);
    assert_eq!(d["voornaam"], format!("PSEUDONIEM-{persoon:06}"));
    assert!(d.get("rijksregisternummer").is_none());
    app.post(&pad_w).bearer(&adm).json(&reden).send().await.problem(409, "conflict");
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={persoon}&actie=uitgewist")).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["actor"], "admin-1");
    assert_eq!(log[0]["details"], json!({ "grond": "verzoek" }));
    // The job does not erase them again.
    assert!(retentie::voer_uit(&app.state, true).await.unwrap().uitgewist.iter().all(|k| k.id != persoon));
}

/// `pnt-api retentie [--dry-run]` against the test's database.
fn cli(app: &TestApp, args: &[&str], dir: &std::path::Path) -> std::process::Output {
    let url = match &app.state.settings.database_url {
        pnt_api::config::DatabaseUrl::Sqlite(path) => format!("sqlite://{}", path.display()),
        pnt_api::config::DatabaseUrl::Postgres(url) => url.clone(),
    };
    std::process::Command::new(env!("CARGO_BIN_EXE_pnt-api"))
        .args(args)
        .current_dir(dir)
        .env("DATABASE_URL", url)
        .env("PNT_DATA_DIR", dir.join("data"))
        .env_remove("PNT_JWT_PUBLIC_KEY")
        .env_remove("PNT_JWT_JWKS_URL")
        .env_remove("PNT_OIDC_ISSUER")
        .env_remove("PNT_RETENTION_YEARS")
        .output()
        .unwrap()
}

#[actix_web::test]
async fn the_cli_lists_then_erases() {
    let app = TestApp::spawn().await;
    let [a, _, c, _, _] = vijf(&app).await;
    let dir = tempfile::tempdir().unwrap();
    let regels = |out: &std::process::Output| -> Vec<i64> {
        assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        stdout.lines().map(|l| l.split('\t').next().unwrap().parse().unwrap()).collect()
    };
    let droog = cli(&app, &["retentie", "--dry-run"], dir.path());
    assert_eq!(regels(&droog), [a, c]);
    assert!(String::from_utf8_lossy(&droog.stdout).contains("last contract closed on"));
    assert!(String::from_utf8_lossy(&droog.stderr).contains("dry run"));
    let pa = app.get(&format!("/v1/inburgeraars/{a}")).bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(pa["voornaam"], "Amina", "a dry run changes nothing");
    assert_eq!(regels(&cli(&app, &["retentie"], dir.path())), [a, c]);
    assert!(regels(&cli(&app, &["retentie", "--dry-run"], dir.path())).is_empty());
    let pa = app.get(&format!("/v1/inburgeraars/{a}")).bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(pa["voornaam"], format!("PSEUDONIEM-{a:06}"));
}
