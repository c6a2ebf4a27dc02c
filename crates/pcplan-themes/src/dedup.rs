//! Near-duplicate and campaign detection.
//!
//! Responses whose normalised text is identical, or whose word shingles overlap with
//! a Jaccard similarity at or above a threshold, are grouped; only the first of each
//! group (in input order) is analysed, so a copy-paste campaign counts once in a
//! theme.
//!
//! Identical texts are found first by hashing their word ids, so a campaign of
//! thousands of copies costs one comparison each. Among the distinct texts that
//! remain, candidate pairs come from prefix filtering with the rarest shingles first,
//! which is exact: it finds every pair at or above the threshold, as comparing every
//! pair would, without the quadratic cost. The one bound is a cap on how many earlier
//! responses sharing one shingle are compared (see [`MAX_POSTINGS`]). It does not
//! look at meaning: paraphrases are not duplicates.

use crate::hash::{FxHashMap, mix64};
use crate::text::Corpus;

/// A group of responses found to be the same text, by index into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The first member in input order; it stands for the group in the analysis.
    pub representative: usize,
    /// Every member, the representative included, in input order.
    pub members: Vec<usize>,
}

/// At most this many earlier responses sharing one prefix shingle are compared with a
/// response (the most recent ones). With the rarest shingles in the prefixes, a
/// shingle shared this widely only occurs when thousands of distinct responses are
/// built from the same few phrases; there a pair could be missed, which costs a
/// duplicate counted twice, where comparing all of them would cost quadratic time.
pub(crate) const MAX_POSTINGS: usize = 1000;

/// The hash of a run of word ids, order-sensitive.
fn shingle(ids: &[u32]) -> u64 {
    ids.iter().fold(0x243f_6a88_85a3_08d3, |h, &id| mix64(h ^ u64::from(id).wrapping_add(1)))
}

/// The sorted, duplicate-free shingle hashes of a word sequence; one shingle of all
/// words when there are no more than `size`, none when there are no words.
fn shingles(words: &[u32], size: usize, out: &mut Vec<u64>) {
    out.clear();
    if words.is_empty() {
        return;
    }
    if words.len() <= size {
        out.push(shingle(words));
    } else {
        out.extend(words.windows(size).map(shingle));
    }
    out.sort_unstable();
    out.dedup();
}

/// Jaccard similarity of two sorted, duplicate-free slices.
fn jaccard(a: &[u64], b: &[u64]) -> f32 {
    let (mut i, mut j, mut inter) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                inter += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - inter;
    if union == 0 { 1.0 } else { inter as f32 / union as f32 }
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

fn union(parent: &mut [usize], a: usize, b: usize) {
    let (ra, rb) = (find(parent, a), find(parent, b));
    // The smaller index becomes the root, so the representative is the first in input order.
    let (low, high) = if ra < rb { (ra, rb) } else { (rb, ra) };
    parent[high] = low;
}

/// Joins every pair of `docs` whose shingle sets reach `threshold`, by prefix
/// filtering (Bayardo et al., "Scaling up all pairs similarity search", 2007): with
/// the elements of every set in one global order, two sets with Jaccard ≥ t share an
/// element among the first |x| − ⌈t·|x|⌉ + 1 of each. The order is rarest first
/// (ties by hash), so prefixes hold the shingles few responses share and the lists of
/// responses to compare stay short; pairs whose sizes alone rule out the threshold
/// are skipped.
fn near_duplicates(corpus: &Corpus, docs: &[usize], threshold: f32, size: usize, parent: &mut [usize]) {
    let mut offsets = vec![0usize];
    let mut hashes: Vec<u64> = Vec::new();
    let mut buf = Vec::new();
    for &d in docs {
        shingles(corpus.words_of(d), size, &mut buf);
        hashes.extend_from_slice(&buf);
        offsets.push(hashes.len());
    }
    let set = |i: usize| &hashes[offsets[i]..offsets[i + 1]];

    // Sized up front: growing a table of millions of shingles rehashes it repeatedly.
    let mut frequency: FxHashMap<u64, u32> = FxHashMap::with_capacity_and_hasher(hashes.len(), Default::default());
    for &h in &hashes {
        *frequency.entry(h).or_insert(0) += 1;
    }
    let prefix_len = |len: usize| {
        // The small margin keeps float error from shortening the prefix, which could
        // miss a pair; a longer prefix only adds candidates.
        let needed = ((threshold * len as f32) - 1e-4).ceil().max(0.0) as usize;
        (len + 1).saturating_sub(needed).clamp(1, len.max(1)).min(len)
    };

    let mut index: FxHashMap<u64, Vec<u32>> = FxHashMap::default();
    let mut seen_by = vec![u32::MAX; docs.len()];
    let mut prefix: Vec<(u32, u64)> = Vec::new();
    for i in 0..docs.len() {
        let own = set(i);
        prefix.clear();
        prefix.extend(own.iter().map(|h| (frequency.get(h).copied().unwrap_or(0), *h)));
        prefix.sort_unstable();
        prefix.truncate(prefix_len(own.len()));
        for &(_, token) in &prefix {
            let Some(list) = index.get(&token) else { continue };
            for &j in list.iter().rev().take(MAX_POSTINGS) {
                let j = j as usize;
                if seen_by[j] == i as u32 {
                    continue;
                }
                seen_by[j] = i as u32;
                let other = set(j);
                let (small, large) = (own.len().min(other.len()), own.len().max(other.len()));
                if (small as f32) + 1e-3 < threshold * large as f32 {
                    continue;
                }
                if find(parent, docs[i]) != find(parent, docs[j]) && jaccard(own, other) >= threshold {
                    union(parent, docs[i], docs[j]);
                }
            }
        }
        for &(_, token) in &prefix {
            index.entry(token).or_default().push(i as u32);
        }
    }
}

/// Groups the responses of `corpus` into near-duplicate groups. Every response
/// belongs to exactly one group; groups are returned in order of their representative.
pub(crate) fn group(corpus: &Corpus, threshold: f32, shingle_size: usize) -> Vec<Group> {
    let n = corpus.len();
    let mut parent: Vec<usize> = (0..n).collect();

    // Identical normalised text first: cheap and exact.
    let mut first: FxHashMap<&[u32], usize> = FxHashMap::default();
    let mut distinct = Vec::new();
    for i in 0..n {
        match first.get(corpus.words_of(i)) {
            Some(&j) => union(&mut parent, j, i),
            None => {
                first.insert(corpus.words_of(i), i);
                distinct.push(i);
            }
        }
    }

    if threshold <= 1.0 {
        near_duplicates(corpus, &distinct, threshold, shingle_size.max(1), &mut parent);
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut slot = vec![usize::MAX; n];
    for i in 0..n {
        let root = find(&mut parent, i);
        if slot[root] == usize::MAX {
            slot[root] = groups.len();
            groups.push(Group { representative: i, members: vec![i] });
        } else {
            groups[slot[root]].members.push(i);
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grouped(texts: &[&str], threshold: f32) -> Vec<Group> {
        group(&Corpus::new(texts), threshold, 3)
    }

    #[test]
    fn identical_texts_differing_only_in_case_and_punctuation_are_one_group() {
        let g = grouped(&["Stop the speeding!", "other text", "stop THE speeding"], 0.9);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![0, 2]);
    }

    #[test]
    fn a_near_copy_with_one_word_added_is_grouped() {
        let base = "we want more officers on the beat in the town centre at night because people feel unsafe walking home after the pubs close and there is nobody around to help";
        let copy = format!("{base} please");
        let g = grouped(&[base, &copy, "roads are dangerous"], 0.9);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn different_texts_stay_apart() {
        let g = grouped(&["speeding on the high street", "burglary on my road"], 0.9);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn blank_responses_form_one_group() {
        let g = grouped(&["", "roads are dangerous", "  !! ", ""], 0.9);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![0, 2, 3]);
    }

    #[test]
    fn prefix_filtering_finds_the_same_pairs_as_comparing_every_pair() {
        // Variants of one sentence with 0..=3 words changed, at several thresholds.
        let base: Vec<String> = (0..30).map(|i| format!("word{i}")).collect();
        let texts: Vec<String> = (0..24)
            .map(|v| {
                let mut w = base.clone();
                for e in 0..(v % 4) {
                    w[(v * 7 + e * 11) % 30] = format!("edit{v}x{e}");
                }
                if v % 5 == 0 {
                    w.push(format!("tail{v}"));
                }
                w.join(" ")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        let corpus = Corpus::new(&refs);
        for threshold in [0.5, 0.7, 0.8, 0.9, 1.0] {
            let sets: Vec<Vec<u64>> = (0..refs.len())
                .map(|i| {
                    let mut s = Vec::new();
                    shingles(corpus.words_of(i), 3, &mut s);
                    s
                })
                .collect();
            let mut parent: Vec<usize> = (0..refs.len()).collect();
            for i in 0..refs.len() {
                for j in i + 1..refs.len() {
                    if jaccard(&sets[i], &sets[j]) >= threshold {
                        union(&mut parent, i, j);
                    }
                }
            }
            let brute: Vec<usize> = (0..refs.len()).map(|i| find(&mut parent, i)).collect();
            let fast = group(&corpus, threshold, 3);
            let mut fast_root = vec![0; refs.len()];
            for g in &fast {
                for &m in &g.members {
                    fast_root[m] = g.representative;
                }
            }
            assert_eq!(brute, fast_root, "threshold {threshold}");
        }
    }
}
