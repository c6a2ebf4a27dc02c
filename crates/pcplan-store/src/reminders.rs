//! The bookkeeping of e-mail reminders: which reminder was claimed, sent or failed.
//!
//! A reminder is claimed (a row in state `claimed`, committed) before its message is
//! handed to the mail server, and marked `sent` or `failed` afterwards. Because the
//! claim is an `INSERT ... ON CONFLICT DO NOTHING` on the reminder's key, only one
//! caller can ever claim a key, so a message is never sent twice, even by two runs at
//! once or by a run after a crash. A `failed` reminder was refused by the mail server
//! and never delivered, so it may be claimed again; a `claimed` one that was never
//! marked (the run crashed in between) may or may not have gone out and is left for
//! staff to check rather than retried.
//!
//! This module decides neither which reminders are due nor what they say (the binary's
//! `reminders` module does); it only records them, audited as the tool that sent them.

use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::UserId;
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::db::{Db, on_pool, on_tx, parse_date, parse_timestamp, timestamp};
use crate::error::{Result, corrupt};

/// Where a reminder stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderState {
    /// Claimed for sending and not yet confirmed either way. Seen after a run has
    /// finished, it means the run stopped between claiming and recording the result:
    /// the message may or may not have gone out, and it is not retried.
    Claimed,
    /// The mail server accepted the message.
    Sent,
    /// The mail server refused it or could not be reached; the next run tries again.
    Failed,
}

impl ReminderState {
    pub fn as_str(&self) -> &'static str {
        match self {
            ReminderState::Claimed => "claimed",
            ReminderState::Sent => "sent",
            ReminderState::Failed => "failed",
        }
    }

    pub fn parse(text: &str) -> Option<ReminderState> {
        [ReminderState::Claimed, ReminderState::Sent, ReminderState::Failed].into_iter().find(|s| s.as_str() == text)
    }

    /// How staff read the state: a claim left behind is "not confirmed".
    pub fn label(&self) -> &'static str {
        match self {
            ReminderState::Claimed => "Not confirmed",
            ReminderState::Sent => "Sent",
            ReminderState::Failed => "Failed",
        }
    }
}

/// A reminder about to be claimed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewReminder {
    /// `{item_key}|{user_id}|{stage}`: one message per item, owner and stage, ever.
    pub key: String,
    pub item_key: String,
    pub user_id: UserId,
    pub due_on: NaiveDate,
    /// `14d`, `7d`, `1d` (days before the date due) or `overdue`.
    pub stage: String,
}

/// A stored reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Reminder {
    pub key: String,
    pub item_key: String,
    pub user_id: UserId,
    pub due_on: NaiveDate,
    pub stage: String,
    pub state: ReminderState,
    pub claimed_at: DateTime<Utc>,
    pub finished_at: Option<DateTime<Utc>>,
    /// The recipient and Message-ID when sent; the mail server's reason when failed.
    pub detail: Option<String>,
}

/// The actor every reminder's audit entries are recorded under: reminders are sent by
/// the tool, whether from `pcplan serve` or `pcplan reminders send`.
fn actor() -> Actor {
    Actor::system("pcplan reminders")
}

type Row = (String, String, String, String, String, String, String, Option<String>, Option<String>);

const COLUMNS: &str = "reminder_key, item_key, user_id, due_on, stage, state, claimed_at, finished_at, detail";

const INSERT: &str = "INSERT INTO reminders (reminder_key, item_key, user_id, due_on, stage, state, claimed_at) \
                      VALUES ($1, $2, $3, $4, $5, 'claimed', $6) ON CONFLICT (reminder_key) DO NOTHING";
/// A failed reminder was never delivered, so it may be claimed again. The condition on
/// the state makes the retake as exclusive as the insert.
const RETAKE_FAILED: &str = "UPDATE reminders SET state = 'claimed', claimed_at = $1, finished_at = NULL, \
                             detail = NULL WHERE reminder_key = $2 AND state = 'failed'";
/// Only a claimed reminder is finished: a late confirmation never overwrites another.
const FINISH: &str = "UPDATE reminders SET state = $1, finished_at = $2, detail = $3 \
                      WHERE reminder_key = $4 AND state = 'claimed'";

fn to_reminder(row: Row) -> Result<Reminder> {
    let (key, item_key, user_id, due_on, stage, state, claimed_at, finished_at, detail) = row;
    Ok(Reminder {
        user_id: user_id.parse().map_err(|e| corrupt(format!("user id of reminder `{key}`"), e))?,
        due_on: parse_date(&due_on)?,
        state: ReminderState::parse(&state).ok_or_else(|| corrupt(format!("state of reminder `{key}`"), &state))?,
        claimed_at: parse_timestamp(&claimed_at)?,
        finished_at: finished_at.as_deref().map(parse_timestamp).transpose()?,
        key,
        item_key,
        stage,
        detail,
    })
}

fn audited(reminder: &Reminder) -> serde_json::Value {
    serde_json::to_value(reminder).unwrap_or(serde_json::Value::Null)
}

async fn load(tx: &mut crate::db::Tx, key: &str) -> Result<Option<Reminder>> {
    let sql = format!("SELECT {COLUMNS} FROM reminders WHERE reminder_key = $1");
    let row: Option<Row> = on_tx!(tx, c => sqlx::query_as(&sql).bind(key).fetch_optional(&mut *c).await?);
    row.map(to_reminder).transpose()
}

/// Claims a reminder for sending; true when this caller claimed it and must send it,
/// false when it was claimed before (sent, or not confirmed). The claim is committed
/// before this returns, so it survives a crash during the sending.
pub(crate) async fn claim(db: &Db, new: &NewReminder) -> Result<bool> {
    let now = timestamp(crate::db::now());
    let mut tx = db.begin().await?;
    let before = load(&mut tx, &new.key).await?;
    let inserted = on_tx!(&mut tx, c => sqlx::query(INSERT)
        .bind(&new.key)
        .bind(&new.item_key)
        .bind(new.user_id.to_string())
        .bind(new.due_on.to_string())
        .bind(&new.stage)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    let claimed = inserted == 1
        || on_tx!(&mut tx, c => sqlx::query(RETAKE_FAILED).bind(&now).bind(&new.key)
            .execute(&mut *c).await?.rows_affected())
            == 1;
    if !claimed {
        // Nothing changed, so nothing is audited; ending the transaction releases the lock.
        tx.commit().await?;
        return Ok(false);
    }
    let after = load(&mut tx, &new.key).await?.ok_or_else(|| corrupt(format!("reminder `{}`", new.key), "vanished"))?;
    let change = Change {
        action: "claim",
        entity: "reminder",
        entity_id: new.key.clone(),
        before: before.as_ref().map(audited),
        after: Some(audited(&after)),
    };
    audit::append(&mut tx, &actor(), change).await?;
    tx.commit().await?;
    Ok(true)
}

/// Records the result of sending a claimed reminder. Returns false (and changes
/// nothing) when the reminder is not in state `claimed`.
async fn finish(db: &Db, key: &str, state: ReminderState, detail: &str) -> Result<bool> {
    let mut tx = db.begin().await?;
    let Some(before) = load(&mut tx, key).await? else {
        tx.commit().await?;
        return Ok(false);
    };
    let updated = on_tx!(&mut tx, c => sqlx::query(FINISH)
        .bind(state.as_str())
        .bind(timestamp(crate::db::now()))
        .bind(detail)
        .bind(key)
        .execute(&mut *c).await?.rows_affected());
    if updated != 1 {
        tx.commit().await?;
        return Ok(false);
    }
    let after = load(&mut tx, key).await?.ok_or_else(|| corrupt(format!("reminder `{key}`"), "vanished"))?;
    let action = match state {
        ReminderState::Sent => "sent",
        ReminderState::Failed => "failed",
        // Still claimed, with why the run could not confirm it.
        ReminderState::Claimed => "unconfirmed",
    };
    let change = Change {
        action,
        entity: "reminder",
        entity_id: key.to_string(),
        before: Some(audited(&before)),
        after: Some(audited(&after)),
    };
    audit::append(&mut tx, &actor(), change).await?;
    tx.commit().await?;
    Ok(true)
}

pub(crate) async fn mark_sent(db: &Db, key: &str, detail: &str) -> Result<bool> {
    finish(db, key, ReminderState::Sent, detail).await
}

pub(crate) async fn mark_failed(db: &Db, key: &str, reason: &str) -> Result<bool> {
    finish(db, key, ReminderState::Failed, reason).await
}

pub(crate) async fn mark_unconfirmed(db: &Db, key: &str, reason: &str) -> Result<bool> {
    finish(db, key, ReminderState::Claimed, reason).await
}

pub(crate) async fn by_key(db: &Db, key: &str) -> Result<Option<Reminder>> {
    let sql = format!("SELECT {COLUMNS} FROM reminders WHERE reminder_key = $1");
    let row: Option<Row> = on_pool!(db, p => sqlx::query_as(&sql).bind(key).fetch_optional(p).await?);
    row.map(to_reminder).transpose()
}

/// The newest reminders first, by when they were claimed.
pub(crate) async fn recent(db: &Db, limit: i64) -> Result<Vec<Reminder>> {
    let sql = format!("SELECT {COLUMNS} FROM reminders ORDER BY claimed_at DESC, reminder_key LIMIT $1");
    let rows: Vec<Row> = on_pool!(db, p => sqlx::query_as(&sql).bind(limit).fetch_all(p).await?);
    rows.into_iter().map(to_reminder).collect()
}
