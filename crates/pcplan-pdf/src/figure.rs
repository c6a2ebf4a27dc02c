//! Vector figures: a chart or diagram as plain shapes (lines, polylines, rectangles,
//! circles, polygons and text) in the figure's own units, and the SVG that draws them.
//!
//! The model is this crate's own, so callers need not know SVG or typst: pcplan-web's
//! `pdf_chart` converts a `pcplan_charts::Drawing` into it. Coordinates follow SVG:
//! `(0, 0)` is the figure's top-left corner and `y` grows downwards, so [`Figure::to_svg`]
//! writes every shape at the coordinates it was given, and the PDF embeds that SVG as a
//! vector image (typst reads it with usvg and krilla writes it as PDF paths and text).
//!
//! What the SVG does not have: gradients, transparency, curves other than circles, and
//! fonts other than Liberation Sans (regular and bold). A shape with a coordinate that
//! is not a finite number is left out, because SVG has no way to write one; characters
//! that XML forbids (control characters) are written as spaces, so no text a caller
//! passes can make the file unreadable.

use std::fmt::Write as _;

/// A colour as red, green and blue from 0 to 255.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Rgb {
    pub r: u8,
    pub g: u8,
    pub b: u8,
}

impl Rgb {
    pub const BLACK: Rgb = Rgb { r: 0, g: 0, b: 0 };
    pub const WHITE: Rgb = Rgb { r: 255, g: 255, b: 255 };

    pub const fn new(r: u8, g: u8, b: u8) -> Self {
        Rgb { r, g, b }
    }
}

/// The outline of a shape or a line: its colour, its width and its dash pattern, all in
/// the figure's units (so they scale with it, as they do in SVG).
#[derive(Clone, Debug, PartialEq)]
pub struct Stroke {
    pub colour: Rgb,
    pub width: f32,
    /// Alternating lengths on and off (`[6, 4]`); empty for a solid line.
    pub dash: Vec<f32>,
}

impl Stroke {
    pub fn solid(colour: Rgb, width: f32) -> Self {
        Stroke { colour, width, dash: Vec::new() }
    }

    pub fn dashed(colour: Rgb, width: f32, dash: Vec<f32>) -> Self {
        Stroke { colour, width, dash }
    }
}

/// Where a text's `x` is: its start, its middle or its end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

/// A run of text on one line, set in Liberation Sans (regular or bold). `y` is the
/// baseline; `size` is in the figure's units. Any Unicode text prints; a character the
/// font lacks falls back to typst's own fonts.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub x: f32,
    pub y: f32,
    pub text: String,
    pub size: f32,
    pub anchor: Anchor,
    pub bold: bool,
    pub colour: Rgb,
    /// A white outline under the letters, so the text stays readable over lines and
    /// coloured areas: the text is stroked in white, 3 units wide, under its fill (SVG's
    /// `paint-order="stroke"`), one text run and not two copies.
    pub halo: bool,
}

impl Text {
    /// Black text, anchored at its start, not bold, without a halo.
    pub fn new(x: f32, y: f32, text: impl Into<String>, size: f32) -> Self {
        Text { x, y, text: text.into(), size, anchor: Anchor::Start, bold: false, colour: Rgb::BLACK, halo: false }
    }
}

/// One thing drawn, in the figure's units with `y` growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        stroke: Stroke,
    },
    /// An open line through `points`, with round joins.
    Polyline {
        points: Vec<(f32, f32)>,
        stroke: Stroke,
    },
    /// A rectangle from its top-left corner; filled, outlined, or both.
    Rect {
        x: f32,
        y: f32,
        width: f32,
        height: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Circle {
        cx: f32,
        cy: f32,
        r: f32,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    /// A closed shape through `points`.
    Polygon {
        points: Vec<(f32, f32)>,
        fill: Option<Rgb>,
        stroke: Option<Stroke>,
    },
    Text(Text),
}

/// A vector figure: its size in its own units and its shapes, drawn in order (later
/// shapes over earlier ones).
///
/// In a [`crate::Block::Figure`] it is scaled to the width of the text and never enlarged:
/// a figure wider than the text (a 640-unit chart) is shrunk to fit, keeping its
/// proportions; a narrower one is drawn at one unit to the point, against the left
/// margin. A figure taller than a page is shrunk further so that it fits on one.
/// Nothing is drawn outside the figure's rectangle. [`Figure::to_svg`] writes it as the
/// SVG the PDF embeds.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Figure {
    pub width: f32,
    pub height: f32,
    pub shapes: Vec<Shape>,
}

impl Figure {
    pub fn new(width: f32, height: f32) -> Self {
        Figure { width, height, shapes: Vec::new() }
    }

    /// Whether the figure has a size that can be drawn: both sides finite and above zero.
    pub(crate) fn has_area(&self) -> bool {
        self.width.is_finite() && self.height.is_finite() && self.width > 0.0 && self.height > 0.0
    }
}

/// `value` with at most `decimals` decimal places, trailing zeros dropped, so the same
/// figure always gives the same bytes and the file carries no floating-point noise.
pub(crate) fn fixed(value: f32, decimals: usize) -> String {
    let text = format!("{value:.decimals$}");
    let text = if text.contains('.') { text.trim_end_matches('0').trim_end_matches('.') } else { &text };
    if text == "-0" { String::from("0") } else { text.to_string() }
}

/// A coordinate or length in the figure's units.
fn n(value: f32) -> String {
    fixed(value, 2)
}

fn colour(rgb: Rgb) -> String {
    format!("#{:02x}{:02x}{:02x}", rgb.r, rgb.g, rgb.b)
}

fn finite(values: &[f32]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn points_finite(points: &[(f32, f32)]) -> bool {
    points.iter().all(|(x, y)| x.is_finite() && y.is_finite())
}

/// Text as XML character data or an attribute value: markup characters escaped, and the
/// control characters XML 1.0 forbids (all below U+0020 but tab, newline and return)
/// written as spaces.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if u32::from(c) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// The presentation attributes of a stroke: colour, width and dash pattern. A width that
/// is not a finite number of zero or more draws one unit wide; a dash pattern with a
/// length that is not a finite number of zero or more, or with no length above zero,
/// draws a solid line, as a reader would refuse it.
fn stroke_attributes(out: &mut String, stroke: &Stroke) {
    let width = if stroke.width.is_finite() && stroke.width >= 0.0 { stroke.width } else { 1.0 };
    let _ = write!(out, r#" stroke="{}" stroke-width="{}""#, colour(stroke.colour), n(width));
    let usable = !stroke.dash.is_empty() && stroke.dash.iter().all(|d| d.is_finite() && *d >= 0.0);
    if usable && stroke.dash.iter().any(|d| *d > 0.0) {
        let lengths: Vec<String> = stroke.dash.iter().map(|d| n(*d)).collect();
        let _ = write!(out, r#" stroke-dasharray="{}""#, lengths.join(" "));
    }
}

/// The fill and stroke attributes of a closed shape, or `None` when it would be invisible.
fn paint(fill: Option<Rgb>, stroke: Option<&Stroke>) -> Option<String> {
    if fill.is_none() && stroke.is_none() {
        return None;
    }
    let mut out = match fill {
        Some(rgb) => format!(r#" fill="{}""#, colour(rgb)),
        None => String::from(r#" fill="none""#),
    };
    if let Some(stroke) = stroke {
        stroke_attributes(&mut out, stroke);
    }
    Some(out)
}

fn point_list(points: &[(f32, f32)]) -> String {
    points.iter().map(|(x, y)| format!("{},{}", n(*x), n(*y))).collect::<Vec<_>>().join(" ")
}

fn text(out: &mut String, run: &Text) {
    if !finite(&[run.x, run.y, run.size]) || run.size <= 0.0 || run.text.trim().is_empty() {
        return;
    }
    let anchor = match run.anchor {
        Anchor::Start => "start",
        Anchor::Middle => "middle",
        Anchor::End => "end",
    };
    let _ = write!(
        out,
        r#"<text x="{}" y="{}" font-size="{}" text-anchor="{anchor}" fill="{}""#,
        n(run.x),
        n(run.y),
        n(run.size),
        colour(run.colour)
    );
    if run.bold {
        out.push_str(r#" font-weight="bold""#);
    }
    if run.halo {
        out.push_str(r##" stroke="#ffffff" stroke-width="3" stroke-linejoin="round" paint-order="stroke""##);
    }
    let _ = writeln!(out, ">{}</text>", escape(&run.text));
}

fn shape(out: &mut String, shape: &Shape) {
    match shape {
        Shape::Line { x1, y1, x2, y2, stroke } => {
            if !finite(&[*x1, *y1, *x2, *y2]) {
                return;
            }
            let _ = write!(out, r#"<line x1="{}" y1="{}" x2="{}" y2="{}""#, n(*x1), n(*y1), n(*x2), n(*y2));
            stroke_attributes(out, stroke);
            out.push_str("/>\n");
        }
        Shape::Polyline { points, stroke } => {
            if points.len() < 2 || !points_finite(points) {
                return;
            }
            let _ = write!(out, r#"<polyline points="{}" fill="none" stroke-linejoin="round""#, point_list(points));
            stroke_attributes(out, stroke);
            out.push_str("/>\n");
        }
        Shape::Rect { x, y, width, height, fill, stroke } => {
            if !finite(&[*x, *y, *width, *height]) || *width < 0.0 || *height < 0.0 {
                return;
            }
            if let Some(paint) = paint(*fill, stroke.as_ref()) {
                let _ = writeln!(
                    out,
                    r#"<rect x="{}" y="{}" width="{}" height="{}"{paint}/>"#,
                    n(*x),
                    n(*y),
                    n(*width),
                    n(*height)
                );
            }
        }
        Shape::Circle { cx, cy, r, fill, stroke } => {
            if !finite(&[*cx, *cy, *r]) || *r <= 0.0 {
                return;
            }
            if let Some(paint) = paint(*fill, stroke.as_ref()) {
                let _ = writeln!(out, r#"<circle cx="{}" cy="{}" r="{}"{paint}/>"#, n(*cx), n(*cy), n(*r));
            }
        }
        Shape::Polygon { points, fill, stroke } => {
            if points.len() < 2 || !points_finite(points) {
                return;
            }
            if let Some(paint) = paint(*fill, stroke.as_ref()) {
                let _ = writeln!(out, r#"<polygon points="{}" stroke-linejoin="round"{paint}/>"#, point_list(points));
            }
        }
        Shape::Text(run) => text(out, run),
    }
}

impl Figure {
    /// The figure as a standalone SVG document, its size in its own units. Shapes are
    /// clipped to the figure's rectangle and drawn in order; text names Liberation Sans,
    /// the font the PDF has. Empty when the figure has no area.
    pub fn to_svg(&self) -> String {
        let mut out = String::new();
        if !self.has_area() {
            return out;
        }
        let (width, height) = (n(self.width), n(self.height));
        let _ = writeln!(
            out,
            r#"<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" viewBox="0 0 {width} {height}" font-family="Liberation Sans">"#
        );
        let _ = writeln!(
            out,
            r#"<clipPath id="figure-area"><rect x="0" y="0" width="{width}" height="{height}"/></clipPath>"#
        );
        out.push_str("<g clip-path=\"url(#figure-area)\">\n");
        for item in &self.shapes {
            shape(&mut out, item);
        }
        out.push_str("</g>\n</svg>\n");
        out
    }

    /// The figure's text runs in drawing order, joined by spaces: what a reader of the
    /// figure would read when nothing better describes it.
    pub(crate) fn words(&self) -> String {
        let runs: Vec<&str> = self
            .shapes
            .iter()
            .filter_map(|shape| match shape {
                Shape::Text(run) if !run.text.trim().is_empty() => Some(run.text.trim()),
                _ => None,
            })
            .collect();
        runs.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_have_a_fixed_number_of_decimals_at_most() {
        assert_eq!(fixed(0.752_93, 4), "0.7529");
        assert_eq!(fixed(-0.752_93, 4), "-0.7529");
        assert_eq!(fixed(10.0, 2), "10");
        assert_eq!(fixed(-0.0001, 2), "0");
        assert_eq!(fixed(120.0, 0), "120");
        assert_eq!(colour(Rgb::new(0x1d, 0x70, 0xb8)), "#1d70b8");
    }

    #[test]
    fn text_is_escaped_and_characters_xml_forbids_become_spaces() {
        assert_eq!(escape("A&B <c> \"d\" 'e'"), "A&amp;B &lt;c&gt; &quot;d&quot; &apos;e&apos;");
        assert_eq!(escape("a\u{0}b\u{1b}c\td"), "a b c d");
        assert_eq!(escape("Ŵyn Dŷ"), "Ŵyn Dŷ");
    }

    #[test]
    fn anchors_weights_and_halos_become_svg_attributes() {
        let mut run = Text::new(100.0, 50.0, "Hi & bye", 10.0);
        let mut out = String::new();
        text(&mut out, &run);
        assert_eq!(
            out,
            "<text x=\"100\" y=\"50\" font-size=\"10\" text-anchor=\"start\" fill=\"#000000\">Hi &amp; bye</text>\n"
        );
        run.anchor = Anchor::End;
        run.bold = true;
        run.halo = true;
        run.colour = Rgb::new(0xd4, 0x35, 0x1c);
        let mut out = String::new();
        text(&mut out, &run);
        assert_eq!(
            out,
            "<text x=\"100\" y=\"50\" font-size=\"10\" text-anchor=\"end\" fill=\"#d4351c\" font-weight=\"bold\" \
             stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\">Hi &amp; bye</text>\n"
        );
    }

    #[test]
    fn shapes_that_cannot_be_written_are_left_out() {
        let figure = Figure {
            width: 10.0,
            height: 10.0,
            shapes: vec![
                Shape::Line { x1: f32::NAN, y1: 0.0, x2: 1.0, y2: 1.0, stroke: Stroke::solid(Rgb::BLACK, 1.0) },
                Shape::Polyline { points: vec![(1.0, 1.0)], stroke: Stroke::solid(Rgb::BLACK, 1.0) },
                Shape::Rect { x: 0.0, y: 0.0, width: 1.0, height: 1.0, fill: None, stroke: None },
                Shape::Rect { x: 0.0, y: 0.0, width: -1.0, height: 1.0, fill: Some(Rgb::BLACK), stroke: None },
                Shape::Circle { cx: 1.0, cy: 1.0, r: f32::INFINITY, fill: Some(Rgb::BLACK), stroke: None },
                Shape::Text(Text::new(0.0, 0.0, "", 10.0)),
            ],
        };
        let svg = figure.to_svg();
        assert_eq!(
            svg,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"10\" height=\"10\" viewBox=\"0 0 10 10\" font-family=\"Liberation Sans\">\n\
             <clipPath id=\"figure-area\"><rect x=\"0\" y=\"0\" width=\"10\" height=\"10\"/></clipPath>\n\
             <g clip-path=\"url(#figure-area)\">\n</g>\n</svg>\n"
        );
        assert_eq!(Figure::new(0.0, 10.0).to_svg(), "");
        assert_eq!(Figure::new(10.0, f32::NAN).to_svg(), "");
    }

    #[test]
    fn a_dash_pattern_that_readers_would_refuse_draws_a_solid_line() {
        let mut out = String::new();
        stroke_attributes(&mut out, &Stroke::dashed(Rgb::BLACK, 2.0, vec![6.0, 4.0]));
        assert_eq!(out, " stroke=\"#000000\" stroke-width=\"2\" stroke-dasharray=\"6 4\"");
        for dash in [vec![0.0, 0.0], vec![-1.0, 2.0], vec![f32::NAN]] {
            let mut out = String::new();
            stroke_attributes(&mut out, &Stroke::dashed(Rgb::BLACK, f32::NAN, dash));
            assert_eq!(out, " stroke=\"#000000\" stroke-width=\"1\"");
        }
    }
}
