//! The staff page that publishes an exercise's "you said, we did",
//! `/staff/consultations/{id}/publish`: a preview of what the public page will show (for
//! the latest final version of each free-text question's themes, each theme with what
//! it did to the plan, or a warning that nothing is recorded yet, and the quotes that
//! would be published, each redacted, with the record of what was removed), the button
//! that publishes, and once published the quotes as published, each with a button that
//! withdraws it.
//!
//! The quotes are `consultation_work::prepare_quotes`'s: respondents who refused
//! publication are left out and every quote is redacted (`pcplan_domain::redact`) before
//! it is shown here, so the preview never shows an answer's personal data either.
//! Publishing again replaces the quotes with freshly prepared ones, but a quote that was
//! withdrawn stays withdrawn: a respondent who asked to be taken down is not put back by
//! a later refresh. The store audits each publication and withdrawal. Viewers read the
//! page; only editors publish or withdraw. This module does not draw the public page.

use std::collections::HashMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use pcplan_domain::consultation::ThemeOutcome;
use pcplan_domain::{ResponseId, ThemeId};
use pcplan_store::{Exercise, PublishedQuote, StoreError};

use super::consultations::{date_time, exercise_path, load_exercise, response_path, trail};
use super::forms::FormValues;
use super::{Crumb, DoneQuery, Refusal, can_approve, refusal, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::consultation_work::{prepare_quotes, published_sets};
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// `/staff/consultations/{id}/publish`.
pub fn publish_path(id: pcplan_domain::ExerciseId) -> String {
    format!("{}/publish", exercise_path(id))
}

/// The routes of this module.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/consultations/{id}/publish", get(page).post(publish))
        .route("/staff/consultations/{id}/publish/withdraw", post(withdraw))
}

/// A quote as the page shows it.
pub struct QuoteView {
    pub text: String,
    /// `2 redactions: 1 e-mail address, 1 phone number`.
    pub redactions: String,
    pub response_href: String,
    pub theme: String,
    pub response: String,
    pub withdrawn: bool,
}

/// A theme of a published set, with its outcome and quotes.
pub struct ThemeView {
    pub label: String,
    pub size: i64,
    /// "We did", or why the plan did not change; `None` when nothing is recorded.
    pub outcome: Option<String>,
    pub quotes: Vec<QuoteView>,
}

/// A free-text question with its latest final themes.
pub struct QuestionView {
    pub heading: String,
    pub version: i64,
    pub themes: Vec<ThemeView>,
}

#[derive(Template)]
#[template(path = "staff/consultation_publish.html")]
pub struct PublishPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub caption: String,
    pub published_at: Option<String>,
    pub public_href: String,
    pub questions: Vec<QuestionView>,
    pub missing_outcomes: usize,
    pub quote_count: usize,
    /// Quotes as published, theme by theme, withdrawn ones marked.
    pub published: Vec<(String, Vec<QuoteView>)>,
    /// Publishes and withdraws quotes: approvers and administrators.
    pub editable: bool,
    pub action: String,
    pub withdraw_action: String,
    pub exercise_href: String,
}

/// The summary line kept with a quote's redactions.
fn redaction_summary(quote: &PublishedQuote) -> String {
    quote.redactions.get("summary").and_then(|s| s.as_str()).unwrap_or("no redactions").to_string()
}

fn outcome_words(outcome: &ThemeOutcome) -> String {
    match outcome {
        ThemeOutcome::Shaped { items, note } => {
            let parts = if items.len() == 1 { String::from("1 part") } else { format!("{} parts", items.len()) };
            format!("We did: {note} (shaped {parts} of the plan)")
        }
        ThemeOutcome::NotChanged { reason } => format!("The plan did not change: {reason}"),
    }
}

fn quote_view(quote: &PublishedQuote) -> QuoteView {
    QuoteView {
        text: quote.text.clone(),
        redactions: redaction_summary(quote),
        response_href: response_path(quote.response),
        theme: quote.theme.to_string(),
        response: quote.response.to_string(),
        withdrawn: quote.withdrawn,
    }
}

/// The quotes to publish now: freshly prepared, with every quote withdrawn before still
/// withdrawn.
async fn quotes_to_publish(state: &AppState, exercise: &Exercise) -> Result<Vec<PublishedQuote>, StoreError> {
    let withdrawn: Vec<(ThemeId, ResponseId)> = state
        .store
        .published_quotes(exercise.id)
        .await?
        .into_iter()
        .filter(|q| q.withdrawn)
        .map(|q| (q.theme, q.response))
        .collect();
    let mut quotes = prepare_quotes(&state.store, exercise).await?;
    for q in &mut quotes {
        if withdrawn.contains(&(q.theme, q.response)) {
            q.withdrawn = true;
        }
    }
    Ok(quotes)
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    notice: Option<String>,
    error: Option<String>,
) -> Result<PublishPage, PageError> {
    let sets = published_sets(&state.store, exercise).await?;
    let prepared = quotes_to_publish(state, exercise).await?;
    let questions_list = state.store.questions(exercise.id).await?;
    let mut labels: HashMap<ThemeId, String> = HashMap::new();
    let mut questions = Vec::new();
    let mut missing_outcomes = 0;
    for (question_id, set_id) in &sets {
        let Some((set, themes)) = state.store.theme_set(*set_id).await? else { continue };
        let question = questions_list.iter().find(|q| q.id == *question_id);
        let heading = question
            .map(|q| format!("Question {}: {}", q.content.number, q.content.text))
            .unwrap_or_else(|| String::from("A free-text question"));
        let mut views = Vec::new();
        for theme in themes {
            labels.insert(theme.id, theme.label.clone());
            if theme.outcome.is_none() {
                missing_outcomes += 1;
            }
            views.push(ThemeView {
                label: theme.label.clone(),
                size: theme.size,
                outcome: theme.outcome.as_ref().map(outcome_words),
                quotes: prepared.iter().filter(|q| q.theme == theme.id).map(quote_view).collect(),
            });
        }
        questions.push(QuestionView { heading, version: set.version, themes: views });
    }
    let mut published: Vec<(String, Vec<QuoteView>)> = Vec::new();
    if exercise.published_at.is_some() {
        for quote in state.store.published_quotes(exercise.id).await? {
            let label = labels
                .get(&quote.theme)
                .cloned()
                .unwrap_or_else(|| String::from("A theme no longer in a final version"));
            let view = quote_view(&quote);
            match published.iter_mut().find(|(l, _)| *l == label) {
                Some((_, quotes)) => quotes.push(view),
                None => published.push((label, vec![view])),
            }
        }
    }
    Ok(PublishPage {
        layout: user.layout("Publish \u{201c}you said, we did\u{201d}").with_errors(error.is_some()),
        crumbs: trail(Some(exercise)),
        notice,
        error,
        caption: exercise.content.title.clone(),
        published_at: exercise.published_at.map(date_time),
        public_href: format!("/consultations/{}/you-said-we-did", exercise.content.slug),
        questions,
        missing_outcomes,
        quote_count: prepared.iter().filter(|q| !q.withdrawn).count(),
        published,
        editable: can_approve(&user.user),
        action: publish_path(exercise.id),
        withdraw_action: format!("{}/withdraw", publish_path(exercise.id)),
        exercise_href: exercise_path(exercise.id),
    })
}

/// `GET /staff/consultations/{id}/publish`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("published") => Some(String::from("\u{201c}You said, we did\u{201d} published")),
        Some("withdrawn") => Some(String::from("Quote withdrawn; the public page no longer shows it")),
        Some("gone") => Some(String::from("That quote is no longer published; nothing was withdrawn")),
        _ => None,
    };
    render(&view(&state, &user, &exercise, notice, None).await?)
}

/// `POST /staff/consultations/{id}/publish`: publishes (or publishes again) the quotes
/// the preview shows. Refused while no question has a final version of its themes.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let refused = if published_sets(&state.store, &exercise).await?.is_empty() {
        Some(String::from(
            "No question has a final version of its themes yet, so there is nothing to publish; review the themes and \
             make a version final first",
        ))
    } else {
        let quotes = quotes_to_publish(&state, &exercise).await?;
        match state.store.publish_you_said(&user.actor(), exercise.id, &quotes).await {
            Ok(()) => None,
            Err(error) => Some(match refusal(error)? {
                Refusal::Message(m) => m,
                Refusal::Problems(p) => p.into_iter().map(|p| p.problem).collect::<Vec<_>>().join("; "),
            }),
        }
    };
    match refused {
        None => Ok(see_other(&format!("{}?done=published", publish_path(exercise.id)))),
        Some(message) => {
            let page = view(&state, &user, &exercise, None, Some(message)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/consultations/{id}/publish/withdraw` (`theme`, `response`): takes one
/// published quote off the public page. A quote no longer published (replaced by a
/// later publication) is said so, not treated as an error.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let values = FormValues::new(pairs);
    let base = publish_path(exercise.id);
    let ids = values.get("theme").parse::<ThemeId>().ok().zip(values.get("response").parse::<ResponseId>().ok());
    let Some((theme, response)) = ids else { return Ok(see_other(&format!("{base}?done=gone"))) };
    // Only a quote of this exercise: the form names ids, and a hand-made one must not
    // reach another exercise's quotes through this page.
    let ours =
        state.store.published_quotes(exercise.id).await?.iter().any(|q| q.theme == theme && q.response == response);
    if !ours {
        return Ok(see_other(&format!("{base}?done=gone")));
    }
    match state.store.withdraw_quote(&user.actor(), theme, response).await {
        Ok(()) => Ok(see_other(&format!("{base}?done=withdrawn"))),
        Err(StoreError::NotFound { .. }) => Ok(see_other(&format!("{base}?done=gone"))),
        Err(error) => Err(PageError::from(error)),
    }
}
