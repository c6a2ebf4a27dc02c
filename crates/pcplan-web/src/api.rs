//! The JSON API under `/api/v1`: bodies, plans and their records, versions, the
//! variation summary, the statutory contents check and the plan file export.
//!
//! Every route except `/api/v1/public/...` needs a signed-in user (the session cookie
//! from `POST /sign-in`, see `auth`); viewers may read, editors and administrators may
//! also write. Writes go through the store, which validates the whole plan in the same
//! transaction and records the change in the audit log under the signed-in user.
//! Errors have one JSON shape, documented in `error`. Request bodies are read with
//! `serde_path_to_error`, so a bad field is named by its path
//! (`record.due: premature end of input`).
//!
//! Query strings and path parameters are read with [`ApiQuery`] and [`ApiPath`], so one
//! that cannot be read is the same JSON 400 as everything else rather than axum's
//! plain-text rejection. The whole API is
//! described by `openapi.json` beside this crate, served at `/api/v1/openapi.json`
//! ([`OPENAPI_JSON`]); `tests/openapi.rs` keeps it in step with the router.
//!
//! The API speaks the domain's own JSON (the plan file format's `Plan`, `Item`,
//! `VersionMeta`...), so what `GET` returns can be edited and sent back with `PUT`. It
//! does not serve drafts to the public: `/api/v1/public/plan` reads only the version in
//! force, through the same rule as the public pages.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::{
    Body, BodyId, ContentsReport, Item, ItemId, Plan, PlanId, PlanVersion, Record, VariationSummary, VersionKind,
    VersionMeta, VersionNumber, check_contents, diff_plans,
};
use pcplan_store::{MoveDirection, PlanHeader, PlanSummary};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;
use crate::public::{find_public_plan, load_public_version};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bodies", get(list_bodies))
        .route("/api/v1/bodies/{id}", get(get_body))
        .route("/api/v1/plans", get(list_plans))
        .route("/api/v1/plans/{id}", get(get_plan).put(put_plan_header))
        .route("/api/v1/plans/{id}/items", post(add_item))
        .route("/api/v1/plans/{id}/items/{item}", put(update_item).delete(delete_item))
        .route("/api/v1/plans/{id}/items/{item}/move", post(move_item))
        .route("/api/v1/plans/{id}/versions", get(list_versions).post(make_version))
        .route("/api/v1/plans/{id}/versions/{number}", get(get_version))
        .route("/api/v1/plans/{id}/diff", get(diff))
        .route("/api/v1/plans/{id}/check", get(check))
        .route("/api/v1/plans/{id}/export", get(export))
        .route("/api/v1/plans/{id}/processes", get(list_processes).post(start_process))
        .route("/api/v1/plans/{id}/processes/{process}", get(get_process))
        .route("/api/v1/plans/{id}/processes/{process}/steps", post(record_step))
        .route("/api/v1/public/plan", get(public_plan))
        .route("/api/v1/openapi.json", get(openapi))
}

/// The OpenAPI document of the whole API, compiled in from `openapi.json` beside this
/// crate, so the binary serves exactly the file `tests/openapi.rs` checks.
pub const OPENAPI_JSON: &str = include_str!("../openapi.json");

async fn openapi() -> Response {
    ([(CONTENT_TYPE, "application/json")], OPENAPI_JSON).into_response()
}

/// Query parameters, read as axum's `Query` reads them but refused with the API's own
/// error: a parameter that cannot be read (`from=yesterday`, one the route does not know
/// when it refuses unknown ones) is a JSON 400 naming it, where `Query` answers in plain
/// text, which no API client expects.
pub struct ApiQuery<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiQuery<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::try_from_uri(&parts.uri).map(|Query(value)| ApiQuery(value)).map_err(|rejection| {
            ApiError::BadRequest(format!("the query string could not be read: {}", rejection.body_text()))
        })
    }
}

/// Path parameters, read as axum's `Path` reads them but refused with the API's own error:
/// a segment that does not decode (`%FF`, not UTF-8) is a JSON 400, where `Path` answers
/// in plain text.
pub struct ApiPath<T>(pub T);

impl<S, T> FromRequestParts<S> for ApiPath<T>
where
    S: Send + Sync,
    T: DeserializeOwned + Send,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state)
            .await
            .map(|Path(value)| ApiPath(value))
            .map_err(|rejection| ApiError::BadRequest(format!("the path could not be read: {}", rejection.body_text())))
    }
}

/// A JSON request body, read with the path of the first bad field in the error.
///
/// Malformed JSON is a 400; JSON of the wrong shape (a missing field, a wrong type, an
/// unknown field) is a 422 whose problem names the path. A body that is not declared
/// as JSON is a 400 saying to send `Content-Type: application/json`.
pub struct JsonBody<T>(pub T);

impl<S, T> FromRequest<S> for JsonBody<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(request: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json =
            request.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| {
                v.split(';').next().is_some_and(|t| t.trim().eq_ignore_ascii_case("application/json"))
            });
        if !is_json {
            return Err(ApiError::BadRequest(String::from(
                "the request body must be JSON; send the header `Content-Type: application/json`",
            )));
        }
        let bytes = Bytes::from_request(request, state).await.map_err(|rejection| {
            if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge { limit: crate::BODY_LIMIT_BYTES }
            } else {
                ApiError::BadRequest(format!("the request body could not be read: {rejection}"))
            }
        })?;
        parse_json(&bytes).map(JsonBody)
    }
}

/// Parses JSON, naming the path of the first problem.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value: T = serde_path_to_error::deserialize(&mut deserializer).map_err(|error| {
        let path = error.path().to_string();
        let inner = error.into_inner();
        match inner.classify() {
            serde_json::error::Category::Data => {
                let path = if path == "." { String::from("(body)") } else { path };
                ApiError::invalid(path, inner.to_string())
            }
            _ => ApiError::BadRequest(format!("the request body is not valid JSON: {inner}")),
        }
    })?;
    deserializer
        .end()
        .map_err(|e| ApiError::BadRequest(format!("the request body has text after the JSON value: {e}")))?;
    Ok(value)
}

/// Parses an id from the URL, naming what it should have been.
pub(crate) fn parse_id<T: std::str::FromStr>(text: &str, what: &str) -> Result<T, ApiError> {
    text.parse().map_err(|_| ApiError::BadRequest(format!("`{text}` is not a {what} id; ids are UUIDs")))
}

fn parse_version_number(text: &str) -> Result<VersionNumber, ApiError> {
    text.parse::<u32>()
        .map(VersionNumber)
        .map_err(|_| ApiError::BadRequest(format!("`{text}` is not a version number; give a number like 2")))
}

async fn list_bodies(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<Vec<Body>>, ApiError> {
    Ok(Json(state.store.bodies().await?))
}

async fn get_body(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Body>, ApiError> {
    let id: BodyId = parse_id(&id, "body")?;
    let body = state.store.body(id).await?.ok_or_else(|| ApiError::not_found(format!("no body with id {id}")))?;
    Ok(Json(body))
}

async fn list_plans(State(state): State<AppState>, _user: CurrentUser) -> Result<Json<Vec<PlanSummary>>, ApiError> {
    Ok(Json(state.store.plans().await?))
}

async fn load_plan(state: &AppState, id: PlanId) -> Result<Plan, ApiError> {
    state.store.plan(id).await?.ok_or_else(|| ApiError::not_found(format!("no plan with id {id}")))
}

async fn get_plan(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Plan>, ApiError> {
    let id: PlanId = parse_id(&id, "plan")?;
    Ok(Json(load_plan(&state, id).await?))
}

async fn put_plan_header(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(header): JsonBody<PlanHeader>,
) -> Result<Json<Plan>, ApiError> {
    let id: PlanId = parse_id(&id, "plan")?;
    state.store.update_plan_header(&user.actor(), id, &header).await?;
    Ok(Json(load_plan(&state, id).await?))
}

/// An item as a client sends it. The same as the plan file's `Item`, except that `id`
/// may be left out when adding: the server then gives the item a new one.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemInput {
    #[serde(default)]
    pub id: Option<ItemId>,
    #[serde(default)]
    pub parent: Option<ItemId>,
    #[serde(default)]
    pub serves: Vec<ItemId>,
    #[serde(default)]
    pub illustrative: bool,
    pub record: Record,
}

impl ItemInput {
    fn into_item(self, id: ItemId) -> Item {
        Item { id, parent: self.parent, serves: self.serves, illustrative: self.illustrative, record: self.record }
    }
}

async fn add_item(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<ItemInput>,
) -> Result<Response, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let item = input.id.unwrap_or_else(ItemId::new);
    let item = ItemInput { id: None, ..input }.into_item(item);
    state.store.add_item(&user.actor(), plan_id, &item).await?;
    Ok((StatusCode::CREATED, Json(stored_item(&state, plan_id, item.id).await?)).into_response())
}

async fn stored_item(state: &AppState, plan_id: PlanId, item: ItemId) -> Result<Item, ApiError> {
    let plan = load_plan(state, plan_id).await?;
    plan.item(item).cloned().ok_or_else(|| ApiError::not_found(format!("plan {plan_id} has no item {item}")))
}

async fn update_item(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((id, item)): ApiPath<(String, String)>,
    JsonBody(input): JsonBody<ItemInput>,
) -> Result<Json<Item>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let item_id: ItemId = parse_id(&item, "item")?;
    if let Some(body_id) = input.id
        && body_id != item_id
    {
        return Err(ApiError::invalid(
            "id",
            format!("is {body_id} but the URL names item {item_id}; leave `id` out or make them match"),
        ));
    }
    let item = input.into_item(item_id);
    state.store.update_item(&user.actor(), plan_id, &item).await?;
    Ok(Json(stored_item(&state, plan_id, item_id).await?))
}

async fn delete_item(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((id, item)): ApiPath<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let item_id: ItemId = parse_id(&item, "item")?;
    state.store.delete_item(&user.actor(), plan_id, item_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// `{"direction": "up"}` or `{"direction": "down"}`: one place among its siblings.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    pub direction: MoveDirection,
}

async fn move_item(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((id, item)): ApiPath<(String, String)>,
    JsonBody(input): JsonBody<MoveInput>,
) -> Result<Json<Plan>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let item_id: ItemId = parse_id(&item, "item")?;
    state.store.move_item(&user.actor(), plan_id, item_id, input.direction).await?;
    Ok(Json(load_plan(&state, plan_id).await?))
}

async fn list_versions(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<VersionMeta>>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    load_plan(&state, plan_id).await?;
    Ok(Json(state.store.versions(plan_id).await?))
}

/// A new version: a snapshot of the working draft.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewVersionInput {
    pub kind: VersionKind,
    pub label: String,
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
}

async fn make_version(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<NewVersionInput>,
) -> Result<Response, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    if input.label.trim().is_empty() {
        return Err(ApiError::invalid(
            "label",
            "is empty; name the version, like `Draft sent to the Panel, 1 March 2013`",
        ));
    }
    let meta =
        state.store.make_version(&user.actor(), plan_id, input.kind, input.label.trim(), input.effective_on).await?;
    Ok((StatusCode::CREATED, Json(meta)).into_response())
}

async fn get_version(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath((id, number)): ApiPath<(String, String)>,
) -> Result<Json<PlanVersion>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let number = parse_version_number(&number)?;
    let version = state
        .store
        .version(plan_id, number)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("plan {plan_id} has no version {number}")))?;
    Ok(Json(version))
}

/// Which content of a plan: a version by number, or the working draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum At {
    Draft,
    Version(VersionNumber),
}

fn parse_at(text: &str, parameter: &str) -> Result<At, ApiError> {
    if text == "draft" {
        return Ok(At::Draft);
    }
    text.trim_start_matches('v').parse::<u32>().map(|n| At::Version(VersionNumber(n))).map_err(|_| {
        ApiError::BadRequest(format!("`{parameter}={text}` is not a version; give a version number like 2, or `draft`"))
    })
}

async fn plan_at(state: &AppState, plan_id: PlanId, at: At) -> Result<Plan, ApiError> {
    match at {
        At::Draft => load_plan(state, plan_id).await,
        At::Version(number) => Ok(state
            .store
            .version(plan_id, number)
            .await?
            .ok_or_else(|| ApiError::not_found(format!("plan {plan_id} has no version {number}")))?
            .plan),
    }
}

#[derive(Debug, Deserialize)]
struct DiffQuery {
    from: Option<String>,
    to: Option<String>,
}

async fn diff(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<DiffQuery>,
) -> Result<Json<VariationSummary>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let (Some(from), Some(to)) = (query.from, query.to) else {
        return Err(ApiError::BadRequest(String::from(
            "give both `from` and `to`: version numbers, or `draft` for the working draft, like `?from=1&to=draft`",
        )));
    };
    let old = plan_at(&state, plan_id, parse_at(&from, "from")?).await?;
    let new = plan_at(&state, plan_id, parse_at(&to, "to")?).await?;
    Ok(Json(diff_plans(&old, &new)))
}

#[derive(Debug, Deserialize)]
struct CheckQuery {
    version: Option<String>,
}

async fn check(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    ApiQuery(query): ApiQuery<CheckQuery>,
) -> Result<Json<ContentsReport>, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let at = match query.version.as_deref() {
        None | Some("") => At::Draft,
        Some(text) => parse_at(text, "version")?,
    };
    Ok(Json(check_contents(&plan_at(&state, plan_id, at).await?)))
}

async fn export(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let file = state
        .store
        .export_plan(plan_id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no plan with id {plan_id}")))?;
    Ok(([(CONTENT_TYPE, "application/json")], file.to_json()).into_response())
}

/// The plan in force, for anyone.
#[derive(Debug, Serialize)]
pub struct PublicPlanJson {
    pub body: Body,
    pub version: VersionMeta,
    pub plan: Plan,
}

async fn public_plan(State(state): State<AppState>) -> Result<Json<PublicPlanJson>, ApiError> {
    let nothing = || ApiError::not_found("no plan has been issued yet");
    let public = find_public_plan(&state.store).await?.ok_or_else(nothing)?;
    let number = public.current().ok_or_else(nothing)?.number;
    let version = load_public_version(&state.store, &public, number).await?.ok_or_else(nothing)?;
    Ok(Json(PublicPlanJson { body: public.body, version: version.meta, plan: version.plan }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Problem;

    #[test]
    fn a_badly_shaped_body_names_the_path_of_the_problem() {
        let error = parse_json::<NewVersionInput>(br#"{"kind": "issued", "label": 3}"#).err();
        match error {
            Some(ApiError::Invalid { problems, .. }) => {
                assert_eq!(
                    problems,
                    vec![Problem { path: String::from("label"), problem: problems[0].problem.clone() }]
                );
                assert!(problems[0].problem.contains("invalid type"), "{}", problems[0].problem);
            }
            other => panic!("expected a 422, got {other:?}"),
        }
        assert!(matches!(parse_json::<NewVersionInput>(b"{not json"), Err(ApiError::BadRequest(_))));
    }

    #[test]
    fn versions_are_named_by_number_or_as_the_draft() {
        assert_eq!(parse_at("draft", "to").ok(), Some(At::Draft));
        assert_eq!(parse_at("2", "to").ok(), Some(At::Version(VersionNumber(2))));
        assert!(parse_at("two", "to").is_err());
    }
}

/// `{"kind": "issue" | "variation"}`: starts a process (PRSRA 2011 s.5(6)-(8)).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewProcessInput {
    pub kind: pcplan_domain::process::ProcessKind,
    #[serde(default)]
    pub meeting: Option<pcplan_domain::MeetingId>,
}

/// `{"step": "sent_to_panel", "evidence": {"on": "2014-01-29", "by": "...", ...}}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StepInput {
    pub step: pcplan_domain::process::Step,
    pub evidence: pcplan_domain::process::Evidence,
}

async fn list_processes(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Response, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    state.store.plan(plan_id).await?.ok_or_else(|| ApiError::not_found(format!("plan {plan_id} not found")))?;
    Ok(Json(state.store.processes(plan_id).await?).into_response())
}

async fn start_process(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<NewProcessInput>,
) -> Result<Response, ApiError> {
    let plan_id: PlanId = parse_id(&id, "plan")?;
    let stored = state
        .store
        .create_process(&user.actor(), pcplan_domain::ProcessId::new(), plan_id, input.kind, input.meeting)
        .await?;
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// The process, checked to belong to the plan in the path.
async fn process_of(state: &AppState, plan: &str, process: &str) -> Result<pcplan_store::StoredProcess, ApiError> {
    let plan_id: PlanId = parse_id(plan, "plan")?;
    let process_id: pcplan_domain::ProcessId = parse_id(process, "process")?;
    state
        .store
        .process(process_id)
        .await?
        .filter(|p| p.plan_id == plan_id)
        .ok_or_else(|| ApiError::not_found(format!("process {process_id} of plan {plan_id} not found")))
}

async fn get_process(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath((plan, process)): ApiPath<(String, String)>,
) -> Result<Response, ApiError> {
    Ok(Json(process_of(&state, &plan, &process).await?).into_response())
}

async fn record_step(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath((plan, process)): ApiPath<(String, String)>,
    JsonBody(input): JsonBody<StepInput>,
) -> Result<Response, ApiError> {
    let stored = process_of(&state, &plan, &process).await?;
    if let Some(plan) = state.store.plan(stored.plan_id).await?
        && let Err(problem) =
            crate::api_decisions::check_issuing_decision(&state, plan.body_id, input.step, input.evidence.decision)
                .await?
    {
        return Err(ApiError::invalid("evidence.decision", problem));
    }
    let updated = state.store.record_step(&user.actor(), stored.id, input.step, &input.evidence).await?;
    Ok(Json(updated).into_response())
}
