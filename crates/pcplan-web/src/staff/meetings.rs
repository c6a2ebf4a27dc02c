//! Panel meetings: `GET /staff/meetings` lists every body's meetings with the date,
//! the papers deadline fixed when each was scheduled, when the papers were published
//! and whether that was on time, with a visible warning for a meeting on a weekend or a
//! bank holiday. Editors and administrators schedule a meeting with
//! `POST /staff/meetings` and record when its papers were published with
//! `POST /staff/meetings/{meeting}/papers`. A meeting with uploaded papers shows the
//! worst clear-days status of its papers; each meeting links to its own page
//! (`staff/meeting.rs`) for the agenda, attendance, minutes and papers.
//!
//! The deadline is computed by the store from the body's clock settings and the calendar
//! with overrides when the meeting is scheduled, and is never recomputed here. A
//! publication date after the deadline, or after the meeting itself, is accepted and
//! shown as late: the record must say what happened, as in the Panel's letter of 14
//! February 2014.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::{Datelike, NaiveDate, Weekday};
use pcplan_domain::clock::PapersCheck;
use pcplan_domain::meeting::{Meeting, MeetingWarning};
use pcplan_domain::{BodyId, Calendar, MeetingId};

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{Crumb, DoneQuery, Refusal, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// One meeting as its card shows it.
pub struct MeetingView {
    pub id: String,
    pub title: String,
    pub held_on: String,
    pub due_on: String,
    pub rule: String,
    pub published_on: String,
    pub status: &'static str,
    pub tag: &'static str,
    pub detail: String,
    pub warnings: Vec<String>,
    pub field: FieldView,
    pub action: String,
}

/// A body and its meetings.
pub struct BodyMeetings {
    pub name: String,
    pub meetings: Vec<MeetingView>,
}

#[derive(Template)]
#[template(path = "staff/meetings.html")]
pub struct MeetingsPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub bodies: Vec<BodyMeetings>,
    pub notice: Option<String>,
    /// Every error on the page, for the summary.
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    /// The only body's id, sent with the schedule form when there is no choice to make.
    pub only_body: Option<String>,
    pub editable: bool,
}

/// The date on a meeting's own form, which needs ids of its own on a page of several.
fn papers_id(meeting: MeetingId) -> String {
    format!("published-{meeting}")
}

/// The status of a meeting's papers: (label, tag class, explanation).
fn status(meeting: &Meeting, calendar: &Calendar, today: NaiveDate) -> (&'static str, &'static str, String) {
    let rule = meeting.day_rule.as_str();
    let due = long_date(meeting.papers_due_on);
    match meeting.papers_check(calendar) {
        Ok(None) if today > meeting.papers_due_on => {
            ("Overdue", "govuk-tag--red", format!("The papers were due by {due} and are not recorded as published."))
        }
        Ok(None) => ("Not yet published", "govuk-tag--yellow", format!("The papers are due by {due}.")),
        Ok(Some(PapersCheck::OnTime { clear_days, .. })) => {
            ("On time", "govuk-tag--green", format!("Published {clear_days} clear {rule} days before the meeting."))
        }
        Ok(Some(PapersCheck::Late { clear_days, required })) => (
            "Late",
            "govuk-tag--red",
            format!(
                "Late: published {clear_days} clear {rule} days before the meeting, where {required} were due (by {due})."
            ),
        ),
        Ok(Some(PapersCheck::AfterMeeting)) => {
            ("Late", "govuk-tag--red", String::from("Late: published on or after the day of the meeting."))
        }
        Err(error) => ("Cannot check", "govuk-tag--grey", sentence(&error.to_string())),
    }
}

/// Words for each warning about the meeting's date.
fn warnings(meeting: &Meeting, calendar: &Calendar) -> Vec<String> {
    meeting
        .warnings(calendar)
        .into_iter()
        .map(|warning| match warning {
            MeetingWarning::NotAWorkingDay => {
                let day = meeting.held_on.format("%A").to_string();
                let holiday = calendar
                    .holidays(meeting.held_on.year())
                    .unwrap_or_default()
                    .into_iter()
                    .find(|h| h.date == meeting.held_on);
                match (holiday, meeting.held_on.weekday()) {
                    (Some(h), _) => format!("The meeting is on a bank holiday ({}), not a working day.", h.name),
                    (None, Weekday::Sat | Weekday::Sun) => {
                        format!("The meeting is on a {day}, not a working day.")
                    }
                    (None, _) => format!("The meeting is on {day}, not a working day."),
                }
            }
        })
        .collect()
}

/// What the page shows besides the stored meetings: the schedule form's values and
/// errors, and the papers form of one meeting that was refused.
struct Forms<'a> {
    schedule: (&'a FormValues, FieldErrors),
    papers: Option<(MeetingId, &'a FormValues, FieldErrors)>,
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    forms: Forms<'_>,
    notice: Option<String>,
) -> Result<MeetingsPage, PageError> {
    let calendar = state.store.calendar().await?;
    let today = crate::today();
    let bodies = state.store.bodies().await?;
    let empty = FormValues::default();
    let no_errors = FieldErrors::default();
    let mut summary = FieldErrors(forms.schedule.1.0.clone());
    let mut groups = Vec::new();
    for body in &bodies {
        let mut meetings = Vec::new();
        for meeting in state.store.meetings(body.id).await? {
            let (values, errors) = match &forms.papers {
                Some((id, values, errors)) if *id == meeting.id => (*values, errors),
                _ => (&empty, &no_errors),
            };
            let mut field = FieldView::date(
                "published_on",
                "Date the papers were published",
                "For example, 24 1 2014",
                values,
                errors,
            );
            field.id = papers_id(meeting.id);
            let (mut status, mut tag, mut detail) = status(&meeting, &calendar, today);
            // With uploaded papers, the meeting shows the worst of their clear-days checks.
            let mut timings = Vec::new();
            for paper in state.store.papers(meeting.id).await? {
                let timing = pcplan_domain::paper::timing(&paper, &meeting, &calendar)
                    .map_err(|e| PageError::Internal(e.to_string()))?;
                timings.push(timing);
            }
            if let Some(worst) = pcplan_domain::paper::worst(&timings) {
                (status, tag, detail) = crate::papers::timing_words(worst, meeting.day_rule.as_str());
                detail = format!("Worst of {} paper(s): {detail}", timings.len());
            }
            meetings.push(MeetingView {
                id: meeting.id.to_string(),
                title: meeting.title.clone(),
                held_on: meeting.held_on.format("%A %-d %B %Y").to_string(),
                due_on: long_date(meeting.papers_due_on),
                rule: format!(
                    "{} clear {} days before the meeting",
                    meeting.required_clear_days,
                    meeting.day_rule.as_str()
                ),
                published_on: meeting.papers_published_on.map(long_date).unwrap_or_else(|| String::from("Not yet")),
                status,
                tag,
                detail,
                warnings: warnings(&meeting, &calendar),
                field,
                action: format!("/staff/meetings/{}/papers", meeting.id),
            });
        }
        groups.push(BodyMeetings { name: body.name.clone(), meetings });
    }
    if let Some((_, _, errors)) = forms.papers {
        summary.0.extend(errors.0);
    }
    let (values, errors) = forms.schedule;
    let mut fields = Vec::new();
    if bodies.len() > 1 {
        let options: Vec<(String, String, String)> =
            bodies.iter().map(|b| (b.id.to_string(), b.name.clone(), String::new())).collect();
        fields.push(FieldView::radios("body", "Which policing body's Panel?", "", &options, values, &errors));
    }
    fields.push(FieldView::text("title", "Title", "For example, Police and Crime Panel", values, &errors));
    fields.push(FieldView::date(
        "held_on",
        "Date of the meeting",
        "For example, 3 2 2014. The papers deadline is worked out from the clock settings and the bank holidays, and then kept.",
        values,
        &errors,
    ));
    Ok(MeetingsPage {
        layout: user.layout("Panel meetings").with_errors(!summary.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        bodies: groups,
        notice,
        errors: summary,
        fields,
        only_body: match bodies.as_slice() {
            [only] => Some(only.id.to_string()),
            _ => None,
        },
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel) && !bodies.is_empty(),
    })
}

/// `GET /staff/meetings`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = match done.done.as_deref() {
        Some("scheduled") => Some(String::from("Meeting scheduled")),
        Some("papers") => Some(String::from("Publication of the papers recorded")),
        _ => None,
    };
    let values = FormValues::default();
    let forms = Forms { schedule: (&values, FieldErrors::default()), papers: None };
    render(&build(&state, &user, forms, notice).await?)
}

/// `POST /staff/meetings`: schedules a meeting.
pub async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    // With one body the form sends it hidden; a request without it means that body.
    let bodies = state.store.bodies().await?;
    let body = match (values.get("body").trim(), bodies.as_slice()) {
        ("", [only]) => Some(only.id),
        (raw, _) => raw.parse::<BodyId>().ok(),
    };
    let mut reader = FormReader::new(&values);
    if body.is_none() {
        reader.errors.add("body", "Select the policing body");
    }
    let title = reader.text("title", "Title", true);
    let held_on = reader.date("held_on", "Date of the meeting", true);
    let mut errors = reader.errors;
    if let (Some(body), Some(held_on), true) = (body, held_on, errors.is_empty()) {
        match state.store.schedule_meeting(&user.actor(), MeetingId::new(), body, &title, held_on).await {
            Ok(_) => return Ok(see_other("/staff/meetings?done=scheduled")),
            Err(pcplan_store::StoreError::NotFound { .. }) => errors.add("body", "Select the policing body"),
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add_at("held_on", "held_on-day", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        if p.path == "title" {
                            errors.add("title", sentence(&format!("Title {}", p.problem)));
                        } else {
                            errors.add_at("held_on", "held_on-day", sentence(&format!("Date {}", p.problem)));
                        }
                    }
                }
            },
        }
    }
    let forms = Forms { schedule: (&values, errors), papers: None };
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &build(&state, &user, forms, None).await?)
}

/// `POST /staff/meetings/{meeting}/papers`: records when the papers were published. A
/// date after the deadline is stored and shown as late.
pub async fn papers(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(meeting): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let id: MeetingId = meeting.parse().map_err(|_| PageError::NotFound)?;
    state.store.meeting(id).await?.ok_or(PageError::NotFound)?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let published = reader.date("published_on", "Date the papers were published", true);
    // The reader links errors to `published_on-…`; this meeting's boxes have their own ids.
    let anchor = papers_id(id);
    let mut errors = FieldErrors(
        reader
            .errors
            .0
            .into_iter()
            .map(|mut e| {
                e.anchor = e.anchor.replacen("published_on", &anchor, 1);
                e
            })
            .collect(),
    );
    if let (Some(published), true) = (published, errors.is_empty()) {
        match state.store.set_papers_published(&user.actor(), id, published).await {
            Ok(_) => return Ok(see_other("/staff/meetings?done=papers")),
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add_at("published_on", &format!("{anchor}-day"), message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let message = sentence(&format!("Date {}", p.problem));
                        errors.add_at("published_on", &format!("{anchor}-day"), message);
                    }
                }
            },
        }
    }
    let schedule_values = FormValues::default();
    let forms = Forms { schedule: (&schedule_values, FieldErrors::default()), papers: Some((id, &values, errors)) };
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &build(&state, &user, forms, None).await?)
}
