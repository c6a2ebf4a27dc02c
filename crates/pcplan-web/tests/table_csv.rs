//! Every table as a CSV download (`?csv=<table id>`), through the whole application:
//! the public decisions register, every table of the public plan page, the staff
//! performance dashboard and the audit log each download as CSV whose rows are the
//! table's rows as the page shows them (read here from the page with an XML reader, not
//! with the application's own table reader); a staff table is refused to the public
//! exactly as its page is; a title that looks like a formula comes out guarded; an id
//! not on the page is a 404; and every table in every template has an id and a
//! download link after it, so a new table without one fails here.

mod common;

use std::path::{Path, PathBuf};

use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use pcplan_demo::decisions::decisions;
use pcplan_domain::DecisionId;
use pcplan_domain::decision::Signature;
use pcplan_import::export::unguard;
use pcplan_store::{Actor, Role};
use quick_xml::XmlVersion;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

/// The rows of a downloaded CSV, each cell as it was before the formula guard.
fn csv_rows(response: &TestResponse) -> Vec<Vec<String>> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(response.header("content-disposition").is_some_and(|d| d.starts_with("attachment; filename=\"")));
    let text = response.body.strip_prefix('\u{feff}').expect("a download starts with a byte order mark");
    let mut reader = csv::ReaderBuilder::new().has_headers(false).from_reader(text.as_bytes());
    reader.records().map(|r| r.expect("a CSV row").iter().map(|c| unguard(c).to_string()).collect()).collect()
}

/// Cells compared as a reader sees them: line breaks and runs of white space as one space.
fn squeezed(rows: Vec<Vec<String>>) -> Vec<Vec<String>> {
    rows.into_iter().map(|r| r.into_iter().map(|c| common::squeeze(&c)).collect()).collect()
}

/// The value of an attribute of a start tag, references resolved.
fn attribute(start: &BytesStart<'_>, name: &str) -> Option<String> {
    start
        .attributes()
        .filter_map(Result::ok)
        .find(|a| a.key.as_ref() == name)
        .map(|a| a.normalized_value(XmlVersion::Implicit1_0).expect("an attribute's value").into_owned())
}

/// The rows of table `id` as the page shows them, read with quick-xml from the table's
/// own markup: header rows, body rows, footer rows; a cell's `data-csv` in place of its
/// text; a header spanning columns repeated, another cell padded; rows padded to the
/// widest; columns empty in every row left out.
fn html_rows(page: &str, id: &str) -> Vec<Vec<String>> {
    let marker = format!("id=\"{id}\"");
    let tag = page.match_indices("<table").map(|(at, _)| at).find(|at| {
        let end = page[*at..].find('>').expect("a tag ends") + at;
        page[*at..end].contains(&marker)
    });
    let start = tag.unwrap_or_else(|| panic!("no table {id} on the page"));
    let end = page[start..].find("</table>").expect("the table ends") + start + "</table>".len();
    let mut reader = Reader::from_str(&page[start..end]);
    reader.config_mut().check_end_names = false;
    // (section, cells with their span)
    let mut rows: Vec<(u8, Vec<(String, usize)>)> = Vec::new();
    let mut section = 1;
    let mut cell: Option<(String, Option<String>, usize)> = None;
    loop {
        match reader.read_event().expect("the table is well-formed") {
            Event::Start(start) | Event::Empty(start) => match start.name().as_ref() {
                "thead" => section = 0,
                "tbody" => section = 1,
                "tfoot" => section = 2,
                "tr" => rows.push((section, Vec::new())),
                "th" | "td" => {
                    let span = attribute(&start, "colspan").map_or(1, |s| s.parse().expect("a span"));
                    cell = Some((String::new(), attribute(&start, "data-csv"), span));
                }
                "br" => {
                    if let Some((text, _, _)) = cell.as_mut() {
                        text.push(' ');
                    }
                }
                _ => {}
            },
            Event::End(end) if matches!(end.name().as_ref(), "th" | "td") => {
                let (text, fixed, span) = cell.take().expect("a cell was open");
                rows.last_mut().expect("a row").1.push((fixed.unwrap_or(text), span));
            }
            Event::Text(text) => {
                if let Some((cell, _, _)) = cell.as_mut() {
                    cell.push_str(&text.xml_content(XmlVersion::Implicit1_0));
                }
            }
            Event::GeneralRef(reference) => {
                if let Some((cell, _, _)) = cell.as_mut() {
                    if reference.is_char_ref() {
                        cell.extend(reference.resolve_char_ref().expect("a character reference"));
                    } else {
                        let name = reference.xml_content(XmlVersion::Implicit1_0);
                        cell.push_str(resolve_predefined_entity(&name).unwrap_or_else(|| panic!("&{name};")));
                    }
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut out: Vec<Vec<String>> = Vec::new();
    for wanted in 0..3 {
        for (_, cells) in rows.iter().filter(|(s, _)| *s == wanted) {
            let mut line = Vec::new();
            for (value, span) in cells {
                line.push(value.clone());
                for _ in 1..*span {
                    line.push(if wanted == 0 { value.clone() } else { String::new() });
                }
            }
            out.push(line);
        }
    }
    let width = out.iter().map(Vec::len).max().unwrap_or(0);
    out.iter_mut().for_each(|l| l.resize(width, String::new()));
    let out = squeezed(out);
    let keep: Vec<bool> = (0..width).map(|c| out.iter().any(|l| !l[c].is_empty())).collect();
    out.into_iter().map(|l| l.into_iter().zip(&keep).filter(|(_, k)| **k).map(|(c, _)| c).collect()).collect()
}

/// The ids of every table on a page.
fn table_ids(page: &str) -> Vec<String> {
    let mut ids = Vec::new();
    for (at, _) in page.match_indices("<table") {
        let tag = &page[at..at + page[at..].find('>').expect("a tag ends")];
        let id = tag.split("id=\"").nth(1).and_then(|rest| rest.split('"').next()).expect("every table has an id");
        ids.push(id.to_string());
    }
    ids
}

/// The href of the download link for table `id` on a page, its `&` unescaped.
fn download_href(page: &str, id: &str) -> String {
    let wanted = format!("csv={id}\"");
    let at = page.find(&wanted).unwrap_or_else(|| panic!("no download link for {id}"));
    let start = page[..at].rfind("href=\"").expect("the link's href") + "href=\"".len();
    page[start..at + wanted.len() - 1].replace("&#38;", "&").replace("&amp;", "&")
}

/// Downloads table `id` of `page_path` through the page's own link and checks it holds
/// the rows the page shows.
async fn download_matches_page(app: &TestApp, page_path: &str, id: &str, cookie: Option<&str>) -> Vec<Vec<String>> {
    let page = app.get(page_path, cookie).await;
    assert_eq!(page.status, StatusCode::OK, "{page_path}: {}", page.body);
    let href = download_href(&page.body, id);
    assert!(href.starts_with('?'), "the link is relative to the page: {href}");
    let path = page_path.split('?').next().expect("a path");
    let csv = app.get(&format!("{path}{href}"), cookie).await;
    let rows = squeezed(csv_rows(&csv));
    assert_eq!(rows, html_rows(&page.body, id), "{page_path} table {id}");
    assert!(rows.len() > 1, "{page_path} table {id} has rows under its header: {rows:?}");
    rows
}

async fn demo_with_decisions() -> TestApp {
    let app = TestApp::with_demo().await;
    for decision in decisions() {
        app.store.import_decision(&Actor::system("test"), &decision).await.expect("import decision");
    }
    app
}

#[tokio::test]
async fn the_public_decisions_register_downloads_as_the_rows_it_shows() {
    let app = demo_with_decisions().await;
    let rows = download_matches_page(&app, "/decisions", "decisions-table", None).await;
    assert_eq!(rows[0], ["Number", "Title", "Signed"]);
    assert!(rows.iter().any(|r| r[0] == "018/2013"), "{rows:?}");
    let csv = app.get("/decisions?csv=decisions-table", None).await;
    assert_eq!(csv.header("content-disposition"), Some("attachment; filename=\"decisions-decisions-table.csv\""));
    assert!(csv.body.contains("\r\n"), "rows end with CRLF");

    // A search is the page's own filter, and the download keeps it.
    let searched = download_matches_page(&app, "/decisions?q=variation", "decisions-table", None).await;
    assert!(searched.len() < rows.len() && searched.len() > 1, "{searched:?}");
}

#[tokio::test]
async fn every_table_of_the_public_plan_page_downloads_as_the_rows_it_shows() {
    let app = TestApp::with_demo().await;
    let page = app.get("/plan", None).await;
    let ids = table_ids(&page.body);
    assert!(ids.contains(&String::from("resources-table")), "{ids:?}");
    assert!(ids.iter().any(|id| id.starts_with("milestones-")), "{ids:?}");
    let mut unique = ids.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), ids.len(), "ids are unique on the page: {ids:?}");
    for id in &ids {
        download_matches_page(&app, "/plan", id, None).await;
    }
    let resources = download_matches_page(&app, "/plan", "resources-table", None).await;
    assert_eq!(resources[0], ["Line", "Financial year", "Provided to the Chief Constable", "Amount"]);
    assert!(resources.last().expect("a total").first().is_some_and(|c| c.starts_with("Total for ")), "{resources:?}");
}

#[tokio::test]
async fn a_staff_performance_table_downloads_with_the_pages_query_kept() {
    let app = TestApp::with_demo().await;
    let viewer = app.signed_in(Role::Viewer).await;
    let path = format!("/staff/performance?body={}", pcplan_demo::ids::BODY);
    let page = app.get(&path, Some(&viewer)).await;
    assert_eq!(
        download_href(&page.body, "measures-table"),
        format!("?body={}&csv=measures-table", pcplan_demo::ids::BODY)
    );
    let rows = download_matches_page(&app, &path, "measures-table", Some(&viewer)).await;
    assert_eq!(rows[0], ["Measure", "Latest", "Same period last year", "The series", "Grade"]);
    let csv = app.get(&format!("{path}&csv=measures-table"), Some(&viewer)).await;
    assert_eq!(csv.header("cache-control"), Some("no-store"), "a staff table is not kept in caches");
    assert_eq!(
        csv.header("content-disposition"),
        Some("attachment; filename=\"staff-performance-measures-table.csv\"")
    );
}

#[tokio::test]
async fn the_audit_log_table_downloads_as_the_rows_it_shows() {
    let app = TestApp::with_demo().await;
    let admin = app.signed_in(Role::Admin).await;
    let rows = download_matches_page(&app, "/staff/audit", "audit-table", Some(&admin)).await;
    assert!(rows.len() > 2, "the demo's import and the sign-ins are audited: {rows:?}");
}

#[tokio::test]
async fn a_staff_tables_download_is_refused_exactly_as_its_page_is() {
    let app = TestApp::with_demo().await;
    let viewer = app.signed_in(Role::Viewer).await;
    for (path, id, cookie) in [
        ("/staff/performance", "measures-table", None),
        ("/staff/audit", "audit-table", None),
        ("/staff/audit", "audit-table", Some(viewer.as_str())),
    ] {
        let page = app.get(path, cookie).await;
        assert_ne!(page.status, StatusCode::OK, "{path} is refused to {cookie:?}");
        let csv = app.get(&format!("{path}?csv={id}"), cookie).await;
        assert_eq!(csv.status, page.status, "{path} as {cookie:?}");
        assert_eq!(csv.location(), page.location(), "{path} as {cookie:?}");
        assert!(!csv.header("content-type").unwrap_or_default().starts_with("text/csv"), "{path}");
    }
    let anonymous = app.get("/staff/performance?csv=measures-table", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().is_some_and(|l| l.starts_with("/sign-in")), "{:?}", anonymous.location());
    let forbidden = app.get("/staff/audit?csv=audit-table", Some(&viewer)).await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_title_that_looks_like_a_formula_is_guarded_in_the_download() {
    let app = TestApp::with_demo().await;
    let title = "=HYPERLINK(\"http://evil\")";
    let mut content = pcplan_demo::decisions::decision_018_2013().content;
    content.title = title.to_string();
    content.plan = None;
    let actor = Actor::system("test");
    let today = pcplan_web::today();
    let draft = app.store.create_decision(&actor, DecisionId::new(), pcplan_demo::ids::BODY, today, &content).await;
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
    app.store.sign_decision(&actor, draft.expect("draft").id, &signature, today).await.expect("signed");

    let csv = app.get("/decisions?csv=decisions-table", None).await;
    assert_eq!(csv.status, StatusCode::OK, "{}", csv.body);
    assert!(csv.body.contains("\"'=HYPERLINK(\"\"http://evil\"\")\""), "{}", csv.body);
    assert!(!csv.body.contains(",=HYPERLINK") && !csv.body.contains("\"=HYPERLINK"), "{}", csv.body);
    let rows = csv_rows(&csv);
    assert!(rows.iter().any(|r| r[1] == title), "the guard reads back as the title: {rows:?}");
}

#[tokio::test]
async fn a_table_id_that_is_not_on_the_page_is_a_404_page() {
    let app = demo_with_decisions().await;
    let missing = app.get("/decisions?csv=no-such-table", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.header("content-type").is_some_and(|t| t.starts_with("text/html")), "the 404 page");
    assert!(missing.body.contains("Page not found"));
    // A page that is not there stays a 404, and a page without tables has none to give.
    assert_eq!(app.get("/no-such-page?csv=decisions-table", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/sign-in?csv=decisions-table", None).await.status, StatusCode::NOT_FOUND);
    // Without the parameter the page is the page.
    let page = app.get("/decisions", None).await;
    assert!(page.header("content-type").is_some_and(|t| t.starts_with("text/html")));
}

/// Every `.html` file under `dir`.
fn templates(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read the templates folder") {
        let path = entry.expect("an entry").path();
        if path.is_dir() {
            templates(&path, out);
        } else if path.extension().is_some_and(|e| e == "html") {
            out.push(path);
        }
    }
}

#[test]
fn every_table_in_every_template_has_an_id_and_a_csv_link_after_it() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
    let mut files = Vec::new();
    templates(&root, &mut files);
    assert!(files.len() > 50, "the templates were found: {}", files.len());
    let mut problems = Vec::new();
    let mut tables = 0;
    for file in &files {
        let text = std::fs::read_to_string(file).expect("read a template");
        let name = file.strip_prefix(&root).expect("under templates").display().to_string();
        for (at, _) in text.match_indices("<table") {
            tables += 1;
            let line = text[..at].lines().count();
            let tag = &text[at..at + text[at..].find('>').expect("a tag ends")];
            let Some(id) = tag.split(" id=\"").nth(1).and_then(|rest| rest.split('"').next()) else {
                problems.push(format!("{name}:{line}: a <table> without an id"));
                continue;
            };
            // The link names the table: `"literal"` for id="literal", `expr` for id="{{ expr }}".
            let argument = match id.strip_prefix("{{").and_then(|e| e.strip_suffix("}}")) {
                Some(expression) => expression.trim().to_string(),
                None => format!("\"{id}\""),
            };
            let close = text[at..].find("</table>").expect("the table ends") + at + "</table>".len();
            let expected = format!("{{% call csv::link({argument}) %}}{{% endcall %}}");
            if !text[close..].trim_start().starts_with(&expected) {
                problems.push(format!("{name}:{line}: table {id} is not followed by {expected}"));
            }
        }
        // A table written by Rust code (a chart's data table) gets its id and link too.
        for (at, _) in text.match_indices("table|safe") {
            let line = text[..at].lines().count();
            problems.push(format!("{name}:{line}: a table inserted without crate::table_csv::with_id and a link"));
        }
        for (at, _) in text.match_indices("crate::table_csv::with_id(") {
            let line = text[..at].lines().count();
            let rest = &text[at..];
            let id = rest.split(", ").nth(1).and_then(|r| r.split(")|safe").next()).unwrap_or_default();
            let after = &rest[rest.find("|safe }}").map_or(0, |i| i + "|safe }}".len())..];
            let expected = format!("{{% call csv::link({id}) %}}{{% endcall %}}");
            if !after.trim_start().starts_with(&expected) {
                problems.push(format!("{name}:{line}: chart table {id} is not followed by {expected}"));
            }
        }
    }
    assert!(tables > 50, "the tables were found: {tables}");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
