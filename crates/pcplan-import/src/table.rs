//! The table every reader produces, and finding its header row.
//!
//! Readers hand over every record with its line number, blank ones included; this module
//! picks the header (given, or detected), names the columns and keeps the data rows. It
//! does not judge rows: a row of the wrong width stays here and becomes a bad row only
//! when mapped, so the person importing sees it with its line number.

use crate::{Encoding, ImportError};

/// A file read into a header and rows of text cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// Column names, trimmed; trailing unnamed columns dropped, and an unnamed column
    /// between named ones called `Column N` (1-based).
    pub headers: Vec<String>,
    /// The data rows after the header, blank rows left out, in file order.
    pub rows: Vec<Row>,
    /// The text encoding of a CSV file; `None` for XLSX.
    pub encoding: Option<Encoding>,
    /// The sheet read from an XLSX file; `None` for CSV.
    pub sheet: Option<String>,
    /// The line (CSV) or row number (XLSX) of the header.
    pub header_line: usize,
    /// Blank lines or rows after the header that were skipped.
    pub skipped_blank_lines: usize,
    /// The line of a CSV record whose quoted cell is never closed, so that it ran to the
    /// end of the file. Mapping reports that row as bad.
    pub unclosed_quote_line: Option<usize>,
}

/// One record of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// 1-based: for CSV the physical line where the record starts (a quoted cell may
    /// run over several lines), for XLSX the spreadsheet's row number.
    pub line: usize,
    /// The cells as text, untrimmed, with line breaks inside cells as `\n`.
    pub cells: Vec<String>,
}

impl Row {
    /// True when every cell is empty or whitespace.
    pub fn is_blank(&self) -> bool {
        self.cells.iter().all(|c| c.trim().is_empty())
    }

    /// The number of cells up to and including the last non-blank one.
    pub fn extent(&self) -> usize {
        self.cells.iter().rposition(|c| !c.trim().is_empty()).map_or(0, |i| i + 1)
    }
}

impl Table {
    /// The index of the column named `name`: an exact match first, then one ignoring
    /// case and surrounding spaces.
    pub fn find_column(&self, name: &str) -> Option<usize> {
        self.headers.iter().position(|h| h == name).or_else(|| {
            let wanted = name.trim().to_lowercase();
            self.headers.iter().position(|h| h.to_lowercase() == wanted)
        })
    }
}

/// How to read a file. `ReadOptions::default()` detects everything.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadOptions {
    /// The line (CSV) or row number (XLSX) of the header; `None` detects it: the first
    /// row whose non-empty cells are mostly distinct text and cover more than half the
    /// width of the rows below it, passing over a row of numbered placeholders
    /// (`Ident 1`, `Ident 2`, ...) that sits directly above another such row.
    pub header_row: Option<usize>,
    /// The first line or row of data; rows between the header and it are left out (for
    /// templates with an instruction row under the header). `None`: straight after it.
    pub first_data_row: Option<usize>,
    /// The CSV delimiter; `None` chooses among comma, semicolon and tab by which splits
    /// the first records most consistently.
    pub delimiter: Option<u8>,
    /// The XLSX sheet to read, by name (exact, then ignoring case); `None` reads the
    /// first visible sheet.
    pub sheet: Option<String>,
}

/// What a progress report counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProgressUnit {
    /// Bytes of decoded CSV text.
    Bytes,
    /// Rows of an XLSX sheet.
    Rows,
}

/// A progress report: `done` of `total` units. Reports of one read never go backwards,
/// and the last one has `done == total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Progress {
    pub done: u64,
    pub total: u64,
    pub unit: ProgressUnit,
}

/// Records from a reader, before the header is chosen.
pub(crate) struct Records {
    pub rows: Vec<Row>,
    pub encoding: Option<Encoding>,
    pub sheet: Option<String>,
    pub unclosed_quote_line: Option<usize>,
}

/// Rows looked at when detecting the header.
const HEADER_SAMPLE: usize = 30;

pub(crate) fn build(file: &str, records: Records, options: &ReadOptions) -> Result<Table, ImportError> {
    let Records { rows, encoding, sheet, unclosed_quote_line } = records;
    if rows.iter().all(Row::is_blank) {
        return Err(ImportError::Empty { file: file.to_owned() });
    }
    let header_index = match options.header_row {
        Some(line) => {
            let index = rows.iter().position(|r| r.line == line).ok_or_else(|| ImportError::HeaderRowMissing {
                file: file.to_owned(),
                line,
                last: rows.last().map_or(0, |r| r.line),
            })?;
            if rows[index].is_blank() {
                return Err(ImportError::HeaderRowBlank { file: file.to_owned(), line });
            }
            index
        }
        None => detect_header(&rows).ok_or_else(|| ImportError::NoHeader { file: file.to_owned() })?,
    };
    let header = &rows[header_index];
    let header_line = header.line;
    let headers = name_columns(header);
    let mut skipped_blank_lines = 0;
    let mut data = Vec::with_capacity(rows.len().saturating_sub(header_index + 1));
    for row in rows.into_iter().skip(header_index + 1) {
        if options.first_data_row.is_some_and(|first| row.line < first) {
            continue;
        }
        if row.is_blank() {
            skipped_blank_lines += 1;
        } else {
            data.push(row);
        }
    }
    Ok(Table { headers, rows: data, encoding, sheet, header_line, skipped_blank_lines, unclosed_quote_line })
}

fn name_columns(header: &Row) -> Vec<String> {
    header.cells[..header.extent()]
        .iter()
        .enumerate()
        .map(|(i, cell)| {
            let name = cell.trim();
            if name.is_empty() { format!("Column {}", i + 1) } else { name.to_owned() }
        })
        .collect()
}

/// The index in `rows` of the header row, if any row looks like one.
fn detect_header(rows: &[Row]) -> Option<usize> {
    let sample: Vec<(usize, &Row)> =
        rows.iter().enumerate().filter(|(_, r)| !r.is_blank()).take(HEADER_SAMPLE).collect();
    let looks_like_header = |at: usize| -> bool {
        let below = sample[at + 1..].iter().map(|(_, r)| r.extent()).max().unwrap_or(0);
        header_like(sample[at].1, below)
    };
    for at in 0..sample.len() {
        if !looks_like_header(at) {
            continue;
        }
        // Some exports put a row of column identifiers (`Ident 1`, `Ident 2`) above the
        // question texts; the texts are what a person recognises and maps.
        if placeholders(sample[at].1) && at + 1 < sample.len() && looks_like_header(at + 1) {
            continue;
        }
        return Some(sample[at].0);
    }
    None
}

/// Mostly distinct, mostly non-numeric cells, covering more than half the width of the
/// rows below (so a title line above the header is passed over).
fn header_like(row: &Row, width_below: usize) -> bool {
    let cells: Vec<String> = row.cells.iter().map(|c| c.trim().to_lowercase()).filter(|c| !c.is_empty()).collect();
    let n = cells.len();
    if n == 0 || (width_below > 0 && n * 2 <= width_below) {
        return false;
    }
    let mut distinct = cells.clone();
    distinct.sort();
    distinct.dedup();
    let numeric = cells.iter().filter(|c| looks_numeric(c)).count();
    distinct.len() * 5 >= n * 4 && numeric * 2 < n
}

fn looks_numeric(cell: &str) -> bool {
    let cleaned: String = cell.chars().filter(|c| !matches!(c, ',' | '£' | '%' | ' ')).collect();
    !cleaned.is_empty() && cleaned.parse::<f64>().is_ok()
}

/// Two or more cells that are one shared word followed by distinct numbers.
fn placeholders(row: &Row) -> bool {
    let cells: Vec<&str> = row.cells.iter().map(|c| c.trim()).filter(|c| !c.is_empty()).collect();
    if cells.len() < 2 {
        return false;
    }
    let split = |cell: &str| -> Option<(String, String)> {
        let digits = cell.len() - cell.trim_end_matches(|c: char| c.is_ascii_digit()).len();
        if digits == 0 {
            return None;
        }
        let (stem, number) = cell.split_at(cell.len() - digits);
        Some((stem.trim().to_lowercase(), number.to_owned()))
    };
    let Some(parts) = cells.iter().map(|c| split(c)).collect::<Option<Vec<_>>>() else {
        return false;
    };
    let mut numbers: Vec<&String> = parts.iter().map(|(_, n)| n).collect();
    numbers.sort();
    numbers.dedup();
    parts.iter().all(|(stem, _)| *stem == parts[0].0) && numbers.len() == parts.len()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, cells: &[&str]) -> Row {
        Row { line, cells: cells.iter().map(|c| (*c).to_owned()).collect() }
    }

    #[test]
    fn a_title_line_above_the_header_is_passed_over() {
        let rows =
            vec![row(1, &["Survey export", "", ""]), row(2, &["id", "name", "answer"]), row(3, &["1", "a", "b"])];
        assert_eq!(detect_header(&rows), Some(1));
    }

    #[test]
    fn numbered_placeholders_give_way_to_the_row_below() {
        let rows = vec![row(1, &["Q1", "Q2"]), row(2, &["Your name", "Your view"]), row(3, &["x", "y"])];
        assert_eq!(detect_header(&rows), Some(1));
        // Alone above data they are the header.
        let rows = vec![row(1, &["Q1", "Q2"]), row(2, &["1", "2"])];
        assert_eq!(detect_header(&rows), Some(0));
    }

    #[test]
    fn a_file_of_numbers_has_no_header() {
        let rows = vec![row(1, &["1", "2"]), row(2, &["3", "4"])];
        assert_eq!(detect_header(&rows), None);
    }
}
