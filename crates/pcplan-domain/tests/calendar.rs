//! The working-day calendar against the published England and Wales bank holidays, the
//! clear-days rule for Panel papers, and properties of adding and counting days.

use chrono::{Datelike, NaiveDate, Weekday};
use pcplan_domain::{Calendar, CalendarError, DayRule, HolidayOverride};
use proptest::prelude::*;

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The published dates for one year, from GOV.UK's file (tests/data/README.md).
fn published(year: i32) -> Vec<NaiveDate> {
    let text = include_str!("data/bank-holidays_england-and-wales_2012-2027_merged.json");
    let json: serde_json::Value = serde_json::from_str(text).expect("the GOV.UK file parses");
    let mut dates: Vec<NaiveDate> = json["england-and-wales"]["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e| NaiveDate::parse_from_str(e["date"].as_str().expect("date"), "%Y-%m-%d").expect("ISO date"))
        .filter(|d| d.year() == year)
        .collect();
    dates.sort();
    dates
}

#[test]
fn the_rules_give_exactly_the_published_bank_holidays_of_2012_to_2027() {
    let calendar = Calendar::default();
    for year in 2012..=2027 {
        let computed: Vec<NaiveDate> = calendar.holidays(year).expect("known year").iter().map(|h| h.date).collect();
        assert_eq!(computed, published(year), "{year}");
    }
}

#[test]
fn one_off_and_moved_days_are_named() {
    // (date, expected name fragment): each a royal proclamation.
    let cases = [
        (date(2002, 6, 3), "Golden Jubilee"),
        (date(2011, 4, 29), "Wedding"),
        (date(2012, 6, 5), "Diamond Jubilee"),
        (date(2020, 5, 8), "VE Day"),
        (date(2022, 9, 19), "State Funeral"),
        (date(2023, 5, 8), "Coronation"),
    ];
    let calendar = Calendar::default();
    for (day, name) in cases {
        let holidays = calendar.holidays(day.year()).expect("known year");
        let found = holidays.iter().find(|h| h.date == day).unwrap_or_else(|| panic!("{day} is a holiday"));
        assert!(found.name.contains(name), "{day}: {}", found.name);
    }
    assert!(!calendar.is_holiday(date(2020, 5, 4)), "the 2020 early May holiday moved to Friday 8 May");
}

#[test]
fn christmas_at_a_weekend_gives_substitute_days() {
    // (year, the two Christmas holidays): BFDA 1971 Sch 1 substitutes.
    let cases = [
        (2010, [date(2010, 12, 27), date(2010, 12, 28)]), // Christmas on a Saturday
        (2011, [date(2011, 12, 26), date(2011, 12, 27)]), // Christmas on a Sunday
        (2015, [date(2015, 12, 25), date(2015, 12, 28)]), // Boxing Day on a Saturday
        (2016, [date(2016, 12, 26), date(2016, 12, 27)]), // Christmas on a Sunday
        (2021, [date(2021, 12, 27), date(2021, 12, 28)]), // Christmas on a Saturday
    ];
    let calendar = Calendar::default();
    for (year, expected) in cases {
        let december: Vec<NaiveDate> =
            calendar.holidays(year).expect("known year").iter().map(|h| h.date).filter(|d| d.month() == 12).collect();
        assert_eq!(december, expected, "{year}");
    }
}

#[test]
fn the_2014_variation_papers_needed_publishing_by_24_january_and_were_late() {
    // Seed 004: the Panel met on Monday 3 February 2014 and asked for papers 5 clear
    // working days before; the variation draft was sent on 29 January.
    let calendar = Calendar::default();
    let meeting = date(2014, 2, 3);
    assert_eq!(calendar.latest_publication(meeting, 5, DayRule::Working), Ok(date(2014, 1, 24)));
    assert_eq!(calendar.clear_days(date(2014, 1, 24), meeting, DayRule::Working), Ok(5));
    assert_eq!(calendar.clear_days(date(2014, 1, 29), meeting, DayRule::Working), Ok(2));
    assert_eq!(calendar.clear_days(date(2014, 1, 29), meeting, DayRule::Calendar), Ok(4));
}

#[test]
fn clear_days_skip_bank_holidays_and_exclude_both_ends() {
    // (published, meeting, rule, clear days)
    let cases = [
        (date(2023, 4, 5), date(2023, 4, 12), DayRule::Working, 2), // Easter 2023: Good Friday, Easter Monday
        (date(2023, 4, 5), date(2023, 4, 12), DayRule::Calendar, 6),
        (date(2023, 5, 1), date(2023, 5, 10), DayRule::Working, 5), // the Coronation holiday, 8 May 2023
        (date(2014, 1, 6), date(2014, 1, 7), DayRule::Working, 0),  // consecutive days: nothing between
        (date(2014, 1, 6), date(2014, 1, 6), DayRule::Working, 0),  // same day
    ];
    let calendar = Calendar::default();
    for (from, to, rule, expected) in cases {
        assert_eq!(calendar.clear_days(from, to, rule), Ok(expected), "{from} to {to} ({})", rule.as_str());
    }
    assert_eq!(
        calendar.clear_days(date(2014, 2, 3), date(2014, 1, 24), DayRule::Working),
        Err(CalendarError::Backwards { from: date(2014, 2, 3), to: date(2014, 1, 24) })
    );
}

#[test]
fn a_meeting_after_a_bank_holiday_moves_the_papers_deadline_earlier() {
    let calendar = Calendar::default();
    // Tuesday 2 May 2023: the Monday before is a bank holiday.
    assert_eq!(calendar.latest_publication(date(2023, 5, 2), 5, DayRule::Working), Ok(date(2023, 4, 21)));
    // Three clear days in Wales, the same meeting.
    assert_eq!(calendar.latest_publication(date(2023, 5, 2), 3, DayRule::Working), Ok(date(2023, 4, 25)));
}

#[test]
fn staff_overrides_add_a_newly_announced_day_and_remove_a_moved_one() {
    let calendar = Calendar::with_overrides(vec![
        HolidayOverride { date: date(2099, 6, 5), holiday: true, name: String::from("A future jubilee") },
        HolidayOverride { date: date(2099, 5, 25), holiday: false, name: String::from("Moved to 5 June") },
    ]);
    assert!(calendar.is_holiday(date(2099, 6, 5)));
    assert!(!calendar.is_holiday(date(2099, 5, 25)));
    assert!(Calendar::default().is_holiday(date(2099, 5, 25)), "the rule gives the last Monday of May");
}

#[test]
fn years_outside_2000_to_2100_are_refused_not_guessed() {
    let calendar = Calendar::default();
    assert_eq!(calendar.holidays(1999), Err(CalendarError::YearOutOfRange { year: 1999 }));
    assert_eq!(calendar.holidays(2101), Err(CalendarError::YearOutOfRange { year: 2101 }));
    assert!(calendar.holidays(2000).is_ok() && calendar.holidays(2100).is_ok());
    assert!(calendar.add_days(date(2100, 12, 30), 5, DayRule::Working).is_err());
}

#[test]
fn every_year_has_eight_holidays_except_the_proclaimed_extras() {
    let calendar = Calendar::default();
    for year in 2000..=2100 {
        let n = calendar.holidays(year).expect("known year").len();
        let extra =
            pcplan_domain::calendar::ONE_OFFS.iter().filter(|o| o.date.year() == year && o.replaces.is_none()).count();
        assert_eq!(n, 8 + extra, "{year}");
    }
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (2000i32..=2099, 1u32..=365).prop_map(|(y, d)| NaiveDate::from_yo_opt(y, d).expect("day of year"))
}

proptest! {
    #[test]
    fn adding_working_days_never_lands_on_a_weekend_or_holiday(start in any_date(), n in 1u32..40) {
        let calendar = Calendar::default();
        let end = calendar.add_days(start, n, DayRule::Working).expect("in range");
        prop_assert!(!matches!(end.weekday(), Weekday::Sat | Weekday::Sun));
        prop_assert!(!calendar.is_holiday(end));
    }

    #[test]
    fn counting_clear_days_is_the_inverse_of_adding(start in any_date(), n in 0u32..40) {
        let calendar = Calendar::default();
        for rule in [DayRule::Working, DayRule::Calendar] {
            // n days after start, the days strictly between are the n - 1 counted before it.
            let end = calendar.add_days(start, n + 1, rule).expect("in range");
            prop_assert_eq!(calendar.clear_days(start, end, rule).expect("ordered"), n);
        }
    }

    #[test]
    fn the_latest_publication_date_leaves_exactly_enough_clear_days(meeting in any_date(), n in 1u32..10) {
        let calendar = Calendar::default();
        prop_assume!(meeting.year() > 2000);
        let publish = calendar.latest_publication(meeting, n, DayRule::Working).expect("in range");
        prop_assert!(calendar.clear_days(publish, meeting, DayRule::Working).expect("ordered") >= n);
        // One working day later would be too late.
        let later = calendar.add_days(publish, 1, DayRule::Working).expect("in range");
        prop_assert!(later >= meeting || calendar.clear_days(later, meeting, DayRule::Working).expect("ordered") < n);
    }
}
