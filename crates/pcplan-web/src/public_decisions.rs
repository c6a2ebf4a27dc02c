//! The public register of Notices of Decision: `GET /decisions` (search by number,
//! title words and signature date, paginated, a plain GET form), `GET /decisions/{number}`
//! (the notice in the layout of decision 018/2013, with a print style sheet) and
//! `GET /decisions.atom` (an Atom feed, RFC 4287, of signed decisions, written by hand).
//!
//! **Only signed decisions are public, and a confidential one only as its stub**: the
//! title, number, date and the exemption relied on, never its body. Drafts are not
//! shown; a withdrawn draft is listed as a withdrawn number with no title, so the public
//! sees that no number was skipped. The rule of who may read a confidential body
//! (editors and administrators) is [`may_read_confidential`]; public routes never ask
//! it and always build the stub. This module does not render PDF; the notice is built
//! as a plain document by `Decision::notice`, which a PDF writer can read as well.

use askama::Template;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use pcplan_domain::decision::{Decision, DecisionNumber, DecisionStatus, Notice, long_date};
use pcplan_domain::{Body, BodyId};
use pcplan_store::{DecisionFilter, Store, StoreError, User};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::public_feeds::xml_escape;
use crate::staff::forms::{FieldErrors, FieldView, FormReader, FormValues};
use crate::views::{Layout, Nav, render};

/// Decisions on one page of the public register.
pub const PAGE_SIZE: usize = 20;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/decisions", get(register))
        .route("/decisions.atom", get(atom))
        .route("/decisions/{number}", get(notice_page))
}

/// Who may read the body of a confidential decision: editors, approvers and
/// administrators, the people who draft and sign decisions. Viewers, the Chief
/// Constable's liaison and Panel officers see the public stub, as the public does.
pub fn may_read_confidential(user: Option<&User>) -> bool {
    user.is_some_and(|u| u.role.can_edit())
}

/// The notice as `user` may see it: whole, or the stub of a confidential decision.
pub fn notice_for(decision: &Decision, body: &str, user: Option<&User>) -> Notice {
    decision.notice(body, may_read_confidential(user))
}

/// The name of each body, for notices' heading blocks.
pub async fn body_names(store: &Store) -> Result<Vec<Body>, StoreError> {
    store.bodies().await
}

pub fn body_name(bodies: &[Body], id: BodyId) -> String {
    bodies.iter().find(|b| b.id == id).map(|b| b.name.clone()).unwrap_or_default()
}

/// The signed decision with this number. An installation normally keeps one body's
/// register; with several, the first body by name that has the number is shown.
pub async fn published_by_number(store: &Store, number: DecisionNumber) -> Result<Option<Decision>, StoreError> {
    let filter = DecisionFilter { number: Some(number), statuses: vec![DecisionStatus::Signed], ..Default::default() };
    let found = store.decisions(&filter).await?;
    let bodies = store.bodies().await?;
    Ok(bodies.iter().find_map(|b| found.iter().find(|d| d.body_id == b.id).cloned()))
}

/// A notice ready for the `partials/notice.html` template.
pub struct NoticeView {
    pub notice: Notice,
    /// The demo's or staff's note on the content (illustrative), if any.
    pub note: String,
    /// `018-2013`, for links to the notice and its PDF.
    pub number_slug: String,
}

impl NoticeView {
    pub fn new(decision: &Decision, body: &str, user: Option<&User>) -> Self {
        let notice = notice_for(decision, body, user);
        let note = if notice.stub { String::new() } else { decision.content.note.clone() };
        NoticeView { notice, note, number_slug: decision.number.slug() }
    }
}

/// One row of the public register.
pub struct RegisterRow {
    pub number: String,
    pub href: String,
    pub title: String,
    pub date: String,
    /// `2013-10-01`, or empty, for the table's CSV download.
    pub date_iso: String,
    pub confidential: bool,
    pub withdrawn: bool,
}

fn register_row(d: &Decision) -> RegisterRow {
    let withdrawn = d.status == DecisionStatus::Withdrawn;
    RegisterRow {
        number: d.number.to_string(),
        href: if withdrawn { String::new() } else { format!("/decisions/{}", d.number.slug()) },
        title: if withdrawn {
            String::from("Withdrawn before signature: no decision was made")
        } else {
            d.content.title.clone()
        },
        date: d.published_on().map(long_date).unwrap_or_default(),
        date_iso: d.published_on().map(|day| day.to_string()).unwrap_or_default(),
        confidential: d.content.confidentiality.is_confidential(),
        withdrawn,
    }
}

/// A link to another page of results.
pub struct PageLink {
    pub label: String,
    pub href: String,
    pub current: bool,
}

#[derive(Template)]
#[template(path = "public/decisions.html")]
struct RegisterPage {
    layout: Layout,
    errors: FieldErrors,
    fields: Vec<FieldView>,
    rows: Vec<RegisterRow>,
    total: usize,
    pages: Vec<PageLink>,
    previous: String,
    next: String,
    searched: bool,
}

/// The search form's values, read from the query string as a form's pairs so that the
/// GOV.UK date boxes (`from-day`...) and errors work as on the staff forms.
fn read_search(values: &FormValues) -> (DecisionFilter, FieldErrors) {
    let mut reader = FormReader::new(values);
    let number_text = reader.text("number", "Number", false);
    let title = reader.text("q", "Title", false);
    let from = reader.date("from", "From date", false);
    let to = reader.date("to", "To date", false);
    let mut errors = reader.errors;
    let number = match number_text.as_str() {
        "" => None,
        raw => match raw.parse::<DecisionNumber>() {
            Ok(n) => Some(n),
            Err(_) => {
                errors.add("number", "Number must be a decision number, like 018/2013");
                None
            }
        },
    };
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        errors.add_at("to", "to-day", "To date must be the same as or after the from date");
    }
    let filter = DecisionFilter {
        statuses: vec![DecisionStatus::Signed, DecisionStatus::Withdrawn],
        number,
        title: Some(title).filter(|t| !t.is_empty()),
        signed_from: from,
        signed_to: to,
        ..Default::default()
    };
    (filter, errors)
}

/// The query string without `page`, to build page links from.
fn query_without_page(values: &FormValues) -> String {
    values
        .0
        .iter()
        .filter(|(n, v)| n != "page" && !v.is_empty())
        .map(|(n, v)| format!("{}={}", encode(n), encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Percent-encodes a query value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) {
                char::from(b).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

async fn register(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(pairs): Query<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let values = FormValues::new(pairs);
    let (filter, errors) = read_search(&values);
    let searched = ["number", "q", "from-day", "from-month", "from-year", "to-day", "to-month", "to-year"]
        .iter()
        .any(|n| values.is_set(n));
    let found = if errors.is_empty() { state.store.decisions(&filter).await? } else { Vec::new() };
    let total = found.len();
    let page_count = total.div_ceil(PAGE_SIZE).max(1);
    let page = values.get("page").parse::<usize>().unwrap_or(1).clamp(1, page_count);
    let rows = found.iter().skip((page - 1) * PAGE_SIZE).take(PAGE_SIZE).map(register_row).collect();
    let base = query_without_page(&values);
    let href = |n: usize| {
        if base.is_empty() { format!("/decisions?page={n}") } else { format!("/decisions?{base}&page={n}") }
    };
    let pages = if page_count > 1 {
        (1..=page_count).map(|n| PageLink { label: n.to_string(), href: href(n), current: n == page }).collect()
    } else {
        Vec::new()
    };
    let fields = vec![
        FieldView::text("number", "Decision number", "For example, 018/2013", &values, &errors),
        FieldView::text("q", "Words in the title", "For example, police and crime plan", &values, &errors),
        FieldView::date("from", "Signed on or after", "For example, 1 1 2013", &values, &errors),
        FieldView::date("to", "Signed on or before", "For example, 31 12 2014", &values, &errors),
    ];
    render(&RegisterPage {
        layout: Layout::new("Notices of Decision", user.as_ref(), Nav::Decisions).with_errors(!errors.is_empty()),
        errors,
        fields,
        rows,
        total,
        previous: if page > 1 { href(page - 1) } else { String::new() },
        next: if page < page_count { href(page + 1) } else { String::new() },
        pages,
        searched,
    })
}

#[derive(Template)]
#[template(path = "public/decision.html")]
struct NoticePage {
    layout: Layout,
    view: NoticeView,
    /// Plan version the decision issued, when it is a public one.
    plan_href: String,
    plan_label: String,
    /// The SHA-256 recorded when it was signed; empty for a confidential decision (a
    /// hash of content the public may not read could confirm a guess at it).
    content_hash: String,
}

async fn notice_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(number): Path<String>,
) -> Result<Response, PageError> {
    let number: DecisionNumber = number.parse().map_err(|_| PageError::NotFound)?;
    let decision = published_by_number(&state.store, number).await?.ok_or(PageError::NotFound)?;
    let bodies = body_names(&state.store).await?;
    // The public page is the public's view whoever asks: the stub of a confidential
    // decision even for an editor, who reads the whole notice on the staff page.
    let view = NoticeView::new(&decision, &body_name(&bodies, decision.body_id), None);
    let (plan_href, plan_label) = match decision.content.plan {
        Some(link) if !view.notice.stub => {
            let public = crate::public::find_public_plan(&state.store).await?;
            match public.filter(|p| p.plan_id == link.plan && p.public_version(link.version).is_some()) {
                Some(_) => {
                    (format!("/plan/versions/{}", link.version), format!("Version {} of the plan", link.version))
                }
                None => (String::new(), String::new()),
            }
        }
        _ => (String::new(), String::new()),
    };
    render(&NoticePage {
        layout: Layout::new(
            format!("Decision {}: {}", decision.number, decision.content.title),
            user.as_ref(),
            Nav::Decisions,
        ),
        view,
        plan_href,
        plan_label,
        content_hash: if decision.content.confidentiality.is_confidential() {
            String::new()
        } else {
            decision.content_hash.clone().unwrap_or_default()
        },
    })
}

fn rfc3339(date: NaiveDate) -> String {
    format!("{}T00:00:00Z", date.format("%Y-%m-%d"))
}

/// The feed's own identity: a UUID from the hash of the bodies it covers, so it stays
/// the same for an installation and differs between installations of different bodies.
fn feed_id(bodies: &[Body]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"pcplan decisions feed");
    let mut ids: Vec<String> = bodies.iter().map(|b| b.id.to_string()).collect();
    ids.sort();
    for id in ids {
        hasher.update(id.as_bytes());
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    format!("urn:uuid:{}", uuid::Uuid::from_bytes(bytes))
}

/// The Atom document of signed decisions, newest first. A confidential decision is an
/// entry with its title, number, date and exemption only.
pub fn atom_document(decisions: &[Decision], bodies: &[Body], base: &str) -> String {
    let updated = decisions
        .iter()
        .filter_map(|d| {
            let corrected = d.corrections.iter().map(|c| c.on).max();
            d.published_on().max(corrected)
        })
        .max()
        .map(rfc3339)
        .unwrap_or_else(|| String::from("2000-01-01T00:00:00Z"));
    let author = match bodies {
        [one] => one.name.clone(),
        _ => String::from("Notices of Decision"),
    };
    let mut xml =
        String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
    xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&format!("Notices of Decision: {author}"))));
    xml.push_str(&format!("  <id>{}</id>\n", feed_id(bodies)));
    xml.push_str(&format!("  <updated>{updated}</updated>\n"));
    xml.push_str(&format!(
        "  <link rel=\"self\" type=\"application/atom+xml\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/decisions.atom"))
    ));
    xml.push_str(&format!(
        "  <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
        xml_escape(&format!("{base}/decisions"))
    ));
    xml.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&author)));
    for d in decisions.iter().filter(|d| d.is_published()) {
        let Some(signed) = d.published_on() else { continue };
        let entry_updated = d.corrections.iter().map(|c| c.on).max().map_or(signed, |c| c.max(signed));
        let summary = match &d.content.confidentiality {
            pcplan_domain::decision::Confidentiality::Confidential { exemption } => {
                format!("Confidential decision: only this notice of it is published. Exemption: {exemption}")
            }
            pcplan_domain::decision::Confidentiality::Public => d.content.executive_summary.clone(),
        };
        xml.push_str("  <entry>\n");
        xml.push_str(&format!("    <id>urn:uuid:{}</id>\n", d.id));
        xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&format!("{}: {}", d.number, d.content.title))));
        xml.push_str(&format!("    <published>{}</published>\n", rfc3339(signed)));
        xml.push_str(&format!("    <updated>{}</updated>\n", rfc3339(entry_updated)));
        xml.push_str(&format!(
            "    <link rel=\"alternate\" type=\"text/html\" href=\"{}\"/>\n",
            xml_escape(&format!("{base}/decisions/{}", d.number.slug()))
        ));
        xml.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&summary)));
        xml.push_str("  </entry>\n");
    }
    xml.push_str("</feed>\n");
    xml
}

async fn atom(State(state): State<AppState>) -> Result<Response, PageError> {
    let filter = DecisionFilter { statuses: vec![DecisionStatus::Signed], ..Default::default() };
    let mut decisions = state.store.decisions(&filter).await?;
    // Newest signature first, as feed readers expect; the register orders by number.
    decisions.sort_by(|a, b| b.published_on().cmp(&a.published_on()).then_with(|| b.number.cmp(&a.number)));
    let bodies = state.store.bodies().await?;
    let base = state.config.public_base_url.as_deref().unwrap_or("").trim_end_matches('/').to_string();
    let xml = atom_document(&decisions, &bodies, &base);
    Ok(([(CONTENT_TYPE, "application/atom+xml; charset=utf-8")], xml).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xml_special_characters_are_escaped_and_forbidden_ones_dropped() {
        assert_eq!(xml_escape("a<b>&\"c'\u{1}"), "a&lt;b&gt;&amp;&quot;c&apos;");
    }

    #[test]
    fn the_feed_of_the_demo_has_an_entry_per_signed_decision() {
        let decisions = pcplan_demo_free_decisions();
        let xml = atom_document(&decisions, &[], "https://example.org");
        assert!(xml.starts_with("<?xml"));
        assert_eq!(xml.matches("<entry>").count(), 1);
        assert!(xml.contains("<id>urn:uuid:00000000-0000-0000-0000-000000000001</id>"));
        assert!(xml.contains("href=\"https://example.org/decisions/001-2014\""));
        assert!(xml.contains("<updated>2014-02-25T00:00:00Z</updated>"));
    }

    fn pcplan_demo_free_decisions() -> Vec<Decision> {
        use pcplan_domain::decision::{DecisionContent, Signature};
        let date = |d| NaiveDate::from_ymd_opt(2014, 2, d).expect("date");
        let signed = Decision {
            id: pcplan_domain::DecisionId::from_u128(1),
            body_id: BodyId::from_u128(2),
            number: DecisionNumber { year: 2014, seq: 1 },
            status: DecisionStatus::Signed,
            drafted_on: date(20),
            content: DecisionContent { title: String::from("A & B"), ..Default::default() },
            signature: Some(Signature { signed_by: String::from("X"), signed_on: date(25) }),
            withdrawal: None,
            corrections: Vec::new(),
            content_hash: None,
        };
        let draft = Decision {
            id: pcplan_domain::DecisionId::from_u128(3),
            number: DecisionNumber { year: 2014, seq: 2 },
            status: DecisionStatus::Draft,
            signature: None,
            ..signed.clone()
        };
        vec![signed, draft]
    }
}
