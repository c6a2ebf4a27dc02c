//! The staff pages of the annual report (PRSRA 2011 s.12), under `/staff/annual-reports`:
//! the list of each body's reports by financial year with their state and the statutory
//! deadline, the form that drafts a new one, each report's page (its sections' texts
//! beside the facts they were drafted from, with the forms that save the texts, refresh
//! the facts, send the report to the Panel and publish it) and its printable PDF,
//! marked DRAFT until it has gone to the Panel.
//!
//! A report is drafted from the year's records, gathered here by [`gather`]: the plan in
//! force at the end of the year, owners' status updates, grades, each measure's latest
//! figure up to the year's end worded by `performance_view::summarise` (so a figure reads
//! as it does on the performance pages), decisions, consultation exercises, Panel reports
//! and meetings. `pcplan_domain::annual_report` picks the year's records and drafts the
//! text; the store keeps the report and refuses any change once it has gone to the Panel.
//!
//! Viewers read every page and the PDF; every POST checks the editor role before it
//! reads anything else.

use std::collections::BTreeMap;

use askama::Template;
use axum::Router;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::{get, post};
use chrono::NaiveDate;
use pcplan_domain::annual_report::{
    AnnualReport, ExerciseSource, FactTable, Issue, MeasureReading, PlanSource, Publication, ReportStatus, SectionKey,
    Sources,
};
use pcplan_domain::board::BoardKind;
use pcplan_domain::ids::AnnualReportId;
use pcplan_domain::obligation::{ObligationKind, obligation_id};
use pcplan_domain::report::paragraphs;
use pcplan_domain::{Body, BodyId, FinancialYear, MeetingId, PlanId, Record, ReportId, VersionMeta};
use pcplan_pdf::{Block, Column, Document};
use pcplan_store::{Actor, DecisionFilter, Store};
use serde::Deserialize;

use super::forms::{Control, FieldError, FieldErrors, FieldView, FormReader, FormValues, OptionView};
use super::outline::long_date;
use super::{Crumb, Refusal, can_approve, can_edit, refusal, require_editor, see_other, sentence, version_label};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::performance_view::{BodyFigures, grade_tag, monitored, summarise};
use crate::print::Format;
use crate::views::{Layout, render, render_with_status};

/// `/staff/annual-reports`.
pub const LIST: &str = "/staff/annual-reports";

pub(super) fn router() -> Router<AppState> {
    Router::new()
        .route(LIST, get(list).post(create))
        .route("/staff/annual-reports/{id}", get(page).post(save))
        .route("/staff/annual-reports/{id}/refresh", post(refresh))
        .route("/staff/annual-reports/{id}/issue", post(issue))
        .route("/staff/annual-reports/{id}/publish", post(publish))
        .route("/staff/annual-reports/{id}/report.pdf", get(|s, u, id| download(s, u, id, Format::Pdf)))
        .route("/staff/annual-reports/{id}/report.docx", get(|s, u, id| download(s, u, id, Format::Docx)))
}

/// `/staff/annual-reports/{id}`.
pub fn report_path(id: AnnualReportId) -> String {
    format!("{LIST}/{id}")
}

fn parse_id(raw: &str) -> Result<AnnualReportId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn load(state: &AppState, raw: &str) -> Result<AnnualReport, PageError> {
    state.store.annual_report(parse_id(raw)?).await?.ok_or(PageError::NotFound)
}

async fn body_of(state: &AppState, id: BodyId) -> Result<Body, PageError> {
    state.store.body(id).await?.ok_or_else(|| PageError::Internal(format!("the body {id} of an annual report is gone")))
}

fn status_tag(status: ReportStatus) -> &'static str {
    match status {
        ReportStatus::Draft => "govuk-tag--yellow",
        ReportStatus::Issued => "govuk-tag--blue",
        ReportStatus::Published => "govuk-tag--green",
    }
}

// ---------------------------------------------------------------------------------------
// Gathering the year's records
// ---------------------------------------------------------------------------------------

/// The plan in force on `end`: of the body's issued and varied versions that took effect
/// by then, the latest. When none had, the plan now monitored, labelled as such.
async fn plan_at(store: &Store, body: &Body, end: NaiveDate) -> Result<Option<PlanSource>, PageError> {
    let mut best: Option<(NaiveDate, PlanId, VersionMeta)> = None;
    for summary in store.plans().await?.into_iter().filter(|p| p.body_id == body.id) {
        for meta in store.versions(summary.id).await? {
            let effective = meta.effective_on.unwrap_or_else(|| meta.made_at.date_naive());
            if !meta.kind.is_public() || effective > end {
                continue;
            }
            let later = best.as_ref().is_none_or(|(on, _, held)| (effective, meta.number) > (*on, held.number));
            if later {
                best = Some((effective, summary.id, meta));
            }
        }
    }
    if let Some((_, plan, meta)) = best
        && let Some(version) = store.version(plan, meta.number).await?
    {
        return Ok(Some(PlanSource { plan: version.plan, label: version_label(&meta) }));
    }
    Ok(monitored(store, body.clone()).await?.map(|found| PlanSource {
        plan: found.plan,
        label: format!("{}; no version of the plan was in force on {}", found.label, long_date(end)),
    }))
}

/// Everything the report on `year` of `body` is drafted from, as stored now.
pub(crate) async fn gather(store: &Store, body: &Body, year: FinancialYear) -> Result<Sources, PageError> {
    let end = year.last_day().unwrap_or(NaiveDate::MAX);
    let mut sources = Sources::empty(body.id, body.name.clone(), year, crate::today());
    sources.plan = plan_at(store, body, end).await?;
    let figures = BodyFigures::load(store, body).await?;
    if let Some(source) = &sources.plan {
        for item in &source.plan.items {
            if let Some(grade) = figures.latest_grade(item.id, Some(end)) {
                let tag = grade_tag(grade, &figures.scales);
                sources.grades.insert(item.id, format!("{} ({})", tag.label, tag.period));
            }
            if let Record::Measure(measure) = &item.record {
                let own = figures.of_measure(item.id);
                let summary = summarise(measure, &own, "", figures.population(body, ""), Some(end));
                sources.measures.push(MeasureReading {
                    item: item.id,
                    latest: summary.latest,
                    period: summary.period.map(|p| p.label()),
                    last_year: summary.last_year,
                    reading: summary.reading,
                    variation: summary.variation,
                });
            }
        }
    }
    sources.updates =
        store.status_updates(body.id).await?.into_iter().map(|stored| (stored.item_id, stored.update)).collect();
    sources.decisions = store.decisions(&DecisionFilter { body: Some(body.id), ..Default::default() }).await?;
    for exercise in store.exercises(Some(body.id)).await? {
        let (responses, _) = store.responses(exercise.id, 0, 0).await?;
        sources.exercises.push(ExerciseSource {
            content: exercise.content,
            public: exercise.public_at.is_some(),
            responses: u64::try_from(responses).unwrap_or(0),
            you_said_published_on: exercise.published_at.map(|at| at.date_naive()),
        });
    }
    sources.reports = store.reports().await?.into_iter().filter(|r| r.body_id == body.id).collect();
    sources.meetings = store.meetings(body.id).await?;
    sources.boards = store.boards(Some(body.id)).await?;
    Ok(sources)
}

/// Why [`draft_annual_report`] drafted nothing.
#[derive(Debug, thiserror::Error)]
pub enum DraftError {
    /// Reading the year's records failed; the cause names the record.
    #[error("gathering the records of {body} for the annual report on {year}: {cause}")]
    Gather { body: String, year: FinancialYear, cause: String },
    /// The store refused the report (a second one for the year names the first) or failed.
    #[error(transparent)]
    Store(#[from] pcplan_store::StoreError),
}

/// Drafts and stores `body`'s report on `year` from the records as they stand, exactly as
/// the form on the list page does ([`gather`], then the store's `create_annual_report`),
/// for callers outside a request such as `pcplan demo`. The checks the form makes on what
/// a person typed (a year not yet started, a body to choose) are the caller's to make.
pub async fn draft_annual_report(
    store: &Store,
    actor: &Actor,
    id: AnnualReportId,
    body: &Body,
    year: FinancialYear,
) -> Result<AnnualReport, DraftError> {
    let sources = gather(store, body, year).await.map_err(|error| DraftError::Gather {
        body: body.name.clone(),
        year,
        cause: match error {
            PageError::Internal(cause) => cause,
            other => other.to_string(),
        },
    })?;
    Ok(store.create_annual_report(actor, id, &sources).await?)
}

/// The deadline for sending the report on `year` to the Panel: the one stored with the
/// body's obligation when it was added, or the clock's from the body's settings now.
async fn deadline(state: &AppState, body: BodyId, year: FinancialYear) -> Result<NaiveDate, PageError> {
    let id = obligation_id(body, ObligationKind::AnnualReport, year.0);
    if let Some(stored) = state.store.obligation(id).await? {
        return Ok(stored.due_on);
    }
    let settings = state.store.clock_settings(body).await?;
    Ok(pcplan_domain::clock::annual_report(year, &settings).due)
}

// ---------------------------------------------------------------------------------------
// The list and the form that drafts a report
// ---------------------------------------------------------------------------------------

/// One year of a body on the list.
pub struct Row {
    pub year: String,
    /// The report's page; empty when there is no report yet.
    pub href: String,
    pub status: String,
    pub tag: &'static str,
    pub deadline: String,
    pub sent: String,
}

pub struct BodyRows {
    pub name: String,
    pub rows: Vec<Row>,
}

#[derive(Template)]
#[template(path = "staff/annual_reports.html")]
pub struct ListPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub bodies: Vec<BodyRows>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub editable: bool,
}

/// `GET /staff/annual-reports`.
pub async fn list(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let last_year = FinancialYear(FinancialYear::containing(crate::today()).0 - 1);
    let mut values = FormValues::default();
    values.push("year", last_year.to_string());
    render(&list_page(&state, &user, &values, FieldErrors::default()).await?)
}

async fn list_page(
    state: &AppState,
    user: &CurrentUser,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<ListPage, PageError> {
    let this_year = FinancialYear::containing(crate::today());
    let bodies = state.store.bodies().await?;
    let reports = state.store.annual_reports(None).await?;
    let mut out = Vec::new();
    for body in &bodies {
        let own: Vec<&AnnualReport> = reports.iter().filter(|r| r.body_id == body.id).collect();
        let mut years: Vec<FinancialYear> = own.iter().map(|r| r.year).collect();
        for year in [FinancialYear(this_year.0 - 1), this_year] {
            if !years.contains(&year) {
                years.push(year);
            }
        }
        years.sort_by(|a, b| b.cmp(a));
        let mut rows = Vec::new();
        for year in years {
            let due = deadline(state, body.id, year).await?;
            let row = match own.iter().find(|r| r.year == year) {
                Some(report) => Row {
                    year: year.to_string(),
                    href: report_path(report.id),
                    status: report.status().label().to_string(),
                    tag: status_tag(report.status()),
                    deadline: long_date(due),
                    sent: report.issued.as_ref().map(|i| long_date(i.on)).unwrap_or_default(),
                },
                None => Row {
                    year: year.to_string(),
                    href: String::new(),
                    status: String::from("Not started"),
                    tag: "govuk-tag--grey",
                    deadline: long_date(due),
                    sent: String::new(),
                },
            };
            rows.push(row);
        }
        out.push(BodyRows { name: body.name.clone(), rows });
    }
    let mut fields = Vec::new();
    if bodies.len() > 1 {
        let options: Vec<(String, String, String)> =
            bodies.iter().map(|b| (b.id.to_string(), b.name.clone(), String::new())).collect();
        fields.push(FieldView::radios("body", "Which body's report?", "", &options, values, &errors));
    }
    let mut year = FieldView::text(
        "year",
        "Financial year",
        "For example, 2022/23. The report covers 1 April to 31 March",
        values,
        &errors,
    );
    year.width_class = String::from("govuk-input--width-5");
    fields.push(year);
    Ok(ListPage {
        layout: user.layout("Annual reports").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        bodies: out,
        errors,
        fields,
        editable: can_edit(&user.user),
    })
}

/// `POST /staff/annual-reports`: drafts the report of a body on a year from its records.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let bodies = state.store.bodies().await?;
    let mut reader = FormReader::new(&values);
    let year = reader.financial_year("year", "Financial year");
    let mut errors = reader.errors;
    let body = match bodies.as_slice() {
        [one] => Some(one.clone()),
        _ => {
            let chosen = values.get("body").parse::<BodyId>().ok().and_then(|id| bodies.iter().find(|b| b.id == id));
            if chosen.is_none() {
                let message = if bodies.is_empty() {
                    "There is no policing body yet; add one before drafting its annual report"
                } else {
                    "Select the body whose annual report this is"
                };
                errors.0.insert(
                    0,
                    FieldError { field: String::from("body"), anchor: String::from("body"), message: message.into() },
                );
            }
            chosen.cloned()
        }
    };
    let this_year = FinancialYear::containing(crate::today());
    if let Some(year) = year
        && year > this_year
    {
        errors.add("year", format!("{year} has not started yet; draft a report on {this_year} or an earlier year"));
    }
    if let (Some(body), Some(year), true) = (body, year, errors.is_empty()) {
        let sources = gather(&state.store, &body, year).await?;
        match state.store.create_annual_report(&user.actor(), AnnualReportId::new(), &sources).await {
            Ok(report) => return Ok(see_other(&format!("{}?done=created", report_path(report.id)))),
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add("year", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field = if p.path == "body" { "body" } else { "year" };
                        errors.add(field, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let page = list_page(&state, &user, &values, errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---------------------------------------------------------------------------------------
// One report
// ---------------------------------------------------------------------------------------

/// One section as the page shows it.
pub struct SectionView {
    /// The textarea's name: `text_objectives`.
    pub name: String,
    pub heading: String,
    pub text: String,
    pub paragraphs: Vec<String>,
    pub edited: bool,
    pub facts_changed: bool,
    pub facts: Vec<FactTable>,
    pub notes: Vec<String>,
    pub error: Option<String>,
}

#[derive(Template)]
#[template(path = "staff/annual_report.html")]
pub struct ReportPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub heading: String,
    pub body_name: String,
    pub status: &'static str,
    pub tag: &'static str,
    pub details: Vec<(&'static str, String)>,
    pub sections: Vec<SectionView>,
    pub base: String,
    /// Editors may change the texts and facts: a draft.
    pub editable: bool,
    /// Approvers may send it to the Panel: a draft.
    pub issuable: bool,
    /// Approvers may publish: sent to the Panel, not yet published.
    pub publishable: bool,
    pub issue_fields: Vec<FieldView>,
    pub publish_fields: Vec<FieldView>,
    pub public_href: String,
}

/// What the redirect after a change asks the page to say. Only section keys travel in
/// the URL, never message text.
#[derive(Clone, Debug, Default, Deserialize)]
pub struct PageQuery {
    #[serde(default)]
    pub done: Option<String>,
    /// Comma-separated keys of the sections whose facts changed in a refresh.
    #[serde(default)]
    pub changed: Option<String>,
    /// Comma-separated keys of edited sections whose drafted paragraph changed.
    #[serde(default)]
    pub kept: Option<String>,
}

fn keys(raw: Option<&str>) -> Vec<SectionKey> {
    raw.unwrap_or_default().split(',').filter_map(SectionKey::parse).collect()
}

fn headings(report: &AnnualReport, keys: &[SectionKey]) -> String {
    let names: Vec<String> =
        keys.iter().filter_map(|k| report.section(*k)).map(|s| format!("\u{201c}{}\u{201d}", s.heading)).collect();
    names.join(", ")
}

/// `GET /staff/annual-reports/{id}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(query): Query<PageQuery>,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    let changed = keys(query.changed.as_deref());
    let kept = keys(query.kept.as_deref());
    let notice = match query.done.as_deref() {
        Some("created") => Some(String::from("Annual report drafted from the year's records")),
        Some("saved") => Some(String::from("Texts saved")),
        Some("refreshed") => Some(match (changed.is_empty(), kept.is_empty()) {
            (true, _) => String::from("Facts refreshed: nothing has changed since they were last assembled"),
            (false, true) => format!("Facts refreshed. They changed in {}", headings(&report, &changed)),
            (false, false) => format!(
                "Facts refreshed. They changed in {}. Your own text was kept in {}, whose drafted paragraph changed: \
                 read it again",
                headings(&report, &changed),
                headings(&report, &kept)
            ),
        }),
        Some("issued") => Some(String::from("Recorded as sent to the Panel; the report cannot change now")),
        Some("published") => Some(String::from("Annual report published")),
        _ => None,
    };
    let mut values = FormValues::default();
    values.push_date("issued_on", Some(crate::today()));
    values.push("issued_by", &user.user.display_name);
    values.push_date("published_on", Some(crate::today()));
    values.push("published_by", &user.user.display_name);
    let page = report_page(&state, &user, &report, &values, FieldErrors::default(), notice, &changed).await?;
    render(&page)
}

fn select(name: &str, label: &str, hint: &str, options: Vec<(String, String)>, values: &FormValues) -> FieldView {
    let mut field = FieldView::text(name, label, hint, values, &FieldErrors::default());
    field.control = Control::Select;
    let chosen = values.get(name);
    field.options = std::iter::once((String::new(), String::from("None")))
        .chain(options)
        .map(|(value, label)| OptionView {
            selected: value == chosen,
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect();
    field
}

async fn report_page(
    state: &AppState,
    user: &CurrentUser,
    report: &AnnualReport,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
    changed: &[SectionKey],
) -> Result<ReportPage, PageError> {
    let body = body_of(state, report.body_id).await?;
    let editor = can_edit(&user.user);
    let approver = can_approve(&user.user);
    let draft = report.status() == ReportStatus::Draft;
    let mut details = vec![
        ("Policing body", body.name.clone()),
        ("Financial year", report.year.to_string()),
        ("Facts as at", long_date(report.facts_as_of)),
        ("Deadline for the Panel", long_date(deadline(state, report.body_id, report.year).await?)),
    ];
    if let Some(issue) = &report.issued {
        details.push(("Sent to the Panel", format!("{} by {}", long_date(issue.on), issue.by)));
    }
    if let Some(published) = &report.published {
        details.push(("Published", format!("{} by {}", long_date(published.on), published.by)));
        if let Some(meeting) = published.panel_meeting
            && let Some(found) = state.store.meeting(meeting).await?
        {
            details.push(("Reviewed at", format!("{}, {}", found.title, long_date(found.held_on))));
        }
        if let Some(panel_report) = published.panel_report
            && let Some(found) = state.store.report(panel_report).await?
        {
            details.push(("The Panel's report", found.title));
        }
    }
    let sections = report
        .sections
        .iter()
        .map(|s| {
            let name = format!("text_{}", s.key.as_str());
            let text = if draft && values.is_set(&name) { values.get(&name).to_string() } else { s.text.clone() };
            SectionView {
                error: errors.get(&name).map(str::to_string),
                name,
                heading: s.heading.clone(),
                paragraphs: paragraphs(&s.text),
                text,
                edited: s.edited(),
                facts_changed: changed.contains(&s.key),
                facts: s.facts.clone(),
                notes: s.notes.clone(),
            }
        })
        .collect();
    let mut publish_fields = Vec::new();
    let publishable = approver && report.status() == ReportStatus::Issued;
    if publishable {
        let boards = state.store.boards(Some(report.body_id)).await?;
        let panels: Vec<_> = boards.iter().filter(|b| b.kind == BoardKind::PoliceAndCrimePanel).map(|b| b.id).collect();
        let since = report.issued.as_ref().map(|i| i.on).unwrap_or(NaiveDate::MIN);
        let meetings = state
            .store
            .meetings(report.body_id)
            .await?
            .into_iter()
            .filter(|m| m.held_on >= since && m.board_id.is_none_or(|b| panels.contains(&b)))
            .map(|m| (m.id.to_string(), format!("{}, {}", m.title, long_date(m.held_on))))
            .collect();
        let reports = state
            .store
            .reports()
            .await?
            .into_iter()
            .filter(|r| r.body_id == report.body_id && r.received_on >= since)
            .map(|r| (r.id.to_string(), format!("{}, received {}", r.title, long_date(r.received_on))))
            .collect();
        publish_fields = vec![
            FieldView::date("published_on", "Date published", "For example, 1 9 2023", values, &errors),
            FieldView::text("published_by", "Published by", "", values, &errors),
            select(
                "panel_meeting",
                "The Panel meeting that reviewed it (optional)",
                "Panel meetings held since the report was sent",
                meetings,
                values,
            ),
            select(
                "panel_report",
                "The Panel's report on it (optional)",
                "Panel reports received since the report was sent",
                reports,
                values,
            ),
        ];
    }
    Ok(ReportPage {
        layout: user.layout(format!("Annual report {}: {}", report.year, body.name)).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Annual reports", LIST)],
        notice,
        heading: format!("Annual report {}", report.year),
        body_name: body.name.clone(),
        status: report.status().label(),
        tag: status_tag(report.status()),
        details,
        sections,
        base: report_path(report.id),
        editable: editor && draft,
        issuable: approver && draft,
        publishable,
        issue_fields: vec![
            FieldView::date(
                "issued_on",
                "Date sent to the Panel",
                "From the day after the year ends, for example 30 6 2023",
                values,
                &errors,
            ),
            FieldView::text("issued_by", "Sent by", "", values, &errors),
        ],
        publish_fields,
        public_href: if report.status() == ReportStatus::Published {
            crate::public_annual_reports::public_path(state, report).await?
        } else {
            String::new()
        },
        errors,
    })
}

/// Shows the page again with errors, status 422.
async fn refused(
    state: &AppState,
    user: &CurrentUser,
    report: &AnnualReport,
    values: &FormValues,
    errors: FieldErrors,
) -> Result<Response, PageError> {
    let page = report_page(state, user, report, values, errors, None, &[]).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// A store refusal as errors on the page: a field the domain names is mapped to the
/// form's own name (`on` is the date of the form that was sent), anything else goes
/// beside `fallback`.
fn errors_of(
    error: pcplan_store::StoreError,
    date_field: &str,
    by_field: &str,
    fallback: &str,
) -> Result<FieldErrors, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(message) => errors.add(fallback, message),
        Refusal::Problems(problems) => {
            for p in problems {
                let message = sentence(&p.problem);
                match p.path.as_str() {
                    "on" => errors.add_at(date_field, &format!("{date_field}-day"), message),
                    "by" => errors.add(by_field, message),
                    path if path.starts_with("text_") => errors.add(path, message),
                    "panel_meeting" | "panel_report" => errors.add(&p.path, message),
                    _ => errors.add(fallback, message),
                }
            }
        }
    }
    Ok(errors)
}

/// `POST /staff/annual-reports/{id}`: saves the sections' texts.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let texts: BTreeMap<SectionKey, String> = SectionKey::ALL
        .into_iter()
        .filter_map(|key| {
            let name = format!("text_{}", key.as_str());
            values.is_set(&name).then(|| (key, values.get(&name).to_string()))
        })
        .collect();
    match state.store.set_annual_report_texts(&user.actor(), report.id, &texts).await {
        Ok(_) => Ok(see_other(&format!("{}?done=saved", report_path(report.id)))),
        Err(error) => {
            let first = format!("text_{}", SectionKey::ALL[0].as_str());
            let errors = errors_of(error, "issued_on", "issued_by", &first)?;
            refused(&state, &user, &report, &values, errors).await
        }
    }
}

/// `POST /staff/annual-reports/{id}/refresh`: re-assembles the facts, keeping edited texts.
pub async fn refresh(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let body = body_of(&state, report.body_id).await?;
    let sources = gather(&state.store, &body, report.year).await?;
    match state.store.refresh_annual_report(&user.actor(), report.id, &sources).await {
        Ok((_, done)) => {
            let join = |keys: &[SectionKey]| keys.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(",");
            Ok(see_other(&format!(
                "{}?done=refreshed&changed={}&kept={}",
                report_path(report.id),
                join(&done.facts_changed),
                join(&done.edits_kept)
            )))
        }
        Err(error) => {
            let first = format!("text_{}", SectionKey::ALL[0].as_str());
            let errors = errors_of(error, "issued_on", "issued_by", &first)?;
            refused(&state, &user, &report, &FormValues::default(), errors).await
        }
    }
}

/// `POST /staff/annual-reports/{id}/issue`: records that the report went to the Panel.
pub async fn issue(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let on = reader.date("issued_on", "Date sent to the Panel", true);
    let by = reader.text("issued_by", "Name of who sent it", true);
    let mut errors = reader.errors;
    if let (Some(on), true) = (on, errors.is_empty()) {
        match state.store.issue_annual_report(&user.actor(), report.id, &Issue { on, by }, crate::today()).await {
            Ok(_) => return Ok(see_other(&format!("{}?done=issued", report_path(report.id)))),
            Err(error) => errors = errors_of(error, "issued_on", "issued_by", "issued_on")?,
        }
    }
    refused(&state, &user, &report, &values, errors).await
}

/// `POST /staff/annual-reports/{id}/publish`: publishes a report the Panel has had.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let report = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let on = reader.date("published_on", "Date published", true);
    let by = reader.text("published_by", "Name of who published it", true);
    let mut errors = reader.errors;
    let panel_meeting = match values.get("panel_meeting").trim() {
        "" => None,
        raw => raw
            .parse::<MeetingId>()
            .map_err(|_| errors.add("panel_meeting", "Select the Panel meeting from the list"))
            .ok(),
    };
    let panel_report = match values.get("panel_report").trim() {
        "" => None,
        raw => raw
            .parse::<ReportId>()
            .map_err(|_| errors.add("panel_report", "Select the Panel's report from the list"))
            .ok(),
    };
    if let (Some(on), true) = (on, errors.is_empty()) {
        let publication = Publication { on, by, panel_meeting, panel_report };
        match state.store.publish_annual_report(&user.actor(), report.id, &publication, crate::today()).await {
            Ok(_) => return Ok(see_other(&format!("{}?done=published", report_path(report.id)))),
            Err(error) => errors = errors_of(error, "published_on", "published_by", "published_on")?,
        }
    }
    refused(&state, &user, &report, &values, errors).await
}

// ---------------------------------------------------------------------------------------
// The printable document
// ---------------------------------------------------------------------------------------

/// A column's share of the page, in characters of a typical cell: the average cell,
/// but never narrower than the longest word of the heading (headings in bold must not
/// break inside a word), and never more than four times a short column.
fn weight(table: &FactTable, index: usize) -> f32 {
    let header = table.columns.get(index).map_or("", String::as_str);
    let longest_word = header.split_whitespace().map(|w| w.chars().count()).max().unwrap_or(0);
    let cells: Vec<usize> = table.rows.iter().filter_map(|r| r.get(index)).map(|c| c.chars().count()).collect();
    let average = if cells.is_empty() { 0 } else { cells.iter().sum::<usize>() / cells.len() };
    let characters = average.max(longest_word + 3) as f32;
    (characters / 12.0).clamp(0.5, 4.0)
}

/// The report as a printable document: a DRAFT line until it has gone to the Panel,
/// then each section's text and the facts it was drafted from.
pub(crate) fn document(report: &AnnualReport, body_name: &str) -> Document {
    let draft = report.issued.is_none();
    let mut blocks = Vec::new();
    if draft {
        blocks
            .push(Block::Strong(String::from("DRAFT: not yet sent to the Police and Crime Panel. Do not circulate.")));
    }
    blocks.push(Block::heading(1, format!("Annual report {}", report.year)));
    // The body, the year and the day the facts are as at open the first section's facts.
    if let Some(issue) = &report.issued {
        blocks.push(Block::field("Sent to the Panel: ", long_date(issue.on)));
    }
    if let Some(published) = &report.published {
        blocks.push(Block::field("Published: ", long_date(published.on)));
    }
    for section in &report.sections {
        blocks.push(Block::heading(2, section.heading.clone()));
        blocks.extend(paragraphs(&section.text).into_iter().map(Block::paragraph));
        for table in &section.facts {
            if table.caption.is_empty() && table.rows.is_empty() {
                continue;
            }
            blocks.push(Block::heading(3, table.caption.clone()));
            if table.rows.is_empty() {
                blocks.push(Block::paragraph(table.empty.clone()));
                continue;
            }
            let columns =
                table.columns.iter().enumerate().map(|(i, c)| Column::new(c.clone(), weight(table, i))).collect();
            blocks.push(Block::Table { columns, rows: table.rows.clone() });
        }
        for note in &section.notes {
            blocks.push(Block::paragraph(note.clone()));
        }
    }
    Document {
        title: format!("Annual report {}: {body_name}", report.year),
        author: body_name.to_string(),
        subject: String::from("Annual report to the Police and Crime Panel (PRSRA 2011 s.12)"),
        created: String::new(),
        footer: if draft {
            format!("DRAFT annual report {}", report.year)
        } else {
            format!("Annual report {}", report.year)
        },
        body: body_name.to_string(),
        // The day it went to the Panel; until then, the day its facts are as at.
        date: long_date(report.issued.as_ref().map_or(report.facts_as_of, |issue| issue.on)),
        // Eight sections: the contents list lets a Panel member find theirs.
        contents: true,
        language: String::new(),
        blocks,
    }
}

/// The report as a file to print (PDF) or edit (DOCX), named `annual-report-2022-23.pdf`.
pub(crate) async fn file(
    report: &AnnualReport,
    body_name: &str,
    format: Format,
    private: bool,
) -> Result<Response, PageError> {
    let bytes = crate::print::write(document(report, body_name), format).await?;
    let name = format!("annual-report-{}.{}", report.slug(), format.extension());
    Ok(crate::print::file_response(bytes, format, &name, private))
}

/// `GET /staff/annual-reports/{id}/report.pdf` and `report.docx`.
pub async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    format: Format,
) -> Result<Response, PageError> {
    let report = load(&state, &id).await?;
    let body = body_of(&state, report.body_id).await?;
    file(&report, &body.name, format, true).await
}
