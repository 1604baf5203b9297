//! Regional networks: who runs and who reads them, what they record (leader, staff, subsidy,
//! partners), meetings and the action plan, and the compliance view.

use chrono::{Datelike, NaiveDate};
use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::doorverwijzingen::netwerkcoordinator;
use crate::helpers::*;
use crate::inburgering::*;
use crate::organisaties::{aanbieder, create_organisatie};

const KEMPEN: &str = "/v1/regionaleNetwerken/REFREG03";

fn jaar() -> i32 {
    vandaag().year()
}

fn datum(y: i32, m: u32, d: u32) -> String {
    NaiveDate::from_ymd_opt(y, m, d).unwrap().to_string()
}

/// Every role that may not change Kempen: another network's coordinator, a municipality of
/// Kempen, a provider, a case worker, a newcomer.
fn geen_beheerders(app: &TestApp, org: i64) -> Vec<(&'static str, String)> {
    vec![
        ("netwerkcoordinator Midwest", netwerkcoordinator(app, "nc-midwest", "REFREG10")),
        ("lokaalBestuur Geel", lokaal_bestuur(app, &[GEEL])),
        ("aanbieder", aanbieder(app, "org-user", org)),
        ("trajectbegeleider", tb(app, "tb-1")),
        ("inburgeraar", burger(app, 1)),
    ]
}

#[actix_web::test]
async fn the_network_records_its_leader_staff_subsidy_and_partners() {
    let app = TestApp::spawn().await;
    let wzk = create_organisatie(&app, "Welzijnszorg Kempen", GEEL).await;
    let partner = create_organisatie(&app, "Buurtwerk Geel", GEEL).await;

    // Public: the reference data, no management data, version 1.
    let res = app.get(KEMPEN).send().await;
    let publiek = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(publiek["trekker"]["naam"], "Welzijnszorg Kempen");
    assert_eq!(publiek["trekker"]["zekerheid"], "bevestigd");
    assert!(publiek.get("beheer").is_none());

    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let body = json!({
        "trekker": {"organisatie": wzk, "mandaat": "Coördinatie vierde pijler voor de 27 aangesloten besturen"},
        "medewerkers": [
            {"rol": "netwerkcoach", "naam": "Evelien Van Eynde", "email": "wzk.beleid@iok.be"},
            {"rol": "regiocoordinator", "naam": "Birgit Oris", "email": "wzk.beleid@iok.be"}
        ],
        "subsidie": {"bedragCent": 32085000, "van": dag(-100), "tot": dag(265), "financier": "Europa WSE"},
        "partners": [{"organisatie": partner, "rol": "klankbordgroep"}]
    });
    let res = app.put(KEMPEN).bearer(&nc).header("If-Match", "\"1\"").json(&body).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(doc["trekker"]["naam"], "Welzijnszorg Kempen");
    assert_eq!(doc["trekker"]["organisatie"]["id"], wzk);
    assert!(doc["trekker"].get("zekerheid").is_none(), "recorded by the network itself");
    assert_eq!(
        doc["beheer"]["medewerkers"][1],
        json!({"rol": "regiocoordinator", "naam": "Birgit Oris", "email": "wzk.beleid@iok.be"})
    );
    assert_eq!(doc["beheer"]["subsidie"]["bedragCent"], 32085000);
    assert_eq!(doc["beheer"]["partners"][0]["organisatie"]["naam"], "Buurtwerk Geel");
    assert_eq!(doc["beheer"]["gewijzigdDoor"], "nc-kempen");
    assert_eq!(doc["beheer"]["overleggen"], "http://localhost:8080/v1/regionaleNetwerken/REFREG03/overleggen");

    // Agency and municipal roles read it all; the public and providers only the leader.
    for token in [lokaal_bestuur(&app, &[GEEL]), tb(&app, "tb-1"), netwerkcoordinator(&app, "nc-midwest", "REFREG10")] {
        let v = app.get(KEMPEN).bearer(&token).send().await.expect(200);
        assert_eq!(v["beheer"]["medewerkers"].as_array().unwrap().len(), 2);
    }
    for v in [
        app.get(KEMPEN).send().await.expect(200),
        app.get(KEMPEN).bearer(&aanbieder(&app, "org-user", partner)).send().await.expect(200),
    ] {
        assert!(v.get("beheer").is_none(), "{v}");
        assert_eq!(v["trekker"]["mandaat"], "Coördinatie vierde pijler voor de 27 aangesloten besturen");
        assert_eq!(v["versie"], 2);
    }

    // Merge patch with If-Match: a stale version is refused.
    let patch = r#"{"medewerkers": [{"rol": "netwerkcoach", "naam": "Evelien Van Eynde"}]}"#;
    app.patch(KEMPEN)
        .bearer(&nc)
        .header("If-Match", "\"1\"")
        .body("application/merge-patch+json", patch)
        .send()
        .await
        .problem(412, "preconditionFailed");
    let res = app
        .patch(KEMPEN)
        .bearer(&nc)
        .header("If-Match", "\"2\"")
        .body("application/merge-patch+json", patch)
        .send()
        .await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"3\""));
    assert_eq!(doc["beheer"]["medewerkers"].as_array().unwrap().len(), 1);
    assert_eq!(doc["beheer"]["subsidie"]["financier"], "Europa WSE", "untouched by the patch");

    // Validation names the fields.
    let p = app
        .patch(KEMPEN)
        .bearer(&nc)
        .body(
            "application/merge-patch+json",
            json!({
                "subsidie": {"bedragCent": 40000000, "van": "2024-01-01", "tot": "2023-01-01", "financier": "x"},
                "partners": [{"organisatie": 999}],
                "trekker": {"mandaat": "zonder naam"}
            })
            .to_string(),
        )
        .send()
        .await
        .problem(400, "badRequest");
    let mut names = issue_names(&p);
    names.sort();
    assert_eq!(names, ["subsidie.bedragCent"], "attribute rules first: {p}");
    let p = app
        .patch(KEMPEN)
        .bearer(&nc)
        .body(
            "application/merge-patch+json",
            json!({
                "subsidie": {"bedragCent": 100, "van": "2024-01-01", "tot": "2023-01-01", "financier": "x"},
                "partners": [{"organisatie": 999}],
                "trekker": {"organisatie": null, "mandaat": "zonder naam"}
            })
            .to_string(),
        )
        .send()
        .await
        .problem(400, "badRequest");
    let mut names = issue_names(&p);
    names.sort();
    assert_eq!(names, ["partners[0].organisatie", "subsidie.tot", "trekker"]);

    // Only an admin or Kempen's own coordinator writes.
    for (wie, token) in geen_beheerders(&app, partner) {
        let r = app.patch(KEMPEN).bearer(&token).body("application/merge-patch+json", "{}").send().await;
        assert_eq!(r.status.as_u16(), 403, "{wie}: {}", r.text());
        let r = app.put(KEMPEN).bearer(&token).json(&body).send().await;
        assert_eq!(r.status.as_u16(), 403, "{wie}: {}", r.text());
    }
    let p = app
        .patch(KEMPEN)
        .bearer(&netwerkcoordinator(&app, "nc-midwest", "REFREG10"))
        .body("application/merge-patch+json", "{}")
        .send()
        .await
        .problem(403, "missingPermission");
    assert!(p["detail"].as_str().unwrap().contains("REFREG10"), "{p}");
    app.patch(KEMPEN).body("application/merge-patch+json", "{}").send().await.problem(401, "noAccessToken");
    let admin_doc = app
        .patch(KEMPEN)
        .bearer(&admin(&app))
        .body("application/merge-patch+json", r#"{"partners": []}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(admin_doc["beheer"]["partners"], json!([]));
    app.put("/v1/regionaleNetwerken/REFREG99")
        .bearer(&admin(&app))
        .json(&body)
        .send()
        .await
        .problem(404, "resourceNotFound");

    let entries = audit(&app, "resourceType=regionaalNetwerk&resourceId=REFREG03").await;
    assert_eq!(entries.len(), 3, "{entries:?}");
}

#[actix_web::test]
async fn meetings_and_actions_are_kept_by_the_network() {
    let app = TestApp::spawn().await;
    let org = create_organisatie(&app, "Welzijnszorg Kempen", GEEL).await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let overleg = json!({"soort": "stuurgroep", "datum": dag(-3), "onderwerp": "Startmoment", "deelnemers": [org]});
    let res = app.post(&format!("{KEMPEN}/overleggen")).bearer(&nc).json(&overleg).send().await;
    let o = res.expect(201);
    assert_eq!(res.header("location").unwrap(), o["self"].as_str().unwrap());
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(o["deelnemers"][0]["naam"], "Welzijnszorg Kempen");
    assert_eq!(o["netwerk"], "http://localhost:8080/v1/regionaleNetwerken/REFREG03");
    let pad = path_of(&o["self"]);

    // Minutes afterwards, with If-Match.
    app.patch(&pad)
        .bearer(&nc)
        .header("If-Match", "\"2\"")
        .body("application/merge-patch+json", r#"{"verslag": "Uitdagingen geïnventariseerd."}"#)
        .send()
        .await
        .problem(412, "preconditionFailed");
    let o2 = app
        .patch(&pad)
        .bearer(&nc)
        .header("If-Match", "\"1\"")
        .body("application/merge-patch+json", r#"{"verslag": "Uitdagingen geïnventariseerd."}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(o2["verslag"], "Uitdagingen geïnventariseerd.");
    assert_eq!(o2["versie"], 2);
    let p = app
        .post(&format!("{KEMPEN}/overleggen"))
        .bearer(&nc)
        .json(&json!({"soort": "stuurgroep", "datum": dag(0), "onderwerp": "x", "deelnemers": [999]}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["deelnemers"]);
    // Another network's path does not reach it.
    app.get(&pad.replace("REFREG03", "REFREG10")).bearer(&nc).send().await.problem(404, "resourceNotFound");

    let actie =
        json!({"titel": "Actieplan afwerken", "status": "lopend", "deadline": dag(-1), "trekker": "netwerkcoach"});
    let a = app.post(&format!("{KEMPEN}/acties")).bearer(&nc).json(&actie).send().await.expect(201);
    assert_eq!(a["achterstallig"], true);
    let a_pad = path_of(&a["self"]);
    let lijst = app.get(&format!("{KEMPEN}/acties?achterstallig=true")).bearer(&nc).send().await.expect(200);
    assert_eq!(lijst["total"], 1);
    let a2 = app
        .patch(&a_pad)
        .bearer(&nc)
        .body("application/merge-patch+json", r#"{"status": "afgerond"}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(a2["achterstallig"], false);
    assert_eq!(
        app.get(&format!("{KEMPEN}/acties?achterstallig=true")).bearer(&nc).send().await.expect(200)["total"],
        0
    );
    assert_eq!(
        app.get(&format!("{KEMPEN}/acties?achterstallig=false")).bearer(&nc).send().await.expect(200)["total"],
        1
    );

    // Reads: agency and municipal roles; not providers or newcomers.
    for token in [tb(&app, "tb-1"), lokaal_bestuur(&app, &["11002"]), admin(&app)] {
        app.get(&format!("{KEMPEN}/overleggen")).bearer(&token).send().await.expect(200);
        app.get(&a_pad).bearer(&token).send().await.expect(200);
    }
    for token in [aanbieder(&app, "org-user", org), burger(&app, 1), app.token(Role::FeedClient, "feed")] {
        app.get(&format!("{KEMPEN}/overleggen")).bearer(&token).send().await.problem(403, "missingPermission");
        app.get(&format!("{KEMPEN}/acties")).bearer(&token).send().await.problem(403, "missingPermission");
        app.get(&format!("{KEMPEN}/opvolging")).bearer(&token).send().await.problem(403, "missingPermission");
    }
    app.get(&format!("{KEMPEN}/acties")).send().await.problem(401, "noAccessToken");

    // Every write: an admin or Kempen's own coordinator only.
    for (wie, token) in geen_beheerders(&app, org) {
        let probeer = [
            app.post(&format!("{KEMPEN}/overleggen")).bearer(&token).json(&overleg).send().await,
            app.patch(&pad).bearer(&token).body("application/merge-patch+json", "{}").send().await,
            app.put(&pad).bearer(&token).json(&overleg).send().await,
            app.delete(&pad).bearer(&token).send().await,
            app.post(&format!("{KEMPEN}/acties")).bearer(&token).json(&actie).send().await,
            app.patch(&a_pad).bearer(&token).body("application/merge-patch+json", "{}").send().await,
            app.put(&a_pad).bearer(&token).json(&actie).send().await,
            app.delete(&a_pad).bearer(&token).send().await,
        ];
        for r in probeer {
            assert_eq!(r.status.as_u16(), 403, "{wie}: {}", r.text());
        }
    }
    let admin_actie = app.post(&format!("{KEMPEN}/acties")).bearer(&admin(&app)).json(&actie).send().await.expect(201);
    assert_eq!(admin_actie["status"], "lopend");
    let admin_overleg =
        app.post(&format!("{KEMPEN}/overleggen")).bearer(&admin(&app)).json(&overleg).send().await.expect(201);
    app.put(&path_of(&admin_overleg["self"])).bearer(&admin(&app)).json(&overleg).send().await.expect(200);
    let jaar_van_overleg = &dag(-3)[..4];
    let lijst =
        app.get(&format!("{KEMPEN}/overleggen?soort=stuurgroep&jaar={jaar_van_overleg}")).bearer(&nc).send().await;
    assert_eq!(lijst.expect(200)["total"], 2);
    let lijst = app.get(&format!("{KEMPEN}/overleggen?soort=werkgroep")).bearer(&nc).send().await;
    assert_eq!(lijst.expect(200)["total"], 0);

    // Delete with If-Match.
    app.delete(&a_pad).bearer(&nc).header("If-Match", "\"1\"").send().await.problem(412, "preconditionFailed");
    assert_eq!(app.delete(&a_pad).bearer(&nc).header("If-Match", "\"2\"").send().await.status.as_u16(), 204);
    app.get(&a_pad).bearer(&nc).send().await.problem(404, "resourceNotFound");
    assert_eq!(app.delete(&pad).bearer(&nc).send().await.status.as_u16(), 204);
    app.get(&pad).bearer(&nc).send().await.problem(404, "resourceNotFound");
}

/// What every write to a network's items shares: an audit entry naming the network (an
/// action's update also its status), the item's own 404, and an unknown network's 404 before
/// any role check.
#[actix_web::test]
async fn writes_to_a_networks_items_are_audited_with_the_network() {
    let app = TestApp::spawn().await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let a = app.post(&format!("{KEMPEN}/acties")).bearer(&nc).json(&json!({"titel": "Mapping"})).send().await;
    let a = a.expect(201);
    let a_pad = path_of(&a["self"]);
    app.patch(&a_pad)
        .bearer(&nc)
        .body("application/merge-patch+json", r#"{"status": "lopend"}"#)
        .send()
        .await
        .expect(200);
    let overleg = json!({"soort": "werkgroep", "datum": dag(0), "onderwerp": "Mapping"});
    let o = app.post(&format!("{KEMPEN}/overleggen")).bearer(&nc).json(&overleg).send().await.expect(201);
    let o_pad = path_of(&o["self"]);
    app.put(&o_pad).bearer(&nc).json(&overleg).send().await.expect(200);
    assert_eq!(app.delete(&a_pad).bearer(&nc).send().await.status.as_u16(), 204);
    assert_eq!(app.delete(&o_pad).bearer(&nc).send().await.status.as_u16(), 204);

    let netwerk = json!({"netwerk": "REFREG03"});
    let verwacht = [
        ("netwerkActie", &a, [netwerk.clone(), json!({"netwerk": "REFREG03", "status": "lopend"}), netwerk.clone()]),
        ("netwerkOverleg", &o, [netwerk.clone(), netwerk.clone(), netwerk.clone()]),
    ];
    for (soort, item, details) in verwacht {
        let log = audit(&app, &format!("resourceType={soort}&resourceId={}", item["id"])).await;
        let acties: Vec<_> = log.iter().map(|e| e["actie"].as_str().unwrap()).collect();
        assert_eq!(acties, ["delete", "update", "create"], "{soort}, newest first");
        let gelogd: Vec<_> = log.iter().rev().map(|e| e["details"].clone()).collect();
        assert_eq!(gelogd, details, "{soort}");
        assert!(log.iter().all(|e| e["actor"] == "nc-kempen"), "{soort}");
    }

    let p = app.get(&a_pad).bearer(&nc).send().await.problem(404, "resourceNotFound");
    assert_eq!(p["detail"], format!("No action with id {} in this network", a["id"]));
    let p = app.delete(&o_pad).bearer(&nc).send().await.problem(404, "resourceNotFound");
    assert_eq!(p["detail"], format!("No meeting with id {} in this network", o["id"]));
    let onbekend = "/v1/regionaleNetwerken/ONBEKEND";
    let aanbieder = aanbieder(&app, "org-user", create_organisatie(&app, "Welzijnszorg Kempen", GEEL).await);
    app.get(&format!("{onbekend}/acties")).bearer(&aanbieder).send().await.problem(404, "resourceNotFound");
    app.get(&format!("{onbekend}/overleggen/1")).bearer(&aanbieder).send().await.problem(404, "resourceNotFound");
    app.delete(&format!("{onbekend}/acties/1")).bearer(&nc).send().await.problem(404, "resourceNotFound");
    app.put(&format!("{onbekend}/overleggen/1"))
        .bearer(&nc)
        .json(&overleg)
        .send()
        .await
        .problem(404, "resourceNotFound");
}

/// A change that loses the version race (another writer changed the network's record between
/// the change's read and its versioned UPDATE) is `409 conflict`, with or without `If-Match`,
/// and changes nothing.
#[actix_web::test]
async fn a_lost_race_on_the_networks_record_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let body = json!({"medewerkers": [{"rol": "netwerkcoach", "naam": "Evelien Van Eynde"}]});
    app.put(KEMPEN).bearer(&nc).json(&body).send().await.expect(200);
    app.lose_races_on("netwerk_beheer").await;
    let ander = json!({"medewerkers": [{"rol": "regiocoordinator", "naam": "Birgit Oris"}]});
    for if_match in [None, Some("\"2\"")] {
        let mut put = app.put(KEMPEN).bearer(&nc).json(&ander);
        let mut patch = app.patch(KEMPEN).bearer(&nc).body("application/merge-patch+json", r#"{"medewerkers": null}"#);
        if let Some(v) = if_match {
            (put, patch) = (put.header("If-Match", v), patch.header("If-Match", v));
        }
        put.send().await.problem(409, "pnt:conflict");
        patch.send().await.problem(409, "pnt:conflict");
    }
    let res = app.get(KEMPEN).bearer(&nc).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(doc["beheer"]["medewerkers"], body["medewerkers"]);
    assert_eq!(audit(&app, "resourceType=regionaalNetwerk&resourceId=REFREG03").await.len(), 1);
}

/// The same for a meeting and an action: a replace, a patch or a delete that loses the race is
/// `409 conflict`, with or without `If-Match`, and changes nothing (a meeting keeps its
/// participants).
#[actix_web::test]
async fn a_lost_race_on_a_meeting_or_action_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let org = create_organisatie(&app, "Welzijnszorg Kempen", GEEL).await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let overleg = json!({"soort": "stuurgroep", "datum": dag(-3), "onderwerp": "Startmoment", "deelnemers": [org]});
    let o = app.post(&format!("{KEMPEN}/overleggen")).bearer(&nc).json(&overleg).send().await.expect(201);
    let actie = json!({"titel": "Mapping", "status": "lopend"});
    let a = app.post(&format!("{KEMPEN}/acties")).bearer(&nc).json(&actie).send().await.expect(201);
    app.lose_races_on("netwerk_overleggen").await;
    app.lose_races_on("netwerk_acties").await;
    let gewijzigd = [
        (path_of(&o["self"]), json!({"soort": "werkgroep", "datum": dag(-2), "onderwerp": "Anders"})),
        (path_of(&a["self"]), json!({"titel": "Anders", "status": "afgerond"})),
    ];
    for (pad, body) in &gewijzigd {
        for if_match in [None, Some("\"1\"")] {
            let mut put = app.put(pad).bearer(&nc).json(body);
            let mut patch = app.patch(pad).bearer(&nc).body("application/merge-patch+json", body.to_string());
            let mut delete = app.delete(pad).bearer(&nc);
            if let Some(v) = if_match {
                (put, patch, delete) =
                    (put.header("If-Match", v), patch.header("If-Match", v), delete.header("If-Match", v));
            }
            put.send().await.problem(409, "pnt:conflict");
            patch.send().await.problem(409, "pnt:conflict");
            delete.send().await.problem(409, "pnt:conflict");
        }
    }
    for (voor, soort) in [(&o, "netwerkOverleg"), (&a, "netwerkActie")] {
        let res = app.get(&path_of(&voor["self"])).bearer(&nc).send().await;
        let na = res.expect(200);
        assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
        assert_eq!(&na, voor, "{soort} unchanged");
        let log = audit(&app, &format!("resourceType={soort}&resourceId={}", voor["id"])).await;
        assert_eq!(log.len(), 1, "{soort}: only its creation");
    }
}

/// The big cities' networks have a hyphen in their code (`GS-GENT`): their coordinator's token
/// is valid and runs that network.
#[actix_web::test]
async fn a_big_citys_coordinator_runs_its_network() {
    let app = TestApp::spawn().await;
    let nc = netwerkcoordinator(&app, "nc-gent", "GS-GENT");
    let gent = "/v1/regionaleNetwerken/GS-GENT";
    app.patch(gent).bearer(&nc).body("application/merge-patch+json", r#"{"partners": []}"#).send().await.expect(200);
    app.post(&format!("{gent}/acties")).bearer(&nc).json(&json!({"titel": "Mapping"})).send().await.expect(201);
    app.patch(KEMPEN)
        .bearer(&nc)
        .body("application/merge-patch+json", "{}")
        .send()
        .await
        .problem(403, "missingPermission");
}

async fn overleg(app: &TestApp, token: &str, soort: &str, datum: &str) {
    let body = json!({"soort": soort, "datum": datum, "onderwerp": format!("{soort} {datum}")});
    app.post(&format!("{KEMPEN}/overleggen")).bearer(token).json(&body).send().await.expect(201);
}

async fn actie(app: &TestApp, token: &str, titel: &str, status: &str, deadline: Option<&str>) -> i64 {
    let mut body = json!({"titel": titel, "status": status});
    if let Some(d) = deadline {
        body["deadline"] = json!(d);
    }
    app.post(&format!("{KEMPEN}/acties")).bearer(token).json(&body).send().await.expect(201)["id"].as_i64().unwrap()
}

fn overlegnorm(v: &Value, soort: &str) -> Value {
    v["overleggen"].as_array().unwrap().iter().find(|o| o["soort"] == soort).unwrap().clone()
}

#[actix_web::test]
async fn the_compliance_view_measures_meetings_actions_and_subsidy() {
    let app = TestApp::spawn().await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let vorig = jaar() - 1;
    // Last year: 3 stuurgroepen, 3 klankbordgroepen, 1 werkgroep (and one of the year before).
    for m in [2, 5, 9] {
        overleg(&app, &nc, "stuurgroep", &datum(vorig, m, 10)).await;
        overleg(&app, &nc, "klankbordgroep", &datum(vorig, m, 20)).await;
    }
    overleg(&app, &nc, "werkgroep", &datum(vorig, 4, 1)).await;
    overleg(&app, &nc, "stuurgroep", &datum(vorig - 1, 12, 31)).await;
    // Next year: one planned stuurgroep.
    overleg(&app, &nc, "stuurgroep", &datum(jaar() + 1, 1, 15)).await;
    // The action plan.
    let te_laat = actie(&app, &nc, "Mapping van het aanbod", "lopend", Some(&datum(vorig, 6, 30))).await;
    actie(&app, &nc, "Kennismakingsrondes", "afgerond", Some(&datum(vorig, 3, 31))).await;
    actie(&app, &nc, "Geschrapt idee", "geschrapt", Some(&datum(vorig, 7, 1))).await;
    actie(&app, &nc, "Missie en visie", "gepland", None).await;
    actie(&app, &nc, "Volgend jaar", "gepland", Some(&datum(jaar() + 1, 6, 1))).await;
    let sub =
        json!({"subsidie": {"bedragCent": 32085000, "van": dag(-100), "tot": dag(265), "financier": "Europa WSE"}});
    app.patch(KEMPEN).bearer(&nc).body("application/merge-patch+json", sub.to_string()).send().await.expect(200);

    let v = app
        .get(&format!("{KEMPEN}/opvolging?jaar={vorig}"))
        .bearer(&lokaal_bestuur(&app, &[GEEL]))
        .send()
        .await
        .expect(200);
    assert_eq!(v["jaar"], vorig);
    assert_eq!(v["peildatum"], datum(vorig, 12, 31));
    assert_eq!(v["definitief"], true, "a past year gets the final verdict");
    assert_eq!(
        overlegnorm(&v, "stuurgroep"),
        json!({"soort": "stuurgroep", "gehouden": 3, "gepland": 0, "norm": {"minimum": 4}, "verwachtTotNu": 4, "status": "onderNorm"})
    );
    // Issue 14: a third klankbordgroep is more than planned, shown as information.
    assert_eq!(
        overlegnorm(&v, "klankbordgroep"),
        json!({"soort": "klankbordgroep", "gehouden": 3, "gepland": 0, "norm": {"minimum": 1, "maximum": 2}, "verwachtTotNu": 1, "status": "bovenPlanning"})
    );
    assert_eq!(
        overlegnorm(&v, "werkgroep"),
        json!({"soort": "werkgroep", "gehouden": 1, "gepland": 0, "status": "geenNorm"})
    );
    assert_eq!(v["acties"]["perStatus"], json!({"gepland": 1, "lopend": 1, "afgerond": 1, "geschrapt": 1}));
    let laat = &v["acties"]["achterstallig"];
    assert_eq!(laat.as_array().unwrap().len(), 1, "{laat}");
    assert_eq!(laat[0]["id"], te_laat);
    let dagen =
        (NaiveDate::from_ymd_opt(vorig, 12, 31).unwrap() - NaiveDate::from_ymd_opt(vorig, 6, 30).unwrap()).num_days();
    assert_eq!(laat[0]["dagenTeLaat"], dagen);
    assert_eq!(v["subsidie"]["dagenResterend"], 266);
    assert_eq!(v["subsidie"]["gestart"], true);
    assert_eq!(v["subsidie"]["afgelopen"], false);
    assert_eq!(v["subsidie"]["bedragCent"], 32085000);

    // A fourth stuurgroep meets the norm.
    overleg(&app, &nc, "stuurgroep", &datum(vorig, 11, 30)).await;
    let v = app.get(&format!("{KEMPEN}/opvolging?jaar={vorig}")).bearer(&nc).send().await.expect(200);
    assert_eq!(overlegnorm(&v, "stuurgroep")["status"], "voldaan");

    // Next year: nothing held yet, one planned, nothing due yet (issue 14: it used to be
    // `onderNorm`); the overdue action of last year is still late.
    let v =
        app.get(&format!("{KEMPEN}/opvolging?jaar={}", jaar() + 1)).bearer(&tb(&app, "tb-1")).send().await.expect(200);
    assert_eq!(v["peildatum"], dag(0));
    assert_eq!(v["definitief"], false);
    let s = overlegnorm(&v, "stuurgroep");
    assert_eq!(
        (s["gehouden"].as_i64(), s["gepland"].as_i64(), s["verwachtTotNu"].as_i64(), s["status"].as_str()),
        (Some(0), Some(1), Some(0), Some("opSchema"))
    );
    assert_eq!(v["acties"]["perStatus"], json!({"gepland": 2, "lopend": 0, "afgerond": 0, "geschrapt": 0}));
    assert_eq!(v["acties"]["achterstallig"][0]["id"], te_laat);

    // The year is checked; unknown networks are 404.
    let p = app.get(&format!("{KEMPEN}/opvolging?jaar=2019")).bearer(&nc).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["jaar"]);
    app.get("/v1/regionaleNetwerken/REFREG99/opvolging").bearer(&nc).send().await.problem(404, "resourceNotFound");
}

/// The share of `minimum` due today in the current year (the rule of `domain::netwerk::pro_rata`).
fn verwacht_vandaag(minimum: i64) -> i64 {
    let v = vandaag();
    let lengte = if NaiveDate::from_ymd_opt(v.year(), 2, 29).is_some() { 366 } else { 365 };
    minimum * i64::from(v.ordinal()) / lengte
}

/// Issue 14, R23: each network sets its own norms (its netwerkcoordinator or an admin); the
/// current year is judged pro rata to the date, never as failed before it is over.
#[actix_web::test]
async fn a_network_sets_its_own_norms_and_the_current_year_is_judged_pro_rata() {
    let app = TestApp::spawn().await;
    let nc = netwerkcoordinator(&app, "nc-kempen", "REFREG03");
    let doc = app.get(KEMPEN).bearer(&nc).send().await.expect(200);
    assert_eq!(
        doc["beheer"]["overlegnormen"],
        json!({"stuurgroep": {"minimum": 4}, "klankbordgroep": {"minimum": 1, "maximum": 2}}),
        "the defaults (seed 004)"
    );
    let patch =
        |body: Value| app.patch(KEMPEN).bearer(&nc).body("application/merge-patch+json", body.to_string()).send();
    let doc = patch(
        json!({"overlegnormen": {"stuurgroep": {"minimum": 6, "maximum": 8}, "klankbordgroep": {"maximum": null}}}),
    )
    .await
    .expect(200);
    assert_eq!(
        doc["beheer"]["overlegnormen"],
        json!({"stuurgroep": {"minimum": 6, "maximum": 8}, "klankbordgroep": {"minimum": 1}})
    );

    // The current year: nothing held yet.
    let v = app.get(&format!("{KEMPEN}/opvolging")).bearer(&nc).send().await.expect(200);
    assert_eq!(v["definitief"], false);
    let s = overlegnorm(&v, "stuurgroep");
    let verwacht = verwacht_vandaag(6);
    assert_eq!(s["norm"], json!({"minimum": 6, "maximum": 8}));
    assert_eq!(s["verwachtTotNu"], verwacht);
    assert_eq!(s["status"], if verwacht == 0 { "opSchema" } else { "achterstand" }, "{s}");
    // As many as due by today: on schedule (or the norm met, late in the year).
    let mut gehouden = 0;
    for i in 0..verwacht.max(1) {
        overleg(&app, &nc, "stuurgroep", &dag(-i)).await;
        gehouden += 1;
    }
    let v = app.get(&format!("{KEMPEN}/opvolging")).bearer(&nc).send().await.expect(200);
    let s = overlegnorm(&v, "stuurgroep");
    assert_eq!(s["gehouden"], gehouden);
    assert_eq!(s["status"], if gehouden >= 6 { "voldaan" } else { "opSchema" }, "{s}");
    // Without a maximum, any number of klankbordgroepen is within plan.
    for i in 0..3 {
        overleg(&app, &nc, "klankbordgroep", &dag(-i)).await;
    }
    let v = app.get(&format!("{KEMPEN}/opvolging")).bearer(&nc).send().await.expect(200);
    assert_eq!(overlegnorm(&v, "klankbordgroep")["status"], "voldaan");

    // `null` restores the defaults: now 3 klankbordgroepen are more than planned.
    let doc = patch(json!({"overlegnormen": null})).await.expect(200);
    assert_eq!(doc["beheer"]["overlegnormen"]["stuurgroep"], json!({"minimum": 4}));
    let v = app.get(&format!("{KEMPEN}/opvolging")).bearer(&nc).send().await.expect(200);
    assert_eq!(overlegnorm(&v, "klankbordgroep")["status"], "bovenPlanning");

    // Refused: a maximum below the minimum, out of range, unknown fields (400, naming the field),
    // another network's coordinator (403), other roles (403).
    for (body, veld) in [
        (json!({"overlegnormen": {"stuurgroep": {"minimum": 5, "maximum": 4}}}), "overlegnormen.stuurgroep.maximum"),
        (json!({"overlegnormen": {"klankbordgroep": {"minimum": 53}}}), "overlegnormen.klankbordgroep.minimum"),
        (json!({"overlegnormen": {"klankbordgroep": {"maximum": 0}}}), "overlegnormen.klankbordgroep.maximum"),
        (json!({"overlegnormen": {"stuurgroep": {"minimum": -1}}}), "overlegnormen.stuurgroep.minimum"),
        (json!({"overlegnormen": {"werkgroep": {"minimum": 1}}}), "overlegnormen.werkgroep"),
    ] {
        let p = patch(body.clone()).await.problem(400, "badRequest");
        let namen = issue_names(&p);
        assert!(namen.iter().any(|n| n.starts_with(veld)), "{body}: {p}");
    }
    let ander = netwerkcoordinator(&app, "nc-midwest", "REFREG10");
    let body = json!({"overlegnormen": {"stuurgroep": {"minimum": 1}}}).to_string();
    for token in [ander, lokaal_bestuur(&app, &[GEEL]), tb(&app, "tb-1")] {
        app.patch(KEMPEN)
            .bearer(&token)
            .body("application/merge-patch+json", body.clone())
            .send()
            .await
            .problem(403, "missingPermission");
    }
    let doc = app.get(KEMPEN).bearer(&nc).send().await.expect(200);
    assert_eq!(doc["beheer"]["overlegnormen"]["stuurgroep"], json!({"minimum": 4}), "nothing refused was stored");
}
