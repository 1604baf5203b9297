//! The OpenAPI document: committed, served, complete.

use crate::helpers::*;
use serde_json::Value;

fn committed() -> Value {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("openapi/openapi.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("openapi/openapi.json is committed")).unwrap()
}

#[test]
fn committed_spec_equals_what_the_binary_prints() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_pnt-api")).arg("openapi").output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let generated: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert!(
        generated == committed(),
        "openapi/openapi.json is stale: run `cargo run -q -- openapi > openapi/openapi.json` and commit it"
    );
}

#[actix_web::test]
async fn served_spec_equals_the_committed_one() {
    let app = TestApp::spawn().await;
    let served = app.get("/openapi.json").send().await.expect(200);
    assert_eq!(served, committed());
}

#[test]
fn every_operation_is_documented() {
    let spec = committed();
    assert!(spec["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(spec["components"]["securitySchemes"]["bearerAuth"]["scheme"], "bearer");
    for (path, item) in spec["paths"].as_object().unwrap() {
        assert!(path == "/health" || path.starts_with("/v1/"), "{path}");
        for (method, op) in item.as_object().unwrap() {
            let here = format!("{method} {path}");
            assert!(op["summary"].as_str().is_some_and(|s| !s.is_empty()), "{here}: summary");
            assert!(op["operationId"].is_string(), "{here}: operationId");
            assert!(op["tags"].as_array().is_some_and(|t| !t.is_empty()), "{here}: tag");
            let responses = op["responses"].as_object().unwrap();
            assert!(responses.contains_key("default"), "{here}: default problem response");
            assert!(responses.keys().any(|k| k.starts_with('2')), "{here}: success response");
            if path.contains('{') {
                assert!(responses.contains_key("404"), "{here}: 404");
            }
        }
    }
}
