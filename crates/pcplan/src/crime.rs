//! `pcplan crime aggregate`: police.uk street-level crime and outcomes files counted by
//! month x local authority area x crime type x last outcome, on the command line, with
//! no database.
//!
//! It reads the files, folders and zip archives it is named (through `pcplan-crime`),
//! prints the counts (or a computed measure) sorted, as CSV or JSON, on standard output,
//! and a summary with every bad row by file and line on standard error. It opens no
//! configuration-dependent path and writes no file. It fails only when it cannot start
//! (a path or lookup it cannot use) or when no street file could be read at all; bad
//! rows and skipped files are reported, never fatal. The rules are in
//! `docs/crime-data.md`.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use clap::{Subcommand, ValueEnum};
use pcplan_crime::{Aggregate, AreaRule, Lookup, Options, measures};
use pcplan_import::export::Csv;
use serde::Serialize;

/// Bad rows listed on standard error before "and N more".
const BAD_ROWS_SHOWN: usize = 20;
/// LSOA codes missing from the lookup listed before "and N more".
const UNMATCHED_SHOWN: usize = 5;

/// The `crime` commands. They read only the files they are given.
#[derive(Debug, Subcommand)]
pub enum CrimeCommand {
    /// Count police.uk street-level crimes by month, local authority area, crime type and
    /// last outcome, and print the counts sorted.
    Aggregate {
        /// Street or outcomes CSV files, folders of them (police.uk's `YYYY-MM/` folders,
        /// walked to any depth) or police.uk zip archives.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// An ONS LSOA to local authority district lookup (CSV, or gzipped `.csv.gz`).
        /// Without it, the area is the LSOA name's prefix (`Blaby 002A` is in `Blaby`).
        #[arg(long)]
        lookup: Option<PathBuf>,
        /// The output format.
        #[arg(long, value_enum, default_value_t = CrimeFormat::Csv)]
        format: CrimeFormat,
        /// What to print: the counts, crimes by type, or the charge or summons share.
        #[arg(long, value_enum, default_value_t = Measure::Counts)]
        measure: Measure,
        /// Keep each street file's `Last outcome category` even when outcomes files are given.
        #[arg(long)]
        street_outcomes: bool,
        /// Worker threads; all available cores when left out.
        #[arg(long)]
        threads: Option<usize>,
    },
}

/// Output formats of `crime aggregate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CrimeFormat {
    /// `month,area,crime_type,outcome,count` (or the measure's columns), with a header.
    Csv,
    /// The rows with force and area code, and the whole report.
    Json,
}

/// What `crime aggregate` prints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Measure {
    /// Crimes per month, area, crime type and last outcome.
    Counts,
    /// Recorded crimes by type per area per month.
    ByType,
    /// Crimes with a charge or summons outcome per area per month, with the crimes counted.
    ChargeShare,
}

/// Runs a `crime` command.
pub fn run(command: CrimeCommand) -> anyhow::Result<ExitCode> {
    let CrimeCommand::Aggregate { paths, lookup, format, measure, street_outcomes, threads } = command;
    if threads == Some(0) {
        bail!("--threads must be at least 1; leave it out to use every core");
    }
    let lookup = lookup
        .map(|path| Lookup::from_path(&path).with_context(|| format!("loading the lookup {}", path.display())))
        .transpose()?;
    let options = Options { lookup: lookup.as_ref(), ignore_outcomes_files: street_outcomes, threads };
    let result = pcplan_crime::aggregate_paths(&paths, &options)?;
    eprint!("{}", summary(&result));
    if result.street_files_read() == 0 {
        bail!("nothing could be read: no street-level crime file among the paths given (see the notes above)");
    }
    let out = match format {
        CrimeFormat::Csv => csv(&result, measure),
        CrimeFormat::Json => {
            let mut json = json(&result, measure).context("writing the result as JSON")?;
            json.push('\n');
            json
        }
    };
    write_stdout(&out)?;
    Ok(ExitCode::SUCCESS)
}

/// Writes the output; a reader that stopped early (`| head`) is not an error.
fn write_stdout(out: &str) -> anyhow::Result<()> {
    let mut stdout = std::io::stdout().lock();
    match stdout.write_all(out.as_bytes()).and_then(|()| stdout.flush()) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => Err(e).context("writing to standard output"),
        _ => Ok(()),
    }
}

/// The CSV of the chosen measure, header first. Areas are named, not coded (the JSON
/// carries codes), and forces are summed.
fn csv(result: &Aggregate, measure: Measure) -> String {
    let mut out = Csv::plain();
    match measure {
        Measure::Counts => {
            out.row(["month", "area", "crime_type", "outcome", "count"]);
            for r in measures::by_area(&result.rows) {
                out.row([&r.month, &r.area, &r.crime_type, &r.outcome, &r.count.to_string()]);
            }
        }
        Measure::ByType => {
            out.row(["month", "area", "crime_type", "crimes"]);
            for r in measures::crimes_by_type(&result.rows) {
                out.row([&r.month, &r.area, &r.crime_type, &r.crimes.to_string()]);
            }
        }
        Measure::ChargeShare => {
            out.row(["month", "area", "crimes", "charged_or_summonsed", "share"]);
            for r in measures::charge_share(&result.rows) {
                let share = r.share.map(|s| format!("{s:.4}")).unwrap_or_default();
                out.row([&r.month, &r.area, &r.crimes.to_string(), &r.charged_or_summonsed.to_string(), &share]);
            }
        }
    }
    out.finish()
}

/// The JSON document: the measure's rows and everything the aggregation reported.
#[derive(Serialize)]
struct Json<'a, T: Serialize> {
    measure: &'static str,
    rows: T,
    coverage: &'a [pcplan_crime::Coverage],
    area_rule: &'a AreaRule,
    unmatched_lsoas: &'a [pcplan_crime::UnmatchedLsoa],
    outcomes: &'a Option<pcplan_crime::OutcomesJoin>,
    files: &'a [pcplan_crime::FileReport],
    notes: &'a [String],
}

fn json(result: &Aggregate, measure: Measure) -> serde_json::Result<String> {
    let wrap = |name, rows| Json {
        measure: name,
        rows,
        coverage: &result.coverage,
        area_rule: &result.area_rule,
        unmatched_lsoas: &result.unmatched_lsoas,
        outcomes: &result.outcomes,
        files: &result.files,
        notes: &result.notes,
    };
    match measure {
        Measure::Counts => serde_json::to_string_pretty(&wrap("counts", serde_json::to_value(&result.rows)?)),
        Measure::ByType => serde_json::to_string_pretty(&wrap(
            "by-type",
            serde_json::to_value(measures::crimes_by_type(&result.rows))?,
        )),
        Measure::ChargeShare => serde_json::to_string_pretty(&wrap(
            "charge-share",
            serde_json::to_value(measures::charge_share(&result.rows))?,
        )),
    }
}

/// What was read, skipped and doubtful, for standard error.
fn summary(result: &Aggregate) -> String {
    let mut out = String::new();
    let months: Vec<&str> = {
        let mut m: Vec<&str> = result.coverage.iter().map(|c| c.month.as_str()).collect();
        m.sort_unstable();
        m.dedup();
        m
    };
    let mut forces: Vec<&str> = result.coverage.iter().map(|c| c.force.as_str()).collect();
    forces.sort_unstable();
    forces.dedup();
    let span = match (months.first(), months.last()) {
        (Some(first), Some(last)) if first != last => format!("{} months, {first} to {last}", months.len()),
        (Some(only), _) => format!("1 month, {only}"),
        _ => "no months".to_owned(),
    };
    let files = result.street_files_read();
    let _ = writeln!(
        out,
        "read {files} street {}: {} crimes, {span}, {}: {}",
        if files == 1 { "file" } else { "files" },
        result.crimes(),
        if forces.len() == 1 { "force" } else { "forces" },
        if forces.is_empty() { "none".to_owned() } else { forces.join(", ") }
    );
    match &result.area_rule {
        AreaRule::Lookup { source, columns, lsoas } => {
            let _ = writeln!(out, "areas: the lookup {source} ({columns}, {lsoas} LSOAs)");
        }
        AreaRule::NamePrefix => {
            let _ = writeln!(out, "areas: the LSOA name's prefix (no lookup loaded)");
        }
    }
    unmatched(&mut out, result);
    if let Some(o) = &result.outcomes {
        let _ = writeln!(
            out,
            "outcomes files: {} outcomes of {} crimes; {} street crimes took their latest outcome from them ({} changed); \
             {} crimes with outcomes are not in the street files read",
            o.outcome_rows,
            o.crimes_with_outcomes,
            o.street_rows_matched,
            o.street_outcomes_changed,
            o.crimes_not_in_street_files
        );
    }
    for file in &result.files {
        if let Some(why) = &file.skipped {
            let _ = writeln!(out, "skipped {}: {why}", file.path);
        }
    }
    for note in &result.notes {
        let _ = writeln!(out, "note: {note}");
    }
    bad_rows(&mut out, result);
    out
}

fn unmatched(out: &mut String, result: &Aggregate) {
    let list = &result.unmatched_lsoas;
    if list.is_empty() {
        return;
    }
    let crimes: u64 = list.iter().map(|u| u.crimes).sum();
    // Those with the most crimes first: they matter most to the figures.
    let mut by_crimes: Vec<_> = list.iter().collect();
    by_crimes.sort_by(|a, b| b.crimes.cmp(&a.crimes).then_with(|| a.code.cmp(&b.code)));
    let shown: Vec<String> = by_crimes
        .iter()
        .take(UNMATCHED_SHOWN)
        .map(|u| format!("{} ({}, {} crimes)", u.code, u.name, u.crimes))
        .collect();
    let more = list.len().saturating_sub(UNMATCHED_SHOWN);
    let _ = writeln!(
        out,
        "{} LSOA codes are not in the lookup ({crimes} crimes), placed by their LSOA names: {}{}",
        list.len(),
        shown.join(", "),
        if more > 0 { format!(" and {more} more") } else { String::new() }
    );
}

fn bad_rows(out: &mut String, result: &Aggregate) {
    let total = result.malformed();
    if total == 0 {
        let _ = writeln!(out, "bad rows: none");
        return;
    }
    let _ = writeln!(out, "bad rows: {total}, not counted:");
    let mut shown = 0;
    for file in &result.files {
        for bad in &file.malformed {
            if shown == BAD_ROWS_SHOWN {
                break;
            }
            let _ = writeln!(out, "  {}:{}: {}", file.path, bad.line, bad.reason);
            shown += 1;
        }
    }
    if total > shown as u64 {
        let _ = writeln!(out, "  and {} more", total - shown as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_are_quoted_when_needed_and_formulas_are_defused() {
        let mut out = Csv::plain();
        out.row(["2022-01", "Bath, North East", "say \"hi\"", "=SUM(A1)", "7"]);
        assert_eq!(out.finish(), "2022-01,\"Bath, North East\",\"say \"\"hi\"\"\",'=SUM(A1),7\n");
    }
}
