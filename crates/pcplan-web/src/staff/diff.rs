//! The summary of variations between two states of a plan (any two versions, or a version
//! and the working draft): `GET /staff/plans/{plan}/diff?from=N&to=M` with a form of two
//! selects that works without JavaScript, and `GET /staff/plans/{plan}/diff/print`, the
//! same summary as a standalone printable page to paste into a Panel report, and
//! `GET /staff/plans/{plan}/diff.pdf`, the same summary as a PDF file for the papers.
//!
//! The comparison and its order are the domain's (`diff_plans`); this module only lays
//! them out. It does not write the narrative that follows the summary in a variation.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::header::CONTENT_SECURITY_POLICY;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use chrono::NaiveDate;
use pcplan_domain::{ChangeKind, FieldChange, Move, PlanId, VariationSummary, VersionMeta, diff_plans};
use pcplan_pdf::{Block, Document};
use serde::Deserialize;

use super::forms::capitalise;
use super::outline::{Tag, long_date};
use super::{At, Crumb, load_at, load_draft, parse_plan_id, plan_path, version_label};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::print::Format;
use crate::views::{Layout, render};

#[derive(Debug, Default, Deserialize)]
pub struct DiffQuery {
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

/// One choice of the from and to selects.
pub struct Choice {
    pub value: String,
    pub label: String,
    pub from_selected: bool,
    pub to_selected: bool,
}

/// One changed record.
pub struct ChangeRow {
    pub tag: Tag,
    pub title: String,
    pub fields: Vec<FieldChange>,
    /// `From under "A" (position 2) to the top level (position 1)`.
    pub moved: Option<String>,
}

/// The changes to records of one kind.
pub struct KindChanges {
    pub heading: String,
    pub rows: Vec<ChangeRow>,
}

/// The summary as both pages show it.
pub struct SummaryView {
    pub from_label: String,
    pub to_label: String,
    pub empty: bool,
    pub added: usize,
    pub removed: usize,
    pub changed: usize,
    pub moved: usize,
    pub plan_fields: Vec<FieldChange>,
    pub kinds: Vec<KindChanges>,
}

fn change_tag(kind: ChangeKind) -> Tag {
    let class = match kind {
        ChangeKind::Added => "govuk-tag--green",
        ChangeKind::Removed => "govuk-tag--red",
        ChangeKind::Changed => "govuk-tag--blue",
        ChangeKind::Moved => "govuk-tag--purple",
    };
    Tag { text: kind.label().to_string(), class }
}

fn describe_move(m: &Move) -> String {
    let place = |parent: &Option<String>| match parent {
        Some(title) => format!("under \u{201c}{title}\u{201d}"),
        None => String::from("the top level"),
    };
    format!(
        "From {} (position {}) to {} (position {})",
        place(&m.from_parent),
        m.from_position,
        place(&m.to_parent),
        m.to_position
    )
}

fn summary_view(summary: &VariationSummary, from_label: String, to_label: String) -> SummaryView {
    let (added, removed, changed, moved) = summary.counts();
    let kinds = summary
        .kinds()
        .into_iter()
        .map(|kind| KindChanges {
            heading: capitalise(kind.plural()),
            rows: summary
                .of_kind(kind)
                .map(|c| ChangeRow {
                    tag: change_tag(c.change),
                    title: c.title.clone(),
                    fields: c.fields.clone(),
                    moved: c.moved.as_ref().map(describe_move),
                })
                .collect(),
        })
        .collect();
    SummaryView {
        from_label,
        to_label,
        empty: summary.is_empty(),
        added,
        removed,
        changed,
        moved,
        plan_fields: summary.plan_fields.clone(),
        kinds,
    }
}

/// The two states to compare: as asked, or by default the latest version against the
/// working draft (what a variation in progress changes).
fn chosen(query: &DiffQuery, versions: &[VersionMeta]) -> Result<(At, At), PageError> {
    let parse = |raw: &Option<String>| -> Result<Option<At>, PageError> {
        match raw.as_deref().map(str::trim) {
            None | Some("") => Ok(None),
            Some(raw) => At::parse(raw).map(Some).ok_or(PageError::NotFound),
        }
    };
    let latest = versions.iter().map(|v| v.number).max().map(At::Version).unwrap_or(At::Draft);
    let from = parse(&query.from)?.unwrap_or(latest);
    let to = parse(&query.to)?.unwrap_or(At::Draft);
    Ok((from, to))
}

async fn compare(
    state: &AppState,
    id: PlanId,
    query: &DiffQuery,
) -> Result<(At, At, Vec<VersionMeta>, SummaryView), PageError> {
    let versions = state.store.versions(id).await?;
    let (from, to) = chosen(query, &versions)?;
    let (old, from_label) = load_at(state, id, from, &versions).await?;
    let (new, to_label) = load_at(state, id, to, &versions).await?;
    let summary = diff_plans(&old, &new);
    Ok((from, to, versions, summary_view(&summary, from_label, to_label)))
}

#[derive(Template)]
#[template(path = "staff/diff.html")]
pub struct DiffPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub caption: String,
    pub action: String,
    pub choices: Vec<Choice>,
    pub summary: SummaryView,
    pub print_href: String,
    pub pdf_href: String,
}

pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(plan): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let draft = load_draft(&state, id).await?;
    let (from, to, versions, summary) = compare(&state, id, &query).await?;
    let mut choices: Vec<Choice> = versions
        .iter()
        .map(|v| {
            let at = At::Version(v.number);
            Choice { value: at.value(), label: version_label(v), from_selected: from == at, to_selected: to == at }
        })
        .collect();
    choices.push(Choice {
        value: At::Draft.value(),
        label: String::from("Working draft"),
        from_selected: from == At::Draft,
        to_selected: to == At::Draft,
    });
    let base = plan_path(id);
    render(&DiffPage {
        layout: user.layout(format!("Summary of variations: {}", draft.title)),
        crumbs: Crumb::plan_trail(&draft),
        caption: draft.title.clone(),
        action: format!("{base}/diff"),
        print_href: format!("{base}/diff/print?from={}&to={}", from.value(), to.value()),
        pdf_href: format!("{base}/diff.pdf?from={}&to={}", from.value(), to.value()),
        choices,
        summary,
    })
}

#[derive(Template)]
#[template(path = "staff/diff_print.html")]
pub struct PrintPage {
    /// [`PRINT_CSS`], written into the page's `<style>` element unescaped.
    pub css: &'static str,
    pub plan_title: String,
    pub summary: SummaryView,
    pub printed_on: String,
}

/// The print page's own style sheet, inline so that a saved copy of the page keeps its
/// layout. The page's Content-Security-Policy allows exactly this sheet by its hash.
pub const PRINT_CSS: &str = include_str!("../../templates/staff/diff_print.css");

pub async fn print(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(plan): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let draft = load_draft(&state, id).await?;
    let (_, _, _, summary) = compare(&state, id, &query).await?;
    let page =
        PrintPage { css: PRINT_CSS, plan_title: draft.title.clone(), summary, printed_on: long_date(crate::today()) };
    let html = page.render()?;
    let mut response = (StatusCode::OK, Html(html)).into_response();
    // No script, no outside resource, and only this page's own style sheet.
    let hash = {
        use sha2::Digest;
        base64_encode(&sha2::Sha256::digest(PRINT_CSS.as_bytes()))
    };
    if let Ok(csp) = HeaderValue::from_str(&format!(
        "default-src 'none'; style-src 'sha256-{hash}'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )) {
        response.headers_mut().insert(CONTENT_SECURITY_POLICY, csp);
    }
    Ok(response)
}

/// The summary of variations as a document: the two states compared, the counts, the
/// plan's own fields, then one table per kind of record (change, record, what changed),
/// as the printable page has them.
pub fn variations_document(plan_title: &str, body_name: &str, summary: &SummaryView, dated: NaiveDate) -> Document {
    let mut blocks = vec![
        Block::heading(1, "Summary of variations to the Police and Crime Plan"),
        Block::Strong(plan_title.to_string()),
        Block::field("From: ", summary.from_label.clone()),
        Block::field("To: ", summary.to_label.clone()),
    ];
    if summary.empty {
        blocks.push(Block::paragraph("There are no variations: the two have the same content."));
    } else {
        blocks.push(Block::paragraph(format!(
            "{} added, {} removed, {} changed, {} moved.",
            summary.added, summary.removed, summary.changed, summary.moved
        )));
    }
    let change = |f: &FieldChange| {
        let old = if f.old.is_empty() { "(nothing)" } else { f.old.as_str() };
        let new = if f.new.is_empty() { "(removed)" } else { f.new.as_str() };
        format!("{}: {old} \u{2192} {new}", f.field)
    };
    if !summary.plan_fields.is_empty() {
        blocks.push(Block::heading(2, "The plan"));
        let rows: Vec<Vec<String>> = summary.plan_fields.iter().map(|f| vec![f.field.clone(), change(f)]).collect();
        blocks.push(Block::Table { columns: pcplan_pdf::fit_columns(&["Field", "What changed"], &rows), rows });
    }
    for kind in &summary.kinds {
        blocks.push(Block::heading(2, kind.heading.clone()));
        let rows: Vec<Vec<String>> = kind
            .rows
            .iter()
            .map(|row| {
                let mut what: Vec<String> = row.fields.iter().map(change).collect();
                what.extend(row.moved.clone());
                vec![row.tag.text.clone(), row.title.clone(), what.join("\n")]
            })
            .collect();
        let headings = ["Change", "Record", "What changed"];
        blocks.push(Block::Table { columns: pcplan_pdf::fit_columns(&headings, &rows), rows });
    }
    blocks.push(Block::paragraph(format!("Prepared on {}.", long_date(dated))));
    Document {
        title: format!("Summary of variations: {plan_title}"),
        author: body_name.to_string(),
        subject: format!("Summary of variations from {} to {}", summary.from_label, summary.to_label),
        footer: String::from("Summary of variations"),
        body: body_name.to_string(),
        date: long_date(dated),
        blocks,
        ..Document::default()
    }
}

/// `GET /staff/plans/{plan}/diff.pdf?from=&to=`: the summary as a PDF, for the Panel's papers.
pub async fn pdf(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(plan): Path<String>,
    Query(query): Query<DiffQuery>,
) -> Result<Response, PageError> {
    let id = parse_plan_id(&plan)?;
    let draft = load_draft(&state, id).await?;
    let (from, to, _, summary) = compare(&state, id, &query).await?;
    let body_name = state.store.body(draft.body_id).await?.map(|b| b.name).unwrap_or_default();
    let document = variations_document(&draft.title, &body_name, &summary, crate::today());
    let bytes = crate::print::write(document, Format::Pdf).await?;
    let name = format!("summary-of-variations-{}-to-{}.pdf", from.value(), to.value());
    Ok(crate::print::file_response(bytes, Format::Pdf, &name, true))
}

/// Standard base64 with padding, for the CSP hash source (no base64 crate is needed for
/// 32 bytes).
pub(crate) fn base64_encode(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [chunk[0], chunk.get(1).copied().unwrap_or(0), chunk.get(2).copied().unwrap_or(0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for (i, shift) in [18, 12, 6, 0].into_iter().enumerate() {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[((n >> shift) & 63) as usize]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_matches_the_rfc_4648_test_vectors() {
        let cases =
            [("", ""), ("f", "Zg=="), ("fo", "Zm8="), ("foo", "Zm9v"), ("foob", "Zm9vYg=="), ("foobar", "Zm9vYmFy")];
        for (input, expected) in cases {
            assert_eq!(base64_encode(input.as_bytes()), expected, "{input}");
        }
    }

    #[test]
    fn the_print_page_carries_exactly_the_style_sheet_its_policy_hashes() {
        let empty = VariationSummary { plan_fields: Vec::new(), changes: Vec::new() };
        let page = PrintPage {
            css: PRINT_CSS,
            plan_title: String::from("Plan <b>"),
            summary: summary_view(&empty, String::from("Version 1"), String::from("Working draft")),
            printed_on: String::from("1 April 2014"),
        };
        let html = page.render().expect("the print page renders");
        let style = html
            .split_once("<style>")
            .and_then(|(_, rest)| rest.split_once("</style>"))
            .map(|(style, _)| style)
            .expect("one style element");
        // The browser hashes the element's text as written: any escaping would break it.
        assert_eq!(style, PRINT_CSS);
        assert!(html.contains("Plan &#60;b&#62;") || html.contains("Plan &lt;b&gt;"), "user text is escaped");
        assert!(!html.contains("<script"), "the print page runs no script");
    }

    #[test]
    fn the_default_comparison_is_the_latest_version_against_the_draft() {
        let none = DiffQuery::default();
        assert_eq!(chosen(&none, &[]).ok(), Some((At::Draft, At::Draft)));
        let asked = DiffQuery { from: Some("2".into()), to: Some("4".into()) };
        assert_eq!(
            chosen(&asked, &[]).ok(),
            Some((At::Version(pcplan_domain::VersionNumber(2)), At::Version(pcplan_domain::VersionNumber(4))))
        );
        let bad = DiffQuery { from: Some("two".into()), to: None };
        assert!(chosen(&bad, &[]).is_err());
    }
}
