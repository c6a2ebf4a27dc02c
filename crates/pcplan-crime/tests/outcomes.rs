//! The last outcome from outcomes files: the 2018-01 police.uk sample, the latest-month
//! rule and its tie-breaks, and leaving outcomes files out.

mod common;

use common::{OUTCOMES_HEADER, STREET_HEADER, aggregate_memory, crime_id, data};
use pcplan_crime::{FileKind, Options, OutcomesJoin, Row, aggregate_paths};

/// The outcome of the crime counted in `rows` of `crime_type` in `area` (one crime each).
fn outcomes_of<'a>(rows: &'a [Row], area: &str, crime_type: &str) -> Vec<(&'a str, u64)> {
    rows.iter()
        .filter(|r| r.area == area && r.crime_type == crime_type)
        .map(|r| (r.outcome.as_str(), r.count))
        .collect()
}

#[test]
fn outcomes_files_replace_the_street_files_last_outcome_by_crime_id() {
    let result = aggregate_paths(&[data("outcomes-linked")], &Options::default()).expect("the sample is read");

    // Avon and Somerset: b50f... (Public order) and fe3a... were "Court result
    // unavailable" in the street file; the outcomes file says prison and a fine.
    assert_eq!(outcomes_of(&result.rows, "Sedgemoor", "Public order"), [("Offender sent to prison", 1)]);
    assert_eq!(
        outcomes_of(&result.rows, "Bristol", "Violence and sexual offences"),
        [("Offender fined", 1), ("Offender given community sentence", 1)]
    );
    // Crimes without an outcome row keep the street file's.
    assert_eq!(outcomes_of(&result.rows, "Bristol", "Other theft"), [("Status update unavailable", 1)]);
    assert_eq!(
        outcomes_of(&result.rows, "Central Bedfordshire", "Violence and sexual offences"),
        [("Unable to prosecute suspect", 1)]
    );
    // The sample's street files were cut short: their last lines lack the final (empty)
    // `Context` cell, so they are bad rows, and the crime of the Bedfordshire one (c7ff...)
    // is among the outcomes with no street row.
    for file in result.files.iter().filter(|f| f.kind == FileKind::Street) {
        let bad: Vec<(u64, &str)> = file.malformed.iter().map(|b| (b.line, b.reason.as_str())).collect();
        assert_eq!(bad, [(7, "expected 12 cells as in the header, found 11")], "{}", file.path);
    }
    assert_eq!(result.crimes(), 10);
    assert_eq!(
        result.outcomes,
        Some(OutcomesJoin {
            outcome_rows: 10,
            crimes_with_outcomes: 10,
            street_rows_matched: 7,
            street_outcomes_changed: 2,
            // 81bf... and 15b1... are not in the Avon street sample; c7ff... is a bad row.
            crimes_not_in_street_files: 3,
        })
    );
    let kinds: Vec<FileKind> = result.files.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FileKind::Outcomes, FileKind::Street, FileKind::Outcomes, FileKind::Street]);
    let forces: Vec<&str> = result.coverage.iter().map(|c| c.force.as_str()).collect();
    assert_eq!(forces, ["Avon and Somerset Constabulary", "Bedfordshire Police"]);
}

#[test]
fn leaving_outcomes_files_out_keeps_the_street_files_outcomes() {
    let options = Options { ignore_outcomes_files: true, ..Options::default() };
    let result = aggregate_paths(&[data("outcomes-linked")], &options).expect("the sample is read");
    assert_eq!(outcomes_of(&result.rows, "Sedgemoor", "Public order"), [("Court result unavailable", 1)]);
    assert!(result.outcomes.is_none());
    let skipped: Vec<FileKind> = result.files.iter().filter(|f| f.skipped.is_some()).map(|f| f.kind).collect();
    assert_eq!(skipped, [FileKind::Outcomes, FileKind::Outcomes]);
}

#[test]
fn the_outcome_of_the_latest_month_wins_then_the_later_file_and_line() {
    let street = format!(
        "{STREET_HEADER}\n\
         {a},2022-01,F,F,,,On or near X,E01000001,Blaby 001A,Burglary,Under investigation,\n\
         {b},2022-01,F,F,,,On or near X,E01000001,Blaby 001A,Robbery,Under investigation,\n\
         {c},2022-01,F,F,,,On or near X,E01000001,Blaby 001A,Drugs,Under investigation,\n",
        a = crime_id(1),
        b = crime_id(2),
        c = crime_id(3)
    );
    let row = |id: u32, month: &str, outcome: &str| {
        format!("{},{month},F,F,,,X,E01000001,Blaby 001A,{outcome}\n", crime_id(id))
    };
    // Crime 1: a later month comes first in the file. Crime 2: two outcomes in one month,
    // the later line wins. Crime 3: the same month in two files, the later file wins.
    let first = format!(
        "{OUTCOMES_HEADER}\n{}{}{}{}{}",
        row(1, "2022-03", "Offender sent to prison"),
        row(1, "2022-02", "Suspect charged"),
        row(2, "2022-02", "Suspect charged"),
        row(2, "2022-02", "Offender fined"),
        row(3, "2022-04", "Local resolution"),
    );
    let second = format!("{OUTCOMES_HEADER}\n{}", row(3, "2022-04", "Offender given a caution"));
    let result = aggregate_memory(
        &[("a-outcomes.csv", &first), ("b-outcomes.csv", &second), ("street.csv", &street)],
        &Options::default(),
    );
    let outcome = |t: &str| outcomes_of(&result.rows, "Blaby", t);
    assert_eq!(outcome("Burglary"), [("Offender sent to prison", 1)]);
    assert_eq!(outcome("Robbery"), [("Offender fined", 1)]);
    assert_eq!(outcome("Drugs"), [("Offender given a caution", 1)]);
}

#[test]
fn the_latest_outcome_does_not_depend_on_the_order_paths_are_given_or_threads() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let street =
        format!("{STREET_HEADER}\n{},2022-01,F,F,,,X,E01000001,Blaby 001A,Drugs,Under investigation,\n", crime_id(7));
    let outcome =
        |text: &str| format!("{OUTCOMES_HEADER}\n{},2022-05,F,F,,,X,E01000001,Blaby 001A,{text}\n", crime_id(7));
    let write = |name: &str, text: &str| {
        let path = dir.path().join(name);
        std::fs::write(&path, text).expect("write a file");
        path
    };
    let first = write("2022-05-f-outcomes.csv", &outcome("Suspect charged"));
    let second = write("2022-05-g-outcomes.csv", &outcome("Offender fined"));
    let street = write("2022-01-f-street.csv", &street);
    for threads in [1, 2, 4] {
        let options = Options { threads: Some(threads), ..Options::default() };
        let paths = [second.clone(), street.clone(), first.clone()];
        let result = aggregate_paths(&paths, &options).expect("the files are read");
        // Same month: the file later by name wins, whatever the order on the command line.
        assert_eq!(outcomes_of(&result.rows, "Blaby", "Drugs"), [("Offender fined", 1)], "{threads} threads");
    }
}
