//! What every page shares: the [`Layout`] data the base template `layout.html` reads,
//! and [`render`], the one way a handler turns a template into a response.
//!
//! Each page has its own view struct deriving `askama::Template`, with a field named
//! `layout` and a template that `{% extends "layout.html" %}`. This module holds no page
//! of its own and does no I/O; handlers fetch what a page needs and fill its struct.

use askama::Template;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use pcplan_store::User;

use crate::error::PageError;

/// The part of the navigation a page belongs to, so the layout marks it as current.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Nav {
    /// The public plan pages.
    Plan,
    /// The staff pages.
    Staff,
    /// Public meetings and papers.
    Meetings,
    /// The Panel's reports and the Commissioner's responses.
    Reports,
    /// The register of Notices of Decision.
    Decisions,
    /// Public consultations, their surveys and "you said, we did".
    Consultations,
    /// The public search page.
    Search,
    /// Pages outside the navigation: sign-in, errors.
    None,
}

/// Who is signed in, as the layout shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NavUser {
    pub display_name: String,
}

/// What the base template needs to know about the page and the request.
#[derive(Clone, Debug)]
pub struct Layout {
    /// The page title, before ` - pcplan` in `<title>`. Prefix it with `Error: ` when the
    /// page shows a form with errors (the GOV.UK pattern); [`Layout::with_errors`] does.
    pub title: String,
    pub user: Option<NavUser>,
    pub nav: Nav,
}

impl Layout {
    /// A page for whoever is asking; `user` decides whether the staff links show.
    pub fn new(title: impl Into<String>, user: Option<&User>, nav: Nav) -> Self {
        Self { title: title.into(), user: user.map(|u| NavUser { display_name: u.display_name.clone() }), nav }
    }

    /// A page shown without knowing who is asking (error pages).
    pub fn anonymous(title: impl Into<String>) -> Self {
        Self { title: title.into(), user: None, nav: Nav::None }
    }

    /// Marks the title as a page with form errors: `Error: Sign in`.
    pub fn with_errors(mut self, has_errors: bool) -> Self {
        if has_errors && !self.title.starts_with("Error: ") {
            self.title = format!("Error: {}", self.title);
        }
        self
    }

    /// Whether the page is one of the public plan pages (the template marks the link).
    pub fn is_plan(&self) -> bool {
        self.nav == Nav::Plan
    }

    /// Whether the page is one of the staff pages (the template marks the link).
    pub fn is_staff(&self) -> bool {
        self.nav == Nav::Staff
    }

    pub fn is_meetings(&self) -> bool {
        self.nav == Nav::Meetings
    }

    pub fn is_reports(&self) -> bool {
        self.nav == Nav::Reports
    }

    pub fn is_decisions(&self) -> bool {
        self.nav == Nav::Decisions
    }

    pub fn is_consultations(&self) -> bool {
        self.nav == Nav::Consultations
    }

    pub fn is_search(&self) -> bool {
        self.nav == Nav::Search
    }
}

/// Renders a page with status 200.
pub fn render<T: Template>(page: &T) -> Result<Response, PageError> {
    render_with_status(StatusCode::OK, page)
}

/// Renders a page with another status: a form with errors is 422, bad credentials 401.
pub fn render_with_status<T: Template>(status: StatusCode, page: &T) -> Result<Response, PageError> {
    let html = page.render()?;
    Ok((status, Html(html)).into_response())
}
