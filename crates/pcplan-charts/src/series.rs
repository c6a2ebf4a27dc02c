//! A measure's series over time, drawn against its baseline, its target and the natural
//! process limits of its XmR chart, with each signal marked and named.
//!
//! The chart draws what it is given: it does not compute limits or decide what signals
//! (`pcplan_domain::stats::xmr` does, and [`crate::xmr`] turns its result into a
//! [`SeriesChart`]). A period without a figure is a gap in the line and says "no figure"
//! in the table; it is never drawn as zero or joined across.
//!
//! How the drawing avoids relying on colour: limits are dashed, the target long-dashed,
//! the baseline dotted and the centre line solid, each named in the legend with its
//! value; a signal is a triangle pointing the way the figure moved, labelled in words at
//! the start of each run of signals, and named in the table.

use pcplan_domain::Polarity;

use crate::drawing::{Anchor, Colour, Dash, Drawing, Shape, Stroke};
use crate::legend::{Entry, Key, legend};
use crate::number::{Scale, format_number, round1};
use crate::plot::{
    FONT_SIZE, Frame, axes, band_centres, grid, labelled_periods, period_labels, series_line, series_points,
    signal_markers, tick_label_width,
};
use crate::table::Table;
use crate::text::{bold_text_width, capitalise, join_prose, text_width};
use crate::{Options, Svg};

/// One period of a series.
#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    /// The period in words, for the table and the description: `April 2022`.
    pub label: String,
    /// A shorter form for the axis (`Apr 2022`); the label when `None`.
    pub axis_label: Option<String>,
    /// The figure; `None` (or a value that is not finite) for a period without one.
    pub value: Option<f64>,
    /// Whether the point is a special-cause signal, and what it means.
    pub signal: Option<Signal>,
}

impl Point {
    pub fn new(label: impl Into<String>, value: Option<f64>) -> Self {
        Point { label: label.into(), axis_label: None, value, signal: None }
    }

    pub fn with_signal(self, signal: Signal) -> Self {
        Point { signal: Some(signal), ..self }
    }

    pub fn with_axis_label(self, axis_label: impl Into<String>) -> Self {
        Point { axis_label: Some(axis_label.into()), ..self }
    }

    /// The figure, if there is one that can be drawn.
    pub(crate) fn figure(&self) -> Option<f64> {
        self.value.filter(|v| v.is_finite())
    }

    /// The signal of a point that has a figure (a signal without a figure is not drawn).
    pub(crate) fn drawn_signal(&self) -> Option<Signal> {
        self.figure().and(self.signal)
    }

    pub(crate) fn axis_text(&self) -> &str {
        self.axis_label.as_deref().unwrap_or(&self.label)
    }
}

/// Which side of the process a signal is on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum SignalKind {
    /// Higher than the process usually gives.
    High,
    /// Lower than the process usually gives.
    Low,
}

/// What a signal means, read with the measure's polarity.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Reading {
    Improvement,
    Deterioration,
    /// A signal on a context measure, where neither direction is better.
    Neutral,
}

impl Reading {
    /// `significant improvement`.
    pub fn label(&self) -> &'static str {
        match self {
            Reading::Improvement => "significant improvement",
            Reading::Deterioration => "significant deterioration",
            Reading::Neutral => "significant change",
        }
    }

    /// The word drawn beside a run of signals: `Improvement`.
    pub fn short_label(&self) -> &'static str {
        match self {
            Reading::Improvement => "Improvement",
            Reading::Deterioration => "Deterioration",
            Reading::Neutral => "Change",
        }
    }
}

/// A special-cause signal on one point.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Signal {
    pub kind: SignalKind,
    pub reading: Reading,
}

impl Signal {
    /// Every signal, in the order legends list them.
    pub const ALL: [Signal; 6] = [
        Signal { kind: SignalKind::High, reading: Reading::Improvement },
        Signal { kind: SignalKind::Low, reading: Reading::Improvement },
        Signal { kind: SignalKind::High, reading: Reading::Deterioration },
        Signal { kind: SignalKind::Low, reading: Reading::Deterioration },
        Signal { kind: SignalKind::High, reading: Reading::Neutral },
        Signal { kind: SignalKind::Low, reading: Reading::Neutral },
    ];

    /// `significant improvement: lower than usual`.
    pub fn describe(&self) -> String {
        let side = match self.kind {
            SignalKind::High => "higher than usual",
            SignalKind::Low => "lower than usual",
        };
        format!("{}: {side}", self.reading.label())
    }
}

/// The centre line and natural process limits of an XmR chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Limits {
    pub centre: f64,
    pub lower: f64,
    pub upper: f64,
}

impl Limits {
    fn is_finite(&self) -> bool {
        self.centre.is_finite() && self.lower.is_finite() && self.upper.is_finite()
    }
}

/// One measure's figures over time.
#[derive(Clone, Debug, PartialEq)]
pub struct SeriesChart {
    /// What the chart is of: `Burglaries recorded each month`.
    pub title: String,
    /// Anything the caller wants said before the chart's own description (the measure's
    /// definition, its source); may be empty.
    pub description: String,
    /// What the figures count: `crimes`, `per 1,000 residents`, `%`; may be empty.
    pub unit: String,
    /// The periods, oldest first, with or without figures.
    pub points: Vec<Point>,
    pub baseline: Option<f64>,
    pub target: Option<f64>,
    /// Drawn only when all three values are finite.
    pub limits: Option<Limits>,
    pub polarity: Polarity,
    /// Whether the value axis starts at zero (right for counts and rates).
    pub y_from_zero: bool,
    /// Decimal places of the figures, baseline and target; the centre line and limits
    /// are computed figures and get one more.
    pub decimals: usize,
}

/// The width of a series chart, in the drawing's units.
pub(crate) const WIDTH: f64 = 640.0;
const PLOT_TOP: f64 = 40.0;
const PLOT_HEIGHT: f64 = 240.0;

const CENTRE_STROKE: Stroke = Stroke { colour: Colour::DarkGrey, width: 1.5, dash: Dash::Solid };
const LIMIT_STROKE: Stroke = Stroke { colour: Colour::DarkGrey, width: 1.5, dash: Dash::Dashed };
const TARGET_STROKE: Stroke = Stroke { colour: Colour::Black, width: 2.0, dash: Dash::LongDashed };
const BASELINE_STROKE: Stroke = Stroke { colour: Colour::DarkGrey, width: 2.0, dash: Dash::Dotted };

impl SeriesChart {
    /// A chart of `points` with no reference lines, the axis from zero and whole-number
    /// figures; set the other fields to add them.
    pub fn new(title: impl Into<String>, unit: impl Into<String>, points: Vec<Point>) -> Self {
        SeriesChart {
            title: title.into(),
            description: String::new(),
            unit: unit.into(),
            points,
            baseline: None,
            target: None,
            limits: None,
            polarity: Polarity::Neither,
            y_from_zero: true,
            decimals: 0,
        }
    }

    /// The chart as SVG, with its description and data table.
    pub fn render(&self, options: &Options) -> Svg {
        Svg::finish(self.drawing(), options, &self.title, self.summary(), self.table())
    }

    fn drawn_limits(&self) -> Option<Limits> {
        self.limits.filter(Limits::is_finite)
    }

    fn drawn_target(&self) -> Option<f64> {
        self.target.filter(|t| t.is_finite())
    }

    fn drawn_baseline(&self) -> Option<f64> {
        self.baseline.filter(|b| b.is_finite())
    }

    /// The value axis: every figure and every reference line on it.
    pub(crate) fn scale(&self) -> Scale {
        let mut values: Vec<f64> = self.points.iter().filter_map(Point::figure).collect();
        values.extend(self.drawn_target());
        values.extend(self.drawn_baseline());
        if let Some(limits) = self.drawn_limits() {
            values.extend([limits.centre, limits.lower, limits.upper]);
        }
        let low = values.iter().copied().fold(f64::INFINITY, f64::min);
        let high = values.iter().copied().fold(f64::NEG_INFINITY, f64::max);
        Scale::nice(low, high, self.y_from_zero, self.decimals)
    }

    /// The plotting area, with room on the left for the tick labels of `scale`.
    pub(crate) fn frame(scale: &Scale) -> Frame {
        let left = round1((tick_label_width(scale) + 16.0).max(40.0));
        Frame { left, top: PLOT_TOP, right: WIDTH - 16.0, bottom: PLOT_TOP + PLOT_HEIGHT }
    }

    fn drawing(&self) -> Drawing {
        let scale = self.scale();
        let frame = Self::frame(&scale);
        let xs = band_centres(self.points.len(), &frame);
        let mut shapes = Vec::new();
        if !self.unit.trim().is_empty() {
            shapes.push(Shape::text(8.0, 22.0, self.unit.trim(), FONT_SIZE, Anchor::Start));
        }
        shapes.push(grid(&scale, &frame, true));
        shapes.push(self.reference_lines(&scale, &frame));
        shapes.push(axes(&frame));
        shapes.push(series_line(&self.points, &xs, &scale, &frame, 2.5));
        shapes.push(series_points(&self.points, &xs, &scale, &frame, 4.0));
        shapes.push(signal_markers(&self.points, &xs, &scale, &frame, 9.0));
        shapes.push(self.signal_labels(&xs, &scale, &frame));

        let band = (frame.right - frame.left) / self.points.len().max(1) as f64;
        let widest = self.points.iter().map(|p| text_width(p.axis_text(), FONT_SIZE)).fold(0.0, f64::max);
        let label_y = frame.bottom + 22.0;
        let which = labelled_periods(self.points.len(), band, widest);
        shapes.push(period_labels(&self.points, &xs, &which, label_y, 4.0, WIDTH - 4.0));

        let mut height = label_y + 12.0;
        let entries = self.legend_entries();
        if !entries.is_empty() {
            let top = label_y + 14.0;
            let (drawn, legend_height) = legend(&entries, 8.0, top, WIDTH - 16.0);
            shapes.push(drawn);
            height = top + legend_height + 8.0;
        }
        Drawing { width: WIDTH, height: round1(height), shapes }
    }

    /// The centre line, limits, target and baseline across the plot.
    fn reference_lines(&self, scale: &Scale, frame: &Frame) -> Shape {
        let mut lines: Vec<(f64, Stroke)> = Vec::new();
        if let Some(limits) = self.drawn_limits() {
            lines.push((limits.centre, CENTRE_STROKE));
            lines.push((limits.lower, LIMIT_STROKE));
            lines.push((limits.upper, LIMIT_STROKE));
        }
        lines.extend(self.drawn_baseline().map(|b| (b, BASELINE_STROKE)));
        lines.extend(self.drawn_target().map(|t| (t, TARGET_STROKE)));
        let shapes = lines
            .into_iter()
            .map(|(value, stroke)| {
                let y = frame.y(scale, value);
                Shape::line(frame.left, y, frame.right, y, stroke)
            })
            .collect();
        Shape::group("pcplan-chart__references", shapes)
    }

    /// A word at the start of each run of points with the same signal: above a high
    /// signal, below a low one, kept inside the plot.
    fn signal_labels(&self, xs: &[f64], scale: &Scale, frame: &Frame) -> Shape {
        let mut shapes = Vec::new();
        let mut previous: Option<Signal> = None;
        for (point, &x) in self.points.iter().zip(xs) {
            let current = point.drawn_signal();
            if let (Some(signal), Some(value)) = (current, point.figure())
                && previous != Some(signal)
            {
                let y = frame.y(scale, value);
                let text = signal.reading.short_label();
                let half = bold_text_width(text, FONT_SIZE) / 2.0;
                let text_y = match signal.kind {
                    SignalKind::High => y - 14.0,
                    SignalKind::Low => y + 24.0,
                };
                let text_y = text_y.max(frame.top + 14.0).min(frame.bottom - 4.0);
                let text_x = x.max(frame.left + half + 2.0).min(frame.right - half - 2.0);
                shapes.push(Shape::text(text_x, text_y, text, FONT_SIZE, Anchor::Middle).bold().with_halo());
            }
            previous = current;
        }
        Shape::group("pcplan-chart__signal-labels", shapes)
    }

    fn legend_entries(&self) -> Vec<Entry> {
        let mut entries = Vec::new();
        let line_number = |v: f64| format_number(v, self.decimals + 1);
        if let Some(limits) = self.drawn_limits() {
            entries.push(Entry {
                key: Key::Line(CENTRE_STROKE),
                label: format!("Centre line ({})", line_number(limits.centre)),
            });
            entries.push(Entry {
                key: Key::Line(LIMIT_STROKE),
                label: format!("Process limits ({} to {})", line_number(limits.lower), line_number(limits.upper)),
            });
        }
        if let Some(target) = self.drawn_target() {
            entries.push(Entry { key: Key::Line(TARGET_STROKE), label: format!("Target ({})", self.number(target)) });
        }
        if let Some(baseline) = self.drawn_baseline() {
            entries.push(Entry {
                key: Key::Line(BASELINE_STROKE),
                label: format!("Baseline ({})", self.number(baseline)),
            });
        }
        for signal in Signal::ALL {
            if self.points.iter().any(|p| p.drawn_signal() == Some(signal)) {
                entries.push(Entry { key: Key::Signal(signal), label: capitalise(&signal.describe()) });
            }
        }
        if !entries.is_empty() {
            entries.insert(0, Entry { key: Key::Series, label: String::from("Figure for each period") });
        }
        entries
    }

    fn number(&self, value: f64) -> String {
        format_number(value, self.decimals)
    }

    /// `43 crimes`, `12.5%`, or the bare number without a unit.
    fn amount(&self, value: f64) -> String {
        with_unit(&self.number(value), &self.unit)
    }

    /// The chart in words, for `<desc>`: the caller's description, then the latest
    /// figure and its change, the range, gaps, limits, signals, target and baseline.
    pub(crate) fn summary(&self) -> String {
        let mut sentences: Vec<String> = Vec::new();
        let description = self.description.trim();
        if !description.is_empty() {
            sentences.push(description.to_string());
        }
        let figures: Vec<(&Point, f64)> = self.points.iter().filter_map(|p| p.figure().map(|v| (p, v))).collect();
        match figures.as_slice() {
            [] => sentences.push(String::from("There are no figures yet.")),
            [.., (latest, value)] => {
                let mut sentence = format!("The latest figure is {} for {}", self.amount(*value), latest.label);
                if let [.., (before, earlier), _] = figures.as_slice() {
                    sentence.push_str(&format!(", {}", self.movement(*value, *earlier, &before.label)));
                }
                sentence.push('.');
                sentences.push(sentence);
            }
        }
        if let ([(first, _), .., (last, _)], Some((low_point, low)), Some((high_point, high))) = (
            figures.as_slice(),
            figures.iter().min_by(|a, b| a.1.total_cmp(&b.1)),
            figures.iter().max_by(|a, b| a.1.total_cmp(&b.1)),
        ) {
            sentences.push(format!(
                "The {} figures run from {} to {}; the lowest is {} for {} and the highest {} for {}.",
                figures.len(),
                first.label,
                last.label,
                self.number(*low),
                low_point.label,
                self.number(*high),
                high_point.label
            ));
        }
        let gaps: Vec<String> = self.points.iter().filter(|p| p.figure().is_none()).map(|p| p.label.clone()).collect();
        if !gaps.is_empty() {
            sentences.push(format!("{}: {}.", periods_without_figures(gaps.len()), listed(&gaps)));
        }
        if let Some(limits) = self.drawn_limits() {
            sentences.push(format!(
                "The centre line is {} and the process limits are {} to {}.",
                format_number(limits.centre, self.decimals + 1),
                format_number(limits.lower, self.decimals + 1),
                format_number(limits.upper, self.decimals + 1)
            ));
        }
        sentences.extend(self.signal_sentences());
        if let Some(target) = self.drawn_target() {
            sentences.push(format!("The target is {}.", self.amount(target)));
        }
        if let Some(baseline) = self.drawn_baseline() {
            sentences.push(format!("The baseline is {}.", self.amount(baseline)));
        }
        sentences.push(String::from(match self.polarity {
            Polarity::HigherIsBetter => "Higher is better.",
            Polarity::LowerIsBetter => "Lower is better.",
            Polarity::Neither => "Neither higher nor lower is better: this is a context measure.",
        }));
        sentences.join(" ")
    }

    /// `down 4 from 47 for October 2023`.
    fn movement(&self, now: f64, before: f64, before_label: &str) -> String {
        let difference = self.number((now - before).abs());
        if difference == self.number(0.0) {
            format!("the same as for {before_label}")
        } else if now > before {
            format!("up {difference} from {} for {before_label}", self.number(before))
        } else {
            format!("down {difference} from {} for {before_label}", self.number(before))
        }
    }

    fn signal_sentences(&self) -> Vec<String> {
        let mut sentences = Vec::new();
        for reading in [Reading::Improvement, Reading::Deterioration, Reading::Neutral] {
            let signalling: Vec<&Point> =
                self.points.iter().filter(|p| p.drawn_signal().is_some_and(|s| s.reading == reading)).collect();
            match signalling.as_slice() {
                [] => {}
                [only] => sentences.push(format!("1 period signals a {}: {}.", reading.label(), only.label)),
                [.., latest] => sentences.push(format!(
                    "{} periods signal a {}, the latest {}.",
                    signalling.len(),
                    reading.label(),
                    latest.label
                )),
            }
        }
        if sentences.is_empty() && self.drawn_limits().is_some() {
            sentences.push(String::from("No period signals a significant change."));
        }
        sentences
    }

    /// The figures as a table: one row per period, a column for each line drawn.
    pub(crate) fn table(&self) -> Table {
        let limits = self.drawn_limits();
        let target = self.drawn_target();
        let baseline = self.drawn_baseline();
        let with_signals = limits.is_some() || self.points.iter().any(|p| p.drawn_signal().is_some());
        let mut headers = vec![String::from("Period"), figure_heading(&self.unit)];
        if baseline.is_some() {
            headers.push(String::from("Baseline"));
        }
        if target.is_some() {
            headers.push(String::from("Target"));
        }
        if limits.is_some() {
            headers.extend(["Centre line", "Lower process limit", "Upper process limit"].map(String::from));
        }
        let mut numeric = vec![true; headers.len()];
        numeric[0] = false;
        if with_signals {
            headers.push(String::from("Signal"));
            numeric.push(false);
        }
        let line_number = |v: f64| format_number(v, self.decimals + 1);
        let rows = self
            .points
            .iter()
            .map(|point| {
                let mut row = vec![point.label.clone(), figure_cell(point.figure(), self.decimals)];
                row.extend(baseline.map(|b| self.number(b)));
                row.extend(target.map(|t| self.number(t)));
                if let Some(limits) = limits {
                    row.extend([line_number(limits.centre), line_number(limits.lower), line_number(limits.upper)]);
                }
                if with_signals {
                    row.push(signal_cell(point));
                }
                row
            })
            .collect();
        Table { caption: self.title.clone(), headers, numeric, rows }
    }
}

/// `Figure (crimes)`, or `Figure` without a unit.
pub(crate) fn figure_heading(unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() { String::from("Figure") } else { format!("Figure ({unit})") }
}

/// A figure for a table cell, or `no figure`.
pub(crate) fn figure_cell(figure: Option<f64>, decimals: usize) -> String {
    figure.map(|v| format_number(v, decimals)).unwrap_or_else(|| String::from("no figure"))
}

/// What a point's signal means, for a table cell.
pub(crate) fn signal_cell(point: &Point) -> String {
    match (point.figure(), point.signal) {
        (None, _) => String::from("no figure"),
        (Some(_), Some(signal)) => capitalise(&signal.describe()),
        (Some(_), None) => String::from("No significant change"),
    }
}

/// `43 crimes`, `12.5%`, `43`.
pub(crate) fn with_unit(number: &str, unit: &str) -> String {
    let unit = unit.trim();
    if unit.is_empty() {
        number.to_string()
    } else if unit == "%" {
        format!("{number}%")
    } else {
        format!("{number} {unit}")
    }
}

fn periods_without_figures(count: usize) -> String {
    if count == 1 { String::from("1 period has no figure") } else { format!("{count} periods have no figure") }
}

/// Up to five items as prose, then how many more.
pub(crate) fn listed(items: &[String]) -> String {
    const SHOWN: usize = 5;
    if items.len() <= SHOWN {
        join_prose(items)
    } else {
        let mut shown: Vec<String> = items[..SHOWN].to_vec();
        shown.push(format!("{} more", items.len() - SHOWN));
        join_prose(&shown)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn units_read_naturally_after_a_figure() {
        assert_eq!(with_unit("43", "crimes"), "43 crimes");
        assert_eq!(with_unit("12.5", "%"), "12.5%");
        assert_eq!(with_unit("43", " "), "43");
        assert_eq!(figure_heading("crimes"), "Figure (crimes)");
        assert_eq!(figure_heading(""), "Figure");
    }

    #[test]
    fn long_lists_are_cut_after_five() {
        let items: Vec<String> = (1..=7).map(|i| i.to_string()).collect();
        assert_eq!(listed(&items), "1, 2, 3, 4, 5 and 2 more");
        assert_eq!(listed(&items[..2]), "1 and 2");
    }

    #[test]
    fn a_signal_is_described_by_its_meaning_and_its_side() {
        let signal = Signal { kind: SignalKind::Low, reading: Reading::Improvement };
        assert_eq!(signal.describe(), "significant improvement: lower than usual");
        let point = Point::new("May 2023", Some(41.0)).with_signal(signal);
        assert_eq!(signal_cell(&point), "Significant improvement: lower than usual");
        assert_eq!(signal_cell(&Point::new("June 2023", None).with_signal(signal)), "no figure");
        assert_eq!(signal_cell(&Point::new("July 2023", Some(50.0))), "No significant change");
    }

    #[test]
    fn the_description_says_the_latest_figure_and_its_change() {
        let points = vec![
            Point::new("September 2023", Some(41.0)),
            Point::new("October 2023", Some(47.0)),
            Point::new("November 2023", None),
            Point::new("December 2023", Some(43.0)),
        ];
        let mut chart = SeriesChart::new("Burglaries", "crimes", points);
        chart.polarity = Polarity::LowerIsBetter;
        let summary = chart.summary();
        assert!(
            summary.contains("The latest figure is 43 crimes for December 2023, down 4 from 47 for October 2023."),
            "{summary}"
        );
        assert!(
            summary.contains("the lowest is 41 for September 2023 and the highest 47 for October 2023"),
            "{summary}"
        );
        assert!(summary.contains("1 period has no figure: November 2023."), "{summary}");
        assert!(summary.ends_with("Lower is better."), "{summary}");
    }
}
