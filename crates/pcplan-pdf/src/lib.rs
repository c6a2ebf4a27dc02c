//! A small PDF writer for pcplan's printable documents: Notices of Decision, the
//! Commissioner's response to a Panel report, and other papers that go into a board pack.
//!
//! A [`Document`] is a list of [`Block`]s (headings, paragraphs, labelled fields,
//! numbered paragraphs, lists, tables, figures); [`render`] lays them out on A4 pages and
//! writes a PDF 1.7 file. Text is set in Helvetica and Helvetica-Bold, two of the standard
//! fonts every PDF reader has, so nothing is embedded and the crate has no dependencies;
//! the price is that text is limited to the Windows-1252 repertoire (Latin letters, `£`,
//! `€`, curly quotes, dashes), and any other character is written as `?`. The HTML page
//! of each document is the accessible version; the PDF is for printing and filing.
//!
//! A [`Figure`] is a vector drawing (lines, polylines, rectangles, circles, polygons and
//! text, in RGB colours with stroke widths and dash patterns) in its own units, `y`
//! growing downwards as in SVG; the charts of `pcplan-charts` are converted into one by
//! pcplan-web's `pdf_chart`, so a PDF shows the same chart as the page. In a
//! [`Block::Figure`] it is drawn with PDF path operators (`m l re c h`, painted with
//! `S f B`), scaled down to the width of the text (never enlarged), kept whole on one
//! page, with its caption under it. Its text is real text in Helvetica, so readers
//! extract and search it; a "halo" (a white outline that keeps a label readable over
//! lines) is drawn as a white-stroked copy of the text (render mode 1) under the filled
//! text. Circles are four Bézier arcs.
//!
//! Output is deterministic: the same document gives the same bytes (numbers are written
//! with a fixed, small number of decimals), so tests can compare files and caches can use
//! the hash. Text is extracted again by any PDF reader in reading order (the tests use
//! `pdftotext`).

mod figure;
mod layout;
mod metrics;
mod writer;

pub use figure::{Anchor, Figure, Rgb, Shape, Stroke, Text};

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
    /// A vector figure with its caption under it (the caption may be empty). The figure
    /// is scaled to the width of the text, never enlarged, and moves to a new page rather
    /// than split; see [`Figure`].
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

/// The columns of a [`Block::Table`] of `rows` under `headings`, with weights from what
/// each holds (tables always span the text width, so the weights are shares of it): a
/// column of short figures stays narrow and a column of sentences gets the room left.
/// No word is broken when the table can be laid out without breaking one: every column
/// gets at least its longest word (headings in bold), and, room allowing, its longest
/// line unwrapped; the room between is shared out in proportion to what each column
/// would still need.
pub fn fit_columns(headings: &[&str], rows: &[Vec<String>]) -> Vec<Column> {
    layout::fit_columns(headings, rows)
}

/// Lays the document out on A4 pages and returns the PDF file.
pub fn render(document: &Document) -> Vec<u8> {
    let pages = layout::pages(document);
    writer::write(document, &pages)
}
