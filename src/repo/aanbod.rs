//! The offer catalogue: storage, versioned updates, and the search behind `GET /v1/aanbod`
//! (filters, full text on both backends, distance).

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Double, Text};

use crate::db::schema::{aanbod, aanbod_fts, aanbod_talen, aanbod_themas, aanbodmomenten};
use crate::db::{DbConn, MultiBackend};
use crate::domain::aanbod::{AanbodStatus, Aanbodtype, Criteria, Criterium, Sortering};
use crate::domain::geo::Omtrek;
use crate::domain::ids::OrganisatieId;
use crate::domain::moment::{Dagdeel, Moment, Weekdag};
use crate::domain::nis::NisCode;
use crate::domain::toegang::aanbod::{Eigenaar, Zichtbaarheid};

/// Narrows a boxed query over `aanbod` to what the access policy's filter shows
/// (`domain::toegang::aanbod`, whose `Zichtbaarheid::toont` states the same condition).
macro_rules! zichtbaar {
    ($q:expr, $zicht:expr) => {{
        let q = $q;
        match $zicht {
            Zichtbaarheid::Publiek => q.filter(aanbod::status.eq(AanbodStatus::Gepubliceerd)),
            Zichtbaarheid::Alles => q,
            Zichtbaarheid::Beheerder { organisatie, gemeenten, bron } => {
                // One fixed shape for every caller: a part that does not apply matches nothing
                // (no organisation has id -1, no feed source is empty, an empty IN is false).
                let gemeenten: Vec<String> = gemeenten.iter().map(|g| g.as_str().to_string()).collect();
                q.filter(
                    aanbod::status
                        .eq(AanbodStatus::Gepubliceerd)
                        .or(aanbod::organisatie_id.eq(organisatie.map_or(-1, |o| o.0)).assume_not_null())
                        .or(aanbod::gemeente.eq_any(gemeenten))
                        .or(aanbod::bron.eq(bron.clone().unwrap_or_default()).assume_not_null()),
                )
            }
        }
    }};
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = aanbod)]
pub struct AanbodRow {
    pub id: i64,
    pub titel: String,
    pub beschrijving: String,
    pub titel_nl: String,
    pub aanbodtype: Aanbodtype,
    pub organisatie_id: Option<i64>,
    pub gemeente: NisCode,
    pub adres: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub locatie_exact: bool,
    pub geocel: i32,
    pub contactpersoon: Option<String>,
    pub nederlandstalige_context: bool,
    pub sociale_participatie: bool,
    pub in_groep: bool,
    pub buiten_eigen_kring: bool,
    pub duurzaam_contact: bool,
    pub ondersteuningstalen: String,
    pub verwachte_uren_per_week: Option<f64>,
    pub periode_van: Option<NaiveDate>,
    pub periode_tot: Option<NaiveDate>,
    pub capaciteit: Option<i32>,
    pub kosteloos: bool,
    pub themas: String,
    pub status: AanbodStatus,
    pub status_motivatie: Option<String>,
    pub afgekeurd_versie: Option<i64>,
    pub bron: Option<String>,
    pub extern_id: Option<String>,
    pub feed_hash: Option<String>,
    pub zoektekst: String,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
    pub aangemaakt_door: String,
    /// The schedule as a JSON array of `Moment`s (R30); `aanbodmomenten` indexes it.
    pub momenten: String,
}

impl AanbodRow {
    /// What the access policy needs to know of the offer.
    pub fn eigenaar(&self) -> Eigenaar<'_> {
        Eigenaar {
            organisatie: self.organisatie_id.map(OrganisatieId),
            gemeente: self.gemeente.as_str(),
            bron: self.bron.as_deref(),
        }
    }

    /// The PNT criteria it declares (R11, R13b).
    pub fn criteria(&self) -> Criteria {
        Criteria {
            nederlandstalige_context: self.nederlandstalige_context,
            sociale_participatie: self.sociale_participatie,
            in_groep: self.in_groep,
            buiten_eigen_kring: self.buiten_eigen_kring,
            duurzaam_contact: self.duurzaam_contact,
        }
    }
}

/// What a search result shows of an offer (`AanbodSummary`): taken from a row, or from the
/// search catalogue in memory, which keeps exactly this of every published offer.
#[derive(Debug, Clone, PartialEq)]
pub struct AanbodKaart {
    pub id: i64,
    /// The title per language.
    pub titel: crate::domain::taal::Vertalingen,
    pub aanbodtype: Aanbodtype,
    pub gemeente: String,
    pub status: AanbodStatus,
    pub in_groep: bool,
    pub kwalificeert: bool,
    pub periode_van: Option<NaiveDate>,
    pub periode_tot: Option<NaiveDate>,
    pub momenten: Vec<Moment>,
    pub lat: f64,
    pub lon: f64,
    pub gewijzigd_op: NaiveDateTime,
}

impl AanbodRow {
    pub fn kaart(&self) -> AanbodKaart {
        AanbodKaart {
            id: self.id,
            titel: serde_json::from_str(&self.titel).unwrap_or_default(),
            aanbodtype: self.aanbodtype,
            gemeente: self.gemeente.as_str().to_string(),
            status: self.status,
            in_groep: self.in_groep,
            kwalificeert: self.criteria().kwalificeert(),
            periode_van: self.periode_van,
            periode_tot: self.periode_tot,
            momenten: self.momenten(),
            lat: self.lat,
            lon: self.lon,
            gewijzigd_op: self.gewijzigd_op,
        }
    }
}

impl crate::app::document::Document for AanbodRow {
    const RESOURCE: &'static str = "aanbod";
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn version(&self) -> i64 {
        self.versie
    }
}

/// The content of an offer (everything a client writes), ready to store.
#[derive(Insertable, AsChangeset, Debug, Clone, PartialEq)]
#[diesel(table_name = aanbod, treat_none_as_null = true)]
pub struct AanbodInhoud {
    pub titel: String,
    pub beschrijving: String,
    pub titel_nl: String,
    pub aanbodtype: Aanbodtype,
    pub organisatie_id: Option<i64>,
    pub gemeente: NisCode,
    pub adres: Option<String>,
    pub lat: f64,
    pub lon: f64,
    pub locatie_exact: bool,
    pub geocel: i32,
    pub contactpersoon: Option<String>,
    pub nederlandstalige_context: bool,
    pub sociale_participatie: bool,
    pub in_groep: bool,
    pub buiten_eigen_kring: bool,
    pub duurzaam_contact: bool,
    pub ondersteuningstalen: String,
    pub verwachte_uren_per_week: Option<f64>,
    pub periode_van: Option<NaiveDate>,
    pub periode_tot: Option<NaiveDate>,
    pub capaciteit: Option<i32>,
    pub kosteloos: bool,
    pub themas: String,
    pub zoektekst: String,
    /// The schedule as a JSON array of checked `Moment`s (R30).
    pub momenten: String,
}

impl AanbodInhoud {
    /// Support languages as stored: comma-separated ISO codes.
    pub fn talen(&self) -> Vec<&str> {
        self.ondersteuningstalen.split(',').filter(|t| !t.is_empty()).collect()
    }

    pub fn themas_lijst(&self) -> Vec<String> {
        serde_json::from_str(&self.themas).unwrap_or_default()
    }

    pub fn momenten_lijst(&self) -> Vec<Moment> {
        serde_json::from_str(&self.momenten).unwrap_or_default()
    }
}

/// One row of `aanbodmomenten`, ready to insert.
type MomentRij = (
    diesel::dsl::Eq<aanbodmomenten::aanbod_id, i64>,
    diesel::dsl::Eq<aanbodmomenten::volgnummer, i32>,
    diesel::dsl::Eq<aanbodmomenten::soort, &'static str>,
    diesel::dsl::Eq<aanbodmomenten::weekdag, Weekdag>,
    diesel::dsl::Eq<aanbodmomenten::datum, Option<NaiveDate>>,
    diesel::dsl::Eq<aanbodmomenten::van, i32>,
    diesel::dsl::Eq<aanbodmomenten::tot, i32>,
    diesel::dsl::Eq<aanbodmomenten::geldig_van, Option<NaiveDate>>,
    diesel::dsl::Eq<aanbodmomenten::geldig_tot, Option<NaiveDate>>,
);

/// The search rows of an offer's schedule: one per moment (R30).
fn momentrijen(id: i64, inhoud: &AanbodInhoud) -> Vec<MomentRij> {
    inhoud
        .momenten_lijst()
        .iter()
        .filter_map(Moment::slot)
        .enumerate()
        .map(|(i, s)| {
            (
                aanbodmomenten::aanbod_id.eq(id),
                aanbodmomenten::volgnummer.eq(i as i32),
                aanbodmomenten::soort.eq(if s.wekelijks { "wekelijks" } else { "datum" }),
                aanbodmomenten::weekdag.eq(s.weekdag),
                aanbodmomenten::datum.eq(s.datum),
                aanbodmomenten::van.eq(s.van),
                aanbodmomenten::tot.eq(s.tot),
                aanbodmomenten::geldig_van.eq(s.geldig_van),
                aanbodmomenten::geldig_tot.eq(s.geldig_tot),
            )
        })
        .collect()
}

/// Where a new offer comes from.
pub struct Herkomst<'a> {
    pub status: AanbodStatus,
    pub bron: Option<&'a str>,
    pub extern_id: Option<&'a str>,
    pub feed_hash: Option<&'a str>,
    pub door: &'a str,
}

pub fn insert(
    conn: &mut DbConn,
    inhoud: &AanbodInhoud,
    herkomst: &Herkomst<'_>,
    now: NaiveDateTime,
) -> QueryResult<i64> {
    let id = diesel::insert_into(aanbod::table)
        .values((
            inhoud,
            aanbod::status.eq(herkomst.status),
            aanbod::bron.eq(herkomst.bron),
            aanbod::extern_id.eq(herkomst.extern_id),
            aanbod::feed_hash.eq(herkomst.feed_hash),
            aanbod::versie.eq(1i64),
            aanbod::aangemaakt_op.eq(now),
            aanbod::gewijzigd_op.eq(now),
            aanbod::aangemaakt_door.eq(herkomst.door),
        ))
        .returning(aanbod::id)
        .get_result(conn)?;
    replace_children(conn, id, inhoud, false)?;
    Ok(id)
}

/// New feed items of one source, all at once: on PostgreSQL in multi-row statements (a feed of
/// 5,000 items is then tens of round trips instead of tens of thousands); on SQLite, where a
/// statement costs no round trip, one by one.
pub fn insert_feed_items(
    conn: &mut DbConn,
    items: &[(&AanbodInhoud, &str, &str)],
    bron: &str,
    door: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    const CHUNK: usize = 500;
    let gepubliceerd = AanbodStatus::Gepubliceerd;
    let DbConn::Postgresql(pg) = conn else {
        for (inhoud, extern_id, hash) in items {
            let herkomst = Herkomst {
                status: gepubliceerd,
                bron: Some(bron),
                extern_id: Some(extern_id),
                feed_hash: Some(hash),
                door,
            };
            insert(conn, inhoud, &herkomst, now)?;
        }
        return Ok(());
    };
    for chunk in items.chunks(CHUNK) {
        let rows: Vec<_> = chunk
            .iter()
            .map(|(inhoud, extern_id, hash)| {
                (
                    *inhoud,
                    aanbod::status.eq(gepubliceerd),
                    aanbod::bron.eq(Some(bron)),
                    aanbod::extern_id.eq(Some(*extern_id)),
                    aanbod::feed_hash.eq(Some(*hash)),
                    aanbod::versie.eq(1i64),
                    aanbod::aangemaakt_op.eq(now),
                    aanbod::gewijzigd_op.eq(now),
                    aanbod::aangemaakt_door.eq(door),
                )
            })
            .collect();
        // Ids by extern id: the order of RETURNING is not something to rely on.
        let ids: std::collections::HashMap<String, i64> = diesel::insert_into(aanbod::table)
            .values(rows)
            .returning((aanbod::extern_id.assume_not_null(), aanbod::id))
            .get_results::<(String, i64)>(pg)?
            .into_iter()
            .collect();
        let mut talen = Vec::new();
        let mut themas = Vec::new();
        let mut momenten = Vec::new();
        for (inhoud, extern_id, _) in chunk {
            let id = ids[*extern_id];
            momenten.extend(momentrijen(id, inhoud));
            talen.extend(
                inhoud
                    .talen()
                    .into_iter()
                    .map(|t| (aanbod_talen::aanbod_id.eq(id), aanbod_talen::taal.eq(t.to_string()))),
            );
            themas.extend(
                inhoud
                    .themas_lijst()
                    .into_iter()
                    .map(|t| (aanbod_themas::aanbod_id.eq(id), aanbod_themas::thema.eq(t))),
            );
        }
        if !talen.is_empty() {
            diesel::insert_into(aanbod_talen::table).values(talen).execute(pg)?;
        }
        if !themas.is_empty() {
            diesel::insert_into(aanbod_themas::table).values(themas).execute(pg)?;
        }
        // Nine parameters a row: 500 items of up to 100 moments stay below PostgreSQL's 65,535.
        for deel in momenten.chunks(7000) {
            diesel::insert_into(aanbodmomenten::table).values(deel.to_vec()).execute(pg)?;
        }
    }
    Ok(())
}

/// Rewrites the index rows of the support languages, themes and schedule.
fn replace_children(conn: &mut DbConn, id: i64, inhoud: &AanbodInhoud, existing: bool) -> QueryResult<()> {
    if existing {
        diesel::delete(aanbod_talen::table.filter(aanbod_talen::aanbod_id.eq(id))).execute(conn)?;
        diesel::delete(aanbod_themas::table.filter(aanbod_themas::aanbod_id.eq(id))).execute(conn)?;
        diesel::delete(aanbodmomenten::table.filter(aanbodmomenten::aanbod_id.eq(id))).execute(conn)?;
    }
    for rij in momentrijen(id, inhoud) {
        diesel::insert_into(aanbodmomenten::table).values(rij).execute(conn)?;
    }
    for taal in inhoud.talen() {
        diesel::insert_into(aanbod_talen::table)
            .values((aanbod_talen::aanbod_id.eq(id), aanbod_talen::taal.eq(taal)))
            .execute(conn)?;
    }
    for thema in inhoud.themas_lijst() {
        diesel::insert_into(aanbod_themas::table)
            .values((aanbod_themas::aanbod_id.eq(id), aanbod_themas::thema.eq(thema)))
            .execute(conn)?;
    }
    Ok(())
}

/// Offer `id` if `zicht` shows it: the search's own visibility filter, so one offer is found
/// exactly when a search would list it. `Zichtbaarheid::Alles` for what the caller just wrote,
/// and for workflows that apply their own rule.
pub fn find(conn: &mut DbConn, id: i64, zicht: &Zichtbaarheid) -> QueryResult<Option<AanbodRow>> {
    zichtbaar!(aanbod::table.into_boxed::<MultiBackend>(), zicht)
        .filter(aanbod::id.eq(id))
        .select(AanbodRow::as_select())
        .first(conn)
        .optional()
}

/// New content (and optionally a new status), if the version is still `versie`. Returns false
/// when someone else changed the offer first.
pub fn update_inhoud(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    inhoud: &AanbodInhoud,
    status: Option<AanbodStatus>,
    feed_hash: Option<&str>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let target = aanbod::table.filter(aanbod::id.eq(id)).filter(aanbod::versie.eq(versie));
    let n = match status {
        Some(s) => diesel::update(target)
            .set((
                inhoud,
                aanbod::status.eq(s),
                aanbod::feed_hash.eq(feed_hash),
                aanbod::versie.eq(versie + 1),
                aanbod::gewijzigd_op.eq(now),
            ))
            .execute(conn)?,
        None => diesel::update(target)
            .set((inhoud, aanbod::feed_hash.eq(feed_hash), aanbod::versie.eq(versie + 1), aanbod::gewijzigd_op.eq(now)))
            .execute(conn)?,
    };
    if n == 1 {
        replace_children(conn, id, inhoud, true)?;
    }
    Ok(n == 1)
}

/// A status change, if the version is still `versie`.
pub fn update_status(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    status: AanbodStatus,
    motivatie: Option<&str>,
    afgekeurd_versie: Option<i64>,
    now: NaiveDateTime,
) -> QueryResult<bool> {
    let n = diesel::update(aanbod::table.filter(aanbod::id.eq(id)).filter(aanbod::versie.eq(versie)))
        .set((
            aanbod::status.eq(status),
            aanbod::status_motivatie.eq(motivatie),
            aanbod::afgekeurd_versie.eq(afgekeurd_versie),
            aanbod::versie.eq(versie + 1),
            aanbod::gewijzigd_op.eq(now),
        ))
        .execute(conn)?;
    Ok(n == 1)
}

pub fn delete(conn: &mut DbConn, id: i64, versie: i64) -> QueryResult<bool> {
    diesel::delete(aanbod_talen::table.filter(aanbod_talen::aanbod_id.eq(id))).execute(conn)?;
    diesel::delete(aanbod_themas::table.filter(aanbod_themas::aanbod_id.eq(id))).execute(conn)?;
    diesel::delete(aanbodmomenten::table.filter(aanbodmomenten::aanbod_id.eq(id))).execute(conn)?;
    let n = diesel::delete(aanbod::table.filter(aanbod::id.eq(id)).filter(aanbod::versie.eq(versie))).execute(conn)?;
    Ok(n == 1)
}

#[derive(Clone, Debug, Default)]
pub struct Zoekopdracht {
    pub gemeenten: Vec<String>,
    pub types: Vec<Aanbodtype>,
    pub talen: Vec<String>,
    pub themas: Vec<String>,
    pub statussen: Vec<AanbodStatus>,
    pub organisatie: Option<i64>,
    pub nederlandstalige_context: Option<bool>,
    pub in_groep: Option<bool>,
    pub buiten_eigen_kring: Option<bool>,
    pub duurzaam_contact: Option<bool>,
    pub kwalificeert: Option<bool>,
    pub kosteloos: Option<bool>,
    pub beschikbaar_op: Option<NaiveDate>,
    pub omtrek: Option<Omtrek>,
    /// Days of the week (R30): a weekly slot on one of them, or a dated session falling on one.
    pub weekdagen: Vec<Weekdag>,
    /// Parts of the day (R30): a moment overlapping one of them. With `weekdagen`, the same
    /// moment must satisfy both (Tuesday evening, not Tuesday morning and Monday evening).
    pub dagdelen: Vec<Dagdeel>,
    /// Search words (alphanumeric only: see `domain::aanbod::zoekwoorden`).
    pub woorden: Vec<String>,
    pub sortering: Vec<Sortering>,
    /// The search can match nothing (e.g. a text query of punctuation only).
    pub niets: bool,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Dialect {
    Postgres,
    Sqlite,
}

fn dialect(conn: &DbConn) -> Dialect {
    match conn {
        DbConn::Postgresql(_) => Dialect::Postgres,
        DbConn::Sqlite(_) => Dialect::Sqlite,
    }
}

/// The full-text query: every word must match, as a prefix (`voetbal` finds `voetballen`).
fn fts_query(d: Dialect, woorden: &[String]) -> String {
    match d {
        Dialect::Postgres => woorden.iter().map(|w| format!("{w}:*")).collect::<Vec<_>>().join(" & "),
        Dialect::Sqlite => woorden.iter().map(|w| format!("\"{w}\"*")).collect::<Vec<_>>().join(" "),
    }
}

/// Every query shape starts from here: the offers, narrowed by the full-text match (SQLite
/// evaluates the `IN` subquery once, whatever the other filters). Boxed for the backend of the
/// connection the query runs on.
macro_rules! base {
    ($d:expr, $z:expr, $query:expr) => {{
        let q = aanbod::table.into_boxed();
        match ($d, $z.woorden.is_empty()) {
            (_, true) => q,
            (Dialect::Postgres, false) => q.filter(
                sql::<Bool>("aanbod.zoekvector @@ to_tsquery('dutch', ").bind::<Text, _>($query.clone()).sql(")"),
            ),
            (Dialect::Sqlite, false) => q.filter(
                sql::<Bool>("aanbod.id IN (SELECT rowid FROM aanbod_fts WHERE aanbod_fts MATCH ")
                    .bind::<Text, _>($query.clone())
                    .sql(")"),
            ),
        }
    }};
}

/// Squared equirectangular distance in degrees of latitude (see `domain::geo`): plain
/// arithmetic, so it runs on SQLite without math functions, and with bound parameters, so
/// PostgreSQL can reuse the prepared statement.
macro_rules! afstand_kwadraat {
    ($o:expr) => {{
        let o = $o;
        let (lat, lon, k) = (o.centrum.lat, o.centrum.lon, o.lon_schaal);
        (aanbod::lat - lat) * (aanbod::lat - lat) + ((aanbod::lon - lon) * k) * ((aanbod::lon - lon) * k)
    }};
}

/// `column = value` for one value, `column IN (…)` for several: with a single value the planner
/// can follow an index's order (newest first in one municipality) instead of sorting.
macro_rules! one_or_any {
    ($q:expr, $column:expr, $values:expr) => {
        match $values.as_slice() {
            [one] => $q.filter($column.eq(one.clone())),
            many => $q.filter($column.eq_any(many.to_vec())),
        }
    };
}

/// The SQL of "qualifies for the PNT" (R11, R13b), built from the domain's one definition,
/// `Criteria::VOORWAARDEN`: the column of every condition must be true.
macro_rules! kwalificeert {
    () => {{
        let kolom = |c: &Criterium| -> Box<dyn BoxableExpression<aanbod::table, _, SqlType = Bool>> {
            match c {
                Criterium::NederlandstaligeContext => Box::new(aanbod::nederlandstalige_context),
                Criterium::SocialeParticipatie => Box::new(aanbod::sociale_participatie),
                Criterium::InGroep => Box::new(aanbod::in_groep),
                Criterium::BuitenEigenKring => Box::new(aanbod::buiten_eigen_kring),
                Criterium::DuurzaamContact => Box::new(aanbod::duurzaam_contact),
            }
        };
        Criteria::VOORWAARDEN.iter().map(kolom).reduce(|alle, c| Box::new(alle.and(c))).expect("R11 has conditions")
    }};
}

/// Applies every filter except full text to a boxed query over `aanbod` (alone or joined with
/// the SQLite FTS table): one list of filters for every query shape.
macro_rules! filters {
    ($base:expr, $z:expr, $zicht:expr) => {{
        let (z, zicht) = ($z, $zicht);
        let mut q = zichtbaar!($base, zicht);
        if !z.statussen.is_empty() {
            q = one_or_any!(q, aanbod::status, z.statussen);
        }
        if !z.gemeenten.is_empty() {
            q = one_or_any!(q, aanbod::gemeente, z.gemeenten);
        }
        if !z.types.is_empty() {
            q = one_or_any!(q, aanbod::aanbodtype, z.types);
        }
        if let Some(o) = z.organisatie {
            q = q.filter(aanbod::organisatie_id.eq(o));
        }
        if !z.talen.is_empty() {
            q = q.filter(aanbod::id.eq_any(
                aanbod_talen::table.filter(aanbod_talen::taal.eq_any(z.talen.clone())).select(aanbod_talen::aanbod_id),
            ));
        }
        if !z.themas.is_empty() {
            q = q.filter(
                aanbod::id.eq_any(
                    aanbod_themas::table
                        .filter(aanbod_themas::thema.eq_any(z.themas.clone()))
                        .select(aanbod_themas::aanbod_id),
                ),
            );
        }
        if let Some(v) = z.nederlandstalige_context {
            q = q.filter(aanbod::nederlandstalige_context.eq(v));
        }
        if let Some(v) = z.in_groep {
            q = q.filter(aanbod::in_groep.eq(v));
        }
        if let Some(v) = z.buiten_eigen_kring {
            q = q.filter(aanbod::buiten_eigen_kring.eq(v));
        }
        if let Some(v) = z.duurzaam_contact {
            q = q.filter(aanbod::duurzaam_contact.eq(v));
        }
        if let Some(v) = z.kosteloos {
            q = q.filter(aanbod::kosteloos.eq(v));
        }
        if let Some(v) = z.kwalificeert {
            q = if v { q.filter(kwalificeert!()) } else { q.filter(diesel::dsl::not(kwalificeert!())) };
        }
        if let Some(d) = z.beschikbaar_op {
            q = q
                .filter(aanbod::periode_van.is_null().or(aanbod::periode_van.le(d).assume_not_null()))
                .filter(aanbod::periode_tot.is_null().or(aanbod::periode_tot.ge(d).assume_not_null()));
        }
        if let Some(o) = &z.omtrek {
            q = q.filter(aanbod::geocel.eq_any(o.cellen.clone())).filter(afstand_kwadraat!(o).le(o.max_kwadraat));
        }
        if !z.weekdagen.is_empty() || !z.dagdelen.is_empty() {
            q = q.filter(aanbod::id.eq_any(momenten_met!(&z.weekdagen, &z.dagdelen).select(aanbodmomenten::aanbod_id)));
        }
        q
    }};
}

/// The moments (rows of `aanbodmomenten`, boxed) on one of `weekdagen` (all days when empty)
/// that overlap one of `dagdelen` (any time when empty): `van < einde AND tot > start` of the
/// part of the day (`Dagdeel::overlapt`), leaving out a bound that holds for every moment, so
/// each part of the day is one index range.
macro_rules! momenten_met {
    ($weekdagen:expr, $dagdelen:expr) => {{
        let (weekdagen, dagdelen): (&Vec<Weekdag>, &Vec<Dagdeel>) = ($weekdagen, $dagdelen);
        let mut m = aanbodmomenten::table.into_boxed();
        if !weekdagen.is_empty() {
            m = one_or_any!(m, aanbodmomenten::weekdag, weekdagen);
        }
        if let Some(overlap) = overlapt!(dagdelen) {
            m = m.filter(overlap);
        }
        m
    }};
}

/// The SQL of `Dagdeel::overlapt` for a moment row and any of `dagdelen` (`None` when empty).
macro_rules! overlapt {
    ($dagdelen:expr) => {{
        let deel = |d: &Dagdeel| -> Box<dyn BoxableExpression<aanbodmomenten::table, _, SqlType = Bool>> {
            match d.bereik() {
                (0, einde) => Box::new(aanbodmomenten::van.lt(einde)),
                (start, 1440) => Box::new(aanbodmomenten::tot.gt(start)),
                (start, einde) => Box::new(aanbodmomenten::van.lt(einde).and(aanbodmomenten::tot.gt(start))),
            }
        };
        $dagdelen.iter().map(deel).reduce(|a, b| Box::new(a.or(b)))
    }};
}

/// Orders a filtered query; `$relevantie` is the backend's relevance ordering.
macro_rules! ordered {
    ($q:expr, $z:expr, $relevantie:expr) => {{
        let z = $z;
        let mut q = $q;
        let sortering = if z.sortering.is_empty() {
            if z.woorden.is_empty() { vec![Sortering::GewijzigdAflopend] } else { vec![Sortering::Relevantie] }
        } else {
            z.sortering.clone()
        };
        for s in sortering {
            q = match s {
                Sortering::GewijzigdAflopend => q.then_order_by(aanbod::gewijzigd_op.desc()),
                Sortering::GewijzigdOplopend => q.then_order_by(aanbod::gewijzigd_op.asc()),
                Sortering::Titel => q.then_order_by(aanbod::titel_nl.asc()),
                Sortering::TitelAflopend => q.then_order_by(aanbod::titel_nl.desc()),
                Sortering::Afstand => match &z.omtrek {
                    Some(o) => q.then_order_by(afstand_kwadraat!(o).asc()),
                    None => q,
                },
                Sortering::Relevantie if z.woorden.is_empty() => q,
                Sortering::Relevantie => q.then_order_by($relevantie),
            };
        }
        q.then_order_by(aanbod::id.desc())
    }};
}

/// Whether the first sort key is relevance (the default with words).
fn relevantie_eerst(z: &Zoekopdracht) -> bool {
    !z.woorden.is_empty() && z.sortering.first().is_none_or(|s| *s == Sortering::Relevantie)
}

/// SQLite, relevance first: the matches of `query` in the FTS5 table (boxed), the other filters
/// as one subquery (see `search`).
macro_rules! fts_treffers {
    ($z:expr, $zicht:expr, $query:expr) => {{
        let others = filters!(aanbod::table.into_boxed(), $z, $zicht).select(aanbod::id);
        aanbod_fts::table
            .into_boxed()
            .filter(sql::<Bool>("aanbod_fts MATCH ").bind::<Text, _>($query.clone()))
            .filter(sql::<diesel::sql_types::BigInt>("+aanbod_fts.rowid").eq_any(others))
    }};
}

pub fn search(
    conn: &mut DbConn,
    z: &Zoekopdracht,
    zicht: &Zichtbaarheid,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<AanbodRow>, i64)> {
    if z.niets {
        return Ok((Vec::new(), 0));
    }
    let d = dialect(conn);
    let query = fts_query(d, &z.woorden);
    let relevance_first = relevantie_eerst(z);
    // Ordering by an expression sorts every match: sort ids only, then fetch the page's rows,
    // instead of sorting whole rows with their long texts.
    let by_expression =
        relevance_first || z.sortering.iter().any(|s| matches!(s, Sortering::Afstand | Sortering::Relevantie));
    // Each backend gets its own concrete query (the same source text, compiled twice): PostgreSQL
    // can then reuse prepared statements, and the total comes along as a scalar subquery in the
    // page query — one round trip instead of two.
    let (page, total): (Pagina, Option<i64>) = crate::with_backend!(conn, |c| {
        let base = || base!(d, z, query);
        let total = || filters!(base(), z, zicht).count().single_value();
        if d == Dialect::Sqlite && relevance_first {
            // SQLite's bm25 lives in the FTS5 table: page from there, the FTS table driving and
            // the other filters as one subquery. (Joined the other way round, SQLite re-runs the
            // match for every candidate row.) `+rowid` keeps the filter away from FTS5 for the
            // same reason.
            let matches = || fts_treffers!(z, zicht, query);
            // Counted the same way, from the match: looking every match up in `aanbod` costs more.
            let fts_total = matches().count().single_value();
            let page: Vec<(i64, Option<i64>)> = matches()
                .order((aanbod_fts::rank.asc(), aanbod_fts::rowid.desc()))
                .offset(offset)
                .limit(limit)
                .select((aanbod_fts::rowid, fts_total))
                .load(c)?;
            (Pagina::Ids(page.iter().map(|p| p.0).collect()), page.first().and_then(|p| p.1))
        } else {
            let rank = || {
                sql::<Double>("ts_rank(aanbod.zoekvector, to_tsquery('dutch', ")
                    .bind::<Text, _>(query.clone())
                    .sql("))")
            };
            let q = match d {
                Dialect::Postgres => ordered!(filters!(base(), z, zicht), z, rank().desc()),
                // Relevance after another sort key is not available on SQLite.
                Dialect::Sqlite => ordered!(filters!(base(), z, zicht), z, aanbod::id.desc()),
            }
            .offset(offset)
            .limit(limit);
            if by_expression {
                let page: Vec<(i64, Option<i64>)> = q.select((aanbod::id, total())).load(c)?;
                (Pagina::Ids(page.iter().map(|p| p.0).collect()), page.first().and_then(|p| p.1))
            } else {
                let page: Vec<(AanbodRow, Option<i64>)> = q.select((AanbodRow::as_select(), total())).load(c)?;
                let total = page.first().and_then(|p| p.1);
                (Pagina::Rows(page.into_iter().map(|p| p.0).collect()), total)
            }
        }
    });
    let rows = match page {
        Pagina::Rows(rows) => rows,
        Pagina::Ids(ids) => by_ids(conn, &ids, &Zichtbaarheid::Alles)?,
    };
    let total = match total {
        Some(t) => t,
        // An empty page (nothing matches, or a page past the end) carries no total.
        None => crate::with_backend!(conn, |c| { filters!(base!(d, z, query), z, zicht).count().get_result(c)? }),
    };
    Ok((rows, total))
}

/// What a facet counts the matches by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Groepering {
    Aanbodtype,
    Gemeente,
    Taal,
    /// Days of the week of the moments that overlap `z.dagdelen` (R30).
    Weekdag,
}

/// The number of offers that match `z` per value of `groep`, values without offers left out:
/// one grouped query over the matching ids, so it costs about as much as counting the total.
pub fn facet(
    conn: &mut DbConn,
    z: &Zoekopdracht,
    zicht: &Zichtbaarheid,
    groep: Groepering,
) -> QueryResult<Vec<(String, i64)>> {
    use diesel::dsl::{count, count_star};
    use diesel::expression_methods::AggregateExpressionMethods;
    if z.niets {
        return Ok(Vec::new());
    }
    let d = dialect(conn);
    let query = fts_query(d, &z.woorden);
    Ok(crate::with_backend!(conn, |c| {
        let ids = || filters!(base!(d, z, query), z, zicht).select(aanbod::id);
        match groep {
            Groepering::Aanbodtype => aanbod::table
                .filter(aanbod::id.eq_any(ids()))
                .group_by(aanbod::aanbodtype)
                .select((aanbod::aanbodtype, count_star()))
                .load::<(String, i64)>(c)?,
            Groepering::Gemeente => aanbod::table
                .filter(aanbod::id.eq_any(ids()))
                .group_by(aanbod::gemeente)
                .select((aanbod::gemeente, count_star()))
                .load::<(String, i64)>(c)?,
            Groepering::Taal => aanbod_talen::table
                .filter(aanbod_talen::aanbod_id.eq_any(ids()))
                .group_by(aanbod_talen::taal)
                .select((aanbod_talen::taal, count_star()))
                .load::<(String, i64)>(c)?,
            Groepering::Weekdag => {
                let overlap: Box<dyn BoxableExpression<aanbodmomenten::table, _, SqlType = Bool>> =
                    overlapt!(&z.dagdelen).unwrap_or_else(|| Box::new(aanbodmomenten::van.ge(0)));
                aanbodmomenten::table
                    .filter(aanbodmomenten::aanbod_id.eq_any(ids()))
                    .filter(overlap)
                    .group_by(aanbodmomenten::weekdag)
                    .select((aanbodmomenten::weekdag, count(aanbodmomenten::aanbod_id).aggregate_distinct()))
                    .load::<(String, i64)>(c)?
            }
        }
    }))
}

enum Pagina {
    Ids(Vec<i64>),
    Rows(Vec<AanbodRow>),
}

/// The rows of `ids` that `zicht` shows, in that order.
pub fn by_ids(conn: &mut DbConn, ids: &[i64], zicht: &Zichtbaarheid) -> QueryResult<Vec<AanbodRow>> {
    let mut rows: Vec<AanbodRow> = zichtbaar!(aanbod::table.filter(aanbod::id.eq_any(ids)).into_boxed(), zicht)
        .select(AanbodRow::as_select())
        .load(conn)?;
    let positie: std::collections::HashMap<i64, usize> = ids.iter().enumerate().map(|(i, id)| (*id, i)).collect();
    rows.sort_by_key(|r| positie.get(&r.id).copied());
    Ok(rows)
}

/// Up to `limit` published offers with an id above `na`, by id (the search catalogue's load).
pub fn gepubliceerd_na(conn: &mut DbConn, na: i64, limit: i64) -> QueryResult<Vec<AanbodRow>> {
    zichtbaar!(aanbod::table.filter(aanbod::id.gt(na)).into_boxed(), &Zichtbaarheid::Publiek)
        .order(aanbod::id.asc())
        .limit(limit)
        .select(AanbodRow::as_select())
        .load(conn)
}

/// What a feed push needs to know of an item it sent before.
#[derive(Queryable, Debug, Clone)]
pub struct FeedItemStand {
    pub extern_id: String,
    pub id: i64,
    pub versie: i64,
    pub feed_hash: Option<String>,
    pub status: AanbodStatus,
}

/// The items a source sent before.
pub fn feed_index(conn: &mut DbConn, bron: &str) -> QueryResult<Vec<FeedItemStand>> {
    aanbod::table
        .filter(aanbod::bron.eq(bron))
        .select((aanbod::extern_id.assume_not_null(), aanbod::id, aanbod::versie, aanbod::feed_hash, aanbod::status))
        .load(conn)
}

/// The plan of the count `search` runs for `z` as `zicht` sees it (the page's `total`, and the
/// full-text count on SQLite when relevance comes first): the same macros, so what the plan check
/// in the test suite sees is what the SQL search runs.
pub fn explain_count(conn: &mut DbConn, z: &Zoekopdracht, zicht: &Zichtbaarheid) -> QueryResult<Vec<String>> {
    use crate::db::explain::ExplainConnection;
    let d = dialect(conn);
    let query = fts_query(d, &z.woorden);
    crate::with_backend!(conn, |c| {
        if d == Dialect::Sqlite && relevantie_eerst(z) {
            c.explain(fts_treffers!(z, zicht, query).count())
        } else {
            c.explain(filters!(base!(d, z, query), z, zicht).count())
        }
    })
}
