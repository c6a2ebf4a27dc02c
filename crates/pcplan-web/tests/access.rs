//! Who may do what: every state-changing route refuses anonymous visitors and viewers,
//! and a refused request changes nothing.
//!
//! [`CHANGES`] lists every route that changes something, each with a body that succeeds
//! for an editor (the last test proves it), so a refusal is about the role and nothing
//! else. A new state-changing route, the staff pages' forms included, gets a row here.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_store::Role;

/// Whether a route is part of the JSON API or an HTML page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Api,
    Page,
}

/// One state-changing route. `{plan}` and `{item}` are replaced with the demo's plan and
/// one of its records.
struct Change {
    method: Method,
    path: &'static str,
    kind: Kind,
    /// A body that would succeed for an editor, so a refusal is about the role.
    body: &'static str,
}

const CHANGES: &[Change] = &[
    Change {
        method: Method::PUT,
        path: "/api/v1/plans/{plan}",
        kind: Kind::Api,
        body: r#"{"title":"Changed","vision":"Changed","starts_on":"2013-04-01","ends_on":"2017-03-31"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/items",
        kind: Kind::Api,
        body: r#"{"record":{"kind":"section","title":"Added"}}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/plans/{plan}/items/{item}",
        kind: Kind::Api,
        body: r#"{"record":{"kind":"section","title":"Changed"}}"#,
    },
    Change { method: Method::DELETE, path: "/api/v1/plans/{plan}/items/{item}", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/items/{item}/move",
        kind: Kind::Api,
        body: r#"{"direction":"up"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/versions",
        kind: Kind::Api,
        body: r#"{"kind":"draft","label":"A draft"}"#,
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/header",
        kind: Kind::Page,
        body: "title=Changed&vision=Changed&starts_on-day=1&starts_on-month=4&starts_on-year=2013\
               &ends_on-day=31&ends_on-month=3&ends_on-year=2017",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items",
        kind: Kind::Page,
        body: "kind=section&title=Added",
    },
    Change { method: Method::POST, path: "/staff/plans/{plan}/items/{item}", kind: Kind::Page, body: "title=Changed" },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items/{item}/delete",
        kind: Kind::Page,
        body: "confirm=yes",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/items/{item}/move",
        kind: Kind::Page,
        body: "direction=up",
    },
    Change {
        method: Method::POST,
        path: "/staff/plans/{plan}/versions",
        kind: Kind::Page,
        body: "kind=draft&label=A+draft",
    },
    Change { method: Method::POST, path: "/staff/plans/{plan}/processes", kind: Kind::Page, body: "kind=variation" },
    Change {
        method: Method::POST,
        path: "/api/v1/plans/{plan}/processes",
        kind: Kind::Api,
        body: r#"{"kind":"variation"}"#,
    },
    Change { method: Method::POST, path: "/staff/compliance/obligations", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/obligations/{obligation}",
        kind: Kind::Page,
        body: "on-day=1&on-month=10&on-year=2025&by=Chief+Executive",
    },
    Change {
        method: Method::POST,
        path: "/staff/owners",
        kind: Kind::Page,
        body: "key=obligation%3A{obligation}&owner=",
    },
    Change { method: Method::POST, path: "/api/v1/obligations/ensure", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/api/v1/obligations/{obligation}/completion",
        kind: Kind::Api,
        body: r#"{"outcome":"done","on":"2025-10-01","by":"Chief Executive"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/owners/obligation:{obligation}",
        kind: Kind::Api,
        body: r#"{"user":null}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/bodies/{body}/meetings",
        kind: Kind::Api,
        body: r#"{"title":"Panel","held_on":"2014-03-03"}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/meetings/{meeting}/papers",
        kind: Kind::Api,
        body: r#"{"published_on":"2014-01-24"}"#,
    },
    Change {
        method: Method::PUT,
        path: "/api/v1/bodies/{body}/clock-settings",
        kind: Kind::Api,
        body: r#"{"papers_clear_days_england":4}"#,
    },
    Change {
        method: Method::POST,
        path: "/api/v1/calendar/overrides",
        kind: Kind::Api,
        body: r#"{"date":"2031-06-06","holiday":true,"name":"Added"}"#,
    },
    Change { method: Method::DELETE, path: "/api/v1/calendar/overrides/2030-06-07", kind: Kind::Api, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/bodies/{body}/settings",
        kind: Kind::Page,
        body: "papers_clear_days_england=4&papers_clear_days_wales=3&papers_day_rule=working\
               &panel_reasonable_time_days=28&response_publication_days=28&survey_min_weeks=6\
               &annual_report_months=6&plan_runs_to_end_of_election_year=election_year",
    },
    Change {
        method: Method::POST,
        path: "/staff/calendar/overrides",
        kind: Kind::Page,
        body: "date-day=6&date-month=6&date-year=2031&change=add&name=Added",
    },
    Change { method: Method::POST, path: "/staff/calendar/overrides/2030-06-07/delete", kind: Kind::Page, body: "" },
    Change {
        method: Method::POST,
        path: "/staff/meetings",
        kind: Kind::Page,
        body: "title=Panel&held_on-day=3&held_on-month=3&held_on-year=2014",
    },
    Change {
        method: Method::POST,
        path: "/staff/meetings/{meeting}/papers",
        kind: Kind::Page,
        body: "published_on-day=24&published_on-month=1&published_on-year=2014",
    },
];

/// Read-only API routes: anonymous visitors get 401, viewers may read them.
const READS: &[&str] = &[
    "/api/v1/bodies",
    "/api/v1/plans",
    "/api/v1/plans/{plan}",
    "/api/v1/plans/{plan}/versions",
    "/api/v1/plans/{plan}/versions/1",
    "/api/v1/plans/{plan}/diff?from=1&to=2",
    "/api/v1/plans/{plan}/check",
    "/api/v1/plans/{plan}/export",
    "/api/v1/plans/{plan}/processes",
    "/api/v1/agenda",
    "/api/v1/obligations/{obligation}",
    "/api/v1/bodies/{body}/meetings",
    "/api/v1/bodies/{body}/clock-settings",
    "/api/v1/calendar/overrides",
];

/// The last section of the demo: a record with nothing under it, so deleting it and
/// moving it would both succeed for an editor.
fn demo_section() -> String {
    let file = pcplan_demo::plan_file();
    let section = file
        .plan
        .items
        .iter()
        .rev()
        .find(|i| {
            i.record.kind() == pcplan_domain::RecordKind::Section
                && !file.plan.items.iter().any(|c| c.parent == Some(i.id) || c.serves.contains(&i.id))
        })
        .expect("the demo has a narrative section");
    section.id.to_string()
}

/// Last financial year's annual report, which [`demo_app`] stores.
fn demo_obligation() -> String {
    let last_year = pcplan_domain::FinancialYear::containing(pcplan_web::today()).0 - 1;
    let kind = pcplan_domain::obligation::ObligationKind::AnnualReport;
    pcplan_domain::obligation::obligation_id(pcplan_demo::ids::BODY, kind, last_year).to_string()
}

fn fill(path: &str) -> String {
    path.replace("{plan}", &pcplan_demo::plan_file().plan.id.to_string())
        .replace("{item}", &demo_section())
        .replace("{obligation}", &demo_obligation())
        .replace("{body}", &pcplan_demo::ids::BODY.to_string())
        .replace("{meeting}", &pcplan_demo::ids::MEETING_2014.to_string())
}

/// The demo with its recurring obligations, its Panel meeting and a holiday override
/// stored, so the routes that change one have one.
async fn demo_app() -> TestApp {
    let app = TestApp::with_demo().await;
    let actor = pcplan_store::Actor::system("test");
    app.store.ensure_obligations(&actor, pcplan_web::today()).await.expect("obligations");
    // The Panel meeting of 3 February 2014 and one holiday override (7 June 2030), so
    // the routes that record papers or remove an override have one to change.
    app.store.create_meeting(&actor, &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    let extra = pcplan_domain::HolidayOverride {
        date: chrono::NaiveDate::from_ymd_opt(2030, 6, 7).expect("a real date"),
        holiday: true,
        name: String::from("Test occasion"),
    };
    app.store.add_holiday_override(&actor, &extra).await.expect("override");
    app
}

async fn send(app: &TestApp, change: &Change, cookie: Option<&str>) -> common::TestResponse {
    let path = fill(change.path);
    match (change.kind, change.body.is_empty()) {
        (_, true) => app.send_empty(change.method.clone(), &path, cookie).await,
        (Kind::Api, false) => {
            let json: serde_json::Value = serde_json::from_str(change.body).expect("valid test JSON");
            app.send_json(change.method.clone(), &path, &json, cookie).await
        }
        (Kind::Page, false) => app.post_form(&path, &fill(change.body), cookie).await,
    }
}

#[tokio::test]
async fn anonymous_visitors_are_refused_every_change() {
    let app = demo_app().await;
    let before = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    for change in CHANGES {
        let response = send(&app, change, None).await;
        match change.kind {
            Kind::Api => {
                assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{} {}", change.method, change.path);
                assert_eq!(response.json()["error"]["code"], "unauthenticated");
            }
            Kind::Page => {
                assert_eq!(response.status, StatusCode::SEE_OTHER, "{} {}", change.method, change.path);
                let location = response.location().unwrap_or_default();
                assert!(
                    location.starts_with("/sign-in?next=%2F") || location.starts_with("/sign-in?next=/"),
                    "{} {}: {location}",
                    change.method,
                    change.path
                );
            }
        }
    }
    let after = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    assert_eq!(before, after, "nothing changed");
}

#[tokio::test]
async fn viewers_are_refused_every_change_and_nothing_changes() {
    let app = demo_app().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let before = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    for change in CHANGES {
        let response = send(&app, change, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{} {}", change.method, change.path);
        match change.kind {
            Kind::Api => assert_eq!(response.json()["error"]["code"], "forbidden"),
            Kind::Page => assert!(response.body.contains("You do not have permission")),
        }
    }
    let after = app.store.export_plan(pcplan_demo::plan_file().plan.id).await.expect("export");
    assert_eq!(before, after, "nothing changed");
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before, "nothing audited");
}

#[tokio::test]
async fn editors_may_make_every_change() {
    // Each change on a fresh copy of the demo, so one change cannot disturb the next.
    for change in CHANGES {
        let app = demo_app().await;
        let cookie = app.signed_in(Role::Editor).await;
        let response = send(&app, change, Some(&cookie)).await;
        assert!(
            response.status.is_success() || response.status == StatusCode::SEE_OTHER,
            "{} {}: {} {}",
            change.method,
            change.path,
            response.status,
            response.body
        );
    }
}

#[tokio::test]
async fn anonymous_visitors_cannot_read_the_api_but_viewers_can() {
    let app = demo_app().await;
    let cookie = app.signed_in(Role::Viewer).await;
    for path in READS {
        let path = fill(path);
        let anonymous = app.get(&path, None).await;
        assert_eq!(anonymous.status, StatusCode::UNAUTHORIZED, "{path}");
        assert_eq!(anonymous.json()["error"]["code"], "unauthenticated", "{path}");
        assert_eq!(app.get(&path, Some(&cookie)).await.status, StatusCode::OK, "{path}");
    }
}
