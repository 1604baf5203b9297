//! The offer: creation rights, validation, visibility, the moderation workflow, concurrency,
//! translations, search, idempotent creation.

use crate::helpers::*;
use crate::organisaties::{aanbieder, create_organisatie, lokaal_bestuur};
use pnt_api::auth::Role;
use serde_json::{Value, json};

pub fn aanbod(organisatie: Option<i64>, gemeente: &str, titel: &str) -> Value {
    let mut v = json!({
        "titel": {"nl": titel},
        "beschrijving": {"nl": format!("{titel}: samen met Nederlandstaligen")},
        "aanbodtype": "praattafel",
        "gemeente": gemeente,
        "nederlandstaligeContext": true,
        "socialeParticipatie": true,
        "inGroep": true
    });
    if let Some(o) = organisatie {
        v["organisatie"] = json!(o);
    }
    v
}

/// An organisation in Gent with an aanbieder token, and the Gent municipality's token.
pub struct Gent {
    pub org: i64,
    pub aanbieder: String,
    pub gemeente: String,
}

pub async fn gent(app: &TestApp) -> Gent {
    let org = create_organisatie(app, "De Brug vzw", "44021").await;
    Gent { org, aanbieder: aanbieder(app, "brug-user", org), gemeente: lokaal_bestuur(app, "lb-gent", &["44021"]) }
}

/// Creates an offer as the aanbieder and returns its id.
pub async fn create(app: &TestApp, g: &Gent, body: &Value) -> i64 {
    app.post("/v1/aanbod").bearer(&g.aanbieder).json(body).send().await.expect(201)["id"].as_i64().unwrap()
}

async fn status(app: &TestApp, token: &str, id: i64, status: &str, motivatie: Option<&str>) -> crate::helpers::Res {
    let mut body = json!({"status": status});
    if let Some(m) = motivatie {
        body["motivatie"] = json!(m);
    }
    app.post(&format!("/v1/aanbod/{id}/status")).bearer(token).json(&body).send().await
}

/// Creates, submits and publishes an offer; returns its id.
pub async fn published(app: &TestApp, g: &Gent, body: &Value) -> i64 {
    let id = create(app, g, body).await;
    status(app, &g.aanbieder, id, "ingediend", None).await.expect(200);
    status(app, &g.gemeente, id, "gepubliceerd", None).await.expect(200);
    id
}

#[actix_web::test]
async fn aanbieder_creates_offers_of_its_own_organisation() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let mut body = aanbod(Some(g.org), "44021", "Taalcafé De Brug");
    body["titel"]["en"] = json!("Language café");
    body["ondersteuningstalen"] = json!(["EN", "ar", "en"]);
    body["themas"] = json!(["Taal ", "ontmoeting"]);
    body["locatie"] = json!({"straat": "Sint-Pietersplein", "huisnummer": "5", "lat": 51.0425, "lon": 3.7265});
    body["contactpersoon"] = json!({"naam": "An Peeters", "email": "an@debrug.be"});
    body["capaciteit"] = json!(8);
    body["periode"] = json!({"van": "2026-09-01"});
    let res = app.post("/v1/aanbod").bearer(&g.aanbieder).json(&body).send().await;
    let doc = res.expect(201);
    assert_eq!(res.header("location").unwrap(), doc["self"].as_str().unwrap());
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!(doc["status"], "concept");
    assert_eq!(doc["organisatie"]["naam"], "De Brug vzw");
    assert_eq!(doc["gemeente"]["nisCode"], "44021");
    assert_eq!(doc["ondersteuningstalen"], json!(["en", "ar"]));
    assert_eq!(doc["themas"], json!(["taal", "ontmoeting"]));
    assert_eq!(doc["locatie"]["exact"], true);
    assert_eq!(doc["kwalificeertVoorPnt"], true);
    assert_eq!(doc["periode"], json!({"van": "2026-09-01"}));
    assert!(doc.get("bron").is_none());

    // Not for another organisation, nor without one.
    let other = create_organisatie(&app, "Andere vzw", "44021").await;
    let p = app
        .post("/v1/aanbod")
        .bearer(&g.aanbieder)
        .json(&aanbod(Some(other), "44021", "X"))
        .send()
        .await
        .problem(403, "missingPermission");
    assert!(p["detail"].as_str().unwrap().contains("own organisation"));
    app.post("/v1/aanbod")
        .bearer(&g.aanbieder)
        .json(&aanbod(None, "44021", "X"))
        .send()
        .await
        .problem(403, "missingPermission");
}

#[actix_web::test]
async fn municipalities_create_offers_in_their_own_municipalities_only() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let doc = app
        .post("/v1/aanbod")
        .bearer(&g.gemeente)
        .json(&aanbod(None, "44021", "Stadswandeling"))
        .send()
        .await
        .expect(201);
    assert!(doc["locatie"]["exact"] == false && doc["locatie"]["lat"].as_f64().unwrap() > 51.0);
    app.post("/v1/aanbod")
        .bearer(&g.gemeente)
        .json(&aanbod(None, "11002", "X"))
        .send()
        .await
        .problem(403, "missingPermission");
    for role in [Role::Trajectbegeleider, Role::Inburgeraar, Role::Netwerkcoordinator, Role::FeedClient] {
        let t = app.token(role, "x");
        app.post("/v1/aanbod")
            .bearer(&t)
            .json(&aanbod(None, "44021", "X"))
            .send()
            .await
            .problem(403, "missingPermission");
    }
    app.post("/v1/aanbod").json(&aanbod(None, "44021", "X")).send().await.problem(401, "noAccessToken");
}

#[actix_web::test]
async fn invalid_offers_name_every_faulty_field() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let mut body = aanbod(Some(g.org), "44021", "X");
    body["titel"] = json!({"en": "Only English", "xx": "?"});
    body["beschrijving"] = json!({"nl": " "});
    body["ondersteuningstalen"] = json!(["english"]);
    body["locatie"] = json!({"lat": 51.0});
    body["periode"] = json!({"van": "2027-01-01", "tot": "2026-01-01"});
    let p = app.post("/v1/aanbod").bearer(&g.aanbieder).json(&body).send().await.problem(400, "badRequest");
    let names = issue_names(&p);
    for field in ["titel", "titel.xx", "beschrijving.nl", "ondersteuningstalen[0]", "locatie", "periode"] {
        assert!(names.contains(&field.to_string()), "{field} missing in {names:?}");
    }

    let mut body = aanbod(Some(g.org), "44021", "X");
    body["capaciteit"] = json!(0);
    body["verwachteUrenPerWeek"] = json!(0);
    let p = app.post("/v1/aanbod").bearer(&g.aanbieder).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["capaciteit", "verwachteUrenPerWeek"]);

    // R11 criteria are explicit: leaving one out is an error, not a default.
    let mut body = aanbod(Some(g.org), "44021", "X");
    body.as_object_mut().unwrap().remove("nederlandstaligeContext");
    let p = app.post("/v1/aanbod").bearer(&g.aanbieder).json(&body).send().await.problem(400, "badRequest");
    assert!(p["detail"].as_str().unwrap().contains("nederlandstaligeContext"));

    let mut body = aanbod(Some(g.org), "44021", "X");
    body["aanbodtype"] = json!("cursus");
    let p = app.post("/v1/aanbod").bearer(&g.aanbieder).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["aanbodtype"]);

    let admin = app.token(Role::Admin, "admin-1");
    let p = app
        .post("/v1/aanbod")
        .bearer(&admin)
        .json(&aanbod(Some(999), "44021", "X"))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(p["issues"][0]["type"], "urn:problem-type:belgif:input-validation:referencedResourceNotFound");
    assert_eq!(issue_names(&p), ["organisatie"]);
}

#[actix_web::test]
async fn unpublished_offers_are_visible_only_to_their_managers() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = create(&app, &g, &aanbod(Some(g.org), "44021", "Geheim concept")).await;
    let path = format!("/v1/aanbod/{id}");
    app.get(&path).send().await.problem(404, "resourceNotFound");
    app.get(&path).bearer(&g.aanbieder).send().await.expect(200);
    app.get(&path).bearer(&g.gemeente).send().await.expect(200);
    app.get(&path).bearer(&app.token(Role::Trajectbegeleider, "tb-1")).send().await.expect(200);
    let other_org = create_organisatie(&app, "Andere", "44021").await;
    app.get(&path).bearer(&aanbieder(&app, "other", other_org)).send().await.problem(404, "resourceNotFound");
    app.get(&path).bearer(&lokaal_bestuur(&app, "lb-a", &["11002"])).send().await.problem(404, "resourceNotFound");

    // Search: anonymous sees no drafts even when asking for them.
    assert_eq!(app.get("/v1/aanbod?status=concept").send().await.expect(200)["total"], 0);
    assert_eq!(app.get("/v1/aanbod?status=concept").bearer(&g.aanbieder).send().await.expect(200)["total"], 1);
    assert_eq!(
        app.get("/v1/aanbod?status=concept").bearer(&aanbieder(&app, "other", other_org)).send().await.expect(200)["total"],
        0
    );
    // Default search: published only, for everyone.
    assert_eq!(app.get("/v1/aanbod").bearer(&g.aanbieder).send().await.expect(200)["total"], 0);
}

#[actix_web::test]
async fn the_moderation_workflow() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = create(&app, &g, &aanbod(Some(g.org), "44021", "Buddy's")).await;

    // An organisation does not publish.
    status(&app, &g.aanbieder, id, "gepubliceerd", None).await.problem(403, "missingPermission");
    // Not straight from concept to published, even for the municipality.
    let p = status(&app, &g.gemeente, id, "gepubliceerd", None).await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("concept"));

    status(&app, &g.aanbieder, id, "ingediend", None).await.expect(200);
    // Rejection needs a motivation.
    let p = status(&app, &g.gemeente, id, "afgekeurd", None).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["motivatie"]);
    let rejected = status(&app, &g.gemeente, id, "afgekeurd", Some("Geen Nederlandstalige context")).await.expect(200);
    assert_eq!(rejected["status"], "afgekeurd");
    assert_eq!(rejected["statusMotivatie"], "Geen Nederlandstalige context");

    // Resubmitting unchanged is refused; after a change it is fine.
    status(&app, &g.aanbieder, id, "ingediend", None).await.problem(409, "pnt:invalidTransition");
    app.patch(&format!("/v1/aanbod/{id}"))
        .bearer(&g.aanbieder)
        .body("application/merge-patch+json", r#"{"beschrijving": {"nl": "Nu met Nederlandstalige buddy's"}}"#)
        .send()
        .await
        .expect(200);
    let resubmitted = status(&app, &g.aanbieder, id, "ingediend", None).await.expect(200);
    assert!(resubmitted.get("statusMotivatie").is_none());

    // Another municipality cannot even see it.
    status(&app, &lokaal_bestuur(&app, "lb-a", &["11002"]), id, "gepubliceerd", None)
        .await
        .problem(404, "resourceNotFound");
    let published = status(&app, &g.gemeente, id, "gepubliceerd", None).await.expect(200);
    assert_eq!(published["status"], "gepubliceerd");
    assert_eq!(app.get(&format!("/v1/aanbod/{id}")).send().await.expect(200)["status"], "gepubliceerd");

    let archived = status(&app, &app.token(Role::Admin, "admin-1"), id, "gearchiveerd", None).await.expect(200);
    assert_eq!(archived["status"], "gearchiveerd");
    status(&app, &g.gemeente, id, "gepubliceerd", None).await.problem(409, "pnt:invalidTransition");
    // Archived offers are read-only.
    app.patch(&format!("/v1/aanbod/{id}"))
        .bearer(&g.gemeente)
        .body("application/merge-patch+json", r#"{"capaciteit": 3}"#)
        .send()
        .await
        .problem(409, "pnt:invalidTransition");

    // Each step is in the audit log.
    let steps: Vec<String> = app
        .db(move |c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::audit_log as a;
            Ok(a::table
                .filter(a::resource_type.eq("aanbod"))
                .filter(a::resource_id.eq(id.to_string()))
                .filter(a::action.eq("status"))
                .order(a::id)
                .select(a::details.assume_not_null())
                .load::<String>(c)?)
        })
        .await;
    assert_eq!(steps.len(), 5, "only the steps that happened: {steps:?}");
    assert!(steps[4].contains("gearchiveerd"));
}

#[actix_web::test]
async fn an_organisations_change_to_a_published_offer_waits_as_a_revision() {
    // Issue 14: this used to send the offer back to `ingediend` and out of the catalogue (404);
    // now the change waits as a revision and the published version stays public.
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = published(&app, &g, &aanbod(Some(g.org), "44021", "Koken")).await;
    let revisie = app
        .patch(&format!("/v1/aanbod/{id}"))
        .bearer(&g.aanbieder)
        .body("application/merge-patch+json", r#"{"titel": {"nl": "Samen koken"}}"#)
        .send()
        .await
        .expect(202);
    assert_eq!(revisie["status"], "open");
    let doc = app.get(&format!("/v1/aanbod/{id}")).send().await.expect(200);
    assert_eq!((doc["status"].clone(), doc["titel"]["nl"].clone()), (json!("gepubliceerd"), json!("Koken")));
    // The municipality's own edits stay published.
    let id2 = published(&app, &g, &aanbod(Some(g.org), "44021", "Fietsen")).await;
    let doc = app
        .patch(&format!("/v1/aanbod/{id2}"))
        .bearer(&g.gemeente)
        .body("application/merge-patch+json", r#"{"capaciteit": 12}"#)
        .send()
        .await
        .expect(200);
    assert_eq!(doc["status"], "gepubliceerd");
    assert_eq!(doc["capaciteit"], 12);
}

#[actix_web::test]
async fn only_concepts_are_deleted() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = create(&app, &g, &aanbod(Some(g.org), "44021", "Weg ermee")).await;
    let path = format!("/v1/aanbod/{id}");
    app.delete(&path).bearer(&aanbieder(&app, "x", 999)).send().await.problem(404, "resourceNotFound");
    app.delete(&path).bearer(&g.aanbieder).header("If-Match", "\"7\"").send().await.problem(412, "preconditionFailed");
    let res = app.delete(&path).bearer(&g.aanbieder).header("If-Match", "\"1\"").send().await;
    assert_eq!(res.status.as_u16(), 204);
    app.get(&path).bearer(&g.aanbieder).send().await.problem(404, "resourceNotFound");

    let id = published(&app, &g, &aanbod(Some(g.org), "44021", "Blijft")).await;
    let p =
        app.delete(&format!("/v1/aanbod/{id}")).bearer(&g.gemeente).send().await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("archive"));
    // A published offer can be read but not managed by a case worker.
    app.delete(&format!("/v1/aanbod/{id}"))
        .bearer(&app.token(Role::Trajectbegeleider, "tb"))
        .send()
        .await
        .problem(403, "missingPermission");
}

#[actix_web::test]
async fn put_replaces_and_if_match_detects_lost_updates() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let id = create(&app, &g, &aanbod(Some(g.org), "44021", "Versie 1")).await;
    let path = format!("/v1/aanbod/{id}");
    let mut v2 = aanbod(Some(g.org), "44021", "Versie 2");
    v2["kosteloos"] = json!(false);
    let res = app.put(&path).bearer(&g.aanbieder).header("If-Match", "\"1\"").json(&v2).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(doc["weergave"]["titel"], "Versie 2");
    assert_eq!(doc["kosteloos"], false);
    app.put(&path)
        .bearer(&g.aanbieder)
        .header("If-Match", "\"1\"")
        .json(&v2)
        .send()
        .await
        .problem(412, "preconditionFailed");
    // `*` means "any version".
    app.put(&path).bearer(&g.aanbieder).header("If-Match", "*").json(&v2).send().await.expect(200);
    // Moving the offer to another organisation is not the aanbieder's call.
    let other = create_organisatie(&app, "Andere", "44021").await;
    app.put(&path)
        .bearer(&g.aanbieder)
        .json(&aanbod(Some(other), "44021", "X"))
        .send()
        .await
        .problem(403, "missingPermission");
}

/// Adds `If-Match` when given.
fn conditional<'a>(req: Req<'a>, if_match: Option<&str>) -> Req<'a> {
    match if_match {
        Some(v) => req.header("If-Match", v),
        None => req,
    }
}

/// A write that loses the version race (another writer changed the offer between the write's
/// read and its versioned UPDATE) is `409 conflict`, with or without `If-Match`, and changes
/// nothing: not the offer, not its index rows, not the audit log.
#[actix_web::test]
async fn a_lost_race_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let mut body = aanbod(Some(g.org), "44021", "Racewagen");
    body["themas"] = json!(["sport"]);
    let id = create(&app, &g, &body).await;
    let path = format!("/v1/aanbod/{id}");
    app.lose_races_on("aanbod").await;
    let mut v2 = body.clone();
    v2["titel"] = json!({"nl": "Ingehaald"});
    for if_match in [None, Some("\"1\"")] {
        let put = app.put(&path).bearer(&g.aanbieder).json(&v2);
        conditional(put, if_match).send().await.problem(409, "pnt:conflict");
        let patch = app.patch(&path).bearer(&g.aanbieder).body("application/merge-patch+json", r#"{"capaciteit": 3}"#);
        conditional(patch, if_match).send().await.problem(409, "pnt:conflict");
        let submit = app.post(&format!("{path}/status")).bearer(&g.aanbieder).json(&json!({"status": "ingediend"}));
        conditional(submit, if_match).send().await.problem(409, "pnt:conflict");
        conditional(app.delete(&path).bearer(&g.aanbieder), if_match).send().await.problem(409, "pnt:conflict");
    }
    let res = app.get(&path).bearer(&g.aanbieder).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert_eq!((doc["titel"]["nl"].as_str(), doc["status"].as_str()), (Some("Racewagen"), Some("concept")));
    assert!(doc.get("capaciteit").is_none());
    let (themas, audit): (i64, i64) = app
        .db(move |c| {
            use diesel::prelude::*;
            use pnt_api::db::schema::{aanbod_themas as t, audit_log as a};
            let themas = t::table.filter(t::aanbod_id.eq(id)).count().get_result(c)?;
            let audit = a::table
                .filter(a::resource_type.eq("aanbod"))
                .filter(a::resource_id.eq(id.to_string()))
                .count()
                .get_result(c)?;
            Ok((themas, audit))
        })
        .await;
    assert_eq!((themas, audit), (1, 1), "the theme row and only the creation's audit entry");
}

#[actix_web::test]
async fn translations_follow_lang_and_accept_language() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let mut body = aanbod(Some(g.org), "44021", "Wandelclub");
    body["titel"] = json!({"nl": "Wandelclub", "en": "Walking club", "ar": "نادي المشي"});
    body["beschrijving"] = json!({"nl": "Elke zondag", "en": "Every Sunday"});
    let id = published(&app, &g, &body).await;
    let path = format!("/v1/aanbod/{id}");

    let res = app.get(&path).header("Accept-Language", "fr, en;q=0.8").send().await;
    let doc = res.expect(200);
    assert_eq!(doc["weergave"], json!({"taal": "en", "titel": "Walking club", "beschrijving": "Every Sunday"}));
    assert_eq!(res.header("content-language").as_deref(), Some("en"));
    assert_eq!(doc["titel"]["ar"], "نادي المشي", "the full object stays available");

    // `lang` wins; a missing description falls back to Dutch.
    let doc = app.get(&format!("{path}?lang=ar")).header("Accept-Language", "en").send().await.expect(200);
    assert_eq!(doc["weergave"]["titel"], "نادي المشي");
    assert_eq!(doc["weergave"]["beschrijving"], "Elke zondag");
    let doc = app.get(&path).header("Accept-Language", "de").send().await.expect(200);
    assert_eq!(doc["weergave"]["taal"], "nl");

    let list = app.get("/v1/aanbod?lang=en").send().await.expect(200);
    assert_eq!(list["items"][0]["titel"], "Walking club");
    assert_eq!(list["items"][0]["taal"], "en");
}

#[actix_web::test]
async fn idempotency_key_returns_the_first_response_again() {
    let app = TestApp::spawn().await;
    let g = gent(&app).await;
    let body = aanbod(Some(g.org), "44021", "Eenmalig");
    let first = app.post("/v1/aanbod").bearer(&g.aanbieder).header("Idempotency-Key", "k-1").json(&body).send().await;
    let doc = first.expect(201);
    let again = app.post("/v1/aanbod").bearer(&g.aanbieder).header("Idempotency-Key", "k-1").json(&body).send().await;
    assert_eq!(again.expect(201), doc);
    assert_eq!(again.header("location"), first.header("location"));
    assert_eq!(again.header("idempotent-replayed").as_deref(), Some("true"));
    // The same key for another request is refused; another key creates another offer.
    let mut other = body.clone();
    other["titel"]["nl"] = json!("Anders");
    app.post("/v1/aanbod")
        .bearer(&g.aanbieder)
        .header("Idempotency-Key", "k-1")
        .json(&other)
        .send()
        .await
        .problem(422, "pnt:idempotencyKeyReused");
    let second = app
        .post("/v1/aanbod")
        .bearer(&g.aanbieder)
        .header("Idempotency-Key", "k-2")
        .json(&body)
        .send()
        .await
        .expect(201);
    assert_ne!(second["id"], doc["id"]);
    // Keys are per caller: the municipality's k-1 is its own.
    app.post("/v1/aanbod").bearer(&g.gemeente).header("Idempotency-Key", "k-1").json(&body).send().await.expect(201);
    let total: i64 = app
        .db(|c| {
            use diesel::prelude::*;
            Ok(pnt_api::db::schema::aanbod::table.count().get_result(c)?)
        })
        .await;
    assert_eq!(total, 3);
    // A failed request does not pin its key.
    let mut bad = body.clone();
    bad["gemeente"] = json!("99999");
    app.post("/v1/aanbod")
        .bearer(&g.aanbieder)
        .header("Idempotency-Key", "k-3")
        .json(&bad)
        .send()
        .await
        .problem(400, "badRequest");
    app.post("/v1/aanbod").bearer(&g.aanbieder).header("Idempotency-Key", "k-3").json(&body).send().await.expect(201);
}
