//! The deadlines calendar feed: a subscribable iCalendar file per body.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use pcplan_demo::process::variation_steps_2014;

#[tokio::test]
async fn the_feed_lists_meetings_papers_deadlines_and_open_steps_with_stable_uids() {
    let app = TestApp::with_demo().await;
    let actor = pcplan_store::Actor::system("test");
    let process = app.store.process(app.with_demo_process(0).await).await.expect("read").expect("process");
    // Up to the Panel's report: the response is then due.
    for (step, evidence) in variation_steps_2014().iter().take(4) {
        app.store.record_step(&actor, process.id, *step, evidence).await.expect("step");
    }
    let path = format!("/bodies/{}/deadlines.ics", pcplan_demo::ids::BODY);
    let first = app.get(&path, None).await;
    assert_eq!(first.status, StatusCode::OK, "public, no sign-in");
    assert_eq!(first.header("content-type"), Some("text/calendar; charset=utf-8"));
    let text = &first.body;
    assert!(text.contains(&format!("UID:meeting-{}@pcplan", pcplan_demo::ids::MEETING_2014)));
    assert!(text.contains("DTSTART;VALUE=DATE:20140203\r\nDTEND;VALUE=DATE:20140204"), "the meeting, all day");
    assert!(text.contains("DTSTART;VALUE=DATE:20140124"), "the papers deadline");
    assert!(text.contains("Papers were late: 2 of 5 clear days"), "{text}");
    assert!(text.contains("SUMMARY:Due: Response published"), "the open step");
    assert!(!text.contains("SUMMARY:Due: Panel report"), "a done step is not listed as due");
    assert!(text.contains("DTSTART;VALUE=DATE:20170331"), "the plan's expiry");

    let uids =
        |body: &str| -> Vec<String> { body.lines().filter(|l| l.starts_with("UID:")).map(String::from).collect() };
    let second = app.get(&path, None).await;
    assert_eq!(uids(text), uids(&second.body), "a refresh keeps every UID");

    let unknown = app.get("/bodies/00000000-0000-0000-0000-000000000009/deadlines.ics", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}
