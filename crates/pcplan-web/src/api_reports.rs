//! Panel reports and the Commissioner's responses in the JSON API under `/api/v1`: list,
//! read, create and replace reports; answer a recommendation; write the response letter;
//! mark the response reviewed; publish it; the tracker of requests for information and
//! work programme items; and the public view of reports.
//!
//! Signed-in users read everything, drafts included; editors and administrators write.
//! Every write is one store call, checked whole by the domain and audited. The public
//! routes (`/api/v1/public/reports...`) need no sign-in and answer with
//! [`Report::public`] only, which carries answers once the response is published and
//! never a draft. Requests are read with [`JsonBody`]: a bad field is a 422 naming its
//! path. A refusal because of the response's state (publishing twice, publishing before
//! review, a clock step out of order) is a 409 with the reason.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::report::{
    Answer, Edit, EntryKind, PartId, PlanLink, PublicReport, Report, ReportInput, ResponseDocument, ResponseLetter,
    ResponseState, Review, Stance, Tracking, response_document,
};
use pcplan_domain::{ItemId, RecordKind, ReportId};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiPath, JsonBody, parse_id};
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/reports", get(list).post(create))
        .route("/api/v1/reports/{id}", get(get_report).put(replace))
        .route("/api/v1/reports/{id}/answers/{entry}", put(answer))
        .route("/api/v1/reports/{id}/letter", put(letter))
        .route("/api/v1/reports/{id}/review", post(review))
        .route("/api/v1/reports/{id}/publish", post(publish))
        .route("/api/v1/reports/{id}/response", get(document))
        .route("/api/v1/reports/{id}/tracked/{entry}", put(track))
        .route("/api/v1/tracker", get(tracker))
        .route("/api/v1/public/reports", get(public_list))
        .route("/api/v1/public/reports/{id}", get(public_get))
}

/// A report as staff read it: the stored report, its response's state and the number of
/// each recommendation.
#[derive(Debug, Serialize)]
pub struct ReportJson {
    #[serde(flatten)]
    pub report: Report,
    pub state: ResponseState,
    /// `{"entry": 4, "number": "R1"}` for each recommendation, in order.
    pub recommendations: Vec<Numbered>,
}

#[derive(Debug, Serialize)]
pub struct Numbered {
    pub entry: PartId,
    pub number: String,
}

fn report_json(report: Report) -> ReportJson {
    let recommendations = report
        .recommendations()
        .into_iter()
        .map(|(n, _, e)| Numbered { entry: e.id, number: format!("R{n}") })
        .collect();
    ReportJson { state: report.state(), recommendations, report }
}

fn parse_part(text: &str) -> Result<PartId, ApiError> {
    text.parse()
        .map_err(|_| ApiError::BadRequest(format!("`{text}` is not an entry number; entries are numbered 1, 2, ...")))
}

async fn load(state: &AppState, id: &str) -> Result<Report, ApiError> {
    let id: ReportId = parse_id(id, "report")?;
    state.store.report(id).await?.ok_or_else(|| ApiError::not_found(format!("no Panel report with id {id}")))
}

async fn list(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<Vec<ReportJson>>, ApiError> {
    Ok(Json(state.store.reports().await?.into_iter().map(report_json).collect()))
}

async fn get_report(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ReportJson>, ApiError> {
    Ok(Json(report_json(load(&state, &id).await?)))
}

async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    JsonBody(input): JsonBody<ReportInput>,
) -> Result<Response, ApiError> {
    let report = state.store.create_report(&user.actor(), ReportId::new(), input, false).await?;
    Ok((StatusCode::CREATED, Json(report_json(report))).into_response())
}

/// Replaces the details, sections and entries; entries sent with their `id` keep their
/// answers and completion. Refused (409) once the response is published.
async fn replace(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<ReportInput>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    Ok(Json(report_json(state.store.edit_report(&user.actor(), id, Edit::Replace(input)).await?)))
}

/// `{"stance": "accepted", "reasons": "...", "changes": ["<item id>", ...]}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AnswerInput {
    pub stance: Stance,
    pub reasons: String,
    #[serde(default)]
    pub changes: Vec<ItemId>,
}

/// Saves an answer as a draft; it is public only once the response is published.
async fn answer(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((id, entry)): ApiPath<(String, String)>,
    JsonBody(input): JsonBody<AnswerInput>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    let entry = parse_part(&entry)?;
    // The store fills in each record's kind and title from the plan.
    let changes = input
        .changes
        .into_iter()
        .map(|item| PlanLink { item, kind: RecordKind::Section, title: String::new() })
        .collect();
    let edit = Edit::Answer { entry, answer: Answer { stance: input.stance, reasons: input.reasons, changes } };
    Ok(Json(report_json(state.store.edit_report(&user.actor(), id, edit).await?)))
}

async fn letter(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<ResponseLetter>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    Ok(Json(report_json(state.store.edit_report(&user.actor(), id, Edit::ResponseLetter(input)).await?)))
}

/// Marks the response reviewed by the signed-in user today; no body. Refused (422)
/// while a recommendation is unanswered or the letter is incomplete.
async fn review(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    let review = Review { by: user.user.display_name.clone(), on: crate::today() };
    Ok(Json(report_json(state.store.edit_report(&user.actor(), id, Edit::Review(review)).await?)))
}

/// `{"published_on": "2014-02-21", "sent_to_panel_on": "2014-02-21"}`; the second date
/// defaults to the first.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    pub published_on: NaiveDate,
    #[serde(default)]
    pub sent_to_panel_on: Option<NaiveDate>,
}

/// Publishes the reviewed response and records the process's response steps; 409 when
/// it is not reviewed, already published, or a step cannot be recorded.
async fn publish(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<PublishInput>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    let link = crate::public_reports::public_path(id);
    let sent = input.sent_to_panel_on.unwrap_or(input.published_on);
    Ok(Json(report_json(state.store.publish_response(&user.actor(), id, input.published_on, sent, &link).await?)))
}

/// The response document (letter and table) as it stands, `draft: true` until published.
async fn document(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ResponseDocument>, ApiError> {
    Ok(Json(response_document(&load(&state, &id).await?)))
}

/// Sets the owner, due date and completion of a request or work item (a [`Tracking`]).
async fn track(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((id, entry)): ApiPath<(String, String)>,
    JsonBody(tracking): JsonBody<Tracking>,
) -> Result<Json<ReportJson>, ApiError> {
    let id: ReportId = parse_id(&id, "report")?;
    let entry = parse_part(&entry)?;
    Ok(Json(report_json(state.store.edit_report(&user.actor(), id, Edit::Track { entry, tracking }).await?)))
}

/// One open request for information or work programme item.
#[derive(Debug, Serialize)]
pub struct TrackedJson {
    pub report_id: ReportId,
    pub entry: PartId,
    pub kind: EntryKind,
    pub text: String,
    #[serde(flatten)]
    pub tracking: Tracking,
}

/// Every open tracked entry of every report, soonest due first.
async fn tracker(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<Vec<TrackedJson>>, ApiError> {
    let mut open: Vec<TrackedJson> = Vec::new();
    for report in state.store.reports().await? {
        for (_, entry) in report.open_tracked() {
            open.push(TrackedJson {
                report_id: report.id,
                entry: entry.id,
                kind: entry.kind,
                text: entry.text.clone(),
                tracking: entry.tracking.clone().unwrap_or_default(),
            });
        }
    }
    open.sort_by_key(|t| (t.tracking.due_on.is_none(), t.tracking.due_on));
    Ok(Json(open))
}

async fn public_list(State(state): State<AppState>) -> Result<Json<Vec<PublicReport>>, ApiError> {
    Ok(Json(state.store.reports().await?.iter().map(Report::public).collect()))
}

async fn public_get(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<PublicReport>, ApiError> {
    Ok(Json(load(&state, &id).await?.public()))
}
