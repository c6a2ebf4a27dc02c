//! From the domain's XmR chart to a [`SeriesChart`]: periods become labelled points, the
//! missing periods between them become gaps, and each signal is read with the measure's
//! polarity.
//!
//! The statistics stay in `pcplan_domain::stats`; this module only translates, so a page
//! and a PDF that draw the same measure draw the same figures.

use std::collections::BTreeMap;

use pcplan_domain::Polarity;
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::stats::{self, Variation, XmrChart};

use crate::series::{Limits, Point, Reading, SeriesChart, Signal, SignalKind};

impl Signal {
    /// The signal of a point of an XmR chart, read with `polarity`; `None` for common-cause
    /// variation.
    pub fn from_xmr(signal: stats::Signal, polarity: Polarity) -> Option<Signal> {
        let kind = match signal {
            stats::Signal::CommonCause => return None,
            stats::Signal::High => SignalKind::High,
            stats::Signal::Low => SignalKind::Low,
        };
        let reading = match Variation::of(signal, polarity) {
            Variation::SignificantImprovement => Reading::Improvement,
            Variation::SignificantDeterioration => Reading::Deterioration,
            Variation::SignificantChange | Variation::NoSignificantChange => Reading::Neutral,
        };
        Some(Signal { kind, reading })
    }
}

impl Limits {
    /// The centre line and natural process limits of `chart`.
    pub fn from_xmr(chart: &XmrChart) -> Limits {
        Limits { centre: chart.mean, lower: chart.lower_limit, upper: chart.upper_limit }
    }
}

impl SeriesChart {
    /// The series of `chart` with its centre line and limits, every period from the first
    /// to the last (a period the chart has no figure for is a gap), and its signals read
    /// with `polarity`. Set the target and baseline on the result.
    pub fn from_xmr(title: impl Into<String>, unit: impl Into<String>, chart: &XmrChart, polarity: Polarity) -> Self {
        let mut series = SeriesChart::new(title, unit, points_from_xmr(chart, polarity));
        series.limits = Some(Limits::from_xmr(chart));
        series.polarity = polarity;
        series
    }
}

/// Every period from the chart's first to its last, with the chart's figure and signal
/// where it has one and a gap where it does not.
pub fn points_from_xmr(chart: &XmrChart, polarity: Polarity) -> Vec<Point> {
    let (Some(first), Some(last)) = (chart.points.first(), chart.points.last()) else { return Vec::new() };
    let by_period: BTreeMap<Period, &stats::XmrPoint> = chart.points.iter().map(|p| (p.period, p)).collect();
    let mut points = Vec::new();
    let mut period = first.period;
    loop {
        let known = by_period.get(&period);
        let mut point = Point::new(period.label(), known.map(|p| p.value)).with_axis_label(axis_label(period));
        point.signal = known.and_then(|p| Signal::from_xmr(p.signal, polarity));
        points.push(point);
        // Periods only move forward, so this ends at the last point (or at the last
        // period there is).
        match period.next() {
            Some(next) if period < last.period => period = next,
            _ => break,
        }
    }
    points
}

/// The short form of a period for an axis: `Apr 2022`, `2022/23 Q1`, `2022/23`, `2022`.
pub fn axis_label(period: Period) -> String {
    match period.kind() {
        PeriodKind::Month => {
            let label = period.label();
            match label.split_once(' ') {
                Some((month, year)) => format!("{} {year}", month.chars().take(3).collect::<String>()),
                None => label,
            }
        }
        PeriodKind::Quarter | PeriodKind::FinancialYear | PeriodKind::CalendarYear => period.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn period(text: &str) -> Period {
        text.parse().unwrap_or_else(|e| panic!("{text} should parse: {e}"))
    }

    #[test]
    fn axis_labels_are_short() {
        assert_eq!(axis_label(period("2022-04")), "Apr 2022");
        assert_eq!(axis_label(period("2022-05")), "May 2022");
        assert_eq!(axis_label(period("2022/23 Q1")), "2022/23 Q1");
        assert_eq!(axis_label(period("2022/23")), "2022/23");
        assert_eq!(axis_label(period("2022")), "2022");
    }

    #[test]
    fn signals_are_read_with_the_polarity() {
        let low_is_good = Signal::from_xmr(stats::Signal::Low, Polarity::LowerIsBetter);
        assert_eq!(low_is_good, Some(Signal { kind: SignalKind::Low, reading: Reading::Improvement }));
        let high_is_bad = Signal::from_xmr(stats::Signal::High, Polarity::LowerIsBetter);
        assert_eq!(high_is_bad, Some(Signal { kind: SignalKind::High, reading: Reading::Deterioration }));
        let context = Signal::from_xmr(stats::Signal::High, Polarity::Neither);
        assert_eq!(context, Some(Signal { kind: SignalKind::High, reading: Reading::Neutral }));
        assert_eq!(Signal::from_xmr(stats::Signal::CommonCause, Polarity::HigherIsBetter), None);
    }
}
