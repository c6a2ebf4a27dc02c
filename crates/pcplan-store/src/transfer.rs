//! Every record of a database as one file, and that file loaded into another database of
//! either kind: how a body outgrows the embedded SQLite default for PostgreSQL (or moves
//! back), and a backup that any pcplan of the same schema can read.
//!
//! # The file
//!
//! JSON Lines, UTF-8. The first line names the format, its version, the schema version
//! (the last migration applied), where it came from and when. Then, for each table in
//! [`TABLES`] order, a line `{"table": ..., "columns": [...], "rows": n}` followed by `n`
//! lines, each one row as an array in the order of `columns`: `null`, an integer, a
//! number with a fraction, a string, or `{"hex": "..."}` for bytes (papers' files). The
//! last line, `{"end": true, "tables": t, "rows": r}`, proves the file was not cut short.
//! Columns are sorted by name and rows by their values (text by bytes), so the same
//! records give the same file from either database: a round trip can be compared byte
//! for byte.
//!
//! # What is carried
//!
//! Every table of records, the audit log and its head included, so the chain verifies in
//! the new database exactly as in the old. Not carried: sessions and sign-in failures
//! (they belong to one server; everyone signs in again), and the search index, which each
//! database builds in its own way (FTS5, `tsvector`) and which the import rebuilds.
//!
//! # Loading
//!
//! Only into an empty database (no record in any carried table), at the same schema
//! version, in one transaction: a file that is cut short, names an unknown column or
//! holds a value of the wrong type stops the import with an error naming the line, and
//! nothing is written. The import itself is the last entry of the audit chain.

use std::collections::BTreeMap;
use std::io::{BufRead, Write};

use serde_json::value::RawValue;
use serde_json::{Value as Json, json};
use sqlx::{Column, Row, TypeInfo, ValueRef};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, on_pool, on_tx, timestamp};
use crate::error::{Result, StoreError};

/// The first line's `format`.
pub const FORMAT: &str = "pcplan-records";

/// The version of the file layout described above.
pub const VERSION: i64 = 1;

/// Every table carried, each after the tables it references (the migrations' order, but
/// for a reference a later migration added).
pub const TABLES: &[&str] = &[
    "bodies",
    "plans",
    "plan_items",
    "plan_versions",
    "users",
    "audit_head",
    "audit_log",
    // Before meetings: migration 0007 gave meetings a reference to their board.
    "boards",
    "board_members",
    "meetings",
    "processes",
    "body_settings",
    "holiday_overrides",
    "obligations",
    "owners",
    "reminders",
    "feed_tokens",
    "decisions",
    "decision_settings",
    "panel_reports",
    "papers",
    "exercises",
    "questions",
    "consultation_events",
    "response_imports",
    "responses",
    "answers",
    "theme_sets",
    "themes",
    "theme_assignments",
    "theme_outcomes",
    "published_quotes",
    "area_populations",
    "observations",
    "measure_feeds",
    "crime_months",
    "crime_counts",
    "lsoa_areas",
    "grade_scales",
    "grades",
    "status_updates",
    "annual_reports",
    "peers",
    "publications",
];

/// Rows written in a state the schema's triggers allow and changed once every table is in:
/// a final theme set refuses new themes and assignments (migration 0008), so each is
/// written as a draft and made final at the end. (table, column, value in the file,
/// value written first.)
const WRITTEN_LATER: &[(&str, &str, &str, &str)] = &[("theme_sets", "state", "final", "draft")];

/// Tables left behind on purpose, with why (see the module's documentation).
pub const NOT_CARRIED: &[&str] = &["sessions", "sign_in_failures", "search_documents", "search_state"];

/// One stored value, whichever database it came from.
#[derive(Clone, Debug, PartialEq)]
enum Value {
    Null,
    Int(i64),
    Real(f64),
    Text(String),
    Bytes(Vec<u8>),
}

impl Value {
    fn to_json(&self, table: &str, column: &str) -> Result<Json> {
        Ok(match self {
            Value::Null => Json::Null,
            Value::Int(n) => json!(n),
            Value::Real(x) => serde_json::Number::from_f64(*x).map(Json::Number).ok_or_else(|| {
                StoreError::Transfer(format!("{table}.{column} holds {x}, which a file of records cannot carry"))
            })?,
            Value::Text(s) => Json::String(s.clone()),
            Value::Bytes(b) => json!({ "hex": hex::encode(b) }),
        })
    }

    /// A key that orders rows the same way on every database.
    fn sort_key(&self) -> (u8, i64, f64, &[u8]) {
        match self {
            Value::Null => (0, 0, 0.0, &[]),
            Value::Int(n) => (1, *n, 0.0, &[]),
            Value::Real(x) => (2, 0, *x, &[]),
            Value::Text(s) => (3, 0, 0.0, s.as_bytes()),
            Value::Bytes(b) => (4, 0, 0.0, b),
        }
    }
}

/// The kind of value a column of the target database takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Bytes,
}

impl Kind {
    /// From a type name as either driver reports it (`INTEGER`, `INT8`, `DOUBLE
    /// PRECISION`, `FLOAT8`, `TEXT`, `BLOB`, `BYTEA`...).
    fn of(name: &str) -> Option<Kind> {
        let name = name.to_ascii_uppercase();
        if name.contains("INT") {
            Some(Kind::Int)
        } else if name.contains("DOUBLE") || name.contains("FLOAT") || name == "REAL" || name == "NUMERIC" {
            Some(Kind::Real)
        } else if name.contains("TEXT") || name.contains("CHAR") {
            Some(Kind::Text)
        } else if name == "BLOB" || name == "BYTEA" {
            Some(Kind::Bytes)
        } else {
            None
        }
    }
}

/// A table as read: column names (sorted) and rows (sorted).
struct TableRows {
    columns: Vec<String>,
    rows: Vec<Vec<Value>>,
}

/// What an export or import moved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TransferReport {
    /// Rows per table, in [`TABLES`] order.
    pub tables: Vec<(String, u64)>,
    pub rows: u64,
}

/// The last migration applied to the database.
async fn schema_version(db: &Db) -> Result<i64> {
    let (version,): (Option<i64>,) =
        on_pool!(db, p => sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations").fetch_one(p).await?);
    Ok(version.unwrap_or(0))
}

/// Reads one table whole, in one read transaction shared by the caller.
async fn read_table(tx: &mut Tx, table: &str) -> Result<TableRows> {
    let sql = format!("SELECT * FROM {table}");
    let mut read: Vec<(Vec<String>, Vec<Value>)> = Vec::new();
    match tx {
        Tx::Sqlite(t) => {
            for row in sqlx::query(&sql).fetch_all(&mut **t).await? {
                let mut names = Vec::new();
                let mut values = Vec::new();
                for (i, column) in row.columns().iter().enumerate() {
                    names.push(column.name().to_string());
                    let raw = row.try_get_raw(i)?;
                    let value = if raw.is_null() {
                        Value::Null
                    } else {
                        match raw.type_info().name() {
                            "INTEGER" => Value::Int(row.try_get(i)?),
                            "REAL" => Value::Real(row.try_get(i)?),
                            "TEXT" => Value::Text(row.try_get(i)?),
                            "BLOB" => Value::Bytes(row.try_get(i)?),
                            other => return Err(unreadable(table, column.name(), other)),
                        }
                    };
                    values.push(value);
                }
                read.push((names, values));
            }
        }
        Tx::Postgres(t) => {
            for row in sqlx::query(&sql).fetch_all(&mut **t).await? {
                let mut names = Vec::new();
                let mut values = Vec::new();
                for (i, column) in row.columns().iter().enumerate() {
                    names.push(column.name().to_string());
                    let type_name = column.type_info().name().to_string();
                    let value = match Kind::of(&type_name) {
                        Some(Kind::Int) => match type_name.as_str() {
                            "INT2" => row.try_get::<Option<i16>, _>(i)?.map(|n| Value::Int(i64::from(n))),
                            "INT4" => row.try_get::<Option<i32>, _>(i)?.map(|n| Value::Int(i64::from(n))),
                            _ => row.try_get::<Option<i64>, _>(i)?.map(Value::Int),
                        },
                        Some(Kind::Real) => row.try_get::<Option<f64>, _>(i)?.map(Value::Real),
                        Some(Kind::Text) => row.try_get::<Option<String>, _>(i)?.map(Value::Text),
                        Some(Kind::Bytes) => row.try_get::<Option<Vec<u8>>, _>(i)?.map(Value::Bytes),
                        None => return Err(unreadable(table, column.name(), &type_name)),
                    };
                    values.push(value.unwrap_or(Value::Null));
                }
                read.push((names, values));
            }
        }
    }
    let Some((names, _)) = read.first() else {
        return Ok(TableRows {
            columns: table_columns(tx, table).await?.into_iter().map(|(n, _)| n).collect(),
            rows: Vec::new(),
        });
    };
    // Columns by name, so a column added later in one migration order matches the other.
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by(|a, b| names[*a].cmp(&names[*b]));
    let columns = order.iter().map(|i| names[*i].clone()).collect();
    let mut rows: Vec<Vec<Value>> =
        read.into_iter().map(|(_, values)| order.iter().map(|i| values[*i].clone()).collect()).collect();
    rows.sort_by(|a, b| {
        let ka = a.iter().map(Value::sort_key);
        let kb = b.iter().map(Value::sort_key);
        ka.partial_cmp(kb).unwrap_or(std::cmp::Ordering::Equal)
    });
    Ok(TableRows { columns, rows })
}

fn unreadable(table: &str, column: &str, type_name: &str) -> StoreError {
    StoreError::Transfer(format!("{table}.{column} is of type {type_name}, which a file of records does not carry"))
}

/// The target's columns of a table, sorted by name, with the kind each takes.
async fn table_columns(tx: &mut Tx, table: &str) -> Result<Vec<(String, Kind)>> {
    let pairs: Vec<(String, String)> = match tx {
        Tx::Sqlite(t) => {
            sqlx::query_as("SELECT name, type FROM pragma_table_info($1)").bind(table).fetch_all(&mut **t).await?
        }
        Tx::Postgres(t) => {
            sqlx::query_as(
                "SELECT CAST(column_name AS TEXT), CAST(data_type AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind(table)
            .fetch_all(&mut **t)
            .await?
        }
    };
    let mut columns = Vec::new();
    for (name, type_name) in pairs {
        let kind = Kind::of(&type_name).ok_or_else(|| unreadable(table, &name, &type_name))?;
        columns.push((name, kind));
    }
    if columns.is_empty() {
        return Err(StoreError::Transfer(format!("this database has no table `{table}`")));
    }
    columns.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(columns)
}

/// Writes every carried record to `out` as described in the module's documentation, from
/// one consistent snapshot.
pub(crate) async fn export(db: &Db, out: &mut (dyn Write + Send)) -> Result<TransferReport> {
    let schema = schema_version(db).await?;
    let from = match db {
        Db::Sqlite(_) => "sqlite",
        Db::Postgres(_) => "postgres",
    };
    let mut tx = db.begin_read().await?;
    let write = |out: &mut (dyn Write + Send), line: &Json| -> Result<()> {
        serde_json::to_writer(&mut *out, line).map_err(|e| StoreError::Transfer(format!("writing the file: {e}")))?;
        out.write_all(b"\n").map_err(|e| StoreError::Transfer(format!("writing the file: {e}")))
    };
    write(
        out,
        &json!({ "format": FORMAT, "version": VERSION, "schema": schema, "from": from,
                 "exported_at": timestamp(chrono::Utc::now()) }),
    )?;
    let mut report = TransferReport { tables: Vec::new(), rows: 0 };
    for table in TABLES {
        let read = read_table(&mut tx, table).await?;
        write(out, &json!({ "table": table, "columns": read.columns, "rows": read.rows.len() }))?;
        for row in &read.rows {
            let values = row.iter().zip(&read.columns).map(|(v, c)| v.to_json(table, c)).collect::<Result<Vec<_>>>()?;
            write(out, &Json::Array(values))?;
        }
        report.tables.push((table.to_string(), read.rows.len() as u64));
        report.rows += read.rows.len() as u64;
    }
    write(out, &json!({ "end": true, "tables": TABLES.len(), "rows": report.rows }))?;
    out.flush().map_err(|e| StoreError::Transfer(format!("writing the file: {e}")))?;
    tx.commit().await?;
    Ok(report)
}

/// Reads the file's lines one at a time, counting them for errors.
struct Lines<'a> {
    input: &'a mut (dyn BufRead + Send),
    number: usize,
}

impl Lines<'_> {
    fn next(&mut self, expecting: &str) -> Result<Json> {
        let line = self.next_text(expecting)?;
        serde_json::from_str(&line)
            .map_err(|e| StoreError::Transfer(format!("line {}: not JSON ({e}); expected {expecting}", self.number)))
    }

    /// The next line as text.
    fn next_text(&mut self, expecting: &str) -> Result<String> {
        let mut line = String::new();
        let read = self
            .input
            .read_line(&mut line)
            .map_err(|e| StoreError::Transfer(format!("line {}: reading the file: {e}", self.number + 1)))?;
        self.number += 1;
        if read == 0 {
            return Err(StoreError::Transfer(format!(
                "the file ends at line {} where {expecting} was expected: it was cut short; export it again",
                self.number - 1
            )));
        }
        Ok(line)
    }

    fn error(&self, message: impl std::fmt::Display) -> StoreError {
        StoreError::Transfer(format!("line {}: {message}", self.number))
    }
}

/// The value of one cell for a column of `kind`, or why it cannot be. A number for a
/// column of reals is read from its text: parsed as JSON it could come back one unit in
/// the last place off, and a round trip would not be exact.
fn cell(raw: &RawValue, kind: Kind) -> std::result::Result<Value, String> {
    let text = raw.get().trim();
    if kind == Kind::Real && text.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return text.parse::<f64>().map(Value::Real).map_err(|e| format!("{text} is not a number: {e}"));
    }
    let value: Json = serde_json::from_str(text).map_err(|e| format!("{text} is not JSON: {e}"))?;
    Ok(match (&value, kind) {
        (Json::Null, _) => Value::Null,
        (Json::Number(n), Kind::Int) => Value::Int(n.as_i64().ok_or_else(|| format!("{n} is not a whole number"))?),
        (Json::String(s), Kind::Text) => Value::Text(s.clone()),
        (Json::Object(o), Kind::Bytes) => {
            let text = o.get("hex").and_then(Json::as_str).ok_or("bytes must be written {\"hex\": \"...\"}")?;
            Value::Bytes(hex::decode(text).map_err(|e| format!("the hex of the bytes is not valid: {e}"))?)
        }
        (other, kind) => return Err(format!("{other} cannot go in a column of {kind:?}")),
    })
}

/// Loads a file of records into this empty database, in one transaction, attributing the
/// import to `actor`.
pub(crate) async fn import(db: &Db, actor: &Actor, input: &mut (dyn BufRead + Send)) -> Result<TransferReport> {
    let mut lines = Lines { input, number: 0 };
    let header = lines.next("the header line")?;
    if header.get("format").and_then(Json::as_str) != Some(FORMAT) {
        return Err(lines.error(format!("this is not a file of pcplan records (no \"format\": \"{FORMAT}\")")));
    }
    let version = header.get("version").and_then(Json::as_i64).unwrap_or(0);
    if version != VERSION {
        return Err(lines.error(format!("the file's layout is version {version}; this pcplan reads version {VERSION}")));
    }
    let schema = schema_version(db).await?;
    let theirs = header.get("schema").and_then(Json::as_i64).unwrap_or(0);
    if theirs != schema {
        return Err(lines.error(format!(
            "the records are of schema {theirs} and this database is at schema {schema}: export and import \
             with the same version of pcplan (upgrade the old one first)"
        )));
    }

    let mut tx = db.begin().await?;
    // Only into an empty database: the audit head of a new one is its genesis row.
    let mut held = Vec::new();
    for table in TABLES {
        let sql = if *table == "audit_head" {
            String::from("SELECT COUNT(*) FROM audit_head WHERE seq <> 0")
        } else {
            format!("SELECT COUNT(*) FROM {table}")
        };
        let (n,): (i64,) = on_tx!(&mut tx, c => sqlx::query_as(&sql).fetch_one(&mut *c).await?);
        if n > 0 {
            held.push(format!("{n} in {table}"));
        }
    }
    if !held.is_empty() {
        return Err(StoreError::Transfer(format!(
            "this database already holds records ({}); import only into a new, empty database",
            held.join(", ")
        )));
    }
    on_tx!(&mut tx, c => sqlx::query("DELETE FROM audit_head").execute(&mut *c).await?.rows_affected());

    let mut report = TransferReport { tables: Vec::new(), rows: 0 };
    // (table, column, value, row id) to set once every table is in.
    let mut later: Vec<(&str, &str, &str, Value)> = Vec::new();
    for table in TABLES {
        let head = lines.next(&format!("the table line of `{table}`"))?;
        if head.get("table").and_then(Json::as_str) != Some(*table) {
            return Err(lines.error(format!("expected the table `{table}` next (tables come in a fixed order)")));
        }
        let named: Vec<String> = head
            .get("columns")
            .and_then(Json::as_array)
            .map(|a| a.iter().filter_map(|c| c.as_str().map(String::from)).collect())
            .ok_or_else(|| lines.error("the table line has no \"columns\""))?;
        let count =
            head.get("rows").and_then(Json::as_u64).ok_or_else(|| lines.error("the table line has no \"rows\""))?;
        let target: BTreeMap<String, Kind> = table_columns(&mut tx, table).await?.into_iter().collect();
        let mut kinds = Vec::new();
        for name in &named {
            let kind = target
                .get(name)
                .copied()
                .ok_or_else(|| lines.error(format!("`{table}` has no column `{name}` in this database's schema")))?;
            kinds.push(kind);
        }
        let placeholders: Vec<String> = (1..=named.len()).map(|i| format!("${i}")).collect();
        let sql = format!("INSERT INTO {table} ({}) VALUES ({})", named.join(", "), placeholders.join(", "));
        for _ in 0..count {
            let row = lines.next_text(&format!("a row of `{table}`"))?;
            let cells: Vec<&RawValue> = serde_json::from_str(&row)
                .map_err(|e| lines.error(format!("a row of `{table}` must be an array of values ({e})")))?;
            if cells.len() != named.len() {
                return Err(lines.error(format!(
                    "a row of `{table}` has {} values for {} columns",
                    cells.len(),
                    named.len()
                )));
            }
            let mut values = Vec::with_capacity(cells.len());
            for ((raw, kind), name) in cells.iter().zip(&kinds).zip(&named) {
                values.push(cell(raw, *kind).map_err(|e| lines.error(format!("{table}.{name}: {e}")))?);
            }
            for (t, column, final_value, first_value) in WRITTEN_LATER {
                let (Some(at), Some(id_at)) =
                    (named.iter().position(|n| n == column), named.iter().position(|n| n == "id"))
                else {
                    continue;
                };
                if t == table && values[at] == Value::Text(final_value.to_string()) {
                    values[at] = Value::Text(first_value.to_string());
                    later.push((t, column, final_value, values[id_at].clone()));
                }
            }
            insert(&mut tx, &sql, &values, &kinds).await.map_err(|e| lines.error(format!("`{table}`: {e}")))?;
        }
        report.tables.push((table.to_string(), count));
        report.rows += count;
    }
    let end = lines.next("the end line")?;
    if end.get("end").and_then(Json::as_bool) != Some(true)
        || end.get("rows").and_then(Json::as_u64) != Some(report.rows)
    {
        return Err(lines.error(format!("the end line does not confirm {} rows; the file is damaged", report.rows)));
    }
    for (table, column, value, id) in later {
        let sql = format!("UPDATE {table} SET {column} = $1 WHERE id = $2");
        insert(&mut tx, &sql, &[Value::Text(value.to_string()), id], &[Kind::Text, Kind::Text])
            .await
            .map_err(|e| StoreError::Transfer(format!("`{table}`: setting {column} to {value}: {e}")))?;
    }
    crate::search::rebuild(&mut tx).await?;
    let change = Change {
        action: "import_records",
        entity: "database",
        entity_id: String::from("all"),
        before: None,
        after: Some(json!({
            "from": header.get("from"),
            "exported_at": header.get("exported_at"),
            "rows": report.rows,
        })),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await?;
    Ok(report)
}

/// One statement with its values, each bound as its column's kind (a null as that kind's
/// null): a row's insert, or an update.
async fn insert(tx: &mut Tx, sql: &str, values: &[Value], kinds: &[Kind]) -> std::result::Result<(), sqlx::Error> {
    on_tx!(tx, c => {
        let mut query = sqlx::query(sql);
        for (value, kind) in values.iter().zip(kinds) {
            query = match (value, kind) {
                (Value::Null, Kind::Int) => query.bind(None::<i64>),
                (Value::Null, Kind::Real) => query.bind(None::<f64>),
                (Value::Null, Kind::Text) => query.bind(None::<String>),
                (Value::Null, Kind::Bytes) => query.bind(None::<Vec<u8>>),
                (Value::Int(n), _) => query.bind(*n),
                (Value::Real(x), _) => query.bind(*x),
                (Value::Text(s), _) => query.bind(s.clone()),
                (Value::Bytes(b), _) => query.bind(b.clone()),
            };
        }
        query.execute(&mut *c).await?;
    });
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn type_names_of_both_drivers_map_to_the_four_kinds() {
        for (name, kind) in [
            ("INTEGER", Kind::Int),
            ("INT8", Kind::Int),
            ("bigint", Kind::Int),
            ("DOUBLE PRECISION", Kind::Real),
            ("FLOAT8", Kind::Real),
            ("REAL", Kind::Real),
            ("TEXT", Kind::Text),
            ("character varying", Kind::Text),
            ("BLOB", Kind::Bytes),
            ("bytea", Kind::Bytes),
        ] {
            assert_eq!(Kind::of(name), Some(kind), "{name}");
        }
        assert_eq!(Kind::of("tsvector"), None);
    }

    fn raw(text: &str) -> &RawValue {
        serde_json::from_str(text).expect("JSON")
    }

    #[test]
    fn a_cell_takes_only_its_columns_kind() {
        assert_eq!(cell(raw("3"), Kind::Int), Ok(Value::Int(3)));
        assert_eq!(cell(raw("2.5"), Kind::Real), Ok(Value::Real(2.5)));
        assert_eq!(cell(raw("2"), Kind::Real), Ok(Value::Real(2.0)));
        assert_eq!(cell(raw(r#"{"hex": "00ff"}"#), Kind::Bytes), Ok(Value::Bytes(vec![0, 255])));
        assert_eq!(cell(raw("null"), Kind::Text), Ok(Value::Null));
        assert_eq!(cell(raw("null"), Kind::Real), Ok(Value::Null));
        assert!(cell(raw("2.5"), Kind::Int).is_err());
        assert!(cell(raw(r#""3""#), Kind::Int).is_err());
        assert!(cell(raw(r#"{"hex": "zz"}"#), Kind::Bytes).is_err());
    }

    #[test]
    fn every_float_written_reads_back_to_the_same_bits() {
        // Values that serde_json's own fast float parsing returns one unit off.
        for x in [3.9324426518779934, 0.1 + 0.2, 1e-300, 123456789.12345678, f64::MAX, f64::MIN_POSITIVE] {
            let text = Value::Real(x).to_json("t", "c").expect("finite").to_string();
            assert_eq!(cell(raw(&text), Kind::Real), Ok(Value::Real(x)), "{text}");
        }
    }
}
