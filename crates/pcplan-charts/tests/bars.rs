//! Status bars: segment widths in proportion to their counts on one scale for all rows,
//! statuses told apart by pattern and words as well as colour, and the counts in a table.

mod common;

use common::{Element, HOSTILE, HOSTILE_PARSED, parse, parse_chart};
use pcplan_charts::{Options, StatusBars, StatusCounts, StatusRow};
use pcplan_domain::Status;

fn row(label: &str, counts: StatusCounts) -> StatusRow {
    StatusRow { label: label.to_string(), counts }
}

fn priorities() -> StatusBars {
    StatusBars::new(
        "Milestones by priority",
        "Priority",
        vec![
            row("Safer streets", StatusCounts { complete: 6, on_track: 3, late: 1, ..StatusCounts::default() }),
            row("Victims first", StatusCounts { complete: 2, at_risk: 2, not_started: 1, ..StatusCounts::default() }),
            row("Nothing yet", StatusCounts::default()),
        ],
    )
}

/// The base rectangle of each segment of a bar: `(class, x, width)`.
fn segments(bar: &Element) -> Vec<(String, f64, f64)> {
    bar.children
        .iter()
        .filter(|g| g.name == "g")
        .map(|g| {
            let base = &g.all("rect")[0];
            (g.attr("class").to_string(), base.num("x"), base.num("width"))
        })
        .collect()
}

#[test]
fn segment_widths_are_in_proportion_to_their_counts_across_every_bar() {
    let options = Options::page("milestones");
    let rendered = priorities().render(&options);
    let svg = parse_chart(&rendered, &options);
    let bars = svg.groups("pcplan-chart__bar");
    assert_eq!(bars.len(), 3);
    let first = segments(bars[0]);
    let second = segments(bars[1]);
    let classes: Vec<&str> = first.iter().map(|(c, _, _)| c.as_str()).collect();
    assert_eq!(
        classes,
        ["pcplan-chart__status--complete", "pcplan-chart__status--on-track", "pcplan-chart__status--late"]
    );
    // The longest bar (10 milestones) fills the width, so one milestone is a tenth of it
    // in every bar; each edge is rounded once, so a width is within 0.1 of its share.
    let longest: f64 = first.iter().map(|(_, _, w)| w).sum();
    let unit = longest / 10.0;
    for ((_, _, width), count) in first.iter().zip([6.0, 3.0, 1.0]).chain(second.iter().zip([2.0, 2.0, 1.0])) {
        assert!((width - count * unit).abs() <= 0.1, "{width} is not {count} × {unit}");
    }
    let second_length: f64 = second.iter().map(|(_, _, w)| w).sum();
    assert!((second_length - longest / 2.0).abs() <= 0.1, "{second_length} is not half of {longest}");
    // Segments follow one another without gaps or overlaps.
    for pair in first.windows(2) {
        assert!((pair[0].1 + pair[0].2 - pair[1].1).abs() <= 0.05, "{pair:?}");
    }
    assert!(segments(bars[2]).is_empty(), "a row with no milestones has no segments");
}

#[test]
fn each_segment_and_bar_says_its_count_in_words() {
    let svg = parse(&priorities().render(&Options::page("milestones")).svg);
    let bars = svg.groups("pcplan-chart__bar");
    // Row label, one count per segment, then the total after the bar.
    assert_eq!(bars[0].texts(), ["Safer streets", "6", "3", "1", "10"]);
    assert_eq!(bars[1].texts(), ["Victims first", "2", "2", "1", "5"]);
    assert_eq!(bars[2].texts(), ["Nothing yet", "0"]);
    let counts = bars[0].children.iter().filter(|g| g.name == "g").flat_map(|g| g.all("text")).collect::<Vec<_>>();
    assert!(counts.iter().all(|t| t.attr("paint-order") == "stroke"), "counts have a halo");
}

#[test]
fn statuses_differ_by_pattern_as_well_as_colour_and_the_legend_names_them() {
    let svg = parse(&priorities().render(&Options::page("milestones")).svg);
    // The slopes of a status's hatching lines: rising (-1 on screen, where y grows
    // downwards), falling (+1) or flat (0).
    let slopes = |class: &str| {
        let mut slopes: Vec<i64> = svg.groups(class)[0]
            .all("line")
            .iter()
            .map(|l| ((l.num("y2") - l.num("y1")) / (l.num("x2") - l.num("x1"))).round() as i64)
            .collect();
        slopes.sort();
        slopes.dedup();
        slopes
    };
    assert_eq!(slopes("pcplan-chart__status--complete"), [] as [i64; 0], "complete is solid");
    assert_eq!(slopes("pcplan-chart__status--on-track"), [-1], "on track has rising stripes");
    assert_eq!(slopes("pcplan-chart__status--at-risk"), [1], "at risk has falling stripes");
    assert_eq!(slopes("pcplan-chart__status--late"), [-1, 1], "late is cross-hatched");
    assert_eq!(slopes("pcplan-chart__status--not-started"), [] as [i64; 0], "not started is plain grey");
    let fill = |class: &str| svg.groups(class)[0].all("rect")[0].attr("fill").to_string();
    assert_eq!(fill("pcplan-chart__status--complete"), "#00703c");
    assert_eq!(fill("pcplan-chart__status--late"), "#d4351c");
    assert_eq!(
        svg.group("pcplan-chart__legend").texts(),
        ["Complete", "On track", "At risk", "Late", "Not started", "Withdrawn"]
    );
}

#[test]
fn the_table_has_a_column_per_status_and_the_total() {
    let rendered = priorities().render(&Options::page("milestones"));
    assert_eq!(
        rendered.table.headers,
        ["Priority", "Complete", "On track", "At risk", "Late", "Not started", "Withdrawn", "Total"]
    );
    assert_eq!(rendered.table.rows[0], ["Safer streets", "6", "3", "0", "1", "0", "0", "10"]);
    assert_eq!(rendered.table.rows[2], ["Nothing yet", "0", "0", "0", "0", "0", "0", "0"]);
    let html = rendered.table.to_html();
    assert!(html.contains("<th scope=\"row\" class=\"govuk-table__header\">Victims first</th>"), "{html}");
    assert!(html.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">5</td>"), "{html}");
    assert_eq!(
        rendered.summary,
        "3 bars, 15 milestones in all: 8 complete, 3 on track, 2 at risk, 1 late, 1 not started and 0 withdrawn. \
         Late or at risk: Safer streets (1 late, 0 at risk) and Victims first (0 late, 2 at risk)."
    );
}

#[test]
fn long_labels_wrap_onto_more_lines_and_push_the_bar_down() {
    let long = "Reduce serious violence, knife crime and the harm caused by drugs in every community of the force area";
    let chart = StatusBars::new(
        "Milestones",
        "Priority",
        vec![row(long, StatusCounts::from_statuses([Status::Complete, Status::Late]))],
    );
    let svg = parse(&chart.render(&Options::page("long")).svg);
    let bar = svg.group("pcplan-chart__bar");
    let label_lines: Vec<&Element> = bar.children.iter().filter(|e| e.name == "text").collect();
    assert!(label_lines.len() >= 2, "{:?}", bar.texts());
    let rejoined: Vec<String> = label_lines[..label_lines.len() - 1].iter().map(|t| t.text.clone()).collect();
    assert_eq!(rejoined.join(" "), long);
    let last_label_y = label_lines[label_lines.len() - 2].num("y");
    assert!(bar.all("rect")[0].num("y") > last_label_y, "the bar sits below its label");
}

#[test]
fn hostile_row_labels_and_headings_are_escaped() {
    let mut chart = priorities();
    chart.title = HOSTILE.to_string();
    chart.description = HOSTILE.to_string();
    chart.row_heading = HOSTILE.to_string();
    chart.rows[0].label = HOSTILE.to_string();
    let options = Options::page(HOSTILE);
    let rendered = chart.render(&options);
    assert!(!rendered.svg.contains("<script"), "{}", rendered.svg);
    let svg = parse(&rendered.svg);
    assert_eq!(svg.all("title")[0].text, HOSTILE_PARSED);
    let html = rendered.table.to_html();
    assert!(!html.contains("<script") && !html.contains("]]>"), "{html}");
    assert_eq!(html.matches("&lt;script&gt;").count(), 3, "caption, heading and row label: {html}");
}

#[test]
fn the_same_bars_give_the_same_bytes() {
    let chart = priorities();
    assert_eq!(chart.render(&Options::page("b")).svg, chart.clone().render(&Options::page("b")).svg);
}
