//! Numbers as a chart prints them: figures with thousands separators, coordinates to one
//! decimal place, and value axes with "nice" ticks.
//!
//! Nothing here ever prints `NaN` or `inf`: callers drop non-finite figures before they
//! get this far (a missing figure is a gap, never a zero), and the formatters fall back
//! to `0` only for values that cannot occur after that check.

/// `value` rounded to `decimals` places with thousands separators: `1,234.5`. Rounding
/// never leaves a negative zero (`-0.0` prints as `0`).
pub(crate) fn format_number(value: f64, decimals: usize) -> String {
    if !value.is_finite() {
        debug_assert!(false, "non-finite figures are dropped before formatting");
        return String::from("0");
    }
    let text = format!("{:.*}", decimals, value.abs());
    let (whole, fraction) = match text.split_once('.') {
        Some((whole, fraction)) => (whole, Some(fraction)),
        None => (text.as_str(), None),
    };
    let is_zero = text.bytes().all(|b| b == b'0' || b == b'.');
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 1);
    if value < 0.0 && !is_zero {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(digit);
    }
    if let Some(fraction) = fraction {
        out.push('.');
        out.push_str(fraction);
    }
    out
}

/// `value` rounded to one decimal place, so that no coordinate carries floating-point
/// noise (`12.300000000000001`) into the output.
pub(crate) fn round1(value: f64) -> f64 {
    if value.is_finite() { (value * 10.0).round() / 10.0 } else { 0.0 }
}

/// A coordinate as SVG text: one decimal place at most, `12` rather than `12.0`, never
/// `-0`.
pub(crate) fn coord(value: f64) -> String {
    let tenths = if value.is_finite() { (value * 10.0).round() as i64 } else { 0 };
    let sign = if tenths < 0 { "-" } else { "" };
    let magnitude = tenths.unsigned_abs();
    if magnitude % 10 == 0 {
        format!("{sign}{}", magnitude / 10)
    } else {
        format!("{sign}{}.{}", magnitude / 10, magnitude % 10)
    }
}

/// A value axis: from `min` to `max` in steps of `step`, where the step is 1, 2 or 5
/// times a power of ten and both ends are whole steps.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct Scale {
    pub min: f64,
    pub max: f64,
    pub step: f64,
    /// Decimal places the tick labels need to show the step.
    pub decimals: usize,
}

/// About this many intervals between ticks; rounding the step to 1, 2 or 5 gives three
/// to eight.
const TARGET_INTERVALS: f64 = 5.0;

impl Scale {
    /// The axis covering `low` to `high`. With `from_zero` the axis also covers 0 (counts
    /// are read against zero; a truncated axis makes small changes look large).
    /// `decimals` is the precision of the figures: a step finer than one unit of it
    /// would label ticks with digits the figures do not have, so counts (0 decimals)
    /// get whole-number steps.
    pub fn nice(low: f64, high: f64, from_zero: bool, decimals: usize) -> Scale {
        let finest = 10f64.powi(-(decimals.min(6) as i32));
        let (mut low, mut high) =
            if low.is_finite() && high.is_finite() && low <= high { (low, high) } else { (0.0, 0.0) };
        if from_zero {
            low = low.min(0.0);
            high = high.max(0.0);
        }
        if high - low < finest {
            // One value (or only zeros): give the axis some height around it.
            let pad = (high.abs() * 0.1).max(finest);
            if from_zero && low >= 0.0 {
                high += pad;
            } else {
                low -= pad;
                high += pad;
            }
        }
        let raw = ((high - low) / TARGET_INTERVALS).max(finest);
        let exponent = raw.log10().floor() as i32;
        let magnitude = 10f64.powi(exponent);
        let fraction = raw / magnitude;
        // The nearest of 1, 2, 5 and 10 on a roughly logarithmic scale (Heckbert's
        // thresholds); always rounding up would leave as few as two intervals.
        let (multiple, exponent) = match fraction {
            f if f < 1.5 => (1.0, exponent),
            f if f < 3.0 => (2.0, exponent),
            f if f < 7.0 => (5.0, exponent),
            _ => (1.0, exponent + 1),
        };
        let step = multiple * 10f64.powi(exponent);
        // The tolerance keeps a value that is a whole number of steps (200 / 50) from
        // being pushed a step further by floating-point error in the division.
        let min = (low / step + 1e-9).floor() * step;
        let max = (high / step - 1e-9).ceil() * step;
        Scale { min, max, step, decimals: usize::try_from(-exponent).unwrap_or(0) }
    }

    /// The tick values, lowest first.
    pub fn ticks(&self) -> Vec<f64> {
        let count = ((self.max - self.min) / self.step).round() as i64;
        let first = (self.min / self.step).round() as i64;
        (0..=count).map(|i| (first + i) as f64 * self.step).collect()
    }

    /// Where `value` sits between `bottom` (at `min`) and `top` (at `max`), rounded.
    pub fn position(&self, value: f64, top: f64, bottom: f64) -> f64 {
        let span = self.max - self.min;
        let share = if span > 0.0 { (value - self.min) / span } else { 0.0 };
        round1(bottom - share * (bottom - top))
    }

    /// A tick label: `1,000`, `0.5`.
    pub fn label(&self, value: f64) -> String {
        format_number(value, self.decimals)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_are_grouped_rounded_and_never_negative_zero() {
        assert_eq!(format_number(1234567.0, 0), "1,234,567");
        assert_eq!(format_number(999.0, 0), "999");
        assert_eq!(format_number(52.8333, 2), "52.83");
        assert_eq!(format_number(-1234.56, 1), "-1,234.6");
        assert_eq!(format_number(-0.04, 1), "0.0");
        assert_eq!(format_number(-0.0, 0), "0");
        assert_eq!(format_number(0.5, 0), "0");
        assert_eq!(format_number(2.5, 0), "2");
    }

    #[test]
    fn coordinates_have_one_decimal_place_at_most() {
        assert_eq!(coord(0.1 + 12.2), "12.3");
        assert_eq!(coord(12.0), "12");
        assert_eq!(coord(-0.04), "0");
        assert_eq!(coord(-0.5), "-0.5");
        assert_eq!(coord(-12.25), "-12.3");
        assert_eq!(round1(0.1 + 0.2), 0.3);
    }

    #[test]
    fn counts_get_whole_steps_of_one_two_or_five() {
        // 41 to 60 from zero: a fifth of 60 is 12, nearest 10.
        let scale = Scale::nice(41.0, 60.0, true, 0);
        assert_eq!((scale.min, scale.max, scale.step, scale.decimals), (0.0, 60.0, 10.0, 0));
        assert_eq!(scale.ticks(), [0.0, 10.0, 20.0, 30.0, 40.0, 50.0, 60.0]);
        // Without zero: 41 to 60 spans 19, a fifth is 3.8, nearest 5.
        let scale = Scale::nice(41.0, 60.0, false, 0);
        assert_eq!((scale.min, scale.max, scale.step), (40.0, 60.0, 5.0));
        assert_eq!(scale.ticks(), [40.0, 45.0, 50.0, 55.0, 60.0]);
        // 0 to 1,234: a fifth is 246.8, nearest 200; the top rounds up to 1,400.
        let scale = Scale::nice(0.0, 1234.0, true, 0);
        assert_eq!((scale.min, scale.max, scale.step), (0.0, 1400.0, 200.0));
        assert_eq!(scale.label(1000.0), "1,000");
    }

    #[test]
    fn small_rates_get_decimal_steps_without_noise() {
        let scale = Scale::nice(0.2, 0.9, true, 2);
        assert_eq!((scale.step, scale.decimals), (0.2, 1));
        let labels: Vec<String> = scale.ticks().iter().map(|t| scale.label(*t)).collect();
        assert_eq!(labels, ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"]);
    }

    #[test]
    fn a_flat_series_still_gets_an_axis_with_height() {
        let zeros = Scale::nice(0.0, 0.0, true, 0);
        assert_eq!((zeros.min, zeros.max, zeros.step), (0.0, 1.0, 1.0));
        let flat = Scale::nice(50.0, 50.0, false, 0);
        assert!(flat.min < 50.0 && flat.max > 50.0, "{flat:?}");
        let negative = Scale::nice(-12.0, 30.0, true, 0);
        assert_eq!((negative.min, negative.max, negative.step), (-20.0, 30.0, 10.0));
    }

    #[test]
    fn positions_run_from_the_bottom_up() {
        let scale = Scale::nice(0.0, 60.0, true, 0);
        assert_eq!(scale.position(0.0, 32.0, 272.0), 272.0);
        assert_eq!(scale.position(60.0, 32.0, 272.0), 32.0);
        assert_eq!(scale.position(45.0, 32.0, 272.0), 92.0);
    }
}
