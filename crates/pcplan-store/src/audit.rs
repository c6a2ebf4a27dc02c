//! The hash-chained audit log: who changed which record, when, from what to what.
//!
//! Every write in the store calls [`append`] inside its own transaction, so a change and
//! its audit entry are committed together or not at all. Each entry's hash covers the
//! previous entry's hash and all of its own fields, so editing or deleting any entry
//! breaks the chain from that point, and [`verify`] finds the first broken link. The log
//! proves tampering happened; it cannot stop someone with database access from
//! rewriting the whole chain, which is why the head hash is shown to staff to note down.

use chrono::{DateTime, Utc};
use pcplan_domain::UserId;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::db::{Db, Tx, on_pool, on_tx, parse_timestamp, timestamp};
use crate::error::Result;

/// Who made a change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Actor {
    /// The staff account, when a person made the change.
    pub user: Option<UserId>,
    /// The name recorded: a person's display name, or a tool (`pcplan plan import`).
    pub name: String,
}

impl Actor {
    /// A change made by a tool rather than a signed-in person.
    pub fn system(name: &str) -> Actor {
        Actor { user: None, name: name.to_string() }
    }

    /// A change made by a signed-in person.
    pub fn user(user: &crate::User) -> Actor {
        Actor { user: Some(user.id), name: format!("{} ({})", user.display_name, user.username) }
    }
}

/// One entry of the log.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub actor_id: Option<UserId>,
    /// `create`, `update`, `delete`, `move`, `make_version`, `import`, ...
    pub action: String,
    /// `body`, `plan`, `item`, `version`, `user`.
    pub entity: String,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of walking the chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub entries: u64,
    /// The first entry whose link does not hold, if any.
    pub first_broken: Option<BrokenLink>,
    /// The hash of the newest entry, for staff to note down and compare later.
    pub head: String,
}

/// Where and why the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BrokenLink {
    pub seq: i64,
    pub reason: String,
}

/// What a change did, before it is given its place in the chain.
pub(crate) struct Change<'a> {
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

const TAKE_HEAD: &str = "UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash";
const SET_HEAD: &str = "UPDATE audit_head SET hash = $1 WHERE id = 1";
const INSERT: &str = "INSERT INTO audit_log (seq, at, actor, actor_id, action, entity, entity_id, before_json, \
                      after_json, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const SELECT_PAGE: &str = "SELECT seq, at, actor, actor_id, action, entity, entity_id, before_json, after_json, \
                           prev_hash, hash FROM audit_log ORDER BY seq DESC LIMIT $1 OFFSET $2";
const SELECT_ALL: &str = "SELECT seq, at, actor, actor_id, action, entity, entity_id, before_json, after_json, \
                          prev_hash, hash FROM audit_log ORDER BY seq";
const SELECT_HEAD: &str = "SELECT seq, hash FROM audit_head WHERE id = 1";

type Row =
    (i64, String, String, Option<String>, String, String, String, Option<String>, Option<String>, String, String);

/// The hash of one entry. Fields are joined with newlines, which none of the fixed
/// fields contain; the JSON fields are compact serde output.
#[allow(clippy::too_many_arguments)]
fn entry_hash(
    prev: &str,
    seq: i64,
    at: &str,
    actor: &str,
    actor_id: Option<&str>,
    action: &str,
    entity: &str,
    entity_id: &str,
    before: Option<&str>,
    after: Option<&str>,
) -> String {
    let mut hasher = Sha256::new();
    for part in [
        prev,
        &seq.to_string(),
        at,
        actor,
        actor_id.unwrap_or(""),
        action,
        entity,
        entity_id,
        before.unwrap_or(""),
        after.unwrap_or(""),
    ] {
        hasher.update(part.as_bytes());
        hasher.update(b"\n");
    }
    hex::encode(hasher.finalize())
}

/// Appends one entry in the caller's transaction. Taking the head row first makes
/// concurrent writers queue: PostgreSQL holds the row lock until commit, and SQLite's
/// `BEGIN IMMEDIATE` already serialises writers.
pub(crate) async fn append(tx: &mut Tx, actor: &Actor, change: Change<'_>) -> Result<()> {
    let at = timestamp(Utc::now());
    let actor_id = actor.user.map(|u| u.to_string());
    let before = change.before.as_ref().map(|v| v.to_string());
    let after = change.after.as_ref().map(|v| v.to_string());
    on_tx!(tx, conn => {
        let (seq, prev): (i64, String) = sqlx::query_as(TAKE_HEAD).fetch_one(&mut *conn).await?;
        let hash = entry_hash(
            &prev,
            seq,
            &at,
            &actor.name,
            actor_id.as_deref(),
            change.action,
            change.entity,
            &change.entity_id,
            before.as_deref(),
            after.as_deref(),
        );
        sqlx::query(INSERT)
            .bind(seq)
            .bind(&at)
            .bind(&actor.name)
            .bind(&actor_id)
            .bind(change.action)
            .bind(change.entity)
            .bind(&change.entity_id)
            .bind(&before)
            .bind(&after)
            .bind(&prev)
            .bind(&hash)
            .execute(&mut *conn)
            .await?;
        sqlx::query(SET_HEAD).bind(&hash).execute(&mut *conn).await?;
    });
    Ok(())
}

fn to_entry(row: Row) -> Result<AuditEntry> {
    let (seq, at, actor, actor_id, action, entity, entity_id, before, after, prev_hash, hash) = row;
    let json = |text: Option<String>| -> Result<Option<serde_json::Value>> {
        text.map(|t| serde_json::from_str(&t).map_err(|e| crate::error::corrupt(format!("audit entry {seq}"), e)))
            .transpose()
    };
    Ok(AuditEntry {
        seq,
        at: parse_timestamp(&at)?,
        actor,
        actor_id: actor_id.and_then(|id| id.parse().ok()),
        action,
        entity,
        entity_id,
        before: json(before)?,
        after: json(after)?,
        prev_hash,
        hash,
    })
}

/// The newest entry's number (0 before the first), read outside any transaction.
pub(crate) async fn head_seq(db: &Db) -> Result<i64> {
    let (seq,): (i64,) =
        on_pool!(db, p => sqlx::query_as("SELECT seq FROM audit_head WHERE id = 1").fetch_one(p).await?);
    Ok(seq)
}

pub(crate) async fn page(db: &Db, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
    // PostgreSQL refuses a negative LIMIT or OFFSET and SQLite reads a negative LIMIT as
    // "no limit"; clamping gives both backends the same, bounded answer.
    let (limit, offset) = (limit.max(0), offset.max(0));
    let rows: Vec<Row> =
        on_pool!(db, pool => sqlx::query_as(SELECT_PAGE).bind(limit).bind(offset).fetch_all(pool).await?);
    rows.into_iter().map(to_entry).collect()
}

/// Walks the whole chain in order, recomputing every hash from the stored text.
///
/// The entries and the head are read in one snapshot: read apart, a write committed in
/// between would make the head run ahead of the entries and look like removed entries.
pub(crate) async fn verify(db: &Db) -> Result<AuditReport> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<Row> = on_tx!(&mut tx, c => sqlx::query_as(SELECT_ALL).fetch_all(&mut *c).await?);
    let head: (i64, String) = on_tx!(&mut tx, c => sqlx::query_as(SELECT_HEAD).fetch_one(&mut *c).await?);
    tx.commit().await?;
    let mut previous = GENESIS.to_string();
    let mut expected_seq = 1;
    let mut first_broken = None;
    let entries = rows.len() as u64;
    for (seq, at, actor, actor_id, action, entity, entity_id, before, after, prev_hash, hash) in rows {
        let reason = if seq != expected_seq {
            Some(format!("expected entry {expected_seq} next but found {seq}; entries are missing"))
        } else if prev_hash != previous {
            Some(String::from("its link to the previous entry does not match; an earlier entry was changed or removed"))
        } else if entry_hash(
            &prev_hash,
            seq,
            &at,
            &actor,
            actor_id.as_deref(),
            &action,
            &entity,
            &entity_id,
            before.as_deref(),
            after.as_deref(),
        ) != hash
        {
            Some(String::from("its content does not match its hash; the entry was changed after it was written"))
        } else {
            None
        };
        if let Some(reason) = reason {
            first_broken = Some(BrokenLink { seq, reason });
            break;
        }
        previous = hash;
        expected_seq += 1;
    }
    if first_broken.is_none() && (head.0 != expected_seq - 1 || head.1 != previous) {
        first_broken = Some(BrokenLink {
            seq: expected_seq,
            reason: format!(
                "the chain head says {} entries ending in {} but the log ends at {}; the newest entries were removed",
                head.0,
                &head.1[..head.1.len().min(12)],
                expected_seq - 1
            ),
        });
    }
    Ok(AuditReport { entries, first_broken, head: previous })
}
