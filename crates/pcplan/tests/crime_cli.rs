//! End-to-end tests of `pcplan crime aggregate`: the real binary on the demo's year of
//! Leicestershire police.uk files and on `pcplan-crime`'s small fixtures, in both
//! formats and for each measure, its report on standard error, its failures, and that it
//! leaves no file behind.
//!
//! `pcplan-crime` checks the counts themselves against an independent count; these
//! tests check the command.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn demo(file: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcplan-demo/data/policeuk").join(file);
    path.to_str().expect("a UTF-8 path").to_owned()
}

fn demo_zip() -> String {
    demo("leicestershire-2021-10_2022-10.zip")
}

fn demo_lookup() -> String {
    demo("lsoa11_to_lad_leicestershire-pfa.csv.gz")
}

fn fixture(relative: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcplan-crime/tests/data").join(relative);
    path.to_str().expect("a UTF-8 path").to_owned()
}

/// Runs `pcplan crime aggregate ARGS` in `dir` with no configuration from the environment.
fn aggregate(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["crime", "aggregate"])
        .args(args)
        .current_dir(dir)
        .env_remove("PCPLAN_DATABASE_URL")
        .env_remove("PCPLAN_CONFIG")
        .env_remove("PCPLAN_DATA_DIR")
        .output()
        .expect("the pcplan binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_csv_has_the_five_columns_sorted_and_counts_every_crime() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = aggregate(dir.path(), &[&demo_zip()]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    let mut lines = stdout.lines();
    assert_eq!(lines.next(), Some("month,area,crime_type,outcome,count"));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.iter().all(|r| r.len() == 5), "a row without five cells");
    // The same 7,651 cells and 122,718 crimes that Python's csv module counts.
    assert_eq!(rows.len(), 7651);
    let total: u64 = rows.iter().map(|r| r[4].parse::<u64>().expect("a count")).sum();
    assert_eq!(total, 122_718);
    let keys: Vec<&[&str]> = rows.iter().map(|r| &r[..4]).collect();
    assert!(keys.windows(2).all(|w| w[0] < w[1]), "rows are not sorted and unique");
    // One cell counted separately with Python.
    assert!(stdout.contains("\n2022-10,Blaby,Burglary,Under investigation,53\n"));
    assert!(stdout.contains("\n2021-10,Leicestershire Police (no location),"));

    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(
            "read 13 street files: 122718 crimes, 13 months, 2021-10 to 2022-10, force: Leicestershire Police"
        ),
        "{stderr}"
    );
    assert!(stderr.contains("areas: the LSOA name's prefix (no lookup loaded)"), "{stderr}");
    assert!(stderr.contains("bad rows: none"), "{stderr}");
}

#[test]
fn with_the_lookup_areas_are_districts_and_unmatched_codes_are_listed() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = aggregate(dir.path(), &[&demo_zip(), "--lookup", &demo_lookup(), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(json["measure"], "counts");
    let rows = json["rows"].as_array().expect("rows");
    let leicester = rows.iter().find(|r| r["area"] == "Leicester UA").expect("Leicester UA");
    assert_eq!(leicester["area_code"], "E06000016");
    assert_eq!(leicester["force"], "Leicestershire Police");
    assert_eq!(json["coverage"].as_array().map(Vec::len), Some(13));
    assert_eq!(json["unmatched_lsoas"].as_array().map(Vec::len), Some(78));
    assert_eq!(json["area_rule"]["rule"], "lookup");
    assert_eq!(json["files"].as_array().map(Vec::len), Some(13));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("78 LSOA codes are not in the lookup (265 crimes), placed by their LSOA names"),
        "{stderr}"
    );
}

#[test]
fn the_measures_print_their_own_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let lookup = demo_lookup();
    let zip = demo_zip();
    let out = aggregate(dir.path(), &[&zip, "--lookup", &lookup, "--measure", "charge-share"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().next(), Some("month,area,crimes,charged_or_summonsed,share"));
    // Counted separately with Python: 83 of 4,056 crimes (anti-social behaviour left out).
    assert!(stdout.contains("\n2022-10,Leicester UA,4056,83,0.0205\n"), "{stdout}");

    let out = aggregate(dir.path(), &[&zip, "--measure", "by-type", "--threads", "1"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert_eq!(stdout.lines().next(), Some("month,area,crime_type,crimes"));
    let total: u64 =
        stdout.lines().skip(1).map(|l| l.rsplit(',').next().and_then(|n| n.parse::<u64>().ok()).unwrap_or(0)).sum();
    assert_eq!(total, 122_718);
}

#[test]
fn bad_rows_are_listed_by_file_and_line_and_do_not_fail_the_command() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = fixture("malformed/2022-01-testshire-street.csv");
    let out = aggregate(dir.path(), &[&file]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad rows: 5, not counted:"), "{stderr}");
    for (line, reason) in [
        (3, "expected 12 cells as in the header, found 11"),
        (4, "`Month` is `2022-13`"),
        (7, "`Crime type` is empty"),
        (10, "`Falls within` is empty"),
        (11, "a quoted cell opens on this line and is never closed"),
    ] {
        let wanted = format!("2022-01-testshire-street.csv:{line}: {reason}");
        assert!(stderr.contains(&wanted), "missing {wanted:?} in:\n{stderr}");
    }
    assert_eq!(text(&out.stdout).lines().count(), 5, "a header and four counted rows");
}

#[test]
fn outcomes_files_in_a_folder_set_the_last_outcome() {
    let dir = tempfile::tempdir().expect("temp dir");
    let folder = fixture("outcomes-linked");
    let out = aggregate(dir.path(), &[&folder]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\n2018-01,Sedgemoor,Public order,Offender sent to prison,1\n"));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("outcomes files: 10 outcomes of 10 crimes; 7 street crimes"), "{stderr}");

    let out = aggregate(dir.path(), &[&folder, "--street-outcomes"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("\n2018-01,Sedgemoor,Public order,Court result unavailable,1\n"));
}

#[test]
fn nothing_readable_is_a_failure_that_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let people = dir.path().join("people.csv");
    std::fs::write(&people, "Name,Address\nA,B\n").expect("write");
    let out = aggregate(dir.path(), &[people.to_str().expect("utf-8")]);
    assert!(!out.status.success());
    assert!(out.stdout.is_empty());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("skipped") && stderr.contains("`Name,Address`"), "{stderr}");
    assert!(stderr.contains("nothing could be read"), "{stderr}");

    let out = aggregate(dir.path(), &["missing.zip"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("missing.zip: no such file or folder"), "{}", text(&out.stderr));

    let out = aggregate(dir.path(), &[&demo_zip(), "--lookup", &people.to_string_lossy()]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("loading the lookup") && stderr.contains("LSOA11CD"), "{stderr}");
}

#[test]
fn a_reader_that_stops_early_is_not_an_error() {
    // `pcplan crime aggregate ... | head`: the pipe closes before the output is written.
    let mut child = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["crime", "aggregate", &demo_zip()])
        .env_remove("PCPLAN_CONFIG")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the pcplan binary starts");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("pcplan ends");
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn the_command_creates_no_file_or_data_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = aggregate(dir.path(), &[&fixture("outcomes-linked"), "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries = std::fs::read_dir(dir.path()).expect("list the directory").count();
    assert_eq!(entries, 0);
}
