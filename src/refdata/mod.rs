//! The reference data (municipalities, regional networks, 2025 mergers), embedded in the binary
//! from the CSV files beside this module (see `SOURCES.md` there) and upserted at start-up, so a
//! corrected CSV reaches every database on the next deploy and nothing depends on files at run
//! time.

use diesel::prelude::*;
use diesel::upsert::excluded;
use serde::Deserialize;

use crate::db::DbConn;
use crate::db::schema::{gemeente_fusies, gemeenten, regionale_netwerken};
use crate::domain::text::fold;
use crate::with_backend;

const GEMEENTEN_CSV: &str = include_str!("gemeenten.csv");
const BRUSSEL_CSV: &str = include_str!("brussel_gemeenten.csv");
const NETWERKEN_CSV: &str = include_str!("regionale_netwerken.csv");
const FUSIES_CSV: &str = include_str!("fusies_2025.csv");

#[derive(Deserialize)]
struct NetwerkRow {
    code: String,
    naam: String,
    soort: String,
    trekker: String,
    nis_code: String,
    trekker_zekerheid: String,
    trekker_bron: String,
    opmerking: String,
}

#[derive(Deserialize)]
struct GemeenteRow {
    nis_code: String,
    naam: String,
    provincie: String,
    referentieregio: String,
    postcodes: String,
    lat: f64,
    lon: f64,
    referentieregio_code: String,
    regionaal_netwerk_code: String,
}

#[derive(Deserialize)]
struct BrusselRow {
    nis_code: String,
    naam: String,
    postcodes: String,
    lat: f64,
    lon: f64,
    regionaal_netwerk_code: String,
}

#[derive(Deserialize)]
struct FusieRow {
    old_nis: String,
    old_naam: String,
    new_nis: String,
}

#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = regionale_netwerken)]
pub struct NewNetwerk {
    pub code: String,
    pub naam: String,
    pub soort: String,
    pub nis_code: Option<String>,
    pub trekker: Option<String>,
    pub trekker_zekerheid: Option<String>,
    pub trekker_bron: Option<String>,
    pub opmerking: Option<String>,
}

#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = gemeenten)]
pub struct NewGemeente {
    pub nis_code: String,
    pub naam: String,
    pub zoeknaam: String,
    pub gewest: String,
    pub provincie: Option<String>,
    pub referentieregio: Option<String>,
    pub referentieregio_code: Option<String>,
    pub regionaal_netwerk_code: String,
    pub postcodes: String,
    pub lat: f64,
    pub lon: f64,
}

#[derive(Insertable, Debug, Clone, PartialEq)]
#[diesel(table_name = gemeente_fusies)]
pub struct NewFusie {
    pub old_nis: String,
    pub old_naam: String,
    pub new_nis: String,
}

fn opt(s: String) -> Option<String> {
    let s = s.trim().to_string();
    (!s.is_empty()).then_some(s)
}

fn rows<T: for<'de> Deserialize<'de>>(csv_text: &str) -> Vec<T> {
    csv::Reader::from_reader(csv_text.as_bytes())
        .deserialize()
        .collect::<Result<Vec<T>, _>>()
        // The CSVs are compiled in and checked by the unit tests below.
        .expect("embedded reference CSV is well-formed")
}

pub fn netwerken() -> Vec<NewNetwerk> {
    rows::<NetwerkRow>(NETWERKEN_CSV)
        .into_iter()
        .map(|r| NewNetwerk {
            code: r.code,
            naam: r.naam,
            soort: r.soort,
            nis_code: opt(r.nis_code),
            trekker: opt(r.trekker),
            trekker_zekerheid: opt(r.trekker_zekerheid),
            trekker_bron: opt(r.trekker_bron),
            opmerking: opt(r.opmerking),
        })
        .collect()
}

pub fn gemeenten() -> Vec<NewGemeente> {
    let vlaams = rows::<GemeenteRow>(GEMEENTEN_CSV).into_iter().map(|r| NewGemeente {
        zoeknaam: fold(&r.naam),
        nis_code: r.nis_code,
        naam: r.naam,
        gewest: "vlaanderen".into(),
        provincie: opt(r.provincie),
        referentieregio: opt(r.referentieregio),
        referentieregio_code: opt(r.referentieregio_code),
        regionaal_netwerk_code: r.regionaal_netwerk_code,
        postcodes: r.postcodes,
        lat: r.lat,
        lon: r.lon,
    });
    let brussel = rows::<BrusselRow>(BRUSSEL_CSV).into_iter().map(|r| NewGemeente {
        zoeknaam: fold(&r.naam),
        nis_code: r.nis_code,
        naam: r.naam,
        gewest: "brussel".into(),
        provincie: None,
        referentieregio: None,
        referentieregio_code: None,
        regionaal_netwerk_code: r.regionaal_netwerk_code,
        postcodes: r.postcodes,
        lat: r.lat,
        lon: r.lon,
    });
    vlaams.chain(brussel).collect()
}

/// Only real mergers: the CSV also lists the identity rows (Antwerpen → Antwerpen).
pub fn fusies() -> Vec<NewFusie> {
    rows::<FusieRow>(FUSIES_CSV)
        .into_iter()
        .filter(|r| r.old_nis != r.new_nis)
        .map(|r| NewFusie { old_nis: r.old_nis, old_naam: r.old_naam, new_nis: r.new_nis })
        .collect()
}

/// Upserts all reference rows; safe to run on every start and from several instances.
pub fn load(conn: &mut DbConn) -> QueryResult<()> {
    let netwerken = netwerken();
    let gemeenten = gemeenten();
    let fusies = fusies();
    crate::db::write_tx(conn, |conn| {
        // Row by row: diesel cannot batch an upsert on SQLite; ~350 rows in one transaction.
        with_backend!(conn, |c| {
            for n in &netwerken {
                diesel::insert_into(regionale_netwerken::table)
                    .values(n)
                    .on_conflict(regionale_netwerken::code)
                    .do_update()
                    .set((
                        regionale_netwerken::naam.eq(excluded(regionale_netwerken::naam)),
                        regionale_netwerken::soort.eq(excluded(regionale_netwerken::soort)),
                        regionale_netwerken::nis_code.eq(excluded(regionale_netwerken::nis_code)),
                        regionale_netwerken::trekker.eq(excluded(regionale_netwerken::trekker)),
                        regionale_netwerken::trekker_zekerheid.eq(excluded(regionale_netwerken::trekker_zekerheid)),
                        regionale_netwerken::trekker_bron.eq(excluded(regionale_netwerken::trekker_bron)),
                        regionale_netwerken::opmerking.eq(excluded(regionale_netwerken::opmerking)),
                    ))
                    .execute(c)?;
            }
            for g in &gemeenten {
                diesel::insert_into(gemeenten::table)
                    .values(g)
                    .on_conflict(gemeenten::nis_code)
                    .do_update()
                    .set((
                        gemeenten::naam.eq(excluded(gemeenten::naam)),
                        gemeenten::zoeknaam.eq(excluded(gemeenten::zoeknaam)),
                        gemeenten::gewest.eq(excluded(gemeenten::gewest)),
                        gemeenten::provincie.eq(excluded(gemeenten::provincie)),
                        gemeenten::referentieregio.eq(excluded(gemeenten::referentieregio)),
                        gemeenten::referentieregio_code.eq(excluded(gemeenten::referentieregio_code)),
                        gemeenten::regionaal_netwerk_code.eq(excluded(gemeenten::regionaal_netwerk_code)),
                        gemeenten::postcodes.eq(excluded(gemeenten::postcodes)),
                        gemeenten::lat.eq(excluded(gemeenten::lat)),
                        gemeenten::lon.eq(excluded(gemeenten::lon)),
                    ))
                    .execute(c)?;
            }
            for f in &fusies {
                diesel::insert_into(gemeente_fusies::table)
                    .values(f)
                    .on_conflict(gemeente_fusies::old_nis)
                    .do_update()
                    .set((
                        gemeente_fusies::old_naam.eq(excluded(gemeente_fusies::old_naam)),
                        gemeente_fusies::new_nis.eq(excluded(gemeente_fusies::new_nis)),
                    ))
                    .execute(c)?;
            }
            QueryResult::Ok(())
        })?;
        Ok(())
    })
}

/// The reference data in memory: it only changes on deploy (it is loaded at start-up), and
/// nearly every request that names a municipality needs it.
#[derive(Clone, Debug, Default)]
pub struct RefCache {
    pub gemeenten: std::collections::HashMap<String, GemeenteInfo>,
    pub netwerken: std::collections::HashMap<String, String>,
}

#[derive(Clone, Debug)]
pub struct GemeenteInfo {
    pub naam: String,
    pub netwerk: String,
    pub lat: f64,
    pub lon: f64,
}

impl RefCache {
    pub fn load(conn: &mut DbConn) -> QueryResult<RefCache> {
        let gemeenten = gemeenten::table
            .select((
                gemeenten::nis_code,
                gemeenten::naam,
                gemeenten::regionaal_netwerk_code,
                gemeenten::lat,
                gemeenten::lon,
            ))
            .load::<(String, String, String, f64, f64)>(conn)?
            .into_iter()
            .map(|(nis, naam, netwerk, lat, lon)| (nis, GemeenteInfo { naam, netwerk, lat, lon }))
            .collect();
        let netwerken = regionale_netwerken::table
            .select((regionale_netwerken::code, regionale_netwerken::naam))
            .load::<(String, String)>(conn)?
            .into_iter()
            .collect();
        Ok(RefCache { gemeenten, netwerken })
    }

    pub fn gemeente(&self, nis: &str) -> Option<&GemeenteInfo> {
        self.gemeenten.get(nis)
    }

    /// The NIS codes of the municipalities of these networks.
    pub fn gemeenten_van(&self, netwerken: &[String]) -> Vec<String> {
        let mut out: Vec<String> =
            self.gemeenten.iter().filter(|(_, g)| netwerken.contains(&g.netwerk)).map(|(nis, _)| nis.clone()).collect();
        out.sort();
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    #[test]
    fn counts_match_the_sources() {
        let g = gemeenten();
        assert_eq!(g.iter().filter(|g| g.gewest == "vlaanderen").count(), 285);
        assert_eq!(g.iter().filter(|g| g.gewest == "brussel").count(), 19);
        assert_eq!(netwerken().len(), 18);
        assert_eq!(fusies().len(), 27, "28 old municipalities merged into 13 new ones; Antwerpen kept its code");
    }

    #[test]
    fn every_municipality_belongs_to_a_known_network() {
        let codes: HashSet<_> = netwerken().into_iter().map(|n| n.code).collect();
        let mut per_network: HashMap<String, usize> = HashMap::new();
        for g in gemeenten() {
            assert!(codes.contains(&g.regionaal_netwerk_code), "{}", g.nis_code);
            assert!(crate::domain::nis::NisCode::parse(&g.nis_code).is_ok());
            *per_network.entry(g.regionaal_netwerk_code).or_default() += 1;
        }
        assert_eq!(per_network.len(), 18);
        assert_eq!(per_network["REFREG03"], 27, "Kempen");
        assert_eq!(per_network["GS-BRUSSEL"], 19);
        assert_eq!(per_network["GS-ANTWERPEN"], 1);
    }

    #[test]
    fn mergers_point_at_existing_municipalities() {
        let nis: HashSet<_> = gemeenten().into_iter().map(|g| g.nis_code).collect();
        for f in fusies() {
            assert!(nis.contains(&f.new_nis));
            assert!(!nis.contains(&f.old_nis), "{} still exists", f.old_nis);
        }
    }
}
