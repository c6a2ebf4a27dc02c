//! CSV and other delimited text: encodings, delimiters, quoted cells over several
//! lines, line numbers, bad rows, errors, and a large file with its progress reports.

use pcplan_import::{
    Encoding, Format, ImportError, Limits, Progress, ProgressUnit, ReadOptions, Table, Target, apply, decode, read,
    sniff,
};

const TARGETS: &[Target] = &[
    Target { key: "id", label: "ID", required: false, free_text: false, synonyms: &["respondent id"] },
    Target { key: "name", label: "Name", required: false, free_text: false, synonyms: &[] },
    Target { key: "response", label: "Response", required: true, free_text: true, synonyms: &[] },
];

fn read_csv(text: &[u8]) -> Table {
    read("responses.csv", text, &ReadOptions::default(), &mut |_| {}).expect("the text reads as a table")
}

fn mapped(text: &[u8]) -> pcplan_import::Mapped {
    let table = read_csv(text);
    let mapping = pcplan_import::suggest_mapping(&table, TARGETS);
    apply(&table, &mapping, TARGETS, &Limits::default()).expect("the mapping is valid")
}

#[test]
fn utf8_with_a_byte_order_mark_loses_the_mark() {
    let table = read_csv(b"\xEF\xBB\xBFID,Response\n1,Caf\xC3\xA9 hours\n");
    assert_eq!(table.encoding, Some(Encoding::Utf8Bom));
    assert_eq!(table.headers, vec!["ID", "Response"]);
    assert_eq!(table.rows[0].cells[1], "Café hours");
}

#[test]
fn windows_1252_is_read_when_the_bytes_are_not_utf8() {
    // "Café", and 0x92 (a right single quotation mark) as Excel writes "it's".
    let table = read_csv(b"ID,Response\r\n1,Caf\xE9 \x93late\x94 it\x92s shut\r\n");
    assert_eq!(table.encoding, Some(Encoding::Windows1252));
    assert_eq!(table.rows[0].cells[1], "Café \u{201C}late\u{201D} it\u{2019}s shut");
}

#[test]
fn utf16_in_either_byte_order_is_read_by_its_mark() {
    let text = "ID\tResponse\n1\tnaïve — but fair\n";
    let mut le = vec![0xFF, 0xFE];
    le.extend(text.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(text.encode_utf16().flat_map(u16::to_be_bytes));
    for (bytes, encoding) in [(le, Encoding::Utf16Le), (be, Encoding::Utf16Be)] {
        let table = read_csv(&bytes);
        assert_eq!(table.encoding, Some(encoding));
        assert_eq!(table.headers, vec!["ID", "Response"]);
        assert_eq!(table.rows[0].cells[1], "naïve — but fair");
    }
}

#[test]
fn plain_ascii_decodes_as_utf8() {
    assert_eq!(decode(b"a,b"), ("a,b".to_owned(), Encoding::Utf8));
}

#[test]
fn semicolons_and_tabs_are_recognised_as_delimiters() {
    let table = read_csv(b"ID;Response\n1;\"Yes, but slowly\"\n2;No\n");
    assert_eq!(table.headers, vec!["ID", "Response"]);
    assert_eq!(table.rows[0].cells, vec!["1", "Yes, but slowly"]);
    let table = read_csv(b"ID\tResponse\n1\tYes, but slowly\n");
    assert_eq!(table.rows[0].cells, vec!["1", "Yes, but slowly"]);
}

#[test]
fn quoted_cells_keep_their_line_breaks_and_the_next_row_has_its_physical_line() {
    let text =
        b"ID,Response\r\n1,\"First line\r\nsecond line\r\n\r\nfourth line\"\r\n2,Next\r\n\r\n3,After a blank\r\n";
    let table = read_csv(text);
    assert_eq!(table.rows[0].line, 2);
    // Line breaks inside the cell are kept, written as \n whatever the file used.
    assert_eq!(table.rows[0].cells[1], "First line\nsecond line\n\nfourth line");
    assert_eq!(table.rows[1].line, 6);
    assert_eq!(table.rows[2].line, 8);
    assert_eq!(table.skipped_blank_lines, 1);
}

#[test]
fn rows_of_the_wrong_width_or_missing_required_values_are_reported_by_line() {
    let text = b"ID,Name,Response\n\
        1,Ann,Fine\n\
        2,Bob,\"one, two\",extra\n\
        3,Cy,\n\
        4,Di,\"multi\nline\"\n\
        5,Ed\n\
        6,Flo,ok,,\n";
    let mapped = mapped(text);
    let bad: Vec<String> = mapped.bad.iter().map(ToString::to_string).collect();
    assert_eq!(
        bad,
        vec![
            "line 3: 4 cells but the header has 3; check for an unquoted comma or a missing closing quote",
            "line 4: column `Response` is empty, and it is required",
            "line 7: 2 cells but the header has 3; check for a line break inside a cell that is not in quotes",
        ]
    );
    // Trailing empty cells (line 8) are only trailing delimiters.
    let good: Vec<usize> = mapped.good.iter().map(|r| r.line).collect();
    assert_eq!(good, vec![2, 5, 8]);
    assert!(mapped.clone().into_all().is_err(), "an import with bad rows is not whole");
    assert_eq!(mapped.into_good().len(), 3);
}

#[test]
fn a_value_over_the_limit_is_a_bad_row_with_its_length() {
    let long = "x".repeat(64_213);
    let text = format!("ID,Response\n1,{long}\n2,short\n");
    let mapped = mapped(text.as_bytes());
    assert_eq!(mapped.bad.len(), 1);
    assert_eq!(mapped.bad[0].to_string(), "line 2: `Response` is 64,213 characters; the limit is 20,000");
    assert_eq!(mapped.good.len(), 1);
}

#[test]
fn a_quote_never_closed_is_reported_on_the_line_where_it_opens() {
    let text = b"ID,Response\n1,fine\n2,\"never closed\n3,swallowed\n4,swallowed too\n";
    let mapped = mapped(text);
    assert_eq!(mapped.good.len(), 1);
    assert_eq!(mapped.bad.len(), 1);
    assert_eq!(mapped.bad[0].line, 3);
    assert!(mapped.bad[0].reason.contains("never closed"), "{}", mapped.bad[0].reason);
}

#[test]
fn formula_looking_cells_stay_text() {
    let table = read_csv(b"ID,Response\n1,=SUM(A1:A3)\n2,\"=HYPERLINK(\"\"http://x\"\")\"\n3,+44 121 000\n4,@cmd\n");
    let cells: Vec<&str> = table.rows.iter().map(|r| r.cells[1].as_str()).collect();
    assert_eq!(cells, vec!["=SUM(A1:A3)", "=HYPERLINK(\"http://x\")", "+44 121 000", "@cmd"]);
}

#[test]
fn a_given_header_row_is_used_and_a_missing_one_is_an_error() {
    let text = b"Export of 3 June\nID,Response\n1,Yes\n";
    let options = ReadOptions { header_row: Some(2), ..ReadOptions::default() };
    let table = read("r.csv", text, &options, &mut |_| {}).expect("reads");
    assert_eq!(table.headers, vec!["ID", "Response"]);

    let options = ReadOptions { header_row: Some(9), ..ReadOptions::default() };
    let error = read("r.csv", text, &options, &mut |_| {}).expect_err("line 9 does not exist");
    assert_eq!(error, ImportError::HeaderRowMissing { file: "r.csv".to_owned(), line: 9, last: 3 });
}

#[test]
fn a_file_of_numbers_only_has_no_header_row() {
    let error = read("n.csv", b"1,2\n3,4\n", &ReadOptions::default(), &mut |_| {}).expect_err("no header");
    assert!(matches!(error, ImportError::NoHeader { .. }));
    assert!(error.to_string().contains("say which line holds the column names"), "{error}");
}

#[test]
fn empty_files_and_other_formats_are_refused_with_what_to_do() {
    let refuse =
        |name: &str, bytes: &[u8]| read(name, bytes, &ReadOptions::default(), &mut |_| {}).expect_err("refused");
    assert!(matches!(refuse("a.csv", b""), ImportError::Empty { .. }));
    assert!(matches!(refuse("a.csv", b"\xEF\xBB\xBF\r\n\r\n"), ImportError::Empty { .. }));
    let xls = refuse("a.xls", b"anything");
    assert!(xls.to_string().contains("save it as CSV (UTF-8) or XLSX"), "{xls}");
    let disguised = refuse("a.csv", b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1rest");
    assert!(matches!(disguised, ImportError::UnsupportedSpreadsheet { .. }));
    assert!(matches!(refuse("a.ods", b"PK\x03\x04"), ImportError::UnsupportedSpreadsheet { .. }));
    assert!(matches!(refuse("a.csv", b"%PDF-1.7"), ImportError::NotTabular { .. }));
    assert!(matches!(refuse("a.csv", b"ID,x\0\0\x01"), ImportError::NotTabular { .. }));
    assert!(matches!(refuse("a.xlsx", b"PK\x03\x04 not really a zip"), ImportError::Workbook { .. }));
    assert_eq!(sniff("a.txt", b"ID,Response"), Ok(Format::Csv));
    assert_eq!(sniff("export.csv", b"PK\x03\x04"), Ok(Format::Xlsx));
}

#[test]
fn reading_the_same_file_again_gives_the_same_fingerprints() {
    let text = b"ID,Response\n1,Yes\n2,No\n3,Yes\n";
    let first = mapped(text);
    let again = mapped(text);
    let prints = |m: &pcplan_import::Mapped| m.good.iter().map(|r| r.fingerprint.clone()).collect::<Vec<_>>();
    assert_eq!(prints(&first), prints(&again));
    assert_eq!(first.good[0].fingerprint.len(), 64);
    // The same file with Windows line endings is the same data.
    let crlf = mapped(b"ID,Response\r\n1,Yes\r\n2,No\r\n3,Yes\r\n");
    assert_eq!(prints(&first), prints(&crlf));
    // Two identical rows stay two rows.
    let twice = mapped(b"Response\nYes\nYes\n");
    assert_ne!(twice.good[0].fingerprint, twice.good[1].fingerprint);
}

#[test]
fn a_hundred_thousand_rows_are_read_and_mapped_with_progress_that_never_goes_back() {
    let mut text = String::from("Respondent ID,Name,Response\n");
    let mut expected_last_line = 2;
    for i in 1..=100_000 {
        if i % 1000 == 0 {
            // Every thousandth answer runs over three lines.
            text.push_str(&format!("{i},Person {i},\"Line one, with a comma\nline two \"\"quoted\"\"\nline three\"\n"));
            expected_last_line += 3;
        } else {
            text.push_str(&format!("{i},Person {i},More patrols near the school at home time please {i}\n"));
            expected_last_line += 1;
        }
    }
    expected_last_line -= if 100_000 % 1000 == 0 { 3 } else { 1 };
    let mut reports: Vec<Progress> = Vec::new();
    let table = read("big.csv", text.as_bytes(), &ReadOptions::default(), &mut |p| reports.push(p))
        .expect("the large file reads");
    assert_eq!(table.rows.len(), 100_000);
    assert_eq!(table.rows.last().map(|r| r.line), Some(expected_last_line));

    assert!(reports.len() > 10, "only {} progress reports", reports.len());
    assert!(reports.windows(2).all(|w| w[0].done <= w[1].done), "progress went backwards");
    let last = reports.last().expect("at least one report");
    assert_eq!((last.done, last.total, last.unit), (text.len() as u64, text.len() as u64, ProgressUnit::Bytes));

    let mapping = pcplan_import::suggest_mapping(&table, TARGETS);
    let mapped = apply(&table, &mapping, TARGETS, &Limits::default()).expect("valid mapping");
    assert_eq!(mapped.good.len(), 100_000);
    assert!(mapped.bad.is_empty());
    assert_eq!(mapped.good[999].values["response"], "Line one, with a comma\nline two \"quoted\"\nline three");
}
