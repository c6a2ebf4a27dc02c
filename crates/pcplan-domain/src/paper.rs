//! Papers for a meeting: what an uploaded file may be, its record, and whether it was
//! published in time.
//!
//! A paper is a PDF, a Word document (DOCX) or an HTML page. The type is decided by the
//! bytes, never by the file name or the browser's claim: a PDF starts with `%PDF-`, a
//! DOCX is a ZIP archive whose central directory names `[Content_Types].xml` and
//! `word/document.xml` (read here by hand, a few dozen lines, rather than through a ZIP
//! crate that would also decompress), and HTML is UTF-8 text that starts with
//! `<!DOCTYPE` or `<html`. Anything else is refused, naming the file and what was found.
//!
//! The clear-days check of a paper is the meeting's own
//! ([`Meeting::check_publication`]), so a paper and the meeting's papers are always
//! counted the same way; a paper for a late urgent item is shown as such, not as late.
//! Papers are kept at least six years (LGA 1972 s.100C and s.100D): there is no
//! deletion, only a withdrawal with a reason, which hides a paper from the public and
//! keeps its bytes.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::calendar::{Calendar, CalendarError};
use crate::clock::PapersCheck;
use crate::ids::{MeetingId, PaperId};
use crate::meeting::Meeting;

/// The size limit for one paper when no setting says otherwise: 20 MiB.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// How long published papers stay available, in years (LGA 1972 s.100C(1)).
pub const RETENTION_YEARS: u32 = 6;

/// The file types a paper may have.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PaperKind {
    Pdf,
    Docx,
    Html,
}

impl PaperKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PaperKind::Pdf => "pdf",
            PaperKind::Docx => "docx",
            PaperKind::Html => "html",
        }
    }

    pub fn parse(name: &str) -> Option<PaperKind> {
        [PaperKind::Pdf, PaperKind::Docx, PaperKind::Html].into_iter().find(|k| k.as_str() == name)
    }

    /// The type for people: `PDF`, `Word document`, `HTML`.
    pub fn label(&self) -> &'static str {
        match self {
            PaperKind::Pdf => "PDF",
            PaperKind::Docx => "Word document",
            PaperKind::Html => "HTML",
        }
    }

    /// The media type a download is served with.
    pub fn content_type(&self) -> &'static str {
        match self {
            PaperKind::Pdf => "application/pdf",
            PaperKind::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            PaperKind::Html => "text/html; charset=utf-8",
        }
    }
}

/// Why an uploaded file was refused. Each message names the file.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum FileRefusal {
    #[error("{file} is empty; choose the file again")]
    Empty { file: String },
    #[error("{file} is {} but a paper can be at most {}", size_label(*.size as u64), size_label(*.limit as u64))]
    TooLarge { file: String, size: usize, limit: usize },
    #[error("{file} is not a PDF, Word document (DOCX) or HTML page: it is {found}")]
    NotAllowed { file: String, found: String },
}

/// A size for people: `812 bytes`, `14.2 KB`, `3.1 MB` (powers of 1024, as operating
/// systems show file sizes).
pub fn size_label(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if b < KIB {
        format!("{bytes} bytes")
    } else if b < KIB * KIB {
        format!("{:.1} KB", b / KIB)
    } else {
        format!("{:.1} MB", b / (KIB * KIB))
    }
}

/// The SHA-256 of a paper's bytes, lower-case hex: stored, audited and sent as the ETag.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Decides what an uploaded file is from its bytes, refusing anything that is not a
/// PDF, a DOCX or an HTML page, or is empty, or is over `limit` bytes.
pub fn check_file(file_name: &str, bytes: &[u8], limit: usize) -> Result<PaperKind, FileRefusal> {
    let file = display_name(file_name);
    if bytes.is_empty() {
        return Err(FileRefusal::Empty { file });
    }
    if bytes.len() > limit {
        return Err(FileRefusal::TooLarge { file, size: bytes.len(), limit });
    }
    if bytes.starts_with(b"%PDF-") {
        return Ok(PaperKind::Pdf);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let names = zip_names(bytes);
        return match names {
            Some(names)
                if names.iter().any(|n| n == "[Content_Types].xml")
                    && names.iter().any(|n| n == "word/document.xml") =>
            {
                Ok(PaperKind::Docx)
            }
            Some(names) if names.iter().any(|n| n.starts_with("xl/")) => {
                Err(FileRefusal::NotAllowed { file, found: String::from("an Excel workbook (XLSX)") })
            }
            Some(names) if names.iter().any(|n| n.starts_with("ppt/")) => {
                Err(FileRefusal::NotAllowed { file, found: String::from("a PowerPoint presentation (PPTX)") })
            }
            Some(_) => Err(FileRefusal::NotAllowed {
                file,
                found: String::from("a ZIP archive without word/document.xml, so not a Word document"),
            }),
            None => Err(FileRefusal::NotAllowed { file, found: String::from("a damaged ZIP archive") }),
        };
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        let start = text.trim_start_matches('\u{feff}').trim_start();
        let head: String = start.chars().take(15).collect::<String>().to_ascii_lowercase();
        if head.starts_with("<!doctype") || head.starts_with("<html") {
            return Ok(PaperKind::Html);
        }
    }
    Err(FileRefusal::NotAllowed { file, found: describe(bytes) })
}

/// The file name as messages show it: its last path part (old browsers send a full
/// path), or `the file` when none was given.
fn display_name(file_name: &str) -> String {
    let name = file_name.rsplit(['/', '\\']).next().unwrap_or("").trim();
    if name.is_empty() { String::from("the file") } else { name.to_string() }
}

/// What a refused file looks like, for the refusal message.
fn describe(bytes: &[u8]) -> String {
    const MAGIC: &[(&[u8], &str)] = &[
        (b"\x89PNG", "a PNG image"),
        (b"\xff\xd8\xff", "a JPEG image"),
        (b"GIF8", "a GIF image"),
        (b"\xd0\xcf\x11\xe0", "an old Office document (DOC or XLS): save it as DOCX or PDF"),
        (b"{\\rtf", "a rich text (RTF) document: save it as DOCX or PDF"),
        (b"MZ", "a Windows program"),
        (b"\x1f\x8b", "a gzip archive"),
    ];
    if let Some((_, what)) = MAGIC.iter().find(|(magic, _)| bytes.starts_with(magic)) {
        return (*what).to_string();
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let start: String = text.trim_start().chars().take(20).filter(|c| !c.is_control()).collect();
            format!("text starting `{start}`, not an HTML page")
        }
        Err(_) => {
            let head: Vec<String> = bytes.iter().take(8).map(|b| format!("{b:02X}")).collect();
            format!("binary data starting {}", head.join(" "))
        }
    }
}

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 2)?;
    Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at + 4)?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
}

/// The names in a ZIP archive's central directory (APPNOTE.TXT 4.3.12 and 4.3.16), or
/// `None` when the archive is damaged. The end record is found by searching back from
/// the end over at most the 64 KiB a comment may take; ZIP64 archives (over 4 GiB, far
/// above any paper's limit) are read as damaged.
fn zip_names(bytes: &[u8]) -> Option<Vec<String>> {
    const END: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?).rev().find(|&i| bytes[i..i + 4] == END)?;
    let count = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;
    let mut names = Vec::with_capacity(count);
    for _ in 0..count {
        if bytes.get(at..at + 4)? != ENTRY {
            return None;
        }
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// A withdrawn paper: hidden from the public, its bytes kept.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub reason: String,
    pub at: DateTime<Utc>,
    pub by: String,
}

/// A paper's record: everything but its bytes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Paper {
    pub id: PaperId,
    pub meeting_id: MeetingId,
    pub title: String,
    /// The number of the agenda item it belongs to, if any.
    #[serde(default)]
    pub agenda_item: Option<String>,
    /// The name of the uploaded file, last path part only.
    pub file_name: String,
    pub kind: PaperKind,
    pub size_bytes: u64,
    pub sha256: String,
    pub uploaded_by: String,
    pub uploaded_at: DateTime<Utc>,
    /// When staff published it, and the date that counts for the clear-days check (the
    /// local date of publication, or a past date staff recorded).
    #[serde(default)]
    pub published_at: Option<DateTime<Utc>>,
    #[serde(default)]
    pub published_on: Option<NaiveDate>,
    #[serde(default)]
    pub withdrawn: Option<Withdrawal>,
}

impl Paper {
    /// Published and not withdrawn: what the public may see (unless its item is exempt).
    pub fn is_public(&self) -> bool {
        self.published_on.is_some() && self.withdrawn.is_none()
    }

    /// The file name a download is saved as: the uploaded name reduced to safe
    /// characters, with the extension of its real type.
    pub fn download_name(&self) -> String {
        let stem = self.file_name.rsplit_once('.').map_or(self.file_name.as_str(), |(stem, _)| stem);
        let safe: String =
            stem.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_') { c } else { '-' }).collect();
        let safe = safe.trim_matches('-');
        let safe = if safe.is_empty() { "paper" } else { safe };
        format!("{safe}.{}", self.kind.as_str())
    }
}

/// Whether a paper was published in time for its meeting.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "timing", rename_all = "snake_case")]
pub enum PaperTiming {
    /// Uploaded, not yet published.
    Draft,
    /// Published with the clear days the meeting needed.
    OnTime { clear_days: u32, required: u32 },
    /// Published too late: the situation of the Panel's letter of 14 February 2014.
    Late { clear_days: u32, required: u32 },
    /// Published on or after the day of the meeting.
    AfterMeeting,
    /// Published late for a late urgent item whose reason is recorded.
    LateUrgent { reason: String },
    /// Withdrawn; it no longer counts.
    Withdrawn,
}

impl PaperTiming {
    /// How bad it is, for the meeting's worst: 0 is fine.
    pub fn severity(&self) -> u8 {
        match self {
            PaperTiming::Withdrawn => 0,
            PaperTiming::OnTime { .. } => 1,
            PaperTiming::LateUrgent { .. } => 2,
            PaperTiming::Draft => 3,
            PaperTiming::Late { .. } => 4,
            PaperTiming::AfterMeeting => 5,
        }
    }

    pub fn is_late(&self) -> bool {
        matches!(self, PaperTiming::Late { .. } | PaperTiming::AfterMeeting)
    }
}

/// A paper's timing, through the meeting's own clear-days check.
pub fn timing(paper: &Paper, meeting: &Meeting, calendar: &Calendar) -> Result<PaperTiming, CalendarError> {
    if paper.withdrawn.is_some() {
        return Ok(PaperTiming::Withdrawn);
    }
    let Some(published) = paper.published_on else { return Ok(PaperTiming::Draft) };
    let check = meeting.check_publication(published, calendar)?;
    let urgent = paper.agenda_item.as_deref().and_then(|n| meeting.agenda_item(n)).and_then(|i| i.late_reason.clone());
    Ok(match (check, urgent) {
        (PapersCheck::OnTime { clear_days, required }, _) => PaperTiming::OnTime { clear_days, required },
        (_, Some(reason)) => PaperTiming::LateUrgent { reason },
        (PapersCheck::Late { clear_days, required }, None) => PaperTiming::Late { clear_days, required },
        (PapersCheck::AfterMeeting, None) => PaperTiming::AfterMeeting,
    })
}

/// The worst timing of a meeting's papers, `None` when it has none.
pub fn worst(timings: &[PaperTiming]) -> Option<&PaperTiming> {
    timings.iter().max_by_key(|t| t.severity())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A minimal ZIP with the given entry names (stored, empty), central directory and
    /// end record, as a DOCX writer lays them out.
    pub(crate) fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&[0, 0]);
            out.extend_from_slice(name.as_bytes());
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[0u8; 24]);
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0u8; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0, 0, 0, 0]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&[0, 0]);
        out
    }

    #[test]
    fn each_allowed_type_is_recognised_by_its_bytes() {
        let docx = zip_with(&["[Content_Types].xml", "_rels/.rels", "word/document.xml"]);
        let cases: [(&str, &[u8], PaperKind); 4] = [
            ("report.pdf", b"%PDF-1.7\n...", PaperKind::Pdf),
            ("agenda.html", b"<!DOCTYPE html><html><body>Agenda</body></html>", PaperKind::Html),
            ("agenda.htm", b"\xef\xbb\xbf\n  <HTML lang=\"en\">", PaperKind::Html),
            ("report.docx", &docx, PaperKind::Docx),
        ];
        for (name, bytes, kind) in cases {
            assert_eq!(check_file(name, bytes, DEFAULT_MAX_BYTES), Ok(kind), "{name}");
        }
    }

    #[test]
    fn anything_else_is_refused_naming_the_file_and_what_it_is() {
        let xlsx = zip_with(&["[Content_Types].xml", "xl/workbook.xml"]);
        let other_zip = zip_with(&["[Content_Types].xml", "readme.txt"]);
        let cases: [(&str, &[u8], &str); 7] = [
            (
                "photo.pdf",
                b"\x89PNG\r\n\x1a\n",
                "photo.pdf is not a PDF, Word document (DOCX) or HTML page: it is a PNG image",
            ),
            (
                "budget.xlsx",
                &xlsx,
                "budget.xlsx is not a PDF, Word document (DOCX) or HTML page: it is an Excel workbook (XLSX)",
            ),
            ("pack.zip", &other_zip, "it is a ZIP archive without word/document.xml"),
            ("notes.txt", b"Minutes of the meeting", "it is text starting `Minutes of the meeti`, not an HTML page"),
            ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1", "an old Office document"),
            (
                "C:\\Users\\x\\broken.docx",
                b"PK\x03\x04truncated",
                "broken.docx is not a PDF, Word document (DOCX) or HTML page: it is a damaged ZIP archive",
            ),
            ("empty.pdf", b"", "empty.pdf is empty"),
        ];
        for (name, bytes, message) in cases {
            let refusal = check_file(name, bytes, DEFAULT_MAX_BYTES).expect_err(name).to_string();
            assert!(refusal.contains(message), "{name}: {refusal}");
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    /// A paper of `meeting` published on `published`, for the timing table.
    fn published(meeting: &Meeting, on: NaiveDate) -> Paper {
        Paper {
            id: PaperId::from_u128(1),
            meeting_id: meeting.id,
            title: String::from("Report"),
            agenda_item: None,
            file_name: String::from("report.pdf"),
            kind: PaperKind::Pdf,
            size_bytes: 10,
            sha256: sha256_hex(b"x"),
            uploaded_by: String::from("test"),
            uploaded_at: DateTime::UNIX_EPOCH,
            published_at: Some(DateTime::UNIX_EPOCH),
            published_on: Some(on),
            withdrawn: None,
        }
    }

    /// Real meeting dates under the default 5 clear working days (England). Each row:
    /// meeting, publication, expected timing, why.
    #[test]
    fn clear_days_count_weekends_and_bank_holidays_on_real_meeting_dates() {
        use crate::body::Nation;
        use crate::clock::ClockSettings;
        let late = |clear_days| PaperTiming::Late { clear_days, required: 5 };
        let on_time = |clear_days| PaperTiming::OnTime { clear_days, required: 5 };
        let cases = [
            // Seed 004: the Panel met on Monday 3 February 2014; papers came on 29 January.
            (day(2014, 2, 3), day(2014, 1, 29), late(2), "30 and 31 January only"),
            (day(2014, 2, 3), day(2014, 1, 24), on_time(5), "27 to 31 January"),
            // Easter 2014: Good Friday 18 April and Easter Monday 21 April do not count.
            (day(2014, 4, 24), day(2014, 4, 15), late(4), "16, 17, 22, 23 April"),
            (day(2014, 4, 24), day(2014, 4, 14), on_time(5), "15, 16, 17, 22, 23 April"),
            // The coronation bank holiday of Monday 8 May 2023 does not count.
            (day(2023, 5, 12), day(2023, 5, 4), late(4), "5, 9, 10, 11 May"),
            (day(2023, 5, 12), day(2023, 5, 3), on_time(5), "4, 5, 9, 10, 11 May"),
            (day(2023, 5, 12), day(2023, 5, 12), PaperTiming::AfterMeeting, "on the day"),
        ];
        let calendar = Calendar::default();
        for (held_on, on, expected, why) in cases {
            let meeting = Meeting::schedule(
                MeetingId::from_u128(9),
                crate::ids::BodyId::from_u128(8),
                "Panel",
                held_on,
                Nation::England,
                &ClockSettings::default(),
                &calendar,
            )
            .expect("scheduled");
            let timing = timing(&published(&meeting, on), &meeting, &calendar).expect("timing");
            assert_eq!(timing, expected, "meeting {held_on}, published {on}: {why}");
        }
    }

    #[test]
    fn a_file_over_the_limit_is_refused_with_both_sizes() {
        let refusal = check_file("big.pdf", b"%PDF-1.4 and more", 10).expect_err("too large").to_string();
        assert_eq!(refusal, "big.pdf is 17 bytes but a paper can be at most 10 bytes");
        assert_eq!(size_label(20 * 1024 * 1024), "20.0 MB");
    }

    #[test]
    fn the_download_name_is_safe_and_has_the_real_extension() {
        let paper = Paper {
            id: PaperId::from_u128(1),
            meeting_id: MeetingId::from_u128(2),
            title: String::from("Agenda"),
            agenda_item: None,
            file_name: String::from("Agenda \"3 Feb\" 2014.HTM"),
            kind: PaperKind::Html,
            size_bytes: 10,
            sha256: sha256_hex(b"x"),
            uploaded_by: String::from("test"),
            uploaded_at: DateTime::UNIX_EPOCH,
            published_at: None,
            published_on: None,
            withdrawn: None,
        };
        assert_eq!(paper.download_name(), "Agenda--3-Feb--2014.html");
    }
}
