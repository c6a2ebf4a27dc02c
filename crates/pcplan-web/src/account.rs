//! A signed-in person's own account: choosing a new password, and signing out on every
//! device at once.
//!
//! Passwords set by someone else (the demo, `pcplan user add`, an administrator) are
//! one-time passwords: until the owner chooses their own, every other staff page sends
//! them here and the API answers 403 `password_change_required`. This module does not
//! reset forgotten passwords: an administrator sets a new one-time password instead.

use askama::Template;
use axum::Router;
use axum::extract::{Form, State};
use axum::http::StatusCode;
use axum::http::header::SET_COOKIE;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use serde::Deserialize;

use crate::AppState;
use crate::auth::{AFTER_SIGN_IN, MaybeUser, hash_password, verify_password};
use crate::error::PageError;
use crate::views::{Layout, Nav, render, render_with_status};

/// Where a person chooses their own password.
pub const CHANGE_PASSWORD: &str = "/account/password";

/// Ends every session of the account, this one included.
pub const SIGN_OUT_EVERYWHERE: &str = "/account/sign-out-everywhere";

pub fn router() -> Router<AppState> {
    Router::new()
        .route(CHANGE_PASSWORD, get(page).post(change))
        .route(SIGN_OUT_EVERYWHERE, axum::routing::post(sign_out_everywhere))
        .route("/account/calendar", get(crate::account_feed::page).post(crate::account_feed::make))
        .route("/account/calendar/revoke", axum::routing::post(crate::account_feed::revoke))
}

/// One error on the form: the input it belongs to and the message.
#[derive(Clone, Debug)]
struct FieldError {
    anchor: &'static str,
    message: String,
}

#[derive(Template)]
#[template(path = "account_password.html")]
struct PasswordPage {
    layout: Layout,
    one_time: bool,
    errors: Vec<FieldError>,
}

impl PasswordPage {
    fn error(&self, anchor: &str) -> Option<&str> {
        self.errors.iter().find(|e| e.anchor == anchor).map(|e| e.message.as_str())
    }
}

/// Where an anonymous visitor to this page is sent.
fn sign_in_first() -> Response {
    Redirect::to(&format!("/sign-in?next={CHANGE_PASSWORD}")).into_response()
}

async fn page(MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let Some(user) = user else { return Ok(sign_in_first()) };
    let layout = Layout::new("Choose a new password", Some(&user), Nav::Staff);
    render(&PasswordPage { layout, one_time: user.must_change_password, errors: Vec::new() })
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
}

async fn change(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Form(form): Form<PasswordForm>,
) -> Result<Response, PageError> {
    let Some(user) = user else { return Ok(sign_in_first()) };
    let mut errors = Vec::new();
    let stored = state.store.user_by_username(&user.username).await?.map(|(_, hash)| hash).unwrap_or_default();
    let current = form.current_password.clone();
    let current_ok = if current.is_empty() {
        errors.push(FieldError { anchor: "current_password", message: String::from("Enter your current password") });
        true
    } else {
        tokio::task::spawn_blocking(move || verify_password(&current, &stored))
            .await
            .map_err(|e| PageError::Internal(format!("the password check did not finish: {e}")))?
            .map_err(|e| PageError::Internal(format!("user {}: {e}", user.id)))?
    };
    if !current_ok {
        errors.push(FieldError {
            anchor: "current_password",
            message: String::from("Your current password is not right"),
        });
    }
    if let Some(message) = crate::password_policy::problem(&form.new_password, &user.username) {
        errors.push(FieldError { anchor: "new_password", message: format!("New {}", lower_first(&message)) });
    } else if form.new_password == form.current_password {
        errors.push(FieldError {
            anchor: "new_password",
            message: String::from("New password must be different from your current password"),
        });
    }
    if form.confirm_password != form.new_password {
        errors.push(FieldError { anchor: "confirm_password", message: String::from("The passwords do not match") });
    }
    if !errors.is_empty() {
        let layout = Layout::new("Choose a new password", Some(&user), Nav::Staff).with_errors(true);
        let page = PasswordPage { layout, one_time: user.must_change_password, errors };
        return render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page);
    }
    let cheap = state.config.argon2_cheap;
    let password = form.new_password;
    let hash = tokio::task::spawn_blocking(move || hash_password(&password, cheap))
        .await
        .map_err(|e| PageError::Internal(format!("hashing the new password did not finish: {e}")))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    let actor = pcplan_store::Actor::user(&user);
    // Ends every session of the account, this browser's too; this browser gets a new one.
    state.store.set_user_password(&actor, user.id, &hash).await?;
    let cookie = crate::auth::start_session(&state, &user).await?;
    tracing::info!(user.id = %user.id, "password changed; other sessions ended");
    let mut response = Redirect::to(&format!("{AFTER_SIGN_IN}?done=password")).into_response();
    response.headers_mut().insert(SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /account/sign-out-everywhere`: ends every session of the account (a lost
/// laptop, a shared computer), audited, and sends this browser to the sign-in page.
async fn sign_out_everywhere(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let Some(user) = user else { return Ok(sign_in_first()) };
    let ended = state.store.end_sessions(&pcplan_store::Actor::user(&user), user.id).await?;
    tracing::info!(user.id = %user.id, sessions = ended, "signed out everywhere");
    let mut response = Redirect::to("/sign-in?done=everywhere").into_response();
    response.headers_mut().insert(SET_COOKIE, crate::auth::end_session_cookie(&state)?);
    Ok(response)
}

/// `Password must ...` as `password must ...`, to follow "New".
fn lower_first(message: &str) -> String {
    let mut chars = message.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}
