//! The public pages of the annual reports (PRSRA 2011 s.12): `/annual-reports` lists
//! every published report of every body on the site, `/annual-reports/{year}` shows the
//! site body's report on a financial year (`2022-23`) and `/annual-reports/{year}/report.pdf`
//! and `report.docx` are its files to print and to edit; another body's are under `/bodies/{id}/annual-reports/{year}`.
//!
//! **Only published reports are public.** A draft, or a report sent to the Panel but not
//! yet published, is a 404 on every page and file here, exactly as if it did not exist:
//! the Panel reviews the report before the public reads it.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use pcplan_domain::annual_report::{AnnualReport, FactTable, ReportStatus, year_slug};
use pcplan_domain::report::paragraphs;
use pcplan_domain::{BodyId, FinancialYear};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::print::Format;
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/annual-reports", get(list))
        .route("/annual-reports/{year}", get(site_report))
        .route("/annual-reports/{year}/report.pdf", get(|s, y| site_file(s, y, Format::Pdf)))
        .route("/annual-reports/{year}/report.docx", get(|s, y| site_file(s, y, Format::Docx)))
        .route("/bodies/{body}/annual-reports/{year}", get(body_report))
        .route("/bodies/{body}/annual-reports/{year}/report.pdf", get(|s, p| body_file(s, p, Format::Pdf)))
        .route("/bodies/{body}/annual-reports/{year}/report.docx", get(|s, p| body_file(s, p, Format::Docx)))
}

/// Where a report's public page is: under `/annual-reports` for the site body, under
/// `/bodies/{id}` for another.
pub async fn public_path(state: &AppState, report: &AnnualReport) -> Result<String, PageError> {
    let base = if state.store.site_body().await? == Some(report.body_id) {
        String::new()
    } else {
        format!("/bodies/{}", report.body_id)
    };
    Ok(format!("{base}/annual-reports/{}", report.slug()))
}

pub struct ReportLink {
    pub href: String,
    pub year: String,
    pub body_name: String,
    pub published_on: String,
}

#[derive(Template)]
#[template(path = "public/annual_reports.html")]
pub struct ListPage {
    pub layout: Layout,
    pub reports: Vec<ReportLink>,
}

/// `GET /annual-reports`.
pub async fn list(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let mut reports = Vec::new();
    for report in state.store.annual_reports(None).await? {
        let Some(published) = &report.published else { continue };
        let body_name = bodies.iter().find(|b| b.id == report.body_id).map(|b| b.name.clone()).unwrap_or_default();
        reports.push(ReportLink {
            href: public_path(&state, &report).await?,
            year: report.year.to_string(),
            body_name,
            published_on: long_date(published.on),
        });
    }
    render(&ListPage { layout: Layout::new("Annual reports", user.as_ref(), Nav::Plan), reports })
}

pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub facts: Vec<FactTable>,
    pub notes: Vec<String>,
}

#[derive(Template)]
#[template(path = "public/annual_report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub heading: String,
    pub body_name: String,
    pub period: String,
    pub sent_on: String,
    pub published_on: String,
    /// The Panel's public report on it, when it made one and it is recorded.
    pub panel_report_href: String,
    pub panel_report_title: String,
    /// The public page of the Panel meeting that reviewed it, when recorded.
    pub meeting_href: String,
    pub meeting_title: String,
    pub sections: Vec<SectionView>,
    /// The report page's path; its files are `{base}/report.pdf` and `report.docx`.
    pub base: String,
    /// The SHA-256 recorded when it was published; empty for one published before
    /// hashes were recorded.
    pub content_hash: String,
}

/// The published report of `body` on the year `raw` names (`2022-23`), or a 404.
async fn published(state: &AppState, body: BodyId, raw: &str) -> Result<AnnualReport, PageError> {
    let year: FinancialYear = raw.parse().map_err(|_| PageError::NotFound)?;
    // `2022` parses too; only the canonical `2022-23` is a page, so there is one address.
    if year_slug(year) != raw {
        return Err(PageError::NotFound);
    }
    let report = state.store.annual_report_for(body, year).await?.ok_or(PageError::NotFound)?;
    if report.status() != ReportStatus::Published {
        return Err(PageError::NotFound);
    }
    Ok(report)
}

async fn site_body(state: &AppState) -> Result<BodyId, PageError> {
    state.store.site_body().await?.ok_or(PageError::NotFound)
}

fn parse_body(raw: &str) -> Result<BodyId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn show(
    state: &AppState,
    user: Option<&pcplan_store::User>,
    report: AnnualReport,
) -> Result<Response, PageError> {
    let body = state.store.body(report.body_id).await?.ok_or(PageError::NotFound)?;
    let published = report.published.clone().ok_or(PageError::NotFound)?;
    let (mut panel_report_href, mut panel_report_title) = (String::new(), String::new());
    if let Some(id) = published.panel_report
        && let Some(found) = state.store.report(id).await?
    {
        panel_report_href = crate::public_reports::public_path(id);
        panel_report_title = found.title;
    }
    let (mut meeting_href, mut meeting_title) = (String::new(), String::new());
    if let Some(id) = published.panel_meeting
        && let Some(found) = state.store.meeting(id).await?
    {
        meeting_href = format!("/meetings/{id}");
        meeting_title = format!("{}, {}", found.title, long_date(found.held_on));
    }
    let period = match (report.year.first_day(), report.year.last_day()) {
        (Some(first), Some(last)) => format!("{} to {}", long_date(first), long_date(last)),
        _ => String::new(),
    };
    let heading = format!("Annual report {}", report.year);
    let page = ReportPage {
        layout: Layout::new(format!("{heading}: {}", body.name), user, Nav::Plan),
        heading,
        body_name: body.name.clone(),
        period,
        sent_on: report.issued.as_ref().map(|i| long_date(i.on)).unwrap_or_default(),
        published_on: long_date(published.on),
        panel_report_href,
        panel_report_title,
        meeting_href,
        meeting_title,
        sections: report
            .sections
            .iter()
            .map(|s| SectionView {
                heading: s.heading.clone(),
                paragraphs: paragraphs(&s.text),
                facts: s.facts.clone(),
                notes: s.notes.clone(),
            })
            .collect(),
        base: public_path(state, &report).await?,
        content_hash: report.content_hash.clone().unwrap_or_default(),
    };
    render(&page)
}

async fn download(state: &AppState, report: AnnualReport, format: Format) -> Result<Response, PageError> {
    let body = state.store.body(report.body_id).await?.ok_or(PageError::NotFound)?;
    crate::staff::annual_reports::file(&report, &body.name, format, false).await
}

/// `GET /annual-reports/{year}`.
pub async fn site_report(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(year): Path<String>,
) -> Result<Response, PageError> {
    let report = published(&state, site_body(&state).await?, &year).await?;
    show(&state, user.as_ref(), report).await
}

/// `GET /annual-reports/{year}/report.pdf` and `report.docx`.
pub async fn site_file(
    State(state): State<AppState>,
    Path(year): Path<String>,
    format: Format,
) -> Result<Response, PageError> {
    let report = published(&state, site_body(&state).await?, &year).await?;
    download(&state, report, format).await
}

/// `GET /bodies/{body}/annual-reports/{year}`.
pub async fn body_report(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((body, year)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let report = published(&state, parse_body(&body)?, &year).await?;
    show(&state, user.as_ref(), report).await
}

/// `GET /bodies/{body}/annual-reports/{year}/report.pdf` and `report.docx`.
pub async fn body_file(
    State(state): State<AppState>,
    Path((body, year)): Path<(String, String)>,
    format: Format,
) -> Result<Response, PageError> {
    let report = published(&state, parse_body(&body)?, &year).await?;
    download(&state, report, format).await
}
