//! The statutory clock's rules: every deadline pcplan computes, in one table with its
//! citation and whether its wording has been confirmed against the statute.
//!
//! A rule whose wording is not confirmed (DOMAIN.md marks them "confirm") takes its
//! number from [`ClockSettings`], with the stated default, so an OPCC can correct it
//! without a new release; a confirmed rule is computed directly. This module computes
//! dates; it does not store them. The workflow stores each computed deadline with its
//! record, so that a later calendar or setting change never silently moves a past one.

use chrono::{Datelike, Duration, Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::body::Nation;
use crate::calendar::{Calendar, CalendarError, DayRule};
use crate::money::FinancialYear;

/// One rule of the clock.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct ClockRule {
    /// A stable name: `plan_issue`, `panel_papers`.
    pub id: &'static str,
    /// What must happen by when, in words.
    pub what: &'static str,
    /// Where the rule comes from.
    pub citation: &'static str,
    /// False where the wording was not checked against the statute: the number then
    /// comes from a setting.
    pub confirmed: bool,
    /// The [`ClockSettings`] field that governs it, if any.
    pub setting: Option<&'static str>,
}

/// Every rule, in the order a timeline lists them.
pub const RULES: &[ClockRule] = &[
    ClockRule {
        id: "plan_issue",
        what: "issue a police and crime plan within the financial year in which the body was elected",
        citation: "PRSRA 2011 s.5(1)-(2)",
        confirmed: true,
        setting: None,
    },
    ClockRule {
        id: "plan_expiry",
        what: "the plan runs until the end of the financial year in which the next ordinary election is held",
        citation: "PRSRA 2011 s.5(3)",
        confirmed: false,
        setting: Some("plan_runs_to_end_of_election_year"),
    },
    ClockRule {
        id: "panel_papers",
        what: "publish a Panel meeting's agenda and reports a number of clear days before the meeting",
        citation: "Local Government Act 1972 s.100B(3) (5 clear days in England; Wales to confirm)",
        confirmed: false,
        setting: Some("papers_clear_days_england / papers_clear_days_wales / papers_day_rule"),
    },
    ClockRule {
        id: "panel_reasonable_time",
        what: "give the Panel a reasonable time to consider a draft plan or variation",
        citation: "PRSRA 2011 s.5(6)(c)",
        confirmed: false,
        setting: Some("panel_reasonable_time_days"),
    },
    ClockRule {
        id: "response_publication",
        what: "give the Panel a response to its report and publish it",
        citation: "PRSRA 2011 s.5(6)(e)-(f); no period is set in the Act",
        confirmed: false,
        setting: Some("response_publication_days"),
    },
    ClockRule {
        id: "survey_length",
        what: "keep a public survey open long enough for people to respond",
        citation: "practice (seed 002: at least six weeks)",
        confirmed: false,
        setting: Some("survey_min_weeks"),
    },
    ClockRule {
        id: "annual_report",
        what: "report to the Panel on each financial year after it ends",
        citation: "PRSRA 2011 s.12; no date is set in the Act",
        confirmed: false,
        setting: Some("annual_report_months"),
    },
    ClockRule {
        id: "precept_notify",
        what: "notify the Panel of the proposed precept by 1 February",
        citation: "Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012",
        confirmed: true,
        setting: None,
    },
    ClockRule {
        id: "precept_panel_report",
        what: "the Panel reports on the proposed precept by 8 February",
        citation: "Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012",
        confirmed: true,
        setting: None,
    },
    ClockRule {
        id: "precept_revised",
        what: "after a veto, the body gives the Panel a revised precept by 15 February",
        citation: "Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012",
        confirmed: true,
        setting: None,
    },
    ClockRule {
        id: "precept_revised_report",
        what: "the Panel reports on the revised precept by 22 February",
        citation: "Police and Crime Panels (Precepts and Chief Constable Appointments) Regulations 2012",
        confirmed: false,
        setting: None,
    },
    ClockRule {
        id: "equality_objectives",
        what: "publish equality objectives at least every four years",
        citation: "Equality Act 2010 s.149 and the specific duties regulations",
        confirmed: false,
        setting: None,
    },
    ClockRule {
        id: "equality_information",
        what: "publish information showing compliance with the equality duty every year",
        citation: "Equality Act 2010 s.149 and the specific duties regulations",
        confirmed: false,
        setting: None,
    },
];

/// The rule with this id.
pub fn rule(id: &str) -> Option<&'static ClockRule> {
    RULES.iter().find(|r| r.id == id)
}

/// The numbers behind the unconfirmed rules, with their defaults. Each Panel or body
/// may change them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ClockSettings {
    /// Clear days between publishing Panel papers and the meeting, in England.
    pub papers_clear_days_england: u32,
    /// The same in Wales (DOMAIN.md: 3, to confirm).
    pub papers_clear_days_wales: u32,
    /// How clear days are counted: working days (common practice) or calendar days.
    pub papers_day_rule: DayRule,
    /// Calendar days the Panel is given to consider a draft plan or variation.
    pub panel_reasonable_time_days: u32,
    /// Calendar days after the Panel's report by which the response is published.
    pub response_publication_days: u32,
    /// The shortest a public survey may run, in weeks.
    pub survey_min_weeks: u32,
    /// Months after the end of a financial year by which its annual report goes to the Panel.
    pub annual_report_months: u32,
    /// True: a plan runs to the end of the financial year in which the next ordinary
    /// election is held. False: to the end of the financial year after that one.
    pub plan_runs_to_end_of_election_year: bool,
    /// The first due date of the equality objectives, from which they recur every four
    /// years (the specific duties regulations: 6 April 2012).
    pub equality_objectives_from: NaiveDate,
    /// The first due date of the equality compliance information, from which it recurs
    /// every year (the specific duties regulations: 31 January 2012).
    pub equality_information_from: NaiveDate,
}

impl Default for ClockSettings {
    fn default() -> Self {
        Self {
            papers_clear_days_england: 5,
            papers_clear_days_wales: 3,
            papers_day_rule: DayRule::Working,
            panel_reasonable_time_days: 28,
            response_publication_days: 28,
            survey_min_weeks: 6,
            annual_report_months: 6,
            plan_runs_to_end_of_election_year: true,
            equality_objectives_from: NaiveDate::from_ymd_opt(2012, 4, 6).unwrap_or_default(),
            equality_information_from: NaiveDate::from_ymd_opt(2012, 1, 31).unwrap_or_default(),
        }
    }
}

/// One field of some input that breaks its own rule, named as in its JSON
/// (`papers_clear_days_england`, `date`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct FieldProblem {
    pub field: String,
    pub problem: String,
}

impl FieldProblem {
    pub fn new(field: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { field: field.into(), problem: problem.into() }
    }
}

/// Every field of a settings record or calendar override that breaks its rule, in the
/// order of the fields.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
pub struct FieldProblems(pub Vec<FieldProblem>);

/// The numeric settings with the range each may take: (field, lowest, highest). Wider
/// than any Panel uses, narrow enough to catch a slip of the keyboard (50 clear days).
pub const SETTING_RANGES: &[(&str, u32, u32)] = &[
    ("papers_clear_days_england", 0, 30),
    ("papers_clear_days_wales", 0, 30),
    ("panel_reasonable_time_days", 1, 365),
    ("response_publication_days", 1, 365),
    ("survey_min_weeks", 1, 52),
    ("annual_report_months", 1, 12),
];

impl ClockSettings {
    /// The value of a numeric setting by its field name.
    pub fn number(&self, field: &str) -> Option<u32> {
        match field {
            "papers_clear_days_england" => Some(self.papers_clear_days_england),
            "papers_clear_days_wales" => Some(self.papers_clear_days_wales),
            "panel_reasonable_time_days" => Some(self.panel_reasonable_time_days),
            "response_publication_days" => Some(self.response_publication_days),
            "survey_min_weeks" => Some(self.survey_min_weeks),
            "annual_report_months" => Some(self.annual_report_months),
            _ => None,
        }
    }

    /// Checks every number against [`SETTING_RANGES`], naming each field out of range.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let problems: Vec<FieldProblem> = SETTING_RANGES
            .iter()
            .filter_map(|&(field, low, high)| {
                let value = self.number(field)?;
                (!(low..=high).contains(&value))
                    .then(|| FieldProblem::new(field, format!("must be from {low} to {high}, not {value}")))
            })
            .collect();
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// A computed deadline, naming the rule it comes from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Deadline {
    pub rule: &'static str,
    pub due: NaiveDate,
    /// What is due, for pages and reminders.
    pub what: String,
}

fn deadline(rule: &'static str, due: NaiveDate, what: impl Into<String>) -> Deadline {
    Deadline { rule, due, what: what.into() }
}

fn march_31(fy: FinancialYear) -> NaiveDate {
    fy.last_day().unwrap_or(NaiveDate::MAX)
}

/// PRSRA 2011 s.5(1)-(2): the plan is issued within the financial year of the election.
pub fn plan_issue(election_day: NaiveDate) -> Deadline {
    let due = march_31(FinancialYear::containing(election_day));
    deadline("plan_issue", due, "Issue the police and crime plan")
}

/// PRSRA 2011 s.5(3): when a plan stops having effect, from the next ordinary election.
pub fn plan_expiry(next_election: NaiveDate, settings: &ClockSettings) -> Deadline {
    let fy = FinancialYear::containing(next_election);
    let fy = if settings.plan_runs_to_end_of_election_year { fy } else { FinancialYear(fy.0 + 1) };
    deadline("plan_expiry", march_31(fy), "The plan expires")
}

/// How many clear days Panel papers need, by nation.
pub fn papers_clear_days(nation: Nation, settings: &ClockSettings) -> u32 {
    match nation {
        Nation::England => settings.papers_clear_days_england,
        Nation::Wales => settings.papers_clear_days_wales,
    }
}

/// The latest day a meeting's papers can be published.
pub fn panel_papers(
    meeting: NaiveDate,
    nation: Nation,
    settings: &ClockSettings,
    calendar: &Calendar,
) -> Result<Deadline, CalendarError> {
    let days = papers_clear_days(nation, settings);
    let due = calendar.latest_publication(meeting, days, settings.papers_day_rule)?;
    Ok(deadline("panel_papers", due, format!("Publish the papers for the Panel meeting on {meeting}")))
}

/// Whether papers published on `published` met the clear-days rule for `meeting`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "status", rename_all = "snake_case")]
pub enum PapersCheck {
    OnTime {
        clear_days: u32,
        required: u32,
    },
    /// Published too late: the situation of the Panel's letter of 14 February 2014.
    Late {
        clear_days: u32,
        required: u32,
    },
    /// Published on or after the meeting day.
    AfterMeeting,
}

/// Checks a publication date against the clear-days rule.
pub fn check_papers(
    published: NaiveDate,
    meeting: NaiveDate,
    nation: Nation,
    settings: &ClockSettings,
    calendar: &Calendar,
) -> Result<PapersCheck, CalendarError> {
    if published >= meeting {
        return Ok(PapersCheck::AfterMeeting);
    }
    let required = papers_clear_days(nation, settings);
    let clear_days = calendar.clear_days(published, meeting, settings.papers_day_rule)?;
    Ok(if clear_days >= required {
        PapersCheck::OnTime { clear_days, required }
    } else {
        PapersCheck::Late { clear_days, required }
    })
}

/// PRSRA 2011 s.5(6)(c): the end of the Panel's reasonable time to consider a draft.
pub fn panel_reasonable_time(sent_to_panel: NaiveDate, settings: &ClockSettings) -> Deadline {
    let due = sent_to_panel + Duration::days(i64::from(settings.panel_reasonable_time_days));
    deadline("panel_reasonable_time", due, "The Panel's time to consider the draft ends")
}

/// PRSRA 2011 s.5(6)(e)-(f): the response to the Panel's report is given and published.
pub fn response_publication(report_received: NaiveDate, settings: &ClockSettings) -> Deadline {
    let due = report_received + Duration::days(i64::from(settings.response_publication_days));
    deadline("response_publication", due, "Publish the response to the Panel's report")
}

/// The earliest day a survey opened on `opened` may close.
pub fn survey_earliest_close(opened: NaiveDate, settings: &ClockSettings) -> Deadline {
    let due = opened + Duration::weeks(i64::from(settings.survey_min_weeks));
    deadline("survey_length", due, "The survey may close")
}

/// PRSRA 2011 s.12: the annual report on a financial year goes to the Panel.
pub fn annual_report(year: FinancialYear, settings: &ClockSettings) -> Deadline {
    let end = march_31(year);
    let due = end.checked_add_months(Months::new(settings.annual_report_months)).unwrap_or(end);
    deadline("annual_report", due, format!("Send the annual report for {year} to the Panel"))
}

/// The precept dates of the year in which the precept for the next financial year is set.
pub fn precept_dates(year: i32) -> Vec<Deadline> {
    let feb = |day| NaiveDate::from_ymd_opt(year, 2, day).unwrap_or(NaiveDate::MAX);
    vec![
        deadline("precept_notify", feb(1), "Notify the Panel of the proposed precept"),
        deadline("precept_panel_report", feb(8), "The Panel reports on the proposed precept"),
        deadline("precept_revised", feb(15), "If vetoed, give the Panel a revised precept"),
        deadline("precept_revised_report", feb(22), "The Panel reports on the revised precept"),
    ]
}

/// The next equality objectives and compliance information, from the last publications.
pub fn equality(last_objectives: NaiveDate, last_information: NaiveDate) -> Vec<Deadline> {
    let years = |date: NaiveDate, n: i32| {
        date.with_year(date.year() + n).unwrap_or_else(|| date + Duration::days(365 * i64::from(n)))
    };
    vec![
        deadline("equality_objectives", years(last_objectives, 4), "Publish equality objectives"),
        deadline("equality_information", years(last_information, 1), "Publish equality compliance information"),
    ]
}
