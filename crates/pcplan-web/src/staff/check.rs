//! `GET /staff/plans/{plan}/check?version=N`: the statutory contents check of a version,
//! or of the working draft when no version (or `draft`) is given. Each PRSRA 2011 s.7(1)
//! element is shown present, with its evidence, or missing, with what to do; each further
//! function covered, with the sections mapped to it, or not.
//!
//! The check itself is the domain's `check_contents`; this module only shows it.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::response::Response;
use pcplan_domain::{ContentsReport, check_contents};
use serde::Deserialize;

use super::{At, Crumb, load_at, load_draft, parse_plan_id, plan_path, version_label};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

#[derive(Debug, Default, Deserialize)]
pub struct CheckQuery {
    #[serde(default)]
    version: Option<String>,
}

/// A version (or the draft) the page can switch to.
pub struct Choice {
    pub href: String,
    pub label: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "staff/check.html")]
pub struct CheckPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub of: String,
    pub report: ContentsReport,
    pub covered: usize,
    pub choices: Vec<Choice>,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Query(query): Query<CheckQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let draft = load_draft(&state, id).await?;
    let at = match query.version.as_deref().map(str::trim) {
        None | Some("") => At::Draft,
        Some(raw) => At::parse(raw).ok_or(PageError::NotFound)?,
    };
    let versions = state.store.versions(id).await?;
    let (content, of) = load_at(&state, id, at, &versions).await?;
    let report = check_contents(&content);
    let base = plan_path(id);
    let mut choices =
        vec![Choice { href: format!("{base}/check"), label: String::from("Working draft"), current: at == At::Draft }];
    choices.extend(versions.iter().rev().map(|v| Choice {
        href: format!("{base}/check?version={}", v.number),
        label: version_label(v),
        current: at == At::Version(v.number),
    }));
    render(&CheckPage {
        layout: user.layout(format!("Contents check: {}", draft.title)),
        crumbs: Crumb::plan_trail(&draft),
        caption: draft.title.clone(),
        of,
        covered: report.functions.iter().filter(|f| f.covered).count(),
        report,
        choices,
    })
}
