//! Staff e-mail addresses on the users page and the reminders page: administrators set
//! and clear addresses (a bad one is refused beside its field and changes nothing), and
//! every member of staff can see which reminders were sent, failed or not confirmed.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::TestApp;
use pcplan_store::{NewReminder, Role};

#[tokio::test]
async fn an_administrator_sets_and_clears_an_email_address_and_a_bad_one_is_refused() {
    let app = TestApp::with_demo().await;
    let admin = app.signed_in(Role::Admin).await;
    let target = app.user("clerk", Role::Editor).await;
    let path = format!("/staff/users/{}/email", target.id);

    let saved = app.post_form(&path, "email=clerk%40example.org", Some(&admin)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let stored = app.store.user(target.id).await.expect("user").expect("exists");
    assert_eq!(stored.email.as_deref(), Some("clerk@example.org"));
    let page = app.get(saved.location().expect("redirect"), Some(&admin)).await;
    assert!(page.body.contains("email address is saved"), "{}", page.main());
    assert!(page.body.contains("value=\"clerk@example.org\""), "the address is shown in its box");
    let entry = app.store.audit_log(1, 0).await.expect("audit").remove(0);
    assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("set_email", "user"));

    let refused = app.post_form(&path, "email=clerk+at+example.org", Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("There is a problem"), "{}", refused.main());
    assert!(refused.body.contains(&format!("#email-{}", target.id)), "the summary links to the row's box");
    assert!(refused.body.contains("must not contain spaces"), "{}", refused.main());
    let unchanged = app.store.user(target.id).await.expect("user").expect("exists");
    assert_eq!(unchanged.email.as_deref(), Some("clerk@example.org"), "a refusal changes nothing");

    let cleared = app.post_form(&path, "email=", Some(&admin)).await;
    assert_eq!(cleared.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.user(target.id).await.expect("user").expect("exists").email, None);
}

#[tokio::test]
async fn a_new_user_may_be_given_an_email_address_and_a_bad_one_is_shown_beside_its_field() {
    let app = TestApp::with_demo().await;
    let admin = app.signed_in(Role::Admin).await;
    let refused =
        app.post_form("/staff/users", "username=pat&display_name=Pat&role=viewer&email=pat%40", Some(&admin)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("href=\"#email\""), "{}", refused.main());
    assert!(app.store.user_by_username("pat").await.expect("lookup").is_none(), "nothing was created");

    let added = app
        .post_form("/staff/users", "username=pat&display_name=Pat&role=viewer&email=pat%40example.org", Some(&admin))
        .await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.main());
    let (user, _) = app.store.user_by_username("pat").await.expect("lookup").expect("created");
    assert_eq!(user.email.as_deref(), Some("pat@example.org"));
}

#[tokio::test]
async fn the_reminders_page_shows_sent_failed_and_unconfirmed_reminders_to_any_staff() {
    let app = TestApp::with_demo().await;
    let owner = app.user("clerk", Role::Editor).await;
    let reminder = |stage: &str| NewReminder {
        key: format!("obligation:x|{}|{stage}", owner.id),
        item_key: String::from("obligation:x"),
        user_id: owner.id,
        due_on: NaiveDate::from_ymd_opt(2014, 1, 24).expect("date"),
        stage: stage.to_string(),
    };
    for stage in ["14d", "7d", "1d"] {
        assert!(app.store.claim_reminder(&reminder(stage)).await.expect("claim"));
    }
    app.store.mark_reminder_sent(&reminder("14d").key, "to clerk@example.org").await.expect("sent");
    app.store
        .mark_reminder_failed(&reminder("7d").key, "smtp.example.org:587: permanent error (550)")
        .await
        .expect("x");

    let anonymous = app.get("/staff/reminders", None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get("/staff/reminders", Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    for expected in ["Sent", "Failed", "Not confirmed", "permanent error (550)", "14 days before", "1 day before"] {
        assert!(main.contains(expected), "{expected} in {main}");
    }
    assert!(main.contains("1 not confirmed"), "{main}");
    assert!(!main.contains("clerk@example.org"), "addresses are not shown here");
}
