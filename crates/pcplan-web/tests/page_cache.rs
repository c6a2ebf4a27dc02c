//! The page cache (`page_cache.rs`): anonymous visitors get a public page rendered once
//! and kept; any change to a stored record, made through the web or straight through the
//! store as the command line does, drops it; staff, searches, surveys and non-GET
//! requests are never answered from it.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_store::{Actor, Role};

fn cache(response: &common::TestResponse) -> Option<&str> {
    response.header("x-pcplan-cache")
}

#[tokio::test]
async fn an_anonymous_public_page_is_kept_until_a_record_changes() {
    let app = TestApp::with_demo().await;
    let first = app.get("/decisions", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert_eq!(cache(&first), Some("miss"));
    let second = app.get("/decisions", None).await;
    assert_eq!(cache(&second), Some("hit"));
    assert_eq!(second.body, first.body, "the kept page is the page");
    assert_eq!(second.header("content-type"), first.header("content-type"));
    // The layers outside the cache still apply to a kept page.
    assert!(second.header("content-security-policy").is_some_and(|v| v.contains("script-src 'self'")));
    assert!(!second.body.contains("/decisions/018-2013"), "the demo has no decisions yet");

    // A change made straight through the store, as `pcplan` on the command line makes it.
    for decision in pcplan_demo::decisions::decisions() {
        app.store.import_decision(&Actor::system("test"), &decision).await.expect("import decision");
    }
    let after = app.get("/decisions", None).await;
    assert_eq!(cache(&after), Some("miss"), "the change dropped the kept page");
    assert!(after.body.contains("/decisions/018-2013"), "the new decision is listed");
    assert_eq!(cache(&app.get("/decisions", None).await), Some("hit"));

    // Another address, or the same with another query, is its own page.
    let plan = app.get("/plan", None).await;
    assert_eq!((plan.status, cache(&plan)), (StatusCode::OK, Some("miss")));
    let other = app.get("/decisions?page=2", None).await;
    assert_eq!(cache(&other), Some("miss"));
    assert_eq!(cache(&app.get("/plan", None).await), Some("hit"));
}

#[tokio::test]
async fn staff_searches_surveys_errors_and_writes_are_never_answered_from_it() {
    let app = TestApp::with_demo().await;
    app.get("/plan", None).await;
    let viewer = app.signed_in(Role::Viewer).await;
    let signed_in = app.get("/plan", Some(&viewer)).await;
    assert_eq!(signed_in.status, StatusCode::OK);
    assert_eq!(cache(&signed_in), None, "staff get a page rendered for them");
    assert!(signed_in.body.contains("Sign out"), "with their own header");
    assert_eq!(cache(&app.get("/staff", Some(&viewer)).await), None);
    for path in ["/search?q=knife", "/consultations", "/sign-in", "/api/v1/public/plan"] {
        app.get(path, None).await;
        assert_eq!(cache(&app.get(path, None).await), None, "{path}");
    }
    let missing = app.get("/decisions/999-2099", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert_eq!(cache(&app.get("/decisions/999-2099", None).await), None, "a 404 is not kept");
    let head = app.send_empty(Method::HEAD, "/plan", None).await;
    assert_eq!((head.status, cache(&head)), (StatusCode::OK, None));
}

#[tokio::test]
async fn a_kept_page_keeps_its_headers_and_a_conditional_request_goes_to_the_handler() {
    let app = TestApp::with_demo().await;
    let first = app.get("/plan", None).await;
    let kept = app.get("/plan", None).await;
    assert_eq!(cache(&kept), Some("hit"));
    for header in ["content-type", "cache-control", "content-length", "vary"] {
        assert_eq!(kept.header(header), first.header(header), "{header}");
    }
    // The same page asked for conditionally is the handler's to answer.
    let conditional = app
        .send(
            common::request(Method::GET, "/plan", None)
                .header("if-modified-since", "Tue, 01 Dec 2026 00:00:00 GMT")
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!((conditional.status, cache(&conditional)), (StatusCode::OK, None));
}
