//! A small PDF writer for pcplan's printable documents: Notices of Decision, the
//! Commissioner's response to a Panel report, and other papers that go into a board pack.
//!
//! A [`Document`] is a list of [`Block`]s (headings, paragraphs, labelled fields,
//! numbered paragraphs, lists, tables); [`render`] lays them out on A4 pages and writes a
//! PDF 1.7 file. Text is set in Helvetica and Helvetica-Bold, two of the standard fonts
//! every PDF reader has, so nothing is embedded and the crate has no dependencies; the
//! price is that text is limited to the Windows-1252 repertoire (Latin letters, `£`,
//! `€`, curly quotes, dashes), and any other character is written as `?`. The HTML page
//! of each document is the accessible version; the PDF is for printing and filing.
//!
//! Output is deterministic: the same document gives the same bytes, so tests can compare
//! files and caches can use the hash. Text is extracted again by any PDF reader in
//! reading order (the tests use `pdftotext`).

mod layout;
mod metrics;
mod writer;

/// A document to print.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Document {
    /// The title readers show instead of the file name.
    pub title: String,
    pub author: String,
    pub subject: String,
    /// The creation date as PDF writes it (`D:20130328000000Z`); empty to leave it out,
    /// which keeps the bytes the same from one run to the next.
    pub created: String,
    /// Printed at the foot of every page before "Page n of m".
    pub footer: String,
    pub blocks: Vec<Block>,
}

/// One block of content, laid out from the top of the page down.
#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    /// A heading; level 1 is the largest.
    Heading { level: u8, text: String },
    /// A paragraph of running text, wrapped to the page width. Blank lines inside start
    /// new paragraphs.
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
    /// A table with a header row repeated on every page it runs over. Column widths are
    /// shares of the page width, in proportion to each column's `weight`.
    Table { columns: Vec<Column>, rows: Vec<Vec<String>> },
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

    pub fn numbered(number: impl Into<String>, text: impl Into<String>) -> Self {
        Block::Numbered { number: number.into(), text: text.into() }
    }
}

/// Lays the document out on A4 pages and returns the PDF file.
pub fn render(document: &Document) -> Vec<u8> {
    let pages = layout::pages(document);
    writer::write(document, &pages)
}
