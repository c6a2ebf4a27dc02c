//! `GET /staff/audit?page=N` (administrators only): the newest audit entries first, fifty
//! to a page, each with who, when, what and the record's JSON before and after, and at the
//! top whether the hash chain verifies from the first entry to the last.
//!
//! It reads the log only; nothing here can write to it, and it shows no password hash or
//! session token because the store never puts them in the log.

use askama::Template;
use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;

use super::Crumb;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// Entries on one page.
const PAGE_SIZE: i64 = 50;

#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    page: Option<String>,
}

pub struct EntryRow {
    pub seq: String,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub before: String,
    pub after: String,
}

#[derive(Template)]
#[template(path = "staff/audit.html")]
pub struct AuditPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub intact: bool,
    pub verified: String,
    pub entries: Vec<EntryRow>,
    pub page: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
}

fn pretty(value: &Option<serde_json::Value>) -> String {
    match value {
        None => String::new(),
        Some(v) => serde_json::to_string_pretty(v).unwrap_or_else(|_| v.to_string()),
    }
}

pub async fn page(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<AuditQuery>,
) -> Result<Response, PageError> {
    me.require_admin()?;
    let page = query.page.as_deref().map(str::trim).filter(|p| !p.is_empty()).map_or(Ok(1), |p| p.parse::<i64>());
    let page = page.ok().filter(|p| *p >= 1).ok_or(PageError::NotFound)?;
    let offset = (page - 1).checked_mul(PAGE_SIZE).ok_or(PageError::NotFound)?;
    // One more than a page, to know whether there is a next page without counting.
    let mut entries = state.store.audit_log(PAGE_SIZE + 1, offset).await?;
    let more = entries.len() as i64 > PAGE_SIZE;
    entries.truncate(PAGE_SIZE as usize);
    let report = state.store.verify_audit().await?;
    let (intact, verified) = match &report.first_broken {
        None => {
            (true, format!("The audit log is intact: all {} entries verify against the hash chain.", report.entries))
        }
        Some(broken) => (
            false,
            format!(
                "The audit log is broken at entry {}: {}. {} entries were checked. Report this to whoever runs pcplan.",
                broken.seq, broken.reason, report.entries
            ),
        ),
    };
    render(&AuditPage {
        layout: me.layout("Audit log"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        intact,
        verified,
        entries: entries
            .iter()
            .map(|e| EntryRow {
                seq: e.seq.to_string(),
                at: e.at.format("%-d %B %Y %H:%M:%S UTC").to_string(),
                actor: e.actor.clone(),
                action: e.action.clone(),
                entity: e.entity.clone(),
                entity_id: e.entity_id.clone(),
                before: pretty(&e.before),
                after: pretty(&e.after),
            })
            .collect(),
        page,
        previous: (page > 1).then(|| format!("/staff/audit?page={}", page - 1)),
        next: more.then(|| format!("/staff/audit?page={}", page + 1)),
    })
}
