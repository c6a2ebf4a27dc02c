//! Figures in whole files: every shape kind reaches the content stream as the PDF path
//! operators that draw it, a figure's text is read back by a PDF reader (`pdftotext`),
//! a figure too tall for what is left of a page moves to the next, one too wide for the
//! page is scaled to fit, and the same figure always gives the same bytes.

use std::process::Command;

use pcplan_pdf::{Anchor, Block, Document, Figure, Rgb, Shape, Stroke, Text, render};

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
            Shape::Rect {
                x: 90.0,
                y: 150.0,
                width: 20.0,
                height: 50.0,
                fill: Some(Rgb::WHITE),
                stroke: Some(Stroke::solid(GREY, 1.0)),
            },
            Shape::Line {
                x1: 48.0,
                y1: 120.0,
                x2: 624.0,
                y2: 120.0,
                stroke: Stroke::dashed(GREY, 1.5, vec![6.0, 4.0]),
            },
            Shape::Polyline {
                points: vec![(60.0, 100.0), (200.0, 80.0), (340.0, 110.0)],
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
            Shape::Text(Text::new(60.0, 230.0, "Apr 2024", 14.0)),
        ],
    }
}

fn document(blocks: Vec<Block>) -> Document {
    Document {
        title: String::from("Board performance report"),
        footer: String::from("Board report"),
        blocks,
        ..Document::default()
    }
}

/// The file's text, which is 7-bit clean.
fn raw(document: &Document) -> String {
    String::from_utf8(render(document)).expect("the file is 7-bit text")
}

fn page_count(raw: &str) -> usize {
    raw.matches("/Type /Page /Parent").count()
}

#[test]
fn every_shape_kind_is_drawn_with_its_path_operators() {
    let raw = raw(&document(vec![Block::figure(chart(), "Figure 1: burglaries")]));
    // 640 units across the 481.88pt of text: a scale of 0.7529, `y` flipped, at the margin.
    assert!(raw.contains("q 0.7529 0 0 -0.7529 56.7 785.19 cm 0 0 640 240 re W n\n"), "{raw}");
    let expected = [
        // An outlined rectangle, a filled one, and one both filled and outlined.
        "q 0.314 0.353 0.373 RG 1 w 48 40 576 160 re S Q",
        "q 0.114 0.439 0.722 rg 60 150 20 50 re f Q",
        "q 1 1 1 rg 0.314 0.353 0.373 RG 1 w 90 150 20 50 re B Q",
        // A dashed line.
        "q 0.314 0.353 0.373 RG 1.5 w [6 4] 0 d 48 120 m 624 120 l S Q",
        // A polyline with round joins.
        "q 1 j 0.114 0.439 0.722 RG 3 w 60 100 m 200 80 l 340 110 l S Q",
        // A circle: four Bézier curves, closed and filled.
        "q 0.114 0.439 0.722 rg 204 80 m 204 82.21 202.21 84 200 84 c",
        // A polygon: closed, filled and stroked.
        "q 1 j 0 0.439 0.235 rg 1 1 1 RG 1 w 340 104 m 345 114 l 335 114 l h B Q",
        // Text in both fonts, the y axis flipped back so the letters stand upright.
        "BT /F2 14 Tf 1 0 0 -1 ",
        "BT /F1 14 Tf 1 0 0 -1 60 230 Tm (Apr 2024) Tj ET",
        // A halo: the text stroked in white first, then filled.
        "q 1 1 1 RG 3 w 1 j 1 Tr BT /F1 14 Tf 1 0 0 -1 300 90 Tm (Improvement) Tj ET 0 Tr 0 0.439 0.235 rg BT",
    ];
    for part in expected {
        assert!(raw.contains(part), "{part:?} in:\n{raw}");
    }
    let circle = raw.find("204 80 m 204 82.21").expect("the circle");
    assert_eq!(raw[circle..].lines().next().map(|l| l.matches(" c ").count()), Some(4), "four arcs");
    // Anchors move text by its width in Helvetica: "50" is 2 * 556 thousandths of 14 units.
    assert!(raw.contains("1 0 0 -1 24.43 204 Tm (50) Tj"), "{raw}");
    assert!(!raw.contains("NaN") && !raw.contains("inf"));
}

#[test]
fn a_pdf_reader_reads_a_figures_text_and_its_caption() {
    let document = document(vec![
        Block::heading(2, "Burglary"),
        Block::figure(chart(), "Figure 1: burglaries recorded each month, April 2024 to March 2025"),
        Block::paragraph("Burglaries fell in the year."),
    ]);
    let dir = std::env::temp_dir().join(format!("pcplan-pdf-figure-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join("figure.pdf");
    std::fs::write(&path, render(&document)).expect("write");
    let output = match Command::new("pdftotext").arg(&path).arg("-").output() {
        Ok(output) => output,
        Err(error) => {
            assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils: {error}");
            // Without a reader here, check the content stream holds the text instead.
            let raw = raw(&document);
            assert!(raw.contains("(Burglaries recorded each month) Tj") && raw.contains("(Apr 2024) Tj"));
            std::fs::remove_dir_all(&dir).ok();
            return;
        }
    };
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let text = String::from_utf8(output.stdout).expect("UTF-8");
    let order = [
        "Burglary",
        "Burglaries recorded each month",
        "Improvement",
        "50",
        "Apr 2024",
        "Figure 1: burglaries recorded each month, April 2024 to March 2025",
        "Burglaries fell in the year.",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after byte {from} in:\n{text}"));
        from += at + part.len();
    }
    assert_eq!(text.matches("Improvement").count(), 1, "the halo is not read as a second copy:\n{text}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn a_figure_too_tall_for_the_rest_of_the_page_starts_the_next() {
    let text = "The Panel asked for the figures by area. ".repeat(40);
    let short = document(vec![Block::paragraph(text.clone()), Block::figure(Figure::new(400.0, 100.0), "Small")]);
    assert_eq!(page_count(&raw(&short)), 1, "a short figure fits under the paragraph");

    let tall = document(vec![Block::paragraph(text), Block::figure(Figure::new(400.0, 600.0), "Tall")]);
    let raw = raw(&tall);
    assert_eq!(page_count(&raw), 2, "{raw}");
    // The second page's stream starts with the figure at the top margin, drawn at its own
    // size because it is narrower than the text.
    let second = raw.rfind(">>\nstream\n").expect("the second page's stream");
    assert!(raw[second..].starts_with(">>\nstream\nq 1 0 0 -1 56.7 785.19 cm 0 0 400 600 re W n\n"), "{raw}");
}

#[test]
fn a_figure_wider_than_the_page_is_scaled_to_fit_and_keeps_its_proportions() {
    let mut wide = Figure::new(2000.0, 500.0);
    wide.shapes.push(Shape::Line { x1: 0.0, y1: 250.0, x2: 2000.0, y2: 250.0, stroke: Stroke::solid(Rgb::BLACK, 4.0) });
    let raw = raw(&document(vec![Block::figure(wide, "")]));
    // 481.88pt of text over 2000 units: 0.2409 both ways, so 500 units are 120.5pt high.
    assert!(raw.contains("q 0.2409 0 0 -0.2409 56.7 785.19 cm 0 0 2000 500 re W n\n"), "{raw}");

    // Taller than a page as well: shrunk until it fits on one.
    let raw = self::raw(&document(vec![Block::figure(Figure::new(2000.0, 20000.0), "")]));
    assert_eq!(page_count(&raw), 1);
    let scale: f32 = raw
        .split("\nq ")
        .nth(1)
        .and_then(|rest| rest.split(' ').next())
        .and_then(|s| s.parse().ok())
        .expect("the figure's scale");
    assert!(20000.0 * scale <= 785.19 - 64.0, "{scale}");
}

#[test]
fn the_same_figure_gives_the_same_bytes() {
    let make = || document(vec![Block::figure(chart(), "Figure 1"), Block::figure(chart(), "Figure 2")]);
    let first = render(&make());
    assert_eq!(render(&make()), first);
    let raw = String::from_utf8(first).expect("7-bit");
    assert_eq!(raw.matches(" cm 0 0 640 240 re W n").count(), 2);
}
