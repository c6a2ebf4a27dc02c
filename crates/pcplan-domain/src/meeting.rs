//! A meeting of the Police and Crime Panel, as the statutory clock needs it: when it is,
//! when its papers were due and when they were published.
//!
//! The papers deadline is computed once, when the meeting is scheduled, and kept with
//! the meeting, so a later change to the calendar or the Panel's settings never silently
//! moves a deadline that has passed. Agenda items, attendance and minutes belong to the
//! scrutiny work built on top of this; this module knows only the dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::body::Nation;
use crate::calendar::{Calendar, CalendarError, DayRule};
use crate::clock::{self, ClockSettings, PapersCheck};
use crate::ids::{BodyId, MeetingId};

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
        })
    }

    /// Whether the papers met the deadline fixed when the meeting was scheduled.
    pub fn papers_check(&self, calendar: &Calendar) -> Result<Option<PapersCheck>, CalendarError> {
        let Some(published) = self.papers_published_on else { return Ok(None) };
        if published >= self.held_on {
            return Ok(Some(PapersCheck::AfterMeeting));
        }
        let clear_days = calendar.clear_days(published, self.held_on, self.day_rule)?;
        let required = self.required_clear_days;
        Ok(Some(if published <= self.papers_due_on && clear_days >= required {
            PapersCheck::OnTime { clear_days, required }
        } else {
            PapersCheck::Late { clear_days, required }
        }))
    }

    /// Warnings about the meeting date itself.
    pub fn warnings(&self, calendar: &Calendar) -> Vec<MeetingWarning> {
        if calendar.is_working_day(self.held_on) { Vec::new() } else { vec![MeetingWarning::NotAWorkingDay] }
    }
}
