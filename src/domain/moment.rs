//! When an offer takes place (R30): weekly slots and dated sessions, the parts of the day the
//! search filters on, and the checks of a schedule.

use chrono::{Datelike, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::inburgeraar::text_enum;

/// At most this many moments per offer.
pub const MAX_MOMENTEN: usize = 100;

text_enum! {
    /// Day of the week: `maandag` … `zondag`.
    Weekdag {
        Maandag = "maandag",
        Dinsdag = "dinsdag",
        Woensdag = "woensdag",
        Donderdag = "donderdag",
        Vrijdag = "vrijdag",
        Zaterdag = "zaterdag",
        Zondag = "zondag",
    }
}

impl Weekdag {
    /// The day of the week `datum` falls on.
    pub fn van(datum: NaiveDate) -> Weekdag {
        match datum.weekday() {
            Weekday::Mon => Weekdag::Maandag,
            Weekday::Tue => Weekdag::Dinsdag,
            Weekday::Wed => Weekdag::Woensdag,
            Weekday::Thu => Weekdag::Donderdag,
            Weekday::Fri => Weekdag::Vrijdag,
            Weekday::Sat => Weekdag::Zaterdag,
            Weekday::Sun => Weekdag::Zondag,
        }
    }
}

text_enum! {
    /// Part of the day: `voormiddag` (00:00–12:00), `namiddag` (12:00–18:00), `avond`
    /// (18:00–24:00). A moment falls in a part of the day when it overlaps it by at least a
    /// minute: it starts before the part ends and ends after the part starts.
    Dagdeel {
        Voormiddag = "voormiddag",
        Namiddag = "namiddag",
        Avond = "avond",
    }
}

impl Dagdeel {
    /// The part of the day as minutes after midnight: `[start, einde)`.
    pub fn bereik(self) -> (i32, i32) {
        match self {
            Dagdeel::Voormiddag => (0, 12 * 60),
            Dagdeel::Namiddag => (12 * 60, 18 * 60),
            Dagdeel::Avond => (18 * 60, 24 * 60),
        }
    }

    /// Whether a moment from `van` to `tot` (minutes after midnight) overlaps this part of the
    /// day. The search's SQL states the same condition (`repo::aanbod`).
    pub fn overlapt(self, van: i32, tot: i32) -> bool {
        let (start, einde) = self.bereik();
        van < einde && tot > start
    }
}

/// One moment of an offer: a weekly slot (`weekdag`, optionally valid from `geldigVan` until
/// `geldigTot`) or a dated session (`datum`), each from `van` to `tot` on that day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(as = AanbodMoment)]
pub struct Moment {
    /// A weekly slot: the day of the week. Give either `weekdag` or `datum`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub weekdag: Option<Weekdag>,
    /// A dated session: the day (yyyy-MM-dd); it must lie in the offer's `periode`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2026-10-06")]
    pub datum: Option<NaiveDate>,
    /// Start time, `HH:MM` (00:00–23:59, Brussels local time).
    #[schema(example = "19:00", pattern = r"^([01][0-9]|2[0-3]):[0-5][0-9]$")]
    pub van: String,
    /// End time, `HH:MM` (00:01–24:00), after `van` on the same day.
    #[schema(example = "21:00", pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")]
    pub tot: String,
    /// Weekly slots only: the first day the slot applies (absent: from the start of the offer).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2026-09-01")]
    pub geldig_van: Option<NaiveDate>,
    /// Weekly slots only: the last day the slot applies (absent: until the end of the offer);
    /// not before `geldigVan`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2027-06-30")]
    pub geldig_tot: Option<NaiveDate>,
}

/// A checked moment as it is stored for search: the day of the week (of a dated session too)
/// and the times as minutes after midnight.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Slot {
    pub wekelijks: bool,
    pub weekdag: Weekdag,
    pub datum: Option<NaiveDate>,
    pub van: i32,
    pub tot: i32,
    pub geldig_van: Option<NaiveDate>,
    pub geldig_tot: Option<NaiveDate>,
}

/// `HH:MM` as minutes after midnight; `24:00` only when `einde`.
pub fn minuten(tijd: &str, einde: bool) -> Option<i32> {
    let (h, m) = tijd.split_once(':')?;
    if h.len() != 2 || m.len() != 2 || !h.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m): (i32, i32) = (h.parse().ok()?, m.parse().ok()?);
    match (h, m) {
        (24, 0) if einde => Some(24 * 60),
        (0..=23, 0..=59) => Some(h * 60 + m),
        _ => None,
    }
}

impl Moment {
    /// The stored form of a moment that passed [`controleer`].
    pub fn slot(&self) -> Option<Slot> {
        let (van, tot) = (minuten(&self.van, false)?, minuten(&self.tot, true)?);
        let (wekelijks, weekdag) = match (self.weekdag, self.datum) {
            (Some(w), None) => (true, w),
            (None, Some(d)) => (false, Weekdag::van(d)),
            _ => return None,
        };
        Some(Slot {
            wekelijks,
            weekdag,
            datum: self.datum,
            van,
            tot,
            geldig_van: self.geldig_van,
            geldig_tot: self.geldig_tot,
        })
    }
}

/// Checks an offer's schedule (R30) against itself and the offer's period (`periode_van`,
/// `periode_tot`, either open). Returns every problem as (field, message), the field named as
/// in the body: `momenten[2].tot`.
pub fn controleer(
    momenten: &[Moment],
    periode_van: Option<NaiveDate>,
    periode_tot: Option<NaiveDate>,
) -> Vec<(String, String)> {
    let mut fouten = Vec::new();
    if momenten.len() > MAX_MOMENTEN {
        fouten.push(("momenten".to_string(), format!("an offer has at most {MAX_MOMENTEN} moments")));
        return fouten;
    }
    for (i, m) in momenten.iter().enumerate() {
        let mut fout = |veld: &str, bericht: &str| {
            let naam = if veld.is_empty() { format!("momenten[{i}]") } else { format!("momenten[{i}].{veld}") };
            fouten.push((naam, bericht.to_string()));
        };
        match (m.weekdag, m.datum) {
            (Some(_), Some(_)) => fout("", "a moment is a weekly slot (weekdag) or a dated session (datum), not both"),
            (None, None) => fout("", "a moment needs weekdag (a weekly slot) or datum (a dated session)"),
            (None, Some(d)) => {
                if m.geldig_van.is_some() {
                    fout("geldigVan", "geldigVan is for weekly slots; a dated session has only datum");
                }
                if m.geldig_tot.is_some() {
                    fout("geldigTot", "geldigTot is for weekly slots; a dated session has only datum");
                }
                if periode_van.is_some_and(|v| d < v) || periode_tot.is_some_and(|t| d > t) {
                    fout("datum", "the session lies outside the offer's periode");
                }
            }
            (Some(_), None) => {
                if let (Some(v), Some(t)) = (m.geldig_van, m.geldig_tot)
                    && t < v
                {
                    fout("geldigTot", "geldigTot lies before geldigVan");
                }
            }
        }
        let van = minuten(&m.van, false);
        let tot = minuten(&m.tot, true);
        if van.is_none() {
            fout("van", "van is a time HH:MM from 00:00 to 23:59");
        }
        if tot.is_none() {
            fout("tot", "tot is a time HH:MM from 00:01 to 24:00");
        }
        if let (Some(v), Some(t)) = (van, tot)
            && t <= v
        {
            fout("tot", "tot must lie after van on the same day");
        }
    }
    fouten
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wekelijks(dag: Weekdag, van: &str, tot: &str) -> Moment {
        Moment { weekdag: Some(dag), datum: None, van: van.into(), tot: tot.into(), geldig_van: None, geldig_tot: None }
    }

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn times_and_parts_of_the_day() {
        assert_eq!(minuten("00:00", false), Some(0));
        assert_eq!(minuten("19:30", false), Some(1170));
        assert_eq!(minuten("24:00", true), Some(1440));
        for bad in ["24:00", "9:00", "12:60", "25:00", "ab:cd", "12:3", "+1:00", "1200"] {
            assert_eq!(minuten(bad, false), None, "{bad}");
        }
        // Overlap by at least a minute: 11:00–13:00 is both, 12:00–14:00 only namiddag,
        // 17:00–18:00 only namiddag, 17:30–19:00 namiddag and avond.
        let delen = |van: &str, tot: &str| -> Vec<Dagdeel> {
            let (v, t) = (minuten(van, false).unwrap(), minuten(tot, true).unwrap());
            Dagdeel::ALL.iter().copied().filter(|d| d.overlapt(v, t)).collect()
        };
        assert_eq!(delen("11:00", "13:00"), [Dagdeel::Voormiddag, Dagdeel::Namiddag]);
        assert_eq!(delen("12:00", "14:00"), [Dagdeel::Namiddag]);
        assert_eq!(delen("17:00", "18:00"), [Dagdeel::Namiddag]);
        assert_eq!(delen("17:30", "19:00"), [Dagdeel::Namiddag, Dagdeel::Avond]);
        assert_eq!(delen("18:00", "24:00"), [Dagdeel::Avond]);
        assert_eq!(Weekdag::van(d("2026-12-01")), Weekdag::Dinsdag);
    }

    #[test]
    fn a_schedule_is_checked_field_by_field() {
        assert!(controleer(&[wekelijks(Weekdag::Dinsdag, "19:00", "21:00")], None, None).is_empty());
        let sessie =
            Moment { weekdag: None, datum: Some(d("2026-10-06")), ..wekelijks(Weekdag::Maandag, "10:00", "12:00") };
        assert!(controleer(std::slice::from_ref(&sessie), Some(d("2026-09-01")), Some(d("2027-06-30"))).is_empty());
        assert_eq!(sessie.slot().unwrap().weekdag, Weekdag::Dinsdag, "a session's day of the week is derived");
        let momenten = [
            wekelijks(Weekdag::Maandag, "10:00", "09:00"),
            wekelijks(Weekdag::Maandag, "9:00", "24:00"),
            Moment { datum: Some(d("2026-10-06")), ..wekelijks(Weekdag::Maandag, "10:00", "11:00") },
            Moment { weekdag: None, ..wekelijks(Weekdag::Maandag, "10:00", "11:00") },
            Moment {
                geldig_van: Some(d("2026-10-01")),
                geldig_tot: Some(d("2026-09-01")),
                ..wekelijks(Weekdag::Maandag, "10:00", "11:00")
            },
            Moment { geldig_van: Some(d("2026-10-01")), ..sessie.clone() },
            Moment { datum: Some(d("2028-01-01")), ..sessie.clone() },
            wekelijks(Weekdag::Maandag, "10:00", "10:00"),
        ];
        let namen: Vec<String> =
            controleer(&momenten, Some(d("2026-09-01")), Some(d("2027-06-30"))).into_iter().map(|f| f.0).collect();
        assert_eq!(
            namen,
            [
                "momenten[0].tot",
                "momenten[1].van",
                "momenten[2]",
                "momenten[3]",
                "momenten[4].geldigTot",
                "momenten[5].geldigVan",
                "momenten[6].datum",
                "momenten[7].tot",
            ]
        );
        let te_veel = vec![wekelijks(Weekdag::Maandag, "10:00", "11:00"); MAX_MOMENTEN + 1];
        assert_eq!(controleer(&te_veel, None, None)[0].0, "momenten");
    }
}
