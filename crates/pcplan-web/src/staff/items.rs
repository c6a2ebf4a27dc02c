//! Adding, editing, moving and deleting one record of the working draft.
//!
//! - `GET /staff/plans/{plan}/items/new?kind=…&parent=…` and `POST /staff/plans/{plan}/items`
//!   (the kind travels in a hidden field) add a record;
//! - `GET/POST /staff/plans/{plan}/items/{item}` edit one;
//! - `GET/POST /staff/plans/{plan}/items/{item}/delete` confirm and delete one; a record
//!   the store will not delete (it has records under it) is explained on the
//!   confirmation page, not a server error;
//! - `POST /staff/plans/{plan}/items/{item}/move` with `direction=up|down` moves it
//!   among its siblings.
//!
//! The fields, their parsing and their errors come from `forms`; this module does the
//! HTTP around them and turns store refusals into form errors.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::{Item, ItemId, Plan, PlanId, RecordKind};
use pcplan_store::MoveDirection;
use serde::Deserialize;

use super::forms::{
    FieldErrors, FieldView, FormContext, FormValues, capitalise, field_views, fields, item_values, new_values,
    parse_item,
};
use super::{
    Crumb, Refusal, can_edit, draft_for_change, load_draft, parse_item_id, parse_plan_id, plan_path,
    problems_to_errors, refusal, require_editor, see_other,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

#[derive(Template)]
#[template(path = "staff/item_form.html")]
pub struct ItemFormPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub heading: String,
    pub caption: String,
    pub action: String,
    /// The kind, sent back in a hidden field on an add form.
    pub kind: &'static str,
    pub submit: String,
    pub cancel: String,
    pub editable: bool,
}

/// The body's local authority areas, for a local plan's area select.
async fn areas(state: &AppState, plan: &Plan) -> Result<Vec<pcplan_domain::Area>, PageError> {
    Ok(state.store.body(plan.body_id).await?.map(|body| body.areas).unwrap_or_default())
}

fn form_page(
    user: &CurrentUser,
    plan: &Plan,
    kind: RecordKind,
    editing: Option<&Item>,
    areas: &[pcplan_domain::Area],
    values: &FormValues,
    errors: FieldErrors,
) -> ItemFormPage {
    let ctx = FormContext { plan, areas, editing };
    let base = plan_path(plan.id);
    let label = kind.label();
    let (heading, action, submit, cancel) = match editing {
        Some(item) => (
            format!("Edit {label}"),
            format!("{base}/items/{}", item.id),
            format!("Save {label}"),
            format!("{base}#item-{}", item.id),
        ),
        None => {
            let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
            (format!("Add {article} {label}"), format!("{base}/items"), format!("Add {label}"), base.clone())
        }
    };
    ItemFormPage {
        layout: user.layout(heading.clone()).with_errors(!errors.is_empty()),
        crumbs: Crumb::plan_trail(plan),
        fields: field_views(kind, &ctx, values, &errors),
        errors,
        heading,
        caption: plan.title.clone(),
        action,
        kind: kind.as_str(),
        submit,
        cancel,
        editable: can_edit(&user.user),
    }
}

/// Turns a store refusal of a record into errors on its form.
fn store_errors(kind: RecordKind, refusal: Refusal) -> FieldErrors {
    let specs = fields(kind);
    let names: Vec<&str> = specs.iter().map(|f| f.name).collect();
    let dates: Vec<&str> = specs.iter().filter(|f| f.input == super::forms::Input::Date).map(|f| f.name).collect();
    match refusal {
        Refusal::Message(message) => {
            let mut errors = FieldErrors::default();
            errors.add(names.first().copied().unwrap_or("title"), message);
            errors
        }
        Refusal::Problems(problems) => problems_to_errors(&problems, &names, &dates),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NewQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    parent: Option<String>,
}

pub async fn new_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Query(query): Query<NewQuery>,
) -> Result<Response, PageError> {
    let plan = load_draft(&state, parse_plan_id(&plan)?).await?;
    let kind = RecordKind::parse(&query.kind).ok_or(PageError::NotFound)?;
    let parent = query.parent.as_deref().and_then(|p| p.parse::<ItemId>().ok());
    let areas = areas(&state, &plan).await?;
    let values = new_values(kind, parent);
    render(&form_page(&user, &plan, kind, None, &areas, &values, FieldErrors::default()))
}

pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (plan_id, plan) = draft_for_change(&state, &user, &plan).await?;
    let values = FormValues::new(pairs);
    let kind = RecordKind::parse(values.get("kind")).ok_or(PageError::NotFound)?;
    let areas = areas(&state, &plan).await?;
    let ctx = FormContext { plan: &plan, areas: &areas, editing: None };
    let parsed = match parse_item(kind, &values, &ctx) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = form_page(&user, &plan, kind, None, &areas, &values, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let item = parsed.into_item(ItemId::new());
    match state.store.add_item(&user.actor(), plan_id, &item).await {
        Ok(_) => Ok(see_other(&format!("{}?done=added&item={}#item-{}", plan_path(plan_id), item.id, item.id))),
        Err(error) => {
            let errors = store_errors(kind, refusal(error)?);
            let page = form_page(&user, &plan, kind, None, &areas, &values, errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// The plan and one of its records, or a 404.
async fn plan_and_item(state: &AppState, plan: &str, item: &str) -> Result<(PlanId, Plan, Item), PageError> {
    let plan_id = parse_plan_id(plan)?;
    let item_id = parse_item_id(item)?;
    let plan = load_draft(state, plan_id).await?;
    let item = plan.item(item_id).cloned().ok_or(PageError::NotFound)?;
    Ok((plan_id, plan, item))
}

pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, item)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, plan, item) = plan_and_item(&state, &plan, &item).await?;
    let areas = areas(&state, &plan).await?;
    let kind = item.record.kind();
    let values = item_values(&item);
    render(&form_page(&user, &plan, kind, Some(&item), &areas, &values, FieldErrors::default()))
}

pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, item)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (plan_id, plan, item) = plan_and_item(&state, &plan, &item).await?;
    let values = FormValues::new(pairs);
    let kind = item.record.kind();
    let areas = areas(&state, &plan).await?;
    let ctx = FormContext { plan: &plan, areas: &areas, editing: Some(&item) };
    let parsed = match parse_item(kind, &values, &ctx) {
        Ok(parsed) => parsed,
        Err(errors) => {
            let page = form_page(&user, &plan, kind, Some(&item), &areas, &values, errors);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
    };
    let updated = parsed.into_item(item.id);
    match state.store.update_item(&user.actor(), plan_id, &updated).await {
        Ok(_) => Ok(see_other(&format!("{}?done=saved&item={}#item-{}", plan_path(plan_id), item.id, item.id))),
        Err(error) => {
            let errors = store_errors(kind, refusal(error)?);
            let page = form_page(&user, &plan, kind, Some(&item), &areas, &values, errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

#[derive(Template)]
#[template(path = "staff/delete.html")]
pub struct DeletePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub kind_label: String,
    pub title: String,
    /// The records directly under this one, which must go first.
    pub children: Vec<String>,
    /// Why the store refused, after a refused POST.
    pub error: Option<String>,
    pub action: String,
    pub cancel: String,
    pub editable: bool,
}

fn delete_page(user: &CurrentUser, plan: &Plan, item: &Item, error: Option<String>) -> DeletePage {
    let base = plan_path(plan.id);
    let kind_label = item.record.kind().label().to_string();
    DeletePage {
        layout: user.layout(format!("Delete {kind_label}")).with_errors(error.is_some()),
        crumbs: Crumb::plan_trail(plan),
        caption: plan.title.clone(),
        title: item.record.title().to_string(),
        children: plan
            .children(Some(item.id))
            .map(|c| format!("{}: {}", capitalise(c.record.kind().label()), c.record.title()))
            .collect(),
        kind_label,
        error,
        action: format!("{base}/items/{}/delete", item.id),
        cancel: format!("{base}#item-{}", item.id),
        editable: can_edit(&user.user),
    }
}

pub async fn confirm_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, item)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (_, plan, item) = plan_and_item(&state, &plan, &item).await?;
    render(&delete_page(&user, &plan, &item, None))
}

pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, item)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (plan_id, plan, item) = plan_and_item(&state, &plan, &item).await?;
    match state.store.delete_item(&user.actor(), plan_id, item.id).await {
        Ok(_) => Ok(see_other(&format!("{}?done=deleted&kind={}", plan_path(plan_id), item.record.kind().as_str()))),
        Err(error) => {
            let message = match refusal(error)? {
                Refusal::Message(message) => message,
                Refusal::Problems(problems) => {
                    problems.iter().map(|p| super::sentence(&p.problem)).collect::<Vec<_>>().join("; ")
                }
            };
            render_with_status(StatusCode::CONFLICT, &delete_page(&user, &plan, &item, Some(message)))
        }
    }
}

#[derive(Debug, Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    direction: String,
}

#[derive(Template)]
#[template(path = "staff/message.html")]
pub struct MessagePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub heading: String,
    pub message: String,
    pub back: String,
}

pub async fn move_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, item)): Path<(String, String)>,
    Form(form): Form<MoveForm>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (plan_id, plan, item) = plan_and_item(&state, &plan, &item).await?;
    let direction = match form.direction.as_str() {
        "up" => MoveDirection::Up,
        "down" => MoveDirection::Down,
        _ => return Err(PageError::NotFound),
    };
    let back = format!("{}#item-{}", plan_path(plan_id), item.id);
    match state.store.move_item(&user.actor(), plan_id, item.id, direction).await {
        Ok(_) => Ok(see_other(&format!("{}?done=moved&item={}#item-{}", plan_path(plan_id), item.id, item.id))),
        Err(error) => {
            let message = match refusal(error)? {
                Refusal::Message(message) => message,
                Refusal::Problems(problems) => {
                    problems.iter().map(|p| super::sentence(&p.problem)).collect::<Vec<_>>().join("; ")
                }
            };
            let page = MessagePage {
                layout: user.layout("The record could not be moved"),
                crumbs: Crumb::plan_trail(&plan),
                heading: String::from("The record could not be moved"),
                message,
                back,
            };
            render_with_status(StatusCode::CONFLICT, &page)
        }
    }
}
