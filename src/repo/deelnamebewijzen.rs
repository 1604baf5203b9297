//! Deelnamebewijzen, their lines and their signing links: storage, the access policy's
//! visibility filter in SQL, versioned status changes, and the sums progress is computed from.

use std::collections::HashMap;

use chrono::{NaiveDate, NaiveDateTime};
use diesel::dsl::{not, sum};
use diesel::prelude::*;

use crate::app::document::Document;
use crate::db::schema::{
    deelnamebewijzen, inburgeraars, inburgeringscontracten, ondertekenverzoeken, outbox, prestaties,
};
use crate::db::{DbConn, MultiBackend};
use crate::domain::aanbod::Aanbodtype;
use crate::domain::deelnamebewijs::{
    Beoordeling, BewijsStatus, ContactBron, Groep, Kwartieren, LinkBeslissing, Prestatie, Termijn, Wijze, zelfde_groep,
};
use crate::domain::ids::OrganisatieId;
use crate::domain::toegang::deelnamebewijzen::{Betrokkenen, BewijsZicht, voor_aanbieder};
use crate::repo::contracten::{ContractRow, PersoonRef};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = deelnamebewijzen)]
pub struct BewijsRow {
    pub id: i64,
    pub contract_id: i64,
    pub aanbod_id: Option<i64>,
    pub activiteit: String,
    pub organisatie_id: Option<i64>,
    pub organisatie_naam: String,
    pub aanbodtype: Aanbodtype,
    pub contact_naam: String,
    pub contact_email: Option<String>,
    pub contact_telefoon: Option<String>,
    pub status: BewijsStatus,
    pub ondertekend_door: Option<String>,
    pub ondertekend_op: Option<NaiveDateTime>,
    pub ondertekend_via: Option<Wijze>,
    pub geweigerd_door: Option<String>,
    pub geweigerd_op: Option<NaiveDateTime>,
    pub geweigerd_via: Option<Wijze>,
    pub weigering_motivatie: Option<String>,
    pub beoordeeld_door: Option<String>,
    pub beoordeeld_op: Option<NaiveDateTime>,
    pub beoordeling: Option<Beoordeling>,
    pub beoordeling_motivatie: Option<String>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub aangemaakt_door: String,
    pub gewijzigd_op: NaiveDateTime,
    /// Who signed by account (`sub`); `None` for a link signature or none.
    pub ondertekend_sub: Option<String>,
    pub contact_bron: ContactBron,
}

/// A proof with its contract, its newcomer and its lines (by date).
#[derive(Debug, Clone)]
pub struct Bewijs {
    pub row: BewijsRow,
    pub contract: ContractRow,
    pub persoon: PersoonRef,
    pub prestaties: Vec<Prestatie>,
    /// Its signing links, newest first, each with the delivery of its mail.
    pub links: Vec<(LinkRow, Option<Bezorging>)>,
}

impl Bewijs {
    /// Who is involved in the proof, for its access policy.
    pub fn betrokkenen(&self) -> Betrokkenen<'_> {
        Betrokkenen {
            id: self.row.id,
            trajectbegeleider: &self.contract.trajectbegeleider,
            gebruiker_id: self.persoon.gebruiker_id.as_deref(),
            organisatie: self.row.organisatie_id.map(OrganisatieId),
            status: self.row.status,
        }
    }
}

/// The days a contract's hours may fall on.
pub fn termijn(contract: &ContractRow) -> Termijn {
    Termijn { van: contract.ondertekend_op, tot: contract.termijn_einde }
}

impl Document for Bewijs {
    const RESOURCE: &'static str = "deelnamebewijs";
    fn key(&self) -> String {
        self.row.id.to_string()
    }
    fn version(&self) -> i64 {
        self.row.versie
    }
}

/// The header of a new proof.
#[derive(Insertable, Debug, Clone)]
#[diesel(table_name = deelnamebewijzen)]
pub struct NieuwBewijs {
    pub contract_id: i64,
    pub aanbod_id: Option<i64>,
    pub activiteit: String,
    pub organisatie_id: Option<i64>,
    pub organisatie_naam: String,
    pub aanbodtype: Aanbodtype,
    pub contact_naam: String,
    pub contact_email: Option<String>,
    pub contact_telefoon: Option<String>,
    pub contact_bron: ContactBron,
}

/// What groups hours on one proof (R7), of a stored and of a new proof.
macro_rules! groep {
    ($b:expr) => {
        Groep {
            aanbodtype: $b.aanbodtype,
            organisatie_id: $b.organisatie_id,
            organisatie_naam: &$b.organisatie_naam,
            contact_naam: &$b.contact_naam,
            contact_email: $b.contact_email.as_deref(),
        }
    };
}

/// The columns a change writes: `None` leaves a column as it is, `Some(None)` clears it.
#[derive(AsChangeset, Debug, Clone, Default)]
#[diesel(table_name = deelnamebewijzen)]
pub struct BewijsWijziging {
    pub status: Option<BewijsStatus>,
    pub contact_naam: Option<String>,
    pub contact_email: Option<Option<String>>,
    pub contact_telefoon: Option<Option<String>>,
    pub contact_bron: Option<ContactBron>,
    pub ondertekend_door: Option<Option<String>>,
    pub ondertekend_op: Option<Option<NaiveDateTime>>,
    pub ondertekend_via: Option<Option<Wijze>>,
    pub ondertekend_sub: Option<Option<String>>,
    pub geweigerd_door: Option<Option<String>>,
    pub geweigerd_op: Option<Option<NaiveDateTime>>,
    pub geweigerd_via: Option<Option<Wijze>>,
    pub weigering_motivatie: Option<Option<String>>,
    pub beoordeeld_door: Option<Option<String>>,
    pub beoordeeld_op: Option<Option<NaiveDateTime>>,
    pub beoordeling: Option<Option<Beoordeling>>,
    pub beoordeling_motivatie: Option<Option<String>>,
}

pub fn insert(conn: &mut DbConn, nieuw: &NieuwBewijs, door: &str, nu: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(deelnamebewijzen::table)
        .values((
            nieuw.clone(),
            deelnamebewijzen::status.eq(BewijsStatus::Concept),
            deelnamebewijzen::versie.eq(1i64),
            deelnamebewijzen::aangemaakt_op.eq(nu),
            deelnamebewijzen::aangemaakt_door.eq(door),
            deelnamebewijzen::gewijzigd_op.eq(nu),
        ))
        .returning(deelnamebewijzen::id)
        .get_result(conn)
}

/// Writes a change only if the stored version is `versie`, and moves the version on; `false`
/// means someone else changed the proof first.
pub fn update(conn: &mut DbConn, id: i64, versie: i64, w: &BewijsWijziging, nu: NaiveDateTime) -> QueryResult<bool> {
    diesel::update(
        deelnamebewijzen::table.filter(deelnamebewijzen::id.eq(id)).filter(deelnamebewijzen::versie.eq(versie)),
    )
    .set((w, deelnamebewijzen::versie.eq(deelnamebewijzen::versie + 1), deelnamebewijzen::gewijzigd_op.eq(nu)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Serialises the writes that check rules over all of a contract's proofs — creating a proof
/// (R7) and changing lines (R10, at most 12 hours a day over all proofs): a no-op update takes
/// the contract's row lock on PostgreSQL until the transaction ends (like `SELECT … FOR UPDATE`,
/// which the MultiConnection cannot express for SQLite), so a concurrent writer waits, and its
/// next statement (READ COMMITTED) sees what this one wrote. SQLite's `BEGIN IMMEDIATE`
/// (`db::write_tx`) already serialises every write.
pub fn vergrendel_contract(conn: &mut DbConn, contract_id: i64) -> QueryResult<()> {
    diesel::update(inburgeringscontracten::table.find(contract_id))
        .set(inburgeringscontracten::versie.eq(inburgeringscontracten::versie))
        .execute(conn)
        .map(|_| ())
}

/// The proof `id` if `zicht` shows it, with its contract, newcomer and lines.
pub fn find(conn: &mut DbConn, zicht: &BewijsZicht, id: i64) -> QueryResult<Option<Bewijs>> {
    let zichtbaar: Option<i64> = zichtbaar(deelnamebewijzen::table.into_boxed(), zicht)
        .filter(deelnamebewijzen::id.eq(id))
        .select(deelnamebewijzen::id)
        .first(conn)
        .optional()?;
    Ok(match zichtbaar {
        Some(id) => load_with_context(conn, &[id])?.pop(),
        None => None,
    })
}

/// The proofs `ids` with their contracts, newcomers and lines, by id.
fn load_with_context(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<Bewijs>> {
    let mut rows: Vec<(BewijsRow, ContractRow, PersoonRef)> = deelnamebewijzen::table
        .inner_join(inburgeringscontracten::table.inner_join(inburgeraars::table))
        .filter(deelnamebewijzen::id.eq_any(ids))
        .select((BewijsRow::as_select(), ContractRow::as_select(), PersoonRef::as_select()))
        .load(conn)?;
    rows.sort_by_key(|(b, _, _)| b.id);
    let mut lijnen = prestaties(conn, ids)?;
    let mut per_bewijs: HashMap<i64, Vec<(LinkRow, Option<Bezorging>)>> = HashMap::new();
    for (link, bezorging) in links_van(conn, ids)? {
        per_bewijs.entry(link.bewijs_id).or_default().push((link, bezorging));
    }
    Ok(rows
        .into_iter()
        .map(|(row, contract, persoon)| {
            let prestaties = lijnen.remove(&row.id).unwrap_or_default();
            let links = per_bewijs.remove(&row.id).unwrap_or_default();
            Bewijs { row, contract, persoon, prestaties, links }
        })
        .collect())
}

/// R7: the open proof (`BewijsStatus::OPEN`) of the contract that the hours of `nieuw` belong
/// on: the same aanbodtype, organisation and contact person (`zelfde_groep`); other than proof
/// `behalve` (a proof whose contact person changes).
pub fn open_in_groep(conn: &mut DbConn, nieuw: &NieuwBewijs, behalve: Option<i64>) -> QueryResult<Option<i64>> {
    let open: Vec<BewijsRow> = deelnamebewijzen::table
        .filter(deelnamebewijzen::contract_id.eq(nieuw.contract_id))
        .filter(deelnamebewijzen::id.ne(behalve.unwrap_or(-1)))
        .filter(deelnamebewijzen::aanbodtype.eq(nieuw.aanbodtype))
        .filter(deelnamebewijzen::status.eq_any(BewijsStatus::OPEN))
        .order(deelnamebewijzen::id.asc())
        .select(BewijsRow::as_select())
        .load(conn)?;
    Ok(open.iter().find(|b| zelfde_groep(&groep!(nieuw), &groep!(b))).map(|b| b.id))
}

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = prestaties)]
struct PrestatieRow {
    bewijs_id: i64,
    datum: NaiveDate,
    kwartieren: i32,
    omschrijving: Option<String>,
}

/// The lines of each of `ids`, by date (every id gets an entry).
pub fn prestaties(conn: &mut DbConn, ids: &[i64]) -> QueryResult<HashMap<i64, Vec<Prestatie>>> {
    let mut uit: HashMap<i64, Vec<Prestatie>> = ids.iter().map(|id| (*id, Vec::new())).collect();
    if ids.is_empty() {
        return Ok(uit);
    }
    let rows: Vec<PrestatieRow> = prestaties::table
        .filter(prestaties::bewijs_id.eq_any(ids))
        .order((prestaties::bewijs_id.asc(), prestaties::datum.asc()))
        .select(PrestatieRow::as_select())
        .load(conn)?;
    for r in rows {
        uit.entry(r.bewijs_id).or_default().push(Prestatie {
            datum: r.datum,
            kwartieren: Kwartieren(r.kwartieren),
            omschrijving: r.omschrijving,
        });
    }
    Ok(uit)
}

/// Replaces every line of a proof (the lines are at most a hundred rows, and one code path
/// serves replacing, adding and removing).
pub fn vervang_prestaties(conn: &mut DbConn, id: i64, lijnen: &[Prestatie]) -> QueryResult<()> {
    diesel::delete(prestaties::table.filter(prestaties::bewijs_id.eq(id))).execute(conn)?;
    for p in lijnen {
        diesel::insert_into(prestaties::table)
            .values((
                prestaties::bewijs_id.eq(id),
                prestaties::datum.eq(p.datum),
                prestaties::kwartieren.eq(p.kwartieren.0),
                prestaties::omschrijving.eq(p.omschrijving.as_deref()),
            ))
            .execute(conn)?;
    }
    Ok(())
}

/// Quarter hours per day on `dagen` on the contract's proofs other than `behalve`.
pub fn elders_per_dag(
    conn: &mut DbConn,
    contract_id: i64,
    behalve: Option<i64>,
    dagen: &[NaiveDate],
) -> QueryResult<HashMap<NaiveDate, i32>> {
    if dagen.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(NaiveDate, Option<i64>)> = prestaties::table
        .inner_join(deelnamebewijzen::table)
        .filter(deelnamebewijzen::contract_id.eq(contract_id))
        .filter(deelnamebewijzen::id.ne(behalve.unwrap_or(-1)))
        .filter(prestaties::datum.eq_any(dagen))
        .group_by(prestaties::datum)
        .select((prestaties::datum, sum(prestaties::kwartieren)))
        .load(conn)?;
    Ok(rows.into_iter().map(|(d, s)| (d, i32::try_from(s.unwrap_or(0)).unwrap_or(i32::MAX))).collect())
}

/// Contract ids per query: an admin's computed worklist asks for every contract at once, and
/// both backends cap the number of bound parameters.
const IDS_PER_QUERY: usize = 1000;

/// Quarter hours per contract and status on the proofs whose hours progress shows
/// (`BewijsStatus::tellend`, R9), counting only lines dated inside the contract's term (from
/// signing through the possibly extended end).
pub fn kwartieren_per_contract(conn: &mut DbConn, contract_ids: &[i64]) -> QueryResult<Vec<(i64, BewijsStatus, i64)>> {
    let mut uit = Vec::new();
    for ids in contract_ids.chunks(IDS_PER_QUERY) {
        let rows: Vec<(i64, BewijsStatus, Option<i64>)> = prestaties::table
            .inner_join(deelnamebewijzen::table.inner_join(inburgeringscontracten::table))
            .filter(deelnamebewijzen::contract_id.eq_any(ids))
            .filter(deelnamebewijzen::status.eq_any(BewijsStatus::tellend()))
            .filter(prestaties::datum.ge(inburgeringscontracten::ondertekend_op))
            .filter(prestaties::datum.le(inburgeringscontracten::termijn_einde))
            .group_by((deelnamebewijzen::contract_id, deelnamebewijzen::status))
            .select((deelnamebewijzen::contract_id, deelnamebewijzen::status, sum(prestaties::kwartieren)))
            .load(conn)?;
        uit.extend(rows.into_iter().map(|(c, s, k)| (c, s, k.unwrap_or(0))));
    }
    Ok(uit)
}

// --- Lists -------------------------------------------------------------------------------------

/// Filters of the proof list; empty means "any".
#[derive(Default, Debug, Clone)]
pub struct BewijsFilter {
    pub contracten: Vec<i64>,
    pub statussen: Vec<BewijsStatus>,
    pub organisaties: Vec<i64>,
    /// `sub`s of the contracts' trajectbegeleiders.
    pub trajectbegeleiders: Vec<String>,
    pub aanbodtypes: Vec<Aanbodtype>,
}

type Boxed<'a> = deelnamebewijzen::BoxedQuery<'a, MultiBackend>;
type Predicate = Box<dyn BoxableExpression<deelnamebewijzen::table, MultiBackend, SqlType = diesel::sql_types::Bool>>;

/// The access policy's filter (`domain::toegang::deelnamebewijzen`) in SQL: one part per
/// relation of `BewijsZicht`, the same relations `BewijsZicht::rollen` evaluates on a row.
fn zichtbaar<'a>(query: Boxed<'a>, zicht: &BewijsZicht) -> Boxed<'a> {
    let BewijsZicht { contracten: personen, organisatie, link } = zicht;
    if personen.alles {
        return query;
    }
    let mut predicates: Vec<Predicate> = Vec::new();
    if let Some(tb) = personen.caseload.clone() {
        let caseload = inburgeringscontracten::table
            .filter(inburgeringscontracten::trajectbegeleider.eq(tb))
            .select(inburgeringscontracten::id);
        predicates.push(Box::new(deelnamebewijzen::contract_id.eq_any(caseload)));
    }
    if let Some(sub) = personen.eigen.clone() {
        let eigen = inburgeringscontracten::table
            .inner_join(inburgeraars::table)
            .filter(inburgeraars::gebruiker_id.eq(sub))
            .select(inburgeringscontracten::id);
        predicates.push(Box::new(deelnamebewijzen::contract_id.eq_any(eigen)));
    }
    if let Some(org) = organisatie {
        let statussen: Vec<BewijsStatus> = BewijsStatus::ALL.iter().copied().filter(|s| voor_aanbieder(*s)).collect();
        predicates.push(Box::new(
            deelnamebewijzen::organisatie_id
                .assume_not_null()
                .eq(org.0)
                .and(deelnamebewijzen::status.eq_any(statussen)),
        ));
    }
    if let Some(id) = link {
        predicates.push(Box::new(deelnamebewijzen::id.eq(*id)));
    }
    match predicates.into_iter().reduce(|a, b| Box::new(a.or(b))) {
        Some(p) => query.filter(p),
        None => query.filter(not(deelnamebewijzen::id.eq(deelnamebewijzen::id))),
    }
}

fn gefilterd(zicht: &BewijsZicht, f: &BewijsFilter) -> Boxed<'static> {
    let mut q = zichtbaar(deelnamebewijzen::table.into_boxed(), zicht);
    if !f.contracten.is_empty() {
        q = q.filter(deelnamebewijzen::contract_id.eq_any(f.contracten.clone()));
    }
    if !f.statussen.is_empty() {
        q = q.filter(deelnamebewijzen::status.eq_any(f.statussen.clone()));
    }
    if !f.organisaties.is_empty() {
        q = q.filter(deelnamebewijzen::organisatie_id.assume_not_null().eq_any(f.organisaties.clone()));
    }
    if !f.aanbodtypes.is_empty() {
        q = q.filter(deelnamebewijzen::aanbodtype.eq_any(f.aanbodtypes.clone()));
    }
    if !f.trajectbegeleiders.is_empty() {
        let van = inburgeringscontracten::table
            .filter(inburgeringscontracten::trajectbegeleider.eq_any(f.trajectbegeleiders.clone()))
            .select(inburgeringscontracten::id);
        q = q.filter(deelnamebewijzen::contract_id.eq_any(van));
    }
    q
}

/// A page of the proofs `zicht` shows that match `f`, oldest first, with their contracts,
/// newcomers and lines, and the total.
pub fn list(
    conn: &mut DbConn,
    zicht: &BewijsZicht,
    f: &BewijsFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<Bewijs>, i64)> {
    let total = gefilterd(zicht, f).count().get_result(conn)?;
    let ids: Vec<i64> = gefilterd(zicht, f)
        .order(deelnamebewijzen::id.asc())
        .offset(offset)
        .limit(limit)
        .select(deelnamebewijzen::id)
        .load(conn)?;
    Ok((load_with_context(conn, &ids)?, total))
}

// --- Signing links -------------------------------------------------------------------------------

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = ondertekenverzoeken)]
pub struct LinkRow {
    pub id: i64,
    pub bewijs_id: i64,
    pub bewijs_versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    /// Who asked for the link (`sub`) and in which role.
    pub aangemaakt_door: String,
    pub aangevraagd_rol: Option<String>,
    pub verloopt_op: NaiveDateTime,
    pub gebruikt_op: Option<NaiveDateTime>,
    pub beslissing: Option<LinkBeslissing>,
    /// The address the link was sent to and where it came from (`None`: a link made before
    /// links were mailed).
    pub email: Option<String>,
    pub email_bron: Option<ContactBron>,
    pub outbox_id: Option<i64>,
    pub geopend_op: Option<NaiveDateTime>,
    /// The name the contact person typed with the decision.
    pub naam: Option<String>,
}

/// A new link: the hash of its token, the proof's version it is tied to, who asks in which
/// role, and where it is sent.
pub struct NieuweLinkRow<'a> {
    pub bewijs_id: i64,
    pub token_hash: &'a str,
    pub bewijs_versie: i64,
    pub door: &'a str,
    pub rol: &'a str,
    pub email: &'a str,
    pub email_bron: ContactBron,
    /// The outbox message that delivers the link.
    pub outbox_id: i64,
    pub nu: NaiveDateTime,
    pub verloopt_op: NaiveDateTime,
}

/// Stores a link by the hash of its token; returns its id.
pub fn insert_link(conn: &mut DbConn, l: &NieuweLinkRow<'_>) -> QueryResult<i64> {
    diesel::insert_into(ondertekenverzoeken::table)
        .values((
            ondertekenverzoeken::bewijs_id.eq(l.bewijs_id),
            ondertekenverzoeken::token_hash.eq(l.token_hash),
            ondertekenverzoeken::bewijs_versie.eq(l.bewijs_versie),
            ondertekenverzoeken::aangemaakt_op.eq(l.nu),
            ondertekenverzoeken::aangemaakt_door.eq(l.door),
            ondertekenverzoeken::aangevraagd_rol.eq(l.rol),
            ondertekenverzoeken::email.eq(l.email),
            ondertekenverzoeken::email_bron.eq(l.email_bron),
            ondertekenverzoeken::outbox_id.eq(l.outbox_id),
            ondertekenverzoeken::verloopt_op.eq(l.verloopt_op),
        ))
        .returning(ondertekenverzoeken::id)
        .get_result(conn)
}

pub fn find_link(conn: &mut DbConn, token_hash: &str) -> QueryResult<Option<LinkRow>> {
    ondertekenverzoeken::table
        .filter(ondertekenverzoeken::token_hash.eq(token_hash))
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// Records the first time link `id` was opened.
pub fn link_geopend(conn: &mut DbConn, id: i64, nu: NaiveDateTime) -> QueryResult<()> {
    diesel::update(ondertekenverzoeken::table.find(id).filter(ondertekenverzoeken::geopend_op.is_null()))
        .set(ondertekenverzoeken::geopend_op.eq(nu))
        .execute(conn)
        .map(|_| ())
}

/// Records the name the contact person typed with their decision through link `id`.
pub fn link_naam(conn: &mut DbConn, id: i64, naam: &str) -> QueryResult<()> {
    diesel::update(ondertekenverzoeken::table.find(id))
        .set(ondertekenverzoeken::naam.eq(naam))
        .execute(conn)
        .map(|_| ())
}

/// The delivery of a link's mail, as the outbox holds it.
#[derive(Queryable, Debug, Clone)]
pub struct Bezorging {
    pub status: crate::repo::outbox::BerichtStatus,
    pub pogingen: i32,
    pub laatste_fout: Option<String>,
    pub afgehandeld_op: Option<NaiveDateTime>,
}

/// The links of proofs `ids`, newest first, each with its mail's delivery.
pub fn links_van(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(LinkRow, Option<Bezorging>)>> {
    ondertekenverzoeken::table
        .left_join(outbox::table)
        .filter(ondertekenverzoeken::bewijs_id.eq_any(ids))
        .order(ondertekenverzoeken::id.desc())
        .select((
            LinkRow::as_select(),
            (outbox::status, outbox::pogingen, outbox::laatste_fout, outbox::afgehandeld_op).nullable(),
        ))
        .load(conn)
}

/// The link whose decision signed proof `bewijs_id` (the latest used link that signed).
pub fn ondertekenende_link(conn: &mut DbConn, bewijs_id: i64) -> QueryResult<Option<LinkRow>> {
    ondertekenverzoeken::table
        .filter(ondertekenverzoeken::bewijs_id.eq(bewijs_id))
        .filter(ondertekenverzoeken::beslissing.eq(LinkBeslissing::Ondertekenen))
        .order(ondertekenverzoeken::gebruikt_op.desc())
        .select(LinkRow::as_select())
        .first(conn)
        .optional()
}

/// Claims a link for one decision: marks it used, only if it was not yet. `false` means the token
/// is unknown or another request used it first; the row stays locked until the transaction ends,
/// so a concurrent request waits and then finds it used.
pub fn claim_link(
    conn: &mut DbConn,
    token_hash: &str,
    beslissing: LinkBeslissing,
    nu: NaiveDateTime,
) -> QueryResult<bool> {
    diesel::update(
        ondertekenverzoeken::table
            .filter(ondertekenverzoeken::token_hash.eq(token_hash))
            .filter(ondertekenverzoeken::gebruikt_op.is_null()),
    )
    .set((ondertekenverzoeken::gebruikt_op.eq(nu), ondertekenverzoeken::beslissing.eq(beslissing)))
    .execute(conn)
    .map(|n| n == 1)
}

/// Types of activity (`aanbodtype`) a newcomer's proofs show hours for, over all their contracts:
/// suggestions prefer types the newcomer has not done yet.
pub fn gedane_types(conn: &mut DbConn, inburgeraar_id: i64) -> QueryResult<Vec<Aanbodtype>> {
    deelnamebewijzen::table
        .inner_join(inburgeringscontracten::table)
        .filter(inburgeringscontracten::inburgeraar_id.eq(inburgeraar_id))
        .filter(diesel::dsl::exists(prestaties::table.filter(prestaties::bewijs_id.eq(deelnamebewijzen::id))))
        .select(deelnamebewijzen::aanbodtype)
        .distinct()
        .load(conn)
}

/// (municipality, newcomer) for newcomers of `gemeenten` with hours on a proof dated from `van`
/// to `tot`: they did a PNT activity in that period, referred or not.
pub fn actief_in_periode(
    conn: &mut DbConn,
    gemeenten: &[String],
    van: NaiveDate,
    tot: NaiveDate,
) -> QueryResult<Vec<(String, i64)>> {
    prestaties::table
        .inner_join(deelnamebewijzen::table.inner_join(inburgeringscontracten::table.inner_join(inburgeraars::table)))
        .filter(inburgeraars::gemeente.eq_any(gemeenten))
        .filter(prestaties::datum.between(van, tot))
        .select((inburgeraars::gemeente, inburgeraars::id))
        .distinct()
        .load(conn)
}

/// The draft proof for hours at an offer (a started referral): the open proof of the contract
/// that R7 puts these hours on, or a new `concept` with the offer's title, type, organisation and
/// contact person, created by `door` at `nu`. `None` when the offer names no contact person (R8:
/// someone must confirm the hours; the newcomer starts the proof by hand then). Returns (proof
/// id, newly created).
pub fn concept_voor_aanbod(
    conn: &mut DbConn,
    contract_id: i64,
    aanbod_id: i64,
    door: &str,
    nu: NaiveDateTime,
) -> QueryResult<Option<(i64, bool)>> {
    use crate::domain::toegang::aanbod::Zichtbaarheid;
    let Some(a) = crate::repo::aanbod::find(conn, aanbod_id, &Zichtbaarheid::Alles)? else { return Ok(None) };
    let Some(contact) =
        a.contactpersoon.as_deref().and_then(|c| serde_json::from_str::<crate::domain::aanbod::Contactpersoon>(c).ok())
    else {
        return Ok(None);
    };
    let aanbodtype = a.aanbodtype;
    let organisatie_naam = match a.organisatie_id {
        Some(id) => crate::repo::organisaties::names(conn, &[id])?.into_iter().next().map(|(_, n)| n),
        None => None,
    }
    .unwrap_or_default();
    let nieuw = NieuwBewijs {
        contract_id,
        aanbod_id: Some(a.id),
        activiteit: a.titel_nl.clone(),
        organisatie_id: a.organisatie_id,
        organisatie_naam,
        aanbodtype,
        contact_naam: contact.naam.trim().to_string(),
        contact_email: contact.email,
        contact_telefoon: contact.telefoon,
        contact_bron: ContactBron::Aanbod,
    };
    if let Some(open) = open_in_groep(conn, &nieuw, None)? {
        return Ok(Some((open, false)));
    }
    Ok(Some((insert(conn, &nieuw, door, nu)?, true)))
}
