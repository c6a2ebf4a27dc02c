//! Reading delimited text (CSV, semicolon-separated, tab-separated) into records.
//!
//! Parsing is the `csv` crate's, in flexible mode so rows of the wrong width come through
//! to be reported by line instead of stopping the read. Line numbers are computed here,
//! from byte offsets, because the crate's own line count leaves out the blank lines it
//! skips. This module does not choose the header; `table.rs` does.

use crate::table::{Progress, ProgressUnit, ReadOptions, Records, Row};
use crate::{ImportError, decode};

/// Records between progress reports: often enough for a smooth bar, rarely enough to
/// cost nothing.
const PROGRESS_EVERY: usize = 2048;

/// Records looked at when choosing the delimiter.
const SNIFF_RECORDS: usize = 20;

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Records, ImportError> {
    let (text, encoding) = decode(bytes);
    if text.trim().is_empty() {
        return Err(ImportError::Empty { file: file.to_owned() });
    }
    let total = text.len() as u64;
    let delimiter = options.delimiter.unwrap_or_else(|| sniff_delimiter(&text));
    let mut reader =
        csv::ReaderBuilder::new().has_headers(false).flexible(true).delimiter(delimiter).from_reader(text.as_bytes());
    let mut record = csv::StringRecord::new();
    let mut rows = Vec::new();
    // Where line counting has reached: a byte offset and the line it is on.
    let mut cursor = (0usize, 1usize);
    // The last physical line of the previous record.
    let mut previous_end = 0usize;
    let mut last_start = 0usize;
    loop {
        let reported = reader.position().byte() as usize;
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(error) => {
                let line = error.position().map_or(cursor.1, |p| line_at(&text, &mut cursor, p.byte() as usize));
                return Err(ImportError::Csv { file: file.to_owned(), line, reason: error.to_string() });
            }
        }
        // The reported start may sit before the rest of the previous line ending and any
        // blank lines the parser skipped; the record really starts after them.
        let start = reported + text[reported..].bytes().take_while(|b| matches!(b, b'\r' | b'\n')).count();
        last_start = start;
        let line = line_at(&text, &mut cursor, start);
        for blank in previous_end + 1..line {
            rows.push(Row { line: blank, cells: Vec::new() });
        }
        let inner_breaks: usize = record.iter().map(line_breaks).sum();
        previous_end = line + inner_breaks;
        let cells = record.iter().map(normalise_breaks).collect();
        rows.push(Row { line, cells });
        if rows.len().is_multiple_of(PROGRESS_EVERY) {
            progress(Progress { done: reader.position().byte().min(total), total, unit: ProgressUnit::Bytes });
        }
    }
    progress(Progress { done: total, total, unit: ProgressUnit::Bytes });
    let unclosed_quote_line =
        ends_inside_quotes(&text[last_start..], delimiter).then(|| rows.last().map_or(1, |r| r.line));
    Ok(Records { rows, encoding: Some(encoding), sheet: None, unclosed_quote_line })
}

/// Advances the cursor to `offset` and returns its 1-based line. Offsets must not go
/// backwards, which holds because records are read in order.
fn line_at(text: &str, cursor: &mut (usize, usize), offset: usize) -> usize {
    let (from, line) = *cursor;
    let offset = offset.max(from).min(text.len());
    let line = line + line_breaks(&text[from..offset]);
    *cursor = (offset, line);
    line
}

/// Line breaks in `s`: `\n`, `\r\n` and a lone `\r` each count once.
fn line_breaks(s: &str) -> usize {
    let bytes = s.as_bytes();
    bytes.iter().enumerate().filter(|&(i, &b)| b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))).count()
}

/// `\r\n` and lone `\r` inside a cell become `\n`, so the same text exported on Windows
/// and elsewhere gives the same cell (and the same fingerprint).
fn normalise_breaks(cell: &str) -> String {
    if cell.contains('\r') { cell.replace("\r\n", "\n").replace('\r', "\n") } else { cell.to_owned() }
}

/// Whether the text (the last record to the end of the file) finishes inside a quoted
/// cell, following the same rules as the parser: a cell is quoted only when its first
/// character is `"`, and `""` inside it is a literal quote.
fn ends_inside_quotes(text: &str, delimiter: u8) -> bool {
    let mut quoted = false;
    let mut at_cell_start = true;
    let mut bytes = text.bytes().peekable();
    while let Some(b) = bytes.next() {
        if quoted {
            if b == b'"' {
                if bytes.peek() == Some(&b'"') {
                    bytes.next();
                } else {
                    quoted = false;
                }
            }
        } else if at_cell_start && b == b'"' {
            quoted = true;
            at_cell_start = false;
        } else {
            at_cell_start = b == delimiter || b == b'\n' || b == b'\r';
        }
    }
    quoted
}

/// Chooses comma, semicolon or tab: the one that gives the same non-zero number of
/// cells to the most of the first records (quoted text ignored). Ties go in that order,
/// and a file with none of them (one column) is read as comma-separated.
fn sniff_delimiter(text: &str) -> u8 {
    let candidates = [b',', b';', b'\t'];
    let mut counts: Vec<[usize; 3]> = Vec::new();
    let mut current = [0usize; 3];
    let mut quoted = false;
    let mut blank = true;
    for b in text.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if !quoted && (b == b'\n' || b == b'\r') {
            if !blank {
                counts.push(current);
                if counts.len() == SNIFF_RECORDS {
                    break;
                }
            }
            current = [0; 3];
            blank = true;
            continue;
        } else if !quoted && let Some(i) = candidates.iter().position(|&c| c == b) {
            current[i] += 1;
        }
        blank = false;
    }
    if !blank && counts.len() < SNIFF_RECORDS {
        counts.push(current);
    }
    let mut best = (b',', 0usize);
    for (i, &delimiter) in candidates.iter().enumerate() {
        let mut per_count: Vec<usize> = counts.iter().map(|c| c[i]).filter(|&n| n > 0).collect();
        per_count.sort_unstable();
        // How many records share the most common non-zero count.
        let mut agreeing = 0;
        let mut run = 0;
        for (j, n) in per_count.iter().enumerate() {
            run = if j > 0 && per_count[j - 1] == *n { run + 1 } else { 1 };
            agreeing = agreeing.max(run);
        }
        if agreeing > best.1 {
            best = (delimiter, agreeing);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_breaks_count_crlf_once() {
        assert_eq!(line_breaks("a\r\nb\nc\rd"), 3);
    }

    #[test]
    fn the_delimiter_is_the_one_that_splits_records_alike() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2,5;3\n4;5;6\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n\"x, y\"\tz\n"), b'\t');
        assert_eq!(sniff_delimiter("just one column\nanother\n"), b',');
    }

    #[test]
    fn an_open_quote_at_the_end_is_found_and_a_bare_quote_is_not() {
        assert!(ends_inside_quotes("1,\"never closed\n2,3\n", b','));
        assert!(!ends_inside_quotes("1,\"closed \"\"twice\"\"\"\n", b','));
        assert!(!ends_inside_quotes("1,5\" tall\n", b','));
    }
}
