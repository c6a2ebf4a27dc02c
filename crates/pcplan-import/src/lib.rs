//! Reading response exports from other tools (CSV and XLSX) into rows, and mapping
//! their columns to the fields an import needs, with bad rows reported by line.
//!
//! The flow, each step a pure function over bytes already in memory:
//!
//! 1. [`sniff`] says whether the bytes are CSV or XLSX (or why neither: `.xls`, `.ods`,
//!    a PDF, binary data).
//! 2. [`read`] turns them into a [`Table`]: text decoded ([`decode`]: UTF-8 with or without
//!    a byte order mark, UTF-16 with a mark, else Windows-1252), the delimiter chosen,
//!    quoted cells over several lines kept whole, the header row found (or given in
//!    [`ReadOptions`]), blank lines skipped, every row with its 1-based line number. It
//!    reports [`Progress`] to a callback so a caller can draw a bar.
//! 3. [`suggest_mapping`] proposes a column for each [`Target`] field; a person confirms
//!    or changes the [`Mapping`].
//! 4. [`apply`] checks the mapping ([`MappingError`]) and every row, giving
//!    [`Mapped`]: good rows with a fingerprint for idempotent re-import, and bad rows
//!    with their line and reason. Keeping only the good rows is an explicit call.
//!
//! ```
//! use pcplan_import::{Limits, ReadOptions, Target, apply, read, suggest_mapping};
//!
//! const TARGETS: &[Target] = &[
//!     Target { key: "id", label: "Respondent ID", required: false, free_text: false, synonyms: &["id"] },
//!     Target { key: "response", label: "Response", required: true, free_text: true, synonyms: &["answer"] },
//! ];
//! let csv = "Respondent ID,Answer\n1,\"More patrols,\nplease\"\n2,\n";
//! let table = read("answers.csv", csv.as_bytes(), &ReadOptions::default(), &mut |_| {})?;
//! let mapping = suggest_mapping(&table, TARGETS);
//! let mapped = apply(&table, &mapping, TARGETS, &Limits::default())?;
//! assert_eq!(mapped.good[0].values["response"], "More patrols,\nplease");
//! assert_eq!(mapped.bad[0].to_string(), "line 4: column `Answer` is empty, and it is required");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! This crate does no I/O beyond the bytes it is given, has no database, no async and
//! no HTTP: storing rows, skipping fingerprints already stored and showing the mapping
//! form belong to its callers. See `docs/import.md`.

mod delimited;
mod encoding;
mod error;
pub mod export;
mod mapping;
mod sniff;
mod table;
mod xlsx;

pub use encoding::{Encoding, decode};
pub use error::{ImportError, MappingError};
pub use mapping::{BadRow, Limits, Mapped, MappedRow, Mapping, Target, apply, check_mapping, suggest_mapping};
pub use sniff::{Format, sniff};
pub use table::{Progress, ProgressUnit, ReadOptions, Row, Table};

/// Reads a CSV or XLSX file (by its bytes; the name only helps recognise formats) into
/// a table. `progress` is called a few times during the read, never going backwards,
/// and last with `done == total`.
pub fn read(
    file_name: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Table, ImportError> {
    let records = match sniff(file_name, bytes)? {
        Format::Csv => delimited::read(file_name, bytes, options, progress)?,
        Format::Xlsx => xlsx::read(file_name, bytes, options, progress)?,
    };
    table::build(file_name, records, options)
}
