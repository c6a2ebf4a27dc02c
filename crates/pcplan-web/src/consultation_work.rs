//! The two pieces of consultation work that pages, the API and the demo share: finding
//! the themes of a question's answers and storing them as a new draft version, and
//! preparing the redacted quotes that "you said, we did" publishes.
//!
//! Both read and write only through the store, and both are plain async functions of
//! the store, so the demo loader runs exactly what a member of staff runs from a page.
//! They do not decide who may do them; the handlers that call them do.
//!
//! Themes are found from sentence embeddings when this crate is built with the
//! `embeddings` feature and `WebConfig::embedding_model_dir` names a model that loads
//! (loaded once per process, on first use); otherwise with TF-IDF and NMF. Either way
//! the version's note says which, and why not embeddings.

use std::collections::HashMap;
use std::path::Path;

use pcplan_domain::consultation::{QuestionKind, ThemeSetState};
use pcplan_domain::redact::redact;
use pcplan_domain::{QuestionId, ResponseId, ThemeSetId};
use pcplan_store::{Actor, Exercise, NewTheme, NewThemeSet, PublishedQuote, Store, StoreError, ThemeSet, ThemeSetInfo};
use pcplan_themes::{Analysis, Flag, Options, Response};

/// Quotes published per theme at most.
pub const QUOTES_PER_THEME: usize = 3;

/// The start of the note of every version the machine found with TF-IDF; the reason
/// embeddings were not used follows it.
pub const TFIDF_NOTE: &str = "Themes were found with TF-IDF and NMF";
/// The note of a version found from sentence embeddings.
pub const EMBEDDINGS_NOTE: &str = "Themes were found by clustering sentence embeddings (all-MiniLM-L6-v2)";

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
/// analysis gives them) and how the version was made, with `note` (from
/// [`analyse_answers`]). `Err` names an id that is not a response id, which the
/// caller's input never holds.
pub fn new_theme_set(analysis: &Analysis, note: &str) -> Result<NewThemeSet, String> {
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
    Ok(NewThemeSet {
        info: ThemeSetInfo {
            method: analysis.method.clone(),
            seed: analysis.seed,
            responses: analysis.responses,
            duplicate_groups: analysis.duplicate_groups.len(),
            campaigns: analysis.duplicate_groups.iter().filter(|g| g.campaign).count(),
            flags: analysis.flags.iter().map(flag_sentence).collect(),
            note: note.to_owned(),
        },
        themes,
        assignments,
    })
}

/// Reads a free-text question's answers and finds their themes on a blocking thread
/// (100,000 answers take seconds with TF-IDF, minutes with embeddings), with the model
/// in `model_dir` when there is one. Returns the analysis and the note for its version.
pub async fn analyse_answers(
    store: &Store,
    question: QuestionId,
    themes: Option<usize>,
    model_dir: Option<&Path>,
) -> Result<(Analysis, String), StoreError> {
    let responses: Vec<Response> = store
        .answer_texts(question)
        .await?
        .into_iter()
        .map(|a| Response { id: a.response.to_string(), text: a.text })
        .collect();
    let options = Options { themes, ..Options::default() };
    let model_dir = model_dir.map(Path::to_path_buf);
    tokio::task::spawn_blocking(move || analyse_with_model(&responses, &options, model_dir.as_deref()))
        .await
        .map_err(|e| StoreError::Conflict(format!("the theme analysis stopped unexpectedly: {e}")))
}

/// Finds the themes of a question's answers with TF-IDF and stores them as its next
/// draft version (an analysis that finds no themes is stored too, with its flags
/// saying why). The demo uses it; staff pages pass the configured model instead.
pub async fn find_themes(
    store: &Store,
    actor: &Actor,
    question: QuestionId,
    themes: Option<usize>,
) -> Result<ThemeSet, StoreError> {
    let (analysis, note) = analyse_answers(store, question, themes, None).await?;
    let new = new_theme_set(&analysis, &note).map_err(StoreError::Conflict)?;
    store.save_theme_set(actor, question, &new).await
}

/// The analysis, from sentence embeddings when a model is configured, this crate has
/// the `embeddings` feature and the model loads; with TF-IDF otherwise. Returns it with
/// the version's note, which says how the themes were found and, for TF-IDF, why.
pub fn analyse_with_model(responses: &[Response], options: &Options, model_dir: Option<&Path>) -> (Analysis, String) {
    let why = match model_dir {
        None if cfg!(feature = "embeddings") => String::from("no sentence-embedding model is configured"),
        None => String::from("this pcplan was built without sentence embeddings"),
        Some(dir) => match embeddings::analyse(responses, options, dir) {
            Ok(analysis) => return (analysis, EMBEDDINGS_NOTE.to_owned()),
            Err(why) => why,
        },
    };
    (pcplan_themes::analyse(responses, options), format!("{TFIDF_NOTE}: {why}"))
}

/// The model, loaded once per process and directory, and the analysis with it.
#[cfg(feature = "embeddings")]
mod embeddings {
    use std::path::{Path, PathBuf};
    use std::sync::{Arc, Mutex, PoisonError};

    use pcplan_themes::{Analysis, Embedder, Options, Response};

    /// Models loaded so far, by directory. Only loads that succeeded are kept: a
    /// failure is cheap to find again, and a model installed later is then picked up
    /// without a restart.
    pub(super) static MODELS: Mutex<Vec<(PathBuf, Arc<Embedder>)>> = Mutex::new(Vec::new());

    /// The model in `dir`, loading it on first use. The lock is held while loading, so
    /// two requests at once load it once.
    fn model(dir: &Path) -> Result<Arc<Embedder>, pcplan_themes::EmbedError> {
        // A panic while loading leaves the list as it was: carry on with it.
        let mut models = MODELS.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some((_, model)) = models.iter().find(|(d, _)| d == dir) {
            return Ok(Arc::clone(model));
        }
        let model = Arc::new(Embedder::load(dir)?);
        tracing::info!(model.dir = %dir.display(), "sentence-embedding model loaded");
        models.push((dir.to_path_buf(), Arc::clone(&model)));
        Ok(model)
    }

    /// The analysis from embeddings, or why it could not be made.
    pub(super) fn analyse(responses: &[Response], options: &Options, dir: &Path) -> Result<Analysis, String> {
        let model = model(dir).map_err(|error| {
            tracing::warn!(model.dir = %dir.display(), error = %error, "sentence-embedding model not loaded");
            format!("the sentence-embedding model could not be loaded ({error})")
        })?;
        pcplan_themes::analyse_with_embedder(responses, &model, options).map_err(|error| {
            tracing::error!(model.dir = %dir.display(), error = %error, "sentence embedding failed");
            format!("the sentence-embedding model failed ({error})")
        })
    }
}

/// Without the `embeddings` feature a configured model cannot be used: says so.
#[cfg(not(feature = "embeddings"))]
mod embeddings {
    use std::path::Path;

    use pcplan_themes::{Analysis, Options, Response};

    pub(super) fn analyse(_responses: &[Response], _options: &Options, _dir: &Path) -> Result<Analysis, String> {
        Err(String::from(
            "this pcplan was built without sentence embeddings, so embedding_model_dir is not used (build with the \
             embeddings feature)",
        ))
    }
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
        let set = new_theme_set(&analysis, TFIDF_NOTE).expect("ids are response ids");
        assert_eq!(set.themes[0].quotes, [ResponseId::from_u128(1)]);
        assert_eq!(set.assignments, [(0, ResponseId::from_u128(1), 0.5), (0, ResponseId::from_u128(2), 0.5)]);
        assert_eq!((set.info.duplicate_groups, set.info.campaigns, set.info.responses), (1, 0, 3));
        assert_eq!(set.info.flags, ["1 theme merged into another because their words were too alike"]);
        assert_eq!(set.info.note, TFIDF_NOTE);
        let mut bad = analysis;
        bad.assignments[0].response_id = String::from("not-an-id");
        assert!(new_theme_set(&bad, TFIDF_NOTE).is_err());
    }

    #[test]
    fn the_note_says_which_method_found_the_themes_and_why_not_embeddings() {
        let responses: Vec<Response> =
            (0..3).map(|i| Response { id: rid(i), text: format!("answer number {i}") }).collect();
        let (analysis, note) = analyse_with_model(&responses, &Options::default(), None);
        assert_eq!(analysis.method, "tfidf-nmf");
        assert!(note.starts_with(&format!("{TFIDF_NOTE}: ")), "{note}");
        let missing = Path::new("/nonexistent/pcplan-model");
        let (analysis, note) = analyse_with_model(&responses, &Options::default(), Some(missing));
        assert_eq!(analysis.method, "tfidf-nmf");
        let why = if cfg!(feature = "embeddings") {
            "the sentence-embedding model could not be loaded (no model at /nonexistent/pcplan-model: the directory \
             does not exist"
        } else {
            "built without sentence embeddings, so embedding_model_dir is not used"
        };
        assert!(note.contains(why), "{note}");
    }

    /// Runs only with `PCPLAN_TEST_EMBEDDING_MODEL` naming the all-MiniLM-L6-v2 directory.
    #[cfg(feature = "embeddings")]
    #[test]
    fn a_configured_model_finds_the_themes_and_is_loaded_once() {
        let Some(dir) = std::env::var_os("PCPLAN_TEST_EMBEDDING_MODEL") else {
            println!("skipped: PCPLAN_TEST_EMBEDDING_MODEL does not name the model directory");
            return;
        };
        let dir = std::path::PathBuf::from(dir);
        let subjects = ["speeding cars on our road", "burglaries on the estate", "drug dealing in the park"];
        let responses: Vec<Response> = (0..30)
            .map(|i| Response { id: rid(i), text: format!("Please act on {} (answer {i})", subjects[i as usize % 3]) })
            .collect();
        let (analysis, note) = analyse_with_model(&responses, &Options::default(), Some(&dir));
        assert_eq!((analysis.method.as_str(), note.as_str()), (pcplan_themes::EMBEDDINGS_METHOD, EMBEDDINGS_NOTE));
        let (again, _) = analyse_with_model(&responses, &Options::default(), Some(&dir));
        assert_eq!(again, analysis);
        let models = embeddings::MODELS.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        assert_eq!(models.iter().filter(|(d, _)| *d == dir).count(), 1);
    }
}
