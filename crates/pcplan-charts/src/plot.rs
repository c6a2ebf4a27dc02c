//! The parts a series chart and each small multiple share: the plot frame, grid lines with
//! their tick labels, period labels along the bottom (thinned when crowded), the line with
//! its gaps, the points and the signal markers.
//!
//! Periods sit at the centres of equal bands across the plot, so one period is drawn in
//! the middle and the first and last never touch the axes.

use crate::drawing::{Anchor, Colour, Shape, Stroke};
use crate::number::Scale;
use crate::series::{Point, Reading, Signal, SignalKind};
use crate::text::text_width;

/// The size of every label on a chart: 14 units, which is 14px when the chart is shown at
/// its own size.
pub(crate) const FONT_SIZE: f64 = 14.0;

/// The plotting area inside the axes.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Frame {
    pub left: f64,
    pub top: f64,
    pub right: f64,
    pub bottom: f64,
}

impl Frame {
    /// The `y` of `value` on `scale`.
    pub fn y(&self, scale: &Scale, value: f64) -> f64 {
        scale.position(value, self.top, self.bottom)
    }
}

/// The `x` of each of `count` periods: the centres of equal bands from `left` to `right`.
pub(crate) fn band_centres(count: usize, frame: &Frame) -> Vec<f64> {
    let band = (frame.right - frame.left) / count.max(1) as f64;
    (0..count).map(|i| frame.left + band * (i as f64 + 0.5)).collect()
}

/// How wide the tick labels of `scale` are, for the margin left of the plot.
pub(crate) fn tick_label_width(scale: &Scale) -> f64 {
    scale.ticks().iter().map(|t| text_width(&scale.label(*t), FONT_SIZE)).fold(0.0, f64::max)
}

/// A horizontal grid line at every tick, with the tick's value left of the plot when
/// `labels` is set.
pub(crate) fn grid(scale: &Scale, frame: &Frame, labels: bool) -> Shape {
    let mut shapes = Vec::new();
    for tick in scale.ticks() {
        let y = frame.y(scale, tick);
        shapes.push(Shape::line(frame.left, y, frame.right, y, Stroke::solid(Colour::MidGrey, 1.0)));
        if labels {
            shapes.push(Shape::text(frame.left - 8.0, y + 5.0, scale.label(tick), FONT_SIZE, Anchor::End));
        }
    }
    Shape::group("pcplan-chart__grid", shapes)
}

/// The value axis on the left and the period axis along the bottom.
pub(crate) fn axes(frame: &Frame) -> Shape {
    let stroke = Stroke::solid(Colour::Black, 1.0);
    Shape::group(
        "pcplan-chart__axes",
        vec![
            Shape::line(frame.left, frame.top, frame.left, frame.bottom, stroke),
            Shape::line(frame.left, frame.bottom, frame.right, frame.bottom, stroke),
        ],
    )
}

/// Which of `count` periods get a label along the bottom, when each period has `band`
/// units of width and the widest label needs `widest`: every one when they fit, otherwise
/// every n-th, counted back from the latest so the latest period is always labelled.
pub(crate) fn labelled_periods(count: usize, band: f64, widest: f64) -> Vec<usize> {
    if count == 0 {
        return Vec::new();
    }
    let needed = widest + 12.0;
    let every = if band > 0.0 { (needed / band).ceil().max(1.0) as usize } else { count };
    (0..count).filter(|i| (count - 1 - i).is_multiple_of(every)).collect()
}

/// Period labels under the plot at `y`, for the periods in `which`, each centred on its
/// period but kept between `min_x` and `max_x`.
pub(crate) fn period_labels(points: &[Point], xs: &[f64], which: &[usize], y: f64, min_x: f64, max_x: f64) -> Shape {
    let mut shapes = Vec::new();
    for &index in which {
        let (Some(point), Some(&x)) = (points.get(index), xs.get(index)) else { continue };
        let text = point.axis_text();
        let half = text_width(text, FONT_SIZE) / 2.0;
        let x = x.max(min_x + half).min(max_x - half);
        shapes.push(Shape::text(x, y, text, FONT_SIZE, Anchor::Middle));
    }
    Shape::group("pcplan-chart__periods", shapes)
}

/// The series as lines between successive figures; a period without a figure breaks the
/// line, so a gap is never drawn as a zero or bridged as if the figure were known.
pub(crate) fn series_line(points: &[Point], xs: &[f64], scale: &Scale, frame: &Frame, width: f64) -> Shape {
    let stroke = Stroke::solid(Colour::Blue, width);
    let mut shapes = Vec::new();
    let mut run: Vec<(f64, f64)> = Vec::new();
    for (point, &x) in points.iter().zip(xs) {
        match point.figure() {
            Some(value) => run.push((x, frame.y(scale, value))),
            None => flush_run(&mut run, &mut shapes, stroke),
        }
    }
    flush_run(&mut run, &mut shapes, stroke);
    Shape::group("pcplan-chart__line", shapes)
}

fn flush_run(run: &mut Vec<(f64, f64)>, shapes: &mut Vec<Shape>, stroke: Stroke) {
    // A single figure between two gaps has no line; its point marker shows it.
    if run.len() > 1 {
        shapes.push(Shape::polyline(run, stroke));
    }
    run.clear();
}

/// A dot at every figure that is not a signal (signals get their own marker).
pub(crate) fn series_points(points: &[Point], xs: &[f64], scale: &Scale, frame: &Frame, radius: f64) -> Shape {
    let shapes = points
        .iter()
        .zip(xs)
        .filter(|(point, _)| point.signal.is_none())
        .filter_map(|(point, &x)| point.figure().map(|v| (x, frame.y(scale, v))))
        .map(|(x, y)| Shape::circle(x, y, radius, Some(Colour::Blue), None))
        .collect();
    Shape::group("pcplan-chart__points", shapes)
}

/// A triangle at every figure that signals: pointing up for a high signal, down for a
/// low one, filled with the reading's colour and outlined in black. `size` is the
/// distance from the centre to the tip.
pub(crate) fn signal_markers(points: &[Point], xs: &[f64], scale: &Scale, frame: &Frame, size: f64) -> Shape {
    let shapes = points
        .iter()
        .zip(xs)
        .filter_map(|(point, &x)| Some((point.signal?, x, frame.y(scale, point.figure()?))))
        .map(|(signal, x, y)| signal_marker(signal, x, y, size))
        .collect();
    Shape::group("pcplan-chart__signals", shapes)
}

/// One signal's triangle centred on `(x, y)`.
pub(crate) fn signal_marker(signal: Signal, x: f64, y: f64, size: f64) -> Shape {
    let half = size * 0.9;
    let base = size * 0.6;
    let points = match signal.kind {
        SignalKind::High => [(x, y - size), (x + half, y + base), (x - half, y + base)],
        SignalKind::Low => [(x, y + size), (x - half, y - base), (x + half, y - base)],
    };
    Shape::polygon(&points, Some(reading_colour(signal.reading)), Some(Stroke::solid(Colour::Black, 1.0)))
}

/// The fill of a signal's marker.
pub(crate) fn reading_colour(reading: Reading) -> Colour {
    match reading {
        Reading::Improvement => Colour::Green,
        Reading::Deterioration => Colour::Red,
        Reading::Neutral => Colour::Orange,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bands_put_one_period_in_the_middle() {
        let frame = Frame { left: 100.0, top: 0.0, right: 200.0, bottom: 100.0 };
        assert_eq!(band_centres(1, &frame), [150.0]);
        assert_eq!(band_centres(4, &frame), [112.5, 137.5, 162.5, 187.5]);
        assert!(band_centres(0, &frame).is_empty());
    }

    #[test]
    fn crowded_labels_are_thinned_counting_back_from_the_latest() {
        // Labels 40 wide need 52; bands of 20 fit one label in every three periods.
        assert_eq!(labelled_periods(10, 20.0, 40.0), [0, 3, 6, 9]);
        assert_eq!(labelled_periods(5, 60.0, 40.0), [0, 1, 2, 3, 4]);
        assert_eq!(labelled_periods(1, 600.0, 40.0), [0]);
        assert!(labelled_periods(0, 60.0, 40.0).is_empty());
    }
}
