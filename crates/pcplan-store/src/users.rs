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
    /// Drafts and changes plans, decisions, consultations and reports.
    Editor,
    /// An editor who also approves: signs decisions and publishes (plan versions, the
    /// response to the Panel, the annual report, papers, consultations).
    Approver,
    /// The Chief Constable's office: reads what staff read and reports delivery (figures,
    /// grades, progress on milestones and commitments).
    Liaison,
    /// A Police and Crime Panel scrutiny officer: reads what staff read and keeps the
    /// Panel's business (its reports and recommendations, meetings and papers).
    PanelOfficer,
    /// Reads every staff page; changes nothing.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 6] =
        [Role::Admin, Role::Editor, Role::Approver, Role::Liaison, Role::PanelOfficer, Role::Viewer];

    /// The name stored in the database and used on the command line and in forms.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Editor => "editor",
            Role::Approver => "approver",
            Role::Liaison => "liaison",
            Role::PanelOfficer => "panel_officer",
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
            Role::Approver => "Approver",
            Role::Liaison => "Chief Constable's liaison",
            Role::PanelOfficer => "Panel officer",
            Role::Viewer => "Viewer",
        }
    }

    /// May draft and change the OPCC's records (editors, approvers, administrators).
    pub fn can_edit(&self) -> bool {
        matches!(self, Role::Admin | Role::Editor | Role::Approver)
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
    /// Where reminders of the deadlines this person owns are sent; none when unset.
    pub email: Option<String>,
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
    /// An e-mail address for reminders, checked by [`parse_email`] before it is stored.
    pub email: Option<String>,
}

/// Checks an e-mail address minimally and returns it trimmed; an empty one is `None`.
///
/// Only what would break a message is refused: no `@` or more than one, nothing on
/// either side of it, spaces, and line breaks (which could add headers to a message).
/// Whether the mailbox exists only the mail server can say, so nothing more is checked;
/// a stricter pattern would refuse real addresses. The error names the field, `email`.
pub fn parse_email(raw: &str) -> Result<Option<String>> {
    use pcplan_domain::clock::{FieldProblem, FieldProblems};
    let address = raw.trim();
    if address.is_empty() {
        return Ok(None);
    }
    let refuse = |problem: &str| Err(FieldProblems(vec![FieldProblem::new("email", problem.to_string())]).into());
    if address.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return refuse("an email address must not contain spaces or line breaks");
    }
    match address.split_once('@') {
        Some((local, domain)) if !local.is_empty() && !domain.is_empty() && !domain.contains('@') => {
            Ok(Some(address.to_string()))
        }
        _ => refuse("enter an email address with one @ and a name on each side, like name@example.org"),
    }
}

type UserRow = (String, String, String, String, i64, String, i64, Option<String>);

const USER_COLUMNS: &str = "id, username, display_name, role, active, created_at, must_change_password, email";

fn to_user(row: UserRow) -> Result<User> {
    let (id, username, display_name, role, active, created_at, must_change, email) = row;
    Ok(User {
        id: id.parse().map_err(|e| corrupt(format!("user id `{id}`"), e))?,
        role: Role::parse(&role).ok_or_else(|| corrupt(format!("role of user {username}"), &role))?,
        username,
        display_name,
        active: active != 0,
        created_at: parse_timestamp(&created_at)?,
        must_change_password: must_change != 0,
        email,
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
        "email": user.email,
    })
}

pub(crate) async fn create(db: &Db, actor: &Actor, new: &NewUser) -> Result<User> {
    let email = match &new.email {
        Some(raw) => parse_email(raw)?,
        None => None,
    };
    let user = User {
        id: UserId::new(),
        username: new.username.trim().to_string(),
        display_name: new.display_name.trim().to_string(),
        role: new.role,
        active: true,
        created_at: crate::db::now(),
        must_change_password: new.one_time_password,
        email,
    };
    let mut tx = db.begin().await?;
    let taken: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM users WHERE username = $1")
        .bind(&user.username).fetch_optional(&mut *c).await?);
    if taken.is_some() {
        return Err(StoreError::Conflict(format!("username `{}` is already taken; choose another", user.username)));
    }
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO users (id, username, display_name, role, password_hash, active, created_at, \
         must_change_password, email) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
        .bind(user.id.to_string())
        .bind(&user.username)
        .bind(&user.display_name)
        .bind(user.role.as_str())
        .bind(&new.password_hash)
        .bind(1_i64)
        .bind(timestamp(user.created_at))
        .bind(i64::from(user.must_change_password))
        .bind(&user.email)
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
    type UserWithHash = (String, String, String, String, i64, String, i64, Option<String>, String);
    let row: Option<UserWithHash> =
        on_pool!(db, p => sqlx::query_as(&sql).bind(username.trim()).fetch_optional(p).await?);
    row.map(|(a, b, c, d, e, f, g, h, hash)| to_user((a, b, c, d, e, f, g, h)).map(|u| (u, hash))).transpose()
}

pub(crate) async fn all(db: &Db) -> Result<Vec<User>> {
    let sql = format!("SELECT {USER_COLUMNS} FROM users ORDER BY username");
    let rows: Vec<UserRow> = on_pool!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    rows.into_iter().map(to_user).collect()
}

/// One change to an account. Each variant names its SQL and its audit action, so the
/// shared code below never has to guess from the SQL text what the change was.
enum UserChange<'a> {
    Role(Role),
    /// A new password hash; `one_time` when someone other than the owner chose it.
    Password {
        hash: &'a str,
        one_time: bool,
    },
    Active(bool),
    /// An address already checked by [`parse_email`], or none to remove it.
    Email(Option<&'a str>),
}

const SET_ROLE: &str = "UPDATE users SET role = $1 WHERE id = $2";
const SET_PASSWORD: &str = "UPDATE users SET password_hash = $1, must_change_password = $2 WHERE id = $3";
const SET_ACTIVE: &str = "UPDATE users SET active = $1 WHERE id = $2";
const SET_EMAIL: &str = "UPDATE users SET email = $1 WHERE id = $2";
const END_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";
const CLEAR_FAILURES: &str = "DELETE FROM sign_in_failures WHERE username = $1";

impl UserChange<'_> {
    fn action(&self) -> &'static str {
        match self {
            UserChange::Role(_) => "set_role",
            UserChange::Password { one_time: false, .. } => "set_password",
            UserChange::Password { one_time: true, .. } => "set_one_time_password",
            UserChange::Active(true) => "activate",
            UserChange::Active(false) => "deactivate",
            UserChange::Email(_) => "set_email",
        }
    }

    fn apply(&self, user: &mut User) {
        match self {
            UserChange::Role(role) => user.role = *role,
            UserChange::Password { one_time, .. } => user.must_change_password = *one_time,
            UserChange::Active(active) => user.active = *active,
            UserChange::Email(email) => user.email = email.map(str::to_string),
        }
    }
}

/// Changes one account in a transaction with its audit entry.
async fn change_user(db: &Db, actor: &Actor, id: UserId, change: UserChange<'_>) -> Result<()> {
    let mut tx = db.begin().await?;
    let select = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        on_tx!(&mut tx, c => sqlx::query_as(&select).bind(id.to_string()).fetch_optional(&mut *c).await?);
    let before = row.map(to_user).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("user {id}") })?;
    let mut after = before.clone();
    change.apply(&mut after);
    let key = id.to_string();
    match &change {
        UserChange::Role(role) => on_tx!(&mut tx, c => sqlx::query(SET_ROLE)
            .bind(role.as_str()).bind(&key).execute(&mut *c).await?.rows_affected()),
        UserChange::Password { hash, one_time } => on_tx!(&mut tx, c => sqlx::query(SET_PASSWORD)
            .bind(*hash).bind(i64::from(*one_time)).bind(&key).execute(&mut *c).await?.rows_affected()),
        UserChange::Active(active) => on_tx!(&mut tx, c => sqlx::query(SET_ACTIVE)
            .bind(i64::from(*active)).bind(&key).execute(&mut *c).await?.rows_affected()),
        UserChange::Email(email) => on_tx!(&mut tx, c => sqlx::query(SET_EMAIL)
            .bind(*email).bind(&key).execute(&mut *c).await?.rows_affected()),
    };
    // A disabled account must be signed out everywhere at once, not when its sessions
    // expire; deleting them in the same transaction leaves no window. A new password
    // ends every session too (whoever knew the old one is signed out; the owner's own
    // browser is given a new session by the web layer), and lifts any sign-in lockout.
    if matches!(change, UserChange::Active(false) | UserChange::Password { .. }) {
        on_tx!(&mut tx, c => sqlx::query(END_SESSIONS).bind(&key).execute(&mut *c).await?.rows_affected());
    }
    if let UserChange::Password { .. } = change {
        on_tx!(&mut tx, c => sqlx::query(CLEAR_FAILURES).bind(failure_key(&before.username)).execute(&mut *c).await?.rows_affected());
    }
    let mut after_json = audited(&after);
    if let UserChange::Password { .. } = change {
        // Record that the password changed, never what it is.
        after_json["password"] = serde_json::Value::String(String::from("changed"));
    }
    let change = Change {
        action: change.action(),
        entity: "user",
        entity_id: key,
        before: Some(audited(&before)),
        after: Some(after_json),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn set_role(db: &Db, actor: &Actor, id: UserId, role: Role) -> Result<()> {
    change_user(db, actor, id, UserChange::Role(role)).await
}

/// The account's owner chose a new password: it replaces any one-time password.
pub(crate) async fn set_password(db: &Db, actor: &Actor, id: UserId, hash: &str) -> Result<()> {
    change_user(db, actor, id, UserChange::Password { hash, one_time: false }).await
}

/// Someone else set the password (an administrator, the demo): the owner must replace it.
pub(crate) async fn set_one_time_password(db: &Db, actor: &Actor, id: UserId, hash: &str) -> Result<()> {
    change_user(db, actor, id, UserChange::Password { hash, one_time: true }).await
}

pub(crate) async fn set_active(db: &Db, actor: &Actor, id: UserId, active: bool) -> Result<()> {
    change_user(db, actor, id, UserChange::Active(active)).await
}

/// Sets or removes the address reminders go to, after checking it with [`parse_email`].
pub(crate) async fn set_email(db: &Db, actor: &Actor, id: UserId, email: Option<&str>) -> Result<()> {
    let email = match email {
        Some(raw) => parse_email(raw)?,
        None => None,
    };
    change_user(db, actor, id, UserChange::Email(email.as_deref())).await
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
    let sql = "SELECT u.id, u.username, u.display_name, u.role, u.active, u.created_at, u.must_change_password, \
               u.email \
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

/// Ends every session of an account ("sign out everywhere"), audited as who did it;
/// returns how many sessions ended.
pub(crate) async fn end_sessions(db: &Db, actor: &Actor, id: UserId) -> Result<u64> {
    let mut tx = db.begin().await?;
    let key = id.to_string();
    let ended = on_tx!(&mut tx, c => sqlx::query(END_SESSIONS).bind(&key).execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "end_sessions",
        entity: "user",
        entity_id: key,
        before: None,
        after: Some(serde_json::json!({ "sessions_ended": ended })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(ended)
}

/// When repeated failed sign-ins lock a username, and for how long.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lockout {
    /// Failures in a row (none further apart than `window`) that lock the username.
    pub failures: i64,
    /// A failure this long after the last one starts the count again.
    pub window: chrono::Duration,
    /// How long the lock lasts; the next failure after it locks again at once.
    pub lock: chrono::Duration,
}

/// Ten failures, each within fifteen minutes of the last, lock the username for fifteen
/// minutes (the NCSC's guidance allows about ten tries before a lockout). With the
/// per-address rate limit on the sign-in form this bounds guessing at about 40 passwords
/// an hour for one username, however many addresses the guesser has.
pub const LOCKOUT: Lockout =
    Lockout { failures: 10, window: chrono::Duration::minutes(15), lock: chrono::Duration::minutes(15) };

/// The key failures are counted under: the username as typed, trimmed and lower case.
fn failure_key(username: &str) -> String {
    username.trim().to_lowercase()
}

/// Until when the username is locked, if it is locked at `now`.
pub(crate) async fn sign_in_locked(db: &Db, username: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
    let row: Option<(Option<String>,)> = on_pool!(db, p => sqlx::query_as(
        "SELECT locked_until FROM sign_in_failures WHERE username = $1")
        .bind(failure_key(username)).fetch_optional(p).await?);
    match row.and_then(|(until,)| until) {
        Some(until) => {
            let until = parse_timestamp(&until)?;
            Ok((until > now).then_some(until))
        }
        None => Ok(None),
    }
}

/// Counts a failed sign-in for the username (which may name no account) in one
/// statement, so concurrent failures all count; returns the end of the lock when this
/// failure locked it.
pub(crate) async fn record_sign_in_failure(
    db: &Db,
    username: &str,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let key = failure_key(username);
    let at = timestamp(now);
    let stale = timestamp(now - LOCKOUT.window);
    let until = timestamp(now + LOCKOUT.lock);
    let mut tx = db.begin().await?;
    let (failures,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
        "INSERT INTO sign_in_failures (username, failures, first_at, last_at, locked_until) \
         VALUES ($1, 1, $2, $2, NULL) \
         ON CONFLICT (username) DO UPDATE SET \
           failures = CASE WHEN sign_in_failures.last_at < $3 THEN 1 ELSE sign_in_failures.failures + 1 END, \
           first_at = CASE WHEN sign_in_failures.last_at < $3 THEN $2 ELSE sign_in_failures.first_at END, \
           last_at = $2 \
         RETURNING failures")
        .bind(&key).bind(&at).bind(&stale).fetch_one(&mut *c).await?);
    let locked = failures >= LOCKOUT.failures;
    if locked {
        on_tx!(&mut tx, c => sqlx::query(
            "UPDATE sign_in_failures SET locked_until = $1, failures = 0, first_at = $2 WHERE username = $3")
            .bind(&until).bind(&at).bind(&key).execute(&mut *c).await?.rows_affected());
    }
    tx.commit().await?;
    Ok(locked.then_some(now + LOCKOUT.lock))
}

/// Forgets the failures of a username: a successful sign-in.
pub(crate) async fn clear_sign_in_failures(db: &Db, username: &str) -> Result<()> {
    on_pool!(db, p => sqlx::query(CLEAR_FAILURES).bind(failure_key(username)).execute(p).await?.rows_affected());
    Ok(())
}

/// The usernames of accounts locked at `now`, with the end of each lock.
pub(crate) async fn locked_accounts(db: &Db, now: DateTime<Utc>) -> Result<Vec<(UserId, DateTime<Utc>)>> {
    let rows: Vec<(String, String)> = on_pool!(db, p => sqlx::query_as(
        "SELECT u.id, f.locked_until FROM sign_in_failures f JOIN users u ON lower(u.username) = f.username \
         WHERE f.locked_until > $1 ORDER BY u.username")
        .bind(timestamp(now)).fetch_all(p).await?);
    rows.into_iter()
        .map(|(id, until)| {
            let id = id.parse().map_err(|e| corrupt(format!("user id `{id}`"), e))?;
            Ok((id, parse_timestamp(&until)?))
        })
        .collect()
}

/// An administrator lifts the lock on an account, audited; false when it was not locked.
pub(crate) async fn unlock(db: &Db, actor: &Actor, id: UserId, now: DateTime<Utc>) -> Result<bool> {
    let mut tx = db.begin().await?;
    let select = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
    let row: Option<UserRow> =
        on_tx!(&mut tx, c => sqlx::query_as(&select).bind(id.to_string()).fetch_optional(&mut *c).await?);
    let user = row.map(to_user).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("user {id}") })?;
    let removed = on_tx!(&mut tx, c => sqlx::query(
        "DELETE FROM sign_in_failures WHERE username = $1 AND locked_until > $2")
        .bind(failure_key(&user.username)).bind(timestamp(now)).execute(&mut *c).await?.rows_affected());
    if removed == 0 {
        return Ok(false);
    }
    let change = Change {
        action: "unlock",
        entity: "user",
        entity_id: id.to_string(),
        before: Some(serde_json::json!({ "locked": true })),
        after: Some(serde_json::json!({ "locked": false })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(true)
}
