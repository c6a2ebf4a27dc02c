//! `GET /staff/obligations/{id}`: one recurring obligation (an annual report, a precept
//! date, an equality publication, a plan to issue after an election): what is due, by
//! when and under which rule, its owner, and how it was met. `POST` to the same path
//! records the evidence, or, for the revised-precept steps that follow a veto that never
//! came, that it was not required. The store refuses a date in the future and "not
//! required" for an obligation that always applies; the refusal is shown beside the field.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::ObligationId;
use pcplan_domain::agenda::Subject;
use pcplan_domain::clock;
use pcplan_domain::obligation::{Completion, Obligation, Outcome};

use super::compliance::OwnerOption;
use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{Crumb, DoneQuery, can_edit, place_refusal, refusal, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

#[derive(Template)]
#[template(path = "staff/obligation.html")]
pub struct ObligationPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub what: String,
    pub citation: &'static str,
    pub confirmed: bool,
    pub cycle: String,
    pub due: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub evidence: Vec<(&'static str, String)>,
    pub key: String,
    pub back: String,
    pub owner_id: String,
    pub owners: Vec<OwnerOption>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub editable: bool,
}

fn parse_id(raw: &str) -> Result<ObligationId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_id(&id)?;
    let obligation = state.store.obligation(id).await?.ok_or(PageError::NotFound)?;
    let mut values = FormValues::default();
    values.push("by", &user.user.display_name);
    values.push("outcome", "done");
    let notice = match done.done.as_deref() {
        Some("recorded") => Some(String::from("Recorded")),
        Some("owner") => Some(String::from("Owner saved")),
        _ => None,
    };
    render(&build(&state, &user, obligation, &values, FieldErrors::default(), notice).await?)
}

/// `POST /staff/obligations/{id}`: records how the obligation was met.
pub async fn complete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let id = parse_id(&id)?;
    let obligation = state.store.obligation(id).await?.ok_or(PageError::NotFound)?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let outcome = if obligation.kind.may_be_not_required() {
        reader.choice("outcome", "what happened", |v| match v {
            "done" => Some(Outcome::Done),
            "not_required" => Some(Outcome::NotRequired),
            _ => None,
        })
    } else {
        Some(Outcome::Done)
    };
    let on = reader.date("on", "Date", true);
    let by = reader.text("by", "Who", true);
    let note = reader.text("note", "What was done", false);
    let link = reader.text("link", "Link to the published document", false);
    let mut errors = reader.errors;
    if let (Some(outcome), Some(on), true) = (outcome, on, errors.is_empty()) {
        let completion = Completion { outcome, on, by, note, link: Some(link).filter(|l| !l.trim().is_empty()) };
        match state.store.complete_obligation(&user.actor(), id, completion, crate::today()).await {
            Ok(_) => return Ok(see_other(&format!("/staff/obligations/{id}?done=recorded"))),
            Err(error) => place_refusal(&mut errors, refusal(error)?, &["on", "by", "outcome"], &["on"], "on"),
        }
    }
    let page = build(&state, &user, obligation, &values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn build(
    state: &crate::AppState,
    user: &CurrentUser,
    obligation: Obligation,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<ObligationPage, PageError> {
    let today = crate::today();
    let key = Subject::Obligation { obligation: obligation.id }.key();
    let item = state.store.agenda(today).await?.into_iter().find(|i| i.key == key);
    let owner_id = item.as_ref().and_then(|i| i.owner).map(|u| u.to_string()).unwrap_or_default();
    let rule = clock::rule(obligation.kind.as_str());
    let (state_label, tag) = match &obligation.completion {
        Some(c) if c.outcome == Outcome::NotRequired => ("Not required", "govuk-tag--grey"),
        Some(_) if obligation.late() => ("Done late", "govuk-tag--orange"),
        Some(_) => ("Done", "govuk-tag--green"),
        None if obligation.due_on < today => ("Overdue", "govuk-tag--red"),
        None => ("Due", "govuk-tag--yellow"),
    };
    let evidence = obligation
        .completion
        .as_ref()
        .map(|c| {
            vec![
                ("Date", long_date(c.on)),
                ("Who", c.by.clone()),
                ("What was done", c.note.clone()),
                ("Link", c.link.clone().unwrap_or_default()),
            ]
        })
        .unwrap_or_default();
    let mut fields = Vec::new();
    if obligation.kind.may_be_not_required() {
        let options = [
            (String::from("done"), String::from("It was done"), String::new()),
            (
                String::from("not_required"),
                String::from("It was not required this year"),
                String::from("The Panel did not veto the proposed precept"),
            ),
        ];
        fields.push(FieldView::radios("outcome", "What happened?", "", &options, values, &errors));
    }
    fields.extend([
        FieldView::date("on", "Date", "The day it was done or decided, for example 28 9 2014", values, &errors),
        FieldView::text("by", "Who", "The person or post who did it", values, &errors),
        FieldView::textarea("note", "What was done", "Where the record of it is", values, &errors),
        FieldView::text("link", "Link to the published document (optional)", "", values, &errors),
    ]);
    let owners = state
        .store
        .users()
        .await?
        .into_iter()
        .filter(|u| u.active)
        .map(|u| OwnerOption { id: u.id.to_string(), name: u.display_name })
        .collect();
    Ok(ObligationPage {
        layout: user.layout(obligation.what.clone()).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Compliance", "/staff/compliance")],
        what: obligation.what.clone(),
        citation: rule.map_or("", |r| r.citation),
        confirmed: rule.is_some_and(|r| r.confirmed),
        cycle: obligation.cycle_label(),
        due: long_date(obligation.due_on),
        state: state_label,
        tag,
        evidence,
        back: format!("/staff/obligations/{}", obligation.id),
        key,
        owner_id,
        owners,
        notice,
        errors,
        fields,
        action: format!("/staff/obligations/{}", obligation.id),
        editable: can_edit(&user.user),
    })
}
