//! Themes from dense sentence vectors (embeddings), the method `embeddings-kmeans`.
//!
//! The responses are grouped into near-duplicates and turned into TF-IDF exactly as
//! [`crate::analyse`] does; only the representatives with words are clustered. Their
//! vectors are centred (the mean vector subtracted, then scaled to unit length) and
//! clustered by spherical k-means (cosine similarity), started as k-means++ starts from
//! a seeded PRNG, the most cohesive of [`RESTARTS`] runs kept. A response's weight in a
//! theme is a softmax of its cosine to the theme centres (temperature
//! [`TEMPERATURE`]), so the assignment rule, the quality rules (merge, minimum size,
//! cap), quotes and duplicate groups are the same functions as the TF-IDF path's. A
//! theme's term vector, from which its key phrases come and by which near-identical
//! themes are merged, is what its members' TF-IDF rows hold above the mean row.
//!
//! When the number of themes is not given it is the TF-IDF path's choice (the
//! silhouette of NMF fits on a sample), not a silhouette of the sentence vectors: the
//! vectors of answers to one question lie close together, and their silhouette (of
//! centred vectors) was highest at k = 2 on both of themefinder's gambling questions
//! and on 10,000 answers recombined from them, which carry 11, 11 and 22 human labels;
//! only on the benchmark's chatterbot dialogues did it rise with k. The TF-IDF choice
//! costs a fraction of a second beside minutes of embedding.
//!
//! It computes no vectors: [`analyse_with_vectors`] takes them from the caller, and
//! the `embed` module (cargo feature `embeddings`) makes them with a local model. It
//! does no I/O.

use crate::assemble::{Fitted, Source, assemble};
use crate::dedup::{self, Group};
use crate::nmf::{Factors, SplitMix64, threads};
use crate::sparse::Csr;
use crate::text::{Corpus, TfIdf, VocabularyRules, tfidf};
use crate::{Analysis, Flag, Options, Response, apply_rules, top};

/// The `method` of an analysis made from sentence vectors.
pub const EMBEDDINGS_METHOD: &str = "embeddings-kmeans";

/// Softmax temperature of the theme weights: a theme whose centre is 0.1 less similar
/// to a response than its best theme's gets e⁻¹ of the best one's weight, so a
/// response is given a second theme (share ≥ `assignment_threshold`) only when it is
/// nearly as close to it. On themefinder's gambling answers (which mostly carry two
/// labels) 0.02 to 0.2 gave the same top themes and macro F1 within 0.01; 0.1 gives
/// about one response in twelve a second theme.
pub(crate) const TEMPERATURE: f32 = 0.1;
/// Full k-means runs from different seeds; the most cohesive one is kept.
const RESTARTS: usize = 3;
/// Rows below which k-means runs on one thread: spawning costs more than it saves.
const PARALLEL_MIN: usize = 2048;

/// Why [`analyse_with_vectors`] refused its vectors.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VectorsError {
    #[error("{vectors} vectors for {responses} responses; give one vector per response, in the same order")]
    Count { responses: usize, vectors: usize },
    #[error("the vector of response `{id}` is empty; each response needs its sentence vector")]
    Empty { id: String },
    #[error(
        "the vector of response `{id}` has {found} numbers but the first has {expected}; all vectors must come from \
         the same model"
    )]
    Dimension { id: String, expected: usize, found: usize },
}

/// Analyses the responses to one question from their sentence vectors, one per
/// response in the same order (copies and blank answers included: their vectors are
/// not used). The result has the shape of [`crate::analyse`]'s, with `method`
/// [`EMBEDDINGS_METHOD`]; the same responses, vectors and options give the same
/// result. A vector that is all zeros or holds a non-finite number leaves its response
/// in no theme. Errors only when the vectors do not match the responses.
pub fn analyse_with_vectors(
    responses: &[Response],
    vectors: &[Vec<f32>],
    options: &Options,
) -> Result<Analysis, VectorsError> {
    if vectors.len() != responses.len() {
        return Err(VectorsError::Count { responses: responses.len(), vectors: vectors.len() });
    }
    let dim = vectors.first().map_or(0, Vec::len);
    for (response, vector) in responses.iter().zip(vectors) {
        if vector.is_empty() {
            return Err(VectorsError::Empty { id: response.id.clone() });
        }
        if vector.len() != dim {
            return Err(VectorsError::Dimension { id: response.id.clone(), expected: dim, found: vector.len() });
        }
    }
    let prepared = prepare(responses, options);
    let data: Vec<f32> = prepared.to_embed().flat_map(|i| vectors[i].iter().copied()).collect();
    Ok(finish(responses, &prepared, dim, data, options))
}

/// The first half of an analysis from vectors: near-duplicate groups, the TF-IDF of
/// their representatives, and which representatives have words to embed.
pub(crate) struct Prepared {
    groups: Vec<Group>,
    tfidf: TfIdf,
    /// Groups whose representative has at least one word, in group order.
    with_words: Vec<usize>,
}

/// Groups the responses and builds the TF-IDF of the representatives, with the same
/// settings as [`crate::analyse`].
pub(crate) fn prepare(responses: &[Response], options: &Options) -> Prepared {
    let texts: Vec<&str> = responses.iter().map(|r| r.text.as_str()).collect();
    let corpus = Corpus::new(&texts);
    let groups = dedup::group(&corpus, options.near_duplicate_jaccard, options.shingle_size);
    let reps: Vec<usize> = groups.iter().map(|g| g.representative).collect();
    // A blank answer, or one of only numbers and punctuation, fits no theme, as in the
    // TF-IDF path; stop words count as words here ("No." is an answer).
    let with_words = (0..groups.len()).filter(|&g| !corpus.words_of(reps[g]).is_empty()).collect();
    let rules = VocabularyRules {
        min_df: options.min_df,
        max_df_share: options.max_df_share,
        min_phrase_df: options.min_phrase_df,
    };
    let tfidf = tfidf(&corpus, &reps, &rules);
    Prepared { groups, tfidf, with_words }
}

impl Prepared {
    /// The responses whose vectors the analysis uses (indices into the input): the
    /// representatives with words, in input order. Embedding only these spares the
    /// model every copy in a campaign.
    pub(crate) fn to_embed(&self) -> impl Iterator<Item = usize> + '_ {
        self.with_words.iter().map(|&g| self.groups[g].representative)
    }
}

/// The second half: `data` holds one vector of `dim` numbers per response of
/// [`Prepared::to_embed`], in that order.
pub(crate) fn finish(
    responses: &[Response],
    prepared: &Prepared,
    dim: usize,
    data: Vec<f32>,
    options: &Options,
) -> Analysis {
    let groups = &prepared.groups;
    let x = &prepared.tfidf.matrix;
    let terms = &prepared.tfidf.terms;
    let (mut rows, members) = unit_rows(dim, data, &prepared.with_words);
    center(&mut rows);
    let n = responses.len();
    let min_size = options.min_theme_responses.max((options.min_theme_share * n as f32).ceil() as usize).max(1);
    let usable = members.len();
    let max_k = options.max_themes.min(usable / min_size);

    let mut fitted = Fitted { rep_weights: vec![Vec::new(); groups.len()], ..Fitted::default() };
    if max_k == 0 || terms.is_empty() {
        fitted.flags.push(Flag::TooFewResponses { usable, needed: min_size });
    } else {
        let k = match options.themes {
            Some(k) => k.clamp(1, usable),
            // The number of themes comes from the TF-IDF path: see the module doc.
            None => crate::choose_k(x, max_k.min(options.max_auto_themes), min_size, options).k.min(usable),
        };
        let clustering = best_of(&rows, k, options);
        // Weights over every group (zero for those not clustered), as the rules expect.
        let mut w = vec![0.0f32; groups.len() * k];
        for (i, &g) in members.iter().enumerate() {
            soft_weights(rows.row(i), &clustering.centroids, &mut w[g * k..(g + 1) * k]);
        }
        let h = term_profiles(x, &w, k).concat();
        let factors = Factors { k, terms: terms.len(), w, h };
        let (kept, merged, dissolved) = apply_rules(&factors, groups.len(), min_size, options);
        fitted.themes_fitted = k;
        if merged > 0 {
            fitted.flags.push(Flag::ThemesMerged { count: merged });
        }
        if dissolved > 0 {
            fitted.flags.push(Flag::ThemesDissolved { count: dissolved });
        }
        let kept_k = kept.len();
        let mut w = vec![0.0f32; groups.len() * kept_k];
        for (t, theme) in kept.iter().enumerate() {
            for (g, &v) in theme.w.iter().enumerate() {
                w[g * kept_k + t] = v;
            }
        }
        // Key phrases from the final members: dissolving a theme moves responses.
        fitted.theme_rows = term_profiles(x, &w, kept_k);
        fitted.rep_weights = w.chunks(kept_k.max(1)).map(<[f32]>::to_vec).collect();
        fitted.rep_weights.resize(groups.len(), Vec::new());
    }
    let source = Source { responses, groups, terms, method: EMBEDDINGS_METHOD };
    assemble(&source, fitted, options)
}

/// Unit-length rows, one per clustered response, in one contiguous array.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Rows {
    pub dim: usize,
    pub data: Vec<f32>,
}

impl Rows {
    pub(crate) fn len(&self) -> usize {
        self.data.len().checked_div(self.dim).unwrap_or(0)
    }

    pub(crate) fn row(&self, i: usize) -> &[f32] {
        &self.data[i * self.dim..(i + 1) * self.dim]
    }
}

/// Scales each vector to unit length and keeps those that can be (finite, not zero),
/// with the group each one belongs to.
fn unit_rows(dim: usize, data: Vec<f32>, groups: &[usize]) -> (Rows, Vec<usize>) {
    let mut kept = Vec::with_capacity(data.len());
    let mut members = Vec::with_capacity(groups.len());
    if dim > 0 {
        for (v, &g) in data.chunks_exact(dim).zip(groups) {
            let norm = dot(v, v).sqrt();
            if norm.is_finite() && norm > 0.0 && v.iter().all(|x| x.is_finite()) {
                kept.extend(v.iter().map(|x| x / norm));
                members.push(g);
            }
        }
    }
    (Rows { dim, data: kept }, members)
}

/// Subtracts the mean row and scales each row back to unit length. Sentence vectors
/// of answers to one question share a large common direction (they are all about the
/// question), which makes every cosine high and hides how the answers differ; without
/// it, themes agreed less with human labels (NMI 0.33 against 0.37 on themefinder's
/// gambling answers, k = 11, mean of ten seeds). A row equal to the mean stays zero and
/// sits in no theme's favour.
fn center(rows: &mut Rows) {
    let n = rows.len();
    if n == 0 {
        return;
    }
    let mut mean = vec![0.0f64; rows.dim];
    for row in rows.data.chunks_exact(rows.dim) {
        mean.iter_mut().zip(row).for_each(|(m, v)| *m += f64::from(*v));
    }
    let mean: Vec<f32> = mean.iter().map(|m| (m / n as f64) as f32).collect();
    for row in rows.data.chunks_exact_mut(rows.dim) {
        row.iter_mut().zip(&mean).for_each(|(v, m)| *v -= m);
        let norm = dot(row, row).sqrt();
        if norm > 0.0 {
            row.iter_mut().for_each(|v| *v /= norm);
        }
    }
}

/// Dot product with eight independent partial sums, which the compiler turns into
/// vector instructions (a single running sum cannot be reordered, so it would not);
/// the order of the additions is fixed, so the result is too.
pub(crate) fn dot(a: &[f32], b: &[f32]) -> f32 {
    let mut acc = [0.0f32; 8];
    let (ca, cb) = (a.chunks_exact(8), b.chunks_exact(8));
    let tail: f32 = ca.remainder().iter().zip(cb.remainder()).map(|(x, y)| x * y).sum();
    for (x, y) in ca.zip(cb) {
        for l in 0..8 {
            acc[l] += x[l] * y[l];
        }
    }
    acc.iter().sum::<f32>() + tail
}

/// `e^((cᵢ − c_best) / TEMPERATURE)` for the cosine cᵢ of `row` to each centre: the best
/// theme weighs 1, the others less the further they are.
fn soft_weights(row: &[f32], centroids: &[f32], out: &mut [f32]) {
    let dim = row.len();
    for (t, w) in out.iter_mut().enumerate() {
        *w = dot(row, &centroids[t * dim..(t + 1) * dim]);
    }
    let best = out.iter().copied().fold(f32::NEG_INFINITY, f32::max);
    out.iter_mut().for_each(|w| *w = ((*w - best) / TEMPERATURE).exp());
}

/// Per theme, what its members' TF-IDF rows hold above the mean row of all members of
/// any theme: the words that set the theme apart, rather than the question's words
/// that every theme shares. A response counts in its top theme by `w` (groups × k).
fn term_profiles(x: &Csr, w: &[f32], k: usize) -> Vec<Vec<f32>> {
    let mut sums = vec![vec![0.0f32; x.cols]; k];
    let mut sizes = vec![0usize; k];
    let mut overall = vec![0.0f32; x.cols];
    for r in 0..x.rows {
        let Some(t) = top(w[r * k..(r + 1) * k].iter().copied()) else { continue };
        sizes[t] += 1;
        let (cols, vals) = x.row(r);
        for (&j, &v) in cols.iter().zip(vals) {
            sums[t][j as usize] += v;
            overall[j as usize] += v;
        }
    }
    let total = sizes.iter().sum::<usize>().max(1) as f32;
    overall.iter_mut().for_each(|v| *v /= total);
    sums.into_iter()
        .zip(&sizes)
        .map(|(sum, &size)| {
            let size = size.max(1) as f32;
            sum.iter().zip(&overall).map(|(s, m)| (s / size - m).max(0.0)).collect()
        })
        .collect()
}

/// A k-means result: unit centres (k × dim) and the summed cosine of the rows to
/// their centres (higher is tighter).
#[derive(Debug, Clone)]
pub(crate) struct Clustering {
    pub centroids: Vec<f32>,
    pub cohesion: f64,
}

/// The most cohesive of [`RESTARTS`] runs (the first on ties), from seeds drawn from
/// `options.seed`.
fn best_of(rows: &Rows, k: usize, options: &Options) -> Clustering {
    let mut rng = SplitMix64::new(options.seed);
    let mut best = kmeans(rows, k, options.iterations, &mut rng);
    for _ in 1..RESTARTS {
        let c = kmeans(rows, k, options.iterations, &mut rng);
        if c.cohesion > best.cohesion {
            best = c;
        }
    }
    best
}

/// Spherical k-means (Dhillon and Modha 2001): each row goes to the centre of highest
/// cosine, each centre is its members' mean scaled to unit length, until no row moves
/// or after `iterations`. A centre left with no member takes the row farthest from its
/// own centre. `k` must be at least 1 and at most the number of rows.
pub(crate) fn kmeans(rows: &Rows, k: usize, iterations: usize, rng: &mut SplitMix64) -> Clustering {
    let mut centroids = seed_centroids(rows, k, rng);
    let (mut labels, mut sims) = assign(rows, &centroids, k);
    for _ in 0..iterations {
        centroids = update(rows, &mut labels, &sims, k);
        let (next, next_sims) = assign(rows, &centroids, k);
        sims = next_sims;
        if next == labels {
            break;
        }
        labels = next;
    }
    let cohesion = sims.iter().map(|&s| f64::from(s)).sum();
    Clustering { centroids, cohesion }
}

/// k-means++ starts: the first row at random, each next one drawn with probability
/// proportional to its cosine distance from the nearest start (the squared Euclidean
/// distance of unit vectors, halved), so starts spread over the data.
fn seed_centroids(rows: &Rows, k: usize, rng: &mut SplitMix64) -> Vec<f32> {
    let n = rows.len();
    let mut centroids = Vec::with_capacity(k * rows.dim);
    let first = rng.below(n);
    centroids.extend_from_slice(rows.row(first));
    let mut distance: Vec<f64> =
        (0..n).map(|i| f64::from((1.0 - dot(rows.row(i), rows.row(first))).max(0.0))).collect();
    for _ in 1..k {
        let total: f64 = distance.iter().sum();
        let pick = if total > 0.0 {
            let mut target = rng.next_f64() * total;
            let mut pick = n - 1;
            for (i, &d) in distance.iter().enumerate() {
                if d > 0.0 && target < d {
                    pick = i;
                    break;
                }
                target -= d;
            }
            pick
        } else {
            // Every row sits on a start already: any row will do.
            rng.below(n)
        };
        let start = rows.row(pick).to_vec();
        for (i, d) in distance.iter_mut().enumerate() {
            *d = d.min(f64::from((1.0 - dot(rows.row(i), &start)).max(0.0)));
        }
        centroids.extend_from_slice(&start);
    }
    centroids
}

/// Each row's closest centre (lowest index on ties) and its cosine to it. Rows are
/// split into contiguous parts on several threads when there are many; each row's
/// result is computed whole by one thread, so it does not depend on the split.
fn assign(rows: &Rows, centroids: &[f32], k: usize) -> (Vec<usize>, Vec<f32>) {
    let n = rows.len();
    let one = |i: usize| {
        let row = rows.row(i);
        let mut best = (0usize, f32::NEG_INFINITY);
        for t in 0..k {
            let s = dot(row, &centroids[t * rows.dim..(t + 1) * rows.dim]);
            if s > best.1 {
                best = (t, s);
            }
        }
        best
    };
    let parts = if n < PARALLEL_MIN { 1 } else { threads() };
    let results: Vec<(usize, f32)> = if parts <= 1 {
        (0..n).map(one).collect()
    } else {
        let chunk = n.div_ceil(parts);
        std::thread::scope(|scope| {
            let handles: Vec<_> = (0..parts)
                .map(|p| {
                    let one = &one;
                    scope.spawn(move || (p * chunk..((p + 1) * chunk).min(n)).map(one).collect::<Vec<_>>())
                })
                .collect();
            // A panic in a worker is a bug: pass it on rather than return fewer rows.
            handles.into_iter().flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))).collect()
        })
    };
    results.into_iter().unzip()
}

/// New centres from the labels. An empty theme takes the row least similar to its
/// own centre among themes of two or more rows (lowest index on ties), so k themes
/// always remain while there are k rows.
fn update(rows: &Rows, labels: &mut [usize], sims: &[f32], k: usize) -> Vec<f32> {
    let dim = rows.dim;
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&t| sizes[t] += 1);
    for t in 0..k {
        if sizes[t] > 0 {
            continue;
        }
        let far = (0..labels.len())
            .filter(|&i| sizes[labels[i]] > 1)
            .min_by(|&a, &b| sims[a].total_cmp(&sims[b]).then(a.cmp(&b)));
        if let Some(i) = far {
            sizes[labels[i]] -= 1;
            labels[i] = t;
            sizes[t] = 1;
        }
    }
    let mut centroids = vec![0.0f32; k * dim];
    for (i, &t) in labels.iter().enumerate() {
        centroids[t * dim..(t + 1) * dim].iter_mut().zip(rows.row(i)).for_each(|(c, v)| *c += v);
    }
    for c in centroids.chunks_exact_mut(dim) {
        let norm = dot(c, c).sqrt();
        if norm > 0.0 {
            c.iter_mut().for_each(|v| *v /= norm);
        }
    }
    centroids
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Unit rows around `directions` axes of `dim`, `per` each, with seeded noise.
    fn blobs(directions: usize, per: usize, dim: usize, noise: f32) -> Rows {
        let mut rng = SplitMix64::new(3);
        let mut data = Vec::new();
        for d in 0..directions {
            for _ in 0..per {
                let mut v: Vec<f32> = (0..dim).map(|_| (rng.next_f64() as f32 - 0.5) * noise).collect();
                v[d] += 1.0;
                let norm = dot(&v, &v).sqrt();
                data.extend(v.iter().map(|x| x / norm));
            }
        }
        Rows { dim, data }
    }

    #[test]
    fn the_dot_product_matches_the_plain_sum() {
        let a: Vec<f32> = (0..19).map(|i| i as f32 * 0.5).collect();
        let b: Vec<f32> = (0..19).map(|i| 1.0 - i as f32 * 0.1).collect();
        let plain: f32 = a.iter().zip(&b).map(|(x, y)| x * y).sum();
        assert!((dot(&a, &b) - plain).abs() < 1e-3);
    }

    #[test]
    fn kmeans_finds_three_separated_directions() {
        let rows = blobs(3, 20, 16, 0.3);
        let c = kmeans(&rows, 3, 100, &mut SplitMix64::new(42));
        let (labels, _) = assign(&rows, &c.centroids, 3);
        for block in labels.chunks(20) {
            assert!(block.iter().all(|&t| t == block[0]), "{labels:?}");
        }
        let mut firsts: Vec<usize> = labels.chunks(20).map(|b| b[0]).collect();
        firsts.dedup();
        assert_eq!(firsts.len(), 3);
    }

    #[test]
    fn an_empty_cluster_takes_the_row_farthest_from_its_centre() {
        let rows = Rows { dim: 2, data: vec![1.0, 0.0, 0.6, 0.8, 0.0, 1.0] };
        let mut labels = vec![0, 0, 1];
        let centroids = update(&rows, &mut labels, &[0.9, 0.5, 1.0], 3);
        assert_eq!(labels, vec![0, 2, 1]);
        assert_eq!(&centroids[4..], &[0.6, 0.8]);
    }

    #[test]
    fn weights_fall_with_distance_from_the_best_centre() {
        let mut w = [0.0f32; 3];
        soft_weights(&[1.0, 0.0], &[1.0, 0.0, 0.0, 1.0, 0.999, 0.045], &mut w);
        assert!((w[0] - 1.0).abs() < 1e-6);
        assert!(w[1] < 1e-4);
        assert!(w[2] > 0.9 && w[2] < 1.0, "{w:?}");
    }

    #[test]
    fn vectors_that_cannot_be_scaled_are_left_out() {
        let (rows, members) = unit_rows(2, vec![3.0, 4.0, 0.0, 0.0, f32::NAN, 1.0, 0.0, 2.0], &[0, 1, 2, 3]);
        assert_eq!(members, vec![0, 3]);
        assert_eq!(rows.data, vec![0.6, 0.8, 0.0, 1.0]);
    }
}
