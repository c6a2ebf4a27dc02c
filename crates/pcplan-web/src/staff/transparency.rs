//! The transparency checklist for staff, `/staff/transparency?body=`: every publication
//! duty of the body with its cadence, where it is published, when it last was, when it
//! is next due and whether that has passed; for duties published outside pcplan, the log
//! of each publication and (for editors) the form that records one or removes a mistaken
//! record.
//!
//! The rows are `crate::transparency::checklist`'s, the same the public page shows. An
//! overdue duty also reaches the compliance dashboard, the calendar feeds and the
//! reminders through the agenda (`pcplan_domain::agenda`), which counts its next date
//! from the same log.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::transparency::{DUTIES, Evidence, NewPublication};
use pcplan_domain::{Body, BodyId, PublicationId};
use serde::Deserialize;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::performance_view::chosen_body;
use crate::staff::forms::{FieldErrors, FieldView, FormReader, FormValues};
use crate::staff::{Crumb, can_edit, place_refusal, refusal, require_editor, see_other};
use crate::transparency::{Checklist, checklist};
use crate::views::{Layout, render, render_with_status};

/// The page.
pub const PATH: &str = "/staff/transparency";

/// Records a publication.
pub const RECORD_PATH: &str = "/staff/transparency/publications";

/// Removes a publication recorded by mistake.
pub const REMOVE_PATH: &str = "/staff/transparency/publications/remove";

fn page_path(body: BodyId) -> String {
    format!("{PATH}?body={body}")
}

#[derive(Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub done: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/transparency.html")]
pub struct TransparencyPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub body_id: String,
    pub public_href: String,
    pub checklist: Checklist,
    pub editable: bool,
    pub record_action: &'static str,
    pub remove_action: &'static str,
    pub fields: Vec<FieldView>,
    /// The identity of the publication the form records (kept when the form comes back
    /// with errors).
    pub record_id: String,
}

async fn body_of(state: &AppState, raw: Option<&str>) -> Result<Body, PageError> {
    chosen_body(state, raw).await?.ok_or(PageError::NotFound)
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    notice: Option<String>,
    errors: FieldErrors,
    values: &FormValues,
) -> Result<TransparencyPage, PageError> {
    let checklist = checklist(state, body, crate::today(), true).await?;
    let duties: Vec<(String, String, String)> = DUTIES
        .iter()
        .filter(|d| d.evidence == Evidence::Log)
        .map(|d| (d.key.to_string(), d.title.to_string(), d.cadence.label().to_string()))
        .collect();
    let fields = vec![
        FieldView::radios("duty", "What was published", "", &duties, values, &errors),
        FieldView::date("published_on", "Date published", "For example, 12 11 2026", values, &errors),
        FieldView::text(
            "url",
            "Web address",
            "Where the public can read it, like https://www.example-pcc.org.uk/spending",
            values,
            &errors,
        ),
        FieldView::text("note", "What it covers (optional)", "For example, spending in October 2026", values, &errors),
    ];
    let public_href = if state.store.site_body().await? == Some(body.id) {
        String::from("/transparency")
    } else {
        format!("/bodies/{}/transparency", body.id)
    };
    Ok(TransparencyPage {
        layout: user.layout("Transparency checklist").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Compliance", "/staff/compliance")],
        notice,
        errors,
        body_name: body.name.clone(),
        body_id: body.id.to_string(),
        public_href,
        checklist,
        editable: can_edit(&user.user),
        record_action: RECORD_PATH,
        remove_action: REMOVE_PATH,
        fields,
        record_id: values
            .get("record_id")
            .parse::<PublicationId>()
            .unwrap_or_else(|_| PublicationId::new())
            .to_string(),
    })
}

/// `GET /staff/transparency[?body=]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let body = body_of(&state, query.body.as_deref()).await?;
    let notice = match query.done.as_deref() {
        Some("recorded") => Some(String::from("Publication recorded")),
        Some("removed") => Some(String::from("Publication removed from the log")),
        _ => None,
    };
    render(&view(&state, &user, &body, notice, FieldErrors::default(), &FormValues::default()).await?)
}

/// `POST /staff/transparency/publications` (`body`, `duty`, `published_on-day|month|year`,
/// `url`, `note`).
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    let mut reader = FormReader::new(&values);
    let published_on = reader.date("published_on", "Date published", true);
    let mut errors = reader.errors;
    if values.get("duty").is_empty() {
        errors.add("duty", "Choose what was published");
    }
    if let Some(published_on) = published_on.filter(|_| errors.is_empty()) {
        // The identity drawn with the form: sending it twice records one publication.
        let id = values.get("record_id").parse().unwrap_or_else(|_| PublicationId::new());
        let new = NewPublication {
            id,
            duty: values.get("duty").to_string(),
            published_on,
            url: values.get("url").to_string(),
            note: values.get("note").to_string(),
        };
        match state.store.record_publication(&user.actor(), body.id, new, crate::today()).await {
            Ok(p) => return Ok(see_other(&format!("{}&done=recorded#{}", page_path(body.id), p.duty))),
            Err(error) => {
                place_refusal(&mut errors, refusal(error)?, &["duty", "url", "note"], &["published_on"], "duty")
            }
        }
    }
    let page = view(&state, &user, &body, None, errors, &values).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/transparency/publications/remove` (`body`, `id`).
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    let id: PublicationId = values.get("id").parse().map_err(|_| PageError::NotFound)?;
    let removed = state.store.remove_publication(&user.actor(), body.id, id).await?;
    Ok(see_other(&format!("{}&done=removed#{}", page_path(body.id), removed.duty)))
}
