//! The statutory clock's stored settings: each body's [`ClockSettings`] and the England
//! and Wales holiday overrides staff keep, and scheduling a Panel meeting with them.
//!
//! Settings are one JSON row per body (`body_settings`); a body without a row uses the
//! defaults, so nothing has to be written before the clock works. Overrides are one row
//! per date (`holiday_overrides`), shared by every body because bank holidays are
//! proclaimed for England and Wales, not per force. Every change is audited with its
//! before and after in the same transaction.
//!
//! Scheduling a meeting reads the body's settings and the calendar with overrides inside
//! the write transaction that stores the meeting, so the papers deadline is computed
//! from one consistent state and then kept: a later change to the settings or the
//! overrides never moves it. This module checks ranges through the domain
//! ([`ClockSettings::check`], [`HolidayOverride::check`]); it decides no deadline itself.

use chrono::{Datelike, NaiveDate};
use pcplan_domain::calendar::{FIRST_YEAR, LAST_YEAR};
use pcplan_domain::clock::{ClockSettings, FieldProblem, FieldProblems};
use pcplan_domain::meeting::Meeting;
use pcplan_domain::{BodyId, Calendar, HolidayOverride, MeetingId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_tx, parse_date, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::{plans, processes};

fn body_missing(body: BodyId) -> StoreError {
    StoreError::NotFound { what: format!("body {body}") }
}

// ---- clock settings ----

/// The stored settings of a body, `None` when it has none and uses the defaults.
async fn load_settings(tx: &mut Tx, body: BodyId) -> Result<Option<ClockSettings>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM body_settings WHERE body_id = $1")
        .bind(body.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data,)| serde_json::from_str(&data).map_err(|e| corrupt(format!("clock settings of body {body}"), e)))
        .transpose()
}

/// The settings in force for a body: its stored ones, or the defaults. An unknown body
/// is an error rather than the defaults, so a mistyped id is noticed.
pub(crate) async fn settings_in(tx: &mut Tx, body: BodyId) -> Result<ClockSettings> {
    if let Some(settings) = load_settings(tx, body).await? {
        return Ok(settings);
    }
    match plans::load_body(tx, body).await? {
        Some(_) => Ok(ClockSettings::default()),
        None => Err(body_missing(body)),
    }
}

pub(crate) async fn clock_settings(db: &Db, body: BodyId) -> Result<ClockSettings> {
    let mut tx = db.begin_read().await?;
    let settings = settings_in(&mut tx, body).await?;
    tx.commit().await?;
    Ok(settings)
}

pub(crate) async fn set_clock_settings(db: &Db, actor: &Actor, body: BodyId, settings: &ClockSettings) -> Result<()> {
    settings.check()?;
    let mut tx = db.begin().await?;
    let before = settings_in(&mut tx, body).await?;
    let data = serde_json::to_string(settings).map_err(|e| corrupt("clock settings for writing", e))?;
    // `ON CONFLICT ... DO UPDATE` is the same on both backends: one statement whether
    // or not the body had a row yet.
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO body_settings (body_id, data, updated_at) VALUES ($1, $2, $3) \
         ON CONFLICT (body_id) DO UPDATE SET data = excluded.data, updated_at = excluded.updated_at")
        .bind(body.to_string())
        .bind(&data)
        .bind(timestamp(chrono::Utc::now()))
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "update",
        entity: "clock_settings",
        entity_id: body.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(settings)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

// ---- holiday overrides ----

type OverrideRow = (String, i64, String);

fn to_override(row: OverrideRow) -> Result<HolidayOverride> {
    let (date, holiday, name) = row;
    Ok(HolidayOverride { date: parse_date(&date)?, holiday: holiday != 0, name })
}

async fn load_overrides(tx: &mut Tx) -> Result<Vec<HolidayOverride>> {
    let rows: Vec<OverrideRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT on_date, holiday, name FROM holiday_overrides ORDER BY on_date")
        .fetch_all(&mut *c).await?);
    rows.into_iter().map(to_override).collect()
}

async fn load_override(tx: &mut Tx, date: NaiveDate) -> Result<Option<HolidayOverride>> {
    let row: Option<OverrideRow> = on_tx!(tx, c => sqlx::query_as(
        "SELECT on_date, holiday, name FROM holiday_overrides WHERE on_date = $1")
        .bind(date.to_string()).fetch_optional(&mut *c).await?);
    row.map(to_override).transpose()
}

pub(crate) async fn holiday_overrides(db: &Db) -> Result<Vec<HolidayOverride>> {
    let mut tx = db.begin_read().await?;
    let overrides = load_overrides(&mut tx).await?;
    tx.commit().await?;
    Ok(overrides)
}

pub(crate) async fn calendar(db: &Db) -> Result<Calendar> {
    Ok(Calendar::with_overrides(holiday_overrides(db).await?))
}

/// Adds an override. Refused: a date that already has one (remove it first, so that a
/// correction is two audited steps and never a silent replacement), adding a day that
/// is already a bank holiday, and removing a day that is not one.
pub(crate) async fn add_holiday_override(db: &Db, actor: &Actor, entry: &HolidayOverride) -> Result<()> {
    entry.check()?;
    let entry = HolidayOverride { name: entry.name.trim().to_string(), ..entry.clone() };
    let mut tx = db.begin().await?;
    if let Some(found) = load_override(&mut tx, entry.date).await? {
        let what = if found.holiday { "adds" } else { "removes" };
        return Err(StoreError::Conflict(format!(
            "{} already has an override ({what} `{}`); remove it first to change it",
            entry.date, found.name
        )));
    }
    let builtin = Calendar::default().holidays(entry.date.year()).unwrap_or_default();
    let existing = builtin.iter().find(|h| h.date == entry.date);
    match (entry.holiday, existing) {
        (true, Some(h)) => {
            return Err(StoreError::Conflict(format!(
                "{} is already a bank holiday ({}); there is nothing to add",
                entry.date, h.name
            )));
        }
        (false, None) => {
            return Err(StoreError::Conflict(format!(
                "{} is not a bank holiday in the built-in calendar, so there is nothing to remove",
                entry.date
            )));
        }
        _ => {}
    }
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO holiday_overrides (on_date, holiday, name, created_at) VALUES ($1, $2, $3, $4)")
        .bind(entry.date.to_string())
        .bind(i64::from(entry.holiday))
        .bind(&entry.name)
        .bind(timestamp(chrono::Utc::now()))
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "holiday_override",
        entity_id: entry.date.to_string(),
        before: None,
        after: Some(audit_json(&entry)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn remove_holiday_override(db: &Db, actor: &Actor, date: NaiveDate) -> Result<HolidayOverride> {
    let mut tx = db.begin().await?;
    let before = load_override(&mut tx, date)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("holiday override for {date}") })?;
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM holiday_overrides WHERE on_date = $1")
        .bind(date.to_string()).execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "delete",
        entity: "holiday_override",
        entity_id: date.to_string(),
        before: Some(audit_json(&before)),
        after: None,
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(before)
}

// ---- scheduling ----

/// Schedules a Panel meeting for a body: its papers deadline is computed from the body's
/// nation, its stored settings and the calendar with overrides, all read in the write
/// transaction, and stored with the meeting.
pub(crate) async fn schedule_meeting(
    db: &Db,
    actor: &Actor,
    id: MeetingId,
    body: BodyId,
    title: &str,
    held_on: NaiveDate,
) -> Result<Meeting> {
    schedule_board_meeting(db, actor, id, Where { body, board: None, place: "" }, title, held_on).await
}

/// Where a meeting is scheduled: the body, its board (the body's Panel when `None`)
/// and the place.
pub(crate) struct Where<'a> {
    pub body: BodyId,
    pub board: Option<pcplan_domain::BoardId>,
    pub place: &'a str,
}

/// [`schedule_meeting`] for a named board (of the body) and place.
pub(crate) async fn schedule_board_meeting(
    db: &Db,
    actor: &Actor,
    id: MeetingId,
    at: Where<'_>,
    title: &str,
    held_on: NaiveDate,
) -> Result<Meeting> {
    let body = at.body;
    let mut problems = Vec::new();
    if title.trim().is_empty() {
        problems.push(FieldProblem::new("title", "is empty; name the meeting, like `Police and Crime Panel`"));
    }
    if !(FIRST_YEAR..=LAST_YEAR).contains(&held_on.year()) {
        problems.push(FieldProblem::new(
            "held_on",
            format!("{held_on} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})"),
        ));
    }
    if !problems.is_empty() {
        return Err(FieldProblems(problems).into());
    }
    let mut tx = db.begin().await?;
    let stored_body = plans::load_body(&mut tx, body).await?.ok_or_else(|| body_missing(body))?;
    let settings = settings_in(&mut tx, body).await?;
    let calendar = Calendar::with_overrides(load_overrides(&mut tx).await?);
    let meeting =
        Meeting::schedule(id, body, title, held_on, stored_body.nation, &settings, &calendar).map_err(|e| {
            // Counting back the clear days can leave the calendar's years for a meeting in
            // early January 2000; name the field rather than fail as a server error.
            StoreError::from(FieldProblems(vec![FieldProblem::new("held_on", e.to_string())]))
        })?;
    let meeting = Meeting { board_id: at.board, place: at.place.trim().to_string(), ..meeting };
    let meeting = processes::insert_meeting(&mut tx, actor, &meeting).await?;
    tx.commit().await?;
    Ok(meeting)
}
