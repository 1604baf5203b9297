//! Collections as belgif describes them: `{ self, items, total, page, pageSize, first, last,
//! prev?, next? }` with page links that keep every other query parameter.

use actix_web::HttpRequest;
use serde::{Deserialize, Serialize};
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
#[derive(Clone, Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Collection<T> {
    /// This page.
    #[serde(rename = "self")]
    pub self_link: String,
    pub items: Vec<T>,
    /// Number of items over all pages.
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
