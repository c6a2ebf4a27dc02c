//! Bodies, plans, their records and their versions.
//!
//! Every write loads the plan inside its transaction, applies the change to the
//! in-memory [`Plan`], asks [`Plan::validate`] whether the result is still a consistent
//! plan, and only then writes the changed rows and the audit entry. An invalid change
//! therefore never reaches the database, and the rule lives in one place, the domain.
//! This module does not decide who may make a change; the web crate does.

use chrono::{NaiveDate, Utc};
use pcplan_domain::{
    Body, BodyId, Item, ItemId, Plan, PlanFile, PlanId, PlanVersion, VersionKind, VersionMeta, VersionNumber,
    check_next_version, content_hash,
};
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_pool, on_tx, parse_date, parse_timestamp, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};

/// A plan as listed: enough to choose one.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlanSummary {
    pub id: PlanId,
    pub body_id: BodyId,
    pub title: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// How many versions have been made.
    pub versions: u32,
    /// The version the public sees, if any has been issued.
    pub latest_public: Option<VersionNumber>,
}

/// The plan's own fields, edited apart from its records.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanHeader {
    pub title: String,
    pub vision: String,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
}

impl PlanHeader {
    /// The header of a plan.
    pub fn of(plan: &Plan) -> PlanHeader {
        PlanHeader {
            title: plan.title.clone(),
            vision: plan.vision.clone(),
            starts_on: plan.starts_on,
            ends_on: plan.ends_on,
        }
    }
}

/// Which way to move a record among its siblings.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MoveDirection {
    Up,
    Down,
}

// ---- bodies ----

const INSERT_BODY: &str = "INSERT INTO bodies (id, name, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)";

pub(crate) async fn load_body(tx: &mut Tx, id: BodyId) -> Result<Option<Body>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM bodies WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data,)| serde_json::from_str(&data).map_err(|e| corrupt(format!("body {id}"), e))).transpose()
}

async fn insert_body(tx: &mut Tx, body: &Body) -> Result<()> {
    let data = to_json(body)?;
    let now = timestamp(Utc::now());
    on_tx!(tx, c => sqlx::query(INSERT_BODY).bind(body.id.to_string()).bind(&body.name).bind(&data).bind(&now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn create_body(db: &Db, actor: &Actor, body: &Body) -> Result<()> {
    let mut tx = db.begin().await?;
    if load_body(&mut tx, body.id).await?.is_some() {
        return Err(StoreError::Conflict(format!("body {} already exists", body.id)));
    }
    insert_body(&mut tx, body).await?;
    let change = Change {
        action: "create",
        entity: "body",
        entity_id: body.id.to_string(),
        before: None,
        after: Some(audit_json(body)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn update_body(db: &Db, actor: &Actor, body: &Body) -> Result<()> {
    let mut tx = db.begin().await?;
    let before =
        load_body(&mut tx, body.id).await?.ok_or_else(|| StoreError::NotFound { what: format!("body {}", body.id) })?;
    // Local plans name areas; removing an area that a plan's draft still uses would
    // leave that plan invalid, so check every plan of the body first.
    for plan_id in plan_ids_of_body(&mut tx, body.id).await? {
        if let Some(plan) = load_plan(&mut tx, plan_id).await? {
            plan.validate(&body.areas)?;
        }
    }
    let data = to_json(body)?;
    on_tx!(&mut tx, c => sqlx::query("UPDATE bodies SET name = $1, data = $2, updated_at = $3 WHERE id = $4")
        .bind(&body.name).bind(&data).bind(timestamp(Utc::now())).bind(body.id.to_string()).execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "update",
        entity: "body",
        entity_id: body.id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(body)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn body(db: &Db, id: BodyId) -> Result<Option<Body>> {
    let mut tx = db.begin_read().await?;
    let body = load_body(&mut tx, id).await?;
    tx.commit().await?;
    Ok(body)
}

pub(crate) async fn bodies(db: &Db) -> Result<Vec<Body>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id, data FROM bodies ORDER BY name, id")
        .fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.into_iter()
        .map(|(id, data)| serde_json::from_str(&data).map_err(|e| corrupt(format!("body {id}"), e)))
        .collect()
}

pub(crate) async fn site_body(db: &Db) -> Result<Option<BodyId>> {
    let mut tx = db.begin_read().await?;
    let row: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM bodies ORDER BY created_at, id LIMIT 1")
        .fetch_optional(&mut *c).await?);
    tx.commit().await?;
    row.map(|(id,)| id.parse().map_err(|e| corrupt(format!("body id `{id}`"), e))).transpose()
}

async fn plan_ids_of_body(tx: &mut Tx, body: BodyId) -> Result<Vec<PlanId>> {
    let rows: Vec<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM plans WHERE body_id = $1")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter().map(|(id,)| id.parse().map_err(|e| corrupt(format!("plan id `{id}`"), e))).collect()
}

// ---- plans and items ----

type PlanRow = (String, String, String, String, String, String);

pub(crate) async fn load_plan(tx: &mut Tx, id: PlanId) -> Result<Option<Plan>> {
    let row: Option<PlanRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, body_id, title, vision, starts_on, ends_on FROM plans WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    let Some((_, body_id, title, vision, starts_on, ends_on)) = row else { return Ok(None) };
    let rows: Vec<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, data FROM plan_items WHERE plan_id = $1 ORDER BY position, id")
        .bind(id.to_string()).fetch_all(&mut *c).await?);
    let items = rows
        .into_iter()
        .map(|(item_id, data)| {
            serde_json::from_str::<Item>(&data).map_err(|e| corrupt(format!("record {item_id} of plan {id}"), e))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Some(Plan {
        id,
        body_id: body_id.parse().map_err(|e| corrupt(format!("body id of plan {id}"), e))?,
        title,
        vision,
        starts_on: parse_date(&starts_on)?,
        ends_on: parse_date(&ends_on)?,
        items,
    }))
}

/// Loads a plan and its body for a change, or says which is missing.
async fn load_for_change(tx: &mut Tx, id: PlanId) -> Result<(Plan, Body)> {
    let plan = load_plan(tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("plan {id}") })?;
    let body = load_body(tx, plan.body_id)
        .await?
        .ok_or_else(|| corrupt(format!("plan {id}"), format!("its body {} is missing", plan.body_id)))?;
    Ok((plan, body))
}

async fn insert_plan_row(tx: &mut Tx, plan: &Plan) -> Result<()> {
    let now = timestamp(Utc::now());
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO plans (id, body_id, title, vision, starts_on, ends_on, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(plan.id.to_string())
        .bind(plan.body_id.to_string())
        .bind(&plan.title)
        .bind(&plan.vision)
        .bind(plan.starts_on.to_string())
        .bind(plan.ends_on.to_string())
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

async fn insert_item(tx: &mut Tx, plan: PlanId, item: &Item, position: i64, actor: &Actor) -> Result<()> {
    let data = to_json(item)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO plan_items (id, plan_id, parent_id, position, kind, data, updated_at, updated_by) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(item.id.to_string())
        .bind(plan.to_string())
        .bind(item.parent.map(|p| p.to_string()))
        .bind(position)
        .bind(item.record.kind().as_str())
        .bind(&data)
        .bind(timestamp(Utc::now()))
        .bind(&actor.name)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

async fn plan_exists(tx: &mut Tx, id: PlanId) -> Result<bool> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT id FROM plans WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    Ok(row.is_some())
}

pub(crate) async fn create_plan(db: &Db, actor: &Actor, plan: &Plan) -> Result<()> {
    let mut tx = db.begin().await?;
    let body = load_body(&mut tx, plan.body_id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("body {}", plan.body_id) })?;
    if plan_exists(&mut tx, plan.id).await? {
        return Err(StoreError::Conflict(format!("plan {} already exists", plan.id)));
    }
    plan.validate(&body.areas)?;
    insert_plan_row(&mut tx, plan).await?;
    for (position, item) in plan.items.iter().enumerate() {
        insert_item(&mut tx, plan.id, item, position as i64 + 1, actor).await?;
    }
    crate::search::refresh_body_plans(&mut tx, plan.body_id).await?;
    let change = Change {
        action: "create",
        entity: "plan",
        entity_id: plan.id.to_string(),
        before: None,
        after: Some(audit_json(plan)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn plan(db: &Db, id: PlanId) -> Result<Option<Plan>> {
    let mut tx = db.begin_read().await?;
    let plan = load_plan(&mut tx, id).await?;
    tx.commit().await?;
    Ok(plan)
}

pub(crate) async fn plans(db: &Db) -> Result<Vec<PlanSummary>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<PlanRow> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, body_id, title, vision, starts_on, ends_on FROM plans ORDER BY starts_on DESC, id")
        .fetch_all(&mut *c).await?);
    let mut out = Vec::new();
    for (id, body_id, title, _vision, starts_on, ends_on) in rows {
        let plan_id: PlanId = id.parse().map_err(|e| corrupt(format!("plan id `{id}`"), e))?;
        let metas = load_versions(&mut tx, plan_id).await?;
        out.push(PlanSummary {
            id: plan_id,
            body_id: body_id.parse().map_err(|e| corrupt(format!("body id of plan {id}"), e))?,
            title,
            starts_on: parse_date(&starts_on)?,
            ends_on: parse_date(&ends_on)?,
            versions: metas.len() as u32,
            latest_public: pcplan_domain::current_public(&metas).map(|m| m.number),
        });
    }
    tx.commit().await?;
    Ok(out)
}

pub(crate) async fn update_plan_header(db: &Db, actor: &Actor, id: PlanId, header: &PlanHeader) -> Result<()> {
    let mut tx = db.begin().await?;
    let (mut plan, body) = load_for_change(&mut tx, id).await?;
    let before = PlanHeader::of(&plan);
    plan.title = header.title.trim().to_string();
    plan.vision = header.vision.trim().to_string();
    plan.starts_on = header.starts_on;
    plan.ends_on = header.ends_on;
    plan.validate(&body.areas)?;
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE plans SET title = $1, vision = $2, starts_on = $3, ends_on = $4, updated_at = $5 WHERE id = $6")
        .bind(&plan.title)
        .bind(&plan.vision)
        .bind(plan.starts_on.to_string())
        .bind(plan.ends_on.to_string())
        .bind(timestamp(Utc::now()))
        .bind(id.to_string())
        .execute(&mut *c).await?.rows_affected());
    // The start date decides which of the body's plans the public sees, so a new one
    // re-indexes all of them, every version; otherwise only the working draft's text
    // changed (re-indexing the body's versions made each edit of the title or vision
    // cost several milliseconds of the single writer's time: bench/README.md, load).
    if before.starts_on != plan.starts_on {
        crate::search::refresh_body_plans(&mut tx, plan.body_id).await?;
    } else {
        crate::search::refresh_plan_draft(&mut tx, id).await?;
    }
    let change = Change {
        action: "update",
        entity: "plan",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&PlanHeader::of(&plan))),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn add_item(db: &Db, actor: &Actor, plan_id: PlanId, item: &Item) -> Result<()> {
    let mut tx = db.begin().await?;
    let (mut plan, body) = load_for_change(&mut tx, plan_id).await?;
    if plan.item(item.id).is_some() {
        return Err(StoreError::Conflict(format!("record {} already exists in plan {plan_id}", item.id)));
    }
    plan.items.push(item.clone());
    plan.validate(&body.areas)?;
    let (max,): (Option<i64>,) = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT MAX(position) FROM plan_items WHERE plan_id = $1").bind(plan_id.to_string()).fetch_one(&mut *c).await?);
    insert_item(&mut tx, plan_id, item, max.unwrap_or(0) + 1, actor).await?;
    crate::search::refresh_plan_draft(&mut tx, plan_id).await?;
    let change = Change {
        action: "create",
        entity: "item",
        entity_id: item.id.to_string(),
        before: None,
        after: Some(audit_json(item)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn update_item(db: &Db, actor: &Actor, plan_id: PlanId, item: &Item) -> Result<()> {
    let mut tx = db.begin().await?;
    let (mut plan, body) = load_for_change(&mut tx, plan_id).await?;
    let index = plan
        .position(item.id)
        .ok_or_else(|| StoreError::NotFound { what: format!("record {} in plan {plan_id}", item.id) })?;
    let before = std::mem::replace(&mut plan.items[index], item.clone());
    if before == *item {
        return Ok(());
    }
    plan.validate(&body.areas)?;
    let data = to_json(item)?;
    on_tx!(&mut tx, c => sqlx::query(
        "UPDATE plan_items SET parent_id = $1, kind = $2, data = $3, updated_at = $4, updated_by = $5 \
         WHERE plan_id = $6 AND id = $7")
        .bind(item.parent.map(|p| p.to_string()))
        .bind(item.record.kind().as_str())
        .bind(&data)
        .bind(timestamp(Utc::now()))
        .bind(&actor.name)
        .bind(plan_id.to_string())
        .bind(item.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_plan_draft(&mut tx, plan_id).await?;
    let change = Change {
        action: "update",
        entity: "item",
        entity_id: item.id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(item)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn move_item(
    db: &Db,
    actor: &Actor,
    plan_id: PlanId,
    id: ItemId,
    direction: crate::MoveDirection,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let (mut plan, body) = load_for_change(&mut tx, plan_id).await?;
    let item = plan
        .item(id)
        .cloned()
        .ok_or_else(|| StoreError::NotFound { what: format!("record {id} in plan {plan_id}") })?;
    let siblings: Vec<ItemId> = plan.children(item.parent).map(|i| i.id).collect();
    let Some(at) = siblings.iter().position(|s| *s == id) else { return Ok(()) };
    let other = match direction {
        MoveDirection::Up if at > 0 => siblings[at - 1],
        MoveDirection::Down if at + 1 < siblings.len() => siblings[at + 1],
        // Already first or last: nothing to do, and nothing to audit.
        _ => return Ok(()),
    };
    // Order does not make a plan valid or invalid today, but the rule that nothing is
    // written before the changed plan validates holds for every write, so that a
    // future order rule cannot be bypassed here.
    if let (Some(a), Some(b)) = (plan.position(id), plan.position(other)) {
        plan.items.swap(a, b);
    }
    plan.validate(&body.areas)?;
    let mine = item_position(&mut tx, plan_id, id).await?;
    let theirs = item_position(&mut tx, plan_id, other).await?;
    for (which, value) in [(id, theirs), (other, mine)] {
        on_tx!(&mut tx, c => sqlx::query("UPDATE plan_items SET position = $1 WHERE plan_id = $2 AND id = $3")
            .bind(value).bind(plan_id.to_string()).bind(which.to_string()).execute(&mut *c).await?.rows_affected());
    }
    crate::search::refresh_plan_draft(&mut tx, plan_id).await?;
    let new_index = match direction {
        MoveDirection::Up => at - 1,
        MoveDirection::Down => at + 1,
    };
    let change = Change {
        action: "move",
        entity: "item",
        entity_id: id.to_string(),
        before: Some(serde_json::json!({ "parent": item.parent, "position": at + 1 })),
        after: Some(serde_json::json!({ "parent": item.parent, "position": new_index + 1 })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

async fn item_position(tx: &mut Tx, plan_id: PlanId, id: ItemId) -> Result<i64> {
    let (position,): (i64,) = on_tx!(tx, c => sqlx::query_as(
        "SELECT position FROM plan_items WHERE plan_id = $1 AND id = $2")
        .bind(plan_id.to_string()).bind(id.to_string()).fetch_one(&mut *c).await?);
    Ok(position)
}

pub(crate) async fn delete_item(db: &Db, actor: &Actor, plan_id: PlanId, id: ItemId) -> Result<()> {
    let mut tx = db.begin().await?;
    let (mut plan, body) = load_for_change(&mut tx, plan_id).await?;
    let item = plan
        .item(id)
        .cloned()
        .ok_or_else(|| StoreError::NotFound { what: format!("record {id} in plan {plan_id}") })?;
    let children: Vec<String> =
        plan.children(Some(id)).map(|c| format!("{} \"{}\"", c.record.kind().label(), c.record.title())).collect();
    let linking: Vec<String> = plan
        .items
        .iter()
        .filter(|i| i.serves.contains(&id))
        .map(|i| format!("{} \"{}\"", i.record.kind().label(), i.record.title()))
        .collect();
    if !children.is_empty() || !linking.is_empty() {
        let mut reasons = Vec::new();
        if !children.is_empty() {
            reasons.push(format!("it has {} record(s) under it: {}", children.len(), children.join(", ")));
        }
        if !linking.is_empty() {
            reasons.push(format!("{} record(s) serve it: {}", linking.len(), linking.join(", ")));
        }
        return Err(StoreError::Conflict(format!(
            "cannot delete {} \"{}\": {}; move, delete or unlink those first",
            item.record.kind().label(),
            item.record.title(),
            reasons.join("; ")
        )));
    }
    // The checks above give friendlier words for the usual cases; validation is the
    // rule itself, and catches anything they miss.
    plan.items.retain(|i| i.id != id);
    plan.validate(&body.areas)?;
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM plan_items WHERE plan_id = $1 AND id = $2")
        .bind(plan_id.to_string()).bind(id.to_string()).execute(&mut *c).await?.rows_affected());
    crate::search::refresh_plan_draft(&mut tx, plan_id).await?;
    let change = Change {
        action: "delete",
        entity: "item",
        entity_id: id.to_string(),
        before: Some(audit_json(&item)),
        after: None,
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

// ---- versions ----

type MetaRow = (i64, String, String, Option<String>, String, String, String);

const META_COLUMNS: &str = "number, kind, label, effective_on, made_at, made_by, content_hash";

fn to_meta(plan_id: PlanId, row: MetaRow) -> Result<VersionMeta> {
    let (number, kind, label, effective_on, made_at, made_by, content_hash) = row;
    Ok(VersionMeta {
        plan_id,
        number: VersionNumber(u32::try_from(number).map_err(|e| corrupt(format!("version number {number}"), e))?),
        kind: VersionKind::parse(&kind).ok_or_else(|| corrupt(format!("kind of version {number}"), &kind))?,
        label,
        effective_on: effective_on.as_deref().map(parse_date).transpose()?,
        made_at: parse_timestamp(&made_at)?,
        made_by,
        content_hash,
    })
}

pub(crate) async fn load_versions(tx: &mut Tx, plan_id: PlanId) -> Result<Vec<VersionMeta>> {
    let sql = format!("SELECT {META_COLUMNS} FROM plan_versions WHERE plan_id = $1 ORDER BY number");
    let rows: Vec<MetaRow> = on_tx!(tx, c => sqlx::query_as(&sql).bind(plan_id.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter().map(|row| to_meta(plan_id, row)).collect()
}

pub(crate) async fn load_version(tx: &mut Tx, plan_id: PlanId, number: VersionNumber) -> Result<Option<PlanVersion>> {
    let sql = format!("SELECT {META_COLUMNS}, content FROM plan_versions WHERE plan_id = $1 AND number = $2");
    type VersionRow = (i64, String, String, Option<String>, String, String, String, String);
    let row: Option<VersionRow> = on_tx!(tx, c =>
        sqlx::query_as(&sql).bind(plan_id.to_string()).bind(i64::from(number.0)).fetch_optional(&mut *c).await?);
    let Some((n, kind, label, effective_on, made_at, made_by, hash, content)) = row else { return Ok(None) };
    let meta = to_meta(plan_id, (n, kind, label, effective_on, made_at, made_by, hash))?;
    let plan: Plan = serde_json::from_str(&content)
        .map_err(|e| corrupt(format!("content of version {number} of plan {plan_id}"), e))?;
    Ok(Some(PlanVersion { meta, plan }))
}

async fn insert_version(tx: &mut Tx, version: &PlanVersion) -> Result<()> {
    let meta = &version.meta;
    let content = to_json(&version.plan)?;
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO plan_versions (plan_id, number, kind, label, effective_on, made_at, made_by, content_hash, content) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(meta.plan_id.to_string())
        .bind(i64::from(meta.number.0))
        .bind(meta.kind.as_str())
        .bind(&meta.label)
        .bind(meta.effective_on.map(|d| d.to_string()))
        .bind(timestamp(meta.made_at))
        .bind(&meta.made_by)
        .bind(&meta.content_hash)
        .bind(&content)
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

pub(crate) async fn make_version(
    db: &Db,
    actor: &Actor,
    plan_id: PlanId,
    kind: VersionKind,
    label: &str,
    effective_on: Option<NaiveDate>,
) -> Result<VersionMeta> {
    let mut tx = db.begin().await?;
    let (plan, body) = load_for_change(&mut tx, plan_id).await?;
    let existing = load_versions(&mut tx, plan_id).await?;
    check_next_version(&existing, kind)?;
    plan.validate(&body.areas)?;
    let label = label.trim();
    let number = VersionNumber(existing.iter().map(|v| v.number.0).max().unwrap_or(0) + 1);
    let made_at = crate::db::now();
    let meta = VersionMeta {
        plan_id,
        number,
        kind,
        label: if label.is_empty() { format!("{} (version {number})", kind.label()) } else { label.to_string() },
        effective_on,
        made_at,
        made_by: actor.name.clone(),
        content_hash: content_hash(&plan),
    };
    insert_version(&mut tx, &PlanVersion { meta: meta.clone(), plan }).await?;
    crate::search::refresh_body_plans(&mut tx, body.id).await?;
    let change = Change {
        action: "make_version",
        entity: "version",
        entity_id: format!("{plan_id}/{number}"),
        before: None,
        after: Some(audit_json(&meta)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(meta)
}

pub(crate) async fn versions(db: &Db, plan_id: PlanId) -> Result<Vec<VersionMeta>> {
    let mut tx = db.begin_read().await?;
    let metas = load_versions(&mut tx, plan_id).await?;
    tx.commit().await?;
    Ok(metas)
}

pub(crate) async fn version(db: &Db, plan_id: PlanId, number: VersionNumber) -> Result<Option<PlanVersion>> {
    let mut tx = db.begin_read().await?;
    let version = load_version(&mut tx, plan_id, number).await?;
    tx.commit().await?;
    Ok(version)
}

// ---- plan files ----

pub(crate) async fn export_plan(db: &Db, plan_id: PlanId) -> Result<Option<PlanFile>> {
    let mut tx = db.begin_read().await?;
    let Some(plan) = load_plan(&mut tx, plan_id).await? else { return Ok(None) };
    let body = load_body(&mut tx, plan.body_id)
        .await?
        .ok_or_else(|| corrupt(format!("plan {plan_id}"), format!("its body {} is missing", plan.body_id)))?;
    let mut versions = Vec::new();
    for meta in load_versions(&mut tx, plan_id).await? {
        if let Some(version) = load_version(&mut tx, plan_id, meta.number).await? {
            versions.push(version);
        }
    }
    tx.commit().await?;
    Ok(Some(PlanFile::new(body, plan, versions)))
}

pub(crate) async fn import_plan(db: &Db, actor: &Actor, file: &PlanFile) -> Result<()> {
    file.check()?;
    let mut tx = db.begin().await?;
    match load_body(&mut tx, file.body.id).await? {
        None => insert_body(&mut tx, &file.body).await?,
        Some(existing) if existing == file.body => {}
        Some(_) => {
            return Err(StoreError::Conflict(format!(
                "body {} ({}) is already stored with different details; update the body or edit the file's body to match",
                file.body.id, file.body.name
            )));
        }
    }
    if plan_exists(&mut tx, file.plan.id).await? {
        return Err(StoreError::Conflict(format!(
            "plan {} ({}) is already in this database; import into a fresh database, or export the stored plan instead",
            file.plan.id, file.plan.title
        )));
    }
    insert_plan_row(&mut tx, &file.plan).await?;
    for (position, item) in file.plan.items.iter().enumerate() {
        insert_item(&mut tx, file.plan.id, item, position as i64 + 1, actor).await?;
    }
    for version in &file.versions {
        insert_version(&mut tx, version).await?;
    }
    crate::search::refresh_body_plans(&mut tx, file.body.id).await?;
    let change = Change {
        action: "import",
        entity: "plan",
        entity_id: file.plan.id.to_string(),
        before: None,
        after: Some(serde_json::json!({
            "title": file.plan.title,
            "body": file.body.id,
            "records": file.plan.items.len(),
            "versions": file.versions.len(),
        })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Every plan version whose content no longer has the hash recorded when it was made:
/// `(plan id, version number, recorded, now)`; and how many were checked.
pub(crate) async fn altered_versions(db: &Db) -> Result<(u64, Vec<(String, i64, String, String)>)> {
    let rows: Vec<(String, i64, String, String)> = on_pool!(db, p => sqlx::query_as(
        "SELECT plan_id, number, content_hash, content FROM plan_versions ORDER BY plan_id, number")
        .fetch_all(p).await?);
    let mut altered = Vec::new();
    let checked = rows.len() as u64;
    for (plan_id, number, recorded, content) in rows {
        let plan: Plan = serde_json::from_str(&content)
            .map_err(|e| corrupt(format!("content of version {number} of plan {plan_id}"), e))?;
        let now = content_hash(&plan);
        if now != recorded {
            altered.push((plan_id, number, recorded, now));
        }
    }
    Ok((checked, altered))
}
