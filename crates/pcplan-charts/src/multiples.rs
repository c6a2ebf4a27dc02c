//! Small multiples: one small line chart per area (local policing areas, community safety
//! partnerships), in a grid, all on one value scale.
//!
//! The shared scale is the point of the chart: a panel that looks twice as high is twice
//! as high, so areas can be compared at a glance. Rejected alternative: a scale per panel,
//! which would make a quiet area's small wobble look as large as a busy area's real shift.
//! Tick values are printed once per row of panels, left of the first; every panel has the
//! same grid lines. Each panel labels its first and last period.

use crate::drawing::{Anchor, Drawing, Shape};
use crate::legend::{Entry, Key, legend};
use crate::number::{Scale, format_number, round1};
use crate::plot::{
    FONT_SIZE, Frame, axes, band_centres, grid, period_labels, series_line, series_points, signal_markers,
    tick_label_width,
};
use crate::series::{Point, Reading, Signal, figure_cell, figure_heading, signal_cell, with_unit};
use crate::table::Table;
use crate::text::{capitalise, join_prose, text_width, wrap};
use crate::{Options, Svg};

/// One area's series.
#[derive(Clone, Debug, PartialEq)]
pub struct Panel {
    /// The area's name, printed above its panel.
    pub area: String,
    /// The periods, oldest first, with or without figures.
    pub points: Vec<Point>,
}

/// One small chart per area, on a shared scale.
#[derive(Clone, Debug, PartialEq)]
pub struct SmallMultiples {
    pub title: String,
    /// Anything the caller wants said before the chart's own description; may be empty.
    pub description: String,
    /// What the figures count: `crimes`, `per 1,000 residents`; may be empty.
    pub unit: String,
    pub panels: Vec<Panel>,
    /// Panels per row (3 unless set); fewer when there are fewer panels.
    pub columns: usize,
    /// Whether the shared scale starts at zero (right for counts and rates).
    pub y_from_zero: bool,
    /// Decimal places of the figures.
    pub decimals: usize,
}

const WIDTH: f64 = 640.0;
const MARGIN: f64 = 8.0;
const GUTTER: f64 = 20.0;
const LINE_HEIGHT: f64 = 18.0;
const PLOT_HEIGHT: f64 = 110.0;
const LABEL_SPACE: f64 = 24.0;
const ROW_GAP: f64 = 16.0;
/// Room kept clear after a panel's name, so it never runs into the next panel's.
const NAME_GAP: f64 = 8.0;

/// Where each panel goes.
struct Layout {
    scale: Scale,
    columns: usize,
    axis_width: f64,
    panel_width: f64,
    header_height: f64,
    top: f64,
}

impl Layout {
    fn row_height(&self) -> f64 {
        self.header_height + PLOT_HEIGHT + LABEL_SPACE + ROW_GAP
    }

    /// The top of panel `index`'s header and its plotting area.
    fn place(&self, index: usize) -> (f64, Frame) {
        let (row, column) = (index / self.columns, index % self.columns);
        let row_top = self.top + row as f64 * self.row_height();
        let left = round1(self.axis_width + column as f64 * (self.panel_width + GUTTER));
        let top = row_top + self.header_height;
        (row_top, Frame { left, top, right: round1(left + self.panel_width), bottom: top + PLOT_HEIGHT })
    }
}

impl SmallMultiples {
    /// Three panels to a row, the scale from zero, whole-number figures.
    pub fn new(title: impl Into<String>, unit: impl Into<String>, panels: Vec<Panel>) -> Self {
        SmallMultiples {
            title: title.into(),
            description: String::new(),
            unit: unit.into(),
            panels,
            columns: 3,
            y_from_zero: true,
            decimals: 0,
        }
    }

    /// The chart as SVG, with its description and data table.
    pub fn render(&self, options: &Options) -> Svg {
        Svg::finish(self.drawing(), options, &self.title, self.summary(), self.table())
    }

    /// The one scale every panel is drawn on.
    pub(crate) fn scale(&self) -> Scale {
        let figures = self.panels.iter().flat_map(|p| p.points.iter().filter_map(Point::figure));
        let (low, high) = figures.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| (lo.min(v), hi.max(v)));
        Scale::nice(low, high, self.y_from_zero, self.decimals)
    }

    fn layout(&self) -> Layout {
        let scale = self.scale();
        let columns = self.columns.clamp(1, self.panels.len().max(1));
        let axis_width = round1((tick_label_width(&scale) + 14.0).max(30.0));
        // Rounded down to 0.1 so that panel edges, sums of widths, stay on the 0.1 grid
        // and the last panel never passes the margin.
        let panel_width =
            ((WIDTH - MARGIN - axis_width - GUTTER * (columns - 1) as f64) / columns as f64 * 10.0).floor() / 10.0;
        let header_lines =
            self.panels.iter().map(|p| wrap(&p.area, FONT_SIZE, panel_width - NAME_GAP).len()).max().unwrap_or(1);
        let top = if self.unit.trim().is_empty() { MARGIN } else { 32.0 };
        Layout { scale, columns, axis_width, panel_width, header_height: header_lines as f64 * LINE_HEIGHT + 6.0, top }
    }

    fn drawing(&self) -> Drawing {
        let layout = self.layout();
        let mut shapes = Vec::new();
        if !self.unit.trim().is_empty() {
            shapes.push(Shape::text(MARGIN, 22.0, self.unit.trim(), FONT_SIZE, Anchor::Start));
        }
        for (index, panel) in self.panels.iter().enumerate() {
            shapes.push(self.panel(panel, index, &layout));
        }
        let rows = self.panels.len().div_ceil(layout.columns);
        let mut height = layout.top + rows as f64 * layout.row_height();
        let entries = self.legend_entries();
        if !entries.is_empty() {
            let (drawn, legend_height) = legend(&entries, MARGIN, height, WIDTH - 2.0 * MARGIN);
            shapes.push(drawn);
            height += legend_height + MARGIN;
        }
        Drawing { width: WIDTH, height: round1(height), shapes }
    }

    fn panel(&self, panel: &Panel, index: usize, layout: &Layout) -> Shape {
        let (row_top, frame) = layout.place(index);
        let scale = &layout.scale;
        let mut shapes = Vec::new();
        for (line_number, line) in wrap(&panel.area, FONT_SIZE, layout.panel_width - NAME_GAP).into_iter().enumerate() {
            let y = row_top + 14.0 + line_number as f64 * LINE_HEIGHT;
            shapes.push(Shape::text(frame.left, y, line, FONT_SIZE, Anchor::Start).bold());
        }
        // Tick values once per row, left of its first panel.
        shapes.push(grid(scale, &frame, index.is_multiple_of(layout.columns)));
        shapes.push(axes(&frame));
        let xs = band_centres(panel.points.len(), &frame);
        shapes.push(series_line(&panel.points, &xs, scale, &frame, 2.0));
        shapes.push(series_points(&panel.points, &xs, scale, &frame, 3.0));
        shapes.push(signal_markers(&panel.points, &xs, scale, &frame, 7.0));
        let which = end_labels(&panel.points, layout.panel_width);
        let max_x = (frame.right + GUTTER / 2.0).min(WIDTH - 4.0);
        shapes.push(period_labels(&panel.points, &xs, &which, frame.bottom + 20.0, frame.left, max_x));
        Shape::group("pcplan-chart__panel", shapes)
    }

    fn legend_entries(&self) -> Vec<Entry> {
        let signals: Vec<Signal> = Signal::ALL
            .into_iter()
            .filter(|s| self.panels.iter().any(|p| p.points.iter().any(|pt| pt.drawn_signal() == Some(*s))))
            .collect();
        if signals.is_empty() {
            return Vec::new();
        }
        let mut entries = vec![Entry { key: Key::Series, label: String::from("Figure for each period") }];
        entries.extend(signals.into_iter().map(|s| Entry { key: Key::Signal(s), label: capitalise(&s.describe()) }));
        entries
    }

    /// The chart in words: the shared scale, each area's latest figure, and the areas
    /// whose series signal.
    pub(crate) fn summary(&self) -> String {
        let mut sentences: Vec<String> = Vec::new();
        let description = self.description.trim();
        if !description.is_empty() {
            sentences.push(description.to_string());
        }
        let scale = self.scale();
        let areas = match self.panels.len() {
            1 => String::from("One chart for 1 area"),
            n => format!("One chart for each of {n} areas"),
        };
        sentences.push(format!(
            "{areas}, all on the same scale from {} to {}.",
            scale.label(scale.min),
            with_unit(&scale.label(scale.max), &self.unit)
        ));
        let latest: Vec<String> = self
            .panels
            .iter()
            .map(|panel| match panel.points.iter().rev().find_map(|p| p.figure().map(|v| (p, v))) {
                Some((point, value)) => {
                    format!("{} {} for {}", panel.area, format_number(value, self.decimals), point.label)
                }
                None => format!("{} has no figures", panel.area),
            })
            .collect();
        if !latest.is_empty() {
            sentences.push(format!("Latest figures: {}.", join_prose(&latest)));
        }
        let mut signals: Vec<String> = Vec::new();
        for panel in &self.panels {
            for reading in [Reading::Improvement, Reading::Deterioration, Reading::Neutral] {
                let count =
                    panel.points.iter().filter(|p| p.drawn_signal().is_some_and(|s| s.reading == reading)).count();
                match count {
                    0 => {}
                    1 => signals.push(format!("{}, 1 period of {}", panel.area, reading.label())),
                    n => signals.push(format!("{}, {n} periods of {}", panel.area, reading.label())),
                }
            }
        }
        if !signals.is_empty() {
            sentences.push(format!("Signals: {}.", signals.join("; ")));
        }
        sentences.join(" ")
    }

    /// One row per area and period.
    pub(crate) fn table(&self) -> Table {
        let with_signals = self.panels.iter().any(|p| p.points.iter().any(|pt| pt.drawn_signal().is_some()));
        let mut headers = vec![String::from("Area"), String::from("Period"), figure_heading(&self.unit)];
        let mut numeric = vec![false, false, true];
        if with_signals {
            headers.push(String::from("Signal"));
            numeric.push(false);
        }
        let rows = self
            .panels
            .iter()
            .flat_map(|panel| {
                panel.points.iter().map(move |point| {
                    let mut row =
                        vec![panel.area.clone(), point.label.clone(), figure_cell(point.figure(), self.decimals)];
                    if with_signals {
                        row.push(signal_cell(point));
                    }
                    row
                })
            })
            .collect();
        Table { caption: self.title.clone(), headers, numeric, rows }
    }
}

/// The first and last periods of a panel, or only the last when both will not fit.
fn end_labels(points: &[Point], panel_width: f64) -> Vec<usize> {
    match points {
        [] => Vec::new(),
        [_] => vec![0],
        [first, .., last] => {
            let both = text_width(first.axis_text(), FONT_SIZE) + text_width(last.axis_text(), FONT_SIZE) + 12.0;
            if both <= panel_width { vec![0, points.len() - 1] } else { vec![points.len() - 1] }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panel_labels_its_ends_or_only_the_latest() {
        let points = |labels: &[&str]| labels.iter().map(|l| Point::new(*l, Some(1.0))).collect::<Vec<_>>();
        assert_eq!(end_labels(&points(&["Apr 2022", "May 2022", "Jun 2022"]), 190.0), [0, 2]);
        assert_eq!(end_labels(&points(&["Apr 2022", "Jun 2022"]), 60.0), [1]);
        assert_eq!(end_labels(&points(&["Apr 2022"]), 190.0), [0]);
        assert!(end_labels(&[], 190.0).is_empty());
    }

    #[test]
    fn the_grid_wraps_after_the_set_number_of_columns() {
        let panels = (0..5).map(|i| Panel { area: format!("Area {i}"), points: vec![] }).collect();
        let chart = SmallMultiples::new("Crime", "crimes", panels);
        let layout = chart.layout();
        let (first_top, first) = layout.place(0);
        let (fourth_top, fourth) = layout.place(3);
        assert_eq!(first.left, fourth.left);
        assert_eq!(fourth_top - first_top, layout.row_height());
        let (_, second) = layout.place(1);
        assert!(second.left > first.right);
    }
}
