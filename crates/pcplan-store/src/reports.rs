//! Reports of the Police and Crime Panel and the Commissioner's responses.
//!
//! A report is one row of `panel_reports` holding the domain's [`Report`] as JSON, with
//! its body, meeting, process, date received and the response's publication date as
//! columns. Every change loads the report in the write transaction, lets
//! `pcplan_domain::report` apply and check it, and writes it back with its audit entry,
//! as processes are. Answers name plan records: the store looks each one up in the
//! plan the report concerns and saves its kind and title with the answer.
//!
//! Publishing the response records the statutory clock's steps on the report's process
//! ("Response given to the Panel" if not yet recorded, then "Response published") in
//! the same transaction, through the process's own order rules: if a step cannot be
//! recorded, nothing is published. This module decides nothing about what a report may
//! hold; the domain does.

use chrono::NaiveDate;
use pcplan_domain::clock::{FieldProblem, FieldProblems};
use pcplan_domain::process::{Evidence, Step};
use pcplan_domain::report::{Edit, Owner, PlanLink, Publication, Report, ReportError, ReportInput};
use pcplan_domain::{BodyId, Item, ReportId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_pool, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::processes::{load_meeting, load_process, record_step_in};

impl From<ReportError> for StoreError {
    fn from(error: ReportError) -> Self {
        match error {
            ReportError::Fields(problems) => StoreError::Fields(problems),
            ReportError::Refused(message) => StoreError::Conflict(message),
            ReportError::NotFound(what) => StoreError::NotFound { what },
        }
    }
}

fn field(name: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Fields(FieldProblems(vec![FieldProblem::new(name, problem)]))
}

fn parse(id: &str, data: &str) -> Result<Report> {
    serde_json::from_str(data).map_err(|e| corrupt(format!("panel report {id}"), e))
}

async fn load(tx: &mut Tx, id: ReportId) -> Result<Option<Report>> {
    let row: Option<(String, String)> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, data FROM panel_reports WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(id, data)| parse(&id, &data)).transpose()
}

pub(crate) async fn report(db: &Db, id: ReportId) -> Result<Option<Report>> {
    let mut tx = db.begin_read().await?;
    let found = load(&mut tx, id).await?;
    tx.commit().await?;
    Ok(found)
}

/// Every published response whose report no longer has the hash recorded when the
/// response was published: `(checked, [(title and date, recorded, now)])`.
pub(crate) async fn altered_responses(db: &Db) -> Result<(u64, Vec<(String, String, String)>)> {
    let rows: Vec<(String, String)> = on_pool!(db, p => sqlx::query_as(
        "SELECT id, data FROM panel_reports WHERE response_published_on IS NOT NULL ORDER BY received_on, id")
        .fetch_all(p).await?);
    let mut checked = 0;
    let mut altered = Vec::new();
    for (id, data) in rows {
        let report = parse(&id, &data)?;
        if let (Some(false), Some(recorded)) = (report.response_intact(), report.response.content_hash.clone()) {
            let what =
                format!("the response to the Panel report \u{201c}{}\u{201d} of {}", report.title, report.received_on);
            altered.push((what, recorded, report.public_hash()));
        }
        checked += u64::from(report.response.content_hash.is_some());
    }
    Ok((checked, altered))
}

/// Every report, newest first.
pub(crate) async fn reports(db: &Db) -> Result<Vec<Report>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data FROM panel_reports ORDER BY received_on DESC, id")
        .fetch_all(&mut *c).await?);
    tx.commit().await?;
    rows.iter().map(|(id, data)| parse(id, data)).collect()
}

/// Checks the meeting and process a report names, in the write transaction: the meeting
/// exists, the process (if any) is of a plan of the meeting's body, and the report was
/// received on or after the meeting. Returns the body.
async fn check_links(tx: &mut Tx, input: &ReportInput) -> Result<BodyId> {
    let meeting = load_meeting(tx, input.meeting_id)
        .await?
        .ok_or_else(|| field("meeting_id", format!("no meeting with id {}", input.meeting_id)))?;
    if input.received_on < meeting.held_on {
        return Err(field(
            "received_on",
            format!("{} is before the meeting on {} that the report comes from", input.received_on, meeting.held_on),
        ));
    }
    if let Some(process_id) = input.process_id {
        let process = load_process(tx, process_id)
            .await?
            .ok_or_else(|| field("process_id", format!("no process with id {process_id}")))?;
        let body: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as("SELECT body_id FROM plans WHERE id = $1")
            .bind(process.plan_id.to_string()).fetch_optional(&mut *c).await?);
        if body.map(|(b,)| b) != Some(meeting.body_id.to_string()) {
            return Err(field("process_id", "the process is of another policing body's plan"));
        }
    }
    Ok(meeting.body_id)
}

async fn write(tx: &mut Tx, report: &Report) -> Result<()> {
    let published = report.response.published.as_ref().map(|p| p.on.to_string());
    on_tx!(&mut *tx, c => sqlx::query(
        "UPDATE panel_reports SET meeting_id = $1, process_id = $2, received_on = $3, response_published_on = $4, \
         data = $5, updated_at = $6 WHERE id = $7")
        .bind(report.meeting_id.to_string())
        .bind(report.process_id.map(|p| p.to_string()))
        .bind(report.received_on.to_string())
        .bind(published)
        .bind(to_json(report)?)
        .bind(timestamp(chrono::Utc::now()))
        .bind(report.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_report(tx, report).await
}

/// Stores a new report; `illustrative` marks demo content.
pub(crate) async fn create_report(
    db: &Db,
    actor: &Actor,
    id: ReportId,
    input: ReportInput,
    illustrative: bool,
) -> Result<Report> {
    let mut tx = db.begin().await?;
    let body = check_links(&mut tx, &input).await?;
    let mut report = Report::create(id, body, input)?;
    report.illustrative = illustrative;
    let now = timestamp(chrono::Utc::now());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO panel_reports (id, body_id, meeting_id, process_id, received_on, response_published_on, data, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $7)")
        .bind(report.id.to_string())
        .bind(report.body_id.to_string())
        .bind(report.meeting_id.to_string())
        .bind(report.process_id.map(|p| p.to_string()))
        .bind(report.received_on.to_string())
        .bind(to_json(&report)?)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_report(&mut tx, &report).await?;
    let change = Change {
        action: "create",
        entity: "panel_report",
        entity_id: id.to_string(),
        before: None,
        after: Some(audit_json(&report)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(report)
}

/// Fills each plan link of an answer with the record's kind and title from the plan the
/// report concerns (its process's plan, or any plan of its body); an unknown record is
/// refused, naming it.
async fn resolve_links(tx: &mut Tx, report: &Report, links: &mut [PlanLink]) -> Result<()> {
    let plan = match report.process_id {
        Some(process) => Some(
            load_process(tx, process)
                .await?
                .ok_or_else(|| StoreError::NotFound { what: format!("process {process}") })?
                .plan_id,
        ),
        None => None,
    };
    for (n, link) in links.iter_mut().enumerate() {
        let row: Option<(String, String)> = match plan {
            Some(plan) => on_tx!(&mut *tx, c => sqlx::query_as(
                "SELECT plan_id, data FROM plan_items WHERE plan_id = $1 AND id = $2")
                .bind(plan.to_string()).bind(link.item.to_string()).fetch_optional(&mut *c).await?),
            None => on_tx!(&mut *tx, c => sqlx::query_as(
                "SELECT i.plan_id, i.data FROM plan_items i JOIN plans p ON p.id = i.plan_id \
                 WHERE p.body_id = $1 AND i.id = $2 ORDER BY p.starts_on DESC")
                .bind(report.body_id.to_string()).bind(link.item.to_string()).fetch_optional(&mut *c).await?),
        };
        let Some((plan_id, data)) = row else {
            return Err(field(
                &format!("changes[{n}]"),
                format!("the plan has no record {}; choose records of the current plan", link.item),
            ));
        };
        let item: Item =
            serde_json::from_str(&data).map_err(|e| corrupt(format!("item {} of plan {plan_id}", link.item), e))?;
        link.kind = item.record.kind();
        link.title = item.record.title().to_string();
    }
    Ok(())
}

/// Applies one change to a report, checked and audited; refused whole or stored whole.
pub(crate) async fn edit_report(db: &Db, actor: &Actor, id: ReportId, edit: Edit) -> Result<Report> {
    let mut tx = db.begin().await?;
    let before = load(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("panel report {id}") })?;
    let mut edit = edit;
    match &mut edit {
        Edit::Replace(input) => {
            let body = check_links(&mut tx, input).await?;
            if body != before.body_id {
                return Err(field("meeting_id", "the meeting is of another policing body"));
            }
        }
        Edit::Answer { answer, .. } => resolve_links(&mut tx, &before, &mut answer.changes).await?,
        Edit::Track { tracking, .. } => {
            if let Some(Owner::Staff(user)) = &tracking.owner {
                let found: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT id FROM users WHERE id = $1")
                    .bind(user.to_string()).fetch_optional(&mut *c).await?);
                if found.is_none() {
                    return Err(field("owner", format!("no staff account with id {user}")));
                }
            }
        }
        _ => {}
    }
    let action = edit.action();
    let mut after = before.clone();
    after.apply(edit)?;
    write(&mut tx, &after).await?;
    let change = Change {
        action,
        entity: "panel_report",
        entity_id: id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}

/// Publishes a reviewed response on `on`, given to the Panel on `sent_to_panel_on`, and
/// records the clock's steps on the report's process in the same transaction:
/// "Response given to the Panel" unless already recorded, and "Response published"
/// with a link to `link` (the public page). A "Response published" step already
/// recorded on the same date is taken as this publication; on another date, publishing
/// is refused, as it is when the process's order rules refuse a step.
pub(crate) async fn publish_response(
    db: &Db,
    actor: &Actor,
    id: ReportId,
    on: NaiveDate,
    sent_to_panel_on: NaiveDate,
    link: &str,
) -> Result<Report> {
    let mut tx = db.begin().await?;
    let before = load(&mut tx, id).await?.ok_or_else(|| StoreError::NotFound { what: format!("panel report {id}") })?;
    let mut after = before.clone();
    after.publish(Publication { on, sent_to_panel_on, by: actor.name.clone() })?;
    if let Some(process_id) = after.process_id {
        let stored = load_process(&mut tx, process_id)
            .await?
            .ok_or_else(|| StoreError::NotFound { what: format!("process {process_id}") })?;
        let evidence = |on: NaiveDate, note: String| Evidence {
            on,
            by: actor.name.clone(),
            note,
            link: Some(link.to_string()),
            version: None,
            panel_outcome: None,
            decision: None,
        };
        if stored.process.evidence(Step::ResponseGiven).is_none() {
            let note = format!("Response to the Panel's report \u{201c}{}\u{201d} given to the Panel.", after.title);
            record_step_in(&mut tx, actor, process_id, Step::ResponseGiven, &evidence(sent_to_panel_on, note)).await?;
        }
        match stored.process.evidence(Step::ResponsePublished) {
            Some(existing) if existing.on == on => {}
            Some(existing) => {
                return Err(StoreError::Conflict(format!(
                    "the process already records the response as published on {}; publish on that date, or correct \
                     the process first",
                    existing.on
                )));
            }
            None => {
                let note = format!("Response to the Panel's report \u{201c}{}\u{201d} published.", after.title);
                record_step_in(&mut tx, actor, process_id, Step::ResponsePublished, &evidence(on, note)).await?;
            }
        }
    }
    write(&mut tx, &after).await?;
    let change = Change {
        action: "publish_response",
        entity: "panel_report",
        entity_id: id.to_string(),
        before: Some(audit_json(&before.response)),
        after: Some(audit_json(&after.response)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(after)
}
