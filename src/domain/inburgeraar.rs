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
    /// Temporarily displaced Ukrainians are `rechthebbend`; their voortrajecten are no contracts.
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
