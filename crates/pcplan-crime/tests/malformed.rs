//! Bad rows reported by file and physical line, files that are not crime files, paths
//! that cannot be used, and the area rules on small made-up files.

mod common;

use common::{STREET_HEADER, aggregate_memory, data};
use pcplan_crime::{Error, FileKind, Lookup, NO_OUTCOME, Options, aggregate_paths};

/// (line, reason) of each bad row of the report for the file whose path ends in `name`.
fn bad_rows(result: &pcplan_crime::Aggregate, name: &str) -> Vec<(u64, String)> {
    let file = result.files.iter().find(|f| f.path.ends_with(name)).expect("the file is reported");
    file.malformed.iter().map(|b| (b.line, b.reason.clone())).collect()
}

#[test]
fn bad_street_rows_are_reported_by_file_and_physical_line() {
    let street = data("malformed/2022-01-testshire-street.csv");
    let result = aggregate_paths(&[street], &Options::default()).expect("the file is read");
    let bad = bad_rows(&result, "2022-01-testshire-street.csv");
    let lines: Vec<u64> = bad.iter().map(|(line, _)| *line).collect();
    // Line 5 holds a good row whose quoted location runs onto line 6, so later rows are
    // numbered by line, not by record.
    assert_eq!(lines, [3, 4, 7, 10, 11]);
    assert!(bad[0].1.contains("expected 12 cells as in the header, found 11"), "{}", bad[0].1);
    assert!(bad[1].1.contains("`Month` is `2022-13`"), "{}", bad[1].1);
    assert!(bad[2].1.contains("`Crime type` is empty"), "{}", bad[2].1);
    assert!(bad[3].1.contains("`Falls within` is empty"), "{}", bad[3].1);
    assert!(bad[4].1.contains("never closed"), "{}", bad[4].1);

    let report = &result.files[0];
    assert_eq!((report.rows, report.malformed_total), (4, 5));
    assert_eq!(report.months, ["2022-01"]);
    assert_eq!(report.forces, ["Testshire Police"]);
    assert_eq!(result.crimes(), 4);
    // The quoted location over two lines is one good row.
    assert!(result.rows.iter().any(|r| r.area == "Charnwood" && r.crime_type == "Bicycle theft"));
    // Anti-social behaviour without an outcome gets the explicit value.
    assert!(result.rows.iter().any(|r| r.crime_type == "Anti-social behaviour" && r.outcome == NO_OUTCOME));
    // The row without a location is the force's.
    assert!(result.rows.iter().any(|r| r.area == "Testshire Police (no location)" && r.crime_type == "Other crime"));
}

#[test]
fn bad_outcome_rows_are_reported_and_good_ones_still_apply() {
    let result = aggregate_paths(&[data("malformed")], &Options::default()).expect("the folder is read");
    let bad = bad_rows(&result, "2022-02-testshire-outcomes.csv");
    let lines: Vec<u64> = bad.iter().map(|(line, _)| *line).collect();
    assert_eq!(lines, [3, 4, 5]);
    assert!(bad[0].1.contains("`Crime ID` is `not-a-crime-id`"), "{}", bad[0].1);
    assert!(bad[1].1.contains("`Month` is `22-02`"), "{}", bad[1].1);
    assert!(bad[2].1.contains("`Outcome type` is empty"), "{}", bad[2].1);
    // Crime 1 was charged (line 2); crime 4's outcome rows were both bad, so it keeps its own.
    assert!(result.rows.iter().any(|r| r.crime_type == "Burglary" && r.outcome == "Suspect charged"));
    assert!(result.rows.iter().any(|r| r.crime_type == "Bicycle theft" && r.outcome == "Local resolution"));
    assert_eq!(result.malformed(), 8);
}

#[test]
fn a_csv_that_is_not_a_crime_file_is_skipped_with_its_header_and_a_stop_and_search_file_with_a_note() {
    let result = aggregate_memory(
        &[
            ("people.csv", "Name,Address\nA,B\n"),
            (
                "2018-08-west-midlands-stop-and-search.csv",
                "Type,Date,Object of search,Outcome\nPerson search,2018-08-01,Drugs,Arrest\n",
            ),
            ("empty.csv", ""),
        ],
        &Options::default(),
    );
    assert_eq!(result.crimes(), 0);
    assert_eq!(result.street_files_read(), 0);
    let reasons: Vec<(FileKind, &str)> =
        result.files.iter().map(|f| (f.kind, f.skipped.as_deref().unwrap_or_default())).collect();
    assert_eq!(reasons[0].0, FileKind::Unknown);
    assert!(reasons[0].1.contains("`Name,Address`") && reasons[0].1.contains("Crime type"), "{}", reasons[0].1);
    assert_eq!(reasons[1].0, FileKind::StopAndSearch);
    assert!(reasons[1].1.contains("searches, not crimes"));
    assert!(reasons[2].1.contains("empty"));
}

#[test]
fn folders_leave_out_stop_and_search_files_with_a_note() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let month = dir.path().join("2022-01");
    std::fs::create_dir(&month).expect("a month folder");
    let street = format!("{STREET_HEADER}\n,2022-01,F,F,,,X,E01000001,Blaby 001A,Anti-social behaviour,,\n");
    std::fs::write(month.join("2022-01-f-street.csv"), street).expect("write");
    std::fs::write(month.join("2022-01-f-stop-and-search.csv"), "Type,Date\n").expect("write");
    std::fs::write(month.join("notes.txt"), "not data").expect("write");
    let result = aggregate_paths(&[dir.path().to_path_buf()], &Options::default()).expect("the folder is read");
    assert_eq!(result.files.len(), 1);
    assert_eq!(result.crimes(), 1);
    assert!(result.notes.iter().any(|n| n.contains("1 stop-and-search files")), "{:?}", result.notes);
}

#[test]
fn a_file_named_twice_is_counted_once() {
    let folder = data("outcomes-linked");
    let file = folder.join("2018-01-bedfordshire-street.csv");
    let once = aggregate_paths(std::slice::from_ref(&folder), &Options::default()).expect("read");
    let twice = aggregate_paths(&[folder, file], &Options::default()).expect("read");
    assert_eq!(once.rows, twice.rows);
    assert!(twice.notes.iter().any(|n| n.contains("read once")), "{:?}", twice.notes);
}

#[test]
fn paths_that_cannot_be_used_are_errors_that_name_them() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let missing = dir.path().join("nowhere.csv");
    let err = aggregate_paths(&[missing], &Options::default()).expect_err("missing");
    assert!(matches!(err, Error::NotFound { .. }), "{err}");

    let text = dir.path().join("crimes.xlsx");
    std::fs::write(&text, "x").expect("write");
    let err = aggregate_paths(&[text], &Options::default()).expect_err("not csv");
    assert!(matches!(err, Error::Unsupported { .. }) && err.to_string().contains("crimes.xlsx"), "{err}");

    let not_zip = dir.path().join("download.zip");
    std::fs::write(&not_zip, "not a zip").expect("write");
    let err = aggregate_paths(&[not_zip], &Options::default()).expect_err("bad zip");
    assert!(matches!(err, Error::Zip { .. }), "{err}");

    let empty = dir.path().join("empty");
    std::fs::create_dir(&empty).expect("a folder");
    let err = aggregate_paths(&[empty], &Options::default()).expect_err("no crime files");
    assert!(err.to_string().contains("-street.csv"), "{err}");
}

#[test]
fn the_lookup_gives_districts_and_an_unknown_code_falls_back_to_its_name() {
    let lookup_csv = "LSOA11CD,LSOA11NM,LADCD,LADNM\nE01000001,Blaby 001A,E07000129,Blaby\n";
    let lookup = Lookup::from_bytes("lookup.csv", lookup_csv.as_bytes()).expect("a lookup");
    let street = format!(
        "{STREET_HEADER}\n\
         ,2022-01,F,F,,,X,E01000001,Blaby 001A,Burglary,Under investigation,\n\
         ,2022-01,F,F,,,X,E01099999,Blaby 099Z,Burglary,Under investigation,\n\
         ,2022-01,F,F,,,X,E01088888,Rugby 002B,Burglary,Under investigation,\n\
         ,2022-01,F,F,,,X,E01077777,,Burglary,Under investigation,\n"
    );
    let with = aggregate_memory(&[("s.csv", &street)], &Options { lookup: Some(&lookup), ..Options::default() });
    let areas: Vec<(&str, Option<&str>, u64)> =
        with.rows.iter().map(|r| (r.area.as_str(), r.area_code.as_deref(), r.count)).collect();
    // An unknown code whose name prefix is a district of the lookup joins that district.
    assert_eq!(areas, [("Blaby", Some("E07000129"), 2), ("Rugby", None, 1)]);
    let unmatched: Vec<&str> = with.unmatched_lsoas.iter().map(|u| u.code.as_str()).collect();
    assert_eq!(unmatched, ["E01088888", "E01099999"]);
    // A code the lookup lacks with no name cannot be placed: a bad row, by line.
    assert_eq!(with.files[0].malformed.len(), 1);
    assert_eq!(with.files[0].malformed[0].line, 5);
    assert!(with.files[0].malformed[0].reason.contains("E01077777"));

    let without = aggregate_memory(&[("s.csv", &street)], &Options::default());
    let areas: Vec<(&str, Option<&str>, u64)> =
        without.rows.iter().map(|r| (r.area.as_str(), r.area_code.as_deref(), r.count)).collect();
    assert_eq!(areas, [("Blaby", None, 2), ("Rugby", None, 1)]);
    assert!(without.unmatched_lsoas.is_empty());
}

#[test]
fn rows_are_sorted_by_month_area_crime_type_outcome_then_force() {
    let street = format!(
        "{STREET_HEADER}\n\
         ,2022-02,F,Zed Police,,,X,E01,Blaby 001A,Burglary,Local resolution,\n\
         ,2022-01,F,Zed Police,,,X,E01,Melton 001A,Robbery,Local resolution,\n\
         ,2022-01,F,Avon Police,,,X,E01,Melton 001A,Robbery,Local resolution,\n\
         ,2022-01,F,Zed Police,,,X,E01,Melton 001A,Burglary,Under investigation,\n\
         ,2022-01,F,Zed Police,,,X,E01,Blaby 001A,Robbery,Awaiting court outcome,\n"
    );
    let result = aggregate_memory(&[("s.csv", &street)], &Options::default());
    let keys: Vec<String> = result
        .rows
        .iter()
        .map(|r| format!("{} {} {} {} {}", r.month, r.area, r.crime_type, r.outcome, r.force))
        .collect();
    assert_eq!(
        keys,
        [
            "2022-01 Blaby Robbery Awaiting court outcome Zed Police",
            "2022-01 Melton Burglary Under investigation Zed Police",
            "2022-01 Melton Robbery Local resolution Avon Police",
            "2022-01 Melton Robbery Local resolution Zed Police",
            "2022-02 Blaby Burglary Local resolution Zed Police",
        ]
    );
    let coverage: Vec<(&str, &str, u64)> =
        result.coverage.iter().map(|c| (c.force.as_str(), c.month.as_str(), c.crimes)).collect();
    assert_eq!(coverage, [("Avon Police", "2022-01", 1), ("Zed Police", "2022-01", 3), ("Zed Police", "2022-02", 1)]);
}

#[test]
fn a_lookup_file_that_is_not_a_lookup_is_an_error_naming_the_file() {
    let err = Lookup::from_path(&data("malformed/2022-01-testshire-street.csv")).expect_err("not a lookup");
    let text = err.to_string();
    assert!(
        text.contains("2022-01-testshire-street.csv") && text.contains("line 1") && text.contains("LSOA11CD"),
        "{text}"
    );
}
