//! Collections as belgif describes them: `{ self, items, total, page, pageSize, first, last,
//! prev?, next? }` with page links that keep every other query parameter.

use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};
use utoipa::openapi::schema::{AdditionalProperties, ArrayBuilder, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr};
use utoipa::{IntoParams, ToSchema};

use super::links::Links;
use crate::error::{ApiError, ApiResult, InputIssue, InputLocation};

pub const DEFAULT_PAGE_SIZE: u32 = 20;
pub const MAX_PAGE_SIZE: u32 = 200;

/// Paging of a collection.
#[derive(Clone, Debug, Default, Deserialize, IntoParams)]
#[serde(rename_all = "camelCase")]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, starting at 1.
    #[param(minimum = 1, example = 1)]
    pub page: Option<u32>,
    /// Items per page: 20 by default, at most 200.
    #[param(minimum = 1, maximum = 200, example = 20)]
    pub page_size: Option<u32>,
}

impl PageParams {
    pub fn validate(&self) -> ApiResult<()> {
        let mut issues = Vec::new();
        if self.page == Some(0) {
            issues.push(InputIssue::invalid(InputLocation::Query, "page", "page starts at 1").with_value(0));
        }
        if let Some(size) = self.page_size.filter(|s| !(1..=MAX_PAGE_SIZE).contains(s)) {
            issues.push(
                InputIssue::invalid(
                    InputLocation::Query,
                    "pageSize",
                    format!("pageSize must be between 1 and {MAX_PAGE_SIZE}"),
                )
                .with_value(size),
            );
        }
        if issues.is_empty() { Ok(()) } else { Err(ApiError::bad_request(issues)) }
    }

    pub fn page(&self) -> u32 {
        self.page.unwrap_or(1).max(1)
    }

    pub fn size(&self) -> u32 {
        self.page_size.unwrap_or(DEFAULT_PAGE_SIZE).clamp(1, MAX_PAGE_SIZE)
    }

    pub fn offset(&self) -> i64 {
        i64::from(self.page() - 1) * i64::from(self.size())
    }

    pub fn limit(&self) -> i64 {
        i64::from(self.size())
    }
}

/// A page of a collection.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    #[serde(rename = "self")]
    pub self_link: String,
    pub items: Vec<T>,
    pub total: i64,
    pub page: u32,
    pub page_size: u32,
    pub first: String,
    pub last: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
}

/// Written by hand so that `items` refers to the item's own named schema: the derive inlines a
/// generic parameter, which leaves clients with an anonymous item type per collection.
/// (`ComposeSchema` is how `body = Collection<T>` in a path asks for the schema.)
impl<T: ToSchema> utoipa::__dev::ComposeSchema for Collection<T> {
    fn compose(_: Vec<RefOr<Schema>>) -> RefOr<Schema> {
        let link = |description: &str, example: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::Custom("uri".into())))
                .description(Some(description))
                .examples([example])
        };
        let count = |description: &str, minimum: f64, example: i64| {
            ObjectBuilder::new()
                .schema_type(Type::Integer)
                .minimum(Some(minimum))
                .description(Some(description))
                .examples([example])
        };
        ObjectBuilder::new()
            .schema_type(Type::Object)
            .description(Some(format!(
                "A page of `{}` items with the links to the other pages (belgif collection).",
                T::name()
            )))
            .property("self", link("This page.", "https://pnt.example/v1/aanbod?page=2&pageSize=20"))
            .property(
                "items",
                ArrayBuilder::new()
                    .items(Ref::from_schema_name(T::name()))
                    .description(Some("The items of this page.")),
            )
            .property("total", count("Number of items over all pages.", 0.0, 57))
            .property("page", count("This page's number, starting at 1.", 1.0, 2))
            .property("pageSize", count("Items per page (the request's `pageSize`, 20 by default).", 1.0, 20))
            .property("first", link("The first page.", "https://pnt.example/v1/aanbod?page=1&pageSize=20"))
            .property(
                "last",
                link(
                    "The last page (the first when there are no items).",
                    "https://pnt.example/v1/aanbod?page=3&pageSize=20",
                ),
            )
            .property(
                "prev",
                link(
                    "The previous page; absent on the first page.",
                    "https://pnt.example/v1/aanbod?page=1&pageSize=20",
                ),
            )
            .property(
                "next",
                link("The next page; absent on the last page.", "https://pnt.example/v1/aanbod?page=3&pageSize=20"),
            )
            .required("self")
            .required("items")
            .required("total")
            .required("page")
            .required("pageSize")
            .required("first")
            .required("last")
            .additional_properties(Some(AdditionalProperties::FreeForm(false)))
            .into()
    }
}

impl<T: ToSchema> ToSchema for Collection<T> {
    fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
        schemas.push((T::name().into_owned(), T::schema()));
        T::schemas(schemas);
    }
}

impl<T> Collection<T> {
    pub fn new(req: &HttpRequest, links: &Links, paging: &PageParams, items: Vec<T>, total: i64) -> Self {
        let size = paging.size();
        let page = paging.page();
        let last_page =
            u32::try_from(((total.max(0) + i64::from(size) - 1) / i64::from(size)).max(1)).unwrap_or(u32::MAX);
        let link = |p: u32| page_link(req, links, p, size);
        Collection {
            self_link: link(page),
            items,
            total,
            page,
            page_size: size,
            first: link(1),
            last: link(last_page),
            prev: (page > 1).then(|| link((page - 1).min(last_page))),
            next: (page < last_page).then(|| link(page + 1)),
        }
    }
}

/// The request's own URL with `page` and `pageSize` replaced.
fn page_link(req: &HttpRequest, links: &Links, page: u32, size: u32) -> String {
    let mut query = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(req.query_string().as_bytes()) {
        if k != "page" && k != "pageSize" {
            query.append_pair(&k, &v);
        }
    }
    query.append_pair("page", &page.to_string());
    query.append_pair("pageSize", &size.to_string());
    format!("{}?{}", links.href(req.path()), query.finish())
}
