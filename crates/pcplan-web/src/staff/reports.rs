//! Panel reports on the staff pages: the list (`/staff/reports`), entering a report and
//! editing it section by section (`/staff/reports/{id}`: add, change, move and remove
//! sections and their entries), the Commissioner's response (`/staff/reports/{id}/response`:
//! answer each recommendation, write the covering letter, mark it reviewed, publish it),
//! the response document as it will be published (`/staff/reports/{id}/document`), and
//! the tracker of requests for information and work programme items (`/staff/tracker`).
//!
//! Every change is one store call ([`pcplan_store::Store::edit_report`] or
//! `publish_response`), checked whole by the domain; a refused form is shown again with
//! status 422, its errors beside the fields. Each form is its own page, reached by a
//! link from the report, so a report of ten sections stays one readable page. Viewers
//! see everything and no form. This module holds no rule about reports (the domain
//! does) and no SQL.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::HeaderValue;
use axum::http::StatusCode;
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::response::{Html, IntoResponse, Response};
use pcplan_domain::report::{
    Answer, Direction, Done, Edit, EntryInput, EntryKind, Letter, Owner, PartId, PlanLink, Report, ReportInput,
    ResponseLetter, Review, Stance, Tracking, response_document,
};
use pcplan_domain::{ItemId, RecordKind, ReportId};
use pcplan_store::{StoreError, User};

use super::forms::{Control, FieldErrors, FieldView, FormReader, FormValues, OptionView};
use super::outline::long_date;
use super::{Crumb, DoneQuery, Refusal, can_edit, problems_to_errors, refusal, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

// ---- shared pieces ----

/// `/staff/reports/{id}`.
pub fn report_path(id: ReportId) -> String {
    format!("/staff/reports/{id}")
}

fn parse_report_id(raw: &str) -> Result<ReportId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

fn parse_part(raw: &str) -> Result<PartId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn load(state: &AppState, raw: &str) -> Result<Report, PageError> {
    let id = parse_report_id(raw)?;
    state.store.report(id).await?.ok_or(PageError::NotFound)
}

fn crumbs(report: Option<&Report>) -> Vec<Crumb> {
    let mut crumbs = vec![Crumb::new("Staff", "/staff"), Crumb::new("Panel reports", "/staff/reports")];
    if let Some(report) = report {
        crumbs.push(Crumb::new(short_title(report), report_path(report.id)));
    }
    crumbs
}

/// The letter's subject, or else the title: the report's titles are long.
fn short_title(report: &Report) -> String {
    if report.letter.subject.trim().is_empty() { report.title.clone() } else { report.letter.subject.clone() }
}

/// A store refusal as form errors: a message goes beside the first field, problems
/// beside the field they name.
fn form_errors(error: StoreError, fields: &[&str], dates: &[&str]) -> Result<FieldErrors, PageError> {
    Ok(match refusal(error)? {
        Refusal::Message(message) => {
            let mut errors = FieldErrors::default();
            let first = fields.first().copied().unwrap_or("");
            let anchor = if dates.contains(&first) { format!("{first}-day") } else { first.to_string() };
            errors.add_at(first, &anchor, message);
            errors
        }
        Refusal::Problems(problems) => problems_to_errors(&problems, fields, dates),
    })
}

/// A select box with options given as (value, label).
fn select(
    name: &str,
    label: &str,
    hint: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut view = FieldView::text(name, label, hint, values, errors);
    view.control = Control::Select;
    let chosen = values.get(name).to_string();
    view.options = options
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: value == chosen,
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect();
    view
}

fn radios(
    name: &str,
    label: &str,
    hint: &str,
    options: &[(&str, &str)],
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let options: Vec<(String, String, String)> =
        options.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect();
    FieldView::radios(name, label, hint, &options, values, errors)
}

/// One form on its own page: entering or changing a report, a section, an entry, an
/// answer, the letter, or the tracking of a request.
#[derive(Template)]
#[template(path = "staff/report_form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub heading: String,
    /// Paragraphs shown above the form (the recommendation being answered).
    pub context: Vec<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub submit: String,
    pub back: String,
}

impl FormPage {
    fn respond(self) -> Result<Response, PageError> {
        if self.errors.is_empty() { render(&self) } else { render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &self) }
    }
}

/// The refusal after publication, as a page rather than a form.
fn published_refusal(report: &Report) -> Option<PageError> {
    report.response.published.as_ref().map(|_| PageError::Forbidden)
}

// ---- the list ----

pub struct ReportRow {
    pub href: String,
    pub title: String,
    pub received_on: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub open_items: usize,
}

#[derive(Template)]
#[template(path = "staff/reports.html")]
pub struct ReportsPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub rows: Vec<ReportRow>,
    pub editable: bool,
}

fn state_tag(report: &Report) -> (&'static str, &'static str) {
    use pcplan_domain::report::ResponseState;
    let state = report.state();
    let tag = match state {
        ResponseState::Drafting => "govuk-tag--yellow",
        ResponseState::Reviewed => "govuk-tag--blue",
        ResponseState::Published => "govuk-tag--green",
    };
    (state.label(), tag)
}

/// `GET /staff/reports`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let rows = state
        .store
        .reports()
        .await?
        .iter()
        .map(|r| {
            let (state, tag) = state_tag(r);
            ReportRow {
                href: report_path(r.id),
                title: short_title(r),
                received_on: long_date(r.received_on),
                state,
                tag,
                open_items: r.open_tracked().len(),
            }
        })
        .collect();
    let notice = match done.done.as_deref() {
        Some("deleted") => Some(String::from("Report removed")),
        _ => None,
    };
    render(&ReportsPage {
        layout: user.layout("Panel reports"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        notice,
        rows,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
    })
}

// ---- entering a report: its details ----

const DETAIL_FIELDS: &[&str] =
    &["meeting", "process", "title", "received_on", "subject", "from", "to", "dated", "text", "members"];
const DETAIL_DATES: &[&str] = &["received_on", "dated"];

async fn detail_fields(
    state: &AppState,
    values: &FormValues,
    errors: &FieldErrors,
) -> Result<Vec<FieldView>, PageError> {
    let mut meetings = vec![(String::new(), String::from("Choose the meeting"))];
    for body in state.store.bodies().await? {
        for m in state.store.meetings(body.id).await? {
            meetings.push((m.id.to_string(), format!("{}, {}", m.title, long_date(m.held_on))));
        }
    }
    let mut processes = vec![(String::new(), String::from("None"))];
    for plan in state.store.plans().await? {
        for p in state.store.processes(plan.id).await? {
            let kind = match p.process.kind {
                pcplan_domain::process::ProcessKind::Issue => "issue of the plan",
                pcplan_domain::process::ProcessKind::Variation => "variation of the plan",
            };
            let since = p.process.steps.first().map(|(_, e)| format!(", from {}", long_date(e.on))).unwrap_or_default();
            processes.push((p.id.to_string(), format!("{}: {kind}{since}", plan.title)));
        }
    }
    Ok(vec![
        select("meeting", "Panel meeting the report comes from", "", meetings, values, errors),
        select(
            "process",
            "Issue or variation process it concerns",
            "Publishing the response records the process's response steps.",
            processes,
            values,
            errors,
        ),
        FieldView::textarea("title", "Title of the report", "", values, errors),
        FieldView::date("received_on", "Date received", "For example, 14 2 2014", values, errors),
        FieldView::text("subject", "Subject of the covering letter", "", values, errors),
        FieldView::textarea(
            "from",
            "Covering letter from",
            "Name, role and address, one on each line.",
            values,
            errors,
        ),
        FieldView::textarea(
            "to",
            "Covering letter to",
            "Name, role and address, and any copies, one on each line.",
            values,
            errors,
        ),
        FieldView::date("dated", "Date of the covering letter", "", values, errors),
        FieldView::textarea(
            "text",
            "Text of the covering letter",
            "From the greeting to the signature. Leave a blank line between paragraphs.",
            values,
            errors,
        ),
        FieldView::textarea("members", "Members present", "As the report lists them.", values, errors),
    ])
}

fn detail_values(report: &Report) -> FormValues {
    let mut values = FormValues::default();
    values.push("meeting", report.meeting_id.to_string());
    values.push("process", report.process_id.map(|p| p.to_string()).unwrap_or_default());
    values.push("title", report.title.clone());
    values.push_date("received_on", Some(report.received_on));
    values.push("subject", report.letter.subject.clone());
    values.push("from", report.letter.from.clone());
    values.push("to", report.letter.to.clone());
    values.push_date("dated", Some(report.letter.dated));
    values.push("text", report.letter.text.clone());
    values.push("members", report.members_present.clone());
    values
}

/// Reads the details form into an input with no sections; the caller adds them.
fn read_details(values: &FormValues) -> Result<ReportInput, FieldErrors> {
    let mut r = FormReader::new(values);
    let meeting = r.choice("meeting", "Panel meeting", |v| v.parse().ok());
    let process = match values.get("process").trim() {
        "" => None,
        raw => match raw.parse() {
            Ok(id) => Some(id),
            Err(_) => {
                r.errors.add("process", "Select the process from the list");
                None
            }
        },
    };
    let title = r.text("title", "Title of the report", true);
    let received_on = r.date("received_on", "Date received", true);
    let subject = r.text("subject", "Subject", false);
    let from = r.text("from", "Covering letter from", true);
    let to = r.text("to", "Covering letter to", true);
    let dated = r.date("dated", "Date of the covering letter", true);
    let text = r.text("text", "Text of the covering letter", true);
    let members = r.text("members", "Members present", false);
    match (meeting, received_on, dated, r.errors.is_empty()) {
        (Some(meeting_id), Some(received_on), Some(dated), true) => Ok(ReportInput {
            meeting_id,
            process_id: process,
            received_on,
            title,
            letter: Letter { from, to, dated, subject, text },
            members_present: members,
            sections: Vec::new(),
        }),
        _ => Err(r.errors),
    }
}

async fn details_page(
    state: &AppState,
    user: &CurrentUser,
    report: Option<&Report>,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let (heading, action, submit, back) = match report {
        Some(r) => (String::from("Change the report's details"), report_path(r.id), "Save details", report_path(r.id)),
        None => (
            String::from("Enter a Panel report"),
            String::from("/staff/reports"),
            "Save and continue",
            String::from("/staff/reports"),
        ),
    };
    FormPage {
        layout: user.layout(heading.clone()).with_errors(!errors.is_empty()),
        crumbs: crumbs(report),
        caption: String::from("Panel reports"),
        heading,
        context: vec![String::from(
            "Enter the report's sections, recommendations and requests on the next page, one at a time, in the order of the report.",
        )],
        fields: detail_fields(state, values, &errors).await?,
        errors,
        action,
        submit: submit.to_string(),
        back,
    }
    .respond()
}

/// `GET /staff/reports/new`.
pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    require_editor(&user)?;
    details_page(&state, &user, None, &FormValues::default(), FieldErrors::default()).await
}

/// `POST /staff/reports`: stores a new report and opens it.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let errors = match read_details(&values) {
        Ok(input) => match state.store.create_report(&user.actor(), ReportId::new(), input, false).await {
            Ok(report) => return Ok(see_other(&format!("{}?done=created", report_path(report.id)))),
            Err(error) => details_errors(error)?,
        },
        Err(errors) => errors,
    };
    details_page(&state, &user, None, &values, errors).await
}

fn details_errors(error: StoreError) -> Result<FieldErrors, PageError> {
    // `letter.from` and the like name the form's fields by their last part.
    form_errors(error, DETAIL_FIELDS, DETAIL_DATES)
}

/// `GET /staff/reports/{id}/details`.
pub async fn details_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    details_page(&state, &user, Some(&report), &detail_values(&report), FieldErrors::default()).await
}

/// `POST /staff/reports/{id}`: replaces the details, keeping every section and entry.
pub async fn update_details(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_details(&values) {
        Ok(mut input) => {
            input.sections = report.to_input().sections;
            match state.store.edit_report(&user.actor(), report.id, Edit::Replace(input)).await {
                Ok(_) => return Ok(see_other(&format!("{}?done=details", report_path(report.id)))),
                Err(error) => details_errors(error)?,
            }
        }
        Err(errors) => errors,
    };
    details_page(&state, &user, Some(&report), &values, errors).await
}

// ---- the report, section by section ----

pub struct EntryView {
    pub id: String,
    /// `R3`, or the kind's label.
    pub label: String,
    pub is_recommendation: bool,
    pub paragraphs: Vec<String>,
    /// Owner, due date and state of a tracked entry; empty otherwise.
    pub tracking: String,
    /// The form that updates a tracked entry's owner, due date and state; empty for an
    /// entry that is not tracked.
    pub track_href: String,
    pub edit_href: String,
    pub move_action: String,
    pub delete_action: String,
}

pub struct SectionView {
    pub id: String,
    pub heading: String,
    pub paragraphs: Vec<String>,
    pub entries: Vec<EntryView>,
    pub edit_href: String,
    pub move_action: String,
    pub delete_action: String,
    pub add_entry_href: String,
}

#[derive(Template)]
#[template(path = "staff/report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub title: String,
    pub id: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub meeting: String,
    pub process: String,
    pub received_on: String,
    pub subject: String,
    pub letter_from: Vec<String>,
    pub letter_to: Vec<String>,
    pub letter_dated: String,
    pub letter_text: Vec<String>,
    pub members: String,
    pub sections: Vec<SectionView>,
    pub recommendations: usize,
    pub requests: usize,
    pub work_items: usize,
    pub noted: usize,
    /// Editors, while the response is not published.
    pub editable: bool,
    /// Panel officers and editors update the tracking of requests and work items, even
    /// after the response is published.
    pub can_track: bool,
    pub published: bool,
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_string).collect()
}

/// `Owner: Chief Executive, OPCC. Due 31 March 2014. Open` for a tracked entry.
fn tracking_text(tracking: Option<&Tracking>, users: &[User]) -> String {
    let Some(t) = tracking else { return String::new() };
    let owner = match &t.owner {
        Some(Owner::Staff(id)) => users
            .iter()
            .find(|u| u.id == *id)
            .map(|u| u.display_name.clone())
            .unwrap_or_else(|| String::from("a former account")),
        Some(Owner::Officer(name)) => name.clone(),
        None => String::from("no owner yet"),
    };
    let due = t.due_on.map(|d| format!(" Due {}.", long_date(d))).unwrap_or_else(|| String::from(" No due date."));
    let state = match &t.done {
        Some(done) => format!(" Done on {}: {}", long_date(done.on), done.provided),
        None => String::from(" Open."),
    };
    format!("Owner: {owner}.{due}{state}")
}

/// `GET /staff/reports/{id}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    let users = state.store.users().await?;
    let meeting = state
        .store
        .meeting(report.meeting_id)
        .await?
        .map(|m| format!("{}, {}", m.title, long_date(m.held_on)))
        .unwrap_or_default();
    let process = match report.process_id {
        Some(p) => match state.store.process(p).await? {
            Some(stored) => format!(
                "{} process of the plan (open it from the plan's processes page)",
                match stored.process.kind {
                    pcplan_domain::process::ProcessKind::Issue => "Issue",
                    pcplan_domain::process::ProcessKind::Variation => "Variation",
                }
            ),
            None => String::new(),
        },
        None => String::from("None"),
    };
    let base = report_path(report.id);
    let sections = report
        .sections
        .iter()
        .map(|s| SectionView {
            id: s.id.to_string(),
            heading: s.heading.clone(),
            paragraphs: pcplan_domain::report::paragraphs(&s.text),
            entries: s
                .entries
                .iter()
                .map(|e| EntryView {
                    id: e.id.to_string(),
                    label: match report.number(e.id) {
                        Some(n) => format!("{n}: recommendation"),
                        None => e.kind.label().to_string(),
                    },
                    is_recommendation: e.kind == EntryKind::Recommendation,
                    paragraphs: pcplan_domain::report::paragraphs(&e.text),
                    tracking: tracking_text(e.tracking.as_ref(), &users),
                    track_href: if e.kind.is_tracked() { format!("{base}/tracked/{}", e.id) } else { String::new() },
                    edit_href: format!("{base}/entries/{}", e.id),
                    move_action: format!("{base}/entries/{}/move", e.id),
                    delete_action: format!("{base}/entries/{}/delete", e.id),
                })
                .collect(),
            edit_href: format!("{base}/sections/{}", s.id),
            move_action: format!("{base}/sections/{}/move", s.id),
            delete_action: format!("{base}/sections/{}/delete", s.id),
            add_entry_href: format!("{base}/sections/{}/entries/new", s.id),
        })
        .collect();
    let count = |kind: EntryKind| report.entries().filter(|(_, e)| e.kind == kind).count();
    let notice = match done.done.as_deref() {
        Some("created") => Some(String::from("Report saved: now add its sections")),
        Some("details") => Some(String::from("Details saved")),
        Some("section") => Some(String::from("Section saved")),
        Some("entry") => Some(String::from("Entry saved")),
        Some("moved") => Some(String::from("Moved")),
        Some("removed") => Some(String::from("Removed")),
        _ => None,
    };
    let (state_label, tag) = state_tag(&report);
    render(&ReportPage {
        layout: user.layout(short_title(&report)),
        crumbs: crumbs(None),
        notice,
        title: report.title.clone(),
        id: report.id.to_string(),
        state: state_label,
        tag,
        meeting,
        process,
        received_on: long_date(report.received_on),
        subject: report.letter.subject.clone(),
        letter_from: lines(&report.letter.from),
        letter_to: lines(&report.letter.to),
        letter_dated: long_date(report.letter.dated),
        letter_text: pcplan_domain::report::paragraphs(&report.letter.text),
        members: report.members_present.clone(),
        sections,
        recommendations: count(EntryKind::Recommendation),
        requests: count(EntryKind::InformationRequest),
        work_items: count(EntryKind::WorkItem),
        noted: count(EntryKind::NotedCommitment),
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel)
            && report.response.published.is_none(),
        can_track: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
        published: report.response.published.is_some(),
    })
}

// ---- sections ----

fn section_page(
    user: &CurrentUser,
    report: &Report,
    section: Option<PartId>,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let base = report_path(report.id);
    let (heading, action) = match section {
        Some(s) => (String::from("Change a section"), format!("{base}/sections/{s}")),
        None => (String::from("Add a section"), format!("{base}/sections")),
    };
    FormPage {
        layout: user.layout(heading.clone()).with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        caption: short_title(report),
        heading,
        context: Vec::new(),
        fields: vec![
            FieldView::text("heading", "Heading", "The topic, as the report names it: Neighbourhood Watch.", values, &errors),
            FieldView::textarea(
                "text",
                "The Panel's text",
                "What the Panel wrote under the heading before its recommendations and requests, which are added one by one. Leave a blank line between paragraphs.",
                values,
                &errors,
            ),
        ],
        errors,
        action,
        submit: String::from("Save section"),
        back: base,
    }
    .respond()
}

/// `GET /staff/reports/{id}/sections/new`.
pub async fn new_section_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    section_page(&user, &report, None, &FormValues::default(), FieldErrors::default())
}

/// `GET /staff/reports/{id}/sections/{section}`.
pub async fn section_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    let part = parse_part(&part)?;
    let section = report.section(part).ok_or(PageError::NotFound)?;
    let mut values = FormValues::default();
    values.push("heading", section.heading.clone());
    values.push("text", section.text.clone());
    section_page(&user, &report, Some(part), &values, FieldErrors::default())
}

async fn save_section(
    state: &AppState,
    user: &CurrentUser,
    id: &str,
    section: Option<PartId>,
    pairs: Vec<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(user)?;
    let report = load(state, id).await?;
    let values = FormValues::new(pairs);
    let mut r = FormReader::new(&values);
    let heading = r.text("heading", "Heading", true);
    let text = r.text("text", "The Panel's text", false);
    let mut errors = r.errors;
    if errors.is_empty() {
        let edit = match section {
            Some(section) => Edit::UpdateSection { section, heading, text },
            None => Edit::AddSection { heading, text },
        };
        match state.store.edit_report(&user.actor(), report.id, edit).await {
            Ok(_) => return Ok(see_other(&format!("{}?done=section", report_path(report.id)))),
            Err(error) => errors = form_errors(error, &["heading", "text"], &[])?,
        }
    }
    section_page(user, &report, section, &values, errors)
}

/// `POST /staff/reports/{id}/sections`.
pub async fn add_section(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    save_section(&state, &user, &id, None, pairs).await
}

/// `POST /staff/reports/{id}/sections/{section}`.
pub async fn update_section(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let part = parse_part(&part)?;
    save_section(&state, &user, &id, Some(part), pairs).await
}

fn direction(values: &FormValues) -> Result<Direction, PageError> {
    match values.get("direction") {
        "up" => Ok(Direction::Up),
        "down" => Ok(Direction::Down),
        _ => Err(PageError::NotFound),
    }
}

/// Applies a move or a removal from a button; a refusal (the response is published)
/// is the 403 page, since there is no form to show it beside.
async fn button_edit(
    state: &AppState,
    user: &CurrentUser,
    report: ReportId,
    edit: Edit,
    done: &str,
) -> Result<Response, PageError> {
    match state.store.edit_report(&user.actor(), report, edit).await {
        Ok(_) => Ok(see_other(&format!("{}?done={done}", report_path(report)))),
        Err(StoreError::Conflict(_)) => Err(PageError::Forbidden),
        Err(error) => Err(error.into()),
    }
}

/// `POST /staff/reports/{id}/sections/{section}/move`: `direction=up|down`.
pub async fn move_section(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = parse_report_id(&id)?;
    let section = parse_part(&part)?;
    let direction = direction(&FormValues::new(pairs))?;
    button_edit(&state, &user, report, Edit::MoveSection { section, direction }, "moved").await
}

/// `POST /staff/reports/{id}/sections/{section}/delete`: removes the section and its entries.
pub async fn delete_section(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = parse_report_id(&id)?;
    let section = parse_part(&part)?;
    button_edit(&state, &user, report, Edit::RemoveSection { section }, "removed").await
}

// ---- entries ----

const ENTRY_FIELDS: &[&str] = &["kind", "text", "owner", "officer", "due_on"];

fn kind_options() -> Vec<(&'static str, &'static str)> {
    EntryKind::ALL.iter().map(|k| (k.as_str(), k.label())).collect()
}

fn owner_options(users: &[User]) -> Vec<(String, String)> {
    let mut options = vec![(String::new(), String::from("No staff owner"))];
    options.extend(users.iter().filter(|u| u.active).map(|u| (u.id.to_string(), u.display_name.clone())));
    options
}

fn owner_fields(users: &[User], values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    vec![
        select("owner", "Owner on the staff", "", owner_options(users), values, errors),
        FieldView::text(
            "officer",
            "Or a named officer",
            "For someone without an account: Temporary Deputy Chief Constable.",
            values,
            errors,
        ),
    ]
}

fn owner_values(values: &mut FormValues, owner: Option<&Owner>) {
    match owner {
        Some(Owner::Staff(id)) => {
            values.push("owner", id.to_string());
            values.push("officer", "");
        }
        Some(Owner::Officer(name)) => {
            values.push("owner", "");
            values.push("officer", name.clone());
        }
        None => {}
    }
}

fn read_owner(r: &mut FormReader<'_>, values: &FormValues) -> Option<Owner> {
    let staff = values.get("owner").trim();
    let officer = values.get("officer").trim();
    match (staff, officer) {
        ("", "") => None,
        ("", name) => Some(Owner::Officer(name.to_string())),
        (id, "") => match id.parse() {
            Ok(id) => Some(Owner::Staff(id)),
            Err(_) => {
                r.errors.add("owner", "Select the owner from the list");
                None
            }
        },
        _ => {
            r.errors.add("officer", "Choose an owner on the staff or name an officer, not both");
            None
        }
    }
}

async fn entry_page(
    state: &AppState,
    user: &CurrentUser,
    report: &Report,
    target: Result<PartId, PartId>,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let base = report_path(report.id);
    // Ok(entry) changes an entry; Err(section) adds one to a section.
    let (heading, action, section) = match target {
        Ok(entry) => {
            let section =
                report.entries().find(|(_, e)| e.id == entry).map(|(s, _)| s.heading.clone()).unwrap_or_default();
            (String::from("Change an entry"), format!("{base}/entries/{entry}"), section)
        }
        Err(section) => (
            String::from("Add to a section"),
            format!("{base}/sections/{section}/entries"),
            report.section(section).map(|s| s.heading.clone()).unwrap_or_default(),
        ),
    };
    let users = state.store.users().await?;
    let mut fields = vec![
        radios("kind", "What is it?", "", &kind_options(), values, &errors),
        FieldView::textarea("text", "The Panel's words", "Copy them from the report.", values, &errors),
    ];
    fields.extend(owner_fields(&users, values, &errors));
    fields.push(FieldView::date(
        "due_on",
        "Due date",
        "Requests for information and work programme items only. For example, 31 3 2014",
        values,
        &errors,
    ));
    FormPage {
        layout: user.layout(heading.clone()).with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        caption: section,
        heading,
        context: vec![String::from(
            "Recommendations are numbered R1, R2 and so on across the whole report, in the order they appear. Requests for information and work programme items go on the tracker with their owner and due date.",
        )],
        fields,
        errors,
        action,
        submit: String::from("Save"),
        back: base,
    }
    .respond()
}

fn read_entry(values: &FormValues, id: Option<PartId>) -> Result<EntryInput, FieldErrors> {
    let mut r = FormReader::new(values);
    let kind = r.choice("kind", "kind of entry", EntryKind::parse);
    let text = r.text("text", "Panel's words", true);
    let owner = read_owner(&mut r, values);
    let due_on = r.date("due_on", "Due date", false);
    match (kind, r.errors.is_empty()) {
        (Some(kind), true) => Ok(EntryInput { id, kind, text, owner, due_on }),
        _ => Err(r.errors),
    }
}

/// `GET /staff/reports/{id}/sections/{section}/entries/new`.
pub async fn new_entry_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    let section = parse_part(&part)?;
    report.section(section).ok_or(PageError::NotFound)?;
    let mut values = FormValues::default();
    values.push("kind", "recommendation");
    entry_page(&state, &user, &report, Err(section), &values, FieldErrors::default()).await
}

/// `POST /staff/reports/{id}/sections/{section}/entries`.
pub async fn add_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let section = parse_part(&part)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_entry(&values, None) {
        Ok(input) => match state.store.edit_report(&user.actor(), report.id, Edit::AddEntry { section, input }).await {
            Ok(_) => return Ok(see_other(&format!("{}?done=entry", report_path(report.id)))),
            Err(error) => form_errors(error, ENTRY_FIELDS, &["due_on"])?,
        },
        Err(errors) => errors,
    };
    entry_page(&state, &user, &report, Err(section), &values, errors).await
}

/// `GET /staff/reports/{id}/entries/{entry}`.
pub async fn entry_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    let part = parse_part(&part)?;
    let entry = report.entry(part).ok_or(PageError::NotFound)?;
    let mut values = FormValues::default();
    values.push("kind", entry.kind.as_str());
    values.push("text", entry.text.clone());
    owner_values(&mut values, entry.tracking.as_ref().and_then(|t| t.owner.as_ref()));
    values.push_date("due_on", entry.tracking.as_ref().and_then(|t| t.due_on));
    entry_page(&state, &user, &report, Ok(part), &values, FieldErrors::default()).await
}

/// `POST /staff/reports/{id}/entries/{entry}`.
pub async fn update_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let entry = parse_part(&part)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_entry(&values, Some(entry)) {
        Ok(input) => {
            match state.store.edit_report(&user.actor(), report.id, Edit::UpdateEntry { entry, input }).await {
                Ok(_) => return Ok(see_other(&format!("{}?done=entry", report_path(report.id)))),
                Err(error) => form_errors(error, ENTRY_FIELDS, &["due_on"])?,
            }
        }
        Err(errors) => errors,
    };
    entry_page(&state, &user, &report, Ok(entry), &values, errors).await
}

/// `POST /staff/reports/{id}/entries/{entry}/move`: `direction=up|down`; at the end of a
/// section the entry moves into the next one.
pub async fn move_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = parse_report_id(&id)?;
    let entry = parse_part(&part)?;
    let direction = direction(&FormValues::new(pairs))?;
    button_edit(&state, &user, report, Edit::MoveEntry { entry, direction }, "moved").await
}

/// `POST /staff/reports/{id}/entries/{entry}/delete`.
pub async fn delete_entry(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = parse_report_id(&id)?;
    let entry = parse_part(&part)?;
    button_edit(&state, &user, report, Edit::RemoveEntry { entry }, "removed").await
}

// ---- the response ----

pub struct AnswerRow {
    pub number: String,
    pub topic: String,
    pub recommendation: String,
    pub stance: String,
    pub reasons: Vec<String>,
    pub changes: Vec<String>,
    pub href: String,
}

#[derive(Template)]
#[template(path = "staff/report_response.html")]
pub struct ResponsePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub title: String,
    pub id: String,
    pub state: &'static str,
    pub tag: &'static str,
    pub rows: Vec<AnswerRow>,
    pub unanswered: usize,
    pub letter_to: Vec<String>,
    pub letter_salutation: String,
    pub letter_text: Vec<String>,
    pub letter_signed: Vec<String>,
    pub reviewed: String,
    pub published: String,
    pub publish_fields: Vec<FieldView>,
    pub editable: bool,
    pub can_review: bool,
    pub can_publish: bool,
}

async fn response_page(
    state: &AppState,
    user: &CurrentUser,
    report: &Report,
    notice: Option<String>,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let _ = state;
    let base = report_path(report.id);
    let rows: Vec<AnswerRow> = report
        .recommendations()
        .into_iter()
        .map(|(n, section, entry)| {
            let (stance, reasons, changes) = match &entry.answer {
                Some(a) => (
                    a.stance.label().to_string(),
                    pcplan_domain::report::paragraphs(&a.reasons),
                    a.changes
                        .iter()
                        .map(|c| format!("{}: {}", super::forms::capitalise(c.kind.label()), c.title))
                        .collect(),
                ),
                None => (String::from("Not answered"), Vec::new(), Vec::new()),
            };
            AnswerRow {
                number: format!("R{n}"),
                topic: section.heading.clone(),
                recommendation: entry.text.clone(),
                stance,
                reasons,
                changes,
                href: format!("{base}/answers/{}", entry.id),
            }
        })
        .collect();
    let unanswered = report.recommendations().iter().filter(|(_, _, e)| e.answer.is_none()).count();
    let (state_label, tag) = state_tag(report);
    let letter = &report.response.letter;
    let published = report.response.published.is_some();
    let editable = can_edit(&user.user) && !published;
    // Reviewing and publishing the response are approvals (the permissions table).
    let approver = crate::permissions::may(Some(&user.user), crate::permissions::Access::Approve);
    let publish_fields = vec![
        FieldView::date("published_on", "Date published", "For example, 21 2 2014", values, &errors),
        FieldView::date(
            "sent_to_panel_on",
            "Date given to the Panel",
            "Leave empty if it is the same day. It cannot be after the date published.",
            values,
            &errors,
        ),
    ];
    let page = ResponsePage {
        layout: user.layout(format!("Response: {}", short_title(report))).with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        notice,
        errors,
        title: short_title(report),
        id: report.id.to_string(),
        state: state_label,
        tag,
        unanswered,
        rows,
        letter_to: lines(&letter.to),
        letter_salutation: letter.salutation.clone(),
        letter_text: pcplan_domain::report::paragraphs(&letter.text),
        letter_signed: lines(&letter.signed),
        reviewed: report
            .response
            .reviewed
            .as_ref()
            .map(|r| format!("{} on {}", r.by, long_date(r.on)))
            .unwrap_or_default(),
        published: report
            .response
            .published
            .as_ref()
            .map(|p| {
                format!(
                    "Published on {} (given to the Panel on {}) by {}",
                    long_date(p.on),
                    long_date(p.sent_to_panel_on),
                    p.by
                )
            })
            .unwrap_or_default(),
        publish_fields,
        editable,
        can_review: approver && !published && report.response.reviewed.is_none(),
        can_publish: approver && !published && report.response.reviewed.is_some(),
    };
    if page.errors.is_empty() { render(&page) } else { render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page) }
}

/// `GET /staff/reports/{id}/response`.
pub async fn response(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("answer") => Some(String::from("Answer saved as a draft")),
        Some("letter") => Some(String::from("Letter saved as a draft")),
        Some("reviewed") => Some(String::from("Response marked reviewed")),
        Some("published") => Some(String::from("Response published, and the process's response steps recorded")),
        _ => None,
    };
    response_page(&state, &user, &report, notice, &FormValues::default(), FieldErrors::default()).await
}

/// The plan records an answer may name: the objectives, priorities, commitments,
/// milestones and measures of the plan the report concerns.
async fn plan_options(state: &AppState, report: &Report) -> Result<Vec<(String, String)>, PageError> {
    let plan_id = match report.process_id {
        Some(p) => state.store.process(p).await?.map(|s| s.plan_id),
        None => None,
    };
    let plan_id = match plan_id {
        Some(id) => Some(id),
        None => state.store.plans().await?.into_iter().find(|p| p.body_id == report.body_id).map(|p| p.id),
    };
    let Some(plan_id) = plan_id else { return Ok(Vec::new()) };
    let Some(plan) = state.store.plan(plan_id).await? else { return Ok(Vec::new()) };
    let kinds = [
        RecordKind::Objective,
        RecordKind::Priority,
        RecordKind::Commitment,
        RecordKind::Milestone,
        RecordKind::Measure,
    ];
    let mut options = Vec::new();
    for kind in kinds {
        for item in plan.items.iter().filter(|i| i.record.kind() == kind) {
            options.push((
                item.id.to_string(),
                format!("{}: {}", super::forms::capitalise(kind.label()), item.record.title()),
            ));
        }
    }
    Ok(options)
}

async fn answer_page(
    state: &AppState,
    user: &CurrentUser,
    report: &Report,
    entry: PartId,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let target = report.entry(entry).ok_or(PageError::NotFound)?;
    let number = report.number(entry).ok_or(PageError::NotFound)?;
    let stances: Vec<(&str, &str)> = Stance::ALL.iter().map(|s| (s.as_str(), s.label())).collect();
    let chosen = values.all("changes");
    let mut changes = FieldView::text(
        "changes",
        "Plan records changed in response",
        "Tick each record of the working draft that was added or changed because of this recommendation.",
        values,
        &errors,
    );
    changes.control = Control::Checkboxes;
    changes.options = plan_options(state, report)
        .await?
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: chosen.contains(&value.as_str()),
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect();
    let base = report_path(report.id);
    let mut context = vec![format!("{number}: {}", target.text)];
    if report.response.reviewed.is_some() {
        context.push(String::from("The response is marked reviewed: saving this answer sends it back for review."));
    }
    FormPage {
        layout: user.layout(format!("Answer {number}")).with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        caption: short_title(report),
        heading: format!("Answer {number}"),
        context,
        fields: vec![
            radios("stance", "The Commissioner's response", "", &stances, values, &errors),
            FieldView::textarea(
                "reasons",
                "Reasons",
                "Saved as a draft: nothing is public until the response is published.",
                values,
                &errors,
            ),
            changes,
        ],
        errors,
        action: format!("{base}/answers/{entry}"),
        submit: String::from("Save answer"),
        back: format!("{base}/response"),
    }
    .respond()
}

/// `GET /staff/reports/{id}/answers/{entry}`.
pub async fn answer_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    let entry = parse_part(&part)?;
    let mut values = FormValues::default();
    if let Some(answer) = report.entry(entry).and_then(|e| e.answer.as_ref()) {
        values.push("stance", answer.stance.as_str());
        values.push("reasons", answer.reasons.clone());
        for change in &answer.changes {
            values.push("changes", change.item.to_string());
        }
    }
    answer_page(&state, &user, &report, entry, &values, FieldErrors::default()).await
}

/// `POST /staff/reports/{id}/answers/{entry}`: saves the answer as a draft.
pub async fn save_answer(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let entry = parse_part(&part)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut r = FormReader::new(&values);
    let stance = r.choice("stance", "Commissioner's response", Stance::parse);
    let reasons = r.text("reasons", "Reasons", true);
    let items: Vec<ItemId> = r.checkboxes("changes", "the plan records", |v| v.parse().ok());
    let mut errors = r.errors;
    if let (Some(stance), true) = (stance, errors.is_empty()) {
        let changes =
            items.into_iter().map(|item| PlanLink { item, kind: RecordKind::Section, title: String::new() }).collect();
        let answer = Answer { stance, reasons, changes };
        match state.store.edit_report(&user.actor(), report.id, Edit::Answer { entry, answer }).await {
            Ok(_) => return Ok(see_other(&format!("{}/response?done=answer", report_path(report.id)))),
            Err(error) => errors = form_errors(error, &["stance", "reasons", "changes"], &[])?,
        }
    }
    answer_page(&state, &user, &report, entry, &values, errors).await
}

fn letter_page(
    user: &CurrentUser,
    report: &Report,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let base = report_path(report.id);
    FormPage {
        layout: user.layout("The response's covering letter").with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        caption: short_title(report),
        heading: String::from("The response's covering letter"),
        context: vec![String::from(
            "The letter comes first in the response document, followed by the table of recommendations and answers.",
        )],
        fields: vec![
            FieldView::textarea("to", "To", "Name, role and address, one on each line.", values, &errors),
            FieldView::text("salutation", "Greeting", "For example, Dear Jess", values, &errors),
            FieldView::textarea(
                "text",
                "Text of the letter",
                "Leave a blank line between paragraphs.",
                values,
                &errors,
            ),
            FieldView::textarea("signed", "Signed", "Name and office, one on each line.", values, &errors),
        ],
        errors,
        action: format!("{base}/letter"),
        submit: String::from("Save letter"),
        back: format!("{base}/response"),
    }
    .respond()
}

/// `GET /staff/reports/{id}/letter`.
pub async fn letter_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    if let Some(refused) = published_refusal(&report) {
        return Err(refused);
    }
    let letter = &report.response.letter;
    let mut values = FormValues::default();
    values.push("to", letter.to.clone());
    values.push("salutation", letter.salutation.clone());
    values.push("text", letter.text.clone());
    values.push("signed", letter.signed.clone());
    letter_page(&user, &report, &values, FieldErrors::default())
}

/// `POST /staff/reports/{id}/letter`.
pub async fn save_letter(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let letter = ResponseLetter {
        to: values.get("to").to_string(),
        salutation: values.get("salutation").to_string(),
        text: values.get("text").to_string(),
        signed: values.get("signed").to_string(),
    };
    let errors = match state.store.edit_report(&user.actor(), report.id, Edit::ResponseLetter(letter)).await {
        Ok(_) => return Ok(see_other(&format!("{}/response?done=letter", report_path(report.id)))),
        Err(error) => form_errors(error, &["to", "salutation", "text", "signed"], &[])?,
    };
    letter_page(&user, &report, &values, errors)
}

/// `POST /staff/reports/{id}/review`: marks the response reviewed by the signed-in user today.
pub async fn review(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let review = Review { by: user.user.display_name.clone(), on: crate::today() };
    let errors = match state.store.edit_report(&user.actor(), report.id, Edit::Review(review)).await {
        Ok(_) => return Ok(see_other(&format!("{}/response?done=reviewed", report_path(report.id)))),
        Err(error) => review_errors(error)?,
    };
    response_page(&state, &user, &report, None, &FormValues::default(), errors).await
}

/// Review problems name recommendations (`answers.R2`) and letter fields; each links to
/// where it is fixed on the response page.
fn review_errors(error: StoreError) -> Result<FieldErrors, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(message) => errors.add_at("review", "review", message),
        Refusal::Problems(problems) => {
            for p in problems {
                let anchor = if p.path.starts_with("answers.") { "answers" } else { "letter" };
                errors.0.push(super::forms::FieldError {
                    field: p.path.clone(),
                    anchor: anchor.to_string(),
                    message: super::sentence(&p.problem),
                });
            }
        }
    }
    Ok(errors)
}

/// `POST /staff/reports/{id}/publish`: publishes the reviewed response and records the
/// clock's steps; refused with the reason when a step cannot be recorded.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut r = FormReader::new(&values);
    let on = r.date("published_on", "Date published", true);
    let sent = r.date("sent_to_panel_on", "Date given to the Panel", false);
    let mut errors = r.errors;
    if let (Some(on), true) = (on, errors.is_empty()) {
        let link = crate::public_reports::public_path(report.id);
        match state.store.publish_response(&user.actor(), report.id, on, sent.unwrap_or(on), &link).await {
            Ok(_) => return Ok(see_other(&format!("{}/response?done=published", report_path(report.id)))),
            Err(error) => {
                errors =
                    form_errors(error, &["published_on", "sent_to_panel_on"], &["published_on", "sent_to_panel_on"])?
            }
        }
    }
    response_page(&state, &user, &report, None, &values, errors).await
}

// ---- the response document ----

/// The response document page, shared by the staff preview and the public page.
#[derive(Template)]
#[template(path = "report_document.html")]
pub struct DocumentPage {
    pub css: &'static str,
    pub doc: pcplan_domain::report::ResponseDocument,
}

/// The document's own style sheet (screen and print), inline so that a saved copy
/// keeps its layout; the page's Content-Security-Policy allows exactly it by hash.
pub const DOCUMENT_CSS: &str = include_str!("../../templates/report_document.css");

/// Renders the response document of `report` as a standalone page.
pub fn document_response(report: &Report) -> Result<Response, PageError> {
    let page = DocumentPage { css: DOCUMENT_CSS, doc: response_document(report) };
    let html = page.render()?;
    let mut response = (StatusCode::OK, Html(html)).into_response();
    let hash = {
        use sha2::Digest;
        super::diff::base64_encode(&sha2::Sha256::digest(DOCUMENT_CSS.as_bytes()))
    };
    if let Ok(csp) = HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )) {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

/// `GET /staff/reports/{id}/document`: the response document as it stands, marked as a
/// draft until published.
pub async fn document(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    document_response(&report)
}

// ---- the tracker ----

pub struct TrackedRow {
    pub report: String,
    pub report_href: String,
    pub kind: &'static str,
    pub text: String,
    pub owner: String,
    pub due_on: String,
    pub overdue: bool,
    pub href: String,
}

#[derive(Template)]
#[template(path = "staff/tracker.html")]
pub struct TrackerPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub rows: Vec<TrackedRow>,
    pub done: Vec<TrackedRow>,
    pub editable: bool,
}

fn owner_name(owner: Option<&Owner>, users: &[User]) -> String {
    match owner {
        Some(Owner::Staff(id)) => {
            users.iter().find(|u| u.id == *id).map(|u| u.display_name.clone()).unwrap_or_default()
        }
        Some(Owner::Officer(name)) => name.clone(),
        None => String::from("No owner"),
    }
}

/// `GET /staff/tracker`: every open request for information and work programme item,
/// soonest due first, then those done.
pub async fn tracker(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let users = state.store.users().await?;
    let today = crate::today();
    let mut open = Vec::new();
    let mut finished = Vec::new();
    for report in state.store.reports().await? {
        for (_, entry) in report.entries().filter(|(_, e)| e.kind.is_tracked()) {
            let tracking = entry.tracking.clone().unwrap_or_default();
            let row = TrackedRow {
                report: short_title(&report),
                report_href: report_path(report.id),
                kind: entry.kind.label(),
                text: entry.text.clone(),
                owner: owner_name(tracking.owner.as_ref(), &users),
                due_on: match (&tracking.done, tracking.due_on) {
                    (Some(d), _) => format!("Done on {}", long_date(d.on)),
                    (None, Some(due)) => long_date(due),
                    (None, None) => String::from("No due date"),
                },
                overdue: tracking.done.is_none() && tracking.due_on.is_some_and(|d| d < today),
                href: format!("{}/tracked/{}", report_path(report.id), entry.id),
            };
            match tracking.done {
                Some(_) => finished.push((tracking.due_on, row)),
                None => open.push((tracking.due_on, row)),
            }
        }
    }
    // Soonest first; items without a due date last.
    open.sort_by_key(|(due, _)| (due.is_none(), *due));
    let notice = match done.done.as_deref() {
        Some("tracked") => Some(String::from("Saved")),
        _ => None,
    };
    render(&TrackerPage {
        layout: user.layout("Requests for information and work programme"),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Panel reports", "/staff/reports")],
        notice,
        rows: open.into_iter().map(|(_, r)| r).collect(),
        done: finished.into_iter().map(|(_, r)| r).collect(),
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
    })
}

async fn tracking_page(
    state: &AppState,
    user: &CurrentUser,
    report: &Report,
    entry: PartId,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let target = report.entry(entry).ok_or(PageError::NotFound)?;
    if !target.kind.is_tracked() {
        return Err(PageError::NotFound);
    }
    let users = state.store.users().await?;
    let mut fields = owner_fields(&users, values, &errors);
    fields.push(FieldView::date("due_on", "Due date", "For example, 31 3 2014", values, &errors));
    fields.push(radios("state", "Is it done?", "", &[("open", "Open"), ("done", "Done")], values, &errors));
    fields.push(FieldView::date("done_on", "Date done", "When it was done", values, &errors));
    fields.push(FieldView::textarea(
        "provided",
        "What was provided",
        "For example, a briefing note to the Panel's meeting of 24 March 2014.",
        values,
        &errors,
    ));
    FormPage {
        layout: user.layout(target.kind.label()).with_errors(!errors.is_empty()),
        crumbs: crumbs(Some(report)),
        caption: short_title(report),
        heading: target.kind.label().to_string(),
        context: vec![target.text.clone()],
        fields,
        errors,
        action: format!("{}/tracked/{entry}", report_path(report.id)),
        submit: String::from("Save"),
        back: String::from("/staff/tracker"),
    }
    .respond()
}

/// `GET /staff/reports/{id}/tracked/{entry}`.
pub async fn tracking_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let entry = parse_part(&part)?;
    let tracking = report.entry(entry).and_then(|e| e.tracking.clone()).unwrap_or_default();
    let mut values = FormValues::default();
    owner_values(&mut values, tracking.owner.as_ref());
    values.push_date("due_on", tracking.due_on);
    values.push("state", if tracking.done.is_some() { "done" } else { "open" });
    values.push_date("done_on", tracking.done.as_ref().map(|d| d.on));
    values.push("provided", tracking.done.map(|d| d.provided).unwrap_or_default());
    tracking_page(&state, &user, &report, entry, &values, FieldErrors::default()).await
}

/// `POST /staff/reports/{id}/tracked/{entry}`: owner, due date, and done with its date
/// and what was provided. Allowed after the response is published.
pub async fn save_tracking(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, part)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let entry = parse_part(&part)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut r = FormReader::new(&values);
    let owner = read_owner(&mut r, &values);
    let due_on = r.date("due_on", "Due date", false);
    let is_done = values.get("state") == "done";
    let done_on = r.date("done_on", "Date done", is_done);
    let provided = r.text("provided", "What was provided", is_done);
    let mut errors = r.errors;
    if errors.is_empty() {
        let done = match (is_done, done_on) {
            (true, Some(on)) => Some(Done { on, provided }),
            _ => None,
        };
        let tracking = Tracking { owner, due_on, done };
        match state.store.edit_report(&user.actor(), report.id, Edit::Track { entry, tracking }).await {
            Ok(_) => return Ok(see_other("/staff/tracker?done=tracked")),
            Err(error) => {
                errors = form_errors(
                    error,
                    &["owner", "officer", "due_on", "state", "done_on", "provided"],
                    &["due_on", "done_on"],
                )?
            }
        }
    }
    tracking_page(&state, &user, &report, entry, &values, errors).await
}
