//! Panel reports and the Commissioner's responses over HTTP: recommendations are
//! numbered across the report, a drafted or reviewed answer never reaches a public page
//! or the public API, publishing records the clock's response steps on the process and
//! cannot happen twice or out of order, and the public page sets each recommendation
//! beside its published response.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_demo::report::{PUBLISHED_ON, REPORT_2014, report_2014, response_edits_2014};
use pcplan_domain::process::Step;
use pcplan_domain::report::Edit;
use pcplan_store::{Actor, Role};

/// Words of the demo's answer to R6 that appear nowhere in the Panel's report.
const DRAFT_WORDS: &str = "adds a commitment to tackle knife crime";

/// The demo with its 2014 variation process recorded up to the Panel's report (four
/// steps), and the report answered and reviewed but not published.
async fn reviewed_report() -> TestApp {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let actor = Actor::system("test");
    let report = app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    for edit in response_edits_2014(&report) {
        app.store.edit_report(&actor, REPORT_2014, edit).await.expect("edit");
    }
    app
}

fn path(suffix: &str) -> String {
    format!("/reports/{REPORT_2014}{suffix}")
}

#[tokio::test]
async fn recommendations_are_numbered_across_the_report_in_order() {
    let app = reviewed_report().await;
    let report = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    let numbers: Vec<String> = report.recommendations().iter().map(|(n, _, _)| format!("R{n}")).collect();
    assert_eq!(numbers, ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]);
    // R1 is the first recommendation of the first section that has one.
    let (_, section, first) = &report.recommendations()[0];
    assert_eq!(section.heading, "Crime Solving / Detection rates");
    assert!(first.text.starts_with("The Panel asked if you could include targets"));
    // Four requests for information and one work programme item are tracked.
    let tracked: Vec<_> = report.entries().filter(|(_, e)| e.kind.is_tracked()).collect();
    assert_eq!(tracked.len(), 5);
    assert_eq!(report.open_tracked().len(), 4, "the prosecutions information was provided");
}

#[tokio::test]
async fn moving_a_recommendation_renumbers_the_rest() {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let cookie = app.signed_in(Role::Editor).await;
    let actor = Actor::system("test");
    let report = app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    let (_, _, r2) = report.recommendations()[1];
    let r2_text = r2.text.clone();
    let r3 = report.recommendations()[2].2.id;
    // R3 moves up, above R2, within the Harm section.
    let response =
        app.post_form(&format!("/staff/reports/{REPORT_2014}/entries/{r3}/move"), "direction=up", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let after = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    assert_eq!(after.number(r3).as_deref(), Some("R2"));
    assert_eq!(after.recommendations()[2].2.text, r2_text);
    let page = app.get(&format!("/staff/reports/{REPORT_2014}"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("R7: recommendation"));
}

#[tokio::test]
async fn a_drafted_answer_never_appears_on_a_public_page_or_the_public_api() {
    let app = reviewed_report().await;
    let report = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    assert!(report.response.reviewed.is_some(), "answered and reviewed, not published");
    for public in [
        path(""),
        String::from("/reports"),
        format!("/api/v1/public/reports/{REPORT_2014}"),
        String::from("/api/v1/public/reports"),
    ] {
        let response = app.get(&public, None).await;
        assert_eq!(response.status, StatusCode::OK, "{public}");
        assert!(!response.body.contains(DRAFT_WORDS), "{public} shows a draft answer");
        assert!(!response.body.contains("Partly accepted"), "{public} shows a draft stance");
    }
    let page = app.get(&path(""), None).await;
    assert!(page.body.contains("The Commissioner's response has not been published yet"), "{}", page.body);
    assert!(page.body.contains("The Panel asked if you could include targets relating to prosecutions"));
    assert_eq!(app.get(&path("/response"), None).await.status, StatusCode::NOT_FOUND);
    let json = app.get(&format!("/api/v1/public/reports/{REPORT_2014}"), None).await.json();
    assert!(json["response_published_on"].is_null());
    assert!(json["sections"][3]["entries"][0]["answer"].is_null());
    // Staff see the draft, marked as a draft.
    let cookie = app.signed_in(Role::Viewer).await;
    let draft = app.get(&format!("/staff/reports/{REPORT_2014}/document"), Some(&cookie)).await;
    assert_eq!(draft.status, StatusCode::OK);
    assert!(draft.body.contains("Draft: not published"));
    assert!(draft.body.contains(DRAFT_WORDS));
}

#[tokio::test]
async fn publishing_records_the_response_steps_and_shows_the_answers_side_by_side() {
    let app = reviewed_report().await;
    let cookie = app.signed_in(Role::Approver).await;
    let response = app
        .post_form(
            &format!("/staff/reports/{REPORT_2014}/publish"),
            "published_on-day=21&published_on-month=2&published_on-year=2014",
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let process = app.store.process(pcplan_demo::ids::VARIATION_2014).await.expect("read").expect("process");
    for step in [Step::ResponseGiven, Step::ResponsePublished] {
        let evidence = process.process.evidence(step).expect("recorded");
        assert_eq!(evidence.on, PUBLISHED_ON);
        assert_eq!(evidence.link.as_deref(), Some(path("").as_str()));
    }
    let page = app.get(&path(""), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("The Commissioner's response was published on 21 February 2014"));
    assert!(page.body.contains(DRAFT_WORDS));
    // The hash recorded at publication, shown to the public.
    let stored = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    let hash = stored.response.content_hash.clone().expect("recorded when published");
    assert_eq!(hash, stored.public_hash());
    assert!(page.body.contains(&format!("<code class=\"pcplan-hash\">{hash}</code>")), "the page shows {hash}");
    // Side by side: R6's words and its answer share one table row.
    let row =
        page.body.split("<tr class=\"govuk-table__row\">").find(|r| r.contains("<strong>R6</strong>")).expect("R6 row");
    assert!(row.contains("knife crime and firearms possession should have been explicitly"), "{row}");
    assert!(row.contains("Accepted") && row.contains(DRAFT_WORDS), "{row}");
    assert!(row.contains("Commitment: Tackle knife crime and firearms possession"), "{row}");
    let document = app.get(&path("/response"), None).await;
    assert_eq!(document.status, StatusCode::OK);
    assert!(!document.body.contains("Draft: not published"));
    assert!(document.body.contains("Dear Jess"));
    let json = app.get(&format!("/api/v1/public/reports/{REPORT_2014}"), None).await.json();
    assert_eq!(json["response_published_on"], "2014-02-21");
}

#[tokio::test]
async fn publishing_twice_is_refused_and_changes_nothing() {
    let app = reviewed_report().await;
    let cookie = app.signed_in(Role::Approver).await;
    let url = format!("/api/v1/reports/{REPORT_2014}/publish");
    let body = serde_json::json!({"published_on": "2014-02-21"});
    assert_eq!(app.send_json(Method::POST, &url, &body, Some(&cookie)).await.status, StatusCode::OK);
    let audit = app.store.audit_log(1000, 0).await.expect("audit").len();
    let again =
        app.send_json(Method::POST, &url, &serde_json::json!({"published_on": "2014-02-24"}), Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::CONFLICT, "{}", again.body);
    assert!(again.json()["error"]["message"].as_str().unwrap_or_default().contains("already published"));
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit, "nothing audited");
    // Nor can the published response or report change.
    let answer = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{REPORT_2014}/answers/7"),
            &serde_json::json!({"stance": "not_accepted", "reasons": "Changed my mind"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(answer.status, StatusCode::CONFLICT, "{}", answer.body);
}

#[tokio::test]
async fn publishing_is_refused_with_the_reason_when_the_step_is_out_of_order() {
    // The process has only three steps: the Panel's report is not recorded yet.
    let app = TestApp::with_demo().await;
    app.with_demo_process(3).await;
    let actor = Actor::system("test");
    let report = app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    for edit in response_edits_2014(&report) {
        app.store.edit_report(&actor, REPORT_2014, edit).await.expect("edit");
    }
    let cookie = app.signed_in(Role::Approver).await;
    let response = app
        .post_form(
            &format!("/staff/reports/{REPORT_2014}/publish"),
            "published_on-day=21&published_on-month=2&published_on-year=2014",
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("cannot be recorded yet"), "{}", response.body);
    let stored = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    assert!(stored.response.published.is_none(), "nothing published");
    let process = app.store.process(pcplan_demo::ids::VARIATION_2014).await.expect("read").expect("process");
    assert!(process.process.evidence(Step::ResponseGiven).is_none(), "no step half-recorded");
}

#[tokio::test]
async fn a_response_cannot_be_reviewed_until_every_recommendation_is_answered() {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let actor = Actor::system("test");
    app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    let cookie = app.signed_in(Role::Approver).await;
    let review = app.send_empty(Method::POST, &format!("/api/v1/reports/{REPORT_2014}/review"), Some(&cookie)).await;
    assert_eq!(review.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", review.body);
    assert!(review.body.contains("R1 has no answer yet"));
    // Publishing before review is refused too.
    let publish = app
        .send_json(
            Method::POST,
            &format!("/api/v1/reports/{REPORT_2014}/publish"),
            &serde_json::json!({"published_on": "2014-02-21"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(publish.status, StatusCode::CONFLICT);
    // Changing an answer after review sends the response back for review.
    let app = reviewed_report().await;
    let report = app.store.report(REPORT_2014).await.expect("read").expect("stored");
    let r1 = report.recommendations()[0].2.clone();
    let answer = r1.answer.clone().expect("answered");
    let after =
        app.store.edit_report(&actor, REPORT_2014, Edit::Answer { entry: r1.id, answer }).await.expect("answer");
    assert!(after.response.reviewed.is_none());
}

#[tokio::test]
async fn an_answer_naming_a_record_outside_the_plan_is_refused_naming_the_field() {
    let app = reviewed_report().await;
    let cookie = app.signed_in(Role::Editor).await;
    let response = app
        .send_json(
            Method::PUT,
            &format!("/api/v1/reports/{REPORT_2014}/answers/7"),
            &serde_json::json!({"stance": "accepted", "reasons": "R", "changes": ["6f1c0000-0000-4000-8000-000000000000"]}),
            Some(&cookie),
        )
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    assert_eq!(response.json()["error"]["problems"][0]["path"], "changes[0]");
}

#[tokio::test]
async fn staff_can_enter_a_report_section_by_section() {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let cookie = app.signed_in(Role::Editor).await;
    let meeting = pcplan_demo::ids::MEETING_2014;
    let created = app
        .post_form(
            "/staff/reports",
            &format!(
                "meeting={meeting}&process=&title=A+report&received_on-day=14&received_on-month=2&received_on-year=2014\
                 &from=Chair&to=Commissioner&dated-day=14&dated-month=2&dated-year=2014&text=Dear+Bob&members=All"
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let location = created.location().unwrap_or_default();
    let base = location.split('?').next().unwrap_or_default().to_string();
    assert!(base.starts_with("/staff/reports/"));
    let added =
        app.post_form(&format!("{base}/sections"), "heading=Harm&text=The+Panel+was+concerned.", Some(&cookie)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    for (kind, text) in
        [("recommendation", "Say+more"), ("information_request", "Share+figures"), ("recommendation", "Set+targets")]
    {
        let entry = app
            .post_form(&format!("{base}/sections/1/entries"), &format!("kind={kind}&text={text}"), Some(&cookie))
            .await;
        assert_eq!(entry.status, StatusCode::SEE_OTHER, "{}", entry.body);
    }
    // A noted commitment cannot have an owner: the field is named.
    let refused = app
        .post_form(
            &format!("{base}/sections/1/entries"),
            "kind=noted_commitment&text=Noted&officer=Someone",
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("requests for information and work programme items have an owner"));
    let page = app.get(&base, Some(&cookie)).await;
    assert!(page.body.contains("R1: recommendation") && page.body.contains("R2: recommendation"), "{}", page.body);
    let tracker = app.get("/staff/tracker", Some(&cookie)).await;
    assert!(tracker.body.contains("Share figures"));
    // A section without a heading is refused, naming it.
    let empty = app.post_form(&format!("{base}/sections"), "heading=", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter the heading"));
}

#[tokio::test]
async fn every_staff_page_of_a_report_renders() {
    let app = reviewed_report().await;
    let cookie = app.signed_in(Role::Editor).await;
    let base = format!("/staff/reports/{REPORT_2014}");
    for page in [
        String::from("/staff/reports"),
        String::from("/staff/reports/new"),
        String::from("/staff/tracker"),
        base.clone(),
        format!("{base}/details"),
        format!("{base}/sections/new"),
        format!("{base}/sections/3"),
        format!("{base}/sections/3/entries/new"),
        format!("{base}/entries/7"),
        format!("{base}/response"),
        format!("{base}/answers/7"),
        format!("{base}/letter"),
        format!("{base}/document"),
        format!("{base}/tracked/9"),
    ] {
        let response = app.get(&page, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::OK, "{page}: {}", response.body);
    }
    let answer = app.get(&format!("{base}/answers/7"), Some(&cookie)).await;
    assert!(answer.body.contains("Measure: Domestic abuse cases referred to the Crown Prosecution Service"));
    let tracker = app.get("/staff/tracker", Some(&cookie)).await;
    assert!(tracker.body.contains("Overdue"));
}
