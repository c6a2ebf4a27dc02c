//! From fitted themes to an [`Analysis`]: ordering the themes by size, their key
//! phrases, labels and quotes, each response's scores, the overlap flags, and the
//! duplicate groups with every copy given its representative's themes.
//!
//! It is the second half of an analysis, whatever found the themes: it only needs, per
//! kept theme, a term vector over the TF-IDF vocabulary (for key phrases), and per
//! distinct response, its weight in each kept theme (for scores and quotes). The
//! embedding path (`dense.rs`) uses it; `analyse` composes the same steps inline.
//! It fits nothing and applies no quality rule beyond the overlap flags.

use crate::dedup::Group;
use crate::{Analysis, Flag, Options, Quote, Response, Theme};
use crate::{BySize, by_size, key_phrases, scores, spread_to_members};

/// What a fit leaves for [`assemble`], after the quality rules.
#[derive(Debug, Clone, Default)]
pub(crate) struct Fitted {
    /// Themes fitted before the quality rules.
    pub themes_fitted: usize,
    /// Per kept theme: its weights over the TF-IDF terms.
    pub theme_rows: Vec<Vec<f32>>,
    /// Per distinct response (group): its weight in each kept theme; empty or all zero
    /// when it fits no theme.
    pub rep_weights: Vec<Vec<f32>>,
    /// What the quality rules did, in order.
    pub flags: Vec<Flag>,
}

/// Where the fit came from: the input, its near-duplicate groups and the vocabulary.
pub(crate) struct Source<'a> {
    pub responses: &'a [Response],
    pub groups: &'a [Group],
    pub terms: &'a [String],
    pub method: &'a str,
}

/// Builds the analysis from a fit: themes ordered by size (distinct responses),
/// largest first, ties in fitted order.
pub(crate) fn assemble(source: &Source<'_>, fitted: Fitted, options: &Options) -> Analysis {
    let Source { responses, groups, terms, method } = *source;
    let Fitted { themes_fitted, theme_rows, rep_weights, mut flags } = fitted;
    let rep_scores: Vec<Vec<(usize, f32)>> =
        rep_weights.iter().map(|w| scores(w, options.assignment_threshold)).collect();

    let k = theme_rows.len();
    let BySize { size, size_dup, order, new_id } = by_size(&rep_scores, groups, k);

    let themes: Vec<Theme> = order
        .iter()
        .enumerate()
        .map(|(id, &t)| {
            let key_phrases = key_phrases(&theme_rows[t], terms, options.key_phrases);
            let label = key_phrases.iter().take(3).cloned().collect::<Vec<_>>().join(", ");
            let quotes = quotes(&rep_scores, &rep_weights, t, options.quotes)
                .into_iter()
                .map(|r| {
                    let response = &responses[groups[r].representative];
                    Quote { response_id: response.id.clone(), text: response.text.clone() }
                })
                .collect();
            Theme { id, label, key_phrases, size: size[t], size_with_duplicates: size_dup[t], quotes }
        })
        .collect();

    flags.extend(overlaps(&rep_scores, &new_id, options.overlap_flag));

    let (assignments, duplicate_groups) = spread_to_members(responses, groups, &rep_scores, &new_id, options);

    Analysis {
        method: method.to_owned(),
        seed: options.seed,
        responses: responses.len(),
        distinct_responses: groups.len(),
        vocabulary_size: terms.len(),
        themes_fitted,
        themes,
        assignments,
        duplicate_groups,
        flags,
    }
}

/// The distinct responses quoted for theme `t`: those whose top theme it is, highest
/// score first, then highest weight, then input order.
fn quotes(rep_scores: &[Vec<(usize, f32)>], rep_weights: &[Vec<f32>], t: usize, count: usize) -> Vec<usize> {
    let mut candidates: Vec<(usize, f32, f32)> = rep_scores
        .iter()
        .enumerate()
        .filter(|(_, sc)| sc.first().is_some_and(|&(top, _)| top == t))
        .map(|(r, sc)| (r, sc[0].1, rep_weights[r][t]))
        .collect();
    candidates.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.2.total_cmp(&a.2)).then(a.0.cmp(&b.0)));
    candidates.into_iter().take(count).map(|(r, _, _)| r).collect()
}

/// Overlap flags on the final theme ids: shared responses per pair of themes, counted
/// from each response's few themes rather than by intersecting every pair of lists.
fn overlaps(rep_scores: &[Vec<(usize, f32)>], new_id: &[usize], threshold: f32) -> Vec<Flag> {
    let k = new_id.len();
    let mut shared = vec![0usize; k * k];
    let mut members = vec![0usize; k];
    for sc in rep_scores {
        for (i, &(a, _)) in sc.iter().enumerate() {
            members[new_id[a]] += 1;
            for &(b, _) in &sc[i + 1..] {
                let (a, b) = (new_id[a].min(new_id[b]), new_id[a].max(new_id[b]));
                shared[a * k + b] += 1;
            }
        }
    }
    let mut flags = Vec::new();
    for a in 0..k {
        for b in a + 1..k {
            let smaller = members[a].min(members[b]);
            if smaller > 0 {
                let overlap = shared[a * k + b] as f32 / smaller as f32;
                if overlap > threshold {
                    flags.push(Flag::ThemeOverlap { a, b, overlap });
                }
            }
        }
    }
    flags
}
