//! The connection to one of the two databases, chosen once from the URL.
//!
//! Every query is written once, with `$n` placeholders that both drivers accept, and
//! run through [`on_pool!`] or [`on_tx!`], which expand the same body in an SQLite arm
//! and a PostgreSQL arm so that each is type-checked against its own driver. This module
//! opens pools, applies migrations and begins transactions; it knows no table.

use std::str::FromStr;
use std::time::Duration;

use sqlx::postgres::{PgPool, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Postgres, Sqlite, Transaction};

use crate::error::{Result, StoreError};

/// Which database a store talks to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

#[derive(Clone, Debug)]
pub(crate) enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// An open write transaction on either backend.
pub(crate) enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

/// PostgreSQL only (SQLite has no `FOR UPDATE`; `BEGIN IMMEDIATE` does its job there).
const LOCK_WRITERS: &str = "SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE";

/// Runs `$body` with `$pool` bound to the backend's pool.
macro_rules! on_pool {
    ($db:expr, $pool:ident => $body:expr) => {
        match $db {
            $crate::db::Db::Sqlite($pool) => $body,
            $crate::db::Db::Postgres($pool) => $body,
        }
    };
}

/// Runs `$body` with `$conn` bound to the transaction's connection.
macro_rules! on_tx {
    ($tx:expr, $conn:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $conn = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $conn = &mut **t;
                $body
            }
        }
    };
}

pub(crate) use {on_pool, on_tx};

impl Db {
    /// Opens the database named by `url` and applies the migrations. An unknown scheme
    /// is an error before anything is touched, never a guess at SQLite.
    pub(crate) async fn connect(url: &str) -> Result<Db> {
        // A URL without a colon has no scheme at all. sqlx would read `pcplan.db`, or
        // even `sqlite`, as a file name and create it, which is exactly the guess this
        // function exists to refuse.
        let Some((given, rest)) = url.split_once(':') else {
            return Err(StoreError::UnknownScheme { scheme: url.to_string() });
        };
        // Schemes are case-insensitive (RFC 3986 s.3.1) but sqlx strips only a
        // lowercase `sqlite:`, so `SQLITE:x.db` would become a file named `SQLITE:x.db`.
        let scheme = given.to_ascii_lowercase();
        match scheme.as_str() {
            "sqlite" => {
                let path = rest.trim_start_matches("//");
                if path.is_empty() || path.starts_with('?') {
                    // An empty file name makes SQLite open a private temporary database
                    // that vanishes on close: never what someone configuring pcplan meant.
                    return Err(StoreError::Database(sqlx::Error::Configuration(
                        "the sqlite URL names no file; use `sqlite://path/to/pcplan.db`".into(),
                    )));
                }
                let options = SqliteConnectOptions::from_str(&format!("sqlite:{rest}"))?
                    .create_if_missing(true)
                    .journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .foreign_keys(true)
                    .busy_timeout(Duration::from_secs(5));
                let pool = SqlitePoolOptions::new().max_connections(8).connect_with(options).await?;
                sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
                Ok(Db::Sqlite(pool))
            }
            "postgres" | "postgresql" => {
                let pool = PgPoolOptions::new().max_connections(16).connect(&format!("postgres:{rest}")).await?;
                sqlx::migrate!("./migrations/postgres").run(&pool).await?;
                Ok(Db::Postgres(pool))
            }
            _ => Err(StoreError::UnknownScheme { scheme: format!("{scheme}:") }),
        }
    }

    pub(crate) fn backend(&self) -> Backend {
        match self {
            Db::Sqlite(_) => Backend::Sqlite,
            Db::Postgres(_) => Backend::Postgres,
        }
    }

    /// Begins a write transaction, serialised with every other writer on both backends.
    ///
    /// SQLite takes the write lock at once (`BEGIN IMMEDIATE`): a deferred transaction
    /// that reads and then writes can deadlock with another such transaction and fail
    /// with "database is locked" instead of waiting.
    ///
    /// PostgreSQL takes the audit head's row lock first. Every write appends to the
    /// audit chain and so queues on that row before it commits anyway; taking it at the
    /// start instead of the end costs no concurrency and makes each write's
    /// read-check-write (is the username free, is the plan still valid, which version
    /// number is next) see every earlier commit, as on SQLite. Under READ COMMITTED each
    /// later statement reads a fresh snapshot, so nothing read after the lock is stale.
    /// Locking only the rows a write touches was rejected: it would need a lock per kind
    /// of check, and a forgotten one is a race that no single-connection test can show.
    pub(crate) async fn begin(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(pool) => {
                let mut tx = pool.begin().await?;
                sqlx::query(LOCK_WRITERS).execute(&mut *tx).await?;
                Tx::Postgres(tx)
            }
        })
    }

    /// Begins a read-only transaction, so that a plan, its items and its body (or the
    /// audit log and its head) are read from one consistent snapshot. On SQLite in WAL
    /// mode a deferred transaction keeps the snapshot of its first read and takes no
    /// write lock. PostgreSQL's default READ COMMITTED gives every statement a fresh
    /// snapshot, so a plan's row and its items could come from either side of a
    /// concurrent commit; REPEATABLE READ keeps one snapshot for the whole transaction,
    /// and a read-only one never fails to serialise.
    pub(crate) async fn begin_read(&self) -> Result<Tx> {
        Ok(match self {
            Db::Sqlite(pool) => Tx::Sqlite(pool.begin().await?),
            Db::Postgres(pool) => {
                Tx::Postgres(pool.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY").await?)
            }
        })
    }

    pub(crate) async fn close(&self) {
        on_pool!(self, pool => pool.close().await)
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// The current time, truncated to the microseconds the timestamp columns keep, so that a
/// value returned to the caller equals the value read back later.
pub(crate) fn now() -> chrono::DateTime<chrono::Utc> {
    let now = chrono::Utc::now();
    chrono::DateTime::from_timestamp_micros(now.timestamp_micros()).unwrap_or(now)
}

/// The timestamp format stored in every `*_at` column: fixed width, so text order is
/// time order on both backends.
pub(crate) fn timestamp(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

pub(crate) fn parse_timestamp(text: &str) -> Result<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|e| crate::error::corrupt(format!("timestamp `{text}`"), e))
}

pub(crate) fn parse_date(text: &str) -> Result<chrono::NaiveDate> {
    chrono::NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|e| crate::error::corrupt(format!("date `{text}`"), e))
}

/// A record as the JSON text kept in its `data` column.
pub(crate) fn to_json<T: serde::Serialize>(value: &T) -> Result<String> {
    serde_json::to_string(value).map_err(|e| crate::error::corrupt("record for writing", e))
}

/// A record as the JSON value the audit log keeps before and after a change.
/// Serialising the domain's plain structs cannot fail; a failure would mean a bug in a
/// `Serialize` impl, and an empty audit value is better than losing the change.
pub(crate) fn audit_json<T: serde::Serialize>(value: &T) -> serde_json::Value {
    serde_json::to_value(value).unwrap_or(serde_json::Value::Null)
}
