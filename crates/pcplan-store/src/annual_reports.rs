//! Each body's annual report on a financial year (PRSRA 2011 s.12).
//!
//! A report is one row of `annual_reports`, unique per body and year: its sections (texts
//! and the facts they were drafted from) as JSON in `sections`, the rest of the report
//! in `data`, and its year and dates of issue and publication as columns. Every change
//! loads the report in the write transaction, lets `pcplan_domain::annual_report` apply
//! and check it, and writes it back with its audit entry. Drafting and refreshing
//! assemble the facts from the [`Sources`] the caller gathered, inside the transaction
//! that stores them.
//!
//! Sending a report to the Panel also records the body's "annual report" obligation for
//! that year as done, in the same transaction: the obligation is completed if it is
//! stored and still open, or stored completed (with the deadline the body's clock
//! settings give now) if it was never added. There is no delete: a report sent to the
//! Panel is kept, and triggers on either database refuse to delete it or change its
//! sections or dates.

use std::collections::BTreeMap;

use pcplan_domain::annual_report::{
    AnnualReport, AnnualReportError, Issue, Publication, Refreshed, SectionKey, Sources, assemble,
};
use pcplan_domain::clock::{self, FieldProblem, FieldProblems};
use pcplan_domain::ids::AnnualReportId;
use pcplan_domain::obligation::{Completion, Obligation, ObligationKind, Outcome, obligation_id};
use pcplan_domain::{BodyId, FinancialYear};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, now, on_pool, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans, processes, settings};

impl From<AnnualReportError> for StoreError {
    fn from(error: AnnualReportError) -> Self {
        match error {
            AnnualReportError::Fields(problems) => StoreError::Fields(problems),
            AnnualReportError::Refused(message) => StoreError::Conflict(message),
        }
    }
}

fn field(name: &str, problem: impl Into<String>) -> StoreError {
    StoreError::Fields(FieldProblems(vec![FieldProblem::new(name, problem)]))
}

const COLUMNS: &str = "SELECT id, sections, data FROM annual_reports";

fn parse((id, sections, data): (String, String, String)) -> Result<AnnualReport> {
    let mut report: AnnualReport =
        serde_json::from_str(&data).map_err(|e| corrupt(format!("annual report {id}"), e))?;
    report.sections =
        serde_json::from_str(&sections).map_err(|e| corrupt(format!("sections of annual report {id}"), e))?;
    Ok(report)
}

/// Every published report whose content no longer has the hash recorded when it was
/// published: `(checked, [(which, recorded, now)])`.
pub(crate) async fn altered_reports(db: &Db) -> Result<(u64, Vec<(String, String, String)>)> {
    let sql = format!("{COLUMNS} WHERE published_on IS NOT NULL ORDER BY year, id");
    let rows: Vec<(String, String, String)> = on_pool!(db, p => sqlx::query_as(&sql).fetch_all(p).await?);
    let mut checked = 0;
    let mut altered = Vec::new();
    for row in rows {
        let report = parse(row)?;
        if let (Some(false), Some(recorded)) = (report.content_intact(), report.content_hash.clone()) {
            let what = format!("the annual report on {} of body {}", report.year, report.body_id);
            altered.push((what, recorded, report.content_hash_now()));
        }
        checked += u64::from(report.content_hash.is_some());
    }
    Ok((checked, altered))
}

/// The report without its sections, as `data` keeps it.
fn header_json(report: &AnnualReport) -> Result<String> {
    to_json(&AnnualReport { sections: Vec::new(), ..report.clone() })
}

pub(crate) async fn load(tx: &mut Tx, id: AnnualReportId) -> Result<AnnualReport> {
    let sql = format!("{COLUMNS} WHERE id = $1");
    let row: Option<(String, String, String)> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(parse).transpose()?.ok_or_else(|| StoreError::NotFound { what: format!("annual report {id}") })
}

async fn write(tx: &mut Tx, report: &AnnualReport) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "UPDATE annual_reports SET issued_on = $1, published_on = $2, sections = $3, data = $4, updated_at = $5 \
         WHERE id = $6")
        .bind(report.issued.as_ref().map(|i| i.on.to_string()))
        .bind(report.published.as_ref().map(|p| p.on.to_string()))
        .bind(to_json(&report.sections)?)
        .bind(header_json(report)?)
        .bind(timestamp(now()))
        .bind(report.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    crate::search::refresh_annual_report(tx, report).await
}

async fn audit(
    tx: &mut Tx,
    actor: &Actor,
    action: &str,
    before: Option<&AnnualReport>,
    after: &AnnualReport,
) -> Result<()> {
    let change = Change {
        action,
        entity: "annual_report",
        entity_id: after.id.to_string(),
        before: before.map(audit_json),
        after: Some(audit_json(after)),
    };
    audit::append(tx, actor, change).await
}

/// Records the body's annual report obligation for the year as done on `issue.on`:
/// completed if stored and open, stored completed if missing, left alone if already closed.
async fn complete_obligation(tx: &mut Tx, actor: &Actor, report: &AnnualReport, issue: &Issue) -> Result<()> {
    let id = obligation_id(report.body_id, ObligationKind::AnnualReport, report.year.0);
    let completion = Completion {
        outcome: Outcome::Done,
        on: issue.on,
        by: issue.by.clone(),
        note: format!("The annual report on {} was sent to the Panel.", report.year),
        link: None,
    };
    let row: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as("SELECT data FROM obligations WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    let at = timestamp(now());
    let (action, before, after) = match row {
        Some((data,)) => {
            let before: Obligation = serde_json::from_str(&data).map_err(|e| corrupt(format!("obligation {id}"), e))?;
            if before.completion.is_some() {
                return Ok(());
            }
            let after = Obligation { completion: Some(completion), ..before.clone() };
            on_tx!(&mut *tx, c => sqlx::query("UPDATE obligations SET data = $1, updated_at = $2 WHERE id = $3")
                .bind(to_json(&after)?).bind(&at).bind(id.to_string())
                .execute(&mut *c).await?.rows_affected());
            ("complete", Some(audit_json(&before)), after)
        }
        None => {
            let clock = settings::settings_in(tx, report.body_id).await?;
            let deadline = clock::annual_report(report.year, &clock);
            let after = Obligation {
                id,
                body_id: report.body_id,
                kind: ObligationKind::AnnualReport,
                cycle: report.year.0,
                what: deadline.what,
                due_on: deadline.due,
                completion: Some(completion),
            };
            on_tx!(&mut *tx, c => sqlx::query(
                "INSERT INTO obligations (id, body_id, cycle_key, due_on, data, created_at, updated_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $6)")
                .bind(id.to_string())
                .bind(report.body_id.to_string())
                .bind(after.cycle_key())
                .bind(after.due_on.to_string())
                .bind(to_json(&after)?)
                .bind(&at)
                .execute(&mut *c).await?.rows_affected());
            ("create", None, after)
        }
    };
    let change =
        Change { action, entity: "obligation", entity_id: id.to_string(), before, after: Some(audit_json(&after)) };
    audit::append(tx, actor, change).await
}

impl Store {
    /// Drafts and stores the report of `sources.body_id` on `sources.year`, assembled from
    /// `sources`. A body has one report per year: a second is refused, naming the first.
    pub async fn create_annual_report(
        &self,
        actor: &Actor,
        id: AnnualReportId,
        sources: &Sources,
    ) -> Result<AnnualReport> {
        let mut tx = self.db.begin().await?;
        let body = plans::load_body(&mut tx, sources.body_id)
            .await?
            .ok_or_else(|| field("body", format!("no policing body with id {}", sources.body_id)))?;
        let taken: Option<(String, Option<String>)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, issued_on FROM annual_reports WHERE body_id = $1 AND year = $2")
            .bind(body.id.to_string()).bind(i64::from(sources.year.0)).fetch_optional(&mut *c).await?);
        if let Some((existing, issued)) = taken {
            let state = if issued.is_some() { "already sent to the Panel" } else { "a draft" };
            return Err(StoreError::Conflict(format!(
                "{} already has an annual report on {} ({state}, id {existing}): open it and edit it, or refresh its \
                 facts, rather than making a second",
                body.name, sources.year
            )));
        }
        let report = assemble(id, sources);
        let at = timestamp(now());
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO annual_reports (id, body_id, year, issued_on, published_on, sections, data, created_at, \
             updated_at) VALUES ($1, $2, $3, NULL, NULL, $4, $5, $6, $6)")
            .bind(report.id.to_string())
            .bind(report.body_id.to_string())
            .bind(i64::from(report.year.0))
            .bind(to_json(&report.sections)?)
            .bind(header_json(&report)?)
            .bind(&at)
            .execute(&mut *c).await?.rows_affected());
        crate::search::refresh_annual_report(&mut tx, &report).await?;
        audit(&mut tx, actor, "create", None, &report).await?;
        tx.commit().await?;
        Ok(report)
    }

    pub async fn annual_report(&self, id: AnnualReportId) -> Result<Option<AnnualReport>> {
        let mut tx = self.db.begin_read().await?;
        let found = match load(&mut tx, id).await {
            Ok(report) => Some(report),
            Err(StoreError::NotFound { .. }) => None,
            Err(e) => return Err(e),
        };
        tx.commit().await?;
        Ok(found)
    }

    /// A body's report on a year, if there is one.
    pub async fn annual_report_for(&self, body: BodyId, year: FinancialYear) -> Result<Option<AnnualReport>> {
        let mut tx = self.db.begin_read().await?;
        let sql = format!("{COLUMNS} WHERE body_id = $1 AND year = $2");
        let row: Option<(String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(&sql)
            .bind(body.to_string()).bind(i64::from(year.0)).fetch_optional(&mut *c).await?);
        tx.commit().await?;
        row.map(parse).transpose()
    }

    /// Every report, or one body's, the latest year first.
    pub async fn annual_reports(&self, body: Option<BodyId>) -> Result<Vec<AnnualReport>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String)> = match body {
            Some(body) => {
                let sql = format!("{COLUMNS} WHERE body_id = $1 ORDER BY year DESC, id");
                on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(body.to_string()).fetch_all(&mut *c).await?)
            }
            None => {
                let sql = format!("{COLUMNS} ORDER BY year DESC, body_id, id");
                on_tx!(&mut tx, c => sqlx::query_as(&sql).fetch_all(&mut *c).await?)
            }
        };
        tx.commit().await?;
        rows.into_iter().map(parse).collect()
    }

    /// Replaces the texts of the sections given; refused once the report has gone to the
    /// Panel. Saving texts that are already stored changes and audits nothing.
    pub async fn set_annual_report_texts(
        &self,
        actor: &Actor,
        id: AnnualReportId,
        texts: &BTreeMap<SectionKey, String>,
    ) -> Result<AnnualReport> {
        let mut tx = self.db.begin().await?;
        let before = load(&mut tx, id).await?;
        let mut after = before.clone();
        let changed = after.set_texts(texts)?;
        if changed.is_empty() {
            tx.commit().await?;
            return Ok(after);
        }
        write(&mut tx, &after).await?;
        audit(&mut tx, actor, "update_texts", Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Re-assembles the report's facts from `sources` (the records as they now stand),
    /// keeping every text staff edited; says which sections' facts changed. Refused once
    /// the report has gone to the Panel, or when `sources` is of another body or year.
    pub async fn refresh_annual_report(
        &self,
        actor: &Actor,
        id: AnnualReportId,
        sources: &Sources,
    ) -> Result<(AnnualReport, Refreshed)> {
        let mut tx = self.db.begin().await?;
        let before = load(&mut tx, id).await?;
        let mut after = before.clone();
        let done = after.refresh(assemble(id, sources))?;
        if after != before {
            write(&mut tx, &after).await?;
            audit(&mut tx, actor, "refresh", Some(&before), &after).await?;
        }
        tx.commit().await?;
        Ok((after, done))
    }

    /// Records that the report was sent to the Panel, which fixes it for good, and marks
    /// the body's annual report obligation for the year done, in one transaction.
    pub async fn issue_annual_report(
        &self,
        actor: &Actor,
        id: AnnualReportId,
        issue: &Issue,
        today: chrono::NaiveDate,
    ) -> Result<AnnualReport> {
        let mut tx = self.db.begin().await?;
        let before = load(&mut tx, id).await?;
        let mut after = before.clone();
        after.issue(issue.clone(), today)?;
        write(&mut tx, &after).await?;
        audit(&mut tx, actor, "issue", Some(&before), &after).await?;
        let recorded = after.issued.clone().unwrap_or_else(|| issue.clone());
        complete_obligation(&mut tx, actor, &after, &recorded).await?;
        tx.commit().await?;
        Ok(after)
    }

    /// Publishes a report the Panel has had. The Panel meeting and report it names, if
    /// any, must be the same body's.
    pub async fn publish_annual_report(
        &self,
        actor: &Actor,
        id: AnnualReportId,
        publication: &Publication,
        today: chrono::NaiveDate,
    ) -> Result<AnnualReport> {
        let mut tx = self.db.begin().await?;
        let before = load(&mut tx, id).await?;
        if let Some(meeting_id) = publication.panel_meeting {
            let meeting = processes::load_meeting(&mut tx, meeting_id)
                .await?
                .ok_or_else(|| field("panel_meeting", format!("no meeting with id {meeting_id}")))?;
            if meeting.body_id != before.body_id {
                return Err(field("panel_meeting", "the meeting is of another policing body; choose its own Panel's"));
            }
        }
        if let Some(report_id) = publication.panel_report {
            let row: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT body_id FROM panel_reports WHERE id = $1")
                .bind(report_id.to_string()).fetch_optional(&mut *c).await?);
            match row {
                None => return Err(field("panel_report", format!("no Panel report with id {report_id}"))),
                Some((body,)) if body != before.body_id.to_string() => {
                    return Err(field("panel_report", "the Panel report is of another policing body"));
                }
                Some(_) => {}
            }
        }
        let mut after = before.clone();
        after.publish(publication.clone(), today)?;
        write(&mut tx, &after).await?;
        audit(&mut tx, actor, "publish", Some(&before), &after).await?;
        tx.commit().await?;
        Ok(after)
    }
}
