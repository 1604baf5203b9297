//! What a regional network records about itself: its leader (trekker) and mandate, subsidy,
//! staff and partner organisations. A network without a row has nothing recorded yet and is
//! at version 1; the first write inserts version 2. What it records is partly public (the
//! leader), so reading takes the network's code; writing takes the right to run it.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::prelude::*;

use crate::db::DbConn;
use crate::db::schema::{netwerk_beheer, netwerk_medewerkers, netwerk_partners, organisaties};
use crate::domain::ids::NetwerkCode;
use crate::domain::netwerk::{Medewerker, MedewerkerRol, Overlegnormen, Subsidie};
use crate::domain::toegang::netwerken::Beheerrecht;
use crate::with_backend;

/// The version of a network with nothing recorded.
pub const EERSTE_VERSIE: i64 = 1;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = netwerk_beheer)]
pub struct BeheerRow {
    pub netwerk_code: String,
    pub trekker_organisatie_id: Option<i64>,
    pub trekker_naam: Option<String>,
    pub trekker_mandaat: Option<String>,
    pub subsidie_bedrag_cent: Option<i64>,
    pub subsidie_van: Option<NaiveDate>,
    pub subsidie_tot: Option<NaiveDate>,
    pub subsidie_financier: Option<String>,
    pub versie: i64,
    pub gewijzigd_op: NaiveDateTime,
    pub gewijzigd_door: String,
    pub overlegnormen: Option<String>,
}

impl BeheerRow {
    /// The network's own meeting norms, when it set them (R23).
    pub fn overlegnormen(&self) -> Option<Overlegnormen> {
        self.overlegnormen.as_deref().and_then(|j| serde_json::from_str(j).ok())
    }

    /// The recorded subsidy (its four columns are set together, or none of them).
    pub fn subsidie(&self) -> Option<Subsidie> {
        match (self.subsidie_bedrag_cent, self.subsidie_van, self.subsidie_tot, &self.subsidie_financier) {
            (Some(bedrag_cent), Some(van), Some(tot), Some(financier)) => {
                Some(Subsidie { bedrag_cent, van, tot, financier: financier.clone() })
            }
            _ => None,
        }
    }
}

/// The single-valued fields a write sets.
#[derive(Insertable, AsChangeset, Debug, Clone, Default, PartialEq)]
#[diesel(table_name = netwerk_beheer, treat_none_as_null = true)]
struct BeheerVelden {
    trekker_organisatie_id: Option<i64>,
    trekker_naam: Option<String>,
    trekker_mandaat: Option<String>,
    subsidie_bedrag_cent: Option<i64>,
    subsidie_van: Option<NaiveDate>,
    subsidie_tot: Option<NaiveDate>,
    subsidie_financier: Option<String>,
    overlegnormen: Option<String>,
}

#[derive(Queryable, Debug, Clone, PartialEq)]
pub struct Partner {
    pub organisatie_id: i64,
    pub naam: String,
    pub rol: Option<String>,
}

/// Everything recorded about a network.
#[derive(Debug, Clone, Default)]
pub struct Beheer {
    pub rij: Option<BeheerRow>,
    /// Name of the trekker's organisation, when it is a registered one.
    pub trekker_organisatie_naam: Option<String>,
    pub medewerkers: Vec<Medewerker>,
    pub partners: Vec<Partner>,
}

impl Beheer {
    pub fn versie(&self) -> i64 {
        self.rij.as_ref().map(|r| r.versie).unwrap_or(EERSTE_VERSIE)
    }
}

/// A whole new state of what a network records.
#[derive(Debug, Clone, Default)]
pub struct BeheerWaarden {
    pub trekker_organisatie_id: Option<i64>,
    pub trekker_naam: Option<String>,
    pub trekker_mandaat: Option<String>,
    pub subsidie: Option<Subsidie>,
    pub medewerkers: Vec<Medewerker>,
    /// (organisation id, role in the network)
    pub partners: Vec<(i64, Option<String>)>,
    /// The network's own meeting norms; `None`: the defaults.
    pub overlegnormen: Option<Overlegnormen>,
}

pub fn laad(conn: &mut DbConn, netwerk: &NetwerkCode) -> QueryResult<Beheer> {
    let code = netwerk.as_str();
    let rij: Option<BeheerRow> =
        netwerk_beheer::table.find(code).select(BeheerRow::as_select()).first(conn).optional()?;
    let trekker_organisatie_naam = match rij.as_ref().and_then(|r| r.trekker_organisatie_id) {
        Some(id) => organisaties::table.find(id).select(organisaties::naam).first(conn).optional()?,
        None => None,
    };
    let medewerkers = netwerk_medewerkers::table
        .filter(netwerk_medewerkers::netwerk_code.eq(code))
        .order((netwerk_medewerkers::volgorde.asc(), netwerk_medewerkers::id.asc()))
        .select((
            netwerk_medewerkers::rol,
            netwerk_medewerkers::naam,
            netwerk_medewerkers::email,
            netwerk_medewerkers::telefoon,
        ))
        .load::<(MedewerkerRol, String, Option<String>, Option<String>)>(conn)?
        .into_iter()
        .map(|(rol, naam, email, telefoon)| Medewerker { rol, naam, email, telefoon })
        .collect();
    let partners = netwerk_partners::table
        .inner_join(organisaties::table)
        .filter(netwerk_partners::netwerk_code.eq(code))
        .order((organisaties::naam.asc(), organisaties::id.asc()))
        .select((netwerk_partners::organisatie_id, organisaties::naam, netwerk_partners::rol))
        .load(conn)?;
    Ok(Beheer { rij, trekker_organisatie_naam, medewerkers, partners })
}

/// Stores `w` if the network is still at `versie`; false when someone else wrote first.
pub fn bewaar(
    conn: &mut DbConn,
    netwerk: &Beheerrecht,
    versie: i64,
    w: &BeheerWaarden,
    door: &str,
    nu: NaiveDateTime,
) -> QueryResult<bool> {
    let code = netwerk.netwerk().as_str();
    let s = w.subsidie.as_ref();
    let velden = BeheerVelden {
        trekker_organisatie_id: w.trekker_organisatie_id,
        trekker_naam: w.trekker_naam.clone(),
        trekker_mandaat: w.trekker_mandaat.clone(),
        subsidie_bedrag_cent: s.map(|s| s.bedrag_cent),
        subsidie_van: s.map(|s| s.van),
        subsidie_tot: s.map(|s| s.tot),
        subsidie_financier: s.map(|s| s.financier.clone()),
        overlegnormen: w.overlegnormen.and_then(|n| serde_json::to_string(&n).ok()),
    };
    let n = if versie == EERSTE_VERSIE {
        // Two first writers race on the primary key: one inserts, the other changes nothing.
        with_backend!(conn, |c| diesel::insert_into(netwerk_beheer::table)
            .values((
                &velden,
                netwerk_beheer::netwerk_code.eq(code),
                netwerk_beheer::versie.eq(EERSTE_VERSIE + 1),
                netwerk_beheer::gewijzigd_op.eq(nu),
                netwerk_beheer::gewijzigd_door.eq(door),
            ))
            .on_conflict_do_nothing()
            .execute(c))?
    } else {
        diesel::update(netwerk_beheer::table.filter(netwerk_beheer::netwerk_code.eq(code)))
            .filter(netwerk_beheer::versie.eq(versie))
            .set((
                &velden,
                netwerk_beheer::versie.eq(versie + 1),
                netwerk_beheer::gewijzigd_op.eq(nu),
                netwerk_beheer::gewijzigd_door.eq(door),
            ))
            .execute(conn)?
    };
    if n != 1 {
        return Ok(false);
    }
    diesel::delete(netwerk_medewerkers::table.filter(netwerk_medewerkers::netwerk_code.eq(code))).execute(conn)?;
    for (i, m) in w.medewerkers.iter().enumerate() {
        diesel::insert_into(netwerk_medewerkers::table)
            .values((
                netwerk_medewerkers::netwerk_code.eq(code),
                netwerk_medewerkers::volgorde.eq(i as i32),
                netwerk_medewerkers::rol.eq(&m.rol),
                netwerk_medewerkers::naam.eq(&m.naam),
                netwerk_medewerkers::email.eq(&m.email),
                netwerk_medewerkers::telefoon.eq(&m.telefoon),
            ))
            .execute(conn)?;
    }
    diesel::delete(netwerk_partners::table.filter(netwerk_partners::netwerk_code.eq(code))).execute(conn)?;
    for (organisatie, rol) in &w.partners {
        diesel::insert_into(netwerk_partners::table)
            .values((
                netwerk_partners::netwerk_code.eq(code),
                netwerk_partners::organisatie_id.eq(organisatie),
                netwerk_partners::rol.eq(rol),
            ))
            .execute(conn)?;
    }
    Ok(true)
}
