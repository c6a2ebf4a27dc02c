//! The working-day calendar for England and Wales, and clear days.
//!
//! Bank holidays come from three sources, applied in order: the standing rules (Banking
//! and Financial Dealings Act 1971 Sch 1 for Easter Monday, the last Mondays of May and
//! August and the Christmas substitutes; royal proclamation each year for New Year's Day
//! and the early May Monday; Good Friday and Christmas Day by custom), the one-off days and moved days proclaimed since 2000 (listed in
//! [`ONE_OFFS`] with their occasion), and overrides staff enter when a new one-off is
//! announced ([`HolidayOverride`]). Every year from 2000 to 2100 is computed from these,
//! never read from a downloaded list.
//!
//! Clear days are counted as DOMAIN.md describes for Panel papers: exclude the day of
//! publication and the day of the meeting, and, under the working-day rule, weekends and
//! bank holidays. This module does not know which rule or how many days a Panel uses;
//! those are settings of each Panel, passed in.

use std::collections::BTreeMap;
use std::fmt;

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::{Deserialize, Serialize};

/// The first and last years the rules are written for.
pub const FIRST_YEAR: i32 = 2000;
pub const LAST_YEAR: i32 = 2100;

/// One bank holiday.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BankHoliday {
    pub date: NaiveDate,
    pub name: String,
}

/// How clear days are counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DayRule {
    /// Monday to Friday, not bank holidays (common practice for Panel papers).
    Working,
    /// Every day.
    Calendar,
}

impl DayRule {
    pub fn as_str(&self) -> &'static str {
        match self {
            DayRule::Working => "working",
            DayRule::Calendar => "calendar",
        }
    }

    pub fn parse(name: &str) -> Option<DayRule> {
        match name {
            "working" => Some(DayRule::Working),
            "calendar" => Some(DayRule::Calendar),
            _ => None,
        }
    }
}

/// A change staff make to the computed holidays: a new one-off day, or a computed day
/// that was moved away.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HolidayOverride {
    pub date: NaiveDate,
    /// True to add the date as a bank holiday, false to remove it.
    pub holiday: bool,
    /// The occasion: `Coronation of King Charles III`.
    pub name: String,
}

impl HolidayOverride {
    /// Checks the override can be applied: a date in the years the calendar knows, and
    /// an occasion named, so the holidays list can say what the day is.
    pub fn check(&self) -> Result<(), crate::clock::FieldProblems> {
        use crate::clock::{FieldProblem, FieldProblems};
        let mut problems = Vec::new();
        if !(FIRST_YEAR..=LAST_YEAR).contains(&self.date.year()) {
            problems.push(FieldProblem::new(
                "date",
                format!("{} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})", self.date),
            ));
        }
        if self.name.trim().is_empty() {
            problems.push(FieldProblem::new("name", "is empty; name the occasion, like `State Funeral`"));
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// Why a calendar question cannot be answered.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("{year} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})")]
    YearOutOfRange { year: i32 },
    #[error("{to} is before {from}; give the earlier date first")]
    Backwards { from: NaiveDate, to: NaiveDate },
}

/// A one-off or moved bank holiday since 2000, by royal proclamation.
pub struct OneOff {
    pub date: NaiveDate,
    pub name: &'static str,
    /// The rule-based day this one replaces, if it was moved rather than added.
    pub replaces: Option<NaiveDate>,
}

const fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(date) => date,
        None => panic!("invalid date in the one-off table"),
    }
}

/// The one-off and moved days since 2000 (England and Wales).
pub const ONE_OFFS: &[OneOff] = &[
    OneOff { date: ymd(2002, 6, 4), name: "Spring bank holiday", replaces: Some(ymd(2002, 5, 27)) },
    OneOff { date: ymd(2002, 6, 3), name: "Golden Jubilee of Queen Elizabeth II", replaces: None },
    OneOff { date: ymd(2011, 4, 29), name: "Wedding of Prince William and Catherine Middleton", replaces: None },
    OneOff { date: ymd(2012, 6, 4), name: "Spring bank holiday", replaces: Some(ymd(2012, 5, 28)) },
    OneOff { date: ymd(2012, 6, 5), name: "Diamond Jubilee of Queen Elizabeth II", replaces: None },
    OneOff { date: ymd(2020, 5, 8), name: "Early May bank holiday (VE Day)", replaces: Some(ymd(2020, 5, 4)) },
    OneOff { date: ymd(2022, 6, 2), name: "Spring bank holiday", replaces: Some(ymd(2022, 5, 30)) },
    OneOff { date: ymd(2022, 6, 3), name: "Platinum Jubilee of Queen Elizabeth II", replaces: None },
    OneOff { date: ymd(2022, 9, 19), name: "State Funeral of Queen Elizabeth II", replaces: None },
    OneOff { date: ymd(2023, 5, 8), name: "Coronation of King Charles III", replaces: None },
];

/// Easter Sunday in the Gregorian calendar (the anonymous Gregorian computus).
pub fn easter_sunday(year: i32) -> NaiveDate {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    // The computus always gives a day in March or April.
    NaiveDate::from_ymd_opt(year, month as u32, day as u32).unwrap_or(NaiveDate::MIN)
}

fn first_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 1).unwrap_or(NaiveDate::MIN)
}

fn last_monday(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 5)
        .or_else(|| NaiveDate::from_weekday_of_month_opt(year, month, Weekday::Mon, 4))
        .unwrap_or(NaiveDate::MIN)
}

fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The holidays the standing rules give, before one-offs and overrides.
fn rule_holidays(year: i32) -> Vec<BankHoliday> {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(NaiveDate::MIN);
    let named = |date: NaiveDate, name: &str| BankHoliday { date, name: name.to_string() };
    let mut out = Vec::new();

    // New Year's Day: when it falls at a weekend, the next Monday is the holiday.
    let new_year = day(1, 1);
    out.push(match new_year.weekday() {
        Weekday::Sat => named(new_year + Duration::days(2), "New Year's Day (substitute day)"),
        Weekday::Sun => named(new_year + Duration::days(1), "New Year's Day (substitute day)"),
        _ => named(new_year, "New Year's Day"),
    });
    let easter = easter_sunday(year);
    out.push(named(easter - Duration::days(2), "Good Friday"));
    out.push(named(easter + Duration::days(1), "Easter Monday"));
    out.push(named(first_monday(year, 5), "Early May bank holiday"));
    out.push(named(last_monday(year, 5), "Spring bank holiday"));
    out.push(named(last_monday(year, 8), "Summer bank holiday"));

    // Christmas and Boxing Day: a day that falls at a weekend moves to the next weekday
    // that is not already a holiday, so a Saturday Christmas gives Monday 27 and a
    // Sunday Boxing Day Tuesday 28.
    let christmas = day(12, 25);
    let boxing = day(12, 26);
    let (christmas_on, boxing_on) = match christmas.weekday() {
        Weekday::Fri => (christmas, day(12, 28)),
        Weekday::Sat => (day(12, 27), day(12, 28)),
        Weekday::Sun => (day(12, 27), boxing),
        _ => (christmas, boxing),
    };
    let suffix = |moved: bool| if moved { " (substitute day)" } else { "" };
    out.push(named(christmas_on, &format!("Christmas Day{}", suffix(christmas_on != christmas))));
    out.push(named(boxing_on, &format!("Boxing Day{}", suffix(boxing_on != boxing))));
    out
}

/// The calendar: the rules, the one-offs and any overrides.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Calendar {
    overrides: Vec<HolidayOverride>,
}

impl Calendar {
    /// The calendar with staff overrides applied after the built-in rules and one-offs.
    pub fn with_overrides(overrides: Vec<HolidayOverride>) -> Calendar {
        Calendar { overrides }
    }

    /// The England and Wales bank holidays of `year`, in date order.
    pub fn holidays(&self, year: i32) -> Result<Vec<BankHoliday>, CalendarError> {
        if !(FIRST_YEAR..=LAST_YEAR).contains(&year) {
            return Err(CalendarError::YearOutOfRange { year });
        }
        let mut days: BTreeMap<NaiveDate, String> = rule_holidays(year).into_iter().map(|h| (h.date, h.name)).collect();
        for one_off in ONE_OFFS.iter().filter(|o| o.date.year() == year) {
            if let Some(replaced) = one_off.replaces {
                days.remove(&replaced);
            }
            days.insert(one_off.date, one_off.name.to_string());
        }
        for o in self.overrides.iter().filter(|o| o.date.year() == year) {
            if o.holiday {
                days.insert(o.date, o.name.clone());
            } else {
                days.remove(&o.date);
            }
        }
        Ok(days.into_iter().map(|(date, name)| BankHoliday { date, name }).collect())
    }

    /// Whether `date` is an England and Wales bank holiday. Dates outside the known years
    /// are treated as ordinary days; callers that need certainty use [`Calendar::holidays`].
    pub fn is_holiday(&self, date: NaiveDate) -> bool {
        self.holidays(date.year()).map(|h| h.iter().any(|d| d.date == date)).unwrap_or(false)
    }

    /// Whether `date` is a working day: a weekday that is not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_holiday(date)
    }

    fn counts(&self, date: NaiveDate, rule: DayRule) -> bool {
        match rule {
            DayRule::Calendar => true,
            DayRule::Working => self.is_working_day(date),
        }
    }

    /// The clear days between `from` and `to`: the days strictly between them that count
    /// under `rule`. Publishing on Friday 24 January 2014 for a meeting on Monday 3
    /// February 2014 leaves 5 clear working days (27 to 31 January).
    pub fn clear_days(&self, from: NaiveDate, to: NaiveDate, rule: DayRule) -> Result<u32, CalendarError> {
        if to < from {
            return Err(CalendarError::Backwards { from, to });
        }
        self.check_years(from, to)?;
        let mut count = 0;
        let mut day = from + Duration::days(1);
        while day < to {
            if self.counts(day, rule) {
                count += 1;
            }
            day += Duration::days(1);
        }
        Ok(count)
    }

    /// The latest day on which something can be published and still leave `days` clear
    /// days before `event` under `rule`. Under the working-day rule the answer is itself a
    /// working day, because nobody publishes on a bank holiday to meet a deadline.
    pub fn latest_publication(&self, event: NaiveDate, days: u32, rule: DayRule) -> Result<NaiveDate, CalendarError> {
        let mut counted = 0;
        let mut day = event;
        while counted < days {
            day -= Duration::days(1);
            self.check_year(day.year())?;
            if self.counts(day, rule) {
                counted += 1;
            }
        }
        // `day` is the earliest clear day; publication is on a counting day before it.
        let mut publish = day - Duration::days(1);
        while !self.counts(publish, rule) {
            publish -= Duration::days(1);
            self.check_year(publish.year())?;
        }
        Ok(publish)
    }

    /// The date `n` counting days after `from` (working days skip weekends and holidays).
    /// With `n = 0` it is `from` itself.
    pub fn add_days(&self, from: NaiveDate, n: u32, rule: DayRule) -> Result<NaiveDate, CalendarError> {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day += Duration::days(1);
            self.check_year(day.year())?;
            if self.counts(day, rule) {
                left -= 1;
            }
        }
        Ok(day)
    }

    fn check_year(&self, year: i32) -> Result<(), CalendarError> {
        if (FIRST_YEAR..=LAST_YEAR).contains(&year) { Ok(()) } else { Err(CalendarError::YearOutOfRange { year }) }
    }

    fn check_years(&self, from: NaiveDate, to: NaiveDate) -> Result<(), CalendarError> {
        self.check_year(from.year())?;
        self.check_year(to.year())
    }
}

impl fmt::Display for BankHoliday {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.date, self.name)
    }
}
