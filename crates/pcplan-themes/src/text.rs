//! Text preparation: tokens, stems, phrases and the TF-IDF matrix.
//!
//! Every response is tokenised once ([`Corpus::new`]) into ids of interned words;
//! each distinct word is looked up in the stop-word list and stemmed once, however
//! often it occurs. Phrases are interned by the ids of their words, so building the
//! matrix allocates nothing per token. Everything is deterministic: hash maps are only
//! looked up, never iterated, and ties are broken by the term's text.
//!
//! It does not detect duplicates (see `dedup`) and knows nothing about themes.

use rust_stemmers::{Algorithm, Stemmer};

use crate::hash::FxHashMap;
use crate::sparse::Csr;
use crate::stopwords::is_stop_word;

fn is_apostrophe(c: char) -> bool {
    c == '\'' || c == '\u{2019}'
}

/// Lowercases `text` into `buf` (Unicode-aware; in place for ASCII, which needs no
/// new allocation once `buf` is large enough).
fn lowercase_into(text: &str, buf: &mut String) {
    buf.clear();
    if text.is_ascii() {
        buf.push_str(text);
        buf.make_ascii_lowercase();
    } else {
        // `str::to_lowercase` handles the context-dependent cases (final sigma) that
        // lowercasing one character at a time would get wrong.
        buf.push_str(&text.to_lowercase());
    }
}

/// Calls `f` with each word of already lowercased text; see [`tokenize`] for what a
/// word is. `scratch` holds a word whose inner apostrophes had to be removed.
fn for_each_word(lower: &str, scratch: &mut String, mut f: impl FnMut(&str)) {
    for raw in lower.split(|c: char| !(c.is_alphanumeric() || is_apostrophe(c))) {
        if raw.is_empty() {
            continue;
        }
        let trimmed = raw.trim_matches(is_apostrophe);
        let base = trimmed.strip_suffix("'s").or_else(|| trimmed.strip_suffix("\u{2019}s")).unwrap_or(trimmed);
        let word = if base.contains(is_apostrophe) {
            scratch.clear();
            scratch.extend(base.chars().filter(|c| c.is_alphanumeric()));
            scratch.as_str()
        } else {
            base
        };
        let short = if word.is_ascii() { word.len() < 2 } else { word.chars().count() < 2 };
        if short || word.chars().all(char::is_numeric) {
            continue;
        }
        f(word);
    }
}

/// Lowercases `text` (Unicode-aware) and splits it into words.
///
/// A word is a run of alphanumeric characters; apostrophes inside a word are dropped
/// ("don't" becomes "dont") and a trailing possessive "'s" is removed. Pure numbers and
/// one-letter words are dropped: they never name a theme.
pub fn tokenize(text: &str) -> Vec<String> {
    let (mut lower, mut scratch) = (String::new(), String::new());
    lowercase_into(text, &mut lower);
    let mut words = Vec::new();
    for_each_word(&lower, &mut scratch, |w| words.push(w.to_owned()));
    words
}

/// No stem: the word is a stop word.
const NO_STEM: u32 = u32::MAX;

/// All responses as sequences of interned word ids.
#[derive(Debug, Clone)]
pub(crate) struct Corpus {
    /// Response r's words are `ids[offsets[r]..offsets[r + 1]]`.
    offsets: Vec<usize>,
    ids: Vec<u32>,
    /// Per word id: its text, and the id of its stem (`NO_STEM` for a stop word).
    words: Vec<Box<str>>,
    stem_of: Vec<u32>,
    /// Per stem id: its text.
    stems: Vec<Box<str>>,
}

impl Corpus {
    /// Tokenises every text once, interning words and stemming each distinct word once.
    pub(crate) fn new(texts: &[&str]) -> Self {
        let stemmer = Stemmer::create(Algorithm::English);
        let mut word_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut stem_ids: FxHashMap<Box<str>, u32> = FxHashMap::default();
        let mut corpus =
            Corpus { offsets: vec![0], ids: Vec::new(), words: Vec::new(), stem_of: Vec::new(), stems: Vec::new() };
        let (mut lower, mut scratch) = (String::new(), String::new());
        for text in texts {
            lowercase_into(text, &mut lower);
            for_each_word(&lower, &mut scratch, |word| {
                let id = match word_ids.get(word) {
                    Some(&id) => id,
                    None => {
                        let id = corpus.words.len() as u32;
                        let stem = if is_stop_word(word) {
                            NO_STEM
                        } else {
                            let stem = stemmer.stem(word);
                            match stem_ids.get(stem.as_ref()) {
                                Some(&s) => s,
                                None => {
                                    let s = corpus.stems.len() as u32;
                                    stem_ids.insert(stem.as_ref().into(), s);
                                    corpus.stems.push(stem.as_ref().into());
                                    s
                                }
                            }
                        };
                        word_ids.insert(word.into(), id);
                        corpus.words.push(word.into());
                        corpus.stem_of.push(stem);
                        id
                    }
                };
                corpus.ids.push(id);
            });
            corpus.offsets.push(corpus.ids.len());
        }
        corpus
    }

    pub(crate) fn len(&self) -> usize {
        self.offsets.len() - 1
    }

    /// The word ids of response `r`, stop words included.
    pub(crate) fn words_of(&self, r: usize) -> &[u32] {
        &self.ids[self.offsets[r]..self.offsets[r + 1]]
    }
}

/// Settings for building the vocabulary.
#[derive(Debug, Clone)]
pub(crate) struct VocabularyRules {
    pub min_df: usize,
    pub max_df_share: f32,
    pub min_phrase_df: usize,
}

/// The TF-IDF matrix: one L2-normalised row per document, one column per term.
#[derive(Debug, Clone)]
pub(crate) struct TfIdf {
    pub matrix: Csr,
    /// Per column: the term's display form (the most frequent surface form of its stems).
    pub terms: Vec<String>,
}

/// Up to three ids and how many of them are used: a term's stems or a phrase's words.
#[derive(Debug, Clone, Copy)]
struct Gram {
    ids: [u32; 3],
    len: u8,
}

impl Gram {
    fn key(&self) -> u128 {
        let [a, b, c] = self.ids;
        u128::from(a) | u128::from(b) << 32 | u128::from(c) << 64 | u128::from(self.len) << 96
    }

    fn ids(&self) -> &[u32] {
        &self.ids[..usize::from(self.len)]
    }

    fn text(&self, table: &[Box<str>]) -> String {
        let mut s = String::new();
        for (i, &id) in self.ids().iter().enumerate() {
            if i > 0 {
                s.push(' ');
            }
            s.push_str(&table[id as usize]);
        }
        s
    }
}

/// Terms seen while the matrix is built. A term is a stem or a stemmed phrase of two or
/// three words; a surface is the unstemmed word sequence it was seen as. Single words
/// need no table (word id → stem id → term id are arrays); phrases are interned by
/// the ids of their words, and each distinct phrase is stemmed once.
struct Terms {
    /// Per term: its stems.
    stems: Vec<Gram>,
    /// Per stem id: its single-word term, `u32::MAX` until seen.
    term_of_stem: Vec<u32>,
    /// Phrase terms by their stems' key.
    phrase_terms: FxHashMap<u128, u32>,
    /// Phrase surfaces by their words' key, and per surface: words, term and count.
    surface_ids: FxHashMap<u128, u32>,
    surfaces: Vec<(Gram, u32, u32)>,
    /// Occurrences of each content word, for the display forms of single-word terms.
    word_count: Vec<u32>,
}

impl Terms {
    fn new(corpus: &Corpus) -> Self {
        Terms {
            stems: Vec::new(),
            term_of_stem: vec![u32::MAX; corpus.stems.len()],
            phrase_terms: FxHashMap::default(),
            surface_ids: FxHashMap::default(),
            surfaces: Vec::new(),
            word_count: vec![0; corpus.words.len()],
        }
    }

    fn word(&mut self, corpus: &Corpus, w: u32) -> u32 {
        self.word_count[w as usize] += 1;
        let s = corpus.stem_of[w as usize];
        let slot = &mut self.term_of_stem[s as usize];
        if *slot == u32::MAX {
            *slot = self.stems.len() as u32;
            self.stems.push(Gram { ids: [s, 0, 0], len: 1 });
        }
        *slot
    }

    fn phrase(&mut self, corpus: &Corpus, words: &[u32]) -> u32 {
        let mut gram = Gram { ids: [0; 3], len: words.len() as u8 };
        gram.ids[..words.len()].copy_from_slice(words);
        let key = gram.key();
        if let Some(&s) = self.surface_ids.get(&key) {
            let surface = &mut self.surfaces[s as usize];
            surface.2 += 1;
            return surface.1;
        }
        let mut stems = gram;
        for id in &mut stems.ids[..words.len()] {
            *id = corpus.stem_of[*id as usize];
        }
        let next = self.stems.len() as u32;
        let term = *self.phrase_terms.entry(stems.key()).or_insert(next);
        if term == next {
            self.stems.push(stems);
        }
        self.surface_ids.insert(key, self.surfaces.len() as u32);
        self.surfaces.push((gram, term, 1));
        term
    }
}

/// Keeps the better of two display candidates: more occurrences, then the
/// alphabetically first text, so the choice does not depend on input order.
fn better(best: &mut Option<(u32, String)>, count: u32, text: impl FnOnce() -> String) {
    match best {
        Some((c, _)) if *c > count => {}
        Some((c, t)) if *c == count => {
            let text = text();
            if text < *t {
                *t = text;
            }
        }
        _ => *best = Some((count, text())),
    }
}

/// Builds the TF-IDF matrix of the responses `docs` of `corpus`: terms are stems of
/// content words and stemmed phrases of two and three consecutive content words (stop
/// words are removed first, as scikit-learn does); sublinear tf (1 + ln tf), smoothed
/// idf (ln((1 + n) / (1 + df)) + 1), rows normalised to unit length.
///
/// Terms are kept when their document frequency is at least `min_df` (phrases: at
/// least `min_phrase_df` as well) and they occur in at most `max_df_share` of the
/// documents. A single document keeps every term: share and frequency rules mean
/// nothing with one. Columns are in order of the terms' stemmed keys.
pub(crate) fn tfidf(corpus: &Corpus, docs: &[usize], rules: &VocabularyRules) -> TfIdf {
    let n = docs.len();
    let mut terms = Terms::new(corpus);
    let mut doc_offsets = Vec::with_capacity(n + 1);
    doc_offsets.push(0usize);
    let mut doc_terms: Vec<u32> = Vec::new();
    let mut content: Vec<u32> = Vec::new();
    for &d in docs {
        content.clear();
        content.extend(corpus.words_of(d).iter().copied().filter(|&w| corpus.stem_of[w as usize] != NO_STEM));
        for &w in &content {
            doc_terms.push(terms.word(corpus, w));
        }
        for len in 2..=3 {
            for window in content.windows(len) {
                doc_terms.push(terms.phrase(corpus, window));
            }
        }
        doc_offsets.push(doc_terms.len());
    }

    let term_count = terms.stems.len();
    let mut df = vec![0u32; term_count];
    let mut last_doc = vec![u32::MAX; term_count];
    for d in 0..n {
        for &t in &doc_terms[doc_offsets[d]..doc_offsets[d + 1]] {
            if last_doc[t as usize] != d as u32 {
                last_doc[t as usize] = d as u32;
                df[t as usize] += 1;
            }
        }
    }

    let max_df = ((rules.max_df_share * n as f32).floor() as usize).max(1);
    let mut kept: Vec<(String, u32)> = (0..term_count as u32)
        .filter(|&t| {
            let count = df[t as usize] as usize;
            let is_phrase = terms.stems[t as usize].len > 1;
            n <= 1 || (count >= rules.min_df && count <= max_df && (!is_phrase || count >= rules.min_phrase_df))
        })
        .map(|t| (terms.stems[t as usize].text(&corpus.stems), t))
        .collect();
    kept.sort_unstable();
    let mut column = vec![u32::MAX; term_count];
    let mut idf = Vec::with_capacity(kept.len());
    for (j, (_, t)) in kept.iter().enumerate() {
        column[*t as usize] = j as u32;
        idf.push(((1.0 + n as f32) / (1.0 + df[*t as usize] as f32)).ln() + 1.0);
    }

    // Display forms: the most frequent surface form of each kept term. Counts first,
    // then text only for the surfaces that reach their term's highest count, so that
    // the many surfaces seen once or twice never allocate a string.
    let kept_column = |t: u32| column.get(t as usize).copied().filter(|&j| j != u32::MAX).map(|j| j as usize);
    let word_column = |w: usize, count: u32| {
        (count > 0).then(|| kept_column(terms.term_of_stem[corpus.stem_of[w] as usize])).flatten()
    };
    let mut top = vec![0u32; kept.len()];
    for (w, &count) in terms.word_count.iter().enumerate() {
        if let Some(j) = word_column(w, count) {
            top[j] = top[j].max(count);
        }
    }
    for &(_, t, count) in &terms.surfaces {
        if let Some(j) = kept_column(t) {
            top[j] = top[j].max(count);
        }
    }
    let mut display: Vec<Option<(u32, String)>> = vec![None; kept.len()];
    for (w, &count) in terms.word_count.iter().enumerate() {
        if let Some(j) = word_column(w, count).filter(|&j| top[j] == count) {
            better(&mut display[j], count, || corpus.words[w].to_string());
        }
    }
    for (gram, t, count) in &terms.surfaces {
        if let Some(j) = kept_column(*t).filter(|&j| top[j] == *count) {
            better(&mut display[j], *count, || gram.text(&corpus.words));
        }
    }
    let names: Vec<String> =
        kept.into_iter().zip(display).map(|((key, _), shown)| shown.map_or(key, |(_, text)| text)).collect();

    let mut matrix = Csr::with_cols(names.len());
    let mut cols: Vec<u32> = Vec::new();
    let mut row: Vec<(u32, f32)> = Vec::new();
    for d in 0..n {
        cols.clear();
        cols.extend(
            doc_terms[doc_offsets[d]..doc_offsets[d + 1]]
                .iter()
                .map(|&t| column[t as usize])
                .filter(|&j| j != u32::MAX),
        );
        cols.sort_unstable();
        row.clear();
        for &j in &cols {
            match row.last_mut() {
                Some((last, count)) if *last == j => *count += 1.0,
                _ => row.push((j, 1.0)),
            }
        }
        for (j, v) in &mut row {
            *v = (1.0 + v.ln()) * idf[*j as usize];
        }
        let norm = row.iter().map(|(_, v)| v * v).sum::<f32>().sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|(_, v)| *v /= norm);
        }
        matrix.push_row(row.iter().copied());
    }
    TfIdf { matrix, terms: names }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> VocabularyRules {
        VocabularyRules { min_df: 1, max_df_share: 1.0, min_phrase_df: 2 }
    }

    fn build(texts: &[&str], rules: &VocabularyRules) -> TfIdf {
        let corpus = Corpus::new(texts);
        let docs: Vec<usize> = (0..texts.len()).collect();
        tfidf(&corpus, &docs, rules)
    }

    #[test]
    fn tokenizing_lowercases_drops_apostrophes_numbers_and_single_letters() {
        assert_eq!(tokenize("Don't SPEED on Élan Road's 30 mph a"), vec!["dont", "speed", "on", "élan", "road", "mph"]);
        assert_eq!(tokenize("People’s ''quoted'' 2nd é"), vec!["people", "quoted", "2nd"]);
    }

    #[test]
    fn the_corpus_interns_each_word_once() {
        let corpus = Corpus::new(&["Speeding cars, speeding vans", "the cars"]);
        assert_eq!(corpus.len(), 2);
        assert_eq!(corpus.words_of(0).len(), 4);
        assert_eq!(corpus.words_of(0)[0], corpus.words_of(0)[2]);
        assert_eq!(corpus.words_of(0)[1], corpus.words_of(1)[1]);
        assert_eq!(corpus.words.len(), 4);
        assert_eq!(corpus.stem_of[corpus.words_of(1)[0] as usize], NO_STEM);
    }

    #[test]
    fn stems_are_displayed_by_their_most_frequent_surface_form() {
        let m = build(&["speeding cars", "speeding vans", "speed bumps"], &rules());
        assert!(m.terms.contains(&"speeding".to_owned()));
        assert!(!m.terms.contains(&"speed".to_owned()));
    }

    #[test]
    fn phrases_are_kept_only_when_frequent_enough() {
        let m = build(&["street lighting broken", "street lighting poor", "broken glass"], &rules());
        assert!(m.terms.contains(&"street lighting".to_owned()));
        assert!(!m.terms.contains(&"lighting broken".to_owned()));
    }

    #[test]
    fn phrase_surfaces_with_the_same_stems_are_one_term() {
        let m = build(&["speeding cars here", "speeding car there", "speeding cars again"], &rules());
        let j = m.terms.iter().position(|t| t == "speeding cars").expect("the phrase is a term");
        assert!(!m.terms.contains(&"speeding car".to_owned()));
        for r in 0..3 {
            assert!(m.matrix.row(r).0.contains(&(j as u32)));
        }
    }

    #[test]
    fn rows_are_unit_length_and_terms_in_every_document_are_pruned() {
        let r = VocabularyRules { min_df: 1, max_df_share: 0.9, min_phrase_df: 2 };
        let m = build(&["police speeding", "police burglary", "police parking"], &r);
        assert!(!m.terms.contains(&"police".to_owned()));
        for d in 0..3 {
            let norm: f32 = m.matrix.row(d).1.iter().map(|v| v * v).sum();
            assert!((norm - 1.0).abs() < 1e-5);
        }
    }
}
