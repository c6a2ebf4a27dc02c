//! What the fuzz targets share: the consultation response import as the web import
//! runs it, used by both `responses_csv` and `responses_xlsx`, and the checks of the
//! promises `pcplan-import` documents, which every table-reading target makes.
//!
//! The web import's own steps after mapping (`convert` in
//! `crates/pcplan-web/src/staff/consultation_import.rs`) are private to the web crate,
//! which the fuzz crate does not build (it would bring in the database and HTTP
//! stacks). What they hand the domain is rebuilt here in the same shape: the mapped
//! values become a `Submission`, checked by `Submission::check` against a small
//! exercise's questions. The string-matching helpers of that module (options, yes or
//! no, dates) are not reached.
//!
//! Nothing here reads files, and nothing here is used outside the fuzz targets.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use pcplan_domain::QuestionId;
use pcplan_domain::consultation::{AnswerValue, Question, QuestionContent, QuestionKind, RespondentType, Submission};
use pcplan_import::{
    Limits, Mapped, Progress, ReadOptions, Table, Target, apply, check_mapping, read, sniff, suggest_mapping,
};

/// The largest input a target gives the code under test. `run.sh` passes smaller
/// `-max_len` values; this only bounds inputs replayed by hand.
pub const MAX_INPUT: usize = 1 << 20;

/// Reads `bytes` as `file_name` with `options`, as `pcplan_import::read` is called by
/// every import page, and checks what that function promises about its progress
/// reports and its table. `None` when the file is refused (an error is an answer, not
/// a failure).
pub fn read_table(file_name: &str, bytes: &[u8], options: &ReadOptions) -> Option<Table> {
    let mut reports: Vec<Progress> = Vec::new();
    let table = read(file_name, bytes, options, &mut |p| reports.push(p)).ok()?;
    // "called a few times during the read, never going backwards, and last with
    // done == total" (the doc of `pcplan_import::read`).
    for pair in reports.windows(2) {
        assert!(pair[1].done >= pair[0].done, "progress went backwards: {pair:?}");
    }
    if let Some(last) = reports.last() {
        assert_eq!(last.done, last.total, "the last progress report is not complete: {last:?}");
    }
    // "The data rows after the header, blank rows left out, in file order" (`Table::rows`).
    let mut above = table.header_line;
    for row in &table.rows {
        assert!(row.line > above, "row on line {} is not below line {above}", row.line);
        above = row.line;
    }
    Some(table)
}

/// Maps `table` with `mapping` and checks what `pcplan_import::apply` promises: every
/// row is either good or bad, good values are trimmed, non-empty and within the limit,
/// and no two good rows share a fingerprint.
pub fn apply_checked(
    table: &Table,
    mapping: &pcplan_import::Mapping,
    targets: &[Target],
    limits: &Limits,
) -> Option<Mapped> {
    let mapped = apply(table, mapping, targets, limits).ok()?;
    assert_eq!(mapped.good.len() + mapped.bad.len(), table.rows.len(), "rows lost or counted twice by `apply`");
    let mut fingerprints = BTreeSet::new();
    for row in &mapped.good {
        for (key, value) in &row.values {
            assert!(!value.is_empty() && value.trim() == value, "value of `{key}` is empty or untrimmed: {value:?}");
            assert!(value.chars().count() <= limits.max_chars, "value of `{key}` is over the limit");
        }
        assert!(fingerprints.insert(row.fingerprint.clone()), "fingerprint repeated on line {}", row.line);
    }
    Some(mapped)
}

/// The free-text question of the exercise rows are imported into.
const QUESTION_TEXT: QuestionId = QuestionId::from_u128(0x0f0f_0001);
/// A choose-one question.
const QUESTION_CHOICE: QuestionId = QuestionId::from_u128(0x0f0f_0002);

/// The questions of the exercise, made once: identities are fixed so that every run
/// behaves the same.
fn questions() -> &'static [Question] {
    static QUESTIONS: OnceLock<Vec<Question>> = OnceLock::new();
    QUESTIONS.get_or_init(|| {
        vec![
            Question {
                id: QUESTION_TEXT,
                content: QuestionContent {
                    number: 1,
                    text: "What should the Commissioner's priorities be?".to_owned(),
                    hint: String::new(),
                    kind: QuestionKind::Open,
                    options: Vec::new(),
                    required: true,
                    max_chars: 5_000,
                },
            },
            Question {
                id: QUESTION_CHOICE,
                content: QuestionContent {
                    number: 2,
                    text: "Do you agree with the proposed precept?".to_owned(),
                    hint: String::new(),
                    kind: QuestionKind::Single,
                    options: vec!["Agree".to_owned(), "Disagree".to_owned(), "Don't know".to_owned()],
                    required: false,
                    max_chars: 5_000,
                },
            },
        ]
    })
}

/// The fields the web import asks for, with the synonyms it matches headers by: the
/// questions by their form keys, then who responded and when.
const RESPONSE_TARGETS: &[Target] = &[
    Target { key: "q-1", label: "q-1", required: true, free_text: true, synonyms: &[] },
    Target { key: "q-2", label: "q-2", required: false, free_text: false, synonyms: &[] },
    Target {
        key: "respondent_type",
        label: "Respondent type",
        required: false,
        free_text: false,
        synonyms: &["responding as", "are you responding as", "type of respondent", "individual or organisation"],
    },
    Target {
        key: "organisation",
        label: "Organisation",
        required: false,
        free_text: false,
        synonyms: &["organisation name", "organization", "company name"],
    },
    Target {
        key: "area",
        label: "Area",
        required: false,
        free_text: false,
        synonyms: &["local authority", "district", "borough", "ons code", "where do you live"],
    },
    Target {
        key: "publish_consent",
        label: "Consent to publish",
        required: false,
        free_text: false,
        synonyms: &["publish", "consent to publish", "may we publish"],
    },
    Target {
        key: "received",
        label: "Date received",
        required: false,
        free_text: false,
        synonyms: &["received", "date", "submitted", "timestamp"],
    },
    Target {
        key: "respondent_id",
        label: "Respondent ID",
        required: false,
        free_text: false,
        synonyms: &["response id", "respondent id", "id", "reference"],
    },
];

/// The ways a person may ask the import page to read a file: detect everything, name
/// the header row, name a sheet (ignoring case).
fn read_choices() -> [ReadOptions; 3] {
    [
        ReadOptions::default(),
        ReadOptions { header_row: Some(2), ..ReadOptions::default() },
        ReadOptions { sheet: Some("sheet1".to_owned()), ..ReadOptions::default() },
    ]
}

/// The response import on an uploaded file: sniffed, read each way a person may ask,
/// columns suggested, the mapping checked and applied, and every good row turned into
/// a submission and checked against the exercise's questions.
pub fn import_responses(file_name: &str, bytes: &[u8]) {
    if sniff(file_name, bytes).is_err() {
        // The upload step refuses the file here; `read` would refuse it the same way,
        // and running it anyway checks that it does not panic where sniffing refused.
        let _ = read(file_name, bytes, &ReadOptions::default(), &mut |_| {});
        return;
    }
    for options in read_choices() {
        let Some(table) = read_table(file_name, bytes, &options) else { continue };
        let mapping = suggest_mapping(&table, RESPONSE_TARGETS);
        for &column in mapping.0.values() {
            assert!(column < table.headers.len(), "suggested column {column} is past the last header");
        }
        if check_mapping(&table, &mapping, RESPONSE_TARGETS).is_err() {
            continue;
        }
        let Some(mapped) = apply_checked(&table, &mapping, RESPONSE_TARGETS, &Limits::default()) else { continue };
        for row in mapped.into_good() {
            let _ = submission(&row.values).check(questions(), &["E06000016", "E07000129"]);
        }
    }
}

/// A mapped row as the submission the web import builds from it.
fn submission(values: &BTreeMap<String, String>) -> Submission {
    let mut submission = Submission { consent: true, ..Submission::default() };
    if let Some(text) = values.get("q-1") {
        submission.answers.insert(QUESTION_TEXT, AnswerValue::Text(text.clone()));
    }
    if let Some(choice) = values.get("q-2") {
        // The whole cell as one option when it names one ignoring case, else as written,
        // which the check then names as no option.
        let options = &questions()[1].content.options;
        let chosen = options.iter().find(|o| o.eq_ignore_ascii_case(choice)).unwrap_or(choice);
        submission.answers.insert(QUESTION_CHOICE, AnswerValue::Choices(vec![chosen.clone()]));
    }
    if let Some(kind) = values.get("respondent_type") {
        submission.respondent.kind = RespondentType::from_export(kind);
    }
    if let Some(organisation) = values.get("organisation") {
        submission.respondent.organisation = organisation.clone();
    }
    submission.respondent.area = values.get("area").cloned();
    submission
}
