//! `/v1/regionaleNetwerken/{code}/overleggen`: a network's meetings — stuurgroep (at least 4 a
//! year), klankbordgroep (1–2 a year) and ad-hoc werkgroepen — with the organisations that
//! took part and the minutes. Read by the agency's roles, municipalities and network
//! coordinators; written by an admin and the network's own netwerkcoordinator.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, put};
use chrono::{NaiveDate, NaiveDateTime};

use crate::app::document::{Document, respond};
use crate::db::DbConn;
use crate::domain::toegang::netwerken::{Beheerrecht, Leesrecht};
use crate::error::{ApiError, ApiResult};
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::links::Links;
use crate::repo::audit::Actor;
use crate::repo::overleggen::{self as repo, OverlegFilter, OverlegMetDeelnemers, OverlegVelden};
use crate::routes::netwerk_onderdelen::{NetwerkDocument, Onderdeel, found, onderdeel_handlers};
use crate::routes::regionale_netwerken::{jaar, jaargrenzen, netwerk_href, onbekende_organisaties};
use crate::routes::toegang::tekst;
use crate::wire::common::{OrganisatieRef, utc};
use crate::wire::overleggen::{Overleg, OverlegInput, OverlegPatch, OverlegSummary, OverleggenQuery};

fn href(links: &Links, code: &str, id: i64) -> String {
    format!("{}/overleggen/{id}", netwerk_href(links, code))
}

fn deelnemers(links: &Links, lijst: &[(i64, String)]) -> Vec<OrganisatieRef> {
    lijst.iter().map(|(id, naam)| OrganisatieRef::new(links, *id, naam)).collect()
}

/// Checks the participants exist; gives the fields to store.
fn velden(c: &mut DbConn, mut input: OverlegInput) -> ApiResult<(OverlegVelden, Vec<i64>)> {
    input.deelnemers.sort_unstable();
    input.deelnemers.dedup();
    let issues = onbekende_organisaties(c, &input.deelnemers, |_| "deelnemers".into())?;
    if !issues.is_empty() {
        return Err(ApiError::bad_request(issues));
    }
    let v = OverlegVelden {
        soort: input.soort,
        datum: input.datum,
        onderwerp: input.onderwerp.trim().to_string(),
        verslag: tekst(input.verslag),
    };
    Ok((v, input.deelnemers))
}

impl Document for OverlegMetDeelnemers {
    const RESOURCE: &'static str = "netwerkOverleg";

    fn key(&self) -> String {
        self.rij.id.to_string()
    }

    fn version(&self) -> i64 {
        self.rij.versie
    }
}

/// The meetings: a meeting with its participants.
impl NetwerkDocument for OverlegMetDeelnemers {
    type Id = i64;
    type Input = OverlegInput;

    fn load(c: &mut DbConn, netwerk: &Leesrecht, id: i64) -> ApiResult<Self> {
        found("meeting", id, repo::find(c, netwerk, id)?)
    }

    fn input(&self) -> OverlegInput {
        OverlegInput {
            soort: self.rij.soort,
            datum: self.rij.datum,
            onderwerp: self.rij.onderwerp.clone(),
            deelnemers: self.deelnemers.iter().map(|(id, _)| *id).collect(),
            verslag: self.rij.verslag.clone(),
        }
    }

    fn update(
        c: &mut DbConn,
        netwerk: &Beheerrecht,
        current: &Self,
        versie: i64,
        input: OverlegInput,
        actor: &Actor,
    ) -> ApiResult<bool> {
        let (v, deelnemers) = velden(c, input)?;
        Ok(repo::update(c, netwerk, current.rij.id, versie, &v, &deelnemers, actor.at)?)
    }

    fn respond(self, status: StatusCode, links: &Links, _: NaiveDate) -> HttpResponse {
        let OverlegMetDeelnemers { rij, deelnemers: d } = self;
        let doc = Overleg {
            self_link: href(links, &rij.netwerk_code, rij.id),
            id: rij.id,
            netwerk: netwerk_href(links, &rij.netwerk_code),
            soort: rij.soort,
            datum: rij.datum,
            deelnemers: deelnemers(links, &d),
            onderwerp: rij.onderwerp,
            verslag: rij.verslag,
            versie: rij.versie,
            aangemaakt_op: utc(rij.aangemaakt_op),
            gewijzigd_op: utc(rij.gewijzigd_op),
        };
        respond(status, &doc.self_link.clone(), doc.versie, doc)
    }
}

impl Onderdeel for OverlegMetDeelnemers {
    type Filter = OverleggenQuery;
    type Summary = OverlegSummary;

    fn list(
        c: &mut DbConn,
        netwerk: &Leesrecht,
        filter: OverleggenQuery,
        page: (i64, i64),
        vandaag: NaiveDate,
    ) -> ApiResult<(Vec<Self>, i64)> {
        let jaar = filter.jaar.map(|j| jaar(Some(j), vandaag).map(jaargrenzen)).transpose()?;
        let f = OverlegFilter { soorten: filter.soort, van: jaar.map(|j| j.0), tot: jaar.map(|j| j.1) };
        Ok(repo::list(c, netwerk, &f, Some(page))?)
    }

    fn summary(self, links: &Links, _: NaiveDate) -> OverlegSummary {
        let OverlegMetDeelnemers { rij, deelnemers: d } = self;
        OverlegSummary {
            href: href(links, &rij.netwerk_code, rij.id),
            id: rij.id,
            soort: rij.soort,
            datum: rij.datum,
            deelnemers: deelnemers(links, &d),
            onderwerp: rij.onderwerp,
            heeft_verslag: rij.verslag.is_some(),
        }
    }

    fn insert(c: &mut DbConn, netwerk: &Beheerrecht, input: OverlegInput, nu: NaiveDateTime) -> ApiResult<i64> {
        let (v, deelnemers) = velden(c, input)?;
        Ok(repo::insert(c, netwerk, &v, &deelnemers, nu)?)
    }

    fn delete(c: &mut DbConn, netwerk: &Beheerrecht, id: i64, versie: i64) -> ApiResult<bool> {
        Ok(repo::delete(c, netwerk, id, versie)?)
    }
}

onderdeel_handlers! {
    OverlegMetDeelnemers: "/regionaleNetwerken/{code}/overleggen", "/regionaleNetwerken/{code}/overleggen/{id}",
    id("Meeting id", 3), document(Overleg), input(OverlegInput), patch(OverlegPatch);

    /// List a network's meetings
    ///
    /// Newest first, filtered on kind and year; without the minutes. For admins,
    /// trajectbegeleiders, municipalities (lokaalBestuur) and network coordinators (of any
    /// network); other roles get 403, an unknown network 404.
    list_overleggen("listNetwerkOverleggen", OverleggenQuery, OverlegSummary, "A page of meetings");

    /// Record a meeting
    ///
    /// Held or planned. For an admin and the network's own netwerkcoordinator (claim `regio`);
    /// others get 403, an unknown network 404. Participants must be registered organisations
    /// (400 otherwise). The write is audited with the network.
    create_overleg("createNetwerkOverleg", "The meeting", {
        "soort": "stuurgroep", "datum": "2026-03-12",
        "onderwerp": "Mapping van het aanbod en ontwerp actieplan", "deelnemers": [12, 15]
    }, "Recorded");

    /// Get a meeting
    ///
    /// One meeting of the network, with its participants, minutes and `ETag`. For the roles that
    /// read what networks record (admins, trajectbegeleiders, municipalities, network
    /// coordinators); 404 for an unknown network or a meeting of another network, else 403 for
    /// other roles.
    get_overleg("getNetwerkOverleg", "The meeting");

    /// Replace a meeting
    ///
    /// The whole meeting: absent optional fields are removed, an absent `deelnemers` empties the
    /// list. For an admin and the network's own netwerkcoordinator; honours `If-Match` (412 when
    /// stale; 409 when a concurrent write got in first). Audited with the network.
    replace_overleg("replaceNetwerkOverleg", "The meeting as it should be", {
        "soort": "klankbordgroep", "datum": "2026-05-20", "onderwerp": "Noden van nieuwkomers in de vrije tijd",
        "deelnemers": [12, 15, 21], "verslag": "Drie werkgroepen opgericht: sport, cultuur, jeugdwerk."
    });

    /// Update a meeting partially
    ///
    /// A JSON Merge Patch (RFC 7396) of the PUT body, e.g. to add the minutes after the meeting:
    /// `null` removes an optional field; the result is checked like a PUT body. Same rights,
    /// `If-Match` and audit as PUT.
    patch_overleg("patchNetwerkOverleg", {"verslag": "Aanwezig: 14 besturen. Beslist: mapping afronden tegen juni."});

    /// Delete a meeting
    ///
    /// Removes the meeting and its participants. For an admin and the network's own
    /// netwerkcoordinator; honours `If-Match`. Audited with the network.
    delete_overleg("deleteNetwerkOverleg");
}
