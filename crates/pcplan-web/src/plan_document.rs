//! The police and crime plan as a document to print, file or edit, built from the same
//! [`PlanView`] the plan page shows, so the page, the PDF and the Word file never say
//! different things:
//!
//! - `GET /plan/versions/{n}/plan.pdf` and `…/plan.docx` (and the same under
//!   `/bodies/{id}`): a published version (issued or varied) only, as its page; any other
//!   number is a 404.
//! - `GET /staff/plans/{plan}/versions/{n}/plan.pdf` and `…/plan.docx`: any version,
//!   drafts included, for any signed-in user (as the staff version pages), marked with
//!   the version's kind so a draft is never mistaken for the plan in force.
//!
//! The document follows the page: the plan's details, the vision, the objectives with
//! their priorities, commitments, milestones and measures, how performance is measured,
//! resources and grants; then the annexes: each local policing and crime plan in full
//! (the page links them), the action plans, and the plan's own sections. A contents list
//! comes first (with page numbers), every page's header names the body and the version's
//! date, and every footer the plan, its version and the page number. This module builds the [`Document`] (pure, see [`plan_document`]) and
//! serves it; `pcplan-pdf` lays it out.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use pcplan_domain::{Body, BodyId, Plan, PlanVersion, VersionNumber};
use pcplan_pdf::{Block, Document};

use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::plan_view::{
    CommitmentView, LocalPlanView, MilestoneView, ObjectiveView, PlanView, PriorityView, VersionView, long_date,
};
pub use crate::print::Format;
use crate::print::{file_response, write};

/// Which file a request names: `plan.pdf` or `plan.docx`.
fn format_of(file: &str) -> Option<Format> {
    Format::of_file(file, "plan")
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plan/versions/{number}/{file}", get(public_file))
        .route("/bodies/{body}/plan/versions/{number}/{file}", get(body_public_file))
        .route("/staff/plans/{plan}/versions/{number}/{file}", get(staff_file))
}

/// The link to a version's file: `plan_base` is where the plan's pages start, `/plan` or
/// `/bodies/{id}/plan` for the public and `/staff/plans/{id}` for staff.
pub fn href(plan_base: &str, number: u32, format: Format) -> String {
    format!("{plan_base}/versions/{number}/plan.{}", format.extension())
}

/// [`href`] for the public plan page, whose `base` is `""` or `/bodies/{id}`.
pub fn public_href(base: &str, number: &u32, format: Format) -> String {
    href(&format!("{base}/plan"), *number, format)
}

/// The plan as a document: what the plan page shows, then its annexes. `dated` is the
/// day printed in each page's header: the version's effective date where it has one, so
/// that the same version gives the same file whenever it is downloaded.
pub fn plan_document(plan: &PlanView, version: &VersionView, dated: NaiveDate) -> Document {
    let mut blocks = vec![
        Block::heading(1, plan.title.clone()),
        Block::field("Published by: ", format!("{}, {}", plan.body_name, plan.office_title)),
        Block::field("Police force: ", plan.force_name.clone()),
        Block::field("Period: ", plan.period.clone()),
        Block::field("Version: ", version_line(version)),
    ];
    if plan.has_illustrative {
        blocks.push(Block::paragraph(
            "Records marked (illustrative) are sample content written for the demonstration, not taken from a \
             published plan.",
        ));
    }
    blocks.push(Block::heading(2, "Vision"));
    blocks.extend(crate::plan_view::paragraphs(&plan.vision).into_iter().map(Block::Paragraph));

    if !plan.groups.is_empty() {
        blocks.push(Block::heading(2, "Objectives"));
        for group in &plan.groups {
            // Objectives outside any group come under the "Objectives" heading itself.
            let level = if group.title.is_empty() {
                3
            } else {
                blocks.push(Block::heading(3, marked(&group.title, group.illustrative)));
                if !group.summary.is_empty() {
                    blocks.push(Block::paragraph(group.summary.clone()));
                }
                4
            };
            for objective in &group.objectives {
                objective_blocks(&mut blocks, objective, level);
            }
        }
    }

    if !plan.measures.is_empty() {
        blocks.push(Block::heading(2, "How performance is measured"));
        for measure in &plan.measures {
            blocks.push(Block::heading(3, marked(&measure.title, measure.illustrative)));
            blocks.push(Block::field("Definition: ", measure.definition.clone()));
            blocks.push(Block::field("Unit: ", measure.unit.clone()));
            blocks.push(Block::field("Which way is better: ", measure.polarity));
            let baseline = if measure.baseline.is_empty() { "None given" } else { measure.baseline.as_str() };
            blocks.push(Block::field("Baseline: ", baseline));
            blocks.push(Block::field("Ambition: ", measure.ambition.clone()));
            let reported = if measure.by_area {
                format!("{}, for each local authority area", measure.frequency)
            } else {
                measure.frequency.to_string()
            };
            blocks.push(Block::field("Reported: ", reported));
            blocks.push(Block::field("Data source: ", measure.data_source.clone()));
            if !measure.objectives.is_empty() {
                blocks.push(Block::field("Objectives served: ", joined(&measure.objectives)));
            }
        }
    }

    if !plan.resources.is_empty() {
        blocks.push(Block::heading(2, "Resources"));
        let mut rows: Vec<Vec<String>> = plan
            .resources
            .iter()
            .map(|r| {
                let line = match r.notes.is_empty() {
                    true => marked(&r.line, r.illustrative),
                    false => format!("{} ({})", marked(&r.line, r.illustrative), r.notes),
                };
                let to_chief = if r.to_chief_constable { "Yes" } else { "No" };
                vec![line, r.financial_year.clone(), to_chief.to_string(), r.amount.clone()]
            })
            .collect();
        rows.extend(
            plan.resource_totals.iter().map(|t| {
                vec![format!("Total for {}", t.financial_year), String::new(), String::new(), t.amount.clone()]
            }),
        );
        let headings = ["Line", "Financial year", "Provided to the Chief Constable", "Amount"];
        blocks.push(Block::Table { columns: pcplan_pdf::fit_columns(&headings, &rows), rows });
    }

    if !plan.grants.is_empty() {
        blocks.push(Block::heading(2, "Crime and disorder reduction grants"));
        for grant in &plan.grants {
            blocks.push(Block::heading(3, marked(&grant.recipient, grant.illustrative)));
            blocks.push(Block::field("Purpose: ", grant.purpose.clone()));
            blocks.push(Block::field("Amount: ", format!("{} in {}", grant.amount, grant.financial_year)));
            let conditions = if grant.conditions.is_empty() { "None" } else { grant.conditions.as_str() };
            blocks.push(Block::field("Conditions: ", conditions));
            if !grant.objectives.is_empty() {
                blocks.push(Block::field("Objectives served: ", joined(&grant.objectives)));
            }
        }
    }

    annex_blocks(&mut blocks, plan);

    Document {
        title: plan.title.clone(),
        author: plan.body_name.clone(),
        subject: format!("Police and crime plan, {}", version_line(version)),
        footer: format!("{}, version {}", plan.title, version.number),
        body: plan.body_name.clone(),
        date: long_date(dated),
        contents: true,
        blocks,
        ..Document::default()
    }
}

/// `Version 2: varied, in effect from 1 April 2014 (Variation after the 2014 review)`.
fn version_line(version: &VersionView) -> String {
    let mut line = format!("Version {}: {}", version.number, version.kind);
    if !version.effective_on.is_empty() {
        line.push_str(&format!(", in effect from {}", version.effective_on));
    }
    if !version.label.is_empty() {
        line.push_str(&format!(" ({})", version.label));
    }
    line
}

/// A record's title, marked where it is illustrative (the page shows a grey tag).
fn marked(title: &str, illustrative: bool) -> String {
    if illustrative { format!("{title} (illustrative)") } else { title.to_string() }
}

fn joined(links: &[crate::plan_view::LinkView]) -> String {
    links.iter().map(|l| l.text.as_str()).collect::<Vec<_>>().join("; ")
}

fn objective_blocks(blocks: &mut Vec<Block>, objective: &ObjectiveView, level: u8) {
    let title = match objective.reference.is_empty() {
        true => objective.title.clone(),
        false => format!("Objective {}: {}", objective.reference, objective.title),
    };
    blocks.push(Block::heading(level, marked(&title, objective.illustrative)));
    if !objective.description.is_empty() {
        blocks.push(Block::paragraph(objective.description.clone()));
    }
    priority_blocks(blocks, &objective.priorities, level + 1);
    if !objective.commitments.is_empty() {
        blocks.push(Block::heading(level + 1, "Commitments"));
        commitment_blocks(blocks, &objective.commitments);
    }
    milestone_table(blocks, &objective.milestones);
    if !objective.measures.is_empty() {
        blocks.push(Block::field("Measured by: ", joined(&objective.measures)));
    }
}

fn priority_blocks(blocks: &mut Vec<Block>, priorities: &[PriorityView], level: u8) {
    if priorities.is_empty() {
        return;
    }
    blocks.push(Block::heading(level.min(6), "Priorities"));
    for priority in priorities {
        blocks.push(Block::Strong(marked(&priority.title, priority.illustrative)));
        if !priority.description.is_empty() {
            blocks.push(Block::paragraph(priority.description.clone()));
        }
        commitment_blocks(blocks, &priority.commitments);
        milestone_table(blocks, &priority.milestones);
        if !priority.measures.is_empty() {
            blocks.push(Block::field("Measured by: ", joined(&priority.measures)));
        }
    }
}

fn commitment_blocks(blocks: &mut Vec<Block>, commitments: &[CommitmentView]) {
    for commitment in commitments {
        blocks.push(Block::Strong(marked(&commitment.title, commitment.illustrative)));
        if !commitment.description.is_empty() {
            blocks.push(Block::paragraph(commitment.description.clone()));
        }
        if !commitment.owner.is_empty() {
            blocks.push(Block::field("Owner: ", commitment.owner.clone()));
        }
        if !commitment.lead_organisation.is_empty() {
            blocks.push(Block::field("Lead organisation: ", commitment.lead_organisation.clone()));
        }
        milestone_table(blocks, &commitment.milestones);
    }
}

fn milestone_table(blocks: &mut Vec<Block>, milestones: &[MilestoneView]) {
    if milestones.is_empty() {
        return;
    }
    let rows: Vec<Vec<String>> = milestones
        .iter()
        .map(|m| vec![marked(&m.title, m.illustrative), m.due.clone(), m.status.label.to_string()])
        .collect();
    blocks.push(Block::Table { columns: pcplan_pdf::fit_columns(&["Milestone", "Due", "Status"], &rows), rows });
}

/// The annexes: local plans in full, action plans, then the plan's own sections.
fn annex_blocks(blocks: &mut Vec<Block>, plan: &PlanView) {
    let mut letters = ('A'..='Z').map(|c| c.to_string());
    let mut annex = |title: &str| format!("Annex {}: {title}", letters.next().unwrap_or_default());
    if !plan.local_plans.is_empty() {
        blocks.push(Block::heading(2, annex("Local policing and crime plans")));
        for local in &plan.local_plans {
            local_plan_blocks(blocks, local);
        }
    }
    if !plan.action_plans.is_empty() {
        blocks.push(Block::heading(2, annex("Action plans")));
        for action_plan in &plan.action_plans {
            blocks.push(Block::heading(3, marked(&action_plan.title, action_plan.illustrative)));
            let mut from = Vec::new();
            if !action_plan.source.is_empty() {
                from.push(format!("From: {}.", action_plan.source));
            }
            if !action_plan.agreed_on.is_empty() {
                from.push(format!("Agreed on {}.", action_plan.agreed_on));
            }
            if !from.is_empty() {
                blocks.push(Block::paragraph(from.join(" ")));
            }
            if action_plan.actions.is_empty() {
                blocks.push(Block::paragraph("No actions have been recorded yet."));
                continue;
            }
            let rows: Vec<Vec<String>> = action_plan
                .actions
                .iter()
                .map(|a| {
                    vec![marked(&a.title, a.illustrative), a.owner.clone(), a.due.clone(), a.status.label.to_string()]
                })
                .collect();
            let headings = ["Action", "Owner", "Due", "Status"];
            blocks.push(Block::Table { columns: pcplan_pdf::fit_columns(&headings, &rows), rows });
        }
    }
    for section in &plan.sections {
        blocks.push(Block::heading(2, annex(&marked(&section.title, section.illustrative))));
        blocks.extend(section.paragraphs.iter().cloned().map(Block::Paragraph));
        if !section.elements.is_empty() {
            blocks.push(Block::paragraph("This section gives the plan's statutory elements:"));
            blocks.push(Block::Bullets(section.elements.clone()));
        }
    }
}

fn local_plan_blocks(blocks: &mut Vec<Block>, local: &LocalPlanView) {
    blocks.push(Block::heading(3, marked(&format!("{}: {}", local.area_name, local.title), local.illustrative)));
    if !local.summary.is_empty() {
        blocks.extend(crate::plan_view::paragraphs(&local.summary).into_iter().map(Block::Paragraph));
    }
    priority_blocks(blocks, &local.priorities, 4);
}

/// The day in a version's page headers: when it took effect, else when it was made.
fn version_date(version: &PlanVersion) -> NaiveDate {
    version.meta.effective_on.unwrap_or_else(|| version.meta.made_at.date_naive())
}

async fn serve(
    body: &Body,
    plan: &Plan,
    version: &PlanVersion,
    format: Format,
    private: bool,
) -> Result<Response, PageError> {
    let view = PlanView::new(plan, body);
    let version_view = VersionView::from(&version.meta);
    let document = plan_document(&view, &version_view, version_date(version));
    let bytes = write(document, format).await?;
    let name =
        format!("{}-plan-version-{}.{}", crate::table_csv::slug(&body.name), version.meta.number.0, format.extension());
    Ok(file_response(bytes, format, &name, private))
}

async fn public_file(
    State(state): State<AppState>,
    Path((number, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let format = format_of(&file).ok_or(PageError::NotFound)?;
    let public = crate::public::find_public_plan(&state.store).await?.ok_or(PageError::NotFound)?;
    public_version_file(&state, public, &number, format).await
}

async fn body_public_file(
    State(state): State<AppState>,
    Path((body, number, file)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let format = format_of(&file).ok_or(PageError::NotFound)?;
    let body: BodyId = body.parse().map_err(|_| PageError::NotFound)?;
    let public = crate::public::find_body_plan(&state.store, body).await?.ok_or(PageError::NotFound)?;
    public_version_file(&state, public, &number, format).await
}

/// A published version's file; a 404 for any version that is not public.
async fn public_version_file(
    state: &AppState,
    public: crate::public::PublicPlan,
    number: &str,
    format: Format,
) -> Result<Response, PageError> {
    let number: u32 = number.parse().map_err(|_| PageError::NotFound)?;
    let version = crate::public::load_public_version(&state.store, &public, VersionNumber(number))
        .await?
        .ok_or(PageError::NotFound)?;
    serve(&public.body, &version.plan, &version, format, false).await
}

/// Any version of a plan for a signed-in user, drafts included.
async fn staff_file(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path((plan, number, file)): Path<(String, String, String)>,
) -> Result<Response, PageError> {
    let format = format_of(&file).ok_or(PageError::NotFound)?;
    let id = crate::staff::parse_plan_id(&plan)?;
    let number: u32 = number.parse().map_err(|_| PageError::NotFound)?;
    let version = state.store.version(id, VersionNumber(number)).await?.ok_or(PageError::NotFound)?;
    let body = state.store.body(version.plan.body_id).await?.ok_or(PageError::NotFound)?;
    serve(&body, &version.plan, &version, format, true).await
}
