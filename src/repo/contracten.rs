//! Inburgeringscontracten and their change history: storage, the visibility filter of R15 in
//! SQL, the worklist filters, and the conversion between rows and the rules' `ContractStaat`.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;

use crate::db::schema::{contractwijzigingen, inburgeraars, inburgeringscontracten};
use crate::db::{DbConn, MultiBackend};
use crate::domain::contract::{
    ContractStaat, ContractStatus, PijlerStatus, Pijlers, Sanctie, Tewerkstelling, Vrijstelling, VrijstellingReden,
};
use crate::domain::inburgeraar::Statuut;
use crate::domain::toegang::Zicht;

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = inburgeringscontracten)]
pub struct ContractRow {
    pub id: i64,
    pub inburgeraar_id: i64,
    pub trajectbegeleider: String,
    pub ondertekend_op: NaiveDate,
    pub termijn_einde: NaiveDate,
    pub statuut: String,
    pub pnt_opgenomen: bool,
    pub pnt_vereiste_uren: i32,
    pub vrijstelling_reden: Option<String>,
    pub vrijstelling_bewijs: Option<String>,
    pub vrijstelling_details: Option<String>,
    pub vrijstelling_tewerkstelling: Option<String>,
    pub vrijstelling_toegekend_op: Option<NaiveDate>,
    pub pijler_maatschappelijke_orientatie: String,
    pub pijler_nederlands: String,
    pub pijler_werk: String,
    pub status: String,
    pub attest_uitgereikt_op: Option<NaiveDate>,
    pub stopgezet_op: Option<NaiveDate>,
    pub sanctie_categorie: Option<i32>,
    pub sanctie_bedrag_cent: Option<i64>,
    pub sanctie_opgelegd_op: Option<NaiveDate>,
    pub sanctie_termijn_einde: Option<NaiveDate>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

/// The newcomer a contract belongs to, as far as a contract shows them.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = inburgeraars)]
pub struct PersoonRef {
    pub id: i64,
    pub dossiernummer: String,
    pub voornaam: String,
    pub achternaam: String,
    pub gemeente: String,
    pub trajectbegeleider: String,
    pub gebruiker_id: Option<String>,
}

/// A stored value the code does not know: a bug or a hand-edited row, never the client's fault.
fn onbekend(kolom: &str, waarde: &str) -> diesel::result::Error {
    diesel::result::Error::DeserializationError(format!("unknown {kolom} value '{waarde}'").into())
}

fn parse<T>(kolom: &str, waarde: &str, f: fn(&str) -> Option<T>) -> QueryResult<T> {
    f(waarde).ok_or_else(|| onbekend(kolom, waarde))
}

impl ContractRow {
    pub fn statuut(&self) -> QueryResult<Statuut> {
        parse("statuut", &self.statuut, Statuut::parse)
    }

    pub fn status(&self) -> QueryResult<ContractStatus> {
        parse("status", &self.status, ContractStatus::parse)
    }

    /// The contract as the rules see it.
    pub fn staat(&self) -> QueryResult<ContractStaat> {
        let vrijstelling = match (&self.vrijstelling_reden, &self.vrijstelling_bewijs) {
            (Some(reden), Some(bewijs)) => Some(Vrijstelling {
                reden: parse("vrijstelling_reden", reden, VrijstellingReden::parse)?,
                bewijs: bewijs.clone(),
                details: self.vrijstelling_details.clone(),
                tewerkstelling: match &self.vrijstelling_tewerkstelling {
                    Some(json) => Some(
                        serde_json::from_str::<Tewerkstelling>(json)
                            .map_err(|e| diesel::result::Error::DeserializationError(Box::new(e)))?,
                    ),
                    None => None,
                },
            }),
            _ => None,
        };
        let sanctie = match (
            self.sanctie_categorie,
            self.sanctie_bedrag_cent,
            self.sanctie_opgelegd_op,
            self.sanctie_termijn_einde,
        ) {
            (Some(c), Some(b), Some(op), Some(t)) => Some(Sanctie {
                categorie: u8::try_from(c).map_err(|_| onbekend("sanctie_categorie", &c.to_string()))?,
                bedrag_cent: b,
                opgelegd_op: op,
                termijn_einde: t,
            }),
            _ => None,
        };
        let pijler = |kolom: &str, v: &str| parse(kolom, v, PijlerStatus::parse);
        Ok(ContractStaat {
            statuut: self.statuut()?,
            status: self.status()?,
            ondertekend_op: self.ondertekend_op,
            termijn_einde: self.termijn_einde,
            pnt_opgenomen: self.pnt_opgenomen,
            vereiste_uren: u32::try_from(self.pnt_vereiste_uren).unwrap_or(0),
            vrijstelling,
            vrijstelling_toegekend_op: self.vrijstelling_toegekend_op,
            pijlers: Pijlers {
                maatschappelijke_orientatie: pijler(
                    "pijler_maatschappelijke_orientatie",
                    &self.pijler_maatschappelijke_orientatie,
                )?,
                nederlands: pijler("pijler_nederlands", &self.pijler_nederlands)?,
                werk: pijler("pijler_werk", &self.pijler_werk)?,
            },
            attest_uitgereikt_op: self.attest_uitgereikt_op,
            stopgezet_op: self.stopgezet_op,
            sanctie,
        })
    }
}

/// The columns a contract change may alter: everything the rules' state holds. Written whole
/// after every change, so the row always equals the state the rules produced.
#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = inburgeringscontracten, treat_none_as_null = true)]
pub struct StaatWaarden {
    pub termijn_einde: NaiveDate,
    pub pnt_opgenomen: bool,
    pub pnt_vereiste_uren: i32,
    pub vrijstelling_reden: Option<String>,
    pub vrijstelling_bewijs: Option<String>,
    pub vrijstelling_details: Option<String>,
    pub vrijstelling_tewerkstelling: Option<String>,
    pub vrijstelling_toegekend_op: Option<NaiveDate>,
    pub pijler_maatschappelijke_orientatie: String,
    pub pijler_nederlands: String,
    pub pijler_werk: String,
    pub status: String,
    pub attest_uitgereikt_op: Option<NaiveDate>,
    pub stopgezet_op: Option<NaiveDate>,
    pub sanctie_categorie: Option<i32>,
    pub sanctie_bedrag_cent: Option<i64>,
    pub sanctie_opgelegd_op: Option<NaiveDate>,
    pub sanctie_termijn_einde: Option<NaiveDate>,
}

impl From<&ContractStaat> for StaatWaarden {
    fn from(s: &ContractStaat) -> Self {
        let v = s.vrijstelling.as_ref();
        StaatWaarden {
            termijn_einde: s.termijn_einde,
            pnt_opgenomen: s.pnt_opgenomen,
            pnt_vereiste_uren: i32::try_from(s.vereiste_uren).unwrap_or(i32::MAX),
            vrijstelling_reden: v.map(|v| v.reden.as_str().to_string()),
            vrijstelling_bewijs: v.map(|v| v.bewijs.clone()),
            vrijstelling_details: v.and_then(|v| v.details.clone()),
            vrijstelling_tewerkstelling: v
                .and_then(|v| v.tewerkstelling.as_ref())
                .map(|t| serde_json::to_string(t).unwrap_or_default()),
            vrijstelling_toegekend_op: s.vrijstelling_toegekend_op,
            pijler_maatschappelijke_orientatie: s.pijlers.maatschappelijke_orientatie.as_str().to_string(),
            pijler_nederlands: s.pijlers.nederlands.as_str().to_string(),
            pijler_werk: s.pijlers.werk.as_str().to_string(),
            status: s.status.as_str().to_string(),
            attest_uitgereikt_op: s.attest_uitgereikt_op,
            stopgezet_op: s.stopgezet_op,
            sanctie_categorie: s.sanctie.map(|x| i32::from(x.categorie)),
            sanctie_bedrag_cent: s.sanctie.map(|x| x.bedrag_cent),
            sanctie_opgelegd_op: s.sanctie.map(|x| x.opgelegd_op),
            sanctie_termijn_einde: s.sanctie.map(|x| x.termijn_einde),
        }
    }
}

/// Stores a new contract in state `staat`; returns its id. The state columns are written by
/// the same struct the changes use, so a new contract and a changed one are stored alike.
pub fn insert(
    conn: &mut DbConn,
    inburgeraar_id: i64,
    trajectbegeleider: &str,
    staat: &ContractStaat,
    nu: NaiveDateTime,
) -> QueryResult<i64> {
    diesel::insert_into(inburgeringscontracten::table)
        .values((
            &StaatWaarden::from(staat),
            inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id),
            inburgeringscontracten::trajectbegeleider.eq(trajectbegeleider),
            inburgeringscontracten::ondertekend_op.eq(staat.ondertekend_op),
            inburgeringscontracten::statuut.eq(staat.statuut.as_str()),
            inburgeringscontracten::versie.eq(1),
            inburgeringscontracten::aangemaakt_op.eq(nu),
            inburgeringscontracten::gewijzigd_op.eq(nu),
        ))
        .returning(inburgeringscontracten::id)
        .get_result(conn)
}

/// Writes the state a change produced, only if the stored version is `versie`. Returns the
/// number of rows changed: 0 means the version moved (or the row is gone).
pub fn update_staat(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    staat: &ContractStaat,
    nu: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        inburgeringscontracten::table
            .filter(inburgeringscontracten::id.eq(id))
            .filter(inburgeringscontracten::versie.eq(versie)),
    )
    .set((
        &StaatWaarden::from(staat),
        inburgeringscontracten::versie.eq(inburgeringscontracten::versie + 1),
        inburgeringscontracten::gewijzigd_op.eq(nu),
    ))
    .execute(conn)
}

/// Reassigns a contract, only if the stored version is `versie`.
pub fn set_trajectbegeleider(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    tb: &str,
    nu: NaiveDateTime,
) -> QueryResult<usize> {
    diesel::update(
        inburgeringscontracten::table
            .filter(inburgeringscontracten::id.eq(id))
            .filter(inburgeringscontracten::versie.eq(versie)),
    )
    .set((
        inburgeringscontracten::trajectbegeleider.eq(tb),
        inburgeringscontracten::versie.eq(inburgeringscontracten::versie + 1),
        inburgeringscontracten::gewijzigd_op.eq(nu),
    ))
    .execute(conn)
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<ContractRow>> {
    inburgeringscontracten::table.find(id).select(ContractRow::as_select()).first(conn).optional()
}

/// The running (`lopend` or `verlengd`) contract of a newcomer, if any.
pub fn lopend_van(conn: &mut DbConn, inburgeraar_id: i64) -> QueryResult<Option<ContractRow>> {
    inburgeringscontracten::table
        .filter(inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id))
        .filter(inburgeringscontracten::status.eq_any(ContractStatus::LOPEND.map(|s| s.as_str())))
        .select(ContractRow::as_select())
        .first(conn)
        .optional()
}

type Joined = diesel::dsl::InnerJoin<inburgeringscontracten::table, inburgeraars::table>;
type Boxed<'a> = diesel::dsl::IntoBoxed<'a, Joined, MultiBackend>;
type JoinedSource = diesel::dsl::InnerJoinQuerySource<inburgeringscontracten::table, inburgeraars::table>;
type Predicate = Box<dyn BoxableExpression<JoinedSource, MultiBackend, SqlType = diesel::sql_types::Bool>>;

/// R15 in SQL: the contracts `zicht` may see.
fn zichtbaar<'a>(query: Boxed<'a>, zicht: &Zicht) -> Boxed<'a> {
    if zicht.alles {
        return query;
    }
    let mut predicates: Vec<Predicate> = Vec::new();
    if let Some(tb) = &zicht.caseload {
        predicates.push(Box::new(inburgeringscontracten::trajectbegeleider.eq(tb.clone())));
    }
    if let Some(sub) = &zicht.eigen {
        predicates.push(Box::new(inburgeraars::gebruiker_id.assume_not_null().eq(sub.clone())));
    }
    match predicates.into_iter().reduce(|a, b| Box::new(a.or(b))) {
        Some(p) => query.filter(p),
        None => query.filter(not(inburgeringscontracten::id.eq(inburgeringscontracten::id))),
    }
}

fn joined() -> Boxed<'static> {
    inburgeringscontracten::table.inner_join(inburgeraars::table).into_boxed()
}

/// The contract and its newcomer, if `zicht` may see the contract.
pub fn find_zichtbaar(conn: &mut DbConn, zicht: &Zicht, id: i64) -> QueryResult<Option<(ContractRow, PersoonRef)>> {
    zichtbaar(joined(), zicht)
        .filter(inburgeringscontracten::id.eq(id))
        .select((ContractRow::as_select(), PersoonRef::as_select()))
        .first(conn)
        .optional()
}

/// The worklist filters that SQL answers; risk and percentage are computed afterwards.
#[derive(Default, Debug, Clone)]
pub struct ContractFilter {
    pub trajectbegeleiders: Vec<String>,
    pub statussen: Vec<String>,
    pub gemeenten: Vec<String>,
    pub statuut: Option<String>,
    pub pnt_opgenomen: Option<bool>,
    /// Term ends strictly before this date.
    pub termijn_voor: Option<NaiveDate>,
    pub inburgeraars: Vec<i64>,
}

fn gefilterd(zicht: &Zicht, f: &ContractFilter) -> Boxed<'static> {
    let mut q = zichtbaar(joined(), zicht);
    if !f.trajectbegeleiders.is_empty() {
        q = q.filter(inburgeringscontracten::trajectbegeleider.eq_any(f.trajectbegeleiders.clone()));
    }
    if !f.statussen.is_empty() {
        q = q.filter(inburgeringscontracten::status.eq_any(f.statussen.clone()));
    }
    if !f.gemeenten.is_empty() {
        q = q.filter(inburgeraars::gemeente.eq_any(f.gemeenten.clone()));
    }
    if let Some(s) = &f.statuut {
        q = q.filter(inburgeringscontracten::statuut.eq(s.clone()));
    }
    if let Some(p) = f.pnt_opgenomen {
        q = q.filter(inburgeringscontracten::pnt_opgenomen.eq(p));
    }
    if let Some(d) = f.termijn_voor {
        q = q.filter(inburgeringscontracten::termijn_einde.lt(d));
    }
    if !f.inburgeraars.is_empty() {
        q = q.filter(inburgeringscontracten::inburgeraar_id.eq_any(f.inburgeraars.clone()));
    }
    q
}

/// Order of a contract list in SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SqlSort {
    TermijnEinde,
    TermijnEindeDesc,
}

/// The contracts `zicht` may see that match `f`, ordered by term (then id). With `page`
/// (offset, limit) one page and the total; without, every match (for computed filters).
pub fn list(
    conn: &mut DbConn,
    zicht: &Zicht,
    f: &ContractFilter,
    sort: SqlSort,
    page: Option<(i64, i64)>,
) -> QueryResult<(Vec<(ContractRow, PersoonRef)>, i64)> {
    let mut q = gefilterd(zicht, f);
    q = match sort {
        SqlSort::TermijnEinde => {
            q.order((inburgeringscontracten::termijn_einde.asc(), inburgeringscontracten::id.asc()))
        }
        SqlSort::TermijnEindeDesc => {
            q.order((inburgeringscontracten::termijn_einde.desc(), inburgeringscontracten::id.asc()))
        }
    };
    if let Some((offset, limit)) = page {
        q = q.offset(offset).limit(limit);
    }
    let rows: Vec<(ContractRow, PersoonRef)> =
        q.select((ContractRow::as_select(), PersoonRef::as_select())).load(conn)?;
    let total = match page {
        Some(_) => gefilterd(zicht, f).count().get_result(conn)?,
        None => rows.len() as i64,
    };
    Ok((rows, total))
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = contractwijzigingen)]
pub struct WijzigingRow {
    pub id: i64,
    pub contract_id: i64,
    pub soort: String,
    pub op: NaiveDateTime,
    pub door: String,
    pub door_rollen: String,
    pub reden: Option<String>,
    pub gegevens: String,
    pub contract_versie: i64,
}

/// Appends a change to a contract's history; returns its id.
#[allow(clippy::too_many_arguments)]
pub fn insert_wijziging(
    conn: &mut DbConn,
    contract_id: i64,
    soort: &str,
    op: NaiveDateTime,
    door: &str,
    door_rollen: &str,
    reden: Option<&str>,
    gegevens: &str,
    contract_versie: i64,
) -> QueryResult<i64> {
    diesel::insert_into(contractwijzigingen::table)
        .values((
            contractwijzigingen::contract_id.eq(contract_id),
            contractwijzigingen::soort.eq(soort),
            contractwijzigingen::op.eq(op),
            contractwijzigingen::door.eq(door),
            contractwijzigingen::door_rollen.eq(door_rollen),
            contractwijzigingen::reden.eq(reden),
            contractwijzigingen::gegevens.eq(gegevens),
            contractwijzigingen::contract_versie.eq(contract_versie),
        ))
        .returning(contractwijzigingen::id)
        .get_result(conn)
}

/// A page of a contract's history, oldest first.
pub fn wijzigingen(
    conn: &mut DbConn,
    contract_id: i64,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<WijzigingRow>, i64)> {
    let total =
        contractwijzigingen::table.filter(contractwijzigingen::contract_id.eq(contract_id)).count().get_result(conn)?;
    let rows = contractwijzigingen::table
        .filter(contractwijzigingen::contract_id.eq(contract_id))
        .order(contractwijzigingen::id.asc())
        .offset(offset)
        .limit(limit)
        .select(WijzigingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn wijziging(conn: &mut DbConn, contract_id: i64, id: i64) -> QueryResult<Option<WijzigingRow>> {
    contractwijzigingen::table
        .filter(contractwijzigingen::contract_id.eq(contract_id))
        .filter(contractwijzigingen::id.eq(id))
        .select(WijzigingRow::as_select())
        .first(conn)
        .optional()
}
