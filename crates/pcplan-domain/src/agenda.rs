//! The agenda of a body: every dated thing the statutory clock knows about, in one list.
//!
//! Meetings' papers deadlines, the dated steps of issue and variation processes, plan
//! expiry and the recurring obligations are gathered here into [`DueItem`]s with a stable
//! key, so that the compliance dashboard, the calendar feeds and the e-mail reminders
//! all show the same dates for the same reasons. Nothing is computed twice: meetings
//! and obligations carry the deadline fixed when they were stored; process steps take
//! theirs from the clock's settings, as the timeline page does.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{Calendar, CalendarError};
use crate::clock::{self, ClockSettings, PapersCheck};
use crate::ids::{BodyId, MeetingId, ObligationId, PlanId, ProcessId, ReportId, UserId};
use crate::meeting::Meeting;
use crate::obligation::{Obligation, Outcome};
use crate::process::{Process, Step};
use crate::report::{Owner, Report};
use crate::transparency::{self, Evidence, Publication};

/// What a due item is about, for links and for its key.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum Subject {
    MeetingPapers {
        meeting: MeetingId,
    },
    ProcessStep {
        plan: PlanId,
        process: ProcessId,
        step: Step,
    },
    PlanExpiry {
        plan: PlanId,
    },
    Obligation {
        obligation: ObligationId,
    },
    /// A request for information or work programme item of a Panel report.
    ReportItem {
        report: ReportId,
        entry: u32,
    },
    /// The next publication of a periodic duty on the transparency checklist that the
    /// body publishes outside pcplan, counted from the last one in its log.
    Transparency {
        body: BodyId,
        duty: &'static str,
    },
}

impl Subject {
    /// The stable key owners and reminders are recorded against.
    pub fn key(&self) -> String {
        match self {
            Subject::MeetingPapers { meeting } => format!("meeting:{meeting}:papers"),
            Subject::ProcessStep { process, step, .. } => format!("process:{process}:{}", step.as_str()),
            Subject::PlanExpiry { plan } => format!("plan:{plan}:expiry"),
            Subject::Obligation { obligation } => format!("obligation:{obligation}"),
            Subject::ReportItem { report, entry } => format!("report:{report}:{entry}"),
            Subject::Transparency { body, duty } => format!("transparency:{body}:{duty}"),
        }
    }

    /// The staff page where the item is recorded, relative to the site root.
    pub fn staff_path(&self) -> String {
        match self {
            Subject::MeetingPapers { .. } => String::from("/staff/meetings"),
            Subject::ProcessStep { plan, process, .. } => format!("/staff/plans/{plan}/processes/{process}"),
            Subject::PlanExpiry { plan } => format!("/staff/plans/{plan}"),
            Subject::Obligation { obligation } => format!("/staff/obligations/{obligation}"),
            // The report, at the entry: every staff role may read it, and it links Panel
            // officers on to the tracking form.
            Subject::ReportItem { report, entry } => format!("/staff/reports/{report}#entry-{entry}"),
            Subject::Transparency { body, duty } => format!("/staff/transparency?body={body}#{duty}"),
        }
    }
}

/// How an item was met.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Done {
    pub on: NaiveDate,
    /// The evidence in a line: who, what, and whether it was late.
    pub summary: String,
    pub late: bool,
}

/// One dated thing to do, done or not.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DueItem {
    pub key: String,
    pub subject: Subject,
    pub body_id: BodyId,
    /// The rule's citation, for "why is this due?".
    pub citation: &'static str,
    pub what: String,
    /// The plan or meeting it concerns.
    pub about: String,
    pub due: NaiveDate,
    pub done: Option<Done>,
    pub owner: Option<UserId>,
}

/// Where an item stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Standing {
    Overdue,
    /// Due within the horizon (30 days on the dashboard).
    DueSoon,
    Later,
    Done,
}

impl DueItem {
    pub fn standing(&self, today: NaiveDate, horizon_days: i64) -> Standing {
        if self.done.is_some() {
            Standing::Done
        } else if self.due < today {
            Standing::Overdue
        } else if self.due <= today + chrono::Duration::days(horizon_days) {
            Standing::DueSoon
        } else {
            Standing::Later
        }
    }
}

/// A plan as the agenda needs it.
#[derive(Clone, Debug)]
pub struct PlanRef {
    pub id: PlanId,
    pub title: String,
    pub ends_on: NaiveDate,
}

/// A stored process as the agenda needs it.
#[derive(Clone, Debug)]
pub struct ProcessRef {
    pub id: ProcessId,
    pub plan: PlanId,
    pub process: Process,
}

/// Everything stored about one body that has a date.
#[derive(Clone, Debug)]
pub struct BodyRecords {
    pub body_id: BodyId,
    pub settings: ClockSettings,
    pub meetings: Vec<Meeting>,
    pub plans: Vec<PlanRef>,
    pub processes: Vec<ProcessRef>,
    pub obligations: Vec<Obligation>,
    /// The body's Panel reports, for their tracked requests and work programme items.
    pub reports: Vec<Report>,
    /// The body's transparency log, in any order.
    pub publications: Vec<Publication>,
    /// Owners by item key.
    pub owners: BTreeMap<String, UserId>,
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The body's agenda, sorted by due date. A plan's expiry that passed before `today` is
/// listed as done: it is history, not an overdue task.
pub fn collect(records: &BodyRecords, calendar: &Calendar, today: NaiveDate) -> Result<Vec<DueItem>, CalendarError> {
    let mut items = Vec::new();
    let mut push = |subject: Subject, citation, what: String, about: String, due, done| {
        let key = subject.key();
        let owner = records.owners.get(&key).copied();
        items.push(DueItem { key, subject, body_id: records.body_id, citation, what, about, due, done, owner });
    };
    let papers_citation = clock::rule("panel_papers").map_or("", |r| r.citation);
    for meeting in &records.meetings {
        let about = format!("{}, {}", meeting.title, long(meeting.held_on));
        let done = meeting.papers_check(calendar)?.map(|check| {
            let on = meeting.papers_published_on.unwrap_or(meeting.papers_due_on);
            let (summary, late) = match check {
                PapersCheck::OnTime { clear_days, .. } => {
                    (format!("Published {}, {clear_days} clear days before the meeting", long(on)), false)
                }
                PapersCheck::Late { clear_days, required } => (
                    format!(
                        "Published {}, {clear_days} clear days before the meeting where {required} were due: late",
                        long(on)
                    ),
                    true,
                ),
                PapersCheck::AfterMeeting => (format!("Published {}, after the meeting: late", long(on)), true),
            };
            Done { on, summary, late }
        });
        let subject = Subject::MeetingPapers { meeting: meeting.id };
        push(subject, papers_citation, String::from("Publish the Panel papers"), about, meeting.papers_due_on, done);
    }
    for stored in &records.processes {
        let Some(plan) = records.plans.iter().find(|p| p.id == stored.plan) else { continue };
        let dated = stored.process.due_dates(&records.settings);
        // Steps the clock gives a date, and every recorded step as evidence, dated the
        // day it was done.
        let steps = Step::ALL.into_iter().filter_map(|step| match dated.iter().find(|(s, _)| *s == step) {
            Some((_, due)) => Some((step, *due)),
            None => stored.process.evidence(step).map(|e| (step, e.on)),
        });
        for (step, due) in steps {
            let done = stored.process.evidence(step).map(|e| Done {
                on: e.on,
                summary: format!("{}, {}{}", long(e.on), e.by, if e.on > due { ": after the date due" } else { "" }),
                late: e.on > due,
            });
            let subject = Subject::ProcessStep { plan: plan.id, process: stored.id, step };
            push(subject, step.citation(), step.label().to_string(), plan.title.clone(), due, done);
        }
    }
    let expiry_citation = clock::rule("plan_expiry").map_or("", |r| r.citation);
    for plan in &records.plans {
        // An expiry that has passed is history, not something overdue.
        let done = (plan.ends_on < today).then(|| Done {
            on: plan.ends_on,
            summary: String::from("The plan's period has ended"),
            late: false,
        });
        let what = String::from("The plan expires: a new plan must be in place");
        push(Subject::PlanExpiry { plan: plan.id }, expiry_citation, what, plan.title.clone(), plan.ends_on, done);
    }
    for obligation in &records.obligations {
        let citation = clock::rule(obligation.kind.as_str()).map_or("", |r| r.citation);
        let done = obligation.completion.as_ref().map(|c| Done {
            on: c.on,
            summary: match c.outcome {
                Outcome::Done => {
                    format!("{}, {}{}", long(c.on), c.by, if obligation.late() { ": after the date due" } else { "" })
                }
                Outcome::NotRequired => format!("Not required ({}, {})", c.by, long(c.on)),
            },
            late: obligation.late(),
        });
        let subject = Subject::Obligation { obligation: obligation.id };
        let about = obligation.cycle_label();
        push(subject, citation, obligation.what.clone(), about, obligation.due_on, done);
    }
    // Requests for information and work programme items with a due date. The owner is
    // the report's own (a staff account) unless one was set on the dashboard.
    for report in &records.reports {
        for (_, entry) in report.entries().filter(|(_, e)| e.kind.is_tracked()) {
            let Some(tracking) = &entry.tracking else { continue };
            let Some(due) = tracking.due_on else { continue };
            let subject = Subject::ReportItem { report: report.id, entry: entry.id.0 };
            let key = subject.key();
            let owner = records.owners.get(&key).copied().or(match &tracking.owner {
                Some(Owner::Staff(user)) => Some(*user),
                _ => None,
            });
            let done = tracking.done.as_ref().map(|d| Done {
                on: d.on,
                summary: format!(
                    "{}: {}{}",
                    long(d.on),
                    d.provided,
                    if d.on > due { " (after the date due)" } else { "" }
                ),
                late: d.on > due,
            });
            let mut text: String = entry.text.chars().take(90).collect();
            if entry.text.chars().count() > 90 {
                text.push('\u{2026}');
            }
            items.push(DueItem {
                key,
                subject,
                body_id: records.body_id,
                citation: "the Panel's report",
                what: format!("{}: {text}", entry.kind.label()),
                about: report.title.clone(),
                due,
                done,
                owner,
            });
        }
    }
    // Periodic duties published outside pcplan: the next one is due a cadence after the
    // last in the log. A duty with nothing logged has no date to count from; the
    // checklist says so rather than inventing a deadline.
    for duty in transparency::DUTIES.iter().filter(|d| d.evidence == Evidence::Log) {
        let last = records.publications.iter().filter(|p| p.duty == duty.key).map(|p| p.published_on).max();
        let Some((last, due)) = last.and_then(|last| transparency::next_due(duty.cadence, last).map(|due| (last, due)))
        else {
            continue;
        };
        let subject = Subject::Transparency { body: records.body_id, duty: duty.key };
        let key = subject.key();
        items.push(DueItem {
            owner: records.owners.get(&key).copied(),
            key,
            subject,
            body_id: records.body_id,
            citation: duty.citation,
            what: format!("Publish: {}", duty.title),
            about: format!("{}; last published {}", duty.cadence.label(), long(last)),
            due,
            done: None,
        });
    }
    items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    Ok(items)
}
