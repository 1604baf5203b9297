//! Organisations (aanbieders).

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::organisaties;
use crate::db::{DbConn, MultiBackend};
use crate::domain::aanbod::OrganisatieSoort;
use crate::domain::ids::KboNummer;
use crate::domain::nis::NisCode;
use crate::domain::text::{fold, like_escape};

#[derive(Queryable, Selectable, Debug, Clone)]
#[diesel(table_name = organisaties)]
pub struct OrganisatieRow {
    pub id: i64,
    pub naam: String,
    pub kbo_nummer: Option<KboNummer>,
    pub soort: OrganisatieSoort,
    pub gemeente: NisCode,
    pub adres: Option<String>,
    pub email: Option<String>,
    pub telefoon: Option<String>,
    pub website: Option<String>,
    pub versie: i64,
    pub aangemaakt_op: NaiveDateTime,
    pub gewijzigd_op: NaiveDateTime,
}

impl crate::app::document::Document for OrganisatieRow {
    const RESOURCE: &'static str = "organisatie";
    fn key(&self) -> String {
        self.id.to_string()
    }
    fn version(&self) -> i64 {
        self.versie
    }
}

/// The writable fields.
#[derive(Insertable, AsChangeset, Debug, Clone)]
#[diesel(table_name = organisaties, treat_none_as_null = true)]
pub struct OrganisatieWrite {
    pub naam: String,
    pub kbo_nummer: Option<KboNummer>,
    pub soort: OrganisatieSoort,
    pub gemeente: NisCode,
    pub adres: Option<String>,
    pub email: Option<String>,
    pub telefoon: Option<String>,
    pub website: Option<String>,
}

#[derive(Default, Debug, Clone)]
pub struct OrganisatieFilter {
    pub gemeenten: Vec<String>,
    pub soorten: Vec<OrganisatieSoort>,
    pub kbo_nummer: Option<KboNummer>,
    pub q: Option<String>,
}

fn filtered(f: &OrganisatieFilter) -> organisaties::BoxedQuery<'static, MultiBackend> {
    let mut query = organisaties::table.into_boxed::<MultiBackend>();
    if !f.gemeenten.is_empty() {
        query = query.filter(organisaties::gemeente.eq_any(f.gemeenten.clone()));
    }
    if !f.soorten.is_empty() {
        query = query.filter(organisaties::soort.eq_any(f.soorten.clone()));
    }
    if let Some(kbo) = &f.kbo_nummer {
        query = query.filter(organisaties::kbo_nummer.eq(kbo.clone()));
    }
    if let Some(q) = f.q.as_deref().map(str::trim).filter(|q| !q.is_empty()) {
        // Names are short and few; a case-insensitive LIKE is enough here.
        let pattern = format!("%{}%", like_escape(&fold(q)));
        query = query.filter(
            diesel::dsl::sql::<diesel::sql_types::Bool>("lower(organisaties.naam) LIKE ")
                .bind::<diesel::sql_types::Text, _>(pattern)
                .sql(" ESCAPE '\\'"),
        );
    }
    query
}

pub fn list(
    conn: &mut DbConn,
    f: &OrganisatieFilter,
    offset: i64,
    limit: i64,
) -> QueryResult<(Vec<OrganisatieRow>, i64)> {
    let total = filtered(f).count().get_result(conn)?;
    let rows = filtered(f)
        .order((organisaties::naam.asc(), organisaties::id.asc()))
        .offset(offset)
        .limit(limit)
        .select(OrganisatieRow::as_select())
        .load(conn)?;
    Ok((rows, total))
}

pub fn find(conn: &mut DbConn, id: i64) -> QueryResult<Option<OrganisatieRow>> {
    organisaties::table.find(id).select(OrganisatieRow::as_select()).first(conn).optional()
}

pub fn find_by_kbo(conn: &mut DbConn, kbo: &KboNummer) -> QueryResult<Option<i64>> {
    organisaties::table.filter(organisaties::kbo_nummer.eq(kbo)).select(organisaties::id).first(conn).optional()
}

/// (id, name) of the organisations among `ids` that exist.
pub fn names(conn: &mut DbConn, ids: &[i64]) -> QueryResult<Vec<(i64, String)>> {
    organisaties::table.filter(organisaties::id.eq_any(ids)).select((organisaties::id, organisaties::naam)).load(conn)
}

pub fn insert(conn: &mut DbConn, w: &OrganisatieWrite, now: NaiveDateTime) -> QueryResult<i64> {
    diesel::insert_into(organisaties::table)
        .values((
            w,
            organisaties::versie.eq(1i64),
            organisaties::aangemaakt_op.eq(now),
            organisaties::gewijzigd_op.eq(now),
        ))
        .returning(organisaties::id)
        .get_result(conn)
}

/// Updates if the version is still `versie`; false when someone else changed it first.
pub fn update(conn: &mut DbConn, id: i64, versie: i64, w: &OrganisatieWrite, now: NaiveDateTime) -> QueryResult<bool> {
    let n = diesel::update(organisaties::table.filter(organisaties::id.eq(id)).filter(organisaties::versie.eq(versie)))
        .set((w, organisaties::versie.eq(versie + 1), organisaties::gewijzigd_op.eq(now)))
        .execute(conn)?;
    Ok(n == 1)
}
