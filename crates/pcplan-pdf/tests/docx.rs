//! Whole Word files, unzipped and read: headings in Word's own heading styles (defined
//! in the file, with outline levels, so Word's navigation pane shows them), table header
//! rows marked to repeat, the core properties, figures as pictures with descriptions,
//! the contents field, the same bytes from the same document; and, where LibreOffice is
//! installed, the file converted to PDF and read back.

mod common;

use std::io::{Cursor, Read};
use std::process::Command;

use common::{TempFile, document, squeeze};
use pcplan_pdf::{Block, Column, Document, Figure, Rgb, Shape, Stroke, Text, render_docx};

fn report() -> Document {
    let mut figure = Figure::new(640.0, 240.0);
    figure.shapes.push(Shape::Rect {
        x: 40.0,
        y: 40.0,
        width: 560.0,
        height: 160.0,
        fill: None,
        stroke: Some(Stroke::solid(Rgb::new(0x50, 0x5a, 0x5f), 1.0)),
    });
    figure.shapes.push(Shape::Text(Text::new(60.0, 120.0, "Burglaries", 14.0)));
    let mut report = document(vec![
        Block::heading(1, "Board performance report"),
        Block::field("Period: ", "Quarter 2, 2024 to 2025"),
        Block::heading(2, "Summary"),
        Block::paragraph("Two measures improved & one \u{7}deteriorated."),
        Block::Bullets(vec![String::from("Burglary fell"), String::from("Robbery rose")]),
        Block::heading(2, "Exceptions"),
        Block::heading(3, "Burglary"),
        Block::figure(figure, "Figure 1: burglaries recorded each month"),
        Block::Table {
            columns: vec![Column::new("Exception", 2.0), Column::new("Why", 5.0)],
            rows: vec![vec![String::from("Significant deterioration"), String::from("Above the upper limit")]],
        },
        Block::Table {
            columns: vec![Column::new("", 3.0), Column::new("", 2.0)],
            rows: vec![vec![String::from("Measures improving"), String::from("2")]],
        },
        Block::numbered("1.", "The Board is asked to note the report."),
        Block::Rule,
    ]);
    report.contents = true;
    report
}

/// The file's parts by name.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>, zip::DateTime)> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes)).expect("a zip archive");
    (0..archive.len())
        .map(|i| {
            let mut entry = archive.by_index(i).expect("an entry");
            let name = entry.name().expect("a UTF-8 name").to_string();
            let date = entry.last_modified().expect("a date");
            let mut data = Vec::new();
            entry.read_to_end(&mut data).expect("the entry's bytes");
            (name, data, date)
        })
        .collect()
}

fn part(bytes: &[u8], name: &str) -> String {
    let parts = unzip(bytes);
    let (_, data, _) = parts.iter().find(|(n, _, _)| n == name).unwrap_or_else(|| panic!("{name} in the file"));
    String::from_utf8(data.clone()).expect("XML is UTF-8")
}

/// The style of the last paragraph holding `text`, from `document.xml` (the last, so that
/// a heading is found in the body rather than in the contents list).
fn style_of(xml: &str, text: &str) -> Option<String> {
    let at = xml.rfind(&format!(">{text}<"))?;
    let start = xml[..at].rfind("<w:p ")?;
    let paragraph = &xml[start..at];
    let style = paragraph.split(r#"<w:pStyle w:val=""#).nth(1)?;
    Some(style.split('"').next()?.to_string())
}

#[test]
fn headings_use_word_heading_styles_that_the_file_defines_with_outline_levels() {
    let bytes = render_docx(&report()).expect("the Word file");
    let document = part(&bytes, "word/document.xml");
    assert_eq!(style_of(&document, "Board performance report").as_deref(), Some("Heading1"));
    assert_eq!(style_of(&document, "Summary").as_deref(), Some("Heading2"));
    assert_eq!(style_of(&document, "Burglary").as_deref(), Some("Heading3"));
    assert_eq!(style_of(&document, "Burglary fell").as_deref(), Some("ListBullet"));
    assert_eq!(style_of(&document, "Figure 1: burglaries recorded each month").as_deref(), Some("Caption"));
    assert!(document.contains("Two measures improved &amp; one  deteriorated."), "escaped, control character dropped");

    let styles = part(&bytes, "word/styles.xml");
    for (level, id) in [(1, "Heading1"), (2, "Heading2"), (3, "Heading3")] {
        let start = styles.find(&format!(r#"w:styleId="{id}""#)).unwrap_or_else(|| panic!("{id} is defined"));
        let style = &styles[start..start + styles[start..].find("</w:style>").expect("the style ends")];
        assert!(style.contains(&format!(r#"<w:name w:val="heading {level}"/>"#)), "{style}");
        assert!(style.contains(&format!(r#"<w:outlineLvl w:val="{}"/>"#, level - 1)), "{style}");
    }
    for id in ["Normal", "ListBullet", "Caption", "TableGrid", "TableText", "Header", "Footer", "TOC2", "Rule"] {
        assert!(styles.contains(&format!(r#"w:styleId="{id}""#)), "{id} is defined");
    }
    assert!(styles.contains(r#"<w:lang w:val="en-GB""#), "the document's language is the default");
}

#[test]
fn a_tables_header_row_is_marked_to_repeat_and_a_table_without_headings_has_none() {
    let bytes = render_docx(&report()).expect("the Word file");
    let document = part(&bytes, "word/document.xml");
    let tables: Vec<&str> = document.split("<w:tbl>").skip(1).collect();
    assert_eq!(tables.len(), 2);
    let first_row = |table: &str| table.split("</w:tr>").next().expect("a row").to_string();
    assert!(first_row(tables[0]).contains("<w:tblHeader />") && first_row(tables[0]).contains(">Exception<"));
    assert!(!tables[0].split("</w:tr>").nth(1).expect("a second row").contains("<w:tblHeader />"));
    assert!(!tables[1].contains("<w:tblHeader />"), "no header row without headings");
    assert!(tables[0].contains(r#"<w:tblStyle w:val="TableGrid" />"#));
}

#[test]
fn the_core_properties_are_the_documents_and_no_date_comes_from_the_clock() {
    let bytes = render_docx(&report()).expect("the Word file");
    let core = part(&bytes, "docProps/core.xml");
    for expected in [
        "<dc:title>Notice of Decision 018/2013: Police and Crime Plan</dc:title>",
        "<dc:subject>Notice of Decision</dc:subject>",
        "<dc:creator>West Midlands Police and Crime Commissioner</dc:creator>",
        "<dc:language>en-GB</dc:language>",
    ] {
        assert!(core.contains(expected), "{expected} in {core}");
    }
    assert!(!core.contains("dcterms:created"), "{core}");
    let mut dated = report();
    dated.created = String::from("D:20130328000000Z");
    let core = part(&render_docx(&dated).expect("the Word file"), "docProps/core.xml");
    assert!(core.contains(r#"<dcterms:created xsi:type="dcterms:W3CDTF">2013-03-28T00:00:00Z</dcterms:created>"#));
}

#[test]
fn the_same_document_gives_the_same_bytes_with_fixed_entry_dates() {
    let first = render_docx(&report()).expect("the Word file");
    assert_eq!(render_docx(&report()).expect("again"), first);
    for (name, _, date) in unzip(&first) {
        assert_eq!((date.year(), date.month(), date.day()), (1980, 1, 1), "{name}");
    }
}

#[test]
fn a_figure_is_a_picture_with_its_caption_as_description() {
    let bytes = render_docx(&report()).expect("the Word file");
    let parts = unzip(&bytes);
    let pictures: Vec<&(String, Vec<u8>, zip::DateTime)> =
        parts.iter().filter(|(name, _, _)| name.starts_with("word/media/")).collect();
    assert_eq!(pictures.len(), 1);
    assert!(pictures[0].1.starts_with(b"\x89PNG\r\n\x1a\n"), "a PNG");
    let document = part(&bytes, "word/document.xml");
    assert!(
        document.contains(r#"<wp:docPr id="1" name="Figure 1" descr="Figure 1: burglaries recorded each month" />"#)
    );
    // 640 units across the 481.88pt of text (12,700 EMU to the point), 240 units high.
    assert!(document.contains(r#"<wp:extent cx="6119877" cy="2294954" />"#), "the PDF's size");
}

#[test]
fn the_contents_list_is_a_field_over_the_parts_with_links_to_their_headings() {
    let bytes = render_docx(&report()).expect("the Word file");
    let document = part(&bytes, "word/document.xml");
    assert!(document.contains(r#"<w:fldChar w:fldCharType="begin" w:dirty="true" />"#), "Word updates it");
    assert!(document.contains(r#"<w:instrText>TOC \o "2-2" \h \z</w:instrText>"#), "{document}");
    for (number, part) in [(1, "Summary"), (2, "Exceptions")] {
        assert!(document.contains(&format!(r#"<w:hyperlink w:anchor="_TocPart{number}""#)), "{part} is linked");
        assert!(document.contains(&format!(r#"<w:bookmarkStart w:id="{number}" w:name="_TocPart{number}" />"#)));
    }
    let contents = document.find(">Contents<").expect("the contents list");
    assert!(contents < document.find(">Summary<").expect("the first part"));
    assert!(document.find(">Period: <").expect("the details") < contents);
}

#[test]
fn libreoffice_opens_the_file_and_prints_every_block() {
    let bytes = render_docx(&report()).expect("the Word file");
    let file = TempFile::new("report.docx", &bytes);
    let out = file.path.parent().expect("the temporary directory").to_path_buf();
    let profile = format!("-env:UserInstallation=file://{}", out.join("profile").display());
    let converted = Command::new("soffice")
        .args([profile.as_str(), "--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&out)
        .arg(&file.path)
        .output();
    match converted {
        Ok(output) if output.status.success() => {}
        Ok(output) => panic!("LibreOffice failed: {}", String::from_utf8_lossy(&output.stderr)),
        Err(error) => {
            eprintln!("note: LibreOffice (soffice) is not installed ({error}); the conversion check is skipped");
            return;
        }
    }
    let pdf = std::fs::read(out.join("report.pdf")).expect("LibreOffice wrote the PDF");
    let Some(text) = common::text(&pdf) else { return };
    let text = squeeze(&text);
    let order = [
        "West Midlands Police and Crime Commissioner",
        "28 March 2013",
        "Board performance report",
        "Period: Quarter 2, 2024 to 2025",
        "Contents",
        "Summary",
        "Two measures improved & one deteriorated.",
        "Burglary fell",
        "Exceptions",
        "Burglary",
        // The figure is a picture here, so its own text is not text; its caption is.
        "Figure 1: burglaries recorded each month",
        "Exception Why Significant deterioration Above the upper limit",
        "Measures improving",
        "The Board is asked to note the report.",
        "Notice of Decision 018/2013 — Page 1 of 1",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after byte {from} in:\n{text}"));
        from += at + part.len();
    }
}

#[test]
fn odd_input_writes_what_it_can_and_never_fails() {
    let odd = document(vec![
        Block::heading(0, "Level zero"),
        Block::heading(9, "Level nine"),
        Block::Bullets(Vec::new()),
        Block::numbered("", ""),
        Block::Table { columns: Vec::new(), rows: vec![vec![String::from("no columns")]] },
        Block::Table { columns: vec![Column::new("Only", f32::NAN)], rows: vec![Vec::new()] },
        Block::figure(Figure::new(f32::NAN, 10.0), "A figure without a size keeps its caption"),
        Block::Space(f32::INFINITY),
    ]);
    let bytes = render_docx(&odd).expect("odd input still makes a Word file");
    let document = part(&bytes, "word/document.xml");
    assert_eq!(style_of(&document, "Level zero").as_deref(), Some("Heading1"));
    assert_eq!(style_of(&document, "Level nine").as_deref(), Some("Heading6"));
    assert_eq!(style_of(&document, "A figure without a size keeps its caption").as_deref(), Some("Caption"));
    assert!(!document.contains("no columns") && !document.contains("<wp:docPr"), "no table, no picture");
    assert!(document.contains(">Only<"));
}
