//! Near-duplicate and campaign detection.
//!
//! Responses whose normalised text is identical, or whose word shingles overlap with
//! a Jaccard similarity at or above a threshold, are grouped; only the first of each
//! group (in input order) is analysed, so a copy-paste campaign counts once in a
//! theme. Candidate pairs are found by exact prefix filtering, so the result is the
//! same as comparing every pair, without the quadratic cost on unrelated texts.

use std::collections::{BTreeSet, HashMap};

use crate::text::tokenize;

/// A group of responses found to be the same text, by index into the input.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Group {
    /// The first member in input order; it stands for the group in the analysis.
    pub representative: usize,
    /// Every member, the representative included, in input order.
    pub members: Vec<usize>,
}

/// FNV-1a: a fixed hash, so shingle sets do not depend on a random hasher seed.
fn fnv1a(words: &[String]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for word in words {
        for byte in word.bytes().chain(std::iter::once(b' ')) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

fn shingles(words: &[String], size: usize) -> BTreeSet<u64> {
    if words.len() <= size {
        return std::iter::once(fnv1a(words)).collect();
    }
    words.windows(size).map(fnv1a).collect()
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

/// Joins every pair whose shingle sets reach `threshold`, by prefix filtering
/// (Bayardo et al., "Scaling up all pairs similarity search", 2007): with the
/// elements of every set in one global order (here the hash value), two sets with
/// Jaccard ≥ t must share an element among the first |x| − ⌈t·|x|⌉ + 1 of each. Only
/// pairs sharing such an element are compared, so unrelated responses cost almost
/// nothing, where comparing every pair would be quadratic.
fn near_duplicates(words: &[Vec<String>], threshold: f32, shingle_size: usize, parent: &mut [usize]) {
    let sets: Vec<Vec<u64>> = words
        .iter()
        .map(|w| if w.is_empty() { Vec::new() } else { shingles(w, shingle_size.max(1)).into_iter().collect() })
        .collect();
    let prefix = |len: usize| {
        // The small margin keeps float error from shortening the prefix, which could
        // miss a pair; a longer prefix only adds candidates.
        let needed = ((threshold * len as f32) - 1e-4).ceil().max(0.0) as usize;
        (len + 1).saturating_sub(needed).clamp(1, len.max(1)).min(len)
    };
    let mut index: HashMap<u64, Vec<usize>> = HashMap::new();
    let mut seen_by = vec![usize::MAX; sets.len()];
    for (i, set) in sets.iter().enumerate() {
        for &token in &set[..prefix(set.len())] {
            if let Some(list) = index.get(&token) {
                for &j in list {
                    if seen_by[j] == i {
                        continue;
                    }
                    seen_by[j] = i;
                    if find(parent, i) != find(parent, j) && jaccard(set, &sets[j]) >= threshold {
                        union(parent, i, j);
                    }
                }
            }
        }
        for &token in &set[..prefix(set.len())] {
            index.entry(token).or_default().push(i);
        }
    }
}

/// Groups `texts` into near-duplicate groups. Every text belongs to exactly one group;
/// groups are returned in order of their representative.
pub(crate) fn group(texts: &[&str], threshold: f32, shingle_size: usize) -> Vec<Group> {
    let n = texts.len();
    let mut parent: Vec<usize> = (0..n).collect();
    let words: Vec<Vec<String>> = texts.iter().map(|t| tokenize(t)).collect();

    // Identical normalised text first: cheap and exact.
    let mut first: HashMap<String, usize> = HashMap::new();
    for (i, w) in words.iter().enumerate() {
        let key = w.join(" ");
        match first.get(&key) {
            Some(&j) => union(&mut parent, j, i),
            None => {
                first.insert(key, i);
            }
        }
    }

    if threshold <= 1.0 {
        near_duplicates(&words, threshold, shingle_size, &mut parent);
    }

    let mut groups: Vec<Group> = Vec::new();
    let mut slot: HashMap<usize, usize> = HashMap::new();
    for i in 0..n {
        let root = find(&mut parent, i);
        match slot.get(&root) {
            Some(&g) => groups[g].members.push(i),
            None => {
                slot.insert(root, groups.len());
                groups.push(Group { representative: i, members: vec![i] });
            }
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identical_texts_differing_only_in_case_and_punctuation_are_one_group() {
        let g = group(&["Stop the speeding!", "other text", "stop THE speeding"], 0.9, 3);
        assert_eq!(g.len(), 2);
        assert_eq!(g[0].members, vec![0, 2]);
    }

    #[test]
    fn a_near_copy_with_one_word_added_is_grouped() {
        let base = "we want more officers on the beat in the town centre at night because people feel unsafe walking home after the pubs close and there is nobody around to help";
        let copy = format!("{base} please");
        let g = group(&[base, &copy, "roads are dangerous"], 0.9, 3);
        assert_eq!(g.len(), 2);
    }

    #[test]
    fn different_texts_stay_apart() {
        let g = group(&["speeding on the high street", "burglary on my road"], 0.9, 3);
        assert_eq!(g.len(), 2);
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
                w.join(" ")
            })
            .collect();
        let refs: Vec<&str> = texts.iter().map(String::as_str).collect();
        for threshold in [0.5, 0.7, 0.8, 0.9, 1.0] {
            let words: Vec<Vec<String>> = refs.iter().map(|t| tokenize(t)).collect();
            let sets: Vec<Vec<u64>> = words.iter().map(|w| shingles(w, 3).into_iter().collect()).collect();
            let mut parent: Vec<usize> = (0..refs.len()).collect();
            for i in 0..refs.len() {
                for j in i + 1..refs.len() {
                    if jaccard(&sets[i], &sets[j]) >= threshold {
                        union(&mut parent, i, j);
                    }
                }
            }
            let brute: Vec<usize> = (0..refs.len()).map(|i| find(&mut parent, i)).collect();
            let fast = group(&refs, threshold, 3);
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
