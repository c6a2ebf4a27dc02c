//! The staff pages under `/staff`: the working draft as a tree, the record forms, the
//! plan header, versions, the summary of variations (with a printable form for Panel
//! papers), the statutory contents check, users and the audit log, and the statutory
//! clock's pages: Panel meetings, each body's clock settings and the bank holidays with
//! their overrides.
//!
//! Every page needs a signed-in user ([`CurrentUser`]; anonymous requests are sent to
//! sign in). Viewers see every page but no form or button that changes anything, and
//! every POST checks the role again, so a hand-made request from a viewer is a 403 and
//! changes nothing. Every form works without JavaScript; a successful POST redirects
//! (303) to the page it came from with a success banner, and a refused one re-renders
//! its form with status 422, an error summary and the values the user typed.
//!
//! This module owns routes, view structs and the mapping of store errors to form
//! errors. It holds no SQL (the store does), no plan rules (the domain does) and no
//! session handling (`auth` does).

pub mod annual_reports;
mod audit;
mod boards;
mod calendar;
mod check;
pub mod compliance;
mod consultation_import;
mod consultation_population;
mod consultation_publish;
mod consultations;
mod dashboard;
mod dates;
mod decisions;
mod diff;
pub mod forms;
mod items;
mod meeting;
mod meetings;
mod obligations;
pub mod outline;
mod performance;
mod plan;
mod process;
mod reminders;
pub mod reports;
mod settings;
mod themes;
pub mod transparency;
mod users;
mod versions;

use axum::Router;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use pcplan_domain::{ItemId, Plan, PlanId, VersionMeta, VersionNumber};
use pcplan_store::{StoreError, User};
use serde::Deserialize;

pub use consultation_import::ImportWork;

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;

/// Every staff route. `/staff/plans/{plan}/items/new` is a fixed segment and wins over
/// `/staff/plans/{plan}/items/{item}`, so no record can be called `new`.
pub fn router() -> Router<AppState> {
    Router::new()
        .route("/staff", get(dashboard::page))
        .route("/staff/compliance", get(compliance::page))
        .route("/staff/compliance/obligations", post(compliance::ensure))
        .route("/staff/owners", post(compliance::set_owner))
        .route(transparency::PATH, get(transparency::page))
        .route(transparency::RECORD_PATH, post(transparency::record))
        .route(transparency::REMOVE_PATH, post(transparency::remove))
        .route("/staff/obligations/{id}", get(obligations::page).post(obligations::complete))
        .route("/staff/plans/{plan}", get(plan::page))
        .route("/staff/plans/{plan}/header", get(plan::header_form).post(plan::save_header))
        .route("/staff/plans/{plan}/items/new", get(items::new_form))
        .route("/staff/plans/{plan}/items", post(items::add))
        .route("/staff/plans/{plan}/items/{item}", get(items::edit_form).post(items::update))
        .route("/staff/plans/{plan}/items/{item}/delete", get(items::confirm_delete).post(items::delete))
        .route("/staff/plans/{plan}/items/{item}/move", post(items::move_item))
        .route("/staff/plans/{plan}/versions", get(versions::list).post(versions::make))
        .route("/staff/plans/{plan}/versions/{number}", get(versions::show))
        .route("/staff/plans/{plan}/diff", get(diff::page))
        .route("/staff/plans/{plan}/diff/print", get(diff::print))
        .route("/staff/plans/{plan}/diff.pdf", get(diff::pdf))
        .route("/staff/plans/{plan}/check", get(check::page))
        .route("/staff/plans/{plan}/processes", get(process::list).post(process::start))
        .route("/staff/plans/{plan}/processes/{process}", get(process::page))
        .route("/staff/plans/{plan}/processes/{process}/steps", post(process::record))
        .route("/staff/users", get(users::list).post(users::add))
        .route("/staff/users/{user}/role", post(users::set_role))
        .route("/staff/users/{user}/active", post(users::set_active))
        .route("/staff/users/{user}/password", post(users::reset_password))
        .route("/staff/users/{user}/email", post(users::set_email))
        .route("/staff/users/{user}/unlock", post(users::unlock))
        .route("/staff/reminders", get(reminders::page))
        .route("/staff/audit", get(audit::page))
        .route("/staff/settings", get(settings::choose))
        .route("/staff/bodies/{body}/settings", get(settings::page).post(settings::save))
        .route("/staff/calendar", get(calendar::page))
        .route("/staff/dates", get(dates::page))
        .route("/staff/calendar/overrides", post(calendar::add))
        .route("/staff/calendar/overrides/{date}/delete", post(calendar::remove))
        .route("/staff/meetings", get(meetings::page).post(meetings::schedule))
        .route("/staff/meetings/{meeting}/papers", post(meetings::papers))
        .route("/staff/meetings/{meeting}", get(meeting::page))
        .route("/staff/meetings/{meeting}/details", post(meeting::details))
        .route("/staff/meetings/{meeting}/agenda", post(meeting::agenda))
        .route("/staff/meetings/{meeting}/attendance", post(meeting::attendance))
        .route("/staff/meetings/{meeting}/attendance/all", post(meeting::attendance_all))
        .route("/staff/meetings/{meeting}/agenda/{number}", get(meeting::item).post(meeting::change_item))
        .route(
            "/staff/meetings/{meeting}/agenda/{number}/remove",
            get(meeting::confirm_remove).post(meeting::remove_item),
        )
        .route("/staff/meetings/{meeting}/minutes", post(meeting::minutes))
        .route(
            "/staff/meetings/{meeting}/uploads",
            // The upload reader counts the file against the paper limit itself.
            post(meeting::upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/staff/papers/{paper}", get(meeting::download))
        .route("/staff/papers/{paper}/publish", post(meeting::publish))
        .route("/staff/papers/{paper}/withdraw", post(meeting::withdraw))
        .route("/staff/boards", get(boards::list).post(boards::add))
        .route("/staff/boards/{board}", get(boards::page).post(boards::save))
        .route("/staff/boards/{board}/members", post(boards::add_member))
        .route("/staff/boards/{board}/meetings", post(boards::schedule))
        .route("/staff/members/{member}", get(boards::member).post(boards::save_member))
        .route("/staff/members/{member}/interests", post(boards::declare))
        .merge(reports_router())
        .merge(annual_reports::router())
        .merge(consultations::router())
        .merge(consultation_import::router())
        .merge(consultation_population::router())
        .merge(consultation_publish::router())
        .merge(themes::router())
        .merge(performance::router())
        .route("/staff/decisions", get(decisions::list).post(decisions::create))
        .route("/staff/decisions/new", get(decisions::new_form))
        .route("/staff/decisions/settings", post(decisions::save_settings))
        .route("/staff/decisions/{id}", get(decisions::page))
        .route("/staff/decisions/{id}/edit", get(decisions::edit_form).post(decisions::update))
        .route("/staff/decisions/{id}/sign", post(decisions::sign))
        .route("/staff/decisions/{id}/withdraw", post(decisions::withdraw))
        .route("/staff/decisions/{id}/corrections", post(decisions::correct))
}

/// The Panel reports' pages (`reports`): the list, each report's editor, its response,
/// the response document and the tracker of requests and work items.
fn reports_router() -> Router<AppState> {
    Router::new()
        .route("/staff/reports", get(reports::list).post(reports::create))
        .route("/staff/reports/new", get(reports::new_form))
        .route("/staff/reports/{id}", get(reports::page).post(reports::update_details))
        .route("/staff/reports/{id}/details", get(reports::details_form))
        .route("/staff/reports/{id}/sections", post(reports::add_section))
        .route("/staff/reports/{id}/sections/new", get(reports::new_section_form))
        .route("/staff/reports/{id}/sections/{part}", get(reports::section_form).post(reports::update_section))
        .route("/staff/reports/{id}/sections/{part}/move", post(reports::move_section))
        .route("/staff/reports/{id}/sections/{part}/delete", post(reports::delete_section))
        .route("/staff/reports/{id}/sections/{part}/entries", post(reports::add_entry))
        .route("/staff/reports/{id}/sections/{part}/entries/new", get(reports::new_entry_form))
        .route("/staff/reports/{id}/entries/{part}", get(reports::entry_form).post(reports::update_entry))
        .route("/staff/reports/{id}/entries/{part}/move", post(reports::move_entry))
        .route("/staff/reports/{id}/entries/{part}/delete", post(reports::delete_entry))
        .route("/staff/reports/{id}/response", get(reports::response))
        .route("/staff/reports/{id}/answers/{part}", get(reports::answer_form).post(reports::save_answer))
        .route("/staff/reports/{id}/letter", get(reports::letter_form).post(reports::save_letter))
        .route("/staff/reports/{id}/review", post(reports::review))
        .route("/staff/reports/{id}/publish", post(reports::publish))
        .route("/staff/reports/{id}/document", get(reports::document))
        .route("/staff/reports/{id}/tracked/{part}", get(reports::tracking_form).post(reports::save_tracking))
        .route("/staff/tracker", get(reports::tracker))
}

/// One link of the breadcrumbs above a staff page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Crumb {
    pub text: String,
    pub href: String,
}

impl Crumb {
    pub fn new(text: impl Into<String>, href: impl Into<String>) -> Self {
        Self { text: text.into(), href: href.into() }
    }

    /// Staff, then the plan: the start of the breadcrumbs of every plan page.
    pub fn plan_trail(plan: &Plan) -> Vec<Crumb> {
        vec![Crumb::new("Staff", "/staff"), Crumb::new(plan.title.clone(), plan_path(plan.id))]
    }
}

/// `/staff/plans/{id}`.
pub fn plan_path(id: PlanId) -> String {
    format!("/staff/plans/{id}")
}

/// A 303 to `location`: the answer to every successful form post.
pub fn see_other(location: &str) -> Response {
    Redirect::to(location).into_response()
}

/// A plan id from the path; anything that is not one is a page that does not exist.
pub fn parse_plan_id(raw: &str) -> Result<PlanId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

/// An item id from the path, as [`parse_plan_id`].
pub fn parse_item_id(raw: &str) -> Result<ItemId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

/// The working draft of a plan, or a 404.
pub async fn load_draft(state: &AppState, id: PlanId) -> Result<Plan, PageError> {
    state.store.plan(id).await?.ok_or(PageError::NotFound)
}

/// Refuses viewers with 403 before a POST reads anything else.
pub fn require_editor(user: &CurrentUser) -> Result<(), PageError> {
    user.require_editor().map_err(PageError::from)
}

/// The working draft an editor is about to change: refuses viewers first (403), then
/// parses the id from the path (404 when malformed or unknown) and loads the draft.
pub async fn draft_for_change(state: &AppState, user: &CurrentUser, raw: &str) -> Result<(PlanId, Plan), PageError> {
    require_editor(user)?;
    let id = parse_plan_id(raw)?;
    Ok((id, load_draft(state, id).await?))
}

/// Whether this user may change plans (editors, approvers, administrators): forms and
/// buttons show only then.
pub fn can_edit(user: &User) -> bool {
    user.role.can_edit()
}

/// Whether this user signs decisions and publishes (approvers and administrators): the
/// sign, publish and withdraw buttons show only then; editors see who does it instead.
pub fn can_approve(user: &User) -> bool {
    crate::permissions::may(Some(user), crate::permissions::Access::Approve)
}

/// Whether this user administers users and may read the audit log.
pub fn is_admin(user: &User) -> bool {
    matches!(user.role, pcplan_store::Role::Admin)
}

/// Which state of a plan a page shows: the working draft or one version.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum At {
    Draft,
    Version(VersionNumber),
}

impl At {
    /// `draft` or a version number, as the diff and check pages take them.
    pub fn parse(raw: &str) -> Option<At> {
        let raw = raw.trim();
        if raw.eq_ignore_ascii_case("draft") {
            return Some(At::Draft);
        }
        raw.parse::<u32>().ok().map(|n| At::Version(VersionNumber(n)))
    }

    /// The value in a query string.
    pub fn value(&self) -> String {
        match self {
            At::Draft => String::from("draft"),
            At::Version(n) => n.to_string(),
        }
    }
}

/// The plan at `at` with a label for people, or a 404 when the version does not exist.
pub async fn load_at(
    state: &AppState,
    id: PlanId,
    at: At,
    versions: &[VersionMeta],
) -> Result<(Plan, String), PageError> {
    match at {
        At::Draft => Ok((load_draft(state, id).await?, String::from("Working draft"))),
        At::Version(n) => {
            let version = state.store.version(id, n).await?.ok_or(PageError::NotFound)?;
            let meta = versions.iter().find(|v| v.number == n).unwrap_or(&version.meta);
            Ok((version.plan, version_label(meta)))
        }
    }
}

/// `Version 3: Plan as issued (Issued, 28 March 2013)`.
pub fn version_label(meta: &VersionMeta) -> String {
    let date = meta.effective_on.map(|d| format!(", {}", outline::long_date(d))).unwrap_or_default();
    format!("Version {}: {} ({}{date})", meta.number, meta.label, meta.kind.label())
}

/// The success banner after a redirect, named by the `done` query parameter so that a
/// reload or a bookmark shows nothing surprising and no message text travels in URLs.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct DoneQuery {
    #[serde(default)]
    pub done: Option<String>,
    #[serde(default)]
    pub item: Option<String>,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub version: Option<u32>,
}

/// Store errors a form shows to the user rather than failing the page with: a
/// conflict (the record has children), a rule about versions, or plan problems.
pub enum Refusal {
    /// One message for the whole form.
    Message(String),
    /// Problems naming paths in the plan (`items[3].parent`, `ends_on`).
    Problems(Vec<pcplan_domain::PlanProblem>),
}

/// Splits a store error into what the form shows and what is a real failure.
pub fn refusal(error: StoreError) -> Result<Refusal, PageError> {
    match error {
        StoreError::Conflict(message) => Ok(Refusal::Message(sentence(&message))),
        StoreError::VersionRule(rule) => Ok(Refusal::Message(sentence(&rule.to_string()))),
        StoreError::Process(refusal) => Ok(Refusal::Message(sentence(&refusal.to_string()))),
        StoreError::Invalid(problems) => Ok(Refusal::Problems(problems.0)),
        StoreError::Fields(problems) => Ok(Refusal::Problems(
            problems.0.into_iter().map(|p| pcplan_domain::PlanProblem::new(p.field, p.problem)).collect(),
        )),
        other => Err(PageError::from(other)),
    }
}

/// A lower-case error message from a library as a sentence for a page: capital first
/// letter; the GOV.UK style has no full stop in error messages.
pub fn sentence(message: &str) -> String {
    forms::capitalise(message.trim_end_matches('.'))
}

/// Puts a store refusal on a form: a message beside `fallback`, and each problem beside
/// the field of `fields` its path ends in (beside `fallback` when none), with date fields
/// (`dates`) anchored on their day box.
pub fn place_refusal(
    errors: &mut forms::FieldErrors,
    refused: Refusal,
    fields: &[&str],
    dates: &[&str],
    fallback: &str,
) {
    match refused {
        Refusal::Message(message) => errors.add(fallback, message),
        Refusal::Problems(problems) => {
            let mut ordered: Vec<&str> = vec![fallback];
            ordered.extend(fields.iter().copied().filter(|f| *f != fallback));
            // `problems_to_errors` falls back on the first field: `fallback` comes first.
            let placed = problems_to_errors(&problems, &ordered, dates);
            errors.0.extend(placed.0);
        }
    }
}

/// Turns store problems into form errors: a problem whose path ends in a field of the
/// form goes beside that field, anything else beside the first field.
pub fn problems_to_errors(
    problems: &[pcplan_domain::PlanProblem],
    fields: &[&str],
    dates: &[&str],
) -> forms::FieldErrors {
    let mut errors = forms::FieldErrors::default();
    for problem in problems {
        let last = problem.path.rsplit(['.', ']']).find(|s| !s.is_empty()).unwrap_or("");
        let last = last.split('[').next().unwrap_or(last);
        let field = fields.iter().find(|f| **f == last).or(fields.first()).copied().unwrap_or("");
        let anchor = if dates.contains(&field) { format!("{field}-day") } else { field.to_string() };
        // Every problem is listed, even two on one field; the field shows the first.
        errors.0.push(forms::FieldError { field: field.to_string(), anchor, message: sentence(&problem.problem) });
    }
    errors
}
