//! The consultation response import on an XLSX upload: the same steps as
//! `responses_csv` (`pcplan_fuzz::import_responses`), on workbooks.
//!
//! An input is one of two things:
//! - a whole workbook, when it starts with the zip signature: the bytes as uploaded,
//!   so that the fuzzer mutates the archive itself;
//! - otherwise the XML of one sheet, then optionally the shared strings and the styles,
//!   separated by lines holding only `--8<--`. These are wrapped into a workbook with a
//!   fixed package around them (content types, relationships, a workbook naming the
//!   sheets `Sheet1` and `Responses`) before the import reads it. Mutating a zip archive
//!   mostly breaks its checksums, so the sheet parser would rarely be reached without
//!   this; wrapped inputs reach calamine's cell, string, number and date handling.
//!
//! Known findings (`fuzz/found/responses_xlsx/README.md`): cell references far from A1
//! made calamine or pcplan-import ask for more memory than any machine has; fixed, as
//! pcplan-import now reads a sheet cell by cell and refuses one past Excel's last cell or
//! over its cell limit, and those inputs are read like any other. Still inside calamine:
//! a column of seven letters or more, a row of ten digits or more, or a range that ends
//! before it starts overflows its `u32` arithmetic. pcplan survives it (a release build
//! wraps and the limits refuse the result; a build with overflow checks panics inside
//! calamine and pcplan-import catches the panic and reports a damaged workbook), but
//! libFuzzer's panic hook aborts on any panic, caught or not. So `run.sh` sets
//! `PCPLAN_FUZZ_SKIP_KNOWN=1` and this target then skips inputs holding such a
//! reference, so that a long run looks past them; without the variable every input is
//! read, and the saved inputs reproduce the overflow.

#![no_main]

use std::io::{Cursor, Write};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use zip::write::SimpleFileOptions;
use zip::{CompressionMethod, ZipWriter};

const CONTENT_TYPES: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">"#,
    r#"<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>"#,
    r#"<Default Extension="xml" ContentType="application/xml"/>"#,
    r#"<Override PartName="/xl/workbook.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet1.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"<Override PartName="/xl/worksheets/sheet2.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>"#,
    r#"<Override PartName="/xl/sharedStrings.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>"#,
    r#"<Override PartName="/xl/styles.xml" "#,
    r#"ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>"#,
    r#"</Types>"#,
);

const PACKAGE_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" "#,
    r#"Target="xl/workbook.xml"/>"#,
    r#"</Relationships>"#,
);

const WORKBOOK: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" "#,
    r#"xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">"#,
    r#"<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/>"#,
    r#"<sheet name="Responses" sheetId="2" r:id="rId2"/></sheets></workbook>"#,
);

const WORKBOOK_RELS: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    r#"<Relationship Id="rId1" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#,
    r#"Target="worksheets/sheet1.xml"/>"#,
    r#"<Relationship Id="rId2" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" "#,
    r#"Target="worksheets/sheet2.xml"/>"#,
    r#"<Relationship Id="rId3" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" "#,
    r#"Target="sharedStrings.xml"/>"#,
    r#"<Relationship Id="rId4" "#,
    r#"Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" "#,
    r#"Target="styles.xml"/>"#,
    r#"</Relationships>"#,
);

/// The second sheet: one header and one row, so that naming a sheet finds something.
const SECOND_SHEET: &str = concat!(
    r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>"#,
    r#"<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#,
    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>Response</t></is></c></row>"#,
    r#"<row r="2"><c r="A2" t="inlineStr"><is><t>More patrols</t></is></c></row>"#,
    r#"</sheetData></worksheet>"#,
);

/// Whether known findings are skipped (`PCPLAN_FUZZ_SKIP_KNOWN` set and not `0`).
fn skip_known() -> bool {
    static SKIP: OnceLock<bool> = OnceLock::new();
    *SKIP.get_or_init(|| std::env::var_os("PCPLAN_FUZZ_SKIP_KNOWN").is_some_and(|v| v != "0"))
}

/// A cell reference (`AB12`: 1-based column and row), or a row's own number (`12`,
/// counted in column 1); `None` for other text. Seven letters or ten digits overflow in
/// calamine, whatever follows them: such a reference is given the position `u64::MAX`.
fn cell_reference(text: &[u8]) -> Option<(u64, u64)> {
    let letters = text.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    let digits = text[letters..].iter().take_while(|b| b.is_ascii_digit()).count();
    if letters >= 7 || digits >= 10 {
        return Some((u64::MAX, u64::MAX));
    }
    if digits == 0 || letters + digits != text.len() {
        return None;
    }
    let (column, row) = text.split_at(letters);
    let column = column.iter().fold(0, |n, b| n * 26 + u64::from(b.to_ascii_uppercase() - b'A' + 1));
    let row = row.iter().fold(0, |n, b| n * 10 + u64::from(b - b'0'));
    Some((column.max(1), row))
}

/// Whether the cell references in `data` (the values of `r` and `ref` attributes, in
/// any XML part that is stored rather than compressed) overflow inside calamine.
fn reaches_known_finding(data: &[u8]) -> bool {
    let mut rest = data;
    while let Some(at) = rest.windows(2).position(|w| w == b"r=" || w == b"f=") {
        rest = &rest[at + 2..];
        let Some((&quote, value)) = rest.split_first() else { break };
        if quote != b'"' && quote != b'\'' {
            continue;
        }
        let end = value.iter().position(|&b| b == quote).unwrap_or(value.len());
        let mut previous: Option<(u64, u64)> = None;
        for part in value[..end].split(|&b| b == b':') {
            if let Some((column, row)) = cell_reference(part) {
                // A range that ends before it starts (`I1:C6`) overflows in calamine too.
                let reversed = previous.is_some_and(|(c, r)| column < c || row < r);
                if column == u64::MAX || reversed {
                    return true;
                }
                previous = Some((column, row));
            }
        }
    }
    false
}

/// Splits `data` at lines that are exactly `--8<--`.
fn parts(data: &[u8]) -> Vec<&[u8]> {
    let mut parts = Vec::new();
    let mut start = 0;
    let mut line_start = 0;
    for (i, &byte) in data.iter().enumerate() {
        if byte == b'\n' {
            if &data[line_start..i] == b"--8<--" {
                parts.push(&data[start..line_start]);
                start = i + 1;
            }
            line_start = i + 1;
        }
    }
    parts.push(&data[start..]);
    parts
}

/// A workbook around the given sheet, shared strings and styles (each left out when
/// absent, as a workbook without shared strings or styles is valid).
fn wrap(data: &[u8]) -> Option<Vec<u8>> {
    let parts = parts(data);
    let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(CompressionMethod::Stored);
    let fixed: [(&str, &[u8]); 5] = [
        ("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        ("_rels/.rels", PACKAGE_RELS.as_bytes()),
        ("xl/workbook.xml", WORKBOOK.as_bytes()),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS.as_bytes()),
        ("xl/worksheets/sheet2.xml", SECOND_SHEET.as_bytes()),
    ];
    let given = ["xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml"].into_iter().zip(parts);
    for (name, bytes) in fixed.into_iter().chain(given) {
        zip.start_file(name, options).ok()?;
        zip.write_all(bytes).ok()?;
    }
    Some(zip.finish().ok()?.into_inner())
}

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT || (skip_known() && reaches_known_finding(data)) {
        return;
    }
    if data.starts_with(b"PK\x03\x04") {
        pcplan_fuzz::import_responses("responses.xlsx", data);
    } else if let Some(workbook) = wrap(data) {
        pcplan_fuzz::import_responses("responses.xlsx", &workbook);
    }
});
