//! Reporting periods: the text forms, their first and last days, stepping back, the
//! period containing a date and the months of a quarter or year. Financial quarters
//! start in April, as police bodies report them.

use chrono::NaiveDate;
use pcplan_domain::period::{Period, PeriodError, PeriodKind};
use pcplan_domain::{FinancialYear, Frequency};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test dates are valid")
}

fn period(text: &str) -> Period {
    text.parse().unwrap_or_else(|e| panic!("{text} should parse: {e}"))
}

#[test]
fn each_form_reads_back_as_it_prints_with_its_first_and_last_day() {
    // (text, kind, first day, last day)
    let cases = [
        ("2022-04", PeriodKind::Month, date(2022, 4, 1), date(2022, 4, 30)),
        ("2024-02", PeriodKind::Month, date(2024, 2, 1), date(2024, 2, 29)), // leap year
        ("2023-12", PeriodKind::Month, date(2023, 12, 1), date(2023, 12, 31)),
        ("2022/23 Q1", PeriodKind::Quarter, date(2022, 4, 1), date(2022, 6, 30)),
        ("2022/23 Q2", PeriodKind::Quarter, date(2022, 7, 1), date(2022, 9, 30)),
        ("2022/23 Q3", PeriodKind::Quarter, date(2022, 10, 1), date(2022, 12, 31)),
        ("2022/23 Q4", PeriodKind::Quarter, date(2023, 1, 1), date(2023, 3, 31)),
        ("1999/00 Q4", PeriodKind::Quarter, date(2000, 1, 1), date(2000, 3, 31)),
        ("2022/23", PeriodKind::FinancialYear, date(2022, 4, 1), date(2023, 3, 31)),
        ("2022", PeriodKind::CalendarYear, date(2022, 1, 1), date(2022, 12, 31)),
    ];
    for (text, kind, first, last) in cases {
        let p = period(text);
        assert_eq!(p.kind(), kind, "{text}");
        assert_eq!(p.start(), first, "{text}");
        assert_eq!(p.end(), last, "{text}");
        assert_eq!(p.to_string(), text, "{text} prints as it reads");
        assert!(p.contains(first) && p.contains(last), "{text}");
        assert!(!p.contains(first.pred_opt().expect("a day before")), "{text}");
    }
}

#[test]
fn malformed_periods_are_refused_with_the_text_and_the_accepted_forms() {
    let unrecognised = ["", "2022-4", "22-04", "Q1 2022/23", "2022/23 q1", "2022/23 Q", "April 2022", "2022 / 23"];
    for text in unrecognised {
        let error = text.parse::<Period>().expect_err(text);
        assert_eq!(error, PeriodError::Unrecognised { text: text.to_string() }, "{text}");
        let message = error.to_string();
        assert!(message.contains(&format!("`{text}`")), "{message}");
        assert!(message.contains("`2022/23 Q1`") && message.contains("`2022-04`"), "{message}");
    }
    let cases = [
        ("2022-13", PeriodError::NoSuchMonth { text: "2022-13".into(), month: 13 }),
        ("2022-00", PeriodError::NoSuchMonth { text: "2022-00".into(), month: 0 }),
        ("2022/23 Q5", PeriodError::NoSuchQuarter { text: "2022/23 Q5".into(), quarter: 5 }),
        ("2022/24", PeriodError::FinancialYearMismatch { text: "2022/24".into(), expected: "2022/23".into() }),
        ("2022/2023", PeriodError::FinancialYearMismatch { text: "2022/2023".into(), expected: "2022/23".into() }),
        ("2022/24 Q1", PeriodError::FinancialYearMismatch { text: "2022/24 Q1".into(), expected: "2022/23".into() }),
        ("0999", PeriodError::YearOutOfRange { text: "0999".into(), year: 999 }),
        ("9999/00", PeriodError::YearOutOfRange { text: "9999/00".into(), year: 9999 }),
    ];
    for (text, expected) in cases {
        assert_eq!(text.parse::<Period>(), Err(expected), "{text}");
    }
    assert_eq!(
        "2022/24".parse::<Period>().expect_err("mismatch").to_string(),
        "`2022/24`: a financial year runs into the next calendar year; write `2022/23`"
    );
}

#[test]
fn previous_and_same_period_last_year_cross_year_boundaries() {
    // (period, previous, same period last year)
    let cases = [
        ("2023-01", "2022-12", "2022-01"),
        ("2022/23 Q1", "2021/22 Q4", "2021/22 Q1"),
        ("2022/23 Q4", "2022/23 Q3", "2021/22 Q4"),
        ("2022/23", "2021/22", "2021/22"),
        ("2000", "1999", "1999"),
    ];
    for (text, previous, last_year) in cases {
        let p = period(text);
        assert_eq!(p.previous(), Some(period(previous)), "{text}");
        assert_eq!(p.same_period_last_year(), Some(period(last_year)), "{text}");
        assert_eq!(period(previous).next(), Some(p), "{text}");
    }
    assert_eq!(period("1000-01").previous(), None, "no period before the first year");
    assert_eq!(period("9998").next(), None, "no period after the last year");
}

#[test]
fn the_period_containing_a_date_follows_the_financial_year() {
    // (date, kind, expected)
    let cases = [
        (date(2023, 3, 31), PeriodKind::Quarter, "2022/23 Q4"),
        (date(2023, 4, 1), PeriodKind::Quarter, "2023/24 Q1"),
        (date(2023, 9, 30), PeriodKind::Quarter, "2023/24 Q2"),
        (date(2023, 12, 25), PeriodKind::Quarter, "2023/24 Q3"),
        (date(2023, 3, 31), PeriodKind::FinancialYear, "2022/23"),
        (date(2023, 3, 31), PeriodKind::CalendarYear, "2023"),
        (date(2023, 3, 31), PeriodKind::Month, "2023-03"),
    ];
    for (day, kind, expected) in cases {
        assert_eq!(Period::containing(day, kind), Ok(period(expected)), "{day} {kind:?}");
    }
    assert_eq!(Period::for_frequency(date(2023, 2, 1), Frequency::Annual), Ok(period("2022/23")));
    assert_eq!(Period::for_frequency(date(2023, 2, 1), Frequency::Quarterly), Ok(period("2022/23 Q4")));
    assert_eq!(Period::for_frequency(date(2023, 2, 1), Frequency::Monthly), Ok(period("2023-02")));
}

#[test]
fn quarters_and_years_list_their_months_in_order() {
    let months = |text: &str| period(text).months().iter().map(|m| m.to_string()).collect::<Vec<_>>();
    assert_eq!(months("2022/23 Q4"), ["2023-01", "2023-02", "2023-03"]);
    assert_eq!(months("2022/23 Q1"), ["2022-04", "2022-05", "2022-06"]);
    let year = months("2022/23");
    assert_eq!(year.len(), 12);
    assert_eq!((year[0].as_str(), year[11].as_str()), ("2022-04", "2023-03"));
    assert_eq!(months("2022-07"), ["2022-07"]);
    assert!(period("2022/23").covers(&period("2022/23 Q4")));
    assert!(period("2022/23 Q4").covers(&period("2023-03")));
    assert!(!period("2022").covers(&period("2022/23 Q4")));
}

#[test]
fn periods_order_by_first_day_then_last_day() {
    let mut periods = [period("2022-05"), period("2022/23 Q1"), period("2022-04"), period("2022/23"), period("2022")];
    periods.sort();
    let order: Vec<String> = periods.iter().map(|p| p.to_string()).collect();
    assert_eq!(order, ["2022", "2022-04", "2022/23 Q1", "2022/23", "2022-05"]);
}

#[test]
fn constructors_refuse_impossible_values_and_labels_read_as_words() {
    assert!(Period::month(2022, 13).is_err());
    assert!(Period::quarter(FinancialYear(2022), 0).is_err());
    assert!(Period::calendar_year(10_000).is_err());
    assert_eq!(period("2022-04").label(), "April 2022");
    assert_eq!(period("2022/23 Q4").label(), "Q4 2022/23 (January to March 2023)");
    assert_eq!(period("2022/23").label(), "2022/23");
    assert_eq!(period("2022").label(), "calendar year 2022");
    assert_eq!(period("2022/23 Q3").financial_year_of(), Some(FinancialYear(2022)));
    assert_eq!(period("2022-04").financial_year_of(), None);
}

#[test]
fn periods_serialise_as_their_text() {
    let p = period("2022/23 Q2");
    assert_eq!(serde_json::to_string(&p).expect("serialises"), "\"2022/23 Q2\"");
    assert_eq!(serde_json::from_str::<Period>("\"2022/23 Q2\"").expect("reads"), p);
    let error = serde_json::from_str::<Period>("\"2022/23 Q7\"").expect_err("no Q7");
    assert!(error.to_string().contains("there is no quarter 7"), "{error}");
}
