//! The working draft of one plan: `GET /staff/plans/{plan}` shows it as trees and tables
//! with the contents check at the top, and `GET/POST /staff/plans/{plan}/header` edits
//! its title, vision and period.
//!
//! The record forms are in `items`; this module only shows records and edits the header.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::{ContentsReport, ItemId, Plan, RecordKind, check_contents};
use pcplan_store::PlanHeader;

use super::forms::{FieldErrors, FieldView, FormReader, FormValues, capitalise};
use super::outline::{Outline, long_date, outline};
use super::{
    Crumb, DoneQuery, Refusal, can_edit, draft_for_change, load_draft, parse_plan_id, plan_path, problems_to_errors,
    refusal, see_other,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

#[derive(Template)]
#[template(path = "staff/plan.html")]
pub struct PlanPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub title: String,
    pub vision: String,
    pub period: String,
    /// `/staff/plans/{id}`, the start of every link on the page.
    pub base: String,
    pub outline: Outline,
    pub report: ContentsReport,
    pub check_href: String,
    /// Whether edit links, move and delete buttons show (editors, on the draft).
    pub editable: bool,
    /// A term that is not four years, or a period that ends on another day than the
    /// statutory expiry (`election::plan_period_notes`).
    pub period_notes: Vec<String>,
}

/// The banner message after a successful change, from the redirect's query.
fn notice(plan: &Plan, done: &DoneQuery) -> Option<String> {
    let item_title = || {
        let id: ItemId = done.item.as_deref()?.parse().ok()?;
        let item = plan.item(id)?;
        Some(format!("{} \u{201c}{}\u{201d}", capitalise(item.record.kind().label()), item.record.title()))
    };
    match done.done.as_deref()? {
        "added" => item_title().map(|t| format!("{t} added")),
        "saved" => item_title().map(|t| format!("{t} saved")),
        "moved" => item_title().map(|t| format!("{t} moved")),
        "deleted" => {
            let kind = done.kind.as_deref().and_then(RecordKind::parse);
            Some(format!("{} deleted", kind.map(|k| capitalise(k.label())).unwrap_or_else(|| String::from("Record"))))
        }
        "header" => Some(String::from("Plan details saved")),
        _ => None,
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let plan = load_draft(&state, id).await?;
    let base = plan_path(id);
    let period_notes = match state.store.body(plan.body_id).await? {
        Some(body) => {
            let settings = state.store.clock_settings(body.id).await?;
            pcplan_domain::election::plan_period_notes(&body, plan.starts_on, plan.ends_on, &settings)
        }
        None => Vec::new(),
    };
    render(&PlanPage {
        period_notes,
        layout: user.layout(format!("{} (working draft)", plan.title)),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        notice: notice(&plan, &done),
        title: plan.title.clone(),
        vision: plan.vision.clone(),
        period: format!("{} to {}", long_date(plan.starts_on), long_date(plan.ends_on)),
        check_href: format!("{base}/check"),
        base,
        outline: outline(&plan),
        report: check_contents(&plan),
        editable: can_edit(&user.user),
    })
}

#[derive(Template)]
#[template(path = "staff/header.html")]
pub struct HeaderPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub cancel: String,
    pub editable: bool,
}

const HEADER_FIELDS: [&str; 4] = ["title", "vision", "starts_on", "ends_on"];
const HEADER_DATES: [&str; 2] = ["starts_on", "ends_on"];

fn header_page(user: &CurrentUser, plan: &Plan, values: &FormValues, errors: FieldErrors) -> HeaderPage {
    let base = plan_path(plan.id);
    HeaderPage {
        layout: user.layout("Plan details").with_errors(!errors.is_empty()),
        crumbs: Crumb::plan_trail(plan),
        fields: vec![
            FieldView::text("title", "Title", "For example, Police and Crime Plan 2013-2017", values, &errors),
            FieldView::textarea("vision", "Vision", "The vision the objectives serve", values, &errors),
            FieldView::date(
                "starts_on",
                "Starts on",
                "The first day the plan has effect, for example 1 4 2013",
                values,
                &errors,
            ),
            FieldView::date(
                "ends_on",
                "Ends on",
                "The last day the plan has effect: the end of the financial year after the next ordinary election (PRSRA 2011 s.5(3)), for example 31 3 2017",
                values,
                &errors,
            ),
        ],
        errors,
        action: format!("{base}/header"),
        cancel: base,
        editable: can_edit(&user.user),
    }
}

pub async fn header_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
) -> Result<Response, PageError> {
    let plan = load_draft(&state, parse_plan_id(&plan)?).await?;
    let mut values = FormValues::default();
    values.push("title", &plan.title);
    values.push("vision", &plan.vision);
    values.push_date("starts_on", Some(plan.starts_on));
    values.push_date("ends_on", Some(plan.ends_on));
    render(&header_page(&user, &plan, &values, FieldErrors::default()))
}

pub async fn save_header(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, plan) = draft_for_change(&state, &user, &plan).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let title = reader.text("title", "Title", true);
    let vision = reader.text("vision", "Vision", false);
    let starts_on = reader.date("starts_on", "Start date", true);
    let ends_on = reader.date("ends_on", "End date", true);
    let mut errors = reader.errors;
    if let (Some(starts), Some(ends)) = (starts_on, ends_on)
        && ends < starts
    {
        errors.add_at(
            "ends_on",
            "ends_on-day",
            format!("End date must be the same as or after the start date, {}", long_date(starts)),
        );
    }
    let (Some(starts_on), Some(ends_on), true) = (starts_on, ends_on, errors.is_empty()) else {
        let page = header_page(&user, &plan, &values, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    let header = PlanHeader { title, vision, starts_on, ends_on };
    match state.store.update_plan_header(&user.actor(), id, &header).await {
        Ok(_) => Ok(see_other(&format!("{}?done=header", plan_path(id)))),
        Err(error) => {
            let errors = match refusal(error)? {
                Refusal::Message(message) => {
                    let mut errors = FieldErrors::default();
                    errors.add("title", message);
                    errors
                }
                Refusal::Problems(problems) => problems_to_errors(&problems, &HEADER_FIELDS, &HEADER_DATES),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &header_page(&user, &plan, &values, errors))
        }
    }
}
