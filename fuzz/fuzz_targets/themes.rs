//! The theme analysis: `pcplan_themes::analyse` with its default settings, as the staff
//! themes page runs it on the answers to one question, on response texts made from the
//! input: one response per line (lossy UTF-8, so every input gives texts), at most 200
//! of them, so that one run stays within a second or so whatever the fuzzer tries.
//!
//! The same texts then go through `analyse_with_vectors`, the embeddings path without
//! the model, with small vectors made from each text's bytes (the build here has no
//! `embeddings` feature, so the real sentence vectors cannot be made).
//!
//! It checks what `Analysis` promises: one assignment per response in input order,
//! themes numbered by position, scores in (0, 1], duplicate groups that list their
//! members.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pcplan_themes::{Analysis, Options, Response, analyse, analyse_with_vectors};

/// The most responses one run analyses.
const MAX_RESPONSES: usize = 200;

/// Dimensions of the made-up vectors.
const DIMENSIONS: usize = 8;

/// A vector from a text's bytes: counts of each byte's low three bits, so that texts of
/// similar letters point the same way and a blank text gives all zeros.
fn vector(text: &str) -> Vec<f32> {
    let mut v = vec![0.0; DIMENSIONS];
    for byte in text.bytes().filter(|b| !b.is_ascii_whitespace()) {
        v[usize::from(byte) % DIMENSIONS] += 1.0;
    }
    v
}

fn check(analysis: &Analysis, responses: &[Response]) {
    assert_eq!(analysis.responses, responses.len());
    assert_eq!(analysis.assignments.len(), responses.len(), "not one assignment per response");
    for (assignment, response) in analysis.assignments.iter().zip(responses) {
        assert_eq!(assignment.response_id, response.id, "assignments out of input order");
        for score in &assignment.themes {
            assert!(score.score > 0.0 && score.score <= 1.0, "score {} outside (0, 1]", score.score);
            assert!(
                score.theme < analysis.themes.len(),
                "assigned to theme {} of {}",
                score.theme,
                analysis.themes.len()
            );
        }
    }
    for (position, theme) in analysis.themes.iter().enumerate() {
        assert_eq!(theme.id, position, "theme ids are positions");
    }
    for group in &analysis.duplicate_groups {
        assert_eq!(group.size, group.members.len(), "duplicate group size");
        assert!(group.members.len() >= 2, "a duplicate group of one");
        assert_eq!(group.members.first(), Some(&group.representative), "representative is not the first member");
    }
}

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT {
        return;
    }
    let text = String::from_utf8_lossy(data);
    let responses: Vec<Response> = text
        .lines()
        .take(MAX_RESPONSES)
        .enumerate()
        .map(|(i, line)| Response { id: format!("r{i}"), text: line.to_owned() })
        .collect();
    let options = Options::default();
    check(&analyse(&responses, &options), &responses);

    let vectors: Vec<Vec<f32>> = responses.iter().map(|r| vector(&r.text)).collect();
    match analyse_with_vectors(&responses, &vectors, &options) {
        Ok(analysis) => check(&analysis, &responses),
        // Only a mismatch of counts or dimensions is an error, and these vectors have none.
        Err(error) => panic!("vectors refused: {error}"),
    }
});
