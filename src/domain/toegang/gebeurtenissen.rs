//! Who reads which events of the change feed (issue 16): an admin every event; a municipality
//! (`lokaalBestuur`, or its feed client) the events of the offers in its `gemeenten`; an
//! aanbieder those of its organisation's offers, referrals and proofs; a trajectbegeleider those
//! of their caseload (newcomers, contracts, referrals, proofs). Others `403`. Events hold no
//! personal data; the resource behind one is read with the reader's own token.

use crate::auth::{Caller, Role};
use crate::error::{ApiError, ApiResult};

/// The events a caller (or a webhook's `scope`) sees: every event, or those related to them in
/// one of these ways. The feed applies it in SQL (`repo::gebeurtenissen::pagina`), a webhook
/// per event ([`GebeurtenisZicht::ziet`]): the same rule both ways.
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

/// An event as the rule sees it: the resource it concerns and its scope columns.
pub struct EventScope<'a> {
    pub resource: &'a str,
    pub gemeente: Option<&'a str>,
    pub organisatie: Option<i64>,
    pub trajectbegeleider: Option<&'a str>,
}

/// The resources an organisation's events concern (its offers, referrals and proofs).
pub const ORGANISATIE_RESOURCES: [&str; 3] = ["aanbod", "doorverwijzing", "deelnamebewijs"];

impl GebeurtenisZicht {
    /// Whether this view shows event `e` (the row decision of the SQL filter in
    /// `repo::gebeurtenissen::pagina`).
    pub fn ziet(&self, e: &EventScope<'_>) -> bool {
        self.alles
            || (e.resource == "aanbod" && e.gemeente.is_some_and(|g| self.gemeenten.iter().any(|x| x == g)))
            || (self.organisatie.is_some()
                && e.organisatie == self.organisatie
                && ORGANISATIE_RESOURCES.contains(&e.resource))
            || (self.trajectbegeleider.is_some() && e.trajectbegeleider == self.trajectbegeleider.as_deref())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_view_sees_what_its_relations_cover() {
        let aanbod =
            EventScope { resource: "aanbod", gemeente: Some("44021"), organisatie: Some(3), trajectbegeleider: None };
        let contract = EventScope {
            resource: "inburgeringscontract",
            gemeente: None,
            organisatie: None,
            trajectbegeleider: Some("tb-1"),
        };
        let gent = GebeurtenisZicht { gemeenten: vec!["44021".into()], ..Default::default() };
        assert!(gent.ziet(&aanbod) && !gent.ziet(&contract));
        let org = GebeurtenisZicht { organisatie: Some(3), ..Default::default() };
        assert!(org.ziet(&aanbod) && !org.ziet(&contract));
        let tb = GebeurtenisZicht { trajectbegeleider: Some("tb-1".into()), ..Default::default() };
        assert!(!tb.ziet(&aanbod) && tb.ziet(&contract));
        assert!(GebeurtenisZicht { alles: true, ..Default::default() }.ziet(&contract));
        assert!(!GebeurtenisZicht::default().ziet(&aanbod));
    }
}
