//! The two error types of the web layer: [`ApiError`] for the JSON API and
//! [`PageError`] for HTML pages.
//!
//! Both log a server-side failure once, here, where it becomes a response, and never
//! show its cause to the client: a 5xx says only that something went wrong. Client
//! errors (404, 409, 422) say what was wrong and how to fix it. This module does not
//! decide who may do what; `auth` does, and hands over [`Forbidden`] or
//! [`Unauthenticated`] to be turned into a response here.
//!
//! # The JSON error body
//!
//! Every API error has the same shape:
//!
//! ```json
//! {"error": {"code": "not_found", "message": "no plan with id 6f1c…"}}
//! ```
//!
//! and a 422 adds the list of problems, each naming where it is:
//!
//! ```json
//! {"error": {"code": "invalid", "message": "the plan has 1 problem(s)",
//!            "problems": [{"path": "items[3].parent", "problem": "…"}]}}
//! ```
//!
//! `code` is one of `bad_request`, `unauthenticated`, `forbidden`, `not_found`,
//! `conflict`, `invalid`, `payload_too_large`, `internal`. Two responses come from
//! layers in front of the handlers and are not JSON: a request whose declared
//! `Content-Length` is over the 2 MiB limit (the paper upload routes: the paper size
//! limit and 64 KiB) gets a plain-text 413 (the public survey form gets its own 413
//! page, see `public_consultations`), and a cross-site
//! state-changing request gets the 403 page (`PageError::CrossSite`).

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pcplan_domain::PlanProblem;
use pcplan_store::StoreError;
use serde::Serialize;

use crate::views::Layout;

/// One problem with a submitted record: where it is and what is wrong.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Problem {
    pub path: String,
    pub problem: String,
}

impl From<PlanProblem> for Problem {
    fn from(p: PlanProblem) -> Self {
        Self { path: p.path, problem: p.problem }
    }
}

/// The signed-in user lacks the role for this action. Turned into a 403 page or a 403
/// JSON body by the `From` impls below, so `user.require_editor()?` works in both kinds
/// of handler.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Forbidden;

/// No valid session came with the request. The API answers 401; pages redirect to the
/// sign-in page, which the extractor in `auth` does itself because it knows the URL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Unauthenticated;

/// An error from a JSON API handler.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request could not be read: bad JSON, a bad query parameter.
    #[error("{0}")]
    BadRequest(String),
    #[error("sign in first: send the `pcplan_session` cookie from POST /sign-in")]
    Unauthenticated,
    #[error("your account cannot make this change; ask an administrator for the editor role")]
    Forbidden,
    /// The account still has a one-time password set by someone else.
    #[error("your password is a one-time password; choose your own at /account/password first")]
    PasswordChangeRequired,
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("the request body is over the limit of {limit} bytes")]
    PayloadTooLarge { limit: usize },
    /// The content breaks the plan's rules; each problem names its path.
    #[error("{message}")]
    Invalid { message: String, problems: Vec<Problem> },
    /// Something failed on the server. The cause is logged, never sent.
    #[error("internal error")]
    Internal(String),
}

impl ApiError {
    /// The HTTP status for each variant: the single place that decides it.
    pub fn status_code(&self) -> StatusCode {
        match self {
            ApiError::BadRequest(_) => StatusCode::BAD_REQUEST,
            ApiError::Unauthenticated => StatusCode::UNAUTHORIZED,
            ApiError::Forbidden | ApiError::PasswordChangeRequired => StatusCode::FORBIDDEN,
            ApiError::NotFound(_) => StatusCode::NOT_FOUND,
            ApiError::Conflict(_) => StatusCode::CONFLICT,
            ApiError::PayloadTooLarge { .. } => StatusCode::PAYLOAD_TOO_LARGE,
            ApiError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
            ApiError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The machine-readable code in the body.
    pub fn code(&self) -> &'static str {
        match self {
            ApiError::BadRequest(_) => "bad_request",
            ApiError::Unauthenticated => "unauthenticated",
            ApiError::Forbidden => "forbidden",
            ApiError::PasswordChangeRequired => "password_change_required",
            ApiError::NotFound(_) => "not_found",
            ApiError::Conflict(_) => "conflict",
            ApiError::PayloadTooLarge { .. } => "payload_too_large",
            ApiError::Invalid { .. } => "invalid",
            ApiError::Internal(_) => "internal",
        }
    }

    /// A 404 naming what was looked for.
    pub fn not_found(what: impl Into<String>) -> Self {
        ApiError::NotFound(what.into())
    }

    /// A 422 with one problem.
    pub fn invalid(path: impl Into<String>, problem: impl Into<String>) -> Self {
        let problem = Problem { path: path.into(), problem: problem.into() };
        ApiError::Invalid { message: format!("{}: {}", problem.path, problem.problem), problems: vec![problem] }
    }
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    error: ErrorDetail<'a>,
}

#[derive(Serialize)]
struct ErrorDetail<'a> {
    code: &'static str,
    message: String,
    #[serde(skip_serializing_if = "<[Problem]>::is_empty")]
    problems: &'a [Problem],
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        let message = match &self {
            ApiError::Internal(cause) => {
                tracing::error!(error.cause = %cause, http.status = status.as_u16(), "request failed");
                String::from("something went wrong on the server; try again later, and report it if it keeps happening")
            }
            other => other.to_string(),
        };
        let problems: &[Problem] = match &self {
            ApiError::Invalid { problems, .. } => problems,
            _ => &[],
        };
        let body = ErrorBody { error: ErrorDetail { code: self.code(), message, problems } };
        (status, axum::Json(body)).into_response()
    }
}

impl From<Forbidden> for ApiError {
    fn from(_: Forbidden) -> Self {
        ApiError::Forbidden
    }
}

impl From<Unauthenticated> for ApiError {
    fn from(_: Unauthenticated) -> Self {
        ApiError::Unauthenticated
    }
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { what } => ApiError::NotFound(format!("{what} not found")),
            StoreError::Conflict(message) => ApiError::Conflict(message),
            StoreError::Invalid(problems) => {
                let message = problems.to_string();
                ApiError::Invalid { message, problems: problems.0.into_iter().map(Problem::from).collect() }
            }
            StoreError::VersionRule(rule) => ApiError::Conflict(rule.to_string()),
            StoreError::Process(refusal) => ApiError::Conflict(refusal.to_string()),
            StoreError::Fields(problems) => ApiError::Invalid {
                message: problems.to_string(),
                problems: problems.0.into_iter().map(|p| Problem { path: p.field, problem: p.problem }).collect(),
            },
            other => ApiError::Internal(other.to_string()),
        }
    }
}

/// An error from an HTML page handler: rendered as a GOV.UK error page with the right
/// status, never an empty body.
#[derive(Debug, thiserror::Error)]
pub enum PageError {
    #[error("page not found")]
    NotFound,
    /// The public asked for the plan before any version was issued.
    #[error("no plan has been issued yet")]
    NothingIssued,
    #[error("forbidden")]
    Forbidden,
    /// A cross-site form post, refused by the CSRF layer.
    #[error("cross-site request refused")]
    CrossSite,
    /// Something failed on the server. The cause is logged, never shown.
    #[error("internal error")]
    Internal(String),
}

impl PageError {
    pub fn status_code(&self) -> StatusCode {
        match self {
            PageError::NotFound | PageError::NothingIssued => StatusCode::NOT_FOUND,
            PageError::Forbidden | PageError::CrossSite => StatusCode::FORBIDDEN,
            PageError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn page(&self) -> (&'static str, Vec<String>) {
        let (title, paragraphs): (&'static str, Vec<String>) = match self {
            PageError::NotFound => (
                "Page not found",
                vec![
                    String::from("If you typed the web address, check it is correct."),
                    String::from("If you pasted the web address, check you copied the entire address."),
                ],
            ),
            PageError::NothingIssued => (
                "No plan has been issued yet",
                vec![String::from(
                    "The police and crime plan will appear here once it has been issued. Drafts are not published here.",
                )],
            ),
            PageError::Forbidden => (
                "You do not have permission to do this",
                vec![String::from(
                    "Your account can read the plan but cannot change it. Ask an administrator for the editor role.",
                )],
            ),
            PageError::CrossSite => (
                "This form could not be sent",
                vec![String::from(
                    "The form was sent from another website, so it was refused. Go back to pcplan and try again from its own page.",
                )],
            ),
            PageError::Internal(_) => (
                "Sorry, there is a problem with the service",
                vec![
                    String::from("Try again later."),
                    String::from("If the problem continues, contact the team that runs pcplan."),
                ],
            ),
        };
        (title, paragraphs)
    }
}

/// The error page, used by every [`PageError`] and by [`message_page`].
#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    layout: Layout,
    heading: String,
    paragraphs: Vec<String>,
    /// Where the page's one link goes, and its words.
    back: (&'static str, &'static str),
}

/// The link at the foot of [`PageError`]'s pages.
const HOME: (&str, &str) = ("/", "Go to the pcplan home page");

/// A page saying what went wrong and what to do, with one link onwards (`back`: its
/// address and words), in the error page's layout: for refusals that are not a
/// [`PageError`], such as an organisation sign-in that signed nobody in.
pub(crate) fn message_page(
    status: StatusCode,
    heading: &str,
    paragraphs: Vec<String>,
    back: (&'static str, &'static str),
) -> Response {
    let page = ErrorPage { layout: Layout::anonymous(heading), heading: heading.to_string(), paragraphs, back };
    match page.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(error) => {
            tracing::error!(error.cause = %error, "the error page could not be rendered");
            (status, Html(FALLBACK_ERROR_HTML)).into_response()
        }
    }
}

/// Used when even the error page cannot be rendered; plain but never empty.
const FALLBACK_ERROR_HTML: &str = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
<title>Sorry, there is a problem with the service - pcplan</title></head><body>\
<h1>Sorry, there is a problem with the service</h1><p>Try again later.</p></body></html>";

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        let status = self.status_code();
        if let PageError::Internal(cause) = &self {
            tracing::error!(error.cause = %cause, http.status = status.as_u16(), "page failed");
        }
        let (heading, paragraphs) = self.page();
        message_page(status, heading, paragraphs, HOME)
    }
}

impl From<Forbidden> for PageError {
    fn from(_: Forbidden) -> Self {
        PageError::Forbidden
    }
}

impl From<StoreError> for PageError {
    fn from(error: StoreError) -> Self {
        match error {
            StoreError::NotFound { .. } => PageError::NotFound,
            other => PageError::Internal(other.to_string()),
        }
    }
}

impl From<askama::Error> for PageError {
    fn from(error: askama::Error) -> Self {
        PageError::Internal(format!("rendering a template: {error}"))
    }
}
