//! The search pages with the demo: the public page finds published records with their
//! matches marked and never a draft, whoever is signed in; the staff page finds drafts
//! for staff and confidential text only for editors; filters, pages, an empty query and
//! a bad date are answered with the GOV.UK error pattern; hostile text comes back escaped.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{TestApp, encode};
use pcplan_domain::DecisionId;
use pcplan_domain::decision::{Confidentiality, ContactOfficer, DecisionContent, DecisionMaker, Signature};
use pcplan_store::{Actor, Role};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn actor() -> Actor {
    Actor::system("search pages test")
}

fn content(title: &str, decision: &str) -> DecisionContent {
    DecisionContent {
        title: title.to_string(),
        contact: ContactOfficer { name: String::from("Jacky Courtney"), ..Default::default() },
        executive_summary: String::from("A summary for the register."),
        decision: decision.to_string(),
        decision_maker: DecisionMaker {
            office: String::from("West Midlands Police and Crime Commissioner"),
            holder: String::from("Bob Jones"),
        },
        ..Default::default()
    }
}

async fn draft(app: &TestApp, content: &DecisionContent, on: NaiveDate) -> DecisionId {
    let id = DecisionId::new();
    app.store.create_decision(&actor(), id, pcplan_demo::ids::BODY, on, content).await.expect("draft");
    id
}

async fn sign(app: &TestApp, id: DecisionId, on: NaiveDate) {
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: on };
    app.store.sign_decision(&actor(), id, &signature, on).await.expect("sign");
}

fn search_path(base: &str, q: &str) -> String {
    format!("{base}?q={}", encode(q))
}

#[tokio::test]
async fn a_public_search_finds_a_signed_decision_with_its_match_marked_and_never_a_draft() {
    let app = TestApp::with_demo().await;
    let id = draft(&app, &content("Helicopter lease", "That the helicopter is leased."), date(2014, 5, 1)).await;
    let before = app.get(&search_path("/search", "helicopter"), None).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.main().contains("0 results for helicopter"), "{}", before.main());
    assert!(!before.main().contains("Helicopter lease"), "a draft is never public");
    // Signed in, the public page is still the public's view.
    let editor = app.signed_in(Role::Editor).await;
    let as_editor = app.get(&search_path("/search", "helicopter"), Some(&editor)).await;
    assert!(as_editor.main().contains("0 results for helicopter"), "{}", as_editor.main());
    assert!(as_editor.main().contains("href=\"/staff/search?q=helicopter\""), "a way to staff results");

    sign(&app, id, date(2014, 5, 2)).await;
    let decision = app.store.decision(id).await.expect("read").expect("stored");
    let found = app.get(&search_path("/search", "helicopters"), None).await;
    let main = found.main();
    assert!(main.contains("1 result for helicopters"), "{main}");
    assert!(main.contains(&format!("href=\"/decisions/{}\"", decision.number.slug())), "{main}");
    assert!(main.contains("<mark>Helicopter</mark> lease"), "the title's match is marked: {main}");
    assert!(main.contains("<mark>helicopter</mark> is leased"), "the passage's match is marked: {main}");
    assert!(common::squeeze(main).contains("Notice of Decision</strong>, 2 May 2014"), "{main}");
}

#[tokio::test]
async fn staff_find_drafts_on_the_staff_page_and_only_editors_read_a_confidential_notice() {
    let app = TestApp::with_demo().await;
    let id = draft(&app, &content("Helicopter lease", "That the helicopter is leased."), date(2014, 5, 1)).await;
    let secret = DecisionContent {
        confidentiality: Confidentiality::Confidential { exemption: String::from("Commercial interests") },
        ..content("Custody suite catering", "That the contract with Zenithco is renewed.")
    };
    let confidential = draft(&app, &secret, date(2014, 5, 3)).await;

    let anonymous = app.get(&search_path("/staff/search", "helicopter"), None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "staff search needs an account");

    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get(&search_path("/staff/search", "helicopter"), Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main().contains("1 result for helicopter"), "{}", page.main());
    assert!(page.main().contains(&format!("href=\"/staff/decisions/{id}\"")), "{}", page.main());
    assert!(page.main().contains("draft"), "the context says it is a draft");
    assert!(page.main().contains("Working draft of a plan"), "staff filter on drafts too");
    let stub = app.get(&search_path("/staff/search", "Zenithco"), Some(&viewer)).await;
    assert!(stub.main().contains("0 results for zenithco"), "a viewer reads the stub: {}", stub.main());
    let title = app.get(&search_path("/staff/search", "catering"), Some(&viewer)).await;
    assert!(title.main().contains("1 result for catering"), "{}", title.main());

    let editor = app.signed_in(Role::Editor).await;
    let full = app.get(&search_path("/staff/search", "Zenithco"), Some(&editor)).await;
    assert!(full.main().contains("1 result for zenithco"), "{}", full.main());
    assert!(full.main().contains(&format!("href=\"/staff/decisions/{confidential}\"")), "{}", full.main());
}

#[tokio::test]
async fn type_and_date_filters_narrow_the_results() {
    let app = TestApp::with_demo().await;
    for (title, on) in [("Victims fund 2013", date(2013, 6, 1)), ("Victims fund 2014", date(2014, 6, 1))] {
        let id = draft(&app, &content(title, "That the fund is set up."), on).await;
        sign(&app, id, on).await;
    }
    let all = app.get("/search?q=victims", None).await;
    assert!(all.main().contains("</mark> fund 2013") && all.main().contains("/plan/versions/2"), "{}", all.main());
    let decisions = app.get("/search?q=victims&type=decision", None).await;
    assert!(decisions.main().contains("2 results for victims"), "{}", decisions.main());
    assert!(!decisions.main().contains("/plan/versions/"), "{}", decisions.main());
    assert!(decisions.main().contains("value=\"decision\" checked"), "the box stays ticked");
    let dated = app
        .get("/search?q=victims&type=decision&from-day=1&from-month=1&from-year=2014&to-day=&to-month=&to-year=", None)
        .await;
    assert!(dated.main().contains("1 result for victims"), "{}", dated.main());
    assert!(dated.main().contains("</mark> fund 2014") && !dated.main().contains("fund 2013"));
    let plans = app.get("/search?q=victims&type=plan&to-day=1&to-month=1&to-year=2014", None).await;
    assert!(plans.main().contains("1 result for victims"), "only the issued version: {}", plans.main());
    assert!(plans.main().contains("href=\"/plan/versions/2\""), "{}", plans.main());
    let hidden = app.get("/search?q=victims&type=plan_draft", None).await;
    assert_eq!(hidden.status, StatusCode::UNPROCESSABLE_ENTITY, "the public cannot ask for drafts");
    assert!(hidden.main().contains("Select type from the list"), "{}", hidden.main());
}

#[tokio::test]
async fn results_come_in_pages_of_twenty() {
    let app = TestApp::with_demo().await;
    for n in 0..21 {
        let id =
            draft(&app, &content(&format!("Drone grant {n}"), "That the drone grant is made."), date(2014, 4, 1)).await;
        sign(&app, id, date(2014, 4, 2)).await;
    }
    let first = app.get("/search?q=drone", None).await;
    assert!(first.main().contains("21 results for drone"), "{}", first.main());
    assert_eq!(first.main().matches("<h3 class=").count(), 20);
    assert!(first.main().contains("href=\"/search?q=drone&#38;page=2\" rel=\"next\""), "{}", first.main());
    let second = app.get("/search?q=drone&page=2", None).await;
    assert_eq!(second.main().matches("<h3 class=").count(), 1);
    assert!(second.main().contains("rel=\"prev\""));
    let beyond = app.get("/search?q=drone&page=99999999999999999999", None).await;
    assert_eq!(beyond.status, StatusCode::OK, "a page number out of range is the first page");
}

#[tokio::test]
async fn hostile_text_comes_back_escaped_and_never_fails() {
    let app = TestApp::with_demo().await;
    let id = draft(&app, &content("Helicopter <lease> & \"hire\"", "That the helicopter is leased."), date(2014, 5, 1))
        .await;
    sign(&app, id, date(2014, 5, 2)).await;
    let page = app.get(&search_path("/search", "<script>alert(1)</script> helicopter"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("<script>alert"), "the query is escaped");
    assert!(page.main().contains("value=\"&#60;script&#62;alert(1)&#60;/script&#62; helicopter\""), "{}", page.main());
    assert!(page.main().contains("0 results for &#34;script alert 1 script&#34; helicopter"), "{}", page.main());
    let titled = app.get("/search?q=helicopter", None).await;
    assert!(
        titled.main().contains("<mark>Helicopter</mark> &lt;lease&gt; &amp; &quot;hire&quot;"),
        "{}",
        titled.main()
    );
    let long = "helicopter ".repeat(1000);
    for q in [
        "\"",
        "'",
        "-",
        ":",
        "*",
        "NEAR(",
        "AND OR",
        ")(",
        "\\",
        "%",
        "_",
        "'; DROP TABLE search_documents; --",
        "🚁",
        "\u{2}\u{3}",
        long.as_str(),
    ] {
        let response = app.get(&search_path("/search", q), None).await;
        assert!(
            matches!(response.status, StatusCode::OK | StatusCode::UNPROCESSABLE_ENTITY),
            "`{q}` gave {}",
            response.status
        );
        assert!(!response.main().contains("\u{2}"), "no marker reaches the page");
    }
    let still = app.get("/search?q=helicopter", None).await;
    assert!(still.main().contains("1 result for helicopter"), "{}", still.main());
}

#[tokio::test]
async fn an_empty_query_or_a_bad_date_is_refused_naming_the_field() {
    let app = TestApp::with_demo().await;
    let landing = app.get("/search", None).await;
    assert_eq!(landing.status, StatusCode::OK);
    assert!(!landing.main().contains("There is a problem"), "the empty form is no error");

    let empty = app.get("/search?q=+", None).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("<title>Error: Search - pcplan</title>"), "{}", empty.body);
    assert!(empty.main().contains("href=\"#q\">Enter a word to search for"), "{}", empty.main());
    let punctuation = app.get(&search_path("/search", "-burglary"), None).await;
    assert_eq!(punctuation.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(punctuation.main().contains("as well as the words to leave out"), "{}", punctuation.main());

    let bad = app.get("/search?q=burglary&from-day=31&from-month=2&from-year=2014", None).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.main().contains("href=\"#from-day\">From date must be a real date"), "{}", bad.main());
    let part = app.get("/search?q=burglary&to-day=1&to-month=&to-year=2014", None).await;
    assert!(part.main().contains("To date must include a month"), "{}", part.main());
    let order = app
        .get("/search?q=burglary&from-day=1&from-month=1&from-year=2014&to-day=1&to-month=1&to-year=2013", None)
        .await;
    assert!(order.main().contains("To date must be the same as or after the from date"), "{}", order.main());
}

#[tokio::test]
async fn the_header_links_to_search_and_the_staff_start_page_to_staff_search() {
    let app = TestApp::with_demo().await;
    let home = app.get("/", None).await;
    assert!(home.body.contains("href=\"/search\""), "the public navigation");
    let viewer = app.signed_in(Role::Viewer).await;
    let staff = app.get("/staff", Some(&viewer)).await;
    assert!(staff.main().contains("href=\"/staff/search\""), "{}", staff.main());
    let current = app.get("/search", None).await;
    assert!(current.body.contains("href=\"/search\" aria-current=\"true\""), "the page marks its link");
}
