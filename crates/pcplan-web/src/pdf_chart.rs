//! Charts in PDFs: the same chart a page shows, drawn into a PDF made with `pcplan-pdf`.
//!
//! Every chart of `pcplan-charts` is laid out as a `Drawing` before it is written as SVG.
//! `pcplan-pdf` does not depend on the charts crate, so [`figure`] converts the drawing
//! shape for shape into the PDF crate's own `Figure` (which that crate writes as the SVG
//! typst embeds, so the chart stays vector): same coordinates, same colours (the
//! GOV.UK palette as RGB), same stroke widths and dash patterns, same text with its size,
//! anchor, weight and halo. Groups only name parts of the chart for styling and tests, so
//! their shapes are drawn in order and the grouping is dropped. Hatching is plain lines in
//! the drawing, so it arrives in the PDF as lines.
//!
//! [`chart_block`] gives the blocks a report puts where the page shows a chart: the figure
//! with the chart's description in words as its caption, then the chart's data table, so a
//! printed chart is never the only place a figure appears (as on the page).
//!
//! This module only converts; it does not choose which charts a document holds or where.
//! In the tagged PDF the caption is also the figure's alternative text; the HTML page
//! stays the primary version.

use pcplan_charts as charts;
use pcplan_pdf as pdf;

/// The drawing as a PDF figure, every shape converted and groups flattened in drawing
/// order (later shapes over earlier ones, as in the SVG). The figure keeps the drawing's
/// units; `pcplan-pdf` scales it to the width of the text.
pub fn figure(drawing: &charts::Drawing) -> pdf::Figure {
    let mut shapes = Vec::new();
    for shape in &drawing.shapes {
        convert(shape, &mut shapes);
    }
    pdf::Figure { width: drawing.width as f32, height: drawing.height as f32, shapes }
}

/// The blocks that print a rendered chart: the figure captioned with the chart's summary
/// (the text of its `<desc>`), then the table's caption in bold (the chart's title, which
/// the drawing itself does not print) and the table of the same figures, its columns
/// sized by what they hold (`pcplan_pdf::fit_columns`), so figures stay narrow and the
/// column that names each signal in words gets the room it needs.
pub fn chart_block(svg: &charts::Svg) -> Vec<pdf::Block> {
    let mut blocks = vec![pdf::Block::figure(figure(&svg.drawing), svg.summary.clone())];
    let table = &svg.table;
    if !table.caption.trim().is_empty() {
        blocks.push(pdf::Block::Strong(table.caption.clone()));
    }
    let headings: Vec<&str> = table.headers.iter().map(String::as_str).collect();
    let columns = pdf::fit_columns(&headings, &table.rows);
    blocks.push(pdf::Block::Table { columns, rows: table.rows.clone() });
    blocks
}

fn convert(shape: &charts::Shape, out: &mut Vec<pdf::Shape>) {
    match shape {
        charts::Shape::Group { shapes, .. } => {
            for inner in shapes {
                convert(inner, out);
            }
        }
        charts::Shape::Line { x1, y1, x2, y2, stroke: line } => out.push(pdf::Shape::Line {
            x1: *x1 as f32,
            y1: *y1 as f32,
            x2: *x2 as f32,
            y2: *y2 as f32,
            stroke: stroke(line),
        }),
        charts::Shape::Polyline { points: line, stroke: pen } => {
            out.push(pdf::Shape::Polyline { points: points(line), stroke: stroke(pen) })
        }
        charts::Shape::Rect { x, y, width, height, fill, stroke: outline } => out.push(pdf::Shape::Rect {
            x: *x as f32,
            y: *y as f32,
            width: *width as f32,
            height: *height as f32,
            fill: fill.map(rgb),
            stroke: outline.as_ref().map(stroke),
        }),
        charts::Shape::Circle { cx, cy, r, fill, stroke: outline } => out.push(pdf::Shape::Circle {
            cx: *cx as f32,
            cy: *cy as f32,
            r: *r as f32,
            fill: fill.map(rgb),
            stroke: outline.as_ref().map(stroke),
        }),
        charts::Shape::Polygon { points: corners, fill, stroke: outline } => out.push(pdf::Shape::Polygon {
            points: points(corners),
            fill: fill.map(rgb),
            stroke: outline.as_ref().map(stroke),
        }),
        charts::Shape::Text(text) => out.push(pdf::Shape::Text(pdf::Text {
            x: text.x as f32,
            y: text.y as f32,
            text: text.text.clone(),
            size: text.size as f32,
            anchor: anchor(text.anchor),
            bold: text.bold,
            colour: rgb(text.colour),
            halo: text.halo,
        })),
    }
}

fn rgb(colour: charts::Colour) -> pdf::Rgb {
    let (r, g, b) = colour.rgb();
    pdf::Rgb::new(r, g, b)
}

fn stroke(stroke: &charts::Stroke) -> pdf::Stroke {
    let dash = stroke.dash.pattern().iter().map(|length| *length as f32).collect();
    pdf::Stroke::dashed(rgb(stroke.colour), stroke.width as f32, dash)
}

fn points(points: &[(f64, f64)]) -> Vec<(f32, f32)> {
    points.iter().map(|(x, y)| (*x as f32, *y as f32)).collect()
}

fn anchor(anchor: charts::Anchor) -> pdf::Anchor {
    match anchor {
        charts::Anchor::Start => pdf::Anchor::Start,
        charts::Anchor::Middle => pdf::Anchor::Middle,
        charts::Anchor::End => pdf::Anchor::End,
    }
}

#[cfg(test)]
mod tests {
    use std::process::Command;

    use charts::{Colour, Dash, Limits, Options, Point, SeriesChart, StatusBars, StatusCounts, StatusRow};
    use pcplan_domain::Polarity;

    use super::*;

    /// Burglaries over six months with its process limits, a target and two signals, the
    /// axis labelled with short month names.
    fn burglaries() -> SeriesChart {
        let improvement = charts::Signal { kind: charts::SignalKind::Low, reading: charts::Reading::Improvement };
        let months = [
            ("January 2024", "Jan 2024", Some(52.0)),
            ("February 2024", "Feb 2024", Some(47.0)),
            ("March 2024", "Mar 2024", None),
            ("April 2024", "Apr 2024", Some(55.0)),
            ("May 2024", "May 2024", Some(38.0)),
            ("June 2024", "Jun 2024", Some(36.0)),
        ];
        let points = months
            .iter()
            .map(|(label, short, value)| {
                let point = Point::new(*label, *value).with_axis_label(*short);
                if value.is_some_and(|v| v < 40.0) { point.with_signal(improvement) } else { point }
            })
            .collect();
        let mut chart = SeriesChart::new("Burglaries recorded each month", "crimes", points);
        chart.limits = Some(Limits { centre: 45.6, lower: 39.2, upper: 67.8 });
        chart.target = Some(44.0);
        chart.polarity = Polarity::LowerIsBetter;
        chart
    }

    /// Every shape of the drawing with its groups flattened, in order.
    fn flattened(shapes: &[charts::Shape]) -> Vec<&charts::Shape> {
        shapes
            .iter()
            .flat_map(|shape| match shape {
                charts::Shape::Group { shapes, .. } => flattened(shapes),
                other => vec![other],
            })
            .collect()
    }

    fn pdftotext(bytes: &[u8], name: &str) -> Option<String> {
        let dir = std::env::temp_dir().join(format!("pcplan-pdf-chart-{}-{name}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        let path = dir.join("chart.pdf");
        std::fs::write(&path, bytes).expect("write the PDF");
        let output = Command::new("pdftotext").arg(&path).arg("-").output();
        std::fs::remove_dir_all(&dir).ok();
        match output {
            Ok(output) => {
                assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
                Some(String::from_utf8(output.stdout).expect("pdftotext writes UTF-8"))
            }
            Err(error) => {
                assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils: {error}");
                None
            }
        }
    }

    #[test]
    fn a_series_chart_prints_its_axis_labels_its_description_and_its_table() {
        let rendered = burglaries().render(&Options::pdf("burglary"));
        let mut blocks = vec![pdf::Block::heading(2, "Burglary")];
        blocks.extend(chart_block(&rendered));
        let document = pdf::Document { title: String::from("Board performance report"), blocks, ..Default::default() };
        let bytes = pdf::render(&document).expect("the report typesets");
        assert_eq!(pdf::render(&document).expect("again"), bytes, "the same chart gives the same bytes");
        let svg = figure(&rendered.drawing).to_svg();
        assert!(
            svg.contains(r#"stroke-dasharray="6 4""#) && svg.contains(r#"stroke-dasharray="12 4""#),
            "limits and target keep their dashes"
        );
        assert!(svg.contains("<polygon "), "signals are drawn as closed triangles");

        let Some(text) = pdftotext(&bytes, "series") else { return };
        // The axis: short period labels (the table uses the long ones), ticks and the unit.
        for label in ["Jan 2024", "Feb 2024", "Jun 2024", "crimes", "Improvement"] {
            assert!(text.contains(label), "{label:?} on the chart:\n{text}");
        }
        for tick in ["0", "20", "40", "60"] {
            assert!(text.lines().any(|line| line.trim() == tick), "tick {tick:?} on the axis:\n{text}");
        }
        // The caption is the chart's description; it follows the drawing.
        let caption = rendered.summary.split(". ").next().expect("a first sentence");
        let squeezed = text.split_whitespace().collect::<Vec<_>>().join(" ");
        assert!(squeezed.contains(caption), "{caption:?} in:\n{squeezed}");
        // The table: its caption, headers and every row's figures.
        let order = [
            caption,
            "Burglaries recorded each month",
            "Period",
            "January 2024",
            "52",
            "March 2024",
            "no figure",
            "June 2024",
            "36",
            "Significant improvement: lower than usual",
        ];
        let mut from = 0;
        for part in order {
            let at = squeezed[from..].find(part).unwrap_or_else(|| panic!("{part:?} after {from} in:\n{squeezed}"));
            from += at + part.len();
        }
        assert!(squeezed.contains("45.6") && squeezed.contains("39.2") && squeezed.contains("67.8"), "{squeezed}");
    }

    #[test]
    fn every_shape_kind_is_converted_with_its_colour_stroke_and_text_settings() {
        let grey = charts::Stroke::dashed(Colour::DarkGrey, 1.5, Dash::Dashed);
        let drawing = charts::Drawing {
            width: 640.0,
            height: 300.0,
            shapes: vec![charts::Shape::Group {
                class: "pcplan-chart__all",
                shapes: vec![
                    charts::Shape::Line { x1: 1.0, y1: 2.0, x2: 3.0, y2: 4.5, stroke: grey },
                    charts::Shape::Polyline {
                        points: vec![(0.0, 0.0), (10.5, 20.0)],
                        stroke: charts::Stroke::dashed(Colour::Black, 2.0, Dash::LongDashed),
                    },
                    charts::Shape::Rect {
                        x: 5.0,
                        y: 6.0,
                        width: 7.0,
                        height: 8.0,
                        fill: Some(Colour::Green),
                        stroke: Some(charts::Stroke::solid(Colour::MidGrey, 1.0)),
                    },
                    charts::Shape::Group {
                        class: "pcplan-chart__nested",
                        shapes: vec![charts::Shape::Circle {
                            cx: 9.0,
                            cy: 10.0,
                            r: 4.0,
                            fill: None,
                            stroke: Some(charts::Stroke::dashed(Colour::Orange, 1.0, Dash::Dotted)),
                        }],
                    },
                    charts::Shape::Polygon {
                        points: vec![(1.0, 1.0), (2.0, 3.0), (0.0, 3.0)],
                        fill: Some(Colour::Red),
                        stroke: None,
                    },
                    charts::Shape::Text(charts::Text {
                        x: 100.0,
                        y: 20.0,
                        text: String::from("Deterioration"),
                        size: 14.0,
                        anchor: charts::Anchor::End,
                        bold: true,
                        colour: Colour::Blue,
                        halo: true,
                    }),
                ],
            }],
        };
        let converted = figure(&drawing);
        let blue = pdf::Rgb::new(0x1d, 0x70, 0xb8);
        let expected = pdf::Figure {
            width: 640.0,
            height: 300.0,
            shapes: vec![
                pdf::Shape::Line {
                    x1: 1.0,
                    y1: 2.0,
                    x2: 3.0,
                    y2: 4.5,
                    stroke: pdf::Stroke::dashed(pdf::Rgb::new(0x50, 0x5a, 0x5f), 1.5, vec![6.0, 4.0]),
                },
                pdf::Shape::Polyline {
                    points: vec![(0.0, 0.0), (10.5, 20.0)],
                    stroke: pdf::Stroke::dashed(pdf::Rgb::new(0x0b, 0x0c, 0x0c), 2.0, vec![12.0, 4.0]),
                },
                pdf::Shape::Rect {
                    x: 5.0,
                    y: 6.0,
                    width: 7.0,
                    height: 8.0,
                    fill: Some(pdf::Rgb::new(0x00, 0x70, 0x3c)),
                    stroke: Some(pdf::Stroke::solid(pdf::Rgb::new(0xb1, 0xb4, 0xb6), 1.0)),
                },
                pdf::Shape::Circle {
                    cx: 9.0,
                    cy: 10.0,
                    r: 4.0,
                    fill: None,
                    stroke: Some(pdf::Stroke::dashed(pdf::Rgb::new(0xf4, 0x77, 0x38), 1.0, vec![2.0, 3.0])),
                },
                pdf::Shape::Polygon {
                    points: vec![(1.0, 1.0), (2.0, 3.0), (0.0, 3.0)],
                    fill: Some(pdf::Rgb::new(0xd4, 0x35, 0x1c)),
                    stroke: None,
                },
                pdf::Shape::Text(pdf::Text {
                    x: 100.0,
                    y: 20.0,
                    text: String::from("Deterioration"),
                    size: 14.0,
                    anchor: pdf::Anchor::End,
                    bold: true,
                    colour: blue,
                    halo: true,
                }),
            ],
        };
        assert_eq!(converted, expected);
        let start = |anchor| match figure(&charts::Drawing {
            width: 1.0,
            height: 1.0,
            shapes: vec![charts::Shape::Text(charts::Text {
                x: 0.0,
                y: 0.0,
                text: String::from("a"),
                size: 1.0,
                anchor,
                bold: false,
                colour: Colour::White,
                halo: false,
            })],
        })
        .shapes
        .first()
        {
            Some(pdf::Shape::Text(text)) => (text.anchor, text.colour),
            other => panic!("one text: {other:?}"),
        };
        assert_eq!(start(charts::Anchor::Start), (pdf::Anchor::Start, pdf::Rgb::WHITE));
        assert_eq!(start(charts::Anchor::Middle).0, pdf::Anchor::Middle);
    }

    #[test]
    fn every_shape_of_real_charts_reaches_the_figure_hatching_included() {
        let counts = |complete, on_track, at_risk, late| StatusCounts {
            complete,
            on_track,
            at_risk,
            late,
            not_started: 1,
            withdrawn: 1,
        };
        let bars = StatusBars::new(
            "Milestones by priority",
            "Priority",
            vec![
                StatusRow { label: String::from("Safer streets"), counts: counts(6, 3, 2, 4) },
                StatusRow { label: String::from("Victims first"), counts: counts(2, 5, 1, 3) },
            ],
        );
        let multiples = charts::SmallMultiples::new(
            "Burglaries by area",
            "crimes",
            ["North", "South", "East", "West"]
                .iter()
                .map(|area| charts::Panel { area: area.to_string(), points: burglaries().points })
                .collect(),
        );
        for rendered in [
            burglaries().render(&Options::pdf("series")),
            multiples.render(&Options::pdf("areas")),
            bars.render(&Options::pdf("bars")),
        ] {
            let shapes = flattened(&rendered.drawing.shapes);
            let converted = figure(&rendered.drawing);
            assert_eq!(converted.shapes.len(), shapes.len());
            assert_eq!(
                (converted.width, converted.height),
                (rendered.drawing.width as f32, rendered.drawing.height as f32)
            );
            for (from, to) in shapes.iter().zip(&converted.shapes) {
                let same_kind = matches!(
                    (from, to),
                    (charts::Shape::Line { .. }, pdf::Shape::Line { .. })
                        | (charts::Shape::Polyline { .. }, pdf::Shape::Polyline { .. })
                        | (charts::Shape::Rect { .. }, pdf::Shape::Rect { .. })
                        | (charts::Shape::Circle { .. }, pdf::Shape::Circle { .. })
                        | (charts::Shape::Polygon { .. }, pdf::Shape::Polygon { .. })
                        | (charts::Shape::Text(_), pdf::Shape::Text(_))
                );
                assert!(same_kind, "{from:?} became {to:?}");
            }
        }
        // The status bars' hatching is lines inside the late and on-track segments.
        let drawn = bars.render(&Options::pdf("bars"));
        let lines = figure(&drawn.drawing).shapes.iter().filter(|s| matches!(s, pdf::Shape::Line { .. })).count();
        assert!(lines > 10, "hatching arrives as lines: {lines}");
    }

    #[test]
    fn the_table_follows_the_figure_with_columns_sized_by_what_they_hold() {
        let rendered = burglaries().render(&Options::pdf("burglary"));
        let blocks = chart_block(&rendered);
        assert_eq!(blocks.len(), 3);
        assert!(matches!(&blocks[0], pdf::Block::Figure { caption, .. } if *caption == rendered.summary));
        assert_eq!(blocks[1], pdf::Block::Strong(String::from("Burglaries recorded each month")));
        let pdf::Block::Table { columns, rows } = &blocks[2] else { panic!("a table: {:?}", blocks[2]) };
        assert_eq!(rows, &rendered.table.rows);
        let headings: Vec<&str> = columns.iter().map(|c| c.heading.as_str()).collect();
        assert_eq!(headings, rendered.table.headers.iter().map(String::as_str).collect::<Vec<_>>());
        assert_eq!(*columns, pdf::fit_columns(&headings, &rendered.table.rows));
        let weight = |heading: &str| columns.iter().find(|c| c.heading == heading).map(|c| c.weight).expect(heading);
        assert!(weight("Signal") > 2.0 * weight("Target"), "the signal in words gets the room");
    }
}
