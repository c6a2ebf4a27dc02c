//! Who is asking: password hashing, server-side sessions, the sign-in and sign-out
//! pages, and the extractors handlers use to require a signed-in user or a role.
//!
//! # Sessions
//!
//! Signing in makes a random 32-byte token, sends it to the browser hex-encoded in the
//! cookie `pcplan_session` (HttpOnly, SameSite=Lax, Path=/, Secure when
//! [`WebConfig::secure_cookies`](crate::WebConfig) says so) and stores only its SHA-256
//! in the database, so a copy of the database does not let anyone sign in. Each
//! request looks the hash up with `Store::session_user`, which also refuses expired
//! sessions and disabled users. Signing out deletes the session row. SameSite=Lax, not
//! Strict, so a link from an email to a staff page arrives signed in; cross-site form
//! posts are stopped by the CSRF layer in `lib.rs`, not by the cookie.
//!
//! # API clients
//!
//! The JSON API uses the same session cookie: `POST /sign-in` with the form fields
//! `username` and `password` (`application/x-www-form-urlencoded`), keep the
//! `pcplan_session` cookie from the `Set-Cookie` header of the 303 response, and send it
//! as `Cookie: pcplan_session=...` with each API request. There are no API keys yet.
//!
//! # Organisation accounts
//!
//! Where the configuration names an OpenID Connect provider, the sign-in page also
//! offers sign-in with an organisation account; [`crate::oidc`] runs that flow and ends
//! it with `start_session`, so a session is the same however it began.
//!
//! # Roles
//!
//! Who may use which route is decided in one place, the table in
//! [`crate::permissions`], enforced by its middleware before any handler runs; a refusal
//! is a 403 page or a 403 JSON body, and anonymous requests get a redirect to
//! `/sign-in?next=...` on pages and a 401 JSON body on `/api/`. The checks handlers still
//! make ([`CurrentUser::require_editor`], the [`Editor`] and [`Admin`] extractors) agree
//! with the table and are a second line behind it.
//!
//! # Guessing
//!
//! Two limits stop password guessing, both counting only *failed* sign-ins so an office
//! behind one address signing in at nine o'clock is never refused:
//!
//! - per client address ([`crate::rate_limit::Limits::SIGN_IN`]): a client with too many
//!   failures is refused with 429 and `Retry-After` before any password is checked;
//! - per username, in the database so it survives restarts and holds across servers
//!   ([`pcplan_store::LOCKOUT`]): ten failures in a row lock the username for fifteen
//!   minutes. The count is kept for any username typed, whether an account has it or
//!   not, so the lock message reveals nothing about which usernames exist. An
//!   administrator can lift a lock from the users page; a new password lifts it too.
//!
//! A new password (chosen by the owner or set by an administrator) ends every session
//! of the account; the owner's own browser is given a fresh one. "Sign out everywhere"
//! on the account page ends them all.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use askama::Template;
use std::sync::Arc;

use axum::Extension;
use axum::extract::{FromRequestParts, Query, State};
use axum::http::Extensions;
use axum::http::header::{COOKIE, LOCATION, RETRY_AFTER, SET_COOKIE};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use chrono::{Duration, Utc};
use pcplan_store::{Actor, User};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::{ApiError, Forbidden, PageError};
use crate::permissions::Access;
use crate::rate_limit::{ClientKey, RateLimiter};
use crate::views::{Layout, Nav, render, render_with_status};

/// The name of the session cookie.
pub const SESSION_COOKIE: &str = "pcplan_session";

/// Where signing in goes when no `next` was given.
pub const AFTER_SIGN_IN: &str = "/staff";

/// Why a password could not be hashed or checked. Never carries the password.
#[derive(Debug, thiserror::Error)]
pub enum PasswordError {
    #[error("hashing the password failed: {0}")]
    Hash(String),
    #[error("the stored password hash is not a valid argon2 PHC string: {0}")]
    StoredHash(String),
}

fn argon2(cheap: bool) -> Result<Argon2<'static>, PasswordError> {
    let params = if cheap {
        // The smallest cost argon2 accepts: for tests only, where hundreds of sign-ins
        // at the real cost would take minutes.
        Params::new(Params::MIN_M_COST, Params::MIN_T_COST, Params::MIN_P_COST, None)
            .map_err(|e| PasswordError::Hash(e.to_string()))?
    } else {
        // OWASP's argon2id recommendation: 19 MiB, 2 passes, 1 lane (argon2's default).
        Params::DEFAULT
    };
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// Hashes a password with argon2id and a fresh random salt, giving a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$...`). `cheap` uses the minimum cost, for tests.
/// Slow by design: call it from `tokio::task::spawn_blocking` in a handler.
pub fn hash_password(password: &str, cheap: bool) -> Result<String, PasswordError> {
    let hash = argon2(cheap)?.hash_password(password.as_bytes()).map_err(|e| PasswordError::Hash(e.to_string()))?;
    Ok(hash.to_string())
}

/// Checks a password against a stored PHC string. `Ok(false)` means the password is
/// wrong; an error means the stored hash itself is unusable. The cost is read from the
/// stored hash, so hashes made with other parameters still verify.
pub fn verify_password(password: &str, stored: &str) -> Result<bool, PasswordError> {
    let parsed = PasswordHash::new(stored).map_err(|e| PasswordError::StoredHash(e.to_string()))?;
    match Argon2::default().verify_password(password.as_bytes(), &parsed) {
        Ok(()) => Ok(true),
        Err(argon2::password_hash::Error::PasswordInvalid) => Ok(false),
        Err(other) => Err(PasswordError::StoredHash(other.to_string())),
    }
}

/// A fresh session token: 32 random bytes, hex-encoded.
pub(crate) fn new_session_token() -> Result<String, String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).map_err(|e| format!("reading random bytes for a session token: {e}"))?;
    Ok(hex::encode(bytes))
}

/// The SHA-256 of a token, hex-encoded: what the store keeps.
pub fn session_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The session token from the `Cookie` headers, if one is there and well formed.
pub(crate) fn session_token(headers: &HeaderMap) -> Option<&str> {
    headers
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.trim())
        .filter(|token| token.len() == 64 && token.bytes().all(|b| b.is_ascii_hexdigit()))
}

fn session_cookie(token: &str, max_age_seconds: i64, secure: bool) -> Result<HeaderValue, String> {
    let secure = if secure { "; Secure" } else { "" };
    HeaderValue::from_str(&format!(
        "{SESSION_COOKIE}={token}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_seconds}{secure}"
    ))
    .map_err(|e| format!("building the session cookie: {e}"))
}

/// Whether `next` is a path on this site: it must start with one `/` and contain no
/// backslash or control character, so `//evil.example` and `/\evil.example` (which
/// browsers treat as other hosts) are refused and the sign-in page cannot be used to
/// send people elsewhere.
pub fn safe_next(next: &str) -> Option<&str> {
    let ok = next.starts_with('/')
        && !next.starts_with("//")
        && !next.contains('\\')
        && !next.chars().any(|c| c.is_control() || c.is_whitespace());
    ok.then_some(next)
}

/// Percent-encodes a value for a query string (RFC 3986 unreserved characters kept).
fn encode_query_value(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// The signed-in user, for handlers that require one.
///
/// Rejection: on `/api/` paths a 401 JSON body; elsewhere a 303 redirect to
/// `/sign-in?next=<this page>`.
#[derive(Clone, Debug)]
pub struct CurrentUser {
    pub user: User,
    /// What the route being served needs, from the permissions table; `None` outside a
    /// routed request.
    pub route_access: Option<Access>,
}

/// The signed-in user if there is one, for pages anyone may see.
#[derive(Clone, Debug)]
pub struct MaybeUser(pub Option<User>);

/// A signed-in user who may make this route's change ([`CurrentUser::require_editor`]).
/// Rejection as [`CurrentUser`], plus 403 for a role without it.
#[derive(Clone, Debug)]
pub struct Editor(pub CurrentUser);

/// A signed-in administrator. Rejection as [`Editor`].
#[derive(Clone, Debug)]
pub struct Admin(pub CurrentUser);

impl CurrentUser {
    /// Refuses a user who may not make the change this route makes. On a route the
    /// permissions table guards with a changing access (`Deliver`, `Panel`, `Edit`,
    /// `Approve`, `Admin`), that access decides, so this second check always agrees with
    /// the table (the Chief Constable's liaison may record figures, a Panel officer may
    /// keep the Panel's reports); elsewhere only editors, approvers and administrators
    /// pass.
    pub fn require_editor(&self) -> Result<(), Forbidden> {
        let allowed = match self.route_access {
            Some(access) if !matches!(access, Access::Public | Access::Staff) => access.allows(Some(self.user.role)),
            _ => self.user.role.can_edit(),
        };
        if allowed { Ok(()) } else { Err(Forbidden) }
    }

    /// Refuses everyone but administrators.
    pub fn require_admin(&self) -> Result<(), Forbidden> {
        if self.user.role.can_manage_users() { Ok(()) } else { Err(Forbidden) }
    }

    /// Who the audit log records for changes this user makes.
    pub fn actor(&self) -> Actor {
        Actor::user(&self.user)
    }

    /// The layout for a staff page shown to this user.
    pub fn layout(&self, title: impl Into<String>) -> Layout {
        Layout::new(title, Some(&self.user), Nav::Staff)
    }
}

/// The session lookup's result, kept in the request's extensions so a request that
/// uses two of these extractors queries the store once.
#[derive(Clone)]
struct ResolvedSession(Option<User>);

/// Whether the request is for the JSON API. Routers are merged, never nested, so the
/// URI a handler sees is the full path the client asked for.
fn is_api(parts: &Parts) -> bool {
    let path = parts.uri.path();
    path == "/api" || path.starts_with("/api/")
}

pub(crate) async fn resolve(parts: &mut Parts, state: &AppState) -> Result<Option<User>, Response> {
    if let Some(ResolvedSession(user)) = parts.extensions.get::<ResolvedSession>() {
        return Ok(user.clone());
    }
    let user = match session_token(&parts.headers) {
        None => None,
        Some(token) => {
            let hash = session_hash(token);
            match state.store.session_user(&hash, Utc::now()).await {
                Ok(user) => user,
                Err(error) => {
                    let cause = format!("looking up a session: {error}");
                    return Err(if is_api(parts) {
                        ApiError::Internal(cause).into_response()
                    } else {
                        PageError::Internal(cause).into_response()
                    });
                }
            }
        }
    };
    parts.extensions.insert(ResolvedSession(user.clone()));
    Ok(user)
}

/// The answer to a user who still has a one-time password: a 403 JSON error on the API,
/// elsewhere a redirect to the page that replaces it.
pub(crate) fn password_change_required(parts: &Parts) -> Response {
    if is_api(parts) {
        ApiError::PasswordChangeRequired.into_response()
    } else {
        Redirect::to(crate::account::CHANGE_PASSWORD).into_response()
    }
}

/// What the permissions table says the route needs, as the middleware found it.
fn route_access(parts: &Parts) -> Option<Access> {
    parts.extensions.get::<crate::permissions::RouteAccess>().map(|found| found.0)
}

pub(crate) fn unauthenticated(parts: &Parts) -> Response {
    if is_api(parts) {
        return ApiError::Unauthenticated.into_response();
    }
    let here = parts.uri.path_and_query().map(|pq| pq.as_str()).unwrap_or("/");
    Redirect::to(&format!("/sign-in?next={}", encode_query_value(here))).into_response()
}

pub(crate) fn forbidden(parts: &Parts) -> Response {
    if is_api(parts) { ApiError::Forbidden.into_response() } else { PageError::Forbidden.into_response() }
}

impl FromRequestParts<AppState> for MaybeUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        Ok(MaybeUser(resolve(parts, state).await?))
    }
}

impl FromRequestParts<AppState> for CurrentUser {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        match resolve(parts, state).await? {
            // A one-time password must be replaced before anything else; only the page
            // that replaces it (which takes `MaybeUser`) and sign-out are open.
            Some(user) if user.must_change_password => Err(password_change_required(parts)),
            Some(user) => Ok(CurrentUser { user, route_access: route_access(parts) }),
            None => Err(unauthenticated(parts)),
        }
    }
}

impl FromRequestParts<AppState> for Editor {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        match user.require_editor() {
            Ok(()) => Ok(Editor(user)),
            Err(Forbidden) => Err(forbidden(parts)),
        }
    }
}

impl FromRequestParts<AppState> for Admin {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let user = CurrentUser::from_request_parts(parts, state).await?;
        match user.require_admin() {
            Ok(()) => Ok(Admin(user)),
            Err(Forbidden) => Err(forbidden(parts)),
        }
    }
}

pub fn router(config: &crate::WebConfig) -> Router<AppState> {
    let limiter = Arc::new(SignInLimiter::new(config.sign_in_limits));
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
        .layer(Extension(limiter))
}

/// One error on the sign-in form: the field it belongs to and the message.
#[derive(Clone, Debug)]
struct SignInError {
    /// The id of the input the error summary links to.
    anchor: &'static str,
    message: String,
}

/// The sign-in page.
#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    username: String,
    next: String,
    errors: Vec<SignInError>,
    username_error: Option<String>,
    password_error: Option<String>,
    /// The banner after signing out everywhere.
    notice: Option<String>,
    /// The button for signing in with an organisation account, when that is set up.
    organisation: Option<crate::oidc::SignInButton>,
}

impl SignInPage {
    fn new(
        config: &crate::WebConfig,
        user: Option<&User>,
        username: String,
        next: String,
        errors: Vec<SignInError>,
    ) -> Self {
        let for_field = |anchor: &str| errors.iter().find(|e| e.anchor == anchor).map(|e| e.message.clone());
        let (username_error, password_error) = (for_field("username"), for_field("password"));
        let organisation = crate::oidc::sign_in_button(config, &next);
        Self {
            layout: Layout::new("Sign in", user, Nav::None).with_errors(!errors.is_empty()),
            username,
            next,
            errors,
            username_error,
            password_error,
            notice: None,
            organisation,
        }
    }
}

#[derive(Debug, Default, Deserialize)]
struct NextQuery {
    #[serde(default)]
    next: Option<String>,
    /// `everywhere` after signing out on every device.
    #[serde(default)]
    done: Option<String>,
}

async fn sign_in_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Query(query): Query<NextQuery>,
) -> Result<Response, PageError> {
    let next = query.next.as_deref().and_then(safe_next).unwrap_or("").to_string();
    let mut page = SignInPage::new(&state.config, user.as_ref(), String::new(), next, Vec::new());
    if query.done.as_deref() == Some("everywhere") && user.is_none() {
        page.notice = Some(String::from("You are signed out on every device"));
    }
    render(&page)
}

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    next: String,
}

/// The one message for bad credentials: it never says whether the username exists.
const BAD_CREDENTIALS: &str = "The username or password is not right";

/// The limiter of failed sign-ins by client: one per application.
pub type SignInLimiter = RateLimiter<ClientKey>;

async fn sign_in(
    State(state): State<AppState>,
    Extension(limiter): Extension<Arc<SignInLimiter>>,
    extensions: Extensions,
    headers: HeaderMap,
    Form(form): Form<SignInForm>,
) -> Result<Response, PageError> {
    let username = form.username.trim().to_string();
    let next = safe_next(&form.next).unwrap_or("").to_string();
    let mut errors = Vec::new();
    if username.is_empty() {
        errors.push(SignInError { anchor: "username", message: String::from("Enter your username") });
    }
    if form.password.is_empty() {
        errors.push(SignInError { anchor: "password", message: String::from("Enter your password") });
    }
    if !errors.is_empty() {
        let page = SignInPage::new(&state.config, None, username, next, errors);
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }

    // Refusals that cost nothing come before the password hash.
    let client = ClientKey::of_request(&extensions, &headers);
    if let Some(refused) = limiter.refused(&client) {
        tracing::info!(limit.scope = ?refused.scope, "sign-in refused by the rate limit");
        let message = format!(
            "There have been too many failed sign-ins from your network. Try again in {}",
            minutes(refused.retry_after_minutes())
        );
        let mut response = locked_page(&state, username, next, message)?;
        if let Ok(value) = HeaderValue::from_str(&refused.retry_after_secs().to_string()) {
            response.headers_mut().insert(RETRY_AFTER, value);
        }
        return Ok(response);
    }
    let now = Utc::now();
    if let Some(until) = state.store.sign_in_locked(&username, now).await? {
        tracing::info!("sign-in refused: the username is locked");
        return locked_page(&state, username, next, locked_message(until, now));
    }

    let found = state.store.user_by_username(&username).await?;
    let cheap = state.config.argon2_cheap;
    let password = form.password;
    let user = match found {
        Some((user, stored)) if user.active => {
            let ok = tokio::task::spawn_blocking(move || verify_password(&password, &stored))
                .await
                .map_err(|e| PageError::Internal(format!("the password check did not finish: {e}")))?
                .map_err(|e| PageError::Internal(format!("user {}: {e}", user.id)))?;
            ok.then_some(user)
        }
        _ => {
            // Spend the same time as a real check, so the response time does not
            // reveal whether the username exists.
            let _ = tokio::task::spawn_blocking(move || hash_password(&password, cheap)).await;
            None
        }
    };
    let Some(user) = user else {
        tracing::info!("sign-in refused: unknown username, disabled account or wrong password");
        // Counted against the client, then the username; the failure that reaches the
        // username's limit says so at once.
        let _ = limiter.check(client);
        if let Some(until) = state.store.record_sign_in_failure(&username, now).await? {
            tracing::info!("the username is locked after repeated failed sign-ins");
            return locked_page(&state, username, next, locked_message(until, now));
        }
        let errors = vec![SignInError { anchor: "username", message: String::from(BAD_CREDENTIALS) }];
        return render_with_status(
            StatusCode::UNAUTHORIZED,
            &SignInPage::new(&state.config, None, username, next, errors),
        );
    };
    state.store.clear_sign_in_failures(&username).await?;

    // A new token on every sign-in; any session the browser already had is ended, so a
    // token planted before sign-in never becomes a signed-in one.
    if let Some(old) = session_token(&headers) {
        state.store.delete_session(&session_hash(old)).await?;
    }
    let cookie = start_session(&state, &user).await?;
    tracing::info!(user.id = %user.id, sign_in.method = "password", "signed in");
    let target = if next.is_empty() { AFTER_SIGN_IN.to_string() } else { next };
    Ok(see_other(&target, cookie))
}

/// A new session for the user, stored by its hash; the `Set-Cookie` value that hands
/// its token to the browser.
pub(crate) async fn start_session(state: &AppState, user: &User) -> Result<HeaderValue, PageError> {
    let token = new_session_token().map_err(PageError::Internal)?;
    let hours = state.config.session_hours.max(1);
    let expires_at = Utc::now() + Duration::hours(hours);
    state.store.create_session(&session_hash(&token), user.id, expires_at).await?;
    session_cookie(&token, hours * 3600, state.config.secure_cookies).map_err(PageError::Internal)
}

/// The `Set-Cookie` value that removes the session cookie.
pub(crate) fn end_session_cookie(state: &AppState) -> Result<HeaderValue, PageError> {
    session_cookie("", 0, state.config.secure_cookies).map_err(PageError::Internal)
}

/// "in 1 minute", "in 12 minutes".
fn minutes(n: u64) -> String {
    if n == 1 { String::from("1 minute") } else { format!("{n} minutes") }
}

/// What a locked username is told: when to try again, and who can unlock it sooner.
fn locked_message(until: chrono::DateTime<Utc>, now: chrono::DateTime<Utc>) -> String {
    let left = (until - now).num_seconds().max(1) as u64;
    format!(
        "There have been too many failed sign-ins for this username. Try again in {}, or ask an administrator to unlock it",
        minutes(left.div_ceil(60))
    )
}

/// The sign-in page with a lock's message, as 429 Too Many Requests.
fn locked_page(state: &AppState, username: String, next: String, message: String) -> Result<Response, PageError> {
    let errors = vec![SignInError { anchor: "username", message }];
    render_with_status(StatusCode::TOO_MANY_REQUESTS, &SignInPage::new(&state.config, None, username, next, errors))
}

async fn sign_out(State(state): State<AppState>, headers: HeaderMap) -> Result<Response, PageError> {
    if let Some(token) = session_token(&headers) {
        state.store.delete_session(&session_hash(token)).await?;
    }
    Ok(see_other("/", end_session_cookie(&state)?))
}

fn see_other(location: &str, cookie: HeaderValue) -> Response {
    let mut response = StatusCode::SEE_OTHER.into_response();
    if let Ok(location) = HeaderValue::from_str(location) {
        response.headers_mut().insert(LOCATION, location);
    }
    response.headers_mut().insert(SET_COOKIE, cookie);
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_verifies_against_its_own_hash_only() {
        let hash = hash_password("correct horse battery staple", true).expect("hashing works");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password("correct horse battery staple", &hash).expect("hash is valid"));
        assert!(!verify_password("Correct horse battery staple", &hash).expect("hash is valid"));
        assert!(verify_password("x", "not a hash").is_err());
    }

    #[test]
    fn only_paths_on_this_site_are_accepted_as_next() {
        let cases = [
            ("/staff", true),
            ("/staff/plans?x=1", true),
            ("//evil.example", false),
            ("/\\evil.example", false),
            ("https://evil.example/", false),
            ("staff", false),
            ("", false),
            ("/a b", false),
        ];
        for (next, ok) in cases {
            assert_eq!(safe_next(next).is_some(), ok, "{next}");
        }
    }

    #[test]
    fn the_session_token_is_read_from_among_other_cookies() {
        let token = "ab".repeat(32);
        let mut headers = HeaderMap::new();
        headers.insert(
            COOKIE,
            HeaderValue::from_str(&format!("theme=dark; {SESSION_COOKIE}={token}; other=1")).expect("valid header"),
        );
        assert_eq!(session_token(&headers), Some(token.as_str()));
        headers.insert(COOKIE, HeaderValue::from_static("pcplan_session=short"));
        assert_eq!(session_token(&headers), None);
    }

    #[test]
    fn a_return_path_is_encoded_for_the_sign_in_link() {
        assert_eq!(encode_query_value("/staff/plans?a=1&b=2"), "/staff/plans%3Fa%3D1%26b%3D2");
    }
}
