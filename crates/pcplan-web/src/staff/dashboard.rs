//! `GET /staff`: the plans this installation holds, with their period, how many versions
//! each has and which version the public sees, and links to the administrator pages.
//!
//! It changes nothing and shows no records; the plan page does.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pcplan_domain::current_public;

use super::outline::long_date;
use super::{can_edit, is_admin, plan_path, version_label};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// One plan in the dashboard's table.
pub struct PlanRow {
    pub href: String,
    pub title: String,
    pub period: String,
    pub versions: usize,
    /// The version the public sees, if any was issued.
    pub public: Option<String>,
    pub versions_href: String,
}

#[derive(Template)]
#[template(path = "staff/dashboard.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub plans: Vec<PlanRow>,
    pub is_admin: bool,
    pub can_edit: bool,
    pub user_name: String,
    pub role: String,
}

pub async fn page(axum::extract::State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let mut plans = Vec::new();
    for summary in state.store.plans().await? {
        let versions = state.store.versions(summary.id).await?;
        plans.push(PlanRow {
            href: plan_path(summary.id),
            versions_href: format!("{}/versions", plan_path(summary.id)),
            title: summary.title.clone(),
            period: format!("{} to {}", long_date(summary.starts_on), long_date(summary.ends_on)),
            versions: versions.len(),
            public: current_public(&versions).map(version_label),
        });
    }
    render(&DashboardPage {
        layout: user.layout("Staff"),
        plans,
        is_admin: is_admin(&user.user),
        can_edit: can_edit(&user.user),
        user_name: user.user.display_name.clone(),
        role: user.user.role.label().to_string(),
    })
}
