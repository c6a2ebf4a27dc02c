//! XLSX workbooks written in the test with rust_xlsxwriter: how each kind of cell reads
//! as text, which sheet is read, row numbers, and progress by rows.

use pcplan_import::{Progress, ProgressUnit, ReadOptions, Table, read};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook};

/// ID, submitted date, score, agrees, response.
type Answer = (f64, (u16, u8, u8), f64, bool, &'static str);

/// A workbook with a hidden first sheet and a "Responses" sheet of every kind of cell,
/// starting at row 2 and column B.
fn workbook() -> Vec<u8> {
    let mut book = Workbook::new();
    let hidden = book.add_worksheet();
    hidden.set_name("Lookups").expect("valid name");
    hidden.write_string(0, 0, "not this one").expect("write");
    hidden.set_hidden(true);

    let sheet = book.add_worksheet();
    sheet.set_name("Responses").expect("valid name");
    // Excel never hides the active sheet, and the first is active unless another is.
    sheet.set_active(true);
    let date = Format::new().set_num_format("dd/mm/yyyy");
    let stamp = Format::new().set_num_format("dd/mm/yyyy hh:mm");
    for (col, header) in ["ID", "Submitted", "Score", "Agrees", "Response", "Total"].iter().enumerate() {
        sheet.write_string(1, col as u16 + 1, *header).expect("write");
    }
    let rows: [Answer; 3] = [
        (1.0, (2024, 3, 1), 4.5, true, "More patrols,\nplease"),
        (2.0, (2024, 12, 31), 0.1 + 0.2, false, "=1+1 is what I typed"),
        (3.0, (2025, 1, 2), -17.0, true, "@everyone"),
    ];
    for (i, (id, (y, m, d), score, agrees, text)) in rows.iter().enumerate() {
        let row = i as u32 + 2;
        sheet.write_number(row, 1, *id).expect("write");
        let day = ExcelDateTime::from_ymd(*y, *m, *d).expect("valid date");
        sheet.write_datetime_with_format(row, 2, &day, &date).expect("write");
        sheet.write_number(row, 3, *score).expect("write");
        sheet.write_boolean(row, 4, *agrees).expect("write");
        sheet.write_string(row, 5, *text).expect("write");
        let formula = Formula::new(format!("=B{}*10", row + 1)).set_result(format!("{}", id * 10.0));
        sheet.write_formula(row, 6, formula).expect("write");
    }
    // A blank row, then a time stamp.
    let when = ExcelDateTime::from_ymd(2025, 6, 30).and_then(|d| d.and_hms(14, 5, 0)).expect("valid date and time");
    sheet.write_number(6, 1, 4.0).expect("write");
    sheet.write_datetime_with_format(6, 2, &when, &stamp).expect("write");
    sheet.write_string(6, 5, "Late one").expect("write");
    book.save_to_buffer().expect("the workbook saves")
}

fn read_book(options: &ReadOptions, progress: &mut dyn FnMut(Progress)) -> Table {
    read("responses.xlsx", &workbook(), options, progress).expect("the workbook reads")
}

#[test]
fn the_first_visible_sheet_is_read_with_spreadsheet_row_numbers() {
    let table = read_book(&ReadOptions::default(), &mut |_| {});
    assert_eq!(table.sheet.as_deref(), Some("Responses"));
    assert_eq!(table.header_line, 2);
    // Column A is empty but kept, so column letters keep their meaning.
    assert_eq!(table.headers, vec!["Column 1", "ID", "Submitted", "Score", "Agrees", "Response", "Total"]);
    let lines: Vec<usize> = table.rows.iter().map(|r| r.line).collect();
    assert_eq!(lines, vec![3, 4, 5, 7]);
    assert_eq!(table.skipped_blank_lines, 1);
}

#[test]
fn cells_read_as_the_text_a_person_sees() {
    let table = read_book(&ReadOptions::default(), &mut |_| {});
    let row = |i: usize| table.rows[i].cells[1..].to_vec();
    assert_eq!(row(0), vec!["1", "2024-03-01", "4.5", "TRUE", "More patrols,\nplease", "10"]);
    assert_eq!(row(1), vec!["2", "2024-12-31", "0.3", "FALSE", "=1+1 is what I typed", "20"]);
    assert_eq!(row(2), vec!["3", "2025-01-02", "-17", "TRUE", "@everyone", "30"]);
    assert_eq!(row(3)[..2], ["4", "2025-06-30 14:05:00"]);
}

#[test]
fn another_sheet_is_read_by_name_ignoring_case() {
    let options = ReadOptions { sheet: Some("lookups".to_owned()), header_row: Some(1), ..ReadOptions::default() };
    let table = read_book(&options, &mut |_| {});
    assert_eq!(table.sheet.as_deref(), Some("Lookups"));
    assert_eq!(table.headers, vec!["not this one"]);
    assert!(table.rows.is_empty());
}

#[test]
fn workbook_progress_counts_rows_up_to_the_total() {
    let mut reports = Vec::new();
    read_book(&ReadOptions::default(), &mut |p| reports.push(p));
    let last = reports.last().expect("a final report");
    // Rows 2 to 7 of the sheet.
    assert_eq!((last.done, last.total, last.unit), (6, 6, ProgressUnit::Rows));
}

fn hostile(name: &str) -> Result<Table, pcplan_import::ImportError> {
    let path = format!("{}/tests/data/hostile/{name}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).expect("the fixture is there");
    read(name, &bytes, &ReadOptions::default(), &mut |_| {})
}

#[test]
fn a_workbook_reaching_past_the_last_cell_is_refused_without_panic_or_allocation() {
    for (name, expected) in [
        // Eight letters overflow calamine's column arithmetic: with overflow checks it
        // panics inside calamine, and the reader reports the file as damaged.
        ("calamine-column-overflow.xlsx", "damaged"),
        ("far-column-allocation.xlsx", "past Excel's last cell"),
        ("calamine-dense-range.xlsx", "more than pcplan reads (5000000)"),
    ] {
        let error = hostile(name).expect_err(name).to_string();
        assert!(error.contains(expected), "{name}: {error}");
        assert!(error.contains(name), "the file is named: {error}");
    }
}

#[test]
fn a_dimension_that_ends_before_it_starts_is_ignored_or_refused_but_never_a_panic() {
    match hostile("calamine-reversed-dimension.xlsx") {
        Ok(table) => assert!(table.rows.len() <= 6, "{} rows", table.rows.len()),
        Err(error) => assert!(error.to_string().contains("damaged"), "{error}"),
    }
}

#[test]
fn a_sheet_wider_than_the_limit_with_few_values_is_refused_naming_its_extent() {
    let mut book = Workbook::new();
    let sheet = book.add_worksheet();
    sheet.write_string(0, 0, "ID").expect("write");
    // 400 rows out to column XFD: 6,553,600 cells with the empty ones between.
    sheet.write_string(399, 16_383, "far away").expect("write");
    let bytes = book.save_to_buffer().expect("save");
    let error = read("wide.xlsx", &bytes, &ReadOptions::default(), &mut |_| {}).expect_err("too wide").to_string();
    assert!(error.contains("from row 1 to row 400 and out to column 16384"), "{error}");
}
