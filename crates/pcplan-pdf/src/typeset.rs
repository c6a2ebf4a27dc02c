//! The PDF: a [`Document`] turned into typst values, typeset by the fixed template
//! (`template.typ`) and exported with typst-pdf.
//!
//! The document travels as one dictionary in `sys.inputs` (strings, numbers, booleans,
//! arrays, a date and the figures' SVG as bytes), never as typst source, so no text a
//! caller passes is ever parsed as markup or code. Layout decisions that need Rust (the
//! place of the contents list, the scale of each figure, padding table rows) are made
//! here so that the template only walks the blocks.
//!
//! The engine is built once per process ([`ENGINE`]): the template parsed, and the fonts
//! parsed into typst's font book from bytes compiled into the binary, the vendored
//! Liberation Sans first and typst-assets' fonts behind it as fallback. No font is read
//! from the machine and nothing is downloaded (typst-as-lib is built without its
//! `packages` feature, so an `#import "@preview/..."` could not resolve).
//!
//! The PDF is tagged (typst-pdf's default) and carries no clock: the creation date is the
//! document's own or none, and the identifier is typst's hash of the title and author, so
//! the same document gives the same bytes.

use std::sync::LazyLock;

use typst::foundations::{Array, Bytes, Datetime, Dict, IntoValue, Smart, Value};
use typst_as_lib::{TypstAsLibError, TypstEngine, TypstTemplateMainFile};
use typst_pdf::PdfOptions;

use crate::columns::TEXT_WIDTH;
use crate::{Block, Document, Error};

/// Liberation Sans Regular 2.1.5 (SIL OFL 1.1); see `fonts/README.md`.
pub(crate) static REGULAR: &[u8] = include_bytes!("../fonts/LiberationSans-Regular.ttf");
/// Liberation Sans Bold 2.1.5 (SIL OFL 1.1).
pub(crate) static BOLD: &[u8] = include_bytes!("../fonts/LiberationSans-Bold.ttf");

/// The template every PDF is typeset with.
static TEMPLATE: &str = include_str!("template.typ");

/// The height of the page's text area: A4 less the template's top and bottom margins.
const TEXT_HEIGHT: f32 = 841.89 - 70.0 - 62.0;
/// Room a figure leaves on its page for two lines of caption.
const CAPTION_ROOM: f32 = 2.0 * 12.5 + 6.0;

/// The template and the fonts, parsed once per process.
static ENGINE: LazyLock<TypstEngine<TypstTemplateMainFile>> = LazyLock::new(|| {
    let fonts = [REGULAR, BOLD].into_iter().chain(typst_assets::fonts());
    TypstEngine::builder().main_file(TEMPLATE).fonts(fonts).build()
});

/// See [`crate::render`].
pub(crate) fn pdf(document: &Document) -> Result<Vec<u8>, Error> {
    let inputs = inputs(document)?;
    let typeset = |messages: Vec<String>| Error::Typeset { title: document.title.clone(), messages };
    let compiled = ENGINE.compile_with_input(inputs).output.map_err(|error| typeset(messages(error)))?;
    // No timestamp: typst writes the date the template set from `created`, or none.
    let options = PdfOptions { timestamp: None, ident: Smart::Auto, ..PdfOptions::default() };
    typst_pdf::pdf(&compiled, &options)
        .map_err(|diagnostics| typeset(diagnostics.iter().map(|d| d.message.to_string()).collect()))
}

/// typst's messages, one per error.
fn messages(error: TypstAsLibError) -> Vec<String> {
    match error {
        TypstAsLibError::TypstSource(diagnostics) => diagnostics.iter().map(|d| d.message.to_string()).collect(),
        other => vec![other.to_string()],
    }
}

fn value(text: &str) -> Value {
    text.into_value()
}

/// A list of strings as a typst array.
fn strings<'a>(items: impl IntoIterator<Item = &'a String>) -> Value {
    Value::Array(items.into_iter().map(|s| value(s)).collect::<Array>())
}

/// Text as an array of paragraphs, each an array of lines.
fn paragraphs(text: &str) -> Value {
    Value::Array(crate::paragraphs(text).iter().map(strings).collect::<Array>())
}

fn dict(kind: &str, fields: impl IntoIterator<Item = (&'static str, Value)>) -> Value {
    let mut dict = Dict::new();
    dict.insert("kind".into(), value(kind));
    for (key, value) in fields {
        dict.insert(key.into(), value);
    }
    Value::Dict(dict)
}

/// The width in points a figure is drawn at: as wide as the text when it is wider, never
/// enlarged (a narrow figure's text would grow past the body text), and narrower still
/// when it would otherwise be taller than a page less room for its caption.
pub(crate) fn figure_width(width: f32, height: f32) -> f32 {
    let scale = (TEXT_WIDTH / width).min((TEXT_HEIGHT - CAPTION_ROOM) / height).min(1.0);
    width * scale
}

/// The block as the template reads it; `None` for a block that prints nothing (a table
/// without columns).
fn block(block: &Block) -> Option<Value> {
    Some(match block {
        Block::Heading { level, text } => {
            dict("heading", [("level", i64::from(crate::heading_level(*level)).into_value()), ("text", value(text))])
        }
        Block::Paragraph(text) => dict("paragraph", [("paragraphs", paragraphs(text))]),
        Block::Strong(text) => dict("strong", [("paragraphs", paragraphs(text))]),
        Block::Lines(lines) => dict("lines", [("lines", strings(lines))]),
        Block::Field { label, value: text } => dict("field", [("label", value(label)), ("value", value(text))]),
        Block::Numbered { number, text } => {
            dict("numbered", [("number", value(number)), ("paragraphs", paragraphs(text))])
        }
        Block::Bullets(items) => {
            let lines = |item: &String| Value::Array(item.lines().map(value).collect());
            dict("bullets", [("items", Value::Array(items.iter().map(lines).collect()))])
        }
        Block::Table { columns, rows } => {
            if columns.is_empty() {
                return None;
            }
            let weights =
                columns.iter().map(|c| f64::from(if c.weight.is_finite() { c.weight.max(0.01) } else { 1.0 }));
            let cells = crate::table_cells(columns, rows);
            dict(
                "table",
                [
                    ("weights", Value::Array(weights.map(IntoValue::into_value).collect())),
                    ("header", crate::has_header(columns).into_value()),
                    ("headings", strings(columns.iter().map(|c| &c.heading))),
                    ("rows", Value::Array(cells.iter().map(strings).collect())),
                ],
            )
        }
        Block::Figure { figure, caption } => {
            let svg = figure.to_svg();
            let image = if svg.is_empty() { Value::None } else { Value::Bytes(Bytes::new(svg.into_bytes())) };
            let width = if figure.has_area() { figure_width(figure.width, figure.height) } else { 0.0 };
            dict(
                "figure",
                [
                    ("svg", image),
                    ("width", f64::from(width).into_value()),
                    ("caption", value(caption.trim())),
                    ("alt", value(&crate::alternative_text(figure, caption))),
                ],
            )
        }
        Block::Space(points) => {
            let points = if points.is_finite() { points.clamp(0.0, TEXT_HEIGHT) } else { 0.0 };
            dict("space", [("points", f64::from(points).into_value())])
        }
        Block::Rule => dict("rule", []),
    })
}

/// The dictionary the template reads as `sys.inputs`.
fn inputs(document: &Document) -> Result<Dict, Error> {
    let (language, region) = crate::language(document)?;
    let date = match crate::created(document)? {
        Some((year, month, day)) => Datetime::from_ymd(year, month, day).map_or(Value::None, Value::Datetime),
        None => Value::None,
    };
    let mut blocks: Vec<Value> = document.blocks.iter().filter_map(block).collect();
    if document.contents {
        // Blocks that typeset to nothing were dropped, so count from the document's.
        let before = document.blocks[..crate::contents_position(document)]
            .iter()
            .filter(|b| !matches!(b, Block::Table { columns, .. } if columns.is_empty()))
            .count();
        blocks.insert(before, dict("contents", []));
    }
    let optional = |text: &str| if text.trim().is_empty() { Value::None } else { value(text.trim()) };
    let footer_lead =
        if document.footer.trim().is_empty() { String::new() } else { format!("{} \u{2014} ", document.footer.trim()) };
    let mut inputs = Dict::new();
    inputs.insert("title".into(), optional(&document.title));
    let author = document.author.trim();
    let authors: Array = if author.is_empty() { Array::new() } else { std::iter::once(value(author)).collect() };
    inputs.insert("author".into(), Value::Array(authors));
    inputs.insert("subject".into(), optional(&document.subject));
    inputs.insert("date".into(), date);
    inputs.insert("language".into(), value(&language));
    inputs.insert("region".into(), region.map_or(Value::None, |r| value(&r)));
    inputs.insert("body".into(), value(document.body.trim()));
    inputs.insert("dated".into(), value(document.date.trim()));
    inputs.insert("footer".into(), value(&footer_lead));
    inputs.insert("blocks".into(), Value::Array(blocks.into_iter().collect()));
    Ok(inputs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_as_wide_as_the_text_at_most_and_never_enlarged() {
        assert!((figure_width(640.0, 320.0) - TEXT_WIDTH).abs() < 0.001);
        assert_eq!(figure_width(200.0, 100.0), 200.0);
        // Taller than a page: narrowed until its height fits with two caption lines.
        let width = figure_width(2000.0, 20000.0);
        assert!((width * 10.0 - (TEXT_HEIGHT - CAPTION_ROOM)).abs() < 0.01, "{width}");
    }

    #[test]
    fn the_contents_list_is_placed_among_the_blocks_the_template_walks() {
        let document = Document {
            contents: true,
            blocks: vec![
                Block::heading(1, "Plan"),
                Block::Table { columns: Vec::new(), rows: Vec::new() },
                Block::heading(2, "Vision"),
            ],
            ..Document::default()
        };
        let inputs = inputs(&document).expect("the inputs");
        let blocks = inputs.get("blocks").expect("blocks").clone().cast::<Array>().expect("an array");
        let kinds: Vec<String> = blocks
            .iter()
            .map(|b| {
                let dict = b.clone().cast::<Dict>().expect("a block");
                dict.get("kind").expect("a kind").clone().cast::<String>().expect("a string")
            })
            .collect();
        assert_eq!(kinds, ["heading", "contents", "heading"]);
    }
}
