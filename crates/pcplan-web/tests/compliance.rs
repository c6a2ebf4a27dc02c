//! The compliance dashboard, recurring obligations and owners, through the pages.

mod common;

use axum::http::StatusCode;
use chrono::Datelike;
use common::{TestApp, encode};
use pcplan_domain::FinancialYear;
use pcplan_domain::obligation::{ObligationKind, obligation_id};
use pcplan_store::{Actor, Role};

fn obligation_path(kind: ObligationKind, cycle: i32) -> String {
    format!("/staff/obligations/{}", obligation_id(pcplan_demo::ids::BODY, kind, cycle))
}

fn last_financial_year() -> i32 {
    FinancialYear::containing(pcplan_web::today()).0 - 1
}

#[tokio::test]
async fn the_compliance_dashboard_sorts_steps_into_overdue_due_soon_and_done_with_evidence() {
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let cookie = app.signed_in(Role::Viewer).await;
    let page = app.get("/staff/compliance", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    let overdue =
        &main[main.find("Overdue").expect("overdue list")..main.find("Due in the next 30 days").expect("soon")];
    assert!(overdue.contains("Response published"), "the 2014 response is long overdue in this test: {overdue}");
    let done = &main[main.find(">Done <").expect("done list")..];
    assert!(
        done.contains("2 clear days before the meeting where 5 were due: late") && done.contains(">Late<"),
        "the late papers are shown as done, late: {done}"
    );
    assert!(done.contains("Draft sent to the Panel") && done.contains("29 January 2014"));
    assert!(!main.contains("<select"), "a viewer gets no owner forms");
}

#[tokio::test]
async fn editors_bring_recurring_obligations_up_to_date_and_record_them_with_evidence() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let added = app.post_form("/staff/compliance/obligations", "", Some(&cookie)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER);
    assert_eq!(added.location(), Some("/staff/compliance?done=obligations"));
    let page = app.get("/staff/compliance?done=obligations", Some(&cookie)).await;
    let main = page.main();
    for what in ["Send the annual report for", "Notify the Panel of the proposed precept", "Publish equality"] {
        assert!(main.contains(what), "{what} is on the dashboard");
    }
    assert!(main.contains("PRSRA 2011 s.12"), "each line cites its rule");
    let before = app.store.audit_log(1000, 0).await.expect("audit").len();
    app.post_form("/staff/compliance/obligations", "", Some(&cookie)).await;
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), before, "a second run adds nothing");

    // Last year's annual report: a date in the future is refused beside the field.
    let year = last_financial_year();
    let path = obligation_path(ObligationKind::AnnualReport, year);
    let form = app.get(&path, Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.main().contains("Date to confirm"), "the annual report date is a setting: {}", form.main());
    let tomorrow = pcplan_web::today() + chrono::Duration::days(1);
    let future = format!(
        "on-day={}&on-month={}&on-year={}&by=Chief+Executive",
        tomorrow.day(),
        tomorrow.month(),
        tomorrow.year()
    );
    let refused = app.post_form(&path, &future, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("is in the future"), "{}", refused.main());
    assert!(refused.body.contains("govuk-error-summary"));

    let body = format!(
        "on-day=15&on-month=10&on-year={}&by=Chief+Executive&note={}&link=https%3A%2F%2Fexample.org%2Fannual-report.pdf",
        year + 1,
        encode("Presented to the Panel")
    );
    let saved = app.post_form(&path, &body, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let shown = app.get(&format!("{path}?done=recorded"), Some(&cookie)).await;
    assert!(shown.main().contains("Done late"), "15 October is after 30 September: {}", shown.main());
    assert!(shown.main().contains("Presented to the Panel"));
    let dashboard = app.get("/staff/compliance", Some(&cookie)).await;
    let done = &dashboard.main()[dashboard.main().find(">Done <").expect("done list")..];
    assert!(done.contains("Chief Executive: after the date due"), "{done}");

    // Annual reports are always required; the revised precept may not be.
    let not_required =
        app.post_form(&path, "outcome=not_required&on-day=1&on-month=10&on-year=2025&by=X", Some(&cookie));
    assert_eq!(not_required.await.status, StatusCode::SEE_OTHER, "the outcome field is not offered, so it is ignored");
    let revised = obligation_path(ObligationKind::PreceptRevised, pcplan_web::today().year());
    let revised_page = app.get(&revised, Some(&cookie)).await;
    assert!(revised_page.main().contains("It was not required this year"));
    let body = format!("outcome=not_required&on-day=1&on-month=2&on-year={}&by=OPCC", pcplan_web::today().year());
    assert_eq!(app.post_form(&revised, &body, Some(&cookie)).await.status, StatusCode::SEE_OTHER);
    assert!(app.get(&revised, Some(&cookie)).await.main().contains("Not required"));
}

#[tokio::test]
async fn owners_are_set_from_the_dashboard_and_shown_there() {
    let app = TestApp::with_demo().await;
    app.store.ensure_obligations(&Actor::system("test"), pcplan_web::today()).await.expect("obligations");
    let editor = app.user("owner-to-be", Role::Editor).await;
    let cookie = app.signed_in(Role::Editor).await;
    let id = obligation_id(pcplan_demo::ids::BODY, ObligationKind::AnnualReport, last_financial_year() + 1);
    let key = format!("obligation:{id}");
    let body = format!("key={}&owner={}&back={}", encode(&key), editor.id, encode("https://elsewhere.example/"));
    let saved = app.post_form("/staff/owners", &body, Some(&cookie)).await;
    assert_eq!(saved.location(), Some("/staff/compliance?done=owner"), "never back to another site");
    let page = app.get("/staff/compliance", Some(&cookie)).await;
    assert!(
        page.main().contains(&format!(r#"<option value="{}" selected>"#, editor.id)),
        "the owner is selected on the dashboard"
    );
    let agenda = app.store.agenda(pcplan_web::today()).await.expect("agenda");
    assert_eq!(agenda.iter().find(|i| i.key == key).and_then(|i| i.owner), Some(editor.id));
    let unknown = format!("key={}&owner={}", encode("meeting:nothing:papers"), editor.id);
    assert_eq!(app.post_form("/staff/owners", &unknown, Some(&cookie)).await.status, StatusCode::NOT_FOUND);
    let cleared = app.post_form("/staff/owners", &format!("key={}&owner=", encode(&key)), Some(&cookie)).await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    let agenda = app.store.agenda(pcplan_web::today()).await.expect("agenda");
    assert_eq!(agenda.iter().find(|i| i.key == key).and_then(|i| i.owner), None);
}

#[tokio::test]
async fn the_agenda_and_obligations_are_in_the_json_api() {
    use axum::http::Method;
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let cookie = app.signed_in(Role::Editor).await;
    let added = app.send_empty(Method::POST, "/api/v1/obligations/ensure", Some(&cookie)).await;
    assert_eq!(added.status, StatusCode::OK);
    assert!(added.json().as_array().is_some_and(|a| !a.is_empty()));

    let agenda = app.get("/api/v1/agenda?today=2014-02-20", Some(&cookie)).await.json();
    let items = agenda.as_array().expect("a list");
    let response = items
        .iter()
        .find(|i| i["key"] == format!("process:{}:response_published", pcplan_demo::ids::VARIATION_2014))
        .expect("the response step");
    assert_eq!(response["standing"], "due_soon", "{response}");
    assert_eq!(response["subject"]["type"], "process_step");
    let papers = items.iter().find(|i| i["subject"]["type"] == "meeting_papers").expect("papers");
    assert_eq!((papers["due"].as_str(), papers["standing"].as_str()), (Some("2014-01-24"), Some("done")));
    assert_eq!(papers["done"]["late"], true);
    let bad = app.get("/api/v1/agenda?today=10%2F02%2F2014", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(bad.json()["error"]["problems"][0]["path"], "today");

    let id = obligation_id(pcplan_demo::ids::BODY, ObligationKind::AnnualReport, last_financial_year());
    let path = format!("/api/v1/obligations/{id}/completion");
    let refused = app
        .send_json(
            Method::POST,
            &path,
            &serde_json::json!({"outcome": "not_required", "on": "2025-10-01", "by": "X"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["problems"][0]["path"], "outcome");
    let typo_body = serde_json::json!({"outcome": "done", "date": "2025-10-01"});
    let typo = app.send_json(Method::POST, &path, &typo_body, Some(&cookie)).await;
    assert_eq!(typo.status, StatusCode::UNPROCESSABLE_ENTITY, "an unknown field is refused");
    let done = app
        .send_json(
            Method::POST,
            &path,
            &serde_json::json!({"outcome": "done", "on": "2025-09-30", "by": "Chief Executive"}),
            Some(&cookie),
        )
        .await;
    assert_eq!(done.status, StatusCode::OK, "{}", done.body);
    assert_eq!(done.json()["completion"]["by"], "Chief Executive");

    let editor = app.user("owner", Role::Editor).await;
    let owner_path = format!("/api/v1/owners/obligation:{id}");
    let set = app.send_json(Method::PUT, &owner_path, &serde_json::json!({"user": editor.id}), Some(&cookie)).await;
    assert_eq!(set.status, StatusCode::OK, "{}", set.body);
    let nobody = serde_json::json!({"user": null});
    let unknown = app.send_json(Method::PUT, "/api/v1/owners/nothing", &nobody, Some(&cookie)).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_deadline_calculator_works_out_every_date_that_follows_from_one_day() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let empty = app.get("/staff/dates", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(!empty.main().contains("From "), "no answers before a date is entered");

    let page = app.get("/staff/dates?on-day=3&on-month=2&on-year=2014", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    for expected in [
        "publish its papers by 24 January 2014 (5 clear working days before)",
        "it may close on 17 March 2014 at the earliest (6 weeks)",
        "the Panel&#39;s time to report ends on 3 March 2014 (28 days)",
        "publish the response by 3 March 2014 (28 days)",
        "goes to the Panel by 30 September 2014",
        "Local Government Act 1972 s.100B(3)",
    ] {
        assert!(main.contains(expected) || main.contains(&expected.replace("&#39;", "'")), "{expected}: {main}");
    }
    let holiday = app.get("/staff/dates?on-day=8&on-month=5&on-year=2023", Some(&cookie)).await;
    assert!(holiday.main().contains("8 May 2023 is not a working day"), "the coronation bank holiday");
    let bad = app.get("/staff/dates?on-day=31&on-month=2&on-year=2014", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);
    assert!(bad.main().contains("Date must be a real date"));
    let far = app.get("/staff/dates?on-day=1&on-month=1&on-year=2150", Some(&cookie)).await;
    assert_eq!(far.status, StatusCode::BAD_REQUEST);
    assert!(far.main().contains("2150 is outside the years the calendar knows"), "{}", far.main());
}

#[tokio::test]
async fn the_panels_requests_and_work_programme_items_are_on_the_agenda_with_their_dates() {
    use pcplan_demo::report::{REPORT_2014, report_2014, response_edits_2014};
    let app = TestApp::with_demo().await;
    app.with_demo_process(4).await;
    let actor = Actor::system("test");
    let report = app.store.create_report(&actor, REPORT_2014, report_2014(), true).await.expect("report");
    for edit in response_edits_2014(&report) {
        app.store.edit_report(&actor, REPORT_2014, edit).await.expect("edit");
    }
    let today = chrono::NaiveDate::from_ymd_opt(2014, 5, 15).expect("date");
    let agenda = app.store.agenda(today).await.expect("agenda");
    let tracked: Vec<_> = agenda.iter().filter(|i| i.key.starts_with("report:")).collect();
    assert_eq!(tracked.len(), 5, "four requests and one work programme item: {tracked:?}");
    let done = tracked.iter().filter(|i| i.done.is_some()).count();
    assert_eq!(done, 1, "the prosecutions information was provided on 24 March 2014");
    let soon = tracked.iter().find(|i| i.due == chrono::NaiveDate::from_ymd_opt(2014, 5, 31).expect("date"));
    let soon = soon.expect("the magistrates' action plan is due on 31 May 2014");
    assert!(soon.what.starts_with("Request for information:"), "{}", soon.what);
    assert_eq!(soon.standing(today, 30), pcplan_domain::agenda::Standing::DueSoon);

    // Owners can be set on the dashboard like any other item, and the link leads to it.
    let editor = app.user("tracker", Role::Editor).await;
    let cookie = app.signed_in(Role::Editor).await;
    let body = format!("key={}&owner={}", encode(&soon.key), editor.id);
    assert_eq!(app.post_form("/staff/owners", &body, Some(&cookie)).await.status, StatusCode::SEE_OTHER);
    let page = app.get(soon.subject.staff_path().as_str(), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", soon.subject.staff_path());
    let agenda = app.store.agenda(today).await.expect("agenda");
    assert_eq!(agenda.iter().find(|i| i.key == soon.key).and_then(|i| i.owner), Some(editor.id));
}
