//! Who answered a consultation, against who lives in the area: the representativeness
//! of respondents per local authority area, the population table staff load for it, and
//! the breakdown of each theme by respondent type, area or channel.
//!
//! [`representation`] compares each area's share of responses with its share of the
//! population and flags an area as under- or over-represented only when the gap is both
//! large (the ratio of the two shares beyond a threshold) and unlikely to be chance (a
//! binomial z-score beyond a threshold). Either test alone misleads: with 40 responses
//! a ratio of 0.7 is noise, and with 40,000 a ratio of 0.97 is "significant" but does
//! not matter. An area whose expected count is too small for the normal approximation
//! is reported as too few to tell, never as under-represented. docs/representation.md
//! explains the rules and their defaults.
//!
//! [`parse_population_csv`] reads the table as staff load it (`code,name,population`, or
//! the columns of an ONS mid-year estimates table). [`crosstab`] counts theme mentions by
//! category. This module does not store tables, count responses or decide which
//! categories exist: the caller passes counts in, and everything here is arithmetic on
//! them, so it can be tested with hand-computed figures.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::body::Area;

/// The usual resident population of one area, from a table staff load.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AreaPopulation {
    /// The ONS code: `E08000025`.
    pub code: String,
    /// `Birmingham`.
    pub name: String,
    pub population: u64,
}

/// The thresholds of [`representation`], a setting of each consultation.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RepresentationRules {
    /// Under-represented needs a ratio of shares below this (0.8: a fifth fewer than expected).
    pub under_index: f64,
    /// Over-represented needs a ratio above this (1.25, the reciprocal of 0.8).
    pub over_index: f64,
    /// How many standard deviations from the expected count (1.96: two-sided 5%).
    pub z: f64,
    /// Below this expected count an area is too small to tell (5: the usual floor for
    /// approximating a binomial count by a normal one).
    pub min_expected: f64,
}

impl Default for RepresentationRules {
    fn default() -> Self {
        RepresentationRules { under_index: 0.8, over_index: 1.25, z: 1.96, min_expected: 5.0 }
    }
}

/// What the comparison says about one area.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Representation {
    Under,
    AsExpected,
    Over,
    TooFewToTell,
}

impl Representation {
    pub fn label(&self) -> &'static str {
        match self {
            Representation::Under => "Under-represented",
            Representation::AsExpected => "As expected",
            Representation::Over => "Over-represented",
            Representation::TooFewToTell => "Too few responses to tell",
        }
    }
}

/// One area's responses against its population.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AreaRepresentation {
    pub code: String,
    pub name: String,
    pub responses: u64,
    pub population: u64,
    /// This area's responses over all responses with a known area (0 to 1).
    pub response_share: f64,
    /// This area's population over the population of all areas (0 to 1).
    pub population_share: f64,
    /// The responses the area would have if it answered in proportion to its population.
    pub expected: f64,
    /// `response_share / population_share`: 1.0 is as expected, 0.5 half. 0 when
    /// nothing is expected (no located responses yet, or no population).
    pub index: f64,
    /// `(responses - expected) / sqrt(n p (1 - p))`, the binomial z-score. 0 when the
    /// deviation is undefined (one area only, or nothing expected).
    pub z: f64,
    /// Responses per 1,000 residents.
    pub rate_per_1000: f64,
    pub status: Representation,
}

/// The representativeness of a consultation's respondents, area by area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RepresentationReport {
    /// In the order of the population table.
    pub areas: Vec<AreaRepresentation>,
    /// Responses whose area is not in the table, or who gave none.
    pub unknown_area_responses: u64,
    /// The area codes given that the table does not have, sorted, without the empty one:
    /// a code here usually means the table is out of date or a code is mistyped.
    pub unknown_codes: Vec<String>,
    /// Every response counted, with a known area or not.
    pub total_responses: u64,
    pub total_population: u64,
}

impl RepresentationReport {
    /// The responses the shares are computed over: those with an area in the table.
    pub fn located_responses(&self) -> u64 {
        self.total_responses - self.unknown_area_responses
    }

    /// Located responses per 1,000 residents of all areas.
    pub fn rate_per_1000(&self) -> f64 {
        per_1000(self.located_responses(), self.total_population)
    }

    /// The areas to reach before the exercise closes.
    pub fn under_represented(&self) -> impl Iterator<Item = &AreaRepresentation> {
        self.areas.iter().filter(|a| a.status == Representation::Under)
    }
}

fn per_1000(count: u64, population: u64) -> f64 {
    if population == 0 { 0.0 } else { count as f64 * 1000.0 / population as f64 }
}

/// Compares responses per area with population per area.
///
/// `responses_by_area` maps an area code to its number of responses; any key not in
/// `populations` (the empty key for responses that gave no area) is counted in
/// [`RepresentationReport::unknown_area_responses`] and left out of the shares, since
/// those responses cannot be placed. Codes in `populations` are expected to be unique,
/// as [`parse_population_csv`] guarantees; a repeated code gets the responses once.
pub fn representation(
    populations: &[AreaPopulation],
    responses_by_area: &BTreeMap<String, u64>,
    rules: &RepresentationRules,
) -> RepresentationReport {
    let total_population: u64 = populations.iter().map(|a| a.population).sum();
    let total_responses: u64 = responses_by_area.values().sum();
    let mut unknown_codes = Vec::new();
    let mut unknown_area_responses = 0;
    for (code, count) in responses_by_area {
        if !populations.iter().any(|a| &a.code == code) {
            unknown_area_responses += count;
            if !code.is_empty() && *count > 0 {
                unknown_codes.push(code.clone());
            }
        }
    }
    let located = total_responses - unknown_area_responses;
    let n = located as f64;

    let mut seen: Vec<&str> = Vec::new();
    let areas = populations
        .iter()
        .map(|area| {
            let responses = if seen.contains(&area.code.as_str()) {
                0
            } else {
                seen.push(&area.code);
                responses_by_area.get(&area.code).copied().unwrap_or(0)
            };
            let observed = responses as f64;
            let p = if total_population == 0 { 0.0 } else { area.population as f64 / total_population as f64 };
            let expected = n * p;
            let index = if expected > 0.0 { observed / expected } else { 0.0 };
            let sd = (n * p * (1.0 - p)).sqrt();
            let z = if sd > 0.0 { (observed - expected) / sd } else { 0.0 };
            let status = if expected < rules.min_expected {
                Representation::TooFewToTell
            } else if index < rules.under_index && z < -rules.z {
                Representation::Under
            } else if index > rules.over_index && z > rules.z {
                Representation::Over
            } else {
                Representation::AsExpected
            };
            AreaRepresentation {
                code: area.code.clone(),
                name: area.name.clone(),
                responses,
                population: area.population,
                response_share: if located == 0 { 0.0 } else { observed / n },
                population_share: p,
                expected,
                index,
                z,
                rate_per_1000: per_1000(responses, area.population),
                status,
            }
        })
        .collect();

    RepresentationReport { areas, unknown_area_responses, unknown_codes, total_responses, total_population }
}

// ---------------------------------------------------------------------------------------
// The population table
// ---------------------------------------------------------------------------------------

/// Why a population table was refused. Lines count from 1, the header being line 1.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PopulationError {
    #[error("the population table is empty; its first line must be a header like `code,name,population`")]
    Empty,
    #[error(
        "the header has no {column} column (it has {found}); name the columns `code,name,population`, \
         or keep the `Code`, `Name` and `All ages` columns of an ONS mid-year estimates table"
    )]
    MissingColumn { column: &'static str, found: String },
    #[error("the header has two {column} columns, `{first}` and `{second}`; remove one of them")]
    TwoColumns { column: &'static str, first: String, second: String },
    #[error("the population table has a header but no areas; add one line per area below it")]
    NoAreas,
    #[error("line {line}: a quoted field is never closed; add the closing `\"`")]
    UnclosedQuote { line: usize },
    #[error(
        "line {line}: the row has {cells} cells but the header has {columns}; a population written with \
         thousands separators must be in quotes, like `\"1,144,919\"`"
    )]
    TooManyCells { line: usize, cells: usize, columns: usize },
    #[error("line {line}: the {field} is empty; every area needs a code, a name and a population")]
    EmptyField { line: usize, field: &'static str },
    #[error("line {line}: population `{value}` is not a whole number; write it like `1144919` or `\"1,144,919\"`")]
    NotWholeNumber { line: usize, value: String },
    #[error("line {line}: the population of `{code}` is 0; give the area's population or remove its line")]
    ZeroPopulation { line: usize, code: String },
    #[error("line {line}: area code `{code}` is already on line {first_line}; each area may appear once")]
    DuplicateCode { code: String, first_line: usize, line: usize },
    #[error("the population table has no line for `{code}` ({name}); add the area's population to the table")]
    AreaMissing { code: String, name: String },
}

/// The header names accepted for each column, compared in lower case with spaces and
/// underscores alike. `Code`, `Name` and `All ages` are the columns of the ONS mid-year
/// population estimates by local authority; the `LADnnCD`/`LADnnNM` names are those of
/// ONS lookups (matched for any two-digit year, see [`column_kind`]).
const CODE_HEADERS: &[&str] = &["code", "area code", "la code", "lad code", "ladcd"];
const NAME_HEADERS: &[&str] = &["name", "area name", "la name", "lad name", "ladnm"];
const POPULATION_HEADERS: &[&str] =
    &["population", "all ages", "all persons", "persons", "total population", "usual residents"];

#[derive(Clone, Copy, PartialEq, Eq)]
enum Column {
    Code,
    Name,
    Population,
}

fn column_kind(header: &str) -> Option<Column> {
    let h: String = header.trim().to_lowercase().replace('_', " ").split_whitespace().collect::<Vec<_>>().join(" ");
    // `LAD21CD`, `LAD23NM`: an ONS lookup's columns for a given year's boundaries.
    let lad_year = |suffix: &str| {
        h.len() == 7 && h.starts_with("lad") && h.as_bytes()[3..5].iter().all(u8::is_ascii_digit) && h.ends_with(suffix)
    };
    if CODE_HEADERS.contains(&h.as_str()) || lad_year("cd") {
        Some(Column::Code)
    } else if NAME_HEADERS.contains(&h.as_str()) || lad_year("nm") {
        Some(Column::Name)
    } else if POPULATION_HEADERS.contains(&h.as_str()) {
        Some(Column::Population)
    } else {
        None
    }
}

/// Reads a population table: a header line, then one line per area.
///
/// The header must name a code, a name and a population column (see the accepted names
/// in docs/representation.md); other columns are ignored, in any order. A byte-order
/// mark, Windows line endings, blank lines and quoted fields are accepted; a population
/// may carry thousands separators when quoted (`"1,144,919"`). Each area code may
/// appear once.
pub fn parse_population_csv(text: &str) -> Result<Vec<AreaPopulation>, PopulationError> {
    let rows = csv_rows(text)?;
    let mut rows = rows.into_iter();
    let (_, header) = rows.next().ok_or(PopulationError::Empty)?;

    let find = |wanted: Column, label: &'static str| -> Result<usize, PopulationError> {
        let mut hits = header.iter().enumerate().filter(|(_, h)| column_kind(h) == Some(wanted));
        let (at, first) = hits.next().ok_or_else(|| PopulationError::MissingColumn {
            column: label,
            found: header.iter().map(|h| format!("`{}`", h.trim())).collect::<Vec<_>>().join(", "),
        })?;
        if let Some((_, second)) = hits.next() {
            return Err(PopulationError::TwoColumns {
                column: label,
                first: first.trim().to_string(),
                second: second.trim().to_string(),
            });
        }
        Ok(at)
    };
    let code_at = find(Column::Code, "code")?;
    let name_at = find(Column::Name, "name")?;
    let population_at = find(Column::Population, "population")?;

    let mut out: Vec<AreaPopulation> = Vec::new();
    let mut lines: BTreeMap<String, usize> = BTreeMap::new();
    for (line, cells) in rows {
        // Empty cells past the header are a spreadsheet's trailing commas; a filled one
        // is usually an unquoted `1,144,919` split in three, which must not load as 1.
        if cells.iter().skip(header.len()).any(|c| !c.trim().is_empty()) {
            return Err(PopulationError::TooManyCells { line, cells: cells.len(), columns: header.len() });
        }
        let cell = |at: usize, field: &'static str| {
            let value = cells.get(at).map_or("", |c| c.trim());
            if value.is_empty() { Err(PopulationError::EmptyField { line, field }) } else { Ok(value) }
        };
        let code = cell(code_at, "code")?;
        let name = cell(name_at, "name")?;
        let population = parse_whole_number(cell(population_at, "population")?)
            .ok_or_else(|| PopulationError::NotWholeNumber { line, value: cells[population_at].trim().to_string() })?;
        if population == 0 {
            return Err(PopulationError::ZeroPopulation { line, code: code.to_string() });
        }
        if let Some(&first_line) = lines.get(code) {
            return Err(PopulationError::DuplicateCode { code: code.to_string(), first_line, line });
        }
        lines.insert(code.to_string(), line);
        out.push(AreaPopulation { code: code.to_string(), name: name.to_string(), population });
    }
    if out.is_empty() {
        return Err(PopulationError::NoAreas);
    }
    Ok(out)
}

/// The body's areas, in the body's order, with their populations from a table that may
/// hold many more (a national ONS table). Every area of the body must be in the table:
/// a share computed without one of them would be wrong for all the others.
pub fn for_areas(populations: &[AreaPopulation], areas: &[Area]) -> Result<Vec<AreaPopulation>, PopulationError> {
    areas
        .iter()
        .map(|area| {
            populations
                .iter()
                .find(|p| p.code == area.code)
                .cloned()
                .ok_or_else(|| PopulationError::AreaMissing { code: area.code.clone(), name: area.name.clone() })
        })
        .collect()
}

/// `1144919`, or `1,144,919` with separators between every group of three digits.
fn parse_whole_number(value: &str) -> Option<u64> {
    let groups: Vec<&str> = value.split(',').collect();
    let digits = |g: &str| !g.is_empty() && g.bytes().all(|b| b.is_ascii_digit());
    let grouped = groups.len() == 1 || (groups[0].len() <= 3 && groups[1..].iter().all(|g| g.len() == 3));
    if !grouped || !groups.iter().all(|g| digits(g)) {
        return None;
    }
    groups.concat().parse().ok()
}

/// The rows of a CSV text with the line each starts on; blank lines are skipped. A
/// hand-written reader rather than the `csv` crate: this is the domain crate's only CSV,
/// it needs each row's line number for the messages, and it is a page of code.
fn csv_rows(text: &str) -> Result<Vec<(usize, Vec<String>)>, PopulationError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut rows = Vec::new();
    let mut row: Vec<String> = Vec::new();
    let mut field = String::new();
    let mut line = 1;
    let mut row_line = 1;
    let mut quoted = false;
    let mut field_start = true;
    let mut chars = text.chars().peekable();
    let mut end_row = |row: &mut Vec<String>, field: &mut String, row_line: usize| {
        row.push(std::mem::take(field));
        let cells = std::mem::take(row);
        if cells.iter().any(|c| !c.trim().is_empty()) {
            rows.push((row_line, cells));
        }
    };
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    chars.next();
                    field.push('"');
                }
                '"' => quoted = false,
                '\n' => {
                    line += 1;
                    field.push(c);
                }
                _ => field.push(c),
            }
            continue;
        }
        match c {
            '"' if field_start => {
                quoted = true;
                field_start = false;
            }
            ',' => {
                row.push(std::mem::take(&mut field));
                field_start = true;
            }
            '\r' if chars.peek() == Some(&'\n') => {}
            '\n' | '\r' => {
                end_row(&mut row, &mut field, row_line);
                line += 1;
                row_line = line;
                field_start = true;
            }
            _ => {
                field.push(c);
                field_start = false;
            }
        }
    }
    if quoted {
        return Err(PopulationError::UnclosedQuote { line: row_line });
    }
    end_row(&mut row, &mut field, row_line);
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// Breakdowns
// ---------------------------------------------------------------------------------------

/// Theme mentions counted by category (respondent type, area or channel).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Crosstab {
    /// Theme labels or ids, in the order they first appeared.
    pub rows: Vec<String>,
    /// Categories, sorted.
    pub columns: Vec<String>,
    /// `counts[row][column]`: how many of that category raised that theme.
    pub counts: Vec<Vec<u64>>,
    /// How many respondents each category has, raising a theme or not.
    pub column_totals: Vec<u64>,
}

/// Counts `(theme, category)` pairs, one pair per respondent per theme they raised.
///
/// `column_totals` gives each category's number of respondents, the denominator of
/// [`Crosstab::share`]; a category in the pairs but not in `column_totals` has a total
/// of 0 and no shares. A pair given twice is counted twice: deduplicating respondents
/// is the caller's job, since only it knows who they are.
pub fn crosstab<'a>(
    pairs: impl IntoIterator<Item = (&'a str, &'a str)>,
    column_totals: &BTreeMap<String, u64>,
) -> Crosstab {
    let pairs: Vec<(&str, &str)> = pairs.into_iter().collect();
    let mut columns: Vec<String> = column_totals.keys().cloned().collect();
    for (_, category) in &pairs {
        if let Err(at) = columns.binary_search_by(|c| c.as_str().cmp(category)) {
            columns.insert(at, category.to_string());
        }
    }
    let mut rows: Vec<String> = Vec::new();
    let mut counts: Vec<Vec<u64>> = Vec::new();
    for (theme, category) in pairs {
        let r = match rows.iter().position(|t| t == theme) {
            Some(r) => r,
            None => {
                rows.push(theme.to_string());
                counts.push(vec![0; columns.len()]);
                rows.len() - 1
            }
        };
        let c = columns.binary_search_by(|c| c.as_str().cmp(category)).unwrap_or_else(|at| at);
        counts[r][c] += 1;
    }
    let column_totals = columns.iter().map(|c| column_totals.get(c).copied().unwrap_or(0)).collect();
    Crosstab { rows, columns, counts, column_totals }
}

impl Crosstab {
    fn at(&self, row: &str, column: &str) -> Option<(usize, usize)> {
        let r = self.rows.iter().position(|t| t == row)?;
        let c = self.columns.binary_search_by(|c| c.as_str().cmp(column)).ok()?;
        Some((r, c))
    }

    /// How many of `column` raised `row`; `None` for a theme or category not in the table.
    pub fn count(&self, row: &str, column: &str) -> Option<u64> {
        self.at(row, column).map(|(r, c)| self.counts[r][c])
    }

    /// The share of `column`'s respondents who raised `row` (0 to 1); `None` for a theme
    /// or category not in the table, or a category with no respondents.
    pub fn share(&self, row: &str, column: &str) -> Option<f64> {
        let (r, c) = self.at(row, column)?;
        let total = self.column_totals[c];
        (total > 0).then(|| self.counts[r][c] as f64 / total as f64)
    }

    /// How many mentions each theme has across all categories, in row order.
    pub fn row_totals(&self) -> Vec<u64> {
        self.counts.iter().map(|row| row.iter().sum()).collect()
    }
}
