//! One test per statutory clock rule, each citing the rule, and a check that the rule
//! table and the settings agree.

use chrono::NaiveDate;
use pcplan_domain::clock::{self, ClockSettings, PapersCheck, RULES};
use pcplan_domain::{Calendar, FinancialYear, Nation};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

#[test]
fn plan_issue_is_due_by_31_march_of_the_election_year() {
    // PRSRA 2011 s.5(1)-(2): the November 2012 election, plan by 31 March 2013 (seed 001).
    let cases = [(date(2012, 11, 15), date(2013, 3, 31)), (date(2021, 5, 6), date(2022, 3, 31))];
    for (election, due) in cases {
        assert_eq!(clock::plan_issue(election).due, due, "{election}");
    }
}

#[test]
fn a_plan_expires_at_the_end_of_the_financial_year_of_the_next_election() {
    // PRSRA 2011 s.5(3), unconfirmed wording: Leicestershire's 2013 plan ran to 31 March
    // 2017 with the next election in May 2016 (seed 003).
    let settings = ClockSettings::default();
    assert_eq!(clock::plan_expiry(date(2016, 5, 5), &settings).due, date(2017, 3, 31));
    let other = ClockSettings { plan_runs_to_end_of_election_year: false, ..ClockSettings::default() };
    assert_eq!(clock::plan_expiry(date(2016, 5, 5), &other).due, date(2018, 3, 31));
}

#[test]
fn panel_papers_for_3_february_2014_were_due_on_24_january_and_29_january_was_late() {
    // LGA 1972 s.100B(3) and the Panel's letter of 14 February 2014 (seed 004).
    let (settings, calendar) = (ClockSettings::default(), Calendar::default());
    let meeting = date(2014, 2, 3);
    let due = clock::panel_papers(meeting, Nation::England, &settings, &calendar).expect("in range");
    assert_eq!(due.due, date(2014, 1, 24));
    assert_eq!(
        clock::check_papers(date(2014, 1, 29), meeting, Nation::England, &settings, &calendar),
        Ok(PapersCheck::Late { clear_days: 2, required: 5 })
    );
    assert_eq!(
        clock::check_papers(date(2014, 1, 24), meeting, Nation::England, &settings, &calendar),
        Ok(PapersCheck::OnTime { clear_days: 5, required: 5 })
    );
    assert_eq!(
        clock::check_papers(meeting, meeting, Nation::England, &settings, &calendar),
        Ok(PapersCheck::AfterMeeting)
    );
    // Wales: three clear days (to confirm); 29 January still leaves only two.
    assert_eq!(
        clock::check_papers(date(2014, 1, 29), meeting, Nation::Wales, &settings, &calendar),
        Ok(PapersCheck::Late { clear_days: 2, required: 3 })
    );
    assert_eq!(clock::panel_papers(meeting, Nation::Wales, &settings, &calendar).map(|d| d.due), Ok(date(2014, 1, 28)));
}

#[test]
fn the_panels_reasonable_time_and_the_response_follow_the_settings() {
    // PRSRA 2011 s.5(6)(c) and (e)-(f): no period in the Act, so both are settings.
    let settings =
        ClockSettings { panel_reasonable_time_days: 14, response_publication_days: 10, ..Default::default() };
    assert_eq!(clock::panel_reasonable_time(date(2014, 1, 29), &settings).due, date(2014, 2, 12));
    assert_eq!(clock::response_publication(date(2014, 2, 14), &settings).due, date(2014, 2, 24));
}

#[test]
fn a_survey_runs_at_least_six_weeks_by_default() {
    // Seed 002, para on the public survey: at least six weeks.
    assert_eq!(clock::survey_earliest_close(date(2021, 6, 1), &ClockSettings::default()).due, date(2021, 7, 13));
}

#[test]
fn the_annual_report_is_due_a_set_number_of_months_after_the_year() {
    // PRSRA 2011 s.12: after each financial year; the months are a setting (default 6).
    assert_eq!(clock::annual_report(FinancialYear(2013), &ClockSettings::default()).due, date(2014, 9, 30));
}

#[test]
fn the_precept_dates_are_1_8_15_and_22_february() {
    // Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012.
    let dates: Vec<NaiveDate> = clock::precept_dates(2014).iter().map(|d| d.due).collect();
    assert_eq!(dates, [date(2014, 2, 1), date(2014, 2, 8), date(2014, 2, 15), date(2014, 2, 22)]);
}

#[test]
fn equality_objectives_come_every_four_years_and_information_every_year() {
    // Equality Act 2010 s.149 and the specific duties regulations (seed 002, para 32).
    let due: Vec<NaiveDate> = clock::equality(date(2021, 3, 30), date(2024, 3, 30)).iter().map(|d| d.due).collect();
    assert_eq!(due, [date(2025, 3, 30), date(2025, 3, 30)]);
}

#[test]
fn every_rule_has_a_citation_and_every_unconfirmed_number_is_a_setting() {
    let mut ids = std::collections::HashSet::new();
    for rule in RULES {
        assert!(ids.insert(rule.id), "{} is listed once", rule.id);
        assert!(!rule.citation.is_empty() && !rule.what.is_empty(), "{}", rule.id);
    }
    // The rules whose numbers are not fixed in the statute name the setting that holds them.
    for id in [
        "plan_expiry",
        "panel_papers",
        "panel_reasonable_time",
        "response_publication",
        "survey_length",
        "annual_report",
    ] {
        let rule = clock::rule(id).expect("listed");
        assert!(!rule.confirmed, "{id} is not confirmed");
        assert!(rule.setting.is_some(), "{id} is a setting");
    }
    let settings: serde_json::Value = serde_json::to_value(ClockSettings::default()).expect("json");
    for rule in RULES {
        for name in rule.setting.iter().flat_map(|s| s.split(" / ")) {
            assert!(settings.get(name).is_some(), "{}: setting {name} exists", rule.id);
        }
    }
}
