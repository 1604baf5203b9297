//! Progress toward the PNT's hours (R4, R9): what is approved, what waits for review, what is
//! expected by now if the hours were spread evenly over the term, and the resulting risk; and
//! the trajectbegeleider's worklist, filtered and ordered by that progress. The hours come from
//! the proofs (deelnamebewijzen); this module only computes.

use std::cmp::Ordering;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::contract::{ContractStaat, ContractStatus};
use super::inburgeraar::text_enum;

/// A contract is behind schedule when its approved hours trail the linear expectation by more
/// than this share of the required hours (4 of 40): a day's delay is no reason to call anyone.
pub const ACHTERSTAND_MARGE: f64 = 0.10;

/// PNT hours of one contract.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Uren {
    /// Approved by the trajectbegeleider (R9): the only hours that count.
    pub goedgekeurd: f64,
    /// Signed by the contact person, not yet reviewed.
    pub ingediend: f64,
}

text_enum! {
    /// Where a contract stands toward the PNT's hours, in the order a worklist cares about.
    Risico {
        /// The required hours are approved.
        Behaald = "behaald",
        /// Approved hours keep pace with the term.
        OpSchema = "opSchema",
        /// Approved hours trail the linear expectation by more than 10 % of the required hours.
        Achterstand = "achterstand",
        /// The term ended without the required hours.
        TermijnVerstreken = "termijnVerstreken",
        /// The contract does not include the PNT.
        NietVereist = "nietVereist",
        /// The contract is closed with the attest: no risk is computed.
        Voltooid = "voltooid",
        /// The contract was ended without attest: no risk is computed.
        Stopgezet = "stopgezet",
    }
}

/// Progress toward the PNT's hours on a given day, in plain fields for a progress bar.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = VoortgangGegevens)]
pub struct Voortgang {
    /// The day this was computed for (today in Brussels).
    #[schema(example = "2026-11-30")]
    pub peildatum: NaiveDate,
    /// Hours the contract requires now: 40 with the PNT, 0 without.
    #[schema(example = 40)]
    pub vereiste_uren: f64,
    /// Approved hours: the only ones that count (R9).
    #[schema(example = 12.5)]
    pub goedgekeurde_uren: f64,
    /// Signed by the contact person, waiting for the trajectbegeleider's review.
    #[schema(example = 4)]
    pub ingediende_uren: f64,
    /// Required minus approved hours, never below 0.
    #[schema(example = 27.5)]
    pub resterende_uren: f64,
    /// Approved share of the required hours, 0–100, rounded down. Absent without the PNT.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 31)]
    pub percentage: Option<u32>,
    /// Days until the end of the term; negative once it passed.
    #[schema(example = 120)]
    pub dagen_tot_termijn: i64,
    /// Hours that would be approved by now at an even pace over the term. Absent without the PNT.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = 22.4)]
    pub verwachte_uren_op_schema: Option<f64>,
    /// `achterstand` once approved hours trail the even pace by more than 4 hours (10 %).
    pub risico: Risico,
}

fn rond(x: f64, decimalen: i32) -> f64 {
    let f = 10f64.powi(decimalen);
    (x * f).round() / f
}

/// The inputs that describe a contract's PNT.
#[derive(Clone, Copy, Debug)]
pub struct PntTermijn {
    pub opgenomen: bool,
    pub vereiste_uren: u32,
    pub ondertekend_op: NaiveDate,
    pub termijn_einde: NaiveDate,
    /// Risk is computed for running contracts only; a closed one shows its status.
    pub status: ContractStatus,
}

impl PntTermijn {
    /// The PNT of a contract in state `staat`.
    pub fn van(staat: &ContractStaat) -> PntTermijn {
        PntTermijn {
            opgenomen: staat.pnt_opgenomen,
            vereiste_uren: staat.vereiste_uren,
            ondertekend_op: staat.ondertekend_op,
            termijn_einde: staat.termijn_einde,
            status: staat.status,
        }
    }
}

/// The risk of a closed contract is its closing status (the worklist agrees with monitoring,
/// which counts running contracts only); `None` for a running one.
fn afgesloten(status: ContractStatus) -> Option<Risico> {
    match status {
        ContractStatus::Voltooid => Some(Risico::Voltooid),
        ContractStatus::Stopgezet => Some(Risico::Stopgezet),
        ContractStatus::Lopend | ContractStatus::Verlengd => None,
    }
}

/// Computes the progress on `vandaag`.
pub fn bereken(pnt: PntTermijn, uren: Uren, vandaag: NaiveDate) -> Voortgang {
    let dagen_tot_termijn = (pnt.termijn_einde - vandaag).num_days();
    let goedgekeurd = rond(uren.goedgekeurd.max(0.0), 2);
    let ingediend = rond(uren.ingediend.max(0.0), 2);
    if !pnt.opgenomen {
        return Voortgang {
            peildatum: vandaag,
            vereiste_uren: 0.0,
            goedgekeurde_uren: goedgekeurd,
            ingediende_uren: ingediend,
            resterende_uren: 0.0,
            percentage: None,
            dagen_tot_termijn,
            verwachte_uren_op_schema: None,
            risico: afgesloten(pnt.status).unwrap_or(Risico::NietVereist),
        };
    }
    let vereist = f64::from(pnt.vereiste_uren);
    let looptijd = (pnt.termijn_einde - pnt.ondertekend_op).num_days().max(1);
    let verstreken = (vandaag - pnt.ondertekend_op).num_days().clamp(0, looptijd);
    let verwacht = vereist * verstreken as f64 / looptijd as f64;
    let percentage = if vereist > 0.0 { ((goedgekeurd / vereist * 100.0).floor() as u32).min(100) } else { 100 };
    let risico = if let Some(r) = afgesloten(pnt.status) {
        r
    } else if goedgekeurd >= vereist {
        Risico::Behaald
    } else if vandaag > pnt.termijn_einde {
        Risico::TermijnVerstreken
    } else if verwacht - goedgekeurd > vereist * ACHTERSTAND_MARGE {
        Risico::Achterstand
    } else {
        Risico::OpSchema
    };
    Voortgang {
        peildatum: vandaag,
        vereiste_uren: vereist,
        goedgekeurde_uren: goedgekeurd,
        ingediende_uren: ingediend,
        resterende_uren: rond((vereist - goedgekeurd).max(0.0), 2),
        percentage: Some(percentage),
        dagen_tot_termijn,
        verwachte_uren_op_schema: Some(rond(verwacht, 1)),
        risico,
    }
}

text_enum! {
    /// Orders of the contract list (`-` = descending).
    ContractSort {
        TermijnEinde = "termijnEinde",
        TermijnEindeDesc = "-termijnEinde",
        Percentage = "percentage",
        PercentageDesc = "-percentage",
    }
}

/// A contract in the worklist as its filters and orders see it.
#[derive(Clone, Copy, Debug)]
pub struct Werkregel {
    pub id: i64,
    pub termijn_einde: NaiveDate,
    pub uren: Uren,
    pub voortgang: Voortgang,
}

/// The worklist's filters and orders that rest on the hours: who is behind (`risico`), whose
/// proofs wait for review (`te_beoordelen`), by percentage. By default, and after the given
/// orders, contracts go by the end of their term, then by id.
#[derive(Clone, Debug, Default)]
pub struct Werklijst {
    pub risico: Vec<Risico>,
    pub te_beoordelen: Option<bool>,
    pub sort: Vec<ContractSort>,
}

impl Werklijst {
    /// Whether the hours decide which contracts show or their order; otherwise the term's end
    /// alone orders them (and the database can page).
    pub fn op_uren(&self) -> bool {
        !self.risico.is_empty()
            || self.te_beoordelen.is_some()
            || self.sort.iter().any(|s| matches!(s, ContractSort::Percentage | ContractSort::PercentageDesc))
    }

    /// Whether the term's end goes last first (`-termijnEinde` given, and no order on the hours).
    pub fn termijn_aflopend(&self) -> bool {
        !self.op_uren()
            && self.sort.iter().find(|s| matches!(s, ContractSort::TermijnEinde | ContractSort::TermijnEindeDesc))
                == Some(&ContractSort::TermijnEindeDesc)
    }

    fn toont(&self, r: &Werkregel) -> bool {
        (self.risico.is_empty() || self.risico.contains(&r.voortgang.risico))
            && self.te_beoordelen.is_none_or(|t| t == (r.uren.ingediend > 0.0))
    }

    fn vergelijk(&self, a: &Werkregel, b: &Werkregel) -> Ordering {
        fn pct(a: Option<u32>, b: Option<u32>, desc: bool) -> Ordering {
            match (a, b) {
                (Some(x), Some(y)) if desc => y.cmp(&x),
                (Some(x), Some(y)) => x.cmp(&y),
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        let (ta, tb) = (a.termijn_einde, b.termijn_einde);
        self.sort
            .iter()
            .map(|s| match s {
                ContractSort::TermijnEinde => ta.cmp(&tb),
                ContractSort::TermijnEindeDesc => tb.cmp(&ta),
                ContractSort::Percentage => pct(a.voortgang.percentage, b.voortgang.percentage, false),
                ContractSort::PercentageDesc => pct(a.voortgang.percentage, b.voortgang.percentage, true),
            })
            .find(|o| o.is_ne())
            .unwrap_or_else(|| ta.cmp(&tb).then(a.id.cmp(&b.id)))
    }

    /// The page (`offset`, `limit`) of the contracts that pass the filters, in order, and how
    /// many pass in all. Each contract comes with `T`, whatever the caller needs to show it.
    pub fn pagina<T>(&self, regels: Vec<(Werkregel, T)>, offset: i64, limit: i64) -> (Vec<(Werkregel, T)>, i64) {
        let mut regels: Vec<_> = regels.into_iter().filter(|(r, _)| self.toont(r)).collect();
        regels.sort_by(|(a, _), (b, _)| self.vergelijk(a, b));
        let total = regels.len() as i64;
        let pagina = regels
            .into_iter()
            .skip(usize::try_from(offset).unwrap_or(0))
            .take(usize::try_from(limit).unwrap_or(0))
            .collect();
        (pagina, total)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::Days;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn pnt(ondertekend_op: NaiveDate, termijn_einde: NaiveDate) -> PntTermijn {
        PntTermijn { opgenomen: true, vereiste_uren: 40, ondertekend_op, termijn_einde, status: ContractStatus::Lopend }
    }

    fn uren(goedgekeurd: f64, ingediend: f64) -> Uren {
        Uren { goedgekeurd, ingediend }
    }

    #[test]
    fn fresh_contract_is_on_schedule() {
        let start = d(2026, 1, 1);
        let v = bereken(pnt(start, d(2027, 1, 1)), Uren::default(), start);
        assert_eq!(v.risico, Risico::OpSchema);
        assert_eq!(v.percentage, Some(0));
        assert_eq!(v.resterende_uren, 40.0);
        assert_eq!(v.verwachte_uren_op_schema, Some(0.0));
        assert_eq!(v.dagen_tot_termijn, 365);
    }

    #[test]
    fn expectation_is_linear_over_the_term() {
        let start = d(2026, 1, 1);
        let einde = start.checked_add_days(Days::new(100)).unwrap();
        let half = start.checked_add_days(Days::new(50)).unwrap();
        let v = bereken(pnt(start, einde), uren(20.0, 0.0), half);
        assert_eq!(v.verwachte_uren_op_schema, Some(20.0));
        assert_eq!(v.percentage, Some(50));
        assert_eq!(v.risico, Risico::OpSchema);
        assert_eq!(v.dagen_tot_termijn, 50);
        // Within the margin (4 hours) is still on schedule; beyond it is behind.
        assert_eq!(bereken(pnt(start, einde), uren(16.0, 0.0), half).risico, Risico::OpSchema);
        let achter = bereken(pnt(start, einde), uren(15.5, 10.0), half);
        assert_eq!(achter.risico, Risico::Achterstand, "submitted hours do not count yet");
        assert_eq!(achter.ingediende_uren, 10.0);
        // Before signing nothing is expected; after the end everything.
        let voor = bereken(pnt(start, einde), Uren::default(), d(2025, 12, 1));
        assert_eq!(voor.verwachte_uren_op_schema, Some(0.0));
    }

    #[test]
    fn passed_term_and_met_hours() {
        let start = d(2025, 1, 1);
        let einde = d(2026, 1, 1);
        let na = d(2026, 1, 2);
        let v = bereken(pnt(start, einde), uren(39.0, 1.0), na);
        assert_eq!(v.risico, Risico::TermijnVerstreken);
        assert_eq!(v.dagen_tot_termijn, -1);
        assert_eq!(v.verwachte_uren_op_schema, Some(40.0));
        assert_eq!(v.resterende_uren, 1.0);
        assert_eq!(v.percentage, Some(97));
        // On the last day the term still runs.
        assert_ne!(bereken(pnt(start, einde), uren(39.0, 0.0), einde).risico, Risico::TermijnVerstreken);
        // A closed contract shows its status, not a risk, with or without the PNT.
        for (status, risico) in
            [(ContractStatus::Stopgezet, Risico::Stopgezet), (ContractStatus::Voltooid, Risico::Voltooid)]
        {
            let gesloten = PntTermijn { status, ..pnt(start, einde) };
            assert_eq!(bereken(gesloten, uren(0.0, 0.0), na).risico, risico);
            assert_eq!(bereken(PntTermijn { opgenomen: false, ..gesloten }, uren(0.0, 0.0), na).risico, risico);
        }
        let verlengd = PntTermijn { status: ContractStatus::Verlengd, ..pnt(start, einde) };
        assert_eq!(bereken(verlengd, uren(0.0, 0.0), na).risico, Risico::TermijnVerstreken);
        let klaar = bereken(pnt(start, einde), uren(42.5, 0.0), na);
        assert_eq!(klaar.risico, Risico::Behaald);
        assert_eq!(klaar.percentage, Some(100));
        assert_eq!(klaar.resterende_uren, 0.0);
    }

    #[test]
    fn without_the_pnt_nothing_is_required() {
        let mut p = pnt(d(2026, 1, 1), d(2027, 1, 1));
        p.opgenomen = false;
        let v = bereken(p, uren(3.0, 0.0), d(2026, 6, 1));
        assert_eq!(v.risico, Risico::NietVereist);
        assert_eq!(v.vereiste_uren, 0.0);
        assert_eq!(v.percentage, None);
        assert_eq!(v.verwachte_uren_op_schema, None);
        assert_eq!(v.goedgekeurde_uren, 3.0);
    }

    #[test]
    fn the_worklist_filters_and_orders_by_the_hours() {
        let start = d(2026, 1, 1);
        let op = d(2026, 7, 1);
        let regel = |id: i64, einde: NaiveDate, goedgekeurd: f64, ingediend: f64| {
            let u = uren(goedgekeurd, ingediend);
            (Werkregel { id, termijn_einde: einde, uren: u, voortgang: bereken(pnt(start, einde), u, op) }, id)
        };
        let regels = || {
            vec![
                regel(1, d(2026, 12, 31), 30.0, 0.0),
                regel(2, d(2026, 9, 1), 2.0, 3.0),
                regel(3, d(2026, 8, 1), 0.0, 0.0),
            ]
        };
        let ids = |w: &Werklijst, offset, limit| {
            let (pagina, total) = w.pagina(regels(), offset, limit);
            (pagina.into_iter().map(|(_, id)| id).collect::<Vec<_>>(), total)
        };
        let standaard = Werklijst::default();
        assert!(!standaard.op_uren() && !standaard.termijn_aflopend());
        assert_eq!(ids(&standaard, 0, 10), (vec![3, 2, 1], 3), "by the end of the term");
        let achter = Werklijst { risico: vec![Risico::Achterstand], ..Default::default() };
        assert!(achter.op_uren());
        assert_eq!(ids(&achter, 0, 10), (vec![3, 2], 2));
        let te_beoordelen = Werklijst { te_beoordelen: Some(true), ..Default::default() };
        assert_eq!(ids(&te_beoordelen, 0, 10), (vec![2], 1));
        let pct = Werklijst { sort: vec![ContractSort::PercentageDesc], ..Default::default() };
        assert_eq!(ids(&pct, 0, 10), (vec![1, 2, 3], 3));
        assert_eq!(ids(&pct, 1, 1), (vec![2], 3), "paged after filtering and sorting");
        let aflopend = Werklijst { sort: vec![ContractSort::TermijnEindeDesc], ..Default::default() };
        assert!(aflopend.termijn_aflopend() && !aflopend.op_uren());
    }
}
