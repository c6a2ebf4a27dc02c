//! Crime data from police.uk, as stored: counts per force, month, local authority area,
//! crime type and last outcome, the record of each month's import, and the body's
//! LSOA-to-area lookup.
//!
//! The store takes counts already aggregated (`pcplan-crime` reads the files); it keeps
//! them so that measures can be computed, and a month imported again **replaces** that
//! force's month whole, in one transaction: counts are never added twice, and an import
//! that fails leaves the months it touched as they were. The audit log records which
//! months were added or replaced with their totals, not every count.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use pcplan_domain::BodyId;
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::db::{Tx, now, on_tx, parse_timestamp, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::{Store, plans};

/// Rows per multi-row INSERT: well under SQLite's bound-parameter limit at 8 per row.
const CHUNK: usize = 500;

/// One count: crimes of one type with one last outcome, in one area and month.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CrimeCount {
    pub area_code: String,
    pub area_name: String,
    pub crime_type: String,
    pub outcome: String,
    pub count: i64,
}

/// One force's month of crime data to store, replacing any stored before.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrimeMonth {
    /// The force as the files name it (`Falls within`): `Leicestershire Police`.
    pub force: String,
    /// `YYYY-MM`.
    pub month: String,
    pub counts: Vec<CrimeCount>,
    /// What the import found: files read, malformed rows, unmatched LSOA codes.
    pub report: serde_json::Value,
}

/// A stored month, without its counts.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CrimeMonthRecord {
    pub force: String,
    pub month: String,
    /// Every crime and incident counted in the month.
    pub crimes: i64,
    pub report: serde_json::Value,
    pub imported_by: String,
    pub imported_at: DateTime<Utc>,
}

/// What an import did to the stored months.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CrimeImportSummary {
    /// `force month` of each month stored for the first time.
    pub added: Vec<String>,
    /// `force month` of each month that replaced one stored before.
    pub replaced: Vec<String>,
    /// Crimes counted across the months imported.
    pub crimes: i64,
}

/// Which crimes a total counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CrimeFilter {
    /// Only this crime type.
    pub crime_type: Option<String>,
    /// Every type but these (anti-social behaviour, for "crimes").
    pub exclude_types: Vec<String>,
    /// Only these last outcomes.
    pub outcomes: Option<Vec<String>>,
    /// Only this area.
    pub area_code: Option<String>,
}

/// A total of one month in one area.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CrimeTotal {
    pub month: String,
    pub area_code: String,
    pub area_name: String,
    pub count: i64,
}

/// One line of the LSOA lookup: a lower layer super output area and the local
/// authority area it lies in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LsoaArea {
    pub lsoa_code: String,
    pub area_code: String,
    pub area_name: String,
}

fn month_ok(month: &str) -> bool {
    let b = month.as_bytes();
    b.len() == 7
        && b[4] == b'-'
        && b[..4].iter().chain(&b[5..]).all(u8::is_ascii_digit)
        && matches!(month[5..].parse::<u8>(), Ok(1..=12))
}

fn invalid(field: &str, problem: String) -> StoreError {
    StoreError::Fields(pcplan_domain::clock::FieldProblems(vec![pcplan_domain::clock::FieldProblem::new(
        field, problem,
    )]))
}

/// Refuses a batch that is not whole: a bad month, a force or area left empty, a
/// negative count, a month given twice. Nothing is written when one is found.
fn check_months(months: &[CrimeMonth]) -> Result<()> {
    let mut seen = std::collections::HashSet::new();
    for (index, m) in months.iter().enumerate() {
        if !month_ok(&m.month) {
            return Err(invalid("month", format!("month {} is `{}`; write it as YYYY-MM", index + 1, m.month)));
        }
        if m.force.trim().is_empty() {
            return Err(invalid(
                "force",
                format!("month {} has no force; the files' `Falls within` names it", m.month),
            ));
        }
        if !seen.insert((m.force.as_str(), m.month.as_str())) {
            return Err(invalid("month", format!("{} {} is given twice in one import", m.force, m.month)));
        }
        for c in &m.counts {
            if c.count < 0 {
                return Err(invalid("count", format!("{} {}: a count of {} is below zero", m.force, m.month, c.count)));
            }
            if c.area_code.trim().is_empty() && c.area_name.trim().is_empty() {
                return Err(invalid("area", format!("{} {}: a count has no area", m.force, m.month)));
            }
        }
    }
    Ok(())
}

impl Store {
    /// Stores months of crime data, each replacing the same force's month if stored
    /// before; all or nothing.
    pub async fn import_crime_months(
        &self,
        actor: &Actor,
        body: BodyId,
        months: &[CrimeMonth],
    ) -> Result<CrimeImportSummary> {
        check_months(months)?;
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let at = timestamp(now());
        let mut summary = CrimeImportSummary::default();
        let mut before = BTreeMap::new();
        let mut after = BTreeMap::new();
        for m in months {
            let key = format!("{} {}", m.force, m.month);
            let old: Option<(i64,)> = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT crimes FROM crime_months WHERE body_id = $1 AND force = $2 AND month = $3")
                .bind(body.to_string()).bind(&m.force).bind(&m.month).fetch_optional(&mut *c).await?);
            if let Some((crimes,)) = old {
                before.insert(key.clone(), crimes);
                summary.replaced.push(key.clone());
                for sql in [
                    "DELETE FROM crime_counts WHERE body_id = $1 AND force = $2 AND month = $3",
                    "DELETE FROM crime_months WHERE body_id = $1 AND force = $2 AND month = $3",
                ] {
                    on_tx!(&mut tx, c => sqlx::query(sql)
                        .bind(body.to_string()).bind(&m.force).bind(&m.month).execute(&mut *c).await?.rows_affected());
                }
            } else {
                summary.added.push(key.clone());
            }
            let counts = merge_counts(&m.counts);
            let crimes: i64 = counts.iter().map(|c| c.count).sum();
            insert_counts(&mut tx, body, m, &counts).await?;
            on_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO crime_months (body_id, force, month, crimes, data, imported_by, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(body.to_string()).bind(&m.force).bind(&m.month).bind(crimes)
                .bind(m.report.to_string()).bind(&actor.name).bind(&at)
                .execute(&mut *c).await?.rows_affected());
            summary.crimes += crimes;
            after.insert(key, crimes);
        }
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "import",
                entity: "crime_months",
                entity_id: body.to_string(),
                before: Some(serde_json::json!({ "months": before })),
                after: Some(serde_json::json!({ "months": after })),
            },
        )
        .await?;
        tx.commit().await?;
        Ok(summary)
    }

    /// The months stored for the body, by force then month.
    pub async fn crime_months(&self, body: BodyId) -> Result<Vec<CrimeMonthRecord>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, i64, String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT force, month, crimes, data, imported_by, imported_at FROM crime_months \
             WHERE body_id = $1 ORDER BY force, month")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        rows.into_iter()
            .map(|(force, month, crimes, data, imported_by, imported_at)| {
                Ok(CrimeMonthRecord {
                    report: serde_json::from_str(&data)
                        .map_err(|e| corrupt(format!("crime month {force} {month}"), e))?,
                    imported_at: parse_timestamp(&imported_at)?,
                    force,
                    month,
                    crimes,
                    imported_by,
                })
            })
            .collect()
    }

    /// Totals per month and area of the crimes `filter` counts, by month then area.
    pub async fn crime_totals(&self, body: BodyId, filter: &CrimeFilter) -> Result<Vec<CrimeTotal>> {
        let mut sql = String::from(
            "SELECT month, area_code, area_name, CAST(SUM(count) AS BIGINT) FROM crime_counts WHERE body_id = $1",
        );
        let mut binds: Vec<String> = vec![body.to_string()];
        let next = |value: &str, binds: &mut Vec<String>| {
            binds.push(value.to_string());
            format!("${}", binds.len())
        };
        if let Some(t) = &filter.crime_type {
            let p = next(t, &mut binds);
            sql.push_str(&format!(" AND crime_type = {p}"));
        }
        for t in &filter.exclude_types {
            let p = next(t, &mut binds);
            sql.push_str(&format!(" AND crime_type <> {p}"));
        }
        if let Some(a) = &filter.area_code {
            let p = next(a, &mut binds);
            sql.push_str(&format!(" AND area_code = {p}"));
        }
        if let Some(outcomes) = &filter.outcomes {
            if outcomes.is_empty() {
                sql.push_str(" AND 1 = 0");
            } else {
                let ps: Vec<String> = outcomes.iter().map(|o| next(o, &mut binds)).collect();
                sql.push_str(&format!(" AND outcome IN ({})", ps.join(", ")));
            }
        }
        sql.push_str(" GROUP BY month, area_code, area_name ORDER BY month, area_code, area_name");
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String, i64)> = on_tx!(&mut tx, c => {
            let mut q = sqlx::query_as(&sql);
            for b in &binds {
                q = q.bind(b);
            }
            q.fetch_all(&mut *c).await?
        });
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(month, area_code, area_name, count)| CrimeTotal { month, area_code, area_name, count })
            .collect())
    }

    /// The crime types and last outcomes stored for the body, each sorted.
    pub async fn crime_categories(&self, body: BodyId) -> Result<(Vec<String>, Vec<String>)> {
        let mut tx = self.db.begin_read().await?;
        let types: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT DISTINCT crime_type FROM crime_counts WHERE body_id = $1 ORDER BY crime_type")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        let outcomes: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT DISTINCT outcome FROM crime_counts WHERE body_id = $1 ORDER BY outcome")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        Ok((types.into_iter().map(|(t,)| t).collect(), outcomes.into_iter().map(|(o,)| o).collect()))
    }

    /// Replaces the body's LSOA lookup; an LSOA given twice is refused and nothing
    /// changes.
    pub async fn load_lsoa_areas(&self, actor: &Actor, body: BodyId, rows: &[LsoaArea]) -> Result<()> {
        let mut seen = std::collections::HashSet::new();
        for (index, row) in rows.iter().enumerate() {
            if row.lsoa_code.trim().is_empty() || row.area_code.trim().is_empty() {
                return Err(invalid("lookup", format!("row {} has no LSOA or area code", index + 1)));
            }
            if !seen.insert(row.lsoa_code.as_str()) {
                return Err(invalid("lookup", format!("LSOA `{}` is given twice", row.lsoa_code)));
            }
        }
        let mut tx = self.db.begin().await?;
        if plans::load_body(&mut tx, body).await?.is_none() {
            return Err(StoreError::NotFound { what: format!("body {body}") });
        }
        let (before,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT CAST(COUNT(*) AS BIGINT) FROM lsoa_areas WHERE body_id = $1")
            .bind(body.to_string()).fetch_one(&mut *c).await?);
        on_tx!(&mut tx, c => sqlx::query("DELETE FROM lsoa_areas WHERE body_id = $1")
            .bind(body.to_string()).execute(&mut *c).await?.rows_affected());
        for chunk in rows.chunks(CHUNK) {
            let mut sql = String::from("INSERT INTO lsoa_areas (body_id, lsoa_code, area_code, area_name) VALUES ");
            for i in 0..chunk.len() {
                let b = i * 4;
                if i > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&format!("(${}, ${}, ${}, ${})", b + 1, b + 2, b + 3, b + 4));
            }
            on_tx!(&mut tx, c => {
                let mut q = sqlx::query(&sql);
                for row in chunk {
                    q = q.bind(body.to_string()).bind(&row.lsoa_code).bind(&row.area_code).bind(&row.area_name);
                }
                q.execute(&mut *c).await?.rows_affected()
            });
        }
        let areas: BTreeMap<&str, &str> = rows.iter().map(|r| (r.area_code.as_str(), r.area_name.as_str())).collect();
        audit::append(
            &mut tx,
            actor,
            Change {
                action: "replace",
                entity: "lsoa_areas",
                entity_id: body.to_string(),
                before: Some(serde_json::json!({ "lsoas": before })),
                after: Some(serde_json::json!({ "lsoas": rows.len(), "areas": areas })),
            },
        )
        .await?;
        tx.commit().await
    }

    /// The body's LSOA lookup, by LSOA code.
    pub async fn lsoa_areas(&self, body: BodyId) -> Result<Vec<LsoaArea>> {
        let mut tx = self.db.begin_read().await?;
        let rows: Vec<(String, String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
            "SELECT lsoa_code, area_code, area_name FROM lsoa_areas WHERE body_id = $1 ORDER BY lsoa_code")
            .bind(body.to_string()).fetch_all(&mut *c).await?);
        tx.commit().await?;
        Ok(rows
            .into_iter()
            .map(|(lsoa_code, area_code, area_name)| LsoaArea { lsoa_code, area_code, area_name })
            .collect())
    }
}

/// Counts with the same key added together, so the primary key holds whatever order
/// or repetition the caller sent.
fn merge_counts(counts: &[CrimeCount]) -> Vec<CrimeCount> {
    let mut merged: BTreeMap<(&str, &str, &str), (&str, i64)> = BTreeMap::new();
    for c in counts {
        let entry = merged.entry((&c.area_code, &c.crime_type, &c.outcome)).or_insert((&c.area_name, 0));
        entry.1 += c.count;
    }
    merged
        .into_iter()
        .map(|((area_code, crime_type, outcome), (area_name, count))| CrimeCount {
            area_code: area_code.to_string(),
            area_name: area_name.to_string(),
            crime_type: crime_type.to_string(),
            outcome: outcome.to_string(),
            count,
        })
        .collect()
}

async fn insert_counts(tx: &mut Tx, body: BodyId, month: &CrimeMonth, counts: &[CrimeCount]) -> Result<()> {
    for chunk in counts.chunks(CHUNK) {
        let mut sql = String::from(
            "INSERT INTO crime_counts (body_id, force, month, area_code, area_name, crime_type, outcome, count) VALUES ",
        );
        for i in 0..chunk.len() {
            let b = i * 8;
            if i > 0 {
                sql.push_str(", ");
            }
            sql.push('(');
            sql.push_str(&(1..=8).map(|k| format!("${}", b + k)).collect::<Vec<_>>().join(", "));
            sql.push(')');
        }
        on_tx!(&mut *tx, c => {
            let mut q = sqlx::query(&sql);
            for row in chunk {
                q = q
                    .bind(body.to_string())
                    .bind(&month.force)
                    .bind(&month.month)
                    .bind(&row.area_code)
                    .bind(&row.area_name)
                    .bind(&row.crime_type)
                    .bind(&row.outcome)
                    .bind(row.count);
            }
            q.execute(&mut *c).await?.rows_affected()
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_checked_as_year_and_month() {
        assert!(month_ok("2022-03"));
        assert!(!month_ok("2022-13"));
        assert!(!month_ok("2022-3"));
        assert!(!month_ok("22-03-01"));
    }

    #[test]
    fn counts_with_one_key_are_added_together() {
        let count = |area: &str, n: i64| CrimeCount {
            area_code: area.to_string(),
            area_name: String::from("Leicester"),
            crime_type: String::from("Burglary"),
            outcome: String::from("Under investigation"),
            count: n,
        };
        let merged = merge_counts(&[count("E06000016", 2), count("E06000017", 1), count("E06000016", 3)]);
        assert_eq!(merged.iter().map(|c| c.count).collect::<Vec<_>>(), vec![5, 1]);
    }
}
