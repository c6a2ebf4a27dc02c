//! The England and Wales working-day calendar for staff: `GET /staff/calendar?year=2023`
//! lists the year's bank holidays (the built-in rules, the one-off days since 2000 and
//! the overrides staff entered) and every override; editors and administrators add an
//! override with `POST /staff/calendar/overrides` and remove one with
//! `POST /staff/calendar/overrides/{date}/delete`.
//!
//! An override is how a newly proclaimed one-off day (a coronation, a state funeral) or
//! a moved day reaches every later deadline without a new release. Adding or removing
//! one never moves a deadline already stored with a meeting. The holiday rules are the
//! domain's (`pcplan_domain::calendar`); the store refuses a second override for a date.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate};
use pcplan_domain::HolidayOverride;
use pcplan_domain::calendar::{FIRST_YEAR, LAST_YEAR};
use serde::Deserialize;

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{Crumb, Refusal, can_edit, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render_with_status};

/// One bank holiday of the year shown.
pub struct HolidayRow {
    pub date: String,
    pub weekday: String,
    pub name: String,
    /// Added by a staff override rather than by the rules or the one-off table.
    pub added: bool,
}

/// One override, in the table of all of them.
pub struct OverrideRow {
    pub date: String,
    pub iso: String,
    pub holiday: bool,
    pub name: String,
    pub year_href: String,
}

#[derive(Template)]
#[template(path = "staff/calendar.html")]
pub struct CalendarPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub year: i32,
    pub year_value: String,
    pub previous: Option<String>,
    pub next: Option<String>,
    pub holidays: Vec<HolidayRow>,
    /// Days of this year that the rules make holidays but an override removed.
    pub removed: Vec<HolidayRow>,
    pub overrides: Vec<OverrideRow>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub editable: bool,
}

#[derive(Debug, Default, Deserialize)]
pub struct CalendarQuery {
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    done: Option<String>,
}

fn calendar_href(year: i32) -> String {
    format!("/staff/calendar?year={year}")
}

fn row(date: NaiveDate, name: &str, added: bool) -> HolidayRow {
    HolidayRow { date: long_date(date), weekday: date.format("%A").to_string(), name: name.to_string(), added }
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    year: i32,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<CalendarPage, PageError> {
    let overrides = state.store.holiday_overrides().await?;
    let calendar = pcplan_domain::Calendar::with_overrides(overrides.clone());
    // `year` was checked against the calendar's years by every caller.
    let holidays = calendar.holidays(year).map_err(|e| PageError::Internal(e.to_string()))?;
    let builtin = pcplan_domain::Calendar::default().holidays(year).unwrap_or_default();
    let added = |date: NaiveDate| overrides.iter().any(|o| o.date == date && o.holiday);
    let removed = overrides
        .iter()
        .filter(|o| !o.holiday && o.date.year() == year)
        .map(|o| {
            let name = builtin.iter().find(|h| h.date == o.date).map(|h| h.name.as_str()).unwrap_or("");
            row(o.date, &format!("{name} (removed: {})", o.name), false)
        })
        .collect();
    let changes = [
        (String::from("add"), String::from("Add a bank holiday"), String::from("A one-off day that was proclaimed")),
        (
            String::from("remove"),
            String::from("Remove a bank holiday"),
            String::from("A day the rules give that was moved away"),
        ),
    ];
    let fields = vec![
        FieldView::date("date", "Date", "For example, 8 5 2023", values, &errors),
        FieldView::radios("change", "Add or remove?", "", &changes, values, &errors),
        FieldView::text("name", "Occasion", "For example, Coronation of King Charles III", values, &errors),
    ];
    Ok(CalendarPage {
        layout: user.layout(format!("Bank holidays {year}")).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        year,
        year_value: values.get("year").to_string(),
        previous: (year > FIRST_YEAR).then(|| calendar_href(year - 1)),
        next: (year < LAST_YEAR).then(|| calendar_href(year + 1)),
        holidays: holidays.iter().map(|h| row(h.date, &h.name, added(h.date))).collect(),
        removed,
        overrides: overrides
            .iter()
            .map(|o| OverrideRow {
                date: long_date(o.date),
                iso: o.date.to_string(),
                holiday: o.holiday,
                name: o.name.clone(),
                year_href: calendar_href(o.date.year()),
            })
            .collect(),
        notice,
        errors,
        fields,
        editable: can_edit(&user.user),
    })
}

/// `GET /staff/calendar?year=2023`: the year's bank holidays and every override. A year
/// that is not one the calendar knows is shown as an error on the year box, with this
/// year's holidays.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(query): Query<CalendarQuery>,
) -> Result<Response, PageError> {
    let this_year = crate::today().year().clamp(FIRST_YEAR, LAST_YEAR);
    let notice = match query.done.as_deref() {
        Some("added") => Some(String::from("Override added")),
        Some("removed") => Some(String::from("Override removed")),
        _ => None,
    };
    let mut values = FormValues::default();
    let mut errors = FieldErrors::default();
    let year = match query.year.as_deref().map(str::trim) {
        None | Some("") => this_year,
        Some(raw) => match raw.parse::<i32>() {
            Ok(year) if (FIRST_YEAR..=LAST_YEAR).contains(&year) => year,
            _ => {
                values.push("year", raw);
                errors.add("year", format!("Year must be a year from {FIRST_YEAR} to {LAST_YEAR}, like 2023"));
                this_year
            }
        },
    };
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    render_with_status(status, &build(&state, &user, year, &values, errors, notice).await?)
}

/// `POST /staff/calendar/overrides`: adds an override. A bad date, a missing occasion or
/// a date that already has an override is shown beside its field.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let date = reader.date("date", "Date", true);
    let holiday = reader.choice("change", "change", |raw| match raw {
        "add" => Some(true),
        "remove" => Some(false),
        _ => None,
    });
    let name = reader.text("name", "Occasion", true);
    let mut errors = reader.errors;
    if let Some(d) = date
        && !(FIRST_YEAR..=LAST_YEAR).contains(&d.year())
    {
        errors.add_at("date", "date-year", format!("Date must be in a year from {FIRST_YEAR} to {LAST_YEAR}"));
    }
    if let (Some(date), Some(holiday), true) = (date, holiday, errors.is_empty()) {
        let entry = HolidayOverride { date, holiday, name };
        match state.store.add_holiday_override(&user.actor(), &entry).await {
            Ok(()) => return Ok(see_other(&format!("{}&done=added", calendar_href(date.year())))),
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add_at("date", "date-day", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field = if p.path == "name" { "name" } else { "date" };
                        let anchor = if field == "date" { "date-day" } else { "name" };
                        let label = if field == "date" { "Date" } else { "Occasion" };
                        errors.add_at(field, anchor, sentence(&format!("{label} {}", p.problem)));
                    }
                }
            },
        }
    }
    let year = date.map(|d| d.year()).filter(|y| (FIRST_YEAR..=LAST_YEAR).contains(y));
    let year = year.unwrap_or_else(|| crate::today().year().clamp(FIRST_YEAR, LAST_YEAR));
    let page = build(&state, &user, year, &values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/calendar/overrides/{date}/delete`: removes the override of a date.
pub async fn remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(date): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let date = NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| PageError::NotFound)?;
    state.store.remove_holiday_override(&user.actor(), date).await?;
    Ok(see_other(&format!("{}&done=removed", calendar_href(date.year()))))
}
