//! R27: how long the API keeps a newcomer's personal data, and who sees the trail of who
//! consulted it (issue 17). Pure rules; the job is `app::retentie`, the SQL `repo::retentie`.
//!
//! - A newcomer whose contracts are all closed (`voltooid` or `stopgezet`) is forgotten
//!   `PNT_RETENTION_YEARS` (default 5) after the last one closed: the day the attest was issued
//!   or the contract stopped (for a closed contract without either date, its last change).
//! - A newcomer without any contract (registered, never signed) is forgotten the same number of
//!   years after their record last changed: nothing else in the API needs the record, and a new
//!   registration starts a new file.
//! - A newcomer with a running contract (`lopend`, `verlengd`, also past its term) is never
//!   forgotten: the contract is the legal ground to keep the file. This also refuses an erasure on
//!   request (`409`).
//!
//! Forgetting replaces the identifying fields by a pseudonym (`pseudoniem`) or erases them, on the
//! record and on every contract, follow-up entry, proof and referral that names the person; ids,
//! dates, statuses, hours and municipalities stay, so every aggregate and count stays the same.

use chrono::{Months, NaiveDate};

use super::inburgeraar::text_enum;
use crate::domain::contract::ContractStatus;

/// `PNT_RETENTION_YEARS` when unset.
pub const STANDAARD_JAREN: u32 = 5;

/// What stands where an erased free text (a note, a reason, a name) stood.
pub const UITGEWIST: &str = "[uitgewist]";

text_enum! {
    /// Why a newcomer's identifying data was erased.
    Grond {
        /// The retention period ran out (the daily job, R27).
        Bewaartermijn = "bewaartermijn",
        /// An admin erased it on the person's request (right to erasure), with a reason.
        Verzoek = "verzoek",
    }
}

/// The pseudonym that replaces a newcomer's name: derived from the internal id only, so the
/// audit log's entries (which name ids) still lead to the one record, and nothing identifies
/// the person.
pub fn pseudoniem(id: i64) -> String {
    format!("PSEUDONIEM-{id:06}")
}

/// The last day of personal data that is still kept on `vandaag`: a newcomer whose file closed
/// before this date is forgotten.
pub fn grens(vandaag: NaiveDate, jaren: u32) -> NaiveDate {
    vandaag.checked_sub_months(Months::new(12 * jaren)).unwrap_or(NaiveDate::MIN)
}

/// One contract as the rule reads it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Afsluiting {
    pub status: ContractStatus,
    /// The day it closed: attest issued or stopped; else its last change.
    pub op: NaiveDate,
}

/// Why a newcomer is past the retention period, and since when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verlopen {
    /// The last contract closed on this day.
    LaatsteContractAfgesloten(NaiveDate),
    /// No contract; the record last changed on this day.
    GeenContract(NaiveDate),
}

/// R27: whether a newcomer with `contracten`, whose record last changed on `gewijzigd`, is past
/// the retention period on the day `grens` ([`grens`]) stands for.
pub fn verlopen(contracten: &[Afsluiting], gewijzigd: NaiveDate, grens: NaiveDate) -> Option<Verlopen> {
    if contracten.iter().any(|c| c.status.is_lopend()) {
        return None;
    }
    match contracten.iter().map(|c| c.op).max() {
        Some(laatste) => (laatste < grens).then_some(Verlopen::LaatsteContractAfgesloten(laatste)),
        None => (gewijzigd < grens).then_some(Verlopen::GeenContract(gewijzigd)),
    }
}

/// R27: an erasure on request is refused while a contract runs (the legal ground to keep the
/// file); the reason why, for the `409`.
pub fn uitwissing_op_verzoek(contracten: &[Afsluiting]) -> Result<(), String> {
    if contracten.iter().any(|c| c.status.is_lopend()) {
        Err("The newcomer has a running contract: the file is kept while it runs (R27)".into())
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn the_limit_is_whole_years_back() {
        assert_eq!(grens(d("2031-12-01"), 5), d("2026-12-01"));
        assert_eq!(grens(d("2028-02-29"), 1), d("2027-02-28"));
    }

    #[test]
    fn who_is_past_the_retention_period() {
        let g = d("2026-12-01");
        let dicht = |op: &str| Afsluiting { status: ContractStatus::Stopgezet, op: d(op) };
        let lopend = Afsluiting { status: ContractStatus::Lopend, op: d("2010-01-01") };
        // The last closed contract decides.
        assert_eq!(
            verlopen(&[dicht("2020-01-01"), dicht("2026-11-30")], d("2000-01-01"), g),
            Some(Verlopen::LaatsteContractAfgesloten(d("2026-11-30")))
        );
        assert_eq!(verlopen(&[dicht("2020-01-01"), dicht("2026-12-01")], d("2000-01-01"), g), None);
        // A running contract keeps the file, however old.
        assert_eq!(verlopen(&[dicht("2001-01-01"), lopend], d("2000-01-01"), g), None);
        assert!(uitwissing_op_verzoek(&[lopend]).is_err());
        assert!(uitwissing_op_verzoek(&[dicht("2026-11-30")]).is_ok());
        // Without a contract, the record's last change.
        assert_eq!(verlopen(&[], d("2026-11-30"), g), Some(Verlopen::GeenContract(d("2026-11-30"))));
        assert_eq!(verlopen(&[], d("2026-12-01"), g), None);
    }

    #[test]
    fn the_pseudonym_names_the_id_only() {
        assert_eq!(pseudoniem(17), "PSEUDONIEM-000017");
    }
}
