//! The transparency checklist, as pages: `GET /transparency` (the site body) and
//! `GET /bodies/{id}/transparency` tell the public what the body must publish, how often,
//! when it last did and where to read it; [`checklist`] builds the same rows for the
//! staff page (`staff/transparency.rs`), which adds each duty's log and the forms.
//!
//! The duties, their cadences and what is due are `pcplan_domain::transparency`'s; this
//! module only finds the date each duty was last met. For what pcplan publishes itself
//! it reads the same public records the public pages show (issued and varied plan
//! versions, signed decisions, published Panel papers, responses and annual reports), so
//! the checklist can never claim a draft was published. For recurring obligations it
//! reads their completion, and for the rest the body's publication log.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use pcplan_domain::decision::DecisionStatus;
use pcplan_domain::obligation::Outcome;
use pcplan_domain::transparency::{self, DUTIES, Duty, Evidence, LastPublished, Publication, Published, Standing};
use pcplan_domain::{Body, BodyId};
use pcplan_store::DecisionFilter;

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::staff::compliance::HORIZON_DAYS;
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new().route("/transparency", get(site_page)).route("/bodies/{body}/transparency", get(body_page))
}

/// One publication in a duty's log, for staff.
pub struct LogRow {
    pub id: String,
    pub published_on: String,
    pub url: String,
    pub note: String,
    pub recorded: String,
}

/// One duty on the checklist.
pub struct DutyRow {
    pub key: &'static str,
    pub title: &'static str,
    pub what: &'static str,
    pub citation: &'static str,
    pub cadence: &'static str,
    pub cadence_note: &'static str,
    /// Where it is published, in words.
    pub source: String,
    /// The public page of pcplan's own records, when it has one.
    pub source_href: String,
    /// `12 November 2026`, or empty when never published.
    pub last_on: String,
    pub last_what: String,
    pub last_href: String,
    pub standing: &'static str,
    /// The GOV.UK tag colour class for the standing.
    pub tag_class: &'static str,
    /// `30 December 2026`, or empty when nothing is due by the calendar.
    pub due: String,
    pub overdue: bool,
    /// Staff record this duty's publications by hand.
    pub logged: bool,
    pub log: Vec<LogRow>,
}

/// The whole checklist of a body on a day.
pub struct Checklist {
    pub rows: Vec<DutyRow>,
    pub overdue: usize,
    /// Duties with nothing published or recorded yet.
    pub never: usize,
    /// Publications in the log shown (none unless asked for).
    pub logged: usize,
}

/// Where the body's public pages start: the site root for the site body, its own
/// prefix otherwise (the same choice the plan pages make).
async fn public_base(state: &AppState, body: BodyId) -> Result<String, PageError> {
    Ok(if state.store.site_body().await? == Some(body) { String::new() } else { format!("/bodies/{body}") })
}

/// The latest of pcplan's own public records of one kind.
async fn latest_record(
    state: &AppState,
    body: &Body,
    kind: Published,
    base: &str,
) -> Result<Option<LastPublished>, PageError> {
    let latest = match kind {
        Published::PlanVersions => crate::public::find_body_plan(&state.store, body.id).await?.and_then(|public| {
            public
                .versions
                .iter()
                .map(|v| (v.effective_on.unwrap_or_else(|| v.made_at.date_naive()), v))
                .max_by_key(|(on, v)| (*on, v.number))
                .map(|(on, v)| LastPublished {
                    on,
                    what: format!("Version {}: {}", v.number, v.label),
                    href: format!("{base}/plan/versions/{}", v.number),
                })
        }),
        Published::Decisions => {
            let filter =
                DecisionFilter { body: Some(body.id), statuses: vec![DecisionStatus::Signed], ..Default::default() };
            state
                .store
                .decisions(&filter)
                .await?
                .iter()
                .filter_map(|d| d.published_on().map(|on| (on, d)))
                .max_by_key(|(on, d)| (*on, d.number))
                .map(|(on, d)| LastPublished {
                    on,
                    what: format!("Decision {}", d.number),
                    href: format!("/decisions/{}", d.number.slug()),
                })
        }
        Published::PanelPapers => state
            .store
            .meetings(body.id)
            .await?
            .iter()
            .filter_map(|m| m.papers_published_on.map(|on| (on, m)))
            .max_by_key(|(on, m)| (*on, m.held_on))
            .map(|(on, m)| LastPublished {
                on,
                what: format!("Papers for {}, {}", m.title, long_date(m.held_on)),
                href: format!("/meetings/{}", m.id),
            }),
        Published::PanelResponses => state
            .store
            .reports()
            .await?
            .iter()
            .filter(|r| r.body_id == body.id)
            .map(pcplan_domain::report::Report::public)
            .filter_map(|r| r.response_published_on.map(|on| (on, r)))
            .max_by_key(|(on, _)| *on)
            .map(|(on, r)| LastPublished {
                on,
                what: format!("Response to {}", r.title),
                href: crate::public_reports::public_path(r.id),
            }),
        Published::AnnualReports => {
            let reports = state.store.annual_reports(Some(body.id)).await?;
            match reports.iter().filter_map(|r| r.published.as_ref().map(|p| (p.on, r))).max_by_key(|(on, _)| *on) {
                Some((on, report)) => Some(LastPublished {
                    on,
                    what: format!("Annual report {}", report.year),
                    href: crate::public_annual_reports::public_path(state, report).await?,
                }),
                None => None,
            }
        }
    };
    Ok(latest)
}

fn tag(standing: Standing, evidence: Evidence) -> (&'static str, &'static str) {
    match standing {
        Standing::Overdue(_) => ("Overdue", "govuk-tag--red"),
        Standing::DueSoon(_) => ("Due soon", "govuk-tag--yellow"),
        Standing::UpToDate(_) => ("Up to date", "govuk-tag--green"),
        Standing::AsItHappens => ("Published as each happens", "govuk-tag--blue"),
        Standing::NeverPublished if evidence == Evidence::Log => ("Not recorded", "govuk-tag--grey"),
        Standing::NeverPublished => ("None published yet", "govuk-tag--grey"),
    }
}

/// The checklist of `body` on `today`; with each logged duty's publications when
/// `with_log` (the staff page).
pub async fn checklist(
    state: &AppState,
    body: &Body,
    today: NaiveDate,
    with_log: bool,
) -> Result<Checklist, PageError> {
    let base = public_base(state, body.id).await?;
    let log = state.store.publications(body.id).await?;
    let obligations = state.store.obligations(body.id).await?;
    let mut rows = Vec::new();
    for duty in DUTIES {
        let (source, source_href, last) = match duty.evidence {
            Evidence::Records(kind) => {
                let href =
                    format!("{}{}", if kind == Published::PlanVersions { &base } else { "" }, kind.public_path());
                (format!("Published here: {}", kind.label()), href, latest_record(state, body, kind, &base).await?)
            }
            Evidence::Obligation(kind) => {
                let last = obligations
                    .iter()
                    .filter(|o| o.kind == kind)
                    .filter_map(|o| o.completion.as_ref().filter(|c| c.outcome == Outcome::Done).map(|c| (c, o)))
                    .max_by_key(|(c, _)| c.on)
                    .map(|(c, o)| LastPublished {
                        on: c.on,
                        what: o.cycle_label(),
                        href: c.link.clone().unwrap_or_default(),
                    });
                (String::from("A recurring obligation on the compliance dashboard"), String::new(), last)
            }
            Evidence::Log => {
                let last = log.iter().filter(|p| p.duty == duty.key).max_by_key(|p| (p.published_on, &p.recorded_at));
                let last = last.map(|p| LastPublished {
                    on: p.published_on,
                    what: if p.note.is_empty() { duty.title.to_string() } else { p.note.clone() },
                    href: p.url.clone(),
                });
                (String::from("Published on the body's own website"), String::new(), last)
            }
        };
        rows.push(row(duty, source, source_href, last, today, if with_log { &log } else { &[] }));
    }
    let overdue = rows.iter().filter(|r| r.overdue).count();
    let never = rows.iter().filter(|r| r.last_on.is_empty()).count();
    let logged = rows.iter().map(|r| r.log.len()).sum();
    Ok(Checklist { rows, overdue, never, logged })
}

fn row(
    duty: &'static Duty,
    source: String,
    source_href: String,
    last: Option<LastPublished>,
    today: NaiveDate,
    log: &[Publication],
) -> DutyRow {
    let standing = transparency::standing(duty, last.as_ref().map(|l| l.on), today, HORIZON_DAYS);
    let (label, tag_class) = tag(standing, duty.evidence);
    let due = match standing {
        Standing::Overdue(on) | Standing::DueSoon(on) | Standing::UpToDate(on) => long_date(on),
        Standing::AsItHappens | Standing::NeverPublished => String::new(),
    };
    let log = log
        .iter()
        .filter(|p| p.duty == duty.key)
        .map(|p| LogRow {
            id: p.id.to_string(),
            published_on: long_date(p.published_on),
            url: p.url.clone(),
            note: p.note.clone(),
            recorded: format!("{}, {}", p.recorded_by, p.recorded_at.get(..10).unwrap_or(&p.recorded_at)),
        })
        .collect();
    DutyRow {
        key: duty.key,
        title: duty.title,
        what: duty.what,
        citation: duty.citation,
        cadence: duty.cadence.label(),
        cadence_note: duty.cadence_note,
        source,
        source_href,
        last_on: last.as_ref().map(|l| long_date(l.on)).unwrap_or_default(),
        last_what: last.as_ref().map(|l| l.what.clone()).unwrap_or_default(),
        last_href: last.map(|l| l.href).unwrap_or_default(),
        standing: label,
        tag_class,
        due,
        overdue: matches!(standing, Standing::Overdue(_)),
        logged: duty.evidence == Evidence::Log,
        log,
    }
}

#[derive(Template)]
#[template(path = "public/transparency.html")]
pub struct TransparencyPage {
    pub layout: Layout,
    pub body_name: String,
    pub today: String,
    pub checklist: Checklist,
}

async fn page(state: &AppState, body: Body, user: MaybeUser) -> Result<Response, PageError> {
    let today = crate::today();
    let checklist = checklist(state, &body, today, false).await?;
    render(&TransparencyPage {
        layout: Layout::new("What we publish", user.0.as_ref(), Nav::None),
        body_name: body.name,
        today: long_date(today),
        checklist,
    })
}

/// `GET /transparency`: the site body's checklist; 404 when the site has no body.
async fn site_page(State(state): State<AppState>, user: MaybeUser) -> Result<Response, PageError> {
    let id = state.store.site_body().await?.ok_or(PageError::NotFound)?;
    let body = state.store.body(id).await?.ok_or(PageError::NotFound)?;
    page(&state, body, user).await
}

/// `GET /bodies/{id}/transparency`.
async fn body_page(
    State(state): State<AppState>,
    Path(body): Path<String>,
    user: MaybeUser,
) -> Result<Response, PageError> {
    let id: BodyId = body.parse().map_err(|_| PageError::NotFound)?;
    let body = state.store.body(id).await?.ok_or(PageError::NotFound)?;
    page(&state, body, user).await
}
