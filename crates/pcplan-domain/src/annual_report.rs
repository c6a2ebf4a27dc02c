//! The draft annual report of a policing body on one financial year (PRSRA 2011 s.12):
//! the report goes to the Police and Crime Panel, which reviews it at a public meeting
//! and may report or make recommendations; the body responds and publishes it.
//!
//! [`assemble`] drafts the report from the year's records ([`Sources`]): eight sections
//! in a fixed order ([`SectionKey::ALL`]), each with a heading, a paragraph drafted from
//! the facts in plain English, and the facts it was drafted from as tables. Only records
//! inside the financial year (1 April to 31 March) count: decisions signed in it,
//! milestones due in it, consultation exercises open for at least one day of it, Panel
//! reports received in it and meetings held in it. Progress and milestone states are as
//! at the year's last day (or the day the facts were gathered, while the year is still
//! running): owners' updates dated later are left out. The drafted paragraphs only count
//! and name what the records hold; they never say whether something went well.
//!
//! Staff then edit each section's text. [`AnnualReport::refresh`] re-assembles the facts
//! from the records as they now stand and keeps every text staff have edited (a text
//! that still equals its drafted paragraph is redrafted), saying which sections' facts
//! changed. Sending the report to the Panel ([`AnnualReport::issue`]) freezes it: no
//! text or fact changes after that, and the store keeps it for good. Publication
//! ([`AnnualReport::publish`]) follows issue, optionally naming the Panel meeting that
//! reviewed it and the Panel's report on it.
//!
//! This module is pure: the caller gathers the records (and words each measure's latest
//! figure with the performance pages' own helpers, so a figure reads the same everywhere)
//! and the store keeps the result. It renders nothing and decides nothing about who may
//! change a report.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::board::{Board, BoardKind};
use crate::clock::{FieldProblem, FieldProblems};
use crate::consultation::ExerciseContent;
use crate::decision::{Decision, DecisionStatus, long_date};
use crate::ids::{AnnualReportId, BodyId, ItemId, MeetingId, ReportId};
use crate::meeting::{Meeting, MeetingStatus};
use crate::money::{FinancialYear, Pence};
use crate::plan::{Plan, Record, RecordKind, Status};
use crate::report::Report;
use crate::rollup::{StatusUpdate, roll_up};
use crate::stats::Variation;

// ---------------------------------------------------------------------------------------
// What the report is drafted from
// ---------------------------------------------------------------------------------------

/// Everything the report is drafted from, as the caller read it. Records outside the
/// year may be included: [`assemble`] picks out the year's.
#[derive(Clone, Debug, PartialEq)]
pub struct Sources {
    pub body_id: BodyId,
    /// `West Midlands Police and Crime Commissioner`.
    pub body_name: String,
    pub year: FinancialYear,
    /// The day the facts are gathered. Facts are as at the year's last day, or as at
    /// this day while the year is still running.
    pub today: NaiveDate,
    /// The plan progress is reported against: the one in force at the end of the year.
    pub plan: Option<PlanSource>,
    /// Every owner's status update on the plan's items, whatever its date.
    pub updates: Vec<(ItemId, StatusUpdate)>,
    /// Each item's latest grade for a period ending by the end of the year, in words:
    /// `Green (2022/23 Q4)`.
    pub grades: BTreeMap<ItemId, String>,
    /// Each measure's latest figure up to the end of the year, in words.
    pub measures: Vec<MeasureReading>,
    /// The body's register of decisions, every state.
    pub decisions: Vec<Decision>,
    pub exercises: Vec<ExerciseSource>,
    /// The Panel's reports to the body.
    pub reports: Vec<Report>,
    /// The body's meetings, every board.
    pub meetings: Vec<Meeting>,
    /// The body's boards, to name each meeting's.
    pub boards: Vec<Board>,
}

impl Sources {
    /// Sources with no records at all: a body with nothing recorded for the year.
    pub fn empty(body_id: BodyId, body_name: impl Into<String>, year: FinancialYear, today: NaiveDate) -> Sources {
        Sources {
            body_id,
            body_name: body_name.into(),
            year,
            today,
            plan: None,
            updates: Vec::new(),
            grades: BTreeMap::new(),
            measures: Vec::new(),
            decisions: Vec::new(),
            exercises: Vec::new(),
            reports: Vec::new(),
            meetings: Vec::new(),
            boards: Vec::new(),
        }
    }
}

/// The plan and how people name its version.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanSource {
    pub plan: Plan,
    /// `Version 4: Plan as varied (Varied, 1 April 2014)`, or `Working draft`.
    pub label: String,
}

/// A measure's latest figure for a period ending by the end of the year, worded by the
/// performance pages' helpers.
#[derive(Clone, Debug, PartialEq)]
pub struct MeasureReading {
    pub item: ItemId,
    /// `1,234 crimes (13.8 per 1,000 residents)`, or `No figures yet`.
    pub latest: String,
    /// The latest period with a figure: `March 2023`, `2022/23 Q4`.
    pub period: Option<String>,
    /// The comparison with the same period last year, or why there is none.
    pub last_year: String,
    /// What the control chart says of the latest point, or why there is no chart.
    pub reading: String,
    pub variation: Option<Variation>,
}

/// A consultation exercise with what the report says of it.
#[derive(Clone, Debug, PartialEq)]
pub struct ExerciseSource {
    pub content: ExerciseContent,
    /// Whether the exercise was made public; a draft only staff saw is left out.
    pub public: bool,
    pub responses: u64,
    /// When "you said, we did" was published, if it was.
    pub you_said_published_on: Option<NaiveDate>,
}

// ---------------------------------------------------------------------------------------
// The report
// ---------------------------------------------------------------------------------------

/// The sections of the report, in the order it gives them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SectionKey {
    Introduction,
    Objectives,
    Measures,
    Decisions,
    Grants,
    Consultation,
    PanelReports,
    Meetings,
}

impl SectionKey {
    pub const ALL: [SectionKey; 8] = [
        SectionKey::Introduction,
        SectionKey::Objectives,
        SectionKey::Measures,
        SectionKey::Decisions,
        SectionKey::Grants,
        SectionKey::Consultation,
        SectionKey::PanelReports,
        SectionKey::Meetings,
    ];

    /// The name in forms and JSON: `panel_reports`.
    pub fn as_str(&self) -> &'static str {
        match self {
            SectionKey::Introduction => "introduction",
            SectionKey::Objectives => "objectives",
            SectionKey::Measures => "measures",
            SectionKey::Decisions => "decisions",
            SectionKey::Grants => "grants",
            SectionKey::Consultation => "consultation",
            SectionKey::PanelReports => "panel_reports",
            SectionKey::Meetings => "meetings",
        }
    }

    pub fn parse(name: &str) -> Option<SectionKey> {
        SectionKey::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The section's heading.
    pub fn heading(&self) -> &'static str {
        match self {
            SectionKey::Introduction => "About this report",
            SectionKey::Objectives => "Progress on the police and crime objectives",
            SectionKey::Measures => "Performance measures",
            SectionKey::Decisions => "Decisions",
            SectionKey::Grants => "Crime and disorder reduction grants",
            SectionKey::Consultation => "Consultation and engagement",
            SectionKey::PanelReports => "The Police and Crime Panel's reports and the responses",
            SectionKey::Meetings => "Meetings",
        }
    }
}

/// A table of facts a section was drafted from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FactTable {
    pub caption: String,
    pub columns: Vec<String>,
    /// Each row has one cell per column.
    pub rows: Vec<Vec<String>>,
    /// What to say instead of the table when it has no rows.
    pub empty: String,
}

/// One section of the report.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub key: SectionKey,
    pub heading: String,
    /// The text the report gives: the drafted paragraph until staff edit it.
    pub text: String,
    /// The paragraph drafted from the facts when they were last assembled.
    pub drafted: String,
    pub facts: Vec<FactTable>,
    /// How the facts were read, for the reader: which records count, as at which day.
    #[serde(default)]
    pub notes: Vec<String>,
}

impl Section {
    /// Whether staff changed the text from the drafted paragraph. Line endings and
    /// spaces at either end do not count as a change (a browser sends CR LF).
    pub fn edited(&self) -> bool {
        normalise(&self.text) != normalise(&self.drafted)
    }
}

/// The sending of the report to the Panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Issue {
    pub on: NaiveDate,
    pub by: String,
}

/// The report's publication, after the Panel has had it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub on: NaiveDate,
    pub by: String,
    /// The Panel meeting that reviewed the report (PRSRA 2011 s.28(4)), when recorded.
    #[serde(default)]
    pub panel_meeting: Option<MeetingId>,
    /// The Panel's report on it, when it made one.
    #[serde(default)]
    pub panel_report: Option<ReportId>,
}

/// Where a report stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReportStatus {
    /// Being written; texts and facts may change.
    Draft,
    /// Sent to the Panel; fixed from then on.
    Issued,
    /// Published for the public.
    Published,
}

impl ReportStatus {
    pub fn label(&self) -> &'static str {
        match self {
            ReportStatus::Draft => "Draft",
            ReportStatus::Issued => "Sent to the Panel",
            ReportStatus::Published => "Published",
        }
    }
}

/// A body's annual report on a financial year.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnnualReport {
    pub id: AnnualReportId,
    pub body_id: BodyId,
    pub year: FinancialYear,
    /// The day the facts are as at: the year's last day, or the day they were gathered
    /// while the year was still running.
    pub facts_as_of: NaiveDate,
    pub sections: Vec<Section>,
    #[serde(default)]
    pub issued: Option<Issue>,
    #[serde(default)]
    pub published: Option<Publication>,
    /// The SHA-256 of the published content ([`AnnualReport::content`]), recorded when it
    /// is published; `pcplan audit verify` recomputes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
}

/// What an annual report publishes: the year, the day its facts are as at and its
/// sections, text and tables. Its hash is the report's content hash.
#[derive(Serialize)]
pub struct PublishedContent<'a> {
    pub year: FinancialYear,
    pub facts_as_of: NaiveDate,
    pub sections: &'a [Section],
}

/// Why a change to a report is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AnnualReportError {
    /// Fields that break their rule, each named.
    #[error(transparent)]
    Fields(#[from] FieldProblems),
    /// The change is not allowed in the report's state.
    #[error("{0}")]
    Refused(String),
}

/// What a refresh did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Refreshed {
    /// Sections whose facts differ from before.
    pub facts_changed: Vec<SectionKey>,
    /// Edited sections whose drafted paragraph changed while staff's text was kept:
    /// their text may need a second look.
    pub edits_kept: Vec<SectionKey>,
}

impl AnnualReport {
    pub fn status(&self) -> ReportStatus {
        if self.published.is_some() {
            ReportStatus::Published
        } else if self.issued.is_some() {
            ReportStatus::Issued
        } else {
            ReportStatus::Draft
        }
    }

    /// The year as a URL segment: `2022-23`.
    pub fn slug(&self) -> String {
        year_slug(self.year)
    }

    pub fn section(&self, key: SectionKey) -> Option<&Section> {
        self.sections.iter().find(|s| s.key == key)
    }

    fn require_draft(&self, doing: &str) -> Result<(), AnnualReportError> {
        match &self.issued {
            Some(issue) => Err(AnnualReportError::Refused(format!(
                "the annual report on {} was sent to the Panel on {}; it cannot change now, so {doing} is refused",
                self.year,
                long_date(issue.on)
            ))),
            None => Ok(()),
        }
    }

    /// Replaces the texts of the sections given; returns the sections whose text changed.
    /// Refused once the report has gone to the Panel.
    pub fn set_texts(&mut self, texts: &BTreeMap<SectionKey, String>) -> Result<Vec<SectionKey>, AnnualReportError> {
        self.require_draft("editing its text")?;
        let mut changed = Vec::new();
        for section in &mut self.sections {
            if let Some(text) = texts.get(&section.key) {
                let text = normalise(text);
                if text != section.text {
                    section.text = text;
                    changed.push(section.key);
                }
            }
        }
        Ok(changed)
    }

    /// Replaces the facts with `fresh`'s (a report just assembled from the records as
    /// they now stand), keeping every text staff edited; an unedited text takes the
    /// new drafted paragraph. Refused once the report has gone to the Panel, or when
    /// `fresh` is of another body or year.
    pub fn refresh(&mut self, fresh: AnnualReport) -> Result<Refreshed, AnnualReportError> {
        self.require_draft("refreshing its facts")?;
        if fresh.body_id != self.body_id || fresh.year != self.year {
            return Err(AnnualReportError::Refused(format!(
                "the facts given are for another body or year ({}); refresh with this report's own, {}",
                fresh.year, self.year
            )));
        }
        let mut done = Refreshed::default();
        let mut sections = Vec::with_capacity(fresh.sections.len());
        for mut new in fresh.sections {
            if let Some(old) = self.sections.iter().find(|s| s.key == new.key) {
                if old.facts != new.facts || old.notes != new.notes {
                    done.facts_changed.push(new.key);
                }
                if old.edited() {
                    if normalise(&old.drafted) != normalise(&new.drafted) {
                        done.edits_kept.push(new.key);
                    }
                    new.text = old.text.clone();
                }
            } else {
                done.facts_changed.push(new.key);
            }
            sections.push(new);
        }
        self.sections = sections;
        self.facts_as_of = fresh.facts_as_of;
        Ok(done)
    }

    /// Records that the report was sent to the Panel on `issue.on`, after which it never
    /// changes. The year must have ended (the report is on the whole of it), the date
    /// may not be in the future, and every section needs some text.
    pub fn issue(&mut self, issue: Issue, today: NaiveDate) -> Result<(), AnnualReportError> {
        self.require_draft("sending it again")?;
        let mut problems = Vec::new();
        if issue.by.trim().is_empty() {
            problems.push(FieldProblem::new("by", "enter who sent the report to the Panel"));
        }
        let first_after = self.year.last_day().and_then(|d| d.succ_opt());
        if issue.on > today {
            problems.push(FieldProblem::new(
                "on",
                format!("{} is in the future: record the date once the report has been sent", long_date(issue.on)),
            ));
        } else if let Some(first) = first_after
            && issue.on < first
        {
            problems.push(FieldProblem::new(
                "on",
                format!(
                    "the financial year {} runs until {}; a report on it can be sent to the Panel from {}",
                    self.year,
                    long_date(first.pred_opt().unwrap_or(first)),
                    long_date(first)
                ),
            ));
        }
        for section in &self.sections {
            if section.text.trim().is_empty() {
                problems.push(FieldProblem::new(
                    format!("text_{}", section.key.as_str()),
                    format!(
                        "the section \u{201c}{}\u{201d} has no text; write it, or refresh the facts to have it drafted again",
                        section.heading
                    ),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(FieldProblems(problems).into());
        }
        self.issued = Some(Issue { on: issue.on, by: issue.by.trim().to_string() });
        Ok(())
    }

    /// Publishes a report the Panel has had, on `publication.on`: not before it was
    /// sent to the Panel, not in the future, and only once.
    pub fn publish(&mut self, publication: Publication, today: NaiveDate) -> Result<(), AnnualReportError> {
        let Some(issued) = &self.issued else {
            return Err(AnnualReportError::Refused(format!(
                "the annual report on {} has not been sent to the Panel: send it first, since the Panel reviews it \
                 before it is published (PRSRA 2011 s.12 and s.28(4))",
                self.year
            )));
        };
        if let Some(published) = &self.published {
            return Err(AnnualReportError::Refused(format!(
                "the annual report on {} was published on {}; it is published once",
                self.year,
                long_date(published.on)
            )));
        }
        let mut problems = Vec::new();
        if publication.by.trim().is_empty() {
            problems.push(FieldProblem::new("by", "enter who published the report"));
        }
        if publication.on > today {
            problems.push(FieldProblem::new(
                "on",
                format!("{} is in the future: publish the report on or before today", long_date(publication.on)),
            ));
        } else if publication.on < issued.on {
            problems.push(FieldProblem::new(
                "on",
                format!(
                    "{} is before the report was sent to the Panel on {}",
                    long_date(publication.on),
                    long_date(issued.on)
                ),
            ));
        }
        if !problems.is_empty() {
            return Err(FieldProblems(problems).into());
        }
        self.published = Some(Publication { by: publication.by.trim().to_string(), ..publication });
        self.content_hash = Some(self.content_hash_now());
        Ok(())
    }

    /// What the report publishes.
    pub fn content(&self) -> PublishedContent<'_> {
        PublishedContent { year: self.year, facts_as_of: self.facts_as_of, sections: &self.sections }
    }

    /// The hash of [`AnnualReport::content`] as it is now.
    pub fn content_hash_now(&self) -> String {
        crate::file::json_hash(&self.content())
    }

    /// Whether the published content still has the hash recorded when it was published;
    /// `None` before publication (or for a report published before hashes were recorded).
    pub fn content_intact(&self) -> Option<bool> {
        self.content_hash.as_ref().map(|hash| *hash == self.content_hash_now())
    }
}

/// The year as a URL segment: `2022-23`.
pub fn year_slug(year: FinancialYear) -> String {
    year.to_string().replace('/', "-")
}

/// Text as stored: LF line endings, no spaces at either end.
fn normalise(text: &str) -> String {
    text.replace("\r\n", "\n").replace('\r', "\n").trim().to_string()
}

// ---------------------------------------------------------------------------------------
// Assembly
// ---------------------------------------------------------------------------------------

/// Drafts the report on `sources.year` from the records in `sources`: every section in
/// [`SectionKey::ALL`]'s order, its text the drafted paragraph.
pub fn assemble(id: AnnualReportId, sources: &Sources) -> AnnualReport {
    let year = Year::of(sources.year, sources.today);
    let sections = SectionKey::ALL
        .into_iter()
        .map(|key| {
            let (drafted, facts, notes) = match key {
                SectionKey::Introduction => introduction(sources, &year),
                SectionKey::Objectives => objectives(sources, &year),
                SectionKey::Measures => measures(sources, &year),
                SectionKey::Decisions => decisions(sources, &year),
                SectionKey::Grants => grants(sources, &year),
                SectionKey::Consultation => consultation(sources, &year),
                SectionKey::PanelReports => panel_reports(sources, &year),
                SectionKey::Meetings => meetings(sources, &year),
            };
            Section { key, heading: key.heading().to_string(), text: drafted.clone(), drafted, facts, notes }
        })
        .collect();
    AnnualReport {
        id,
        body_id: sources.body_id,
        year: sources.year,
        facts_as_of: year.as_of,
        sections,
        issued: None,
        published: None,
        content_hash: None,
    }
}

/// The year's dates.
struct Year {
    fy: FinancialYear,
    first: NaiveDate,
    last: NaiveDate,
    /// The last day facts are counted for: the year's last day, or today while it runs.
    as_of: NaiveDate,
}

impl Year {
    fn of(fy: FinancialYear, today: NaiveDate) -> Year {
        let first = fy.first_day().unwrap_or(NaiveDate::MIN);
        let last = fy.last_day().unwrap_or(NaiveDate::MAX);
        // Before the year starts, facts are as at its first day: nothing has happened yet.
        Year { fy, first, last, as_of: today.clamp(first, last) }
    }

    fn contains(&self, date: NaiveDate) -> bool {
        self.first <= date && date <= self.last
    }

    fn running(&self) -> bool {
        self.as_of < self.last
    }

    /// The day facts are as at, in words: `31 March 2023`.
    fn as_at(&self) -> String {
        long_date(self.as_of)
    }
}

type Drafted = (String, Vec<FactTable>, Vec<String>);

fn table(caption: impl Into<String>, columns: &[&str], rows: Vec<Vec<String>>, empty: impl Into<String>) -> FactTable {
    FactTable {
        caption: caption.into(),
        columns: columns.iter().map(|c| c.to_string()).collect(),
        rows,
        empty: empty.into(),
    }
}

/// `1 decision`, `3 decisions`.
fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

/// `was` or `were`, agreeing with `n`.
fn was(n: usize) -> &'static str {
    if n == 1 { "was" } else { "were" }
}

fn introduction(sources: &Sources, year: &Year) -> Drafted {
    let period = format!("{} to {}", long_date(year.first), long_date(year.last));
    let mut text = format!(
        "This is the annual report of the {} on the financial year {} ({period}), made under section 12 of the \
         Police Reform and Social Responsibility Act 2011. It reports on the exercise of the {}'s functions in the \
         year and on the progress made in meeting the police and crime objectives",
        sources.body_name, year.fy, sources.body_name
    );
    match &sources.plan {
        Some(plan) => text.push_str(&format!(" in its plan, \u{201c}{}\u{201d}.", plan.plan.title)),
        None => text.push_str(
            ". No police and crime plan is recorded for the year, so no progress on objectives can be reported.",
        ),
    }
    if year.running() {
        text.push_str(&format!(
            " The financial year has not ended: the facts are as at {}, and will change before the report is sent \
             to the Panel.",
            year.as_at()
        ));
    }
    let mut rows = vec![
        vec![String::from("Policing body"), sources.body_name.clone()],
        vec![String::from("Financial year"), format!("{} ({period})", year.fy)],
    ];
    if let Some(plan) = &sources.plan {
        rows.push(vec![String::from("Police and crime plan"), format!("{} ({})", plan.plan.title, plan.label)]);
    }
    rows.push(vec![String::from("Facts as at"), year.as_at()]);
    let facts = vec![table("About this report", &["Item", "Detail"], rows, "")];
    (text, facts, Vec::new())
}

/// Each item's latest status from the updates dated by `as_of`, for the plan's items.
fn statuses_as_of(plan: &Plan, updates: &[(ItemId, StatusUpdate)], as_of: NaiveDate) -> BTreeMap<ItemId, Status> {
    let mut by_item: BTreeMap<ItemId, Vec<StatusUpdate>> = BTreeMap::new();
    for (item, update) in updates {
        if update.date <= as_of && plan.item(*item).is_some() {
            by_item.entry(*item).or_default().push(update.clone());
        }
    }
    by_item.into_iter().filter_map(|(id, list)| StatusUpdate::latest(&list).map(|u| (id, u.status))).collect()
}

fn objectives(sources: &Sources, year: &Year) -> Drafted {
    let notes = vec![format!(
        "Progress is rolled up from milestones to commitments, priorities and objectives: a complete milestone \
         counts as done, any other as not done, and withdrawn ones are left out. Each status is the owner's latest \
         update dated on or before {}; a milestone with no update counts with the status recorded in the plan.",
        year.as_at()
    )];
    let Some(source) = &sources.plan else {
        let empty = "No police and crime plan is recorded for the year.";
        let facts = vec![table("Objectives", &["Objective", "Progress"], Vec::new(), empty)];
        return (String::from(empty), facts, notes);
    };
    let plan = &source.plan;
    let statuses = statuses_as_of(plan, &sources.updates, year.as_of);
    // The statuses are filtered to the plan's items and no weights are given, so the
    // roll-up's only refusals (unknown items, bad weights) cannot arise; an empty
    // table is still the honest answer if one ever did.
    let rollup = roll_up(plan, &statuses, &BTreeMap::new(), year.as_of).ok();
    let graded = plan.of_kind(RecordKind::Objective).any(|o| sources.grades.contains_key(&o.id));
    let mut columns = vec!["Ref", "Objective", "Progress", "Milestones complete", "Milestones open", "Overdue"];
    if graded {
        columns.push("Grade");
    }
    let mut rows = Vec::new();
    let mut percents = Vec::new();
    let mut unmeasured = 0;
    for item in plan.of_kind(RecordKind::Objective) {
        let Record::Objective(objective) = &item.record else { continue };
        let progress = rollup.as_ref().and_then(|r| r.get(item.id));
        let progress_text = match progress {
            Some(p) => match p.percent() {
                Some(percent) => {
                    percents.push(percent);
                    format!("{percent}%")
                }
                None => {
                    unmeasured += 1;
                    p.no_progress.map_or_else(String::new, |n| n.label().to_string())
                }
            },
            None => String::new(),
        };
        let counts = progress.map(|p| p.milestones).unwrap_or_default();
        let mut row = vec![
            objective.reference.clone(),
            objective.title.clone(),
            progress_text,
            counts.complete.to_string(),
            counts.open.to_string(),
            counts.overdue.to_string(),
        ];
        if graded {
            row.push(sources.grades.get(&item.id).cloned().unwrap_or_else(|| String::from("Not graded")));
        }
        rows.push(row);
    }
    let objective_count = rows.len();

    let mut due_rows = Vec::new();
    let (mut complete, mut overdue, mut withdrawn) = (0, 0, 0);
    for item in plan.of_kind(RecordKind::Milestone) {
        let Record::Milestone(milestone) = &item.record else { continue };
        if !year.contains(milestone.due) {
            continue;
        }
        let status = statuses.get(&item.id).copied().unwrap_or(milestone.status);
        let is_overdue = milestone.due < year.as_of && !matches!(status, Status::Complete | Status::Withdrawn);
        complete += usize::from(status == Status::Complete);
        withdrawn += usize::from(status == Status::Withdrawn);
        overdue += usize::from(is_overdue);
        due_rows.push(vec![
            milestone.title.clone(),
            long_date(milestone.due),
            status.label().to_string(),
            String::from(if is_overdue { "Yes" } else { "No" }),
        ]);
    }
    let overdue_column = format!("Overdue at {}", year.as_at());

    let mut text = format!("The plan has {}.", count(objective_count, "objective", "objectives"));
    if let (Some(low), Some(high)) = (percents.iter().min(), percents.iter().max()) {
        let measured = count(
            percents.len(),
            "objective that has something to measure it by",
            "objectives that have something to measure it by",
        );
        let range = if low == high { format!("is {low}%") } else { format!("ranges from {low}% to {high}%") };
        text.push_str(&format!(
            " As at {}, progress rolled up from the milestones beneath them {range} for the {measured}.",
            year.as_at()
        ));
    }
    if unmeasured > 0 {
        text.push_str(&format!(
            " {} no progress figure yet.",
            if unmeasured == 1 { String::from("1 objective has") } else { format!("{unmeasured} objectives have") }
        ));
    }
    if due_rows.is_empty() {
        text.push_str(" No milestone of the plan fell due in the year.");
    } else {
        let withdrawn = if withdrawn > 0 { format!(", {withdrawn} withdrawn") } else { String::new() };
        text.push_str(&format!(
            " Of the {} due in the year, {complete} {} complete{withdrawn} and {overdue} overdue as at {}.",
            count(due_rows.len(), "milestone", "milestones"),
            was(complete),
            year.as_at()
        ));
    }
    let facts = vec![
        table(format!("Objectives as at {}", year.as_at()), &columns, rows, "The plan has no objectives."),
        table(
            "Milestones due in the year",
            &["Milestone", "Due", "Status", overdue_column.as_str()],
            due_rows,
            "No milestone fell due in the year.",
        ),
    ];
    (text, facts, notes)
}

fn measures(sources: &Sources, year: &Year) -> Drafted {
    let notes = vec![format!(
        "Each figure is the latest for a period ending on or before {}, read with the measure's control chart \
         (XmR), so a change is called significant only when the chart shows a signal.",
        year.as_at()
    )];
    let Some(source) = &sources.plan else {
        let empty = "No police and crime plan is recorded for the year, so there are no measures to report.";
        return (String::from(empty), vec![table("Measures", &["Measure"], Vec::new(), empty)], notes);
    };
    let mut rows = Vec::new();
    let (mut with_figure, mut improved, mut worse, mut changed, mut steady) = (0, 0, 0, 0, 0);
    for item in source.plan.of_kind(RecordKind::Measure) {
        let Record::Measure(measure) = &item.record else { continue };
        let reading = sources.measures.iter().find(|m| m.item == item.id);
        let Some(reading) = reading.filter(|r| r.period.is_some()) else {
            rows.push(vec![
                measure.title.clone(),
                String::from("No figures yet"),
                String::new(),
                String::new(),
                String::new(),
            ]);
            continue;
        };
        with_figure += 1;
        match reading.variation {
            Some(Variation::SignificantImprovement) => improved += 1,
            Some(Variation::SignificantDeterioration) => worse += 1,
            Some(Variation::SignificantChange) => changed += 1,
            Some(Variation::NoSignificantChange) => steady += 1,
            None => {}
        }
        rows.push(vec![
            measure.title.clone(),
            reading.latest.clone(),
            reading.period.clone().unwrap_or_default(),
            reading.last_year.clone(),
            reading.reading.clone(),
        ]);
    }
    let total = rows.len();
    let text = if total == 0 {
        String::from("The plan has no performance measures.")
    } else {
        let mut text = format!(
            "The plan has {}; {} a figure for a period ending by {}.",
            count(total, "performance measure", "performance measures"),
            match with_figure {
                0 => String::from("none has"),
                1 => String::from("1 has"),
                n => format!("{n} have"),
            },
            year.as_at()
        );
        let charted = improved + worse + changed + steady;
        if charted > 0 {
            let mut parts = Vec::new();
            if improved > 0 {
                parts.push(format!(
                    "{improved} {} a significant improvement",
                    if improved == 1 { "shows" } else { "show" }
                ));
            }
            if worse > 0 {
                parts.push(format!("{worse} a significant deterioration"));
            }
            if changed > 0 {
                parts.push(format!("{changed} a significant change on a measure where neither direction is better"));
            }
            if steady > 0 {
                parts.push(format!("{steady} no significant change"));
            }
            text.push_str(&format!(" Read with their control charts, {}.", join_words(&parts)));
        }
        if with_figure > charted {
            let short = with_figure - charted;
            text.push_str(&format!(
                " {} too few figures for a control chart.",
                if short == 1 { String::from("1 has") } else { format!("{short} have") }
            ));
        }
        text
    };
    let facts = vec![table(
        format!("Measures as at {}", year.as_at()),
        &["Measure", "Latest figure", "Period", "Same period last year", "Control chart"],
        rows,
        "The plan has no performance measures.",
    )];
    (text, facts, notes)
}

/// `a, b and c`.
fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// The grants of the plan a decision names, with their total.
fn grants_named(plan: Option<&Plan>, decision: &Decision) -> Option<(usize, Pence)> {
    let plan = plan?;
    let amounts: Vec<Pence> = decision
        .content
        .grants
        .iter()
        .filter_map(|id| match plan.item(*id).map(|i| &i.record) {
            Some(Record::Grant(grant)) => Some(grant.amount),
            _ => None,
        })
        .collect();
    (!amounts.is_empty()).then(|| (amounts.len(), Pence(amounts.iter().map(|p| p.0).sum())))
}

/// The decisions signed in the year, by date then number.
fn signed_in<'a>(sources: &'a Sources, year: &Year) -> Vec<(&'a Decision, NaiveDate)> {
    let mut signed: Vec<(&Decision, NaiveDate)> = sources
        .decisions
        .iter()
        .filter(|d| d.status == DecisionStatus::Signed && d.body_id == sources.body_id)
        .filter_map(|d| d.published_on().filter(|on| year.contains(*on)).map(|on| (d, on)))
        .collect();
    signed.sort_by_key(|(d, on)| (*on, d.number));
    signed
}

fn decisions(sources: &Sources, year: &Year) -> Drafted {
    let plan = sources.plan.as_ref().map(|p| &p.plan);
    let signed = signed_in(sources, year);
    let mut rows = Vec::new();
    let (mut confidential, mut on_grants) = (0, 0);
    for (decision, on) in &signed {
        let mut title = decision.content.title.clone();
        if decision.content.confidentiality.is_confidential() {
            confidential += 1;
            title.push_str(" (confidential: only the notice of it is published)");
        }
        let grants = match grants_named(plan, decision) {
            Some((n, total)) => {
                on_grants += 1;
                format!("{total} ({})", count(n, "grant", "grants"))
            }
            None => String::new(),
        };
        rows.push(vec![decision.number.to_string(), long_date(*on), title, grants]);
    }
    let text = if signed.is_empty() {
        String::from("No decision was signed in the year.")
    } else {
        let mut numbers: Vec<_> = signed.iter().map(|(d, _)| d.number).collect();
        numbers.sort();
        let mut text = format!("{} signed in the year", count(signed.len(), "decision was", "decisions were"));
        if let (Some(first), Some(last)) = (numbers.first(), numbers.last())
            && first != last
        {
            text.push_str(&format!(", numbered {first} to {last} in the register"));
        } else if let Some(only) = numbers.first() {
            text.push_str(&format!(", number {only} in the register"));
        }
        text.push('.');
        if confidential > 0 {
            text.push_str(&format!(
                " {} confidential: only the notice of {} is published.",
                if confidential == 1 { String::from("1 is") } else { format!("{confidential} are") },
                if confidential == 1 { "it" } else { "them" }
            ));
        }
        if on_grants > 0 {
            text.push_str(&format!(
                " {} crime and disorder reduction grants of the plan.",
                if on_grants == 1 { String::from("1 concerns") } else { format!("{on_grants} concern") }
            ));
        }
        text
    };
    let notes = vec![String::from(
        "A decision counts in the year it was signed. Drafts and withdrawn drafts are not decisions and are left out.",
    )];
    let facts = vec![table(
        "Decisions signed in the year",
        &["Number", "Signed", "Title", "Grants it concerns"],
        rows,
        "No decision was signed in the year.",
    )];
    (text, facts, notes)
}

fn grants(sources: &Sources, year: &Year) -> Drafted {
    let Some(source) = &sources.plan else {
        let empty = "No police and crime plan is recorded for the year, so no grants can be listed.";
        return (String::from(empty), vec![table("Grants", &["Recipient"], Vec::new(), empty)], Vec::new());
    };
    let signed = signed_in(sources, year);
    let mut rows = Vec::new();
    let mut total = 0i64;
    let mut decided = 0;
    for item in source.plan.of_kind(RecordKind::Grant) {
        let Record::Grant(grant) = &item.record else { continue };
        if grant.financial_year != year.fy {
            continue;
        }
        total += grant.amount.0;
        let numbers: Vec<String> = signed
            .iter()
            .filter(|(d, _)| d.content.grants.contains(&item.id))
            .map(|(d, _)| d.number.to_string())
            .collect();
        decided += usize::from(!numbers.is_empty());
        rows.push(vec![
            grant.recipient.clone(),
            grant.purpose.clone(),
            grant.amount.to_string(),
            if grant.conditions.trim().is_empty() { String::from("None") } else { grant.conditions.clone() },
            numbers.join(", "),
        ]);
    }
    let text = if rows.is_empty() {
        format!("The plan lists no crime and disorder reduction grant for {}.", year.fy)
    } else {
        let mut text = format!(
            "The plan lists {} for {} under section 9 of the Act, totalling {}.",
            count(rows.len(), "crime and disorder reduction grant", "crime and disorder reduction grants"),
            year.fy,
            Pence(total)
        );
        if decided > 0 {
            text.push_str(&format!(
                " {} named in a decision signed in the year.",
                if decided == 1 { String::from("1 of them is") } else { format!("{decided} of them are") }
            ));
        }
        text
    };
    let notes = vec![format!(
        "Grants are the plan's grant records for {}; a decision is shown beside a grant when a decision signed in \
         the year names it.",
        year.fy
    )];
    let facts = vec![table(
        format!("Grants for {}", year.fy),
        &["Recipient", "Purpose", "Amount", "Conditions", "Decision"],
        rows,
        format!("The plan lists no grant for {}.", year.fy),
    )];
    (text, facts, notes)
}

fn consultation(sources: &Sources, year: &Year) -> Drafted {
    let mut ran: Vec<&ExerciseSource> = sources
        .exercises
        .iter()
        .filter(|e| e.public && e.content.opens <= year.last && e.content.closes >= year.first)
        .collect();
    ran.sort_by_key(|e| (e.content.opens, e.content.title.clone()));
    let responses: u64 = ran.iter().map(|e| e.responses).sum();
    let published = ran.iter().filter(|e| e.you_said_published_on.is_some()).count();
    let rows = ran
        .iter()
        .map(|e| {
            vec![
                e.content.title.clone(),
                e.content.kind.label().to_string(),
                format!("{} to {}", long_date(e.content.opens), long_date(e.content.closes)),
                e.responses.to_string(),
                e.you_said_published_on
                    .map_or_else(|| String::from("Not published"), |on| format!("Published {}", long_date(on))),
            ]
        })
        .collect();
    let text = if ran.is_empty() {
        String::from("No consultation exercise was open in the year.")
    } else {
        let mut text = format!(
            "{} open in the year, with {} in all.",
            count(ran.len(), "consultation exercise was", "consultation exercises were"),
            if responses == 1 { String::from("1 response") } else { format!("{responses} responses") }
        );
        text.push_str(&match published {
            0 => String::from(" \u{201c}You said, we did\u{201d} has not been published for any of them yet."),
            n if n == ran.len() => {
                String::from(" \u{201c}You said, we did\u{201d} has been published for each of them.")
            }
            n => format!(" \u{201c}You said, we did\u{201d} has been published for {n} of them."),
        });
        text
    };
    let notes = vec![String::from(
        "An exercise counts when it was open for at least one day of the year. Exercises never made public are left \
         out. Response counts are as stored now.",
    )];
    let facts = vec![table(
        "Consultation exercises open in the year",
        &["Exercise", "Kind", "Open", "Responses", "You said, we did"],
        rows,
        "No consultation exercise was open in the year.",
    )];
    (text, facts, notes)
}

fn panel_reports(sources: &Sources, year: &Year) -> Drafted {
    let mut received: Vec<&Report> =
        sources.reports.iter().filter(|r| r.body_id == sources.body_id && year.contains(r.received_on)).collect();
    received.sort_by_key(|r| (r.received_on, r.title.clone()));
    let recommendations: usize = received.iter().map(|r| r.recommendations().len()).sum();
    let answered = received.iter().filter(|r| r.response.published.is_some()).count();
    let rows = received
        .iter()
        .map(|r| {
            let published = r.response.published.as_ref();
            vec![
                long_date(r.received_on),
                r.title.clone(),
                r.recommendations().len().to_string(),
                published.map_or_else(|| String::from("Not yet"), |p| long_date(p.sent_to_panel_on)),
                published.map_or_else(|| String::from("Not yet"), |p| long_date(p.on)),
            ]
        })
        .collect();
    let text = if received.is_empty() {
        String::from("The Police and Crime Panel sent no report to the body in the year.")
    } else {
        let mut text = format!(
            "The Police and Crime Panel sent {} in the year, with {} in all.",
            count(received.len(), "report", "reports"),
            count(recommendations, "recommendation", "recommendations")
        );
        text.push_str(&match answered {
            0 => String::from(" No response to them has been published yet."),
            n if n == received.len() => String::from(" The response to each has been published."),
            n => format!(" The responses to {n} of them have been published."),
        });
        text
    };
    let notes = vec![String::from(
        "A report counts in the year it was received. Response dates appear once the response is published.",
    )];
    let facts = vec![table(
        "Panel reports received in the year",
        &["Received", "Report", "Recommendations", "Response given to the Panel", "Response published"],
        rows,
        "No Panel report was received in the year.",
    )];
    (text, facts, notes)
}

fn meetings(sources: &Sources, year: &Year) -> Drafted {
    let board_of = |meeting: &Meeting| -> (String, bool) {
        let id = meeting.board_id.unwrap_or_else(|| Board::panel_id(meeting.body_id));
        match sources.boards.iter().find(|b| b.id == id) {
            Some(board) => (board.name.clone(), board.kind == BoardKind::PoliceAndCrimePanel),
            None if meeting.board_id.is_none() => (String::from("Police and Crime Panel"), true),
            None => (String::from("Board not recorded"), false),
        }
    };
    let mut in_year: Vec<&Meeting> =
        sources.meetings.iter().filter(|m| m.body_id == sources.body_id && year.contains(m.held_on)).collect();
    in_year.sort_by_key(|m| (m.held_on, m.title.clone()));
    let (mut held, mut scheduled, mut cancelled, mut panel, mut late) = (0, 0, 0, 0, 0);
    let mut rows = Vec::new();
    for meeting in &in_year {
        let (board, is_panel) = board_of(meeting);
        match meeting.status {
            MeetingStatus::Held => held += 1,
            MeetingStatus::Scheduled => scheduled += 1,
            MeetingStatus::Cancelled { .. } => cancelled += 1,
        }
        let counted = !matches!(meeting.status, MeetingStatus::Cancelled { .. });
        panel += usize::from(is_panel && counted);
        let papers = match meeting.papers_published_on {
            Some(on) if on > meeting.papers_due_on => {
                late += usize::from(counted);
                format!("Published late on {}, due by {}", long_date(on), long_date(meeting.papers_due_on))
            }
            Some(on) => format!("Published {}, due by {}", long_date(on), long_date(meeting.papers_due_on)),
            None => format!("Publication not recorded; due by {}", long_date(meeting.papers_due_on)),
        };
        rows.push(vec![
            long_date(meeting.held_on),
            meeting.title.clone(),
            board,
            meeting.status.label().to_string(),
            papers,
        ]);
    }
    let text = if in_year.is_empty() {
        String::from("No meeting of the Panel or of the body's boards is recorded in the year.")
    } else {
        let mut parts = Vec::new();
        if held > 0 {
            parts.push(format!("{held} held"));
        }
        if scheduled > 0 {
            parts.push(format!("{scheduled} recorded as scheduled"));
        }
        if cancelled > 0 {
            parts.push(format!("{cancelled} cancelled"));
        }
        let mut text = format!(
            "The record shows {} in the year: {}.",
            count(in_year.len(), "meeting", "meetings"),
            join_words(&parts)
        );
        let counted = held + scheduled;
        if counted > 0 {
            let of_panel = if panel == 1 { String::from("1 was a meeting") } else { format!("{panel} were meetings") };
            text.push_str(&format!(" Of those not cancelled, {of_panel} of the Police and Crime Panel."));
        }
        if late > 0 {
            text.push_str(&format!(
                " The papers of {} published after their deadline.",
                count(late, "meeting were", "meetings were")
            ));
        }
        text
    };
    let notes = vec![String::from(
        "A meeting counts in the year it was held or scheduled to be held. A papers deadline is the one fixed when \
         the meeting was scheduled.",
    )];
    let facts = vec![table(
        "Meetings in the year",
        &["Date", "Meeting", "Board", "Status", "Papers"],
        rows,
        "No meeting is recorded in the year.",
    )];
    (text, facts, notes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::DayRule;
    use crate::consultation::{Channel, ExerciseKind};
    use crate::decision::{Confidentiality, ContactOfficer, DecisionContent, DecisionMaker, DecisionNumber, Signature};
    use crate::ids::{BoardId, DecisionId, PlanId};
    use crate::plan::{
        Ambition, Commitment, Direction, Frequency, Grant, Item, Measure, Milestone, Objective, Polarity,
    };
    use crate::report::{EntryInput, EntryKind, Letter, ReportInput, SectionInput};

    const BODY: BodyId = BodyId::from_u128(0xb0d1);
    const OBJ: ItemId = ItemId::from_u128(0x10);
    const COMMIT: ItemId = ItemId::from_u128(0x11);
    const MS_DONE: ItemId = ItemId::from_u128(0x12);
    const MS_LATE: ItemId = ItemId::from_u128(0x13);
    const MS_NEXT_YEAR: ItemId = ItemId::from_u128(0x14);
    const MEASURE: ItemId = ItemId::from_u128(0x15);
    const GRANT_IN: ItemId = ItemId::from_u128(0x16);
    const GRANT_OUT: ItemId = ItemId::from_u128(0x17);
    const OBJ2: ItemId = ItemId::from_u128(0x18);
    const BOARD: BoardId = BoardId::from_u128(0xb0a4);

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
    }

    fn item(id: ItemId, parent: Option<ItemId>, record: Record) -> Item {
        Item { id, parent, serves: Vec::new(), illustrative: false, record }
    }

    fn milestone(title: &str, due: NaiveDate) -> Record {
        Record::Milestone(Milestone { title: title.to_string(), due, status: Status::NotStarted })
    }

    fn grant(recipient: &str, pounds: i64, fy: i32) -> Record {
        Record::Grant(Grant {
            recipient: recipient.to_string(),
            purpose: String::from("Reducing reoffending"),
            amount: Pence::pounds(pounds),
            financial_year: FinancialYear(fy),
            conditions: String::new(),
        })
    }

    fn plan() -> Plan {
        let objective = |reference: &str, title: &str| {
            Record::Objective(Objective {
                reference: reference.to_string(),
                title: title.to_string(),
                description: String::new(),
            })
        };
        Plan {
            id: PlanId::from_u128(0x9),
            body_id: BODY,
            title: String::from("Police and Crime Plan 2021-2025"),
            starts_on: date(2021, 4, 1),
            ends_on: date(2025, 3, 31),
            vision: String::from("Safer streets"),
            items: vec![
                item(OBJ, None, objective("1", "Reduce violence")),
                item(
                    COMMIT,
                    Some(OBJ),
                    Record::Commitment(Commitment {
                        title: String::from("Open knife crime hubs"),
                        description: String::new(),
                        owner: String::new(),
                        lead_organisation: String::new(),
                    }),
                ),
                item(MS_DONE, Some(COMMIT), milestone("First hub opens", date(2022, 6, 30))),
                item(MS_LATE, Some(COMMIT), milestone("Second hub opens", date(2023, 2, 28))),
                item(MS_NEXT_YEAR, Some(COMMIT), milestone("Third hub opens", date(2023, 4, 1))),
                item(OBJ2, None, objective("2", "Support victims")),
                item(
                    MEASURE,
                    Some(OBJ),
                    Record::Measure(Measure {
                        title: String::from("Knife crime"),
                        definition: String::from("Recorded knife crimes"),
                        unit: String::from("crimes"),
                        polarity: Polarity::LowerIsBetter,
                        baseline: None,
                        ambition: Ambition::Direction { direction: Direction::Reduce },
                        frequency: Frequency::Monthly,
                        data_source: String::from("Force records"),
                        by_area: false,
                    }),
                ),
                item(GRANT_IN, None, grant("Community Safety Partnership", 250_000, 2022)),
                item(GRANT_OUT, None, grant("Victim Support", 90_000, 2023)),
            ],
        }
    }

    fn update(day: NaiveDate, status: Status) -> StatusUpdate {
        StatusUpdate { date: day, status, commentary: String::from("Noted"), evidence: None, by: String::from("Lead") }
    }

    fn decision(seq: u32, signed_on: Option<NaiveDate>, status: DecisionStatus, title: &str) -> Decision {
        Decision {
            id: DecisionId::from_u128(0xd000 + u128::from(seq)),
            body_id: BODY,
            number: DecisionNumber { year: 2022, seq },
            status,
            drafted_on: date(2022, 4, 1),
            content: DecisionContent {
                title: title.to_string(),
                confidentiality: Confidentiality::Public,
                contact: ContactOfficer { name: String::from("Officer"), ..ContactOfficer::default() },
                executive_summary: String::from("Summary"),
                decision: String::from("Decided"),
                decision_maker: DecisionMaker { office: String::from("PCC"), holder: String::from("A Person") },
                ..DecisionContent::default()
            },
            signature: signed_on.map(|on| Signature { signed_by: String::from("A Person"), signed_on: on }),
            withdrawal: None,
            corrections: Vec::new(),
            content_hash: None,
        }
    }

    fn exercise(title: &str, opens: NaiveDate, closes: NaiveDate, public: bool, responses: u64) -> ExerciseSource {
        ExerciseSource {
            content: ExerciseContent {
                title: title.to_string(),
                kind: ExerciseKind::PublicSurvey,
                slug: title.to_lowercase().replace(' ', "-"),
                summary: String::from("What we asked"),
                opens,
                closes,
                channels: vec![Channel::WrittenSubmission],
                privacy_notice: String::new(),
                plan: None,
                note: String::new(),
            },
            public,
            responses,
            you_said_published_on: None,
        }
    }

    fn meeting(title: &str, held_on: NaiveDate, published: Option<NaiveDate>, status: MeetingStatus) -> Meeting {
        Meeting {
            id: MeetingId::new(),
            body_id: BODY,
            title: title.to_string(),
            held_on,
            required_clear_days: 5,
            day_rule: DayRule::Working,
            papers_due_on: held_on - chrono::Duration::days(8),
            papers_published_on: published,
            board_id: Some(BOARD),
            place: String::new(),
            status,
            agenda: Vec::new(),
            attendance: Vec::new(),
            minutes: None,
            revision: 0,
        }
    }

    fn panel_report(title: &str, received_on: NaiveDate, recommendations: usize) -> Report {
        let entries = (0..recommendations)
            .map(|n| EntryInput {
                id: None,
                kind: EntryKind::Recommendation,
                text: format!("Recommendation {n}"),
                owner: None,
                due_on: None,
            })
            .collect();
        let input = ReportInput {
            meeting_id: MeetingId::from_u128(0x3e),
            process_id: None,
            received_on,
            title: title.to_string(),
            letter: Letter {
                from: String::from("The Chair"),
                to: String::from("The Commissioner"),
                dated: received_on,
                subject: String::new(),
                text: String::from("Dear Commissioner"),
            },
            members_present: String::new(),
            sections: vec![SectionInput {
                id: None,
                heading: String::from("Findings"),
                text: String::from("The Panel found"),
                entries,
            }],
        };
        Report::create(ReportId::new(), BODY, input).expect("a valid report")
    }

    /// A year of records with some just inside 2022/23 and some just outside.
    fn sources() -> Sources {
        let mut sources =
            Sources::empty(BODY, "Example Police and Crime Commissioner", FinancialYear(2022), date(2023, 9, 1));
        sources.plan = Some(PlanSource { plan: plan(), label: String::from("Version 2: Plan as issued") });
        sources.updates = vec![
            (MS_DONE, update(date(2022, 7, 1), Status::Complete)),
            // Given after the year ended: not counted as at 31 March 2023.
            (MS_LATE, update(date(2023, 4, 20), Status::Complete)),
        ];
        sources.measures = vec![MeasureReading {
            item: MEASURE,
            latest: String::from("41 crimes"),
            period: Some(String::from("March 2023")),
            last_year: String::from("March 2022: 41 crimes against 52"),
            reading: String::from("Significant improvement (run of 8 below the centre line)"),
            variation: Some(Variation::SignificantImprovement),
        }];
        let mut on_grant = decision(7, Some(date(2023, 3, 31)), DecisionStatus::Signed, "Grant to the partnership");
        on_grant.content.grants = vec![GRANT_IN];
        let mut confidential = decision(3, Some(date(2022, 4, 1)), DecisionStatus::Signed, "Estates");
        confidential.content.confidentiality =
            Confidentiality::Confidential { exemption: String::from("Sch 12A para 3") };
        sources.decisions = vec![
            on_grant,
            confidential,
            decision(9, Some(date(2023, 4, 1)), DecisionStatus::Signed, "Signed on 1 April"),
            decision(2, Some(date(2022, 3, 31)), DecisionStatus::Signed, "Signed the year before"),
            decision(8, None, DecisionStatus::Draft, "Still a draft"),
            decision(6, None, DecisionStatus::Withdrawn, "Withdrawn draft"),
        ];
        let mut published = exercise("Budget survey", date(2022, 12, 1), date(2023, 1, 31), true, 412);
        published.you_said_published_on = Some(date(2023, 3, 1));
        sources.exercises = vec![
            published,
            exercise("Spanning survey", date(2022, 3, 1), date(2022, 4, 30), true, 30),
            exercise("Staff-only draft", date(2022, 6, 1), date(2022, 6, 30), false, 0),
            exercise("Next year", date(2023, 4, 1), date(2023, 5, 31), true, 5),
        ];
        sources.reports = vec![
            panel_report("Report on the precept", date(2023, 2, 8), 2),
            panel_report("Report the year after", date(2023, 4, 3), 4),
        ];
        sources.meetings = vec![
            meeting("Panel: precept", date(2023, 2, 6), Some(date(2023, 1, 30)), MeetingStatus::Held),
            meeting("Panel: annual report", date(2022, 7, 4), Some(date(2022, 6, 24)), MeetingStatus::Held),
            meeting(
                "Panel: called off",
                date(2022, 9, 5),
                None,
                MeetingStatus::Cancelled { reason: String::from("Not quorate") },
            ),
            meeting("Panel: next year", date(2023, 4, 10), None, MeetingStatus::Scheduled),
        ];
        sources.boards = vec![Board {
            id: BOARD,
            body_id: BODY,
            kind: BoardKind::PoliceAndCrimePanel,
            name: String::from("Example Police and Crime Panel"),
            illustrative: false,
        }];
        sources
    }

    fn section(report: &AnnualReport, key: SectionKey) -> &Section {
        report.section(key).expect("every section is drafted")
    }

    fn column(table: &FactTable, index: usize) -> Vec<&str> {
        table.rows.iter().map(|r| r[index].as_str()).collect()
    }

    #[test]
    fn the_sections_come_in_the_fixed_order_with_their_drafted_text() {
        let report = assemble(AnnualReportId::from_u128(1), &sources());
        let keys: Vec<SectionKey> = report.sections.iter().map(|s| s.key).collect();
        assert_eq!(keys, SectionKey::ALL);
        assert!(report.sections.iter().all(|s| s.text == s.drafted && !s.text.is_empty() && !s.edited()));
        assert_eq!(report.facts_as_of, date(2023, 3, 31));
        assert_eq!(report.status(), ReportStatus::Draft);
        assert_eq!(report.slug(), "2022-23");
        let intro = &section(&report, SectionKey::Introduction).text;
        assert!(intro.contains("financial year 2022/23 (1 April 2022 to 31 March 2023)"), "{intro}");
        assert!(intro.contains("section 12 of the Police Reform and Social Responsibility Act 2011"), "{intro}");
    }

    #[test]
    fn a_decision_signed_on_31_march_counts_and_one_signed_on_1_april_does_not() {
        let report = assemble(AnnualReportId::from_u128(1), &sources());
        let decisions = section(&report, SectionKey::Decisions);
        assert_eq!(column(&decisions.facts[0], 0), ["003/2022", "007/2022"], "{:?}", decisions.facts);
        assert_eq!(column(&decisions.facts[0], 1), ["1 April 2022", "31 March 2023"]);
        assert_eq!(column(&decisions.facts[0], 3), ["", "£250,000 (1 grant)"]);
        assert!(decisions.facts[0].rows[0][2].contains("confidential"), "{:?}", decisions.facts[0].rows[0]);
        assert_eq!(
            decisions.text,
            "2 decisions were signed in the year, numbered 003/2022 to 007/2022 in the register. 1 is confidential: \
             only the notice of it is published. 1 concerns crime and disorder reduction grants of the plan."
        );
    }

    #[test]
    fn progress_and_milestones_are_as_at_the_end_of_the_year() {
        let report = assemble(AnnualReportId::from_u128(1), &sources());
        let objectives = section(&report, SectionKey::Objectives);
        let table = &objectives.facts[0];
        assert_eq!(column(table, 1), ["Reduce violence", "Support victims"]);
        // One of the three milestones complete by 31 March 2023: the April 2023 update
        // that completed the second is after the year.
        assert_eq!(table.rows[0][2..6], ["33%", "1", "2", "1"]);
        assert_eq!(table.rows[1][2], "Nothing to measure progress by yet");
        assert!(!table.columns.contains(&String::from("Grade")), "no grades given, no grade column");
        let due = &objectives.facts[1];
        assert_eq!(
            column(due, 0),
            ["First hub opens", "Second hub opens"],
            "the milestone due on 1 April 2023 is next year's"
        );
        assert_eq!(column(due, 3), ["No", "Yes"]);
        assert!(
            objectives
                .text
                .contains("Of the 2 milestones due in the year, 1 was complete and 1 overdue as at 31 March 2023"),
            "{}",
            objectives.text
        );
        assert!(objectives.text.contains("1 objective has no progress figure yet"), "{}", objectives.text);
    }

    #[test]
    fn grants_exercises_panel_reports_and_meetings_are_the_years_only() {
        let report = assemble(AnnualReportId::from_u128(1), &sources());
        let grants = section(&report, SectionKey::Grants);
        assert_eq!(column(&grants.facts[0], 0), ["Community Safety Partnership"]);
        assert_eq!(column(&grants.facts[0], 4), ["007/2022"]);
        assert!(grants.text.contains("totalling £250,000"), "{}", grants.text);

        let consultation = section(&report, SectionKey::Consultation);
        assert_eq!(column(&consultation.facts[0], 0), ["Spanning survey", "Budget survey"]);
        assert_eq!(column(&consultation.facts[0], 4), ["Not published", "Published 1 March 2023"]);
        assert!(consultation.text.starts_with("2 consultation exercises were open in the year, with 442 responses"));

        let panel = section(&report, SectionKey::PanelReports);
        assert_eq!(column(&panel.facts[0], 1), ["Report on the precept"]);
        assert_eq!(column(&panel.facts[0], 2), ["2"]);
        assert!(panel.text.contains("1 report in the year, with 2 recommendations"), "{}", panel.text);

        let meetings = section(&report, SectionKey::Meetings);
        assert_eq!(column(&meetings.facts[0], 0), ["4 July 2022", "5 September 2022", "6 February 2023"]);
        assert_eq!(column(&meetings.facts[0], 2), ["Example Police and Crime Panel"; 3]);
        assert!(meetings.facts[0].rows[2][4].starts_with("Published late on 30 January 2023, due by 29 January 2023"));
        assert!(meetings.text.contains("3 meetings in the year: 2 held and 1 cancelled"), "{}", meetings.text);
        assert!(
            meetings.text.contains("The papers of 1 meeting were published after their deadline"),
            "{}",
            meetings.text
        );

        let measures = section(&report, SectionKey::Measures);
        assert_eq!(measures.facts[0].rows[0][1], "41 crimes");
        assert!(measures.text.contains("1 shows a significant improvement"), "{}", measures.text);
    }

    #[test]
    fn a_year_still_running_is_reported_as_at_today() {
        let mut running = sources();
        running.today = date(2022, 11, 14);
        let report = assemble(AnnualReportId::from_u128(1), &running);
        assert_eq!(report.facts_as_of, date(2022, 11, 14));
        assert!(section(&report, SectionKey::Introduction).text.contains("the facts are as at 14 November 2022"));
    }

    #[test]
    fn nothing_recorded_gives_plain_statements_not_claims() {
        let empty = Sources::empty(BODY, "Example Commissioner", FinancialYear(2022), date(2023, 5, 1));
        let report = assemble(AnnualReportId::from_u128(2), &empty);
        assert_eq!(section(&report, SectionKey::Decisions).text, "No decision was signed in the year.");
        assert!(section(&report, SectionKey::Objectives).text.starts_with("No police and crime plan is recorded"));
        assert!(
            report.sections.iter().all(|s| s.facts.iter().all(|t| t.rows.iter().all(|r| r.len() == t.columns.len())))
        );
    }

    #[test]
    fn refreshing_keeps_edited_texts_and_says_which_facts_changed() {
        let mut report = assemble(AnnualReportId::from_u128(1), &sources());
        let mut texts = BTreeMap::new();
        texts.insert(SectionKey::Decisions, String::from("Our decisions this year.\r\n\r\nSee the table."));
        assert_eq!(report.set_texts(&texts), Ok(vec![SectionKey::Decisions]));
        assert_eq!(section(&report, SectionKey::Decisions).text, "Our decisions this year.\n\nSee the table.");

        let mut later = sources();
        later.decisions.push(decision(10, Some(date(2023, 1, 10)), DecisionStatus::Signed, "Signed in January"));
        later.reports.push(panel_report("Report on the plan", date(2022, 10, 1), 1));
        let fresh = assemble(AnnualReportId::from_u128(99), &later);
        let done = report.refresh(fresh).expect("a draft refreshes");
        assert_eq!(done.facts_changed, [SectionKey::Decisions, SectionKey::PanelReports]);
        assert_eq!(done.edits_kept, [SectionKey::Decisions]);
        assert_eq!(section(&report, SectionKey::Decisions).text, "Our decisions this year.\n\nSee the table.");
        assert_eq!(section(&report, SectionKey::Decisions).facts[0].rows.len(), 3);
        let panel = section(&report, SectionKey::PanelReports);
        assert_eq!(panel.text, panel.drafted, "an unedited text is redrafted");
        assert!(panel.text.contains("2 reports"), "{}", panel.text);
        assert_eq!(report.id, AnnualReportId::from_u128(1), "the report keeps its identity");

        let other_year = assemble(AnnualReportId::from_u128(3), &Sources { year: FinancialYear(2021), ..sources() });
        assert!(matches!(report.refresh(other_year), Err(AnnualReportError::Refused(_))));
    }

    #[test]
    fn issue_needs_the_year_ended_and_freezes_the_report() {
        let mut report = assemble(AnnualReportId::from_u128(1), &sources());
        let today = date(2023, 9, 1);
        let early = report.issue(Issue { on: date(2023, 3, 31), by: String::from("Chief Executive") }, today);
        let Err(AnnualReportError::Fields(problems)) = early else { panic!("refused: {early:?}") };
        assert_eq!(problems.0[0].field, "on");
        assert!(problems.0[0].problem.contains("can be sent to the Panel from 1 April 2023"), "{problems}");
        let future = report.issue(Issue { on: date(2023, 9, 2), by: String::from("Chief Executive") }, today);
        assert!(matches!(future, Err(AnnualReportError::Fields(_))));

        let mut blank = BTreeMap::new();
        blank.insert(SectionKey::Grants, String::from("  "));
        report.set_texts(&blank).expect("a draft takes any text");
        let Err(AnnualReportError::Fields(problems)) =
            report.issue(Issue { on: date(2023, 6, 30), by: String::from("Chief Executive") }, today)
        else {
            panic!("an empty section is refused")
        };
        assert_eq!(problems.0[0].field, "text_grants");
        blank.insert(SectionKey::Grants, String::from("Grants as listed."));
        report.set_texts(&blank).expect("a draft takes any text");

        let publish_first = report.publish(
            Publication { on: date(2023, 7, 1), by: String::from("Comms"), panel_meeting: None, panel_report: None },
            today,
        );
        assert!(matches!(publish_first, Err(AnnualReportError::Refused(_))), "not before the Panel has it");

        report.issue(Issue { on: date(2023, 6, 30), by: String::from(" Chief Executive ") }, today).expect("issued");
        assert_eq!(report.status(), ReportStatus::Issued);
        assert_eq!(report.issued.as_ref().map(|i| i.by.as_str()), Some("Chief Executive"));
        let again = report.issue(Issue { on: date(2023, 7, 1), by: String::from("Chief Executive") }, today);
        assert!(matches!(again, Err(AnnualReportError::Refused(_))));
        let edit = report.set_texts(&blank);
        let Err(AnnualReportError::Refused(message)) = edit else { panic!("refused: {edit:?}") };
        assert!(message.contains("was sent to the Panel on 30 June 2023"), "{message}");
        assert!(matches!(
            report.refresh(assemble(AnnualReportId::new(), &sources())),
            Err(AnnualReportError::Refused(_))
        ));

        let before_issue = report.publish(
            Publication { on: date(2023, 6, 1), by: String::from("Comms"), panel_meeting: None, panel_report: None },
            today,
        );
        assert!(matches!(before_issue, Err(AnnualReportError::Fields(_))));
        report
            .publish(
                Publication {
                    on: date(2023, 8, 1),
                    by: String::from("Comms"),
                    panel_meeting: None,
                    panel_report: None,
                },
                today,
            )
            .expect("published");
        assert_eq!(report.status(), ReportStatus::Published);
        let twice = report.publish(
            Publication { on: date(2023, 8, 2), by: String::from("Comms"), panel_meeting: None, panel_report: None },
            today,
        );
        assert!(matches!(twice, Err(AnnualReportError::Refused(_))));
    }

    #[test]
    fn a_report_round_trips_through_json() {
        let report = assemble(AnnualReportId::from_u128(1), &sources());
        let json = serde_json::to_string(&report).expect("serialise");
        let back: AnnualReport = serde_json::from_str(&json).expect("read back");
        assert_eq!(back, report);
        assert_eq!(SectionKey::parse("panel_reports"), Some(SectionKey::PanelReports));
    }
}
