//! Writing CSV for people to open in a spreadsheet: every download pcplan offers (a
//! table on a page, the open data files, the figures template, the bad rows of an
//! import) is written through [`Csv`], so each one quotes the same way and each one is
//! protected against formula injection.
//!
//! Formula injection: a spreadsheet runs a cell that starts with `=`, `+`, `-` or `@`
//! (and some also one that starts with a tab or carriage return) as a formula, so text
//! a member of the public typed, such as `=HYPERLINK(...)`, could run on an officer's
//! machine. Such a cell gets a `'` in front, which spreadsheets show as text. A cell
//! that is wholly a number (`-3.5`) is left alone: a number cannot be a formula, and
//! guarding it would turn every negative figure into text. Reading our own files back
//! ([`unguard`]) drops that `'` again.
//!
//! This module does not read CSV; `delimited.rs` does.

use std::borrow::Cow;

/// The characters that make a spreadsheet treat a cell as a formula when they come first.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// The cell's text made safe to open in a spreadsheet: a `'` in front when it would
/// otherwise run as a formula. Not quoted: [`Csv`] does that.
pub fn guard(text: &str) -> Cow<'_, str> {
    if text.starts_with(FORMULA_STARTS) && text.trim().parse::<f64>().is_err() {
        Cow::Owned(format!("'{text}"))
    } else {
        Cow::Borrowed(text)
    }
}

/// The text of a cell [`guard`] protected, as it was before: the `'` it added is dropped.
/// A `'` in front of anything that would not have been guarded is the cell's own and
/// is kept.
pub fn unguard(text: &str) -> &str {
    match text.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_STARTS) && rest.trim().parse::<f64>().is_err() => rest,
        _ => text,
    }
}

/// A CSV document being written: comma separated, CRLF line ends (RFC 4180) in a
/// download and LF on a command's output ([`Csv::plain`]), cells
/// quoted only when they hold a comma, quote or line break, and every cell guarded.
/// A download starts with a UTF-8 byte order mark, so Excel reads accented names correctly
/// rather than guessing Windows-1252.
#[derive(Debug, Clone)]
pub struct Csv {
    text: String,
    /// `\r\n` for a download, `\n` for a command's standard output.
    line_end: &'static str,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    /// An empty document (just the byte order mark), for a file people download.
    pub fn new() -> Csv {
        Csv { text: String::from("\u{feff}"), line_end: "\r\n" }
    }

    /// An empty document without the byte order mark and with Unix line ends, for output
    /// another program reads (a command's standard output piped into `head` or `awk`).
    pub fn plain() -> Csv {
        Csv { text: String::new(), line_end: "\n" }
    }

    /// Appends one row.
    pub fn row<I, S>(&mut self, cells: I) -> &mut Csv
    where
        I: IntoIterator<Item = S>,
        S: AsRef<str>,
    {
        for (i, cell) in cells.into_iter().enumerate() {
            if i > 0 {
                self.text.push(',');
            }
            let guarded = guard(cell.as_ref());
            if guarded.contains([',', '"', '\n', '\r']) {
                self.text.push('"');
                self.text.push_str(&guarded.replace('"', "\"\""));
                self.text.push('"');
            } else {
                self.text.push_str(&guarded);
            }
        }
        self.text.push_str(self.line_end);
        self
    }

    /// The document's text, byte order mark first.
    pub fn finish(self) -> String {
        self.text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn written(rows: &[&[&str]]) -> String {
        let mut csv = Csv::new();
        for row in rows {
            csv.row(row.iter());
        }
        csv.finish()
    }

    #[test]
    fn cells_that_would_run_as_formulas_are_shown_as_text() {
        for (cell, expected) in [
            ("=HYPERLINK(\"http://x\")", "'=HYPERLINK(\"http://x\")"),
            ("+44 121", "'+44 121"),
            ("-1+2", "'-1+2"),
            ("@SUM(A1)", "'@SUM(A1)"),
            ("\tcmd", "'\tcmd"),
            ("-3.5", "-3.5"),
            ("+7", "+7"),
            ("9,050", "9,050"),
            ("More patrols", "More patrols"),
            ("", ""),
        ] {
            assert_eq!(guard(cell), expected, "{cell:?}");
            assert_eq!(unguard(&guard(cell)), cell, "{cell:?} read back");
        }
        assert_eq!(unguard("'tis the season"), "'tis the season");
    }

    #[test]
    fn rows_are_quoted_only_where_needed_with_crlf_and_a_byte_order_mark() {
        let text = written(&[&["Area", "Note"], &["Birmingham, East", "He said \"no\"\nthen left"], &["=1+1", "-2"]]);
        assert_eq!(text, "\u{feff}Area,Note\r\n\"Birmingham, East\",\"He said \"\"no\"\"\nthen left\"\r\n'=1+1,-2\r\n");
    }

    #[test]
    fn plain_output_has_no_byte_order_mark_and_unix_line_ends() {
        let mut csv = Csv::plain();
        csv.row(["month", "count"]).row(["2022-10", "53"]);
        assert_eq!(csv.finish(), "month,count\n2022-10,53\n");
    }

    #[test]
    fn what_is_written_reads_back_cell_for_cell() {
        let rows: &[&[&str]] = &[&["a", "b,c"], &["\"q\"", "line\r\nbreak"], &["=cmd", "ok"]];
        let text = written(rows);
        let mut reader =
            csv::ReaderBuilder::new().has_headers(false).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
        let read: Vec<Vec<String>> = reader
            .records()
            .map(|r| r.expect("a row written here reads back").iter().map(|c| unguard(c).to_string()).collect())
            .collect();
        let expected: Vec<Vec<String>> = rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect();
        assert_eq!(read, expected);
    }
}
