//! Bad input is a 400 naming the input, never a 5xx, the same on both backends: control
//! characters, far dates, unparsable path segments (issue 12, finding 4).

use serde_json::json;

use crate::helpers::*;
use crate::inburgering::*;

#[actix_web::test]
async fn control_characters_in_query_parameters_are_400_naming_the_parameter() {
    let app = TestApp::spawn().await;
    for (path, name) in [
        ("/v1/gemeenten?q=%00", "q"),
        ("/v1/organisaties?q=a%00b", "q"),
        ("/v1/aanbod?thema=%00", "thema"),
        ("/v1/aanbod?q=a%07b", "q"),
    ] {
        let p = app.get(path).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), [name], "{path}");
    }
    // Ordinary text, also with tabs, is still fine.
    app.get("/v1/gemeenten?q=Geel%09").send().await.expect(200);
}

#[actix_web::test]
async fn control_characters_in_bodies_are_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let mut body = persoon(1);
    body["voornaam"] = json!("a\u{0}b");
    body["contact"]["adres"] = json!("Markt 1\u{1b}[31m");
    let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");
    let mut names = issue_names(&p);
    names.sort();
    assert_eq!(names, ["contact.adres", "voornaam"]);
    // Line breaks and tabs are text.
    let mut body = persoon(2);
    body["contact"]["adres"] = json!("Markt 1\r\n2440 Geel\t(België)");
    app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.expect(201);
}

#[actix_web::test]
async fn dates_outside_1900_to_2999_are_400_naming_the_field() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    for datum in ["+10000-01-01", "10000-01-01", "3000-01-01", "1899-12-31"] {
        let mut body = persoon(1);
        body["geboortedatum"] = json!(datum);
        let p = app.post("/v1/inburgeraars").bearer(&t).json(&body).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), ["geboortedatum"], "{datum}");
    }
    let id = registreer(&app, &t, 1, json!({})).await["id"].as_i64().unwrap();
    let mut c = contract(id, 0, 365, json!({}));
    c["termijnEinde"] = json!("+10000-01-01");
    let p = app.post("/v1/inburgeringscontracten").bearer(&t).json(&c).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["termijnEinde"]);
}

#[actix_web::test]
async fn a_bad_path_segment_names_no_internal_type() {
    let app = TestApp::spawn().await;
    let p = app.get("/v1/aanbod/1e3").send().await.problem(400, "badRequest");
    let detail = p["detail"].to_string() + &p["issues"].to_string();
    assert!(!detail.contains("i64") && !detail.contains("parse"), "{p}");
    assert!(detail.contains("whole number"), "{p}");
}
