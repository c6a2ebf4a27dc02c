//! The board performance report's staff pages: the report for a chosen period as HTML
//! (`GET /staff/performance/report?body=&period=`), the same as a PDF
//! (`GET /staff/performance/report.pdf?body=&period=`), and attaching that PDF to one of
//! the body's meetings as a draft paper (`POST /staff/performance/report/attach`), where
//! it is published with the other papers by the meeting page's own steps.
//!
//! The model and the PDF are `crate::board_report`'s; this module reads the query,
//! chooses a default period and draws the page. Viewers read the report; only editors
//! and administrators attach it, and the POST checks the role before anything else.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use chrono::NaiveDate;
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::{MeetingId, PaperId};
use pcplan_store::NewPaper;
use serde::Deserialize;

use super::super::outline::{Tag, long_date, status_tag};
use super::super::{Crumb, require_editor, see_other, sentence};
use super::{BodyFigures, Monitored, chosen_body, measure_path, monitored, status_path, trail, with_body};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::board_report::{self, BoardReport};
use crate::error::PageError;
use crate::print::Format;
use crate::views::{Layout, render, render_with_status};

/// `/staff/performance/report`.
pub const PATH: &str = "/staff/performance/report";
/// `/staff/performance/report.pdf`.
pub const PDF_PATH: &str = "/staff/performance/report.pdf";
/// `/staff/performance/report/attach`.
pub const ATTACH_PATH: &str = "/staff/performance/report/attach";

/// The query of the report and its PDF.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct ReportQuery {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub period: Option<String>,
}

/// The period to report on by default: the financial quarter holding the latest
/// force-wide figure, so the report opens on figures rather than an empty quarter; the
/// quarter before today's when nothing is recorded yet.
fn default_period(figures: &BodyFigures, today: NaiveDate) -> Option<Period> {
    let latest = figures
        .observations
        .iter()
        .filter(|o| o.area_code.is_empty() && o.period_start <= today)
        .map(|o| o.period_start)
        .max();
    match latest {
        Some(start) => Period::containing(start, PeriodKind::Quarter).ok(),
        None => Period::containing(today, PeriodKind::Quarter).ok().and_then(|p| p.previous()),
    }
}

/// A section's measure, with links, for the template.
pub struct MeasureView {
    pub href: String,
    pub section: board_report::MeasureSection,
    pub svg: String,
    pub table: String,
}

pub struct MilestoneView {
    pub href: String,
    pub line: board_report::MilestoneLine,
    pub due: String,
    pub tag: Tag,
}

pub struct SectionView {
    pub title: String,
    pub progress: String,
    pub measures: Vec<MeasureView>,
    pub milestones: Vec<MilestoneView>,
}

pub struct ExceptionView {
    pub label: &'static str,
    pub title: String,
    pub href: String,
    pub detail: String,
}

/// A meeting the report can be attached to.
pub struct MeetingChoice {
    pub id: String,
    pub label: String,
}

#[derive(Template)]
#[template(path = "staff/performance_report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub body_id: String,
    pub body_name: String,
    pub period_text: String,
    pub period_error: Option<String>,
    pub report: Option<BoardReport>,
    pub as_at: String,
    pub exceptions: Vec<ExceptionView>,
    pub sections: Vec<SectionView>,
    pub pdf_href: String,
    pub editable: bool,
    pub meetings: Vec<MeetingChoice>,
    pub attach_action: &'static str,
    pub attach_error: Option<String>,
    pub chosen_meeting: String,
    pub agenda_item: String,
    pub paper_title: String,
}

/// What a request for the report resolves to.
struct Resolved {
    found: Monitored,
    figures: BodyFigures,
    period: Result<Period, String>,
    period_text: String,
}

async fn resolve(state: &AppState, body: Option<&str>, period: Option<&str>) -> Result<Resolved, PageError> {
    let body = chosen_body(state, body).await?.ok_or(PageError::NotFound)?;
    let found = monitored(&state.store, body).await?.ok_or(PageError::NotFound)?;
    let figures = BodyFigures::load(&state.store, &found.body).await?;
    let raw = period.map(str::trim).filter(|p| !p.is_empty());
    let (period, period_text) = match raw {
        Some(raw) => (raw.parse::<Period>().map_err(|e| sentence(&e.to_string())), raw.to_string()),
        None => match default_period(&figures, crate::today()) {
            Some(p) => (Ok(p), p.to_string()),
            None => (Err(String::from("Enter a period")), String::new()),
        },
    };
    Ok(Resolved { found, figures, period, period_text })
}

async fn build_report(state: &AppState, resolved: &Resolved) -> Result<Option<BoardReport>, PageError> {
    let Ok(period) = resolved.period else { return Ok(None) };
    let updates = state.store.status_updates(resolved.found.body.id).await?;
    Ok(Some(board_report::build(&resolved.found, &resolved.figures, &updates, period)))
}

async fn meeting_choices(state: &AppState, found: &Monitored) -> Result<Vec<MeetingChoice>, PageError> {
    let mut meetings = state.store.meetings(found.body.id).await?;
    meetings.sort_by_key(|m| std::cmp::Reverse(m.held_on));
    Ok(meetings
        .into_iter()
        .map(|m| MeetingChoice { id: m.id.to_string(), label: format!("{}: {}", long_date(m.held_on), m.title) })
        .collect())
}

/// The file name of the PDF: `performance-report-2022-23-q2.pdf`.
fn file_name(period: Period) -> String {
    let slug: String =
        period.to_string().to_lowercase().chars().map(|c| if c.is_ascii_alphanumeric() { c } else { '-' }).collect();
    let slug = slug.split('-').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("-");
    format!("performance-report-{slug}.pdf")
}

fn link(path: &str, body: &str, period: &str) -> String {
    let query: String = url_encode(period);
    format!("{path}?body={body}&period={query}")
}

/// Percent-encodes a period for a query string (`2022/23 Q2` has a slash and a space).
fn url_encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-_.~".contains(&byte) {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
async fn page(
    state: &AppState,
    user: &CurrentUser,
    resolved: Resolved,
    attach_error: Option<String>,
    chosen_meeting: String,
    agenda_item: String,
    paper_title: Option<String>,
) -> Result<ReportPage, PageError> {
    let report = build_report(state, &resolved).await?;
    let body_id = resolved.found.body.id.to_string();
    let meetings = meeting_choices(state, &resolved.found).await?;
    let mut crumbs = trail(resolved.found.body.id);
    crumbs.push(Crumb::new("Board report", with_body(PATH, resolved.found.body.id)));
    let exceptions = report.as_ref().map_or_else(Vec::new, |r| {
        r.exceptions
            .iter()
            .map(|e| ExceptionView {
                label: e.kind.label(),
                title: e.title.clone(),
                href: if e.kind == board_report::ExceptionKind::OverdueMilestone {
                    status_path(e.item)
                } else {
                    measure_path(e.item)
                },
                detail: e.detail.clone(),
            })
            .collect()
    });
    let sections = report.as_ref().map_or_else(Vec::new, |r| {
        r.objectives
            .iter()
            .map(|s| SectionView {
                title: s.title.clone(),
                progress: s.progress.clone(),
                measures: s
                    .measures
                    .iter()
                    .map(|m| MeasureView {
                        href: measure_path(m.item),
                        svg: m.chart.as_ref().map(|c| c.svg.clone()).unwrap_or_default(),
                        table: m.chart.as_ref().map(|c| c.table.to_html()).unwrap_or_default(),
                        section: m.clone(),
                    })
                    .collect(),
                milestones: s
                    .milestones
                    .iter()
                    .map(|m| MilestoneView {
                        href: status_path(m.item),
                        due: long_date(m.due),
                        tag: status_tag(m.status),
                        line: m.clone(),
                    })
                    .collect(),
            })
            .collect()
    });
    let default_title = report.as_ref().map(BoardReport::title).unwrap_or_default();
    Ok(ReportPage {
        layout: user.layout("Board performance report"),
        crumbs,
        body_name: resolved.found.body.name.clone(),
        pdf_href: link(PDF_PATH, &body_id, &resolved.period_text),
        body_id,
        period_error: resolved.period.as_ref().err().cloned(),
        period_text: resolved.period_text,
        as_at: report.as_ref().map(|r| long_date(r.as_at)).unwrap_or_default(),
        report,
        exceptions,
        sections,
        editable: user.user.role.can_edit(),
        meetings,
        attach_action: ATTACH_PATH,
        attach_error,
        chosen_meeting,
        agenda_item,
        paper_title: paper_title.unwrap_or(default_title),
    })
}

/// `GET /staff/performance/report[?body=&period=]`.
pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let resolved = resolve(&state, query.body.as_deref(), query.period.as_deref()).await?;
    let failed = resolved.period.is_err() && query.period.as_deref().is_some_and(|p| !p.trim().is_empty());
    let view = page(&state, &user, resolved, None, String::new(), String::new(), None).await?;
    if failed { render_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &view) } else { render(&view) }
}

/// The report's PDF, typeset on a blocking thread.
async fn render_pdf(report: &BoardReport) -> Result<Vec<u8>, PageError> {
    crate::print::write(board_report::document(report, crate::today()), Format::Pdf).await
}

/// The response carrying a report's PDF.
fn pdf_response(report: &BoardReport, bytes: Vec<u8>) -> Response {
    crate::print::file_response(bytes, Format::Pdf, &file_name(report.period), true)
}

/// `GET /staff/performance/report.pdf?body=&period=`.
pub async fn pdf(
    State(state): State<AppState>,
    _user: CurrentUser,
    Query(query): Query<ReportQuery>,
) -> Result<Response, PageError> {
    let resolved = resolve(&state, query.body.as_deref(), query.period.as_deref()).await?;
    match build_report(&state, &resolved).await? {
        Some(report) => Ok(pdf_response(&report, render_pdf(&report).await?)),
        None => Err(PageError::NotFound),
    }
}

/// The attach form.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct AttachForm {
    #[serde(default)]
    pub body: String,
    #[serde(default)]
    pub period: String,
    #[serde(default)]
    pub meeting: String,
    #[serde(default)]
    pub agenda_item: String,
    #[serde(default)]
    pub title: String,
}

/// `POST /staff/performance/report/attach`: makes the PDF and stores it as a draft paper
/// of the chosen meeting, under an agenda item when one is given.
pub async fn attach(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<AttachForm>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let resolved = resolve(&state, Some(&form.body), Some(&form.period)).await?;
    let refuse = |message: String, resolved: Resolved| {
        let state = state.clone();
        let user = user.clone();
        let form = form.clone();
        async move {
            let view =
                page(&state, &user, resolved, Some(message), form.meeting, form.agenda_item, Some(form.title)).await?;
            render_with_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY, &view)
        }
    };
    let Some(report) = build_report(&state, &resolved).await? else {
        let why = resolved.period.as_ref().err().cloned().unwrap_or_default();
        return refuse(format!("Choose the period first: {why}"), resolved).await;
    };
    let meeting = match form.meeting.trim().parse::<MeetingId>() {
        Ok(id) => state.store.meeting(id).await?.filter(|m| m.body_id == resolved.found.body.id),
        Err(_) => None,
    };
    let Some(meeting) = meeting else {
        return refuse(String::from("Choose the meeting to attach the report to"), resolved).await;
    };
    let bytes = render_pdf(&report).await?;
    let title = if form.title.trim().is_empty() { report.title() } else { form.title.trim().to_string() };
    let name = file_name(report.period);
    let new = NewPaper {
        id: PaperId::new(),
        meeting_id: meeting.id,
        title: &title,
        agenda_item: Some(form.agenda_item.as_str()),
        file_name: &name,
        bytes: &bytes,
        max_bytes: state.config.max_paper_bytes,
    };
    match state.store.upload_paper(&user.actor(), &new).await {
        Ok(_) => Ok(see_other(&format!("/staff/meetings/{}?done=uploaded", meeting.id))),
        Err(pcplan_store::StoreError::Fields(problems)) => {
            let message =
                problems.0.iter().map(|p| sentence(&format!("{}: {}", p.field, p.problem))).collect::<Vec<_>>();
            refuse(message.join(". "), resolved).await
        }
        Err(other) => Err(other.into()),
    }
}

/// Where the dashboard links to: the report for its body.
pub fn report_href(body: pcplan_domain::BodyId) -> String {
    with_body(PATH, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_names_and_links_carry_the_period_safely() {
        let quarter: Period = "2022/23 Q2".parse().expect("a quarter");
        assert_eq!(file_name(quarter), "performance-report-2022-23-q2.pdf");
        let month: Period = "2022-10".parse().expect("a month");
        assert_eq!(file_name(month), "performance-report-2022-10.pdf");
        assert_eq!(link(PDF_PATH, "b", "2022/23 Q2"), "/staff/performance/report.pdf?body=b&period=2022%2F23%20Q2");
    }
}
