//! Full-text search pages: `GET /search` for everyone and `GET /staff/search` for
//! signed-in staff, one GOV.UK search form (words, type checkboxes, a date range) and
//! one result list, paginated.
//!
//! **Who sees what is the store's index, asked with the right audience**: the public
//! page always searches as the public, whoever is signed in, so it never shows a record
//! the public pages would not; the staff page searches as viewers (drafts and
//! unpublished records, a confidential decision's stub) or as editors and
//! administrators (also confidential decisions' full text), the rule of
//! `public_decisions::may_read_confidential`. Each result links to the record's own
//! page: a public result to its public page, a staff result to its staff page.
//!
//! **Any query text is safe here.** The store reads it as words and phrases and binds
//! them as parameters; the page shows it escaped; matches come back from the database
//! between two control characters, and [`marked_html`] escapes everything else and
//! turns only those into `<mark>`. This module runs no SQL and holds no visibility
//! rule of its own.

use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::routing::get;
use chrono::NaiveDate;
use pcplan_domain::BodyId;
use pcplan_store::{
    Audience, MATCH_END, MATCH_START, ParsedQuery, SearchHit, SearchKind, SearchRequest, StoreError, User,
};

use crate::AppState;
use crate::auth::{CurrentUser, MaybeUser};
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::public_decisions::{PageLink, encode, may_read_confidential};
use crate::staff::forms::{Control, FieldErrors, FieldView, FormReader, FormValues, OptionView};
use crate::views::{Layout, Nav, render_with_status};

/// Results on one page.
pub const PAGE_SIZE: i64 = 20;

/// The public search page.
pub const PUBLIC_PATH: &str = "/search";
/// The staff search page.
pub const STAFF_PATH: &str = "/staff/search";

pub fn router() -> Router<AppState> {
    Router::new().route(PUBLIC_PATH, get(public_search)).route(STAFF_PATH, get(staff_search))
}

/// Escapes `text` for HTML and turns the store's match markers into `<mark>` elements,
/// always balanced: a stray end marker is dropped and an open mark is closed at the end.
pub fn marked_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut open = false;
    for c in text.chars() {
        match c {
            MATCH_START if !open => {
                out.push_str("<mark>");
                open = true;
            }
            MATCH_END if open => {
                out.push_str("</mark>");
                open = false;
            }
            MATCH_START | MATCH_END => {}
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c if c.is_control() && !c.is_whitespace() => {}
            c => out.push(c),
        }
    }
    if open {
        out.push_str("</mark>");
    }
    out
}

/// Where a result leads: its public page, or its staff page.
pub fn result_href(hit: &SearchHit, staff: bool, site_body: Option<BodyId>) -> String {
    let base = if site_body == Some(hit.body_id) { String::new() } else { format!("/bodies/{}", hit.body_id) };
    let id = &hit.record_id;
    let plan_of = |record: &str| record.split('/').next().unwrap_or_default().to_string();
    match (hit.kind, staff) {
        (SearchKind::Plan, false) => format!("{base}/plan/versions/{}", hit.locator),
        (SearchKind::Plan, true) => format!("/staff/plans/{}/versions/{}", plan_of(id), hit.locator),
        (SearchKind::PlanDraft, _) => format!("/staff/plans/{id}"),
        (SearchKind::Decision, false) => format!("/decisions/{}", hit.locator),
        (SearchKind::Decision, true) => format!("/staff/decisions/{id}"),
        (SearchKind::PanelReport, false) => format!("/reports/{id}"),
        (SearchKind::PanelReport, true) => format!("/staff/reports/{id}"),
        (SearchKind::Response, false) => format!("/reports/{id}/response"),
        (SearchKind::Response, true) => format!("/staff/reports/{id}/response"),
        (SearchKind::Paper, false) => format!("/papers/{id}"),
        (SearchKind::Paper, true) => format!("/staff/papers/{id}"),
        (SearchKind::Consultation, false) => format!("/consultations/{}", hit.locator),
        (SearchKind::Consultation, true) => format!("/staff/consultations/{id}"),
        (SearchKind::YouSaidWeDid, false) => format!("/consultations/{}/you-said-we-did", hit.locator),
        (SearchKind::YouSaidWeDid, true) => format!("/staff/consultations/{id}/publish"),
        (SearchKind::AnnualReport, false) => format!("{base}/annual-reports/{}", hit.locator),
        (SearchKind::AnnualReport, true) => format!("/staff/annual-reports/{id}"),
    }
}

/// One result as the page shows it.
pub struct ResultView {
    pub href: String,
    /// The title, escaped, matches in `<mark>`.
    pub title_html: String,
    pub kind: &'static str,
    pub date: String,
    pub context: String,
    /// The passage, escaped, matches in `<mark>`.
    pub snippet_html: String,
}

#[derive(Template)]
#[template(path = "public/search.html")]
struct SearchPage {
    layout: Layout,
    /// Where the form goes: `/search` or `/staff/search`.
    action: &'static str,
    heading: &'static str,
    intro: &'static str,
    errors: FieldErrors,
    query: FieldView,
    filters: Vec<FieldView>,
    /// Whether a search was asked for (any field given).
    searched: bool,
    /// `12 results for police "crime plan"`.
    summary: String,
    results: Vec<ResultView>,
    pages: Vec<PageLink>,
    previous: String,
    next: String,
    /// The other page's search with the same query, for signed-in staff.
    other_href: String,
    other_label: &'static str,
}

/// What the form asked for, read and checked.
struct Asked {
    text: String,
    kinds: Vec<SearchKind>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    page: i64,
}

fn read(values: &FormValues, kinds: &[SearchKind]) -> (Asked, FieldErrors) {
    let mut reader = FormReader::new(values);
    let text = values.get("q").to_string();
    let chosen = reader.checkboxes("type", "Type", |raw| SearchKind::parse(raw).filter(|k| kinds.contains(k)));
    let from = reader.date("from", "From date", false);
    let to = reader.date("to", "To date", false);
    let mut errors = reader.errors;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add_at("to", "to-day", "To date must be the same as or after the from date");
    }
    if let Some(problem) = ParsedQuery::parse(&text).problem() {
        errors.0.insert(
            0,
            crate::staff::forms::FieldError {
                field: String::from("q"),
                anchor: String::from("q"),
                message: crate::staff::sentence(&problem.to_string()),
            },
        );
    }
    let page = values.get("page").trim().parse::<i64>().unwrap_or(1).max(1);
    (Asked { text, kinds: chosen, from, to, page }, errors)
}

/// The type checkboxes: every kind the audience can find.
fn type_field(kinds: &[SearchKind], values: &FormValues, errors: &FieldErrors) -> FieldView {
    let chosen = values.all("type");
    let mut field = FieldView::radios("type", "Type", "Leave all unticked to search everything", &[], values, errors);
    field.control = Control::Checkboxes;
    field.options = kinds
        .iter()
        .map(|k| OptionView {
            value: k.as_str().to_string(),
            label: k.label().to_string(),
            hint: String::new(),
            selected: chosen.contains(&k.as_str()),
            conditional: Vec::new(),
        })
        .collect();
    field
}

/// The submitted values without control characters, which no one types and which the
/// page would otherwise echo back into the search box.
fn cleaned(pairs: Vec<(String, String)>) -> FormValues {
    let clean = |text: String| text.chars().filter(|c| !c.is_control() || c.is_whitespace()).collect::<String>();
    FormValues::new(pairs.into_iter().map(|(name, value)| (clean(name), clean(value))).collect())
}

/// The query string of this search without its page, for the page links.
fn query_without_page(values: &FormValues) -> String {
    values
        .0
        .iter()
        .filter(|(n, v)| n != "page" && !v.is_empty())
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// `/search`: the public's view, whoever asks.
async fn public_search(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = cleaned(pairs);
    let layout = Layout::new("Search", user.as_ref(), Nav::Search);
    let other = user.is_some().then_some(STAFF_PATH);
    search_page(&state, layout, Audience::Public, values, other).await
}

/// `/staff/search`: what this staff account may read.
async fn staff_search(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = cleaned(pairs);
    let audience = staff_audience(&user.user);
    search_page(&state, user.layout("Search staff records"), audience, values, Some(PUBLIC_PATH)).await
}

/// The audience a staff account searches as: editors and administrators read
/// confidential decisions whole, viewers read their stubs as the public do.
pub fn staff_audience(user: &User) -> Audience {
    if may_read_confidential(Some(user)) { Audience::Editors } else { Audience::Staff }
}

async fn search_page(
    state: &AppState,
    layout: Layout,
    audience: Audience,
    values: FormValues,
    other: Option<&'static str>,
) -> Result<Response, PageError> {
    let staff = audience != Audience::Public;
    let kinds: Vec<SearchKind> = SearchKind::ALL.into_iter().filter(|k| staff || !k.staff_only()).collect();
    let searched = ["q", "type", "from-day", "from-month", "from-year", "to-day", "to-month", "to-year"]
        .iter()
        .any(|n| values.0.iter().any(|(name, _)| name == n));
    let (asked, mut errors) = read(&values, &kinds);
    if !searched {
        errors = FieldErrors::default();
    }
    let action = if staff { STAFF_PATH } else { PUBLIC_PATH };
    let base = query_without_page(&values);
    let href =
        |n: i64| if base.is_empty() { format!("{action}?page={n}") } else { format!("{action}?{base}&page={n}") };
    let mut page = SearchPage {
        layout: layout.with_errors(!errors.is_empty()),
        action,
        heading: if staff { "Search staff records" } else { "Search" },
        intro: if staff {
            "Searches every record your account can read on the staff pages, drafts and unpublished records included."
        } else {
            "Searches the published police and crime plan, Notices of Decision, Panel reports and responses, meeting \
             papers, consultations and annual reports."
        },
        query: FieldView::text("q", "Search for", "For example, knife crime", &values, &errors),
        filters: vec![
            type_field(&kinds, &values, &errors),
            FieldView::date("from", "From date", "For example, 1 4 2013", &values, &errors),
            FieldView::date("to", "To date", "For example, 31 3 2014", &values, &errors),
        ],
        searched,
        summary: String::new(),
        results: Vec::new(),
        pages: Vec::new(),
        previous: String::new(),
        next: String::new(),
        other_href: match other {
            Some(path) if base.is_empty() => path.to_string(),
            Some(path) => format!("{path}?{base}"),
            None => String::new(),
        },
        other_label: if staff { "Search the public site only" } else { "Search staff records as well" },
        // Last: the fields above read the errors to show them beside each field.
        errors,
    };
    if !searched || !page.errors.is_empty() {
        let status = if page.errors.is_empty() { StatusCode::OK } else { StatusCode::UNPROCESSABLE_ENTITY };
        return render_with_status(status, &page);
    }
    let request = SearchRequest {
        text: asked.text.clone(),
        audience,
        kinds: asked.kinds,
        body: None,
        from: asked.from,
        to: asked.to,
        limit: PAGE_SIZE,
        offset: (asked.page - 1).saturating_mul(PAGE_SIZE),
    };
    let results = match state.store.search(&request).await {
        Ok(results) => results,
        // The form checked the query already; the store's own refusal is shown the same way.
        Err(StoreError::Fields(problems)) => {
            for p in problems.0 {
                page.errors.add(&p.field, crate::staff::sentence(&p.problem));
            }
            page.layout = page.layout.with_errors(true);
            return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
        }
        Err(other) => return Err(other.into()),
    };
    let site_body = state.store.site_body().await?;
    let noun = if results.total == 1 { "result" } else { "results" };
    page.summary = format!("{} {noun} for {}", results.total, results.query.display());
    page.results = results
        .hits
        .iter()
        .map(|hit| ResultView {
            href: result_href(hit, staff, site_body),
            title_html: marked_html(&hit.title),
            kind: hit.kind.label(),
            date: long_date(hit.date),
            context: hit.context.clone(),
            snippet_html: marked_html(&hit.snippet),
        })
        .collect();
    let page_count = (results.total + PAGE_SIZE - 1) / PAGE_SIZE;
    if page_count > 1 {
        let current = asked.page.min(page_count);
        page.pages =
            (1..=page_count).map(|n| PageLink { label: n.to_string(), href: href(n), current: n == current }).collect();
        page.previous = if current > 1 { href(current - 1) } else { String::new() };
        page.next = if current < page_count { href(current + 1) } else { String::new() };
    }
    render_with_status(StatusCode::OK, &page)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_become_mark_elements_and_everything_else_is_escaped() {
        let text = format!("<script>alert('x')</script> & {MATCH_START}crime{MATCH_END} \"plan\"");
        assert_eq!(
            marked_html(&text),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; <mark>crime</mark> &quot;plan&quot;"
        );
    }

    #[test]
    fn marks_are_always_balanced() {
        assert_eq!(marked_html(&format!("a{MATCH_END}b{MATCH_START}c")), "ab<mark>c</mark>");
        assert_eq!(marked_html(&format!("{MATCH_START}{MATCH_START}a{MATCH_END}{MATCH_END}")), "<mark>a</mark>");
    }
}
