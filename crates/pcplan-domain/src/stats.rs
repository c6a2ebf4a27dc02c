//! Honest statistics for performance reports: figures shown the way a Police and Crime
//! Panel can trust them.
//!
//! Four habits run through the module:
//!
//! - **The count goes with every rate, share and percentage.** [`Change`], [`Rate`],
//!   [`Share`] and [`PeerRow`] all carry the counts they were computed from, and their
//!   `describe` sentences print them, so "+75%" never appears without "4 then 7".
//! - **Small numbers are said to be small.** A change between counts below
//!   [`StatsRules::min_count`], or a share of fewer than [`StatsRules::min_denominator`]
//!   cases, carries a warning sentence a page shows beside the figure.
//! - **A change is called significant only when chance is an unlikely explanation.** Two
//!   counts are compared with an exact test ([`poisson_p_value`]); a series is read on an
//!   XmR control chart ([`xmr`]) with Wheeler's detection rules, as NHS England's
//!   "Making Data Count" guidance recommends, rather than colouring any movement red.
//! - **Nothing is invented.** A percentage change from zero is `None`, not infinity; a
//!   rate without a population is `None`; a chart with too few points is an error that
//!   says how many more are needed.
//!
//! Everything here is arithmetic on values the caller passes in: this module does not
//! store observations, fetch crime data or decide which measure a figure belongs to.
//! docs/performance-statistics.md explains the rules to analysts and Panel members.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::period::Period;
use crate::plan::Polarity;

/// The 97.5th percentile of the standard normal distribution, for two-sided 95% intervals.
pub const Z_95: f64 = 1.959_963_984_540_054;

/// Wheeler's scaling constant for natural process limits from the average moving range:
/// 3 / d2, where d2 = 1.128 is the bias-correction constant for ranges of two values.
pub const XMR_LIMIT_FACTOR: f64 = 2.66;

/// Wheeler's constant for the upper limit of the moving ranges themselves (D4 for n = 2).
pub const XMR_RANGE_FACTOR: f64 = 3.268;

// ---------------------------------------------------------------------------------------
// Settings
// ---------------------------------------------------------------------------------------

/// The thresholds of the small-number warnings and of significance, a setting of each
/// body.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct StatsRules {
    /// A change between two counts warns when either count is below this (10). Below
    /// ten, a difference of two or three is a large percentage and means little.
    pub min_count: u64,
    /// A share warns when its denominator is below this (30): with fewer cases one case
    /// more or less moves the share by more than three points.
    pub min_denominator: u64,
    /// The two-sided p-value below which a change between two counts is called
    /// significant (0.05).
    pub significance_level: f64,
}

impl Default for StatsRules {
    fn default() -> Self {
        StatsRules { min_count: 10, min_denominator: 30, significance_level: 0.05 }
    }
}

// ---------------------------------------------------------------------------------------
// Change between two counts
// ---------------------------------------------------------------------------------------

/// Whether two counts differ by more than chance would explain.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Significance {
    /// The current count is significantly higher than the comparison.
    Higher,
    /// The current count is significantly lower than the comparison.
    Lower,
    /// The difference is within what chance alone often produces.
    NotSignificant,
}

impl Significance {
    pub fn label(&self) -> &'static str {
        match self {
            Significance::Higher => "significantly higher",
            Significance::Lower => "significantly lower",
            Significance::NotSignificant => "no significant change",
        }
    }
}

/// A count in one period against the same count in a comparison period (the same period
/// last year, or the period before).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    /// The count in the period being reported.
    pub current: u64,
    /// The count it is compared with.
    pub comparison: u64,
    /// `current - comparison`.
    pub difference: i64,
    /// `difference / comparison * 100`; `None` when the comparison is 0, where any
    /// percentage would be infinite or meaningless.
    pub percent: Option<f64>,
    /// The two-sided p-value of [`poisson_p_value`].
    pub p_value: f64,
    pub significance: Significance,
    /// The sentence a page shows when either count is below [`StatsRules::min_count`].
    pub small_numbers: Option<String>,
}

impl Change {
    /// Compares two counts of the same thing over periods of the same length and
    /// population (this quarter and the same quarter last year).
    pub fn between(current: u64, comparison: u64, rules: &StatsRules) -> Self {
        let difference = signed(current) - signed(comparison);
        let percent = (comparison > 0).then(|| difference as f64 / comparison as f64 * 100.0);
        let p_value = poisson_p_value(current, comparison);
        let significance = if p_value >= rules.significance_level {
            Significance::NotSignificant
        } else if current > comparison {
            Significance::Higher
        } else {
            Significance::Lower
        };
        let small_numbers = (current < rules.min_count || comparison < rules.min_count).then(|| {
            if significance == Significance::NotSignificant {
                format!(
                    "Numbers are too small for this change to mean anything: {} then {}.",
                    group_thousands(comparison),
                    group_thousands(current)
                )
            } else {
                format!(
                    "Numbers are small ({} then {}): the difference is larger than chance usually gives, \
                     but the percentage change is not a reliable guide to its size.",
                    group_thousands(comparison),
                    group_thousands(current)
                )
            }
        });
        Change { current, comparison, difference, percent, p_value, significance, small_numbers }
    }

    /// `312 against 280 last time: up 32 (+11.4%), no significant change.` The counts
    /// always come first; the percentage is only ever beside them.
    pub fn describe(&self) -> String {
        let movement = match self.difference {
            0 => String::from("no change"),
            d if d > 0 => format!("up {}", group_thousands(d.unsigned_abs())),
            d => format!("down {}", group_thousands(d.unsigned_abs())),
        };
        let percent = match self.percent {
            Some(p) if self.difference != 0 => format!(" ({p:+.1}%)"),
            Some(_) => String::new(),
            None => String::from(" (no percentage: the earlier count was 0)"),
        };
        format!(
            "{} against {}: {movement}{percent}, {}.",
            group_thousands(self.current),
            group_thousands(self.comparison),
            self.significance.label()
        )
    }
}

/// The two-sided p-value for the hypothesis that two Poisson counts `a` and `b`, observed
/// over the same exposure (the same length of period and the same population), have the
/// same underlying rate.
///
/// Method: the conditional (exact) test of Przyborowski and Wilenski (1940, "Homogeneity
/// of results in testing samples from Poisson series", Biometrika 31). Given the total
/// `n = a + b`, under equal rates `a` is Binomial(n, ½), so the p-value is twice the
/// smaller binomial tail, capped at 1 (with p = ½ the distribution is symmetric, so this
/// equals the "sum of outcomes no more likely" p-value of R's `poisson.test`). It is
/// exact for small counts, where the familiar large-sample rule — significant at 95%
/// when `|a − b| > 1.96 · √(a + b)`, the same test with the normal approximation — is
/// unreliable. Rejected alternative: that normal rule alone, which calls 0 against 4
/// significant (|−4| > 3.92) while the exact test gives p = 0.125.
pub fn poisson_p_value(a: u64, b: u64) -> f64 {
    let n = a.saturating_add(b);
    if n == 0 || a == b {
        return 1.0;
    }
    (2.0 * binomial_half_lower_tail(n, a.min(b))).min(1.0)
}

/// P(X ≤ k) for X ~ Binomial(n, ½), summed from k downwards in floating point. The k-th
/// term is found in log space from log-factorials, so large counts neither overflow nor
/// take time in proportion to n; the sum stops once further terms cannot change it. For
/// large counts the log-factorials are large numbers whose difference loses some
/// precision: at 100,000 against 101,000 the p-value still agrees with the exact sum to
/// within 5e-10 of its value, ample for comparing it with 0.05.
fn binomial_half_lower_tail(n: u64, k: u64) -> f64 {
    let ln_term_k = ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k) - n as f64 * std::f64::consts::LN_2;
    let mut term = ln_term_k.exp();
    let mut sum = term;
    let mut i = k;
    while i > 0 && term > sum * 1e-17 {
        // C(n, i-1) = C(n, i) * i / (n - i + 1)
        term *= i as f64 / (n - i + 1) as f64;
        sum += term;
        i -= 1;
    }
    sum.min(1.0)
}

/// ln(n!): summed term by term below 256, Stirling's series above (truncated after the
/// 1/1260n⁵ term, whose successor is below 1e-20 from n = 256).
fn ln_factorial(n: u64) -> f64 {
    if n < 256 {
        return (2..=n).map(|i| (i as f64).ln()).sum();
    }
    let x = n as f64;
    x * x.ln() - x + 0.5 * (std::f64::consts::TAU * x).ln() + 1.0 / (12.0 * x) - 1.0 / (360.0 * x.powi(3))
        + 1.0 / (1260.0 * x.powi(5))
}

/// Compares the count for `period` with the same period last year, when both are known.
pub fn compare_with_last_year(counts: &BTreeMap<Period, u64>, period: Period, rules: &StatsRules) -> Option<Change> {
    let current = *counts.get(&period)?;
    let earlier = *counts.get(&period.same_period_last_year()?)?;
    Some(Change::between(current, earlier, rules))
}

// ---------------------------------------------------------------------------------------
// Rates and shares
// ---------------------------------------------------------------------------------------

/// A count, with its rate per 1,000 residents when the population is known.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rate {
    pub count: u64,
    pub population: Option<u64>,
    /// `count * 1000 / population`; `None` without a population (or with a population of
    /// 0), never a rate computed against a guess.
    pub per_1000: Option<f64>,
}

impl Rate {
    pub fn new(count: u64, population: Option<u64>) -> Self {
        let per_1000 = population.filter(|p| *p > 0).map(|p| count as f64 * 1000.0 / p as f64);
        Rate { count, population, per_1000 }
    }

    /// `1,234 (4.82 per 1,000 residents)`, or `1,234 (no population figure, so no rate)`.
    pub fn describe(&self) -> String {
        match self.per_1000 {
            Some(rate) => format!("{} ({} per 1,000 residents)", group_thousands(self.count), format_rate(rate)),
            None => format!("{} (no population figure, so no rate)", group_thousands(self.count)),
        }
    }
}

/// A rate to two decimal places below 10 (0.48 per 1,000), one above (48.2 per 1,000).
pub fn format_rate(rate: f64) -> String {
    if rate.abs() < 10.0 { format!("{rate:.2}") } else { format!("{rate:.1}") }
}

/// A two-sided confidence interval.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Interval {
    pub low: f64,
    pub high: f64,
}

/// A part of a whole: the charge rate (charged of crimes recorded), the share of victims
/// satisfied (satisfied of respondents).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Share {
    pub numerator: u64,
    pub denominator: u64,
    /// `numerator / denominator`, 0 to 1; `None` when the denominator is 0.
    pub share: Option<f64>,
    /// The Wilson score 95% interval of [`wilson_interval`]; `None` when the denominator
    /// is 0.
    pub interval: Option<Interval>,
    /// The sentence a page shows when the denominator is below
    /// [`StatsRules::min_denominator`].
    pub small_denominator: Option<String>,
}

/// A share whose numerator is larger than its whole.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{numerator} of {denominator} is not a share: the part cannot be larger than the whole; check the two figures")]
pub struct ShareError {
    pub numerator: u64,
    pub denominator: u64,
}

impl Share {
    pub fn new(numerator: u64, denominator: u64, rules: &StatsRules) -> Result<Self, ShareError> {
        if numerator > denominator {
            return Err(ShareError { numerator, denominator });
        }
        let share = (denominator > 0).then(|| numerator as f64 / denominator as f64);
        let small_denominator = (denominator < rules.min_denominator).then(|| {
            format!(
                "Too few cases for this share to be reliable: {} of {}.",
                group_thousands(numerator),
                group_thousands(denominator)
            )
        });
        Ok(Share {
            numerator,
            denominator,
            share,
            interval: wilson_interval(numerator, denominator),
            small_denominator,
        })
    }

    /// `57 of 412 (13.8%, 95% interval 10.8% to 17.5%)`.
    pub fn describe(&self) -> String {
        let counts = format!("{} of {}", group_thousands(self.numerator), group_thousands(self.denominator));
        match (self.share, self.interval) {
            (Some(share), Some(interval)) => format!(
                "{counts} ({:.1}%, 95% interval {:.1}% to {:.1}%)",
                share * 100.0,
                interval.low * 100.0,
                interval.high * 100.0
            ),
            _ => format!("{counts} (no share: there were no cases)"),
        }
    }
}

/// The Wilson score interval at 95% for `successes` out of `trials`; `None` for no trials.
///
/// Method: Wilson (1927, "Probable inference, the law of succession, and statistical
/// inference", Journal of the American Statistical Association 22), one of the intervals
/// Newcombe (1998, "Two-sided confidence intervals for the single proportion: comparison
/// of seven methods", Statistics in Medicine 17) recommends. Unlike the textbook `p ± 1.96·√(p(1−p)/n)` it
/// never leaves 0 to 1 and does not collapse to a width of zero at 0 of 20 or 20 of 20.
pub fn wilson_interval(successes: u64, trials: u64) -> Option<Interval> {
    if trials == 0 || successes > trials {
        return None;
    }
    let n = trials as f64;
    let p = successes as f64 / n;
    let z2 = Z_95 * Z_95;
    let denominator = 1.0 + z2 / n;
    let centre = (p + z2 / (2.0 * n)) / denominator;
    let half_width = Z_95 * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt() / denominator;
    Some(Interval { low: (centre - half_width).max(0.0), high: (centre + half_width).min(1.0) })
}

// ---------------------------------------------------------------------------------------
// Summing months into quarters and years
// ---------------------------------------------------------------------------------------

/// The total of monthly counts over a longer period, with the months that had no figure.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodTotal {
    pub period: Period,
    /// The sum of the months that had a figure.
    pub total: u64,
    /// How many of the period's months had a figure.
    pub months_counted: usize,
    /// The months with no figure, in order. A total with missing months is a partial
    /// total and pages say so; it is never scaled up to guess the rest.
    pub missing: Vec<Period>,
}

impl PeriodTotal {
    pub fn is_complete(&self) -> bool {
        self.missing.is_empty()
    }
}

/// Sums the monthly counts that fall in `period` (a quarter or a year; a month gives
/// itself).
pub fn total_over(period: Period, monthly: &BTreeMap<Period, u64>) -> PeriodTotal {
    let mut total: u64 = 0;
    let mut months_counted = 0;
    let mut missing = Vec::new();
    for month in period.months() {
        match monthly.get(&month) {
            Some(count) => {
                total = total.saturating_add(*count);
                months_counted += 1;
            }
            None => missing.push(month),
        }
    }
    PeriodTotal { period, total, months_counted, missing }
}

// ---------------------------------------------------------------------------------------
// XmR control charts
// ---------------------------------------------------------------------------------------

/// The settings of an XmR chart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct XmrSettings {
    /// The limits are computed from the first this-many points (20), or from all of them
    /// when there are fewer. Limits from about 20 values change little as more are added;
    /// a shorter baseline gives usable but softer limits.
    pub baseline_points: usize,
    /// Fewer points than this (6) give no chart: limits from five values or fewer move
    /// too much with the next value to mark anything.
    pub min_points: usize,
    /// The length of run on one side of the centre line that signals a shift (8, as in
    /// Wheeler; NHS "Making Data Count" uses 7).
    pub run_length: usize,
    /// Clamp the lower limit at 0, for counts, rates and percentages, which cannot be
    /// negative (true).
    pub floor_at_zero: bool,
}

impl Default for XmrSettings {
    fn default() -> Self {
        XmrSettings { baseline_points: 20, min_points: 6, run_length: 8, floor_at_zero: true }
    }
}

/// Why no chart could be drawn from a series.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum XmrError {
    #[error("the series has {points} point(s); an XmR chart needs at least {needed}, so wait for {} more", .needed - .points)]
    TooFewPoints { points: usize, needed: usize },
    #[error(
        "point {index} ({period}) is a {found}, but the series is of {expected}s; chart one kind of period at a time"
    )]
    MixedPeriods { index: usize, period: Period, found: &'static str, expected: &'static str },
    #[error("point {index} ({period}) does not come after point {} ({previous}); give each period once, in order", .index - 1)]
    OutOfOrder { index: usize, period: Period, previous: Period },
    #[error("point {index} ({period}) is not a finite number")]
    NotFinite { index: usize, period: Period },
}

/// The three detection rules Wheeler gives for XmR charts, in the order this module and
/// its documentation number them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum XmrRule {
    /// Rule 1: a point beyond a natural process limit.
    OutsideLimits,
    /// Rule 2: a run of [`XmrSettings::run_length`]
    /// successive points on the same side of the centre line. A point exactly on the
    /// centre line belongs to neither side and ends a run.
    Run,
    /// Rule 3: three of four successive points beyond
    /// the halfway mark between the centre line and a limit, on the same side.
    ThreeOfFour,
}

impl XmrRule {
    pub fn label(&self) -> &'static str {
        match self {
            XmrRule::OutsideLimits => "outside the process limits",
            XmrRule::Run => "part of a run on one side of the average",
            XmrRule::ThreeOfFour => "three of four points nearer a limit than the average",
        }
    }
}

/// Which way a point signals.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Signal {
    /// Only the variation the process always shows.
    CommonCause,
    /// A special cause, higher than the process usually gives.
    High,
    /// A special cause, lower than the process usually gives.
    Low,
}

/// What a point means for a measure, given which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Variation {
    SignificantImprovement,
    SignificantDeterioration,
    NoSignificantChange,
    /// A signal on a context measure, where neither direction is better.
    SignificantChange,
}

impl Variation {
    pub fn label(&self) -> &'static str {
        match self {
            Variation::SignificantImprovement => "Significant improvement",
            Variation::SignificantDeterioration => "Significant deterioration",
            Variation::NoSignificantChange => "No significant change",
            Variation::SignificantChange => "Significant change (context measure)",
        }
    }

    /// Reads a signal with the measure's polarity.
    pub fn of(signal: Signal, polarity: Polarity) -> Self {
        match (signal, polarity) {
            (Signal::CommonCause, _) => Variation::NoSignificantChange,
            (_, Polarity::Neither) => Variation::SignificantChange,
            (Signal::High, Polarity::HigherIsBetter) | (Signal::Low, Polarity::LowerIsBetter) => {
                Variation::SignificantImprovement
            }
            (Signal::High, Polarity::LowerIsBetter) | (Signal::Low, Polarity::HigherIsBetter) => {
                Variation::SignificantDeterioration
            }
        }
    }
}

/// One point of the chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct XmrPoint {
    pub period: Period,
    pub value: f64,
    /// The absolute difference from the point before; `None` for the first point.
    pub moving_range: Option<f64>,
    /// Whether the point is one of those the limits were computed from.
    pub in_baseline: bool,
    /// The rules the point triggers, in rule order; empty for common-cause variation.
    pub rules: Vec<XmrRule>,
    pub signal: Signal,
}

impl XmrPoint {
    pub fn variation(&self, polarity: Polarity) -> Variation {
        Variation::of(self.signal, polarity)
    }
}

/// Whether the process, as it runs now, will meet a target (NHS "Making Data Count"
/// assurance).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Assurance {
    /// The whole range between the limits is on the good side of the target.
    ConsistentlyMeets,
    /// The target lies between the limits: it will be met some periods and missed in
    /// others by common-cause variation alone.
    HitAndMiss,
    /// The whole range between the limits is on the wrong side of the target: it will not
    /// be met without a change to the process.
    ConsistentlyFails,
}

impl Assurance {
    pub fn label(&self) -> &'static str {
        match self {
            Assurance::ConsistentlyMeets => "Will consistently meet the target",
            Assurance::HitAndMiss => "Will meet the target in some periods and miss it in others",
            Assurance::ConsistentlyFails => "Will not meet the target without a change",
        }
    }
}

/// An individuals and moving range (XmR) chart of one series.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct XmrChart {
    /// The first and last periods the limits were computed from.
    pub baseline: (Period, Period),
    pub baseline_points: usize,
    /// The centre line: the mean of the baseline values.
    pub mean: f64,
    /// The mean of the baseline's moving ranges.
    pub mean_moving_range: f64,
    /// Upper natural process limit: `mean + 2.66 × mean moving range`.
    pub upper_limit: f64,
    /// Lower natural process limit: `mean − 2.66 × mean moving range`, clamped at 0 when
    /// [`XmrSettings::floor_at_zero`].
    pub lower_limit: f64,
    /// The upper limit of the moving ranges: `3.268 × mean moving range`.
    pub upper_range_limit: f64,
    /// Every point, the baseline's and those after, classified against the limits.
    pub points: Vec<XmrPoint>,
}

impl XmrChart {
    /// The most recent point.
    pub fn latest(&self) -> Option<&XmrPoint> {
        self.points.last()
    }

    /// How many baseline points signal. A baseline with signals was not stable, so its
    /// limits describe a mixture; pages suggest a different baseline.
    pub fn baseline_signals(&self) -> usize {
        self.points.iter().filter(|p| p.in_baseline && p.signal != Signal::CommonCause).count()
    }

    /// Whether the process, as the limits describe it, will meet `target`; `None` for a
    /// context measure, which has no good side.
    pub fn target_assurance(&self, target: f64, polarity: Polarity) -> Option<Assurance> {
        let (meets, fails) = match polarity {
            Polarity::HigherIsBetter => (self.lower_limit >= target, self.upper_limit < target),
            Polarity::LowerIsBetter => (self.upper_limit <= target, self.lower_limit > target),
            Polarity::Neither => return None,
        };
        Some(if meets {
            Assurance::ConsistentlyMeets
        } else if fails {
            Assurance::ConsistentlyFails
        } else {
            Assurance::HitAndMiss
        })
    }
}

/// Draws an XmR chart of `series`, given oldest first with one value per period.
///
/// Method (Donald J. Wheeler, "Understanding Variation: The Key to Managing Chaos", SPC
/// Press, and "Making Sense of Data: SPC for the Service Sector", SPC Press; the NHS
/// "Making Data Count" guidance applies the same chart to public services):
///
/// - the baseline is the first [`XmrSettings::baseline_points`] values (all of them when
///   there are fewer); the centre line is their mean and the average moving range the
///   mean of the absolute differences between successive baseline values;
/// - the natural process limits are `mean ± 2.66 × average moving range`, the lower one
///   clamped at 0 for values that cannot be negative;
/// - every point is then tested against three rules: beyond a limit (rule 1); part of a
///   run of [`XmrSettings::run_length`] on one side of the centre line (rule 2); one of
///   three out of four successive points beyond the halfway mark on one side (rule 3).
///   The halfway marks are `mean ± 1.33 × average moving range`, half-way to the limits
///   before any clamping, so they keep their meaning (1.5 sigma) for small counts.
///
/// Gaps between periods are allowed (a month with no figure is simply absent), and the
/// moving range then spans the gap.
pub fn xmr(series: &[(Period, f64)], settings: &XmrSettings) -> Result<XmrChart, XmrError> {
    check_series(series)?;
    let needed = settings.min_points.max(2);
    if series.len() < needed {
        return Err(XmrError::TooFewPoints { points: series.len(), needed });
    }
    let baseline_len = series.len().min(settings.baseline_points.max(needed));
    let baseline = &series[..baseline_len];
    let mean = baseline.iter().map(|(_, v)| v).sum::<f64>() / baseline_len as f64;
    let mean_moving_range =
        baseline.windows(2).map(|w| (w[1].1 - w[0].1).abs()).sum::<f64>() / (baseline_len - 1) as f64;
    let spread = XMR_LIMIT_FACTOR * mean_moving_range;
    let upper_limit = mean + spread;
    let raw_lower = mean - spread;
    let lower_limit = if settings.floor_at_zero { raw_lower.max(0.0) } else { raw_lower };
    let limits =
        Limits { upper: upper_limit, lower: lower_limit, half_up: mean + spread / 2.0, half_down: mean - spread / 2.0 };

    let values: Vec<f64> = series.iter().map(|(_, v)| *v).collect();
    let mut rules: Vec<BTreeSet<XmrRule>> = vec![BTreeSet::new(); values.len()];
    for (index, value) in values.iter().enumerate() {
        if *value > limits.upper || *value < limits.lower {
            rules[index].insert(XmrRule::OutsideLimits);
        }
    }
    for index in runs(&values, mean, settings.run_length.max(1)) {
        rules[index].insert(XmrRule::Run);
    }
    for index in three_of_four(&values, &limits) {
        rules[index].insert(XmrRule::ThreeOfFour);
    }

    let points = series
        .iter()
        .enumerate()
        .map(|(index, (period, value))| {
            let rules: Vec<XmrRule> = rules[index].iter().copied().collect();
            let signal = if rules.is_empty() {
                Signal::CommonCause
            } else if *value > mean {
                Signal::High
            } else {
                Signal::Low
            };
            XmrPoint {
                period: *period,
                value: *value,
                moving_range: index.checked_sub(1).map(|before| (value - series[before].1).abs()),
                in_baseline: index < baseline_len,
                rules,
                signal,
            }
        })
        .collect();
    Ok(XmrChart {
        baseline: (series[0].0, series[baseline_len - 1].0),
        baseline_points: baseline_len,
        mean,
        mean_moving_range,
        upper_limit,
        lower_limit,
        upper_range_limit: XMR_RANGE_FACTOR * mean_moving_range,
        points,
    })
}

struct Limits {
    upper: f64,
    lower: f64,
    half_up: f64,
    half_down: f64,
}

fn check_series(series: &[(Period, f64)]) -> Result<(), XmrError> {
    let Some((first, _)) = series.first() else { return Ok(()) };
    let kind = first.kind();
    for (index, (period, value)) in series.iter().enumerate() {
        if period.kind() != kind {
            return Err(XmrError::MixedPeriods {
                index,
                period: *period,
                found: period.kind().label(),
                expected: kind.label(),
            });
        }
        if !value.is_finite() {
            return Err(XmrError::NotFinite { index, period: *period });
        }
        if let Some(before) = index.checked_sub(1).map(|b| series[b].0)
            && before >= *period
        {
            return Err(XmrError::OutOfOrder { index, period: *period, previous: before });
        }
    }
    Ok(())
}

/// The indices of points in a run of at least `length` on one side of `mean`.
fn runs(values: &[f64], mean: f64, length: usize) -> Vec<usize> {
    let side = |v: f64| {
        if v > mean {
            1
        } else if v < mean {
            -1
        } else {
            0
        }
    };
    let mut flagged = Vec::new();
    let mut start = 0;
    while start < values.len() {
        let this_side = side(values[start]);
        let mut end = start + 1;
        while end < values.len() && side(values[end]) == this_side {
            end += 1;
        }
        if this_side != 0 && end - start >= length {
            flagged.extend(start..end);
        }
        start = end;
    }
    flagged
}

/// The indices of points beyond a halfway mark in a window of four successive points of
/// which at least three are beyond that mark on the same side.
fn three_of_four(values: &[f64], limits: &Limits) -> BTreeSet<usize> {
    let mut flagged = BTreeSet::new();
    for start in 0..values.len().saturating_sub(3) {
        let window = start..start + 4;
        let high: Vec<usize> = window.clone().filter(|i| values[*i] > limits.half_up).collect();
        let low: Vec<usize> = window.filter(|i| values[*i] < limits.half_down).collect();
        for beyond in [high, low] {
            if beyond.len() >= 3 {
                flagged.extend(beyond);
            }
        }
    }
    flagged
}

// ---------------------------------------------------------------------------------------
// Peers
// ---------------------------------------------------------------------------------------

/// One force's or area's figure for the period being compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeerValue {
    /// `E23000014` or a force's short name: unique within the comparison.
    pub code: String,
    pub name: String,
    pub count: u64,
    pub population: Option<u64>,
    /// For a share (crimes charged out of crimes recorded), what `count` is out of. Either
    /// every member of a comparison has one or none does.
    #[serde(default)]
    pub out_of: Option<u64>,
}

/// What the comparison ranks by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerBasis {
    /// Every member has a population: ranked by rate per 1,000 residents.
    RatePer1000,
    /// At least one member has no population: ranked by count, which mostly reflects
    /// size. Pages say so.
    Count,
    /// Every member's figure is a share of its own total (`out_of`): ranked by the
    /// percentage, each with its Wilson 95% interval.
    Share,
}

/// One member of the comparison.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerRow {
    pub code: String,
    pub name: String,
    pub rate: Rate,
    /// For a share: what the count is out of, with the share's Wilson 95% interval.
    pub out_of: Option<u64>,
    pub interval: Option<Interval>,
    /// The figure ranked: the rate, the count or the percentage, as
    /// [`PeerComparison::basis`] says.
    pub value: f64,
    /// 1 for the highest value; equal values share a rank ("1, 2, 2, 4").
    pub rank: usize,
    /// Whether this is the force or area the comparison is for.
    pub chosen: bool,
}

/// Where the chosen member stands against the others.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerPosition {
    /// Higher than every peer.
    AbovePeers,
    /// Within the range the peers span (inclusive).
    WithinPeers,
    /// Lower than every peer.
    BelowPeers,
}

impl PeerPosition {
    pub fn label(&self) -> &'static str {
        match self {
            PeerPosition::AbovePeers => "higher than every peer",
            PeerPosition::WithinPeers => "within the range of its peers",
            PeerPosition::BelowPeers => "lower than every peer",
        }
    }
}

/// The chosen force or area against its peers for one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeerComparison {
    pub basis: PeerBasis,
    /// Every member, highest value first.
    pub rows: Vec<PeerRow>,
    /// The mean value of the peers, the chosen member left out.
    pub peer_mean: f64,
    pub peer_low: f64,
    pub peer_high: f64,
    pub position: PeerPosition,
}

impl PeerComparison {
    /// The chosen member's row.
    pub fn chosen(&self) -> Option<&PeerRow> {
        self.rows.iter().find(|r| r.chosen)
    }
}

/// Why a peer comparison could not be made.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PeerError {
    #[error("`{code}` is not among the figures compared; add its figure or choose one of {available}")]
    ChosenMissing { code: String, available: String },
    #[error("`{code}` appears more than once (rows {first} and {second}); give each force or area one figure")]
    Duplicate { code: String, first: usize, second: usize },
    #[error("there is nothing to compare `{code}` with; add at least one peer's figure")]
    NoPeers { code: String },
    #[error(
        "`{share}` has a share (a count out of a total) but `{count}` only a count; give every figure compared in the same form"
    )]
    MixedForms { share: String, count: String },
    #[error(
        "`{code}` has {count} out of {out_of}, which cannot be; the second figure is the total the count is part of"
    )]
    ShareAboveTotal { code: String, count: u64, out_of: u64 },
}

/// Compares the member `chosen` (a code in `values`) with the others.
///
/// Shares are compared as percentages when every member's figure is a share (each with
/// its Wilson interval, so a reader can see which differences are wider than chance);
/// otherwise rates per 1,000 residents are compared when every member has a population,
/// or else counts, and [`PeerComparison::basis`] says so, because ranking some members
/// by rate and others by count would mix two scales. The ranking itself is a plain
/// comparison of one period's figures: it makes no claim of significance, and pages show
/// the counts beside every rate or share.
pub fn compare_with_peers(chosen: &str, values: &[PeerValue]) -> Result<PeerComparison, PeerError> {
    for (index, value) in values.iter().enumerate() {
        if let Some(first) = values[..index].iter().position(|v| v.code == value.code) {
            return Err(PeerError::Duplicate { code: value.code.clone(), first, second: index });
        }
    }
    if !values.iter().any(|v| v.code == chosen) {
        return Err(PeerError::ChosenMissing {
            code: chosen.to_string(),
            available: values.iter().map(|v| format!("`{}`", v.code)).collect::<Vec<_>>().join(", "),
        });
    }
    if values.len() < 2 {
        return Err(PeerError::NoPeers { code: chosen.to_string() });
    }
    if let (Some(share), Some(count)) =
        (values.iter().find(|v| v.out_of.is_some()), values.iter().find(|v| v.out_of.is_none()))
    {
        return Err(PeerError::MixedForms { share: share.code.clone(), count: count.code.clone() });
    }
    if let Some(v) = values.iter().find(|v| v.out_of.is_some_and(|total| v.count > total)) {
        return Err(PeerError::ShareAboveTotal { code: v.code.clone(), count: v.count, out_of: v.out_of.unwrap_or(0) });
    }
    let basis = if values.iter().all(|v| v.out_of.is_some()) {
        PeerBasis::Share
    } else if values.iter().all(|v| v.population.is_some_and(|p| p > 0)) {
        PeerBasis::RatePer1000
    } else {
        PeerBasis::Count
    };
    let mut rows: Vec<PeerRow> = values
        .iter()
        .map(|v| {
            let rate = Rate::new(v.count, v.population);
            let value = match basis {
                PeerBasis::RatePer1000 => rate.per_1000.unwrap_or(0.0),
                PeerBasis::Count => v.count as f64,
                PeerBasis::Share => match v.out_of {
                    Some(total) if total > 0 => 100.0 * v.count as f64 / total as f64,
                    _ => 0.0,
                },
            };
            PeerRow {
                code: v.code.clone(),
                name: v.name.clone(),
                rate,
                out_of: v.out_of,
                interval: v.out_of.and_then(|total| wilson_interval(v.count, total)),
                value,
                rank: 0,
                chosen: v.code == chosen,
            }
        })
        .collect();
    rows.sort_by(|a, b| b.value.total_cmp(&a.value).then_with(|| a.code.cmp(&b.code)));
    let ranks: Vec<usize> =
        rows.iter().map(|row| 1 + rows.iter().filter(|other| other.value > row.value).count()).collect();
    for (row, rank) in rows.iter_mut().zip(ranks) {
        row.rank = rank;
    }
    let peers: Vec<f64> = rows.iter().filter(|r| !r.chosen).map(|r| r.value).collect();
    let peer_mean = peers.iter().sum::<f64>() / peers.len() as f64;
    let peer_low = peers.iter().copied().fold(f64::INFINITY, f64::min);
    let peer_high = peers.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let own = rows.iter().find(|r| r.chosen).map(|r| r.value).unwrap_or(peer_mean);
    let position = if own > peer_high {
        PeerPosition::AbovePeers
    } else if own < peer_low {
        PeerPosition::BelowPeers
    } else {
        PeerPosition::WithinPeers
    };
    Ok(PeerComparison { basis, rows, peer_mean, peer_low, peer_high, position })
}

// ---------------------------------------------------------------------------------------
// Formatting
// ---------------------------------------------------------------------------------------

/// `1234567` as `1,234,567`, the way counts are printed beside every rate.
pub fn group_thousands(value: u64) -> String {
    let digits = value.to_string();
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

fn signed(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

impl fmt::Display for Interval {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:.1}% to {:.1}%", self.low * 100.0, self.high * 100.0)
    }
}
