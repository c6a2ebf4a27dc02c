//! Reporting periods: the months, financial quarters, financial years and calendar years
//! that performance figures are reported for.
//!
//! Police bodies report by the financial year (1 April to 31 March) and its quarters, so
//! `2022/23 Q1` is April to June 2022 and `2022/23 Q4` is January to March 2023. A
//! [`Period`] can only be made valid: the constructors and [`Period::from_str`] check the
//! month, the quarter and the year, so every period has a first and a last day.
//!
//! Periods order by their first day and then their last day, so a year sorts before the
//! quarter and the month that start on the same day. [`Period::months`] lists the months
//! of a quarter or a year, which is how monthly observations are summed into quarters and
//! years (see [`crate::stats::total_over`]).
//!
//! This module knows nothing of what is observed in a period and does no I/O. It handles
//! four-digit years only ([`FIRST_YEAR`] to [`LAST_YEAR`]), the forms the text takes.

use std::cmp::Ordering;
use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::money::FinancialYear;
use crate::plan::Frequency;

/// The first year a period may fall in.
pub const FIRST_YEAR: i32 = 1000;
/// The last year a period may start in (a financial year starting then ends in the next).
pub const LAST_YEAR: i32 = 9998;

/// The forms [`Period::from_str`] accepts, for error messages.
const ACCEPTED_FORMS: &str = "a month like `2022-04`, a financial quarter like `2022/23 Q1`, \
     a financial year like `2022/23` or a calendar year like `2022`";

const MONTH_NAMES: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// The length of period a figure covers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeriodKind {
    Month,
    /// A quarter of the financial year: Q1 is April to June.
    Quarter,
    /// 1 April to 31 March.
    FinancialYear,
    /// 1 January to 31 December.
    CalendarYear,
}

impl PeriodKind {
    pub const ALL: [PeriodKind; 4] =
        [PeriodKind::Month, PeriodKind::Quarter, PeriodKind::FinancialYear, PeriodKind::CalendarYear];

    /// The snake_case name used in JSON and the database.
    pub fn as_str(&self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
            PeriodKind::FinancialYear => "financial_year",
            PeriodKind::CalendarYear => "calendar_year",
        }
    }

    /// A label for people: `financial quarter`.
    pub fn label(&self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "financial quarter",
            PeriodKind::FinancialYear => "financial year",
            PeriodKind::CalendarYear => "calendar year",
        }
    }

    /// How many months a period of this kind spans.
    pub fn months(&self) -> u32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
            PeriodKind::FinancialYear | PeriodKind::CalendarYear => 12,
        }
    }

    /// The kind a measure of this frequency is reported for. Annual measures are reported
    /// by financial year, as police bodies do; a calendar year is only ever chosen
    /// explicitly.
    pub fn for_frequency(frequency: Frequency) -> Self {
        match frequency {
            Frequency::Monthly => PeriodKind::Month,
            Frequency::Quarterly => PeriodKind::Quarter,
            Frequency::Annual => PeriodKind::FinancialYear,
        }
    }

    /// The reporting frequency of periods of this kind.
    pub fn frequency(&self) -> Frequency {
        match self {
            PeriodKind::Month => Frequency::Monthly,
            PeriodKind::Quarter => Frequency::Quarterly,
            PeriodKind::FinancialYear | PeriodKind::CalendarYear => Frequency::Annual,
        }
    }
}

/// Why a period could not be made or read.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeriodError {
    #[error("`{text}` is not a period; write {ACCEPTED_FORMS}")]
    Unrecognised { text: String },
    #[error("`{text}`: there is no month {month}; months run from 01 to 12")]
    NoSuchMonth { text: String, month: u32 },
    #[error(
        "`{text}`: there is no quarter {quarter}; financial quarters run from Q1 (April to June) to Q4 (January to March)"
    )]
    NoSuchQuarter { text: String, quarter: u32 },
    #[error("`{text}`: a financial year runs into the next calendar year; write `{expected}`")]
    FinancialYearMismatch { text: String, expected: String },
    #[error("`{text}`: the year {year} is outside the years periods can use ({FIRST_YEAR} to {LAST_YEAR})")]
    YearOutOfRange { text: String, year: i32 },
}

/// A month, financial quarter, financial year or calendar year.
///
/// The fields are private so that every value has been checked: `year` is the calendar
/// year for months and calendar years and the financial year's starting year for
/// quarters and financial years; `index` is the month (1 to 12) or the quarter (1 to 4),
/// and 0 for years.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Period {
    kind: PeriodKind,
    year: i32,
    index: u32,
}

impl Period {
    /// A calendar month: `Period::month(2022, 4)` is April 2022.
    pub fn month(year: i32, month: u32) -> Result<Self, PeriodError> {
        let text = format!("{year:04}-{month:02}");
        check_year(&text, year)?;
        if !(1..=12).contains(&month) {
            return Err(PeriodError::NoSuchMonth { text, month });
        }
        Ok(Self { kind: PeriodKind::Month, year, index: month })
    }

    /// A quarter of a financial year: `Period::quarter(FinancialYear(2022), 1)` is
    /// April to June 2022.
    pub fn quarter(year: FinancialYear, quarter: u32) -> Result<Self, PeriodError> {
        let text = format!("{year} Q{quarter}");
        check_year(&text, year.0)?;
        if !(1..=4).contains(&quarter) {
            return Err(PeriodError::NoSuchQuarter { text, quarter });
        }
        Ok(Self { kind: PeriodKind::Quarter, year: year.0, index: quarter })
    }

    /// A financial year, 1 April to 31 March.
    pub fn financial_year(year: FinancialYear) -> Result<Self, PeriodError> {
        check_year(&year.to_string(), year.0)?;
        Ok(Self { kind: PeriodKind::FinancialYear, year: year.0, index: 0 })
    }

    /// A calendar year, 1 January to 31 December.
    pub fn calendar_year(year: i32) -> Result<Self, PeriodError> {
        check_year(&format!("{year:04}"), year)?;
        Ok(Self { kind: PeriodKind::CalendarYear, year, index: 0 })
    }

    /// The period of this kind that contains `date`.
    pub fn containing(date: NaiveDate, kind: PeriodKind) -> Result<Self, PeriodError> {
        match kind {
            PeriodKind::Month => Self::month(date.year(), date.month()),
            PeriodKind::Quarter => {
                let year = FinancialYear::containing(date);
                // April is month 0 of the financial year, so months 0-2 are Q1.
                let month_of_year = (date.month() + 8) % 12;
                Self::quarter(year, month_of_year / 3 + 1)
            }
            PeriodKind::FinancialYear => Self::financial_year(FinancialYear::containing(date)),
            PeriodKind::CalendarYear => Self::calendar_year(date.year()),
        }
    }

    /// The period a measure of this frequency reports `date` in.
    pub fn for_frequency(date: NaiveDate, frequency: Frequency) -> Result<Self, PeriodError> {
        Self::containing(date, PeriodKind::for_frequency(frequency))
    }

    pub fn kind(&self) -> PeriodKind {
        self.kind
    }

    /// The financial year a quarter or financial year belongs to; `None` for months and
    /// calendar years, which can straddle two.
    pub fn financial_year_of(&self) -> Option<FinancialYear> {
        match self.kind {
            PeriodKind::Quarter | PeriodKind::FinancialYear => Some(FinancialYear(self.year)),
            PeriodKind::Month | PeriodKind::CalendarYear => None,
        }
    }

    /// The first day of the period.
    pub fn start(&self) -> NaiveDate {
        let (year, month) = self.first_month();
        ymd(year, month, 1)
    }

    /// The last day of the period.
    pub fn end(&self) -> NaiveDate {
        let (year, month) = month_from_ordinal(month_ordinal(self.first_month()) + self.kind.months() as i64 - 1);
        let (next_year, next_month) = month_from_ordinal(month_ordinal((year, month)) + 1);
        ymd(next_year, next_month, 1).pred_opt().unwrap_or(NaiveDate::MIN)
    }

    /// Whether `date` falls in the period.
    pub fn contains(&self, date: NaiveDate) -> bool {
        self.start() <= date && date <= self.end()
    }

    /// Whether every day of `other` falls in this period: the months of a quarter, the
    /// quarters of a financial year.
    pub fn covers(&self, other: &Period) -> bool {
        self.start() <= other.start() && other.end() <= self.end()
    }

    /// The months of the period, in order: one for a month, three for a quarter, twelve
    /// for a year.
    pub fn months(&self) -> Vec<Period> {
        let first = month_ordinal(self.first_month());
        (0..self.kind.months() as i64)
            .map(|offset| {
                let (year, month) = month_from_ordinal(first + offset);
                Period { kind: PeriodKind::Month, year, index: month }
            })
            .collect()
    }

    /// The period of the same kind before this one; `None` before [`FIRST_YEAR`].
    pub fn previous(&self) -> Option<Period> {
        self.shifted(-1)
    }

    /// The period of the same kind after this one; `None` after [`LAST_YEAR`].
    pub fn next(&self) -> Option<Period> {
        self.shifted(1)
    }

    /// The same month, quarter or year one year earlier: what a change is compared with
    /// to take out the seasons.
    pub fn same_period_last_year(&self) -> Option<Period> {
        let steps = match self.kind {
            PeriodKind::Month => 12,
            PeriodKind::Quarter => 4,
            PeriodKind::FinancialYear | PeriodKind::CalendarYear => 1,
        };
        self.shifted(-steps)
    }

    /// A label for people: `April 2022`, `Q1 2022/23 (April to June 2022)`, `2022/23`,
    /// `calendar year 2022`.
    pub fn label(&self) -> String {
        match self.kind {
            PeriodKind::Month => format!("{} {}", month_name(self.index), self.year),
            PeriodKind::Quarter => {
                let first = self.start();
                let last = self.end();
                format!(
                    "Q{} {} ({} to {} {})",
                    self.index,
                    FinancialYear(self.year),
                    month_name(first.month()),
                    month_name(last.month()),
                    last.year()
                )
            }
            PeriodKind::FinancialYear => FinancialYear(self.year).to_string(),
            PeriodKind::CalendarYear => format!("calendar year {}", self.year),
        }
    }

    /// The calendar year and month the period starts in.
    fn first_month(&self) -> (i32, u32) {
        match self.kind {
            PeriodKind::Month => (self.year, self.index),
            // Q1 starts in April (month 4), Q4 in January of the next calendar year.
            PeriodKind::Quarter => month_from_ordinal(month_ordinal((self.year, 4)) + 3 * (self.index as i64 - 1)),
            PeriodKind::FinancialYear => (self.year, 4),
            PeriodKind::CalendarYear => (self.year, 1),
        }
    }

    /// The period `steps` periods of the same kind away, if its year is in range.
    fn shifted(&self, steps: i64) -> Option<Period> {
        let (year, index) = match self.kind {
            PeriodKind::Month => month_from_ordinal(month_ordinal((self.year, self.index)) + steps),
            PeriodKind::Quarter => {
                let ordinal = self.year as i64 * 4 + (self.index as i64 - 1) + steps;
                (i32::try_from(ordinal.div_euclid(4)).ok()?, ordinal.rem_euclid(4) as u32 + 1)
            }
            PeriodKind::FinancialYear | PeriodKind::CalendarYear => {
                (i32::try_from(self.year as i64 + steps).ok()?, self.index)
            }
        };
        (FIRST_YEAR..=LAST_YEAR).contains(&year).then_some(Period { kind: self.kind, year, index })
    }
}

fn check_year(text: &str, year: i32) -> Result<(), PeriodError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&year) {
        Ok(())
    } else {
        Err(PeriodError::YearOutOfRange { text: text.to_string(), year })
    }
}

/// Months counted from year 0: `(year, month)` to one number, so adding months is adding.
fn month_ordinal((year, month): (i32, u32)) -> i64 {
    year as i64 * 12 + (month as i64 - 1)
}

fn month_from_ordinal(ordinal: i64) -> (i32, u32) {
    // Every caller starts from a period whose year is within FIRST_YEAR..=LAST_YEAR and
    // moves by at most a year or so, so the year always fits an i32; `shifted` checks
    // the range before making a period from the result.
    let year = ordinal.div_euclid(12) as i32;
    (year, ordinal.rem_euclid(12) as u32 + 1)
}

/// The date, which exists for every year and month a period can hold.
fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

fn month_name(month: u32) -> &'static str {
    MONTH_NAMES.get(month.saturating_sub(1) as usize).copied().unwrap_or("")
}

impl Ord for Period {
    /// By first day, then by last day: a year sorts before the quarter and the month
    /// that start with it. No two different periods share both days.
    fn cmp(&self, other: &Self) -> Ordering {
        (self.start(), self.end()).cmp(&(other.start(), other.end()))
    }
}

impl PartialOrd for Period {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl fmt::Display for Period {
    /// The form [`Period::from_str`] reads: `2022-04`, `2022/23 Q1`, `2022/23`, `2022`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.kind {
            PeriodKind::Month => write!(f, "{:04}-{:02}", self.year, self.index),
            PeriodKind::Quarter => write!(f, "{} Q{}", FinancialYear(self.year), self.index),
            PeriodKind::FinancialYear => write!(f, "{}", FinancialYear(self.year)),
            PeriodKind::CalendarYear => write!(f, "{:04}", self.year),
        }
    }
}

impl FromStr for Period {
    type Err = PeriodError;

    /// Reads exactly the forms [`Period`] prints: `2022-04`, `2022/23 Q1`, `2022/23` or
    /// `2022`. Spaces around the text are ignored; anything else (`2022-4`, `2022/2023`,
    /// `Q1 2022/23`, `2022/23 q1`) is refused with a message naming the accepted forms,
    /// because a guessed period puts a figure in the wrong column.
    fn from_str(input: &str) -> Result<Self, Self::Err> {
        let text = input.trim();
        let unrecognised = || PeriodError::Unrecognised { text: text.to_string() };
        if let Some((year, quarter)) = text.split_once(' ') {
            let year = parse_financial_year(text, year)?.ok_or_else(unrecognised)?;
            let quarter = quarter
                .strip_prefix('Q')
                .filter(|q| q.len() == 1)
                .and_then(|q| q.parse::<u32>().ok())
                .ok_or_else(unrecognised)?;
            return Self::quarter(year, quarter).map_err(|e| with_text(e, text));
        }
        if text.contains('/') {
            let year = parse_financial_year(text, text)?.ok_or_else(unrecognised)?;
            return Self::financial_year(year).map_err(|e| with_text(e, text));
        }
        if let Some((year, month)) = text.split_once('-') {
            let year = four_digits(year).ok_or_else(unrecognised)?;
            let month = two_digits(month).ok_or_else(unrecognised)?;
            return Self::month(year, month).map_err(|e| with_text(e, text));
        }
        let year = four_digits(text).ok_or_else(unrecognised)?;
        Self::calendar_year(year).map_err(|e| with_text(e, text))
    }
}

/// Reads `2022/23`. `Ok(None)` when the text is not of that shape at all; an error when it
/// is but the second year does not follow the first (`2022/24`, `2022/2023`).
fn parse_financial_year(text: &str, part: &str) -> Result<Option<FinancialYear>, PeriodError> {
    let Some((first, second)) = part.split_once('/') else { return Ok(None) };
    let Some(start) = four_digits(first) else { return Ok(None) };
    if second.is_empty() || !second.chars().all(|c| c.is_ascii_digit()) {
        return Ok(None);
    }
    let expected = FinancialYear(start);
    if second.len() != 2 || two_digits(second) != Some((start + 1).rem_euclid(100) as u32) {
        return Err(PeriodError::FinancialYearMismatch { text: text.to_string(), expected: expected.to_string() });
    }
    Ok(Some(expected))
}

fn four_digits(text: &str) -> Option<i32> {
    (text.len() == 4 && text.chars().all(|c| c.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

fn two_digits(text: &str) -> Option<u32> {
    (text.len() == 2 && text.chars().all(|c| c.is_ascii_digit())).then(|| text.parse().ok()).flatten()
}

/// Puts the text as typed into an error a constructor made from the parsed numbers.
fn with_text(error: PeriodError, typed: &str) -> PeriodError {
    let text = typed.to_string();
    match error {
        PeriodError::Unrecognised { .. } => PeriodError::Unrecognised { text },
        PeriodError::NoSuchMonth { month, .. } => PeriodError::NoSuchMonth { text, month },
        PeriodError::NoSuchQuarter { quarter, .. } => PeriodError::NoSuchQuarter { text, quarter },
        PeriodError::FinancialYearMismatch { expected, .. } => PeriodError::FinancialYearMismatch { text, expected },
        PeriodError::YearOutOfRange { year, .. } => PeriodError::YearOutOfRange { text, year },
    }
}

impl Serialize for Period {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        text.parse().map_err(serde::de::Error::custom)
    }
}
