//! Sign-in with an organisation account (OpenID Connect), end to end over real HTTP.
//!
//! Each test starts a fake identity provider: a small axum server on `127.0.0.1:0`
//! serving a discovery document, a key set, an authorization endpoint (which, as a
//! provider does once the person has signed in, sends the browser back with a code)
//! and a token endpoint (which checks the code, the PKCE verifier and the client
//! secret, and signs an ID token with the test-only keys in `tests/data`). pcplan is the
//! whole application in-process, as in every web test, but its calls to the provider
//! are real HTTP requests to that server (HTTPS in one test, with a test-only
//! certificate authority given as `ca_file`); the test plays the browser between the
//! two. Each refusal case bends one thing the provider sends and checks that nobody is
//! signed in.

mod common;

use std::collections::HashMap;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex, OnceLock};

use axum::extract::{Form, Query, State};
use axum::http::header::{AUTHORIZATION, LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use common::{PASSWORD, TestApp, TestResponse};
use pcplan_store::{Actor, NewUser, Role, User};
use pcplan_web::WebConfig;
use pcplan_web::oidc::{OidcOptions, OidcSettings};
use ring::signature::{RSA_PKCS1_SHA256, RsaKeyPair, RsaPublicKeyComponents};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

/// Where the test pretends pcplan is served; the provider sends the browser back here.
const PUBLIC_URL: &str = "http://pcplan.test";
const CLIENT_ID: &str = "6f0c1e2a-pcplan-test-client";
/// With characters that must be encoded in a form and in Basic authentication.
const CLIENT_SECRET: &str = "test secret~/+:=";

const KEY_1: &str = include_str!("data/oidc-test-key-1.pem");
const KEY_2: &str = include_str!("data/oidc-test-key-2.pem");
const TLS_CA: &str = include_str!("data/oidc-test-ca.pem");
const TLS_CERT: &str = include_str!("data/oidc-test-tls-cert.pem");
const TLS_KEY: &str = include_str!("data/oidc-test-tls-key.pem");

fn key_pair(pem: &str) -> RsaKeyPair {
    let body: String = pem.lines().filter(|line| !line.starts_with("-----")).collect();
    let der = STANDARD.decode(body).expect("the test key is base64 PEM");
    RsaKeyPair::from_pkcs8(&der).expect("the test key is a PKCS#8 RSA key")
}

/// One way the provider's ID token is bent, for the refusal cases.
#[derive(Clone, Debug, PartialEq)]
enum Tamper {
    None,
    /// Signed by key 2 under key 1's `kid`.
    Signature,
    Audience,
    Issuer,
    Expired,
    Nonce,
    AlgNone,
    /// HS256 with the client secret as the MAC key: the classic algorithm confusion.
    Hs256,
}

/// A code the authorization endpoint gave out.
struct Grant {
    redirect_uri: String,
    challenge: String,
    nonce: String,
    used: bool,
}

struct ProviderState {
    issuer: String,
    keys: HashMap<String, RsaKeyPair>,
    /// The keys the key set lists.
    published: Vec<String>,
    /// The key ID tokens are signed with.
    signing_kid: String,
    /// The issuer the discovery document names, when it lies.
    discovery_issuer: Option<String>,
    /// Bytes of padding in the discovery document, to test the size limit.
    discovery_padding: usize,
    auth_methods: Vec<&'static str>,
    codes: HashMap<String, Grant>,
    /// The claims that say who signed in.
    person: Value,
    tamper: Tamper,
    key_set_fetches: usize,
}

type Shared = Arc<Mutex<ProviderState>>;

/// The fake identity provider.
struct Provider {
    issuer: String,
    state: Shared,
    server: tokio::task::JoinHandle<()>,
}

impl Drop for Provider {
    fn drop(&mut self) {
        self.server.abort();
    }
}

impl Provider {
    /// The provider over plain HTTP on 127.0.0.1 (allowed for loopback only).
    async fn start() -> Provider {
        Self::start_with(false).await
    }

    /// The provider over HTTPS as `localhost`, with the test certificate
    /// (`tests/data/oidc-test-tls-cert.pem`, signed by `oidc-test-ca.pem`).
    async fn start_tls() -> Provider {
        Self::start_with(true).await
    }

    async fn start_with(tls: bool) -> Provider {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the provider");
        let port = listener.local_addr().expect("address").port();
        let issuer = if tls {
            format!("https://localhost:{port}/tenant-1/v2.0")
        } else {
            format!("http://127.0.0.1:{port}/tenant-1/v2.0")
        };
        let keys = HashMap::from([(String::from("key-1"), key_pair(KEY_1)), (String::from("key-2"), key_pair(KEY_2))]);
        let state = Arc::new(Mutex::new(ProviderState {
            issuer: issuer.clone(),
            keys,
            published: vec![String::from("key-1")],
            signing_kid: String::from("key-1"),
            discovery_issuer: None,
            discovery_padding: 0,
            auth_methods: vec!["client_secret_post", "client_secret_basic"],
            codes: HashMap::new(),
            person: json!({"sub": "person-1", "email": "jane.smith@example-pcc.police.uk"}),
            tamper: Tamper::None,
            key_set_fetches: 0,
        }));
        let router = Router::new()
            .route("/tenant-1/v2.0/.well-known/openid-configuration", get(discovery))
            .route("/tenant-1/v2.0/keys", get(key_set))
            .route("/tenant-1/v2.0/authorize", get(authorize))
            .route("/tenant-1/v2.0/token", post(token))
            .with_state(state.clone());
        let server = if tls {
            tokio::spawn(serve_tls(listener, router))
        } else {
            tokio::spawn(async move {
                let _ = axum::serve(listener, router).await;
            })
        };
        Provider { issuer, state, server }
    }

    fn with<T>(&self, change: impl FnOnce(&mut ProviderState) -> T) -> T {
        change(&mut self.state.lock().expect("provider state"))
    }
}

/// Serves the router over TLS with the test certificate, one connection at a time each
/// on its own task.
async fn serve_tls(listener: tokio::net::TcpListener, router: Router) {
    use tokio_rustls::rustls;
    use tokio_rustls::rustls::pki_types::pem::PemObject;
    use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
    let chain =
        CertificateDer::pem_slice_iter(TLS_CERT.as_bytes()).collect::<Result<Vec<_>, _>>().expect("certificate");
    let key = PrivateKeyDer::from_pem_slice(TLS_KEY.as_bytes()).expect("key");
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .expect("versions")
        .with_no_client_auth()
        .with_single_cert(chain, key)
        .expect("the certificate and key match");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    while let Ok((tcp, _)) = listener.accept().await {
        let (acceptor, router) = (acceptor.clone(), router.clone());
        tokio::spawn(async move {
            let Ok(tls) = acceptor.accept(tcp).await else { return };
            let service = hyper_util::service::TowerToHyperService::new(router);
            let _ = hyper::server::conn::http1::Builder::new()
                .serve_connection(hyper_util::rt::TokioIo::new(tls), service)
                .await;
        });
    }
}

async fn discovery(State(state): State<Shared>) -> Json<Value> {
    let state = state.lock().expect("provider state");
    let base = &state.issuer;
    Json(json!({
        "issuer": state.discovery_issuer.clone().unwrap_or_else(|| base.clone()),
        "authorization_endpoint": format!("{base}/authorize"),
        "token_endpoint": format!("{base}/token"),
        "jwks_uri": format!("{base}/keys"),
        "response_types_supported": ["code"],
        "subject_types_supported": ["pairwise"],
        "id_token_signing_alg_values_supported": ["RS256"],
        "token_endpoint_auth_methods_supported": state.auth_methods,
        "padding": "x".repeat(state.discovery_padding),
    }))
}

async fn key_set(State(state): State<Shared>) -> Json<Value> {
    let mut state = state.lock().expect("provider state");
    state.key_set_fetches += 1;
    let keys: Vec<Value> = state
        .published
        .iter()
        .map(|kid| {
            let public = RsaPublicKeyComponents::<Vec<u8>>::from(state.keys[kid].public());
            json!({"kty": "RSA", "use": "sig", "kid": kid, "alg": "RS256",
                   "n": URL_SAFE_NO_PAD.encode(&public.n), "e": URL_SAFE_NO_PAD.encode(&public.e)})
        })
        .collect();
    Json(json!({ "keys": keys }))
}

fn bad_request(error: &str) -> Response {
    (StatusCode::BAD_REQUEST, Json(json!({"error": error}))).into_response()
}

async fn authorize(State(state): State<Shared>, Query(query): Query<HashMap<String, String>>) -> Response {
    let field = |name: &str| query.get(name).cloned().unwrap_or_default();
    if field("response_type") != "code"
        || field("client_id") != CLIENT_ID
        || field("code_challenge_method") != "S256"
        || field("code_challenge").len() != 43
        || !field("scope").split(' ').any(|s| s == "openid")
        || field("nonce").is_empty()
        || field("state").is_empty()
    {
        return bad_request("invalid_request");
    }
    let code = format!("code-{}", uuid::Uuid::new_v4().simple());
    let grant = Grant {
        redirect_uri: field("redirect_uri"),
        challenge: field("code_challenge"),
        nonce: field("nonce"),
        used: false,
    };
    let location =
        format!("{}?code={}&state={}", grant.redirect_uri, common::encode(&code), common::encode(&field("state")));
    state.lock().expect("provider state").codes.insert(code, grant);
    (StatusCode::FOUND, [(LOCATION, location)]).into_response()
}

/// Undoes form encoding (`%XX`, and `+` for a space).
fn form_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).expect("ASCII");
                out.push(u8::from_str_radix(hex, 16).expect("a percent escape"));
                i += 3;
            }
            b'+' => {
                out.push(b' ');
                i += 1;
            }
            other => {
                out.push(other);
                i += 1;
            }
        }
    }
    String::from_utf8(out).expect("UTF-8")
}

async fn token(State(state): State<Shared>, headers: HeaderMap, Form(form): Form<HashMap<String, String>>) -> Response {
    let mut state = state.lock().expect("provider state");
    let field = |name: &str| form.get(name).cloned().unwrap_or_default();
    // The client authenticates one of the ways the discovery document offers.
    let basic = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Basic "));
    let (id, secret, method) = match basic {
        Some(encoded) => {
            let pair = String::from_utf8(STANDARD.decode(encoded).expect("base64")).expect("UTF-8");
            let (id, secret) = pair.split_once(':').expect("id:secret");
            (form_decode(id), form_decode(secret), "client_secret_basic")
        }
        None => (field("client_id"), field("client_secret"), "client_secret_post"),
    };
    if id != CLIENT_ID || secret != CLIENT_SECRET || !state.auth_methods.contains(&method) {
        return (StatusCode::UNAUTHORIZED, Json(json!({"error": "invalid_client"}))).into_response();
    }
    if field("grant_type") != "authorization_code" {
        return bad_request("unsupported_grant_type");
    }
    let Some(grant) = state.codes.get_mut(&field("code")) else { return bad_request("invalid_grant") };
    if grant.used {
        return bad_request("invalid_grant");
    }
    grant.used = true;
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(field("code_verifier").as_bytes()));
    if grant.redirect_uri != field("redirect_uri") || grant.challenge != challenge {
        return bad_request("invalid_grant");
    }
    let nonce = grant.nonce.clone();
    let id_token = id_token(&state, &nonce);
    Json(json!({"token_type": "Bearer", "access_token": "not-used", "expires_in": 3600, "id_token": id_token}))
        .into_response()
}

/// The ID token the provider issues, bent as `state.tamper` says.
fn id_token(state: &ProviderState, nonce: &str) -> String {
    let now = chrono::Utc::now().timestamp();
    let mut claims = json!({
        "iss": state.issuer, "aud": CLIENT_ID, "iat": now, "nbf": now, "exp": now + 3600, "nonce": nonce,
    });
    for (name, value) in state.person.as_object().expect("claims") {
        claims[name] = value.clone();
    }
    match state.tamper {
        Tamper::Audience => claims["aud"] = json!("someone-else"),
        Tamper::Issuer => claims["iss"] = json!("https://login.example.org/another-tenant/v2.0"),
        Tamper::Expired => {
            claims["iat"] = json!(now - 7200);
            claims["nbf"] = json!(now - 7200);
            claims["exp"] = json!(now - 3600);
        }
        Tamper::Nonce => claims["nonce"] = json!("not-the-nonce"),
        _ => {}
    }
    let alg = match state.tamper {
        Tamper::AlgNone => "none",
        Tamper::Hs256 => "HS256",
        _ => "RS256",
    };
    let header = json!({"alg": alg, "kid": state.signing_kid, "typ": "JWT"});
    let signed =
        format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
    let signature = match state.tamper {
        Tamper::AlgNone => Vec::new(),
        Tamper::Hs256 => {
            let key = ring::hmac::Key::new(ring::hmac::HMAC_SHA256, CLIENT_SECRET.as_bytes());
            ring::hmac::sign(&key, signed.as_bytes()).as_ref().to_vec()
        }
        _ => {
            let kid = if state.tamper == Tamper::Signature { "key-2" } else { state.signing_kid.as_str() };
            let key = &state.keys[kid];
            let mut signature = vec![0; key.public().modulus_len()];
            key.sign(&RSA_PKCS1_SHA256, &ring::rand::SystemRandom::new(), signed.as_bytes(), &mut signature)
                .expect("signing works");
            signature
        }
    };
    format!("{signed}.{}", URL_SAFE_NO_PAD.encode(signature))
}

/// An HTTP GET from the "browser" to the provider (over TLS trusting the test CA for
/// `https://`): the status and `Location`.
async fn browser_get(url: &str) -> (u16, Option<String>) {
    use tokio_rustls::rustls;
    let url = url.to_string();
    tokio::task::spawn_blocking(move || {
        let (https, rest) = match url.strip_prefix("https://") {
            Some(rest) => (true, rest),
            None => (false, url.strip_prefix("http://").expect("an http(s) address")),
        };
        let slash = rest.find('/').unwrap_or(rest.len());
        let (authority, path) = rest.split_at(slash);
        let tcp = std::net::TcpStream::connect(authority).expect("connect to the provider");
        let mut stream: Box<dyn ReadWrite> = if https {
            use rustls::pki_types::pem::PemObject;
            let mut roots = rustls::RootCertStore::empty();
            for ca in rustls::pki_types::CertificateDer::pem_slice_iter(TLS_CA.as_bytes()) {
                roots.add(ca.expect("the test CA")).expect("trusted");
            }
            let config =
                rustls::ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
                    .with_safe_default_protocol_versions()
                    .expect("versions")
                    .with_root_certificates(roots)
                    .with_no_client_auth();
            let host = authority.split(':').next().expect("a host").to_string();
            let name = rustls::pki_types::ServerName::try_from(host).expect("a server name");
            let connection = rustls::ClientConnection::new(Arc::new(config), name).expect("a TLS client");
            Box::new(rustls::StreamOwned::new(connection, tcp))
        } else {
            Box::new(tcp)
        };
        write!(stream, "GET {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\n\r\n").expect("send");
        // Read to the end; a TLS peer that closes without close_notify ends it too.
        let mut bytes = Vec::new();
        let mut buffer = [0u8; 4096];
        while let Ok(read @ 1..) = stream.read(&mut buffer) {
            bytes.extend_from_slice(&buffer[..read]);
        }
        let raw = String::from_utf8_lossy(&bytes).into_owned();
        let status = raw.split(' ').nth(1).and_then(|s| s.parse().ok()).expect("a status line");
        let location = raw
            .lines()
            .take_while(|line| !line.is_empty())
            .find_map(|line| line.strip_prefix("location: ").or_else(|| line.strip_prefix("Location: ")))
            .map(str::to_string);
        (status, location)
    })
    .await
    .expect("the browser thread")
}

trait ReadWrite: Read + Write {}
impl<T: Read + Write> ReadWrite for T {}

/// The application, set up to sign in with the provider.
async fn app_for(provider: &Provider, change: impl FnOnce(&mut OidcOptions)) -> TestApp {
    let mut options = OidcOptions {
        issuer: provider.issuer.clone(),
        client_id: CLIENT_ID.to_string(),
        client_secret: CLIENT_SECRET.to_string(),
        ..OidcOptions::default()
    };
    change(&mut options);
    let settings = OidcSettings::new(options, PUBLIC_URL).expect("test settings are valid");
    TestApp::with_config(WebConfig {
        public_base_url: Some(PUBLIC_URL.to_string()),
        oidc: Some(settings),
        ..common::test_config()
    })
    .await
}

/// An account with an e-mail address.
async fn account(app: &TestApp, username: &str, email: Option<&str>, role: Role, one_time: bool) -> User {
    let hash = pcplan_web::auth::hash_password(PASSWORD, true).expect("hash");
    let new = NewUser {
        username: username.to_string(),
        display_name: format!("Test {username}"),
        role,
        password_hash: hash,
        one_time_password: one_time,
        email: email.map(str::to_string),
    };
    app.store.create_user(&Actor::system("test"), &new).await.expect("create the account")
}

/// `name=value` of a cookie the response sets.
fn set_cookie(response: &TestResponse, name: &str) -> Option<String> {
    response
        .headers
        .get_all(SET_COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .filter_map(|v| v.split(';').next())
        .find(|pair| pair.starts_with(&format!("{name}=")))
        .map(str::to_string)
}

/// One sign-in as far as the provider's redirect back: the flow cookie and the
/// callback path the browser is sent to.
async fn to_callback(app: &TestApp, next: &str) -> (String, String) {
    let start = app.get(&format!("/sign-in/oidc?next={}", common::encode(next)), None).await;
    assert_eq!(start.status, StatusCode::SEE_OTHER, "{}", start.body);
    let flow = set_cookie(&start, "pcplan_oidc").expect("the flow cookie");
    let set = start.header("set-cookie").expect("set-cookie");
    assert!(set.contains("HttpOnly") && set.contains("SameSite=Lax") && set.contains("Max-Age=600"), "{set}");
    let authorize = start.location().expect("to the provider").to_string();
    let (status, back) = browser_get(&authorize).await;
    assert_eq!(status, 302, "the provider signs the person in");
    let back = back.expect("the provider sends the browser back");
    let path = back.strip_prefix(PUBLIC_URL).expect("back to pcplan's public address").to_string();
    assert!(path.starts_with("/sign-in/oidc/callback?"), "{path}");
    (flow, path)
}

/// A whole sign-in: the callback's response, the flow cookie and the callback path.
async fn sign_in(app: &TestApp, next: &str, cookie: Option<&str>) -> (TestResponse, String, String) {
    let (flow, path) = to_callback(app, next).await;
    let cookies = match cookie {
        Some(session) => format!("{flow}; {session}"),
        None => flow.clone(),
    };
    let response = app.get(&path, Some(&cookies)).await;
    (response, flow, path)
}

/// The session cookie a response set, if it set one that is not a removal.
fn session(response: &TestResponse) -> Option<String> {
    set_cookie(response, "pcplan_session").filter(|pair| pair.len() > "pcplan_session=".len())
}

/// Everything the application logged, for the tests that check what was recorded.
static LOG: Mutex<Vec<u8>> = Mutex::new(Vec::new());

struct LogWriter;

impl Write for LogWriter {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        LOG.lock().expect("log").extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

fn capture_logs() {
    static ONCE: OnceLock<()> = OnceLock::new();
    ONCE.get_or_init(|| {
        let _ = tracing_subscriber::fmt()
            .with_writer(|| LogWriter)
            .with_ansi(false)
            .with_max_level(tracing_subscriber::filter::LevelFilter::INFO)
            .try_init();
    });
}

fn logged() -> String {
    String::from_utf8_lossy(&LOG.lock().expect("log")).into_owned()
}

#[tokio::test]
async fn a_person_with_an_account_signs_in_with_their_organisation_account_and_the_session_works() {
    capture_logs();
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    let jane = account(&app, "jsmith", Some("Jane.Smith@Example-PCC.police.uk"), Role::Editor, false).await;
    // A session the browser had before (planted, or left over) is ended by signing in.
    let before = app.sign_in("jsmith", PASSWORD).await.expect("password sign-in");

    let (response, _, _) = sign_in(&app, "/staff/dates", Some(&before)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert_eq!(response.location(), Some("/staff/dates"), "back to the page that was asked for");
    let cookie = session(&response).expect("a new session");
    assert_ne!(cookie, before);
    let set: Vec<&str> = response.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).collect();
    assert!(
        set.iter().any(|c| c.starts_with("pcplan_oidc=;") && c.contains("Max-Age=0")),
        "flow cookie removed: {set:?}"
    );

    let staff = app.get("/staff", Some(&cookie)).await;
    assert_eq!(staff.status, StatusCode::OK, "{}", staff.body);
    assert!(staff.body.contains("Test jsmith"), "signed in as Jane");
    let old = app.get("/staff", Some(&before)).await;
    assert_eq!(old.status, StatusCode::SEE_OTHER, "the session from before is ended");

    // Recorded as a password sign-in is: the log line, with the method.
    let log = logged();
    let line = log
        .lines()
        .find(|line| line.contains("signed in") && line.contains(&jane.id.to_string()) && line.contains("oidc"))
        .unwrap_or_else(|| panic!("the sign-in is logged with its method:\n{log}"));
    assert!(line.contains("sign_in.method"), "{line}");
    assert!(!log.contains(CLIENT_SECRET), "the secret is never logged");
}

#[tokio::test]
async fn the_sign_in_page_offers_the_organisation_button_only_when_it_is_set_up() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |o| o.button_label = String::from("Sign in with your West Midlands account")).await;
    let page = app.get("/sign-in?next=/staff/plans", None).await;
    assert!(page.body.contains("Sign in with your West Midlands account"), "{}", page.main());
    assert!(page.body.contains(r#"href="/sign-in/oidc?next=%2Fstaff%2Fplans""#), "{}", page.main());
    assert!(page.body.contains(r#"role="button""#) && !page.body.contains("<script>"), "a link styled as a button");

    let plain = TestApp::new().await;
    let page = plain.get("/sign-in", None).await;
    assert!(!page.body.contains("/sign-in/oidc"), "no button without a provider");
    assert_eq!(plain.get("/sign-in/oidc", None).await.status, StatusCode::NOT_FOUND);
    assert_eq!(plain.get("/sign-in/oidc/callback?code=x&state=y", None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_client_secret_may_go_as_basic_authentication_when_the_provider_asks() {
    let provider = Provider::start().await;
    provider.with(|p| p.auth_methods = vec!["client_secret_basic"]);
    let app = app_for(&provider, |_| {}).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, false).await;
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert!(session(&response).is_some());
}

#[tokio::test]
async fn entra_tenants_match_the_user_principal_name_to_a_username() {
    let provider = Provider::start().await;
    provider.with(|p| p.person = json!({"sub": "p-2", "preferred_username": "J.Smith@opcc.example.gov.uk"}));
    let app = app_for(&provider, |o| o.claim = String::from("preferred_username")).await;
    account(&app, "j.smith@opcc.example.gov.uk", None, Role::Viewer, false).await;
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let staff = app.get("/staff", session(&response).as_deref()).await;
    assert_eq!(staff.status, StatusCode::OK);
}

#[tokio::test]
async fn an_account_with_a_one_time_password_is_not_sent_to_choose_one_and_the_password_is_retired() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    let jane = account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, true).await;
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let staff = app.get("/staff", session(&response).as_deref()).await;
    assert_eq!(staff.status, StatusCode::OK, "not sent to /account/password");
    assert!(app.sign_in("jsmith", PASSWORD).await.is_none(), "the one-time password no longer works");
    let audit = app.store.audit_log(10, 0).await.expect("audit");
    let entry = audit.iter().find(|e| e.action == "set_password").expect("the change is audited");
    assert_eq!(entry.entity_id, jane.id.to_string());
}

#[tokio::test]
async fn a_callback_whose_state_does_not_match_or_has_no_flow_signs_nobody_in() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, false).await;

    let (flow, path) = to_callback(&app, "/staff").await;
    let (before_state, _) = path.split_once("&state=").expect("a state");
    let wrong = app.get(&format!("{before_state}&state=somebody-elses"), Some(&flow)).await;
    assert_eq!(wrong.status, StatusCode::BAD_REQUEST, "{}", wrong.body);
    assert!(wrong.body.contains("Your sign-in has expired"));
    assert!(session(&wrong).is_none());

    let (_, path) = to_callback(&app, "/staff").await;
    let no_flow = app.get(&path, None).await;
    assert_eq!(no_flow.status, StatusCode::BAD_REQUEST, "a callback without the flow cookie");
    assert!(session(&no_flow).is_none());

    let (flow, path) = to_callback(&app, "/staff").await;
    let forged = format!("{}x", flow);
    let altered = app.get(&path, Some(&forged)).await;
    assert_eq!(altered.status, StatusCode::BAD_REQUEST, "an altered flow cookie");
    assert!(session(&altered).is_none());
}

#[tokio::test]
async fn a_code_is_used_once_whether_pcplan_or_the_provider_notices() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, false).await;

    // The same callback again, cookie and all: pcplan has seen its state.
    let (first, flow, path) = sign_in(&app, "/staff", None).await;
    assert!(session(&first).is_some());
    let again = app.get(&path, Some(&flow)).await;
    assert_eq!(again.status, StatusCode::BAD_REQUEST, "{}", again.body);
    assert!(session(&again).is_none());

    // A code someone else redeemed first: the provider refuses it.
    let (flow, path) = to_callback(&app, "/staff").await;
    provider.with(|p| p.codes.values_mut().for_each(|grant| grant.used = true));
    let stolen = app.get(&path, Some(&flow)).await;
    assert_eq!(stolen.status, StatusCode::BAD_REQUEST, "{}", stolen.body);
    assert!(stolen.body.contains("start again"));
    assert!(session(&stolen).is_none());
}

#[tokio::test]
async fn an_id_token_that_does_not_verify_signs_nobody_in() {
    capture_logs();
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Admin, false).await;
    // Each case with the reason the log must give for it (OIDC Core s.3.1.3.7).
    for (tamper, reason) in [
        (Tamper::Signature, "the ID token's signature does not verify"),
        (Tamper::Audience, "the ID token is not for this client"),
        (Tamper::Issuer, "the ID token was issued by `https://login.example.org/another-tenant/v2.0`"),
        (Tamper::Expired, "the ID token has expired"),
        (Tamper::Nonce, "the ID token's nonce is not the one this sign-in sent"),
        (Tamper::AlgNone, "the ID token is signed with `none`; only RS256 is accepted"),
        (Tamper::Hs256, "the ID token is signed with `HS256`; only RS256 is accepted"),
    ] {
        provider.with(|p| p.tamper = tamper.clone());
        let (response, _, _) = sign_in(&app, "/staff", None).await;
        assert_eq!(response.status, StatusCode::BAD_GATEWAY, "{tamper:?}: {}", response.body);
        assert!(response.body.contains("did not work"), "{tamper:?}");
        assert!(session(&response).is_none(), "{tamper:?} signed someone in");
        assert!(logged().contains(reason), "{tamper:?} is refused because {reason}");
    }
    provider.with(|p| p.tamper = Tamper::None);
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert!(session(&response).is_some(), "the same provider, untampered, works");
}

#[tokio::test]
async fn an_unknown_key_is_fetched_again_once_so_a_rotated_key_works() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, false).await;
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert!(session(&response).is_some());
    assert_eq!(provider.with(|p| p.key_set_fetches), 1, "the key set is fetched once and kept");

    // Signed with a key the key set does not list: fetched again once, then refused.
    provider.with(|p| p.signing_kid = String::from("key-2"));
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY, "{}", response.body);
    assert!(session(&response).is_none());
    assert_eq!(provider.with(|p| p.key_set_fetches), 2, "fetched again once, not more");

    // The provider rotates: the new key is published, and pcplan picks it up.
    provider.with(|p| p.published = vec![String::from("key-2")]);
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert!(session(&response).is_some());
    assert_eq!(provider.with(|p| p.key_set_fetches), 3);
}

#[tokio::test]
async fn people_without_a_usable_account_are_told_to_ask_the_administrator() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |o| o.allowed_domains = vec![String::from("example-pcc.police.uk")]).await;

    let (unknown, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(unknown.status, StatusCode::FORBIDDEN, "{}", unknown.body);
    assert!(unknown.body.contains("You do not have a pcplan account"), "{}", unknown.main());
    assert!(unknown.body.contains("jane.smith@example-pcc.police.uk") && unknown.body.contains("administrator"));
    assert!(session(&unknown).is_none());

    let jane = account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Editor, false).await;
    app.store.set_user_active(&Actor::system("test"), jane.id, false).await.expect("disable");
    let (disabled, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(disabled.status, StatusCode::FORBIDDEN);
    assert!(disabled.body.contains("Your pcplan account is disabled"), "{}", disabled.main());
    assert!(session(&disabled).is_none());

    provider.with(|p| p.person = json!({"sub": "p-9", "email": "someone@another-force.police.uk"}));
    account(&app, "someone", Some("someone@another-force.police.uk"), Role::Admin, false).await;
    let (elsewhere, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(elsewhere.status, StatusCode::FORBIDDEN);
    assert!(elsewhere.body.contains("cannot be used here"), "{}", elsewhere.main());
    assert!(session(&elsewhere).is_none(), "a domain not allowed signs nobody in, even with an account");

    provider.with(|p| p.person = json!({"sub": "p-3", "name": "No Address"}));
    let (no_claim, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(no_claim.status, StatusCode::FORBIDDEN);
    assert!(no_claim.body.contains("`email`"), "{}", no_claim.main());
}

#[tokio::test]
async fn a_provider_that_sends_the_person_back_with_an_error_signs_nobody_in() {
    let provider = Provider::start().await;
    let app = app_for(&provider, |_| {}).await;
    let (flow, path) = to_callback(&app, "/staff").await;
    let state = path.split("&state=").nth(1).expect("a state");
    let refused = app.get(&format!("/sign-in/oidc/callback?error=access_denied&state={state}"), Some(&flow)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    assert!(refused.body.contains("access_denied"));
    assert!(session(&refused).is_none());
}

#[tokio::test]
async fn a_provider_that_cannot_be_reached_gives_a_clear_error_page() {
    // A port nothing listens on any more.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    drop(listener);
    let options = OidcOptions {
        issuer: format!("http://127.0.0.1:{port}/tenant-1/v2.0"),
        client_id: CLIENT_ID.to_string(),
        client_secret: CLIENT_SECRET.to_string(),
        ..OidcOptions::default()
    };
    let config =
        WebConfig { oidc: Some(OidcSettings::new(options, PUBLIC_URL).expect("valid")), ..common::test_config() };
    let app = TestApp::with_config(config).await;
    let response = app.get("/sign-in/oidc", None).await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert!(response.body.contains("cannot be reached"), "{}", response.main());
    assert!(response.body.contains("username and password"), "the other way in is named");
    assert!(set_cookie(&response, "pcplan_oidc").is_none());
}

#[tokio::test]
async fn a_discovery_document_for_another_issuer_or_too_large_is_refused() {
    capture_logs();
    let provider = Provider::start().await;
    provider.with(|p| p.discovery_issuer = Some(String::from("https://login.example.org/another-tenant/v2.0")));
    let app = app_for(&provider, |_| {}).await;
    let response = app.get("/sign-in/oidc", None).await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY, "{}", response.body);
    assert!(response.body.contains("did not work"));
    assert!(logged().contains("names the issuer `https://login.example.org/another-tenant/v2.0`, not the configured"));

    provider.with(|p| {
        p.discovery_issuer = None;
        p.discovery_padding = pcplan_web::oidc::MAX_BODY_BYTES;
    });
    let app = app_for(&provider, |_| {}).await;
    let response = app.get("/sign-in/oidc", None).await;
    assert_eq!(response.status, StatusCode::BAD_GATEWAY, "an answer over 1 MiB is not read");
    assert!(logged().contains(&format!("sent more than {} bytes", pcplan_web::oidc::MAX_BODY_BYTES)));
}

#[tokio::test]
async fn a_provider_that_never_answers_holds_a_sign_in_for_the_timeout_only() {
    // Accepts connections and never answers.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let port = listener.local_addr().expect("address").port();
    let mute = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let options = OidcOptions {
        issuer: format!("http://127.0.0.1:{port}/tenant-1/v2.0"),
        client_id: CLIENT_ID.to_string(),
        client_secret: CLIENT_SECRET.to_string(),
        ..OidcOptions::default()
    };
    let config =
        WebConfig { oidc: Some(OidcSettings::new(options, PUBLIC_URL).expect("valid")), ..common::test_config() };
    let app = TestApp::with_config(config).await;
    let started = std::time::Instant::now();
    let response = app.get("/sign-in/oidc", None).await;
    let waited = started.elapsed();
    mute.abort();
    assert_eq!(response.status, StatusCode::BAD_GATEWAY);
    assert!(response.body.contains("cannot be reached"), "{}", response.main());
    assert!(waited >= pcplan_web::oidc::TIMEOUT && waited < pcplan_web::oidc::TIMEOUT * 2, "{waited:?}");
}

#[tokio::test]
async fn the_whole_flow_works_over_https_trusting_the_authority_of_ca_file() {
    let provider = Provider::start_tls().await;
    assert!(provider.issuer.starts_with("https://localhost:"));
    let ca = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/oidc-test-ca.pem");
    let app = app_for(&provider, |o| o.ca_file = Some(ca)).await;
    account(&app, "jsmith", Some("jane.smith@example-pcc.police.uk"), Role::Viewer, false).await;
    let (response, _, _) = sign_in(&app, "/staff", None).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    assert!(session(&response).is_some());

    // Without the authority the provider's certificate is not trusted.
    let untrusting = app_for(&provider, |_| {}).await;
    let refused = untrusting.get("/sign-in/oidc", None).await;
    assert_eq!(refused.status, StatusCode::BAD_GATEWAY);
}
