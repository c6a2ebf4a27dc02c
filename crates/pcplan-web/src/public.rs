//! The public pages, open to everyone without signing in: the landing page, the plan in
//! force, earlier issued versions, and one page per local authority area.
//!
//! A site usually serves one policing body, the **site body** (the first body stored):
//! its pages are `/`, `/plan`, `/plan/versions/{n}` and `/plan/areas/{code}`. Any other
//! body on the same site (the demo holds two) has the same pages under `/bodies/{id}`,
//! and the landing page links to them; an area page asked for at `/plan/areas/{code}`
//! with another body's area code is sent to that body's page.
//!
//! An area's page shows, for each measure of the plan in force reported by area, the
//! area's latest figure with its count and rate per 1,000 residents, the change from the
//! same period last year, what its XmR chart says, the chart with its table, and how the
//! area compares with the body's other areas; the figures are worded by
//! `performance_view`, as on the staff pages.
//!
//! **The public sees only issued and varied versions.** Every page here reads a
//! version whose kind `is_public()`, found through [`find_public_plan`]; nothing here
//! reads the working draft or a draft, sent-to-panel or variation-draft version, and a
//! request for one by number is a 404, exactly as if it did not exist. This module does
//! not render staff views of drafts; the staff pages do.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::Response;
use axum::routing::get;
use pcplan_domain::{Body, BodyId, PlanId, PlanVersion, VersionMeta, VersionNumber, current_public};
use pcplan_store::{Store, StoreError};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::performance_view::BodyFigures;
use crate::plan_view::{AreaView, PlanView, VersionView, long_date};
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/", get(home))
        .route("/plan", get(current_plan))
        .route("/plan/versions/{number}", get(plan_version))
        .route("/plan/areas/{code}", get(area))
        .route("/bodies/{body}", get(body_home))
        .route("/bodies/{body}/plan", get(body_plan))
        .route("/bodies/{body}/plan/versions/{number}", get(body_plan_version))
        .route("/bodies/{body}/plan/areas/{code}", get(body_area))
}

/// The plan the public sees: its body and its public versions, oldest first.
#[derive(Clone, Debug)]
pub struct PublicPlan {
    pub plan_id: PlanId,
    pub body: Body,
    /// Only issued and varied versions.
    pub versions: Vec<VersionMeta>,
}

impl PublicPlan {
    /// The version in force: the latest issued or varied one.
    pub fn current(&self) -> Option<&VersionMeta> {
        current_public(&self.versions)
    }

    /// The public version with this number, if it is one.
    pub fn public_version(&self, number: VersionNumber) -> Option<&VersionMeta> {
        self.versions.iter().find(|v| v.number == number && v.kind.is_public())
    }
}

/// Finds the site body's plan to publish: of its plans with an issued or varied version,
/// the one that starts latest (a new term's plan replaces the last one). `None` when
/// nothing has been issued. Versions that are not public are dropped here, so no caller can show one.
pub async fn find_public_plan(store: &Store) -> Result<Option<PublicPlan>, StoreError> {
    match store.site_body().await? {
        Some(body) => find_body_plan(store, body).await,
        None => Ok(None),
    }
}

/// [`find_public_plan`] for one body: of its plans with an issued or varied version,
/// the one that starts latest.
pub async fn find_body_plan(store: &Store, body: BodyId) -> Result<Option<PublicPlan>, StoreError> {
    let mut best: Option<(chrono::NaiveDate, PlanId, Vec<VersionMeta>)> = None;
    for summary in store.plans().await?.into_iter().filter(|p| p.body_id == body) {
        let versions: Vec<VersionMeta> =
            store.versions(summary.id).await?.into_iter().filter(|v| v.kind.is_public()).collect();
        if versions.is_empty() {
            continue;
        }
        if best.as_ref().is_none_or(|(starts_on, _, _)| summary.starts_on > *starts_on) {
            best = Some((summary.starts_on, summary.id, versions));
        }
    }
    let Some((_, plan_id, versions)) = best else { return Ok(None) };
    let Some(current) = current_public(&versions) else { return Ok(None) };
    // The body is read from the public version's own content, so the page shows the
    // body the plan was issued for.
    let Some(version) = store.version(plan_id, current.number).await? else { return Ok(None) };
    let body = store
        .body(version.plan.body_id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("body {} of plan {plan_id}", version.plan.body_id) })?;
    Ok(Some(PublicPlan { plan_id, body, versions }))
}

/// Where a body's public pages start: `""` for the site body, `/bodies/{id}` for another.
async fn base_of(store: &Store, body: BodyId) -> Result<String, StoreError> {
    Ok(if store.site_body().await? == Some(body) { String::new() } else { format!("/bodies/{body}") })
}

/// The public plan of the body named in a `/bodies/{id}` path.
async fn body_plan_of(store: &Store, raw: &str) -> Result<(PublicPlan, String), PageError> {
    let body: BodyId = raw.parse().map_err(|_| PageError::NotFound)?;
    let public = find_body_plan(store, body).await?.ok_or(PageError::NotFound)?;
    let base = base_of(store, body).await?;
    Ok((public, base))
}

/// Loads a public version's content; refuses any version that is not public.
pub async fn load_public_version(
    store: &Store,
    public: &PublicPlan,
    number: VersionNumber,
) -> Result<Option<PlanVersion>, StoreError> {
    if public.public_version(number).is_none() {
        return Ok(None);
    }
    let version = store.version(public.plan_id, number).await?;
    Ok(version.filter(|v| v.meta.kind.is_public()))
}

#[derive(Template)]
#[template(path = "public/home.html")]
struct HomePage {
    layout: Layout,
    /// Where the body's pages start: `""` or `/bodies/{id}`.
    base: String,
    /// The body's deadlines calendar feed, when there is a body.
    feed_href: String,
    body_name: String,
    office_title: String,
    force_name: String,
    plan: Option<HomePlan>,
    areas: Vec<AreaLink>,
    /// The other bodies on the site with a public plan.
    others: Vec<AreaLink>,
}

struct HomePlan {
    title: String,
    period: String,
    vision: String,
    version: VersionView,
}

/// A link by code and name: an area, or another body (code = its pages' base).
struct AreaLink {
    code: String,
    name: String,
}

async fn home(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let Some(public) = find_public_plan(&state.store).await? else {
        return render(&HomePage {
            layout: Layout::new("Police and crime plan", user.as_ref(), Nav::None),
            base: String::new(),
            feed_href: String::new(),
            body_name: String::new(),
            office_title: String::new(),
            force_name: String::new(),
            plan: None,
            areas: Vec::new(),
            others: other_bodies(&state.store, None).await?,
        });
    };
    home_page(&state.store, &public, String::new(), user.as_ref()).await
}

/// `GET /bodies/{id}`: another body's landing page.
async fn body_home(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(body): Path<String>,
) -> Result<Response, PageError> {
    let (public, base) = body_plan_of(&state.store, &body).await?;
    home_page(&state.store, &public, base, user.as_ref()).await
}

/// The other bodies with a public plan, for the landing page's links.
async fn other_bodies(store: &Store, except: Option<BodyId>) -> Result<Vec<AreaLink>, StoreError> {
    let mut others = Vec::new();
    for body in store.bodies().await? {
        if Some(body.id) == except || find_body_plan(store, body.id).await?.is_none() {
            continue;
        }
        others.push(AreaLink { code: base_of(store, body.id).await?, name: body.name });
    }
    Ok(others)
}

async fn home_page(
    store: &Store,
    public: &PublicPlan,
    base: String,
    user: Option<&pcplan_store::User>,
) -> Result<Response, PageError> {
    let mut plan = None;
    if let Some(current) = public.current()
        && let Some(version) = load_public_version(store, public, current.number).await?
    {
        plan = Some(HomePlan {
            title: version.plan.title.clone(),
            period: format!("{} to {}", long_date(version.plan.starts_on), long_date(version.plan.ends_on)),
            vision: version.plan.vision.clone(),
            version: VersionView::from(&version.meta),
        });
    }
    let areas = public.body.areas.iter().map(|a| AreaLink { code: a.code.clone(), name: a.name.clone() }).collect();
    render(&HomePage {
        layout: Layout::new(public.body.name.clone(), user, Nav::None),
        feed_href: format!("/bodies/{}/deadlines.ics", public.body.id),
        body_name: public.body.name.clone(),
        office_title: public.body.office_title.clone(),
        force_name: public.body.force_name.clone(),
        plan,
        areas,
        others: other_bodies(store, Some(public.body.id)).await?,
        base,
    })
}

#[derive(Template)]
#[template(path = "public/plan.html")]
struct PlanPage {
    layout: Layout,
    /// Where the body's pages start: `""` or `/bodies/{id}`.
    base: String,
    plan: PlanView,
    version: VersionView,
    /// True on the plan in force; false on an earlier version.
    is_current: bool,
    current_number: u32,
    /// The other public versions, newest first.
    other_versions: Vec<VersionView>,
}

async fn current_plan(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let public = find_public_plan(&state.store).await?.ok_or(PageError::NothingIssued)?;
    let number = public.current().ok_or(PageError::NothingIssued)?.number;
    plan_page(&state.store, &public, String::new(), number, user.as_ref()).await
}

async fn body_plan(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(body): Path<String>,
) -> Result<Response, PageError> {
    let (public, base) = body_plan_of(&state.store, &body).await?;
    let number = public.current().ok_or(PageError::NotFound)?.number;
    plan_page(&state.store, &public, base, number, user.as_ref()).await
}

async fn plan_version(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    let number: u32 = number.parse().map_err(|_| PageError::NotFound)?;
    let public = find_public_plan(&state.store).await?.ok_or(PageError::NotFound)?;
    plan_page(&state.store, &public, String::new(), VersionNumber(number), user.as_ref()).await
}

async fn body_plan_version(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((body, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let number: u32 = number.parse().map_err(|_| PageError::NotFound)?;
    let (public, base) = body_plan_of(&state.store, &body).await?;
    plan_page(&state.store, &public, base, VersionNumber(number), user.as_ref()).await
}

async fn plan_page(
    store: &Store,
    public: &PublicPlan,
    base: String,
    number: VersionNumber,
    user: Option<&pcplan_store::User>,
) -> Result<Response, PageError> {
    let version = load_public_version(store, public, number).await?.ok_or(PageError::NotFound)?;
    let current_number = public.current().map(|v| v.number.0).unwrap_or(0);
    let is_current = current_number == number.0;
    let other_versions = public.versions.iter().rev().filter(|v| v.number != number).map(VersionView::from).collect();
    let plan = PlanView::new(&version.plan, &public.body);
    let title = if is_current { plan.title.clone() } else { format!("{} (version {})", plan.title, number) };
    render(&PlanPage {
        layout: Layout::new(title, user, Nav::Plan),
        base,
        plan,
        version: VersionView::from(&version.meta),
        is_current,
        current_number,
        other_versions,
    })
}

#[derive(Template)]
#[template(path = "public/area.html")]
struct AreaPage {
    layout: Layout,
    /// Where the body's pages start: `""` or `/bodies/{id}`.
    base: String,
    area: AreaView,
    plan_title: String,
    version: VersionView,
}

async fn area(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(code): Path<String>,
) -> Result<Response, PageError> {
    let public = find_public_plan(&state.store).await?.ok_or(PageError::NothingIssued)?;
    if !public.body.areas.iter().any(|a| a.code == code) {
        // Another body's area: its page is under that body's address.
        for body in state.store.bodies().await? {
            if body.id != public.body.id && body.areas.iter().any(|a| a.code == code) {
                return Ok(crate::staff::see_other(&format!("/bodies/{}/plan/areas/{code}", body.id)));
            }
        }
    }
    area_page(&state.store, &public, String::new(), &code, user.as_ref()).await
}

async fn body_area(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path((body, code)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (public, base) = body_plan_of(&state.store, &body).await?;
    area_page(&state.store, &public, base, &code, user.as_ref()).await
}

async fn area_page(
    store: &Store,
    public: &PublicPlan,
    base: String,
    code: &str,
    user: Option<&pcplan_store::User>,
) -> Result<Response, PageError> {
    let number = public.current().ok_or(PageError::NothingIssued)?.number;
    let version = load_public_version(store, public, number).await?.ok_or(PageError::NothingIssued)?;
    if public.body.area(code).is_none() {
        return Err(PageError::NotFound);
    }
    // Loaded once for the whole page; only the measures of the version in force are
    // read from it, so a draft's figures never show.
    let figures = BodyFigures::load(store, &public.body).await?;
    let area = AreaView::new(&version.plan, &public.body, code, &figures).ok_or(PageError::NotFound)?;
    render(&AreaPage {
        layout: Layout::new(area.name.clone(), user, Nav::Plan),
        base,
        plan_title: version.plan.title.clone(),
        version: VersionView::from(&version.meta),
        area,
    })
}
