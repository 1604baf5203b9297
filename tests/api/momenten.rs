//! Issue 14: when an offer takes place (`momenten`, R30) — stored, read back, replaced, checked,
//! searched by `weekdag` and `dagdeel`, shown in search items and suggestions, pushed by feeds —
//! and the search's facets (`facetten`).

use crate::aanbod::aanbod;
use crate::helpers::*;
use pnt_api::auth::Role;
use serde_json::{Value, json};

fn wekelijks(dag: &str, van: &str, tot: &str) -> Value {
    json!({"weekdag": dag, "van": van, "tot": tot})
}

fn sessie(datum: &str, van: &str, tot: &str) -> Value {
    json!({"datum": datum, "van": van, "tot": tot})
}

fn met_momenten(gemeente: &str, titel: &str, momenten: Value) -> Value {
    let mut v = aanbod(None, gemeente, titel);
    v["momenten"] = momenten;
    v
}

/// Creates and publishes an offer as admin; returns its id.
async fn publiceer(app: &TestApp, body: Value) -> i64 {
    let admin = app.token(Role::Admin, "admin-1");
    let id = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.expect(201)["id"].as_i64().unwrap();
    for status in ["ingediend", "gepubliceerd"] {
        app.post(&format!("/v1/aanbod/{id}/status"))
            .bearer(&admin)
            .json(&json!({"status": status}))
            .send()
            .await
            .expect(200);
    }
    id
}

async fn total(app: &TestApp, query: &str) -> i64 {
    app.get(&format!("/v1/aanbod?{query}")).send().await.expect(200)["total"].as_i64().unwrap()
}

fn titels(page: &Value) -> Vec<String> {
    let mut t: Vec<String> =
        page["items"].as_array().unwrap().iter().map(|i| i["titel"].as_str().unwrap().to_string()).collect();
    t.sort();
    t
}

async fn gevonden(app: &TestApp, query: &str) -> Vec<String> {
    titels(&app.get(&format!("/v1/aanbod?{query}")).send().await.expect(200))
}

#[actix_web::test]
async fn an_offer_carries_its_schedule_and_put_and_patch_replace_it() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let mut body = met_momenten(
        "44021",
        "Taalcafé",
        json!([
            {"weekdag": "dinsdag", "van": "19:00", "tot": "21:00", "geldigVan": "2026-09-01", "geldigTot": "2027-01-31"},
            sessie("2026-10-10", "10:00", "12:30"),
            // An exact duplicate is dropped.
            sessie("2026-10-10", "10:00", "12:30"),
        ]),
    );
    body["periode"] = json!({"van": "2026-09-01", "tot": "2027-06-30"});
    let res = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await;
    let doc = res.expect(201);
    let id = doc["id"].as_i64().unwrap();
    let verwacht = json!([
        {"weekdag": "dinsdag", "van": "19:00", "tot": "21:00", "geldigVan": "2026-09-01", "geldigTot": "2027-01-31"},
        {"datum": "2026-10-10", "van": "10:00", "tot": "12:30"},
    ]);
    assert_eq!(doc["momenten"], verwacht);
    let res = app.get(&format!("/v1/aanbod/{id}")).bearer(&admin).send().await;
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(res.expect(200)["momenten"], verwacht);

    // PUT replaces the whole set: a new version and an event, like every change of the offer.
    body["momenten"] = json!([wekelijks("donderdag", "14:00", "16:00")]);
    let res = app.put(&format!("/v1/aanbod/{id}")).bearer(&admin).header("If-Match", "\"1\"").json(&body).send().await;
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(res.expect(200)["momenten"], json!([wekelijks("donderdag", "14:00", "16:00")]));
    let events = app.get("/v1/gebeurtenissen?type=aanbod.gewijzigd").bearer(&admin).send().await.expect(200);
    let versies: Vec<i64> = events["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["resourceId"] == id)
        .map(|e| e["versie"].as_i64().unwrap())
        .collect();
    assert_eq!(versies, [2], "{events}");

    // A merge patch replaces the array as a whole; `null` empties it.
    let patch = |body: Value, versie: &str| {
        app.patch(&format!("/v1/aanbod/{id}"))
            .bearer(&admin)
            .header("If-Match", versie)
            .body("application/merge-patch+json", body.to_string())
    };
    let doc = patch(json!({"momenten": [sessie("2026-11-03", "18:00", "20:00")]}), "\"2\"").send().await.expect(200);
    assert_eq!(doc["momenten"], json!([sessie("2026-11-03", "18:00", "20:00")]));
    let doc = patch(json!({"momenten": null}), "\"3\"").send().await.expect(200);
    assert_eq!(doc["momenten"], json!([]));
    assert_eq!(doc["versie"], 4);
    // The search rows went with it: nothing is found on the old days.
    app.post(&format!("/v1/aanbod/{id}/status"))
        .bearer(&admin)
        .json(&json!({"status": "ingediend"}))
        .send()
        .await
        .expect(200);
    app.post(&format!("/v1/aanbod/{id}/status"))
        .bearer(&admin)
        .json(&json!({"status": "gepubliceerd"}))
        .send()
        .await
        .expect(200);
    assert_eq!(total(&app, "").await, 1);
    for dag in ["dinsdag", "donderdag", "zaterdag"] {
        assert_eq!(total(&app, &format!("weekdag={dag}")).await, 0, "{dag}");
    }

    // Someone else's offer stays out of reach (404), and a role that may not write gets 403.
    let vreemd = app.token(Role::Aanbieder, "ander");
    body["momenten"] = json!([wekelijks("maandag", "10:00", "11:00")]);
    let concept = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.expect(201)["id"].as_i64().unwrap();
    app.put(&format!("/v1/aanbod/{concept}"))
        .bearer(&vreemd)
        .header("If-Match", "\"1\"")
        .json(&body)
        .send()
        .await
        .problem(404, "resourceNotFound");
    let tb = app.token(Role::Trajectbegeleider, "tb-1");
    app.post("/v1/aanbod").bearer(&tb).json(&body).send().await.problem(403, "missingPermission");
}

#[actix_web::test]
async fn a_faulty_schedule_is_400_naming_each_moment_field() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let mut body = met_momenten(
        "44021",
        "Fout",
        json!([
            wekelijks("dinsdag", "19:00", "21:00"),
            wekelijks("maandag", "9:00", "10:00"),
            wekelijks("woensdag", "14:00", "13:00"),
            {"weekdag": "vrijdag", "datum": "2026-10-10", "van": "10:00", "tot": "11:00"},
            {"van": "10:00", "tot": "11:00"},
            sessie("2028-01-01", "10:00", "11:00"),
            {"datum": "2026-10-10", "van": "10:00", "tot": "11:00", "geldigVan": "2026-10-01"},
            {"weekdag": "zaterdag", "van": "10:00", "tot": "11:00", "geldigVan": "2026-10-01", "geldigTot": "2026-09-01"},
            wekelijks("zondag", "10:00", "24:01"),
        ]),
    );
    body["periode"] = json!({"van": "2026-09-01", "tot": "2027-06-30"});
    let p = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(
        issue_names(&p),
        [
            "momenten[1].van",
            "momenten[2].tot",
            "momenten[3]",
            "momenten[4]",
            "momenten[5].datum",
            "momenten[6].geldigVan",
            "momenten[7].geldigTot",
            "momenten[8].tot",
        ],
        "{p}"
    );
    // Not a day of the week, an unknown field: the body's shape, named by its path.
    body["momenten"] = json!([wekelijks("dinsdag", "19:00", "21:00"), wekelijks("dinsdagavond", "19:00", "21:00")]);
    let p = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["momenten[1].weekdag"], "{p}");
    body["momenten"] = json!([{"weekdag": "dinsdag", "van": "19:00", "tot": "21:00", "wekelijks": true}]);
    let p = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["momenten[0].wekelijks"], "{p}");
    body["momenten"] = json!(vec![wekelijks("dinsdag", "19:00", "21:00"); 101]);
    let p = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["momenten"], "{p}");
    assert_eq!(total(&app, "status=concept").await, 0, "nothing was stored");
}

/// A: Tuesday evening; B: Tuesday morning and Monday evening; C: a dated session on Tuesday
/// 1 December 2026 around noon; D: Saturday 17:00–18:00; E: no schedule.
async fn weekrooster(app: &TestApp) {
    publiceer(app, met_momenten("44021", "A", json!([wekelijks("dinsdag", "19:00", "21:00")]))).await;
    publiceer(
        app,
        met_momenten(
            "44021",
            "B",
            json!([wekelijks("dinsdag", "10:00", "12:00"), wekelijks("maandag", "19:00", "21:00")]),
        ),
    )
    .await;
    publiceer(app, met_momenten("11002", "C", json!([sessie("2026-12-01", "11:00", "13:00")]))).await;
    publiceer(app, met_momenten("13008", "D", json!([wekelijks("zaterdag", "17:00", "18:00")]))).await;
    publiceer(app, aanbod(None, "44021", "E")).await;
}

#[actix_web::test]
async fn weekdag_and_dagdeel_find_what_fits_the_week() {
    let app = TestApp::spawn().await;
    weekrooster(&app).await;
    assert_eq!(total(&app, "").await, 5);
    assert_eq!(gevonden(&app, "weekdag=dinsdag").await, ["A", "B", "C"], "C is a dated session on a Tuesday");
    assert_eq!(gevonden(&app, "weekdag=dinsdag&dagdeel=avond").await, ["A"], "one moment must match both");
    assert_eq!(gevonden(&app, "weekdag=dinsdag&dagdeel=voormiddag").await, ["B", "C"]);
    assert_eq!(gevonden(&app, "dagdeel=avond").await, ["A", "B"]);
    // 11:00–13:00 overlaps the afternoon; 17:00–18:00 ends where the evening starts.
    assert_eq!(gevonden(&app, "dagdeel=namiddag").await, ["C", "D"]);
    assert_eq!(gevonden(&app, "dagdeel=voormiddag&dagdeel=avond").await, ["A", "B", "C"]);
    assert_eq!(gevonden(&app, "weekdag=maandag&weekdag=zaterdag").await, ["B", "D"]);
    assert_eq!(gevonden(&app, "weekdag=zaterdag&dagdeel=avond").await, Vec::<String>::new());
    assert_eq!(gevonden(&app, "weekdag=zondag").await, Vec::<String>::new());
    assert_eq!(gevonden(&app, "weekdag=dinsdag&gemeente=44021&q=samen").await, ["A", "B"], "composes with the rest");
    assert_eq!(gevonden(&app, "weekdag=dinsdag&q=samen").await, ["A", "B", "C"], "and with full text");

    // Search items carry the schedule.
    let page = app.get("/v1/aanbod?weekdag=zaterdag").send().await.expect(200);
    assert_eq!(page["items"][0]["momenten"], json!([wekelijks("zaterdag", "17:00", "18:00")]));
    let page = app.get("/v1/aanbod?gemeente=44021").send().await.expect(200);
    let e = page["items"].as_array().unwrap().iter().find(|i| i["titel"] == "E").unwrap();
    assert_eq!(e["momenten"], json!([]));

    for (query, name) in [("weekdag=dinsdagavond", "weekdag"), ("dagdeel=nacht", "dagdeel"), ("weekdag=", "weekdag")] {
        let p = app.get(&format!("/v1/aanbod?{query}")).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), [name], "{query}");
    }
}

fn facet(page: &Value, naam: &str) -> Vec<(String, i64)> {
    page["facetten"][naam]
        .as_array()
        .unwrap_or_else(|| panic!("no facet {naam}: {page}"))
        .iter()
        .map(|w| (w["waarde"].as_str().unwrap().to_string(), w["aantal"].as_i64().unwrap()))
        .collect()
}

fn paren(v: &[(&str, i64)]) -> Vec<(String, i64)> {
    v.iter().map(|(w, n)| (w.to_string(), *n)).collect()
}

#[actix_web::test]
async fn facets_count_under_the_other_filters_each_ignoring_its_own() {
    let app = TestApp::spawn().await;
    let mut een = met_momenten("44021", "Een", json!([wekelijks("dinsdag", "19:00", "21:00")]));
    een["ondersteuningstalen"] = json!(["en"]);
    publiceer(&app, een).await;
    let mut twee = met_momenten("44021", "Twee", json!([wekelijks("maandag", "09:00", "11:00")]));
    twee["ondersteuningstalen"] = json!(["ar"]);
    publiceer(&app, twee).await;
    let mut drie = met_momenten("11002", "Drie", json!([sessie("2026-12-01", "19:00", "21:00")]));
    drie["aanbodtype"] = json!("buddyproject");
    drie["ondersteuningstalen"] = json!(["en", "ar"]);
    publiceer(&app, drie).await;
    let mut vier = aanbod(None, "13008", "Vier");
    vier["aanbodtype"] = json!("vrijetijd");
    publiceer(&app, vier).await;
    // A draft counts for nobody who cannot see it.
    let admin = app.token(Role::Admin, "admin-1");
    let mut concept = met_momenten("44021", "Concept", json!([wekelijks("zondag", "10:00", "11:00")]));
    concept["ondersteuningstalen"] = json!(["uk"]);
    app.post("/v1/aanbod").bearer(&admin).json(&concept).send().await.expect(201);

    let alles =
        app.get("/v1/aanbod?facetten=aanbodtype,gemeente,regionaalNetwerk,taal,weekdag").send().await.expect(200);
    assert_eq!(alles["total"], 4);
    assert_eq!(facet(&alles, "aanbodtype"), paren(&[("praattafel", 2), ("buddyproject", 1), ("vrijetijd", 1)]));
    assert_eq!(facet(&alles, "gemeente"), paren(&[("44021", 2), ("11002", 1), ("13008", 1)]));
    assert_eq!(facet(&alles, "regionaalNetwerk"), paren(&[("GS-GENT", 2), ("GS-ANTWERPEN", 1), ("REFREG03", 1)]));
    assert_eq!(facet(&alles, "taal"), paren(&[("ar", 2), ("en", 2)]));
    assert_eq!(facet(&alles, "weekdag"), paren(&[("dinsdag", 2), ("maandag", 1)]));

    // Under a filter: the filtered facet still shows every type, the others only praattafels.
    let p = app.get("/v1/aanbod?aanbodtype=praattafel&facetten=aanbodtype&facetten=gemeente,taal").send().await;
    let p = p.expect(200);
    assert_eq!(p["total"], 2);
    assert_eq!(facet(&p, "aanbodtype"), facet(&alles, "aanbodtype"));
    assert_eq!(facet(&p, "gemeente"), paren(&[("44021", 2)]));
    assert_eq!(facet(&p, "taal"), paren(&[("ar", 1), ("en", 1)]));
    assert!(p["facetten"].get("weekdag").is_none(), "only the facets asked for");

    // `gemeente` ignores `gemeente` but not `regionaalNetwerk`, and the other way round.
    let p = app.get("/v1/aanbod?gemeente=44021&facetten=gemeente,regionaalNetwerk").send().await.expect(200);
    assert_eq!(facet(&p, "gemeente"), facet(&alles, "gemeente"));
    assert_eq!(facet(&p, "regionaalNetwerk"), paren(&[("GS-GENT", 2)]));
    let p = app.get("/v1/aanbod?regionaalNetwerk=GS-ANTWERPEN&facetten=gemeente,regionaalNetwerk").send().await;
    let p = p.expect(200);
    assert_eq!(facet(&p, "gemeente"), paren(&[("11002", 1)]));
    assert_eq!(facet(&p, "regionaalNetwerk"), facet(&alles, "regionaalNetwerk"));

    // `weekdag` ignores `weekdag` but counts only the moments in the requested part of the day.
    let p = app.get("/v1/aanbod?weekdag=dinsdag&dagdeel=avond&facetten=weekdag,aanbodtype,taal").send().await;
    let p = p.expect(200);
    assert_eq!(p["total"], 2);
    assert_eq!(facet(&p, "weekdag"), paren(&[("dinsdag", 2)]));
    assert_eq!(facet(&p, "aanbodtype"), paren(&[("buddyproject", 1), ("praattafel", 1)]));
    assert_eq!(facet(&p, "taal"), paren(&[("en", 2), ("ar", 1)]));

    // With full text, and with nothing matching.
    let p = app.get("/v1/aanbod?q=drie&facetten=aanbodtype").send().await.expect(200);
    assert_eq!(facet(&p, "aanbodtype"), paren(&[("buddyproject", 1)]));
    let p = app.get("/v1/aanbod?q=niemand&facetten=taal,weekdag").send().await.expect(200);
    assert_eq!(p["total"], 0);
    assert_eq!(facet(&p, "taal"), []);
    assert_eq!(facet(&p, "weekdag"), []);

    // Whoever may see drafts counts them when asking for them.
    let p = app.get("/v1/aanbod?status=concept&facetten=taal").bearer(&admin).send().await.expect(200);
    assert_eq!(facet(&p, "taal"), paren(&[("uk", 1)]));

    // Only when asked; an unknown facet is refused.
    assert!(app.get("/v1/aanbod").send().await.expect(200).get("facetten").is_none());
    for query in ["facetten=aanbodtype,prijs", "facetten=Gemeente", "facetten=thema"] {
        let p = app.get(&format!("/v1/aanbod?{query}")).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), ["facetten"], "{query}");
    }
}

#[actix_web::test]
async fn feeds_push_schedules() {
    let app = TestApp::spawn().await;
    let client = crate::feeds::register(&app, &["44021"]).await;
    let token = crate::feeds::access_token(&app, &client).await;
    let mut item = crate::feeds::item("uit-1", "Wandelclub", "44021");
    item["momenten"] = json!([wekelijks("woensdag", "14:00", "16:00"), sessie("2026-12-05", "10:00", "12:00")]);
    let plain = crate::feeds::item("uit-2", "Zonder rooster", "44021");
    let r = crate::feeds::push(&app, &token, &client.id, "volledig", vec![item.clone(), plain.clone()]).await;
    let r = r.expect(200);
    assert_eq!(r["aangemaakt"], 2, "{r}");
    assert_eq!(gevonden(&app, "weekdag=woensdag").await, ["Wandelclub"]);
    assert_eq!(gevonden(&app, "weekdag=zaterdag&dagdeel=voormiddag").await, ["Wandelclub"], "5 December 2026");
    let page = app.get("/v1/aanbod?weekdag=woensdag").send().await.expect(200);
    assert_eq!(page["items"][0]["momenten"], item["momenten"]);

    // A replay changes nothing; a new schedule is a change that replaces the old one.
    let r = crate::feeds::push(&app, &token, &client.id, "volledig", vec![item.clone(), plain.clone()]).await;
    assert_eq!(r.expect(200)["ongewijzigd"], 2);
    item["momenten"] = json!([wekelijks("vrijdag", "18:30", "20:00")]);
    let r = crate::feeds::push(&app, &token, &client.id, "delta", vec![item.clone()]).await;
    assert_eq!(r.expect(200)["bijgewerkt"], 1);
    assert_eq!(total(&app, "weekdag=woensdag").await, 0);
    assert_eq!(gevonden(&app, "weekdag=vrijdag&dagdeel=avond").await, ["Wandelclub"]);

    // A faulty moment rejects that item only, naming the field.
    item["momenten"] = json!([wekelijks("vrijdag", "20:00", "18:30")]);
    let r = crate::feeds::push(&app, &token, &client.id, "delta", vec![item.clone()]).await.expect(200);
    assert_eq!(r["afgewezen"], 1, "{r}");
    assert_eq!(issue_names(&r["fouten"][0]["problem"]), ["items[0].momenten[0].tot"], "{r}");
    assert_eq!(gevonden(&app, "weekdag=vrijdag").await, ["Wandelclub"], "the previous version stays");
}

#[actix_web::test]
async fn suggestions_show_when_an_offer_takes_place() {
    use crate::doorverwijzingen::{aanbod_body, contract_van, publiceer};
    use crate::inburgering::{GEEL, tb};
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = crate::organisaties::create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    let momenten = json!([wekelijks("dinsdag", "19:00", "21:00")]);
    let a = publiceer(&app, aanbod_body(org, GEEL, "Met rooster", json!({"momenten": momenten}))).await;
    let contract = contract_van(&app, &t, 1).await;
    let page = app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties")).bearer(&t).send().await;
    let page = page.expect(200);
    assert_eq!(page["items"][0]["id"], a, "{page}");
    assert_eq!(page["items"][0]["momenten"], momenten);
}
