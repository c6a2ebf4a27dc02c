//! The printable PDFs: a signed notice reads back (with `pdftotext`) in the order of
//! decision 018/2013, a confidential decision's PDF never carries its body, and the
//! response to a Panel report reads as a letter and table, as a PDF and as a Word file
//! with real heading styles, only once published.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::{pdf_text, squeeze, word_document};
use pcplan_domain::decision::Confidentiality;
use pcplan_store::{Actor, Role};

#[tokio::test]
async fn decision_018_2013_prints_in_the_order_of_the_notice() {
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    app.store.import_decision(&actor, &pcplan_demo::decisions::decision_018_2013()).await.expect("decision");
    let page = app.get("/decisions/018-2013", None).await;
    assert!(page.main().contains(r#"href="/decisions/018-2013/notice.pdf""#), "the notice links to its PDF");
    let response = app.get("/decisions/018-2013/notice.pdf", None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    assert_eq!(response.header("content-disposition"), Some("inline; filename=\"decision-018-2013.pdf\""));
    assert!(response.bytes.starts_with(b"%PDF-1.7"));
    let Some(text) = pdf_text_of(&response.bytes) else {
        assert!(String::from_utf8_lossy(&response.bytes).contains("(NON-CONFIDENTIAL NOTICE OF DECISION)"));
        return;
    };
    let text = squeeze(&text);
    let order = [
        "WEST MIDLANDS POLICE AND CRIME COMMISSIONER",
        "NON-CONFIDENTIAL NOTICE OF DECISION",
        "018/2013",
        "Contact Officer: Jacky Courtney",
        "Title: Police and Crime Plan",
        "EXECUTIVE SUMMARY",
        "DECISION",
        "approved for issue on 31 March 2013",
        "Signature: Bob Jones",
        "Date: 28 March 2013",
        "FACTS AND ADVICE",
        "1.",
        "FINANCIAL IMPLICATIONS",
        "LEGAL IMPLICATIONS",
        "EQUALITY IMPLICATIONS",
        "Public Access to Information",
        "Notice of Decision 018/2013",
    ];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after {from} in {text}"));
        from += at + part.len();
    }
    assert_eq!(app.get("/decisions/999-2013/notice.pdf", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_confidential_decision_prints_as_its_stub_for_the_public_and_whole_for_editors() {
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    let mut decision = pcplan_demo::decisions::decision_018_2013();
    decision.content.confidentiality =
        Confidentiality::Confidential { exemption: String::from("Schedule 12A paragraph 3: financial affairs") };
    decision.content.decision = String::from("Buy the secret headquarters at Quarry Lane");
    app.store.import_decision(&actor, &decision).await.expect("decision");
    let public = app.get("/decisions/018-2013/notice.pdf", None).await;
    assert_eq!(public.status, StatusCode::OK);
    let editor = app.signed_in(Role::Editor).await;
    let staff_path = format!("/staff/decisions/{}/notice.pdf", decision.id);
    let whole = app.get(&staff_path, Some(&editor)).await;
    assert_eq!(whole.status, StatusCode::OK);
    assert_eq!(whole.header("cache-control"), Some("private, no-store"));
    let viewer = app.signed_in(Role::Viewer).await;
    let for_viewer = app.get(&staff_path, Some(&viewer)).await;
    assert_eq!(app.get(&staff_path, None).await.status, StatusCode::SEE_OTHER, "staff only");
    let raw = |bytes: &[u8]| String::from_utf8_lossy(bytes).to_string();
    for bytes in [&public.bytes, &for_viewer.bytes] {
        assert!(!raw(bytes).contains("Quarry Lane"), "no confidential body in the file");
        if let Some(text) = pdf_text_of(bytes) {
            let text = squeeze(&text);
            assert!(!text.contains("Quarry Lane"), "{text}");
            assert!(text.contains("CONFIDENTIAL NOTICE OF DECISION") && text.contains("Schedule 12A paragraph 3"));
        }
    }
    if let Some(text) = pdf_text_of(&whole.bytes) {
        assert!(squeeze(&text).contains("Buy the secret headquarters at Quarry Lane"), "editors read the whole");
    }
}

#[tokio::test]
async fn the_response_to_the_panel_prints_as_a_letter_and_table_only_once_published() {
    use pcplan_demo::report::{REPORT_2014, report_2014, response_edits_2014};
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let actor = Actor::system("test");
    let report = app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    for edit in response_edits_2014(&report) {
        app.store.edit_report(&actor, REPORT_2014, edit).await.expect("edit");
    }
    let public_path = format!("/reports/{REPORT_2014}/response.pdf");
    let public_docx = format!("/reports/{REPORT_2014}/response.docx");
    assert_eq!(app.get(&public_path, None).await.status, StatusCode::NOT_FOUND, "drafted answers are not public");
    assert_eq!(app.get(&public_docx, None).await.status, StatusCode::NOT_FOUND, "nor as a Word file");
    let editor = app.signed_in(Role::Approver).await;
    let staff_docx = app.get(&format!("/staff/reports/{REPORT_2014}/document.docx"), Some(&editor)).await;
    let xml = word_document(&staff_docx, &["Heading1", "Heading2"], "Response to the Police and Crime Panel");
    assert!(xml.contains("DRAFT: not yet published"), "{xml}");
    let draft = app.get(&format!("/staff/reports/{REPORT_2014}/document.pdf"), Some(&editor)).await;
    assert_eq!(draft.status, StatusCode::OK);
    if let Some(text) = pdf_text_of(&draft.bytes) {
        // The page header (the body, then the date line) comes first.
        let expected = "West Midlands Police and Crime Commissioner Draft: not yet published DRAFT: not yet published";
        assert!(squeeze(&text).starts_with(expected), "{text}");
    }
    let published = app
        .post_form(
            &format!("/staff/reports/{REPORT_2014}/publish"),
            "published_on-day=21&published_on-month=2&published_on-year=2014",
            Some(&editor),
        )
        .await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let file = app.get(&public_path, None).await;
    assert_eq!(file.status, StatusCode::OK);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    let Some(text) = pdf_text_of(&file.bytes) else { return };
    let text = squeeze(&text);
    assert!(!text.contains("DRAFT"), "{text}");
    let order = ["21 February 2014", "Dear Jess", "Recommendation Response Change made", "R1", "R6", "R7"];
    let mut from = 0;
    for part in order {
        let at = text[from..].find(part).unwrap_or_else(|| panic!("{part:?} after {from} in {text}"));
        from += at + part.len();
    }
    assert!(text.contains("Commitment: Tackle knife crime and firearms possession"), "{text}");

    let report_page = app.get(&format!("/reports/{REPORT_2014}"), None).await;
    assert!(report_page.main().contains(&public_docx), "the report's page links the Word file");
    let docx = app.get(&public_docx, None).await;
    let xml = word_document(&docx, &["Heading1", "Heading2"], "Response to the Police and Crime Panel");
    assert!(!xml.contains("DRAFT"), "published");
    for part in ["21 February 2014", "Dear Jess", "w:tblHeader", "Tackle knife crime and firearms possession"] {
        assert!(xml.contains(part), "{part} in the response's Word file");
    }
}

/// The PDF's text as these tests read it.
fn pdf_text_of(bytes: &[u8]) -> Option<String> {
    pdf_text(bytes, &[])
}
