//! Representativeness of respondents by area, the population table staff load, and the
//! breakdown of themes by category. Every expected figure is worked by hand in the
//! comment beside it, so a change to the arithmetic shows up as a wrong number.

use std::collections::BTreeMap;

use pcplan_domain::Area;
use pcplan_domain::representation::{
    AreaPopulation, PopulationError, Representation, RepresentationRules, crosstab, for_areas, parse_population_csv,
    representation,
};

fn area(code: &str, name: &str, population: u64) -> AreaPopulation {
    AreaPopulation { code: code.to_string(), name: name.to_string(), population }
}

fn counts(pairs: &[(&str, u64)]) -> BTreeMap<String, u64> {
    pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
}

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-4
}

/// Three areas of 600, 300 and 100 residents.
fn three_areas() -> Vec<AreaPopulation> {
    vec![area("E1", "Ashby", 600), area("E2", "Barton", 300), area("E3", "Carlby", 100)]
}

#[test]
fn shares_expected_counts_indices_and_z_scores_match_the_hand_computed_figures() {
    // 100 located responses (40 + 50 + 10), 8 that cannot be placed (5 gave no area, 3
    // gave a code the table lacks).
    let responses = counts(&[("E1", 40), ("E2", 50), ("E3", 10), ("", 5), ("E99999999", 3)]);
    let report = representation(&three_areas(), &responses, &RepresentationRules::default());
    assert_eq!(report.total_responses, 108);
    assert_eq!(report.unknown_area_responses, 8);
    assert_eq!(report.unknown_codes, ["E99999999"]);
    assert_eq!(report.located_responses(), 100);
    assert_eq!(report.total_population, 1000);
    assert!(close(report.rate_per_1000(), 100.0));

    // (code, response share, population share, expected, index, z, rate per 1,000, status)
    // Ashby: p = 0.6, expected 60, index 40/60, z = (40 - 60) / sqrt(100 * 0.6 * 0.4) = -20 / 4.89898
    // Barton: p = 0.3, expected 30, index 50/30, z = 20 / sqrt(21) = 20 / 4.58258
    // Carlby: p = 0.1, expected 10, index 1, z = 0 / 3
    let expected = [
        ("E1", 0.40, 0.6, 60.0, 0.666_667, -4.082_483, 66.666_667, Representation::Under),
        ("E2", 0.50, 0.3, 30.0, 1.666_667, 4.364_358, 166.666_667, Representation::Over),
        ("E3", 0.10, 0.1, 10.0, 1.0, 0.0, 100.0, Representation::AsExpected),
    ];
    assert_eq!(report.areas.len(), 3);
    for (row, (code, rs, ps, exp, index, z, rate, status)) in report.areas.iter().zip(expected) {
        assert_eq!(row.code, code);
        assert!(close(row.response_share, rs), "{code} response share {}", row.response_share);
        assert!(close(row.population_share, ps), "{code} population share {}", row.population_share);
        assert!(close(row.expected, exp), "{code} expected {}", row.expected);
        assert!(close(row.index, index), "{code} index {}", row.index);
        assert!(close(row.z, z), "{code} z {}", row.z);
        assert!(close(row.rate_per_1000, rate), "{code} rate {}", row.rate_per_1000);
        assert_eq!(row.status, status, "{code}");
    }
    let under: Vec<&str> = report.under_represented().map(|a| a.name.as_str()).collect();
    assert_eq!(under, ["Ashby"]);
}

#[test]
fn an_area_is_flagged_only_when_the_gap_is_both_large_and_unlikely_to_be_chance() {
    let halves = [area("E1", "Ashby", 500), area("E2", "Barton", 500)];
    let rules = RepresentationRules::default();
    // (responses in Ashby, in Barton, Ashby's status, why)
    let cases = [
        // n = 20, expected 10: index 0.6 but z = -4 / sqrt(5) = -1.79, within chance.
        (6, 14, Representation::AsExpected, "a large gap in few responses"),
        // n = 20000, expected 10000: z = -500 / sqrt(5000) = -7.07, but index 0.95.
        (9500, 10500, Representation::AsExpected, "a small gap in many responses"),
        // n = 100, expected 50: index 0.6, z = -20 / 5 = -4.
        (30, 70, Representation::Under, "a large gap beyond chance"),
        // n = 100: index 1.4, z = 20 / 5 = 4; over needs index above 1.25.
        (70, 30, Representation::Over, "over-represented"),
        // n = 8, expected 4: below the 5 the normal approximation needs.
        (0, 8, Representation::TooFewToTell, "too few to tell, even with none at all"),
    ];
    for (a, b, status, why) in cases {
        let report = representation(&halves, &counts(&[("E1", a), ("E2", b)]), &rules);
        assert_eq!(report.areas[0].status, status, "{why}");
    }
}

#[test]
fn the_thresholds_are_settings() {
    // Ashby has index 0.667 and z -4.08 (the first test).
    let responses = counts(&[("E1", 40), ("E2", 50), ("E3", 10)]);
    let strict = RepresentationRules { under_index: 0.6, ..RepresentationRules::default() };
    assert_eq!(representation(&three_areas(), &responses, &strict).areas[0].status, Representation::AsExpected);
    let wary = RepresentationRules { z: 5.0, ..RepresentationRules::default() };
    assert_eq!(representation(&three_areas(), &responses, &wary).areas[0].status, Representation::AsExpected);
    let small = RepresentationRules { min_expected: 61.0, ..RepresentationRules::default() };
    assert_eq!(representation(&three_areas(), &responses, &small).areas[0].status, Representation::TooFewToTell);

    let defaults: RepresentationRules = serde_json::from_str("{}").expect("all fields default");
    assert_eq!(defaults, RepresentationRules::default());
    let partial: RepresentationRules = serde_json::from_str(r#"{"z": 2.58}"#).expect("one field");
    assert_eq!(partial.z, 2.58);
    assert_eq!(partial.under_index, 0.8);
    assert!(serde_json::from_str::<RepresentationRules>(r#"{"zz": 1}"#).is_err(), "unknown fields are refused");
}

#[test]
fn with_no_responses_yet_every_area_is_too_few_to_tell_and_nothing_is_divided_by_zero() {
    let report = representation(&three_areas(), &BTreeMap::new(), &RepresentationRules::default());
    assert_eq!(report.total_responses, 0);
    for row in &report.areas {
        assert_eq!(row.status, Representation::TooFewToTell);
        assert_eq!((row.response_share, row.expected, row.index, row.z, row.rate_per_1000), (0.0, 0.0, 0.0, 0.0, 0.0));
    }
    // Only unplaceable responses: the same, and they are still counted.
    let report = representation(&three_areas(), &counts(&[("", 12)]), &RepresentationRules::default());
    assert_eq!((report.total_responses, report.unknown_area_responses, report.located_responses()), (12, 12, 0));
    assert!(report.unknown_codes.is_empty(), "the empty code is not listed as an unknown code");
    assert!(report.areas.iter().all(|a| a.status == Representation::TooFewToTell && a.index == 0.0));

    // One area: its share is 1 and has no variance, so z is 0, never NaN.
    let report = representation(&[area("E1", "Ashby", 10)], &counts(&[("E1", 7)]), &RepresentationRules::default());
    assert_eq!((report.areas[0].index, report.areas[0].z), (1.0, 0.0));
    assert_eq!(report.areas[0].status, Representation::AsExpected);
}

#[test]
fn the_report_serialises_with_snake_case_statuses() {
    let report = representation(&three_areas(), &counts(&[("E1", 40), ("E2", 50), ("E3", 10)]), &Default::default());
    let json = serde_json::to_value(&report).expect("serialises");
    assert_eq!(json["areas"][0]["status"], "under");
    assert_eq!(json["areas"][2]["status"], "as_expected");
    assert_eq!(json["areas"][1]["responses"], 50);
    assert_eq!(Representation::TooFewToTell.label(), "Too few responses to tell");
}

// ---------------------------------------------------------------------------------------
// The population table
// ---------------------------------------------------------------------------------------

#[test]
fn a_plain_table_is_read_in_its_order() {
    let text = "code,name,population\nE08000025,Birmingham,1144919\nE08000026,Coventry,345324\n";
    let table = parse_population_csv(text).expect("a valid table");
    assert_eq!(table, [area("E08000025", "Birmingham", 1_144_919), area("E08000026", "Coventry", 345_324)]);
}

#[test]
fn a_table_in_the_ons_mid_year_estimates_layout_is_read_as_it_is() {
    // `Code, Name, Geography, All ages` then single years of age, with a byte-order mark,
    // Windows line endings, quoted thousands and a blank line.
    let text = "\u{feff}Code,Name,Geography,All ages,0,1\r\n\
                E08000025,Birmingham,Metropolitan District,\"1,144,919\",\"15,123\",\"15,020\"\r\n\
                \r\n\
                E08000031,Wolverhampton,Metropolitan District,263357,3311,3302\r\n";
    let table = parse_population_csv(text).expect("the ONS layout");
    assert_eq!(table, [area("E08000025", "Birmingham", 1_144_919), area("E08000031", "Wolverhampton", 263_357)]);
}

#[test]
fn empty_cells_after_the_last_column_are_ignored() {
    // Spreadsheets often save trailing commas.
    let text = "code,name,population\nE1,Ashby,10,,\nE2,Barton,20,\n";
    assert_eq!(parse_population_csv(text).expect("valid"), [area("E1", "Ashby", 10), area("E2", "Barton", 20)]);
}

#[test]
fn ons_lookup_column_names_and_any_column_order_are_accepted() {
    let text = "Population,LAD23NM,LAD23CD,Notes\n\"345,324\",Coventry,E08000026,\n";
    assert_eq!(parse_population_csv(text).expect("valid"), [area("E08000026", "Coventry", 345_324)]);
    let text = "Area code,Area name,Total population\nW06000015,\"Cardiff, City of\",372089\n";
    assert_eq!(parse_population_csv(text).expect("valid"), [area("W06000015", "Cardiff, City of", 372_089)]);
}

#[test]
fn a_quoted_field_over_two_lines_keeps_the_line_numbers_right() {
    let text = "code,name,population\nE1,\"Ashby\nde la Zouch\",100\nE2,Barton,lots\n";
    let err = parse_population_csv(text).expect_err("line 4 is bad");
    assert_eq!(
        err.to_string(),
        "line 4: population `lots` is not a whole number; write it like `1144919` or `\"1,144,919\"`"
    );
}

#[test]
fn each_bad_table_is_refused_with_the_line_and_the_field() {
    // (table, message): the header is line 1.
    let cases: &[(&str, &str)] = &[
        ("", "the population table is empty; its first line must be a header like `code,name,population`"),
        ("\n\n", "the population table is empty; its first line must be a header like `code,name,population`"),
        ("code,name,population\n", "the population table has a header but no areas; add one line per area below it"),
        (
            "code,name,population\nE1,Ashby,1\nE2,Barton,1\nE3,Carlby,abc\n",
            "line 4: population `abc` is not a whole number; write it like `1144919` or `\"1,144,919\"`",
        ),
        (
            "code,name,population\nE1,Ashby,12.5\n",
            "line 2: population `12.5` is not a whole number; write it like `1144919` or `\"1,144,919\"`",
        ),
        (
            "code,name,population\nE1,Ashby,-5\n",
            "line 2: population `-5` is not a whole number; write it like `1144919` or `\"1,144,919\"`",
        ),
        (
            "code,name,population\nE1,Ashby,\"1,14,4919\"\n",
            "line 2: population `1,14,4919` is not a whole number; write it like `1144919` or `\"1,144,919\"`",
        ),
        (
            "code,name,population\nE1,Ashby,1,144,919\n",
            "line 2: the row has 5 cells but the header has 3; a population written with thousands separators \
             must be in quotes, like `\"1,144,919\"`",
        ),
        (
            "code,name,population\nE1,Ashby,0\n",
            "line 2: the population of `E1` is 0; give the area's population or remove its line",
        ),
        (
            "code,name,population\nE1,Ashby,10\nE2,Barton,20\nE1,Ashby again,30\n",
            "line 4: area code `E1` is already on line 2; each area may appear once",
        ),
        (
            "code,name,population\nE1,Ashby,10\nE2, ,20\n",
            "line 3: the name is empty; every area needs a code, a name and a population",
        ),
        (
            "code,name,population\nE1,Ashby\n",
            "line 2: the population is empty; every area needs a code, a name and a population",
        ),
        (
            "code,name,population\nE1,Ashby,10\nE2,\"Barton,20\n",
            "line 3: a quoted field is never closed; add the closing `\"`",
        ),
        (
            "code,name\nE1,Ashby\n",
            "the header has no population column (it has `code`, `name`); name the columns `code,name,population`, \
             or keep the `Code`, `Name` and `All ages` columns of an ONS mid-year estimates table",
        ),
        (
            "code,LAD21CD,name,population\nE1,E1,Ashby,10\n",
            "the header has two code columns, `code` and `LAD21CD`; remove one of them",
        ),
    ];
    for (text, message) in cases {
        let err = parse_population_csv(text).expect_err(text);
        assert_eq!(err.to_string(), *message, "{text:?}");
    }
}

#[test]
fn the_ons_lsoa_lookup_is_refused_because_it_has_no_population() {
    // The header and first row of `lsoa11_to_lad_west-midlands-pfa.csv` (Office for
    // National Statistics, Open Government Licence v3.0): it maps small areas to local
    // authorities but counts nobody, so it cannot be a population table.
    let text = "LSOA11CD,LSOA11NM,MSOA11CD,MSOA11NM,LADCD,LADNM,RGNCD,RGNNM,PFA\n\
                E01009417,Birmingham 001A,E02001827,Birmingham 001,\
                E08000025,Birmingham,E12000005,WEST MIDLANDS,West Midlands\n";
    let err = parse_population_csv(text).expect_err("no population column");
    assert!(matches!(err, PopulationError::MissingColumn { column: "population", .. }), "{err}");
    assert!(err.to_string().contains("`LADCD`"), "{err}");
}

#[test]
fn a_national_table_is_cut_to_the_bodys_areas_in_the_bodys_order() {
    let table = vec![
        area("E08000025", "Birmingham", 1_144_919),
        area("E06000016", "Leicester", 368_600),
        area("E08000026", "Coventry", 345_324),
    ];
    let areas = [
        Area { code: "E08000026".to_string(), name: "Coventry".to_string() },
        Area { code: "E08000025".to_string(), name: "Birmingham".to_string() },
    ];
    let cut = for_areas(&table, &areas).expect("both are in the table");
    assert_eq!(cut, [table[2].clone(), table[0].clone()]);

    let missing = [Area { code: "E08000028".to_string(), name: "Sandwell".to_string() }];
    let err = for_areas(&table, &missing).expect_err("Sandwell is not in the table");
    assert_eq!(
        err.to_string(),
        "the population table has no line for `E08000028` (Sandwell); add the area's population to the table"
    );
}

// ---------------------------------------------------------------------------------------
// Breakdowns
// ---------------------------------------------------------------------------------------

#[test]
fn a_crosstab_counts_themes_by_category_and_shares_use_the_category_totals() {
    let pairs = [
        ("Knife crime", "Resident"),
        ("Knife crime", "Business"),
        ("Road safety", "Resident"),
        ("Knife crime", "Resident"),
        ("Road safety", "Organisation"),
        ("Youth services", "Online survey"),
    ];
    let totals = counts(&[("Resident", 4), ("Business", 2), ("Organisation", 1), ("Councillor", 3)]);
    let table = crosstab(pairs, &totals);
    assert_eq!(table.rows, ["Knife crime", "Road safety", "Youth services"]);
    assert_eq!(table.columns, ["Business", "Councillor", "Online survey", "Organisation", "Resident"]);
    assert_eq!(table.counts, [vec![1, 0, 0, 0, 2], vec![0, 0, 0, 1, 1], vec![0, 0, 1, 0, 0]]);
    assert_eq!(table.column_totals, [2, 3, 0, 1, 4]);
    assert_eq!(table.row_totals(), [3, 2, 1]);

    // (theme, category, count, share): 2 of 4 residents raised knife crime, and so on.
    let cells = [
        ("Knife crime", "Resident", Some(2), Some(0.5)),
        ("Knife crime", "Business", Some(1), Some(0.5)),
        ("Road safety", "Organisation", Some(1), Some(1.0)),
        ("Road safety", "Councillor", Some(0), Some(0.0)),
        ("Road safety", "Resident", Some(1), Some(0.25)),
        // A category with no total has counts but no shares.
        ("Youth services", "Online survey", Some(1), None),
        ("Burglary", "Resident", None, None),
        ("Knife crime", "Visitor", None, None),
    ];
    for (theme, category, count, share) in cells {
        assert_eq!(table.count(theme, category), count, "{theme} / {category}");
        assert_eq!(table.share(theme, category), share, "{theme} / {category}");
    }
}

#[test]
fn a_crosstab_is_the_same_whatever_order_the_categories_come_in() {
    let totals = counts(&[("Email", 10), ("Paper", 5), ("Web", 20)]);
    let a = crosstab([("Theme A", "Web"), ("Theme A", "Paper"), ("Theme B", "Email")], &totals);
    let b = crosstab([("Theme A", "Paper"), ("Theme B", "Email"), ("Theme A", "Web")], &totals);
    assert_eq!(a, b);
    assert_eq!(a.columns, ["Email", "Paper", "Web"]);

    let empty = crosstab(std::iter::empty(), &totals);
    assert!(empty.rows.is_empty() && empty.counts.is_empty());
    assert_eq!(empty.column_totals, [10, 5, 20]);
}
