//! The drawing every chart is made of: lines, polylines, rectangles, circles, polygons and
//! text in one coordinate space, and the writer that turns it into SVG.
//!
//! Charts are laid out into a [`Drawing`] first and written out second, so that the SVG a
//! page shows and anything else that draws the chart (a PDF writer that has no SVG
//! reader, say) start from the same shapes at the same coordinates. For the same reason
//! hatching is made of plain lines inside each bar, not an SVG `<pattern>`: every reader
//! of the drawing can draw a line.
//!
//! Coordinates are rounded to 0.1 when a shape is made and printed with at most one
//! decimal place, so the output carries no floating-point noise and the same chart
//! always gives the same bytes. The writer escapes every piece of text.

use std::fmt::Write as _;

use crate::number::{coord, round1};
use crate::text::escape;

/// The colours charts use: the GOV.UK palette.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Colour {
    /// `#1d70b8`: the series itself, "on track".
    Blue,
    /// `#00703c`: improvement, "complete".
    Green,
    /// `#d4351c`: deterioration, "late".
    Red,
    /// `#f47738`: a change on a context measure, "at risk".
    Orange,
    /// `#505a5f`: reference lines (centre line, limits, baseline).
    DarkGrey,
    /// `#b1b4b6`: grid lines, "not started".
    MidGrey,
    /// `#0b0c0c`: text, axes and the target line.
    Black,
    /// `#ffffff`: backgrounds, halos behind text, hatching on dark fills.
    White,
}

impl Colour {
    /// The colour as `#rrggbb`.
    pub fn hex(&self) -> &'static str {
        match self {
            Colour::Blue => "#1d70b8",
            Colour::Green => "#00703c",
            Colour::Red => "#d4351c",
            Colour::Orange => "#f47738",
            Colour::DarkGrey => "#505a5f",
            Colour::MidGrey => "#b1b4b6",
            Colour::Black => "#0b0c0c",
            Colour::White => "#ffffff",
        }
    }

    /// The colour as red, green and blue from 0 to 255, for writers that do not read hex.
    pub fn rgb(&self) -> (u8, u8, u8) {
        match self {
            Colour::Blue => (0x1d, 0x70, 0xb8),
            Colour::Green => (0x00, 0x70, 0x3c),
            Colour::Red => (0xd4, 0x35, 0x1c),
            Colour::Orange => (0xf4, 0x77, 0x38),
            Colour::DarkGrey => (0x50, 0x5a, 0x5f),
            Colour::MidGrey => (0xb1, 0xb4, 0xb6),
            Colour::Black => (0x0b, 0x0c, 0x0c),
            Colour::White => (0xff, 0xff, 0xff),
        }
    }
}

/// How a line is broken up, so that lines differ by more than their colour.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Dash {
    Solid,
    /// 6 on, 4 off: process limits.
    Dashed,
    /// 12 on, 4 off: a target.
    LongDashed,
    /// 2 on, 3 off: a baseline.
    Dotted,
}

impl Dash {
    /// The on and off lengths, empty for a solid line.
    pub fn pattern(&self) -> &'static [f64] {
        match self {
            Dash::Solid => &[],
            Dash::Dashed => &[6.0, 4.0],
            Dash::LongDashed => &[12.0, 4.0],
            Dash::Dotted => &[2.0, 3.0],
        }
    }
}

/// The outline of a shape or a line.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Stroke {
    pub colour: Colour,
    pub width: f64,
    pub dash: Dash,
}

impl Stroke {
    pub fn solid(colour: Colour, width: f64) -> Self {
        Stroke { colour, width, dash: Dash::Solid }
    }

    pub fn dashed(colour: Colour, width: f64, dash: Dash) -> Self {
        Stroke { colour, width, dash }
    }
}

/// Where a text's `x` is: its start, middle or end.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Anchor {
    Start,
    Middle,
    End,
}

impl Anchor {
    fn svg(&self) -> &'static str {
        match self {
            Anchor::Start => "start",
            Anchor::Middle => "middle",
            Anchor::End => "end",
        }
    }
}

/// A run of text on one line. `y` is the baseline.
#[derive(Clone, Debug, PartialEq)]
pub struct Text {
    pub x: f64,
    pub y: f64,
    pub text: String,
    pub size: f64,
    pub anchor: Anchor,
    pub bold: bool,
    pub colour: Colour,
    /// A white outline drawn under the letters, so the text stays readable over lines,
    /// hatching and coloured bars.
    pub halo: bool,
}

/// One thing drawn. Coordinates are in the drawing's units, `y` growing downwards.
#[derive(Clone, Debug, PartialEq)]
pub enum Shape {
    /// Shapes that belong together (the series, the legend); `class` names the part so
    /// pages can style it and tests can find it.
    Group {
        class: &'static str,
        shapes: Vec<Shape>,
    },
    Line {
        x1: f64,
        y1: f64,
        x2: f64,
        y2: f64,
        stroke: Stroke,
    },
    /// An open line through `points`; a gap in a series is two polylines.
    Polyline {
        points: Vec<(f64, f64)>,
        stroke: Stroke,
    },
    Rect {
        x: f64,
        y: f64,
        width: f64,
        height: f64,
        fill: Option<Colour>,
        stroke: Option<Stroke>,
    },
    Circle {
        cx: f64,
        cy: f64,
        r: f64,
        fill: Option<Colour>,
        stroke: Option<Stroke>,
    },
    /// A closed shape through `points` (the triangles that mark signals).
    Polygon {
        points: Vec<(f64, f64)>,
        fill: Option<Colour>,
        stroke: Option<Stroke>,
    },
    Text(Text),
}

impl Shape {
    pub(crate) fn group(class: &'static str, shapes: Vec<Shape>) -> Shape {
        Shape::Group { class, shapes }
    }

    pub(crate) fn line(x1: f64, y1: f64, x2: f64, y2: f64, stroke: Stroke) -> Shape {
        Shape::Line { x1: round1(x1), y1: round1(y1), x2: round1(x2), y2: round1(y2), stroke }
    }

    pub(crate) fn polyline(points: &[(f64, f64)], stroke: Stroke) -> Shape {
        Shape::Polyline { points: round_points(points), stroke }
    }

    pub(crate) fn rect(x: f64, y: f64, width: f64, height: f64, fill: Option<Colour>, stroke: Option<Stroke>) -> Shape {
        Shape::Rect { x: round1(x), y: round1(y), width: round1(width), height: round1(height), fill, stroke }
    }

    pub(crate) fn circle(cx: f64, cy: f64, r: f64, fill: Option<Colour>, stroke: Option<Stroke>) -> Shape {
        Shape::Circle { cx: round1(cx), cy: round1(cy), r: round1(r), fill, stroke }
    }

    pub(crate) fn polygon(points: &[(f64, f64)], fill: Option<Colour>, stroke: Option<Stroke>) -> Shape {
        Shape::Polygon { points: round_points(points), fill, stroke }
    }

    /// Plain text in black, not bold, without a halo.
    pub(crate) fn text(x: f64, y: f64, text: impl Into<String>, size: f64, anchor: Anchor) -> Shape {
        Shape::Text(Text {
            x: round1(x),
            y: round1(y),
            text: text.into(),
            size,
            anchor,
            bold: false,
            colour: Colour::Black,
            halo: false,
        })
    }

    /// The same text in bold (only meaningful for [`Shape::Text`]).
    pub(crate) fn bold(self) -> Shape {
        match self {
            Shape::Text(text) => Shape::Text(Text { bold: true, ..text }),
            other => other,
        }
    }

    /// The same text with a white halo (only meaningful for [`Shape::Text`]).
    pub(crate) fn with_halo(self) -> Shape {
        match self {
            Shape::Text(text) => Shape::Text(Text { halo: true, ..text }),
            other => other,
        }
    }
}

fn round_points(points: &[(f64, f64)]) -> Vec<(f64, f64)> {
    points.iter().map(|(x, y)| (round1(*x), round1(*y))).collect()
}

/// A whole chart: its size and its shapes, drawn in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Drawing {
    pub width: f64,
    pub height: f64,
    pub shapes: Vec<Shape>,
}

/// What the SVG root carries besides the shapes.
pub(crate) struct SvgHead<'a> {
    /// Already cleaned by [`crate::text::clean_id`].
    pub id: &'a str,
    pub title: &'a str,
    pub desc: &'a str,
    pub font_family: &'a str,
}

impl Drawing {
    /// The drawing as an SVG document fragment (no XML declaration, so it can go straight
    /// into an HTML page), with `<title>` and `<desc>` named by `aria-labelledby`, on a
    /// white background so it reads the same on a coloured page.
    pub(crate) fn to_svg(&self, head: &SvgHead<'_>) -> String {
        let mut out = String::new();
        let id = escape(head.id);
        let (width, height) = (coord(self.width), coord(self.height));
        // Writing to a String cannot fail; the results are ignored for that reason.
        let _ = writeln!(
            out,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"{id}\" class=\"pcplan-chart\" \
             viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\" role=\"img\" \
             aria-labelledby=\"{id}-title {id}-desc\" font-family=\"{}\" font-size=\"14\">",
            escape(head.font_family)
        );
        let _ = writeln!(out, "<title id=\"{id}-title\">{}</title>", escape(head.title));
        let _ = writeln!(out, "<desc id=\"{id}-desc\">{}</desc>", escape(head.desc));
        let _ = writeln!(out, "<rect x=\"0\" y=\"0\" width=\"{width}\" height=\"{height}\" fill=\"#ffffff\"/>");
        for shape in &self.shapes {
            write_shape(&mut out, shape);
        }
        out.push_str("</svg>\n");
        out
    }
}

fn write_shape(out: &mut String, shape: &Shape) {
    let _ = match shape {
        Shape::Group { class, shapes } => {
            let _ = writeln!(out, "<g class=\"{}\">", escape(class));
            for inner in shapes {
                write_shape(out, inner);
            }
            writeln!(out, "</g>")
        }
        Shape::Line { x1, y1, x2, y2, stroke } => writeln!(
            out,
            "<line x1=\"{}\" y1=\"{}\" x2=\"{}\" y2=\"{}\"{}/>",
            coord(*x1),
            coord(*y1),
            coord(*x2),
            coord(*y2),
            stroke_attributes(Some(stroke))
        ),
        Shape::Polyline { points, stroke } => writeln!(
            out,
            "<polyline points=\"{}\" fill=\"none\"{} stroke-linejoin=\"round\"/>",
            point_list(points),
            stroke_attributes(Some(stroke))
        ),
        Shape::Rect { x, y, width, height, fill, stroke } => writeln!(
            out,
            "<rect x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\"{}{}/>",
            coord(*x),
            coord(*y),
            coord(*width),
            coord(*height),
            fill_attribute(*fill),
            stroke_attributes(stroke.as_ref())
        ),
        Shape::Circle { cx, cy, r, fill, stroke } => writeln!(
            out,
            "<circle cx=\"{}\" cy=\"{}\" r=\"{}\"{}{}/>",
            coord(*cx),
            coord(*cy),
            coord(*r),
            fill_attribute(*fill),
            stroke_attributes(stroke.as_ref())
        ),
        Shape::Polygon { points, fill, stroke } => writeln!(
            out,
            "<polygon points=\"{}\"{}{}/>",
            point_list(points),
            fill_attribute(*fill),
            stroke_attributes(stroke.as_ref())
        ),
        Shape::Text(text) => {
            let mut attributes = format!(
                "x=\"{}\" y=\"{}\" font-size=\"{}\" text-anchor=\"{}\" fill=\"{}\"",
                coord(text.x),
                coord(text.y),
                coord(text.size),
                text.anchor.svg(),
                text.colour.hex()
            );
            if text.bold {
                attributes.push_str(" font-weight=\"bold\"");
            }
            if text.halo {
                attributes.push_str(
                    " stroke=\"#ffffff\" stroke-width=\"3\" stroke-linejoin=\"round\" paint-order=\"stroke\"",
                );
            }
            writeln!(out, "<text {attributes}>{}</text>", escape(&text.text))
        }
    };
}

fn point_list(points: &[(f64, f64)]) -> String {
    points.iter().map(|(x, y)| format!("{},{}", coord(*x), coord(*y))).collect::<Vec<_>>().join(" ")
}

fn fill_attribute(fill: Option<Colour>) -> String {
    match fill {
        Some(colour) => format!(" fill=\"{}\"", colour.hex()),
        None => String::from(" fill=\"none\""),
    }
}

fn stroke_attributes(stroke: Option<&Stroke>) -> String {
    let Some(stroke) = stroke else { return String::new() };
    let mut attributes = format!(" stroke=\"{}\" stroke-width=\"{}\"", stroke.colour.hex(), coord(stroke.width));
    let pattern = stroke.dash.pattern();
    if !pattern.is_empty() {
        let dashes: Vec<String> = pattern.iter().map(|d| coord(*d)).collect();
        let _ = write!(attributes, " stroke-dasharray=\"{}\"", dashes.join(" "));
    }
    attributes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn head<'a>(title: &'a str, desc: &'a str) -> SvgHead<'a> {
        SvgHead { id: "c", title, desc, font_family: "\"GDS Transport\", arial, sans-serif" }
    }

    #[test]
    fn shapes_are_written_with_rounded_coordinates() {
        let drawing = Drawing {
            width: 100.0,
            height: 50.0,
            shapes: vec![
                Shape::line(0.1 + 0.2, 1.0, 2.04, 3.06, Stroke::dashed(Colour::DarkGrey, 1.5, Dash::Dashed)),
                Shape::polyline(&[(1.0, 2.0), (3.33333, 4.0)], Stroke::solid(Colour::Blue, 2.0)),
                Shape::circle(5.0, 6.0, 4.0, Some(Colour::Blue), None),
            ],
        };
        let svg = drawing.to_svg(&head("t", "d"));
        assert!(
            svg.contains("<line x1=\"0.3\" y1=\"1\" x2=\"2\" y2=\"3.1\" stroke=\"#505a5f\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>"),
            "{svg}"
        );
        assert!(svg.contains("points=\"1,2 3.3,4\""), "{svg}");
        assert!(svg.contains("<circle cx=\"5\" cy=\"6\" r=\"4\" fill=\"#1d70b8\"/>"), "{svg}");
    }

    #[test]
    fn the_root_names_its_title_and_description_and_escapes_text() {
        let drawing = Drawing {
            width: 10.0,
            height: 10.0,
            shapes: vec![Shape::text(1.0, 2.0, "<b>&", 14.0, Anchor::Middle).bold().with_halo()],
        };
        let svg = drawing.to_svg(&head("A & B", "\"quoted\""));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\" id=\"c\""), "{svg}");
        assert!(svg.contains("role=\"img\" aria-labelledby=\"c-title c-desc\""), "{svg}");
        assert!(svg.contains("font-family=\"&quot;GDS Transport&quot;, arial, sans-serif\""), "{svg}");
        assert!(svg.contains("<title id=\"c-title\">A &amp; B</title>"), "{svg}");
        assert!(svg.contains("<desc id=\"c-desc\">&quot;quoted&quot;</desc>"), "{svg}");
        assert!(svg.contains("font-weight=\"bold\""), "{svg}");
        assert!(svg.contains("paint-order=\"stroke\">&lt;b&gt;&amp;</text>"), "{svg}");
    }

    #[test]
    fn colours_agree_in_both_forms() {
        for colour in [
            Colour::Blue,
            Colour::Green,
            Colour::Red,
            Colour::Orange,
            Colour::DarkGrey,
            Colour::MidGrey,
            Colour::Black,
            Colour::White,
        ] {
            let (r, g, b) = colour.rgb();
            assert_eq!(colour.hex(), format!("#{r:02x}{g:02x}{b:02x}"));
        }
    }
}
