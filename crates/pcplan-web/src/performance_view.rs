//! The figures of a body's measures as every performance page shows them: the plan a
//! body is monitored against ([`Monitored`]), what it has stored about its measures
//! ([`BodyFigures`], loaded once per page), each figure in words with the counts behind
//! it, and one measure's summary for an area up to a date ([`summarise`]): its latest
//! figure, the change from the same period last year with its test, and what its XmR
//! chart says.
//!
//! The staff dashboard, the public area pages, the board performance report and the
//! draft annual report all read figures through here, so a figure never reads one way
//! on a page and another in a report. The statistics are `pcplan_domain::stats`'s
//! (docs/performance-statistics.md); this module only picks the series and words them.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use pcplan_charts::{Options, Point, SeriesChart, Svg, axis_label};
use pcplan_domain::grade::GradeScale;
use pcplan_domain::peer::Peer;
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::plan::{Ambition, Measure};
use pcplan_domain::rollup::StatusUpdate;
use pcplan_domain::stats::{
    self, Assurance, Change, Rate, Share, StatsRules, Variation, XmrChart, XmrRule, XmrSettings, format_rate,
    group_thousands,
};
use pcplan_domain::{Body, BodyId, Item, ItemId, Plan, Polarity, RecordKind, Status};
use pcplan_store::{Observation, Store, StoredGrade, StoredUpdate};

use crate::AppState;
use crate::error::PageError;
use crate::staff::version_label;

// ---------------------------------------------------------------------------------------
// The plan monitored
// ---------------------------------------------------------------------------------------

/// A body and the plan it is monitored against.
pub(crate) struct Monitored {
    pub body: Body,
    pub plan: Plan,
    /// `Version 4: Plan as varied (Varied, 1 April 2014)`, or `Working draft`.
    pub label: String,
    /// Nothing has been issued, so this is the working draft.
    pub draft: bool,
    /// The forces and areas the body compares its figures with, by name.
    pub peers: Vec<Peer>,
}

impl Monitored {
    /// The name of the place a figure is for: the whole force area (`""`), one of the
    /// body's areas, or one of its peers (`Staffordshire (peer)`).
    pub(crate) fn area_name(&self, code: &str) -> String {
        if code.is_empty() {
            return String::from("Whole force area");
        }
        if let Some(area) = self.body.areas.iter().find(|a| a.code == code) {
            return area.name.clone();
        }
        self.peer(code).map_or_else(|| code.to_string(), |p| format!("{} (peer)", p.name))
    }

    /// The peer with this code.
    pub(crate) fn peer(&self, code: &str) -> Option<&Peer> {
        self.peers.iter().find(|p| p.code == code)
    }

    /// The items of one kind, in plan order.
    pub(crate) fn items_of(&self, kind: RecordKind) -> impl Iterator<Item = &Item> {
        self.plan.items.iter().filter(move |i| i.record.kind() == kind)
    }
}

/// The body named by `raw` (a body id), or the site body when `raw` is empty; `None`
/// when no body is stored at all.
pub(crate) async fn chosen_body(state: &AppState, raw: Option<&str>) -> Result<Option<Body>, PageError> {
    let id = match raw.map(str::trim).filter(|r| !r.is_empty()) {
        Some(raw) => Some(raw.parse::<BodyId>().map_err(|_| PageError::NotFound)?),
        None => state.store.site_body().await?,
    };
    match id {
        Some(id) => Ok(Some(state.store.body(id).await?.ok_or(PageError::NotFound)?)),
        None => Ok(None),
    }
}

/// The plan `body` is monitored against: its plan in force, or, before anything is
/// issued, the working draft of its latest plan; `None` when it has no plan.
pub(crate) async fn monitored(store: &Store, body: Body) -> Result<Option<Monitored>, PageError> {
    if let Some(public) = crate::public::find_body_plan(store, body.id).await?
        && let Some(current) = public.current()
        && let Some(version) = store.version(public.plan_id, current.number).await?
    {
        let peers = store.peers(body.id).await?;
        return Ok(Some(Monitored {
            label: version_label(&version.meta),
            plan: version.plan,
            body,
            draft: false,
            peers,
        }));
    }
    let latest = store.plans().await?.into_iter().filter(|p| p.body_id == body.id).max_by_key(|p| p.starts_on);
    let Some(summary) = latest else { return Ok(None) };
    let Some(plan) = store.plan(summary.id).await? else { return Ok(None) };
    let peers = store.peers(body.id).await?;
    Ok(Some(Monitored { body, plan, label: String::from("Working draft"), draft: true, peers }))
}

/// The item `raw` names in the plan in force of any body, with that plan; a 404 when
/// it is in none of them or is not of one of `kinds`.
pub(crate) async fn find_item(
    state: &AppState,
    raw: &str,
    kinds: &[RecordKind],
) -> Result<(Monitored, ItemId), PageError> {
    let id: ItemId = raw.parse().map_err(|_| PageError::NotFound)?;
    for body in state.store.bodies().await? {
        let Some(found) = monitored(&state.store, body).await? else { continue };
        if let Some(item) = found.plan.item(id) {
            if !kinds.contains(&item.record.kind()) {
                return Err(PageError::NotFound);
            }
            return Ok((found, id));
        }
    }
    Err(PageError::NotFound)
}

/// Each item's status from its latest update, for the items of `plan`.
pub(crate) fn latest_statuses(plan: &Plan, updates: &[StoredUpdate]) -> BTreeMap<ItemId, Status> {
    let mut by_item: BTreeMap<ItemId, Vec<StatusUpdate>> = BTreeMap::new();
    for stored in updates {
        if plan.item(stored.item_id).is_some() {
            by_item.entry(stored.item_id).or_default().push(stored.update.clone());
        }
    }
    by_item.into_iter().filter_map(|(id, list)| StatusUpdate::latest(&list).map(|u| (id, u.status))).collect()
}

// ---------------------------------------------------------------------------------------
// Figures in words
// ---------------------------------------------------------------------------------------

/// A figure as people read it: `1,234`, `13.8`, `-2.25`; at most two decimals, no
/// trailing zeros.
pub(crate) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let grouped = group_thousands(value.abs() as u64);
        return if value < 0.0 { format!("-{grouped}") } else { grouped };
    }
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A figure with its unit: `13.8%`, `1,234 crimes`, `1 crime`, `4.5 days`.
pub(crate) fn with_unit(value: f64, unit: &str) -> String {
    match unit.trim() {
        "" => number(value),
        "%" => format!("{}%", number(value)),
        // Units are written as plurals (`crimes`, `days`); one of them is singular.
        unit if value == 1.0 && unit.len() > 1 && unit.ends_with('s') => format!("1 {}", &unit[..unit.len() - 1]),
        unit => format!("{} {unit}", number(value)),
    }
}

/// The value as a count, when it is one: a whole number of 0 or more, not a percentage.
pub(crate) fn as_count(value: f64, unit: &str) -> Option<u64> {
    (unit.trim() != "%" && value >= 0.0 && value.fract() == 0.0 && value < 1e15).then_some(value as u64)
}

/// The counts of a share, when both were given.
pub(crate) fn share_of(o: &Observation) -> Option<Share> {
    let (n, d) = (u64::try_from(o.numerator?).ok()?, u64::try_from(o.denominator?).ok()?);
    Share::new(n, d, &StatsRules::default()).ok()
}

/// An observation's figure with the counts behind it and, for a count in an area whose
/// population is known, its rate per 1,000 residents; and the warning to show beside it.
pub(crate) fn figure(o: &Observation, unit: &str, population: Option<u64>) -> (String, Option<String>) {
    if let Some(share) = share_of(o) {
        return (format!("{}: {}", with_unit(o.value, unit), share.describe()), share.small_denominator);
    }
    let shown = with_unit(o.value, unit);
    if let Some(count) = o.numerator.and_then(|n| u64::try_from(n).ok()) {
        return (format!("{shown} (count {})", group_thousands(count)), None);
    }
    if unit.trim() == "%" {
        return (
            shown,
            Some(String::from("No counts were given with this percentage, so how much it rests on is unknown.")),
        );
    }
    match (as_count(o.value, unit), population) {
        (Some(count), Some(_)) => match Rate::new(count, population).per_1000 {
            Some(rate) => (format!("{shown} ({} per 1,000 residents)", format_rate(rate)), None),
            None => (shown, None),
        },
        _ => (shown, None),
    }
}

/// The change from the same period last year, in words, and its warning.
pub(crate) fn change_words(now: &Observation, before: &Observation, unit: &str) -> (String, Option<String>) {
    if let (Some(a), Some(b)) = (share_of(now), share_of(before)) {
        let warning = a.small_denominator.clone().or(b.small_denominator.clone());
        return (
            format!(
                "{} against {}. A change in a share is not tested for significance here; the 95% intervals show how \
                 uncertain each is.",
                a.describe(),
                b.describe()
            ),
            warning,
        );
    }
    match (as_count(now.value, unit), as_count(before.value, unit)) {
        (Some(a), Some(b)) => {
            let change = Change::between(a, b, &StatsRules::default());
            (change.describe(), change.small_numbers)
        }
        _ => {
            let difference = now.value - before.value;
            let movement = if difference == 0.0 {
                String::from("no change")
            } else if difference > 0.0 {
                format!("up {}", number(difference))
            } else {
                format!("down {}", number(-difference))
            };
            (
                format!(
                    "{} against {}: {movement}. Not counts, so the change is not tested for significance.",
                    with_unit(now.value, unit),
                    with_unit(before.value, unit)
                ),
                None,
            )
        }
    }
}

/// What the latest point of an XmR chart says, with the rules it triggers:
/// `Significant improvement (run of 8 below the centre line)`.
pub(crate) fn reading(chart: &XmrChart, polarity: Polarity) -> String {
    let Some(latest) = chart.latest() else { return String::new() };
    let label = latest.variation(polarity).label();
    if latest.rules.is_empty() {
        return label.to_string();
    }
    let above = latest.value > chart.mean;
    let (side, limit) = if above { ("above", "upper") } else { ("below", "lower") };
    let reasons: Vec<String> = latest
        .rules
        .iter()
        .map(|rule| match rule {
            XmrRule::OutsideLimits => format!("{side} the {limit} process limit"),
            XmrRule::Run => format!("run of {} {side} the centre line", run_length(chart, above)),
            XmrRule::ThreeOfFour => format!("three of four points nearer the {limit} limit than the centre line"),
        })
        .collect();
    format!("{label} ({})", reasons.join("; "))
}

/// How many points, counted back from the latest, lie on the latest point's side.
pub(crate) fn run_length(chart: &XmrChart, above: bool) -> usize {
    chart.points.iter().rev().take_while(|p| if above { p.value > chart.mean } else { p.value < chart.mean }).count()
}

/// The length of period a measure's series is charted in: its frequency's, when it has
/// force-wide figures of that length, else the length most of them have.
pub(crate) fn series_kind(measure: &Measure, observations: &[&Observation]) -> PeriodKind {
    let mut counts: BTreeMap<PeriodKind, usize> = BTreeMap::new();
    for o in observations.iter().filter(|o| o.area_code.is_empty()) {
        if let Ok(period) = o.period.parse::<Period>() {
            *counts.entry(period.kind()).or_default() += 1;
        }
    }
    let own = PeriodKind::for_frequency(measure.frequency);
    if counts.contains_key(&own) || counts.is_empty() {
        return own;
    }
    counts.into_iter().max_by_key(|(kind, n)| (*n, std::cmp::Reverse(*kind))).map_or(own, |(kind, _)| kind)
}

/// The observations of one area in periods of `kind`, oldest first.
pub(crate) fn series<'a>(
    observations: &[&'a Observation],
    area: &str,
    kind: PeriodKind,
) -> Vec<(Period, &'a Observation)> {
    let mut out: Vec<(Period, &Observation)> = observations
        .iter()
        .filter(|o| o.area_code == area)
        .filter_map(|o| o.period.parse::<Period>().ok().filter(|p| p.kind() == kind).map(|p| (p, *o)))
        .collect();
    out.sort_by_key(|(p, _)| *p);
    out
}

/// The XmR chart of a series, or why there is none.
pub(crate) fn control_chart(series: &[(Period, &Observation)]) -> Result<XmrChart, stats::XmrError> {
    let values: Vec<(Period, f64)> = series.iter().map(|(p, o)| (*p, o.value)).collect();
    stats::xmr(&values, &XmrSettings::default())
}

/// The whole force area's population: the sum of the body's areas, when every one of
/// them has a figure.
pub(crate) fn force_population(body: &Body, populations: &BTreeMap<String, u64>) -> Option<u64> {
    if body.areas.is_empty() {
        return None;
    }
    body.areas.iter().map(|a| populations.get(&a.code).copied()).sum()
}

/// The target of an ambition, when it is a number.
pub(crate) fn target_of(measure: &Measure) -> Option<f64> {
    match measure.ambition {
        Ambition::Target { value, .. } => Some(value),
        Ambition::Direction { .. } => None,
    }
}

/// A measure's ambition in words: `Target: 85% by 31 March 2025`, `Direction of travel: reduce`.
pub(crate) fn ambition_words(measure: &Measure) -> String {
    match &measure.ambition {
        Ambition::Target { value, by: Some(by) } => {
            format!("Target: {} by {}", with_unit(*value, &measure.unit), crate::staff::outline::long_date(*by))
        }
        Ambition::Target { value, by: None } => format!("Target: {}", with_unit(*value, &measure.unit)),
        Ambition::Direction { direction } => format!("Direction of travel: {}", direction.as_str()),
    }
}

/// A grade as a GOV.UK tag: its label inside, the colour from the scale.
#[derive(Clone, Debug)]
pub struct GradeTag {
    pub label: String,
    pub class: &'static str,
    pub period: String,
}

/// The tag of a stored grade on the body's scales; a grade whose scale is gone keeps
/// its code, in grey.
pub(crate) fn grade_tag(grade: &StoredGrade, scales: &[GradeScale]) -> GradeTag {
    let found = scales.iter().find(|s| s.name() == grade.scale).and_then(|s| s.grade(&grade.entry.grade));
    GradeTag {
        label: found.map_or_else(|| grade.entry.grade.clone(), |g| g.label.clone()),
        class: found.map_or("govuk-tag--grey", |g| g.colour.govuk_tag_class()),
        period: grade.entry.period.label(),
    }
}

/// The objectives each milestone counts towards: those above it, and those it or any
/// item above it serves, as the roll-up counts them.
pub(crate) fn objectives_of(plan: &Plan, milestone: &Item) -> BTreeSet<ItemId> {
    let mut out = BTreeSet::new();
    let mut cursor = Some(milestone);
    let mut steps = 0;
    while let Some(item) = cursor {
        if item.record.kind() == RecordKind::Objective {
            out.insert(item.id);
        }
        for target in &item.serves {
            if plan.item(*target).is_some_and(|t| t.record.kind() == RecordKind::Objective) {
                out.insert(*target);
            }
        }
        steps += 1;
        // Parents never loop in a validated plan; the guard stops a broken one.
        cursor = if steps > plan.items.len() { None } else { item.parent.and_then(|p| plan.item(p)) };
    }
    out
}

// ---------------------------------------------------------------------------------------
// One measure, summarised
// ---------------------------------------------------------------------------------------

/// What a body has stored about its measures, loaded once for a page or a report.
pub(crate) struct BodyFigures {
    pub observations: Vec<Observation>,
    pub grades: Vec<StoredGrade>,
    pub scales: Vec<GradeScale>,
    /// Each computed measure's feed, in words.
    pub feeds: BTreeMap<ItemId, String>,
    /// Residents per area code.
    pub populations: BTreeMap<String, u64>,
}

impl BodyFigures {
    pub(crate) async fn load(store: &Store, body: &Body) -> Result<Self, PageError> {
        let id = body.id;
        Ok(BodyFigures {
            observations: store.body_observations(id).await?,
            grades: store.grades(id).await?,
            scales: store.grade_scales(id).await?,
            feeds: store.measure_feeds(id).await?.into_iter().map(|(m, f)| (m, f.describe())).collect(),
            populations: store
                .populations(id)
                .await?
                .into_iter()
                .map(|p| (p.code, u64::try_from(p.population).unwrap_or(0)))
                .collect(),
        })
    }

    /// The observations of one measure, every area.
    pub(crate) fn of_measure(&self, measure: ItemId) -> Vec<&Observation> {
        self.observations.iter().filter(|o| o.measure_id == measure).collect()
    }

    /// The residents of an area; for `""`, the whole force area's, when every area has a figure.
    pub(crate) fn population(&self, body: &Body, area: &str) -> Option<u64> {
        if area.is_empty() { force_population(body, &self.populations) } else { self.populations.get(area).copied() }
    }

    /// The latest grade of an item for a period ending on or before `until` (any, when `None`).
    pub(crate) fn latest_grade(&self, item: ItemId, until: Option<NaiveDate>) -> Option<&StoredGrade> {
        self.grades
            .iter()
            .filter(|g| g.item_id == item && until.is_none_or(|d| g.entry.period.end() <= d))
            .max_by_key(|g| (g.entry.period.end(), g.graded_at))
    }
}

/// One measure's figures for one area, as of a date.
#[derive(Clone, Debug, Default)]
pub(crate) struct MeasureSummary {
    /// The latest period with a figure; `None` when there is none.
    pub period: Option<Period>,
    /// The latest figure with its counts or rate, or `No figures yet`.
    pub latest: String,
    /// The small-number warning and the figure's own note, when it has either.
    pub latest_warning: Option<String>,
    /// `April 2021: 1,204 crimes against 1,100: up 9%, …`, or why there is no comparison.
    pub last_year: String,
    pub change_warning: Option<String>,
    /// What the XmR chart says of the latest point, or why there is no chart.
    pub reading: String,
    /// The latest point's variation, when a chart could be drawn.
    pub variation: Option<Variation>,
    /// Whether the process will meet a numeric target, when there is one and a chart.
    pub assurance: Option<String>,
    /// The whole range between the process limits is on the wrong side of the target.
    pub assurance_fails: bool,
}

/// Summarises a measure for `area` (`""` for the whole force area) from its observations
/// of periods ending on or before `until` (all of them when `None`), charted in the
/// measure's own period length.
pub(crate) fn summarise(
    measure: &Measure,
    own: &[&Observation],
    area: &str,
    population: Option<u64>,
    until: Option<NaiveDate>,
) -> MeasureSummary {
    let kind = series_kind(measure, own);
    let mut line = series(own, area, kind);
    if let Some(until) = until {
        line.retain(|(p, _)| p.end() <= until);
    }
    let mut summary = MeasureSummary { latest: String::from("No figures yet"), ..MeasureSummary::default() };
    let Some((period, latest)) = line.last() else { return summary };
    summary.period = Some(*period);
    let (words, warning) = figure(latest, &measure.unit, population);
    summary.latest = words;
    // A figure's own note (a computed charge share's "outcomes still coming in", or what
    // staff wrote beside it) is read with the figure, as its warning is.
    let note = Some(latest.note.trim()).filter(|n| !n.is_empty()).map(str::to_string);
    summary.latest_warning = match (warning, note) {
        (Some(w), Some(n)) => Some(format!("{w} {n}")),
        (w, n) => w.or(n),
    };
    let earlier = period.same_period_last_year();
    match earlier.and_then(|e| line.iter().find(|(p, _)| *p == e)) {
        Some((before_period, before)) => {
            let (words, warning) = change_words(latest, before, &measure.unit);
            summary.last_year = format!("{}: {words}", before_period.label());
            summary.change_warning = warning;
        }
        None => summary.last_year = earlier.map_or_else(String::new, |e| format!("No figure for {}", e.label())),
    }
    match control_chart(&line) {
        Ok(chart) => {
            summary.reading = reading(&chart, measure.polarity);
            summary.variation = chart.latest().map(|p| p.variation(measure.polarity));
            let own_kind = kind == PeriodKind::for_frequency(measure.frequency);
            let assurance =
                target_of(measure).filter(|_| own_kind).and_then(|t| chart.target_assurance(t, measure.polarity));
            summary.assurance = assurance.map(|a| a.label().to_string());
            summary.assurance_fails = assurance == Some(Assurance::ConsistentlyFails);
        }
        Err(e) => summary.reading = crate::staff::sentence(&format!("no control chart: {e}")),
    }
    summary
}

// ---------------------------------------------------------------------------------------
// Charts
// ---------------------------------------------------------------------------------------

/// Every period from `first` to `last`, with the figure where `figures` has one and a
/// gap where it does not.
pub(crate) fn gap_filled(figures: &BTreeMap<Period, f64>, first: Period, last: Period) -> Vec<Point> {
    let mut points = Vec::new();
    let mut period = first;
    loop {
        points.push(Point::new(period.label(), figures.get(&period).copied()).with_axis_label(axis_label(period)));
        match period.next() {
            Some(next) if period < last => period = next,
            _ => break,
        }
    }
    points
}

/// Whole figures when every figure is whole, one decimal otherwise.
pub(crate) fn decimals(observations: &[(Period, &Observation)]) -> usize {
    usize::from(observations.iter().any(|(_, o)| o.value.fract() != 0.0))
}

/// A measure's series chart for one place (`whole force area`, `Leicester`), with what
/// to say beside it: the XmR reading, where the limits come from, the target's assurance
/// and why a baseline or target is not drawn.
pub(crate) fn series_chart(
    measure: &Measure,
    line: &[(Period, &Observation)],
    kind: PeriodKind,
    place: &str,
    options: &Options,
) -> (Svg, Vec<String>) {
    let mut notes = Vec::new();
    let own_kind = PeriodKind::for_frequency(measure.frequency);
    if kind != own_kind && !line.is_empty() {
        notes.push(format!(
            "The measure is reported by {}, but its figures are for each {}: they are charted as they are, not summed, \
             and its target is not drawn.",
            own_kind.label(),
            kind.label()
        ));
    }
    let title = format!("{}: {place}", measure.title);
    let mut chart = match control_chart(line) {
        Ok(xmr) => {
            notes.push(format!("The latest figure: {}.", reading(&xmr, measure.polarity)));
            let (from, to) = xmr.baseline;
            notes.push(format!(
                "The centre line and process limits come from the first {} periods ({} to {}).",
                xmr.baseline_points,
                from.label(),
                to.label()
            ));
            if xmr.baseline_signals() > 0 {
                notes.push(format!(
                    "{} of those periods signal themselves, so the baseline mixes two levels; read the limits with care.",
                    xmr.baseline_signals()
                ));
            }
            if let Some(target) = target_of(measure).filter(|_| kind == own_kind)
                && let Some(assurance) = xmr.target_assurance(target, measure.polarity)
            {
                notes.push(format!(
                    "Against the target of {}: {}.",
                    with_unit(target, &measure.unit),
                    assurance.label()
                ));
            }
            SeriesChart::from_xmr(title, measure.unit.clone(), &xmr, measure.polarity)
        }
        Err(e) => {
            if !line.is_empty() {
                notes.push(format!("Process limits are not drawn: {}.", e));
            }
            let figures: BTreeMap<Period, f64> = line.iter().map(|(p, o)| (*p, o.value)).collect();
            let points = match (line.first(), line.last()) {
                (Some((first, _)), Some((last, _))) => gap_filled(&figures, *first, *last),
                _ => Vec::new(),
            };
            let mut plain = SeriesChart::new(title, measure.unit.clone(), points);
            plain.polarity = measure.polarity;
            plain
        }
    };
    chart.description = measure.definition.clone();
    chart.decimals = decimals(line);
    // A target is per period of the measure's own frequency; a baseline is drawn only
    // when it covers a period of the length charted (an annual baseline on a monthly
    // chart would sit far above every point).
    if kind == own_kind {
        chart.target = target_of(measure);
    }
    if let Some(baseline) = &measure.baseline {
        match baseline.period.parse::<Period>() {
            Ok(period) if period.kind() == kind => chart.baseline = Some(baseline.value),
            _ => notes.push(format!(
                "The baseline ({} for {}) covers a different length of period from the chart, so it is not drawn.",
                with_unit(baseline.value, &measure.unit),
                baseline.period
            )),
        }
    }
    (chart.render(options), notes)
}

#[cfg(test)]
mod tests {
    use pcplan_domain::Polarity;
    use pcplan_domain::stats::XmrSettings;

    use super::*;

    #[test]
    fn figures_have_grouped_thousands_and_no_trailing_zeros() {
        assert_eq!(number(1234.0), "1,234");
        assert_eq!(number(13.80), "13.8");
        assert_eq!(number(-2.25), "-2.25");
        assert_eq!(with_unit(13.8, "%"), "13.8%");
        assert_eq!(with_unit(52.0, "crimes"), "52 crimes");
        assert_eq!(with_unit(1.0, "crimes"), "1 crime");
        assert_eq!(as_count(52.0, "crimes"), Some(52));
        assert_eq!(as_count(52.5, "crimes"), None);
        assert_eq!(as_count(52.0, "%"), None);
    }

    fn period(text: &str) -> Period {
        text.parse().unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn the_reading_names_the_rule_and_the_length_of_the_run() {
        // The burglary series of docs/performance-statistics.md: the last eight months
        // sit below the centre line of the first twelve.
        let values = [52, 47, 60, 55, 49, 58, 51, 46, 57, 53, 50, 56, 44, 43, 48, 42, 45, 41, 47, 43];
        let mut month = period("2022-04");
        let mut series = Vec::new();
        for v in values {
            series.push((month, f64::from(v)));
            month = month.next().unwrap_or(month);
        }
        let settings = XmrSettings { baseline_points: 12, ..XmrSettings::default() };
        let chart = stats::xmr(&series, &settings).expect("a chart");
        assert_eq!(
            reading(&chart, Polarity::LowerIsBetter),
            "Significant improvement (run of 8 below the centre line)"
        );
        assert_eq!(
            reading(&chart, Polarity::HigherIsBetter),
            "Significant deterioration (run of 8 below the centre line)"
        );
    }
}
