//! The statutory clock in the JSON API under `/api/v1`: Panel meetings of a body and the
//! publication of their papers, each body's clock settings, and the England and Wales
//! holiday overrides.
//!
//! Kept apart from `api` (plans, records, versions, processes) because it is a separate
//! area of the API with its own routes; it shares that module's request reading
//! ([`JsonBody`]: a bad field is a 422 naming its path) and error shape. Viewers may read,
//! editors and administrators may write; every write is audited by the store. A meeting
//! is scheduled with the body's stored settings and the calendar with overrides, and its
//! papers deadline is stored with it: changing either afterwards never moves it.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::clock::{ClockSettings, PapersCheck};
use pcplan_domain::meeting::{Meeting, MeetingWarning};
use pcplan_domain::{BodyId, Calendar, HolidayOverride, MeetingId};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiPath, JsonBody, parse_id};
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bodies/{id}/meetings", get(list_meetings).post(schedule_meeting))
        .route("/api/v1/meetings/{id}/papers", post(papers_published))
        .route("/api/v1/bodies/{id}/clock-settings", get(get_settings).put(put_settings))
        .route("/api/v1/calendar/overrides", get(list_overrides).post(add_override))
        .route("/api/v1/calendar/overrides/{date}", axum::routing::delete(remove_override))
}

/// A meeting as stored, with what the clock says about it now.
#[derive(Debug, Serialize)]
pub struct MeetingJson {
    #[serde(flatten)]
    pub meeting: Meeting,
    /// `{"status": "on_time" | "late" | "after_meeting", ...}`; `null` until published.
    pub papers: Option<PapersCheck>,
    /// Not published and the deadline has passed.
    pub overdue: bool,
    /// `not_a_working_day` when the meeting falls at a weekend or on a bank holiday.
    pub warnings: Vec<&'static str>,
}

fn meeting_json(meeting: Meeting, calendar: &Calendar) -> Result<MeetingJson, ApiError> {
    let papers = meeting.papers_check(calendar).map_err(|e| ApiError::Internal(e.to_string()))?;
    let overdue = papers.is_none() && crate::today() > meeting.papers_due_on;
    let warnings = meeting
        .warnings(calendar)
        .into_iter()
        .map(|w| match w {
            MeetingWarning::NotAWorkingDay => "not_a_working_day",
        })
        .collect();
    Ok(MeetingJson { meeting, papers, overdue, warnings })
}

async fn known_body(state: &AppState, id: &str) -> Result<BodyId, ApiError> {
    let id: BodyId = parse_id(id, "body")?;
    state.store.body(id).await?.ok_or_else(|| ApiError::not_found(format!("no body with id {id}")))?;
    Ok(id)
}

async fn list_meetings(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<MeetingJson>>, ApiError> {
    let body = known_body(&state, &id).await?;
    let calendar = state.store.calendar().await?;
    let meetings = state.store.meetings(body).await?;
    Ok(Json(meetings.into_iter().map(|m| meeting_json(m, &calendar)).collect::<Result<_, _>>()?))
}

/// `{"title": "Police and Crime Panel", "held_on": "2014-02-03"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewMeetingInput {
    pub title: String,
    pub held_on: NaiveDate,
}

async fn schedule_meeting(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<NewMeetingInput>,
) -> Result<Response, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    let meeting =
        state.store.schedule_meeting(&user.actor(), MeetingId::new(), body, &input.title, input.held_on).await?;
    let calendar = state.store.calendar().await?;
    Ok((StatusCode::CREATED, Json(meeting_json(meeting, &calendar)?)).into_response())
}

/// `{"published_on": "2014-01-29"}`. A date after the deadline is stored and reported late.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PapersInput {
    pub published_on: NaiveDate,
}

async fn papers_published(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<PapersInput>,
) -> Result<Json<MeetingJson>, ApiError> {
    let id: MeetingId = parse_id(&id, "meeting")?;
    let meeting = state.store.set_papers_published(&user.actor(), id, input.published_on).await?;
    let calendar = state.store.calendar().await?;
    Ok(Json(meeting_json(meeting, &calendar)?))
}

async fn get_settings(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<ClockSettings>, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    Ok(Json(state.store.clock_settings(body).await?))
}

/// Replaces every setting: a field left out takes its default, as `GET` on a body
/// without stored settings shows them.
async fn put_settings(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(settings): JsonBody<ClockSettings>,
) -> Result<Json<ClockSettings>, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    state.store.set_clock_settings(&user.actor(), body, &settings).await?;
    Ok(Json(state.store.clock_settings(body).await?))
}

async fn list_overrides(
    State(state): State<AppState>,
    _user: CurrentUser,
) -> Result<Json<Vec<HolidayOverride>>, ApiError> {
    Ok(Json(state.store.holiday_overrides().await?))
}

/// `{"date": "2023-05-08", "holiday": true, "name": "Coronation of King Charles III"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideInput {
    pub date: NaiveDate,
    pub holiday: bool,
    pub name: String,
}

async fn add_override(
    State(state): State<AppState>,
    Editor(user): Editor,
    JsonBody(input): JsonBody<OverrideInput>,
) -> Result<Response, ApiError> {
    let entry = HolidayOverride { date: input.date, holiday: input.holiday, name: input.name.trim().to_string() };
    state.store.add_holiday_override(&user.actor(), &entry).await?;
    Ok((StatusCode::CREATED, Json(entry)).into_response())
}

async fn remove_override(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(date): ApiPath<String>,
) -> Result<StatusCode, ApiError> {
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d")
        .map_err(|_| ApiError::BadRequest(format!("`{date}` is not a date; write it like 2023-05-08")))?;
    state.store.remove_holiday_override(&user.actor(), date).await?;
    Ok(StatusCode::NO_CONTENT)
}
