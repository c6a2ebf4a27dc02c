//! Non-negative matrix factorisation of a sparse TF-IDF matrix by multiplicative
//! updates (Lee and Seung), with a tiny seeded PRNG so that results depend only on
//! the input and the seed.
//!
//! X (documents × terms, sparse) ≈ W (documents × k) · H (k × terms). W and H are
//! dense `Vec<f32>` in row-major order; no linear-algebra crate is used, because the
//! three products needed are short loops over the sparse rows.

/// SplitMix64: small, fast and fully determined by its seed.
#[derive(Debug, Clone)]
pub(crate) struct SplitMix64(u64);

impl SplitMix64 {
    pub(crate) fn new(seed: u64) -> Self {
        Self(seed)
    }

    pub(crate) fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A float in [0, 1).
    pub(crate) fn next_f32(&mut self) -> f32 {
        (self.next_u64() >> 40) as f32 / (1u64 << 24) as f32
    }
}

/// The factors of one run.
#[derive(Debug, Clone)]
pub(crate) struct Factors {
    pub k: usize,
    pub terms: usize,
    /// documents × k
    pub w: Vec<f32>,
    /// k × terms
    pub h: Vec<f32>,
}

const EPS: f32 = 1e-9;

fn dot_sparse(row: &[(usize, f32)], dense: &[f32]) -> f32 {
    row.iter().map(|&(j, v)| v * dense[j]).sum()
}

/// Seeded initialisation in the spirit of k-means++: the first theme starts from a
/// random document, each next one from the document least similar to those chosen
/// (ties to the lowest index), so that distinct topics get distinct starting points.
/// H rows are those documents plus a little seeded noise; W starts as each
/// document's similarity to them. NNDSVD would need an SVD, which this avoids.
fn initialise(rows: &[Vec<(usize, f32)>], terms: usize, k: usize, rng: &mut SplitMix64) -> Factors {
    let n = rows.len();
    let mut h = vec![0.0f32; k * terms];
    let mut best_sim = vec![f32::NEG_INFINITY; n];
    let mut chosen = (rng.next_u64() % n as u64) as usize;
    for t in 0..k {
        let ht = &mut h[t * terms..(t + 1) * terms];
        for &(j, v) in &rows[chosen] {
            ht[j] += v;
        }
        for x in ht.iter_mut() {
            *x += 0.01 * rng.next_f32() / (terms as f32).sqrt();
        }
        let ht = &h[t * terms..(t + 1) * terms];
        for (i, row) in rows.iter().enumerate() {
            best_sim[i] = best_sim[i].max(dot_sparse(row, ht));
        }
        let mut next = 0;
        for i in 1..n {
            if best_sim[i] < best_sim[next] {
                next = i;
            }
        }
        chosen = next;
    }
    let mut w = vec![0.0f32; n * k];
    for (i, row) in rows.iter().enumerate() {
        for t in 0..k {
            w[i * k + t] = dot_sparse(row, &h[t * terms..(t + 1) * terms]).max(0.0) + 0.01;
        }
    }
    Factors { k, terms, w, h }
}

/// Factorises `rows` into `k` themes with `iterations` multiplicative updates.
pub(crate) fn factorise(rows: &[Vec<(usize, f32)>], terms: usize, k: usize, iterations: usize, seed: u64) -> Factors {
    let n = rows.len();
    let mut rng = SplitMix64::new(seed);
    let mut f = initialise(rows, terms, k, &mut rng);
    for _ in 0..iterations {
        // H ← H ⊙ (WᵀX) ⊘ (WᵀW H)
        let mut wtx = vec![0.0f32; k * terms];
        for (i, row) in rows.iter().enumerate() {
            let wi = &f.w[i * k..(i + 1) * k];
            for &(j, v) in row {
                for t in 0..k {
                    wtx[t * terms + j] += wi[t] * v;
                }
            }
        }
        let wtw = gram(&f.w, n, k);
        let denom = multiply(&wtw, k, &f.h, terms);
        for idx in 0..k * terms {
            f.h[idx] *= wtx[idx] / (denom[idx] + EPS);
        }

        // W ← W ⊙ (X Hᵀ) ⊘ (W H Hᵀ)
        let hht = gram_rows(&f.h, k, terms);
        for (i, row) in rows.iter().enumerate() {
            let mut xht = vec![0.0f32; k];
            for &(j, v) in row {
                for (t, x) in xht.iter_mut().enumerate() {
                    *x += v * f.h[t * terms + j];
                }
            }
            let wi: Vec<f32> = f.w[i * k..(i + 1) * k].to_vec();
            for t in 0..k {
                let d: f32 = (0..k).map(|s| wi[s] * hht[s * k + t]).sum();
                f.w[i * k + t] = wi[t] * xht[t] / (d + EPS);
            }
        }
    }
    f
}

/// WᵀW for W of n × k.
fn gram(w: &[f32], n: usize, k: usize) -> Vec<f32> {
    let mut g = vec![0.0f32; k * k];
    for i in 0..n {
        let wi = &w[i * k..(i + 1) * k];
        for a in 0..k {
            for b in 0..k {
                g[a * k + b] += wi[a] * wi[b];
            }
        }
    }
    g
}

/// H Hᵀ for H of k × m.
fn gram_rows(h: &[f32], k: usize, m: usize) -> Vec<f32> {
    let mut g = vec![0.0f32; k * k];
    for a in 0..k {
        for b in 0..k {
            g[a * k + b] = (0..m).map(|j| h[a * m + j] * h[b * m + j]).sum();
        }
    }
    g
}

/// A (k × k) · B (k × m).
fn multiply(a: &[f32], k: usize, b: &[f32], m: usize) -> Vec<f32> {
    let mut out = vec![0.0f32; k * m];
    for r in 0..k {
        for s in 0..k {
            let x = a[r * k + s];
            if x == 0.0 {
                continue;
            }
            for j in 0..m {
                out[r * m + j] += x * b[s * m + j];
            }
        }
    }
    out
}

/// Cosine similarity of two dense vectors (0 when either is zero).
pub(crate) fn cosine(a: &[f32], b: &[f32]) -> f32 {
    let dot: f32 = a.iter().zip(b).map(|(x, y)| x * y).sum();
    let na: f32 = a.iter().map(|x| x * x).sum::<f32>().sqrt();
    let nb: f32 = b.iter().map(|x| x * x).sum::<f32>().sqrt();
    if na == 0.0 || nb == 0.0 { 0.0 } else { dot / (na * nb) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_prng_is_determined_by_its_seed() {
        let mut a = SplitMix64::new(7);
        let mut b = SplitMix64::new(7);
        assert_eq!(a.next_u64(), b.next_u64());
        let x = a.next_f32();
        assert!((0.0..1.0).contains(&x));
    }

    #[test]
    fn two_disjoint_blocks_are_separated_into_two_themes() {
        let rows = vec![
            vec![(0, 0.7), (1, 0.7)],
            vec![(0, 0.6), (1, 0.8)],
            vec![(2, 0.7), (3, 0.7)],
            vec![(2, 0.8), (3, 0.6)],
        ];
        let f = factorise(&rows, 4, 2, 100, 1);
        let top = |i: usize| if f.w[i * 2] > f.w[i * 2 + 1] { 0 } else { 1 };
        assert_eq!(top(0), top(1));
        assert_eq!(top(2), top(3));
        assert_ne!(top(0), top(2));
    }
}
