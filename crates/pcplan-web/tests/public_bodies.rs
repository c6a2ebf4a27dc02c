//! A site with two policing bodies: the first body stored keeps `/`, `/plan` and its
//! area pages; the second has the same pages under `/bodies/{id}`, linked from the
//! landing page, and an area page asked for at `/plan/areas/{code}` with the second
//! body's area code is sent to that body's page.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use pcplan_demo::ids::{BODY, LLR_BODY};
use pcplan_store::Actor;

async fn two_bodies() -> TestApp {
    let app = TestApp::with_demo().await;
    for file in pcplan_demo::llr::plan_files() {
        app.store.import_plan(&Actor::system("test"), &file).await.expect("the second body's plans");
    }
    app
}

#[tokio::test]
async fn the_first_body_keeps_the_plan_pages_and_links_to_the_second() {
    let app = two_bodies().await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    let main = home.main();
    assert!(main.contains("West Midlands Police and Crime Commissioner"), "the site body's landing page");
    assert!(main.contains("Other policing bodies on this site"));
    assert!(main.contains(&format!(
        "href=\"/bodies/{LLR_BODY}\">Leicester, Leicestershire and Rutland Police and Crime Commissioner</a>"
    )));
    let plan = app.get("/plan", None).await;
    assert_eq!(plan.status, StatusCode::OK);
    assert!(plan.main().contains("West Midlands Police and Crime Commissioner"));
    assert!(plan.main().contains("href=\"/plan/areas/E08000025\""), "the site body's links stay short");

    let other = app.get(&format!("/bodies/{LLR_BODY}"), None).await;
    assert_eq!(other.status, StatusCode::OK);
    assert!(other.main().contains("Police and Crime Plan 2021-2025"), "the body's plan that starts latest");
    assert!(!other.main().contains(&format!("href=\"/bodies/{LLR_BODY}\"")), "no link to itself");
    assert!(other.main().contains("href=\"/\">West Midlands Police and Crime Commissioner</a>"));
    assert!(other.main().contains(&format!("href=\"/bodies/{LLR_BODY}/plan/areas/E06000016\">Leicester</a>")));
}

#[tokio::test]
async fn the_second_bodys_plan_and_area_pages_are_under_its_address() {
    let app = two_bodies().await;
    let plan = app.get(&format!("/bodies/{LLR_BODY}/plan"), None).await;
    assert_eq!(plan.status, StatusCode::OK);
    let main = plan.main();
    assert!(main.contains("Police and Crime Plan 2021-2025"));
    assert!(main.contains("Making Communities Safer"), "seed 003's key themes");
    assert!(!main.contains("href=\"/plan/areas/"), "every area link keeps the body's address");

    let sent = app.get("/plan/areas/E06000016", None).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let location = sent.location().expect("a redirect");
    assert_eq!(location, format!("/bodies/{LLR_BODY}/plan/areas/E06000016"));
    let area = app.get(location, None).await;
    assert_eq!(area.status, StatusCode::OK);
    assert!(area.main().contains("Leicester"));
    assert!(area.main().contains(&format!("href=\"/bodies/{LLR_BODY}/plan\">Read the whole plan</a>")));

    // The site body is reachable under its own address too; strangers are not found.
    assert_eq!(app.get(&format!("/bodies/{BODY}/plan"), None).await.status, StatusCode::OK);
    assert_eq!(app.get("/bodies/not-a-body/plan", None).await.status, StatusCode::NOT_FOUND);
    let stranger = pcplan_domain::BodyId::new();
    assert_eq!(app.get(&format!("/bodies/{stranger}/plan"), None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/plan/areas/E99999999", None).await.status, StatusCode::NOT_FOUND);
}
