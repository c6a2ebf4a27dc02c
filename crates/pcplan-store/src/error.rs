//! The store's errors: each says what failed and, where it can, how to fix it.
//!
//! Database errors are passed through unchanged for the caller to log; this module does
//! not decide HTTP statuses or exit codes, which belong to the web crate and the binary.

use pcplan_domain::{PlanProblems, VersionRuleError};

/// Why a store call failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL's scheme is neither SQLite nor PostgreSQL.
    #[error("unknown database URL scheme `{scheme}`; use `sqlite://path/to/pcplan.db` or `postgres://user@host/db`")]
    UnknownScheme { scheme: String },
    /// The record asked for does not exist.
    #[error("{what} not found")]
    NotFound { what: String },
    /// The change conflicts with what is stored (a taken username, a record with children).
    #[error("{0}")]
    Conflict(String),
    /// The change would leave the plan inconsistent; nothing was written.
    #[error(transparent)]
    Invalid(#[from] PlanProblems),
    /// A version of this kind cannot follow the versions already made.
    #[error(transparent)]
    VersionRule(#[from] VersionRuleError),
    /// A process step out of order, dated too early or recorded twice.
    #[error(transparent)]
    Process(#[from] pcplan_domain::process::ProcessError),
    /// Clock settings or a calendar override with a field that breaks its rule (a
    /// number out of range, an empty name); each problem names the field.
    #[error(transparent)]
    Fields(#[from] pcplan_domain::clock::FieldProblems),
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("database migration failed: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    /// A file of records (`pcplan records export` / `import`) or a backup that cannot be
    /// written or read; the message names the line or table and what to do.
    #[error("{0}")]
    Transfer(String),
    /// Stored data that no longer reads back (edited by hand, or from a newer pcplan).
    #[error("stored {what} is unreadable: {detail}")]
    Corrupt { what: String, detail: String },
}

/// The store's result type.
pub type Result<T> = std::result::Result<T, StoreError>;

pub(crate) fn corrupt(what: impl Into<String>, detail: impl ToString) -> StoreError {
    StoreError::Corrupt { what: what.into(), detail: detail.to_string() }
}
