//! `/account/calendar`: the secret link to a person's own calendar feed, which lists the
//! Panel meetings and every deadline they own, for Outlook or any calendar that can
//! subscribe to an internet calendar.
//!
//! The link carries a random token; the store keeps only its hash, so the link is shown
//! once, when it is made, like a one-time password. Making a new link revokes the old
//! one, and so does the "Stop the link" button; a deactivated account's link stops
//! working at once (`Store::feed_user` answers only for active accounts).

use askama::Template;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::header::HOST;
use axum::response::Response;

use crate::AppState;
use crate::auth::{CurrentUser, new_session_token, session_hash};
use crate::error::PageError;
use crate::views::{Layout, render};

#[derive(Template)]
#[template(path = "account_calendar.html")]
pub struct CalendarLinkPage {
    pub layout: Layout,
    /// The link, only on the page that made it.
    pub new_link: Option<String>,
    pub has_link: bool,
    pub revoked: bool,
}

/// The site's address for links that leave the browser: the configured public address,
/// or the address this request came to.
fn site(state: &AppState, headers: &HeaderMap) -> String {
    match &state.config.public_base_url {
        Some(base) => base.trim_end_matches('/').to_string(),
        None => {
            let host = headers.get(HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
            let scheme = if state.config.secure_cookies { "https" } else { "http" };
            format!("{scheme}://{host}")
        }
    }
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let has_link = state.store.has_feed_token(user.user.id).await?;
    render(&CalendarLinkPage { layout: user.layout("Your calendar feed"), new_link: None, has_link, revoked: false })
}

/// `POST /account/calendar`: makes a new link, revoking any earlier one, and shows it once.
pub async fn make(State(state): State<AppState>, user: CurrentUser, headers: HeaderMap) -> Result<Response, PageError> {
    let token = new_session_token().map_err(PageError::Internal)?;
    state.store.set_feed_token(&user.actor(), user.user.id, &session_hash(&token)).await?;
    let link = format!("{}/feeds/{token}/deadlines.ics", site(&state, &headers));
    render(&CalendarLinkPage {
        layout: user.layout("Your calendar feed"),
        new_link: Some(link),
        has_link: true,
        revoked: false,
    })
}

/// `POST /account/calendar/revoke`: stops the link working.
pub async fn revoke(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    state.store.delete_feed_token(&user.actor(), user.user.id).await?;
    render(&CalendarLinkPage {
        layout: user.layout("Your calendar feed"),
        new_link: None,
        has_link: false,
        revoked: true,
    })
}
