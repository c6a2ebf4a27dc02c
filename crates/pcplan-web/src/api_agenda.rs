//! The agenda in the JSON API under `/api/v1`: every dated item of every body with where
//! it stands, the recurring obligations, recording how one was met, and owners.
//!
//! - `GET /api/v1/agenda[?today=YYYY-MM-DD]`: each item with its key, subject, rule,
//!   due date, owner, evidence and `standing` (`overdue`, `due_soon`, `later`, `done`).
//! - `POST /api/v1/obligations/ensure`: adds the recurring obligations due around today
//!   that are not stored yet; answers with those added.
//! - `GET /api/v1/obligations/{id}` and `POST /api/v1/obligations/{id}/completion`
//!   (`{"outcome": "done", "on": "2014-09-30", "by": "...", "note": "...", "link": "..."}`).
//! - `PUT /api/v1/owners/{key}` (`{"user": "<id>"}` or `{"user": null}`).
//!
//! Viewers may read; editors and administrators may write; the store audits each write.

use axum::extract::State;
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::agenda::{DueItem, Standing};
use pcplan_domain::obligation::{Completion, Obligation};
use pcplan_domain::{ObligationId, UserId};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiPath, ApiQuery, JsonBody, parse_id};
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;
use crate::staff::compliance::HORIZON_DAYS;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/agenda", get(agenda))
        .route("/api/v1/obligations/ensure", post(ensure))
        .route("/api/v1/obligations/{id}", get(obligation))
        .route("/api/v1/obligations/{id}/completion", post(complete))
        .route("/api/v1/owners/{key}", put(set_owner))
}

#[derive(Debug, Deserialize)]
struct AgendaQuery {
    #[serde(default)]
    today: Option<String>,
}

/// One agenda item with where it stands on the day asked about.
#[derive(Debug, Serialize)]
struct ItemJson {
    #[serde(flatten)]
    item: DueItem,
    standing: Standing,
}

async fn agenda(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiQuery(query): ApiQuery<AgendaQuery>,
) -> Result<Json<Vec<ItemJson>>, ApiError> {
    let today = match query.today.as_deref() {
        None | Some("") => crate::today(),
        Some(raw) => NaiveDate::parse_from_str(raw, "%Y-%m-%d")
            .map_err(|_| ApiError::invalid("today", format!("`{raw}` is not a date; use YYYY-MM-DD")))?,
    };
    let items = state.store.agenda(today).await?;
    Ok(Json(items.into_iter().map(|item| ItemJson { standing: item.standing(today, HORIZON_DAYS), item }).collect()))
}

async fn ensure(State(state): State<AppState>, Editor(user): Editor) -> Result<Json<Vec<Obligation>>, ApiError> {
    Ok(Json(state.store.ensure_obligations(&user.actor(), crate::today()).await?))
}

async fn obligation(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Obligation>, ApiError> {
    let id: ObligationId = parse_id(&id, "obligation")?;
    let found = state.store.obligation(id).await?;
    Ok(Json(found.ok_or_else(|| ApiError::not_found(format!("no obligation with id {id}")))?))
}

async fn complete(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(completion): JsonBody<Completion>,
) -> Result<Json<Obligation>, ApiError> {
    let id: ObligationId = parse_id(&id, "obligation")?;
    Ok(Json(state.store.complete_obligation(&user.actor(), id, completion, crate::today()).await?))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct OwnerInput {
    user: Option<UserId>,
}

async fn set_owner(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(key): ApiPath<String>,
    JsonBody(input): JsonBody<OwnerInput>,
) -> Result<Json<serde_json::Value>, ApiError> {
    if state.store.agenda(crate::today()).await?.iter().all(|i| i.key != key) {
        return Err(ApiError::not_found(format!("no agenda item with key {key}")));
    }
    state.store.set_owner(&user.actor(), &key, input.user).await?;
    Ok(Json(serde_json::json!({ "key": key, "user": input.user })))
}
