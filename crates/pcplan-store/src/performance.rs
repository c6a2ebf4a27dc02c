//! Observations of the plan's measures, per period and local authority area, and the
//! feeds that compute a measure from crime data.
//!
//! A measure is an item of a plan and keeps its id in every version, so observations
//! belong to the measure, not to a version. One observation per (measure, period,
//! area); the whole force area is the area code `""`. Each says where it came from:
//! entered by staff, imported from a spreadsheet, or computed from crime data. A
//! computed value never overwrites one a person entered or imported: recomputing
//! replaces only the computed ones, and says how many it left alone.
//!
//! Grades per period (on the body's own scales, Green/Amber/Red/Ungraded until it sets
//! them) and owners' status updates on milestones and commitments live here too: a
//! grade for a period can be given again (the audit keeps the old one); a status update
//! is never changed, and the latest is the item's status.
//!
//! Every change is audited with the values before and after, in the same transaction.

use std::collections::{BTreeMap, HashSet};

use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::feed::MeasureFeed;
use pcplan_domain::grade::{GradeEntry, GradeScale};
use pcplan_domain::rollup::StatusUpdate;
use pcplan_domain::{BodyId, ItemId, UpdateId};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::db::{Tx, now, on_tx, parse_date, parse_timestamp, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans};

/// Where an observation came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ObservationSource {
    /// Typed in by staff.
    Manual,
    /// Read from a CSV or XLSX file.
    Import,
    /// Computed from crime data by the measure's feed.
    Computed,
}

impl ObservationSource {
    pub fn as_str(self) -> &'static str {
        match self {
            ObservationSource::Manual => "manual",
            ObservationSource::Import => "import",
            ObservationSource::Computed => "computed",
        }
    }

    fn parse(text: &str) -> Result<Self> {
        match text {
            "manual" => Ok(ObservationSource::Manual),
            "import" => Ok(ObservationSource::Import),
            "computed" => Ok(ObservationSource::Computed),
            other => Err(corrupt("observation source", format!("`{other}` is not a source"))),
        }
    }

    /// For a page: "Entered", "Imported", "Computed from police.uk data".
    pub fn label(self) -> &'static str {
        match self {
            ObservationSource::Manual => "Entered",
            ObservationSource::Import => "Imported",
            ObservationSource::Computed => "Computed from police.uk data",
        }
    }
}

/// One observation to store.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NewObservation {
    /// The period as written (`2022-03`, `2022/23 Q1`, `2022/23`), already checked.
    pub period: String,
    /// The period's first day, for ordering.
    pub period_start: NaiveDate,
    /// The local authority area; `""` for the whole force area.
    pub area_code: String,
    pub value: f64,
    /// For a share or rate: the count it is made of, and out of how many.
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub note: String,
}

/// An observation as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Observation {
    pub measure_id: ItemId,
    pub period: String,
    pub period_start: NaiveDate,
    pub area_code: String,
    pub value: f64,
    pub numerator: Option<i64>,
    pub denominator: Option<i64>,
    pub source: ObservationSource,
    pub note: String,
    pub recorded_by: String,
    pub recorded_at: DateTime<Utc>,
}

/// What a batch of observations did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObservationChanges {
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
    /// Computed values not stored because a person's value is there (computing only).
    pub kept: usize,
    /// Computed values removed because the crime data no longer gives them.
    pub removed: usize,
}

fn invalid(field: &str, problem: String) -> StoreError {
    StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![pcplan_domain::clock::FieldProblem::new(
        field, problem,
    )]))
}

/// Refuses the batch, naming the row (1-based) and field, when any row breaks a rule.
fn check_rows(rows: &[NewObservation]) -> Result<()> {
    let mut seen = HashSet::new();
    for (index, row) in rows.iter().enumerate() {
        let at = format!("row {}", index + 1);
        if row.period.trim().is_empty() {
            return Err(invalid("period", format!("{at} has no period")));
        }
        if !row.value.is_finite() {
            return Err(invalid("value", format!("{at} ({}) has no number for its value", row.period)));
        }
        match (row.numerator, row.denominator) {
            (Some(n), _) if n < 0 => {
                return Err(invalid("numerator", format!("{at} ({}): the count {n} is below zero", row.period)));
            }
            (Some(n), Some(d)) if d < n => {
                return Err(invalid(
                    "denominator",
                    format!("{at} ({}): {n} out of {d} cannot be; the second figure is the total", row.period),
                ));
            }
            (None, Some(_)) => {
                return Err(invalid("numerator", format!("{at} ({}): a total is given without its count", row.period)));
            }
            _ => {}
        }
        if !seen.insert((row.period.as_str(), row.area_code.as_str())) {
            let area = if row.area_code.is_empty() { "the whole force area" } else { row.area_code.as_str() };
            return Err(invalid("period", format!("{at}: {} for {area} is given twice", row.period)));
        }
    }
    Ok(())
}

type ObservationRow = (String, String, String, String, f64, Option<i64>, Option<i64>, String, String, String, String);

const OBSERVATION_COLUMNS: &str = "SELECT measure_id, period, period_start, area_code, value, numerator, denominator, \
     source, note, recorded_by, recorded_at FROM observations";

fn observation_from(row: ObservationRow) -> Result<Observation> {
    let (measure, period, start, area_code, value, numerator, denominator, source, note, by, at) = row;
    Ok(Observation {
        measure_id: measure.parse().map_err(|e| corrupt(format!("measure id `{measure}`"), e))?,
        period,
        period_start: parse_date(&start)?,
        area_code,
        value,
        numerator,
        denominator,
        source: ObservationSource::parse(&source)?,
        note,
        recorded_by: by,
        recorded_at: parse_timestamp(&at)?,
    })
}

async fn load_observations(tx: &mut Tx, measure: ItemId) -> Result<Vec<Observation>> {
    let sql = format!("{OBSERVATION_COLUMNS} WHERE measure_id = $1 ORDER BY period_start, area_code");
    let rows: Vec<ObservationRow> =
        on_tx!(tx, c => sqlx::query_as(&sql).bind(measure.to_string()).fetch_all(&mut *c).await?);
    rows.into_iter().map(observation_from).collect()
}

pub(crate) fn same(a: &Observation, b: &NewObservation) -> bool {
    a.value == b.value && a.numerator == b.numerator && a.denominator == b.denominator && a.note == b.note
}

fn audit_value(o: &Observation) -> serde_json::Value {
    serde_json::json!({
        "value": o.value, "numerator": o.numerator, "denominator": o.denominator,
        "source": o.source.as_str(), "note": o.note,
    })
}

fn audit_new(o: &NewObservation, source: ObservationSource) -> serde_json::Value {
    serde_json::json!({
        "value": o.value, "numerator": o.numerator, "denominator": o.denominator,
        "source": source.as_str(), "note": o.note,
    })
}

fn key(period: &str, area: &str) -> String {
    if area.is_empty() { period.to_string() } else { format!("{period} {area}") }
}

impl Store {
    /// Stores observations of one measure, adding or replacing each (period, area);
    /// all or nothing. With `ObservationSource::Computed`, a value a person entered or
    /// imported is kept and counted in `kept`, and computed values the batch no longer
    /// gives are removed: the batch is the whole computed series.
    pub async fn record_observations(
        &self,
        actor: &Actor,
        body: BodyId,
        measure: ItemId,
        source: ObservationSource,
        rows: &[NewObservation],
    ) -> Result<ObservationChanges> {
        let mut tx = self.db.begin().await?;
        let changes = record_observations_in(&mut tx, actor, body, measure, source, rows).await?;
        tx.commit().await?;
        Ok(changes)
    }

    /// The observations of one measure, by period then area.
    pub async fn observations(&self, measure: ItemId) -> Result<Vec<Observation>> {
        let mut tx = self.db.begin_read().await?;
        let rows = load_observations(&mut tx, measure).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Every observation of the body's measures, by measure, period and area.
    pub async fn body_observations(&self, body: BodyId) -> Result<Vec<Observation>> {
        let mut tx = self.db.begin_read().await?;
        let sql = format!("{OBSERVATION_COLUMNS} WHERE body_id = $1 ORDER BY measure_id, period_start, area_code");
        let rows: Vec<ObservationRow> =
            on_tx!(&mut tx, c => sqlx::query_as(&sql).bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter().map(observation_from).collect()
    }

    /// Removes one observation; not found when there is none.
    pub async fn delete_observation(
        &self,
        actor: &Actor,
        measure: ItemId,
        period: &str,
        area_code: &str,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let stored = load_observations(&mut tx, measure).await?;
        let Some(old) = stored.iter().find(|o| o.period == period && o.area_code == area_code) else {
            return Err(StoreError::NotFound {
                what: format!("observation {} of measure {measure}", key(period, area_code)),
            });
        };
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM observations WHERE measure_id = $1 AND period = $2 AND area_code = $3")
            .bind(measure.to_string()).bind(period).bind(area_code).execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "delete",
                entity: "observation",
                entity_id: format!("{measure} {}", key(period, area_code)),
                before: Some(audit_value(old)),
                after: None,
            },
        )
        .await?;
        tx.commit().await
    }

    /// Sets or clears the feed that computes a measure from crime data.
    pub async fn set_measure_feed(
        &self,
        actor: &Actor,
        body: BodyId,
        measure: ItemId,
        feed: Option<&MeasureFeed>,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let old: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT data FROM measure_feeds WHERE measure_id = $1")
            .bind(measure.to_string()).fetch_optional(&mut *c).await?);
        let before: Option<MeasureFeed> = old
            .map(|(data,)| serde_json::from_str(&data).map_err(|e| corrupt(format!("feed of measure {measure}"), e)))
            .transpose()?;
        if before.as_ref() == feed {
            tx.commit().await?;
            return Ok(());
        }
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM measure_feeds WHERE measure_id = $1")
            .bind(measure.to_string()).execute(&mut *c).await?.rows_affected());
        if let Some(feed) = feed {
            let data = serde_json::to_string(feed).map_err(|e| corrupt("measure feed", e))?;
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO measure_feeds (measure_id, body_id, data, updated_at) VALUES ($1, $2, $3, $4)")
                .bind(measure.to_string()).bind(body.to_string()).bind(data).bind(timestamp(now()))
                .execute(&mut *c).await?.rows_affected());
        }
        audit::append(
            &mut tx,
            actor,
            Change {
                action: if feed.is_some() { "set" } else { "clear" },
                entity: "measure_feed",
                entity_id: measure.to_string(),
                before: before.map(|f| serde_json::json!(f)),
                after: feed.map(|f| serde_json::json!(f)),
            },
        )
        .await?;
        tx.commit().await
    }

    /// The body's measure feeds, by measure id.
    pub async fn measure_feeds(&self, body: BodyId) -> Result<Vec<(ItemId, MeasureFeed)>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT measure_id, data FROM measure_feeds WHERE body_id = $1 ORDER BY measure_id")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, data)| {
                let measure: ItemId = id.parse().map_err(|e| corrupt(format!("measure id `{id}`"), e))?;
                let feed = serde_json::from_str(&data).map_err(|e| corrupt(format!("feed of measure {id}"), e))?;
                Ok((measure, feed))
            })
            .collect()
    }
}

/// [`Store::record_observations`] inside a write transaction the caller commits, so an
/// import of several measures (`observation_import.rs`) is one transaction. Checks the
/// rows first; every change is audited in `tx`.
pub(crate) async fn record_observations_in(
    tx: &mut Tx,
    actor: &Actor,
    body: BodyId,
    measure: ItemId,
    source: ObservationSource,
    rows: &[NewObservation],
) -> Result<ObservationChanges> {
    check_rows(rows)?;
    if plans::load_body(tx, body).await?.is_none() {
        return Err(StoreError::NotFound { what: format!("body {body}") });
    }
    let stored = load_observations(tx, measure).await?;
    if let Some(other) = owner(tx, measure).await?.filter(|b| *b != body.to_string()) {
        return Err(StoreError::Conflict(format!("measure {measure} has observations of another body ({other})")));
    }
    let by_key: BTreeMap<(String, String), &Observation> =
        stored.iter().map(|o| ((o.period.clone(), o.area_code.clone()), o)).collect();
    let mut changes = ObservationChanges::default();
    let mut before = BTreeMap::new();
    let mut after = BTreeMap::new();
    let at = timestamp(now());
    let mut given = HashSet::new();
    for row in rows {
        let k = (row.period.clone(), row.area_code.clone());
        given.insert(k.clone());
        match by_key.get(&k) {
            Some(old) if source == ObservationSource::Computed && old.source != ObservationSource::Computed => {
                changes.kept += 1;
                continue;
            }
            Some(old) if old.source == source && same(old, row) => {
                changes.unchanged += 1;
                continue;
            }
            Some(old) => {
                changes.changed += 1;
                before.insert(key(&row.period, &row.area_code), audit_value(old));
            }
            None => changes.added += 1,
        }
        after.insert(key(&row.period, &row.area_code), audit_new(row, source));
        on_tx!(tx, c => sqlx::query(
            "INSERT INTO observations (body_id, measure_id, period, period_start, area_code, value, numerator, \
             denominator, source, note, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
             ON CONFLICT (measure_id, period, area_code) DO UPDATE SET value = excluded.value, \
             numerator = excluded.numerator, denominator = excluded.denominator, source = excluded.source, \
             note = excluded.note, recorded_by = excluded.recorded_by, recorded_at = excluded.recorded_at, \
             period_start = excluded.period_start")
            .bind(body.to_string()).bind(measure.to_string()).bind(&row.period).bind(row.period_start.to_string())
            .bind(&row.area_code).bind(row.value).bind(row.numerator).bind(row.denominator)
            .bind(source.as_str()).bind(&row.note).bind(&actor.name).bind(&at)
            .execute(&mut *c).await?.rows_affected());
    }
    if source == ObservationSource::Computed {
        for old in stored.iter().filter(|o| o.source == ObservationSource::Computed) {
            if given.contains(&(old.period.clone(), old.area_code.clone())) {
                continue;
            }
            changes.removed += 1;
            before.insert(key(&old.period, &old.area_code), audit_value(old));
            on_tx!(tx, c => sqlx::query(
                "DELETE FROM observations WHERE measure_id = $1 AND period = $2 AND area_code = $3")
                .bind(measure.to_string()).bind(&old.period).bind(&old.area_code)
                .execute(&mut *c).await?.rows_affected());
        }
    }
    if !before.is_empty() || !after.is_empty() {
        audit::append(
            tx,
            actor,
            Change {
                action: "record",
                entity: "observations",
                entity_id: measure.to_string(),
                before: Some(serde_json::Value::Object(before.into_iter().collect())),
                after: Some(serde_json::Value::Object(after.into_iter().collect())),
            },
        )
        .await?;
    }
    Ok(changes)
}

/// A grade as stored: the entry, the scale it was given on, who and when.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredGrade {
    pub item_id: ItemId,
    pub scale: String,
    pub entry: GradeEntry,
    pub graded_by: String,
    pub graded_at: DateTime<Utc>,
}

/// A status update as stored.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StoredUpdate {
    pub id: UpdateId,
    pub item_id: ItemId,
    pub update: StatusUpdate,
    pub created_by: String,
    pub created_at: DateTime<Utc>,
}

#[derive(Serialize, serde::Deserialize)]
struct GradeData {
    scale: String,
    entry: GradeEntry,
}

impl Store {
    /// Replaces the body's grade scales. Names must differ; at least one scale; and every
    /// grade already given keeps its scale and its code, so no stored grade is orphaned.
    pub async fn set_grade_scales(&self, actor: &Actor, body: BodyId, scales: &[GradeScale]) -> Result<()> {
        if scales.is_empty() {
            return Err(invalid("scales", String::from("keep at least one grade scale")));
        }
        let mut names = HashSet::new();
        for scale in scales {
            if !names.insert(scale.name().to_lowercase()) {
                return Err(invalid(
                    "scales",
                    format!("two scales are called `{}`; give each its own name", scale.name()),
                ));
            }
        }
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let before = load_scales(&mut tx, body).await?;
        // Every grade already given must still read: its scale kept, with its code.
        let given: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as("SELECT data FROM grades WHERE body_id = $1")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        let mut in_use: BTreeMap<(String, String), usize> = BTreeMap::new();
        for (data,) in given {
            let parsed: GradeData = serde_json::from_str(&data).map_err(|e| corrupt("a stored grade", e))?;
            *in_use.entry((parsed.scale, parsed.entry.grade)).or_default() += 1;
        }
        for ((scale, code), count) in &in_use {
            match scales.iter().find(|s| s.name() == scale) {
                None => {
                    return Err(invalid(
                        "scales",
                        format!("{count} grade(s) were given on the scale `{scale}`; keep that scale"),
                    ));
                }
                Some(kept) if kept.grade(code).is_none() => {
                    return Err(invalid(
                        "scales",
                        format!("{count} grade(s) on `{scale}` are `{code}`; keep a grade with that code"),
                    ));
                }
                Some(_) => {}
            }
        }
        let data = serde_json::to_string(scales).map_err(|e| corrupt("grade scales", e))?;
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM grade_scales WHERE body_id = $1")
            .bind(body.to_string()).execute(&mut *c).await?.rows_affected());
        on_tx!(&mut tx, c => sqlx::query("INSERT INTO grade_scales (body_id, data, updated_at) VALUES ($1, $2, $3)")
            .bind(body.to_string()).bind(data).bind(timestamp(now())).execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "replace",
                entity: "grade_scales",
                entity_id: body.to_string(),
                before: Some(serde_json::json!(before)),
                after: Some(serde_json::json!(scales)),
            },
        )
        .await?;
        tx.commit().await
    }

    /// The body's grade scales; the Green, Amber, Red, Ungraded preset until the body
    /// sets its own.
    pub async fn grade_scales(&self, body: BodyId) -> Result<Vec<GradeScale>> {
        let mut tx = self.db.begin_read().await?;
        let scales = load_scales(&mut tx, body).await?;
        tx.commit().await?;
        Ok(scales)
    }

    /// Grades an item (a measure, commitment, priority or objective) for a period on one
    /// of the body's scales, replacing any grade given for that period before.
    pub async fn record_grade(
        &self,
        actor: &Actor,
        body: BodyId,
        item: ItemId,
        scale: &str,
        entry: &GradeEntry,
    ) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let scales = load_scales(&mut tx, body).await?;
        let Some(found) = scales.iter().find(|s| s.name() == scale) else {
            let known = scales.iter().map(|s| format!("`{}`", s.name())).collect::<Vec<_>>().join(", ");
            return Err(invalid("scale", format!("the body has no grade scale `{scale}`; use one of {known}")));
        };
        entry.check(found).map_err(|e| invalid("grade", e.to_string()))?;
        let period = entry.period.to_string();
        let old: Option<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT data FROM grades WHERE item_id = $1 AND period = $2")
            .bind(item.to_string()).bind(&period).fetch_optional(&mut *c).await?);
        let before: Option<serde_json::Value> = old
            .map(|(d,)| serde_json::from_str(&d).map_err(|e| corrupt(format!("grade of {item} for {period}"), e)))
            .transpose()?;
        let data = serde_json::to_string(&GradeData { scale: scale.to_string(), entry: entry.clone() })
            .map_err(|e| corrupt("grade", e))?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO grades (body_id, item_id, period, period_start, data, graded_by, graded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (item_id, period) DO UPDATE SET data = excluded.data, \
             graded_by = excluded.graded_by, graded_at = excluded.graded_at")
            .bind(body.to_string()).bind(item.to_string()).bind(&period).bind(entry.period.start().to_string())
            .bind(&data).bind(&actor.name).bind(timestamp(now()))
            .execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "grade",
                entity: "item",
                entity_id: format!("{item} {period}"),
                before,
                after: Some(serde_json::json!({"scale": scale, "entry": entry})),
            },
        )
        .await?;
        tx.commit().await
    }

    /// Every grade of the body, by item then period.
    pub async fn grades(&self, body: BodyId) -> Result<Vec<StoredGrade>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT item_id, data, graded_by, graded_at FROM grades WHERE body_id = $1 ORDER BY item_id, period_start")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(item, data, by, at)| {
                let parsed: GradeData =
                    serde_json::from_str(&data).map_err(|e| corrupt(format!("grade of item {item}"), e))?;
                Ok(StoredGrade {
                    item_id: item.parse().map_err(|e| corrupt(format!("item id `{item}`"), e))?,
                    scale: parsed.scale,
                    entry: parsed.entry,
                    graded_by: by,
                    graded_at: parse_timestamp(&at)?,
                })
            })
            .collect()
    }

    /// Adds an owner's status update on a milestone or commitment, checked as of
    /// `today`. Updates are kept, never changed: the latest is the item's status.
    pub async fn add_status_update(
        &self,
        actor: &Actor,
        body: BodyId,
        item: ItemId,
        id: UpdateId,
        update: &StatusUpdate,
        today: NaiveDate,
    ) -> Result<StoredUpdate> {
        update.check(today).map_err(|problems| {
            StoreError::Fields(pcplan_domain::clock::FieldProblems(
                problems.0.into_iter().map(|p| pcplan_domain::clock::FieldProblem::new(p.field, p.problem)).collect(),
            ))
        })?;
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let at = now();
        let data = serde_json::to_string(update).map_err(|e| corrupt("status update", e))?;
        on_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO status_updates (id, body_id, item_id, on_date, data, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id.to_string()).bind(body.to_string()).bind(item.to_string()).bind(update.date.to_string())
            .bind(&data).bind(&actor.name).bind(timestamp(at))
            .execute(&mut *c).await?.rows_affected());
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "update_status",
                entity: "item",
                entity_id: item.to_string(),
                before: None,
                after: Some(serde_json::json!({"id": id.to_string(), "update": update})),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(StoredUpdate { id, item_id: item, update: update.clone(), created_by: actor.name.clone(), created_at: at })
    }

    /// Every status update of the body, by item, date and the order given.
    pub async fn status_updates(&self, body: BodyId) -> Result<Vec<StoredUpdate>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT id, item_id, data, created_by, created_at FROM status_updates WHERE body_id = $1 \
             ORDER BY item_id, on_date, created_at")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(id, item, data, by, at)| {
                Ok(StoredUpdate {
                    id: id.parse().map_err(|e| corrupt(format!("status update id `{id}`"), e))?,
                    item_id: item.parse().map_err(|e| corrupt(format!("item id `{item}`"), e))?,
                    update: serde_json::from_str(&data).map_err(|e| corrupt(format!("status update {id}"), e))?,
                    created_by: by,
                    created_at: parse_timestamp(&at)?,
                })
            })
            .collect()
    }
}

async fn load_scales(tx: &mut Tx, body: BodyId) -> Result<Vec<GradeScale>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM grade_scales WHERE body_id = $1")
        .bind(body.to_string()).fetch_optional(&mut *c).await?);
    match row {
        Some((data,)) => serde_json::from_str(&data).map_err(|e| corrupt(format!("grade scales of body {body}"), e)),
        None => Ok(vec![GradeScale::rag()]),
    }
}

/// The body whose observations the measure already has, if any.
async fn owner(tx: &mut Tx, measure: ItemId) -> Result<Option<String>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT body_id FROM observations WHERE measure_id = $1 LIMIT 1")
        .bind(measure.to_string()).fetch_optional(&mut *c).await?);
    Ok(row.map(|(b,)| b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(period: &str, area: &str, value: f64) -> NewObservation {
        NewObservation {
            period: period.to_string(),
            period_start: NaiveDate::from_ymd_opt(2022, 3, 1).unwrap_or_default(),
            area_code: area.to_string(),
            value,
            numerator: None,
            denominator: None,
            note: String::new(),
        }
    }

    fn problem(result: Result<()>) -> String {
        match result {
            Err(StoreError::Fields(p)) => p.0[0].problem.clone(),
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn a_batch_is_refused_naming_the_row_for_a_repeat_a_missing_number_or_a_count_above_its_total() {
        assert_eq!(check_rows(&[row("2022-03", "", 4.0), row("2022-04", "", 5.0)]).ok(), Some(()));
        assert_eq!(
            problem(check_rows(&[row("2022-03", "E06000016", 4.0), row("2022-03", "E06000016", 5.0)])),
            "row 2: 2022-03 for E06000016 is given twice"
        );
        assert_eq!(problem(check_rows(&[row("2022-03", "", f64::NAN)])), "row 1 (2022-03) has no number for its value");
        let mut share = row("2022-03", "", 40.0);
        share.numerator = Some(12);
        share.denominator = Some(10);
        assert!(problem(check_rows(&[share])).contains("12 out of 10 cannot be"));
    }
}
