//! A report of the Police and Crime Panel to the Commissioner (PRSRA 2011 s.28(3)), and
//! the Commissioner's response to it (s.5(6)(d)-(f)).
//!
//! A report is structured as the Panel writes it (seed 004): a covering letter, the
//! members present, and sections by topic, each with the Panel's text and, in the order
//! the Panel wrote them, its entries: recommendations (numbered R1 to Rn across the whole
//! report, from their order), requests for information and items for the Panel's work
//! programme (both tracked to completion with an owner and a due date), commitments the
//! Commissioner made that the Panel noted, and further comments of the Panel.
//!
//! The response is kept apart from its publication: each answer is saved as a draft,
//! the whole response is then marked reviewed, and only then published on a date. A
//! drafted or reviewed answer is never public: [`Report::public`] is the only view the
//! public pages and the public API read, and it carries answers only once the response
//! is published. After publication the report and the response are fixed; only the
//! tracking of requests and work items goes on.
//!
//! This module decides what a report may hold and which change is allowed when. It
//! does not store reports, record the statutory clock's steps (the store does both, in
//! one transaction) or render anything: [`response_document`] builds the response
//! letter and table as plain values that the HTML page and a PDF renderer both read.

use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clock::{FieldProblem, FieldProblems};
use crate::ids::{BodyId, ItemId, MeetingId, ProcessId, ReportId, UserId};
use crate::plan::RecordKind;

/// The number of a section or an entry inside one report. Numbers are given from one
/// counter per report and never reused, so a link to an entry stays valid while others
/// are added, moved or removed. They are not the recommendation numbers people read
/// (R1, R2...), which follow the order of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct PartId(pub u32);

impl fmt::Display for PartId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl FromStr for PartId {
    type Err = std::num::ParseIntError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        s.parse().map(PartId)
    }
}

/// The Panel's covering letter.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Letter {
    /// Who signed it, with their role and address, one line each.
    pub from: String,
    /// To whom, with any copies, one line each.
    pub to: String,
    pub dated: NaiveDate,
    /// The subject line.
    #[serde(default)]
    pub subject: String,
    /// The letter from its salutation to its signature; paragraphs separated by blank lines.
    pub text: String,
}

/// What an entry of a section is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// Something the Panel asks the Commissioner to do or change: answered in the response.
    Recommendation,
    /// Information the Panel asked for or the Commissioner agreed to share: tracked.
    InformationRequest,
    /// An item the Panel adds to its own work programme: tracked.
    WorkItem,
    /// A commitment the Commissioner made at the meeting that the Panel noted (the italic
    /// passages of seed 004).
    NotedCommitment,
    /// A further comment of the Panel that asks for nothing.
    Comment,
}

impl EntryKind {
    pub const ALL: [EntryKind; 5] = [
        EntryKind::Recommendation,
        EntryKind::InformationRequest,
        EntryKind::WorkItem,
        EntryKind::NotedCommitment,
        EntryKind::Comment,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            EntryKind::Recommendation => "recommendation",
            EntryKind::InformationRequest => "information_request",
            EntryKind::WorkItem => "work_item",
            EntryKind::NotedCommitment => "noted_commitment",
            EntryKind::Comment => "comment",
        }
    }

    pub fn parse(name: &str) -> Option<EntryKind> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A label for people.
    pub fn label(&self) -> &'static str {
        match self {
            EntryKind::Recommendation => "Recommendation",
            EntryKind::InformationRequest => "Request for information",
            EntryKind::WorkItem => "Work programme item",
            EntryKind::NotedCommitment => "Commitment noted by the Panel",
            EntryKind::Comment => "Comment",
        }
    }

    /// Requests for information and work programme items are tracked to completion.
    pub fn is_tracked(&self) -> bool {
        matches!(self, EntryKind::InformationRequest | EntryKind::WorkItem)
    }
}

/// Who answers a tracked entry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Owner {
    /// A staff account of pcplan.
    Staff(UserId),
    /// A named officer without an account (`Temporary Deputy Chief Constable`).
    Officer(String),
}

/// That a tracked entry was completed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Done {
    pub on: NaiveDate,
    /// What was provided: a briefing note, a report to the meeting of...
    pub provided: String,
}

/// The tracking of a request for information or a work programme item.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Tracking {
    #[serde(default)]
    pub owner: Option<Owner>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
    /// `None` while open.
    #[serde(default)]
    pub done: Option<Done>,
}

/// The Commissioner's stance on one recommendation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Stance {
    Accepted,
    PartlyAccepted,
    NotAccepted,
    AlreadyAddressed,
}

impl Stance {
    pub const ALL: [Stance; 4] =
        [Stance::Accepted, Stance::PartlyAccepted, Stance::NotAccepted, Stance::AlreadyAddressed];

    pub fn as_str(&self) -> &'static str {
        match self {
            Stance::Accepted => "accepted",
            Stance::PartlyAccepted => "partly_accepted",
            Stance::NotAccepted => "not_accepted",
            Stance::AlreadyAddressed => "already_addressed",
        }
    }

    pub fn parse(name: &str) -> Option<Stance> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Stance::Accepted => "Accepted",
            Stance::PartlyAccepted => "Partly accepted",
            Stance::NotAccepted => "Not accepted",
            Stance::AlreadyAddressed => "Already addressed",
        }
    }
}

/// A plan record changed in response to a recommendation, with its kind and title as
/// they were when the answer was saved: the response says what was changed then, even
/// if the record is renamed or removed later.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLink {
    pub item: ItemId,
    pub kind: RecordKind,
    pub title: String,
}

/// The Commissioner's answer to one recommendation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Answer {
    pub stance: Stance,
    pub reasons: String,
    #[serde(default)]
    pub changes: Vec<PlanLink>,
}

/// One entry of a section, in the Panel's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Entry {
    pub id: PartId,
    pub kind: EntryKind,
    pub text: String,
    /// Recommendations only: the saved answer, drafted until the response is published.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub answer: Option<Answer>,
    /// Requests for information and work items only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tracking: Option<Tracking>,
}

impl Entry {
    /// The entry as a client would send it back.
    pub fn to_input(&self) -> EntryInput {
        EntryInput {
            id: Some(self.id),
            kind: self.kind,
            text: self.text.clone(),
            owner: self.tracking.as_ref().and_then(|t| t.owner.clone()),
            due_on: self.tracking.as_ref().and_then(|t| t.due_on),
        }
    }
}

/// One section of the report: a topic with the Panel's text and its entries.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportSection {
    pub id: PartId,
    pub heading: String,
    /// The Panel's opening text; paragraphs separated by blank lines. May be empty.
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub entries: Vec<Entry>,
}

/// The Commissioner's covering letter of the response.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResponseLetter {
    /// The addressee, one line each (`Councillor Jess Phillips`, `Vice-Chair...`).
    #[serde(default)]
    pub to: String,
    /// `Dear Jess`.
    #[serde(default)]
    pub salutation: String,
    /// The body; paragraphs separated by blank lines.
    #[serde(default)]
    pub text: String,
    /// Name and office of the signatory, one line each.
    #[serde(default)]
    pub signed: String,
}

/// Who marked the response reviewed, and when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Review {
    pub by: String,
    pub on: NaiveDate,
}

/// The publication of the response.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Publication {
    pub on: NaiveDate,
    /// When the response was given to the Panel (PRSRA 2011 s.5(6)(e)).
    pub sent_to_panel_on: NaiveDate,
    pub by: String,
}

/// The response as a whole.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Response {
    #[serde(default)]
    pub letter: ResponseLetter,
    #[serde(default)]
    pub reviewed: Option<Review>,
    #[serde(default)]
    pub published: Option<Publication>,
    /// The SHA-256 of what publishing the response made public, the report with its
    /// answers and letter ([`Report::public`]), recorded when it is published;
    /// `pcplan audit verify` recomputes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
}

/// Where a response stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseState {
    /// Answers are being drafted; some may be missing.
    Drafting,
    Reviewed,
    Published,
}

impl ResponseState {
    pub fn label(&self) -> &'static str {
        match self {
            ResponseState::Drafting => "Drafting",
            ResponseState::Reviewed => "Reviewed, not published",
            ResponseState::Published => "Published",
        }
    }
}

/// A report of the Panel.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Report {
    pub id: ReportId,
    /// The policing body whose Panel wrote it: the body of its meeting.
    pub body_id: BodyId,
    pub meeting_id: MeetingId,
    /// The issue or variation process the report concerns, if any.
    #[serde(default)]
    pub process_id: Option<ProcessId>,
    pub received_on: NaiveDate,
    pub title: String,
    pub letter: Letter,
    /// As the report lists them.
    #[serde(default)]
    pub members_present: String,
    pub sections: Vec<ReportSection>,
    #[serde(default)]
    pub response: Response,
    /// The next [`PartId`] to give.
    pub next_part: u32,
    /// Demo content written for the demo rather than taken from a source document.
    #[serde(default)]
    pub illustrative: bool,
}

/// A whole report as a client sends it: to create one, or to replace its content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReportInput {
    pub meeting_id: MeetingId,
    #[serde(default)]
    pub process_id: Option<ProcessId>,
    pub received_on: NaiveDate,
    pub title: String,
    pub letter: Letter,
    #[serde(default)]
    pub members_present: String,
    #[serde(default)]
    pub sections: Vec<SectionInput>,
}

/// A section as a client sends it; `id` keeps an existing section.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SectionInput {
    #[serde(default)]
    pub id: Option<PartId>,
    pub heading: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub entries: Vec<EntryInput>,
}

/// An entry as a client sends it; `id` keeps an existing entry with its answer and
/// completion. Owner and due date apply to tracked kinds only.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EntryInput {
    #[serde(default)]
    pub id: Option<PartId>,
    pub kind: EntryKind,
    pub text: String,
    #[serde(default)]
    pub owner: Option<Owner>,
    #[serde(default)]
    pub due_on: Option<NaiveDate>,
}

/// Which way to move a section or an entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Up,
    Down,
}

/// Why a change to a report was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ReportError {
    /// Fields that break their rule, each named.
    #[error(transparent)]
    Fields(#[from] FieldProblems),
    /// The change is not allowed in the report's state (published, not reviewed...).
    #[error("{0}")]
    Refused(String),
    /// No section or entry with that number.
    #[error("{0} not found")]
    NotFound(String),
}

fn problem(field: impl Into<String>, text: impl Into<String>) -> FieldProblem {
    FieldProblem::new(field, text)
}

fn fields(problems: Vec<FieldProblem>) -> Result<(), ReportError> {
    if problems.is_empty() { Ok(()) } else { Err(ReportError::Fields(FieldProblems(problems))) }
}

/// One change to a report, as the staff pages and the API make them. Each is checked
/// and applied whole by [`Report::apply`], or refused with nothing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Replace everything but the response: details, sections and entries.
    Replace(ReportInput),
    AddSection {
        heading: String,
        text: String,
    },
    UpdateSection {
        section: PartId,
        heading: String,
        text: String,
    },
    MoveSection {
        section: PartId,
        direction: Direction,
    },
    RemoveSection {
        section: PartId,
    },
    AddEntry {
        section: PartId,
        input: EntryInput,
    },
    UpdateEntry {
        entry: PartId,
        input: EntryInput,
    },
    MoveEntry {
        entry: PartId,
        direction: Direction,
    },
    RemoveEntry {
        entry: PartId,
    },
    /// Save (or replace) the answer to a recommendation; clears the review.
    Answer {
        entry: PartId,
        answer: Answer,
    },
    /// Save the covering letter of the response; clears the review.
    ResponseLetter(ResponseLetter),
    /// Mark the whole response reviewed.
    Review(Review),
    /// Set the owner, due date and completion of a tracked entry. Allowed after
    /// publication: tracking goes on until each item is done.
    Track {
        entry: PartId,
        tracking: Tracking,
    },
}

impl Edit {
    /// The action name the audit log records.
    pub fn action(&self) -> &'static str {
        match self {
            Edit::Replace(_) => "update",
            Edit::AddSection { .. } => "add_section",
            Edit::UpdateSection { .. } => "update_section",
            Edit::MoveSection { .. } => "move_section",
            Edit::RemoveSection { .. } => "remove_section",
            Edit::AddEntry { .. } => "add_entry",
            Edit::UpdateEntry { .. } => "update_entry",
            Edit::MoveEntry { .. } => "move_entry",
            Edit::RemoveEntry { .. } => "remove_entry",
            Edit::Answer { .. } => "answer",
            Edit::ResponseLetter(_) => "response_letter",
            Edit::Review(_) => "review",
            Edit::Track { .. } => "track",
        }
    }
}

impl Report {
    /// A new report from what a client sent, checked whole.
    pub fn create(id: ReportId, body_id: BodyId, input: ReportInput) -> Result<Report, ReportError> {
        let mut report = Report {
            id,
            body_id,
            meeting_id: input.meeting_id,
            process_id: input.process_id,
            received_on: input.received_on,
            title: String::new(),
            letter: input.letter.clone(),
            members_present: String::new(),
            sections: Vec::new(),
            response: Response::default(),
            next_part: 1,
            illustrative: false,
        };
        report.replace(input)?;
        report.check()?;
        Ok(report)
    }

    /// The report's content as a client would send it back: every section and entry
    /// with its number, so that sending it unchanged changes nothing.
    pub fn to_input(&self) -> ReportInput {
        ReportInput {
            meeting_id: self.meeting_id,
            process_id: self.process_id,
            received_on: self.received_on,
            title: self.title.clone(),
            letter: self.letter.clone(),
            members_present: self.members_present.clone(),
            sections: self
                .sections
                .iter()
                .map(|s| SectionInput {
                    id: Some(s.id),
                    heading: s.heading.clone(),
                    text: s.text.clone(),
                    entries: s.entries.iter().map(Entry::to_input).collect(),
                })
                .collect(),
        }
    }

    /// Where the response stands.
    pub fn state(&self) -> ResponseState {
        match (&self.response.published, &self.response.reviewed) {
            (Some(_), _) => ResponseState::Published,
            (None, Some(_)) => ResponseState::Reviewed,
            (None, None) => ResponseState::Drafting,
        }
    }

    /// Every entry with its section, in the order of the report.
    pub fn entries(&self) -> impl Iterator<Item = (&ReportSection, &Entry)> {
        self.sections.iter().flat_map(|s| s.entries.iter().map(move |e| (s, e)))
    }

    /// An entry by its number.
    pub fn entry(&self, id: PartId) -> Option<&Entry> {
        self.entries().map(|(_, e)| e).find(|e| e.id == id)
    }

    /// A section by its number.
    pub fn section(&self, id: PartId) -> Option<&ReportSection> {
        self.sections.iter().find(|s| s.id == id)
    }

    /// The recommendations in order, each with its number: R1 is the first
    /// recommendation of the first section that has one, counting across sections.
    pub fn recommendations(&self) -> Vec<(u32, &ReportSection, &Entry)> {
        self.entries()
            .filter(|(_, e)| e.kind == EntryKind::Recommendation)
            .enumerate()
            .map(|(n, (s, e))| (n as u32 + 1, s, e))
            .collect()
    }

    /// `R3` for the third recommendation; `None` for anything else.
    pub fn number(&self, entry: PartId) -> Option<String> {
        self.recommendations().into_iter().find(|(_, _, e)| e.id == entry).map(|(n, _, _)| format!("R{n}"))
    }

    /// The answer to a recommendation as the public may see it: only once the response
    /// is published. Every public page and the public API read answers through this.
    pub fn published_answer(&self, entry: PartId) -> Option<&Answer> {
        self.response.published.as_ref()?;
        self.entry(entry)?.answer.as_ref()
    }

    /// The tracked entries still open.
    pub fn open_tracked(&self) -> Vec<(&ReportSection, &Entry)> {
        self.entries()
            .filter(|(_, e)| e.kind.is_tracked() && e.tracking.as_ref().is_none_or(|t| t.done.is_none()))
            .collect()
    }

    fn fresh_id(&mut self) -> PartId {
        let id = PartId(self.next_part);
        self.next_part += 1;
        id
    }

    /// Checks the whole report; every problem names its field path.
    pub fn check(&self) -> Result<(), ReportError> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(problem("title", "enter the title of the report"));
        }
        if self.letter.from.trim().is_empty() {
            problems.push(problem("letter.from", "enter who signed the covering letter"));
        }
        if self.letter.to.trim().is_empty() {
            problems.push(problem("letter.to", "enter to whom the covering letter is addressed"));
        }
        if self.letter.text.trim().is_empty() {
            problems.push(problem("letter.text", "enter the text of the covering letter"));
        }
        if self.received_on < self.letter.dated {
            problems.push(problem(
                "received_on",
                format!(
                    "the report is received on {}, before its letter is dated ({})",
                    self.received_on, self.letter.dated
                ),
            ));
        }
        for (s, section) in self.sections.iter().enumerate() {
            if section.heading.trim().is_empty() {
                problems.push(problem(format!("sections[{s}].heading"), "enter the heading of the section"));
            }
            for (e, entry) in section.entries.iter().enumerate() {
                let path = format!("sections[{s}].entries[{e}]");
                if entry.text.trim().is_empty() {
                    problems.push(problem(format!("{path}.text"), "enter the Panel's words"));
                }
                if entry.answer.is_some() && entry.kind != EntryKind::Recommendation {
                    problems.push(problem(format!("{path}.answer"), "only a recommendation is answered"));
                }
                if entry.tracking.is_some() != entry.kind.is_tracked() {
                    problems.push(problem(
                        format!("{path}.tracking"),
                        "only requests for information and work programme items are tracked",
                    ));
                }
                if let Some(Tracking { owner: Some(Owner::Officer(name)), .. }) = &entry.tracking
                    && name.trim().is_empty()
                {
                    problems.push(problem(format!("{path}.owner"), "enter the officer's name or choose no owner"));
                }
                if let Some(Tracking { done: Some(done), .. }) = &entry.tracking
                    && done.provided.trim().is_empty()
                {
                    problems.push(problem(format!("{path}.provided"), "say what was provided"));
                }
            }
        }
        fields(problems)
    }

    fn refuse_if_published(&self) -> Result<(), ReportError> {
        match &self.response.published {
            Some(p) => Err(ReportError::Refused(format!(
                "the response was published on {}; the report and the response can no longer change",
                p.on
            ))),
            None => Ok(()),
        }
    }

    fn section_index(&self, id: PartId) -> Result<usize, ReportError> {
        self.sections.iter().position(|s| s.id == id).ok_or_else(|| ReportError::NotFound(format!("section {id}")))
    }

    fn entry_index(&self, id: PartId) -> Result<(usize, usize), ReportError> {
        self.sections
            .iter()
            .enumerate()
            .find_map(|(s, section)| section.entries.iter().position(|e| e.id == id).map(|e| (s, e)))
            .ok_or_else(|| ReportError::NotFound(format!("entry {id}")))
    }

    /// Builds an entry from input, keeping what `previous` had that still applies.
    fn entry_from(&mut self, input: EntryInput, previous: Option<Entry>, path: &str) -> Result<Entry, ReportError> {
        if !input.kind.is_tracked() && (input.owner.is_some() || input.due_on.is_some()) {
            return Err(ReportError::Fields(FieldProblems(vec![problem(
                format!("{path}.owner"),
                "only requests for information and work programme items have an owner and a due date",
            )])));
        }
        let id = match &previous {
            Some(p) => p.id,
            None => self.fresh_id(),
        };
        let answer = previous
            .as_ref()
            .filter(|p| p.kind == EntryKind::Recommendation && input.kind == EntryKind::Recommendation)
            .and_then(|p| p.answer.clone());
        let tracking = input.kind.is_tracked().then(|| {
            let done = previous.as_ref().and_then(|p| p.tracking.as_ref()).and_then(|t| t.done.clone());
            Tracking { owner: input.owner.clone(), due_on: input.due_on, done }
        });
        Ok(Entry { id, kind: input.kind, text: input.text.trim().to_string(), answer, tracking })
    }

    /// Replaces the details, sections and entries with `input`. Sections and entries
    /// sent with an `id` keep it, and an entry keeps its answer (while it stays a
    /// recommendation) and its completion (while it stays tracked).
    fn replace(&mut self, input: ReportInput) -> Result<(), ReportError> {
        let mut old: Vec<Entry> = self.sections.iter().flat_map(|s| s.entries.iter().cloned()).collect();
        let old_sections: Vec<PartId> = self.sections.iter().map(|s| s.id).collect();
        let mut sections = Vec::new();
        for (s, section) in input.sections.into_iter().enumerate() {
            let id = match section.id {
                Some(id) if old_sections.contains(&id) && !sections.iter().any(|x: &ReportSection| x.id == id) => id,
                Some(id) => {
                    return fields(vec![problem(
                        format!("sections[{s}].id"),
                        format!("the report has no section {id}"),
                    )]);
                }
                None => self.fresh_id(),
            };
            let mut entries = Vec::new();
            for (e, entry) in section.entries.into_iter().enumerate() {
                let path = format!("sections[{s}].entries[{e}]");
                let previous = match entry.id {
                    Some(id) => match old.iter().position(|o| o.id == id) {
                        Some(at) => Some(old.remove(at)),
                        None => {
                            return fields(vec![problem(
                                format!("{path}.id"),
                                format!("the report has no entry {id}"),
                            )]);
                        }
                    },
                    None => None,
                };
                entries.push(self.entry_from(entry, previous, &path)?);
            }
            sections.push(ReportSection {
                id,
                heading: section.heading.trim().to_string(),
                text: section.text.trim().to_string(),
                entries,
            });
        }
        self.meeting_id = input.meeting_id;
        self.process_id = input.process_id;
        self.received_on = input.received_on;
        self.title = input.title.trim().to_string();
        self.letter = input.letter;
        self.members_present = input.members_present.trim().to_string();
        self.sections = sections;
        Ok(())
    }

    /// Applies one change, checked whole: on `Err` the report is as it was.
    pub fn apply(&mut self, edit: Edit) -> Result<(), ReportError> {
        let mut next = self.clone();
        next.apply_unchecked(edit)?;
        next.check()?;
        *self = next;
        Ok(())
    }

    fn apply_unchecked(&mut self, edit: Edit) -> Result<(), ReportError> {
        if !matches!(edit, Edit::Track { .. }) {
            self.refuse_if_published()?;
        }
        // Any change to what the response answers, or to its letter, needs a new review.
        if !matches!(edit, Edit::Track { .. } | Edit::Review(_)) {
            self.response.reviewed = None;
        }
        match edit {
            Edit::Replace(input) => self.replace(input)?,
            Edit::AddSection { heading, text } => {
                let id = self.fresh_id();
                self.sections.push(ReportSection {
                    id,
                    heading: heading.trim().to_string(),
                    text: text.trim().to_string(),
                    entries: Vec::new(),
                });
            }
            Edit::UpdateSection { section, heading, text } => {
                let at = self.section_index(section)?;
                self.sections[at].heading = heading.trim().to_string();
                self.sections[at].text = text.trim().to_string();
            }
            Edit::MoveSection { section, direction } => {
                let at = self.section_index(section)?;
                match direction {
                    Direction::Up if at > 0 => self.sections.swap(at, at - 1),
                    Direction::Down if at + 1 < self.sections.len() => self.sections.swap(at, at + 1),
                    _ => {}
                }
            }
            Edit::RemoveSection { section } => {
                let at = self.section_index(section)?;
                self.sections.remove(at);
            }
            Edit::AddEntry { section, input } => {
                let at = self.section_index(section)?;
                let path = format!("sections[{at}].entries[{}]", self.sections[at].entries.len());
                let entry = self.entry_from(input, None, &path)?;
                self.sections[at].entries.push(entry);
            }
            Edit::UpdateEntry { entry, input } => {
                let (s, e) = self.entry_index(entry)?;
                let previous = self.sections[s].entries[e].clone();
                let updated = self.entry_from(input, Some(previous), &format!("sections[{s}].entries[{e}]"))?;
                self.sections[s].entries[e] = updated;
            }
            Edit::MoveEntry { entry, direction } => {
                let (s, e) = self.entry_index(entry)?;
                let sections = self.sections.len();
                let entries = &mut self.sections[s].entries;
                match direction {
                    Direction::Up if e > 0 => entries.swap(e, e - 1),
                    Direction::Down if e + 1 < entries.len() => entries.swap(e, e + 1),
                    // At either end of a section the entry moves into the next one, so an
                    // entry put under the wrong heading can be moved where it belongs.
                    Direction::Up if s > 0 => {
                        let moved = entries.remove(e);
                        self.sections[s - 1].entries.push(moved);
                    }
                    Direction::Down if s + 1 < sections => {
                        let moved = entries.remove(e);
                        self.sections[s + 1].entries.insert(0, moved);
                    }
                    _ => {}
                }
            }
            Edit::RemoveEntry { entry } => {
                let (s, e) = self.entry_index(entry)?;
                self.sections[s].entries.remove(e);
            }
            Edit::Answer { entry, answer } => {
                let (s, e) = self.entry_index(entry)?;
                let target = &mut self.sections[s].entries[e];
                if target.kind != EntryKind::Recommendation {
                    return Err(ReportError::Refused(format!(
                        "entry {entry} is a {}, not a recommendation; only recommendations are answered",
                        target.kind.label().to_lowercase()
                    )));
                }
                if answer.reasons.trim().is_empty() {
                    return fields(vec![problem("reasons", "give the reasons for the response")]);
                }
                let mut answer = answer;
                answer.reasons = answer.reasons.trim().to_string();
                target.answer = Some(answer);
            }
            Edit::ResponseLetter(letter) => {
                self.response.letter = ResponseLetter {
                    to: letter.to.trim().to_string(),
                    salutation: letter.salutation.trim().to_string(),
                    text: letter.text.trim().to_string(),
                    signed: letter.signed.trim().to_string(),
                };
            }
            Edit::Review(review) => {
                let mut problems = Vec::new();
                for (number, _, entry) in self.recommendations() {
                    if entry.answer.is_none() {
                        problems.push(problem(format!("answers.R{number}"), format!("R{number} has no answer yet")));
                    }
                }
                let letter = &self.response.letter;
                for (field, value, what) in [
                    ("letter.to", &letter.to, "to whom the response is addressed"),
                    ("letter.text", &letter.text, "the text of the covering letter"),
                    ("letter.signed", &letter.signed, "who signs the response"),
                ] {
                    if value.trim().is_empty() {
                        problems.push(problem(field, format!("enter {what}")));
                    }
                }
                if review.by.trim().is_empty() {
                    problems.push(problem("by", "say who reviewed the response"));
                }
                if review.on < self.received_on {
                    problems.push(problem(
                        "on",
                        format!(
                            "the review is dated {}, before the report was received on {}",
                            review.on, self.received_on
                        ),
                    ));
                }
                fields(problems)?;
                self.response.reviewed = Some(Review { by: review.by.trim().to_string(), on: review.on });
            }
            Edit::Track { entry, tracking } => {
                let (s, e) = self.entry_index(entry)?;
                let target = &mut self.sections[s].entries[e];
                if !target.kind.is_tracked() {
                    return Err(ReportError::Refused(format!(
                        "entry {entry} is a {}; only requests for information and work programme items are tracked",
                        target.kind.label().to_lowercase()
                    )));
                }
                if let Some(done) = &tracking.done
                    && done.on < self.received_on
                {
                    return fields(vec![problem(
                        "done_on",
                        format!("{} is before the report was received on {}", done.on, self.received_on),
                    )]);
                }
                let mut tracking = tracking;
                if let Some(done) = tracking.done.as_mut() {
                    done.provided = done.provided.trim().to_string();
                }
                if let Some(Owner::Officer(name)) = tracking.owner.as_mut() {
                    *name = name.trim().to_string();
                }
                target.tracking = Some(tracking);
            }
        }
        Ok(())
    }

    /// Checks that the response may be published on `publication.on` and marks it so.
    /// Refused when it is not reviewed, already published, or dated before the report
    /// was received or before it was given to the Panel. The store records the
    /// statutory clock's steps in the same transaction.
    pub fn publish(&mut self, publication: Publication) -> Result<(), ReportError> {
        if let Some(p) = &self.response.published {
            return Err(ReportError::Refused(format!("the response was already published on {}", p.on)));
        }
        if self.response.reviewed.is_none() {
            return Err(ReportError::Refused(String::from(
                "the response is not marked reviewed; answer every recommendation and mark it reviewed first",
            )));
        }
        let mut problems = Vec::new();
        if publication.on < self.received_on {
            problems.push(problem(
                "published_on",
                format!("{} is before the report was received on {}", publication.on, self.received_on),
            ));
        }
        if publication.sent_to_panel_on < self.received_on {
            problems.push(problem(
                "sent_to_panel_on",
                format!("{} is before the report was received on {}", publication.sent_to_panel_on, self.received_on),
            ));
        }
        if publication.sent_to_panel_on > publication.on {
            problems.push(problem(
                "sent_to_panel_on",
                "the response is given to the Panel on or before the day it is published (PRSRA 2011 s.5(6)(e)-(f))",
            ));
        }
        if publication.by.trim().is_empty() {
            problems.push(problem("by", "say who published the response"));
        }
        fields(problems)?;
        self.response.published = Some(publication);
        self.response.content_hash = Some(self.public_hash());
        Ok(())
    }

    /// The hash of [`Report::public`] as it is now.
    pub fn public_hash(&self) -> String {
        crate::file::json_hash(&self.public())
    }

    /// Whether the published response still has the hash recorded when it was published;
    /// `None` before publication (or for one published before hashes were recorded).
    pub fn response_intact(&self) -> Option<bool> {
        self.response.content_hash.as_ref().map(|hash| *hash == self.public_hash())
    }

    /// The report as the public may see it: the Panel's report whole, and the answers
    /// and the response letter only once the response is published. Tracking and
    /// reviews are internal and never in it.
    pub fn public(&self) -> PublicReport {
        let published = self.response.published.as_ref();
        let numbers = self.recommendations();
        PublicReport {
            id: self.id,
            meeting_id: self.meeting_id,
            received_on: self.received_on,
            title: self.title.clone(),
            letter: self.letter.clone(),
            members_present: self.members_present.clone(),
            sections: self
                .sections
                .iter()
                .map(|s| PublicSection {
                    heading: s.heading.clone(),
                    text: s.text.clone(),
                    entries: s
                        .entries
                        .iter()
                        .map(|e| PublicEntry {
                            id: e.id,
                            kind: e.kind,
                            number: numbers.iter().find(|(_, _, x)| x.id == e.id).map(|(n, _, _)| format!("R{n}")),
                            text: e.text.clone(),
                            answer: self.published_answer(e.id).cloned(),
                        })
                        .collect(),
                })
                .collect(),
            response_published_on: published.map(|p| p.on),
            response_letter: published.map(|_| self.response.letter.clone()),
            illustrative: self.illustrative,
        }
    }
}

/// The public view of a report ([`Report::public`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicReport {
    pub id: ReportId,
    pub meeting_id: MeetingId,
    pub received_on: NaiveDate,
    pub title: String,
    pub letter: Letter,
    pub members_present: String,
    pub sections: Vec<PublicSection>,
    /// `None` until the response is published.
    pub response_published_on: Option<NaiveDate>,
    pub response_letter: Option<ResponseLetter>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicSection {
    pub heading: String,
    pub text: String,
    pub entries: Vec<PublicEntry>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicEntry {
    pub id: PartId,
    pub kind: EntryKind,
    /// `R1`... for recommendations.
    pub number: Option<String>,
    pub text: String,
    /// Only once the response is published.
    pub answer: Option<Answer>,
}

/// The response document: a letter followed by a table of the recommendations, built
/// from the records and nothing else. The HTML page renders exactly this; a PDF
/// renderer can render the same value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponseDocument {
    /// `Response to the Police and Crime Panel's report: ...`.
    pub title: String,
    /// True until the response is published: the document must then say it is a draft.
    pub draft: bool,
    /// The date line: the publication date, or `Draft: not yet published`.
    pub date: String,
    /// The addressee, one line each.
    pub to: Vec<String>,
    pub salutation: String,
    pub paragraphs: Vec<String>,
    /// The signature block, one line each.
    pub signed: Vec<String>,
    pub rows: Vec<ResponseRow>,
    pub illustrative: bool,
}

/// One row of the response table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponseRow {
    /// `R1`.
    pub number: String,
    /// The section the recommendation sits in.
    pub topic: String,
    pub recommendation: String,
    /// `Accepted`, or `No answer yet` while drafting.
    pub stance: String,
    pub reasons: String,
    /// The plan records changed, as `Commitment: Tackle knife crime`; empty when none.
    pub changes: Vec<String>,
}

/// Paragraphs of a text separated by blank lines, each trimmed, empty ones dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n").split("\n\n").map(|p| p.trim().to_string()).filter(|p| !p.is_empty()).collect()
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(|l| l.trim().to_string()).filter(|l| !l.is_empty()).collect()
}

/// `14 February 2014`.
fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// Builds the response document of a report from its records. It shows the saved
/// answers whatever the state, marked as a draft until published; who may see a draft
/// is for the caller to decide.
pub fn response_document(report: &Report) -> ResponseDocument {
    let letter = &report.response.letter;
    let published = report.response.published.as_ref();
    let rows = report
        .recommendations()
        .into_iter()
        .map(|(n, section, entry)| {
            let (stance, reasons, changes) = match &entry.answer {
                Some(a) => (
                    a.stance.label().to_string(),
                    a.reasons.clone(),
                    a.changes.iter().map(|c| format!("{}: {}", crate_label(c.kind), c.title)).collect(),
                ),
                None => (String::from("No answer yet"), String::new(), Vec::new()),
            };
            ResponseRow {
                number: format!("R{n}"),
                topic: section.heading.clone(),
                recommendation: entry.text.clone(),
                stance,
                reasons,
                changes,
            }
        })
        .collect();
    ResponseDocument {
        title: format!("Response to the Police and Crime Panel's report: {}", report.title),
        draft: published.is_none(),
        date: published.map(|p| long_date(p.on)).unwrap_or_else(|| String::from("Draft: not yet published")),
        to: lines(&letter.to),
        salutation: letter.salutation.clone(),
        paragraphs: paragraphs(&letter.text),
        signed: lines(&letter.signed),
        rows,
        illustrative: report.illustrative,
    }
}

/// `Commitment` from the record kind's label.
fn crate_label(kind: RecordKind) -> String {
    let label = kind.label();
    let mut chars = label.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
