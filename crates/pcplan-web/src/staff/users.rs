//! Staff accounts, for administrators only: `GET /staff/users` lists them with a form to
//! add one, `POST /staff/users` adds one with a generated one-time password shown once on
//! the result page, `POST /staff/users/{user}/role` and `/active` change a role or
//! disable and re-enable an account, and `POST /staff/users/{user}/email` sets or clears
//! the address deadline reminders go to (an administrator may set their own).
//! `POST /staff/users/{user}/unlock` lifts the lock left by repeated failed sign-ins.
//!
//! An administrator cannot disable their own account or change their own role: either
//! could leave nobody able to manage users. Passwords are hashed here (argon2, off the
//! async threads) and never stored, logged or shown again; this module does not let a
//! user choose or reset their own password.

use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::header::CACHE_CONTROL;
use axum::http::{HeaderValue, StatusCode};
use axum::response::Response;
use pcplan_domain::UserId;
use pcplan_store::{NewUser, Role, User};
use serde::Deserialize;

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::{Crumb, Refusal, refusal, see_other};
use crate::AppState;
use crate::auth::{CurrentUser, hash_password};
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// The roles in the order the select offers them: least power first.
const ROLES: [Role; 6] = [Role::Viewer, Role::Liaison, Role::PanelOfficer, Role::Editor, Role::Approver, Role::Admin];

fn role_hint(role: Role) -> &'static str {
    match role {
        Role::Viewer => "Reads every staff page; changes nothing",
        Role::Liaison => "The Chief Constable's office: also reports delivery (figures, grades, progress)",
        Role::PanelOfficer => "Panel scrutiny: also keeps the Panel's reports, meetings and papers",
        Role::Editor => "Drafts and changes plans, decisions, consultations and reports",
        Role::Approver => "Also signs decisions and publishes",
        Role::Admin => "Everything, and manages users and reads the audit log",
    }
}

/// One role in a row's select.
pub struct RoleOption {
    pub value: &'static str,
    pub label: &'static str,
    pub selected: bool,
}

pub struct UserRow {
    pub id: String,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub roles: Vec<RoleOption>,
    pub active: bool,
    /// The address reminders go to; empty when none is set.
    pub email: String,
    /// The signed-in administrator's own row: no role or status controls.
    pub is_self: bool,
    /// When the lock after repeated failed sign-ins ends (local time); empty when the
    /// account is not locked.
    pub locked_until: String,
}

#[derive(Template)]
#[template(path = "staff/users.html")]
pub struct UsersPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub users: Vec<UserRow>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
}

/// Every account, and the ones locked after failed sign-ins.
struct Accounts {
    users: Vec<User>,
    locked: Vec<(UserId, chrono::DateTime<chrono::Utc>)>,
}

async fn accounts(state: &AppState) -> Result<Accounts, PageError> {
    Ok(Accounts { users: state.store.users().await?, locked: state.store.locked_accounts(chrono::Utc::now()).await? })
}

fn users_page(
    me: &CurrentUser,
    accounts: &Accounts,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> UsersPage {
    let roles: Vec<(String, String, String)> =
        ROLES.into_iter().map(|r| (r.as_str().to_string(), r.label().to_string(), role_hint(r).to_string())).collect();
    UsersPage {
        layout: me.layout("Users").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        notice,
        users: accounts
            .users
            .iter()
            .map(|u| UserRow {
                id: u.id.to_string(),
                username: u.username.clone(),
                display_name: u.display_name.clone(),
                role: u.role.label(),
                roles: ROLES
                    .into_iter()
                    .map(|r| RoleOption { value: r.as_str(), label: r.label(), selected: r == u.role })
                    .collect(),
                active: u.active,
                email: u.email.clone().unwrap_or_default(),
                is_self: u.id == me.user.id,
                locked_until: accounts
                    .locked
                    .iter()
                    .find(|(id, _)| *id == u.id)
                    .map(|(_, until)| until.with_timezone(&chrono::Local).format("%H:%M").to_string())
                    .unwrap_or_default(),
            })
            .collect(),
        fields: vec![
            FieldView::text("username", "Username", "Letters, digits, dots or dashes, without spaces", values, &errors),
            FieldView::text("display_name", "Display name", "As the audit log and pages show it", values, &errors),
            FieldView::text(
                "email",
                "Email address (optional)",
                "Reminders of the deadlines this person owns are sent here",
                values,
                &errors,
            ),
            FieldView::radios("role", "Role", "", &roles, values, &errors),
        ],
        errors,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct UsersQuery {
    #[serde(default)]
    done: Option<String>,
    #[serde(default)]
    user: Option<String>,
}

fn require_admin(user: &CurrentUser) -> Result<(), PageError> {
    user.require_admin().map_err(PageError::from)
}

pub async fn list(
    State(state): State<AppState>,
    me: CurrentUser,
    Query(query): Query<UsersQuery>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let accounts = accounts(&state).await?;
    let named = query.user.as_deref().and_then(|id| accounts.users.iter().find(|u| u.id.to_string() == id));
    let notice = match (query.done.as_deref(), named) {
        (Some("role"), Some(u)) => Some(format!("{} is now {}", u.display_name, u.role.label().to_lowercase())),
        (Some("active"), Some(u)) if u.active => Some(format!("{}'s account is enabled", u.display_name)),
        (Some("active"), Some(u)) => Some(format!("{}'s account is disabled", u.display_name)),
        (Some("email"), Some(u)) if u.email.is_some() => Some(format!("{}'s email address is saved", u.display_name)),
        (Some("email"), Some(u)) => Some(format!("{}'s email address is removed", u.display_name)),
        (Some("unlocked"), Some(u)) => Some(format!("{} can sign in again", u.display_name)),
        _ => None,
    };
    render(&users_page(&me, &accounts, &FormValues::default(), FieldErrors::default(), notice))
}

/// A random password of 20 characters from an alphabet without look-alikes (no 0/O,
/// 1/l/I), about 115 bits: long enough that nobody needs to choose it.
fn random_password() -> Result<String, PageError> {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789";
    let mut bytes = [0u8; 20];
    getrandom::fill(&mut bytes).map_err(|e| PageError::Internal(format!("reading random bytes: {e}")))?;
    Ok(bytes.iter().map(|b| char::from(ALPHABET[usize::from(*b) % ALPHABET.len()])).collect())
}

/// A fresh one-time password and its argon2id hash, hashed off the async threads.
async fn one_time_password(state: &AppState) -> Result<(String, String), PageError> {
    let password = random_password()?;
    let cheap = state.config.argon2_cheap;
    let to_hash = password.clone();
    let hash = tokio::task::spawn_blocking(move || hash_password(&to_hash, cheap))
        .await
        .map_err(|e| PageError::Internal(format!("hashing a new password did not finish: {e}")))?
        .map_err(|e| PageError::Internal(e.to_string()))?;
    Ok((password, hash))
}

/// The page that shows a one-time password once, and is never cached.
fn password_shown_once(page: &UserAddedPage) -> Result<Response, PageError> {
    let mut response = render(page)?;
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

#[derive(Template)]
#[template(path = "staff/user_added.html")]
pub struct UserAddedPage {
    pub layout: Layout,
    /// `User added` or `Password reset`.
    pub heading: &'static str,
    pub crumbs: Vec<Crumb>,
    pub username: String,
    pub display_name: String,
    pub role: &'static str,
    pub password: String,
}

pub async fn add(
    State(state): State<AppState>,
    me: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let username = reader.text("username", "Username", true);
    let display_name = reader.text("display_name", "Display name", true);
    let role = reader.choice("role", "role", Role::parse);
    let mut errors = reader.errors;
    if username.chars().any(char::is_whitespace) {
        errors.add("username", "Username must not contain spaces");
    }
    let email = match pcplan_store::parse_email(values.get("email")) {
        Ok(email) => email,
        Err(error) => {
            email_errors(&mut errors, error)?;
            None
        }
    };
    let refuse = |errors: FieldErrors, accounts: Accounts| {
        render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &users_page(&me, &accounts, &values, errors, None))
    };
    let Some(role) = role.filter(|_| errors.is_empty()) else {
        return refuse(errors, accounts(&state).await?);
    };
    let (password, password_hash) = one_time_password(&state).await?;
    let new = NewUser {
        username: username.clone(),
        display_name: display_name.clone(),
        role,
        password_hash,
        one_time_password: true,
        email,
    };
    match state.store.create_user(&me.actor(), &new).await {
        Ok(user) => {
            tracing::info!(user.id = %user.id, "user added");
            let page = UserAddedPage {
                layout: me.layout("User added"),
                heading: "User added",
                crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Users", "/staff/users")],
                username: user.username.clone(),
                display_name: user.display_name.clone(),
                role: user.role.label(),
                password,
            };
            password_shown_once(&page)
        }
        Err(error) => {
            let mut errors = FieldErrors::default();
            match refusal(error)? {
                Refusal::Message(message) => errors.add("username", message),
                Refusal::Problems(problems) => {
                    for p in problems {
                        errors.add("username", super::sentence(&p.problem));
                    }
                }
            }
            refuse(errors, accounts(&state).await?)
        }
    }
}

/// A user from the path, or a 404.
async fn target(state: &AppState, raw: &str) -> Result<User, PageError> {
    let id: UserId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.users().await?.into_iter().find(|u| u.id == id).ok_or(PageError::NotFound)
}

/// Re-renders the users page with one error about one user's row.
async fn refuse_change(state: &AppState, me: &CurrentUser, message: String) -> Result<Response, PageError> {
    let mut errors = FieldErrors::default();
    errors.add_at("users", "users", message);
    let accounts = accounts(state).await?;
    render_with_status(
        StatusCode::UNPROCESSABLE_ENTITY,
        &users_page(me, &accounts, &FormValues::default(), errors, None),
    )
}

#[derive(Debug, Deserialize)]
pub struct RoleForm {
    #[serde(default)]
    role: String,
}

pub async fn set_role(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user): Path<String>,
    Form(form): Form<RoleForm>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let user = target(&state, &user).await?;
    let Some(role) = Role::parse(&form.role) else {
        return refuse_change(&state, &me, format!("Select a role for {}", user.display_name)).await;
    };
    if user.id == me.user.id {
        return refuse_change(&state, &me, String::from("You cannot change your own role; ask another administrator"))
            .await;
    }
    match state.store.set_user_role(&me.actor(), user.id, role).await {
        Ok(_) => Ok(see_other(&format!("/staff/users?done=role&user={}", user.id))),
        Err(error) => match refusal(error)? {
            Refusal::Message(message) => refuse_change(&state, &me, message).await,
            Refusal::Problems(_) => Err(PageError::Internal(String::from("a role change gave plan problems"))),
        },
    }
}

#[derive(Debug, Deserialize)]
pub struct ActiveForm {
    #[serde(default)]
    active: String,
}

pub async fn set_active(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user): Path<String>,
    Form(form): Form<ActiveForm>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let user = target(&state, &user).await?;
    let active = match form.active.as_str() {
        "true" => true,
        "false" => false,
        _ => return refuse_change(&state, &me, format!("Choose whether {} is active", user.display_name)).await,
    };
    if user.id == me.user.id && !active {
        return refuse_change(
            &state,
            &me,
            String::from("You cannot disable your own account; ask another administrator"),
        )
        .await;
    }
    match state.store.set_user_active(&me.actor(), user.id, active).await {
        Ok(_) => Ok(see_other(&format!("/staff/users?done=active&user={}", user.id))),
        Err(error) => match refusal(error)? {
            Refusal::Message(message) => refuse_change(&state, &me, message).await,
            Refusal::Problems(_) => Err(PageError::Internal(String::from("an account change gave plan problems"))),
        },
    }
}

/// Puts a refused email address beside the `email` field; any other error fails the page.
fn email_errors(errors: &mut FieldErrors, error: pcplan_store::StoreError) -> Result<(), PageError> {
    match refusal(error)? {
        Refusal::Message(message) => errors.add("email", message),
        Refusal::Problems(problems) => {
            for p in problems {
                errors.add("email", super::sentence(&p.problem));
            }
        }
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
pub struct EmailForm {
    #[serde(default)]
    email: String,
}

/// Sets or clears (an empty field) the address an account's reminders go to. Unlike a
/// role, an administrator may change their own: it cannot lock anybody out.
pub async fn set_email(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user): Path<String>,
    Form(form): Form<EmailForm>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let user = target(&state, &user).await?;
    let email = form.email.trim();
    match state.store.set_user_email(&me.actor(), user.id, (!email.is_empty()).then_some(email)).await {
        Ok(()) => Ok(see_other(&format!("/staff/users?done=email&user={}", user.id))),
        Err(error) => {
            let mut errors = FieldErrors::default();
            email_errors(&mut errors, error)?;
            let message = errors.list().first().map(|e| e.message.clone()).unwrap_or_default();
            // The summary links to the row's own email box.
            let mut row_errors = FieldErrors::default();
            row_errors.add_at("users", &format!("email-{}", user.id), format!("{}: {message}", user.display_name));
            let accounts = accounts(&state).await?;
            let page = users_page(&me, &accounts, &FormValues::default(), row_errors, None);
            render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
        }
    }
}

/// Gives another account a new one-time password, for a person who forgot theirs. The
/// account must choose its own password at its next sign-in; its open sessions go on
/// until they expire or it signs out.
pub async fn reset_password(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user): Path<String>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let user = target(&state, &user).await?;
    if user.id == me.user.id {
        return refuse_change(
            &state,
            &me,
            String::from("You cannot reset your own password here; use Change your password"),
        )
        .await;
    }
    let (password, password_hash) = one_time_password(&state).await?;
    state.store.set_one_time_password(&me.actor(), user.id, &password_hash).await?;
    tracing::info!(user.id = %user.id, "one-time password set");
    let page = UserAddedPage {
        layout: me.layout("Password reset"),
        heading: "Password reset",
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Users", "/staff/users")],
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.label(),
        password,
    };
    password_shown_once(&page)
}

/// `POST /staff/users/{user}/unlock`: lets an account locked after repeated failed
/// sign-ins try again at once (its owner has called to say it was them). Audited.
pub async fn unlock(
    State(state): State<AppState>,
    me: CurrentUser,
    Path(user): Path<String>,
) -> Result<Response, PageError> {
    require_admin(&me)?;
    let user = target(&state, &user).await?;
    if !state.store.unlock_user(&me.actor(), user.id, chrono::Utc::now()).await? {
        return refuse_change(&state, &me, format!("{} is not locked", user.display_name)).await;
    }
    tracing::info!(user.id = %user.id, "sign-in lock lifted");
    Ok(see_other(&format!("/staff/users?done=unlocked&user={}", user.id)))
}
