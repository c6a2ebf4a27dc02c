//! The statutory process of the February 2014 variation, as the seeds tell it: the Panel
//! met on Monday 3 February 2014 (seed 004) with papers sent on 29 January, two clear
//! working days before, where five were due; its report came on 14 February and the
//! varied plan took effect on 25 February.
//!
//! Dates the seeds give are marked so in each step's note; the others are illustrative.
//! This module builds values only; loading them into a store is the binary's job.

use pcplan_domain::meeting::Meeting;
use pcplan_domain::process::{Evidence, PanelOutcome, Step};
use pcplan_domain::{Calendar, Nation, VersionNumber, clock::ClockSettings};

use crate::ids;

/// The Panel meeting of 3 February 2014, with its papers published on 29 January.
pub fn panel_meeting_2014() -> Meeting {
    let mut meeting = Meeting::schedule(
        ids::MEETING_2014,
        ids::BODY,
        "Police and Crime Panel: proposed variations to the Police and Crime Plan",
        ymd!(2014, 2, 3),
        Nation::England,
        &ClockSettings::default(),
        &Calendar::default(),
    )
    // 3 February 2014 is inside the calendar's years, so scheduling cannot fail; fall
    // back to the fields themselves rather than panic if that ever changes.
    .unwrap_or_else(|_| Meeting {
        id: ids::MEETING_2014,
        body_id: ids::BODY,
        title: String::from("Police and Crime Panel"),
        held_on: ymd!(2014, 2, 3),
        required_clear_days: 5,
        day_rule: pcplan_domain::DayRule::Working,
        papers_due_on: ymd!(2014, 1, 24),
        papers_published_on: None,
        board_id: None,
        place: String::new(),
        status: pcplan_domain::meeting::MeetingStatus::Scheduled,
        agenda: Vec::new(),
        attendance: Vec::new(),
        minutes: None,
        revision: 0,
    });
    meeting.papers_published_on = Some(ymd!(2014, 1, 29));
    meeting.board_id = Some(crate::boards::PANEL);
    meeting
}

fn evidence(on: chrono::NaiveDate, by: &str, note: &str) -> Evidence {
    Evidence {
        on,
        by: by.to_string(),
        note: note.to_string(),
        link: None,
        version: None,
        panel_outcome: None,
        decision: None,
    }
}

/// The steps of the 2014 variation in the order they were recorded.
pub fn variation_steps_2014() -> Vec<(Step, Evidence)> {
    vec![
        (
            Step::DraftPrepared,
            evidence(
                ymd!(2014, 1, 20),
                "OPCC policy team",
                "Illustrative date. Draft variation prepared after the Partnership Summit of November 2013 (seed 000, para 5).",
            ),
        ),
        (
            Step::ChiefConstableConsulted,
            evidence(
                ymd!(2014, 1, 24),
                "Chief Executive, OPCC",
                "Illustrative date. Milestones and objectives discussed with the Temporary Deputy Chief Constable.",
            ),
        ),
        (
            Step::SentToPanel,
            Evidence {
                version: Some(VersionNumber(3)),
                ..evidence(
                    ymd!(2014, 1, 29),
                    "Chief Executive, OPCC",
                    "Report of the Commissioner: variations to the Police and Crime Plan (seed 000). Sent two clear working days before the meeting, where five were due.",
                )
            },
        ),
        (
            Step::PanelReport,
            Evidence {
                panel_outcome: Some(PanelOutcome::Report),
                ..evidence(
                    ymd!(2014, 2, 14),
                    "Vice-Chair, West Midlands Police and Crime Panel",
                    "The Panel's statutory report of 14 February 2014 and covering letter on late papers (seed 004).",
                )
            },
        ),
        (
            Step::ResponseGiven,
            evidence(
                ymd!(2014, 2, 21),
                "Police and Crime Commissioner",
                "Illustrative date. Response to each area of the Panel's report.",
            ),
        ),
        (
            Step::ResponsePublished,
            evidence(
                ymd!(2014, 2, 21),
                "OPCC communications",
                "Illustrative date. Response published on the Commissioner's website.",
            ),
        ),
        (
            Step::ChiefConstableReconsulted,
            evidence(
                ymd!(2014, 2, 24),
                "Chief Executive, OPCC",
                "Illustrative date. The varied plan adds knife crime and CPS referral measures after the Panel's report, so it differs from the draft sent.",
            ),
        ),
        (
            Step::PlanIssued,
            Evidence {
                version: Some(VersionNumber(4)),
                // Issued by a Notice of Decision (illustrative, see `decisions`).
                decision: Some(crate::decisions::DECISION_VARIATION_2014),
                ..evidence(
                    ymd!(2014, 2, 25),
                    "Police and Crime Commissioner",
                    "Illustrative date. Plan as varied, February 2014, issued by decision 011/2014.",
                )
            },
        ),
        (Step::PlanPublished, evidence(ymd!(2014, 2, 25), "OPCC communications", "Illustrative date.")),
        (
            Step::CopySentToChiefConstable,
            evidence(
                ymd!(2014, 2, 25),
                "Chief Executive, OPCC",
                "Illustrative date. Details of the variation sent to the Chief Constable.",
            ),
        ),
    ]
}
