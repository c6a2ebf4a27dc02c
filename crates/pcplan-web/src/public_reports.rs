//! The public pages of the Panel's reports: `/reports` lists them, `/reports/{id}` shows
//! one report with the Commissioner's published response beside each recommendation,
//! and `/reports/{id}/response` is the published response document.
//!
//! **The public sees only published answers.** Every page here reads a report through
//! [`Report::public`], which carries answers and the response letter only once the
//! response is published; before that the report page shows the Panel's report alone
//! with "The Commissioner's response has not been published yet", and the response
//! document is a 404. Tracking, reviews and drafts never reach this module's output.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use pcplan_domain::ReportId;
use pcplan_domain::report::{EntryKind, PublicReport, Report, paragraphs};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/reports", get(list))
        .route("/reports/{id}", get(show))
        .route("/reports/{id}/response", get(document))
}

/// `/reports/{id}`: the public page a published response links to.
pub fn public_path(id: ReportId) -> String {
    format!("/reports/{id}")
}

pub struct ReportItem {
    pub href: String,
    pub title: String,
    pub received_on: String,
    pub response: String,
}

#[derive(Template)]
#[template(path = "public/reports.html")]
pub struct ReportsPage {
    pub layout: Layout,
    pub reports: Vec<ReportItem>,
}

/// The response line of a report on the list.
fn response_line(report: &PublicReport) -> String {
    match report.response_published_on {
        Some(on) => format!("Response published on {}", long_date(on)),
        None => String::from("The Commissioner's response has not been published yet"),
    }
}

/// `GET /reports`.
pub async fn list(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let reports = state
        .store
        .reports()
        .await?
        .iter()
        .map(Report::public)
        .map(|r| ReportItem {
            href: public_path(r.id),
            response: response_line(&r),
            title: r.title,
            received_on: long_date(r.received_on),
        })
        .collect();
    render(&ReportsPage { layout: Layout::new("Police and Crime Panel reports", user.as_ref(), Nav::Reports), reports })
}

/// One row of a section: a recommendation beside its response, or another entry.
pub struct RowView {
    pub number: String,
    pub kind: &'static str,
    pub is_recommendation: bool,
    pub noted: bool,
    pub text: Vec<String>,
    /// Empty until published.
    pub stance: String,
    pub reasons: Vec<String>,
    pub changes: Vec<String>,
}

pub struct SectionView {
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub rows: Vec<RowView>,
    pub has_recommendations: bool,
}

#[derive(Template)]
#[template(path = "public/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub id: String,
    pub title: String,
    pub received_on: String,
    pub published: bool,
    pub published_on: String,
    pub letter_from: Vec<String>,
    pub letter_to: Vec<String>,
    pub letter_dated: String,
    pub letter_subject: String,
    pub letter_text: Vec<String>,
    pub members: String,
    pub sections: Vec<SectionView>,
    pub response_letter: Vec<String>,
    pub illustrative: bool,
    /// The SHA-256 recorded when the response was published; empty before (and for one
    /// published before hashes were recorded).
    pub content_hash: String,
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The page's view of a public report: only what [`Report::public`] let through.
pub fn view(report: PublicReport, layout: Layout) -> ReportPage {
    let sections = report
        .sections
        .iter()
        .map(|s| SectionView {
            heading: s.heading.clone(),
            paragraphs: paragraphs(&s.text),
            has_recommendations: s.entries.iter().any(|e| e.kind == EntryKind::Recommendation),
            rows: s
                .entries
                .iter()
                .map(|e| RowView {
                    number: e.number.clone().unwrap_or_default(),
                    kind: e.kind.label(),
                    is_recommendation: e.kind == EntryKind::Recommendation,
                    noted: e.kind == EntryKind::NotedCommitment,
                    text: paragraphs(&e.text),
                    stance: e.answer.as_ref().map(|a| a.stance.label().to_string()).unwrap_or_default(),
                    reasons: e.answer.as_ref().map(|a| paragraphs(&a.reasons)).unwrap_or_default(),
                    changes: e
                        .answer
                        .as_ref()
                        .map(|a| {
                            a.changes.iter().map(|c| format!("{}: {}", capitalise(c.kind.label()), c.title)).collect()
                        })
                        .unwrap_or_default(),
                })
                .collect(),
        })
        .collect();
    ReportPage {
        layout,
        id: report.id.to_string(),
        title: report.title.clone(),
        received_on: long_date(report.received_on),
        published: report.response_published_on.is_some(),
        published_on: report.response_published_on.map(long_date).unwrap_or_default(),
        letter_from: report.letter.from.lines().map(str::to_string).collect(),
        letter_to: report.letter.to.lines().map(str::to_string).collect(),
        letter_dated: long_date(report.letter.dated),
        letter_subject: report.letter.subject.clone(),
        letter_text: paragraphs(&report.letter.text),
        members: report.members_present.clone(),
        sections,
        response_letter: report.response_letter.as_ref().map(|l| paragraphs(&l.text)).unwrap_or_default(),
        illustrative: report.illustrative,
        content_hash: String::new(),
    }
}

async fn load(state: &AppState, raw: &str) -> Result<Report, PageError> {
    let id: ReportId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.report(id).await?.ok_or(PageError::NotFound)
}

/// `GET /reports/{id}`.
pub async fn show(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    let layout = Layout::new(report.title.clone(), user.as_ref(), Nav::Reports);
    let mut page = view(report.public(), layout);
    page.content_hash = report.response.content_hash.clone().unwrap_or_default();
    render(&page)
}

/// `GET /reports/{id}/response`: the response document, once published; a 404 before.
pub async fn document(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    if report.response.published.is_none() {
        return Err(PageError::NotFound);
    }
    crate::staff::reports::document_response(&report)
}
