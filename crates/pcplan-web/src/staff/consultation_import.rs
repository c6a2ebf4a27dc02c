//! The staff pages that import responses exported from other survey tools into an
//! exercise, under `/staff/consultations/{id}/import`: the upload (CSV or XLSX, up to
//! [`crate::IMPORT_MAX_BYTES`]), the column mapping (how the file was read, a preview of
//! its first rows and a column for each field, the guesses preselected), the check
//! (good rows, bad rows by line with their reason, a CSV of every bad row) and the
//! import itself, run in the background with a progress page that refreshes itself.
//!
//! Nothing is stored until an editor confirms, and then everything or nothing: the
//! rows go to the store in one transaction (`Store::import_responses`). When some rows
//! are bad, the good ones are imported only if the editor ticks the box that says so;
//! otherwise nothing is imported. Each row's fingerprint is the hash of its mapped
//! values (`pcplan_import`), so the same file imported again stores nothing new.
//!
//! **Where the uploaded file waits.** Between the upload and the import the bytes are
//! held in memory ([`ImportWork`]), under a random token bound to the exercise and to
//! the person who uploaded them, for at most [`UPLOAD_TTL`], with
//! [`UPLOADS_MAX_BYTES`] across all uploads (the oldest go first). Not in a file: the
//! web layer has no data directory of its own, a file of respondents' answers left
//! behind by a crash would need finding and deleting, and a restart losing an upload
//! only means uploading it again. The browser only ever sends the token back, never a
//! path, so nothing it sends can name a file on the server.
//!
//! Reading, mapping and checking are `pcplan_import`'s; the rules of a valid response
//! are the domain's (`Submission::check`); storing and auditing are the store's. This
//! module turns mapped rows into responses (areas by name or ONS code, choices matched to
//! the options, yes/no words, dates in several formats) and draws the pages. It does not
//! read population tables or publish anything.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{Extension, Form, Multipart, Path, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use pcplan_domain::consultation::{AnswerValue, Channel, Question, QuestionKind, RespondentType, Submission};
use pcplan_domain::{Area, ExerciseId, UserId};
use pcplan_import::export::Csv;
use pcplan_import::{
    BadRow, Encoding, Format, Limits, MappedRow, Mapping, ReadOptions, Row, Table, Target, apply, read, sniff,
    suggest_mapping,
};
use pcplan_store::{Actor, Exercise, ImportBatch, NewResponse, Store};
use sha2::{Digest, Sha256};

use super::consultations::{date_time, excerpt, exercise_path, load_exercise, trail};
use super::forms::{FieldErrors, FormValues};
use super::{Crumb, can_edit, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::public_decisions::encode;
use crate::views::{Layout, render, render_with_status};

/// How long an uploaded file waits for its import.
pub const UPLOAD_TTL: Duration = Duration::from_secs(60 * 60);

/// The most bytes all waiting uploads may hold together (four files of the largest size).
pub const UPLOADS_MAX_BYTES: usize = 4 * crate::IMPORT_MAX_BYTES;

/// How long a finished import's result stays on its progress page.
const JOB_TTL: Duration = Duration::from_secs(2 * 60 * 60);

/// Rows of the file shown on the mapping page.
const PREVIEW_ROWS: usize = 5;

/// Bad rows listed on the check page; the CSV download has all of them.
const BAD_ROWS_SHOWN: usize = 200;

/// Bad rows' line numbers kept in the import's summary (the reasons are not kept: they
/// can quote a cell, and the summary goes into the audit log, which is never erased).
const BAD_LINES_KEPT: usize = 1_000;

/// Rows converted between two progress reports.
const PROGRESS_EVERY: usize = 1_000;

/// Rows the column guesses look at: enough to tell the long free-text column from the
/// others, without copying a file of 100,000 rows to guess.
const SUGGEST_SAMPLE_ROWS: usize = 500;

// ---------------------------------------------------------------------------------------
// Uploads and import jobs waiting in memory
// ---------------------------------------------------------------------------------------

/// The uploads waiting to be imported and the imports running or recently finished.
/// `crate::app` installs one per application as a request extension, so every handler
/// and background task of that application shares it and tests never share one.
#[derive(Clone, Default)]
pub struct ImportWork(Arc<Mutex<Work>>);

#[derive(Default)]
struct Work {
    uploads: HashMap<String, Arc<Upload>>,
    jobs: HashMap<String, Job>,
}

/// A file waiting for its mapping and import.
struct Upload {
    exercise: ExerciseId,
    owner: UserId,
    file_name: String,
    format: Format,
    sha256: String,
    bytes: Vec<u8>,
    created: Instant,
    /// The table last read, with how it was read: the mapping and check pages of one
    /// file read it once.
    table: Mutex<Option<(ReadKey, Arc<Table>)>>,
    /// The rows last checked, with the mapping: confirming what the check page showed
    /// does not check every row a second time before the import starts.
    checked: Mutex<Option<(ReadKey, Mapping, Arc<Check>)>>,
    /// The import started from this upload; a second confirmation goes to its page.
    job: Mutex<Option<String>>,
}

/// One import in the background.
#[derive(Clone)]
struct Job {
    exercise: ExerciseId,
    file_name: String,
    stage: Stage,
    /// Rows converted so far and rows in all, while checking.
    done: u64,
    total: u64,
    finished: Option<Instant>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Stage {
    /// Waiting for the blocking pool to take the rows.
    Starting,
    Checking,
    Storing {
        rows: usize,
    },
    Finished {
        stored: usize,
        duplicates: usize,
        left_out: usize,
    },
    Failed(String),
}

fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    // A panic while holding the lock leaves maps that are still whole (every change
    // is one insert or remove), so the data is used rather than the lock given up on.
    mutex.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

impl ImportWork {
    fn work(&self) -> MutexGuard<'_, Work> {
        lock(&self.0)
    }

    /// Keeps an upload and returns its token, first dropping expired uploads and then
    /// the oldest until the new one fits under [`UPLOADS_MAX_BYTES`].
    fn keep(&self, upload: Upload) -> Result<String, PageError> {
        let token = random_token()?;
        let mut work = self.work();
        work.uploads.retain(|_, u| u.created.elapsed() < UPLOAD_TTL);
        loop {
            let held: usize = work.uploads.values().map(|u| u.bytes.len()).sum();
            if held + upload.bytes.len() <= UPLOADS_MAX_BYTES {
                break;
            }
            let oldest = work.uploads.iter().min_by_key(|(_, u)| u.created).map(|(t, _)| t.clone());
            match oldest {
                Some(t) => work.uploads.remove(&t),
                None => break,
            };
        }
        work.uploads.insert(token.clone(), Arc::new(upload));
        Ok(token)
    }

    /// The upload behind a token, if it is still held and belongs to this exercise and
    /// this person.
    fn upload(&self, token: &str, exercise: ExerciseId, owner: UserId) -> Option<Arc<Upload>> {
        let work = self.work();
        work.uploads
            .get(token)
            .filter(|u| u.exercise == exercise && u.owner == owner && u.created.elapsed() < UPLOAD_TTL)
            .cloned()
    }

    fn forget_upload(&self, token: &str) {
        self.work().uploads.remove(token);
    }

    fn start_job(&self, exercise: ExerciseId, file_name: &str) -> Result<String, PageError> {
        let id = random_token()?;
        let mut work = self.work();
        work.jobs.retain(|_, j| j.finished.is_none_or(|at| at.elapsed() < JOB_TTL));
        work.jobs.insert(
            id.clone(),
            Job {
                exercise,
                file_name: file_name.to_string(),
                stage: Stage::Starting,
                done: 0,
                total: 0,
                finished: None,
            },
        );
        Ok(id)
    }

    fn job(&self, id: &str) -> Option<Job> {
        self.work().jobs.get(id).cloned()
    }

    fn report(&self, id: &str, stage: Stage, done: u64, total: u64) {
        if let Some(job) = self.work().jobs.get_mut(id) {
            if matches!(stage, Stage::Finished { .. } | Stage::Failed(_)) {
                job.finished = Some(Instant::now());
            }
            job.stage = stage;
            job.done = done;
            job.total = total;
        }
    }
}

/// 128 random bits as hex: a token nobody can guess.
fn random_token() -> Result<String, PageError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| PageError::Internal(format!("reading random bytes for an upload: {e}")))?;
    Ok(hex::encode(bytes))
}

// ---------------------------------------------------------------------------------------
// The fields a file's columns map to
// ---------------------------------------------------------------------------------------

/// What a field of the import becomes in a response.
#[derive(Clone, Debug)]
enum Role {
    /// The answer to a free-text question.
    Answer(Question),
    /// The option or options chosen for a choice question.
    Choice(Question),
    RespondentType,
    Organisation,
    /// A local authority area, by name or ONS code.
    Area,
    PublishConsent,
    Received,
    /// Only part of the fingerprint: two rows that differ by it are two respondents.
    RespondentId,
}

/// A field of the import: the crate's target, and how a person reads it.
#[derive(Clone, Debug)]
struct Field {
    target: Target,
    label: String,
    hint: String,
    role: Role,
}

/// Target keys for questions by number, the same as the form's field names
/// (`question_field`: `q-3`): a target's key is `'static`, and no exercise asks more
/// questions than this.
macro_rules! question_keys {
    ($($n:literal)*) => { [$(concat!("q-", $n)),*] };
}
const QUESTION_KEYS: [&str; 99] = question_keys!(
    1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30 31 32 33 34 35 36 37 38
    39 40 41 42 43 44 45 46 47 48 49 50 51 52 53 54 55 56 57 58 59 60 61 62 63 64 65 66 67 68 69 70 71 72 73
    74 75 76 77 78 79 80 81 82 83 84 85 86 87 88 89 90 91 92 93 94 95 96 97 98 99
);

const RESPONDENT_TYPE: Target = Target {
    key: "respondent_type",
    label: "Respondent type",
    required: false,
    free_text: false,
    synonyms: &[
        "responding as",
        "are you responding as",
        "type of respondent",
        "capacity",
        "individual or organisation",
    ],
};
const ORGANISATION: Target = Target {
    key: "organisation",
    label: "Organisation",
    required: false,
    free_text: false,
    synonyms: &["organisation name", "organization", "organization name", "name of organisation", "company name"],
};
const AREA: Target = Target {
    key: "area",
    label: "Area",
    required: false,
    free_text: false,
    synonyms: &[
        "local authority",
        "local authority area",
        "council area",
        "district",
        "borough",
        "area code",
        "ons code",
        "la code",
        "lad code",
        "where do you live",
        "location",
    ],
};
const PUBLISH_CONSENT: Target = Target {
    key: "publish_consent",
    label: "Consent to publish",
    required: false,
    free_text: false,
    synonyms: &["publish", "published", "consent to publish", "may we publish", "permission to publish", "quote"],
};
const RECEIVED: Target = Target {
    key: "received",
    label: "Date received",
    required: false,
    free_text: false,
    synonyms: &[
        "received",
        "date",
        "submitted",
        "submitted at",
        "date submitted",
        "submission date",
        "completed",
        "completed at",
        "end date",
        "timestamp",
        "response date",
    ],
};
const RESPONDENT_ID: Target = Target {
    key: "respondent_id",
    label: "Respondent ID",
    required: false,
    free_text: false,
    synonyms: &["response id", "respondent id", "id", "reference", "ref", "response number", "record id"],
};

/// The fields of an import into an exercise: the free-text questions first (so the
/// longest columns go to them when no header names them), then the choice questions,
/// then who responded and when. Questions numbered above 99 cannot be mapped.
fn fields_of(questions: &[Question]) -> Vec<Field> {
    let mut fields = Vec::new();
    let mut ordered: Vec<&Question> = questions.iter().collect();
    ordered.sort_by_key(|q| (q.content.kind != QuestionKind::Open, q.content.number));
    for q in ordered {
        let Some(key) = QUESTION_KEYS.get((q.content.number as usize).wrapping_sub(1)).copied() else { continue };
        let open = q.content.kind == QuestionKind::Open;
        let target = Target { key, label: key, required: q.content.required, free_text: open, synonyms: &[] };
        let (label, hint, role) = if open {
            (
                format!("Answers to question {}", q.content.number),
                format!("{} (free text{})", q.content.text, if q.content.required { ", required" } else { "" }),
                Role::Answer(q.clone()),
            )
        } else {
            (
                format!("Answers to question {}", q.content.number),
                format!("{} (one of: {})", q.content.text, q.content.options.join("; ")),
                Role::Choice(q.clone()),
            )
        };
        fields.push(Field { target, label, hint, role });
    }
    let others: [(Target, &str, Role); 6] = [
        (RESPONDENT_TYPE, "Words such as Individual, Organisation, Business or Councillor", Role::RespondentType),
        (ORGANISATION, "The organisation responded for, if any", Role::Organisation),
        (AREA, "A local authority area of the body, by name or ONS code", Role::Area),
        (
            PUBLISH_CONSENT,
            "Yes or No: whether quotes may be published; an empty cell counts as No",
            Role::PublishConsent,
        ),
        (RECEIVED, "A date such as 2021-06-01, 01/06/2021 or 1 June 2021, with or without a time", Role::Received),
        (
            RESPONDENT_ID,
            "The other tool's identifier; it tells apart two respondents who wrote the same",
            Role::RespondentId,
        ),
    ];
    for (target, hint, role) in others {
        fields.push(Field { target, label: target.label.to_string(), hint: hint.to_string(), role });
    }
    fields
}

/// Lower case, letters and digits, single spaces: headers and question texts compared.
fn normalise(text: &str) -> String {
    let spaced: String = text.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// The column whose header is the question's text (or contains it, or is contained in
/// it when long enough to mean something), or names it by number (`Q3`, `Question 3`).
fn question_column(headers: &[String], used: &[bool], q: &Question) -> Option<usize> {
    let text = normalise(&q.content.text);
    let n = q.content.number;
    let numbered = [format!("q{n}"), format!("q {n}"), format!("question {n}")];
    (0..headers.len()).find(|&c| {
        let h = normalise(&headers[c]);
        !used[c]
            && !h.is_empty()
            && (h == text
                || numbered.contains(&h)
                || (text.len() >= 12 && h.contains(&text))
                || (h.len() >= 12 && text.contains(&h)))
    })
}

/// The columns proposed for each field: questions matched by their text first, then
/// `pcplan_import::suggest_mapping` for the rest, on a sample of the table in which the
/// columns already taken are blank so that it cannot take them again.
fn suggest(table: &Table, fields: &[Field]) -> BTreeMap<String, usize> {
    let mut used = vec![false; table.headers.len()];
    let mut chosen = BTreeMap::new();
    for field in fields {
        if let Role::Answer(q) | Role::Choice(q) = &field.role
            && let Some(c) = question_column(&table.headers, &used, q)
        {
            used[c] = true;
            chosen.insert(field.target.key.to_string(), c);
        }
    }
    let blank =
        |c: usize, text: &str| if used.get(c).copied().unwrap_or(false) { String::new() } else { text.to_string() };
    let sample = Table {
        headers: table.headers.iter().enumerate().map(|(c, h)| blank(c, h)).collect(),
        rows: table
            .rows
            .iter()
            .take(SUGGEST_SAMPLE_ROWS)
            .map(|r| Row { line: r.line, cells: r.cells.iter().enumerate().map(|(c, v)| blank(c, v)).collect() })
            .collect(),
        encoding: table.encoding,
        sheet: table.sheet.clone(),
        header_line: table.header_line,
        skipped_blank_lines: table.skipped_blank_lines,
        unclosed_quote_line: None,
    };
    let rest: Vec<Target> = fields.iter().filter(|f| !chosen.contains_key(f.target.key)).map(|f| f.target).collect();
    for (key, column) in suggest_mapping(&sample, &rest).0 {
        if !used[column] {
            used[column] = true;
            chosen.insert(key, column);
        }
    }
    chosen
}

// ---------------------------------------------------------------------------------------
// What the person chose: how to read the file, and the mapping
// ---------------------------------------------------------------------------------------

/// How the file is read.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ReadKey {
    header_row: Option<usize>,
    sheet: Option<String>,
}

impl ReadKey {
    fn options(&self) -> ReadOptions {
        ReadOptions { header_row: self.header_row, sheet: self.sheet.clone(), ..ReadOptions::default() }
    }
}

/// The choices carried from page to page in the query string or hidden fields.
#[derive(Clone, Debug, Default)]
struct Choices {
    read: ReadKey,
    /// `None` until the person has submitted the mapping form once.
    mapping: Option<BTreeMap<String, String>>,
}

impl Choices {
    fn from_values(values: &FormValues, errors: &mut FieldErrors) -> Choices {
        let header_row = match values.get("header_row").trim() {
            "" => None,
            raw => match raw.parse::<usize>() {
                Ok(n) if n >= 1 => Some(n),
                _ => {
                    errors.add("header_row", "Header row must be a whole number from 1, like 2");
                    None
                }
            },
        };
        let sheet = Some(values.get("sheet").trim().to_string()).filter(|s| !s.is_empty());
        let mapped: BTreeMap<String, String> = values
            .0
            .iter()
            .filter_map(|(name, value)| name.strip_prefix("map-").map(|key| (key.to_string(), value.clone())))
            .collect();
        let mapping = (!mapped.is_empty() || values.is_set("mapped")).then_some(mapped);
        Choices { read: ReadKey { header_row, sheet }, mapping }
    }

    /// The choices as `(name, value)` pairs, for links and hidden fields.
    fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs = Vec::new();
        if let Some(n) = self.read.header_row {
            pairs.push((String::from("header_row"), n.to_string()));
        }
        if let Some(sheet) = &self.read.sheet {
            pairs.push((String::from("sheet"), sheet.clone()));
        }
        if let Some(mapping) = &self.mapping {
            pairs.push((String::from("mapped"), String::from("yes")));
            for (key, value) in mapping {
                pairs.push((format!("map-{key}"), value.clone()));
            }
        }
        pairs
    }

    fn query(&self) -> String {
        let pairs = self.pairs();
        if pairs.is_empty() {
            return String::new();
        }
        let joined: Vec<String> = pairs.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect();
        format!("?{}", joined.join("&"))
    }
}

/// Checks the chosen columns: each a column of the file, none chosen twice, every
/// required question and at least one question mapped. Errors go beside the selects.
fn checked_mapping(table: &Table, fields: &[Field], chosen: &BTreeMap<String, String>) -> Result<Mapping, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut mapping = BTreeMap::new();
    let mut taken: BTreeMap<usize, &str> = BTreeMap::new();
    for field in fields {
        let name = format!("map-{}", field.target.key);
        let raw = chosen.get(field.target.key).map(|s| s.trim()).unwrap_or("");
        if raw.is_empty() {
            if field.target.required {
                errors.add(
                    &name,
                    format!("Choose the column that holds the {}; the question is required", lower_first(&field.label)),
                );
            }
            continue;
        }
        match raw.parse::<usize>() {
            Ok(c) if c < table.headers.len() => {
                if let Some(first) = taken.insert(c, field.label.as_str()) {
                    errors.add(
                        &name,
                        format!(
                            "Column `{}` is already chosen for {}; choose each column once",
                            table.headers[c], first
                        ),
                    );
                } else {
                    mapping.insert(field.target.key.to_string(), c);
                }
            }
            _ => errors.add(&name, "Choose one of the file's columns, or none"),
        }
    }
    let any_answer = fields
        .iter()
        .filter(|f| matches!(f.role, Role::Answer(_) | Role::Choice(_)))
        .any(|f| mapping.contains_key(f.target.key));
    if !any_answer && let Some(first) = fields.iter().find(|f| matches!(f.role, Role::Answer(_) | Role::Choice(_))) {
        errors.add(
            &format!("map-{}", first.target.key),
            "Choose the column that holds the answers to at least one question",
        );
    }
    if fields.iter().all(|f| !matches!(f.role, Role::Answer(_) | Role::Choice(_))) {
        errors.add("map-respondent_type", "The exercise has no questions yet; add them before importing answers");
    }
    if errors.is_empty() { Ok(Mapping(mapping)) } else { Err(errors) }
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

// ---------------------------------------------------------------------------------------
// From mapped rows to responses
// ---------------------------------------------------------------------------------------

/// What converting rows needs to know about the exercise.
#[derive(Clone, Debug)]
struct Context {
    fields: Vec<Field>,
    questions: Vec<Question>,
    areas: Vec<Area>,
    /// Target key to the header of its column, for messages.
    headers: BTreeMap<String, String>,
    /// The time of responses whose file gives none: when the import ran.
    now: DateTime<Utc>,
}

/// Every row of a file, checked: the responses to store and the bad rows by line.
struct Converted {
    rows: Vec<NewResponse>,
    bad: Vec<BadRow>,
}

fn convert_all(
    table: &Table,
    mapping: &Mapping,
    context: &Context,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Converted, String> {
    let targets: Vec<Target> = context.fields.iter().map(|f| f.target).collect();
    let mapped = apply(table, mapping, &targets, &Limits::default()).map_err(|e| super::sentence(&e.to_string()))?;
    let total = mapped.good.len() as u64;
    let mut rows = Vec::with_capacity(mapped.good.len());
    let mut bad = mapped.bad;
    for (i, row) in mapped.good.iter().enumerate() {
        match convert(row, context) {
            Ok(response) => rows.push(response),
            Err(reason) => bad.push(BadRow { line: row.line, reason }),
        }
        if (i + 1) % PROGRESS_EVERY == 0 {
            progress(i as u64 + 1, total);
        }
    }
    progress(total, total);
    bad.sort_by_key(|b| b.line);
    Ok(Converted { rows, bad })
}

/// One good row of the file as a response, or the reason it is a bad row.
fn convert(row: &MappedRow, context: &Context) -> Result<NewResponse, String> {
    let mut problems: Vec<String> = Vec::new();
    let mut submission = Submission { consent: true, ..Submission::default() };
    let mut received_at = context.now;
    let column = |key: &str| context.headers.get(key).map(String::as_str).unwrap_or(key).to_string();
    for field in &context.fields {
        let key = field.target.key;
        let Some(value) = row.values.get(key) else {
            if matches!(field.role, Role::PublishConsent) && context.headers.contains_key(key) {
                // The tool asked and the respondent did not say yes: as on our own form,
                // no answer is no.
                submission.publish_consent = Some(false);
            }
            continue;
        };
        match &field.role {
            Role::Answer(q) => {
                let chars = value.chars().count();
                if chars > q.content.max_chars as usize {
                    problems.push(format!(
                        "column `{}` is {chars} characters; question {} takes up to {}",
                        column(key),
                        q.content.number,
                        q.content.max_chars
                    ));
                } else {
                    submission.answers.insert(q.id, AnswerValue::Text(value.clone()));
                }
            }
            Role::Choice(q) => match choices(value, &q.content.options) {
                Ok(chosen) if q.content.kind == QuestionKind::Single && chosen.len() > 1 => problems.push(format!(
                    "column `{}` chooses {} options; question {} takes one",
                    column(key),
                    chosen.len(),
                    q.content.number
                )),
                Ok(chosen) => {
                    submission.answers.insert(q.id, AnswerValue::Choices(chosen));
                }
                Err(unknown) => problems.push(format!(
                    "column `{}`: `{unknown}` is not an option of question {} ({})",
                    column(key),
                    q.content.number,
                    q.content.options.join("; ")
                )),
            },
            Role::RespondentType => submission.respondent.kind = RespondentType::from_export(value),
            Role::Organisation => submission.respondent.organisation = value.clone(),
            Role::Area => match area_code(value, &context.areas) {
                Some(code) => submission.respondent.area = Some(code),
                None => problems.push(format!(
                    "column `{}`: `{value}` is not one of the body's areas; use a name or ONS code such as {}",
                    column(key),
                    area_examples(&context.areas)
                )),
            },
            Role::PublishConsent => match yes_or_no(value) {
                Some(yes) => submission.publish_consent = Some(yes),
                None => problems.push(format!(
                    "column `{}`: `{value}` is not a yes or no answer; write Yes or No, or leave it empty",
                    column(key)
                )),
            },
            Role::Received => match parse_received(value) {
                Some(at) => received_at = at,
                None => problems.push(format!(
                    "column `{}`: `{value}` is not a date; write it like 2021-06-01, 01/06/2021 or 1 June 2021",
                    column(key)
                )),
            },
            Role::RespondentId => {}
        }
    }
    if problems.is_empty() && submission.answers.is_empty() {
        let columns: Vec<String> = context
            .fields
            .iter()
            .filter(|f| matches!(f.role, Role::Answer(_) | Role::Choice(_)))
            .filter_map(|f| context.headers.get(f.target.key).map(|h| format!("`{h}`")))
            .collect();
        problems.push(format!(
            "no answer: {} {} empty",
            columns.join(", "),
            if columns.len() == 1 { "is" } else { "are all" }
        ));
    }
    if problems.is_empty() {
        // The domain's own rules, as the public form applies them: anything the checks
        // above let through is named here by the column it came from.
        let areas: Vec<&str> = context.areas.iter().map(|a| a.code.as_str()).collect();
        if let Err(found) = submission.check(&context.questions, &areas) {
            for p in found.0 {
                // A question's field (`q-3`) is also its target's key, so both name the column.
                let what = match context.headers.get(&p.field) {
                    Some(header) => format!("column `{header}`"),
                    None => match p.field.strip_prefix("q-") {
                        Some(number) => format!("question {number}"),
                        None => p.field.clone(),
                    },
                };
                problems.push(format!("{what}: {}", p.problem));
            }
        }
    }
    if !problems.is_empty() {
        return Err(problems.join("; "));
    }
    Ok(NewResponse {
        channel: Channel::Imported,
        submission,
        fingerprint: format!("import:{}", row.fingerprint),
        event: None,
        received_at,
        source_line: i64::try_from(row.line).ok(),
    })
}

/// The options a cell chooses: the whole cell as one option, else its parts split at
/// `;`, `|` or line breaks, else at commas (options may hold commas, so those last).
/// Matched ignoring case and spacing; `Err` is the first part that is no option.
fn choices(value: &str, options: &[String]) -> Result<Vec<String>, String> {
    let find = |part: &str| options.iter().find(|o| normalise(o) == normalise(part)).cloned();
    if let Some(one) = find(value) {
        return Ok(vec![one]);
    }
    let mut first_unknown = None;
    for separators in [&[';', '|', '\n'][..], &[','][..]] {
        let parts: Vec<&str> = value.split(separators).map(str::trim).filter(|p| !p.is_empty()).collect();
        let found: Vec<Option<String>> = parts.iter().map(|p| find(p)).collect();
        if parts.len() > 1 && found.iter().all(Option::is_some) {
            let mut chosen: Vec<String> = Vec::new();
            for option in found.into_iter().flatten() {
                if !chosen.contains(&option) {
                    chosen.push(option);
                }
            }
            return Ok(chosen);
        }
        if first_unknown.is_none() && parts.len() > 1 {
            first_unknown = parts.iter().zip(&found).find(|(_, f)| f.is_none()).map(|(p, _)| p.to_string());
        }
    }
    Err(first_unknown.unwrap_or_else(|| value.to_string()))
}

/// An area of the body by its ONS code or its name, ignoring case, punctuation and a
/// trailing "council" (`Birmingham City Council` is Birmingham).
fn area_code(value: &str, areas: &[Area]) -> Option<String> {
    if let Some(area) = areas.iter().find(|a| a.code.eq_ignore_ascii_case(value.trim())) {
        return Some(area.code.clone());
    }
    let wanted = normalise(value);
    let trimmed = [
        " metropolitan borough council",
        " borough council",
        " district council",
        " city council",
        " county council",
        " council",
    ]
    .iter()
    .find_map(|suffix| wanted.strip_suffix(suffix))
    .unwrap_or(&wanted)
    .to_string();
    areas
        .iter()
        .find(|a| {
            let name = normalise(&a.name);
            name == wanted || name == trimmed || name.strip_prefix("city of ") == Some(trimmed.as_str())
        })
        .map(|a| a.code.clone())
}

/// `Birmingham (E08000025)` and one more, for a message.
fn area_examples(areas: &[Area]) -> String {
    let shown: Vec<String> = areas.iter().take(2).map(|a| format!("`{}` or `{}`", a.name, a.code)).collect();
    if shown.is_empty() { String::from("none (the body has no areas)") } else { shown.join(", ") }
}

/// Yes or no in the words survey tools write: `Yes`, `Y`, `TRUE`, `1`, `I agree`,
/// `Yes, in full`; `No`, `N`, `FALSE`, `0`, `I do not agree`. `None` for anything else.
fn yes_or_no(value: &str) -> Option<bool> {
    let v = normalise(value);
    let first = v.split(' ').next().unwrap_or("");
    match (v.as_str(), first) {
        ("true" | "y" | "1" | "agree" | "i agree" | "consent" | "i consent", _) | (_, "yes") => Some(true),
        ("false" | "n" | "0" | "disagree" | "i do not agree" | "i disagree" | "do not publish", _) | (_, "no") => {
            Some(false)
        }
        _ => None,
    }
}

/// A date or date and time as tools write them: ISO 8601 (with or without a zone),
/// `01/06/2021` (day first, as in the UK), `1 June 2021`, with or without a time. Times
/// without a zone are the server's local time (Europe/London in production); a date
/// alone is taken as midday, so it never slips to another day when shown in UTC.
fn parse_received(value: &str) -> Option<DateTime<Utc>> {
    let v = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(v) {
        return Some(at.with_timezone(&Utc));
    }
    const DATE_TIMES: [&str; 8] = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
        "%d/%m/%Y %H:%M:%S",
        "%d/%m/%Y %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%d-%m-%Y %H:%M",
    ];
    const DATES: [&str; 7] = ["%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%d %B %Y", "%d %b %Y"];
    let local = |naive: NaiveDateTime| Local.from_local_datetime(&naive).earliest().map(|t| t.with_timezone(&Utc));
    // Fractions of a second (`14:05:00.123`) are dropped, as are the seconds they belong to.
    let whole = v.split_once('.').filter(|(head, _)| head.contains(':')).map_or(v, |(head, _)| head);
    for format in DATE_TIMES {
        if let Ok(naive) = NaiveDateTime::parse_from_str(whole, format) {
            return local(naive);
        }
    }
    let noon = NaiveTime::from_hms_opt(12, 0, 0)?;
    DATES
        .iter()
        .find_map(|format| NaiveDate::parse_from_str(v, format).ok())
        .and_then(|date| local(date.and_time(noon)))
}

// ---------------------------------------------------------------------------------------
// Reading and checking a file
// ---------------------------------------------------------------------------------------

/// The table of an upload read as `key` asks, from the upload's cache or read now (on a
/// blocking thread: 100,000 rows take a second or two).
async fn table_of(upload: &Arc<Upload>, key: &ReadKey) -> Result<Arc<Table>, String> {
    if let Some((cached, table)) = lock(&upload.table).as_ref()
        && cached == key
    {
        return Ok(table.clone());
    }
    let (u, k) = (upload.clone(), key.clone());
    let table = tokio::task::spawn_blocking(move || read(&u.file_name, &u.bytes, &k.options(), &mut |_| {}))
        .await
        .map_err(|e| format!("reading the file stopped: {e}"))?
        .map_err(|e| super::sentence(&e.to_string()))?;
    let table = Arc::new(table);
    *lock(&upload.table) = Some((key.clone(), table.clone()));
    Ok(table)
}

/// How many rows are good and which are bad, for the check page.
struct Check {
    good: usize,
    /// The fingerprints of the good rows, to count those already stored.
    fingerprints: Vec<String>,
    bad: Vec<BadRow>,
}

async fn check_rows(table: Arc<Table>, mapping: Mapping, context: Context) -> Result<Check, PageError> {
    tokio::task::spawn_blocking(move || convert_all(&table, &mapping, &context, &mut |_, _| {}))
        .await
        .map_err(|e| PageError::Internal(format!("checking the rows stopped: {e}")))?
        .map(|c| Check {
            good: c.rows.len(),
            fingerprints: c.rows.into_iter().map(|r| r.fingerprint).collect(),
            bad: c.bad,
        })
        .map_err(PageError::Internal)
}

async fn context_of(
    state: &AppState,
    exercise: &Exercise,
    table: &Table,
    mapping: &Mapping,
) -> Result<Context, PageError> {
    let questions = state.store.questions(exercise.id).await?;
    let areas = state.store.body(exercise.body_id).await?.map(|b| b.areas).unwrap_or_default();
    let fields = fields_of(&questions);
    let headers =
        mapping.0.iter().filter_map(|(key, &c)| table.headers.get(c).map(|h| (key.clone(), h.clone()))).collect();
    Ok(Context { fields, questions, areas, headers, now: Utc::now() })
}

// ---------------------------------------------------------------------------------------
// Paths and routes
// ---------------------------------------------------------------------------------------

/// `/staff/consultations/{id}/import`.
pub fn import_path(id: ExerciseId) -> String {
    format!("{}/import", exercise_path(id))
}

fn upload_path(id: ExerciseId, token: &str) -> String {
    format!("{}/{token}", import_path(id))
}

fn job_path(id: ExerciseId, job: &str) -> String {
    format!("{}/jobs/{job}", import_path(id))
}

/// The routes of this module. The upload takes bodies up to the import limit: its reader
/// counts the file's bytes itself (`crate::is_import_path` lets them past the layers).
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(
            "/staff/consultations/{id}/import",
            get(upload_page).post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/staff/consultations/{id}/import/{token}", get(mapping_page).post(confirm))
        .route("/staff/consultations/{id}/import/{token}/check", get(check_page))
        .route("/staff/consultations/{id}/import/{token}/bad-rows.csv", get(bad_rows_csv))
        .route("/staff/consultations/{id}/import/jobs/{job}", get(job_page))
}

// ---------------------------------------------------------------------------------------
// The upload
// ---------------------------------------------------------------------------------------

/// An earlier import of the exercise.
pub struct PastImport {
    pub file_name: String,
    pub when: String,
    pub by: String,
    pub rows: String,
    pub left_out: String,
}

#[derive(Template)]
#[template(path = "staff/consultation_import.html")]
pub struct UploadPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub errors: FieldErrors,
    pub warning: Option<String>,
    pub editable: bool,
    pub action: String,
    pub limit: String,
    pub past: Vec<PastImport>,
    pub responses_href: String,
}

#[derive(serde::Deserialize, Default)]
pub struct UploadQuery {
    #[serde(default)]
    pub done: Option<String>,
}

async fn upload_view(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    errors: FieldErrors,
    warning: Option<String>,
) -> Result<UploadPage, PageError> {
    let past = state
        .store
        .imports(exercise.id)
        .await?
        .into_iter()
        .map(|i| {
            let number = |name: &str| i.summary.get(name).and_then(serde_json::Value::as_u64);
            PastImport {
                file_name: i.file_name.clone(),
                when: date_time(i.created_at),
                by: i.created_by.clone(),
                rows: number("good_rows").or_else(|| number("rows")).map(|n| n.to_string()).unwrap_or_default(),
                left_out: number("bad_rows_left_out").map(|n| n.to_string()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(UploadPage {
        layout: user.layout("Import responses").with_errors(!errors.is_empty()),
        crumbs: trail(Some(exercise)),
        caption: exercise.content.title.clone(),
        errors,
        warning,
        editable: can_edit(&user.user),
        action: import_path(exercise.id),
        limit: pcplan_domain::paper::size_label(crate::IMPORT_MAX_BYTES as u64),
        past,
        responses_href: format!("{}/responses", exercise_path(exercise.id)),
    })
}

/// `GET /staff/consultations/{id}/import`: the upload form and the earlier imports.
pub async fn upload_page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<UploadQuery>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let warning = match query.done.as_deref() {
        Some("expired") => Some(String::from(
            "The uploaded file is no longer held (files wait an hour, and not across a restart); upload it again",
        )),
        _ => None,
    };
    render(&upload_view(&state, &user, &exercise, FieldErrors::default(), warning).await?)
}

/// A file from a multipart form: its name and bytes, or that it was over `limit`.
pub(super) struct UploadedFile {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub too_large: bool,
}

/// Reads a multipart form: the text fields into [`FormValues`], and the part named
/// `file` (`None` when the form has none) counted as it arrives, reading stopping once
/// it passes `limit`. The reason as text when the body is not a readable multipart form.
pub(super) async fn read_multipart(
    mut form: Multipart,
    limit: usize,
) -> Result<(FormValues, Option<UploadedFile>), String> {
    let mut values = FormValues::default();
    let mut sent = None;
    while let Some(mut field) = form.next_field().await.map_err(|e| e.body_text())? {
        let name = field.name().unwrap_or("").to_string();
        if name == "file" {
            let file = sent.insert(UploadedFile {
                file_name: field.file_name().unwrap_or("").to_string(),
                bytes: Vec::new(),
                too_large: false,
            });
            while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
                if file.bytes.len() + chunk.len() > limit {
                    file.too_large = true;
                    break;
                }
                file.bytes.extend_from_slice(&chunk);
            }
            if file.too_large {
                break;
            }
        } else if !name.is_empty() {
            let text = field.text().await.map_err(|e| e.body_text())?;
            values.push(name, text);
        }
    }
    Ok((values, sent))
}

/// `POST /staff/consultations/{id}/import` (multipart, `file`): keeps the file and goes
/// to the mapping page. Files that are no CSV or XLSX at all (a PDF, an `.xls`) are
/// refused here; anything else about reading is shown, and can be changed, there.
pub async fn upload(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let mut errors = FieldErrors::default();
    let file = match read_multipart(form, crate::IMPORT_MAX_BYTES).await {
        Ok((_, file)) => {
            Some(file.unwrap_or(UploadedFile { file_name: String::new(), bytes: Vec::new(), too_large: false }))
        }
        Err(reason) => {
            errors.add("file", format!("The upload could not be read ({reason}); choose the file again"));
            None
        }
    };
    if let Some(file) = file {
        let name = if file.file_name.trim().is_empty() { String::from("responses") } else { file.file_name.clone() };
        if file.too_large {
            errors.add(
                "file",
                format!(
                    "{name} is larger than {}, the most an import can be; split it into smaller files",
                    pcplan_domain::paper::size_label(crate::IMPORT_MAX_BYTES as u64)
                ),
            );
        } else if file.file_name.is_empty() && file.bytes.is_empty() {
            errors.add("file", "Select a CSV or XLSX file of responses");
        } else {
            match sniff(&name, &file.bytes) {
                Err(e) => errors.add("file", super::sentence(&e.to_string())),
                Ok(format) => {
                    let sha256 = hex::encode(Sha256::digest(&file.bytes));
                    let token = work.keep(Upload {
                        exercise: exercise.id,
                        owner: user.user.id,
                        file_name: name,
                        format,
                        sha256,
                        bytes: file.bytes,
                        created: Instant::now(),
                        table: Mutex::new(None),
                        checked: Mutex::new(None),
                        job: Mutex::new(None),
                    })?;
                    return Ok(see_other(&upload_path(exercise.id, &token)));
                }
            }
        }
    }
    let page = upload_view(&state, &user, &exercise, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------------------------
// The mapping page
// ---------------------------------------------------------------------------------------

/// One column choice on the mapping form.
pub struct MapField {
    pub name: String,
    pub label: String,
    pub hint: String,
    pub error: Option<String>,
    /// (value, label, selected).
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "staff/consultation_import_mapping.html")]
pub struct MappingPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub errors: FieldErrors,
    pub facts: Vec<(String, String)>,
    pub read_error: Option<String>,
    pub is_xlsx: bool,
    pub header_row: String,
    pub sheet: String,
    pub header_row_error: Option<String>,
    pub reread_action: String,
    pub headers: Vec<String>,
    /// (line, cells).
    pub preview: Vec<(usize, Vec<String>)>,
    pub fields: Vec<MapField>,
    pub check_action: String,
    pub hidden: Vec<(String, String)>,
    pub import_href: String,
}

/// The file's facts as the pages show them.
fn facts(upload: &Upload, table: Option<&Table>) -> Vec<(String, String)> {
    let mut facts = vec![(String::from("File"), upload.file_name.clone())];
    match (upload.format, table) {
        (Format::Csv, Some(t)) => {
            facts.push((String::from("Format"), format!("CSV, {}", t.encoding.map(Encoding::name).unwrap_or("text"))))
        }
        (Format::Csv, None) => facts.push((String::from("Format"), String::from("CSV"))),
        (Format::Xlsx, Some(t)) => {
            facts.push((String::from("Format"), format!("XLSX workbook, sheet `{}`", t.sheet.as_deref().unwrap_or(""))))
        }
        (Format::Xlsx, None) => facts.push((String::from("Format"), String::from("XLSX workbook"))),
    }
    if let Some(t) = table {
        facts.push((String::from("Header row"), format!("Line {}", t.header_line)));
        let mut rows = format!("{} row(s) of data", t.rows.len());
        if t.skipped_blank_lines > 0 {
            rows.push_str(&format!(", {} blank line(s) skipped", t.skipped_blank_lines));
        }
        facts.push((String::from("Rows"), rows));
    }
    facts
}

fn column_label(table: &Table, c: usize) -> String {
    format!("Column {}: {}", c + 1, excerpt(&table.headers[c]))
}

#[allow(clippy::too_many_arguments)]
fn mapping_view(
    user: &CurrentUser,
    exercise: &Exercise,
    token: &str,
    upload: &Upload,
    choices: &Choices,
    table: Result<&Table, String>,
    fields: &[Field],
    mut errors: FieldErrors,
) -> MappingPage {
    let (table, read_error) = match table {
        Ok(t) => (Some(t), None),
        Err(message) => {
            errors.add("header_row", message.clone());
            (None, Some(message))
        }
    };
    let chosen: BTreeMap<String, String> = match (&choices.mapping, table) {
        (Some(m), _) => m.clone(),
        (None, Some(t)) => suggest(t, fields).into_iter().map(|(k, c)| (k, c.to_string())).collect(),
        (None, None) => BTreeMap::new(),
    };
    let map_fields = match table {
        None => Vec::new(),
        Some(t) => fields
            .iter()
            .map(|f| {
                let name = format!("map-{}", f.target.key);
                let current = chosen.get(f.target.key).cloned().unwrap_or_default();
                let mut options = vec![(String::new(), String::from("Not in the file"), current.is_empty())];
                options.extend(
                    (0..t.headers.len()).map(|c| (c.to_string(), column_label(t, c), current == c.to_string())),
                );
                MapField {
                    error: errors.get(&name).map(str::to_string),
                    name,
                    label: f.label.clone(),
                    hint: f.hint.clone(),
                    options,
                }
            })
            .collect(),
    };
    let mut hidden = Vec::new();
    if let Some(n) = choices.read.header_row {
        hidden.push((String::from("header_row"), n.to_string()));
    }
    if let Some(s) = &choices.read.sheet {
        hidden.push((String::from("sheet"), s.clone()));
    }
    hidden.push((String::from("mapped"), String::from("yes")));
    MappingPage {
        layout: user.layout("Choose the columns").with_errors(!errors.is_empty()),
        crumbs: import_crumbs(exercise),
        caption: exercise.content.title.clone(),
        header_row_error: errors.get("header_row").map(str::to_string),
        errors,
        facts: facts(upload, table),
        read_error,
        is_xlsx: upload.format == Format::Xlsx,
        header_row: choices
            .read
            .header_row
            .map(|n| n.to_string())
            .or_else(|| table.map(|t| t.header_line.to_string()))
            .unwrap_or_default(),
        sheet: choices.read.sheet.clone().or_else(|| table.and_then(|t| t.sheet.clone())).unwrap_or_default(),
        reread_action: upload_path(exercise.id, token),
        headers: table.map(|t| t.headers.iter().map(|h| excerpt(h)).collect()).unwrap_or_default(),
        preview: table
            .map(|t| {
                t.rows
                    .iter()
                    .take(PREVIEW_ROWS)
                    .map(|r| (r.line, r.cells.iter().map(|c| excerpt(c)).collect()))
                    .collect()
            })
            .unwrap_or_default(),
        fields: map_fields,
        check_action: format!("{}/check", upload_path(exercise.id, token)),
        hidden,
        import_href: import_path(exercise.id),
    }
}

fn import_crumbs(exercise: &Exercise) -> Vec<Crumb> {
    let mut crumbs = trail(Some(exercise));
    crumbs.push(Crumb::new("Import responses", import_path(exercise.id)));
    crumbs
}

/// The exercise, the person's upload and what they chose; an upload no longer held
/// sends them back to upload it again.
async fn located(
    state: &AppState,
    work: &ImportWork,
    user: &CurrentUser,
    id: &str,
    token: &str,
) -> Result<Result<(Exercise, Arc<Upload>), Response>, PageError> {
    require_editor(user)?;
    let exercise = load_exercise(state, id).await?;
    Ok(match work.upload(token, exercise.id, user.user.id) {
        Some(upload) => Ok((exercise, upload)),
        None => Err(see_other(&format!("{}?done=expired", import_path(exercise.id)))),
    })
}

/// `GET /staff/consultations/{id}/import/{token}?header_row=&sheet=&map-…=`: how the
/// file was read, its first rows, and a column for each field.
pub async fn mapping_page(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path((id, token)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (exercise, upload) = match located(&state, &work, &user, &id, &token).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let mut errors = FieldErrors::default();
    let choices = Choices::from_values(&FormValues::new(pairs), &mut errors);
    let questions = state.store.questions(exercise.id).await?;
    let fields = fields_of(&questions);
    let table = table_of(&upload, &choices.read).await;
    let failed = table.is_err() || !errors.is_empty();
    let page = mapping_view(
        &user,
        &exercise,
        &token,
        &upload,
        &choices,
        table.as_deref().map_err(Clone::clone),
        &fields,
        errors,
    );
    if failed { render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page) } else { render(&page) }
}

// ---------------------------------------------------------------------------------------
// The check page and the confirmation
// ---------------------------------------------------------------------------------------

/// A bad row as the check page lists it.
pub struct BadRowView {
    pub line: usize,
    pub reason: String,
}

#[derive(Template)]
#[template(path = "staff/consultation_import_check.html")]
pub struct CheckPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub errors: FieldErrors,
    pub facts: Vec<(String, String)>,
    pub columns: Vec<(String, String)>,
    pub rows: usize,
    pub good: usize,
    /// Good rows already stored by an earlier import: they will not be stored again.
    pub already: usize,
    pub bad_count: usize,
    pub bad: Vec<BadRowView>,
    pub bad_csv_href: String,
    pub earlier: Vec<String>,
    pub change_href: String,
    pub action: String,
    pub hidden: Vec<(String, String)>,
    pub leave_out_error: Option<String>,
}

/// The check page's view of a mapping, or the mapping page again when the mapping is
/// refused (as `Err`).
#[allow(clippy::too_many_arguments)]
async fn check_view(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    token: &str,
    upload: &Arc<Upload>,
    choices: &Choices,
    errors: FieldErrors,
) -> Result<Result<(CheckPage, Arc<Check>, Mapping, Arc<Table>), MappingPage>, PageError> {
    let questions = state.store.questions(exercise.id).await?;
    let fields = fields_of(&questions);
    let table = match table_of(upload, &choices.read).await {
        Ok(t) => t,
        Err(message) => {
            return Ok(Err(mapping_view(user, exercise, token, upload, choices, Err(message), &fields, errors)));
        }
    };
    let chosen = choices.mapping.clone().unwrap_or_default();
    let mapping = match checked_mapping(&table, &fields, &chosen) {
        Ok(m) => m,
        Err(mut refused) => {
            refused.0.extend(errors.0);
            let with = Choices { mapping: Some(chosen), ..choices.clone() };
            return Ok(Err(mapping_view(user, exercise, token, upload, &with, Ok(&table), &fields, refused)));
        }
    };
    let context = context_of(state, exercise, &table, &mapping).await?;
    let columns = fields
        .iter()
        .filter_map(|f| mapping.column(f.target.key).map(|c| (f.label.clone(), table.headers[c].clone())))
        .collect();
    let cached = lock(&upload.checked)
        .as_ref()
        .filter(|(read, m, _)| *read == choices.read && *m == mapping)
        .map(|(_, _, check)| check.clone());
    let check = match cached {
        Some(check) => check,
        None => {
            let check = Arc::new(check_rows(table.clone(), mapping.clone(), context).await?);
            *lock(&upload.checked) = Some((choices.read.clone(), mapping.clone(), check.clone()));
            check
        }
    };
    let earlier = state
        .store
        .imports(exercise.id)
        .await?
        .into_iter()
        .filter(|i| i.sha256 == upload.sha256)
        .map(|i| format!("{} by {}", date_time(i.created_at), i.created_by))
        .collect();
    let already = state.store.known_fingerprints(exercise.id, &check.fingerprints).await?;
    let base = upload_path(exercise.id, token);
    let page = CheckPage {
        layout: user.layout("Check the rows").with_errors(!errors.is_empty()),
        crumbs: import_crumbs(exercise),
        caption: exercise.content.title.clone(),
        leave_out_error: errors.get("leave_out_bad").map(str::to_string),
        errors,
        facts: facts(upload, Some(&table)),
        columns,
        rows: table.rows.len(),
        good: check.good,
        already,
        bad_count: check.bad.len(),
        bad: check
            .bad
            .iter()
            .take(BAD_ROWS_SHOWN)
            .map(|b| BadRowView { line: b.line, reason: b.reason.clone() })
            .collect(),
        bad_csv_href: format!("{base}/bad-rows.csv{}", choices.query()),
        earlier,
        change_href: format!("{base}{}", choices.query()),
        action: base,
        hidden: choices.pairs(),
    };
    Ok(Ok((page, check, mapping, table)))
}

/// `GET /staff/consultations/{id}/import/{token}/check?…`: the good and bad rows of the
/// mapping, and the choice to import.
pub async fn check_page(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path((id, token)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (exercise, upload) = match located(&state, &work, &user, &id, &token).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let mut errors = FieldErrors::default();
    let mut choices = Choices::from_values(&FormValues::new(pairs), &mut errors);
    if choices.mapping.is_none() {
        choices.mapping = Some(BTreeMap::new());
    }
    match check_view(&state, &user, &exercise, &token, &upload, &choices, errors).await? {
        Ok((page, ..)) => render(&page),
        Err(mapping) => render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &mapping),
    }
}

/// `GET /staff/consultations/{id}/import/{token}/bad-rows.csv?…`: every bad row of the
/// mapping, as `line,reason`.
pub async fn bad_rows_csv(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path((id, token)): Path<(String, String)>,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (exercise, upload) = match located(&state, &work, &user, &id, &token).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    let mut errors = FieldErrors::default();
    let choices = Choices::from_values(&FormValues::new(pairs), &mut errors);
    let check = match check_view(&state, &user, &exercise, &token, &upload, &choices, errors).await? {
        Ok((_, check, ..)) => check,
        Err(mapping) => return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &mapping),
    };
    let mut csv = Csv::new();
    csv.row(["line", "reason"]);
    for b in &check.bad {
        csv.row([b.line.to_string(), b.reason.clone()]);
    }
    Ok((
        [
            (CONTENT_TYPE, String::from("text/csv; charset=utf-8")),
            (CONTENT_DISPOSITION, String::from("attachment; filename=\"bad-rows.csv\"")),
            // The reasons quote cells of respondents' rows: never kept by a cache.
            (CACHE_CONTROL, String::from("no-store")),
        ],
        csv.finish(),
    )
        .into_response())
}

/// `POST /staff/consultations/{id}/import/{token}`: starts the import of the good rows
/// (all of them, or with the bad ones left out when `leave_out_bad` is ticked) in the
/// background and goes to its progress page.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path((id, token)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (exercise, upload) = match located(&state, &work, &user, &id, &token).await? {
        Ok(found) => found,
        Err(redirect) => return Ok(redirect),
    };
    if let Some(job) = lock(&upload.job).clone()
        && work.job(&job).is_some()
    {
        // A second click on Import: the first import is the one that runs.
        return Ok(see_other(&job_path(exercise.id, &job)));
    }
    let values = FormValues::new(pairs);
    let leave_out = values.is_set("leave_out_bad");
    let mut errors = FieldErrors::default();
    let mut choices = Choices::from_values(&values, &mut errors);
    if choices.mapping.is_none() {
        choices.mapping = Some(BTreeMap::new());
    }
    let (mut page, check, mapping, table) =
        match check_view(&state, &user, &exercise, &token, &upload, &choices, errors).await? {
            Ok(found) => found,
            Err(mapping) => return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &mapping),
        };
    let refusal = if check.good == 0 {
        Some(String::from("No row can be imported; fix the file and upload it again"))
    } else if !check.bad.is_empty() && !leave_out {
        Some(format!(
            "Nothing was imported: {} row(s) are bad. Tick the box to import the {} good row(s) without them, or fix the \
             file and upload it again",
            check.bad.len(),
            check.good
        ))
    } else {
        None
    };
    if let Some(message) = refusal {
        page.errors.add("leave_out_bad", message.clone());
        page.leave_out_error = Some(message);
        page.layout = page.layout.with_errors(true);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let context = context_of(&state, &exercise, &table, &mapping).await?;
    let job = {
        // Checked again under the lock: of two clicks arriving together, one starts.
        let mut slot = lock(&upload.job);
        if let Some(existing) = slot.clone()
            && work.job(&existing).is_some()
        {
            return Ok(see_other(&job_path(exercise.id, &existing)));
        }
        let job = work.start_job(exercise.id, &upload.file_name)?;
        *slot = Some(job.clone());
        job
    };
    let plan = Plan { table, mapping, context, leave_out, token: token.clone() };
    tokio::spawn(run(work.clone(), job.clone(), state.store.clone(), user.actor(), exercise.id, upload, plan));
    Ok(see_other(&job_path(exercise.id, &job)))
}

// ---------------------------------------------------------------------------------------
// The import in the background
// ---------------------------------------------------------------------------------------

/// Everything the background import needs.
struct Plan {
    table: Arc<Table>,
    mapping: Mapping,
    context: Context,
    leave_out: bool,
    token: String,
}

/// Converts the rows with progress, then stores them in one transaction.
async fn run(
    work: ImportWork,
    job: String,
    store: Store,
    actor: Actor,
    exercise: ExerciseId,
    upload: Arc<Upload>,
    plan: Plan,
) {
    let (w, j, u) = (work.clone(), job.clone(), upload.clone());
    let token = plan.token.clone();
    let prepared = tokio::task::spawn_blocking(move || {
        prepare(&u, &plan, &mut |done, total| w.report(&j, Stage::Checking, done, total))
    })
    .await;
    let batch = match prepared {
        Ok(Ok(batch)) => batch,
        Ok(Err(message)) => return fail(&work, &job, &upload, message),
        Err(e) => return fail(&work, &job, &upload, format!("checking the rows stopped unexpectedly ({e})")),
    };
    let rows = batch.rows.len();
    let left_out = batch.summary.get("bad_rows_left_out").and_then(serde_json::Value::as_u64).unwrap_or(0) as usize;
    work.report(&job, Stage::Storing { rows }, rows as u64, rows as u64);
    let started = Instant::now();
    match store.import_responses(&actor, exercise, &batch).await {
        Ok(outcome) => {
            tracing::info!(
                exercise.id = %exercise,
                import.id = %outcome.import_id,
                stored = outcome.stored,
                duplicates = outcome.duplicates,
                duration_ms = started.elapsed().as_millis() as u64,
                "responses imported"
            );
            work.report(
                &job,
                Stage::Finished { stored: outcome.stored, duplicates: outcome.duplicates, left_out },
                rows as u64,
                rows as u64,
            );
            work.forget_upload(&token);
        }
        Err(e) => {
            tracing::warn!(exercise.id = %exercise, error = %e, "import refused by the store");
            fail(&work, &job, &upload, super::sentence(&e.to_string()));
        }
    }
}

fn fail(work: &ImportWork, job: &str, upload: &Upload, message: String) {
    work.report(job, Stage::Failed(message), 0, 0);
    // The upload stays, so the person can change the mapping and try again.
    *lock(&upload.job) = None;
}

/// Checks every row again (the same file and mapping give the same rows as the check
/// page showed) and builds the batch, refusing bad rows unless the person chose to leave
/// them out.
fn prepare(upload: &Upload, plan: &Plan, progress: &mut dyn FnMut(u64, u64)) -> Result<ImportBatch, String> {
    let converted = convert_all(&plan.table, &plan.mapping, &plan.context, progress)?;
    if !converted.bad.is_empty() && !plan.leave_out {
        return Err(format!(
            "{} row(s) are bad and leaving them out was not chosen; nothing was imported",
            converted.bad.len()
        ));
    }
    let table = &plan.table;
    let columns: serde_json::Map<String, serde_json::Value> = plan
        .context
        .fields
        .iter()
        .filter_map(|f| plan.mapping.column(f.target.key).map(|c| (f.label.clone(), table.headers[c].clone().into())))
        .collect();
    let consent_column = plan.context.headers.get(PUBLISH_CONSENT.key);
    let summary = serde_json::json!({
        "format": match upload.format { Format::Csv => "CSV", Format::Xlsx => "XLSX" },
        "encoding": table.encoding.map(Encoding::name),
        "sheet": table.sheet,
        "header_row": table.header_line,
        "columns": columns,
        "rows_read": table.rows.len(),
        "good_rows": converted.rows.len(),
        "bad_rows_left_out": converted.bad.len(),
        "bad_lines": converted.bad.iter().take(BAD_LINES_KEPT).map(|b| b.line).collect::<Vec<_>>(),
        "channel": Channel::Imported.as_str(),
        "consent": "collected by the tool that exported the file, under its own privacy notice; each response is stored as consented",
        "publish_consent": match consent_column {
            Some(header) => format!("from column `{header}`; an empty cell is no"),
            None => String::from("not in the file: unknown for every response"),
        },
    });
    Ok(ImportBatch {
        file_name: upload.file_name.clone(),
        sha256: upload.sha256.clone(),
        summary,
        rows: converted.rows,
    })
}

// ---------------------------------------------------------------------------------------
// The progress page
// ---------------------------------------------------------------------------------------

#[derive(Template)]
#[template(path = "staff/consultation_import_job.html")]
pub struct JobPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub file_name: String,
    pub running: bool,
    pub failed: Option<String>,
    /// The bar: value of 100.
    pub percent: u64,
    pub status: String,
    pub results: Vec<String>,
    pub stored: usize,
    pub responses_href: String,
    pub import_href: String,
}

fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `GET /staff/consultations/{id}/import/jobs/{job}`: the import's progress, refreshing
/// itself every two seconds while it runs (a `<meta>` refresh: no script), then its result.
pub async fn job_page(
    State(state): State<AppState>,
    Extension(work): Extension<ImportWork>,
    user: CurrentUser,
    Path((id, job)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let job = work.job(&job).filter(|j| j.exercise == exercise.id).ok_or(PageError::NotFound)?;
    let share = |done: u64, total: u64| done.saturating_mul(100).checked_div(total).unwrap_or(0);
    let (running, percent, status, failed, results, stored) = match &job.stage {
        Stage::Starting => (true, 0, String::from("Starting"), None, Vec::new(), 0),
        Stage::Checking => (
            true,
            share(job.done, job.total) * 80 / 100,
            format!("Checking rows: {} of {} converted", thousands(job.done), thousands(job.total)),
            None,
            Vec::new(),
            0,
        ),
        Stage::Storing { rows } => (
            true,
            90,
            format!("Storing {} responses in one transaction: all of them or none", thousands(*rows as u64)),
            None,
            Vec::new(),
            0,
        ),
        Stage::Finished { stored, duplicates, left_out } => {
            let mut results = vec![format!("{} new response(s) stored.", thousands(*stored as u64))];
            if *duplicates > 0 {
                results.push(format!(
                    "{} rows were already imported: they were not stored again.",
                    thousands(*duplicates as u64)
                ));
            }
            if *left_out > 0 {
                results.push(format!("{} bad row(s) were left out, as you chose.", thousands(*left_out as u64)));
            }
            (false, 100, String::from("Finished"), None, results, *stored)
        }
        Stage::Failed(message) => (false, 0, String::from("Stopped"), Some(message.clone()), Vec::new(), 0),
    };
    let title = if running { "Importing responses" } else { "Import of responses" };
    let page = JobPage {
        layout: user.layout(title),
        crumbs: import_crumbs(&exercise),
        caption: exercise.content.title.clone(),
        file_name: job.file_name.clone(),
        running,
        failed,
        percent,
        status,
        results,
        stored,
        responses_href: format!("{}/responses", exercise_path(exercise.id)),
        import_href: import_path(exercise.id),
    };
    let mut response = render(&page)?;
    response.headers_mut().insert(CACHE_CONTROL, axum::http::HeaderValue::from_static("no-store"));
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn area(code: &str, name: &str) -> Area {
        Area { code: code.to_string(), name: name.to_string() }
    }

    #[test]
    fn areas_are_found_by_code_or_name_whatever_the_case() {
        let areas = [area("E08000025", "Birmingham"), area("E08000026", "Coventry")];
        assert_eq!(area_code("e08000025", &areas).as_deref(), Some("E08000025"));
        assert_eq!(area_code(" coventry ", &areas).as_deref(), Some("E08000026"));
        assert_eq!(area_code("Birmingham City Council", &areas).as_deref(), Some("E08000025"));
        assert_eq!(area_code("Atlantis", &areas), None);
    }

    #[test]
    fn consent_words_read_as_yes_or_no_and_anything_else_is_neither() {
        for yes in ["Yes", "y", "TRUE", "1", "Yes, in full", "I agree"] {
            assert_eq!(yes_or_no(yes), Some(true), "{yes}");
        }
        for no in ["No", "n", "false", "0", "No thanks", "I do not agree"] {
            assert_eq!(yes_or_no(no), Some(false), "{no}");
        }
        assert_eq!(yes_or_no("Not sure"), None);
        assert_eq!(yes_or_no("maybe"), None);
    }

    #[test]
    fn received_dates_are_read_in_the_formats_tools_write() {
        let day = |at: DateTime<Utc>| at.with_timezone(&Local).date_naive().to_string();
        for value in ["2021-06-01", "01/06/2021", "1/6/2021", "1 June 2021", "1 Jun 2021", "2021-06-01 14:05:00"] {
            assert_eq!(parse_received(value).map(day).as_deref(), Some("2021-06-01"), "{value}");
        }
        assert_eq!(
            parse_received("2021-06-01T14:05:00Z").map(|t| t.to_rfc3339()).as_deref(),
            Some("2021-06-01T14:05:00+00:00")
        );
        assert_eq!(parse_received("32/13/2021"), None);
        assert_eq!(parse_received("last Tuesday"), None);
    }

    #[test]
    fn choices_match_the_options_and_split_several_answers() {
        let options: Vec<String> = ["Very safe", "Fairly safe", "Black, Black British, Caribbean or African"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(choices("very safe", &options), Ok(vec![String::from("Very safe")]));
        assert_eq!(choices("Black, Black British, Caribbean or African", &options), Ok(vec![options[2].clone()]));
        assert_eq!(choices("Very safe; Fairly safe", &options), Ok(vec![options[0].clone(), options[1].clone()]));
        assert_eq!(choices("Very safe, Fairly safe", &options), Ok(vec![options[0].clone(), options[1].clone()]));
        assert_eq!(choices("Very safe; Unsafe", &options), Err(String::from("Unsafe")));
        assert_eq!(choices("Unsafe", &options), Err(String::from("Unsafe")));
    }

    #[test]
    fn question_keys_are_the_form_field_names_of_the_questions() {
        for (i, key) in QUESTION_KEYS.iter().enumerate() {
            assert_eq!(*key, pcplan_domain::consultation::question_field(i as u32 + 1));
        }
    }

    #[test]
    fn large_counts_are_written_with_commas() {
        assert_eq!(thousands(100_000), "100,000");
        assert_eq!(thousands(999), "999");
    }
}
