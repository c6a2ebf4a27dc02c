//! Staff accounts and their sign-in sessions.
//!
//! Passwords arrive already hashed (argon2id, by the web crate); this module stores the
//! hash and never logs or audits it. Sessions are stored by the SHA-256 of their token,
//! so a copy of the database cannot be used to sign in. Sessions are not audited: they
//! are not records of the plan, and their tokens must never reach the log.

use chrono::{DateTime, Utc};
use pcplan_domain::UserId;
use serde::{Deserialize, Serialize};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, on_pool, on_tx, parse_timestamp, timestamp};
use crate::error::{Result, StoreError, corrupt};

/// What a staff account may do.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Everything, including managing accounts and reading the audit log.
    Admin,
    /// Change plans and make versions.
    Editor,
    /// Read everything staff can read; change nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 3] = [Role::Admin, Role::Editor, Role::Viewer];

    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Viewer => "viewer",
        }
    }

    pub fn parse(name: &str) -> Option<Role> {
        Self::ALL.into_iter().find(|r| r.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Role::Admin => "Administrator",
            Role::Editor => "Editor",
            Role::Viewer => "Viewer",
        }
    }

    pub fn can_edit(&self) -> bool {
        matches!(self, Role::Admin | Role::Editor)
    }

    pub fn can_manage_users(&self) -> bool {
        matches!(self, Role::Admin)
    }
}

/// A staff account, without its password hash.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct User {
    pub id: UserId,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub active: bool,
    pub created_at: DateTime<Utc>,
    /// The password was set by someone else and must be replaced before anything else.
    pub must_change_password: bool,
}

/// An account to create.
#[derive(Clone, Debug)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub password_hash: String,
    /// True when someone other than the account's owner chose the password (an
    /// administrator's generated password): the owner must replace it at sign-in.
    pub one_time_password: bool,
}

type UserRow = (String, String, String, String, i64, String, i64);

const USER_COLUMNS: &str = "id, username, display_name, role, active, created_at, must_change_password";

fn to_user(row: UserRow) -> Result<User> {
    let (id, username, display_name, role, active, created_at, must_change) = row;
    Ok(User {
        id: id.parse().map_err(|e| corrupt(format!("user id `{id}`"), e))?,
        role: Role::parse(&role).ok_or_else(|| corrupt(format!("role of user {username}"), &role))?,
        username,
        display_name,
        active: active != 0,
        created_at: parse_timestamp(&created_at)?,
        must_change_password: must_change != 0,
    })
}

/// The account as the audit log shows it: never the password hash.
fn audited(user: &User) -> serde_json::Value {
    serde_json::json!({
        "id": user.id,
        "username": user.username,
        "display_name": user.display_name,
        "role": user.role,
        "active": user.active,
        "must_change_password": user.must_change_password,
    })
}

pub(crate) async fn create(db: &Db, actor: &Actor, new: &NewUser) -> Result<User> {
    let user = User {
        id: UserId::new(),
        username: new.username.trim().to_string(),
        display_name: new.display_name.trim().to_string(),
        role: new.role,
        active: true,
        created_at: crate::db::now(),
        must_change_password: new.one_time_password,
    };
    let mut tx = db.begin().await?;
    let taken: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(&user.username).fetch_optional(&mut *c).await?);
    if taken.is_some() {
        return Err(StoreError::Conflict(format!("username `{}` is already taken; choose another", user.username)));
    }
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, \
         must_change_password) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&new.password_hash)
        .bind(1_i64)
        .bind(timestamp(user.created_at))
        .bind(i64::from(user.must_change_password))
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "user",
        entity_id: user.id.to_string(),
        before: None,
        after: Some(audited(&user)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(user)
}

pub(crate) async fn by_id(db: &Db, id: UserId) -> Result<Option<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> = on_pool!(db, p => sqlx::query_as(&sql).bind(id.to_string()).fetch_optional(p).await?);
    row.map(to_user).transpose()
}

pub(crate) async fn by_username(db: &Db, username: &str) -> Result<Option<(User, String)>> {
    let sql = format!("SELECT {USER_COLUMNS}, password_hash FROM users WHERE username = $1");
    type UserWithHash = (String, String, String, String, i64, String, i64, String);
    let row: Option<UserWithHash> =
        on_pool!(db, p => sqlx::query_as(&sql).bind(username.trim()).fetch_optional(p).await?);
    row.map(|(a, b, c, d, e, f, g, hash)| to_user((a, b, c, d, e, f, g)).map(|u| (u, hash))).transpose()
}

pub(crate) async fn all(db: &Db) -> Result<Vec<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
    let rows: Vec<UserRow> = on_pool!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    rows.into_iter().map(to_user).collect()
}

/// Changes one account in a transaction with its audit entry.
async fn change_user(
    db: &Db,
    actor: &Actor,
    id: UserId,
    action: &str,
    apply: impl FnOnce(&mut User),
    sql: &'static str,
    value: Value,
) -> Result<()> {
    let mut tx = db.begin().await?;
    let select = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        on_tx!(&mut tx, c => sqlx::query_as(&select).bind(id.to_string()).fetch_optional(&mut *c).await?);
    let before = row.map(to_user).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("user {id}") })?;
    let mut after = before.clone();
    apply(&mut after);
    match &value {
        Value::Text(text) => {
            on_tx!(&mut tx, c => sqlx::query(sql).bind(text).bind(id.to_string()).execute(&mut *c).await?.rows_affected())
        }
        Value::Int(n) => {
            on_tx!(&mut tx, c => sqlx::query(sql).bind(*n).bind(id.to_string()).execute(&mut *c).await?.rows_affected())
        }
    };
    if sql.contains("active") && matches!(value, Value::Int(0)) {
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE user_id = $1")
            .bind(id.to_string()).execute(&mut *c).await?.rows_affected());
    }
    let mut after_json = audited(&after);
    if action.ends_with("password") {
        // Record that the password changed, never what it is.
        after_json["password"] = serde_json::Value::String(String::from("changed"));
    }
    let change = Change {
        action,
        entity: "user",
        entity_id: id.to_string(),
        before: Some(audited(&before)),
        after: Some(after_json),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

enum Value {
    Text(String),
    Int(i64),
}

pub(crate) async fn set_role(db: &Db, actor: &Actor, id: UserId, role: Role) -> Result<()> {
    let sql = "UPDATE users SET role = $1 WHERE id = $2";
    change_user(db, actor, id, "set_role", |u| u.role = role, sql, Value::Text(role.as_str().into())).await
}

/// The account's owner chose a new password: it replaces any one-time password.
pub(crate) async fn set_password(db: &Db, actor: &Actor, id: UserId, hash: &str) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $1, must_change_password = 0 WHERE id = $2";
    let apply = |u: &mut User| u.must_change_password = false;
    change_user(db, actor, id, "set_password", apply, sql, Value::Text(hash.to_string())).await
}

/// Someone else set the password (an administrator, the demo): the owner must replace it.
pub(crate) async fn set_one_time_password(db: &Db, actor: &Actor, id: UserId, hash: &str) -> Result<()> {
    let sql = "UPDATE users SET password_hash = $1, must_change_password = 1 WHERE id = $2";
    let apply = |u: &mut User| u.must_change_password = true;
    change_user(db, actor, id, "set_one_time_password", apply, sql, Value::Text(hash.to_string())).await
}

pub(crate) async fn set_active(db: &Db, actor: &Actor, id: UserId, active: bool) -> Result<()> {
    let sql = "UPDATE users SET active = $1 WHERE id = $2";
    let action = if active { "activate" } else { "deactivate" };
    change_user(db, actor, id, action, |u| u.active = active, sql, Value::Int(i64::from(active))).await
}

pub(crate) async fn create_session(db: &Db, token_hash: &str, user: UserId, expires_at: DateTime<Utc>) -> Result<()> {
    on_pool!(db, p => sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES ($1, $2, $3, $4)")
        .bind(token_hash)
        .bind(user.to_string())
        .bind(timestamp(Utc::now()))
        .bind(timestamp(expires_at))
        .execute(p).await?.rows_affected());
    Ok(())
}

pub(crate) async fn session_user(db: &Db, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
    let sql = "SELECT u.id, u.username, u.display_name, u.role, u.active, u.created_at, u.must_change_password \
               FROM sessions s \
               JOIN users u ON u.id = s.user_id WHERE s.token_hash = $1 AND s.expires_at > $2 AND u.active = 1";
    let row: Option<UserRow> =
        on_pool!(db, p => sqlx::query_as(sql).bind(token_hash).bind(timestamp(now)).fetch_optional(p).await?);
    row.map(to_user).transpose()
}

pub(crate) async fn delete_session(db: &Db, token_hash: &str) -> Result<()> {
    on_pool!(db, p => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(p).await?.rows_affected());
    Ok(())
}

pub(crate) async fn purge_sessions(db: &Db, now: DateTime<Utc>) -> Result<u64> {
    let done = on_pool!(db, p => sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
        .bind(timestamp(now)).execute(p).await?.rows_affected());
    Ok(done)
}
