//! The `{id}` of a document's path, one type per resource: it extracts the id (a malformed one
//! is `400 badRequest` naming `id`, without internal type names) and documents the parameter
//! (`params(AanbodId)`), so no handler repeats either.

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest};
use std::future::{Ready, ready};
use utoipa::openapi::path::{Parameter, ParameterBuilder, ParameterIn};
use utoipa::openapi::schema::{KnownFormat, SchemaFormat, Type};
use utoipa::openapi::{ObjectBuilder, Required};

use crate::error::{ApiError, InputLocation};

/// The path's `id` segment as a 64-bit integer (one that names no document is a `404` later).
fn parse(req: &HttpRequest) -> Result<i64, ApiError> {
    let raw = req.match_info().get("id").unwrap_or_default();
    raw.parse::<i64>()
        .map_err(|_| ApiError::invalid(InputLocation::Path, "id", format!("id must be a whole number, not {raw:?}")))
}

fn parameter(description: &str, example: i64) -> Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .description(Some(description))
        .schema(Some(
            ObjectBuilder::new().schema_type(Type::Integer).format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64))),
        ))
        .example(Some(serde_json::json!(example)))
        .build()
}

macro_rules! id_paths {
    ($($(#[$doc:meta])* $name:ident: $description:literal, $example:literal;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub struct $name(pub i64);

        impl FromRequest for $name {
            type Error = ApiError;
            type Future = Ready<Result<Self, ApiError>>;

            fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
                ready(parse(req).map($name))
            }
        }

        impl utoipa::IntoParams for $name {
            fn into_params(_: impl Fn() -> Option<ParameterIn>) -> Vec<Parameter> {
                vec![parameter($description, $example)]
            }
        }
    )*};
}

id_paths! {
    /// `/v1/aanbod/{id}`
    AanbodId: "Offer id", 42;
    /// `/v1/organisaties/{id}`
    OrganisatieIdPath: "Organisation id", 12;
    /// `/v1/inburgeraars/{id}`
    InburgeraarId: "Newcomer id", 17;
    /// `/v1/inburgeringscontracten/{id}`
    ContractId: "Contract id", 5;
    /// `/v1/doorverwijzingen/{id}`
    DoorverwijzingId: "Referral id", 9;
    /// `/v1/deelnamebewijzen/{id}`
    BewijsId: "Proof id", 3;
    /// `/v1/webhooks/{id}`
    WebhookId: "Webhook subscription id", 3;
}
