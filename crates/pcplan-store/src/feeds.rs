//! The secret links to each person's calendar feed.
//!
//! A feed link carries a random token; only its SHA-256 hash is stored, as with sessions,
//! so a copy of the database does not give anyone the links. Each account has at most
//! one link: making a new one replaces (and so revokes) the old, and a deactivated
//! account's link stops working at once.

use pcplan_domain::UserId;

use crate::audit::{self, Actor, Change};
use crate::db::{Db, on_pool, on_tx, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::users::{self, User};

/// Stores `token_hash` as the account's feed link, replacing any earlier one.
pub(crate) async fn set_feed_token(db: &Db, actor: &Actor, user: UserId, token_hash: &str) -> Result<()> {
    let mut tx = db.begin().await?;
    let exists: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM users WHERE id = $1")
        .bind(user.to_string()).fetch_optional(&mut *c).await?);
    if exists.is_none() {
        return Err(StoreError::NotFound { what: format!("user {user}") });
    }
    let replaced = on_tx!(&mut tx, c => sqlx::query("DELETE FROM feed_tokens WHERE user_id = $1")
        .bind(user.to_string()).execute(&mut *c).await?.rows_affected());
    on_tx!(&mut tx, c => sqlx::query("INSERT INTO feed_tokens (token_hash, user_id, created_at) VALUES ($1, $2, $3)")
        .bind(token_hash).bind(user.to_string()).bind(timestamp(chrono::Utc::now()))
        .execute(&mut *c).await?.rows_affected());
    // The audit records that a link was made or replaced, never the link.
    let change = Change {
        action: if replaced > 0 { "replace_feed_link" } else { "create_feed_link" },
        entity: "user",
        entity_id: user.to_string(),
        before: None,
        after: None,
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Revokes the account's feed link, if it has one.
pub(crate) async fn delete_feed_token(db: &Db, actor: &Actor, user: UserId) -> Result<()> {
    let mut tx = db.begin().await?;
    let removed = on_tx!(&mut tx, c => sqlx::query("DELETE FROM feed_tokens WHERE user_id = $1")
        .bind(user.to_string()).execute(&mut *c).await?.rows_affected());
    if removed > 0 {
        let change = Change {
            action: "revoke_feed_link",
            entity: "user",
            entity_id: user.to_string(),
            before: None,
            after: None,
        };
        audit::append(&mut tx, actor, change).await?;
    }
    tx.commit().await
}

/// Whether the account has a feed link.
pub(crate) async fn has_feed_token(db: &Db, user: UserId) -> Result<bool> {
    let row: Option<(String,)> = on_pool!(db, p => sqlx::query_as("SELECT user_id FROM feed_tokens WHERE user_id = $1")
        .bind(user.to_string()).fetch_optional(p).await?);
    Ok(row.is_some())
}

/// The active account whose feed link hashes to `token_hash`.
pub(crate) async fn feed_user(db: &Db, token_hash: &str) -> Result<Option<User>> {
    let row: Option<(String,)> = on_pool!(db, p => sqlx::query_as("SELECT user_id FROM feed_tokens WHERE token_hash = $1")
        .bind(token_hash).fetch_optional(p).await?);
    let Some((id,)) = row else { return Ok(None) };
    let id: UserId = id.parse().map_err(|e| corrupt(format!("user of a feed link `{id}`"), e))?;
    Ok(users::by_id(db, id).await?.filter(|u| u.active))
}
