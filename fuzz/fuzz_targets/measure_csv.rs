//! The measure observations import: a CSV or XLSX file of figures for the plan's
//! measures, as `/staff/performance/import` checks an upload (`check_file` and
//! `resolve` in `crates/pcplan-web/src/staff/performance/import.rs`).
//!
//! The file is sniffed and read with the defaults, its columns found by the page's
//! headers and synonyms, mapped with the page's limit of 2,000 characters a cell, and
//! each good row's cells parsed as the page parses them: the measure as an item id (a
//! title is matched against the plan, which there is none of here), the period by
//! `pcplan_domain::period` and then used as the store uses it (start, end, label, the
//! periods either side and a year before), the figures as numbers (commas and a `%`
//! dropped, then `str::parse`, as the page does). Rows are not matched to measures or
//! areas: that is string comparison against the plan, which the target has none of.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pcplan_domain::ItemId;
use pcplan_domain::period::Period;
use pcplan_import::{Limits, ReadOptions, Target, check_mapping, sniff, suggest_mapping};

/// The page's columns, in its order: measure first, so that in a file without a
/// `Measure` header no other column is taken for it.
const TARGETS: &[Target] = &[
    Target {
        key: "measure",
        label: "Measure",
        required: true,
        free_text: false,
        synonyms: &["measure title", "measure name", "measure id", "indicator", "kpi"],
    },
    Target {
        key: "period",
        label: "Period",
        required: true,
        free_text: false,
        synonyms: &["reporting period", "month", "quarter", "financial year", "year"],
    },
    Target {
        key: "area",
        label: "Area",
        required: false,
        free_text: false,
        synonyms: &["area code", "area name", "ons code", "local authority", "district", "lad code"],
    },
    Target {
        key: "value",
        label: "Value",
        required: true,
        free_text: false,
        synonyms: &["figure", "result", "actual", "observation"],
    },
    Target { key: "count", label: "Count", required: false, free_text: false, synonyms: &["numerator"] },
    Target { key: "out_of", label: "Out of", required: false, free_text: false, synonyms: &["denominator", "base"] },
    Target { key: "note", label: "Note", required: false, free_text: false, synonyms: &["notes", "comment"] },
];

/// The page's limit on a cell: a note of 2,000 characters.
const LIMITS: Limits = Limits { max_chars: 2_000 };

/// A period as the store and the pages use it, and the promise of its text form: what
/// `Display` writes, `FromStr` reads back as the same period.
fn use_period(period: Period) {
    let text = period.to_string();
    assert_eq!(text.parse::<Period>().ok(), Some(period), "period `{text}` does not read back");
    let _ = (period.start(), period.end(), period.label());
    for near in [period.previous(), period.next(), period.same_period_last_year()].into_iter().flatten() {
        let _ = (near.start(), near.end(), near.to_string());
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT {
        return;
    }
    let name = "figures.csv";
    if sniff(name, data).is_err() {
        return;
    }
    let Some(table) = pcplan_fuzz::read_table(name, data, &ReadOptions::default()) else { return };
    let mapping = suggest_mapping(&table, TARGETS);
    if TARGETS.iter().any(|t| t.required && mapping.column(t.key).is_none()) || table.rows.is_empty() {
        return;
    }
    if check_mapping(&table, &mapping, TARGETS).is_err() {
        return;
    }
    let Some(mapped) = pcplan_fuzz::apply_checked(&table, &mapping, TARGETS, &LIMITS) else { return };
    for row in &mapped.good {
        let cell = |key: &str| row.values.get(key).map(String::as_str).unwrap_or_default();
        let _ = cell("measure").trim().parse::<ItemId>();
        if let Ok(period) = cell("period").parse::<Period>() {
            use_period(period);
        }
        for key in ["value", "count", "out_of"] {
            let _ = cell(key).trim().trim_end_matches('%').replace(',', "").parse::<f64>();
        }
    }
});
