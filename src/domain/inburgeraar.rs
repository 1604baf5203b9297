//! A newcomer's own data: status (R1), KBI sync status (R17), and the checks on personal data
//! that go beyond a single field (the INSZ must agree with the birth date).

use super::contract::RegelFout;
use super::ids::Insz;
use super::nis::NisCode;
use chrono::{Datelike, NaiveDate};

/// Declares a closed set of values stored as TEXT holding their JSON (lowerCamelCase) name.
///
/// The OpenAPI schema is written here rather than derived: the derive cannot read a `rename`
/// that comes in as a macro fragment and would list the Rust variant names, which the API
/// refuses. The schema lists exactly the wire values, with each value's doc comment.
macro_rules! text_enum {
    ($(#[doc = $doc:literal])* $name:ident { $($(#[doc = $vdoc:literal])* $variant:ident = $text:literal),+ $(,)? }) => {
        $(#[doc = $doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[derive(diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
        #[diesel(sql_type = diesel::sql_types::Text)]
        pub enum $name {
            $($(#[doc = $vdoc])* #[serde(rename = $text)] $variant),+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        // Stored as its wire value in a TEXT column, on every backend: repo rows carry the
        // enum, and a stored value outside the set is a deserialization error of the query.
        impl<DB> diesel::serialize::ToSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            str: diesel::serialize::ToSql<diesel::sql_types::Text, DB>,
        {
            fn to_sql<'b>(&'b self, out: &mut diesel::serialize::Output<'b, '_, DB>) -> diesel::serialize::Result {
                self.as_str().to_sql(out)
            }
        }

        impl<DB> diesel::deserialize::FromSql<diesel::sql_types::Text, DB> for $name
        where
            DB: diesel::backend::Backend,
            String: diesel::deserialize::FromSql<diesel::sql_types::Text, DB>,
        {
            fn from_sql(bytes: DB::RawValue<'_>) -> diesel::deserialize::Result<Self> {
                let text = String::from_sql(bytes)?;
                $name::parse(&text)
                    .ok_or_else(|| format!("'{text}' is not a stored {}", stringify!($name)).into())
            }
        }

        impl utoipa::PartialSchema for $name {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                let values: &[(&str, &[&str])] = &[$(($text, &[$($vdoc),*])),+];
                $crate::openapi::enum_schema(&[$($doc),*], values)
            }
        }

        impl utoipa::ToSchema for $name {
            fn name() -> std::borrow::Cow<'static, str> {
                std::borrow::Cow::Borrowed(stringify!($name))
            }
        }
    };
}
pub(crate) use text_enum;

text_enum! {
    /// R1: a newcomer must (`verplicht`) or may (`rechthebbend`) follow the integration path.
    /// Temporarily protected newcomers are `rechthebbend` (R1b); their voortrajecten are no
    /// contracts.
    Statuut {
        Verplicht = "verplicht",
        Rechthebbend = "rechthebbend",
    }
}

text_enum! {
    /// Where the record stands with the central registry (KBI), which is keyed by INSZ (R17).
    /// The API keeps only this status, never a copy of KBI data.
    KbiSyncStatus {
        /// Not yet sent (or changed since): the sync job picks it up.
        TeSynchroniseren = "teSynchroniseren",
        Gesynchroniseerd = "gesynchroniseerd",
        /// The last attempt failed; the sync job retries.
        Mislukt = "mislukt",
        /// No rijksregisternummer recorded, so nothing to sync.
        NietVanToepassing = "nietVanToepassing",
    }
}

impl KbiSyncStatus {
    /// The status a record gets when its INSZ is set, changed or removed.
    pub fn na_insz_wijziging(heeft_insz: bool) -> KbiSyncStatus {
        if heeft_insz { KbiSyncStatus::TeSynchroniseren } else { KbiSyncStatus::NietVanToepassing }
    }
}

text_enum! {
    /// What a voortraject held (seed 003: "individuele begeleiding bij hulpvragen, een korte
    /// infosessie 'Welkom in Vlaanderen' en begeleiding in het kader van NT2").
    VoortrajectOnderdeel {
        /// Individual guidance with questions for help.
        IndividueleBegeleiding = "individueleBegeleiding",
        /// The short information session 'Welkom in Vlaanderen'.
        InfosessieWelkomInVlaanderen = "infosessieWelkomInVlaanderen",
        /// Guidance towards Dutch as a second language (NT2).
        Nt2Begeleiding = "nt2Begeleiding",
    }
}

/// A voortraject inburgering (R1b): organised by the agency since March 2022 for temporarily
/// protected people, outside the inburgeringstraject. It is not a contract: no PNT, no hours.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Voortraject {
    /// First day (`yyyy-MM-dd`); not before 2022-03-01 and not in the future.
    #[schema(example = "2022-05-02")]
    pub begin: NaiveDate,
    /// Last day; absent while it runs. Not before `begin`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false, example = "2022-11-30")]
    pub einde: Option<NaiveDate>,
    /// What it held; at least one part, each at most once.
    #[schema(min_items = 1)]
    pub onderdelen: Vec<VoortrajectOnderdeel>,
}

/// The agency organises voortrajecten "sinds maart 2022" (seed 003).
pub fn voortrajecten_sinds() -> NaiveDate {
    NaiveDate::from_ymd_opt(2022, 3, 1).expect("a valid date")
}

/// R1b: temporary protection makes a newcomer `rechthebbend` ("Oekraïners met het statuut van
/// tijdelijk beschermde zijn rechthebbende inburgeraars"), so such a person cannot be
/// registered as `verplicht`. Protection needs its start date (not in the future), a start date
/// needs protection. Voortrajecten are recorded only for protected people, start on or after
/// 2022-03-01, not in the future, end on or after their start, and list what they held.
pub fn check_bescherming(
    statuut: Statuut,
    tijdelijke_bescherming: bool,
    sinds: Option<NaiveDate>,
    voortrajecten: &[Voortraject],
    vandaag: NaiveDate,
) -> Vec<RegelFout> {
    let mut fouten = Vec::new();
    match (tijdelijke_bescherming, sinds) {
        (true, None) => fouten.push(RegelFout::new(
            "tijdelijkeBeschermingSinds",
            "tijdelijkeBeschermingSinds is required with tijdelijkeBescherming",
        )),
        (false, Some(_)) => fouten.push(RegelFout::new(
            "tijdelijkeBeschermingSinds",
            "tijdelijkeBeschermingSinds is only recorded with tijdelijkeBescherming: true",
        )),
        (true, Some(d)) if d > vandaag => {
            fouten.push(RegelFout::new("tijdelijkeBeschermingSinds", "tijdelijkeBeschermingSinds lies in the future"))
        }
        _ => {}
    }
    if tijdelijke_bescherming && statuut == Statuut::Verplicht {
        fouten
            .push(RegelFout::new("statuut", "a temporarily protected newcomer is rechthebbend, never verplicht (R1b)"));
    }
    if !voortrajecten.is_empty() && !tijdelijke_bescherming {
        fouten.push(RegelFout::new(
            "voortrajecten",
            "voortrajecten are organised for temporarily protected newcomers only (R1b)",
        ));
    }
    for (i, v) in voortrajecten.iter().enumerate() {
        let veld = |naam: &str| format!("voortrajecten[{i}].{naam}");
        if v.begin < voortrajecten_sinds() {
            fouten.push(RegelFout::new(veld("begin"), format!("voortrajecten exist since {}", voortrajecten_sinds())));
        } else if v.begin > vandaag {
            fouten.push(RegelFout::new(veld("begin"), "begin lies in the future"));
        }
        if v.einde.is_some_and(|e| e < v.begin) {
            fouten.push(RegelFout::new(veld("einde"), "einde lies before begin"));
        }
        let mut gezien = v.onderdelen.clone();
        gezien.sort();
        gezien.dedup();
        if v.onderdelen.is_empty() {
            fouten.push(RegelFout::new(veld("onderdelen"), "name at least one part of the voortraject"));
        } else if gezien.len() != v.onderdelen.len() {
            fouten.push(RegelFout::new(veld("onderdelen"), "each part is listed at most once"));
        }
    }
    fouten
}

/// The birth date an INSZ encodes, if it encodes a complete one. BIS numbers add 20 or 40 to
/// the month; an unknown day or month is written as 00. The century is not in the number: it
/// is the one whose check digits match (after 2000 they are computed over `2` + nine digits).
fn insz_geboortedatum(insz: &Insz) -> Option<NaiveDate> {
    let s = insz.as_str();
    let yy: i32 = s[0..2].parse().ok()?;
    let mm: u32 = s[2..4].parse::<u32>().ok()? % 20;
    let dd: u32 = s[4..6].parse().ok()?;
    if mm == 0 || dd == 0 {
        return None;
    }
    let base: u64 = s[..9].parse().ok()?;
    let check: u64 = s[9..].parse().ok()?;
    let century = if 97 - (2_000_000_000 + base) % 97 == check { 2000 } else { 1900 };
    NaiveDate::from_ymd_opt(century + yy, mm, dd)
}

/// The INSZ must encode the recorded birth date, when it encodes one completely: a typo in
/// either is caught at the edge instead of in a KBI sync weeks later.
pub fn check_insz_geboortedatum(insz: &Insz, geboortedatum: NaiveDate) -> Result<(), String> {
    match insz_geboortedatum(insz) {
        Some(d) if d != geboortedatum => {
            Err(format!("the rijksregisternummer encodes the birth date {}, not {geboortedatum}", d.format("%d/%m/%Y")))
        }
        _ => Ok(()),
    }
}

/// A birth date must lie in the past and after 1900.
pub fn check_geboortedatum(geboortedatum: NaiveDate, vandaag: NaiveDate) -> Result<(), String> {
    if geboortedatum > vandaag {
        Err("geboortedatum lies in the future".into())
    } else if geboortedatum.year() < 1900 {
        Err("geboortedatum lies before 1900".into())
    } else {
        Ok(())
    }
}

/// The contact language as an ISO 639 code (two or three lower-case letters: `nl`, `en`, `ar`,
/// `uk`, `prs`). Interpreters and letters follow it; the API does not restrict the list.
pub fn check_taalcode(code: &str) -> Result<(), String> {
    if (2..=3).contains(&code.len()) && code.bytes().all(|b| b.is_ascii_lowercase()) {
        Ok(())
    } else {
        Err("contacttaal must be an ISO 639 language code of 2 or 3 lower-case letters, like nl or ar".into())
    }
}

/// A newcomer's personal data as a request gives it (already trimmed where it is free text).
#[derive(Clone, Copy, Debug)]
pub struct Persoonsgegevens<'a> {
    pub rijksregisternummer: Option<&'a str>,
    pub geboortedatum: NaiveDate,
    pub contacttaal: &'a str,
    pub gemeente: &'a str,
    pub dossiernummer: &'a str,
    pub voornaam: &'a str,
    pub achternaam: &'a str,
    pub telefoon: Option<&'a str>,
}

/// Every check on a newcomer's personal data beyond a field's type: the INSZ (R17) and whether
/// it encodes the birth date, a birth date in the past, the language code, the NIS code, no
/// blank names, a phone number of digits and punctuation. The INSZ and NIS code as parsed, or
/// every broken rule, named by its body field.
pub fn check_persoonsgegevens(
    p: &Persoonsgegevens<'_>,
    vandaag: NaiveDate,
) -> Result<(Option<Insz>, NisCode), Vec<RegelFout>> {
    let mut fouten = Vec::new();
    let mut fout = |veld: &str, detail: String| fouten.push(RegelFout::new(veld, detail));
    let insz = p.rijksregisternummer.and_then(|s| Insz::parse(s).map_err(|e| fout("rijksregisternummer", e)).ok());
    if let Some(Err(e)) = insz.as_ref().map(|i| check_insz_geboortedatum(i, p.geboortedatum)) {
        fout("rijksregisternummer", e);
    }
    if let Err(e) = check_geboortedatum(p.geboortedatum, vandaag) {
        fout("geboortedatum", e);
    }
    if let Err(e) = check_taalcode(p.contacttaal) {
        fout("contacttaal", e);
    }
    let gemeente = NisCode::parse(p.gemeente).map_err(|e| fout("gemeente", e)).ok();
    for (veld, waarde) in [("dossiernummer", p.dossiernummer), ("voornaam", p.voornaam), ("achternaam", p.achternaam)] {
        if waarde.trim().is_empty() {
            fout(veld, format!("{veld} must not be blank"));
        }
    }
    if p.telefoon.is_some_and(|t| !t.chars().all(|c| c.is_ascii_digit() || " +/.-()".contains(c))) {
        fout("contact.telefoon", "telefoon holds digits, spaces and + / . - ( ) only".into());
    }
    match gemeente {
        Some(gemeente) if fouten.is_empty() => Ok((insz, gemeente)),
        _ => Err(fouten),
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    #[test]
    fn temporary_protection_is_rechthebbend_and_voortrajecten_need_it() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let vandaag = d(2026, 12, 1);
        let velden = |f: Vec<RegelFout>| f.into_iter().map(|f| f.veld).collect::<Vec<_>>();
        let vt = |begin, einde| Voortraject { begin, einde, onderdelen: vec![VoortrajectOnderdeel::Nt2Begeleiding] };
        assert!(check_bescherming(Statuut::Rechthebbend, true, Some(d(2022, 3, 10)), &[], vandaag).is_empty());
        assert_eq!(
            velden(check_bescherming(Statuut::Verplicht, true, Some(d(2022, 3, 10)), &[], vandaag)),
            ["statuut"]
        );
        assert!(check_bescherming(Statuut::Verplicht, false, None, &[], vandaag).is_empty());
        assert_eq!(
            velden(check_bescherming(Statuut::Rechthebbend, true, None, &[], vandaag)),
            ["tijdelijkeBeschermingSinds"]
        );
        assert_eq!(
            velden(check_bescherming(Statuut::Rechthebbend, false, None, &[vt(d(2022, 3, 1), None)], vandaag)),
            ["voortrajecten"]
        );
        // The boundary: the first day of March 2022 is accepted, the day before is not.
        assert!(
            check_bescherming(Statuut::Rechthebbend, true, Some(d(2022, 3, 10)), &[vt(d(2022, 3, 1), None)], vandaag)
                .is_empty()
        );
        assert_eq!(
            velden(check_bescherming(
                Statuut::Rechthebbend,
                true,
                Some(d(2022, 3, 10)),
                &[vt(d(2022, 2, 28), Some(d(2022, 2, 1)))],
                vandaag
            )),
            ["voortrajecten[0].begin", "voortrajecten[0].einde"]
        );
    }

    #[test]
    fn closed_sets_round_trip_through_text_columns() {
        use diesel::prelude::*;
        use diesel::sql_types::Text;
        let mut c = crate::db::DbConn::Sqlite(diesel::SqliteConnection::establish(":memory:").unwrap());
        let back: Statuut = diesel::select(Statuut::Rechthebbend.into_sql::<Text>()).get_result(&mut c).unwrap();
        assert_eq!(back, Statuut::Rechthebbend);
        let stored: Result<Statuut, _> = diesel::select("Verplicht".into_sql::<Text>()).get_result(&mut c);
        assert!(stored.is_err(), "only wire values are stored");
    }

    /// A valid INSZ for a birth date and sequence number (test data only).
    pub fn insz_voor(geboren: NaiveDate, volgnummer: u32) -> String {
        let yymmdd = geboren.format("%y%m%d").to_string();
        let base: u64 = format!("{yymmdd}{volgnummer:03}").parse().unwrap();
        let n = if geboren.year() >= 2000 { 2_000_000_000 + base } else { base };
        format!("{yymmdd}{volgnummer:03}{:02}", 97 - n % 97)
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn insz_must_match_the_birth_date() {
        for geboren in [d(1985, 7, 30), d(2003, 2, 1)] {
            let insz = Insz::parse(&insz_voor(geboren, 33)).unwrap();
            assert!(check_insz_geboortedatum(&insz, geboren).is_ok());
            assert!(check_insz_geboortedatum(&insz, d(1985, 7, 31)).is_err());
        }
        // The same digits as 1903 vs 2003: the check digits pick the century.
        let insz = Insz::parse(&insz_voor(d(2003, 2, 1), 33)).unwrap();
        assert!(check_insz_geboortedatum(&insz, d(1903, 2, 1)).is_err());
    }

    #[test]
    fn bis_numbers_and_unknown_dates() {
        // BIS: month + 20.
        let base: u64 = "852730033".parse().unwrap();
        let bis = Insz::parse(&format!("852730033{:02}", 97 - base % 97)).unwrap();
        assert!(check_insz_geboortedatum(&bis, d(1985, 7, 30)).is_ok());
        assert!(check_insz_geboortedatum(&bis, d(1985, 7, 29)).is_err());
        // Unknown day: nothing to compare.
        let base: u64 = "850700033".parse().unwrap();
        let unknown = Insz::parse(&format!("850700033{:02}", 97 - base % 97)).unwrap();
        assert!(check_insz_geboortedatum(&unknown, d(1985, 7, 12)).is_ok());
    }

    #[test]
    fn birth_dates_and_languages() {
        let today = d(2026, 11, 22);
        assert!(check_geboortedatum(d(1990, 1, 1), today).is_ok());
        assert!(check_geboortedatum(d(2026, 11, 23), today).is_err());
        assert!(check_geboortedatum(d(1899, 12, 31), today).is_err());
        assert!(check_taalcode("nl").is_ok());
        assert!(check_taalcode("prs").is_ok());
        assert!(check_taalcode("NL").is_err());
        assert!(check_taalcode("dutch").is_err());
        assert!(check_taalcode("n").is_err());
    }

    #[test]
    fn personal_data_is_checked_field_by_field() {
        let geboren = d(1994, 3, 18);
        let insz = insz_voor(geboren, 123);
        let goed = Persoonsgegevens {
            rijksregisternummer: Some(&insz),
            geboortedatum: geboren,
            contacttaal: "ar",
            gemeente: "13008",
            dossiernummer: "AGII-1",
            voornaam: "Amina",
            achternaam: "Haddad",
            telefoon: Some("+32 470 12 34 56"),
        };
        let (parsed, nis) = check_persoonsgegevens(&goed, d(2026, 11, 22)).unwrap();
        assert_eq!(parsed.unwrap().as_str(), insz);
        assert_eq!(nis.as_str(), "13008");
        let fout = Persoonsgegevens {
            rijksregisternummer: Some("12345678901"),
            contacttaal: "Arabic",
            gemeente: "Geel",
            voornaam: " ",
            telefoon: Some("call me"),
            ..goed
        };
        let velden: Vec<String> =
            check_persoonsgegevens(&fout, d(2026, 11, 22)).unwrap_err().into_iter().map(|f| f.veld).collect();
        assert_eq!(velden, ["rijksregisternummer", "contacttaal", "gemeente", "voornaam", "contact.telefoon"]);
    }

    #[test]
    fn kbi_status_follows_the_insz() {
        assert_eq!(KbiSyncStatus::na_insz_wijziging(true), KbiSyncStatus::TeSynchroniseren);
        assert_eq!(KbiSyncStatus::na_insz_wijziging(false), KbiSyncStatus::NietVanToepassing);
        assert_eq!(KbiSyncStatus::parse("mislukt"), Some(KbiSyncStatus::Mislukt));
        assert_eq!(Statuut::parse("verplicht"), Some(Statuut::Verplicht));
        assert_eq!(Statuut::parse("Verplicht"), None);
    }
}
