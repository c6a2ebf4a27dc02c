//! Writing laid-out pages as a PDF file: the object graph (catalog, page tree, two
//! standard fonts, document information), one uncompressed content stream per page, and
//! the cross-reference table with exact byte offsets (ISO 32000-1, section 7.5).

use std::fmt::Write as _;

use crate::Document;
use crate::figure::{self, fixed};
use crate::layout::{Op, PAGE_HEIGHT, PAGE_WIDTH};

/// A PDF string literal of WinAnsi bytes: parentheses and backslashes escaped, bytes
/// outside printable ASCII written in octal so the file stays 7-bit clean.
pub(crate) fn literal(bytes: &[u8]) -> String {
    let mut out = String::from("(");
    for b in bytes {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(*b));
            }
            0x20..=0x7e => out.push(char::from(*b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// A text string for the document information, in UTF-16BE with its byte-order mark,
/// so titles keep every character whatever the fonts can show.
fn text_string(text: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in text.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

fn number(value: f32) -> String {
    fixed(value, 2)
}

fn content(ops: &[Op]) -> String {
    let mut out = String::new();
    for op in ops {
        match op {
            Op::Text { x, y, size, bold, bytes } => {
                let font = if *bold { "F2" } else { "F1" };
                let _ = writeln!(
                    out,
                    "BT /{font} {} Tf 1 0 0 1 {} {} Tm {} Tj ET",
                    number(*size),
                    number(*x),
                    number(*y),
                    literal(bytes)
                );
            }
            Op::Line { x1, y1, x2, y2, grey } => {
                let _ = writeln!(
                    out,
                    "q {} G 0.5 w {} {} m {} {} l S Q",
                    number(*grey),
                    number(*x1),
                    number(*y1),
                    number(*x2),
                    number(*y2)
                );
            }
            Op::Fill { x, y, w, h, grey } => {
                let _ = writeln!(
                    out,
                    "q {} g {} {} {} {} re f Q",
                    number(*grey),
                    number(*x),
                    number(*y),
                    number(*w),
                    number(*h)
                );
            }
            Op::Figure { x, top, scale, figure } => out.push_str(&figure::content(figure, *x, *top, *scale)),
        }
    }
    out
}

/// The whole file.
pub(crate) fn write(document: &Document, pages: &[Vec<Op>]) -> Vec<u8> {
    // Objects: 1 catalog, 2 page tree, 3 and 4 fonts, 5 information, then a page and its
    // content stream for each page.
    let page_ids: Vec<usize> = (0..pages.len()).map(|i| 6 + 2 * i).collect();
    let mut objects: Vec<String> = Vec::new();
    objects.push(String::from(
        "<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) /ViewerPreferences << /DisplayDocTitle true >> >>",
    ));
    let kids: Vec<String> = page_ids.iter().map(|id| format!("{id} 0 R")).collect();
    objects.push(format!("<< /Type /Pages /Kids [{}] /Count {} >>", kids.join(" "), pages.len()));
    for base in ["Helvetica", "Helvetica-Bold"] {
        objects.push(format!("<< /Type /Font /Subtype /Type1 /BaseFont /{base} /Encoding /WinAnsiEncoding >>"));
    }
    let mut info = format!(
        "<< /Title {} /Author {} /Subject {} /Producer (pcplan)",
        text_string(&document.title),
        text_string(&document.author),
        text_string(&document.subject)
    );
    if !document.created.is_empty() {
        let _ = write!(info, " /CreationDate {}", literal(document.created.as_bytes()));
    }
    info.push_str(" >>");
    objects.push(info);
    for (i, ops) in pages.iter().enumerate() {
        let stream = content(ops);
        objects.push(format!(
            "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {} {}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> \
             /Contents {} 0 R >>",
            number(PAGE_WIDTH),
            number(PAGE_HEIGHT),
            page_ids[i] + 1
        ));
        objects.push(format!("<< /Length {} >>\nstream\n{stream}endstream", stream.len()));
    }

    let mut out = String::from("%PDF-1.7\n");
    // A comment of four high bytes would mark the file as binary; every byte here is
    // 7-bit, so none is needed.
    let mut offsets = Vec::with_capacity(objects.len());
    for (i, object) in objects.iter().enumerate() {
        offsets.push(out.len());
        let _ = write!(out, "{} 0 obj\n{object}\nendobj\n", i + 1);
    }
    let xref = out.len();
    let _ = write!(out, "xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1);
    for offset in offsets {
        let _ = writeln!(out, "{offset:010} 00000 n ");
    }
    let _ =
        write!(out, "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n", objects.len() + 1);
    out.into_bytes()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn strings_are_escaped_and_numbers_are_short() {
        assert_eq!(literal(b"a (b) \\ c"), "(a \\(b\\) \\\\ c)");
        assert_eq!(literal(&[0xa3, b'5']), "(\\2435)");
        assert_eq!(text_string("£"), "<FEFF00A3>");
        assert_eq!(number(10.5), "10.5");
        assert_eq!(number(56.70), "56.7");
        assert_eq!(number(12.0), "12");
        assert_eq!(number(-0.001), "0");
    }
}
