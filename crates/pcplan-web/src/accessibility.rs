//! The accessibility statement, `GET /accessibility`: a public page, linked from the
//! footer of every page, following the structure of the GOV.UK model accessibility
//! statement (who runs the site, how accessible it is, how to report a problem, the
//! enforcement procedure, the technical compliance status, how it was tested, and when
//! the statement was prepared).
//!
//! The figures of the last accessibility run ([`LAST_RUN`]) are written here by hand
//! after `tests/a11y/run.sh` passes (see `docs/accessibility.md`); the page states them,
//! it does not run anything. It deliberately does not claim more than that run showed:
//! what automated checks cannot find is said on the page.

use askama::Template;
use axum::Router;
use axum::extract::State;
use axum::response::Response;
use axum::routing::get;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/accessibility", get(page))
}

/// What the last accessibility crawl of the demo checked and found.
#[derive(Clone, Copy, Debug)]
pub struct AccessibilityRun {
    /// The day of the run, written out: `30 November 2026`.
    pub date: &'static str,
    /// The axe-core release that ran the rules.
    pub axe_core: &'static str,
    /// The browser the pages were opened in.
    pub browser: &'static str,
    /// Pages checked, public and signed in, including forms' error pages.
    pub pages: usize,
    /// Distinct route shapes among them (ids normalised).
    pub route_shapes: usize,
    /// axe-core violations and keyboard failures found, all together.
    pub violations: usize,
}

impl AccessibilityRun {
    /// Whether the run checked pages and found nothing: the only case in which the
    /// statement says "fully compliant".
    pub fn found_nothing(&self) -> bool {
        self.pages > 0 && self.violations == 0
    }
}

/// The run the statement reports; update it from the run's last lines.
pub const LAST_RUN: AccessibilityRun = AccessibilityRun {
    date: "1 December 2026",
    axe_core: "4.14.1",
    browser: "headless Chromium 156 (the Debian package)",
    pages: 276,
    route_shapes: 126,
    violations: 0,
};

/// The day this statement's text was first prepared.
pub const PREPARED_ON: &str = "30 November 2026";

#[derive(Template)]
#[template(path = "public/accessibility.html")]
struct StatementPage {
    layout: Layout,
    /// The site body's name, or a generic one before any body is stored.
    body_name: String,
    run: AccessibilityRun,
    prepared_on: &'static str,
}

async fn page(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let body_name = match state.store.site_body().await? {
        Some(id) => state.store.body(id).await?.map(|body| body.name),
        None => None,
    }
    .unwrap_or_else(|| String::from("the policing body"));
    render(&StatementPage {
        layout: Layout::new("Accessibility statement", user.as_ref(), Nav::None),
        body_name,
        run: LAST_RUN,
        prepared_on: PREPARED_ON,
    })
}
