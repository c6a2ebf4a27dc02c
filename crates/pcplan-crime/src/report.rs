//! What an aggregation returns: the counts, and a report of every file, bad row, LSOA
//! code missing from the lookup and outcomes join, for the person who ran it and for the
//! store that keeps it.
//!
//! These are plain values that serialise to the JSON of `pcplan crime aggregate
//! --format json`; nothing here reads a file.

use serde::Serialize;

use crate::source::Input;

/// The outcome given to a crime whose `Last outcome category` is empty (anti-social
/// behaviour has none) and that no outcomes file names.
pub const NO_OUTCOME: &str = "No outcome recorded";

/// Bad rows kept per file; the rest are counted in `malformed_total`.
pub const BAD_ROWS_KEPT: usize = 1000;

/// One count: crimes of one type with one last outcome, in one area, month and force.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Row {
    /// `YYYY-MM`, the month the crime was recorded.
    pub month: String,
    /// The force whose file held the crimes (`Falls within`).
    pub force: String,
    /// The ONS code of the area, when it came from a lookup.
    pub area_code: Option<String>,
    pub area: String,
    pub crime_type: String,
    pub outcome: String,
    pub count: u64,
}

/// The crimes read for one force and month: what a store replaces on re-import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Coverage {
    pub force: String,
    pub month: String,
    pub crimes: u64,
}

/// What a file was taken to be, from its header.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileKind {
    Street,
    Outcomes,
    StopAndSearch,
    Unknown,
}

/// A row that was not counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BadRow {
    /// The physical line (1-based, the header is line 1) on which the row starts.
    pub line: u64,
    pub reason: String,
}

/// What happened to one file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FileReport {
    /// The path, or `archive.zip:entry` for a file inside an archive.
    pub path: String,
    pub kind: FileKind,
    /// The months of its good rows (for an outcomes file, the months of the outcomes).
    pub months: Vec<String>,
    /// The forces of its good rows (`Falls within`).
    pub forces: Vec<String>,
    /// Good rows read.
    pub rows: u64,
    /// The first [`BAD_ROWS_KEPT`] bad rows, in file order.
    pub malformed: Vec<BadRow>,
    /// All bad rows.
    pub malformed_total: u64,
    /// Why the file was not read at all, when it was not.
    pub skipped: Option<String>,
}

/// An LSOA code the lookup did not hold, and how many crimes it had.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnmatchedLsoa {
    pub code: String,
    /// The LSOA name in the crime files, whose prefix gave the area.
    pub name: String,
    pub crimes: u64,
}

/// How the outcomes files changed the last outcomes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct OutcomesJoin {
    /// Good rows of the outcomes files.
    pub outcome_rows: u64,
    /// Distinct crimes with at least one outcome.
    pub crimes_with_outcomes: u64,
    /// Street rows whose crime had an outcome in the outcomes files.
    pub street_rows_matched: u64,
    /// Of those, rows whose last outcome differs from the street file's.
    pub street_outcomes_changed: u64,
    /// Crimes in the outcomes files that no street row read here holds (typically
    /// crimes of months not given).
    pub crimes_not_in_street_files: u64,
}

/// Which rule placed crimes in areas.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "rule", rename_all = "kebab-case")]
pub enum AreaRule {
    /// The ONS lookup, then the LSOA name's prefix for codes it does not hold.
    Lookup { source: String, columns: String, lsoas: usize },
    /// The LSOA name's prefix: no lookup was loaded.
    NamePrefix,
}

/// The counts and everything that was read, skipped or doubtful on the way.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Aggregate {
    /// Sorted by month, area, crime type, outcome, then force.
    pub rows: Vec<Row>,
    /// Crimes per force and month, sorted.
    pub coverage: Vec<Coverage>,
    /// Every input, sorted by path.
    pub files: Vec<FileReport>,
    pub area_rule: AreaRule,
    /// LSOA codes missing from the lookup (empty without one), sorted by code.
    pub unmatched_lsoas: Vec<UnmatchedLsoa>,
    /// Present when outcomes files were used.
    pub outcomes: Option<OutcomesJoin>,
    /// Files left out before reading, and similar remarks.
    pub notes: Vec<String>,
}

impl Aggregate {
    /// All crimes counted.
    pub fn crimes(&self) -> u64 {
        self.rows.iter().map(|r| r.count).sum()
    }

    /// All bad rows, over every file.
    pub fn malformed(&self) -> u64 {
        self.files.iter().map(|f| f.malformed_total).sum()
    }

    /// The street files that were read (not skipped).
    pub fn street_files_read(&self) -> usize {
        self.files.iter().filter(|f| f.kind == FileKind::Street && f.skipped.is_none()).count()
    }
}

impl FileReport {
    pub(crate) fn new(input: &Input, kind: FileKind) -> FileReport {
        FileReport {
            path: input.name(),
            kind,
            months: Vec::new(),
            forces: Vec::new(),
            rows: 0,
            malformed: Vec::new(),
            malformed_total: 0,
            skipped: None,
        }
    }

    pub(crate) fn skipped(input: &Input, kind: FileKind, why: String) -> FileReport {
        FileReport { skipped: Some(why), ..FileReport::new(input, kind) }
    }

    pub(crate) fn bad(&mut self, line: u64, reason: String) {
        self.malformed_total += 1;
        if self.malformed.len() < BAD_ROWS_KEPT {
            self.malformed.push(BadRow { line, reason });
        }
    }
}
