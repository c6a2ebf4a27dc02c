//! `GET /staff/reminders`: the newest e-mail reminders of deadlines, each with its owner,
//! the deadline it is about and where it stands: sent, failed (with the mail server's
//! reason; the next run tries again) or not confirmed (claimed by a run that stopped
//! before it could record the result; the message may or may not have arrived, and it
//! is never sent again, so staff should check with the owner).
//!
//! Any signed-in member of staff may read it. It changes nothing: reminders are sent by
//! `pcplan serve` and `pcplan reminders send`, never from a page. Recipients' addresses
//! are not shown here; the users page, for administrators, has them.

use std::collections::HashMap;

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use pcplan_store::ReminderState;

use super::Crumb;
use super::outline::long_date;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// Reminders shown: the newest first.
const LIMIT: i64 = 200;

pub struct ReminderRow {
    pub state: &'static str,
    /// The GOV.UK tag colour: `green`, `red`, `yellow`.
    pub colour: &'static str,
    pub claimed_at: String,
    pub owner: String,
    pub what: String,
    /// The staff page of the deadline, when it is still on the agenda.
    pub href: Option<String>,
    pub due: String,
    pub stage: String,
    /// What staff should know: the failure's reason, or what to do about a claim left
    /// unconfirmed.
    pub note: String,
}

#[derive(Template)]
#[template(path = "staff/reminders.html")]
pub struct RemindersPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub rows: Vec<ReminderRow>,
    pub unconfirmed: usize,
    pub failed: usize,
}

/// `7d` as `7 days before`, `overdue` as `Overdue`.
fn stage_label(stage: &str) -> String {
    match stage.strip_suffix('d').and_then(|n| n.parse::<u32>().ok()) {
        Some(0) => String::from("On the day"),
        Some(1) => String::from("1 day before"),
        Some(n) => format!("{n} days before"),
        None if stage == "overdue" => String::from("Overdue"),
        None => stage.to_string(),
    }
}

pub async fn page(State(state): State<AppState>, me: CurrentUser) -> Result<Response, PageError> {
    let reminders = state.store.reminders(LIMIT).await?;
    let users: HashMap<_, _> = state.store.users().await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let agenda: HashMap<String, (String, String)> = state
        .store
        .agenda(crate::today())
        .await?
        .into_iter()
        .map(|item| (item.key, (format!("{} ({})", item.what, item.about), item.subject.staff_path())))
        .collect();
    let rows: Vec<ReminderRow> = reminders
        .into_iter()
        .map(|r| {
            let (what, href) = match agenda.get(&r.item_key) {
                Some((what, href)) => (what.clone(), Some(href.clone())),
                None => (r.item_key.clone(), None),
            };
            let (colour, note) = match r.state {
                ReminderState::Sent => ("green", String::new()),
                ReminderState::Failed => {
                    ("red", format!("{} It will be tried again on the next run.", r.detail.clone().unwrap_or_default()))
                }
                ReminderState::Claimed => (
                    "yellow",
                    String::from(
                        "The run stopped before it recorded whether the message went. Check with the owner; \
                         it will not be sent again.",
                    ),
                ),
            };
            ReminderRow {
                state: r.state.label(),
                colour,
                claimed_at: r.claimed_at.format("%-d %B %Y %H:%M UTC").to_string(),
                owner: users.get(&r.user_id).cloned().unwrap_or_else(|| r.user_id.to_string()),
                what,
                href,
                due: long_date(r.due_on),
                stage: stage_label(&r.stage),
                note,
            }
        })
        .collect();
    render(&RemindersPage {
        layout: me.layout("Reminders"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        unconfirmed: rows.iter().filter(|r| r.colour == "yellow").count(),
        failed: rows.iter().filter(|r| r.colour == "red").count(),
        rows,
    })
}

#[cfg(test)]
mod tests {
    use super::stage_label;

    #[test]
    fn stages_read_as_words() {
        assert_eq!(stage_label("14d"), "14 days before");
        assert_eq!(stage_label("1d"), "1 day before");
        assert_eq!(stage_label("0d"), "On the day");
        assert_eq!(stage_label("overdue"), "Overdue");
    }
}
