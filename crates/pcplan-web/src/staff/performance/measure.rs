//! One measure's page, `/staff/performance/measures/{item}`: its definition, the
//! force-wide series charted against its baseline, target and XmR process limits (or,
//! with fewer than six periods, plainly, saying why no limits are drawn), small
//! multiples by area with counts and rates per 1,000 residents in their table, every
//! observation with where it came from, and its grades; and, for editors, the forms that
//! add or delete an observation, set the feed that computes it from crime data, and
//! grade it for a period.
//!
//! The statistics are `pcplan_domain::stats`'s and the drawing `pcplan-charts`'s: this
//! module chooses the series, reads the forms and places errors beside their fields.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_charts::{Options, Panel, SmallMultiples};
use pcplan_domain::feed::{ANTI_SOCIAL_BEHAVIOUR, MeasureFeed};
use pcplan_domain::grade::GradeEntry;
use pcplan_domain::period::{Period, PeriodKind};
use pcplan_domain::plan::Measure;
use pcplan_domain::stats::{Rate, format_rate, group_thousands};
use pcplan_domain::{ItemId, Record, RecordKind};
use pcplan_store::{NewObservation, Observation, ObservationSource};

use super::{
    ChartView, GradeTag, Monitored, find_item, force_population, grade_tag, measure_path, series, series_kind, trail,
    with_unit,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::comparison::{ComparisonView, with_peers};
use crate::error::PageError;
use crate::performance_view::{ambition_words, gap_filled, series_chart};
use crate::staff::consultations::select;
use crate::staff::forms::{FieldErrors, FieldView, FormValues};
use crate::staff::{Crumb, DoneQuery, place_refusal, refusal, require_editor, see_other, sentence};
use crate::views::{Layout, render, render_with_status};

/// The forms accepted for a period, for hints.
pub(super) const PERIOD_HINT: &str = "A month like 2022-04, a financial quarter like 2022/23 Q1, a financial year \
     like 2022/23 or a calendar year like 2022";

/// Which of the page's forms was posted, so only its fields keep what was typed.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Posted {
    Observation,
    Feed,
    Grade,
}

/// One observation in the list.
pub struct ObservationRow {
    pub period: String,
    pub area: String,
    pub value: String,
    pub counts: String,
    pub source: &'static str,
    pub recorded: String,
    /// The values the delete form posts.
    pub period_value: String,
    pub area_value: String,
}

/// One grade in the history.
pub struct GradeRow {
    pub tag: GradeTag,
    pub narrative: String,
    pub scale: String,
    pub recorded: String,
}

#[derive(Template)]
#[template(path = "staff/performance_measure.html")]
pub struct MeasurePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub plan_label: String,
    pub title: String,
    pub details: Vec<(String, String)>,
    pub series_chart: ChartView,
    pub series_notes: Vec<String>,
    pub areas_chart: Option<ChartView>,
    pub areas_note: String,
    /// The whole force area beside the body's peers; `None` with `peers_note` saying why.
    pub peers: Option<ComparisonView>,
    pub peers_note: String,
    pub peers_caption: String,
    pub peers_href: String,
    pub observations: Vec<ObservationRow>,
    pub grades: Vec<GradeRow>,
    pub editable: bool,
    pub observation_action: String,
    pub observation_fields: Vec<FieldView>,
    pub delete_action: String,
    pub feed_action: String,
    /// Which crime data computes the measure is part of the plan: editors choose it, the
    /// Chief Constable's liaison does not.
    pub feed_editable: bool,
    pub feed_fields: Vec<FieldView>,
    pub grade_action: String,
    pub grade_fields: Vec<FieldView>,
}

/// The measure record of an item already found to be a measure.
fn measure_of(found: &Monitored, id: ItemId) -> Result<&Measure, PageError> {
    match found.plan.item(id).map(|i| &i.record) {
        Some(Record::Measure(measure)) => Ok(measure),
        _ => Err(PageError::NotFound),
    }
}

/// `31 March 2014 at 14:05 (UTC)`.
fn recorded(by: &str, at: chrono::DateTime<chrono::Utc>) -> String {
    format!("{by}, {}", at.format("%-d %B %Y at %H:%M (UTC)"))
}

/// The force-wide series chart, and what to say beside it.
fn series_view(measure: &Measure, force: &[(Period, &Observation)], kind: PeriodKind) -> (ChartView, Vec<String>) {
    let (svg, notes) = series_chart(measure, force, kind, "whole force area", &Options::page("measure-series"));
    (ChartView { svg: svg.svg, table: svg.table.to_html() }, notes)
}

/// One area's series: its code, its name and its observations.
type AreaSeries<'a> = (String, String, Vec<(Period, &'a Observation)>);

/// Small multiples of the body's areas, with counts and rates in the table.
fn areas_view(
    found: &Monitored,
    measure: &Measure,
    own: &[&Observation],
    kind: PeriodKind,
    populations: &BTreeMap<String, u64>,
) -> Option<ChartView> {
    let by_area: Vec<AreaSeries> = found
        .body
        .areas
        .iter()
        .map(|a| (a.code.clone(), a.name.clone(), series(own, &a.code, kind)))
        .filter(|(_, _, s)| !s.is_empty())
        .collect();
    let first = by_area.iter().filter_map(|(_, _, s)| s.first().map(|(p, _)| *p)).min()?;
    let last = by_area.iter().filter_map(|(_, _, s)| s.last().map(|(p, _)| *p)).max()?;
    let shares = own.iter().any(|o| o.denominator.is_some());
    let rates = !shares && measure.unit.trim() != "%" && !populations.is_empty();
    let mut panels = Vec::new();
    // The extra cells of each table row, in the order the chart writes its rows: area
    // by area, period by period.
    let mut extra: Vec<Vec<String>> = Vec::new();
    for (code, name, list) in &by_area {
        let figures: BTreeMap<Period, f64> = list.iter().map(|(p, o)| (*p, o.value)).collect();
        let points = gap_filled(&figures, first, last);
        let found_at: BTreeMap<Period, &Observation> = list.iter().map(|(p, o)| (*p, *o)).collect();
        let mut period = first;
        for _ in &points {
            let o = found_at.get(&period);
            let mut cells = Vec::new();
            if shares {
                cells.push(o.map_or_else(String::new, |o| counts(o)));
            }
            if rates {
                let population = populations.get(code).copied();
                let rate = o.and_then(|o| super::as_count(o.value, &measure.unit)).map(|n| Rate::new(n, population));
                cells.push(match rate.and_then(|r| r.per_1000) {
                    Some(per_1000) => format_rate(per_1000),
                    None if population.is_none() => String::from("no population figure"),
                    None => String::new(),
                });
            }
            extra.push(cells);
            period = period.next().unwrap_or(period);
        }
        panels.push(Panel { area: name.clone(), points });
    }
    let mut chart = SmallMultiples::new(format!("{} by area", measure.title), measure.unit.clone(), panels);
    chart.decimals = usize::from(own.iter().any(|o| o.value.fract() != 0.0));
    let mut svg = chart.render(&Options::page("measure-areas"));
    if shares {
        svg.table.headers.push(String::from("Count"));
        svg.table.numeric.push(true);
    }
    if rates {
        svg.table.headers.push(String::from("Per 1,000 residents"));
        svg.table.numeric.push(true);
    }
    for (row, cells) in svg.table.rows.iter_mut().zip(extra) {
        row.extend(cells);
    }
    Some(ChartView { svg: svg.svg, table: svg.table.to_html() })
}

/// `57 of 412`, `57`, or nothing.
fn counts(o: &Observation) -> String {
    match (o.numerator, o.denominator) {
        (Some(n), Some(d)) => format!("{} of {}", group_thousands(n.max(0) as u64), group_thousands(d.max(0) as u64)),
        (Some(n), None) => group_thousands(n.max(0) as u64),
        _ => String::new(),
    }
}

/// The feed kinds a select offers (the empty choice, no feed, is its placeholder).
fn feed_kinds() -> Vec<(String, String)> {
    [
        ("crimes", "Recorded crimes of every type, anti-social behaviour left out"),
        ("crimes_of_type", "Recorded crimes of one type (choose it below)"),
        ("anti_social_behaviour", "Anti-social behaviour incidents"),
        ("charge_share", "Share of crimes charged or summonsed, with both counts"),
    ]
    .into_iter()
    .map(|(v, l)| (v.to_string(), l.to_string()))
    .collect()
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    found: &Monitored,
    id: ItemId,
    notice: Option<String>,
    errors: FieldErrors,
    typed: Option<(Posted, &FormValues)>,
) -> Result<MeasurePage, PageError> {
    let measure = measure_of(found, id)?;
    let body = found.body.id;
    let observations = state.store.observations(id).await?;
    let own: Vec<&Observation> = observations.iter().collect();
    let kind = series_kind(measure, &own);
    let force = series(&own, "", kind);
    let populations: BTreeMap<String, u64> = state
        .store
        .populations(body)
        .await?
        .into_iter()
        .map(|p| (p.code, u64::try_from(p.population).unwrap_or(0)))
        .collect();
    let feed = state.store.measure_feeds(body).await?.into_iter().find(|(m, _)| *m == id).map(|(_, f)| f);
    let scales = state.store.grade_scales(body).await?;
    let grades: Vec<GradeRow> = state
        .store
        .grades(body)
        .await?
        .iter()
        .filter(|g| g.item_id == id)
        .rev()
        .map(|g| GradeRow {
            tag: grade_tag(g, &scales),
            narrative: g.entry.narrative.clone(),
            scale: g.scale.clone(),
            recorded: recorded(&g.graded_by, g.graded_at),
        })
        .collect();

    let (series_chart, mut series_notes) = series_view(measure, &force, kind);
    if let Some((_, latest)) = force.last() {
        let (figure, warning) = super::figure(latest, &measure.unit, force_population(&found.body, &populations));
        series_notes.insert(0, format!("Latest figure: {figure}."));
        series_notes.extend(warning);
    }
    let others = own.iter().filter(|o| o.period.parse::<Period>().is_ok_and(|p| p.kind() != kind)).count();
    if others > 0 {
        series_notes.push(format!(
            "{others} observations are for periods other than a {} and are listed below but not charted.",
            kind.label()
        ));
    }
    let areas_chart = areas_view(found, measure, &own, kind, &populations);
    let areas_note = if areas_chart.is_some() {
        if populations.is_empty() {
            String::from("No population table is loaded, so there are counts but no rates per 1,000 residents.")
        } else {
            String::new()
        }
    } else {
        String::from("There are no figures by area yet.")
    };

    let peers = with_peers(&found.body, &found.peers, measure, &own, force_population(&found.body, &populations), None);
    let peers_note = match (&peers, found.peers.is_empty()) {
        (Some(_), _) => String::new(),
        (None, true) => format!("{} has chosen no peers to compare its figures with yet.", found.body.name),
        (None, false) => String::from("There is no figure for the whole force area yet, so nothing to compare."),
    };

    let editable = crate::permissions::may(Some(&user.user), crate::permissions::Access::Deliver);
    let observation_rows = observations
        .iter()
        .map(|o| ObservationRow {
            period: o.period.parse::<Period>().map_or_else(|_| o.period.clone(), |p| p.label()),
            area: found.area_name(&o.area_code),
            value: with_unit(o.value, &measure.unit),
            counts: counts(o),
            source: o.source.label(),
            recorded: recorded(&o.recorded_by, o.recorded_at),
            period_value: o.period.clone(),
            area_value: o.area_code.clone(),
        })
        .collect();

    let blank = FormValues::default();
    let values_for = |form: Posted| match typed {
        Some((posted, values)) if posted == form => values.clone(),
        _ => blank.clone(),
    };
    let observation_values = values_for(Posted::Observation);
    let mut area_options = vec![(String::new(), String::from("Whole force area"))];
    area_options.extend(found.body.areas.iter().map(|a| (a.code.clone(), a.name.clone())));
    area_options.extend(found.peers.iter().map(|p| (p.code.clone(), format!("{} (peer)", p.name))));
    let mut area = FieldView::text("area", "Area", "", &observation_values, &errors);
    area.control = crate::staff::forms::Control::Select;
    area.options = area_options
        .into_iter()
        .map(|(value, label)| crate::staff::forms::OptionView {
            selected: observation_values.get("area") == value,
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect();
    let observation_fields = vec![
        FieldView::text("period", "Period", PERIOD_HINT, &observation_values, &errors),
        area,
        FieldView::text(
            "value",
            &format!("Value{}", if measure.unit.is_empty() { String::new() } else { format!(" ({})", measure.unit) }),
            "A number, like 52 or 13.8",
            &observation_values,
            &errors,
        ),
        FieldView::text(
            "numerator",
            "Count (optional)",
            "For a share or rate: the count it is made of, like 57 charged",
            &observation_values,
            &errors,
        ),
        FieldView::text(
            "denominator",
            "Out of (optional)",
            "For a share: the total, like 412 crimes recorded",
            &observation_values,
            &errors,
        ),
        FieldView::text(
            "note",
            "Note (optional)",
            "Where the figure comes from, if not the usual source",
            &observation_values,
            &errors,
        ),
    ];

    let mut feed_values = values_for(Posted::Feed);
    if typed.is_none_or(|(posted, _)| posted != Posted::Feed)
        && let Some(feed) = &feed
    {
        feed_values.push("feed_kind", feed.kind());
        if let MeasureFeed::CrimesOfType { crime_type } = feed {
            feed_values.push("crime_type", crime_type.clone());
        }
    }
    let (types, _) = state.store.crime_categories(body).await?;
    let types: Vec<(String, String)> =
        types.into_iter().filter(|t| t != ANTI_SOCIAL_BEHAVIOUR).map(|t| (t.clone(), t)).collect();
    let type_hint = if types.is_empty() {
        "No crime data is stored yet: upload police.uk files first, then choose a type"
    } else {
        "Only for recorded crimes of one type; the types are those in the stored crime data"
    };
    let feed_fields = vec![
        select(
            "feed_kind",
            "What the measure counts",
            "Its figures are then computed from the stored police.uk crime data each month, by area and for the whole force area",
            "Nothing: figures are entered by staff",
            feed_kinds(),
            &feed_values,
            &errors,
        ),
        select("crime_type", "Crime type", type_hint, "No single type", types, &feed_values, &errors),
    ];

    let mut grade_values = values_for(Posted::Grade);
    if grade_values.get("scale").is_empty()
        && let Some(first) = scales.first()
    {
        grade_values.push("scale", first.name());
    }
    let several = scales.len() > 1;
    let grade_options: Vec<(String, String, String)> = scales
        .iter()
        .flat_map(|s| {
            s.grades().iter().map(move |g| {
                let label = if several { format!("{} ({})", g.label, s.name()) } else { g.label.clone() };
                (g.code.clone(), label, g.meaning.clone())
            })
        })
        .collect();
    let grade_fields = vec![
        select(
            "scale",
            "Scale",
            "",
            "Choose a scale",
            scales.iter().map(|s| (s.name().to_string(), s.name().to_string())).collect(),
            &grade_values,
            &errors,
        ),
        FieldView::text("grade_period", "Period", PERIOD_HINT, &grade_values, &errors),
        FieldView::radios("grade", "Grade", "", &grade_options, &grade_values, &errors),
        FieldView::textarea(
            "narrative",
            "Why this grade",
            "Every grade needs a reason a Panel can ask about",
            &grade_values,
            &errors,
        ),
    ];

    let mut details = vec![
        (String::from("Definition"), measure.definition.clone()),
        (String::from("Unit"), if measure.unit.is_empty() { String::from("None") } else { measure.unit.clone() }),
        (String::from("Which way is better"), measure.polarity.label().to_string()),
        (
            String::from("Baseline"),
            measure.baseline.as_ref().map_or_else(
                || String::from("None"),
                |b| format!("{} for {}", with_unit(b.value, &measure.unit), b.period),
            ),
        ),
        (String::from("Ambition"), ambition_words(measure)),
        (String::from("Reported"), measure.frequency.as_str().to_string()),
        (String::from("Source"), measure.data_source.clone()),
    ];
    details.push((
        String::from("Feed"),
        feed.as_ref().map_or_else(|| String::from("None: figures are entered by staff"), MeasureFeed::describe),
    ));

    Ok(MeasurePage {
        layout: user.layout(measure.title.clone()).with_errors(!errors.is_empty()),
        crumbs: trail(body),
        notice,
        body_name: found.body.name.clone(),
        plan_label: found.label.clone(),
        title: measure.title.clone(),
        details,
        series_chart,
        series_notes,
        areas_chart,
        areas_note,
        peers_caption: peers
            .as_ref()
            .map_or_else(String::new, |c| format!("{}: the force and its peers, {}", measure.title, c.period)),
        peers,
        peers_note,
        peers_href: super::peers::peers_path(body),
        observations: observation_rows,
        grades,
        editable,
        observation_action: format!("{}/observations", measure_path(id)),
        observation_fields,
        delete_action: format!("{}/observations/delete", measure_path(id)),
        feed_action: format!("{}/feed", measure_path(id)),
        feed_editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Edit),
        feed_fields,
        grade_action: format!("{}/grades", measure_path(id)),
        grade_fields,
        errors,
    })
}

/// `GET /staff/performance/measures/{item}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let (found, id) = find_item(&state, &raw, &[RecordKind::Measure]).await?;
    let notice = match done.done.as_deref() {
        Some("observation") => Some(String::from("Observation saved")),
        Some("deleted") => Some(String::from("Observation deleted")),
        Some("feed") => Some(String::from("Feed saved, and the measure computed again from the stored crime data")),
        Some("feed-cleared") => Some(String::from("Feed removed: figures are entered by staff from now on")),
        Some("grade") => Some(String::from("Grade saved")),
        _ => None,
    };
    render(&view(&state, &user, &found, id, notice, FieldErrors::default(), None).await?)
}

/// A number as staff type it, commas allowed: `1,234`, `13.8`.
fn parse_number(text: &str) -> Option<f64> {
    text.trim().replace(',', "").parse::<f64>().ok().filter(|v| v.is_finite())
}

/// A whole number of 0 or more, commas allowed.
fn parse_count(text: &str) -> Option<i64> {
    text.trim().replace(',', "").parse::<i64>().ok().filter(|v| *v >= 0)
}

/// Reads the observation form into what the store takes, with every problem beside
/// its field.
fn read_observation(found: &Monitored, values: &FormValues, errors: &mut FieldErrors) -> Option<NewObservation> {
    let period = match values.get("period").trim() {
        "" => {
            errors.add("period", format!("Enter the period: {}", PERIOD_HINT.to_lowercase()));
            None
        }
        text => match text.parse::<Period>() {
            Ok(period) => Some(period),
            Err(e) => {
                errors.add("period", sentence(&e.to_string()));
                None
            }
        },
    };
    let area = values.get("area").trim().to_string();
    if !area.is_empty() && !found.body.areas.iter().any(|a| a.code == area) && found.peer(&area).is_none() {
        errors.add(
            "area",
            format!("Choose the whole force area, one of the areas of {} or one of its peers", found.body.name),
        );
    }
    let value = match values.get("value").trim() {
        "" => {
            errors.add("value", "Enter the value, like 52 or 13.8");
            None
        }
        text => parse_number(text).or_else(|| {
            errors.add("value", format!("`{text}` is not a number; enter the value like 52 or 13.8"));
            None
        }),
    };
    let count = |name: &str, label: &str, errors: &mut FieldErrors| match values.get(name).trim() {
        "" => None,
        text => parse_count(text).or_else(|| {
            errors.add(name, format!("`{text}` is not a whole number of 0 or more; enter the {label} like 57"));
            None
        }),
    };
    let numerator = count("numerator", "count", errors);
    let denominator = count("denominator", "total", errors);
    if values.get("numerator").trim().is_empty() && denominator.is_some() {
        errors.add("numerator", "Enter the count the total goes with, or clear the total");
    }
    if let (Some(n), Some(d)) = (numerator, denominator)
        && n > d
    {
        errors.add("denominator", format!("{n} out of {d} cannot be: the total must be at least the count"));
    }
    let (period, value) = (period?, value?);
    errors.is_empty().then(|| NewObservation {
        period: period.to_string(),
        period_start: period.start(),
        area_code: area,
        value,
        numerator,
        denominator,
        note: values.get("note").trim().to_string(),
    })
}

/// `POST /staff/performance/measures/{item}/observations`: one observation typed in,
/// replacing any for the same period and area.
pub async fn add_observation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (found, id) = find_item(&state, &raw, &[RecordKind::Measure]).await?;
    let values = FormValues::new(pairs);
    let mut errors = FieldErrors::default();
    if let Some(row) = read_observation(&found, &values, &mut errors) {
        let stored =
            state.store.record_observations(&user.actor(), found.body.id, id, ObservationSource::Manual, &[row]).await;
        match stored {
            Ok(_) => return Ok(see_other(&format!("{}?done=observation", measure_path(id)))),
            Err(error) => {
                let fields = ["period", "value", "numerator", "denominator"];
                place_refusal(&mut errors, refusal(error)?, &fields, &[], "period");
            }
        }
    }
    let page = view(&state, &user, &found, id, None, errors, Some((Posted::Observation, &values))).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/measures/{item}/observations/delete` (`period`, `area`).
pub async fn delete_observation(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (_, id) = find_item(&state, &raw, &[RecordKind::Measure]).await?;
    let values = FormValues::new(pairs);
    state.store.delete_observation(&user.actor(), id, values.get("period"), values.get("area")).await?;
    Ok(see_other(&format!("{}?done=deleted", measure_path(id))))
}

/// `POST /staff/performance/measures/{item}/feed` (`feed_kind`, `crime_type`): sets or
/// clears the feed, then computes every fed measure of the body again, so the figures
/// show at once.
pub async fn set_feed(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (found, id) = find_item(&state, &raw, &[RecordKind::Measure]).await?;
    let values = FormValues::new(pairs);
    let mut errors = FieldErrors::default();
    let kind = values.get("feed_kind").trim();
    let feed = if kind.is_empty() {
        if !values.get("crime_type").trim().is_empty() {
            errors.add("crime_type", "Leave the crime type empty when the measure has no feed");
        }
        None
    } else {
        match MeasureFeed::parse(kind, Some(values.get("crime_type"))) {
            Ok(feed) => Some(feed),
            Err(message) => {
                let known = feed_kinds().iter().any(|(k, _)| k == kind);
                errors.add(if known { "crime_type" } else { "feed_kind" }, sentence(&message));
                None
            }
        }
    };
    if errors.is_empty() {
        let actor = user.actor();
        match state.store.set_measure_feed(&actor, found.body.id, id, feed.as_ref()).await {
            Ok(()) => {
                crate::performance_work::recompute(&state.store, &actor, found.body.id).await?;
                let done = if feed.is_some() { "feed" } else { "feed-cleared" };
                return Ok(see_other(&format!("{}?done={done}", measure_path(id))));
            }
            Err(error) => place_refusal(&mut errors, refusal(error)?, &["feed_kind", "crime_type"], &[], "feed_kind"),
        }
    }
    let page = view(&state, &user, &found, id, None, errors, Some((Posted::Feed, &values))).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/measures/{item}/grades` (`scale`, `grade_period`, `grade`,
/// `narrative`): grades the measure for a period, replacing an earlier grade for it.
pub async fn grade(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(raw): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (found, id) = find_item(&state, &raw, &[RecordKind::Measure]).await?;
    let values = FormValues::new(pairs);
    let mut errors = FieldErrors::default();
    let scales = state.store.grade_scales(found.body.id).await?;
    let scale_name = values.get("scale").trim();
    let scale = scales.iter().find(|s| s.name() == scale_name);
    if scale.is_none() {
        let names = scales.iter().map(|s| s.name()).collect::<Vec<_>>().join("; ");
        errors.add("scale", format!("Choose one of the body's grade scales: {names}"));
    }
    let period = match values.get("grade_period").trim() {
        "" => {
            errors.add("grade_period", format!("Enter the period graded: {}", PERIOD_HINT.to_lowercase()));
            None
        }
        text => text.parse::<Period>().map_err(|e| errors.add("grade_period", sentence(&e.to_string()))).ok(),
    };
    let code = values.get("grade").trim().to_string();
    if code.is_empty() {
        errors.add("grade", "Choose a grade");
    }
    let narrative = values.get("narrative").trim().to_string();
    if let (Some(scale), Some(period), false) = (scale, period, code.is_empty()) {
        let entry = GradeEntry { period, grade: code, narrative };
        match entry.check(scale) {
            Err(pcplan_domain::grade::GradeEntryError::NoNarrative { .. }) => {
                errors.add("narrative", "Say why the grade was given: a Panel will ask");
            }
            Err(e) => errors.add("grade", sentence(&e.to_string())),
            Ok(()) => match state.store.record_grade(&user.actor(), found.body.id, id, scale.name(), &entry).await {
                Ok(()) => return Ok(see_other(&format!("{}?done=grade", measure_path(id)))),
                Err(error) => place_refusal(&mut errors, refusal(error)?, &["scale", "grade"], &[], "grade"),
            },
        }
    }
    let page = view(&state, &user, &found, id, None, errors, Some((Posted::Grade, &values))).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_their_commas_and_counts_must_be_whole() {
        assert_eq!(parse_number("1,234.5"), Some(1234.5));
        assert_eq!(parse_number("NaN"), None);
        assert_eq!(parse_count("412"), Some(412));
        assert_eq!(parse_count("-1"), None);
        assert_eq!(parse_count("4.5"), None);
    }

    #[test]
    fn missing_periods_are_gaps_between_the_first_and_the_last() {
        let p = |t: &str| t.parse::<Period>().unwrap_or_else(|e| panic!("{t}: {e}"));
        let figures = BTreeMap::from([(p("2022-01"), 5.0), (p("2022-03"), 7.0)]);
        let points = gap_filled(&figures, p("2022-01"), p("2022-03"));
        let got: Vec<(String, Option<f64>)> = points.into_iter().map(|pt| (pt.label, pt.value)).collect();
        assert_eq!(
            got,
            [
                (String::from("January 2022"), Some(5.0)),
                (String::from("February 2022"), None),
                (String::from("March 2022"), Some(7.0))
            ]
        );
    }
}
