//! Aggregates police.uk files and reports how long it took, for measuring the crate
//! alone without building the `pcplan` binary.
//!
//! `cargo run --release -p pcplan-crime --example aggregate_timed -- PATHS... [--lookup FILE] [--threads N]`
//!
//! It prints the counts to standard output as `pcplan crime aggregate` does
//! (`month,area,crime_type,outcome,count`), and one line to standard error: crimes, rows,
//! files, bad rows, bytes of CSV read, seconds and MB/s (10^6 bytes a second).

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use pcplan_crime::{Lookup, Options, aggregate_paths};

fn main() -> ExitCode {
    let mut paths = Vec::new();
    let mut lookup_path = None;
    let mut threads = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--lookup" => lookup_path = args.next().map(PathBuf::from),
            "--threads" => threads = args.next().and_then(|n| n.parse().ok()),
            _ => paths.push(PathBuf::from(arg)),
        }
    }
    let started = Instant::now();
    let lookup = match lookup_path.as_deref().map(Lookup::from_path).transpose() {
        Ok(lookup) => lookup,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let options = Options { lookup: lookup.as_ref(), threads, ..Options::default() };
    let result = match aggregate_paths(&paths, &options) {
        Ok(result) => result,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut out = String::from("month,area,crime_type,outcome,count\n");
    for r in pcplan_crime::measures::by_area(&result.rows) {
        let cells = [r.month, r.area, r.crime_type, r.outcome, r.count.to_string()];
        let quoted: Vec<String> = cells.iter().map(|c| quote(c)).collect();
        out.push_str(&quoted.join(","));
        out.push('\n');
    }
    print!("{out}");
    let seconds = started.elapsed().as_secs_f64();
    let bytes = csv_bytes(&paths);
    eprintln!(
        "crimes={} rows={} files={} malformed={} bytes={bytes} seconds={seconds:.3} mb_per_s={:.0}",
        result.crimes(),
        result.rows.len(),
        result.files.len(),
        result.malformed(),
        bytes as f64 / seconds / 1e6
    );
    ExitCode::SUCCESS
}

/// A CSV cell, quoted when it holds a comma, quote or line break.
fn quote(cell: &str) -> String {
    if cell.contains([',', '"', '\n', '\r']) { format!("\"{}\"", cell.replace('"', "\"\"")) } else { cell.to_owned() }
}

/// The bytes of CSV under the paths: file sizes, or uncompressed entry sizes of archives.
fn csv_bytes(paths: &[PathBuf]) -> u64 {
    paths.iter().map(|p| size_of(p)).sum()
}

fn size_of(path: &std::path::Path) -> u64 {
    if path.is_dir() {
        return std::fs::read_dir(path).map(|entries| entries.flatten().map(|e| size_of(&e.path())).sum()).unwrap_or(0);
    }
    let is_zip = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let archive = std::fs::File::open(path).ok().and_then(|f| zip::ZipArchive::new(f).ok());
        return archive.map_or(0, |a| a.decompressed_size().map_or(0, |n| n as u64));
    }
    let is_csv = path.extension().is_some_and(|e| e.eq_ignore_ascii_case("csv"));
    if is_csv { std::fs::metadata(path).map_or(0, |m| m.len()) } else { 0 }
}
