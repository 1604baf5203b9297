//! The plan of any diesel query, with its bound parameters, on the connection's backend: the
//! query itself is wrapped (`EXPLAIN …` in front of its own SQL), so a plan check cannot drift
//! from the query the application runs.

use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{Integer, Text};
use diesel::sqlite::Sqlite;
use diesel::{PgConnection, SqliteConnection};

/// `EXPLAIN` in front of `query`; `ST` is the backend's row of plan output.
#[derive(Debug, Clone, Copy)]
pub struct Explain<Q, ST> {
    query: Q,
    row: std::marker::PhantomData<ST>,
}

impl<Q, ST> Explain<Q, ST> {
    fn new(query: Q) -> Self {
        Explain { query, row: std::marker::PhantomData }
    }
}

impl<Q, ST> QueryId for Explain<Q, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, ST> Query for Explain<Q, ST> {
    type SqlType = ST;
}

impl<Q, ST, C> RunQueryDsl<C> for Explain<Q, ST> {}

impl<Q: QueryFragment<Pg>, ST> QueryFragment<Pg> for Explain<Q, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        // Plans are looked at once: no prepared statement left behind in the cache.
        out.unsafe_to_cache_prepared();
        out.push_sql("EXPLAIN (FORMAT TEXT) ");
        self.query.walk_ast(out.reborrow())
    }
}

impl<Q: QueryFragment<Sqlite>, ST> QueryFragment<Sqlite> for Explain<Q, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Sqlite>) -> QueryResult<()> {
        out.unsafe_to_cache_prepared();
        out.push_sql("EXPLAIN QUERY PLAN ");
        self.query.walk_ast(out.reborrow())
    }
}

/// A connection that can show how it would run a query.
pub trait ExplainConnection: Connection {
    /// The plan of `query` with its bound parameters, one line per node: PostgreSQL's text
    /// format as is; SQLite's `EXPLAIN QUERY PLAN` rows indented by depth.
    fn explain<Q>(&mut self, query: Q) -> QueryResult<Vec<String>>
    where
        Q: QueryFragment<Self::Backend>;
}

impl ExplainConnection for PgConnection {
    fn explain<Q>(&mut self, query: Q) -> QueryResult<Vec<String>>
    where
        Q: QueryFragment<Pg>,
    {
        Explain::<Q, Text>::new(query).load::<String>(self)
    }
}

impl ExplainConnection for SqliteConnection {
    fn explain<Q>(&mut self, query: Q) -> QueryResult<Vec<String>>
    where
        Q: QueryFragment<Sqlite>,
    {
        // Rows are (id, parent, notused, detail), parents before their children.
        let rows: Vec<(i32, i32, i32, String)> =
            Explain::<Q, (Integer, Integer, Integer, Text)>::new(query).load(self)?;
        let mut depth: std::collections::HashMap<i32, usize> = std::collections::HashMap::new();
        Ok(rows
            .into_iter()
            .map(|(id, parent, _, detail)| {
                let d = depth.get(&parent).map_or(0, |d| d + 1);
                depth.insert(id, d);
                format!("{}{detail}", "  ".repeat(d))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use diesel::connection::SimpleConnection;

    #[test]
    fn sqlite_plan_with_bound_parameters() {
        let mut c = SqliteConnection::establish(":memory:").unwrap();
        c.batch_execute("CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT NOT NULL); CREATE INDEX t_a ON t (a);")
            .unwrap();
        diesel::table! { t (id) { id -> Integer, a -> Text, } }
        let plan = c.explain(t::table.filter(t::a.eq("x")).count()).unwrap();
        assert!(plan.iter().any(|l| l.contains("USING COVERING INDEX t_a (a=?)")), "{plan:?}");
        let plan = c.explain(t::table.filter(t::id.gt(1).or(t::a.like("%x")))).unwrap();
        assert!(plan.iter().any(|l| l.starts_with("SCAN t")), "{plan:?}");
    }
}
