//! The issue and variation process, PRSRA 2011 s.5(6)-(8): order, evidence, and the
//! rule that only a missing step, never the Panel's view, blocks issue.

use chrono::NaiveDate;
use pcplan_domain::process::{Evidence, PanelOutcome, Process, ProcessError, ProcessKind, Step, StepState};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn on(day: NaiveDate) -> Evidence {
    Evidence {
        on: day,
        by: String::from("OPCC"),
        note: String::new(),
        link: None,
        version: None,
        panel_outcome: None,
        decision: None,
    }
}

fn panel(day: NaiveDate, outcome: PanelOutcome) -> Evidence {
    Evidence { panel_outcome: Some(outcome), ..on(day) }
}

/// The 2014 variation as seeds 000 and 004 tell it, up to the Panel's report.
fn variation_to_panel_report() -> Process {
    let mut p = Process::new(ProcessKind::Variation);
    p.record(Step::DraftPrepared, on(date(2014, 1, 20))).expect("draft");
    p.record(Step::ChiefConstableConsulted, on(date(2014, 1, 24))).expect("consulted");
    p.record(Step::SentToPanel, on(date(2014, 1, 29))).expect("sent");
    p.record(Step::PanelReport, panel(date(2014, 2, 14), PanelOutcome::Report)).expect("report");
    p
}

#[test]
fn steps_out_of_order_are_refused_naming_what_is_missing() {
    // (steps already recorded, step attempted, missing): PRSRA 2011 s.5(6) order.
    let cases: [(&[Step], Step, &[Step]); 4] = [
        (&[], Step::SentToPanel, &[Step::ChiefConstableConsulted]), // s.5(6)(b) before (c)
        (&[], Step::ChiefConstableConsulted, &[Step::DraftPrepared]),
        (&[Step::DraftPrepared], Step::PlanIssued, &[Step::PanelReport]),
        (&[Step::DraftPrepared], Step::ResponsePublished, &[Step::ResponseGiven]), // s.5(6)(f) after (e)
    ];
    for (done, step, missing) in cases {
        let mut p = Process::new(ProcessKind::Issue);
        for s in done {
            p.record(*s, on(date(2013, 1, 1))).expect("earlier step");
        }
        match p.record(step, on(date(2013, 2, 1))) {
            Err(ProcessError::OutOfOrder { step: refused, missing: found }) => {
                assert_eq!((refused, found.as_slice()), (step, missing), "{step:?}")
            }
            other => panic!("{step:?}: expected OutOfOrder, got {other:?}"),
        }
    }
}

#[test]
fn a_step_dated_before_the_step_it_follows_is_refused() {
    let mut p = Process::new(ProcessKind::Variation);
    p.record(Step::DraftPrepared, on(date(2014, 1, 20))).expect("draft");
    let err = p.record(Step::ChiefConstableConsulted, on(date(2014, 1, 10))).expect_err("too early");
    assert!(err.to_string().contains("check the dates"), "{err}");
}

#[test]
fn the_panel_step_must_say_whether_the_panel_reported() {
    let mut p = Process::new(ProcessKind::Issue);
    p.record(Step::DraftPrepared, on(date(2013, 1, 1))).expect("draft");
    p.record(Step::ChiefConstableConsulted, on(date(2013, 1, 2))).expect("cc");
    p.record(Step::SentToPanel, on(date(2013, 1, 3))).expect("sent");
    assert_eq!(p.record(Step::PanelReport, on(date(2013, 2, 1))), Err(ProcessError::PanelOutcomeMissing));
}

#[test]
fn issue_is_refused_until_the_response_is_published_and_names_every_missing_step() {
    let mut p = variation_to_panel_report();
    let err = p.check_issue(false).expect_err("not yet");
    assert_eq!(err, ProcessError::CannotIssue { missing: vec![Step::ResponseGiven, Step::ResponsePublished] });
    assert!(err.to_string().contains("response published"), "{err}");
    p.record(Step::ResponseGiven, on(date(2014, 2, 20))).expect("response");
    p.record(Step::ResponsePublished, on(date(2014, 2, 21))).expect("published");
    assert_eq!(p.check_issue(false), Ok(()));
}

#[test]
fn a_plan_that_differs_from_the_draft_sent_needs_the_chief_constable_again() {
    let mut p = variation_to_panel_report();
    p.record(Step::ResponseGiven, on(date(2014, 2, 20))).expect("response");
    p.record(Step::ResponsePublished, on(date(2014, 2, 21))).expect("published");
    // The varied plan added knife crime after the Panel's report: it differs.
    assert_eq!(p.check_issue(true), Err(ProcessError::CannotIssue { missing: vec![Step::ChiefConstableReconsulted] }));
    p.record(Step::ChiefConstableReconsulted, on(date(2014, 2, 24))).expect("reconsulted");
    assert_eq!(p.check_issue(true), Ok(()));
}

#[test]
fn the_panels_silence_or_disagreement_never_blocks_issue() {
    // The Panel has no veto over the plan (PRSRA 2011 s.28(3)): a report is answered,
    // and no report in the reasonable time needs no response at all.
    let mut p = Process::new(ProcessKind::Issue);
    p.record(Step::DraftPrepared, on(date(2013, 1, 7))).expect("draft");
    p.record(Step::ChiefConstableConsulted, on(date(2013, 1, 14))).expect("cc");
    p.record(Step::SentToPanel, on(date(2013, 2, 4))).expect("sent");
    p.record(Step::PanelReport, panel(date(2013, 3, 11), PanelOutcome::NoReportInTime)).expect("time ran out");
    assert_eq!(p.check_issue(false), Ok(()));
    assert!(!p.required(Step::ResponseGiven, false));
}

#[test]
fn the_timeline_shows_done_due_overdue_and_not_yet_due() {
    let p = variation_to_panel_report();
    let due = [(Step::ResponsePublished, date(2014, 3, 14)), (Step::ResponseGiven, date(2014, 2, 21))];
    let timeline = p.timeline(date(2014, 3, 1), &due, false);
    let state = |step| timeline.iter().find(|e| e.step == step).expect("listed").state;
    assert_eq!(state(Step::SentToPanel), StepState::Done);
    assert_eq!(state(Step::ResponseGiven), StepState::Overdue);
    assert_eq!(state(Step::ResponsePublished), StepState::Due);
    assert_eq!(state(Step::PlanIssued), StepState::NotYetDue);
    assert_eq!(state(Step::ChiefConstableReconsulted), StepState::NotRequired);
    assert_eq!(timeline.len(), Step::ALL.len());
}

#[test]
fn a_step_cannot_be_recorded_twice() {
    let mut p = variation_to_panel_report();
    assert_eq!(
        p.record(Step::SentToPanel, on(date(2014, 1, 30))),
        Err(ProcessError::AlreadyRecorded { step: Step::SentToPanel })
    );
}
