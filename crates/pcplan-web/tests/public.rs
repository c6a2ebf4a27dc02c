//! The public pages: what anyone sees without signing in, and above all what they never
//! see (drafts, Panel drafts, variation drafts, the working draft).

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::TestApp;
use pcplan_domain::{Area, Body, BodyId, Item, ItemId, Nation, Objective, Plan, PlanId, Record, VersionKind};
use pcplan_store::Actor;

const BIRMINGHAM: &str = "E08000025";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn actor() -> Actor {
    Actor::system("test")
}

/// A plan that has only ever been a draft, sent to the Panel but never issued.
async fn draft_only(app: &TestApp) -> PlanId {
    let body = Body {
        id: BodyId::from_u128(7),
        name: String::from("Testshire Police and Crime Commissioner"),
        office_title: String::from("Police and Crime Commissioner"),
        force_name: String::from("Testshire Police"),
        nation: Nation::England,
        areas: vec![Area { code: String::from("E06000001"), name: String::from("Testtown") }],
        terms: Vec::new(),
    };
    let plan = Plan {
        id: PlanId::from_u128(8),
        body_id: body.id,
        title: String::from("Draft Testshire Plan"),
        starts_on: date(2025, 4, 1),
        ends_on: date(2029, 3, 31),
        vision: String::from("A vision still in draft"),
        items: vec![Item {
            id: ItemId::from_u128(9),
            parent: None,
            serves: Vec::new(),
            illustrative: false,
            record: Record::Objective(Objective {
                reference: String::from("1"),
                title: String::from("Draft-only objective"),
                description: String::new(),
            }),
        }],
    };
    app.store.create_body(&actor(), &body).await.expect("body");
    app.store.create_plan(&actor(), &plan).await.expect("plan");
    app.store
        .make_version(&actor(), plan.id, VersionKind::SentToPanel, "Draft sent to the Panel", Some(date(2025, 2, 1)))
        .await
        .expect("version");
    plan.id
}

#[tokio::test]
async fn the_home_page_names_the_body_and_the_plan_in_force() {
    let app = TestApp::with_demo().await;
    let page = app.get("/", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("West Midlands Police and Crime Commissioner"));
    assert!(page.body.contains("Version 4: Varied"), "{}", page.main());
    assert!(page.body.contains("href=\"/plan\""));
    assert!(page.body.contains(&format!("href=\"/plan/areas/{BIRMINGHAM}\"")));
    assert!(page.body.contains("<html lang=\"en\" class=\"govuk-template\">"));
    assert!(page.body.contains("Skip to main content"));
    assert!(!page.body.contains("Sign out"), "anonymous visitors see no sign-out button");
}

#[tokio::test]
async fn the_plan_page_shows_the_latest_varied_version_with_every_part_of_the_plan() {
    let app = TestApp::with_demo().await;
    let file = pcplan_demo::plan_file();
    let varied = &file.versions[3].plan;
    let page = app.get("/plan", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    assert!(main.contains(&varied.title), "title");
    assert!(main.contains("Version 4: Varied"), "which version");
    assert!(main.contains("25 February 2014"), "effective date");
    assert!(main.contains(&varied.vision), "vision");
    for heading in [
        "id=\"objectives\"",
        "id=\"measures\"",
        "id=\"resources\"",
        "id=\"grants\"",
        "id=\"local-plans\"",
        "id=\"action-plans\"",
        "id=\"versions\"",
    ] {
        assert!(main.contains(heading), "missing {heading}");
    }
    for item in &varied.items {
        if let Record::Objective(objective) = &item.record {
            assert!(main.contains(&askama_escape(&objective.title)), "objective {}", objective.title);
        }
    }
    assert!(main.contains("govuk-tag govuk-tag--grey\">Illustrative"), "illustrative records are tagged");
    assert!(main.contains("Total for"), "resources are totalled");
    assert!(main.contains(&format!("href=\"/plan/areas/{BIRMINGHAM}\"")), "local plans link to area pages");
    assert!(main.contains("href=\"/plan/versions/2\""), "earlier issued versions are listed");
    assert!(!main.contains("href=\"/plan/versions/1\""), "the draft sent to the Panel is not listed");
    assert!(!main.contains("href=\"/plan/versions/3\""), "the variation draft is not listed");
}

/// askama escapes `'` and `&` in text; compare against what the page holds.
fn askama_escape(text: &str) -> String {
    text.replace('&', "&#38;").replace('\'', "&#39;").replace('"', "&#34;").replace('<', "&#60;").replace('>', "&#62;")
}

#[tokio::test]
async fn an_earlier_issued_version_is_readable_by_number_and_says_it_is_not_current() {
    let app = TestApp::with_demo().await;
    let page = app.get("/plan/versions/2", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main().contains("Version 2: Issued"));
    assert!(page.main().contains("This is an earlier version of the plan"));
    assert!(page.main().contains("href=\"/plan\""));
    let current = app.get("/plan/versions/4", None).await;
    assert_eq!(current.status, StatusCode::OK);
    assert!(!current.main().contains("This is an earlier version of the plan"));
}

#[tokio::test]
async fn versions_that_were_never_issued_are_not_found_by_the_public() {
    let app = TestApp::with_demo().await;
    // 1: sent to the Panel; 3: variation draft; 5: does not exist; and nonsense.
    for path in ["/plan/versions/1", "/plan/versions/3", "/plan/versions/5", "/plan/versions/x", "/plan/versions/-1"] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
        assert!(page.body.contains("Page not found"), "{path} renders the 404 page");
    }
}

#[tokio::test]
async fn a_plan_that_has_only_drafts_has_no_public_plan_anywhere() {
    let app = TestApp::new().await;
    draft_only(&app).await;
    let plan = app.get("/plan", None).await;
    assert_eq!(plan.status, StatusCode::NOT_FOUND);
    assert!(plan.body.contains("No plan has been issued yet"));
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("No plan has been issued yet"));
    for page in [&plan, &home] {
        assert!(!page.body.contains("Draft-only objective"));
        assert!(!page.body.contains("Draft Testshire Plan"));
    }
    assert_eq!(app.get("/plan/versions/1", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/plan/areas/E06000001", None).await.status, StatusCode::NOT_FOUND);
    let api = app.get("/api/v1/public/plan", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert!(!api.body.contains("Draft-only objective"));
}

#[tokio::test]
async fn an_empty_installation_says_no_plan_has_been_issued() {
    let app = TestApp::new().await;
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("No plan has been issued yet"));
    let plan = app.get("/plan", None).await;
    assert_eq!(plan.status, StatusCode::NOT_FOUND);
    assert!(plan.body.contains("No plan has been issued yet"));
}

#[tokio::test]
async fn a_variation_drafts_new_objective_never_appears_on_the_public_plan() {
    let app = TestApp::with_demo().await;
    let plan_id = pcplan_demo::plan_file().plan.id;
    let secret = "Objective only in the variation draft";
    let item = Item {
        id: ItemId::from_u128(0xdead_beef),
        parent: None,
        serves: Vec::new(),
        illustrative: false,
        record: Record::Objective(Objective {
            reference: String::from("Z9"),
            title: secret.to_string(),
            description: String::new(),
        }),
    };
    app.store.add_item(&actor(), plan_id, &item).await.expect("add to the working draft");
    let meta = app
        .store
        .make_version(&actor(), plan_id, VersionKind::VariationDraft, "Second variation draft", None)
        .await
        .expect("variation draft");
    assert_eq!(meta.number.0, 5);

    for path in ["/", "/plan", "/plan/versions/2", "/plan/versions/4", "/api/v1/public/plan"] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.body.contains(secret), "{path} shows the variation draft");
    }
    for code in pcplan_demo::AREAS.iter().map(|(code, _)| code) {
        let page = app.get(&format!("/plan/areas/{code}"), None).await;
        assert!(!page.body.contains(secret), "area {code} shows the variation draft");
    }
    assert_eq!(app.get("/plan/versions/5", None).await.status, StatusCode::NOT_FOUND);
    let plan = app.get("/plan", None).await;
    assert!(plan.main().contains("Version 4: Varied"), "the varied version stays in force");
}

#[tokio::test]
async fn an_area_page_shows_its_local_plan_and_the_measures_reported_by_area() {
    let app = TestApp::with_demo().await;
    let page = app.get(&format!("/plan/areas/{BIRMINGHAM}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    assert!(main.contains("<h1 class=\"govuk-heading-xl\">Birmingham</h1>"));
    assert!(main.contains("Measures reported for each area"));
    let unknown = app.get("/plan/areas/E99999999", None).await;
    assert_eq!(unknown.status, StatusCode::NOT_FOUND);
    assert!(unknown.body.contains("Page not found"));
}

#[tokio::test]
async fn the_birmingham_page_renders_as_recorded() {
    let app = TestApp::with_demo().await;
    let page = app.get(&format!("/plan/areas/{BIRMINGHAM}"), None).await;
    insta::assert_snapshot!(page.main());
}

#[tokio::test]
async fn the_public_api_gives_the_plan_in_force_without_sign_in() {
    let app = TestApp::with_demo().await;
    let response = app.get("/api/v1/public/plan", None).await;
    assert_eq!(response.status, StatusCode::OK);
    let json = response.json();
    assert_eq!(json["version"]["number"], 4);
    assert_eq!(json["version"]["kind"], "varied");
    assert_eq!(json["body"]["name"], "West Midlands Police and Crime Commissioner");
    assert_eq!(json["plan"]["title"], pcplan_demo::plan_file().versions[3].plan.title.as_str());
}

#[tokio::test]
async fn pages_carry_the_security_headers() {
    let app = TestApp::with_demo().await;
    for path in ["/", "/plan", "/sign-in", "/no-such-page", "/api/v1/plans", "/assets/govuk-frontend.min.css"] {
        let response = app.get(path, None).await;
        assert_eq!(response.header("x-content-type-options"), Some("nosniff"), "{path}");
        assert_eq!(response.header("x-frame-options"), Some("DENY"), "{path}");
        assert!(response.header("referrer-policy").is_some(), "{path}");
        let csp = response.header("content-security-policy").unwrap_or_default();
        assert!(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), "{path}: {csp}");
        assert_eq!(response.header("strict-transport-security"), None, "{path}: no public https address, no HSTS");
    }
}

#[tokio::test]
async fn a_site_served_over_https_tells_browsers_to_keep_to_it() {
    let config = pcplan_web::WebConfig {
        public_base_url: Some(String::from("https://plan.example-pcc.org.uk")),
        ..common::test_config()
    };
    let app = TestApp::with_config(config).await;
    for path in ["/", "/sign-in", "/no-such-page", "/api/v1/plans"] {
        let response = app.get(path, None).await;
        assert_eq!(response.header("strict-transport-security"), Some("max-age=31536000"), "{path}");
    }
}

#[tokio::test]
async fn unknown_pages_get_a_proper_404_page_and_unknown_api_routes_a_json_404() {
    let app = TestApp::new().await;
    let page = app.get("/no-such-page", None).await;
    assert_eq!(page.status, StatusCode::NOT_FOUND);
    assert!(page.body.contains("Page not found"));
    assert!(page.body.contains("govuk-template"));
    let api = app.get("/api/v1/no-such-thing", None).await;
    assert_eq!(api.status, StatusCode::NOT_FOUND);
    assert_eq!(api.json()["error"]["code"], "not_found");
}

#[tokio::test]
async fn vendored_assets_are_served_from_the_binary_with_types_and_a_long_cache() {
    let app = TestApp::new().await;
    let cases = [
        ("/assets/govuk-frontend.min.css", "text/css; charset=utf-8", ".govuk-"),
        ("/assets/govuk-frontend.min.js", "text/javascript; charset=utf-8", "initAll"),
        ("/assets/init.js", "text/javascript; charset=utf-8", "initAll()"),
        ("/assets/pcplan.css", "text/css; charset=utf-8", ".pcplan-link-button"),
        ("/assets/favicon.svg", "image/svg+xml", "<svg"),
        ("/assets/govuk-frontend-LICENSE.txt", "text/plain; charset=utf-8", "MIT"),
    ];
    for (path, content_type, sample) in cases {
        let response = app.get(path, None).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert_eq!(response.header("content-type"), Some(content_type), "{path}");
        assert!(response.header("cache-control").unwrap_or_default().contains("max-age=31536000"), "{path}");
        assert!(response.body.contains(sample), "{path}");
    }
    assert_eq!(app.get("/assets/nothing.css", None).await.status, StatusCode::NOT_FOUND);
    // Every asset the layout links to exists.
    let home = app.get("/", None).await;
    for href in ["/assets/govuk-frontend.min.css", "/assets/pcplan.css", "/assets/init.js", "/assets/favicon.svg"] {
        assert!(home.body.contains(href), "layout links {href}");
    }
}

#[tokio::test]
async fn the_tests_run_on_the_configured_database() {
    let app = TestApp::new().await;
    let postgres = std::env::var("PCPLAN_TEST_POSTGRES_URL").is_ok_and(|url| !url.trim().is_empty());
    let expected = if postgres { pcplan_store::Backend::Postgres } else { pcplan_store::Backend::Sqlite };
    assert_eq!(app.store.backend(), expected);
}

#[tokio::test]
async fn the_navigation_leads_to_meetings_reports_and_decisions_and_marks_where_you_are() {
    let app = TestApp::with_demo().await;
    for (path, label) in [("/meetings", "Meetings"), ("/reports", "Panel reports"), ("/decisions", "Decisions")] {
        let page = app.get(path, None).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        let current = format!(r#"href="{path}" aria-current="true">{label}</a>"#);
        assert!(page.body.contains(&current), "{path} is marked current: {}", page.body);
        let home = app.get("/", None).await;
        assert!(home.body.contains(&format!(r#"href="{path}">{label}</a>"#)), "the home page links to {path}");
    }
}
