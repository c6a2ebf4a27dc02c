//! The words of a meeting paper, read from its file for the search index.
//!
//! A paper is a PDF, a Word document (DOCX) or an HTML page (`pcplan_domain::paper`
//! decides which, from the bytes). HTML loses its tags, scripts and styles; a DOCX is a
//! ZIP archive whose `word/document.xml` is inflated and stripped of its tags, with a
//! break at each paragraph; a PDF's content streams (inflated when `FlateDecode`d) give
//! the strings shown by the text operators `Tj`, `TJ`, `'` and `"`, read as
//! Windows-1252, which is what the standard fonts use.
//!
//! This is deliberately a reader for search, not a document parser: it never fails (a
//! damaged or unusual file gives less text, never an error, because the paper itself
//! was already accepted), it bounds every inflation and the text it returns, and it
//! does not map fonts with their own encodings or read scanned images, so such PDFs give
//! little or no text. Their title and meeting are indexed all the same. It was preferred
//! to a PDF crate because those pull in a large tree to build, for the same result on
//! the papers an office writes.

use pcplan_domain::paper::PaperKind;

/// The most text kept from one paper, in characters: enough for a long report, small
/// enough that one paper cannot swamp the index.
pub(crate) const MAX_CHARS: usize = 200_000;

/// The most bytes one compressed part may inflate to (a "ZIP bomb" stops here).
const MAX_INFLATED: usize = 32 * 1024 * 1024;

/// The text of a paper's file, whitespace collapsed, at most [`MAX_CHARS`] characters.
pub(crate) fn paper_text(kind: PaperKind, bytes: &[u8]) -> String {
    let raw = match kind {
        PaperKind::Html => html_text(&String::from_utf8_lossy(bytes)),
        PaperKind::Docx => docx_text(bytes),
        PaperKind::Pdf => pdf_text(bytes),
    };
    tidy(&raw)
}

/// Collapses runs of whitespace to one space, drops control characters and cuts the
/// text at [`MAX_CHARS`].
pub(crate) fn tidy(text: &str) -> String {
    let mut out = String::with_capacity(text.len().min(MAX_CHARS));
    let mut count = 0;
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() {
            space = !out.is_empty();
            continue;
        }
        if c.is_control() {
            continue;
        }
        if space {
            out.push(' ');
            count += 1;
            space = false;
        }
        if count >= MAX_CHARS {
            break;
        }
        out.push(c);
        count += 1;
    }
    out
}

// ---- HTML ----

/// The text of an HTML page: tags removed, `script` and `style` contents skipped, the
/// common character references decoded, a space where a tag was.
fn html_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..open]));
        out.push(' ');
        let tag = &rest[open..];
        let lower: String = tag.chars().take(8).collect::<String>().to_ascii_lowercase();
        let skip_to = if lower.starts_with("<script") {
            Some("</script")
        } else if lower.starts_with("<style") {
            Some("</style")
        } else if lower.starts_with("<!--") {
            Some("-->")
        } else {
            None
        };
        rest = match skip_to {
            Some(end) => match find_ascii_case_insensitive(tag, end) {
                Some(at) => {
                    let after = &tag[at..];
                    after.find('>').map_or("", |gt| &after[gt + 1..])
                }
                None => "",
            },
            None => tag.find('>').map_or("", |gt| &tag[gt + 1..]),
        };
    }
    out.push_str(&decode_entities(rest));
    out
}

fn find_ascii_case_insensitive(haystack: &str, needle: &str) -> Option<usize> {
    let h = haystack.as_bytes();
    let n = needle.as_bytes();
    (0..h.len().saturating_sub(n.len() - 1)).find(|&i| h[i..i + n.len()].eq_ignore_ascii_case(n))
}

/// Decodes `&amp;`, `&lt;`, `&gt;`, `&quot;`, `&apos;`, `&nbsp;` and numeric
/// references; anything else is left as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let tail = &rest[amp..];
        let end = tail.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
        let decoded = end.and_then(|end| {
            let name = &tail[1..end];
            let c = match name {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some(' '),
                _ => name.strip_prefix('#').and_then(|n| {
                    let code = match n.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => n.parse::<u32>().ok(),
                    };
                    code.and_then(char::from_u32)
                }),
            };
            c.map(|c| (c, end))
        });
        match decoded {
            Some((c, end)) => {
                out.push(c);
                rest = &tail[end + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

// ---- DOCX ----

fn u16_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(2)?)?;
    Some(usize::from(u16::from_le_bytes([b[0], b[1]])))
}

fn u32_at(bytes: &[u8], at: usize) -> Option<usize> {
    let b = bytes.get(at..at.checked_add(4)?)?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]])).ok()
}

/// The bytes of the entry `wanted` of a ZIP archive (APPNOTE.TXT 4.3.7, 4.3.12,
/// 4.3.16), inflated if it was deflated; `None` when the archive is damaged or the
/// entry is missing or compressed some other way.
fn zip_entry(bytes: &[u8], wanted: &str) -> Option<Vec<u8>> {
    const END: [u8; 4] = [0x50, 0x4b, 0x05, 0x06];
    const ENTRY: [u8; 4] = [0x50, 0x4b, 0x01, 0x02];
    const LOCAL: [u8; 4] = [0x50, 0x4b, 0x03, 0x04];
    let earliest = bytes.len().saturating_sub(22 + 65_535);
    let end = (earliest..=bytes.len().checked_sub(22)?).rev().find(|&i| bytes[i..i + 4] == END)?;
    let count = u16_at(bytes, end + 10)?;
    let mut at = u32_at(bytes, end + 16)?;
    for _ in 0..count {
        if bytes.get(at..at + 4)? != ENTRY {
            return None;
        }
        let method = u16_at(bytes, at + 10)?;
        let compressed = u32_at(bytes, at + 20)?;
        let name_len = u16_at(bytes, at + 28)?;
        let extra_len = u16_at(bytes, at + 30)?;
        let comment_len = u16_at(bytes, at + 32)?;
        let local = u32_at(bytes, at + 42)?;
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        if name == wanted.as_bytes() {
            if bytes.get(local..local + 4)? != LOCAL {
                return None;
            }
            let start = local + 30 + u16_at(bytes, local + 26)? + u16_at(bytes, local + 28)?;
            let data = bytes.get(start..start.checked_add(compressed)?)?;
            return match method {
                0 => Some(data.to_vec()),
                8 => miniz_oxide::inflate::decompress_to_vec_with_limit(data, MAX_INFLATED).ok(),
                _ => None,
            };
        }
        at += 46 + name_len + extra_len + comment_len;
    }
    None
}

/// The text of a Word document's body: every tag removed, a break at the end of each
/// paragraph, line break and tab, so that runs of one word stay joined.
fn docx_text(bytes: &[u8]) -> String {
    let Some(xml) = zip_entry(bytes, "word/document.xml") else { return String::new() };
    let xml = String::from_utf8_lossy(&xml);
    let mut out = String::new();
    let mut rest: &str = &xml;
    while let Some(open) = rest.find('<') {
        out.push_str(&decode_entities(&rest[..open]));
        let tag = &rest[open..];
        let Some(gt) = tag.find('>') else { break };
        let name = &tag[1..gt];
        if name.starts_with("/w:p") || name.starts_with("w:br") || name.starts_with("w:tab") || name.starts_with("w:cr")
        {
            out.push(' ');
        }
        rest = &tag[gt + 1..];
    }
    out
}

// ---- PDF ----

/// The text shown by a PDF's content streams.
fn pdf_text(bytes: &[u8]) -> String {
    let mut out = String::new();
    let mut at = 0;
    while let Some(found) = find(bytes, b"stream", at) {
        at = found + 6;
        // `endstream` contains `stream`; a real start is followed by an end of line.
        if found >= 3 && &bytes[found - 3..found] == b"end" {
            continue;
        }
        let mut start = at;
        if bytes.get(start) == Some(&b'\r') {
            start += 1;
        }
        if bytes.get(start) != Some(&b'\n') {
            continue;
        }
        start += 1;
        let Some(end) = find(bytes, b"endstream", start) else { break };
        let dict_start = bytes[..found].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
        let dict = &bytes[dict_start..found];
        at = end + 9;
        if contains(dict, b"/Image") || contains(dict, b"/FontFile") || contains(dict, b"/Length1") {
            continue;
        }
        let data = &bytes[start..end];
        let content = if contains(dict, b"/FlateDecode") {
            // Only a stream whose one filter is FlateDecode is read; other filters (DCT
            // images, LZW in very old files) carry no text this reader could use.
            if contains(dict, b"/DCTDecode") || contains(dict, b"/LZWDecode") || contains(dict, b"/ASCII") {
                continue;
            }
            match miniz_oxide::inflate::decompress_to_vec_zlib_with_limit(data, MAX_INFLATED) {
                Ok(inflated) => inflated,
                Err(_) => continue,
            }
        } else if contains(dict, b"/Filter") {
            continue;
        } else {
            data.to_vec()
        };
        content_text(&content, &mut out);
        if out.len() > MAX_CHARS * 4 {
            break;
        }
    }
    out
}

fn find(haystack: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    haystack.get(from..)?.windows(needle.len()).position(|w| w == needle).map(|i| i + from)
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// Reads one content stream's text operators into `out`. Strings are collected as the
/// operands of the next operator; a text-showing operator keeps them, any other drops
/// them. A kerning adjustment in a `TJ` array wider than a fifth of the font size is
/// read as a space, as is every line move.
fn content_text(content: &[u8], out: &mut String) {
    if !contains(content, b"BT") {
        return;
    }
    let mut pending: Vec<Vec<u8>> = Vec::new();
    let mut i = 0;
    while i < content.len() {
        let b = content[i];
        match b {
            b'(' => {
                let (s, next) = literal_string(content, i + 1);
                pending.push(s);
                i = next;
            }
            b'<' if content.get(i + 1) != Some(&b'<') => {
                let (s, next) = hex_string(content, i + 1);
                pending.push(s);
                i = next;
            }
            b'[' | b']' | b'<' | b'>' => i += 1,
            b'%' => {
                while i < content.len() && content[i] != b'\n' && content[i] != b'\r' {
                    i += 1;
                }
            }
            b'-' | b'.' | b'0'..=b'9' => {
                let start = i;
                i += 1;
                while i < content.len() && matches!(content[i], b'.' | b'0'..=b'9') {
                    i += 1;
                }
                let number: f64 =
                    std::str::from_utf8(&content[start..i]).ok().and_then(|n| n.parse().ok()).unwrap_or(0.0);
                // Inside a TJ array, a large negative adjustment moves right: a gap.
                if number < -200.0 {
                    pending.push(b" ".to_vec());
                }
            }
            b if b.is_ascii_alphabetic() || b == b'\'' || b == b'"' || b == b'*' => {
                let start = i;
                i += 1;
                while i < content.len() && (content[i].is_ascii_alphabetic() || content[i] == b'*') {
                    i += 1;
                }
                match &content[start..i] {
                    b"Tj" | b"TJ" | b"'" | b"\"" => {
                        // `'` and `"` move to the next line before they show the string.
                        if matches!(&content[start..i], b"'" | b"\"") {
                            out.push(' ');
                        }
                        for s in pending.drain(..) {
                            push_text(&s, out);
                        }
                    }
                    b"Td" | b"TD" | b"T*" | b"Tm" | b"ET" => {
                        pending.clear();
                        out.push(' ');
                    }
                    _ => pending.clear(),
                }
            }
            _ => i += 1,
        }
    }
}

/// A literal string `( ... )` starting after its `(`: balanced parentheses, backslash
/// escapes (PDF 32000-1 7.3.4.2). Returns the bytes and where reading stopped.
fn literal_string(content: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut s = Vec::new();
    let mut depth = 1;
    while i < content.len() {
        let b = content[i];
        i += 1;
        match b {
            b'\\' => {
                let Some(&e) = content.get(i) else { break };
                i += 1;
                match e {
                    b'n' | b'r' | b't' | b'f' | b'b' => s.push(b' '),
                    b'0'..=b'7' => {
                        let mut value = u32::from(e - b'0');
                        for _ in 0..2 {
                            match content.get(i) {
                                Some(&d @ b'0'..=b'7') => {
                                    value = value * 8 + u32::from(d - b'0');
                                    i += 1;
                                }
                                _ => break,
                            }
                        }
                        s.push((value & 0xff) as u8);
                    }
                    b'\r' | b'\n' => {
                        if e == b'\r' && content.get(i) == Some(&b'\n') {
                            i += 1;
                        }
                    }
                    other => s.push(other),
                }
            }
            b'(' => {
                depth += 1;
                s.push(b);
            }
            b')' => {
                depth -= 1;
                if depth == 0 {
                    break;
                }
                s.push(b);
            }
            _ => s.push(b),
        }
    }
    (s, i)
}

/// A hexadecimal string `< ... >` starting after its `<`.
fn hex_string(content: &[u8], mut i: usize) -> (Vec<u8>, usize) {
    let mut digits = Vec::new();
    while i < content.len() && content[i] != b'>' {
        if content[i].is_ascii_hexdigit() {
            digits.push(content[i]);
        }
        i += 1;
    }
    if digits.len() % 2 == 1 {
        digits.push(b'0');
    }
    let s = digits
        .chunks(2)
        .filter_map(|pair| std::str::from_utf8(pair).ok().and_then(|h| u8::from_str_radix(h, 16).ok()))
        .collect();
    (s, i + 1)
}

/// Appends a shown string read as Windows-1252, unless it does not look like text: a
/// font with its own two-byte encoding shows glyph numbers, which would only add noise.
fn push_text(bytes: &[u8], out: &mut String) {
    // Text never holds control bytes; glyph numbers of a two-byte encoding mostly do
    // (their high byte is 0 for the first 256 glyphs).
    let control = bytes.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')).count();
    if bytes.is_empty() || control * 10 > bytes.len() {
        return;
    }
    out.extend(bytes.iter().map(|&b| windows_1252(b)));
}

/// One byte of Windows-1252 (the standard fonts' WinAnsiEncoding); bytes it leaves
/// undefined become a space.
fn windows_1252(b: u8) -> char {
    const HIGH: [char; 32] = [
        '€', ' ', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', ' ', 'Ž', ' ', ' ', '‘', '’', '“', '”', '•',
        '–', '—', '˜', '™', 'š', '›', 'œ', ' ', 'ž', 'Ÿ',
    ];
    match b {
        0x80..=0x9f => HIGH[usize::from(b - 0x80)],
        b if b < 0x20 => ' ',
        b => char::from(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_loses_its_tags_scripts_and_styles_and_keeps_its_words() {
        let html = "<!DOCTYPE html><html><head><title>Agenda</title><style>p{color:red}</style>\
                    <script>var x = '<p>hidden</p>';</script></head><body><p>Item&nbsp;1: \
                    Burglary &amp; robbery</p><!-- a note --><p>caf&#233; &#x41;</p></body></html>";
        assert_eq!(paper_text(PaperKind::Html, html.as_bytes()), "Agenda Item 1: Burglary & robbery café A");
    }

    #[test]
    fn an_unknown_entity_is_left_as_written() {
        assert_eq!(decode_entities("fish &chips; & &bogus;"), "fish &chips; & &bogus;");
    }

    /// A ZIP archive with one deflated entry, written by hand.
    fn zip_with(name: &str, content: &[u8]) -> Vec<u8> {
        let deflated = miniz_oxide::deflate::compress_to_vec(content, 6);
        let mut out = Vec::new();
        out.extend_from_slice(&[0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
        out.extend_from_slice(&(content.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(&deflated);
        let directory = out.len();
        out.extend_from_slice(&[0x50, 0x4b, 0x01, 0x02, 20, 0, 20, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        out.extend_from_slice(&(deflated.len() as u32).to_le_bytes());
        out.extend_from_slice(&(content.len() as u32).to_le_bytes());
        out.extend_from_slice(&(name.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(name.as_bytes());
        let size = out.len() - directory;
        out.extend_from_slice(&[0x50, 0x4b, 0x05, 0x06, 0, 0, 0, 0, 1, 0, 1, 0]);
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(&(directory as u32).to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    #[test]
    fn a_word_document_gives_its_paragraphs_with_runs_of_one_word_joined() {
        let xml = r#"<?xml version="1.0"?><w:document><w:body><w:p><w:r><w:t>Bir</w:t></w:r><w:r><w:t>mingham</w:t></w:r></w:p><w:p><w:r><w:t xml:space="preserve">Knife crime &amp; youth</w:t></w:r></w:p></w:body></w:document>"#;
        let docx = zip_with("word/document.xml", xml.as_bytes());
        assert_eq!(paper_text(PaperKind::Docx, &docx), "Birmingham Knife crime & youth");
    }

    #[test]
    fn a_damaged_word_document_gives_no_text_rather_than_an_error() {
        let mut docx = zip_with("word/document.xml", b"<w:p><w:t>words</w:t></w:p>");
        docx.truncate(docx.len() - 30);
        assert_eq!(paper_text(PaperKind::Docx, &docx), "");
        assert_eq!(paper_text(PaperKind::Docx, b"PK\x03\x04 not really"), "");
    }

    #[test]
    fn a_pdf_gives_the_strings_its_text_operators_show() {
        let content = b"BT /F1 12 Tf 72 700 Td (Police and crime plan) Tj T* [(Bur) -20 (glary) -400 (down)] TJ \
                        (caf\\351 \\(draft\\)) ' ET";
        let compressed = miniz_oxide::deflate::compress_to_vec_zlib(content, 6);
        let mut pdf = b"%PDF-1.4\n1 0 obj\n<< /Length 10 /Filter /FlateDecode >>\nstream\n".to_vec();
        pdf.extend_from_slice(&compressed);
        pdf.extend_from_slice(
            b"\nendstream\nendobj\n2 0 obj\n<< /Length 5 >>\nstream\nBT <48656C6C6F> Tj ET\nendstream\n",
        );
        pdf.extend_from_slice(b"3 0 obj\n<< /Subtype /Image /Length 3 >>\nstream\nBT (image) Tj ET\nendstream\n%%EOF");
        assert_eq!(paper_text(PaperKind::Pdf, &pdf), "Police and crime plan Burglary down café (draft) Hello");
    }

    #[test]
    fn glyph_numbers_of_fonts_with_their_own_encoding_are_left_out() {
        let pdf = b"%PDF-1.4\n<< /Length 9 >>\nstream\nBT <0012003A0044> Tj (Words) Tj ET\nendstream\n";
        assert_eq!(paper_text(PaperKind::Pdf, pdf), "Words");
    }

    #[test]
    fn text_is_cut_at_the_limit_and_control_characters_dropped() {
        let long = format!("a\u{2}b\u{3} {}", "x".repeat(MAX_CHARS + 10));
        let text = tidy(&long);
        assert!(text.starts_with("ab x"));
        assert_eq!(text.chars().count(), MAX_CHARS);
    }
}
