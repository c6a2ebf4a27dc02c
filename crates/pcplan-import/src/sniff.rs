//! Deciding whether a file is CSV or XLSX before reading it.
//!
//! The bytes decide where they can (a zip archive is a workbook whatever it is called;
//! an OLE compound file is an old `.xls`), and the name only catches formats that are
//! zip archives too (`.ods`, `.numbers`) or that we refuse by name (`.xlsb`). It does not
//! open the workbook: that is the reader's job, and its errors say what is wrong inside.

use crate::ImportError;

/// The two formats this crate reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// Delimited text: comma, semicolon or tab separated, in any of the [`crate::Encoding`]s.
    Csv,
    /// An Office Open XML workbook (`.xlsx`, `.xlsm`).
    Xlsx,
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Says which reader a file needs, or why none can read it.
pub fn sniff(file_name: &str, bytes: &[u8]) -> Result<Format, ImportError> {
    let file = file_name.to_owned();
    if bytes.is_empty() {
        return Err(ImportError::Empty { file });
    }
    let extension = file_name.rsplit_once('.').map(|(_, ext)| ext.to_ascii_lowercase()).unwrap_or_default();
    let unsupported = match extension.as_str() {
        "xls" => Some("an Excel 97-2003 workbook (.xls)"),
        "xlsb" => Some("an Excel binary workbook (.xlsb)"),
        "ods" => Some("an OpenDocument spreadsheet (.ods)"),
        "numbers" => Some("an Apple Numbers spreadsheet"),
        _ => None,
    };
    if let Some(what) = unsupported {
        return Err(ImportError::UnsupportedSpreadsheet { file, what: what.to_owned() });
    }
    if bytes.starts_with(ZIP_MAGIC) {
        return Ok(Format::Xlsx);
    }
    if bytes.starts_with(OLE_MAGIC) {
        // An .xls saved under another name (exports named `.csv` that are really
        // Excel 97 files are common).
        return Err(ImportError::UnsupportedSpreadsheet { file, what: "an Excel 97-2003 workbook (.xls)".to_owned() });
    }
    if bytes.starts_with(b"%PDF") {
        return Err(ImportError::NotTabular { file, what: "a PDF document".to_owned() });
    }
    let utf16 = bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF");
    // Text never holds NUL bytes except as UTF-16, which is only recognised with its mark.
    if !utf16 && bytes.iter().take(8192).any(|&b| b == 0) {
        return Err(ImportError::NotTabular { file, what: "binary data".to_owned() });
    }
    Ok(Format::Csv)
}
