//! Deelnamebewijzen: the way to 40 approved hours, R7 (one proof per type, organisation and
//! contact person), R10 (line checks, also under concurrency), the status machine, signing by
//! account and by one-time link (single use, expiry, tampering, rate limit), separation of duties,
//! the organisation filling in, a stopped contract's frozen proofs, review, progress, visibility
//! per role, the printable PDF and the audit log.

use diesel::RunQueryDsl;
use pnt_api::auth::{Role, TokenRequest};
use serde_json::{Value, json};

use crate::helpers::*;
use crate::inburgering::*;
use crate::mail::*;
use crate::organisaties::{aanbieder, create_organisatie};

pub fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap()
}

/// The path of a document's `self`.
pub fn pad(v: &Value) -> String {
    path_of(&v["self"])
}

pub fn etag(v: &Value) -> String {
    format!("\"{}\"", v["versie"])
}

/// Lines `(days from today, hours)`.
pub fn lijnen(dagen: &[(i64, f64)]) -> Value {
    Value::Array(dagen.iter().map(|(d, u)| json!({ "datum": dag(*d), "uren": u })).collect())
}

/// A proof body for contract `c` at registered organisation `org`.
pub fn bewijs(c: &Value, org: i64, aanbodtype: &str, contact: &str, prestaties: Value) -> Value {
    json!({
        "contract": id(c),
        "organisatie": org,
        "aanbodtype": aanbodtype,
        "activiteit": "Vrijwilliger in het buurtrestaurant",
        "contactpersoon": { "naam": contact, "email": "an@debrug.be", "telefoon": "+32 470 12 34 56" },
        "prestaties": prestaties
    })
}

pub async fn maak(app: &TestApp, token: &str, body: &Value) -> Value {
    app.post("/v1/deelnamebewijzen").bearer(token).json(body).send().await.expect(201)
}

pub async fn post(app: &TestApp, token: &str, doc: &Value, stap: &str, body: Value) -> Res {
    app.post(&format!("{}/{stap}", pad(doc))).bearer(token).json(&body).send().await
}

pub async fn lees(app: &TestApp, token: &str, doc: &Value) -> Value {
    app.get(&pad(doc)).bearer(token).send().await.expect(200)
}

async fn voortgang(app: &TestApp, token: &str, c: &Value) -> Value {
    app.get(&format!("{}/voortgang", pad(c))).bearer(token).send().await.expect(200)
}

/// Sends a signing link for `doc` and returns what the contact person got: the answer to the
/// request, with the link (`self`) and its `token` as the mail in the outbox (`.eml`) has them.
pub async fn link(app: &TestApp, token: &str, doc: &Value) -> Value {
    let mut l = app.post(&format!("{}/ondertekenverzoeken", pad(doc))).bearer(token).send().await.expect(202);
    assert!(l.get("token").is_none() && l.get("self").is_none(), "the link is only in the mail: {l}");
    let (url, token) = link_uit(&eml_van_link(app, id(&l)).await);
    l["self"] = json!(url);
    l["token"] = json!(token);
    l
}

/// A newcomer (n) with a running contract in tb-1's caseload, signed `getekend` days from today
/// and ending `einde` days from today, and a registered organisation with its aanbieder.
pub struct Opzet {
    pub tb: String,
    pub burger: String,
    pub persoon: Value,
    pub contract: Value,
    pub org: i64,
    pub aanbieder: String,
}

pub async fn opzet(app: &TestApp, n: u32, getekend: i64, einde: i64) -> Opzet {
    let tb = tb(app, "tb-1");
    let persoon = registreer(app, &tb, n, json!({})).await;
    let mut body = contract(id(&persoon), getekend, einde, json!({ "opgenomen": true }));
    body["pijlers"] =
        json!({ "maatschappelijkeOrientatie": "behaald", "nederlands": "behaald", "werk": "vrijgesteld" });
    let contract = teken(app, &tb, body).await;
    let org = create_organisatie(app, &format!("Buurtwerk De Brug {n} vzw"), GENT).await;
    Opzet { burger: burger(app, n), aanbieder: aanbieder(app, &format!("brug-{n}"), org), tb, persoon, contract, org }
}

#[actix_web::test]
async fn the_way_to_40_approved_hours() {
    let app = TestApp::spawn().await;
    // A verplicht newcomer whose term ended two days ago, every other pillar done.
    let o = opzet(&app, 1, -400, -2).await;
    let c = &o.contract;
    let p = wijzig(&app, &o.tb, c, json!({ "soort": "attestUitgereikt" })).await.problem(409, "pnt:attestNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("40"), "{p}");
    assert_eq!(voortgang(&app, &o.tb, c).await["risico"], "termijnVerstreken");

    // The newcomer logs 24 hours of volunteering at a registered organisation.
    let body = bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-30, 8.0), (-10, 8.0), (-20, 8.0)]));
    let res = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await;
    let b1 = res.expect(201);
    assert_eq!(res.header("location").as_deref(), b1["self"].as_str());
    assert_eq!(res.header("etag").as_deref(), Some("\"1\""));
    assert!(b1["self"].as_str().unwrap().starts_with("http://localhost:8080/v1/deelnamebewijzen/"));
    assert_eq!(b1["status"], "concept");
    assert_eq!(b1["totaalUren"], 24.0);
    assert_eq!(b1["contract"], json!({ "href": c["self"], "id": c["id"] }));
    assert_eq!(
        b1["inburgeraar"],
        json!({ "href": o.persoon["self"], "id": o.persoon["id"], "voornaam": "Amina", "achternaam": "Haddad-1" })
    );
    assert_eq!(b1["trajectbegeleider"], "tb-1");
    assert_eq!(b1["organisatie"]["id"], o.org);
    assert_eq!(b1["organisatie"]["naam"], "Buurtwerk De Brug 1 vzw");
    assert_eq!(b1["aanbodtype"], "vrijwilligerswerk");
    assert_eq!(b1["contactpersoon"]["naam"], "An Peeters");
    let dagen: Vec<_> = b1["prestaties"].as_array().unwrap().iter().map(|p| p["datum"].clone()).collect();
    assert_eq!(dagen, [dag(-30), dag(-20), dag(-10)], "lines by date");
    assert!(b1.get("ondertekening").is_none() && b1.get("beoordeling").is_none());

    // Submitted, signed by the organisation's account, waiting for review.
    let b1 = post(&app, &o.burger, &b1, "indienen", json!(null)).await.expect(200);
    assert_eq!(b1["status"], "teOndertekenen");
    let res = app
        .post(&format!("{}/ondertekening", pad(&b1)))
        .bearer(&o.aanbieder)
        .header("If-Match", &etag(&b1))
        .json(&json!({ "naam": "An Peeters" }))
        .send()
        .await;
    let getekend = res.expect(200);
    assert_eq!(getekend["status"], "ondertekend");
    assert_eq!(getekend["ondertekening"]["door"], "An Peeters");
    assert_eq!(getekend["ondertekening"]["via"], "account");
    assert_eq!(getekend["inburgeraar"], json!({ "naam": "Amina Haddad-1" }), "the aanbieder's reduced view");
    let v = voortgang(&app, &o.tb, c).await;
    assert_eq!((v["goedgekeurdeUren"].clone(), v["ingediendeUren"].clone()), (json!(0.0), json!(24.0)));
    let wachtend = app.get("/v1/inburgeringscontracten?teBeoordelen=true").bearer(&o.tb).send().await.expect(200);
    assert_eq!(wachtend["items"][0]["href"], c["self"], "the worklist shows proofs waiting for review");
    let lijst = app.get("/v1/deelnamebewijzen?status=ondertekend&trajectbegeleider=me").bearer(&o.tb).send().await;
    assert_eq!(lijst.expect(200)["items"][0]["href"], b1["self"]);

    let b1 = post(&app, &o.tb, &b1, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);
    assert_eq!(b1["status"], "goedgekeurd");
    assert_eq!(b1["beoordeling"]["door"], "tb-1");
    assert_eq!(b1["beoordeling"]["beslissing"], "goedgekeurd");
    let v = voortgang(&app, &o.tb, c).await;
    assert_eq!((v["goedgekeurdeUren"].clone(), v["ingediendeUren"].clone()), (json!(24.0), json!(0.0)));
    assert_eq!(v["percentage"], 60);
    let geen = app.get("/v1/inburgeringscontracten?teBeoordelen=true").bearer(&o.tb).send().await.expect(200);
    assert_eq!(geen["total"], 0);

    // A praattafel of an unregistered group, its contact person without an account: the
    // trajectbegeleider starts the proof and makes a signing link.
    let body = json!({
        "contract": id(c), "organisatieNaam": "Praattafel Bib Geel", "aanbodtype": "praattafel",
        "activiteit": "Praattafel op dinsdag", "contactpersoon": { "naam": "Jan Janssens", "email": "jan@bibgeel.be" },
        "prestaties": [{ "datum": dag(-40), "uren": 6 }, { "datum": dag(-35), "uren": 6.0 },
                       { "datum": dag(-15), "uren": 4.25, "omschrijving": "Uitstap naar de markt" }]
    });
    let b2 = maak(&app, &o.tb, &body).await;
    assert!(b2["organisatie"].get("href").is_none());
    assert_eq!(b2["totaalUren"], 16.25);
    let l = link(&app, &o.tb, &b2).await;
    let pagina = app.get(&path_of(&l["self"])).send().await.expect(200);
    assert_eq!(pagina["inburgeraar"], "Amina H.");
    assert_eq!(pagina["totaalUren"], 16.25);
    let uit = app
        .post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "Jan Janssens" }))
        .send()
        .await
        .expect(200);
    assert_eq!(uit["status"], "ondertekend");
    let b2 = post(&app, &o.tb, &b2, "beoordeling", json!({ "beslissing": "goedgekeurd", "motivatie": "Gebeld" }))
        .await
        .expect(200);
    assert_eq!(b2["beoordeling"]["motivatie"], "Gebeld");

    // 40.25 approved hours: the PNT is met.
    let v = voortgang(&app, &o.tb, c).await;
    assert_eq!(v["goedgekeurdeUren"], 40.25);
    assert_eq!(v["resterendeUren"], 0.0);
    assert_eq!(v["percentage"], 100);
    assert_eq!(v["risico"], "behaald");
    assert_eq!(lees(&app, &o.burger, c).await["voortgang"]["risico"], "behaald");
    let behaald = app.get("/v1/inburgeringscontracten?risico=behaald").bearer(&o.tb).send().await.expect(200);
    assert_eq!(behaald["total"], 1);

    // The rules of the contract issue that depend on the hours follow: no sanction, the attest.
    let boete = json!({ "soort": "sanctieOpgelegd", "categorie": 1, "bedragCent": 5000, "reden": "Te laat",
                        "nieuweTermijnEinde": dag(100), "opvolging": [1] });
    let p = wijzig(&app, &o.tb, c, boete).await.problem(409, "pnt:sanctionNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("met"), "{p}");
    let w = wijzig(&app, &o.tb, c, json!({ "soort": "attestUitgereikt" })).await.expect(201);
    assert_eq!(w["contractStatus"], "voltooid");

    // Only lines inside the term count: move the signing date (as if recorded later) and the
    // lines before it drop out.
    let cid = id(c);
    let nieuw = vandaag().checked_sub_days(chrono::Days::new(25)).unwrap();
    app.db(move |conn| {
        use diesel::{ExpressionMethods, QueryDsl};
        use pnt_api::db::schema::inburgeringscontracten::dsl::*;
        diesel::update(inburgeringscontracten.find(cid)).set(ondertekend_op.eq(nieuw)).execute(conn)?;
        Ok(())
    })
    .await;
    assert_eq!(voortgang(&app, &o.tb, c).await["goedgekeurdeUren"], 20.25);
}

/// R7 as seed 003 has it: "Per aanbodtype bij dezelfde organisatie of bij dezelfde
/// contactpersoon kunnen de uren … samengeteld worden. Wanneer de inburgeraar activiteiten
/// presteert bij een ander aanbodtype/andere contactpersoon wordt een nieuw bewijs van deelname
/// opgemaakt." Hours of one type with one contact person at one organisation share a proof;
/// another contact person gets a new proof, so nobody signs hours another person supervised.
#[actix_web::test]
async fn r7_one_open_proof_per_type_organisation_and_contact_person() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let eerste = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", json!([]))).await;

    // Same type, organisation and contact person (by name, ignoring case and spaces): 409 with
    // the open proof, whose hours these are.
    let mut body = bewijs(c, o.org, "vrijwilligerswerk", "an  PEETERS", json!([]));
    body["contactpersoon"]["email"] = json!("an.peeters@example.org");
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], eerste["self"]);
    assert!(p["detail"].as_str().unwrap().contains("same contact person"), "{p}");
    // The same organisation by name only, the same contact person by e-mail.
    let mut body = bewijs(c, o.org, "vrijwilligerswerk", "A. Peeters", json!([]));
    body.as_object_mut().unwrap().remove("organisatie");
    body["organisatieNaam"] = json!("buurtwerk de  BRUG 1 vzw");
    body["contactpersoon"]["email"] = json!("AN@DeBrug.be");
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.tb).json(&body).send().await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], eerste["self"]);

    // Same type at the same organisation with another contact person: a new proof (this was a
    // 409 before, so one contact person would have signed hours another supervised).
    let mut body = bewijs(c, o.org, "vrijwilligerswerk", "Piet Pieters", json!([]));
    body["contactpersoon"]["email"] = json!("piet@debrug.be");
    let piet = maak(&app, &o.burger, &body).await;
    assert_ne!(piet["id"], eerste["id"]);
    // The same contact person at another organisation: a new proof too.
    let andere = create_organisatie(&app, "Sportclub Geel", GEEL).await;
    maak(&app, &o.burger, &bewijs(c, andere, "vrijwilligerswerk", "An Peeters", json!([]))).await;
    // Another type: a new proof.
    maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "An Peeters", json!([]))).await;
    // Another newcomer's contract is another group.
    let o2 = opzet(&app, 2, -100, 200).await;
    maak(&app, &o2.burger, &bewijs(&o2.contract, o.org, "vrijwilligerswerk", "An Peeters", json!([]))).await;

    // Names compare after Unicode NFKC, case folding and accent removal: "Café" with a combining
    // accent, or in full-width letters, is the same organisation (and "ＭＡＲＩＥ" the same person).
    let vrij = |organisatie: &str, contact: &str| {
        let mut body = bewijs(c, o.org, "buddyproject", contact, json!([]));
        body.as_object_mut().unwrap().remove("organisatie");
        body["organisatieNaam"] = json!(organisatie);
        body["contactpersoon"]["email"] = Value::Null;
        body
    };
    let cafe = maak(&app, &o.burger, &vrij("Café De Kring", "Marie Dubois")).await;
    for (organisatie, contact) in [
        ("Cafe\u{301} De Kring", "Marie Dubois"),
        ("Ｃａｆé de kring", "ＭＡＲＩＥ  dubois"),
        ("CAFÉ DE KRING", "Marie Dubóis"),
    ] {
        let body = vrij(organisatie, contact);
        let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await;
        let p = p.problem(409, "pnt:duplicate");
        assert_eq!(p["href"], cafe["self"], "{organisatie} / {contact}");
    }
    maak(&app, &o.burger, &vrij("Café De Kringloop", "Marie Dubois")).await;

    // Once signed, the proof is closed: later hours of the same kind start a new proof.
    let mut b = post(&app, &o.burger, &eerste, "prestaties", json!({ "datum": dag(-3), "uren": 2 })).await.expect(200);
    b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    post(&app, &o.aanbieder, &b, "ondertekening", json!({})).await.expect(200);
    let nieuw = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", json!([]))).await;
    assert_ne!(nieuw["id"], eerste["id"]);
    // …and that new open one is now the one to add to.
    let body = bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", json!([]));
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.tb).json(&body).send().await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], nieuw["self"]);
}

#[actix_web::test]
async fn r10_every_faulty_line_is_named() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let mut body = bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", json!([]));
    body["prestaties"] = json!([
        { "datum": dag(-101), "uren": 1 },   // before the contract was signed
        { "datum": dag(1), "uren": 2 },      // in the future
        { "datum": dag(-5), "uren": 0 },     // zero
        { "datum": dag(-6), "uren": 12.5 },  // more than a day holds
        { "datum": dag(-7), "uren": 1.3 },   // not in quarter hours
        { "datum": dag(-8), "uren": -1 },    // negative
        { "datum": dag(-9), "uren": 2 },
        { "datum": dag(-9), "uren": 1 }      // a second line for one day
    ]);
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(
        issue_names(&p),
        [
            "prestaties[0].datum",
            "prestaties[1].datum",
            "prestaties[2].uren",
            "prestaties[3].uren",
            "prestaties[4].uren",
            "prestaties[5].uren",
            "prestaties[7].datum"
        ]
    );
    assert!(p["issues"][3]["detail"].as_str().unwrap().contains("12"), "{p}");
    assert!(p["issues"][4]["detail"].as_str().unwrap().contains("quarter"), "{p}");
    // Wrong JSON types and long texts are named too.
    body["prestaties"] = json!([{ "datum": dag(-1), "uren": "twee" }]);
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["prestaties[0].uren"]);
    body["prestaties"] = json!([{ "datum": dag(-1), "uren": 1, "omschrijving": "x".repeat(301) }]);
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["prestaties[0].omschrijving"]);
    // Missing header fields.
    let p = app
        .post("/v1/deelnamebewijzen")
        .bearer(&o.burger)
        .json(&json!({ "contract": id(c) }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["aanbodtype", "activiteit", "organisatieNaam", "contactpersoon"]);
    let p = app
        .post("/v1/deelnamebewijzen")
        .bearer(&o.burger)
        .json(&json!({ "contract": 999, "organisatie": 999, "aanbodtype": "praattafel", "activiteit": "x",
                       "contactpersoon": { "naam": "x" } }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["contract", "organisatie"]);

    // Replacing the lines: issues name items[i].
    let b = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 1.25)]))).await;
    let p = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.burger)
        .json(&json!({ "items": [{ "datum": dag(-2), "uren": 2 }, { "datum": dag(-1), "uren": 12.25 }] }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["items[1].uren"]);
    let b = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.burger)
        .json(&json!({ "items": [{ "datum": dag(-2), "uren": 2 }, { "datum": dag(-1), "uren": 1.75 }] }))
        .send()
        .await
        .expect(200);
    assert_eq!(b["totaalUren"], 3.75);
    assert_eq!(b["versie"], 2);
    // Adding one line: a day that has one already.
    let p = post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-2), "uren": 1 }))
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["datum"]);
    // A day holds 12 hours over all the contract's proofs.
    let ander = maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "An Peeters", lijnen(&[(-2, 8.0)]))).await;
    let p = post(&app, &o.burger, &ander, "prestaties", json!({ "datum": dag(-1), "uren": 10.5 }))
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["uren"]);
    assert!(p["detail"].as_str().unwrap().contains("1.75 hours"), "{p}");
    let p = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.burger)
        .json(&json!({ "items": [{ "datum": dag(-2), "uren": 4.25 }] }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["items[0].uren"]);
    // Removing a line; a day without one is 404.
    let b = app.delete(&format!("{}/prestaties/{}", pad(&b), dag(-1))).bearer(&o.burger).send().await.expect(200);
    assert_eq!(b["totaalUren"], 2.0);
    app.delete(&format!("{}/prestaties/{}", pad(&b), dag(-1)))
        .bearer(&o.burger)
        .send()
        .await
        .problem(404, "resourceNotFound");
    app.delete(&format!("{}/prestaties/morgen", pad(&b))).bearer(&o.burger).send().await.problem(400, "badRequest");

    // After the term: refused, until the term is extended (R4, R5).
    let o2 = opzet(&app, 2, -300, -3).await;
    let body = bewijs(&o2.contract, o2.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-1, 2.0)]));
    let p = app.post("/v1/deelnamebewijzen").bearer(&o2.burger).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["prestaties[0].datum"]);
    assert!(p["detail"].as_str().unwrap().contains("after the end of the term"), "{p}");
    wijzig(
        &app,
        &o2.tb,
        &o2.contract,
        json!({ "soort": "termijnVerlengd", "nieuweTermijnEinde": dag(90), "reden": "Ziekte" }),
    )
    .await
    .expect(201);
    maak(&app, &o2.burger, &body).await;
}

#[actix_web::test]
async fn the_status_machine_and_its_refusals() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let b = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", json!([]))).await;

    // Nothing to submit or link yet.
    post(&app, &o.burger, &b, "indienen", json!(null)).await.problem(409, "pnt:emptyDeelnamebewijs");
    app.post(&format!("{}/ondertekenverzoeken", pad(&b)))
        .bearer(&o.burger)
        .send()
        .await
        .problem(409, "pnt:emptyDeelnamebewijs");
    // Signing and review only in their status.
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(409, "pnt:invalidTransition");
    let b = post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-2), "uren": 3 })).await.expect(200);
    // An aanbieder does not see a draft yet.
    app.get(&pad(&b)).bearer(&o.aanbieder).send().await.problem(404, "resourceNotFound");

    // If-Match: a stale ETag is 412 and changes nothing.
    let res = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.burger)
        .header("If-Match", "\"1\"")
        .json(&json!({ "items": [] }))
        .send()
        .await;
    res.problem(412, "pnt:preconditionFailed");
    let res =
        app.post(&format!("{}/ondertekenverzoeken", pad(&b))).bearer(&o.tb).header("If-Match", "\"1\"").send().await;
    res.problem(412, "pnt:preconditionFailed");
    app.get("/v1/deelnamebewijzen/99999").bearer(&o.tb).send().await.problem(404, "resourceNotFound");
    let res = app.post(&format!("{}/indienen", pad(&b))).bearer(&o.burger).header("If-Match", "\"1\"").send().await;
    res.problem(412, "pnt:preconditionFailed");
    let b = app
        .post(&format!("{}/indienen", pad(&b)))
        .bearer(&o.burger)
        .header("If-Match", &etag(&b))
        .send()
        .await
        .expect(200);
    assert_eq!(b["status"], "teOndertekenen");
    let p = post(&app, &o.burger, &b, "indienen", json!(null)).await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("already waiting"), "{p}");
    // Hours may still change before the signature; the status stays.
    let b = post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-1), "uren": 1 })).await.expect(200);
    assert_eq!(b["status"], "teOndertekenen");

    // Refusal needs a motivation; it keeps the proof until the hours change (back to concept).
    let p = post(&app, &o.aanbieder, &b, "weigering", json!({})).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["motivatie"]);
    let b =
        post(&app, &o.aanbieder, &b, "weigering", json!({ "motivatie": "Was er niet op die dag" })).await.expect(200);
    assert_eq!(b["status"], "geweigerd");
    assert_eq!(b["weigering"]["motivatie"], "Was er niet op die dag");
    assert_eq!(b["weigering"]["door"], "brug-1");
    assert_eq!(b["weigering"]["via"], "account");
    post(&app, &o.aanbieder, &b, "ondertekening", json!({})).await.problem(409, "pnt:invalidTransition");
    let p = post(&app, &o.burger, &b, "indienen", json!(null)).await.problem(409, "pnt:invalidTransition");
    assert!(p["detail"].as_str().unwrap().contains("change its hours first"), "{p}");
    let b = app.delete(&format!("{}/prestaties/{}", pad(&b), dag(-1))).bearer(&o.burger).send().await.expect(200);
    assert_eq!(b["status"], "concept");
    assert_eq!(b["weigering"]["motivatie"], "Was er niet op die dag", "the last refusal stays visible");

    // Signed: immutable, for every line operation, and in the database itself.
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    let b = post(&app, &o.aanbieder, &b, "ondertekening", json!({})).await.expect(200);
    assert_eq!(b["ondertekening"]["door"], "brug-1", "the token's subject when no name is given");
    for res in [
        post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-5), "uren": 1 })).await,
        app.put(&format!("{}/prestaties", pad(&b))).bearer(&o.tb).json(&json!({ "items": [] })).send().await,
        app.delete(&format!("{}/prestaties/{}", pad(&b), dag(-2))).bearer(&o.burger).send().await,
    ] {
        let p = res.problem(409, "pnt:invalidTransition");
        assert!(p["detail"].as_str().unwrap().contains("immutable"), "{p}");
    }
    post(&app, &o.aanbieder, &b, "weigering", json!({ "motivatie": "toch niet" }))
        .await
        .problem(409, "pnt:invalidTransition");
    app.post(&format!("{}/ondertekenverzoeken", pad(&b)))
        .bearer(&o.burger)
        .send()
        .await
        .problem(409, "pnt:invalidTransition");
    let bid = id(&b);
    let fout = app
        .state
        .db
        .run(
            move |conn| Ok(diesel::sql_query(format!("DELETE FROM prestaties WHERE bewijs_id = {bid}")).execute(conn)?),
        )
        .await;
    assert!(fout.is_err(), "the database refuses to change a signed proof's lines");

    // Review: rejection needs a motivation, and reopens the proof once the hours change.
    let p = post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "afgekeurd" })).await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["motivatie"]);
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "misschien" })).await.problem(400, "badRequest");
    let b = post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "afgekeurd", "motivatie": "Uren te hoog" }))
        .await
        .expect(200);
    assert_eq!(b["status"], "afgekeurd");
    assert_eq!(b["beoordeling"]["motivatie"], "Uren te hoog");
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(409, "pnt:invalidTransition");
    let b = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.burger)
        .json(&json!({ "items": [{ "datum": dag(-2), "uren": 2 }] }))
        .send()
        .await
        .expect(200);
    assert_eq!(b["status"], "concept");
    assert!(b.get("ondertekening").is_none(), "the old signature does not cover the new hours");
    assert_eq!(b["beoordeling"]["beslissing"], "afgekeurd", "the last review stays visible");

    // A closed contract takes no new hours or proofs.
    wijzig(&app, &o.tb, c, json!({ "soort": "stopgezet", "reden": "Verhuisd naar Wallonië" })).await.expect(201);
    post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-3), "uren": 1 }))
        .await
        .problem(409, "pnt:contractNotRunning");
    post(&app, &o.burger, &b, "indienen", json!(null)).await.problem(409, "pnt:contractNotRunning");
    let body = bewijs(c, o.org, "praattafel", "An Peeters", json!([]));
    app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(409, "pnt:contractNotRunning");
}

#[actix_web::test]
async fn signing_links_are_single_use_expire_and_resist_tampering() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let b =
        maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.5), (-2, 1.0)])))
            .await;

    // Making a link submits the draft and mails the link to the contact person; the API keeps
    // only the token's hash and never shows it to the requester.
    let res = app.post(&format!("{}/ondertekenverzoeken", pad(&b))).bearer(&o.burger).send().await;
    let mut l = res.expect(202);
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert_eq!(l["versie"], 2);
    assert_eq!(l["deelnamebewijs"], b["self"]);
    assert_eq!(l["verzondenNaar"], "a***@debrug.be");
    assert_eq!(l["emailBron"], "ingevoerd");
    assert_eq!(l["bezorging"], "teVerzenden");
    let (url, token) = link_uit(&eml_van_link(&app, id(&l)).await);
    assert!(!res.text().contains(&token));
    l["self"] = json!(url);
    assert_eq!(token.len(), 43);
    assert_eq!(l["self"], format!("http://localhost:8080/v1/ondertekenverzoeken/{token}"));
    assert_eq!(lees(&app, &o.burger, &b).await["status"], "teOndertekenen");
    let opgeslagen = app
        .db(|conn| {
            use diesel::QueryDsl;
            use pnt_api::db::schema::ondertekenverzoeken::dsl::*;
            Ok(ondertekenverzoeken.select(token_hash).load::<String>(conn)?)
        })
        .await;
    assert_eq!(opgeslagen.len(), 1);
    assert_ne!(opgeslagen[0], token);
    assert_eq!(opgeslagen[0], pnt_api::domain::secrets::token_hash(&token));
    // Not with an Idempotency-Key (a replay would have to keep the token).
    app.post(&format!("{}/ondertekenverzoeken", pad(&b)))
        .bearer(&o.burger)
        .header("Idempotency-Key", "k-1")
        .send()
        .await
        .problem(400, "badRequest");

    // The contact person sees the minimum, without logging in.
    let pagina = app.get(&path_of(&l["self"])).send().await.expect(200);
    assert_eq!(
        pagina,
        json!({
            "self": l["self"], "inburgeraar": "Amina H.", "activiteit": "Vrijwilliger in het buurtrestaurant",
            "organisatie": "Buurtwerk De Brug 1 vzw",
            "prestaties": [{ "datum": dag(-3), "uren": 2.5 }, { "datum": dag(-2), "uren": 1.0 }],
            "totaalUren": 3.5, "verlooptOp": l["verlooptOp"]
        })
    );
    let verloopt = chrono::DateTime::parse_from_rfc3339(l["verlooptOp"].as_str().unwrap()).unwrap();
    let dagen = (verloopt.with_timezone(&chrono::Utc) - chrono::Utc::now()).num_hours();
    assert!((14 * 24 - 1..=14 * 24).contains(&dagen), "valid 14 days: {dagen} h");

    // Tampering: a changed token is unknown.
    let mut fout = token.clone();
    let laatste = fout.pop().unwrap();
    fout.push(if laatste == 'A' { 'B' } else { 'A' });
    app.get(&format!("/v1/ondertekenverzoeken/{fout}")).send().await.problem(404, "resourceNotFound");
    app.post(&format!("/v1/ondertekenverzoeken/{fout}"))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "X" }))
        .send()
        .await
        .problem(404, "resourceNotFound");

    // A second link for the same version works too, until one is used.
    let l2 = link(&app, &o.tb, &b).await;
    assert_eq!(l2["versie"], 2, "no new version when already teOndertekenen");

    // Refusing needs a motivation and a name.
    let p = app
        .post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "weigeren", "naam": "An Peeters" }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["motivatie"]);
    let p = app
        .post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen" }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["naam"]);

    // One decision: signing uses the link; the other link is now outdated.
    let uit = app
        .post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "An Peeters" }))
        .send()
        .await
        .expect(200);
    assert_eq!(uit["beslissing"], "ondertekenen");
    assert_eq!(uit["status"], "ondertekend");
    assert_eq!(uit["totaalUren"], 3.5);
    let p = app
        .post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "weigeren", "naam": "An Peeters", "motivatie": "toch niet" }))
        .send()
        .await
        .problem(410, "pnt:signingLinkUsed");
    assert!(p["detail"].as_str().unwrap().contains("already used"), "{p}");
    app.get(&path_of(&l["self"])).send().await.problem(410, "pnt:signingLinkUsed");
    app.get(&path_of(&l2["self"])).send().await.problem(409, "pnt:signingLinkOutdated");
    let getekend = lees(&app, &o.burger, &b).await;
    assert_eq!(getekend["status"], "ondertekend");
    assert_eq!(getekend["ondertekening"]["door"], "An Peeters");
    assert_eq!(getekend["ondertekening"]["via"], "link");

    // A link for a proof that changed afterwards is outdated (tied to the content).
    let b2 = maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "Jan Janssens", lijnen(&[(-4, 2.0)]))).await;
    let l3 = link(&app, &o.burger, &b2).await;
    post(&app, &o.burger, &b2, "prestaties", json!({ "datum": dag(-5), "uren": 5 })).await.expect(200);
    app.get(&path_of(&l3["self"])).send().await.problem(409, "pnt:signingLinkOutdated");
    app.post(&path_of(&l3["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "Jan" }))
        .send()
        .await
        .problem(409, "pnt:signingLinkOutdated");

    // Expiry: a link older than 14 days.
    let l4 = link(&app, &o.burger, &b2).await;
    let hash = pnt_api::domain::secrets::token_hash(l4["token"].as_str().unwrap());
    app.db(move |conn| {
        use diesel::{ExpressionMethods, QueryDsl};
        use pnt_api::db::schema::ondertekenverzoeken::dsl::*;
        let gisteren = chrono::Utc::now().naive_utc() - chrono::Duration::days(1);
        diesel::update(ondertekenverzoeken.filter(token_hash.eq(hash))).set(verloopt_op.eq(gisteren)).execute(conn)?;
        Ok(())
    })
    .await;
    let p = app.get(&path_of(&l4["self"])).send().await.problem(410, "pnt:signingLinkExpired");
    assert!(p["detail"].as_str().unwrap().contains("14 days"), "{p}");
    app.post(&path_of(&l4["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "Jan" }))
        .send()
        .await
        .problem(410, "pnt:signingLinkExpired");
    assert_eq!(lees(&app, &o.burger, &b2).await["status"], "teOndertekenen");

    // Refusing through a link.
    let l5 = link(&app, &o.burger, &b2).await;
    let uit = app
        .post(&path_of(&l5["self"]))
        .json(&json!({ "beslissing": "weigeren", "naam": "Jan Janssens", "motivatie": "Niet gezien op die dagen" }))
        .send()
        .await
        .expect(200);
    assert_eq!(uit["status"], "geweigerd");
    let geweigerd = lees(&app, &o.tb, &b2).await;
    assert_eq!(geweigerd["weigering"]["door"], "Jan Janssens");
    assert_eq!(geweigerd["weigering"]["via"], "link");

    // Only those who change the proof make links.
    app.post(&format!("{}/ondertekenverzoeken", pad(&b2)))
        .bearer(&o.aanbieder)
        .send()
        .await
        .problem(403, "missingPermission");
}

#[actix_web::test]
async fn repeated_wrong_tokens_are_rate_limited() {
    let app = TestApp::spawn_with(|s| s.auth_rate_per_minute = 3).await;
    for i in 0..3 {
        app.get(&format!("/v1/ondertekenverzoeken/geraden-{i}")).send().await.problem(404, "resourceNotFound");
    }
    let res = app.get("/v1/ondertekenverzoeken/geraden-4").send().await;
    res.problem(429, "belgif:tooManyRequests");
    assert!(res.header("retry-after").is_some());
    app.post("/v1/ondertekenverzoeken/geraden-5")
        .json(&json!({ "beslissing": "ondertekenen", "naam": "X" }))
        .send()
        .await
        .problem(429, "belgif:tooManyRequests");
}

#[actix_web::test]
async fn who_sees_and_does_what() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let o2 = opzet(&app, 2, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-2, 2.0)])))
        .await;
    let b2 = maak(&app, &o2.burger, &bewijs(&o2.contract, o2.org, "praattafel", "Jan", lijnen(&[(-2, 1.0)]))).await;
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    let ander_tb = tb(&app, "tb-2");
    let admin = admin(&app);

    // The newcomer, their trajectbegeleider and admins see it in full.
    for token in [&o.burger, &o.tb, &admin] {
        let doc = lees(&app, token, &b).await;
        assert_eq!(doc["inburgeraar"]["achternaam"], "Haddad-1");
        assert_eq!(doc["contract"]["id"], o.contract["id"]);
    }
    // Another newcomer, another trajectbegeleider, another organisation: 404.
    for token in [&o2.burger, &ander_tb, &o2.aanbieder] {
        app.get(&pad(&b)).bearer(token).send().await.problem(404, "resourceNotFound");
    }
    // Roles that see no proofs: 403; no token: 401.
    let lb = lokaal_bestuur(&app, &[GENT]);
    app.get(&pad(&b)).bearer(&lb).send().await.problem(403, "missingPermission");
    app.get("/v1/deelnamebewijzen").bearer(&lb).send().await.problem(403, "missingPermission");
    app.get(&pad(&b)).send().await.problem(401, "noAccessToken");
    let zonder_org = app.token(Role::Aanbieder, "zwerver");
    app.get("/v1/deelnamebewijzen").bearer(&zonder_org).send().await.problem(403, "missingPermission");

    // The aanbieder: the newcomer's name only.
    let beperkt = lees(&app, &o.aanbieder, &b).await;
    assert_eq!(beperkt["inburgeraar"], json!({ "naam": "Amina Haddad-1" }));
    for veld in ["contract", "trajectbegeleider", "beoordeling"] {
        assert!(beperkt.get(veld).is_none(), "{veld} in {beperkt}");
    }
    assert_eq!(beperkt["prestaties"][0]["uren"], 2.0);

    // Lists: each their own.
    let hrefs = |v: &Value| v["items"].as_array().unwrap().iter().map(|i| i["href"].clone()).collect::<Vec<_>>();
    let lijst = |token: String, q: &'static str| {
        let app = &app;
        async move { app.get(&format!("/v1/deelnamebewijzen{q}")).bearer(&token).send().await.expect(200) }
    };
    assert_eq!(hrefs(&lijst(o.burger.clone(), "").await), [b["self"].clone()]);
    assert_eq!(hrefs(&lijst(o2.burger.clone(), "").await), [b2["self"].clone()]);
    assert_eq!(hrefs(&lijst(o.tb.clone(), "").await), [b["self"].clone(), b2["self"].clone()]);
    assert_eq!(lijst(ander_tb.clone(), "").await["total"], 0);
    assert_eq!(lijst(admin.clone(), "").await["total"], 2);
    let org_lijst = lijst(o.aanbieder.clone(), "").await;
    assert_eq!(hrefs(&org_lijst), [b["self"].clone()]);
    assert_eq!(org_lijst["items"][0]["inburgeraar"], json!({ "naam": "Amina Haddad-1" }));
    assert_eq!(lijst(o2.aanbieder.clone(), "").await["total"], 0, "a draft is not addressed yet");
    // Filters.
    let q = format!("?contract={}", id(&o2.contract));
    assert_eq!(
        hrefs(&app.get(&format!("/v1/deelnamebewijzen{q}")).bearer(&admin).send().await.expect(200)),
        [b2["self"].clone()]
    );
    assert_eq!(hrefs(&lijst(admin.clone(), "?status=teOndertekenen").await), [b["self"].clone()]);
    assert_eq!(hrefs(&lijst(admin.clone(), "?status=teOndertekenen&status=concept").await).len(), 2);
    assert_eq!(hrefs(&lijst(admin.clone(), "?aanbodtype=praattafel").await), [b2["self"].clone()]);
    let q = format!("?organisatie={}", o.org);
    assert_eq!(
        hrefs(&app.get(&format!("/v1/deelnamebewijzen{q}")).bearer(&admin).send().await.expect(200)),
        [b["self"].clone()]
    );
    assert_eq!(lijst(o.tb.clone(), "?trajectbegeleider=me").await["total"], 2);
    assert_eq!(lijst(admin.clone(), "?trajectbegeleider=me").await["total"], 0);
    app.get("/v1/deelnamebewijzen?statuss=concept").bearer(&admin).send().await.problem(400, "badRequest");
    let p = app.get("/v1/deelnamebewijzen?status=klaar").bearer(&admin).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["status"]);

    // Who may do what on a proof they see: 403.
    // The aanbieder fills in the hours (see `the_organisation_fills_in_the_proof`) but does not
    // submit it or make links.
    post(&app, &o.aanbieder, &b, "indienen", json!(null)).await.problem(403, "missingPermission");
    post(&app, &o.aanbieder, &b, "ondertekenverzoeken", json!(null)).await.problem(403, "missingPermission");
    // Signing by account is the organisation's (409, see
    // `an_account_signature_needs_the_organisation_and_is_not_approved_by_its_signer`).
    post(&app, &o.burger, &b, "ondertekening", json!({})).await.problem(409, "pnt:signerNotOfOrganisation");
    post(&app, &o.tb, &b, "ondertekening", json!({})).await.problem(409, "pnt:signerNotOfOrganisation");
    post(&app, &o.burger, &b, "weigering", json!({ "motivatie": "x" }))
        .await
        .problem(409, "pnt:signerNotOfOrganisation");
    let aanbieder_burger = app.token_for(TokenRequest {
        sub: "burger-1".into(),
        roles: vec![Role::Aanbieder, Role::Inburgeraar],
        organisatie: Some(o.org.to_string()),
        ..Default::default()
    });
    post(&app, &aanbieder_burger, &b, "ondertekening", json!({})).await.problem(403, "missingPermission");
    post(&app, &o2.aanbieder, &b, "ondertekening", json!({})).await.problem(404, "resourceNotFound");
    let b = post(&app, &o.aanbieder, &b, "ondertekening", json!({})).await.expect(200);
    post(&app, &o.burger, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(403, "missingPermission");
    post(&app, &o.aanbieder, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(403, "missingPermission");
    post(&app, &ander_tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(404, "resourceNotFound");
    // Creating: the newcomer for their own contract only; the aanbieder not at all.
    let body = bewijs(&o2.contract, o.org, "andere", "X", json!([]));
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send().await.problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["contract"]);
    app.post("/v1/deelnamebewijzen").bearer(&ander_tb).json(&body).send().await.problem(400, "badRequest");
    app.post("/v1/deelnamebewijzen").bearer(&o.aanbieder).json(&body).send().await.problem(403, "missingPermission");
    maak(&app, &admin, &body).await;
}

#[actix_web::test]
async fn proofs_from_the_catalogue_take_the_offers_details() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let g = crate::aanbod::Gent {
        org: o.org,
        aanbieder: o.aanbieder.clone(),
        gemeente: crate::organisaties::lokaal_bestuur(&app, "lb-gent", &[GENT]),
    };
    let mut body = crate::aanbod::aanbod(Some(o.org), GENT, "Taalcafé De Brug");
    body["contactpersoon"] = json!({ "naam": "An Peeters", "email": "an@debrug.be" });
    let aanbod = crate::aanbod::published(&app, &g, &body).await;
    let concept = crate::aanbod::create(&app, &g, &crate::aanbod::aanbod(Some(o.org), GENT, "Nog niet klaar")).await;

    let b = maak(&app, &o.burger, &json!({ "contract": id(&o.contract), "aanbod": aanbod })).await;
    assert_eq!(b["aanbod"], json!({ "href": format!("http://localhost:8080/v1/aanbod/{aanbod}"), "id": aanbod }));
    assert_eq!(b["activiteit"], "Taalcafé De Brug");
    assert_eq!(b["aanbodtype"], "praattafel");
    assert_eq!(b["organisatie"]["id"], o.org);
    assert_eq!(b["contactpersoon"], json!({ "naam": "An Peeters", "email": "an@debrug.be" }));

    // The offer decides type and organisation; an unpublished offer is not the newcomer's to see.
    let andere = create_organisatie(&app, "Sportclub", GEEL).await;
    let p = app
        .post("/v1/deelnamebewijzen")
        .bearer(&o.burger)
        .json(&json!({ "contract": id(&o.contract), "aanbod": aanbod, "aanbodtype": "buddyproject", "organisatie": andere }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["aanbodtype", "organisatie"]);
    let p = app
        .post("/v1/deelnamebewijzen")
        .bearer(&o.burger)
        .json(&json!({ "contract": id(&o.contract), "aanbod": concept }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["aanbod"]);
    // R7 holds for proofs from the catalogue too: the offer's contact person again is the open
    // proof's group.
    let p = app
        .post("/v1/deelnamebewijzen")
        .bearer(&o.tb)
        .json(&json!({ "contract": id(&o.contract), "aanbod": aanbod }))
        .send()
        .await
        .problem(409, "pnt:duplicate");
    assert_eq!(p["href"], b["self"]);
    // R8: the offer's contact person is the organisation's word: it comes with the offer, marked
    // as such, and nobody starting a proof overrides it (the organisation names another one).
    assert_eq!(b["contactBron"], "aanbod");
    for wie in [&o.burger, &o.tb] {
        let p = app
            .post("/v1/deelnamebewijzen")
            .bearer(wie)
            .json(&json!({ "contract": id(&o.contract), "aanbod": aanbod, "contactpersoon": { "naam": "Iemand" } }))
            .send()
            .await
            .problem(400, "badRequest");
        assert_eq!(issue_names(&p), ["contactpersoon"]);
    }
}

/// The number of pages in a PDF (page objects, not the page tree).
fn paginas(pdf: &[u8]) -> usize {
    let s = String::from_utf8_lossy(pdf);
    s.matches("/Type /Page").count() - s.matches("/Type /Pages").count()
}

#[actix_web::test]
async fn the_printable_proof() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let dagen: Vec<(i64, f64)> = (1..=30).map(|d| (-d, 1.25)).collect();
    let mut body = bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&dagen));
    for (i, p) in body["prestaties"].as_array_mut().unwrap().iter_mut().enumerate() {
        p["omschrijving"] = json!(format!("Keukenploeg, bediening en afwas in het buurtrestaurant (dag {i})"));
    }
    let b = maak(&app, &o.burger, &body).await;
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);

    let res = app
        .get(&pad(&b))
        .bearer(&o.tb)
        .header("Accept", "application/pdf")
        .header("BelGov-Trace-Id", "print-trace-42")
        .send()
        .await;
    assert_eq!(res.status.as_u16(), 200);
    assert_eq!(res.header("content-type").as_deref(), Some("application/pdf"));
    assert_eq!(res.header("etag").as_deref(), Some("\"2\""));
    assert!(res.header("content-disposition").unwrap().contains(&format!("deelnamebewijs-{}.pdf", id(&b))));
    assert!(res.body.starts_with(b"%PDF-"));
    assert!(res.body.len() > 2000, "{} bytes", res.body.len());
    let text = String::from_utf8_lossy(&res.body);
    assert!(text.contains("BelGov-Trace-Id: print-trace-42"), "the trace id is printed");
    let pages = paginas(&res.body);
    assert!((1..=2).contains(&pages), "{pages} pages for 30 lines");

    // A client that prefers PDF gets it; JSON by default, for */* and by preference.
    for accept in ["application/json;q=0.5, application/pdf", "application/*;q=0.1, application/pdf;q=0.9"] {
        let res = app.get(&pad(&b)).bearer(&o.burger).header("Accept", accept).send().await;
        assert_eq!(res.header("content-type").as_deref(), Some("application/pdf"), "{accept}");
    }
    for accept in ["application/json", "*/*", "application/pdf;q=0.5, application/json", "text/html, */*;q=0.1"] {
        let res = app.get(&pad(&b)).bearer(&o.burger).header("Accept", accept).send().await;
        assert_eq!(res.expect(200)["id"], b["id"], "{accept}");
    }
    let res = app.get(&pad(&b)).bearer(&o.burger).send().await;
    assert_eq!(res.header("content-type").as_deref(), Some("application/json"));
    app.get(&pad(&b)).bearer(&o.burger).header("Accept", "text/html").send().await.problem(406, "pnt:notAcceptable");
    app.get(&pad(&b))
        .bearer(&o.burger)
        .header("Accept", "application/pdf;q=0")
        .send()
        .await
        .problem(406, "pnt:notAcceptable");
    // The aanbieder prints it too (it shows only the newcomer's name); others still get 404.
    let res = app.get(&pad(&b)).bearer(&o.aanbieder).header("Accept", "application/pdf").send().await;
    assert!(res.body.starts_with(b"%PDF-"));
    app.get(&pad(&b))
        .bearer(&tb(&app, "tb-2"))
        .header("Accept", "application/pdf")
        .send()
        .await
        .problem(404, "resourceNotFound");
}

#[actix_web::test]
async fn every_change_and_read_is_in_the_audit_log() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-2, 2.0)])))
        .await;
    post(&app, &o.burger, &b, "prestaties", json!({ "datum": dag(-1), "uren": 1 })).await.expect(200);
    let l = link(&app, &o.burger, &b).await;
    app.get(&path_of(&l["self"])).send().await.expect(200);
    app.post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "An Peeters" }))
        .send()
        .await
        .expect(200);
    lees(&app, &o.aanbieder, &b).await;
    app.get("/v1/deelnamebewijzen").bearer(&o.tb).send().await.expect(200);
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);

    let entries = audit(&app, &format!("resourceType=deelnamebewijs&resourceId={}", id(&b))).await;
    let mut acties: Vec<(String, String)> = entries
        .iter()
        .map(|e| (e["actor"].as_str().unwrap().to_string(), e["actie"].as_str().unwrap().to_string()))
        .collect();
    acties.reverse();
    let link_actor = acties[3].0.clone();
    assert!(link_actor.starts_with("ondertekenverzoek:"), "{link_actor}");
    let verwacht: Vec<(String, String)> = [
        ("burger-1", "create"),
        ("burger-1", "update"),
        ("burger-1", "ondertekenverzoekAangemaakt"),
        (link_actor.as_str(), "read"),
        (link_actor.as_str(), "ondertekend"),
        ("brug-1", "read"),
        ("tb-1", "list"),
        ("tb-1", "beoordeeld"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(acties, verwacht);
    // The decision through the link leads back to who asked for the link (R8).
    let besluit = entries.iter().find(|e| e["actie"] == "ondertekend").unwrap();
    assert_eq!(besluit["details"]["aangevraagdDoor"], "burger-1");
    assert_eq!(besluit["details"]["ondertekenverzoek"], l["id"]);
    for e in &entries {
        assert_eq!(e["details"]["contract"], o.contract["id"]);
        let details = e["details"].to_string();
        for naam in ["Amina", "Haddad", "Peeters", "debrug.be"] {
            assert!(!details.contains(naam), "personal data in the audit log: {details}");
        }
        assert!(!e["traceId"].as_str().unwrap().is_empty());
    }
}

#[actix_web::test]
async fn concurrent_requests_cannot_break_single_use_or_r7() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An", lijnen(&[(-2, 2.0)]))).await;
    let l = link(&app, &o.burger, &b).await;
    let beslis = |naam: &'static str| {
        app.post(&path_of(&l["self"])).json(&json!({ "beslissing": "ondertekenen", "naam": naam })).send()
    };
    let (a, z) = futures_util::future::join(beslis("A"), beslis("Z")).await;
    let mut statussen = [a.status.as_u16(), z.status.as_u16()];
    statussen.sort();
    assert_eq!(statussen, [200, 410], "one decision per link");
    assert_eq!(lees(&app, &o.burger, &b).await["versie"], 3, "signed once");

    let body = bewijs(&o.contract, o.org, "praattafel", "Jan", json!([]));
    let maak_een = || app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&body).send();
    let (a, z) = futures_util::future::join(maak_een(), maak_een()).await;
    let mut statussen = [a.status.as_u16(), z.status.as_u16()];
    statussen.sort();
    assert_eq!(statussen, [201, 409], "R7 holds under concurrent creation");
}

/// A change that loses the version race (another writer changed the proof between the change's
/// read and its versioned UPDATE) is `409 conflict`, with or without `If-Match`, and changes
/// nothing: the hours (replace, add, remove a line), every status step by account, making a link
/// that submits a draft, and a decision through a link (which stays usable).
#[actix_web::test]
async fn a_lost_race_is_a_conflict_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let concept =
        maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)]))).await;
    let ingediend = maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "Jan Janssens", lijnen(&[(-4, 1.0)]))).await;
    let ingediend = post(&app, &o.burger, &ingediend, "indienen", json!(null)).await.expect(200);
    let l = link(&app, &o.burger, &ingediend).await;
    let getekend = maak(&app, &o.burger, &bewijs(c, o.org, "buddyproject", "Piet Peters", lijnen(&[(-5, 1.0)]))).await;
    let getekend = post(&app, &o.burger, &getekend, "indienen", json!(null)).await.expect(200);
    let getekend = post(&app, &o.aanbieder, &getekend, "ondertekening", json!({})).await.expect(200);
    let voor = [lees(&app, &o.burger, &concept).await, ingediend.clone(), getekend.clone()];

    app.lose_races_on("deelnamebewijzen").await;
    for met_if_match in [false, true] {
        let zend = |req, doc| met_etag(req, doc, met_if_match);
        let stappen = [
            (
                app.put(&format!("{}/prestaties", pad(&concept))).json(&json!({ "items": lijnen(&[(-6, 1.0)]) })),
                &concept,
            ),
            (
                app.post(&format!("{}/prestaties", pad(&concept))).json(&json!({ "datum": dag(-6), "uren": 1 })),
                &concept,
            ),
            (app.delete(&format!("{}/prestaties/{}", pad(&concept), dag(-3))), &concept),
            (app.post(&format!("{}/indienen", pad(&concept))), &concept),
            (app.post(&format!("{}/ondertekenverzoeken", pad(&concept))), &concept),
        ];
        for (req, doc) in stappen {
            zend(req.bearer(&o.burger), doc).send().await.problem(409, "pnt:conflict");
        }
        let ondertekening = app.post(&format!("{}/ondertekening", pad(&ingediend))).json(&json!({}));
        zend(ondertekening.bearer(&o.aanbieder), &ingediend).send().await.problem(409, "pnt:conflict");
        let weigering =
            app.post(&format!("{}/weigering", pad(&ingediend))).json(&json!({ "motivatie": "Niet gezien" }));
        zend(weigering.bearer(&o.aanbieder), &ingediend).send().await.problem(409, "pnt:conflict");
        let beoordeling =
            app.post(&format!("{}/beoordeling", pad(&getekend))).json(&json!({ "beslissing": "goedgekeurd" }));
        zend(beoordeling.bearer(&o.tb), &getekend).send().await.problem(409, "pnt:conflict");
    }
    app.post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "Jan Janssens" }))
        .send()
        .await
        .problem(409, "pnt:conflict");

    app.get(&path_of(&l["self"])).send().await.expect(200);
    for doc in &voor {
        let nu = lees(&app, &o.tb, doc).await;
        for veld in ["versie", "status", "prestaties", "gewijzigdOp"] {
            assert_eq!(nu[veld], doc[veld], "{veld} of proof {}", doc["id"]);
        }
    }
}

/// `req` with the `If-Match` of `doc`'s version, if `met`.
fn met_etag<'a>(req: Req<'a>, doc: &Value, met: bool) -> Req<'a> {
    if met { req.header("If-Match", &etag(doc)) } else { req }
}

/// R10 under concurrency: twenty parallel 1-hour lines for one day on twenty proofs of one
/// contract end at exactly 12 hours; the other eight are refused with the R10 issue on `uren`.
/// The contract's row lock serialises the check and the write on PostgreSQL (SQLite's writers
/// are serialised already).
#[actix_web::test]
async fn r10_holds_under_concurrent_lines_for_one_day() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let mut bewijzen = Vec::new();
    for i in 0..20 {
        let mut body = bewijs(&o.contract, o.org, "vrijwilligerswerk", &format!("Persoon {i}"), json!([]));
        body.as_object_mut().unwrap().remove("organisatie");
        body["organisatieNaam"] = json!(format!("Vereniging {i}"));
        body["contactpersoon"]["email"] = json!(format!("persoon{i}@vereniging{i}.be"));
        bewijzen.push(maak(&app, &o.burger, &body).await);
    }
    let antwoorden = futures_util::future::join_all(
        bewijzen.iter().map(|b| post(&app, &o.burger, b, "prestaties", json!({ "datum": dag(-2), "uren": 1 }))),
    )
    .await;
    let mut gelukt = 0;
    for res in antwoorden {
        if res.status.as_u16() == 200 {
            gelukt += 1;
        } else {
            let p = res.problem(400, "badRequest");
            assert_eq!(issue_names(&p), ["uren"], "{p}");
        }
    }
    assert_eq!(gelukt, 12, "one day holds 12 hours over all the contract's proofs");
    let mut totaal = 0.0;
    for b in &bewijzen {
        let doc = lees(&app, &o.tb, b).await;
        totaal += doc["prestaties"].as_array().unwrap().iter().map(|p| p["uren"].as_f64().unwrap()).sum::<f64>();
    }
    assert_eq!(totaal, 12.0);
}

/// A proof of a contract that no longer runs is frozen: it is not signed (by account or by link),
/// refused or reviewed (`409 contractNotRunning`).
#[actix_web::test]
async fn proofs_of_a_stopped_contract_are_not_signed_or_reviewed() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;
    let te_tekenen = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An", lijnen(&[(-2, 2.0)]))).await;
    let te_tekenen = post(&app, &o.burger, &te_tekenen, "indienen", json!(null)).await.expect(200);
    let met_link = maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "Jan", lijnen(&[(-3, 1.0)]))).await;
    let l = link(&app, &o.burger, &met_link).await;
    let getekend = maak(&app, &o.burger, &bewijs(c, o.org, "buddyproject", "Piet", lijnen(&[(-4, 1.0)]))).await;
    let getekend = post(&app, &o.burger, &getekend, "indienen", json!(null)).await.expect(200);
    let getekend = post(&app, &o.aanbieder, &getekend, "ondertekening", json!({})).await.expect(200);

    wijzig(&app, &o.tb, c, json!({ "soort": "stopgezet", "reden": "Verhuisd naar Wallonië" })).await.expect(201);
    post(&app, &o.aanbieder, &te_tekenen, "ondertekening", json!({})).await.problem(409, "pnt:contractNotRunning");
    post(&app, &o.aanbieder, &te_tekenen, "weigering", json!({ "motivatie": "Niet gezien" }))
        .await
        .problem(409, "pnt:contractNotRunning");
    app.post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "Jan" }))
        .send()
        .await
        .problem(409, "pnt:contractNotRunning");
    for beslissing in [json!({ "beslissing": "goedgekeurd" }), json!({ "beslissing": "afgekeurd", "motivatie": "x" })] {
        post(&app, &o.tb, &getekend, "beoordeling", beslissing).await.problem(409, "pnt:contractNotRunning");
    }
    assert_eq!(lees(&app, &o.tb, &te_tekenen).await["status"], "teOndertekenen");
    assert_eq!(lees(&app, &o.tb, &met_link).await["status"], "teOndertekenen");
    assert_eq!(lees(&app, &o.tb, &getekend).await["status"], "ondertekend");
    assert_eq!(voortgang(&app, &o.tb, c).await["goedgekeurdeUren"], 0.0);
}

/// Separation of duties on the account path (issue 11): an account signature needs an aanbieder
/// of the proof's own organisation (`409 signerNotOfOrganisation` for anyone else who sees the
/// proof, also for a proof at an unregistered organisation), and nobody approves a proof whose
/// account signature is their own (`409 ownSignature`).
#[actix_web::test]
async fn an_account_signature_needs_the_organisation_and_is_not_approved_by_its_signer() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let o2 = opzet(&app, 2, -100, 200).await;
    let c = &o.contract;
    let b = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-2, 2.0)]))).await;
    let b = post(&app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    // The trajectbegeleider, an admin, the newcomer: they see the proof, but are not its organisation.
    let admin = admin(&app);
    for token in [&o.tb, &admin, &o.burger] {
        let p = post(&app, token, &b, "ondertekening", json!({})).await.problem(409, "pnt:signerNotOfOrganisation");
        assert!(p["detail"].as_str().unwrap().contains("aanbieder of the proof's organisation"), "{p}");
        post(&app, token, &b, "weigering", json!({ "motivatie": "x" }))
            .await
            .problem(409, "pnt:signerNotOfOrganisation");
    }
    // The contract's trajectbegeleider who is also an aanbieder of another organisation.
    let tb_elders = app.token_for(TokenRequest {
        sub: "tb-1".into(),
        roles: vec![Role::Trajectbegeleider, Role::Aanbieder],
        organisatie: Some(o2.org.to_string()),
        ..Default::default()
    });
    post(&app, &tb_elders, &b, "ondertekening", json!({})).await.problem(409, "pnt:signerNotOfOrganisation");
    // A proof at an unregistered organisation has no account to sign it.
    let mut body = bewijs(c, o.org, "praattafel", "Ghost", lijnen(&[(-3, 8.0)]));
    body.as_object_mut().unwrap().remove("organisatie");
    body["organisatieNaam"] = json!("Ghost bvba");
    let ghost = maak(&app, &o.tb, &body).await;
    let ghost = post(&app, &o.tb, &ghost, "indienen", json!(null)).await.expect(200);
    post(&app, &tb_elders, &ghost, "ondertekening", json!({})).await.problem(409, "pnt:signerNotOfOrganisation");
    assert_eq!(lees(&app, &o.tb, &b).await["status"], "teOndertekenen");

    // The contract's trajectbegeleider who is also an aanbieder of the proof's organisation signs
    // it by account, but does not approve their own signature; another reviewer does.
    let tb_hier = app.token_for(TokenRequest {
        sub: "tb-1".into(),
        roles: vec![Role::Trajectbegeleider, Role::Aanbieder],
        organisatie: Some(o.org.to_string()),
        ..Default::default()
    });
    let b = post(&app, &tb_hier, &b, "ondertekening", json!({ "naam": "An Peeters" })).await.expect(200);
    assert_eq!(b["ondertekening"]["via"], "account");
    let p = post(&app, &tb_hier, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(409, "pnt:ownSignature");
    assert!(p["detail"].as_str().unwrap().contains("signed"), "{p}");
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.problem(409, "pnt:ownSignature");
    assert_eq!(voortgang(&app, &o.tb, c).await["goedgekeurdeUren"], 0.0);
    let b = post(&app, &admin, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);
    assert_eq!(b["status"], "goedgekeurd");
    assert_eq!(voortgang(&app, &o.tb, c).await["goedgekeurdeUren"], 2.0);
}

/// Seed 003: the contact person "die het dichtst bij de inburgeraar staat" fills in the proof,
/// and "een organisatie kan zelf bepalen wie de contactpersoon is". An aanbieder of the proof's
/// organisation adds, changes and removes lines and names the contact person on a proof
/// addressed to it until it is signed; every change is audited under their `sub` and outdates
/// open signing links.
#[actix_web::test]
async fn the_organisation_fills_in_the_proof() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let o2 = opzet(&app, 2, -100, 200).await;
    let c = &o.contract;
    let b = maak(&app, &o.burger, &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-2, 2.0)]))).await;
    // A draft is not addressed to the organisation yet.
    post(&app, &o.aanbieder, &b, "prestaties", json!({ "datum": dag(-3), "uren": 1 }))
        .await
        .problem(404, "resourceNotFound");
    let l = link(&app, &o.burger, &b).await;

    // Lines: add, replace, remove.
    let b = post(&app, &o.aanbieder, &b, "prestaties", json!({ "datum": dag(-3), "uren": 1.5 })).await.expect(200);
    assert_eq!(b["totaalUren"], 3.5);
    assert_eq!(b["status"], "teOndertekenen");
    let b = app
        .put(&format!("{}/prestaties", pad(&b)))
        .bearer(&o.aanbieder)
        .header("If-Match", &etag(&b))
        .json(&json!({ "items": lijnen(&[(-2, 2.0), (-3, 1.5), (-4, 3.0)]) }))
        .send()
        .await
        .expect(200);
    assert_eq!(b["totaalUren"], 6.5);
    let b = app.delete(&format!("{}/prestaties/{}", pad(&b), dag(-2))).bearer(&o.aanbieder).send().await.expect(200);
    assert_eq!(b["totaalUren"], 4.5);
    // R10 holds for the organisation too.
    let p = post(&app, &o.aanbieder, &b, "prestaties", json!({ "datum": dag(1), "uren": 1 })).await;
    assert_eq!(issue_names(&p.problem(400, "badRequest")), ["datum"]);
    // The link made before the changes is outdated.
    app.post(&path_of(&l["self"]))
        .json(&json!({ "beslissing": "ondertekenen", "naam": "An Peeters" }))
        .send()
        .await
        .problem(409, "pnt:signingLinkOutdated");

    // The contact person: the organisation names them; nobody else.
    let nieuw = json!({ "naam": "Piet Pieters", "email": "piet@debrug.be" });
    let zet_contact = |token: &str, doc: &Value, body: &Value| {
        app.put(&format!("{}/contactpersoon", pad(doc))).bearer(token).json(body).send()
    };
    for token in [&o.tb, &o.burger] {
        zet_contact(token, &b, &nieuw).await.problem(403, "missingPermission");
    }
    zet_contact(&o2.aanbieder, &b, &nieuw).await.problem(404, "resourceNotFound");
    zet_contact(&o.aanbieder, &b, &json!({ "naam": "  " })).await.problem(400, "badRequest");
    let voor = b["versie"].as_i64().unwrap();
    let b = zet_contact(&o.aanbieder, &b, &nieuw).await.expect(200);
    assert_eq!(b["contactpersoon"], nieuw);
    assert_eq!(b["versie"].as_i64().unwrap(), voor + 1);
    // R7: another open proof already has this type, organisation and contact person.
    let jan = bewijs(c, o.org, "vrijwilligerswerk", "Jan Janssens", lijnen(&[(-5, 1.0)]));
    let mut jan = jan;
    jan["contactpersoon"]["email"] = json!("jan@debrug.be");
    let ander = maak(&app, &o.burger, &jan).await;
    let ander = post(&app, &o.burger, &ander, "indienen", json!(null)).await.expect(200);
    let p = zet_contact(&o.aanbieder, &ander, &nieuw).await.problem(409, "pnt:duplicate");
    assert_eq!(p["href"], b["self"]);

    // Signed: immutable for the organisation as for everyone.
    let b = post(&app, &o.aanbieder, &b, "ondertekening", json!({})).await.expect(200);
    post(&app, &o.aanbieder, &b, "prestaties", json!({ "datum": dag(-6), "uren": 1 }))
        .await
        .problem(409, "pnt:invalidTransition");
    zet_contact(&o.aanbieder, &b, &nieuw).await.problem(409, "pnt:invalidTransition");

    // Every change is audited under the aanbieder's sub.
    let entries = audit(&app, &format!("resourceType=deelnamebewijs&resourceId={}", id(&b))).await;
    let van_org: Vec<&str> =
        entries.iter().filter(|e| e["actor"] == "brug-1").map(|e| e["actie"].as_str().unwrap()).rev().collect();
    assert_eq!(van_org, ["update", "update", "update", "update", "ondertekend"], "{entries:?}");
}

/// Submits `body` as the newcomer and has the organisation's account sign it.
async fn ondertekend(app: &TestApp, o: &Opzet, body: &Value) -> Value {
    let b = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(body).send().await.expect(201);
    let b = post(app, &o.burger, &b, "indienen", json!(null)).await.expect(200);
    app.post(&format!("{}/ondertekening", pad(&b)))
        .bearer(&o.aanbieder)
        .json(&json!({ "naam": "An Peeters" }))
        .send()
        .await
        .expect(200)
}

/// R5 as the agency's Q&A has it: a sanction only when the hours are really missing — signed
/// hours waiting for the trajectbegeleider's own review count — and afterwards "moet de
/// verplichte inburgeraar de doelstellingen ... behalen, ook na een eventuele sanctie": the new
/// term takes new hours.
#[actix_web::test]
async fn signed_hours_awaiting_review_block_a_sanction_and_hours_count_after_one() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -400, -2).await;
    let c = &o.contract;
    let na_termijn = bewijs(c, o.org, "praattafel", "Jan Janssens", lijnen(&[(0, 4.0)]));
    let p = app.post("/v1/deelnamebewijzen").bearer(&o.burger).json(&na_termijn).send().await;
    assert_eq!(p.status.as_u16(), 400, "the term passed: no hours today yet ({})", p.text());

    // 30 approved hours, 10 signed and waiting for review: together the 40 hours.
    let a = ondertekend(
        &app,
        &o,
        &bewijs(c, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-30, 10.0), (-29, 10.0), (-28, 10.0)])),
    )
    .await;
    post(&app, &o.tb, &a, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);
    let b = ondertekend(&app, &o, &bewijs(c, o.org, "buddyproject", "An Peeters", lijnen(&[(-20, 10.0)]))).await;
    let opv = app
        .post(&format!("{}/opvolging", pad(c)))
        .bearer(&o.tb)
        .json(&json!({ "soort": "opvolgingsgesprek", "datum": dag(-1), "kanaal": "telefonisch",
                       "notitie": "Geen nieuwe activiteiten", "inspanning": "onvoldoende" }))
        .send()
        .await
        .expect(201);
    let boete = json!({ "soort": "sanctieOpgelegd", "categorie": 1, "bedragCent": 5000, "nieuweTermijnEinde": dag(60),
                        "opvolging": [opv["id"]], "reden": "Onvoldoende inspanning",
                        "zonderVerlengingReden": "Verlenging aangeboden en geweigerd" });
    let p = wijzig(&app, &o.tb, c, boete.clone()).await.problem(409, "pnt:sanctionNotAllowed");
    assert!(p["detail"].as_str().unwrap().contains("waiting for review"), "{p}");

    // The review refuses the signed 10 hours: 30 of 40, and the sanction stands.
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "afgekeurd", "motivatie": "Niet bevestigd" }))
        .await
        .expect(200);
    let w = wijzig(&app, &o.tb, c, boete).await.expect(201);
    assert_eq!(w["nieuweTermijnEinde"], dag(60));

    // After the sanction the newcomer goes on: today's hours fit the new term and count.
    let n = ondertekend(&app, &o, &na_termijn).await;
    assert_eq!(n["status"], "ondertekend");
    let n = post(&app, &o.tb, &n, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);
    assert_eq!(n["status"], "goedgekeurd");
    let v = voortgang(&app, &o.tb, c).await;
    assert_eq!(v["goedgekeurdeUren"], 34.0);
    assert_eq!(v["dagenTotTermijn"], 60, "{v}");
    assert_ne!(v["risico"], "termijnVerstreken", "the new term runs: {v}");
}
