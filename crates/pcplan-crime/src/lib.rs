//! police.uk crime data, aggregated: street-level crime files and outcomes files, read
//! from single CSVs, monthly folders or police.uk's zip archives, counted by month x
//! local authority area x crime type x last outcome.
//!
//! ```no_run
//! use std::path::PathBuf;
//! use pcplan_crime::{Lookup, Options, aggregate_paths, measures};
//!
//! let lookup = Lookup::from_path("lsoa11_to_lad.csv".as_ref())?;
//! let options = Options { lookup: Some(&lookup), ..Options::default() };
//! let result = aggregate_paths(&[PathBuf::from("2022-10")], &options)?;
//! for share in measures::charge_share(&result.rows) {
//!     println!("{} {}: {} of {}", share.month, share.area, share.charged_or_summonsed, share.crimes);
//! }
//! # Ok::<(), pcplan_crime::Error>(())
//! ```
//!
//! The rules (area, force level, last outcome, malformed rows, the charge share) are
//! stated where they are applied (`lookup.rs`, `aggregate.rs`, `outcomes.rs`,
//! `format.rs`, `measures.rs`) and for staff in `docs/crime-data.md`. The modules:
//! `source` finds the files, `csv` splits them into records, `format` knows police.uk's
//! headers and checks cells, `outcomes` and `aggregate` are the two passes, `report`
//! holds what comes back, `measures` computes from it.
//!
//! This crate is pure in the project's sense: it reads the files it is given and
//! returns values. It has no database, no network and no clock; storing a month (and
//! replacing it on re-import) is the store's job, for which the result names the forces
//! and months it covers.

mod aggregate;
mod csv;
mod format;
mod intern;
mod lookup;
pub mod measures;
mod outcomes;
mod report;
mod source;

use std::path::PathBuf;

pub use aggregate::{Options, aggregate};
pub use lookup::{Area, Lookup, name_prefix, no_location_area};
pub use report::{
    Aggregate, AreaRule, BAD_ROWS_KEPT, BadRow, Coverage, FileKind, FileReport, NO_OUTCOME, OutcomesJoin, Row,
    UnmatchedLsoa,
};
pub use source::{Input, Inputs, collect};

/// What stops an aggregation before any file is read: a path that cannot be used, or a
/// lookup that cannot be loaded. Problems inside a file are never errors: they are
/// reported per file and per row in the [`Aggregate`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{path}: no such file or folder")]
    NotFound { path: PathBuf },
    #[error("reading {path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(
        "{path}: not a CSV file, folder or zip archive; give police.uk `.csv` files, folders of them or the `.zip` police.uk serves"
    )]
    Unsupported { path: PathBuf },
    #[error("{path}: not a readable zip archive: {source}")]
    Zip { path: PathBuf, source: zip::result::ZipError },
    #[error(
        "{path}: holds no police.uk street or outcomes file; expected names like `2022-10-leicestershire-street.csv` or `...-outcomes.csv`"
    )]
    NoCrimeFiles { path: PathBuf },
    #[error("lookup {path}, line {line}: {reason}")]
    Lookup { path: String, line: u64, reason: String },
}

/// Finds the files under `paths` and aggregates them.
pub fn aggregate_paths(paths: &[PathBuf], options: &Options<'_>) -> Result<Aggregate, Error> {
    let inputs = collect(paths)?;
    Ok(aggregate(inputs, options))
}
