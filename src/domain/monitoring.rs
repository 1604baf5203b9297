//! Privacy-safe monitoring (R15): a table of figures per municipality, with small counts
//! suppressed and no suppressed figure recoverable from the others.
//!
//! The table has a row per municipality and a total row (the column sums); some columns are
//! the sum of a group of others (offers by type → all offers, referrals by status → all
//! referrals). Every such relation is an equation `total = Σ parts`. Suppression:
//!
//! 1. **Primary**: every figure resting on fewer than [`DREMPEL`] (5) units is suppressed — a
//!    count below 5 (0 included), or an amount (approved hours) to which fewer than 5
//!    contracts contribute (contracts without approved hours do not count, however many run).
//! 2. **Complementary**, repeated until nothing changes:
//!    - an equation with exactly one suppressed figure gets a second one (otherwise the
//!      total minus the visible parts gives it away);
//!    - an equation whose total is visible must have its suppressed parts rest together on at
//!      least 5 units (otherwise the difference reveals a small count, e.g. "0");
//!    - finally every suppressed figure is checked against the whole system of equations
//!      (all rows and columns at once, by Gaussian elimination): if some combination of
//!      visible figures determines it, another figure is suppressed.
//!
//! The extra figure is always the visible one resting on the fewest units (parts before
//! totals), so as little as possible is hidden. A projection of the protected table (one
//! municipality's row) reveals nothing the table does not.

use std::collections::{BTreeSet, VecDeque};

use chrono::NaiveDate;

use super::aanbod::Aanbodtype;
use super::doorverwijzing::DoorverwijzingStatus;

/// Figures resting on fewer units than this are suppressed.
pub const DREMPEL: i64 = 5;

/// One figure: its value and the number of units (people, contracts, offers) it rests on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Cel {
    pub waarde: f64,
    pub basis: i64,
}

impl Cel {
    /// A count: it rests on itself.
    pub fn aantal(n: i64) -> Cel {
        Cel { waarde: n as f64, basis: n }
    }

    /// An amount (hours) summed over `basis` units.
    pub fn bedrag(waarde: f64, basis: i64) -> Cel {
        Cel { waarde, basis }
    }

    fn plus(self, other: Cel) -> Cel {
        Cel { waarde: self.waarde + other.waarde, basis: self.basis + other.basis }
    }
}

/// `cellen[totaal] = Σ cellen[delen]`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Som {
    pub totaal: usize,
    pub delen: Vec<usize>,
}

impl Som {
    fn cellen(&self) -> impl Iterator<Item = usize> + '_ {
        std::iter::once(self.totaal).chain(self.delen.iter().copied())
    }
}

/// A table of `kolommen` columns per row where column `groepen[i].0` is the sum of the
/// columns `groepen[i].1`.
#[derive(Clone, Debug)]
pub struct Opbouw {
    pub kolommen: usize,
    pub groepen: Vec<(usize, Vec<usize>)>,
}

/// The protected table: the rows' suppression flags, the total row and its flags.
#[derive(Clone, Debug, PartialEq)]
pub struct Beveiligd {
    pub rijen: Vec<Vec<bool>>,
    pub totaal: Vec<Cel>,
    pub totaal_onderdrukt: Vec<bool>,
}

/// Adds the total row to `rijen` and suppresses what must be (see the module docs).
pub fn beveilig(opbouw: &Opbouw, rijen: &[Vec<Cel>]) -> Beveiligd {
    let k = opbouw.kolommen;
    let n = rijen.len();
    let mut totaal = vec![Cel::aantal(0); k];
    for rij in rijen {
        for (t, c) in totaal.iter_mut().zip(rij) {
            *t = t.plus(*c);
        }
    }
    // Cell (r, c) is r * k + c; the total row is row n.
    let mut cellen: Vec<Cel> = rijen.iter().flat_map(|r| r.iter().copied()).collect();
    cellen.extend(totaal.iter().copied());
    let mut sommen = Vec::new();
    for r in 0..=n {
        for (t, delen) in &opbouw.groepen {
            sommen.push(Som { totaal: r * k + t, delen: delen.iter().map(|d| r * k + d).collect() });
        }
    }
    for c in 0..k {
        sommen.push(Som { totaal: n * k + c, delen: (0..n).map(|r| r * k + c).collect() });
    }
    let vlag = onderdruk(&cellen, &sommen);
    Beveiligd {
        rijen: (0..n).map(|r| vlag[r * k..(r + 1) * k].to_vec()).collect(),
        totaal_onderdrukt: vlag[n * k..].to_vec(),
        totaal,
    }
}

/// Primary and complementary suppression over any set of sum relations.
pub fn onderdruk(cellen: &[Cel], sommen: &[Som]) -> Vec<bool> {
    let mut weg: Vec<bool> = cellen.iter().map(|c| c.basis < DREMPEL).collect();
    loop {
        if let Some(extra) = eerste_lek_in_een_som(cellen, sommen, &weg) {
            weg[extra] = true;
            continue;
        }
        // One cell at a time: hiding one extra figure often protects several.
        let Some(&cel) = bepaalde_cellen(cellen.len(), sommen, &weg).first() else {
            return weg;
        };
        match aanvulling_voor(cel, cellen, sommen, &weg) {
            Some(extra) => weg[extra] = true,
            // Nothing visible is connected to it (cannot happen with sum tables, whose fully
            // suppressed system determines nothing); stop rather than loop.
            None => return weg,
        }
    }
}

/// The visible cell of `som` resting on the fewest units, parts before the total.
fn kleinste_zichtbare(som: &Som, cellen: &[Cel], weg: &[bool]) -> Option<usize> {
    let deel = som.delen.iter().copied().filter(|&i| !weg[i]).min_by_key(|&i| (cellen[i].basis, i));
    deel.or_else(|| (!weg[som.totaal]).then_some(som.totaal))
}

/// A cell to suppress because one equation on its own would give a suppressed cell (or a
/// small group of them) away.
fn eerste_lek_in_een_som(cellen: &[Cel], sommen: &[Som], weg: &[bool]) -> Option<usize> {
    for som in sommen {
        let verborgen: Vec<usize> = som.cellen().filter(|&i| weg[i]).collect();
        if verborgen.is_empty() {
            continue;
        }
        let enkel = verborgen.len() == 1;
        let klein_restant =
            !weg[som.totaal] && som.delen.iter().filter(|&&i| weg[i]).map(|&i| cellen[i].basis).sum::<i64>() < DREMPEL;
        if (enkel || klein_restant)
            && let Some(extra) = kleinste_zichtbare(som, cellen, weg)
        {
            return Some(extra);
        }
    }
    None
}

const EPS: f64 = 1e-9;

/// The suppressed cells whose value the visible ones determine through the equations: x is
/// determined when its unit vector lies in the row space of the equations restricted to the
/// suppressed cells (reduced row echelon form: a pivot whose row has no free column).
fn bepaalde_cellen(aantal: usize, sommen: &[Som], weg: &[bool]) -> Vec<usize> {
    let onbekend: Vec<usize> = (0..aantal).filter(|&i| weg[i]).collect();
    if onbekend.is_empty() {
        return Vec::new();
    }
    let mut kolom_van = vec![usize::MAX; aantal];
    for (j, &i) in onbekend.iter().enumerate() {
        kolom_van[i] = j;
    }
    let breed = onbekend.len();
    let mut m: Vec<Vec<f64>> = sommen
        .iter()
        .filter(|s| s.cellen().any(|i| weg[i]))
        .map(|s| {
            let mut rij = vec![0.0; breed];
            if weg[s.totaal] {
                rij[kolom_van[s.totaal]] += 1.0;
            }
            for &d in &s.delen {
                if weg[d] {
                    rij[kolom_van[d]] -= 1.0;
                }
            }
            rij
        })
        .collect();
    let mut pivots: Vec<(usize, usize)> = Vec::new();
    let mut r = 0;
    for c in 0..breed {
        if r == m.len() {
            break;
        }
        let Some(p) = (r..m.len()).find(|&i| m[i][c].abs() > EPS) else { continue };
        m.swap(r, p);
        let f = m[r][c];
        for x in m[r].iter_mut() {
            *x /= f;
        }
        let pivot_rij = m[r].clone();
        for (i, rij) in m.iter_mut().enumerate() {
            if i != r && rij[c].abs() > EPS {
                let g = rij[c];
                for (x, p) in rij.iter_mut().zip(&pivot_rij) {
                    *x -= g * p;
                }
            }
        }
        pivots.push((r, c));
        r += 1;
    }
    pivots
        .into_iter()
        .filter(|&(rij, c)| m[rij].iter().enumerate().all(|(j, x)| j == c || x.abs() <= EPS))
        .map(|(_, c)| onbekend[c])
        .collect()
}

/// A visible cell to suppress so that `cel` is no longer determined: from the nearest
/// equation (through suppressed cells) that still has a visible one.
fn aanvulling_voor(cel: usize, cellen: &[Cel], sommen: &[Som], weg: &[bool]) -> Option<usize> {
    let mut gezien_cel = BTreeSet::from([cel]);
    let mut gezien_som = BTreeSet::new();
    let mut rij = VecDeque::from([cel]);
    while let Some(c) = rij.pop_front() {
        for (si, som) in sommen.iter().enumerate() {
            if !som.cellen().any(|i| i == c) || !gezien_som.insert(si) {
                continue;
            }
            if let Some(extra) = kleinste_zichtbare(som, cellen, weg) {
                return Some(extra);
            }
            for i in som.cellen() {
                if gezien_cel.insert(i) {
                    rij.push_back(i);
                }
            }
        }
    }
    None
}

/// The figures of a municipality, in table (and CSV column) order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kolom {
    /// Published offers in the municipality whose period touches the year.
    AanbodGepubliceerd,
    AanbodPerType(Aanbodtype),
    /// Of those, the ones with a free place (or no capacity limit) today.
    AanbodMetVrijePlaatsen,
    /// Referrals made in the year for residents, by their current status.
    Doorverwijzingen,
    DoorverwijzingenPerStatus(DoorverwijzingStatus),
    /// Residents' contracts with the PNT that ran during the year.
    LopendeContractenMetPnt,
    /// Residents who started a PNT activity in the year.
    GestartMetPntActiviteit,
    /// Approved PNT hours of the contracts counted in `LopendeContractenMetPnt`; it rests on
    /// the contracts with approved hours (the contributors), not on all running ones.
    GoedgekeurdeUren,
    /// Contracts with the PNT that were running on the reference date and behind schedule or
    /// past their term.
    ContractenMetRisico,
    /// Attests issued in the year.
    Attesten,
}

impl Kolom {
    /// Every column, group totals before their parts.
    pub fn alle() -> Vec<Kolom> {
        let mut k = vec![Kolom::AanbodGepubliceerd];
        k.extend(Aanbodtype::ALL.iter().map(|t| Kolom::AanbodPerType(*t)));
        k.push(Kolom::AanbodMetVrijePlaatsen);
        k.push(Kolom::Doorverwijzingen);
        k.extend(DoorverwijzingStatus::ALL.iter().map(|s| Kolom::DoorverwijzingenPerStatus(*s)));
        k.extend([
            Kolom::LopendeContractenMetPnt,
            Kolom::GestartMetPntActiviteit,
            Kolom::GoedgekeurdeUren,
            Kolom::ContractenMetRisico,
            Kolom::Attesten,
        ]);
        k
    }

    /// The column's name as in the JSON document, dotted for the parts of a group
    /// (`aanbodGepubliceerd.buddyproject`): the CSV header.
    pub fn naam(self) -> String {
        match self {
            Kolom::AanbodGepubliceerd => "aanbodGepubliceerd".into(),
            Kolom::AanbodPerType(t) => format!("aanbodGepubliceerd.{t}"),
            Kolom::AanbodMetVrijePlaatsen => "aanbodMetVrijePlaatsen".into(),
            Kolom::Doorverwijzingen => "doorverwijzingen".into(),
            Kolom::DoorverwijzingenPerStatus(s) => format!("doorverwijzingen.{s}"),
            Kolom::LopendeContractenMetPnt => "lopendeContractenMetPnt".into(),
            Kolom::GestartMetPntActiviteit => "gestartMetPntActiviteit".into(),
            Kolom::GoedgekeurdeUren => "goedgekeurdeUren".into(),
            Kolom::ContractenMetRisico => "contractenMetRisico".into(),
            Kolom::Attesten => "attesten".into(),
        }
    }

    /// The sum relations between the columns `kolommen`.
    pub fn opbouw(kolommen: &[Kolom]) -> Opbouw {
        let pos = |k: Kolom| kolommen.iter().position(|x| *x == k);
        let mut groepen = Vec::new();
        let types: Vec<usize> =
            kolommen.iter().enumerate().filter(|(_, k)| matches!(k, Kolom::AanbodPerType(_))).map(|(i, _)| i).collect();
        if let Some(t) = pos(Kolom::AanbodGepubliceerd) {
            groepen.push((t, types));
        }
        let statussen: Vec<usize> = kolommen
            .iter()
            .enumerate()
            .filter(|(_, k)| matches!(k, Kolom::DoorverwijzingenPerStatus(_)))
            .map(|(i, _)| i)
            .collect();
        if let Some(t) = pos(Kolom::Doorverwijzingen) {
            groepen.push((t, statussen));
        }
        Opbouw { kolommen: kolommen.len(), groepen }
    }
}

/// When a contract ran, as far as the monitoring counts it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Looptijd {
    pub ondertekend_op: NaiveDate,
    /// Still running (`lopend` or `verlengd`).
    pub lopend: bool,
    /// The day it stopped running: the attest's day or the day it was stopped.
    pub einde: Option<NaiveDate>,
}

impl Looptijd {
    /// Ran on at least one day of `van`–`tot`.
    pub fn liep_tussen(&self, van: NaiveDate, tot: NaiveDate) -> bool {
        self.ondertekend_op <= tot && (self.lopend || self.einde.is_some_and(|e| e >= van))
    }

    /// Was running on `dag` (signed by then, and not yet closed).
    pub fn liep_op(&self, dag: NaiveDate) -> bool {
        self.ondertekend_op <= dag && (self.lopend || self.einde.is_some_and(|e| e > dag))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn aantallen(rijen: &[&[i64]]) -> Vec<Vec<Cel>> {
        rijen.iter().map(|r| r.iter().map(|&n| Cel::aantal(n)).collect()).collect()
    }

    /// Column 0 is the sum of columns 1..=3.
    fn opbouw() -> Opbouw {
        Opbouw { kolommen: 4, groepen: vec![(0, vec![1, 2, 3])] }
    }

    /// Whether any suppressed cell is determined by the visible ones (the property we need).
    fn lekt(cellen: &[Cel], sommen: &[Som], weg: &[bool]) -> bool {
        !bepaalde_cellen(cellen.len(), sommen, weg).is_empty()
    }

    fn sommen_van(opbouw: &Opbouw, n: usize) -> Vec<Som> {
        let k = opbouw.kolommen;
        let mut s = Vec::new();
        for r in 0..=n {
            for (t, d) in &opbouw.groepen {
                s.push(Som { totaal: r * k + t, delen: d.iter().map(|x| r * k + x).collect() });
            }
        }
        for c in 0..k {
            s.push(Som { totaal: n * k + c, delen: (0..n).map(|r| r * k + c).collect() });
        }
        s
    }

    fn vlak(b: &Beveiligd) -> Vec<bool> {
        b.rijen.iter().flatten().copied().chain(b.totaal_onderdrukt.iter().copied()).collect()
    }

    #[test]
    fn when_a_contract_ran() {
        let d = |m, day| NaiveDate::from_ymd_opt(2026, m, day).unwrap();
        let lopend = Looptijd { ondertekend_op: d(3, 1), lopend: true, einde: None };
        assert!(lopend.liep_tussen(d(1, 1), d(12, 31)) && !lopend.liep_tussen(d(1, 1), d(2, 28)));
        assert!(lopend.liep_op(d(3, 1)) && !lopend.liep_op(d(2, 28)));
        let gestopt = Looptijd { ondertekend_op: d(3, 1), lopend: false, einde: Some(d(6, 30)) };
        assert!(gestopt.liep_tussen(d(6, 30), d(12, 31)) && !gestopt.liep_tussen(d(7, 1), d(12, 31)));
        assert!(gestopt.liep_op(d(6, 29)) && !gestopt.liep_op(d(6, 30)));
        let onbekend = Looptijd { ondertekend_op: d(3, 1), lopend: false, einde: None };
        assert!(!onbekend.liep_tussen(d(1, 1), d(12, 31)));
    }

    #[test]
    fn the_monitoring_columns() {
        let k = Kolom::alle();
        assert_eq!(k.len(), 1 + 6 + 1 + 1 + 5 + 5);
        let o = Kolom::opbouw(&k);
        assert_eq!(o.groepen, vec![(0, (1..=6).collect()), (8, (9..=13).collect())]);
        assert_eq!(k[3].naam(), "aanbodGepubliceerd.vrijwilligerswerk");
        assert_eq!(k[10].naam(), "doorverwijzingen.wachtlijst");
    }

    #[test]
    fn nothing_small_nothing_hidden() {
        let rijen = aantallen(&[&[30, 10, 10, 10], &[25, 5, 10, 10]]);
        let b = beveilig(&opbouw(), &rijen);
        assert!(b.rijen.iter().flatten().all(|w| !w));
        assert_eq!(b.totaal.iter().map(|c| c.basis).collect::<Vec<_>>(), [55, 15, 20, 20]);
        assert!(b.totaal_onderdrukt.iter().all(|w| !w));
    }

    #[test]
    fn a_small_count_takes_a_second_one_with_it_in_its_row_and_column() {
        // Row 0: 3 is small. Its row total 23 and the other parts would give 3 away, so the
        // smallest other part (8) goes too; the column total 3 + 12 would too, so the same
        // column's other cell goes; and so on until every equation holds two or none.
        let rijen = aantallen(&[&[23, 3, 8, 12], &[40, 12, 14, 14], &[33, 10, 11, 12]]);
        let b = beveilig(&opbouw(), &rijen);
        assert!(b.rijen[0][1], "the primary cell");
        let alle_cellen: Vec<Cel> = rijen.iter().flatten().copied().chain(b.totaal.iter().copied()).collect();
        let weg = vlak(&b);
        let sommen = sommen_van(&opbouw(), rijen.len());
        for s in &sommen {
            assert_ne!(s.cellen().filter(|&i| weg[i]).count(), 1, "an equation with one hidden cell: {s:?}");
        }
        assert!(!lekt(&alle_cellen, &sommen, &weg));
        // The second cell in row 0 is the smaller remaining part (8), not the row total.
        assert!(b.rijen[0][2] && !b.rijen[0][0]);
        // Column 1 needs a second hidden cell: the smaller of 12 and 10.
        assert!(b.rijen[2][1] && !b.rijen[1][1]);
    }

    #[test]
    fn zero_is_small_and_a_small_remainder_is_not_enough() {
        // Parts 0 and 1 of a visible total 20: hiding both still says "0 + 1 = 1" → a third
        // part goes too.
        let cellen = [Cel::aantal(20), Cel::aantal(0), Cel::aantal(1), Cel::aantal(19)];
        let sommen = [Som { totaal: 0, delen: vec![1, 2, 3] }];
        let weg = onderdruk(&cellen, &sommen);
        assert_eq!(weg, [false, true, true, true]);
    }

    #[test]
    fn a_single_municipality_hides_the_total_too() {
        // Antwerpen is a network of one municipality: its total row equals its row.
        let rijen = aantallen(&[&[12, 2, 5, 5]]);
        let b = beveilig(&opbouw(), &rijen);
        assert!(b.rijen[0][1] && b.totaal_onderdrukt[1], "{b:?}");
        let weg = vlak(&b);
        let alle: Vec<Cel> = rijen.iter().flatten().copied().chain(b.totaal.iter().copied()).collect();
        assert!(!lekt(&alle, &sommen_van(&opbouw(), 1), &weg));
    }

    #[test]
    fn combinations_of_equations_are_caught() {
        // x4 = x0 + x1, x5 = x1 + x2, x6 = x0 + x2 with x0..x2 small: every equation hides
        // two cells whose sum is at least 5, yet three equations in three unknowns solve them.
        let cellen = [2, 3, 4, 9, 5, 7, 6].map(Cel::aantal);
        let sommen = [
            Som { totaal: 4, delen: vec![0, 1] },
            Som { totaal: 5, delen: vec![1, 2] },
            Som { totaal: 6, delen: vec![0, 2] },
        ];
        let alleen_primair: Vec<bool> = cellen.iter().map(|c| c.basis < DREMPEL).collect();
        assert!(eerste_lek_in_een_som(&cellen, &sommen, &alleen_primair).is_none(), "the per-equation rules pass");
        assert_eq!(bepaalde_cellen(cellen.len(), &sommen, &alleen_primair).len(), 3, "the cycle solves every cell");
        let weg = onderdruk(&cellen, &sommen);
        assert!(!lekt(&cellen, &sommen, &weg), "{weg:?}");
        // One extra figure (a total) is enough.
        assert_eq!(weg.iter().filter(|w| **w).count(), 4, "{weg:?}");
    }

    #[test]
    fn hours_rest_on_their_contracts() {
        // 30.5 hours of 3 contracts are suppressed although 30.5 ≥ 5; the column then needs
        // a second hidden cell.
        let rijen = vec![vec![Cel::bedrag(30.5, 3)], vec![Cel::bedrag(80.0, 6)], vec![Cel::bedrag(120.0, 9)]];
        let b = beveilig(&Opbouw { kolommen: 1, groepen: vec![] }, &rijen);
        assert_eq!(b.rijen, [vec![true], vec![true], vec![false]]);
        assert!(!b.totaal_onderdrukt[0]);
        assert_eq!(b.totaal[0], Cel::bedrag(230.5, 18));
    }

    #[test]
    fn random_tables_never_leak() {
        // A small deterministic generator: many tables, some with lots of small counts.
        let mut seed: u64 = 0x5eed;
        let mut next = |max: i64| {
            seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((seed >> 33) % (max as u64 + 1)) as i64
        };
        for _ in 0..200 {
            let n = 1 + next(6) as usize;
            let rijen: Vec<Vec<Cel>> = (0..n)
                .map(|_| {
                    let delen: Vec<i64> = (0..3).map(|_| next(12)).collect();
                    let mut r = vec![Cel::aantal(delen.iter().sum())];
                    r.extend(delen.iter().map(|&d| Cel::aantal(d)));
                    r
                })
                .collect();
            let b = beveilig(&opbouw(), &rijen);
            let weg = vlak(&b);
            let alle: Vec<Cel> = rijen.iter().flatten().copied().chain(b.totaal.iter().copied()).collect();
            let sommen = sommen_van(&opbouw(), n);
            for (i, c) in alle.iter().enumerate() {
                assert!(c.basis >= DREMPEL || weg[i], "a small count is visible");
            }
            assert!(!lekt(&alle, &sommen, &weg), "{rijen:?}");
            for s in &sommen {
                let verborgen: Vec<usize> = s.cellen().filter(|&i| weg[i]).collect();
                assert_ne!(verborgen.len(), 1);
                if !verborgen.is_empty() && !weg[s.totaal] {
                    let rest: i64 = s.delen.iter().filter(|&&i| weg[i]).map(|&i| alle[i].basis).sum();
                    assert!(rest >= DREMPEL, "a small remainder of {rest}");
                }
            }
        }
    }
}
