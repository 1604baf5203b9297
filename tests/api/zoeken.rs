//! Searching the published offer: free text, places, types, languages, period, distance,
//! sorting, paging, and the refusals of bad parameters.

use crate::aanbod::aanbod;
use crate::helpers::*;
use pnt_api::auth::Role;
use serde_json::{Value, json};

/// Creates and publishes an offer as admin; returns its id.
async fn publiceer(app: &TestApp, body: Value) -> i64 {
    let admin = app.token(Role::Admin, "admin-1");
    let id = app.post("/v1/aanbod").bearer(&admin).json(&body).send().await.expect(201)["id"].as_i64().unwrap();
    for status in ["ingediend", "gepubliceerd"] {
        app.post(&format!("/v1/aanbod/{id}/status"))
            .bearer(&admin)
            .json(&json!({"status": status}))
            .send()
            .await
            .expect(200);
    }
    id
}

/// Five offers: three in Gent, one in Antwerpen, one in Geel (Kempen).
async fn catalogus(app: &TestApp) {
    let mut voetbal = aanbod(None, "44021", "Voetballen met de buren");
    voetbal["aanbodtype"] = json!("vrijetijd");
    voetbal["ondersteuningstalen"] = json!(["en"]);
    voetbal["themas"] = json!(["sport"]);
    voetbal["locatie"] = json!({"lat": 51.054, "lon": 3.717});
    voetbal["periode"] = json!({"van": "2026-01-01", "tot": "2026-12-31"});
    publiceer(app, voetbal).await;

    let mut taalcafe = aanbod(None, "11002", "Taalcafé Antwerpen");
    taalcafe["ondersteuningstalen"] = json!(["en", "ar"]);
    taalcafe["themas"] = json!(["taal"]);
    taalcafe["duurzaamContact"] = json!(true);
    taalcafe["locatie"] = json!({"lat": 51.219, "lon": 4.402});
    publiceer(app, taalcafe).await;

    let mut buddy = aanbod(None, "13008", "Buddyproject Geel");
    buddy["aanbodtype"] = json!("buddyproject");
    buddy["ondersteuningstalen"] = json!(["ar"]);
    buddy["buitenEigenKring"] = json!(true);
    buddy["duurzaamContact"] = json!(true);
    publiceer(app, buddy).await;

    let mut schilderen = aanbod(None, "44021", "Alleen schilderen");
    schilderen["aanbodtype"] = json!("vrijetijd");
    schilderen["inGroep"] = json!(false);
    publiceer(app, schilderen).await;

    let mut vrijwilliger = aanbod(None, "44021", "Vrijwilligerswerk in de bib");
    vrijwilliger["titel"]["en"] = json!("Volunteering in the library");
    vrijwilliger["aanbodtype"] = json!("vrijwilligerswerk");
    vrijwilliger["nederlandstaligeContext"] = json!(false);
    vrijwilliger["periode"] = json!({"tot": "2025-12-31"});
    vrijwilliger["locatie"] = json!({"lat": 51.05, "lon": 3.73});
    publiceer(app, vrijwilliger).await;
}

fn titels(page: &Value) -> Vec<String> {
    page["items"].as_array().unwrap().iter().map(|i| i["titel"].as_str().unwrap().to_string()).collect()
}

async fn total(app: &TestApp, query: &str) -> i64 {
    app.get(&format!("/v1/aanbod?{query}")).send().await.expect(200)["total"].as_i64().unwrap()
}

#[actix_web::test]
async fn full_text_in_every_language_with_prefixes_and_accents() {
    let app = TestApp::spawn().await;
    catalogus(&app).await;
    assert_eq!(titels(&app.get("/v1/aanbod?q=voetbal").send().await.expect(200)), ["Voetballen met de buren"]);
    assert_eq!(total(&app, "q=taalcafe").await, 1, "accents are ignored");
    assert_eq!(total(&app, "q=TAALCAF%C3%89").await, 1);
    assert_eq!(total(&app, "q=volunteering").await, 1, "other languages are searched too");
    assert_eq!(total(&app, "q=sport").await, 1, "themes are searched");
    assert_eq!(total(&app, "q=voetbal%20buren").await, 1, "every word must match");
    assert_eq!(total(&app, "q=voetbal%20antwerpen").await, 0);
    // Query syntax in the input is just text.
    assert_eq!(total(&app, "q=%22taal*%20OR%20-x%3A").await, 0);
    assert_eq!(total(&app, "q=%2A%2A%2A").await, 0, "punctuation alone matches nothing");
}

#[actix_web::test]
async fn filters_combine_and_repeat() {
    let app = TestApp::spawn().await;
    catalogus(&app).await;
    assert_eq!(total(&app, "").await, 5);
    assert_eq!(total(&app, "gemeente=44021").await, 3);
    assert_eq!(total(&app, "gemeente=44021&gemeente=11002").await, 4);
    assert_eq!(total(&app, "regionaalNetwerk=REFREG03").await, 1);
    assert_eq!(total(&app, "regionaalNetwerk=GS-GENT&gemeente=11002").await, 0);
    assert_eq!(total(&app, "aanbodtype=vrijetijd&aanbodtype=praattafel").await, 3);
    assert_eq!(total(&app, "aanbodtype=vrijetijd&gemeente=11002").await, 0);
    assert_eq!(total(&app, "taal=ar").await, 2);
    assert_eq!(total(&app, "taal=AR&taal=en").await, 3);
    assert_eq!(total(&app, "thema=sport").await, 1);
    assert_eq!(total(&app, "inGroep=false").await, 1);
    assert_eq!(total(&app, "nederlandstaligeContext=false").await, 1);
    // Issue 14: the two conditions of R11 decide; painting alone (`inGroep: false`) qualifies,
    // only the offer outside a Dutch-speaking context does not.
    assert_eq!(total(&app, "kwalificeert=true").await, 4);
    assert_eq!(total(&app, "kwalificeert=false").await, 1);
    assert_eq!(total(&app, "kwalificeert=true&inGroep=false").await, 1);
    assert_eq!(total(&app, "buitenEigenKring=true").await, 1);
    assert_eq!(total(&app, "buitenEigenKring=false").await, 4);
    assert_eq!(total(&app, "duurzaamContact=true").await, 2);
    assert_eq!(total(&app, "duurzaamContact=true&buitenEigenKring=false").await, 1);
    assert_eq!(total(&app, "beschikbaarOp=2026-06-01").await, 4);
    assert_eq!(total(&app, "beschikbaarOp=2027-06-01").await, 3);
}

#[actix_web::test]
async fn near_a_place_sorted_by_distance() {
    let app = TestApp::spawn().await;
    catalogus(&app).await;
    let page = app.get("/v1/aanbod?near=51.0543,3.7174&radiusKm=5&sort=afstand").send().await.expect(200);
    let items = page["items"].as_array().unwrap();
    assert_eq!(page["total"], 3, "the three Gent offers, not Antwerpen");
    let afstanden: Vec<f64> = items.iter().map(|i| i["afstandKm"].as_f64().unwrap()).collect();
    assert!(afstanden.windows(2).all(|w| w[0] <= w[1]), "{afstanden:?}");
    assert!(afstanden[0] < 0.2, "{afstanden:?}");
    // The offer without coordinates is placed at the centre of Gent's territory (~2.2 km away).
    assert!((afstanden[2] - 2.24).abs() < 0.2, "{afstanden:?}");
    assert_eq!(items[0]["titel"], "Voetballen met de buren");

    let wide = app.get("/v1/aanbod?near=51.0543,3.7174&radiusKm=60&sort=afstand").send().await.expect(200);
    assert_eq!(wide["total"], 4, "Antwerpen is ~50 km away; Geel ~90 km");
    assert_eq!(wide["items"][3]["titel"], "Taalcafé Antwerpen");
    let d = wide["items"][3]["afstandKm"].as_f64().unwrap();
    assert!((d - 51.0).abs() < 2.0, "{d}");

    // Default radius is 10 km.
    assert_eq!(total(&app, "near=51.0543,3.7174").await, 3);
}

#[actix_web::test]
async fn sorting_and_paging() {
    let app = TestApp::spawn().await;
    catalogus(&app).await;
    let page = app.get("/v1/aanbod?sort=titel").send().await.expect(200);
    let t = titels(&page);
    let mut sorted = t.clone();
    sorted.sort();
    assert_eq!(t, sorted);
    let desc = titels(&app.get("/v1/aanbod?sort=-titel").send().await.expect(200));
    assert_eq!(desc.first(), sorted.last());

    // Newest changes first by default.
    let newest = app.get("/v1/aanbod").send().await.expect(200);
    assert_eq!(newest["items"][0]["titel"], "Vrijwilligerswerk in de bib");

    let p1 = app.get("/v1/aanbod?sort=titel&pageSize=2").send().await.expect(200);
    assert_eq!(p1["total"], 5);
    assert_eq!(p1["items"].as_array().unwrap().len(), 2);
    let next = p1["next"].as_str().unwrap().replace("http://localhost:8080", "");
    let p2 = app.get(&next).send().await.expect(200);
    assert_eq!(p2["page"], 2);
    assert_eq!(titels(&p2), sorted[2..4]);
    for item in p2["items"].as_array().unwrap() {
        assert!(item["href"].as_str().unwrap().starts_with("http://localhost:8080/v1/aanbod/"));
        assert!(item["gemeente"]["naam"].is_string());
        assert!(item.get("afstandKm").is_none());
    }
}

#[actix_web::test]
async fn bad_search_parameters_are_named() {
    let app = TestApp::spawn().await;
    for (query, name) in [
        ("near=abc", "near"),
        ("near=91,3", "near"),
        ("radiusKm=5", "radiusKm"),
        ("near=51,3&radiusKm=1000", "radiusKm"),
        ("sort=afstand", "sort"),
        ("sort=populariteit", "sort"),
        ("taal=xx", "taal"),
        ("aanbodtype=cursus", "aanbodtype"),
        ("beschikbaarOp=morgen", "beschikbaarOp"),
        ("inGroep=misschien", "inGroep"),
        ("buitenEigenKring=misschien", "buitenEigenKring"),
        ("duurzaamContact=1x", "duurzaamContact"),
        ("gemeentee=44021", "gemeentee"),
    ] {
        let p = app.get(&format!("/v1/aanbod?{query}")).send().await.problem(400, "badRequest");
        assert_eq!(issue_names(&p), [name], "{query}");
    }
}

#[actix_web::test]
async fn relevance_orders_free_text_results() {
    let app = TestApp::spawn().await;
    let mut sterk = aanbod(None, "44021", "Koken met de buren");
    sterk["beschrijving"] = json!({"nl": "Koken, samen koken en nog eens koken."});
    publiceer(&app, sterk).await;
    // Published later, so it would come first by date.
    let mut zwak = aanbod(None, "44021", "Wandelen in het park");
    zwak["beschrijving"] = json!({"nl": "Een lange wandeling door de stad met onderweg een pauze, soms wordt er \
        over koken gepraat, maar meestal over het weer, de buurt, de kinderen en het werk."});
    publiceer(&app, zwak).await;
    let by_date = titels(&app.get("/v1/aanbod?q=koken&sort=-gewijzigdOp").send().await.expect(200));
    assert_eq!(by_date, ["Wandelen in het park", "Koken met de buren"]);
    let by_relevance = titels(&app.get("/v1/aanbod?q=koken").send().await.expect(200));
    assert_eq!(by_relevance, ["Koken met de buren", "Wandelen in het park"]);
    assert_eq!(titels(&app.get("/v1/aanbod?q=koken&sort=relevantie").send().await.expect(200)), by_relevance);
}

/// A second instance of the API (the real binary, its own process) on the same database: it
/// loads the catalogue at start and follows the change sequence, so an offer published or
/// archived through this instance reaches its search without a write of its own (issue 15: within
/// `PNT_SEARCH_REFRESH_MS`; the benchmark measures the delay).
#[actix_web::test]
async fn another_instance_follows_published_changes_in_its_search() {
    let app = TestApp::spawn().await;
    let admin = app.token(Role::Admin, "admin-1");
    let schaak = publiceer(&app, aanbod(None, "44021", "Schaakclub De Toren")).await;
    let url = match &app.state.settings.database_url {
        pnt_api::config::DatabaseUrl::Sqlite(p) => format!("sqlite://{}", p.display()),
        pnt_api::config::DatabaseUrl::Postgres(u) => u.clone(),
    };
    let andere = Instantie::start(&[("DATABASE_URL", &url), ("PNT_SEARCH_REFRESH_MS", "100")]);
    // Ready once its catalogue is loaded: from here on its searches come from memory.
    andere.wait_ready();
    let totaal = |q: &str| andere.get(&format!("/v1/aanbod?q={q}"))["total"].as_i64().unwrap();
    assert_eq!(totaal("schaakclub"), 1, "loaded at start");
    assert_eq!(totaal("damclub"), 0);

    publiceer(&app, aanbod(None, "44021", "Damclub Gent")).await;
    app.post(&format!("/v1/aanbod/{schaak}/status"))
        .bearer(&admin)
        .json(&json!({"status": "gearchiveerd"}))
        .send()
        .await
        .expect(200);
    let sinds = std::time::Instant::now();
    while (totaal("damclub"), totaal("schaakclub")) != (1, 0) {
        assert!(sinds.elapsed() < std::time::Duration::from_secs(15), "the other instance never caught up");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    eprintln!("the other instance caught up after {} ms", sinds.elapsed().as_millis());
    let item = &andere.get("/v1/aanbod?q=damclub")["items"][0];
    assert_eq!(item["titel"], "Damclub Gent");
}

/// The catalogue in memory and the SQL search (which staff searches with `status` still use)
/// give the same total and the same ids in the same order, for every filter alone and combined,
/// with each sort order — over offers that vary in every filtered field — and what each result
/// shows (`AanbodKaart`: translated titles, schedule, period) is what the row shows. Relevance is
/// compared as a set: BM25 and the databases' own ranking may order ties differently.
#[actix_web::test]
async fn the_catalogue_in_memory_answers_as_the_sql_search() {
    use pnt_api::domain::aanbod::{Aanbodtype, Sortering};
    use pnt_api::domain::geo::{Omtrek, Punt};
    use pnt_api::domain::moment::{Dagdeel, Weekdag};
    use pnt_api::domain::toegang::aanbod::Zichtbaarheid;
    use pnt_api::repo::aanbod::{Groepering, Zoekopdracht, facet, search};

    let app = TestApp::spawn().await;
    let gemeenten = [("44021", 51.05, 3.72), ("11002", 51.22, 4.40), ("13008", 51.16, 4.99)];
    let woorden = ["koken", "voetbal", "taalcafé", "wandelen", "breien"];
    let types = ["praattafel", "vrijetijd", "buddyproject"];
    let mut n: u64 = 7;
    let mut volgende = |m: u64| {
        n = n.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (n >> 33) % m
    };
    for i in 0..36 {
        let (nis, lat, lon) = gemeenten[volgende(3) as usize];
        let (w1, w2) = (woorden[volgende(5) as usize], woorden[volgende(5) as usize]);
        let mut a = aanbod(None, nis, &format!("{} en {w2} {}", w1.to_uppercase(), i % 7));
        a["beschrijving"] = json!({"nl": format!("Samen {w2} in de buurt, {w1} voor iedereen")});
        if i % 4 == 0 {
            a["titel"]["en"] = json!(format!("{w1} and {w2}"));
        }
        a["aanbodtype"] = json!(types[volgende(3) as usize]);
        let talen: &[&str] = [&["en"][..], &["fr", "ar"], &[]][volgende(3) as usize];
        a["ondersteuningstalen"] = json!(talen);
        let themas: &[&str] = [&["sport"][..], &["taal", "koken"], &["cultuur"]][volgende(3) as usize];
        a["themas"] = json!(themas);
        a["nederlandstaligeContext"] = json!(volgende(4) > 0);
        a["inGroep"] = json!(volgende(2) == 0);
        a["kosteloos"] = json!(volgende(2) == 0);
        a["locatie"] = json!({"lat": lat + (volgende(100) as f64 - 50.0) / 500.0, "lon": lon});
        if volgende(2) == 0 {
            let tot = ["2026-06-30", "2027-06-30"][volgende(2) as usize];
            a["periode"] = json!({"van": "2026-01-01", "tot": tot});
        }
        if volgende(2) == 0 {
            let dag = ["maandag", "dinsdag", "zaterdag"][volgende(3) as usize];
            let (van, tot) = [("09:00", "11:00"), ("13:30", "15:30"), ("19:00", "21:30")][volgende(3) as usize];
            a["momenten"] = json!([{"weekdag": dag, "van": van, "tot": tot}]);
        }
        publiceer(&app, a).await;
    }

    let basis =
        Zoekopdracht { statussen: vec![pnt_api::domain::aanbod::AanbodStatus::Gepubliceerd], ..Default::default() };
    let met = |f: &dyn Fn(&mut Zoekopdracht)| {
        let mut z = basis.clone();
        f(&mut z);
        z
    };
    let gent = Omtrek::new(Punt::parse("51.05,3.72").unwrap(), 5.0);
    let mut opdrachten = vec![
        basis.clone(),
        met(&|z| z.gemeenten = vec!["44021".into()]),
        met(&|z| z.gemeenten = vec!["44021".into(), "13008".into()]),
        met(&|z| z.types = vec![Aanbodtype::Vrijetijd]),
        met(&|z| z.talen = vec!["ar".into(), "en".into()]),
        met(&|z| z.themas = vec!["koken".into()]),
        met(&|z| z.nederlandstalige_context = Some(false)),
        met(&|z| z.in_groep = Some(true)),
        met(&|z| z.kosteloos = Some(false)),
        met(&|z| z.kwalificeert = Some(true)),
        met(&|z| z.kwalificeert = Some(false)),
        met(&|z| z.beschikbaar_op = chrono::NaiveDate::from_ymd_opt(2026, 9, 1)),
        met(&|z| z.omtrek = Some(gent.clone())),
        met(&|z| z.weekdagen = vec![Weekdag::Zaterdag]),
        met(&|z| z.dagdelen = vec![Dagdeel::Avond]),
        met(&|z| (z.weekdagen, z.dagdelen) = (vec![Weekdag::Maandag, Weekdag::Dinsdag], vec![Dagdeel::Voormiddag])),
        met(&|z| z.woorden = vec!["kok".into()]),
        met(&|z| z.woorden = vec!["voetbal".into(), "breien".into()]),
        met(&|z| z.woorden = vec!["taalcafe".into()]),
        met(&|z| z.woorden = vec!["onbekend".into()]),
        met(&|z| {
            z.woorden = vec!["wandelen".into()];
            z.types = vec![Aanbodtype::Praattafel, Aanbodtype::Buddyproject];
            z.nederlandstalige_context = Some(true);
        }),
        met(&|z| {
            z.gemeenten = vec!["11002".into()];
            z.talen = vec!["fr".into()];
            z.in_groep = Some(false);
        }),
    ];
    let sorteringen = [
        vec![],
        vec![Sortering::Titel],
        vec![Sortering::TitelAflopend],
        vec![Sortering::GewijzigdOplopend],
        vec![Sortering::Afstand],
        vec![Sortering::Titel, Sortering::GewijzigdAflopend],
    ];
    for z in opdrachten.clone() {
        for s in &sorteringen {
            let mut z = z.clone();
            if s.contains(&Sortering::Afstand) {
                z.omtrek = Some(Omtrek::new(Punt::parse("51.1,4.0").unwrap(), 250.0));
            }
            z.sortering = s.clone();
            opdrachten.push(z);
        }
    }
    let state = app.state.clone();
    let verschillen = state
        .db
        .run(move |c| {
            let mut verschillen = Vec::new();
            for z in &opdrachten {
                for (offset, limit) in [(0, 100), (3, 5)] {
                    let (rijen, total) = search(c, z, &Zichtbaarheid::Publiek, offset, limit)?;
                    let sql: Vec<i64> = rijen.iter().map(|r| r.id).collect();
                    let sql_kaarten: Vec<_> = rijen.iter().map(|r| r.kaart()).collect();
                    let groepen = [Groepering::Aanbodtype, Groepering::Gemeente, Groepering::Taal, Groepering::Weekdag];
                    let gevraagd: Vec<_> = groepen.iter().map(|g| (z.clone(), *g)).collect();
                    let r = state.catalogus.zoek(c, z, offset, limit, &gevraagd)?.expect("loaded");
                    let relevantie = !z.woorden.is_empty() && z.sortering.is_empty();
                    let ids: Vec<i64> = r.kaarten.iter().map(|k| k.id).collect();
                    // What a result shows comes from memory too: the same as from the row.
                    if !relevantie && sql_kaarten != r.kaarten {
                        verschillen.push(format!("{z:?} {offset}/{limit}: cards differ"));
                    }
                    let (mut a, mut b) = (sql.clone(), ids.clone());
                    if relevantie {
                        a.sort();
                        b.sort();
                    }
                    if total != r.total || (a != b && (offset == 0 || !relevantie)) {
                        verschillen
                            .push(format!("{z:?} {offset}/{limit}: SQL {total} {sql:?}, memory {} {:?}", r.total, ids));
                    }
                    for (g, mut geteld) in groepen.iter().zip(r.facetten) {
                        let mut verwacht = facet(c, z, &Zichtbaarheid::Publiek, *g)?;
                        verwacht.sort();
                        geteld.sort();
                        if verwacht != geteld {
                            verschillen.push(format!("{z:?} facet {g:?}: SQL {verwacht:?}, memory {geteld:?}"));
                        }
                    }
                }
            }
            Ok(verschillen)
        })
        .await
        .unwrap();
    assert!(verschillen.is_empty(), "{} differences:\n{}", verschillen.len(), verschillen.join("\n"));
}
