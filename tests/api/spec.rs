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
        assert!(path.starts_with("/health") || path == "/metrics" || path.starts_with("/v1/"), "{path}");
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

/// The contract check itself must be able to fail: a wrong enum value, a missing required
/// field, an undeclared status, an undeclared content type and a bad accepted request body.
mod contract_check {
    use crate::contract::{Exchange, contract};

    fn health(status: u16, body: &str) -> Result<(), String> {
        contract().check_exchange(&Exchange {
            method: "GET",
            uri: "/health",
            request_content_type: None,
            request_body: None,
            status,
            response_content_type: Some("application/json"),
            trace_id: Some("t-1"),
            response_body: body.as_bytes(),
        })
    }

    #[test]
    fn accepts_a_response_the_document_allows() {
        health(200, r#"{"status":"UP"}"#).unwrap();
    }

    #[test]
    fn refuses_a_value_outside_the_enum() {
        let e = health(200, r#"{"status":"Up"}"#).unwrap_err();
        assert!(e.contains("\"/status\"") && e.contains("Up"), "{e}");
    }

    #[test]
    fn refuses_a_missing_required_field() {
        let e = health(200, "{}").unwrap_err();
        assert!(e.contains("status"), "{e}");
    }

    #[test]
    fn refuses_an_undeclared_status() {
        let e = health(201, r#"{"status":"UP"}"#).unwrap_err();
        assert!(e.contains("status 201 is not declared"), "{e}");
        // `default` covers server errors only, not an undeclared client error.
        let e = health(409, r#"{"status":"UP"}"#).unwrap_err();
        assert!(e.contains("status 409 is not declared"), "{e}");
    }

    #[test]
    fn refuses_an_undeclared_content_type_and_a_missing_trace_id() {
        let x = Exchange {
            method: "GET",
            uri: "/health",
            request_content_type: None,
            request_body: None,
            status: 200,
            response_content_type: Some("text/plain"),
            trace_id: Some("t-1"),
            response_body: b"UP",
        };
        assert!(contract().check_exchange(&x).unwrap_err().contains("text/plain is not declared"));
        let x = Exchange {
            response_content_type: Some("application/json"),
            response_body: br#"{"status":"UP"}"#,
            trace_id: None,
            ..x
        };
        assert!(contract().check_exchange(&x).unwrap_err().contains("BelGov-Trace-Id"));
    }

    #[test]
    fn refuses_an_accepted_request_body_outside_the_schema() {
        let x = Exchange {
            method: "POST",
            uri: "/v1/organisaties",
            request_content_type: Some("application/json"),
            request_body: Some(br#"{"naam": 5, "soort": "vereniging", "gemeente": "11002"}"#),
            status: 201,
            response_content_type: Some("application/json"),
            trace_id: Some("t-1"),
            response_body: b"{}",
        };
        let e = contract().check_exchange(&x).unwrap_err();
        assert!(e.contains("accepted request body") && e.contains("\"/naam\""), "{e}");
    }

    #[test]
    fn refuses_a_path_without_an_operation() {
        let x = Exchange {
            method: "POST",
            uri: "/v1/gemeenten/11002",
            request_content_type: None,
            request_body: None,
            status: 200,
            response_content_type: Some("application/json"),
            trace_id: Some("t-1"),
            response_body: b"{}",
        };
        let e = contract().check_exchange(&x).unwrap_err();
        assert!(e.contains("no operation"), "{e}");
    }

    #[test]
    fn refuses_a_wrong_type_in_an_accepted_request_body() {
        let x = Exchange {
            method: "POST",
            uri: "/v1/oauth/token",
            request_content_type: Some("application/json"),
            request_body: Some(br#"{"grant_type": 5}"#),
            status: 200,
            response_content_type: Some("application/json"),
            trace_id: Some("t-1"),
            response_body: br#"{"access_token":"x","token_type":"Bearer","expires_in":3600}"#,
        };
        // oauth/token reads a form, not JSON: a JSON body it "accepted" is not in the document.
        let e = contract().check_exchange(&x).unwrap_err();
        assert!(e.contains("application/json is not declared"), "{e}");
    }
}

/// utoipa keeps one schema per name and silently drops the other: two `ToSchema` types of the
/// same name would document one of them with the other's shape. Every name must be unique.
#[test]
fn no_two_schema_types_share_a_name() {
    fn rust_files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                rust_files(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    let mut files = Vec::new();
    rust_files(&std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"), &mut files);
    let mut seen: std::collections::HashMap<String, String> = std::collections::HashMap::new();
    let mut clashes = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().map(str::trim).collect();
        for (i, line) in lines.iter().enumerate() {
            let declared = if line.starts_with("#[derive(") && line.contains("ToSchema") {
                // The attributes up to the item: a `#[schema(as = …)]` renames it.
                let item = lines[i..].iter().position(|l| l.starts_with("pub struct ") || l.starts_with("pub enum "));
                item.map(|k| {
                    let renamed = lines[i..i + k]
                        .iter()
                        .find_map(|l| l.strip_prefix("#[schema(as = ").map(|r| r.trim_end_matches(")]").to_string()));
                    let name = lines[i + k].split_whitespace().nth(2).unwrap_or_default();
                    renamed.unwrap_or_else(|| name.split(['<', '{', '(']).next().unwrap_or_default().to_string())
                })
            } else if *line == "text_enum! {" {
                lines[i + 1..].iter().find(|l| !l.starts_with("///")).map(|l| l.trim_end_matches(" {").to_string())
            } else {
                None
            };
            if let Some(name) = declared {
                let here = format!("{}:{}", file.display(), i + 1);
                if let Some(first) = seen.insert(name.clone(), here.clone()) {
                    clashes.push(format!("{name}: {first} and {here}"));
                }
            }
        }
    }
    assert!(seen.len() > 100, "the scan found only {} schema types", seen.len());
    assert!(clashes.is_empty(), "schema names used twice (add #[schema(as = …)]):\n{}", clashes.join("\n"));
}
