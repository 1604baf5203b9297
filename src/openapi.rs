//! The OpenAPI 3.1 document: the base (info, servers, tags, security scheme) plus what the
//! routes contribute, finished by adding the shared problem responses to every operation.

use utoipa::OpenApi;
use utoipa::openapi::path::Operation;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
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
        (name = "Regionale netwerken", description = "The regional organisation networks: leader and mandate, staff, subsidy, partners, meetings (stuurgroep ≥ 4 a year, klankbordgroep 1–2 a year, werkgroepen), the action plan and the compliance view. Written by an admin or the network's own netwerkcoordinator"),
        (name = "Doorverwijzingen", description = "Matching newcomers to offers: suggestions with a documented score, referrals with a warm handover or companion, capacity and waiting lists (first come, first served). The contract's trajectbegeleider and admins see referrals in full, the newcomer their own, the offer's aanbieder only the newcomer's name and contact language"),
        (name = "Monitoring", description = "The fourth pillar per municipality without any person: counts under 5 and every figure that would reveal one are suppressed"),
    ),
    components(schemas(Problem, InputIssue, InputLocation))
)]
struct BaseDoc;

pub fn base() -> utoipa::openapi::OpenApi {
    let mut doc = BaseDoc::openapi();
    doc.info.version = env!("CARGO_PKG_VERSION").to_string();
    doc
}

const BEARER: &str = "bearerAuth";

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(PROBLEM_JSON, ContentBuilder::new().schema(Some(Ref::from_schema_name("Problem"))).build())
            .build(),
    )
}

/// Adds the bearer scheme and the shared problem responses: `default` on every operation,
/// `400` where there is input, `401`/`403` where a token is involved, `404` where the path
/// names a resource. Operation-specific problems (409, 412, …) are documented by the handlers.
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
    let shared = [
        ("ProblemBadRequest", "Invalid input (`badRequest`), with an `issues` entry per faulty input"),
        ("ProblemUnauthorized", "No, an invalid or an expired access token"),
        ("ProblemForbidden", "The token lacks the role or the object is not the caller's (`missingPermission`)"),
        ("ProblemNotFound", "No such resource, or not visible to the caller (`resourceNotFound`)"),
        ("ProblemDefault", "Any other problem"),
    ];
    for (name, description) in shared {
        components.responses.insert(name.to_string(), problem_response(description));
    }
    for (path, item) in doc.paths.paths.iter_mut() {
        let has_path_params = path.contains('{');
        for op in operations(item) {
            let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
            let optional = op.security.as_ref().is_some_and(|s| {
                serde_json::to_value(s)
                    .map(|v| v.as_array().is_some_and(|a| a.iter().any(|e| e == &serde_json::json!({}))))
                    .unwrap_or(false)
            });
            let has_input = op.parameters.as_ref().is_some_and(|p| !p.is_empty()) || op.request_body.is_some();
            let mut add = |status: &str, name: &str| {
                op.responses
                    .responses
                    .entry(status.to_string())
                    .or_insert_with(|| RefOr::Ref(Ref::new(format!("#/components/responses/{name}"))));
            };
            if has_input {
                add("400", "ProblemBadRequest");
            }
            if secured {
                add("401", "ProblemUnauthorized");
                if !optional {
                    add("403", "ProblemForbidden");
                }
            }
            if has_path_params {
                add("404", "ProblemNotFound");
            }
            add("default", "ProblemDefault");
        }
    }
    doc
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch, &mut item.head]
        .into_iter()
        .filter_map(|op| op.as_mut())
}
