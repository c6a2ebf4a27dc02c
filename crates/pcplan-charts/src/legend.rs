//! Legends: a sample of each line, marker or fill with the words for it, laid out in rows
//! that wrap to the chart's width.
//!
//! A legend is drawn only when a chart shows more than its one series, and every entry
//! carries words, so no line style, marker or colour has to be decoded from memory.

use pcplan_domain::Status;

use crate::bars::status_fill;
use crate::drawing::{Anchor, Colour, Shape, Stroke};
use crate::plot::{FONT_SIZE, signal_marker};
use crate::series::Signal;
use crate::text::text_width;

/// What an entry's sample shows.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Key {
    /// A reference line in its own stroke.
    Line(Stroke),
    /// The series: its line with a point on it.
    Series,
    /// A signal's triangle.
    Signal(Signal),
    /// A status's fill in a bar chart.
    Status(Status),
}

/// One entry: a sample and its words.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Entry {
    pub key: Key,
    pub label: String,
}

const SAMPLE_WIDTH: f64 = 28.0;
const ROW_HEIGHT: f64 = 24.0;
const GAP_AFTER_SAMPLE: f64 = 6.0;
const GAP_BETWEEN_ENTRIES: f64 = 20.0;

/// The legend laid out from `(left, top)` in rows no wider than `width`, and its height.
pub(crate) fn legend(entries: &[Entry], left: f64, top: f64, width: f64) -> (Shape, f64) {
    let mut shapes = Vec::new();
    let mut x = left;
    let mut row_top = top;
    for entry in entries {
        let entry_width = SAMPLE_WIDTH + GAP_AFTER_SAMPLE + text_width(&entry.label, FONT_SIZE);
        if x > left && x + entry_width > left + width {
            x = left;
            row_top += ROW_HEIGHT;
        }
        let middle = row_top + ROW_HEIGHT / 2.0;
        shapes.extend(sample(entry.key, x, middle));
        shapes.push(Shape::text(
            x + SAMPLE_WIDTH + GAP_AFTER_SAMPLE,
            middle + 5.0,
            &entry.label,
            FONT_SIZE,
            Anchor::Start,
        ));
        x += entry_width + GAP_BETWEEN_ENTRIES;
    }
    let height = if entries.is_empty() { 0.0 } else { row_top + ROW_HEIGHT - top };
    (Shape::group("pcplan-chart__legend", shapes), height)
}

/// The sample of `key`, starting at `x`, centred vertically on `middle`.
fn sample(key: Key, x: f64, middle: f64) -> Vec<Shape> {
    let centre = x + SAMPLE_WIDTH / 2.0;
    match key {
        Key::Line(stroke) => vec![Shape::line(x, middle, x + SAMPLE_WIDTH, middle, stroke)],
        Key::Series => vec![
            Shape::line(x, middle, x + SAMPLE_WIDTH, middle, Stroke::solid(Colour::Blue, 2.5)),
            Shape::circle(centre, middle, 4.0, Some(Colour::Blue), None),
        ],
        Key::Signal(signal) => vec![signal_marker(signal, centre, middle, 8.0)],
        Key::Status(status) => status_fill(status, centre - 8.0, middle - 8.0, 16.0, 16.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(label: &str) -> Entry {
        Entry { key: Key::Series, label: label.to_string() }
    }

    #[test]
    fn entries_wrap_onto_new_rows_when_the_width_runs_out() {
        let (_, one_row) = legend(&[entry("Figures"), entry("Target")], 0.0, 0.0, 600.0);
        assert_eq!(one_row, ROW_HEIGHT);
        let (_, two_rows) = legend(&[entry("Figures"), entry("Target")], 0.0, 0.0, 100.0);
        assert_eq!(two_rows, 2.0 * ROW_HEIGHT);
        let (_, none) = legend(&[], 0.0, 0.0, 600.0);
        assert_eq!(none, 0.0);
    }
}
