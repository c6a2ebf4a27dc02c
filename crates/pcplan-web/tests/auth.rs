//! Signing in and out, the session cookie, and the refusal of cross-site form posts.

mod common;

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{Method, StatusCode};
use common::{PASSWORD, TestApp, encode, request};
use pcplan_store::{Actor, Role};
use pcplan_web::WebConfig;

fn form(username: &str, password: &str) -> String {
    format!("username={}&password={}", encode(username), encode(password))
}

#[tokio::test]
async fn the_sign_in_page_is_a_form_that_posts_to_itself() {
    let app = TestApp::new().await;
    let page = app.get("/sign-in?next=%2Fstaff%2Fplans", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("<form method=\"post\" action=\"/sign-in\""));
    assert!(page.body.contains("autocomplete=\"current-password\""));
    assert!(page.body.contains("name=\"next\" value=\"/staff/plans\""));
    let foreign = app.get("/sign-in?next=https%3A%2F%2Fevil.example%2F", None).await;
    assert!(!foreign.body.contains("evil.example"), "a foreign next is dropped");
}

#[tokio::test]
async fn signing_in_sets_an_http_only_lax_session_cookie_and_goes_to_the_staff_pages() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    let response = app.post_form("/sign-in", &form("alice", PASSWORD), None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/staff"));
    let set_cookie = response.header("set-cookie").expect("a cookie");
    assert!(set_cookie.starts_with("pcplan_session="), "{set_cookie}");
    for attribute in ["HttpOnly", "SameSite=Lax", "Path=/", "Max-Age=28800"] {
        assert!(set_cookie.contains(attribute), "{attribute} in {set_cookie}");
    }
    assert!(!set_cookie.contains("Secure"), "plain-HTTP test config: {set_cookie}");
    let token = response.session_cookie().expect("cookie")["pcplan_session=".len()..].to_string();
    assert_eq!(token.len(), 64, "32 random bytes, hex");

    // The database holds only the hash of the token.
    let hash = pcplan_web::auth::session_hash(&token);
    assert!(app.store.session_user(&token, chrono::Utc::now()).await.expect("lookup").is_none());
    assert!(app.store.session_user(&hash, chrono::Utc::now()).await.expect("lookup").is_some());

    // The cookie signs the API in.
    let cookie = format!("pcplan_session={token}");
    assert_eq!(app.get("/api/v1/plans", Some(&cookie)).await.status, StatusCode::OK);
    let home = app.get("/", Some(&cookie)).await;
    assert!(home.body.contains("Sign out"), "signed-in pages offer sign out");
    assert!(home.body.contains("href=\"/staff\""), "signed-in pages link to the staff pages");
}

#[tokio::test]
async fn the_session_cookie_is_secure_when_the_configuration_says_so() {
    let app = TestApp::with_config(WebConfig { secure_cookies: true, ..common::test_config() }).await;
    app.user("alice", Role::Viewer).await;
    let response = app.post_form("/sign-in", &form("alice", PASSWORD), None).await;
    assert!(response.header("set-cookie").unwrap_or_default().contains("; Secure"));
}

#[tokio::test]
async fn signing_in_returns_to_a_page_on_this_site_and_nowhere_else() {
    let app = TestApp::new().await;
    app.user("alice", Role::Viewer).await;
    let cases = [
        ("/plan/areas/E08000025", "/plan/areas/E08000025"),
        ("//evil.example/", "/staff"),
        ("https://evil.example/", "/staff"),
        ("/\\evil.example", "/staff"),
    ];
    for (next, expected) in cases {
        let body = format!("{}&next={}", form("alice", PASSWORD), encode(next));
        let response = app.post_form("/sign-in", &body, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{next}");
        assert_eq!(response.location(), Some(expected), "{next}");
    }
}

#[tokio::test]
async fn a_wrong_password_and_an_unknown_username_get_the_same_generic_message() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    let wrong = app.post_form("/sign-in", &form("alice", "not the password"), None).await;
    let unknown = app.post_form("/sign-in", &form("nobody", PASSWORD), None).await;
    for response in [&wrong, &unknown] {
        assert_eq!(response.status, StatusCode::UNAUTHORIZED);
        assert!(response.body.contains("There is a problem"), "error summary");
        assert!(response.body.contains("The username or password is not right"));
        assert!(response.body.contains("<title>Error: Sign in - pcplan</title>"));
        assert!(response.header("set-cookie").is_none(), "no session");
    }
    let main = |body: &str| body.replace("value=\"alice\"", "").replace("value=\"nobody\"", "");
    assert_eq!(main(&wrong.body), main(&unknown.body), "nothing tells the two apart");
}

#[tokio::test]
async fn empty_fields_are_named_in_the_error_summary() {
    let app = TestApp::new().await;
    let response = app.post_form("/sign-in", "username=&password=", None).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("<a href=\"#username\">Enter your username</a>"));
    assert!(response.body.contains("<a href=\"#password\">Enter your password</a>"));
    assert!(response.body.contains("govuk-input--error"));
}

#[tokio::test]
async fn a_disabled_account_cannot_sign_in_and_loses_its_sessions() {
    let app = TestApp::new().await;
    let alice = app.user("alice", Role::Editor).await;
    let cookie = app.sign_in("alice", PASSWORD).await.expect("signed in");
    app.store.set_user_active(&Actor::system("test"), alice.id, false).await.expect("disable");
    assert_eq!(app.get("/api/v1/plans", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    assert!(app.sign_in("alice", PASSWORD).await.is_none());
}

#[tokio::test]
async fn signing_out_ends_the_session_and_clears_the_cookie() {
    let app = TestApp::new().await;
    let cookie = app.signed_in(Role::Editor).await;
    assert_eq!(app.get("/api/v1/plans", Some(&cookie)).await.status, StatusCode::OK);
    let response = app.post_form("/sign-out", "", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/"));
    assert!(response.header("set-cookie").unwrap_or_default().contains("Max-Age=0"));
    assert_eq!(app.get("/api/v1/plans", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    // Signing out without a session is harmless.
    assert_eq!(app.post_form("/sign-out", "", None).await.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn a_made_up_or_malformed_session_cookie_counts_as_signed_out() {
    let app = TestApp::new().await;
    for cookie in [format!("pcplan_session={}", "ab".repeat(32)), String::from("pcplan_session=short")] {
        assert_eq!(app.get("/api/v1/plans", Some(&cookie)).await.status, StatusCode::UNAUTHORIZED);
    }
}

#[tokio::test]
async fn signing_in_again_replaces_the_old_session() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    let first = app.sign_in("alice", PASSWORD).await.expect("first");
    let response = app.post_form("/sign-in", &form("alice", PASSWORD), Some(&first)).await;
    let second = response.session_cookie().expect("second");
    assert_ne!(first, second);
    assert_eq!(app.get("/api/v1/plans", Some(&first)).await.status, StatusCode::UNAUTHORIZED);
    assert_eq!(app.get("/api/v1/plans", Some(&second)).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_cross_site_form_post_is_refused() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    let cookie = app.sign_in("alice", PASSWORD).await.expect("signed in");
    let cross_site =
        [("sec-fetch-site", "cross-site"), ("sec-fetch-site", "same-site"), ("origin", "https://evil.example")];
    for (header, value) in cross_site {
        for path in ["/sign-in", "/sign-out", "/api/v1/plans/00000000-0000-0000-0000-000000000000/versions"] {
            let response = app
                .send(
                    request(Method::POST, path, Some(&cookie))
                        .header("host", "pcplan.example")
                        .header(header, value)
                        .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(Body::from(form("alice", PASSWORD)))
                        .expect("request"),
                )
                .await;
            assert_eq!(response.status, StatusCode::FORBIDDEN, "{path} with {header}: {value}");
            assert!(response.body.contains("This form could not be sent"), "{path}: a page says why");
            assert!(response.header("set-cookie").is_none());
        }
    }
    // The same post from the site itself goes through.
    for (header, value) in [("sec-fetch-site", "same-origin"), ("origin", "http://pcplan.example")] {
        let response = app
            .send(
                request(Method::POST, "/sign-in", None)
                    .header("host", "pcplan.example")
                    .header(header, value)
                    .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(form("alice", PASSWORD)))
                    .expect("request"),
            )
            .await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{header}: {value}");
    }
    // A cross-site GET is a plain link and is allowed.
    let response = app
        .send(
            request(Method::GET, "/plan", None).header("sec-fetch-site", "cross-site").body(Body::empty()).expect("r"),
        )
        .await;
    assert_ne!(response.status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn the_public_address_is_trusted_as_an_origin_behind_a_proxy() {
    let config =
        WebConfig { public_base_url: Some(String::from("https://plan.example.org/")), ..common::test_config() };
    let app = TestApp::with_config(config).await;
    app.user("alice", Role::Editor).await;
    let response = app
        .send(
            request(Method::POST, "/sign-in", None)
                .header("host", "internal:8080")
                .header("origin", "https://plan.example.org")
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(form("alice", PASSWORD)))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
}

/// The latest audit entry's action and the id of what it changed.
async fn last_audited(app: &TestApp) -> (String, String) {
    let entries = app.store.audit_log(1, 0).await.expect("read the audit log");
    let entry = entries.first().expect("an audit entry");
    (entry.action.clone(), entry.entity_id.clone())
}

#[tokio::test]
async fn ten_failures_lock_a_username_alike_whether_or_not_an_account_has_it() {
    let app = TestApp::new().await;
    let alice = app.user("alice", Role::Editor).await;
    for username in ["alice", "nobody-here"] {
        for attempt in 1..=9 {
            let response = app.post_form("/sign-in", &form(username, "not the password"), None).await;
            assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{username}, attempt {attempt}");
            assert!(response.body.contains("The username or password is not right"));
        }
        let tenth = app.post_form("/sign-in", &form(username, "not the password"), None).await;
        assert_eq!(tenth.status, StatusCode::TOO_MANY_REQUESTS, "{username}: the tenth failure locks");
        assert!(tenth.body.contains("too many failed sign-ins for this username"), "{}", tenth.body);
        assert!(tenth.body.contains("Try again in 15 minutes"), "{}", tenth.body);
        // Locked: even the right password waits, and the answer is the same for both.
        let right = app.post_form("/sign-in", &form(username, PASSWORD), None).await;
        assert_eq!(right.status, StatusCode::TOO_MANY_REQUESTS, "{username}");
        assert!(right.session_cookie().is_none());
        // Case and spaces do not make a new username.
        let shouted = app.post_form("/sign-in", &form(&format!(" {} ", username.to_uppercase()), PASSWORD), None).await;
        assert_eq!(shouted.status, StatusCode::TOO_MANY_REQUESTS, "{username}");
    }

    // The administrator sees the lock and lifts it; the owner signs in at once.
    let admin = app.signed_in(Role::Admin).await;
    let users = app.get("/staff/users", Some(&admin)).await;
    assert!(users.body.contains("Locked</strong> until"), "the users page shows the lock");
    assert!(users.body.contains(&format!("/staff/users/{}/unlock", alice.id)));
    let unlocked = app.post_form(&format!("/staff/users/{}/unlock", alice.id), "", Some(&admin)).await;
    assert_eq!(unlocked.status, StatusCode::SEE_OTHER);
    assert_eq!(last_audited(&app).await, (String::from("unlock"), alice.id.to_string()));
    let page = app.get(unlocked.location().expect("back to the users page"), Some(&admin)).await;
    assert!(page.body.contains("can sign in again"), "the banner says so");
    assert!(!page.body.contains("Locked</strong> until"));
    assert!(app.sign_in("alice", PASSWORD).await.is_some(), "alice signs in once unlocked");
    // Unlocking an account that is not locked says so and changes nothing.
    let again = app.post_form(&format!("/staff/users/{}/unlock", alice.id), "", Some(&admin)).await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(again.body.contains("is not locked"));
}

#[tokio::test]
async fn a_success_before_the_tenth_failure_starts_the_count_again() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    for _ in 0..9 {
        app.post_form("/sign-in", &form("alice", "not the password"), None).await;
    }
    assert!(app.sign_in("alice", PASSWORD).await.is_some());
    for attempt in 1..=9 {
        let response = app.post_form("/sign-in", &form("alice", "not the password"), None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "attempt {attempt} after the success");
    }
}

#[tokio::test]
async fn a_network_with_too_many_failures_is_refused_before_any_password_is_checked() {
    let limits = pcplan_web::rate_limit::Limits { per_client: 3, ..pcplan_web::rate_limit::Limits::SIGN_IN };
    let app = TestApp::with_config(WebConfig { sign_in_limits: limits, ..common::test_config() }).await;
    app.user("alice", Role::Editor).await;
    // Successes are not counted: an office signing in together is never refused.
    for _ in 0..5 {
        assert!(app.sign_in("alice", PASSWORD).await.is_some());
    }
    for guess in ["one", "two", "three"] {
        let response = app.post_form("/sign-in", &form(guess, "not the password"), None).await;
        assert_eq!(response.status, StatusCode::UNAUTHORIZED, "{guess}");
    }
    let refused = app.post_form("/sign-in", &form("alice", PASSWORD), None).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    assert!(refused.body.contains("too many failed sign-ins from your network"), "{}", refused.body);
    let wait: u64 = refused.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=15 * 60).contains(&wait), "{wait}");
    assert!(refused.session_cookie().is_none());
}

#[tokio::test]
async fn a_new_password_ends_every_other_session_and_keeps_this_browser_signed_in() {
    let app = TestApp::new().await;
    app.user("alice", Role::Editor).await;
    let here = app.sign_in("alice", PASSWORD).await.expect("here");
    let elsewhere = app.sign_in("alice", PASSWORD).await.expect("elsewhere");
    let new = "correct horse battery staple";
    let body =
        format!("current_password={}&new_password={}&confirm_password={}", encode(PASSWORD), encode(new), encode(new));
    let response = app.post_form("/account/password", &body, Some(&here)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    let fresh = response.session_cookie().expect("a new session for this browser");
    assert_ne!(fresh, here);
    assert_eq!(app.get("/api/v1/plans", Some(&fresh)).await.status, StatusCode::OK);
    for (name, old) in [("this browser's old", &here), ("the other", &elsewhere)] {
        assert_eq!(app.get("/api/v1/plans", Some(old)).await.status, StatusCode::UNAUTHORIZED, "{name} session");
    }
}

#[tokio::test]
async fn signing_out_everywhere_ends_every_session_and_is_audited() {
    let app = TestApp::new().await;
    let alice = app.user("alice", Role::Viewer).await;
    let here = app.sign_in("alice", PASSWORD).await.expect("here");
    let elsewhere = app.sign_in("alice", PASSWORD).await.expect("elsewhere");
    let page = app.get("/account/password", Some(&here)).await;
    assert!(page.body.contains("action=\"/account/sign-out-everywhere\""), "the account page offers it");
    let response = app.post_form("/account/sign-out-everywhere", "", Some(&here)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER);
    assert_eq!(response.location(), Some("/sign-in?done=everywhere"));
    assert!(response.header("set-cookie").unwrap_or_default().contains("Max-Age=0"));
    for cookie in [&here, &elsewhere] {
        assert_eq!(app.get("/api/v1/plans", Some(cookie)).await.status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(last_audited(&app).await, (String::from("end_sessions"), alice.id.to_string()));
    let banner = app.get("/sign-in?done=everywhere", None).await;
    assert!(banner.body.contains("You are signed out on every device"));
}
