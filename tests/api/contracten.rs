//! Contracts: signing under R2/R3, one running contract per newcomer, visibility (R15),
//! reassignment, progress and the worklist filters.

use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn signing_a_contract_with_the_pnt() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let res = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .json(&contract(id(&p), 0, 365, json!({ "opgenomen": true })))
        .send()
        .await;
    let c = res.expect(201);
    let self_link = format!("http://localhost:8080/v1/inburgeringscontracten/{}", id(&c));
    assert_eq!(res.header("location").as_deref(), Some(self_link.as_str()));
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(c["self"], self_link);
    assert_eq!(
        c["inburgeraar"],
        json!({ "href": p["self"], "id": p["id"], "dossiernummer": p["dossiernummer"],
                "voornaam": "Amina", "achternaam": "Haddad-1" })
    );
    assert_eq!(c["trajectbegeleider"], "tb-1");
    assert_eq!(c["statuut"], "verplicht", "taken from the newcomer");
    assert_eq!(c["ondertekendOp"], dag(0));
    assert_eq!(c["termijnEinde"], dag(365));
    assert_eq!(c["pnt"], json!({ "opgenomen": true, "vereisteUren": 40 }));
    assert_eq!(
        c["pijlers"],
        json!({ "maatschappelijkeOrientatie": "nietGestart", "nederlands": "nietGestart", "werk": "nietGestart" })
    );
    assert_eq!(c["status"], "lopend");
    assert_eq!(c["wijzigingen"], format!("{self_link}/wijzigingen"));
    assert_eq!(
        c["voortgang"],
        json!({ "peildatum": dag(0), "vereisteUren": 40.0, "goedgekeurdeUren": 0.0, "ingediendeUren": 0.0,
                "resterendeUren": 40.0, "percentage": 0, "dagenTotTermijn": 365,
                "verwachteUrenOpSchema": 0.0, "risico": "opSchema" })
    );
    let res = app.get(&path_of(&c["self"])).bearer(&t).send().await;
    assert_eq!(res.expect(200), c);
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));

    // Pillars already under way at signing are recorded as given.
    let p2 = registreer(&app, &t, 2, json!({})).await;
    let mut body = contract(id(&p2), -5, 300, json!({ "opgenomen": true }));
    body["pijlers"] = json!({ "nederlands": "behaald" });
    let c2 = teken(&app, &t, body).await;
    assert_eq!(c2["pijlers"]["nederlands"], "behaald");
    assert_eq!(c2["pijlers"]["werk"], "nietGestart");
}

#[actix_web::test]
async fn verplicht_needs_the_pnt_unless_a_justified_vrijstelling() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let post = |body: Value| app.post("/v1/inburgeringscontracten").bearer(&t).json(&body).send();

    let p400 = post(contract(id(&p), 0, 365, json!({ "opgenomen": false }))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling"]);
    let p400 = post(contract(id(&p), 0, 365, json!({ "opgenomen": true, "vrijstelling": vrijstelling_werk() })))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling"]);

    // Work: at least half-time…
    let mut werk = vrijstelling_werk();
    werk["tewerkstelling"]["breuk"] = json!(0.4);
    let p400 = post(contract(id(&p), 0, 365, json!({ "opgenomen": false, "vrijstelling": werk })))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling.breuk"]);
    // … under contract(s) covering three consecutive months including the signing date.
    let mut werk = vrijstelling_werk();
    werk["tewerkstelling"]["arbeidsovereenkomsten"] = json!([{ "van": dag(-30), "tot": dag(30) }]);
    let p400 = post(contract(id(&p), 0, 365, json!({ "opgenomen": false, "vrijstelling": werk })))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling.arbeidsovereenkomsten"]);
    // A gap between two contracts breaks the span.
    let mut werk = vrijstelling_werk();
    werk["tewerkstelling"]["arbeidsovereenkomsten"] =
        json!([{ "van": dag(-60), "tot": dag(-2) }, { "van": dag(0), "tot": dag(60) }]);
    post(contract(id(&p), 0, 365, json!({ "opgenomen": false, "vrijstelling": werk })))
        .await
        .problem(400, "belgif:badRequest");
    // Evidence is required, and facts of work belong to reason werk only.
    let p400 = post(contract(
        id(&p),
        0,
        365,
        json!({ "opgenomen": false, "vrijstelling": { "reden": "studie", "bewijs": " ",
               "tewerkstelling": { "breuk": 1.0, "arbeidsovereenkomsten": [] } } }),
    ))
    .await
    .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.bewijs", "pnt.vrijstelling.tewerkstelling"]);

    // Two adjacent contracts that together cover three months do count.
    let mut werk = vrijstelling_werk();
    werk["tewerkstelling"]["breuk"] = json!(0.5);
    werk["tewerkstelling"]["arbeidsovereenkomsten"] =
        json!([{ "van": dag(-30), "tot": dag(-1) }, { "van": dag(0), "tot": dag(90) }]);
    let c =
        post(contract(id(&p), 0, 365, json!({ "opgenomen": false, "vrijstelling": werk.clone() }))).await.expect(201);
    assert_eq!(c["pnt"]["opgenomen"], false);
    assert_eq!(c["pnt"]["vrijstelling"]["reden"], "werk");
    assert_eq!(c["pnt"]["vrijstelling"]["tewerkstelling"], werk["tewerkstelling"]);
    assert_eq!(c["pnt"]["vrijstelling"]["toegekendOp"], dag(0));
    assert_eq!(c["voortgang"]["risico"], "nietVereist");
    assert_eq!(c["voortgang"]["vereisteUren"], 0.0);
    assert!(c["voortgang"].get("percentage").is_none());

    // Studie needs a reason and evidence only.
    let p4 = registreer(&app, &t, 4, json!({})).await;
    let c = post(contract(
        id(&p4),
        0,
        365,
        json!({ "opgenomen": false, "vrijstelling": { "reden": "studie", "bewijs": "Document", "details": "Toelichting" } }),
    ))
    .await
    .expect(201);
    assert_eq!(c["pnt"]["vrijstelling"]["details"], "Toelichting");
}

/// R2: "minstens halftijds tewerkgesteld zijn als werknemer, zelfstandige of ambtenaar" — the
/// half-time condition and typed evidence hold for the self-employed and civil servants too.
#[actix_web::test]
async fn zelfstandige_and_ambtenaar_are_exempt_only_half_time_with_their_evidence() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let post = |body: Value| app.post("/v1/inburgeringscontracten").bearer(&t).json(&body).send();
    let vrij = |reden: &str, tewerkstelling: Value| json!({ "opgenomen": false, "vrijstelling": { "reden": reden, "bewijs": "Document", "tewerkstelling": tewerkstelling } });
    let zelfstandige = json!({ "bewijs": "Aansluiting sociaal verzekeringsfonds, hoofdberoep", "datum": dag(0) });
    let besluit = json!({ "datum": dag(0), "uitgevaardigdDoor": "Stad Gent" });

    // Without the employment facts (accepted before): refused, for both kinds.
    for reden in ["zelfstandige", "ambtenaar"] {
        let p400 = post(contract(
            id(&p),
            0,
            365,
            json!({ "opgenomen": false, "vrijstelling": { "reden": reden, "bewijs": "Document" } }),
        ))
        .await
        .problem(400, "belgif:badRequest");
        assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling"], "{reden}");
    }
    // Less than half-time.
    let p400 =
        post(contract(id(&p), 0, 365, vrij("zelfstandige", json!({ "breuk": 0.4, "zelfstandige": zelfstandige }))))
            .await
            .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling.breuk"]);
    let p400 =
        post(contract(id(&p), 0, 365, vrij("ambtenaar", json!({ "breuk": 0.49, "benoemingsbesluit": besluit }))))
            .await
            .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling.breuk"]);
    // Evidence of another kind, or none of its own.
    let p400 = post(contract(id(&p), 0, 365, vrij("ambtenaar", json!({ "breuk": 1.0, "zelfstandige": zelfstandige }))))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(
        issue_names(&p400),
        ["pnt.vrijstelling.tewerkstelling.zelfstandige", "pnt.vrijstelling.tewerkstelling.benoemingsbesluit"]
    );
    let p400 = post(contract(
        id(&p),
        0,
        365,
        vrij(
            "zelfstandige",
            json!({ "breuk": 1.0, "arbeidsovereenkomsten": [{ "van": dag(-100) }], "zelfstandige": zelfstandige }),
        ),
    ))
    .await
    .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling.tewerkstelling.arbeidsovereenkomsten"]);
    let p400 = post(contract(id(&p), 0, 365, vrij("werk", json!({ "breuk": 1.0, "benoemingsbesluit": besluit }))))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(
        issue_names(&p400),
        ["pnt.vrijstelling.tewerkstelling.benoemingsbesluit", "pnt.vrijstelling.tewerkstelling.arbeidsovereenkomsten"]
    );
    // A decision dated after signing, a blank issuer.
    let p400 = post(contract(
        id(&p),
        0,
        365,
        vrij("ambtenaar", json!({ "breuk": 1.0, "benoemingsbesluit": { "datum": dag(1), "uitgevaardigdDoor": " " } })),
    ))
    .await
    .problem(400, "belgif:badRequest");
    assert_eq!(
        issue_names(&p400),
        [
            "pnt.vrijstelling.tewerkstelling.benoemingsbesluit.uitgevaardigdDoor",
            "pnt.vrijstelling.tewerkstelling.benoemingsbesluit.datum"
        ]
    );

    // Accepted boundary: exactly half-time, evidence dated on the signing day; shown as given.
    let t_z = json!({ "breuk": 0.5, "zelfstandige": zelfstandige });
    let c = post(contract(id(&p), 0, 365, vrij("zelfstandige", t_z.clone()))).await.expect(201);
    assert_eq!(c["pnt"]["vrijstelling"]["tewerkstelling"], t_z);
    let p2 = registreer(&app, &t, 2, json!({})).await;
    let t_a = json!({ "breuk": 0.5, "benoemingsbesluit": besluit });
    let c = post(contract(id(&p2), 0, 365, vrij("ambtenaar", t_a.clone()))).await.expect(201);
    assert_eq!(c["pnt"]["vrijstelling"]["tewerkstelling"], t_a);
    assert_eq!(c["pnt"]["opgenomen"], false);
}

#[actix_web::test]
async fn rechthebbend_chooses_the_pnt_freely() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, met) = persoon_met_contract(&app, &t, 1, "rechthebbend", true, 0, 365).await;
    assert_eq!(met["statuut"], "rechthebbend");
    assert_eq!(met["pnt"]["opgenomen"], true);
    assert_eq!(met["voortgang"]["risico"], "opSchema");
    let (_, zonder) = persoon_met_contract(&app, &t, 2, "rechthebbend", false, 0, 365).await;
    assert_eq!(zonder["pnt"], json!({ "opgenomen": false, "vereisteUren": 40 }));
    assert_eq!(zonder["voortgang"]["risico"], "nietVereist");
    // A vrijstelling makes no sense for someone who need not do the PNT.
    let p = registreer(&app, &t, 3, json!({ "statuut": "rechthebbend" })).await;
    let p400 = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .json(&contract(id(&p), 0, 365, json!({ "opgenomen": false, "vrijstelling": vrijstelling_werk() })))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling"]);
}

#[actix_web::test]
async fn the_term_and_the_request_are_checked() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let post = |body: Value| app.post("/v1/inburgeringscontracten").bearer(&t).json(&body).send();
    let p400 = post(contract(id(&p), 0, 0, json!({ "opgenomen": true }))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["termijnEinde"]);
    let p400 = post(contract(id(&p), 1, 365, json!({ "opgenomen": true }))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["ondertekendOp"]);
    let mut body = contract(id(&p), 0, 365, json!({ "opgenomen": true }));
    body["statuut"] = json!("rechthebbend");
    let p400 = post(body).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["statuut"], "the statuut comes from the newcomer");
    let p400 = post(json!({ "inburgeraar": id(&p), "termijnEinde": dag(365), "pnt": { "opgenomen": true } }))
        .await
        .problem(400, "belgif:badRequest");
    assert!(p400["detail"].as_str().unwrap().contains("ondertekendOp"), "{p400}");
    let p400 = post(contract(999_999, 0, 365, json!({ "opgenomen": true }))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["inburgeraar"]);
    assert_eq!(p400["issues"][0]["type"], "urn:problem-type:belgif:input-validation:referencedResourceNotFound");
}

#[actix_web::test]
async fn one_running_contract_per_newcomer() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let p409 = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .json(&contract(id(&p), 0, 400, json!({ "opgenomen": true })))
        .send()
        .await
        .problem(409, "pnt:duplicate");
    assert_eq!(p409["href"], c["self"]);
    // Also after an extension the contract is running.
    wijzig(&app, &t, &c, json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(400), "reden": "Ziekte" }))
        .await
        .expect(201);
    app.post("/v1/inburgeringscontracten")
        .bearer(&t)
        .json(&contract(id(&p), 0, 400, json!({ "opgenomen": true })))
        .send()
        .await
        .problem(409, "pnt:duplicate");
    // Once it ends, a new one can be signed.
    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    let nieuw = teken(&app, &t, contract(id(&p), 0, 365, json!({ "opgenomen": true }))).await;
    let lijst =
        app.get(&format!("/v1/inburgeringscontracten?inburgeraar={}", id(&p))).bearer(&t).send().await.expect(200);
    assert_eq!(lijst["total"], 2);
    // By end of term: the new contract (365 days) before the extended one (400 days).
    assert_eq!(lijst["items"][0]["href"], nieuw["self"]);
    assert_eq!(lijst["items"][1]["status"], "stopgezet");
}

#[actix_web::test]
async fn contracts_are_visible_to_their_trajectbegeleider_admins_and_the_newcomer() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let (p1, c1) = persoon_met_contract(&app, &t1, 1, "verplicht", true, 0, 365).await;
    let (_, c2) = persoon_met_contract(&app, &tb(&app, "tb-2"), 2, "verplicht", true, 0, 365).await;
    let path1 = path_of(&c1["self"]);

    // Someone else's contract does not exist for you, in any of its parts.
    for path in [path1.clone(), format!("{path1}/voortgang"), format!("{path1}/wijzigingen")] {
        app.get(&path).bearer(&tb(&app, "tb-2")).send().await.problem(404, "belgif:resourceNotFound");
        app.get(&path).bearer(&burger(&app, 2)).send().await.problem(404, "belgif:resourceNotFound");
        app.get(&path).bearer(&burger(&app, 1)).send().await.expect(200);
        app.get(&path).bearer(&lokaal_bestuur(&app, &[GEEL])).send().await.problem(403, "belgif:missingPermission");
        app.get(&path).send().await.problem(401, "belgif:noAccessToken");
    }
    app.get("/v1/inburgeringscontracten/999999")
        .bearer(&admin(&app))
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
    app.get(&path1).bearer(&admin(&app)).send().await.expect(200);

    // The newcomer lists their own contract only, and cannot sign or change one.
    let own = app.get("/v1/inburgeringscontracten").bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(own["total"], 1);
    assert_eq!(own["items"][0]["href"], c1["self"]);
    app.post("/v1/inburgeringscontracten")
        .bearer(&burger(&app, 1))
        .json(&contract(id(&p1), 0, 365, json!({ "opgenomen": true })))
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    app.get("/v1/inburgeringscontracten")
        .bearer(&app.token(Role::Aanbieder, "org"))
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    let all = app.get("/v1/inburgeringscontracten").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(all["total"], 2);
    let mine = app.get("/v1/inburgeringscontracten").bearer(&t1).send().await.expect(200);
    assert_eq!(mine["total"], 1);
    assert_eq!(mine["items"][0]["href"], c1["self"]);
    assert!(mine["items"][0].get("self").is_none());
    let _ = c2;

    // Signing for someone else's newcomer: the reference does not resolve for you.
    let p400 = app
        .post("/v1/inburgeringscontracten")
        .bearer(&tb(&app, "tb-2"))
        .json(&contract(id(&p1), 0, 365, json!({ "opgenomen": true })))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["inburgeraar"]);
}

#[actix_web::test]
async fn who_signs_and_who_takes_over() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let p = registreer(&app, &t1, 1, json!({})).await;
    // A trajectbegeleider signs in their own name.
    let mut body = contract(id(&p), 0, 365, json!({ "opgenomen": true }));
    body["trajectbegeleider"] = json!("tb-2");
    app.post("/v1/inburgeringscontracten")
        .bearer(&t1)
        .json(&body)
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    // An admin may name the trajectbegeleider; the newcomer follows into that caseload.
    let c = app.post("/v1/inburgeringscontracten").bearer(&admin(&app)).json(&body).send().await.expect(201);
    assert_eq!(c["trajectbegeleider"], "tb-2");
    let t2 = tb(&app, "tb-2");
    assert_eq!(app.get(&path_of(&p["self"])).bearer(&t2).send().await.expect(200)["trajectbegeleider"], "tb-2");
    let path = path_of(&c["self"]);

    // Reassigning: the current trajectbegeleider or an admin, with If-Match honoured.
    app.patch(&path)
        .bearer(&t1)
        .json(&json!({ "trajectbegeleider": "tb-1" }))
        .send()
        .await
        .problem(404, "belgif:resourceNotFound");
    app.patch(&path)
        .bearer(&burger(&app, 1))
        .json(&json!({ "trajectbegeleider": "tb-1" }))
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    app.patch(&path)
        .bearer(&t2)
        .header("If-Match", "\"7\"")
        .json(&json!({ "trajectbegeleider": "tb-1" }))
        .send()
        .await
        .problem(412, "pnt:preconditionFailed");
    let p400 = app
        .patch(&path)
        .bearer(&t2)
        .json(&json!({ "trajectbegeleider": "tb-1", "status": "voltooid" }))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["status"]);
    let res = app
        .patch(&path)
        .bearer(&t2)
        .header("If-Match", "\"1\"")
        .body("application/merge-patch+json", json!({ "trajectbegeleider": "tb-1" }).to_string())
        .send()
        .await;
    let moved = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(moved["trajectbegeleider"], "tb-1");
    app.get(&path).bearer(&t2).send().await.problem(404, "belgif:resourceNotFound");
    assert_eq!(app.get(&path_of(&p["self"])).bearer(&t1).send().await.expect(200)["trajectbegeleider"], "tb-1");
    // Reassigning to whoever has it already changes nothing.
    let res = app.patch(&path).bearer(&admin(&app)).json(&json!({ "trajectbegeleider": "tb-1" })).send().await;
    res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
}

#[actix_web::test]
async fn progress_is_linear_over_the_term() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    // 200 of 365 days passed: 21.9 hours expected, 0 approved → behind schedule.
    let (_, achter) = persoon_met_contract(&app, &t, 1, "verplicht", true, -200, 165).await;
    let v = &achter["voortgang"];
    assert_eq!(v["verwachteUrenOpSchema"], 21.9);
    assert_eq!(v["dagenTotTermijn"], 165);
    assert_eq!(v["risico"], "achterstand");
    assert_eq!(v["resterendeUren"], 40.0);
    assert_eq!(v["percentage"], 0);
    // 30 of 365 days: 3.3 hours expected, within the 4-hour margin.
    let (_, vroeg) = persoon_met_contract(&app, &t, 2, "verplicht", true, -30, 335).await;
    assert_eq!(vroeg["voortgang"]["verwachteUrenOpSchema"], 3.3);
    assert_eq!(vroeg["voortgang"]["risico"], "opSchema");
    // The term passed.
    let (_, voorbij) = persoon_met_contract(&app, &t, 3, "verplicht", true, -400, -35).await;
    assert_eq!(voorbij["voortgang"]["risico"], "termijnVerstreken");
    assert_eq!(voorbij["voortgang"]["dagenTotTermijn"], -35);
    assert_eq!(voorbij["voortgang"]["verwachteUrenOpSchema"], 40.0);

    // The progress document is the contract's voortgang with its own links; the newcomer
    // reads it too.
    let doc =
        app.get(&format!("{}/voortgang", path_of(&achter["self"]))).bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(doc["contract"], achter["self"]);
    assert_eq!(doc["self"], format!("{}/voortgang", achter["self"].as_str().unwrap()));
    let mut zonder_links = doc.as_object().unwrap().clone();
    zonder_links.remove("self");
    zonder_links.remove("contract");
    assert_eq!(Value::Object(zonder_links), achter["voortgang"]);
}

/// Six contracts over two trajectbegeleiders and two municipalities.
async fn werklijst(app: &TestApp) -> Vec<Value> {
    let t1 = tb(app, "tb-1");
    let mut out = Vec::new();
    // (n, statuut, pnt, signed, end, gemeente)
    let specs = [
        (1, "verplicht", true, -200, 165, GEEL),    // achterstand
        (2, "verplicht", true, -2, 40, GEEL),       // opSchema, ends within 60 days
        (3, "verplicht", true, -400, -5, GENT),     // termijnVerstreken
        (4, "rechthebbend", false, -10, 500, GEEL), // nietVereist
        (5, "rechthebbend", true, -5, 300, GENT),   // opSchema
    ];
    for (n, statuut, pnt, getekend, einde, gemeente) in specs {
        let p = registreer(app, &t1, n, json!({ "statuut": statuut, "gemeente": gemeente })).await;
        out.push(
            teken(app, &t1, contract(p["id"].as_i64().unwrap(), getekend, einde, json!({ "opgenomen": pnt }))).await,
        );
    }
    let (_, other) = persoon_met_contract(app, &tb(app, "tb-2"), 6, "verplicht", true, -200, 10).await;
    out.push(other);
    out
}

fn hrefs(page: &Value) -> Vec<String> {
    page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["inburgeraar"]["achternaam"].as_str().unwrap().trim_start_matches("Haddad-").to_string())
        .collect()
}

#[actix_web::test]
async fn worklist_filters_and_sorting() {
    let app = TestApp::spawn().await;
    let cs = werklijst(&app).await;
    let t1 = tb(&app, "tb-1");
    let get = |q: String| {
        let t = t1.clone();
        let app = &app;
        async move { app.get(&format!("/v1/inburgeringscontracten?{q}")).bearer(&t).send().await }
    };

    // Default: the caller's caseload by end of term.
    let page = get(String::new()).await.expect(200);
    assert_eq!(hrefs(&page), ["3", "2", "1", "5", "4"]);
    assert_eq!(hrefs(&get("trajectbegeleider=me".into()).await.expect(200)), ["3", "2", "1", "5", "4"]);
    assert_eq!(hrefs(&get("trajectbegeleider=tb-2".into()).await.expect(200)), Vec::<String>::new());
    assert_eq!(hrefs(&get("sort=-termijnEinde".into()).await.expect(200)), ["4", "5", "1", "2", "3"]);

    // Who is behind, whose term passed, whose term ends within 60 days.
    assert_eq!(hrefs(&get("risico=achterstand".into()).await.expect(200)), ["1"]);
    assert_eq!(hrefs(&get("risico=achterstand&risico=termijnVerstreken".into()).await.expect(200)), ["3", "1"]);
    assert_eq!(hrefs(&get("risico=nietVereist".into()).await.expect(200)), ["4"]);
    assert_eq!(hrefs(&get("risico=opSchema".into()).await.expect(200)), ["2", "5"]);
    let within_60 = format!("termijnVoor={}&status=lopend&status=verlengd", dag(60));
    assert_eq!(hrefs(&get(within_60).await.expect(200)), ["3", "2"]);
    assert_eq!(
        hrefs(&get(format!("termijnVoor={}&risico=opSchema", dag(60))).await.expect(200)),
        ["2"],
        "filters combine"
    );
    // Nobody's proofs wait for review yet (no proofs exist), so the filter splits all from none.
    assert_eq!(hrefs(&get("teBeoordelen=true".into()).await.expect(200)), Vec::<String>::new());
    assert_eq!(get("teBeoordelen=false".into()).await.expect(200)["total"], 5);

    // Municipality, statuut, PNT.
    assert_eq!(hrefs(&get(format!("gemeente={GENT}")).await.expect(200)), ["3", "5"]);
    assert_eq!(hrefs(&get("statuut=rechthebbend".into()).await.expect(200)), ["5", "4"]);
    assert_eq!(hrefs(&get("pntOpgenomen=false".into()).await.expect(200)), ["4"]);
    assert_eq!(hrefs(&get("status=voltooid".into()).await.expect(200)), Vec::<String>::new());

    // Percentage: contracts without the PNT have none and sort last either way.
    assert_eq!(hrefs(&get("sort=-percentage".into()).await.expect(200)), ["3", "2", "1", "5", "4"]);
    assert_eq!(hrefs(&get("sort=percentage&sort=-termijnEinde".into()).await.expect(200)), ["5", "1", "2", "3", "4"]);

    // Computed filters page after filtering, with the right total.
    let page = get("risico=opSchema&risico=achterstand&pageSize=2&page=2".into()).await.expect(200);
    assert_eq!(page["total"], 3);
    assert_eq!(hrefs(&page), ["5"]);
    assert!(page["prev"].as_str().unwrap().contains("risico=opSchema"));
    let page = get("pageSize=2&page=3".into()).await.expect(200);
    assert_eq!(page["total"], 5);
    assert_eq!(hrefs(&page), ["4"]);

    // An admin's view spans both caseloads.
    let all = app.get("/v1/inburgeringscontracten?risico=achterstand").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(hrefs(&all), ["6", "1"]);
    let theirs =
        app.get("/v1/inburgeringscontracten?trajectbegeleider=tb-2").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(theirs["items"][0]["href"], cs[5]["self"]);

    // Unknown values are refused, naming the parameter.
    for (q, name) in [
        ("risico=laat", "risico"),
        ("sort=naam", "sort"),
        ("status=lopend&status=klaar", "status"),
        ("termijnVoor=morgen", "termijnVoor"),
        ("pntOpgenomen=ja", "pntOpgenomen"),
        ("risicoo=achterstand", "risicoo"),
    ] {
        let p = get(q.into()).await.problem(400, "belgif:badRequest");
        assert_eq!(issue_names(&p), [name], "{q}");
    }
}

#[actix_web::test]
async fn a_retried_signing_with_the_same_idempotency_key_signs_once() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let body = contract(id(&p), 0, 365, json!({ "opgenomen": true }));
    let first = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .header("Idempotency-Key", "sign-7f1c")
        .json(&body)
        .send()
        .await;
    let c = first.expect(201);
    let again = app
        .post("/v1/inburgeringscontracten")
        .bearer(&t)
        .header("Idempotency-Key", "sign-7f1c")
        .json(&body)
        .send()
        .await;
    assert_eq!(again.expect(201), c);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    // Without the key, the retry is a second signing: the one-running-contract rule answers.
    app.post("/v1/inburgeringscontracten").bearer(&t).json(&body).send().await.problem(409, "pnt:duplicate");
    let all = app.get("/v1/inburgeringscontracten").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(all["total"], 1);
}

#[actix_web::test]
async fn a_trajectbegeleider_who_is_also_a_newcomer_cannot_change_their_own_contract() {
    let app = TestApp::spawn().await;
    let (_, c) = persoon_met_contract(&app, &tb(&app, "tb-1"), 1, "verplicht", true, 0, 365).await;
    let both = app.token_for(pnt_api::auth::TokenRequest {
        sub: "burger-1".into(),
        roles: vec![Role::Trajectbegeleider, Role::Inburgeraar],
        ..Default::default()
    });
    // They read it as the newcomer…
    app.get(&path_of(&c["self"])).bearer(&both).send().await.expect(200);
    // … but it is not in their caseload.
    wijzig(&app, &both, &c, json!({ "soort": "stopgezet", "reden": "Zelf beslist" }))
        .await
        .problem(404, "belgif:resourceNotFound");
}

#[actix_web::test]
async fn a_lost_race_on_a_reassignment_is_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t1, 1, "verplicht", true, 0, 365).await;
    let path = path_of(&c["self"]);
    app.lose_races_on("inburgeringscontracten").await;

    let naar = json!({ "trajectbegeleider": "tb-2" });
    app.patch(&path).bearer(&t1).json(&naar).send().await.problem(409, "pnt:conflict");
    app.patch(&path).bearer(&t1).header("If-Match", "\"1\"").json(&naar).send().await.problem(409, "pnt:conflict");
    let res = app.get(&path).bearer(&t1).send().await;
    assert_eq!(res.expect(200)["trajectbegeleider"], "tb-1");
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    // The newcomer did not move either, and nothing was logged as reassigned.
    assert_eq!(app.get(&path_of(&p["self"])).bearer(&t1).send().await.expect(200)["trajectbegeleider"], "tb-1");
    let log = audit(&app, "resourceType=inburgeringscontract&actie=trajectbegeleiderGewijzigd").await;
    assert!(log.is_empty(), "{log:?}");
}

/// The PNT exists since 2023-01-01: a contract signed before cannot include it.
#[actix_web::test]
async fn a_contract_signed_before_2023_cannot_include_the_pnt() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let p = registreer(&app, &t, 1, json!({})).await;
    let body = |datum: &str, pnt: Value| json!({ "inburgeraar": id(&p), "ondertekendOp": datum, "termijnEinde": "2024-06-30", "pnt": pnt });
    let post = |b: Value| app.post("/v1/inburgeringscontracten").bearer(&t).json(&b).send();
    let p400 = post(body("2022-12-31", json!({ "opgenomen": true }))).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.opgenomen"]);
    let p400 = post(body("2022-12-31", json!({ "opgenomen": false, "vrijstelling": vrijstelling_werk() })))
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p400), ["pnt.vrijstelling"]);
    // Before 2023 a verplicht newcomer's contract simply has no PNT, and it cannot be added.
    let c = post(body("2022-12-31", json!({ "opgenomen": false }))).await.expect(201);
    assert_eq!(c["pnt"]["opgenomen"], false);
    let r = registreer(&app, &t, 3, json!({ "statuut": "rechthebbend" })).await;
    let c = teken(
        &app,
        &t,
        json!({ "inburgeraar": id(&r), "ondertekendOp": "2022-12-31", "termijnEinde": "2024-06-30",
                                   "pnt": { "opgenomen": false } }),
    )
    .await;
    let p = wijzig(&app, &t, &c, json!({ "soort": "pntToegevoegd" })).await.problem(409, "pnt:invalidContractChange");
    assert!(p["detail"].as_str().unwrap().contains("2023-01-01"), "{p}");
    // Accepted boundary: signed on 2023-01-01, the PNT included.
    let p2 = registreer(&app, &t, 2, json!({})).await;
    let c = post(json!({ "inburgeraar": id(&p2), "ondertekendOp": "2023-01-01", "termijnEinde": "2024-06-30",
                         "pnt": { "opgenomen": true } }))
    .await
    .expect(201);
    assert_eq!(c["pnt"]["opgenomen"], true);
}

/// Risk is computed only for running contracts: a stopped contract whose term passed is not
/// `termijnVerstreken` (monitoring does not count it either) but shows `stopgezet`.
#[actix_web::test]
async fn worklist_risk_only_for_running_contracts() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, lopend) = persoon_met_contract(&app, &t, 1, "verplicht", true, -400, -5).await;
    let (_, gestopt) = persoon_met_contract(&app, &t, 2, "verplicht", true, -400, -5).await;
    wijzig(&app, &t, &gestopt, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    let get = |q: &str| app.get(&format!("/v1/inburgeringscontracten?{q}")).bearer(&t).send();
    assert_eq!(hrefs(&get("risico=termijnVerstreken").await.expect(200)), ["1"]);
    assert_eq!(hrefs(&get("risico=stopgezet").await.expect(200)), ["2"]);
    assert_eq!(hrefs(&get("risico=voltooid").await.expect(200)), Vec::<String>::new());
    let doc = app.get(&path_of(&gestopt["self"])).bearer(&t).send().await.expect(200);
    assert_eq!(doc["voortgang"]["risico"], "stopgezet");
    let doc = app.get(&path_of(&lopend["self"])).bearer(&t).send().await.expect(200);
    assert_eq!(doc["voortgang"]["risico"], "termijnVerstreken");
}
