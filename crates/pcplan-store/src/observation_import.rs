//! Importing observations of several measures from one file, in one transaction.
//!
//! Staff import a CSV or XLSX file of figures for many measures at once (the web crate
//! reads and checks it). The whole file is stored or none of it: every measure's rows go
//! through the same rules as one measure's batch (`performance::record_observations_in`:
//! each row checked, an observation added or replaced per period and area, each
//! measure's changes audited with the values before and after), all inside one write
//! transaction, and one more audit entry names the file, its SHA-256 and the counts.
//!
//! An imported value replaces an entered or computed one for the same measure, period
//! and area; recomputing a fed measure later keeps it (a computed value never overwrites
//! an imported one). A row whose value, counts and note match an observation already
//! imported changes nothing, so the same file imported twice adds nothing and audits
//! nothing. [`import_effect`] tells a caller, before storing, which of these each row
//! will be, by the same rule the store applies.
//!
//! This module does not read files or resolve measures and areas by name: the caller
//! hands over measure ids and checked rows.

use std::collections::HashSet;

use pcplan_domain::clock::{FieldProblem, FieldProblems};
use pcplan_domain::{BodyId, ItemId};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::error::{Result, StoreError};
use crate::performance::{NewObservation, Observation, ObservationChanges, ObservationSource, record_observations_in};
use crate::{Store, performance};

/// The rows of one measure in an import.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MeasureRows {
    pub measure: ItemId,
    pub rows: Vec<NewObservation>,
}

/// What an import did: each measure's changes in the order given, and the totals.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ObservationImportSummary {
    pub measures: Vec<(ItemId, ObservationChanges)>,
    pub added: usize,
    pub changed: usize,
    pub unchanged: usize,
}

/// What importing one row will do to the observation stored for its measure, period
/// and area (`None` when there is none).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ImportEffect {
    /// Nothing is stored for that period and area: the row is added.
    New,
    /// Something else is stored (another figure, other counts or note, or the same
    /// figure entered by staff or computed): the row replaces it.
    Changed,
    /// The same figure, counts and note were imported before: nothing changes.
    Unchanged,
}

/// The effect of importing `row` over `stored`, by the rule
/// [`Store::import_observations`] applies.
pub fn import_effect(stored: Option<&Observation>, row: &NewObservation) -> ImportEffect {
    match stored {
        None => ImportEffect::New,
        Some(old) if old.source == ObservationSource::Import && performance::same(old, row) => ImportEffect::Unchanged,
        Some(_) => ImportEffect::Changed,
    }
}

fn refused(field: &str, problem: String) -> StoreError {
    StoreError::Fields(FieldProblems(vec![FieldProblem::new(field, problem)]))
}

impl Store {
    /// Stores the rows of every measure in `measures` as imported observations of
    /// `body`, all in one transaction: a problem with any row of any measure stores
    /// nothing, and the error names the measure. `file_name` and `sha256` say which file
    /// the rows came from, for the audit log. Each measure may appear once.
    pub async fn import_observations(
        &self,
        actor: &Actor,
        body: BodyId,
        file_name: &str,
        sha256: &str,
        measures: &[MeasureRows],
    ) -> Result<ObservationImportSummary> {
        if measures.iter().all(|m| m.rows.is_empty()) {
            return Err(refused("rows", String::from("the import holds no observations; add rows to the file")));
        }
        let mut seen = HashSet::new();
        if let Some(twice) = measures.iter().find(|m| !seen.insert(m.measure)) {
            return Err(refused(
                "measure",
                format!("measure {} is given twice; put all its rows in one batch", twice.measure),
            ));
        }
        let mut tx = self.db.begin().await?;
        let mut summary = ObservationImportSummary::default();
        for batch in measures.iter().filter(|m| !m.rows.is_empty()) {
            let changes =
                record_observations_in(&mut tx, actor, body, batch.measure, ObservationSource::Import, &batch.rows)
                    .await
                    .map_err(|error| naming_measure(error, batch.measure))?;
            summary.added += changes.added;
            summary.changed += changes.changed;
            summary.unchanged += changes.unchanged;
            summary.measures.push((batch.measure, changes));
        }
        if summary.added + summary.changed > 0 {
            let rows: usize = measures.iter().map(|m| m.rows.len()).sum();
            audit::append(
                &mut tx,
                actor,
                Change {
                    action: "import",
                    entity: "observations",
                    entity_id: body.to_string(),
                    before: None,
                    after: Some(serde_json::json!({
                        "file": file_name, "sha256": sha256, "rows": rows, "measures": summary.measures.len(),
                        "added": summary.added, "changed": summary.changed, "unchanged": summary.unchanged,
                    })),
                },
            )
            .await?;
        }
        tx.commit().await?;
        Ok(summary)
    }
}

/// A batch's refusal with the measure named in front of each problem, since the rows
/// are numbered within the measure's own batch.
fn naming_measure(error: StoreError, measure: ItemId) -> StoreError {
    match error {
        StoreError::Fields(problems) => StoreError::Fields(FieldProblems(
            problems
                .0
                .into_iter()
                .map(|p| FieldProblem::new(p.field, format!("measure {measure}: {}", p.problem)))
                .collect(),
        )),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{NaiveDate, Utc};

    use super::*;

    fn row(value: f64) -> NewObservation {
        NewObservation {
            period: String::from("2022-04"),
            period_start: NaiveDate::from_ymd_opt(2022, 4, 1).unwrap_or_default(),
            area_code: String::new(),
            value,
            numerator: None,
            denominator: None,
            note: String::new(),
        }
    }

    fn stored(value: f64, source: ObservationSource) -> Observation {
        Observation {
            measure_id: ItemId::from_u128(1),
            period: String::from("2022-04"),
            period_start: NaiveDate::from_ymd_opt(2022, 4, 1).unwrap_or_default(),
            area_code: String::new(),
            value,
            numerator: None,
            denominator: None,
            source,
            note: String::new(),
            recorded_by: String::from("test"),
            recorded_at: Utc::now(),
        }
    }

    #[test]
    fn a_row_is_unchanged_only_over_the_same_figure_imported_before() {
        assert_eq!(import_effect(None, &row(52.0)), ImportEffect::New);
        assert_eq!(import_effect(Some(&stored(52.0, ObservationSource::Import)), &row(52.0)), ImportEffect::Unchanged);
        assert_eq!(import_effect(Some(&stored(50.0, ObservationSource::Import)), &row(52.0)), ImportEffect::Changed);
        assert_eq!(
            import_effect(Some(&stored(52.0, ObservationSource::Manual)), &row(52.0)),
            ImportEffect::Changed,
            "the same figure entered by staff becomes an imported one"
        );
        let mut noted = row(52.0);
        noted.note = String::from("Revised");
        assert_eq!(import_effect(Some(&stored(52.0, ObservationSource::Import)), &noted), ImportEffect::Changed);
    }
}
