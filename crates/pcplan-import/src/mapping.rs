//! The column-mapping step: which column holds which field, and turning rows into
//! records of those fields with the bad rows set aside, each with its line and reason.
//!
//! The caller names the fields it wants ([`Target`]s); [`suggest_mapping`] proposes
//! columns for a person to confirm, and [`apply`] checks the confirmed mapping and every
//! row. Nothing here stores anything: whether good rows are kept when some are bad is
//! the caller's choice, made explicit by [`Mapped::into_all`] and [`Mapped::into_good`].

use std::collections::{BTreeMap, HashMap};
use std::fmt;

use sha2::{Digest, Sha256};

use crate::{MappingError, Table};

/// A field the import needs, e.g. the response text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    /// Stable key, used in [`Mapping`] and [`MappedRow::values`]: `response`.
    pub key: &'static str,
    /// What a person sees: `Response`.
    pub label: &'static str,
    /// Rows with this field empty are bad rows.
    pub required: bool,
    /// The long free-text answer: when no header matches, the column with the longest
    /// cells on average is suggested.
    pub free_text: bool,
    /// Other column names that mean this field, matched like the label.
    pub synonyms: &'static [&'static str],
}

/// Which column (0-based index into [`Table::headers`]) each target key is read from.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapping(pub BTreeMap<String, usize>);

impl Mapping {
    /// The column mapped to `key`, if any.
    pub fn column(&self, key: &str) -> Option<usize> {
        self.0.get(key).copied()
    }
}

/// Limits on single values. `Limits::default()` allows 20,000 characters a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// The most characters (not bytes) one mapped value may hold.
    pub max_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        // About eight pages of text: far beyond any survey answer, well short of a
        // whole file swallowed by an unclosed quote.
        Self { max_chars: 20_000 }
    }
}

/// The rows of a table mapped to fields.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Mapped {
    pub good: Vec<MappedRow>,
    pub bad: Vec<BadRow>,
}

impl Mapped {
    /// Every row, or the bad rows if there are any: for an import that must be whole.
    pub fn into_all(self) -> Result<Vec<MappedRow>, Vec<BadRow>> {
        if self.bad.is_empty() { Ok(self.good) } else { Err(self.bad) }
    }

    /// Only the good rows, when the person importing has chosen to leave the bad out.
    pub fn into_good(self) -> Vec<MappedRow> {
        self.good
    }
}

/// One good row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MappedRow {
    /// The row's line (see [`crate::Row::line`]).
    pub line: usize,
    /// Target key to trimmed value; fields that are not mapped, or empty and optional,
    /// are absent.
    pub values: BTreeMap<String, String>,
    /// Lower-case hex SHA-256 of the values and of how many identical rows came before
    /// this one in the file. Importing the same file again gives the same fingerprints,
    /// so a store can skip rows it already holds, while two respondents who wrote the
    /// same words still count twice.
    pub fingerprint: String,
}

/// A row that cannot be imported, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub line: usize,
    /// The problems, without the line number, joined by `; `.
    pub reason: String,
}

impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

/// Lower case, letters and digits only, single spaces: `Response ID:` → `response id`.
fn normalise(s: &str) -> String {
    let spaced: String = s.to_lowercase().chars().map(|c| if c.is_alphanumeric() { c } else { ' ' }).collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Proposes a column for each target: first headers equal to its key, label or a
/// synonym (ignoring case and punctuation), then headers containing one of them as whole
/// words, then for a free-text target the column with the longest average cell. No
/// column is proposed twice; targets earlier in the list choose first.
pub fn suggest_mapping(table: &Table, targets: &[Target]) -> Mapping {
    let headers: Vec<String> = table.headers.iter().map(|h| normalise(h)).collect();
    let names = |t: &Target| -> Vec<String> {
        let mut names = vec![normalise(t.key), normalise(t.label)];
        names.extend(t.synonyms.iter().map(|s| normalise(s)));
        names.retain(|n| !n.is_empty());
        names
    };
    let mut mapping = BTreeMap::new();
    let mut used = vec![false; headers.len()];
    // Equal names first, for every target, so that a target whose name only appears
    // inside a longer header never takes the column another target is named by exactly.
    let equal = |header: &str, name: &str| header == name;
    let within = |header: &str, name: &str| format!(" {header} ").contains(&format!(" {name} "));
    for matches in [&equal as &dyn Fn(&str, &str) -> bool, &within] {
        for target in targets {
            if mapping.contains_key(target.key) {
                continue;
            }
            let names = names(target);
            let found = (0..headers.len()).find(|&c| !used[c] && names.iter().any(|n| matches(&headers[c], n)));
            if let Some(c) = found {
                used[c] = true;
                mapping.insert(target.key.to_owned(), c);
            }
        }
    }
    for target in targets.iter().filter(|t| t.free_text) {
        if mapping.contains_key(target.key) {
            continue;
        }
        let mean_chars = |c: usize| -> f64 {
            let total: usize = table.rows.iter().map(|r| r.cells.get(c).map_or(0, |s| s.trim().chars().count())).sum();
            total as f64 / table.rows.len().max(1) as f64
        };
        let best = (0..headers.len())
            .filter(|&c| !used[c])
            .map(|c| (c, mean_chars(c)))
            .filter(|&(_, mean)| mean > 0.0)
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
        if let Some((c, _)) = best {
            used[c] = true;
            mapping.insert(target.key.to_owned(), c);
        }
    }
    Mapping(mapping)
}

/// Checks a mapping against the targets and the table's columns.
pub fn check_mapping(table: &Table, mapping: &Mapping, targets: &[Target]) -> Result<(), MappingError> {
    for key in mapping.0.keys() {
        if !targets.iter().any(|t| t.key == key) {
            return Err(MappingError::UnknownTarget { key: key.clone() });
        }
    }
    let mut seen: BTreeMap<usize, &Target> = BTreeMap::new();
    for target in targets {
        let Some(column) = mapping.column(target.key) else {
            if target.required {
                return Err(MappingError::RequiredNotMapped { target: target.label.to_owned() });
            }
            continue;
        };
        if column >= table.headers.len() {
            return Err(MappingError::NoSuchColumn {
                target: target.label.to_owned(),
                column: column + 1,
                columns: table.headers.len(),
            });
        }
        if let Some(first) = seen.insert(column, target) {
            return Err(MappingError::ColumnMappedTwice {
                column: table.headers[column].clone(),
                first: first.label.to_owned(),
                second: target.label.to_owned(),
            });
        }
    }
    Ok(())
}

/// Maps every row: checks the mapping first, then each row's width, its required
/// fields and the length of its values. A row with any problem is a [`BadRow`] naming
/// them all; the rest are [`MappedRow`]s with their fingerprints.
pub fn apply(table: &Table, mapping: &Mapping, targets: &[Target], limits: &Limits) -> Result<Mapped, MappingError> {
    check_mapping(table, mapping, targets)?;
    let width = table.headers.len();
    let mapped: Vec<(&Target, usize)> =
        targets.iter().filter_map(|t| mapping.column(t.key).map(|column| (t, column))).collect();
    let mut out = Mapped::default();
    let mut occurrences: HashMap<[u8; 32], u64> = HashMap::new();
    for row in &table.rows {
        if table.unclosed_quote_line == Some(row.line) {
            out.bad.push(BadRow {
                line: row.line,
                reason: "a quoted cell starting on this line is never closed, so the rest of the file was read into \
                         it; close the quote or remove it"
                    .to_owned(),
            });
            continue;
        }
        // Extra cells that are empty are trailing delimiters, which some tools write.
        let misfit = if row.extent() > width {
            Some((row.extent(), "check for an unquoted comma or a missing closing quote"))
        } else if row.cells.len() < width {
            Some((row.cells.len(), "check for a line break inside a cell that is not in quotes"))
        } else {
            None
        };
        if let Some((cells, hint)) = misfit {
            out.bad.push(BadRow {
                line: row.line,
                reason: format!("{} cells but the header has {width}; {hint}", thousands(cells)),
            });
            continue;
        }
        let mut problems = Vec::new();
        let mut values = BTreeMap::new();
        for &(target, column) in &mapped {
            let value = row.cells[column].trim();
            let header = &table.headers[column];
            if value.is_empty() {
                if target.required {
                    problems.push(format!("column `{header}` is empty, and it is required"));
                }
                continue;
            }
            let chars = value.chars().count();
            if chars > limits.max_chars {
                problems.push(format!(
                    "`{header}` is {} characters; the limit is {}",
                    thousands(chars),
                    thousands(limits.max_chars)
                ));
                continue;
            }
            values.insert(target.key.to_owned(), value.to_owned());
        }
        if !problems.is_empty() {
            out.bad.push(BadRow { line: row.line, reason: problems.join("; ") });
            continue;
        }
        let content = content_hash(&values);
        let seen = occurrences.entry(content).or_insert(0);
        let fingerprint = fingerprint(&content, *seen);
        *seen += 1;
        out.good.push(MappedRow { line: row.line, values, fingerprint });
    }
    Ok(out)
}

/// SHA-256 of the values, each key and value length-prefixed so no two different
/// records can be written as the same bytes.
fn content_hash(values: &BTreeMap<String, String>) -> [u8; 32] {
    let mut hasher = Sha256::new();
    for (key, value) in values {
        for part in [key, value] {
            hasher.update((part.len() as u64).to_le_bytes());
            hasher.update(part.as_bytes());
        }
    }
    hasher.finalize().into()
}

fn fingerprint(content: &[u8; 32], occurrence: u64) -> String {
    let mut hasher = Sha256::new();
    hasher.update(content);
    hasher.update(occurrence.to_le_bytes());
    hex::encode(hasher.finalize())
}

/// `64213` → `64,213`.
fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_separated_by_commas() {
        assert_eq!(thousands(7), "7");
        assert_eq!(thousands(20_000), "20,000");
        assert_eq!(thousands(1_234_567), "1,234,567");
    }

    #[test]
    fn headers_are_compared_without_case_or_punctuation() {
        assert_eq!(normalise("  Response ID: "), "response id");
        assert_eq!(normalise("response_id"), "response id");
    }
}
