//! The Word file: the same [`Document`] as the PDF, written with docx-rs, for officers who
//! edit a notice, a response or a report in Word.
//!
//! docx-rs writes the body (paragraphs, runs, tables, fields, the header and footer, the
//! bullet numbering) and the package's relationships and content types. What docx-rs
//! 0.4 cannot write, this module adds:
//!
//! - `word/styles.xml` ([`styles`]): docx-rs defines no heading styles, so every style the
//!   body names is defined here: `Heading1`..`Heading6` with their outline levels (so
//!   Word's navigation pane and its contents field find them), list, caption, table text,
//!   header, footer, rule and contents styles, and a bordered `TableGrid` table style;
//!   the default font is Arial (Liberation Sans, the PDF's font, has its metrics) and
//!   the default language the document's.
//! - `docProps/core.xml` ([`core`]): docx-rs has no way to set the title, subject or
//!   author, and writes 1970 as the creation date; here they are the document's, and the
//!   dates are the document's own `created` day or absent.
//! - `<w:tblHeader/>` on each table's header row ([`patch_document`]), which docx-rs
//!   has no setter for: Word repeats that row at the top of every page the table runs
//!   over.
//! - Each figure's drawing properties ([`patch_document`]): docx-rs gives every picture
//!   the same id and no description; here each gets its own id, and its alternative text
//!   (the caption) as the description Word reads out.
//!
//! The archive docx-rs packs is then copied entry by entry into a new one with a fixed
//! date on every entry ([`repack`]), so the same document gives the same bytes whatever
//! the clock says.
//!
//! A figure is the same SVG the PDF embeds, rasterised to PNG with resvg (which typst's
//! SVG support already compiles) at two pixels to the point, in the vendored fonts, at
//! the width it has in the PDF, with its caption under it. The contents list is a Word
//! `TOC` field over the level 2 headings, its entries written out so it reads before
//! Word updates it and marked dirty so Word fills in the page numbers on opening.

use std::io::{Cursor, Read, Write};
use std::sync::{Arc, LazyLock};

use docx_rs::{
    AbstractNumbering, BreakType, Docx, FieldCharType, Footer, Header, Hyperlink, HyperlinkType, IndentLevel,
    InstrNUMPAGES, InstrPAGE, InstrText, Level, LevelJc, LevelText, LineSpacing, LineSpacingType, NumberFormat,
    Numbering, NumberingId, PageMargin, Paragraph, Pic, Run, Shading, SpecialIndentType, Start, Table, TableCell,
    TableLayoutType, TableRow, WidthType,
};
use resvg::{tiny_skia, usvg};

use crate::figure::escape;
use crate::typeset::{BOLD, REGULAR};
use crate::{Block, Column, Document, Error, Figure};

/// A4 in twentieths of a point.
const PAGE_WIDTH: u32 = 11906;
const PAGE_HEIGHT: u32 = 16838;
/// The side margins: 2 cm, as the PDF's.
const SIDE_MARGIN: i32 = 1134;
/// The width of the text, in twentieths of a point.
const TEXT_WIDTH: i32 = PAGE_WIDTH as i32 - 2 * SIDE_MARGIN;
/// The numbering (and its abstract definition) of bullets; docx-rs always writes a
/// decimal numbering with id 1, so bullets take 2.
const BULLETS: usize = 2;
/// The fill of a table's header row, as the PDF's.
const HEADER_FILL: &str = "EBEBEB";

/// See [`crate::render_docx`].
pub(crate) fn write(document: &Document) -> Result<Vec<u8>, Error> {
    let (language, region) = crate::language(document)?;
    let language = match region {
        Some(region) => format!("{language}-{region}"),
        None => language,
    };
    let created = crate::created(document)?;
    let failed = |message: String| Error::Docx { title: document.title.clone(), message };

    let mut docx = Docx::new()
        .page_size(PAGE_WIDTH, PAGE_HEIGHT)
        .page_margin(PageMargin {
            top: 1400,
            left: SIDE_MARGIN,
            bottom: 1240,
            right: SIDE_MARGIN,
            header: 567,
            footer: 567,
            gutter: 0,
        })
        .add_abstract_numbering(
            AbstractNumbering::new(BULLETS).add_level(
                Level::new(
                    0,
                    Start::new(1),
                    NumberFormat::new("bullet"),
                    LevelText::new("\u{2022}"),
                    LevelJc::new("left"),
                )
                .indent(Some(360), Some(SpecialIndentType::Hanging(360)), None, None),
            ),
        )
        .add_numbering(Numbering::new(BULLETS, BULLETS));
    if !document.body.trim().is_empty() || !document.date.trim().is_empty() {
        let line = Paragraph::new()
            .style("Header")
            .add_run(Run::new().add_text(clean(document.body.trim())))
            .add_run(Run::new().add_tab())
            .add_run(Run::new().add_text(clean(document.date.trim())));
        docx = docx.header(Header::new().add_paragraph(line));
    }
    docx = docx.footer(Footer::new().add_paragraph(footer(&document.footer)));

    // Headings the contents list points at get bookmarks named in order, never from a
    // counter shared across documents, so the same document gives the same names.
    let contents_at = document.contents.then(|| crate::contents_position(document));
    let parts: Vec<&str> = document
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Heading { level: 2, text } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let mut bookmarks = 0;
    let mut header_rows = Vec::new();
    // The alternative text of each figure drawn, in document order.
    let mut figures = Vec::new();
    for (index, block) in document.blocks.iter().enumerate() {
        if contents_at == Some(index) {
            for paragraph in contents(&parts) {
                docx = docx.add_paragraph(paragraph);
            }
        }
        match block {
            Block::Heading { level, text } => {
                let level = crate::heading_level(*level);
                let run = Run::new().add_text(clean(text));
                let paragraph = Paragraph::new().style(&format!("Heading{level}"));
                let paragraph = if document.contents && level == 2 {
                    bookmarks += 1;
                    paragraph
                        .add_bookmark_start(bookmarks, bookmark(bookmarks))
                        .add_run(run)
                        .add_bookmark_end(bookmarks)
                } else {
                    paragraph.add_run(run)
                };
                docx = docx.add_paragraph(paragraph);
            }
            Block::Paragraph(text) | Block::Strong(text) => {
                let bold = matches!(block, Block::Strong(_));
                for lines in crate::paragraphs(text) {
                    docx = docx.add_paragraph(with_lines(Paragraph::new(), &lines, bold));
                }
            }
            Block::Lines(lines) => docx = docx.add_paragraph(with_lines(Paragraph::new(), lines, false)),
            Block::Field { label, value } => {
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .add_run(Run::new().add_text(clean(label)).bold())
                        .add_run(Run::new().add_text(clean(value))),
                );
            }
            Block::Numbered { number, text } => {
                for (i, lines) in crate::paragraphs(text).iter().enumerate() {
                    let lead = if i == 0 { Run::new().add_text(clean(number)).add_tab() } else { Run::new().add_tab() };
                    let paragraph = Paragraph::new().style("NumberedParagraph").add_run(lead);
                    docx = docx.add_paragraph(with_lines(paragraph, lines, false));
                }
            }
            Block::Bullets(items) => {
                for item in items {
                    let lines: Vec<String> = item.lines().map(str::to_string).collect();
                    let paragraph =
                        Paragraph::new().style("ListBullet").numbering(NumberingId::new(BULLETS), IndentLevel::new(0));
                    docx = docx.add_paragraph(with_lines(paragraph, &lines, false));
                }
            }
            Block::Table { columns, rows } => {
                if columns.is_empty() {
                    continue;
                }
                header_rows.push(crate::has_header(columns));
                docx = docx.add_table(table(columns, rows));
            }
            Block::Figure { figure, caption } => {
                let alternative = crate::alternative_text(figure, caption);
                if let Some(picture) = png(figure).map_err(failed)? {
                    figures.push(alternative);
                    let emu = |points: f32| (points * 12_700.0).round() as u32;
                    let height_points = picture.points * figure.height / figure.width;
                    let picture = Pic::new_with_dimensions(picture.png, picture.width, picture.height)
                        .size(emu(picture.points), emu(height_points))
                        .id(format!("rIdImage{}", figures.len()));
                    docx = docx.add_paragraph(
                        Paragraph::new().style("Figure").keep_next(true).add_run(Run::new().add_image(picture)),
                    );
                }
                if !caption.trim().is_empty() {
                    docx = docx.add_paragraph(
                        Paragraph::new().style("Caption").add_run(Run::new().add_text(clean(caption.trim()))),
                    );
                }
            }
            Block::Space(points) => {
                let points = if points.is_finite() { points.clamp(1.0, 500.0) } else { 1.0 };
                // Rounded to whole twentieths of a point, which is what Word stores.
                let twips = (points * 20.0).round() as i32;
                docx = docx.add_paragraph(
                    Paragraph::new()
                        .line_spacing(LineSpacing::new().line(twips).line_rule(LineSpacingType::Exact).after(0)),
                );
            }
            Block::Rule => docx = docx.add_paragraph(Paragraph::new().style("Rule")),
        }
    }
    if contents_at == Some(document.blocks.len()) {
        for paragraph in contents(&parts) {
            docx = docx.add_paragraph(paragraph);
        }
    }

    let mut packed = Cursor::new(Vec::new());
    docx.build().pack(&mut packed).map_err(|e| failed(format!("packing the parts: {e}")))?;
    let parts = Parts { core: core(document, &language, created), styles: styles(&language), header_rows, figures };
    repack(&packed.into_inner(), &parts).map_err(failed)
}

/// Text Word can hold: the control characters XML forbids are written as spaces (docx-rs
/// escapes markup itself).
fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if (u32::from(c) < 0x20 && c != '\t') || c == '\u{fffe}' || c == '\u{ffff}' { ' ' } else { c })
        .collect()
}

/// `paragraph` with `lines` added as runs separated by line breaks.
fn with_lines(mut paragraph: Paragraph, lines: &[String], bold: bool) -> Paragraph {
    for (i, line) in lines.iter().enumerate() {
        let mut run = Run::new();
        if i > 0 {
            run = run.add_break(BreakType::TextWrapping);
        }
        run = run.add_text(clean(line));
        if bold {
            run = run.bold();
        }
        paragraph = paragraph.add_run(run);
    }
    paragraph
}

/// The footer: the document's footer text, then "Page n of m" from Word's `PAGE` and
/// `NUMPAGES` fields (with 1 as their text until Word updates them).
fn footer(text: &str) -> Paragraph {
    let lead = if text.trim().is_empty() { String::new() } else { format!("{} \u{2014} ", clean(text.trim())) };
    let mut paragraph = Paragraph::new().style("Footer").add_run(Run::new().add_text(format!("{lead}Page ")));
    for run in field(InstrText::PAGE(InstrPAGE::new()), "1", false) {
        paragraph = paragraph.add_run(run);
    }
    paragraph = paragraph.add_run(Run::new().add_text(" of "));
    for run in field(InstrText::NUMPAGES(InstrNUMPAGES::new()), "1", false) {
        paragraph = paragraph.add_run(run);
    }
    paragraph
}

fn bookmark(number: usize) -> String {
    format!("_TocPart{number}")
}

/// The runs of a field: its start, its instruction, the separator, its text as shown
/// until Word updates it, and its end. Each is a run of its own, which is how Word writes
/// fields and the only way LibreOffice reads them.
fn field(instruction: InstrText, shown: &str, dirty: bool) -> [Run; 5] {
    [
        Run::new().add_field_char(FieldCharType::Begin, dirty),
        Run::new().add_instr_text(instruction),
        Run::new().add_field_char(FieldCharType::Separate, false),
        Run::new().add_text(shown),
        Run::new().add_field_char(FieldCharType::End, false),
    ]
}

/// The contents list: a title, then a `TOC` field over the level 2 headings whose
/// entries are written out (each linked to its heading's bookmark, its page number a
/// `PAGEREF` field left empty) and which is marked dirty, so Word fills in the page
/// numbers when it opens the file.
fn contents(parts: &[&str]) -> Vec<Paragraph> {
    let mut paragraphs = vec![Paragraph::new().style("TOCHeading").add_run(Run::new().add_text("Contents"))];
    let begin = [
        Run::new().add_field_char(FieldCharType::Begin, true),
        Run::new().add_instr_text(InstrText::Unsupported(String::from(r#"TOC \o "2-2" \h \z"#))),
        Run::new().add_field_char(FieldCharType::Separate, false),
    ];
    let end = Run::new().add_field_char(FieldCharType::End, false);
    if parts.is_empty() {
        let mut paragraph = Paragraph::new().style("TOC2");
        for run in begin {
            paragraph = paragraph.add_run(run);
        }
        paragraphs.push(paragraph.add_run(end));
        return paragraphs;
    }
    for (i, part) in parts.iter().enumerate() {
        let name = bookmark(i + 1);
        let mut paragraph = Paragraph::new().style("TOC2");
        if i == 0 {
            for run in begin.clone() {
                paragraph = paragraph.add_run(run);
            }
        }
        let mut link = Hyperlink::new(&name, HyperlinkType::Anchor)
            .add_run(Run::new().add_text(clean(part)))
            .add_run(Run::new().add_tab());
        for run in field(InstrText::Unsupported(format!(r"PAGEREF {name} \h")), "", false) {
            link = link.add_run(run);
        }
        paragraph = paragraph.add_hyperlink(link);
        if i + 1 == parts.len() {
            paragraph = paragraph.add_run(end.clone());
        }
        paragraphs.push(paragraph);
    }
    paragraphs
}

/// A table across the text width, its columns in proportion to their weights; the
/// header row (when any heading is set) bold on grey, and no row split across pages.
fn table(columns: &[Column], rows: &[Vec<String>]) -> Table {
    let weights: Vec<f32> =
        columns.iter().map(|c| if c.weight.is_finite() { c.weight.max(0.01) } else { 1.0 }).collect();
    let total: f32 = weights.iter().sum();
    let widths: Vec<usize> = weights.iter().map(|w| (TEXT_WIDTH as f32 * w / total).round() as usize).collect();
    let cell = |text: &str, width: usize, header: bool| {
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let mut cell = TableCell::new().width(width, WidthType::Dxa).add_paragraph(with_lines(
            Paragraph::new().style("TableText"),
            &lines,
            header,
        ));
        if header {
            cell = cell.shading(Shading::new().fill(HEADER_FILL));
        }
        cell
    };
    let mut table_rows = Vec::new();
    if crate::has_header(columns) {
        let cells = columns.iter().zip(&widths).map(|(c, w)| cell(&c.heading, *w, true)).collect();
        table_rows.push(TableRow::new(cells).cant_split());
    }
    for row in crate::table_cells(columns, rows) {
        let cells = row.iter().zip(&widths).map(|(text, w)| cell(text, *w, false)).collect();
        table_rows.push(TableRow::new(cells).cant_split());
    }
    // docx-rs writes black borders into every table unless told not to; without them
    // the table style's grey borders apply, as in the PDF.
    Table::without_borders(table_rows)
        .style("TableGrid")
        .set_grid(widths)
        .width(TEXT_WIDTH as usize, WidthType::Dxa)
        .layout(TableLayoutType::Fixed)
}

/// The parts this module writes itself, and what it adds to docx-rs's.
struct Parts {
    core: String,
    styles: String,
    /// For each table in document order, whether its first row is a header row.
    header_rows: Vec<bool>,
    /// The alternative text of each figure drawn, in document order.
    figures: Vec<String>,
}

/// The package's core properties: title, subject, author and language, and the
/// document's own creation date when it has one.
fn core(document: &Document, language: &str, created: Option<(i32, u8, u8)>) -> String {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">"#,
    );
    for (element, value) in
        [("dc:title", &document.title), ("dc:subject", &document.subject), ("dc:creator", &document.author)]
    {
        if !value.trim().is_empty() {
            xml.push_str(&format!("<{element}>{}</{element}>", escape(value.trim())));
        }
    }
    xml.push_str(&format!("<dc:language>{}</dc:language>", escape(language)));
    if let Some((year, month, day)) = created {
        let date = format!("{year:04}-{month:02}-{day:02}T00:00:00Z");
        xml.push_str(&format!(
            r#"<dcterms:created xsi:type="dcterms:W3CDTF">{date}</dcterms:created><dcterms:modified xsi:type="dcterms:W3CDTF">{date}</dcterms:modified>"#
        ));
    }
    xml.push_str("</cp:coreProperties>");
    xml
}

/// A paragraph style: its id, its name as Word shows it, and its properties.
fn paragraph_style(id: &str, name: &str, extra: &str, paragraph: &str, run: &str) -> String {
    format!(
        r#"<w:style w:type="paragraph" w:styleId="{id}"><w:name w:val="{name}"/><w:basedOn w:val="Normal"/>{extra}<w:pPr>{paragraph}</w:pPr><w:rPr>{run}</w:rPr></w:style>"#
    )
}

/// Every style the body names, defined here: docx-rs defines no heading styles, and a
/// style Word cannot find is shown as Normal.
fn styles(language: &str) -> String {
    let language = escape(language);
    let mut xml = format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Arial" w:hAnsi="Arial" w:eastAsia="Arial" w:cs="Arial"/><w:sz w:val="21"/><w:szCs w:val="21"/><w:lang w:val="{language}" w:eastAsia="{language}" w:bidi="{language}"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="120" w:line="264" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style><w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style><w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/><w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style><w:style w:type="numbering" w:default="1" w:styleId="NoList"><w:name w:val="No List"/><w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"#
    );
    // Half-points, as the PDF's heading sizes: 16, 13, 11.5 and then the body size.
    for (level, size) in [(1, 32), (2, 26), (3, 23), (4, 21), (5, 21), (6, 21)] {
        xml.push_str(&paragraph_style(
            &format!("Heading{level}"),
            &format!("heading {level}"),
            r#"<w:next w:val="Normal"/><w:uiPriority w:val="9"/><w:qFormat/>"#,
            &format!(
                r#"<w:keepNext/><w:keepLines/><w:spacing w:before="300" w:after="120"/><w:outlineLvl w:val="{}"/>"#,
                level - 1
            ),
            &format!(r#"<w:b/><w:bCs/><w:sz w:val="{size}"/><w:szCs w:val="{size}"/>"#),
        ));
    }
    let others = [
        // The contents list's title is not itself a heading in the outline.
        (
            "TOCHeading",
            "TOC Heading",
            r#"<w:keepNext/><w:spacing w:before="300" w:after="120"/><w:outlineLvl w:val="9"/>"#,
            r#"<w:b/><w:bCs/><w:sz w:val="26"/><w:szCs w:val="26"/>"#,
        ),
        (
            "TOC2",
            "toc 2",
            r#"<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="9638"/></w:tabs><w:spacing w:after="60"/>"#,
            "",
        ),
        ("ListBullet", "List Bullet", r#"<w:spacing w:after="60"/><w:ind w:left="360" w:hanging="360"/>"#, ""),
        (
            "NumberedParagraph",
            "Numbered Paragraph",
            r#"<w:tabs><w:tab w:val="left" w:pos="480"/></w:tabs><w:ind w:left="480" w:hanging="480"/>"#,
            "",
        ),
        ("Figure", "Figure", r#"<w:keepNext/><w:spacing w:before="120" w:after="60"/>"#, ""),
        (
            "Caption",
            "caption",
            r#"<w:spacing w:before="60" w:after="200"/>"#,
            r#"<w:sz w:val="19"/><w:szCs w:val="19"/>"#,
        ),
        (
            "TableText",
            "Table Text",
            r#"<w:spacing w:after="0" w:line="240" w:lineRule="auto"/>"#,
            r#"<w:sz w:val="19"/><w:szCs w:val="19"/>"#,
        ),
        (
            "Header",
            "header",
            r#"<w:pBdr><w:bottom w:val="single" w:sz="4" w:space="1" w:color="999999"/></w:pBdr><w:tabs><w:tab w:val="right" w:pos="9638"/></w:tabs><w:spacing w:after="0"/>"#,
            r#"<w:color w:val="404040"/><w:sz w:val="16"/><w:szCs w:val="16"/>"#,
        ),
        (
            "Footer",
            "footer",
            r#"<w:jc w:val="center"/><w:spacing w:after="0"/>"#,
            r#"<w:sz w:val="16"/><w:szCs w:val="16"/>"#,
        ),
        (
            "Rule",
            "Horizontal Rule",
            r#"<w:pBdr><w:bottom w:val="single" w:sz="6" w:space="1" w:color="666666"/></w:pBdr><w:spacing w:after="160"/>"#,
            "",
        ),
    ];
    for (id, name, paragraph, run) in others {
        xml.push_str(&paragraph_style(id, name, "", paragraph, run));
    }
    xml.push_str(r#"<w:style w:type="table" w:styleId="TableGrid"><w:name w:val="Table Grid"/><w:basedOn w:val="TableNormal"/><w:uiPriority w:val="39"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:left w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:bottom w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:right w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideH w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/><w:insideV w:val="single" w:sz="4" w:space="0" w:color="8C8C8C"/></w:tblBorders><w:tblCellMar><w:top w:w="60" w:type="dxa"/><w:left w:w="80" w:type="dxa"/><w:bottom w:w="60" w:type="dxa"/><w:right w:w="80" w:type="dxa"/></w:tblCellMar></w:tblPr></w:style>"#);
    xml.push_str("</w:styles>");
    xml
}

/// `document.xml` with `<w:tblHeader/>` added to the first row of each table that has a
/// header row, and each picture given its own id and its alternative text.
///
/// Every row docx-rs writes here carries `<w:cantSplit />` (see [`table`]), so the header
/// mark goes right after the first one following the table's start; every picture's
/// drawing properties are docx-rs's fixed `<wp:docPr id="1" name="Figure" />`. Neither
/// can occur in text, because docx-rs escapes `<` in text.
fn patch_document(document: &str, header_rows: &[bool], figures: &[String]) -> Result<String, String> {
    const TABLE: &str = "<w:tbl>";
    const CANT_SPLIT: &str = "<w:cantSplit />";
    const PICTURE: &str = r#"<wp:docPr id="1" name="Figure" />"#;
    let mut out = String::with_capacity(document.len() + 16 * header_rows.len());
    let mut rest = document;
    let mut tables = header_rows.iter();
    while let Some(start) = rest.find(TABLE) {
        let has_header = tables.next().ok_or("docx-rs wrote more tables than the document has")?;
        let (before, after) = rest.split_at(start + TABLE.len());
        out.push_str(before);
        rest = after;
        if *has_header {
            let at = rest.find(CANT_SPLIT).ok_or("a table's first row has no row properties")? + CANT_SPLIT.len();
            out.push_str(&rest[..at]);
            out.push_str("<w:tblHeader />");
            rest = &rest[at..];
        }
    }
    if tables.next().is_some() {
        return Err(String::from("docx-rs wrote fewer tables than the document has"));
    }
    out.push_str(rest);

    let pictures: Vec<&str> = out.split(PICTURE).collect();
    if pictures.len() != figures.len() + 1 {
        return Err(format!("docx-rs wrote {} pictures for {} figures", pictures.len() - 1, figures.len()));
    }
    let mut patched = String::with_capacity(out.len() + figures.iter().map(String::len).sum::<usize>());
    for (i, part) in pictures.iter().enumerate() {
        patched.push_str(part);
        if let Some(alternative) = figures.get(i) {
            patched.push_str(&format!(
                r#"<wp:docPr id="{}" name="Figure {}" descr="{}" />"#,
                i + 1,
                i + 1,
                escape(alternative)
            ));
        }
    }
    Ok(patched)
}

/// Pixels to the point in a figure's PNG: 144 pixels to the inch, sharp on paper.
const PIXELS_PER_POINT: f32 = 2.0;

/// The vendored fonts, for the text of figures.
static FONTS: LazyLock<Arc<usvg::fontdb::Database>> = LazyLock::new(|| {
    let mut fonts = usvg::fontdb::Database::new();
    fonts.load_font_data(REGULAR.to_vec());
    fonts.load_font_data(BOLD.to_vec());
    Arc::new(fonts)
});

/// A figure drawn as a PNG for Word.
struct Picture {
    png: Vec<u8>,
    /// Its size in pixels.
    width: u32,
    height: u32,
    /// Its width on the page, in points: the width it has in the PDF.
    points: f32,
}

/// The figure as a PNG on white, at the width it has in the PDF; `None` for a figure
/// without area.
fn png(figure: &Figure) -> Result<Option<Picture>, String> {
    let svg = figure.to_svg();
    if svg.is_empty() {
        return Ok(None);
    }
    let options = usvg::Options {
        font_family: String::from("Liberation Sans"),
        fontdb: Arc::clone(&FONTS),
        ..usvg::Options::default()
    };
    let tree = usvg::Tree::from_str(&svg, &options).map_err(|e| format!("reading a figure's SVG: {e}"))?;
    let points = crate::typeset::figure_width(figure.width, figure.height);
    let scale = points * PIXELS_PER_POINT / figure.width;
    let width = (figure.width * scale).ceil().max(1.0) as u32;
    let height = (figure.height * scale).ceil().max(1.0) as u32;
    let mut pixmap = tiny_skia::Pixmap::new(width, height).ok_or("a figure too large to draw")?;
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(&tree, tiny_skia::Transform::from_scale(scale, scale), &mut pixmap.as_mut());
    let png = pixmap.encode_png().map_err(|e| format!("writing a figure as PNG: {e}"))?;
    Ok(Some(Picture { png, width, height, points }))
}

/// docx-rs's archive copied into a new one: this module's own parts in place of
/// docx-rs's, header rows marked, every entry compressed and dated 1980-01-01 (the
/// earliest date a zip entry can have), so that nothing in the file depends on the clock.
fn repack(packed: &[u8], parts: &Parts) -> Result<Vec<u8>, String> {
    let mut archive = zip::ZipArchive::new(Cursor::new(packed)).map_err(|e| format!("reading the package: {e}"))?;
    let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .last_modified_time(zip::DateTime::default());
    for index in 0..archive.len() {
        let mut entry = archive.by_index(index).map_err(|e| format!("reading entry {index}: {e}"))?;
        let name = entry.name().map_err(|e| format!("reading the name of entry {index}: {e}"))?.to_string();
        if entry.is_dir() {
            // Zip readers need no directory entries; leaving them out keeps the file small.
            continue;
        }
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).map_err(|e| format!("reading {name}: {e}"))?;
        let bytes = match name.as_str() {
            "docProps/core.xml" => parts.core.clone().into_bytes(),
            "word/styles.xml" => parts.styles.clone().into_bytes(),
            "word/document.xml" => {
                let xml = String::from_utf8(bytes).map_err(|e| format!("{name} is not UTF-8: {e}"))?;
                patch_document(&xml, &parts.header_rows, &parts.figures)?.into_bytes()
            }
            _ => bytes,
        };
        out.start_file(name.as_str(), options).map_err(|e| format!("writing {name}: {e}"))?;
        out.write_all(&bytes).map_err(|e| format!("writing {name}: {e}"))?;
    }
    let written = out.finish().map_err(|e| format!("finishing the package: {e}"))?;
    Ok(written.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_rows_are_marked_in_the_tables_that_have_one() {
        let xml = "<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl>\
                   <w:tbl><w:tr><w:trPr><w:cantSplit /></w:trPr></w:tr></w:tbl></w:body>";
        let marked = patch_document(xml, &[true, false], &[]).expect("two tables");
        assert_eq!(marked.matches("<w:tblHeader />").count(), 1);
        assert!(marked.starts_with("<w:body><w:tbl><w:tr><w:trPr><w:cantSplit /><w:tblHeader /></w:trPr>"), "{marked}");
        assert!(patch_document(xml, &[true], &[]).is_err(), "a table the document does not have");
        assert!(patch_document(xml, &[true, true, true], &[]).is_err(), "a table docx-rs did not write");
    }

    #[test]
    fn pictures_get_their_own_ids_and_descriptions() {
        let xml = r#"<w:p><wp:docPr id="1" name="Figure" /></w:p><w:p><wp:docPr id="1" name="Figure" /></w:p>"#;
        let figures = [String::from("Burglaries & thefts"), String::from("Milestones")];
        assert_eq!(
            patch_document(xml, &[], &figures).expect("two pictures"),
            r#"<w:p><wp:docPr id="1" name="Figure 1" descr="Burglaries &amp; thefts" /></w:p><w:p><wp:docPr id="2" name="Figure 2" descr="Milestones" /></w:p>"#
        );
        assert!(patch_document(xml, &[], &figures[..1]).is_err());
    }

    #[test]
    fn control_characters_become_spaces() {
        assert_eq!(clean("a\u{7}b\tc\u{ffff}"), "a b\tc ");
    }
}
