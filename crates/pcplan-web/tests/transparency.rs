//! The transparency checklist through the pages: the public "What we publish" page dates
//! what pcplan publishes from its own public records; staff record a publication made on
//! the body's own website, see it fall due and overdue (on the compliance dashboard too),
//! have bad input refused beside its field with nothing stored, and remove a mistake.

mod common;

use axum::http::StatusCode;
use chrono::{Datelike, Duration, NaiveDate};
use common::{TestApp, encode};
use pcplan_store::Role;

fn date_fields(name: &str, on: NaiveDate) -> String {
    format!("{name}-day={}&{name}-month={}&{name}-year={}", on.day(), on.month(), on.year())
}

fn record_form(on: NaiveDate, url: &str, record_id: &str) -> String {
    format!(
        "body={}&record_id={record_id}&duty=spending_over_500&{}&url={}&note={}",
        pcplan_demo::ids::BODY,
        date_fields("published_on", on),
        encode(url),
        encode("Spending in the month before")
    )
}

/// The text of the row of a duty, from its `id` to the end of the row.
fn row<'a>(main: &'a str, key: &str) -> &'a str {
    let start = main.find(&format!("id=\"{key}\"")).unwrap_or_else(|| panic!("a row for {key}"));
    let rest = &main[start..];
    &rest[..rest.find("</tr>").expect("the row ends")]
}

#[tokio::test]
async fn the_public_page_dates_pcplans_own_publications_from_its_public_records() {
    let app = TestApp::with_demo().await;
    let page = app.get("/transparency", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    assert!(main.contains("What we publish") && main.contains("Specified Information"), "{main}");
    // The demo's plan in force is version 4, varied; drafts never count.
    let plan = row(main, "police_and_crime_plan");
    assert!(plan.contains("href=\"/plan/versions/4\"") && plan.contains("Version 4"), "{plan}");
    assert!(plan.contains("As each one happens"), "{plan}");
    let spending = row(main, "spending_over_500");
    assert!(spending.contains("Every month") && spending.contains("Not yet published"), "{spending}");
    assert!(!main.contains("<form"), "no forms for the public");
    // The same page at the body's own address; an unknown body is not found.
    let body = app.get(&format!("/bodies/{}/transparency", pcplan_demo::ids::BODY), None).await;
    assert_eq!(body.status, StatusCode::OK);
    assert_eq!(app.get(&format!("/bodies/{}/transparency", uuid_like()), None).await.status, StatusCode::NOT_FOUND);
}

fn uuid_like() -> String {
    String::from("00000000-0000-4000-8000-00000000dead")
}

#[tokio::test]
async fn staff_record_a_publication_see_it_fall_overdue_and_remove_a_mistake() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let today = pcplan_web::today();
    let page = app.get("/staff/transparency", Some(&editor)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main().contains("Record a publication"), "{}", page.main());

    // Published 40 days ago, monthly: due 10 or so days ago.
    let published = today - Duration::days(40);
    let record_id = "5eed0000-0000-4000-8000-0000000a0001";
    let sent = app
        .post_form(
            "/staff/transparency/publications",
            &record_form(published, "https://www.example-pcc.org.uk/spending", record_id),
            Some(&editor),
        )
        .await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER, "{}", sent.main());
    // The same form sent again (a double click) records nothing more.
    let again = app
        .post_form(
            "/staff/transparency/publications",
            &record_form(published, "https://www.example-pcc.org.uk/spending", record_id),
            Some(&editor),
        )
        .await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.publications(pcplan_demo::ids::BODY).await.expect("the log").len(), 1);

    let page = app.get(sent.location().expect("back to the checklist"), Some(&editor)).await;
    let main = page.main();
    assert!(main.contains("Publication recorded"), "{main}");
    let spending = row(main, "spending_over_500");
    assert!(
        spending.contains("Overdue") && spending.contains("href=\"https://www.example-pcc.org.uk/spending\""),
        "{spending}"
    );
    assert!(main.contains("1 duty is overdue"), "{main}");

    // The compliance dashboard lists it as overdue, with a link back to the checklist.
    let dashboard = app.get("/staff/compliance", Some(&editor)).await;
    let main = dashboard.main();
    let overdue =
        &main[main.find("Overdue").expect("overdue list")..main.find("Due in the next 30 days").expect("soon")];
    assert!(overdue.contains("Publish: Spending over £500"), "{overdue}");
    assert!(overdue.contains("/staff/transparency?body="), "{overdue}");
    assert!(main.contains("transparency checklist</a>; 18 duties have nothing published or recorded yet"), "{main}");

    // Bad input: each problem beside its field, nothing stored.
    let future = app
        .post_form(
            "/staff/transparency/publications",
            &record_form(today + Duration::days(1), "https://x.org/a", &uuid_like()),
            Some(&editor),
        )
        .await;
    assert_eq!(future.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(future.main().contains("is after today; record a publication once it is published"), "{}", future.main());
    let bad_url = app
        .post_form(
            "/staff/transparency/publications",
            &record_form(published, "www.example.org", &uuid_like()),
            Some(&editor),
        )
        .await;
    assert_eq!(bad_url.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_url.main().contains("id=\"url-error\""), "the error sits beside the address: {}", bad_url.main());
    assert!(bad_url.main().contains("value=\"www.example.org\""), "what was typed is kept");
    let no_date = app
        .post_form(
            "/staff/transparency/publications",
            &format!("body={}&duty=contracts&url={}", pcplan_demo::ids::BODY, encode("https://x.org")),
            Some(&editor),
        )
        .await;
    assert_eq!(no_date.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_date.main().contains("Enter the date published"), "{}", no_date.main());
    assert_eq!(app.store.publications(pcplan_demo::ids::BODY).await.expect("the log").len(), 1);

    // A viewer reads the checklist without the forms.
    let viewer = app.signed_in(Role::Viewer).await;
    let read = app.get("/staff/transparency", Some(&viewer)).await;
    assert_eq!(read.status, StatusCode::OK);
    assert!(!read.main().contains("Record a publication") && read.main().contains("Spending over £500"));

    // Removed: the duty has nothing recorded again.
    let removed = app
        .post_form(
            "/staff/transparency/publications/remove",
            &format!("body={}&id={record_id}", pcplan_demo::ids::BODY),
            Some(&editor),
        )
        .await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let page = app.get(removed.location().expect("back"), Some(&editor)).await;
    assert!(row(page.main(), "spending_over_500").contains("Not recorded"), "{}", page.main());
}
