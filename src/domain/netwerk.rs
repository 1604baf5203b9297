//! The regional organisation networks' own rules: the meeting norms (RULES.md R23: each network
//! sets its own, by default a stuurgroep at least 4 times a year, a klankbordgroep 1 to 2 times,
//! ad-hoc werkgroepen without a norm; the current year judged pro rata),
//! the subsidy cap (R24), overdue actions of the action plan (R25), what is left of the subsidy
//! period, and the roles of the staff. Pure: the caller passes the dates. Who may read and run
//! a network is its access policy, `domain::toegang::netwerken`.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use validator::Validate;

use super::inburgeraar::text_enum;

/// The highest subsidy a region gets for two years (Europa WSE call 41): € 322,000 (R24).
pub const MAX_SUBSIDIE_CENT: i64 = 32_200_000;

text_enum! {
    /// Kind of meeting of a network.
    Overlegsoort {
        /// The core actors (local governments, the agency, the network's leader): by default at
        /// least 4 meetings a year.
        Stuurgroep = "stuurgroep",
        /// Welfare, leisure, employment actors, associations, experts by experience: by default
        /// 1 to 2 meetings a year.
        Klankbordgroep = "klankbordgroep",
        /// Ad-hoc thematic or geographic working groups: no norm.
        Werkgroep = "werkgroep",
    }
}

text_enum! {
    /// State of an action of the action plan.
    ActieStatus {
        /// Not started yet (the default).
        Gepland = "gepland",
        /// Under way.
        Lopend = "lopend",
        /// Done.
        Afgerond = "afgerond",
        /// Dropped.
        Geschrapt = "geschrapt",
    }
}

text_enum! {
    /// Role of a network's staff member.
    MedewerkerRol {
        /// Supports the partners and builds the network on the ground.
        Netwerkcoach = "netwerkcoach",
        /// Coordinates the network across the region.
        Regiocoordinator = "regiocoordinator",
    }
}

text_enum! {
    /// How the meetings of a year compare to the network's norm. Final only for a past year;
    /// the current (or a later) year is judged pro rata to the date.
    NormStatus {
        /// The yearly minimum is reached (and the planned maximum not passed).
        Voldaan = "voldaan",
        /// A past year: fewer meetings than the minimum (final).
        OnderNorm = "onderNorm",
        /// The current year: below the minimum, but at least the share of it due by the date
        /// (`verwachtTotNu`).
        OpSchema = "opSchema",
        /// The current year: fewer meetings than the share of the minimum due by the date.
        Achterstand = "achterstand",
        /// More meetings than the planned maximum: information, not a failure.
        BovenPlanning = "bovenPlanning",
        /// The kind has no norm (werkgroep).
        GeenNorm = "geenNorm",
    }
}

/// A staff member of the network. Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Medewerker {
    /// Their role in the network.
    pub rol: MedewerkerRol,
    /// Full name, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Evelien Van Eynde")]
    pub naam: String,
    /// Work e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(email)]
    #[schema(example = "wzk.beleid@iok.be")]
    pub email: Option<String>,
    /// Work phone number, 6 to 30 characters.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 6, max = 30))]
    #[schema(example = "+32 14 56 27 00")]
    pub telefoon: Option<String>,
}

// RULES.md R24: the amount is capped at `MAX_SUBSIDIE_CENT`.
/// The network's subsidy. Unknown fields are refused.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Subsidie {
    /// Amount in euro cents; at most € 322,000 (32 200 000 cents) per region for two years.
    #[validate(range(min = 1, max = MAX_SUBSIDIE_CENT))]
    #[schema(example = 32_085_000)]
    pub bedrag_cent: i64,
    /// First day of the subsidy period.
    #[schema(example = "2023-01-01")]
    pub van: NaiveDate,
    /// Last day of the subsidy period (not before `van`).
    #[schema(example = "2024-12-31")]
    pub tot: NaiveDate,
    /// Who funds it, 1 to 200 characters.
    #[validate(length(min = 1, max = 200))]
    #[schema(example = "Europa WSE (ESF+, oproep 41)")]
    pub financier: String,
}

impl Subsidie {
    /// Its period does not end before it starts (R24).
    pub fn periode_klopt(&self) -> bool {
        self.tot >= self.van
    }
}

/// Meetings a year a kind of meeting should have (R23). Unknown fields are refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Norm {
    /// Fewest meetings a year (0–52).
    #[validate(range(max = 52))]
    #[schema(example = 4, maximum = 52)]
    pub minimum: u32,
    /// Most meetings planned a year (1–52, not below `minimum`); absent when there is no
    /// maximum. More meetings are information (`bovenPlanning`), not a failure.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 52))]
    #[schema(example = 2, minimum = 1, maximum = 52)]
    pub maximum: Option<u32>,
}

impl Norm {
    /// DVV Midwest's plan (seed 004), the default of every network: a stuurgroep at least 4
    /// times a year.
    pub fn stuurgroep() -> Norm {
        Norm { minimum: 4, maximum: None }
    }

    /// The default klankbordgroep norm: 1 to 2 times a year.
    pub fn klankbordgroep() -> Norm {
        Norm { minimum: 1, maximum: Some(2) }
    }

    /// The maximum is not below the minimum.
    pub fn klopt(&self) -> bool {
        self.maximum.is_none_or(|m| m >= self.minimum)
    }
}

/// A network's own meeting norms (R23), set by its netwerkcoordinator or an admin; a kind left
/// out keeps its default (stuurgroep ≥ 4, klankbordgroep 1–2). Werkgroepen have no norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, Validate, ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
#[schema(example = json!({"stuurgroep": {"minimum": 4}, "klankbordgroep": {"minimum": 1, "maximum": 2}}))]
pub struct Overlegnormen {
    /// The stuurgroep's norm (default: at least 4 a year).
    #[serde(default = "Norm::stuurgroep")]
    #[validate(nested)]
    pub stuurgroep: Norm,
    /// The klankbordgroep's norm (default: 1 to 2 a year).
    #[serde(default = "Norm::klankbordgroep")]
    #[validate(nested)]
    pub klankbordgroep: Norm,
}

impl Default for Overlegnormen {
    fn default() -> Self {
        Overlegnormen { stuurgroep: Norm::stuurgroep(), klankbordgroep: Norm::klankbordgroep() }
    }
}

impl Overlegnormen {
    /// The norm of `soort`; werkgroepen have none.
    pub fn norm(&self, soort: Overlegsoort) -> Option<Norm> {
        match soort {
            Overlegsoort::Stuurgroep => Some(self.stuurgroep),
            Overlegsoort::Klankbordgroep => Some(self.klankbordgroep),
            Overlegsoort::Werkgroep => None,
        }
    }
}

/// How a year's meetings of one kind compare to its norm.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Oordeel {
    pub status: NormStatus,
    /// The share of the minimum due by the reference date (the whole minimum for a past year);
    /// `None` without a norm.
    pub verwacht_tot_nu: Option<u32>,
}

/// The share of `minimum` due on `peildatum` in the year `van`–`tot`: the minimum × the days
/// passed (`peildatum` included) / the days of the year, rounded down — so in January a
/// stuurgroep of 4 a year is not due yet.
pub fn pro_rata(minimum: u32, van: NaiveDate, tot: NaiveDate, peildatum: NaiveDate) -> u32 {
    let lengte = (tot - van).num_days() + 1;
    let verstreken = ((peildatum - van).num_days() + 1).clamp(0, lengte);
    (i64::from(minimum) * verstreken / lengte.max(1)) as u32
}

/// How `gehouden` meetings held by `peildatum` in the year `van`–`tot` compare to `norm`.
/// `definitief`: the year is over, the verdict is final (`onderNorm`); otherwise a shortfall is
/// judged against the share due by the date (`opSchema` or `achterstand`). More meetings than
/// the planned maximum is `bovenPlanning` either way.
pub fn beoordeel(
    norm: Option<Norm>,
    gehouden: u32,
    (van, tot): (NaiveDate, NaiveDate),
    peildatum: NaiveDate,
    definitief: bool,
) -> Oordeel {
    let Some(n) = norm else {
        return Oordeel { status: NormStatus::GeenNorm, verwacht_tot_nu: None };
    };
    let verwacht = if definitief { n.minimum } else { pro_rata(n.minimum, van, tot, peildatum) };
    let status = if n.maximum.is_some_and(|max| gehouden > max) {
        NormStatus::BovenPlanning
    } else if gehouden >= n.minimum {
        NormStatus::Voldaan
    } else if definitief {
        NormStatus::OnderNorm
    } else if gehouden >= verwacht {
        NormStatus::OpSchema
    } else {
        NormStatus::Achterstand
    };
    Oordeel { status, verwacht_tot_nu: Some(verwacht) }
}

/// A meeting counts as held once its date is reached (on `peildatum` or before); later ones
/// in the same year are planned.
pub fn gehouden(datum: NaiveDate, peildatum: NaiveDate) -> bool {
    datum <= peildatum
}

/// An action is overdue when it is still open (`gepland` or `lopend`) and its deadline lies
/// before `peildatum`. Done and dropped actions are never overdue; neither is one without a
/// deadline.
pub fn achterstallig(status: ActieStatus, deadline: Option<NaiveDate>, peildatum: NaiveDate) -> bool {
    OPEN.contains(&status) && deadline.is_some_and(|d| d < peildatum)
}

/// The states of an action that is still open: the ones that can be overdue (the SQL filter of
/// `repo::acties` uses the same list).
pub const OPEN: [ActieStatus; 2] = [ActieStatus::Gepland, ActieStatus::Lopend];

/// Days an overdue action is late on `peildatum` (0 when it is not overdue).
pub fn dagen_te_laat(deadline: Option<NaiveDate>, peildatum: NaiveDate) -> i64 {
    deadline.map(|d| (peildatum - d).num_days().max(0)).unwrap_or(0)
}

/// Where a subsidy period stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SubsidieStand {
    /// Days from `vandaag` to the last day of the period, that day included; 0 once it ended.
    pub dagen_resterend: i64,
    /// Share of the period passed, 0–100.
    pub percentage_verstreken: u32,
    pub gestart: bool,
    pub afgelopen: bool,
}

/// The stand of the subsidy period `van`–`tot` (both inclusive) on `vandaag`.
pub fn subsidie_stand(van: NaiveDate, tot: NaiveDate, vandaag: NaiveDate) -> SubsidieStand {
    let lengte = (tot - van).num_days() + 1;
    let verstreken = (vandaag - van).num_days().clamp(0, lengte.max(0));
    let percentage = if lengte > 0 { (verstreken * 100 / lengte) as u32 } else { 100 };
    SubsidieStand {
        dagen_resterend: ((tot - vandaag).num_days() + 1).clamp(0, lengte.max(0)),
        percentage_verstreken: percentage.min(100),
        gestart: vandaag >= van,
        afgelopen: vandaag > tot,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn meeting_norms() {
        use NormStatus::*;
        let jaar = (d(2025, 1, 1), d(2025, 12, 31));
        let n = Overlegnormen::default();
        let verleden = |soort, gehouden| beoordeel(n.norm(soort), gehouden, jaar, jaar.1, true).status;
        assert_eq!(verleden(Overlegsoort::Stuurgroep, 3), OnderNorm);
        assert_eq!(verleden(Overlegsoort::Stuurgroep, 4), Voldaan);
        assert_eq!(verleden(Overlegsoort::Stuurgroep, 9), Voldaan, "no maximum for the stuurgroep");
        assert_eq!(verleden(Overlegsoort::Klankbordgroep, 0), OnderNorm);
        assert_eq!(verleden(Overlegsoort::Klankbordgroep, 1), Voldaan);
        assert_eq!(verleden(Overlegsoort::Klankbordgroep, 2), Voldaan);
        assert_eq!(verleden(Overlegsoort::Klankbordgroep, 3), BovenPlanning, "information, not a failure");
        assert_eq!(verleden(Overlegsoort::Werkgroep, 0), GeenNorm);
        // The current year, pro rata: nothing due in January, 2 of 4 by early July.
        let nu = |gehouden, peil| beoordeel(Some(Norm::stuurgroep()), gehouden, jaar, peil, false);
        assert_eq!(nu(0, d(2025, 1, 20)), Oordeel { status: OpSchema, verwacht_tot_nu: Some(0) });
        assert_eq!(nu(1, d(2025, 7, 2)), Oordeel { status: Achterstand, verwacht_tot_nu: Some(2) });
        assert_eq!(nu(2, d(2025, 7, 2)).status, OpSchema);
        assert_eq!(nu(4, d(2025, 7, 2)).status, Voldaan);
        assert_eq!(nu(3, d(2025, 12, 31)).status, Achterstand, "the last day: the whole minimum is due");
        assert_eq!(pro_rata(4, jaar.0, jaar.1, d(2024, 12, 1)), 0, "a later year: nothing due yet");
        // A network's own norms.
        let eigen = Norm { minimum: 6, maximum: Some(8) };
        assert_eq!(beoordeel(Some(eigen), 5, jaar, jaar.1, true).status, OnderNorm);
        assert_eq!(beoordeel(Some(eigen), 9, jaar, jaar.1, true).status, BovenPlanning);
        assert!(eigen.klopt() && !Norm { minimum: 3, maximum: Some(2) }.klopt());
        assert!(gehouden(d(2026, 3, 1), d(2026, 3, 1)) && !gehouden(d(2026, 3, 2), d(2026, 3, 1)));
    }

    #[test]
    fn overdue_actions() {
        let peil = d(2026, 6, 1);
        assert!(achterstallig(ActieStatus::Gepland, Some(d(2026, 5, 31)), peil));
        assert!(achterstallig(ActieStatus::Lopend, Some(d(2026, 1, 1)), peil));
        assert!(!achterstallig(ActieStatus::Lopend, Some(peil), peil), "due today is not late yet");
        assert!(!achterstallig(ActieStatus::Afgerond, Some(d(2026, 1, 1)), peil));
        assert!(!achterstallig(ActieStatus::Geschrapt, Some(d(2026, 1, 1)), peil));
        assert!(!achterstallig(ActieStatus::Gepland, None, peil));
        assert_eq!(dagen_te_laat(Some(d(2026, 5, 22)), peil), 10);
        assert_eq!(dagen_te_laat(Some(d(2026, 7, 1)), peil), 0);
    }

    #[test]
    fn subsidy_period() {
        // Midwest: 2023–2024.
        let (van, tot) = (d(2023, 1, 1), d(2024, 12, 31));
        let voor = subsidie_stand(van, tot, d(2022, 12, 1));
        assert!(!voor.gestart && !voor.afgelopen);
        assert_eq!(voor.dagen_resterend, 731);
        assert_eq!(voor.percentage_verstreken, 0);
        let midden = subsidie_stand(van, tot, d(2024, 1, 1));
        assert_eq!(midden.dagen_resterend, 366);
        assert_eq!(midden.percentage_verstreken, 49);
        let laatste = subsidie_stand(van, tot, tot);
        assert_eq!(laatste.dagen_resterend, 1);
        assert!(!laatste.afgelopen);
        let na = subsidie_stand(van, tot, d(2025, 3, 1));
        assert!(na.afgelopen);
        assert_eq!(na.dagen_resterend, 0);
        assert_eq!(na.percentage_verstreken, 100);
        let subsidie = |van, tot| Subsidie { bedrag_cent: MAX_SUBSIDIE_CENT, van, tot, financier: "Europa WSE".into() };
        assert!(subsidie(van, tot).periode_klopt() && subsidie(van, van).periode_klopt());
        assert!(!subsidie(tot, van).periode_klopt(), "R24: the period does not end before it starts");
    }
}
