//! The change feed (issue 16): events written with the change, in commit order, exactly once
//! under concurrent writes, without personal data, each role seeing only its own.

use std::collections::HashSet;

use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::deelnamebewijzen::*;
use crate::helpers::*;
use crate::inburgering::*;

/// Every event after `na` that `token` sees (following pages).
async fn alles(app: &TestApp, token: &str, na: &str, extra: &str) -> (Vec<Value>, String) {
    let mut items = Vec::new();
    let mut na = na.to_string();
    loop {
        let page =
            app.get(&format!("/v1/gebeurtenissen?na={na}&pageSize=3{extra}")).bearer(token).send().await.expect(200);
        let nieuw = page["items"].as_array().unwrap().clone();
        na = page["volgende"].as_str().unwrap().to_string();
        if nieuw.is_empty() {
            return (items, na);
        }
        items.extend(nieuw);
    }
}

fn types(items: &[Value]) -> Vec<String> {
    items.iter().map(|e| e["type"].as_str().unwrap().to_string()).collect()
}

#[actix_web::test]
async fn changes_become_events_in_commit_order_without_personal_data() {
    let app = TestApp::spawn().await;
    let admin = admin(&app);
    let (leeg, start) = alles(&app, &admin, "0-0", "").await;
    assert!(leeg.is_empty(), "{leeg:?}");

    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;
    post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    let b = lees(&app, &o.tb, &b).await;
    app.post(&format!("{}/ondertekening", pad(&b)))
        .bearer(&o.aanbieder)
        .json(&json!({ "naam": "An Peeters" }))
        .send()
        .await
        .expect(200);
    let b = lees(&app, &o.tb, &b).await;
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);

    let (items, _) = alles(&app, &admin, &start, "").await;
    assert_eq!(
        types(&items),
        [
            "inburgeraar.aangemaakt",
            "inburgeringscontract.aangemaakt",
            "deelnamebewijs.ingediend",
            "deelnamebewijs.ondertekend",
            "deelnamebewijs.beoordeeld"
        ]
    );
    let beoordeeld = items.last().unwrap();
    let nu = lees(&app, &o.tb, &b).await;
    assert_eq!(beoordeeld["href"], nu["self"]);
    assert_eq!(beoordeeld["versie"], nu["versie"], "the version right after the change");
    assert_eq!(beoordeeld["resource"], "deelnamebewijs");
    assert_eq!(beoordeeld["verwijzingen"]["inburgeringscontract"], o.contract["id"]);
    assert_eq!(beoordeeld["verwijzingen"]["inburgeraar"], o.persoon["id"]);
    let alles_tekst = Value::Array(items.clone()).to_string();
    for persoonlijk in ["Amina", "Haddad", "Peeters", "debrug.be", "example.be"] {
        assert!(!alles_tekst.contains(persoonlijk), "{persoonlijk} in the feed");
    }
    // Reads are no events; ids are unique and cursors strictly increase.
    lees(&app, &o.tb, &b).await;
    let (geen, _) = alles(&app, &admin, items.last().unwrap()["cursor"].as_str().unwrap(), "").await;
    assert!(geen.is_empty());
    let ids: HashSet<i64> = items.iter().map(|e| e["id"].as_i64().unwrap()).collect();
    assert_eq!(ids.len(), items.len());

    // Filter by type.
    let (alleen, _) = alles(&app, &admin, &start, "&type=deelnamebewijs.ondertekend").await;
    assert_eq!(types(&alleen), ["deelnamebewijs.ondertekend"]);
}

#[actix_web::test]
async fn each_role_sees_its_own_events() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;
    post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    // Another trajectbegeleider's newcomer.
    let tb2 = tb(&app, "tb-2");
    registreer(&app, &tb2, 2, json!({})).await;
    // An offer in Gent, published.
    let g = crate::aanbod::Gent {
        org: o.org,
        aanbieder: o.aanbieder.clone(),
        gemeente: crate::organisaties::lokaal_bestuur(&app, "lb-gent", &[GENT]),
    };
    let aanbod = crate::aanbod::published(&app, &g, &crate::aanbod::aanbod(Some(o.org), GENT, "Taalcafé")).await;

    let (tb1_items, _) = alles(&app, &o.tb, "0-0", "").await;
    assert_eq!(
        types(&tb1_items),
        ["inburgeraar.aangemaakt", "inburgeringscontract.aangemaakt", "deelnamebewijs.ingediend"]
    );
    let (tb2_items, _) = alles(&app, &tb2, "0-0", "").await;
    assert_eq!(types(&tb2_items), ["inburgeraar.aangemaakt"]);
    assert_ne!(tb1_items[0]["resourceId"], tb2_items[0]["resourceId"]);

    let (org_items, _) = alles(&app, &o.aanbieder, "0-0", "").await;
    let org_types = types(&org_items);
    assert!(org_types.contains(&"deelnamebewijs.ingediend".to_string()), "{org_types:?}");
    assert!(org_types.contains(&"aanbod.gepubliceerd".to_string()), "{org_types:?}");
    assert!(org_types.iter().all(|t| t.starts_with("aanbod.") || t.starts_with("deelnamebewijs.")), "{org_types:?}");

    let (gent_items, _) = alles(&app, &g.gemeente, "0-0", "").await;
    assert!(!gent_items.is_empty());
    assert!(gent_items.iter().all(|e| e["resource"] == "aanbod" && e["resourceId"] == aanbod), "{gent_items:?}");
    let geel = crate::organisaties::lokaal_bestuur(&app, "lb-geel", &[GEEL]);
    assert!(alles(&app, &geel, "0-0", "").await.0.is_empty(), "another municipality's offers are not its events");

    // Wrong role, no or a forged token, bad input.
    app.get("/v1/gebeurtenissen").bearer(&o.burger).send().await.problem(403, "missingPermission");
    app.get("/v1/gebeurtenissen").send().await.problem(401, "noAccessToken");
    let vals = format!("{}x", app.token(Role::Admin, "admin-1"));
    app.get("/v1/gebeurtenissen").bearer(&vals).send().await.problem(401, "invalidAccessToken");
    let admin = admin(&app);
    for (q, naam) in [
        ("na=abc", "na"),
        ("na=1-", "na"),
        ("pageSize=0", "pageSize"),
        ("pageSize=501", "pageSize"),
        ("wacht=31", "wacht"),
        ("type=aanbod.bestaatNiet", "type"),
    ] {
        let p = app.get(&format!("/v1/gebeurtenissen?{q}")).bearer(&admin).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), [naam], "{q}");
    }
    // An empty page with long polling answers after the wait, with the same cursor.
    let (_, eind) = alles(&app, &admin, "0-0", "").await;
    let page = app.get(&format!("/v1/gebeurtenissen?na={eind}&wacht=1")).bearer(&admin).send().await.expect(200);
    assert_eq!(page["items"], json!([]));
    assert_eq!(page["volgende"], eind);
}

#[actix_web::test]
async fn concurrent_writes_appear_exactly_once_and_in_order() {
    let app = TestApp::spawn().await;
    let tb = tb(&app, "tb-1");
    let admin = admin(&app);
    let (_, start) = alles(&app, &admin, "0-0", "").await;
    // A reader follows the feed while twenty newcomers are registered at once.
    let schrijvers = futures_util::future::join_all((10..30).map(|n| registreer(&app, &tb, n, json!({}))));
    let lezer = async {
        let mut gezien: Vec<Value> = Vec::new();
        let mut na = start.clone();
        for _ in 0..40 {
            let page = app.get(&format!("/v1/gebeurtenissen?na={na}")).bearer(&admin).send().await.expect(200);
            gezien.extend(page["items"].as_array().unwrap().iter().cloned());
            na = page["volgende"].as_str().unwrap().to_string();
            actix_web::rt::time::sleep(std::time::Duration::from_millis(5)).await;
        }
        (gezien, na)
    };
    let (personen, (mut gezien, na)) = futures_util::future::join(schrijvers, lezer).await;
    gezien.extend(alles(&app, &admin, &na, "").await.0);
    let ids: Vec<i64> = gezien.iter().map(|e| e["resourceId"].as_i64().unwrap()).collect();
    let mut verwacht: Vec<i64> = personen.iter().map(|p| p["id"].as_i64().unwrap()).collect();
    let mut uniek = ids.clone();
    uniek.sort();
    uniek.dedup();
    assert_eq!(uniek.len(), ids.len(), "no event twice: {ids:?}");
    verwacht.sort();
    assert_eq!(uniek, verwacht, "every event once, none skipped");
}

#[actix_web::test]
async fn offers_pushed_through_a_feed_are_events_too() {
    use crate::feeds::{access_token, item, push, register};
    let app = TestApp::spawn().await;
    let client = register(&app, &[GENT]).await;
    let token = access_token(&app, &client).await;
    let bron = client.id.clone();
    push(&app, &token, &bron, "volledig", vec![item("a-1", "Praattafel", GENT), item("a-2", "Buddy", GENT)])
        .await
        .expect(200);
    let (eerst, na) = alles(&app, &token, "0-0", "").await;
    assert_eq!(
        types(&eerst),
        ["aanbod.aangemaakt", "aanbod.gepubliceerd", "aanbod.aangemaakt", "aanbod.gepubliceerd"],
        "the feed client reads its municipality's events"
    );
    // A changed item, and a full push without the other: changed and archived.
    push(&app, &token, &bron, "volledig", vec![item("a-1", "Praattafel op dinsdag", GENT)]).await.expect(200);
    let (daarna, _) = alles(&app, &token, &na, "").await;
    assert_eq!(types(&daarna), ["aanbod.gewijzigd", "aanbod.gearchiveerd"]);
    let gewijzigd = app.get(&path_of(&daarna[0]["href"])).send().await.expect(200);
    assert_eq!(daarna[0]["versie"], gewijzigd["versie"]);
}

#[actix_web::test]
async fn events_are_forgotten_after_the_retention_period() {
    let app = TestApp::spawn().await;
    let tb = tb(&app, "tb-1");
    registreer(&app, &tb, 1, json!({})).await;
    let admin = admin(&app);
    assert_eq!(alles(&app, &admin, "0-0", "").await.0.len(), 1);
    assert_eq!(pnt_api::outbox::vergeet_gebeurtenissen(&app.state).await.unwrap(), 0, "younger than 90 days");
    app.state.clock.pin(chrono::Utc::now() + chrono::Duration::days(91));
    assert_eq!(pnt_api::outbox::vergeet_gebeurtenissen(&app.state).await.unwrap(), 1);
    assert!(alles(&app, &admin, "0-0", "").await.0.is_empty());
}
