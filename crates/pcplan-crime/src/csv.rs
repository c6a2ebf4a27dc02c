//! A byte-level reader of RFC 4180 records over a file held in memory.
//!
//! It hands out one record at a time as cells borrowed from the file (or, for a quoted
//! cell with doubled quotes, from a scratch buffer), with the physical line on which the
//! record starts: a quoted cell may run over several lines, so record numbers and line
//! numbers differ, and a person fixing a file needs the line their editor shows.
//!
//! It is lenient where real exports are sloppy, as the `csv` crate is: a `\r` before a
//! line end is dropped, a quote inside an unquoted cell is kept as text, text after a
//! closing quote is appended to the cell, and blank lines are skipped. The one thing it
//! cannot recover from is a quoted cell that is never closed: the rest of the file is
//! then that cell, and the record says so.
//!
//! Why not the `csv` crate: it is in the tree already, but its records copy every cell
//! into their own buffer. This reader copies nothing for the cells of an ordinary
//! police.uk row (only a quoted cell with doubled quotes is unescaped); on the Leicestershire
//! files, one core, it read 1.3 to 2.1 GB/s against 1.0 to 1.5 GB/s for the `csv` crate's
//! `ByteRecord` loop in the same runs (30 November 2026, on the shared 2-core machine).
//! It does not decode text: cells are bytes, and the caller decides what is UTF-8.

/// Where a cell's bytes are.
#[derive(Debug, Clone, Copy)]
struct Cell {
    start: usize,
    end: usize,
    in_scratch: bool,
}

/// Reads records one after another from `data`.
pub(crate) struct Reader<'a> {
    data: &'a [u8],
    pos: usize,
    /// The physical line (1-based) where the next record starts.
    line: u64,
    cells: Vec<Cell>,
    scratch: Vec<u8>,
}

/// One record: its cells and the line it starts on.
pub(crate) struct Record<'r> {
    data: &'r [u8],
    scratch: &'r [u8],
    cells: &'r [Cell],
    /// The physical line (1-based) on which the record starts.
    pub line: u64,
    /// A quoted cell of this record was still open at the end of the file.
    pub unclosed_quote: bool,
}

impl Record<'_> {
    /// The number of cells.
    pub fn len(&self) -> usize {
        self.cells.len()
    }

    /// The bytes of cell `i`, or an empty slice past the last cell.
    pub fn get(&self, i: usize) -> &[u8] {
        match self.cells.get(i) {
            Some(c) if c.in_scratch => &self.scratch[c.start..c.end],
            Some(c) => &self.data[c.start..c.end],
            None => &[],
        }
    }
}

impl<'a> Reader<'a> {
    /// A reader over a whole file; a UTF-8 byte order mark at the start is skipped.
    pub fn new(data: &'a [u8]) -> Self {
        let pos = if data.starts_with(b"\xEF\xBB\xBF") { 3 } else { 0 };
        Reader { data, pos, line: 1, cells: Vec::with_capacity(16), scratch: Vec::new() }
    }

    /// The next record, or `None` at the end of the file.
    pub fn next_record(&mut self) -> Option<Record<'_>> {
        self.skip_blank_lines();
        if self.pos >= self.data.len() {
            return None;
        }
        let line = self.line;
        self.cells.clear();
        self.scratch.clear();
        let mut unclosed_quote = false;
        loop {
            let ended = if self.data.get(self.pos) == Some(&b'"') {
                match self.quoted_cell() {
                    Some(ended) => ended,
                    None => {
                        unclosed_quote = true;
                        true
                    }
                }
            } else {
                self.plain_cell()
            };
            if ended {
                break;
            }
        }
        Some(Record { data: self.data, scratch: &self.scratch, cells: &self.cells, line, unclosed_quote })
    }

    /// Skips empty lines (`\n` or `\r\n` alone) between records.
    fn skip_blank_lines(&mut self) {
        loop {
            match self.data.get(self.pos..self.pos + 1) {
                Some(b"\n") => self.pos += 1,
                Some(b"\r") if self.data.get(self.pos + 1) == Some(&b'\n') => self.pos += 2,
                _ => return,
            }
            self.line += 1;
        }
    }

    /// Reads an unquoted cell and its delimiter; true when the record ended with it.
    fn plain_cell(&mut self) -> bool {
        let data = self.data;
        let start = self.pos;
        let mut i = start;
        while i < data.len() && data[i] != b',' && data[i] != b'\n' {
            i += 1;
        }
        let mut end = i;
        if (i == data.len() || data[i] == b'\n') && end > start && data[end - 1] == b'\r' {
            end -= 1;
        }
        self.cells.push(Cell { start, end, in_scratch: false });
        self.finish_cell(i)
    }

    /// Reads a quoted cell (the reader stands on its opening quote) and its delimiter;
    /// true when the record ended with it, `None` when the quote is never closed.
    fn quoted_cell(&mut self) -> Option<bool> {
        let data = self.data;
        let start = self.pos + 1;
        let mut i = start;
        let mut doubled = false;
        let close = loop {
            match data.get(i) {
                None => {
                    // The rest of the file is this cell; keep it so the record is whole.
                    self.cells.push(Cell { start, end: data.len(), in_scratch: false });
                    self.pos = data.len();
                    return None;
                }
                Some(b'"') if data.get(i + 1) == Some(&b'"') => {
                    doubled = true;
                    i += 2;
                }
                Some(b'"') => break i,
                Some(b'\n') => {
                    self.line += 1;
                    i += 1;
                }
                Some(_) => i += 1,
            }
        };
        // Text between the closing quote and the next delimiter is kept, as most readers do.
        let mut after = close + 1;
        while after < data.len() && data[after] != b',' && data[after] != b'\n' {
            after += 1;
        }
        let mut tail_end = after;
        if (after == data.len() || data[after] == b'\n') && tail_end > close + 1 && data[tail_end - 1] == b'\r' {
            tail_end -= 1;
        }
        let tail = &data[close + 1..tail_end];
        if doubled || !tail.is_empty() {
            let from = self.scratch.len();
            unescape(&data[start..close], &mut self.scratch);
            self.scratch.extend_from_slice(tail);
            self.cells.push(Cell { start: from, end: self.scratch.len(), in_scratch: true });
        } else {
            self.cells.push(Cell { start, end: close, in_scratch: false });
        }
        Some(self.finish_cell(after))
    }

    /// Moves past the delimiter at `i`; true when it ended the record.
    fn finish_cell(&mut self, i: usize) -> bool {
        match self.data.get(i) {
            Some(b',') => {
                self.pos = i + 1;
                false
            }
            Some(_) => {
                self.pos = i + 1;
                self.line += 1;
                true
            }
            None => {
                self.pos = i;
                true
            }
        }
    }
}

/// Appends `quoted` (the inside of a quoted cell) to `out`, turning `""` into `"`.
fn unescape(quoted: &[u8], out: &mut Vec<u8>) {
    let mut i = 0;
    while i < quoted.len() {
        out.push(quoted[i]);
        i += if quoted[i] == b'"' && quoted.get(i + 1) == Some(&b'"') { 2 } else { 1 };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every record as (line, cells as text, unclosed).
    fn records(data: &str) -> Vec<(u64, Vec<String>, bool)> {
        let mut reader = Reader::new(data.as_bytes());
        let mut out = Vec::new();
        while let Some(r) = reader.next_record() {
            let cells = (0..r.len()).map(|i| String::from_utf8_lossy(r.get(i)).into_owned()).collect();
            out.push((r.line, cells, r.unclosed_quote));
        }
        out
    }

    fn cells(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| (*s).to_owned()).collect()
    }

    #[test]
    fn plain_records_with_crlf_and_no_final_line_end() {
        assert_eq!(
            records("a,b,c\r\n1,,3\r\n4,5,6"),
            vec![
                (1, cells(&["a", "b", "c"]), false),
                (2, cells(&["1", "", "3"]), false),
                (3, cells(&["4", "5", "6"]), false)
            ]
        );
    }

    #[test]
    fn quoted_cells_keep_commas_doubled_quotes_and_line_breaks() {
        let got = records("x,\"On or near A, B\",\"say \"\"hi\"\"\"\r\n\"two\r\nlines\",y\r\nlast,row\r\n");
        assert_eq!(
            got,
            vec![
                (1, cells(&["x", "On or near A, B", "say \"hi\""]), false),
                (2, cells(&["two\r\nlines", "y"]), false),
                (4, cells(&["last", "row"]), false)
            ]
        );
    }

    #[test]
    fn blank_lines_are_skipped_but_counted() {
        assert_eq!(records("a\r\n\r\n\nb\n"), vec![(1, cells(&["a"]), false), (4, cells(&["b"]), false)]);
    }

    #[test]
    fn an_unclosed_quote_takes_the_rest_of_the_file_and_is_flagged() {
        let got = records("a,b\n\"open,c\nd,e\n");
        assert_eq!(got.len(), 2);
        assert_eq!(got[1].0, 2);
        assert!(got[1].2);
        assert_eq!(got[1].1, cells(&["open,c\nd,e\n"]));
    }

    #[test]
    fn text_after_a_closing_quote_and_stray_quotes_are_kept() {
        assert_eq!(records("\"ab\"cd,e\"f\n"), vec![(1, cells(&["abcd", "e\"f"]), false)]);
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_an_empty_last_cell_is_a_cell() {
        assert_eq!(records("\u{FEFF}a,\r\n"), vec![(1, cells(&["a", ""]), false)]);
    }
}
