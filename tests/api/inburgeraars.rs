//! Newcomers: registration, validation (R17), duplicates, visibility (R15), updates with
//! If-Match, the masked INSZ, and the municipal list of decree art. 20 §7 (R16).

use std::collections::BTreeSet;

use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;

#[actix_web::test]
async fn a_trajectbegeleider_registers_and_reads_a_newcomer() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let rrn = insz(geboren(), 1);
    let dotted = format!("{}.{}.{}-{}.{}", &rrn[..2], &rrn[2..4], &rrn[4..6], &rrn[6..9], &rrn[9..]);
    let res = app
        .post("/v1/inburgeraars")
        .bearer(&t)
        .json(&json!({
            "dossiernummer": " AGII-2026-000001 ",
            "voornaam": "Amina",
            "achternaam": "Haddad",
            "geboortedatum": GEBOREN,
            "rijksregisternummer": dotted,
            "contacttaal": "ar",
            "gemeente": GEEL,
            "statuut": "verplicht",
            "contact": { "email": "amina@example.be" },
            "gebruikerId": "burger-1"
        }))
        .send()
        .await;
    let doc = res.expect(201);
    let id = doc["id"].as_i64().unwrap();
    let self_link = format!("http://localhost:8080/v1/inburgeraars/{id}");
    assert_eq!(res.header("location").as_deref(), Some(self_link.as_str()));
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(doc["self"], self_link);
    assert_eq!(doc["dossiernummer"], "AGII-2026-000001", "trimmed");
    assert_eq!(doc["rijksregisternummer"], rrn, "stored as 11 digits");
    assert_eq!(doc["trajectbegeleider"], "tb-1", "defaults to the caller");
    assert_eq!(doc["kbiSyncStatus"], "teSynchroniseren");
    assert_eq!(doc["contact"], json!({ "email": "amina@example.be" }));
    assert_eq!(doc["contracten"], format!("http://localhost:8080/v1/inburgeringscontracten?inburgeraar={id}"));
    assert!(doc["aangemaaktOp"].as_str().unwrap().ends_with('Z'));

    let res = app.get(&format!("/v1/inburgeraars/{id}")).bearer(&t).send().await;
    assert_eq!(res.expect(200), doc);
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));

    // Without an INSZ there is nothing to sync with the KBI; absent fields are omitted.
    let zonder = registreer(&app, &t, 2, json!({ "rijksregisternummer": null, "contact": null })).await;
    assert_eq!(zonder["kbiSyncStatus"], "nietVanToepassing");
    assert!(zonder.get("rijksregisternummer").is_none() && zonder.get("contact").is_none());
}

#[actix_web::test]
async fn only_trajectbegeleiders_and_admins_manage_newcomers() {
    let app = TestApp::spawn().await;
    app.post("/v1/inburgeraars").json(&persoon(1)).send().await.problem(401, "belgif:noAccessToken");
    for role in [Role::LokaalBestuur, Role::Aanbieder, Role::Netwerkcoordinator, Role::Inburgeraar] {
        let t = app.token(role, "x");
        app.post("/v1/inburgeraars").bearer(&t).json(&persoon(1)).send().await.problem(403, "belgif:missingPermission");
        app.get("/v1/inburgeraars").bearer(&t).send().await.problem(403, "belgif:missingPermission");
    }
    // An admin names the trajectbegeleider; a trajectbegeleider registers only for themself.
    let p = app
        .post("/v1/inburgeraars")
        .bearer(&admin(&app))
        .json(&persoon(1))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["trajectbegeleider"]);
    let mut body = persoon(1);
    body["trajectbegeleider"] = json!("tb-2");
    app.post("/v1/inburgeraars")
        .bearer(&tb(&app, "tb-1"))
        .json(&body)
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    let doc = app.post("/v1/inburgeraars").bearer(&admin(&app)).json(&body).send().await.expect(201);
    assert_eq!(doc["trajectbegeleider"], "tb-2");
    // Roles without a view on personal records cannot read one either.
    let id = doc["id"].as_i64().unwrap();
    app.get(&format!("/v1/inburgeraars/{id}"))
        .bearer(&lokaal_bestuur(&app, &[GEEL]))
        .send()
        .await
        .problem(403, "belgif:missingPermission");
}

#[actix_web::test]
async fn invalid_personal_data_is_named_field_by_field() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let mut wrong_check = insz(geboren(), 1);
    let last = wrong_check.pop().unwrap();
    wrong_check.push(if last == '9' { '0' } else { (last as u8 + 1) as char });
    let mut body = persoon(1);
    body["rijksregisternummer"] = json!(wrong_check);
    body["contacttaal"] = json!("Arabisch");
    body["gemeente"] = json!("1300");
    body["voornaam"] = json!("  ");
    body["contact"] = json!({ "email": "geen-adres", "telefoon": "bel me maar" });
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "belgif:badRequest");
    // The validator rules run first (e-mail), then the domain checks.
    assert_eq!(issue_names(&p), ["contact.email"]);
    body["contact"] = json!({ "telefoon": "bel me maar" });
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "belgif:badRequest");
    let names: BTreeSet<String> = issue_names(&p).into_iter().collect();
    let expected: BTreeSet<String> = ["rijksregisternummer", "contacttaal", "gemeente", "voornaam", "contact.telefoon"]
        .into_iter()
        .map(String::from)
        .collect();
    assert_eq!(names, expected, "{p}");
    assert!(!p.to_string().contains(&wrong_check), "the INSZ is not echoed: {p}");

    // The INSZ must encode the birth date; birth dates lie in the past.
    let mut b = persoon(1);
    b["geboortedatum"] = json!("1994-03-19");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&b).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["rijksregisternummer"]);
    let mut b = persoon(1);
    b["geboortedatum"] = json!(dag(1));
    b["rijksregisternummer"] = Value::Null;
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&b).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["geboortedatum"]);

    // A well-formed NIS code that names no municipality.
    let mut b = persoon(1);
    b["gemeente"] = json!("99999");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&b).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["gemeente"]);
    assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:referencedResourceNotFound");

    // Unknown fields and wrong enum values are refused.
    let mut b = persoon(1);
    b["nationaliteit"] = json!("SY");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&b).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["nationaliteit"]);
    let mut b = persoon(1);
    b["statuut"] = json!("vrijwillig");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&b).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["statuut"]);

    // Nothing was stored.
    let list = app.get("/v1/inburgeraars").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(list["total"], 0);
}

#[actix_web::test]
async fn duplicates_are_409_with_the_existing_href() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let first = registreer(&app, &t, 1, json!({})).await;
    let cases = [
        ("dossiernummer", json!({ "rijksregisternummer": insz(geboren(), 2), "gebruikerId": "burger-2" })),
        ("rijksregisternummer", json!({ "dossiernummer": "X-2", "gebruikerId": "burger-2" })),
        ("gebruikerId", json!({ "dossiernummer": "X-2", "rijksregisternummer": insz(geboren(), 2) })),
    ];
    for (field, patch) in cases {
        let mut body = persoon(1);
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        // Another trajectbegeleider gets the same answer: the href, nothing of the record.
        let p = app
            .post("/v1/inburgeraars")
            .bearer(&tb(&app, "tb-2"))
            .json(&body)
            .send()
            .await
            .problem(409, "pnt:duplicate");
        assert_eq!(p["href"], first["self"], "{field}");
        assert!(p["detail"].as_str().unwrap().contains(field), "{p}");
    }
    // An update may not take another newcomer's unique field either.
    let second = registreer(&app, &t, 2, json!({})).await;
    let mut body = persoon(2);
    body["dossiernummer"] = first["dossiernummer"].clone();
    let p = app.put(&path_of(&second["self"])).bearer(&t).json(&body).send().await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], first["self"]);
    // Updating a record with its own values is no duplicate.
    app.put(&path_of(&second["self"])).bearer(&t).json(&persoon(2)).send().await.expect(200);
}

#[actix_web::test]
async fn newcomers_are_visible_to_their_trajectbegeleider_admins_and_themselves() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let p1 = registreer(&app, &t1, 1, json!({})).await;
    let p2 = registreer(&app, &tb(&app, "tb-2"), 2, json!({})).await;
    let path1 = path_of(&p1["self"]);

    // Another trajectbegeleider's newcomer does not exist for you.
    app.get(&path1).bearer(&tb(&app, "tb-2")).send().await.problem(404, "belgif:resourceNotFound");
    app.get("/v1/inburgeraars/999999").bearer(&t1).send().await.problem(404, "belgif:resourceNotFound");
    // The newcomer reads their own record, whole INSZ included, and nobody else's.
    let own = app.get(&path1).bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(own["rijksregisternummer"], p1["rijksregisternummer"]);
    app.get(&path_of(&p2["self"])).bearer(&burger(&app, 1)).send().await.problem(404, "belgif:resourceNotFound");
    // … but cannot change it.
    app.put(&path1).bearer(&burger(&app, 1)).json(&persoon(1)).send().await.problem(403, "belgif:missingPermission");

    // Lists show the caseload only; an admin sees all.
    let mine = app.get("/v1/inburgeraars").bearer(&t1).send().await.expect(200);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["href"], p1["self"]);
    assert!(mine["items"][0].get("self").is_none());
    let all = app.get("/v1/inburgeraars").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(all["total"], 2);
    let theirs = app.get("/v1/inburgeraars?trajectbegeleider=tb-2").bearer(&t1).send().await.expect(200);
    assert_eq!(theirs["total"], 0, "filters never widen the view");
}

#[actix_web::test]
async fn list_filters_and_paging() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    registreer(&app, &t, 1, json!({ "achternaam": "Zeger" })).await;
    registreer(&app, &t, 2, json!({ "achternaam": "Adam", "statuut": "rechthebbend", "gemeente": GENT })).await;
    registreer(&app, &t, 3, json!({ "achternaam": "Moreau", "rijksregisternummer": null })).await;
    registreer(&app, &tb(&app, "tb-2"), 4, json!({})).await;

    let a = admin(&app);
    let get = |q: &str| app.get(&format!("/v1/inburgeraars?{q}")).bearer(&a).send();
    let names = |page: &Value| -> Vec<String> {
        page["items"].as_array().unwrap().iter().map(|i| i["achternaam"].as_str().unwrap().to_string()).collect()
    };
    let page = get("trajectbegeleider=tb-1").await.expect(200);
    assert_eq!(names(&page), ["Adam", "Moreau", "Zeger"], "by name");
    let page = app.get("/v1/inburgeraars?trajectbegeleider=me").bearer(&t).send().await.expect(200);
    assert_eq!(page["total"], 3);
    assert_eq!(names(&get("statuut=rechthebbend").await.expect(200)), ["Adam"]);
    assert_eq!(names(&get(&format!("gemeente={GENT}")).await.expect(200)), ["Adam"]);
    assert_eq!(names(&get("kbiSyncStatus=nietVanToepassing").await.expect(200)), ["Moreau"]);
    assert_eq!(names(&get("dossiernummer=AGII-2026-000001").await.expect(200)), ["Zeger"]);
    let page = get("trajectbegeleider=tb-1&pageSize=2&page=2").await.expect(200);
    assert_eq!(names(&page), ["Zeger"]);
    assert_eq!(page["total"], 3);
    get("statuut=vrijwillig").await.problem(400, "belgif:badRequest");
    get("naam=x").await.problem(400, "belgif:badRequest");
}

#[actix_web::test]
async fn updates_honour_if_match_and_reset_the_kbi_status() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    // kbiSyncStatus is read-only for a trajectbegeleider: the request's value is ignored.
    let p = registreer(&app, &t, 1, json!({ "kbiSyncStatus": "gesynchroniseerd" })).await;
    assert_eq!(p["kbiSyncStatus"], "teSynchroniseren");
    let path = path_of(&p["self"]);
    // The KBI synchronisation sets it (version 2).
    let kbi = app.token(Role::KbiSync, "kbi-sync");
    app.put(&format!("{path}/kbiSyncStatus"))
        .bearer(&kbi)
        .json(&json!({"kbiSyncStatus": "gesynchroniseerd"}))
        .send()
        .await
        .expect(204);

    let mut body = persoon(1);
    body["voornaam"] = json!("Amira");
    let res = app.put(&path).bearer(&t).header("If-Match", "\"2\"").json(&body).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"3\""));
    assert_eq!(doc["voornaam"], "Amira");
    assert_eq!(doc["kbiSyncStatus"], "gesynchroniseerd", "unchanged INSZ keeps the status");
    assert_eq!(doc["trajectbegeleider"], "tb-1", "kept when left out");

    // A stale copy is refused, and nothing changes.
    body["voornaam"] = json!("Anders");
    app.put(&path)
        .bearer(&t)
        .header("If-Match", "\"2\"")
        .json(&body)
        .send()
        .await
        .problem(412, "pnt:preconditionFailed");
    assert_eq!(app.get(&path).bearer(&t).send().await.expect(200)["voornaam"], "Amira");

    // A new INSZ must be synced again, whatever the request says; PUT clears what it leaves out.
    let mut body = persoon(1);
    body["rijksregisternummer"] = json!(insz(geboren(), 7));
    body["kbiSyncStatus"] = json!("gesynchroniseerd");
    body.as_object_mut().unwrap().remove("contact");
    let doc = app.put(&path).bearer(&t).json(&body).send().await.expect(200);
    assert_eq!(doc["kbiSyncStatus"], "teSynchroniseren");
    assert!(doc.get("contact").is_none());

    // Another trajectbegeleider cannot even find it.
    app.put(&path).bearer(&tb(&app, "tb-2")).json(&body).send().await.problem(404, "belgif:resourceNotFound");
    app.put("/v1/inburgeraars/999999").bearer(&t).json(&body).send().await.problem(404, "belgif:resourceNotFound");
}

#[actix_web::test]
async fn handing_over_moves_the_newcomer_and_masks_the_insz_for_the_former_trajectbegeleider() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t1, 1, "verplicht", true, -10, 300).await;
    let path = path_of(&p["self"]);
    // An earlier contract that stays with tb-1.
    wijzig(&app, &t1, &c, json!({ "soort": "stopgezet", "reden": "Nieuw contract na verhuis" })).await.expect(201);
    let c2 = teken(&app, &t1, contract(p["id"].as_i64().unwrap(), 0, 365, json!({ "opgenomen": true }))).await;

    // Only an admin or the current trajectbegeleider hands over.
    let mut body = persoon(1);
    body["trajectbegeleider"] = json!("tb-2");
    app.put(&path).bearer(&tb(&app, "tb-3")).json(&body).send().await.problem(404, "belgif:resourceNotFound");
    let doc = app.put(&path).bearer(&t1).json(&body).send().await.expect(200);
    assert_eq!(doc["trajectbegeleider"], "tb-2");

    // The running contract moved along; the stopped one stayed with tb-1.
    let t2 = tb(&app, "tb-2");
    let moved = app.get(&path_of(&c2["self"])).bearer(&t2).send().await.expect(200);
    assert_eq!(moved["trajectbegeleider"], "tb-2");
    app.get(&path_of(&c2["self"])).bearer(&t1).send().await.problem(404, "belgif:resourceNotFound");
    app.get(&path_of(&c["self"])).bearer(&t1).send().await.expect(200);

    // tb-1 still sees the newcomer through the earlier contract, with the INSZ masked, and may
    // no longer update the record.
    let seen = app.get(&path).bearer(&t1).send().await.expect(200);
    let rrn = p["rijksregisternummer"].as_str().unwrap();
    assert_eq!(seen["rijksregisternummer"], format!("*******{}", &rrn[7..]));
    assert_eq!(app.get(&path).bearer(&t2).send().await.expect(200)["rijksregisternummer"], rrn);
    app.put(&path).bearer(&t1).json(&persoon(1)).send().await.problem(403, "belgif:missingPermission");

    // The hand-over is in the audit log, for the newcomer and for the contract.
    let log = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={}", c2["id"])).await;
    let moved = log.iter().find(|e| e["actie"] == "trajectbegeleiderGewijzigd").unwrap();
    assert_eq!(moved["details"]["van"], "tb-1");
    assert_eq!(moved["details"]["naar"], "tb-2");
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={}&actie=update", p["id"])).await;
    assert_eq!(log[0]["details"]["velden"], json!(["trajectbegeleider"]));
}

#[actix_web::test]
async fn municipal_list_has_exactly_the_decree_fields() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    // Geel: one with a running contract, one with an attest, one without contract or INSZ.
    let (_, _) = persoon_met_contract(&app, &t, 1, "verplicht", true, -10, 300).await;
    let (_, c) = persoon_met_contract(&app, &t, 2, "rechthebbend", false, -100, 200).await;
    for pijler in ["maatschappelijkeOrientatie", "nederlands", "werk"] {
        wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": pijler, "status": "behaald" }))
            .await
            .expect(201);
    }
    wijzig(&app, &t, &c, json!({ "soort": "attestUitgereikt" })).await.expect(201);
    registreer(&app, &t, 3, json!({ "achternaam": "Zonder", "rijksregisternummer": null })).await;
    // Gent: not on Geel's list.
    registreer(&app, &t, 4, json!({ "gemeente": GENT })).await;

    let lb = lokaal_bestuur(&app, &[GEEL]);
    let page = app.get(&format!("/v1/gemeenten/{GEEL}/inburgeraars")).bearer(&lb).send().await.expect(200);
    assert_eq!(page["total"], 3);
    let items = page["items"].as_array().unwrap();
    let allowed: BTreeSet<&str> =
        ["achternaam", "voornaam", "rijksregisternummer", "heeftContract", "attestBehaald"].into_iter().collect();
    for item in items {
        let keys: BTreeSet<&str> = item.as_object().unwrap().keys().map(String::as_str).collect();
        assert!(keys.is_subset(&allowed), "{item}");
    }
    let full: BTreeSet<&str> = items[0].as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(full, allowed, "every field of the decree is there when recorded");
    assert_eq!(
        items[0],
        json!({ "achternaam": "Haddad-1", "voornaam": "Amina", "rijksregisternummer": insz(geboren(), 1),
                "heeftContract": true, "attestBehaald": false })
    );
    assert_eq!(items[1]["achternaam"], "Haddad-2");
    assert_eq!(items[1]["heeftContract"], true);
    assert_eq!(items[1]["attestBehaald"], true);
    assert_eq!(
        items[2],
        json!({ "achternaam": "Zonder", "voornaam": "Amina", "heeftContract": false, "attestBehaald": false })
    );

    // Only for that municipality's lokaal bestuur and admins.
    let gent = app
        .get(&format!("/v1/gemeenten/{GENT}/inburgeraars"))
        .bearer(&lb)
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    assert!(gent["detail"].as_str().unwrap().contains(GENT));
    for token in [tb(&app, "tb-1"), burger(&app, 1), app.token(Role::Netwerkcoordinator, "nc")] {
        app.get(&format!("/v1/gemeenten/{GEEL}/inburgeraars"))
            .bearer(&token)
            .send()
            .await
            .problem(403, "belgif:missingPermission");
    }
    let page = app.get(&format!("/v1/gemeenten/{GENT}/inburgeraars")).bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(page["total"], 1);
    app.get("/v1/gemeenten/99999/inburgeraars")
        .bearer(&admin(&app))
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
    app.get("/v1/gemeenten/9a999/inburgeraars").bearer(&admin(&app)).send().await.problem(400, "belgif:badRequest");
    app.get(&format!("/v1/gemeenten/{GEEL}/inburgeraars")).send().await.problem(401, "belgif:noAccessToken");

    // Each listed person is logged as read by the lokaal bestuur.
    let log = audit(&app, "actor=lb-1").await;
    assert_eq!(log.len(), 3);
    assert!(log.iter().all(|e| e["actie"] == "list"
        && e["resourceType"] == "inburgeraar"
        && e["actorRollen"] == json!(["lokaalBestuur"])
        && e["details"]["gemeentelijst"] == GEEL));
}

#[actix_web::test]
async fn a_lost_race_on_an_update_is_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let path = path_of(&p["self"]);
    app.lose_races_on("inburgeraars").await;

    let mut body = persoon(1);
    body["voornaam"] = json!("Amira");
    // Another writer moves the record between the read and the write: with or without If-Match.
    app.put(&path).bearer(&t).json(&body).send().await.problem(409, "pnt:conflict");
    app.put(&path).bearer(&t).header("If-Match", "\"1\"").json(&body).send().await.problem(409, "pnt:conflict");
    let res = app.get(&path).bearer(&t).send().await;
    assert_eq!(res.expect(200)["voornaam"], "Amina");
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={}&actie=update", p["id"])).await;
    assert!(log.is_empty(), "a lost race leaves no audit entry: {log:?}");
}

#[actix_web::test]
async fn a_hand_over_that_loses_the_race_on_the_running_contract_changes_nothing() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -10, 300).await;
    app.lose_races_on("inburgeringscontracten").await;

    let mut body = persoon(1);
    body["trajectbegeleider"] = json!("tb-2");
    app.put(&path_of(&p["self"])).bearer(&t).json(&body).send().await.problem(409, "pnt:conflict");
    // The newcomer's own update is rolled back with it.
    let res = app.get(&path_of(&p["self"])).bearer(&t).send().await;
    assert_eq!(res.expect(200)["trajectbegeleider"], "tb-1");
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(app.get(&path_of(&c["self"])).bearer(&t).send().await.expect(200)["trajectbegeleider"], "tb-1");
}

#[actix_web::test]
async fn only_the_kbi_synchronisation_sets_the_kbi_status_and_nothing_else() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let path = path_of(&p["self"]);
    let status_path = format!("{path}/kbiSyncStatus");
    let body = json!({"kbiSyncStatus": "gesynchroniseerd"});

    // Nobody but kbiSync, not even an admin or the newcomer's trajectbegeleider.
    for token in [admin(&app), t.clone(), burger(&app, 1), app.token(Role::FeedClient, "fc")] {
        app.put(&status_path).bearer(&token).json(&body).send().await.problem(403, "missingPermission");
    }
    // kbiSync may set only that field: no other field in the body, no other operation.
    let kbi = app.token(Role::KbiSync, "kbi-sync");
    let p = app
        .put(&status_path)
        .bearer(&kbi)
        .json(&json!({"kbiSyncStatus": "gesynchroniseerd", "voornaam": "X"}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["voornaam"]);
    app.get(&path).bearer(&kbi).send().await.problem(403, "missingPermission");
    app.put(&path).bearer(&kbi).json(&persoon(1)).send().await.problem(403, "missingPermission");
    app.get("/v1/inburgeraars").bearer(&kbi).send().await.problem(403, "missingPermission");

    // Honours If-Match; the answer carries the new version.
    app.put(&status_path)
        .bearer(&kbi)
        .header("If-Match", "\"7\"")
        .json(&body)
        .send()
        .await
        .problem(412, "pnt:preconditionFailed");
    let res = app.put(&status_path).bearer(&kbi).header("If-Match", "\"1\"").json(&body).send().await;
    res.expect(204);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    let doc = app.get(&path).bearer(&t).send().await.expect(200);
    assert_eq!(doc["kbiSyncStatus"], "gesynchroniseerd");
    assert_eq!(doc["voornaam"], "Amina");
    app.put("/v1/inburgeraars/999999/kbiSyncStatus")
        .bearer(&kbi)
        .json(&body)
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
}

/// R1b: "Oekraïners met het statuut van tijdelijk beschermde zijn rechthebbende inburgeraars";
/// their voortrajecten "bevatten dus niet het inburgeringscontract" and hold no PNT. A protected
/// person cannot be made `verplicht`; a voortraject is recorded on the newcomer, not as a
/// contract, and a contract can still follow.
#[actix_web::test]
async fn temporary_protection_is_rechthebbend_and_a_voortraject_is_no_contract() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let beschermd =
        json!({ "statuut": "verplicht", "tijdelijkeBescherming": true, "tijdelijkeBeschermingSinds": "2022-03-15" });
    let mut body = persoon(1);
    for (k, v) in beschermd.as_object().unwrap() {
        body[k] = v.clone();
    }
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["statuut"]);
    body["statuut"] = json!("rechthebbend");
    body.as_object_mut().unwrap().remove("tijdelijkeBeschermingSinds");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["tijdelijkeBeschermingSinds"]);

    // A voortraject before March 2022 did not exist; one ending before it began is a typo.
    body["tijdelijkeBeschermingSinds"] = json!("2022-03-15");
    body["voortrajecten"] = json!([
        { "begin": "2022-02-28", "onderdelen": ["nt2Begeleiding"] },
        { "begin": "2022-05-02", "einde": "2022-05-01", "onderdelen": [] }
    ]);
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["voortrajecten[0].begin", "voortrajecten[1].einde", "voortrajecten[1].onderdelen"]);
    body["voortrajecten"][0]["onderdelen"] = json!(["nt2Begeleiding", "vrijwilligerswerk"]);
    app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");

    // The accepted boundary: a voortraject from 1 March 2022, with what it held.
    body["voortrajecten"] = json!([{ "begin": "2022-03-01", "einde": "2022-09-30",
        "onderdelen": ["individueleBegeleiding", "infosessieWelkomInVlaanderen", "nt2Begeleiding"] }]);
    let res = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await;
    let n = res.expect(201);
    assert_eq!(n["statuut"], "rechthebbend");
    assert_eq!(n["tijdelijkeBescherming"], true);
    assert_eq!(n["tijdelijkeBeschermingSinds"], "2022-03-15");
    assert_eq!(n["voortrajecten"], body["voortrajecten"]);
    let pad = path_of(&n["self"]);
    let contracten = app.get(&format!("/v1/inburgeringscontracten?inburgeraar={}", n["id"])).bearer(&t).send().await;
    assert_eq!(contracten.expect(200)["total"], 0, "a voortraject is not a contract");

    // A change to verplicht stays refused while the protection is recorded.
    let mut update = body.clone();
    update["statuut"] = json!("verplicht");
    let p = app.put(&pad).bearer(&t).header("If-Match", "\"1\"").json(&update).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["statuut"]);
    // Voortrajecten without the protection are refused; without either the newcomer is ordinary.
    update["statuut"] = json!("rechthebbend");
    update["tijdelijkeBescherming"] = json!(false);
    update.as_object_mut().unwrap().remove("tijdelijkeBeschermingSinds");
    let p = app.put(&pad).bearer(&t).header("If-Match", "\"1\"").json(&update).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["voortrajecten"]);

    // Choosing the full inburgeringstraject later: a contract, the PNT optional (rechthebbend).
    let c = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .json(&json!({ "inburgeraar": n["id"], "ondertekendOp": dag(-10), "termijnEinde": dag(500),
                       "pnt": { "opgenomen": false } }))
        .send()
        .await
        .expect(201);
    assert_eq!(c["statuut"], "rechthebbend");
    let terug = app.get(&pad).bearer(&t).send().await.expect(200);
    assert_eq!(terug["voortrajecten"], body["voortrajecten"], "the voortraject stays on the record");
}
