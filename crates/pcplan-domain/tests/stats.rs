//! Honest statistics: changes between counts with their exact p-values and small-number
//! warnings, rates and shares with the counts beside them, XmR control limits on known
//! series, and peer comparisons.
//!
//! Every expected figure is worked out in the comment beside it: control limits by hand,
//! exact p-values as binomial sums (checked with Python's exact integer arithmetic), and
//! Wilson intervals against the published figures of Newcombe (1998), Table II.

use std::collections::BTreeMap;

use pcplan_domain::Polarity;
use pcplan_domain::period::Period;
use pcplan_domain::stats::{
    Assurance, Change, Interval, PeerBasis, PeerError, PeerPosition, PeerValue, Rate, Share, ShareError, Signal,
    Significance, StatsRules, Variation, XmrError, XmrRule, XmrSettings, compare_with_last_year, compare_with_peers,
    group_thousands, poisson_p_value, total_over, wilson_interval, xmr,
};

fn period(text: &str) -> Period {
    text.parse().unwrap_or_else(|e| panic!("{text} should parse: {e}"))
}

fn assert_close(actual: f64, expected: f64, what: &str) {
    assert!((actual - expected).abs() < 1e-9, "{what}: {actual} is not {expected}");
}

/// Monthly values from April 2022, one per month.
fn monthly(values: &[f64]) -> Vec<(Period, f64)> {
    let mut month = period("2022-04");
    let mut out = Vec::new();
    for value in values {
        out.push((month, *value));
        month = month.next().expect("months stay in range");
    }
    out
}

// ---------------------------------------------------------------------------------------
// Changes between two counts
// ---------------------------------------------------------------------------------------

#[test]
fn p_values_match_the_exact_binomial_sums() {
    // p = 2 * P(X <= min(a, b)) for X ~ Binomial(a + b, 1/2), capped at 1.
    let cases = [
        // n = 11: (1 + 11 + 55 + 165 + 330) / 2048 = 562/2048, doubled 0.548828125
        ((7, 4), 0.548_828_125),
        // n = 5, k = 0: 2 / 32
        ((5, 0), 0.0625),
        // n = 4, k = 0: 2 / 16. The normal rule |a - b| > 1.96 sqrt(a + b) would call it
        // significant (4 > 3.92).
        ((0, 4), 0.125),
        // n = 9, k = 0: 2 / 512
        ((9, 0), 0.003_906_25),
        // n = 14, k = 2: 2 * (1 + 14 + 91) / 16384 = 212/16384
        ((12, 2), 0.012_939_453_125),
        // Larger counts, exact sums computed with Python integers.
        ((312, 280), 0.202_591_241_229_209_24),
        ((150, 100), 0.001_883_300_935_076_157),
        ((1100, 1000), 0.030_720_707_864_242_296),
        ((0, 0), 1.0),
        ((40, 40), 1.0),
    ];
    for ((a, b), expected) in cases {
        let p = poisson_p_value(a, b);
        assert!((p - expected).abs() <= 1e-9 * expected.max(1e-3), "{a} vs {b}: {p} is not {expected}");
        assert_eq!(poisson_p_value(b, a), p, "the test is symmetric");
    }
    // 100,000 against 101,000: the exact sum has 100,001 terms (Python: 0.02586239243973448);
    // Stirling's series keeps six significant figures at this size.
    let p = poisson_p_value(101_000, 100_000);
    assert!((p - 0.025_862_392_439_734_48).abs() < 1e-7, "{p}");
}

#[test]
fn a_change_carries_both_counts_the_difference_and_the_percentage() {
    let rules = StatsRules::default();
    let change = Change::between(312, 280, &rules);
    assert_eq!((change.current, change.comparison, change.difference), (312, 280, 32));
    // 32 / 280 * 100
    assert_close(change.percent.expect("a base"), 11.428_571_428_571_429, "percent");
    assert_eq!(change.significance, Significance::NotSignificant);
    assert_eq!(change.small_numbers, None);
    assert_eq!(change.describe(), "312 against 280: up 32 (+11.4%), no significant change.");

    let fall = Change::between(100, 150, &rules);
    assert_eq!(fall.significance, Significance::Lower, "p = 0.0019");
    assert_eq!(fall.describe(), "100 against 150: down 50 (-33.3%), significantly lower.");
    assert_eq!(Change::between(1100, 1000, &rules).significance, Significance::Higher, "p = 0.031");
}

#[test]
fn a_percentage_change_from_zero_is_none_never_infinity() {
    let change = Change::between(5, 0, &StatsRules::default());
    assert_eq!(change.percent, None);
    assert_eq!(change.difference, 5);
    assert_eq!(change.describe(), "5 against 0: up 5 (no percentage: the earlier count was 0), no significant change.");
    let nothing = Change::between(0, 0, &StatsRules::default());
    assert_eq!((nothing.percent, nothing.significance), (None, Significance::NotSignificant));
}

#[test]
fn small_numbers_carry_the_sentence_a_page_shows() {
    let rules = StatsRules::default();
    let change = Change::between(7, 4, &rules);
    assert_close(change.percent.expect("a base"), 75.0, "4 to 7 is +75%");
    assert_eq!(
        change.small_numbers.as_deref(),
        Some("Numbers are too small for this change to mean anything: 4 then 7.")
    );
    // 9 is below the default 10 even though 9 against 0 is significant (p = 0.0039): the
    // warning says the percentage, not the difference, is unreliable.
    let jump = Change::between(9, 0, &rules);
    assert_eq!(jump.significance, Significance::Higher);
    assert_eq!(
        jump.small_numbers.as_deref(),
        Some(
            "Numbers are small (0 then 9): the difference is larger than chance usually gives, \
             but the percentage change is not a reliable guide to its size."
        )
    );
    // At the threshold, no warning; the threshold is a setting.
    assert_eq!(Change::between(10, 12, &rules).small_numbers, None);
    let strict = StatsRules { min_count: 20, ..rules };
    assert!(Change::between(10, 12, &strict).small_numbers.is_some());
}

#[test]
fn the_same_period_last_year_is_compared_when_both_are_known() {
    let counts: BTreeMap<Period, u64> =
        [(period("2022/23 Q1"), 280), (period("2023/24 Q1"), 312), (period("2023/24 Q2"), 300)].into_iter().collect();
    let rules = StatsRules::default();
    let change = compare_with_last_year(&counts, period("2023/24 Q1"), &rules).expect("both quarters known");
    assert_eq!((change.current, change.comparison), (312, 280));
    assert_eq!(compare_with_last_year(&counts, period("2023/24 Q2"), &rules), None, "2022/23 Q2 is missing");
    assert_eq!(compare_with_last_year(&counts, period("2024/25 Q1"), &rules), None, "nothing this year");
}

// ---------------------------------------------------------------------------------------
// Rates, shares and totals
// ---------------------------------------------------------------------------------------

#[test]
fn a_rate_needs_a_population_and_always_keeps_its_count() {
    let rate = Rate::new(1234, Some(256_000));
    // 1234 * 1000 / 256000
    assert_close(rate.per_1000.expect("a population"), 4.820_312_5, "rate");
    assert_eq!(rate.describe(), "1,234 (4.82 per 1,000 residents)");
    let big = Rate::new(12_345, Some(256_000));
    assert_eq!(big.describe(), "12,345 (48.2 per 1,000 residents)");
    for population in [None, Some(0)] {
        let rate = Rate::new(1234, population);
        assert_eq!((rate.count, rate.per_1000), (1234, None), "{population:?}");
    }
    assert_eq!(Rate::new(1234, None).describe(), "1,234 (no population figure, so no rate)");
}

#[test]
fn wilson_intervals_match_newcombes_published_figures() {
    // Newcombe (1998), Table II, Wilson score method without continuity correction.
    let cases = [
        ((81, 263), (0.2553, 0.3662)),
        ((15, 148), (0.0624, 0.1605)),
        ((0, 20), (0.0, 0.1611)),
        ((1, 29), (0.0061, 0.1718)),
    ];
    for ((x, n), (low, high)) in cases {
        let Interval { low: l, high: h } = wilson_interval(x, n).expect("trials");
        assert!((l - low).abs() < 5e-5 && (h - high).abs() < 5e-5, "{x}/{n}: {l:.4} to {h:.4}");
    }
    assert_eq!(wilson_interval(0, 0), None);
    assert_eq!(wilson_interval(5, 4), None);
}

#[test]
fn a_share_shows_its_counts_interval_and_small_denominator_warning() {
    let rules = StatsRules::default();
    let share = Share::new(57, 412, &rules).expect("a share");
    assert_close(share.share.expect("cases"), 57.0 / 412.0, "share");
    assert_eq!(share.small_denominator, None);
    assert_eq!(share.describe(), "57 of 412 (13.8%, 95% interval 10.8% to 17.5%)");
    let few = Share::new(3, 12, &rules).expect("a share");
    assert_eq!(few.small_denominator.as_deref(), Some("Too few cases for this share to be reliable: 3 of 12."));
    assert_eq!(few.describe(), "3 of 12 (25.0%, 95% interval 8.9% to 53.2%)");
    let none = Share::new(0, 0, &rules).expect("an empty share");
    assert_eq!((none.share, none.interval), (None, None));
    assert_eq!(none.describe(), "0 of 0 (no share: there were no cases)");
    assert_eq!(Share::new(13, 12, &rules), Err(ShareError { numerator: 13, denominator: 12 }));
}

#[test]
fn monthly_counts_sum_into_a_quarter_and_name_the_missing_months() {
    let monthly: BTreeMap<Period, u64> =
        [(period("2022-04"), 100), (period("2022-05"), 120), (period("2022-07"), 999)].into_iter().collect();
    let quarter = total_over(period("2022/23 Q1"), &monthly);
    assert_eq!((quarter.total, quarter.months_counted), (220, 2));
    assert_eq!(quarter.missing, [period("2022-06")]);
    assert!(!quarter.is_complete());
    let year = total_over(period("2022/23"), &monthly);
    assert_eq!((year.total, year.months_counted, year.missing.len()), (1219, 3, 9));
}

#[test]
fn thousands_are_grouped() {
    assert_eq!(group_thousands(0), "0");
    assert_eq!(group_thousands(999), "999");
    assert_eq!(group_thousands(1000), "1,000");
    assert_eq!(group_thousands(1_234_567), "1,234,567");
}

// ---------------------------------------------------------------------------------------
// XmR charts
// ---------------------------------------------------------------------------------------

/// Ten months with nothing unusual:
/// values 12, 15, 11, 14, 13, 16, 12, 14, 13, 10; sum 130, mean 13.
/// moving ranges 3, 4, 3, 1, 3, 4, 2, 1, 3; sum 24, mean 24/9 = 2.6666…
/// limits 13 ± 2.66 × 24/9 = 13 ± 7.0933… → 5.906666… to 20.093333…
/// halfway marks 13 ± 3.546666… → 9.453333… and 16.546666…
/// upper range limit 3.268 × 24/9 = 8.714666…
const STEADY: [f64; 10] = [12.0, 15.0, 11.0, 14.0, 13.0, 16.0, 12.0, 14.0, 13.0, 10.0];

fn ten_point_baseline() -> XmrSettings {
    XmrSettings { baseline_points: 10, ..XmrSettings::default() }
}

#[test]
fn limits_of_a_known_series_match_the_hand_computation() {
    let chart = xmr(&monthly(&STEADY), &XmrSettings::default()).expect("ten points");
    assert_close(chart.mean, 13.0, "mean");
    assert_close(chart.mean_moving_range, 24.0 / 9.0, "mean moving range");
    assert_close(chart.upper_limit, 13.0 + 2.66 * 24.0 / 9.0, "upper limit");
    assert_close(chart.upper_limit, 20.093_333_333_333_333, "upper limit by hand");
    assert_close(chart.lower_limit, 5.906_666_666_666_667, "lower limit by hand");
    assert_close(chart.upper_range_limit, 8.714_666_666_666_667, "upper range limit");
    assert_eq!(chart.baseline, (period("2022-04"), period("2023-01")));
    assert_eq!(chart.baseline_points, 10);
    assert_eq!(chart.points[0].moving_range, None);
    assert_eq!(chart.points[1].moving_range, Some(3.0));
    assert!(chart.points.iter().all(|p| p.signal == Signal::CommonCause && p.rules.is_empty()));
    assert_eq!(chart.baseline_signals(), 0);
    let latest = chart.latest().expect("points");
    assert_eq!(latest.variation(Polarity::LowerIsBetter), Variation::NoSignificantChange);
}

#[test]
fn a_spike_beyond_the_upper_limit_is_a_rule_one_signal_read_with_polarity() {
    // The steady baseline, then 13 (common cause) and 24 (> 20.09: rule 1).
    let mut values = STEADY.to_vec();
    values.extend([13.0, 24.0]);
    let chart = xmr(&monthly(&values), &ten_point_baseline()).expect("twelve points");
    assert_close(chart.upper_limit, 20.093_333_333_333_333, "limits come from the baseline only");
    let spike = chart.latest().expect("points");
    assert_eq!(spike.period, period("2023-03"));
    assert_eq!((spike.signal, spike.rules.as_slice()), (Signal::High, &[XmrRule::OutsideLimits][..]));
    assert!(!spike.in_baseline);
    assert_eq!(spike.variation(Polarity::LowerIsBetter), Variation::SignificantDeterioration);
    assert_eq!(spike.variation(Polarity::HigherIsBetter), Variation::SignificantImprovement);
    assert_eq!(spike.variation(Polarity::Neither), Variation::SignificantChange);
    assert_eq!(chart.points[10].signal, Signal::CommonCause);
}

#[test]
fn a_shift_of_eight_points_on_one_side_is_a_rule_two_signal() {
    // Eight points of 15: above the mean 13 but below the halfway mark 16.55 and the
    // limit 20.09, so only the run rule can see them.
    let mut values = STEADY.to_vec();
    values.extend([15.0; 8]);
    let chart = xmr(&monthly(&values), &ten_point_baseline()).expect("eighteen points");
    for (index, point) in chart.points.iter().enumerate() {
        if index >= 10 {
            assert_eq!((point.signal, point.rules.as_slice()), (Signal::High, &[XmrRule::Run][..]), "{index}");
            assert_eq!(point.variation(Polarity::LowerIsBetter), Variation::SignificantDeterioration);
        } else {
            assert_eq!(point.signal, Signal::CommonCause, "{index}");
        }
    }
    // Seven are not enough with the default run of eight; they are with a run of seven.
    let seven = monthly(&[STEADY.as_slice(), &[15.0; 7]].concat());
    let chart = xmr(&seven, &ten_point_baseline()).expect("seventeen points");
    assert!(chart.points.iter().all(|p| p.signal == Signal::CommonCause));
    let chart = xmr(&seven, &XmrSettings { run_length: 7, ..ten_point_baseline() }).expect("seventeen points");
    assert_eq!(chart.points.iter().filter(|p| p.rules == [XmrRule::Run]).count(), 7);
}

#[test]
fn a_point_on_the_centre_line_ends_a_run() {
    // 15 x 4, then 13 (exactly the mean), then 15 x 4: two runs of four, not one of nine.
    let values = [STEADY.as_slice(), &[15.0; 4], &[13.0], &[15.0; 4]].concat();
    let chart = xmr(&monthly(&values), &ten_point_baseline()).expect("nineteen points");
    assert!(chart.points.iter().all(|p| !p.rules.contains(&XmrRule::Run)));
}

#[test]
fn three_of_four_beyond_the_halfway_mark_is_a_rule_three_signal() {
    // 17, 17, 12, 17: three of four above 16.55, none beyond 20.09, no run of eight.
    let values = [STEADY.as_slice(), &[17.0, 17.0, 12.0, 17.0]].concat();
    let chart = xmr(&monthly(&values), &ten_point_baseline()).expect("fourteen points");
    let flagged: Vec<(usize, Signal)> =
        chart.points.iter().enumerate().filter(|(_, p)| !p.rules.is_empty()).map(|(i, p)| (i, p.signal)).collect();
    assert_eq!(flagged, [(10, Signal::High), (11, Signal::High), (13, Signal::High)]);
    assert_eq!(chart.points[10].rules, [XmrRule::ThreeOfFour]);
    assert_eq!(chart.points[12].signal, Signal::CommonCause, "12 itself is not beyond the mark");
    assert_eq!(chart.points[13].variation(Polarity::HigherIsBetter), Variation::SignificantImprovement);
}

#[test]
fn the_lower_limit_of_small_counts_is_clamped_at_zero() {
    // 1, 4, 0, 3, 2, 5, 1: mean 16/7 = 2.285714…; moving ranges 3, 4, 3, 1, 3, 4, mean 3;
    // limits 16/7 ± 7.98 → -5.694286… (clamped to 0) and 10.265714…
    let series = monthly(&[1.0, 4.0, 0.0, 3.0, 2.0, 5.0, 1.0]);
    let chart = xmr(&series, &XmrSettings::default()).expect("seven points");
    assert_close(chart.mean, 16.0 / 7.0, "mean");
    assert_close(chart.mean_moving_range, 3.0, "mean moving range");
    assert_close(chart.upper_limit, 16.0 / 7.0 + 7.98, "upper limit");
    assert_close(chart.lower_limit, 0.0, "clamped lower limit");
    let unclamped = xmr(&series, &XmrSettings { floor_at_zero: false, ..XmrSettings::default() }).expect("seven");
    assert_close(unclamped.lower_limit, 16.0 / 7.0 - 7.98, "unclamped lower limit");
    assert!(chart.points.iter().all(|p| p.signal == Signal::CommonCause), "0 is on the limit, not beyond it");
}

#[test]
fn a_chart_needs_enough_points_in_order_and_of_one_kind() {
    let five = monthly(&[1.0, 2.0, 3.0, 4.0, 5.0]);
    let error = xmr(&five, &XmrSettings::default()).expect_err("five points");
    assert_eq!(error, XmrError::TooFewPoints { points: 5, needed: 6 });
    assert_eq!(error.to_string(), "the series has 5 point(s); an XmR chart needs at least 6, so wait for 1 more");

    let mut reversed = monthly(&STEADY);
    reversed.swap(3, 4);
    assert_eq!(
        xmr(&reversed, &XmrSettings::default()),
        Err(XmrError::OutOfOrder { index: 4, period: period("2022-07"), previous: period("2022-08") })
    );
    let mut mixed = monthly(&STEADY);
    mixed[2].0 = period("2022/23 Q3");
    let error = xmr(&mixed, &XmrSettings::default()).expect_err("mixed kinds");
    assert_eq!(
        error.to_string(),
        "point 2 (2022/23 Q3) is a financial quarter, but the series is of months; chart one kind of period at a time"
    );
    let mut broken = monthly(&STEADY);
    broken[5].1 = f64::NAN;
    assert_eq!(xmr(&broken, &XmrSettings::default()), Err(XmrError::NotFinite { index: 5, period: period("2022-09") }));
}

#[test]
fn a_target_outside_the_limits_is_met_or_missed_consistently() {
    // Limits 5.91 to 20.09.
    let chart = xmr(&monthly(&STEADY), &XmrSettings::default()).expect("ten points");
    let cases = [
        (25.0, Polarity::LowerIsBetter, Some(Assurance::ConsistentlyMeets)),
        (15.0, Polarity::LowerIsBetter, Some(Assurance::HitAndMiss)),
        (5.0, Polarity::LowerIsBetter, Some(Assurance::ConsistentlyFails)),
        (5.0, Polarity::HigherIsBetter, Some(Assurance::ConsistentlyMeets)),
        (25.0, Polarity::HigherIsBetter, Some(Assurance::ConsistentlyFails)),
        (15.0, Polarity::Neither, None),
    ];
    for (target, polarity, expected) in cases {
        assert_eq!(chart.target_assurance(target, polarity), expected, "{target} {polarity:?}");
    }
}

#[test]
fn a_baseline_with_signals_is_reported() {
    // With a baseline of all twelve points the spike is in the baseline itself.
    let values = [STEADY.as_slice(), &[13.0, 40.0]].concat();
    let chart = xmr(&monthly(&values), &XmrSettings::default()).expect("twelve points");
    assert_eq!(chart.baseline_points, 12);
    assert_eq!(chart.baseline_signals(), 1);
}

// ---------------------------------------------------------------------------------------
// Peers
// ---------------------------------------------------------------------------------------

fn peer(code: &str, count: u64, population: Option<u64>) -> PeerValue {
    PeerValue { code: code.into(), name: format!("Force {code}"), count, population, out_of: None }
}

/// Rates per 1,000: A 2.0, B 3.0, C 3.0, D 1.5.
fn four_forces() -> Vec<PeerValue> {
    vec![
        peer("A", 500, Some(250_000)),
        peer("B", 900, Some(300_000)),
        peer("C", 1200, Some(400_000)),
        peer("D", 300, Some(200_000)),
    ]
}

#[test]
fn peers_are_ranked_by_rate_with_ties_sharing_a_rank() {
    let comparison = compare_with_peers("B", &four_forces()).expect("four forces");
    assert_eq!(comparison.basis, PeerBasis::RatePer1000);
    let ranks: Vec<(&str, usize)> = comparison.rows.iter().map(|r| (r.code.as_str(), r.rank)).collect();
    assert_eq!(ranks, [("B", 1), ("C", 1), ("A", 3), ("D", 4)]);
    // Peers of B: 2.0, 3.0, 1.5 → mean 6.5 / 3; B's 3.0 equals the highest peer.
    assert_close(comparison.peer_mean, 6.5 / 3.0, "peer mean");
    assert_eq!((comparison.peer_low, comparison.peer_high), (1.5, 3.0));
    assert_eq!(comparison.position, PeerPosition::WithinPeers);
    let chosen = comparison.chosen().expect("B is there");
    assert_eq!((chosen.rate.count, chosen.rate.population), (900, Some(300_000)));

    assert_eq!(compare_with_peers("D", &four_forces()).expect("four").position, PeerPosition::BelowPeers);
    let mut higher = four_forces();
    higher[0].count = 1000; // A: 4.0 per 1,000
    assert_eq!(compare_with_peers("A", &higher).expect("four").position, PeerPosition::AbovePeers);
}

#[test]
fn without_every_population_peers_are_compared_by_count() {
    let mut forces = four_forces();
    forces[3].population = None;
    let comparison = compare_with_peers("D", &forces).expect("four forces");
    assert_eq!(comparison.basis, PeerBasis::Count);
    assert_eq!(comparison.rows.iter().map(|r| r.value).collect::<Vec<_>>(), [1200.0, 900.0, 500.0, 300.0]);
    assert_eq!(comparison.rows[0].rate.per_1000, Some(3.0), "each row still carries its own rate");
}

#[test]
fn peer_comparisons_refuse_a_missing_choice_duplicates_and_no_peers() {
    assert_eq!(
        compare_with_peers("Z", &four_forces()),
        Err(PeerError::ChosenMissing { code: "Z".into(), available: "`A`, `B`, `C`, `D`".into() })
    );
    let mut twice = four_forces();
    twice.push(peer("A", 1, Some(1)));
    assert_eq!(compare_with_peers("B", &twice), Err(PeerError::Duplicate { code: "A".into(), first: 0, second: 4 }));
    assert_eq!(compare_with_peers("A", &four_forces()[..1]), Err(PeerError::NoPeers { code: "A".into() }));
}

fn share(code: &str, count: u64, out_of: u64) -> PeerValue {
    PeerValue { out_of: Some(out_of), ..peer(code, count, None) }
}

#[test]
fn shares_are_ranked_by_percentage_each_with_its_wilson_interval() {
    // Charged or summonsed out of crimes: 6.0%, 8.0%, 5.0%.
    let forces = [share("A", 60, 1000), share("B", 40, 500), share("C", 100, 2000)];
    let comparison = compare_with_peers("A", &forces).expect("three shares");
    assert_eq!(comparison.basis, PeerBasis::Share);
    let ranked: Vec<(&str, f64, usize)> = comparison.rows.iter().map(|r| (r.code.as_str(), r.value, r.rank)).collect();
    assert_eq!(ranked, [("B", 8.0, 1), ("A", 6.0, 2), ("C", 5.0, 3)]);
    assert_eq!(comparison.position, PeerPosition::WithinPeers);
    assert_close(comparison.peer_mean, 6.5, "mean of 8.0 and 5.0");
    // The same interval as `wilson_interval` gives (and as the share on a measure page).
    let a = comparison.chosen().expect("A");
    assert_eq!((a.out_of, a.interval), (Some(1000), wilson_interval(60, 1000)));
    let interval = a.interval.expect("an interval");
    assert!(interval.low < 0.06 && 0.06 < interval.high, "{interval}");
    // A population does not turn shares into rates.
    let with_people = [PeerValue { population: Some(1_000_000), ..share("A", 60, 1000) }, share("B", 40, 500)];
    assert_eq!(compare_with_peers("A", &with_people).expect("two").basis, PeerBasis::Share);
}

#[test]
fn shares_and_counts_are_not_compared_together_and_a_share_cannot_exceed_its_total() {
    let mixed = [share("A", 60, 1000), peer("B", 40, Some(1000))];
    assert_eq!(compare_with_peers("A", &mixed), Err(PeerError::MixedForms { share: "A".into(), count: "B".into() }));
    let over = [share("A", 60, 1000), share("B", 600, 500)];
    let error = compare_with_peers("A", &over).expect_err("600 of 500");
    assert_eq!(error, PeerError::ShareAboveTotal { code: "B".into(), count: 600, out_of: 500 });
    assert!(error.to_string().contains("600 out of 500"), "{error}");
}
