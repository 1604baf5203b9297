//! Referrals: who refers and who sees what, the state machine, capacity and the waiting list
//! (order, promotion, concurrent referrals without over-booking), the aanbieder's reduced view.

#![allow(dead_code)]

use pnt_api::auth::{Role, TokenRequest};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;
use crate::organisaties::{aanbieder, create_organisatie};

pub const HERENTALS: &str = "13011";
pub const MOL: &str = "13025";
pub const TURNHOUT: &str = "13040";

pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

/// An offer body that qualifies for the PNT, with `patch` applied.
pub fn aanbod_body(organisatie: i64, gemeente: &str, titel: &str, patch: Value) -> Value {
    let mut v = json!({
        "titel": {"nl": titel},
        "beschrijving": {"nl": format!("{titel}: samen met Nederlandstaligen")},
        "aanbodtype": "buddyproject",
        "organisatie": organisatie,
        "gemeente": gemeente,
        "nederlandstaligeContext": true,
        "socialeParticipatie": true,
        "inGroep": true
    });
    for (k, val) in patch.as_object().unwrap() {
        v[k] = val.clone();
    }
    v
}

/// Creates and publishes an offer as admin; returns its id.
pub async fn publiceer(app: &TestApp, body: Value) -> i64 {
    let a = admin(app);
    let id = app.post("/v1/aanbod").bearer(&a).json(&body).send().await.expect(201)["id"].as_i64().unwrap();
    for status in ["ingediend", "gepubliceerd"] {
        app.post(&format!("/v1/aanbod/{id}/status"))
            .bearer(&a)
            .json(&json!({"status": status}))
            .send()
            .await
            .expect(200);
    }
    id
}

/// Newcomer `n` (in Geel, contact language Arabic) with a running contract with the PNT,
/// signed 10 days ago; returns the contract id.
pub async fn contract_van(app: &TestApp, token: &str, n: u32) -> i64 {
    let (_, c) = persoon_met_contract(app, token, n, "verplicht", true, -10, 355).await;
    id(&c)
}

pub async fn verwijs(app: &TestApp, token: &str, contract: i64, aanbod: i64) -> Res {
    app.post("/v1/doorverwijzingen").bearer(token).json(&json!({"contract": contract, "aanbod": aanbod})).send().await
}

pub async fn zet_status(app: &TestApp, token: &str, id: i64, body: Value) -> Res {
    app.post(&format!("/v1/doorverwijzingen/{id}/status")).bearer(token).json(&body).send().await
}

pub fn netwerkcoordinator(app: &TestApp, sub: &str, regio: &str) -> String {
    app.token_for(TokenRequest {
        sub: sub.into(),
        roles: vec![Role::Netwerkcoordinator],
        regio: Some(regio.into()),
        ..Default::default()
    })
}

/// The waiting list of an offer, in order: (referral id, position).
async fn wachtlijst(app: &TestApp, aanbod: i64) -> Vec<(i64, i64)> {
    let page = app
        .get(&format!("/v1/doorverwijzingen?aanbod={aanbod}&status=wachtlijst&pageSize=200"))
        .bearer(&admin(app))
        .send()
        .await
        .expect(200);
    page["items"].as_array().unwrap().iter().map(|i| (id(i), i["wachtlijstPositie"].as_i64().unwrap())).collect()
}

async fn status_van(app: &TestApp, id: i64) -> String {
    let d = app.get(&format!("/v1/doorverwijzingen/{id}")).bearer(&admin(app)).send().await.expect(200);
    d["status"].as_str().unwrap().to_string()
}

#[actix_web::test]
async fn a_trajectbegeleider_refers_a_newcomer_with_a_warm_handover() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 5}))).await;
    let contract = contract_van(&app, &t, 1).await;
    let body = json!({
        "contract": contract, "aanbod": aanbod, "warmeOverdracht": true,
        "warmeOverdrachtNotitie": "Komt graag met haar buurvrouw.",
        "toeleider": {"naam": "Youssef (brugfiguur)", "contact": "+32 470 98 76 54"}
    });
    let res = app.post("/v1/doorverwijzingen").bearer(&t).json(&body).send().await;
    let d = res.expect(201);
    assert_eq!(res.header("location").unwrap(), d["self"].as_str().unwrap());
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(d["status"], "voorgesteld");
    assert_eq!(d["weergave"], "volledig");
    assert_eq!(d["contract"]["id"], contract);
    assert_eq!(d["inburgeraar"]["voornaam"], "Amina");
    assert_eq!(d["inburgeraar"]["contacttaal"], "ar");
    assert!(d["inburgeraar"]["id"].is_i64());
    assert_eq!(d["trajectbegeleider"], "tb-1");
    assert_eq!(d["aanbod"]["titel"], "Samen Geel");
    assert_eq!(d["warmeOverdracht"], true);
    assert_eq!(d["toeleider"], json!({"naam": "Youssef (brugfiguur)", "contact": "+32 470 98 76 54"}));
    assert!(d["plaatsToegekendOp"].is_string());
    assert!(d.get("wachtlijstPositie").is_none());

    // One referral in progress per contract and offer.
    let p = verwijs(&app, &t, contract, aanbod).await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], d["self"]);
    // A note without a warm handover makes no sense.
    let p = app
        .post("/v1/doorverwijzingen")
        .bearer(&t)
        .json(&json!({"contract": contract, "aanbod": aanbod, "warmeOverdrachtNotitie": "x"}))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["warmeOverdrachtNotitie"]);
    let p = app
        .post("/v1/doorverwijzingen")
        .bearer(&t)
        .json(&json!({"contract": contract, "aanbod": aanbod, "wachtlijstPositie": 1}))
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:unknownInput", "{p}");
    // Only published offers.
    let concept = app
        .post("/v1/aanbod")
        .bearer(&admin(&app))
        .json(&aanbod_body(org, GEEL, "Nog niet klaar", json!({})))
        .send()
        .await
        .expect(201);
    let p = verwijs(&app, &t, contract, id(&concept)).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["aanbod"]);
    // Another trajectbegeleider's contract is not theirs to refer.
    let p = verwijs(&app, &tb(&app, "tb-2"), contract, aanbod).await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["contract"]);
    // Only trajectbegeleiders and admins refer; a newcomer registers only themselves (issue 14:
    // the newcomer's own contract used to be 403 here, it is now a self-registration, refused
    // as a duplicate of the referral in progress; someone else's contract is 404 to them).
    for token in
        [lokaal_bestuur(&app, &[GEEL]), aanbieder(&app, "org-user", org), netwerkcoordinator(&app, "nc", "REFREG03")]
    {
        verwijs(&app, &token, contract, aanbod).await.problem(403, "missingPermission");
    }
    verwijs(&app, &burger(&app, 1), contract, aanbod).await.problem(409, "pnt:duplicate");
    verwijs(&app, &burger(&app, 2), contract, aanbod).await.problem(404, "resourceNotFound");
    // A stopped contract gets no referrals.
    let c = app.get(&format!("/v1/inburgeringscontracten/{contract}")).bearer(&t).send().await.expect(200);
    wijzig(&app, &t, &c, json!({"soort": "stopgezet", "reden": "Verhuisd"})).await.expect(201);
    let ander = publiceer(&app, aanbod_body(org, GEEL, "Praatcafé", json!({"aanbodtype": "praattafel"}))).await;
    verwijs(&app, &t, contract, ander).await.problem(409, "pnt:conflict");
}

#[actix_web::test]
async fn who_sees_a_referral_and_how_much() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let andere_org = create_organisatie(&app, "Andere vzw", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({}))).await;
    let contract = contract_van(&app, &t, 1).await;
    let body = json!({"contract": contract, "aanbod": aanbod, "warmeOverdracht": true,
        "warmeOverdrachtNotitie": "Spreekt al wat Nederlands."});
    let d = app.post("/v1/doorverwijzingen").bearer(&t).json(&body).send().await.expect(201);
    let pad = path_of(&d["self"]);

    // The contract's trajectbegeleider, an admin and the newcomer: in full.
    for token in [t.clone(), admin(&app), burger(&app, 1)] {
        let v = app.get(&pad).bearer(&token).send().await.expect(200);
        assert_eq!(v["weergave"], "volledig");
        assert_eq!(v["contract"]["id"], contract);
    }
    // The offer's aanbieder: the newcomer's name and contact language, nothing else of them.
    let a = aanbieder(&app, "buddy-user", org);
    let v = app.get(&pad).bearer(&a).send().await.expect(200);
    assert_eq!(v["weergave"], "aanbieder");
    assert_eq!(v["inburgeraar"], json!({"voornaam": "Amina", "achternaam": "Haddad-1", "contacttaal": "ar"}));
    for veld in ["contract", "trajectbegeleider", "redenAfgebroken"] {
        assert!(v.get(veld).is_none(), "{veld} leaks to the aanbieder: {v}");
    }
    assert_eq!(v["warmeOverdrachtNotitie"], "Spreekt al wat Nederlands.", "the handover note is addressed to them");
    assert!(!v.to_string().contains("AGII-2026"), "no dossier number: {v}");
    let lijst = app.get("/v1/doorverwijzingen").bearer(&a).send().await.expect(200);
    assert_eq!(lijst["total"], 1);
    assert_eq!(lijst["items"][0]["weergave"], "aanbieder");
    assert!(lijst["items"][0].get("contract").is_none());

    // Everyone else: 404 (existence does not leak) or 403 for roles without referrals.
    app.get(&pad).bearer(&tb(&app, "tb-2")).send().await.problem(404, "resourceNotFound");
    app.get(&pad).bearer(&aanbieder(&app, "x", andere_org)).send().await.problem(404, "resourceNotFound");
    app.get(&pad).bearer(&burger(&app, 2)).send().await.problem(404, "resourceNotFound");
    for token in [lokaal_bestuur(&app, &[GEEL]), netwerkcoordinator(&app, "nc", "REFREG03")] {
        app.get(&pad).bearer(&token).send().await.problem(403, "missingPermission");
        app.get("/v1/doorverwijzingen").bearer(&token).send().await.problem(403, "missingPermission");
    }
    app.get(&pad).send().await.problem(401, "noAccessToken");
    assert_eq!(app.get("/v1/doorverwijzingen").bearer(&tb(&app, "tb-2")).send().await.expect(200)["total"], 0);

    // Reads are logged: a referral names a newcomer.
    let entries = audit(&app, &format!("resourceType=doorverwijzing&resourceId={}", id(&d))).await;
    assert!(entries.iter().any(|e| e["actie"] == "read" && e["actor"] == "buddy-user"), "{entries:?}");
    assert!(entries.iter().any(|e| e["actie"] == "create" && e["actor"] == "tb-1"));
}

#[actix_web::test]
async fn the_aanbieder_marks_started_and_the_state_machine_holds() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 1}))).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let d1 = id(&verwijs(&app, &t, c1, aanbod).await.expect(201));
    let d2 = verwijs(&app, &t, c2, aanbod).await.expect(201);
    assert_eq!(d2["status"], "wachtlijst");
    assert_eq!(d2["wachtlijstPositie"], 1);
    let a = aanbieder(&app, "buddy-user", org);

    // Not from the waiting list: no place is reserved.
    zet_status(&app, &t, id(&d2), json!({"status": "gestart"})).await.problem(409, "pnt:invalidTransition");
    // Nobody sets voorgesteld or wachtlijst by hand.
    let p = zet_status(&app, &t, d1, json!({"status": "wachtlijst"})).await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("the API sets"), "{p}");
    // Not in the future; If-Match is honoured.
    let p = zet_status(&app, &a, d1, json!({"status": "gestart", "datum": dag(1)})).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["datum"]);
    app.post(&format!("/v1/doorverwijzingen/{d1}/status"))
        .bearer(&a)
        .header("If-Match", "\"7\"")
        .json(&json!({"status": "gestart"}))
        .send()
        .await
        .problem(412, "preconditionFailed");
    // The aanbieder marks the start…
    let res = app
        .post(&format!("/v1/doorverwijzingen/{d1}/status"))
        .bearer(&a)
        .header("If-Match", "\"1\"")
        .json(&json!({"status": "gestart"}))
        .send()
        .await;
    let v = res.expect(200);
    assert_eq!(v["status"], "gestart");
    assert_eq!(v["gestartOp"], dag(0));
    assert_eq!(v["weergave"], "aanbieder");
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    // …but does not finish or break off, and another organisation cannot touch it.
    zet_status(&app, &a, d1, json!({"status": "afgerond"})).await.problem(403, "missingPermission");
    zet_status(&app, &a, d1, json!({"status": "afgebroken", "reden": "x"})).await.problem(403, "missingPermission");
    let andere = aanbieder(&app, "x", create_organisatie(&app, "Andere vzw", GEEL).await);
    zet_status(&app, &andere, d1, json!({"status": "gestart"})).await.problem(404, "resourceNotFound");
    // The newcomer reads, but does not change.
    zet_status(&app, &burger(&app, 1), d1, json!({"status": "afgerond"})).await.problem(403, "missingPermission");
    // Breaking off needs a reason.
    let p = zet_status(&app, &t, d1, json!({"status": "afgebroken"})).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["reden"]);
    // Finishing frees the place: the waiting referral gets it.
    let v = zet_status(&app, &t, d1, json!({"status": "afgerond"})).await.expect(200);
    assert_eq!(v["afgerondOp"], dag(0));
    assert_eq!(status_van(&app, id(&d2)).await, "voorgesteld");
    // Final is final.
    zet_status(&app, &t, d1, json!({"status": "afgebroken", "reden": "x"})).await.problem(409, "pnt:invalidTransition");
    app.patch(&format!("/v1/doorverwijzingen/{d1}"))
        .bearer(&t)
        .body("application/merge-patch+json", r#"{"warmeOverdracht": true}"#)
        .send()
        .await
        .problem(409, "pnt:invalidTransition");
    // The warm handover and companion change while in progress, by the trajectbegeleider only.
    let pad2 = format!("/v1/doorverwijzingen/{}", id(&d2));
    app.patch(&pad2)
        .bearer(&a)
        .body("application/merge-patch+json", r#"{"warmeOverdracht": true}"#)
        .send()
        .await
        .problem(403, "missingPermission");
    let v = app
        .patch(&pad2)
        .bearer(&t)
        .body("application/merge-patch+json", r#"{"toeleider": {"naam": "Youssef"}}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(v["toeleider"], json!({"naam": "Youssef"}));
    assert_eq!(v["status"], "voorgesteld");

    // Every transition is in the audit log.
    let entries = audit(&app, &format!("resourceType=doorverwijzing&resourceId={d1}&actie=status")).await;
    assert_eq!(entries.len(), 2, "{entries:?}");
}

#[actix_web::test]
async fn the_waiting_list_is_first_come_first_served() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 2}))).await;
    let mut d = Vec::new();
    for n in 1..=5 {
        let c = contract_van(&app, &t, n).await;
        d.push(verwijs(&app, &t, c, aanbod).await.expect(201));
    }
    let statussen: Vec<_> = d.iter().map(|x| x["status"].as_str().unwrap()).collect();
    assert_eq!(statussen, ["voorgesteld", "voorgesteld", "wachtlijst", "wachtlijst", "wachtlijst"]);
    let ids: Vec<i64> = d.iter().map(id).collect();
    assert_eq!(wachtlijst(&app, aanbod).await, [(ids[2], 1), (ids[3], 2), (ids[4], 3)]);

    // Leaving the waiting list frees no place; the others move up.
    zet_status(&app, &t, ids[3], json!({"status": "afgebroken", "reden": "Vond zelf een buddy"})).await.expect(200);
    assert_eq!(wachtlijst(&app, aanbod).await, [(ids[2], 1), (ids[4], 2)]);
    assert_eq!(status_van(&app, ids[0]).await, "voorgesteld");

    // A freed place goes to the first in line, in the same request.
    zet_status(&app, &t, ids[0], json!({"status": "afgebroken", "reden": "Verhuisd"})).await.expect(200);
    let eerste = app.get(&format!("/v1/doorverwijzingen/{}", ids[2])).bearer(&t).send().await.expect(200);
    assert_eq!(eerste["status"], "voorgesteld");
    assert!(eerste["plaatsToegekendOp"].is_string());
    assert_eq!(eerste["versie"], 2);
    assert_eq!(wachtlijst(&app, aanbod).await, [(ids[4], 1)]);

    // A newcomer referred now waits behind the list, even right after a place freed up.
    let c6 = contract_van(&app, &t, 6).await;
    zet_status(&app, &t, ids[1], json!({"status": "gestart"})).await.expect(200);
    zet_status(&app, &t, ids[1], json!({"status": "afgerond"})).await.expect(200);
    assert_eq!(status_van(&app, ids[4]).await, "voorgesteld", "the list had the freed place");
    let d6 = verwijs(&app, &t, c6, aanbod).await.expect(201);
    assert_eq!(d6["status"], "wachtlijst");
    assert_eq!(d6["wachtlijstPositie"], 1);

    // A waiting newcomer whose contract stopped is skipped, not promoted.
    let c7 = contract_van(&app, &t, 7).await;
    let d7 = id(&verwijs(&app, &t, c7, aanbod).await.expect(201));
    let contract6 = app.get(&format!("/v1/inburgeringscontracten/{c6}")).bearer(&t).send().await.expect(200);
    wijzig(&app, &t, &contract6, json!({"soort": "stopgezet", "reden": "Verhuisd naar Wallonië"})).await.expect(201);
    zet_status(&app, &t, ids[2], json!({"status": "afgebroken", "reden": "Ziek"})).await.expect(200);
    let v6 = app.get(&path_of(&d6["self"])).bearer(&t).send().await.expect(200);
    assert_eq!(v6["status"], "afgebroken");
    assert_eq!(v6["redenAfgebroken"], "Het inburgeringscontract loopt niet meer");
    assert_eq!(status_van(&app, d7).await, "voorgesteld");
}

#[actix_web::test]
async fn concurrent_referrals_never_overbook_an_offer() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 3}))).await;
    let mut contracten = Vec::new();
    for n in 1..=20 {
        contracten.push(contract_van(&app, &t, n).await);
    }
    // All at once: the requests interleave on the database (a pool of 4 connections on
    // actix's blocking threads), so only the database's guarantee keeps the count right.
    let antwoorden = futures_util::future::join_all(contracten.iter().map(|c| verwijs(&app, &t, *c, aanbod))).await;
    let mut voorgesteld = Vec::new();
    let mut wachtend = Vec::new();
    for r in &antwoorden {
        let d = r.expect(201);
        match d["status"].as_str().unwrap() {
            "voorgesteld" => voorgesteld.push(id(&d)),
            "wachtlijst" => wachtend.push((id(&d), d["wachtlijstPositie"].as_i64().unwrap())),
            s => panic!("unexpected status {s}"),
        }
    }
    assert_eq!(voorgesteld.len(), 3, "exactly the capacity gets a place");
    assert_eq!(wachtend.len(), 17);
    // The list is in order of referral, positions 1..=17 without gaps or doubles.
    let lijst = wachtlijst(&app, aanbod).await;
    assert_eq!(lijst.iter().map(|(_, p)| *p).collect::<Vec<_>>(), (1..=17).collect::<Vec<i64>>());
    let mut ids: Vec<i64> = lijst.iter().map(|(i, _)| *i).collect();
    let gesorteerd = {
        let mut s = ids.clone();
        s.sort();
        s
    };
    assert_eq!(ids, gesorteerd);
    ids.sort();
    let mut uit_antwoorden: Vec<i64> = wachtend.iter().map(|(i, _)| *i).collect();
    uit_antwoorden.sort();
    assert_eq!(ids, uit_antwoorden);
    // Whoever got a place was referred before everyone who waits.
    assert!(voorgesteld.iter().all(|v| *v < ids[0]), "{voorgesteld:?} vs {ids:?}");
    // The place counter agrees.
    let bezet: i32 = app
        .db(move |c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::aanbod_plaatsen;
            Ok(aanbod_plaatsen::table.find(aanbod).select(aanbod_plaatsen::bezet).first(c)?)
        })
        .await;
    assert_eq!(bezet, 3);

    // Freeing places concurrently promotes exactly as many, first in line first.
    let vrij = futures_util::future::join_all(
        voorgesteld[..2].iter().map(|d| zet_status(&app, &t, *d, json!({"status": "afgebroken", "reden": "Verhuisd"}))),
    )
    .await;
    for r in &vrij {
        r.expect(200);
    }
    let nu = wachtlijst(&app, aanbod).await;
    assert_eq!(nu.len(), 15);
    assert_eq!(nu[0].0, lijst[2].0, "the first two in line got the places");
    assert_eq!(status_van(&app, lijst[0].0).await, "voorgesteld");
    assert_eq!(status_van(&app, lijst[1].0).await, "voorgesteld");
}

#[actix_web::test]
async fn starting_a_referral_opens_the_proof_the_hours_go_on() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let contact = json!({"contactpersoon": {"naam": "An Peeters", "email": "an@buddy.be"}});
    let buddy = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", contact.clone())).await;
    let ook_buddy = publiceer(&app, aanbod_body(org, GEEL, "Samen wandelen", contact)).await;
    let zonder_contact =
        publiceer(&app, aanbod_body(org, GEEL, "Zonder contact", json!({"aanbodtype": "praattafel"}))).await;
    let contract = contract_van(&app, &t, 1).await;
    let proofs = || async {
        let page = app.get(&format!("/v1/deelnamebewijzen?contract={contract}")).bearer(&t).send().await.expect(200);
        page["items"].as_array().unwrap().clone()
    };

    let d = id(&verwijs(&app, &t, contract, buddy).await.expect(201));
    assert!(proofs().await.is_empty(), "a proposal opens nothing yet");
    zet_status(&app, &t, d, json!({"status": "gestart"})).await.expect(200);
    let open = proofs().await;
    assert_eq!(open.len(), 1);
    let proof = app
        .get(open[0]["href"].as_str().unwrap().trim_start_matches("http://localhost:8080"))
        .bearer(&t)
        .send()
        .await
        .expect(200);
    assert_eq!(proof["status"], "concept");
    assert_eq!(proof["aanbodtype"], "buddyproject");
    assert_eq!(proof["contactpersoon"]["naam"], "An Peeters");
    assert!(proof["aanbod"]["href"].as_str().unwrap().ends_with(&format!("/v1/aanbod/{buddy}")), "{proof}");

    // Another buddy project at the same organisation: the same proof (R7), not a second one.
    let d2 = id(&verwijs(&app, &t, contract, ook_buddy).await.expect(201));
    zet_status(&app, &t, d2, json!({"status": "gestart"})).await.expect(200);
    assert_eq!(proofs().await.len(), 1);

    // Without a contact person nobody can confirm the hours: no draft is opened.
    let d3 = id(&verwijs(&app, &t, contract, zonder_contact).await.expect(201));
    zet_status(&app, &t, d3, json!({"status": "gestart"})).await.expect(200);
    assert_eq!(proofs().await.len(), 1);

    // The opened proof is in the audit log, with the referral that opened it.
    let entries: Vec<String> = app
        .db(|c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::audit_log as a;
            Ok(a::table
                .filter(a::resource_type.eq("deelnamebewijs"))
                .filter(a::action.eq("create"))
                .select(a::details.assume_not_null())
                .load::<String>(c)?)
        })
        .await;
    assert_eq!(entries.len(), 1);
    assert!(entries[0].contains(&format!("\"doorverwijzing\":{d}")), "{entries:?}");
}

#[actix_web::test]
async fn raising_the_capacity_promotes_the_waiting_list_at_once() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 1}))).await;
    let mut ids = Vec::new();
    for n in 1..=3 {
        let c = contract_van(&app, &t, n).await;
        ids.push(id(&verwijs(&app, &t, c, aanbod).await.expect(201)));
    }
    assert_eq!(wachtlijst(&app, aanbod).await.len(), 2);
    app.patch(&format!("/v1/aanbod/{aanbod}"))
        .bearer(&admin(&app))
        .body("application/merge-patch+json", r#"{"capaciteit": 2}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(status_van(&app, ids[1]).await, "voorgesteld", "the first in line got the new place");
    assert_eq!(status_van(&app, ids[2]).await, "wachtlijst");
    assert_eq!(wachtlijst(&app, aanbod).await, [(ids[2], 1)]);
}

#[actix_web::test]
async fn a_lost_race_on_a_referral_is_409_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let contact = json!({"capaciteit": 1, "contactpersoon": {"naam": "An Peeters", "email": "an@buddy.be"}});
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", contact)).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let d1 = id(&verwijs(&app, &t, c1, aanbod).await.expect(201));
    let d2 = id(&verwijs(&app, &t, c2, aanbod).await.expect(201));
    let pad = format!("/v1/doorverwijzingen/{d1}");
    let voor = app.get(&pad).bearer(&t).send().await.expect(200);

    // Another writer moves every referral on between our read and our versioned write.
    app.lose_races_on("doorverwijzingen").await;
    fn with<'a>(r: Req<'a>, if_match: Option<&str>) -> Req<'a> {
        match if_match {
            Some(v) => r.header("If-Match", v),
            None => r,
        }
    }
    for if_match in [None, Some("\"1\"")] {
        let patch = with(app.patch(&pad).bearer(&t), if_match)
            .body("application/merge-patch+json", r#"{"toeleider": {"naam": "Youssef"}}"#);
        patch.send().await.problem(409, "pnt:conflict");
        for body in [json!({"status": "gestart"}), json!({"status": "afgebroken", "reden": "Verhuisd"})] {
            let status = with(app.post(&format!("{pad}/status")).bearer(&t), if_match).json(&body);
            status.send().await.problem(409, "pnt:conflict");
        }
    }

    // Nothing changed: not the referral, not the waiting list, no proof opened, nothing logged.
    assert_eq!(app.get(&pad).bearer(&t).send().await.expect(200), voor);
    assert_eq!(status_van(&app, d2).await, "wachtlijst");
    let page = app.get(&format!("/v1/deelnamebewijzen?contract={c1}")).bearer(&t).send().await.expect(200);
    assert_eq!(page["total"], 0);
    let entries = audit(&app, &format!("resourceType=doorverwijzing&resourceId={d1}")).await;
    assert!(entries.iter().all(|e| ["create", "read"].contains(&e["actie"].as_str().unwrap())), "{entries:?}");
}

#[actix_web::test]
async fn an_aanbieder_lists_logs_and_counts_the_same_referrals() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let andere_org = create_organisatie(&app, "Andere vzw", GEEL).await;
    let eigen = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({}))).await;
    let ook_eigen = publiceer(&app, aanbod_body(org, GEEL, "Praatcafé", json!({"aanbodtype": "praattafel"}))).await;
    let ander = publiceer(&app, aanbod_body(andere_org, GEEL, "Elders", json!({}))).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let mut van_org = vec![
        id(&verwijs(&app, &t, c1, eigen).await.expect(201)),
        id(&verwijs(&app, &t, c2, ook_eigen).await.expect(201)),
    ];
    verwijs(&app, &t, c1, ander).await.expect(201);

    // The organisation claim written with a leading zero names the same organisation.
    for (sub, claim) in [("org-a", org.to_string()), ("org-b", format!("0{org}"))] {
        let token = app.token_for(TokenRequest {
            sub: sub.into(),
            roles: vec![Role::Aanbieder],
            organisatie: Some(claim),
            ..Default::default()
        });
        let lijst = app.get("/v1/doorverwijzingen").bearer(&token).send().await.expect(200);
        let mut items: Vec<i64> = lijst["items"].as_array().unwrap().iter().map(id).collect();
        items.sort();
        van_org.sort();
        assert_eq!(items, van_org, "{sub}");
        assert_eq!(lijst["total"], 2, "{sub}");
        let entries = audit(&app, &format!("resourceType=doorverwijzing&actie=list&actor={sub}")).await;
        let mut gelogd: Vec<i64> = entries.iter().map(|e| e["resourceId"].as_str().unwrap().parse().unwrap()).collect();
        gelogd.sort();
        assert_eq!(gelogd, van_org, "{sub}: the log names exactly the listed referrals");
        let v = app.get(&format!("/v1/doorverwijzingen/{}", van_org[0])).bearer(&token).send().await.expect(200);
        assert_eq!(v["weergave"], "aanbieder");
    }
}
