//! One-time passwords: an account whose password someone else set must choose its own
//! before it can use any staff page or the API.

mod common;

use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp, encode};
use pcplan_store::{Actor, NewUser, Role, User};

/// An editor whose password is a one-time password, signed in.
async fn one_time_user(app: &TestApp) -> (User, String) {
    let hash = pcplan_web::auth::hash_password(PASSWORD, true).expect("hash");
    let user = app
        .store
        .create_user(
            &Actor::system("test"),
            &NewUser {
                username: String::from("newcomer"),
                display_name: String::from("New Officer"),
                role: Role::Editor,
                password_hash: hash,
                one_time_password: true,
                email: None,
            },
        )
        .await
        .expect("create user");
    let cookie = app.sign_in("newcomer", PASSWORD).await.expect("a one-time password still signs in");
    (user, cookie)
}

fn form(current: &str, new: &str, confirm: &str) -> String {
    format!("current_password={}&new_password={}&confirm_password={}", encode(current), encode(new), encode(confirm))
}

#[tokio::test]
async fn a_one_time_password_sends_every_staff_page_to_the_change_password_page() {
    let app = TestApp::with_demo().await;
    let (_, cookie) = one_time_user(&app).await;
    for path in ["/staff", "/staff/users"] {
        let response = app.get(path, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert_eq!(response.location(), Some("/account/password"), "{path}");
    }
    let api = app.get("/api/v1/plans", Some(&cookie)).await;
    assert_eq!(api.status, StatusCode::FORBIDDEN);
    assert_eq!(api.json()["error"]["code"], "password_change_required");
    let page = app.get("/account/password", Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("one-time password"));
}

#[tokio::test]
async fn a_new_password_must_be_long_uncommon_confirmed_and_new_and_the_current_one_right() {
    let app = TestApp::with_demo().await;
    let (user, cookie) = one_time_user(&app).await;
    let cases = [
        // (current, new, confirm, field in error, message)
        ("wrong password here", "a brand new passphrase", "a brand new passphrase", "current_password", "not right"),
        (PASSWORD, "short", "short", "new_password", "12 characters or more"),
        (PASSWORD, "qwerty123456", "qwerty123456", "new_password", "one of the most common passwords"),
        (PASSWORD, "Sunshine2026!", "Sunshine2026!", "new_password", "common password with numbers or symbols added"),
        (PASSWORD, "a brand new passphrase", "a different one", "confirm_password", "do not match"),
        (PASSWORD, PASSWORD, PASSWORD, "new_password", "different from your current password"),
    ];
    for (current, new, confirm, field, message) in cases {
        let response = app.post_form("/account/password", &form(current, new, confirm), Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{field}");
        assert!(response.body.contains(&format!("href=\"#{field}\"")), "{field}: the summary links to the field");
        assert!(response.body.contains(message), "{field}: {message}");
        assert!(response.body.contains(&format!("id=\"{field}-error\"")), "{field}: the message sits beside it");
    }
    let stored = app.store.user(user.id).await.expect("user").expect("exists");
    assert!(stored.must_change_password, "nothing changed");
}

#[tokio::test]
async fn choosing_a_password_opens_the_staff_pages_and_is_audited_without_the_hash() {
    let app = TestApp::with_demo().await;
    let (user, cookie) = one_time_user(&app).await;
    let new = "correct horse battery staple";
    let response = app.post_form("/account/password", &form(PASSWORD, new, new), Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/staff?done=password"));
    // The session is replaced with a new one; the old token no longer works.
    let fresh = response.session_cookie().expect("a new session");
    assert_eq!(app.get("/staff", Some(&fresh)).await.status, StatusCode::OK);
    assert_eq!(app.send_empty(Method::GET, "/api/v1/plans", Some(&fresh)).await.status, StatusCode::OK);
    assert_eq!(app.send_empty(Method::GET, "/api/v1/plans", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    assert!(!app.store.user(user.id).await.expect("user").expect("exists").must_change_password);

    let entry = &app.store.audit_log(1, 0).await.expect("audit")[0];
    assert_eq!(entry.action, "set_password");
    assert_eq!(entry.actor_id, Some(user.id), "the person changed it themselves");
    assert!(!serde_json::to_string(entry).expect("json").contains("argon2"), "no hash in the log");

    assert!(app.sign_in("newcomer", PASSWORD).await.is_none(), "the one-time password no longer works");
    assert!(app.sign_in("newcomer", new).await.is_some(), "the new one does");
}

#[tokio::test]
async fn the_change_password_page_asks_anonymous_visitors_to_sign_in() {
    let app = TestApp::new().await;
    let response = app.get("/account/password", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/sign-in?next=/account/password"));
}
