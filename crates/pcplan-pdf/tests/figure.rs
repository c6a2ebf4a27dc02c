//! Figures: every shape kind reaches the SVG the PDF embeds with its colours, strokes and
//! text settings; a PDF reader reads a figure's text (it stays text, not outlines) and
//! its caption; a figure too tall for what is left of a page moves to the next; and the
//! same figure always gives the same bytes.

mod common;

use common::{document, page_text, pages, text};
use pcplan_pdf::{Anchor, Block, Figure, Rgb, Shape, Stroke, Text, render};

const BLUE: Rgb = Rgb::new(0x1d, 0x70, 0xb8);
const GREEN: Rgb = Rgb::new(0x00, 0x70, 0x3c);
const GREY: Rgb = Rgb::new(0x50, 0x5a, 0x5f);

/// A small chart, 640 units wide like pcplan's charts, with one shape of each kind.
fn chart() -> Figure {
    let mut title = Text::new(320.0, 20.0, "Burglaries recorded each month", 14.0);
    title.anchor = Anchor::Middle;
    title.bold = true;
    let mut tick = Text::new(40.0, 204.0, "50", 14.0);
    tick.anchor = Anchor::End;
    let mut signal = Text::new(300.0, 90.0, "Improvement", 14.0);
    signal.halo = true;
    signal.colour = GREEN;
    Figure {
        width: 640.0,
        height: 240.0,
        shapes: vec![
            Shape::Rect {
                x: 48.0,
                y: 40.0,
                width: 576.0,
                height: 160.0,
                fill: None,
                stroke: Some(Stroke::solid(GREY, 1.0)),
            },
            Shape::Rect { x: 60.0, y: 150.0, width: 20.0, height: 50.0, fill: Some(BLUE), stroke: None },
            Shape::Line {
                x1: 48.0,
                y1: 120.0,
                x2: 624.0,
                y2: 120.0,
                stroke: Stroke::dashed(GREY, 1.5, vec![6.0, 4.0]),
            },
            Shape::Polyline {
                points: vec![(60.0, 100.0), (200.0, 80.0), (340.0, 110.5)],
                stroke: Stroke::solid(BLUE, 3.0),
            },
            Shape::Circle { cx: 200.0, cy: 80.0, r: 4.0, fill: Some(BLUE), stroke: None },
            Shape::Polygon {
                points: vec![(340.0, 104.0), (345.0, 114.0), (335.0, 114.0)],
                fill: Some(GREEN),
                stroke: Some(Stroke::solid(Rgb::WHITE, 1.0)),
            },
            Shape::Text(title),
            Shape::Text(tick),
            Shape::Text(signal),
            Shape::Text(Text::new(60.0, 230.0, "Apr 2024 & Mai 2024 <Łódź>", 14.0)),
        ],
    }
}

#[test]
fn every_shape_kind_is_written_as_svg_with_its_paint_and_text_settings() {
    let svg = chart().to_svg();
    let expected = r##"<svg xmlns="http://www.w3.org/2000/svg" width="640" height="240" viewBox="0 0 640 240" font-family="Liberation Sans">
<clipPath id="figure-area"><rect x="0" y="0" width="640" height="240"/></clipPath>
<g clip-path="url(#figure-area)">
<rect x="48" y="40" width="576" height="160" fill="none" stroke="#505a5f" stroke-width="1"/>
<rect x="60" y="150" width="20" height="50" fill="#1d70b8"/>
<line x1="48" y1="120" x2="624" y2="120" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="6 4"/>
<polyline points="60,100 200,80 340,110.5" fill="none" stroke-linejoin="round" stroke="#1d70b8" stroke-width="3"/>
<circle cx="200" cy="80" r="4" fill="#1d70b8"/>
<polygon points="340,104 345,114 335,114" stroke-linejoin="round" fill="#00703c" stroke="#ffffff" stroke-width="1"/>
<text x="320" y="20" font-size="14" text-anchor="middle" fill="#000000" font-weight="bold">Burglaries recorded each month</text>
<text x="40" y="204" font-size="14" text-anchor="end" fill="#000000">50</text>
<text x="300" y="90" font-size="14" text-anchor="start" fill="#00703c" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke">Improvement</text>
<text x="60" y="230" font-size="14" text-anchor="start" fill="#000000">Apr 2024 &amp; Mai 2024 &lt;Łódź&gt;</text>
</g>
</svg>
"##;
    assert_eq!(svg, expected);
}

#[test]
fn a_pdf_reader_reads_a_figures_text_once_and_its_caption() {
    let bytes = render(&document(vec![
        Block::heading(2, "Burglary"),
        Block::figure(chart(), "Figure 1: burglaries recorded each month, April 2024 to March 2025"),
        Block::paragraph("Burglaries fell in the year."),
    ]))
    .expect("the document typesets");
    let Some(text) = text(&bytes) else { return };
    let order = [
        "Burglary",
        "Burglaries recorded each month",
        "Improvement",
        "50",
        "Apr 2024 & Mai 2024 <Łódź>",
        "Figure 1: burglaries recorded each month, April 2024 to March 2025",
        "Burglaries fell in the year.",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after byte {from} in:\n{text}"));
        from += at + part.len();
    }
    assert_eq!(text.matches("Improvement").count(), 1, "the halo is not read as a second copy:\n{text}");
}

#[test]
fn a_figure_too_tall_for_the_rest_of_the_page_starts_the_next() {
    let words = "The Panel asked for the figures by area. ".repeat(60);
    let short = render(&document(vec![
        Block::paragraph(words.clone()),
        Block::figure(Figure::new(400.0, 100.0), "Small figure"),
    ]))
    .expect("the document typesets");
    let Some(count) = pages(&short) else { return };
    assert_eq!(count, 1, "a short figure fits under the paragraph");

    let tall =
        render(&document(vec![Block::paragraph(words), Block::figure(Figure::new(400.0, 600.0), "Tall figure")]))
            .expect("the document typesets");
    assert_eq!(pages(&tall), Some(2));
    let second = page_text(&tall, 2).expect("pdftotext ran");
    assert!(second.contains("Tall figure"), "the figure and its caption moved together:\n{second}");
    assert!(!page_text(&tall, 1).expect("pdftotext ran").contains("Tall figure"));

    // Taller than a whole page: shrunk to fit on one, with its caption.
    let towering =
        render(&document(vec![Block::figure(Figure::new(2000.0, 20000.0), "Towering figure")])).expect("typesets");
    assert_eq!(pages(&towering), Some(1));
}

#[test]
fn the_same_figure_gives_the_same_bytes() {
    let make = || document(vec![Block::figure(chart(), "Figure 1"), Block::figure(chart(), "Figure 2")]);
    let first = render(&make()).expect("the document typesets");
    assert_eq!(render(&make()).expect("again"), first);
}
