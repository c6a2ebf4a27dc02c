//! Papers of meetings: the uploaded bytes (BLOB in SQLite, BYTEA in PostgreSQL) with
//! their SHA-256, and the record beside them as JSON.
//!
//! An upload is checked by the domain (`paper::check_file`: type by content, size
//! against the limit the caller passes from its settings) before anything is written.
//! The audit entry of every paper change holds the record and the hash, never the
//! bytes: the log stays small and the hash proves which bytes were meant. Published
//! papers are kept (LGA 1972 s.100C, six years): this module has no delete, and the
//! database refuses to delete a published paper or change any paper's bytes (migration
//! 0007's triggers). Withdrawing hides a paper from the public and keeps it.

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use pcplan_domain::calendar::{FIRST_YEAR, LAST_YEAR};
use pcplan_domain::clock::{FieldProblem, FieldProblems};
use pcplan_domain::paper::{self, Paper, Withdrawal};
use pcplan_domain::{MeetingId, PaperId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::processes;

/// A file to store as a paper.
#[derive(Clone, Debug)]
pub struct NewPaper<'a> {
    pub id: PaperId,
    pub meeting_id: MeetingId,
    pub title: &'a str,
    /// The agenda item's number, if the paper belongs to one.
    pub agenda_item: Option<&'a str>,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// The largest file accepted, from the caller's settings.
    pub max_bytes: usize,
}

fn fields(problems: Vec<FieldProblem>) -> StoreError {
    FieldProblems(problems).into()
}

async fn load_paper(tx: &mut Tx, id: PaperId) -> Result<Option<Paper>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM papers WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data,)| serde_json::from_str(&data).map_err(|e| corrupt(format!("paper {id}"), e))).transpose()
}

pub(crate) async fn write_paper(tx: &mut Tx, paper: &Paper) -> Result<()> {
    on_tx!(tx, c => sqlx::query("UPDATE papers SET data = $1, published_at = $2, updated_at = $3 WHERE id = $4")
        .bind(to_json(paper)?)
        .bind(paper.published_at.map(timestamp))
        .bind(timestamp(crate::db::now()))
        .bind(paper.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_paper(tx, paper.id).await
}

/// Checks and stores an uploaded file as a draft paper.
pub(crate) async fn upload_paper(db: &Db, actor: &Actor, new: &NewPaper<'_>) -> Result<Paper> {
    let mut problems = Vec::new();
    if new.title.trim().is_empty() {
        problems.push(FieldProblem::new("title", "is empty; give the paper a title, like `Agenda`"));
    }
    let kind = match paper::check_file(new.file_name, new.bytes, new.max_bytes) {
        Ok(kind) => Some(kind),
        Err(refusal) => {
            problems.push(FieldProblem::new("file", refusal.to_string()));
            None
        }
    };
    let mut tx = db.begin().await?;
    let meeting = processes::load_meeting(&mut tx, new.meeting_id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("meeting {}", new.meeting_id) })?;
    let agenda_item = new.agenda_item.map(str::trim).filter(|n| !n.is_empty());
    if let Some(number) = agenda_item
        && meeting.agenda_item(number).is_none()
    {
        problems.push(FieldProblem::new("agenda_item", format!("item {number} is not on the meeting's agenda")));
    }
    let Some(kind) = kind.filter(|_| problems.is_empty()) else { return Err(fields(problems)) };
    let file_name = new.file_name.rsplit(['/', '\\']).next().unwrap_or("").trim().to_string();
    let now = crate::db::now();
    let stored = Paper {
        id: new.id,
        meeting_id: new.meeting_id,
        title: new.title.trim().to_string(),
        agenda_item: agenda_item.map(str::to_string),
        file_name,
        kind,
        size_bytes: new.bytes.len() as u64,
        sha256: paper::sha256_hex(new.bytes),
        uploaded_by: actor.name.clone(),
        uploaded_at: now,
        published_at: None,
        published_on: None,
        withdrawn: None,
    };
    let size = i64::try_from(new.bytes.len()).map_err(|e| corrupt("paper size", e))?;
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO papers (id, meeting_id, sha256, size_bytes, content, published_at, data, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)")
        .bind(stored.id.to_string())
        .bind(stored.meeting_id.to_string())
        .bind(&stored.sha256)
        .bind(size)
        .bind(new.bytes)
        .bind(to_json(&stored)?)
        .bind(timestamp(now))
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_paper(&mut tx, stored.id).await?;
    // The record and its hash; never the bytes.
    let change = Change {
        action: "upload",
        entity: "paper",
        entity_id: stored.id.to_string(),
        before: None,
        after: Some(audit_json(&stored)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(stored)
}

/// Publishes a draft paper at `at`, counting `on` as its publication date for the
/// clear-days check. The meeting's own publication date is set too when it has none,
/// so the agenda and the reminders see its papers as published.
pub(crate) async fn publish_paper(
    db: &Db,
    actor: &Actor,
    id: PaperId,
    at: DateTime<Utc>,
    on: NaiveDate,
) -> Result<Paper> {
    if !(FIRST_YEAR..=LAST_YEAR).contains(&on.year()) {
        let problem = format!("{on} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})");
        return Err(fields(vec![FieldProblem::new("published_on", problem)]));
    }
    let mut tx = db.begin().await?;
    let before = load_paper(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("paper {id}") })?;
    if before.withdrawn.is_some() {
        return Err(StoreError::Conflict(format!("`{}` was withdrawn and cannot be published", before.title)));
    }
    if let Some(on) = before.published_on {
        return Err(StoreError::Conflict(format!("`{}` was already published on {on}", before.title)));
    }
    let after = Paper { published_at: Some(at), published_on: Some(on), ..before.clone() };
    write_paper(&mut tx, &after).await?;
    let change = Change {
        action: "publish",
        entity: "paper",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    if let Some(meeting) = processes::load_meeting(&mut tx, after.meeting_id).await?
        && meeting.papers_published_on.is_none()
    {
        let updated = pcplan_domain::meeting::Meeting { papers_published_on: Some(on), ..meeting.clone() };
        processes::write_meeting(&mut tx, &updated).await?;
        let change = Change {
            action: "papers_published",
            entity: "meeting",
            entity_id: meeting.id.to_string(),
            before: Some(audit_json(&meeting)),
            after: Some(audit_json(&updated)),
        };
        audit::append(&mut tx, actor, change).await?;
    }
    tx.commit().await?;
    Ok(after)
}

/// Withdraws a paper: the public no longer see it; its record and bytes are kept.
pub(crate) async fn withdraw_paper(db: &Db, actor: &Actor, id: PaperId, reason: &str) -> Result<Paper> {
    if reason.trim().is_empty() {
        return Err(fields(vec![FieldProblem::new("reason", "is empty; say why the paper is withdrawn")]));
    }
    let mut tx = db.begin().await?;
    let before = load_paper(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("paper {id}") })?;
    if before.withdrawn.is_some() {
        return Err(StoreError::Conflict(format!("`{}` is already withdrawn", before.title)));
    }
    let withdrawal = Withdrawal { reason: reason.trim().to_string(), at: crate::db::now(), by: actor.name.clone() };
    let after = Paper { withdrawn: Some(withdrawal), ..before.clone() };
    write_paper(&mut tx, &after).await?;
    let change = Change {
        action: "withdraw",
        entity: "paper",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn paper(db: &Db, id: PaperId) -> Result<Option<Paper>> {
    let mut tx = db.begin_read().await?;
    let found = load_paper(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// A paper's record and bytes, for a download.
pub(crate) async fn paper_content(db: &Db, id: PaperId) -> Result<Option<(Paper, Vec<u8>)>> {
    let mut tx = db.begin_read().await?;
    let row: Option<(String, Vec<u8>)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT data, content FROM papers WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    tx.commit().await?;
    row.map(|(data, bytes)| {
        let paper: Paper = serde_json::from_str(&data).map_err(|e| corrupt(format!("paper {id}"), e))?;
        Ok((paper, bytes))
    })
    .transpose()
}

/// A meeting's papers, in the order they were uploaded.
pub(crate) async fn papers(db: &Db, meeting: MeetingId) -> Result<Vec<Paper>> {
    let mut tx = db.begin_read().await?;
    let papers = papers_in(&mut tx, meeting).await?;
    tx.commit().await?;
    Ok(papers)
}

/// A meeting's papers in a transaction, in the order they were uploaded.
pub(crate) async fn papers_in(tx: &mut Tx, meeting: MeetingId) -> Result<Vec<Paper>> {
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, data FROM papers WHERE meeting_id = $1 ORDER BY created_at, id")
        .bind(meeting.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(id, data)| serde_json::from_str(&data).map_err(|e| corrupt(format!("paper {id}"), e)))
        .collect()
}

/// Published papers (withdrawn ones included: the caller decides what the public see),
/// newest publication first, at most `limit`.
pub(crate) async fn published_papers(db: &Db, limit: i64) -> Result<Vec<Paper>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data FROM papers WHERE published_at IS NOT NULL ORDER BY published_at DESC, id LIMIT $1")
        .bind(limit.max(0)).fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.into_iter()
        .map(|(id, data)| serde_json::from_str(&data).map_err(|e| corrupt(format!("paper {id}"), e)))
        .collect()
}
