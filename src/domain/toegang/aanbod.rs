//! Who may see, create, manage and moderate offers (aanbod): R11 (a trajectbegeleider reads every
//! offer), R14 (a feed client manages its source's offers), R21 (moderation).
//!
//! | caller                       | sees, besides published offers   | creates and manages              | moderates (publish, reject, archive) |
//! |------------------------------|----------------------------------|----------------------------------|--------------------------------------|
//! | anonymous, other roles       | nothing                          | nothing                          | nothing                              |
//! | `admin`                      | every offer                      | every offer                      | every offer                          |
//! | `trajectbegeleider`          | every offer                      | nothing                          | nothing                              |
//! | `lokaalBestuur`              | offers in its municipalities     | offers in its municipalities     | offers in its municipalities         |
//! | `aanbieder`                  | its organisation's offers        | its organisation's offers        | nothing                              |
//! | `feedClient`                 | its source's offers              | its source's offers (not create) | nothing                              |
//!
//! A published offer's managers who do not moderate it (its organisation, its feed client through
//! `PUT`/`PATCH /v1/aanbod/{id}`) change it through a pending revision
//! ([`AanbodToegang::wordt_revisie`]): the published version stays public until its moderators
//! approve or reject the revision; every manager reads it.
//!
//! An offer the caller may not see is `404` (drafts do not leak); one it sees but may not manage
//! or moderate is `403`. [`AanbodToegang`] is built once per request from the caller; it gives the
//! SQL filter ([`AanbodToegang::zichtbaarheid`], which `repo::aanbod` turns into the `WHERE` of
//! the search *and* of loading one offer) and the per-offer decisions, all from the same fields.

use crate::auth::{Caller, Role};
use crate::domain::aanbod::AanbodStatus;
use crate::domain::ids::OrganisatieId;
use crate::domain::nis::NisCode;

/// What identifies an offer for the access rules.
#[derive(Clone, Debug)]
pub struct Eigenaar<'a> {
    pub organisatie: Option<OrganisatieId>,
    pub gemeente: &'a str,
    /// The feed source it came from (the feed client's id).
    pub bron: Option<&'a str>,
}

/// Which offers a caller sees: plain data, turned into a `WHERE` by `repo::aanbod`.
#[derive(Clone, Debug, PartialEq)]
pub enum Zichtbaarheid {
    /// Only published offers.
    Publiek,
    /// Every offer.
    Alles,
    /// Published offers plus those of this organisation, in these municipalities or of this
    /// feed source.
    Beheerder { organisatie: Option<OrganisatieId>, gemeenten: Vec<NisCode>, bron: Option<String> },
}

impl Zichtbaarheid {
    /// Whether an offer in `status` of `eigenaar` passes this filter: the same condition the
    /// repository writes in SQL.
    pub fn toont(&self, status: AanbodStatus, eigenaar: &Eigenaar<'_>) -> bool {
        match self {
            Zichtbaarheid::Publiek => status == AanbodStatus::Gepubliceerd,
            Zichtbaarheid::Alles => true,
            Zichtbaarheid::Beheerder { organisatie, gemeenten, bron } => {
                status == AanbodStatus::Gepubliceerd
                    || (organisatie.is_some() && eigenaar.organisatie == *organisatie)
                    || gemeenten.iter().any(|g| g.as_str() == eigenaar.gemeente)
                    || (bron.is_some() && eigenaar.bron == bron.as_deref())
            }
        }
    }
}

/// A caller's rights on offers.
#[derive(Clone, Debug, Default)]
pub struct AanbodToegang {
    /// Moderates every offer (admin).
    admin: bool,
    /// Reads every offer in every state (admin, trajectbegeleider: R11).
    leest_alles: bool,
    /// The municipalities whose offers it moderates (lokaalBestuur).
    gemeenten: Vec<NisCode>,
    /// The organisation whose offers it manages (aanbieder).
    organisatie: Option<OrganisatieId>,
    /// The feed source whose offers it manages (feedClient: its client id).
    bron: Option<String>,
}

impl AanbodToegang {
    /// The rights of `caller`; an anonymous caller only sees published offers.
    pub fn van(caller: Option<&Caller>) -> AanbodToegang {
        let Some(c) = caller else { return AanbodToegang::default() };
        AanbodToegang {
            admin: c.is_admin(),
            leest_alles: c.is_admin() || c.has(Role::Trajectbegeleider),
            gemeenten: if c.has(Role::LokaalBestuur) { c.gemeenten.clone() } else { Vec::new() },
            organisatie: c.aanbieder_van(),
            bron: c.has(Role::FeedClient).then(|| c.sub.clone()),
        }
    }

    /// The SQL filter of what the caller sees.
    pub fn zichtbaarheid(&self) -> Zichtbaarheid {
        if self.leest_alles {
            Zichtbaarheid::Alles
        } else if self.organisatie.is_none() && self.gemeenten.is_empty() && self.bron.is_none() {
            Zichtbaarheid::Publiek
        } else {
            Zichtbaarheid::Beheerder {
                organisatie: self.organisatie,
                gemeenten: self.gemeenten.clone(),
                bron: self.bron.clone(),
            }
        }
    }

    /// Publishes, rejects and archives offers in `gemeente`: admin, and lokaalBestuur for its
    /// municipalities.
    pub fn modereert(&self, gemeente: &str) -> bool {
        self.admin || self.gemeenten.iter().any(|g| g.as_str() == gemeente)
    }

    /// Edits, submits and deletes the offer: its moderators, the aanbieder of its organisation
    /// and the feed client of its source.
    pub fn beheert(&self, e: &Eigenaar<'_>) -> bool {
        self.modereert(e.gemeente)
            || (e.organisatie.is_some() && e.organisatie == self.organisatie)
            || (e.bron.is_some() && e.bron == self.bron.as_deref())
    }

    /// Moves the offer to `naar`: submitting it (or taking it back to concept) is managing it;
    /// publishing, rejecting and archiving is moderating it.
    pub fn mag_overgaan(&self, naar: AanbodStatus, e: &Eigenaar<'_>) -> bool {
        match naar {
            AanbodStatus::Ingediend | AanbodStatus::Concept => self.beheert(e),
            AanbodStatus::Gepubliceerd | AanbodStatus::Afgekeurd | AanbodStatus::Gearchiveerd => {
                self.modereert(e.gemeente)
            }
        }
    }

    /// Whether a change of the caller to an offer in `status` in `gemeente` becomes a pending
    /// revision rather than the offer: a published offer changed by anyone who does not
    /// moderate it (its organisation, a feed client through the offer's own path). The
    /// published version stays public until the municipality decides. A moderator's change
    /// (lokaalBestuur of the municipality, admin) applies at once; so does every change to an
    /// offer that is not published.
    pub fn wordt_revisie(&self, status: AanbodStatus, gemeente: &str) -> bool {
        status == AanbodStatus::Gepubliceerd && !self.modereert(gemeente)
    }

    /// Sees the pending and decided revisions of the offer, with their difference: whoever
    /// manages it (the municipality, admin, its organisation, the feed client of its source).
    pub fn mag_revisies_lezen(&self, e: &Eigenaar<'_>) -> bool {
        self.beheert(e)
    }

    /// Approves or rejects a revision: whoever moderates the offer.
    pub fn mag_revisie_beoordelen(&self, e: &Eigenaar<'_>) -> bool {
        self.modereert(e.gemeente)
    }

    /// Sees the offer in a state that is not public: its managers and the case workers. Exactly
    /// the non-public part of [`AanbodToegang::zichtbaarheid`].
    pub fn mag_lezen(&self, e: &Eigenaar<'_>) -> bool {
        self.leest_alles || self.beheert(e)
    }

    /// Creates an offer for `organisatie` in `gemeente` (and moves one there): the moderators of
    /// `gemeente`, and the aanbieder of `organisatie`.
    pub fn mag_aanmaken(&self, organisatie: Option<OrganisatieId>, gemeente: &str) -> bool {
        self.modereert(gemeente) || (organisatie.is_some() && organisatie == self.organisatie)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller(roles: &[Role], gemeenten: &[&str], organisatie: Option<&str>, sub: &str) -> Caller {
        Caller {
            sub: sub.into(),
            roles: roles.to_vec(),
            gemeenten: gemeenten.iter().map(|g| NisCode::parse(g).unwrap()).collect(),
            organisatie: organisatie.map(|o| OrganisatieId::parse(o).unwrap()),
            regio: None,
            name: None,
            email: None,
            expires_at: chrono::DateTime::from_timestamp(0, 0).unwrap(),
        }
    }

    fn toegang(c: &Caller) -> AanbodToegang {
        AanbodToegang::van(Some(c))
    }

    #[test]
    fn permissions() {
        let eigenaar = Eigenaar { organisatie: Some(OrganisatieId(7)), gemeente: "44021", bron: Some("fc-gent") };
        let admin = toegang(&caller(&[Role::Admin], &[], None, "a"));
        let gent = toegang(&caller(&[Role::LokaalBestuur], &["44021"], None, "lb"));
        let antwerpen = toegang(&caller(&[Role::LokaalBestuur], &["11002"], None, "lb2"));
        let org7 = toegang(&caller(&[Role::Aanbieder], &[], Some("7"), "o7"));
        let org8 = toegang(&caller(&[Role::Aanbieder], &[], Some("8"), "o8"));
        let feed = toegang(&caller(&[Role::FeedClient], &["44021"], None, "fc-gent"));
        let tb = toegang(&caller(&[Role::Trajectbegeleider], &[], None, "tb"));
        assert!(admin.modereert("44021") && gent.modereert("44021"));
        assert!(!antwerpen.modereert("44021") && !org7.modereert("44021"));
        assert!(org7.beheert(&eigenaar) && !org8.beheert(&eigenaar));
        assert!(feed.beheert(&eigenaar) && !feed.modereert("44021"));
        assert!(!tb.beheert(&eigenaar) && tb.mag_lezen(&eigenaar));
        assert!(org7.mag_overgaan(AanbodStatus::Ingediend, &eigenaar));
        assert!(!org7.mag_overgaan(AanbodStatus::Gepubliceerd, &eigenaar));
        assert!(gent.mag_overgaan(AanbodStatus::Gearchiveerd, &eigenaar));
        assert!(org7.mag_aanmaken(Some(OrganisatieId(7)), "11002") && !org7.mag_aanmaken(None, "11002"));
        assert!(!antwerpen.mag_aanmaken(Some(OrganisatieId(7)), "44021"));
        // An organisation's change to a published offer waits for the municipality.
        assert!(org7.wordt_revisie(AanbodStatus::Gepubliceerd, "44021"));
        assert!(!org7.wordt_revisie(AanbodStatus::Concept, "44021"));
        assert!(
            !gent.wordt_revisie(AanbodStatus::Gepubliceerd, "44021")
                && !admin.wordt_revisie(AanbodStatus::Gepubliceerd, "44021")
        );
        assert!(org7.mag_revisies_lezen(&eigenaar) && gent.mag_revisies_lezen(&eigenaar));
        assert!(!tb.mag_revisies_lezen(&eigenaar) && !org8.mag_revisies_lezen(&eigenaar));
        assert!(gent.mag_revisie_beoordelen(&eigenaar) && admin.mag_revisie_beoordelen(&eigenaar));
        assert!(!org7.mag_revisie_beoordelen(&eigenaar) && !antwerpen.mag_revisie_beoordelen(&eigenaar));
        assert!(!feed.mag_aanmaken(None, "44021"), "a feed client creates through its feed only");
        // An organisation claim without the aanbieder role manages nothing.
        let geen_aanbieder = toegang(&caller(&[Role::Trajectbegeleider], &[], Some("7"), "x"));
        assert!(!geen_aanbieder.beheert(&eigenaar));
        assert_eq!(AanbodToegang::van(None).zichtbaarheid(), Zichtbaarheid::Publiek);
        assert_eq!(toegang(&caller(&[Role::Inburgeraar], &[], None, "i")).zichtbaarheid(), Zichtbaarheid::Publiek);
        assert_eq!(tb.zichtbaarheid(), Zichtbaarheid::Alles);
    }

    /// The filter and the per-offer decision cannot disagree: for every caller, owner and state,
    /// the filter shows an offer exactly when it is published or the caller may read it.
    #[test]
    fn the_filter_and_the_row_decision_agree() {
        let callers = [
            caller(&[], &[], None, "anon"),
            caller(&[Role::Admin], &[], None, "a"),
            caller(&[Role::Trajectbegeleider], &[], None, "tb"),
            caller(&[Role::LokaalBestuur], &["44021"], None, "lb"),
            caller(&[Role::LokaalBestuur, Role::Aanbieder], &["11002"], Some("7"), "lb-org"),
            caller(&[Role::Aanbieder], &[], Some("7"), "o7"),
            caller(&[Role::Aanbieder], &[], None, "o-none"),
            caller(&[Role::FeedClient], &["44021"], None, "fc-gent"),
            caller(&[Role::Inburgeraar], &["44021"], Some("7"), "i"),
        ];
        let eigenaars = [
            Eigenaar { organisatie: Some(OrganisatieId(7)), gemeente: "44021", bron: None },
            Eigenaar { organisatie: Some(OrganisatieId(8)), gemeente: "11002", bron: None },
            Eigenaar { organisatie: None, gemeente: "44021", bron: Some("fc-gent") },
            Eigenaar { organisatie: None, gemeente: "12345", bron: Some("fc-other") },
        ];
        for c in &callers {
            let t = AanbodToegang::van(if c.roles.is_empty() { None } else { Some(c) });
            let zicht = t.zichtbaarheid();
            for e in &eigenaars {
                for status in AanbodStatus::ALL {
                    let verwacht = *status == AanbodStatus::Gepubliceerd || t.mag_lezen(e);
                    assert_eq!(zicht.toont(*status, e), verwacht, "{} {e:?} {status}", c.sub);
                }
            }
        }
    }
}
