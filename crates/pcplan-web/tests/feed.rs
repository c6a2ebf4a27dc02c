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
    assert!(text.contains("SUMMARY:Done: Panel report or recommendations"), "a done step stays, marked done");
    assert!(!text.contains("SUMMARY:Due: Panel report"), "a done step is not listed as due");
    assert!(text.contains("DTSTART;VALUE=DATE:20170331"), "the plan's expiry");

    let uids =
        |body: &str| -> Vec<String> { body.lines().filter(|l| l.starts_with("UID:")).map(String::from).collect() };
    let second = app.get(&path, None).await;
    assert_eq!(uids(text), uids(&second.body), "a refresh keeps every UID");

    let unknown = app.get("/bodies/00000000-0000-0000-0000-000000000009/deadlines.ics", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_personal_feed_behind_a_secret_link_lists_meetings_and_the_items_a_person_owns() {
    let app = TestApp::with_demo().await;
    let actor = pcplan_store::Actor::system("test");
    app.with_demo_process(4).await;
    let owner = app.user("scrutiny-officer", pcplan_store::Role::Viewer).await;
    let cookie = app.sign_in("scrutiny-officer", common::PASSWORD).await.expect("signed in");
    let response_key = format!("process:{}:response_published", pcplan_demo::ids::VARIATION_2014);
    app.store.set_owner(&actor, &response_key, Some(owner.id)).await.expect("owner");

    assert_eq!(app.post_form("/account/calendar", "", None).await.status, StatusCode::SEE_OTHER, "sign in first");
    let empty = app.get("/account/calendar", Some(&cookie)).await;
    assert!(empty.main().contains("You have no link yet"));
    let made = app.post_form("/account/calendar", "", Some(&cookie)).await;
    assert_eq!(made.status, StatusCode::OK);
    let main = made.main();
    let start = main.find("/feeds/").expect("the link is shown once");
    let end = start + main[start..].find("</code>").expect("end of link");
    let path = &main[start..end];
    assert!(path.ends_with("/deadlines.ics"), "{path}");
    assert!(!app.get("/account/calendar", Some(&cookie)).await.body.contains(path), "shown only once");

    let feed = app.get(path, None).await;
    assert_eq!(feed.status, StatusCode::OK, "the secret link needs no sign-in");
    assert!(feed.body.contains(&format!("UID:meeting-{}@pcplan", pcplan_demo::ids::MEETING_2014)));
    assert!(feed.body.contains("SUMMARY:Due: Response published"), "the owned item");
    assert!(!feed.body.contains("Response given to the Panel"), "items owned by nobody are not in it");
    assert!(feed.body.contains("X-WR-CALNAME:pcplan: "), "{}", feed.body);

    // A new link revokes the old one; stopping the link revokes it too.
    let second = app.post_form("/account/calendar", "", Some(&cookie)).await;
    assert_eq!(app.get(path, None).await.status, StatusCode::NOT_FOUND, "the old link stopped");
    let main = second.main();
    let start = main.find("/feeds/").expect("new link");
    let end = start + main[start..].find("</code>").expect("end of link");
    let second_path = main[start..end].to_string();
    assert_eq!(app.get(&second_path, None).await.status, StatusCode::OK);
    app.post_form("/account/calendar/revoke", "", Some(&cookie)).await;
    assert_eq!(app.get(&second_path, None).await.status, StatusCode::NOT_FOUND, "stopped");
    assert_eq!(app.get("/feeds/not-a-token/deadlines.ics", None).await.status, StatusCode::NOT_FOUND);
}
