//! A meeting of the Police and Crime Panel, as the statutory clock needs it: when it is,
//! when its papers were due and when they were published.
//!
//! The papers deadline is computed once, when the meeting is scheduled, and kept with
//! the meeting, so a later change to the calendar or the Panel's settings never silently
//! moves a deadline that has passed. A meeting belongs to a board (`board`), has a
//! place and a status (scheduled, held, cancelled with a reason), an agenda whose items
//! may be exempt (Local Government Act 1972 Sch 12A, by paragraph) or late urgent items
//! (with the reason), the attendance and apologies of members, and minutes approved at
//! a later meeting, and a revision number that goes up by one with each change of the
//! record, so a change based on an older revision can be refused rather than silently
//! undo someone else's. The clear-days check of every paper goes through
//! [`Meeting::check_publication`], the one place that compares a publication date with
//! the deadline fixed at scheduling.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::body::Nation;
use crate::calendar::{Calendar, CalendarError, DayRule};
use crate::clock::{self, ClockSettings, FieldProblem, FieldProblems, PapersCheck};
use crate::ids::{BoardId, BodyId, MeetingId, MemberId};

/// A Panel meeting and its papers' dates.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Meeting {
    pub id: MeetingId,
    pub body_id: BodyId,
    /// `Police and Crime Panel: variation to the Police and Crime Plan`.
    pub title: String,
    pub held_on: NaiveDate,
    /// The clear days the papers needed, and how they were counted, when scheduled.
    pub required_clear_days: u32,
    pub day_rule: DayRule,
    /// The latest day the papers could be published, computed when scheduled.
    pub papers_due_on: NaiveDate,
    /// When the papers were actually published, once they were.
    #[serde(default)]
    pub papers_published_on: Option<NaiveDate>,
    /// The board that meets. Meetings stored before boards existed have none in their
    /// JSON; the store fills in the body's Panel (migration 0007 made one per body).
    #[serde(default)]
    pub board_id: Option<BoardId>,
    /// Where the meeting is held: `Committee Room 6, Council House, Birmingham`.
    #[serde(default)]
    pub place: String,
    #[serde(default)]
    pub status: MeetingStatus,
    /// The agenda, in order.
    #[serde(default)]
    pub agenda: Vec<AgendaItem>,
    /// Who attended, sent apologies or substituted.
    #[serde(default)]
    pub attendance: Vec<Attendance>,
    #[serde(default)]
    pub minutes: Option<Minutes>,
    /// How many times the record (title, place, status, agenda, attendance, minutes)
    /// has been changed: 0 when scheduled. A change sent with the revision it was based
    /// on is refused when the record has moved on since.
    #[serde(default)]
    pub revision: u64,
}

/// Whether the meeting is still to come, took place or was called off.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum MeetingStatus {
    #[default]
    Scheduled,
    Held,
    Cancelled {
        reason: String,
    },
}

impl MeetingStatus {
    pub fn label(&self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "Scheduled",
            MeetingStatus::Held => "Held",
            MeetingStatus::Cancelled { .. } => "Cancelled",
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            MeetingStatus::Scheduled => "scheduled",
            MeetingStatus::Held => "held",
            MeetingStatus::Cancelled { .. } => "cancelled",
        }
    }
}

/// Why an agenda item is taken in private: a paragraph of Local Government Act 1972
/// Sch 12A (1 to 7) and the reason. The public see the item's title and paragraph only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exemption {
    pub paragraph: u8,
    pub reason: String,
}

/// The seven descriptions of exempt information, LGA 1972 Sch 12A Part 1.
pub const SCHEDULE_12A: [&str; 7] = [
    "Information relating to any individual",
    "Information which is likely to reveal the identity of an individual",
    "Information relating to the financial or business affairs of any particular person",
    "Information relating to labour relations matters",
    "Information in respect of which legal professional privilege could be maintained",
    "Information revealing that the authority proposes to give a notice or make an order or direction",
    "Information relating to the prevention, investigation or prosecution of crime",
];

/// One item of a meeting's agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgendaItem {
    /// `5`, `5a`: unique within the meeting.
    pub number: String,
    pub title: String,
    #[serde(default)]
    pub exempt: Option<Exemption>,
    /// A late urgent item, added after the agenda was published, with the reason the
    /// chair accepted it (LGA 1972 s.100B(4)(b)). Its papers are not counted late.
    #[serde(default)]
    pub late_reason: Option<String>,
}

/// How a member took part in a meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "attended", rename_all = "snake_case")]
pub enum Attended {
    Present,
    Apologies,
    /// Neither present nor sent apologies.
    Absent,
    /// Present as the substitute for another member.
    Substitute {
        for_member: MemberId,
    },
}

/// The choices of attendance as a page offers them, by the value a form sends.
pub const ATTENDED_CHOICES: [(&str, &str); 4] = [
    ("present", "Present"),
    ("apologies", "Sent apologies"),
    ("absent", "Absent"),
    ("substitute", "Present as a substitute"),
];

/// One member's attendance: `{"member_id": "…", "attended": "present"}`. Not
/// `deny_unknown_fields`, which serde cannot combine with the flattened tag.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Attendance {
    pub member_id: MemberId,
    #[serde(flatten)]
    pub attended: Attended,
}

/// The minutes of a meeting, approved (or not yet) at a later meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Minutes {
    pub text: String,
    /// The later meeting that approved them.
    #[serde(default)]
    pub approved_at: Option<MeetingId>,
}

/// A warning about a meeting that staff should see.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum MeetingWarning {
    /// The meeting falls on a bank holiday or at a weekend.
    NotAWorkingDay,
}

impl Meeting {
    /// Schedules a meeting, computing and fixing its papers deadline.
    pub fn schedule(
        id: MeetingId,
        body_id: BodyId,
        title: &str,
        held_on: NaiveDate,
        nation: Nation,
        settings: &ClockSettings,
        calendar: &Calendar,
    ) -> Result<Meeting, CalendarError> {
        let due = clock::panel_papers(held_on, nation, settings, calendar)?;
        Ok(Meeting {
            id,
            body_id,
            title: title.trim().to_string(),
            held_on,
            required_clear_days: clock::papers_clear_days(nation, settings),
            day_rule: settings.papers_day_rule,
            papers_due_on: due.due,
            papers_published_on: None,
            board_id: None,
            place: String::new(),
            status: MeetingStatus::Scheduled,
            agenda: Vec::new(),
            attendance: Vec::new(),
            minutes: None,
            revision: 0,
        })
    }

    /// Whether the papers met the deadline fixed when the meeting was scheduled.
    pub fn papers_check(&self, calendar: &Calendar) -> Result<Option<PapersCheck>, CalendarError> {
        self.papers_published_on.map(|published| self.check_publication(published, calendar)).transpose()
    }

    /// Whether something published on `published` met the deadline fixed when the
    /// meeting was scheduled: the one check the meeting's papers and each uploaded paper
    /// go through, counted with the rule and number of days stored with the meeting.
    pub fn check_publication(&self, published: NaiveDate, calendar: &Calendar) -> Result<PapersCheck, CalendarError> {
        if published >= self.held_on {
            return Ok(PapersCheck::AfterMeeting);
        }
        let clear_days = calendar.clear_days(published, self.held_on, self.day_rule)?;
        let required = self.required_clear_days;
        Ok(if published <= self.papers_due_on && clear_days >= required {
            PapersCheck::OnTime { clear_days, required }
        } else {
            PapersCheck::Late { clear_days, required }
        })
    }

    /// The agenda item with this number.
    pub fn agenda_item(&self, number: &str) -> Option<&AgendaItem> {
        self.agenda.iter().find(|i| i.number == number)
    }

    /// Checks the parts staff edit: unique agenda numbers with titles, Schedule 12A
    /// paragraphs 1 to 7 with a reason, a reason for each late item and for a
    /// cancellation, each member recorded once.
    pub fn check_record(&self) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if let MeetingStatus::Cancelled { reason } = &self.status
            && reason.trim().is_empty()
        {
            problems.push(FieldProblem::new("reason", "is empty; say why the meeting was cancelled"));
        }
        for (n, item) in self.agenda.iter().enumerate() {
            let at = |field: &str| format!("agenda[{n}].{field}");
            if item.number.trim().is_empty() {
                problems.push(FieldProblem::new(at("number"), "is empty; number the item, like `5`"));
            } else if self.agenda[..n].iter().any(|i| i.number == item.number) {
                problems
                    .push(FieldProblem::new(at("number"), format!("item {} is already on the agenda", item.number)));
            }
            if item.title.trim().is_empty() {
                problems.push(FieldProblem::new(at("title"), "is empty; give the item's title"));
            }
            if let Some(exempt) = &item.exempt {
                if !(1..=7).contains(&exempt.paragraph) {
                    problems.push(FieldProblem::new(
                        at("paragraph"),
                        format!("must be a paragraph of Schedule 12A from 1 to 7, not {}", exempt.paragraph),
                    ));
                }
                if exempt.reason.trim().is_empty() {
                    problems.push(FieldProblem::new(at("exempt_reason"), "is empty; say why the item is exempt"));
                }
            }
            if item.late_reason.as_ref().is_some_and(|r| r.trim().is_empty()) {
                problems.push(FieldProblem::new(at("late_reason"), "is empty; record why the late item is urgent"));
            }
        }
        for (n, a) in self.attendance.iter().enumerate() {
            if self.attendance[..n].iter().any(|b| b.member_id == a.member_id) {
                problems.push(FieldProblem::new(format!("attendance[{n}].member"), "is already recorded"));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }

    /// Warnings about the meeting date itself.
    pub fn warnings(&self, calendar: &Calendar) -> Vec<MeetingWarning> {
        if calendar.is_working_day(self.held_on) { Vec::new() } else { vec![MeetingWarning::NotAWorkingDay] }
    }
}
