//! The OpenAPI 3.1 document: the base (info, servers, tags, security scheme) plus what the
//! routes contribute, finished by adding the shared problem responses to every operation.

use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};

use crate::error::{InputIssue, InputLocation, PROBLEM_JSON, Problem};

const DESCRIPTION: &str = r#"The API behind the Flemish **participatie- en netwerktraject** (PNT), the fourth pillar of
civic integration: every newcomer with a mandatory integration path does at least 40 hours of
social participation in a Dutch-speaking context.

**Authentication.** Send `Authorization: Bearer <token>`. Development tokens come from
`pnt-api token --sub <id> --role <role>`; use *Authorize* above to try operations here.
Roles: `admin`, `trajectbegeleider`, `inburgeraar`, `aanbieder`, `lokaalBestuur`,
`netwerkcoordinator`, `feedClient`.

**Conventions** (Belgian government REST guide): lowerCamelCase, collections as
`{ self, items, total, page, pageSize, next, prev }`, errors as RFC 9457
`application/problem+json` with stable `type` URNs, `BelGov-Trace-Id` on every response,
`ETag`/`If-Match` for updates, `Idempotency-Key` for retried creates."#;

#[derive(OpenApi)]
#[openapi(
    info(
        title = "PNT API",
        description = DESCRIPTION,
        contact(name = "PNT API team", email = "pnt-api@example.vlaanderen.be"),
        license(name = "EUPL-1.2", identifier = "EUPL-1.2")
    ),
    servers((url = "/", description = "This instance")),
    tags(
        (name = "Systeem", description = "Health and the caller's identity"),
        (name = "Referentiedata", description = "Municipalities and regional networks (public)"),
        (name = "Organisaties", description = "Organisations that offer activities"),
        (name = "Aanbod", description = "The offer catalogue: search, management, moderation"),
        (name = "Feeds", description = "Municipal systems pushing their offer"),
        (name = "Machineclients", description = "Machine clients and the client-credentials grant"),
        (name = "Inburgeraars", description = "Newcomers (personal data: trajectbegeleiders, admins and the newcomer), and the municipal list of decree art. 20 §7"),
        (name = "Inburgeringscontracten", description = "Contracts, the PNT and its vrijstelling, progress toward the 40 hours, the worklist and the change history"),
        (name = "Deelnamebewijzen", description = "Proofs of participation: hours per day, signed by the contact person (by account or one-time link), reviewed by the trajectbegeleider, counted toward the 40 hours; printable as PDF"),
        (name = "Audit", description = "Who read or changed which personal record (admins)"),
        (name = "Gebeurtenissen", description = "The change feed: what happened to offers, referrals, proofs, contracts and newcomers, in commit order, without personal data; for the systems around the API (webhooks push the same events)"),
        (name = "Regionale netwerken", description = "The regional organisation networks: leader and mandate, staff, subsidy, partners, meetings (stuurgroep ≥ 4 a year, klankbordgroep 1–2 a year, werkgroepen), the action plan and the compliance view. Written by an admin or the network's own netwerkcoordinator"),
        (name = "Doorverwijzingen", description = "Matching newcomers to offers: suggestions with a documented score, referrals with a warm handover or companion, capacity and waiting lists (first come, first served). The contract's trajectbegeleider and admins see referrals in full, the newcomer their own, the offer's aanbieder only the newcomer's name and contact language"),
        (name = "Monitoring", description = "The fourth pillar per municipality without any person: counts under 5 and every figure that would reveal one are suppressed"),
    ),
    components(schemas(Problem, InputIssue, InputLocation, crate::domain::moment::Dagdeel))
)]
struct BaseDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = BaseDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

const BEARER: &str = "bearerAuth";
/// The scraper's static token for `/metrics`.
const METRICS: &str = "metricsToken";

/// Operations anyone may call without a token: `security: []` says so to clients. Every other
/// operation must declare its security; `finish` refuses a document where one forgot.
const PUBLIC_OPERATIONS: &[&str] =
    &["getHealth", "getLiveness", "getReadiness", "oauthToken", "getOndertekenverzoek", "decideOndertekenverzoek"];

/// The request header the idempotency middleware honours on every authenticated `POST`.
const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

use crate::http::conditional::IF_MATCH;

/// The response header of a replayed idempotent request.
const REPLAYED: &str = "Idempotent-Replayed";

/// The response header every response carries.
const TRACE_HEADER: &str = "BelGov-Trace-Id";

/// An example problem for a status, with the type URN the API really sends for it.
fn problem_example(status: u16) -> Option<serde_json::Value> {
    use crate::error::types;
    let (problem_type, title, detail) = match status {
        400 => (types::BAD_REQUEST, "Bad Request", "rijksregisternummer: check digits do not match"),
        401 => (types::NO_ACCESS_TOKEN, "No Access Token", "This operation needs a bearer access token"),
        403 => (types::MISSING_PERMISSION, "Missing Permission", "You may only manage your own organisation's offer"),
        404 => (types::RESOURCE_NOT_FOUND, "Resource Not Found", "No aanbod with id 42"),
        406 => (
            types::NOT_ACCEPTABLE,
            "Not Acceptable",
            "A deelnamebewijs is available as application/json or application/pdf",
        ),
        409 => (
            types::INVALID_TRANSITION,
            "Invalid Status Transition",
            "An offer in status concept cannot be gepubliceerd",
        ),
        412 => (
            types::PRECONDITION_FAILED,
            "Precondition Failed",
            "If-Match \"3\" does not match the current version \"4\"",
        ),
        413 => (types::PAYLOAD_TOO_LARGE, "Payload Too Large", "The request body exceeds the limit of 65536 bytes"),
        415 => (types::UNSUPPORTED_MEDIA_TYPE, "Unsupported Media Type", "Expected a body of type application/json"),
        422 => (
            "urn:problem-type:pnt:idempotencyKeyReused",
            "Idempotency Key Reused",
            "This Idempotency-Key was used for a different request; use a new key",
        ),
        429 => (types::TOO_MANY_REQUESTS, "Too Many Requests", "Too many requests; retry after 12 seconds"),
        503 => (
            types::SERVICE_UNAVAILABLE,
            "Service Unavailable",
            "The service is temporarily unavailable; try again later",
        ),
        500 => (
            types::INTERNAL_SERVER_ERROR,
            "Internal Server Error",
            "An unexpected error occurred; quote the instance id when you contact support",
        ),
        _ => return None,
    };
    let mut example = serde_json::json!({
        "type": problem_type,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11",
    });
    if status == 400 {
        example["issues"] = serde_json::json!([{
            "type": crate::error::types::ISSUE_INVALID_INPUT,
            "title": "Invalid input",
            "detail": "rijksregisternummer: check digits do not match",
            "in": "body",
            "name": "rijksregisternummer",
            "value": "85073003328",
        }]);
    }
    Some(example)
}

fn problem_response(status: u16, description: &str) -> RefOr<utoipa::openapi::Response> {
    let mut content = ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem")));
    if let Some(example) = problem_example(status) {
        content = content.example(Some(example));
    }
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .header(TRACE_HEADER, trace_header())
            .content(PROBLEM_JSON, content.build())
            .build(),
    )
}

fn trace_header() -> utoipa::openapi::header::Header {
    utoipa::openapi::header::HeaderBuilder::new()
        .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String)))
        .description(Some(
            "Identifies this exchange in the logs: the client's own `BelGov-Trace-Id` when it sent a sane one \
             (visible ASCII, at most 128 characters), else a new UUID.",
        ))
        .build()
}

/// The 409 of a lost version race ([`crate::app::document::lost_race`]).
const LOST_RACE: &str =
    "A concurrent change got in between reading and writing (`conflict`); fetch the document again and retry";

/// Adds `description` to the operation's 409, creating it if the handler declared none.
fn add_409(responses: &mut std::collections::BTreeMap<String, RefOr<utoipa::openapi::Response>>, description: &str) {
    match responses.get_mut("409") {
        Some(RefOr::T(r)) => r.description = format!("{}; or: {description}", r.description),
        _ => {
            let mut response = problem_response(409, description);
            if description == LOST_RACE
                && let RefOr::T(r) = &mut response
                && let Some(RefOr::T(content)) = r.content.get_mut(PROBLEM_JSON)
            {
                content.example = Some(serde_json::json!({
                    "type": crate::error::types::CONFLICT,
                    "title": "Conflict",
                    "status": 409,
                    "detail": "Another change to this resource got in first; fetch it again and retry",
                    "instance": "urn:uuid:0b9f6f2e-3f7c-4a43-9d3b-1f0b9a1f7c11",
                }));
            }
            responses.insert("409".to_string(), response);
        }
    }
}

/// The shared problem responses, by status.
const IF_NONE_MATCH: &str = "If-None-Match";

const SHARED: &[(&str, u16, &str)] = &[
    ("ProblemBadRequest", 400, "Invalid input (`badRequest`), with an `issues` entry per faulty input"),
    (
        "ProblemUnauthorized",
        401,
        "No access token (`noAccessToken`), an invalid one (`invalidAccessToken`) or an expired one (`expiredAccessToken`)",
    ),
    ("ProblemForbidden", 403, "The token lacks the role or the object is not the caller's (`missingPermission`)"),
    ("ProblemNotFound", 404, "No such resource, or not visible to the caller (`resourceNotFound`)"),
    ("ProblemPayloadTooLarge", 413, "The request body is larger than the configured limit (`payloadTooLarge`)"),
    (
        "ProblemUnsupportedMediaType",
        415,
        "The request body is not of the media type this operation reads (`unsupportedMediaType`)",
    ),
    (
        "ProblemPreconditionFailed",
        412,
        "The `If-Match` names another version than the current one (`preconditionFailed`); fetch the document again",
    ),
    (
        "ProblemIdempotencyKeyReused",
        422,
        "This `Idempotency-Key` was used for a different request (`pnt:idempotencyKeyReused`); use a new key",
    ),
    (
        "ProblemDefault",
        500,
        "An unexpected error (`internalServerError`) or the database is unreachable (`serviceUnavailable`)",
    ),
];

/// Adds the bearer scheme, `security: []` on public operations and the bearer requirement on the
/// others that declare none, the shared problem responses
/// (`400` where there is input, `401`/`403` where a token is involved, `404` where the path
/// names a resource, `413`/`415` where there is a body, `default` everywhere), an example per
/// problem status, and the `BelGov-Trace-Id` header on every response. Operation-specific
/// problems (409, 412, …) are documented by the handlers.
pub fn finish(mut doc: utoipa::openapi::OpenApi) -> utoipa::openapi::OpenApi {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("JWT")
                .description(Some("A JWT from the identity provider, the client-credentials grant or `pnt-api token`"))
                .build(),
        ),
    );
    components.add_security_scheme(
        METRICS,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .description(Some("The Prometheus scraper's static token, `PNT_METRICS_TOKEN` (not a JWT)"))
                .build(),
        ),
    );
    components.headers.insert(TRACE_HEADER.to_string(), RefOr::T(trace_header()));
    components.parameters.insert(IDEMPOTENCY_KEY.to_string(), RefOr::T(idempotency_key()));
    components.parameters.insert(
        IF_MATCH.to_string(),
        RefOr::T(
            <crate::http::conditional::IfMatch as utoipa::IntoParams>::into_params(|| None)
                .pop()
                .expect("If-Match documents one parameter"),
        ),
    );
    components.headers.insert(
        REPLAYED.to_string(),
        RefOr::T(
            utoipa::openapi::header::HeaderBuilder::new()
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String).enum_values(Some(["true"]))))
                .description(Some("`true` when this is the stored first response to an earlier request with the same `Idempotency-Key`"))
                .build(),
        ),
    );
    components.parameters.insert(
        IF_NONE_MATCH.to_string(),
        RefOr::T(
            utoipa::openapi::path::ParameterBuilder::new()
                .name(IF_NONE_MATCH)
                .parameter_in(utoipa::openapi::path::ParameterIn::Header)
                .required(utoipa::openapi::Required::False)
                .description(Some(
                    "The `ETag` of the copy you hold (anonymous requests): `304 Not Modified` when it is still current",
                ))
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String)))
                .example(Some(serde_json::json!("\"3\"")))
                .build(),
        ),
    );
    let mut not_modified = utoipa::openapi::ResponseBuilder::new()
        .description(
            "Not modified: the copy named in `If-None-Match` is current (anonymous requests of the public \
             catalogue, which shared caches may keep `Cache-Control: public, max-age=…`)",
        )
        .build();
    not_modified
        .headers
        .insert(TRACE_HEADER.to_string(), RefOr::Ref(Ref::new(format!("#/components/headers/{TRACE_HEADER}"))));
    let text_header = |description: &str| {
        RefOr::T(
            utoipa::openapi::header::HeaderBuilder::new()
                .schema(Some(utoipa::openapi::ObjectBuilder::new().schema_type(utoipa::openapi::schema::Type::String)))
                .description(Some(description))
                .build(),
        )
    };
    not_modified.headers.insert("ETag".to_string(), text_header("The current `ETag`, the one you sent"));
    not_modified.headers.insert("Cache-Control".to_string(), text_header("`public, max-age=…`"));
    components.responses.insert("NotModified".to_string(), RefOr::T(not_modified));
    for (name, status, description) in SHARED {
        components.responses.insert(name.to_string(), problem_response(*status, description));
    }
    lift_nullable_ref_descriptions(components);
    let shared = |name: &str| RefOr::Ref(Ref::new(format!("#/components/responses/{name}")));
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for (method, op) in operations(item) {
            let id = op.operation_id.clone().unwrap_or_default();
            let public = PUBLIC_OPERATIONS.contains(&id.as_str());
            match (&op.security, public) {
                (None, true) => op.security = Some(Vec::new()),
                // Every other operation needs the bearer token unless it declares otherwise
                // (the catalogue's optional `security((), ("bearerAuth" = []))`).
                (None, false) => op.security = Some(vec![SecurityRequirement::new(BEARER, Vec::<String>::new())]),
                (Some(_), true) => panic!("public operation {id} must not declare security"),
                (Some(_), false) => {}
            }
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let optional = op.security.as_ref().is_some_and(|s| {
                serde_json::to_value(s)
                    .map(|v| v.as_array().is_some_and(|a| a.iter().any(|e| e == &serde_json::json!({}))))
                    .unwrap_or(false)
            });
            // The middleware honours Idempotency-Key on every authenticated POST: one shared
            // definition, replacing whatever a handler declared inline.
            let idempotent = method == "post" && secured && !crate::http::idempotency::holds_secret(path);
            if idempotent {
                let params = op.parameters.get_or_insert_with(Vec::new);
                params.retain(|p| !matches!(p, RefOr::T(p) if p.name == IDEMPOTENCY_KEY));
                params.push(RefOr::Ref(Ref::new(format!("#/components/parameters/{IDEMPOTENCY_KEY}"))));
            }
            // Where `If-Match` is honoured: one shared parameter, its 412 and the lost-race 409.
            let conditional = op.parameters.as_mut().is_some_and(|params| {
                let before = params.len();
                params.retain(|p| !matches!(p, RefOr::T(p) if p.name == IF_MATCH));
                let found = params.len() != before;
                if found {
                    params.push(RefOr::Ref(Ref::new(format!("#/components/parameters/{IF_MATCH}"))));
                }
                found
            });
            // The public catalogue's anonymous answers are cacheable (`http::cache`): a
            // revalidation with `If-None-Match` may answer 304.
            let cacheable = method == "get" && crate::http::cache::is_openbaar(path);
            if cacheable {
                let params = op.parameters.get_or_insert_with(Vec::new);
                params.push(RefOr::Ref(Ref::new(format!("#/components/parameters/{IF_NONE_MATCH}"))));
                op.responses.responses.insert("304".to_string(), shared("NotModified"));
            }
            let has_body = op.request_body.is_some();
            let has_input = op.parameters.as_ref().is_some_and(|p| !p.is_empty()) || has_body;
            let responses = &mut op.responses.responses;
            let add = |responses: &mut std::collections::BTreeMap<String, RefOr<utoipa::openapi::Response>>,
                       status: &str,
                       name: &str| {
                responses.entry(status.to_string()).or_insert_with(|| shared(name));
            };
            if has_input {
                add(responses, "400", "ProblemBadRequest");
            }
            if secured {
                add(responses, "401", "ProblemUnauthorized");
                if !optional {
                    add(responses, "403", "ProblemForbidden");
                }
            }
            if has_path_params {
                add(responses, "404", "ProblemNotFound");
            }
            if has_body {
                add(responses, "413", "ProblemPayloadTooLarge");
                add(responses, "415", "ProblemUnsupportedMediaType");
            }
            if conditional {
                add(responses, "412", "ProblemPreconditionFailed");
                add_409(responses, LOST_RACE);
            }
            if idempotent {
                add(responses, "422", "ProblemIdempotencyKeyReused");
                add_409(
                    responses,
                    "A request with the same `Idempotency-Key` is still running (`pnt:requestInProgress`)",
                );
            }
            add(responses, "default", "ProblemDefault");
            for (status, response) in responses.iter_mut() {
                if let RefOr::T(response) = response {
                    response
                        .headers
                        .entry(TRACE_HEADER.to_string())
                        .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/headers/{TRACE_HEADER}"))));
                    if idempotent && status.starts_with('2') {
                        response.headers.insert(
                            REPLAYED.to_string(),
                            RefOr::Ref(Ref::new(format!("#/components/headers/{REPLAYED}"))),
                        );
                    }
                    // A handler's `body = Problem` is sent as problem+json: declared here once.
                    let problem = Some(RefOr::Ref(Ref::from_schema_name("Problem")));
                    if let Some(RefOr::T(json)) = response.content.get("application/json")
                        && json.schema == problem
                        && let Some(content) = response.content.shift_remove("application/json")
                    {
                        response.content.insert(PROBLEM_JSON.to_string(), content);
                    }
                    if let (Some(RefOr::T(content)), Ok(code)) =
                        (response.content.get_mut(PROBLEM_JSON), status.parse::<u16>())
                        && content.example.is_none()
                        && content.examples.is_empty()
                    {
                        content.example = problem_example(code);
                    }
                }
            }
        }
    }
    doc
}

/// A nullable reference (`oneOf: [$ref, null]`) gets its field's doc comment on the `$ref`
/// branch, where tools that show a property's description do not look: lift it onto the
/// property itself.
fn lift_nullable_ref_descriptions(components: &mut utoipa::openapi::Components) {
    use utoipa::openapi::schema::Schema;
    for schema in components.schemas.values_mut() {
        let RefOr::T(Schema::Object(object)) = schema else { continue };
        for property in object.properties.values_mut() {
            let RefOr::T(Schema::OneOf(one_of)) = property else { continue };
            if one_of.description.is_none() {
                one_of.description = one_of.items.iter().find_map(|item| match item {
                    RefOr::Ref(r) if !r.description.is_empty() => Some(r.description.clone()),
                    _ => None,
                });
            }
        }
    }
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = (&'static str, &mut Operation)> {
    [
        ("get", &mut item.get),
        ("put", &mut item.put),
        ("post", &mut item.post),
        ("delete", &mut item.delete),
        ("patch", &mut item.patch),
        ("head", &mut item.head),
    ]
    .into_iter()
    .filter_map(|(method, op)| op.as_mut().map(|op| (method, op)))
}

fn idempotency_key() -> utoipa::openapi::path::Parameter {
    utoipa::openapi::path::ParameterBuilder::new()
        .name(IDEMPOTENCY_KEY)
        .parameter_in(utoipa::openapi::path::ParameterIn::Header)
        .required(utoipa::openapi::Required::False)
        .description(Some(
            "Makes a retry safe: a repeated request with the same key by the same caller gets the first \
             (2xx) response again, with `Idempotent-Replayed: true`, for 24 hours. The same key with a \
             different request is `422 idempotencyKeyReused`; while the first is still running, `409 \
             requestInProgress`. Visible ASCII, at most 255 characters; a UUID is a good choice.",
        ))
        .schema(Some(
            utoipa::openapi::ObjectBuilder::new()
                .schema_type(utoipa::openapi::schema::Type::String)
                .min_length(Some(1))
                .max_length(Some(255)),
        ))
        .example(Some(serde_json::json!("5f0c2c9e-8d0e-4a55-9a0b-3f4bd6a1c2e7")))
        .build()
}

/// The schema of a closed set of text values (`text_enum!`): the wire values as `enum`, the
/// type's doc comment as description, followed by one line per value that has a doc comment.
pub fn enum_schema(doc: &[&str], values: &[(&str, &[&str])]) -> RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, Type};
    let line = |l: &&str| l.strip_prefix(' ').unwrap_or(l).to_string();
    let mut description = doc.iter().map(line).collect::<Vec<_>>().join("\n");
    for (value, vdoc) in values.iter().filter(|(_, d)| !d.is_empty()) {
        let text = vdoc.iter().map(line).collect::<Vec<_>>().join(" ");
        description.push_str(&format!("\n- `{value}`: {text}"));
    }
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().map(|(v, _)| *v)))
        .description((!description.trim().is_empty()).then(|| description.trim().to_string()))
        .into()
}

/// A property that refers to schema `T` and may be `null`, with its description on the property
/// itself (the derive puts a nullable reference's description inside the `oneOf`, where tools
/// do not show it). For `#[schema(schema_with = …)]`; `T` must be registered by another use.
pub fn nullable_ref<T: utoipa::ToSchema>(description: &str) -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
    use utoipa::openapi::schema::{ObjectBuilder, OneOfBuilder, Type};
    OneOfBuilder::new()
        .item(utoipa::openapi::Ref::from_schema_name(T::name()))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(description))
        .into()
}
