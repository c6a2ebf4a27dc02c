//! Printable PDF versions of the documents pcplan generates, made with `pcplan-pdf` from
//! the same plain models the HTML pages show, so the two never say different things:
//!
//! - `GET /decisions/{number}/notice.pdf`: a signed Notice of Decision in the layout of
//!   decision 018/2013; a confidential decision prints as its public stub only, whoever
//!   asks, as its public page does.
//! - `GET /staff/decisions/{id}/notice.pdf`: the same for staff, drafts included, with
//!   a confidential body only for those who may read it (`may_read_confidential`).
//! - `GET /reports/{id}/response.pdf` and `response.docx`: the Commissioner's published
//!   response to a Panel report, a letter then a table (recommendation, response, change
//!   made); 404 until published, as its page is.
//! - `GET /staff/reports/{id}/document.pdf` and `document.docx`: the same for staff,
//!   marked DRAFT until published.
//!
//! The HTML pages stay the primary versions; these files (tagged PDF, with the body and the
//! date in every page's header) are for printing and filing, and the Word files (real
//! heading styles) for officers to edit. [`Format`], [`write`] and [`file_response`] are
//! shared by every document pcplan serves as a file.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pcplan_domain::decision::{Decision, DecisionNumber, Line, Notice, long_date};
use pcplan_domain::report::{Report, ResponseDocument, response_document};
use pcplan_domain::{DecisionId, ReportId};
use pcplan_pdf::{Block, Column, Document};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::public_decisions::{body_name, body_names, notice_for, published_by_number};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/decisions/{number}/notice.pdf", get(public_notice))
        .route("/staff/decisions/{id}/notice.pdf", get(staff_notice))
        .route("/reports/{id}/response.pdf", get(|state, id| public_response(state, id, Format::Pdf)))
        .route("/reports/{id}/response.docx", get(|state, id| public_response(state, id, Format::Docx)))
        .route("/staff/reports/{id}/document.pdf", get(|state, user, id| staff_response(state, user, id, Format::Pdf)))
        .route(
            "/staff/reports/{id}/document.docx",
            get(|state, user, id| staff_response(state, user, id, Format::Docx)),
        )
}

/// A notice as a printable document: the heading block, then each section with its
/// labelled lines, paragraphs and numbered paragraphs (with their bullets). `dated` is
/// the day printed in every page's header: the signature's, or the draft's.
pub fn notice_document(notice: &Notice, number: &DecisionNumber, author: &str, dated: &str) -> Document {
    let mut blocks = Vec::new();
    for (i, line) in notice.heading.iter().enumerate() {
        blocks.push(Block::heading(if i == 0 { 1 } else { 2 }, line.clone()));
    }
    blocks.push(Block::Space(6.0));
    if notice.stub {
        blocks.push(Block::field("Title: ", notice.title.clone()));
        blocks.push(Block::paragraph(
            "This decision is confidential. Only this notice of it is published; its content is withheld for the \
             reason below.",
        ));
    }
    for section in &notice.sections {
        if !section.heading.is_empty() {
            blocks.push(Block::heading(3, section.heading.clone()));
        }
        for line in &section.lines {
            match line {
                Line::Text(text) => blocks.push(Block::paragraph(text.clone())),
                Line::Labelled { label, text } => blocks.push(Block::field(format!("{label}: "), text.clone())),
                Line::Numbered { number, text, bullets } => {
                    blocks.push(Block::numbered(format!("{number}."), text.clone()));
                    if !bullets.is_empty() {
                        blocks.push(Block::Bullets(bullets.clone()));
                    }
                }
            }
        }
    }
    Document {
        title: format!("Notice of Decision {number}: {}", notice.title),
        author: author.to_string(),
        subject: String::from("Notice of Decision"),
        created: String::new(),
        footer: format!("Notice of Decision {number}"),
        body: author.to_string(),
        date: dated.to_string(),
        contents: false,
        language: String::new(),
        blocks,
    }
}

/// The media type of a Word document.
pub const DOCX: &str = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// The two file formats a document comes in: PDF to print and file, DOCX for officers to
/// edit in Word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Pdf,
    Docx,
}

impl Format {
    /// The format a file name asks for, given the name's stem: `of_file("plan.docx", "plan")`
    /// is DOCX; any other name is `None` (a 404).
    pub fn of_file(file: &str, stem: &str) -> Option<Format> {
        match file.strip_prefix(stem)?.strip_prefix('.')? {
            "pdf" => Some(Format::Pdf),
            "docx" => Some(Format::Docx),
            _ => None,
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Format::Pdf => "pdf",
            Format::Docx => "docx",
        }
    }
}

/// Writes the document in the format on a blocking thread (typesetting is CPU work).
pub async fn write(document: Document, format: Format) -> Result<Vec<u8>, PageError> {
    let what = document.title.clone();
    tokio::task::spawn_blocking(move || match format {
        Format::Pdf => pcplan_pdf::render(&document),
        Format::Docx => pcplan_pdf::render_docx(&document),
    })
    .await
    .map_err(|e| PageError::Internal(format!("writing {what} did not finish: {e}")))?
    .map_err(|e| PageError::Internal(format!("writing {what}: {e}")))
}

/// The response carrying a file, named for saving: a PDF opens in the browser, a Word
/// file downloads. `private` files (staff views, drafts) are never cached.
pub fn file_response(bytes: Vec<u8>, format: Format, file_name: &str, private: bool) -> Response {
    let mut response = bytes.into_response();
    let headers = response.headers_mut();
    let (media, disposition) = match format {
        Format::Pdf => ("application/pdf", "inline"),
        Format::Docx => (DOCX, "attachment"),
    };
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(media));
    if let Ok(value) = HeaderValue::from_str(&format!("{disposition}; filename=\"{file_name}\"")) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    let cache = if private { "private, no-store" } else { "public, max-age=300" };
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

async fn render_notice(decision: &Decision, notice: Notice, author: String) -> Result<Vec<u8>, PageError> {
    let dated = long_date(decision.published_on().unwrap_or(decision.drafted_on));
    write(notice_document(&notice, &decision.number, &author, &dated), Format::Pdf).await
}

async fn public_notice(State(state): State<AppState>, Path(number): Path<String>) -> Result<Response, PageError> {
    let number: DecisionNumber = number.parse().map_err(|_| PageError::NotFound)?;
    let decision = published_by_number(&state.store, number).await?.ok_or(PageError::NotFound)?;
    let bodies = body_names(&state.store).await?;
    let name = body_name(&bodies, decision.body_id);
    // The public file is the public's view whoever asks: never a confidential body.
    let notice = decision.notice(&name, false);
    let bytes = render_notice(&decision, notice, name).await?;
    Ok(file_response(bytes, Format::Pdf, &format!("decision-{}.pdf", decision.number.slug()), false))
}

async fn staff_notice(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: DecisionId = id.parse().map_err(|_| PageError::NotFound)?;
    let decision = state.store.decision(id).await?.ok_or(PageError::NotFound)?;
    let bodies = body_names(&state.store).await?;
    let name = body_name(&bodies, decision.body_id);
    let notice = notice_for(&decision, &name, Some(&user.user));
    let bytes = render_notice(&decision, notice, name).await?;
    Ok(file_response(bytes, Format::Pdf, &format!("decision-{}.pdf", decision.number.slug()), true))
}

/// The response to a Panel report as a printable document: the letter, then one table row
/// per recommendation with the answer, its reasons and the plan records changed.
pub fn response_pdf_document(document: &ResponseDocument, author: &str) -> Document {
    let mut blocks = Vec::new();
    if document.draft {
        blocks.push(Block::Strong(String::from("DRAFT: not yet published. Do not circulate.")));
    }
    blocks.push(Block::heading(1, document.title.clone()));
    blocks.push(Block::Lines(vec![document.date.clone()]));
    if !document.to.is_empty() {
        blocks.push(Block::Lines(document.to.clone()));
    }
    if !document.salutation.is_empty() {
        blocks.push(Block::paragraph(document.salutation.clone()));
    }
    blocks.extend(document.paragraphs.iter().map(|p| Block::paragraph(p.clone())));
    if !document.signed.is_empty() {
        blocks.push(Block::Lines(document.signed.clone()));
    }
    blocks.push(Block::heading(2, "The Panel's recommendations and the response"));
    let rows = document
        .rows
        .iter()
        .map(|row| {
            let mut response = row.stance.clone();
            if !row.reasons.trim().is_empty() {
                response = format!("{response}. {}", row.reasons.trim());
            }
            let changes = if row.changes.is_empty() { String::from("None") } else { row.changes.join("\n") };
            vec![format!("{} ({})\n{}", row.number, row.topic, row.recommendation), response, changes]
        })
        .collect();
    blocks.push(Block::Table {
        columns: vec![
            Column::new("Recommendation", 3.0),
            Column::new("Response", 3.0),
            Column::new("Change made", 2.0),
        ],
        rows,
    });
    if document.illustrative {
        blocks.push(Block::paragraph(
            "Illustrative: this response was written for the pcplan demonstration; the Panel's report is real.",
        ));
    }
    Document {
        title: document.title.clone(),
        author: author.to_string(),
        subject: String::from("Response to the Police and Crime Panel"),
        created: String::new(),
        footer: if document.draft { String::from("DRAFT response") } else { String::from("Response to the Panel") },
        body: author.to_string(),
        date: document.date.clone(),
        contents: false,
        language: String::new(),
        blocks,
    }
}

async fn render_response(
    state: &AppState,
    report: &Report,
    format: Format,
    private: bool,
) -> Result<Response, PageError> {
    let bodies = body_names(&state.store).await?;
    let author = body_name(&bodies, report.body_id);
    let document = response_pdf_document(&response_document(report), &author);
    let bytes = write(document, format).await?;
    Ok(file_response(bytes, format, &format!("response-{}.{}", report.id, format.extension()), private))
}

async fn load_report(state: &AppState, raw: &str) -> Result<Report, PageError> {
    let id: ReportId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.report(id).await?.ok_or(PageError::NotFound)
}

async fn public_response(
    State(state): State<AppState>,
    Path(id): Path<String>,
    format: Format,
) -> Result<Response, PageError> {
    let report = load_report(&state, &id).await?;
    // Drafted answers are never public: the file exists once the response is published.
    if report.response.published.is_none() {
        return Err(PageError::NotFound);
    }
    render_response(&state, &report, format, false).await
}

async fn staff_response(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    format: Format,
) -> Result<Response, PageError> {
    let report = load_report(&state, &id).await?;
    render_response(&state, &report, format, true).await
}
