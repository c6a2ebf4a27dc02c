//! The real export formats in `tests/data/` (from i-dot-ai/themefinder), each read and
//! mapped: a placeholder row above the header, a blank line after it, long question
//! headers, and question-setup workbooks with title rows and an instruction row.

use pcplan_import::{Encoding, ImportError, Limits, ReadOptions, Table, Target, apply, read, suggest_mapping};

const TARGETS: &[Target] = &[
    Target {
        key: "respondent_type",
        label: "Respondent type",
        required: false,
        free_text: false,
        synonyms: &["responding as", "organisation type"],
    },
    Target { key: "response", label: "Response", required: true, free_text: true, synonyms: &["answer"] },
];

fn fixture(name: &str, options: &ReadOptions) -> Result<Table, ImportError> {
    let path = format!("{}/tests/data/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("the fixture is in tests/data");
    read(name, &bytes, options, &mut |_| {})
}

fn lines(table: &Table) -> Vec<usize> {
    table.rows.iter().map(|r| r.line).collect()
}

#[test]
fn the_biomass_export_takes_the_question_row_under_the_ident_row_as_its_header() {
    let table = fixture("responses_biomass_format.csv", &ReadOptions::default()).expect("reads");
    assert_eq!(table.header_line, 2);
    assert_eq!(table.headers.len(), 5);
    assert_eq!(table.headers[0], "What is your name?");
    assert_eq!(table.encoding, Some(Encoding::Utf8));
    assert_eq!(lines(&table), vec![3, 4, 5, 6, 7]);
    assert_eq!(table.rows[0].cells, vec!["", "", "Organisation", "Biomass Supplier", "Yes"]);

    let mapping = suggest_mapping(&table, TARGETS);
    // "Are you responding as an individual or on behalf of an organisation?"
    assert_eq!(mapping.column("respondent_type"), Some(2));
    let mapped = apply(&table, &mapping, TARGETS, &Limits::default()).expect("mapping is valid");
    assert_eq!(mapped.good.len(), 5);
    assert!(mapped.bad.is_empty(), "{:?}", mapped.bad);
    assert_eq!(mapped.good[2].values["respondent_type"], "Individual");
}

#[test]
fn the_scr_export_skips_the_blank_line_after_its_header() {
    let table = fixture("responses_scr_format.csv", &ReadOptions::default()).expect("reads");
    assert_eq!(table.header_line, 1);
    assert_eq!(table.skipped_blank_lines, 1);
    assert_eq!(lines(&table), vec![3, 4, 5, 6, 7]);

    let mapping = suggest_mapping(&table, TARGETS);
    assert_eq!(mapping.column("respondent_type"), Some(0));
    // The free-text answers are the longest cells.
    assert_eq!(mapping.column("response"), Some(4));
    let mapped = apply(&table, &mapping, TARGETS, &Limits::default()).expect("mapping is valid");
    assert_eq!(mapped.good.len(), 5);
    assert_eq!(mapped.good[0].line, 3);
    assert_eq!(
        mapped.good[0].values["response"],
        "Clear standards will help compliance considerably across the sector"
    );
}

#[test]
fn the_lgr_export_maps_its_long_question_headers() {
    let table = fixture("responses_lgr_format.csv", &ReadOptions::default()).expect("reads");
    assert_eq!(table.header_line, 1);
    assert_eq!(table.headers.len(), 8);
    assert_eq!(lines(&table), vec![2, 3, 4, 5, 6]);

    let mapping = suggest_mapping(&table, TARGETS);
    // "Respondent type - Respondent type" contains the label as whole words.
    assert_eq!(mapping.column("respondent_type"), Some(0));
    let response = mapping.column("response").expect("a free-text column is suggested");
    assert!(table.headers[response].contains("Please use this space to explain"), "{}", table.headers[response]);
    let mapped = apply(&table, &mapping, TARGETS, &Limits::default()).expect("mapping is valid");
    assert_eq!(mapped.good.len(), 5);
    assert!(mapped.bad.is_empty());
}

#[test]
fn the_numeric_setup_workbook_reads_its_first_sheet_below_the_title_rows() {
    let table = fixture("qu_format_a_numeric.xlsx", &ReadOptions::default()).expect("reads");
    assert_eq!(table.sheet.as_deref(), Some("Demographic"));
    assert_eq!(table.encoding, None);
    assert_eq!(table.header_line, 3);
    assert_eq!(table.headers, vec!["Column ID", "Demographic title"]);
    assert_eq!(lines(&table), vec![4, 5]);
    assert_eq!(table.rows[1].cells, vec!["F", "Size of organisation"]);
}

#[test]
fn whole_numbers_in_a_workbook_read_without_a_decimal_point() {
    let options = ReadOptions { sheet: Some("open questions".to_owned()), ..ReadOptions::default() };
    let table = fixture("qu_format_a_numeric.xlsx", &options).expect("reads");
    assert_eq!(table.sheet.as_deref(), Some("Open questions"));
    assert_eq!(table.headers[..2], ["Column ID", "Number"]);
    let numbers: Vec<&str> = table.rows.iter().map(|r| r.cells[1].as_str()).collect();
    assert_eq!(numbers, vec!["2", "3", "4"]);

    let targets = [
        Target { key: "column", label: "Column ID", required: true, free_text: false, synonyms: &[] },
        Target { key: "title", label: "Title", required: true, free_text: true, synonyms: &[] },
    ];
    let mapping = suggest_mapping(&table, &targets);
    assert_eq!(mapping.column("column"), Some(0));
    // "Title of the question as you want it to appear in the app"
    assert_eq!(mapping.column("title"), Some(2));
    let mapped = apply(&table, &mapping, &targets, &Limits::default()).expect("mapping is valid");
    assert_eq!(mapped.good.len(), 3);
    assert_eq!(mapped.good[0].values["column"], "I");
}

#[test]
fn the_instruction_row_under_a_header_is_data_unless_the_first_data_row_is_given() {
    let open = ReadOptions { sheet: Some("Open questions".to_owned()), ..ReadOptions::default() };
    let table = fixture("qu_format_b_instruction.xlsx", &open).expect("reads");
    assert_eq!(table.header_line, 3);
    assert_eq!(lines(&table), vec![4, 5, 6, 7]);
    assert!(table.rows[0].cells[0].starts_with("Which column"));

    let skipping = ReadOptions { first_data_row: Some(5), ..open };
    let table = fixture("qu_format_b_instruction.xlsx", &skipping).expect("reads");
    assert_eq!(lines(&table), vec![5, 6, 7]);
    assert_eq!(table.rows[0].cells[..2], ["K", "Proposal 1 Q8"]);
}

#[test]
fn a_missing_sheet_is_an_error_listing_the_sheets() {
    let options = ReadOptions { sheet: Some("Responses".to_owned()), ..ReadOptions::default() };
    let error = fixture("qu_format_b_instruction.xlsx", &options).expect_err("no such sheet");
    assert_eq!(
        error.to_string(),
        "`qu_format_b_instruction.xlsx` has no sheet named `Responses`; its sheets are `Demographic`, \
         `Multiple Choice`, `Hybrid questions` and `Open questions`"
    );
}
