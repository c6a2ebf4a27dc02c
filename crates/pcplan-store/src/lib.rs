//! The one store over SQLite and PostgreSQL.
//!
//! [`Store`] speaks domain types: bodies, plans and their records, versions, staff
//! accounts, sessions and the audit log. The backend is chosen once, in
//! [`Store::connect`], from the URL scheme; an unknown scheme is an error, never a new
//! SQLite file. Every change to a stored record is written with its audit entry in one
//! transaction. This crate is the only place that knows SQL; it knows nothing of HTTP,
//! templates or who is allowed to do what.

mod audit;
mod db;
mod error;
mod plans;
mod processes;
mod users;

use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::{
    Body, BodyId, Item, ItemId, Plan, PlanFile, PlanId, PlanVersion, UserId, VersionKind, VersionMeta, VersionNumber,
};

pub use audit::{Actor, AuditEntry, AuditReport, BrokenLink};
pub use db::Backend;
pub use error::{Result, StoreError};
pub use plans::{MoveDirection, PlanHeader, PlanSummary};
pub use processes::StoredProcess;
pub use users::{NewUser, Role, User};

use db::Db;

/// The store. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens the database named by `url` (`sqlite://path/to/pcplan.db`,
    /// `postgres://user@host/db`) and applies any pending migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        Ok(Store { db: Db::connect(url).await? })
    }

    /// Which database this store talks to.
    pub fn backend(&self) -> Backend {
        self.db.backend()
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        self.db.close().await
    }

    // ---- bodies ----

    pub async fn create_body(&self, actor: &Actor, body: &Body) -> Result<()> {
        plans::create_body(&self.db, actor, body).await
    }

    /// Replaces a body's details; refused when a plan's records would no longer fit
    /// (a local plan for an area that was removed).
    pub async fn update_body(&self, actor: &Actor, body: &Body) -> Result<()> {
        plans::update_body(&self.db, actor, body).await
    }

    pub async fn body(&self, id: BodyId) -> Result<Option<Body>> {
        plans::body(&self.db, id).await
    }

    /// Every body, by name.
    pub async fn bodies(&self) -> Result<Vec<Body>> {
        plans::bodies(&self.db).await
    }

    // ---- plans: the working draft ----

    /// Stores a new plan with its records, after validating it against its body.
    pub async fn create_plan(&self, actor: &Actor, plan: &Plan) -> Result<()> {
        plans::create_plan(&self.db, actor, plan).await
    }

    /// The working draft of a plan.
    pub async fn plan(&self, id: PlanId) -> Result<Option<Plan>> {
        plans::plan(&self.db, id).await
    }

    /// Every plan, newest first.
    pub async fn plans(&self) -> Result<Vec<PlanSummary>> {
        plans::plans(&self.db).await
    }

    pub async fn update_plan_header(&self, actor: &Actor, id: PlanId, header: &PlanHeader) -> Result<()> {
        plans::update_plan_header(&self.db, actor, id, header).await
    }

    /// Adds a record after its last sibling.
    pub async fn add_item(&self, actor: &Actor, plan: PlanId, item: &Item) -> Result<()> {
        plans::add_item(&self.db, actor, plan, item).await
    }

    /// Replaces a record (same identity); it keeps its place.
    pub async fn update_item(&self, actor: &Actor, plan: PlanId, item: &Item) -> Result<()> {
        plans::update_item(&self.db, actor, plan, item).await
    }

    /// Swaps a record with its previous or next sibling; nothing happens at either end.
    pub async fn move_item(&self, actor: &Actor, plan: PlanId, item: ItemId, direction: MoveDirection) -> Result<()> {
        plans::move_item(&self.db, actor, plan, item, direction).await
    }

    /// Deletes a record; refused, naming them, while records sit under it or serve it.
    pub async fn delete_item(&self, actor: &Actor, plan: PlanId, item: ItemId) -> Result<()> {
        plans::delete_item(&self.db, actor, plan, item).await
    }

    // ---- versions ----

    /// Snapshots the working draft as a new, immutable version.
    pub async fn make_version(
        &self,
        actor: &Actor,
        plan: PlanId,
        kind: VersionKind,
        label: &str,
        effective_on: Option<NaiveDate>,
    ) -> Result<VersionMeta> {
        plans::make_version(&self.db, actor, plan, kind, label, effective_on).await
    }

    /// A plan's versions, oldest first.
    pub async fn versions(&self, plan: PlanId) -> Result<Vec<VersionMeta>> {
        plans::versions(&self.db, plan).await
    }

    pub async fn version(&self, plan: PlanId, number: VersionNumber) -> Result<Option<PlanVersion>> {
        plans::version(&self.db, plan, number).await
    }

    // ---- plan files ----

    /// The plan, its body and every version, as a plan file.
    pub async fn export_plan(&self, plan: PlanId) -> Result<Option<PlanFile>> {
        plans::export_plan(&self.db, plan).await
    }

    /// Stores a whole plan file in one transaction: all of it, or nothing.
    pub async fn import_plan(&self, actor: &Actor, file: &PlanFile) -> Result<()> {
        plans::import_plan(&self.db, actor, file).await
    }

    // ---- meetings and processes ----

    /// Stores a scheduled meeting, with the papers deadline fixed when it was scheduled.
    pub async fn create_meeting(&self, actor: &Actor, meeting: &pcplan_domain::meeting::Meeting) -> Result<()> {
        processes::create_meeting(&self.db, actor, meeting).await
    }

    pub async fn meeting(&self, id: pcplan_domain::MeetingId) -> Result<Option<pcplan_domain::meeting::Meeting>> {
        processes::meeting(&self.db, id).await
    }

    /// A body's meetings, by date.
    pub async fn meetings(&self, body: BodyId) -> Result<Vec<pcplan_domain::meeting::Meeting>> {
        processes::meetings(&self.db, body).await
    }

    /// Records when a meeting's papers were published; the deadline does not move.
    pub async fn set_papers_published(
        &self,
        actor: &Actor,
        id: pcplan_domain::MeetingId,
        published: NaiveDate,
    ) -> Result<pcplan_domain::meeting::Meeting> {
        processes::set_papers_published(&self.db, actor, id, published).await
    }

    /// Starts an issue or variation process for a plan.
    pub async fn create_process(
        &self,
        actor: &Actor,
        id: pcplan_domain::ProcessId,
        plan: PlanId,
        kind: pcplan_domain::process::ProcessKind,
        meeting: Option<pcplan_domain::MeetingId>,
    ) -> Result<StoredProcess> {
        processes::create_process(&self.db, actor, id, plan, kind, meeting).await
    }

    pub async fn process(&self, id: pcplan_domain::ProcessId) -> Result<Option<StoredProcess>> {
        processes::process(&self.db, id).await
    }

    /// A plan's processes, oldest first.
    pub async fn processes(&self, plan: PlanId) -> Result<Vec<StoredProcess>> {
        processes::processes(&self.db, plan).await
    }

    /// Records a step of a process with its evidence.
    pub async fn record_step(
        &self,
        actor: &Actor,
        id: pcplan_domain::ProcessId,
        step: pcplan_domain::process::Step,
        evidence: &pcplan_domain::process::Evidence,
    ) -> Result<StoredProcess> {
        processes::record_step(&self.db, actor, id, step, evidence).await
    }

    // ---- users and sessions ----

    pub async fn create_user(&self, actor: &Actor, user: &NewUser) -> Result<User> {
        users::create(&self.db, actor, user).await
    }

    pub async fn user(&self, id: UserId) -> Result<Option<User>> {
        users::by_id(&self.db, id).await
    }

    /// An account and its password hash, for signing in.
    pub async fn user_by_username(&self, username: &str) -> Result<Option<(User, String)>> {
        users::by_username(&self.db, username).await
    }

    /// Every account, by username.
    pub async fn users(&self) -> Result<Vec<User>> {
        users::all(&self.db).await
    }

    pub async fn set_user_role(&self, actor: &Actor, id: UserId, role: Role) -> Result<()> {
        users::set_role(&self.db, actor, id, role).await
    }

    /// Sets a password the account's owner chose; any one-time password is replaced.
    pub async fn set_user_password(&self, actor: &Actor, id: UserId, password_hash: &str) -> Result<()> {
        users::set_password(&self.db, actor, id, password_hash).await
    }

    /// Sets a password someone else chose; the owner must change it at next sign-in.
    pub async fn set_one_time_password(&self, actor: &Actor, id: UserId, password_hash: &str) -> Result<()> {
        users::set_one_time_password(&self.db, actor, id, password_hash).await
    }

    /// Enables or disables an account; disabling also ends its sessions.
    pub async fn set_user_active(&self, actor: &Actor, id: UserId, active: bool) -> Result<()> {
        users::set_active(&self.db, actor, id, active).await
    }

    pub async fn create_session(&self, token_hash: &str, user: UserId, expires_at: DateTime<Utc>) -> Result<()> {
        users::create_session(&self.db, token_hash, user, expires_at).await
    }

    /// The active account a session belongs to, unless the session has expired.
    pub async fn session_user(&self, token_hash: &str, now: DateTime<Utc>) -> Result<Option<User>> {
        users::session_user(&self.db, token_hash, now).await
    }

    pub async fn delete_session(&self, token_hash: &str) -> Result<()> {
        users::delete_session(&self.db, token_hash).await
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        users::purge_sessions(&self.db, now).await
    }

    // ---- audit ----

    /// Audit entries, newest first.
    pub async fn audit_log(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        audit::page(&self.db, limit, offset).await
    }

    /// Recomputes the hash chain and reports the first broken link.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        audit::verify(&self.db).await
    }

    /// Every (table, column) of the schema, sorted, without sqlx's own table. Used by the
    /// test that keeps the SQLite and PostgreSQL migrations in step.
    #[doc(hidden)]
    pub async fn schema(&self) -> Result<Vec<(String, String)>> {
        let mut columns: Vec<(String, String)> = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%'",
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = current_schema()",
                )
                .fetch_all(pool)
                .await?
            }
        };
        columns.retain(|(table, _)| !table.starts_with("_sqlx"));
        columns.sort();
        Ok(columns)
    }

    /// Runs one SQL statement as it is. For tests (tampering with the audit log to prove
    /// `verify_audit` notices) and supervised repair only; it bypasses every rule here.
    #[doc(hidden)]
    pub async fn execute_raw(&self, sql: &str) -> Result<u64> {
        Ok(db::on_pool!(&self.db, pool => sqlx::query(sql).execute(pool).await?.rows_affected()))
    }
}
