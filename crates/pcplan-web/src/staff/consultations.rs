//! The staff pages of consultation exercises, under `/staff/consultations`: the list of
//! exercises with the form that creates one, each exercise with its questions, events,
//! counts of responses and the versions of themes found in each free-text question, the
//! forms that change the exercise, add, change and remove questions, record events, and
//! type in a response that arrived by letter, e-mail, an event's notes or a partner,
//! the paged list of responses and one response in full.
//!
//! Viewers read every page; editors and administrators change things, and every POST
//! checks the role before it reads anything else. A refused form comes back with status
//! 422, the GOV.UK error summary, each error beside its field and what was typed kept.
//! The rules are the domain's (`pcplan_domain::consultation`) and every change goes
//! through the store, which audits it. Finding and reviewing themes is `themes.rs`; the
//! public survey and the public pages are not staff pages and live elsewhere.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::consultation::ThemeSetState;
use pcplan_domain::consultation::{
    AnswerValue, Channel, DEFAULT_MAX_CHARS, EventContent, ExerciseContent, ExerciseKind, Question, QuestionContent,
    QuestionKind, Respondent, RespondentType, Submission,
};
use pcplan_domain::{Body, BodyId, EventId, ExerciseId, PlanId, QuestionId, ResponseId};
use pcplan_store::{Dimension, Event, Exercise, NewResponse, StoreError};

use super::forms::{Control, FieldError, FieldErrors, FieldView, FormReader, FormValues, OptionView};
use super::outline::long_date;
use super::{Crumb, DoneQuery, Refusal, can_edit, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// The list of exercises.
pub const LIST: &str = "/staff/consultations";

/// Responses shown on one page of the list.
const PAGE_SIZE: i64 = 50;

/// Characters of an answer shown in a list before it is cut.
const EXCERPT_CHARS: usize = 120;

/// `/staff/consultations/{id}`.
pub fn exercise_path(id: ExerciseId) -> String {
    format!("{LIST}/{id}")
}

/// The routes of this module. `…/questions/new`, `…/events/new` and `…/responses/new`
/// are fixed segments and win over the identities beside them.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list).post(create))
        .route("/staff/consultations/{id}", get(page))
        .route("/staff/consultations/{id}/edit", get(edit_form).post(update))
        .route("/staff/consultations/{id}/public", post(set_public))
        .route("/staff/consultations/{id}/questions", post(add_question))
        .route("/staff/consultations/{id}/questions/new", get(new_question))
        .route("/staff/consultations/{id}/questions/{question}", get(question_form).post(update_question))
        .route(
            "/staff/consultations/{id}/questions/{question}/remove",
            get(confirm_remove_question).post(remove_question),
        )
        .route("/staff/consultations/{id}/events", post(add_event))
        .route("/staff/consultations/{id}/events/new", get(new_event))
        .route("/staff/consultations/{id}/events/{event}", get(event_form).post(update_event))
        .route("/staff/consultations/{id}/responses", get(responses).post(add_response))
        .route("/staff/consultations/{id}/responses/new", get(new_response))
        .route("/staff/responses/{id}", get(response))
}

/// Staff, Consultations, and the exercise when there is one.
pub(super) fn trail(exercise: Option<&Exercise>) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb::new("Staff", "/staff"), Crumb::new("Consultations", LIST)];
    if let Some(e) = exercise {
        crumbs.push(Crumb::new(e.content.title.clone(), exercise_path(e.id)));
    }
    crumbs
}

fn parse_exercise_id(raw: &str) -> Result<ExerciseId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

/// The exercise named in the path, or a 404.
pub(super) async fn load_exercise(state: &AppState, raw: &str) -> Result<Exercise, PageError> {
    state.store.exercise(parse_exercise_id(raw)?).await?.ok_or(PageError::NotFound)
}

/// The exercise a question belongs to, with the question.
pub(super) async fn exercise_of_question(
    state: &AppState,
    question: QuestionId,
) -> Result<(Exercise, Question), PageError> {
    let (exercise, question) = state.store.question(question).await?.ok_or(PageError::NotFound)?;
    let exercise = state.store.exercise(exercise).await?.ok_or(PageError::NotFound)?;
    Ok((exercise, question))
}

/// A respondent type as stored (`resident`), for people; "" is "Not given".
pub(super) fn respondent_label(code: &str) -> String {
    match RespondentType::parse(code) {
        Some(kind) => kind.label().to_string(),
        None if code.is_empty() => String::from("Not given"),
        None => code.to_string(),
    }
}

/// A channel as stored (`online_survey`), for people.
pub(super) fn channel_label(code: &str) -> String {
    match Channel::parse(code) {
        Some(channel) => channel.label().to_string(),
        None if code.is_empty() => String::from("Not given"),
        None => code.to_string(),
    }
}

/// A local authority area by its ONS code, named from the body's areas.
pub(super) fn area_label(body: Option<&Body>, code: &str) -> String {
    if code.is_empty() {
        return String::from("Not given");
    }
    body.and_then(|b| b.area(code)).map(|a| a.name.clone()).unwrap_or_else(|| code.to_string())
}

/// `3 June 2021, 14:05 UTC`.
pub(super) fn date_time(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y, %H:%M UTC").to_string()
}

/// The first characters of a text, with an ellipsis when it was cut.
pub(super) fn excerpt(text: &str) -> String {
    let mut chars = text.chars();
    let head: String = chars.by_ref().take(EXCERPT_CHARS).collect();
    if chars.next().is_some() { format!("{}…", head.trim_end()) } else { head }
}

/// `40%` of `total`, or a dash when there is nothing to share.
pub(super) fn share(count: i64, total: i64) -> String {
    if total <= 0 { String::from("–") } else { format!("{}%", (count as f64 * 100.0 / total as f64).round()) }
}

fn state_tag(state: pcplan_domain::consultation::ExerciseState) -> &'static str {
    use pcplan_domain::consultation::ExerciseState as S;
    match state {
        S::Upcoming => "govuk-tag--blue",
        S::Open => "govuk-tag--green",
        S::Closed => "govuk-tag--grey",
    }
}

/// `Draft` or `Final` and its tag class.
pub(super) fn set_state(state: ThemeSetState) -> (&'static str, &'static str) {
    match state {
        ThemeSetState::Draft => ("Draft", "govuk-tag--yellow"),
        ThemeSetState::Final => ("Final", "govuk-tag--green"),
    }
}

/// `tfidf-nmf` as people read it.
pub(super) fn method_label(method: &str) -> String {
    match method {
        "tfidf-nmf" => String::from("Found by the machine (TF-IDF and NMF)"),
        "copy" => String::from("Copied from an earlier version for review"),
        other => other.to_string(),
    }
}

// ---- small field builders ----

fn options_of(options: Vec<(String, String)>, chosen: &[&str]) -> Vec<OptionView> {
    options
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: chosen.contains(&value.as_str()),
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect()
}

/// A select with `placeholder` first (value "").
pub(super) fn select(
    name: &str,
    label: &str,
    hint: &str,
    placeholder: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut field = FieldView::text(name, label, hint, values, errors);
    field.control = Control::Select;
    let all = std::iter::once((String::new(), placeholder.to_string())).chain(options).collect();
    field.options = options_of(all, &[values.get(name)]);
    field
}

/// A group of checkboxes sharing `name`.
pub(super) fn checkboxes(
    name: &str,
    label: &str,
    hint: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut field = FieldView::text(name, label, hint, values, errors);
    field.control = Control::Checkboxes;
    field.options = options_of(options, &values.all(name));
    field
}

/// One yes/no checkbox whose box says `text`.
fn checkbox(name: &str, text: &str, values: &FormValues, errors: &FieldErrors) -> FieldView {
    let mut field = FieldView::text(name, text, "", values, errors);
    field.control = Control::Checkbox;
    field.options = options_of(vec![(String::from("yes"), text.to_string())], &[values.get(name)]);
    field
}

fn radios(
    name: &str,
    label: &str,
    hint: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let options: Vec<(String, String, String)> = options.into_iter().map(|(v, l)| (v, l, String::new())).collect();
    FieldView::radios(name, label, hint, &options, values, errors)
}

fn narrow(mut field: FieldView, width: &str) -> FieldView {
    field.width_class = width.to_string();
    field.inputmode = String::from("numeric");
    field
}

/// Sorts errors into the order of the form, so the summary reads as the page does.
fn in_order(errors: &mut FieldErrors, order: &[&str]) {
    errors.0.sort_by_key(|e| order.iter().position(|f| *f == e.field).unwrap_or(order.len()));
}

/// A store refusal on a form: a message beside `fallback`, field problems beside their
/// field when the form has it (date fields anchored on the day box).
fn store_errors(error: StoreError, fields: &[&str], dates: &[&str], fallback: &str) -> Result<FieldErrors, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(message) => errors.add(fallback, message),
        Refusal::Problems(problems) => {
            for p in problems {
                let field = if fields.contains(&p.path.as_str()) { p.path.as_str() } else { fallback };
                let anchor = if dates.contains(&field) { format!("{field}-day") } else { field.to_string() };
                errors.add_at(field, &anchor, sentence(&p.problem));
            }
        }
    }
    Ok(errors)
}

// ---- the generic pages: a form, a confirmation ----

/// A page with one form: the exercise's details, a question, an event, a response.
#[derive(Template)]
#[template(path = "staff/consultation_form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub heading: String,
    pub intro: Vec<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub hidden: Vec<(String, String)>,
    pub action: String,
    pub cancel: String,
    pub submit: &'static str,
}

/// The question before something is removed or made final.
#[derive(Template)]
#[template(path = "staff/consultation_confirm.html")]
pub struct ConfirmPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub error: Option<String>,
    pub action: String,
    pub cancel: String,
    pub button: String,
    /// A red button: the change cannot be undone.
    pub warning: bool,
    pub editable: bool,
}

// ---- the list of exercises and the form that creates one ----

/// One exercise in the list.
pub struct ExerciseRow {
    pub title: String,
    pub href: String,
    pub kind: &'static str,
    pub dates: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub responses: i64,
}

#[derive(Template)]
#[template(path = "staff/consultations.html")]
pub struct ListPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub rows: Vec<ExerciseRow>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub editable: bool,
}

const EXERCISE_ORDER: &[&str] =
    &["body", "title", "kind", "slug", "summary", "opens", "closes", "channels", "privacy_notice", "plan", "note"];

/// The form values that show an exercise's content.
fn exercise_values(c: &ExerciseContent) -> FormValues {
    let mut v = FormValues::default();
    v.push("title", &c.title);
    v.push("kind", c.kind.as_str());
    v.push("slug", &c.slug);
    v.push("summary", &c.summary);
    v.push_date("opens", Some(c.opens));
    v.push_date("closes", Some(c.closes));
    for channel in &c.channels {
        v.push("channels", channel.as_str());
    }
    v.push("privacy_notice", &c.privacy_notice);
    v.push("plan", c.plan.map(|p| p.to_string()).unwrap_or_default());
    v.push("note", &c.note);
    v
}

/// Reads the exercise form; `plans` are the plans the exercise may inform.
fn read_exercise(values: &FormValues, plans: &[(PlanId, String)]) -> Result<ExerciseContent, FieldErrors> {
    let mut r = FormReader::new(values);
    let kind = r.choice("kind", "kind of exercise", ExerciseKind::parse);
    let opens = r.date("opens", "Opening date", true);
    let closes = r.date("closes", "Closing date", true);
    let channels = r.checkboxes("channels", "channels", Channel::parse);
    let mut errors = r.errors;
    let plan = match values.get("plan").trim() {
        "" => None,
        raw => match raw.parse::<PlanId>().ok().filter(|id| plans.iter().any(|(p, _)| p == id)) {
            Some(id) => Some(id),
            None => {
                errors.add("plan", "Select the plan from the list");
                None
            }
        },
    };
    let text = |name: &str| values.get(name).trim().to_string();
    // A date that could not be read is already an error; the domain's check still runs
    // on the other fields, with today standing in so it says nothing about the dates.
    let today = crate::today();
    let dates_read = opens.is_some() && closes.is_some();
    let content = ExerciseContent {
        title: text("title"),
        kind: kind.unwrap_or(ExerciseKind::CallForEvidence),
        slug: text("slug"),
        summary: text("summary"),
        opens: opens.unwrap_or(today),
        closes: closes.unwrap_or(today),
        channels,
        privacy_notice: text("privacy_notice"),
        plan,
        note: text("note"),
    };
    if let Err(problems) = content.check() {
        for p in problems.0 {
            if p.field == "closes" && !dates_read {
                continue;
            }
            let anchor = if p.field == "closes" { String::from("closes-day") } else { p.field.clone() };
            errors.add_at(&p.field, &anchor, sentence(&p.problem));
        }
    }
    in_order(&mut errors, EXERCISE_ORDER);
    if errors.is_empty() && kind.is_some() { Ok(content) } else { Err(errors) }
}

/// The plans of a body, as (id, title).
async fn body_plans(state: &AppState, body: Option<BodyId>) -> Result<Vec<(PlanId, String)>, PageError> {
    Ok(state
        .store
        .plans()
        .await?
        .into_iter()
        .filter(|p| body.is_none_or(|b| p.body_id == b))
        .map(|p| (p.id, p.title))
        .collect())
}

fn exercise_fields(
    bodies: &[Body],
    choose_body: bool,
    plans: &[(PlanId, String)],
    values: &FormValues,
    errors: &FieldErrors,
) -> Vec<FieldView> {
    let mut fields = Vec::new();
    if choose_body {
        let options = bodies.iter().map(|b| (b.id.to_string(), b.name.clone())).collect();
        fields.push(radios("body", "Which body runs the exercise?", "", options, values, errors));
    }
    fields.push(FieldView::text(
        "title",
        "Title",
        "For example, Police and Crime Plan call for evidence",
        values,
        errors,
    ));
    let kinds = ExerciseKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect();
    fields.push(radios("kind", "Kind of exercise", "", kinds, values, errors));
    fields.push(FieldView::text(
        "slug",
        "Web address",
        "The end of the public address /consultations/…: lowercase letters, digits and single hyphens, like \
         call-for-evidence-2021. It cannot change once responses have arrived",
        values,
        errors,
    ));
    fields.push(FieldView::textarea(
        "summary",
        "Summary",
        "What the exercise asks and why; shown on its public page",
        values,
        errors,
    ));
    fields.push(FieldView::date(
        "opens",
        "Opening date",
        "The first day responses are accepted, like 13 5 2021",
        values,
        errors,
    ));
    fields.push(FieldView::date(
        "closes",
        "Closing date",
        "The last day responses are accepted; the whole day counts",
        values,
        errors,
    ));
    let channels = Channel::ALL.iter().map(|c| (c.as_str().to_string(), c.label().to_string())).collect();
    fields.push(checkboxes(
        "channels",
        "Channels responses arrive through",
        "Select all that apply",
        channels,
        values,
        errors,
    ));
    fields.push(FieldView::textarea(
        "privacy_notice",
        "Privacy notice",
        "Who holds the answers, why, for how long, and respondents' rights; an online survey shows it before anyone \
         answers",
        values,
        errors,
    ));
    let plans = plans.iter().map(|(id, title)| (id.to_string(), title.clone())).collect();
    fields.push(select("plan", "Plan the exercise informs (optional)", "", "None", plans, values, errors));
    fields.push(FieldView::textarea(
        "note",
        "Note shown with the exercise (optional)",
        "For example, that the content is illustrative",
        values,
        errors,
    ));
    fields
}

/// `GET /staff/consultations`.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let mut values = FormValues::default();
    values.push_date("opens", None);
    values.push_date("closes", None);
    render(&list_page(&state, &user, &values, FieldErrors::default()).await?)
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let today = crate::today();
    let mut rows = Vec::new();
    for e in state.store.exercises(None).await? {
        let (responses, _) = state.store.responses(e.id, 0, 0).await?;
        let s = e.content.state(today);
        rows.push(ExerciseRow {
            title: e.content.title.clone(),
            href: exercise_path(e.id),
            kind: e.content.kind.label(),
            dates: format!("{} to {}", long_date(e.content.opens), long_date(e.content.closes)),
            state: s.label(),
            tag: state_tag(s),
            responses,
        });
    }
    let bodies = state.store.bodies().await?;
    let body = match bodies.as_slice() {
        [one] => Some(one.id),
        _ => values.get("body").parse().ok(),
    };
    let plans = body_plans(state, body).await?;
    Ok(ListPage {
        layout: user.layout("Consultations").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        rows,
        fields: exercise_fields(&bodies, bodies.len() > 1, &plans, values, &errors),
        errors,
        editable: can_edit(&user.user),
    })
}

/// `POST /staff/consultations`: creates an exercise.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let bodies = state.store.bodies().await?;
    let body = match bodies.as_slice() {
        [one] => Some(one.id),
        _ => values.get("body").parse().ok().filter(|id| bodies.iter().any(|b| b.id == *id)),
    };
    let plans = body_plans(&state, body).await?;
    let mut errors = match (read_exercise(&values, &plans), body) {
        (Ok(content), Some(body)) => {
            match state.store.create_exercise(&user.actor(), ExerciseId::new(), body, &content).await {
                Ok(e) => return Ok(see_other(&format!("{}?done=created", exercise_path(e.id)))),
                Err(error) => store_errors(error, EXERCISE_ORDER, &["opens", "closes"], "title")?,
            }
        }
        (Ok(_), None) => FieldErrors::default(),
        (Err(errors), _) => errors,
    };
    if body.is_none() {
        let message = String::from("Select the body that runs the exercise");
        errors.0.insert(0, FieldError { field: String::from("body"), anchor: String::from("body"), message });
    }
    let page = list_page(&state, &user, &values, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---- one exercise ----

/// One version of a question's themes, in the question's list.
pub struct SetRow {
    pub version: i64,
    pub state: &'static str,
    pub tag: &'static str,
    pub method: String,
    pub made: String,
    pub themes: usize,
    pub href: String,
}

/// One question on the exercise page.
pub struct QuestionRow {
    pub number: u32,
    pub text: String,
    pub hint: String,
    pub kind: &'static str,
    pub options: Vec<String>,
    pub required: bool,
    pub change_href: String,
    pub remove_href: String,
    /// Free text: themes can be found in its answers.
    pub open: bool,
    pub sets: Vec<SetRow>,
    pub analyse_action: String,
    /// The id of the "number of themes" box: `themes-{number}`.
    pub themes_id: String,
    pub themes_value: String,
    pub themes_error: Option<String>,
    /// Why the last analysis found no themes.
    pub message: Vec<String>,
}

/// One event on the exercise page.
pub struct EventRow {
    pub title: String,
    pub date: String,
    pub place: String,
    pub chair: String,
    pub organisers: String,
    pub attendees: u32,
    pub groups: String,
    pub href: String,
}

/// Counts of responses by one dimension.
pub struct CountTable {
    pub caption: &'static str,
    pub heading: &'static str,
    /// (label, count, share of all responses).
    pub rows: Vec<(String, i64, String)>,
}

#[derive(Template)]
#[template(path = "staff/consultation.html")]
pub struct ExercisePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub warning: Option<String>,
    pub title: String,
    pub facts: Vec<(&'static str, String)>,
    pub summary: String,
    pub privacy_notice: String,
    pub note: String,
    pub base: String,
    pub public_href: String,
    pub questions: Vec<QuestionRow>,
    pub events: Vec<EventRow>,
    pub counts: Vec<CountTable>,
    pub total: i64,
    pub editable: bool,
    /// Whether the public can see the exercise, and the form that changes it (approvers
    /// and administrators only).
    pub public: bool,
    pub public_action: String,
    pub approvable: bool,
}

/// What the exercise page says under one question after an analysis was asked for: the
/// number of themes typed, a refusal of it, or why no themes were found.
pub(super) struct QuestionNote {
    pub question: QuestionId,
    pub themes_value: String,
    pub error: Option<String>,
    pub message: Vec<String>,
}

/// Builds the exercise page.
pub(super) async fn exercise_page(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    notice: Option<String>,
    note: Option<QuestionNote>,
) -> Result<ExercisePage, PageError> {
    let c = &exercise.content;
    let body = state.store.body(exercise.body_id).await?;
    let settings = state.store.clock_settings(exercise.body_id).await?;
    let today = crate::today();
    let base = exercise_path(exercise.id);
    let public_action = format!("{base}/public");
    let mut facts = vec![
        ("Kind", c.kind.label().to_string()),
        ("Opens", long_date(c.opens)),
        ("Closes", long_date(c.closes)),
        ("State today", c.state(today).label().to_string()),
        ("Channels", c.channels.iter().map(|ch| ch.label()).collect::<Vec<_>>().join(", ")),
        ("Web address", format!("/consultations/{}", c.slug)),
    ];
    if let Some(b) = &body {
        facts.insert(0, ("Body", b.name.clone()));
    }
    if let Some(plan) = c.plan {
        let title = state.store.plan(plan).await?.map(|p| p.title).unwrap_or_else(|| plan.to_string());
        facts.push(("Plan it informs", title));
    }
    facts.push((
        "On the public site",
        match exercise.public_at {
            Some(at) => format!("Yes, since {}", date_time(at)),
            None => String::from("No: a draft only staff can see"),
        },
    ));
    if let Some(at) = exercise.published_at {
        facts.push(("\u{201c}You said, we did\u{201d} published", date_time(at)));
    }

    let mut errors = FieldErrors::default();
    let mut questions = Vec::new();
    for q in state.store.questions(exercise.id).await? {
        let qc = &q.content;
        let open = qc.kind == QuestionKind::Open;
        let mut sets = Vec::new();
        if open {
            for set in state.store.theme_sets(q.id).await? {
                let themes = state.store.theme_set(set.id).await?.map(|(_, t)| t.len()).unwrap_or(0);
                let (label, tag) = set_state(set.state);
                sets.push(SetRow {
                    version: set.version,
                    state: label,
                    tag,
                    method: method_label(&set.info.method),
                    made: format!("{}, {}", set.created_by, date_time(set.created_at)),
                    themes,
                    href: super::themes::set_path(set.id),
                });
            }
        }
        let themes_id = format!("themes-{}", qc.number);
        let mine = note.as_ref().filter(|n| n.question == q.id);
        if let Some(error) = mine.and_then(|n| n.error.clone()) {
            errors.add(&themes_id, error);
        }
        questions.push(QuestionRow {
            number: qc.number,
            text: qc.text.clone(),
            hint: qc.hint.clone(),
            kind: qc.kind.label(),
            options: qc.options.clone(),
            required: qc.required,
            change_href: format!("{base}/questions/{}", q.id),
            remove_href: format!("{base}/questions/{}/remove", q.id),
            open,
            sets,
            analyse_action: format!("{base}/questions/{}/analyse", q.id),
            themes_error: mine.and_then(|n| n.error.clone()),
            themes_value: mine.map(|n| n.themes_value.clone()).unwrap_or_default(),
            message: mine.map(|n| n.message.clone()).unwrap_or_default(),
            themes_id,
        });
    }

    let events = state
        .store
        .events(exercise.id)
        .await?
        .into_iter()
        .map(|e| EventRow {
            href: format!("{base}/events/{}", e.id),
            title: e.content.title,
            date: long_date(e.content.held_on),
            place: e.content.place,
            chair: e.content.chair,
            organisers: e.content.organisers,
            attendees: e.content.attendees,
            groups: e.content.attendee_groups,
        })
        .collect();

    let (total, _) = state.store.responses(exercise.id, 0, 0).await?;
    let mut counts = Vec::new();
    for (dimension, caption, heading) in [
        (Dimension::Channel, "Responses by channel", "Channel"),
        (Dimension::RespondentType, "Responses by respondent type", "Respondent type"),
        (Dimension::Area, "Responses by local authority area", "Area"),
    ] {
        let rows = state
            .store
            .response_counts(exercise.id, dimension)
            .await?
            .into_iter()
            .map(|(code, n)| {
                let label = match dimension {
                    Dimension::Channel => channel_label(&code),
                    Dimension::RespondentType => respondent_label(&code),
                    Dimension::Area => area_label(body.as_ref(), &code),
                };
                (label, n, share(n, total))
            })
            .collect();
        counts.push(CountTable { caption, heading, rows });
    }

    Ok(ExercisePage {
        layout: user.layout(c.title.clone()).with_errors(!errors.is_empty()),
        crumbs: trail(None),
        notice,
        errors,
        warning: c.shorter_than(settings.survey_min_weeks).map(|w| format!("This exercise is {w}.")),
        title: c.title.clone(),
        facts,
        summary: c.summary.clone(),
        privacy_notice: c.privacy_notice.clone(),
        note: c.note.clone(),
        public_href: format!("/consultations/{}", c.slug),
        base,
        questions,
        events,
        counts,
        total,
        editable: can_edit(&user.user),
        public: exercise.public_at.is_some(),
        public_action,
        approvable: super::can_approve(&user.user),
    })
}

/// `GET /staff/consultations/{id}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("created") => Some("Exercise created"),
        Some("saved") => Some("Exercise saved"),
        Some("question-added") => Some("Question added"),
        Some("question-saved") => Some("Question saved"),
        Some("question-removed") => Some("Question removed"),
        Some("event-added") => Some("Event added"),
        Some("event-saved") => Some("Event saved"),
        Some("discarded") => Some("Draft version of the themes discarded"),
        Some("public") => Some("The exercise is on the public site"),
        Some("draft") => Some("The exercise is off the public site: only staff can see it"),
        _ => None,
    };
    render(&exercise_page(&state, &user, &exercise, notice.map(String::from), None).await?)
}

/// `GET /staff/consultations/{id}/edit`.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let values = exercise_values(&exercise.content);
    edit_page(&state, &user, &exercise, &values, FieldErrors::default(), StatusCode::OK).await
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    values: &FormValues,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let plans = body_plans(state, Some(exercise.body_id)).await?;
    let base = exercise_path(exercise.id);
    let page = FormPage {
        layout: user.layout(format!("Change {}", exercise.content.title)).with_errors(!errors.is_empty()),
        crumbs: trail(Some(exercise)),
        caption: exercise.content.title.clone(),
        heading: String::from("Change the exercise"),
        intro: Vec::new(),
        fields: exercise_fields(&[], false, &plans, values, &errors),
        errors,
        hidden: Vec::new(),
        action: format!("{base}/edit"),
        cancel: base,
        submit: "Save the exercise",
    };
    render_with_status(status, &page)
}

/// `POST /staff/consultations/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let values = FormValues::new(pairs);
    let plans = body_plans(&state, Some(exercise.body_id)).await?;
    let errors = match read_exercise(&values, &plans) {
        Ok(content) => match state.store.update_exercise(&user.actor(), exercise.id, &content).await {
            Ok(_) => return Ok(see_other(&format!("{}?done=saved", exercise_path(exercise.id)))),
            Err(error) => store_errors(error, EXERCISE_ORDER, &["opens", "closes"], "title")?,
        },
        Err(errors) => errors,
    };
    edit_page(&state, &user, &exercise, &values, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

/// `POST /staff/consultations/{id}/public` (`public` = `yes` or `no`): makes the
/// exercise public or takes it back to a draft. A refusal (taking back an exercise whose
/// "you said, we did" is published) shows on the exercise page.
pub async fn set_public(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let public = match FormValues::new(pairs).get("public") {
        "yes" => true,
        "no" => false,
        _ => {
            let message = String::from("Choose whether the exercise is on the public site");
            return refused_public(&state, &user, &exercise, StatusCode::UNPROCESSABLE_ENTITY, message).await;
        }
    };
    match state.store.set_exercise_public(&user.actor(), exercise.id, public).await {
        Ok(_) => {
            let done = if public { "public" } else { "draft" };
            Ok(see_other(&format!("{}?done={done}", exercise_path(exercise.id))))
        }
        Err(error) => {
            let message = match refusal(error)? {
                Refusal::Message(m) => m,
                Refusal::Problems(p) => p.into_iter().map(|p| p.problem).collect::<Vec<_>>().join("; "),
            };
            refused_public(&state, &user, &exercise, StatusCode::CONFLICT, message).await
        }
    }
}

/// The exercise page with `message` against its public-site button.
async fn refused_public(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    status: StatusCode,
    message: String,
) -> Result<Response, PageError> {
    let mut page = exercise_page(state, user, exercise, None, None).await?;
    page.errors.add("public", message);
    page.layout = page.layout.with_errors(true);
    render_with_status(status, &page)
}

// ---- questions ----

const QUESTION_ORDER: &[&str] = &["number", "text", "hint", "kind", "options", "required", "max_chars"];

fn question_values(c: &QuestionContent) -> FormValues {
    let mut v = FormValues::default();
    v.push("number", c.number.to_string());
    v.push("text", &c.text);
    v.push("hint", &c.hint);
    v.push("kind", c.kind.as_str());
    v.push("options", c.options.join("\n"));
    if c.required {
        v.push("required", "yes");
    }
    v.push("max_chars", c.max_chars.to_string());
    v
}

/// A whole number from a box; `None` and an error when it is not one.
fn whole_number(errors: &mut FieldErrors, values: &FormValues, name: &str, label: &str, example: &str) -> Option<u32> {
    let raw = values.get(name).trim().replace(',', "");
    if raw.is_empty() {
        return None;
    }
    match raw.parse::<u32>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.add(name, format!("{label} must be a whole number, like {example}"));
            None
        }
    }
}

fn read_question(values: &FormValues) -> Result<QuestionContent, FieldErrors> {
    let mut r = FormReader::new(values);
    let kind = r.choice("kind", "kind of question", QuestionKind::parse);
    let required = r.checkbox("required");
    let mut errors = r.errors;
    let number = whole_number(&mut errors, values, "number", "Question number", "3");
    if values.get("number").trim().is_empty() {
        errors.add("number", "Enter the question number");
    }
    let max_chars = whole_number(&mut errors, values, "max_chars", "Answer limit", "5000");
    let kind_known = kind.unwrap_or(QuestionKind::Open);
    let content = QuestionContent {
        number: number.unwrap_or(1),
        text: values.get("text").trim().to_string(),
        hint: values.get("hint").trim().to_string(),
        kind: kind_known,
        options: values.get("options").lines().map(str::trim).filter(|l| !l.is_empty()).map(String::from).collect(),
        required,
        // A choice question has no answer limit of its own; the default keeps its
        // stored value meaningful if it ever becomes free text.
        max_chars: if kind_known == QuestionKind::Open {
            max_chars.unwrap_or(DEFAULT_MAX_CHARS)
        } else {
            DEFAULT_MAX_CHARS
        },
    };
    if let Err(problems) = content.check() {
        for p in problems.0 {
            // Checked above with better words when the box was empty or not a number.
            if p.field == "number" && number.is_none() {
                continue;
            }
            errors.add(&p.field, sentence(&p.problem));
        }
    }
    in_order(&mut errors, QUESTION_ORDER);
    if errors.is_empty() && kind.is_some() { Ok(content) } else { Err(errors) }
}

fn question_fields(values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    let kinds = QuestionKind::ALL.iter().map(|k| (k.as_str().to_string(), k.label().to_string())).collect();
    vec![
        narrow(
            FieldView::text("number", "Question number", "Its place in the survey, from 1", values, errors),
            "govuk-input--width-3",
        ),
        FieldView::textarea("text", "Question", "", values, errors),
        FieldView::text("hint", "Hint (optional)", "Shown under the question", values, errors),
        radios("kind", "Kind of answer", "", kinds, values, errors),
        FieldView::textarea(
            "options",
            "Options",
            "For a choice question, one option per line, in the order shown. Leave empty for free text",
            values,
            errors,
        ),
        checkbox("required", "Respondents must answer this question", values, errors),
        narrow(
            FieldView::text(
                "max_chars",
                "Answer limit",
                "For free text: the longest answer accepted, in characters (5000 unless changed; at most 20000)",
                values,
                errors,
            ),
            "govuk-input--width-5",
        ),
    ]
}

fn question_page(
    user: &CurrentUser,
    exercise: &Exercise,
    heading: &str,
    action: String,
    values: &FormValues,
    errors: FieldErrors,
) -> FormPage {
    FormPage {
        layout: user.layout(format!("{heading}: {}", exercise.content.title)).with_errors(!errors.is_empty()),
        crumbs: trail(Some(exercise)),
        caption: exercise.content.title.clone(),
        heading: heading.to_string(),
        intro: vec![String::from(
            "Once a question has answers its kind cannot change and no option can be removed or renamed.",
        )],
        fields: question_fields(values, &errors),
        errors,
        hidden: Vec::new(),
        action,
        cancel: exercise_path(exercise.id),
        submit: "Save the question",
    }
}

/// `GET /staff/consultations/{id}/questions/new`.
pub async fn new_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let next = state.store.questions(exercise.id).await?.iter().map(|q| q.content.number).max().unwrap_or(0) + 1;
    let mut values = FormValues::default();
    values.push("number", next.to_string());
    values.push("kind", QuestionKind::Open.as_str());
    values.push("max_chars", DEFAULT_MAX_CHARS.to_string());
    let action = format!("{}/questions", exercise_path(exercise.id));
    render(&question_page(&user, &exercise, "Add a question", action, &values, FieldErrors::default()))
}

/// `POST /staff/consultations/{id}/questions`.
pub async fn add_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_question(&values) {
        Ok(content) => match state.store.add_question(&user.actor(), exercise.id, QuestionId::new(), &content).await {
            Ok(()) => return Ok(see_other(&format!("{}?done=question-added", exercise_path(exercise.id)))),
            Err(error) => store_errors(error, QUESTION_ORDER, &[], "text")?,
        },
        Err(errors) => errors,
    };
    let action = format!("{}/questions", exercise_path(exercise.id));
    let page = question_page(&user, &exercise, "Add a question", action, &values, errors);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn load_question(state: &AppState, exercise: &Exercise, raw: &str) -> Result<Question, PageError> {
    let id: QuestionId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.questions(exercise.id).await?.into_iter().find(|q| q.id == id).ok_or(PageError::NotFound)
}

/// `GET /staff/consultations/{id}/questions/{question}`.
pub async fn question_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let q = load_question(&state, &exercise, &question).await?;
    let action = format!("{}/questions/{}", exercise_path(exercise.id), q.id);
    let heading = format!("Change question {}", q.content.number);
    render(&question_page(&user, &exercise, &heading, action, &question_values(&q.content), FieldErrors::default()))
}

/// `POST /staff/consultations/{id}/questions/{question}`.
pub async fn update_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, question)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let q = load_question(&state, &exercise, &question).await?;
    let values = FormValues::new(pairs);
    let errors = match read_question(&values) {
        Ok(content) => match state.store.update_question(&user.actor(), q.id, &content).await {
            Ok(()) => return Ok(see_other(&format!("{}?done=question-saved", exercise_path(exercise.id)))),
            Err(error) => store_errors(error, QUESTION_ORDER, &[], "text")?,
        },
        Err(errors) => errors,
    };
    let action = format!("{}/questions/{}", exercise_path(exercise.id), q.id);
    let heading = format!("Change question {}", q.content.number);
    let page = question_page(&user, &exercise, &heading, action, &values, errors);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

fn remove_page(user: &CurrentUser, exercise: &Exercise, q: &Question, error: Option<String>) -> ConfirmPage {
    let base = exercise_path(exercise.id);
    ConfirmPage {
        layout: user.layout(format!("Remove question {}", q.content.number)).with_errors(error.is_some()),
        crumbs: trail(Some(exercise)),
        caption: exercise.content.title.clone(),
        heading: format!("Remove question {}?", q.content.number),
        paragraphs: vec![
            format!("\u{201c}{}\u{201d}", q.content.text),
            String::from("A question can be removed only while it has no answers. The audit log keeps what it said."),
        ],
        error,
        action: format!("{base}/questions/{}/remove", q.id),
        cancel: base,
        button: String::from("Remove the question"),
        warning: true,
        editable: can_edit(&user.user),
    }
}

/// `GET /staff/consultations/{id}/questions/{question}/remove`: the confirmation.
pub async fn confirm_remove_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let q = load_question(&state, &exercise, &question).await?;
    render(&remove_page(&user, &exercise, &q, None))
}

/// `POST /staff/consultations/{id}/questions/{question}/remove`.
pub async fn remove_question(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, question)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let q = load_question(&state, &exercise, &question).await?;
    match state.store.delete_question(&user.actor(), q.id).await {
        Ok(()) => Ok(see_other(&format!("{}?done=question-removed", exercise_path(exercise.id)))),
        Err(error) => {
            let message = match refusal(error)? {
                Refusal::Message(m) => m,
                Refusal::Problems(p) => p.into_iter().map(|p| sentence(&p.problem)).collect::<Vec<_>>().join("; "),
            };
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &remove_page(&user, &exercise, &q, Some(message)))
        }
    }
}

// ---- events ----

const EVENT_ORDER: &[&str] =
    &["title", "held_on", "place", "organisers", "chair", "attendees", "attendee_groups", "notes"];

fn event_values(c: &EventContent) -> FormValues {
    let mut v = FormValues::default();
    v.push("title", &c.title);
    v.push_date("held_on", Some(c.held_on));
    v.push("place", &c.place);
    v.push("organisers", &c.organisers);
    v.push("chair", &c.chair);
    v.push("attendees", c.attendees.to_string());
    v.push("attendee_groups", &c.attendee_groups);
    v.push("notes", &c.notes);
    v
}

fn read_event(values: &FormValues, exercise: &ExerciseContent) -> Result<EventContent, FieldErrors> {
    let mut r = FormReader::new(values);
    let held_on = r.date("held_on", "Date held", true);
    let mut errors = r.errors;
    let attendees = whole_number(&mut errors, values, "attendees", "Number attending", "24");
    let text = |name: &str| values.get(name).trim().to_string();
    let content = EventContent {
        title: text("title"),
        held_on: held_on.unwrap_or(exercise.opens),
        place: text("place"),
        organisers: text("organisers"),
        chair: text("chair"),
        attendees: attendees.unwrap_or(0),
        attendee_groups: text("attendee_groups"),
        notes: text("notes"),
    };
    if let Err(problems) = content.check(exercise) {
        for p in problems.0 {
            if p.field == "held_on" && held_on.is_none() {
                continue;
            }
            let anchor = if p.field == "held_on" { String::from("held_on-day") } else { p.field.clone() };
            errors.add_at(&p.field, &anchor, sentence(&p.problem));
        }
    }
    in_order(&mut errors, EVENT_ORDER);
    if errors.is_empty() { Ok(content) } else { Err(errors) }
}

fn event_fields(values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    vec![
        FieldView::text("title", "Title", "For example, Roundtable on serious violence", values, errors),
        FieldView::date("held_on", "Date held", "While the exercise runs, like 14 7 2021", values, errors),
        FieldView::text("place", "Place (optional)", "", values, errors),
        FieldView::text(
            "organisers",
            "Organised by (optional)",
            "The OPCC, a partner or a youth network",
            values,
            errors,
        ),
        FieldView::text("chair", "Chaired by (optional)", "", values, errors),
        narrow(FieldView::text("attendees", "Number attending (optional)", "", values, errors), "govuk-input--width-4"),
        FieldView::textarea(
            "attendee_groups",
            "Who attended (optional)",
            "Organisations or roles, as the notes record them; not private individuals' names",
            values,
            errors,
        ),
        FieldView::textarea("notes", "Notes of what was said (optional)", "", values, errors),
    ]
}

fn event_page(
    user: &CurrentUser,
    exercise: &Exercise,
    heading: &str,
    action: String,
    values: &FormValues,
    errors: FieldErrors,
) -> FormPage {
    FormPage {
        layout: user.layout(format!("{heading}: {}", exercise.content.title)).with_errors(!errors.is_empty()),
        crumbs: trail(Some(exercise)),
        caption: exercise.content.title.clone(),
        heading: heading.to_string(),
        intro: vec![String::from(
            "To count what was said at the event with the other responses, add its notes as a response with the \
             channel \u{201c}Roundtable or event\u{201d}.",
        )],
        fields: event_fields(values, &errors),
        errors,
        hidden: Vec::new(),
        action,
        cancel: exercise_path(exercise.id),
        submit: "Save the event",
    }
}

/// `GET /staff/consultations/{id}/events/new`.
pub async fn new_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let mut values = FormValues::default();
    values.push_date("held_on", None);
    let action = format!("{}/events", exercise_path(exercise.id));
    render(&event_page(&user, &exercise, "Add an event", action, &values, FieldErrors::default()))
}

async fn save_event(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    event: EventId,
    values: &FormValues,
) -> Result<Option<FieldErrors>, PageError> {
    Ok(Some(match read_event(values, &exercise.content) {
        Ok(content) => match state.store.save_event(&user.actor(), exercise.id, event, &content).await {
            Ok(()) => return Ok(None),
            Err(error) => store_errors(error, EVENT_ORDER, &["held_on"], "title")?,
        },
        Err(errors) => errors,
    }))
}

/// `POST /staff/consultations/{id}/events`.
pub async fn add_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let values = FormValues::new(pairs);
    match save_event(&state, &user, &exercise, EventId::new(), &values).await? {
        None => Ok(see_other(&format!("{}?done=event-added", exercise_path(exercise.id)))),
        Some(errors) => {
            let action = format!("{}/events", exercise_path(exercise.id));
            let page = event_page(&user, &exercise, "Add an event", action, &values, errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

async fn load_event(state: &AppState, exercise: &Exercise, raw: &str) -> Result<Event, PageError> {
    let id: EventId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.events(exercise.id).await?.into_iter().find(|e| e.id == id).ok_or(PageError::NotFound)
}

/// `GET /staff/consultations/{id}/events/{event}`.
pub async fn event_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, event)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let e = load_event(&state, &exercise, &event).await?;
    let action = format!("{}/events/{}", exercise_path(exercise.id), e.id);
    render(&event_page(&user, &exercise, "Change the event", action, &event_values(&e.content), FieldErrors::default()))
}

/// `POST /staff/consultations/{id}/events/{event}`.
pub async fn update_event(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, event)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let e = load_event(&state, &exercise, &event).await?;
    let values = FormValues::new(pairs);
    match save_event(&state, &user, &exercise, e.id, &values).await? {
        None => Ok(see_other(&format!("{}?done=event-saved", exercise_path(exercise.id)))),
        Some(errors) => {
            let action = format!("{}/events/{}", exercise_path(exercise.id), e.id);
            let page = event_page(&user, &exercise, "Change the event", action, &values, errors);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ---- responses typed in by staff ----

/// The channels a response typed in by staff may come through: the online survey and
/// imports have their own ways in.
const TYPED_CHANNELS: [Channel; 5] =
    [Channel::WrittenSubmission, Channel::Event, Channel::Youth, Channel::PartnerNetwork, Channel::ChiefConstable];

fn response_order(questions: &[Question]) -> Vec<String> {
    let mut order: Vec<String> = ["channel", "event", "received"].map(String::from).to_vec();
    order.extend(questions.iter().map(|q| pcplan_domain::consultation::question_field(q.content.number)));
    order.extend(["respondent_type", "area", "organisation", "publish_consent", "consent"].map(String::from));
    order
}

fn response_fields(
    questions: &[Question],
    events: &[Event],
    body: Option<&Body>,
    values: &FormValues,
    errors: &FieldErrors,
) -> Vec<FieldView> {
    let mut fields = Vec::new();
    let channels = TYPED_CHANNELS.iter().map(|c| (c.as_str().to_string(), c.label().to_string())).collect();
    fields.push(radios("channel", "How did the response arrive?", "", channels, values, errors));
    let events = events
        .iter()
        .map(|e| (e.id.to_string(), format!("{} ({})", e.content.title, long_date(e.content.held_on))))
        .collect();
    fields.push(select(
        "event",
        "Event (for notes of an event)",
        "Needed when the response is the notes of a roundtable or event",
        "None",
        events,
        values,
        errors,
    ));
    fields.push(FieldView::date("received", "Date received", "For example, 21 6 2021", values, errors));
    for q in questions {
        let name = pcplan_domain::consultation::question_field(q.content.number);
        let label = format!("{}. {}", q.content.number, q.content.text);
        let options: Vec<(String, String)> = q.content.options.iter().map(|o| (o.clone(), o.clone())).collect();
        fields.push(match q.content.kind {
            QuestionKind::Open => FieldView::textarea(&name, &label, &q.content.hint, values, errors),
            QuestionKind::Single => radios(&name, &label, &q.content.hint, options, values, errors),
            QuestionKind::Multiple => checkboxes(&name, &label, &q.content.hint, options, values, errors),
        });
    }
    let types = RespondentType::ALL.iter().map(|t| (t.as_str().to_string(), t.label().to_string())).collect();
    fields.push(select("respondent_type", "Respondent type (optional)", "", "Not given", types, values, errors));
    let areas = body.map(|b| b.areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect()).unwrap_or_default();
    fields.push(select("area", "Local authority area (optional)", "", "Not given", areas, values, errors));
    fields.push(FieldView::text(
        "organisation",
        "Organisation (optional)",
        "When the response is on behalf of an organisation",
        values,
        errors,
    ));
    let publish = vec![
        (String::from("yes"), String::from("Yes, anonymised quotes may be published")),
        (String::from("no"), String::from("No")),
        (String::from("not_asked"), String::from("The respondent was not asked")),
    ];
    fields.push(radios("publish_consent", "May quotes from it be published?", "", publish, values, errors));
    fields.push(checkbox("consent", "The respondent agreed to the privacy notice", values, errors));
    fields
}

/// Reads the typed-in response form into what the store takes.
fn read_response(
    values: &FormValues,
    questions: &[Question],
    events: &[Event],
    today: NaiveDate,
) -> Result<NewResponse, FieldErrors> {
    let mut r = FormReader::new(values);
    let channel =
        r.choice("channel", "way the response arrived", |v| Channel::parse(v).filter(|c| TYPED_CHANNELS.contains(c)));
    let received = r.date("received", "Date received", true);
    let mut errors = r.errors;
    let event = match values.get("event").trim() {
        "" => None,
        raw => match raw.parse::<EventId>().ok().filter(|id| events.iter().any(|e| e.id == *id)) {
            Some(id) => Some(id),
            None => {
                errors.add("event", "Select the event from the list");
                None
            }
        },
    };
    if channel == Some(Channel::Event) && event.is_none() && errors.get("event").is_none() {
        errors.add("event", "Select the event whose notes these are, or add the event first");
    }
    if received.is_some_and(|d| d > today) {
        errors.add_at("received", "received-day", "Date received must be today or in the past");
    }
    let mut answers = std::collections::BTreeMap::new();
    for q in questions {
        let name = pcplan_domain::consultation::question_field(q.content.number);
        let value = match q.content.kind {
            QuestionKind::Open => AnswerValue::Text(values.get(&name).trim().to_string()),
            QuestionKind::Single | QuestionKind::Multiple => AnswerValue::Choices(
                values.all(&name).into_iter().filter(|v| !v.is_empty()).map(String::from).collect(),
            ),
        };
        if !value.is_empty() {
            answers.insert(q.id, value);
        }
    }
    let kind = match values.get("respondent_type").trim() {
        "" => None,
        raw => match RespondentType::parse(raw) {
            Some(kind) => Some(kind),
            None => {
                errors.add("respondent_type", "Select the respondent type from the list");
                None
            }
        },
    };
    let publish_consent = match values.get("publish_consent") {
        "yes" => Some(true),
        "no" => Some(false),
        "not_asked" => None,
        _ => {
            errors.add("publish_consent", "Select whether quotes from the response may be published");
            None
        }
    };
    if !values.is_set("consent") {
        errors.add("consent", "Confirm that the respondent agreed to the privacy notice");
    }
    let area = Some(values.get("area").trim().to_string()).filter(|a| !a.is_empty());
    let submission = Submission {
        answers,
        respondent: Respondent {
            kind,
            organisation: values.get("organisation").trim().to_string(),
            area,
            demographics: Default::default(),
        },
        consent: values.is_set("consent"),
        publish_consent,
    };
    let order = response_order(questions);
    let order: Vec<&str> = order.iter().map(String::as_str).collect();
    in_order(&mut errors, &order);
    let (Some(channel), Some(received), true) = (channel, received, errors.is_empty()) else {
        return Err(errors);
    };
    // The hidden token, made when the form was shown, keeps a double click from storing
    // the response twice; without one (a hand-made request) the response is new.
    let token = values.get("token").parse::<uuid::Uuid>().unwrap_or_else(|_| uuid::Uuid::new_v4());
    let received_at = if received == today {
        Utc::now()
    } else {
        received.and_hms_opt(12, 0, 0).map(|t| t.and_utc()).unwrap_or_else(Utc::now)
    };
    Ok(NewResponse {
        channel,
        submission,
        fingerprint: format!("staff:{token}"),
        event,
        received_at,
        source_line: None,
    })
}

async fn response_form_page(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<FormPage, PageError> {
    let questions = state.store.questions(exercise.id).await?;
    let events = state.store.events(exercise.id).await?;
    let body = state.store.body(exercise.body_id).await?;
    let base = exercise_path(exercise.id);
    let mut crumbs = trail(Some(exercise));
    crumbs.push(Crumb::new("Responses", format!("{base}/responses")));
    Ok(FormPage {
        layout: user.layout(format!("Add a response: {}", exercise.content.title)).with_errors(!errors.is_empty()),
        crumbs,
        caption: exercise.content.title.clone(),
        heading: String::from("Add a response"),
        intro: vec![String::from(
            "Type in a letter or e-mail, the notes of an event, or a response gathered by a youth channel, a partner \
             network or the Chief Constable. Leave out anything the respondent did not answer.",
        )],
        fields: response_fields(&questions, &events, body.as_ref(), values, &errors),
        errors,
        hidden: vec![(String::from("token"), values.get("token").to_string())],
        action: format!("{base}/responses"),
        cancel: base,
        submit: "Save the response",
    })
}

/// `GET /staff/consultations/{id}/responses/new`.
pub async fn new_response(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let mut values = FormValues::default();
    values.push("token", uuid::Uuid::new_v4().to_string());
    values.push_date("received", Some(crate::today()));
    render(&response_form_page(&state, &user, &exercise, &values, FieldErrors::default()).await?)
}

/// `POST /staff/consultations/{id}/responses`: stores a typed-in response.
pub async fn add_response(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let questions = state.store.questions(exercise.id).await?;
    let events = state.store.events(exercise.id).await?;
    let mut values = FormValues::new(pairs);
    if values.get("token").parse::<uuid::Uuid>().is_err() {
        values.0.retain(|(n, _)| n != "token");
        values.push("token", uuid::Uuid::new_v4().to_string());
    }
    let errors = match read_response(&values, &questions, &events, crate::today()) {
        Ok(response) => match state.store.submit_response(&user.actor(), exercise.id, &response).await {
            Ok(stored) => {
                let done = if stored.duplicate { "duplicate" } else { "added" };
                return Ok(see_other(&format!("{}?done={done}", response_path(stored.id))));
            }
            Err(error) => {
                // A flood of text is about the answers as a whole: beside the first one.
                let first = questions
                    .first()
                    .map(|q| pcplan_domain::consultation::question_field(q.content.number))
                    .unwrap_or_else(|| String::from("channel"));
                let order = response_order(&questions);
                let names: Vec<&str> = order.iter().map(String::as_str).collect();
                store_errors(error, &names, &["received"], &first)?
            }
        },
        Err(errors) => errors,
    };
    let page = response_form_page(&state, &user, &exercise, &values, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---- the responses ----

/// `/staff/responses/{id}`.
pub fn response_path(id: ResponseId) -> String {
    format!("/staff/responses/{id}")
}

/// One response in the list.
pub struct ResponseRow {
    pub reference: i64,
    pub href: String,
    pub received: String,
    pub channel: String,
    pub kind: String,
    pub area: String,
    pub excerpt: String,
}

#[derive(Template)]
#[template(path = "staff/consultation_responses.html")]
pub struct ResponsesPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub title: String,
    pub total: i64,
    pub rows: Vec<ResponseRow>,
    pub page: i64,
    pub pages: i64,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub new_href: String,
    pub editable: bool,
}

#[derive(serde::Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub page: Option<String>,
}

/// Page `n` (from 1) asked for, within `1..=pages`.
pub(super) fn page_number(query: &PageQuery, pages: i64) -> i64 {
    query.page.as_deref().and_then(|p| p.trim().parse::<i64>().ok()).unwrap_or(1).clamp(1, pages.max(1))
}

/// The first non-empty free-text answer of a response, by question number.
fn first_text(answers: &std::collections::BTreeMap<QuestionId, AnswerValue>, questions: &[Question]) -> String {
    questions
        .iter()
        .filter(|q| q.content.kind == QuestionKind::Open)
        .find_map(|q| match answers.get(&q.id) {
            Some(AnswerValue::Text(t)) if !t.trim().is_empty() => Some(t.clone()),
            _ => None,
        })
        .unwrap_or_default()
}

/// `GET /staff/consultations/{id}/responses?page=`.
pub async fn responses(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let (total, _) = state.store.responses(exercise.id, 0, 0).await?;
    let pages = (total + PAGE_SIZE - 1) / PAGE_SIZE;
    let page = page_number(&query, pages);
    let (_, records) = state.store.responses(exercise.id, (page - 1) * PAGE_SIZE, PAGE_SIZE).await?;
    let questions = state.store.questions(exercise.id).await?;
    let body = state.store.body(exercise.body_id).await?;
    let mut rows = Vec::with_capacity(records.len());
    for record in records {
        // The page lists answers, which the list query leaves out: one read per row of
        // a page of fifty, rather than every answer of the exercise.
        let answers = state.store.response(record.id).await?.map(|r| r.answers).unwrap_or_default();
        rows.push(ResponseRow {
            reference: record.reference,
            href: response_path(record.id),
            received: long_date(record.received_at.date_naive()),
            channel: record.channel.label().to_string(),
            kind: record.respondent.kind.map(|k| k.label().to_string()).unwrap_or_else(|| String::from("Not given")),
            area: area_label(body.as_ref(), record.respondent.area.as_deref().unwrap_or("")),
            excerpt: excerpt(&first_text(&answers, &questions)),
        });
    }
    let base = format!("{}/responses", exercise_path(exercise.id));
    render(&ResponsesPage {
        layout: user.layout(format!("Responses: {}", exercise.content.title)),
        crumbs: trail(Some(&exercise)),
        title: exercise.content.title.clone(),
        total,
        rows,
        page,
        pages: pages.max(1),
        previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
        next: (page < pages).then(|| format!("{base}?page={}", page + 1)),
        new_href: format!("{base}/new"),
        editable: can_edit(&user.user),
    })
}

#[derive(Template)]
#[template(path = "staff/consultation_response.html")]
pub struct ResponsePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub heading: String,
    pub caption: String,
    pub facts: Vec<(String, String)>,
    /// (question, answer) in question order; unanswered questions are left out.
    pub answers: Vec<(String, String)>,
}

/// `GET /staff/responses/{id}`.
pub async fn response(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id: ResponseId = id.parse().map_err(|_| PageError::NotFound)?;
    let record = state.store.response(id).await?.ok_or(PageError::NotFound)?;
    let exercise = state.store.exercise(record.exercise_id).await?.ok_or(PageError::NotFound)?;
    let questions = state.store.questions(exercise.id).await?;
    let body = state.store.body(exercise.body_id).await?;
    let events: HashMap<EventId, String> =
        state.store.events(exercise.id).await?.into_iter().map(|e| (e.id, e.content.title)).collect();
    let notice = match done.done.as_deref() {
        Some("added") => Some(format!("Response saved with reference {}", record.reference)),
        Some("duplicate") => Some(format!("This response was already saved, with reference {}", record.reference)),
        _ => None,
    };
    let r = &record.respondent;
    let mut facts = vec![
        (String::from("Reference"), record.reference.to_string()),
        (String::from("Channel"), record.channel.label().to_string()),
        (String::from("Received"), date_time(record.received_at)),
    ];
    if let Some(event) = record.event {
        facts.push((String::from("Event"), events.get(&event).cloned().unwrap_or_else(|| event.to_string())));
    }
    facts.push((
        String::from("Respondent type"),
        r.kind.map(|k| k.label().to_string()).unwrap_or_else(|| String::from("Not given")),
    ));
    if !r.organisation.is_empty() {
        facts.push((String::from("Organisation"), r.organisation.clone()));
    }
    facts.push((String::from("Area"), area_label(body.as_ref(), r.area.as_deref().unwrap_or(""))));
    for (key, question, _) in pcplan_domain::consultation::DEMOGRAPHICS {
        if let Some(value) = r.demographics.get(*key) {
            facts.push((question.to_string(), value.clone()));
        }
    }
    let publish = match record.publish_consent {
        Some(true) => "Yes",
        Some(false) => "No",
        None => "Not asked",
    };
    facts.push((String::from("Quotes may be published"), publish.to_string()));
    if let Some(line) = record.source_line {
        facts.push((String::from("Line of the imported file"), line.to_string()));
    }
    let answers = questions
        .iter()
        .filter_map(|q| {
            record.answers.get(&q.id).map(|a| (format!("{}. {}", q.content.number, q.content.text), a.display()))
        })
        .collect();
    let mut crumbs = trail(Some(&exercise));
    crumbs.push(Crumb::new("Responses", format!("{}/responses", exercise_path(exercise.id))));
    render(&ResponsePage {
        layout: user.layout(format!("Response {}", record.reference)),
        crumbs,
        notice,
        heading: format!("Response {}", record.reference),
        caption: exercise.content.title.clone(),
        facts,
        answers,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(pairs: &[(&str, &str)]) -> FormValues {
        FormValues::new(pairs.iter().map(|(n, v)| (n.to_string(), v.to_string())).collect())
    }

    #[test]
    fn an_exercise_form_reads_back_the_content_it_shows() {
        let content = ExerciseContent {
            title: String::from("Call for evidence"),
            kind: ExerciseKind::CallForEvidence,
            slug: String::from("call-2021"),
            summary: String::from("Tell us"),
            opens: NaiveDate::from_ymd_opt(2021, 5, 13).expect("a real date"),
            closes: NaiveDate::from_ymd_opt(2021, 7, 2).expect("a real date"),
            channels: vec![Channel::OnlineSurvey, Channel::Youth],
            privacy_notice: String::from("We keep answers for two years"),
            plan: None,
            note: String::new(),
        };
        assert_eq!(read_exercise(&exercise_values(&content), &[]), Ok(content));
    }

    #[test]
    fn a_bad_exercise_names_each_field_in_the_order_of_the_form() {
        let v = values(&[
            ("title", ""),
            ("kind", "public_survey"),
            ("slug", "Bad Slug"),
            ("summary", "S"),
            ("opens-day", "2"),
            ("opens-month", "6"),
            ("opens-year", "2021"),
            ("closes-day", "1"),
            ("closes-month", "6"),
            ("closes-year", "2021"),
            ("channels", "online_survey"),
        ]);
        let errors = read_exercise(&v, &[]).expect_err("refused");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "slug", "closes", "privacy_notice"]);
        assert_eq!(errors.0[2].anchor, "closes-day");
    }

    #[test]
    fn choice_options_are_one_per_line_and_a_free_text_question_keeps_its_limit() {
        let v = values(&[
            ("number", "2"),
            ("text", "How safe?"),
            ("kind", "single"),
            ("options", "Safe\r\n\r\n Not safe "),
        ]);
        let q = read_question(&v).expect("valid");
        assert_eq!(q.options, ["Safe", "Not safe"]);
        let v = values(&[("number", "x"), ("text", ""), ("kind", "open"), ("options", "A"), ("max_chars", "many")]);
        let errors = read_question(&v).expect_err("refused");
        assert_eq!(errors.get("number"), Some("Question number must be a whole number, like 3"));
        assert_eq!(errors.get("text"), Some("Enter the question"));
        assert_eq!(errors.get("options"), Some("A free-text question has no options; remove them"));
        assert_eq!(errors.get("max_chars"), Some("Answer limit must be a whole number, like 5000"));
    }

    #[test]
    fn excerpts_stop_at_a_hundred_and_twenty_characters() {
        assert_eq!(excerpt("short"), "short");
        let long = "a".repeat(130);
        assert_eq!(excerpt(&long).chars().count(), EXCERPT_CHARS + 1);
        assert_eq!(share(1, 3), "33%");
        assert_eq!(share(0, 0), "–");
    }
}
