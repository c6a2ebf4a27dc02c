//! The staff page of an exercise's representativeness, `/staff/consultations/{id}/representation`:
//! the body's population table per local authority area (loaded here by editors, pasted
//! or as a CSV file), and for each area the exercise's responses against its population,
//! flagged under- or over-represented by `pcplan_domain::representation`. While the
//! exercise is open, the areas under-represented so far are listed at the top with the
//! days left, so staff can promote the exercise there before it closes.
//!
//! The arithmetic and the reading of the table are the domain's
//! (`parse_population_csv`, `for_areas`, `representation`, with the default
//! `RepresentationRules`); the counts are the store's (`response_counts` by area); the
//! table is stored with `Store::load_populations`, which audits it. This module draws
//! the page and places errors beside the fields. The thresholds are not a setting yet:
//! every exercise uses the defaults, which the page states.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, FromRequest, Multipart, Path, Query, Request, State};
use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use axum::response::Response;
use axum::routing::get;
use pcplan_domain::consultation::ExerciseState;
use pcplan_domain::representation::{
    AreaPopulation, Representation, RepresentationRules, for_areas, parse_population_csv, representation,
};
use pcplan_store::{Dimension, Exercise, Population};

use super::consultation_import::read_multipart;
use super::consultations::{exercise_path, load_exercise, trail};
use super::forms::{FieldErrors, FormValues};
use super::outline::long_date;
use super::{Crumb, DoneQuery, Refusal, can_edit, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// `/staff/consultations/{id}/representation`.
pub fn representation_path(id: pcplan_domain::ExerciseId) -> String {
    format!("{}/representation", exercise_path(id))
}

/// The routes of this module.
pub(super) fn router() -> Router<AppState> {
    Router::new().route("/staff/consultations/{id}/representation", get(page).post(load))
}

/// One area's row.
pub struct AreaRow {
    pub name: String,
    pub code: String,
    pub responses: u64,
    pub population: String,
    pub response_share: String,
    pub population_share: String,
    pub expected: String,
    pub index: String,
    pub rate: String,
    pub status: &'static str,
    pub tag: &'static str,
}

#[derive(Template)]
#[template(path = "staff/consultation_population.html")]
pub struct PopulationPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub caption: String,
    pub body_name: String,
    /// The areas to reach while the exercise is open, and the days left, in a sentence.
    pub alert: Option<String>,
    pub alert_areas: Vec<String>,
    pub has_table: bool,
    pub source: String,
    pub rows: Vec<AreaRow>,
    pub total_responses: u64,
    pub unknown_area: u64,
    pub unknown_codes: String,
    pub missing_areas: Vec<String>,
    pub rules: String,
    pub editable: bool,
    pub action: String,
    pub text_value: String,
    pub source_value: String,
    pub exercise_href: String,
}

/// `12.3%` of a share from 0 to 1.
fn percent(share: f64) -> String {
    format!("{:.1}%", share * 100.0)
}

/// `1,144,900`.
fn thousands(n: u64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// The status's words and GOV.UK tag colour: red asks for action, grey says nothing yet.
fn status_tag(status: Representation) -> (&'static str, &'static str) {
    match status {
        Representation::Under => ("Under-represented", "govuk-tag--red"),
        Representation::AsExpected => ("As expected", "govuk-tag--green"),
        Representation::Over => ("Over-represented", "govuk-tag--blue"),
        Representation::TooFewToTell => ("Too few to tell", "govuk-tag--grey"),
    }
}

/// What the page says while the exercise runs: `closes today`, `1 day left`, `12 days left`.
fn days_left(exercise: &Exercise, today: chrono::NaiveDate) -> String {
    let days = (exercise.content.closes - today).num_days();
    let when = long_date(exercise.content.closes);
    match days {
        0 => format!("The exercise closes today ({when})"),
        1 => format!("The exercise closes tomorrow ({when}): 2 days left, today included"),
        n => format!("The exercise closes on {when}: {} days left, today included", n + 1),
    }
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    exercise: &Exercise,
    notice: Option<String>,
    errors: FieldErrors,
    typed: Option<&FormValues>,
) -> Result<PopulationPage, PageError> {
    let body = state.store.body(exercise.body_id).await?;
    let areas = body.as_ref().map(|b| b.areas.clone()).unwrap_or_default();
    let stored = state.store.populations(exercise.body_id).await?;
    let counts: BTreeMap<String, u64> = state
        .store
        .response_counts(exercise.id, Dimension::Area)
        .await?
        .into_iter()
        .map(|(code, n)| (code, u64::try_from(n).unwrap_or(0)))
        .collect();
    let table: Vec<AreaPopulation> = stored
        .iter()
        .map(|p| AreaPopulation {
            code: p.code.clone(),
            name: p.name.clone(),
            population: u64::try_from(p.population).unwrap_or(0),
        })
        .collect();
    let rules = RepresentationRules::default();
    let report = representation(&table, &counts, &rules);
    let today = crate::today();
    let under: Vec<String> = report.under_represented().map(|a| format!("{} ({})", a.name, a.code)).collect();
    let open = exercise.content.state(today) == ExerciseState::Open;
    let (alert, alert_areas) = if open && !table.is_empty() {
        let days = days_left(exercise, today);
        if under.is_empty() {
            (Some(format!("{days}. No area is under-represented so far.")), Vec::new())
        } else {
            (
                Some(format!(
                    "{days}. {} under-represented so far; promote the exercise there before it closes:",
                    if under.len() == 1 { String::from("1 area is") } else { format!("{} areas are", under.len()) }
                )),
                under,
            )
        }
    } else {
        (None, Vec::new())
    };
    let rows = report
        .areas
        .iter()
        .map(|a| {
            let (status, tag) = status_tag(a.status);
            AreaRow {
                name: a.name.clone(),
                code: a.code.clone(),
                responses: a.responses,
                population: thousands(a.population),
                response_share: percent(a.response_share),
                population_share: percent(a.population_share),
                expected: format!("{:.1}", a.expected),
                index: format!("{:.2}", a.index),
                rate: format!("{:.2}", a.rate_per_1000),
                status,
                tag,
            }
        })
        .collect();
    let missing_areas = if table.is_empty() {
        Vec::new()
    } else {
        areas
            .iter()
            .filter(|a| !table.iter().any(|p| p.code == a.code))
            .map(|a| format!("{} ({})", a.name, a.code))
            .collect()
    };
    let source = stored.first().map(|p| p.source.clone()).unwrap_or_default();
    let source_value = typed.map(|v| v.get("source").to_string()).unwrap_or_else(|| source.clone());
    Ok(PopulationPage {
        layout: user.layout("Representativeness").with_errors(!errors.is_empty()),
        crumbs: trail(Some(exercise)),
        notice,
        caption: exercise.content.title.clone(),
        body_name: body.as_ref().map(|b| b.name.clone()).unwrap_or_default(),
        alert,
        alert_areas,
        has_table: !table.is_empty(),
        source,
        rows,
        total_responses: report.total_responses,
        unknown_area: report.unknown_area_responses,
        unknown_codes: report.unknown_codes.join(", "),
        missing_areas,
        rules: format!(
            "An area is under-represented when its share of responses is below {:.0}% of its share of the population \
             and the gap is unlikely to be chance (a binomial z-score beyond {:.2}); over-represented above {:.0}% on \
             the same test. With fewer than {:.0} responses expected, it is too few to tell.",
            rules.under_index * 100.0,
            rules.z,
            rules.over_index * 100.0,
            rules.min_expected
        ),
        editable: can_edit(&user.user),
        action: representation_path(exercise.id),
        text_value: typed.map(|v| v.get("text").to_string()).unwrap_or_default(),
        source_value,
        errors,
        exercise_href: exercise_path(exercise.id),
    })
}

/// `GET /staff/consultations/{id}/representation`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let exercise = load_exercise(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("populations") => Some(String::from("Population table loaded")),
        _ => None,
    };
    render(&view(&state, &user, &exercise, notice, FieldErrors::default(), None).await?)
}

/// The largest population table accepted: a national ONS table of every local
/// authority with every age column is well under it.
const POPULATION_MAX_BYTES: usize = 1024 * 1024;

/// `POST /staff/consultations/{id}/representation`: loads the body's population table
/// from a file (`file`, multipart) or pasted text (`text`), with its `source`. Only the
/// body's own areas are kept, and every one of them must be in the table.
pub async fn load(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    request: Request,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let exercise = load_exercise(&state, &id).await?;
    let mut errors = FieldErrors::default();
    let multipart = request
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    // The form has a file input, so browsers send multipart; a pasted table alone may
    // come urlencoded from a script.
    let read = if multipart {
        match Multipart::from_request(request, &state).await {
            Ok(form) => read_multipart(form, POPULATION_MAX_BYTES).await,
            Err(rejection) => Err(rejection.body_text()),
        }
    } else {
        match Form::<Vec<(String, String)>>::from_request(request, &state).await {
            Ok(Form(pairs)) => Ok((FormValues::new(pairs), None)),
            Err(rejection) => Err(rejection.body_text()),
        }
    };
    let (values, file_text) = match read {
        Ok((values, Some(file))) if file.too_large => {
            errors.add("text", "The file is larger than 1 MB; keep only the code, name and population columns");
            (values, None)
        }
        // A file's bytes in whatever encoding a spreadsheet saved them.
        Ok((values, Some(file))) => (values, (!file.bytes.is_empty()).then(|| pcplan_import::decode(&file.bytes).0)),
        Ok((values, None)) => (values, None),
        Err(reason) => {
            errors.add("text", format!("The form could not be read ({reason}); try again"));
            (FormValues::default(), None)
        }
    };
    let source = values.get("source").trim().to_string();
    let text = file_text.unwrap_or_else(|| values.get("text").to_string());
    if errors.is_empty() && text.trim().is_empty() {
        errors.add("text", "Paste the population table, or choose a CSV file of it");
    }
    if source.is_empty() {
        errors.add("source", "Enter where the figures come from, like ONS mid-2022 population estimates");
    }
    let body = state.store.body(exercise.body_id).await?.ok_or(PageError::NotFound)?;
    let mut rows = Vec::new();
    if errors.get("text").is_none() {
        match parse_population_csv(&text).and_then(|table| for_areas(&table, &body.areas)) {
            Ok(table) => {
                rows = table
                    .into_iter()
                    .map(|a| Population {
                        code: a.code,
                        name: a.name,
                        population: i64::try_from(a.population).unwrap_or(i64::MAX),
                        source: source.clone(),
                    })
                    .collect()
            }
            Err(e) => errors.add("text", sentence(&e.to_string())),
        }
    }
    if errors.is_empty() {
        match state.store.load_populations(&user.actor(), exercise.body_id, &rows).await {
            Ok(()) => return Ok(see_other(&format!("{}?done=populations", representation_path(exercise.id)))),
            Err(error) => match refusal(error)? {
                Refusal::Message(m) => errors.add("text", m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field = if p.path == "source" { "source" } else { "text" };
                        errors.add(field, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let page = view(&state, &user, &exercise, None, errors, Some(&values)).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_are_percentages_with_one_decimal_and_counts_have_commas() {
        assert_eq!(percent(0.1234), "12.3%");
        assert_eq!(thousands(1_144_900), "1,144,900");
        assert_eq!(thousands(12), "12");
    }
}
