//! The queries a network's items (its actions, its meetings) share. Their tables carry the same
//! bookkeeping columns — `id`, `netwerk_code`, `versie`, `aangemaakt_op`, `gewijzigd_op` — but
//! diesel's table types have no common trait for columns, so [`versioned_item_queries!`] writes
//! the lookup and the versioned writes once and expands them per table. Every one of them takes
//! the caller's right on the network (`domain::toegang::netwerken`): reads a [`Leesrecht`],
//! writes a [`Beheerrecht`], and touches only that network's rows.
//!
//! [`Leesrecht`]: crate::domain::toegang::netwerken::Leesrecht
//! [`Beheerrecht`]: crate::domain::toegang::netwerken::Beheerrecht

use diesel::query_dsl::methods::{LimitDsl, OffsetDsl};

/// `q` limited to one page (`(offset, limit)`), or all of it.
pub fn pagina<Q>(q: Q, page: Option<(i64, i64)>) -> Q
where
    Q: OffsetDsl<Output = Q> + LimitDsl<Output = Q>,
{
    match page {
        Some((offset, limit)) => q.offset(offset).limit(limit),
        None => q,
    }
}

/// `find`, `insert`, `update` and `delete` of one network's item in `$table` (a table of
/// `crate::db::schema`), read as `$row` and written from `$velden`. Writes are optimistic:
/// `update` and `delete` only touch the row while it is still at the version the caller read,
/// and say whether they did.
macro_rules! versioned_item_queries {
    ($table:ident, $row:ty, $velden:ty) => {
        /// Item `id` of the network the caller may read.
        pub fn find(
            conn: &mut $crate::db::DbConn,
            netwerk: &$crate::domain::toegang::netwerken::Leesrecht,
            id: i64,
        ) -> ::diesel::QueryResult<::std::option::Option<$row>> {
            use ::diesel::prelude::*;
            use $crate::db::schema::$table;
            $table::table
                .filter($table::id.eq(id))
                .filter($table::netwerk_code.eq(netwerk.netwerk().as_str()))
                .select(<$row>::as_select())
                .first(conn)
                .optional()
        }

        /// Adds an item to the network the caller runs, at version 1; its id.
        pub fn insert(
            conn: &mut $crate::db::DbConn,
            netwerk: &$crate::domain::toegang::netwerken::Beheerrecht,
            v: &$velden,
            nu: ::chrono::NaiveDateTime,
        ) -> ::diesel::QueryResult<i64> {
            use ::diesel::prelude::*;
            use $crate::db::schema::$table;
            ::diesel::insert_into($table::table)
                .values((
                    v,
                    $table::netwerk_code.eq(netwerk.netwerk().as_str()),
                    $table::versie.eq(1i64),
                    $table::aangemaakt_op.eq(nu),
                    $table::gewijzigd_op.eq(nu),
                ))
                .returning($table::id)
                .get_result(conn)
        }

        /// Stores `v` if the item is still at `versie`; false when it moved on (or is gone).
        pub fn update(
            conn: &mut $crate::db::DbConn,
            netwerk: &$crate::domain::toegang::netwerken::Beheerrecht,
            id: i64,
            versie: i64,
            v: &$velden,
            nu: ::chrono::NaiveDateTime,
        ) -> ::diesel::QueryResult<bool> {
            use ::diesel::prelude::*;
            use $crate::db::schema::$table;
            let n = ::diesel::update($table::table.filter($table::id.eq(id)))
                .filter($table::netwerk_code.eq(netwerk.netwerk().as_str()))
                .filter($table::versie.eq(versie))
                .set((v, $table::versie.eq(versie + 1), $table::gewijzigd_op.eq(nu)))
                .execute(conn)?;
            Ok(n == 1)
        }

        /// Deletes the item if it is still at `versie`; false when it moved on (or is gone).
        pub fn delete(
            conn: &mut $crate::db::DbConn,
            netwerk: &$crate::domain::toegang::netwerken::Beheerrecht,
            id: i64,
            versie: i64,
        ) -> ::diesel::QueryResult<bool> {
            use ::diesel::prelude::*;
            use $crate::db::schema::$table;
            let n = ::diesel::delete($table::table.filter($table::id.eq(id)))
                .filter($table::netwerk_code.eq(netwerk.netwerk().as_str()))
                .filter($table::versie.eq(versie))
                .execute(conn)?;
            Ok(n == 1)
        }
    };
}
pub(crate) use versioned_item_queries;
