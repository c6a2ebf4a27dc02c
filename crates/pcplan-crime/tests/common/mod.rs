//! Helpers shared by the integration tests: where the real data is, unpacking the demo
//! archive into a folder, and an independent, naive count of street files.

#![allow(dead_code)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use pcplan_crime::{Aggregate, Input, Inputs, Options};

/// The demo's real year of Leicestershire street files, as police.uk serves them.
pub fn demo_zip() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcplan-demo/data/policeuk/leicestershire-2021-10_2022-10.zip")
}

/// The demo's ONS lookup for the Leicestershire police force area, gzipped.
pub fn demo_lookup() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcplan-demo/data/policeuk/lsoa11_to_lad_leicestershire-pfa.csv.gz")
}

/// A file of this crate's `tests/data`.
pub fn data(relative: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(relative)
}

/// Unpacks the demo archive under `dir` (monthly folders) and returns the folder.
pub fn unpack_demo(dir: &Path) -> PathBuf {
    let file = std::fs::File::open(demo_zip()).expect("the demo archive is in the repository");
    let mut archive = zip::ZipArchive::new(file).expect("a zip archive");
    let root = dir.join("leicestershire");
    archive.extract(&root).expect("unpack the archive");
    root
}

/// Every `*.csv` file under `dir`, sorted.
pub fn csv_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read the folder") {
            let path = entry.expect("an entry").path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "csv") {
                out.push(path);
            }
        }
    }
    out.sort();
    out
}

/// (month, area, crime type, outcome) as the naive count keys it.
pub type NaiveKey = (String, String, String, String);

/// Counts street files the simplest way there is, sharing no code with the crate: split
/// each line on commas and read the last five cells from the right, which is right for
/// police.uk street files because only `Location` (seventh cell) is ever quoted, and no
/// cell spans lines in them. The area is the LSOA name with its trailing code letters
/// and digits trimmed, or `<force> (no location)` when the LSOA is empty.
pub fn naive_count(files: &[PathBuf]) -> BTreeMap<NaiveKey, u64> {
    let mut counts = BTreeMap::new();
    for file in files {
        let text = std::fs::read_to_string(file).expect("a UTF-8 street file");
        for line in text.lines().skip(1) {
            let line = line.trim_end_matches('\r');
            if line.is_empty() {
                continue;
            }
            let cells: Vec<&str> = line.split(',').collect();
            let n = cells.len();
            assert!(n >= 12, "{}: a short line: {line}", file.display());
            let month = cells[1];
            let force = cells[3];
            let (lsoa_name, crime_type, outcome) = (cells[n - 4], cells[n - 3], cells[n - 2]);
            let area = if lsoa_name.is_empty() {
                format!("{force} (no location)")
            } else {
                lsoa_name.trim_end_matches(|c: char| c.is_ascii_alphanumeric()).trim_end().to_owned()
            };
            let outcome = if outcome.is_empty() { "No outcome recorded" } else { outcome };
            let key = (month.to_owned(), area, crime_type.to_owned(), outcome.to_owned());
            *counts.entry(key).or_insert(0) += 1;
        }
    }
    counts
}

/// The crate's result in the naive count's shape (forces summed).
pub fn as_naive(result: &Aggregate) -> BTreeMap<NaiveKey, u64> {
    pcplan_crime::measures::by_area(&result.rows)
        .into_iter()
        .map(|r| ((r.month, r.area, r.crime_type, r.outcome), r.count))
        .collect()
}

/// Aggregates files held in memory, named as given.
pub fn aggregate_memory(files: &[(&str, &str)], options: &Options<'_>) -> Aggregate {
    let inputs = files
        .iter()
        .map(|(name, text)| Input::Memory { name: (*name).to_owned(), bytes: text.as_bytes().to_vec() })
        .collect();
    pcplan_crime::aggregate(Inputs { inputs, notes: Vec::new() }, options)
}

/// The police.uk street header.
pub const STREET_HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";

/// The police.uk outcomes header.
pub const OUTCOMES_HEADER: &str =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type";

/// A 64-hex-digit crime ID made from a number.
pub fn crime_id(n: u32) -> String {
    format!("{n:064x}")
}
