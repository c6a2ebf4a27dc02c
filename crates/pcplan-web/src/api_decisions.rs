//! The register of Notices of Decision in the JSON API, under `/api/v1/decisions`, each
//! body's register settings, and the public register under `/api/v1/public/decisions`.
//!
//! Viewers may read, editors and administrators may also write; every write is audited
//! by the store. A confidential decision is returned whole only to editors and
//! administrators ([`may_read_confidential`]); anyone else, and every public route,
//! gets its stub (`"stub": true`: number, title, status, date and exemption). Public
//! routes list signed decisions only. Numbers are given by the store when a draft is
//! made and are never chosen by the client. Shares `api`'s request reading
//! ([`JsonBody`]: a bad field is a 422 naming its path) and error shape.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::decision::{
    Correction, Decision, DecisionContent, DecisionNumber, DecisionStatus, RegisterSettings, Signature, Withdrawal,
};
use pcplan_domain::{BodyId, DecisionId};
use pcplan_store::{DecisionFilter, User};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiPath, ApiQuery, JsonBody, parse_id};
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;
use crate::public_decisions::{may_read_confidential, published_by_number};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/decisions", get(list).post(create))
        .route("/api/v1/decisions/{id}", get(get_one).put(update))
        .route("/api/v1/decisions/{id}/sign", post(sign))
        .route("/api/v1/decisions/{id}/withdraw", post(withdraw))
        .route("/api/v1/decisions/{id}/corrections", post(correct))
        .route("/api/v1/bodies/{id}/decision-settings", get(get_settings).put(put_settings))
        .route("/api/v1/public/decisions", get(public_list))
        .route("/api/v1/public/decisions/{number}", get(public_get))
}

/// A decision as the API returns it: whole, or the stub of a confidential one.
#[derive(Debug, Serialize)]
#[serde(untagged)]
pub enum DecisionJson {
    Whole {
        /// `018/2013`.
        reference: String,
        stub: bool,
        #[serde(flatten)]
        decision: Box<Decision>,
    },
    Stub {
        id: DecisionId,
        body_id: BodyId,
        reference: String,
        number: DecisionNumber,
        status: DecisionStatus,
        title: String,
        stub: bool,
        confidential: bool,
        exemption: String,
        signed_on: Option<NaiveDate>,
    },
}

/// The JSON `user` may see of a decision; `None` is the public.
pub fn decision_json(decision: Decision, user: Option<&User>) -> DecisionJson {
    if decision.content.confidentiality.is_confidential() && !may_read_confidential(user) {
        DecisionJson::Stub {
            id: decision.id,
            body_id: decision.body_id,
            reference: decision.number.to_string(),
            number: decision.number,
            status: decision.status,
            title: decision.content.title.clone(),
            stub: true,
            confidential: true,
            exemption: decision.content.confidentiality.exemption().to_string(),
            signed_on: decision.published_on(),
        }
    } else {
        DecisionJson::Whole { reference: decision.number.to_string(), stub: false, decision: Box::new(decision) }
    }
}

/// The register's query: every parameter optional.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ListQuery {
    pub body: Option<String>,
    /// `draft`, `signed` or `withdrawn`.
    pub status: Option<String>,
    /// `018/2013` or `018-2013`.
    pub number: Option<String>,
    /// Words that must all be in the title.
    pub q: Option<String>,
    /// Signed on or after, `YYYY-MM-DD`.
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
}

fn filter_of(query: ListQuery) -> Result<DecisionFilter, ApiError> {
    let status =
        match query.status.as_deref() {
            None | Some("") => Vec::new(),
            Some(raw) => vec![DecisionStatus::parse(raw).ok_or_else(|| {
                ApiError::BadRequest(format!("`{raw}` is not a status; use draft, signed or withdrawn"))
            })?],
        };
    let number = match query.number.as_deref() {
        None | Some("") => None,
        Some(raw) => Some(raw.parse::<DecisionNumber>().map_err(ApiError::BadRequest)?),
    };
    Ok(DecisionFilter {
        body: query.body.as_deref().filter(|b| !b.is_empty()).map(|b| parse_id(b, "body")).transpose()?,
        statuses: status,
        number,
        title: query.q.filter(|q| !q.trim().is_empty()),
        signed_from: query.from,
        signed_to: query.to,
        year: None,
    })
}

async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let filter = filter_of(query)?;
    let found = state.store.decisions(&filter).await?;
    let out: Vec<DecisionJson> = found.into_iter().map(|d| decision_json(d, Some(&user.user))).collect();
    Ok(Json(out).into_response())
}

async fn load(state: &AppState, raw: &str) -> Result<Decision, ApiError> {
    let id: DecisionId = parse_id(raw, "decision")?;
    state.store.decision(id).await?.ok_or_else(|| ApiError::not_found(format!("decision {id} not found")))
}

async fn get_one(
    State(state): State<AppState>,
    user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let decision = load(&state, &id).await?;
    Ok(Json(decision_json(decision, Some(&user.user))).into_response())
}

/// `POST /api/v1/decisions`: a new draft.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewDecision {
    pub body_id: BodyId,
    /// The day the draft is made, which decides the numbering year; today when absent.
    #[serde(default)]
    pub drafted_on: Option<NaiveDate>,
    pub content: DecisionContent,
}

async fn create(
    State(state): State<AppState>,
    Editor(user): Editor,
    JsonBody(input): JsonBody<NewDecision>,
) -> Result<Response, ApiError> {
    let drafted_on = input.drafted_on.unwrap_or_else(crate::today);
    if drafted_on > crate::today() {
        return Err(ApiError::invalid("drafted_on", format!("{drafted_on} is in the future")));
    }
    let created = state
        .store
        .create_decision(&user.actor(), DecisionId::new(), input.body_id, drafted_on, &input.content)
        .await?;
    Ok((StatusCode::CREATED, Json(decision_json(created, Some(&user.user)))).into_response())
}

async fn update(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(content): JsonBody<DecisionContent>,
) -> Result<Response, ApiError> {
    let id: DecisionId = parse_id(&id, "decision")?;
    let updated = state.store.update_decision(&user.actor(), id, &content).await?;
    Ok(Json(decision_json(updated, Some(&user.user))).into_response())
}

async fn sign(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(signature): JsonBody<Signature>,
) -> Result<Response, ApiError> {
    let id: DecisionId = parse_id(&id, "decision")?;
    let signed = state.store.sign_decision(&user.actor(), id, &signature, crate::today()).await?;
    Ok(Json(decision_json(signed, Some(&user.user))).into_response())
}

/// `POST .../withdraw` and `POST .../corrections`: who and when default to the
/// signed-in user and today.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    #[serde(default)]
    pub on: Option<NaiveDate>,
    #[serde(default)]
    pub by: Option<String>,
    /// The reason for a withdrawal.
    #[serde(default)]
    pub reason: Option<String>,
    /// The text of a correction note.
    #[serde(default)]
    pub text: Option<String>,
}

async fn withdraw(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<NoteInput>,
) -> Result<Response, ApiError> {
    let id: DecisionId = parse_id(&id, "decision")?;
    let withdrawal = Withdrawal {
        on: input.on.unwrap_or_else(crate::today),
        by: input.by.unwrap_or_else(|| user.user.display_name.clone()),
        reason: input.reason.unwrap_or_default(),
    };
    let withdrawn = state.store.withdraw_decision(&user.actor(), id, &withdrawal).await?;
    Ok(Json(decision_json(withdrawn, Some(&user.user))).into_response())
}

async fn correct(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<NoteInput>,
) -> Result<Response, ApiError> {
    let id: DecisionId = parse_id(&id, "decision")?;
    let correction = Correction {
        on: input.on.unwrap_or_else(crate::today),
        by: input.by.unwrap_or_else(|| user.user.display_name.clone()),
        text: input.text.unwrap_or_default(),
    };
    let corrected = state.store.correct_decision(&user.actor(), id, &correction).await?;
    Ok(Json(decision_json(corrected, Some(&user.user))).into_response())
}

async fn get_settings(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    Ok(Json(state.store.register_settings(body).await?).into_response())
}

async fn put_settings(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(settings): JsonBody<RegisterSettings>,
) -> Result<Response, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    state.store.set_register_settings(&user.actor(), body, &settings).await?;
    Ok(Json(settings).into_response())
}

/// The public register: signed decisions, confidential ones as stubs.
async fn public_list(
    State(state): State<AppState>,
    ApiQuery(query): ApiQuery<ListQuery>,
) -> Result<Response, ApiError> {
    let mut filter = filter_of(ListQuery { status: None, ..query })?;
    filter.statuses = vec![DecisionStatus::Signed];
    let found = state.store.decisions(&filter).await?;
    let out: Vec<DecisionJson> = found.into_iter().map(|d| decision_json(d, None)).collect();
    Ok(Json(out).into_response())
}

async fn public_get(State(state): State<AppState>, ApiPath(number): ApiPath<String>) -> Result<Response, ApiError> {
    let number: DecisionNumber = number.parse().map_err(ApiError::BadRequest)?;
    let decision = published_by_number(&state.store, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no published decision {number}")))?;
    Ok(Json(decision_json(decision, None)).into_response())
}

/// Checks the decision named on a process step: only the "plan issued" step is done by
/// a decision, and it must be a signed decision of the plan's body. The store records
/// whatever it is given (as it does a link), so the forms and the API check here.
pub async fn check_issuing_decision(
    state: &AppState,
    body: BodyId,
    step: pcplan_domain::process::Step,
    decision: Option<DecisionId>,
) -> Result<Result<(), String>, pcplan_store::StoreError> {
    let Some(id) = decision else { return Ok(Ok(())) };
    if step != pcplan_domain::process::Step::PlanIssued {
        return Ok(Err(String::from("only the plan issued step is done by a decision; leave the decision empty")));
    }
    Ok(match state.store.decision(id).await? {
        Some(d) if d.body_id != body => Err(format!("decision {} belongs to another body", d.number)),
        Some(d) if d.status != DecisionStatus::Signed => {
            Err(format!("decision {} is not signed; sign it before it issues the plan", d.number))
        }
        Some(_) => Ok(()),
        None => Err(format!("no decision {id} in the register")),
    })
}
