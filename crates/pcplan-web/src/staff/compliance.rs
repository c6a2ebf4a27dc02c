//! `GET /staff/compliance`: the compliance dashboard. Every dated item the statutory
//! clock knows (Panel papers, process steps, plan expiry, the recurring obligations:
//! annual reports, precept dates, equality publications, plan issue), sorted into
//! overdue, due in the next 30 days, later and done with its evidence, each with its
//! owner and the rule it comes from. The page prints cleanly (GOV.UK Frontend's print
//! styles; forms are hidden in print), for a board pack.
//!
//! `POST /staff/compliance/obligations` adds the recurring obligations due around today
//! that are not stored yet, and `POST /staff/owners` gives any item an owner, who then
//! gets its e-mail reminders. The dates are the store's agenda (`Store::agenda`); this
//! module only sorts and shows them.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::response::Response;
use pcplan_domain::UserId;
use pcplan_domain::agenda::{DueItem, Standing};
use serde::Deserialize;

use super::outline::long_date;
use super::{Crumb, DoneQuery, can_edit, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// Days ahead that count as "due soon".
pub const HORIZON_DAYS: i64 = 30;

/// One line of a list.
pub struct Line {
    pub key: String,
    pub date: String,
    pub what: String,
    pub citation: &'static str,
    pub about: String,
    pub href: String,
    pub evidence: String,
    pub late: bool,
    pub owner: String,
    pub owner_id: String,
}

/// One of the four lists.
pub struct Section {
    pub heading: &'static str,
    pub tag: &'static str,
    pub empty: &'static str,
    pub open: bool,
    pub lines: Vec<Line>,
}

/// An account that can own an item.
pub struct OwnerOption {
    pub id: String,
    pub name: String,
}

#[derive(Template)]
#[template(path = "staff/compliance.html")]
pub struct CompliancePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub today: String,
    pub sections: Vec<Section>,
    pub owners: Vec<OwnerOption>,
    pub editable: bool,
    pub notice: Option<String>,
    /// Each body's transparency checklist, with how many of its duties have nothing
    /// published or recorded (so no date to be overdue by).
    pub checklists: Vec<ChecklistLink>,
}

/// A link to one body's transparency checklist.
pub struct ChecklistLink {
    pub body_name: String,
    pub href: String,
    pub never: usize,
}

fn line(item: DueItem, names: &[(UserId, String)]) -> Line {
    let owner = item.owner.and_then(|id| names.iter().find(|(u, _)| *u == id)).map(|(_, n)| n.clone());
    Line {
        date: long_date(item.due),
        what: item.what,
        citation: item.citation,
        about: item.about,
        href: item.subject.staff_path(),
        evidence: item.done.as_ref().map(|d| d.summary.clone()).unwrap_or_default(),
        late: item.done.as_ref().is_some_and(|d| d.late),
        owner: owner.unwrap_or_default(),
        owner_id: item.owner.map(|u| u.to_string()).unwrap_or_default(),
        key: item.key,
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let today = crate::today();
    let users = state.store.users().await?;
    let names: Vec<(UserId, String)> = users.iter().map(|u| (u.id, u.display_name.clone())).collect();
    let (mut overdue, mut soon, mut later, mut finished) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for item in state.store.agenda(today).await? {
        match item.standing(today, HORIZON_DAYS) {
            Standing::Overdue => overdue.push(line(item, &names)),
            Standing::DueSoon => soon.push(line(item, &names)),
            Standing::Later => later.push(line(item, &names)),
            Standing::Done => finished.push((item.done.as_ref().map(|d| d.on), line(item, &names))),
        }
    }
    // Newest done first; the agenda is already in due-date order for the open lists.
    finished.sort_by_key(|(on, _)| std::cmp::Reverse(*on));
    let notice = match done.done.as_deref() {
        Some("obligations") => Some(String::from("Recurring deadlines brought up to date")),
        Some("owner") => Some(String::from("Owner saved")),
        _ => None,
    };
    let mut checklists = Vec::new();
    for body in state.store.bodies().await? {
        let list = crate::transparency::checklist(&state, &body, today, false).await?;
        checklists.push(ChecklistLink {
            href: format!("{}?body={}", super::transparency::PATH, body.id),
            body_name: body.name,
            never: list.never,
        });
    }
    render(&CompliancePage {
        checklists,
        layout: user.layout("Compliance"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        today: long_date(today),
        sections: vec![
            Section {
                heading: "Overdue",
                tag: "govuk-tag--red",
                empty: "Nothing is overdue.",
                open: true,
                lines: overdue,
            },
            Section {
                heading: "Due in the next 30 days",
                tag: "govuk-tag--yellow",
                empty: "Nothing is due in the next 30 days.",
                open: true,
                lines: soon,
            },
            Section {
                heading: "Later",
                tag: "govuk-tag--grey",
                empty: "Nothing else is scheduled.",
                open: true,
                lines: later,
            },
            Section {
                heading: "Done",
                tag: "govuk-tag--green",
                empty: "Nothing has been recorded yet.",
                open: false,
                lines: finished.into_iter().map(|(_, l)| l).collect(),
            },
        ],
        owners: users
            .iter()
            .filter(|u| u.active)
            .map(|u| OwnerOption { id: u.id.to_string(), name: u.display_name.clone() })
            .collect(),
        editable: can_edit(&user.user),
        notice,
    })
}

/// `POST /staff/compliance/obligations`: adds the recurring obligations due around
/// today that are not stored yet. Running it twice adds nothing the second time.
pub async fn ensure(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    require_editor(&user)?;
    state.store.ensure_obligations(&user.actor(), crate::today()).await?;
    Ok(see_other("/staff/compliance?done=obligations"))
}

#[derive(Deserialize)]
pub struct OwnerForm {
    key: String,
    #[serde(default)]
    owner: String,
    #[serde(default)]
    back: String,
}

/// `POST /staff/owners`: gives the item with key `key` an owner (empty for none) and
/// goes back to the page the form was on.
pub async fn set_owner(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(form): Form<OwnerForm>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let owner = match form.owner.trim() {
        "" => None,
        raw => Some(raw.parse::<UserId>().map_err(|_| PageError::NotFound)?),
    };
    if state.store.agenda(crate::today()).await?.iter().all(|i| i.key != form.key) {
        return Err(PageError::NotFound);
    }
    state.store.set_owner(&user.actor(), &form.key, owner).await?;
    // Only ever back to a staff page, never to a place a crafted form names.
    let back = if form.back.starts_with("/staff/") && !form.back.starts_with("//") {
        form.back.as_str()
    } else {
        "/staff/compliance"
    };
    let separator = if back.contains('?') { '&' } else { '?' };
    Ok(see_other(&format!("{back}{separator}done=owner")))
}
