//! The public consultation pages: `GET /consultations` (open, upcoming and closed
//! exercises), `GET /consultations/{slug}` (one exercise, its events and a start button
//! while its survey is open), the survey itself at `GET`/`POST
//! /consultations/{slug}/respond`, and `GET /consultations/{slug}/you-said-we-did` (the
//! themes found, what each did to the plan, and redacted quotes), once published.
//!
//! The survey is one page of GOV.UK fieldsets, in this order: the privacy notice, the
//! questions, "About you" (all optional), whether quotes may be published, and the
//! required consent. One page keeps every answer in one form without JavaScript or a
//! session; the GOV.UK character count shows each limit as plain text until its script
//! runs. A posted form is never lost:
//!
//! - the GET hands out a random one-time token, which is the response's fingerprint, so
//!   a double click or a reload stores one response and shows the same reference;
//! - a post is refused, in this order, by the rate limiter (429, `Retry-After`, before
//!   the body is read), by size ([`SURVEY_BODY_LIMIT_BYTES`], 413), by the exercise's
//!   dates (403 not yet open, 410 closed; the answers are shown back to copy), and by
//!   the answers' own rules (`Submission::check`, run by the store: 422, the form again
//!   with an error summary, each message beside its field, everything typed kept);
//! - the response is stored in one transaction; when the database fails, the page says
//!   the answers were **not** saved and gives them back in the form (503), never a
//!   blank page.
//!
//! "You said, we did" reads only what staff published: a question's latest final theme
//! set, the outcomes recorded for its themes, and the quotes published (redacted) and
//! not withdrawn. It never reads an answer. Links to the plan go to records of the
//! version in force on the public site, found as `public.rs` finds it, so a draft's
//! record is never named here.
//!
//! This module holds no SQL, no theme analysis and no redaction; the staff consultation
//! pages (another module) create exercises and publish the results. It logs no answer,
//! no address and nothing a respondent wrote.

use std::collections::BTreeMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::{DefaultBodyLimit, FromRequest, Path, Request, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_LENGTH, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Form, Router};
use chrono::{NaiveDate, Utc};
use pcplan_domain::consultation::{
    AnswerValue, Channel, DEMOGRAPHICS, ExerciseState, Question, QuestionKind, Respondent, RespondentType, Submission,
    ThemeOutcome, ThemeSetState, question_field,
};
use pcplan_domain::{Area, ItemId, Plan, Record};
use pcplan_store::{Actor, Dimension, Exercise, NewResponse, PublishedQuote, Store, StoreError, Theme};

use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::plan_view::{anchor, long_date};
use crate::public::{find_public_plan, load_public_version};
use crate::rate_limit::{ClientKey, RateLimiter, Refused, Scope};
use crate::staff::forms::{FieldErrors, FormValues};
use crate::staff::sentence;
use crate::views::{Layout, Nav, render, render_with_status};
use crate::{AppState, WebConfig, today};

/// The largest survey post accepted, in bytes. The domain allows 60,000 characters of
/// answers in one response (`MAX_SUBMISSION_CHARS`); a character outside ASCII is up to
/// three bytes of UTF-8, each sent as `%XX`, so the longest response it accepts in most
/// scripts is 540,000 bytes on the wire, plus the "About you" fields. 640 KiB covers
/// that with room to spare, and is still a third of the 2 MiB every other form gets.
/// Larger is not a survey response: the 413 page says how to send it by e-mail.
pub const SURVEY_BODY_LIMIT_BYTES: usize = 640 * 1024;

/// Who the audit log names for a response from the public form.
const SURVEY_ACTOR: &str = "online survey";

/// The limiter in front of the survey's POST: one per application, keyed by client.
pub type SurveyLimiter = RateLimiter<ClientKey>;

pub fn router(config: &WebConfig) -> Router<AppState> {
    let limiter = Arc::new(SurveyLimiter::new(config.survey_limits));
    Router::new()
        .route("/consultations", get(list))
        .route("/consultations/{slug}", get(exercise_page))
        .route(
            "/consultations/{slug}/respond",
            get(form).post(submit).layer(DefaultBodyLimit::max(SURVEY_BODY_LIMIT_BYTES)),
        )
        .route("/consultations/{slug}/you-said-we-did", get(you_said))
        .layer(Extension(limiter))
}

/// The slug of a survey form's path (`/consultations/{slug}/respond`), whose posts have
/// their own size limit and their own page when over it.
fn survey_slug(path: &str) -> Option<&str> {
    path.strip_prefix("/consultations/")
        .and_then(|rest| rest.strip_suffix("/respond"))
        .filter(|slug| !slug.is_empty() && !slug.contains('/'))
}

/// The survey's 413 page when `path` is a survey form, for the layer that refuses a
/// declared length over the application's limit before any handler runs.
pub fn too_large_for(path: &str) -> Option<Response> {
    survey_slug(path).map(too_large)
}

/// The reference a respondent is given: the initials of the exercise's web address and
/// the response's number in the exercise, `CFE-000123` for response 123 to
/// `call-for-evidence-2021`. Staff find a response by the number after the hyphen.
pub fn response_reference(slug: &str, reference: i64) -> String {
    let initials: String = slug
        .split('-')
        .filter_map(|word| word.chars().next())
        .filter(char::is_ascii_alphabetic)
        .take(4)
        .map(|c| c.to_ascii_uppercase())
        .collect();
    let initials = if initials.is_empty() { String::from("R") } else { initials };
    format!("{initials}-{reference:06}")
}

/// The paragraphs of a text typed with blank lines between them.
fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

fn dates(exercise: &Exercise) -> String {
    format!("{} to {}", long_date(exercise.content.opens), long_date(exercise.content.closes))
}

fn state_tag(state: ExerciseState) -> &'static str {
    match state {
        ExerciseState::Open => "govuk-tag--green",
        ExerciseState::Upcoming => "govuk-tag--blue",
        ExerciseState::Closed => "govuk-tag--grey",
    }
}

/// Renders a page, or the error page when the template fails: never an empty body.
fn page<T: Template>(status: StatusCode, page: &T) -> Response {
    render_with_status(status, page).unwrap_or_else(IntoResponse::into_response)
}

// ---------------------------------------------------------------------------
// GET /consultations

struct ExerciseRow {
    title: String,
    href: String,
    kind: &'static str,
    dates: String,
    state: &'static str,
    tag: &'static str,
}

#[derive(Template)]
#[template(path = "public/consultations.html")]
struct ListPage {
    layout: Layout,
    open: Vec<ExerciseRow>,
    upcoming: Vec<ExerciseRow>,
    closed: Vec<ExerciseRow>,
}

async fn list(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let today = today();
    let mut exercises = state.store.exercises(None).await?;
    // Open: closing soonest first; upcoming: opening soonest first; closed: latest first
    // (the store's order, newest opening first).
    let mut open = Vec::new();
    let mut upcoming = Vec::new();
    let mut closed = Vec::new();
    exercises.retain(|e| e.public_at.is_some());
    exercises.sort_by_key(|e| std::cmp::Reverse(e.content.opens));
    for e in &exercises {
        let s = e.content.state(today);
        let row = ExerciseRow {
            title: e.content.title.clone(),
            href: format!("/consultations/{}", e.content.slug),
            kind: e.content.kind.label(),
            dates: dates(e),
            state: s.label(),
            tag: state_tag(s),
        };
        match s {
            ExerciseState::Open => open.push((e.content.closes, row)),
            ExerciseState::Upcoming => upcoming.push((e.content.opens, row)),
            ExerciseState::Closed => closed.push(row),
        }
    }
    open.sort_by_key(|(closes, _)| *closes);
    upcoming.sort_by_key(|(opens, _)| *opens);
    render(&ListPage {
        layout: Layout::new("Consultations", user.as_ref(), Nav::Consultations),
        open: open.into_iter().map(|(_, r)| r).collect(),
        upcoming: upcoming.into_iter().map(|(_, r)| r).collect(),
        closed,
    })
}

/// The exercise at `slug` when staff have made it public; a draft exercise is not
/// found on any public page, so its address gives nothing away.
async fn public_exercise(store: &Store, slug: &str) -> Result<Option<Exercise>, StoreError> {
    Ok(store.exercise_by_slug(slug).await?.filter(|e| e.public_at.is_some()))
}

// ---------------------------------------------------------------------------
// GET /consultations/{slug}

struct EventView {
    title: String,
    date: String,
    place: String,
    chair: String,
    attendees: u32,
    attendee_groups: String,
}

#[derive(Template)]
#[template(path = "public/consultation.html")]
struct ExercisePage {
    layout: Layout,
    title: String,
    slug: String,
    kind: &'static str,
    summary: Vec<String>,
    note: String,
    opens: String,
    closes: String,
    state: &'static str,
    tag: &'static str,
    channels: Vec<&'static str>,
    has_survey: bool,
    survey_open: bool,
    upcoming: bool,
    published: bool,
    events: Vec<EventView>,
}

async fn exercise_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let exercise = public_exercise(&state.store, &slug).await?.ok_or(PageError::NotFound)?;
    let today = today();
    let content = &exercise.content;
    let s = content.state(today);
    // Private notes of what was said stay with staff: the public sees when, where, who
    // chaired and which groups attended.
    let events = state
        .store
        .events(exercise.id)
        .await?
        .into_iter()
        .map(|e| EventView {
            title: e.content.title,
            date: long_date(e.content.held_on),
            place: e.content.place,
            chair: e.content.chair,
            attendees: e.content.attendees,
            attendee_groups: e.content.attendee_groups,
        })
        .collect();
    render(&ExercisePage {
        layout: Layout::new(content.title.clone(), user.as_ref(), Nav::Consultations),
        title: content.title.clone(),
        slug: content.slug.clone(),
        kind: content.kind.label(),
        summary: paragraphs(&content.summary),
        note: content.note.clone(),
        opens: long_date(content.opens),
        closes: long_date(content.closes),
        state: s.label(),
        tag: state_tag(s),
        channels: content.channels.iter().map(Channel::label).collect(),
        has_survey: content.channels.contains(&Channel::OnlineSurvey),
        survey_open: content.survey_open(today),
        upcoming: s == ExerciseState::Upcoming,
        published: exercise.published_at.is_some(),
        events,
    })
}

// ---------------------------------------------------------------------------
// The survey: views

/// One radio, checkbox or select option.
struct OptionView {
    id: String,
    value: String,
    label: String,
    checked: bool,
}

/// Options named `name`: the first input's id is `name`, so the error summary's link
/// lands on it (the GOV.UK pattern); the others are `name-2`, `name-3`...
fn options(name: &str, items: impl IntoIterator<Item = (String, String)>, chosen: &[&str]) -> Vec<OptionView> {
    items
        .into_iter()
        .enumerate()
        .map(|(i, (value, label))| OptionView {
            id: if i == 0 { name.to_owned() } else { format!("{name}-{}", i + 1) },
            checked: chosen.contains(&value.as_str()),
            value,
            label,
        })
        .collect()
}

struct QuestionView {
    field: String,
    number: u32,
    text: String,
    hint: String,
    open: bool,
    multiple: bool,
    required: bool,
    max_chars: u32,
    value: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

impl QuestionView {
    /// The ids that describe the control, for `aria-describedby`.
    fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.field));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.field));
        }
        if self.open {
            ids.push(format!("{}-info", self.field));
        }
        ids.join(" ")
    }
}

/// A group of radios with its legend.
struct ChoiceGroup {
    name: String,
    legend: String,
    hint: String,
    options: Vec<OptionView>,
    error: Option<String>,
}

impl ChoiceGroup {
    fn new(
        name: &str,
        legend: &str,
        hint: &str,
        items: impl IntoIterator<Item = (String, String)>,
        values: &FormValues,
        errors: &FieldErrors,
    ) -> Self {
        ChoiceGroup {
            name: name.to_owned(),
            legend: legend.to_owned(),
            hint: hint.to_owned(),
            options: options(name, items, &[values.get(name)]),
            error: errors.get(name).map(str::to_owned),
        }
    }

    fn described_by(&self) -> String {
        let mut ids = Vec::new();
        if !self.hint.is_empty() {
            ids.push(format!("{}-hint", self.name));
        }
        if self.error.is_some() {
            ids.push(format!("{}-error", self.name));
        }
        ids.join(" ")
    }
}

/// A notification banner over the form: why the answers below were not saved.
struct Banner {
    heading: String,
    text: String,
}

#[derive(Template)]
#[template(path = "public/consultation_respond.html")]
struct SurveyPage {
    layout: Layout,
    title: String,
    slug: String,
    closes: String,
    privacy: Vec<String>,
    token: String,
    errors: FieldErrors,
    banner: Option<Banner>,
    /// A problem with the answers as a whole (too long in total).
    answers_error: Option<String>,
    questions: Vec<QuestionView>,
    respondent_type: ChoiceGroup,
    organisation: String,
    organisation_error: Option<String>,
    areas: Vec<OptionView>,
    area_error: Option<String>,
    demographics: Vec<ChoiceGroup>,
    publish_consent: ChoiceGroup,
    consent: bool,
    consent_error: Option<String>,
}

/// An exercise whose survey takes responses through this form, with what the form needs.
struct Survey {
    exercise: Exercise,
    questions: Vec<Question>,
    areas: Vec<Area>,
}

/// The survey of the exercise at `slug`: `None` when there is no such exercise or it
/// takes no online survey.
async fn load_survey(store: &Store, slug: &str) -> Result<Option<Survey>, StoreError> {
    let Some(exercise) = public_exercise(store, slug).await? else { return Ok(None) };
    if !exercise.content.channels.contains(&Channel::OnlineSurvey) {
        return Ok(None);
    }
    let questions = store.questions(exercise.id).await?;
    let areas = store.body(exercise.body_id).await?.map(|b| b.areas).unwrap_or_default();
    Ok(Some(Survey { exercise, questions, areas }))
}

/// The form's fields in the order they appear, for ordering the error summary.
fn page_order(questions: &[Question]) -> Vec<String> {
    let mut order: Vec<String> = vec![String::from("answers")];
    order.extend(questions.iter().map(|q| question_field(q.content.number)));
    order.extend(["respondent_type", "organisation", "area"].map(String::from));
    order.extend(DEMOGRAPHICS.iter().map(|(key, _, _)| (*key).to_owned()));
    order.extend(["publish_consent", "consent"].map(String::from));
    order
}

/// The store's refusal as errors beside the fields, in page order. A problem with the
/// answers as a whole links to the first question.
fn place_problems(problems: pcplan_domain::clock::FieldProblems, questions: &[Question]) -> FieldErrors {
    let order = page_order(questions);
    let first_question = questions.first().map(|q| question_field(q.content.number));
    let mut placed: Vec<(usize, String, String, String)> = problems
        .0
        .into_iter()
        .map(|p| {
            let position = order.iter().position(|f| *f == p.field).unwrap_or(0);
            let anchor = if p.field == "answers" || position == 0 {
                first_question.clone().unwrap_or_else(|| String::from("consent"))
            } else {
                p.field.clone()
            };
            let field = if position == 0 { String::from("answers") } else { p.field };
            (position, field, anchor, sentence(&p.problem))
        })
        .collect();
    placed.sort_by_key(|(position, ..)| *position);
    let mut errors = FieldErrors::default();
    for (_, field, anchor, message) in placed {
        errors.add_at(&field, &anchor, message);
    }
    errors
}

fn survey_page(
    survey: &Survey,
    values: &FormValues,
    errors: FieldErrors,
    token: String,
    banner: Option<Banner>,
) -> SurveyPage {
    let content = &survey.exercise.content;
    let questions = survey
        .questions
        .iter()
        .map(|q| {
            let field = question_field(q.content.number);
            let chosen = values.all(&field);
            let options = options(&field, q.content.options.iter().map(|o| (o.clone(), o.clone())), &chosen);
            QuestionView {
                number: q.content.number,
                text: q.content.text.clone(),
                hint: q.content.hint.clone(),
                open: q.content.kind == QuestionKind::Open,
                multiple: q.content.kind == QuestionKind::Multiple,
                required: q.content.required,
                max_chars: q.content.max_chars,
                value: values.get(&field).to_owned(),
                options,
                error: errors.get(&field).map(str::to_owned),
                field,
            }
        })
        .collect();
    let respondent_type = ChoiceGroup::new(
        "respondent_type",
        "Which of these best describes you? (optional)",
        "",
        RespondentType::ALL.iter().map(|t| (t.as_str().to_owned(), t.label().to_owned())),
        values,
        &errors,
    );
    let mut areas = vec![OptionView {
        id: String::new(),
        value: String::new(),
        label: String::from("Prefer not to say"),
        checked: false,
    }];
    areas.extend(survey.areas.iter().map(|a| OptionView {
        id: String::new(),
        value: a.code.clone(),
        label: a.name.clone(),
        checked: values.get("area") == a.code,
    }));
    let demographics = DEMOGRAPHICS
        .iter()
        .map(|(key, question, answers)| {
            ChoiceGroup::new(
                key,
                &format!("{question} (optional)"),
                "",
                answers.iter().map(|a| ((*a).to_owned(), (*a).to_owned())),
                values,
                &errors,
            )
        })
        .collect();
    let publish_consent = ChoiceGroup::new(
        "publish_consent",
        "May we publish quotes from your answers? (optional)",
        "Quotes are published without your name or anything else that could identify you. If you do not answer, we will not quote you.",
        [
            (String::from("yes"), String::from("Yes, you may quote my answers anonymously")),
            (String::from("no"), String::from("No, do not quote my answers")),
        ],
        values,
        &errors,
    );
    SurveyPage {
        layout: Layout::new(format!("Respond: {}", content.title), None, Nav::Consultations)
            .with_errors(!errors.is_empty()),
        title: content.title.clone(),
        slug: content.slug.clone(),
        closes: long_date(content.closes),
        privacy: paragraphs(&content.privacy_notice),
        token,
        answers_error: errors.get("answers").map(str::to_owned),
        questions,
        respondent_type,
        organisation: values.get("organisation").to_owned(),
        organisation_error: errors.get("organisation").map(str::to_owned),
        areas,
        area_error: errors.get("area").map(str::to_owned),
        demographics,
        publish_consent,
        consent: values.get("consent") == "yes",
        consent_error: errors.get("consent").map(str::to_owned),
        banner,
        errors,
    }
}

/// A fresh one-time token for the form: 16 random bytes, hex-encoded.
fn new_token() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("reading random bytes for a survey token: {e}"))?;
    Ok(hex::encode(bytes))
}

fn is_token(token: &str) -> bool {
    token.len() == 32 && token.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The submission as typed. Free text has its line breaks made `\n` (browsers send
/// `\r\n`, and the character count, like the person, counts one per line break) and its
/// ends trimmed. An unknown respondent type is dropped; every other value goes to
/// `Submission::check`, which names what is wrong with it.
fn read_submission(values: &FormValues, questions: &[Question]) -> Submission {
    let mut answers = BTreeMap::new();
    for q in questions {
        let field = question_field(q.content.number);
        let answer = match q.content.kind {
            QuestionKind::Open => AnswerValue::Text(values.get(&field).replace("\r\n", "\n").trim().to_owned()),
            QuestionKind::Single | QuestionKind::Multiple => AnswerValue::Choices(
                values.all(&field).into_iter().filter(|v| !v.is_empty()).map(str::to_owned).collect(),
            ),
        };
        if !answer.is_empty() {
            answers.insert(q.id, answer);
        }
    }
    let demographics = DEMOGRAPHICS
        .iter()
        .filter_map(|(key, _, _)| {
            let value = values.get(key);
            (!value.is_empty()).then(|| ((*key).to_owned(), value.to_owned()))
        })
        .collect();
    let area = values.get("area").trim();
    Submission {
        answers,
        respondent: Respondent {
            kind: RespondentType::parse(values.get("respondent_type")),
            organisation: values.get("organisation").trim().to_owned(),
            area: (!area.is_empty()).then(|| area.to_owned()),
            demographics,
        },
        consent: values.get("consent") == "yes",
        // The form asked; no answer is taken as "no", so nobody is quoted by default.
        publish_consent: Some(values.get("publish_consent") == "yes"),
    }
}

// ---------------------------------------------------------------------------
// Pages that refuse a post or say the survey is not open

/// An answer given back to the person, to copy when it could not be saved.
struct Echo {
    label: String,
    text: String,
    /// Lines of the box that shows it: a written answer gets room, a choice one line.
    rows: usize,
}

#[derive(Template)]
#[template(path = "public/consultation_refused.html")]
struct RefusedPage {
    layout: Layout,
    heading: String,
    paragraphs: Vec<String>,
    /// The answers typed, shown to copy.
    answers: Vec<Echo>,
    /// Every field as posted, to send again with one button; empty when it cannot be.
    resend: Vec<(String, String)>,
    resend_action: String,
    back_href: String,
    back_text: String,
}

impl RefusedPage {
    fn new(heading: &str, paragraphs: Vec<String>, slug: &str) -> Self {
        RefusedPage {
            layout: Layout::new(heading, None, Nav::Consultations),
            heading: heading.to_owned(),
            paragraphs,
            answers: Vec::new(),
            resend: Vec::new(),
            resend_action: String::new(),
            back_href: format!("/consultations/{slug}"),
            back_text: String::from("Go to the consultation page"),
        }
    }

    /// Shows the answers typed, one per question in question order (the options ticked
    /// of a question joined by "; "), labelled by their questions when they are known.
    fn echo(mut self, values: &FormValues, questions: Option<&[Question]>) -> Self {
        let mut by_number: BTreeMap<u32, Vec<&str>> = BTreeMap::new();
        for (name, value) in &values.0 {
            let Some(number) = name.strip_prefix("q-").and_then(|n| n.parse::<u32>().ok()) else { continue };
            if !value.trim().is_empty() {
                by_number.entry(number).or_default().push(value);
            }
        }
        for (number, parts) in by_number {
            let label = questions
                .and_then(|qs| qs.iter().find(|q| q.content.number == number))
                .map(|q| format!("{number}. {}", q.content.text))
                .unwrap_or_else(|| format!("Question {number}"));
            let text = parts.join("; ").replace("\r\n", "\n");
            let rows = if text.contains('\n') || text.chars().count() > 80 { 6 } else { 1 };
            self.answers.push(Echo { label, text, rows });
        }
        self
    }
}

/// The survey is not open: 403 before it opens, 410 after it closed. A post's answers
/// are shown back, since they could not be saved.
fn not_open(survey: &Survey, state: ExerciseState, posted: Option<&FormValues>) -> Response {
    let content = &survey.exercise.content;
    let (status, heading, first) = match state {
        ExerciseState::Upcoming => (
            StatusCode::FORBIDDEN,
            "This consultation is not open yet",
            format!("It opens on {}. Come back then to respond.", long_date(content.opens)),
        ),
        _ => (
            StatusCode::GONE,
            "This consultation has closed",
            format!("It closed on {}, so responses can no longer be sent.", long_date(content.closes)),
        ),
    };
    let mut paragraphs = vec![first];
    if posted.is_some() {
        paragraphs.push(String::from("Your answers have not been saved. They are below if you want to keep a copy."));
    }
    let mut refused = RefusedPage::new(heading, paragraphs, &content.slug);
    if let Some(values) = posted {
        refused = refused.echo(values, Some(&survey.questions));
    }
    page(status, &refused)
}

/// 429: too many posts from this client, or from everyone. The body was not read.
fn too_many(slug: &str, refused: Refused) -> Response {
    let minutes = refused.retry_after_minutes();
    let wait = if minutes == 1 { String::from("1 minute") } else { format!("{minutes} minutes") };
    let why = match refused.scope {
        Scope::Client => {
            String::from("Too many responses have been sent from your internet connection in a short time.")
        }
        Scope::Everyone => String::from("Too many responses are being sent to this consultation at the moment."),
    };
    let paragraphs = vec![
        why,
        String::from("Your answers have not been sent."),
        format!(
            "Use your browser's back button to return to the form, where your answers should still be. Wait {wait}, \
             then send them again."
        ),
    ];
    let mut response =
        page(StatusCode::TOO_MANY_REQUESTS, &RefusedPage::new("Your response has not been sent yet", paragraphs, slug));
    if let Ok(value) = HeaderValue::from_str(&refused.retry_after_secs().to_string()) {
        response.headers_mut().insert(RETRY_AFTER, value);
    }
    response
}

/// 413: the post is larger than any response the form accepts.
fn too_large(slug: &str) -> Response {
    let kib = SURVEY_BODY_LIMIT_BYTES / 1024;
    let paragraphs = vec![
        format!("Your response is larger than this form accepts ({kib} KB), so it has not been sent."),
        String::from(
            "Each answer box shows how many characters it takes. To send a longer response, such as a report or \
             a letter, e-mail it as a written submission: the consultation page says where to send it.",
        ),
        String::from("Use your browser's back button to return to your answers."),
    ];
    page(StatusCode::PAYLOAD_TOO_LARGE, &RefusedPage::new("Your response is too long to send here", paragraphs, slug))
}

/// 503: the answers could not be saved. They are shown to copy and kept in a form that
/// sends them again, with the same one-time token, so a retry still stores one response.
fn not_saved(slug: &str, values: &FormValues, questions: Option<&[Question]>) -> Response {
    let paragraphs = vec![
        String::from("Something went wrong on our side, so your answers have not been saved."),
        String::from("Try sending them again in a few minutes. Your answers are below if you want to keep a copy."),
    ];
    let mut refused =
        RefusedPage::new("Sorry, your response has not been sent", paragraphs, slug).echo(values, questions);
    refused.resend = values.0.clone();
    refused.resend_action = format!("/consultations/{slug}/respond");
    page(StatusCode::SERVICE_UNAVAILABLE, &refused)
}

/// 400: the post was not a form at all.
fn unreadable(slug: &str) -> Response {
    let paragraphs = vec![String::from(
        "The form could not be read, so nothing has been sent. Go back to the consultation page and start the form again.",
    )];
    page(StatusCode::BAD_REQUEST, &RefusedPage::new("Your response could not be read", paragraphs, slug))
}

// ---------------------------------------------------------------------------
// GET and POST /consultations/{slug}/respond

async fn form(State(state): State<AppState>, Path(slug): Path<String>) -> Result<Response, PageError> {
    let survey = load_survey(&state.store, &slug).await?.ok_or(PageError::NotFound)?;
    let s = survey.exercise.content.state(today());
    if s != ExerciseState::Open {
        return Ok(not_open(&survey, s, None));
    }
    let token = new_token().map_err(PageError::Internal)?;
    let mut response = render(&survey_page(&survey, &FormValues::default(), FieldErrors::default(), token, None))?;
    // A shared cache must never hand one token to two people (their responses would be
    // stored as one); `no-cache` rather than `no-store`, so the browser's back button
    // can still restore a form with its answers.
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, no-cache"));
    Ok(response)
}

fn declared_length(headers: &HeaderMap) -> Option<usize> {
    headers.get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse().ok())
}

async fn submit(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<SurveyLimiter>>,
    Path(slug): Path<String>,
    request: Request,
) -> Response {
    // The cheapest refusals first: nothing is read or looked up for a flood.
    if let Err(refused) = limiter.check(ClientKey::of_request(request.extensions(), request.headers())) {
        tracing::info!(exercise.slug = %slug, limit.scope = ?refused.scope, "survey post refused by the rate limit");
        return too_many(&slug, refused);
    }
    if declared_length(request.headers()).is_some_and(|length| length > SURVEY_BODY_LIMIT_BYTES) {
        return too_large(&slug);
    }
    let values = match Form::<Vec<(String, String)>>::from_request(request, &state).await {
        Ok(Form(pairs)) => FormValues::new(pairs),
        // A body sent without a length is counted as it arrives, against the same limit.
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => return too_large(&slug),
        Err(rejection) => {
            tracing::info!(exercise.slug = %slug, reason = %rejection.body_text(), "survey post unreadable");
            return unreadable(&slug);
        }
    };
    respond(&state, &slug, values).await
}

async fn respond(state: &AppState, slug: &str, values: FormValues) -> Response {
    let survey = match load_survey(&state.store, slug).await {
        Ok(Some(survey)) => survey,
        Ok(None) => return PageError::NotFound.into_response(),
        Err(error) => {
            tracing::error!(error.cause = %error, exercise.slug = %slug, "survey response not stored: reading the exercise");
            return not_saved(slug, &values, None);
        }
    };
    let s = survey.exercise.content.state(today());
    if s != ExerciseState::Open {
        return not_open(&survey, s, Some(&values));
    }
    let token = match values.get("token") {
        t if is_token(t) => t.to_owned(),
        // A form without its token (a tampered or very old page) is still stored; only
        // the protection against a double submit is lost, so it is not refused.
        _ => match new_token() {
            Ok(t) => t,
            Err(error) => {
                tracing::error!(error.cause = %error, exercise.slug = %slug, "survey response not stored: no token");
                return not_saved(slug, &values, Some(&survey.questions));
            }
        },
    };
    let response = NewResponse {
        channel: Channel::OnlineSurvey,
        submission: read_submission(&values, &survey.questions),
        fingerprint: format!("web:{token}"),
        event: None,
        received_at: Utc::now(),
        source_line: None,
    };
    match state.store.submit_response(&Actor::system(SURVEY_ACTOR), survey.exercise.id, &response).await {
        Ok(stored) => page(
            StatusCode::OK,
            &SentPage {
                layout: Layout::new("Response sent", None, Nav::Consultations),
                title: survey.exercise.content.title.clone(),
                slug: slug.to_owned(),
                reference: response_reference(slug, stored.reference),
                duplicate: stored.duplicate,
            },
        ),
        Err(StoreError::Fields(problems)) => {
            let errors = place_problems(problems, &survey.questions);
            page(StatusCode::UNPROCESSABLE_ENTITY, &survey_page(&survey, &values, errors, token, None))
        }
        Err(StoreError::NotFound { .. }) => PageError::NotFound.into_response(),
        Err(error) => {
            tracing::error!(error.cause = %error, exercise.slug = %slug, "survey response not stored");
            let banner = Banner {
                heading: String::from("Your response has not been sent"),
                text: String::from(
                    "Something went wrong on our side, so your answers have not been saved. They are still in the form \
                     below: try sending them again in a few minutes.",
                ),
            };
            page(
                StatusCode::SERVICE_UNAVAILABLE,
                &survey_page(&survey, &values, FieldErrors::default(), token, Some(banner)),
            )
        }
    }
}

#[derive(Template)]
#[template(path = "public/consultation_sent.html")]
struct SentPage {
    layout: Layout,
    title: String,
    slug: String,
    reference: String,
    /// The same form was sent before: nothing new was stored.
    duplicate: bool,
}

// ---------------------------------------------------------------------------
// GET /consultations/{slug}/you-said-we-did

struct LinkView {
    href: String,
    text: String,
}

/// A link to a record of the plan in force: its local area's page when it sits in a
/// local plan, the plan page otherwise. `None` when the record is not in that version.
fn plan_link(plan: &Plan, id: ItemId) -> Option<LinkView> {
    let item = plan.item(id)?;
    let text = match &item.record {
        Record::Objective(o) if !o.reference.is_empty() => format!("{} {}", o.reference, o.title),
        other => other.title().to_owned(),
    };
    let mut area = None;
    let mut at = Some(item);
    // Parents form a tree (the store validated the plan), so this walk ends; the bound
    // guards against a corrupt plan all the same.
    for _ in 0..plan.items.len() {
        let Some(current) = at else { break };
        if let Record::LocalPlan(local) = &current.record {
            area = Some(local.area.clone());
            break;
        }
        at = current.parent.and_then(|p| plan.item(p));
    }
    let href = match area {
        Some(code) => format!("/plan/areas/{code}#{}", anchor(id)),
        None => format!("/plan#{}", anchor(id)),
    };
    Some(LinkView { href, text })
}

struct ThemeView {
    label: String,
    description: String,
    size: i64,
    share: String,
    shaped: bool,
    not_changed: bool,
    /// The "we did" note or the reason the plan did not change.
    outcome: String,
    links: Vec<LinkView>,
    quotes: Vec<String>,
}

struct QuestionThemes {
    number: u32,
    text: String,
    answered: i64,
    themes: Vec<ThemeView>,
    /// Whether a final set of themes exists for the question.
    themed: bool,
}

struct CountRow {
    label: String,
    count: i64,
}

#[derive(Template)]
#[template(path = "public/consultation_you_said.html")]
struct YouSaidPage {
    layout: Layout,
    title: String,
    slug: String,
    dates: String,
    published: String,
    total: i64,
    /// The exercise's note (the demo marks its illustrative content here).
    note: String,
    by_channel: Vec<CountRow>,
    by_type: Vec<CountRow>,
    questions: Vec<QuestionThemes>,
}

fn share(size: i64, of: i64) -> String {
    if of <= 0 { String::new() } else { format!("{}%", (size * 100 + of / 2) / of) }
}

fn theme_view(theme: &Theme, answered: i64, quotes: &[PublishedQuote], plan: Option<&Plan>) -> ThemeView {
    let (shaped, not_changed, outcome, links) = match &theme.outcome {
        Some(ThemeOutcome::Shaped { items, note }) => {
            let links: Vec<LinkView> =
                plan.map(|p| items.iter().filter_map(|id| plan_link(p, *id)).collect()).unwrap_or_default();
            (true, false, note.clone(), links)
        }
        Some(ThemeOutcome::NotChanged { reason }) => (false, true, reason.clone(), Vec::new()),
        None => (false, false, String::new(), Vec::new()),
    };
    let mut theme_quotes: Vec<&PublishedQuote> =
        quotes.iter().filter(|q| q.theme == theme.id && !q.withdrawn).collect();
    theme_quotes.sort_by_key(|q| q.position);
    ThemeView {
        label: theme.label.clone(),
        description: theme.description.clone(),
        size: theme.size,
        share: share(theme.size, answered),
        shaped,
        not_changed,
        outcome,
        links,
        quotes: theme_quotes.into_iter().map(|q| q.text.clone()).collect(),
    }
}

fn count_rows(rows: Vec<(String, i64)>, label: impl Fn(&str) -> Option<&'static str>) -> Vec<CountRow> {
    rows.into_iter()
        .map(|(value, count)| CountRow {
            label: if value.is_empty() {
                String::from("Not given")
            } else {
                label(&value).map(str::to_owned).unwrap_or(value)
            },
            count,
        })
        .collect()
}

/// The plan version in force on the public site, if any was issued.
async fn public_plan(store: &Store) -> Result<Option<Plan>, StoreError> {
    let Some(public) = find_public_plan(store).await? else { return Ok(None) };
    let Some(current) = public.current() else { return Ok(None) };
    Ok(load_public_version(store, &public, current.number).await?.map(|v| v.plan))
}

async fn you_said(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let store = &state.store;
    let exercise = public_exercise(store, &slug).await?.ok_or(PageError::NotFound)?;
    let Some(published_at) = exercise.published_at else { return Err(PageError::NotFound) };
    let quotes = store.published_quotes(exercise.id).await?;
    let plan = public_plan(store).await?;
    let mut questions = Vec::new();
    for question in store.questions(exercise.id).await? {
        if question.content.kind != QuestionKind::Open {
            continue;
        }
        let mut view = QuestionThemes {
            number: question.content.number,
            text: question.content.text.clone(),
            answered: 0,
            themes: Vec::new(),
            themed: false,
        };
        let latest_final = store.theme_sets(question.id).await?.into_iter().find(|s| s.state == ThemeSetState::Final);
        if let Some(set) = latest_final
            && let Some((_, themes)) = store.theme_set(set.id).await?
        {
            // The breakdown's column totals count the responses that answered the
            // question, without reading a single answer.
            let (_, totals) = store.theme_breakdown(set.id, Dimension::Channel).await?;
            view.answered = totals.iter().map(|(_, n)| n).sum();
            view.themes = themes.iter().map(|t| theme_view(t, view.answered, &quotes, plan.as_ref())).collect();
            view.themed = true;
        }
        questions.push(view);
    }
    let by_channel = count_rows(store.response_counts(exercise.id, Dimension::Channel).await?, |v| {
        Channel::parse(v).map(|c| c.label())
    });
    let by_type = count_rows(store.response_counts(exercise.id, Dimension::RespondentType).await?, |v| {
        RespondentType::parse(v).map(|t| t.label())
    });
    let published: NaiveDate = published_at.date_naive();
    render(&YouSaidPage {
        layout: Layout::new(format!("You said, we did: {}", exercise.content.title), user.as_ref(), Nav::Consultations),
        title: exercise.content.title.clone(),
        slug: exercise.content.slug.clone(),
        dates: dates(&exercise),
        published: long_date(published),
        total: by_channel.iter().map(|r| r.count).sum(),
        note: exercise.content.note.clone(),
        by_channel,
        by_type,
        questions,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_the_initials_of_the_web_address_and_six_digits() {
        assert_eq!(response_reference("call-for-evidence-2021", 123), "CFE-000123");
        assert_eq!(response_reference("2021", 7), "R-000007");
        assert_eq!(response_reference("youth-survey", 1_234_567), "YS-1234567");
    }

    #[test]
    fn only_a_survey_form_path_has_a_survey_slug() {
        assert_eq!(survey_slug("/consultations/call-for-evidence-2021/respond"), Some("call-for-evidence-2021"));
        assert_eq!(survey_slug("/consultations//respond"), None);
        assert_eq!(survey_slug("/consultations/a/b/respond"), None);
        assert_eq!(survey_slug("/consultations/call-for-evidence-2021"), None);
        assert_eq!(survey_slug("/staff/consultations/x/respond"), None);
    }

    #[test]
    fn text_is_split_into_paragraphs_at_blank_lines() {
        assert_eq!(paragraphs("One\r\nline.\r\n\r\nTwo.\n\n\n"), ["One line.", "Two."]);
    }

    #[test]
    fn shares_are_whole_percentages_rounded_half_up() {
        assert_eq!(share(1, 3), "33%");
        assert_eq!(share(1, 8), "13%");
        assert_eq!(share(5, 0), "");
    }
}
