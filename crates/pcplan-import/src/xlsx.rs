//! Reading one sheet of an XLSX workbook into records, every cell as the text a person
//! would read in it.
//!
//! calamine parses the workbook; this module chooses the sheet and writes each value as
//! text: whole numbers without a `.0`, other numbers to Excel's fifteen significant
//! digits, dates as ISO 8601, booleans as `TRUE`/`FALSE`, errors as `#N/A` and so on. It
//! does not apply the cell's own number format (currency symbols, thousands separators,
//! `dd/mm/yyyy`): calamine does not expose it, and the values are what an import needs.
//! Formulas are not evaluated; their last calculated value, saved in the file, is read.

use std::io::Cursor;

use calamine::{Data, Reader, SheetVisible, Xlsx};

use crate::ImportError;
use crate::table::{Progress, ProgressUnit, ReadOptions, Records, Row};

const PROGRESS_EVERY: usize = 2048;

pub(crate) fn read(
    file: &str,
    bytes: &[u8],
    options: &ReadOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<Records, ImportError> {
    let workbook_error = |reason: String| ImportError::Workbook { file: file.to_owned(), reason };
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| workbook_error(e.to_string()))?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(ImportError::NoSheets { file: file.to_owned() });
    }
    let sheet = match &options.sheet {
        Some(wanted) => names
            .iter()
            .find(|n| *n == wanted)
            .or_else(|| names.iter().find(|n| n.to_lowercase() == wanted.trim().to_lowercase()))
            .cloned()
            .ok_or_else(|| ImportError::SheetNotFound {
                file: file.to_owned(),
                sheet: wanted.clone(),
                available: names.clone(),
            })?,
        None => workbook
            .sheets_metadata()
            .iter()
            .find(|s| s.visible == SheetVisible::Visible)
            .map_or_else(|| names[0].clone(), |s| s.name.clone()),
    };
    let cells = read_cells(&mut workbook, &sheet).map_err(|problem| match problem {
        Problem::Damaged(reason) => workbook_error(format!("sheet `{sheet}`: {reason}")),
        Problem::TooLarge(reason) => ImportError::SheetTooLarge { file: file.to_owned(), sheet: sheet.clone(), reason },
    })?;
    Ok(Records { rows: lay_out(cells, progress), encoding: None, sheet: Some(sheet), unclosed_quote_line: None })
}

/// The most cells a sheet may have, counting the empty ones a table's rectangle takes
/// between and beside its values: a survey of 100,000 responses with 50 columns. Far
/// more than any import needs, and a bound on the memory one uploaded workbook can ask
/// for (the XML of a 50 MiB workbook can unzip to gigabytes of cells).
pub const MAX_CELLS: u64 = 5_000_000;

/// Excel's last row and column (1,048,576 and XFD), counted from 0.
const LAST_ROW: u32 = 1_048_575;
const LAST_COLUMN: u32 = 16_383;

/// A sheet's values, without the empty cells: `(row, column, text)`, counted from 0.
type Cells = Vec<(u32, u32, String)>;

/// Why a sheet's cells were not read.
enum Problem {
    Damaged(String),
    TooLarge(String),
}

/// Reads the sheet's values cell by cell, refusing a sheet that reaches past Excel's
/// last cell or holds more than [`MAX_CELLS`] before anything large is allocated.
///
/// calamine's `worksheet_range` is not used: it allocates the rectangle from the first to
/// the last cell in one piece, so one cell at `A1` and one at `XFD1048576` in a 3 KB file
/// ask for 512 GiB, and the process aborts (found by `fuzz/`, target `responses_xlsx`).
/// calamine also overflows, and with overflow checks panics, on a reference of seven or
/// more letters or a dimension that ends before it starts; a panic inside the reader is
/// caught here and reported as a damaged workbook, never passed on.
fn read_cells<R: std::io::Read + std::io::Seek>(workbook: &mut Xlsx<R>, sheet: &str) -> Result<Cells, Problem> {
    let damaged = |e: calamine::XlsxError| Problem::Damaged(e.to_string());
    let read = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| -> Result<Cells, Problem> {
        let mut reader = workbook.worksheet_cells_reader(sheet).map_err(damaged)?;
        let mut cells = Vec::new();
        while let Some(cell) = reader.next_cell().map_err(damaged)? {
            let (row, column) = cell.get_position();
            let value = Data::from(cell.get_value().clone());
            if value == Data::Empty {
                continue;
            }
            if row > LAST_ROW || column > LAST_COLUMN {
                return Err(Problem::Damaged(format!(
                    "a cell is placed at row {} column {}, past Excel's last cell (XFD1048576); the file is \
                     damaged or was not written by a spreadsheet program",
                    u64::from(row) + 1,
                    u64::from(column) + 1
                )));
            }
            if cells.len() as u64 >= MAX_CELLS {
                return Err(Problem::TooLarge(format!(
                    "it has more than {MAX_CELLS} cells with values, more than pcplan reads; split the file"
                )));
            }
            cells.push((row, column, cell_text(&value)));
        }
        Ok(cells)
    }));
    let cells = read.unwrap_or_else(|_| {
        Err(Problem::Damaged(String::from(
            "the sheet could not be read: a cell reference or the sheet's dimension is out of range, so the file is \
             damaged; save it again from the spreadsheet program",
        )))
    })?;
    let (Some(first_row), Some(last_row), Some(last_column)) =
        (cells.iter().map(|c| c.0).min(), cells.iter().map(|c| c.0).max(), cells.iter().map(|c| c.1).max())
    else {
        return Ok(cells);
    };
    let area = (u64::from(last_row - first_row) + 1) * (u64::from(last_column) + 1);
    if area > MAX_CELLS {
        return Err(Problem::TooLarge(format!(
            "its values run from row {} to row {} and out to column {}: {area} cells with the empty ones between, \
             more than pcplan reads ({MAX_CELLS}); delete what lies outside the table, or copy the table alone to a \
             new sheet",
            first_row + 1,
            last_row + 1,
            last_column + 1
        )));
    }
    Ok(cells)
}

/// The values as rows from the first row with a value to the last, every row as wide as
/// the widest. Cells keep their spreadsheet column: a sheet whose data starts in column C
/// still has columns A and B, empty, so "column K" means what it says; rows keep their
/// spreadsheet number as their line.
fn lay_out(mut cells: Cells, progress: &mut dyn FnMut(Progress)) -> Vec<Row> {
    let (Some(first_row), Some(last_row), Some(last_column)) =
        (cells.iter().map(|c| c.0).min(), cells.iter().map(|c| c.0).max(), cells.iter().map(|c| c.1).max())
    else {
        progress(Progress { done: 0, total: 0, unit: ProgressUnit::Rows });
        return Vec::new();
    };
    let height = (last_row - first_row) as usize + 1;
    let width = last_column as usize + 1;
    let total = height as u64;
    // Bounded by read_cells: height * width <= MAX_CELLS.
    let mut rows: Vec<Row> =
        (0..height).map(|i| Row { line: first_row as usize + i + 1, cells: vec![String::new(); width] }).collect();
    cells.sort_by_key(|c| (c.0, c.1));
    let mut done = 0;
    for (row, column, text) in cells {
        let index = (row - first_row) as usize;
        rows[index].cells[column as usize] = text;
        while done < index {
            done += 1;
            if done.is_multiple_of(PROGRESS_EVERY) {
                progress(Progress { done: done as u64, total, unit: ProgressUnit::Rows });
            }
        }
    }
    progress(Progress { done: total, total, unit: ProgressUnit::Rows });
    rows
}

/// A cell's value as text.
fn cell_text(data: &Data) -> String {
    match data {
        Data::Empty => String::new(),
        Data::String(s) => s.replace("\r\n", "\n"),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => general_number(*f),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(dt) if dt.is_duration() => duration(dt.as_f64()),
        Data::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            if (h, mi, s) == (0, 0, 0) {
                format!("{y:04}-{mo:02}-{d:02}")
            } else {
                format!("{y:04}-{mo:02}-{d:02} {h:02}:{mi:02}:{s:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
}

/// A number as Excel's General format shows it: whole numbers without a decimal point,
/// others rounded to fifteen significant digits with trailing zeros removed (so
/// 0.1 + 0.2 reads `0.3`, not `0.30000000000000004`).
pub(crate) fn general_number(x: f64) -> String {
    if !x.is_finite() {
        return x.to_string();
    }
    if x.fract() == 0.0 && x.abs() < 1e15 {
        // Exact: the value is a whole number well inside i64.
        return format!("{}", x as i64);
    }
    let magnitude = x.abs().log10().floor() as i32;
    let decimals = 14 - magnitude;
    if !(0..=30).contains(&decimals) {
        return x.to_string();
    }
    let fixed = format!("{x:.0$}", decimals as usize);
    let trimmed = fixed.trim_end_matches('0').trim_end_matches('.');
    if trimmed == "-0" { "0".to_owned() } else { trimmed.to_owned() }
}

/// A duration in days as `h:mm:ss`, hours not wrapping at 24 (Excel's `[h]:mm:ss`).
fn duration(days: f64) -> String {
    let seconds = (days * 86_400.0).round() as i64;
    let sign = if seconds < 0 { "-" } else { "" };
    let seconds = seconds.abs();
    format!("{sign}{}:{:02}:{:02}", seconds / 3600, seconds / 60 % 60, seconds % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_read_as_excel_shows_them() {
        assert_eq!(general_number(2.0), "2");
        assert_eq!(general_number(-17.0), "-17");
        assert_eq!(general_number(0.1 + 0.2), "0.3");
        assert_eq!(general_number(1234.5678), "1234.5678");
        assert_eq!(general_number(0.000123), "0.000123");
    }

    #[test]
    fn durations_keep_hours_past_a_day() {
        assert_eq!(duration(1.5), "36:00:00");
        assert_eq!(duration(0.0006944444444444445), "0:01:00");
    }
}
