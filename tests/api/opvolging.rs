//! The follow-up log of a contract (issue 13): recorded by its trajectbegeleider, read by the
//! newcomer too, append-only with corrections as new entries, every read logged.

use pnt_api::auth::{Claims, Role};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;

fn entry(soort: &str, datum: String, inspanning: Option<&str>) -> Value {
    let mut e = json!({ "soort": soort, "datum": datum, "kanaal": "fysiek", "notitie": "Traject besproken" });
    if let Some(i) = inspanning {
        e["inspanning"] = json!(i);
    }
    e
}

fn verlopen(sub: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let claims = Claims {
        sub: sub.into(),
        roles: vec!["trajectbegeleider".into()],
        gemeenten: vec![],
        organisatie: None,
        regio: None,
        name: None,
        email: None,
        exp: now - 3600,
        iat: Some(now - 7200),
        nbf: None,
        iss: None,
        aud: None,
        client_id: None,
    };
    TestApp::sign_claims(&claims, TEST_SECRET.as_bytes())
}

#[actix_web::test]
async fn intake_and_follow_up_are_recorded_and_read() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let path = format!("{}/opvolging", path_of(&c["self"]));

    let res = app.post(&path).bearer(&t).json(&entry("aanmeldingsgesprek", dag(-30), None)).send().await;
    let a = res.expect(201);
    assert_eq!(res.header("location").as_deref(), a["self"].as_str());
    assert_eq!(a["soort"], "aanmeldingsgesprek");
    assert_eq!(a["datum"], dag(-30), "accepted boundary: the signing day");
    assert_eq!(a["door"], "tb-1");
    assert_eq!(a["contract"], c["self"]);
    assert!(a.get("inspanning").is_none());
    let mut intake = entry("intakegesprek", dag(0), Some("voldoende"));
    intake["kanaal"] = json!("video");
    let i = app.post(&path).bearer(&t).json(&intake).send().await.expect(201);
    assert_eq!(i["inspanning"], "voldoende");
    assert_eq!(i["datum"], dag(0), "accepted boundary: today");
    // An admin may record too.
    app.post(&path).bearer(&admin(&app)).json(&entry("andere", dag(-1), None)).send().await.expect(201);

    // Oldest first, for the trajectbegeleider and (read-only) for the newcomer.
    let lijst = app.get(&path).bearer(&t).send().await.expect(200);
    assert_eq!(lijst["total"], 3);
    assert_eq!(lijst["items"][0]["href"], a["self"]);
    let eigen = app.get(&path).bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(eigen["items"][1]["soort"], "intakegesprek");
    let een = app.get(&path_of(&i["self"])).bearer(&burger(&app, 1)).send().await.expect(200);
    assert_eq!(een, {
        let mut x = i.clone();
        x.as_object_mut().unwrap().remove("href");
        x
    });
    app.post(&path)
        .bearer(&burger(&app, 1))
        .json(&entry("andere", dag(0), None))
        .send()
        .await
        .problem(403, "belgif:missingPermission");

    // Every read and the recording are logged on the contract, naming the part.
    let log = audit(&app, &format!("resourceType=inburgeringscontract&resourceId={}", c["id"])).await;
    let delen: Vec<(&str, &str)> = log
        .iter()
        .filter(|e| e["details"]["onderdeel"] == "opvolging")
        .map(|e| (e["actie"].as_str().unwrap(), e["actor"].as_str().unwrap()))
        .collect();
    assert_eq!(
        delen,
        [
            ("read", "burger-1"),
            ("read", "burger-1"),
            ("read", "tb-1"),
            ("create", "admin-1"),
            ("create", "tb-1"),
            ("create", "tb-1")
        ]
    );
}

#[actix_web::test]
async fn corrections_are_new_entries() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let path = format!("{}/opvolging", path_of(&c["self"]));
    let fout =
        app.post(&path).bearer(&t).json(&entry("opvolgingsgesprek", dag(-5), Some("geen"))).send().await.expect(201);
    let mut correctie = entry("opvolgingsgesprek", dag(-5), Some("onvoldoende"));
    correctie["corrigeert"] = fout["id"].clone();
    let goed = app.post(&path).bearer(&t).json(&correctie).send().await.expect(201);
    assert_eq!(goed["corrigeert"], fout["self"]);
    let oud = app.get(&path_of(&fout["self"])).bearer(&t).send().await.expect(200);
    assert_eq!(oud["inspanning"], "geen", "the corrected entry stays as it was");
    assert_eq!(oud["gecorrigeerdDoor"], goed["self"]);
    // An entry already corrected, or one of another contract, cannot be corrected.
    let p = app.post(&path).bearer(&t).json(&correctie).send().await.problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["corrigeert"]);
    let (_, ander) = persoon_met_contract(&app, &t, 2, "verplicht", true, -30, 300).await;
    let p = app
        .post(&format!("{}/opvolging", path_of(&ander["self"])))
        .bearer(&t)
        .json(&correctie)
        .send()
        .await
        .problem(400, "belgif:badRequest");
    assert_eq!(issue_names(&p), ["corrigeert"]);
    // There is no way to change or delete an entry.
    for method in [actix_web::http::Method::PUT, actix_web::http::Method::PATCH, actix_web::http::Method::DELETE] {
        app.req(method, &path_of(&fout["self"])).bearer(&t).send().await.problem(405, "pnt:methodNotAllowed");
    }
}

#[actix_web::test]
async fn who_may_record_and_read_and_what_is_refused() {
    let app = TestApp::spawn().await;
    let t = tb(&app, "tb-1");
    let (_, c) = persoon_met_contract(&app, &t, 1, "verplicht", true, -30, 300).await;
    let path = format!("{}/opvolging", path_of(&c["self"]));
    let ok = entry("opvolgingsgesprek", dag(-1), Some("voldoende"));
    let e = app.post(&path).bearer(&t).json(&ok).send().await.expect(201);

    // Someone else's contract does not exist for the caller.
    let ander = tb(&app, "tb-2");
    app.post(&path).bearer(&ander).json(&ok).send().await.problem(404, "belgif:resourceNotFound");
    app.get(&path).bearer(&ander).send().await.problem(404, "belgif:resourceNotFound");
    app.get(&path_of(&e["self"])).bearer(&ander).send().await.problem(404, "belgif:resourceNotFound");
    app.get(&path).bearer(&burger(&app, 2)).send().await.problem(404, "belgif:resourceNotFound");
    // Wrong role.
    let lb = lokaal_bestuur(&app, &[GENT]);
    app.get(&path).bearer(&lb).send().await.problem(403, "belgif:missingPermission");
    app.post(&path).bearer(&lb).json(&ok).send().await.problem(403, "belgif:missingPermission");
    let aanbieder = app.token(Role::Aanbieder, "org-1");
    app.post(&path).bearer(&aanbieder).json(&ok).send().await.problem(403, "belgif:missingPermission");
    // Forged and expired tokens.
    let mut forged = t.clone();
    forged.push('x');
    app.post(&path).bearer(&forged).json(&ok).send().await.problem(401, "belgif:invalidAccessToken");
    app.get(&path).bearer(&forged).send().await.problem(401, "belgif:invalidAccessToken");
    app.post(&path).bearer(&verlopen("tb-1")).json(&ok).send().await.problem(401, "belgif:expiredAccessToken");
    app.get(&path).send().await.problem(401, "belgif:noAccessToken");
    // No such entry.
    app.get(&format!("{path}/999999")).bearer(&t).send().await.problem(404, "belgif:resourceNotFound");

    // Bad input names the field.
    for (patch, name) in [
        (json!({ "datum": dag(1) }), "datum"),
        (json!({ "datum": dag(-31) }), "datum"),
        (json!({ "notitie": "  " }), "notitie"),
        (json!({ "notitie": "x".repeat(2001) }), "notitie"),
        (json!({ "corrigeert": 999999 }), "corrigeert"),
        (json!({ "soort": "koffie" }), "soort"),
        (json!({ "kanaal": "duif" }), "kanaal"),
        (json!({ "inspanning": "matig" }), "inspanning"),
        (json!({ "intern": true }), "intern"),
    ] {
        let mut body = ok.clone();
        for (k, v) in patch.as_object().unwrap() {
            body[k] = v.clone();
        }
        let p = app.post(&path).bearer(&t).json(&body).send().await.problem(400, "belgif:badRequest");
        assert!(issue_names(&p) == [name] || p["detail"].as_str().unwrap_or_default().contains(name), "{name}: {p}");
    }

    // A closed contract takes no more follow-up; it stays readable.
    wijzig(&app, &t, &c, json!({ "soort": "stopgezet", "reden": "Verhuisd" })).await.expect(201);
    app.post(&path).bearer(&t).json(&ok).send().await.problem(409, "pnt:invalidContractChange");
    app.get(&path).bearer(&t).send().await.expect(200);
}
