//! The plan as a PDF and a Word file, and the summary of variations as a PDF, read back
//! as their readers would: the PDF's text by `pdftotext` (the plan page's content in the
//! page's order, then the annexes, with the body's name and the version's date in every
//! page's header and "Page n of m" in every footer), the DOCX by its XML (headings in Word's heading
//! styles, a header row that repeats, the title in its properties). The public get published versions only; staff get any.

mod common;

use axum::http::StatusCode;
use common::{TestApp, TestResponse, pdf_text, squeeze, word_document};
use pcplan_demo::ids::PLAN;
use pcplan_domain::{RecordKind, VersionMeta, VersionNumber};
use pcplan_store::Role;
use pcplan_web::plan_document::{Format, href};

async fn versions(app: &TestApp) -> Vec<VersionMeta> {
    app.store.versions(PLAN).await.expect("the demo plan's versions")
}

/// The number of the version in force: the latest public one.
fn in_force(versions: &[VersionMeta]) -> VersionNumber {
    versions.iter().filter(|v| v.kind.is_public()).map(|v| v.number).max().expect("the demo plan is issued")
}

/// The text of a PDF download, page by page (`pdftotext` ends each page with a form feed).
fn pages(response: &TestResponse) -> Option<Vec<String>> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("content-type"), Some("application/pdf"));
    assert!(response.bytes.starts_with(b"%PDF-"), "a PDF file");
    let text = pdf_text(&response.bytes, &[])?;
    Some(text.split('\u{c}').filter(|page| !page.trim().is_empty()).map(str::to_string).collect())
}

#[tokio::test]
async fn the_plan_in_force_is_a_pdf_with_its_contents_annexes_and_numbered_pages() {
    let app = TestApp::with_demo().await;
    let versions = versions(&app).await;
    let current = in_force(&versions);
    let meta = versions.iter().find(|v| v.number == current).expect("its meta");
    let plan = app.store.version(PLAN, current).await.expect("read").expect("the version").plan;

    let page = app.get("/plan", None).await;
    let pdf_href = href("/plan", current.0, Format::Pdf);
    assert!(page.body.contains(&pdf_href), "the plan page links its PDF: {pdf_href}");
    let response = app.get(&pdf_href, None).await;
    assert!(response.header("content-disposition").is_some_and(|d| d.contains(".pdf\"")));
    let Some(pages) = pages(&response) else { return };
    assert!(pages.len() > 3, "the demo plan runs to several pages, not {}", pages.len());

    let total = pages.len();
    let date = meta.effective_on.map(pcplan_web::plan_view::long_date).expect("an issued version has a date");
    for (i, text) in pages.iter().enumerate() {
        let text = squeeze(text);
        assert!(text.contains("West Midlands Police and Crime Commissioner"), "page {}: {text}", i + 1);
        assert!(text.contains(&date), "page {} shows the version's date {date}: {text}", i + 1);
        assert!(text.contains(&format!("Page {} of {total}", i + 1)), "page {}: {text}", i + 1);
    }

    let all = squeeze(&pages.join(" "));
    // The contents list, then the page's sections in order, then the annexes.
    let order = [
        "Contents",
        "Vision",
        "Objectives",
        "How performance is measured",
        "Resources",
        "Annex A: Local policing and crime plans",
    ];
    let mut from = 0;
    for heading in order {
        let at = all[from..].find(heading).unwrap_or_else(|| panic!("{heading:?} after position {from}: {all}"));
        from += at + heading.len();
    }
    // Every objective, priority, commitment and measure of the version is in it (titles
    // in table cells wrap beside their neighbours, so milestones and actions are left out).
    for item in &plan.items {
        let title = item.record.title();
        let kind = item.record.kind();
        let outside_tables =
            matches!(kind, RecordKind::Objective | RecordKind::Priority | RecordKind::Commitment | RecordKind::Measure);
        if outside_tables && !title.is_empty() {
            assert!(all.contains(&squeeze(title)), "{title:?} is in the PDF");
        }
    }
}

#[tokio::test]
async fn the_same_version_gives_the_same_pdf_and_docx_every_time() {
    let app = TestApp::with_demo().await;
    let current = in_force(&versions(&app).await);
    for format in [Format::Pdf, Format::Docx] {
        let path = href("/plan", current.0, format);
        let first = app.get(&path, None).await;
        let second = app.get(&path, None).await;
        assert_eq!(first.status, StatusCode::OK, "{path}");
        assert!(first.bytes == second.bytes, "{path} is reproducible");
    }
}

#[tokio::test]
async fn the_plan_as_a_word_file_has_real_heading_styles() {
    let app = TestApp::with_demo().await;
    let current = in_force(&versions(&app).await);
    let plan = app.store.version(PLAN, current).await.expect("read").expect("the version").plan;
    let response = app.get(&href("/plan", current.0, Format::Docx), None).await;
    let document = word_document(&response, &["Heading1", "Heading2", "Heading3"], &plan.title);
    assert!(document.contains(&plan.title), "the title is in the document");
    assert!(document.contains("How performance is measured"));
    assert!(document.contains("w:tblHeader"), "tables repeat their header row");
}

#[tokio::test]
async fn a_version_that_is_not_public_has_no_public_file_but_staff_can_print_it() {
    let app = TestApp::with_demo().await;
    let versions = versions(&app).await;
    let draft = versions.iter().find(|v| !v.kind.is_public()).expect("the demo has a version that is not public");
    for format in [Format::Pdf, Format::Docx] {
        let public = app.get(&href("/plan", draft.number.0, format), None).await;
        assert_eq!(public.status, StatusCode::NOT_FOUND, "draft {} as {format:?}", draft.number);
    }
    assert_eq!(app.get("/plan/versions/1/plan.txt", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&href("/plan", 99, Format::Pdf), None).await.status, StatusCode::NOT_FOUND);

    let staff_base = format!("/staff/plans/{PLAN}");
    let staff_href = href(&staff_base, draft.number.0, Format::Pdf);
    let anonymous = app.get(&staff_href, None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "the public are sent to sign in");

    let cookie = app.signed_in(Role::Viewer).await;
    let version_page = app.get(&format!("{staff_base}/versions/{}", draft.number), Some(&cookie)).await;
    assert!(version_page.body.contains(&staff_href), "the staff version page links its PDF");
    let response = app.get(&staff_href, Some(&cookie)).await;
    assert_eq!(response.header("cache-control"), Some("private, no-store"));
    let Some(pages) = pages(&response) else { return };
    let all = squeeze(&pages.join(" "));
    assert!(all.contains(&format!("Version {}: {}", draft.number, draft.kind.label())), "{all}");
}

#[tokio::test]
async fn the_summary_of_variations_is_a_pdf_for_the_panel() {
    let app = TestApp::with_demo().await;
    let versions = versions(&app).await;
    let first = versions.iter().map(|v| v.number).min().expect("a version");
    let last = versions.iter().map(|v| v.number).max().expect("a version");
    let cookie = app.signed_in(Role::Viewer).await;
    let path = format!("/staff/plans/{PLAN}/diff.pdf?from={first}&to={last}");
    let page = app.get(&format!("/staff/plans/{PLAN}/diff?from={first}&to={last}"), Some(&cookie)).await;
    assert!(
        page.body.contains(&format!("/staff/plans/{PLAN}/diff.pdf?from={first}")),
        "the summary page links its PDF"
    );
    assert_eq!(app.get(&path, None).await.status, StatusCode::SEE_OTHER);

    let response = app.get(&path, Some(&cookie)).await;
    let Some(pages) = pages(&response) else { return };
    let all = squeeze(&pages.join(" "));
    assert!(all.contains("Summary of variations to the Police and Crime Plan"), "{all}");
    let summary_page = squeeze(page.main());
    // The counts line of the page ("3 added, 1 removed, 2 changed, 0 moved") is the PDF's too.
    let at = summary_page.find(" added, ").expect("the page has a counts line");
    let start = summary_page[..at].rfind([' ', '>']).map_or(0, |i| i + 1);
    let end = at + summary_page[at..].find(" moved").expect("the counts end with moved") + " moved".len();
    let counts = &summary_page[start..end];
    assert!(all.contains(counts), "{counts:?} in {all}");
}
