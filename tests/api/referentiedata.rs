//! Municipalities and regional networks: public reads, filters, paging, links.

use crate::helpers::*;
use serde_json::json;

#[actix_web::test]
async fn all_municipalities_are_loaded() {
    let app = TestApp::spawn().await;
    let page = app.get("/v1/gemeenten?pageSize=200").send().await.expect(200);
    assert_eq!(page["total"], 304);
    assert_eq!(page["items"].as_array().unwrap().len(), 200);
    assert_eq!(page["pageSize"], 200);
    let next = page["next"].as_str().unwrap();
    assert!(next.starts_with("http://localhost:8080/v1/gemeenten?"), "{next}");
    assert!(next.contains("page=2"));
    assert!(page.get("prev").is_none());

    let vlaams = app.get("/v1/gemeenten?gewest=vlaanderen").send().await.expect(200);
    assert_eq!(vlaams["total"], 285);
    let brussel = app.get("/v1/gemeenten?gewest=brussel").send().await.expect(200);
    assert_eq!(brussel["total"], 19);
}

#[actix_web::test]
async fn paging_links_keep_the_filters() {
    let app = TestApp::spawn().await;
    let page = app.get("/v1/gemeenten?provincie=Limburg&pageSize=10&page=2").send().await.expect(200);
    assert_eq!(page["total"], 38);
    assert_eq!(page["page"], 2);
    for link in ["self", "first", "last", "prev", "next"] {
        assert!(page[link].as_str().unwrap().contains("provincie=Limburg"), "{link}: {page}");
    }
    assert!(page["last"].as_str().unwrap().contains("page=4"));
    // A page past the end is empty, not an error.
    let beyond = app.get("/v1/gemeenten?provincie=Limburg&pageSize=10&page=9").send().await.expect(200);
    assert_eq!(beyond["items"], json!([]));
    assert_eq!(beyond["total"], 38);
}

#[actix_web::test]
async fn filters_by_network_province_and_text() {
    let app = TestApp::spawn().await;
    let kempen = app.get("/v1/gemeenten?regionaalNetwerk=REFREG03&pageSize=100").send().await.expect(200);
    assert_eq!(kempen["total"], 27);
    assert!(kempen["items"].as_array().unwrap().iter().all(|g| g["regionaalNetwerk"]["code"] == "REFREG03"));

    // Repeated parameters are alternatives.
    let two = app.get("/v1/gemeenten?regionaalNetwerk=REFREG03&regionaalNetwerk=GS-GENT").send().await.expect(200);
    assert_eq!(two["total"], 28);

    // Name search ignores case and accents; postcodes match too.
    let geel = app.get("/v1/gemeenten?q=GEEL").send().await.expect(200);
    assert_eq!(geel["items"][0]["nisCode"], "13008");
    let by_postcode = app.get("/v1/gemeenten?q=2440").send().await.expect(200);
    assert_eq!(by_postcode["total"], 1);
    assert_eq!(by_postcode["items"][0]["naam"], "Geel");
    let accents = app.get("/v1/gemeenten?q=Sint-Genesius").send().await.expect(200);
    assert_eq!(accents["total"], 1);
    // LIKE wildcards in the input are literal.
    let wildcard = app.get("/v1/gemeenten?q=%25").send().await.expect(200);
    assert_eq!(wildcard["total"], 0);
}

#[actix_web::test]
async fn one_municipality_with_its_network_and_mergers() {
    let app = TestApp::spawn().await;
    let hasselt = app.get("/v1/gemeenten/71072").send().await.expect(200);
    assert_eq!(hasselt["self"], "http://localhost:8080/v1/gemeenten/71072");
    assert_eq!(hasselt["naam"], "Hasselt");
    assert_eq!(hasselt["provincie"], "Limburg");
    assert_eq!(hasselt["regionaalNetwerk"]["code"], "REFREG15");
    assert_eq!(hasselt["regionaalNetwerk"]["href"], "http://localhost:8080/v1/regionaleNetwerken/REFREG15");
    let merged: Vec<_> = hasselt["fusieVan"].as_array().unwrap().iter().map(|g| g["naam"].clone()).collect();
    assert!(merged.contains(&json!("Kortessem")), "{hasselt}");
    assert!(hasselt["ligging"]["lat"].as_f64().unwrap() > 50.7);

    let brussel = app.get("/v1/gemeenten/21004").send().await.expect(200);
    assert_eq!(brussel["gewest"], "brussel");
    assert!(brussel.get("provincie").is_none(), "absent values are omitted, not null");
    assert_eq!(brussel["regionaalNetwerk"]["code"], "GS-BRUSSEL");
}

#[actix_web::test]
async fn merged_municipality_codes_redirect() {
    let app = TestApp::spawn().await;
    let res = app.get("/v1/gemeenten/73040").send().await; // Kortessem → Hasselt
    assert_eq!(res.status.as_u16(), 301);
    assert_eq!(res.header("location").as_deref(), Some("http://localhost:8080/v1/gemeenten/71072"));
    app.get("/v1/gemeenten/99999").send().await.problem(404, "belgif:resourceNotFound");
}

#[actix_web::test]
async fn regional_networks() {
    let app = TestApp::spawn().await;
    let list = app.get("/v1/regionaleNetwerken").send().await.expect(200);
    assert_eq!(list["total"], 18);
    let items = list["items"].as_array().unwrap();
    let total: i64 = items.iter().map(|n| n["aantalGemeenten"].as_i64().unwrap()).sum();
    assert_eq!(total, 304, "every municipality in exactly one network");
    assert_eq!(items.iter().filter(|n| n["soort"] == "grootstad").count(), 3);

    let kempen = app.get("/v1/regionaleNetwerken/REFREG03").send().await.expect(200);
    assert_eq!(kempen["naam"], "Kempen");
    assert_eq!(kempen["trekker"]["naam"], "Welzijnszorg Kempen");
    assert_eq!(kempen["aantalGemeenten"], 27);
    let first = &kempen["gemeenten"][0];
    assert!(first["href"].as_str().unwrap().starts_with("http://localhost:8080/v1/gemeenten/"));

    let gent = app.get("/v1/regionaleNetwerken/GS-GENT").send().await.expect(200);
    assert_eq!(
        gent["gemeenten"],
        json!([{"href": "http://localhost:8080/v1/gemeenten/44021", "nisCode": "44021", "naam": "Gent"}])
    );
    assert!(gent.get("trekker").is_none());

    app.get("/v1/regionaleNetwerken/REFREG99").send().await.problem(404, "belgif:resourceNotFound");
}

#[actix_web::test]
async fn links_use_the_configured_public_base_url() {
    let app = TestApp::spawn_with(|s| s.public_base_url = Some("https://api.pnt.example.be".into())).await;
    let g = app.get("/v1/gemeenten/13008").send().await.expect(200);
    assert_eq!(g["self"], "https://api.pnt.example.be/v1/gemeenten/13008");
}

#[actix_web::test]
async fn reference_data_load_is_idempotent() {
    let app = TestApp::spawn().await;
    app.db(|c| Ok(pnt_api::refdata::load(c)?)).await;
    app.db(|c| Ok(pnt_api::refdata::load(c)?)).await;
    let page = app.get("/v1/gemeenten?pageSize=1").send().await.expect(200);
    assert_eq!(page["total"], 304);
}
