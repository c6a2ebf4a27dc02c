//! The statutory clock's settings of each body: `GET /staff/settings` (the body's page,
//! or a list when this installation holds several), `GET /staff/bodies/{body}/settings`
//! and `POST` to the same path to change them.
//!
//! Every number the statute does not fix is here, labelled, with a hint citing the rule
//! it governs (`pcplan_domain::clock::RULES`) and "to confirm" where the rule's wording
//! has not been checked against the statute. Viewers read the values; editors and
//! administrators change them. A refused change is shown beside each field with what
//! was typed kept. Ranges are the domain's ([`ClockSettings::check`]); a change moves no
//! deadline already stored with a meeting.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::clock::{ClockRule, ClockSettings, RULES, SETTING_RANGES};
use pcplan_domain::{Body, BodyId, DayRule};

use super::forms::{FieldErrors, FieldView, FormValues};
use super::{Crumb, DoneQuery, can_edit, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// A numeric setting as the form shows it: its field, its label, the short name its
/// error messages use, and its unit.
struct NumberField {
    name: &'static str,
    label: &'static str,
    short: &'static str,
    unit: &'static str,
}

const NUMBERS: [NumberField; 6] = [
    NumberField {
        name: "papers_clear_days_england",
        label: "Clear days for Panel papers in England",
        short: "Clear days in England",
        unit: "days",
    },
    NumberField {
        name: "papers_clear_days_wales",
        label: "Clear days for Panel papers in Wales",
        short: "Clear days in Wales",
        unit: "days",
    },
    NumberField {
        name: "panel_reasonable_time_days",
        label: "The Panel's time to consider a draft plan or variation",
        short: "The Panel's time",
        unit: "calendar days from sending the draft",
    },
    NumberField {
        name: "response_publication_days",
        label: "Time to publish the response to the Panel's report",
        short: "Time to publish the response",
        unit: "calendar days from the report",
    },
    NumberField {
        name: "survey_min_weeks",
        label: "Shortest time a public survey stays open",
        short: "Shortest survey",
        unit: "weeks",
    },
    NumberField {
        name: "annual_report_months",
        label: "Time to send the annual report to the Panel",
        short: "Time for the annual report",
        unit: "months after the financial year ends",
    },
];

const DAY_RULE_LABEL: &str = "How clear days for Panel papers are counted";
const EXPIRY_LABEL: &str = "When a plan stops having effect";

/// The rule a setting governs, found through the rule table's `setting` column.
fn rule_of(field: &str) -> Option<&'static ClockRule> {
    RULES.iter().find(|r| r.setting.is_some_and(|s| s.split(" / ").any(|f| f.trim() == field)))
}

/// `Local Government Act 1972 s.100B(3), to confirm.` for a hint.
fn citation(field: &str) -> String {
    match rule_of(field) {
        Some(rule) if rule.confirmed => format!("Rule: {}.", rule.citation),
        Some(rule) => format!("Rule: {}, to confirm.", rule.citation),
        None => String::new(),
    }
}

fn number_hint(field: &NumberField) -> String {
    let defaults = ClockSettings::default();
    let (low, high) =
        SETTING_RANGES.iter().find(|(f, _, _)| *f == field.name).map(|(_, l, h)| (*l, *h)).unwrap_or((0, 0));
    let default = defaults.number(field.name).unwrap_or_default();
    format!("{} In {}, from {low} to {high}; the default is {default}.", citation(field.name), field.unit)
}

fn day_rule_value(rule: DayRule) -> &'static str {
    rule.as_str()
}

fn expiry_value(to_election_year: bool) -> &'static str {
    if to_election_year { "election_year" } else { "year_after" }
}

/// The form values that show `settings`.
fn values_of(settings: &ClockSettings) -> FormValues {
    let mut values = FormValues::default();
    for field in &NUMBERS {
        values.push(field.name, settings.number(field.name).unwrap_or_default().to_string());
    }
    values.push("papers_day_rule", day_rule_value(settings.papers_day_rule));
    values.push("plan_runs_to_end_of_election_year", expiry_value(settings.plan_runs_to_end_of_election_year));
    values
}

/// Reads the submitted form into settings, or every field's error in form order.
fn parse(values: &FormValues) -> Result<ClockSettings, FieldErrors> {
    let mut errors = FieldErrors::default();
    let mut settings = ClockSettings::default();
    for field in &NUMBERS {
        let raw = values.get(field.name).trim();
        let number = if raw.is_empty() {
            errors.add(field.name, format!("Enter {}", field.short.to_lowercase()));
            None
        } else {
            match raw.parse::<u32>() {
                Ok(n) => Some(n),
                Err(_) => {
                    errors.add(field.name, format!("{} must be a whole number, like 5", field.short));
                    None
                }
            }
        };
        if let Some(n) = number {
            match field.name {
                "papers_clear_days_england" => settings.papers_clear_days_england = n,
                "papers_clear_days_wales" => settings.papers_clear_days_wales = n,
                "panel_reasonable_time_days" => settings.panel_reasonable_time_days = n,
                "response_publication_days" => settings.response_publication_days = n,
                "survey_min_weeks" => settings.survey_min_weeks = n,
                _ => settings.annual_report_months = n,
            }
        }
    }
    match DayRule::parse(values.get("papers_day_rule").trim()) {
        Some(rule) => settings.papers_day_rule = rule,
        None => errors.add("papers_day_rule", "Select how clear days are counted"),
    }
    match values.get("plan_runs_to_end_of_election_year").trim() {
        "election_year" => settings.plan_runs_to_end_of_election_year = true,
        "year_after" => settings.plan_runs_to_end_of_election_year = false,
        _ => errors.add("plan_runs_to_end_of_election_year", "Select when a plan stops having effect"),
    }
    // Ranges are the domain's; its problems name the field, worded here for people.
    if let Err(problems) = settings.check() {
        for problem in problems.0 {
            let short = NUMBERS.iter().find(|f| f.name == problem.field).map(|f| f.short).unwrap_or("This value");
            errors.add(&problem.field, format!("{short} {}", problem.problem));
        }
    }
    if errors.is_empty() { Ok(settings) } else { Err(errors) }
}

fn field_views(values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    let mut views: Vec<FieldView> = NUMBERS
        .iter()
        .map(|field| {
            let mut view = FieldView::text(field.name, field.label, &number_hint(field), values, errors);
            view.width_class = String::from("govuk-input--width-3");
            view.inputmode = String::from("numeric");
            view
        })
        .collect();
    let rules = [
        (
            String::from("working"),
            String::from("Working days"),
            String::from("Monday to Friday, not bank holidays (common practice)"),
        ),
        (String::from("calendar"), String::from("Calendar days"), String::from("Every day counts")),
    ];
    views.insert(
        2,
        FieldView::radios("papers_day_rule", DAY_RULE_LABEL, &citation("papers_day_rule"), &rules, values, errors),
    );
    let expiry = [
        (
            String::from("election_year"),
            String::from("At the end of the financial year in which the next ordinary election is held"),
            String::from("The default"),
        ),
        (String::from("year_after"), String::from("At the end of the financial year after that one"), String::new()),
    ];
    views.push(FieldView::radios(
        "plan_runs_to_end_of_election_year",
        EXPIRY_LABEL,
        &citation("plan_runs_to_end_of_election_year"),
        &expiry,
        values,
        errors,
    ));
    views
}

/// One setting as a viewer reads it.
pub struct SettingRow {
    pub label: String,
    pub value: String,
    pub hint: String,
}

fn rows(settings: &ClockSettings) -> Vec<SettingRow> {
    let mut out: Vec<SettingRow> = NUMBERS
        .iter()
        .map(|field| SettingRow {
            label: field.label.to_string(),
            value: format!("{} {}", settings.number(field.name).unwrap_or_default(), field.unit),
            hint: citation(field.name),
        })
        .collect();
    let rule = match settings.papers_day_rule {
        DayRule::Working => "Working days",
        DayRule::Calendar => "Calendar days",
    };
    out.insert(
        2,
        SettingRow { label: DAY_RULE_LABEL.to_string(), value: rule.to_string(), hint: citation("papers_day_rule") },
    );
    let expiry = if settings.plan_runs_to_end_of_election_year {
        "At the end of the financial year in which the next ordinary election is held"
    } else {
        "At the end of the financial year after the next ordinary election"
    };
    out.push(SettingRow {
        label: EXPIRY_LABEL.to_string(),
        value: expiry.to_string(),
        hint: citation("plan_runs_to_end_of_election_year"),
    });
    out
}

/// One line of the rule table.
pub struct RuleRow {
    pub what: &'static str,
    pub citation: &'static str,
    pub confirmed: bool,
    pub setting: &'static str,
}

#[derive(Template)]
#[template(path = "staff/settings.html")]
pub struct SettingsPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub body_name: String,
    pub nation: &'static str,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub rows: Vec<SettingRow>,
    pub rules: Vec<RuleRow>,
    pub action: String,
    pub editable: bool,
}

/// One body in the list of bodies.
pub struct BodyLink {
    pub name: String,
    pub href: String,
}

#[derive(Template)]
#[template(path = "staff/settings_bodies.html")]
pub struct BodiesPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub bodies: Vec<BodyLink>,
}

/// `/staff/bodies/{body}/settings`.
pub fn settings_path(body: BodyId) -> String {
    format!("/staff/bodies/{body}/settings")
}

/// `GET /staff/settings`: the settings of the only body, or a list of bodies to choose.
pub async fn choose(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    if let [only] = bodies.as_slice() {
        return Ok(see_other(&settings_path(only.id)));
    }
    render(&BodiesPage {
        layout: user.layout("Clock settings"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        bodies: bodies.iter().map(|b| BodyLink { name: b.name.clone(), href: settings_path(b.id) }).collect(),
    })
}

async fn load_body(state: &AppState, raw: &str) -> Result<Body, PageError> {
    let id: BodyId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.body(id).await?.ok_or(PageError::NotFound)
}

fn build(
    user: &CurrentUser,
    body: &Body,
    settings: &ClockSettings,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> SettingsPage {
    let nation = match body.nation {
        pcplan_domain::Nation::England => "England",
        pcplan_domain::Nation::Wales => "Wales",
    };
    SettingsPage {
        layout: user.layout(format!("Clock settings: {}", body.name)).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        body_name: body.name.clone(),
        nation,
        notice,
        fields: field_views(values, &errors),
        errors,
        rows: rows(settings),
        rules: RULES
            .iter()
            .map(|r| RuleRow {
                what: r.what,
                citation: r.citation,
                confirmed: r.confirmed,
                setting: r.setting.unwrap_or(""),
            })
            .collect(),
        action: settings_path(body.id),
        editable: can_edit(&user.user),
    }
}

/// `GET /staff/bodies/{body}/settings`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(body): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let body = load_body(&state, &body).await?;
    let settings = state.store.clock_settings(body.id).await?;
    let notice = (done.done.as_deref() == Some("saved")).then(|| String::from("Settings saved"));
    render(&build(&user, &body, &settings, &values_of(&settings), FieldErrors::default(), notice))
}

/// `POST /staff/bodies/{body}/settings`: saves every setting at once.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(body): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let body = load_body(&state, &body).await?;
    let values = FormValues::new(pairs);
    let errors = match parse(&values) {
        Ok(settings) => match state.store.set_clock_settings(&user.actor(), body.id, &settings).await {
            Ok(()) => return Ok(see_other(&format!("{}?done=saved", settings_path(body.id)))),
            Err(error) => match super::refusal(error)? {
                super::Refusal::Message(message) => {
                    let mut errors = FieldErrors::default();
                    errors.add(NUMBERS[0].name, message);
                    errors
                }
                super::Refusal::Problems(problems) => {
                    let names: Vec<&str> = NUMBERS.iter().map(|f| f.name).collect();
                    super::problems_to_errors(&problems, &names, &[])
                }
            },
        },
        Err(errors) => errors,
    };
    let stored = state.store.clock_settings(body.id).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &build(&user, &body, &stored, &values, errors, None))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_form_values_of_any_settings_parse_back_to_them() {
        let settings = ClockSettings {
            papers_clear_days_wales: 4,
            papers_day_rule: DayRule::Calendar,
            plan_runs_to_end_of_election_year: false,
            ..ClockSettings::default()
        };
        assert_eq!(parse(&values_of(&settings)), Ok(settings));
    }

    #[test]
    fn every_numeric_setting_has_a_rule_to_cite() {
        for field in &NUMBERS {
            assert!(rule_of(field.name).is_some(), "{} governs no rule", field.name);
        }
        assert!(rule_of("papers_day_rule").is_some());
        assert!(rule_of("plan_runs_to_end_of_election_year").is_some());
    }

    #[test]
    fn a_number_out_of_range_or_not_a_number_is_named_beside_its_field() {
        let mut values = values_of(&ClockSettings::default());
        values.0.retain(|(n, _)| n != "papers_clear_days_england" && n != "survey_min_weeks");
        values.push("papers_clear_days_england", "45");
        values.push("survey_min_weeks", "six");
        let errors = parse(&values).expect_err("refused");
        assert_eq!(errors.get("papers_clear_days_england"), Some("Clear days in England must be from 0 to 30, not 45"));
        assert_eq!(errors.get("survey_min_weeks"), Some("Shortest survey must be a whole number, like 5"));
    }
}
