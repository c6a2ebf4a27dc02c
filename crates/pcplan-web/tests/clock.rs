//! The statutory clock's pages and API: a body's clock settings, the bank holidays with
//! their overrides, and Panel meetings with their papers, on the demo body.
//!
//! Who may change what is proved in `access.rs`; these tests follow what an editor and
//! a viewer see and what is stored, including the deadline that never moves.

mod common;

use axum::http::{Method, StatusCode};
use chrono::NaiveDate;
use common::{TestApp, encode};
use pcplan_domain::clock::ClockSettings;
use pcplan_store::Role;
use serde_json::json;

fn body_id() -> String {
    pcplan_demo::ids::BODY.to_string()
}

fn settings_path() -> String {
    format!("/staff/bodies/{}/settings", body_id())
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

/// The settings form as the page sends it, with one field changed.
fn settings_form(name: &str, value: &str) -> String {
    let mut pairs = vec![
        ("papers_clear_days_england", "5"),
        ("papers_clear_days_wales", "3"),
        ("papers_day_rule", "working"),
        ("panel_reasonable_time_days", "28"),
        ("response_publication_days", "28"),
        ("survey_min_weeks", "6"),
        ("annual_report_months", "6"),
        ("plan_runs_to_end_of_election_year", "election_year"),
    ];
    for pair in &mut pairs {
        if pair.0 == name {
            pair.1 = value;
        }
    }
    pairs.iter().map(|(n, v)| format!("{n}={}", encode(v))).collect::<Vec<_>>().join("&")
}

#[tokio::test]
async fn an_editor_changes_the_clock_settings_and_a_viewer_only_reads_them() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let viewer = app.signed_in(Role::Viewer).await;

    let choose = app.get("/staff/settings", Some(&editor)).await;
    assert_eq!(choose.status, StatusCode::SEE_OTHER, "one body: straight to its settings");
    assert_eq!(choose.location(), Some(settings_path().as_str()));

    let page = app.get(&settings_path(), Some(&editor)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Clear days for Panel papers in England"), "{}", page.main());
    assert!(page.body.contains("Local Government Act 1972 s.100B(3)"), "the hint cites the rule");
    assert!(page.body.contains("to confirm"), "unconfirmed rules say so");
    assert!(page.body.contains("Save settings"));

    let read_only = app.get(&settings_path(), Some(&viewer)).await;
    assert_eq!(read_only.status, StatusCode::OK);
    assert!(!read_only.body.contains("Save settings"), "no form for viewers");
    assert!(read_only.body.contains("5 days"), "{}", read_only.main());

    let saved = app.post_form(&settings_path(), &settings_form("papers_clear_days_england", "3"), Some(&editor)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app.store.clock_settings(pcplan_demo::ids::BODY).await.expect("settings");
    assert_eq!(stored, ClockSettings { papers_clear_days_england: 3, ..ClockSettings::default() });
    let entry = &app.store.audit_log(1, 0).await.expect("audit")[0];
    assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("update", "clock_settings"));
    let banner = app.get(saved.location().expect("redirect"), Some(&editor)).await;
    assert!(banner.body.contains("Settings saved"));
}

#[tokio::test]
async fn a_setting_out_of_range_is_shown_beside_its_field_and_nothing_is_saved() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let audit = app.store.audit_log(1000, 0).await.expect("audit").len();
    let refused = app.post_form(&settings_path(), &settings_form("papers_clear_days_wales", "45"), Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("<title>Error: "));
    assert!(refused.body.contains("href=\"#papers_clear_days_wales\""), "{}", refused.main());
    assert!(refused.body.contains("Clear days in Wales must be from 0 to 30, not 45"), "{}", refused.main());
    assert!(refused.body.contains("value=\"45\""), "what was typed is kept");
    let words = app.post_form(&settings_path(), &settings_form("survey_min_weeks", "six"), Some(&editor)).await;
    assert!(words.body.contains("Shortest survey must be a whole number"), "{}", words.main());
    assert_eq!(app.store.clock_settings(pcplan_demo::ids::BODY).await.expect("read"), ClockSettings::default());
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit, "nothing audited");
    let unknown = app.get("/staff/bodies/00000000-0000-0000-0000-000000000001/settings", Some(&editor)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_calendar_page_lists_a_years_holidays_and_staff_add_and_remove_overrides() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let page = app.get("/staff/calendar?year=2023", Some(&editor)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("Coronation of King Charles III"), "{}", page.main());
    assert!(page.body.contains("No override has been entered"));

    let bad_year = app.get("/staff/calendar?year=1850", Some(&editor)).await;
    assert_eq!(bad_year.status, StatusCode::BAD_REQUEST);
    assert!(bad_year.body.contains("Year must be a year from 2000 to 2100"), "{}", bad_year.main());

    let add = "date-day=7&date-month=6&date-year=2030&change=add&name=Royal+occasion";
    let added = app.post_form("/staff/calendar/overrides", add, Some(&editor)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    assert_eq!(added.location(), Some("/staff/calendar?year=2030&done=added"));
    let listed = app.get(added.location().expect("redirect"), Some(&editor)).await;
    assert!(listed.body.contains("Royal occasion"), "{}", listed.main());
    assert!(listed.body.contains("Added by staff"));
    assert!(listed.body.contains("Override added"));

    let duplicate = app.post_form("/staff/calendar/overrides", add, Some(&editor)).await;
    assert_eq!(duplicate.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(duplicate.body.contains("already has an override"), "{}", duplicate.main());
    assert!(duplicate.body.contains("href=\"#date-day\""));

    let not_a_date = "date-day=31&date-month=2&date-year=2030&change=add&name=x";
    let refused = app.post_form("/staff/calendar/overrides", not_a_date, Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Date must be a real date"), "{}", refused.main());
    let nameless = app
        .post_form(
            "/staff/calendar/overrides",
            "date-day=8&date-month=6&date-year=2030&change=add&name=",
            Some(&editor),
        )
        .await;
    assert!(nameless.body.contains("Enter the occasion"), "{}", nameless.main());

    let removed = app.post_form("/staff/calendar/overrides/2030-06-07/delete", "", Some(&editor)).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.holiday_overrides().await.expect("overrides"), vec![]);
    let again = app.post_form("/staff/calendar/overrides/2030-06-07/delete", "", Some(&editor)).await;
    assert_eq!(again.status, StatusCode::NOT_FOUND);

    let viewer = app.signed_in(Role::Viewer).await;
    let read_only = app.get("/staff/calendar?year=2030", Some(&viewer)).await;
    assert!(!read_only.body.contains("Add override"), "no form for viewers");
}

#[tokio::test]
async fn an_editor_schedules_a_meeting_and_records_late_papers_and_the_deadline_stays() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let empty = app.get("/staff/meetings", Some(&editor)).await;
    assert_eq!(empty.status, StatusCode::OK, "{}", empty.body);
    assert!(empty.body.contains("No meeting has been scheduled"));

    let form = format!(
        "body={}&title={}&held_on-day=3&held_on-month=2&held_on-year=2014",
        body_id(),
        encode("Police and Crime Panel")
    );
    let scheduled = app.post_form("/staff/meetings", &form, Some(&editor)).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "{}", scheduled.body);
    let meetings = app.store.meetings(pcplan_demo::ids::BODY).await.expect("meetings");
    assert_eq!(meetings.len(), 1);
    let meeting = &meetings[0];
    assert_eq!(meeting.papers_due_on, date(2014, 1, 24));

    let page = app.get("/staff/meetings", Some(&editor)).await;
    assert!(page.body.contains("24 January 2014 (5 clear working days before the meeting)"), "{}", page.main());
    assert!(page.body.contains("Overdue"), "not published and past the deadline");

    // Settings and calendar change; the stored deadline does not.
    let settings = ClockSettings { papers_clear_days_england: 2, ..ClockSettings::default() };
    app.store
        .set_clock_settings(&pcplan_store::Actor::system("test"), pcplan_demo::ids::BODY, &settings)
        .await
        .expect("settings");
    let moved = app
        .post_form(
            "/staff/calendar/overrides",
            "date-day=27&date-month=1&date-year=2014&change=add&name=Test",
            Some(&editor),
        )
        .await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);

    let papers = "published_on-day=29&published_on-month=1&published_on-year=2014";
    let recorded = app.post_form(&format!("/staff/meetings/{}/papers", meeting.id), papers, Some(&editor)).await;
    assert_eq!(recorded.status, StatusCode::SEE_OTHER, "{}", recorded.body);
    let stored = app.store.meeting(meeting.id).await.expect("read").expect("meeting");
    assert_eq!(stored.papers_due_on, date(2014, 1, 24), "the deadline fixed at scheduling stays");
    assert_eq!(stored.papers_published_on, Some(date(2014, 1, 29)));
    let page = app.get("/staff/meetings", Some(&editor)).await;
    assert!(
        page.body.contains("Late: published 2 clear working days before the meeting, where 5 were due"),
        "{}",
        page.main()
    );

    let bad = app
        .post_form(
            &format!("/staff/meetings/{}/papers", meeting.id),
            "published_on-day=40&published_on-month=1&published_on-year=2014",
            Some(&editor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains(&format!("href=\"#published-{}-day\"", meeting.id)), "{}", bad.main());
    assert!(bad.body.contains("must be a real date"));
}

#[tokio::test]
async fn a_meeting_on_a_bank_holiday_is_scheduled_with_a_visible_warning_and_a_bad_form_is_kept() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let christmas = "title=Panel&held_on-day=25&held_on-month=12&held_on-year=2014";
    let scheduled = app.post_form("/staff/meetings", christmas, Some(&editor)).await;
    assert_eq!(scheduled.status, StatusCode::SEE_OTHER, "one body: the body is implied: {}", scheduled.body);
    let page = app.get("/staff/meetings", Some(&editor)).await;
    assert!(page.body.contains("govuk-warning-text"));
    assert!(
        page.body.contains("The meeting is on a bank holiday (Christmas Day), not a working day."),
        "{}",
        page.main()
    );

    let saturday = "title=Panel&held_on-day=1&held_on-month=2&held_on-year=2014";
    app.post_form("/staff/meetings", saturday, Some(&editor)).await;
    let page = app.get("/staff/meetings", Some(&editor)).await;
    assert!(page.body.contains("The meeting is on a Saturday, not a working day."), "{}", page.main());

    let untitled =
        app.post_form("/staff/meetings", "title=&held_on-day=3&held_on-month=2&held_on-year=2101", Some(&editor)).await;
    assert_eq!(untitled.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(untitled.body.contains("Enter the title"), "{}", untitled.main());
    assert!(untitled.body.contains("value=\"2101\""), "what was typed is kept");
    let outside = app
        .post_form("/staff/meetings", "title=Panel&held_on-day=3&held_on-month=2&held_on-year=2101", Some(&editor))
        .await;
    assert!(outside.body.contains("outside the years the calendar knows"), "{}", outside.main());
    assert_eq!(app.store.meetings(pcplan_demo::ids::BODY).await.expect("meetings").len(), 2);

    let viewer = app.signed_in(Role::Viewer).await;
    let read_only = app.get("/staff/meetings", Some(&viewer)).await;
    assert!(!read_only.body.contains("Schedule meeting"), "no forms for viewers");
    assert!(!read_only.body.contains("Record publication"));
}

#[tokio::test]
async fn the_demo_meeting_shows_its_late_papers_and_the_dashboard_links_the_clock_pages() {
    let app = TestApp::with_demo().await;
    app.with_demo_process(0).await;
    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get("/staff/meetings", Some(&viewer)).await;
    assert!(page.body.contains("Monday 3 February 2014"), "{}", page.main());
    assert!(
        page.body.contains(
            "Late: published 2 clear working days before the meeting, where 5 were due (by 24 January 2014)."
        )
    );
    let dashboard = app.get("/staff", Some(&viewer)).await;
    for link in ["/staff/meetings", "/staff/calendar", "/staff/settings"] {
        assert!(dashboard.body.contains(&format!("href=\"{link}\"")), "the dashboard links {link}");
    }
}

#[tokio::test]
async fn the_api_reads_and_replaces_clock_settings_with_errors_naming_each_field() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let path = format!("/api/v1/bodies/{}/clock-settings", body_id());
    let read = app.get(&path, Some(&editor)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert_eq!(read.json()["papers_clear_days_england"], 5);
    assert_eq!(read.json()["papers_day_rule"], "working");

    let put = app
        .send_json(Method::PUT, &path, &json!({"papers_clear_days_wales": 4, "survey_min_weeks": 8}), Some(&editor))
        .await;
    assert_eq!(put.status, StatusCode::OK, "{}", put.body);
    assert_eq!(put.json()["papers_clear_days_wales"], 4);
    assert_eq!(put.json()["papers_clear_days_england"], 5, "a field left out takes its default");

    let bad = app
        .send_json(
            Method::PUT,
            &path,
            &json!({"papers_clear_days_england": 31, "annual_report_months": 0}),
            Some(&editor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let problems = bad.json()["error"]["problems"].clone();
    assert_eq!(problems[0]["path"], "papers_clear_days_england", "{problems}");
    assert_eq!(problems[1]["path"], "annual_report_months");
    let unknown = app.send_json(Method::PUT, &path, &json!({"clear_days": 5}), Some(&editor)).await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY, "unknown fields are refused");
    let negative = app.send_json(Method::PUT, &path, &json!({"survey_min_weeks": -1}), Some(&editor)).await;
    assert_eq!(negative.json()["error"]["problems"][0]["path"], "survey_min_weeks");
    assert_eq!(app.store.clock_settings(pcplan_demo::ids::BODY).await.expect("read").papers_clear_days_wales, 4);

    let missing = app.get("/api/v1/bodies/00000000-0000-0000-0000-000000000001/clock-settings", Some(&editor)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_api_schedules_meetings_records_papers_and_keeps_holiday_overrides() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let meetings = format!("/api/v1/bodies/{}/meetings", body_id());

    let created = app
        .send_json(Method::POST, &meetings, &json!({"title": "Panel", "held_on": "2014-02-03"}), Some(&editor))
        .await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let meeting = created.json();
    assert_eq!(meeting["papers_due_on"], "2014-01-24");
    assert_eq!(meeting["papers"], serde_json::Value::Null);
    assert_eq!(meeting["overdue"], true);
    let id = meeting["id"].as_str().expect("id").to_string();

    let late = app
        .send_json(
            Method::POST,
            &format!("/api/v1/meetings/{id}/papers"),
            &json!({"published_on": "2014-01-29"}),
            Some(&editor),
        )
        .await;
    assert_eq!(late.status, StatusCode::OK, "{}", late.body);
    assert_eq!(late.json()["papers"], json!({"status": "late", "clear_days": 2, "required": 5}));
    let listed = app.get(&meetings, Some(&editor)).await;
    assert_eq!(listed.json()[0]["papers_published_on"], "2014-01-29");

    let holiday = app
        .send_json(Method::POST, &meetings, &json!({"title": "Panel", "held_on": "2014-12-25"}), Some(&editor))
        .await;
    assert_eq!(holiday.json()["warnings"], json!(["not_a_working_day"]));
    let empty =
        app.send_json(Method::POST, &meetings, &json!({"title": " ", "held_on": "2014-02-03"}), Some(&editor)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(empty.json()["error"]["problems"][0]["path"], "title");
    let bad_date = app
        .send_json(Method::POST, &meetings, &json!({"title": "Panel", "held_on": "3 Feb 2014"}), Some(&editor))
        .await;
    assert_eq!(bad_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad_date.json()["error"]["problems"][0]["path"], "held_on");
    let no_meeting = app
        .send_json(
            Method::POST,
            "/api/v1/meetings/00000000-0000-0000-0000-000000000001/papers",
            &json!({"published_on": "2014-01-29"}),
            Some(&editor),
        )
        .await;
    assert_eq!(no_meeting.status, StatusCode::NOT_FOUND);

    let overrides = "/api/v1/calendar/overrides";
    let entry = json!({"date": "2030-06-07", "holiday": true, "name": "Royal occasion"});
    let added = app.send_json(Method::POST, overrides, &entry, Some(&editor)).await;
    assert_eq!(added.status, StatusCode::CREATED, "{}", added.body);
    assert_eq!(app.get(overrides, Some(&editor)).await.json(), json!([entry]));
    let duplicate = app.send_json(Method::POST, overrides, &entry, Some(&editor)).await;
    assert_eq!(duplicate.status, StatusCode::CONFLICT);
    assert!(duplicate.json()["error"]["message"].as_str().unwrap_or("").contains("already has an override"));
    let nameless = app
        .send_json(Method::POST, overrides, &json!({"date": "2030-06-10", "holiday": true, "name": ""}), Some(&editor))
        .await;
    assert_eq!(nameless.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(nameless.json()["error"]["problems"][0]["path"], "name");
    let bad = app
        .send_json(Method::POST, overrides, &json!({"date": "2030-02-31", "holiday": true, "name": "x"}), Some(&editor))
        .await;
    assert_eq!(bad.json()["error"]["problems"][0]["path"], "date");
    let removed = app.send_empty(Method::DELETE, "/api/v1/calendar/overrides/2030-06-07", Some(&editor)).await;
    assert_eq!(removed.status, StatusCode::NO_CONTENT);
    let gone = app.send_empty(Method::DELETE, "/api/v1/calendar/overrides/2030-06-07", Some(&editor)).await;
    assert_eq!(gone.status, StatusCode::NOT_FOUND);
    let not_a_date = app.send_empty(Method::DELETE, "/api/v1/calendar/overrides/June", Some(&editor)).await;
    assert_eq!(not_a_date.status, StatusCode::BAD_REQUEST);
}
