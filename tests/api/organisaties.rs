//! Organisations: who may register and change them, KBO validation and uniqueness, ETags.

use crate::helpers::*;
use pnt_api::auth::{Role, TokenRequest};
use serde_json::{Value, json};

pub fn lokaal_bestuur(app: &TestApp, sub: &str, gemeenten: &[&str]) -> String {
    app.token_for(TokenRequest {
        sub: sub.into(),
        roles: vec![Role::LokaalBestuur],
        gemeenten: gemeenten.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    })
}

pub fn aanbieder(app: &TestApp, sub: &str, organisatie: i64) -> String {
    app.token_for(TokenRequest {
        sub: sub.into(),
        roles: vec![Role::Aanbieder],
        organisatie: Some(organisatie.to_string()),
        ..Default::default()
    })
}

pub fn organisatie(naam: &str, gemeente: &str) -> Value {
    json!({"naam": naam, "soort": "vzw", "gemeente": gemeente})
}

/// Registers an organisation as admin and returns its id.
pub async fn create_organisatie(app: &TestApp, naam: &str, gemeente: &str) -> i64 {
    let admin = app.token(Role::Admin, "admin-1");
    let doc = app.post("/v1/organisaties").bearer(&admin).json(&organisatie(naam, gemeente)).send().await.expect(201);
    doc["id"].as_i64().unwrap()
}

#[actix_web::test]
async fn lokaal_bestuur_registers_organisations_in_its_municipalities() {
    let app = TestApp::spawn().await;
    let gent = lokaal_bestuur(&app, "lb-gent", &["44021"]);
    let body = json!({
        "naam": "Buurtwerk De Brug vzw", "kboNummer": "BE 0203.201.340", "soort": "vzw", "gemeente": "44021",
        "adres": {"straat": "Kerkstraat", "huisnummer": "1", "postcode": "9000", "plaats": "Gent"},
        "email": "info@debrug.be", "website": "https://www.debrug.be"
    });
    let res = app.post("/v1/organisaties").bearer(&gent).json(&body).send().await;
    let doc = res.expect(201);
    let id = doc["id"].as_i64().unwrap();
    assert_eq!(res.header("location").unwrap(), format!("http://localhost:8080/v1/organisaties/{id}"));
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(doc["kboNummer"], "0203.201.340");
    assert_eq!(doc["gemeente"]["naam"], "Gent");
    assert_eq!(doc["adres"]["postcode"], "9000");
    assert_eq!(doc["aanbod"], format!("http://localhost:8080/v1/aanbod?organisatie={id}"));

    // Public read.
    let public = app.get(&format!("/v1/organisaties/{id}")).send().await.expect(200);
    assert_eq!(public["naam"], "Buurtwerk De Brug vzw");

    // Not in another municipality.
    let p = app
        .post("/v1/organisaties")
        .bearer(&gent)
        .json(&organisatie("Club", "11002"))
        .send()
        .await
        .problem(403, "belgif:missingPermission");
    assert!(p["detail"].as_str().unwrap().contains("own municipalities"));
}

#[actix_web::test]
async fn other_roles_cannot_register() {
    let app = TestApp::spawn().await;
    for role in [Role::Aanbieder, Role::Trajectbegeleider, Role::Inburgeraar, Role::FeedClient] {
        let t = app.token(role, "x");
        app.post("/v1/organisaties")
            .bearer(&t)
            .json(&organisatie("X", "44021"))
            .send()
            .await
            .problem(403, "missingPermission");
    }
    app.post("/v1/organisaties").json(&organisatie("X", "44021")).send().await.problem(401, "noAccessToken");
}

#[actix_web::test]
async fn kbo_numbers_are_validated_and_unique() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let mut body = organisatie("A", "44021");
    body["kboNummer"] = json!("0203.201.341");
    let p = app.post("/v1/organisaties").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["kboNummer"]);

    body["kboNummer"] = json!("0203201340");
    let first = app.post("/v1/organisaties").bearer(&admin).json(&body).send().await.expect(201);
    body["naam"] = json!("B");
    body["kboNummer"] = json!("BE0203.201.340");
    let p = app.post("/v1/organisaties").bearer(&admin).json(&body).send().await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], first["self"]);
}

#[actix_web::test]
async fn invalid_input_names_every_field() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let body = json!({"naam": "", "soort": "vzw", "gemeente": "99999", "email": "geen-mail", "website": "x"});
    let p = app.post("/v1/organisaties").bearer(&admin).json(&body).send().await.problem(400, "badRequest");
    let names = issue_names(&p);
    for field in ["naam", "email", "website"] {
        assert!(names.contains(&field.to_string()), "{field} in {names:?}");
    }
    // The municipality is checked once the attributes are fine.
    let p = app
        .post("/v1/organisaties")
        .bearer(&admin)
        .json(&organisatie("X", "99999"))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:referencedResourceNotFound");

    let p = app
        .post("/v1/organisaties")
        .bearer(&admin)
        .json(&json!({"naam": "X", "soort": "sekte", "gemeente": "44021"}))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["soort"]);
}

#[actix_web::test]
async fn aanbieder_edits_only_its_own_organisation() {
    let app = TestApp::spawn().await;
    let own = create_organisatie(&app, "Eigen vzw", "44021").await;
    let other = create_organisatie(&app, "Andere vzw", "44021").await;
    let token = aanbieder(&app, "org-user", own);

    let patched = app
        .patch(&format!("/v1/organisaties/{own}"))
        .bearer(&token)
        .body("application/merge-patch+json", r#"{"telefoon": "+32 9 123 45 67"}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(patched["telefoon"], "+32 9 123 45 67");
    assert_eq!(patched["versie"], 2);

    app.patch(&format!("/v1/organisaties/{other}"))
        .bearer(&token)
        .body("application/merge-patch+json", r#"{"telefoon": "+32 9 123 45 67"}"#)
        .send()
        .await
        .problem(403, "missingPermission");

    // A lokaalBestuur of another municipality may not either.
    let antwerpen = lokaal_bestuur(&app, "lb-a", &["11002"]);
    app.put(&format!("/v1/organisaties/{own}"))
        .bearer(&antwerpen)
        .json(&organisatie("Overname", "44021"))
        .send()
        .await
        .problem(403, "missingPermission");
}

#[actix_web::test]
async fn if_match_guards_concurrent_edits() {
    let app = TestApp::spawn().await;
    let id = create_organisatie(&app, "Versies vzw", "44021").await;
    let admin = app.token(Role::Admin, "admin-1");
    let path = format!("/v1/organisaties/{id}");
    let res = app.put(&path).bearer(&admin).header("If-Match", "\"1\"").json(&organisatie("V2", "44021")).send().await;
    res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    // A second writer still holding version 1 loses.
    let p = app
        .put(&path)
        .bearer(&admin)
        .header("If-Match", "\"1\"")
        .json(&organisatie("V2b", "44021"))
        .send()
        .await
        .problem(412, "pnt:preconditionFailed");
    assert!(p["detail"].as_str().unwrap().contains("\"2\""));
    assert_eq!(app.get(&path).send().await.expect(200)["naam"], "V2");
    // Malformed If-Match is a bad request naming the header.
    let p = app
        .put(&path)
        .bearer(&admin)
        .header("If-Match", "2")
        .json(&organisatie("V3", "44021"))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(p["issues"][0]["in"], "header");
}

/// A change that loses the version race (another writer changed the organisation between the
/// change's read and its versioned UPDATE) is `409 conflict`, with or without `If-Match`, and
/// changes nothing.
#[actix_web::test]
async fn a_lost_race_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let id = create_organisatie(&app, "Traag vzw", "44021").await;
    let admin = app.token(Role::Admin, "admin-1");
    let path = format!("/v1/organisaties/{id}");
    app.lose_races_on("organisaties").await;
    for if_match in [None, Some("\"1\"")] {
        let mut put = app.put(&path).bearer(&admin).json(&organisatie("Snel vzw", "44021"));
        let mut patch =
            app.patch(&path).bearer(&admin).body("application/merge-patch+json", r#"{"telefoon": "+32 9 123 45 67"}"#);
        if let Some(v) = if_match {
            (put, patch) = (put.header("If-Match", v), patch.header("If-Match", v));
        }
        put.send().await.problem(409, "pnt:conflict");
        patch.send().await.problem(409, "pnt:conflict");
    }
    let res = app.get(&path).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(doc["naam"], "Traag vzw");
    assert!(doc.get("telefoon").is_none());
}

#[actix_web::test]
async fn merge_patch_removes_fields_with_null_and_keeps_rules() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let mut body = organisatie("Patch vzw", "44021");
    body["email"] = json!("a@b.be");
    let id = app.post("/v1/organisaties").bearer(&admin).json(&body).send().await.expect(201)["id"].as_i64().unwrap();
    let path = format!("/v1/organisaties/{id}");
    let doc = app
        .patch(&path)
        .bearer(&admin)
        .body("application/merge-patch+json", r#"{"email": null}"#)
        .send()
        .await
        .expect(200);
    assert!(doc.get("email").is_none());
    // A required field cannot be removed.
    let p = app
        .patch(&path)
        .bearer(&admin)
        .body("application/merge-patch+json", r#"{"naam": null}"#)
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["naam"]);
    // A patch is an object.
    app.patch(&path).bearer(&admin).body("application/merge-patch+json", "[]").send().await.problem(400, "badRequest");
}

#[actix_web::test]
async fn list_filters_organisations() {
    let app = TestApp::spawn().await;
    create_organisatie(&app, "Gentse Brug", "44021").await;
    create_organisatie(&app, "Antwerpse Haven", "11002").await;
    let gent = app.get("/v1/organisaties?gemeente=44021").send().await.expect(200);
    assert_eq!(gent["total"], 1);
    assert_eq!(gent["items"][0]["naam"], "Gentse Brug");
    let q = app.get("/v1/organisaties?q=HAVEN").send().await.expect(200);
    assert_eq!(q["total"], 1);
    app.get("/v1/organisaties?kboNummer=123").send().await.problem(400, "badRequest");
    app.get("/v1/organisaties/999").send().await.problem(404, "resourceNotFound");
    app.get("/v1/organisaties/abc").send().await.problem(400, "badRequest");
}
