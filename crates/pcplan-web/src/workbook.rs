//! A plan's measures, observations, milestones and grants as one XLSX workbook, for
//! people who work on the figures in a spreadsheet.
//!
//! Two downloads: staff get `/staff/performance/workbook.xlsx[?body=]`, the plan a body
//! is monitored against (its plan in force, or before anything is issued its working
//! draft, as the performance dashboard shows) with every observation of its measures,
//! peers' figures included, who recorded each and when, and each milestone's latest
//! status from the status updates. The public get
//! `/plan/versions/{n}/workbook.xlsx` (and the same under `/bodies/{id}`), a published
//! version only, read through [`crate::public::load_public_version`], with only what the
//! public pages show: the version's records as issued, and the observations of its
//! measures for the whole force area and the body's own areas, without notes, peers'
//! figures or who recorded them. Observations carry no published flag: the public
//! pages (the area pages, published annual reports) word the stored figures of a
//! published version's measures, so those figures are public; peers' figures are left
//! out because the plan and area pages do not show them.
//!
//! One sheet per kind of record, in the order Measures, Observations, Milestones,
//! Grants: a bold header row that stays in view, a filter on every column, widths from
//! the longest value (longer text wraps), dates as real dates shown `dd/mm/yyyy`, money
//! as numbers shown `£#,##0.00` (grants are whole pence) and figures as numbers. Text is
//! written as text cells, which a spreadsheet never runs as a formula, so no guard is
//! needed here (the CSV downloads have one).
//!
//! The rows are built by pure functions ([`sheets`]) and written by [`write`] on a
//! blocking thread; this module does not read the store except in its two handlers, and
//! does not write CSV (`table_csv` does).

use std::collections::BTreeMap;

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use pcplan_domain::plan::{Ambition, Measure};
use pcplan_domain::{Body, BodyId, Item, ItemId, Pence, Plan, Record, RecordKind, Status, VersionNumber};
use pcplan_store::Observation;
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::performance_view::{chosen_body, latest_statuses, monitored};

/// The staff download.
pub const STAFF_PATH: &str = "/staff/performance/workbook.xlsx";

/// The media type of an XLSX file.
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The routes of this module.
pub fn router() -> Router<AppState> {
    Router::new()
        .route(STAFF_PATH, get(staff_workbook))
        .route("/plan/versions/{number}/workbook.xlsx", get(public_workbook))
        .route("/bodies/{body}/plan/versions/{number}/workbook.xlsx", get(body_public_workbook))
}

/// `/plan/versions/{n}/workbook.xlsx`, or under `/bodies/{id}` for a body other than
/// the site's: the link the public plan page gives for the version it shows.
pub fn public_href(base: &str, number: impl std::fmt::Display) -> String {
    format!("{base}/plan/versions/{number}/workbook.xlsx")
}

/// `/staff/performance/workbook.xlsx?body={id}`.
pub fn staff_href(body: BodyId) -> String {
    format!("{STAFF_PATH}?body={body}")
}

/// The staff workbook of the same body as a performance page at `sibling`, a path with
/// or without `?body=`: the dashboard's link is made from its crime data link.
pub fn link_beside(sibling: &str) -> String {
    match sibling.split_once('?') {
        Some((_, query)) => format!("{STAFF_PATH}?{query}"),
        None => STAFF_PATH.to_string(),
    }
}

// ---------------------------------------------------------------------------------------
// The sheets, as plain rows
// ---------------------------------------------------------------------------------------

/// One cell's value, typed as the spreadsheet should hold it.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
    Date(NaiveDate),
    /// A moment, shown as `dd/mm/yyyy hh:mm` (UTC).
    DateTime(DateTime<Utc>),
    Money(Pence),
    Empty,
}

impl Cell {
    fn text(value: impl Into<String>) -> Cell {
        let value = value.into();
        if value.is_empty() { Cell::Empty } else { Cell::Text(value) }
    }

    /// How many characters the cell shows, for the column's width.
    fn shown_width(&self) -> usize {
        match self {
            Cell::Text(text) => text.lines().map(|l| l.chars().count()).max().unwrap_or(0),
            Cell::Number(n) => format!("{n}").len(),
            Cell::Date(_) => 10,
            Cell::DateTime(_) => 16,
            Cell::Money(p) => p.to_string().len() + 3,
            Cell::Empty => 0,
        }
    }
}

/// A sheet: its name, its header row and its rows.
#[derive(Clone, Debug, PartialEq)]
pub struct Sheet {
    pub name: &'static str,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// Who the workbook is for, which decides what it holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Audience {
    /// Every observation with its note, who recorded it and when; peers' figures;
    /// milestones at their latest status.
    Staff,
    /// What the public pages show: no notes, no names, no peers' figures, milestones
    /// as the published version records them.
    Public,
}

/// What the workbook is made from.
pub struct Sources<'a> {
    pub body: &'a Body,
    pub plan: &'a Plan,
    /// The body's observations (any measure; those of other measures are left out).
    pub observations: &'a [Observation],
    /// Each milestone's latest status, where status updates give one (staff only).
    pub statuses: &'a BTreeMap<ItemId, Status>,
    /// The names of the body's peers by code (staff only).
    pub peers: &'a BTreeMap<String, String>,
    pub audience: Audience,
}

/// The four sheets, in order.
pub fn sheets(sources: &Sources<'_>) -> Vec<Sheet> {
    vec![measures(sources), observations(sources), milestones(sources), grants(sources)]
}

fn measures(sources: &Sources<'_>) -> Sheet {
    let plan = sources.plan;
    let rows = plan
        .of_kind(RecordKind::Measure)
        .filter_map(|item| match &item.record {
            Record::Measure(m) => Some((item, m)),
            _ => None,
        })
        .map(|(item, m)| {
            let (target, target_by, direction) = match &m.ambition {
                Ambition::Target { value, by } => {
                    (Cell::Number(*value), by.map_or(Cell::Empty, Cell::Date), Cell::Empty)
                }
                Ambition::Direction { direction } => (Cell::Empty, Cell::Empty, Cell::text(direction.as_str())),
            };
            let objectives: Vec<String> =
                plan.objectives_served(item).into_iter().filter_map(|id| plan.item(id)).map(objective_name).collect();
            vec![
                Cell::text(m.title.clone()),
                Cell::text(m.definition.clone()),
                Cell::text(m.unit.clone()),
                Cell::text(m.polarity.label()),
                m.baseline.as_ref().map_or(Cell::Empty, |b| Cell::Number(b.value)),
                m.baseline.as_ref().map_or(Cell::Empty, |b| Cell::text(b.period.clone())),
                target,
                target_by,
                direction,
                Cell::text(m.frequency.as_str()),
                Cell::text(if m.by_area { "Yes" } else { "No" }),
                Cell::text(m.data_source.clone()),
                Cell::text(objectives.join("\n")),
            ]
        })
        .collect();
    Sheet {
        name: "Measures",
        headers: vec![
            "Measure",
            "Definition",
            "Unit",
            "Which way is better",
            "Baseline",
            "Baseline period",
            "Target",
            "Target date",
            "Direction of travel",
            "Frequency",
            "Reported by area",
            "Data source",
            "Objectives served",
        ],
        rows,
    }
}

/// `1 Reduce crime` for an objective with a reference, else its title.
fn objective_name(item: &Item) -> String {
    match &item.record {
        Record::Objective(o) if !o.reference.is_empty() => format!("{} {}", o.reference, o.title),
        other => other.title().to_string(),
    }
}

fn observations(sources: &Sources<'_>) -> Sheet {
    let staff = sources.audience == Audience::Staff;
    let body = sources.body;
    // Whole force area first, then the body's areas in their order, then peers.
    let area_order = |code: &str| -> usize {
        if code.is_empty() {
            return 0;
        }
        body.areas.iter().position(|a| a.code == code).map_or(usize::MAX, |i| i + 1)
    };
    let area_name = |code: &str| -> Option<String> {
        if code.is_empty() {
            return Some(String::from("Whole force area"));
        }
        if let Some(area) = body.area(code) {
            return Some(area.name.clone());
        }
        sources.peers.get(code).map(|name| format!("{name} (peer)"))
    };
    let mut rows = Vec::new();
    for item in sources.plan.of_kind(RecordKind::Measure) {
        let Record::Measure(measure) = &item.record else { continue };
        let mut own: Vec<&Observation> = sources
            .observations
            .iter()
            .filter(|o| o.measure_id == item.id)
            .filter(|o| staff || o.area_code.is_empty() || body.area(&o.area_code).is_some())
            .collect();
        own.sort_by(|a, b| {
            (area_order(&a.area_code), &a.area_code, a.period_start, &a.period).cmp(&(
                area_order(&b.area_code),
                &b.area_code,
                b.period_start,
                &b.period,
            ))
        });
        for o in own {
            let mut row = observation_row(measure, o, area_name(&o.area_code).unwrap_or_else(|| o.area_code.clone()));
            if staff {
                row.extend([
                    Cell::text(o.note.clone()),
                    Cell::text(o.recorded_by.clone()),
                    Cell::DateTime(o.recorded_at),
                ]);
            }
            rows.push(row);
        }
    }
    let mut headers = vec![
        "Measure",
        "Period",
        "Period start",
        "Area code",
        "Area",
        "Value",
        "Unit",
        "Numerator",
        "Denominator",
        "Source",
    ];
    if staff {
        headers.extend(["Note", "Recorded by", "Recorded at (UTC)"]);
    }
    Sheet { name: "Observations", headers, rows }
}

fn observation_row(measure: &Measure, o: &Observation, area: String) -> Vec<Cell> {
    let count = |n: Option<i64>| n.map_or(Cell::Empty, |n| Cell::Number(n as f64));
    vec![
        Cell::text(measure.title.clone()),
        Cell::text(o.period.clone()),
        Cell::Date(o.period_start),
        Cell::text(o.area_code.clone()),
        Cell::text(area),
        Cell::Number(o.value),
        Cell::text(measure.unit.clone()),
        count(o.numerator),
        count(o.denominator),
        Cell::text(o.source.label()),
    ]
}

fn milestones(sources: &Sources<'_>) -> Sheet {
    let plan = sources.plan;
    let rows = plan
        .of_kind(RecordKind::Milestone)
        .filter_map(|item| match &item.record {
            Record::Milestone(m) => Some((item, m)),
            _ => None,
        })
        .map(|(item, m)| {
            let status = match sources.audience {
                Audience::Staff => sources.statuses.get(&item.id).copied().unwrap_or(m.status),
                Audience::Public => m.status,
            };
            let parent =
                item.parent.and_then(|p| plan.item(p)).map(|p| p.record.title().to_string()).unwrap_or_default();
            vec![Cell::text(m.title.clone()), Cell::text(parent), Cell::Date(m.due), Cell::text(status.label())]
        })
        .collect();
    Sheet { name: "Milestones", headers: vec!["Milestone", "Part of", "Due", "Status"], rows }
}

fn grants(sources: &Sources<'_>) -> Sheet {
    let rows = sources
        .plan
        .of_kind(RecordKind::Grant)
        .filter_map(|item| match &item.record {
            Record::Grant(g) => Some(g),
            _ => None,
        })
        .map(|g| {
            vec![
                Cell::text(g.recipient.clone()),
                Cell::text(g.purpose.clone()),
                Cell::text(g.financial_year.to_string()),
                Cell::Money(g.amount),
                Cell::text(g.conditions.clone()),
            ]
        })
        .collect();
    Sheet { name: "Grants", headers: vec!["Recipient", "Purpose", "Financial year", "Amount", "Conditions"], rows }
}

// ---------------------------------------------------------------------------------------
// Writing the file
// ---------------------------------------------------------------------------------------

/// The narrowest and widest a column is made, in characters.
const WIDTH: (usize, usize) = (8, 60);

/// The workbook's bytes.
pub fn write(sheets: &[Sheet]) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold();
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let moment = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    let money = Format::new().set_num_format("£#,##0.00");
    let wrapped = Format::new().set_text_wrap();
    let plain = Format::new();
    for sheet in sheets {
        let worksheet = workbook.add_worksheet();
        worksheet.set_name(sheet.name)?;
        for (column, title) in sheet.headers.iter().enumerate() {
            worksheet.write_string_with_format(0, column_index(column)?, *title, &header)?;
        }
        for (index, row) in sheet.rows.iter().enumerate() {
            let at = u32::try_from(index + 1).map_err(|_| XlsxError::RowColumnLimitError)?;
            for (column, cell) in row.iter().enumerate() {
                let column = column_index(column)?;
                match cell {
                    // Text longer than the widest column wraps rather than running under the next one.
                    Cell::Text(text) if text.contains('\n') || text.chars().count() > WIDTH.1 => {
                        worksheet.write_string_with_format(at, column, text, &wrapped)?;
                    }
                    Cell::Text(text) => {
                        worksheet.write_string_with_format(at, column, text, &plain)?;
                    }
                    Cell::Number(n) => {
                        worksheet.write_number_with_format(at, column, *n, &plain)?;
                    }
                    Cell::Date(d) => {
                        worksheet.write_datetime_with_format(at, column, excel_date(*d)?, &date)?;
                    }
                    Cell::DateTime(t) => {
                        let naive = t.naive_utc();
                        let value = excel_date(naive.date())?.and_hms(
                            u16::try_from(naive.hour()).unwrap_or(0),
                            u8::try_from(naive.minute()).unwrap_or(0),
                            f64::from(naive.second()),
                        )?;
                        worksheet.write_datetime_with_format(at, column, value, &moment)?;
                    }
                    Cell::Money(p) => {
                        worksheet.write_number_with_format(at, column, p.0 as f64 / 100.0, &money)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        for column in 0..sheet.headers.len() {
            let longest = sheet
                .rows
                .iter()
                .filter_map(|r| r.get(column))
                .map(Cell::shown_width)
                .chain([sheet.headers[column].chars().count() + 3])
                .max()
                .unwrap_or(0);
            worksheet.set_column_width(column_index(column)?, longest.clamp(WIDTH.0, WIDTH.1) as f64 + 1.0)?;
        }
        worksheet.set_freeze_panes(1, 0)?;
        let last_row = u32::try_from(sheet.rows.len()).map_err(|_| XlsxError::RowColumnLimitError)?;
        let last_column = column_index(sheet.headers.len().saturating_sub(1))?;
        worksheet.autofilter(0, 0, last_row, last_column)?;
    }
    workbook.save_to_buffer()
}

fn column_index(column: usize) -> Result<u16, XlsxError> {
    u16::try_from(column).map_err(|_| XlsxError::RowColumnLimitError)
}

fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year = u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))?;
    // Months and days always fit a u8.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

/// The workbook as a download.
async fn download(sheets: Vec<Sheet>, file_name: String, staff: bool) -> Result<Response, PageError> {
    let bytes = tokio::task::spawn_blocking(move || write(&sheets))
        .await
        .map_err(|e| PageError::Internal(format!("writing the workbook {file_name}: {e}")))?
        .map_err(|e| PageError::Internal(format!("writing the workbook {file_name}: {e}")))?;
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    if staff {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(response)
}

// ---------------------------------------------------------------------------------------
// The handlers
// ---------------------------------------------------------------------------------------

#[derive(serde::Deserialize)]
struct BodyQuery {
    #[serde(default)]
    body: Option<String>,
}

/// `GET /staff/performance/workbook.xlsx[?body=]`: any signed-in user, as the dashboard.
async fn staff_workbook(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<BodyQuery>,
) -> Result<Response, PageError> {
    let body = chosen_body(&state, query.body.as_deref()).await?.ok_or(PageError::NotFound)?;
    let found = monitored(&state.store, body).await?.ok_or(PageError::NotFound)?;
    let observations = state.store.body_observations(found.body.id).await?;
    let updates = state.store.status_updates(found.body.id).await?;
    let statuses = latest_statuses(&found.plan, &updates);
    let peers = found.peers.iter().map(|p| (p.code.clone(), p.name.clone())).collect();
    let sheets = sheets(&Sources {
        body: &found.body,
        plan: &found.plan,
        observations: &observations,
        statuses: &statuses,
        peers: &peers,
        audience: Audience::Staff,
    });
    let name = format!("{}-performance-{}.xlsx", crate::table_csv::slug(&found.body.name), crate::today());
    download(sheets, name, true).await
}

async fn public_workbook(State(state): State<AppState>, Path(number): Path<String>) -> Result<Response, PageError> {
    let public = crate::public::find_public_plan(&state.store).await?.ok_or(PageError::NotFound)?;
    public_download(&state, public, &number).await
}

async fn body_public_workbook(
    State(state): State<AppState>,
    Path((body, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let body: BodyId = body.parse().map_err(|_| PageError::NotFound)?;
    let public = crate::public::find_body_plan(&state.store, body).await?.ok_or(PageError::NotFound)?;
    public_download(&state, public, &number).await
}

/// A published version's workbook; a 404 for any version that is not public.
async fn public_download(
    state: &AppState,
    public: crate::public::PublicPlan,
    number: &str,
) -> Result<Response, PageError> {
    let number: u32 = number.parse().map_err(|_| PageError::NotFound)?;
    let version = crate::public::load_public_version(&state.store, &public, VersionNumber(number))
        .await?
        .ok_or(PageError::NotFound)?;
    let observations = state.store.body_observations(public.body.id).await?;
    let sheets = sheets(&Sources {
        body: &public.body,
        plan: &version.plan,
        observations: &observations,
        statuses: &BTreeMap::new(),
        peers: &BTreeMap::new(),
        audience: Audience::Public,
    });
    let name = format!("{}-plan-version-{number}.xlsx", crate::table_csv::slug(&public.body.name));
    download(sheets, name, false).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_workbook_is_a_zip_with_one_sheet_per_kind() {
        let sheets = vec![
            Sheet {
                name: "Measures",
                headers: vec!["Measure", "Target date"],
                rows: vec![vec![
                    Cell::text("Burglary"),
                    Cell::Date(NaiveDate::from_ymd_opt(2025, 3, 31).expect("a real date")),
                ]],
            },
            Sheet {
                name: "Grants",
                headers: vec!["Recipient", "Amount"],
                rows: vec![vec![Cell::text("Youth club"), Cell::Money(Pence(1_250_050))]],
            },
        ];
        let bytes = write(&sheets).expect("a small workbook is written");
        assert!(bytes.starts_with(b"PK"), "an XLSX file is a zip archive");
    }

    #[test]
    fn empty_text_is_an_empty_cell_and_widths_follow_the_longest_line() {
        assert_eq!(Cell::text(""), Cell::Empty);
        assert_eq!(Cell::text("one\nlonger line").shown_width(), 11);
        assert_eq!(Cell::Money(Pence(1_250_050)).shown_width(), "£12,500.50".len() + 3);
    }
}
