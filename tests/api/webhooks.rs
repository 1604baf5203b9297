//! Webhooks (issue 16): subscriptions by admins only, targets checked against server-side
//! request forgery, signed deliveries to a real receiver on loopback that verify with an
//! independent HMAC, scope and type filters, retries then `mislukt`, each delivery once with two
//! instances; and `/metrics` for the operator's scraper.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use chrono::Utc;
use hmac::{Hmac, Mac};
use pnt_api::auth::Role;
use serde_json::{Value, json};
use sha2::Sha256;

use crate::aanbod::{aanbod, create, gent, published};
use crate::helpers::*;
use crate::inburgering::path_of;

/// One request the receiver got: its headers (lower-case names) and body.
#[derive(Clone, Debug)]
pub struct Ontvangen {
    pub headers: Vec<(String, String)>,
    pub body: String,
}

impl Ontvangen {
    pub fn header(&self, name: &str) -> &str {
        self.headers.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).unwrap_or_default()
    }
}

/// A webhook receiver on a loopback port that answers every request with `status`.
pub struct Ontvanger {
    pub url: String,
    pub ontvangen: Arc<Mutex<Vec<Ontvangen>>>,
}

impl Ontvanger {
    pub fn start(status: u16) -> Ontvanger {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}/pnt-hook", listener.local_addr().unwrap());
        let ontvangen = Arc::new(Mutex::new(Vec::new()));
        let log = ontvangen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(mut s) = stream else { continue };
                let mut buf = Vec::new();
                let mut chunk = [0u8; 4096];
                // Read the head, then the body its Content-Length announces.
                let (head_end, length) = loop {
                    let n = s.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break (None, 0);
                    }
                    buf.extend_from_slice(&chunk[..n]);
                    if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                        let head = String::from_utf8_lossy(&buf[..i]).to_string();
                        let length = head
                            .lines()
                            .find_map(|l| {
                                l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().to_string())
                            })
                            .and_then(|v| v.parse::<usize>().ok())
                            .unwrap_or(0);
                        break (Some(i + 4), length);
                    }
                };
                let Some(start) = head_end else { continue };
                while buf.len() < start + length {
                    let n = s.read(&mut chunk).unwrap_or(0);
                    if n == 0 {
                        break;
                    }
                    buf.extend_from_slice(&chunk[..n]);
                }
                let head = String::from_utf8_lossy(&buf[..start]).to_string();
                let headers = head
                    .lines()
                    .skip(1)
                    .filter_map(|l| l.split_once(':'))
                    .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_string()))
                    .collect();
                let body = String::from_utf8_lossy(&buf[start..]).to_string();
                log.lock().unwrap().push(Ontvangen { headers, body });
                let _ = write!(s, "HTTP/1.1 {status} X\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
            }
        });
        Ontvanger { url, ontvangen }
    }

    pub fn alle(&self) -> Vec<Ontvangen> {
        self.ontvangen.lock().unwrap().clone()
    }
}

/// The signature as Standard Webhooks defines it, computed here without the API's code.
fn verwachte_handtekening(geheim: &str, o: &Ontvangen) -> String {
    let sleutel = STANDARD.decode(geheim.strip_prefix("whsec_").unwrap()).unwrap();
    let mut mac = Hmac::<Sha256>::new_from_slice(&sleutel).unwrap();
    mac.update(format!("{}.{}.{}", o.header("webhook-id"), o.header("webhook-timestamp"), o.body).as_bytes());
    format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes()))
}

fn admin(app: &TestApp) -> String {
    app.token(Role::Admin, "admin-1")
}

async fn abonneer(app: &TestApp, body: Value) -> Value {
    app.post("/v1/webhooks").bearer(&admin(app)).json(&body).send().await.expect(201)
}

async fn lever(app: &TestApp) -> usize {
    pnt_api::outbox::verwerk(&app.state).await.unwrap()
}

#[actix_web::test]
async fn subscriptions_are_for_admins_and_targets_must_be_public_https() {
    let app = TestApp::spawn_with(|s| s.webhooks.insecure_loopback = false).await;
    let body = json!({ "url": "https://hooks.example.be/pnt" });
    app.post("/v1/webhooks").json(&body).send().await.problem(401, "noAccessToken");
    let tb = app.token(Role::Trajectbegeleider, "tb-1");
    app.post("/v1/webhooks").bearer(&tb).json(&body).send().await.problem(403, "missingPermission");
    app.get("/v1/webhooks").bearer(&tb).send().await.problem(403, "missingPermission");
    // An admin token whose signature was tampered with.
    let echt = admin(&app);
    let forged = format!("{}{}", &echt[..echt.len() - 4], if echt.ends_with("AAAA") { "BBBB" } else { "AAAA" });
    app.get("/v1/webhooks").bearer(&forged).send().await.problem(401, "invalidAccessToken");

    for url in [
        "http://hooks.example.be/pnt",
        "https://10.0.0.5/pnt",
        "https://169.254.169.254/latest/meta-data",
        "https://[fd00::1]/pnt",
        "http://127.0.0.1:9/pnt",
        "https://user:pw@hooks.example.be/pnt",
        "ftp://hooks.example.be",
    ] {
        let p = app.post("/v1/webhooks").bearer(&admin(&app)).json(&json!({ "url": url })).send().await;
        let p = p.problem(400, "badRequest");
        assert_eq!(issue_names(&p), ["url"], "{url}");
    }
    let p = app
        .post("/v1/webhooks")
        .bearer(&admin(&app))
        .json(&json!({ "url": "https://hooks.example.be/pnt", "gebeurtenissen": ["aanbod.verzonnen"] }))
        .send()
        .await
        .problem(400, "badRequest");
    assert!(p["detail"].as_str().unwrap().contains("gebeurtenissen"), "{p}");
    let p = app
        .post("/v1/webhooks")
        .bearer(&admin(&app))
        .json(&json!({ "url": "https://hooks.example.be/pnt", "scope": { "gemeenten": ["99999"] } }))
        .send()
        .await
        .problem(400, "badRequest");
    assert_eq!(issue_names(&p), ["scope.gemeenten[0]"]);

    // Accepted: the secret is shown once; reads and the list never show it.
    let res = app
        .post("/v1/webhooks")
        .bearer(&admin(&app))
        .json(&json!({ "url": "https://hooks.example.be/pnt", "omschrijving": "Test" }))
        .send()
        .await;
    let w = res.expect(201);
    assert_eq!(res.header("location").as_deref(), w["self"].as_str());
    assert!(w["geheim"].as_str().unwrap().starts_with("whsec_"));
    let gelezen = app.get(&path_of(&w["self"])).bearer(&admin(&app)).send().await.expect(200);
    assert!(gelezen.get("geheim").is_none());
    let lijst = app.get("/v1/webhooks").bearer(&admin(&app)).send().await.expect(200);
    assert_eq!(lijst["total"], 1);
    assert!(lijst["items"][0].get("geheim").is_none());
    // An Idempotency-Key would store the secret: refused, as for API clients.
    app.post("/v1/webhooks")
        .bearer(&admin(&app))
        .header("Idempotency-Key", "abc-123")
        .json(&json!({ "url": "https://hooks.example.be/pnt" }))
        .send()
        .await
        .problem(400, "badRequest");

    app.delete(&path_of(&w["self"])).bearer(&tb).send().await.problem(403, "missingPermission");
    app.delete(&path_of(&w["self"])).bearer(&admin(&app)).send().await.expect(204);
    app.get(&path_of(&w["self"])).bearer(&admin(&app)).send().await.problem(404, "resourceNotFound");
    app.delete(&path_of(&w["self"])).bearer(&admin(&app)).send().await.problem(404, "resourceNotFound");
    app.get("/v1/webhooks/abc").bearer(&admin(&app)).send().await.problem(400, "badRequest");
}

#[actix_web::test]
async fn deliveries_are_signed_filtered_and_verifiable() {
    let app = TestApp::spawn().await;
    let ontvanger = Ontvanger::start(204);
    let w = abonneer(
        &app,
        json!({ "url": ontvanger.url, "gebeurtenissen": ["aanbod.aangemaakt", "aanbod.gepubliceerd"],
                "scope": { "gemeenten": ["44021"] } }),
    )
    .await;
    let geheim = w["geheim"].as_str().unwrap().to_string();
    let g = gent(&app).await;
    let id = published(&app, &g, &aanbod(Some(g.org), "44021", "Taalcafé De Brug")).await;
    // Outside the scope: an offer of Antwerpen; outside the types: a change.
    let antwerpen = crate::organisaties::create_organisatie(&app, "Buurtwerk Noord vzw", "11002").await;
    let a = crate::organisaties::aanbieder(&app, "noord-user", antwerpen);
    app.post("/v1/aanbod")
        .bearer(&a)
        .json(&aanbod(Some(antwerpen), "11002", "Praatcafé Noord"))
        .send()
        .await
        .expect(201);

    assert_eq!(lever(&app).await, 2, "created and published in Gent; nothing else");
    let alle = ontvanger.alle();
    assert_eq!(alle.len(), 2);
    let types: Vec<Value> =
        alle.iter().map(|o| serde_json::from_str::<Value>(&o.body).unwrap()["type"].clone()).collect();
    assert_eq!(types, [json!("aanbod.aangemaakt"), json!("aanbod.gepubliceerd")]);
    for o in &alle {
        assert_eq!(o.header("content-type"), "application/json");
        assert_eq!(o.header("webhook-signature"), verwachte_handtekening(&geheim, o), "the signature verifies");
        let event: Value = serde_json::from_str(&o.body).unwrap();
        assert_eq!(o.header("webhook-id"), format!("evt_{}", event["id"]));
        assert_eq!(event["resourceId"], id);
        assert!(event["href"].as_str().unwrap().ends_with(&format!("/v1/aanbod/{id}")));
        let ts: i64 = o.header("webhook-timestamp").parse().unwrap();
        assert!((Utc::now().timestamp() - ts).abs() < 120);
    }
    // A tampered body does not verify.
    let mut vals = alle[0].clone();
    vals.body = vals.body.replace("aanbod", "aanbot");
    assert_ne!(alle[0].header("webhook-signature"), verwachte_handtekening(&geheim, &vals));

    let leveringen = app.get(&format!("{}/leveringen", path_of(&w["self"]))).bearer(&admin(&app)).send().await;
    let leveringen = leveringen.expect(200);
    assert_eq!(leveringen["total"], 2);
    assert_eq!(leveringen["items"][0]["status"], "verzonden");
    assert_eq!(leveringen["items"][0]["laatsteStatus"], 204);
    assert_eq!(leveringen["items"][0]["pogingen"], 1);
    assert_eq!(lever(&app).await, 0, "each event once");
    let tb = app.token(Role::Trajectbegeleider, "tb-1");
    app.get(&format!("{}/leveringen", path_of(&w["self"]))).bearer(&tb).send().await.problem(403, "missingPermission");
    app.get("/v1/webhooks/999/leveringen").bearer(&admin(&app)).send().await.problem(404, "resourceNotFound");
}

#[actix_web::test]
async fn a_failing_receiver_is_retried_then_marked_failed() {
    let app = TestApp::spawn_with(|s| {
        s.webhooks.max_attempts = 3;
        s.webhooks.retry = std::time::Duration::from_secs(60);
    })
    .await;
    app.state.clock.pin(Utc::now());
    let ontvanger = Ontvanger::start(503);
    let w = abonneer(&app, json!({ "url": ontvanger.url, "gebeurtenissen": ["aanbod.aangemaakt"] })).await;
    let g = gent(&app).await;
    create(&app, &g, &aanbod(Some(g.org), "44021", "Taalcafé De Brug")).await;
    let leveringen = format!("{}/leveringen", path_of(&w["self"]));

    assert_eq!(lever(&app).await, 1);
    let l = app.get(&leveringen).bearer(&admin(&app)).send().await.expect(200)["items"][0].clone();
    assert_eq!(
        (l["status"].clone(), l["pogingen"].clone(), l["laatsteStatus"].clone()),
        (json!("teVerzenden"), json!(1), json!(503))
    );
    assert!(l["laatsteFout"].as_str().unwrap().contains("503"));
    assert!(l["volgendePoging"].is_string());
    assert_eq!(lever(&app).await, 0, "not before the retry delay");
    // The delay doubles: 60 s, then 120 s.
    app.state.clock.pin(app.state.clock.now_utc() + chrono::Duration::seconds(61));
    assert_eq!(lever(&app).await, 1);
    app.state.clock.pin(app.state.clock.now_utc() + chrono::Duration::seconds(121));
    assert_eq!(lever(&app).await, 1);
    let l = app.get(&leveringen).bearer(&admin(&app)).send().await.expect(200)["items"][0].clone();
    assert_eq!((l["status"].clone(), l["pogingen"].clone()), (json!("mislukt"), json!(3)));
    assert!(l.get("volgendePoging").is_none());
    assert_eq!(ontvanger.alle().len(), 3);
    let ids: Vec<String> = ontvanger.alle().iter().map(|o| o.header("webhook-id").to_string()).collect();
    assert!(ids.iter().all(|i| *i == ids[0]), "a retry keeps the message id: {ids:?}");
    app.state.clock.pin(app.state.clock.now_utc() + chrono::Duration::hours(5));
    assert_eq!(lever(&app).await, 0, "given up");
}

#[actix_web::test]
async fn two_instances_deliver_each_event_once_per_subscription() {
    let app = TestApp::spawn().await;
    let (een, twee) = (Ontvanger::start(200), Ontvanger::start(200));
    abonneer(&app, json!({ "url": een.url })).await;
    abonneer(&app, json!({ "url": twee.url, "gebeurtenissen": ["aanbod.aangemaakt"] })).await;
    let g = gent(&app).await;
    for i in 0..6 {
        create(&app, &g, &aanbod(Some(g.org), "44021", &format!("Praattafel {i}"))).await;
    }
    let s = (*app.state.settings).clone();
    let tweede = actix_web::web::block(move || pnt_api::startup::build_state(s)).await.unwrap().unwrap();
    let (a, b) =
        futures_util::future::join(pnt_api::outbox::verwerk(&app.state), pnt_api::outbox::verwerk(&tweede)).await;
    let (a, b) = (a.unwrap(), b.unwrap());
    let events = een.alle().len();
    assert!(events >= 6, "every event to the first subscription: {events}");
    assert_eq!(twee.alle().len(), 6, "only creations to the second");
    assert_eq!(a + b, events + 6, "each delivery handled once: {a} + {b}");
    let mut ids: Vec<String> = een.alle().iter().map(|o| o.header("webhook-id").to_string()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), events, "no event twice to one receiver");
}

#[actix_web::test]
async fn metrics_count_requests_for_the_scraper_only() {
    let app = TestApp::spawn().await;
    app.get("/v1/gemeenten/44021").send().await.expect(200);
    app.get("/metrics").send().await.problem(401, "invalidAccessToken");
    app.get("/metrics").bearer("wrong-token").send().await.problem(401, "invalidAccessToken");
    let res = app.get("/metrics").bearer(METRICS_TOKEN).send().await;
    assert_eq!(res.status.as_u16(), 200);
    assert!(res.header("content-type").unwrap().starts_with("text/plain"));
    let text = res.text();
    let regel = "pnt_http_requests_total{method=\"GET\",route=\"/v1/gemeenten/{nisCode}\",status=\"200\"} 1";
    assert!(text.contains(regel), "{text}");
    assert!(text.contains("pnt_http_request_duration_seconds_bucket"), "{text}");
    assert!(text.contains("pnt_db_pool_connections{state=\"idle\"}"), "{text}");
    assert!(text.contains("pnt_db_pool_wait_seconds_count"), "{text}");
    // Not configured: no metrics at all.
    let zonder = TestApp::spawn_with(|s| s.metrics_token = None).await;
    zonder.get("/metrics").bearer(METRICS_TOKEN).send().await.problem(404, "resourceNotFound");
}

#[actix_web::test]
async fn offers_pushed_through_a_feed_reach_the_subscribers() {
    use crate::feeds::{access_token, item, push, register};
    let app = TestApp::spawn().await;
    let ontvanger = Ontvanger::start(204);
    abonneer(
        &app,
        json!({ "url": ontvanger.url, "gebeurtenissen": ["aanbod.gepubliceerd"], "scope": { "gemeenten": ["44021"] } }),
    )
    .await;
    let client = register(&app, &["44021", "11002"]).await;
    let token = access_token(&app, &client).await;
    let items =
        vec![item("a-1", "Praattafel", "44021"), item("a-2", "Buddy", "44021"), item("a-3", "Taalcafé", "11002")];
    push(&app, &token, &client.id, "volledig", items).await.expect(200);
    assert_eq!(lever(&app).await, 2, "the two offers of Gent, published");
    let ids: Vec<Value> = ontvanger
        .alle()
        .iter()
        .map(|o| serde_json::from_str::<Value>(&o.body).unwrap()["resourceId"].clone())
        .collect();
    assert_eq!(ids.len(), 2);
    assert_ne!(ids[0], ids[1]);
}
