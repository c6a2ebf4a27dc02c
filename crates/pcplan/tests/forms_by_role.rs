//! No page offers a role a button it would be refused: every staff page of the full demo
//! (`pcplan demo`'s records), crawled as each signed-in role, shows only forms that post
//! to routes the permissions table lets that role use, and links only to pages it may
//! open. An editor sees no "Sign" button on a decision, a Chief Constable's liaison no
//! "Edit" on the plan, a viewer no form at all that changes anything.
//!
//! The crawl starts at `/staff`, follows the links of every page it reads under
//! `/staff` and `/account`, and reads at most two pages of each route shape (numbers and
//! identifiers counted as one shape), skipping downloads. Forms are read from the HTML:
//! each `<form method="post">`'s `action` (or the page itself when it has none) is looked
//! up in `pcplan_web::permissions` exactly as the router would.

use std::collections::{BTreeSet, HashMap, HashSet, VecDeque};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use http_body_util::BodyExt;
use pcplan_store::{Actor, NewUser, Role, Store};
use pcplan_web::permissions::access_for_path;
use pcplan_web::{AppState, WebConfig};
use tower::ServiceExt;

const PASSWORD: &str = "a long enough test password";

/// Pages read of each route shape.
const PAGES_PER_SHAPE: usize = 2;

struct Site {
    app: axum::Router,
    store: Store,
}

impl Site {
    async fn get(&self, path: &str, cookie: Option<&str>) -> (StatusCode, Option<String>, String) {
        let mut request = Request::get(path);
        if let Some(cookie) = cookie {
            request = request.header(header::COOKIE, cookie);
        }
        self.send(request.body(Body::empty()).expect("a request")).await
    }

    async fn send(&self, request: Request<Body>) -> (StatusCode, Option<String>, String) {
        let response = self.app.clone().oneshot(request).await.expect("the router never fails");
        let status = response.status();
        let content_type = response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(String::from);
        let cookie = response
            .headers()
            .get(header::SET_COOKIE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .map(|pair| pair.trim().to_string());
        let bytes = response.into_body().collect().await.expect("read the body").to_bytes();
        let body = String::from_utf8_lossy(&bytes).into_owned();
        match status {
            StatusCode::SEE_OTHER if cookie.is_some() => (status, cookie, body),
            _ => (status, content_type, body),
        }
    }

    /// A new account of this role, signed in; the `Cookie` header to send.
    async fn signed_in(&self, role: Role) -> String {
        let username = format!("crawl-{}", role.as_str());
        let hash = pcplan_web::auth::hash_password(PASSWORD, true).expect("hash");
        let user = NewUser {
            username: username.clone(),
            display_name: format!("Crawler {}", role.label()),
            role,
            password_hash: hash,
            one_time_password: false,
            email: None,
        };
        self.store.create_user(&Actor::system("test"), &user).await.expect("create the user");
        let form = format!("username={username}&password={}", PASSWORD.replace(' ', "+"));
        let request = Request::post("/sign-in")
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(form))
            .expect("a request");
        let (status, cookie, body) = self.send(request).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{} signs in: {body}", role.label());
        cookie.expect("a session cookie")
    }
}

/// The value of `name="..."` inside one tag, entities for `&` undone.
fn attribute(tag: &str, name: &str) -> Option<String> {
    let lower = tag.to_ascii_lowercase();
    let needle = format!(" {name}=\"");
    let at = lower.find(&needle)? + needle.len();
    let end = tag[at..].find('"')? + at;
    Some(tag[at..end].replace("&amp;", "&"))
}

/// Every opening tag `<name ...>` of the page.
fn tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name} ");
    let mut found = Vec::new();
    let mut rest = html;
    while let Some(at) = rest.find(&open) {
        let tail = &rest[at..];
        let end = tail.find('>').unwrap_or(tail.len());
        found.push(&tail[..end]);
        rest = &tail[end..];
    }
    found
}

/// The path's route shape: segments with a digit in them, or as long as a UUID, as `{}`.
fn shape(path: &str) -> String {
    let path = path.split(['?', '#']).next().unwrap_or(path);
    path.split('/')
        .map(|s| if s.chars().any(|c| c.is_ascii_digit()) || s.len() >= 32 { "{}" } else { s })
        .collect::<Vec<_>>()
        .join("/")
}

/// A link the crawl follows: a staff or account page, not a file.
fn followed(href: &str) -> bool {
    let path = href.split(['?', '#']).next().unwrap_or(href);
    let file = [".pdf", ".docx", ".xlsx", ".csv", ".zip", ".ics", ".json", ".atom", ".xml", ".txt"]
        .iter()
        .any(|ext| path.ends_with(ext));
    (path.starts_with("/staff") || path.starts_with("/account")) && !file && !path.contains("/download")
}

#[test]
fn every_role_is_offered_only_the_forms_and_pages_the_table_lets_it_use() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = format!("sqlite://{}", dir.path().join("demo.db").display());
        let store = Store::connect(&url).await.expect("open");
        pcplan::commands::load_demo(&store).await.expect("demo loads");
        let config = WebConfig { secure_cookies: false, session_hours: 8, argon2_cheap: true, ..WebConfig::default() };
        let site = Site { app: pcplan_web::app(AppState { store: store.clone(), config }), store };

        let mut refused_forms = BTreeSet::new();
        let mut refused_links = BTreeSet::new();
        for role in [Role::Viewer, Role::Liaison, Role::PanelOfficer, Role::Editor, Role::Approver] {
            let cookie = site.signed_in(role).await;
            // Each page to read with the page that links to it.
            let mut queue = VecDeque::from([(String::from("/staff"), String::from("the start"))]);
            let mut seen: HashSet<String> = HashSet::new();
            let mut per_shape: HashMap<String, usize> = HashMap::new();
            let mut pages = 0;
            let mut forms = 0;
            while let Some((path, from)) = queue.pop_front() {
                let count = per_shape.entry(shape(&path)).or_default();
                if *count >= PAGES_PER_SHAPE {
                    continue;
                }
                *count += 1;
                let (status, content_type, html) = site.get(&path, Some(&cookie)).await;
                if status == StatusCode::FORBIDDEN {
                    refused_links.insert(format!("{}: {from} links to {path}, which answers 403", role.label()));
                    continue;
                }
                if status != StatusCode::OK || !content_type.as_deref().is_some_and(|t| t.starts_with("text/html")) {
                    continue;
                }
                pages += 1;
                for form in tags(&html, "form") {
                    let method = attribute(form, "method").unwrap_or_default();
                    if !method.eq_ignore_ascii_case("post") {
                        continue;
                    }
                    forms += 1;
                    let action = attribute(form, "action").filter(|a| !a.is_empty()).unwrap_or_else(|| path.clone());
                    match access_for_path("POST", &action) {
                        Some(access) if access.allows(Some(role)) => {}
                        Some(access) => {
                            refused_forms.insert(format!(
                                "{}: {path} shows a form to {action}, which needs {}",
                                role.label(),
                                access.name()
                            ));
                        }
                        None => panic!("{path} has a form to {action}, which is no route"),
                    }
                }
                for link in tags(&html, "a") {
                    let Some(href) = attribute(link, "href") else { continue };
                    if followed(&href) && seen.insert(href.clone()) {
                        // A link the table refuses is reported when it is read.
                        queue.push_back((href, path.clone()));
                    }
                }
            }
            assert!(pages >= 20, "{} reached {pages} staff pages only", role.label());
            if role != Role::Viewer {
                assert!(forms > 0, "{} was shown no form to post at all", role.label());
            }
            eprintln!("{}: {pages} pages read, {forms} forms checked", role.label());
        }
        let problems: Vec<_> = refused_forms.into_iter().chain(refused_links).collect();
        assert!(problems.is_empty(), "{} offers a role cannot use:\n{}", problems.len(), problems.join("\n"));
    });
}
