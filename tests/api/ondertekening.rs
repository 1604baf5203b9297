//! Issue 11: a proof reaches `ondertekend` only through the contact person's mailbox or the
//! organisation's own account. Over a real SMTP conversation (a server on a loopback port):
//! the link goes only to the contact person, the mail says what it should and nothing more,
//! delivery is retried and then given up, survives a crash and a restart, and two instances
//! send each mail once; the reviewer sees how each proof was signed, and the self-signing and
//! ghost-organisation stories stop at the review.

use chrono::Utc;
use pnt_api::auth::{Role, TokenRequest};
use serde_json::{Value, json};

use crate::deelnamebewijzen::*;
use crate::helpers::*;
use crate::inburgering::*;
use crate::mail::*;

/// An app whose mail goes to `smtp`, at most `pogingen` attempts, its clock pinned to now.
async fn app_met_smtp(smtp: &SmtpServer, pogingen: u32) -> TestApp {
    let url = smtp.url();
    let app = TestApp::spawn_with(move |s| {
        s.mail.smtp_url = Some(url);
        s.mail.max_attempts = pogingen;
    })
    .await;
    app.state.clock.pin(Utc::now());
    app
}

fn verzet_klok(app: &TestApp, seconden: i64) {
    app.state.clock.pin(app.state.clock.now_utc() + chrono::Duration::seconds(seconden));
}

/// Asks for a link as `token` and returns the answer (202).
async fn vraag_link(app: &TestApp, token: &str, doc: &Value) -> Value {
    app.post(&format!("{}/ondertekenverzoeken", pad(doc))).bearer(token).send().await.expect(202)
}

/// Signs through the link in `mail` as `naam`, after opening it.
async fn onderteken_via(app: &TestApp, mail: &str, naam: &str) -> Value {
    let (url, _) = link_uit(mail);
    app.get(&path_of(&json!(url))).send().await.expect(200);
    app.post(&path_of(&json!(url)))
        .json(&json!({ "beslissing": "ondertekenen", "naam": naam }))
        .send()
        .await
        .expect(200)
}

#[actix_web::test]
async fn the_link_goes_to_the_contact_person_by_mail_and_nowhere_else() {
    let smtp = SmtpServer::start();
    let app = app_met_smtp(&smtp, 8).await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(
        &app,
        &o.burger,
        &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.5), (-2, 1.0)])),
    )
    .await;

    let res = app.post(&format!("{}/ondertekenverzoeken", pad(&b))).bearer(&o.burger).send().await;
    let verzoek = res.expect(202);
    assert_eq!(verzoek["verzondenNaar"], "a***@debrug.be");
    assert_eq!(verzoek["bezorging"], "teVerzenden");
    assert!(res.header("location").is_none());
    assert_eq!(bezorg(&app).await, 1);
    assert_eq!(bezorg(&app).await, 0, "sent once");

    let mails = smtp.mails();
    assert_eq!(mails.len(), 1);
    let m = &mails[0];
    assert_eq!(m.aan, ["an@debrug.be"]);
    assert!(m.van.contains("noreply@pnt.localhost"), "{}", m.van);
    // Dutch, plain text and HTML, with the first name and initial, the activity, the hours per
    // day, the total and the link — and no other personal data.
    let t = &m.tekst;
    assert!(t.contains("Content-Type: text/plain") && t.contains("Content-Type: text/html"), "{t}");
    assert!(t.contains("Beste An Peeters") && t.contains("Amina H."), "{t}");
    assert!(t.contains("Vrijwilliger in het buurtrestaurant") && t.contains("Buurtwerk De Brug 1 vzw"), "{t}");
    assert!(
        t.contains(&format!(
            "- {}: 2,5 uur",
            pnt_api::wire::mail::datum(chrono::NaiveDate::parse_from_str(&dag(-3), "%Y-%m-%d").unwrap())
        )),
        "{t}"
    );
    assert!(t.contains("Totaal: 3,5 uur"), "{t}");
    for geheim in ["Haddad", "amina@example.be", "AGII-2026", "+32 470", "Markt 1"] {
        assert!(!t.contains(geheim), "{geheim} in the mail: {t}");
    }
    assert_eq!(m.message_id(), format!("<outbox-1@pnt.localhost>"));
    let (url, token) = link_uit(t);
    assert!(url.ends_with(&format!("/v1/ondertekenverzoeken/{token}")));
    assert!(!res.text().contains(&token), "the requester never sees the token");

    // The contact person opens the link and signs.
    let uit = onderteken_via(&app, t, "An Peeters").await;
    assert_eq!(uit["status"], "ondertekend");

    // The reviewer sees how: who asked, where it went, delivery, opening, decision, the name.
    let gezien = lees(&app, &o.tb, &b).await;
    let spoor = gezien["ondertekenverzoeken"].as_array().unwrap();
    assert_eq!(spoor.len(), 1);
    let s = &spoor[0];
    assert_eq!(s["id"], verzoek["id"]);
    assert_eq!(s["aangevraagdDoor"], json!({ "sub": "burger-1", "rol": "inburgeraar" }));
    assert_eq!(s["verzondenNaar"], "an@debrug.be");
    assert_eq!(s["emailBron"], "ingevoerd", "typed by the newcomer: unconfirmed");
    assert_eq!(s["bezorging"]["status"], "verzonden");
    assert_eq!(s["bezorging"]["pogingen"], 1);
    assert!(s["geopendOp"].is_string() && s["beslistOp"].is_string());
    assert_eq!(s["beslissing"], "ondertekenen");
    assert_eq!(s["naam"], "An Peeters");
    assert_eq!(gezien["contactBron"], "ingevoerd");
    // Not the newcomer, not the organisation: the trail is the reviewer's.
    assert!(lees(&app, &o.burger, &b).await.get("ondertekenverzoeken").is_none());
    assert!(lees(&app, &o.aanbieder, &b).await.get("ondertekenverzoeken").is_none());

    // The token is nowhere but in the mail: not in any answer, not in the audit log, and the
    // outbox forgot the mail's body once it was delivered.
    for tekst in
        [gezien.to_string(), audit(&app, "resourceType=deelnamebewijs").await.iter().map(Value::to_string).collect()]
    {
        assert!(!tekst.contains(&token));
    }
    let bodies = app
        .db(|c| {
            use diesel::{QueryDsl, RunQueryDsl};
            use pnt_api::db::schema::outbox::dsl::*;
            Ok(outbox.select(inhoud).load::<Option<String>>(c)?)
        })
        .await;
    assert_eq!(bodies, [None]);
}

#[actix_web::test]
async fn self_signing_and_ghost_organisations_stop_at_the_review() {
    let smtp = SmtpServer::start();
    let app = app_met_smtp(&smtp, 8).await;
    let o = opzet(&app, 1, -100, 200).await;
    let c = &o.contract;

    // A newcomer invents an organisation and a contact person whose address is their own.
    let nep = json!({
        "contract": c["id"], "organisatieNaam": "Made Up vzw", "aanbodtype": "vrijwilligerswerk",
        "activiteit": "Niets", "contactpersoon": { "naam": "Made Up Contact", "email": "Amina@Example.be" },
        "prestaties": [{ "datum": dag(-5), "uren": 8 }]
    });
    let b = maak(&app, &o.burger, &nep).await;
    let v = vraag_link(&app, &o.burger, &b).await;
    assert_eq!(v["emailBron"], "ingevoerd");
    bezorg(&app).await;
    let mail = smtp.mails().pop().unwrap();
    assert_eq!(mail.aan, ["Amina@Example.be"]);
    onderteken_via(&app, &mail.tekst, "Made Up Contact").await;
    let b = lees(&app, &o.tb, &b).await;
    assert_eq!(b["ondertekenverzoeken"][0]["emailBron"], "ingevoerd", "the review view says it is unconfirmed");
    let p = post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(409, "pnt:signingLinkToNewcomer");
    assert!(p["detail"].as_str().unwrap().contains("newcomer"), "{p}");
    // Rejecting stays possible.
    post(&app, &o.tb, &b, "beoordeling", json!({ "beslissing": "afgekeurd", "motivatie": "Onbekende organisatie" }))
        .await
        .expect(200);

    // A trajectbegeleider alone: "Ghost bvba", the contact address their own (the token's
    // `email` claim).
    let tb_mail = app.token_for(TokenRequest {
        sub: "tb-1".into(),
        roles: vec![Role::Trajectbegeleider],
        email: Some("sara.janssens@agii.be".into()),
        ..Default::default()
    });
    let ghost = json!({
        "contract": c["id"], "organisatieNaam": "Ghost bvba", "aanbodtype": "buddyproject",
        "activiteit": "Buddy", "contactpersoon": { "naam": "G. Host", "email": "SARA.Janssens@agii.be" },
        "prestaties": (1..=5).map(|d| json!({ "datum": dag(-10 - d), "uren": 8 })).collect::<Vec<_>>()
    });
    let g = maak(&app, &tb_mail, &ghost).await;
    vraag_link(&app, &tb_mail, &g).await;
    bezorg(&app).await;
    onderteken_via(&app, &smtp.mails().pop().unwrap().tekst, "G. Host").await;
    let g = lees(&app, &tb_mail, &g).await;
    assert_eq!(g["ondertekenverzoeken"][0]["aangevraagdDoor"]["rol"], "trajectbegeleider");
    post(&app, &tb_mail, &g, "beoordeling", json!({ "beslissing": "goedgekeurd" }))
        .await
        .problem(409, "pnt:signingLinkToReviewer");
    let voortgang = app.get(&format!("{}/voortgang", pad(c))).bearer(&o.tb).send().await.expect(200);
    assert_eq!(voortgang["goedgekeurdeUren"], 0.0, "no hours from either story");

    // A real contact person's signature is approved.
    let echt = maak(&app, &o.burger, &bewijs(c, o.org, "praattafel", "An Peeters", lijnen(&[(-20, 2.0)]))).await;
    vraag_link(&app, &o.burger, &echt).await;
    bezorg(&app).await;
    onderteken_via(&app, &smtp.mails().pop().unwrap().tekst, "An Peeters").await;
    let echt = lees(&app, &tb_mail, &echt).await;
    post(&app, &tb_mail, &echt, "beoordeling", json!({ "beslissing": "goedgekeurd" })).await.expect(200);
}

#[actix_web::test]
async fn links_need_an_address_and_take_the_offers_contact_person() {
    let app = TestApp::spawn().await;
    let o = opzet(&app, 1, -100, 200).await;
    let zonder = json!({
        "contract": o.contract["id"], "organisatieNaam": "Praattafel Bib", "aanbodtype": "praattafel",
        "activiteit": "Praten", "contactpersoon": { "naam": "Jan" }, "prestaties": [{ "datum": dag(-3), "uren": 2 }]
    });
    let b = maak(&app, &o.burger, &zonder).await;
    let p = app
        .post(&format!("{}/ondertekenverzoeken", pad(&b)))
        .bearer(&o.burger)
        .send()
        .await
        .problem(409, "pnt:contactEmailMissing");
    assert!(p["detail"].as_str().unwrap().contains("e-mail"), "{p}");
    assert_eq!(lees(&app, &o.burger, &b).await["status"], "concept", "nothing changed");

    // From a published offer: the organisation's contact person and address, marked as such.
    let g = crate::aanbod::Gent {
        org: o.org,
        aanbieder: o.aanbieder.clone(),
        gemeente: crate::organisaties::lokaal_bestuur(&app, "lb-gent", &[GENT]),
    };
    let mut body = crate::aanbod::aanbod(Some(o.org), GENT, "Taalcafé De Brug");
    body["contactpersoon"] = json!({ "naam": "An Peeters", "email": "an@debrug.be" });
    let aanbod = crate::aanbod::published(&app, &g, &body).await;
    let b = maak(
        &app,
        &o.burger,
        &json!({ "contract": o.contract["id"], "aanbod": aanbod, "prestaties": [{ "datum": dag(-4), "uren": 2 }] }),
    )
    .await;
    let l = link(&app, &o.burger, &b).await;
    assert_eq!(l["emailBron"], "aanbod");
    let gezien = lees(&app, &o.tb, &b).await;
    assert_eq!(gezien["ondertekenverzoeken"][0]["emailBron"], "aanbod");
    assert_eq!(gezien["ondertekenverzoeken"][0]["verzondenNaar"], "an@debrug.be");
}

#[actix_web::test]
async fn a_mail_that_fails_is_retried_then_marked_failed() {
    let smtp = SmtpServer::start();
    let app = app_met_smtp(&smtp, 2).await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;

    // A temporary refusal, twice: retried after the delay, then given up.
    smtp.weiger_volgende(&["451 4.3.0 Try again later", "451 4.3.0 Try again later"]);
    let v = vraag_link(&app, &o.burger, &b).await;
    assert_eq!(bezorg(&app).await, 1);
    let (status, pogingen, _) = bericht_van_link(&app, v["id"].as_i64().unwrap()).await;
    assert_eq!((status.as_str(), pogingen), ("teVerzenden", 1));
    assert_eq!(bezorg(&app).await, 0, "not before the retry delay");
    verzet_klok(&app, 31);
    assert_eq!(bezorg(&app).await, 1);
    let (status, pogingen, _) = bericht_van_link(&app, v["id"].as_i64().unwrap()).await;
    assert_eq!((status.as_str(), pogingen), ("mislukt", 2));
    assert!(smtp.mails().is_empty());
    let spoor = &lees(&app, &o.tb, &b).await["ondertekenverzoeken"][0]["bezorging"];
    assert_eq!(spoor["status"], "mislukt");
    assert!(spoor["laatsteFout"].as_str().unwrap().contains("451"), "{spoor}");
    verzet_klok(&app, 3600);
    assert_eq!(bezorg(&app).await, 0, "a failed mail stays failed");

    // A permanent refusal is not retried.
    smtp.weiger_volgende(&["550 5.1.1 No such user"]);
    let v = vraag_link(&app, &o.burger, &b).await;
    assert_eq!(bezorg(&app).await, 1);
    assert_eq!(bericht_van_link(&app, v["id"].as_i64().unwrap()).await.0, "mislukt");

    // One temporary refusal, then delivered.
    smtp.weiger_volgende(&["421 4.7.0 Busy"]);
    let v = vraag_link(&app, &o.burger, &b).await;
    bezorg(&app).await;
    verzet_klok(&app, 31);
    bezorg(&app).await;
    assert_eq!(bericht_van_link(&app, v["id"].as_i64().unwrap()).await.0, "verzonden");
    assert_eq!(smtp.mails().len(), 1);
}

/// A second instance of the API on the same database (a restart, or a second server).
async fn tweede_instantie(app: &TestApp) -> pnt_api::state::AppState {
    let s = (*app.state.settings).clone();
    let state = actix_web::web::block(move || pnt_api::startup::build_state(s)).await.unwrap().unwrap();
    state.clock.pin(app.state.clock.now_utc());
    state
}

#[actix_web::test]
async fn a_crash_or_restart_loses_no_mail() {
    let smtp = SmtpServer::start();
    let app = app_met_smtp(&smtp, 8).await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;

    // The process stops right after the commit: a restarted instance sends the mail.
    vraag_link(&app, &o.burger, &b).await;
    let herstart = tweede_instantie(&app).await;
    assert_eq!(pnt_api::outbox::verwerk(&herstart).await.unwrap(), 1);
    assert_eq!(smtp.mails().len(), 1);

    // An instance took a mail and died while sending: its lease runs out, then it is sent.
    let v = vraag_link(&app, &o.burger, &b).await;
    let (link_id, nu) = (v["id"].as_i64().unwrap(), app.state.clock.now());
    let genomen = app
        .db(move |c| {
            use diesel::{ExpressionMethods, QueryDsl, RunQueryDsl};
            use pnt_api::db::schema::ondertekenverzoeken as l;
            let id: Option<i64> = l::table.filter(l::id.eq(link_id)).select(l::outbox_id).first(c)?;
            let lease = chrono::Duration::seconds(120);
            Ok(pnt_api::repo::outbox::claim(c, id.unwrap(), "dood", nu, lease)?.is_some())
        })
        .await;
    assert!(genomen);
    assert_eq!(bezorg(&app).await, 0, "held by the crashed instance");
    verzet_klok(&app, 121);
    assert_eq!(bezorg(&app).await, 1);
    assert_eq!(smtp.mails().len(), 2);
    assert_eq!(bericht_van_link(&app, link_id).await.1, 2, "the crashed attempt counts");
}

#[actix_web::test]
async fn two_instances_send_each_mail_once() {
    let smtp = SmtpServer::start();
    let app = app_met_smtp(&smtp, 8).await;
    let o = opzet(&app, 1, -100, 200).await;
    let b = maak(&app, &o.burger, &bewijs(&o.contract, o.org, "vrijwilligerswerk", "An Peeters", lijnen(&[(-3, 2.0)])))
        .await;
    for _ in 0..12 {
        vraag_link(&app, &o.burger, &b).await;
    }
    let tweede = tweede_instantie(&app).await;
    let (a, b2) =
        futures_util::future::join(pnt_api::outbox::verwerk(&app.state), pnt_api::outbox::verwerk(&tweede)).await;
    let (a, b2) = (a.unwrap(), b2.unwrap());
    assert_eq!(a + b2, 12, "every mail handled once: {a} + {b2}");
    let mut ids: Vec<String> = smtp.mails().iter().map(Ontvangen::message_id).collect();
    assert_eq!(ids.len(), 12);
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), 12, "no mail twice");
}
