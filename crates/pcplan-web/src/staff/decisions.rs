//! The staff pages of the register of Notices of Decision, under `/staff/decisions`: the
//! register with filters and each body's year basis, the form for a new draft (the
//! number is given when it is saved), editing a draft, the notice itself, and the forms
//! that sign it (which publishes it and freezes its content), withdraw a draft (its
//! number stays, marked withdrawn) and append a correction note to a signed decision.
//!
//! Viewers see the register and notices, but a confidential decision only as its stub:
//! its body is for editors and administrators (`public_decisions::may_read_confidential`).
//! Every POST checks the editor role before anything else. Forms follow the GOV.UK
//! pattern of the other staff forms: errors beside their fields, values kept, 422.
//! The rules are the domain's (`pcplan_domain::decision`) and numbering is the store's.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::decision::{
    Confidentiality, ContactOfficer, Correction, DEFAULT_DECLARATION, DEFAULT_PUBLIC_ACCESS, Decision, DecisionContent,
    DecisionMaker, DecisionStatus, PlanLink, RegisterSettings, Signature, Withdrawal, YearBasis, long_date, paragraphs,
};
use pcplan_domain::{Body, BodyId, DecisionId, ItemId, RecordKind, VersionNumber};
use pcplan_store::DecisionFilter;

use super::forms::{Control, FieldErrors, FieldView, FormReader, FormValues, OptionView};
use super::{Crumb, DoneQuery, Refusal, can_approve, can_edit, refusal, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::public_decisions::{NoticeView, body_name, may_read_confidential};
use crate::views::{Layout, render, render_with_status};

const REGISTER: &str = "/staff/decisions";

fn parse_id(raw: &str) -> Result<DecisionId, PageError> {
    raw.parse().map_err(|_| PageError::NotFound)
}

async fn load(state: &AppState, id: DecisionId) -> Result<Decision, PageError> {
    state.store.decision(id).await?.ok_or(PageError::NotFound)
}

fn crumbs() -> Vec<Crumb> {
    vec![Crumb::new("Staff", "/staff"), Crumb::new("Notices of Decision", REGISTER)]
}

// ---- the register ----

/// One row of the staff register.
pub struct Row {
    pub number: String,
    pub href: String,
    pub title: String,
    pub status: &'static str,
    pub tag: &'static str,
    pub confidential: bool,
    pub date: String,
}

/// A body's year basis, with its form.
pub struct BasisView {
    pub body_id: String,
    pub body_name: String,
    pub basis: &'static str,
    pub options: Vec<(String, String, bool)>,
}

#[derive(Template)]
#[template(path = "staff/decisions.html")]
pub struct RegisterPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub rows: Vec<Row>,
    pub status: String,
    pub q: String,
    pub year: String,
    pub bases: Vec<BasisView>,
    pub notice: Option<String>,
    pub error: Option<String>,
    pub editable: bool,
}

fn status_tag(status: DecisionStatus) -> &'static str {
    match status {
        DecisionStatus::Draft => "govuk-tag--yellow",
        DecisionStatus::Signed => "govuk-tag--green",
        DecisionStatus::Withdrawn => "govuk-tag--grey",
    }
}

/// `GET /staff/decisions?status=&q=&year=`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let notice = match values.get("done") {
        "settings" => Some(String::from("Register settings saved")),
        _ => None,
    };
    render(&register_page(&state, &user, &values, notice, None).await?)
}

async fn register_page(
    state: &AppState,
    user: &CurrentUser,
    values: &FormValues,
    notice: Option<String>,
    error: Option<String>,
) -> Result<RegisterPage, PageError> {
    let filter = DecisionFilter {
        statuses: DecisionStatus::parse(values.get("status")).into_iter().collect(),
        title: Some(values.get("q").trim().to_string()).filter(|q| !q.is_empty()),
        year: values.get("year").trim().parse().ok(),
        ..Default::default()
    };
    let found = state.store.decisions(&filter).await?;
    let rows = found
        .iter()
        .map(|d| Row {
            number: d.number.to_string(),
            href: format!("{REGISTER}/{}", d.id),
            title: d.content.title.clone(),
            status: d.status.label(),
            tag: status_tag(d.status),
            confidential: d.content.confidentiality.is_confidential(),
            date: d.published_on().map(long_date).unwrap_or_else(|| format!("Drafted {}", long_date(d.drafted_on))),
        })
        .collect();
    let mut bases = Vec::new();
    for body in state.store.bodies().await? {
        let settings = state.store.register_settings(body.id).await?;
        bases.push(BasisView {
            body_id: body.id.to_string(),
            body_name: body.name.clone(),
            basis: settings.year_basis.label(),
            options: [YearBasis::Calendar, YearBasis::Financial]
                .into_iter()
                .map(|b| (b.as_str().to_string(), b.label().to_string(), b == settings.year_basis))
                .collect(),
        });
    }
    Ok(RegisterPage {
        layout: user.layout("Notices of Decision"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        rows,
        status: values.get("status").to_string(),
        q: values.get("q").to_string(),
        year: values.get("year").to_string(),
        bases,
        notice,
        error,
        editable: can_edit(&user.user),
    })
}

/// `POST /staff/decisions/settings`: a body's year basis.
pub async fn save_settings(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let body: BodyId = values.get("body").parse().map_err(|_| PageError::NotFound)?;
    let Some(basis) = YearBasis::parse(values.get("year_basis")) else {
        let empty = FormValues::default();
        let page = register_page(&state, &user, &empty, None, Some(String::from("Select the year basis"))).await?;
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    };
    match state.store.set_register_settings(&user.actor(), body, &RegisterSettings { year_basis: basis }).await {
        Ok(()) => Ok(see_other(&format!("{REGISTER}?done=settings"))),
        Err(error) => {
            let message = match refusal(error)? {
                Refusal::Message(m) => m,
                Refusal::Problems(p) => {
                    p.into_iter().map(|p| super::sentence(&p.problem)).collect::<Vec<_>>().join("; ")
                }
            };
            let page = register_page(&state, &user, &FormValues::default(), None, Some(message)).await?;
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

// ---- the draft form ----

#[derive(Template)]
#[template(path = "staff/decision_form.html")]
pub struct FormPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub heading: String,
    pub caption: String,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub cancel: String,
    pub submit: &'static str,
}

/// The form's field names for each path the domain names in a problem.
fn field_of(path: &str) -> &str {
    match path {
        "contact.name" => "contact_name",
        "contact.telephone" => "contact_telephone",
        "contact.email" => "contact_email",
        "decision_maker.office" => "decision_maker_office",
        "decision_maker.holder" => "decision_maker_holder",
        "confidentiality.exemption" => "exemption",
        p if p.starts_with("facts_and_advice") => "facts_and_advice",
        p if p.starts_with("background_papers") => "background_papers",
        p => p,
    }
}

/// Form values from a decision's content, so an edit starts from what is stored.
fn content_values(body: BodyId, c: &DecisionContent) -> FormValues {
    let mut v = FormValues::default();
    v.push("body", body.to_string());
    v.push("title", &c.title);
    v.push("confidentiality", if c.confidentiality.is_confidential() { "confidential" } else { "public" });
    v.push("exemption", c.confidentiality.exemption());
    v.push("contact_name", &c.contact.name);
    v.push("contact_telephone", &c.contact.telephone);
    v.push("contact_email", &c.contact.email);
    v.push("executive_summary", &c.executive_summary);
    v.push("decision", &c.decision);
    v.push("decision_maker_office", &c.decision_maker.office);
    v.push("decision_maker_holder", &c.decision_maker.holder);
    v.push("declaration", &c.declaration);
    v.push("facts_and_advice", c.facts_and_advice.join("\n\n"));
    v.push("financial_implications", &c.financial_implications);
    v.push("legal_implications", &c.legal_implications);
    v.push("equality_implications", &c.equality_implications);
    v.push("background_papers", c.background_papers.join("\n"));
    v.push("public_access", &c.public_access);
    v.push("plan_version", c.plan.map(|p| format!("{}:{}", p.plan, p.version)).unwrap_or_default());
    for id in &c.objectives {
        v.push("objectives", id.to_string());
    }
    for id in &c.grants {
        v.push("grants", id.to_string());
    }
    v.push("note", &c.note);
    v
}

/// Reads the form into content; `Err` holds the errors of fields that are not even of
/// the right type. Missing required text is left to the domain's check, which names it.
fn read_content(values: &FormValues) -> Result<DecisionContent, FieldErrors> {
    let mut r = FormReader::new(values);
    let confidential = r.choice("confidentiality", "whether the decision is confidential", |v| match v {
        "public" => Some(false),
        "confidential" => Some(true),
        _ => None,
    });
    let mut errors = r.errors;
    let plan = match values.get("plan_version").trim() {
        "" => None,
        raw => match raw.split_once(':').and_then(|(p, n)| Some((p.parse().ok()?, n.parse::<u32>().ok()?))) {
            Some((plan, n)) => Some(PlanLink { plan, version: VersionNumber(n) }),
            None => {
                errors.add("plan_version", "Select the plan version from the list");
                None
            }
        },
    };
    let ids = |name: &str, errors: &mut FieldErrors, label: &str| -> Vec<ItemId> {
        let mut out = Vec::new();
        for raw in values.all(name) {
            match raw.parse() {
                Ok(id) => out.push(id),
                Err(_) => errors.add(name, format!("Select {label} from the list")),
            }
        }
        out
    };
    let objectives = ids("objectives", &mut errors, "objectives");
    let grants = ids("grants", &mut errors, "grants");
    let text = |name: &str| values.get(name).trim().to_string();
    let content = DecisionContent {
        title: text("title"),
        confidentiality: if confidential == Some(true) {
            Confidentiality::Confidential { exemption: text("exemption") }
        } else {
            Confidentiality::Public
        },
        contact: ContactOfficer {
            name: text("contact_name"),
            telephone: text("contact_telephone"),
            email: text("contact_email"),
        },
        executive_summary: text("executive_summary"),
        decision: text("decision"),
        decision_maker: DecisionMaker { office: text("decision_maker_office"), holder: text("decision_maker_holder") },
        declaration: text("declaration"),
        facts_and_advice: paragraphs(values.get("facts_and_advice")),
        financial_implications: text("financial_implications"),
        legal_implications: text("legal_implications"),
        equality_implications: text("equality_implications"),
        background_papers: values
            .get("background_papers")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(str::to_string)
            .collect(),
        public_access: text("public_access"),
        plan,
        objectives,
        grants,
        note: text("note"),
    };
    if let Err(problems) = content.check() {
        for p in problems.0 {
            errors.add(field_of(&p.field), super::sentence(&p.problem));
        }
    }
    // Errors in the order of the form, as the GOV.UK error summary lists them.
    let order = FORM_ORDER;
    errors.0.sort_by_key(|e| order.iter().position(|f| *f == e.field).unwrap_or(order.len()));
    if errors.is_empty() { Ok(content) } else { Err(errors) }
}

const FORM_ORDER: &[&str] = &[
    "body",
    "title",
    "confidentiality",
    "exemption",
    "contact_name",
    "contact_telephone",
    "contact_email",
    "executive_summary",
    "decision",
    "decision_maker_office",
    "decision_maker_holder",
    "declaration",
    "facts_and_advice",
    "financial_implications",
    "legal_implications",
    "equality_implications",
    "background_papers",
    "public_access",
    "plan_version",
    "objectives",
    "grants",
    "note",
];

fn select(
    name: &str,
    label: &str,
    hint: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut field = FieldView::text(name, label, hint, values, errors);
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

fn checkboxes(
    name: &str,
    label: &str,
    hint: &str,
    options: Vec<(String, String)>,
    values: &FormValues,
    errors: &FieldErrors,
) -> FieldView {
    let mut field = FieldView::text(name, label, hint, values, errors);
    field.control = Control::Checkboxes;
    let chosen = values.all(name);
    field.options = options
        .into_iter()
        .map(|(value, label)| OptionView {
            selected: chosen.contains(&value.as_str()),
            value,
            label,
            hint: String::new(),
            conditional: Vec::new(),
        })
        .collect();
    field
}

/// The fields of the draft form, showing `values` and `errors`.
async fn form_fields(
    state: &AppState,
    bodies: &[Body],
    body: Option<BodyId>,
    values: &FormValues,
    errors: &FieldErrors,
) -> Result<Vec<FieldView>, PageError> {
    let mut fields = Vec::new();
    if body.is_none() && bodies.len() > 1 {
        let options: Vec<(String, String, String)> =
            bodies.iter().map(|b| (b.id.to_string(), b.name.clone(), String::new())).collect();
        fields.push(FieldView::radios("body", "Which body takes the decision?", "", &options, values, errors));
    }
    fields.push(FieldView::text("title", "Title", "For example, Police and Crime Plan", values, errors));
    let mut confidentiality = FieldView::radios(
        "confidentiality",
        "Is the decision confidential?",
        "A confidential decision is published only as a notice of its title, number, date and the exemption",
        &[
            (String::from("public"), String::from("No, publish the whole notice once signed"), String::new()),
            (String::from("confidential"), String::from("Yes, publish only the notice of it"), String::new()),
        ],
        values,
        errors,
    );
    let exemption = FieldView::text(
        "exemption",
        "Exemption relied on",
        "For example, Local Government Act 1972 Sch 12A para 3 (financial or business affairs)",
        values,
        errors,
    );
    if let Some(option) = confidentiality.options.get_mut(1) {
        option.conditional = vec![exemption];
    }
    fields.push(confidentiality);
    fields.extend([
        FieldView::text("contact_name", "Contact officer", "", values, errors),
        FieldView::text("contact_telephone", "Contact officer's telephone number (optional)", "", values, errors),
        FieldView::text("contact_email", "Contact officer's e-mail address (optional)", "", values, errors),
        FieldView::textarea("executive_summary", "Executive summary", "", values, errors),
        FieldView::textarea("decision", "Decision", "What is decided, for example That the plan ... is approved for issue", values, errors),
        FieldView::text("decision_maker_office", "Decision maker: the office", "For example, West Midlands Police and Crime Commissioner", values, errors),
        FieldView::text("decision_maker_holder", "Decision maker: the person who holds it", "", values, errors),
        FieldView::textarea("declaration", "Declaration of interests", "Shown above the signature", values, errors),
        FieldView::textarea(
            "facts_and_advice",
            "Facts and advice",
            "One numbered paragraph per block; leave a blank line between paragraphs. Lines starting with - are a bulleted list",
            values,
            errors,
        ),
        FieldView::textarea("financial_implications", "Financial implications", "Blank lines separate paragraphs", values, errors),
        FieldView::textarea("legal_implications", "Legal implications", "", values, errors),
        FieldView::textarea("equality_implications", "Equality implications", "", values, errors),
        FieldView::textarea("background_papers", "Background papers", "One per line", values, errors),
        FieldView::textarea("public_access", "Public access to information", "", values, errors),
    ]);
    let body_id = body.or_else(|| values.get("body").parse().ok()).or_else(|| bodies.first().map(|b| b.id));
    let mut versions = Vec::new();
    let mut objectives = Vec::new();
    let mut grants = Vec::new();
    for summary in state.store.plans().await?.into_iter().filter(|p| Some(p.body_id) == body_id) {
        for v in state.store.versions(summary.id).await? {
            versions.push((
                format!("{}:{}", summary.id, v.number),
                format!("{}: version {} ({}, {})", summary.title, v.number, v.kind.label(), v.label),
            ));
        }
        if let Some(plan) = state.store.plan(summary.id).await? {
            for item in &plan.items {
                match item.record.kind() {
                    RecordKind::Objective => objectives.push((item.id.to_string(), item.record.title().to_string())),
                    RecordKind::Grant => grants.push((item.id.to_string(), item.record.title().to_string())),
                    _ => {}
                }
            }
        }
    }
    fields.push(select(
        "plan_version",
        "Plan version the decision concerns (optional)",
        "The version it issues, for a plan or a variation",
        versions,
        values,
        errors,
    ));
    fields.push(checkboxes("objectives", "Objectives it concerns (optional)", "", objectives, values, errors));
    fields.push(checkboxes("grants", "Grants it concerns (optional)", "", grants, values, errors));
    fields.push(FieldView::textarea(
        "note",
        "Note shown with the notice (optional)",
        "For example, that the content is illustrative",
        values,
        errors,
    ));
    Ok(fields)
}

/// `GET /staff/decisions/new`.
pub async fn new_form(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    require_editor(&user)?;
    let bodies = state.store.bodies().await?;
    let mut content = DecisionContent {
        declaration: String::from(DEFAULT_DECLARATION),
        public_access: String::from(DEFAULT_PUBLIC_ACCESS),
        ..Default::default()
    };
    if let [body] = bodies.as_slice() {
        content.decision_maker.office = body.name.clone();
        content.decision_maker.holder = body.terms.last().map(|t| t.holder.clone()).unwrap_or_default();
    }
    let mut values = content_values(bodies.first().map(|b| b.id).unwrap_or_default(), &content);
    if bodies.len() > 1 {
        values.0.retain(|(n, _)| n != "body");
    }
    let fields = form_fields(&state, &bodies, None, &values, &FieldErrors::default()).await?;
    render(&new_page(&user, FieldErrors::default(), fields))
}

fn new_page(user: &CurrentUser, errors: FieldErrors, fields: Vec<FieldView>) -> FormPage {
    FormPage {
        layout: user.layout("New decision").with_errors(!errors.is_empty()),
        crumbs: crumbs(),
        heading: String::from("New decision"),
        caption: String::from("The next number is given when the draft is saved"),
        errors,
        fields,
        action: String::from(REGISTER),
        cancel: String::from(REGISTER),
        submit: "Save draft",
    }
}

/// `POST /staff/decisions`: saves a new draft, which takes the next number.
pub async fn create(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let bodies = state.store.bodies().await?;
    let body = match bodies.as_slice() {
        [one] => Some(one.id),
        _ => values.get("body").parse().ok().filter(|id| bodies.iter().any(|b| b.id == *id)),
    };
    let mut errors = match read_content(&values) {
        Ok(content) => match body {
            Some(body) => {
                let actor = user.actor();
                match state.store.create_decision(&actor, DecisionId::new(), body, crate::today(), &content).await {
                    Ok(d) => return Ok(see_other(&format!("{REGISTER}/{}?done=created", d.id))),
                    Err(error) => store_errors(error)?,
                }
            }
            None => FieldErrors::default(),
        },
        Err(errors) => errors,
    };
    if body.is_none() {
        errors.0.insert(
            0,
            super::forms::FieldError {
                field: String::from("body"),
                anchor: String::from("body"),
                message: String::from("Select the body that takes the decision"),
            },
        );
    }
    let fields = form_fields(&state, &bodies, None, &values, &errors).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &new_page(&user, errors, fields))
}

fn store_errors(error: pcplan_store::StoreError) -> Result<FieldErrors, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(m) => errors.add("title", m),
        Refusal::Problems(problems) => {
            for p in problems {
                errors.add(field_of(&p.path), super::sentence(&p.problem));
            }
        }
    }
    Ok(errors)
}

/// `GET /staff/decisions/{id}/edit`: a draft's form.
pub async fn edit_form(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let decision = load(&state, parse_id(&id)?).await?;
    if decision.status != DecisionStatus::Draft {
        return Ok(see_other(&format!("{REGISTER}/{}", decision.id)));
    }
    let values = content_values(decision.body_id, &decision.content);
    edit_page(&state, &user, &decision, &values, FieldErrors::default(), StatusCode::OK).await
}

async fn edit_page(
    state: &AppState,
    user: &CurrentUser,
    decision: &Decision,
    values: &FormValues,
    errors: FieldErrors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let bodies = state.store.bodies().await?;
    let fields = form_fields(state, &bodies, Some(decision.body_id), values, &errors).await?;
    let mut trail = crumbs();
    trail.push(Crumb::new(decision.number.to_string(), format!("{REGISTER}/{}", decision.id)));
    render_with_status(
        status,
        &FormPage {
            layout: user.layout(format!("Edit decision {}", decision.number)).with_errors(!errors.is_empty()),
            crumbs: trail,
            heading: format!("Edit draft decision {}", decision.number),
            caption: String::from("A draft can change until it is signed"),
            errors,
            fields,
            action: format!("{REGISTER}/{}/edit", decision.id),
            cancel: format!("{REGISTER}/{}", decision.id),
            submit: "Save draft",
        },
    )
}

/// `POST /staff/decisions/{id}/edit`.
pub async fn update(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let decision = load(&state, parse_id(&id)?).await?;
    let values = FormValues::new(pairs);
    let errors = match read_content(&values) {
        Ok(content) => match state.store.update_decision(&user.actor(), decision.id, &content).await {
            Ok(_) => return Ok(see_other(&format!("{REGISTER}/{}?done=saved", decision.id))),
            Err(error) => store_errors(error)?,
        },
        Err(errors) => errors,
    };
    edit_page(&state, &user, &decision, &values, errors, StatusCode::UNPROCESSABLE_ENTITY).await
}

// ---- the notice and its actions ----

#[derive(Template)]
#[template(path = "staff/decision.html")]
pub struct NoticePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub view: NoticeView,
    pub status: &'static str,
    pub tag: &'static str,
    pub facts: Vec<(&'static str, String)>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub sign_fields: Vec<FieldView>,
    pub withdraw_fields: Vec<FieldView>,
    pub correct_fields: Vec<FieldView>,
    pub base: String,
    pub is_draft: bool,
    pub is_signed: bool,
    pub editable: bool,
    /// Signs, withdraws and corrects: approvers and administrators.
    pub approvable: bool,
    pub public_href: String,
}

/// `GET /staff/decisions/{id}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let decision = load(&state, parse_id(&id)?).await?;
    let notice = match done.done.as_deref() {
        Some("created") => Some(format!("Draft saved as decision {}", decision.number)),
        Some("saved") => Some(String::from("Draft saved")),
        Some("signed") => Some(String::from("Decision signed and published")),
        Some("withdrawn") => Some(String::from("Draft withdrawn; its number stays in the register")),
        Some("corrected") => Some(String::from("Correction note added")),
        _ => None,
    };
    let mut values = FormValues::default();
    values.push("signed_by", &decision.content.decision_maker.holder);
    values.push_date("signed_on", Some(crate::today()));
    render(&notice_page(&state, &user, &decision, &values, FieldErrors::default(), notice).await?)
}

async fn notice_page(
    state: &AppState,
    user: &CurrentUser,
    decision: &Decision,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<NoticePage, PageError> {
    let bodies = state.store.bodies().await?;
    let view = NoticeView::new(decision, &body_name(&bodies, decision.body_id), Some(&user.user));
    let mut facts = vec![("Number", decision.number.to_string()), ("Drafted", long_date(decision.drafted_on))];
    if let Some(link) = decision.content.plan
        && (may_read_confidential(Some(&user.user)) || !decision.content.confidentiality.is_confidential())
    {
        facts.push(("Plan version", format!("Version {}", link.version)));
    }
    if let Some(w) = &decision.withdrawal {
        facts.push(("Withdrawn", format!("{} by {}: {}", long_date(w.on), w.by, w.reason)));
    }
    let editable = can_edit(&user.user);
    Ok(NoticePage {
        layout: user
            .layout(format!("Decision {}: {}", decision.number, decision.content.title))
            .with_errors(!errors.is_empty()),
        crumbs: crumbs(),
        status: decision.status.label(),
        tag: status_tag(decision.status),
        facts,
        notice,
        sign_fields: vec![
            FieldView::text("signed_by", "Signed by", "The name on the signature", values, &errors),
            FieldView::date("signed_on", "Date signed", "For example, 28 3 2013", values, &errors),
        ],
        withdraw_fields: vec![FieldView::textarea("reason", "Why is the draft withdrawn?", "", values, &errors)],
        correct_fields: vec![FieldView::textarea(
            "text",
            "Correction note",
            "What was wrong and what it should say; the notice itself does not change",
            values,
            &errors,
        )],
        errors,
        base: format!("{REGISTER}/{}", decision.id),
        is_draft: decision.status == DecisionStatus::Draft,
        is_signed: decision.status == DecisionStatus::Signed,
        editable,
        approvable: can_approve(&user.user),
        public_href: if decision.is_published() {
            format!("/decisions/{}", decision.number.slug())
        } else {
            String::new()
        },
        view,
    })
}

async fn refused(
    state: &AppState,
    user: &CurrentUser,
    decision: &Decision,
    values: &FormValues,
    error: pcplan_store::StoreError,
    field: &str,
) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(m) => errors.add(field, m),
        Refusal::Problems(problems) => {
            for p in problems {
                let name = if ["signed_by", "signed_on", "reason", "text"].contains(&p.path.as_str()) {
                    p.path.clone()
                } else {
                    field.to_string()
                };
                let anchor = if name == "signed_on" { String::from("signed_on-day") } else { name.clone() };
                errors.add_at(&name, &anchor, super::sentence(&p.problem));
            }
        }
    }
    let page = notice_page(state, user, decision, values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/decisions/{id}/sign`: records the signature and publishes.
pub async fn sign(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let decision = load(&state, parse_id(&id)?).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let signed_by = reader.text("signed_by", "Name of the person who signed", true);
    let signed_on = reader.date("signed_on", "Date signed", true);
    let errors = reader.errors;
    if let (Some(signed_on), true) = (signed_on, errors.is_empty()) {
        let signature = Signature { signed_by, signed_on };
        return match state.store.sign_decision(&user.actor(), decision.id, &signature, crate::today()).await {
            Ok(_) => Ok(see_other(&format!("{REGISTER}/{}?done=signed", decision.id))),
            Err(error) => refused(&state, &user, &decision, &values, error, "signed_by").await,
        };
    }
    let page = notice_page(&state, &user, &decision, &values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/decisions/{id}/withdraw`.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let decision = load(&state, parse_id(&id)?).await?;
    let values = FormValues::new(pairs);
    let withdrawal = Withdrawal {
        on: crate::today(),
        by: user.user.display_name.clone(),
        reason: values.get("reason").trim().to_string(),
    };
    match state.store.withdraw_decision(&user.actor(), decision.id, &withdrawal).await {
        Ok(_) => Ok(see_other(&format!("{REGISTER}/{}?done=withdrawn", decision.id))),
        Err(error) => refused(&state, &user, &decision, &values, error, "reason").await,
    }
}

/// `POST /staff/decisions/{id}/corrections`.
pub async fn correct(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let decision = load(&state, parse_id(&id)?).await?;
    let values = FormValues::new(pairs);
    let correction = Correction {
        on: crate::today(),
        by: user.user.display_name.clone(),
        text: values.get("text").trim().to_string(),
    };
    match state.store.correct_decision(&user.actor(), decision.id, &correction).await {
        Ok(_) => Ok(see_other(&format!("{REGISTER}/{}?done=corrected", decision.id))),
        Err(error) => refused(&state, &user, &decision, &values, error, "text").await,
    }
}
