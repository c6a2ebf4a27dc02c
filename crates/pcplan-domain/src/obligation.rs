//! The recurring obligations of a body: the ones that come round with the financial
//! year, the precept timetable, the equality duty and the election cycle, rather than
//! with a plan's issue or variation.
//!
//! Each obligation belongs to one cycle (`annual_report:2013`, `precept_notify:2014`)
//! and is stored with the deadline computed when it was added, so a later change to a
//! setting or to the calendar never moves it. [`expected`] says which obligations a body
//! should have around a given day; the store adds the missing ones, and staff record
//! each as done (or, for the revised precept after no veto, not required) with evidence.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::body::Body;
use crate::clock::{self, ClockSettings, Deadline};
use crate::election;
use crate::ids::{BodyId, ObligationId};
use crate::money::FinancialYear;

/// The kinds of recurring obligation, each tied to one rule of the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    PlanIssue,
    AnnualReport,
    PreceptNotify,
    PreceptPanelReport,
    PreceptRevised,
    PreceptRevisedReport,
    EqualityObjectives,
    EqualityInformation,
}

impl ObligationKind {
    pub const ALL: [ObligationKind; 8] = [
        ObligationKind::PlanIssue,
        ObligationKind::AnnualReport,
        ObligationKind::PreceptNotify,
        ObligationKind::PreceptPanelReport,
        ObligationKind::PreceptRevised,
        ObligationKind::PreceptRevisedReport,
        ObligationKind::EqualityObjectives,
        ObligationKind::EqualityInformation,
    ];

    /// The id of the rule in [`clock::RULES`], which is also this kind's name.
    pub fn as_str(&self) -> &'static str {
        match self {
            ObligationKind::PlanIssue => "plan_issue",
            ObligationKind::AnnualReport => "annual_report",
            ObligationKind::PreceptNotify => "precept_notify",
            ObligationKind::PreceptPanelReport => "precept_panel_report",
            ObligationKind::PreceptRevised => "precept_revised",
            ObligationKind::PreceptRevisedReport => "precept_revised_report",
            ObligationKind::EqualityObjectives => "equality_objectives",
            ObligationKind::EqualityInformation => "equality_information",
        }
    }

    pub fn parse(name: &str) -> Option<ObligationKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// Whether staff may mark this obligation "not required" rather than done: only the
    /// revised-precept steps, which follow a veto that may never come.
    pub fn may_be_not_required(&self) -> bool {
        matches!(self, ObligationKind::PreceptRevised | ObligationKind::PreceptRevisedReport)
    }
}

/// How an obligation was closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    Done,
    /// Nothing was needed this cycle (no veto, so no revised precept).
    NotRequired,
}

/// The evidence that an obligation was met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Completion {
    pub outcome: Outcome,
    pub on: NaiveDate,
    /// Who did it or recorded it.
    pub by: String,
    #[serde(default)]
    pub note: String,
    /// The published document or web page.
    #[serde(default)]
    pub link: Option<String>,
}

/// One obligation of one body in one cycle, with its fixed deadline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Obligation {
    pub id: ObligationId,
    pub body_id: BodyId,
    pub kind: ObligationKind,
    /// The cycle: the financial year's first calendar year, the precept year, or the
    /// election year.
    pub cycle: i32,
    pub what: String,
    pub due_on: NaiveDate,
    #[serde(default)]
    pub completion: Option<Completion>,
}

impl Obligation {
    /// The key that makes an obligation unique within its body: `annual_report:2013`.
    pub fn cycle_key(&self) -> String {
        cycle_key(self.kind, self.cycle)
    }

    /// The cycle in words: `Financial year 2013/14`, `Precept for 2014/15`.
    pub fn cycle_label(&self) -> String {
        match self.kind {
            ObligationKind::AnnualReport => format!("Financial year {}", FinancialYear(self.cycle)),
            ObligationKind::PreceptNotify
            | ObligationKind::PreceptPanelReport
            | ObligationKind::PreceptRevised
            | ObligationKind::PreceptRevisedReport => format!("Precept for {}", FinancialYear(self.cycle)),
            ObligationKind::EqualityObjectives | ObligationKind::EqualityInformation => {
                format!("Equality duty, {}", self.cycle)
            }
            ObligationKind::PlanIssue => format!("Election of {}", self.cycle),
        }
    }

    /// Whether it was met after its deadline.
    pub fn late(&self) -> bool {
        self.completion.as_ref().is_some_and(|c| c.outcome == Outcome::Done && c.on > self.due_on)
    }
}

pub fn cycle_key(kind: ObligationKind, cycle: i32) -> String {
    format!("{}:{cycle}", kind.as_str())
}

/// The identity of a body's obligation in a cycle, the same on every installation and
/// every run: a feed's UID and a reminder's key stay stable, and the demo is reproducible.
pub fn obligation_id(body: BodyId, kind: ObligationKind, cycle: i32) -> ObligationId {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(format!("pcplan obligation {body} {}", cycle_key(kind, cycle)).as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    // An RFC 9562 version 8 (custom) UUID.
    bytes[6] = (bytes[6] & 0x0f) | 0x80;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    ObligationId::from(uuid::Uuid::from_bytes(bytes))
}

/// An obligation that a body should have, before it is stored.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Expected {
    pub kind: ObligationKind,
    pub cycle: i32,
    pub deadline: Deadline,
}

impl Expected {
    /// The stored form, with the identity [`obligation_id`] gives it.
    pub fn into_obligation(self, body_id: BodyId) -> Obligation {
        Obligation {
            id: obligation_id(body_id, self.kind, self.cycle),
            body_id,
            kind: self.kind,
            cycle: self.cycle,
            what: self.deadline.what,
            due_on: self.deadline.due,
            completion: None,
        }
    }
}

/// The obligations whose cycles are open around `today`: the annual reports on the last
/// and the current financial year, the precept timetable of this and next February, the
/// equality publications of the current and next cycle counted from the body's anchor
/// dates in `settings`, and the plan issue after the most recent and the next ordinary
/// election (or by-election, from the body's terms). The store adds whichever are missing; ones already stored keep their dates.
pub fn expected(body: &Body, settings: &ClockSettings, today: NaiveDate) -> Vec<Expected> {
    let mut out = Vec::new();
    let this_fy = FinancialYear::containing(today);
    for fy in [FinancialYear(this_fy.0 - 1), this_fy] {
        out.push(Expected {
            kind: ObligationKind::AnnualReport,
            cycle: fy.0,
            deadline: clock::annual_report(fy, settings),
        });
    }
    // The precept for a financial year is set in the February before it starts.
    let first_february = if today.month() > 2 { today.year() + 1 } else { today.year() };
    for year in [first_february - 1, first_february] {
        let kinds = [
            ObligationKind::PreceptNotify,
            ObligationKind::PreceptPanelReport,
            ObligationKind::PreceptRevised,
            ObligationKind::PreceptRevisedReport,
        ];
        for (kind, deadline) in kinds.into_iter().zip(clock::precept_dates(year)) {
            out.push(Expected { kind, cycle: year, deadline });
        }
    }
    for (kind, every, anchor) in [
        (ObligationKind::EqualityObjectives, 4, settings.equality_objectives_from),
        (ObligationKind::EqualityInformation, 1, settings.equality_information_from),
    ] {
        for due in recurring(anchor, every, today) {
            let rule = kind.as_str();
            let what = match kind {
                ObligationKind::EqualityObjectives => "Publish equality objectives (at least every four years)",
                _ => "Publish equality compliance information (every year)",
            };
            out.push(Expected { kind, cycle: due.year(), deadline: Deadline { rule, due, what: what.to_string() } });
        }
    }
    // The latest election before today, ordinary or (from the body's terms) a by-election.
    let ordinary = election::KNOWN.iter().rev().find(|e| e.on <= today).map(|e| e.on);
    let by_term = body.terms.iter().map(|t| t.elected_on).filter(|d| *d <= today).max();
    let previous = ordinary.max(by_term);
    let next = election::next_after(today);
    for election_day in previous.into_iter().chain([next]) {
        let mut deadline = clock::plan_issue(election_day);
        deadline.what =
            format!("Issue a police and crime plan after the election of {}", election_day.format("%-d %B %Y"));
        out.push(Expected { kind: ObligationKind::PlanIssue, cycle: election_day.year(), deadline });
    }
    out
}

/// The occurrence of an every-`years` duty anchored on `anchor` that is current on
/// `today` (the latest one not after today) and the one after it.
fn recurring(anchor: NaiveDate, years: i32, today: NaiveDate) -> Vec<NaiveDate> {
    let step = |n: i32| {
        anchor
            .with_year(anchor.year() + n * years)
            .unwrap_or_else(|| NaiveDate::from_ymd_opt(anchor.year() + n * years, anchor.month(), 28).unwrap_or(anchor))
    };
    if anchor > today {
        return vec![anchor];
    }
    let mut n = 0;
    while step(n + 1) <= today {
        n += 1;
    }
    vec![step(n), step(n + 1)]
}
