//! Inburgeringscontracten and their change history: storage, the visibility filter of R15 in
//! SQL, the worklist filters, and the conversion between rows and the rules' `ContractStaat`.
//! Every read of a contract takes the caller's [`Zicht`], every read of its history a contract
//! read that way; a write returns the row as stored.

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::not;
use diesel::prelude::*;

use crate::app::document::Document;
use crate::db::schema::{contractwijzigingen, inburgeraars, inburgeringscontracten};
use crate::db::{DbConn, MultiBackend};
use crate::domain::contract::{
    ContractStaat, ContractStatus, PijlerStatus, Pijlers, Sanctie, Tewerkstelling, Vrijstelling, VrijstellingReden,
    WijzigingEffect, WijzigingSoort,
};
use crate::domain::inburgeraar::Statuut;
use crate::domain::nis::NisCode;
use crate::domain::toegang::Zicht;
pub use crate::repo::Json;
use crate::repo::inburgeraars::InburgeraarRow;

/// The audit log's resource type for contracts.
pub const RESOURCE: &str = "inburgeringscontract";

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = inburgeringscontracten)]
pub struct ContractRow {
    pub id: i64,
    pub inburgeraar_id: i64,
    pub trajectbegeleider: String,
    pub ondertekend_op: NaiveDate,
    pub termijn_einde: NaiveDate,
    pub statuut: Statuut,
    pub pnt_opgenomen: bool,
    pub pnt_vereiste_uren: i32,
    pub vrijstelling_reden: Option<VrijstellingReden>,
    pub vrijstelling_bewijs: Option<String>,
    pub vrijstelling_details: Option<String>,
    pub vrijstelling_tewerkstelling: Option<Json<Tewerkstelling>>,
    pub vrijstelling_toegekend_op: Option<NaiveDate>,
    pub pijler_maatschappelijke_orientatie: PijlerStatus,
    pub pijler_nederlands: PijlerStatus,
    pub pijler_werk: PijlerStatus,
    pub status: ContractStatus,
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

impl Document for ContractRow {
    const RESOURCE: &'static str = RESOURCE;

    fn key(&self) -> String {
        self.id.to_string()
    }

    fn version(&self) -> i64 {
        self.versie
    }
}

/// The newcomer a contract belongs to, as far as a contract shows them.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = inburgeraars)]
pub struct PersoonRef {
    pub id: i64,
    pub dossiernummer: String,
    pub voornaam: String,
    pub achternaam: String,
    pub gemeente: NisCode,
    pub trajectbegeleider: String,
    pub gebruiker_id: Option<String>,
    /// The newcomer's own address: a signing link sent there proves nothing (R20).
    pub email: Option<String>,
}

impl From<&InburgeraarRow> for PersoonRef {
    fn from(r: &InburgeraarRow) -> Self {
        PersoonRef {
            id: r.id,
            dossiernummer: r.dossiernummer.clone(),
            voornaam: r.voornaam.clone(),
            achternaam: r.achternaam.clone(),
            gemeente: r.gemeente.clone(),
            trajectbegeleider: r.trajectbegeleider.clone(),
            gebruiker_id: r.gebruiker_id.clone(),
            email: r.email.clone(),
        }
    }
}

impl ContractRow {
    /// The contract as the rules see it.
    pub fn staat(&self) -> ContractStaat {
        let vrijstelling = match (self.vrijstelling_reden, &self.vrijstelling_bewijs) {
            (Some(reden), Some(bewijs)) => Some(Vrijstelling {
                reden,
                bewijs: bewijs.clone(),
                details: self.vrijstelling_details.clone(),
                tewerkstelling: self.vrijstelling_tewerkstelling.clone().map(|t| t.0),
            }),
            _ => None,
        };
        let sanctie = match (
            self.sanctie_categorie,
            self.sanctie_bedrag_cent,
            self.sanctie_opgelegd_op,
            self.sanctie_termijn_einde,
        ) {
            // The rules store categories 1–4 only.
            (Some(c), Some(b), Some(op), Some(t)) => Some(Sanctie {
                categorie: u8::try_from(c).unwrap_or(u8::MAX),
                bedrag_cent: b,
                opgelegd_op: op,
                termijn_einde: t,
            }),
            _ => None,
        };
        ContractStaat {
            statuut: self.statuut,
            status: self.status,
            ondertekend_op: self.ondertekend_op,
            termijn_einde: self.termijn_einde,
            pnt_opgenomen: self.pnt_opgenomen,
            vereiste_uren: u32::try_from(self.pnt_vereiste_uren).unwrap_or(0),
            vrijstelling,
            vrijstelling_toegekend_op: self.vrijstelling_toegekend_op,
            pijlers: Pijlers {
                maatschappelijke_orientatie: self.pijler_maatschappelijke_orientatie,
                nederlands: self.pijler_nederlands,
                werk: self.pijler_werk,
            },
            attest_uitgereikt_op: self.attest_uitgereikt_op,
            stopgezet_op: self.stopgezet_op,
            sanctie,
        }
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
    pub vrijstelling_reden: Option<VrijstellingReden>,
    pub vrijstelling_bewijs: Option<String>,
    pub vrijstelling_details: Option<String>,
    pub vrijstelling_tewerkstelling: Option<String>,
    pub vrijstelling_toegekend_op: Option<NaiveDate>,
    pub pijler_maatschappelijke_orientatie: PijlerStatus,
    pub pijler_nederlands: PijlerStatus,
    pub pijler_werk: PijlerStatus,
    pub status: ContractStatus,
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
            vrijstelling_reden: v.map(|v| v.reden),
            vrijstelling_bewijs: v.map(|v| v.bewijs.clone()),
            vrijstelling_details: v.and_then(|v| v.details.clone()),
            vrijstelling_tewerkstelling: v
                .and_then(|v| v.tewerkstelling.as_ref())
                .map(|t| serde_json::to_string(t).unwrap_or_default()),
            vrijstelling_toegekend_op: s.vrijstelling_toegekend_op,
            pijler_maatschappelijke_orientatie: s.pijlers.maatschappelijke_orientatie,
            pijler_nederlands: s.pijlers.nederlands,
            pijler_werk: s.pijlers.werk,
            status: s.status,
            attest_uitgereikt_op: s.attest_uitgereikt_op,
            stopgezet_op: s.stopgezet_op,
            sanctie_categorie: s.sanctie.map(|x| i32::from(x.categorie)),
            sanctie_bedrag_cent: s.sanctie.map(|x| x.bedrag_cent),
            sanctie_opgelegd_op: s.sanctie.map(|x| x.opgelegd_op),
            sanctie_termijn_einde: s.sanctie.map(|x| x.termijn_einde),
        }
    }
}

/// The row just written (by a caller allowed to write it).
fn written(conn: &mut DbConn, id: i64) -> QueryResult<ContractRow> {
    inburgeringscontracten::table.find(id).select(ContractRow::as_select()).first(conn)
}

/// Stores a new contract in state `staat` at version 1. The state columns are written by the
/// same struct the changes use, so a new contract and a changed one are stored alike.
pub fn insert(
    conn: &mut DbConn,
    inburgeraar_id: i64,
    trajectbegeleider: &str,
    staat: &ContractStaat,
    nu: NaiveDateTime,
) -> QueryResult<ContractRow> {
    let id = diesel::insert_into(inburgeringscontracten::table)
        .values((
            &StaatWaarden::from(staat),
            inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id),
            inburgeringscontracten::trajectbegeleider.eq(trajectbegeleider),
            inburgeringscontracten::ondertekend_op.eq(staat.ondertekend_op),
            inburgeringscontracten::statuut.eq(staat.statuut),
            inburgeringscontracten::versie.eq(1),
            inburgeringscontracten::aangemaakt_op.eq(nu),
            inburgeringscontracten::gewijzigd_op.eq(nu),
        ))
        .returning(inburgeringscontracten::id)
        .get_result(conn)?;
    written(conn, id)
}

/// Contract `id` if it is still at version `versie`: what a versioned write updates.
#[diesel::dsl::auto_type]
fn op_versie(id: i64, versie: i64) -> _ {
    inburgeringscontracten::table
        .filter(inburgeringscontracten::id.eq(id))
        .filter(inburgeringscontracten::versie.eq(versie))
}

/// Writes the state a change produced, only if the stored version is `versie`: the row as
/// stored, or `None` when the version moved (or the row is gone).
pub fn update_staat(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    staat: &ContractStaat,
    nu: NaiveDateTime,
) -> QueryResult<Option<ContractRow>> {
    let n = diesel::update(op_versie(id, versie))
        .set((
            &StaatWaarden::from(staat),
            inburgeringscontracten::versie.eq(inburgeringscontracten::versie + 1),
            inburgeringscontracten::gewijzigd_op.eq(nu),
        ))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { written(conn, id).map(Some) }
}

/// Reassigns a contract, only if the stored version is `versie`: the row as stored, or `None`.
pub fn set_trajectbegeleider(
    conn: &mut DbConn,
    id: i64,
    versie: i64,
    tb: &str,
    nu: NaiveDateTime,
) -> QueryResult<Option<ContractRow>> {
    let n = diesel::update(op_versie(id, versie))
        .set((
            inburgeringscontracten::trajectbegeleider.eq(tb),
            inburgeringscontracten::versie.eq(inburgeringscontracten::versie + 1),
            inburgeringscontracten::gewijzigd_op.eq(nu),
        ))
        .execute(conn)?;
    if n == 0 { Ok(None) } else { written(conn, id).map(Some) }
}

/// The running (`lopend` or `verlengd`) contract of a newcomer, if any.
pub fn lopend_van(conn: &mut DbConn, inburgeraar_id: i64) -> QueryResult<Option<ContractRow>> {
    inburgeringscontracten::table
        .filter(inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id))
        .filter(inburgeringscontracten::status.eq_any(ContractStatus::LOPEND))
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
pub fn find_visible(conn: &mut DbConn, zicht: &Zicht, id: i64) -> QueryResult<Option<(ContractRow, PersoonRef)>> {
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
    pub statussen: Vec<ContractStatus>,
    pub gemeenten: Vec<String>,
    pub statuut: Option<Statuut>,
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
    if let Some(s) = f.statuut {
        q = q.filter(inburgeringscontracten::statuut.eq(s));
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

/// A change in a contract's history, as stored.
#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = contractwijzigingen)]
pub struct WijzigingRow {
    pub id: i64,
    #[diesel(embed)]
    pub wijziging: NieuweWijziging,
}

/// A change to append to a contract's history: what, when, by whom, why, its effect, and the
/// contract version it produced.
#[derive(Queryable, Selectable, Insertable, Debug, Clone)]
#[diesel(table_name = contractwijzigingen)]
pub struct NieuweWijziging {
    pub contract_id: i64,
    pub soort: WijzigingSoort,
    pub op: NaiveDateTime,
    pub door: String,
    pub door_rollen: String,
    pub reden: Option<String>,
    #[diesel(serialize_as = String)]
    pub gegevens: Json<WijzigingEffect>,
    pub contract_versie: i64,
}

impl From<Json<WijzigingEffect>> for String {
    fn from(j: Json<WijzigingEffect>) -> String {
        serde_json::to_string(&j.0).unwrap_or_default()
    }
}

/// Appends a change to a contract's history.
pub fn insert_wijziging(conn: &mut DbConn, w: NieuweWijziging) -> QueryResult<WijzigingRow> {
    let id = diesel::insert_into(contractwijzigingen::table)
        .values(w.clone())
        .returning(contractwijzigingen::id)
        .get_result(conn)?;
    Ok(WijzigingRow { id, wijziging: w })
}

/// A page of a contract's history, oldest first.
pub fn wijzigingen(
    conn: &mut DbConn,
    contract: &ContractRow,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<WijzigingRow>, i64)> {
    let van = || contractwijzigingen::table.filter(contractwijzigingen::contract_id.eq(contract.id));
    let total = van().count().get_result(conn)?;
    let rows = van()
        .order(contractwijzigingen::id.asc())
        .offset(offset)
        .limit(limit)
        .select(WijzigingRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

/// The kinds of a contract's changes, oldest first.
pub fn soorten(conn: &mut DbConn, contract_id: i64) -> QueryResult<Vec<WijzigingSoort>> {
    contractwijzigingen::table
        .filter(contractwijzigingen::contract_id.eq(contract_id))
        .order(contractwijzigingen::id.asc())
        .select(contractwijzigingen::soort)
        .load(conn)
}

/// Change `id` of `contract`.
pub fn wijziging(conn: &mut DbConn, contract: &ContractRow, id: i64) -> QueryResult<Option<WijzigingRow>> {
    contractwijzigingen::table
        .filter(contractwijzigingen::contract_id.eq(contract.id))
        .filter(contractwijzigingen::id.eq(id))
        .select(WijzigingRow::as_select())
        .first(conn)
        .optional()
}
