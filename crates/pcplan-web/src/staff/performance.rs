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
mod import;
mod measure;
pub(crate) mod peers;
mod report;
pub(crate) mod scales;
mod status;

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{DefaultBodyLimit, Query, State};
use axum::response::Response;
use axum::routing::{get, post};
use pcplan_charts::{Options, StatusBars, StatusCounts, StatusRow};
use pcplan_domain::rollup::{overdue_milestones, roll_up};
use pcplan_domain::{BodyId, ItemId, Record, RecordKind, Status};
use serde::Deserialize;

use super::Crumb;
use super::outline::{Tag, long_date, status_tag};
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
        .route(peers::PATH, get(peers::page).post(peers::save))
        .route(peers::REMOVE_PATH, post(peers::remove))
        .route(scales::PATH, get(scales::page).post(scales::save))
        .route(scales::REMOVE_PATH, post(scales::remove))
        .route(report::PATH, get(report::show))
        .route(report::PDF_PATH, get(report::pdf))
        .route(report::ATTACH_PATH, post(report::attach))
        .route(crime::PATH, get(crime::page).post(crime::upload).layer(DefaultBodyLimit::disable()))
        .route(crime::LOOKUP_PATH, post(crime::load_lookup).layer(DefaultBodyLimit::disable()))
        .merge(import::router())
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

/// The body a request names by its id (`?body=` or a form's `body`), or the site body
/// when it names none; a 404 when there is no such body.
async fn body_of(state: &AppState, raw: Option<&str>) -> Result<pcplan_domain::Body, PageError> {
    chosen_body(state, raw).await?.ok_or(PageError::NotFound)
}

/// Staff, then Performance: the start of every performance page's breadcrumbs.
fn trail(body: BodyId) -> Vec<Crumb> {
    vec![Crumb::new("Staff", "/staff"), Crumb::new("Performance", with_body(DASHBOARD, body))]
}

pub(crate) use crate::performance_view::*;

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
    pub peers_href: String,
    pub scales_href: String,
    pub report_href: String,
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
        peers_href: body.as_ref().map_or_else(|| peers::PATH.to_string(), |b| peers::peers_path(b.id)),
        scales_href: body.as_ref().map_or_else(|| scales::PATH.to_string(), |b| scales::scales_path(b.id)),
        report_href: body.as_ref().map_or_else(|| report::PATH.to_string(), |b| report::report_href(b.id)),
        other_bodies,
        has_plan: false,
    };
    let Some(body) = body else { return render(&page) };
    let Some(found) = monitored(&state.store, body).await? else { return render(&page) };
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
    let figures = BodyFigures::load(&state.store, &found.body).await?;
    let population = figures.population(&found.body, "");
    let mut rows = Vec::new();
    for item in found.items_of(RecordKind::Measure) {
        let Record::Measure(measure) = &item.record else { continue };
        let own = figures.of_measure(item.id);
        let summary = summarise(measure, &own, "", population, None);
        rows.push(MeasureRow {
            title: measure.title.clone(),
            href: measure_path(item.id),
            feed: figures.feeds.get(&item.id).cloned().unwrap_or_else(|| String::from("Entered by staff")),
            period: summary.period.map(|p| p.label()).unwrap_or_default(),
            latest: summary.latest,
            latest_warning: summary.latest_warning,
            last_year: summary.last_year,
            change_warning: summary.change_warning,
            reading: summary.reading,
            grade: figures.latest_grade(item.id, None).map(|g| grade_tag(g, &figures.scales)),
        });
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
