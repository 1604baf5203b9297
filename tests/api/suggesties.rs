//! Suggestions: the documented score on a small fixture around Geel — order, reasons,
//! distances, free places, exclusions — and who may ask.

use serde_json::{Value, json};

use crate::doorverwijzingen::*;
use crate::helpers::*;
use crate::inburgering::*;
use crate::organisaties::{aanbieder, create_organisatie};

/// Geel's centroid in the reference data.
const GEEL_PUNT: (f64, f64) = (51.16649, 4.98475);

fn reden(s: &Value, criterium: &str) -> (f64, String) {
    let r = s["redenen"].as_array().unwrap().iter().find(|r| r["criterium"] == criterium).unwrap();
    (r["punten"].as_f64().unwrap(), r["toelichting"].as_str().unwrap().to_string())
}

#[actix_web::test]
async fn suggestions_are_ranked_by_the_documented_score() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    let in_geel = json!({"lat": GEEL_PUNT.0, "lon": GEEL_PUNT.1});
    // A: buddy project at home, Arabic support, 2 places, in a group: 30 + 15 + 15 + 15 + 15.
    let a = publiceer(
        &app,
        aanbod_body(
            org,
            GEEL,
            "A buddy",
            json!({
        "locatie": in_geel, "ondersteuningstalen": ["ar"], "capaciteit": 2}),
        ),
    )
    .await;
    // B: a praattafel at home; the newcomer already started one: 30 + 15 + 15 + 0 + 15.
    let b = publiceer(
        &app,
        aanbod_body(
            org,
            GEEL,
            "B praattafel",
            json!({
        "aanbodtype": "praattafel", "locatie": in_geel, "ondersteuningstalen": ["ar", "en"]}),
        ),
    )
    .await;
    // C: volunteering in Herentals (~11 km), English only, full: 16.8 + 0 + 0 + 15 + 15.
    let c = publiceer(
        &app,
        aanbod_body(
            org,
            HERENTALS,
            "C vrijwilligerswerk",
            json!({
        "aanbodtype": "vrijwilligerswerk", "ondersteuningstalen": ["en"], "capaciteit": 1}),
        ),
    )
    .await;
    // D: an internship in Turnhout (~18 km), Arabic, no limit: ~8 + 15 + 15 + 15 + 15.
    let d = publiceer(
        &app,
        aanbod_body(
            org,
            TURNHOUT,
            "D stage",
            json!({
        "aanbodtype": "kennismakingsstage", "ondersteuningstalen": ["ar"]}),
        ),
    )
    .await;
    // E (issue 14): an individual internship at home, not in a group, no support language: it
    // meets the two conditions (R11), so it is suggested; `inGroep` only scores (R13b):
    // 30 + 0 + 15 + 15 + 0.
    let e = publiceer(
        &app,
        aanbod_body(
            org,
            GEEL,
            "Alleen",
            json!({"aanbodtype": "kennismakingsstage", "inGroep": false, "locatie": in_geel}),
        ),
    )
    .await;
    // Not suggested: outside a Dutch-speaking context (fails R11), far away, a draft, ended, and
    // the praattafel the newcomer is already doing.
    publiceer(
        &app,
        aanbod_body(org, GEEL, "Franstalig", json!({"nederlandstaligeContext": false, "locatie": in_geel})),
    )
    .await;
    publiceer(&app, aanbod_body(org, "34022", "Kortrijk", json!({}))).await;
    app.post("/v1/aanbod")
        .bearer(&admin(&app))
        .json(&aanbod_body(org, GEEL, "Concept", json!({})))
        .send()
        .await
        .expect(201);
    publiceer(&app, aanbod_body(org, GEEL, "Voorbij", json!({"periode": {"van": dag(-200), "tot": dag(-1)}}))).await;
    let gedaan =
        publiceer(&app, aanbod_body(org, GEEL, "Praattafel die loopt", json!({"aanbodtype": "praattafel"}))).await;

    let contract = contract_van(&app, &t, 1).await;
    let d_gedaan = id(&verwijs(&app, &t, contract, gedaan).await.expect(201));
    zet_status(&app, &t, d_gedaan, json!({"status": "gestart"})).await.expect(200);
    // Someone else takes C's only place.
    let ander = contract_van(&app, &t, 2).await;
    verwijs(&app, &t, ander, c).await.expect(201);

    let res = app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties")).bearer(&t).send().await;
    let page = res.expect(200);
    let items = page["items"].as_array().unwrap();
    let ids: Vec<i64> = items.iter().map(id).collect();
    assert_eq!(ids, [a, b, d, e, c], "{page}");
    assert_eq!(page["total"], 5);

    let (sa, sb, sd, se, sc) = (&items[0], &items[1], &items[2], &items[3], &items[4]);
    assert_eq!(sa["score"], 90.0);
    assert_eq!(sa["afstandKm"], 0.0);
    assert_eq!(sa["vrijePlaatsen"], 2);
    assert_eq!(sa["capaciteit"], 2);
    assert_eq!(sa["href"], format!("http://localhost:8080/v1/aanbod/{a}"));
    assert_eq!(sa["redenen"].as_array().unwrap().len(), 7);
    assert_eq!(reden(sa, "inGroep").0, 15.0);
    assert_eq!(reden(sa, "buitenEigenKring"), (0.0, "not declared: meets people outside one's own circle".to_string()));
    assert!(reden(sa, "taal").1.contains("(ar)"));
    assert_eq!(sb["score"], 75.0);
    assert_eq!(reden(sb, "nieuwType"), (0.0, "already did a praattafel".to_string()));
    assert!(sb.get("vrijePlaatsen").is_none(), "no capacity limit");
    assert_eq!(reden(sb, "vrijePlaatsen").1, "no capacity limit");

    let km_c = sc["afstandKm"].as_f64().unwrap();
    assert!((10.5..11.5).contains(&km_c), "{km_c}");
    assert_eq!(sc["vrijePlaatsen"], 0);
    assert_eq!(reden(sc, "vrijePlaatsen").0, 0.0);
    assert!(reden(sc, "vrijePlaatsen").1.contains("waiting list"));
    assert_eq!(reden(sc, "taal").0, 0.0);
    assert_eq!(reden(sc, "nieuwType").0, 15.0);
    let afstand_c = reden(sc, "afstand").0;
    assert!((afstand_c - 30.0 * (1.0 - km_c / 25.0)).abs() < 0.15, "{afstand_c} for {km_c} km");
    assert_eq!(sc["score"].as_f64().unwrap(), ((afstand_c + 30.0) * 10.0).round() / 10.0);
    assert_eq!(se["score"], 60.0);
    assert_eq!(reden(se, "inGroep"), (0.0, "not declared: in a pair or a group".to_string()));

    let km_d = sd["afstandKm"].as_f64().unwrap();
    assert!((17.5..19.5).contains(&km_d), "{km_d}");
    let score_d = sd["score"].as_f64().unwrap();
    assert!(score_d > 60.0 && score_d < 75.0, "{score_d}");
    for s in items {
        let som: f64 = s["redenen"].as_array().unwrap().iter().map(|r| r["punten"].as_f64().unwrap()).sum();
        assert!((som - s["score"].as_f64().unwrap()).abs() < 0.05, "the score is the sum of its reasons: {s}");
    }

    // Paging and filters.
    let p1 = app
        .get(&format!("/v1/inburgeringscontracten/{contract}/suggesties?pageSize=2"))
        .bearer(&t)
        .send()
        .await
        .expect(200);
    assert_eq!(p1["items"].as_array().unwrap().iter().map(id).collect::<Vec<_>>(), [a, b]);
    assert!(p1["next"].as_str().unwrap().contains("page=2"));
    let p2 = app.get(&path_of(&p1["next"])).bearer(&t).send().await.expect(200);
    assert_eq!(p2["items"].as_array().unwrap().iter().map(id).collect::<Vec<_>>(), [d, e]);
    let dichtbij = app
        .get(&format!("/v1/inburgeringscontracten/{contract}/suggesties?maxAfstandKm=15&aanbodtype=vrijwilligerswerk&aanbodtype=buddyproject"))
        .bearer(&t)
        .send()
        .await
        .expect(200);
    assert_eq!(dichtbij["items"].as_array().unwrap().iter().map(id).collect::<Vec<_>>(), [a, c]);
    // Within 15 km the distance points scale to the smaller radius.
    let c15 = &dichtbij["items"][1];
    // km_c is rounded to 0.1 km: 0.05 km is 0.13 points at this radius.
    assert!((reden(c15, "afstand").0 - 30.0 * (1.0 - km_c / 15.0)).abs() < 0.2);
    let p = app
        .get(&format!("/v1/inburgeringscontracten/{contract}/suggesties?maxAfstandKm=0"))
        .bearer(&t)
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["maxAfstandKm"]);

    // Once referred, an offer is no longer suggested.
    let d_a = id(&verwijs(&app, &t, contract, a).await.expect(201));
    zet_status(&app, &t, d_a, json!({"status": "gestart"})).await.expect(200);
    let na = app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties")).bearer(&t).send().await.expect(200);
    assert_eq!(na["items"].as_array().unwrap().iter().map(id).collect::<Vec<_>>(), [b, d, e, c]);

    // Visibility is the contract's: its trajectbegeleider, an admin, the newcomer; else 404/403.
    app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties")).bearer(&admin(&app)).send().await.expect(200);
    app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties"))
        .bearer(&burger(&app, 1))
        .send()
        .await
        .expect(200);
    app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties"))
        .bearer(&tb(&app, "tb-2"))
        .send()
        .await
        .problem(404, "resourceNotFound");
    app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties"))
        .bearer(&burger(&app, 2))
        .send()
        .await
        .problem(404, "resourceNotFound");
    for token in [lokaal_bestuur(&app, &[GEEL]), aanbieder(&app, "o", org), netwerkcoordinator(&app, "nc", "REFREG03")]
    {
        app.get(&format!("/v1/inburgeringscontracten/{contract}/suggesties"))
            .bearer(&token)
            .send()
            .await
            .problem(403, "missingPermission");
    }
    let entries = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={contract}&actor=tb-1")).await;
    assert!(entries.iter().any(|e| e["details"]["onderdeel"] == "suggesties"), "{entries:?}");
}

#[actix_web::test]
async fn a_dutch_speaker_needs_no_support_language() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    let x = publiceer(&app, aanbod_body(org, GEEL, "Zonder ondersteuning", json!({}))).await;
    let p = registreer(&app, &t, 1, json!({"contacttaal": "nl"})).await;
    let c = teken(&app, &t, contract(id(&p), -10, 355, json!({"opgenomen": true}))).await;
    let page = app.get(&format!("{}/suggesties", path_of(&c["self"]))).bearer(&t).send().await.expect(200);
    assert_eq!(page["items"][0]["id"], x);
    assert_eq!(reden(&page["items"][0], "taal").0, 15.0);
}

#[actix_web::test]
async fn types_done_on_a_proof_count_as_done() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Vrijwilligerspunt Kempen", GEEL).await;
    publiceer(&app, aanbod_body(org, GEEL, "Buddy", json!({}))).await;
    let contract = contract_van(&app, &t, 1).await;
    let nieuw_type = |page: &Value| reden(&page["items"][0], "nieuwType").0;
    let path = format!("/v1/inburgeringscontracten/{contract}/suggesties");
    assert_eq!(nieuw_type(&app.get(&path).bearer(&t).send().await.expect(200)), 15.0);
    // Hours of a buddy project on a proof, without any referral.
    let proof = json!({
        "contract": contract, "activiteit": "Buddy bij de buren", "aanbodtype": "buddyproject",
        "organisatieNaam": "Buurtwerk", "contactpersoon": {"naam": "Jan"},
        "prestaties": [{"datum": dag(-2), "uren": 2}]
    });
    app.post("/v1/deelnamebewijzen").bearer(&t).json(&proof).send().await.expect(201);
    assert_eq!(nieuw_type(&app.get(&path).bearer(&t).send().await.expect(200)), 0.0);
}
