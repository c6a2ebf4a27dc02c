//! Helpers for the tests of whole files: reading a PDF back with poppler's `pdftotext`
//! and `pdfinfo` (poppler-utils, which `.ci/run` installs), and building documents.
//!
//! Without poppler-utils a test that needs it returns early with a note, except on CI,
//! where its absence is an error.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use pcplan_pdf::Document;

/// A file in a fresh temporary directory, removed when dropped.
pub struct TempFile {
    dir: PathBuf,
    pub path: PathBuf,
}

impl TempFile {
    pub fn new(name: &str, bytes: &[u8]) -> Self {
        let unique = format!(
            "pcplan-pdf-{}-{}-{name}",
            std::process::id(),
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0)
        );
        let dir = std::env::temp_dir().join(unique);
        std::fs::create_dir_all(&dir).expect("a temporary directory");
        let path = dir.join(name);
        std::fs::write(&path, bytes).expect("write the file");
        TempFile { dir, path }
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        std::fs::remove_dir_all(&self.dir).ok();
    }
}

/// The output of a poppler tool on `bytes`, or `None` (with a note) when poppler-utils
/// is not installed and this is not CI.
pub fn poppler(tool: &str, args: &[&str], bytes: &[u8]) -> Option<String> {
    let file = TempFile::new("document.pdf", bytes);
    let mut command = Command::new(tool);
    command.args(args).arg(&file.path);
    if tool == "pdftotext" {
        command.arg("-");
    }
    match command.output() {
        Ok(output) => {
            assert!(output.status.success(), "{tool}: {}", String::from_utf8_lossy(&output.stderr));
            Some(String::from_utf8(output.stdout).expect("poppler writes UTF-8"))
        }
        Err(error) => {
            assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils: {error}");
            eprintln!("note: {tool} is not installed ({error}); this check is skipped");
            None
        }
    }
}

/// The text of every page, in reading order (`pdftotext` without `-layout`).
pub fn text(bytes: &[u8]) -> Option<String> {
    poppler("pdftotext", &[], bytes)
}

/// The text of one page, counted from 1.
pub fn page_text(bytes: &[u8], page: usize) -> Option<String> {
    let page = page.to_string();
    poppler("pdftotext", &["-f", &page, "-l", &page], bytes)
}

/// A field of `pdfinfo`'s report: `Title`, `Tagged`, `Pages`, `Page size`.
pub fn info(bytes: &[u8], field: &str) -> Option<String> {
    let report = poppler("pdfinfo", &[], bytes)?;
    let prefix = format!("{field}:");
    Some(report.lines().find_map(|l| l.strip_prefix(&prefix)).map(|v| v.trim().to_string()).unwrap_or_default())
}

/// The number of pages, from `pdfinfo`.
pub fn pages(bytes: &[u8]) -> Option<usize> {
    info(bytes, "Pages").map(|p| p.parse().expect("a page count"))
}

/// A document with the metadata the tests share and the given blocks.
pub fn document(blocks: Vec<pcplan_pdf::Block>) -> Document {
    Document {
        title: String::from("Notice of Decision 018/2013: Police and Crime Plan"),
        author: String::from("West Midlands Police and Crime Commissioner"),
        subject: String::from("Notice of Decision"),
        footer: String::from("Notice of Decision 018/2013"),
        body: String::from("West Midlands Police and Crime Commissioner"),
        date: String::from("28 March 2013"),
        blocks,
        ..Document::default()
    }
}

/// `text` with runs of white space made one space, for comparing text a PDF wraps.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
