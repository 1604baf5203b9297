//! Absolute links (belgif: `self` and `href` are absolute URIs). The base comes from
//! `PNT_PUBLIC_BASE_URL` when set (behind a proxy), else from the request's scheme and host.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpRequest, dev::Payload, web};

use crate::error::ApiError;
use crate::state::AppState;

#[derive(Clone, Debug)]
pub struct Links {
    base: String,
}

impl Links {
    pub fn new(base: impl Into<String>) -> Self {
        Links { base: base.into().trim_end_matches('/').to_string() }
    }

    pub fn from_request(req: &HttpRequest) -> Self {
        let configured = req.app_data::<web::Data<AppState>>().and_then(|s| s.settings.public_base_url.clone());
        match configured {
            Some(base) => Links::new(base),
            None => {
                let info = req.connection_info();
                Links::new(format!("{}://{}", info.scheme(), info.host()))
            }
        }
    }

    /// `path` must start with `/`, e.g. `/v1/gemeenten/11002`.
    pub fn href(&self, path: &str) -> String {
        format!("{}{}", self.base, path)
    }

    pub fn base(&self) -> &str {
        &self.base
    }
}

impl FromRequest for Links {
    type Error = ApiError;
    type Future = Ready<Result<Links, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready(Ok(Links::from_request(req)))
    }
}
