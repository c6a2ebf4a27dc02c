//! Text preparation: tokens, stems, phrases and the TF-IDF matrix.
//!
//! Everything here is deterministic: hash maps are only looked up, never iterated in
//! their own order, and ties are broken by the term's text. It does not detect duplicates (see `dedup`) and
//! knows nothing about themes.

use std::collections::HashMap;

use rust_stemmers::{Algorithm, Stemmer};

use crate::stopwords::is_stop_word;

/// Lowercases `text` (Unicode-aware) and splits it into words.
///
/// A word is a run of alphanumeric characters; apostrophes inside a word are dropped
/// ("don't" becomes "dont") and a trailing possessive "'s" is removed. Pure numbers and
/// one-letter words are dropped: they never name a theme.
pub fn tokenize(text: &str) -> Vec<String> {
    let lower = text.to_lowercase();
    let mut words = Vec::new();
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '\u{2019}')) {
        let trimmed = raw.trim_matches(|c| c == '\'' || c == '\u{2019}');
        let base = trimmed.strip_suffix("'s").or_else(|| trimmed.strip_suffix("\u{2019}s")).unwrap_or(trimmed);
        let word: String = base.chars().filter(|c| c.is_alphanumeric()).collect();
        if word.chars().count() < 2 || word.chars().all(|c| c.is_numeric()) {
            continue;
        }
        words.push(word);
    }
    words
}

/// Settings for building the vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct VocabularyRules {
    pub min_df: usize,
    pub max_df_share: f32,
    pub min_phrase_df: usize,
}

/// A sparse matrix with one L2-normalised TF-IDF row per document.
#[derive(Debug, Clone)]
pub(crate) struct TfIdf {
    /// Per document: (term index, weight), sorted by term index.
    pub rows: Vec<Vec<(usize, f32)>>,
    /// Per term: its display form (the most frequent surface form of its stems).
    pub terms: Vec<String>,
}

/// Term ids shared by all documents while the matrix is built: each term's key (its
/// stems joined by spaces) and the count of each surface form seen for it.
///
/// A `HashMap` is used for lookups only; nothing is ever read in its iteration
/// order, so the result stays deterministic. Keys and surfaces are built in reused
/// buffers and allocated only the first time they are seen.
#[derive(Default)]
struct Interner {
    ids: HashMap<String, usize>,
    keys: Vec<String>,
    surfaces: Vec<HashMap<String, usize>>,
}

impl Interner {
    fn add(&mut self, key: &str, surface: &str) -> usize {
        let id = match self.ids.get(key) {
            Some(&id) => id,
            None => {
                let id = self.keys.len();
                self.ids.insert(key.to_owned(), id);
                self.keys.push(key.to_owned());
                self.surfaces.push(HashMap::new());
                id
            }
        };
        match self.surfaces[id].get_mut(surface) {
            Some(count) => *count += 1,
            None => {
                self.surfaces[id].insert(surface.to_owned(), 1);
            }
        }
        id
    }
}

/// The term ids of one document: stems of content words, and stemmed phrases of two
/// and three consecutive content words (stop words break nothing: they are removed
/// first, as scikit-learn does).
fn document_terms(stemmer: &Stemmer, text: &str, interner: &mut Interner) -> Vec<usize> {
    let words: Vec<String> = tokenize(text).into_iter().filter(|w| !is_stop_word(w)).collect();
    let stems: Vec<String> = words.iter().map(|w| stemmer.stem(w).into_owned()).collect();
    let mut terms = Vec::new();
    let (mut key, mut surface) = (String::new(), String::new());
    for n in 1..=3 {
        for start in 0..stems.len().saturating_sub(n - 1) {
            key.clear();
            surface.clear();
            for i in start..start + n {
                if i > start {
                    key.push(' ');
                    surface.push(' ');
                }
                key.push_str(&stems[i]);
                surface.push_str(&words[i]);
            }
            terms.push(interner.add(&key, &surface));
        }
    }
    terms
}

/// Builds the TF-IDF matrix of `texts`: sublinear tf (1 + ln tf), smoothed idf
/// (ln((1 + n) / (1 + df)) + 1), rows normalised to unit length.
///
/// Terms are kept when their document frequency is at least `min_df` (phrases: at
/// least `min_phrase_df` as well) and they occur in at most `max_df_share` of the
/// documents. A single document keeps every term: share and frequency rules mean
/// nothing with one. Vocabulary columns are in order of the terms' stemmed keys.
pub(crate) fn tfidf(texts: &[&str], rules: &VocabularyRules) -> TfIdf {
    let stemmer = Stemmer::create(Algorithm::English);
    let mut interner = Interner::default();
    let docs: Vec<Vec<usize>> = texts.iter().map(|t| document_terms(&stemmer, t, &mut interner)).collect();
    let n = docs.len();

    let mut df = vec![0usize; interner.keys.len()];
    for doc in &docs {
        let mut seen = doc.clone();
        seen.sort_unstable();
        seen.dedup();
        for id in seen {
            df[id] += 1;
        }
    }

    let max_df = ((rules.max_df_share * n as f32).floor() as usize).max(1);
    let mut kept: Vec<usize> = (0..interner.keys.len())
        .filter(|&id| {
            let count = df[id];
            let is_phrase = interner.keys[id].contains(' ');
            n <= 1 || (count >= rules.min_df && count <= max_df && (!is_phrase || count >= rules.min_phrase_df))
        })
        .collect();
    kept.sort_by(|&a, &b| interner.keys[a].cmp(&interner.keys[b]));
    let mut column = vec![usize::MAX; interner.keys.len()];
    let mut terms = Vec::with_capacity(kept.len());
    let mut idf = Vec::with_capacity(kept.len());
    for (j, &id) in kept.iter().enumerate() {
        column[id] = j;
        terms.push(display_form(&interner.surfaces[id]).unwrap_or_else(|| interner.keys[id].clone()));
        idf.push(((1.0 + n as f32) / (1.0 + df[id] as f32)).ln() + 1.0);
    }

    let rows = docs
        .iter()
        .map(|doc| {
            let mut cols: Vec<usize> = doc.iter().map(|&id| column[id]).filter(|&j| j != usize::MAX).collect();
            cols.sort_unstable();
            let mut row: Vec<(usize, f32)> = Vec::new();
            for j in cols {
                match row.last_mut() {
                    Some((last, count)) if *last == j => *count += 1.0,
                    _ => row.push((j, 1.0)),
                }
            }
            for (j, v) in &mut row {
                *v = (1.0 + v.ln()) * idf[*j];
            }
            let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
            if norm > 0.0 {
                row.iter_mut().for_each(|(_, v)| *v /= norm);
            }
            row
        })
        .collect();
    TfIdf { rows, terms }
}

/// The most frequent surface form; ties go to the alphabetically first, so the
/// choice does not depend on input order.
fn display_form(forms: &HashMap<String, usize>) -> Option<String> {
    forms.iter().max_by(|a, b| a.1.cmp(b.1).then_with(|| b.0.cmp(a.0))).map(|(form, _)| form.clone())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> VocabularyRules {
        VocabularyRules { min_df: 1, max_df_share: 1.0, min_phrase_df: 2 }
    }

    #[test]
    fn tokenizing_lowercases_drops_apostrophes_numbers_and_single_letters() {
        assert_eq!(tokenize("Don't SPEED on Élan Road's 30 mph a"), vec!["dont", "speed", "on", "élan", "road", "mph"]);
    }

    #[test]
    fn stems_are_displayed_by_their_most_frequent_surface_form() {
        let m = tfidf(&["speeding cars", "speeding vans", "speed bumps"], &rules());
        assert!(m.terms.contains(&"speeding".to_owned()));
        assert!(!m.terms.contains(&"speed".to_owned()));
    }

    #[test]
    fn phrases_are_kept_only_when_frequent_enough() {
        let m = tfidf(&["street lighting broken", "street lighting poor", "broken glass"], &rules());
        assert!(m.terms.contains(&"street lighting".to_owned()));
        assert!(!m.terms.contains(&"lighting broken".to_owned()));
    }

    #[test]
    fn rows_are_unit_length_and_terms_in_every_document_are_pruned() {
        let r = VocabularyRules { min_df: 1, max_df_share: 0.9, min_phrase_df: 2 };
        let m = tfidf(&["police speeding", "police burglary", "police parking"], &r);
        assert!(!m.terms.contains(&"police".to_owned()));
        for row in &m.rows {
            let norm: f32 = row.iter().map(|(_, v)| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
    }
}
