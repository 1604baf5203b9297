//! Shared set-up for the newcomer, contract, change and audit tests: valid bodies, dates
//! relative to today (so the tests stay valid), and short-hands to register and sign.

#![allow(dead_code)]

use chrono::{Datelike, Days, NaiveDate, Utc};
use pnt_api::auth::{Role, TokenRequest};
use serde_json::{Value, json};

use crate::helpers::*;

pub const GEEL: &str = "13008";
pub const GENT: &str = "44021";

/// Today as the API judges it: the date in Brussels.
pub fn vandaag() -> NaiveDate {
    pnt_api::clock::date_in_brussels(Utc::now())
}

/// Today plus `offset` days, as `yyyy-MM-dd`.
pub fn dag(offset: i64) -> String {
    let d = if offset >= 0 {
        vandaag().checked_add_days(Days::new(offset as u64))
    } else {
        vandaag().checked_sub_days(Days::new(offset.unsigned_abs()))
    };
    d.unwrap().to_string()
}

/// A valid INSZ for a birth date and sequence number.
pub fn insz(geboren: NaiveDate, volgnummer: u32) -> String {
    let yymmdd = geboren.format("%y%m%d").to_string();
    let base: u64 = format!("{yymmdd}{volgnummer:03}").parse().unwrap();
    let n = if geboren.year() >= 2000 { 2_000_000_000 + base } else { base };
    format!("{yymmdd}{volgnummer:03}{:02}", 97 - n % 97)
}

pub const GEBOREN: &str = "1994-03-18";

pub fn geboren() -> NaiveDate {
    GEBOREN.parse().unwrap()
}

/// A complete, valid newcomer body; `n` makes the unique fields unique.
pub fn persoon(n: u32) -> Value {
    json!({
        "dossiernummer": format!("AGII-2026-{n:06}"),
        "voornaam": "Amina",
        "achternaam": format!("Haddad-{n}"),
        "geboortedatum": GEBOREN,
        "rijksregisternummer": insz(geboren(), n),
        "contacttaal": "ar",
        "gemeente": GEEL,
        "statuut": "verplicht",
        "contact": { "email": "amina@example.be", "telefoon": "+32 470 12 34 56", "adres": "Markt 1, 2440 Geel" },
        "gebruikerId": format!("burger-{n}")
    })
}

pub fn tb(app: &TestApp, sub: &str) -> String {
    app.token(Role::Trajectbegeleider, sub)
}

pub fn admin(app: &TestApp) -> String {
    app.token(Role::Admin, "admin-1")
}

pub fn burger(app: &TestApp, n: u32) -> String {
    app.token(Role::Inburgeraar, &format!("burger-{n}"))
}

pub fn lokaal_bestuur(app: &TestApp, gemeenten: &[&str]) -> String {
    app.token_for(TokenRequest {
        sub: "lb-1".into(),
        roles: vec![Role::LokaalBestuur],
        gemeenten: gemeenten.iter().map(|g| g.to_string()).collect(),
        ..Default::default()
    })
}

/// Registers newcomer `n` (with `patch` applied to the body) and returns the document.
pub async fn registreer(app: &TestApp, token: &str, n: u32, patch: Value) -> Value {
    let mut body = persoon(n);
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            body.as_object_mut().unwrap().remove(k);
        } else {
            body[k] = v.clone();
        }
    }
    app.post("/v1/inburgeraars").bearer(token).json(&body).send().await.expect(201)
}

/// A contract body for newcomer `id`: signed `getekend` days from today, term ending
/// `einde` days from today, with `pnt`.
pub fn contract(id: i64, getekend: i64, einde: i64, pnt: Value) -> Value {
    json!({
        "inburgeraar": id,
        "ondertekendOp": dag(getekend),
        "termijnEinde": dag(einde),
        "pnt": pnt
    })
}

pub async fn teken(app: &TestApp, token: &str, body: Value) -> Value {
    app.post("/v1/inburgeringscontracten").bearer(token).json(&body).send().await.expect(201)
}

/// Registers newcomer `n` with `statuut` and signs a contract with the PNT included (or not),
/// signed `getekend` days from today and ending `einde` days from today.
pub async fn persoon_met_contract(
    app: &TestApp,
    token: &str,
    n: u32,
    statuut: &str,
    pnt: bool,
    getekend: i64,
    einde: i64,
) -> (Value, Value) {
    let p = registreer(app, token, n, json!({ "statuut": statuut })).await;
    let c = teken(app, token, contract(p["id"].as_i64().unwrap(), getekend, einde, json!({ "opgenomen": pnt }))).await;
    (p, c)
}

/// A valid vrijstelling for work: full-time under an open-ended contract since 100 days.
pub fn vrijstelling_werk() -> Value {
    json!({
        "reden": "werk",
        "bewijs": "Arbeidsovereenkomst Bakkerij Peeters en Dimona-aangifte",
        "tewerkstelling": { "breuk": 1.0, "arbeidsovereenkomsten": [{ "van": dag(-100) }] }
    })
}

pub fn path_of(href: &Value) -> String {
    let s = href.as_str().unwrap();
    s.strip_prefix("http://localhost:8080").unwrap_or(s).to_string()
}

/// Posts a change on contract `c` (a document) and returns the response.
pub async fn wijzig(app: &TestApp, token: &str, c: &Value, body: Value) -> Res {
    app.post(&format!("{}/wijzigingen", path_of(&c["self"]))).bearer(token).json(&body).send().await
}

/// The audit entries for a resource, newest first (read as admin).
pub async fn audit(app: &TestApp, query: &str) -> Vec<Value> {
    let page = app.get(&format!("/v1/auditLog?pageSize=200&{query}")).bearer(&admin(app)).send().await.expect(200);
    page["items"].as_array().unwrap().clone()
}
