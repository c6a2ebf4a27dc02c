//! The register of Notices of Decision and each body's register settings.
//!
//! A decision is one row of `decisions` holding its JSON, with the body, the number and
//! the fields the register filters on as columns. **The number is given here, inside
//! the write transaction that stores the draft**: one more than the highest number of
//! the body in that numbering year. Writers are serialised (`BEGIN IMMEDIATE` on SQLite,
//! the audit head's row lock on PostgreSQL, see `db::Db::begin`), so two drafts made at
//! once read different highest numbers; the unique constraint on (body, year, number)
//! is the second line of defence. Rows are never deleted, so a number once given is
//! never given again and never skipped: a draft that will not be signed is withdrawn
//! and keeps its number. Every change is audited with the whole decision before and
//! after, in the same transaction. This module decides nothing about what a valid
//! decision is; `pcplan_domain::decision` does.

use chrono::NaiveDate;
use pcplan_domain::decision::{
    Correction, Decision, DecisionContent, DecisionError, DecisionNumber, DecisionStatus, RegisterSettings, Signature,
    Withdrawal,
};
use pcplan_domain::{BodyId, DecisionId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_pool, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::plans;

impl From<DecisionError> for StoreError {
    fn from(error: DecisionError) -> Self {
        match error {
            DecisionError::Fields(problems) => StoreError::Fields(problems),
            other => StoreError::Conflict(other.to_string()),
        }
    }
}

/// What the register lists: every filter is optional and they combine.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DecisionFilter {
    pub body: Option<BodyId>,
    /// Only these states; all when empty.
    pub statuses: Vec<DecisionStatus>,
    pub number: Option<DecisionNumber>,
    /// Words that must all appear in the title, in any case.
    pub title: Option<String>,
    /// Signed on or after this day (drafts and withdrawn drafts have no such date and
    /// are left out when a date is given).
    pub signed_from: Option<NaiveDate>,
    pub signed_to: Option<NaiveDate>,
    /// Only decisions numbered in this year.
    pub year: Option<i32>,
}

impl DecisionFilter {
    fn keeps(&self, d: &Decision) -> bool {
        let title = d.content.title.to_lowercase();
        let words_match = self
            .title
            .as_deref()
            .is_none_or(|words| words.split_whitespace().all(|w| title.contains(&w.to_lowercase())));
        let signed = d.published_on();
        self.body.is_none_or(|b| b == d.body_id)
            && (self.statuses.is_empty() || self.statuses.contains(&d.status))
            && self.number.is_none_or(|n| n == d.number)
            && self.year.is_none_or(|y| y == d.number.year)
            && words_match
            && self.signed_from.is_none_or(|from| signed.is_some_and(|s| s >= from))
            && self.signed_to.is_none_or(|to| signed.is_some_and(|s| s <= to))
    }
}

fn parse((id, data): (String, String)) -> Result<Decision> {
    serde_json::from_str(&data).map_err(|e| corrupt(format!("decision {id}"), e))
}

async fn load(tx: &mut Tx, id: DecisionId) -> Result<Option<Decision>> {
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as("SELECT id, data FROM decisions WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(parse).transpose()
}

pub(crate) async fn decision(db: &Db, id: DecisionId) -> Result<Option<Decision>> {
    let mut tx = db.begin_read().await?;
    let found = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// The register, newest number first. The register of one body holds hundreds of
/// decisions a year, so the filter runs over the rows read rather than as SQL: one
/// query for both backends, and title search that behaves the same on each.
pub(crate) async fn decisions(db: &Db, filter: &DecisionFilter) -> Result<Vec<Decision>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = match filter.body {
        Some(body) => on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, data FROM decisions WHERE body_id = $1 ORDER BY num_year DESC, num_seq DESC")
            .bind(body.to_string()).fetch_all(&mut *c).await?),
        None => on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, data FROM decisions ORDER BY num_year DESC, num_seq DESC, body_id")
            .fetch_all(&mut *c).await?),
    };
    tx.commit().await?;
    let mut out = Vec::new();
    for row in rows {
        let decision = parse(row)?;
        if filter.keeps(&decision) {
            out.push(decision);
        }
    }
    Ok(out)
}

async fn load_settings(tx: &mut Tx, body: BodyId) -> Result<RegisterSettings> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT data FROM decision_settings WHERE body_id = $1")
        .bind(body.to_string()).fetch_optional(&mut *c).await?);
    match row {
        Some((data,)) => {
            serde_json::from_str(&data).map_err(|e| corrupt(format!("decision register settings of body {body}"), e))
        }
        None => match plans::load_body(tx, body).await? {
            Some(_) => Ok(RegisterSettings::default()),
            None => Err(StoreError::NotFound { what: format!("body {body}") }),
        },
    }
}

pub(crate) async fn register_settings(db: &Db, body: BodyId) -> Result<RegisterSettings> {
    let mut tx = db.begin_read().await?;
    let settings = load_settings(&mut tx, body).await?;
    tx.commit().await?;
    Ok(settings)
}

/// Stores a body's register settings. Changing the year basis once the body has a
/// decision is refused: numbers given under one basis would collide with, or leave
/// gaps before, numbers given under the other.
pub(crate) async fn set_register_settings(
    db: &Db,
    actor: &Actor,
    body: BodyId,
    settings: &RegisterSettings,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = load_settings(&mut tx, body).await?;
    if before.year_basis != settings.year_basis {
        let (count,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT COUNT(*) FROM decisions WHERE body_id = $1")
            .bind(body.to_string()).fetch_one(&mut *c).await?);
        if count > 0 {
            return Err(StoreError::Conflict(format!(
                "the register already holds {count} decision(s) numbered by {}; the year basis cannot change once \
                 numbers have been given",
                before.year_basis.label().to_lowercase()
            )));
        }
    }
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO decision_settings (body_id, data, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (body_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
        .bind(body.to_string())
        .bind(to_json(settings)?)
        .bind(timestamp(chrono::Utc::now()))
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "update",
        entity: "decision_settings",
        entity_id: body.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(settings)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

async fn insert(tx: &mut Tx, decision: &Decision) -> Result<()> {
    let now = timestamp(chrono::Utc::now());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO decisions (id, body_id, num_year, num_seq, status, title, confidential, signed_on, data, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $10)")
        .bind(decision.id.to_string())
        .bind(decision.body_id.to_string())
        .bind(i64::from(decision.number.year))
        .bind(i64::from(decision.number.seq))
        .bind(decision.status.as_str())
        .bind(&decision.content.title)
        .bind(i64::from(decision.content.confidentiality.is_confidential()))
        .bind(decision.published_on().map(|d| d.to_string()))
        .bind(to_json(decision)?)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_decision(tx, decision).await
}

async fn write(tx: &mut Tx, decision: &Decision) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE decisions SET status = $1, title = $2, confidential = $3, signed_on = $4, data = $5, updated_at = $6 \
         WHERE id = $7")
        .bind(decision.status.as_str())
        .bind(&decision.content.title)
        .bind(i64::from(decision.content.confidentiality.is_confidential()))
        .bind(decision.published_on().map(|d| d.to_string()))
        .bind(to_json(decision)?)
        .bind(timestamp(chrono::Utc::now()))
        .bind(decision.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_decision(tx, decision).await
}

/// Makes a draft and gives it the next number of its body's numbering year.
pub(crate) async fn create_decision(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    body: BodyId,
    drafted_on: NaiveDate,
    content: &DecisionContent,
) -> Result<Decision> {
    content.check()?;
    let mut tx = db.begin().await?;
    let settings = load_settings(&mut tx, body).await?;
    let year = settings.year_basis.year_of(drafted_on);
    // MAX + 1 under the writers' serialisation (see the module doc); never a sequence,
    // which PostgreSQL does not roll back and so would skip numbers.
    let (highest,): (Option<i64>,) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT MAX(num_seq) FROM decisions WHERE body_id = $1 AND num_year = $2")
        .bind(body.to_string()).bind(i64::from(year)).fetch_one(&mut *c).await?);
    let seq = u32::try_from(highest.unwrap_or(0) + 1)
        .map_err(|e| corrupt(format!("decision numbers of body {body} in {year}"), e))?;
    let decision = Decision {
        id,
        body_id: body,
        number: DecisionNumber { year, seq },
        status: DecisionStatus::Draft,
        drafted_on,
        content: content.clone(),
        signature: None,
        withdrawal: None,
        corrections: Vec::new(),
        content_hash: None,
    };
    insert(&mut tx, &decision).await?;
    let change = Change {
        action: "create",
        entity: "decision",
        entity_id: id.to_string(),
        before: None,
        after: Some(audit_json(&decision)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(decision)
}

/// Records a decision made before the register was kept here, with its own number
/// (a past year's register, or the demo's 018/2013). Refused when the number is taken.
/// Later drafts of that year continue after the highest number stored.
pub(crate) async fn import_decision(db: &Db, actor: &Actor, decision: &Decision) -> Result<()> {
    decision.content.check()?;
    if decision.status == DecisionStatus::Signed && decision.signature.is_none() {
        let problem = pcplan_domain::clock::FieldProblem::new("signature", "a signed decision needs its signature");
        return Err(pcplan_domain::clock::FieldProblems(vec![problem]).into());
    }
    // A signed decision brought in from elsewhere is published as it arrives: record the
    // hash of that content, or refuse one whose recorded hash does not match it.
    let mut decision = decision.clone();
    if decision.status == DecisionStatus::Signed {
        match decision.content_intact() {
            None => decision.content_hash = Some(decision.content.hash()),
            Some(true) => {}
            Some(false) => {
                let problem = pcplan_domain::clock::FieldProblem::new(
                    "content_hash",
                    "the content does not match its recorded hash; it was changed after signing",
                );
                return Err(pcplan_domain::clock::FieldProblems(vec![problem]).into());
            }
        }
    }
    let decision = &decision;
    let mut tx = db.begin().await?;
    load_settings(&mut tx, decision.body_id).await?;
    let taken: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id FROM decisions WHERE id = $1 OR (body_id = $2 AND num_year = $3 AND num_seq = $4)")
        .bind(decision.id.to_string())
        .bind(decision.body_id.to_string())
        .bind(i64::from(decision.number.year))
        .bind(i64::from(decision.number.seq))
        .fetch_optional(&mut *c).await?);
    if let Some((other,)) = taken {
        return Err(StoreError::Conflict(format!(
            "decision {} is already in the register (decision {other}); numbers are never reused",
            decision.number
        )));
    }
    insert(&mut tx, decision).await?;
    let change = Change {
        action: "import",
        entity: "decision",
        entity_id: decision.id.to_string(),
        before: None,
        after: Some(audit_json(decision)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Loads a decision in the write transaction, applies `change` and stores the result
/// with its audit entry.
async fn change(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    action: &'static str,
    apply: impl FnOnce(&mut Decision) -> std::result::Result<(), DecisionError>,
) -> Result<Decision> {
    let mut tx = db.begin().await?;
    let before = load(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("decision {id}") })?;
    let mut after = before.clone();
    apply(&mut after)?;
    write(&mut tx, &after).await?;
    let change = Change {
        action,
        entity: "decision",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

pub(crate) async fn update_decision(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    content: &DecisionContent,
) -> Result<Decision> {
    change(db, actor, id, "update", |d| d.update(content.clone())).await
}

pub(crate) async fn sign_decision(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    signature: &Signature,
    today: NaiveDate,
) -> Result<Decision> {
    change(db, actor, id, "sign", |d| d.sign(signature.clone(), today)).await
}

pub(crate) async fn withdraw_decision(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    withdrawal: &Withdrawal,
) -> Result<Decision> {
    change(db, actor, id, "withdraw", |d| d.withdraw(withdrawal.clone())).await
}

pub(crate) async fn correct_decision(
    db: &Db,
    actor: &Actor,
    id: DecisionId,
    correction: &Correction,
) -> Result<Decision> {
    change(db, actor, id, "correct", |d| d.correct(correction.clone())).await
}

/// Every signed decision whose content no longer has the hash recorded when it was
/// signed: `(number, recorded, now)`.
pub(crate) async fn altered_decisions(db: &Db) -> Result<(u64, Vec<(String, String, String)>)> {
    let rows: Vec<(String,)> = on_pool!(db, p => sqlx::query_as("SELECT data FROM decisions WHERE status = 'signed' ORDER BY num_year, num_seq").fetch_all(p).await?);
    let mut checked = 0;
    let mut altered = Vec::new();
    for (data,) in rows {
        let decision: Decision = serde_json::from_str(&data).map_err(|e| corrupt("a decision", e))?;
        if let (Some(false), Some(recorded)) = (decision.content_intact(), decision.content_hash.clone()) {
            altered.push((decision.number.to_string(), recorded, decision.content.hash()));
        }
        checked += u64::from(decision.content_hash.is_some());
    }
    Ok((checked, altered))
}
