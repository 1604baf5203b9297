//! Suggestions of offers for a newcomer: the documented score.
//!
//! Only published offers that qualify for the PNT (the two conditions of R11:
//! `Criteria::kwalificeert`) and lie within the search radius are candidates. Each gets 0–100
//! points; the R13b guidance fields count, they do not exclude:
//!
//! | criterium          | points | how                                                              |
//! |--------------------|--------|------------------------------------------------------------------|
//! | `afstand`          | 0–30   | 30 × (1 − d / radius), d = km from the centre of the newcomer's municipality to the activity |
//! | `taal`             | 0 / 15 | 15 when the offer gives support in the newcomer's contact language (or that language is Dutch) |
//! | `vrijePlaatsen`    | 0 / 15 | 15 when the offer has a free place or no capacity limit; 0 when a referral would join the waiting list |
//! | `nieuwType`        | 0 / 15 | 15 when the newcomer has not done this type of activity yet       |
//! | `inGroep`          | 0 / 15 | 15 when the offer is done in a pair or a group (R13b)             |
//! | `buitenEigenKring` | 0 / 5  | 5 when the offer meets people outside one's own circle (R13b)     |
//! | `duurzaamContact`  | 0 / 5  | 5 when the offer gives a good chance of lasting contacts (R13b)   |
//!
//! Ties go to the nearer offer, then the lower id, so the order is stable across pages.

use std::cmp::Ordering;
use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::aanbod::Aanbodtype;
use super::geo::Punt;
use super::inburgeraar::text_enum;

pub const PUNTEN_AFSTAND: f64 = 30.0;
pub const PUNTEN_TAAL: f64 = 15.0;
pub const PUNTEN_VRIJE_PLAATSEN: f64 = 15.0;
pub const PUNTEN_NIEUW_TYPE: f64 = 15.0;
pub const PUNTEN_IN_GROEP: f64 = 15.0;
pub const PUNTEN_BUITEN_EIGEN_KRING: f64 = 5.0;
pub const PUNTEN_DUURZAAM_CONTACT: f64 = 5.0;
/// Default search radius in km.
pub const STANDAARD_STRAAL_KM: f64 = 25.0;
/// Dutch needs no support language.
pub const NEDERLANDS: &str = "nl";

text_enum! {
    /// What a suggestion's points are for.
    Criterium {
        Afstand = "afstand",
        Taal = "taal",
        VrijePlaatsen = "vrijePlaatsen",
        NieuwType = "nieuwType",
        InGroep = "inGroep",
        BuitenEigenKring = "buitenEigenKring",
        DuurzaamContact = "duurzaamContact",
    }
}

/// What the score knows of the newcomer.
#[derive(Clone, Debug)]
pub struct Profiel {
    /// Centre of the newcomer's municipality.
    pub woonplaats: Punt,
    /// ISO 639-1 contact language.
    pub contacttaal: String,
    /// Types of activity the newcomer already did (or is doing).
    pub gedane_types: HashSet<Aanbodtype>,
    /// Search radius in km.
    pub straal_km: f64,
}

/// A qualifying, published offer.
#[derive(Clone, Debug)]
pub struct Kandidaat {
    pub id: i64,
    pub aanbodtype: Aanbodtype,
    pub locatie: Punt,
    pub ondersteuningstalen: Vec<String>,
    /// `None`: no capacity limit.
    pub vrije_plaatsen: Option<i32>,
    /// The R13b guidance fields the offer declares.
    pub in_groep: bool,
    pub buiten_eigen_kring: bool,
    pub duurzaam_contact: bool,
}

/// Why a suggestion scores what it scores.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Reden {
    /// What the points are for.
    pub criterium: Criterium,
    /// Points scored on this criterium.
    #[schema(example = 32.0)]
    pub punten: f64,
    /// The most this criterium can score.
    #[schema(example = 40.0)]
    pub maximum: f64,
    /// Why, for a human (English).
    #[schema(example = "5 km from home (radius 25 km)")]
    pub toelichting: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Suggestie {
    pub id: i64,
    pub score: f64,
    pub afstand_km: f64,
    pub vrije_plaatsen: Option<i32>,
    pub redenen: Vec<Reden>,
}

fn rond(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// The score of one candidate, or `None` when it lies beyond the radius.
pub fn beoordeel(p: &Profiel, k: &Kandidaat) -> Option<Suggestie> {
    let afstand = p.woonplaats.afstand_km(&k.locatie);
    if afstand > p.straal_km {
        return None;
    }
    let afstand_km = rond(afstand);
    let mut redenen = Vec::with_capacity(7);
    let afstand_punten = rond(PUNTEN_AFSTAND * (1.0 - afstand / p.straal_km).max(0.0));
    redenen.push(Reden {
        criterium: Criterium::Afstand,
        punten: afstand_punten,
        maximum: PUNTEN_AFSTAND,
        toelichting: format!("{afstand_km} km from home (radius {} km)", p.straal_km),
    });
    let taal = p.contacttaal.to_ascii_lowercase();
    let (taal_punten, taal_uitleg) = if taal == NEDERLANDS {
        (PUNTEN_TAAL, "contact language is Dutch: no support language needed".to_string())
    } else if k.ondersteuningstalen.iter().any(|t| t.eq_ignore_ascii_case(&taal)) {
        (PUNTEN_TAAL, format!("support in the contact language ({taal})"))
    } else {
        (0.0, format!("no support in the contact language ({taal})"))
    };
    redenen.push(Reden {
        criterium: Criterium::Taal,
        punten: taal_punten,
        maximum: PUNTEN_TAAL,
        toelichting: taal_uitleg,
    });
    let (plaats_punten, plaats_uitleg) = match k.vrije_plaatsen {
        None => (PUNTEN_VRIJE_PLAATSEN, "no capacity limit".to_string()),
        Some(0) => (0.0, "full: a referral joins the waiting list".to_string()),
        Some(n) => (PUNTEN_VRIJE_PLAATSEN, format!("{n} free place(s)")),
    };
    redenen.push(Reden {
        criterium: Criterium::VrijePlaatsen,
        punten: plaats_punten,
        maximum: PUNTEN_VRIJE_PLAATSEN,
        toelichting: plaats_uitleg,
    });
    let nieuw = !p.gedane_types.contains(&k.aanbodtype);
    redenen.push(Reden {
        criterium: Criterium::NieuwType,
        punten: if nieuw { PUNTEN_NIEUW_TYPE } else { 0.0 },
        maximum: PUNTEN_NIEUW_TYPE,
        toelichting: if nieuw {
            format!("a new kind of activity ({})", k.aanbodtype)
        } else {
            format!("already did a {}", k.aanbodtype)
        },
    });
    let richtlijn = |criterium, ja: bool, maximum: f64, wat: &str| Reden {
        criterium,
        punten: if ja { maximum } else { 0.0 },
        maximum,
        toelichting: if ja { wat.to_string() } else { format!("not declared: {wat}") },
    };
    redenen.push(richtlijn(Criterium::InGroep, k.in_groep, PUNTEN_IN_GROEP, "in a pair or a group"));
    redenen.push(richtlijn(
        Criterium::BuitenEigenKring,
        k.buiten_eigen_kring,
        PUNTEN_BUITEN_EIGEN_KRING,
        "meets people outside one's own circle",
    ));
    redenen.push(richtlijn(
        Criterium::DuurzaamContact,
        k.duurzaam_contact,
        PUNTEN_DUURZAAM_CONTACT,
        "a good chance of lasting contacts",
    ));
    let score = rond(redenen.iter().map(|r| r.punten).sum());
    Some(Suggestie { id: k.id, score, afstand_km, vrije_plaatsen: k.vrije_plaatsen, redenen })
}

/// Best first: score, then distance, then id.
pub fn rangschik(p: &Profiel, kandidaten: &[Kandidaat]) -> Vec<Suggestie> {
    let mut out: Vec<Suggestie> = kandidaten.iter().filter_map(|k| beoordeel(p, k)).collect();
    out.sort_by(|a, b| {
        b.score
            .partial_cmp(&a.score)
            .unwrap_or(Ordering::Equal)
            .then(a.afstand_km.partial_cmp(&b.afstand_km).unwrap_or(Ordering::Equal))
            .then(a.id.cmp(&b.id))
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const GEEL: Punt = Punt { lat: 51.16, lon: 4.99 };

    fn profiel(taal: &str, gedaan: &[Aanbodtype]) -> Profiel {
        Profiel {
            woonplaats: GEEL,
            contacttaal: taal.into(),
            gedane_types: gedaan.iter().copied().collect(),
            straal_km: 25.0,
        }
    }

    fn kandidaat(id: i64, t: Aanbodtype, km_oost: f64, talen: &[&str], vrij: Option<i32>) -> Kandidaat {
        Kandidaat {
            in_groep: true,
            buiten_eigen_kring: true,
            duurzaam_contact: true,
            ..kaal(id, t, km_oost, talen, vrij)
        }
    }

    fn kaal(id: i64, t: Aanbodtype, km_oost: f64, talen: &[&str], vrij: Option<i32>) -> Kandidaat {
        // One degree of longitude at 51.16° N is about 69.7 km.
        let dlon = km_oost / (111.195 * GEEL.lat.to_radians().cos());
        Kandidaat {
            id,
            aanbodtype: t,
            locatie: Punt { lat: GEEL.lat, lon: GEEL.lon + dlon },
            ondersteuningstalen: talen.iter().map(|s| s.to_string()).collect(),
            vrije_plaatsen: vrij,
            in_groep: false,
            buiten_eigen_kring: false,
            duurzaam_contact: false,
        }
    }

    #[test]
    fn points_per_criterium() {
        let p = profiel("ar", &[Aanbodtype::Praattafel]);
        let s = beoordeel(&p, &kandidaat(1, Aanbodtype::Buddyproject, 0.0, &["ar"], None)).unwrap();
        assert_eq!(s.score, 100.0);
        assert_eq!(s.afstand_km, 0.0);
        let s = beoordeel(&p, &kandidaat(2, Aanbodtype::Praattafel, 12.5, &["en"], Some(0))).unwrap();
        let punten: Vec<_> = s.redenen.iter().map(|r| (r.criterium, r.punten)).collect();
        assert_eq!(
            punten,
            [
                (Criterium::Afstand, 15.0),
                (Criterium::Taal, 0.0),
                (Criterium::VrijePlaatsen, 0.0),
                (Criterium::NieuwType, 0.0),
                (Criterium::InGroep, 15.0),
                (Criterium::BuitenEigenKring, 5.0),
                (Criterium::DuurzaamContact, 5.0)
            ]
        );
        assert_eq!(s.score, 40.0);
        assert!(s.redenen[2].toelichting.contains("waiting list"));
        assert!(beoordeel(&p, &kandidaat(3, Aanbodtype::Praattafel, 26.0, &[], None)).is_none(), "beyond the radius");
        // Dutch speakers need no support language.
        let nl = profiel("nl", &[]);
        assert_eq!(beoordeel(&nl, &kandidaat(4, Aanbodtype::Vrijetijd, 0.0, &[], Some(2))).unwrap().score, 100.0);
        // An individual offer (no guidance field declared) is still a candidate, with fewer points.
        let alleen = beoordeel(&nl, &kaal(5, Aanbodtype::Kennismakingsstage, 0.0, &[], None)).unwrap();
        assert_eq!(alleen.score, 75.0);
        assert!(alleen.redenen[4].toelichting.starts_with("not declared"));
    }

    #[test]
    fn ranking_is_by_score_then_distance_then_id() {
        let p = profiel("ar", &[Aanbodtype::Praattafel]);
        let k = [
            kandidaat(10, Aanbodtype::Praattafel, 1.0, &["ar"], None), // 28.8 + 15 + 15 + 0 + 25 = 83.8
            kandidaat(11, Aanbodtype::Buddyproject, 5.0, &["ar"], Some(1)), // 24 + 45 + 25 = 94
            kandidaat(12, Aanbodtype::Buddyproject, 5.0, &["ar"], Some(3)), // same score and distance as 11
            kandidaat(13, Aanbodtype::Vrijwilligerswerk, 2.0, &[], Some(0)), // 27.6 + 0 + 0 + 15 + 25 = 67.6
            kaal(14, Aanbodtype::Buddyproject, 5.0, &["ar"], Some(1)), // 11 without guidance: 69
        ];
        let ids: Vec<_> = rangschik(&p, &k).iter().map(|s| s.id).collect();
        assert_eq!(ids, [11, 12, 10, 14, 13]);
    }
}
