//! What police.uk files look like: their headers, where the columns are, and the checks
//! on a row's shape and cells that every reader applies.
//!
//! Columns are found by header name, in any case and order, so a file with a column
//! added or moved still reads; a column the reader needs and cannot find skips the file
//! with the expected header in the message.

use crate::csv::Record;
use crate::report::FileKind;

/// The header's column names, trimmed.
pub(crate) fn header_names(header: &Record<'_>) -> Vec<String> {
    (0..header.len()).map(|i| String::from_utf8_lossy(header.get(i)).trim().to_owned()).collect()
}

/// The street file header, for messages.
pub(crate) const STREET_HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Crime type,Last outcome category,Context";
/// The outcomes file header, for messages.
pub(crate) const OUTCOMES_HEADER: &str =
    "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,Outcome type";

pub(crate) fn classify(names: &[String]) -> (FileKind, Option<String>) {
    let has = |n: &str| names.iter().any(|h| h.eq_ignore_ascii_case(n));
    if has("Crime type") && has("Last outcome category") {
        (FileKind::Street, None)
    } else if has("Outcome type") {
        (FileKind::Outcomes, None)
    } else if has("Object of search") || has("Outcome linked to object of search") {
        (FileKind::StopAndSearch, Some("a stop-and-search file: it records searches, not crimes".into()))
    } else {
        let why = format!(
            "not a police.uk street or outcomes file; its header is `{}`, expected `{STREET_HEADER}` or `{OUTCOMES_HEADER}`",
            names.join(",")
        );
        (FileKind::Unknown, Some(why))
    }
}

/// Column positions in a street or outcomes file.
pub(crate) struct Columns {
    pub width: usize,
    pub crime_id: Option<usize>,
    pub month: usize,
    pub force: usize,
    pub lsoa_code: usize,
    pub lsoa_name: usize,
    pub crime_type: usize,
    pub outcome: usize,
}

impl Columns {
    /// Street: every column but `Crime ID` is needed; outcomes: `Crime ID`, `Month` and
    /// `Outcome type` (the LSOA and crime type columns are not used and may be absent).
    pub fn find(names: &[String], kind: FileKind) -> Result<Columns, String> {
        let pos = |n: &str| names.iter().position(|h| h.eq_ignore_ascii_case(n));
        let (header, outcome_name) = match kind {
            FileKind::Outcomes => (OUTCOMES_HEADER, "Outcome type"),
            _ => (STREET_HEADER, "Last outcome category"),
        };
        let need = |n: &str| {
            pos(n).ok_or_else(|| format!("the header has no `{n}` column; a police.uk file's header is `{header}`"))
        };
        let street = kind == FileKind::Street;
        let for_street = |n: &str| if street { need(n) } else { Ok(pos(n).unwrap_or(usize::MAX)) };
        Ok(Columns {
            width: names.len(),
            crime_id: if street { pos("Crime ID") } else { Some(need("Crime ID")?) },
            month: need("Month")?,
            force: for_street("Falls within")?,
            lsoa_code: for_street("LSOA code")?,
            lsoa_name: for_street("LSOA name")?,
            crime_type: for_street("Crime type")?,
            outcome: need(outcome_name)?,
        })
    }
}

/// `YYYY-MM` with a month from 01 to 12, as a number `YYYYMM` for ordering.
pub(crate) fn month_number(cell: &[u8]) -> Option<u32> {
    let [y1, y2, y3, y4, b'-', m1, m2] = *cell else {
        return None;
    };
    let digits = [y1, y2, y3, y4, m1, m2];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let value = digits.iter().fold(0u32, |acc, d| acc * 10 + u32::from(d - b'0'));
    (1..=12).contains(&(value % 100)).then_some(value)
}

pub(crate) fn month_reason(cell: &[u8]) -> String {
    format!("`Month` is `{}`; expected a month written YYYY-MM, like 2021-10", String::from_utf8_lossy(cell))
}

/// The 32 bytes of police.uk's 64-character hexadecimal `Crime ID`.
pub(crate) fn crime_key(cell: &[u8]) -> Option<[u8; 32]> {
    if cell.len() != 64 {
        return None;
    }
    let nibble = |b: u8| match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    };
    let mut key = [0u8; 32];
    for (i, pair) in cell.chunks_exact(2).enumerate() {
        key[i] = (nibble(pair[0])? << 4) | nibble(pair[1])?;
    }
    Some(key)
}

pub(crate) fn check_shape(record: &Record<'_>, width: usize) -> Result<(), String> {
    if record.unclosed_quote {
        return Err("a quoted cell opens on this line and is never closed, so the rest of the file is lost; \
             close the quote or remove it"
            .into());
    }
    if record.len() != width {
        return Err(format!("expected {width} cells as in the header, found {}", record.len()));
    }
    Ok(())
}

pub(crate) fn not_text(column: &str) -> String {
    format!("`{column}` is not UTF-8 text; save the file as UTF-8")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_are_yyyy_mm_with_a_real_month() {
        assert_eq!(month_number(b"2021-10"), Some(202110));
        for bad in [&b"2021-13"[..], b"2021-00", b"21-10", b"2021/10", b"2021-1", b"2021-10-01", b""] {
            assert_eq!(month_number(bad), None, "{}", String::from_utf8_lossy(bad));
        }
    }

    #[test]
    fn crime_ids_are_64_hex_digits() {
        let id = b"53966e3955fc3fcaa627535327719312178e24060e541bdd4b843a5c408a22ed";
        assert_eq!(crime_key(id).map(|k| k[0]), Some(0x53));
        assert_eq!(crime_key(&id[..63]), None);
        assert_eq!(crime_key(b"zz966e3955fc3fcaa627535327719312178e24060e541bdd4b843a5c408a22ed"), None);
    }

    #[test]
    fn headers_tell_street_outcomes_and_searches_apart() {
        let names = |h: &str| h.split(',').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(classify(&names(STREET_HEADER)).0, FileKind::Street);
        assert_eq!(classify(&names(OUTCOMES_HEADER)).0, FileKind::Outcomes);
        let searches = "Type,Date,Part of a policing operation,Latitude,Longitude,Object of search,Outcome";
        assert_eq!(classify(&names(searches)).0, FileKind::StopAndSearch);
        let (kind, why) = classify(&names("Name,Address"));
        assert_eq!(kind, FileKind::Unknown);
        assert!(why.is_some_and(|w| w.contains("Name,Address")));
    }
}
