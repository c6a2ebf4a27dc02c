//! Theme analysis of consultation responses: pure, offline and deterministic.
//!
//! [`analyse`] takes the free-text answers to one question and returns themes (label,
//! key phrases, size, representative quotes), each response's theme assignments with
//! scores, the near-duplicate and campaign groups found, and quality flags. The
//! method: Unicode tokens, English stop words and Snowball stems (displayed by their
//! most frequent surface form), phrases of two and three words, TF-IDF, then NMF by
//! coordinate descent (HALS), with the number of themes chosen on a sample when not
//! given. See `docs/themes.md`.
//!
//! [`analyse_with_vectors`] finds themes from sentence vectors (embeddings) given by
//! the caller instead: spherical k-means on the vectors, then the same assignment and
//! quality rules, labels and duplicate groups (`dense.rs`, method
//! [`EMBEDDINGS_METHOD`]). With the cargo feature `embeddings`, `Embedder` (`embed.rs`)
//! makes the vectors with all-MiniLM-L6-v2 read from a local directory (it reads those
//! files and nothing else; it never downloads), and `analyse_with_embedder` does both.
//!
//! Apart from that model directory it does no I/O and needs no network: importing
//! CSV/JSONL, the command line and staff review live elsewhere.

mod assemble;
mod dedup;
mod dense;
#[cfg(feature = "embeddings")]
pub mod embed;
mod hash;
mod nmf;
mod sparse;
mod stopwords;
pub mod text;

use serde::{Deserialize, Serialize};

pub use dense::{EMBEDDINGS_METHOD, VectorsError, analyse_with_vectors};
#[cfg(feature = "embeddings")]
pub use embed::{EmbedError, Embedder, analyse_with_embedder};

use nmf::{Factors, SplitMix64, cosine, factorise, sample};
use sparse::Csr;
use text::{Corpus, VocabularyRules, tfidf};

/// One free-text response to analyse.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Response {
    pub id: String,
    pub text: String,
}

/// Settings of an analysis. `Options::default()` suits survey-length answers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Options {
    /// Seed of the pseudo-random initialisation; same input and seed, same result.
    pub seed: u64,
    /// Number of themes to fit; `None` chooses it automatically.
    pub themes: Option<usize>,
    /// Largest number of themes tried when choosing automatically.
    pub max_auto_themes: usize,
    /// Terms must occur in at least this many (distinct) responses.
    pub min_df: usize,
    /// Terms occurring in more than this share of responses are dropped.
    pub max_df_share: f32,
    /// Phrases (two or three words) must occur in at least this many responses.
    pub min_phrase_df: usize,
    /// Jaccard similarity of word shingles at or above which two responses are
    /// treated as copies of each other.
    pub near_duplicate_jaccard: f32,
    /// Words per shingle for near-duplicate detection.
    pub shingle_size: usize,
    /// A duplicate group at least this large is marked as a campaign.
    pub campaign_min_size: usize,
    /// NMF iterations at most; fewer when the fit stops improving.
    pub iterations: usize,
    /// A response is assigned to every theme whose share of its weight reaches this.
    pub assignment_threshold: f32,
    /// Quality rule: at most this many themes.
    pub max_themes: usize,
    /// Quality rule: every theme holds at least this many responses...
    pub min_theme_responses: usize,
    /// ...and at least this share of all responses.
    pub min_theme_share: f32,
    /// Quality rule: themes whose term vectors have a cosine above this are merged.
    pub merge_cosine: f32,
    /// Quality rule: pairs of themes sharing more than this share of the smaller
    /// theme's responses are flagged.
    pub overlap_flag: f32,
    /// Key phrases reported per theme.
    pub key_phrases: usize,
    /// Representative quotes reported per theme.
    pub quotes: usize,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            seed: 42,
            themes: None,
            max_auto_themes: 15,
            min_df: 2,
            max_df_share: 0.9,
            min_phrase_df: 3,
            near_duplicate_jaccard: 0.9,
            shingle_size: 3,
            campaign_min_size: 5,
            iterations: 200,
            assignment_threshold: 0.25,
            max_themes: 70,
            min_theme_responses: 5,
            min_theme_share: 0.001,
            merge_cosine: 0.8,
            overlap_flag: 0.7,
            key_phrases: 8,
            quotes: 3,
        }
    }
}

/// The result of [`analyse`]: plain data, serialisable as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// How themes were found, e.g. "tfidf-nmf".
    pub method: String,
    pub seed: u64,
    /// Responses given.
    pub responses: usize,
    /// Responses left after near-duplicates were grouped.
    pub distinct_responses: usize,
    /// Terms (stems and phrases) in the TF-IDF vocabulary.
    pub vocabulary_size: usize,
    /// Number of themes fitted before the quality rules.
    pub themes_fitted: usize,
    /// Themes, largest first; `Theme::id` is the position in this list.
    pub themes: Vec<Theme>,
    /// One entry per response, in input order.
    pub assignments: Vec<Assignment>,
    /// Groups of two or more responses found to be (near-)copies.
    pub duplicate_groups: Vec<DuplicateGroup>,
    /// What the quality rules did or found.
    pub flags: Vec<Flag>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Theme {
    pub id: usize,
    /// The first key phrases, joined: a machine label for staff to rename.
    pub label: String,
    pub key_phrases: Vec<String>,
    /// Distinct responses assigned (a duplicate group counts once).
    pub size: usize,
    /// Responses assigned, counting every copy in a duplicate group.
    pub size_with_duplicates: usize,
    pub quotes: Vec<Quote>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quote {
    pub response_id: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Assignment {
    pub response_id: String,
    /// Highest score first; empty when the response fits no theme ("other").
    pub themes: Vec<ThemeScore>,
    /// The representative whose analysis this response shares, when it is a copy.
    pub duplicate_of: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ThemeScore {
    pub theme: usize,
    /// The theme's share of the response's theme weight, in (0, 1].
    pub score: f32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicateGroup {
    /// The member analysed on behalf of the group (the first in input order).
    pub representative: String,
    /// Every member, the representative included, in input order.
    pub members: Vec<String>,
    pub size: usize,
    /// At least `Options::campaign_min_size` copies.
    pub campaign: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// Two themes share more than `Options::overlap_flag` of the smaller one's responses.
    ThemeOverlap { a: usize, b: usize, overlap: f32 },
    /// Themes fitted but merged into another because their term vectors were too alike.
    ThemesMerged { count: usize },
    /// Themes fitted but dissolved for holding too few responses (or beyond the cap).
    ThemesDissolved { count: usize },
    /// Too few distinct responses with usable words to form any theme.
    TooFewResponses { usable: usize, needed: usize },
}

/// Analyses the responses to one question. Never panics on empty or tiny input: it
/// then returns no themes and says why in `flags`.
pub fn analyse(responses: &[Response], options: &Options) -> Analysis {
    let n = responses.len();
    let texts: Vec<&str> = responses.iter().map(|r| r.text.as_str()).collect();
    let corpus = Corpus::new(&texts);
    let groups = dedup::group(&corpus, options.near_duplicate_jaccard, options.shingle_size);
    let reps: Vec<usize> = groups.iter().map(|g| g.representative).collect();
    let matrix = tfidf(
        &corpus,
        &reps,
        &VocabularyRules {
            min_df: options.min_df,
            max_df_share: options.max_df_share,
            min_phrase_df: options.min_phrase_df,
        },
    );
    // The token arrays are not needed again; free them before the factorisation.
    drop(corpus);
    let x = &matrix.matrix;
    let terms = matrix.terms.len();
    let min_size = options.min_theme_responses.max((options.min_theme_share * n as f32).ceil() as usize).max(1);
    let usable = (0..x.rows).filter(|&r| !x.row_is_empty(r)).count();
    let max_k = options.max_themes.min(usable / min_size);

    let mut flags = Vec::new();
    let mut themes_fitted = 0;
    // Per representative: (theme index into `kept`, score), best first.
    let mut rep_scores: Vec<Vec<(usize, f32)>> = vec![Vec::new(); reps.len()];
    let mut theme_rows: Vec<Vec<f32>> = Vec::new();
    let mut rep_weights: Vec<Vec<f32>> = vec![Vec::new(); reps.len()];

    if max_k == 0 || terms == 0 {
        flags.push(Flag::TooFewResponses { usable, needed: min_size });
    } else {
        let (k, start) = match options.themes {
            Some(k) => (k.clamp(1, usable.max(1)), None),
            None => {
                let choice = choose_k(x, max_k.min(options.max_auto_themes), min_size, options);
                (choice.k, choice.start)
            }
        };
        let f = factorise(x, k, options.iterations, options.seed, start);
        themes_fitted = k;
        let (kept, merged, dissolved) = apply_rules(&f, x.rows, min_size, options);
        if merged > 0 {
            flags.push(Flag::ThemesMerged { count: merged });
        }
        if dissolved > 0 {
            flags.push(Flag::ThemesDissolved { count: dissolved });
        }
        theme_rows = kept.iter().map(|t| t.h.clone()).collect();
        for (r, weights) in rep_weights.iter_mut().enumerate() {
            *weights = kept.iter().map(|t| t.w[r]).collect();
            rep_scores[r] = scores(weights, options.assignment_threshold);
        }
    }

    // Order themes by size (distinct responses), largest first; ties by fitted order.
    let k = theme_rows.len();
    let BySize { size, size_dup, order, new_id } = by_size(&rep_scores, &groups, k);

    let themes: Vec<Theme> = order
        .iter()
        .enumerate()
        .map(|(id, &t)| {
            let key_phrases = key_phrases(&theme_rows[t], &matrix.terms, options.key_phrases);
            let label = key_phrases.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            // Quotes: responses whose top theme this is, most strongly first.
            let mut candidates: Vec<(usize, f32, f32)> = rep_scores
                .iter()
                .enumerate()
                .filter(|(_, sc)| sc.first().is_some_and(|&(top, _)| top == t))
                .map(|(r, sc)| (r, sc[0].1, rep_weights[r][t]))
                .collect();
            candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
            let quotes = candidates
                .iter()
                .take(options.quotes)
                .map(|&(r, _, _)| Quote {
                    response_id: responses[reps[r]].id.clone(),
                    text: responses[reps[r]].text.clone(),
                })
                .collect();
            Theme { id, label, key_phrases, size: size[t], size_with_duplicates: size_dup[t], quotes }
        })
        .collect();

    // Overlap flags on the final theme ids: shared responses per pair of themes,
    // counted from each response's few themes rather than by intersecting every pair
    // of theme lists.
    let mut shared = vec![0usize; k * k];
    let mut members = vec![0usize; k];
    for sc in &rep_scores {
        for (i, &(a, _)) in sc.iter().enumerate() {
            members[new_id[a]] += 1;
            for &(b, _) in &sc[i + 1..] {
                let (a, b) = (new_id[a].min(new_id[b]), new_id[a].max(new_id[b]));
                shared[a * k + b] += 1;
            }
        }
    }
    for a in 0..k {
        for b in a + 1..k {
            let smaller = members[a].min(members[b]);
            if smaller > 0 {
                let overlap = shared[a * k + b] as f32 / smaller as f32;
                if overlap > options.overlap_flag {
                    flags.push(Flag::ThemeOverlap { a, b, overlap });
                }
            }
        }
    }

    let (assignments, duplicate_groups) = spread_to_members(responses, &groups, &rep_scores, &new_id, options);

    Analysis {
        method: "tfidf-nmf".to_owned(),
        seed: options.seed,
        responses: n,
        distinct_responses: reps.len(),
        vocabulary_size: terms,
        themes_fitted,
        themes,
        assignments,
        duplicate_groups,
        flags,
    }
}

/// Each response's assignment: its group representative's theme scores (renumbered by
/// `new_id`), with copies pointing at the representative; and the groups of more than
/// Themes in order of size (distinct responses), largest first, ties by fitted order.
pub(crate) struct BySize {
    /// Distinct responses per fitted theme.
    pub size: Vec<usize>,
    /// Responses per fitted theme, copies included.
    pub size_dup: Vec<usize>,
    /// Fitted themes, largest first.
    pub order: Vec<usize>,
    /// Each fitted theme's place in `order`.
    pub new_id: Vec<usize>,
}

/// Sizes the `k` fitted themes from the representatives' scores and orders them.
pub(crate) fn by_size(rep_scores: &[Vec<(usize, f32)>], groups: &[dedup::Group], k: usize) -> BySize {
    let mut size = vec![0usize; k];
    let mut size_dup = vec![0usize; k];
    for (r, sc) in rep_scores.iter().enumerate() {
        for &(t, _) in sc {
            size[t] += 1;
            size_dup[t] += groups[r].members.len();
        }
    }
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| size[b].cmp(&size[a]).then(a.cmp(&b)));
    let mut new_id = vec![0usize; k];
    for (pos, &t) in order.iter().enumerate() {
        new_id[t] = pos;
    }
    BySize { size, size_dup, order, new_id }
}

/// one response, marked as campaigns from `campaign_min_size`.
pub(crate) fn spread_to_members(
    responses: &[Response],
    groups: &[dedup::Group],
    rep_scores: &[Vec<(usize, f32)>],
    new_id: &[usize],
    options: &Options,
) -> (Vec<Assignment>, Vec<DuplicateGroup>) {
    let mut assignments: Vec<Assignment> = responses
        .iter()
        .map(|r| Assignment { response_id: r.id.clone(), themes: Vec::new(), duplicate_of: None })
        .collect();
    let mut duplicate_groups = Vec::new();
    for (g, group) in groups.iter().enumerate() {
        let themes: Vec<ThemeScore> =
            rep_scores[g].iter().map(|&(t, score)| ThemeScore { theme: new_id[t], score }).collect();
        let rep_id = &responses[group.representative].id;
        for &m in &group.members {
            assignments[m].themes = themes.clone();
            if m != group.representative {
                assignments[m].duplicate_of = Some(rep_id.clone());
            }
        }
        if group.members.len() > 1 {
            duplicate_groups.push(DuplicateGroup {
                representative: rep_id.clone(),
                members: group.members.iter().map(|&m| responses[m].id.clone()).collect(),
                size: group.members.len(),
                campaign: group.members.len() >= options.campaign_min_size,
            });
        }
    }
    (assignments, duplicate_groups)
}

/// A theme during the quality rules: its term vector and its weight in each
/// (representative) response.
#[derive(Debug, Clone)]
struct WorkingTheme {
    h: Vec<f32>,
    w: Vec<f32>,
}

/// Index of the highest positive weight (lowest index on ties), if any.
fn top(weights: impl Iterator<Item = f32>) -> Option<usize> {
    let mut best: Option<(usize, f32)> = None;
    for (t, x) in weights.enumerate() {
        if x > 0.0 && best.is_none_or(|(_, b)| x > b) {
            best = Some((t, x));
        }
    }
    best.map(|(t, _)| t)
}

/// Applies the merge, minimum-size and cap rules; returns the kept themes and how
/// many were merged and dissolved.
fn apply_rules(f: &Factors, n: usize, min_size: usize, options: &Options) -> (Vec<WorkingTheme>, usize, usize) {
    let mut themes: Vec<WorkingTheme> = (0..f.k)
        .map(|t| WorkingTheme {
            h: f.h[t * f.terms..(t + 1) * f.terms].to_vec(),
            w: (0..n).map(|i| f.w[i * f.k + t]).collect(),
        })
        .collect();

    // Merge the most similar pair while any pair is above the threshold.
    let mut merged = 0;
    loop {
        let mut best: Option<(usize, usize, f32)> = None;
        for a in 0..themes.len() {
            for b in a + 1..themes.len() {
                let c = cosine(&themes[a].h, &themes[b].h);
                if c > options.merge_cosine && best.is_none_or(|(_, _, x)| c > x) {
                    best = Some((a, b, c));
                }
            }
        }
        let Some((a, b, _)) = best else { break };
        let gone = themes.remove(b);
        themes[a].h.iter_mut().zip(&gone.h).for_each(|(x, y)| *x += y);
        themes[a].w.iter_mut().zip(&gone.w).for_each(|(x, y)| *x += y);
        merged += 1;
    }

    // Dissolve the smallest theme while one is too small or there are too many; its
    // responses fall to their next-strongest theme, or to "other" if they have none.
    let mut dissolved = 0;
    loop {
        let mut size = vec![0usize; themes.len()];
        for i in 0..n {
            if let Some(t) = top(themes.iter().map(|th| th.w[i])) {
                size[t] += 1;
            }
        }
        let smallest = (0..themes.len()).rev().min_by_key(|&t| size[t]);
        let Some(s) = smallest else { break };
        if size[s] >= min_size && themes.len() <= options.max_themes {
            break;
        }
        themes.remove(s);
        dissolved += 1;
    }
    (themes, merged, dissolved)
}

/// Normalised theme scores of one response: each theme's share of its total weight,
/// kept when at least `threshold` (the top theme is always kept), best first.
fn scores(weights: &[f32], threshold: f32) -> Vec<(usize, f32)> {
    let total: f32 = weights.iter().filter(|x| **x > 0.0).sum();
    let Some(best) = top(weights.iter().copied()) else {
        return Vec::new();
    };
    let mut out: Vec<(usize, f32)> = weights
        .iter()
        .enumerate()
        .filter(|&(t, &x)| x > 0.0 && (t == best || x / total >= threshold))
        .map(|(t, &x)| (t, x / total))
        .collect();
    out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    out
}

/// The theme's highest-weighted terms, keeping the longest phrase where one term's
/// words all lie in another ("domestic abuse" rather than "domestic", "abuse").
fn key_phrases(h: &[f32], terms: &[String], count: usize) -> Vec<String> {
    let covers = |long: &str, short: &str| short.split(' ').all(|w| long.split(' ').any(|lw| lw == w));
    let mut order: Vec<usize> = (0..h.len()).filter(|&j| h[j] > 0.0).collect();
    order.sort_by(|&a, &b| h[b].total_cmp(&h[a]).then(a.cmp(&b)));
    let mut chosen: Vec<String> = Vec::new();
    for j in order {
        if chosen.len() >= count {
            break;
        }
        let term = &terms[j];
        if chosen.iter().any(|c| covers(c, term)) {
            continue;
        }
        chosen.retain(|c| !covers(term, c));
        chosen.push(term.clone());
    }
    chosen
}

/// NMF iterations per candidate k when choosing the number of themes, at most. (15
/// chose as well as 20 on the benchmark sets over ten seeds, for a quarter less time;
/// 10 chose fewer themes on the small gambling sets and agreed less with their labels.)
const SELECTION_ITERATIONS: usize = 15;
/// Distinct responses on which the number of themes is chosen, at most.
const SELECTION_ROWS: usize = 1000;
/// The chosen k is the smallest whose silhouette is within this share of the best.
const SELECTION_MARGIN: f32 = 0.05;
/// Samples of fewer distinct responses than this try every k: there the fits cost
/// milliseconds, and the silhouette moves by several per cent from one k to the next,
/// so the best could fall between the points of a coarse grid.
const GRID_MIN_ROWS: usize = 500;

/// The number of themes chosen automatically, with the chosen candidate's themes.
#[derive(Debug, Clone)]
struct Choice {
    k: usize,
    /// Hᵀ (all terms × k) of the chosen candidate's coarse fit on the sample, from
    /// which the full fit starts; `None` when no candidate was eligible.
    start: Option<Vec<f32>>,
}

/// A candidate number of themes, fitted on the sample: its silhouette (`None` when a
/// theme is under the minimum size) and its H (k × sample terms).
struct Candidate {
    k: usize,
    silhouette: Option<f32>,
    h: Vec<f32>,
}

/// The candidates tried first: every k up to 4, then steps growing by about a third,
/// and `max_k` itself.
fn coarse_grid(max_k: usize) -> Vec<usize> {
    let mut grid = Vec::new();
    let mut k = 2;
    while k < max_k {
        grid.push(k);
        k = if k < 4 { k + 1 } else { k + k.div_ceil(3) };
    }
    if max_k >= 2 {
        grid.push(max_k);
    }
    grid
}

/// The smallest k whose silhouette is within `SELECTION_MARGIN` of the best, among
/// the candidates tried, and the largest k tried below it (1 when none).
fn smallest_near_best(tried: &[Candidate]) -> Option<(usize, usize)> {
    let best = tried.iter().filter_map(|c| c.silhouette).max_by(f32::total_cmp)?;
    let bar = best - SELECTION_MARGIN * best.abs();
    let chosen = tried.iter().filter(|c| c.silhouette.is_some_and(|s| s >= bar)).map(|c| c.k).min()?;
    let below = tried.iter().map(|c| c.k).filter(|&k| k < chosen).max().unwrap_or(1);
    Some((chosen, below))
}

/// Chooses the number of themes in 2..=`max_k` by the silhouette of the responses'
/// top-theme clusters, skipping any k that leaves a theme below the minimum size.
/// Returns k = 1 when no k ≥ 2 is possible.
///
/// The smallest k whose silhouette is within `SELECTION_MARGIN` of the best is chosen:
/// on sparse text the silhouette creeps up as themes split, and a gain of a few per
/// cent from one more theme is within the noise of a coarse fit on a sample, while
/// every extra theme is more for staff to review.
///
/// Each candidate is fitted coarsely on a seeded sample of at most `SELECTION_ROWS`
/// responses (all of them when there are fewer), with the minimum size scaled to the
/// sample: comparing k needs only the shape of the themes, and fitting fourteen
/// candidates on every response was most of the time of a large analysis.
///
/// On samples of at least `GRID_MIN_ROWS` responses the candidates of [`coarse_grid`]
/// are fitted first, then every k between the one chosen among them and the next
/// smaller k tried, until the choice has no untried k just below it. The choice is
/// then the one a scan of every k makes, unless an untried k above it would have
/// raised the best score; on a sample this large the silhouette changes slowly with
/// k, and the grid fits a quarter to a half less (by k, which the cost grows with).
/// Candidates are fitted on parallel threads; each one's result does not depend on
/// which thread fitted it.
///
/// The chosen candidate's themes are returned with k: the full fit starts from them
/// rather than from new seeds, and so usually needs fewer iterations (on the 5,000-row
/// sample of the 10,000 generated benchmark responses, 13 to 17 instead of 19 to 28
/// over four seeds), with agreement with the labels as good or slightly better over
/// ten seeds.
fn choose_k(x: &Csr, max_k: usize, min_size: usize, options: &Options) -> Choice {
    let usable: Vec<usize> = (0..x.rows).filter(|&r| !x.row_is_empty(r)).collect();
    let picked = sample(&usable, SELECTION_ROWS, &mut SplitMix64::new(options.seed ^ 0x005e_1ec7));
    let (sub, old_cols) = x.select_rows(&picked, 2);
    let sub_t = sub.transpose();
    let sub_min =
        if picked.len() < usable.len() { (min_size * picked.len()).div_ceil(usable.len()).max(2) } else { min_size };
    let fit = |k: usize| {
        // A coarse fit is enough to compare k; the chosen k is then fitted in full.
        let start = nmf::seed_themes(&sub, k, &mut SplitMix64::new(options.seed));
        let f = nmf::fit_from(&sub, &sub_t, start, k, options.iterations.min(SELECTION_ITERATIONS));
        Candidate { k, silhouette: silhouette(&f, &sub, sub_min), h: f.h }
    };
    let first: Vec<usize> = if picked.len() < GRID_MIN_ROWS { (2..=max_k).collect() } else { coarse_grid(max_k) };
    let mut tried = fit_all(&first, &fit);
    while let Some((chosen, below)) = smallest_near_best(&tried) {
        if below + 1 >= chosen {
            break;
        }
        tried.extend(fit_all(&(below + 1..chosen).collect::<Vec<_>>(), &fit));
    }
    let Some((k, _)) = smallest_near_best(&tried) else {
        return Choice { k: 1, start: None };
    };
    let start = tried.into_iter().find(|c| c.k == k).map(|c| {
        // H of the sample's terms to Hᵀ of all terms; terms the sample lacks start at 0.
        let mut ht = vec![0.0f32; x.cols * k];
        for (j, &old) in old_cols.iter().enumerate() {
            for t in 0..k {
                ht[old as usize * k + t] = c.h[t * sub.cols + j];
            }
        }
        ht
    });
    Choice { k, start }
}

/// Fits the candidates `ks`, on parallel threads when there are several.
fn fit_all(ks: &[usize], fit: &(impl Fn(usize) -> Candidate + Sync)) -> Vec<Candidate> {
    let threads = nmf::threads().min(ks.len()).max(1);
    if threads == 1 {
        return ks.iter().map(|&k| fit(k)).collect();
    }
    // Thread t takes every t-th candidate, so the cost (growing with k) is shared.
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| scope.spawn(move || ks.iter().skip(t).step_by(threads).map(|&k| fit(k)).collect::<Vec<_>>()))
            .collect();
        // A panic in a worker is a bug: pass it on rather than choose from fewer k.
        handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
    })
}

/// The silhouette of the responses' top-theme clusters under cosine distance: the mean
/// over responses of (b − a) / max(a, b), where a is the mean distance to the other
/// members of its cluster and b the smallest mean distance to another cluster's
/// members (0 for a response alone in its cluster). `None` when a theme holds fewer
/// than `min_size` responses.
///
/// The rows have unit length, so a mean cosine to a cluster's members is one dot
/// product with the sum of their rows: the exact silhouette in O(entries · k), not the
/// O(n²) of comparing every pair. (Distances to centroids instead, the "simplified"
/// silhouette, keep rising with k on sparse text and cannot choose it.)
fn silhouette(f: &Factors, x: &Csr, min_size: usize) -> Option<f32> {
    let k = f.k;
    let tops: Vec<Option<usize>> = (0..x.rows).map(|i| top(f.w[i * k..(i + 1) * k].iter().copied())).collect();
    // Sums of the members' rows, as terms × k, so one row's dot products are one gather.
    let mut sums = vec![0.0f32; f.terms * k];
    let mut size = vec![0usize; k];
    for (i, t) in tops.iter().enumerate() {
        if let Some(t) = *t {
            size[t] += 1;
            let (cols, vals) = x.row(i);
            for (&j, &v) in cols.iter().zip(vals) {
                sums[j as usize * k + t] += v;
            }
        }
    }
    if size.iter().any(|&s| s < min_size) {
        return None;
    }
    let mut total = 0.0f64;
    let mut counted = 0usize;
    let mut dots = vec![0.0f32; k];
    for (i, t) in tops.iter().enumerate() {
        let Some(t) = *t else { continue };
        counted += 1;
        if size[t] < 2 {
            continue;
        }
        dots.iter_mut().for_each(|s| *s = 0.0);
        let (cols, vals) = x.row(i);
        let mut own = 0.0f32;
        for (&j, &v) in cols.iter().zip(vals) {
            own += v * v;
            let c = &sums[j as usize * k..(j as usize + 1) * k];
            dots.iter_mut().zip(c).for_each(|(s, c)| *s += v * c);
        }
        let a = 1.0 - (dots[t] - own) / (size[t] - 1) as f32;
        let b = (0..k)
            .filter(|&s| s != t && size[s] > 0)
            .map(|s| 1.0 - dots[s] / size[s] as f32)
            .fold(f32::INFINITY, f32::min);
        let m = a.max(b);
        if b.is_finite() && m > 0.0 {
            total += f64::from((b - a) / m);
        }
    }
    (counted > 0).then(|| (total / counted as f64) as f32)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_phrases_prefer_the_phrase_to_its_words() {
        let terms: Vec<String> =
            ["domestic", "abuse", "domestic abuse", "refuge"].iter().map(|t| (*t).to_owned()).collect();
        let h = [0.9, 0.8, 0.7, 0.1];
        assert_eq!(key_phrases(&h, &terms, 8), vec!["domestic abuse".to_owned(), "refuge".to_owned()]);
    }

    #[test]
    fn a_theme_under_the_minimum_size_is_dissolved_into_the_next_strongest() {
        // Ten responses, one term each; theme 0 leads in seven, theme 1 in three.
        let mut w = Vec::new();
        for i in 0..10 {
            if i < 7 { w.extend([0.9, 0.1]) } else { w.extend([0.2, 0.8]) }
        }
        let f = Factors { k: 2, terms: 2, w, h: vec![1.0, 0.0, 0.0, 1.0] };
        let (kept, merged, dissolved) = apply_rules(&f, 10, 5, &Options::default());
        assert_eq!((kept.len(), merged, dissolved), (1, 0, 1));
        // The three responses of the dissolved theme now belong to the remaining one.
        assert!(kept[0].w.iter().all(|&x| x > 0.0));
    }

    #[test]
    fn near_identical_themes_are_merged_and_the_cap_holds() {
        let w = vec![0.5; 20 * 3];
        let h = vec![1.0, 0.0, 0.99, 0.01, 0.0, 1.0];
        let f = Factors { k: 3, terms: 2, w, h };
        let options = Options { max_themes: 1, min_theme_responses: 1, ..Options::default() };
        let (kept, merged, dissolved) = apply_rules(&f, 20, 1, &options);
        assert_eq!((kept.len(), merged, dissolved), (1, 1, 1));
    }

    #[test]
    fn the_silhouette_prefers_the_true_clusters_and_refuses_small_ones() {
        // Six rows in two disjoint topics of three.
        let rows: Vec<Vec<(usize, f32)>> =
            (0..6).map(|i| if i < 3 { vec![(0, 0.8), (1, 0.6)] } else { vec![(2, 0.6), (3, 0.8)] }).collect();
        let x = Csr::from_rows(&rows, 4);
        let factors = |tops: [usize; 6]| Factors {
            k: 2,
            terms: 4,
            w: tops.iter().flat_map(|&t| if t == 0 { [1.0, 0.0] } else { [0.0, 1.0] }).collect(),
            h: vec![0.0; 8],
        };
        let right = silhouette(&factors([0, 0, 0, 1, 1, 1]), &x, 1).expect("no theme is too small");
        let mixed = silhouette(&factors([0, 0, 1, 1, 1, 0]), &x, 1).expect("no theme is too small");
        assert!((right - 1.0).abs() < 1e-5, "silhouette {right}");
        assert!(mixed < right);
        assert!(silhouette(&factors([0, 0, 0, 1, 1, 1]), &x, 4).is_none());
    }

    #[test]
    fn scores_are_shares_of_the_weight_above_the_threshold() {
        assert_eq!(scores(&[0.6, 0.3, 0.1], 0.25), vec![(0, 0.6), (1, 0.3)]);
        assert!(scores(&[0.0, 0.0], 0.25).is_empty());
    }

    #[test]
    fn the_coarse_grid_tries_every_small_k_then_growing_steps_up_to_the_largest() {
        assert_eq!(coarse_grid(15), vec![2, 3, 4, 6, 8, 11, 15]);
        assert_eq!(coarse_grid(70), vec![2, 3, 4, 6, 8, 11, 15, 20, 27, 36, 48, 64, 70]);
        assert_eq!(coarse_grid(5), vec![2, 3, 4, 5]);
        assert_eq!(coarse_grid(2), vec![2]);
        assert!(coarse_grid(1).is_empty());
    }

    #[test]
    fn the_smallest_k_near_the_best_is_chosen_with_the_k_tried_below_it() {
        let tried = |scores: &[(usize, Option<f32>)]| -> Vec<Candidate> {
            scores.iter().map(|&(k, silhouette)| Candidate { k, silhouette, h: Vec::new() }).collect()
        };
        // 0.50 is the best; 0.48 at k = 6 is within 5% of it, 0.40 at k = 4 is not.
        let c = tried(&[(2, Some(0.3)), (4, Some(0.4)), (6, Some(0.48)), (8, Some(0.5)), (11, None)]);
        assert_eq!(smallest_near_best(&c), Some((6, 4)));
        assert_eq!(smallest_near_best(&tried(&[(2, Some(0.5))])), Some((2, 1)));
        assert_eq!(smallest_near_best(&tried(&[(2, None), (3, None)])), None);
    }

    /// `topics` topics of `per_topic` rows each: three terms of its own per topic with
    /// seeded weights, and one term every row shares (as "police" would be), rows of
    /// unit length.
    fn topics(topics: usize, per_topic: usize) -> Csr {
        let mut rng = SplitMix64::new(9);
        let rows: Vec<Vec<(usize, f32)>> = (0..topics * per_topic)
            .map(|i| {
                let t = i % topics;
                let mut row = vec![(0, 0.3f32)];
                row.extend((0..3).map(|j| (1 + t * 3 + j, 0.2 + rng.next_f64() as f32)));
                let norm = row.iter().map(|(_, x)| x * x).sum::<f32>().sqrt();
                row.iter().map(|&(j, x)| (j, x / norm)).collect()
            })
            .collect();
        Csr::from_rows(&rows, 1 + topics * 3)
    }

    #[test]
    fn a_number_of_themes_between_grid_points_is_found_by_the_refinement() {
        // Five topics: 5 is not on the coarse grid (4, 6), and the sample is large
        // enough for the grid to be used.
        let x = topics(5, GRID_MIN_ROWS / 5 + 20);
        let choice = choose_k(&x, 15, 5, &Options::default());
        assert_eq!(choice.k, 5);
        // The chosen candidate's themes come back over every term, as the full fit's start.
        let start = choice.start.expect("a candidate was eligible");
        assert_eq!(start.len(), x.cols * 5);
        assert!(start.iter().all(|&v| v >= 0.0) && start.iter().any(|&v| v > 0.0));
    }

    #[test]
    fn a_small_input_tries_every_number_of_themes() {
        let x = topics(7, 10);
        assert_eq!(choose_k(&x, 12, 5, &Options::default()).k, 7);
    }
}
