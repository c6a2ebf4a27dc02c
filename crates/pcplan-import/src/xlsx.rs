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
    let range = workbook.worksheet_range(&sheet).map_err(|e| workbook_error(format!("sheet `{sheet}`: {e}")))?;
    let (first_row, first_column) = range.start().unwrap_or((0, 0));
    let total = range.height() as u64;
    let mut rows = Vec::with_capacity(range.height());
    for (i, cells) in range.rows().enumerate() {
        // Cells keep their spreadsheet column: a sheet whose data starts in column C
        // still has columns A and B, empty, so "column K" means what it says.
        let mut texts = vec![String::new(); first_column as usize];
        texts.extend(cells.iter().map(cell_text));
        rows.push(Row { line: first_row as usize + i + 1, cells: texts });
        if (i + 1).is_multiple_of(PROGRESS_EVERY) {
            progress(Progress { done: (i + 1) as u64, total, unit: ProgressUnit::Rows });
        }
    }
    progress(Progress { done: total, total, unit: ProgressUnit::Rows });
    Ok(Records { rows, encoding: None, sheet: Some(sheet), unclosed_quote_line: None })
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
