//! SQL per resource: the queries behind the routes, written once for both backends.

pub mod aanbod;
pub mod aanbodrevisies;
pub mod acties;
pub mod api_clients;
pub mod audit;
pub mod auditlog;
pub mod contracten;
pub mod deelnamebewijzen;
pub mod doorverwijzingen;
pub mod gebeurtenissen;
pub mod gemeenten;
pub mod idempotency;
pub mod inburgeraars;
pub mod monitoring;
pub mod netwerk_onderdelen;
pub mod netwerkbeheer;
pub mod opvolging;
pub mod organisaties;
pub mod outbox;
pub mod overleggen;
pub mod retentie;
pub mod voortgang;
pub mod webhooks;

use diesel::backend::Backend;
use diesel::deserialize::{self, FromSql};
use diesel::sql_types::Text;
use serde::de::DeserializeOwned;

/// A JSON document in a TEXT column, read into `T`: a stored value that does not parse is a
/// deserialization error of the query, like an unknown value of a closed set.
#[derive(Clone, Debug, PartialEq, diesel::deserialize::FromSqlRow)]
pub struct Json<T>(pub T);

impl<T: DeserializeOwned, DB: Backend> FromSql<Text, DB> for Json<T>
where
    String: FromSql<Text, DB>,
{
    fn from_sql(bytes: DB::RawValue<'_>) -> deserialize::Result<Self> {
        Ok(Json(serde_json::from_str(&String::from_sql(bytes)?)?))
    }
}
