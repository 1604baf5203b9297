//! NIS codes (Statbel REFNIS) of municipalities.

use super::ids::text_newtype;
use std::fmt;

/// A syntactically valid NIS code: five digits. Whether it names a known municipality is the
/// database's answer, not this type's.
#[derive(
    Clone,
    Debug,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    diesel::expression::AsExpression,
    diesel::deserialize::FromSqlRow,
)]
#[diesel(sql_type = diesel::sql_types::Text)]
pub struct NisCode(String);

text_newtype!(NisCode);

impl NisCode {
    pub fn parse(s: &str) -> Result<NisCode, String> {
        let s = s.trim();
        if s.len() == 5 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(NisCode(s.to_string()))
        } else {
            Err(format!("'{s}' is not a NIS code (five digits)"))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NisCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_digits_only() {
        assert!(NisCode::parse("11002").is_ok());
        assert!(NisCode::parse("1100").is_err());
        assert!(NisCode::parse("11a02").is_err());
        assert!(NisCode::parse("110022").is_err());
    }
}
