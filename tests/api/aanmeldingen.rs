//! Self-registration (issue 14): a newcomer registers for a published offer with their own
//! running contract that includes the PNT, under the same capacity and waiting-list rules; their
//! trajectbegeleider finds it in a worklist, the offer's aanbieder in its reduced view; the
//! newcomer cancels it. Refused: someone else's contract, an unpublished offer, a contract
//! without the PNT or no longer running.

use serde_json::{Value, json};

use crate::doorverwijzingen::{aanbod_body, contract_van, id, publiceer, verwijs, zet_status};
use crate::helpers::*;
use crate::inburgering::*;
use crate::organisaties::{aanbieder, create_organisatie};

async fn lijst(app: &TestApp, token: &str, query: &str) -> Value {
    app.get(&format!("/v1/doorverwijzingen?{query}")).bearer(token).send().await.expect(200)
}

#[actix_web::test]
async fn a_newcomer_registers_for_an_offer_with_their_own_contract() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 1}))).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let (b1, b2) = (burger(&app, 1), burger(&app, 2));

    // The newcomer registers: the one place is theirs.
    let res = verwijs(&app, &b1, c1, aanbod).await;
    let d1 = res.expect(201);
    assert_eq!(res.header("location").unwrap(), d1["self"].as_str().unwrap());
    assert_eq!(d1["status"], "voorgesteld");
    assert_eq!(d1["aangemeldDoor"], "inburgeraar");
    assert_eq!(d1["weergave"], "volledig");
    assert_eq!(d1["contract"]["id"], c1);
    // Once: a second registration to the same offer is a duplicate.
    let p = verwijs(&app, &b1, c1, aanbod).await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], d1["self"]);
    // The next newcomer finds the offer full: the waiting list, as for a trajectbegeleider's
    // referral.
    let d2 = verwijs(&app, &b2, c2, aanbod).await.expect(201);
    assert_eq!(d2["status"], "wachtlijst");
    assert_eq!(d2["wachtlijstPositie"], 1);
    assert_eq!(d2["aangemeldDoor"], "inburgeraar");

    // They see it among their contract's referrals, and only their own.
    let eigen = lijst(&app, &b1, &format!("contract={c1}")).await;
    assert_eq!(eigen["total"], 1);
    assert_eq!(eigen["items"][0]["id"], d1["id"]);
    assert_eq!(lijst(&app, &b1, &format!("contract={c2}")).await["total"], 0);
    assert_eq!(lijst(&app, &b1, "").await["total"], 1);

    // The trajectbegeleider's worklist of self-registrations.
    let tb_verwijzing = {
        let c3 = contract_van(&app, &t, 3).await;
        let ander = publiceer(&app, aanbod_body(org, GEEL, "Praatcafé", json!({"aanbodtype": "praattafel"}))).await;
        verwijs(&app, &t, c3, ander).await.expect(201)
    };
    assert_eq!(tb_verwijzing["aangemeldDoor"], "trajectbegeleider");
    let zelf = lijst(&app, &t, "aangemeldDoor=inburgeraar").await;
    let ids: Vec<_> = zelf["items"].as_array().unwrap().iter().map(id).collect();
    assert_eq!(ids, [id(&d1), id(&d2)]);
    let door_tb = lijst(&app, &t, "aangemeldDoor=trajectbegeleider").await;
    assert_eq!(door_tb["total"], 1);
    assert_eq!(door_tb["items"][0]["id"], tb_verwijzing["id"]);
    assert_eq!(lijst(&app, &t, "aangemeldDoor=inburgeraar&aangemeldDoor=trajectbegeleider").await["total"], 3);
    app.get("/v1/doorverwijzingen?aangemeldDoor=zelf").bearer(&t).send().await.problem(400, "badRequest");
    // Another trajectbegeleider sees none of them.
    assert_eq!(lijst(&app, &tb(&app, "tb-2"), "aangemeldDoor=inburgeraar").await["total"], 0);

    // The offer's aanbieder: the reduced view, as for every referral.
    let a = aanbieder(&app, "buddy-user", org);
    let v = app.get(&format!("/v1/doorverwijzingen/{}", id(&d1))).bearer(&a).send().await.expect(200);
    assert_eq!(v["weergave"], "aanbieder");
    assert_eq!(v["aangemeldDoor"], "inburgeraar");
    assert!(v.get("contract").is_none() && v.get("trajectbegeleider").is_none(), "{v}");
    assert_eq!(v["inburgeraar"], json!({"voornaam": "Amina", "achternaam": "Haddad-1", "contacttaal": "ar"}));

    // The registration is audited and announced as any referral.
    let entries = audit(&app, &format!("resourceType=doorverwijzing&resourceId={}", id(&d1))).await;
    assert!(entries.iter().any(|e| e["actie"] == "create" && e["actor"] == "burger-1"), "{entries:?}");
}

#[actix_web::test]
async fn a_newcomer_cancels_their_own_registration() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({"capaciteit": 1}))).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let (b1, b2) = (burger(&app, 1), burger(&app, 2));
    let d1 = id(&verwijs(&app, &b1, c1, aanbod).await.expect(201));
    let d2 = id(&verwijs(&app, &b2, c2, aanbod).await.expect(201));

    // Not someone else's, and nothing but cancelling.
    zet_status(&app, &b2, d1, json!({"status": "afgebroken"})).await.problem(404, "resourceNotFound");
    zet_status(&app, &b1, d1, json!({"status": "gestart"})).await.problem(403, "missingPermission");
    app.patch(&format!("/v1/doorverwijzingen/{d1}"))
        .bearer(&b1)
        .body("application/merge-patch+json", r#"{"warmeOverdracht": true}"#)
        .send()
        .await
        .problem(403, "missingPermission");
    // Cancelling needs no reason; the freed place goes to the first in line.
    let res = app
        .post(&format!("/v1/doorverwijzingen/{d1}/status"))
        .bearer(&b1)
        .header("If-Match", "\"1\"")
        .json(&json!({"status": "afgebroken"}))
        .send()
        .await;
    let v = res.expect(200);
    assert_eq!(v["status"], "afgebroken");
    assert_eq!(v["redenAfgebroken"], "Aanmelding geannuleerd door de inburgeraar");
    let v2 = app.get(&format!("/v1/doorverwijzingen/{d2}")).bearer(&b2).send().await.expect(200);
    assert_eq!(v2["status"], "voorgesteld");
    // Once started, it is the trajectbegeleider's to end.
    zet_status(&app, &aanbieder(&app, "buddy-user", org), d2, json!({"status": "gestart"})).await.expect(200);
    let p = zet_status(&app, &b2, d2, json!({"status": "afgebroken", "reden": "Geen tijd"}))
        .await
        .problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("before it started"), "{p}");

    // A referral their trajectbegeleider made, the newcomer reads but does not cancel.
    let ander = publiceer(&app, aanbod_body(org, GEEL, "Praatcafé", json!({"aanbodtype": "praattafel"}))).await;
    let d3 = id(&verwijs(&app, &t, c1, ander).await.expect(201));
    zet_status(&app, &b1, d3, json!({"status": "afgebroken", "reden": "x"})).await.problem(403, "missingPermission");
    // The trajectbegeleider can break off a self-registration as any other.
    let d4 = id(&verwijs(&app, &b1, c1, aanbod).await.expect(201));
    zet_status(&app, &t, d4, json!({"status": "afgebroken", "reden": "Past niet"})).await.expect(200);
}

#[actix_web::test]
async fn what_a_newcomer_cannot_register_with() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let org = create_organisatie(&app, "Buddywerking Geel", GEEL).await;
    let aanbod = publiceer(&app, aanbod_body(org, GEEL, "Samen Geel", json!({}))).await;
    let c1 = contract_van(&app, &t, 1).await;
    let c2 = contract_van(&app, &t, 2).await;
    let b1 = burger(&app, 1);

    // Someone else's contract: 404, whether or not it exists.
    let p = verwijs(&app, &b1, c2, aanbod).await.problem(404, "resourceNotFound");
    assert!(p["detail"].as_str().unwrap().contains(&c2.to_string()), "{p}");
    verwijs(&app, &b1, 999_999, aanbod).await.problem(404, "resourceNotFound");
    // An offer that is not published.
    let concept = app
        .post("/v1/aanbod")
        .bearer(&admin(&app))
        .json(&aanbod_body(org, GEEL, "Nog niet klaar", json!({})))
        .send()
        .await
        .expect(201);
    let p = verwijs(&app, &b1, c1, id(&concept)).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["aanbod"]);
    // The warm handover and a companion are the trajectbegeleider's.
    let p = app
        .post("/v1/doorverwijzingen")
        .bearer(&b1)
        .json(&json!({"contract": c1, "aanbod": aanbod, "toeleider": {"naam": "Mijn buurvrouw"}}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["warmeOverdracht"]);
    // A contract without the PNT.
    let (_, zonder) = persoon_met_contract(&app, &t, 3, "rechthebbend", false, -10, 355).await;
    let p = verwijs(&app, &burger(&app, 3), id(&zonder), aanbod).await.problem(409, "pnt:contractZonderPnt");
    assert!(p["detail"].as_str().unwrap().contains("participatie"), "{p}");
    // A contract that no longer runs.
    let c = app.get(&format!("/v1/inburgeringscontracten/{c1}")).bearer(&t).send().await.expect(200);
    wijzig(&app, &t, &c, json!({"soort": "stopgezet", "reden": "Verhuisd"})).await.expect(201);
    verwijs(&app, &b1, c1, aanbod).await.problem(409, "pnt:conflict");
    // Roles without referrals.
    verwijs(&app, &lokaal_bestuur(&app, &[GEEL]), c2, aanbod).await.problem(403, "missingPermission");
    // Nothing was registered along the way.
    assert_eq!(lijst(&app, &admin(&app), "aangemeldDoor=inburgeraar").await["total"], 0);
}
