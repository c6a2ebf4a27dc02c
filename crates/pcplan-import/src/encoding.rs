//! Turning the bytes of a text export into a `String`, and saying which encoding it was.
//!
//! Survey tools write UTF-8 (often with a byte order mark so Excel recognises it), Excel
//! on Windows writes "CSV" as Windows-1252, and "Unicode text" as UTF-16 with a mark.
//! This module only decodes; it never guesses a language or other legacy code pages
//! (ISO-8859-x beyond 1252, Mac Roman), which no tool we know of still writes.

use std::fmt;

/// The encoding a text file was decoded from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Encoding {
    Utf8,
    /// UTF-8 that starts with the byte order mark EF BB BF (removed when decoding).
    Utf8Bom,
    Utf16Le,
    Utf16Be,
    Windows1252,
}

impl Encoding {
    /// The encoding's usual name, for messages and import records.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::Utf8 => "UTF-8",
            Encoding::Utf8Bom => "UTF-8 with byte order mark",
            Encoding::Utf16Le => "UTF-16 little-endian",
            Encoding::Utf16Be => "UTF-16 big-endian",
            Encoding::Windows1252 => "Windows-1252",
        }
    }
}

impl fmt::Display for Encoding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Decodes text: a byte order mark decides first (UTF-8, UTF-16 LE or BE, the mark
/// removed); otherwise bytes that are valid UTF-8 are UTF-8, and anything else is
/// Windows-1252.
///
/// Why Windows-1252 is the fallback rather than an error: it is what Excel writes for
/// "CSV (Comma delimited)" on an English Windows, every byte decodes, and ASCII text is
/// the same in both, so the only risk is mojibake in text that was some other legacy
/// encoding. Bytes that are invalid after a UTF-8 mark, or unpaired UTF-16 surrogates,
/// become U+FFFD rather than failing the whole file.
pub fn decode(bytes: &[u8]) -> (String, Encoding) {
    if let Some(rest) = bytes.strip_prefix(b"\xEF\xBB\xBF") {
        return (String::from_utf8_lossy(rest).into_owned(), Encoding::Utf8Bom);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFF\xFE") {
        let (text, _) = encoding_rs::UTF_16LE.decode_without_bom_handling(rest);
        return (text.into_owned(), Encoding::Utf16Le);
    }
    if let Some(rest) = bytes.strip_prefix(b"\xFE\xFF") {
        let (text, _) = encoding_rs::UTF_16BE.decode_without_bom_handling(rest);
        return (text.into_owned(), Encoding::Utf16Be);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => (text.to_owned(), Encoding::Utf8),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            (text.into_owned(), Encoding::Windows1252)
        }
    }
}
