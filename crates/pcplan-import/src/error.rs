//! The errors of reading a file and of checking a column mapping.
//!
//! Each variant carries what failed (the file, the line, the sheet, the field) so the
//! message can say where to look and what to do. Problems with single rows are not
//! errors: they are [`crate::BadRow`]s, so one bad line never stops a whole import.

use thiserror::Error;

/// Why a file could not be read as a table at all.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ImportError {
    #[error("`{file}` is empty; export the responses again and check the file has rows")]
    Empty { file: String },

    #[error("`{file}` looks like {what}, not a CSV or XLSX file; save or export it as CSV (UTF-8) or XLSX")]
    NotTabular { file: String, what: String },

    #[error(
        "`{file}` is {what}, which cannot be read here; open it in its spreadsheet program and save it as CSV (UTF-8) or XLSX"
    )]
    UnsupportedSpreadsheet { file: String, what: String },

    #[error(
        "`{file}` could not be opened as an XLSX workbook ({reason}); open it in Excel or LibreOffice and save it again as XLSX, or as CSV"
    )]
    Workbook { file: String, reason: String },

    #[error("`{file}`, sheet `{sheet}`: {reason}")]
    SheetTooLarge { file: String, sheet: String, reason: String },

    #[error("`{file}` has no sheets; add the responses to a sheet and save it again")]
    NoSheets { file: String },

    #[error("`{file}` has no sheet named `{sheet}`; its sheets are {}", list(.available))]
    SheetNotFound { file: String, sheet: String, available: Vec<String> },

    #[error("`{file}` line {line}: {reason}; check the file is a CSV export")]
    Csv { file: String, line: usize, reason: String },

    #[error(
        "no header row found in `{file}`: no row has mostly distinct text cells above the data; say which line holds the column names"
    )]
    NoHeader { file: String },

    #[error("`{file}` has no row on line {line} to use as the header; it has {last} lines")]
    HeaderRowMissing { file: String, line: usize, last: usize },

    #[error("`{file}` line {line} is blank, so it cannot be the header; say which line holds the column names")]
    HeaderRowBlank { file: String, line: usize },
}

/// Why a column mapping cannot be applied. Named by the target's label, which is what
/// the person choosing columns sees.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum MappingError {
    #[error("`{target}` is not mapped to a column, and it is required; choose the column that holds it")]
    RequiredNotMapped { target: String },

    #[error("column `{column}` is mapped to both `{first}` and `{second}`; map each column to one field")]
    ColumnMappedTwice { column: String, first: String, second: String },

    #[error("`{target}` is mapped to column {column}, but the file has {columns} columns; choose one of them")]
    NoSuchColumn { target: String, column: usize, columns: usize },

    #[error("the mapping names `{key}`, which is not a field of this import; remove it")]
    UnknownTarget { key: String },
}

/// `a`, `b` and `c`, each in backticks; "none" when empty.
pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => "none".to_owned(),
        [one] => format!("`{one}`"),
        [rest @ .., last] => {
            let head: Vec<String> = rest.iter().map(|s| format!("`{s}`")).collect();
            format!("{} and `{last}`", head.join(", "))
        }
    }
}
