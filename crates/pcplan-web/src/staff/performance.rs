//! The staff pages of delivery and performance, under `/staff/performance`: the
//! dashboard of a body's plan in force (its measures with their latest figures, the
//! same period last year and what the series says; overdue milestones; progress per
//! objective and priority; milestone statuses as a chart), each measure's page
//! (`measure`), the status updates of milestones and commitments (`status`) and the
//! police.uk crime data with the LSOA lookup (`crime`).
//!
//! The plan monitored is the body's plan in force: the latest issued or varied version
//! of its latest plan, as the public sees it; before anything is issued, the working
//! draft, and the pages say so. Figures are shown by the rules of
//! `pcplan_domain::stats` (docs/performance-statistics.md): the count beside every rate
//! and share, a warning where numbers are small, a change called significant only by a
//! test, and a series read on an XmR chart rather than any movement coloured red.
//!
//! Viewers read every page; editors and administrators change things, and every POST
//! checks the role before it reads anything else. This module holds no SQL, no
//! statistics and no drawing: the store, the domain and `pcplan-charts` do those.

mod crime;
mod measure;
mod status;

use std::collections::{BTreeMap, BTreeSet};

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use pcplan_charts::{Options, StatusBars, StatusCounts, StatusRow};
use pcplan_domain::grade::GradeScale;
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::plan::{Ambition, Measure};
use pcplan_domain::rollup::{StatusUpdate, overdue_milestones, roll_up};
use pcplan_domain::stats::{
    self, Change, Rate, Share, StatsRules, XmrChart, XmrRule, XmrSettings, format_rate, group_thousands,
};
use pcplan_domain::{Body, BodyId, Item, ItemId, Plan, Polarity, Record, RecordKind, Status};
use pcplan_store::{Observation, StoredGrade, StoredUpdate};
use serde::Deserialize;

use super::outline::{Tag, long_date, status_tag};
use super::{Crumb, version_label};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// The dashboard.
pub const DASHBOARD: &str = "/staff/performance";

/// The routes of this module. The upload routes count their files themselves, so the
/// default body limit is off for them; `lib.rs` holds them to
/// [`crate::performance_work::CRIME_UPLOAD_MAX_BYTES`].
pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(DASHBOARD, get(dashboard))
        .route("/staff/performance/measures/{item}", get(measure::page))
        .route("/staff/performance/measures/{item}/observations", post(measure::add_observation))
        .route("/staff/performance/measures/{item}/observations/delete", post(measure::delete_observation))
        .route("/staff/performance/measures/{item}/feed", post(measure::set_feed))
        .route("/staff/performance/measures/{item}/grades", post(measure::grade))
        .route("/staff/performance/items/{item}/status", get(status::page).post(status::add))
        .route(crime::PATH, get(crime::page).post(crime::upload).layer(DefaultBodyLimit::disable()))
        .route(crime::LOOKUP_PATH, post(crime::load_lookup).layer(DefaultBodyLimit::disable()))
}

/// `/staff/performance/measures/{id}`.
pub fn measure_path(id: ItemId) -> String {
    format!("{DASHBOARD}/measures/{id}")
}

/// `/staff/performance/items/{id}/status`.
pub fn status_path(id: ItemId) -> String {
    format!("{DASHBOARD}/items/{id}/status")
}

/// `path?body={id}`: the pages of a body other than the site's carry it.
fn with_body(path: &str, body: BodyId) -> String {
    format!("{path}?body={body}")
}

/// The query of the dashboard and the crime page: which body, and the banner to show.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct BodyQuery {
    #[serde(default)]
    pub body: Option<String>,
    #[serde(default)]
    pub done: Option<String>,
}

/// Staff, then Performance: the start of every performance page's breadcrumbs.
fn trail(body: BodyId) -> Vec<Crumb> {
    vec![Crumb::new("Staff", "/staff"), Crumb::new("Performance", with_body(DASHBOARD, body))]
}

// ---------------------------------------------------------------------------------------
// The plan monitored
// ---------------------------------------------------------------------------------------

/// A body and the plan it is monitored against.
pub(super) struct Monitored {
    pub body: Body,
    pub plan: Plan,
    /// `Version 4: Plan as varied (Varied, 1 April 2014)`, or `Working draft`.
    pub label: String,
    /// Nothing has been issued, so this is the working draft.
    pub draft: bool,
}

impl Monitored {
    /// The body's areas by code.
    fn area_name(&self, code: &str) -> String {
        if code.is_empty() {
            return String::from("Whole force area");
        }
        self.body.areas.iter().find(|a| a.code == code).map_or_else(|| code.to_string(), |a| a.name.clone())
    }

    /// The items of one kind, in plan order.
    fn items_of(&self, kind: RecordKind) -> impl Iterator<Item = &Item> {
        self.plan.items.iter().filter(move |i| i.record.kind() == kind)
    }
}

/// The body named by `raw` (a body id), or the site body when `raw` is empty; `None`
/// when no body is stored at all.
async fn chosen_body(state: &AppState, raw: Option<&str>) -> Result<Option<Body>, PageError> {
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
async fn monitored(state: &AppState, body: Body) -> Result<Option<Monitored>, PageError> {
    if let Some(public) = crate::public::find_body_plan(&state.store, body.id).await?
        && let Some(current) = public.current()
        && let Some(version) = state.store.version(public.plan_id, current.number).await?
    {
        return Ok(Some(Monitored { label: version_label(&version.meta), plan: version.plan, body, draft: false }));
    }
    let latest = state.store.plans().await?.into_iter().filter(|p| p.body_id == body.id).max_by_key(|p| p.starts_on);
    let Some(summary) = latest else { return Ok(None) };
    let Some(plan) = state.store.plan(summary.id).await? else { return Ok(None) };
    Ok(Some(Monitored { body, plan, label: String::from("Working draft"), draft: true }))
}

/// The item `raw` names in the plan in force of any body, with that plan; a 404 when
/// it is in none of them or is not of one of `kinds`.
async fn find_item(state: &AppState, raw: &str, kinds: &[RecordKind]) -> Result<(Monitored, ItemId), PageError> {
    let id: ItemId = raw.parse().map_err(|_| PageError::NotFound)?;
    for body in state.store.bodies().await? {
        let Some(found) = monitored(state, body).await? else { continue };
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
fn latest_statuses(plan: &Plan, updates: &[StoredUpdate]) -> BTreeMap<ItemId, Status> {
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
pub(super) fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        let grouped = group_thousands(value.abs() as u64);
        return if value < 0.0 { format!("-{grouped}") } else { grouped };
    }
    let text = format!("{value:.2}");
    text.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A figure with its unit: `13.8%`, `1,234 crimes`, `1 crime`, `4.5 days`.
pub(super) fn with_unit(value: f64, unit: &str) -> String {
    match unit.trim() {
        "" => number(value),
        "%" => format!("{}%", number(value)),
        // Units are written as plurals (`crimes`, `days`); one of them is singular.
        unit if value == 1.0 && unit.len() > 1 && unit.ends_with('s') => format!("1 {}", &unit[..unit.len() - 1]),
        unit => format!("{} {unit}", number(value)),
    }
}

/// The value as a count, when it is one: a whole number of 0 or more, not a percentage.
fn as_count(value: f64, unit: &str) -> Option<u64> {
    (unit.trim() != "%" && value >= 0.0 && value.fract() == 0.0 && value < 1e15).then_some(value as u64)
}

/// The counts of a share, when both were given.
fn share_of(o: &Observation) -> Option<Share> {
    let (n, d) = (u64::try_from(o.numerator?).ok()?, u64::try_from(o.denominator?).ok()?);
    Share::new(n, d, &StatsRules::default()).ok()
}

/// An observation's figure with the counts behind it and, for a count in an area whose
/// population is known, its rate per 1,000 residents; and the warning to show beside it.
pub(super) fn figure(o: &Observation, unit: &str, population: Option<u64>) -> (String, Option<String>) {
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
fn change_words(now: &Observation, before: &Observation, unit: &str) -> (String, Option<String>) {
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
pub(super) fn reading(chart: &XmrChart, polarity: Polarity) -> String {
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
fn run_length(chart: &XmrChart, above: bool) -> usize {
    chart.points.iter().rev().take_while(|p| if above { p.value > chart.mean } else { p.value < chart.mean }).count()
}

/// The length of period a measure's series is charted in: its frequency's, when it has
/// force-wide figures of that length, else the length most of them have.
pub(super) fn series_kind(measure: &Measure, observations: &[&Observation]) -> PeriodKind {
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
pub(super) fn series<'a>(
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
pub(super) fn control_chart(series: &[(Period, &Observation)]) -> Result<XmrChart, stats::XmrError> {
    let values: Vec<(Period, f64)> = series.iter().map(|(p, o)| (*p, o.value)).collect();
    stats::xmr(&values, &XmrSettings::default())
}

/// The whole force area's population: the sum of the body's areas, when every one of
/// them has a figure.
pub(super) fn force_population(body: &Body, populations: &BTreeMap<String, u64>) -> Option<u64> {
    if body.areas.is_empty() {
        return None;
    }
    body.areas.iter().map(|a| populations.get(&a.code).copied()).sum()
}

/// The target of an ambition, when it is a number.
pub(super) fn target_of(measure: &Measure) -> Option<f64> {
    match measure.ambition {
        Ambition::Target { value, .. } => Some(value),
        Ambition::Direction { .. } => None,
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
pub(super) fn grade_tag(grade: &StoredGrade, scales: &[GradeScale]) -> GradeTag {
    let found = scales.iter().find(|s| s.name() == grade.scale).and_then(|s| s.grade(&grade.entry.grade));
    GradeTag {
        label: found.map_or_else(|| grade.entry.grade.clone(), |g| g.label.clone()),
        class: found.map_or("govuk-tag--grey", |g| g.colour.govuk_tag_class()),
        period: grade.entry.period.label(),
    }
}

// ---------------------------------------------------------------------------------------
// The dashboard
// ---------------------------------------------------------------------------------------

/// One measure's row.
pub struct MeasureRow {
    pub title: String,
    pub href: String,
    pub feed: String,
    /// `April 2022`, or empty when there is no figure.
    pub period: String,
    pub latest: String,
    pub latest_warning: Option<String>,
    pub last_year: String,
    pub change_warning: Option<String>,
    pub reading: String,
    pub grade: Option<GradeTag>,
}

/// One overdue milestone.
pub struct OverdueRow {
    pub title: String,
    pub href: String,
    pub due: String,
    pub status: Tag,
    pub days: i64,
}

/// The progress of an objective or priority.
pub struct ProgressRow {
    pub kind: &'static str,
    pub title: String,
    pub priority: bool,
    /// `67%`, or empty with the reason in `none`.
    pub percent: String,
    pub none: String,
    pub counts: String,
}

/// A rendered chart and its table, for a template.
pub struct ChartView {
    pub svg: String,
    pub table: String,
}

#[derive(Template)]
#[template(path = "staff/performance.html")]
pub struct DashboardPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub body_name: String,
    pub plan_title: String,
    pub plan_label: String,
    pub draft: bool,
    pub today: String,
    pub measures: Vec<MeasureRow>,
    pub overdue: Vec<OverdueRow>,
    pub progress: Vec<ProgressRow>,
    pub status_chart: Option<ChartView>,
    pub crime_href: String,
    pub other_bodies: Vec<Crumb>,
    pub has_plan: bool,
}

/// `GET /staff/performance[?body=]`.
pub async fn dashboard(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BodyQuery>,
) -> Result<Response, PageError> {
    let today = crate::today();
    let body = chosen_body(&state, query.body.as_deref()).await?;
    let other_bodies = state
        .store
        .bodies()
        .await?
        .into_iter()
        .filter(|b| body.as_ref().is_none_or(|chosen| chosen.id != b.id))
        .map(|b| Crumb::new(b.name.clone(), with_body(DASHBOARD, b.id)))
        .collect();
    let mut page = DashboardPage {
        layout: user.layout("Performance"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        body_name: body.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        plan_title: String::new(),
        plan_label: String::new(),
        draft: false,
        today: long_date(today),
        measures: Vec::new(),
        overdue: Vec::new(),
        progress: Vec::new(),
        status_chart: None,
        crime_href: body.as_ref().map_or_else(|| crime::PATH.to_string(), |b| with_body(crime::PATH, b.id)),
        other_bodies,
        has_plan: false,
    };
    let Some(body) = body else { return render(&page) };
    let Some(found) = monitored(&state, body).await? else { return render(&page) };
    page.has_plan = true;
    page.plan_title = found.plan.title.clone();
    page.plan_label = found.label.clone();
    page.draft = found.draft;

    let updates = state.store.status_updates(found.body.id).await?;
    let statuses = latest_statuses(&found.plan, &updates);
    page.measures = measure_rows(&state, &found).await?;
    page.overdue = overdue_milestones(&found.plan, &statuses, today)
        .into_iter()
        .map(|o| OverdueRow {
            href: status_path(o.item),
            title: o.title,
            due: long_date(o.due),
            status: status_tag(o.status),
            days: o.days_overdue,
        })
        .collect();
    page.progress = progress_rows(&found, &statuses, today)?;
    page.status_chart = status_chart(&found, &statuses);
    render(&page)
}

/// The measures table's rows, in plan order.
async fn measure_rows(state: &AppState, found: &Monitored) -> Result<Vec<MeasureRow>, PageError> {
    let body = found.body.id;
    let observations = state.store.body_observations(body).await?;
    let grades = state.store.grades(body).await?;
    let scales = state.store.grade_scales(body).await?;
    let feeds: BTreeMap<ItemId, String> =
        state.store.measure_feeds(body).await?.into_iter().map(|(id, f)| (id, f.describe())).collect();
    let populations: BTreeMap<String, u64> = state
        .store
        .populations(body)
        .await?
        .into_iter()
        .map(|p| (p.code, u64::try_from(p.population).unwrap_or(0)))
        .collect();
    let population = force_population(&found.body, &populations);
    let mut rows = Vec::new();
    for item in found.items_of(RecordKind::Measure) {
        let Record::Measure(measure) = &item.record else { continue };
        let own: Vec<&Observation> = observations.iter().filter(|o| o.measure_id == item.id).collect();
        let kind = series_kind(measure, &own);
        let force = series(&own, "", kind);
        let mut row = MeasureRow {
            title: measure.title.clone(),
            href: measure_path(item.id),
            feed: feeds.get(&item.id).cloned().unwrap_or_else(|| String::from("Entered by staff")),
            period: String::new(),
            latest: String::from("No figures yet"),
            latest_warning: None,
            last_year: String::new(),
            change_warning: None,
            reading: String::new(),
            grade: grades.iter().rfind(|g| g.item_id == item.id).map(|g| grade_tag(g, &scales)),
        };
        if let Some((period, latest)) = force.last() {
            row.period = period.label();
            (row.latest, row.latest_warning) = figure(latest, &measure.unit, population);
            let earlier = period.same_period_last_year();
            match earlier.and_then(|e| force.iter().find(|(p, _)| *p == e)) {
                Some((before_period, before)) => {
                    let (words, warning) = change_words(latest, before, &measure.unit);
                    row.last_year = format!("{}: {words}", before_period.label());
                    row.change_warning = warning;
                }
                None => {
                    row.last_year = earlier.map_or_else(String::new, |e| format!("No figure for {}", e.label()));
                }
            }
            row.reading = match control_chart(&force) {
                Ok(chart) => reading(&chart, measure.polarity),
                Err(e) => super::sentence(&format!("no control chart: {e}")),
            };
        }
        rows.push(row);
    }
    Ok(rows)
}

/// Progress per objective and priority, in plan order.
fn progress_rows(
    found: &Monitored,
    statuses: &BTreeMap<ItemId, Status>,
    today: chrono::NaiveDate,
) -> Result<Vec<ProgressRow>, PageError> {
    let rollup = roll_up(&found.plan, statuses, &BTreeMap::new(), today)
        .map_err(|e| PageError::Internal(format!("roll-up of plan {}: {e}", found.plan.id)))?;
    Ok(rollup
        .items
        .iter()
        .filter(|p| matches!(p.kind, RecordKind::Objective | RecordKind::Priority))
        .map(|p| {
            let title = found.plan.item(p.item).map(|i| i.record.title().to_string()).unwrap_or_default();
            let m = p.milestones;
            let mut counts = format!("{} of {} milestones complete", m.complete, m.total());
            if m.overdue > 0 {
                counts.push_str(&format!(", {} overdue", m.overdue));
            }
            if m.withdrawn > 0 {
                counts.push_str(&format!(", {} withdrawn", m.withdrawn));
            }
            ProgressRow {
                kind: if p.kind == RecordKind::Objective { "Objective" } else { "Priority" },
                title,
                priority: p.kind == RecordKind::Priority,
                percent: p.percent().map(|n| format!("{n}%")).unwrap_or_default(),
                none: match (p.percent(), p.no_progress) {
                    (Some(_), _) => String::new(),
                    (None, Some(why)) => format!("Nothing to roll up: {}", why.label().to_lowercase()),
                    (None, None) => String::from("Nothing to roll up"),
                },
                counts,
            }
        })
        .collect())
}

/// The objectives each milestone counts towards: those above it, and those it or any
/// item above it serves, as the roll-up counts them.
fn objectives_of(plan: &Plan, milestone: &Item) -> BTreeSet<ItemId> {
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

/// Milestone statuses per objective as stacked bars, with the table beside them.
fn status_chart(found: &Monitored, statuses: &BTreeMap<ItemId, Status>) -> Option<ChartView> {
    let mut counts: BTreeMap<ItemId, StatusCounts> = BTreeMap::new();
    for item in found.items_of(RecordKind::Milestone) {
        let Record::Milestone(milestone) = &item.record else { continue };
        let status = statuses.get(&item.id).copied().unwrap_or(milestone.status);
        for objective in objectives_of(&found.plan, item) {
            counts.entry(objective).or_default().add(status);
        }
    }
    let rows: Vec<StatusRow> = found
        .items_of(RecordKind::Objective)
        .filter_map(|o| counts.get(&o.id).map(|c| StatusRow { label: o.record.title().to_string(), counts: *c }))
        .collect();
    if rows.is_empty() {
        return None;
    }
    let mut chart = StatusBars::new("Milestones by objective and status", "Objective", rows);
    chart.description =
        String::from("Each bar counts the milestones beneath an objective, or serving it, by their latest status.");
    let svg = chart.render(&Options::page("milestone-status"));
    Some(ChartView { svg: svg.svg, table: svg.table.to_html() })
}

#[cfg(test)]
mod tests {
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
