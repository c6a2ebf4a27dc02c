//! The staff pages as staff use them: every page renders, forms add and change records,
//! bad input is shown beside the field with what was typed kept, and refusals are
//! explained on the page.
//!
//! Who may post at all is covered route by route in `access.rs`; this file is about
//! what each page does for someone allowed to use it.

mod common;

use axum::http::StatusCode;
use common::{TestApp, encode};
use pcplan_domain::{Record, RecordKind};
use pcplan_store::Role;

fn plan_path() -> String {
    format!("/staff/plans/{}", pcplan_demo::plan_file().plan.id)
}

/// A commitment of the demo, to hang a milestone under.
fn a_commitment() -> pcplan_domain::Item {
    pcplan_demo::plan_file().plan.of_kind(RecordKind::Commitment).next().expect("the demo has commitments").clone()
}

#[tokio::test]
async fn every_staff_page_renders_for_an_editor() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let plan = plan_path();
    let item = a_commitment().id;
    let pages = [
        ("/staff".to_string(), "West Midlands Police and Crime Plan"),
        (plan.clone(), "Working draft"),
        (plan.clone(), "lasts 3 years and 6 months, not four"),
        (format!("{plan}/header"), "Vision"),
        (format!("{plan}/items/new?kind=milestone&parent={item}"), "Due"),
        (format!("{plan}/items/{item}"), "Owner"),
        (format!("{plan}/items/{item}/delete"), "Delete"),
        (format!("{plan}/versions"), "Plan as issued, 28 March 2013"),
        (format!("{plan}/versions/1"), "Draft sent to the Panel"),
        (format!("{plan}/diff?from=2&to=4"), "Summary of variations"),
        (format!("{plan}/diff/print?from=2&to=4"), "Summary of variations"),
        (format!("{plan}/check?version=2"), "s.7(1)(f)"),
        (format!("{plan}/check"), "s.7(1)(a)"),
    ];
    for (path, expected) in pages {
        let response = app.get(&path, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
        assert!(response.body.contains(expected), "{path} should mention {expected:?}");
    }
}

#[tokio::test]
async fn a_viewer_sees_no_buttons_that_change_the_plan() {
    let app = TestApp::with_demo().await;
    let viewer = app.signed_in(Role::Viewer).await;
    let editor = app.signed_in(Role::Editor).await;
    let as_viewer = app.get(&plan_path(), Some(&viewer)).await;
    let as_editor = app.get(&plan_path(), Some(&editor)).await;
    assert!(as_editor.body.contains("Move up"), "editors get the buttons");
    assert!(!as_viewer.body.contains("Move up"), "viewers do not");
    assert!(!as_viewer.body.contains("Add a milestone"));
}

#[tokio::test]
async fn staff_pages_send_anonymous_visitors_to_sign_in() {
    let app = TestApp::with_demo().await;
    for path in ["/staff".to_string(), plan_path(), format!("{}/versions", plan_path()), "/staff/audit".to_string()] {
        let response = app.get(&path, None).await;
        assert_eq!(response.status, StatusCode::SEE_OTHER, "{path}");
        assert!(response.location().unwrap_or_default().starts_with("/sign-in?next="), "{path}");
    }
}

#[tokio::test]
async fn an_editor_adds_a_milestone_with_the_form_and_it_is_stored_and_audited() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let parent = a_commitment().id;
    let body = format!(
        "kind=milestone&parent={parent}&title={}&due-day=30&due-month=9&due-year=2014&status=on_track",
        encode("Knife surrender amnesty evaluated")
    );
    let response = app.post_form(&format!("{}/items", plan_path()), &body, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let plan = app.store.plan(pcplan_demo::plan_file().plan.id).await.expect("plan").expect("exists");
    let added = plan.children(Some(parent)).last().expect("a child");
    match &added.record {
        Record::Milestone(m) => {
            assert_eq!(m.title, "Knife surrender amnesty evaluated");
            assert_eq!(m.due.to_string(), "2014-09-30");
        }
        other => panic!("expected a milestone, got {other:?}"),
    }
    let entry = &app.store.audit_log(1, 0).await.expect("audit")[0];
    assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("create", "item"));
    assert!(entry.actor.contains("editor"), "the audit names who: {}", entry.actor);

    // The plan page then shows it, with a success banner.
    let location = response.location().expect("redirect").to_string();
    let page = app.get(&location, Some(&cookie)).await;
    assert!(page.body.contains("Knife surrender amnesty evaluated"));
    assert!(page.body.contains("govuk-notification-banner--success"), "a success banner");
}

#[tokio::test]
async fn a_bad_date_is_shown_beside_the_field_and_what_was_typed_is_kept() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let parent = a_commitment().id;
    let body = format!(
        "kind=milestone&parent={parent}&title={}&due-day=31&due-month=2&due-year=2014&status=on_track",
        encode("A milestone on a day that never was")
    );
    let before = app.store.plan(pcplan_demo::plan_file().plan.id).await.expect("plan");
    let response = app.post_form(&format!("{}/items", plan_path()), &body, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("<title>Error: "), "the title starts with Error:");
    assert!(response.body.contains("There is a problem"), "an error summary");
    assert!(response.body.contains("href=\"#due-day\""), "the summary links to the field");
    assert!(response.body.contains("must be a real date"), "{}", response.main());
    assert!(response.body.contains("govuk-error-message"), "the message sits beside the field");
    assert!(response.body.contains("A milestone on a day that never was"), "the title typed is kept");
    assert!(response.body.contains("value=\"31\""), "the day typed is kept");
    let after = app.store.plan(pcplan_demo::plan_file().plan.id).await.expect("plan");
    assert_eq!(before, after, "nothing stored");
}

#[tokio::test]
async fn an_editor_changes_and_reorders_a_record() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let file = pcplan_demo::plan_file();
    let objective = file.plan.of_kind(RecordKind::Objective).nth(1).expect("a second objective").clone();
    let form = app.get(&format!("{}/items/{}", plan_path(), objective.id), Some(&cookie)).await;
    assert!(form.body.contains(objective.record.title()), "the form shows the current title");

    let parent = objective.parent.map(|p| p.to_string()).unwrap_or_default();
    let body =
        format!("parent={parent}&reference=2&title={}&description=", encode("Creating stronger partnerships locally"));
    let response = app.post_form(&format!("{}/items/{}", plan_path(), objective.id), &body, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let moved =
        app.post_form(&format!("{}/items/{}/move", plan_path(), objective.id), "direction=up", Some(&cookie)).await;
    assert_eq!(moved.status, StatusCode::SEE_OTHER);
    let plan = app.store.plan(file.plan.id).await.expect("plan").expect("exists");
    let first = plan.children(objective.parent).next().expect("a first sibling");
    assert_eq!(first.id, objective.id, "moved up to first place");
    assert_eq!(first.record.title(), "Creating stronger partnerships locally");
}

#[tokio::test]
async fn deleting_an_objective_with_records_under_it_explains_why_not() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let file = pcplan_demo::plan_file();
    let objective = file
        .plan
        .of_kind(RecordKind::Objective)
        .find(|o| file.plan.children(Some(o.id)).next().is_some())
        .expect("an objective with children")
        .clone();
    let response =
        app.post_form(&format!("{}/items/{}/delete", plan_path(), objective.id), "confirm=yes", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::CONFLICT);
    assert!(response.body.contains("There is a problem"));
    assert!(response.body.contains("under it"), "{}", response.main());
    let plan = app.store.plan(file.plan.id).await.expect("plan").expect("exists");
    assert!(plan.item(objective.id).is_some(), "still there");
}

#[tokio::test]
async fn issuing_a_plan_twice_is_refused_with_the_reason() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Approver).await;
    let response =
        app.post_form(&format!("{}/versions", plan_path()), "kind=issued&label=Issued+again", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("already issued"), "{}", response.main());
    assert_eq!(app.store.versions(pcplan_demo::plan_file().plan.id).await.expect("versions").len(), 4);

    let made = app
        .post_form(
            &format!("{}/versions", plan_path()),
            "kind=variation_draft&label=Variation+2015&effective_on-day=2&effective_on-month=2&effective_on-year=2015",
            Some(&cookie),
        )
        .await;
    assert_eq!(made.status, StatusCode::SEE_OTHER, "{}", made.body);
    assert_eq!(app.store.versions(pcplan_demo::plan_file().plan.id).await.expect("versions").len(), 5);
}

#[tokio::test]
async fn the_summary_of_variations_lists_the_changed_milestones_and_prints_without_navigation() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let page = app.get(&format!("{}/diff?from=2&to=4", plan_path()), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let summary = pcplan_domain::diff_plans(&pcplan_demo::plan_2013(), &pcplan_demo::plan_2014());
    for change in summary.of_kind(RecordKind::Milestone) {
        let escaped = change.title.replace('&', "&amp;").replace('\'', "&#39;");
        assert!(page.body.contains(&escaped), "the page lists milestone {:?}", change.title);
    }
    assert!(page.body.contains("Partnership Summit held"));

    let print = app.get(&format!("{}/diff/print?from=2&to=4", plan_path()), Some(&cookie)).await;
    assert_eq!(print.status, StatusCode::OK);
    assert!(!print.body.contains("govuk-service-navigation"), "no navigation on the printable page");
    assert!(print.body.contains("Summary of variations"));
    assert!(print.body.contains("West Midlands Police and Crime Plan"));
}

#[tokio::test]
async fn only_administrators_manage_users_and_a_new_user_gets_a_one_time_password() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    assert_eq!(app.get("/staff/users", Some(&editor)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.get("/staff/audit", Some(&editor)).await.status, StatusCode::FORBIDDEN);
    let refused = app.post_form("/staff/users", "username=eve&display_name=Eve&role=admin", Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(app.store.user_by_username("eve").await.expect("lookup").is_none());

    let admin = app.signed_in(Role::Admin).await;
    let added =
        app.post_form("/staff/users", "username=pat&display_name=Pat+Performance&role=viewer", Some(&admin)).await;
    assert_eq!(added.status, StatusCode::OK, "{}", added.body);
    assert!(added.body.contains("pat"));
    let (user, _) = app.store.user_by_username("pat").await.expect("lookup").expect("created");
    assert_eq!(user.role, Role::Viewer);

    let promoted = app.post_form(&format!("/staff/users/{}/role", user.id), "role=editor", Some(&admin)).await;
    assert_eq!(promoted.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.user(user.id).await.expect("user").expect("exists").role, Role::Editor);
    let reset = app.post_form(&format!("/staff/users/{}/password", user.id), "", Some(&admin)).await;
    assert_eq!(reset.status, StatusCode::OK, "{}", reset.body);
    assert!(reset.body.contains("Password reset") && reset.header("cache-control") == Some("no-store"));
    assert!(app.store.user(user.id).await.expect("user").expect("exists").must_change_password);
    let disabled = app.post_form(&format!("/staff/users/{}/active", user.id), "active=false", Some(&admin)).await;
    assert_eq!(disabled.status, StatusCode::SEE_OTHER, "{}", disabled.body);
    assert!(!app.store.user(user.id).await.expect("user").expect("exists").active);
}

#[tokio::test]
async fn the_audit_page_shows_the_newest_changes_and_that_the_chain_is_intact() {
    let app = TestApp::with_demo().await;
    let admin = app.signed_in(Role::Admin).await;
    let page = app.get("/staff/audit", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("import"), "the demo import is listed");
    assert!(page.body.to_lowercase().contains("intact"), "{}", page.main());
}

/// The user administration forms, each with a body that would succeed for an
/// administrator; `{user}` is another account.
const USER_CHANGES: &[(&str, &str)] = &[
    ("/staff/users", "username=mallory&display_name=Mallory&role=admin"),
    ("/staff/users/{user}/role", "role=admin"),
    ("/staff/users/{user}/active", "active=false"),
    ("/staff/users/{user}/password", ""),
    ("/staff/users/{user}/email", "email=mallory%40example.org"),
];

#[tokio::test]
async fn only_administrators_may_post_the_user_forms_and_a_refusal_changes_no_account() {
    let app = TestApp::with_demo().await;
    let target = app.user("someone", Role::Viewer).await;
    let viewer = app.signed_in(Role::Viewer).await;
    let editor = app.signed_in(Role::Editor).await;
    let before = app.store.users().await.expect("users");
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    for (path, body) in USER_CHANGES {
        let path = path.replace("{user}", &target.id.to_string());
        let anonymous = app.post_form(&path, body, None).await;
        assert_eq!(anonymous.status, StatusCode::SEE_OTHER, "anonymous {path}");
        assert!(anonymous.location().unwrap_or_default().starts_with("/sign-in?next="), "anonymous {path}");
        for (who, cookie) in [("viewer", &viewer), ("editor", &editor)] {
            let refused = app.post_form(&path, body, Some(cookie)).await;
            assert_eq!(refused.status, StatusCode::FORBIDDEN, "{who} {path}");
            assert!(!refused.body.contains("one-time password"), "{who} {path}: no password shown");
        }
    }
    assert_eq!(app.store.users().await.expect("users"), before, "no account changed");
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before, "nothing audited");
}

#[tokio::test]
async fn an_administrator_cannot_disable_or_demote_their_own_account() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Admin).await;
    let me = app.store.user_by_username("test-admin").await.expect("lookup").expect("exists").0;
    let page = app.get("/staff/users", Some(&cookie)).await;
    assert!(!page.body.contains(&format!("/staff/users/{}/active", me.id)), "no button to disable yourself");

    let cases = [
        ("active", "active=false", "You cannot disable your own account"),
        ("role", "role=viewer", "You cannot change your own role"),
    ];
    for (route, body, message) in cases {
        let response = app.post_form(&format!("/staff/users/{}/{route}", me.id), body, Some(&cookie)).await;
        assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{route}");
        assert!(response.body.contains("There is a problem") && response.body.contains(message), "{route}");
    }
    let after = app.store.user(me.id).await.expect("user").expect("exists");
    assert!(after.active && after.role == Role::Admin, "still an active administrator");
}

#[tokio::test]
async fn a_new_user_with_missing_details_is_refused_beside_each_field() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Admin).await;
    let response = app.post_form("/staff/users", "username=two+words&display_name=", Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Username must not contain spaces", "Enter the display name", "Select the role"] {
        assert!(response.body.contains(message), "{message}: {}", response.main());
    }
    assert!(response.body.contains("value=\"two words\""), "the username typed is kept");
    let taken =
        app.post_form("/staff/users", "username=test-admin&display_name=Again&role=viewer", Some(&cookie)).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", taken.main());
    assert!(taken.body.contains("href=\"#username\""), "a duplicate username is an error on the username");
}

#[tokio::test]
async fn the_printable_summary_has_its_own_strict_policy_and_no_script() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    let print = app.get(&format!("{}/diff/print?from=2&to=4", plan_path()), Some(&cookie)).await;
    let policy = print.header("content-security-policy").unwrap_or_default();
    assert!(policy.contains("style-src 'sha256-"), "{policy}");
    assert!(!policy.contains("unsafe-inline"), "{policy}");
    assert!(!print.body.contains("<script"), "no script");
    assert!(print.body.contains("Plan as issued, 28 March 2013"), "the from version is named");
}

/// Counts opening and closing tags, so a page whose nesting is broken fails loudly.
fn balanced(html: &str, tag: &str) -> bool {
    let opens = html.matches(&format!("<{tag}>")).count() + html.matches(&format!("<{tag} ")).count();
    opens == html.matches(&format!("</{tag}>")).count()
}

#[tokio::test]
async fn the_plan_and_its_versions_are_drawn_as_well_nested_lists() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    for path in [plan_path(), format!("{}/versions/2", plan_path()), format!("{}/versions/4", plan_path())] {
        let page = app.get(&path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for tag in ["ul", "li", "form", "table", "div"] {
            assert!(balanced(page.main(), tag), "{path}: <{tag}> is not balanced");
        }
    }
}

#[tokio::test]
async fn a_version_is_read_only_even_for_an_editor() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let page = app.get(&format!("{}/versions/1", plan_path()), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    for control in ["Move up", "Add a milestone", "/delete\"", "<form method=\"post\""] {
        assert!(!page.main().contains(control), "a version has no {control:?}");
    }
    assert!(page.body.contains("Contents check") || page.body.contains("contents check"));
    assert_eq!(app.get(&format!("{}/versions/99", plan_path()), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_empty_plan_shows_every_missing_element_and_links_to_add_each_kind() {
    let app = TestApp::new().await;
    let demo = pcplan_demo::plan_file();
    let mut plan = demo.plan.clone();
    plan.id = pcplan_domain::PlanId::new();
    plan.items.clear();
    let file = pcplan_domain::PlanFile::new(demo.body.clone(), plan.clone(), Vec::new());
    app.store.import_plan(&pcplan_store::Actor::system("test"), &file).await.expect("import an empty plan");
    let cookie = app.signed_in(Role::Editor).await;
    let base = format!("/staff/plans/{}", plan.id);

    let page = app.get(&base, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("not yet a valid plan"), "{}", page.main());
    for kind in ["objective_group", "objective", "measure", "resource", "grant", "local_plan", "action_plan", "section"]
    {
        assert!(page.body.contains(&format!("items/new?kind={kind}\"")), "an add link for {kind}");
    }
    let check = app.get(&format!("{base}/check"), Some(&cookie)).await;
    assert_eq!(check.status, StatusCode::OK);
    assert_eq!(check.body.matches(">Missing</strong>").count(), 6, "all six s.7(1) elements are missing");
    assert!(check.body.contains("0 of 14 covered"));
    assert!(check.body.contains("add at least one objective"), "the problem says what to do");
    let empty_diff = app.get(&format!("{base}/diff"), Some(&cookie)).await;
    assert_eq!(empty_diff.status, StatusCode::OK);
    assert!(empty_diff.body.contains("There are no variations"));
}

#[tokio::test]
async fn plan_details_with_an_end_before_the_start_are_refused_and_kept() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let body = "title=Plan&vision=Pride&starts_on-day=1&starts_on-month=4&starts_on-year=2013\
                &ends_on-day=31&ends_on-month=3&ends_on-year=2012";
    let response = app.post_form(&format!("{}/header", plan_path()), body, Some(&cookie)).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("href=\"#ends_on-day\""), "{}", response.main());
    assert!(response.body.contains("End date must be the same as or after the start date"));
    assert!(response.body.contains("value=\"2012\""), "the year typed is kept");
    let missing = app.post_form(&format!("{}/header", plan_path()), "title=&vision=", Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    for message in ["Enter the title", "Enter the start date", "Enter the end date"] {
        assert!(missing.body.contains(message), "{message}");
    }
    let plan = app.store.plan(pcplan_demo::plan_file().plan.id).await.expect("plan").expect("exists");
    assert_eq!(plan.title, pcplan_demo::plan_file().plan.title, "nothing stored");
}

#[tokio::test]
async fn unknown_plans_records_kinds_and_pages_are_not_found() {
    let app = TestApp::with_demo().await;
    let admin = app.signed_in(Role::Admin).await;
    let missing = pcplan_domain::PlanId::new();
    let paths = [
        format!("/staff/plans/{missing}"),
        "/staff/plans/not-a-uuid".to_string(),
        format!("{}/items/{}", plan_path(), pcplan_domain::ItemId::new()),
        format!("{}/items/new?kind=spaceship", plan_path()),
        format!("{}/diff?from=two&to=draft", plan_path()),
        format!("{}/check?version=99", plan_path()),
        "/staff/audit?page=0".to_string(),
    ];
    for path in paths {
        let response = app.get(&path, Some(&admin)).await;
        assert_eq!(response.status, StatusCode::NOT_FOUND, "{path}");
        assert!(response.body.contains("Page not found"), "{path}: a proper page, not an empty body");
    }
    let page_two = app.get("/staff/audit?page=2", Some(&admin)).await;
    assert_eq!(page_two.status, StatusCode::OK, "a page past the end is empty, not an error");
}

#[tokio::test]
async fn the_2014_variation_timeline_shows_every_step_and_warns_that_the_papers_were_late() {
    use pcplan_demo::process::variation_steps_2014;
    let app = TestApp::with_demo().await;
    let actor = pcplan_store::Actor::system("test");
    let process = app.store.process(app.with_demo_process(0).await).await.expect("read").expect("process");
    let steps = variation_steps_2014();
    for (step, evidence) in steps.iter().take(4) {
        app.store.record_step(&actor, process.id, *step, evidence).await.expect("step");
    }
    let cookie = app.signed_in(Role::Viewer).await;
    let list = app.get(&format!("{}/processes", plan_path()), Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Varying the plan"));

    let page = app.get(&format!("{}/processes/{}", plan_path(), process.id), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(
        page.body.contains(
            "Papers were late: published 2 clear working days before the meeting, where 5 were due (by 24 January 2014)"
        ),
        "{}",
        page.main()
    );
    assert!(page.body.contains("3 February 2014"));
    assert!(page.body.contains("Not yet"), "issue is refused while the response is missing");
    assert!(page.body.contains("response given to the panel"), "the missing steps are named: {}", page.main());
    assert!(page.body.contains("PRSRA 2011 s.5(6)(c)"), "each step cites the Act");

    for (step, evidence) in steps.iter().skip(4) {
        app.store.record_step(&actor, process.id, *step, evidence).await.expect("step");
    }
    let done = app.get(&format!("{}/processes/{}", plan_path(), process.id), Some(&cookie)).await;
    assert!(done.body.contains("Every step before issue was recorded"), "{}", done.main());
    assert_eq!(done.body.matches("govuk-tag--green\">Done").count(), 10, "all ten steps done");

    let missing =
        app.get(&format!("{}/processes/{}", plan_path(), pcplan_domain::ProcessId::from_u128(9)), Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn an_editor_starts_a_variation_and_records_its_steps_in_order_from_the_page() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let started = app.post_form(&format!("{}/processes", plan_path()), "kind=variation", Some(&editor)).await;
    assert_eq!(started.status, StatusCode::SEE_OTHER, "{}", started.body);
    let page_path = started.location().expect("redirect to the new process").to_string();
    let steps_path = format!("{page_path}/steps");
    let step = |name: &str, day: u32, extra: &str| {
        format!("step={name}&on-day={day}&on-month=1&on-year=2014&by=OPCC&note=recorded{extra}")
    };

    // Out of order: sending to the Panel before the draft exists is refused on the form.
    let refused = app.post_form(&steps_path, &step("sent_to_panel", 29, ""), Some(&editor)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("There is a problem") && refused.body.contains("cannot be recorded yet"),
        "{}",
        refused.main()
    );
    assert!(refused.body.contains("value=\"29\""), "the typed date is kept");

    for (name, day) in [("draft_prepared", 20), ("chief_constable_consulted", 24), ("sent_to_panel", 29)] {
        let done = app.post_form(&steps_path, &step(name, day, "&version=3"), Some(&editor)).await;
        assert_eq!(done.status, StatusCode::SEE_OTHER, "{name}: {}", done.body);
    }
    // The Panel step needs its outcome.
    let no_outcome = app.post_form(&steps_path, &step("panel_report", 31, ""), Some(&editor)).await;
    assert_eq!(no_outcome.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_outcome.body.contains("Select whether the Panel made a report"));
    let with_outcome =
        app.post_form(&steps_path, &step("panel_report", 31, "&panel_outcome=report"), Some(&editor)).await;
    assert_eq!(with_outcome.status, StatusCode::SEE_OTHER);

    let page = app.get(&page_path, Some(&editor)).await;
    assert_eq!(page.body.matches("govuk-tag--green\">Done").count(), 4, "{}", page.main());
    assert!(page.body.contains("response given to the panel"), "issue is refused naming the response");

    // Viewers and anonymous visitors cannot record steps, and nothing is stored.
    let viewer = app.signed_in(Role::Viewer).await;
    let body = step("response_given", 31, "");
    assert_eq!(app.post_form(&steps_path, &body, Some(&viewer)).await.status, StatusCode::FORBIDDEN);
    assert_eq!(app.post_form(&steps_path, &body, None).await.status, StatusCode::SEE_OTHER);
    let processes = app.store.processes(pcplan_demo::plan_file().plan.id).await.expect("processes");
    assert_eq!(processes[0].process.steps.len(), 4);
}
