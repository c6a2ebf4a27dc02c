//! Boards, members, meeting records and papers in the JSON API under `/api/v1`.
//!
//! Reads need a signed-in account; writes need an editor or administrator, checked by
//! the `Editor` extractor before the body is read, so a refused request stores nothing.
//! A paper is uploaded as `multipart/form-data` (fields `title`, `agenda_item` and
//! `file`) and comes back as a draft; publishing it is a separate call. Every paper in a
//! meeting's listing carries its clear-days timing, worked out by the meeting's own
//! check with the stored calendar, and the meeting carries the worst of them.
//! `PUT /api/v1/meetings/{id}/record` takes an optional `revision` (the
//! `meeting.revision` the change was based on) and answers 409 `conflict` when someone
//! changed the record since. The JSON
//! shapes are the domain's records; this module adds no rule of its own.

use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::{Json, Router};
use chrono::NaiveDate;
use pcplan_domain::board::{Board, BoardKind, Member};
use pcplan_domain::meeting::{AgendaItem, Attendance, Meeting, MeetingStatus, Minutes};
use pcplan_domain::paper::{self, Paper, PaperTiming};
use pcplan_domain::{BoardId, BodyId, MeetingId, MemberId, PaperId};
use pcplan_store::NewPaper;
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::api::{ApiPath, JsonBody, parse_id};
use crate::auth::{CurrentUser, Editor};
use crate::error::ApiError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/api/v1/bodies/{id}/boards", get(list_boards).post(create_board))
        .route("/api/v1/boards/{id}", get(get_board).put(update_board))
        .route("/api/v1/boards/{id}/members", post(add_member))
        .route("/api/v1/boards/{id}/meetings", get(board_meetings).post(schedule))
        .route("/api/v1/members/{id}", put(update_member))
        .route("/api/v1/meetings/{id}/record", get(get_record).put(put_record))
        .route(
            "/api/v1/meetings/{id}/uploads",
            // The upload reader counts the file against the paper limit itself.
            post(upload).layer(axum::extract::DefaultBodyLimit::disable()),
        )
        .route("/api/v1/papers/{id}/publish", post(publish))
        .route("/api/v1/papers/{id}/withdraw", post(withdraw))
        .route("/api/v1/papers/{id}/content", get(content))
}

/// `{"kind": {"kind": "local_board", "area_code": "E08000031"}, "name": "..."}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoardInput {
    pub kind: BoardKind,
    pub name: String,
    #[serde(default)]
    pub illustrative: bool,
}

async fn list_boards(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Board>>, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    state.store.body(body).await?.ok_or_else(|| ApiError::not_found(format!("no body with id {body}")))?;
    Ok(Json(state.store.boards(Some(body)).await?))
}

async fn create_board(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<BoardInput>,
) -> Result<Response, ApiError> {
    let body: BodyId = parse_id(&id, "body")?;
    let board = Board {
        id: BoardId::new(),
        body_id: body,
        kind: input.kind,
        name: input.name,
        illustrative: input.illustrative,
    };
    state.store.create_board(&user.actor(), &board).await?;
    let stored = state.store.board(board.id).await?.unwrap_or(board);
    Ok((StatusCode::CREATED, Json(stored)).into_response())
}

/// A board with its members.
#[derive(Debug, Serialize)]
pub struct BoardJson {
    #[serde(flatten)]
    pub board: Board,
    pub members: Vec<Member>,
}

async fn known_board(state: &AppState, id: &str) -> Result<Board, ApiError> {
    let id: BoardId = parse_id(id, "board")?;
    state.store.board(id).await?.ok_or_else(|| ApiError::not_found(format!("no board with id {id}")))
}

async fn get_board(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<BoardJson>, ApiError> {
    let board = known_board(&state, &id).await?;
    let members = state.store.members(board.id).await?;
    Ok(Json(BoardJson { board, members }))
}

async fn update_board(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<BoardInput>,
) -> Result<Json<Board>, ApiError> {
    let before = known_board(&state, &id).await?;
    let board = Board { kind: input.kind, name: input.name, illustrative: input.illustrative, ..before };
    state.store.update_board(&user.actor(), &board).await?;
    Ok(Json(state.store.board(board.id).await?.unwrap_or(board)))
}

/// A member without identity or board: those come from the path.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MemberInput {
    pub name: String,
    pub role: pcplan_domain::board::MemberRole,
    pub membership: pcplan_domain::board::Membership,
    pub term_from: NaiveDate,
    #[serde(default)]
    pub term_to: Option<NaiveDate>,
    #[serde(default)]
    pub substitute_for: Option<MemberId>,
    #[serde(default)]
    pub interests: Vec<pcplan_domain::board::Interest>,
    #[serde(default)]
    pub illustrative: bool,
}

impl MemberInput {
    fn into_member(self, id: MemberId, board_id: BoardId) -> Member {
        Member {
            id,
            board_id,
            name: self.name,
            role: self.role,
            membership: self.membership,
            term_from: self.term_from,
            term_to: self.term_to,
            substitute_for: self.substitute_for,
            interests: self.interests,
            illustrative: self.illustrative,
        }
    }
}

async fn add_member(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<MemberInput>,
) -> Result<Response, ApiError> {
    let board: BoardId = parse_id(&id, "board")?;
    let member = input.into_member(MemberId::new(), board);
    state.store.add_member(&user.actor(), &member).await?;
    Ok((StatusCode::CREATED, Json(state.store.member(member.id).await?.unwrap_or(member))).into_response())
}

/// Replaces a member's record, their register of interests included.
async fn update_member(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<MemberInput>,
) -> Result<Json<Member>, ApiError> {
    let id: MemberId = parse_id(&id, "member")?;
    let before = state.store.member(id).await?.ok_or_else(|| ApiError::not_found(format!("no member with id {id}")))?;
    let member = input.into_member(id, before.board_id);
    state.store.update_member(&user.actor(), &member).await?;
    Ok(Json(state.store.member(id).await?.unwrap_or(member)))
}

async fn board_meetings(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<Vec<Meeting>>, ApiError> {
    let board = known_board(&state, &id).await?;
    Ok(Json(state.store.board_meetings(board.id).await?))
}

/// `{"title": "...", "held_on": "2014-02-03", "place": "Council House"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleInput {
    pub title: String,
    pub held_on: NaiveDate,
    #[serde(default)]
    pub place: String,
}

async fn schedule(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<ScheduleInput>,
) -> Result<Response, ApiError> {
    let board: BoardId = parse_id(&id, "board")?;
    let meeting = state
        .store
        .schedule_board_meeting(&user.actor(), MeetingId::new(), board, &input.title, input.held_on, &input.place)
        .await?;
    Ok((StatusCode::CREATED, Json(meeting)).into_response())
}

/// A paper with its clear-days timing.
#[derive(Debug, Serialize)]
pub struct PaperJson {
    #[serde(flatten)]
    pub paper: Paper,
    pub timing: PaperTiming,
}

/// A meeting, its papers and the worst of their timings.
#[derive(Debug, Serialize)]
pub struct RecordJson {
    pub meeting: Meeting,
    pub papers: Vec<PaperJson>,
    /// The worst timing of the meeting's papers; `null` without papers.
    pub worst: Option<PaperTiming>,
}

async fn record_json(state: &AppState, meeting: Meeting) -> Result<RecordJson, ApiError> {
    let calendar = state.store.calendar().await?;
    let mut papers = Vec::new();
    for paper in state.store.papers(meeting.id).await? {
        let timing = paper::timing(&paper, &meeting, &calendar).map_err(|e| ApiError::Internal(e.to_string()))?;
        papers.push(PaperJson { paper, timing });
    }
    let timings: Vec<PaperTiming> = papers.iter().map(|p| p.timing.clone()).collect();
    let worst = paper::worst(&timings).cloned();
    Ok(RecordJson { meeting, papers, worst })
}

async fn known_meeting(state: &AppState, id: &str) -> Result<Meeting, ApiError> {
    let id: MeetingId = parse_id(id, "meeting")?;
    state.store.meeting(id).await?.ok_or_else(|| ApiError::not_found(format!("no meeting with id {id}")))
}

async fn get_record(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
) -> Result<Json<RecordJson>, ApiError> {
    let meeting = known_meeting(&state, &id).await?;
    Ok(Json(record_json(&state, meeting).await?))
}

/// What staff record about a meeting; each field left out keeps its stored value.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordInput {
    pub title: Option<String>,
    pub place: Option<String>,
    pub status: Option<MeetingStatus>,
    pub agenda: Option<Vec<AgendaItem>>,
    pub attendance: Option<Vec<Attendance>>,
    /// `null` removes the minutes; leave the field out to keep them.
    #[serde(default, deserialize_with = "some")]
    pub minutes: Option<Option<Minutes>>,
    /// The `meeting.revision` this change is based on; when given and no longer the
    /// stored one, the change is refused with 409 `conflict`.
    #[serde(default)]
    pub revision: Option<u64>,
}

/// Tells a present `null` (Some(None)) from a missing field (None).
fn some<'de, D: serde::Deserializer<'de>>(deserializer: D) -> Result<Option<Option<Minutes>>, D::Error> {
    Option::<Minutes>::deserialize(deserializer).map(Some)
}

async fn put_record(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<RecordInput>,
) -> Result<Json<RecordJson>, ApiError> {
    let before = known_meeting(&state, &id).await?;
    let meeting = Meeting {
        title: input.title.unwrap_or(before.title.clone()),
        place: input.place.unwrap_or(before.place.clone()),
        status: input.status.unwrap_or(before.status.clone()),
        agenda: input.agenda.unwrap_or(before.agenda.clone()),
        attendance: input.attendance.unwrap_or(before.attendance.clone()),
        minutes: input.minutes.unwrap_or(before.minutes.clone()),
        ..before
    };
    let how = pcplan_store::RecordChange { based_on: input.revision, renumbered: None };
    let stored = state.store.update_meeting_record(&user.actor(), &meeting, how).await?;
    Ok(Json(record_json(&state, stored).await?))
}

async fn upload(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    form: Result<Multipart, MultipartRejection>,
) -> Result<Response, ApiError> {
    let meeting: MeetingId = parse_id(&id, "meeting")?;
    // A body that is not `multipart/form-data` gets the API's JSON 400, not axum's text.
    let form = form.map_err(|rejection| {
        ApiError::BadRequest(format!(
            "send the paper as multipart/form-data with the fields title, agenda_item and file: {}",
            rejection.body_text()
        ))
    })?;
    let limit = state.config.max_paper_bytes;
    let upload = crate::papers::read_upload(form, limit)
        .await
        .map_err(|reason| ApiError::BadRequest(format!("the upload could not be read: {reason}")))?;
    if upload.too_large {
        return Err(ApiError::invalid("file", crate::papers::too_large_message(&upload.file_name, limit)));
    }
    let new = NewPaper {
        id: PaperId::new(),
        meeting_id: meeting,
        title: &upload.title,
        agenda_item: Some(upload.agenda_item.as_str()),
        file_name: &upload.file_name,
        bytes: &upload.bytes,
        max_bytes: limit,
    };
    let paper = state.store.upload_paper(&user.actor(), &new).await?;
    Ok((StatusCode::CREATED, Json(paper)).into_response())
}

/// `{"published_on": "2014-01-29"}`; today when left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishInput {
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
}

async fn publish(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<PublishInput>,
) -> Result<Json<Paper>, ApiError> {
    let id: PaperId = parse_id(&id, "paper")?;
    let today = crate::today();
    let on = input.published_on.unwrap_or(today);
    if on > today {
        return Err(ApiError::invalid("published_on", format!("{on} is in the future; publish on the day")));
    }
    Ok(Json(state.store.publish_paper(&user.actor(), id, chrono::Utc::now(), on).await?))
}

/// `{"reason": "Replaced by a corrected version"}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WithdrawInput {
    pub reason: String,
}

async fn withdraw(
    State(state): State<AppState>,
    Editor(user): Editor,
    ApiPath(id): ApiPath<String>,
    JsonBody(input): JsonBody<WithdrawInput>,
) -> Result<Json<Paper>, ApiError> {
    let id: PaperId = parse_id(&id, "paper")?;
    Ok(Json(state.store.withdraw_paper(&user.actor(), id, &input.reason).await?))
}

/// The stored bytes of any paper, drafts and withdrawn ones included, for staff.
async fn content(
    State(state): State<AppState>,
    _user: CurrentUser,
    ApiPath(id): ApiPath<String>,
    headers: HeaderMap,
) -> Result<Response, ApiError> {
    let id: PaperId = parse_id(&id, "paper")?;
    let (paper, bytes) =
        state.store.paper_content(id).await?.ok_or_else(|| ApiError::not_found(format!("no paper with id {id}")))?;
    Ok(crate::papers::download(&paper, bytes, &headers, "private, no-store"))
}
