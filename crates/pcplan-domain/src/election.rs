//! Ordinary elections of police and crime commissioners, and the terms they make.
//!
//! A plan's expiry and the next plan's issue deadline both hang on the date of the next
//! ordinary election (PRSRA 2011 s.5(1)-(3)), so the dates are a table here rather than
//! an assumption of "every four years". Terms have not always been four years: the first
//! commissioners were elected in November 2012 and served to May 2016, and the elections
//! due in May 2020 were postponed to May 2021 while the following election stayed in May
//! 2024, so those elected in 2021 served three years. A term that is not four years gets
//! a warning wherever it matters, so that nobody plans on the wrong date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

/// An ordinary election and why it is on the date it is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct OrdinaryElection {
    pub on: NaiveDate,
    /// Where the date comes from.
    pub source: &'static str,
}

const fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    match NaiveDate::from_ymd_opt(y, m, d) {
        Some(day) => day,
        None => panic!("invalid date in the elections table"),
    }
}

/// The ordinary elections held or fixed so far. Later ones follow the four-year rule.
pub const KNOWN: &[OrdinaryElection] = &[
    OrdinaryElection { on: date(2012, 11, 15), source: "PRSRA 2011 s.50(1)(a): the first election, 15 November 2012" },
    OrdinaryElection { on: date(2016, 5, 5), source: "PRSRA 2011 s.50(1)(b): first Thursday in May, every four years" },
    OrdinaryElection {
        on: date(2021, 5, 6),
        source: "Coronavirus Act 2020 s.60: the May 2020 election was postponed to 6 May 2021",
    },
    OrdinaryElection { on: date(2024, 5, 2), source: "PRSRA 2011 s.50(1)(b): first Thursday in May, every four years" },
];

/// The first Thursday in May of `year`.
pub fn first_thursday_in_may(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_weekday_of_month_opt(year, 5, Weekday::Thu, 1)
}

/// The first ordinary election strictly after `day`: from the table, then every four
/// years from the last one in it.
pub fn next_after(day: NaiveDate) -> NaiveDate {
    if let Some(known) = KNOWN.iter().find(|e| e.on > day) {
        return known.on;
    }
    let last = KNOWN.last().map_or(2024, |e| e.on.year());
    let mut year = last + 4;
    loop {
        match first_thursday_in_may(year) {
            Some(on) if on > day => return on,
            _ => year += 4,
        }
    }
}

/// Why a term that starts with the election on `elected_on` is not the usual four years,
/// in words for a warning; `None` for a four-year term.
pub fn short_or_long_term(elected_on: NaiveDate) -> Option<String> {
    let next = next_after(elected_on);
    let length = next - elected_on;
    let four_years = Duration::days(4 * 365);
    let slack = Duration::days(45);
    if length < four_years - slack || length > four_years + slack {
        let months = (next.year() - elected_on.year()) * 12 + next.month() as i32 - elected_on.month() as i32;
        let source = KNOWN.iter().find(|e| e.on == elected_on || e.on == next).map_or("", |e| e.source);
        Some(format!(
            "The term that began with the election of {elected_on} lasts {} years and {} months, not four: the next \
             ordinary election is {next}. {source}",
            months / 12,
            months % 12
        ))
    } else {
        None
    }
}

/// The election that began the term in force on `day`: the latest of the ordinary
/// elections and the body's own terms (a by-election) on or before it.
pub fn election_before(body: &crate::Body, day: NaiveDate) -> Option<NaiveDate> {
    let ordinary = KNOWN.iter().rev().find(|e| e.on <= day).map(|e| e.on);
    let by_term = body.terms.iter().map(|t| t.elected_on).filter(|d| *d <= day).max();
    ordinary.max(by_term)
}

/// What staff should know about a plan's period: the term it was made in is not four
/// years, or its end differs from the expiry the clock gives (PRSRA 2011 s.5(3)). Empty
/// when neither.
pub fn plan_period_notes(
    body: &crate::Body,
    starts_on: NaiveDate,
    ends_on: NaiveDate,
    settings: &crate::clock::ClockSettings,
) -> Vec<String> {
    let mut notes = Vec::new();
    let Some(elected) = election_before(body, starts_on) else { return notes };
    notes.extend(short_or_long_term(elected));
    let expiry = crate::clock::plan_expiry(next_after(elected), settings).due;
    if expiry != ends_on {
        notes.push(format!(
            "The plan's period ends on {}, but a plan made in the term that began with the election of {} has \
             effect until {} (the end of the financial year of the next ordinary election, {}). Check the period.",
            ends_on.format("%-d %B %Y"),
            elected.format("%-d %B %Y"),
            expiry.format("%-d %B %Y"),
            next_after(elected).format("%-d %B %Y"),
        ));
    }
    notes
}
