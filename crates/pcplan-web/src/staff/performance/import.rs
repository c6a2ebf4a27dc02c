//! Importing observations of the plan's measures from a CSV or XLSX file, under
//! `/staff/performance/import`: the page that explains the columns and lists the
//! measures and areas, a CSV template to fill in, the upload, a check of every row
//! against the plan in force and the figures already stored, and the confirmation that
//! stores them.
//!
//! The flow, for editors and administrators (viewers read the page and the template):
//!
//! 1. The file is read by `pcplan_import` (CSV in any of its encodings, or the first
//!    visible sheet of an XLSX workbook) and its columns are found by their headers
//!    (`Measure`, `Period`, `Area`, `Value`, `Count`, `Out of`, `Note`, or a synonym).
//! 2. Every row is resolved: the measure by its exact title (case and spacing ignored)
//!    or its id, the period by `pcplan_domain::period` (any valid length, which need not
//!    be the measure's own), the area by ONS code or name (blank for the whole force
//!    area), numbers with their commas. Every problem is a bad row, `line N: ...`, saying
//!    how to fix it; the same measure, period and area twice is a bad row too.
//! 3. With any bad row nothing is imported: the check page lists them and the person
//!    fixes the file and uploads it again. Otherwise the check page shows, per measure,
//!    how many rows are new, change a stored figure (from what to what) or are
//!    unchanged, by the rule the store applies (`pcplan_store::import_effect`).
//! 4. Confirming stores every row of every measure in one transaction
//!    (`Store::import_observations`, source `Import`), and the import page shows the
//!    counts.
//!
//! **Where the checked rows wait.** Between the check and the confirmation the resolved
//! rows are held in memory ([`Pending`]) under a random token bound to the person who
//! uploaded the file and to the body, for at most [`PENDING_TTL`]. The browser sends back
//! only the token, so nothing it sends is stored without having been checked, and what
//! is stored is exactly what the check page showed. Re-posting the file itself (base64
//! in a hidden field) was rejected: it would have to fit the site's 2 MiB body limit
//! again, a third larger, and would read and check the file twice. A restart forgets
//! what waits, which only means uploading the file again. The held entry then keeps the
//! result for the banner, so a confirmation posted twice stores once.
//!
//! **Size.** `lib.rs` holds every route but the consultation import and the crime upload
//! to [`crate::BODY_LIMIT_BYTES`], so a file may be at most [`MAX_BYTES`] (that less
//! room for the form): over 20,000 rows of figures, years of monthly figures for every
//! measure and area. [`crate::IMPORT_MAX_BYTES`] (50 MiB, for survey exports) does not
//! fit under that limit and is not needed here.
//!
//! This module reads and checks; it holds no SQL and no statistics.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use askama::Template;
use axum::Router;
use axum::extract::{Extension, Form, Multipart, Query, State};
use axum::http::StatusCode;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::stats::group_thousands;
use pcplan_domain::{Area, Body, BodyId, ItemId, Record, RecordKind, UserId};
use pcplan_import::export::Csv;
use pcplan_import::{BadRow, Format, Limits, ReadOptions, Table, Target, apply, read, sniff, suggest_mapping};
use pcplan_store::{ImportEffect, MeasureRows, NewObservation, Observation, ObservationImportSummary, import_effect};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{DASHBOARD, Monitored, chosen_body, measure_path, monitored, trail, with_body, with_unit};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::staff::consultation_import::read_multipart;
use crate::staff::forms::{FieldErrors, FormValues};
use crate::staff::{Crumb, refusal, require_editor, see_other, sentence};
use crate::views::{Layout, render, render_with_status};

/// The import page and the upload.
pub const PATH: &str = "/staff/performance/import";

/// The CSV template.
pub const TEMPLATE_PATH: &str = "/staff/performance/import/template.csv";

/// The confirmation that stores the checked rows.
pub const CONFIRM_PATH: &str = "/staff/performance/import/confirm";

/// The largest file accepted: the site's body limit less room for the multipart form.
pub const MAX_BYTES: usize = crate::BODY_LIMIT_BYTES - crate::UPLOAD_OVERHEAD_BYTES;

/// How long checked rows wait for their confirmation, and a result for its banner.
pub const PENDING_TTL: Duration = Duration::from_secs(60 * 60);

/// The most imports held at once, checked or done; the oldest go first. Each holds at
/// most one file's rows, and a person's new check replaces their earlier one.
const PENDING_MAX: usize = 64;

/// Bad rows listed on the check page; the rest are counted.
const BAD_ROWS_SHOWN: usize = 200;

/// New and changed rows listed on the check page; the rest are counted per measure.
const CHANGES_SHOWN: usize = 500;

/// The longest note a row may carry, in characters.
const NOTE_MAX_CHARS: usize = 2_000;

/// The routes of the import, with the memory its checked rows wait in: one per
/// application, so tests never share one.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(PATH, get(page).post(upload))
        .route(TEMPLATE_PATH, get(template))
        .route(CONFIRM_PATH, post(confirm))
        .layer(Extension(Pending::default()))
}

/// A link to the import page for the same body as a page at `sibling`, a performance
/// path with or without `?body=`: the dashboard's link is made from its crime data link.
pub fn link_beside(sibling: &str) -> String {
    match sibling.split_once('?') {
        Some((_, query)) => format!("{PATH}?{query}"),
        None => PATH.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The columns
// ---------------------------------------------------------------------------------------

const MEASURE: Target = Target {
    key: "measure",
    label: "Measure",
    required: true,
    free_text: false,
    synonyms: &["measure title", "measure name", "measure id", "indicator", "kpi"],
};
const PERIOD: Target = Target {
    key: "period",
    label: "Period",
    required: true,
    free_text: false,
    synonyms: &["reporting period", "month", "quarter", "financial year", "year"],
};
const AREA: Target = Target {
    key: "area",
    label: "Area",
    required: false,
    free_text: false,
    synonyms: &[
        "area code",
        "area name",
        "ons code",
        "local authority",
        "local authority area",
        "district",
        "lad code",
        "la code",
    ],
};
const VALUE: Target = Target {
    key: "value",
    label: "Value",
    required: true,
    free_text: false,
    synonyms: &["figure", "result", "actual", "observation"],
};
const COUNT: Target =
    Target { key: "count", label: "Count", required: false, free_text: false, synonyms: &["numerator"] };
const OUT_OF: Target =
    Target { key: "out_of", label: "Out of", required: false, free_text: false, synonyms: &["denominator", "base"] };
const NOTE: Target = Target {
    key: "note",
    label: "Note",
    required: false,
    free_text: false,
    synonyms: &["notes", "comment", "comments"],
};

/// The columns in the order of the template; measure first, so that in a file without
/// a `Measure` header no other column is taken for it.
const TARGETS: [Target; 7] = [MEASURE, PERIOD, AREA, VALUE, COUNT, OUT_OF, NOTE];

/// Each column with what a person writes in it, for the page.
fn column_help() -> Vec<(String, String)> {
    [
        (
            "Measure",
            "Required. The measure's title exactly as the plan gives it (capitals and spaces do not matter), or its id \
             (the last part of the measure page's address).",
        ),
        (
            "Period",
            "Required. A month like 2022-04, a financial quarter like 2022/23 Q1, a financial year like 2022/23 or a \
             calendar year like 2022. In a spreadsheet, keep the column as text: a date such as 2022-04-01 is refused \
             rather than guessed.",
        ),
        (
            "Area",
            "A local authority area of the body, by its ONS code (E06000016) or its name (Leicester). Leave it blank, \
             or write Whole force area, for the force as a whole.",
        ),
        ("Value", "Required. The figure, like 52 or 13.8; commas in thousands are fine, and so is a % sign."),
        ("Count", "Optional. For a share or rate: the whole number it is made of, like 57 charged."),
        ("Out of", "Optional. For a share: the total the count is part of, like 412 crimes. Needs a count."),
        ("Note", "Optional. Where the figure comes from, if not the measure's usual source."),
    ]
    .into_iter()
    .map(|(c, h)| (c.to_string(), h.to_string()))
    .collect()
}

// ---------------------------------------------------------------------------------------
// Reading and checking a file
// ---------------------------------------------------------------------------------------

/// A measure rows can name.
#[derive(Clone, Debug)]
struct KnownMeasure {
    id: ItemId,
    title: String,
    unit: String,
    own_kind: PeriodKind,
}

/// What rows are checked against: the measures of the plan in force and the places a
/// figure may be for: the body's areas, then its peers (`peers.rs`), whose figures are
/// imported the same way.
#[derive(Clone, Debug)]
struct Known {
    body_name: String,
    measures: Vec<KnownMeasure>,
    areas: Vec<Area>,
}

impl Known {
    fn of(found: &Monitored) -> Known {
        let measures = found
            .items_of(RecordKind::Measure)
            .filter_map(|item| match &item.record {
                Record::Measure(m) => Some(KnownMeasure {
                    id: item.id,
                    title: m.title.clone(),
                    unit: m.unit.clone(),
                    own_kind: PeriodKind::for_frequency(m.frequency),
                }),
                _ => None,
            })
            .collect();
        let mut areas = found.body.areas.clone();
        areas.extend(found.peers.iter().map(|p| Area { code: p.code.clone(), name: p.name.clone() }));
        Known { body_name: found.body.name.clone(), measures, areas }
    }

    /// The measure a cell names: its id, or its title ignoring case and spacing (a
    /// leading `'`, which a spreadsheet adds to text that looks like a formula, is
    /// ignored). The problem in words when it names none, or two.
    fn measure(&self, cell: &str) -> Result<&KnownMeasure, String> {
        if let Ok(id) = cell.trim().parse::<ItemId>() {
            return self.measures.iter().find(|m| m.id == id).ok_or_else(|| {
                format!("measure `{cell}` is an id of no measure of the plan in force; copy the title from this page")
            });
        }
        let wanted = normalise(cell.trim().strip_prefix('\'').unwrap_or(cell));
        let found: Vec<&KnownMeasure> = self.measures.iter().filter(|m| normalise(&m.title) == wanted).collect();
        match found.as_slice() {
            [one] => Ok(one),
            [] => Err(format!(
                "measure `{cell}` is not a measure of the plan in force; write its title as this page lists it"
            )),
            [first, ..] => Err(format!(
                "{} measures are titled `{}`; write the id of the one meant instead, like {}",
                found.len(),
                first.title,
                first.id
            )),
        }
    }

    /// The area code a cell names: `""` for a blank cell or the whole force area, else
    /// one of the body's areas or peers by code or name.
    fn area(&self, cell: &str) -> Result<String, String> {
        let wanted = normalise(cell);
        if wanted.is_empty() || wanted == "whole force area" {
            return Ok(String::new());
        }
        self.areas
            .iter()
            .find(|a| a.code.eq_ignore_ascii_case(cell.trim()))
            .or_else(|| self.areas.iter().find(|a| normalise(&a.name) == wanted))
            .map(|a| a.code.clone())
            .ok_or_else(|| {
                let list = self.areas.iter().map(|a| format!("{} ({})", a.name, a.code)).collect::<Vec<_>>().join(", ");
                if list.is_empty() {
                    format!("area `{cell}`: {} has no areas; leave the area blank", self.body_name)
                } else {
                    format!(
                        "area `{cell}` is not one of the areas or peers of {}; write one of {list}, or leave it \
                         blank for the whole force area",
                        self.body_name
                    )
                }
            })
    }

    fn title(&self, id: ItemId) -> String {
        self.measures.iter().find(|m| m.id == id).map_or_else(|| id.to_string(), |m| m.title.clone())
    }

    fn area_name(&self, code: &str) -> String {
        if code.is_empty() {
            return String::from("Whole force area");
        }
        self.areas.iter().find(|a| a.code == code).map_or_else(|| code.to_string(), |a| a.name.clone())
    }
}

/// Lower case, single spaces: titles and names compared as people read them.
fn normalise(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase()
}

/// A row that passed every check.
#[derive(Clone, Debug)]
struct Resolved {
    line: usize,
    measure: ItemId,
    period: Period,
    row: NewObservation,
}

/// A file read and checked.
#[derive(Debug)]
struct FileCheck {
    file_name: String,
    sha256: String,
    /// `CSV (UTF-8), header on line 1`, `XLSX, sheet Figures, header on row 2`.
    how_read: String,
    /// The columns read: field label and the file's header.
    columns: Vec<(String, String)>,
    /// Headers not read.
    ignored: Vec<String>,
    rows: Vec<Resolved>,
    bad: Vec<BadRow>,
}

/// A figure as people write it: commas in thousands, a `%` after it.
fn parse_number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = text.strip_suffix('%').unwrap_or(text);
    text.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number of 0 or more, commas allowed.
fn parse_count(text: &str) -> Option<i64> {
    text.trim().replace(',', "").parse::<i64>().ok().filter(|v| *v >= 0)
}

/// A cell that is a date (`2022-04-01`, or with a time, as a spreadsheet's date cell
/// reads), which a period column must not hold.
fn looks_like_date(text: &str) -> bool {
    let date = text.split_whitespace().next().unwrap_or_default();
    chrono::NaiveDate::parse_from_str(date, "%Y-%m-%d").is_ok()
}

/// Reads `bytes`, finds the columns by their headers and checks every row. `Err` when
/// the file as a whole cannot be read (not CSV or XLSX, no header, a required column
/// missing, no rows), with the message to show beside the file field.
fn check_file(file_name: &str, bytes: &[u8], known: &Known) -> Result<FileCheck, String> {
    let format = sniff(file_name, bytes).map_err(|e| sentence(&e.to_string()))?;
    let table = read(file_name, bytes, &ReadOptions::default(), &mut |_| {}).map_err(|e| sentence(&e.to_string()))?;
    let mapping = suggest_mapping(&table, &TARGETS);
    let missing: Vec<&str> =
        TARGETS.iter().filter(|t| t.required && mapping.column(t.key).is_none()).map(|t| t.label).collect();
    if !missing.is_empty() {
        let headers = table.headers.iter().map(|h| format!("`{h}`")).collect::<Vec<_>>().join(", ");
        return Err(format!(
            "{file_name} has no column headed {} (its columns are {headers}); head the columns as the template does: \
             Measure, Period, Area, Value, Count, Out of, Note",
            missing.iter().map(|m| format!("`{m}`")).collect::<Vec<_>>().join(" or ")
        ));
    }
    if table.rows.is_empty() {
        return Err(format!("{file_name} has no rows under its header; add a row for each figure"));
    }
    let limits = Limits { max_chars: NOTE_MAX_CHARS };
    let mapped = apply(&table, &mapping, &TARGETS, &limits).map_err(|e| sentence(&e.to_string()))?;
    let columns = TARGETS
        .iter()
        .filter_map(|t| mapping.column(t.key).map(|c| (t.label.to_string(), table.headers[c].clone())))
        .collect();
    let ignored = (0..table.headers.len())
        .filter(|c| !mapping.0.values().any(|m| m == c))
        .map(|c| table.headers[c].clone())
        .collect();
    let mut bad = mapped.bad;
    let mut rows: Vec<Resolved> = Vec::new();
    let mut first_line: HashMap<(ItemId, Period, String), usize> = HashMap::new();
    for good in &mapped.good {
        let cell = |key: &str| good.values.get(key).map(String::as_str).unwrap_or_default();
        match resolve(cell, known) {
            Ok(resolved) => {
                let key = (resolved.measure, resolved.period, resolved.row.area_code.clone());
                if let Some(first) = first_line.get(&key) {
                    bad.push(BadRow {
                        line: good.line,
                        reason: format!(
                            "{} for {}, {} is also on line {first}; keep one of the two rows",
                            known.title(resolved.measure),
                            resolved.period.label(),
                            known.area_name(&resolved.row.area_code)
                        ),
                    });
                    continue;
                }
                first_line.insert(key, good.line);
                rows.push(Resolved { line: good.line, ..resolved });
            }
            Err(problems) => bad.push(BadRow { line: good.line, reason: problems.join("; ") }),
        }
    }
    bad.sort_by_key(|b| b.line);
    Ok(FileCheck {
        file_name: file_name.to_string(),
        sha256: hex::encode(Sha256::digest(bytes)),
        how_read: how_read(format, &table),
        columns,
        ignored,
        rows,
        bad,
    })
}

fn how_read(format: Format, table: &Table) -> String {
    match format {
        Format::Csv => {
            format!("CSV ({}), header on line {}", table.encoding.map_or("text", |e| e.name()), table.header_line)
        }
        Format::Xlsx => {
            format!("XLSX, sheet `{}`, header on row {}", table.sheet.as_deref().unwrap_or_default(), table.header_line)
        }
    }
}

/// One mapped row checked against the plan: every problem, each saying how to fix it.
fn resolve<'a>(cell: impl Fn(&str) -> &'a str, known: &Known) -> Result<Resolved, Vec<String>> {
    let mut problems = Vec::new();
    let measure = known.measure(cell("measure")).map_err(|p| problems.push(p)).ok();
    let period_text = cell("period");
    let period = if looks_like_date(period_text) {
        problems.push(format!(
            "period `{period_text}` is a date; write the period itself, like 2022-04 for a month or 2022/23 Q1 for a \
             quarter (in a spreadsheet, format the column as text)"
        ));
        None
    } else {
        period_text.parse::<Period>().map_err(|e| problems.push(format!("period {e}"))).ok()
    };
    let area = known.area(cell("area")).map_err(|p| problems.push(p)).ok();
    let value_text = cell("value");
    let value = parse_number(value_text);
    if value.is_none() {
        problems.push(format!("value `{value_text}` is not a number; write it like 52 or 13.8"));
    }
    let count = |key: &str, label: &str, problems: &mut Vec<String>| match cell(key) {
        "" => None,
        text => parse_count(text).or_else(|| {
            problems.push(format!("{label} `{text}` is not a whole number of 0 or more; write it like 57"));
            None
        }),
    };
    let numerator = count("count", "count", &mut problems);
    let denominator = count("out_of", "out-of", &mut problems);
    if cell("count").is_empty() && !cell("out_of").is_empty() {
        problems.push(String::from("an out-of figure is given without its count; give the count too, or neither"));
    }
    if let (Some(n), Some(d)) = (numerator, denominator)
        && n > d
    {
        problems
            .push(format!("count {n} is more than out-of {d}; the out-of figure is the total the count is part of"));
    }
    match (measure, period, area, value) {
        (Some(measure), Some(period), Some(area_code), Some(value)) if problems.is_empty() => Ok(Resolved {
            line: 0,
            measure: measure.id,
            period,
            row: NewObservation {
                period: period.to_string(),
                period_start: period.start(),
                area_code,
                value,
                numerator,
                denominator,
                note: cell("note").to_string(),
            },
        }),
        _ => Err(problems),
    }
}

// ---------------------------------------------------------------------------------------
// Checked rows waiting in memory
// ---------------------------------------------------------------------------------------

/// Imports checked and waiting for their confirmation, and imports done, keyed by a
/// random token. One per application (a layer of [`router`]).
#[derive(Clone, Default)]
pub struct Pending(Arc<Mutex<HashMap<String, Held>>>);

struct Held {
    owner: UserId,
    body: BodyId,
    created: Instant,
    file_name: String,
    state: HeldState,
}

enum HeldState {
    /// Checked, every row good, waiting for the confirmation.
    Checked { sha256: String, batches: Vec<MeasureRows> },
    /// Stored: what the banner says.
    Done { summary: ObservationImportSummary },
}

/// What a token leads to for this person.
enum Found {
    Checked { body: BodyId, file_name: String, sha256: String, batches: Vec<MeasureRows> },
    Done { body: BodyId },
    Missing,
}

impl Pending {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Held>> {
        // Every change is one insert or remove, so a panic elsewhere leaves whole maps.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Holds checked rows; returns their token. Drops what expired, the owner's earlier
    /// check of the same body, and then the oldest beyond [`PENDING_MAX`].
    fn hold(
        &self,
        owner: UserId,
        body: BodyId,
        file_name: &str,
        sha256: &str,
        batches: Vec<MeasureRows>,
    ) -> Result<String, PageError> {
        let token = random_token()?;
        let mut held = self.lock();
        held.retain(|_, h| {
            h.created.elapsed() < PENDING_TTL
                && !(h.owner == owner && h.body == body && matches!(h.state, HeldState::Checked { .. }))
        });
        while held.len() >= PENDING_MAX {
            let Some(oldest) = held.iter().min_by_key(|(_, h)| h.created).map(|(t, _)| t.clone()) else { break };
            held.remove(&oldest);
        }
        let state = HeldState::Checked { sha256: sha256.to_string(), batches };
        held.insert(
            token.clone(),
            Held { owner, body, created: Instant::now(), file_name: file_name.to_string(), state },
        );
        Ok(token)
    }

    /// What `token` holds for `owner`; someone else's token, or an expired one, is missing.
    fn find(&self, token: &str, owner: UserId) -> Found {
        let held = self.lock();
        match held.get(token).filter(|h| h.owner == owner && h.created.elapsed() < PENDING_TTL) {
            Some(Held { body, file_name, state: HeldState::Checked { sha256, batches }, .. }) => Found::Checked {
                body: *body,
                file_name: file_name.clone(),
                sha256: sha256.clone(),
                batches: batches.clone(),
            },
            Some(Held { body, state: HeldState::Done { .. }, .. }) => Found::Done { body: *body },
            None => Found::Missing,
        }
    }

    /// Records that the rows of `token` were stored.
    fn done(&self, token: &str, summary: ObservationImportSummary) {
        if let Some(h) = self.lock().get_mut(token) {
            h.state = HeldState::Done { summary };
            h.created = Instant::now();
        }
    }

    /// The result of a done import of `owner`'s: the file and what it did.
    fn result(&self, token: &str, owner: UserId) -> Option<(String, ObservationImportSummary)> {
        let held = self.lock();
        match held.get(token).filter(|h| h.owner == owner && h.created.elapsed() < PENDING_TTL) {
            Some(Held { file_name, state: HeldState::Done { summary }, .. }) => {
                Some((file_name.clone(), summary.clone()))
            }
            _ => None,
        }
    }
}

/// 128 random bits as hex: a token nobody can guess.
fn random_token() -> Result<String, PageError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| PageError::Internal(format!("reading random bytes for an import: {e}")))?;
    Ok(hex::encode(bytes))
}

// ---------------------------------------------------------------------------------------
// The import page and the template
// ---------------------------------------------------------------------------------------

/// The query of the import page: which body, and which result or warning to show.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ImportQuery {
    #[serde(default)]
    pub body: Option<String>,
    /// The token of an import just stored.
    #[serde(default)]
    pub done: Option<String>,
    /// A confirmation came for rows no longer held.
    #[serde(default)]
    pub expired: Option<String>,
}

/// One measure of the plan, for the list on the page.
pub struct MeasureInfo {
    pub title: String,
    pub href: String,
    pub unit: String,
    pub reported: String,
    pub by_area: &'static str,
    pub feed: String,
}

/// What an import just stored, for the banner.
pub struct DoneView {
    pub heading: String,
    pub measures: Vec<Crumb>,
}

#[derive(Template)]
#[template(path = "staff/performance_import.html")]
pub struct ImportPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub errors: FieldErrors,
    pub done: Option<DoneView>,
    pub warning: Option<String>,
    pub body_name: String,
    pub body_id: String,
    pub has_plan: bool,
    pub plan_label: String,
    pub columns: Vec<(String, String)>,
    pub measures: Vec<MeasureInfo>,
    pub areas: Vec<Area>,
    pub template_href: String,
    pub dashboard_href: String,
    pub editable: bool,
    pub action: &'static str,
    pub limit: String,
}

/// The body of a request and its monitored plan; a 404 when no body is stored.
async fn body_and_plan(state: &AppState, raw: Option<&str>) -> Result<(Body, Option<Monitored>), PageError> {
    let body = chosen_body(state, raw).await?.ok_or(PageError::NotFound)?;
    let found = monitored(&state.store, body.clone()).await?;
    Ok((body, found))
}

async fn import_page(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    found: Option<&Monitored>,
    errors: FieldErrors,
) -> Result<ImportPage, PageError> {
    let feeds: BTreeMap<ItemId, String> =
        state.store.measure_feeds(body.id).await?.into_iter().map(|(id, f)| (id, f.describe())).collect();
    let measures = found
        .map(|f| {
            f.items_of(RecordKind::Measure)
                .filter_map(|item| match &item.record {
                    Record::Measure(m) => Some(MeasureInfo {
                        title: m.title.clone(),
                        href: measure_path(item.id),
                        unit: if m.unit.trim().is_empty() { String::from("None") } else { m.unit.clone() },
                        reported: m.frequency.as_str().to_string(),
                        by_area: if m.by_area { "Yes" } else { "No" },
                        feed: feeds.get(&item.id).cloned().unwrap_or_default(),
                    }),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ImportPage {
        layout: user.layout("Import figures").with_errors(!errors.is_empty()),
        crumbs: trail(body.id),
        errors,
        done: None,
        warning: None,
        body_name: body.name.clone(),
        body_id: body.id.to_string(),
        has_plan: found.is_some(),
        plan_label: found.map(|f| f.label.clone()).unwrap_or_default(),
        columns: column_help(),
        measures,
        areas: body.areas.clone(),
        template_href: with_body(TEMPLATE_PATH, body.id),
        dashboard_href: with_body(DASHBOARD, body.id),
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Deliver) && found.is_some(),
        action: PATH,
        limit: pcplan_domain::paper::size_label(MAX_BYTES as u64),
    })
}

/// The banner of a stored import: counts, and each measure with its own.
fn done_view(file_name: &str, summary: &ObservationImportSummary, known: Option<&Known>) -> DoneView {
    let rows = summary.added + summary.changed + summary.unchanged;
    let heading = format!(
        "{rows} {} imported from {file_name}: {} added, {} changed, {} unchanged",
        if rows == 1 { "figure" } else { "figures" },
        summary.added,
        summary.changed,
        summary.unchanged
    );
    let measures = summary
        .measures
        .iter()
        .map(|(id, c)| {
            let title = known.map_or_else(|| id.to_string(), |k| k.title(*id));
            Crumb::new(
                format!("{title}: {} added, {} changed, {} unchanged", c.added, c.changed, c.unchanged),
                measure_path(*id),
            )
        })
        .collect();
    DoneView { heading, measures }
}

/// `GET /staff/performance/import[?body=]`.
pub async fn page(
    State(state): State<AppState>,
    Extension(pending): Extension<Pending>,
    user: CurrentUser,
    Query(query): Query<ImportQuery>,
) -> Result<Response, PageError> {
    let (body, found) = body_and_plan(&state, query.body.as_deref()).await?;
    let mut page = import_page(&state, &user, &body, found.as_ref(), FieldErrors::default()).await?;
    if let Some(token) = query.done.as_deref()
        && let Some((file_name, summary)) = pending.result(token, user.user.id)
    {
        let known = found.as_ref().map(Known::of);
        page.done = Some(done_view(&file_name, &summary, known.as_ref()));
    }
    if query.expired.is_some() {
        page.warning = Some(String::from(
            "Those checked rows are no longer held (they wait an hour, and only for the person who uploaded them), so \
             nothing was imported. Upload the file again.",
        ));
    }
    render(&page)
}

/// The template's text: the header, and a row for each measure's whole force area and,
/// for a measure reported by area, one for each of the body's areas, with the period
/// and figures left to fill in. Titles that look like formulas are guarded (reading a
/// measure ignores the `'`).
fn template_csv(found: &Monitored) -> String {
    let mut csv = Csv::new();
    csv.row(TARGETS.iter().map(|t| t.label));
    for item in found.items_of(RecordKind::Measure) {
        let Record::Measure(m) = &item.record else { continue };
        csv.row([m.title.as_str(), "", "", "", "", "", ""]);
        if m.by_area {
            for area in &found.body.areas {
                csv.row([m.title.as_str(), "", area.name.as_str(), "", "", "", ""]);
            }
        }
    }
    csv.finish()
}

/// `GET /staff/performance/import/template.csv[?body=]`.
pub async fn template(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<ImportQuery>,
) -> Result<Response, PageError> {
    let (_, found) = body_and_plan(&state, query.body.as_deref()).await?;
    let found = found.ok_or(PageError::NotFound)?;
    Ok((
        [
            (CONTENT_TYPE, String::from("text/csv; charset=utf-8")),
            (CONTENT_DISPOSITION, String::from("attachment; filename=\"figures-template.csv\"")),
            (CACHE_CONTROL, String::from("no-store")),
        ],
        template_csv(&found),
    )
        .into_response())
}

// ---------------------------------------------------------------------------------------
// The upload and its check
// ---------------------------------------------------------------------------------------

/// One measure's rows on the check page.
pub struct CheckMeasure {
    pub title: String,
    pub href: String,
    pub rows: usize,
    pub new: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub notes: Vec<String>,
}

/// One new or changed row on the check page.
pub struct ChangeRow {
    pub line: usize,
    pub measure: String,
    pub period: String,
    pub area: String,
    pub value: String,
    pub effect: String,
}

#[derive(Template)]
#[template(path = "staff/performance_import_check.html")]
pub struct CheckPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub facts: Vec<(String, String)>,
    pub ignored: Vec<String>,
    pub bad: Vec<String>,
    pub bad_count: usize,
    pub good_count: usize,
    pub measures: Vec<CheckMeasure>,
    pub changes: Vec<ChangeRow>,
    pub changes_more: usize,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    pub token: String,
    pub body_id: String,
    pub confirm_action: &'static str,
    pub again_href: String,
}

/// `520 crimes`, `81.43% (57 of 70)`, `52 (count 1,057)`.
fn figure_words(value: f64, numerator: Option<i64>, denominator: Option<i64>, unit: &str) -> String {
    let shown = with_unit(value, unit);
    let whole = |n: i64| group_thousands(n.max(0).unsigned_abs());
    match (numerator, denominator) {
        (Some(n), Some(d)) => format!("{shown} ({} of {})", whole(n), whole(d)),
        (Some(n), None) => format!("{shown} (count {})", whole(n)),
        _ => shown,
    }
}

/// What importing a row does to the observation stored, in words.
fn effect_words(old: &Observation, row: &NewObservation, unit: &str) -> String {
    let same_figure = old.value == row.value && old.numerator == row.numerator && old.denominator == row.denominator;
    if same_figure && old.note == row.note {
        format!("Same figure, until now {}: it becomes imported", old.source.label().to_lowercase())
    } else if same_figure {
        String::from("Same figure with a different note")
    } else {
        format!(
            "Replaces {} ({})",
            figure_words(old.value, old.numerator, old.denominator, unit),
            old.source.label().to_lowercase()
        )
    }
}

/// Refuses the upload: the import page again, with the problem beside the file field.
async fn refuse(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    found: Option<&Monitored>,
    problem: String,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    errors.add("file", problem);
    let page = import_page(state, user, body, found, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/import` (multipart: `body`, `file`): reads and checks the
/// file and shows what importing it would do. Stores nothing.
pub async fn upload(
    State(state): State<AppState>,
    Extension(pending): Extension<Pending>,
    user: CurrentUser,
    form: Multipart,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let read = read_multipart(form, MAX_BYTES).await;
    let body_raw = read.as_ref().map(|(values, _)| values.get("body").to_string()).unwrap_or_default();
    let (body, found) = body_and_plan(&state, Some(&body_raw)).await?;
    let Some(found) = found else {
        return refuse(&state, &user, &body, None, format!("{} has no plan to import figures for", body.name)).await;
    };
    let file = match read {
        Ok((_, Some(file))) if !file.bytes.is_empty() || file.too_large => file,
        Ok(_) => return refuse(&state, &user, &body, Some(&found), String::from("Choose a CSV or XLSX file")).await,
        Err(reason) => {
            let problem = format!("The upload could not be read ({reason}); choose the file again");
            return refuse(&state, &user, &body, Some(&found), problem).await;
        }
    };
    let name = if file.file_name.trim().is_empty() { String::from("the file") } else { file.file_name.clone() };
    if file.too_large {
        let limit = pcplan_domain::paper::size_label(MAX_BYTES as u64);
        let problem =
            format!("{name} is larger than {limit}, the most an import of figures can be; split it into smaller files");
        return refuse(&state, &user, &body, Some(&found), problem).await;
    }
    let known = Known::of(&found);
    let checking = known.clone();
    let checked = tokio::task::spawn_blocking(move || check_file(&name, &file.bytes, &checking))
        .await
        .map_err(|e| PageError::Internal(format!("checking a file of figures: {e}")))?;
    let check = match checked {
        Ok(check) => check,
        Err(problem) => return refuse(&state, &user, &body, Some(&found), problem).await,
    };
    let page = check_page(&state, &user, &pending, &found, &known, check).await?;
    let status = if page.bad_count > 0 { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    render_with_status(status, &page)
}

/// The check page of a file; holds its rows for the confirmation when every row is good
/// and something would change.
async fn check_page(
    state: &AppState,
    user: &CurrentUser,
    pending: &Pending,
    found: &Monitored,
    known: &Known,
    check: FileCheck,
) -> Result<CheckPage, PageError> {
    let body = found.body.id;
    let stored = state.store.body_observations(body).await?;
    let by_key: HashMap<(ItemId, &str, &str), &Observation> =
        stored.iter().map(|o| ((o.measure_id, o.period.as_str(), o.area_code.as_str()), o)).collect();
    let feeds: BTreeMap<ItemId, String> =
        state.store.measure_feeds(body).await?.into_iter().map(|(id, f)| (id, f.describe())).collect();

    // Rows by measure, in the plan's order of measures, then by period and area.
    let mut grouped: BTreeMap<usize, Vec<&Resolved>> = BTreeMap::new();
    for row in &check.rows {
        let position = known.measures.iter().position(|m| m.id == row.measure).unwrap_or(usize::MAX);
        grouped.entry(position).or_default().push(row);
    }
    let mut measures = Vec::new();
    let mut changes = Vec::new();
    let mut changes_more = 0;
    let (mut added, mut changed, mut unchanged) = (0, 0, 0);
    let mut batches = Vec::new();
    for (position, mut rows) in grouped {
        rows.sort_by(|a, b| (a.period, &a.row.area_code).cmp(&(b.period, &b.row.area_code)));
        let Some(measure) = known.measures.get(position) else { continue };
        let mut line = CheckMeasure {
            title: measure.title.clone(),
            href: measure_path(measure.id),
            rows: rows.len(),
            new: 0,
            changed: 0,
            unchanged: 0,
            notes: Vec::new(),
        };
        let mut other_lengths: BTreeMap<PeriodKind, usize> = BTreeMap::new();
        for r in &rows {
            if r.period.kind() != measure.own_kind {
                *other_lengths.entry(r.period.kind()).or_default() += 1;
            }
            let old = by_key.get(&(measure.id, r.row.period.as_str(), r.row.area_code.as_str())).copied();
            let effect = match import_effect(old, &r.row) {
                ImportEffect::Unchanged => {
                    line.unchanged += 1;
                    continue;
                }
                ImportEffect::New => {
                    line.new += 1;
                    String::from("New")
                }
                ImportEffect::Changed => {
                    line.changed += 1;
                    old.map_or_else(String::new, |o| effect_words(o, &r.row, &measure.unit))
                }
            };
            if changes.len() < CHANGES_SHOWN {
                changes.push(ChangeRow {
                    line: r.line,
                    measure: measure.title.clone(),
                    period: r.period.label(),
                    area: known.area_name(&r.row.area_code),
                    value: figure_words(r.row.value, r.row.numerator, r.row.denominator, &measure.unit),
                    effect,
                });
            } else {
                changes_more += 1;
            }
        }
        for (kind, n) in other_lengths {
            line.notes.push(format!(
                "{n} {} for a {} although the measure is reported by {}: they are stored as given, and its chart \
                 shows one length of period at a time",
                if n == 1 { "row is" } else { "rows are" },
                kind.label(),
                measure.own_kind.label()
            ));
        }
        if let Some(feed) = feeds.get(&measure.id) {
            line.notes.push(format!(
                "Computed from police.uk data ({feed}): an imported figure replaces the computed one for its period and \
                 area, and computing again leaves it as imported"
            ));
        }
        added += line.new;
        changed += line.changed;
        unchanged += line.unchanged;
        batches.push(MeasureRows { measure: measure.id, rows: rows.iter().map(|r| r.row.clone()).collect() });
        measures.push(line);
    }

    let bad_count = check.bad.len();
    let mut errors = FieldErrors::default();
    if bad_count > 0 {
        errors.add(
            "bad-rows",
            format!(
                "{bad_count} {} cannot be imported, so nothing will be imported: fix {} in the file and upload it again",
                if bad_count == 1 { "row" } else { "rows" },
                if bad_count == 1 { "it" } else { "them" }
            ),
        );
    }
    let token = if bad_count == 0 && added + changed > 0 {
        pending.hold(user.user.id, body, &check.file_name, &check.sha256, batches)?
    } else {
        String::new()
    };
    let mut facts = vec![
        (String::from("File"), check.file_name.clone()),
        (String::from("Read as"), check.how_read.clone()),
        (String::from("Rows of figures"), (check.rows.len() + bad_count).to_string()),
    ];
    facts.extend(check.columns.iter().map(|(label, header)| (format!("{label} column"), format!("`{header}`"))));
    let mut crumbs = trail(body);
    crumbs.push(Crumb::new("Import figures", with_body(PATH, body)));
    Ok(CheckPage {
        layout: user.layout("Check the figures").with_errors(!errors.is_empty()),
        crumbs,
        errors,
        body_name: found.body.name.clone(),
        facts,
        ignored: check.ignored,
        bad: check.bad.iter().take(BAD_ROWS_SHOWN).map(ToString::to_string).collect(),
        bad_count,
        good_count: check.rows.len(),
        measures,
        changes,
        changes_more,
        added,
        changed,
        unchanged,
        token,
        body_id: body.to_string(),
        confirm_action: CONFIRM_PATH,
        again_href: with_body(PATH, body),
    })
}

// ---------------------------------------------------------------------------------------
// The confirmation
// ---------------------------------------------------------------------------------------

/// `POST /staff/performance/import/confirm` (`token`, `body`): stores the rows the check
/// page showed, all in one transaction, and goes to the import page with the counts.
/// Rows no longer held send the person back to upload the file again; a confirmation
/// posted twice stores once.
pub async fn confirm(
    State(state): State<AppState>,
    Extension(pending): Extension<Pending>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let token = values.get("token").trim().to_string();
    let back = |body: &str| {
        let body = body.trim();
        if body.is_empty() {
            PATH.to_string()
        } else {
            format!("{PATH}?body={}", crate::public_decisions::encode(body))
        }
    };
    let (body, file_name, sha256, batches) = match pending.find(&token, user.user.id) {
        Found::Checked { body, file_name, sha256, batches } => (body, file_name, sha256, batches),
        Found::Done { body } => return Ok(see_other(&format!("{}&done={token}", with_body(PATH, body)))),
        Found::Missing => {
            let to = back(values.get("body"));
            let joiner = if to.contains('?') { '&' } else { '?' };
            return Ok(see_other(&format!("{to}{joiner}expired=yes")));
        }
    };
    let (body_record, found) = body_and_plan(&state, Some(&body.to_string())).await?;
    // The plan in force may have changed since the check (a new version issued): every
    // measure must still be one of it.
    let gone = batches.iter().find(|b| found.as_ref().is_none_or(|f| f.plan.item(b.measure).is_none()));
    if let Some(gone) = gone {
        let problem = format!(
            "Measure {} is no longer in the plan in force, which changed after the check; upload the file again",
            gone.measure
        );
        return refuse(&state, &user, &body_record, found.as_ref(), problem).await;
    }
    match state.store.import_observations(&user.actor(), body, &file_name, &sha256, &batches).await {
        Ok(summary) => {
            pending.done(&token, summary);
            Ok(see_other(&format!("{}&done={token}", with_body(PATH, body))))
        }
        Err(error) => {
            let problem = match refusal(error)? {
                crate::staff::Refusal::Message(message) => message,
                crate::staff::Refusal::Problems(problems) => {
                    problems.iter().map(|p| sentence(&p.problem)).collect::<Vec<_>>().join(". ")
                }
            };
            refuse(&state, &user, &body_record, found.as_ref(), problem).await
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcplan_import::export::guard;

    fn known() -> Known {
        let measure = |n: u128, title: &str, unit: &str, kind| KnownMeasure {
            id: ItemId::from_u128(n),
            title: title.to_string(),
            unit: unit.to_string(),
            own_kind: kind,
        };
        Known {
            body_name: String::from("Leicester, Leicestershire and Rutland"),
            measures: vec![
                measure(1, "Total recorded crime", "crimes", PeriodKind::Month),
                measure(2, "Victim satisfaction", "%", PeriodKind::Quarter),
                measure(3, "Repeat victims", "%", PeriodKind::Month),
                measure(4, "Repeat victims", "%", PeriodKind::Month),
                measure(5, "+1 neighbourhood officers", "officers", PeriodKind::Quarter),
            ],
            areas: vec![
                Area { code: String::from("E06000016"), name: String::from("Leicester") },
                Area { code: String::from("E06000017"), name: String::from("Rutland") },
            ],
        }
    }

    fn checked(csv: &str) -> FileCheck {
        check_file("figures.csv", csv.as_bytes(), &known()).unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn measures_are_found_by_title_or_id_and_areas_by_code_or_name() {
        let csv = "Measure,Period,Area,Value,Count,Out of,Note\n\
                   total  RECORDED crime,2022-04,,\"1,234\",,,\n\
                   00000000-0000-0000-0000-000000000002,2022/23 Q1,leicester,81.4%,57,70,Survey\n\
                   'Total recorded crime,2022-05,E06000017,12,,,\n";
        let check = checked(csv);
        assert!(check.bad.is_empty(), "{:?}", check.bad);
        let got: Vec<(usize, ItemId, String, String, f64)> = check
            .rows
            .iter()
            .map(|r| (r.line, r.measure, r.row.period.clone(), r.row.area_code.clone(), r.row.value))
            .collect();
        assert_eq!(
            got,
            [
                (2, ItemId::from_u128(1), String::from("2022-04"), String::new(), 1234.0),
                (3, ItemId::from_u128(2), String::from("2022/23 Q1"), String::from("E06000016"), 81.4),
                (4, ItemId::from_u128(1), String::from("2022-05"), String::from("E06000017"), 12.0),
            ]
        );
        assert_eq!((check.rows[1].row.numerator, check.rows[1].row.denominator), (Some(57), Some(70)));
        assert_eq!(check.rows[1].row.note, "Survey");
    }

    #[test]
    fn every_problem_of_a_row_is_named_by_its_line_with_how_to_fix_it() {
        let csv = "Measure,Period,Area,Value,Count,Out of\n\
                   Total crime,2022-13,Leicster,n/a,,\n\
                   Victim satisfaction,2022-04-01,,80,90,70\n\
                   Repeat victims,2022-04,,30,,\n\
                   Total recorded crime,2022-04,,52,,12\n\
                   Total recorded crime,2022-04,,52,4.5,\n\
                   Total recorded crime,2022-05,,52,,\n\
                   Total recorded crime,2022-05,Whole force area,53,,\n";
        let check = checked(csv);
        let bad: Vec<String> = check.bad.iter().map(ToString::to_string).collect();
        assert_eq!(bad.len(), 6, "{bad:#?}");
        assert!(
            bad[0].starts_with("line 2: measure `Total crime` is not a measure of the plan in force"),
            "{}",
            bad[0]
        );
        assert!(bad[0].contains("period `2022-13`: there is no month 13"), "{}", bad[0]);
        assert!(bad[0].contains("area `Leicster` is not one of the areas or peers of Leicester, Leicestershire and Rutland; write one of Leicester (E06000016), Rutland (E06000017)"), "{}", bad[0]);
        assert!(bad[0].contains("value `n/a` is not a number"), "{}", bad[0]);
        assert!(bad[1].contains("period `2022-04-01` is a date"), "{}", bad[1]);
        assert!(bad[1].contains("count 90 is more than out-of 70"), "{}", bad[1]);
        assert!(bad[2].starts_with("line 4: 2 measures are titled `Repeat victims`; write the id"), "{}", bad[2]);
        assert!(bad[3].starts_with("line 5: an out-of figure is given without its count"), "{}", bad[3]);
        assert!(bad[4].starts_with("line 6: count `4.5` is not a whole number"), "{}", bad[4]);
        assert_eq!(
            bad[5],
            "line 8: Total recorded crime for May 2022, Whole force area is also on line 7; keep one of the two rows"
        );
    }

    #[test]
    fn a_file_without_the_required_columns_or_rows_is_refused_whole() {
        let missing = check_file("f.csv", b"Measure,When,Value\nx,2022-04,1\n", &known()).expect_err("no period");
        assert!(
            missing.starts_with("f.csv has no column headed `Period` (its columns are `Measure`, `When`, `Value`)"),
            "{missing}"
        );
        let empty = check_file("f.csv", b"Measure,Period,Value\n", &known()).expect_err("no rows");
        assert_eq!(empty, "f.csv has no rows under its header; add a row for each figure");
        let pdf = check_file("f.pdf", b"%PDF-1.7\n", &known()).expect_err("not a table");
        assert!(pdf.contains("not a CSV or XLSX file"), "{pdf}");
    }

    #[test]
    fn template_cells_that_look_like_formulas_are_guarded() {
        let guarded = guard("+1 neighbourhood officers");
        assert_eq!(guarded, "'+1 neighbourhood officers");
        assert_eq!(known().measure(&guarded).map(|m| m.id), Ok(ItemId::from_u128(5)), "read back from the template");
        assert_eq!(link_beside("/staff/performance/crime?body=abc"), "/staff/performance/import?body=abc");
        assert_eq!(link_beside("/staff/performance/crime"), "/staff/performance/import");
    }
}
