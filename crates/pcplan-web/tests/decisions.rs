//! The register of Notices of Decision over HTTP: the public register and notice in the
//! layout of decision 018/2013, search and pagination, the Atom feed, the staff forms
//! (errors beside fields, values kept), signing and withdrawal, the API, the "plan
//! issued" step's link to its decision, and that a confidential decision's body leaks
//! through no public page, feed or API, nor to a viewer.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_demo::decisions::{DECISION_018_2013, decisions};
use pcplan_domain::DecisionId;
use pcplan_domain::decision::{Confidentiality, DecisionContent, Signature};
use pcplan_store::{Actor, Role};

/// A phrase that must never be seen outside the staff pages of editors.
const SECRET: &str = "purchase of the Lloyd House annexe for seven million pounds";

async fn demo_with_decisions() -> TestApp {
    let app = TestApp::with_demo().await;
    for decision in decisions() {
        app.store.import_decision(&Actor::system("test"), &decision).await.expect("import decision");
    }
    app
}

fn content(title: &str) -> DecisionContent {
    let mut c = pcplan_demo::decisions::decision_018_2013().content;
    c.title = title.to_string();
    c.plan = None;
    c.note = String::new();
    c
}

/// A signed confidential decision with [`SECRET`] in every part of its body.
async fn confidential(app: &TestApp) -> pcplan_domain::decision::Decision {
    let mut c = content("Estates: acquisition");
    c.confidentiality = Confidentiality::Confidential {
        exemption: String::from("Local Government Act 1972 Sch 12A para 3 (financial or business affairs)"),
    };
    c.executive_summary = format!("Summary: {SECRET}");
    c.decision = format!("Decision: {SECRET}");
    c.facts_and_advice = vec![format!("Facts: {SECRET}")];
    c.financial_implications = format!("Money: {SECRET}");
    let actor = Actor::system("test");
    let today = pcplan_web::today();
    let d = app.store.create_decision(&actor, DecisionId::new(), pcplan_demo::ids::BODY, today, &c).await;
    let d = d.expect("draft");
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
    app.store.sign_decision(&actor, d.id, &signature, today).await.expect("signed")
}

#[tokio::test]
async fn decision_018_2013_is_published_in_the_layout_of_the_seed() {
    let app = demo_with_decisions().await;
    let page = app.get("/decisions/018-2013", None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    let order = [
        "WEST MIDLANDS POLICE AND CRIME COMMISSIONER",
        "NON-CONFIDENTIAL NOTICE OF DECISION",
        "018/2013",
        "Contact Officer:</strong> Jacky Courtney",
        "Telephone Number:</strong> 0121 626 6060",
        "EXECUTIVE SUMMARY",
        "DECISION",
        "approved for issue on 31 March 2013",
        "disclosable pecuniary interests",
        "Signature:</strong> Bob Jones",
        "Date:</strong> 28 March 2013",
        "NON-CONFIDENTIAL FACTS AND ADVICE TO THE WEST MIDLANDS POLICE AND CRIME COMMISSIONER",
        "FINANCIAL IMPLICATIONS",
        "decision 008/2013",
        "LEGAL IMPLICATIONS",
        "EQUALITY IMPLICATIONS",
        "Schedule of Background Papers",
        "Public Access to Information",
    ];
    let mut from = 0;
    for text in order {
        let at = main[from..].find(text).unwrap_or_else(|| panic!("`{text}` after byte {from}: {main}"));
        from += at + text.len();
    }
    assert!(main.contains("<li>Improving public confidence in policing</li>"), "bullets are a list");
    assert!(main.contains("href=\"/plan/versions/2\""), "links to the version it issued");
    assert!(page.body.contains("href=\"/assets/decision-print.css\" media=\"print\""));
    let css = app.get("/assets/decision-print.css", None).await;
    assert_eq!(css.status, StatusCode::OK);
    assert!(css.body.contains(".pcplan-notice"));
    assert_eq!(app.get("/decisions/019-2013", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/decisions/not-a-number", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_public_register_searches_by_number_title_and_date_and_pages() {
    let app = demo_with_decisions().await;
    let all = app.get("/decisions", None).await;
    assert_eq!(all.status, StatusCode::OK);
    assert!(all.body.contains("018/2013") && all.body.contains("011/2014"));
    let by_number = app.get("/decisions?number=11%2F2014", None).await;
    // The search hint says "018/2013", so results are checked by their links.
    let (l2013, l2014) = ("href=\"/decisions/018-2013\"", "href=\"/decisions/011-2014\"");
    assert!(by_number.body.contains(l2014) && !by_number.body.contains(l2013), "{}", by_number.main());
    let by_title = app.get("/decisions?q=variation", None).await;
    assert!(by_title.body.contains(l2014) && !by_title.body.contains(l2013));
    let by_date =
        app.get("/decisions?from-day=1&from-month=1&from-year=2013&to-day=31&to-month=12&to-year=2013", None).await;
    assert!(by_date.body.contains(l2013) && !by_date.body.contains(l2014));
    let bad = app.get("/decisions?number=eighteen&to-day=31&to-month=2&to-year=2014", None).await;
    assert!(bad.body.contains("Number must be a decision number, like 018/2013"), "{}", bad.main());
    assert!(bad.body.contains("To date must be a real date"));
    assert!(bad.body.contains("value=\"eighteen\""), "what was typed is kept");

    // 25 more signed decisions make two pages of 20.
    let actor = Actor::system("test");
    let today = pcplan_web::today();
    for i in 0..25 {
        let paged = content(&format!("Paged {i}"));
        let d = app.store.create_decision(&actor, DecisionId::new(), pcplan_demo::ids::BODY, today, &paged);
        let d = d.await.expect("draft");
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
        app.store.sign_decision(&actor, d.id, &signature, today).await.expect("signed");
    }
    let first = app.get("/decisions", None).await;
    assert!(first.body.contains("27 decisions"));
    assert!(first.body.contains("href=\"/decisions?page=2\""), "{}", first.main());
    let second = app.get("/decisions?page=2", None).await;
    assert!(second.body.contains(l2013), "the oldest numbers are on the last page");
    assert!(!first.body.contains(l2013));
}

#[tokio::test]
async fn the_atom_feed_lists_signed_decisions_with_escaped_text() {
    let app = demo_with_decisions().await;
    let feed = app.get("/decisions.atom", None).await;
    assert_eq!(feed.status, StatusCode::OK);
    assert_eq!(feed.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    assert!(feed.body.starts_with("<?xml version=\"1.0\" encoding=\"utf-8\"?>"));
    assert!(feed.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));
    assert!(feed.body.contains("<id>urn:uuid:"));
    assert!(feed.body.contains("<updated>2014-02-25T00:00:00Z</updated>"));
    assert_eq!(feed.body.matches("<entry>").count(), 2);
    assert!(feed.body.contains(&format!("<id>urn:uuid:{DECISION_018_2013}</id>")));
    assert!(feed.body.contains("<title>018/2013: Police and Crime Plan</title>"));
    assert!(feed.body.contains("href=\"/decisions/018-2013\""));
    assert!(
        feed.body.contains("Commissioner&apos;s website") || feed.body.contains("<summary>The Commissioner, under")
    );
    assert!(feed.body.find("011/2014").expect("2014") < feed.body.find("018/2013").expect("2013"), "newest first");
}

#[tokio::test]
async fn a_confidential_decision_body_appears_on_no_public_page_feed_or_api_nor_to_a_viewer() {
    let app = demo_with_decisions().await;
    let d = confidential(&app).await;
    let slug = d.number.slug();
    let body = pcplan_demo::ids::BODY;
    let public = [
        String::from("/"),
        String::from("/plan"),
        String::from("/decisions"),
        format!("/decisions/{slug}"),
        String::from("/decisions?q=Estates"),
        String::from("/decisions.atom"),
        format!("/bodies/{body}/deadlines.ics"),
        String::from("/api/v1/public/plan"),
        String::from("/api/v1/public/decisions"),
        format!("/api/v1/public/decisions/{slug}"),
    ];
    for path in &public {
        let response = app.get(path, None).await;
        assert!(!response.body.contains("Lloyd House annexe"), "{path} leaks the body: {}", response.body);
    }
    // The stub is public: title, number and exemption.
    let stub = app.get(&format!("/decisions/{slug}"), None).await;
    assert_eq!(stub.status, StatusCode::OK);
    assert!(stub.body.contains("CONFIDENTIAL NOTICE OF DECISION") && stub.body.contains("Estates: acquisition"));
    assert!(stub.body.contains("Sch 12A para 3"));
    let api = app.get(&format!("/api/v1/public/decisions/{slug}"), None).await.json();
    assert_eq!(api["stub"], true);
    assert_eq!(api["exemption"], "Local Government Act 1972 Sch 12A para 3 (financial or business affairs)");
    let feed = app.get("/decisions.atom", None).await;
    assert!(feed.body.contains("Estates: acquisition"), "the stub is in the feed");

    let viewer = app.signed_in(Role::Viewer).await;
    for path in [
        String::from("/staff/decisions"),
        format!("/staff/decisions/{}", d.id),
        String::from("/api/v1/decisions"),
        format!("/api/v1/decisions/{}", d.id),
    ] {
        let response = app.get(&path, Some(&viewer)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}");
        assert!(!response.body.contains("Lloyd House annexe"), "{path} shows a viewer the body");
    }
    let editor = app.signed_in(Role::Editor).await;
    let staff = app.get(&format!("/staff/decisions/{}", d.id), Some(&editor)).await;
    assert!(staff.body.contains(SECRET), "editors read the whole notice");
    let api = app.get(&format!("/api/v1/decisions/{}", d.id), Some(&editor)).await.json();
    assert_eq!(api["stub"], false);
    assert_eq!(api["content"]["decision"], format!("Decision: {SECRET}"));
}

#[tokio::test]
async fn staff_draft_sign_and_withdraw_a_decision_with_numbers_in_order() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Approver).await;
    let form = app.get("/staff/decisions/new", Some(&editor)).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert!(form.body.contains("West Midlands Police and Crime Commissioner"), "the office is filled in");

    let bad = app
        .post_form(
            "/staff/decisions",
            "title=&confidentiality=confidential&exemption=&contact_email=nobody&decision=Agree",
            Some(&editor),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("<a href=\"#title\">Enter the title</a>"), "{}", bad.main());
    assert!(bad.body.contains("Enter the exemption that keeps the decision confidential"));
    assert!(bad.body.contains("`nobody` is not an e-mail address"));
    assert!(bad.body.contains(">Agree</textarea>"), "values are kept");
    assert!(app.store.decisions(&Default::default()).await.expect("list").is_empty(), "nothing stored");

    let good = "title=Estates+strategy&confidentiality=public&contact_name=Jacky+Courtney&executive_summary=Summary\
                &decision=Agree&decision_maker_office=Commissioner&decision_maker_holder=Bob+Jones\
                &facts_and_advice=First.%0D%0A%0D%0ASecond.&background_papers=One%0D%0ATwo";
    let created = app.post_form("/staff/decisions", good, Some(&editor)).await;
    assert_eq!(created.status, StatusCode::SEE_OTHER, "{}", created.body);
    let second = app.post_form("/staff/decisions", good, Some(&editor)).await;
    assert_eq!(second.status, StatusCode::SEE_OTHER);
    let list = app.store.decisions(&Default::default()).await.expect("list");
    let year = pcplan_web::today().format("%Y").to_string();
    let numbers: Vec<String> = list.iter().map(|d| d.number.to_string()).collect();
    assert_eq!(numbers, [format!("002/{year}"), format!("001/{year}")]);
    let first = list[1].clone();
    assert_eq!(first.content.facts_and_advice, ["First.", "Second."]);
    assert_eq!(first.content.background_papers, ["One", "Two"]);

    let page = app.get(created.location().expect("redirect"), Some(&editor)).await;
    assert!(page.body.contains(&format!("Draft saved as decision 001/{year}")), "{}", page.main());
    assert!(page.body.contains("(not signed: draft)"));

    let edit = app
        .post_form(
            &format!("/staff/decisions/{}/edit", first.id),
            &good.replace("Estates+strategy", "Estates+plan"),
            Some(&editor),
        )
        .await;
    assert_eq!(edit.status, StatusCode::SEE_OTHER, "{}", edit.body);

    let today = pcplan_web::today();
    let future = today + chrono::Duration::days(3);
    let sign_body = |d: chrono::NaiveDate| {
        format!(
            "signed_by=Bob+Jones&signed_on-day={}&signed_on-month={}&signed_on-year={}",
            d.format("%-d"),
            d.format("%-m"),
            d.format("%Y")
        )
    };
    let refused =
        app.post_form(&format!("/staff/decisions/{}/sign", first.id), &sign_body(future), Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("is in the future"), "{}", refused.main());
    let signed = app.post_form(&format!("/staff/decisions/{}/sign", first.id), &sign_body(today), Some(&editor)).await;
    assert_eq!(signed.status, StatusCode::SEE_OTHER, "{}", signed.body);
    let public = app.get(&format!("/decisions/001-{year}"), None).await;
    assert!(public.body.contains("Estates plan"), "signed is published");
    let frozen = app.post_form(&format!("/staff/decisions/{}/edit", first.id), good, Some(&editor)).await;
    assert_eq!(frozen.status, StatusCode::UNPROCESSABLE_ENTITY, "a signed decision cannot be edited");

    let empty = app.post_form(&format!("/staff/decisions/{}/withdraw", list[0].id), "reason=", Some(&editor)).await;
    assert!(empty.body.contains("Enter why the draft is withdrawn"));
    let withdrawn =
        app.post_form(&format!("/staff/decisions/{}/withdraw", list[0].id), "reason=Duplicate", Some(&editor)).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    let register = app.get("/decisions", None).await;
    assert!(register.body.contains(&format!("002/{year}")) && register.body.contains("Withdrawn before signature"));
    assert!(app.get(&format!("/decisions/002-{year}"), None).await.status == StatusCode::NOT_FOUND);

    let note = app
        .post_form(
            &format!("/staff/decisions/{}/corrections", first.id),
            "text=Para+2+should+read+third",
            Some(&editor),
        )
        .await;
    assert_eq!(note.status, StatusCode::SEE_OTHER);
    assert!(app.get(&format!("/decisions/001-{year}"), None).await.body.contains("Para 2 should read third"));
}

#[tokio::test]
async fn the_api_creates_signs_and_withdraws_decisions() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Approver).await;
    let body = serde_json::json!({
        "body_id": pcplan_demo::ids::BODY,
        "drafted_on": "2014-02-24",
        "content": serde_json::to_value(content("Varied plan")).expect("json"),
    });
    let created = app.send_json(Method::POST, "/api/v1/decisions", &body, Some(&editor)).await;
    assert_eq!(created.status, StatusCode::CREATED, "{}", created.body);
    let json = created.json();
    assert_eq!(json["reference"], "001/2014");
    let id = json["id"].as_str().expect("id").to_string();
    let mut bad = body.clone();
    bad["content"]["title"] = serde_json::json!("");
    let refused = app.send_json(Method::POST, "/api/v1/decisions", &bad, Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(refused.json()["error"]["problems"][0]["path"], "title");
    let signed = app
        .send_json(
            Method::POST,
            &format!("/api/v1/decisions/{id}/sign"),
            &serde_json::json!({"signed_by": "Bob Jones", "signed_on": "2014-02-25"}),
            Some(&editor),
        )
        .await;
    assert_eq!(signed.status, StatusCode::OK, "{}", signed.body);
    assert_eq!(signed.json()["status"], "signed");
    let again = app.send_json(Method::PUT, &format!("/api/v1/decisions/{id}"), &body["content"], Some(&editor)).await;
    assert_eq!(again.status, StatusCode::CONFLICT);
    let list = app.get("/api/v1/public/decisions?q=varied", None).await.json();
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let settings =
        app.get(&format!("/api/v1/bodies/{}/decision-settings", pcplan_demo::ids::BODY), Some(&editor)).await;
    assert_eq!(settings.json()["year_basis"], "calendar");
}

#[tokio::test]
async fn the_plan_issued_step_links_to_its_decision_on_the_timeline() {
    let app = demo_with_decisions().await;
    let process = app.with_demo_process(10).await;
    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get(&format!("/staff/plans/{}/processes/{process}", pcplan_demo::ids::PLAN), Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(&format!(
            "Issued by <a class=\"govuk-link\" href=\"/staff/decisions/{}\">Decision 011/2014: Variation of the Police and Crime Plan</a>",
            pcplan_demo::decisions::DECISION_VARIATION_2014
        )),
        "{}",
        page.main()
    );

    // A step other than "plan issued" cannot name a decision, and an unsigned one cannot issue.
    let editor = app.signed_in(Role::Editor).await;
    let other = app
        .store
        .create_process(
            &Actor::system("test"),
            pcplan_domain::ProcessId::new(),
            pcplan_demo::ids::PLAN,
            pcplan_domain::process::ProcessKind::Variation,
            None,
        )
        .await
        .expect("process")
        .id;
    let form = format!("step=draft_prepared&on-day=1&on-month=3&on-year=2014&by=OPCC&decision={DECISION_018_2013}");
    let refused = app
        .post_form(&format!("/staff/plans/{}/processes/{other}/steps", pcplan_demo::ids::PLAN), &form, Some(&editor))
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Only the plan issued step is done by a decision"), "{}", refused.main());
}
