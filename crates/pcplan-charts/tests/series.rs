//! The series chart: points where the scale puts them, gaps for missing figures,
//! reference lines told apart by their dashes, signals drawn as triangles and named in
//! words, hostile text escaped, and the same bytes every time.
//!
//! Expected coordinates are worked out in the comments: the plot runs from x = 40 to 624
//! and from y = 280 (the axis minimum) up to y = 40 (the maximum), periods sit at the
//! centres of equal bands.

mod common;

use common::{HOSTILE, HOSTILE_PARSED, coordinates, parse, parse_chart};
use pcplan_charts::{Limits, Options, Point, Reading, SeriesChart, Signal, SignalKind};
use pcplan_domain::Polarity;
use pcplan_domain::period::Period;
use pcplan_domain::stats::{XmrSettings, xmr};

fn period(text: &str) -> Period {
    text.parse().unwrap_or_else(|e| panic!("{text} should parse: {e}"))
}

/// 10, 20, no figure, 40 crimes, from January 2024.
fn four_months() -> SeriesChart {
    let points = vec![
        Point::new("January 2024", Some(10.0)),
        Point::new("February 2024", Some(20.0)),
        Point::new("March 2024", None),
        Point::new("April 2024", Some(40.0)),
    ];
    SeriesChart::new("Burglaries", "crimes", points)
}

#[test]
fn a_known_series_puts_each_figure_where_the_scale_says() {
    let options = Options::page("burglary");
    let rendered = four_months().render(&options);
    let svg = parse_chart(&rendered, &options);
    // The axis runs 0 to 40 in steps of 10 (a fifth of 40 is 8, nearest 1-2-5 step 10).
    let ticks = svg.group("pcplan-chart__grid").texts();
    assert_eq!(ticks, ["0", "10", "20", "30", "40"]);
    // Four bands of (624 - 40) / 4 = 146: centres 113, 259, 405, 551. 240 units of height
    // for 40 crimes is 6 per crime: 10 is at 280 - 60 = 220, 20 at 160, 40 at 40.
    let dots: Vec<(f64, f64)> =
        svg.group("pcplan-chart__points").all("circle").iter().map(|c| (c.num("cx"), c.num("cy"))).collect();
    assert_eq!(dots, [(113.0, 220.0), (259.0, 160.0), (551.0, 40.0)]);
    let labels = svg.group("pcplan-chart__periods");
    let positions: Vec<(String, f64)> = labels.all("text").iter().map(|t| (t.text.clone(), t.num("x"))).collect();
    assert_eq!(positions[1], (String::from("February 2024"), 259.0));
    assert_eq!(svg.all("text")[0].text, "crimes", "the unit heads the value axis");
}

#[test]
fn a_missing_figure_is_a_gap_in_the_line_and_no_figure_in_the_table() {
    let rendered = four_months().render(&Options::page("burglary"));
    let svg = parse(&rendered.svg);
    // The line joins January and February, stops at March and does not reach April: a
    // single figure after a gap has its dot but no line.
    let lines = svg.group("pcplan-chart__line").all("polyline");
    assert_eq!(lines.len(), 1);
    assert_eq!(coordinates(lines[0]), [(113.0, 220.0), (259.0, 160.0)]);
    assert!(svg.all("circle").iter().all(|c| c.num("cy") != 280.0), "no figure is drawn at zero: {}", rendered.svg);
    assert_eq!(rendered.table.rows[2], ["March 2024", "no figure"]);
    assert!(rendered.summary.contains("1 period has no figure: March 2024."), "{}", rendered.summary);

    let points = [Some(1.0), Some(2.0), None, Some(4.0), Some(5.0)]
        .iter()
        .enumerate()
        .map(|(i, v)| Point::new(format!("P{i}"), *v))
        .collect();
    let two_runs = SeriesChart::new("Runs", "", points).render(&Options::page("runs"));
    assert_eq!(parse(&two_runs.svg).group("pcplan-chart__line").all("polyline").len(), 2);
}

#[test]
fn figures_that_are_not_finite_are_gaps_and_never_printed() {
    let points = vec![
        Point::new("January 2024", Some(f64::NAN)),
        Point::new("February 2024", Some(12.0)),
        Point::new("March 2024", Some(f64::INFINITY)),
        Point::new("April 2024", Some(14.0)),
    ];
    let mut chart = SeriesChart::new("Robberies", "crimes", points);
    chart.target = Some(f64::NAN);
    chart.baseline = Some(f64::NEG_INFINITY);
    chart.limits = Some(Limits { centre: 13.0, lower: f64::NAN, upper: 20.0 });
    let options = Options::page("robbery");
    let rendered = chart.render(&options);
    let svg = parse_chart(&rendered, &options);
    assert_eq!(svg.group("pcplan-chart__points").all("circle").len(), 2);
    assert!(svg.group("pcplan-chart__references").children.is_empty(), "{}", rendered.svg);
    assert_eq!(rendered.table.headers, ["Period", "Figure (crimes)"]);
    assert_eq!(rendered.table.rows[0][1], "no figure");
    assert_eq!(rendered.table.rows[2][1], "no figure");
    let words = rendered.summary.to_lowercase();
    assert!(!words.contains("nan") && !words.contains("inf"), "{}", rendered.summary);
}

#[test]
fn reference_lines_differ_by_dash_and_are_named_with_their_values() {
    let mut chart = four_months();
    chart.limits = Some(Limits { centre: 25.0, lower: 5.0, upper: 45.0 });
    chart.target = Some(30.0);
    chart.baseline = Some(35.0);
    let rendered = chart.render(&Options::page("burglary"));
    let svg = parse(&rendered.svg);
    // The axis now runs 0 to 50 (a fifth is 10): 4.8 units per crime.
    let lines: Vec<(f64, String)> = svg
        .group("pcplan-chart__references")
        .all("line")
        .iter()
        .map(|l| (l.num("y1"), l.attributes.get("stroke-dasharray").cloned().unwrap_or_default()))
        .collect();
    assert_eq!(
        lines,
        [
            (160.0, String::new()),        // centre 25: 280 - 120, solid
            (256.0, String::from("6 4")),  // lower limit 5: 280 - 24, dashed
            (64.0, String::from("6 4")),   // upper limit 45: 280 - 216, dashed
            (112.0, String::from("2 3")),  // baseline 35: 280 - 168, dotted
            (136.0, String::from("12 4")), // target 30: 280 - 144, long dashes
        ]
    );
    let legend = svg.group("pcplan-chart__legend").texts();
    assert_eq!(
        legend,
        [
            "Figure for each period",
            "Centre line (25.0)",
            "Process limits (5.0 to 45.0)",
            "Target (30)",
            "Baseline (35)"
        ]
    );
    assert_eq!(
        rendered.table.headers,
        [
            "Period",
            "Figure (crimes)",
            "Baseline",
            "Target",
            "Centre line",
            "Lower process limit",
            "Upper process limit",
            "Signal"
        ]
    );
    assert_eq!(
        rendered.table.rows[0],
        ["January 2024", "10", "35", "30", "25.0", "5.0", "45.0", "No significant change"]
    );
}

#[test]
fn a_series_alone_has_no_legend() {
    let svg = parse(&four_months().render(&Options::page("plain")).svg);
    assert!(svg.groups("pcplan-chart__legend").is_empty());
}

#[test]
fn signals_are_triangles_labelled_in_words_and_named_in_the_table() {
    let improvement = Signal { kind: SignalKind::Low, reading: Reading::Improvement };
    let deterioration = Signal { kind: SignalKind::High, reading: Reading::Deterioration };
    let points = vec![
        Point::new("January 2024", Some(40.0)).with_signal(deterioration),
        Point::new("February 2024", Some(20.0)),
        Point::new("March 2024", Some(10.0)).with_signal(improvement),
        Point::new("April 2024", Some(10.0)).with_signal(improvement),
    ];
    let mut chart = SeriesChart::new("Burglaries", "crimes", points);
    chart.polarity = Polarity::LowerIsBetter;
    let rendered = chart.render(&Options::page("signals"));
    let svg = parse(&rendered.svg);
    // Signals are drawn as triangles instead of dots: only February is a dot.
    assert_eq!(svg.group("pcplan-chart__points").all("circle").len(), 1);
    let triangles = svg.group("pcplan-chart__signals").all("polygon");
    assert_eq!(triangles.len(), 3);
    // A high signal points up from (113, 40): its tip is 9 above the figure.
    assert_eq!(coordinates(triangles[0])[0], (113.0, 31.0));
    assert_eq!(triangles[0].attr("fill"), "#d4351c");
    // A low signal points down from (405, 220): its tip is 9 below.
    assert_eq!(coordinates(triangles[1])[0], (405.0, 229.0));
    assert_eq!(triangles[1].attr("fill"), "#00703c");
    assert!(triangles.iter().all(|t| t.attr("stroke") == "#0b0c0c"), "every triangle is outlined");
    // One word per run of the same signal: March and April share one.
    assert_eq!(svg.group("pcplan-chart__signal-labels").texts(), ["Deterioration", "Improvement"]);
    let legend = svg.group("pcplan-chart__legend").texts();
    assert!(legend.contains(&String::from("Significant improvement: lower than usual")), "{legend:?}");
    assert!(legend.contains(&String::from("Significant deterioration: higher than usual")), "{legend:?}");
    let signals: Vec<&str> = rendered.table.rows.iter().map(|r| r[2].as_str()).collect();
    assert_eq!(
        signals,
        [
            "Significant deterioration: higher than usual",
            "No significant change",
            "Significant improvement: lower than usual",
            "Significant improvement: lower than usual"
        ]
    );
    assert!(rendered.summary.contains("2 periods signal a significant improvement, the latest April 2024."));
    assert!(rendered.summary.contains("1 period signals a significant deterioration: January 2024."));
}

/// The burglary example of docs/performance-statistics.md: twelve baseline months from
/// April 2022, then eight months all below the centre line.
fn burglary_months() -> Vec<(Period, f64)> {
    let values = [
        52.0, 47.0, 60.0, 55.0, 49.0, 58.0, 51.0, 46.0, 57.0, 53.0, 50.0, 56.0, 44.0, 43.0, 48.0, 42.0, 45.0, 41.0,
        47.0, 43.0,
    ];
    let mut month = period("2022-04");
    values
        .iter()
        .map(|v| {
            let point = (month, *v);
            month = month.next().expect("months continue");
            point
        })
        .collect()
}

#[test]
fn the_worked_burglary_example_draws_its_limits_and_eight_improvements() {
    let settings = XmrSettings { baseline_points: 12, ..XmrSettings::default() };
    let chart = xmr(&burglary_months(), &settings).expect("twenty points make a chart");
    let mut series = SeriesChart::from_xmr("Burglaries recorded each month", "crimes", &chart, Polarity::LowerIsBetter);
    series.target = Some(50.0);
    let options = Options::page("burglary-xmr");
    let rendered = series.render(&options);
    let svg = parse_chart(&rendered, &options);

    // Mean 634 / 12 = 52.83; mean moving range 74 / 11 = 6.727; limits 52.83 ± 17.89.
    assert_eq!(rendered.table.rows[0], ["April 2022", "52", "50", "52.8", "34.9", "70.7", "No significant change"]);
    let last = rendered.table.rows.last().expect("twenty rows");
    assert_eq!(
        last,
        &["November 2023", "43", "50", "52.8", "34.9", "70.7", "Significant improvement: lower than usual"]
    );
    let improvements = rendered.table.rows.iter().filter(|r| r[6].starts_with("Significant improvement")).count();
    assert_eq!(improvements, 8);

    // The axis runs 0 to 80 (the upper limit 70.73, a fifth of which is 14.1, nearest
    // step 10), so 3 units per crime: the centre line is at 280 - 3 × 52.83 = 121.5, the
    // lower limit at 280 - 3 × 34.94 = 175.2, the upper at 280 - 3 × 70.73 = 67.8.
    let ys: Vec<f64> = svg.group("pcplan-chart__references").all("line").iter().map(|l| l.num("y1")).collect();
    assert_eq!(ys, [121.5, 175.2, 67.8, 130.0]);
    assert_eq!(svg.group("pcplan-chart__signals").all("polygon").len(), 8);
    assert_eq!(svg.group("pcplan-chart__signal-labels").texts(), ["Improvement"]);

    // The description docs/charts.md quotes.
    assert_eq!(
        rendered.summary,
        "The latest figure is 43 crimes for November 2023, down 4 from 47 for October 2023. \
         The 20 figures run from April 2022 to November 2023; the lowest is 41 for September 2023 and the highest 60 \
         for June 2022. The centre line is 52.8 and the process limits are 34.9 to 70.7. \
         8 periods signal a significant improvement, the latest November 2023. The target is 50 crimes. \
         Lower is better."
    );
}

#[test]
fn months_missing_from_an_xmr_series_become_gaps() {
    let mut months = burglary_months();
    months.remove(14); // June 2023
    let chart = xmr(&months, &XmrSettings { baseline_points: 12, ..XmrSettings::default() }).expect("a chart");
    let series = SeriesChart::from_xmr("Burglaries", "crimes", &chart, Polarity::LowerIsBetter);
    assert_eq!(series.points.len(), 20);
    assert_eq!(series.points[14].label, "June 2023");
    assert_eq!(series.points[14].value, None);
    assert_eq!(series.points[0].axis_label.as_deref(), Some("Apr 2022"));
    let svg = parse(&series.render(&Options::page("gap")).svg);
    assert_eq!(svg.group("pcplan-chart__line").all("polyline").len(), 2);
}

#[test]
fn crowded_period_labels_are_thinned_and_the_latest_is_kept() {
    let mut month = period("2021-04");
    let mut points = Vec::new();
    for i in 0..36 {
        points.push(Point::new(month.label(), Some(f64::from(i))).with_axis_label(pcplan_charts::axis_label(month)));
        month = month.next().expect("months continue");
    }
    let svg = parse(&SeriesChart::new("Calls", "calls", points).render(&Options::page("calls")).svg);
    let labels = svg.group("pcplan-chart__periods").texts();
    assert!(labels.len() < 36 / 2, "{labels:?}");
    assert_eq!(labels.last().map(String::as_str), Some("Mar 2024"));
    // Labels are evenly thinned, every n-th period counted back from the latest, and
    // never closer than a label's width (about 64 units for `Mar 2024`). The latest is
    // moved left of its period only as far as it must be to stay inside the chart.
    let xs: Vec<f64> = svg.group("pcplan-chart__periods").all("text").iter().map(|t| t.num("x")).collect();
    let gaps: Vec<f64> = xs.windows(2).map(|w| w[1] - w[0]).collect();
    let (last_gap, even_gaps) = gaps.split_last().expect("several labels");
    assert!(even_gaps.windows(2).all(|w| (w[0] - w[1]).abs() <= 0.2), "{gaps:?}");
    assert!(gaps.iter().all(|g| *g > 64.0), "{gaps:?}");
    assert!(*last_gap < even_gaps[0], "{gaps:?}");
    assert!(xs.last().is_some_and(|x| x + 32.0 < 640.0), "{xs:?}");
}

#[test]
fn hostile_text_is_escaped_wherever_it_appears() {
    let points = vec![
        Point::new(HOSTILE, Some(3.0)).with_axis_label(HOSTILE),
        Point::new("February 2024", Some(5.0))
            .with_signal(Signal { kind: SignalKind::High, reading: Reading::Neutral }),
    ];
    let mut chart = SeriesChart::new(HOSTILE, HOSTILE, points);
    chart.description = HOSTILE.to_string();
    chart.limits = Some(Limits { centre: 4.0, lower: 0.0, upper: 8.0 });
    let options = Options { id: HOSTILE.to_string(), font_family: HOSTILE.to_string() };
    let rendered = chart.render(&options);
    assert!(!rendered.svg.contains("<script"), "{}", rendered.svg);
    assert!(!rendered.svg.contains("]]>"), "{}", rendered.svg);
    let svg = parse(&rendered.svg);
    assert_eq!(svg.all("title")[0].text, HOSTILE_PARSED);
    assert!(svg.all("desc")[0].text.starts_with(HOSTILE_PARSED.trim_end()));
    assert_eq!(svg.attr("font-family"), HOSTILE_PARSED);
    let id = svg.attr("id");
    assert!(id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_'), "{id}");
    assert!(svg.texts().contains(&HOSTILE_PARSED.to_string()), "the unit is drawn, escaped");
    let html = rendered.table.to_html();
    assert!(!html.contains("<script"), "{html}");
    assert!(
        html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &quot;]]&gt; &amp;amp; &amp;nbsp;"),
        "{html}"
    );
}

#[test]
fn the_same_chart_gives_the_same_bytes_and_the_font_is_the_callers() {
    let chart = four_months();
    let first = chart.render(&Options::page("same"));
    let second = chart.clone().render(&Options::page("same"));
    assert_eq!(first.svg, second.svg);
    assert_eq!(first, second);
    let pdf = chart.render(&Options::pdf("same"));
    assert!(pdf.svg.contains("font-family=\"Liberation Sans, Arial, sans-serif\""), "{}", pdf.svg);
    assert!(first.svg.contains("font-family=\"&quot;GDS Transport&quot;, arial, sans-serif\""), "{}", first.svg);
    assert_eq!(first.drawing, pdf.drawing, "only the font differs");
}

#[test]
fn a_chart_with_no_figures_says_so_and_still_draws_its_axes() {
    let points = vec![Point::new("January 2024", None), Point::new("February 2024", None)];
    let options = Options::page("empty");
    let rendered = SeriesChart::new("Hate crime", "crimes", points).render(&options);
    let svg = parse_chart(&rendered, &options);
    assert!(rendered.summary.starts_with("There are no figures yet."), "{}", rendered.summary);
    assert!(svg.group("pcplan-chart__line").children.is_empty());
    assert_eq!(svg.group("pcplan-chart__grid").texts(), ["0", "1"]);
    assert_eq!(rendered.table.rows, [["January 2024", "no figure"], ["February 2024", "no figure"]]);
    let nothing = SeriesChart::new("Nothing", "", Vec::new()).render(&options);
    parse_chart(&nothing, &options);
}
