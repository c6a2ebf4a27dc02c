//! Text that goes into a chart: escaping for XML and HTML, element ids, and the rough
//! width estimates the layout uses to thin labels and wrap legends.
//!
//! Widths are estimates from character classes of a proportional sans-serif (Arial,
//! Helvetica and GDS Transport are all close), with a margin so that labels laid out by
//! them do not touch. The layout never depends on a font being installed, which keeps
//! the output the same on every machine; the price is that a label may be a little
//! shorter than the room left for it.

/// Escapes `text` for XML or HTML text and attribute values: `&`, `<`, `>`, `"` and `'`
/// become references, and characters XML 1.0 does not allow (control characters other
/// than tab, line feed and carriage return, U+FFFE and U+FFFF) are dropped, because a
/// single one would make the whole document unreadable to an XML parser.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + text.len() / 8);
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            // `&apos;` is not an HTML 4 entity; the numeric reference is read everywhere.
            '\'' => out.push_str("&#39;"),
            c if allowed_in_xml(c) => out.push(c),
            _ => {}
        }
    }
    out
}

/// Whether XML 1.0 allows `c` in a document (its `Char` production; Rust's `char` already
/// excludes the surrogates).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r') || (c >= ' ' && c != '\u{FFFE}' && c != '\u{FFFF}')
}

/// Makes a caller's id prefix safe as an XML and HTML id: letters, digits, `-` and `_` are
/// kept, anything else becomes `-`, and a prefix that does not start with a letter gets
/// `chart-` in front. The same prefix always gives the same ids.
pub(crate) fn clean_id(raw: &str) -> String {
    let cleaned: String =
        raw.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect();
    if cleaned.starts_with(|c: char| c.is_ascii_alphabetic()) { cleaned } else { format!("chart-{cleaned}") }
}

/// The estimated width of `text` set at `size`, in the same units as `size`.
pub(crate) fn text_width(text: &str, size: f64) -> f64 {
    let ems: f64 = text.chars().map(char_width).sum();
    // 10% more than the estimate: GDS Transport runs a little wider than Arial.
    ems * size * 1.1
}

/// The estimated width of `text` in bold, which runs about a tenth wider.
pub(crate) fn bold_text_width(text: &str, size: f64) -> f64 {
    text_width(text, size) * 1.1
}

/// The advance width of one character, as a share of the font size.
fn char_width(c: char) -> f64 {
    match c {
        'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.25,
        ' ' | 'f' | 't' | 'r' | 'I' | '(' | ')' | '[' | ']' | '/' | '-' => 0.33,
        'm' | 'w' | 'M' | 'W' | '%' | '@' => 0.85,
        '0'..='9' => 0.56,
        c if c.is_uppercase() => 0.68,
        _ => 0.55,
    }
}

/// Splits `text`, set in bold at `size`, into lines no wider than `width`, breaking at
/// spaces (wrapped text is always a bold label: a row's or a panel's name). A single word
/// wider than the line is kept whole on its own line rather than cut, since a cut word
/// reads as a different word.
pub(crate) fn wrap(text: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_string() } else { format!("{current} {word}") };
        if current.is_empty() || bold_text_width(&candidate, size) <= width {
            current = candidate;
        } else {
            lines.push(std::mem::take(&mut current));
            current = word.to_string();
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// `items` joined as English prose: `a`, `a and b`, `a, b and c`.
pub(crate) fn join_prose(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

/// `text` with its first letter in upper case, for a table cell that starts a sentence.
pub(crate) fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_markup_character_is_escaped() {
        assert_eq!(
            escape(r#"<a href="x">Tom & Jerry's</a>"#),
            "&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
        );
        assert_eq!(escape("]]>"), "]]&gt;");
        assert_eq!(escape("&amp;"), "&amp;amp;");
    }

    #[test]
    fn characters_xml_forbids_are_dropped_and_the_rest_kept() {
        assert_eq!(escape("a\u{0}b\u{1b}c\u{FFFF}d"), "abcd");
        assert_eq!(escape("tab\there\nline\r"), "tab\there\nline\r");
        assert_eq!(escape("Ynys Môn – £5 €"), "Ynys Môn – £5 €");
    }

    #[test]
    fn ids_keep_safe_characters_and_start_with_a_letter() {
        assert_eq!(clean_id("burglary-chart_1"), "burglary-chart_1");
        assert_eq!(clean_id("a b\"<c>"), "a-b--c-");
        assert_eq!(clean_id("2023"), "chart-2023");
        assert_eq!(clean_id(""), "chart-");
    }

    #[test]
    fn wide_letters_measure_wider_than_narrow_ones() {
        assert!(text_width("WWW", 14.0) > text_width("iii", 14.0) * 3.0);
        assert_eq!(text_width("", 14.0), 0.0);
    }

    #[test]
    fn text_wraps_at_spaces_and_keeps_long_words_whole() {
        let lines = wrap("Reduce serious violence and knife crime in every area", 14.0, 150.0);
        assert!(lines.len() > 1, "{lines:?}");
        assert_eq!(lines.join(" "), "Reduce serious violence and knife crime in every area");
        assert!(lines.iter().all(|line| bold_text_width(line, 14.0) <= 150.0 || !line.contains(' ')));
        assert_eq!(wrap("Supercalifragilistic", 14.0, 20.0), ["Supercalifragilistic"]);
        assert_eq!(wrap("", 14.0, 100.0), [""]);
    }

    #[test]
    fn lists_read_as_prose() {
        let items = |xs: &[&str]| xs.iter().map(|x| x.to_string()).collect::<Vec<_>>();
        assert_eq!(join_prose(&items(&[])), "");
        assert_eq!(join_prose(&items(&["a"])), "a");
        assert_eq!(join_prose(&items(&["a", "b"])), "a and b");
        assert_eq!(join_prose(&items(&["a", "b", "c"])), "a, b and c");
        assert_eq!(capitalise("significant change"), "Significant change");
    }
}
