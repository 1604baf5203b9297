//! Moderation that never hides a published offer (issue 14): an organisation's change to a
//! published offer becomes a pending revision; the public and search keep the published
//! version until the municipality approves (the revision becomes the offer) or rejects it with a
//! motivation. The managers read the revision and its difference.

use pnt_api::auth::Role;
use serde_json::{Value, json};

use crate::aanbod::{Gent, aanbod, gent, published};
use crate::helpers::*;
use crate::organisaties::{aanbieder, create_organisatie, lokaal_bestuur};

async fn patch(app: &TestApp, token: &str, id: i64, body: &str) -> Res {
    app.patch(&format!("/v1/aanbod/{id}"))
        .bearer(token)
        .body("application/merge-patch+json", body.to_string())
        .send()
        .await
}

async fn beoordeel(app: &TestApp, token: &str, id: i64, body: Value) -> Res {
    app.post(&format!("/v1/aanbod/{id}/revisie/beoordeling")).bearer(token).json(&body).send().await
}

async fn revisie(app: &TestApp, token: &str, id: i64) -> Res {
    app.get(&format!("/v1/aanbod/{id}/revisie")).bearer(token).send().await
}

/// What the public sees: the offer anonymously, and the titles an anonymous search for `q` finds.
async fn publiek(app: &TestApp, id: i64, q: &str) -> (Value, Vec<String>) {
    let doc = app.get(&format!("/v1/aanbod/{id}")).send().await.expect(200);
    let page = app.get(&format!("/v1/aanbod?q={q}&gemeente=44021")).send().await.expect(200);
    let titels = page["items"].as_array().unwrap().iter().map(|i| i["titel"].as_str().unwrap().to_string()).collect();
    (doc, titels)
}

async fn published_brug(app: &TestApp) -> (Gent, i64) {
    let g = gent(app).await;
    let mut body = aanbod(Some(g.org), "44021", "Taalcafe De Brug");
    body["capaciteit"] = json!(8);
    let id = published(app, &g, &body).await;
    (g, id)
}

#[actix_web::test]
async fn a_typo_fix_by_the_organisation_keeps_the_published_offer_visible_until_approved() {
    let app = TestApp::spawn().await;
    let (g, id) = published_brug(&app).await;
    let admin = app.token(Role::Admin, "admin-1");

    // The organisation fixes a typo: a pending revision, the offer unchanged.
    let res = app
        .patch(&format!("/v1/aanbod/{id}"))
        .bearer(&g.aanbieder)
        .header("If-Match", "\"3\"")
        .body("application/merge-patch+json", r#"{"titel": {"nl": "Taalcafé De Brug"}}"#)
        .send()
        .await;
    let r = res.expect(202);
    assert_eq!(res.header("location").unwrap(), r["self"].as_str().unwrap());
    assert!(r["self"].as_str().unwrap().ends_with(&format!("/v1/aanbod/{id}/revisie")));
    assert_eq!(r["status"], "open");
    assert_eq!((r["basisVersie"].clone(), r["aanbodVersie"].clone()), (json!(3), json!(3)));
    assert_eq!(r["voorgesteldDoor"], "brug-user");
    assert_eq!(
        r["verschillen"],
        json!([{"veld": "titel", "huidig": {"nl": "Taalcafe De Brug"}, "voorgesteld": {"nl": "Taalcafé De Brug"}}])
    );
    // The public, the search and the offer's own document keep the published version.
    let (doc, titels) = publiek(&app, id, "brug").await;
    assert_eq!((doc["status"].clone(), doc["titel"]["nl"].clone()), (json!("gepubliceerd"), json!("Taalcafe De Brug")));
    assert_eq!(doc["versie"], 3);
    assert_eq!(titels, ["Taalcafe De Brug"]);
    let eigen = app.get(&format!("/v1/aanbod/{id}")).bearer(&g.aanbieder).send().await.expect(200);
    assert_eq!((eigen["status"].clone(), eigen["versie"].clone()), (json!("gepubliceerd"), json!(3)));

    // The managers read the revision; others who see the offer may not, the rest get 404.
    for token in [&g.aanbieder, &g.gemeente, &admin] {
        assert_eq!(revisie(&app, token, id).await.expect(200)["id"], r["id"]);
    }
    let antwerpen = lokaal_bestuur(&app, "lb-antwerpen", &["11002"]);
    let andere = aanbieder(&app, "ander", create_organisatie(&app, "Andere vzw", "44021").await);
    for token in [app.token(Role::Trajectbegeleider, "tb"), andere.clone(), antwerpen.clone()] {
        revisie(&app, &token, id).await.problem(403, "missingPermission");
    }
    app.get(&format!("/v1/aanbod/{id}/revisie")).send().await.problem(401, "noAccessToken");
    revisie(&app, &admin, 999_999).await.problem(404, "resourceNotFound");

    // A second change builds on the pending proposal and replaces it.
    let r2 = patch(&app, &g.aanbieder, id, r#"{"capaciteit": 10}"#).await.expect(202);
    assert_eq!(r2["id"], r["id"]);
    let velden: Vec<_> = r2["verschillen"].as_array().unwrap().iter().map(|v| v["veld"].clone()).collect();
    assert_eq!(velden, [json!("capaciteit"), json!("titel")]);
    assert_eq!(r2["voorstel"]["titel"]["nl"], "Taalcafé De Brug");
    // Invalid changes are refused as for any change, and do not touch the proposal.
    let p = patch(&app, &g.aanbieder, id, r#"{"gemeente": "99999"}"#).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["gemeente"]);
    patch(&app, &g.aanbieder, id, r#"{"capaciteit": 3}"#).await.expect(202);
    let p = app
        .patch(&format!("/v1/aanbod/{id}"))
        .bearer(&g.aanbieder)
        .header("If-Match", "\"2\"")
        .body("application/merge-patch+json", r#"{"capaciteit": 4}"#)
        .send()
        .await
        .problem(412, "preconditionFailed");
    assert!(p["detail"].is_string());
    assert_eq!(revisie(&app, &g.gemeente, id).await.expect(200)["voorstel"]["capaciteit"], 3);

    // Only the municipality (or an admin) decides.
    let goed = json!({"beslissing": "goedgekeurd"});
    beoordeel(&app, &g.aanbieder, id, goed.clone()).await.problem(403, "missingPermission");
    beoordeel(&app, &antwerpen, id, goed.clone()).await.problem(403, "missingPermission");
    beoordeel(&app, &g.gemeente, id, json!({"beslissing": "misschien"})).await.problem(400, "badRequest");
    app.post(&format!("/v1/aanbod/{id}/revisie/beoordeling"))
        .bearer(&g.gemeente)
        .header("If-Match", "\"2\"")
        .json(&goed)
        .send()
        .await
        .problem(412, "preconditionFailed");
    // Approved: the revision becomes the offer, one version up, for everyone.
    let res = app
        .post(&format!("/v1/aanbod/{id}/revisie/beoordeling"))
        .bearer(&g.gemeente)
        .header("If-Match", "\"3\"")
        .json(&goed)
        .send()
        .await;
    let besluit = res.expect(200);
    assert_eq!(besluit["status"], "goedgekeurd");
    assert_eq!(besluit["aanbodVersie"], 4);
    assert_eq!(besluit["verschillen"], json!([]));
    let (doc, titels) = publiek(&app, id, "brug").await;
    assert_eq!((doc["titel"]["nl"].clone(), doc["capaciteit"].clone()), (json!("Taalcafé De Brug"), json!(3)));
    assert_eq!((doc["status"].clone(), doc["versie"].clone()), (json!("gepubliceerd"), json!(4)));
    assert_eq!(titels, ["Taalcafé De Brug"]);
    // Decided is decided.
    beoordeel(&app, &g.gemeente, id, goed).await.problem(409, "pnt:invalidTransition");

    // Audited and announced: proposed, changed (as any change) and approved.
    let (types, acties) = app
        .db(move |c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::{audit_log as a, gebeurtenissen as e};
            let types = e::table
                .filter(e::resource.eq("aanbod"))
                .filter(e::resource_id.eq(id))
                .order(e::id)
                .select(e::soort)
                .load::<String>(c)?;
            let acties = a::table
                .filter(a::resource_type.eq("aanbod"))
                .filter(a::resource_id.eq(id.to_string()))
                .filter(a::action.ne("read"))
                .order(a::id)
                .select(a::action)
                .load::<String>(c)?;
            Ok((types, acties))
        })
        .await;
    assert_eq!(
        &types[types.len() - 5..],
        [
            "aanbod.revisieVoorgesteld",
            "aanbod.revisieVoorgesteld",
            "aanbod.revisieVoorgesteld",
            "aanbod.gewijzigd",
            "aanbod.revisieGoedgekeurd"
        ],
        "{types:?}"
    );
    assert_eq!(acties.last().unwrap(), "revisieGoedgekeurd", "{acties:?}");
}

#[actix_web::test]
async fn a_rejected_revision_leaves_the_offer_as_it_was_and_says_why() {
    let app = TestApp::spawn().await;
    let (g, id) = published_brug(&app).await;
    let r = patch(&app, &g.aanbieder, id, r#"{"nederlandstaligeContext": false}"#).await.expect(202);

    // A motivation is required to reject.
    for body in [json!({"beslissing": "afgekeurd"}), json!({"beslissing": "afgekeurd", "motivatie": "   "})] {
        let p = beoordeel(&app, &g.gemeente, id, body).await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), ["motivatie"]);
    }
    let motivatie = "Zonder Nederlandstalige context telt de activiteit niet voor het PNT.";
    let besluit =
        beoordeel(&app, &g.gemeente, id, json!({"beslissing": "afgekeurd", "motivatie": motivatie})).await.expect(200);
    assert_eq!((besluit["status"].clone(), besluit["motivatie"].clone()), (json!("afgekeurd"), json!(motivatie)));
    assert!(besluit["beoordeeldOp"].is_string());
    // The offer stays as it was…
    let doc = app.get(&format!("/v1/aanbod/{id}")).send().await.expect(200);
    assert_eq!((doc["nederlandstaligeContext"].clone(), doc["versie"].clone()), (json!(true), json!(3)));
    // …and the organisation reads the rejection, its motivation and what it had proposed.
    let gelezen = revisie(&app, &g.aanbieder, id).await.expect(200);
    assert_eq!((gelezen["id"].clone(), gelezen["status"].clone()), (r["id"].clone(), json!("afgekeurd")));
    assert_eq!(gelezen["motivatie"], motivatie);
    assert_eq!(gelezen["verschillen"][0]["veld"], "nederlandstaligeContext");
    // Nothing left to decide.
    beoordeel(&app, &g.gemeente, id, json!({"beslissing": "goedgekeurd"})).await.problem(409, "pnt:invalidTransition");

    // A new change opens a new revision, built on the offer (not on the rejected proposal).
    let r2 = patch(&app, &g.aanbieder, id, r#"{"kosteloos": false}"#).await.expect(202);
    assert_ne!(r2["id"], r["id"]);
    assert_eq!(r2["status"], "open");
    assert_eq!(r2["voorstel"]["nederlandstaligeContext"], true);
    // The municipality's own change applies at once, as today, and the pending revision's
    // difference is against the offer as it now is.
    let doc = patch(&app, &g.gemeente, id, r#"{"capaciteit": 12, "kosteloos": false}"#).await.expect(200);
    assert_eq!((doc["versie"].clone(), doc["status"].clone()), (json!(4), json!("gepubliceerd")));
    let open = revisie(&app, &g.aanbieder, id).await.expect(200);
    assert_eq!(open["verschillen"], json!([{"veld": "capaciteit", "huidig": 12, "voorgesteld": 8}]));
    // Archiving stays as today; a revision of an archived offer is not approved.
    let admin = app.token(Role::Admin, "admin-1");
    app.post(&format!("/v1/aanbod/{id}/status"))
        .bearer(&admin)
        .json(&json!({"status": "gearchiveerd"}))
        .send()
        .await
        .expect(200);
    patch(&app, &g.aanbieder, id, r#"{"kosteloos": true}"#).await.problem(409, "pnt:invalidTransition");
    let p =
        beoordeel(&app, &admin, id, json!({"beslissing": "goedgekeurd"})).await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("gearchiveerd"), "{p}");
}

#[actix_web::test]
async fn changes_to_offers_that_are_not_published_apply_at_once() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = crate::aanbod::create(&app, &g, &aanbod(Some(g.org), "44021", "Nog een concept")).await;
    let doc = patch(&app, &g.aanbieder, id, r#"{"capaciteit": 4}"#).await.expect(200);
    assert_eq!((doc["versie"].clone(), doc["capaciteit"].clone()), (json!(2), json!(4)));
    revisie(&app, &g.aanbieder, id).await.problem(404, "resourceNotFound");
    beoordeel(&app, &g.gemeente, id, json!({"beslissing": "goedgekeurd"})).await.problem(409, "pnt:invalidTransition");
}
