//! The permissions table (`pcplan_web::permissions::RULES`) against the real router, and
//! against every role.
//!
//! The first test reads every route and method out of the router itself (from its
//! `Debug` form, the only list of routes axum keeps) and requires exactly one rule for
//! each, and a route for each rule: a new route without a rule fails here. The second
//! signs in as every role and sends every route the request the table decides: a role
//! the table refuses must be refused (a redirect to sign in, or a 401 under `/api/`, for
//! the public; a 403 for a signed-in role), and a role it allows must get past every
//! check, the handler's own included. Path parameters are dummies, so an allowed request
//! usually ends in "not found" or "check your answers": what matters is that it was not
//! refused. `docs/security.md` carries the table, and the last test keeps it in step.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use axum::http::{Method, StatusCode};
use common::{TestApp, test_config};
use pcplan_store::Role;
use pcplan_web::permissions::{Access, RULES, Rule, markdown, roles_markdown};

/// The routes of the router as `(method, pattern)`, read from its `Debug` output: each
/// route's id with its pattern (`paths: {RouteId(3): "/plan"}`) and each route's id with
/// its method router, whose `allow_header` lists the methods it answers.
fn router_routes() -> BTreeSet<(String, String)> {
    let debug = format!("{:?}", pcplan_web::routes(&test_config()));
    let paths_at = debug.find("paths: {").expect("the router's Debug lists its paths");
    let mut paths = BTreeMap::new();
    let mut rest = &debug[paths_at..];
    while let Some(at) = rest.find("RouteId(") {
        let after = &rest[at + "RouteId(".len()..];
        let id_end = after.find(')').expect("RouteId(n)");
        let id = after[..id_end].to_string();
        let Some(quoted) = after[id_end..].strip_prefix("): \"") else { break };
        let end = quoted.find('"').expect("a quoted path");
        paths.insert(id, quoted[..end].to_string());
        rest = &quoted[end..];
    }
    let mut routes = BTreeSet::new();
    let mut rest = &debug[..paths_at];
    while let Some(at) = rest.find("RouteId(") {
        let after = &rest[at + "RouteId(".len()..];
        let id_end = after.find(')').expect("RouteId(n)");
        let id = after[..id_end].to_string();
        let allow_at = after.find("allow_header: ").expect("each method router has an allow header");
        let allow = &after[allow_at + "allow_header: ".len()..];
        let methods = allow.strip_prefix("Bytes(b\"").map(|m| &m[..m.find('"').unwrap_or(0)]).unwrap_or_default();
        let path = paths.get(&id).unwrap_or_else(|| panic!("route {id} has a path"));
        for method in methods.split(',').filter(|m| !m.is_empty() && *m != "HEAD") {
            routes.insert((method.to_string(), path.clone()));
        }
        rest = &after[allow_at..];
    }
    routes
}

#[test]
fn every_route_of_the_router_has_exactly_one_rule_and_every_rule_a_route() {
    let routes = router_routes();
    assert!(routes.len() > 300, "the router's routes were read: {}", routes.len());
    let mut rules = BTreeSet::new();
    for rule in RULES {
        assert!(rules.insert((rule.method.to_string(), rule.path.to_string())), "two rules for {rule:?}");
    }
    let unruled: Vec<_> = routes.difference(&rules).collect();
    assert!(unruled.is_empty(), "routes with no rule in permissions::RULES (add one each): {unruled:#?}");
    let stale: Vec<_> = rules.difference(&routes).collect();
    assert!(stale.is_empty(), "rules for routes the router does not have: {stale:#?}");
}

/// A path for the pattern with every parameter a dummy that no record has.
fn concrete(pattern: &str) -> String {
    let mut path = String::new();
    let mut rest = pattern;
    while let Some(open) = rest.find('{') {
        path.push_str(&rest[..open]);
        let close = rest[open..].find('}').expect("a closed parameter") + open;
        path.push_str("00000000-0000-0000-0000-0000000000ff");
        rest = &rest[close + 1..];
    }
    path.push_str(rest);
    path
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

/// Whether the response is a refusal, and of which kind.
fn refused(response: &common::TestResponse, path: &str) -> Option<&'static str> {
    match response.status {
        StatusCode::FORBIDDEN => Some("forbidden"),
        StatusCode::UNAUTHORIZED if is_api(path) => Some("unauthenticated"),
        StatusCode::SEE_OTHER if response.location().is_some_and(|l| l.starts_with("/sign-in?next=")) => {
            Some("unauthenticated")
        }
        _ => None,
    }
}

async fn send(app: &TestApp, rule: &Rule, cookie: Option<&str>) -> common::TestResponse {
    let path = concrete(rule.path);
    let method = Method::from_bytes(rule.method.as_bytes()).expect("an HTTP method");
    if method == Method::GET {
        app.get(&path, cookie).await
    } else if is_api(&path) {
        app.send_json(method, &path, &serde_json::json!({}), cookie).await
    } else {
        app.post_form(&path, "", cookie).await
    }
}

#[tokio::test]
async fn every_role_is_let_through_or_refused_exactly_as_the_table_says() {
    let app = TestApp::new().await;
    let mut cookies = vec![(None, None)];
    for role in Role::ALL {
        cookies.push((Some(role), Some(app.signed_in(role).await)));
    }
    // Signing out (here, or everywhere) ends the session, so those go last.
    let mut rules: Vec<&Rule> = RULES.iter().collect();
    rules.sort_by_key(|r| r.path == "/sign-out" || r.path == "/account/sign-out-everywhere");
    let mut wrong = Vec::new();
    for rule in rules {
        for (role, cookie) in &cookies {
            let response = send(&app, rule, cookie.as_deref()).await;
            let allowed = rule.access.allows(*role);
            let who = role.map_or("anonymous", |r| r.as_str());
            match (allowed, refused(&response, rule.path)) {
                (true, Some(kind)) => wrong.push(format!("{} {} {who}: refused ({kind})", rule.method, rule.path)),
                (false, None) => {
                    wrong.push(format!("{} {} {who}: let through ({})", rule.method, rule.path, response.status))
                }
                (false, Some(kind)) => {
                    let expected = if role.is_some() { "forbidden" } else { "unauthenticated" };
                    if kind != expected {
                        wrong.push(format!("{} {} {who}: {kind}, not {expected}", rule.method, rule.path));
                    }
                }
                (true, None) => {}
            }
        }
    }
    assert!(wrong.is_empty(), "{} answers differ from the table:\n{}", wrong.len(), wrong.join("\n"));
}

#[test]
fn the_roles_table_gives_each_role_what_its_name_says() {
    let allowed = |access: Access| -> Vec<Option<Role>> {
        std::iter::once(None).chain(Role::ALL.map(Some)).filter(|r| access.allows(*r)).collect()
    };
    assert_eq!(allowed(Access::Public).len(), 7, "everyone");
    assert_eq!(allowed(Access::Staff), Role::ALL.map(Some).to_vec(), "every signed-in role");
    assert_eq!(allowed(Access::Admin), vec![Some(Role::Admin)]);
    assert_eq!(allowed(Access::Approve), vec![Some(Role::Admin), Some(Role::Approver)]);
    assert_eq!(allowed(Access::Edit), vec![Some(Role::Admin), Some(Role::Editor), Some(Role::Approver)]);
    assert!(
        allowed(Access::Deliver).contains(&Some(Role::Liaison))
            && !allowed(Access::Deliver).contains(&Some(Role::PanelOfficer))
    );
    assert!(
        allowed(Access::Panel).contains(&Some(Role::PanelOfficer))
            && !allowed(Access::Panel).contains(&Some(Role::Liaison))
    );
    assert!(
        !allowed(Access::Deliver).contains(&Some(Role::Viewer))
            && !allowed(Access::Panel).contains(&Some(Role::Viewer))
    );
}

#[test]
fn docs_security_md_carries_the_tables_as_the_code_has_them() {
    let doc = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/security.md"))
        .expect("docs/security.md");
    assert!(
        doc.contains(&roles_markdown()),
        "docs/security.md's roles table is out of date; it should read:\n{}",
        roles_markdown()
    );
    assert!(
        doc.contains(&markdown()),
        "docs/security.md's routes table is out of date; it should read:\n{}",
        markdown()
    );
}
