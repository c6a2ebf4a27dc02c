//! `GET /staff/plans/{plan}/processes/{process}`: the timeline of an issue or variation
//! process, PRSRA 2011 s.5(6)-(8): each step done (with its evidence), due, overdue, not
//! yet due or not required; whether the plan may be issued, naming any missing step; and
//! the Panel meeting's papers, with a warning when they were published late.
//!
//! The rules are the domain's (`process`, `clock`, `meeting`); this module gathers the
//! records, shows them, and takes the form that records the next step.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::clock::PapersCheck;
use pcplan_domain::process::{Evidence, PanelOutcome, ProcessKind, Step, StepState};
use pcplan_domain::{PlanId, ProcessId, VersionNumber, diff_plans};

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{
    Crumb, DoneQuery, Refusal, can_edit, load_draft, parse_plan_id, plan_path, refusal, require_editor, see_other,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// One line of the timeline, ready to show.
pub struct Row {
    pub label: &'static str,
    pub citation: &'static str,
    pub state: &'static str,
    pub tag: &'static str,
    pub due: String,
    pub done_on: String,
    pub by: String,
    pub note: String,
    pub version: String,
    /// The Notice of Decision that issued the plan: `Decision 011/2014`, or empty.
    pub decision: String,
    /// Its staff page, empty when it is not in the register.
    pub decision_href: String,
}

/// The Panel meeting and whether its papers were on time.
pub struct PapersView {
    pub title: String,
    pub held_on: String,
    pub due_on: String,
    pub published_on: String,
    pub required: u32,
    pub rule: &'static str,
    /// `None` until the papers are published.
    pub late: Option<bool>,
    pub message: String,
}

#[derive(Template)]
#[template(path = "staff/process.html")]
pub struct ProcessPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub heading: String,
    pub rows: Vec<Row>,
    pub issue_blocked: Option<String>,
    pub issued: bool,
    pub papers: Option<PapersView>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub editable: bool,
}

fn state_tag(state: StepState) -> (&'static str, &'static str) {
    match state {
        StepState::Done => ("Done", "govuk-tag--green"),
        StepState::Due => ("Due", "govuk-tag--yellow"),
        StepState::Overdue => ("Overdue", "govuk-tag--red"),
        StepState::NotYetDue => ("Not yet due", "govuk-tag--grey"),
        StepState::NotRequired => ("Not required", "govuk-tag--grey"),
    }
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, process)): Path<(String, String)>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let (plan_id, process_id) = parse_ids(&plan, &process)?;
    let mut values = FormValues::default();
    values.push("by", &user.user.display_name);
    let notice = (done.done.as_deref() == Some("step")).then(|| String::from("Step recorded"));
    render(&build(&state, &user, plan_id, process_id, &values, FieldErrors::default(), notice).await?)
}

fn parse_ids(plan: &str, process: &str) -> Result<(PlanId, ProcessId), PageError> {
    Ok((parse_plan_id(plan)?, process.parse().map_err(|_| PageError::NotFound)?))
}

/// `POST /staff/plans/{plan}/processes/{process}/steps`: records a step with its
/// evidence. The domain refuses a step out of order or dated before the step it follows;
/// the refusal is shown on the form with what was typed kept.
pub async fn record(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, process)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (plan_id, process_id) = parse_ids(&plan, &process)?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let step = reader.choice("step", "step", Step::parse);
    let on = reader.date("on", "Date", true);
    let by = reader.text("by", "Who", true);
    let note = reader.text("note", "What happened", false);
    let link = reader.text("link", "Link to a document", false);
    let version = reader.text("version", "Plan version", false);
    let decision_raw = reader.text("decision", "Notice of Decision", false);
    let outcome = match values.get("panel_outcome") {
        "report" => Some(PanelOutcome::Report),
        "no_report" => Some(PanelOutcome::NoReportInTime),
        _ => None,
    };
    let mut errors = reader.errors;
    let version = match version.trim() {
        "" => None,
        raw => match raw.trim_start_matches('v').parse::<u32>() {
            Ok(n) => Some(VersionNumber(n)),
            Err(_) => {
                errors.add("version", "Plan version must be a version number, like 3");
                None
            }
        },
    };
    let decision = match decision_raw.as_str() {
        "" => None,
        raw => match raw.parse::<pcplan_domain::DecisionId>() {
            Ok(id) => Some(id),
            Err(_) => {
                errors.add("decision", "Select the Notice of Decision from the list");
                None
            }
        },
    };
    if let Some(step) = step {
        let body = load_draft(&state, plan_id).await?.body_id;
        if let Err(problem) = crate::api_decisions::check_issuing_decision(&state, body, step, decision).await? {
            errors.add("decision", super::sentence(&problem));
        }
    }
    if step == Some(Step::PanelReport) && outcome.is_none() {
        errors.add("panel_outcome", "Select whether the Panel made a report or its time ran out");
    }
    if let (Some(step), Some(on), true) = (step, on, errors.is_empty()) {
        let evidence = Evidence {
            on,
            by,
            note,
            link: Some(link).filter(|l| !l.trim().is_empty()),
            version,
            panel_outcome: if step == Step::PanelReport { outcome } else { None },
            decision,
        };
        match state.store.record_step(&user.actor(), process_id, step, &evidence).await {
            Ok(_) => {
                let path = format!("{}/processes/{process_id}?done=step", plan_path(plan_id));
                return Ok(see_other(&path));
            }
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add("step", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        errors.add("step", super::sentence(&p.problem));
                    }
                }
            },
        }
    }
    let page = build(&state, &user, plan_id, process_id, &values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    plan_id: PlanId,
    process_id: ProcessId,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<ProcessPage, PageError> {
    let draft = load_draft(state, plan_id).await?;
    let stored = state.store.process(process_id).await?.filter(|p| p.plan_id == plan_id).ok_or(PageError::NotFound)?;
    let process = &stored.process;
    // The body's own settings and the calendar with staff overrides, as the meetings
    // page and the compliance dashboard use.
    let settings = state.store.clock_settings(draft.body_id).await?;
    let calendar = state.store.calendar().await?;

    // The version to be issued differs from the draft sent when their summary of
    // variations is not empty: then the Chief Constable must be consulted again.
    let sent = process.evidence(Step::SentToPanel).and_then(|e| e.version);
    let to_issue = process.evidence(Step::PlanIssued).and_then(|e| e.version);
    let differs = match sent {
        None => false,
        Some(sent) => {
            let sent_plan = state.store.version(plan_id, sent).await?.map(|v| v.plan);
            let issue_plan = match to_issue {
                Some(n) => state.store.version(plan_id, n).await?.map(|v| v.plan),
                None => Some(draft.clone()),
            };
            match (sent_plan, issue_plan) {
                (Some(a), Some(b)) => !diff_plans(&a, &b).is_empty(),
                _ => false,
            }
        }
    };

    let due = process.due_dates(&settings);
    let today = crate::today();
    let decisions = state
        .store
        .decisions(&pcplan_store::DecisionFilter { body: Some(draft.body_id), ..Default::default() })
        .await?;
    let rows = process
        .timeline(today, &due, differs)
        .into_iter()
        .map(|entry| {
            let (state_label, tag) = state_tag(entry.state);
            let evidence = entry.evidence.as_ref();
            Row {
                label: entry.step.label(),
                citation: entry.step.citation(),
                state: state_label,
                tag,
                due: entry.due.map(long_date).unwrap_or_default(),
                done_on: evidence.map(|e| long_date(e.on)).unwrap_or_default(),
                by: evidence.map(|e| e.by.clone()).unwrap_or_default(),
                note: evidence.map(|e| e.note.clone()).unwrap_or_default(),
                version: evidence.and_then(|e| e.version).map(|v| format!("version {v}")).unwrap_or_default(),
                decision: evidence
                    .and_then(|e| e.decision)
                    .map(|id| match decisions.iter().find(|d| d.id == id) {
                        Some(d) => format!("Decision {}: {}", d.number, d.content.title),
                        None => String::from("A decision not in the register"),
                    })
                    .unwrap_or_default(),
                decision_href: evidence
                    .and_then(|e| e.decision)
                    .filter(|id| decisions.iter().any(|d| d.id == *id))
                    .map(|id| format!("/staff/decisions/{id}"))
                    .unwrap_or_default(),
            }
        })
        .collect();

    let papers = match stored.meeting_id {
        None => None,
        Some(id) => match state.store.meeting(id).await? {
            None => None,
            Some(meeting) => {
                let check = meeting.papers_check(&calendar).map_err(|e| PageError::Internal(e.to_string()))?;
                let rule = meeting.day_rule.as_str();
                let (late, message) = match check {
                    None => (None, format!("Papers are due by {}.", long_date(meeting.papers_due_on))),
                    Some(PapersCheck::OnTime { clear_days, .. }) => (
                        Some(false),
                        format!("Papers were published {clear_days} clear {rule} days before the meeting."),
                    ),
                    Some(PapersCheck::Late { clear_days, required }) => (
                        Some(true),
                        format!(
                            "Papers were late: published {} clear {rule} days before the meeting, where {required} were \
                             due (by {}).",
                            clear_days,
                            long_date(meeting.papers_due_on)
                        ),
                    ),
                    Some(PapersCheck::AfterMeeting) => {
                        (Some(true), String::from("Papers were published on or after the day of the meeting."))
                    }
                };
                Some(PapersView {
                    title: meeting.title.clone(),
                    held_on: long_date(meeting.held_on),
                    due_on: long_date(meeting.papers_due_on),
                    published_on: meeting.papers_published_on.map(long_date).unwrap_or_else(|| String::from("Not yet")),
                    required: meeting.required_clear_days,
                    rule,
                    late,
                    message,
                })
            }
        },
    };

    let heading = match process.kind {
        ProcessKind::Issue => String::from("Issuing the plan"),
        ProcessKind::Variation => String::from("Varying the plan"),
    };
    let issued = process.evidence(Step::PlanIssued).is_some();
    let issue_blocked = if issued { None } else { process.check_issue(differs).err().map(|e| e.to_string()) };
    let mut crumbs = Crumb::plan_trail(&draft);
    crumbs.push(Crumb::new("Processes", format!("{}/processes", plan_path(plan_id))));
    let open_steps: Vec<(String, String, String)> = Step::ALL
        .into_iter()
        .filter(|s| process.evidence(*s).is_none() && process.required(*s, differs))
        .map(|s| (s.as_str().to_string(), s.label().to_string(), s.citation().to_string()))
        .collect();
    let outcomes = [
        (String::from("report"), String::from("The Panel made a report or recommendations"), String::new()),
        (String::from("no_report"), String::from("The Panel's time ran out without a report"), String::new()),
    ];
    let fields = vec![
        FieldView::radios("step", "Which step?", "", &open_steps, values, &errors),
        FieldView::date("on", "Date", "The day it happened, for example 29 1 2014", values, &errors),
        FieldView::text("by", "Who", "The person or post who did it", values, &errors),
        FieldView::textarea("note", "What happened", "What was done, and where the record of it is", values, &errors),
        FieldView::text("link", "Link to a document (optional)", "", values, &errors),
        FieldView::text("version", "Plan version (optional)", "The version sent or issued, like 3", values, &errors),
        decision_field(&decisions, values, &errors),
        FieldView::radios(
            "panel_outcome",
            "For the Panel step only: what did the Panel do?",
            "",
            &outcomes,
            values,
            &errors,
        ),
    ];
    Ok(ProcessPage {
        layout: user.layout(format!("{heading}: {}", draft.title)).with_errors(!errors.is_empty()),
        crumbs,
        caption: draft.title.clone(),
        heading,
        rows,
        issue_blocked,
        issued,
        papers,
        notice,
        errors,
        fields,
        action: format!("{}/processes/{process_id}/steps", plan_path(plan_id)),
        editable: can_edit(&user.user) && !open_steps.is_empty(),
    })
}

/// The select of signed decisions that may issue the plan (the "plan issued" step).
fn decision_field(
    decisions: &[pcplan_domain::decision::Decision],
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut field = FieldView::text(
        "decision",
        "For the plan issued step: the Notice of Decision that issued it (optional)",
        "Only signed decisions are listed",
        values,
        errors,
    );
    field.control = super::forms::Control::Select;
    let chosen = values.get("decision");
    let mut options = vec![super::forms::OptionView {
        value: String::new(),
        label: String::from("None"),
        hint: String::new(),
        selected: chosen.is_empty(),
        conditional: Vec::new(),
    }];
    options.extend(decisions.iter().filter(|d| d.is_published()).map(|d| super::forms::OptionView {
        value: d.id.to_string(),
        label: format!("{}: {}", d.number, d.content.title),
        hint: String::new(),
        selected: d.id.to_string() == chosen,
        conditional: Vec::new(),
    }));
    field.options = options;
    field
}

/// One process in the list.
pub struct ProcessLink {
    pub href: String,
    pub heading: &'static str,
    pub started: String,
    pub done: usize,
}

#[derive(Template)]
#[template(path = "staff/processes.html")]
pub struct ProcessesPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub processes: Vec<ProcessLink>,
    pub action: String,
    pub editable: bool,
}

/// `GET /staff/plans/{plan}/processes`: the plan's issue and variation processes.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
) -> Result<Response, PageError> {
    let plan_id = parse_plan_id(&plan)?;
    let draft = load_draft(&state, plan_id).await?;
    let processes = state
        .store
        .processes(plan_id)
        .await?
        .into_iter()
        .map(|p| ProcessLink {
            href: format!("{}/processes/{}", plan_path(plan_id), p.id),
            heading: match p.process.kind {
                ProcessKind::Issue => "Issuing the plan",
                ProcessKind::Variation => "Varying the plan",
            },
            started: p.process.evidence(Step::DraftPrepared).map(|e| long_date(e.on)).unwrap_or_default(),
            done: p.process.steps.len(),
        })
        .collect();
    render(&ProcessesPage {
        layout: user.layout(format!("Processes: {}", draft.title)),
        crumbs: Crumb::plan_trail(&draft),
        caption: draft.title.clone(),
        processes,
        action: format!("{}/processes", plan_path(plan_id)),
        editable: can_edit(&user.user),
    })
}

#[derive(serde::Deserialize)]
pub struct StartForm {
    #[serde(default)]
    kind: String,
}

/// `POST /staff/plans/{plan}/processes`: starts an issue or variation process.
pub async fn start(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Form(form): Form<StartForm>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let plan_id = parse_plan_id(&plan)?;
    let kind = match form.kind.as_str() {
        "issue" => ProcessKind::Issue,
        "variation" => ProcessKind::Variation,
        // The form always sends one of the two; anything else is not a request a page made.
        _ => return Err(PageError::NotFound),
    };
    let stored = state.store.create_process(&user.actor(), ProcessId::new(), plan_id, kind, None).await?;
    Ok(see_other(&format!("{}/processes/{}", plan_path(plan_id), stored.id)))
}
