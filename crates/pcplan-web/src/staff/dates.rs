//! `GET /staff/dates?on-day=3&on-month=2&on-year=2014`: work out the deadlines that
//! follow from one date, with the body's clock settings and the calendar with its
//! overrides: the papers deadline if the Panel meets that day, the earliest day a
//! survey opened that day may close, the end of the Panel's time for a draft sent that
//! day, the response date for a Panel report received that day, the annual report for
//! the financial year it falls in, and the clear days between today and that date.
//!
//! A calculator, not a record: nothing is stored. Meetings, processes and obligations
//! store their own deadlines when they are made.

use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::NaiveDate;
use pcplan_domain::clock::{self, ClockSettings};
use pcplan_domain::{Body, Calendar, DayRule, FinancialYear};

use super::Crumb;
use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render_with_status};

/// One worked-out date.
pub struct Answer {
    pub question: String,
    pub answer: String,
    pub citation: &'static str,
}

#[derive(Template)]
#[template(path = "staff/dates.html")]
pub struct DatesPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub field: FieldView,
    pub errors: FieldErrors,
    pub body_name: String,
    pub on: String,
    pub warnings: Vec<String>,
    pub answers: Vec<Answer>,
}

fn citation(rule: &str) -> &'static str {
    clock::rule(rule).map_or("", |r| r.citation)
}

/// The answers for `on`, or the reason a date has none (outside the calendar's years).
fn answers(
    on: NaiveDate,
    today: NaiveDate,
    body: &Body,
    settings: &ClockSettings,
    calendar: &Calendar,
) -> Result<(Vec<String>, Vec<Answer>), String> {
    let mut warnings = Vec::new();
    if !calendar.is_working_day(on) {
        warnings.push(format!("{} is not a working day: a weekend or a bank holiday.", long_date(on)));
    }
    let papers = clock::panel_papers(on, body.nation, settings, calendar).map_err(|e| e.to_string())?;
    let days = clock::papers_clear_days(body.nation, settings);
    let rule = settings.papers_day_rule.as_str();
    let (from, to) = if today <= on { (today, on) } else { (on, today) };
    let clear = calendar.clear_days(from, to, DayRule::Working).map_err(|e| e.to_string())?;
    let clear_calendar = calendar.clear_days(from, to, DayRule::Calendar).map_err(|e| e.to_string())?;
    let fy = FinancialYear::containing(on);
    let answers = vec![
        Answer {
            question: format!("If the Panel meets on {}", long_date(on)),
            answer: format!("publish its papers by {} ({days} clear {rule} days before)", long_date(papers.due)),
            citation: citation("panel_papers"),
        },
        Answer {
            question: format!("If a survey opens on {}", long_date(on)),
            answer: format!(
                "it may close on {} at the earliest ({} weeks)",
                long_date(clock::survey_earliest_close(on, settings).due),
                settings.survey_min_weeks
            ),
            citation: citation("survey_length"),
        },
        Answer {
            question: format!("If a draft plan or variation goes to the Panel on {}", long_date(on)),
            answer: format!(
                "the Panel's time to report ends on {} ({} days)",
                long_date(clock::panel_reasonable_time(on, settings).due),
                settings.panel_reasonable_time_days
            ),
            citation: citation("panel_reasonable_time"),
        },
        Answer {
            question: format!("If the Panel reports on {}", long_date(on)),
            answer: format!(
                "publish the response by {} ({} days)",
                long_date(clock::response_publication(on, settings).due),
                settings.response_publication_days
            ),
            citation: citation("response_publication"),
        },
        Answer {
            question: format!("The annual report on {fy}, the financial year of {}", long_date(on)),
            answer: format!("goes to the Panel by {}", long_date(clock::annual_report(fy, settings).due)),
            citation: citation("annual_report"),
        },
        Answer {
            question: format!("Between today ({}) and {}", long_date(today), long_date(on)),
            answer: format!("{clear} clear working days; {clear_calendar} clear calendar days"),
            citation: "",
        },
    ];
    Ok((warnings, answers))
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let asked = ["on-day", "on-month", "on-year"].iter().any(|k| values.is_set(k));
    let mut reader = FormReader::new(&values);
    let on = if asked { reader.date("on", "Date", true) } else { None };
    let mut errors = reader.errors;
    let body = state.store.bodies().await?.into_iter().next();
    let (mut warnings, mut answers_list, mut body_name) = (Vec::new(), Vec::new(), String::new());
    let on = on.filter(|day| {
        use chrono::Datelike;
        use pcplan_domain::calendar::{FIRST_YEAR, LAST_YEAR};
        let known = (FIRST_YEAR..=LAST_YEAR).contains(&day.year());
        if !known {
            let reason =
                format!("{} is outside the years the calendar knows ({FIRST_YEAR} to {LAST_YEAR})", day.year());
            errors.add_at("on", "on-day", reason);
        }
        known
    });
    if let (Some(on), Some(body)) = (on, &body) {
        let settings = state.store.clock_settings(body.id).await?;
        let calendar = state.store.calendar().await?;
        match answers(on, crate::today(), body, &settings, &calendar) {
            Ok((w, a)) => (warnings, answers_list) = (w, a),
            Err(reason) => errors.add_at("on", "on-day", super::sentence(&reason)),
        }
        body_name = body.name.clone();
    }
    let status = if errors.is_empty() { StatusCode::OK } else { StatusCode::BAD_REQUEST };
    let page = DatesPage {
        layout: user.layout("Work out a deadline").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        field: FieldView::date("on", "Date", "For example, 3 2 2014", &values, &errors),
        errors,
        body_name,
        on: on.map(long_date).unwrap_or_default(),
        warnings,
        answers: answers_list,
    };
    render_with_status(status, &page)
}
