//! A compressed sparse row (CSR) matrix of `f32`, the layout of the TF-IDF matrix.
//!
//! Indices and values sit in two contiguous arrays rather than a `Vec` per row, so a
//! pass over all entries is a linear scan and a row is two slices. The transpose is
//! the same type, which gives column access (for WᵀX in the factorisation) without
//! a second type. It offers no arithmetic beyond what the crate needs.

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Csr {
    pub rows: usize,
    pub cols: usize,
    /// Row r's entries are `indices[indptr[r]..indptr[r + 1]]`, sorted by column.
    pub indptr: Vec<usize>,
    pub indices: Vec<u32>,
    pub values: Vec<f32>,
}

impl Csr {
    /// An empty matrix with `cols` columns, to which rows are pushed.
    pub(crate) fn with_cols(cols: usize) -> Self {
        Self { rows: 0, cols, indptr: vec![0], indices: Vec::new(), values: Vec::new() }
    }

    /// Builds a matrix from rows of (column, value), each sorted by column.
    #[cfg(test)]
    pub(crate) fn from_rows(rows: &[Vec<(usize, f32)>], cols: usize) -> Self {
        let mut m = Self::with_cols(cols);
        for row in rows {
            m.push_row(row.iter().map(|&(j, v)| (j as u32, v)));
        }
        m
    }

    /// Appends a row; the entries must be sorted by column and within `cols`.
    pub(crate) fn push_row(&mut self, entries: impl IntoIterator<Item = (u32, f32)>) {
        for (j, v) in entries {
            debug_assert!((j as usize) < self.cols);
            self.indices.push(j);
            self.values.push(v);
        }
        self.indptr.push(self.indices.len());
        self.rows += 1;
    }

    /// Row `r`: its column indices and values.
    #[inline]
    pub(crate) fn row(&self, r: usize) -> (&[u32], &[f32]) {
        let (a, b) = (self.indptr[r], self.indptr[r + 1]);
        (&self.indices[a..b], &self.values[a..b])
    }

    pub(crate) fn row_is_empty(&self, r: usize) -> bool {
        self.indptr[r] == self.indptr[r + 1]
    }

    pub(crate) fn nnz(&self) -> usize {
        self.indices.len()
    }

    /// The transpose, with each of its rows sorted by column (a counting sort).
    pub(crate) fn transpose(&self) -> Csr {
        let mut counts = vec![0usize; self.cols + 1];
        for &j in &self.indices {
            counts[j as usize + 1] += 1;
        }
        for c in 0..self.cols {
            counts[c + 1] += counts[c];
        }
        let indptr = counts.clone();
        let mut next = counts;
        let mut indices = vec![0u32; self.nnz()];
        let mut values = vec![0f32; self.nnz()];
        for r in 0..self.rows {
            let (cols, vals) = self.row(r);
            for (&j, &v) in cols.iter().zip(vals) {
                let slot = &mut next[j as usize];
                indices[*slot] = r as u32;
                values[*slot] = v;
                *slot += 1;
            }
        }
        Csr { rows: self.cols, cols: self.rows, indptr, indices, values }
    }

    /// The rows listed in `which` (in that order), keeping only the columns used by at
    /// least `min_rows` of them (and at least one), renumbered densely in increasing
    /// order. Also returns, for each new column, the old one. Dropping the columns a
    /// sample barely uses keeps its factorisation from carrying terms it cannot
    /// estimate.
    pub(crate) fn select_rows(&self, which: &[usize], min_rows: usize) -> (Csr, Vec<u32>) {
        let mut used = vec![0usize; self.cols];
        for &r in which {
            for &j in self.row(r).0 {
                used[j as usize] += 1;
            }
        }
        let mut new_col = vec![u32::MAX; self.cols];
        let mut old_of = Vec::new();
        for (j, &count) in used.iter().enumerate() {
            if count >= min_rows.max(1) {
                new_col[j] = old_of.len() as u32;
                old_of.push(j as u32);
            }
        }
        let mut m = Csr::with_cols(old_of.len());
        for &r in which {
            let (cols, vals) = self.row(r);
            // Renumbering keeps the order, so the row stays sorted.
            m.push_row(
                cols.iter()
                    .zip(vals)
                    .filter(|&(&j, _)| new_col[j as usize] != u32::MAX)
                    .map(|(&j, &v)| (new_col[j as usize], v)),
            );
        }
        (m, old_of)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_transpose_of_the_transpose_is_the_matrix() {
        let m = Csr::from_rows(&[vec![(0, 1.0), (2, 2.0)], vec![], vec![(1, 3.0), (2, 4.0)]], 3);
        let t = m.transpose();
        assert_eq!(t.row(2), (&[0u32, 2][..], &[2.0f32, 4.0][..]));
        assert_eq!(t.transpose(), m);
    }

    #[test]
    fn selected_rows_keep_the_columns_they_use_often_enough_renumbered() {
        let m = Csr::from_rows(&[vec![(0, 1.0), (5, 2.0)], vec![(3, 3.0)], vec![(5, 4.0)]], 6);
        let (s, old) = m.select_rows(&[2, 0], 1);
        assert_eq!(old, vec![0, 5]);
        assert_eq!(s.row(0), (&[1u32][..], &[4.0f32][..]));
        assert_eq!(s.row(1), (&[0u32, 1][..], &[1.0f32, 2.0][..]));
        let (s, old) = m.select_rows(&[2, 0, 1], 2);
        assert_eq!(old, vec![5]);
        assert!(s.row_is_empty(2));
    }
}
