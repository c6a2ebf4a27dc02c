//! Aggregation of a real year of Leicestershire Police street files (the demo's archive):
//! counts checked against an independent naive count and against totals counted with
//! another tool, zip, folder and single-file inputs agreeing, the lookup and the
//! name-prefix rules, and crimes without a location counted at force level.
//!
//! The fixed totals below were counted separately with Python's `csv` module
//! (`csv.DictReader` over the 13 files in `../shared/data/policeuk/street/leicestershire/`,
//! the lookup read with the same module), not with this crate.

mod common;

use std::collections::BTreeMap;

use common::{as_naive, csv_files, demo_lookup, demo_zip, naive_count, unpack_demo};
use pcplan_crime::{AreaRule, FileKind, Lookup, Options, aggregate_paths, measures};

/// Rows per month, counted with Python's csv module.
const MONTHS: [(&str, u64); 13] = [
    ("2021-10", 9055),
    ("2021-11", 8718),
    ("2021-12", 8185),
    ("2022-01", 8730),
    ("2022-02", 8482),
    ("2022-03", 10019),
    ("2022-04", 9494),
    ("2022-05", 10332),
    ("2022-06", 9980),
    ("2022-07", 10056),
    ("2022-08", 10373),
    ("2022-09", 9492),
    ("2022-10", 9802),
];

const FORCE: &str = "Leicestershire Police";

#[test]
fn a_year_of_leicestershire_matches_an_independent_count_of_every_cell() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = unpack_demo(dir.path());
    let result = aggregate_paths(std::slice::from_ref(&folder), &Options::default()).expect("the folder is read");

    let naive = naive_count(&csv_files(&folder));
    assert_eq!(as_naive(&result), naive);

    assert_eq!(result.crimes(), 122_718);
    assert_eq!(result.malformed(), 0);
    // Distinct (month, area, crime type, outcome) cells, counted with Python as well.
    assert_eq!(result.rows.len(), 7651);
    let by_month: BTreeMap<&str, u64> = result.coverage.iter().map(|c| (c.month.as_str(), c.crimes)).collect();
    assert_eq!(by_month, MONTHS.into_iter().collect());
    assert!(result.coverage.iter().all(|c| c.force == FORCE));
    assert_eq!(result.area_rule, AreaRule::NamePrefix);
    assert!(result.outcomes.is_none());
}

#[test]
fn the_zip_the_folder_and_the_single_files_give_the_same_counts() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let folder = unpack_demo(dir.path());
    let options = Options::default();
    let from_zip = aggregate_paths(&[demo_zip()], &options).expect("the archive is read");
    let from_folder = aggregate_paths(std::slice::from_ref(&folder), &options).expect("the folder is read");
    let mut files = csv_files(&folder);
    files.reverse(); // the order given does not matter
    let from_files = aggregate_paths(&files, &options).expect("the files are read");

    assert_eq!(from_zip.rows, from_folder.rows);
    assert_eq!(from_files.rows, from_folder.rows);
    assert_eq!(from_zip.coverage, from_folder.coverage);
    assert_eq!(from_zip.files.len(), 13);
    assert!(from_zip.files.iter().all(|f| f.kind == FileKind::Street && f.skipped.is_none()));
    assert!(
        from_zip.files[0].path.ends_with(".zip:2021-10/2021-10-leicestershire-street.csv"),
        "{}",
        from_zip.files[0].path
    );
    assert_eq!(from_zip.files[0].months, ["2021-10"]);
    assert_eq!(from_zip.files[0].forces, [FORCE]);
    assert_eq!(from_zip.files[0].rows, 9055);
}

#[test]
fn the_result_does_not_depend_on_the_number_of_threads() {
    let one = aggregate_paths(&[demo_zip()], &Options { threads: Some(1), ..Options::default() }).expect("read");
    let three = aggregate_paths(&[demo_zip()], &Options { threads: Some(3), ..Options::default() }).expect("read");
    assert_eq!(one, three);
}

#[test]
fn with_the_lookup_crimes_fall_in_districts_and_unknown_codes_in_name_prefixes() {
    let lookup = Lookup::from_path(&demo_lookup()).expect("the demo lookup loads");
    assert_eq!(lookup.lsoas(), 611);
    assert_eq!(lookup.areas().len(), 9);
    let options = Options { lookup: Some(&lookup), ..Options::default() };
    let result = aggregate_paths(&[demo_zip()], &options).expect("the archive is read");

    let mut by_area: BTreeMap<(&str, Option<&str>), u64> = BTreeMap::new();
    for r in &result.rows {
        *by_area.entry((r.area.as_str(), r.area_code.as_deref())).or_insert(0) += r.count;
    }
    // Counted with Python: the district of each LSOA code in the lookup, else the name prefix.
    let expected = [
        ("Leicester UA", Some("E06000016"), 57_269),
        ("Charnwood", Some("E07000130"), 18_029),
        ("North West Leicestershire", Some("E07000134"), 9702),
        ("Hinckley and Bosworth", Some("E07000132"), 8823),
        ("Blaby", Some("E07000129"), 8062),
        ("Harborough", Some("E07000131"), 6066),
        ("Oadby and Wigston", Some("E07000135"), 4582),
        ("Melton", Some("E07000133"), 4552),
        ("Leicestershire Police (no location)", None, 3183),
        ("Rutland UA", Some("E06000017"), 2185),
        ("South Kesteven", None, 62),
        ("Rugby", None, 38),
    ];
    for (area, code, crimes) in expected {
        assert_eq!(by_area.get(&(area, code)), Some(&crimes), "{area}");
    }
    assert_eq!(result.crimes(), 122_718);

    // 78 LSOA codes of neighbouring forces' areas, 265 crimes, fell back to their names.
    assert_eq!(result.unmatched_lsoas.len(), 78);
    assert_eq!(result.unmatched_lsoas.iter().map(|u| u.crimes).sum::<u64>(), 265);
    assert!(result.unmatched_lsoas.iter().all(|u| lookup.area_of(&u.code).is_none()));
    assert!(matches!(&result.area_rule, AreaRule::Lookup { lsoas: 611, .. }));
}

#[test]
fn crimes_without_a_location_are_counted_at_force_level() {
    let result = aggregate_paths(&[demo_zip()], &Options::default()).expect("the archive is read");
    let area = pcplan_crime::no_location_area(FORCE);
    let rows: Vec<_> = result.rows.iter().filter(|r| r.area == area).collect();
    assert_eq!(rows.iter().map(|r| r.count).sum::<u64>(), 3183);
    assert!(rows.iter().all(|r| r.area_code.is_none() && r.force == FORCE));
    // Every month has some.
    let months: std::collections::BTreeSet<&str> = rows.iter().map(|r| r.month.as_str()).collect();
    assert_eq!(months.len(), 13);
}

#[test]
fn the_charge_share_of_the_real_files_matches_a_separate_count() {
    let lookup = Lookup::from_path(&demo_lookup()).expect("the demo lookup loads");
    let options = Options { lookup: Some(&lookup), ..Options::default() };
    let result = aggregate_paths(&[demo_zip()], &options).expect("the archive is read");
    let shares = measures::charge_share(&result.rows);
    let find = |month: &str, area: &str| {
        shares.iter().find(|s| s.month == month && s.area == area).expect("the area and month are present")
    };
    // Counted with Python: crimes other than anti-social behaviour, and of those the ones
    // whose last outcome is in `CHARGE_OR_SUMMONS`.
    let leicester = find("2022-10", "Leicester UA");
    assert_eq!((leicester.crimes, leicester.charged_or_summonsed), (4056, 83));
    assert_eq!(leicester.area_code.as_deref(), Some("E06000016"));
    let blaby = find("2021-10", "Blaby");
    assert_eq!((blaby.crimes, blaby.charged_or_summonsed), (529, 18));
    assert_eq!(blaby.share, Some(18.0 / 529.0));
    assert_eq!(shares.iter().map(|s| s.crimes).sum::<u64>(), 111_897);
    assert_eq!(shares.iter().map(|s| s.charged_or_summonsed).sum::<u64>(), 5467);
}

#[test]
fn crimes_by_type_sum_the_outcomes_of_each_type() {
    let result = aggregate_paths(&[demo_zip()], &Options::default()).expect("the archive is read");
    let by_type = measures::crimes_by_type(&result.rows);
    assert_eq!(by_type.iter().map(|t| t.crimes).sum::<u64>(), result.crimes());
    let asb: u64 = by_type.iter().filter(|t| t.crime_type == measures::ANTI_SOCIAL_BEHAVIOUR).map(|t| t.crimes).sum();
    // Counted with Python.
    assert_eq!(asb, 10_821);
    let burglary_blaby = by_type
        .iter()
        .find(|t| t.month == "2022-10" && t.area == "Blaby" && t.crime_type == "Burglary")
        .map(|t| t.crimes);
    let from_rows: u64 = result
        .rows
        .iter()
        .filter(|r| r.month == "2022-10" && r.area == "Blaby" && r.crime_type == "Burglary")
        .map(|r| r.count)
        .sum();
    assert_eq!(burglary_blaby, Some(from_rows));
}
