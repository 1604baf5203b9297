//! Contract changes: each kind, each refusal with its problem type, If-Match, atomicity and
//! the append-only history.

use diesel::RunQueryDsl;
use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;

async fn get(app: &TestApp, token: &str, doc: &Value) -> Value {
    app.get(&path_of(&doc["self"])).bearer(token).send().await.expect(200)
}

async fn history(app: &TestApp, token: &str, c: &Value) -> Vec<Value> {
    let page = app.get(&format!("{}/wijzigingen", path_of(&c["self"]))).bearer(token).send().await.expect(200);
    page["items"].as_array().unwrap().clone()
}

#[actix_web::test]
async fn extending_the_term() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -300, 30).await;

    let p = wijzig(&app, &t, &c, json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(200) }))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["reden"]);
    let p =
        wijzig(&app, &t, &c, json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(30), "reden": "Ziekte" }))
            .await
            .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["nieuweTermijnEinde"]);
    let p = wijzig(
        &app,
        &t,
        &c,
        json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": "volgend jaar", "reden": "Ziekte" }),
    )
    .await
    .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["nieuweTermijnEinde"]);

    let res = wijzig(
        &app,
        &t,
        &c,
        json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(200), "reden": "Langdurige ziekte" }),
    )
    .await;
    let w = res.expect(201);
    assert_eq!(res.header("location").as_deref(), w["self"].as_str());
    assert!(w["self"].as_str().unwrap().starts_with(&format!("{}/wijzigingen/", c["self"].as_str().unwrap())));
    assert_eq!(w["contract"], c["self"]);
    assert_eq!(w["soort"], "termijnVerlengd");
    assert_eq!(w["door"], "tb-1");
    assert_eq!(w["doorRollen"], json!(["trajectbegeleider"]));
    assert_eq!(w["reden"], "Langdurige ziekte");
    assert_eq!(w["vorigeTermijnEinde"], dag(30));
    assert_eq!(w["nieuweTermijnEinde"], dag(200));
    assert_eq!(w["contractStatus"], "verlengd");
    assert!(w["op"].as_str().unwrap().ends_with('Z'));

    let res = app.get(&path_of(&c["self"])).bearer(&t).send().await;
    let nu = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(nu["status"], "verlengd");
    assert_eq!(nu["termijnEinde"], dag(200));
    assert_eq!(nu["voortgang"]["dagenTotTermijn"], 200);
}

#[actix_web::test]
async fn the_pnt_is_added_or_dropped_only_for_rechthebbend() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, r) = persoon_met_contract(&app, &t, 1, "rechthebbend", false, 0, 365).await;
    wijzig(&app, &t, &r, json!({ "soort": "pntGeschrapt" })).await.problem(409, "pnt:invalidContractChange");
    let w = wijzig(&app, &t, &r, json!({ "soort": "pntToegevoegd", "reden": "Wil toch het attest" })).await.expect(201);
    assert_eq!(w["pntOpgenomen"], true);
    let nu = get(&app, &t, &r).await;
    assert_eq!(nu["pnt"]["opgenomen"], true);
    assert_eq!(nu["voortgang"]["risico"], "opSchema");
    wijzig(&app, &t, &r, json!({ "soort": "pntToegevoegd" })).await.problem(409, "pnt:invalidContractChange");
    wijzig(&app, &t, &r, json!({ "soort": "pntGeschrapt" })).await.expect(201);
    assert_eq!(get(&app, &t, &r).await["pnt"]["opgenomen"], false);

    // For a verplicht newcomer the PNT is required: neither change applies.
    let (_, v) = persoon_met_contract(&app, &t, 2, "verplicht", true, 0, 365).await;
    for soort in ["pntGeschrapt", "pntToegevoegd"] {
        let p = wijzig(&app, &t, &v, json!({ "soort": soort })).await.problem(409, "pnt:invalidContractChange");
        assert!(p["detail"].as_str().unwrap().contains("rechthebbend"), "{p}");
    }
    assert_eq!(history(&app, &t, &v).await.len(), 0, "refusals leave no history");
}

#[actix_web::test]
async fn a_vrijstelling_after_signing() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, v) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let mut te_weinig = vrijstelling_werk();
    te_weinig["tewerkstelling"]["breuk"] = json!(0.3);
    let p = wijzig(&app, &t, &v, json!({ "soort": "vrijstellingToegekend", "vrijstelling": te_weinig }))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["vrijstelling.tewerkstelling.breuk"]);
    let p = wijzig(&app, &t, &v, json!({ "soort": "vrijstellingToegekend" })).await.problem(400, "belgif:badRequest");
    assert!(p["detail"].as_str().unwrap().contains("vrijstelling"), "{p}");

    let w = wijzig(
        &app,
        &t,
        &v,
        json!({ "soort": "vrijstellingToegekend", "vrijstelling": vrijstelling_werk(), "reden": "Vast werk gevonden" }),
    )
    .await
    .expect(201);
    assert_eq!(w["vrijstelling"]["reden"], "werk");
    assert_eq!(w["pntOpgenomen"], false);
    let nu = get(&app, &t, &v).await;
    assert_eq!(nu["pnt"]["opgenomen"], false);
    assert_eq!(nu["pnt"]["vrijstelling"]["toegekendOp"], dag(0));
    assert_eq!(nu["voortgang"]["risico"], "nietVereist");
    wijzig(&app, &t, &v, json!({ "soort": "vrijstellingToegekend", "vrijstelling": vrijstelling_werk() }))
        .await
        .problem(409, "pnt:invalidContractChange");

    let (_, r) = persoon_met_contract(&app, &t, 2, "rechthebbend", true, 0, 300).await;
    wijzig(&app, &t, &r, json!({ "soort": "vrijstellingToegekend", "vrijstelling": vrijstelling_werk() }))
        .await
        .problem(409, "pnt:invalidContractChange");
}

#[actix_web::test]
async fn pillar_statuses() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let w =
        wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "behaald" }))
            .await
            .expect(201);
    assert_eq!(w["pijler"], "nederlands");
    assert_eq!(w["vorigeStatus"], "nietGestart");
    assert_eq!(w["nieuweStatus"], "behaald");
    assert!(w.get("contractStatus").is_none(), "the contract's status did not change");
    assert_eq!(get(&app, &t, &c).await["pijlers"]["nederlands"], "behaald");

    wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "behaald" }))
        .await
        .problem(409, "pnt:invalidContractChange");
    let p =
        wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "lopend" }))
            .await
            .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["reden"]);
    wijzig(
        &app,
        &t,
        &c,
        json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "lopend", "reden": "Attest NT2 ongeldig" }),
    )
    .await
    .expect(201);
    let p = wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": "pnt", "status": "behaald" }))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["pijler"]);
}

/// Records a follow-up entry on contract `c` judging the effort `inspanning` and gives its id.
async fn opvolging(app: &TestApp, t: &str, c: &Value, inspanning: &str) -> i64 {
    app.post(&format!("{}/opvolging", path_of(&c["self"])))
        .bearer(t)
        .json(&json!({ "soort": "opvolgingsgesprek", "datum": dag(-2), "kanaal": "fysiek",
                       "notitie": "Voortgang besproken", "inspanning": inspanning }))
        .send()
        .await
        .expect(201)["id"]
        .as_i64()
        .unwrap()
}

#[actix_web::test]
async fn sanctions_only_after_the_term_without_the_hours() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let boete = |opvolging: Value| {
        json!({ "soort": "sanctieOpgelegd", "categorie": 2, "bedragCent": 25000, "nieuweTermijnEinde": dag(180),
                "opvolging": opvolging, "reden": "Geen activiteiten ondanks drie gesprekken" })
    };

    // The term still runs.
    let (_, loopt) = persoon_met_contract(&app, &t, 1, "verplicht", true, -100, 0).await;
    let id = opvolging(&app, &t, &loopt, "geen").await;
    let p = wijzig(&app, &t, &loopt, boete(json!([id]))).await.problem(409, "pnt:sanctionNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains(&dag(0)), "{p}");

    // The term passed without the hours, but the follow-up does not show too little effort.
    let (_, voorbij) = persoon_met_contract(&app, &t, 2, "verplicht", true, -400, -10).await;
    let p = wijzig(&app, &t, &voorbij, boete(json!([1]))).await.problem(409, "pnt:sanctionNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("follow-up"), "{p}");
    let voldoende = opvolging(&app, &t, &voorbij, "voldoende").await;
    wijzig(&app, &t, &voorbij, boete(json!([voldoende]))).await.problem(409, "pnt:sanctionNotAllowed");
    let onvoldoende = opvolging(&app, &t, &voorbij, "onvoldoende").await;
    // Without an extension first, the reason why not is required; entries named must support it.
    let p = wijzig(&app, &t, &voorbij, boete(json!([onvoldoende]))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["zonderVerlengingReden"]);
    wijzig(&app, &t, &voorbij, json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(-1), "reden": "Ziekte" }))
        .await
        .expect(201);
    let p = wijzig(&app, &t, &voorbij, boete(json!([voldoende, onvoldoende]))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["opvolging[0]"]);
    for (patch, name) in [
        (json!({ "categorie": 5 }), "categorie"),
        (json!({ "bedragCent": 100 }), "bedragCent"),
        (json!({ "reden": "" }), "reden"),
        (json!({ "nieuweTermijnEinde": dag(0) }), "nieuweTermijnEinde"),
        (json!({ "opvolging": [] }), "opvolging"),
    ] {
        let mut body = boete(json!([onvoldoende]));
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let p = wijzig(&app, &t, &voorbij, body).await.problem(400, "belgif:badRequest");
        assert_eq!(issue_names(&p), [name]);
    }
    let mut zonder_term = boete(json!([onvoldoende]));
    zonder_term.as_object_mut().unwrap().remove("nieuweTermijnEinde");
    let p = wijzig(&app, &t, &voorbij, zonder_term).await.problem(400, "belgif:badRequest");
    assert!(p["detail"].as_str().unwrap().contains("nieuweTermijnEinde"), "{p}");

    // Accepted boundary: the new term starts tomorrow; the sanction links to the entries and
    // sets the new term in the same change, and the PNT stays required.
    let mut body = boete(json!([onvoldoende]));
    body["nieuweTermijnEinde"] = json!(dag(1));
    let w = wijzig(&app, &t, &voorbij, body).await.expect(201);
    assert_eq!(w["categorie"], 2);
    assert_eq!(w["bedragCent"], 25000);
    assert_eq!(w["opvolging"], json!([onvoldoende]));
    assert_eq!(w["vorigeTermijnEinde"], dag(-1));
    assert_eq!(w["nieuweTermijnEinde"], dag(1));
    let nu = get(&app, &t, &voorbij).await;
    assert_eq!(nu["pnt"]["opgenomen"], true, "the PNT stays required after a sanction");
    assert_eq!(nu["termijnEinde"], dag(1), "a new term to complete the PNT");
    assert_eq!(
        nu["laatsteSanctie"],
        json!({ "categorie": 2, "bedragCent": 25000, "opgelegdOp": dag(0), "termijnEinde": dag(-1) })
    );
    assert_ne!(nu["voortgang"]["risico"], "termijnVerstreken");
    // The new term runs: no second sanction now.
    wijzig(&app, &t, &voorbij, boete(json!([onvoldoende]))).await.problem(409, "pnt:sanctionNotAllowed");

    // Without an extension, with the reason why not: allowed.
    let (_, direct) = persoon_met_contract(&app, &t, 5, "verplicht", true, -400, -1).await;
    let geen = opvolging(&app, &t, &direct, "geen").await;
    let mut body = boete(json!([geen]));
    body["zonderVerlengingReden"] = json!("Verlenging aangeboden en geweigerd");
    let w = wijzig(&app, &t, &direct, body).await.expect(201);
    assert_eq!(w["zonderVerlengingReden"], "Verlenging aangeboden en geweigerd");

    // Not for a rechthebbend newcomer, nor without the PNT.
    let (_, r) = persoon_met_contract(&app, &t, 3, "rechthebbend", true, -400, -1).await;
    let id = opvolging(&app, &t, &r, "geen").await;
    wijzig(&app, &t, &r, boete(json!([id]))).await.problem(409, "pnt:sanctionNotAllowed");
    let p = registreer(&app, &t, 4, json!({})).await;
    let vrij = teken(
        &app,
        &t,
        contract(
            p["id"].as_i64().unwrap(),
            -400,
            -1,
            json!({ "opgenomen": false, "vrijstelling": { "reden": "studie", "bewijs": "Inschrijving" } }),
        ),
    )
    .await;
    wijzig(&app, &t, &vrij, boete(json!([1]))).await.problem(409, "pnt:sanctionNotAllowed");
}

async fn alle_pijlers_behaald(app: &TestApp, t: &str, c: &Value) {
    for (pijler, status) in
        [("maatschappelijkeOrientatie", "behaald"), ("nederlands", "behaald"), ("werk", "vrijgesteld")]
    {
        wijzig(app, t, c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": pijler, "status": status }))
            .await
            .expect(201);
    }
}

#[actix_web::test]
async fn the_attest_needs_every_pillar_and_the_pnt() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -100, 200).await;
    let p = wijzig(&app, &t, &c, json!({ "soort": "attestUitgereikt" })).await.problem(409, "pnt:attestNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("maatschappelijkeOrientatie"), "{p}");
    alle_pijlers_behaald(&app, &t, &c).await;
    // The PNT is part of the contract and its 40 hours are not approved.
    let p = wijzig(&app, &t, &c, json!({ "soort": "attestUitgereikt" })).await.problem(409, "pnt:attestNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("40"), "{p}");
    // Exempted from the PNT: the attest can be issued.
    wijzig(&app, &t, &c, json!({ "soort": "vrijstellingToegekend", "vrijstelling": vrijstelling_werk() }))
        .await
        .expect(201);
    let w = wijzig(&app, &t, &c, json!({ "soort": "attestUitgereikt" })).await.expect(201);
    assert_eq!(w["contractStatus"], "voltooid");
    let nu = get(&app, &t, &c).await;
    assert_eq!(nu["status"], "voltooid");
    assert_eq!(nu["attestUitgereiktOp"], dag(0));
    // A closed contract takes no more changes.
    for body in [
        json!({ "soort": "stopgezet", "reden": "x" }),
        json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(900), "reden": "x" }),
        json!({ "soort": "attestUitgereikt" }),
    ] {
        wijzig(&app, &t, &c, body).await.problem(409, "pnt:invalidContractChange");
    }

    // A rechthebbend newcomer without the PNT needs only the pillars.
    let (_, r) = persoon_met_contract(&app, &t, 2, "rechthebbend", false, -100, 200).await;
    alle_pijlers_behaald(&app, &t, &r).await;
    wijzig(&app, &t, &r, json!({ "soort": "attestUitgereikt" })).await.expect(201);
    // One who took up the PNT must complete it (R3).
    let (_, r2) = persoon_met_contract(&app, &t, 3, "rechthebbend", true, -100, 200).await;
    alle_pijlers_behaald(&app, &t, &r2).await;
    wijzig(&app, &t, &r2, json!({ "soort": "attestUitgereikt" })).await.problem(409, "pnt:attestNotAllowed");
}

#[actix_web::test]
async fn stopping_a_contract() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let p = wijzig(&app, &t, &c, json!({ "soort": "stopgezet" })).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["reden"]);
    let w = wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Verhuisd naar Wallonië" })).await.expect(201);
    assert_eq!(w["contractStatus"], "stopgezet");
    let nu = get(&app, &t, &c).await;
    assert_eq!(nu["status"], "stopgezet");
    assert_eq!(nu["stopgezetOp"], dag(0));
    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "nogmaals" }))
        .await
        .problem(409, "pnt:invalidContractChange");
}

#[actix_web::test]
async fn changes_honour_if_match_and_roles() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let path = format!("{}/wijzigingen", path_of(&c["self"]));
    let body = json!({ "soort": "pijlerStatusGewijzigd", "pijler": "werk", "status": "lopend" });

    app.post(&path).bearer(&t).header("If-Match", "\"1\"").json(&body).send().await.expect(201);
    // The contract is at version 2 now: a client holding version 1 is refused.
    let body2 = json!({ "soort": "pijlerStatusGewijzigd", "pijler": "werk", "status": "behaald" });
    app.post(&path)
        .bearer(&t)
        .header("If-Match", "\"1\"")
        .json(&body2)
        .send()
        .await
        .problem(412, "pnt:preconditionFailed");
    assert_eq!(get(&app, &t, &c).await["pijlers"]["werk"], "lopend");
    app.post(&path).bearer(&t).header("If-Match", "\"2\"").json(&body2).send().await.expect(201);

    // Roles and caseloads.
    app.post(&path).bearer(&burger(&app, 1)).json(&body).send().await.problem(403, "belgif:missingPermission");
    app.post(&path)
        .bearer(&app.token(Role::LokaalBestuur, "lb"))
        .json(&body)
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    app.post(&path).bearer(&tb(&app, "tb-2")).json(&body).send().await.problem(404, "belgif:resourceNotFound");
    app.post("/v1/inburgeringscontracten/999999/wijzigingen")
        .bearer(&t)
        .json(&body)
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
    app.post(&path)
        .bearer(&admin(&app))
        .json(&json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "lopend" }))
        .send()
        .await
        .expect(201);

    // Malformed changes name their fault.
    for (body, name) in [
        (json!({ "soort": "contractVerscheurd" }), "soort"),
        (json!({ "soort": "stopgezet", "reden": "x", "datum": "2026-01-01" }), "datum"),
        (json!({ "soort": "sanctieOpgelegd", "categorie": "zwaar", "bedragCent": 5000, "reden": "x" }), "categorie"),
    ] {
        let p = app.post(&path).bearer(&t).json(&body).send().await.problem(400, "belgif:badRequest");
        assert_eq!(issue_names(&p), [name], "{body}");
    }
    let p = app.post(&path).bearer(&t).json(&json!({ "reden": "x" })).send().await.problem(400, "belgif:badRequest");
    assert!(p["detail"].as_str().unwrap().contains("soort"), "{p}");
}

#[actix_web::test]
async fn the_history_is_complete_readable_and_append_only() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -300, 30).await;
    wijzig(&app, &t, &c, json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(90), "reden": "Ziekte" }))
        .await
        .expect(201);
    wijzig(&app, &t, &c, json!({ "soort": "pijlerStatusGewijzigd", "pijler": "nederlands", "status": "lopend" }))
        .await
        .expect(201);
    // A refused change leaves nothing behind.
    wijzig(&app, &t, &c, json!({ "soort": "attestUitgereikt" })).await.problem(409, "pnt:attestNotAllowed");
    let admin_token = admin(&app);
    let w3 =
        wijzig(&app, &admin_token, &c, json!({ "soort": "stopgezet", "reden": "Op eigen vraag" })).await.expect(201);

    let items = history(&app, &t, &c).await;
    let soorten: Vec<_> = items.iter().map(|w| w["soort"].as_str().unwrap()).collect();
    assert_eq!(soorten, ["termijnVerlengd", "pijlerStatusGewijzigd", "stopgezet"], "oldest first");
    assert_eq!(items[2]["door"], "admin-1");
    assert_eq!(items[2]["doorRollen"], json!(["admin"]));
    assert_eq!(items[2]["href"], w3["self"]);
    assert!(items.iter().all(|w| w["op"].is_string() && w["contract"] == c["self"]));

    // The newcomer reads their own contract's history; one change by its link.
    assert_eq!(history(&app, &burger(&app, 1), &c).await.len(), 3);
    let one = app.get(&path_of(&w3["self"])).bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(one, w3);
    app.get(&format!("{}/wijzigingen/999999", path_of(&c["self"])))
        .bearer(&t)
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
    // A change is found only under its own contract.
    let (_, other) = persoon_met_contract(&app, &t, 2, "verplicht", true, 0, 300).await;
    let w_id = w3["id"].as_i64().unwrap();
    app.get(&format!("{}/wijzigingen/{w_id}", path_of(&other["self"])))
        .bearer(&t)
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");

    // The database refuses to rewrite or delete history, on either backend.
    let updated = app
        .db(|c| Ok(diesel::sql_query("UPDATE contractwijzigingen SET reden = 'vervalst'").execute(c).is_err()))
        .await;
    assert!(updated, "UPDATE on contractwijzigingen must fail");
    let deleted = app.db(|c| Ok(diesel::sql_query("DELETE FROM contractwijzigingen").execute(c).is_err())).await;
    assert!(deleted, "DELETE on contractwijzigingen must fail");
    assert_eq!(history(&app, &t, &c).await.len(), 3);
    // And the API has no operation that does.
    app.delete(&path_of(&w3["self"])).bearer(&admin_token).send().await.problem(405, "pnt:methodNotAllowed");
}

#[actix_web::test]
async fn a_lost_race_on_a_change_is_409_and_records_nothing() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let path = format!("{}/wijzigingen", path_of(&c["self"]));
    app.lose_races_on("inburgeringscontracten").await;

    let body = json!({ "soort": "pijlerStatusGewijzigd", "pijler": "werk", "status": "lopend" });
    app.post(&path).bearer(&t).json(&body).send().await.problem(409, "pnt:conflict");
    app.post(&path).bearer(&t).header("If-Match", "\"1\"").json(&body).send().await.problem(409, "pnt:conflict");
    let res = app.get(&path_of(&c["self"])).bearer(&t).send().await;
    assert_eq!(res.expect(200)["pijlers"]["werk"], "nietGestart");
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    // Neither the history nor the audit log holds the change.
    assert_eq!(app.get(&path).bearer(&t).send().await.expect(200)["total"], 0);
    let log =
        audit(&app, &format!("resourceType=inburgeringscontract&resourceId={}&actie=pijlerStatusGewijzigd", c["id"]))
            .await;
    assert!(log.is_empty(), "{log:?}");
}
