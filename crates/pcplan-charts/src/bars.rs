//! Milestone status bars: one horizontal stacked bar per row (a commitment, a priority, an
//! objective), each segment the number of milestones in one status.
//!
//! Every bar is drawn on the same scale (the longest row fills the width), so bar lengths
//! compare across rows and each segment's width is in proportion to its count. The
//! statuses are told apart by fill pattern as well as colour (solid, stripes, reverse
//! stripes, cross-hatch, plain grey, lines on white), by their fixed order, by the count
//! written in each segment wide enough to hold it, and by the legend and table.

use pcplan_domain::Status;

use crate::drawing::{Anchor, Colour, Drawing, Shape, Stroke};
use crate::legend::{Entry, Key, legend};
use crate::number::{format_number, round1};
use crate::plot::FONT_SIZE;
use crate::table::Table;
use crate::text::{bold_text_width, join_prose, text_width, wrap};
use crate::{Options, Svg};

/// The statuses in the order bars stack them: done first, then open from best to worst,
/// then withdrawn.
pub const STATUS_ORDER: [Status; 6] =
    [Status::Complete, Status::OnTrack, Status::AtRisk, Status::Late, Status::NotStarted, Status::Withdrawn];

/// How many milestones are in each status.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StatusCounts {
    pub complete: u32,
    pub on_track: u32,
    pub at_risk: u32,
    pub late: u32,
    pub not_started: u32,
    pub withdrawn: u32,
}

impl StatusCounts {
    /// The counts of `statuses`, one per milestone.
    pub fn from_statuses(statuses: impl IntoIterator<Item = Status>) -> Self {
        let mut counts = StatusCounts::default();
        for status in statuses {
            counts.add(status);
        }
        counts
    }

    /// Counts one more milestone in `status`.
    pub fn add(&mut self, status: Status) {
        let count = self.count_mut(status);
        *count = count.saturating_add(1);
    }

    pub fn get(&self, status: Status) -> u32 {
        match status {
            Status::Complete => self.complete,
            Status::OnTrack => self.on_track,
            Status::AtRisk => self.at_risk,
            Status::Late => self.late,
            Status::NotStarted => self.not_started,
            Status::Withdrawn => self.withdrawn,
        }
    }

    fn count_mut(&mut self, status: Status) -> &mut u32 {
        match status {
            Status::Complete => &mut self.complete,
            Status::OnTrack => &mut self.on_track,
            Status::AtRisk => &mut self.at_risk,
            Status::Late => &mut self.late,
            Status::NotStarted => &mut self.not_started,
            Status::Withdrawn => &mut self.withdrawn,
        }
    }

    /// All milestones, withdrawn ones included.
    pub fn total(&self) -> u64 {
        STATUS_ORDER.iter().map(|s| u64::from(self.get(*s))).sum()
    }
}

/// One bar.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusRow {
    pub label: String,
    pub counts: StatusCounts,
}

/// A chart of milestone statuses, one bar per row.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusBars {
    pub title: String,
    /// Anything the caller wants said before the chart's own description; may be empty.
    pub description: String,
    /// The heading of the table's first column: `Commitment`, `Priority`.
    pub row_heading: String,
    pub rows: Vec<StatusRow>,
}

const WIDTH: f64 = 640.0;
const MARGIN: f64 = 8.0;
const LINE_HEIGHT: f64 = 18.0;
const BAR_HEIGHT: f64 = 28.0;
const ROW_GAP: f64 = 14.0;

impl StatusBars {
    pub fn new(title: impl Into<String>, row_heading: impl Into<String>, rows: Vec<StatusRow>) -> Self {
        StatusBars { title: title.into(), description: String::new(), row_heading: row_heading.into(), rows }
    }

    /// The chart as SVG, with its description and data table.
    pub fn render(&self, options: &Options) -> Svg {
        Svg::finish(self.drawing(), options, &self.title, self.summary(), self.table())
    }

    /// The width the longest bar takes; every other bar is to the same scale.
    fn longest_bar(&self) -> f64 {
        let widest_total = self
            .rows
            .iter()
            .map(|r| text_width(&format_number(r.counts.total() as f64, 0), FONT_SIZE))
            .fold(0.0, f64::max);
        WIDTH - 2.0 * MARGIN - widest_total - 12.0
    }

    fn drawing(&self) -> Drawing {
        let longest = self.longest_bar();
        let most = self.rows.iter().map(|r| r.counts.total()).max().unwrap_or(0);
        let mut shapes = Vec::new();
        let mut y = MARGIN;
        for row in &self.rows {
            let mut row_shapes = Vec::new();
            for line in wrap(&row.label, FONT_SIZE, WIDTH - 2.0 * MARGIN) {
                row_shapes.push(Shape::text(MARGIN, y + 14.0, line, FONT_SIZE, Anchor::Start).bold());
                y += LINE_HEIGHT;
            }
            let bar_top = y + 4.0;
            row_shapes.extend(bar(&row.counts, MARGIN, bar_top, longest, most));
            y = bar_top + BAR_HEIGHT + ROW_GAP;
            shapes.push(Shape::group("pcplan-chart__bar", row_shapes));
        }
        let entries: Vec<Entry> =
            STATUS_ORDER.iter().map(|s| Entry { key: Key::Status(*s), label: s.label().to_string() }).collect();
        let (drawn, legend_height) = legend(&entries, MARGIN, y, WIDTH - 2.0 * MARGIN);
        shapes.push(drawn);
        Drawing { width: WIDTH, height: round1(y + legend_height + MARGIN), shapes }
    }

    /// The chart in words, for `<desc>`: totals across all rows, then where the late and
    /// at-risk milestones are.
    pub(crate) fn summary(&self) -> String {
        let mut sentences: Vec<String> = Vec::new();
        let description = self.description.trim();
        if !description.is_empty() {
            sentences.push(description.to_string());
        }
        let mut all = StatusCounts::default();
        for row in &self.rows {
            for status in STATUS_ORDER {
                let count = all.count_mut(status);
                *count = count.saturating_add(row.counts.get(status));
            }
        }
        let rows = match self.rows.len() {
            1 => String::from("1 bar"),
            n => format!("{n} bars"),
        };
        if all.total() == 0 {
            sentences.push(format!("{rows}, with no milestones."));
        } else {
            let parts: Vec<String> = STATUS_ORDER
                .iter()
                .map(|s| format!("{} {}", format_number(f64::from(all.get(*s)), 0), s.label().to_lowercase()))
                .collect();
            sentences.push(format!(
                "{rows}, {} milestones in all: {}.",
                format_number(all.total() as f64, 0),
                join_prose(&parts)
            ));
        }
        let troubled: Vec<String> = self
            .rows
            .iter()
            .filter(|r| r.counts.late + r.counts.at_risk > 0)
            .map(|r| format!("{} ({} late, {} at risk)", r.label, r.counts.late, r.counts.at_risk))
            .collect();
        if !troubled.is_empty() {
            sentences.push(format!("Late or at risk: {}.", join_prose(&troubled)));
        } else if all.total() > 0 {
            sentences.push(String::from("No milestone is late or at risk."));
        }
        sentences.join(" ")
    }

    /// One row per bar, a column per status and the total.
    pub(crate) fn table(&self) -> Table {
        let mut headers = vec![self.row_heading.clone()];
        headers.extend(STATUS_ORDER.iter().map(|s| s.label().to_string()));
        headers.push(String::from("Total"));
        let mut numeric = vec![true; headers.len()];
        numeric[0] = false;
        let rows = self
            .rows
            .iter()
            .map(|row| {
                let mut cells = vec![row.label.clone()];
                cells.extend(STATUS_ORDER.iter().map(|s| format_number(f64::from(row.counts.get(*s)), 0)));
                cells.push(format_number(row.counts.total() as f64, 0));
                cells
            })
            .collect();
        Table { caption: self.title.clone(), headers, numeric, rows }
    }
}

/// One stacked bar from `left`, `most` milestones filling `longest`. Segment edges are
/// placed from running totals and rounded once each, so rounding never accumulates
/// along the bar.
fn bar(counts: &StatusCounts, left: f64, top: f64, longest: f64, most: u64) -> Vec<Shape> {
    let mut shapes = Vec::new();
    let total = counts.total();
    let edge = |running: u64| {
        let share = if most > 0 { running as f64 / most as f64 } else { 0.0 };
        round1(left + share * longest)
    };
    let mut running = 0u64;
    for status in STATUS_ORDER {
        let count = counts.get(status);
        if count == 0 {
            continue;
        }
        let start = edge(running);
        running += u64::from(count);
        let end = edge(running);
        let mut segment = status_fill(status, start, top, end - start, BAR_HEIGHT);
        let label = format_number(f64::from(count), 0);
        if end - start >= bold_text_width(&label, FONT_SIZE) + 8.0 {
            let text = Shape::text((start + end) / 2.0, top + BAR_HEIGHT / 2.0 + 5.0, label, FONT_SIZE, Anchor::Middle);
            segment.push(text.bold().with_halo());
        }
        shapes.push(Shape::group(status_class(status), segment));
    }
    let total_text = format_number(total as f64, 0);
    shapes.push(Shape::text(edge(total) + 8.0, top + BAR_HEIGHT / 2.0 + 5.0, total_text, FONT_SIZE, Anchor::Start));
    shapes
}

/// The class of a status's segment, which tests and page styles use.
fn status_class(status: Status) -> &'static str {
    match status {
        Status::Complete => "pcplan-chart__status--complete",
        Status::OnTrack => "pcplan-chart__status--on-track",
        Status::AtRisk => "pcplan-chart__status--at-risk",
        Status::Late => "pcplan-chart__status--late",
        Status::NotStarted => "pcplan-chart__status--not-started",
        Status::Withdrawn => "pcplan-chart__status--withdrawn",
    }
}

/// The hatching laid over a status's colour.
enum Hatch {
    None,
    /// Lines rising to the right.
    Forward,
    /// Lines falling to the right.
    Backward,
    Cross,
    Horizontal,
}

/// The fill of `status` over the rectangle: its colour, then its hatching, outlined in
/// white so neighbouring segments stay apart.
pub(crate) fn status_fill(status: Status, x: f64, y: f64, width: f64, height: f64) -> Vec<Shape> {
    let (fill, hatch, ink) = match status {
        Status::Complete => (Colour::Green, Hatch::None, Colour::White),
        Status::OnTrack => (Colour::Blue, Hatch::Forward, Colour::White),
        Status::AtRisk => (Colour::Orange, Hatch::Backward, Colour::Black),
        Status::Late => (Colour::Red, Hatch::Cross, Colour::White),
        Status::NotStarted => (Colour::MidGrey, Hatch::None, Colour::Black),
        Status::Withdrawn => (Colour::White, Hatch::Horizontal, Colour::DarkGrey),
    };
    let outline = if status == Status::Withdrawn {
        Stroke::solid(Colour::DarkGrey, 1.0)
    } else {
        Stroke::solid(Colour::White, 1.0)
    };
    let mut shapes = vec![Shape::rect(x, y, width, height, Some(fill), None)];
    let area = Area { left: x, top: y, right: x + width, bottom: y + height };
    let stroke = Stroke::solid(ink, 1.0);
    match hatch {
        Hatch::None => {}
        Hatch::Forward => shapes.extend(forward_lines(&area, 8.0, stroke)),
        Hatch::Backward => shapes.extend(backward_lines(&area, 6.0, stroke)),
        Hatch::Cross => {
            shapes.extend(forward_lines(&area, 8.0, stroke));
            shapes.extend(backward_lines(&area, 8.0, stroke));
        }
        Hatch::Horizontal => shapes.extend(horizontal_lines(&area, 5.0, stroke)),
    }
    shapes.push(Shape::rect(x, y, width, height, None, Some(outline)));
    shapes
}

/// The rectangle hatching is clipped to.
struct Area {
    left: f64,
    top: f64,
    right: f64,
    bottom: f64,
}

/// Lines `x + y = k` (rising to the right on screen) for every `k` a multiple of
/// `spacing` inside the box, cut at its edges. Taking `k` as multiples of the spacing
/// rather than from the box's corner lines the hatching up across neighbouring boxes.
fn forward_lines(area: &Area, spacing: f64, stroke: Stroke) -> Vec<Shape> {
    let first = ((area.left + area.top) / spacing).floor() as i64 + 1;
    let last = ((area.right + area.bottom) / spacing).ceil() as i64;
    (first..last)
        .filter_map(|j| {
            let k = j as f64 * spacing;
            let x1 = area.left.max(k - area.bottom);
            let x2 = area.right.min(k - area.top);
            (x2 - x1 >= 0.5).then(|| Shape::line(x1, k - x1, x2, k - x2, stroke))
        })
        .collect()
}

/// Lines `x - y = k` (falling to the right on screen), as [`forward_lines`].
fn backward_lines(area: &Area, spacing: f64, stroke: Stroke) -> Vec<Shape> {
    let first = ((area.left - area.bottom) / spacing).floor() as i64 + 1;
    let last = ((area.right - area.top) / spacing).ceil() as i64;
    (first..last)
        .filter_map(|j| {
            let k = j as f64 * spacing;
            let x1 = area.left.max(k + area.top);
            let x2 = area.right.min(k + area.bottom);
            (x2 - x1 >= 0.5).then(|| Shape::line(x1, x1 - k, x2, x2 - k, stroke))
        })
        .collect()
}

fn horizontal_lines(area: &Area, spacing: f64, stroke: Stroke) -> Vec<Shape> {
    let count = ((area.bottom - area.top) / spacing).ceil() as i64;
    (1..count)
        .map(|j| {
            let y = area.top + j as f64 * spacing;
            Shape::line(area.left, y, area.right, y, stroke)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn inside(area: &Area, x: f64, y: f64) -> bool {
        x >= area.left - 0.05 && x <= area.right + 0.05 && y >= area.top - 0.05 && y <= area.bottom + 0.05
    }

    #[test]
    fn hatching_stays_inside_its_box() {
        let area = Area { left: 13.0, top: 40.0, right: 97.5, bottom: 68.0 };
        let stroke = Stroke::solid(Colour::White, 1.0);
        let lines: Vec<Shape> = [
            forward_lines(&area, 8.0, stroke),
            backward_lines(&area, 6.0, stroke),
            horizontal_lines(&area, 5.0, stroke),
        ]
        .concat();
        assert!(lines.len() > 20, "{}", lines.len());
        for line in lines {
            let Shape::Line { x1, y1, x2, y2, .. } = line else { panic!("hatching is made of lines: {line:?}") };
            assert!(inside(&area, x1, y1) && inside(&area, x2, y2), "{x1},{y1} {x2},{y2}");
        }
    }

    #[test]
    fn counts_are_gathered_by_status() {
        let counts = StatusCounts::from_statuses([Status::Complete, Status::Late, Status::Complete, Status::Withdrawn]);
        assert_eq!((counts.complete, counts.late, counts.withdrawn, counts.on_track), (2, 1, 1, 0));
        assert_eq!(counts.total(), 4);
        assert_eq!(counts.get(Status::Complete), 2);
    }

    #[test]
    fn the_description_gives_totals_and_names_rows_in_trouble() {
        let rows = vec![
            StatusRow {
                label: String::from("Safer streets"),
                counts: StatusCounts { complete: 3, late: 1, ..Default::default() },
            },
            StatusRow {
                label: String::from("Victims first"),
                counts: StatusCounts { on_track: 2, ..Default::default() },
            },
        ];
        let chart = StatusBars::new("Milestones", "Priority", rows);
        let summary = chart.summary();
        assert!(
            summary.contains(
                "2 bars, 6 milestones in all: 3 complete, 2 on track, 0 at risk, 1 late, 0 not started and 0 withdrawn."
            ),
            "{summary}"
        );
        assert!(summary.contains("Late or at risk: Safer streets (1 late, 0 at risk)."), "{summary}");
    }
}
