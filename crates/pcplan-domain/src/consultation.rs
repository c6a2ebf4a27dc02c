//! Consultation: exercises, their questions, events and channels, respondents and their
//! answers, and what staff decide about the themes found in them.
//!
//! The 2021 West Midlands consultation (seed 005) is the shape: a call for evidence
//! open for weeks, answered through an online survey, written submissions, partner
//! networks and youth channels, with roundtables chaired by the Commissioner, then
//! themes that shaped the plan's priorities. This module says what a valid exercise,
//! question, event and survey submission are, and what a theme's link to the plan must
//! hold. It does not find themes (`pcplan-themes` does), read files (`pcplan-import`),
//! redact text ([`crate::redact`]) or store anything; and it never reads a clock: every
//! rule that depends on the date takes it as an argument.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::clock::{FieldProblem, FieldProblems};
use crate::ids::{ItemId, PlanId, QuestionId, UserId};

/// What an exercise is, as an OPCC would list it in its consultation report.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseKind {
    /// An open call for views, answered in writing or through a survey.
    CallForEvidence,
    /// A structured public survey.
    PublicSurvey,
    /// Roundtables or public events.
    Events,
    /// Engagement with young people: youth commissioners, cadets, youth networks.
    YouthEngagement,
    /// Submissions gathered through partner networks (councils, community safety
    /// partnerships, the voluntary sector).
    PartnerSubmissions,
    /// The consultation of the Chief Constable, PRSRA 2011 s.5(6)(a).
    ChiefConstable,
}

impl ExerciseKind {
    pub const ALL: [ExerciseKind; 6] = [
        ExerciseKind::CallForEvidence,
        ExerciseKind::PublicSurvey,
        ExerciseKind::Events,
        ExerciseKind::YouthEngagement,
        ExerciseKind::PartnerSubmissions,
        ExerciseKind::ChiefConstable,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            ExerciseKind::CallForEvidence => "call_for_evidence",
            ExerciseKind::PublicSurvey => "public_survey",
            ExerciseKind::Events => "events",
            ExerciseKind::YouthEngagement => "youth_engagement",
            ExerciseKind::PartnerSubmissions => "partner_submissions",
            ExerciseKind::ChiefConstable => "chief_constable",
        }
    }

    pub fn parse(name: &str) -> Option<ExerciseKind> {
        ExerciseKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            ExerciseKind::CallForEvidence => "Call for evidence",
            ExerciseKind::PublicSurvey => "Public survey",
            ExerciseKind::Events => "Roundtables and events",
            ExerciseKind::YouthEngagement => "Youth engagement",
            ExerciseKind::PartnerSubmissions => "Partner network submissions",
            ExerciseKind::ChiefConstable => "Consultation of the Chief Constable",
        }
    }
}

/// How a response reached the office. Every response has exactly one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    /// pcplan's own public survey form.
    OnlineSurvey,
    /// A letter or e-mail, typed in by staff.
    WrittenSubmission,
    /// Notes of a roundtable or public event.
    Event,
    /// Youth commissioners, cadets, youth networks and local youth channels.
    Youth,
    /// A partner network's collected submissions.
    PartnerNetwork,
    /// The Chief Constable's response.
    ChiefConstable,
    /// Rows imported from another survey tool's export.
    Imported,
}

impl Channel {
    pub const ALL: [Channel; 7] = [
        Channel::OnlineSurvey,
        Channel::WrittenSubmission,
        Channel::Event,
        Channel::Youth,
        Channel::PartnerNetwork,
        Channel::ChiefConstable,
        Channel::Imported,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::OnlineSurvey => "online_survey",
            Channel::WrittenSubmission => "written_submission",
            Channel::Event => "event",
            Channel::Youth => "youth",
            Channel::PartnerNetwork => "partner_network",
            Channel::ChiefConstable => "chief_constable",
            Channel::Imported => "imported",
        }
    }

    pub fn parse(name: &str) -> Option<Channel> {
        Channel::ALL.into_iter().find(|c| c.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Channel::OnlineSurvey => "Online survey",
            Channel::WrittenSubmission => "Written submission",
            Channel::Event => "Roundtable or event",
            Channel::Youth => "Youth channels",
            Channel::PartnerNetwork => "Partner networks",
            Channel::ChiefConstable => "Chief Constable",
            Channel::Imported => "Imported from another survey tool",
        }
    }
}

/// Where an exercise is in its life on a given day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseState {
    Upcoming,
    Open,
    Closed,
}

impl ExerciseState {
    pub fn label(&self) -> &'static str {
        match self {
            ExerciseState::Upcoming => "Not yet open",
            ExerciseState::Open => "Open",
            ExerciseState::Closed => "Closed",
        }
    }
}

/// Everything staff write about an exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExerciseContent {
    pub title: String,
    pub kind: ExerciseKind,
    /// The part of the public URL: `/consultations/{slug}`. Stable once published.
    pub slug: String,
    /// What the exercise asks and why, shown on its public page.
    pub summary: String,
    /// The first day responses are accepted.
    pub opens: NaiveDate,
    /// The last day responses are accepted (the whole day counts).
    pub closes: NaiveDate,
    /// The channels responses arrive through.
    pub channels: Vec<Channel>,
    /// The privacy notice shown before a respondent submits: who holds the data, why,
    /// for how long, and their rights (UK GDPR arts 13-14).
    #[serde(default)]
    pub privacy_notice: String,
    /// The plan the exercise informs.
    #[serde(default)]
    pub plan: Option<PlanId>,
    /// A note shown with the exercise (the demo marks its illustrative content here).
    #[serde(default)]
    pub note: String,
}

/// The longest a theme label, question or option may be; longer is a slip of the paste.
const SHORT_TEXT: usize = 300;

impl ExerciseContent {
    /// Every field that breaks its rule, named as the form names it.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(FieldProblem::new("title", "enter the title of the exercise"));
        } else if self.title.chars().count() > SHORT_TEXT {
            problems.push(FieldProblem::new("title", format!("the title must be {SHORT_TEXT} characters or fewer")));
        }
        if let Err(problem) = check_slug(&self.slug) {
            problems.push(FieldProblem::new("slug", problem));
        }
        if self.summary.trim().is_empty() {
            problems.push(FieldProblem::new("summary", "enter a summary of what the exercise asks and why"));
        }
        if self.closes < self.opens {
            problems.push(FieldProblem::new(
                "closes",
                format!("the closing date ({}) must be on or after the opening date ({})", self.closes, self.opens),
            ));
        }
        if self.channels.is_empty() {
            problems.push(FieldProblem::new("channels", "choose at least one channel responses arrive through"));
        }
        if self.channels.contains(&Channel::OnlineSurvey) && self.privacy_notice.trim().is_empty() {
            problems.push(FieldProblem::new(
                "privacy_notice",
                "enter the privacy notice respondents read before they submit; an online survey needs one",
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }

    /// Where the exercise is on `today`.
    pub fn state(&self, today: NaiveDate) -> ExerciseState {
        if today < self.opens {
            ExerciseState::Upcoming
        } else if today <= self.closes {
            ExerciseState::Open
        } else {
            ExerciseState::Closed
        }
    }

    /// Whether the public survey form takes responses on `today`.
    pub fn survey_open(&self, today: NaiveDate) -> bool {
        self.channels.contains(&Channel::OnlineSurvey) && self.state(today) == ExerciseState::Open
    }

    /// The exercise runs for fewer weeks than the body's survey length setting (six by
    /// default; see `clock::RULES`): a warning for staff, not a refusal, because short
    /// events and the Chief Constable's consultation are not surveys.
    pub fn shorter_than(&self, weeks: u32) -> Option<String> {
        let days = (self.closes - self.opens).num_days() + 1;
        let wanted = i64::from(weeks) * 7;
        (days < wanted && matches!(self.kind, ExerciseKind::PublicSurvey | ExerciseKind::CallForEvidence)).then(|| {
            format!("open for {days} days; the body's setting asks for at least {weeks} weeks ({wanted} days)")
        })
    }
}

/// A slug is lowercase letters, digits and single hyphens: `call-for-evidence-2021`.
pub fn check_slug(slug: &str) -> Result<(), String> {
    if slug.is_empty() {
        return Err("enter the web address part, like `call-for-evidence-2021`".to_owned());
    }
    let ok = slug.len() <= 80
        && slug.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
        && !slug.contains("--");
    if ok {
        Ok(())
    } else {
        Err(format!(
            "`{slug}` is not a web address part; use lowercase letters, digits and single hyphens, like \
             `call-for-evidence-2021`"
        ))
    }
}

/// Free text or a choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionKind {
    /// A free-text answer, which theme analysis reads.
    Open,
    /// Exactly one of the options (radios).
    Single,
    /// Any number of the options (checkboxes).
    Multiple,
}

impl QuestionKind {
    pub const ALL: [QuestionKind; 3] = [QuestionKind::Open, QuestionKind::Single, QuestionKind::Multiple];

    pub fn as_str(&self) -> &'static str {
        match self {
            QuestionKind::Open => "open",
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
        }
    }

    pub fn parse(name: &str) -> Option<QuestionKind> {
        QuestionKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            QuestionKind::Open => "Free text",
            QuestionKind::Single => "Choose one",
            QuestionKind::Multiple => "Choose any",
        }
    }
}

/// The default and the ceiling of a free-text answer's length, in characters. The
/// ceiling keeps one submission from filling the database; 20,000 characters is
/// several pages, far beyond any survey answer.
pub const DEFAULT_MAX_CHARS: u32 = 5_000;
pub const MAX_CHARS_CEILING: u32 = 20_000;

/// One question of an exercise.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionContent {
    /// Position in the survey, from 1.
    pub number: u32,
    pub text: String,
    /// Hint text under the question.
    #[serde(default)]
    pub hint: String,
    pub kind: QuestionKind,
    /// The options of a choice question, in order; empty for free text.
    #[serde(default)]
    pub options: Vec<String>,
    #[serde(default)]
    pub required: bool,
    /// The longest free-text answer accepted, in characters.
    #[serde(default = "default_max_chars")]
    pub max_chars: u32,
}

fn default_max_chars() -> u32 {
    DEFAULT_MAX_CHARS
}

impl QuestionContent {
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if self.number == 0 {
            problems.push(FieldProblem::new("number", "question numbers start at 1"));
        }
        if self.text.trim().is_empty() {
            problems.push(FieldProblem::new("text", "enter the question"));
        } else if self.text.chars().count() > SHORT_TEXT * 2 {
            problems
                .push(FieldProblem::new("text", format!("a question must be {} characters or fewer", SHORT_TEXT * 2)));
        }
        match self.kind {
            QuestionKind::Open => {
                if !self.options.is_empty() {
                    problems.push(FieldProblem::new("options", "a free-text question has no options; remove them"));
                }
                if self.max_chars == 0 || self.max_chars > MAX_CHARS_CEILING {
                    problems.push(FieldProblem::new(
                        "max_chars",
                        format!("the answer limit must be between 1 and {MAX_CHARS_CEILING} characters"),
                    ));
                }
            }
            QuestionKind::Single | QuestionKind::Multiple => {
                let mut seen = BTreeSet::new();
                for (i, option) in self.options.iter().enumerate() {
                    if option.trim().is_empty() {
                        problems.push(FieldProblem::new("options", format!("option {} is empty", i + 1)));
                    } else if !seen.insert(option.trim().to_lowercase()) {
                        problems
                            .push(FieldProblem::new("options", format!("option `{}` is given twice", option.trim())));
                    }
                }
                if self.options.len() < 2 {
                    problems.push(FieldProblem::new("options", "a choice question needs at least two options"));
                }
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// A stored question: its identity and content.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub id: QuestionId,
    #[serde(flatten)]
    pub content: QuestionContent,
}

/// A roundtable, public event or youth session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EventContent {
    pub title: String,
    pub held_on: NaiveDate,
    #[serde(default)]
    pub place: String,
    /// Who organised it: the OPCC, a partner, a youth network.
    #[serde(default)]
    pub organisers: String,
    #[serde(default)]
    pub chair: String,
    /// How many attended.
    #[serde(default)]
    pub attendees: u32,
    /// Who attended, as the notes record them (organisations or roles, not private
    /// individuals' names).
    #[serde(default)]
    pub attendee_groups: String,
    /// The notes of what was said.
    #[serde(default)]
    pub notes: String,
}

impl EventContent {
    pub fn check(&self, exercise: &ExerciseContent) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(FieldProblem::new("title", "enter the title of the event"));
        }
        if self.held_on < exercise.opens || self.held_on > exercise.closes {
            problems.push(FieldProblem::new(
                "held_on",
                format!(
                    "the event must be held while the exercise runs ({} to {}); this date is {}",
                    exercise.opens, exercise.closes, self.held_on
                ),
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// Who is responding, as they describe themselves; every field is optional.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RespondentType {
    Resident,
    YoungPerson,
    VictimOrSurvivor,
    Business,
    VoluntaryOrCommunityOrganisation,
    PublicSectorPartner,
    ElectedRepresentative,
    PoliceOfficerOrStaff,
    Other,
}

impl RespondentType {
    pub const ALL: [RespondentType; 9] = [
        RespondentType::Resident,
        RespondentType::YoungPerson,
        RespondentType::VictimOrSurvivor,
        RespondentType::Business,
        RespondentType::VoluntaryOrCommunityOrganisation,
        RespondentType::PublicSectorPartner,
        RespondentType::ElectedRepresentative,
        RespondentType::PoliceOfficerOrStaff,
        RespondentType::Other,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            RespondentType::Resident => "resident",
            RespondentType::YoungPerson => "young_person",
            RespondentType::VictimOrSurvivor => "victim_or_survivor",
            RespondentType::Business => "business",
            RespondentType::VoluntaryOrCommunityOrganisation => "voluntary_or_community_organisation",
            RespondentType::PublicSectorPartner => "public_sector_partner",
            RespondentType::ElectedRepresentative => "elected_representative",
            RespondentType::PoliceOfficerOrStaff => "police_officer_or_staff",
            RespondentType::Other => "other",
        }
    }

    pub fn parse(name: &str) -> Option<RespondentType> {
        RespondentType::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            RespondentType::Resident => "A resident",
            RespondentType::YoungPerson => "A young person (under 25)",
            RespondentType::VictimOrSurvivor => "A victim or survivor of crime",
            RespondentType::Business => "A business",
            RespondentType::VoluntaryOrCommunityOrganisation => "A voluntary or community organisation",
            RespondentType::PublicSectorPartner => "A public sector partner (council, health, fire, probation)",
            RespondentType::ElectedRepresentative => "An elected representative",
            RespondentType::PoliceOfficerOrStaff => "A police officer or member of police staff",
            RespondentType::Other => "Other",
        }
    }

    /// Reads the respondent type an export from another tool wrote: our own names,
    /// our labels, and the common words ("Individual", "Organisation", "Company").
    pub fn from_export(value: &str) -> Option<RespondentType> {
        let v = value.trim().to_lowercase();
        if v.is_empty() {
            return None;
        }
        if let Some(t) = RespondentType::parse(&v) {
            return Some(t);
        }
        if let Some(t) = RespondentType::ALL.into_iter().find(|t| t.label().to_lowercase() == v) {
            return Some(t);
        }
        // Short words ("mp") must be whole words, or "company" would be an MP.
        let words: Vec<&str> = v.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).collect();
        let has =
            |needles: &[&str]| needles.iter().any(|n| if n.len() <= 3 { words.contains(n) } else { v.contains(n) });
        Some(if has(&["young", "youth", "student", "cadet"]) {
            RespondentType::YoungPerson
        } else if has(&["victim", "survivor"]) {
            RespondentType::VictimOrSurvivor
        } else if has(&["police", "officer", "pcso", "staff"]) {
            RespondentType::PoliceOfficerOrStaff
        } else if has(&["councillor", "mp", "elected", "mayor"]) {
            RespondentType::ElectedRepresentative
        } else if has(&["council", "authority", "nhs", "health", "fire", "probation", "public sector"]) {
            RespondentType::PublicSectorPartner
        } else if has(&["charity", "voluntary", "community", "third sector", "organisation", "organization"]) {
            RespondentType::VoluntaryOrCommunityOrganisation
        } else if has(&["business", "company", "ltd", "employer", "firm"]) {
            RespondentType::Business
        } else if has(&["individual", "resident", "member of the public", "myself", "personal"]) {
            RespondentType::Resident
        } else {
            RespondentType::Other
        })
    }
}

/// The optional equality questions, with the answers offered. The categories follow the
/// ONS harmonised standards in their short forms, each with "Prefer not to say".
pub const DEMOGRAPHICS: &[(&str, &str, &[&str])] = &[
    (
        "age_band",
        "What is your age?",
        &[
            "Under 16",
            "16 to 24",
            "25 to 34",
            "35 to 44",
            "45 to 54",
            "55 to 64",
            "65 to 74",
            "75 or over",
            "Prefer not to say",
        ],
    ),
    ("sex", "What is your sex?", &["Female", "Male", "Prefer not to say"]),
    (
        "ethnic_group",
        "What is your ethnic group?",
        &[
            "Asian or Asian British",
            "Black, Black British, Caribbean or African",
            "Mixed or multiple ethnic groups",
            "White",
            "Other ethnic group",
            "Prefer not to say",
        ],
    ),
    (
        "disability",
        "Do you have a physical or mental health condition or illness lasting or expected to last 12 months or more?",
        &["Yes", "No", "Prefer not to say"],
    ),
];

/// What a respondent tells us about themselves. Everything is optional.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Respondent {
    #[serde(default)]
    pub kind: Option<RespondentType>,
    /// The organisation responded for, when it is one.
    #[serde(default)]
    pub organisation: String,
    /// The local authority area, by ONS code (`E08000025`).
    #[serde(default)]
    pub area: Option<String>,
    /// Answers to [`DEMOGRAPHICS`], by key.
    #[serde(default)]
    pub demographics: BTreeMap<String, String>,
}

/// One answer: free text, or the options chosen.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AnswerValue {
    Text(String),
    Choices(Vec<String>),
}

impl AnswerValue {
    pub fn is_empty(&self) -> bool {
        match self {
            AnswerValue::Text(text) => text.trim().is_empty(),
            AnswerValue::Choices(choices) => choices.is_empty(),
        }
    }

    /// The answer as one line of text: the text, or the choices joined by "; ".
    pub fn display(&self) -> String {
        match self {
            AnswerValue::Text(text) => text.clone(),
            AnswerValue::Choices(choices) => choices.join("; "),
        }
    }
}

/// The most characters one submission may hold across all its answers: beyond it a
/// submission is refused as a flood, whatever each question allows.
pub const MAX_SUBMISSION_CHARS: usize = 60_000;

/// A completed survey, as the public form or the API hands it in.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    pub answers: BTreeMap<QuestionId, AnswerValue>,
    #[serde(default)]
    pub respondent: Respondent,
    /// The respondent read the privacy notice and agrees to their answers being used
    /// as it says. Required.
    #[serde(default)]
    pub consent: bool,
    /// Whether anonymised quotes from the answers may be published: `None` when the
    /// form did not ask (imports from tools that did not).
    #[serde(default)]
    pub publish_consent: Option<bool>,
}

/// Answers are named in problems as `q-{number}`, the form's field names.
pub fn question_field(number: u32) -> String {
    format!("q-{number}")
}

impl Submission {
    /// Every way the submission breaks the exercise's questions or the form's rules,
    /// each named by the form field. `areas` are the body's local authority codes.
    pub fn check(&self, questions: &[Question], areas: &[&str]) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        for id in self.answers.keys() {
            if !questions.iter().any(|q| q.id == *id) {
                problems.push(FieldProblem::new("answers", format!("question {id} is not part of this exercise")));
            }
        }
        let mut total = 0usize;
        for question in questions {
            let field = question_field(question.content.number);
            let answer = self.answers.get(&question.id).filter(|a| !a.is_empty());
            let Some(answer) = answer else {
                if question.content.required {
                    problems.push(FieldProblem::new(field, "answer this question; it is required"));
                }
                continue;
            };
            match (question.content.kind, answer) {
                (QuestionKind::Open, AnswerValue::Text(text)) => {
                    let chars = text.chars().count();
                    total += chars;
                    if chars > question.content.max_chars as usize {
                        problems.push(FieldProblem::new(
                            field,
                            format!(
                                "your answer is {chars} characters; the limit is {}, so shorten it by {}",
                                question.content.max_chars,
                                chars - question.content.max_chars as usize
                            ),
                        ));
                    }
                }
                (QuestionKind::Single | QuestionKind::Multiple, AnswerValue::Choices(choices)) => {
                    for choice in choices {
                        total += choice.len();
                        if !question.content.options.iter().any(|o| o == choice) {
                            problems.push(FieldProblem::new(
                                field.clone(),
                                format!("`{choice}` is not one of the options"),
                            ));
                        }
                    }
                    if question.content.kind == QuestionKind::Single && choices.len() > 1 {
                        problems.push(FieldProblem::new(field, "choose only one option"));
                    }
                }
                (QuestionKind::Open, AnswerValue::Choices(_)) => {
                    problems.push(FieldProblem::new(field, "this question takes a written answer"));
                }
                (_, AnswerValue::Text(_)) => {
                    problems.push(FieldProblem::new(field, "choose from the options"));
                }
            }
        }
        if total > MAX_SUBMISSION_CHARS {
            problems.push(FieldProblem::new(
                "answers",
                format!("the answers hold {total} characters; one response may hold at most {MAX_SUBMISSION_CHARS}"),
            ));
        }
        if let Some(area) = &self.respondent.area
            && !areas.contains(&area.as_str())
        {
            problems.push(FieldProblem::new("area", format!("`{area}` is not one of the areas offered")));
        }
        for (key, value) in &self.respondent.demographics {
            match DEMOGRAPHICS.iter().find(|(k, _, _)| k == key) {
                None => problems.push(FieldProblem::new(key.clone(), format!("`{key}` is not an equality question"))),
                Some((_, _, options)) if !options.contains(&value.as_str()) => {
                    problems.push(FieldProblem::new(key.clone(), format!("`{value}` is not one of the options")))
                }
                Some(_) => {}
            }
        }
        if self.respondent.organisation.chars().count() > SHORT_TEXT {
            problems.push(FieldProblem::new(
                "organisation",
                format!("the organisation's name must be {SHORT_TEXT} characters or fewer"),
            ));
        }
        if !self.consent {
            problems.push(FieldProblem::new(
                "consent",
                "confirm that you have read the privacy notice and agree to your answers being used as it describes",
            ));
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// Who made an assignment of a response to a theme.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssignedBy {
    /// The analysis, with its score.
    Machine,
    /// A member of staff, who moved or added it by hand.
    Person { user: UserId },
}

/// A theme set version is a draft while staff review it, then final; a final version
/// never changes, and further review starts a new draft version from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ThemeSetState {
    Draft,
    Final,
}

impl ThemeSetState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ThemeSetState::Draft => "draft",
            ThemeSetState::Final => "final",
        }
    }

    pub fn parse(name: &str) -> Option<ThemeSetState> {
        match name {
            "draft" => Some(ThemeSetState::Draft),
            "final" => Some(ThemeSetState::Final),
            _ => None,
        }
    }
}

/// Checks a theme label as staff type it.
pub fn check_theme_label(label: &str) -> Result<(), FieldProblem> {
    if label.trim().is_empty() {
        Err(FieldProblem::new("label", "enter a name for the theme"))
    } else if label.chars().count() > SHORT_TEXT {
        Err(FieldProblem::new("label", format!("a theme name must be {SHORT_TEXT} characters or fewer")))
    } else {
        Ok(())
    }
}

/// What a theme did to the plan: "you said, we did", or why it did not change it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum ThemeOutcome {
    /// The plan elements (objectives, priorities, commitments) the theme shaped.
    Shaped {
        items: Vec<ItemId>,
        /// "We did": what changed, in a sentence or two.
        note: String,
    },
    /// The theme did not change the plan, and why (outside the Commissioner's
    /// functions, already covered, for a partner to lead).
    NotChanged { reason: String },
}

impl ThemeOutcome {
    /// `plan_items` are the identities of the records of the plan version linked to.
    pub fn check(&self, plan_items: &[ItemId]) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        match self {
            ThemeOutcome::Shaped { items, note } => {
                if items.is_empty() {
                    problems.push(FieldProblem::new("items", "choose at least one part of the plan the theme shaped"));
                }
                for item in items {
                    if !plan_items.contains(item) {
                        problems.push(FieldProblem::new("items", format!("record {item} is not in the plan")));
                    }
                }
                if note.trim().is_empty() {
                    problems.push(FieldProblem::new("note", "say what the plan does in response (\"we did\")"));
                }
            }
            ThemeOutcome::NotChanged { reason } => {
                if reason.trim().is_empty() {
                    problems.push(FieldProblem::new("reason", "say why the theme did not change the plan"));
                }
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn exercise() -> ExerciseContent {
        ExerciseContent {
            title: "Police and Crime Plan call for evidence".to_owned(),
            kind: ExerciseKind::CallForEvidence,
            slug: "call-for-evidence-2021".to_owned(),
            summary: "Tell us what matters to you".to_owned(),
            opens: date(2021, 6, 1),
            closes: date(2021, 7, 12),
            channels: vec![Channel::OnlineSurvey, Channel::WrittenSubmission],
            privacy_notice: "The OPCC holds your answers for two years.".to_owned(),
            plan: None,
            note: String::new(),
        }
    }

    fn open_question(number: u32, required: bool) -> Question {
        Question {
            id: QuestionId::from_u128(u128::from(number)),
            content: QuestionContent {
                number,
                text: "What should the plan focus on?".to_owned(),
                hint: String::new(),
                kind: QuestionKind::Open,
                options: Vec::new(),
                required,
                max_chars: 100,
            },
        }
    }

    fn choice_question(number: u32, kind: QuestionKind) -> Question {
        Question {
            id: QuestionId::from_u128(u128::from(number)),
            content: QuestionContent {
                number,
                text: "How safe do you feel?".to_owned(),
                hint: String::new(),
                kind,
                options: vec!["Very safe".to_owned(), "Fairly safe".to_owned(), "Not safe".to_owned()],
                required: false,
                max_chars: DEFAULT_MAX_CHARS,
            },
        }
    }

    fn fields(result: Result<(), FieldProblems>) -> Vec<String> {
        result.err().map(|p| p.0.into_iter().map(|p| p.field).collect()).unwrap_or_default()
    }

    #[test]
    fn a_complete_exercise_passes_and_knows_when_it_is_open() {
        let e = exercise();
        assert_eq!(e.check(), Ok(()));
        assert_eq!(e.state(date(2021, 5, 31)), ExerciseState::Upcoming);
        assert_eq!(e.state(date(2021, 6, 1)), ExerciseState::Open);
        assert_eq!(e.state(date(2021, 7, 12)), ExerciseState::Open);
        assert_eq!(e.state(date(2021, 7, 13)), ExerciseState::Closed);
        assert!(e.survey_open(date(2021, 6, 20)));
        assert_eq!(e.shorter_than(6), None, "1 June to 12 July is 42 days, six weeks");
        let short = ExerciseContent { closes: date(2021, 7, 11), ..e };
        assert_eq!(
            short.shorter_than(6).as_deref(),
            Some("open for 41 days; the body's setting asks for at least 6 weeks (42 days)")
        );
    }

    #[test]
    fn an_exercise_names_each_broken_field() {
        let e = ExerciseContent {
            title: " ".to_owned(),
            slug: "Call For Evidence".to_owned(),
            summary: String::new(),
            closes: date(2021, 5, 1),
            privacy_notice: String::new(),
            ..exercise()
        };
        assert_eq!(fields(e.check()), ["title", "slug", "summary", "closes", "privacy_notice"]);
        let no_channels = ExerciseContent { channels: Vec::new(), ..exercise() };
        assert_eq!(fields(no_channels.check()), ["channels"]);
    }

    #[test]
    fn slugs_are_lowercase_words_joined_by_single_hyphens() {
        for good in ["call-for-evidence-2021", "survey", "a1"] {
            assert_eq!(check_slug(good), Ok(()), "{good}");
        }
        for bad in ["", "-a", "a-", "a--b", "A", "a b", "a/b", "é"] {
            assert!(check_slug(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn questions_check_their_options_by_kind() {
        assert_eq!(open_question(1, true).content.check(), Ok(()));
        assert_eq!(choice_question(2, QuestionKind::Single).content.check(), Ok(()));
        let mut q = choice_question(2, QuestionKind::Multiple).content;
        q.options = vec!["Yes".to_owned(), "yes ".to_owned()];
        assert_eq!(q.check().map_err(|p| p.to_string()), Err("options: option `yes` is given twice".to_owned()));
        q.options = vec!["Yes".to_owned()];
        assert_eq!(fields(q.check()), ["options"]);
        let mut open = open_question(0, false).content;
        open.options = vec!["x".to_owned()];
        open.max_chars = MAX_CHARS_CEILING + 1;
        assert_eq!(fields(open.check()), ["number", "options", "max_chars"]);
    }

    #[test]
    fn a_submission_is_checked_against_the_questions_and_needs_consent() {
        let questions = [open_question(1, true), choice_question(2, QuestionKind::Single)];
        let mut s = Submission::default();
        assert_eq!(fields(s.check(&questions, &["E08000025"])), ["q-1", "consent"]);
        s.answers.insert(questions[0].id, AnswerValue::Text("x".repeat(101)));
        s.answers.insert(questions[1].id, AnswerValue::Choices(vec!["Very safe".to_owned(), "Not safe".to_owned()]));
        s.respondent.area = Some("W06000015".to_owned());
        s.respondent.demographics.insert("age_band".to_owned(), "Ancient".to_owned());
        s.consent = true;
        let problems = s.check(&questions, &["E08000025"]).expect_err("four problems");
        assert_eq!(
            problems.to_string(),
            "q-1: your answer is 101 characters; the limit is 100, so shorten it by 1; \
             q-2: choose only one option; area: `W06000015` is not one of the areas offered; \
             age_band: `Ancient` is not one of the options"
        );
        s.answers.insert(questions[0].id, AnswerValue::Text("More officers on the street".to_owned()));
        s.answers.insert(questions[1].id, AnswerValue::Choices(vec!["Not safe".to_owned()]));
        s.respondent.area = Some("E08000025".to_owned());
        s.respondent.demographics.insert("age_band".to_owned(), "25 to 34".to_owned());
        assert_eq!(s.check(&questions, &["E08000025"]), Ok(()));
    }

    #[test]
    fn a_flood_of_text_is_refused_even_when_each_answer_fits() {
        let questions: Vec<Question> = (1..=4)
            .map(|n| {
                let mut q = open_question(n, false);
                q.content.max_chars = MAX_CHARS_CEILING;
                q
            })
            .collect();
        let mut s = Submission { consent: true, ..Submission::default() };
        for q in &questions {
            s.answers.insert(q.id, AnswerValue::Text("a".repeat(16_000)));
        }
        assert_eq!(fields(s.check(&questions, &[])), ["answers"]);
    }

    #[test]
    fn respondent_types_are_read_from_other_tools_words() {
        for (word, kind) in [
            ("Individual", RespondentType::Resident),
            ("Organisation", RespondentType::VoluntaryOrCommunityOrganisation),
            ("Company", RespondentType::Business),
            ("Local Authority", RespondentType::PublicSectorPartner),
            ("young_person", RespondentType::YoungPerson),
            ("A police officer or member of police staff", RespondentType::PoliceOfficerOrStaff),
            ("Martian", RespondentType::Other),
        ] {
            assert_eq!(RespondentType::from_export(word), Some(kind), "{word}");
        }
        assert_eq!(RespondentType::from_export("  "), None);
    }

    #[test]
    fn a_theme_outcome_needs_plan_records_and_a_note_or_a_reason() {
        let item = ItemId::from_u128(7);
        let shaped = ThemeOutcome::Shaped { items: vec![item], note: "A new objective".to_owned() };
        assert_eq!(shaped.check(&[item]), Ok(()));
        let wrong = ThemeOutcome::Shaped { items: vec![ItemId::from_u128(8)], note: String::new() };
        assert_eq!(fields(wrong.check(&[item])), ["items", "note"]);
        assert_eq!(fields(ThemeOutcome::NotChanged { reason: " ".to_owned() }.check(&[])), ["reason"]);
        assert!(check_theme_label("").is_err());
        assert!(check_theme_label("Road safety").is_ok());
    }

    #[test]
    fn exercise_and_submission_round_trip_as_json() {
        let e = exercise();
        let json = serde_json::to_string(&e).expect("serialises");
        assert_eq!(serde_json::from_str::<ExerciseContent>(&json).expect("parses"), e);
        let mut s = Submission { consent: true, publish_consent: Some(false), ..Submission::default() };
        s.answers.insert(QuestionId::from_u128(1), AnswerValue::Choices(vec!["A".to_owned()]));
        let json = serde_json::to_string(&s).expect("serialises");
        assert_eq!(serde_json::from_str::<Submission>(&json).expect("parses"), s);
    }
}
