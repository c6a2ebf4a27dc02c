//! Panel meetings and the issue and variation processes of plans.
//!
//! A meeting is stored with the papers deadline computed when it was scheduled; a
//! process is stored as its steps and their evidence. Recording a step loads the process
//! in the write transaction, lets the domain check the order and dates, and writes the
//! result with an audit entry, as plan records are. This module decides nothing about
//! the statutory rules; `pcplan_domain::process` does.

use pcplan_domain::meeting::Meeting;
use pcplan_domain::process::{Evidence, Process, ProcessKind, Step};
use pcplan_domain::{BodyId, MeetingId, PlanId, ProcessId};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};

/// A stored process with its identity, plan and the Panel meeting that considers it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StoredProcess {
    pub id: ProcessId,
    pub plan_id: PlanId,
    pub meeting_id: Option<MeetingId>,
    pub process: Process,
}

pub(crate) async fn create_meeting(db: &Db, actor: &Actor, meeting: &Meeting) -> Result<()> {
    let mut tx = db.begin().await?;
    insert_meeting(&mut tx, actor, meeting).await?;
    tx.commit().await
}

/// Inserts a meeting and its audit entry in the caller's write transaction. A meeting
/// with no board belongs to its body's Panel (made on first use); a named board must
/// belong to the meeting's body.
pub(crate) async fn insert_meeting(tx: &mut Tx, actor: &Actor, meeting: &Meeting) -> Result<Meeting> {
    let body: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM bodies WHERE id = $1")
        .bind(meeting.body_id.to_string()).fetch_optional(&mut *c).await?);
    if body.is_none() {
        return Err(StoreError::NotFound { what: format!("body {}", meeting.body_id) });
    }
    let mut meeting = meeting.clone();
    match meeting.board_id {
        Some(board) => match crate::boards::load_board(tx, board).await? {
            Some(found) if found.body_id == meeting.body_id => {}
            Some(_) => {
                return Err(StoreError::Conflict(format!("board {board} belongs to another policing body")));
            }
            // The identity of the body's own Panel names it even before it is stored.
            None if board == pcplan_domain::board::Board::panel_id(meeting.body_id) => {
                crate::boards::panel_for(tx, actor, meeting.body_id).await?;
            }
            None => return Err(StoreError::NotFound { what: format!("board {board}") }),
        },
        None => meeting.board_id = Some(crate::boards::panel_for(tx, actor, meeting.body_id).await?),
    }
    let now = timestamp(chrono::Utc::now());
    let data = to_json(&meeting)?;
    on_tx!(&mut *tx, c => sqlx::query(
        "INSERT INTO meetings (id, body_id, held_on, data, created_at, updated_at, board_id) \
         VALUES ($1, $2, $3, $4, $5, $5, $6)")
        .bind(meeting.id.to_string())
        .bind(meeting.body_id.to_string())
        .bind(meeting.held_on.to_string())
        .bind(&data)
        .bind(&now)
        .bind(meeting.board_id.map(|b| b.to_string()))
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "meeting",
        entity_id: meeting.id.to_string(),
        before: None,
        after: Some(audit_json(&meeting)),
    };
    audit::append(tx, actor, change).await?;
    Ok(meeting)
}

/// A stored meeting. Meetings stored before boards existed have no board in their JSON;
/// the column migration 0007 filled in names it.
pub(crate) async fn load_meeting(tx: &mut Tx, id: MeetingId) -> Result<Option<Meeting>> {
    let row: Option<(String, Option<String>)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT data, board_id FROM meetings WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data, board)| to_meeting(&id.to_string(), &data, board)).transpose()
}

fn to_meeting(id: &str, data: &str, board: Option<String>) -> Result<Meeting> {
    let mut meeting: Meeting = serde_json::from_str(data).map_err(|e| corrupt(format!("meeting {id}"), e))?;
    if meeting.board_id.is_none() {
        meeting.board_id =
            board.map(|b| b.parse()).transpose().map_err(|e| corrupt(format!("board of meeting {id}"), e))?;
    }
    Ok(meeting)
}

/// Writes a meeting's JSON back (the caller audits the change).
pub(crate) async fn write_meeting(tx: &mut Tx, meeting: &Meeting) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE meetings SET data = $1, updated_at = $2 WHERE id = $3")
        .bind(to_json(meeting)?)
        .bind(timestamp(chrono::Utc::now()))
        .bind(meeting.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn meeting(db: &Db, id: MeetingId) -> Result<Option<Meeting>> {
    let mut tx = db.begin_read().await?;
    let meeting = load_meeting(&mut tx, id).await?;
    tx.commit().await?;
    Ok(meeting)
}

pub(crate) async fn meetings(db: &Db, body: BodyId) -> Result<Vec<Meeting>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data, board_id FROM meetings WHERE body_id = $1 ORDER BY held_on, id")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.into_iter().map(|(id, data, board)| to_meeting(&id, &data, board)).collect()
}

/// Records when a meeting's papers were published. The deadline fixed at scheduling
/// does not move.
pub(crate) async fn set_papers_published(
    db: &Db,
    actor: &Actor,
    id: MeetingId,
    published: chrono::NaiveDate,
) -> Result<Meeting> {
    use chrono::Datelike;
    use pcplan_domain::calendar::{FIRST_YEAR, LAST_YEAR};
    use pcplan_domain::clock::{FieldProblem, FieldProblems};
    // Clear days are counted only inside the calendar's years; a date outside them is a
    // typing slip that would otherwise make every later check of the meeting fail.
    if !(FIRST_YEAR..=LAST_YEAR).contains(&published.year()) {
        let problem = format!("{published} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})");
        return Err(FieldProblems(vec![FieldProblem::new("published_on", problem)]).into());
    }
    let mut tx = db.begin().await?;
    let before =
        load_meeting(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("meeting {id}") })?;
    let mut after = before.clone();
    after.papers_published_on = Some(published);
    write_meeting(&mut tx, &after).await?;
    let change = Change {
        action: "papers_published",
        entity: "meeting",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn create_process(
    db: &Db,
    actor: &Actor,
    id: ProcessId,
    plan: PlanId,
    kind: ProcessKind,
    meeting: Option<MeetingId>,
) -> Result<StoredProcess> {
    let mut tx = db.begin().await?;
    let exists: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM plans WHERE id = $1")
        .bind(plan.to_string()).fetch_optional(&mut *c).await?);
    if exists.is_none() {
        return Err(StoreError::NotFound { what: format!("plan {plan}") });
    }
    if let Some(meeting_id) = meeting
        && load_meeting(&mut tx, meeting_id).await?.is_none()
    {
        return Err(StoreError::NotFound { what: format!("meeting {meeting_id}") });
    }
    let stored = StoredProcess { id, plan_id: plan, meeting_id: meeting, process: Process::new(kind) };
    let now = timestamp(chrono::Utc::now());
    let kind_name = match kind {
        ProcessKind::Issue => "issue",
        ProcessKind::Variation => "variation",
    };
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO processes (id, plan_id, kind, meeting_id, data, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6)")
        .bind(id.to_string())
        .bind(plan.to_string())
        .bind(kind_name)
        .bind(meeting.map(|m| m.to_string()))
        .bind(to_json(&stored.process)?)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "process",
        entity_id: id.to_string(),
        before: None,
        after: Some(audit_json(&stored)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(stored)
}

type ProcessRow = (String, String, Option<String>, String);

fn to_stored(row: ProcessRow) -> Result<StoredProcess> {
    let (id, plan_id, meeting_id, data) = row;
    Ok(StoredProcess {
        id: id.parse().map_err(|e| corrupt(format!("process id `{id}`"), e))?,
        plan_id: plan_id.parse().map_err(|e| corrupt(format!("plan id of process {id}"), e))?,
        meeting_id: meeting_id
            .map(|m| m.parse())
            .transpose()
            .map_err(|e| corrupt(format!("meeting of process {id}"), e))?,
        process: serde_json::from_str(&data).map_err(|e| corrupt(format!("process {id}"), e))?,
    })
}

pub(crate) async fn load_process(tx: &mut Tx, id: ProcessId) -> Result<Option<StoredProcess>> {
    let row: Option<ProcessRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, plan_id, meeting_id, data FROM processes WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(to_stored).transpose()
}

pub(crate) async fn process(db: &Db, id: ProcessId) -> Result<Option<StoredProcess>> {
    let mut tx = db.begin_read().await?;
    let found = load_process(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

pub(crate) async fn processes(db: &Db, plan: PlanId) -> Result<Vec<StoredProcess>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<ProcessRow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, plan_id, meeting_id, data FROM processes WHERE plan_id = $1 ORDER BY created_at, id")
        .bind(plan.to_string()).fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.into_iter().map(to_stored).collect()
}

/// Records a step's evidence; the domain refuses steps out of order or dated too early.
pub(crate) async fn record_step(
    db: &Db,
    actor: &Actor,
    id: ProcessId,
    step: Step,
    evidence: &Evidence,
) -> Result<StoredProcess> {
    let mut tx = db.begin().await?;
    let stored = record_step_in(&mut tx, actor, id, step, evidence).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Records a step in the caller's write transaction, with its audit entry; the Panel
/// report's publication uses it so that the response and its step commit together.
pub(crate) async fn record_step_in(
    tx: &mut Tx,
    actor: &Actor,
    id: ProcessId,
    step: Step,
    evidence: &Evidence,
) -> Result<StoredProcess> {
    let mut stored =
        load_process(tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("process {id}") })?;
    stored.process.record(step, evidence.clone())?;
    // The deadlines this step starts are fixed now, with the body's settings today.
    let body: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT p.body_id FROM processes r JOIN plans p ON p.id = r.plan_id WHERE r.id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    if let Some((body,)) = body {
        let body: pcplan_domain::BodyId = body.parse().map_err(|e| corrupt(format!("body of process {id}"), e))?;
        stored.process.fix_due_dates(&crate::settings::settings_in(tx, body).await?);
    }
    on_tx!(&mut *tx, c => sqlx::query("UPDATE processes SET data = $1, updated_at = $2 WHERE id = $3")
        .bind(to_json(&stored.process)?)
        .bind(timestamp(chrono::Utc::now()))
        .bind(id.to_string())
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "record_step",
        entity: "process",
        entity_id: id.to_string(),
        before: None,
        after: Some(serde_json::json!({ "step": step.as_str(), "evidence": audit_json(evidence) })),
    };
    audit::append(tx, actor, change).await?;
    Ok(stored)
}
