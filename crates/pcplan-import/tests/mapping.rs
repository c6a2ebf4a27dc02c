//! The mapping step: suggestions from headers and cell lengths, and the checks that a
//! confirmed mapping names every required field and no column twice.

use pcplan_import::{Limits, Mapping, MappingError, ReadOptions, Table, Target, apply, check_mapping, suggest_mapping};

const TARGETS: &[Target] = &[
    Target { key: "id", label: "Respondent ID", required: true, free_text: false, synonyms: &["response id", "ref"] },
    Target { key: "area", label: "Area", required: false, free_text: false, synonyms: &["postcode district"] },
    Target { key: "response", label: "Response", required: true, free_text: true, synonyms: &[] },
];

fn table() -> Table {
    let text = "Ref.,Postcode District,Q1: Any comments?,Q2\n\
        A1,B1,We need more officers on foot in the town centre,Yes\n\
        A2,B2,Speeding on the ring road is the worst problem here,No\n";
    pcplan_import::read("t.csv", text.as_bytes(), &ReadOptions::default(), &mut |_| {}).expect("reads")
}

fn mapping(pairs: &[(&str, usize)]) -> Mapping {
    Mapping(pairs.iter().map(|(k, c)| ((*k).to_owned(), *c)).collect())
}

#[test]
fn suggestions_match_synonyms_ignoring_case_and_punctuation_then_the_longest_text() {
    let table = table();
    let suggested = suggest_mapping(&table, TARGETS);
    assert_eq!(suggested, mapping(&[("id", 0), ("area", 1), ("response", 2)]));
    assert!(check_mapping(&table, &suggested, TARGETS).is_ok());
}

#[test]
fn a_required_field_left_unmapped_is_named() {
    let error = check_mapping(&table(), &mapping(&[("id", 0)]), TARGETS).expect_err("response is required");
    assert_eq!(error, MappingError::RequiredNotMapped { target: "Response".to_owned() });
    assert_eq!(
        error.to_string(),
        "`Response` is not mapped to a column, and it is required; choose the column that holds it"
    );
}

#[test]
fn one_column_mapped_to_two_fields_is_refused() {
    let error = apply(&table(), &mapping(&[("id", 0), ("response", 0)]), TARGETS, &Limits::default())
        .expect_err("column 0 twice");
    assert_eq!(
        error.to_string(),
        "column `Ref.` is mapped to both `Respondent ID` and `Response`; map each column to one field"
    );
}

#[test]
fn a_column_past_the_end_or_an_unknown_field_is_refused() {
    let error = check_mapping(&table(), &mapping(&[("id", 0), ("response", 7)]), TARGETS).expect_err("no column 8");
    assert_eq!(error, MappingError::NoSuchColumn { target: "Response".to_owned(), column: 8, columns: 4 });
    let error =
        check_mapping(&table(), &mapping(&[("id", 0), ("response", 2), ("mood", 3)]), TARGETS).expect_err("unknown");
    assert_eq!(error, MappingError::UnknownTarget { key: "mood".to_owned() });
}

#[test]
fn mapped_values_are_trimmed_and_empty_optional_fields_left_out() {
    let text = "Ref,Area,Response\n A1 ,, Yes please \n";
    let table = pcplan_import::read("t.csv", text.as_bytes(), &ReadOptions::default(), &mut |_| {}).expect("reads");
    let mapped = apply(&table, &suggest_mapping(&table, TARGETS), TARGETS, &Limits::default()).expect("valid");
    let values = &mapped.good[0].values;
    assert_eq!(values.get("id").map(String::as_str), Some("A1"));
    assert_eq!(values.get("area"), None);
    assert_eq!(values.get("response").map(String::as_str), Some("Yes please"));
}
