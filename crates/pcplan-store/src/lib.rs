//! The one store over SQLite and PostgreSQL.
//!
//! [`Store`] speaks domain types: bodies, plans and their records, versions, staff
//! accounts, sessions and the audit log. The backend is chosen once, in
//! [`Store::connect`], from the URL scheme; an unknown scheme is an error, never a new
//! SQLite file. Every change to a stored record is written with its audit entry in one
//! transaction. This crate is the only place that knows SQL; it knows nothing of HTTP,
//! templates or who is allowed to do what.

mod agenda;
mod annual_reports;
mod audit;
mod boards;
mod consultations;
mod crime;
mod db;
mod decisions;
mod error;
mod feeds;
mod observation_import;
mod paper_text;
mod papers;
mod peers;
mod performance;
mod plans;
mod processes;
mod reminders;
mod reports;
mod search;
mod settings;
mod transfer;
mod transparency;
mod users;

use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::{
    Body, BodyId, Item, ItemId, Plan, PlanFile, PlanId, PlanVersion, UserId, VersionKind, VersionMeta, VersionNumber,
};

pub use audit::{Actor, AuditEntry, AuditReport, BrokenLink};
pub use boards::{MEETING_CHANGED, RecordChange};
pub use consultations::{
    AnswerText, Dimension, Event, Exercise, ImportBatch, ImportOutcome, ImportRecord, NewResponse, NewTheme,
    NewThemeSet, Population, PublishedQuote, ResponseRecord, Stored, Theme, ThemeMember, ThemeSet, ThemeSetInfo,
};
pub use crime::{CrimeCount, CrimeFilter, CrimeImportSummary, CrimeMonth, CrimeMonthRecord, CrimeTotal, LsoaArea};
pub use db::Backend;
pub use decisions::DecisionFilter;
pub use error::{Result, StoreError};
pub use observation_import::{ImportEffect, MeasureRows, ObservationImportSummary, import_effect};
pub use papers::NewPaper;
pub use performance::{NewObservation, Observation, ObservationChanges, ObservationSource, StoredGrade, StoredUpdate};
pub use plans::{MoveDirection, PlanHeader, PlanSummary};
pub use processes::StoredProcess;
pub use reminders::{NewReminder, Reminder, ReminderState};
pub use search::{
    Audience, MATCH_END, MATCH_START, ParsedQuery, Phrase, QueryProblem, SearchHit, SearchIndexRow, SearchKind,
    SearchRequest, SearchResults,
};
pub use transfer::{NOT_CARRIED, TABLES as RECORD_TABLES, TransferReport};
pub use users::{LOCKOUT, Lockout, NewUser, Role, User, parse_email};

use db::Db;

/// What [`Store::verify_publications`] found.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PublicationReport {
    /// Documents whose hash was recomputed.
    pub checked: u64,
    pub altered: Vec<AlteredDocument>,
}

/// A published document whose content no longer has its recorded hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AlteredDocument {
    /// `plan ..., version 2`, `decision 018/2013`.
    pub what: String,
    pub recorded: String,
    pub now: String,
}

/// The store. Cheap to clone: clones share one connection pool.
#[derive(Clone, Debug)]
pub struct Store {
    db: Db,
}

impl Store {
    /// Opens the database named by `url` (`sqlite://path/to/pcplan.db`,
    /// `postgres://user@host/db`) and applies any pending migrations.
    pub async fn connect(url: &str) -> Result<Store> {
        let db = Db::connect(url).await?;
        // The first start after migration 0013 indexes what was stored before it.
        search::ensure_built(&db).await?;
        Ok(Store { db })
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

    /// The body the site's public pages serve by default: the first body stored.
    pub async fn site_body(&self) -> Result<Option<BodyId>> {
        plans::site_body(&self.db).await
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

    /// Schedules a Panel meeting for a body. Its papers deadline is computed from the
    /// body's nation, its stored clock settings and the calendar with overrides, and is
    /// stored with it: later changes to either never move it.
    pub async fn schedule_meeting(
        &self,
        actor: &Actor,
        id: pcplan_domain::MeetingId,
        body: BodyId,
        title: &str,
        held_on: NaiveDate,
    ) -> Result<pcplan_domain::meeting::Meeting> {
        settings::schedule_meeting(&self.db, actor, id, body, title, held_on).await
    }

    // ---- boards, members, meeting records and papers ----

    /// Stores a new board of a body; a local board must name one of the body's areas.
    pub async fn create_board(&self, actor: &Actor, board: &pcplan_domain::board::Board) -> Result<()> {
        boards::create_board(&self.db, actor, board).await
    }

    /// Replaces a board's name, kind or area; it stays with its body.
    pub async fn update_board(&self, actor: &Actor, board: &pcplan_domain::board::Board) -> Result<()> {
        boards::update_board(&self.db, actor, board).await
    }

    pub async fn board(&self, id: pcplan_domain::BoardId) -> Result<Option<pcplan_domain::board::Board>> {
        boards::board(&self.db, id).await
    }

    /// A body's boards, or every body's with `None`: Panels first, then by kind and name.
    pub async fn boards(&self, body: Option<BodyId>) -> Result<Vec<pcplan_domain::board::Board>> {
        boards::boards(&self.db, body).await
    }

    /// Adds a member to a board.
    pub async fn add_member(&self, actor: &Actor, member: &pcplan_domain::board::Member) -> Result<()> {
        boards::add_member(&self.db, actor, member).await
    }

    /// Replaces a member's record, their register of interests included.
    pub async fn update_member(&self, actor: &Actor, member: &pcplan_domain::board::Member) -> Result<()> {
        boards::update_member(&self.db, actor, member).await
    }

    pub async fn member(&self, id: pcplan_domain::MemberId) -> Result<Option<pcplan_domain::board::Member>> {
        boards::member(&self.db, id).await
    }

    /// A board's members: chair, vice-chairs, then members, each by name.
    pub async fn members(&self, board: pcplan_domain::BoardId) -> Result<Vec<pcplan_domain::board::Member>> {
        boards::members(&self.db, board).await
    }

    /// A board's meetings, by date.
    pub async fn board_meetings(&self, board: pcplan_domain::BoardId) -> Result<Vec<pcplan_domain::meeting::Meeting>> {
        boards::board_meetings(&self.db, board).await
    }

    /// Schedules a meeting of a board at a place, its papers deadline fixed as
    /// [`Store::schedule_meeting`] fixes it.
    pub async fn schedule_board_meeting(
        &self,
        actor: &Actor,
        id: pcplan_domain::MeetingId,
        board: pcplan_domain::BoardId,
        title: &str,
        held_on: NaiveDate,
        place: &str,
    ) -> Result<pcplan_domain::meeting::Meeting> {
        let found = self.board(board).await?.ok_or_else(|| StoreError::NotFound { what: format!("board {board}") })?;
        let at = settings::Where { body: found.body_id, board: Some(board), place };
        settings::schedule_board_meeting(&self.db, actor, id, at, title, held_on).await
    }

    /// Replaces a meeting's title, place, status, agenda, attendance and minutes; its
    /// date and papers deadline stay as fixed when it was scheduled.
    pub async fn update_meeting(
        &self,
        actor: &Actor,
        meeting: &pcplan_domain::meeting::Meeting,
    ) -> Result<pcplan_domain::meeting::Meeting> {
        boards::update_meeting(&self.db, actor, meeting, RecordChange::default()).await
    }

    /// As [`Store::update_meeting`], refused with [`MEETING_CHANGED`] when `how` names a
    /// revision that is no longer the stored one; an item it renumbers takes its papers.
    pub async fn update_meeting_record(
        &self,
        actor: &Actor,
        meeting: &pcplan_domain::meeting::Meeting,
        how: RecordChange<'_>,
    ) -> Result<pcplan_domain::meeting::Meeting> {
        boards::update_meeting(&self.db, actor, meeting, how).await
    }

    /// Checks an uploaded file (type by content, size) and stores it as a draft paper.
    pub async fn upload_paper(&self, actor: &Actor, paper: &NewPaper<'_>) -> Result<pcplan_domain::paper::Paper> {
        papers::upload_paper(&self.db, actor, paper).await
    }

    /// Publishes a draft paper at `at`; `on` is the date the clear-days check counts.
    pub async fn publish_paper(
        &self,
        actor: &Actor,
        id: pcplan_domain::PaperId,
        at: DateTime<Utc>,
        on: NaiveDate,
    ) -> Result<pcplan_domain::paper::Paper> {
        papers::publish_paper(&self.db, actor, id, at, on).await
    }

    /// Withdraws a paper with a reason: hidden from the public, bytes kept.
    pub async fn withdraw_paper(
        &self,
        actor: &Actor,
        id: pcplan_domain::PaperId,
        reason: &str,
    ) -> Result<pcplan_domain::paper::Paper> {
        papers::withdraw_paper(&self.db, actor, id, reason).await
    }

    pub async fn paper(&self, id: pcplan_domain::PaperId) -> Result<Option<pcplan_domain::paper::Paper>> {
        papers::paper(&self.db, id).await
    }

    /// A paper's record and its bytes.
    pub async fn paper_content(
        &self,
        id: pcplan_domain::PaperId,
    ) -> Result<Option<(pcplan_domain::paper::Paper, Vec<u8>)>> {
        papers::paper_content(&self.db, id).await
    }

    /// A meeting's papers, in upload order.
    pub async fn papers(&self, meeting: pcplan_domain::MeetingId) -> Result<Vec<pcplan_domain::paper::Paper>> {
        papers::papers(&self.db, meeting).await
    }

    /// Published papers, newest first (withdrawn ones too; callers filter).
    pub async fn published_papers(&self, limit: i64) -> Result<Vec<pcplan_domain::paper::Paper>> {
        papers::published_papers(&self.db, limit).await
    }

    // ---- the statutory clock: settings and the calendar ----

    /// A body's clock settings: the stored ones, or the defaults when none were saved.
    pub async fn clock_settings(&self, body: BodyId) -> Result<pcplan_domain::clock::ClockSettings> {
        settings::clock_settings(&self.db, body).await
    }

    /// Replaces a body's clock settings after checking each number's range.
    pub async fn set_clock_settings(
        &self,
        actor: &Actor,
        body: BodyId,
        settings: &pcplan_domain::clock::ClockSettings,
    ) -> Result<()> {
        settings::set_clock_settings(&self.db, actor, body, settings).await
    }

    /// The England and Wales holiday overrides staff entered, by date.
    pub async fn holiday_overrides(&self) -> Result<Vec<pcplan_domain::HolidayOverride>> {
        settings::holiday_overrides(&self.db).await
    }

    /// Adds a holiday override; a date that already has one is refused.
    pub async fn add_holiday_override(&self, actor: &Actor, entry: &pcplan_domain::HolidayOverride) -> Result<()> {
        settings::add_holiday_override(&self.db, actor, entry).await
    }

    /// Removes the override of a date; returns what was removed.
    pub async fn remove_holiday_override(
        &self,
        actor: &Actor,
        date: NaiveDate,
    ) -> Result<pcplan_domain::HolidayOverride> {
        settings::remove_holiday_override(&self.db, actor, date).await
    }

    /// The working-day calendar with the stored overrides applied.
    pub async fn calendar(&self) -> Result<pcplan_domain::Calendar> {
        settings::calendar(&self.db).await
    }

    // ---- the statutory clock: obligations, owners and the agenda ----

    /// Adds the recurring obligations every body should have around `today` (annual
    /// reports, precept dates, equality publications, plan issue) that are not stored
    /// yet, each with its deadline fixed now; returns those added.
    pub async fn ensure_obligations(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<pcplan_domain::obligation::Obligation>> {
        agenda::ensure_obligations(&self.db, actor, today).await
    }

    /// One stored obligation.
    pub async fn obligation(
        &self,
        id: pcplan_domain::ObligationId,
    ) -> Result<Option<pcplan_domain::obligation::Obligation>> {
        agenda::obligation(&self.db, id).await
    }

    /// A body's stored obligations, by due date.
    pub async fn obligations(&self, body: BodyId) -> Result<Vec<pcplan_domain::obligation::Obligation>> {
        agenda::obligations(&self.db, body).await
    }

    /// Records that an obligation was met, with its evidence, or that it was not required.
    pub async fn complete_obligation(
        &self,
        actor: &Actor,
        id: pcplan_domain::ObligationId,
        completion: pcplan_domain::obligation::Completion,
        today: NaiveDate,
    ) -> Result<pcplan_domain::obligation::Obligation> {
        agenda::complete_obligation(&self.db, actor, id, completion, today).await
    }

    /// Gives the dated item with key `item_key` an owner, or none.
    pub async fn set_owner(&self, actor: &Actor, item_key: &str, user: Option<UserId>) -> Result<()> {
        agenda::set_owner(&self.db, actor, item_key, user).await
    }

    /// Every body's dated items (meetings' papers, process steps, plan expiry,
    /// obligations) with their owners, sorted by due date.
    pub async fn agenda(&self, today: NaiveDate) -> Result<Vec<pcplan_domain::agenda::DueItem>> {
        agenda::agenda(&self.db, today).await
    }

    // ---- secret links to personal calendar feeds ----

    /// Makes `token_hash` the account's calendar feed link, revoking any earlier one.
    pub async fn set_feed_token(&self, actor: &Actor, user: UserId, token_hash: &str) -> Result<()> {
        feeds::set_feed_token(&self.db, actor, user, token_hash).await
    }

    /// Revokes the account's calendar feed link.
    pub async fn delete_feed_token(&self, actor: &Actor, user: UserId) -> Result<()> {
        feeds::delete_feed_token(&self.db, actor, user).await
    }

    /// Whether the account has a calendar feed link.
    pub async fn has_feed_token(&self, user: UserId) -> Result<bool> {
        feeds::has_feed_token(&self.db, user).await
    }

    /// The active account a feed link belongs to.
    pub async fn feed_user(&self, token_hash: &str) -> Result<Option<User>> {
        feeds::feed_user(&self.db, token_hash).await
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

    // ---- the register of Notices of Decision ----

    /// A body's register settings (the year basis of numbers); defaults when none saved.
    pub async fn register_settings(&self, body: BodyId) -> Result<pcplan_domain::decision::RegisterSettings> {
        decisions::register_settings(&self.db, body).await
    }

    /// Saves a body's register settings; changing the year basis once a number was given
    /// is refused.
    pub async fn set_register_settings(
        &self,
        actor: &Actor,
        body: BodyId,
        settings: &pcplan_domain::decision::RegisterSettings,
    ) -> Result<()> {
        decisions::set_register_settings(&self.db, actor, body, settings).await
    }

    /// Makes a draft decision and gives it the next number of its body's numbering year,
    /// inside the write transaction, so numbers are never shared, reused or skipped.
    pub async fn create_decision(
        &self,
        actor: &Actor,
        id: pcplan_domain::DecisionId,
        body: BodyId,
        drafted_on: NaiveDate,
        content: &pcplan_domain::decision::DecisionContent,
    ) -> Result<pcplan_domain::decision::Decision> {
        decisions::create_decision(&self.db, actor, id, body, drafted_on, content).await
    }

    /// Records a decision made before the register was kept here, with its own number.
    pub async fn import_decision(&self, actor: &Actor, decision: &pcplan_domain::decision::Decision) -> Result<()> {
        decisions::import_decision(&self.db, actor, decision).await
    }

    pub async fn decision(&self, id: pcplan_domain::DecisionId) -> Result<Option<pcplan_domain::decision::Decision>> {
        decisions::decision(&self.db, id).await
    }

    /// The register, newest number first, filtered.
    pub async fn decisions(&self, filter: &DecisionFilter) -> Result<Vec<pcplan_domain::decision::Decision>> {
        decisions::decisions(&self.db, filter).await
    }

    /// Replaces a draft's content; refused once it is signed or withdrawn.
    pub async fn update_decision(
        &self,
        actor: &Actor,
        id: pcplan_domain::DecisionId,
        content: &pcplan_domain::decision::DecisionContent,
    ) -> Result<pcplan_domain::decision::Decision> {
        decisions::update_decision(&self.db, actor, id, content).await
    }

    /// Signs, and so publishes, a draft; its content is frozen from then on.
    pub async fn sign_decision(
        &self,
        actor: &Actor,
        id: pcplan_domain::DecisionId,
        signature: &pcplan_domain::decision::Signature,
        today: NaiveDate,
    ) -> Result<pcplan_domain::decision::Decision> {
        decisions::sign_decision(&self.db, actor, id, signature, today).await
    }

    /// Withdraws a draft; it keeps its number, marked withdrawn.
    pub async fn withdraw_decision(
        &self,
        actor: &Actor,
        id: pcplan_domain::DecisionId,
        withdrawal: &pcplan_domain::decision::Withdrawal,
    ) -> Result<pcplan_domain::decision::Decision> {
        decisions::withdraw_decision(&self.db, actor, id, withdrawal).await
    }

    /// Appends a correction note to a signed decision.
    pub async fn correct_decision(
        &self,
        actor: &Actor,
        id: pcplan_domain::DecisionId,
        correction: &pcplan_domain::decision::Correction,
    ) -> Result<pcplan_domain::decision::Decision> {
        decisions::correct_decision(&self.db, actor, id, correction).await
    }

    // ---- Panel reports and the Commissioner's responses ----

    /// Stores a new Panel report, checked whole; `illustrative` marks demo content.
    pub async fn create_report(
        &self,
        actor: &Actor,
        id: pcplan_domain::ReportId,
        input: pcplan_domain::report::ReportInput,
        illustrative: bool,
    ) -> Result<pcplan_domain::report::Report> {
        reports::create_report(&self.db, actor, id, input, illustrative).await
    }

    pub async fn report(&self, id: pcplan_domain::ReportId) -> Result<Option<pcplan_domain::report::Report>> {
        reports::report(&self.db, id).await
    }

    /// Every Panel report, newest first.
    pub async fn reports(&self) -> Result<Vec<pcplan_domain::report::Report>> {
        reports::reports(&self.db).await
    }

    /// Applies one change to a report (its content, an answer, the response letter, the
    /// review, the tracking of a request): stored whole with its audit entry, or refused.
    pub async fn edit_report(
        &self,
        actor: &Actor,
        id: pcplan_domain::ReportId,
        edit: pcplan_domain::report::Edit,
    ) -> Result<pcplan_domain::report::Report> {
        reports::edit_report(&self.db, actor, id, edit).await
    }

    /// Publishes a reviewed response and records the clock's response steps on the
    /// report's process in the same transaction; refused whole if a step cannot be.
    pub async fn publish_response(
        &self,
        actor: &Actor,
        id: pcplan_domain::ReportId,
        on: NaiveDate,
        sent_to_panel_on: NaiveDate,
        link: &str,
    ) -> Result<pcplan_domain::report::Report> {
        reports::publish_response(&self.db, actor, id, on, sent_to_panel_on, link).await
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

    /// Sets or removes the address an account's reminders go to. The address is checked
    /// by [`parse_email`]; a refusal names the field `email`.
    pub async fn set_user_email(&self, actor: &Actor, id: UserId, email: Option<&str>) -> Result<()> {
        users::set_email(&self.db, actor, id, email).await
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

    /// Ends every session of an account ("sign out everywhere"); audited. Returns how
    /// many ended.
    pub async fn end_sessions(&self, actor: &Actor, id: UserId) -> Result<u64> {
        users::end_sessions(&self.db, actor, id).await
    }

    /// Until when a username is locked after repeated failed sign-ins ([`LOCKOUT`]), if
    /// it is locked at `now`. Any username, whether an account has it or not.
    pub async fn sign_in_locked(&self, username: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        users::sign_in_locked(&self.db, username, now).await
    }

    /// Counts a failed sign-in for a username; the end of the lock when this one locked it.
    pub async fn record_sign_in_failure(&self, username: &str, now: DateTime<Utc>) -> Result<Option<DateTime<Utc>>> {
        users::record_sign_in_failure(&self.db, username, now).await
    }

    /// Forgets a username's failed sign-ins, after a successful one.
    pub async fn clear_sign_in_failures(&self, username: &str) -> Result<()> {
        users::clear_sign_in_failures(&self.db, username).await
    }

    /// The accounts locked at `now` and when each lock ends.
    pub async fn locked_accounts(&self, now: DateTime<Utc>) -> Result<Vec<(UserId, DateTime<Utc>)>> {
        users::locked_accounts(&self.db, now).await
    }

    /// Lifts the sign-in lock on an account (an administrator); audited. False when it
    /// was not locked.
    pub async fn unlock_user(&self, actor: &Actor, id: UserId, now: DateTime<Utc>) -> Result<bool> {
        users::unlock(&self.db, actor, id, now).await
    }

    /// Ends every session of every account: a restored database must not bring back
    /// sessions ended since its backup. Returns how many.
    pub async fn end_all_sessions(&self) -> Result<u64> {
        Ok(db::on_pool!(&self.db, pool => sqlx::query("DELETE FROM sessions").execute(pool).await?.rows_affected()))
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_sessions(&self, now: DateTime<Utc>) -> Result<u64> {
        users::purge_sessions(&self.db, now).await
    }

    // ---- e-mail reminders ----

    /// Claims a reminder before its message is sent: true when this caller claimed it
    /// (a new key, or one whose last attempt failed), false when it was claimed before.
    /// The claim is committed when this returns, so a crash while sending can never
    /// lead to a second message.
    pub async fn claim_reminder(&self, reminder: &NewReminder) -> Result<bool> {
        reminders::claim(&self.db, reminder).await
    }

    /// Records that the mail server accepted a claimed reminder. False when the
    /// reminder is not claimed (unknown, or already finished).
    pub async fn mark_reminder_sent(&self, key: &str, detail: &str) -> Result<bool> {
        reminders::mark_sent(&self.db, key, detail).await
    }

    /// Records that sending a claimed reminder failed, with the reason; the next run
    /// may claim it again.
    pub async fn mark_reminder_failed(&self, key: &str, reason: &str) -> Result<bool> {
        reminders::mark_failed(&self.db, key, reason).await
    }

    /// Records why a claimed reminder's sending could not be confirmed either way (the
    /// mail server stopped answering once the message was on its way); it stays claimed,
    /// so it is never sent again.
    pub async fn mark_reminder_unconfirmed(&self, key: &str, reason: &str) -> Result<bool> {
        reminders::mark_unconfirmed(&self.db, key, reason).await
    }

    pub async fn reminder(&self, key: &str) -> Result<Option<Reminder>> {
        reminders::by_key(&self.db, key).await
    }

    /// The newest reminders first.
    pub async fn reminders(&self, limit: i64) -> Result<Vec<Reminder>> {
        reminders::recent(&self.db, limit).await
    }

    // ---- audit ----

    /// Audit entries, newest first.
    pub async fn audit_log(&self, limit: i64, offset: i64) -> Result<Vec<AuditEntry>> {
        audit::page(&self.db, limit, offset).await
    }

    /// The number of the newest audit entry: it goes up with every change to a stored
    /// record, committed in the same transaction, by this process or any other (the CLI,
    /// a second server on the same PostgreSQL). What is read after seeing a value is at
    /// least as new as that value, so it stamps anything computed from stored records
    /// (the web layer's page cache) and a different value means it may be out of date.
    pub async fn generation(&self) -> Result<i64> {
        audit::head_seq(&self.db).await
    }

    /// Recomputes the hash chain and reports the first broken link.
    pub async fn verify_audit(&self) -> Result<AuditReport> {
        audit::verify(&self.db).await
    }

    /// Writes every record (the audit log included; not sessions or the search index) to
    /// `out` as a file of records, from one consistent snapshot: see the `transfer`
    /// module for the layout. The same records give the same bytes from either database.
    pub async fn export_records(&self, out: &mut (dyn std::io::Write + Send)) -> Result<TransferReport> {
        transfer::export(&self.db, out).await
    }

    /// Loads a file of records into this database, which must be empty and at the same
    /// schema version, in one transaction; rebuilds the search index and appends the
    /// import to the audit chain. A bad file changes nothing and the error names its line.
    pub async fn import_records(
        &self,
        actor: &Actor,
        input: &mut (dyn std::io::BufRead + Send),
    ) -> Result<TransferReport> {
        transfer::import(&self.db, actor, input).await
    }

    /// A consistent copy of a SQLite database, taken while it is in use, written to a new
    /// file at `path` with `VACUUM INTO` (one read transaction: writers carry on, and the
    /// copy is of one moment, compacted). PostgreSQL is backed up with `pg_dump` instead
    /// (docs/operations.md); asking for this there is an error saying so.
    pub async fn backup_to(&self, path: &std::path::Path) -> Result<()> {
        match &self.db {
            Db::Sqlite(pool) => {
                let target = path.to_str().ok_or_else(|| {
                    StoreError::Transfer(format!("the backup path {} is not UTF-8; choose another", path.display()))
                })?;
                sqlx::query("VACUUM INTO $1").bind(target).execute(pool).await?;
                Ok(())
            }
            Db::Postgres(_) => Err(StoreError::Transfer(String::from(
                "a PostgreSQL database is backed up with pg_dump (see docs/operations.md), or moved with \
                 `pcplan records export`",
            ))),
        }
    }

    /// SQLite's own check of the file (`PRAGMA integrity_check`): `ok`, or the problems it
    /// found. PostgreSQL checks its pages itself; there it is always `ok`.
    pub async fn integrity_check(&self) -> Result<String> {
        match &self.db {
            Db::Sqlite(pool) => {
                let rows: Vec<(String,)> = sqlx::query_as("PRAGMA integrity_check").fetch_all(pool).await?;
                Ok(rows.into_iter().map(|(r,)| r).collect::<Vec<_>>().join("; "))
            }
            Db::Postgres(_) => Ok(String::from("ok")),
        }
    }

    /// Recomputes the content hash of every published document that records one (plan
    /// versions, signed decisions) and lists each whose stored content no longer matches
    /// it: a change made behind the application's back, which the audit chain alone
    /// cannot see because it never passed through a change. Nothing is written.
    pub async fn verify_publications(&self) -> Result<PublicationReport> {
        let (versions, altered_versions) = plans::altered_versions(&self.db).await?;
        let (decisions, altered_decisions) = decisions::altered_decisions(&self.db).await?;
        let mut altered: Vec<AlteredDocument> = altered_versions
            .into_iter()
            .map(|(plan, number, recorded, now)| AlteredDocument {
                what: format!("plan {plan}, version {number}"),
                recorded,
                now,
            })
            .collect();
        altered.extend(altered_decisions.into_iter().map(|(number, recorded, now)| AlteredDocument {
            what: format!("decision {number}"),
            recorded,
            now,
        }));
        let (responses, altered_responses) = reports::altered_responses(&self.db).await?;
        let (annual, altered_annual) = annual_reports::altered_reports(&self.db).await?;
        altered.extend(
            altered_responses.into_iter().chain(altered_annual).map(|(what, recorded, now)| AlteredDocument {
                what,
                recorded,
                now,
            }),
        );
        Ok(PublicationReport { checked: versions + decisions + responses + annual, altered })
    }

    /// Every (table, column) of the schema, sorted, without sqlx's own table. Used by the
    /// test that keeps the SQLite and PostgreSQL migrations in step. Each backend's
    /// full-text machinery is its own and left out: SQLite's FTS5 virtual table and its
    /// shadow tables, PostgreSQL's `tsvector` column (migration 0013).
    #[doc(hidden)]
    pub async fn schema(&self) -> Result<Vec<(String, String)>> {
        let mut columns: Vec<(String, String)> = match &self.db {
            Db::Sqlite(pool) => {
                sqlx::query_as(
                    "SELECT m.name, p.name FROM sqlite_master m JOIN pragma_table_info(m.name) p \
                     WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite%' \
                     AND m.name NOT IN (SELECT name FROM pragma_table_list WHERE type IN ('virtual', 'shadow'))",
                )
                .fetch_all(pool)
                .await?
            }
            Db::Postgres(pool) => {
                sqlx::query_as(
                    "SELECT CAST(table_name AS TEXT), CAST(column_name AS TEXT) FROM information_schema.columns \
                     WHERE table_schema = current_schema() AND data_type <> 'tsvector'",
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
