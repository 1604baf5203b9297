//! The audit log (R15): every change and every read of personal data is recorded with who,
//! what, when and the trace id; only admins read it; nobody changes it.

use diesel::RunQueryDsl;
use pnt_api::auth::Role;
use serde_json::json;

use crate::helpers::*;
use crate::inburgering::*;

#[actix_web::test]
async fn reads_and_changes_are_logged_with_who_what_when_and_trace() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (p, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, 0, 365).await;
    let pid = p["id"].as_i64().unwrap();
    let cid = c["id"].as_i64().unwrap();

    // No reads yet: registering and signing are the only entries.
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={pid}")).await;
    let acties: Vec<_> = log.iter().map(|e| e["actie"].as_str().unwrap()).collect();
    assert_eq!(acties, ["create"]);
    let log = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={cid}")).await;
    assert_eq!(log.len(), 1);
    assert_eq!(log[0]["actie"], "create");
    assert_eq!(log[0]["details"], json!({ "inburgeraar": pid }));

    // A read with the client's trace id.
    app.get(&path_of(&p["self"]))
        .bearer(&burger(&app, 1))
        .header("BelGov-Trace-Id", "trace-read-42")
        .send()
        .await
        .expect(200);
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={pid}&actie=read")).await;
    assert_eq!(log.len(), 1);
    let e = &log[0];
    assert_eq!(e["actor"], "burger-1");
    assert_eq!(e["actorRollen"], json!(["inburgeraar"]));
    assert_eq!(e["resourceType"], "inburgeraar");
    assert_eq!(e["resourceId"], pid.to_string());
    assert_eq!(e["resourceHref"], p["self"]);
    assert_eq!(e["traceId"], "trace-read-42");
    let when = chrono::DateTime::parse_from_rfc3339(e["tijdstip"].as_str().unwrap()).unwrap();
    assert!((chrono::Utc::now() - when.with_timezone(&chrono::Utc)).num_seconds().abs() < 60);

    // Contract reads, progress, history, lists, changes and updates all leave a trace.
    let cpath = path_of(&c["self"]);
    app.get(&cpath).bearer(&t).send().await.expect(200);
    app.get(&format!("{cpath}/voortgang")).bearer(&t).send().await.expect(200);
    app.get(&format!("{cpath}/wijzigingen")).bearer(&t).send().await.expect(200);
    app.get("/v1/inburgeringscontracten").bearer(&t).send().await.expect(200);
    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    app.get("/v1/inburgeraars").bearer(&t).send().await.expect(200);
    app.put(&path_of(&p["self"])).bearer(&t).json(&persoon(1)).send().await.expect(200);

    let log = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={cid}")).await;
    let acties: Vec<_> = log.iter().map(|e| e["actie"].as_str().unwrap()).collect();
    assert_eq!(acties, ["stopgezet", "list", "read", "read", "read", "create"], "newest first");
    assert_eq!(log[2]["details"]["onderdeel"], "wijzigingen");
    assert_eq!(log[3]["details"]["onderdeel"], "voortgang");
    assert!(log[0]["details"]["wijziging"].is_i64());
    assert!(log.iter().all(|e| e["resourceHref"] == c["self"]));
    let log = audit(&app, &format!("resourceType=inburgeraar&resourceId={pid}")).await;
    let acties: Vec<_> = log.iter().map(|e| e["actie"].as_str().unwrap()).collect();
    assert_eq!(acties, ["update", "list", "read", "create"]);

    // Refused requests change nothing, so they log no change.
    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Nogmaals" }))
        .await
        .problem(409, "pnt:invalidContractChange");
    app.get(&cpath).bearer(&tb(&app, "tb-2")).send().await.problem(404, "belgif:resourceNotFound");
    let log = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={cid}")).await;
    assert_eq!(log.len(), 6);
    // Details carry ids and field names, never the personal data itself.
    let all = audit(&app, "").await;
    let text = serde_json::to_string(&all).unwrap();
    assert!(!text.contains(p["rijksregisternummer"].as_str().unwrap()));
    assert!(!text.contains("Haddad"));
}

#[actix_web::test]
async fn the_log_is_for_admins_and_filterable() {
    let app = TestApp::spawn().await;
    let t1 = tb(&app, "tb-1");
    let t2 = tb(&app, "tb-2");
    let p1 = registreer(&app, &t1, 1, json!({})).await;
    registreer(&app, &t2, 2, json!({})).await;
    app.get(&path_of(&p1["self"])).bearer(&t1).send().await.expect(200);

    for role in [Role::Trajectbegeleider, Role::LokaalBestuur, Role::Inburgeraar] {
        app.get("/v1/auditLog").bearer(&app.token(role, "x")).send().await.problem(403, "belgif:missingPermission");
    }
    app.get("/v1/auditLog").send().await.problem(401, "belgif:noAccessToken");

    assert_eq!(audit(&app, "").await.len(), 3);
    assert_eq!(audit(&app, "actor=tb-1").await.len(), 2);
    assert_eq!(audit(&app, "actor=tb-1&actor=tb-2").await.len(), 3);
    assert_eq!(audit(&app, "actor=tb-1&actie=create").await.len(), 1);
    assert_eq!(audit(&app, "resourceType=inburgeringscontract").await.len(), 0);
    assert_eq!(audit(&app, &format!("resourceId={}", p1["id"])).await.len(), 2);

    // Time window: from (inclusive) until (exclusive), RFC 3339.
    let past = (chrono::Utc::now() - chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    let future = (chrono::Utc::now() + chrono::Duration::hours(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    assert_eq!(audit(&app, &format!("van={past}")).await.len(), 3);
    assert_eq!(audit(&app, &format!("van={future}")).await.len(), 0);
    assert_eq!(audit(&app, &format!("tot={past}")).await.len(), 0);
    assert_eq!(audit(&app, &format!("van={past}&tot={future}")).await.len(), 3);
    let a = admin(&app);
    let p = app
        .get(&format!("/v1/auditLog?van={future}&tot={past}"))
        .bearer(&a)
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["tot"]);
    let p = app.get("/v1/auditLog?van=gisteren").bearer(&a).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["van"]);

    // Paging, newest first.
    let page = app.get("/v1/auditLog?pageSize=2").bearer(&a).send().await.expect(200);
    assert_eq!(page["total"], 3);
    assert_eq!(page["items"][0]["actie"], "read");
    assert!(page["next"].is_string());
}

#[actix_web::test]
async fn the_log_cannot_be_changed() {
    let app = TestApp::spawn().await;
    registreer(&app, &tb(&app, "tb-1"), 1, json!({})).await;
    let before = audit(&app, "").await;
    assert_eq!(before.len(), 1);

    // Not through the API…
    let a = admin(&app);
    for method in [actix_web::http::Method::PUT, actix_web::http::Method::DELETE, actix_web::http::Method::POST] {
        app.req(method, "/v1/auditLog").bearer(&a).json(&json!({})).send().await.problem(405, "pnt:methodNotAllowed");
    }
    // … nor in the database, on either backend.
    let updated =
        app.db(|c| Ok(diesel::sql_query("UPDATE audit_log SET actor = 'someone-else'").execute(c).is_err())).await;
    assert!(updated, "UPDATE audit_log must fail");
    let deleted = app.db(|c| Ok(diesel::sql_query("DELETE FROM audit_log").execute(c).is_err())).await;
    assert!(deleted, "DELETE FROM audit_log must fail");
    assert_eq!(audit(&app, "").await, before);
}
