//! The police.uk importer: street-level crime and outcomes files, and the ONS LSOA
//! lookup, read and aggregated from memory as `pcplan crime aggregate` and the staff
//! crime upload read them from disk (`pcplan_crime::aggregate` over the files found,
//! each an `Input::Memory` here), then the measures computed from the counts.
//!
//! An input is one or more files separated by lines holding only `--8<--` (a crime
//! file: street or outcomes, told from its header as the importer does) or
//! `--8<-- lookup` (an LSOA lookup, read by `Lookup::from_bytes` as the lookup upload
//! reads it; the last readable one is used). At most four crime files are read, with
//! two worker threads when there is more than one, so that merging the workers'
//! counts is exercised too.
//!
//! Zip archives are not fuzzed: the importer opens them from disk through the `zip`
//! crate, and these inputs stay in memory.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pcplan_crime::{BAD_ROWS_KEPT, Input, Inputs, Lookup, Options, aggregate, measures};

/// One part of an input.
enum Part<'a> {
    Crime(&'a [u8]),
    Lookup(&'a [u8]),
}

/// A part of the kind its separator named.
fn part(lookup: bool, bytes: &[u8]) -> Part<'_> {
    if lookup { Part::Lookup(bytes) } else { Part::Crime(bytes) }
}

/// Splits `data` into parts at separator lines.
fn parts(data: &[u8]) -> Vec<Part<'_>> {
    let mut parts = Vec::new();
    let mut lookup = false;
    let mut start = 0;
    let mut line_start = 0;
    for (i, &byte) in data.iter().enumerate() {
        if byte == b'\n' {
            let line = &data[line_start..i];
            if line == b"--8<--" || line == b"--8<-- lookup" {
                parts.push(part(lookup, &data[start..line_start]));
                lookup = line.len() > 6;
                start = i + 1;
            }
            line_start = i + 1;
        }
    }
    parts.push(part(lookup, &data[start..]));
    parts
}

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT {
        return;
    }
    let mut files = Vec::new();
    let mut lookup = None;
    for part in parts(data) {
        match part {
            Part::Crime(bytes) if files.len() < 4 => files.push(bytes),
            Part::Crime(_) => {}
            Part::Lookup(bytes) => {
                if let Ok(read) = Lookup::from_bytes("lookup.csv", bytes) {
                    lookup = Some(read);
                }
            }
        }
    }
    let inputs = files
        .iter()
        .enumerate()
        .map(|(i, bytes)| Input::Memory { name: format!("file-{i}.csv"), bytes: bytes.to_vec() })
        .collect();
    let threads = if files.len() > 1 { 2 } else { 1 };
    let options = Options { lookup: lookup.as_ref(), ignore_outcomes_files: false, threads: Some(threads) };
    let result = aggregate(Inputs { inputs, notes: Vec::new() }, &options);

    // What `Aggregate` promises: coverage counts the same crimes as the rows, and each
    // file keeps its first bad rows up to the limit.
    let covered: u64 = result.coverage.iter().map(|c| c.crimes).sum();
    assert_eq!(covered, result.crimes(), "coverage and rows count different crimes");
    for file in &result.files {
        let kept = usize::try_from(file.malformed_total).unwrap_or(usize::MAX).min(BAD_ROWS_KEPT);
        assert_eq!(file.malformed.len(), kept, "bad rows kept for {}", file.path);
        assert!(file.malformed.windows(2).all(|w| w[0].line < w[1].line), "bad rows of {} out of order", file.path);
    }

    let _ = measures::by_area(&result.rows);
    let _ = measures::crimes_by_type(&result.rows);
    let _ = measures::charge_share(&result.rows);
});
