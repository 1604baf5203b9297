//! Idempotency keys scoped by the whole caller, audited replays, and the operations whose
//! response holds a secret (issue 12, finding 3).

use diesel::prelude::*;
use pnt_api::auth::{Role, TokenRequest};
use serde_json::json;

use crate::helpers::*;
use crate::inburgering::*;

#[actix_web::test]
async fn idempotency_keys_are_scoped_by_the_whole_caller_and_replays_are_audited() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-A");
    let body = persoon(1);
    let first = app.post("/v1/inburgeraars").bearer(&t).header("Idempotency-Key", "K").json(&body).send().await;
    let doc = first.expect(201);

    // The same sub with other roles never gets the stored response.
    for roles in [vec![], vec![Role::Inburgeraar], vec![Role::Aanbieder]] {
        let other = app.token_for(TokenRequest { sub: "tb-A".into(), roles, ..Default::default() });
        let res = app.post("/v1/inburgeraars").bearer(&other).header("Idempotency-Key", "K").json(&body).send().await;
        assert_eq!(res.header("idempotent-replayed"), None);
        assert_ne!(res.status.as_u16(), 201, "{}", res.text());
        assert!(!res.text().contains("amina@example.be"));
    }
    // Nor does the same sub and role with other scoping claims.
    let scoped = app.token_for(TokenRequest {
        sub: "tb-A".into(),
        roles: vec![Role::Trajectbegeleider],
        gemeenten: vec![GEEL.into()],
        ..Default::default()
    });
    let res = app.post("/v1/inburgeraars").bearer(&scoped).header("Idempotency-Key", "K").json(&body).send().await;
    assert_eq!(res.header("idempotent-replayed"), None);

    // The caller itself gets the replay, and it is audited as a read.
    let again = app.post("/v1/inburgeraars").bearer(&t).header("Idempotency-Key", "K").json(&body).send().await;
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    assert_eq!(again.expect(201)["id"], doc["id"]);
    let id = doc["id"].as_i64().unwrap().to_string();
    let audited: i64 = app
        .db(move |c| {
            use pnt_api::db::schema::audit_log as a;
            Ok(a::table
                .filter(a::actor.eq("tb-A"))
                .filter(a::action.eq("read"))
                .filter(a::resource_id.eq(id))
                .filter(a::details.like("%idempotentReplay%"))
                .count()
                .get_result(c)?)
        })
        .await;
    assert_eq!(audited, 1);
}

#[actix_web::test]
async fn operations_answering_a_client_secret_take_no_idempotency_key() {
    let app = TestApp::spawn().await;
    let admin = admin(&app);
    let p = app
        .post("/v1/apiClients")
        .bearer(&admin)
        .header("Idempotency-Key", "K")
        .json(&json!({"naam": "X", "rol": "feedClient", "gemeenten": ["44021"]}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["Idempotency-Key"]);
    let client = crate::feeds::register(&app, &["44021"]).await;
    let p = app
        .post(&format!("/v1/apiClients/{}/secret", client.id))
        .bearer(&admin)
        .header("Idempotency-Key", "K2")
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["Idempotency-Key"]);
    // Nothing was stored: no row holds a response with a secret.
    let stored: i64 = app
        .db(|c| {
            use pnt_api::db::schema::idempotency_keys as k;
            Ok(k::table.count().get_result(c)?)
        })
        .await;
    assert_eq!(stored, 0);
    // The OpenAPI document says so: no Idempotency-Key on these two operations.
    let spec: serde_json::Value = serde_json::to_value(pnt_api::startup::api_doc()).unwrap();
    for (path, op) in [("/v1/apiClients", "post"), ("/v1/apiClients/{clientId}/secret", "post")] {
        let params = spec["paths"][path][op]["parameters"].to_string();
        assert!(!params.contains("Idempotency-Key"), "{path}: {params}");
    }
    let params = spec["paths"]["/v1/inburgeraars"]["post"]["parameters"].to_string();
    assert!(params.contains("Idempotency-Key"));
}
