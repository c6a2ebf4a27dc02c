//! Money and financial years, the two units every resource line and grant is stated in.
//!
//! Amounts are whole pence in an `i64`: budgets are added up and compared, and binary
//! floating point would make £0.10 + £0.20 differ from £0.30. This module does no
//! currency conversion and knows nothing of VAT.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An amount of money in pence. Negative amounts are allowed (savings lines).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(pub i64);

impl Pence {
    /// Whole pounds.
    pub const fn pounds(pounds: i64) -> Self {
        Self(pounds * 100)
    }

    /// Parses an amount as staff type it: `£1,250,000`, `1250000`, `1250000.50`.
    pub fn parse(input: &str) -> Result<Self, String> {
        let cleaned: String = input.trim().trim_start_matches('£').chars().filter(|c| *c != ',' && *c != ' ').collect();
        let (negative, digits) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, cleaned.as_str()),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let valid = !whole.is_empty()
            && whole.chars().all(|c| c.is_ascii_digit())
            && fraction.len() <= 2
            && fraction.chars().all(|c| c.is_ascii_digit());
        if !valid {
            return Err(format!("`{input}` is not an amount of money; write pounds like `1,250,000` or `1250000.50`"));
        }
        let whole: i64 = whole.parse().map_err(|_| format!("`{input}` is too large an amount"))?;
        let fraction: i64 = match fraction.len() {
            0 => 0,
            1 => fraction.parse::<i64>().unwrap_or(0) * 10,
            _ => fraction.parse::<i64>().unwrap_or(0),
        };
        let pence = whole
            .checked_mul(100)
            .and_then(|p| p.checked_add(fraction))
            .ok_or_else(|| format!("`{input}` is too large an amount"))?;
        Ok(Self(if negative { -pence } else { pence }))
    }
}

impl fmt::Display for Pence {
    /// `£1,250,000` for whole pounds, `£1,250,000.50` otherwise.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let pounds = abs / 100;
        let pence = abs % 100;
        let digits = pounds.to_string();
        let mut grouped = String::new();
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        if pence == 0 { write!(f, "{sign}£{grouped}") } else { write!(f, "{sign}£{grouped}.{pence:02}") }
    }
}

/// A financial year, 1 April to 31 March, named by the calendar year it starts in.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct FinancialYear(pub i32);

impl FinancialYear {
    /// The financial year that contains `date`.
    pub fn containing(date: chrono::NaiveDate) -> Self {
        use chrono::Datelike;
        if date.month() >= 4 { Self(date.year()) } else { Self(date.year() - 1) }
    }

    /// 1 April of the starting year.
    pub fn first_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.0, 4, 1)
    }

    /// 31 March of the following year.
    pub fn last_day(&self) -> Option<chrono::NaiveDate> {
        chrono::NaiveDate::from_ymd_opt(self.0 + 1, 3, 31)
    }
}

impl fmt::Display for FinancialYear {
    /// `2013/14`, the form budgets and plans use.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{:02}", self.0, (self.0 + 1).rem_euclid(100))
    }
}

impl FromStr for FinancialYear {
    type Err = String;

    /// Accepts `2013/14`, `2013-14` and `2013`; the second part must follow the first.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || format!("`{s}` is not a financial year; write it like `2013/14`");
        let (start, end) = match s.split_once(['/', '-']) {
            Some((a, b)) => (a, Some(b)),
            None => (s, None),
        };
        if start.len() != 4 || !start.chars().all(|c| c.is_ascii_digit()) {
            return Err(bad());
        }
        let start: i32 = start.parse().map_err(|_| bad())?;
        if let Some(end) = end {
            let end_ok = match end.len() {
                2 => end.parse::<i32>().ok() == Some((start + 1).rem_euclid(100)),
                4 => end.parse::<i32>().ok() == Some(start + 1),
                _ => false,
            };
            if !end_ok {
                return Err(format!(
                    "`{s}` is not a financial year: a financial year runs into the next calendar year, like `{}`",
                    FinancialYear(start)
                ));
            }
        }
        Ok(Self(start))
    }
}

impl Serialize for FinancialYear {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for FinancialYear {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amounts_parse_as_staff_type_them() {
        let cases = [
            ("£1,250,000", Ok(Pence(125_000_000))),
            ("1250000.5", Ok(Pence(125_000_050))),
            ("-20,000,000", Ok(Pence(-2_000_000_000))),
            ("0.05", Ok(Pence(5))),
        ];
        for (input, expected) in cases {
            assert_eq!(Pence::parse(input), expected, "{input}");
        }
        for bad in ["", "£", "1.234", "12a", "1,2.3.4"] {
            assert!(Pence::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn amounts_display_with_thousands_separators() {
        assert_eq!(Pence(125_000_000).to_string(), "£1,250,000");
        assert_eq!(Pence(125_000_050).to_string(), "£1,250,000.50");
        assert_eq!(Pence(-99).to_string(), "-£0.99");
        assert_eq!(Pence(100).to_string(), "£1");
    }

    #[test]
    fn financial_years_parse_and_print_in_the_budget_form() {
        assert_eq!("2013/14".parse(), Ok(FinancialYear(2013)));
        assert_eq!("2013-2014".parse(), Ok(FinancialYear(2013)));
        assert_eq!("1999/00".parse(), Ok(FinancialYear(1999)));
        assert!("2013/15".parse::<FinancialYear>().is_err());
        assert!("13/14".parse::<FinancialYear>().is_err());
        assert_eq!(FinancialYear(1999).to_string(), "1999/00");
        let march = chrono::NaiveDate::from_ymd_opt(2013, 3, 28).expect("valid date");
        assert_eq!(FinancialYear::containing(march), FinancialYear(2012));
    }
}
