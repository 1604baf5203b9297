//! Request extractors that turn every kind of bad input into a `badRequest` problem naming the
//! faulty input: JSON bodies (content type, size limit, syntax, schema, `validator` rules) and
//! query strings (repeatable parameters, unknown names, unparsable values).

use std::collections::{BTreeMap, HashSet};
use std::future::Future;
use std::pin::Pin;

use actix_web::http::header;
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use futures_util::StreamExt;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;
use validator::{Validate, ValidationErrors, ValidationErrorsKind};

use crate::error::{ApiError, InputIssue, InputLocation};
use crate::state::AppState;

/// lowerCamelCase of a Rust field name, so issues name inputs as clients spell them.
pub fn camel(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut upper = false;
    for c in name.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// Flattens `validator` errors into issues with body paths like `prestaties[2].uren`.
pub fn validation_issues(errors: &ValidationErrors, location: InputLocation) -> Vec<InputIssue> {
    fn walk(prefix: &str, errors: &ValidationErrors, location: InputLocation, out: &mut Vec<InputIssue>) {
        // Sorted, so the issue order is stable for clients and tests.
        let sorted: BTreeMap<_, _> = errors.errors().iter().collect();
        for (field, kind) in sorted {
            let name = if field == "__all__" {
                prefix.to_string()
            } else if prefix.is_empty() {
                camel(field)
            } else {
                format!("{prefix}.{}", camel(field))
            };
            match kind {
                ValidationErrorsKind::Field(list) => {
                    for e in list {
                        let detail = e
                            .message
                            .as_ref()
                            .map(|m| m.to_string())
                            .unwrap_or_else(|| default_message(&e.code, &e.params));
                        let mut issue = InputIssue::invalid(location, name.clone(), format!("{name}: {detail}"));
                        if let Some(v) = e.params.get("value") {
                            issue.value = Some(v.clone());
                        }
                        out.push(issue);
                    }
                }
                ValidationErrorsKind::Struct(inner) => walk(&name, inner, location, out),
                ValidationErrorsKind::List(items) => {
                    for (i, inner) in items {
                        walk(&format!("{name}[{i}]"), inner, location, out);
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    walk("", errors, location, &mut out);
    out
}

fn default_message(
    code: &str,
    params: &std::collections::HashMap<std::borrow::Cow<'static, str>, serde_json::Value>,
) -> String {
    let p = |k: &str| params.get(k).map(|v| v.to_string());
    match code {
        "length" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("length must be between {min} and {max}"),
            (Some(min), None) => format!("length must be at least {min}"),
            (None, Some(max)) => format!("length must be at most {max}"),
            _ => "invalid length".into(),
        },
        "range" => match (p("min"), p("max")) {
            (Some(min), Some(max)) => format!("must be between {min} and {max}"),
            (Some(min), None) => format!("must be at least {min}"),
            (None, Some(max)) => format!("must be at most {max}"),
            _ => "out of range".into(),
        },
        "email" => "not a valid e-mail address".into(),
        "url" => "not a valid URL".into(),
        other => format!("invalid ({other})"),
    }
}

/// serde_json appends " at line 1 column 7"; the issue already names the input.
fn strip_position(msg: String) -> String {
    match msg.find(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg,
    }
}

fn path_name(path: &serde_path_to_error::Path) -> Option<String> {
    let s = path.to_string();
    (s != ".").then(|| s.split('.').map(camel).collect::<Vec<_>>().join("."))
}

/// Earliest and latest calendar date the API accepts (README, "Input rules").
pub const EERSTE_DATUM: &str = "1900-01-01";
pub const LAATSTE_DATUM: &str = "2999-12-31";

/// What is wrong with one text input, if anything: a control character other than tab, line
/// feed and carriage return (PostgreSQL cannot store NUL, and none of them belongs in a name or
/// a title), or a calendar date (`YYYY-MM-DD`, also with a sign or a longer year) outside
/// 1900-01-01..2999-12-31 (both backends store dates as they can compare them only in that
/// range of four-digit years). One check for every query parameter and every JSON string, so
/// both backends answer the same 400.
pub fn text_issue(name: &str, value: &str) -> Option<String> {
    if let Some(c) = value.chars().find(|c| c.is_control() && !matches!(c, '\t' | '\n' | '\r')) {
        return Some(format!("{name}: control characters (here U+{:04X}) are not allowed in text", c as u32));
    }
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let mut parts = unsigned.splitn(3, '-');
    if let (Some(y), Some(m), Some(d)) = (parts.next(), parts.next(), parts.next())
        && y.len() >= 4
        && m.len() == 2
        && d.len() == 2
        && [y, m, d].iter().all(|p| p.bytes().all(|b| b.is_ascii_digit()))
    {
        let in_range = value.len() == 10 && (EERSTE_DATUM..=LAATSTE_DATUM).contains(&value);
        if !in_range {
            return Some(format!("{name}: dates must lie between {EERSTE_DATUM} and {LAATSTE_DATUM}"));
        }
    }
    None
}

/// [`text_issue`] for every string (and object key) in a JSON document, named by its path;
/// `None` when the document is not JSON (the parse then reports it). Read as a stream: a tree of
/// values would take about ten times the body (25 MB for a feed push of 5,000 items).
pub fn json_text_issues(bytes: &[u8]) -> Option<Vec<InputIssue>> {
    let mut out = Vec::new();
    let mut de = serde_json::Deserializer::from_slice(bytes);
    serde::de::DeserializeSeed::deserialize(Tekstcontrole { path: String::new(), out: &mut out }, &mut de).ok()?;
    de.end().ok()?;
    Some(out)
}

/// Visits one JSON value at `path`, checking its strings and keys (`json_text_issues`).
struct Tekstcontrole<'a> {
    path: String,
    out: &'a mut Vec<InputIssue>,
}

impl<'de> serde::de::DeserializeSeed<'de> for Tekstcontrole<'_> {
    type Value = ();

    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for Tekstcontrole<'_> {
    type Value = ();

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, _: bool) -> Result<(), E> {
        Ok(())
    }

    fn visit_i64<E>(self, _: i64) -> Result<(), E> {
        Ok(())
    }

    fn visit_u64<E>(self, _: u64) -> Result<(), E> {
        Ok(())
    }

    fn visit_f64<E>(self, _: f64) -> Result<(), E> {
        Ok(())
    }

    fn visit_unit<E>(self) -> Result<(), E> {
        Ok(())
    }

    fn visit_str<E>(self, s: &str) -> Result<(), E> {
        if let Some(detail) = text_issue(if self.path.is_empty() { "body" } else { &self.path }, s) {
            self.out.push(InputIssue::invalid(InputLocation::Body, self.path, detail));
        }
        Ok(())
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        let Tekstcontrole { path, out } = self;
        let mut i = 0;
        while seq.next_element_seed(Tekstcontrole { path: format!("{path}[{i}]"), out: &mut *out })?.is_some() {
            i += 1;
        }
        Ok(())
    }

    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let Tekstcontrole { path, out } = self;
        while let Some(k) = map.next_key::<String>()? {
            if k.chars().any(char::is_control) {
                let shown: String = k.chars().filter(|c| !c.is_control()).collect();
                out.push(InputIssue::unknown(InputLocation::Body, shown));
                map.next_value::<serde::de::IgnoredAny>()?;
                continue;
            }
            let name = if path.is_empty() { k } else { format!("{path}.{k}") };
            map.next_value_seed(Tekstcontrole { path: name, out: &mut *out })?;
        }
        Ok(())
    }
}

/// [`text_issue`] for every query parameter (name and value).
pub fn query_text_issues(qs: &str) -> Vec<InputIssue> {
    form_pairs(qs)
        .filter_map(|(k, v)| {
            let name: String = k.chars().filter(|c| !c.is_control()).collect();
            text_issue(&name, &k)
                .or_else(|| text_issue(&name, &v))
                .map(|detail| InputIssue::invalid(InputLocation::Query, name, detail))
        })
        .collect()
}

/// Deserializes a JSON document, naming the failing path in the issue.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // Text rules first, on the document as sent (a syntax error is reported below).
    if let Some(issues) = json_text_issues(bytes)
        && !issues.is_empty()
    {
        return Err(ApiError::bad_request(issues));
    }
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = path_name(e.path());
        let inner = e.into_inner();
        let issue = if inner.is_syntax() || inner.is_eof() {
            InputIssue::schema(
                InputLocation::Body,
                None,
                format!("Malformed JSON: {}", strip_position(inner.to_string())),
            )
        } else {
            let msg = strip_position(inner.to_string());
            if let Some(field) = msg.strip_prefix("missing field `").and_then(|r| r.split('`').next()) {
                let name = match &path {
                    Some(p) if !p.is_empty() => format!("{p}.{}", camel(field)),
                    _ => camel(field),
                };
                InputIssue::schema(InputLocation::Body, Some(name.clone()), format!("{name} is required"))
            } else if let Some(field) = msg.strip_prefix("unknown field `").and_then(|r| r.split('`').next()) {
                // The path already ends at the unknown field.
                InputIssue::unknown(InputLocation::Body, path.clone().unwrap_or_else(|| field.to_string()))
            } else {
                let detail = match &path {
                    Some(p) => format!("{p}: {msg}"),
                    None => msg,
                };
                InputIssue::schema(InputLocation::Body, path, detail)
            }
        };
        ApiError::bad_request(vec![issue])
    })
}

fn content_type_is_json(req: &HttpRequest) -> bool {
    let Some(ct) = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
    essence == "application/json" || (essence.starts_with("application/") && essence.ends_with("+json"))
}

/// Reads the whole body, refusing more than `limit` bytes with `payloadTooLarge`.
pub async fn read_body<S>(req: &HttpRequest, payload: &mut S, limit: usize) -> Result<web::Bytes, ApiError>
where
    S: futures_util::Stream<Item = Result<web::Bytes, actix_web::error::PayloadError>> + Unpin,
{
    let declared =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return Err(ApiError::payload_too_large(limit));
    }
    let mut body = web::BytesMut::with_capacity(declared.unwrap_or(1024).min(limit));
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| match e {
            actix_web::error::PayloadError::Overflow => ApiError::payload_too_large(limit),
            other => ApiError::bad_request(vec![InputIssue::schema(
                InputLocation::Body,
                None,
                format!("The body could not be read: {other}"),
            )]),
        })?;
        if body.len() + chunk.len() > limit {
            return Err(ApiError::payload_too_large(limit));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

fn body_limit(req: &HttpRequest, fixed: usize) -> usize {
    if fixed > 0 {
        return fixed;
    }
    req.app_data::<web::Data<AppState>>().map(|s| s.settings.body_limit).unwrap_or(1024 * 1024)
}

/// A JSON body that passed deserialization and its `validator` rules. `LIMIT` overrides the
/// configured body limit for operations that take large documents (feeds).
pub struct JsonBody<T, const LIMIT: usize = 0>(pub T);

impl<T, const LIMIT: usize> FromRequest for JsonBody<T, LIMIT>
where
    T: DeserializeOwned + Validate + 'static,
{
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_is_json(&req) {
                return Err(ApiError::unsupported_media_type("application/json"));
            }
            let limit = body_limit(&req, LIMIT);
            let bytes = read_body(&req, &mut payload, limit).await?;
            let value: T = parse_json(&bytes)?;
            value.validate().map_err(|e| ApiError::bad_request(validation_issues(&e, InputLocation::Body)))?;
            Ok(JsonBody(value))
        })
    }
}

/// Names of the query parameters a params struct documents (its OpenAPI description is the
/// list of what is allowed).
fn param_names<T: IntoParams>() -> Vec<String> {
    T::into_params(|| None).into_iter().map(|p| p.name).collect()
}

fn parse_query_string<T: DeserializeOwned>(qs: &str) -> Result<T, Box<InputIssue>> {
    let de = serde_html_form::Deserializer::from_bytes(qs.as_bytes());
    serde_path_to_error::deserialize(de).map_err(|e| {
        // A repeatable parameter is one name in the query string: `sort`, not `sort[1]`.
        let name = path_name(e.path()).map(|n| n.split('[').next().unwrap_or(&n).to_string());
        let msg = e.into_inner().to_string();
        // serde reports a missing or mistyped parameter by field name; keep its words.
        let detail = match &name {
            Some(n) => format!("{n}: {msg}"),
            None => msg,
        };
        Box::new(InputIssue::schema(InputLocation::Query, name, detail))
    })
}

fn unknown_params(qs: &str, known: &HashSet<String>) -> Vec<InputIssue> {
    let mut seen = HashSet::new();
    form_pairs(qs)
        .filter(|(k, _)| !known.contains(k) && seen.insert(k.clone()))
        .map(|(k, _)| InputIssue::unknown(InputLocation::Query, k))
        .collect()
}

fn form_pairs(qs: &str) -> impl Iterator<Item = (String, String)> + '_ {
    form_urlencoded::parse(qs.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned()))
}

/// Parses the query string into `T` (repeatable parameters become `Vec`s) and rejects
/// parameters `T` does not document, so a typo like `gemeentee=` is an error rather than
/// silently ignored.
pub struct Query<T>(pub T);

impl<T: DeserializeOwned + IntoParams> Query<T> {
    pub fn parse(qs: &str, also_allowed: &[String]) -> Result<T, ApiError> {
        let mut known: HashSet<String> = param_names::<T>().into_iter().collect();
        known.extend(also_allowed.iter().cloned());
        let mut issues = unknown_params(qs, &known);
        match parse_query_string::<T>(qs) {
            Ok(v) if issues.is_empty() => return Ok(v),
            Ok(_) => {}
            Err(issue) => issues.push(*issue),
        }
        Err(ApiError::bad_request(issues))
    }
}

impl<T: DeserializeOwned + IntoParams> FromRequest for Query<T> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        std::future::ready(Query::<T>::parse(req.query_string(), &[]).map(Query))
    }
}

/// A list operation's query: the resource's filters `F` plus `page`/`pageSize`.
pub struct ListQuery<F> {
    pub filter: F,
    pub page: super::collection::PageParams,
}

impl<F: DeserializeOwned + IntoParams> FromRequest for ListQuery<F> {
    type Error = ApiError;
    type Future = std::future::Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let qs = req.query_string();
        let page_names = param_names::<super::collection::PageParams>();
        let filter = Query::<F>::parse(qs, &page_names);
        let page = Query::<super::collection::PageParams>::parse(qs, &param_names::<F>())
            .and_then(|p| p.validate().map(|_| p));
        // Report the filter's and the paging's issues together; an unknown parameter is named
        // by both parses, so only the filter's copy is kept.
        let result = match (filter, page) {
            (Ok(filter), Ok(page)) => Ok(ListQuery { filter, page }),
            (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
            (Err(a), Err(b)) => {
                let mut issues = a.issues().to_vec();
                for issue in b.issues() {
                    if !issues.contains(issue) {
                        issues.push(issue.clone());
                    }
                }
                Err(ApiError::bad_request(issues))
            }
        };
        std::future::ready(result)
    }
}

/// A JSON Merge Patch (RFC 7396) body: `application/merge-patch+json` (plain JSON accepted).
pub struct MergePatch(pub serde_json::Value);

impl FromRequest for MergePatch {
    type Error = ApiError;
    type Future = Pin<Box<dyn Future<Output = Result<Self, ApiError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let req = req.clone();
        let mut payload = payload.take();
        Box::pin(async move {
            if !content_type_is_json(&req) {
                return Err(ApiError::unsupported_media_type("application/merge-patch+json"));
            }
            let bytes = read_body(&req, &mut payload, body_limit(&req, 0)).await?;
            let patch: serde_json::Value = parse_json(&bytes)?;
            if !patch.is_object() {
                return Err(ApiError::bad_request(vec![InputIssue::schema(
                    InputLocation::Body,
                    None,
                    "A merge patch is a JSON object of the fields to change (null removes a field)",
                )]));
            }
            Ok(MergePatch(patch))
        })
    }
}

impl MergePatch {
    /// Applies the patch to the writable representation `current` and parses and validates the
    /// result like a full replacement (PUT), so PATCH and PUT share every rule.
    pub fn apply<T>(&self, current: &T) -> Result<T, ApiError>
    where
        T: serde::Serialize + DeserializeOwned + Validate,
    {
        let mut doc = serde_json::to_value(current).map_err(ApiError::internal)?;
        json_patch::merge(&mut doc, &self.0);
        let bytes = serde_json::to_vec(&doc).map_err(ApiError::internal)?;
        let value: T = parse_json(&bytes)?;
        value.validate().map_err(|e| ApiError::bad_request(validation_issues(&e, InputLocation::Body)))?;
        Ok(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_and_far_dates_are_named() {
        assert!(text_issue("q", "a\u{0}b").unwrap().contains("U+0000"));
        assert!(text_issue("q", "regel 1\nregel 2\tmet tab\r").is_none());
        assert!(text_issue("d", "+10000-01-01").is_some());
        assert!(text_issue("d", "10000-01-01").is_some());
        assert!(text_issue("d", "3000-01-01").is_some());
        assert!(text_issue("d", "1899-12-31").is_some());
        assert!(text_issue("d", "2999-12-31").is_none());
        assert!(text_issue("d", "1900-01-01").is_none());
        assert!(text_issue("t", "Taal 2026-2027").is_none());
        let doc =
            serde_json::json!({"titel": {"nl": "a\u{1}"}, "items": [{"d": "+10000-01-01", "n": [1, null, true]}]});
        let names: Vec<_> =
            json_text_issues(doc.to_string().as_bytes()).unwrap().into_iter().filter_map(|i| i.name).collect();
        assert_eq!(names, vec!["titel.nl".to_string(), "items[0].d".to_string()]);
        assert_eq!(json_text_issues(br#"{"a\u0001b": 1}"#).unwrap()[0].name.as_deref(), Some("ab"));
        assert_eq!(json_text_issues(br#""\u0000""#).unwrap()[0].name.as_deref(), Some(""));
        assert!(json_text_issues(b"{\"a\": [").is_none());
        assert!(json_text_issues(b"{} x").is_none());
        assert_eq!(query_text_issues("q=a%00b&x=1")[0].name.as_deref(), Some("q"));
    }

    #[test]
    fn camel_cases_field_names() {
        assert_eq!(camel("verwachte_uren_per_week"), "verwachteUrenPerWeek");
        assert_eq!(camel("items[2].uren"), "items[2].uren");
    }

    #[test]
    fn decodes_form_pairs() {
        let pairs: Vec<_> = form_pairs("q=caf%C3%A9+taal&gemeente=11002&gemeente=44021&x").collect();
        assert_eq!(pairs[0], ("q".into(), "café taal".into()));
        assert_eq!(pairs[2], ("gemeente".into(), "44021".into()));
        assert_eq!(pairs[3], ("x".into(), "".into()));
    }

    #[test]
    fn json_errors_name_the_path() {
        #[derive(serde::Deserialize, Debug)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Line {
            uren: f64,
        }
        #[derive(serde::Deserialize, Debug)]
        #[allow(dead_code)]
        struct Doc {
            items: Vec<Line>,
        }
        let e = parse_json::<Doc>(br#"{"items":[{"uren":1},{"uren":"x"}]}"#).unwrap_err();
        assert_eq!(e.issues()[0].name.as_deref(), Some("items[1].uren"));
        let e = parse_json::<Doc>(br#"{"items":[{"uren":1,"extra":2}]}"#).unwrap_err();
        assert_eq!(e.issues()[0].issue_type, crate::error::types::ISSUE_UNKNOWN_INPUT);
        let e = parse_json::<Doc>(b"{\"items\": [").unwrap_err();
        assert_eq!(e.issues()[0].issue_type, crate::error::types::ISSUE_SCHEMA_VIOLATION);
    }
}
