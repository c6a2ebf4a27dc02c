//! Sign-in with an organisation account: OpenID Connect's authorization code flow with
//! PKCE (S256), `state` and `nonce`, against the OPCC's own identity provider
//! (Microsoft Entra ID in most police bodies). Off unless [`crate::WebConfig::oidc`] is set.
//!
//! # The flow
//!
//! 1. `GET /sign-in/oidc?next=/staff/...` fetches the provider's discovery document
//!    (`{issuer}/.well-known/openid-configuration`, kept five minutes), whose `issuer`
//!    must equal the configured one, makes a fresh `state`, `nonce` and PKCE verifier,
//!    puts them with the page to return to in the cookie `pcplan_oidc` and redirects
//!    to the provider's authorization endpoint.
//! 2. The person signs in at the provider, which sends the browser back to
//!    `GET /sign-in/oidc/callback?code=...&state=...`.
//! 3. The callback checks `state` against the cookie (and that it was not used
//!    before), exchanges the code at the token endpoint with the verifier and the client
//!    secret, and checks the ID token ([`token`]): RS256 against the provider's key set
//!    (fetched again once when the token names a key not yet seen, as after a key
//!    rotation), `iss`, `aud`/`azp`, the times and the `nonce`.
//! 4. The configured claim (`email` by default, `preferred_username` for most Entra
//!    tenants) names the account: the one active pcplan account whose e-mail address or
//!    username equals it, ignoring case. A new session starts exactly as after a password
//!    sign-in (`auth::start_session`), and the sign-in is logged as a password
//!    sign-in is, with `sign_in.method = "oidc"`.
//!
//! The flow cookie is HttpOnly, SameSite=Lax (the provider's redirect back is a
//! cross-site top-level navigation, which Lax lets through), limited to the path
//! `/sign-in/oidc`, and lives ten minutes. Its content is MACed with a key derived from
//! the client secret, so it cannot be altered, and every server sharing the
//! configuration can finish a flow another one started; no table holds flows.
//!
//! # What it deliberately does not do
//!
//! It creates no account and reads no role from the provider: an administrator makes
//! the account and gives its role, as for password sign-in, and a person without one
//! is told to ask for it. It keeps no access or refresh token and does not sign out of
//! the provider. An account that still has a one-time password (set by an
//! administrator) is not sent to choose one after an organisation sign-in: the
//! one-time password is replaced by a random one nobody knows (audited as the
//! account's own password change), because the person has proved who they are without
//! it and the administrator who saw it should not keep a way in.

mod client;
pub mod token;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::extract::{Query, State};
use axum::http::header::{LOCATION, SET_COOKIE};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::{Extension, Router};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::Utc;
use pcplan_store::{Actor, User};
use ring::hmac;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::PageError;

pub use client::{MAX_BODY_BYTES, TIMEOUT};

/// What the button on the sign-in page says when `button_label` is not set.
pub const DEFAULT_BUTTON_LABEL: &str = "Sign in with your organisation account";

/// The claim of the ID token that names the account, when `claim` is not set.
pub const DEFAULT_CLAIM: &str = "email";

/// The path the provider sends the browser back to, after `public_url`.
pub const CALLBACK_PATH: &str = "/sign-in/oidc/callback";

/// The cookie that carries a flow from its start to its callback.
pub const FLOW_COOKIE: &str = "pcplan_oidc";

/// How long a person has to sign in at the provider, in seconds.
pub const FLOW_SECONDS: i64 = 600;

/// How long a fetched discovery document is used before it is fetched again.
const DISCOVERY_SECONDS: u64 = 300;

/// The `[oidc]` settings as written in the configuration, before they are checked.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OidcOptions {
    pub issuer: String,
    pub client_id: String,
    pub client_secret: String,
    pub button_label: String,
    pub claim: String,
    pub allowed_domains: Vec<String>,
    /// A PEM file of certificate authorities to trust for the provider besides the
    /// Mozilla roots: for a network whose proxy inspects TLS with its own authority.
    pub ca_file: Option<std::path::PathBuf>,
}

/// A setting that cannot be used: which key, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("`{key}` {problem}")]
pub struct OidcConfigError {
    /// The key as written in the configuration: `oidc.issuer`, `public_url`.
    pub key: &'static str,
    pub problem: String,
}

fn refuse(key: &'static str, problem: impl Into<String>) -> OidcConfigError {
    OidcConfigError { key, problem: problem.into() }
}

/// Checked settings of sign-in with an organisation account. `Debug` never shows the
/// client secret.
#[derive(Clone)]
pub struct OidcSettings {
    issuer: String,
    client_id: String,
    client_secret: String,
    button_label: String,
    claim: String,
    allowed_domains: Vec<String>,
    redirect_uri: String,
    ca_file: Option<std::path::PathBuf>,
    /// The certificates of `ca_file`, read once at start.
    extra_roots: Vec<client::Certificate>,
    /// Signs the flow cookie; derived from the client secret, so every server with the
    /// same configuration has the same key.
    cookie_key: hmac::Key,
}

impl std::fmt::Debug for OidcSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OidcSettings")
            .field("issuer", &self.issuer)
            .field("client_id", &self.client_id)
            .field("client_secret", &"***")
            .field("button_label", &self.button_label)
            .field("claim", &self.claim)
            .field("allowed_domains", &self.allowed_domains)
            .field("redirect_uri", &self.redirect_uri)
            .field("ca_file", &self.ca_file)
            .finish()
    }
}

impl OidcSettings {
    /// Checks the settings; `public_url` is the address staff reach pcplan at, which the
    /// provider sends them back to (`{public_url}/sign-in/oidc/callback`). Each error
    /// names the key to fix.
    pub fn new(options: OidcOptions, public_url: &str) -> Result<OidcSettings, OidcConfigError> {
        let issuer = options.issuer.trim().to_string();
        if issuer.is_empty() {
            return Err(refuse(
                "oidc.issuer",
                "is empty; write it like https://login.microsoftonline.com/<tenant id>/v2.0",
            ));
        }
        if issuer.contains(['{', '}', '<', '>']) {
            return Err(refuse(
                "oidc.issuer",
                format!("`{issuer}` still has a placeholder in it; put your directory (tenant) ID in its place"),
            ));
        }
        if issuer.contains(['?', '#']) {
            return Err(refuse("oidc.issuer", format!("`{issuer}` has a query or fragment; give the issuer alone")));
        }
        client::Target::parse(&issuer).map_err(|problem| refuse("oidc.issuer", problem))?;
        let client_id = options.client_id.trim().to_string();
        if client_id.is_empty() {
            return Err(refuse(
                "oidc.client_id",
                "is empty; set it to the application (client) ID of pcplan's registration at the provider",
            ));
        }
        if client_id.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(refuse("oidc.client_id", "has spaces or control characters in it"));
        }
        let client_secret = options.client_secret.trim().to_string();
        if client_secret.is_empty() {
            return Err(refuse(
                "oidc.client_secret",
                "is empty; set it to the client secret's value (preferably as PCPLAN_OIDC__CLIENT_SECRET)",
            ));
        }
        if client_secret.chars().any(char::is_control) {
            return Err(refuse("oidc.client_secret", "has control characters in it"));
        }
        let button_label = match options.button_label.trim() {
            "" => DEFAULT_BUTTON_LABEL.to_string(),
            label if label.chars().count() > 100 => {
                return Err(refuse("oidc.button_label", "is longer than 100 characters"));
            }
            label => label.to_string(),
        };
        let claim = match options.claim.trim() {
            "" => DEFAULT_CLAIM.to_string(),
            claim if claim.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.' | ':')) => {
                claim.to_string()
            }
            claim => {
                return Err(refuse(
                    "oidc.claim",
                    format!("`{claim}` is not a claim name; use `email` or `preferred_username`"),
                ));
            }
        };
        let mut allowed_domains = Vec::new();
        for raw in &options.allowed_domains {
            let domain = raw.trim().trim_start_matches('@').to_lowercase();
            let valid = domain.contains('.')
                && !domain.starts_with(['.', '-'])
                && !domain.ends_with(['.', '-'])
                && domain.chars().all(|c| c.is_alphanumeric() || c == '.' || c == '-');
            if !valid {
                return Err(refuse(
                    "oidc.allowed_domains",
                    format!("`{raw}` is not a domain; write domains like example-pcc.police.uk"),
                ));
            }
            allowed_domains.push(domain);
        }
        let public_url = public_url.trim().trim_end_matches('/');
        let uri: axum::http::Uri =
            public_url.parse().map_err(|_| refuse("public_url", format!("`{public_url}` is not a web address")))?;
        if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.authority().is_none() {
            return Err(refuse(
                "public_url",
                format!(
                    "`{public_url}` is not an absolute http(s) address; sign-in with an organisation account needs it"
                ),
            ));
        }
        let redirect_uri = format!("{public_url}{CALLBACK_PATH}");
        let extra_roots = match &options.ca_file {
            None => Vec::new(),
            Some(path) => {
                let pem = std::fs::read(path)
                    .map_err(|e| refuse("oidc.ca_file", format!("`{}` cannot be read: {e}", path.display())))?;
                let roots = client::read_certificates(&pem)
                    .map_err(|e| refuse("oidc.ca_file", format!("`{}`: {e}", path.display())))?;
                // Checked now, so a certificate rustls will not trust stops the start.
                client::HttpClient::new(&roots).map_err(|e| refuse("oidc.ca_file", e))?;
                roots
            }
        };
        let derived = Sha256::new().chain_update(b"pcplan oidc flow cookie\0").chain_update(client_secret.as_bytes());
        let cookie_key = hmac::Key::new(hmac::HMAC_SHA256, &derived.finalize());
        Ok(OidcSettings {
            issuer,
            client_id,
            client_secret,
            button_label,
            claim,
            allowed_domains,
            redirect_uri,
            ca_file: options.ca_file,
            extra_roots,
            cookie_key,
        })
    }

    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    pub fn client_id(&self) -> &str {
        &self.client_id
    }

    pub fn button_label(&self) -> &str {
        &self.button_label
    }

    pub fn claim(&self) -> &str {
        &self.claim
    }

    pub fn allowed_domains(&self) -> &[String] {
        &self.allowed_domains
    }

    /// The address to register at the provider: `{public_url}/sign-in/oidc/callback`.
    pub fn redirect_uri(&self) -> &str {
        &self.redirect_uri
    }
}

/// The organisation sign-in button of the sign-in page.
#[derive(Clone, Debug)]
pub struct SignInButton {
    pub label: String,
    /// `/sign-in/oidc`, with the page to return to.
    pub href: String,
}

/// The button for the sign-in page, when sign-in with an organisation account is on.
pub fn sign_in_button(config: &crate::WebConfig, next: &str) -> Option<SignInButton> {
    let settings = config.oidc.as_ref()?;
    let href = match crate::auth::safe_next(next) {
        Some(next) => format!("/sign-in/oidc?next={}", client::form_value(next)),
        None => String::from("/sign-in/oidc"),
    };
    Some(SignInButton { label: settings.button_label.clone(), href })
}

/// Compares two secrets in time that does not depend on where they differ.
pub(crate) fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The provider's discovery document: the parts pcplan uses.
#[derive(Clone, Debug, Deserialize)]
struct Discovery {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    jwks_uri: String,
    #[serde(default)]
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    id_token_signing_alg_values_supported: Option<Vec<String>>,
}

/// How the client secret goes to the token endpoint.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum ClientAuth {
    /// `client_id` and `client_secret` in the form.
    Post,
    /// HTTP Basic authentication, the default of OIDC Discovery when none is listed.
    Basic,
}

impl Discovery {
    fn client_auth(&self) -> Option<ClientAuth> {
        match &self.token_endpoint_auth_methods_supported {
            None => Some(ClientAuth::Basic),
            Some(methods) if methods.iter().any(|m| m == "client_secret_post") => Some(ClientAuth::Post),
            Some(methods) if methods.iter().any(|m| m == "client_secret_basic") => Some(ClientAuth::Basic),
            Some(_) => None,
        }
    }
}

/// What one application keeps between requests: the HTTP client, the last discovery
/// document and key set, and the `state`s already used.
struct Runtime {
    client: Result<client::HttpClient, String>,
    discovery: Mutex<Option<(Instant, Arc<Discovery>)>>,
    keys: Mutex<Option<Arc<Vec<token::Jwk>>>>,
    /// Each `state` is accepted once; kept until its flow would have expired anyway.
    spent: Mutex<HashMap<String, i64>>,
}

/// The most `state`s remembered. Only a flow with a genuine cookie adds one; past this
/// the expired ones are dropped, and if that is not enough all are, leaving the
/// provider's own refusal of a used code as the guard against a replay.
const MAX_SPENT: usize = 50_000;

impl Runtime {
    fn new(settings: Option<&OidcSettings>) -> Runtime {
        Runtime {
            client: client::HttpClient::new(settings.map(|s| s.extra_roots.as_slice()).unwrap_or_default()),
            discovery: Mutex::new(None),
            keys: Mutex::new(None),
            spent: Mutex::new(HashMap::new()),
        }
    }

    fn client(&self) -> Result<&client::HttpClient, Refusal> {
        self.client.as_ref().map_err(|e| Refusal::Internal(e.clone()))
    }

    /// The discovery document, fetched when none younger than five minutes is held,
    /// and checked.
    async fn discovery(&self, settings: &OidcSettings) -> Result<Arc<Discovery>, Refusal> {
        if let Some((at, held)) = self.discovery.lock().map_err(poisoned)?.as_ref()
            && at.elapsed().as_secs() < DISCOVERY_SECONDS
        {
            return Ok(held.clone());
        }
        let url = format!("{}/.well-known/openid-configuration", settings.issuer.trim_end_matches('/'));
        let reply = self.client()?.get(&url).await.map_err(Refusal::Unreachable)?;
        if reply.status != StatusCode::OK {
            return Err(Refusal::Provider(format!("the discovery document {url} answered {}", reply.status)));
        }
        let found: Discovery = serde_json::from_slice(&reply.body)
            .map_err(|e| Refusal::Provider(format!("the discovery document {url} could not be read: {e}")))?;
        // OpenID Connect Discovery 1.0 s.4.3: the issuer in the document must be the one
        // it was fetched for, or tokens would be accepted from the wrong tenant.
        if found.issuer != settings.issuer {
            return Err(Refusal::Provider(format!(
                "the discovery document names the issuer `{}`, not the configured `{}`; check oidc.issuer",
                found.issuer, settings.issuer
            )));
        }
        for (name, endpoint) in [
            ("authorization_endpoint", &found.authorization_endpoint),
            ("token_endpoint", &found.token_endpoint),
            ("jwks_uri", &found.jwks_uri),
        ] {
            client::Target::parse(endpoint)
                .map_err(|problem| Refusal::Provider(format!("the discovery document's {name}: {problem}")))?;
        }
        if let Some(algorithms) = &found.id_token_signing_alg_values_supported
            && !algorithms.iter().any(|a| a == "RS256")
        {
            return Err(Refusal::Provider(String::from("the provider does not sign ID tokens with RS256")));
        }
        if found.client_auth().is_none() {
            return Err(Refusal::Provider(String::from(
                "the token endpoint takes neither client_secret_post nor client_secret_basic",
            )));
        }
        let found = Arc::new(found);
        *self.discovery.lock().map_err(poisoned)? = Some((Instant::now(), found.clone()));
        Ok(found)
    }

    /// The provider's signing keys: those held, or fetched afresh when `fresh` or when
    /// none are held.
    async fn keys(&self, discovery: &Discovery, fresh: bool) -> Result<Arc<Vec<token::Jwk>>, Refusal> {
        if !fresh && let Some(held) = self.keys.lock().map_err(poisoned)?.as_ref() {
            return Ok(held.clone());
        }
        let reply = self.client()?.get(&discovery.jwks_uri).await.map_err(Refusal::Unreachable)?;
        if reply.status != StatusCode::OK {
            return Err(Refusal::Provider(format!("the key set {} answered {}", discovery.jwks_uri, reply.status)));
        }
        let keys = Arc::new(token::parse_jwks(&reply.body).map_err(Refusal::Provider)?);
        *self.keys.lock().map_err(poisoned)? = Some(keys.clone());
        Ok(keys)
    }

    /// Marks a `state` as used; false when it was used before.
    fn spend(&self, state: &str, now: i64) -> Result<bool, Refusal> {
        let mut spent = self.spent.lock().map_err(poisoned)?;
        if spent.len() >= MAX_SPENT {
            spent.retain(|_, until| *until > now);
            if spent.len() >= MAX_SPENT {
                spent.clear();
            }
        }
        Ok(spent.insert(state.to_string(), now + FLOW_SECONDS).is_none())
    }
}

fn poisoned<T>(_: std::sync::PoisonError<T>) -> Refusal {
    Refusal::Internal(String::from("a lock of the sign-in state was poisoned by a panic"))
}

pub fn router(config: &crate::WebConfig) -> Router<AppState> {
    Router::new()
        .route("/sign-in/oidc", get(start))
        .route(CALLBACK_PATH, get(callback))
        .layer(Extension(Arc::new(Runtime::new(config.oidc.as_ref()))))
}

/// One flow, as the cookie carries it.
#[derive(Debug, Serialize, Deserialize)]
struct Flow {
    state: String,
    nonce: String,
    verifier: String,
    /// The page to go to after signing in, already checked by `auth::safe_next`.
    next: String,
    /// When the flow stops being accepted, in seconds since 1970.
    expires: i64,
}

/// 32 random bytes, base64url: a `state`, a `nonce` or a PKCE verifier (43 characters,
/// within RFC 7636's 43 to 128).
fn random_value() -> Result<String, Refusal> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| Refusal::Internal(format!("reading random bytes for a sign-in: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(bytes))
}

impl Flow {
    fn seal(&self, settings: &OidcSettings) -> Result<String, Refusal> {
        let json = serde_json::to_vec(self).map_err(|e| Refusal::Internal(format!("writing the flow cookie: {e}")))?;
        let payload = URL_SAFE_NO_PAD.encode(json);
        let tag = hmac::sign(&settings.cookie_key, payload.as_bytes());
        Ok(format!("{payload}.{}", URL_SAFE_NO_PAD.encode(tag.as_ref())))
    }

    /// The flow in a cookie value, if its MAC is good; its expiry is the caller's.
    fn open(value: &str, settings: &OidcSettings) -> Option<Flow> {
        let (payload, tag) = value.split_once('.')?;
        let tag = URL_SAFE_NO_PAD.decode(tag).ok()?;
        hmac::verify(&settings.cookie_key, payload.as_bytes(), &tag).ok()?;
        serde_json::from_slice(&URL_SAFE_NO_PAD.decode(payload).ok()?).ok()
    }
}

fn flow_cookie(value: &str, max_age: i64, secure: bool) -> Result<HeaderValue, Refusal> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{FLOW_COOKIE}={value}; Path=/sign-in/oidc; HttpOnly; SameSite=Lax; Max-Age={max_age}{secure}"
    ))
    .map_err(|e| Refusal::Internal(format!("building the flow cookie: {e}")))
}

/// The flow cookie's value, if the request has one.
fn flow_value(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == FLOW_COOKIE)
        .map(|(_, value)| value.trim())
}

#[derive(Debug, Default, Deserialize)]
struct StartQuery {
    #[serde(default)]
    next: Option<String>,
}

async fn start(
    State(state): State<AppState>,
    Extension(runtime): Extension<Arc<Runtime>>,
    Query(query): Query<StartQuery>,
) -> Response {
    let Some(settings) = state.config.oidc.as_ref() else { return PageError::NotFound.into_response() };
    match begin(settings, &runtime, query.next.as_deref(), state.config.secure_cookies).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    }
}

async fn begin(
    settings: &OidcSettings,
    runtime: &Runtime,
    next: Option<&str>,
    secure: bool,
) -> Result<Response, Refusal> {
    let discovery = runtime.discovery(settings).await?;
    let next = next.and_then(crate::auth::safe_next).unwrap_or(crate::auth::AFTER_SIGN_IN).to_string();
    let flow = Flow {
        state: random_value()?,
        nonce: random_value()?,
        verifier: random_value()?,
        next,
        expires: Utc::now().timestamp() + FLOW_SECONDS,
    };
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(flow.verifier.as_bytes()));
    let query = client::form_encode(&[
        ("response_type", "code"),
        ("client_id", &settings.client_id),
        ("redirect_uri", &settings.redirect_uri),
        ("scope", "openid profile email"),
        ("state", &flow.state),
        ("nonce", &flow.nonce),
        ("code_challenge", &challenge),
        ("code_challenge_method", "S256"),
    ]);
    let endpoint = &discovery.authorization_endpoint;
    let joiner = if endpoint.contains('?') { '&' } else { '?' };
    let location = HeaderValue::from_str(&format!("{endpoint}{joiner}{query}"))
        .map_err(|_| Refusal::Provider(String::from("the authorization endpoint is not a usable address")))?;
    let mut response = StatusCode::SEE_OTHER.into_response();
    response.headers_mut().insert(LOCATION, location);
    response.headers_mut().insert(SET_COOKIE, flow_cookie(&flow.seal(settings)?, FLOW_SECONDS, secure)?);
    Ok(response)
}

#[derive(Debug, Default, Deserialize)]
struct CallbackQuery {
    #[serde(default)]
    code: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    error: Option<String>,
    #[serde(default)]
    error_description: Option<String>,
}

async fn callback(
    State(state): State<AppState>,
    Extension(runtime): Extension<Arc<Runtime>>,
    headers: HeaderMap,
    Query(query): Query<CallbackQuery>,
) -> Response {
    let Some(settings) = state.config.oidc.as_ref() else { return PageError::NotFound.into_response() };
    let mut response = match finish(&state, settings, &runtime, &headers, query).await {
        Ok(response) => response,
        Err(refusal) => refusal.into_response(),
    };
    // The flow is over, whatever its outcome: its cookie goes.
    if let Ok(gone) = flow_cookie("", 0, state.config.secure_cookies) {
        response.headers_mut().append(SET_COOKIE, gone);
    }
    response
}

#[derive(Deserialize)]
struct TokenReply {
    id_token: String,
}

#[derive(Deserialize)]
struct TokenErrorReply {
    error: String,
}

async fn finish(
    state: &AppState,
    settings: &OidcSettings,
    runtime: &Runtime,
    headers: &HeaderMap,
    query: CallbackQuery,
) -> Result<Response, Refusal> {
    let now = Utc::now().timestamp();
    let flow = flow_value(headers).and_then(|value| Flow::open(value, settings)).ok_or(Refusal::NoFlow)?;
    if flow.expires <= now {
        return Err(Refusal::NoFlow);
    }
    let returned = query.state.as_deref().unwrap_or_default();
    if !same(returned.as_bytes(), flow.state.as_bytes()) {
        return Err(Refusal::StateMismatch);
    }
    if !runtime.spend(&flow.state, now)? {
        return Err(Refusal::Replayed);
    }
    if let Some(error) = query.error {
        return Err(Refusal::ProviderSaidNo { error, description: query.error_description.unwrap_or_default() });
    }
    let code = query.code.filter(|c| !c.is_empty()).ok_or(Refusal::Provider(String::from("no code came back")))?;

    let discovery = runtime.discovery(settings).await?;
    let id_token = exchange(settings, runtime, &discovery, &code, &flow.verifier).await?;
    let expected = token::Expected {
        issuer: &settings.issuer,
        client_id: &settings.client_id,
        nonce: &flow.nonce,
        now: Utc::now().timestamp(),
    };
    let keys = runtime.keys(&discovery, false).await?;
    let claims = match token::verify(&id_token, &keys, &expected) {
        // The provider may have rotated its keys since they were fetched: once more.
        Err(token::TokenError::UnknownKey(_)) => {
            let keys = runtime.keys(&discovery, true).await?;
            token::verify(&id_token, &keys, &expected)
        }
        other => other,
    }
    .map_err(Refusal::Token)?;

    let value = claims
        .get(&settings.claim)
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Refusal::NoClaim(settings.claim.clone()))?
        .to_string();
    // An address the provider says it has not verified names nobody.
    let unverified = matches!(claims.get("email_verified"), Some(Value::Bool(false)))
        || claims.get("email_verified").and_then(Value::as_str) == Some("false");
    if settings.claim == "email" && unverified {
        return Err(Refusal::Unverified(value));
    }
    if !domain_allowed(&value, &settings.allowed_domains) {
        return Err(Refusal::DomainNotAllowed(value));
    }
    let users = state.store.users().await.map_err(|e| Refusal::Internal(e.to_string()))?;
    let user = match match_account(&users, &value) {
        AccountMatch::None => return Err(Refusal::NoAccount(value)),
        AccountMatch::Several => return Err(Refusal::SeveralAccounts(value)),
        AccountMatch::One(user) if !user.active => return Err(Refusal::Disabled(value)),
        AccountMatch::One(user) => user.clone(),
    };
    if user.must_change_password {
        retire_one_time_password(state, &user).await?;
    }

    // As after a password: a new token, and any session the browser had is ended.
    if let Some(old) = crate::auth::session_token(headers) {
        state
            .store
            .delete_session(&crate::auth::session_hash(old))
            .await
            .map_err(|e| Refusal::Internal(e.to_string()))?;
    }
    let cookie = crate::auth::start_session(state, &user).await.map_err(Refusal::Page)?;
    tracing::info!(user.id = %user.id, sign_in.method = "oidc", "signed in");
    let target = crate::auth::safe_next(&flow.next).unwrap_or(crate::auth::AFTER_SIGN_IN);
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(target) {
        response.headers_mut().insert(LOCATION, location);
    }
    response.headers_mut().append(SET_COOKIE, cookie);
    Ok(response)
}

/// Exchanges the code for the ID token at the token endpoint.
async fn exchange(
    settings: &OidcSettings,
    runtime: &Runtime,
    discovery: &Discovery,
    code: &str,
    verifier: &str,
) -> Result<String, Refusal> {
    let mut form = vec![
        ("grant_type", "authorization_code"),
        ("code", code),
        ("redirect_uri", settings.redirect_uri.as_str()),
        ("code_verifier", verifier),
    ];
    let basic = match discovery.client_auth() {
        Some(ClientAuth::Post) | None => {
            form.push(("client_id", settings.client_id.as_str()));
            form.push(("client_secret", settings.client_secret.as_str()));
            None
        }
        Some(ClientAuth::Basic) => Some((settings.client_id.as_str(), settings.client_secret.as_str())),
    };
    let reply =
        runtime.client()?.post_form(&discovery.token_endpoint, &form, basic).await.map_err(Refusal::Unreachable)?;
    if reply.status != StatusCode::OK {
        let error = serde_json::from_slice::<TokenErrorReply>(&reply.body).map(|e| e.error).unwrap_or_default();
        // RFC 6749 s.5.2: a code that was used, expired or issued to another flow.
        if error == "invalid_grant" {
            return Err(Refusal::CodeRefused);
        }
        return Err(Refusal::Provider(format!("the token endpoint answered {} `{error}`", reply.status)));
    }
    let reply: TokenReply = serde_json::from_slice(&reply.body)
        .map_err(|e| Refusal::Provider(format!("the token endpoint's answer has no ID token: {e}")))?;
    Ok(reply.id_token)
}

/// After an organisation sign-in, an administrator's one-time password is replaced by
/// a random one that nobody knows, so the account is no longer sent to choose its own:
/// see the module documentation.
async fn retire_one_time_password(state: &AppState, user: &User) -> Result<(), Refusal> {
    let random = crate::auth::new_session_token().map_err(Refusal::Internal)?;
    let cheap = state.config.argon2_cheap;
    let hash = tokio::task::spawn_blocking(move || crate::auth::hash_password(&random, cheap))
        .await
        .map_err(|e| Refusal::Internal(format!("hashing did not finish: {e}")))?
        .map_err(|e| Refusal::Internal(e.to_string()))?;
    state
        .store
        .set_user_password(&Actor::user(user), user.id, &hash)
        .await
        .map_err(|e| Refusal::Internal(e.to_string()))
}

/// Whether the claim's domain (after its last `@`) is one of the allowed ones; any
/// value when none are configured.
fn domain_allowed(value: &str, allowed: &[String]) -> bool {
    if allowed.is_empty() {
        return true;
    }
    value.rsplit_once('@').is_some_and(|(_, domain)| allowed.iter().any(|a| *a == domain.to_lowercase()))
}

/// Which accounts a claim names.
#[derive(Debug, PartialEq)]
enum AccountMatch<'a> {
    None,
    One(&'a User),
    /// More than one account has the value as its e-mail address or username: pcplan
    /// will not guess which person this is.
    Several,
}

/// The account whose e-mail address or username equals the value, ignoring case.
fn match_account<'a>(users: &'a [User], value: &str) -> AccountMatch<'a> {
    let wanted = value.trim().to_lowercase();
    let mut found = users.iter().filter(|user| {
        user.username.trim().to_lowercase() == wanted
            || user.email.as_deref().is_some_and(|email| email.trim().to_lowercase() == wanted)
    });
    match (found.next(), found.next()) {
        (None, _) => AccountMatch::None,
        (Some(user), None) => AccountMatch::One(user),
        (Some(_), Some(_)) => AccountMatch::Several,
    }
}

/// Why a sign-in with an organisation account did not sign anyone in. Each is logged
/// once, when it becomes a page; none carries a token, a code or the secret.
#[derive(Debug)]
enum Refusal {
    /// No flow cookie, a forged one, or one past its ten minutes.
    NoFlow,
    StateMismatch,
    /// The callback of a flow that was already finished.
    Replayed,
    /// The provider sent the person back with an error (they cancelled, or the tenant
    /// does not let them use pcplan).
    ProviderSaidNo {
        error: String,
        description: String,
    },
    /// The token endpoint refused the code (`invalid_grant`): used before, or expired.
    CodeRefused,
    Unreachable(client::HttpError),
    /// The provider answered, but not as it must.
    Provider(String),
    Token(token::TokenError),
    NoClaim(String),
    Unverified(String),
    DomainNotAllowed(String),
    NoAccount(String),
    SeveralAccounts(String),
    Disabled(String),
    Page(PageError),
    Internal(String),
}

const ASK_ADMIN: &str = "Ask the OPCC's pcplan administrator for help.";

impl Refusal {
    fn status_and_page(&self) -> (StatusCode, &'static str, Vec<String>) {
        let start_again = || {
            vec![
                String::from(
                    "Sign-in with your organisation account has to be finished within 10 minutes, in the same browser window it was started in.",
                ),
                String::from("Go back to the sign-in page and start again."),
            ]
        };
        match self {
            Refusal::NoFlow | Refusal::StateMismatch | Refusal::Replayed | Refusal::CodeRefused => {
                (StatusCode::BAD_REQUEST, "Your sign-in has expired", start_again())
            }
            Refusal::ProviderSaidNo { error, .. } => (
                StatusCode::FORBIDDEN,
                "Your organisation did not sign you in",
                vec![
                    format!(
                        "Your organisation's sign-in service sent you back without signing you in (it said `{error}`)."
                    ),
                    String::from(
                        "If you cancelled, you can start again. If not, your organisation account may not be allowed to use pcplan.",
                    ),
                    String::from(ASK_ADMIN),
                ],
            ),
            Refusal::Unreachable(_) => (
                StatusCode::BAD_GATEWAY,
                "Your organisation's sign-in service cannot be reached",
                vec![
                    String::from(
                        "pcplan could not reach your organisation's sign-in service. Try again in a few minutes.",
                    ),
                    String::from("You can also sign in with your pcplan username and password, if you have one."),
                ],
            ),
            Refusal::Provider(_) | Refusal::Token(_) => (
                StatusCode::BAD_GATEWAY,
                "Sign-in with your organisation account did not work",
                vec![
                    String::from(
                        "Your organisation's sign-in service answered in a way pcplan cannot trust, so you have not been signed in.",
                    ),
                    String::from("This is a problem with how the service or pcplan is set up, not with your account."),
                    String::from(ASK_ADMIN),
                ],
            ),
            Refusal::NoClaim(claim) => (
                StatusCode::FORBIDDEN,
                "Your organisation account could not be matched",
                vec![
                    format!(
                        "Your organisation's sign-in service did not send the `{claim}` that pcplan uses to find your account."
                    ),
                    String::from(ASK_ADMIN),
                ],
            ),
            Refusal::Unverified(value) => (
                StatusCode::FORBIDDEN,
                "Your organisation account could not be matched",
                vec![
                    format!(
                        "Your organisation's sign-in service says the address {value} is not verified, so pcplan cannot use it to find your account."
                    ),
                    String::from(ASK_ADMIN),
                ],
            ),
            Refusal::DomainNotAllowed(value) => (
                StatusCode::FORBIDDEN,
                "This organisation account cannot be used here",
                vec![
                    format!("You signed in as {value}. Accounts of that organisation cannot sign in to this pcplan."),
                    String::from(
                        "Sign out of your organisation account and sign in with your account at the OPCC, or ask the OPCC's pcplan administrator.",
                    ),
                ],
            ),
            Refusal::NoAccount(value) => (
                StatusCode::FORBIDDEN,
                "You do not have a pcplan account",
                vec![
                    format!("You signed in as {value}, but no pcplan account has that e-mail address or username."),
                    String::from(
                        "pcplan does not make accounts by itself. Ask the OPCC's pcplan administrator to make an account for you with that e-mail address, and to give it the role you need.",
                    ),
                ],
            ),
            Refusal::SeveralAccounts(value) => (
                StatusCode::FORBIDDEN,
                "More than one pcplan account matches",
                vec![
                    format!(
                        "You signed in as {value}, and more than one pcplan account has that e-mail address or username, so pcplan cannot tell which is yours."
                    ),
                    String::from("Ask the OPCC's pcplan administrator to give each account its own e-mail address."),
                ],
            ),
            Refusal::Disabled(value) => (
                StatusCode::FORBIDDEN,
                "Your pcplan account is disabled",
                vec![
                    format!("You signed in as {value}, but the pcplan account with that address is disabled."),
                    String::from("Ask the OPCC's pcplan administrator to enable it again."),
                ],
            ),
            Refusal::Page(_) | Refusal::Internal(_) => (StatusCode::INTERNAL_SERVER_ERROR, "", Vec::new()),
        }
    }

    /// Logs the refusal, once, with what an administrator needs to put it right.
    fn log(&self) {
        match self {
            Refusal::NoFlow => {
                tracing::info!(oidc.reason = "no_flow", "organisation sign-in refused: no flow, or it expired")
            }
            Refusal::StateMismatch => {
                tracing::warn!(oidc.reason = "state", "organisation sign-in refused: state does not match")
            }
            Refusal::Replayed => {
                tracing::warn!(oidc.reason = "replayed", "organisation sign-in refused: the flow was already used")
            }
            Refusal::CodeRefused => tracing::warn!(
                oidc.reason = "invalid_grant",
                "organisation sign-in refused: the token endpoint refused the code"
            ),
            Refusal::ProviderSaidNo { error, description } => tracing::info!(
                oidc.reason = "provider_error", oidc.error = %error, oidc.error_description = %description,
                "organisation sign-in refused by the provider"
            ),
            Refusal::Unreachable(cause) => {
                tracing::error!(oidc.reason = "unreachable", error.cause = %cause, "organisation sign-in failed: the provider could not be reached")
            }
            Refusal::Provider(cause) => {
                tracing::error!(oidc.reason = "provider", error.cause = %cause, "organisation sign-in failed: the provider's answer was refused")
            }
            Refusal::Token(cause) => {
                tracing::warn!(oidc.reason = "id_token", error.cause = %cause, "organisation sign-in refused: the ID token did not verify")
            }
            Refusal::NoClaim(claim) => {
                tracing::warn!(oidc.reason = "no_claim", oidc.claim = %claim, "organisation sign-in refused: the ID token lacks the configured claim")
            }
            Refusal::Unverified(value) => {
                tracing::info!(oidc.reason = "unverified", oidc.subject = %value, "organisation sign-in refused: the e-mail address is not verified")
            }
            Refusal::DomainNotAllowed(value) => {
                tracing::info!(oidc.reason = "domain", oidc.subject = %value, "organisation sign-in refused: domain not allowed")
            }
            Refusal::NoAccount(value) => {
                tracing::info!(oidc.reason = "no_account", oidc.subject = %value, "organisation sign-in refused: no pcplan account")
            }
            Refusal::SeveralAccounts(value) => {
                tracing::warn!(oidc.reason = "several_accounts", oidc.subject = %value, "organisation sign-in refused: several accounts match")
            }
            Refusal::Disabled(value) => {
                tracing::info!(oidc.reason = "disabled", oidc.subject = %value, "organisation sign-in refused: the account is disabled")
            }
            // Logged by PageError.
            Refusal::Page(_) | Refusal::Internal(_) => {}
        }
    }
}

impl IntoResponse for Refusal {
    fn into_response(self) -> Response {
        self.log();
        let (status, heading, paragraphs) = self.status_and_page();
        match self {
            Refusal::Page(error) => return error.into_response(),
            Refusal::Internal(cause) => return PageError::Internal(cause).into_response(),
            _ => {}
        }
        crate::error::message_page(status, heading, paragraphs, ("/sign-in", "Go back to the sign-in page"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn options() -> OidcOptions {
        OidcOptions {
            issuer: String::from("https://login.microsoftonline.com/5f1c2a9e-0000-4000-8000-000000000001/v2.0"),
            client_id: String::from("0a1b2c3d-0000-4000-8000-000000000002"),
            client_secret: String::from("s3cret~value"),
            button_label: String::new(),
            claim: String::new(),
            allowed_domains: vec![String::from("@Example-PCC.police.uk")],
            ca_file: None,
        }
    }

    #[test]
    fn good_settings_are_normalised_and_the_secret_never_shows() {
        let settings = OidcSettings::new(options(), "https://plan.example.org/").expect("valid");
        assert_eq!(settings.redirect_uri(), "https://plan.example.org/sign-in/oidc/callback");
        assert_eq!(settings.button_label(), DEFAULT_BUTTON_LABEL);
        assert_eq!(settings.claim(), "email");
        assert_eq!(settings.allowed_domains(), ["example-pcc.police.uk"]);
        let debug = format!("{settings:?}");
        assert!(!debug.contains("s3cret") && debug.contains("***"), "{debug}");
    }

    #[test]
    fn each_bad_setting_is_refused_naming_its_key() {
        let cases: Vec<(OidcOptions, &str, &str)> = vec![
            (
                OidcOptions { issuer: "http://login.example.org/v2.0".into(), ..options() },
                "https://plan.example.org",
                "oidc.issuer",
            ),
            (
                OidcOptions { issuer: "https://login.microsoftonline.com/{tenant}/v2.0".into(), ..options() },
                "https://p.example",
                "oidc.issuer",
            ),
            (OidcOptions { issuer: "login.example.org".into(), ..options() }, "https://p.example", "oidc.issuer"),
            (OidcOptions { client_id: " ".into(), ..options() }, "https://p.example", "oidc.client_id"),
            (OidcOptions { client_secret: String::new(), ..options() }, "https://p.example", "oidc.client_secret"),
            (OidcOptions { claim: "e mail".into(), ..options() }, "https://p.example", "oidc.claim"),
            (
                OidcOptions { allowed_domains: vec!["not a domain".into()], ..options() },
                "https://p.example",
                "oidc.allowed_domains",
            ),
            (OidcOptions { button_label: "x".repeat(101), ..options() }, "https://p.example", "oidc.button_label"),
            (options(), "plan.example.org", "public_url"),
        ];
        for (options, public_url, key) in cases {
            let error = OidcSettings::new(options.clone(), public_url).expect_err("refused");
            assert_eq!(error.key, key, "{options:?}: {error}");
            assert!(error.to_string().starts_with(&format!("`{key}` ")), "{error}");
        }
        let data = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data");
        for (file, problem) in [("no-such-file.pem", "cannot be read"), ("oidc-test-key-1.pem", "no PEM certificate")] {
            let options = OidcOptions { ca_file: Some(data.join(file)), ..options() };
            let error = OidcSettings::new(options, "https://p.example").expect_err("refused");
            assert!(error.key == "oidc.ca_file" && error.problem.contains(problem), "{error}");
        }
        let with_ca = OidcOptions { ca_file: Some(data.join("oidc-test-ca.pem")), ..options() };
        assert_eq!(OidcSettings::new(with_ca, "https://p.example").expect("a CA file").extra_roots.len(), 1);
        let local = OidcOptions { issuer: "http://127.0.0.1:9999".into(), ..options() };
        assert!(OidcSettings::new(local, "http://127.0.0.1:8080").is_ok(), "loopback http is for tests");
    }

    fn user(username: &str, email: Option<&str>) -> User {
        User {
            id: pcplan_domain::UserId::new(),
            username: username.to_string(),
            display_name: username.to_string(),
            role: pcplan_store::Role::Viewer,
            active: true,
            created_at: Utc::now(),
            must_change_password: false,
            email: email.map(str::to_string),
        }
    }

    #[test]
    fn a_claim_names_the_one_account_with_that_address_or_username_ignoring_case() {
        let users = vec![
            user("alice", Some("Alice.Smith@Example-PCC.police.uk")),
            user("bob@example-pcc.police.uk", None),
            user("carol", Some("shared@example.org")),
            user("dave", Some("shared@example.org")),
        ];
        assert_eq!(match_account(&users, "alice.smith@example-pcc.police.uk"), AccountMatch::One(&users[0]));
        assert_eq!(match_account(&users, "BOB@example-pcc.police.uk"), AccountMatch::One(&users[1]));
        assert_eq!(match_account(&users, "shared@example.org"), AccountMatch::Several);
        assert_eq!(match_account(&users, "erin@example.org"), AccountMatch::None);
    }

    #[test]
    fn allowed_domains_are_matched_after_the_last_at_sign() {
        let allowed = vec![String::from("example-pcc.police.uk")];
        assert!(domain_allowed("a@Example-PCC.police.uk", &allowed));
        assert!(!domain_allowed("a@evil.example", &allowed));
        assert!(!domain_allowed("a@example-pcc.police.uk.evil.example", &allowed));
        assert!(!domain_allowed("no-at-sign", &allowed));
        assert!(domain_allowed("anything", &[]));
    }

    #[test]
    fn a_flow_cookie_opens_only_with_its_own_key_and_unaltered() {
        let settings = OidcSettings::new(options(), "https://plan.example.org").expect("valid");
        let flow =
            Flow { state: "s".into(), nonce: "n".into(), verifier: "v".into(), next: "/staff".into(), expires: 9 };
        let sealed = flow.seal(&settings).expect("sealed");
        assert_eq!(Flow::open(&sealed, &settings).map(|f| f.state), Some(String::from("s")));
        let other =
            OidcSettings::new(OidcOptions { client_secret: "another".into(), ..options() }, "https://p.example")
                .expect("valid");
        assert!(Flow::open(&sealed, &other).is_none(), "another secret, another key");
        let (payload, tag) = sealed.split_once('.').expect("two parts");
        let forged = URL_SAFE_NO_PAD.encode(br#"{"state":"s","nonce":"n","verifier":"v","next":"//evil","expires":9}"#);
        assert!(Flow::open(&format!("{forged}.{tag}"), &settings).is_none());
        assert!(Flow::open(payload, &settings).is_none());
    }
}
