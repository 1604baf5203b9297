//! Belgian identification numbers (R17): the rijksregisternummer / INSZ of a person and the KBO
//! enterprise number of an organisation, both protected by a mod-97 check.

use std::fmt;

/// Stores a validated string newtype as TEXT on every backend, through its own `parse` and
/// `as_str`: repo rows carry the type, and a stored value that does not parse is a
/// deserialization error of the query (a 500 like any database fault), not a handler's
/// `ApiError::internal`. The type derives `AsExpression` and `FromSqlRow` for `Text` itself.
/// The error names the type, not the value (an INSZ is personal data).
macro_rules! text_newtype {
    ($name:ident) => {
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
                $name::parse(&text).map_err(|_| format!("a stored value is not a valid {}", stringify!($name)).into())
            }
        }
    };
}
pub(crate) use text_newtype;

fn digits_only(s: &str) -> String {
    s.chars().filter(|c| !matches!(c, '.' | '-' | ' ')).collect()
}

/// A rijksregisternummer or BIS number (INSZ): 11 digits, `YYMMDD` + sequence + mod-97 check.
/// For people born in or after 2000 the check is computed over `2` followed by the first nine
/// digits; both centuries are tried, since the birth year's century is not in the number.
#[derive(Clone, PartialEq, Eq, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct Insz(String);

text_newtype!(Insz);

impl Insz {
    pub fn parse(input: &str) -> Result<Insz, String> {
        let s = digits_only(input);
        if s.len() != 11 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("a rijksregisternummer has 11 digits".into());
        }
        let base: u64 = s[..9].parse().map_err(|_| "not numeric")?;
        let check: u64 = s[9..].parse().map_err(|_| "not numeric")?;
        let before_2000 = 97 - base % 97;
        let after_2000 = 97 - (2_000_000_000 + base) % 97;
        if check != before_2000 && check != after_2000 {
            return Err("the check digits of the rijksregisternummer do not match".into());
        }
        // BIS numbers add 20 or 40 to the month; an unknown birth date has month 00.
        let month: u32 = s[2..4].parse().map_err(|_| "not numeric")?;
        if month % 20 > 12 || month > 52 {
            return Err("the rijksregisternummer has no valid birth month".into());
        }
        Ok(Insz(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Only the last four digits, for roles that may see that a number is recorded but not which.
    pub fn masked(&self) -> String {
        format!("*******{}", &self.0[7..])
    }
}

impl fmt::Debug for Insz {
    // Personal data: never print it whole in logs or panics.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Insz({})", self.masked())
    }
}

/// A KBO/BCE enterprise number: 10 digits starting with 0 or 1, the last two a mod-97 check
/// over the first eight.
#[derive(Clone, Debug, PartialEq, Eq, Hash, diesel::expression::AsExpression, diesel::deserialize::FromSqlRow)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct KboNummer(String);

text_newtype!(KboNummer);

impl KboNummer {
    pub fn parse(input: &str) -> Result<KboNummer, String> {
        let mut s = digits_only(input);
        if let Some(rest) = s.strip_prefix("BE").or_else(|| s.strip_prefix("be")) {
            s = rest.to_string();
        }
        if s.len() == 9 {
            // Old 9-digit numbers get a leading zero.
            s.insert(0, '0');
        }
        if s.len() != 10 || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err("a KBO number has 10 digits".into());
        }
        if !s.starts_with('0') && !s.starts_with('1') {
            return Err("a KBO number starts with 0 or 1".into());
        }
        let base: u64 = s[..8].parse().map_err(|_| "not numeric")?;
        let check: u64 = s[8..].parse().map_err(|_| "not numeric")?;
        if 97 - base % 97 != check {
            return Err("the check digits of the KBO number do not match".into());
        }
        Ok(KboNummer(s))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The official notation `0123.456.749`.
    pub fn formatted(&self) -> String {
        format!("{}.{}.{}", &self.0[..4], &self.0[4..7], &self.0[7..])
    }
}

/// An organisation's id: the `organisatie` claim of an aanbieder's token and the `{id}` of
/// `/v1/organisaties/{id}`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct OrganisatieId(pub i64);

impl OrganisatieId {
    /// A positive integer (surrounding blanks ignored, as a claim may carry them).
    pub fn parse(s: &str) -> Result<OrganisatieId, String> {
        match s.trim().parse::<i64>() {
            Ok(id) if id > 0 => Ok(OrganisatieId(id)),
            _ => Err(format!("'{s}' is not an organisation id (a positive integer)")),
        }
    }
}

impl fmt::Display for OrganisatieId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// The code of one of the 18 regional networks (`REFREG03`): the `regio` claim of a
/// netwerkcoordinator's token and the `{code}` of `/v1/regionaleNetwerken/{code}`. Whether it
/// names a known network is the database's answer, not this type's.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NetwerkCode(String);

impl NetwerkCode {
    /// Letters, digits and hyphens (`GS-GENT`), at most 20.
    pub fn parse(s: &str) -> Result<NetwerkCode, String> {
        let s = s.trim();
        if !s.is_empty() && s.len() <= 20 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-') {
            Ok(NetwerkCode(s.to_string()))
        } else {
            Err(format!("'{s}' is not a network code (letters, digits and hyphens, like REFREG03 or GS-GENT)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NetwerkCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Builds a valid INSZ for tests from a birth date and sequence.
    fn make_insz(yymmdd: &str, seq: &str, after_2000: bool) -> String {
        let base: u64 = format!("{yymmdd}{seq}").parse().unwrap();
        let n = if after_2000 { 2_000_000_000 + base } else { base };
        format!("{yymmdd}{seq}{:02}", 97 - n % 97)
    }

    #[test]
    fn insz_before_and_after_2000() {
        let old = make_insz("850730", "033", false);
        assert!(Insz::parse(&old).is_ok(), "{old}");
        let new = make_insz("050730", "033", true);
        assert!(Insz::parse(&new).is_ok(), "{new}");
    }

    #[test]
    fn insz_rejects_wrong_checks_and_shapes() {
        let mut bad = make_insz("850730", "033", false);
        let last = bad.pop().unwrap();
        bad.push(if last == '9' { '0' } else { ((last as u8) + 1) as char });
        assert!(Insz::parse(&bad).is_err());
        assert!(Insz::parse("1234567890").is_err());
        assert!(Insz::parse("abcdefghijk").is_err());
        let bad_month = make_insz("851530", "033", false);
        assert!(Insz::parse(&bad_month).is_err());
    }

    #[test]
    fn insz_accepts_bis_numbers_and_formatting() {
        let bis = make_insz("852730", "033", false); // month + 20
        assert!(Insz::parse(&bis).is_ok());
        let s = make_insz("850730", "033", false);
        let formatted = format!("{}.{}.{}-{}.{}", &s[..2], &s[2..4], &s[4..6], &s[6..9], &s[9..]);
        assert_eq!(Insz::parse(&formatted).unwrap().as_str(), s);
        assert_eq!(Insz::parse(&s).unwrap().masked(), format!("*******{}", &s[7..]));
    }

    #[test]
    fn network_codes_of_the_big_cities_have_a_hyphen() {
        assert_eq!(NetwerkCode::parse("GS-GENT").unwrap().as_str(), "GS-GENT");
        assert_eq!(NetwerkCode::parse(" REFREG03 ").unwrap().as_str(), "REFREG03");
        assert!(NetwerkCode::parse("REF REG").is_err() && NetwerkCode::parse("").is_err());
    }

    #[test]
    fn kbo_numbers() {
        // 0203.201.340 is the NMBS/SNCB enterprise number.
        assert_eq!(KboNummer::parse("0203.201.340").unwrap().as_str(), "0203201340");
        assert_eq!(KboNummer::parse("BE0203201340").unwrap().formatted(), "0203.201.340");
        assert!(KboNummer::parse("203201340").is_ok());
        assert!(KboNummer::parse("0203201341").is_err());
        assert!(KboNummer::parse("2203201340").is_err());
        assert!(KboNummer::parse("02032013").is_err());
    }
}
