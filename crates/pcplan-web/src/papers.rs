//! What the staff pages, the public pages and the API share about papers: the words for
//! a paper's clear-days timing, reading an upload from a multipart form with its size
//! counted as it arrives, and serving a paper's stored bytes.
//!
//! A download carries the stored type (`Content-Type`), a safe file name
//! (`Content-Disposition: attachment`, so an uploaded HTML page never runs on this
//! site's origin), the SHA-256 as a strong `ETag` (a matching `If-None-Match` gets a
//! 304), and a sandboxing `Content-Security-Policy`. This module decides nothing about
//! who may download what: the public and staff routes do.

use axum::extract::Multipart;
use axum::http::header::{
    CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_LENGTH, CONTENT_SECURITY_POLICY, CONTENT_TYPE, ETAG,
};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use pcplan_domain::paper::{Paper, PaperTiming};

/// (label, GOV.UK tag class, sentence) for a paper's timing.
pub fn timing_words(timing: &PaperTiming, rule: &str) -> (&'static str, &'static str, String) {
    match timing {
        PaperTiming::Draft => ("Draft", "govuk-tag--grey", String::from("Uploaded, not yet published.")),
        PaperTiming::OnTime { clear_days, .. } => {
            ("On time", "govuk-tag--green", format!("Published {clear_days} clear {rule} days before the meeting."))
        }
        PaperTiming::Late { clear_days, required } => (
            "Late",
            "govuk-tag--red",
            format!("Late: published {clear_days} clear {rule} days before the meeting, where {required} were due."),
        ),
        PaperTiming::AfterMeeting => {
            ("Late", "govuk-tag--red", String::from("Late: published on or after the day of the meeting."))
        }
        PaperTiming::LateUrgent { reason } => {
            ("Late urgent item", "govuk-tag--orange", format!("Published late for a late urgent item: {reason}"))
        }
        PaperTiming::Withdrawn => {
            ("Withdrawn", "govuk-tag--grey", String::from("Withdrawn; the public no longer see it."))
        }
    }
}

/// An upload as the form or the API sent it.
#[derive(Debug, Default)]
pub struct Upload {
    pub title: String,
    pub agenda_item: String,
    pub file_name: String,
    pub bytes: Vec<u8>,
    /// The file was over the limit; reading stopped there.
    pub too_large: bool,
}

/// Reads the multipart fields `title`, `agenda_item` and `file`, counting the file's
/// bytes and stopping once they pass `limit`. Unknown fields are skipped. Returns the
/// reason as text when the body is not a readable multipart form.
pub async fn read_upload(mut form: Multipart, limit: usize) -> Result<Upload, String> {
    let mut upload = Upload::default();
    while let Some(mut field) = form.next_field().await.map_err(|e| e.body_text())? {
        match field.name().unwrap_or("") {
            "file" => {
                upload.file_name = field.file_name().unwrap_or("").to_string();
                while let Some(chunk) = field.chunk().await.map_err(|e| e.body_text())? {
                    if upload.bytes.len() + chunk.len() > limit {
                        upload.too_large = true;
                        break;
                    }
                    upload.bytes.extend_from_slice(&chunk);
                }
                if upload.too_large {
                    break;
                }
            }
            "title" => upload.title = field.text().await.map_err(|e| e.body_text())?,
            "agenda_item" => upload.agenda_item = field.text().await.map_err(|e| e.body_text())?,
            _ => {}
        }
    }
    Ok(upload)
}

/// The message for a file over the limit, as the domain words it.
pub fn too_large_message(file_name: &str, limit: usize) -> String {
    let name = if file_name.trim().is_empty() { "the file" } else { file_name.trim() };
    format!("{name} is larger than {}, the most a paper can be", pcplan_domain::paper::size_label(limit as u64))
}

/// The `"sha256"` entity tag of a paper.
pub fn etag(paper: &Paper) -> String {
    format!("\"{}\"", paper.sha256)
}

/// Serves a paper's bytes with its type, file name and hash.
pub fn download(paper: &Paper, bytes: Vec<u8>, request: &HeaderMap, cache: &'static str) -> Response {
    let tag = etag(paper);
    let matches = request
        .get(axum::http::header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    let mut headers = HeaderMap::new();
    if let Ok(value) = HeaderValue::from_str(&tag) {
        headers.insert(ETAG, value);
    }
    headers.insert(CACHE_CONTROL, HeaderValue::from_static(cache));
    if matches {
        return (StatusCode::NOT_MODIFIED, headers).into_response();
    }
    headers.insert(CONTENT_TYPE, HeaderValue::from_static(paper.kind.content_type()));
    // The name is reduced to ASCII letters, digits, `-` and `_`, so it needs no quoting
    // rules beyond the quotes themselves.
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", paper.download_name())) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    headers.insert(CONTENT_LENGTH, HeaderValue::from(bytes.len()));
    headers.insert(CONTENT_SECURITY_POLICY, HeaderValue::from_static("sandbox; default-src 'none'"));
    (StatusCode::OK, headers, bytes).into_response()
}
