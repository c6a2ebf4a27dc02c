//! The staff pages of the themes found in a consultation's free-text answers: running
//! the analysis on one question (`pcplan_themes::analyse`, on a blocking thread), each
//! version of a question's themes with its breakdowns by respondent type, area and
//! channel, the review of a draft version (rename, merge, split, delete themes, move
//! responses in and out, answers no theme holds), making a version final and starting a
//! new draft from it, and the link from each theme to the plan records it shaped, or the
//! reason it did not change the plan.
//!
//! Every assignment a person makes is stored as theirs (the store records the user) and
//! shown as "moved by a person" beside the machine's scores. The store refuses changes
//! to a final version; this module shows its words. Viewers read everything; every POST
//! checks the editor role first. It holds no analysis (the themes crate does), no SQL
//! and no rules about outcomes (the domain checks them). Publishing "you said, we did"
//! is not here.

use std::collections::HashMap;
use std::time::Instant;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use pcplan_domain::consultation::{Question, QuestionKind, ThemeOutcome, ThemeSetState};
use pcplan_domain::{ItemId, Plan, QuestionId, RecordKind, ResponseId, ThemeId, ThemeSetId, UserId};
use pcplan_store::{Dimension, Exercise, Theme, ThemeSet};
use pcplan_themes::Options;

use super::consultations::{
    ConfirmPage, PageQuery, QuestionNote, area_label, channel_label, date_time, exercise_of_question, exercise_page,
    exercise_path, load_exercise, method_label, page_number, respondent_label, response_path, set_state, share, trail,
};
use super::forms::{FieldErrors, FormValues, capitalise};
use super::{Crumb, DoneQuery, Refusal, can_edit, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::consultation_work::{flag_sentence, new_theme_set};
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// Members or unthemed answers shown on one page.
const PAGE_SIZE: usize = 100;

/// `/staff/theme-sets/{id}`.
pub fn set_path(id: ThemeSetId) -> String {
    format!("/staff/theme-sets/{id}")
}

/// `/staff/themes/{id}`.
pub fn theme_path(id: ThemeId) -> String {
    format!("/staff/themes/{id}")
}

/// The routes of this module.
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route("/staff/consultations/{id}/questions/{question}/analyse", post(analyse))
        .route("/staff/theme-sets/{id}", get(set))
        .route("/staff/theme-sets/{id}/final", get(confirm_final).post(finalise))
        .route("/staff/theme-sets/{id}/draft", post(new_draft))
        .route("/staff/theme-sets/{id}/discard", get(confirm_discard).post(discard))
        .route("/staff/theme-sets/{id}/other", get(other).post(add_to_theme))
        .route("/staff/themes/{id}", get(theme))
        .route("/staff/themes/{id}/rename", post(rename))
        .route("/staff/themes/{id}/merge", post(merge))
        .route("/staff/themes/{id}/delete", get(confirm_delete).post(delete))
        .route("/staff/themes/{id}/move", post(move_response))
        .route("/staff/themes/{id}/split", post(split))
        .route("/staff/themes/{id}/outcome", post(outcome))
}

// ---- from an analysis to a stored version ----

/// `POST /staff/consultations/{id}/questions/{question}/analyse`: finds themes in the
/// answers and stores them as the question's next draft version.
pub async fn analyse(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, question)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let question: QuestionId = question.parse().map_err(|_| PageError::NotFound)?;
    let q =
        state.store.questions(exercise.id).await?.into_iter().find(|q| q.id == question).ok_or(PageError::NotFound)?;
    let values = FormValues::new(pairs);
    let typed = values.get("themes").trim().to_string();
    let most = Options::default().max_themes;
    let mut note = QuestionNote { question, themes_value: typed.clone(), error: None, message: Vec::new() };
    let themes = match typed.as_str() {
        "" => None,
        raw => match raw.parse::<usize>() {
            Ok(n) if (1..=most).contains(&n) => Some(n),
            _ => {
                note.error = Some(format!("Number of themes must be a whole number from 1 to {most}, or left empty"));
                None
            }
        },
    };
    if q.content.kind != QuestionKind::Open {
        note.error = Some(String::from("Themes are found in the answers to a free-text question only"));
    }
    if note.error.is_some() {
        let page = exercise_page(&state, &user, &exercise, None, Some(note)).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let started = Instant::now();
    // The analysis is CPU work of seconds on a large exercise: it runs off the async workers.
    let model_dir = state.config.embedding_model_dir.as_deref();
    let (analysis, method_note) =
        crate::consultation_work::analyse_answers(&state.store, question, themes, model_dir).await?;
    tracing::info!(
        question.id = %question,
        responses = analysis.responses,
        themes = analysis.themes.len(),
        duration_ms = started.elapsed().as_millis() as u64,
        "theme analysis finished"
    );
    if analysis.themes.is_empty() {
        note.message = analysis.flags.iter().map(flag_sentence).collect();
        if note.message.is_empty() {
            note.message.push(String::from("No themes were found in the answers"));
        }
        return render(&exercise_page(&state, &user, &exercise, None, Some(note)).await?);
    }
    let new = new_theme_set(&analysis, &method_note).map_err(PageError::Internal)?;
    match state.store.save_theme_set(&user.actor(), question, &new).await {
        Ok(set) => Ok(see_other(&format!("{}?done=found", set_path(set.id)))),
        Err(error) => {
            note.error = Some(match refusal(error)? {
                Refusal::Message(m) => m,
                Refusal::Problems(p) => p.into_iter().map(|p| sentence(&p.problem)).collect::<Vec<_>>().join("; "),
            });
            let page = exercise_page(&state, &user, &exercise, None, Some(note)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ---- finding a version and a theme ----

/// A version of a question's themes with everything around it.
struct Located {
    exercise: Exercise,
    question: Question,
    set: ThemeSet,
    themes: Vec<Theme>,
}

fn parse<T: std::str::FromStr>(raw: &str) -> Result<T, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn locate_set(state: &AppState, id: ThemeSetId) -> Result<Located, PageError> {
    let (set, themes) = state.store.theme_set(id).await?.ok_or(PageError::NotFound)?;
    let (exercise, question) = exercise_of_question(state, set.question_id).await?;
    Ok(Located { exercise, question, set, themes })
}

/// The version holding a theme, with the theme.
async fn locate_theme(state: &AppState, id: ThemeId) -> Result<(Located, Theme), PageError> {
    let set = state.store.theme_set_of_theme(id).await?.ok_or(PageError::NotFound)?;
    let located = locate_set(state, set).await?;
    let theme = located.themes.iter().find(|t| t.id == id).cloned().ok_or(PageError::NotFound)?;
    Ok((located, theme))
}

fn set_crumbs(located: &Located) -> Vec<Crumb> {
    trail(Some(&located.exercise))
}

fn version_heading(located: &Located) -> String {
    format!("Themes of question {}: version {}", located.question.content.number, located.set.version)
}

fn message_of(error: pcplan_store::StoreError) -> Result<String, PageError> {
    Ok(match refusal(error)? {
        Refusal::Message(m) => m,
        Refusal::Problems(p) => p.into_iter().map(|p| sentence(&p.problem)).collect::<Vec<_>>().join("; "),
    })
}

// ---- one version ----

/// A representative answer the machine chose.
pub struct QuoteView {
    pub reference: i64,
    pub href: String,
    pub text: String,
}

/// One theme on its version's page, with the review forms of a draft.
pub struct ThemeCard {
    pub position: i64,
    pub anchor: String,
    pub href: String,
    pub label: String,
    pub description: String,
    pub size: i64,
    pub by_hand: i64,
    pub key_phrases: String,
    pub quotes: Vec<QuoteView>,
    pub outcome: Option<String>,
    pub rename_action: String,
    pub merge_action: String,
    pub delete_href: String,
    pub label_value: String,
    pub description_value: String,
    pub rename_error: Option<String>,
    /// The other themes of the version, as (id, label).
    pub merge_options: Vec<(String, String)>,
    pub merge_error: Option<String>,
    /// The review forms start open when one of them was refused.
    pub open: bool,
}

/// A table of each theme's responses by one dimension.
pub struct BreakdownTable {
    pub caption: String,
    /// (category, respondents in it who answered the question).
    pub columns: Vec<(String, i64)>,
    pub rows: Vec<BreakdownRow>,
}

/// A theme's row: (count, share of the column) per column.
pub struct BreakdownRow {
    pub label: String,
    pub cells: Vec<(i64, String)>,
}

#[derive(Template)]
#[template(path = "staff/theme_set.html")]
pub struct SetPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub caption: String,
    pub heading: String,
    pub question: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub is_draft: bool,
    pub facts: Vec<(String, String)>,
    pub flags: Vec<String>,
    pub note: String,
    pub themes: Vec<ThemeCard>,
    pub other: usize,
    pub other_href: String,
    pub breakdowns: Vec<BreakdownTable>,
    pub base: String,
    pub exercise_href: String,
    pub editable: bool,
}

/// A refused rename or merge, to show beside the theme's form.
struct CardNote {
    theme: ThemeId,
    rename: bool,
    message: String,
    label: String,
    description: String,
}

async fn set_page(
    state: &AppState,
    user: &CurrentUser,
    located: &Located,
    notice: Option<String>,
    card_note: Option<CardNote>,
) -> Result<SetPage, PageError> {
    let set = &located.set;
    let question = &located.question;
    let body = state.store.body(located.exercise.body_id).await?;
    let is_draft = set.state == ThemeSetState::Draft;
    let mut errors = FieldErrors::default();
    let mut cards = Vec::with_capacity(located.themes.len());
    for theme in &located.themes {
        let mut quotes = Vec::new();
        for id in theme.quotes.iter().take(3) {
            if let Some(record) = state.store.response(*id).await? {
                let text = record.answers.get(&question.id).map(|a| a.display()).unwrap_or_default();
                quotes.push(QuoteView { reference: record.reference, href: response_path(*id), text });
            }
        }
        let note = card_note.as_ref().filter(|n| n.theme == theme.id);
        let (rename_error, merge_error) = match note {
            Some(n) if n.rename => (Some(n.message.clone()), None),
            Some(n) => (None, Some(n.message.clone())),
            None => (None, None),
        };
        let anchor = format!("theme-{}", theme.position);
        if let Some(n) = note {
            // A draft's field takes the link; a final version has no form, so its card does.
            let target = match (is_draft, n.rename) {
                (true, true) => format!("label-{}", theme.position),
                (true, false) => format!("from-{}", theme.position),
                (false, _) => anchor.clone(),
            };
            errors.add_at(&target, &target, n.message.clone());
        }
        cards.push(ThemeCard {
            position: theme.position,
            href: theme_path(theme.id),
            label: theme.label.clone(),
            description: theme.description.clone(),
            size: theme.size,
            by_hand: theme.by_hand,
            key_phrases: theme.key_phrases.join(", "),
            quotes,
            outcome: theme.outcome.as_ref().map(|o| match o {
                ThemeOutcome::Shaped { items, .. } => format!("Shaped {} part(s) of the plan", items.len()),
                ThemeOutcome::NotChanged { .. } => String::from("Did not change the plan"),
            }),
            rename_action: format!("{}/rename", theme_path(theme.id)),
            merge_action: format!("{}/merge", theme_path(theme.id)),
            delete_href: format!("{}/delete", theme_path(theme.id)),
            label_value: note.filter(|n| n.rename).map(|n| n.label.clone()).unwrap_or_else(|| theme.label.clone()),
            description_value: note
                .filter(|n| n.rename)
                .map(|n| n.description.clone())
                .unwrap_or_else(|| theme.description.clone()),
            rename_error,
            merge_options: located
                .themes
                .iter()
                .filter(|t| t.id != theme.id)
                .map(|t| (t.id.to_string(), format!("{}. {}", t.position, t.label)))
                .collect(),
            merge_error,
            open: note.is_some(),
            anchor,
        });
    }

    let mut breakdowns = Vec::new();
    for (dimension, caption) in [
        (Dimension::RespondentType, "by respondent type"),
        (Dimension::Area, "by local authority area"),
        (Dimension::Channel, "by channel"),
    ] {
        let (rows, totals) = state.store.theme_breakdown(set.id, dimension).await?;
        let label = |code: &str| match dimension {
            Dimension::Channel => channel_label(code),
            Dimension::RespondentType => respondent_label(code),
            Dimension::Area => area_label(body.as_ref(), code),
        };
        let counts: HashMap<(ThemeId, &str), i64> = rows.iter().map(|(t, c, n)| ((*t, c.as_str()), *n)).collect();
        breakdowns.push(BreakdownTable {
            caption: format!("Responses in each theme {caption}"),
            rows: located
                .themes
                .iter()
                .map(|theme| BreakdownRow {
                    label: format!("{}. {}", theme.position, theme.label),
                    cells: totals
                        .iter()
                        .map(|(code, total)| {
                            let n = counts.get(&(theme.id, code.as_str())).copied().unwrap_or(0);
                            (n, share(n, *total))
                        })
                        .collect(),
                })
                .collect(),
            columns: totals.iter().map(|(code, total)| (label(code), *total)).collect(),
        });
    }

    let (state_label, tag) = set_state(set.state);
    let info = &set.info;
    let mut facts = vec![
        (String::from("State"), state_label.to_string()),
        (String::from("Made by"), format!("{}, {}", set.created_by, date_time(set.created_at))),
        (String::from("How"), method_label(&info.method)),
    ];
    if let Some(based_on) = set.based_on {
        facts.push((String::from("Based on"), format!("Version {based_on}")));
    }
    if let Some(at) = set.finalised_at {
        facts.push((String::from("Made final"), date_time(at)));
    }
    facts.push((String::from("Answers analysed"), info.responses.to_string()));
    facts.push((String::from("Groups of near-identical answers"), info.duplicate_groups.to_string()));
    facts.push((String::from("Campaigns (5 or more copies)"), info.campaigns.to_string()));
    facts.push((String::from("Seed"), info.seed.to_string()));
    let other = state.store.unthemed(set.id).await?.len();
    Ok(SetPage {
        layout: user.layout(version_heading(located)).with_errors(!errors.is_empty()),
        crumbs: set_crumbs(located),
        notice,
        errors,
        caption: located.exercise.content.title.clone(),
        heading: version_heading(located),
        question: question.content.text.clone(),
        state: state_label,
        tag,
        is_draft,
        facts,
        flags: info.flags.clone(),
        note: info.note.clone(),
        themes: cards,
        other,
        other_href: format!("{}/other", set_path(set.id)),
        breakdowns,
        base: set_path(set.id),
        exercise_href: exercise_path(located.exercise.id),
        editable: can_edit(&user.user),
    })
}

/// `GET /staff/theme-sets/{id}`.
pub async fn set(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let located = locate_set(&state, parse(&id)?).await?;
    let notice = match done.done.as_deref() {
        Some("found") => Some("Themes found and saved as a draft version"),
        Some("renamed") => Some("Theme renamed"),
        Some("merged") => Some("Themes merged"),
        Some("split") => Some("Theme split: the responses chosen are in the new theme"),
        Some("deleted") => Some("Theme deleted; its responses keep their other themes or are in Other"),
        Some("final") => Some("This version is final"),
        Some("draft") => Some("New draft version started"),
        _ => None,
    };
    render(&set_page(&state, &user, &located, notice.map(String::from), None).await?)
}

/// `POST /staff/themes/{id}/rename`: a draft theme's name and description.
pub async fn rename(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let (label, description) = (values.get("label").to_string(), values.get("description").to_string());
    match state.store.rename_theme(&user.actor(), theme.id, &label, &description).await {
        Ok(()) => Ok(see_other(&format!("{}?done=renamed#theme-{}", set_path(located.set.id), theme.position))),
        Err(error) => {
            let note = CardNote { theme: theme.id, rename: true, message: message_of(error)?, label, description };
            let page = set_page(&state, &user, &located, None, Some(note)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/themes/{id}/merge`: the theme chosen (`from`) joins this one.
pub async fn merge(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let from = values.get("from").parse::<ThemeId>().ok().filter(|f| located.themes.iter().any(|t| t.id == *f));
    let result = match from {
        Some(from) => state.store.merge_themes(&user.actor(), theme.id, from).await.map_err(message_of),
        None => Err(Ok(String::from("Select the theme to merge into this one"))),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{}?done=merged", set_path(located.set.id)))),
        Err(message) => {
            let note = CardNote {
                theme: theme.id,
                rename: false,
                message: message?,
                label: String::new(),
                description: String::new(),
            };
            let page = set_page(&state, &user, &located, None, Some(note)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

fn delete_page(user: &CurrentUser, located: &Located, theme: &Theme, error: Option<String>) -> ConfirmPage {
    ConfirmPage {
        layout: user.layout(format!("Delete theme {}", theme.label)).with_errors(error.is_some()),
        crumbs: set_crumbs(located),
        caption: version_heading(located),
        heading: format!("Delete the theme \u{201c}{}\u{201d}?", theme.label),
        paragraphs: vec![format!(
            "Its {} response(s) keep any other theme they are in; the rest go to Other, where they can be added to \
             another theme.",
            theme.size
        )],
        error,
        action: format!("{}/delete", theme_path(theme.id)),
        cancel: set_path(located.set.id),
        button: String::from("Delete the theme"),
        warning: true,
        editable: can_edit(&user.user),
    }
}

/// `GET /staff/themes/{id}/delete`: the confirmation.
pub async fn confirm_delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    render(&delete_page(&user, &located, &theme, None))
}

/// `POST /staff/themes/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    match state.store.delete_theme(&user.actor(), theme.id).await {
        Ok(()) => Ok(see_other(&format!("{}?done=deleted", set_path(located.set.id)))),
        Err(error) => {
            let page = delete_page(&user, &located, &theme, Some(message_of(error)?));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

fn final_page(user: &CurrentUser, located: &Located, error: Option<String>) -> ConfirmPage {
    ConfirmPage {
        layout: user.layout(format!("Make version {} final", located.set.version)).with_errors(error.is_some()),
        crumbs: set_crumbs(located),
        caption: located.exercise.content.title.clone(),
        heading: format!("Make version {} of these themes final?", located.set.version),
        paragraphs: vec![String::from(
            "A final version never changes. To review it again, start a new draft from it; the final version stays as \
             it is.",
        )],
        error,
        action: format!("{}/final", set_path(located.set.id)),
        cancel: set_path(located.set.id),
        button: String::from("Make final"),
        warning: false,
        editable: can_edit(&user.user),
    }
}

/// `GET /staff/theme-sets/{id}/final`: the confirmation.
pub async fn confirm_final(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    render(&final_page(&user, &located, None))
}

/// `POST /staff/theme-sets/{id}/final`.
pub async fn finalise(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    match state.store.finalise_theme_set(&user.actor(), located.set.id).await {
        Ok(()) => Ok(see_other(&format!("{}?done=final", set_path(located.set.id)))),
        Err(error) => {
            let page = final_page(&user, &located, Some(message_of(error)?));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/theme-sets/{id}/draft`: a new draft copied from this version.
pub async fn new_draft(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    let draft = state.store.new_draft(&user.actor(), located.set.id).await?;
    Ok(see_other(&format!("{}?done=draft", set_path(draft.id))))
}

fn discard_page(user: &CurrentUser, located: &Located, error: Option<String>) -> ConfirmPage {
    ConfirmPage {
        layout: user.layout(format!("Discard version {}", located.set.version)).with_errors(error.is_some()),
        crumbs: set_crumbs(located),
        caption: located.exercise.content.title.clone(),
        heading: format!("Discard draft version {} of these themes?", located.set.version),
        paragraphs: vec![String::from(
            "The draft, its themes, the changes made to it and any links to the plan recorded on its themes are \
             removed. The audit log keeps a record that it existed.",
        )],
        error,
        action: format!("{}/discard", set_path(located.set.id)),
        cancel: set_path(located.set.id),
        button: String::from("Discard the draft"),
        warning: true,
        editable: can_edit(&user.user),
    }
}

/// `GET /staff/theme-sets/{id}/discard`: the confirmation.
pub async fn confirm_discard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    render(&discard_page(&user, &located, None))
}

/// `POST /staff/theme-sets/{id}/discard`.
pub async fn discard(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    match state.store.discard_draft(&user.actor(), located.set.id).await {
        Ok(()) => Ok(see_other(&format!("{}?done=discarded", exercise_path(located.exercise.id)))),
        Err(error) => {
            let page = discard_page(&user, &located, Some(message_of(error)?));
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ---- the answers no theme holds ----

/// An answer in Other.
pub struct OtherRow {
    pub reference: i64,
    pub href: String,
    pub text: String,
    pub response: String,
    pub select_id: String,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/theme_other.html")]
pub struct OtherPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub caption: String,
    pub heading: String,
    pub total: usize,
    pub rows: Vec<OtherRow>,
    pub themes: Vec<(String, String)>,
    pub is_draft: bool,
    pub editable: bool,
    pub action: String,
    pub set_href: String,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
}

/// One page of `items`, `page` from 1, with the number of pages.
fn one_page<T>(items: Vec<T>, page: usize) -> (Vec<T>, usize) {
    let pages = items.len().div_ceil(PAGE_SIZE).max(1);
    let page = page.clamp(1, pages);
    (items.into_iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).collect(), pages)
}

async fn other_page(
    state: &AppState,
    user: &CurrentUser,
    located: &Located,
    query: &PageQuery,
    notice: Option<String>,
    refused: Option<(ResponseId, String)>,
) -> Result<OtherPage, PageError> {
    let all = state.store.unthemed(located.set.id).await?;
    let total = all.len();
    let wanted = page_number(query, total.div_ceil(PAGE_SIZE) as i64) as usize;
    let (answers, pages) = one_page(all, wanted);
    let page = wanted.clamp(1, pages);
    let mut errors = FieldErrors::default();
    let rows = answers
        .into_iter()
        .map(|a| {
            let select_id = format!("to-{}", a.reference);
            let error = refused.as_ref().filter(|(r, _)| *r == a.response).map(|(_, m)| m.clone());
            if let Some(message) = &error {
                errors.add(&select_id, message.clone());
            }
            OtherRow {
                reference: a.reference,
                href: response_path(a.response),
                text: a.text,
                response: a.response.to_string(),
                select_id,
                error,
            }
        })
        .collect();
    let base = format!("{}/other", set_path(located.set.id));
    Ok(OtherPage {
        layout: user.layout(format!("Other: {}", version_heading(located))).with_errors(!errors.is_empty()),
        crumbs: set_crumbs(located),
        notice,
        errors,
        caption: version_heading(located),
        heading: String::from("Answers in no theme (Other)"),
        total,
        rows,
        themes: located.themes.iter().map(|t| (t.id.to_string(), format!("{}. {}", t.position, t.label))).collect(),
        is_draft: located.set.state == ThemeSetState::Draft,
        editable: can_edit(&user.user),
        action: base.clone(),
        set_href: set_path(located.set.id),
        page,
        pages,
        previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
        next: (page < pages).then(|| format!("{base}?page={}", page + 1)),
    })
}

/// `GET /staff/theme-sets/{id}/other?page=`.
pub async fn other(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let located = locate_set(&state, parse(&id)?).await?;
    let notice = (done.done.as_deref() == Some("added")).then(|| String::from("Response added to the theme"));
    render(&other_page(&state, &user, &located, &query, notice, None).await?)
}

/// `POST /staff/theme-sets/{id}/other`: puts an answer from Other into a theme.
pub async fn add_to_theme(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let located = locate_set(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let response: ResponseId = parse(values.get("response"))?;
    let to = values.get("to").parse::<ThemeId>().ok();
    let result = match to {
        Some(to) => {
            state.store.move_response(&user.actor(), located.set.id, response, None, Some(to)).await.map_err(message_of)
        }
        None => Err(Ok(String::from("Select the theme to add the response to"))),
    };
    match result {
        Ok(()) => Ok(see_other(&format!("{}/other?done=added", set_path(located.set.id)))),
        Err(message) => {
            let query = PageQuery { page: values.0.iter().find(|(n, _)| n == "page").map(|(_, v)| v.clone()) };
            let page = other_page(&state, &user, &located, &query, None, Some((response, message?))).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ---- one theme ----

/// A response in the theme.
pub struct MemberRow {
    pub reference: i64,
    pub href: String,
    pub text: String,
    /// `Machine, score 0.82` or `Moved by a person (Jo Bloggs)`.
    pub how: String,
    pub by_person: bool,
    pub consent: &'static str,
    pub response: String,
    pub checkbox_id: String,
    pub select_id: String,
    pub error: Option<String>,
}

/// A plan record a theme can be linked to.
pub struct PlanChoice {
    pub value: String,
    pub label: String,
    pub checked: bool,
    pub id: String,
}

#[derive(Template)]
#[template(path = "staff/theme.html")]
pub struct ThemePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub caption: String,
    pub heading: String,
    pub description: String,
    pub key_phrases: String,
    pub size: i64,
    pub by_hand: i64,
    pub is_draft: bool,
    pub editable: bool,
    pub base: String,
    pub set_href: String,
    pub members: Vec<MemberRow>,
    /// The other themes and Other, as (value, label).
    pub move_options: Vec<(String, String)>,
    pub split_label: String,
    pub page: usize,
    pub pages: usize,
    pub previous: Option<String>,
    pub next: Option<String>,
    /// What is recorded now, in words.
    pub outcome_now: Vec<String>,
    pub outcome_kind: String,
    pub plan_title: String,
    pub items: Vec<PlanChoice>,
    pub note_value: String,
    pub reason_value: String,
}

/// What a refused form on the theme page brings back.
#[derive(Default)]
struct ThemeNote {
    errors: FieldErrors,
    moved: Option<(ResponseId, String)>,
    values: Option<FormValues>,
}

/// The plan a theme's outcome links to: the exercise's plan, or else the body's plan in
/// force today (the newest when none is).
async fn outcome_plan(state: &AppState, exercise: &Exercise) -> Result<Option<Plan>, PageError> {
    if let Some(id) = exercise.content.plan {
        return Ok(state.store.plan(id).await?);
    }
    let today = crate::today();
    let plans: Vec<_> = state.store.plans().await?.into_iter().filter(|p| p.body_id == exercise.body_id).collect();
    let chosen = plans
        .iter()
        .find(|p| p.starts_on <= today && today <= p.ends_on)
        .or_else(|| plans.iter().max_by_key(|p| p.starts_on));
    match chosen {
        Some(p) => Ok(state.store.plan(p.id).await?),
        None => Ok(None),
    }
}

/// The objectives, priorities and commitments of a plan, by kind then plan order.
fn plan_records(plan: &Plan) -> Vec<(ItemId, String)> {
    [RecordKind::Objective, RecordKind::Priority, RecordKind::Commitment]
        .into_iter()
        .flat_map(|kind| {
            plan.of_kind(kind)
                .map(move |item| (item.id, format!("{}: {}", capitalise(kind.label()), item.record.title())))
        })
        .collect()
}

async fn theme_page(
    state: &AppState,
    user: &CurrentUser,
    located: &Located,
    theme: &Theme,
    query: &PageQuery,
    notice: Option<String>,
    note: ThemeNote,
) -> Result<ThemePage, PageError> {
    let people: HashMap<UserId, String> =
        state.store.users().await?.into_iter().map(|u| (u.id, u.display_name)).collect();
    let all = state.store.theme_members(theme.id).await?;
    let wanted = page_number(query, all.len().div_ceil(PAGE_SIZE) as i64) as usize;
    let (members, pages) = one_page(all, wanted);
    let page = wanted.clamp(1, pages);
    let mut errors = note.errors;
    let members = members
        .into_iter()
        .map(|m| {
            let how = match (m.score, m.assigned_by) {
                (_, Some(person)) => format!(
                    "Moved by a person ({})",
                    people.get(&person).cloned().unwrap_or_else(|| String::from("a former user"))
                ),
                (Some(score), None) => format!("Machine, score {score:.2}"),
                (None, None) => String::from("Machine"),
            };
            let select_id = format!("to-{}", m.reference);
            let error = note.moved.as_ref().filter(|(r, _)| *r == m.response).map(|(_, message)| message.clone());
            if let Some(message) = &error {
                errors.add(&select_id, message.clone());
            }
            MemberRow {
                reference: m.reference,
                href: response_path(m.response),
                text: m.text,
                by_person: m.assigned_by.is_some(),
                how,
                consent: match m.publish_consent {
                    Some(true) => "May be quoted",
                    Some(false) => "Not to be quoted",
                    None => "Not asked",
                },
                response: m.response.to_string(),
                checkbox_id: format!("response-{}", m.reference),
                select_id,
                error,
            }
        })
        .collect();

    let plan = outcome_plan(state, &located.exercise).await?;
    let records = plan.as_ref().map(plan_records).unwrap_or_default();
    let titles: HashMap<ItemId, &str> = records.iter().map(|(id, label)| (*id, label.as_str())).collect();
    let mut outcome_now = Vec::new();
    let mut values = FormValues::default();
    match &theme.outcome {
        Some(ThemeOutcome::Shaped { items, note }) => {
            outcome_now.push(format!("It shaped the plan. We did: {note}"));
            outcome_now
                .extend(items.iter().map(|i| titles.get(i).map(|t| t.to_string()).unwrap_or_else(|| i.to_string())));
            values.push("outcome", "shaped");
            values.push("note", note);
            for item in items {
                values.push("items", item.to_string());
            }
        }
        Some(ThemeOutcome::NotChanged { reason }) => {
            outcome_now.push(format!("It did not change the plan, because: {reason}"));
            values.push("outcome", "not_changed");
            values.push("reason", reason);
        }
        None => {}
    }
    let values = note.values.unwrap_or(values);
    let chosen = values.all("items");
    let items = records
        .iter()
        .enumerate()
        .map(|(i, (id, label))| PlanChoice {
            value: id.to_string(),
            label: label.clone(),
            checked: chosen.contains(&id.to_string().as_str()),
            id: if i == 0 { String::from("items") } else { format!("items-{}", i + 1) },
        })
        .collect();
    let base = theme_path(theme.id);
    let mut move_options: Vec<(String, String)> = located
        .themes
        .iter()
        .filter(|t| t.id != theme.id)
        .map(|t| (t.id.to_string(), format!("{}. {}", t.position, t.label)))
        .collect();
    move_options.push((String::new(), String::from("None (Other)")));
    let mut crumbs = set_crumbs(located);
    crumbs.push(Crumb::new(format!("Version {}", located.set.version), set_path(located.set.id)));
    Ok(ThemePage {
        layout: user.layout(format!("Theme: {}", theme.label)).with_errors(!errors.is_empty()),
        crumbs,
        notice,
        errors,
        caption: version_heading(located),
        heading: format!("{}. {}", theme.position, theme.label),
        description: theme.description.clone(),
        key_phrases: theme.key_phrases.join(", "),
        size: theme.size,
        by_hand: theme.by_hand,
        is_draft: located.set.state == ThemeSetState::Draft,
        editable: can_edit(&user.user),
        set_href: set_path(located.set.id),
        members,
        move_options,
        split_label: values.get("label").to_string(),
        page,
        pages,
        previous: (page > 1).then(|| format!("{base}?page={}", page - 1)),
        next: (page < pages).then(|| format!("{base}?page={}", page + 1)),
        outcome_now,
        outcome_kind: values.get("outcome").to_string(),
        plan_title: plan.map(|p| p.title).unwrap_or_default(),
        items,
        note_value: values.get("note").to_string(),
        reason_value: values.get("reason").to_string(),
        base,
    })
}

/// `GET /staff/themes/{id}?page=`.
pub async fn theme(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let notice = match done.done.as_deref() {
        Some("moved") => Some("Response moved"),
        Some("outcome") => Some("What the theme did to the plan is saved"),
        _ => None,
    };
    let page = theme_page(&state, &user, &located, &theme, &query, notice.map(String::from), ThemeNote::default());
    render(&page.await?)
}

/// `POST /staff/themes/{id}/move`: a response of this theme to another, or to Other.
pub async fn move_response(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let response: ResponseId = parse(values.get("response"))?;
    let to = match values.get("to").trim() {
        "" => None,
        raw => Some(parse::<ThemeId>(raw)?),
    };
    match state.store.move_response(&user.actor(), located.set.id, response, Some(theme.id), to).await {
        Ok(()) => Ok(see_other(&format!("{}?done=moved", theme_path(theme.id)))),
        Err(error) => {
            let note = ThemeNote { moved: Some((response, message_of(error)?)), ..ThemeNote::default() };
            let page = theme_page(&state, &user, &located, &theme, &PageQuery { page: None }, None, note).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/themes/{id}/split`: the responses ticked become a new theme.
pub async fn split(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let responses: Vec<ResponseId> = values.all("responses").into_iter().filter_map(|r| r.parse().ok()).collect();
    match state.store.split_theme(&user.actor(), theme.id, values.get("label"), &responses).await {
        Ok(_) => Ok(see_other(&format!("{}?done=split", set_path(located.set.id)))),
        Err(error) => {
            let mut errors = FieldErrors::default();
            match refusal(error)? {
                Refusal::Message(m) => errors.add("label", m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field = if p.path == "responses" { "responses" } else { "label" };
                        errors.add(field, sentence(&p.problem));
                    }
                }
            }
            let note = ThemeNote { errors, values: Some(values), ..ThemeNote::default() };
            let page = theme_page(&state, &user, &located, &theme, &PageQuery { page: None }, None, note).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// `POST /staff/themes/{id}/outcome`: the plan records the theme shaped, or why it did
/// not change the plan. Allowed on draft and final versions alike: it is what the
/// office did with the themes, not part of them.
pub async fn outcome(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (located, theme) = locate_theme(&state, parse(&id)?).await?;
    let values = FormValues::new(pairs);
    let plan = outcome_plan(&state, &located.exercise).await?;
    let allowed: Vec<ItemId> =
        plan.as_ref().map(plan_records).unwrap_or_default().into_iter().map(|(id, _)| id).collect();
    let mut errors = FieldErrors::default();
    let outcome = match values.get("outcome") {
        "shaped" => {
            let mut items = Vec::new();
            for raw in values.all("items") {
                match raw.parse::<ItemId>() {
                    Ok(item) if !items.contains(&item) => items.push(item),
                    Ok(_) => {}
                    Err(_) => errors.add("items", "Select the parts of the plan from the list"),
                }
            }
            Some(ThemeOutcome::Shaped { items, note: values.get("note").trim().to_string() })
        }
        "not_changed" => Some(ThemeOutcome::NotChanged { reason: values.get("reason").trim().to_string() }),
        _ => {
            errors.add("outcome", "Select whether the theme shaped the plan");
            None
        }
    };
    if let (Some(outcome), true) = (&outcome, errors.is_empty()) {
        match state.store.set_theme_outcome(&user.actor(), theme.id, outcome, &allowed).await {
            Ok(()) => return Ok(see_other(&format!("{}?done=outcome#outcome", theme_path(theme.id)))),
            Err(error) => match refusal(error)? {
                Refusal::Message(m) => errors.add("outcome", m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field = if ["items", "note", "reason"].contains(&p.path.as_str()) {
                            p.path.as_str()
                        } else {
                            "outcome"
                        };
                        errors.add(field, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let note = ThemeNote { errors, values: Some(values), ..ThemeNote::default() };
    let page = theme_page(&state, &user, &located, &theme, &PageQuery { page: None }, None, note).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
