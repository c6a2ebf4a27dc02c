//! The annual report over HTTP: an editor drafts the demo body's report on 2013/14 from
//! its records, a second draft for the same year is refused, texts are edited while a
//! viewer is refused, the staff PDF reads back (with `pdftotext`) the objectives and its
//! DRAFT marking and the Word file has them under real heading styles, the public pages
//! and files are 404 until the report is published and then show it, and nothing changes once it has gone to the Panel.

mod common;

use axum::http::StatusCode;
use common::{TestApp, encode};
use common::{pdf_text, squeeze, word_document};
use pcplan_domain::{FinancialYear, RecordKind};
use pcplan_store::{Actor, Role};

/// The demo with its decisions: 011/2014, signed on 25 February 2014, falls in 2013/14.
async fn demo() -> TestApp {
    let app = TestApp::with_demo().await;
    for decision in pcplan_demo::decisions::decisions() {
        app.store.import_decision(&Actor::system("test"), &decision).await.expect("import decision");
    }
    app
}

/// The demo plan's objectives' titles.
fn objectives() -> Vec<String> {
    let plan = pcplan_demo::plan_file().plan;
    plan.of_kind(RecordKind::Objective).map(|i| i.record.title().to_string()).collect()
}

/// Drafts the report on 2013/14 as an editor; returns its page's path.
async fn draft(app: &TestApp, editor: &str) -> String {
    let created = app.post_form("/staff/annual-reports", "year=2013%2F14", Some(editor)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().expect("redirect").to_string();
    assert!(location.ends_with("?done=created"), "{location}");
    location.trim_end_matches("?done=created").to_string()
}

#[tokio::test]
async fn an_editor_drafts_edits_and_prints_the_report_and_a_second_draft_is_refused() {
    let app = demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let list = app.get("/staff/annual-reports", Some(&editor)).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.main().contains("West Midlands"), "{}", list.main());
    assert!(list.main().contains("Draft the report"), "editors see the form");

    let path = draft(&app, &editor).await;
    let page = app.get(&format!("{path}?done=created"), Some(&editor)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    assert!(main.contains("Annual report 2013/14"), "{main}");
    assert!(main.contains("Annual report drafted from the year"), "the banner says so");
    for heading in ["Progress on the police and crime objectives", "Decisions", "Meetings"] {
        assert!(main.contains(heading), "{heading}");
    }
    assert!(main.contains("name=\"text_objectives\""), "a text area per section");
    assert!(main.contains("011/2014"), "the decision signed in February 2014 is in the facts");
    assert!(!main.contains("018/2013"), "the one signed in March 2013 is the year before's");
    for title in objectives() {
        assert!(main.contains(&title.replace('\'', "&#39;")), "objective {title} is in the facts");
    }
    let listed = app.get("/staff/annual-reports", Some(&editor)).await;
    assert!(listed.main().contains(&format!("href=\"{path}\"")), "the list links to it");

    let again = app.post_form("/staff/annual-reports", "year=2013-14", Some(&editor)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("already has an annual report on 2013/14"), "{}", again.main());
    let future = app.post_form("/staff/annual-reports", "year=2099%2F00", Some(&editor)).await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.body.contains("2099/00 has not started yet"), "{}", future.main());
    let nonsense = app.post_form("/staff/annual-reports", "year=last+year", Some(&editor)).await;
    assert!(nonsense.body.contains("Financial year must be a financial year, like 2013/14"), "{}", nonsense.main());

    let body = format!("text_decisions={}", encode("Two decisions stand out this year.\r\n\r\nSee the table."));
    let saved = app.post_form(&path, &body, Some(&editor)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let page = app.get(&path, Some(&editor)).await;
    assert!(page.main().contains("Two decisions stand out this year."), "{}", page.main());
    assert!(page.main().contains("Edited"), "the section is marked edited");

    let refreshed = app.post_form(&format!("{path}/refresh"), "", Some(&editor)).await;
    assert_eq!(refreshed.status, StatusCode::SEE_OTHER, "{}", refreshed.body);
    let location = refreshed.location().expect("redirect").to_string();
    let page = app.get(&location, Some(&editor)).await;
    assert!(page.main().contains("Facts refreshed"), "{}", page.main());
    assert!(page.main().contains("Two decisions stand out this year."), "the edit is kept");

    let pdf = app.get(&format!("{path}/report.pdf"), Some(&editor)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    if let Some(text) = pdf_text_of(&pdf.bytes) {
        let text = squeeze(&text);
        // Every page's header names the body and the day the facts are as at.
        assert!(
            text.starts_with(
                "West Midlands Police and Crime Commissioner 31 March 2014 DRAFT: not yet sent to the Police and \
                 Crime Panel"
            ),
            "{text}"
        );
        assert!(text.contains("Annual report 2013/14"), "{text}");
        assert!(text.contains("Two decisions stand out this year. See the table."), "{text}");
        for title in objectives() {
            assert!(text.contains(&title), "objective {title} in the PDF: {text}");
        }
    }

    // The same report as a Word file to edit: the sections in Word's heading styles.
    let page = app.get(&path, Some(&editor)).await;
    assert!(page.main().contains(&format!("{path}/report.docx")), "the page links the Word file");
    let docx = app.get(&format!("{path}/report.docx"), Some(&editor)).await;
    assert_eq!(docx.header("cache-control"), Some("private, no-store"));
    let xml = word_document(&docx, &["Heading1", "Heading2"], "Annual report 2013/14");
    assert!(xml.contains("DRAFT: not yet sent to the Police and Crime Panel"), "{xml}");
    assert!(xml.contains("Two decisions stand out this year."));
    for title in objectives() {
        assert!(xml.contains(&title), "objective {title} in the Word file");
    }
}

#[tokio::test]
async fn viewers_read_but_cannot_draft_or_edit_and_nothing_is_stored() {
    let app = demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let path = draft(&app, &editor).await;
    let viewer_name = "viewer-annual";
    app.user(viewer_name, Role::Viewer).await;
    let viewer = app.sign_in(viewer_name, common::PASSWORD).await.expect("sign in");
    let audit_before = app.store.audit_log(10_000, 0).await.expect("audit").len();

    let page = app.get(&path, Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.main().contains("<textarea"), "no text areas for a viewer");
    assert!(!page.main().contains("Record as sent to the Panel"));
    assert_eq!(app.get(&format!("{path}/report.pdf"), Some(&viewer)).await.status, StatusCode::OK);
    assert!(!app.get("/staff/annual-reports", Some(&viewer)).await.main().contains("Draft the report"));

    for (to, body) in [
        (String::from("/staff/annual-reports"), String::from("year=2014%2F15")),
        (path.clone(), String::from("text_decisions=Changed")),
        (format!("{path}/refresh"), String::new()),
        (format!("{path}/issue"), String::from("issued_on-day=30&issued_on-month=6&issued_on-year=2014&issued_by=X")),
    ] {
        let response = app.post_form(&to, &body, Some(&viewer)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{to}");
        let anonymous = app.post_form(&to, &body, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "{to}");
    }
    assert_eq!(app.store.audit_log(10_000, 0).await.expect("audit").len(), audit_before, "nothing audited");
    let reports = app.store.annual_reports(None).await.expect("list");
    assert_eq!(reports.len(), 1);
    assert!(reports[0].sections.iter().all(|s| !s.edited()), "no text changed");
}

#[tokio::test]
async fn the_public_sees_the_report_only_once_published_and_it_never_changes_after_issue() {
    let app = demo().await;
    let editor = app.signed_in(Role::Approver).await;
    let path = draft(&app, &editor).await;
    let public = "/annual-reports/2013-14";
    assert_eq!(app.get(public, None).await.status, StatusCode::NOT_FOUND, "a draft is not public");
    for file in ["report.pdf", "report.docx"] {
        assert_eq!(app.get(&format!("{public}/{file}"), None).await.status, StatusCode::NOT_FOUND, "{file}");
    }
    assert!(!app.get("/annual-reports", None).await.main().contains("2013/14"));

    let body = format!("text_introduction={}", encode("Our year, in our own words."));
    app.post_form(&path, &body, Some(&editor)).await;

    let early = app
        .post_form(
            &format!("{path}/issue"),
            "issued_on-day=1&issued_on-month=3&issued_on-year=2014&issued_by=CEO",
            Some(&editor),
        )
        .await;
    assert_eq!(early.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(early.body.contains("can be sent to the Panel from 1 April 2014"), "{}", early.main());
    let issued = app
        .post_form(
            &format!("{path}/issue"),
            "issued_on-day=30&issued_on-month=6&issued_on-year=2014&issued_by=Chief+Executive",
            Some(&editor),
        )
        .await;
    assert_eq!(issued.status, StatusCode::SEE_OTHER, "{}", issued.body);
    assert_eq!(app.get(public, None).await.status, StatusCode::NOT_FOUND, "sent to the Panel, not yet published");

    let refused = app.post_form(&path, "text_introduction=Changed+after+issue", Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("was sent to the Panel on 30 June 2014"), "{}", refused.main());
    let page = app.get(&path, Some(&editor)).await;
    assert!(!page.main().contains("<textarea"), "no text areas once sent");
    assert!(page.main().contains("Publish the report"));
    let obligation = pcplan_domain::obligation::obligation_id(
        pcplan_demo::ids::BODY,
        pcplan_domain::obligation::ObligationKind::AnnualReport,
        2013,
    );
    let done = app.store.obligation(obligation).await.expect("read").expect("recorded with the issue");
    assert_eq!(done.completion.map(|c| c.on.to_string()), Some(String::from("2014-06-30")));

    let published = app
        .post_form(
            &format!("{path}/publish"),
            "published_on-day=1&published_on-month=9&published_on-year=2014&published_by=Communications\
             &panel_meeting=&panel_report=",
            Some(&editor),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);

    let page = app.get(public, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    assert!(main.contains("Our year, in our own words."), "{main}");
    assert!(main.contains("Sent to the Police and Crime Panel on 30 June 2014 and published on 1 September 2014"));
    let hash = {
        let pattern = "<code class=\"pcplan-hash\">";
        let start = main.find(pattern).expect("the content hash is shown") + pattern.len();
        main[start..start + 64].to_string()
    };
    let id = path.trim_start_matches("/staff/annual-reports/").parse().expect("the report's id");
    let stored = app.store.annual_report(id).await.expect("read").expect("stored");
    assert_eq!(stored.content_hash.as_deref(), Some(hash.as_str()), "the page shows the hash recorded");
    assert_eq!(stored.content_intact(), Some(true));
    let verified = app.store.verify_publications().await.expect("verify");
    assert!(verified.altered.is_empty(), "{:?}", verified.altered);
    assert!(main.contains("011/2014"), "the facts are public too");
    let list = app.get("/annual-reports", None).await;
    assert!(list.main().contains("href=\"/annual-reports/2013-14\""), "{}", list.main());
    assert_eq!(app.get("/annual-reports/2013", None).await.status, StatusCode::NOT_FOUND, "one address per year");
    assert_eq!(app.get("/annual-reports/2012-13", None).await.status, StatusCode::NOT_FOUND);
    let body_path = format!("/bodies/{}/annual-reports/2013-14", pcplan_demo::ids::BODY);
    assert_eq!(app.get(&body_path, None).await.status, StatusCode::OK);

    let pdf = app.get(&format!("{public}/report.pdf"), None).await;
    assert_eq!(pdf.status, StatusCode::OK);
    if let Some(text) = pdf_text_of(&pdf.bytes) {
        let text = squeeze(&text);
        assert!(!text.contains("DRAFT"), "{text}");
        assert!(text.contains("Sent to the Panel: 30 June 2014"), "{text}");
        for title in objectives() {
            assert!(text.contains(&title), "objective {title} in the PDF: {text}");
        }
    }
    assert!(main.contains(&format!("{public}/report.docx")), "the public page links the Word file");
    let docx = app.get(&format!("{public}/report.docx"), None).await;
    assert_eq!(docx.header("cache-control"), Some("public, max-age=300"));
    let xml = word_document(&docx, &["Heading1", "Heading2"], "Annual report 2013/14");
    assert!(!xml.contains("DRAFT"), "published, so no draft marking");
    assert!(xml.contains("Our year, in our own words."));
    let body_docx = app.get(&format!("{body_path}/report.docx"), None).await;
    assert!(body_docx.bytes == docx.bytes, "the same file under the body's address");
    let stored = app.store.annual_report_for(pcplan_demo::ids::BODY, FinancialYear(2013)).await.expect("read");
    assert!(stored.is_some_and(|r| r.published.is_some()));
}

/// The PDF's text as these tests read it.
fn pdf_text_of(bytes: &[u8]) -> Option<String> {
    pdf_text(bytes, &["-raw"])
}
