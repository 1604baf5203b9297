//! `/v1/regionaleNetwerken/{code}/acties`: a network's action plan. Read by the agency's
//! roles, municipalities and network coordinators; written by an admin and the network's own
//! netwerkcoordinator.

use actix_web::http::StatusCode;
use actix_web::{HttpResponse, delete, get, patch, post, put};
use chrono::{NaiveDate, NaiveDateTime};
use serde_json::json;

use crate::app::document::{Document, respond};
use crate::db::DbConn;
use crate::domain::ids::NetwerkCode;
use crate::domain::netwerk::{self as regels};
use crate::domain::toegang::netwerken::{Beheerrecht, Leesrecht};
use crate::error::ApiResult;
use crate::http::collection::{Collection, PageParams};
use crate::http::conditional::IfMatch;
use crate::http::links::Links;
use crate::repo::acties::{self as repo, ActieFilter, ActieRow, ActieVelden};
use crate::repo::audit::Actor;
use crate::routes::netwerk_onderdelen::{NetwerkDocument, Onderdeel, found, onderdeel_handlers};
use crate::routes::regionale_netwerken::netwerk_href;
use crate::routes::toegang::tekst;
use crate::wire::acties::{Actie, ActieInput, ActieItem, ActiePatch, ActiesQuery};
use crate::wire::common::utc;

fn href(links: &Links, code: &str, id: i64) -> String {
    format!("{}/acties/{id}", netwerk_href(links, code))
}

fn velden(input: ActieInput) -> ActieVelden {
    ActieVelden {
        titel: input.titel.trim().to_string(),
        beschrijving: tekst(input.beschrijving),
        status: input.status,
        deadline: input.deadline,
        trekker: tekst(input.trekker),
    }
}

fn document(links: &Links, row: ActieRow, vandaag: NaiveDate) -> Actie {
    Actie {
        self_link: href(links, &row.netwerk_code, row.id),
        id: row.id,
        netwerk: netwerk_href(links, &row.netwerk_code),
        achterstallig: regels::achterstallig(row.status, row.deadline, vandaag),
        titel: row.titel,
        beschrijving: row.beschrijving,
        status: row.status,
        deadline: row.deadline,
        trekker: row.trekker,
        versie: row.versie,
        aangemaakt_op: utc(row.aangemaakt_op),
        gewijzigd_op: utc(row.gewijzigd_op),
    }
}

impl Document for ActieRow {
    const RESOURCE: &'static str = "netwerkActie";

    fn key(&self) -> String {
        self.id.to_string()
    }

    fn version(&self) -> i64 {
        self.versie
    }
}

/// The action plan's items.
impl NetwerkDocument for ActieRow {
    type Id = i64;
    type Input = ActieInput;

    fn load(c: &mut DbConn, netwerk: &Leesrecht, id: i64) -> ApiResult<ActieRow> {
        found("action", id, repo::find(c, netwerk, id)?)
    }

    fn input(&self) -> ActieInput {
        ActieInput {
            titel: self.titel.clone(),
            beschrijving: self.beschrijving.clone(),
            status: self.status,
            deadline: self.deadline,
            trekker: self.trekker.clone(),
        }
    }

    fn update(
        c: &mut DbConn,
        netwerk: &Beheerrecht,
        current: &ActieRow,
        versie: i64,
        input: ActieInput,
        actor: &Actor,
    ) -> ApiResult<bool> {
        Ok(repo::update(c, netwerk, current.id, versie, &velden(input), actor.at)?)
    }

    fn respond(self, status: StatusCode, links: &Links, vandaag: NaiveDate) -> HttpResponse {
        let doc = document(links, self, vandaag);
        respond(status, &doc.self_link.clone(), doc.versie, doc)
    }

    /// With the status the action now has.
    fn details(netwerk: &NetwerkCode, input: &ActieInput) -> Option<serde_json::Value> {
        Some(json!({"netwerk": netwerk.as_str(), "status": input.status.as_str()}))
    }
}

impl Onderdeel for ActieRow {
    type Filter = ActiesQuery;
    type Summary = ActieItem;

    fn list(
        c: &mut DbConn,
        netwerk: &Leesrecht,
        filter: ActiesQuery,
        (offset, limit): (i64, i64),
        vandaag: NaiveDate,
    ) -> ApiResult<(Vec<ActieRow>, i64)> {
        // Overdue in SQL; "not overdue" (few actions) is filtered here.
        let f = ActieFilter {
            statussen: filter.status,
            achterstallig_op: (filter.achterstallig == Some(true)).then_some(vandaag),
        };
        if filter.achterstallig != Some(false) {
            return Ok(repo::list(c, netwerk, &f, Some((offset, limit)))?);
        }
        let rows: Vec<ActieRow> = repo::list(c, netwerk, &f, None)?
            .0
            .into_iter()
            .filter(|r| !regels::achterstallig(r.status, r.deadline, vandaag))
            .collect();
        let total = rows.len() as i64;
        Ok((rows.into_iter().skip(offset as usize).take(limit as usize).collect(), total))
    }

    fn summary(self, links: &Links, vandaag: NaiveDate) -> ActieItem {
        let actie = document(links, self, vandaag);
        ActieItem { href: actie.self_link.clone(), actie }
    }

    fn insert(c: &mut DbConn, netwerk: &Beheerrecht, input: ActieInput, nu: NaiveDateTime) -> ApiResult<i64> {
        Ok(repo::insert(c, netwerk, &velden(input), nu)?)
    }

    fn delete(c: &mut DbConn, netwerk: &Beheerrecht, id: i64, versie: i64) -> ApiResult<bool> {
        Ok(repo::delete(c, netwerk, id, versie)?)
    }
}

onderdeel_handlers! {
    ActieRow: "/regionaleNetwerken/{code}/acties", "/regionaleNetwerken/{code}/acties/{id}",
    id("Action id", 7), document(Actie), input(ActieInput), patch(ActiePatch);

    /// List a network's actions
    ///
    /// The network's action plan by deadline (actions without one last), filtered on status and
    /// on being overdue. For admins, trajectbegeleiders, municipalities (lokaalBestuur) and network
    /// coordinators (of any network); other roles get 403, an unknown network 404.
    list_acties("listNetwerkActies", ActiesQuery, ActieItem, "A page of actions");

    /// Add an action to the plan
    ///
    /// For an admin and the network's own netwerkcoordinator (claim `regio`); others get 403, an
    /// unknown network 404. `status` defaults to `gepland`. The write is audited with the network.
    create_actie("createNetwerkActie", "The new action", {
        "titel": "Kennismakingsronde bij alle lokale besturen",
        "beschrijving": "Per gemeente een gesprek met de schepen van welzijn en de dienst integratie.",
        "status": "gepland", "deadline": "2026-06-30", "trekker": "netwerkcoach"
    }, "Added");

    /// Get an action
    ///
    /// One action of the network's plan, with its `ETag`. For the roles that read the plan (admins,
    /// trajectbegeleiders, municipalities, network coordinators); 404 for an unknown network or an
    /// action of another network, else 403 for other roles.
    get_actie("getNetwerkActie", "The action");

    /// Replace an action
    ///
    /// The whole action: absent optional fields are removed and an absent `status` becomes
    /// `gepland`. For an admin and the network's own netwerkcoordinator; honours `If-Match` (412
    /// when stale; 409 when a concurrent write got in first). Audited with the network and the
    /// new status.
    replace_actie("replaceNetwerkActie", "The action as it should be", {
        "titel": "Kennismakingsronde bij alle lokale besturen", "status": "lopend",
        "deadline": "2026-09-30", "trekker": "netwerkcoach"
    });

    /// Update an action partially
    ///
    /// A JSON Merge Patch (RFC 7396) of the PUT body, e.g. `{"status": "afgerond"}`: `null`
    /// removes an optional field (`status: null` sets `gepland`); the result is checked like a
    /// PUT body. Same rights, `If-Match` and audit as PUT.
    patch_actie("patchNetwerkActie", {"status": "afgerond"});

    /// Delete an action
    ///
    /// Removes the action from the plan. For an admin and the network's own netwerkcoordinator;
    /// honours `If-Match`. Audited with the network.
    delete_actie("deleteNetwerkActie");
}
