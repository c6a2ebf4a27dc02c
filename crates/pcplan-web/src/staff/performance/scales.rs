//! A body's grade scales for staff, `/staff/performance/scales`: the scales its measures
//! and commitments are graded on (Red, Amber, Green, Ungraded until it sets its own,
//! such as the Blue, Green, Yellow, Red commitment statuses some offices use), each grade
//! with its code, colour and meaning and how many grades have been given on the scale;
//! for editors, a form per scale and one for a new scale, and a remove button.
//!
//! A scale is typed one grade per line, `code | label | colour | meaning`, and checked by
//! `GradeScale::parse`, whose problems (`grades[2].colour`) come back as the line they
//! are on. The store refuses a change that would leave a grade already given without its
//! scale or its code, and the page shows why beside the form.

use askama::Template;
use axum::extract::{Form, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::grade::{Colour, GradeInput, GradeScale, GradeScaleInput};
use pcplan_domain::{Body, BodyId};

use super::{BodyQuery, GradeTag, body_of, trail, with_body};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::staff::forms::{FieldErrors, FieldView, FormValues};
use crate::staff::{Crumb, Refusal, can_edit, refusal, require_editor, see_other, sentence};
use crate::views::{Layout, render, render_with_status};

/// The page and the form that saves a scale.
pub const PATH: &str = "/staff/performance/scales";

/// The removal of a scale.
pub const REMOVE_PATH: &str = "/staff/performance/scales/remove";

/// The scales page of a body.
pub fn scales_path(body: BodyId) -> String {
    with_body(PATH, body)
}

/// One grade of a scale in the list.
pub struct GradeLine {
    pub tag: GradeTag,
    pub code: String,
    pub meaning: String,
}

/// One scale in the list, with the form that changes it.
pub struct ScaleView {
    pub name: String,
    pub grades: Vec<GradeLine>,
    /// Grades given on the scale, every item and period together.
    pub given: usize,
    /// The fields of its form: the scale's name and its grades as lines.
    pub fields: Vec<FieldView>,
    /// Whether its form holds what was just typed (and its errors): open it.
    pub open: bool,
}

#[derive(Template)]
#[template(path = "staff/performance_scales.html")]
pub struct ScalesPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub body_name: String,
    pub body_id: String,
    pub scales: Vec<ScaleView>,
    pub editable: bool,
    pub action: &'static str,
    pub remove_action: &'static str,
    /// The form for a new scale.
    pub new_fields: Vec<FieldView>,
    pub colours: String,
}

/// A scale as the form's lines: `green | Green | green | On track`.
fn lines_of(scale: &GradeScale) -> String {
    scale
        .grades()
        .iter()
        .map(|g| format!("{} | {} | {} | {}", g.code, g.label, g.colour.as_str(), g.meaning))
        .collect::<Vec<_>>()
        .join("\n")
}

/// The name and grades fields, from `values` when they were typed into this form.
fn scale_fields(values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    vec![
        FieldView::text("name", "Name of the scale", "Like Commitment status", values, errors),
        FieldView::textarea(
            "grades",
            "Grades, one per line",
            "code | label | colour | meaning, best first, like: blue | Blue | blue | Delivered",
            values,
            errors,
        ),
    ]
}

/// Which form was posted: a scale's (by its name as stored) or the new one's.
enum Posted<'a> {
    Nothing,
    Scale(&'a str, &'a FormValues),
    New(&'a FormValues),
}

async fn view(
    state: &AppState,
    user: &CurrentUser,
    body: &Body,
    notice: Option<String>,
    errors: FieldErrors,
    posted: Posted<'_>,
) -> Result<ScalesPage, PageError> {
    let scales = state.store.grade_scales(body.id).await?;
    let grades = state.store.grades(body.id).await?;
    let none = FieldErrors::default();
    let views = scales
        .iter()
        .map(|scale| {
            let (values, errs, open) = match &posted {
                Posted::Scale(name, values) if *name == scale.name() => ((*values).clone(), &errors, true),
                _ => {
                    let mut values = FormValues::default();
                    values.push("name", scale.name());
                    values.push("grades", lines_of(scale));
                    (values, &none, false)
                }
            };
            ScaleView {
                name: scale.name().to_string(),
                grades: scale
                    .grades()
                    .iter()
                    .map(|g| GradeLine {
                        tag: GradeTag {
                            label: g.label.clone(),
                            class: g.colour.govuk_tag_class(),
                            period: String::new(),
                        },
                        code: g.code.clone(),
                        meaning: g.meaning.clone(),
                    })
                    .collect(),
                given: grades.iter().filter(|g| g.scale == scale.name()).count(),
                fields: scale_fields(&values, errs),
                open,
            }
        })
        .collect();
    let new_fields = match &posted {
        Posted::New(values) => scale_fields(values, &errors),
        _ => scale_fields(&FormValues::default(), &none),
    };
    Ok(ScalesPage {
        layout: user.layout("Grade scales").with_errors(!errors.is_empty()),
        crumbs: trail(body.id),
        notice,
        errors,
        body_name: body.name.clone(),
        body_id: body.id.to_string(),
        scales: views,
        editable: can_edit(&user.user),
        action: PATH,
        remove_action: REMOVE_PATH,
        new_fields,
        colours: Colour::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", "),
    })
}

/// `GET /staff/performance/scales[?body=]`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<BodyQuery>,
) -> Result<Response, PageError> {
    let body = body_of(&state, query.body.as_deref()).await?;
    let notice = match query.done.as_deref() {
        Some("saved") => Some(String::from("Grade scale saved")),
        Some("removed") => Some(String::from("Grade scale removed")),
        _ => None,
    };
    render(&view(&state, &user, &body, notice, FieldErrors::default(), Posted::Nothing).await?)
}

/// Reads the lines of the grades field; a line with too few parts is named.
fn read_grades(text: &str, errors: &mut FieldErrors) -> Vec<GradeInput> {
    let mut grades = Vec::new();
    for (index, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let parts: Vec<&str> = line.splitn(4, '|').map(str::trim).collect();
        match parts.as_slice() {
            [code, label, colour, rest @ ..] => grades.push(GradeInput {
                code: code.to_string(),
                label: label.to_string(),
                colour: colour.to_string(),
                meaning: rest.first().map_or_else(String::new, |m| m.to_string()),
            }),
            _ => errors.add(
                "grades",
                format!(
                    "Line {} has {} part(s); write each grade as code | label | colour | meaning",
                    index + 1,
                    parts.len()
                ),
            ),
        }
    }
    grades
}

/// `grades[2].colour: …` as the line it is on: `Line 3, colour: …`.
fn problem_words(path: &str, problem: &str) -> (&'static str, String) {
    if path == "name" {
        return ("name", sentence(&format!("the name {problem}")));
    }
    if let Some(rest) = path.strip_prefix("grades[")
        && let Some((index, field)) = rest.split_once("].")
        && let Ok(index) = index.parse::<usize>()
    {
        return ("grades", format!("Line {}, {field}: {problem}", index + 1));
    }
    ("grades", sentence(&format!("the scale {problem}")))
}

/// `POST /staff/performance/scales` (`body`, `original`, `name`, `grades`): adds a scale,
/// or replaces the one named `original`.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    let original = values.get("original").trim().to_string();
    let mut errors = FieldErrors::default();
    let grades = read_grades(values.get("grades"), &mut errors);
    let parsed = if errors.is_empty() {
        match GradeScale::parse(GradeScaleInput { name: values.get("name").to_string(), grades }) {
            Ok(scale) => Some(scale),
            Err(problems) => {
                for p in problems.0 {
                    let (field, words) = problem_words(&p.path, &p.problem);
                    errors.add(field, words);
                }
                None
            }
        }
    } else {
        None
    };
    if let Some(scale) = parsed {
        let mut scales = state.store.grade_scales(body.id).await?;
        match scales.iter().position(|s| !original.is_empty() && s.name() == original) {
            Some(at) => scales[at] = scale,
            None => scales.push(scale),
        }
        match state.store.set_grade_scales(&user.actor(), body.id, &scales).await {
            Ok(()) => return Ok(see_other(&format!("{}&done=saved", scales_path(body.id)))),
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add("name", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        errors.add(if p.path == "name" { "name" } else { "grades" }, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let posted = if original.is_empty() { Posted::New(&values) } else { Posted::Scale(&original, &values) };
    let page = view(&state, &user, &body, None, errors, posted).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/performance/scales/remove` (`body`, `name`): removes a scale no grade
/// was given on, keeping at least one.
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body = body_of(&state, Some(values.get("body"))).await?;
    let name = values.get("name");
    let mut scales = state.store.grade_scales(body.id).await?;
    let before = scales.len();
    scales.retain(|s| s.name() != name);
    if scales.len() == before {
        return Err(PageError::NotFound);
    }
    let mut errors = FieldErrors::default();
    match state.store.set_grade_scales(&user.actor(), body.id, &scales).await {
        Ok(()) => return Ok(see_other(&format!("{}&done=removed", scales_path(body.id)))),
        Err(error) => match refusal(error)? {
            Refusal::Message(message) => errors.add("name", message),
            Refusal::Problems(problems) => {
                for p in problems {
                    errors.add("name", sentence(&format!("{} cannot be removed: {}", name, p.problem)));
                }
            }
        },
    }
    let page = view(&state, &user, &body, None, errors, Posted::Scale(name, &values)).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_read_into_grades_and_a_short_line_is_named() {
        let mut errors = FieldErrors::default();
        let grades = read_grades("blue | Blue | blue | Delivered\n\ngreen|Green|green\nred | Red", &mut errors);
        let codes: Vec<(&str, &str)> = grades.iter().map(|g| (g.code.as_str(), g.meaning.as_str())).collect();
        assert_eq!(codes, [("blue", "Delivered"), ("green", "")]);
        assert_eq!(
            errors.get("grades"),
            Some("Line 4 has 2 part(s); write each grade as code | label | colour | meaning")
        );
        // The preset reads back from its own lines.
        let mut errors = FieldErrors::default();
        let again = read_grades(&lines_of(&GradeScale::rag()), &mut errors);
        let input = GradeScaleInput { name: String::from("Red, Amber, Green"), grades: again };
        assert_eq!(GradeScale::parse(input), Ok(GradeScale::rag()));
    }

    #[test]
    fn a_problem_in_a_grade_names_its_line() {
        assert_eq!(
            problem_words("grades[2].colour", "`magenta` is not one of the colours"),
            ("grades", String::from("Line 3, colour: `magenta` is not one of the colours"))
        );
        assert_eq!(problem_words("name", "is empty").0, "name");
    }
}
