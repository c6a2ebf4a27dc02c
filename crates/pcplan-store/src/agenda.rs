//! The body's recurring obligations, the owners of dated items, and the agenda that
//! gathers every dated item for the dashboard, the feeds and the reminders.
//!
//! Obligations are added by [`ensure_obligations`] from what the domain says each body
//! should have around a day, each with the deadline computed then; an obligation already
//! stored keeps its deadline whatever the settings or the calendar say later. Owners are
//! kept by item key (`meeting:{id}:papers`), so any dated item can have one. This module
//! stores and loads; `pcplan_domain::obligation` and `pcplan_domain::agenda` decide.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_domain::agenda::{self, BodyRecords, DueItem, PlanRef, ProcessRef};
use pcplan_domain::clock::{FieldProblem, FieldProblems};
use pcplan_domain::obligation::{self, Completion, Obligation, Outcome};
use pcplan_domain::{BodyId, ObligationId, UserId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::{plans, processes, settings};

fn parse_obligation((id, data): (String, String)) -> Result<Obligation> {
    serde_json::from_str(&data).map_err(|e| corrupt(format!("obligation {id}"), e))
}

async fn load_obligation(tx: &mut Tx, id: ObligationId) -> Result<Option<Obligation>> {
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, data FROM obligations WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(parse_obligation).transpose()
}

pub(crate) async fn obligation(db: &Db, id: ObligationId) -> Result<Option<Obligation>> {
    let mut tx = db.begin_read().await?;
    let found = load_obligation(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

pub(crate) async fn obligations(db: &Db, body: BodyId) -> Result<Vec<Obligation>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data FROM obligations WHERE body_id = $1 ORDER BY due_on, cycle_key")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.into_iter().map(parse_obligation).collect()
}

/// Adds, for every body, the obligations the domain expects around `today` that are not
/// stored yet, each audited; returns those added. Running it again adds nothing.
pub(crate) async fn ensure_obligations(db: &Db, actor: &Actor, today: NaiveDate) -> Result<Vec<Obligation>> {
    let mut expected = Vec::new();
    for body in plans::bodies(db).await? {
        let clock = settings::clock_settings(db, body.id).await?;
        expected.extend(obligation::expected(&body, &clock, today).into_iter().map(|e| (body.id, e)));
    }
    let mut tx = db.begin().await?;
    let now = timestamp(chrono::Utc::now());
    let mut added = Vec::new();
    for (body_id, wanted) in expected {
        let stored = wanted.into_obligation(body_id);
        let inserted = on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO obligations (id, body_id, cycle_key, due_on, data, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $6) ON CONFLICT (body_id, cycle_key) DO NOTHING")
            .bind(stored.id.to_string())
            .bind(body_id.to_string())
            .bind(stored.cycle_key())
            .bind(stored.due_on.to_string())
            .bind(to_json(&stored)?)
            .bind(&now)
            .execute(&mut *c).await?.rows_affected());
        if inserted == 1 {
            let change = Change {
                action: "create",
                entity: "obligation",
                entity_id: stored.id.to_string(),
                before: None,
                after: Some(audit_json(&stored)),
            };
            audit::append(&mut tx, actor, change).await?;
            added.push(stored);
        }
    }
    tx.commit().await?;
    Ok(added)
}

/// Records how an obligation was met (or that it was not required). A completion dated
/// after `today`, or "not required" for an obligation that is always required, is refused.
pub(crate) async fn complete_obligation(
    db: &Db,
    actor: &Actor,
    id: ObligationId,
    completion: Completion,
    today: NaiveDate,
) -> Result<Obligation> {
    let mut problems = Vec::new();
    if completion.on > today {
        problems
            .push(FieldProblem::new("on", format!("{} is in the future: record it once it is done", completion.on)));
    }
    if completion.by.trim().is_empty() {
        problems.push(FieldProblem::new("by", "say who did it"));
    }
    let mut tx = db.begin().await?;
    let before =
        load_obligation(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("obligation {id}") })?;
    if completion.outcome == Outcome::NotRequired && !before.kind.may_be_not_required() {
        problems.push(FieldProblem::new(
            "outcome",
            format!("\u{201c}{}\u{201d} is always required: record when it was done", before.what),
        ));
    }
    if !problems.is_empty() {
        return Err(FieldProblems(problems).into());
    }
    let mut after = before.clone();
    after.completion = Some(Completion { by: completion.by.trim().to_string(), ..completion });
    on_tx!(&mut tx, c => sqlx::query("UPDATE obligations SET data = $1, updated_at = $2 WHERE id = $3")
        .bind(to_json(&after)?).bind(timestamp(chrono::Utc::now())).bind(id.to_string())
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "complete",
        entity: "obligation",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

async fn load_owners(tx: &mut Tx) -> Result<BTreeMap<String, UserId>> {
    let rows: Vec<(String, String)> =
        on_tx!(tx, c => sqlx::query_as("SELECT item_key, user_id FROM owners").fetch_all(&mut *c).await?);
    rows.into_iter()
        .map(|(key, user)| Ok((key.clone(), user.parse().map_err(|e| corrupt(format!("owner of {key}"), e))?)))
        .collect()
}

/// Gives a dated item an owner, or takes it away with `None`. The owner must be an
/// active account.
pub(crate) async fn set_owner(db: &Db, actor: &Actor, item_key: &str, user: Option<UserId>) -> Result<()> {
    let mut tx = db.begin().await?;
    let before = load_owners(&mut tx).await?.get(item_key).copied();
    match user {
        Some(user) => {
            let active: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT active FROM users WHERE id = $1")
                .bind(user.to_string()).fetch_optional(&mut *c).await?);
            match active {
                None => return Err(StoreError::NotFound { what: format!("user {user}") }),
                Some((0,)) => return Err(StoreError::Conflict(format!("user {user} is deactivated"))),
                Some(_) => {}
            }
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO owners (item_key, user_id, assigned_at) VALUES ($1, $2, $3) \
                 ON CONFLICT (item_key) DO UPDATE SET user_id = $2, assigned_at = $3")
                .bind(item_key).bind(user.to_string()).bind(timestamp(chrono::Utc::now()))
                .execute(&mut *c).await?.rows_affected());
        }
        None => {
            on_tx!(&mut tx, c => sqlx::query("DELETE FROM owners WHERE item_key = $1")
                .bind(item_key).execute(&mut *c).await?.rows_affected());
        }
    }
    let change = Change {
        action: "assign_owner",
        entity: "owner",
        entity_id: item_key.to_string(),
        before: before.map(|u| serde_json::json!({ "user": u })),
        after: user.map(|u| serde_json::json!({ "user": u })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Every body's dated items on `today`, with owners, sorted by due date.
pub(crate) async fn agenda(db: &Db, today: NaiveDate) -> Result<Vec<DueItem>> {
    let calendar = settings::calendar(db).await?;
    let owners = {
        let mut tx = db.begin_read().await?;
        let owners = load_owners(&mut tx).await?;
        tx.commit().await?;
        owners
    };
    let all_plans = plans::plans(db).await?;
    let all_reports = crate::reports::reports(db).await?;
    let mut items = Vec::new();
    for body in plans::bodies(db).await? {
        let mut records = BodyRecords {
            body_id: body.id,
            settings: settings::clock_settings(db, body.id).await?,
            meetings: processes::meetings(db, body.id).await?,
            plans: Vec::new(),
            processes: Vec::new(),
            obligations: obligations(db, body.id).await?,
            reports: all_reports.iter().filter(|r| r.body_id == body.id).cloned().collect(),
            publications: crate::transparency::publications(db, body.id).await?,
            owners: owners.clone(),
        };
        for plan in all_plans.iter().filter(|p| p.body_id == body.id) {
            records.plans.push(PlanRef { id: plan.id, title: plan.title.clone(), ends_on: plan.ends_on });
            for stored in processes::processes(db, plan.id).await? {
                records.processes.push(ProcessRef { id: stored.id, plan: plan.id, process: stored.process });
            }
        }
        let body_items = agenda::collect(&records, &calendar, today)
            .map_err(|e| corrupt(format!("dates of body {}", body.id), e))?;
        items.extend(body_items);
    }
    items.sort_by(|a, b| a.due.cmp(&b.due).then_with(|| a.key.cmp(&b.key)));
    Ok(items)
}
