//! Hostile text goes in everywhere text goes in and comes out inert everywhere it comes
//! out: HTML and script, typst and Markdown syntax, an SQL fragment, bidirectional
//! overrides, combining marks, zero-width characters and emoji, and very long strings,
//! typed into a plan objective and a Notice of Decision through the JSON API, then read
//! back from the pages (escaped, never markup), the PDFs (typst prints the characters and
//! runs none of them), the Word file (escaped XML that parses), the CSV download (the
//! same string back, quoted) and the Atom feed (XML that parses, the title intact).

mod common;

use axum::http::{Method, StatusCode};
use common::{TestApp, pdf_text, squeeze, word_document};
use pcplan_store::Role;
use serde_json::json;

/// Everything at once. Each piece would do something if it were not treated as text:
/// run script, break out of an attribute, set typst page fill or stop the render with a
/// panic, call a typst function, make Markdown bold or a link, end an SQL statement,
/// reverse the line's direction.
const HOSTILE: &str = "<script>alert('x')</script> <img src=x onerror=alert(1)> \"q\" & 'a' \
     #set page(fill: red) #panic(\"typst ran\") $x^2$ *bold* _it_ [a](javascript:alert(1)) \
     '); DROP TABLE plans;-- \u{202E}evil\u{202C} e\u{0301} \u{1F46E} zero\u{200B}width";

/// The parts a reader must see, whatever the document does with spacing.
const VISIBLE: &[&str] =
    &["<script>alert('x')</script>", "#set page(fill: red)", "#panic(\"typst ran\")", "DROP TABLE plans;--"];

fn long_text() -> String {
    // About 30,000 characters in one field.
    std::iter::repeat_n(HOSTILE, 120).collect::<Vec<_>>().join("\n\n")
}

/// Character references undone (`&lt;`, `&#x27;`, `&#39;`): the text a reader sees.
fn unescape(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        let tail = &rest[at..];
        let decoded = tail.find(';').filter(|e| *e <= 10).and_then(|e| {
            let name = &tail[1..e];
            let c = match name {
                "lt" => Some('<'),
                "gt" => Some('>'),
                "amp" => Some('&'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                _ if name.starts_with("#x") => u32::from_str_radix(&name[2..], 16).ok().and_then(char::from_u32),
                _ if name.starts_with('#') => name[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &tail[e + 1..];
            }
            None => {
                out.push('&');
                rest = &tail[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The HTML must carry the text escaped, never as markup, and show it whole.
fn assert_inert_html(body: &str, what: &str) {
    assert!(!body.contains("<script>alert"), "{what}: a script tag came through");
    assert!(!body.contains("<img src=x"), "{what}: an img tag came through");
    let text = unescape(body);
    for part in VISIBLE {
        assert!(text.contains(part), "{what}: {part:?} is shown as text");
    }
}

/// The XML parses from start to end.
fn assert_well_formed(xml: &str, what: &str) {
    let mut reader = quick_xml::Reader::from_str(xml);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(error) => panic!("{what} is not well-formed XML: {error}"),
        }
    }
}

#[tokio::test]
async fn hostile_text_in_a_plan_objective_is_only_text_in_every_output() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Approver).await;
    let plan = pcplan_demo::plan_file().plan.id;
    let item =
        json!({ "record": { "kind": "objective", "reference": "99", "title": HOSTILE, "description": long_text() } });
    let added = app.send_json(Method::POST, &format!("/api/v1/plans/{plan}/items"), &item, Some(&cookie)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    let stored = added.json();
    assert_eq!(stored["record"]["title"], HOSTILE, "stored exactly as typed: {stored}");

    let page = app.get(&format!("/staff/plans/{plan}"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert_inert_html(&page.body, "the staff plan page");

    let version = json!({ "kind": "draft", "label": "With hostile text" });
    let made = app.send_json(Method::POST, &format!("/api/v1/plans/{plan}/versions"), &version, Some(&cookie)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let number = made.json()["number"].as_u64().expect("the version's number");
    let base = format!("/staff/plans/{plan}/versions/{number}");

    let html = app.get(&base, Some(&cookie)).await;
    assert_eq!(html.status, StatusCode::OK);
    assert_inert_html(&html.body, "the version page");

    let pdf = app.get(&format!("{base}/plan.pdf"), Some(&cookie)).await;
    assert_eq!(pdf.status, StatusCode::OK, "typst rendered the plan: {}", pdf.body);
    if let Some(text) = pdf_text(&pdf.bytes, &["-raw"]) {
        let text = squeeze(&text);
        for part in VISIBLE {
            assert!(text.contains(part), "the PDF prints {part:?} as text");
        }
    }

    let docx = app.get(&format!("{base}/plan.docx"), Some(&cookie)).await;
    let title = pcplan_demo::plan_file().versions[3].plan.title.clone();
    let document = word_document(&docx, &["Heading1"], &title);
    assert_well_formed(&common::zip_part(&docx.bytes, "word/document.xml"), "word/document.xml");
    for part in VISIBLE {
        assert!(document.contains(part), "the Word file holds {part:?} as text");
    }
}

#[tokio::test]
async fn hostile_text_in_a_decision_is_only_text_in_the_notice_its_pdf_the_register_and_the_feed() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Approver).await;
    let draft = json!({
        "body_id": pcplan_demo::ids::BODY,
        "drafted_on": "2020-01-06",
        "content": {
            "title": HOSTILE,
            "contact": { "name": "N" },
            "executive_summary": long_text(),
            "decision": HOSTILE,
            "decision_maker": { "office": "O", "holder": "H" }
        }
    });
    let made = app.send_json(Method::POST, "/api/v1/decisions", &draft, Some(&cookie)).await;
    assert_eq!(made.status, StatusCode::CREATED, "{}", made.body);
    let id = made.json()["id"].as_str().expect("an id").to_string();
    let signature = json!({ "signed_by": "Bob Jones", "signed_on": "2020-01-07" });
    let signed = app.send_json(Method::POST, &format!("/api/v1/decisions/{id}/sign"), &signature, Some(&cookie)).await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    let reference = signed.json()["reference"].as_str().expect("a reference").replace('/', "-");

    let notice = app.get(&format!("/decisions/{reference}"), None).await;
    assert_eq!(notice.status, StatusCode::OK);
    assert_inert_html(&notice.body, "the public notice");

    let pdf = app.get(&format!("/decisions/{reference}/notice.pdf"), None).await;
    assert_eq!(pdf.status, StatusCode::OK, "typst rendered the notice");
    if let Some(text) = pdf_text(&pdf.bytes, &["-raw"]) {
        let text = squeeze(&text);
        for part in VISIBLE {
            assert!(text.contains(part), "the notice PDF prints {part:?} as text");
        }
    }

    let register = app.get("/decisions?csv=decisions-table", None).await;
    assert_eq!(register.status, StatusCode::OK);
    let mut reader = csv::Reader::from_reader(register.bytes.as_slice());
    let titles: Vec<String> = reader
        .records()
        .map(|r| r.expect("a CSV row").iter().map(str::to_string).collect::<Vec<_>>().join("\u{1}"))
        .collect();
    assert!(
        titles.iter().any(|row| row.split('\u{1}').any(|cell| cell == HOSTILE)),
        "the CSV gives the title back exactly"
    );

    let feed = app.get("/decisions.atom", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_well_formed(&feed.body, "the decisions feed");
    assert!(!feed.body.contains("<script>alert"), "the feed escapes the title");
    assert!(unescape(&feed.body).contains(HOSTILE), "the feed carries the title whole");

    let search = app.get("/search?q=%3Cscript%3E+DROP+TABLE", None).await;
    assert_eq!(search.status, StatusCode::OK);
    assert!(!search.body.contains("<script>alert"), "search results escape what they quote");
}
