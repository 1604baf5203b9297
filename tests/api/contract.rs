//! The OpenAPI document as the contract: every response the suite receives, and every JSON
//! request body the API accepts, is checked against the document the binary generates (which
//! `spec.rs` keeps equal to the committed one). The harness calls `check_exchange` from
//! `Req::send`, so no test can opt out.
//!
//! Stricter than OpenAPI's own reading, on purpose: `default` covers only 5xx. A 2xx, 3xx or
//! 4xx status must be declared by the operation, so clients know every problem to expect.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use serde_json::Value;

pub struct Contract {
    doc: Value,
    /// Templates split in segments, with their path item's key.
    templates: Vec<(Vec<String>, String)>,
    validators: Mutex<HashMap<String, Arc<jsonschema::Validator>>>,
}

/// What the harness knows of one request/response exchange.
pub struct Exchange<'a> {
    pub method: &'a str,
    /// The request URI, query included.
    pub uri: &'a str,
    pub request_content_type: Option<&'a str>,
    pub request_body: Option<&'a [u8]>,
    pub status: u16,
    pub response_content_type: Option<&'a str>,
    pub trace_id: Option<&'a str>,
    pub response_body: &'a [u8],
}

pub fn contract() -> &'static Contract {
    static CONTRACT: OnceLock<Contract> = OnceLock::new();
    CONTRACT.get_or_init(|| Contract::new(serde_json::to_value(pnt_api::startup::api_doc()).unwrap()))
}

fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// A JSON pointer as a URI fragment: the characters a fragment cannot hold, percent-encoded.
fn fragment(pointer: &str) -> String {
    let mut out = String::with_capacity(pointer.len());
    for b in pointer.bytes() {
        if b.is_ascii_alphanumeric() || b"/~-._!$&'()*+,;=:@".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn media_type(content_type: Option<&str>) -> Option<String> {
    content_type.map(|ct| ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

fn is_json(media: &str) -> bool {
    media == "application/json" || media.ends_with("+json")
}

impl Contract {
    pub fn new(doc: Value) -> Contract {
        let templates = doc["paths"]
            .as_object()
            .map(|paths| paths.keys().map(|k| (k.split('/').map(str::to_string).collect(), k.clone())).collect())
            .unwrap_or_default();
        Contract { doc, templates, validators: Mutex::new(HashMap::new()) }
    }

    /// The path template that `path` matches; literal segments win over parameters, so
    /// `/v1/aanbod/zoeken` is not taken for `/v1/aanbod/{id}`.
    fn template(&self, path: &str) -> Option<&str> {
        let wanted: Vec<&str> = path.split('/').collect();
        self.templates
            .iter()
            .filter(|(segments, _)| {
                segments.len() == wanted.len()
                    && segments.iter().zip(&wanted).all(|(s, w)| s == w || (s.starts_with('{') && !w.is_empty()))
            })
            .max_by_key(|(segments, _)| segments.iter().filter(|s| !s.starts_with('{')).count())
            .map(|(_, key)| key.as_str())
    }

    /// Follows a `$ref` to a component (responses, request bodies, headers).
    fn resolve<'v>(&'v self, value: &'v Value) -> &'v Value {
        match value.get("$ref").and_then(Value::as_str) {
            Some(r) => self.doc.pointer(r.trim_start_matches('#')).unwrap_or(&Value::Null),
            None => value,
        }
    }

    /// Validates `instance` against the schema at `pointer` (a JSON pointer into the document).
    pub fn validate(&self, pointer: &str, instance: &Value) -> Result<(), String> {
        let validator = {
            let mut cache = self.validators.lock().unwrap();
            match cache.get(pointer) {
                Some(v) => v.clone(),
                None => {
                    // The whole document is the root resource, so `#/components/schemas/…`
                    // references resolve; its other keys are unknown keywords and ignored.
                    let mut root = self.doc.clone();
                    root["$schema"] = "https://json-schema.org/draft/2020-12/schema".into();
                    root["$ref"] = format!("#{}", fragment(pointer)).into();
                    let v = jsonschema::options()
                        .with_draft(jsonschema::Draft::Draft202012)
                        .should_validate_formats(true)
                        .build(&root)
                        .map_err(|e| format!("schema at {pointer} does not compile: {e}"))?;
                    let v = Arc::new(v);
                    cache.insert(pointer.to_string(), v.clone());
                    v
                }
            }
        };
        let errors: Vec<String> = validator
            .iter_errors(instance)
            .take(5)
            .map(|e| {
                let mut value = e.instance().to_string();
                if value.len() > 300 {
                    value = format!("{}…", &value[..value.floor_char_boundary(300)]);
                }
                format!(
                    "at {:?}: {} (value: {value}; schema: {})",
                    e.instance_path().as_str(),
                    e,
                    e.schema_path().as_str()
                )
            })
            .collect();
        if errors.is_empty() { Ok(()) } else { Err(errors.join("\n  ")) }
    }

    /// Checks one exchange; `Err` says what the document does not allow.
    pub fn check_exchange(&self, x: &Exchange<'_>) -> Result<(), String> {
        let path = x.uri.split(['?', '#']).next().unwrap_or_default();
        let method = x.method.to_ascii_lowercase();
        let here = format!("{} {path} → {}", x.method, x.status);
        if matches!(method.as_str(), "options" | "head") || path.starts_with("/swagger-ui") || path == "/openapi.json" {
            return Ok(());
        }
        if x.trace_id.is_none_or(str::is_empty) {
            return Err(format!("{here}: no BelGov-Trace-Id header"));
        }
        let response_media = media_type(x.response_content_type);
        let op_pointer = self.template(path).and_then(|template| {
            let pointer = format!("/paths/{}/{method}", escape(template));
            self.doc.pointer(&pointer).map(|_| pointer)
        });
        let Some(op_pointer) = op_pointer else {
            // An undocumented path or method: only the router's 404/405 problems may come back.
            if !matches!(x.status, 404 | 405) {
                return Err(format!("{here}: no operation in the document for this method and path"));
            }
            let body: Value = serde_json::from_slice(x.response_body).map_err(|e| format!("{here}: body: {e}"))?;
            return self.validate("/components/schemas/Problem", &body).map_err(|e| format!("{here}: {e}"));
        };
        let op = self.doc.pointer(&op_pointer).unwrap();

        let status = x.status.to_string();
        let declared = if op["responses"].get(&status).is_some() {
            status.clone()
        } else if x.status >= 500 && op["responses"].get("default").is_some() {
            "default".to_string()
        } else {
            let listed: Vec<&String> = op["responses"].as_object().map(|o| o.keys().collect()).unwrap_or_default();
            return Err(format!("{here}: status {status} is not declared (declared: {listed:?})"));
        };
        // A JSON body the API accepted must be one the document allows.
        if let (Some(body), Some(media), true) =
            (x.request_body, media_type(x.request_content_type), (200..300).contains(&x.status))
            && is_json(&media)
            && !body.is_empty()
        {
            let Some(request_body) = op.get("requestBody").map(|rb| self.resolve(rb)) else {
                return Err(format!("{here}: the API accepted a body the operation does not declare"));
            };
            if request_body["content"].get(&media).is_none() {
                return Err(format!("{here}: request content type {media} is not declared"));
            }
            if let Ok(body) = serde_json::from_slice::<Value>(body) {
                let pointer = match op["requestBody"].get("$ref").and_then(Value::as_str) {
                    Some(r) => format!("{}/content/{}/schema", r.trim_start_matches('#'), escape(&media)),
                    None => format!("{op_pointer}/requestBody/content/{}/schema", escape(&media)),
                };
                self.validate(&pointer, &body).map_err(|e| format!("{here}: accepted request body: {e}"))?;
            }
        }
        let response = self.resolve(&op["responses"][&declared]);
        let trace_declared = response["headers"]
            .as_object()
            .is_some_and(|h| h.keys().any(|k| k.eq_ignore_ascii_case("BelGov-Trace-Id")));
        if !trace_declared {
            return Err(format!("{here}: the response does not declare the BelGov-Trace-Id header"));
        }
        let response_pointer = match op["responses"][&declared].get("$ref").and_then(Value::as_str) {
            Some(r) => r.trim_start_matches('#').to_string(),
            None => format!("{op_pointer}/responses/{}", escape(&declared)),
        };
        match (response.get("content").and_then(Value::as_object), response_media.as_deref()) {
            (None, _) if x.response_body.is_empty() => {}
            (None, _) => return Err(format!("{here}: a body was sent but the response declares no content")),
            (Some(_), _) if x.response_body.is_empty() && x.status == 204 => {}
            (Some(content), Some(media)) => {
                if !content.contains_key(media) {
                    let listed: Vec<&String> = content.keys().collect();
                    return Err(format!("{here}: content type {media} is not declared (declared: {listed:?})"));
                }
                if is_json(media) {
                    let body: Value = serde_json::from_slice(x.response_body)
                        .map_err(|e| format!("{here}: body is not JSON: {e}"))?;
                    let pointer = format!("{response_pointer}/content/{}/schema", escape(media));
                    self.validate(&pointer, &body).map_err(|e| format!("{here}: response body: {e}"))?;
                }
            }
            (Some(_), None) => return Err(format!("{here}: a response without a content type")),
        }

        Ok(())
    }
}
