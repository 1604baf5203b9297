//! The published catalogue in memory (issue 15): what `GET /v1/aanbod` searches when it asks for
//! published offers, which is every anonymous search and every search without `status`.
//!
//! The database stays the source of truth. Each instance keeps its own copy, built at start-up
//! and kept current from the change sequence (`gebeurtenissen`): a search first catches up when
//! this process committed a write since the last catch-up (read-your-writes), and a worker
//! catches up every `PNT_SEARCH_REFRESH_MS` for what other instances wrote. The copy answers the
//! page in order, the exact `total` and the facets, and keeps what a result shows of an offer
//! (`AanbodKaart`), so a public search reads nothing from the database: a change made on another
//! instance, a withdrawal too, reaches its results within the refresh interval.
//!
//! Per offer: bitsets per municipality, type, language and theme (a filter is an OR of bitsets,
//! filters an AND), one byte of criteria flags, the period, the position and the schedule as a
//! bitmask of (day of the week × part of the day) — the rest of the filters are checks on the
//! remaining candidates. Full text lives in tantivy ([`tekst`]). Staff searches with `status`
//! run on SQL (`repo::aanbod::search`), whose indexes serve them.

pub mod tekst;

use std::cmp::Ordering as Orde;
use std::collections::{HashMap, HashSet};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, RwLock};

use chrono::NaiveDate;
use diesel::QueryResult;

use crate::db::DbConn;
use crate::domain::aanbod::{AanbodStatus, Aanbodtype, Sortering};
use crate::domain::moment::{Dagdeel, Moment, Weekdag};
use crate::domain::toegang::aanbod::Zichtbaarheid;
use crate::repo::aanbod::{self as repo, AanbodKaart, AanbodRow, Groepering, Zoekopdracht};
use crate::repo::gebeurtenissen;
use crate::state::AppState;
use tekst::Tekstindex;

/// Offers read per query when loading or catching up: rows with every text, so a small batch
/// keeps the load's peak memory down.
const BROK: i64 = 500;

/// A page of a search: its offers in order, the exact total, and per requested facet its counts.
#[derive(Debug, Default)]
pub struct Resultaat {
    pub kaarten: Vec<AanbodKaart>,
    pub total: i64,
    pub facetten: Vec<Vec<(String, i64)>>,
}

pub struct Catalogus {
    inhoud: RwLock<Inhoud>,
    /// One catch-up at a time: where in the change sequence the copy is, and the text writer.
    bijwerker: Mutex<Bijwerker>,
    /// `db::schrijfteller` at the start of the last catch-up: a search catches up first when
    /// the process committed anything since.
    gezien: AtomicU64,
    /// The first load has finished.
    klaar: AtomicBool,
    /// A worker loads and follows the catalogue (`start`): the instance is ready when loaded.
    gestart: AtomicBool,
}

struct Bijwerker {
    volg: Option<Volgpunt>,
    tekst: Tekstindex,
}

/// The position in the change sequence (see `repo::gebeurtenissen`).
enum Volgpunt {
    /// PostgreSQL: events of transactions from `horizon` on may be new; those already applied
    /// are in `gezien`.
    Postgres { horizon: i64, gezien: HashSet<(i64, i64)> },
    /// SQLite: ids follow commit order.
    Sqlite { laatste: i64 },
}

impl Catalogus {
    pub fn new() -> Catalogus {
        let tekst = Tekstindex::new().expect("an in-memory tantivy index");
        Catalogus {
            inhoud: RwLock::new(Inhoud { tekst: Some(tekst.lezer()), ..Inhoud::default() }),
            bijwerker: Mutex::new(Bijwerker { volg: None, tekst }),
            gezien: AtomicU64::new(u64::MAX),
            klaar: AtomicBool::new(false),
            gestart: AtomicBool::new(false),
        }
    }

    /// Whether the first load has finished.
    pub fn geladen(&self) -> bool {
        self.klaar.load(Ordering::Acquire)
    }

    /// Whether the instance can take traffic as far as search goes: its worker has loaded the
    /// catalogue (without a worker, as in tests, the first search loads it).
    pub fn gereed(&self) -> bool {
        !self.gestart.load(Ordering::Acquire) || self.geladen()
    }

    /// Whether this copy can answer `z`: a search of published offers only.
    pub fn beantwoordt(z: &Zoekopdracht) -> bool {
        z.statussen == [AanbodStatus::Gepubliceerd]
    }

    /// The page `offset..offset + limit` of `z` with its total, and each of `facetten` (a search
    /// and what it counts) — after catching up with this process's own writes.
    pub fn zoek(
        &self,
        conn: &mut DbConn,
        z: &Zoekopdracht,
        offset: i64,
        limit: i64,
        facetten: &[(Zoekopdracht, Groepering)],
    ) -> QueryResult<Option<Resultaat>> {
        if !self.klaar.load(Ordering::Acquire) && self.bijwerker.try_lock().is_err() {
            // The first load is under way (at start-up): SQL answers meanwhile.
            return Ok(None);
        }
        if self.gezien.load(Ordering::Acquire) != crate::db::schrijfteller() {
            self.inhalen(conn, true)?;
        }
        Ok(Some(self.antwoord(z, offset, limit, facetten)))
    }

    /// Whether the copy is loaded and has caught up with this process's own writes: then
    /// [`Catalogus::antwoord`] answers as [`Catalogus::zoek`] would, without a connection.
    pub fn bij(&self) -> bool {
        self.geladen() && self.gezien.load(Ordering::Acquire) == crate::db::schrijfteller()
    }

    /// The page `offset..offset + limit` of `z` with its total and `facetten`, from the copy as
    /// it is.
    pub fn antwoord(
        &self,
        z: &Zoekopdracht,
        offset: i64,
        limit: i64,
        facetten: &[(Zoekopdracht, Groepering)],
    ) -> Resultaat {
        let inhoud = self.inhoud.read().unwrap_or_else(|e| e.into_inner());
        let (offset, limit) = (usize::try_from(offset).unwrap_or(0), usize::try_from(limit).unwrap_or(0));
        // The text is matched once: a facet keeps the request's words.
        let tekst = inhoud.tekst_treffers(&z.woorden);
        let treffers = inhoud.treffers(z, tekst.as_deref());
        let total = treffers.aantal();
        let mut uit = Resultaat {
            total: total as i64,
            kaarten: inhoud
                .pagina(z, &treffers, total, tekst.as_deref(), offset, limit)
                .into_iter()
                .map(|s| inhoud.kaart(s))
                .collect(),
            facetten: Vec::new(),
        };
        for (zf, groep) in facetten {
            let eigen;
            let tekst_f = if zf.woorden == z.woorden {
                tekst.as_deref()
            } else {
                eigen = inhoud.tekst_treffers(&zf.woorden);
                eigen.as_deref()
            };
            uit.facetten.push(inhoud.tel(&inhoud.treffers(zf, tekst_f), *groep, &zf.dagdelen));
        }
        uit
    }

    /// Catches up with the change sequence (the first time: loads every published offer).
    pub fn bijwerken(&self, conn: &mut DbConn) -> QueryResult<()> {
        self.inhalen(conn, false)
    }

    /// Catches up; with `eigen`, only when this process wrote since the last catch-up (several
    /// searches that find the copy behind wait for one catch-up, not one each).
    fn inhalen(&self, conn: &mut DbConn, eigen: bool) -> QueryResult<()> {
        let mut bij = self.bijwerker.lock().unwrap_or_else(|e| e.into_inner());
        let teller = crate::db::schrijfteller();
        if eigen && self.gezien.load(Ordering::Acquire) == teller && bij.volg.is_some() {
            return Ok(());
        }
        let Bijwerker { volg, tekst } = &mut *bij;
        match volg {
            None => {
                // The position first: whatever commits during the load is read again next time.
                let begin = match gebeurtenissen::horizon(conn)? {
                    Some(h) => Volgpunt::Postgres { horizon: h, gezien: HashSet::new() },
                    None => Volgpunt::Sqlite { laatste: gebeurtenissen::laatste_id(conn)?.unwrap_or(0) },
                };
                let mut na = 0;
                loop {
                    let rijen = repo::gepubliceerd_na(conn, na, BROK)?;
                    let Some(laatste) = rijen.last() else { break };
                    na = laatste.id;
                    let mut inhoud = self.inhoud.write().unwrap_or_else(|e| e.into_inner());
                    for r in &rijen {
                        inhoud.zet(r, tekst);
                    }
                }
                *volg = Some(begin);
                self.klaar.store(true, Ordering::Release);
            }
            Some(v) => {
                let ids = gewijzigd(conn, v)?;
                for brok in ids.chunks(BROK as usize) {
                    let rijen: HashMap<i64, AanbodRow> =
                        repo::by_ids(conn, brok, &Zichtbaarheid::Alles)?.into_iter().map(|r| (r.id, r)).collect();
                    let mut inhoud = self.inhoud.write().unwrap_or_else(|e| e.into_inner());
                    for id in brok {
                        match rijen.get(id) {
                            Some(r) if r.status == AanbodStatus::Gepubliceerd => inhoud.zet(r, tekst),
                            _ => inhoud.weg(*id, tekst),
                        }
                    }
                }
                if ids.is_empty() {
                    self.gezien.store(teller, Ordering::Release);
                    return Ok(());
                }
            }
        }
        tekst.commit().map_err(|e| diesel::result::Error::QueryBuilderError(e.to_string().into()))?;
        self.inhoud.write().unwrap_or_else(|e| e.into_inner()).ordenen();
        self.gezien.store(teller, Ordering::Release);
        Ok(())
    }
}

/// Loads the catalogue at start-up and catches up every `PNT_SEARCH_REFRESH_MS` with what other
/// instances wrote.
pub fn start(state: AppState) {
    state.catalogus.gestart.store(true, Ordering::Release);
    actix_web::rt::spawn(async move {
        loop {
            let (db, catalogus) = (state.db.clone(), state.catalogus.clone());
            let begin = std::time::Instant::now();
            let eerste = !catalogus.geladen();
            match db.run(move |c| Ok(catalogus.bijwerken(c)?)).await {
                Ok(()) if eerste => log::info!("search catalogue loaded in {} ms", begin.elapsed().as_millis()),
                Ok(()) => {}
                Err(e) => log::warn!("search catalogue: {e}"),
            }
            actix_web::rt::time::sleep(state.settings.search_refresh).await;
        }
    });
}

impl Default for Catalogus {
    fn default() -> Self {
        Catalogus::new()
    }
}

/// The offers changed since `v` (deduplicated, in order of their first change); moves `v` on.
fn gewijzigd(conn: &mut DbConn, v: &mut Volgpunt) -> QueryResult<Vec<i64>> {
    let events = match v {
        Volgpunt::Postgres { horizon, gezien } => {
            // The horizon before the events: every transaction below it has finished, so its
            // events are in this read; those at or above it are read again next time.
            let nieuw = gebeurtenissen::horizon(conn)?.unwrap_or(*horizon);
            let rijen = gebeurtenissen::aanbod_vanaf(conn, Some(*horizon), None)?;
            let verder: Vec<(i64, i64, i64)> =
                rijen.into_iter().filter(|(tx, id, _)| !gezien.contains(&(*tx, *id))).collect();
            gezien.retain(|(tx, _)| *tx >= nieuw);
            gezien.extend(verder.iter().filter(|(tx, _, _)| *tx >= nieuw).map(|(tx, id, _)| (*tx, *id)));
            *horizon = nieuw;
            verder
        }
        Volgpunt::Sqlite { laatste } => {
            let rijen = gebeurtenissen::aanbod_vanaf(conn, None, Some(*laatste))?;
            if let Some(m) = rijen.iter().map(|r| r.1).max() {
                *laatste = m;
            }
            rijen
        }
    };
    let mut gezien = HashSet::new();
    Ok(events.into_iter().map(|e| e.2).filter(|id| gezien.insert(*id)).collect())
}

/// A set of slots.
#[derive(Clone, Default, Debug)]
struct Bits(Vec<u64>);

impl Bits {
    fn zet(&mut self, i: u32) {
        let w = i as usize / 64;
        if w >= self.0.len() {
            self.0.resize(w + 1, 0);
        }
        self.0[w] |= 1 << (i % 64);
    }

    fn wis(&mut self, i: u32) {
        if let Some(w) = self.0.get_mut(i as usize / 64) {
            *w &= !(1 << (i % 64));
        }
    }

    fn en(&mut self, ander: &Bits) {
        for (i, w) in self.0.iter_mut().enumerate() {
            *w &= ander.0.get(i).copied().unwrap_or(0);
        }
    }

    fn of(&mut self, ander: &Bits) {
        if ander.0.len() > self.0.len() {
            self.0.resize(ander.0.len(), 0);
        }
        for (w, a) in self.0.iter_mut().zip(&ander.0) {
            *w |= a;
        }
    }

    fn heeft(&self, i: u32) -> bool {
        self.0.get(i as usize / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    /// Keeps the members for which `houd` holds.
    fn behoud(&mut self, houd: impl Fn(u32) -> bool) {
        for (i, w) in self.0.iter_mut().enumerate() {
            let mut rest = *w;
            while rest != 0 {
                let b = rest.trailing_zeros();
                rest &= rest - 1;
                if !houd(i as u32 * 64 + b) {
                    *w &= !(1 << b);
                }
            }
        }
    }

    /// Removes `ander`'s members.
    fn behalve(&mut self, ander: &Bits) {
        for (w, a) in self.0.iter_mut().zip(&ander.0) {
            *w &= !a;
        }
    }

    fn aantal(&self) -> usize {
        self.0.iter().map(|w| w.count_ones() as usize).sum()
    }

    fn iter(&self) -> impl Iterator<Item = u32> + '_ {
        self.0.iter().enumerate().flat_map(|(i, &w)| {
            let mut rest = w;
            std::iter::from_fn(move || {
                (rest != 0).then(|| {
                    let b = rest.trailing_zeros();
                    rest &= rest - 1;
                    i as u32 * 64 + b
                })
            })
        })
    }
}

/// Interned values of one filter (municipality, language, theme) with the set of offers per value.
#[derive(Default)]
struct Waarden {
    namen: Vec<String>,
    index: HashMap<String, u16>,
    sets: Vec<Bits>,
}

impl Waarden {
    fn id(&mut self, naam: &str) -> u16 {
        if let Some(i) = self.index.get(naam) {
            return *i;
        }
        let i = self.namen.len() as u16;
        self.namen.push(naam.to_string());
        self.index.insert(naam.to_string(), i);
        self.sets.push(Bits::default());
        i
    }

    /// The offers with any of `namen`.
    fn een_van<'a>(&self, namen: impl IntoIterator<Item = &'a String>) -> Bits {
        let mut uit = Bits::default();
        for i in namen.into_iter().filter_map(|n| self.index.get(n.as_str())) {
            uit.of(&self.sets[*i as usize]);
        }
        uit
    }
}

// The criteria flags of an offer: the index of its set in `Inhoud::vlagsets`.
const NL_CONTEXT: usize = 0;
const SOCIALE_PARTICIPATIE: usize = 1;
const IN_GROEP: usize = 2;
const BUITEN_EIGEN_KRING: usize = 3;
const DUURZAAM_CONTACT: usize = 4;
const KOSTELOOS: usize = 5;
const KWALIFICEERT: usize = 6;
const VLAGGEN: usize = 7;

/// What the copy keeps of an offer besides its bitsets and flags.
struct Fiche {
    id: i64,
    gemeente: u16,
    aanbodtype: u8,
    talen: Box<[u16]>,
    organisatie: Option<i64>,
    van: Option<NaiveDate>,
    tot: Option<NaiveDate>,
    lat: f64,
    lon: f64,
    /// Bit `dag * 3 + deel`: a moment on that day of the week overlaps that part of the day.
    momenten: u32,
    /// `gewijzigd_op` in microseconds (exact as an f64 sort key for another 285 years).
    gewijzigd: i64,
    /// The Dutch title (`titel_nl`), by which `sort=titel` orders.
    titel: Box<str>,
    /// What a result shows besides (`AanbodKaart`): the title's translations and the schedule as
    /// stored; empty for a title in Dutch only and for no schedule (most offers).
    vertalingen: Box<str>,
    momentlijst: Box<str>,
}

/// The bits of [`Fiche::momenten`].
const MOMENTBITS: usize = 7 * 3;

/// The bit of (day, part of the day) in [`Fiche::momenten`].
fn momentbit(dag: Weekdag, deel: Dagdeel) -> u32 {
    let d = Weekdag::ALL.iter().position(|w| *w == dag).unwrap_or(0);
    let p = Dagdeel::ALL.iter().position(|x| *x == deel).unwrap_or(0);
    1 << (d * Dagdeel::ALL.len() + p)
}

/// The moments `weekdagen` × `dagdelen` ask for, each empty list meaning any.
fn momentmasker(weekdagen: &[Weekdag], dagdelen: &[Dagdeel]) -> u32 {
    let dagen = if weekdagen.is_empty() { Weekdag::ALL } else { weekdagen };
    let delen = if dagdelen.is_empty() { Dagdeel::ALL } else { dagdelen };
    dagen.iter().flat_map(|d| delen.iter().map(move |p| momentbit(*d, *p))).fold(0, |a, b| a | b)
}

#[derive(Default)]
struct Inhoud {
    slots: HashMap<i64, u32>,
    fiches: Vec<Option<Fiche>>,
    /// Per criteria flag, the offers that have it.
    vlagsets: Vec<Bits>,
    /// Per bit of `Fiche::momenten` (day of the week × part of the day), the offers that have it.
    momentsets: Vec<Bits>,
    levend: Bits,
    gemeenten: Waarden,
    talen: Waarden,
    themas: Waarden,
    /// Per slot, the themes (to clear their bits when the offer changes).
    themas_per_slot: Vec<Box<[u16]>>,
    types: Vec<Bits>,
    /// Per slot, the rank of its title in byte order (equal titles share one): set by `ordenen`.
    titelrang: Vec<u32>,
    /// Every live slot newest first (`-gewijzigdOp`, then id), and by title (then newest id):
    /// set by `ordenen`; a page in these orders of many matches is a walk from the front.
    op_datum: Vec<u32>,
    op_titel: Vec<u32>,
    /// Every live slot by latitude (set by `ordenen`): `near` checks only the band of its radius.
    op_breedte: Vec<(f64, u32)>,
    tekst: Option<tekst::Lezer>,
    /// The text matches of recent word lists, until the next change (`ordenen` clears it):
    /// popular words are searched again and again, and matching one in most of the catalogue
    /// costs more than the rest of the search.
    tekstcache: Mutex<Vec<(Vec<String>, Arc<Teksttreffers>)>>,
}

/// The text matches of a list of words.
struct Teksttreffers {
    bits: Bits,
    /// The BM25 score of each match.
    scores: Scores,
    /// The matches by relevance (score, then newest id).
    op_score: Vec<u32>,
}

/// BM25 scores by slot: one per offer when most offers match, else one per match (a rare word's
/// list stays small, however many word lists are kept).
enum Scores {
    Dicht(Vec<f32>),
    /// By slot.
    Dun(Vec<(u32, f32)>),
}

impl Scores {
    fn van(gevonden: &[(u32, f32)], slots: usize) -> Scores {
        if gevonden.len() * 2 > slots {
            let mut scores = vec![0.0; slots];
            for (slot, score) in gevonden {
                if let Some(s) = scores.get_mut(*slot as usize) {
                    *s = *score;
                }
            }
            Scores::Dicht(scores)
        } else {
            let mut scores = gevonden.to_vec();
            scores.sort_unstable_by_key(|g| g.0);
            Scores::Dun(scores)
        }
    }

    /// The score of `slot` (0 where it does not match).
    fn van_slot(&self, slot: u32) -> f32 {
        match self {
            Scores::Dicht(v) => v.get(slot as usize).copied().unwrap_or(0.0),
            Scores::Dun(v) => v.binary_search_by_key(&slot, |g| g.0).map_or(0.0, |i| v[i].1),
        }
    }
}

/// Word lists whose matches are kept.
const TEKSTCACHE: usize = 16;

impl Inhoud {
    fn zet(&mut self, r: &AanbodRow, tekst: &mut Tekstindex) {
        let slot = match self.slots.get(&r.id) {
            Some(s) => *s,
            None => {
                let s = self.fiches.len() as u32;
                self.fiches.push(None);
                self.themas_per_slot.push(Box::default());
                self.titelrang.push(0);
                self.slots.insert(r.id, s);
                s
            }
        };
        // Not in the text index either when it was not live (new, or taken out by `weg`).
        let nieuw = self.fiches[slot as usize].is_none();
        self.wis(slot);
        let criteria = r.criteria();
        if self.vlagsets.len() < VLAGGEN {
            self.vlagsets.resize(VLAGGEN, Bits::default());
        }
        for (waar, vlag) in [
            (r.nederlandstalige_context, NL_CONTEXT),
            (r.sociale_participatie, SOCIALE_PARTICIPATIE),
            (r.in_groep, IN_GROEP),
            (r.buiten_eigen_kring, BUITEN_EIGEN_KRING),
            (r.duurzaam_contact, DUURZAAM_CONTACT),
            (r.kosteloos, KOSTELOOS),
            (criteria.kwalificeert(), KWALIFICEERT),
        ] {
            if waar {
                self.vlagsets[vlag].zet(slot);
            }
        }
        let gemeente = self.gemeenten.id(r.gemeente.as_str());
        self.gemeenten.sets[gemeente as usize].zet(slot);
        let aanbodtype = Aanbodtype::ALL.iter().position(|t| *t == r.aanbodtype).unwrap_or(0);
        if self.types.len() < Aanbodtype::ALL.len() {
            self.types.resize(Aanbodtype::ALL.len(), Bits::default());
        }
        self.types[aanbodtype].zet(slot);
        let talen: Box<[u16]> =
            r.ondersteuningstalen.split(',').filter(|t| !t.is_empty()).map(|t| self.talen.id(t)).collect();
        for t in &talen {
            self.talen.sets[*t as usize].zet(slot);
        }
        let themas: Vec<String> = serde_json::from_str(&r.themas).unwrap_or_default();
        let themas: Box<[u16]> = themas.iter().map(|t| self.themas.id(t)).collect();
        for t in &themas {
            self.themas.sets[*t as usize].zet(slot);
        }
        self.themas_per_slot[slot as usize] = themas;
        let momenten = serde_json::from_str::<Vec<Moment>>(&r.momenten)
            .unwrap_or_default()
            .iter()
            .filter_map(|m| m.slot())
            .flat_map(|s| {
                Dagdeel::ALL.iter().filter(move |d| d.overlapt(s.van, s.tot)).map(move |d| momentbit(s.weekdag, *d))
            })
            .fold(0, |a, b| a | b);
        if self.momentsets.len() < MOMENTBITS {
            self.momentsets.resize(MOMENTBITS, Bits::default());
        }
        for (i, set) in self.momentsets.iter_mut().enumerate() {
            if momenten & (1 << i) != 0 {
                set.zet(slot);
            }
        }
        self.fiches[slot as usize] = Some(Fiche {
            id: r.id,
            gemeente,
            aanbodtype: aanbodtype as u8,
            talen,
            organisatie: r.organisatie_id,
            van: r.periode_van,
            tot: r.periode_tot,
            lat: r.lat,
            lon: r.lon,
            momenten,
            gewijzigd: r.gewijzigd_op.and_utc().timestamp_micros(),
            titel: r.titel_nl.clone().into_boxed_str(),
            vertalingen: if r.titel == alleen_nl(&r.titel_nl) { Box::default() } else { r.titel.clone().into() },
            momentlijst: if r.momenten == "[]" { Box::default() } else { r.momenten.clone().into() },
        });
        self.levend.zet(slot);
        if let Err(e) = tekst.zet(r.id, slot, &r.zoektekst, nieuw) {
            log::error!("search index: offer {}: {e}", r.id);
        }
    }

    fn weg(&mut self, id: i64, tekst: &mut Tekstindex) {
        if let Some(slot) = self.slots.get(&id).copied() {
            self.wis(slot);
        }
        if let Err(e) = tekst.verwijder(id) {
            log::error!("search index: offer {id}: {e}");
        }
    }

    /// What a result shows of the live offer at `slot`.
    fn kaart(&self, slot: u32) -> AanbodKaart {
        let f = self.fiches[slot as usize].as_ref().expect("a match is a live offer");
        let vlag = |v: usize| self.vlagsets.get(v).is_some_and(|b| b.heeft(slot));
        AanbodKaart {
            id: f.id,
            titel: if f.vertalingen.is_empty() {
                [("nl".to_string(), f.titel.to_string())].into()
            } else {
                serde_json::from_str(&f.vertalingen).unwrap_or_default()
            },
            aanbodtype: Aanbodtype::ALL[f.aanbodtype as usize],
            gemeente: self.gemeenten.namen[f.gemeente as usize].clone(),
            status: AanbodStatus::Gepubliceerd,
            in_groep: vlag(IN_GROEP),
            kwalificeert: vlag(KWALIFICEERT),
            periode_van: f.van,
            periode_tot: f.tot,
            momenten: if f.momentlijst.is_empty() {
                Vec::new()
            } else {
                serde_json::from_str(&f.momentlijst).unwrap_or_default()
            },
            lat: f.lat,
            lon: f.lon,
            gewijzigd_op: chrono::DateTime::from_timestamp_micros(f.gewijzigd).unwrap_or_default().naive_utc(),
        }
    }

    /// Takes the offer at `slot` out of every set.
    fn wis(&mut self, slot: u32) {
        let Some(f) = self.fiches[slot as usize].take() else { return };
        self.levend.wis(slot);
        for set in self.vlagsets.iter_mut().chain(&mut self.momentsets) {
            set.wis(slot);
        }
        self.gemeenten.sets[f.gemeente as usize].wis(slot);
        self.types[f.aanbodtype as usize].wis(slot);
        for t in f.talen.iter() {
            self.talen.sets[*t as usize].wis(slot);
        }
        for t in std::mem::take(&mut self.themas_per_slot[slot as usize]).iter() {
            self.themas.sets[*t as usize].wis(slot);
        }
    }

    /// Ranks the titles and orders the slots anew after changes (sorts of every offer:
    /// milliseconds at 50,000), and forgets the cached text matches.
    fn ordenen(&mut self) {
        let mut slots: Vec<u32> = self.levend.iter().collect();
        let fiche = |s: &u32| self.fiches[*s as usize].as_ref().expect("a live slot");
        slots.sort_unstable_by(|a, b| fiche(a).titel.cmp(&fiche(b).titel));
        let mut rang = 0;
        for (i, s) in slots.iter().enumerate() {
            if i > 0 && fiche(s).titel != fiche(&slots[i - 1]).titel {
                rang += 1;
            }
            self.titelrang[*s as usize] = rang;
        }
        let titelrang = &self.titelrang;
        slots.sort_unstable_by(|a, b| {
            titelrang[*a as usize].cmp(&titelrang[*b as usize]).then(fiche(b).id.cmp(&fiche(a).id))
        });
        self.op_titel = slots.clone();
        slots.sort_unstable_by_key(|s| std::cmp::Reverse((fiche(s).gewijzigd, fiche(s).id)));
        self.op_breedte = slots.iter().map(|s| (fiche(s).lat, *s)).collect();
        self.op_breedte.sort_unstable_by(|a, b| a.0.total_cmp(&b.0));
        self.op_datum = slots;
        self.tekstcache.lock().unwrap_or_else(|e| e.into_inner()).clear();
    }

    /// The offers matching `woorden` with their scores (`None` without words).
    fn tekst_treffers(&self, woorden: &[String]) -> Option<Arc<Teksttreffers>> {
        if woorden.is_empty() {
            return None;
        }
        let mut cache = self.tekstcache.lock().unwrap_or_else(|e| e.into_inner());
        if let Some(i) = cache.iter().position(|(w, _)| w == woorden) {
            let hit = cache.remove(i);
            cache.insert(0, hit.clone());
            return Some(hit.1);
        }
        drop(cache);
        let gevonden = self.tekst.as_ref().map(|t| t.zoek(woorden)).unwrap_or_default();
        let mut bits = Bits::default();
        for (slot, _) in &gevonden {
            bits.zet(*slot);
        }
        let id = |s: u32| self.fiches[s as usize].as_ref().map_or(0, |f| f.id);
        let mut op_score = gevonden.clone();
        op_score.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(id(b.0).cmp(&id(a.0))));
        let op_score = op_score.into_iter().map(|g| g.0).collect();
        let scores = Scores::van(&gevonden, self.fiches.len());
        let t = Arc::new(Teksttreffers { bits, scores, op_score });
        let mut cache = self.tekstcache.lock().unwrap_or_else(|e| e.into_inner());
        cache.insert(0, (woorden.to_vec(), t.clone()));
        cache.truncate(TEKSTCACHE);
        Some(t)
    }

    /// The offers matching `z`, given the matches of its words (`tekst_treffers`).
    fn treffers(&self, z: &Zoekopdracht, tekst: Option<&Teksttreffers>) -> Bits {
        if z.niets {
            return Bits::default();
        }
        let mut b = self.levend.clone();
        if !z.gemeenten.is_empty() {
            b.en(&self.gemeenten.een_van(&z.gemeenten));
        }
        if !z.types.is_empty() {
            let mut t = Bits::default();
            for a in &z.types {
                if let Some(i) = Aanbodtype::ALL.iter().position(|x| x == a) {
                    t.of(self.types.get(i).unwrap_or(&Bits::default()));
                }
            }
            b.en(&t);
        }
        if !z.talen.is_empty() {
            b.en(&self.talen.een_van(&z.talen));
        }
        if !z.themas.is_empty() {
            b.en(&self.themas.een_van(&z.themas));
        }
        if !z.woorden.is_empty() {
            b.en(tekst.map(|t| &t.bits).unwrap_or(&Bits::default()));
        }
        for (waarde, vlag) in [
            (z.nederlandstalige_context, NL_CONTEXT),
            (z.in_groep, IN_GROEP),
            (z.buiten_eigen_kring, BUITEN_EIGEN_KRING),
            (z.duurzaam_contact, DUURZAAM_CONTACT),
            (z.kosteloos, KOSTELOOS),
            (z.kwalificeert, KWALIFICEERT),
        ] {
            match (waarde, self.vlagsets.get(vlag)) {
                (Some(true), Some(set)) => b.en(set),
                (Some(true), None) => b = Bits::default(),
                (Some(false), Some(set)) => b.behalve(set),
                _ => {}
            }
        }
        if !z.weekdagen.is_empty() || !z.dagdelen.is_empty() {
            let masker = momentmasker(&z.weekdagen, &z.dagdelen);
            let mut m = Bits::default();
            for (i, set) in self.momentsets.iter().enumerate() {
                if masker & (1 << i) != 0 {
                    m.of(set);
                }
            }
            b.en(&m);
        }
        if let Some(o) = &z.omtrek {
            // Within the radius means within its band of latitude: only that band is checked.
            let halve = o.max_kwadraat.sqrt() * (1.0 + 1e-9) + 1e-12;
            let begin = self.op_breedte.partition_point(|(lat, _)| *lat < o.centrum.lat - halve);
            let mut kring = Bits::default();
            for (lat, s) in &self.op_breedte[begin..] {
                if *lat > o.centrum.lat + halve {
                    break;
                }
                if self.fiches[*s as usize].as_ref().is_some_and(|f| afstand_kwadraat(f, o) <= o.max_kwadraat) {
                    kring.zet(*s);
                }
            }
            b.en(&kring);
        }
        // The rest is a check per remaining candidate.
        if z.organisatie.is_some() || z.beschikbaar_op.is_some() {
            b.behoud(|s| {
                let Some(f) = &self.fiches[s as usize] else { return false };
                z.organisatie.is_none_or(|o| f.organisatie == Some(o))
                    && z.beschikbaar_op.is_none_or(|d| f.van.is_none_or(|v| v <= d) && f.tot.is_none_or(|t| t >= d))
            });
        }
        b
    }

    /// The slots of the page, ordered as the SQL search orders (`repo::aanbod`'s `ordered!`):
    /// the requested keys, then newest id first.
    fn pagina(
        &self,
        z: &Zoekopdracht,
        treffers: &Bits,
        total: usize,
        tekst: Option<&Teksttreffers>,
        offset: usize,
        limit: usize,
    ) -> Vec<u32> {
        let sortering = if z.sortering.is_empty() {
            if z.woorden.is_empty() { vec![Sortering::GewijzigdAflopend] } else { vec![Sortering::Relevantie] }
        } else {
            z.sortering.clone()
        };
        let fiche = |s: u32| self.fiches[s as usize].as_ref().expect("a match is a live offer");
        // One key with a kept order and dense matches: the page is a walk from the front.
        let volgorde = match sortering.as_slice() {
            [Sortering::GewijzigdAflopend] => Some(&self.op_datum),
            [Sortering::Titel] => Some(&self.op_titel),
            [Sortering::Relevantie] => tekst.map(|t| &t.op_score),
            _ => None,
        };
        // The walk reads about (offset + limit) × offers / matches entries; a selection touches
        // every match.
        let walk = offset.saturating_add(limit).saturating_mul(self.op_datum.len()) / total.max(1);
        if let Some(volgorde) = volgorde
            && walk <= total
        {
            return volgorde.iter().filter(|s| treffers.heeft(**s)).skip(offset).take(limit).copied().collect();
        }
        let score = |s: u32| tekst.map_or(0.0, |t| t.scores.van_slot(s));
        // Each key as a number, smaller first.
        let sleutel = |s: &Sortering, slot: u32| -> f64 {
            let f = fiche(slot);
            match s {
                Sortering::GewijzigdAflopend => -(f.gewijzigd as f64),
                Sortering::GewijzigdOplopend => f.gewijzigd as f64,
                Sortering::Titel => f64::from(self.titelrang[slot as usize]),
                Sortering::TitelAflopend => -f64::from(self.titelrang[slot as usize]),
                Sortering::Afstand => z.omtrek.as_ref().map_or(0.0, |o| afstand_kwadraat(f, o)),
                Sortering::Relevantie => -f64::from(score(slot)),
            }
        };
        let vergelijk = |a: &(f64, u32), b: &(f64, u32)| -> Orde {
            a.0.total_cmp(&b.0)
                .then_with(|| {
                    for s in &sortering[1..] {
                        let o = sleutel(s, a.1).total_cmp(&sleutel(s, b.1));
                        if o != Orde::Equal {
                            return o;
                        }
                    }
                    Orde::Equal
                })
                .then_with(|| fiche(b.1).id.cmp(&fiche(a.1).id))
        };
        // The first key computed once per match, in one array: the sort then stays in cache.
        let mut slots: Vec<(f64, u32)> = treffers.iter().map(|s| (sleutel(&sortering[0], s), s)).collect();
        let einde = offset.saturating_add(limit).min(slots.len());
        if offset >= einde {
            return Vec::new();
        }
        // Only the first `einde` need their order: select them, then sort those.
        if einde < slots.len() {
            slots.select_nth_unstable_by(einde - 1, vergelijk);
            slots.truncate(einde);
        }
        slots.sort_unstable_by(vergelijk);
        slots[offset..].iter().map(|s| s.1).collect()
    }

    /// The number of `treffers` per value of `groep` (values without offers left out).
    fn tel(&self, treffers: &Bits, groep: Groepering, dagdelen: &[Dagdeel]) -> Vec<(String, i64)> {
        let mut tellers: Vec<i64> = Vec::new();
        let mut tel = |i: usize| {
            if tellers.len() <= i {
                tellers.resize(i + 1, 0);
            }
            tellers[i] += 1;
        };
        let dagen: Vec<u32> = Weekdag::ALL.iter().map(|d| momentmasker(&[*d], dagdelen)).collect();
        for s in treffers.iter() {
            let Some(f) = &self.fiches[s as usize] else { continue };
            match groep {
                Groepering::Aanbodtype => tel(f.aanbodtype as usize),
                Groepering::Gemeente => tel(f.gemeente as usize),
                Groepering::Taal => f.talen.iter().for_each(|t| tel(*t as usize)),
                Groepering::Weekdag => {
                    for (i, m) in dagen.iter().enumerate() {
                        if f.momenten & m != 0 {
                            tel(i);
                        }
                    }
                }
            }
        }
        let naam = |i: usize| -> String {
            match groep {
                Groepering::Aanbodtype => Aanbodtype::ALL[i].as_str().to_string(),
                Groepering::Gemeente => self.gemeenten.namen[i].clone(),
                Groepering::Taal => self.talen.namen[i].clone(),
                Groepering::Weekdag => Weekdag::ALL[i].as_str().to_string(),
            }
        };
        tellers.iter().enumerate().filter(|(_, n)| **n > 0).map(|(i, n)| (naam(i), *n)).collect()
    }
}

/// The stored translations of a title that has only its Dutch one.
fn alleen_nl(titel: &str) -> String {
    serde_json::json!({ "nl": titel }).to_string()
}

/// The squared distance of `repo::aanbod`'s `afstand_kwadraat!`, in degrees of latitude.
fn afstand_kwadraat(f: &Fiche, o: &crate::domain::geo::Omtrek) -> f64 {
    let (dlat, dlon) = (f.lat - o.centrum.lat, (f.lon - o.centrum.lon) * o.lon_schaal);
    dlat * dlat + dlon * dlon
}
