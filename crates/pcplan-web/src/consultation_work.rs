//! The two pieces of consultation work that pages, the API and the demo share: finding
//! the themes of a question's answers and storing them as a new draft version, and
//! preparing the redacted quotes that "you said, we did" publishes.
//!
//! Both read and write only through the store, and both are plain async functions of
//! the store, so the demo loader runs exactly what a member of staff runs from a page.
//! They do not decide who may do them; the handlers that call them do.

use std::collections::HashMap;

use pcplan_domain::consultation::{QuestionKind, ThemeSetState};
use pcplan_domain::redact::redact;
use pcplan_domain::{QuestionId, ResponseId, ThemeSetId};
use pcplan_store::{Actor, Exercise, NewTheme, NewThemeSet, PublishedQuote, Store, StoreError, ThemeSet, ThemeSetInfo};
use pcplan_themes::{Analysis, Flag, Options, Response};

/// Quotes published per theme at most.
pub const QUOTES_PER_THEME: usize = 3;

/// Said with every version the machine found with TF-IDF: no embedding model ships.
pub const TFIDF_NOTE: &str = "Themes were found with TF-IDF and NMF; no sentence-embedding model is installed";

/// A quality flag of the analysis, as a sentence for staff. Theme numbers count from 1,
/// as the version's page numbers its themes.
pub fn flag_sentence(flag: &Flag) -> String {
    match flag {
        Flag::ThemesMerged { count: 1 } => {
            String::from("1 theme merged into another because their words were too alike")
        }
        Flag::ThemesMerged { count } => format!("{count} themes merged because their words were too alike"),
        Flag::ThemesDissolved { count: 1 } => String::from(
            "1 theme dissolved because it held too few responses; its responses went to their next theme or to Other",
        ),
        Flag::ThemesDissolved { count } => format!(
            "{count} themes dissolved because they held too few responses; their responses went to their next theme \
             or to Other"
        ),
        Flag::ThemeOverlap { a, b, overlap } => {
            format!("Themes {} and {} share {:.0}% of their responses", a + 1, b + 1, overlap * 100.0)
        }
        Flag::TooFewResponses { usable, needed } => format!(
            "Too few answers to find themes: {usable} had words to compare, and one theme needs at least {needed}"
        ),
    }
}

/// What the store keeps of an analysis: the themes in the analysis's order, every
/// assignment (copies of a near-duplicate carry their representative's themes, as the
/// analysis gives them) and how the version was made. `Err` names an id that is not a
/// response id, which the caller's input never holds.
pub fn new_theme_set(analysis: &Analysis) -> Result<NewThemeSet, String> {
    let id = |raw: &str| raw.parse::<ResponseId>().map_err(|e| format!("response id `{raw}` from the analysis: {e}"));
    let mut themes = Vec::with_capacity(analysis.themes.len());
    for theme in &analysis.themes {
        themes.push(NewTheme {
            label: theme.label.clone(),
            key_phrases: theme.key_phrases.clone(),
            quotes: theme.quotes.iter().map(|q| id(&q.response_id)).collect::<Result<_, _>>()?,
        });
    }
    let mut assignments = Vec::new();
    for assignment in &analysis.assignments {
        let response = id(&assignment.response_id)?;
        for score in &assignment.themes {
            assignments.push((score.theme, response, f64::from(score.score)));
        }
    }
    let note = if analysis.method == "tfidf-nmf" { TFIDF_NOTE.to_string() } else { String::new() };
    Ok(NewThemeSet {
        info: ThemeSetInfo {
            method: analysis.method.clone(),
            seed: analysis.seed,
            responses: analysis.responses,
            duplicate_groups: analysis.duplicate_groups.len(),
            campaigns: analysis.duplicate_groups.iter().filter(|g| g.campaign).count(),
            flags: analysis.flags.iter().map(flag_sentence).collect(),
            note,
        },
        themes,
        assignments,
    })
}

/// Reads a free-text question's answers and finds their themes on a blocking thread:
/// 100,000 answers take seconds.
pub async fn analyse_answers(
    store: &Store,
    question: QuestionId,
    themes: Option<usize>,
) -> Result<Analysis, StoreError> {
    let responses: Vec<Response> = store
        .answer_texts(question)
        .await?
        .into_iter()
        .map(|a| Response { id: a.response.to_string(), text: a.text })
        .collect();
    let options = Options { themes, ..Options::default() };
    tokio::task::spawn_blocking(move || pcplan_themes::analyse(&responses, &options))
        .await
        .map_err(|e| StoreError::Conflict(format!("the theme analysis stopped unexpectedly: {e}")))
}

/// Finds the themes of a question's answers and stores them as its next draft version
/// (an analysis that finds no themes is stored too, with its flags saying why).
pub async fn find_themes(
    store: &Store,
    actor: &Actor,
    question: QuestionId,
    themes: Option<usize>,
) -> Result<ThemeSet, StoreError> {
    let analysis = analyse_answers(store, question, themes).await?;
    let new = new_theme_set(&analysis).map_err(StoreError::Conflict)?;
    store.save_theme_set(actor, question, &new).await
}

/// The latest final version of each free-text question's themes: what the public page
/// shows. A question with no final version is left out.
pub async fn published_sets(store: &Store, exercise: &Exercise) -> Result<Vec<(QuestionId, ThemeSetId)>, StoreError> {
    let mut out = Vec::new();
    for question in store.questions(exercise.id).await? {
        if question.content.kind != QuestionKind::Open {
            continue;
        }
        let sets = store.theme_sets(question.id).await?;
        if let Some(set) = sets.into_iter().find(|s| s.state == ThemeSetState::Final) {
            out.push((question.id, set.id));
        }
    }
    Ok(out)
}

/// The quotes "you said, we did" would publish for an exercise: for each theme of each
/// published set, up to [`QUOTES_PER_THEME`] answers whose respondent did not refuse
/// publication, the analysis's representative quotes first, then the strongest members;
/// each redacted, with the record of what was removed. Answers that would be left with
/// nothing but markers are skipped.
pub async fn prepare_quotes(store: &Store, exercise: &Exercise) -> Result<Vec<PublishedQuote>, StoreError> {
    let mut quotes = Vec::new();
    for (_, set) in published_sets(store, exercise).await? {
        let Some((_, themes)) = store.theme_set(set).await? else { continue };
        for theme in themes {
            let members = store.theme_members(theme.id).await?;
            let by_id: HashMap<ResponseId, &pcplan_store::ThemeMember> =
                members.iter().map(|m| (m.response, m)).collect();
            let ordered = theme
                .quotes
                .iter()
                .filter_map(|id| by_id.get(id).copied())
                .chain(members.iter().filter(|m| !theme.quotes.contains(&m.response)));
            let mut position = 0;
            let mut seen_texts = Vec::new();
            for member in ordered {
                if position >= QUOTES_PER_THEME {
                    break;
                }
                if member.publish_consent == Some(false) || member.text.trim().is_empty() {
                    continue;
                }
                // A campaign's copies would otherwise fill every slot with one text.
                let normalised = member.text.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase();
                if seen_texts.contains(&normalised) {
                    continue;
                }
                let redacted = redact(&member.text, &[]);
                let words_left = redacted.text.split_whitespace().filter(|w| !w.starts_with('[')).count();
                if words_left < 4 {
                    continue;
                }
                seen_texts.push(normalised);
                position += 1;
                quotes.push(PublishedQuote {
                    theme: theme.id,
                    response: member.response,
                    position: position as i64,
                    text: redacted.text.clone(),
                    redactions: serde_json::json!({
                        "summary": redacted.describe(),
                        "redactions": redacted.redactions,
                    }),
                    withdrawn: false,
                });
            }
        }
    }
    Ok(quotes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcplan_themes::{Assignment, DuplicateGroup, Quote, ThemeScore};

    fn rid(n: u128) -> String {
        ResponseId::from_u128(n).to_string()
    }

    #[test]
    fn flags_read_as_sentences_with_themes_counted_from_one() {
        assert_eq!(
            flag_sentence(&Flag::ThemesMerged { count: 2 }),
            "2 themes merged because their words were too alike"
        );
        assert_eq!(
            flag_sentence(&Flag::ThemeOverlap { a: 2, b: 4, overlap: 0.74 }),
            "Themes 3 and 5 share 74% of their responses"
        );
        assert_eq!(
            flag_sentence(&Flag::TooFewResponses { usable: 3, needed: 5 }),
            "Too few answers to find themes: 3 had words to compare, and one theme needs at least 5"
        );
    }

    #[test]
    fn an_analysis_becomes_a_version_with_copies_assigned_like_their_original() {
        let analysis = Analysis {
            method: String::from("tfidf-nmf"),
            seed: 42,
            responses: 3,
            distinct_responses: 2,
            vocabulary_size: 10,
            themes_fitted: 2,
            themes: vec![pcplan_themes::Theme {
                id: 0,
                label: String::from("speeding, roads"),
                key_phrases: vec![String::from("speeding"), String::from("roads")],
                size: 1,
                size_with_duplicates: 2,
                quotes: vec![Quote { response_id: rid(1), text: String::from("Speeding on our roads") }],
            }],
            assignments: vec![
                Assignment {
                    response_id: rid(1),
                    themes: vec![ThemeScore { theme: 0, score: 0.5 }],
                    duplicate_of: None,
                },
                Assignment {
                    response_id: rid(2),
                    themes: vec![ThemeScore { theme: 0, score: 0.5 }],
                    duplicate_of: Some(rid(1)),
                },
                Assignment { response_id: rid(3), themes: Vec::new(), duplicate_of: None },
            ],
            duplicate_groups: vec![DuplicateGroup {
                representative: rid(1),
                members: vec![rid(1), rid(2)],
                size: 2,
                campaign: false,
            }],
            flags: vec![Flag::ThemesMerged { count: 1 }],
        };
        let set = new_theme_set(&analysis).expect("ids are response ids");
        assert_eq!(set.themes[0].quotes, [ResponseId::from_u128(1)]);
        assert_eq!(set.assignments, [(0, ResponseId::from_u128(1), 0.5), (0, ResponseId::from_u128(2), 0.5)]);
        assert_eq!((set.info.duplicate_groups, set.info.campaigns, set.info.responses), (1, 0, 3));
        assert_eq!(set.info.flags, ["1 theme merged into another because their words were too alike"]);
        assert_eq!(set.info.note, TFIDF_NOTE);
        let mut bad = analysis;
        bad.assignments[0].response_id = String::from("not-an-id");
        assert!(new_theme_set(&bad).is_err());
    }
}
