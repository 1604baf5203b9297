//! What nearly every handler needs, as one extractor: the state, absolute links, the caller
//! and the trace id. Keeps handler signatures about the resource, not the plumbing.

use std::future::{Ready, ready};

use actix_web::{FromRequest, HttpMessage, HttpRequest, dev::Payload, web};

use crate::auth::{Caller, caller_of};
use crate::error::ApiError;
use crate::http::conventions::TraceId;
use crate::http::links::Links;
use crate::repo::audit::Actor;
use crate::state::AppState;

/// An authenticated request (401 without a valid token).
pub struct Ctx {
    pub state: web::Data<AppState>,
    pub links: Links,
    pub caller: Caller,
    pub trace: TraceId,
}

/// A request to a public operation: the caller is known only if a token was sent (an invalid
/// token is still 401).
pub struct PublicCtx {
    pub state: web::Data<AppState>,
    pub links: Links,
    pub caller: Option<Caller>,
    pub trace: TraceId,
}

impl Ctx {
    /// The audit log's view of the caller.
    pub fn actor(&self) -> Actor {
        Actor::new(&self.caller, &self.trace, self.state.clock.now())
    }

    /// Now, from the process clock, as stored.
    pub fn now(&self) -> chrono::NaiveDateTime {
        self.state.clock.now()
    }

    /// Today's date in Brussels, from the process clock.
    pub fn today(&self) -> chrono::NaiveDate {
        self.state.clock.today()
    }
}

fn parts(req: &HttpRequest) -> Result<(web::Data<AppState>, Links, TraceId), ApiError> {
    let state = req
        .app_data::<web::Data<AppState>>()
        .cloned()
        .ok_or_else(|| ApiError::internal("AppState missing from app data"))?;
    let trace = req.extensions().get::<TraceId>().cloned().unwrap_or_else(|| TraceId(uuid::Uuid::new_v4().to_string()));
    Ok((state, Links::from_request(req), trace))
}

impl FromRequest for Ctx {
    type Error = ApiError;
    type Future = Ready<Result<Ctx, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready((|| {
            let caller = caller_of(req)?.ok_or_else(ApiError::no_access_token)?;
            let (state, links, trace) = parts(req)?;
            Ok(Ctx { state, links, caller, trace })
        })())
    }
}

impl FromRequest for PublicCtx {
    type Error = ApiError;
    type Future = Ready<Result<PublicCtx, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        ready((|| {
            let caller = caller_of(req)?;
            let (state, links, trace) = parts(req)?;
            Ok(PublicCtx { state, links, caller, trace })
        })())
    }
}
