//! The recurring obligations, the election table and the agenda that gathers every dated
//! item, each test naming the rule it exercises.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_domain::agenda::{self, BodyRecords, PlanRef, Standing, Subject};
use pcplan_domain::clock::ClockSettings;
use pcplan_domain::election;
use pcplan_domain::meeting::Meeting;
use pcplan_domain::obligation::{self, Completion, ObligationKind, Outcome};
use pcplan_domain::transparency::Publication;
use pcplan_domain::{Body, BodyId, Calendar, MeetingId, Nation, PlanId, PublicationId, Term, UserId};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn body(terms: Vec<Term>) -> Body {
    Body {
        id: BodyId::from_u128(1),
        name: String::from("Example Police and Crime Commissioner"),
        office_title: String::from("Police and Crime Commissioner"),
        force_name: String::from("Example Police"),
        nation: Nation::England,
        areas: Vec::new(),
        terms,
    }
}

fn due(expected: &[obligation::Expected], kind: ObligationKind) -> Vec<(i32, NaiveDate)> {
    expected.iter().filter(|e| e.kind == kind).map(|e| (e.cycle, e.deadline.due)).collect()
}

#[test]
fn the_next_ordinary_election_comes_from_the_table_then_every_four_years() {
    // PRSRA 2011 s.50 and the Coronavirus Act 2020 s.60 postponement.
    assert_eq!(election::next_after(date(2012, 1, 1)), date(2012, 11, 15));
    assert_eq!(election::next_after(date(2016, 5, 5)), date(2021, 5, 6));
    assert_eq!(election::next_after(date(2021, 5, 6)), date(2024, 5, 2));
    assert_eq!(election::next_after(date(2026, 11, 30)), date(2028, 5, 4));
    assert_eq!(election::next_after(date(2028, 5, 4)), date(2032, 5, 6));
}

#[test]
fn terms_that_are_not_four_years_are_warned_about() {
    let first = election::short_or_long_term(date(2012, 11, 15)).expect("the first term was shortened");
    assert!(first.contains("3 years and 6 months"), "{first}");
    let covid = election::short_or_long_term(date(2021, 5, 6)).expect("the 2021 term was three years");
    assert!(covid.contains("3 years and 0 months") && covid.contains("2024-05-02"), "{covid}");
    let long = election::short_or_long_term(date(2016, 5, 5)).expect("the 2016 term was five years");
    assert!(long.contains("5 years"), "{long}");
    assert_eq!(election::short_or_long_term(date(2024, 5, 2)), None);
}

#[test]
fn annual_reports_are_expected_for_the_last_and_current_financial_year() {
    // PRSRA 2011 s.12; six months after the year ends is a setting.
    let expected = obligation::expected(&body(vec![]), &ClockSettings::default(), date(2026, 11, 30));
    assert_eq!(
        due(&expected, ObligationKind::AnnualReport),
        vec![(2025, date(2026, 9, 30)), (2026, date(2027, 9, 30))]
    );
}

#[test]
fn the_precept_timetable_is_expected_for_this_and_next_february() {
    // Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012.
    let settings = ClockSettings::default();
    let in_january = obligation::expected(&body(vec![]), &settings, date(2014, 1, 10));
    assert_eq!(
        due(&in_january, ObligationKind::PreceptNotify),
        vec![(2013, date(2013, 2, 1)), (2014, date(2014, 2, 1))]
    );
    let in_november = obligation::expected(&body(vec![]), &settings, date(2026, 11, 30));
    assert_eq!(
        due(&in_november, ObligationKind::PreceptRevisedReport),
        vec![(2026, date(2026, 2, 22)), (2027, date(2027, 2, 22))]
    );
}

#[test]
fn equality_publications_recur_from_their_anchor_dates() {
    // Equality Act 2010 s.149 and the specific duties regulations: objectives at least
    // every four years, information every year; the anchors are settings.
    let expected = obligation::expected(&body(vec![]), &ClockSettings::default(), date(2026, 11, 30));
    assert_eq!(
        due(&expected, ObligationKind::EqualityObjectives),
        vec![(2024, date(2024, 4, 6)), (2028, date(2028, 4, 6))]
    );
    assert_eq!(
        due(&expected, ObligationKind::EqualityInformation),
        vec![(2026, date(2026, 1, 31)), (2027, date(2027, 1, 31))]
    );
}

#[test]
fn a_plan_is_expected_after_the_last_election_including_a_by_election() {
    // PRSRA 2011 s.5(1)-(2): by 31 March of the financial year of the election.
    let settings = ClockSettings::default();
    let ordinary = obligation::expected(&body(vec![]), &settings, date(2026, 11, 30));
    assert_eq!(due(&ordinary, ObligationKind::PlanIssue), vec![(2024, date(2025, 3, 31)), (2028, date(2029, 3, 31))]);
    let by_election = Term {
        holder: String::from("A. Successor"),
        elected_on: date(2025, 8, 21),
        starts_on: date(2025, 8, 26),
        ends_on: date(2028, 5, 7),
    };
    let after_by_election = obligation::expected(&body(vec![by_election]), &settings, date(2026, 11, 30));
    assert_eq!(
        due(&after_by_election, ObligationKind::PlanIssue),
        vec![(2025, date(2026, 3, 31)), (2028, date(2029, 3, 31))]
    );
}

#[test]
fn the_agenda_gathers_meetings_plan_expiry_and_obligations_with_owners_and_standing() {
    let calendar = Calendar::default();
    let settings = ClockSettings::default();
    let body = body(vec![]);
    let mut meeting = Meeting::schedule(
        MeetingId::from_u128(2),
        body.id,
        "Police and Crime Panel",
        date(2014, 2, 3),
        Nation::England,
        &settings,
        &calendar,
    )
    .expect("in range");
    meeting.papers_published_on = Some(date(2014, 1, 29));
    let mut annual = obligation::expected(&body, &settings, date(2014, 1, 10))
        .into_iter()
        .find(|e| e.kind == ObligationKind::AnnualReport)
        .expect("an annual report")
        .into_obligation(body.id);
    annual.completion = Some(Completion {
        outcome: Outcome::Done,
        on: date(2013, 10, 15),
        by: String::from("Chief Executive"),
        note: String::new(),
        link: None,
    });
    let owner = UserId::from_u128(4);
    let meeting_key = Subject::MeetingPapers { meeting: meeting.id }.key();
    let records = BodyRecords {
        body_id: body.id,
        settings,
        meetings: vec![meeting],
        plans: vec![PlanRef { id: PlanId::from_u128(5), title: String::from("The plan"), ends_on: date(2017, 3, 31) }],
        processes: Vec::new(),
        obligations: vec![annual],
        reports: Vec::new(),
        // Spending over £500 is published monthly outside pcplan: the next is due a
        // month after the latest in the log, whatever order the log is in.
        publications: [date(2013, 12, 28), date(2013, 11, 20)]
            .into_iter()
            .map(|on| Publication {
                id: PublicationId::new(),
                body_id: body.id,
                duty: String::from("spending_over_500"),
                published_on: on,
                url: String::from("https://www.example-pcc.org.uk/spending"),
                note: String::new(),
                recorded_by: String::from("Officer"),
                recorded_at: String::from("2013-12-28T10:00:00Z"),
            })
            .collect(),
        owners: BTreeMap::from([(meeting_key.clone(), owner)]),
    };
    let items = agenda::collect(&records, &calendar, date(2014, 1, 10)).expect("in range");
    let keys: Vec<&str> = items.iter().map(|i| i.key.as_str()).collect();
    assert_eq!(items.len(), 4, "{keys:?}");
    let annual = &items[0];
    assert_eq!(annual.due, date(2013, 9, 30));
    assert!(annual.done.as_ref().is_some_and(|d| d.late), "done after 30 September");
    assert_eq!(annual.standing(date(2014, 1, 10), 30), Standing::Done);
    let papers = &items[1];
    assert_eq!((papers.key.as_str(), papers.due, papers.owner), (meeting_key.as_str(), date(2014, 1, 24), Some(owner)));
    let done = papers.done.as_ref().expect("published");
    assert!(done.late && done.summary.contains("2 clear days") && done.summary.contains("5 were due"), "{done:?}");
    let spending = &items[2];
    assert_eq!(spending.key, format!("transparency:{}:spending_over_500", body.id));
    assert_eq!((spending.due, spending.done.is_none()), (date(2014, 1, 28), true));
    assert_eq!(spending.about, "Every month; last published 28 December 2013");
    assert_eq!(spending.standing(date(2014, 1, 10), 30), Standing::DueSoon);
    assert_eq!(spending.standing(date(2014, 1, 29), 30), Standing::Overdue);
    assert_eq!(items[3].standing(date(2014, 1, 10), 30), Standing::Later);
    assert_eq!(items[3].subject.staff_path(), format!("/staff/plans/{}", PlanId::from_u128(5)));
}

#[test]
fn an_obligation_has_the_same_identity_on_every_run_and_a_different_one_per_cycle() {
    let body = BodyId::from_u128(1);
    let a = obligation::obligation_id(body, ObligationKind::AnnualReport, 2013);
    assert_eq!(a, obligation::obligation_id(body, ObligationKind::AnnualReport, 2013));
    assert_ne!(a, obligation::obligation_id(body, ObligationKind::AnnualReport, 2014));
    assert_ne!(a, obligation::obligation_id(body, ObligationKind::PreceptNotify, 2013));
    assert_ne!(a, obligation::obligation_id(BodyId::from_u128(2), ObligationKind::AnnualReport, 2013));
    assert_eq!(a.as_uuid().get_version_num(), 8);
}

#[test]
fn a_plan_made_in_a_shortened_term_is_flagged_and_a_wrong_end_date_is_named() {
    let settings = ClockSettings::default();
    let first_term = Term {
        holder: String::from("Bob Jones"),
        elected_on: date(2012, 11, 15),
        starts_on: date(2012, 11, 22),
        ends_on: date(2016, 5, 11),
    };
    let body = body(vec![first_term]);
    let notes = election::plan_period_notes(&body, date(2013, 4, 1), date(2017, 3, 31), &settings);
    assert_eq!(notes.len(), 1, "{notes:?}");
    assert!(notes[0].contains("3 years and 6 months"), "{notes:?}");
    let wrong = election::plan_period_notes(&body, date(2013, 4, 1), date(2018, 3, 31), &settings);
    assert!(wrong.iter().any(|n| n.contains("has effect until 31 March 2017")), "{wrong:?}");
    let covid = election::plan_period_notes(&body, date(2021, 7, 1), date(2025, 3, 31), &settings);
    assert_eq!(covid.len(), 1, "the period is right, the term short: {covid:?}");
    assert!(covid[0].contains("3 years and 0 months"), "{covid:?}");
    let four_years = election::plan_period_notes(&body, date(2021, 7, 1), date(2026, 3, 31), &settings);
    assert!(four_years[1].contains("until 31 March 2025"), "planned as if the term were four years: {four_years:?}");
    assert!(election::plan_period_notes(&body, date(2024, 7, 1), date(2029, 3, 31), &settings).is_empty());
}
