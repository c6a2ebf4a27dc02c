//! The in-process test application: a fresh database per test, the whole router, users
//! of each role, and small request helpers.
//!
//! Each [`TestApp`] has its own SQLite file in a temporary directory, or, when
//! `PCPLAN_TEST_POSTGRES_URL` names a PostgreSQL server, its own freshly created
//! database there, dropped again when the test ends (even when it fails). Requests go
//! through `tower::ServiceExt::oneshot`, so no port is opened. The approach follows
//! `crates/pcplan-store/tests/common`, copied rather than shared because test helpers
//! of another crate cannot be imported.

#![allow(dead_code)] // each test file uses a different part of the helpers

pub mod consultation;

use axum::Router;
use axum::body::Body;
use axum::http::header::{CONTENT_TYPE, COOKIE, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, Method, Request, StatusCode};
use http_body_util::BodyExt;
use pcplan_store::{Actor, NewUser, Role, Store, User};
use pcplan_web::{AppState, WebConfig};
use tower::ServiceExt;

/// The password every test user has.
pub const PASSWORD: &str = "a long test password";

/// One test's application and database.
pub struct TestApp {
    pub app: Router,
    pub store: Store,
    pub config: WebConfig,
    cleanup: Cleanup,
}

enum Cleanup {
    Sqlite(#[allow(dead_code)] tempfile::TempDir),
    Postgres { admin_url: String, database: String },
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Cleanup::Postgres { admin_url, database } = &self.cleanup {
            // Drop cannot await; a thread with its own runtime drops the database, so a
            // failed test still leaves nothing behind. FORCE ends the pool's connections.
            let (admin_url, database) = (admin_url.clone(), database.clone());
            let _ = std::thread::spawn(move || {
                let Ok(runtime) = tokio::runtime::Builder::new_current_thread().enable_all().build() else { return };
                runtime.block_on(async move {
                    use sqlx::Connection;
                    if let Ok(mut admin) = sqlx::PgConnection::connect(&admin_url).await {
                        let sql = format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)");
                        let _ = sqlx::query(&sql).execute(&mut admin).await;
                        let _ = admin.close().await;
                    }
                });
            })
            .join();
        }
    }
}

/// The test configuration: plain HTTP cookies, cheap password hashing.
pub fn test_config() -> WebConfig {
    WebConfig { secure_cookies: false, session_hours: 8, argon2_cheap: true, ..WebConfig::default() }
}

impl TestApp {
    /// An empty database.
    pub async fn new() -> TestApp {
        Self::with_config(test_config()).await
    }

    /// An empty database and the given web settings.
    pub async fn with_config(config: WebConfig) -> TestApp {
        let (store, cleanup) = match std::env::var("PCPLAN_TEST_POSTGRES_URL") {
            Ok(url) if !url.trim().is_empty() => postgres(url.trim()).await,
            _ => sqlite().await,
        };
        let app = pcplan_web::app(AppState { store: store.clone(), config: config.clone() });
        TestApp { app, store, config, cleanup }
    }

    /// The demo plan: West Midlands, versions 1 (sent to the Panel), 2 (issued),
    /// 3 (variation draft) and 4 (varied).
    pub async fn with_demo() -> TestApp {
        let app = Self::new().await;
        app.store.import_plan(&Actor::system("test"), &pcplan_demo::plan_file()).await.expect("import the demo");
        app
    }

    /// Adds the demo's Panel meeting of 3 February 2014 and its variation process, with
    /// the first `steps` steps recorded; returns the process.
    pub async fn with_demo_process(&self, steps: usize) -> pcplan_domain::ProcessId {
        use pcplan_demo::process::{panel_meeting_2014, variation_steps_2014};
        let actor = Actor::system("test");
        self.store.create_meeting(&actor, &panel_meeting_2014()).await.expect("meeting");
        let process = self
            .store
            .create_process(
                &actor,
                pcplan_demo::ids::VARIATION_2014,
                pcplan_demo::ids::PLAN,
                pcplan_domain::process::ProcessKind::Variation,
                Some(pcplan_demo::ids::MEETING_2014),
            )
            .await
            .expect("process");
        for (step, evidence) in variation_steps_2014().iter().take(steps) {
            self.store.record_step(&actor, process.id, *step, evidence).await.expect("step");
        }
        process.id
    }

    /// Creates a user with this role and [`PASSWORD`].
    pub async fn user(&self, username: &str, role: Role) -> User {
        let hash = pcplan_web::auth::hash_password(PASSWORD, true).expect("hash");
        self.store
            .create_user(
                &Actor::system("test"),
                &NewUser {
                    username: username.to_string(),
                    display_name: format!("Test {}", role.label()),
                    role,
                    password_hash: hash,
                    one_time_password: false,
                    email: None,
                },
            )
            .await
            .expect("create user")
    }

    /// Creates a user of this role, signs in through `POST /sign-in` and returns the
    /// `Cookie` header value to send.
    pub async fn signed_in(&self, role: Role) -> String {
        let username = format!("test-{}", role.as_str());
        self.user(&username, role).await;
        self.sign_in(&username, PASSWORD).await.expect("sign in")
    }

    /// Signs in; the cookie header value on success.
    pub async fn sign_in(&self, username: &str, password: &str) -> Option<String> {
        let body = format!("username={}&password={}", encode(username), encode(password));
        let response = self.post_form("/sign-in", &body, None).await;
        if response.status != StatusCode::SEE_OTHER {
            return None;
        }
        response.session_cookie()
    }

    /// Sends a request through the whole application.
    pub async fn send(&self, request: Request<Body>) -> TestResponse {
        let response = self.app.clone().oneshot(request).await.expect("the router never fails");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response.into_body().collect().await.expect("read body").to_bytes();
        TestResponse { status, headers, body: String::from_utf8_lossy(&bytes).into_owned(), bytes: bytes.to_vec() }
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> TestResponse {
        self.send(request(Method::GET, path, cookie).body(Body::empty()).expect("request")).await
    }

    pub async fn post_form(&self, path: &str, body: &str, cookie: Option<&str>) -> TestResponse {
        self.send(
            request(Method::POST, path, cookie)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body.to_string()))
                .expect("request"),
        )
        .await
    }

    pub async fn send_json(
        &self,
        method: Method,
        path: &str,
        json: &serde_json::Value,
        cookie: Option<&str>,
    ) -> TestResponse {
        self.send(
            request(method, path, cookie)
                .header(CONTENT_TYPE, "application/json")
                .body(Body::from(json.to_string()))
                .expect("request"),
        )
        .await
    }

    /// Posts a `multipart/form-data` body: each part is (name, file name, bytes).
    pub async fn post_multipart(
        &self,
        path: &str,
        parts: &[(&str, Option<&str>, &[u8])],
        cookie: Option<&str>,
    ) -> TestResponse {
        let (content_type, body) = multipart(parts);
        self.send(
            request(Method::POST, path, cookie)
                .header(CONTENT_TYPE, content_type)
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    pub async fn send_empty(&self, method: Method, path: &str, cookie: Option<&str>) -> TestResponse {
        self.send(request(method, path, cookie).body(Body::empty()).expect("request")).await
    }
}

/// A request builder with the session cookie, if any.
pub fn request(method: Method, path: &str, cookie: Option<&str>) -> axum::http::request::Builder {
    let builder = Request::builder().method(method).uri(path);
    match cookie {
        Some(cookie) => builder.header(COOKIE, cookie),
        None => builder,
    }
}

/// A `multipart/form-data` body and its content type, as a browser sends a form with a
/// file: each part is (name, file name, bytes).
pub fn multipart(parts: &[(&str, Option<&str>, &[u8])]) -> (String, Vec<u8>) {
    const BOUNDARY: &str = "pcplan-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    for (name, file_name, bytes) in parts {
        body.extend_from_slice(format!("--{BOUNDARY}\r\n").as_bytes());
        match file_name {
            Some(file) => body.extend_from_slice(
                format!(
                    "Content-Disposition: form-data; name=\"{name}\"; filename=\"{file}\"\r\n\
                     Content-Type: application/octet-stream\r\n\r\n"
                )
                .as_bytes(),
            ),
            None => {
                body.extend_from_slice(format!("Content-Disposition: form-data; name=\"{name}\"\r\n\r\n").as_bytes())
            }
        }
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={BOUNDARY}"), body)
}

/// Percent-encodes a form value.
pub fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| if b.is_ascii_alphanumeric() { char::from(b).to_string() } else { format!("%{b:02X}") })
        .collect()
}

/// A response, read whole.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
    /// The body as sent, for files that are not text (PDFs, uploads).
    pub bytes: Vec<u8>,
}

impl TestResponse {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn location(&self) -> Option<&str> {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// `pcplan_session=...` from the `Set-Cookie` header, ready to send back.
    pub fn session_cookie(&self) -> Option<String> {
        let set = self.headers.get(SET_COOKIE)?.to_str().ok()?;
        let pair = set.split(';').next()?.trim();
        pair.starts_with("pcplan_session=").then(|| pair.to_string())
    }

    /// The `<main>` element, for snapshots and for checks that ignore the layout.
    pub fn main(&self) -> &str {
        let start = self.body.find("<main").unwrap_or(0);
        let end = self.body.find("</main>").map(|i| i + "</main>".len()).unwrap_or(self.body.len());
        &self.body[start..end]
    }
}

async fn sqlite() -> (Store, Cleanup) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("t.db").display());
    let store = Store::connect(&url).await.expect("open sqlite");
    (store, Cleanup::Sqlite(dir))
}

async fn postgres(admin_url: &str) -> (Store, Cleanup) {
    use sqlx::Connection;
    let database = format!("pcplan_web_test_{}", uuid::Uuid::new_v4().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url).await.expect("connect to PCPLAN_TEST_POSTGRES_URL");
    sqlx::query(&format!("CREATE DATABASE {database}")).execute(&mut admin).await.expect("create database");
    admin.close().await.ok();
    let store = Store::connect(&with_database(admin_url, &database)).await.expect("open postgres");
    (store, Cleanup::Postgres { admin_url: admin_url.to_string(), database })
}

/// Replaces the database name in a PostgreSQL URL.
fn with_database(url: &str, database: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, Some(q)),
        None => (url, None),
    };
    let after_scheme = base.find("://").map(|i| i + 3).unwrap_or(0);
    let base = match base[after_scheme..].find('/') {
        Some(slash) => &base[..after_scheme + slash],
        None => base,
    };
    match query {
        Some(q) => format!("{base}/{database}?{q}"),
        None => format!("{base}/{database}"),
    }
}

/// The text of a PDF as `pdftotext` reads it with `args` (`-layout` keeps a table's
/// columns on one line, `-raw` keeps the order of writing so a wrapped cell reads
/// whole); `None` where pdftotext is not installed. CI installs poppler-utils, so there
/// a missing pdftotext fails the test instead.
pub fn pdf_text(bytes: &[u8], args: &[&str]) -> Option<String> {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("file.pdf");
    std::fs::write(&path, bytes).expect("write the PDF");
    match std::process::Command::new("pdftotext").args(args).arg(&path).arg("-").output() {
        Ok(output) => {
            assert!(output.status.success(), "pdftotext: {}", String::from_utf8_lossy(&output.stderr));
            Some(String::from_utf8_lossy(&output.stdout).into_owned())
        }
        Err(error) => {
            assert!(std::env::var_os("CI").is_none(), "CI installs poppler-utils: {error}");
            None
        }
    }
}

/// Text with every run of white space made one space, for phrases a PDF wraps.
pub fn squeeze(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// One part of a zip package (a DOCX or XLSX file), as text: `word/document.xml`.
pub fn zip_part(bytes: &[u8], name: &str) -> String {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a DOCX or XLSX file is a zip");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|e| panic!("{name} in the package: {e}"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// Checks a Word download as an officer would open it: the Word media type, saved as an
/// attachment, the heading styles defined and used, and the document title in its
/// properties. Returns the body's XML with its character entities decoded (`&apos;` is
/// `'`), for the caller's own checks against plain text.
pub fn word_document(response: &TestResponse, headings: &[&str], title: &str) -> String {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(response.header("content-type"), Some(pcplan_web::print::DOCX));
    assert!(
        response.header("content-disposition").is_some_and(|d| d.starts_with("attachment;") && d.contains(".docx\""))
    );
    let document = zip_part(&response.bytes, "word/document.xml");
    let styles = zip_part(&response.bytes, "word/styles.xml");
    for style in headings {
        assert!(styles.contains(&format!("w:styleId=\"{style}\"")), "styles.xml defines {style}");
        assert!(document.contains(&format!("<w:pStyle w:val=\"{style}\"")), "the document uses {style}");
    }
    let core = zip_part(&response.bytes, "docProps/core.xml");
    assert!(core.contains(title), "the document's title property holds {title:?}: {core}");
    document
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&apos;", "'")
        .replace("&amp;", "&")
}
