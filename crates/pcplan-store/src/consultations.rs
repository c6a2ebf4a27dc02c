//! Consultation records: exercises with their questions and events, responses and their
//! answers (from the public form, staff and imports), theme sets with their versions,
//! themes and assignments, what each theme did to the plan, published quotes, and each
//! body's population table per area.
//!
//! Responses are written in bulk (an import of 100,000 rows is one transaction, in
//! multi-row statements), never one transaction per row, so an import is whole or
//! absent. A response's `fingerprint` is unique within its exercise: a re-import of the
//! same rows, or a form submitted twice, stores nothing new and says so.
//!
//! **The audit log never holds respondents' words or personal data**: it is append-only
//! and hash-chained, so anything written there could never be erased on request. A
//! response is audited by reference, channel and count of answers; an import by file
//! name, SHA-256 and row counts; everything staff change (exercises, questions, themes,
//! outcomes, populations) in full, as elsewhere.
//!
//! Theme set versions: each analysis run stores a new draft version; staff review a
//! draft (rename, merge, split, delete, move responses), then make it final. A final
//! version never changes (the store refuses, and database triggers refuse again);
//! further review starts a new draft copied from it. Outcomes (the links to the plan)
//! and published quotes belong to themes but are not part of the version: they are what
//! the office did with a final version.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Utc};
use pcplan_domain::consultation::{
    AnswerValue, Channel, EventContent, ExerciseContent, QuestionContent, QuestionKind, Respondent, RespondentType,
    Submission, ThemeOutcome, ThemeSetState, check_theme_label,
};
use pcplan_domain::{BodyId, EventId, ExerciseId, QuestionId, ResponseId, ThemeId, ThemeSetId, UserId};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, Change};
use crate::db::{Tx, audit_json, now, on_tx, parse_timestamp, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans};

/// Rows per multi-row INSERT: under SQLite's 32,766 bound parameters at 14 per row.
const CHUNK: usize = 500;

/// An exercise as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Exercise {
    pub id: ExerciseId,
    pub body_id: BodyId,
    pub content: ExerciseContent,
    /// When "you said, we did" was published; `None` until then.
    pub published_at: Option<DateTime<Utc>>,
    /// When staff made the exercise public; `None` while it is a draft that only staff
    /// see (its public page, survey and "you said, we did" are then not found).
    pub public_at: Option<DateTime<Utc>>,
}

/// An event as stored.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Event {
    pub id: EventId,
    pub exercise_id: ExerciseId,
    pub content: EventContent,
}

/// One response to store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewResponse {
    pub channel: Channel,
    pub submission: Submission,
    /// Unique within the exercise: the form's one-time token, or the import's hash of
    /// the mapped row.
    pub fingerprint: String,
    pub event: Option<EventId>,
    pub received_at: DateTime<Utc>,
    /// The line of the imported file the response came from.
    pub source_line: Option<i64>,
}

/// What storing one response did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Stored {
    pub id: ResponseId,
    /// The respondent's reference, from 1 in each exercise.
    pub reference: i64,
    /// The same fingerprint was stored before; nothing new was written.
    pub duplicate: bool,
}

/// A file of responses to import: all or nothing.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportBatch {
    pub file_name: String,
    pub sha256: String,
    /// The mapping, encoding, rows read and bad rows left out, as the import page
    /// showed them; kept with the import record.
    pub summary: serde_json::Value,
    pub rows: Vec<NewResponse>,
}

/// What an import did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ImportOutcome {
    pub import_id: String,
    pub stored: usize,
    /// Rows whose fingerprint was already stored (a re-import).
    pub duplicates: usize,
}

/// A past import of an exercise.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ImportRecord {
    pub id: String,
    pub file_name: String,
    pub sha256: String,
    pub summary: serde_json::Value,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

/// A stored response with its answers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ResponseRecord {
    pub id: ResponseId,
    pub exercise_id: ExerciseId,
    pub reference: i64,
    pub channel: Channel,
    pub received_at: DateTime<Utc>,
    pub respondent: Respondent,
    pub publish_consent: Option<bool>,
    pub event: Option<EventId>,
    pub source_line: Option<i64>,
    pub answers: BTreeMap<QuestionId, AnswerValue>,
}

/// One free-text answer, for analysis and review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerText {
    pub response: ResponseId,
    pub reference: i64,
    pub text: String,
}

/// Counts of an exercise's responses by one dimension.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dimension {
    Channel,
    RespondentType,
    Area,
}

impl Dimension {
    fn column(&self) -> &'static str {
        match self {
            Dimension::Channel => "r.channel",
            Dimension::RespondentType => "r.respondent_type",
            Dimension::Area => "r.area",
        }
    }
}

/// What an analysis run found, for the store to keep as a new draft version.
#[derive(Clone, Debug, PartialEq)]
pub struct NewThemeSet {
    pub info: ThemeSetInfo,
    pub themes: Vec<NewTheme>,
    /// (index into `themes`, response, score).
    pub assignments: Vec<(usize, ResponseId, f64)>,
}

/// A theme as the analysis found it.
#[derive(Clone, Debug, PartialEq)]
pub struct NewTheme {
    pub label: String,
    pub key_phrases: Vec<String>,
    /// The analysis's representative responses, best first.
    pub quotes: Vec<ResponseId>,
}

/// How a theme set version was made, kept with it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ThemeSetInfo {
    /// `tfidf-nmf`, or `copy` for a draft started from a final version.
    pub method: String,
    pub seed: u64,
    /// Answers analysed.
    pub responses: usize,
    pub duplicate_groups: usize,
    pub campaigns: usize,
    /// What the quality rules did, in words.
    #[serde(default)]
    pub flags: Vec<String>,
    /// Anything else worth saying (the embedding model was not found, so TF-IDF).
    #[serde(default)]
    pub note: String,
}

/// One version of a question's themes, without its themes.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThemeSet {
    pub id: ThemeSetId,
    pub question_id: QuestionId,
    pub version: i64,
    pub state: ThemeSetState,
    /// The version this draft was copied from.
    pub based_on: Option<i64>,
    pub info: ThemeSetInfo,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
    pub finalised_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
struct ThemeData {
    key_phrases: Vec<String>,
    #[serde(default)]
    description: String,
    #[serde(default)]
    quotes: Vec<ResponseId>,
}

/// A theme with its size.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Theme {
    pub id: ThemeId,
    pub set_id: ThemeSetId,
    pub position: i64,
    pub label: String,
    pub key_phrases: Vec<String>,
    pub description: String,
    /// The analysis's representative responses, best first.
    pub quotes: Vec<ResponseId>,
    /// Responses assigned.
    pub size: i64,
    /// Of which a person assigned by hand.
    pub by_hand: i64,
    pub outcome: Option<ThemeOutcome>,
}

/// A response in a theme.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ThemeMember {
    pub response: ResponseId,
    pub reference: i64,
    /// The machine's score; `None` when a person assigned it.
    pub score: Option<f64>,
    pub assigned_by: Option<UserId>,
    pub text: String,
    pub publish_consent: Option<bool>,
}

/// A quote to publish: the redacted text and the record of what was redacted.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PublishedQuote {
    pub theme: ThemeId,
    pub response: ResponseId,
    pub position: i64,
    pub text: String,
    /// What was removed, by kind and place (never the removed text).
    pub redactions: serde_json::Value,
    pub withdrawn: bool,
}

/// A row of a population table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Population {
    pub code: String,
    pub name: String,
    pub population: i64,
    pub source: String,
}

fn bad_fields(field: &str, problem: String) -> StoreError {
    StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![pcplan_domain::clock::FieldProblem::new(
        field, problem,
    )]))
}

fn parse_json<T: serde::de::DeserializeOwned>(what: impl Into<String>, data: &str) -> Result<T> {
    let what = what.into();
    serde_json::from_str(data).map_err(|e| corrupt(what, e))
}

fn parse_id<T: std::str::FromStr>(what: &str, text: &str) -> Result<T>
where
    T::Err: std::fmt::Display,
{
    text.parse().map_err(|e: T::Err| corrupt(format!("{what} `{text}`"), e))
}

type ExerciseRow = (String, String, String, Option<String>, Option<String>);

fn exercise_from(row: ExerciseRow) -> Result<Exercise> {
    let (id, body, data, published, public) = row;
    Ok(Exercise {
        id: parse_id("exercise id", &id)?,
        body_id: parse_id("body id", &body)?,
        content: parse_json(format!("exercise {id}"), &data)?,
        published_at: published.as_deref().map(parse_timestamp).transpose()?,
        public_at: public.as_deref().map(parse_timestamp).transpose()?,
    })
}

const EXERCISE_COLUMNS: &str = "SELECT id, body_id, data, published_at, public_at FROM exercises";

pub(crate) async fn load_exercise(tx: &mut Tx, id: ExerciseId) -> Result<Exercise> {
    let sql = format!("{EXERCISE_COLUMNS} WHERE id = $1");
    let row: Option<ExerciseRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(exercise_from).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("exercise {id}") })
}

async fn count_responses(tx: &mut Tx, exercise: ExerciseId) -> Result<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM responses WHERE exercise_id = $1")
        .bind(exercise.to_string()).fetch_one(&mut *c).await?);
    Ok(n)
}

pub(crate) async fn load_questions(
    tx: &mut Tx,
    exercise: ExerciseId,
) -> Result<Vec<pcplan_domain::consultation::Question>> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, data FROM questions WHERE exercise_id = $1 ORDER BY number")
        .bind(exercise.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(id, data)| {
            Ok(pcplan_domain::consultation::Question {
                id: parse_id("question id", &id)?,
                content: parse_json(format!("question {id}"), &data)?,
            })
        })
        .collect()
}

async fn question_exercise(tx: &mut Tx, question: QuestionId) -> Result<ExerciseId> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT exercise_id FROM questions WHERE id = $1")
        .bind(question.to_string()).fetch_optional(&mut *c).await?);
    let (id,) = row.ok_or_else(|| StoreError::NotFound { what: format!("question {question}") })?;
    parse_id("exercise id", &id)
}

async fn answered(tx: &mut Tx, question: QuestionId) -> Result<i64> {
    let (n,): (i64,) = on_tx!(tx, c => sqlx::query_as("SELECT COUNT(*) FROM answers WHERE question_id = $1")
        .bind(question.to_string()).fetch_one(&mut *c).await?);
    Ok(n)
}

fn audit_change(
    action: &'static str,
    entity: &'static str,
    id: String,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Change<'static> {
    Change { action, entity, entity_id: id, before, after }
}

/// Inserts responses (already checked) in multi-row statements, skipping fingerprints
/// already stored. Returns one [`Stored`] per row, in order.
async fn insert_responses(
    tx: &mut Tx,
    exercise: ExerciseId,
    rows: &[NewResponse],
    import: Option<&str>,
) -> Result<Vec<Stored>> {
    // A form's one response looks up only its own fingerprint (the unique index answers
    // it), so a survey with 100,000 responses does not read them all for each new one; a
    // large import reads the exercise's fingerprints once instead of asking row by row.
    let existing: Vec<(String, String, i64)> = if rows.len() <= CHUNK {
        let mut sql = String::from(
            "SELECT fingerprint, id, reference FROM responses WHERE exercise_id = $1 AND fingerprint IN (",
        );
        for i in 0..rows.len().max(1) {
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("${}", i + 2));
        }
        sql.push(')');
        macro_rules! bind_fingerprints {
            ($q:expr) => {{
                let mut q = $q.bind(exercise.to_string());
                if rows.is_empty() {
                    q = q.bind(String::new());
                }
                for row in rows {
                    q = q.bind(row.fingerprint.clone());
                }
                q
            }};
        }
        on_tx!(&mut *tx, c => bind_fingerprints!(sqlx::query_as(&sql)).fetch_all(&mut *c).await?)
    } else {
        on_tx!(&mut *tx, c => sqlx::query_as(
            "SELECT fingerprint, id, reference FROM responses WHERE exercise_id = $1")
            .bind(exercise.to_string()).fetch_all(&mut *c).await?)
    };
    let mut known: HashMap<String, (ResponseId, i64)> = HashMap::with_capacity(existing.len());
    for (fingerprint, id, reference) in existing {
        known.insert(fingerprint, (parse_id("response id", &id)?, reference));
    }
    let (highest,): (Option<i64>,) = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT MAX(reference) FROM responses WHERE exercise_id = $1")
        .bind(exercise.to_string()).fetch_one(&mut *c).await?);
    let mut next = highest.unwrap_or(0) + 1;
    let mut outcome = Vec::with_capacity(rows.len());
    let mut fresh: Vec<(ResponseId, i64, &NewResponse)> = Vec::new();
    for row in rows {
        if let Some(&(id, reference)) = known.get(&row.fingerprint) {
            outcome.push(Stored { id, reference, duplicate: true });
            continue;
        }
        let id = ResponseId::new();
        known.insert(row.fingerprint.clone(), (id, next));
        outcome.push(Stored { id, reference: next, duplicate: false });
        fresh.push((id, next, row));
        next += 1;
    }
    let created = timestamp(now());
    for chunk in fresh.chunks(CHUNK) {
        let mut sql = String::from(
            "INSERT INTO responses (id, exercise_id, reference, channel, received_at, respondent_type, area, \
             organisation, demographics, publish_consent, event_id, import_id, source_line, fingerprint, created_at) \
             VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 14;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!(
                "(${},${},${},${},${},${},${},${},${},${},${},${},${},${},${})",
                b + 1,
                b + 2,
                b + 3,
                b + 4,
                b + 5,
                b + 6,
                b + 7,
                b + 8,
                b + 9,
                b + 10,
                b + 11,
                b + 12,
                b + 13,
                b + 14,
                chunk.len() * 14 + 1
            ));
        }
        macro_rules! bind_all {
            ($q:expr) => {{
                let mut q = $q;
                for (id, reference, row) in chunk {
                    let r = &row.submission.respondent;
                    q = q
                        .bind(id.to_string())
                        .bind(exercise.to_string())
                        .bind(*reference)
                        .bind(row.channel.as_str())
                        .bind(timestamp(row.received_at))
                        .bind(r.kind.map(|k| k.as_str()))
                        .bind(r.area.clone())
                        .bind(r.organisation.clone())
                        .bind(to_json(&r.demographics)?)
                        .bind(row.submission.publish_consent.map(i64::from))
                        .bind(row.event.map(|e| e.to_string()))
                        .bind(import.map(str::to_owned))
                        .bind(row.source_line)
                        .bind(row.fingerprint.clone());
                }
                q.bind(created.clone())
            }};
        }
        on_tx!(&mut *tx, c => bind_all!(sqlx::query(&sql)).execute(&mut *c).await?.rows_affected());
    }
    let answers: Vec<(ResponseId, QuestionId, String, Option<String>)> = fresh
        .iter()
        .flat_map(|(id, _, row)| {
            row.submission.answers.iter().filter(|(_, a)| !a.is_empty()).map(move |(q, a)| {
                let choices = match a {
                    AnswerValue::Text(_) => None,
                    AnswerValue::Choices(c) => Some(serde_json::to_string(c).unwrap_or_default()),
                };
                (*id, *q, a.display(), choices)
            })
        })
        .collect();
    for chunk in answers.chunks(CHUNK) {
        let mut sql = String::from("INSERT INTO answers (response_id, question_id, text, choices) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${},${},${},${})", b + 1, b + 2, b + 3, b + 4));
        }
        macro_rules! bind_answers {
            ($q:expr) => {{
                let mut q = $q;
                for (response, question, text, choices) in chunk {
                    q = q
                        .bind(response.to_string())
                        .bind(question.to_string())
                        .bind(text.clone())
                        .bind(choices.clone());
                }
                q
            }};
        }
        on_tx!(&mut *tx, c => bind_answers!(sqlx::query(&sql)).execute(&mut *c).await?.rows_affected());
    }
    Ok(outcome)
}

async fn load_set(tx: &mut Tx, id: ThemeSetId) -> Result<ThemeSet> {
    let row: Option<SetRow> = on_tx!(tx, c => sqlx::query_as(&format!("{SET_COLUMNS} WHERE id = $1"))
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(set_from).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("theme set {id}") })
}

type SetRow = (String, String, i64, String, Option<i64>, String, String, String, Option<String>);
const SET_COLUMNS: &str = "SELECT id, question_id, version, state, based_on, data, created_by, created_at, finalised_at \
                           FROM theme_sets";

fn set_from(row: SetRow) -> Result<ThemeSet> {
    let (id, question, version, state, based_on, data, created_by, created_at, finalised_at) = row;
    Ok(ThemeSet {
        question_id: parse_id("question id", &question)?,
        version,
        state: ThemeSetState::parse(&state).ok_or_else(|| corrupt(format!("theme set {id} state"), &state))?,
        based_on,
        info: parse_json(format!("theme set {id}"), &data)?,
        created_by,
        created_at: parse_timestamp(&created_at)?,
        finalised_at: finalised_at.as_deref().map(parse_timestamp).transpose()?,
        id: parse_id("theme set id", &id)?,
    })
}

/// The draft a review change applies to; a final version is refused by name.
async fn draft(tx: &mut Tx, id: ThemeSetId) -> Result<ThemeSet> {
    let set = load_set(tx, id).await?;
    if set.state == ThemeSetState::Final {
        return Err(StoreError::Conflict(format!(
            "version {} of these themes is final and cannot change; start a new draft from it to review again",
            set.version
        )));
    }
    Ok(set)
}

async fn theme_set_of(tx: &mut Tx, theme: ThemeId) -> Result<ThemeSetId> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT set_id FROM themes WHERE id = $1")
        .bind(theme.to_string()).fetch_optional(&mut *c).await?);
    let (set,) = row.ok_or_else(|| StoreError::NotFound { what: format!("theme {theme}") })?;
    parse_id("theme set id", &set)
}

/// (response, reference, score, assigned by, answer text, publish consent).
type MemberRow = (String, i64, Option<f64>, Option<String>, Option<String>, Option<i64>);

type ThemeRow = (String, String, i64, String, String, i64, i64, Option<String>);

pub(crate) async fn load_themes(tx: &mut Tx, set: ThemeSetId) -> Result<Vec<Theme>> {
    let rows: Vec<ThemeRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT t.id, t.set_id, t.position, t.label, t.data, \
         (SELECT COUNT(*) FROM theme_assignments a WHERE a.theme_id = t.id), \
         (SELECT COUNT(*) FROM theme_assignments a WHERE a.theme_id = t.id AND a.assigned_by IS NOT NULL), \
         (SELECT o.data FROM theme_outcomes o WHERE o.theme_id = t.id) \
         FROM themes t WHERE t.set_id = $1 ORDER BY t.position")
        .bind(set.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(id, set_id, position, label, data, size, by_hand, outcome)| {
            let data: ThemeData = parse_json(format!("theme {id}"), &data)?;
            Ok(Theme {
                set_id: parse_id("theme set id", &set_id)?,
                position,
                label,
                key_phrases: data.key_phrases,
                description: data.description,
                quotes: data.quotes,
                size,
                by_hand,
                outcome: outcome.as_deref().map(|o| parse_json(format!("outcome of theme {id}"), o)).transpose()?,
                id: parse_id("theme id", &id)?,
            })
        })
        .collect()
}

async fn load_theme(tx: &mut Tx, theme: ThemeId) -> Result<Theme> {
    let set = theme_set_of(tx, theme).await?;
    load_themes(tx, set)
        .await?
        .into_iter()
        .find(|t| t.id == theme)
        .ok_or_else(|| StoreError::NotFound { what: format!("theme {theme}") })
}

async fn insert_theme(
    tx: &mut Tx,
    id: ThemeId,
    set: ThemeSetId,
    position: i64,
    label: &str,
    data: &ThemeData,
) -> Result<()> {
    on_tx!(tx, c => sqlx::query("INSERT INTO themes (id, set_id, position, label, data) VALUES ($1, $2, $3, $4, $5)")
        .bind(id.to_string()).bind(set.to_string()).bind(position).bind(label).bind(to_json(data)?)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Inserts assignments in multi-row statements: (theme, response, score, by).
async fn insert_assignments(
    tx: &mut Tx,
    set: ThemeSetId,
    rows: &[(ThemeId, ResponseId, Option<f64>, Option<UserId>)],
) -> Result<()> {
    for chunk in rows.chunks(CHUNK) {
        let mut sql =
            String::from("INSERT INTO theme_assignments (set_id, theme_id, response_id, score, assigned_by) VALUES ");
        for i in 0..chunk.len() {
            let b = i * 4;
            if i > 0 {
                sql.push(',');
            }
            sql.push_str(&format!("(${},${},${},${},${})", chunk.len() * 4 + 1, b + 1, b + 2, b + 3, b + 4));
        }
        macro_rules! bind_rows {
            ($q:expr) => {{
                let mut q = $q;
                for (theme, response, score, by) in chunk {
                    q = q
                        .bind(theme.to_string())
                        .bind(response.to_string())
                        .bind(*score)
                        .bind(by.map(|u| u.to_string()));
                }
                q.bind(set.to_string())
            }};
        }
        on_tx!(&mut *tx, c => bind_rows!(sqlx::query(&sql)).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}

/// Renumbers a set's themes 1..n in their current order, after one was removed.
async fn renumber(tx: &mut Tx, set: ThemeSetId) -> Result<()> {
    let ids: Vec<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT id FROM themes WHERE set_id = $1 ORDER BY position")
        .bind(set.to_string()).fetch_all(&mut *c).await?);
    // Two passes: negative positions first, so the unique (set, position) never clashes.
    for (pass, sign) in [(0, -1i64), (1, 1)] {
        for (i, (id,)) in ids.iter().enumerate() {
            let position = sign * (i as i64 + 1) - if pass == 0 { 1_000_000 } else { 0 };
            on_tx!(&mut *tx, c => sqlx::query("UPDATE themes SET position = $1 WHERE id = $2")
                .bind(position).bind(id).execute(&mut *c).await?.rows_affected());
        }
    }
    Ok(())
}

fn respondent_from(
    kind: Option<String>,
    area: Option<String>,
    organisation: String,
    demographics: &str,
) -> Result<Respondent> {
    Ok(Respondent {
        kind: kind.as_deref().and_then(RespondentType::parse),
        organisation,
        area,
        demographics: parse_json("respondent demographics", demographics)?,
    })
}

type ResponseRow = (
    String,
    String,
    i64,
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    String,
    Option<i64>,
    Option<String>,
    Option<i64>,
);

const RESPONSE_COLUMNS: &str = "SELECT id, exercise_id, reference, channel, received_at, respondent_type, area, \
                                organisation, demographics, publish_consent, event_id, source_line FROM responses";

fn response_from(row: ResponseRow) -> Result<ResponseRecord> {
    let (id, exercise, reference, channel, received, kind, area, organisation, demographics, consent, event, line) =
        row;
    Ok(ResponseRecord {
        id: parse_id("response id", &id)?,
        exercise_id: parse_id("exercise id", &exercise)?,
        reference,
        channel: Channel::parse(&channel).ok_or_else(|| corrupt(format!("channel of response {id}"), &channel))?,
        received_at: parse_timestamp(&received)?,
        respondent: respondent_from(kind, area, organisation, &demographics)?,
        publish_consent: consent.map(|c| c != 0),
        event: event.as_deref().map(|e| parse_id("event id", e)).transpose()?,
        source_line: line,
        answers: BTreeMap::new(),
    })
}

impl Store {
    /// Creates an exercise. Its slug must be free.
    pub async fn create_exercise(
        &self,
        actor: &Actor,
        id: ExerciseId,
        body: BodyId,
        content: &ExerciseContent,
    ) -> Result<Exercise> {
        content.check()?;
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        slug_free(&mut tx, &content.slug, id).await?;
        let at = timestamp(now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO exercises (id, body_id, slug, opens, closes, published_at, data, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)")
            .bind(id.to_string()).bind(body.to_string()).bind(&content.slug)
            .bind(content.opens.to_string()).bind(content.closes.to_string())
            .bind(to_json(content)?).bind(&at)
            .execute(&mut *c).await?.rows_affected());
        let exercise = Exercise { id, body_id: body, content: content.clone(), published_at: None, public_at: None };
        crate::search::refresh_exercise(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("create", "exercise", id.to_string(), None, Some(audit_json(&exercise))),
        )
        .await?;
        tx.commit().await?;
        Ok(exercise)
    }

    /// Changes an exercise. The web address cannot change once responses are stored:
    /// people were given it.
    pub async fn update_exercise(&self, actor: &Actor, id: ExerciseId, content: &ExerciseContent) -> Result<Exercise> {
        content.check()?;
        let mut tx = self.db.begin().await?;
        let before = load_exercise(&mut tx, id).await?;
        if before.content.slug != content.slug {
            let n = count_responses(&mut tx, id).await?;
            if n > 0 {
                return Err(bad_fields(
                    "slug",
                    format!("the web address cannot change: {n} response(s) came through `{}`", before.content.slug),
                ));
            }
            slug_free(&mut tx, &content.slug, id).await?;
        }
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE exercises SET slug = $1, opens = $2, closes = $3, data = $4, updated_at = $5 WHERE id = $6")
            .bind(&content.slug).bind(content.opens.to_string()).bind(content.closes.to_string())
            .bind(to_json(content)?).bind(timestamp(now())).bind(id.to_string())
            .execute(&mut *c).await?.rows_affected());
        let after = Exercise { content: content.clone(), ..before.clone() };
        crate::search::refresh_exercise(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("update", "exercise", id.to_string(), Some(audit_json(&before)), Some(audit_json(&after))),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Makes the exercise public (listed at `/consultations`, its page and survey
    /// reachable) or takes it back to a draft only staff see. Making public an exercise
    /// already public keeps its first date. Taking back is refused once "you said, we
    /// did" is published: that page is a public record.
    pub async fn set_exercise_public(&self, actor: &Actor, id: ExerciseId, public: bool) -> Result<Exercise> {
        let mut tx = self.db.begin().await?;
        let before = load_exercise(&mut tx, id).await?;
        if !public && before.published_at.is_some() {
            return Err(StoreError::Conflict(String::from(
                "\"you said, we did\" is published for this exercise, so it stays public; withdraw single quotes \
                 from the publish page instead",
            )));
        }
        let public_at = match (public, before.public_at) {
            (true, Some(at)) => Some(at),
            (true, None) => Some(now()),
            (false, _) => None,
        };
        if public_at == before.public_at {
            tx.commit().await?;
            return Ok(before);
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE exercises SET public_at = $1, updated_at = $2 WHERE id = $3")
            .bind(public_at.map(timestamp)).bind(timestamp(now())).bind(id.to_string())
            .execute(&mut *c).await?.rows_affected());
        let after = Exercise { public_at, ..before.clone() };
        crate::search::refresh_exercise(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                if public { "make_public" } else { "make_draft" },
                "exercise",
                id.to_string(),
                Some(serde_json::json!({"public_at": before.public_at})),
                Some(serde_json::json!({"public_at": public_at})),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(after)
    }

    pub async fn exercise(&self, id: ExerciseId) -> Result<Option<Exercise>> {
        let mut tx = self.db.begin_read().await?;
        let found = match load_exercise(&mut tx, id).await {
            Ok(e) => Some(e),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(found)
    }

    pub async fn exercise_by_slug(&self, slug: &str) -> Result<Option<Exercise>> {
        let mut tx = self.db.begin_read().await?;
        let sql = format!("{EXERCISE_COLUMNS} WHERE slug = $1");
        let row: Option<ExerciseRow> =
            on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(slug).fetch_optional(&mut *c).await?);
        tx.commit().await?;
        row.map(exercise_from).transpose()
    }

    /// Every exercise, newest opening first; of one body when given.
    pub async fn exercises(&self, body: Option<BodyId>) -> Result<Vec<Exercise>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<ExerciseRow> = match body {
            Some(body) => {
                let sql = format!("{EXERCISE_COLUMNS} WHERE body_id = $1 ORDER BY opens DESC, slug");
                on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(body.to_string()).fetch_all(&mut *c).await?)
            }
            None => {
                let sql = format!("{EXERCISE_COLUMNS} ORDER BY opens DESC, slug");
                on_tx!(&mut tx, c => sqlx::query_as(&sql).fetch_all(&mut *c).await?)
            }
        };
        tx.commit().await?;
        rows.into_iter().map(exercise_from).collect()
    }

    /// Adds a question. Its number must be free in the exercise.
    pub async fn add_question(
        &self,
        actor: &Actor,
        exercise: ExerciseId,
        id: QuestionId,
        content: &QuestionContent,
    ) -> Result<()> {
        content.check()?;
        let mut tx = self.db.begin().await?;
        load_exercise(&mut tx, exercise).await?;
        let questions = load_questions(&mut tx, exercise).await?;
        if questions.iter().any(|q| q.content.number == content.number) {
            return Err(bad_fields(
                "number",
                format!("question {} already exists; choose another number", content.number),
            ));
        }
        on_tx!(&mut tx, c => sqlx::query("INSERT INTO questions (id, exercise_id, number, data) VALUES ($1, $2, $3, $4)")
            .bind(id.to_string()).bind(exercise.to_string()).bind(i64::from(content.number)).bind(to_json(content)?)
            .execute(&mut *c).await?.rows_affected());
        crate::search::refresh_exercise(&mut tx, exercise).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("create", "question", id.to_string(), None, Some(audit_json(content))),
        )
        .await?;
        tx.commit().await
    }

    /// Changes a question. Once answered, its kind cannot change and no option can be
    /// removed or renamed: the stored answers would no longer mean what they said.
    pub async fn update_question(&self, actor: &Actor, id: QuestionId, content: &QuestionContent) -> Result<()> {
        content.check()?;
        let mut tx = self.db.begin().await?;
        let exercise = question_exercise(&mut tx, id).await?;
        let questions = load_questions(&mut tx, exercise).await?;
        let before = questions
            .iter()
            .find(|q| q.id == id)
            .map(|q| q.content.clone())
            .ok_or_else(|| StoreError::NotFound { what: format!("question {id}") })?;
        if questions.iter().any(|q| q.id != id && q.content.number == content.number) {
            return Err(bad_fields(
                "number",
                format!("question {} already exists; choose another number", content.number),
            ));
        }
        let n = answered(&mut tx, id).await?;
        if n > 0 {
            if before.kind != content.kind {
                return Err(bad_fields("kind", format!("the question has {n} answer(s); its kind cannot change")));
            }
            if let Some(gone) = before.options.iter().find(|o| !content.options.contains(o)) {
                return Err(bad_fields(
                    "options",
                    format!("the question has {n} answer(s); option `{gone}` cannot be removed or renamed"),
                ));
            }
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE questions SET number = $1, data = $2 WHERE id = $3")
            .bind(i64::from(content.number)).bind(to_json(content)?).bind(id.to_string())
            .execute(&mut *c).await?.rows_affected());
        crate::search::refresh_exercise(&mut tx, exercise).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("update", "question", id.to_string(), Some(audit_json(&before)), Some(audit_json(content))),
        )
        .await?;
        tx.commit().await
    }

    /// Removes a question that has no answers.
    pub async fn delete_question(&self, actor: &Actor, id: QuestionId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let exercise = question_exercise(&mut tx, id).await?;
        let n = answered(&mut tx, id).await?;
        if n > 0 {
            return Err(StoreError::Conflict(format!("the question has {n} answer(s) and cannot be removed")));
        }
        let before = load_questions(&mut tx, exercise).await?.into_iter().find(|q| q.id == id);
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM questions WHERE id = $1").bind(id.to_string())
            .execute(&mut *c).await?.rows_affected());
        crate::search::refresh_exercise(&mut tx, exercise).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("delete", "question", id.to_string(), before.map(|q| audit_json(&q.content)), None),
        )
        .await?;
        tx.commit().await
    }

    /// One question with the exercise it belongs to.
    pub async fn question(
        &self,
        id: QuestionId,
    ) -> Result<Option<(ExerciseId, pcplan_domain::consultation::Question)>> {
        let mut tx = self.db.begin_read().await?;
        let row: Option<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT exercise_id, data FROM questions WHERE id = $1")
            .bind(id.to_string()).fetch_optional(&mut *c).await?);
        tx.commit().await?;
        row.map(|(exercise, data)| {
            Ok((
                parse_id("exercise id", &exercise)?,
                pcplan_domain::consultation::Question { id, content: parse_json(format!("question {id}"), &data)? },
            ))
        })
        .transpose()
    }

    /// The theme set version a theme belongs to.
    pub async fn theme_set_of_theme(&self, theme: ThemeId) -> Result<Option<ThemeSetId>> {
        let mut tx = self.db.begin_read().await?;
        let found = match theme_set_of(&mut tx, theme).await {
            Ok(set) => Some(set),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(found)
    }

    pub async fn questions(&self, exercise: ExerciseId) -> Result<Vec<pcplan_domain::consultation::Question>> {
        let mut tx = self.db.begin_read().await?;
        let questions = load_questions(&mut tx, exercise).await?;
        tx.commit().await?;
        Ok(questions)
    }

    /// Records an event of the exercise, held while it ran.
    pub async fn save_event(
        &self,
        actor: &Actor,
        exercise: ExerciseId,
        id: EventId,
        content: &EventContent,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let e = load_exercise(&mut tx, exercise).await?;
        content.check(&e.content)?;
        let before: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT data FROM consultation_events WHERE id = $1 AND exercise_id = $2")
            .bind(id.to_string()).bind(exercise.to_string()).fetch_optional(&mut *c).await?);
        let at = timestamp(now());
        if before.is_some() {
            on_tx!(&mut tx, c => sqlx::query("UPDATE consultation_events SET held_on = $1, data = $2, updated_at = $3 WHERE id = $4")
                .bind(content.held_on.to_string()).bind(to_json(content)?).bind(&at).bind(id.to_string())
                .execute(&mut *c).await?.rows_affected());
        } else {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO consultation_events (id, exercise_id, held_on, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
                .bind(id.to_string()).bind(exercise.to_string()).bind(content.held_on.to_string()).bind(to_json(content)?).bind(&at)
                .execute(&mut *c).await?.rows_affected());
        }
        let before =
            before.map(|(d,)| serde_json::from_str::<serde_json::Value>(&d).unwrap_or(serde_json::Value::Null));
        let action = if before.is_some() { "update" } else { "create" };
        audit::append(
            &mut tx,
            actor,
            audit_change(action, "consultation_event", id.to_string(), before, Some(audit_json(content))),
        )
        .await?;
        tx.commit().await
    }

    pub async fn events(&self, exercise: ExerciseId) -> Result<Vec<Event>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, data FROM consultation_events WHERE exercise_id = $1 ORDER BY held_on, created_at")
            .bind(exercise.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, data)| {
                Ok(Event {
                    id: parse_id("event id", &id)?,
                    exercise_id: exercise,
                    content: parse_json(format!("event {id}"), &data)?,
                })
            })
            .collect()
    }

    /// Stores one response: checked against the exercise's questions and the body's
    /// areas, whole or not at all. The same fingerprint twice stores it once.
    pub async fn submit_response(&self, actor: &Actor, exercise: ExerciseId, response: &NewResponse) -> Result<Stored> {
        let mut tx = self.db.begin().await?;
        let e = load_exercise(&mut tx, exercise).await?;
        let questions = load_questions(&mut tx, exercise).await?;
        let body = plans::load_body(&mut tx, e.body_id)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("body {}", e.body_id) })?;
        let areas: Vec<&str> = body.areas.iter().map(|a| a.code.as_str()).collect();
        response.submission.check(&questions, &areas)?;
        let stored = insert_responses(&mut tx, exercise, std::slice::from_ref(response), None).await?;
        let stored = *stored.first().ok_or_else(|| corrupt("response insert", "no outcome"))?;
        if !stored.duplicate {
            let after = serde_json::json!({
                "exercise": exercise.to_string(),
                "reference": stored.reference,
                "channel": response.channel.as_str(),
                "answers": response.submission.answers.len(),
            });
            audit::append(&mut tx, actor, audit_change("create", "response", stored.id.to_string(), None, Some(after)))
                .await?;
        }
        tx.commit().await?;
        Ok(stored)
    }

    /// Stores an import's rows in one transaction: every row, or none. Rows already
    /// stored (same fingerprint) are counted, not stored again. The caller has checked
    /// each row and left out (or stopped at) the bad ones.
    pub async fn import_responses(
        &self,
        actor: &Actor,
        exercise: ExerciseId,
        batch: &ImportBatch,
    ) -> Result<ImportOutcome> {
        let mut tx = self.db.begin().await?;
        load_exercise(&mut tx, exercise).await?;
        let import_id = uuid::Uuid::new_v4().to_string();
        let created_at = timestamp(now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO response_imports (id, exercise_id, file_name, sha256, data, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(&import_id).bind(exercise.to_string()).bind(&batch.file_name).bind(&batch.sha256)
            .bind(batch.summary.to_string()).bind(&actor.name).bind(&created_at)
            .execute(&mut *c).await?.rows_affected());
        let stored = insert_responses(&mut tx, exercise, &batch.rows, Some(&import_id)).await?;
        let duplicates = stored.iter().filter(|s| s.duplicate).count();
        let outcome = ImportOutcome { import_id: import_id.clone(), stored: stored.len() - duplicates, duplicates };
        let after = serde_json::json!({
            "exercise": exercise.to_string(),
            "file_name": batch.file_name,
            "sha256": batch.sha256,
            "stored": outcome.stored,
            "duplicates": outcome.duplicates,
            "summary": batch.summary,
        });
        audit::append(&mut tx, actor, audit_change("import", "responses", import_id, None, Some(after))).await?;
        tx.commit().await?;
        Ok(outcome)
    }

    /// How many of these fingerprints are already stored in the exercise: the rows an
    /// import would count as duplicates, known before it runs.
    pub async fn known_fingerprints(&self, exercise: ExerciseId, fingerprints: &[String]) -> Result<usize> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT fingerprint FROM responses WHERE exercise_id = $1")
            .bind(exercise.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        let stored: HashSet<String> = rows.into_iter().map(|(f,)| f).collect();
        Ok(fingerprints.iter().filter(|f| stored.contains(*f)).count())
    }

    pub async fn imports(&self, exercise: ExerciseId) -> Result<Vec<ImportRecord>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, file_name, sha256, data, created_by, created_at FROM response_imports \
             WHERE exercise_id = $1 ORDER BY created_at DESC")
            .bind(exercise.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, file_name, sha256, data, created_by, at)| {
                Ok(ImportRecord {
                    summary: parse_json(format!("import {id}"), &data)?,
                    id,
                    file_name,
                    sha256,
                    created_by,
                    created_at: parse_timestamp(&at)?,
                })
            })
            .collect()
    }

    /// One response with its answers.
    pub async fn response(&self, id: ResponseId) -> Result<Option<ResponseRecord>> {
        let mut tx = self.db.begin_read().await?;
        let sql = format!("{RESPONSE_COLUMNS} WHERE id = $1");
        let row: Option<ResponseRow> =
            on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(id.to_string()).fetch_optional(&mut *c).await?);
        let Some(row) = row else {
            tx.commit().await?;
            return Ok(None);
        };
        let mut record = response_from(row)?;
        let answers: Vec<(String, String, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT question_id, text, choices FROM answers WHERE response_id = $1")
            .bind(id.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        for (question, text, choices) in answers {
            let value = match choices {
                Some(c) => AnswerValue::Choices(parse_json(format!("choices of response {id}"), &c)?),
                None => AnswerValue::Text(text),
            };
            record.answers.insert(parse_id("question id", &question)?, value);
        }
        Ok(Some(record))
    }

    /// A page of an exercise's responses by reference, newest first, without answers.
    pub async fn responses(&self, exercise: ExerciseId, offset: i64, limit: i64) -> Result<(i64, Vec<ResponseRecord>)> {
        let mut tx = self.db.begin_read().await?;
        let total = count_responses(&mut tx, exercise).await?;
        let sql = format!("{RESPONSE_COLUMNS} WHERE exercise_id = $1 ORDER BY reference DESC LIMIT $2 OFFSET $3");
        let rows: Vec<ResponseRow> = on_tx!(&mut tx, c => sqlx::query_as(&sql)
            .bind(exercise.to_string()).bind(limit).bind(offset).fetch_all(&mut *c).await?);
        tx.commit().await?;
        Ok((total, rows.into_iter().map(response_from).collect::<Result<_>>()?))
    }

    /// Every answer to a free-text question, by reference: what the analysis reads.
    pub async fn answer_texts(&self, question: QuestionId) -> Result<Vec<AnswerText>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, i64, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.id, r.reference, a.text FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE a.question_id = $1 ORDER BY r.reference")
            .bind(question.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, reference, text)| Ok(AnswerText { response: parse_id("response id", &id)?, reference, text }))
            .collect()
    }

    /// Counts of an exercise's responses by one dimension, largest first; an empty
    /// value is counted under "".
    pub async fn response_counts(&self, exercise: ExerciseId, by: Dimension) -> Result<Vec<(String, i64)>> {
        let mut tx = self.db.begin_read().await?;
        let sql = format!(
            "SELECT COALESCE({col}, ''), COUNT(*) FROM responses r WHERE r.exercise_id = $1 GROUP BY COALESCE({col}, '') \
             ORDER BY COUNT(*) DESC, COALESCE({col}, '')",
            col = by.column()
        );
        let rows: Vec<(String, i64)> =
            on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(exercise.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        Ok(rows)
    }

    /// Each theme's responses by one dimension: (theme, category, count), and the
    /// number of responses answering the question in each category (the column totals).
    #[allow(clippy::type_complexity)]
    pub async fn theme_breakdown(
        &self,
        set: ThemeSetId,
        by: Dimension,
    ) -> Result<(Vec<(ThemeId, String, i64)>, Vec<(String, i64)>)> {
        let mut tx = self.db.begin_read().await?;
        let s = load_set(&mut tx, set).await?;
        let col = by.column();
        let sql = format!(
            "SELECT a.theme_id, COALESCE({col}, ''), COUNT(*) FROM theme_assignments a JOIN responses r ON r.id = a.response_id \
             WHERE a.set_id = $1 GROUP BY a.theme_id, COALESCE({col}, '') ORDER BY a.theme_id, COALESCE({col}, '')"
        );
        let rows: Vec<(String, String, i64)> =
            on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(set.to_string()).fetch_all(&mut *c).await?);
        let totals_sql = format!(
            "SELECT COALESCE({col}, ''), COUNT(*) FROM answers q JOIN responses r ON r.id = q.response_id \
             WHERE q.question_id = $1 GROUP BY COALESCE({col}, '') ORDER BY COALESCE({col}, '')"
        );
        let totals: Vec<(String, i64)> = on_tx!(&mut tx, c => sqlx::query_as(&totals_sql)
            .bind(s.question_id.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        let rows = rows
            .into_iter()
            .map(|(theme, category, n)| Ok((parse_id("theme id", &theme)?, category, n)))
            .collect::<Result<_>>()?;
        Ok((rows, totals))
    }

    /// Stores an analysis run as the next draft version of the question's themes.
    pub async fn save_theme_set(&self, actor: &Actor, question: QuestionId, new: &NewThemeSet) -> Result<ThemeSet> {
        let mut tx = self.db.begin().await?;
        let exercise = question_exercise(&mut tx, question).await?;
        let kind =
            load_questions(&mut tx, exercise).await?.into_iter().find(|q| q.id == question).map(|q| q.content.kind);
        if kind != Some(QuestionKind::Open) {
            return Err(StoreError::Conflict(
                "themes are found in the answers to a free-text question only".to_owned(),
            ));
        }
        if let Some((index, _, _)) = new.assignments.iter().find(|(i, _, _)| *i >= new.themes.len()) {
            return Err(corrupt(
                "theme set to store",
                format!("an assignment names theme {index} of {}", new.themes.len()),
            ));
        }
        let set = insert_set(&mut tx, actor, question, None, &new.info).await?;
        let mut ids = Vec::with_capacity(new.themes.len());
        for (i, theme) in new.themes.iter().enumerate() {
            let id = ThemeId::new();
            let data = ThemeData {
                key_phrases: theme.key_phrases.clone(),
                description: String::new(),
                quotes: theme.quotes.clone(),
            };
            insert_theme(&mut tx, id, set.id, i as i64 + 1, &theme.label, &data).await?;
            ids.push(id);
        }
        let rows: Vec<_> = new.assignments.iter().map(|&(t, r, score)| (ids[t], r, Some(score), None)).collect();
        insert_assignments(&mut tx, set.id, &rows).await?;
        let after = serde_json::json!({
            "question": question.to_string(),
            "version": set.version,
            "info": new.info,
            "themes": new.themes.iter().map(|t| &t.label).collect::<Vec<_>>(),
            "assignments": new.assignments.len(),
        });
        audit::append(&mut tx, actor, audit_change("create", "theme_set", set.id.to_string(), None, Some(after)))
            .await?;
        tx.commit().await?;
        Ok(set)
    }

    /// Every version of a question's themes, newest first.
    pub async fn theme_sets(&self, question: QuestionId) -> Result<Vec<ThemeSet>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<SetRow> = on_tx!(&mut tx, c => sqlx::query_as(&format!("{SET_COLUMNS} WHERE question_id = $1 ORDER BY version DESC"))
            .bind(question.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter().map(set_from).collect()
    }

    /// A version with its themes, in order.
    pub async fn theme_set(&self, id: ThemeSetId) -> Result<Option<(ThemeSet, Vec<Theme>)>> {
        let mut tx = self.db.begin_read().await?;
        let set = match load_set(&mut tx, id).await {
            Ok(set) => set,
            Err(StoreError::NotFound { .. }) => return Ok(None),
            Err(e) => return Err(e),
        };
        let themes = load_themes(&mut tx, id).await?;
        tx.commit().await?;
        Ok(Some((set, themes)))
    }

    /// A theme's responses, strongest first (hand-made assignments after the machine's).
    pub async fn theme_members(&self, theme: ThemeId) -> Result<Vec<ThemeMember>> {
        let mut tx = self.db.begin_read().await?;
        let set_id = theme_set_of(&mut tx, theme).await?;
        let set = load_set(&mut tx, set_id).await?;
        let rows: Vec<MemberRow> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.id, r.reference, a.score, a.assigned_by, q.text, r.publish_consent FROM theme_assignments a \
             JOIN responses r ON r.id = a.response_id \
             LEFT JOIN answers q ON q.response_id = r.id AND q.question_id = $2 \
             WHERE a.theme_id = $1 ORDER BY a.score IS NULL, a.score DESC, r.reference")
            .bind(theme.to_string()).bind(set.question_id.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, reference, score, by, text, consent)| {
                Ok(ThemeMember {
                    response: parse_id("response id", &id)?,
                    reference,
                    score,
                    assigned_by: by.as_deref().map(|u| parse_id("user id", u)).transpose()?,
                    text: text.unwrap_or_default(),
                    publish_consent: consent.map(|c| c != 0),
                })
            })
            .collect()
    }

    /// Answers to the set's question that no theme holds ("other").
    pub async fn unthemed(&self, set: ThemeSetId) -> Result<Vec<AnswerText>> {
        let mut tx = self.db.begin_read().await?;
        let s = load_set(&mut tx, set).await?;
        let rows: Vec<(String, i64, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT r.id, r.reference, a.text FROM answers a JOIN responses r ON r.id = a.response_id \
             WHERE a.question_id = $1 AND NOT EXISTS \
             (SELECT 1 FROM theme_assignments t WHERE t.set_id = $2 AND t.response_id = r.id) ORDER BY r.reference")
            .bind(s.question_id.to_string()).bind(set.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, reference, text)| Ok(AnswerText { response: parse_id("response id", &id)?, reference, text }))
            .collect()
    }

    /// Starts a new draft version copied from `from` (themes, assignments and who made
    /// them). Outcomes stay with the themes they were recorded on.
    pub async fn new_draft(&self, actor: &Actor, from: ThemeSetId) -> Result<ThemeSet> {
        let mut tx = self.db.begin().await?;
        let source = load_set(&mut tx, from).await?;
        let info = ThemeSetInfo {
            method: "copy".to_owned(),
            note: format!("copied from version {}", source.version),
            ..source.info.clone()
        };
        let set = insert_set(&mut tx, actor, source.question_id, Some(source.version), &info).await?;
        let themes = load_themes(&mut tx, from).await?;
        let mut map = HashMap::new();
        for theme in &themes {
            let id = ThemeId::new();
            let data = ThemeData {
                key_phrases: theme.key_phrases.clone(),
                description: theme.description.clone(),
                quotes: theme.quotes.clone(),
            };
            insert_theme(&mut tx, id, set.id, theme.position, &theme.label, &data).await?;
            map.insert(theme.id.to_string(), id);
        }
        let rows: Vec<(String, String, Option<f64>, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT theme_id, response_id, score, assigned_by FROM theme_assignments WHERE set_id = $1")
            .bind(from.to_string()).fetch_all(&mut *c).await?);
        let mut copied = Vec::with_capacity(rows.len());
        for (theme, response, score, by) in rows {
            let theme = *map
                .get(&theme)
                .ok_or_else(|| corrupt("theme assignment", format!("theme {theme} is not in its set")))?;
            copied.push((
                theme,
                parse_id("response id", &response)?,
                score,
                by.as_deref().map(|u| parse_id("user id", u)).transpose()?,
            ));
        }
        insert_assignments(&mut tx, set.id, &copied).await?;
        let after = serde_json::json!({ "question": source.question_id.to_string(), "version": set.version, "based_on": source.version });
        audit::append(&mut tx, actor, audit_change("create", "theme_set", set.id.to_string(), None, Some(after)))
            .await?;
        tx.commit().await?;
        Ok(set)
    }

    /// Makes a draft final: it never changes again.
    pub async fn finalise_theme_set(&self, actor: &Actor, id: ThemeSetId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let set = draft(&mut tx, id).await?;
        on_tx!(&mut tx, c => sqlx::query("UPDATE theme_sets SET state = 'final', finalised_at = $1 WHERE id = $2")
            .bind(timestamp(now())).bind(id.to_string()).execute(&mut *c).await?.rows_affected());
        crate::search::refresh_exercise_of_set(&mut tx, id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "finalise",
                "theme_set",
                id.to_string(),
                Some(serde_json::json!({"version": set.version, "state": "draft"})),
                Some(serde_json::json!({"version": set.version, "state": "final"})),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Throws a draft away, with its themes and assignments.
    pub async fn discard_draft(&self, actor: &Actor, id: ThemeSetId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let set = draft(&mut tx, id).await?;
        let themes = load_themes(&mut tx, id).await?;
        for sql in [
            "DELETE FROM theme_assignments WHERE set_id = $1",
            "DELETE FROM theme_outcomes WHERE theme_id IN (SELECT id FROM themes WHERE set_id = $1)",
            "DELETE FROM published_quotes WHERE theme_id IN (SELECT id FROM themes WHERE set_id = $1)",
            "DELETE FROM themes WHERE set_id = $1",
            "DELETE FROM theme_sets WHERE id = $1",
        ] {
            on_tx!(&mut tx, c => sqlx::query(sql).bind(id.to_string()).execute(&mut *c).await?.rows_affected());
        }
        let before =
            serde_json::json!({"version": set.version, "themes": themes.iter().map(|t| &t.label).collect::<Vec<_>>()});
        audit::append(&mut tx, actor, audit_change("delete", "theme_set", id.to_string(), Some(before), None)).await?;
        tx.commit().await
    }

    /// Renames a theme of a draft and sets its description.
    pub async fn rename_theme(&self, actor: &Actor, theme: ThemeId, label: &str, description: &str) -> Result<()> {
        check_theme_label(label).map_err(|p| StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![p])))?;
        let mut tx = self.db.begin().await?;
        let before = load_theme(&mut tx, theme).await?;
        draft(&mut tx, before.set_id).await?;
        let data = ThemeData {
            key_phrases: before.key_phrases.clone(),
            description: description.trim().to_owned(),
            quotes: before.quotes.clone(),
        };
        on_tx!(&mut tx, c => sqlx::query("UPDATE themes SET label = $1, data = $2 WHERE id = $3")
            .bind(label.trim()).bind(to_json(&data)?).bind(theme.to_string()).execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "rename",
                "theme",
                theme.to_string(),
                Some(serde_json::json!({"label": before.label, "description": before.description})),
                Some(serde_json::json!({"label": label.trim(), "description": description.trim()})),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Merges `from` into `into` (both of one draft): `from`'s responses join `into`
    /// (a response in both keeps `into`'s assignment) and `from` is removed.
    pub async fn merge_themes(&self, actor: &Actor, into: ThemeId, from: ThemeId) -> Result<()> {
        if into == from {
            return Err(bad_fields("from", "choose a different theme to merge with".to_owned()));
        }
        let mut tx = self.db.begin().await?;
        let a = load_theme(&mut tx, into).await?;
        let b = load_theme(&mut tx, from).await?;
        if a.set_id != b.set_id {
            return Err(StoreError::Conflict("themes of different versions cannot be merged".to_owned()));
        }
        draft(&mut tx, a.set_id).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "DELETE FROM theme_assignments WHERE theme_id = $1 AND response_id IN \
             (SELECT response_id FROM theme_assignments WHERE theme_id = $2)")
            .bind(from.to_string()).bind(into.to_string()).execute(&mut *c).await?.rows_affected());
        on_tx!(&mut tx, c => sqlx::query("UPDATE theme_assignments SET theme_id = $1 WHERE theme_id = $2")
            .bind(into.to_string()).bind(from.to_string()).execute(&mut *c).await?.rows_affected());
        let mut phrases = a.key_phrases.clone();
        phrases.extend(b.key_phrases.iter().filter(|p| !a.key_phrases.contains(p)).cloned());
        let mut quotes = a.quotes.clone();
        quotes.extend(b.quotes.iter().filter(|q| !a.quotes.contains(q)).copied());
        let data = ThemeData { key_phrases: phrases, description: a.description.clone(), quotes };
        on_tx!(&mut tx, c => sqlx::query("UPDATE themes SET data = $1 WHERE id = $2")
            .bind(to_json(&data)?).bind(into.to_string()).execute(&mut *c).await?.rows_affected());
        remove_theme_rows(&mut tx, from).await?;
        renumber(&mut tx, a.set_id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "merge",
                "theme",
                into.to_string(),
                Some(serde_json::json!({"into": a.label, "from": b.label, "sizes": [a.size, b.size]})),
                Some(serde_json::json!({"label": a.label})),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Splits a theme of a draft: the responses named move to a new theme with the label
    /// given, placed after it. Their assignments are then a person's.
    pub async fn split_theme(
        &self,
        actor: &Actor,
        theme: ThemeId,
        label: &str,
        responses: &[ResponseId],
    ) -> Result<ThemeId> {
        check_theme_label(label).map_err(|p| StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![p])))?;
        if responses.is_empty() {
            return Err(bad_fields("responses", "choose the responses that belong to the new theme".to_owned()));
        }
        let user = actor.user.ok_or_else(|| StoreError::Conflict("only a person can split a theme".to_owned()))?;
        let mut tx = self.db.begin().await?;
        let source = load_theme(&mut tx, theme).await?;
        draft(&mut tx, source.set_id).await?;
        let members: HashSet<String> = {
            let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT response_id FROM theme_assignments WHERE theme_id = $1")
                .bind(theme.to_string()).fetch_all(&mut *c).await?);
            rows.into_iter().map(|(r,)| r).collect()
        };
        if let Some(stranger) = responses.iter().find(|r| !members.contains(&r.to_string())) {
            return Err(bad_fields("responses", format!("response {stranger} is not in the theme `{}`", source.label)));
        }
        if responses.len() == members.len() {
            return Err(bad_fields(
                "responses",
                "leave at least one response in the theme; to rename it, use Rename".to_owned(),
            ));
        }
        // Make room after the source theme.
        on_tx!(&mut tx, c => sqlx::query("UPDATE themes SET position = position + 1000000 WHERE set_id = $1 AND position > $2")
            .bind(source.set_id.to_string()).bind(source.position).execute(&mut *c).await?.rows_affected());
        let id = ThemeId::new();
        insert_theme(&mut tx, id, source.set_id, source.position + 1, label.trim(), &ThemeData::default()).await?;
        for response in responses {
            on_tx!(&mut tx, c => sqlx::query(
                "UPDATE theme_assignments SET theme_id = $1, score = NULL, assigned_by = $2 WHERE theme_id = $3 AND response_id = $4")
                .bind(id.to_string()).bind(user.to_string()).bind(theme.to_string()).bind(response.to_string())
                .execute(&mut *c).await?.rows_affected());
        }
        renumber(&mut tx, source.set_id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "split",
                "theme",
                theme.to_string(),
                Some(serde_json::json!({"label": source.label, "size": source.size})),
                Some(serde_json::json!({"new_theme": id.to_string(), "label": label.trim(), "moved": responses.len()})),
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes a theme of a draft; its responses keep their other themes or become
    /// unthemed ("other").
    pub async fn delete_theme(&self, actor: &Actor, theme: ThemeId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = load_theme(&mut tx, theme).await?;
        draft(&mut tx, before.set_id).await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM theme_assignments WHERE theme_id = $1")
            .bind(theme.to_string()).execute(&mut *c).await?.rows_affected());
        remove_theme_rows(&mut tx, theme).await?;
        renumber(&mut tx, before.set_id).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "delete",
                "theme",
                theme.to_string(),
                Some(serde_json::json!({"label": before.label, "size": before.size})),
                None,
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Moves a response of a draft from one theme to another: `from: None` adds it to
    /// `to`, `to: None` takes it out of `from`. The new assignment is the person's.
    pub async fn move_response(
        &self,
        actor: &Actor,
        set: ThemeSetId,
        response: ResponseId,
        from: Option<ThemeId>,
        to: Option<ThemeId>,
    ) -> Result<()> {
        let user = actor.user.ok_or_else(|| StoreError::Conflict("only a person can move a response".to_owned()))?;
        if from.is_none() && to.is_none() || from == to {
            return Err(bad_fields("to", "choose the theme to move the response to".to_owned()));
        }
        let mut tx = self.db.begin().await?;
        let s = draft(&mut tx, set).await?;
        for theme in [from, to].into_iter().flatten() {
            if theme_set_of(&mut tx, theme).await? != set {
                return Err(StoreError::Conflict(format!(
                    "theme {theme} is not in version {} of these themes",
                    s.version
                )));
            }
        }
        let answered: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT CAST(1 AS BIGINT) FROM answers WHERE response_id = $1 AND question_id = $2")
            .bind(response.to_string()).bind(s.question_id.to_string()).fetch_optional(&mut *c).await?);
        if answered.is_none() {
            return Err(StoreError::NotFound { what: format!("an answer of response {response} to this question") });
        }
        if let Some(from) = from {
            let n = on_tx!(&mut tx, c => sqlx::query("DELETE FROM theme_assignments WHERE theme_id = $1 AND response_id = $2")
                .bind(from.to_string()).bind(response.to_string()).execute(&mut *c).await?.rows_affected());
            if n == 0 {
                return Err(bad_fields("from", format!("response {response} is not in that theme")));
            }
        }
        if let Some(to) = to {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO theme_assignments (set_id, theme_id, response_id, score, assigned_by) VALUES ($1, $2, $3, NULL, $4) \
                 ON CONFLICT (theme_id, response_id) DO UPDATE SET score = NULL, assigned_by = excluded.assigned_by")
                .bind(set.to_string()).bind(to.to_string()).bind(response.to_string()).bind(user.to_string())
                .execute(&mut *c).await?.rows_affected());
        }
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "move",
                "theme_assignment",
                response.to_string(),
                from.map(|t| serde_json::json!({"theme": t.to_string()})),
                to.map(|t| serde_json::json!({"theme": t.to_string()})),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Records what a theme did to the plan, or why it did not change it.
    pub async fn set_theme_outcome(
        &self,
        actor: &Actor,
        theme: ThemeId,
        outcome: &ThemeOutcome,
        plan_items: &[pcplan_domain::ItemId],
    ) -> Result<()> {
        outcome.check(plan_items)?;
        let mut tx = self.db.begin().await?;
        let before = load_theme(&mut tx, theme).await?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO theme_outcomes (theme_id, data, updated_at) VALUES ($1, $2, $3) \
             ON CONFLICT (theme_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
            .bind(theme.to_string()).bind(to_json(outcome)?).bind(timestamp(now())).execute(&mut *c).await?.rows_affected());
        crate::search::refresh_exercise_of_theme(&mut tx, theme).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "update",
                "theme_outcome",
                theme.to_string(),
                before.outcome.as_ref().map(audit_json),
                Some(audit_json(outcome)),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Publishes "you said, we did": replaces the exercise's published quotes with
    /// these (already redacted by the caller) and marks the exercise published.
    /// Refused while the exercise itself is not public.
    pub async fn publish_you_said(&self, actor: &Actor, exercise: ExerciseId, quotes: &[PublishedQuote]) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = load_exercise(&mut tx, exercise).await?;
        if before.public_at.is_none() {
            return Err(StoreError::Conflict(String::from(
                "the exercise is not public yet: make it public before publishing \"you said, we did\"",
            )));
        }
        on_tx!(&mut tx, c => sqlx::query(
            "DELETE FROM published_quotes WHERE response_id IN (SELECT id FROM responses WHERE exercise_id = $1)")
            .bind(exercise.to_string()).execute(&mut *c).await?.rows_affected());
        let at = timestamp(now());
        for q in quotes {
            let owner: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT exercise_id FROM responses WHERE id = $1")
                .bind(q.response.to_string()).fetch_optional(&mut *c).await?);
            if owner.map(|(e,)| e) != Some(exercise.to_string()) {
                return Err(StoreError::Conflict(format!(
                    "response {} is not a response to this exercise",
                    q.response
                )));
            }
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO published_quotes (theme_id, response_id, position, text, redactions, withdrawn, published_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(q.theme.to_string()).bind(q.response.to_string()).bind(q.position).bind(&q.text)
                .bind(q.redactions.to_string()).bind(i64::from(q.withdrawn)).bind(&at)
                .execute(&mut *c).await?.rows_affected());
        }
        on_tx!(&mut tx, c => sqlx::query("UPDATE exercises SET published_at = $1 WHERE id = $2")
            .bind(&at).bind(exercise.to_string()).execute(&mut *c).await?.rows_affected());
        let after = serde_json::json!({
            "quotes": quotes.iter().map(|q| serde_json::json!({
                "theme": q.theme.to_string(), "response": q.response.to_string(), "redactions": q.redactions, "withdrawn": q.withdrawn
            })).collect::<Vec<_>>(),
        });
        crate::search::refresh_exercise(&mut tx, exercise).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "publish",
                "you_said_we_did",
                exercise.to_string(),
                Some(serde_json::json!({"published_at": before.published_at})),
                Some(after),
            ),
        )
        .await?;
        tx.commit().await
    }

    /// Withdraws one published quote (a respondent asked, or staff spotted something
    /// the redaction missed): it disappears from the public page at once.
    pub async fn withdraw_quote(&self, actor: &Actor, theme: ThemeId, response: ResponseId) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let n = on_tx!(&mut tx, c => sqlx::query("UPDATE published_quotes SET withdrawn = 1 WHERE theme_id = $1 AND response_id = $2")
            .bind(theme.to_string()).bind(response.to_string()).execute(&mut *c).await?.rows_affected());
        if n == 0 {
            return Err(StoreError::NotFound {
                what: format!("a published quote of response {response} in theme {theme}"),
            });
        }
        crate::search::refresh_exercise_of_theme(&mut tx, theme).await?;
        audit::append(
            &mut tx,
            actor,
            audit_change("withdraw", "published_quote", format!("{theme}/{response}"), None, None),
        )
        .await?;
        tx.commit().await
    }

    /// The published quotes of an exercise, by theme and position; withdrawn ones too
    /// (the caller shows staff both, the public only those not withdrawn).
    pub async fn published_quotes(&self, exercise: ExerciseId) -> Result<Vec<PublishedQuote>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, i64, String, String, i64)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT p.theme_id, p.response_id, p.position, p.text, p.redactions, p.withdrawn FROM published_quotes p \
             JOIN responses r ON r.id = p.response_id WHERE r.exercise_id = $1 ORDER BY p.theme_id, p.position")
            .bind(exercise.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(theme, response, position, text, redactions, withdrawn)| {
                Ok(PublishedQuote {
                    theme: parse_id("theme id", &theme)?,
                    response: parse_id("response id", &response)?,
                    position,
                    text,
                    redactions: parse_json("quote redactions", &redactions)?,
                    withdrawn: withdrawn != 0,
                })
            })
            .collect()
    }

    /// Replaces a body's population table with these rows, all or none.
    pub async fn load_populations(&self, actor: &Actor, body: BodyId, rows: &[Population]) -> Result<()> {
        let mut seen = HashSet::new();
        for row in rows {
            if !seen.insert(row.code.as_str()) {
                return Err(bad_fields("code", format!("area `{}` is given twice", row.code)));
            }
            if row.population <= 0 {
                return Err(bad_fields(
                    "population",
                    format!("area `{}` has population {}; it must be above 0", row.code, row.population),
                ));
            }
        }
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let before = load_populations(&mut tx, body).await?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM area_populations WHERE body_id = $1")
            .bind(body.to_string()).execute(&mut *c).await?.rows_affected());
        let at = timestamp(now());
        for row in rows {
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO area_populations (body_id, code, name, population, source, updated_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(body.to_string()).bind(&row.code).bind(&row.name).bind(row.population).bind(&row.source).bind(&at)
                .execute(&mut *c).await?.rows_affected());
        }
        audit::append(
            &mut tx,
            actor,
            audit_change(
                "replace",
                "area_populations",
                body.to_string(),
                Some(audit_json(&before)),
                Some(audit_json(&rows)),
            ),
        )
        .await?;
        tx.commit().await
    }

    pub async fn populations(&self, body: BodyId) -> Result<Vec<Population>> {
        let mut tx = self.db.begin_read().await?;
        let rows = load_populations(&mut tx, body).await?;
        tx.commit().await?;
        Ok(rows)
    }
}

async fn load_populations(tx: &mut Tx, body: BodyId) -> Result<Vec<Population>> {
    let rows: Vec<(String, String, i64, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT code, name, population, source FROM area_populations WHERE body_id = $1 ORDER BY code")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    Ok(rows.into_iter().map(|(code, name, population, source)| Population { code, name, population, source }).collect())
}

async fn remove_theme_rows(tx: &mut Tx, theme: ThemeId) -> Result<()> {
    for sql in [
        "DELETE FROM theme_outcomes WHERE theme_id = $1",
        "DELETE FROM published_quotes WHERE theme_id = $1",
        "DELETE FROM themes WHERE id = $1",
    ] {
        on_tx!(&mut *tx, c => sqlx::query(sql).bind(theme.to_string()).execute(&mut *c).await?.rows_affected());
    }
    Ok(())
}

async fn slug_free(tx: &mut Tx, slug: &str, id: ExerciseId) -> Result<()> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM exercises WHERE slug = $1")
        .bind(slug).fetch_optional(&mut *c).await?);
    match row {
        Some((other,)) if other != id.to_string() => {
            Err(bad_fields("slug", format!("another exercise already uses the web address `{slug}`; choose another")))
        }
        _ => Ok(()),
    }
}

async fn insert_set(
    tx: &mut Tx,
    actor: &Actor,
    question: QuestionId,
    based_on: Option<i64>,
    info: &ThemeSetInfo,
) -> Result<ThemeSet> {
    let (highest,): (Option<i64>,) = on_tx!(&mut *tx, c => sqlx::query_as("SELECT MAX(version) FROM theme_sets WHERE question_id = $1")
        .bind(question.to_string()).fetch_one(&mut *c).await?);
    let set = ThemeSet {
        id: ThemeSetId::new(),
        question_id: question,
        version: highest.unwrap_or(0) + 1,
        state: ThemeSetState::Draft,
        based_on,
        info: info.clone(),
        created_by: actor.name.clone(),
        created_at: now(),
        finalised_at: None,
    };
    on_tx!(&mut *tx, c => sqlx::query(
        "INSERT INTO theme_sets (id, question_id, version, state, based_on, data, created_by, created_at, finalised_at) \
         VALUES ($1, $2, $3, 'draft', $4, $5, $6, $7, NULL)")
        .bind(set.id.to_string()).bind(question.to_string()).bind(set.version).bind(based_on)
        .bind(to_json(info)?).bind(&set.created_by).bind(timestamp(set.created_at))
        .execute(&mut *c).await?.rows_affected());
    Ok(set)
}
