//! Who reads which events of the change feed (issue 16): an admin every event; a municipality
//! (`lokaalBestuur`, or its feed client) the events of the offers in its `gemeenten`; an
//! aanbieder those of its organisation's offers, referrals and proofs; a trajectbegeleider those
//! of their caseload (newcomers, contracts, referrals, proofs). Others `403`. Events hold no
//! personal data; the resource behind one is read with the reader's own token.

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult};

/// The events a caller sees: every event, or those related to them in one of these ways.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct GebeurtenisZicht {
    pub alles: bool,
    /// Offers in these municipalities.
    pub gemeenten: Vec<String>,
    /// Offers, referrals and proofs of this organisation.
    pub organisatie: Option<i64>,
    /// The caseload of this trajectbegeleider.
    pub trajectbegeleider: Option<String>,
}

impl GebeurtenisZicht {
    pub fn van(caller: &Caller) -> ApiResult<GebeurtenisZicht> {
        let gemeente_rol = caller.has(Role::LokaalBestuur) || caller.has(Role::FeedClient);
        let z = GebeurtenisZicht {
            alles: caller.is_admin(),
            gemeenten: if gemeente_rol {
                caller.gemeenten.iter().map(|g| g.as_str().to_string()).collect()
            } else {
                Vec::new()
            },
            organisatie: caller.aanbieder_van().map(|o| o.0),
            trajectbegeleider: caller.has(Role::Trajectbegeleider).then(|| caller.sub.clone()),
        };
        if z == GebeurtenisZicht::default() {
            return Err(ApiError::missing_permission(
                "The change feed is for admins, municipalities (their offers), aanbieders (their organisation) and \
                 trajectbegeleiders (their caseload)",
            ));
        }
        Ok(z)
    }
}
