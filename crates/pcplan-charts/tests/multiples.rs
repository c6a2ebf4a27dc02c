//! Small multiples: every panel on one scale, tick values once per row, first and last
//! periods labelled, gaps kept, and the figures in one long table.

mod common;

use common::{Element, HOSTILE, HOSTILE_PARSED, parse, parse_chart};
use pcplan_charts::{Options, Panel, Point, Reading, Signal, SignalKind, SmallMultiples};

fn panel(area: &str, values: &[Option<f64>]) -> Panel {
    let months = ["January 2024", "February 2024", "March 2024", "April 2024"];
    let points = values.iter().zip(months).map(|(v, m)| Point::new(m, *v).with_axis_label(&m[..3])).collect();
    Panel { area: area.to_string(), points }
}

/// Four areas of very different sizes; the fourth wraps onto a second row.
fn areas() -> SmallMultiples {
    SmallMultiples::new(
        "Violence with injury by area",
        "crimes",
        vec![
            panel("Birmingham East", &[Some(180.0), Some(150.0), Some(200.0), Some(170.0)]),
            panel("Solihull", &[Some(20.0), Some(25.0), None, Some(30.0)]),
            panel("Coventry", &[Some(90.0), Some(100.0), Some(110.0), Some(100.0)]),
            panel("Walsall", &[Some(50.0), Some(60.0), Some(40.0), Some(50.0)]),
        ],
    )
}

/// The bottom of a panel's plot: its lowest grid line.
fn plot_bottom(panel: &Element) -> f64 {
    panel.group("pcplan-chart__grid").all("line").iter().map(|l| l.num("y1")).fold(f64::MIN, f64::max)
}

#[test]
fn every_panel_is_drawn_on_the_same_scale() {
    let options = Options::page("areas");
    let rendered = areas().render(&options);
    let svg = parse_chart(&rendered, &options);
    let panels = svg.groups("pcplan-chart__panel");
    assert_eq!(panels.len(), 4);
    // One scale for all: 0 to 200 in steps of 50 (a fifth of 200 is 40, nearest 50), so
    // every panel has the same five grid lines at the same heights above its axis.
    let offsets: Vec<Vec<f64>> = panels
        .iter()
        .map(|p| {
            let bottom = plot_bottom(p);
            p.group("pcplan-chart__grid").all("line").iter().map(|l| bottom - l.num("y1")).collect()
        })
        .collect();
    assert_eq!(offsets[0], [0.0, 27.5, 55.0, 82.5, 110.0]);
    assert!(offsets.iter().all(|o| o == &offsets[0]), "{offsets:?}");
    // 100 crimes sits half way up in Coventry; 50 a quarter of the way up in Walsall.
    let height_of = |panel: &Element, index: usize| {
        let dot = panel.group("pcplan-chart__points").all("circle")[index];
        plot_bottom(panel) - dot.num("cy")
    };
    assert_eq!(height_of(panels[2], 1), 55.0);
    assert_eq!(height_of(panels[3], 0), 27.5);
    // The first three panels share a row; the fourth starts the next, under the first.
    let bottoms: Vec<f64> = panels.iter().map(|p| plot_bottom(p)).collect();
    assert_eq!((bottoms[0], bottoms[1]), (bottoms[2], bottoms[2]));
    assert!(bottoms[3] > bottoms[0]);
    let left = |panel: &Element| panel.group("pcplan-chart__axes").all("line")[0].num("x1");
    assert_eq!(left(panels[3]), left(panels[0]));
}

#[test]
fn tick_values_are_printed_once_per_row_and_panels_label_their_ends() {
    let svg = parse(&areas().render(&Options::page("areas")).svg);
    let panels = svg.groups("pcplan-chart__panel");
    let ticks: Vec<usize> = panels.iter().map(|p| p.group("pcplan-chart__grid").all("text").len()).collect();
    assert_eq!(ticks, [5, 0, 0, 5]);
    assert_eq!(panels[0].group("pcplan-chart__grid").texts(), ["0", "50", "100", "150", "200"]);
    for panel in &panels {
        assert_eq!(panel.group("pcplan-chart__periods").texts(), ["Jan", "Apr"]);
    }
    assert_eq!(panels[1].all("text")[0].text, "Solihull");
    assert_eq!(panels[1].all("text")[0].attr("font-weight"), "bold");
}

#[test]
fn a_missing_figure_breaks_its_panels_line_and_says_no_figure() {
    let rendered = areas().render(&Options::page("areas"));
    let svg = parse(&rendered.svg);
    let solihull = svg.groups("pcplan-chart__panel")[1];
    // January to February joined; March missing; April alone (its dot, no line).
    assert_eq!(solihull.group("pcplan-chart__line").all("polyline").len(), 1);
    assert_eq!(solihull.group("pcplan-chart__points").all("circle").len(), 3);
    assert_eq!(rendered.table.headers, ["Area", "Period", "Figure (crimes)"]);
    assert_eq!(rendered.table.rows.len(), 16);
    assert_eq!(rendered.table.rows[6], ["Solihull", "March 2024", "no figure"]);
    assert_eq!(rendered.table.rows[15], ["Walsall", "April 2024", "50"]);
}

#[test]
fn the_description_gives_the_shared_scale_and_each_latest_figure() {
    let mut chart = areas();
    chart.description = String::from("Police recorded crime.");
    let summary = chart.render(&Options::page("areas")).summary;
    assert_eq!(
        summary,
        "Police recorded crime. One chart for each of 4 areas, all on the same scale from 0 to 200 crimes. \
         Latest figures: Birmingham East 170 for April 2024, Solihull 30 for April 2024, Coventry 100 for April 2024 \
         and Walsall 50 for April 2024."
    );
}

#[test]
fn signals_get_their_triangles_a_legend_and_a_table_column() {
    let mut chart = areas();
    let improvement = Signal { kind: SignalKind::Low, reading: Reading::Improvement };
    chart.panels[3].points[2].signal = Some(improvement);
    let rendered = chart.render(&Options::page("areas"));
    let svg = parse(&rendered.svg);
    let walsall = svg.groups("pcplan-chart__panel")[3];
    assert_eq!(walsall.group("pcplan-chart__signals").all("polygon").len(), 1);
    assert_eq!(
        svg.group("pcplan-chart__legend").texts(),
        ["Figure for each period", "Significant improvement: lower than usual"]
    );
    assert_eq!(rendered.table.headers.last().map(String::as_str), Some("Signal"));
    assert_eq!(rendered.table.rows[14][3], "Significant improvement: lower than usual");
    assert!(
        rendered.summary.ends_with("Signals: Walsall, 1 period of significant improvement."),
        "{}",
        rendered.summary
    );
    assert!(parse(&areas().render(&Options::page("areas")).svg).groups("pcplan-chart__legend").is_empty());
}

#[test]
fn hostile_area_names_and_titles_are_escaped() {
    let mut chart = areas();
    chart.title = HOSTILE.to_string();
    chart.unit = HOSTILE.to_string();
    chart.panels[0].area = HOSTILE.to_string();
    chart.panels[1].points[0].label = HOSTILE.to_string();
    let options = Options::page(HOSTILE);
    let rendered = chart.render(&options);
    assert!(!rendered.svg.contains("<script"), "{}", rendered.svg);
    let svg = parse(&rendered.svg);
    assert_eq!(svg.all("title")[0].text, HOSTILE_PARSED);
    let html = rendered.table.to_html();
    assert!(!html.contains("<script"), "{html}");
    assert!(html.contains("&lt;script&gt;"), "{html}");
}

#[test]
fn the_same_multiples_give_the_same_bytes() {
    let chart = areas();
    assert_eq!(chart.render(&Options::page("m")).svg, chart.clone().render(&Options::page("m")).svg);
}

#[test]
fn fewer_panels_than_columns_share_the_width_between_them() {
    let mut chart = areas();
    chart.panels.truncate(2);
    let svg = parse(&chart.render(&Options::page("two")).svg);
    let panels = svg.groups("pcplan-chart__panel");
    let right = panels[1].group("pcplan-chart__axes").all("line")[1].num("x2");
    // Two panels fill the row: the second ends at the width less the 8-unit margin (less
    // the widths' rounding down to 0.1).
    assert!((631.8..=632.0).contains(&right), "{right}");
}
