//! The status updates of a milestone or commitment,
//! `/staff/performance/items/{item}/status`: every update given, latest first, and for
//! editors the form that adds one (date, status, commentary, an evidence link, who gives
//! it). The rules are `StatusUpdate::check`'s (no future date; commentary for At risk,
//! Late and Withdrawn; a web address that is one), and each problem goes beside its
//! field. Updates are never changed: the latest is the item's status on the dashboard.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::rollup::{Evidence, StatusUpdate};
use pcplan_domain::{ItemId, Record, RecordKind, Status, UpdateId};

use super::{Monitored, find_item, status_path, trail};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::staff::forms::{FieldErrors, FieldView, FormReader, FormValues};
use crate::staff::outline::{Tag, long_date, status_tag};
use crate::staff::{Crumb, DoneQuery, Refusal, refusal, require_editor, see_other, sentence};
use crate::views::{Layout, render, render_with_status};

/// The kinds an owner reports on.
const KINDS: [RecordKind; 2] = [RecordKind::Milestone, RecordKind::Commitment];

/// One update in the history.
pub struct UpdateRow {
    pub date: String,
    pub status: Tag,
    pub commentary: String,
    pub evidence_url: String,
    pub evidence_title: String,
    pub by: String,
    pub recorded: String,
}

#[derive(Template)]
#[template(path = "staff/performance_status.html")]
pub struct StatusPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub kind: &'static str,
    pub title: String,
    /// `Due 30 June 2013; status in the plan: Not started`.
    pub facts: Vec<String>,
    pub current: Option<Tag>,
    pub updates: Vec<UpdateRow>,
    pub editable: bool,
    pub action: String,
    pub fields: Vec<FieldView>,
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    found: &Monitored,
    id: ItemId,
    notice: Option<String>,
    errors: FieldErrors,
    typed: Option<&FormValues>,
) -> Result<StatusPage, PageError> {
    let item = found.plan.item(id).ok_or(PageError::NotFound)?;
    let stored: Vec<_> =
        state.store.status_updates(found.body.id).await?.into_iter().filter(|u| u.item_id == id).collect();
    let updates_only: Vec<StatusUpdate> = stored.iter().map(|u| u.update.clone()).collect();
    let latest = StatusUpdate::latest(&updates_only).map(|u| u.status);
    let mut facts = Vec::new();
    let planned = match &item.record {
        Record::Milestone(m) => {
            facts.push(format!("Due {}", long_date(m.due)));
            Some(m.status)
        }
        Record::Commitment(c) => {
            if !c.owner.is_empty() {
                facts.push(format!("Owner: {}", c.owner));
            }
            if !c.lead_organisation.is_empty() {
                facts.push(format!("Lead organisation: {}", c.lead_organisation));
            }
            None
        }
        _ => None,
    };
    if let Some(status) = planned {
        facts.push(format!("Status in the plan: {}", status.label()));
    }
    let mut rows: Vec<UpdateRow> = stored
        .iter()
        .map(|s| {
            let (evidence_url, evidence_title) = match &s.update.evidence {
                Some(Evidence::Link { url, title }) => {
                    (url.clone(), if title.is_empty() { url.clone() } else { title.clone() })
                }
                Some(Evidence::Document { file_name, .. }) => (String::new(), file_name.clone()),
                None => (String::new(), String::new()),
            };
            UpdateRow {
                date: long_date(s.update.date),
                status: status_tag(s.update.status),
                commentary: s.update.commentary.clone(),
                evidence_url,
                evidence_title,
                by: s.update.by.clone(),
                recorded: format!("{}, {}", s.created_by, s.created_at.format("%-d %B %Y at %H:%M (UTC)")),
            }
        })
        .collect();
    // The store gives them oldest first; the history reads latest first.
    rows.reverse();

    let mut values = typed.cloned().unwrap_or_default();
    if typed.is_none() {
        values.push_date("date", Some(crate::today()));
        values.push("by", user.user.display_name.clone());
    }
    let options: Vec<(String, String, String)> =
        Status::ALL.iter().map(|s| (s.as_str().to_string(), s.label().to_string(), String::new())).collect();
    let fields = vec![
        FieldView::date("date", "Date of the update", "For example, 27 3 2024", &values, &errors),
        FieldView::radios("status", "Status", "", &options, &values, &errors),
        FieldView::textarea(
            "commentary",
            "Commentary",
            "What has happened and what comes next; needed for At risk, Late and Withdrawn",
            &values,
            &errors,
        ),
        FieldView::text(
            "evidence_url",
            "Evidence: web address (optional)",
            "A page that backs the update up, starting https://",
            &values,
            &errors,
        ),
        FieldView::text("evidence_title", "Evidence: title (optional)", "What the page is", &values, &errors),
        FieldView::text(
            "by",
            "Given by",
            "The person giving the update, like Chief Inspector A. Khan",
            &values,
            &errors,
        ),
    ];
    let kind = if item.record.kind() == RecordKind::Milestone { "Milestone" } else { "Commitment" };
    Ok(StatusPage {
        layout: user.layout(format!("Status of {}", item.record.title())).with_errors(!errors.is_empty()),
        crumbs: trail(found.body.id),
        notice,
        body_name: found.body.name.clone(),
        kind,
        title: item.record.title().to_string(),
        facts,
        current: latest.or(planned).map(status_tag),
        updates: rows,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Deliver),
        action: status_path(id),
        fields,
        errors,
    })
}

/// `GET /staff/performance/items/{item}/status`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let (found, id) = find_item(&state, &raw, &KINDS).await?;
    let notice = (done.done.as_deref() == Some("update")).then(|| String::from("Status update saved"));
    render(&view(&state, &user, &found, id, notice, FieldErrors::default(), None).await?)
}

/// Reads the form into an update; `None` with the errors when it cannot be made at all.
fn read(values: &FormValues, errors: &mut FieldErrors) -> Option<StatusUpdate> {
    let mut reader = FormReader::new(values);
    let date = reader.date("date", "Date of the update", true);
    errors.0.extend(reader.errors.0);
    let status = match values.get("status") {
        "" => {
            errors.add("status", "Choose the status");
            None
        }
        raw => Status::parse(raw).or_else(|| {
            errors.add("status", "Choose one of the statuses listed");
            None
        }),
    };
    let url = values.get("evidence_url").trim().to_string();
    let title = values.get("evidence_title").trim().to_string();
    if url.is_empty() && !title.is_empty() {
        errors.add("evidence_url", "Enter the web address of the evidence, or clear its title");
    }
    let evidence = (!url.is_empty()).then_some(Evidence::Link { url, title });
    Some(StatusUpdate {
        date: date?,
        status: status?,
        commentary: values.get("commentary").trim().to_string(),
        evidence,
        by: values.get("by").trim().to_string(),
    })
}

/// The form field a problem of `StatusUpdate::check` belongs beside.
fn field_of(problem_field: &str) -> &'static str {
    match problem_field {
        "date" => "date",
        "commentary" => "commentary",
        "by" => "by",
        _ => "evidence_url",
    }
}

/// `POST /staff/performance/items/{item}/status`.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (found, id) = find_item(&state, &raw, &KINDS).await?;
    let values = FormValues::new(pairs);
    let mut errors = FieldErrors::default();
    let today = crate::today();
    let update = read(&values, &mut errors);
    if let Some(update) = update {
        // Every problem at once, beside its field, before the store checks again.
        if let Err(problems) = update.check(today) {
            for p in problems.0 {
                let field = field_of(p.field);
                let anchor = if field == "date" { "date-day" } else { field };
                errors.add_at(field, anchor, sentence(&format!("{} {}", field_label(field), p.problem)));
            }
        }
        if errors.is_empty() {
            let stored =
                state.store.add_status_update(&user.actor(), found.body.id, id, UpdateId::new(), &update, today).await;
            match stored {
                Ok(_) => return Ok(see_other(&format!("{}?done=update", status_path(id)))),
                Err(error) => match refusal(error)? {
                    Refusal::Message(m) => errors.add("status", m),
                    Refusal::Problems(problems) => {
                        for p in problems {
                            errors.add(field_of(&p.path), sentence(&p.problem));
                        }
                    }
                },
            }
        }
    }
    let page = view(&state, &user, &found, id, None, errors, Some(&values)).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// How a problem's sentence starts: `Commentary is empty; ...`.
fn field_label(field: &str) -> &'static str {
    match field {
        "date" => "the date:",
        "commentary" => "commentary",
        "by" => "given by",
        _ => "evidence:",
    }
}
