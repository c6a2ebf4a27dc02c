//! Vector figures: a chart or diagram as plain shapes (lines, polylines, rectangles,
//! circles, polygons and text) in the figure's own units, and the PDF operators that
//! draw them.
//!
//! The model is this crate's own, so the crate stays free of dependencies; callers
//! convert their drawings into it (pcplan-web's `pdf_chart` converts a
//! `pcplan_charts::Drawing`). Coordinates follow SVG: `(0, 0)` is the figure's top-left
//! corner and `y` grows downwards. The writer flips the axis once, with the same `cm`
//! that scales the figure, so every shape is written at the coordinates it was given.
//!
//! What the writer does not do: gradients, transparency, curves other than circles,
//! and fonts other than Helvetica and Helvetica-Bold. A shape with a coordinate that is
//! not a finite number is left out, because PDF has no way to write one.

use std::fmt::Write as _;

use crate::layout::encode_text;
use crate::metrics::width;
use crate::writer::literal;

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

/// A run of text on one line, set in Helvetica or Helvetica-Bold. `y` is the baseline;
/// `size` is in the figure's units. Characters outside Windows-1252 print as `?`.
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
    /// coloured areas: the same text is first stroked in white, 3 units wide, and then
    /// filled on top.
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
/// Nothing is drawn outside the figure's rectangle.
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

/// The control-point distance of a quarter circle drawn as one cubic Bézier curve, as a
/// share of the radius: 4/3 * (sqrt(2) - 1). The error is under 0.03% of the radius.
const KAPPA: f32 = 0.552_284_8;

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

fn colour(rgb: Rgb, operator: &str) -> String {
    let part = |c: u8| fixed(f32::from(c) / 255.0, 3);
    format!("{} {} {} {operator}", part(rgb.r), part(rgb.g), part(rgb.b))
}

fn finite(values: &[f32]) -> bool {
    values.iter().all(|v| v.is_finite())
}

fn points_finite(points: &[(f32, f32)]) -> bool {
    points.iter().all(|(x, y)| x.is_finite() && y.is_finite())
}

/// The graphics state of a stroke: colour, width and dash pattern. A dash pattern with a
/// length that is not a positive finite number would make readers refuse the page, so
/// such a pattern draws a solid line instead.
fn stroke_state(out: &mut String, stroke: &Stroke) {
    let width = if stroke.width.is_finite() && stroke.width >= 0.0 { stroke.width } else { 1.0 };
    let _ = write!(out, "{} {} w ", colour(stroke.colour, "RG"), n(width));
    let usable = !stroke.dash.is_empty() && stroke.dash.iter().all(|d| d.is_finite() && *d >= 0.0);
    if usable && stroke.dash.iter().any(|d| *d > 0.0) {
        let lengths: Vec<String> = stroke.dash.iter().map(|d| n(*d)).collect();
        let _ = write!(out, "[{}] 0 d ", lengths.join(" "));
    }
}

/// Sets the fill and stroke state and returns the painting operator for a closed path:
/// `f` to fill, `S` to stroke, `B` for both; `None` when the shape is invisible.
fn paint(out: &mut String, fill: Option<Rgb>, stroke: Option<&Stroke>) -> Option<&'static str> {
    if let Some(rgb) = fill {
        let _ = write!(out, "{} ", colour(rgb, "rg"));
    }
    if let Some(stroke) = stroke {
        stroke_state(out, stroke);
    }
    match (fill.is_some(), stroke.is_some()) {
        (true, true) => Some("B"),
        (true, false) => Some("f"),
        (false, true) => Some("S"),
        (false, false) => None,
    }
}

fn path(out: &mut String, points: &[(f32, f32)]) {
    for (i, (x, y)) in points.iter().enumerate() {
        let _ = write!(out, "{} {} {} ", n(*x), n(*y), if i == 0 { "m" } else { "l" });
    }
}

/// A circle as four quarter arcs, starting at its rightmost point.
fn circle_path(out: &mut String, cx: f32, cy: f32, r: f32) {
    let k = r * KAPPA;
    let _ = write!(out, "{} {} m ", n(cx + r), n(cy));
    let arcs = [
        [(cx + r, cy + k), (cx + k, cy + r), (cx, cy + r)],
        [(cx - k, cy + r), (cx - r, cy + k), (cx - r, cy)],
        [(cx - r, cy - k), (cx - k, cy - r), (cx, cy - r)],
        [(cx + k, cy - r), (cx + r, cy - k), (cx + r, cy)],
    ];
    for [(x1, y1), (x2, y2), (x3, y3)] in arcs {
        let _ = write!(out, "{} {} {} {} {} {} c ", n(x1), n(y1), n(x2), n(y2), n(x3), n(y3));
    }
    out.push_str("h ");
}

/// The operators of one text run. The figure's transform flips the `y` axis, so the
/// text matrix flips it back (`1 0 0 -1`) and the letters stand upright.
fn text(out: &mut String, text: &Text) {
    if !finite(&[text.x, text.y, text.size]) || text.size <= 0.0 {
        return;
    }
    let bytes = encode_text(&text.text);
    if bytes.is_empty() {
        return;
    }
    let advance: f32 = bytes.iter().map(|b| width(*b, text.bold, text.size)).sum();
    let x = match text.anchor {
        Anchor::Start => text.x,
        Anchor::Middle => text.x - advance / 2.0,
        Anchor::End => text.x - advance,
    };
    let font = if text.bold { "F2" } else { "F1" };
    let show = format!("BT /{font} {} Tf 1 0 0 -1 {} {} Tm {} Tj ET", n(text.size), n(x), n(text.y), literal(&bytes));
    out.push_str("q ");
    if text.halo {
        // Stroke only (render mode 1), round joins so corners do not spike.
        let _ = write!(out, "{} 3 w 1 j 1 Tr {} 0 Tr ", colour(Rgb::WHITE, "RG"), show);
    }
    let _ = writeln!(out, "{} {show} Q", colour(text.colour, "rg"));
}

fn shape(out: &mut String, shape: &Shape) {
    match shape {
        Shape::Line { x1, y1, x2, y2, stroke } => {
            if !finite(&[*x1, *y1, *x2, *y2]) {
                return;
            }
            out.push_str("q ");
            stroke_state(out, stroke);
            let _ = writeln!(out, "{} {} m {} {} l S Q", n(*x1), n(*y1), n(*x2), n(*y2));
        }
        Shape::Polyline { points, stroke } => {
            if points.len() < 2 || !points_finite(points) {
                return;
            }
            out.push_str("q 1 j ");
            stroke_state(out, stroke);
            path(out, points);
            out.push_str("S Q\n");
        }
        Shape::Rect { x, y, width, height, fill, stroke } => {
            if !finite(&[*x, *y, *width, *height]) {
                return;
            }
            let mut body = String::new();
            if let Some(operator) = paint(&mut body, *fill, stroke.as_ref()) {
                let _ = writeln!(out, "q {body}{} {} {} {} re {operator} Q", n(*x), n(*y), n(*width), n(*height));
            }
        }
        Shape::Circle { cx, cy, r, fill, stroke } => {
            if !finite(&[*cx, *cy, *r]) || *r <= 0.0 {
                return;
            }
            let mut body = String::new();
            if let Some(operator) = paint(&mut body, *fill, stroke.as_ref()) {
                let _ = write!(out, "q {body}");
                circle_path(out, *cx, *cy, *r);
                let _ = writeln!(out, "{operator} Q");
            }
        }
        Shape::Polygon { points, fill, stroke } => {
            if points.len() < 2 || !points_finite(points) {
                return;
            }
            let mut body = String::new();
            if let Some(operator) = paint(&mut body, *fill, stroke.as_ref()) {
                let _ = write!(out, "q 1 j {body}");
                path(out, points);
                let _ = writeln!(out, "h {operator} Q");
            }
        }
        Shape::Text(run) => text(out, run),
    }
}

/// The content-stream operators of `figure` drawn with its top-left corner at `(x, top)`
/// on the page, `scale` points to the unit. The `cm` maps the figure's units to the
/// page and flips `y`; a clip keeps every shape inside the figure's rectangle.
pub(crate) fn content(figure: &Figure, x: f32, top: f32, scale: f32) -> String {
    let mut out = String::new();
    if !figure.has_area() {
        return out;
    }
    let _ = writeln!(
        out,
        "q {} 0 0 {} {} {} cm 0 0 {} {} re W n",
        fixed(scale, 4),
        fixed(-scale, 4),
        n(x),
        n(top),
        n(figure.width),
        n(figure.height)
    );
    for item in &figure.shapes {
        shape(&mut out, item);
    }
    out.push_str("Q\n");
    out
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
        assert_eq!(colour(Rgb::new(0x1d, 0x70, 0xb8), "rg"), "0.114 0.439 0.722 rg");
    }

    #[test]
    fn a_circle_is_four_bezier_arcs_that_end_where_they_start() {
        let mut out = String::new();
        circle_path(&mut out, 10.0, 20.0, 4.0);
        assert!(out.starts_with("14 20 m "), "{out}");
        assert_eq!(out.matches(" c ").count(), 4, "{out}");
        assert!(out.ends_with("14 20 c h "), "{out}");
        assert!(out.contains("12.21 24 10 24 c"), "the control points sit kappa * r from the axes: {out}");
    }

    #[test]
    fn anchors_move_text_left_by_its_width_from_the_font_metrics() {
        // "Hi" in Helvetica is 722 + 222 thousandths: 9.44 units at size 10.
        let mut run = Text::new(100.0, 50.0, "Hi", 10.0);
        let mut out = String::new();
        text(&mut out, &run);
        assert!(out.contains("1 0 0 -1 100 50 Tm (Hi) Tj"), "{out}");
        run.anchor = Anchor::Middle;
        let mut out = String::new();
        text(&mut out, &run);
        assert!(out.contains("1 0 0 -1 95.28 50 Tm"), "{out}");
        run.anchor = Anchor::End;
        run.bold = true;
        // Bold: 722 + 278 thousandths, 10 units.
        let mut out = String::new();
        text(&mut out, &run);
        assert!(out.contains("BT /F2 10 Tf 1 0 0 -1 90 50 Tm"), "{out}");
    }

    #[test]
    fn a_halo_is_a_white_stroked_copy_under_the_filled_text() {
        let mut run = Text::new(0.0, 10.0, "Late", 14.0);
        run.halo = true;
        run.colour = Rgb::new(0xd4, 0x35, 0x1c);
        let mut out = String::new();
        text(&mut out, &run);
        let stroke = out.find("1 Tr").expect("a stroked copy");
        let fill = out.rfind("(Late) Tj").expect("the text");
        assert!(stroke < fill, "{out}");
        assert_eq!(out.matches("(Late) Tj").count(), 2, "{out}");
        assert!(out.contains("1 1 1 RG 3 w 1 j 1 Tr"), "{out}");
        assert!(out.contains("0 Tr 0.831 0.208 0.11 rg BT"), "{out}");
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
                Shape::Circle { cx: 1.0, cy: 1.0, r: f32::INFINITY, fill: Some(Rgb::BLACK), stroke: None },
                Shape::Text(Text::new(0.0, 0.0, "", 10.0)),
            ],
        };
        let out = content(&figure, 0.0, 100.0, 1.0);
        assert_eq!(out, "q 1 0 0 -1 0 100 cm 0 0 10 10 re W n\nQ\n");
        assert_eq!(content(&Figure::new(0.0, 10.0), 0.0, 100.0, 1.0), "");
        assert!(!out.contains("NaN") && !out.contains("inf"));
    }

    #[test]
    fn a_dash_pattern_that_readers_would_refuse_draws_a_solid_line() {
        let mut out = String::new();
        stroke_state(&mut out, &Stroke::dashed(Rgb::BLACK, 2.0, vec![6.0, 4.0]));
        assert_eq!(out, "0 0 0 RG 2 w [6 4] 0 d ");
        for dash in [vec![0.0, 0.0], vec![-1.0, 2.0], vec![f32::NAN]] {
            let mut out = String::new();
            stroke_state(&mut out, &Stroke::dashed(Rgb::BLACK, 2.0, dash));
            assert_eq!(out, "0 0 0 RG 2 w ");
        }
    }
}
