//! Machine clients, the client-credentials grant, and municipal feeds.

use crate::helpers::*;
use base64::Engine;
use pnt_api::auth::Role;
use serde_json::{Value, json};

pub struct Client {
    pub id: String,
    pub secret: String,
}

pub async fn register(app: &TestApp, gemeenten: &[&str]) -> Client {
    let admin = app.token(Role::Admin, "admin-1");
    let doc = app
        .post("/v1/apiClients")
        .bearer(&admin)
        .json(&json!({"naam": "Stad Gent – UiT", "rol": "feedClient", "gemeenten": gemeenten}))
        .send()
        .await
        .expect(201);
    Client { id: doc["clientId"].as_str().unwrap().into(), secret: doc["clientSecret"].as_str().unwrap().into() }
}

fn form(client: &Client) -> String {
    format!("grant_type=client_credentials&client_id={}&client_secret={}", client.id, client.secret)
}

pub async fn access_token(app: &TestApp, client: &Client) -> String {
    let res = app.post("/v1/oauth/token").body("application/x-www-form-urlencoded", form(client)).send().await;
    res.expect(200)["access_token"].as_str().unwrap().to_string()
}

pub fn item(extern_id: &str, titel: &str, gemeente: &str) -> Value {
    json!({
        "externId": extern_id,
        "titel": {"nl": titel},
        "beschrijving": {"nl": "Samen met buurtbewoners"},
        "aanbodtype": "vrijetijd",
        "gemeente": gemeente,
        "nederlandstaligeContext": true,
        "socialeParticipatie": true,
        "inGroep": true
    })
}

pub async fn push(app: &TestApp, token: &str, bron: &str, modus: &str, items: Vec<Value>) -> crate::helpers::Res {
    app.put(&format!("/v1/aanbodFeeds/{bron}"))
        .bearer(token)
        .json(&json!({"modus": modus, "items": items}))
        .send()
        .await
}

fn counts(r: &Value) -> [i64; 6] {
    ["ontvangen", "aangemaakt", "bijgewerkt", "ongewijzigd", "gearchiveerd", "afgewezen"]
        .map(|k| r[k].as_i64().unwrap())
}

#[actix_web::test]
async fn admin_registers_clients_and_the_secret_is_shown_once() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021", "44021"]).await;
    assert!(client.id.starts_with("pnt-"));
    assert!(client.secret.len() >= 43);
    let admin = app.token(Role::Admin, "admin-1");
    let doc = app.get(&format!("/v1/apiClients/{}", client.id)).bearer(&admin).send().await.expect(200);
    assert!(doc.get("clientSecret").is_none());
    assert_eq!(doc["gemeenten"].as_array().unwrap().len(), 1);
    let list = app.get("/v1/apiClients").bearer(&admin).send().await.expect(200);
    assert_eq!(list["total"], 1);
    assert!(!list.to_string().contains(&client.secret));

    // Stored as an argon2 hash only.
    let id = client.id.clone();
    let hash: String = app
        .db(move |c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::api_clients as t;
            Ok(t::table.find(id).select(t::secret_hash).first(c)?)
        })
        .await;
    assert!(hash.starts_with("$argon2id$") && !hash.contains(&client.secret));

    for role in [Role::LokaalBestuur, Role::FeedClient, Role::Trajectbegeleider] {
        let t = app.token(role, "x");
        app.post("/v1/apiClients")
            .bearer(&t)
            .json(&json!({"naam": "X", "rol": "feedClient", "gemeenten": ["44021"]}))
            .send()
            .await
            .problem(403, "missingPermission");
        app.get("/v1/apiClients").bearer(&t).send().await.problem(403, "missingPermission");
    }
    let p = app
        .post("/v1/apiClients")
        .bearer(&admin)
        .json(&json!({"naam": "X", "rol": "feedClient", "gemeenten": ["99999"]}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["gemeenten[0]"]);
}

#[actix_web::test]
async fn client_credentials_grant() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let res = app.post("/v1/oauth/token").body("application/x-www-form-urlencoded", form(&client)).send().await;
    let body = res.expect(200);
    assert_eq!(body["token_type"], "Bearer");
    assert_eq!(body["expires_in"], 3600);
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let me = app.get("/v1/me").bearer(body["access_token"].as_str().unwrap()).send().await.expect(200);
    assert_eq!(me["sub"], client.id.as_str());
    assert_eq!(me["roles"], json!(["feedClient"]));
    assert_eq!(me["gemeenten"], json!(["44021"]));

    // HTTP Basic works too.
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{}:{}", client.id, client.secret));
    app.post("/v1/oauth/token")
        .header("Authorization", &format!("Basic {basic}"))
        .body("application/x-www-form-urlencoded", "grant_type=client_credentials")
        .send()
        .await
        .expect(200);
}

#[actix_web::test]
async fn token_errors_follow_rfc_6749() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let send = |body: String| app.post("/v1/oauth/token").body("application/x-www-form-urlencoded", body).send();
    let wrong = send(format!("grant_type=client_credentials&client_id={}&client_secret=nope", client.id)).await;
    let p = wrong.problem(401, "pnt:oauthError");
    assert_eq!(p["error"], "invalid_client");
    assert!(wrong.header("www-authenticate").unwrap().starts_with("Basic"));
    let p = send("grant_type=client_credentials&client_id=pnt-unknown&client_secret=x".into())
        .await
        .problem(401, "oauthError");
    assert_eq!(p["error"], "invalid_client");
    let p = send(format!("grant_type=password&client_id={}&client_secret={}", client.id, client.secret))
        .await
        .problem(400, "oauthError");
    assert_eq!(p["error"], "unsupported_grant_type");
    let p = send(format!("client_id={}&client_secret={}", client.id, client.secret)).await.problem(400, "oauthError");
    assert_eq!(p["error"], "invalid_request");
    let p = app
        .post("/v1/oauth/token")
        .json(&json!({"grant_type": "client_credentials"}))
        .send()
        .await
        .problem(415, "unsupportedMediaType");
    assert_eq!(p["error"], "invalid_request");
}

#[actix_web::test]
async fn rotating_and_revoking_secrets() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let client = register(&app, &["44021"]).await;
    let token = access_token(&app, &client).await;
    let rotated = app.post(&format!("/v1/apiClients/{}/secret", client.id)).bearer(&admin).send().await.expect(200);
    let new = Client { id: client.id.clone(), secret: rotated["clientSecret"].as_str().unwrap().into() };
    app.post("/v1/oauth/token")
        .body("application/x-www-form-urlencoded", form(&client))
        .send()
        .await
        .problem(401, "oauthError");
    access_token(&app, &new).await;

    let res = app.delete(&format!("/v1/apiClients/{}", client.id)).bearer(&admin).send().await;
    assert_eq!(res.status.as_u16(), 204);
    app.post("/v1/oauth/token")
        .body("application/x-www-form-urlencoded", form(&new))
        .send()
        .await
        .problem(401, "oauthError");
    // A token issued before the revocation no longer works at all (issue 12, finding 2).
    push(&app, &token, &client.id, "delta", vec![item("a", "A", "44021")])
        .await
        .problem(401, "belgif:invalidAccessToken");
    app.delete("/v1/apiClients/pnt-nope").bearer(&admin).send().await.problem(404, "resourceNotFound");
}

#[actix_web::test]
async fn token_attempts_are_rate_limited() {
    let app = TestApp::spawn_with(|s| s.auth_rate_per_minute = 3).await;
    let body = "grant_type=client_credentials&client_id=pnt-x&client_secret=guess";
    for _ in 0..3 {
        app.post("/v1/oauth/token")
            .body("application/x-www-form-urlencoded", body)
            .send()
            .await
            .problem(401, "oauthError");
    }
    let res = app.post("/v1/oauth/token").body("application/x-www-form-urlencoded", body).send().await;
    res.problem(429, "belgif:tooManyRequests");
    assert!(res.header("retry-after").unwrap().parse::<u64>().unwrap() >= 1);
}

#[actix_web::test]
async fn a_feed_is_upserted_by_extern_id_and_replays_are_harmless() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let token = access_token(&app, &client).await;
    let items = vec![item("a", "Koken", "44021"), item("b", "Fietsen", "44021")];
    let r = push(&app, &token, &client.id, "delta", items.clone()).await.expect(200);
    assert_eq!(counts(&r), [2, 2, 0, 0, 0, 0]);
    // Published at once, with their source.
    let found = app.get("/v1/aanbod?q=koken").send().await.expect(200);
    assert_eq!(found["total"], 1);
    let doc = app
        .get(found["items"][0]["href"].as_str().unwrap().trim_start_matches("http://localhost:8080"))
        .send()
        .await
        .expect(200);
    assert_eq!(doc["bron"], client.id.as_str());
    assert_eq!(doc["externId"], "a");
    assert_eq!(doc["status"], "gepubliceerd");

    let r = push(&app, &token, &client.id, "delta", items.clone()).await.expect(200);
    assert_eq!(counts(&r), [2, 0, 0, 2, 0, 0]);
    let mut changed = items.clone();
    changed[1]["titel"]["nl"] = json!("Samen fietsen");
    let r = push(&app, &token, &client.id, "delta", changed).await.expect(200);
    assert_eq!(counts(&r), [2, 0, 1, 1, 0, 0]);
    assert_eq!(app.get("/v1/aanbod").send().await.expect(200)["total"], 2, "no duplicates");
}

#[actix_web::test]
async fn bad_items_are_reported_and_never_block_good_ones() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let token = access_token(&app, &client).await;
    let mut no_dutch = item("c", "X", "44021");
    no_dutch["titel"] = json!({"en": "English only"});
    let items = vec![
        item("a", "Goed", "44021"),
        json!({"titel": {"nl": "Zonder id"}}),
        item("elders", "Antwerps", "11002"),
        no_dutch,
        item("a", "Dubbel", "44021"),
        {
            let mut v = item("org", "Onbekende organisatie", "44021");
            v["organisatie"] = json!(4242);
            v
        },
        item("d", "Ook goed", "44021"),
    ];
    let r = push(&app, &token, &client.id, "delta", items).await.expect(200);
    assert_eq!(counts(&r), [7, 2, 0, 0, 0, 5]);
    let fouten = r["fouten"].as_array().unwrap();
    let indexes: Vec<i64> = fouten.iter().map(|f| f["index"].as_i64().unwrap()).collect();
    assert_eq!(indexes, [1, 2, 3, 4, 5]);
    assert!(fouten[0].get("externId").is_none());
    assert_eq!(fouten[1]["externId"], "elders");
    assert_eq!(fouten[1]["problem"]["issues"][0]["name"], "items[2].gemeente");
    assert_eq!(fouten[2]["problem"]["issues"][0]["name"], "items[3].titel");
    assert_eq!(fouten[3]["problem"]["issues"][0]["name"], "items[4].externId");
    assert_eq!(
        fouten[4]["problem"]["issues"][0]["type"],
        "urn:problem-type:belgif:input-validation:referencedResourceNotFound"
    );
    assert_eq!(fouten[4]["problem"]["type"], "urn:problem-type:belgif:badRequest");
    assert_eq!(app.get("/v1/aanbod").send().await.expect(200)["total"], 2);
}

#[actix_web::test]
async fn a_full_sync_archives_what_is_gone_and_revives_what_returns() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let token = access_token(&app, &client).await;
    let all = vec![item("a", "A", "44021"), item("b", "B", "44021"), item("c", "C", "44021")];
    push(&app, &token, &client.id, "volledig", all.clone()).await.expect(200);
    let r = push(&app, &token, &client.id, "volledig", vec![all[0].clone()]).await.expect(200);
    assert_eq!(counts(&r), [1, 0, 0, 1, 2, 0]);
    assert_eq!(app.get("/v1/aanbod").send().await.expect(200)["total"], 1);
    // A delta push never archives.
    let r = push(&app, &token, &client.id, "delta", vec![]).await.expect(200);
    assert_eq!(counts(&r), [0, 0, 0, 0, 0, 0]);
    // An archived item that comes back is published again.
    let r = push(&app, &token, &client.id, "volledig", all).await.expect(200);
    assert_eq!(counts(&r), [3, 0, 2, 1, 0, 0]);
    assert_eq!(app.get("/v1/aanbod").send().await.expect(200)["total"], 3);
    // An invalid version of an item is not "absent": the old one stays.
    let mut broken = item("b", "B", "44021");
    broken["aanbodtype"] = json!("onbekend");
    let r = push(&app, &token, &client.id, "volledig", vec![item("a", "A", "44021"), broken, item("c", "C", "44021")])
        .await
        .expect(200);
    assert_eq!(counts(&r), [3, 0, 0, 2, 0, 1]);
    assert_eq!(app.get("/v1/aanbod").send().await.expect(200)["total"], 3);
}

#[actix_web::test]
async fn feed_clients_push_only_to_their_own_source() {
    let app = TestApp::spawn().await;
    let gent = register(&app, &["44021"]).await;
    let other = register(&app, &["11002"]).await;
    let token = access_token(&app, &gent).await;
    push(&app, &token, &other.id, "delta", vec![item("a", "A", "11002")]).await.problem(403, "missingPermission");
    for role in [Role::LokaalBestuur, Role::Aanbieder] {
        push(&app, &app.token(role, &gent.id), &gent.id, "delta", vec![]).await.problem(403, "missingPermission");
    }
    // An admin may push for any source, in any municipality.
    let admin = app.token(Role::Admin, "admin-1");
    let r = push(&app, &admin, "migratie-2026", "delta", vec![item("a", "A", "11002")]).await.expect(200);
    assert_eq!(counts(&r)[1], 1);
    // At most 5,000 items a push.
    let many: Vec<Value> = (0..5001).map(|i| json!({"externId": i.to_string()})).collect();
    let p = push(&app, &token, &gent.id, "delta", many).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["items"]);
    push(&app, &token, &gent.id, "altijd", vec![]).await.problem(400, "badRequest");
}

#[actix_web::test]
async fn a_crash_mid_feed_leaves_the_old_state() {
    let app = TestApp::spawn().await;
    let client = register(&app, &["44021"]).await;
    let token = access_token(&app, &client).await;
    push(&app, &token, &client.id, "delta", vec![item("a", "Oud", "44021")]).await.expect(200);
    // Make the database fail on one item, as a crash or a full disk would mid-way.
    app.db(|c| {
        use diesel::RunQueryDsl;
        match c {
            pnt_api::db::DbConn::Sqlite(_) => diesel::sql_query(
                "CREATE TRIGGER boom BEFORE INSERT ON aanbod WHEN NEW.extern_id = 'boom' \
                 BEGIN SELECT RAISE(ABORT, 'boom'); END",
            )
            .execute(c)?,
            pnt_api::db::DbConn::Postgresql(_) => {
                diesel::sql_query(
                    "CREATE FUNCTION boom() RETURNS trigger AS $$ BEGIN \
                     IF NEW.extern_id = 'boom' THEN RAISE EXCEPTION 'boom'; END IF; RETURN NEW; END $$ LANGUAGE plpgsql",
                )
                .execute(c)?;
                diesel::sql_query("CREATE TRIGGER boom BEFORE INSERT ON aanbod FOR EACH ROW EXECUTE FUNCTION boom()")
                    .execute(c)?
            }
        };
        Ok(())
    })
    .await;
    let res = push(
        &app,
        &token,
        &client.id,
        "volledig",
        vec![item("a", "Nieuw", "44021"), item("n", "N", "44021"), item("boom", "B", "44021")],
    )
    .await;
    let p = res.problem(500, "belgif:internalServerError");
    assert!(!p.to_string().contains("boom"), "no internals in the problem: {p}");
    // Nothing of the failed push is visible: the old title, no new item.
    let all = app.get("/v1/aanbod").send().await.expect(200);
    assert_eq!(all["total"], 1);
    assert_eq!(all["items"][0]["titel"], "Oud");
}
