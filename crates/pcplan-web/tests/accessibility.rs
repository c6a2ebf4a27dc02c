//! The accessibility statement (`GET /accessibility`), the footer link to it on every
//! page, and the print style sheet the layout links for paper.
//!
//! These tests read the HTML and CSS the server sends; whether the pages pass axe-core
//! and the keyboard checks in a browser is proven by `tests/a11y/run.sh`, not here.

mod common;

use axum::http::StatusCode;
use axum::http::header::CONTENT_TYPE;
use common::{TestApp, squeeze};
use pcplan_store::Role;
use pcplan_web::accessibility::LAST_RUN;

/// The `<footer>` element of a page.
fn footer(body: &str) -> &str {
    let start = body.find("<footer").expect("the page has a footer");
    let end = body[start..].find("</footer>").map(|i| start + i).expect("the footer is closed");
    &body[start..end]
}

#[tokio::test]
async fn the_accessibility_statement_is_public_and_names_the_body_that_runs_the_site() {
    let app = TestApp::with_demo().await;
    let page = app.get("/accessibility", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let text = squeeze(page.main());
    assert!(text.contains("Accessibility statement"), "{text}");
    assert!(text.contains("The website is run by West Midlands Police and Crime Commissioner."), "{text}");
    for heading in [
        "How accessible this website is",
        "Feedback and contact information",
        "Reporting accessibility problems with this website",
        "Enforcement procedure",
        "Technical information about this website's accessibility",
        "Compliance status",
        "Non-accessible content",
        "Preparation of this accessibility statement",
    ] {
        assert!(text.contains(heading), "the statement has the section {heading:?}: {text}");
    }
    assert!(text.contains("Equality and Human Rights Commission (EHRC)"), "{text}");
    assert!(text.contains("Equality Advisory and Support Service (EASS)"), "{text}");
}

#[tokio::test]
async fn the_statement_reports_how_the_last_run_tested_the_site_and_claims_only_what_it_found() {
    let app = TestApp::with_demo().await;
    let text = squeeze(app.get("/accessibility", None).await.main());
    assert!(text.contains(&format!("checked with axe-core {}", LAST_RUN.axe_core)), "{text}");
    assert!(text.contains(&format!("opened in {}", LAST_RUN.browser)), "{text}");
    assert!(text.contains(&format!("{} pages of {} different kinds", LAST_RUN.pages, LAST_RUN.route_shapes)), "{text}");
    assert!(text.contains(&format!("last tested on {}", LAST_RUN.date)), "{text}");
    let fully = text.contains("This website is fully compliant with the");
    let partially = text.contains("This website is partially compliant with the");
    assert_eq!(
        (fully, partially),
        (LAST_RUN.found_nothing(), !LAST_RUN.found_nothing()),
        "the compliance status follows the last run ({} violations over {} pages): {text}",
        LAST_RUN.violations,
        LAST_RUN.pages
    );
}

#[tokio::test]
async fn a_site_without_a_body_yet_still_has_a_statement() {
    let app = TestApp::new().await;
    let page = app.get("/accessibility", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(squeeze(page.main()).contains("The website is run by the policing body."), "{}", page.main());
}

#[tokio::test]
async fn every_page_links_the_statement_from_its_footer_for_the_public_and_for_staff() {
    let app = TestApp::with_demo().await;
    for path in ["/", "/plan", "/meetings", "/reports", "/decisions", "/consultations", "/sign-in", "/no-such-page"] {
        let page = app.get(path, None).await;
        assert!(
            footer(&page.body)
                .contains(r#"<a class="govuk-footer__link" href="/accessibility">Accessibility statement</a>"#),
            "{path} ({}) links the statement from its footer",
            page.status
        );
    }
    let cookie = app.signed_in(Role::Editor).await;
    let staff = app.get("/staff", Some(&cookie)).await;
    assert_eq!(staff.status, StatusCode::OK);
    assert!(footer(&staff.body).contains(r#"href="/accessibility""#), "the staff pages link it too");
}

#[tokio::test]
async fn the_public_layout_links_the_print_style_sheet_for_print_only() {
    let app = TestApp::with_demo().await;
    let page = app.get("/plan", None).await;
    assert!(page.body.contains(r#"<link rel="stylesheet" href="/assets/print.css" media="print">"#), "{}", page.body);

    let css = app.get("/assets/print.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert_eq!(css.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()), Some("text/css; charset=utf-8"));
    // What it hides and keeps together, by the selectors the layout's parts carry.
    for rule in [
        ".govuk-skip-link",
        ".govuk-service-navigation",
        ".govuk-phase-banner",
        ".govuk-cookie-banner",
        ".govuk-button",
        "[role=\"search\"]",
        "content: \" (\" attr(href) \")\"",
        "tr, img, svg, figure",
        "break-after: avoid",
        "background: #fff !important",
    ] {
        assert!(css.body.contains(rule), "print.css has {rule:?}");
    }
}
