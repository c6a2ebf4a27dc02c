//! pcplan's printable documents: Notices of Decision, the Commissioner's response to a
//! Panel report, board performance reports with their charts, annual reports and the
//! other papers that go into a board pack, as tagged PDF and as Word files.
//!
//! A [`Document`] is a title, the metadata, the page header and footer text and a list of
//! [`Block`]s (headings, paragraphs, labelled fields, numbered paragraphs, lists, tables,
//! figures). [`render`] typesets it with typst, in-process, into an A4 PDF; [`render_docx`]
//! writes the same blocks as a Word file. Neither touches the network, the file system or
//! the clock, and the same document always gives the same bytes.
//!
//! The PDF comes from one fixed typst template (`src/template.typ`, compiled into the
//! crate) that walks the blocks. The document reaches the template as data in
//! `sys.inputs`, never as markup, so nothing a caller writes can act as typst code. Text
//! is set in Liberation Sans, vendored in `fonts/` with its licence and compiled in; no
//! font is ever read from the machine, so the pages are the same everywhere, and any
//! Unicode text prints (what Liberation Sans lacks falls back to typst's own fonts).
//! The PDF is tagged: a title and a language in its metadata, headings as headings,
//! tables with header rows repeated on every page, figures with alternative text, and
//! the page header and footer marked as artifacts. Every page's header names the body and
//! the document's date; every footer has the footer text and "Page n of m".
//!
//! A [`Figure`] is a vector drawing (lines, polylines, rectangles, circles, polygons and
//! text) in its own units; the charts of `pcplan-charts` are converted into one by
//! pcplan-web's `pdf_chart`. The PDF embeds it as SVG ([`Figure::to_svg`]), so it stays
//! vector and its text stays text that readers extract and search.
//!
//! The typst engine, with its fonts and the parsed template, is built once per process
//! (on first use) and shared; [`render`] compiles in the calling thread, so async callers
//! run it in `spawn_blocking`. The web page of each document stays the primary,
//! accessible version; these files are for printing, filing and editing.

mod columns;
mod docx;
mod figure;
mod typeset;

pub use figure::{Anchor, Figure, Rgb, Shape, Stroke, Text};

/// A document to print.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The title readers show instead of the file name; required for a tagged PDF to be
    /// read well, so it should never be empty.
    pub title: String,
    /// Who wrote the document: the body, in pcplan's documents.
    pub author: String,
    /// What the document is (the PDF's subject, the Word file's subject).
    pub subject: String,
    /// The creation date written into the files' metadata, as `2013-03-28` (or PDF's
    /// `D:20130328000000Z`, of which only the day is kept); empty to leave it out. It is
    /// never the clock, so the bytes stay the same from one run to the next.
    pub created: String,
    /// Printed at the foot of every page before "Page n of m".
    pub footer: String,
    /// The name of the body, at the left of every page's header.
    pub body: String,
    /// The document's date as readers should see it (`28 March 2013`), at the right of
    /// every page's header.
    pub date: String,
    /// Whether to print a contents list of the level 2 headings (the document's parts,
    /// level 1 being its title), with page numbers. It goes before the first level 2
    /// heading, after the title and whatever opens the document.
    pub contents: bool,
    /// The language of the text as a BCP 47 tag with a language and an optional region
    /// (`en-GB`, `cy-GB`); empty means `en-GB`. Screen readers choose their voice by it,
    /// and typst its hyphenation and quotation rules.
    pub language: String,
    pub blocks: Vec<Block>,
}

/// One block of content, laid out from the top of the page down.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading; level 1 is the largest (levels below 1 count as 1, above 6 as 6).
    Heading { level: u8, text: String },
    /// A paragraph of running text, wrapped to the page width. Blank lines inside start
    /// new paragraphs; a single newline starts a new line.
    Paragraph(String),
    /// A paragraph in bold.
    Strong(String),
    /// Short lines kept as they are (an address, a signature block); a line too long for
    /// the page still wraps.
    Lines(Vec<String>),
    /// A bold label followed on the same line by its value: `Contact Officer: Jacky Courtney`.
    Field { label: String, value: String },
    /// A numbered paragraph with a hanging indent: `12. The Plan has been prepared ...`.
    Numbered { number: String, text: String },
    /// A bulleted list.
    Bullets(Vec<String>),
    /// A table with a header row repeated on every page it runs over (none when every
    /// heading is empty). Column widths are shares of the text width, in proportion to
    /// each column's `weight`. A row with fewer cells than columns is padded with empty
    /// cells; cells beyond the last column are dropped.
    Table { columns: Vec<Column>, rows: Vec<Vec<String>> },
    /// A vector figure with its caption under it (the caption may be empty). The figure
    /// is scaled to the width of the text, never enlarged, and moves to a new page rather
    /// than split; the caption is also its alternative text (see [`Figure`]).
    Figure { figure: Figure, caption: String },
    /// Vertical space, in points.
    Space(f32),
    /// A thin line across the page.
    Rule,
}

/// A column of a [`Block::Table`].
#[derive(Clone, Debug, PartialEq)]
pub struct Column {
    pub heading: String,
    pub weight: f32,
}

impl Column {
    pub fn new(heading: impl Into<String>, weight: f32) -> Self {
        Self { heading: heading.into(), weight }
    }
}

impl Block {
    pub fn heading(level: u8, text: impl Into<String>) -> Self {
        Block::Heading { level, text: text.into() }
    }

    pub fn paragraph(text: impl Into<String>) -> Self {
        Block::Paragraph(text.into())
    }

    pub fn field(label: impl Into<String>, value: impl Into<String>) -> Self {
        Block::Field { label: label.into(), value: value.into() }
    }

    pub fn figure(figure: Figure, caption: impl Into<String>) -> Self {
        Block::Figure { figure, caption: caption.into() }
    }

    pub fn numbered(number: impl Into<String>, text: impl Into<String>) -> Self {
        Block::Numbered { number: number.into(), text: text.into() }
    }
}

/// Why a document could not be written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    /// [`Document::language`] is not a tag like `en-GB`.
    #[error(
        "document {title:?}: language {language:?} is not a tag like `en-GB` (two or three letters, then \
         optionally `-` and a two-letter region)"
    )]
    Language { title: String, language: String },
    /// [`Document::created`] is not a date like `2013-03-28`.
    #[error("document {title:?}: creation date {created:?} is not a date like `2013-03-28`")]
    Created { title: String, created: String },
    /// typst refused the document. The template is fixed and the document is data, so
    /// this is a bug in this crate, reported with typst's messages rather than a panic.
    #[error("typesetting document {title:?} failed: {}", .messages.join("; "))]
    Typeset { title: String, messages: Vec<String> },
    /// The Word file could not be packed.
    #[error("writing the Word file of {title:?} failed: {message}")]
    Docx { title: String, message: String },
}

/// The columns of a [`Block::Table`] of `rows` under `headings`, with weights from what
/// each holds (tables always span the text width, so the weights are shares of it): a
/// column of short figures stays narrow and a column of sentences gets the room left.
/// No word is broken when the table can be laid out without breaking one: every column
/// gets at least its longest word (headings in bold), and, room allowing, its longest
/// line unwrapped; the room between is shared out in proportion to what each column
/// would still need. Widths are measured in the PDF's own font, so the weights are the
/// columns' widths in points.
pub fn fit_columns(headings: &[&str], rows: &[Vec<String>]) -> Vec<Column> {
    columns::fit(headings, rows)
}

/// Typesets the document on A4 pages and returns the PDF file.
///
/// # Errors
///
/// [`Error::Language`] or [`Error::Created`] when those fields cannot be read, and
/// [`Error::Typeset`] if typst refuses the document, which would be a bug here.
pub fn render(document: &Document) -> Result<Vec<u8>, Error> {
    typeset::pdf(document)
}

/// Writes the document as a Word file (DOCX): the same blocks, with Word's own heading
/// styles so its navigation pane shows them.
///
/// # Errors
///
/// [`Error::Language`] or [`Error::Created`] when those fields cannot be read, and
/// [`Error::Docx`] if the package cannot be written.
pub fn render_docx(document: &Document) -> Result<Vec<u8>, Error> {
    docx::write(document)
}

/// The language of a document as its language and region subtags (`("en", Some("GB"))`).
pub(crate) fn language(document: &Document) -> Result<(String, Option<String>), Error> {
    let tag = document.language.trim();
    if tag.is_empty() {
        return Ok((String::from("en"), Some(String::from("GB"))));
    }
    let refuse = || Error::Language { title: document.title.clone(), language: document.language.clone() };
    let mut parts = tag.split(['-', '_']);
    let language = parts.next().unwrap_or_default();
    let region = parts.next();
    if parts.next().is_some()
        || !(2..=3).contains(&language.len())
        || !language.chars().all(|c| c.is_ascii_alphabetic())
        || region.is_some_and(|r| r.len() != 2 || !r.chars().all(|c| c.is_ascii_alphabetic()))
    {
        return Err(refuse());
    }
    Ok((language.to_ascii_lowercase(), region.map(str::to_ascii_uppercase)))
}

/// The creation date of a document as year, month and day, or `None` when it has none.
pub(crate) fn created(document: &Document) -> Result<Option<(i32, u8, u8)>, Error> {
    let raw = document.created.trim();
    if raw.is_empty() {
        return Ok(None);
    }
    let refuse = || Error::Created { title: document.title.clone(), created: document.created.clone() };
    let digits: String = match raw.strip_prefix("D:") {
        Some(pdf) => pdf.chars().take(8).collect(),
        None => {
            let mut parts = raw.split('-');
            let (Some(y), Some(m), Some(d), None) = (parts.next(), parts.next(), parts.next(), parts.next()) else {
                return Err(refuse());
            };
            if y.len() != 4 || m.len() != 2 || d.len() != 2 {
                return Err(refuse());
            }
            format!("{y}{m}{d}")
        }
    };
    if digits.len() != 8 || !digits.chars().all(|c| c.is_ascii_digit()) {
        return Err(refuse());
    }
    let year: i32 = digits[..4].parse().map_err(|_| refuse())?;
    let month: u8 = digits[4..6].parse().map_err(|_| refuse())?;
    let day: u8 = digits[6..].parse().map_err(|_| refuse())?;
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        _ => return Err(refuse()),
    };
    if day == 0 || day > days {
        return Err(refuse());
    }
    Ok(Some((year, month, day)))
}

/// Text as paragraphs of lines: blank lines separate paragraphs, newlines separate lines,
/// and blank paragraphs are dropped.
pub(crate) fn paragraphs(text: &str) -> Vec<Vec<String>> {
    let text = text.replace("\r\n", "\n");
    text.split("\n\n")
        .filter(|p| !p.trim().is_empty())
        .map(|p| p.trim().split('\n').map(|line| line.trim_end().to_string()).collect())
        .collect()
}

/// Where the contents list goes: before the first level 2 heading, or at the end when
/// there is none.
pub(crate) fn contents_position(document: &Document) -> usize {
    document
        .blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { level, .. } if *level == 2))
        .unwrap_or(document.blocks.len())
}

/// A heading level inside 1 to 6.
pub(crate) fn heading_level(level: u8) -> u8 {
    level.clamp(1, 6)
}

/// The table's cells padded or cut to the number of columns.
pub(crate) fn table_cells(columns: &[Column], rows: &[Vec<String>]) -> Vec<Vec<String>> {
    rows.iter()
        .map(|row| row.iter().cloned().chain(std::iter::repeat(String::new())).take(columns.len()).collect())
        .collect()
}

/// Whether a table has a header row: not when every heading is empty.
pub(crate) fn has_header(columns: &[Column]) -> bool {
    columns.iter().any(|c| !c.heading.trim().is_empty())
}

/// The alternative text of a figure: its caption, else the words drawn in it, else a
/// plain "Figure".
pub(crate) fn alternative_text(figure: &Figure, caption: &str) -> String {
    if !caption.trim().is_empty() {
        return caption.trim().to_string();
    }
    let words = figure.words();
    if words.is_empty() { String::from("Figure") } else { words }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with(language: &str, created: &str) -> Document {
        Document {
            title: String::from("T"),
            language: language.to_string(),
            created: created.to_string(),
            ..Document::default()
        }
    }

    #[test]
    fn languages_are_tags_with_an_optional_region() {
        let cases = [
            ("", Some(("en", Some("GB")))),
            ("en-GB", Some(("en", Some("GB")))),
            ("cy", Some(("cy", None))),
            ("CY_gb", Some(("cy", Some("GB")))),
            ("english", None),
            ("en-GBR", None),
            ("e1-GB", None),
            ("en-GB-x", None),
        ];
        for (tag, expected) in cases {
            let got = language(&with(tag, "")).ok();
            let expected = expected.map(|(l, r)| (l.to_string(), r.map(str::to_string)));
            assert_eq!(got, expected, "{tag:?}");
        }
    }

    #[test]
    fn creation_dates_are_days_in_either_form_and_never_invented() {
        let cases = [
            ("", Ok(None)),
            ("2013-03-28", Ok(Some((2013, 3, 28)))),
            ("D:20130328000000Z", Ok(Some((2013, 3, 28)))),
            ("2024-02-29", Ok(Some((2024, 2, 29)))),
            ("2023-02-29", Err(())),
            ("2013-13-01", Err(())),
            ("28 March 2013", Err(())),
            ("D:2013", Err(())),
        ];
        for (raw, expected) in cases {
            assert_eq!(created(&with("", raw)).map_err(|_| ()), expected, "{raw:?}");
        }
        let error = created(&with("", "yesterday")).expect_err("not a date");
        assert_eq!(error.to_string(), "document \"T\": creation date \"yesterday\" is not a date like `2013-03-28`");
    }

    #[test]
    fn text_splits_into_paragraphs_of_lines() {
        assert_eq!(
            paragraphs("One\ntwo\r\n\r\nThree\n\n\n  \n"),
            vec![vec![String::from("One"), String::from("two")], vec![String::from("Three")]]
        );
        assert!(paragraphs("  ").is_empty());
    }

    #[test]
    fn the_contents_list_goes_before_the_first_part() {
        let mut document = Document {
            blocks: vec![Block::heading(1, "Plan"), Block::paragraph("Intro"), Block::heading(2, "Vision")],
            ..Document::default()
        };
        assert_eq!(contents_position(&document), 2);
        document.blocks.truncate(2);
        assert_eq!(contents_position(&document), 2);
    }

    #[test]
    fn rows_are_padded_or_cut_to_the_columns() {
        let columns = vec![Column::new("A", 1.0), Column::new("", 1.0)];
        let rows = vec![vec![String::from("1")], vec![String::from("1"), String::from("2"), String::from("3")]];
        assert_eq!(table_cells(&columns, &rows), vec![vec!["1", ""], vec!["1", "2"]]);
        assert!(has_header(&columns));
        assert!(!has_header(&[Column::new(" ", 1.0)]));
    }
}
