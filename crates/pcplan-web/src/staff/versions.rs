//! The versions of a plan: `GET /staff/plans/{plan}/versions` lists them with a form to
//! make one, `POST` makes one (the version rules' refusals are shown on the form), and
//! `GET /staff/plans/{plan}/versions/{n}` shows one read-only, drafts included, with its
//! contents check.
//!
//! A version is a snapshot the store takes of the working draft; this module never edits
//! one (versions never change) and does not run the statutory workflow around them.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::{ContentsReport, Plan, VersionKind, VersionMeta, VersionNumber, check_contents};

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::{Outline, long_date, outline};
use super::{
    Crumb, DoneQuery, Refusal, draft_for_change, load_draft, parse_plan_id, plan_path, refusal, see_other, sentence,
};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// What each kind of version means, shown as the radio's hint.
fn kind_hint(kind: VersionKind) -> &'static str {
    match kind {
        VersionKind::Draft => {
            "A draft kept for reference, such as the one consulted on or sent to the Chief Constable for comment"
        }
        VersionKind::SentToPanel => {
            "The draft sent to the Police and Crime Panel for its review (PRSRA 2011 s.5(6)(c))"
        }
        VersionKind::Issued => {
            "The plan as issued: the public sees it. A plan is issued once; change it afterwards by a variation"
        }
        VersionKind::VariationDraft => {
            "A draft variation of the issued plan (PRSRA 2011 s.5(8)), for the Chief Constable and the Panel"
        }
        VersionKind::Varied => "The plan as varied: the public sees it in place of the version before",
    }
}

/// One row of the versions table.
pub struct VersionRow {
    pub number: u32,
    pub href: String,
    pub kind: String,
    pub label: String,
    pub effective_on: String,
    pub made_by: String,
    pub made_at: String,
    pub public: bool,
    /// A link to the summary of variations from the version before, if there is one.
    pub diff_href: Option<String>,
}

/// `28 March 2013 at 14:05 UTC`.
pub fn instant(at: chrono::DateTime<chrono::Utc>) -> String {
    at.format("%-d %B %Y at %H:%M UTC").to_string()
}

fn rows(base: &str, versions: &[VersionMeta]) -> Vec<VersionRow> {
    let mut previous: Option<VersionNumber> = None;
    versions
        .iter()
        .map(|v| {
            let row = VersionRow {
                number: v.number.0,
                href: format!("{base}/versions/{}", v.number),
                kind: v.kind.label().to_string(),
                label: v.label.clone(),
                effective_on: v.effective_on.map(long_date).unwrap_or_default(),
                made_by: v.made_by.clone(),
                made_at: instant(v.made_at),
                public: v.kind.is_public(),
                diff_href: previous.map(|p| format!("{base}/diff?from={p}&to={}", v.number)),
            };
            previous = Some(v.number);
            row
        })
        .collect()
}

#[derive(Template)]
#[template(path = "staff/versions.html")]
pub struct VersionsPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub caption: String,
    pub versions: Vec<VersionRow>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    /// Makes a version: approvers and administrators (a version is what gets issued).
    pub editable: bool,
}

fn versions_page(
    user: &CurrentUser,
    plan: &Plan,
    versions: &[VersionMeta],
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> VersionsPage {
    let base = plan_path(plan.id);
    let kinds: Vec<(String, String, String)> = VersionKind::ALL
        .into_iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string(), kind_hint(k).to_string()))
        .collect();
    VersionsPage {
        layout: user.layout(format!("Versions of {}", plan.title)).with_errors(!errors.is_empty()),
        crumbs: Crumb::plan_trail(plan),
        notice,
        caption: plan.title.clone(),
        versions: rows(&base, versions),
        fields: vec![
            FieldView::radios("kind", "What kind of version is it?", "", &kinds, values, &errors),
            FieldView::text("label", "Label", "A name for people, like Plan as issued, 28 March 2013", values, &errors),
            FieldView::date(
                "effective_on",
                "Effective date (optional)",
                "The date it took effect or was sent, for example 28 3 2013",
                values,
                &errors,
            ),
        ],
        errors,
        action: format!("{base}/versions"),
        editable: super::can_approve(&user.user),
    }
}

pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let plan = load_draft(&state, id).await?;
    let versions = state.store.versions(id).await?;
    let notice = match (done.done.as_deref(), done.version) {
        (Some("version"), Some(n)) if versions.iter().any(|v| v.number.0 == n) => Some(format!("Version {n} made")),
        _ => None,
    };
    render(&versions_page(&user, &plan, &versions, &FormValues::default(), FieldErrors::default(), notice))
}

pub async fn make(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let (id, plan) = draft_for_change(&state, &user, &plan).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let kind = reader.choice("kind", "kind of version", VersionKind::parse);
    let label = reader.text("label", "Label", true);
    let effective_on = reader.date("effective_on", "Effective date", false);
    let mut errors = reader.errors;
    if let Some(kind) = kind
        && errors.is_empty()
    {
        match state.store.make_version(&user.actor(), id, kind, &label, effective_on).await {
            Ok(meta) => {
                return Ok(see_other(&format!("{}/versions?done=version&version={}", plan_path(id), meta.number)));
            }
            Err(error) => match refusal(error)? {
                Refusal::Message(message) => errors.add("kind", message),
                Refusal::Problems(problems) => {
                    for problem in problems {
                        errors.0.push(super::forms::FieldError {
                            field: String::from("kind"),
                            anchor: String::from("kind"),
                            message: sentence(&problem.to_string()),
                        });
                    }
                }
            },
        }
    }
    let versions = state.store.versions(id).await?;
    let page = versions_page(&user, &plan, &versions, &values, errors, None);
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

#[derive(Template)]
#[template(path = "staff/version.html")]
pub struct VersionPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub heading: String,
    pub caption: String,
    pub kind: String,
    pub public: bool,
    pub effective_on: String,
    pub made_by: String,
    pub made_at: String,
    pub content_hash: String,
    pub title: String,
    pub vision: String,
    pub period: String,
    pub base: String,
    pub outline: Outline,
    pub report: ContentsReport,
    pub check_href: String,
    pub diff_draft_href: String,
    /// The version as a PDF and as a Word file (`plan_document`).
    pub pdf_href: String,
    pub docx_href: String,
    /// Always false: a version is read-only; the outline macros read it.
    pub editable: bool,
}

pub async fn show(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((plan, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let number = number.parse::<u32>().map(VersionNumber).map_err(|_| PageError::NotFound)?;
    let version = state.store.version(id, number).await?.ok_or(PageError::NotFound)?;
    let draft = load_draft(&state, id).await?;
    let base = plan_path(id);
    let meta = &version.meta;
    let content = &version.plan;
    let mut crumbs = Crumb::plan_trail(&draft);
    crumbs.push(Crumb::new("Versions", format!("{base}/versions")));
    render(&VersionPage {
        layout: user.layout(format!("Version {number} of {}", draft.title)),
        crumbs,
        heading: format!("Version {number}: {}", meta.label),
        caption: draft.title.clone(),
        kind: meta.kind.label().to_string(),
        public: meta.kind.is_public(),
        effective_on: meta.effective_on.map(long_date).unwrap_or_else(|| String::from("Not given")),
        made_by: meta.made_by.clone(),
        made_at: instant(meta.made_at),
        content_hash: meta.content_hash.clone(),
        title: content.title.clone(),
        vision: content.vision.clone(),
        period: format!("{} to {}", long_date(content.starts_on), long_date(content.ends_on)),
        check_href: format!("{base}/check?version={number}"),
        diff_draft_href: format!("{base}/diff?from={number}&to=draft"),
        pdf_href: crate::plan_document::href(&base, number.0, crate::plan_document::Format::Pdf),
        docx_href: crate::plan_document::href(&base, number.0, crate::plan_document::Format::Docx),
        base,
        outline: outline(content),
        report: check_contents(content),
        editable: false,
    })
}
