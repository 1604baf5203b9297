//! The public catalogue is cacheable, nothing personal is (issue 16): anonymous reads of offers,
//! gemeenten, regionale netwerken and organisations answer `Cache-Control: public` with an
//! `ETag` and `304` on a matching `If-None-Match`; anything with a token or personal data keeps
//! `no-store`.

use serde_json::json;

use crate::helpers::*;
use crate::inburgering::*;

fn publiek(res: &Res) -> bool {
    res.header("cache-control").as_deref() == Some("public, max-age=60")
}

#[actix_web::test]
async fn anonymous_catalogue_reads_are_cacheable_and_revalidate() {
    let app = TestApp::spawn().await;
    for pad in ["/v1/gemeenten", "/v1/gemeenten/44021", "/v1/regionaleNetwerken", "/v1/organisaties", "/v1/aanbod"] {
        let res = app.get(pad).send().await;
        res.expect(200);
        assert!(publiek(&res), "{pad}: {:?}", res.header("cache-control"));
        assert_eq!(res.header("vary").as_deref(), Some("Authorization, Accept-Language"), "{pad}");
        let etag = res.header("etag").expect("an ETag");
        let niet = app.get(pad).header("If-None-Match", &etag).send().await;
        assert_eq!(niet.status.as_u16(), 304, "{pad}");
        assert!(niet.text().is_empty());
        assert_eq!(niet.header("etag").as_deref(), Some(etag.as_str()));
        assert!(niet.header("belgov-trace-id").is_some());
        let anders = app.get(pad).header("If-None-Match", "\"ouder\"").send().await;
        anders.expect(200);
    }

    // A document's ETag is its version: after a change the old copy is stale.
    let o = crate::organisaties::create_organisatie(&app, "Buurtwerk De Brug vzw", GENT).await;
    let pad = format!("/v1/organisaties/{o}");
    let res = app.get(&pad).send().await;
    let doc = res.expect(200);
    assert_eq!(res.header("etag"), Some(format!("\"{}\"", doc["versie"])));
    assert!(publiek(&res));
    assert_eq!(app.get(&pad).header("If-None-Match", &res.header("etag").unwrap()).send().await.status.as_u16(), 304);
}

#[actix_web::test]
async fn nothing_with_a_token_or_personal_data_is_public() {
    let app = TestApp::spawn().await;
    let tb = tb(&app, "tb-1");
    // The same public path with a token: the answer may depend on it.
    let res = app.get("/v1/gemeenten").bearer(&tb).send().await;
    res.expect(200);
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let res = app.get("/v1/gemeenten").bearer(&tb).header("If-None-Match", "*").send().await;
    assert_eq!(res.status.as_u16(), 200, "no 304 with a token");
    // Personal data.
    let persoon = registreer(&app, &tb, 1, json!({})).await;
    for pad in ["/v1/inburgeraars".to_string(), path_of(&persoon["self"])] {
        let res = app.get(&pad).bearer(&tb).send().await;
        res.expect(200);
        assert_eq!(res.header("cache-control").as_deref(), Some("no-store"), "{pad}");
    }
    // Errors and other anonymous paths.
    let res = app.get("/v1/aanbod/999999").send().await;
    res.problem(404, "resourceNotFound");
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let res = app.get("/v1/ondertekenverzoeken/onbekend").send().await;
    assert_eq!(res.header("cache-control").as_deref(), Some("no-store"));
    let res = app.get("/health").send().await;
    assert_ne!(res.header("cache-control").as_deref(), Some("public, max-age=60"));
}
