//! HTTP for pcplan: the public plan pages, sign-in, the JSON API under `/api/v1`, the
//! vendored front-end assets, and (built on the same pieces) the staff pages.
//!
//! [`app`] builds the whole application as one axum [`Router`]: each module owns its
//! routes (`pub fn router() -> Router<AppState>`) and they are merged here, under one
//! stack of layers: tracing, panic catching, security headers, compression, protection
//! against cross-site form posts, and a request body limit. Only this crate knows HTTP,
//! HTML and JSON; it reads and writes through [`pcplan_store::Store`] and never runs SQL
//! itself. It does not start a server or read configuration files: the `pcplan` binary
//! does both and hands over an [`AppState`].

pub mod accessibility;
pub mod account;
mod account_feed;
pub mod api;
pub mod api_agenda;
pub mod api_boards;
pub mod api_clock;
pub mod api_decisions;
pub mod api_reports;
pub mod assets;
pub mod auth;
pub(crate) mod board_report;
mod comparison;
pub mod consultation_work;
pub mod error;
pub mod feed;
pub mod oidc;
pub mod open_data;
pub mod page_cache;
pub mod papers;
pub mod password_policy;
pub mod pdf_chart;
pub(crate) mod performance_view;
pub mod performance_work;
pub mod permissions;
pub mod plan_document;
pub mod plan_view;
pub mod print;
pub mod public;
pub mod public_annual_reports;
pub mod public_consultations;
pub mod public_decisions;
pub mod public_feeds;
pub mod public_meetings;
pub mod public_reports;
pub mod rate_limit;
pub mod search;
pub mod staff;
pub mod table_csv;
pub mod transparency;
pub mod views;
pub mod workbook;

use std::time::Duration;

use axum::Router;
use axum::body::Body;
use axum::extract::{DefaultBodyLimit, State};
use axum::http::header::{CONTENT_SECURITY_POLICY, REFERRER_POLICY, X_CONTENT_TYPE_OPTIONS, X_FRAME_OPTIONS};
use axum::http::{HeaderName, HeaderValue, Request, Uri};
use axum::response::{IntoResponse, Response};
use pcplan_store::Store;
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::compression::CompressionLayer;
use tower_http::csrf::CsrfLayer;
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::TraceLayer;

use crate::error::{ApiError, PageError};

/// What every handler can reach.
#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: WebConfig,
}

/// Settings of the web layer.
#[derive(Clone, Debug)]
pub struct WebConfig {
    /// Mark the session cookie `Secure`. True behind HTTPS (the default); false only for
    /// plain-HTTP local runs, or browsers will not send the cookie back.
    pub secure_cookies: bool,
    /// How long a session lasts, in hours, from sign-in.
    pub session_hours: i64,
    /// Hash new passwords at argon2's minimum cost. For tests only: never in production.
    pub argon2_cheap: bool,
    /// The public address of the site (`https://plan.example-pcc.org.uk`), when a reverse
    /// proxy rewrites the `Host` header: form posts whose `Origin` is this address are
    /// then accepted. Without a proxy, leave it `None`.
    pub public_base_url: Option<String>,
    /// The largest paper a meeting's upload accepts, in bytes (20 MiB by default). The
    /// upload routes alone accept bodies this large (plus room for the form); every
    /// other route keeps [`BODY_LIMIT_BYTES`].
    pub max_paper_bytes: usize,
    /// How many survey responses one client, and everyone together, may post; see
    /// [`rate_limit::Limits::SURVEY`] for the defaults.
    pub survey_limits: rate_limit::Limits,
    /// How many failed sign-ins one client, and everyone together, may make; see
    /// [`rate_limit::Limits::SIGN_IN`].
    pub sign_in_limits: rate_limit::Limits,
    /// The all-MiniLM-L6-v2 directory *Find themes* uses in a build with the
    /// `embeddings` feature; `None` (the default), or a model that does not load, means
    /// TF-IDF, and the version's note says why.
    pub embedding_model_dir: Option<std::path::PathBuf>,
    /// Sign-in with an organisation account (OpenID Connect); `None` (the default)
    /// shows no button and answers 404 on its routes. See [`oidc`].
    pub oidc: Option<oidc::OidcSettings>,
}

impl Default for WebConfig {
    fn default() -> Self {
        Self {
            secure_cookies: true,
            session_hours: 8,
            argon2_cheap: false,
            public_base_url: None,
            max_paper_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
            survey_limits: rate_limit::Limits::SURVEY,
            sign_in_limits: rate_limit::Limits::SIGN_IN,
            embedding_model_dir: None,
            oidc: None,
        }
    }
}

/// Today's date where the server runs. Deadlines are dates in England and Wales, so a
/// server should run with `TZ=Europe/London`; the reminders engine uses the same date,
/// so the dashboard and the e-mails never disagree about what is overdue.
pub fn today() -> chrono::NaiveDate {
    chrono::Local::now().date_naive()
}

/// The largest request body accepted: a whole plan file of several hundred records is
/// well under 1 MiB.
pub const BODY_LIMIT_BYTES: usize = 2 * 1024 * 1024;

/// Room for the multipart framing and the text fields of a paper upload, on top of the
/// file itself.
pub const UPLOAD_OVERHEAD_BYTES: usize = 64 * 1024;

/// Whether a path is an upload route, the only routes allowed bodies over
/// [`BODY_LIMIT_BYTES`]: papers (`/staff/meetings/{id}/uploads`,
/// `/api/v1/meetings/{id}/uploads`) and files of responses to import ([`is_import_path`]).
pub fn is_upload_path(path: &str) -> bool {
    (path.ends_with("/uploads") && (path.starts_with("/staff/meetings/") || path.starts_with("/api/v1/meetings/")))
        || is_import_path(path)
}

/// The largest file of responses an import accepts: 100,000 rows of survey answers
/// with room to spare.
pub const IMPORT_MAX_BYTES: usize = 50 * 1024 * 1024;

/// Whether a path is the upload of a file of responses, `/staff/consultations/{id}/import`,
/// which accepts [`IMPORT_MAX_BYTES`] (plus room for the form).
pub fn is_import_path(path: &str) -> bool {
    path.strip_prefix("/staff/consultations/")
        .and_then(|rest| rest.strip_suffix("/import"))
        .is_some_and(|id| !id.is_empty() && !id.contains('/'))
}

/// Refuses, before any handler runs, a request whose declared length is over the limit
/// of its route: [`BODY_LIMIT_BYTES`] everywhere but the upload routes. Bodies streamed
/// without a length are held to the same limits by `DefaultBodyLimit` (the extractors)
/// and, on the upload routes, by the upload reader, which counts the file's bytes.
async fn declared_length_limit(
    axum::extract::State(upload_limit): axum::extract::State<usize>,
    request: Request<Body>,
    next: axum::middleware::Next,
) -> Response {
    let path = request.uri().path();
    let limit = if is_import_path(path) {
        IMPORT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES
    } else if performance_work::is_crime_upload_path(path) {
        performance_work::CRIME_UPLOAD_MAX_BYTES + UPLOAD_OVERHEAD_BYTES
    } else if is_upload_path(path) {
        upload_limit
    } else {
        BODY_LIMIT_BYTES
    };
    let declared = request
        .headers()
        .get(axum::http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<usize>().ok());
    if declared.is_some_and(|length| length > limit) {
        // The survey's own page says how to send a long response another way.
        if let Some(page) = public_consultations::too_large_for(request.uri().path()) {
            return page;
        }
        return (axum::http::StatusCode::PAYLOAD_TOO_LARGE, "length limit exceeded").into_response();
    }
    next.run(request).await
}

/// Only this site's own files: no inline script or style, no framing, forms post here.
const CONTENT_SECURITY_POLICY_VALUE: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self'; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; \
     form-action 'self'; frame-ancestors 'none'";

/// Every route of the application, without the layers: what [`app`] serves, and what
/// `tests/permissions.rs` reads the list of routes from.
pub fn routes(config: &WebConfig) -> Router<AppState> {
    Router::new()
        .merge(public::router())
        .merge(accessibility::router())
        .merge(public_decisions::router())
        .merge(public_reports::router())
        .merge(public_annual_reports::router())
        .merge(open_data::router())
        .merge(auth::router(config))
        .merge(oidc::router(config))
        .merge(account::router())
        .merge(feed::router())
        .merge(api::router())
        .merge(api_clock::router())
        .merge(api_agenda::router())
        .merge(print::router())
        .merge(plan_document::router())
        .merge(api_boards::router())
        .merge(public_meetings::router())
        .merge(public_feeds::router())
        .merge(public_consultations::router(config))
        .merge(api_decisions::router())
        .merge(api_reports::router())
        .merge(staff::router())
        .merge(search::router())
        .merge(workbook::router())
        .merge(transparency::router())
        .merge(assets::router())
}

/// The whole application, ready for `axum::serve`.
pub fn app(state: AppState) -> Router {
    let csrf = csrf_layer(state.config.public_base_url.as_deref());
    let upload_limit = state.config.max_paper_bytes.saturating_add(UPLOAD_OVERHEAD_BYTES);
    routes(&state.config)
        // Who may use each route: the one table, checked before any handler runs.
        .route_layer(axum::middleware::from_fn_with_state(state.clone(), permissions::enforce))
        // Public pages as anonymous visitors see them, kept until a record changes or the
        // day turns; outside the permissions check, which it repeats for what it keeps.
        .route_layer(axum::middleware::from_fn_with_state(
            (state.clone(), std::sync::Arc::new(page_cache::PageCache::default())),
            page_cache::layer,
        ))
        .fallback(not_found)
        .with_state(state.clone())
        // Browsers remember to use HTTPS only when the site says it is served over it.
        .layer(axum::middleware::map_response_with_state(hsts(&state.config), add_hsts))
        // Uploads waiting for their import and imports running, shared by this app only.
        .layer(axum::Extension(staff::ImportWork::default()))
        .layer(
            ServiceBuilder::new()
                .layer(TraceLayer::new_for_http())
                .layer(SetResponseHeaderLayer::if_not_present(
                    X_CONTENT_TYPE_OPTIONS,
                    HeaderValue::from_static("nosniff"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(X_FRAME_OPTIONS, HeaderValue::from_static("DENY")))
                .layer(SetResponseHeaderLayer::if_not_present(
                    REFERRER_POLICY,
                    HeaderValue::from_static("strict-origin-when-cross-origin"),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    CONTENT_SECURITY_POLICY,
                    HeaderValue::from_static(CONTENT_SECURITY_POLICY_VALUE),
                ))
                .layer(SetResponseHeaderLayer::if_not_present(
                    HeaderName::from_static("cross-origin-opener-policy"),
                    HeaderValue::from_static("same-origin"),
                ))
                .layer(CatchPanicLayer::custom(panicked))
                .layer(CompressionLayer::new())
                // Inside compression, so it reads the page's HTML as written; outside the body
                // limits, which change the request body's type.
                .layer(axum::middleware::from_fn(table_csv::layer))
                .layer(axum::middleware::from_fn_with_state(upload_limit, declared_length_limit))
                .layer(RequestBodyLimitLayer::new(
                    upload_limit
                        .max(BODY_LIMIT_BYTES)
                        .max(IMPORT_MAX_BYTES + UPLOAD_OVERHEAD_BYTES)
                        .max(performance_work::CRIME_UPLOAD_MAX_BYTES + UPLOAD_OVERHEAD_BYTES),
                ))
                .layer(csrf)
                .layer(DefaultBodyLimit::max(BODY_LIMIT_BYTES))
                .layer(tower_http::timeout::TimeoutLayer::with_status_code(
                    axum::http::StatusCode::REQUEST_TIMEOUT,
                    Duration::from_secs(60),
                )),
        )
}

/// `Strict-Transport-Security` for a site whose public address is `https://`: a year,
/// the value the NCSC and GOV.UK ask of HTTPS services. None over plain HTTP (the local
/// demo), where it would be ignored, or behind a proxy not configured with its address.
fn hsts(config: &WebConfig) -> Option<HeaderValue> {
    let https = config.public_base_url.as_deref().is_some_and(|url| url.to_ascii_lowercase().starts_with("https://"));
    https.then(|| HeaderValue::from_static("max-age=31536000"))
}

async fn add_hsts(State(hsts): State<Option<HeaderValue>>, mut response: Response) -> Response {
    if let Some(value) = hsts {
        response.headers_mut().insert(axum::http::header::STRICT_TRANSPORT_SECURITY, value);
    }
    response
}

/// Refuses cross-site state-changing requests (POST, PUT, DELETE...) using the browser's
/// `Sec-Fetch-Site` and `Origin` headers, with no tokens in forms. Requests with
/// neither header (command-line API clients) pass: they carry no ambient browser
/// cookies an attacker could borrow.
fn csrf_layer(public_base_url: Option<&str>) -> CsrfLayer<fn(tower_http::csrf::ProtectionError) -> Response> {
    let refused: fn(tower_http::csrf::ProtectionError) -> Response = |error| {
        tracing::info!(csrf.reason = %error, "cross-site request refused");
        PageError::CrossSite.into_response()
    };
    let mut layer = CsrfLayer::new().with_rejection_response(refused);
    if let Some(url) = public_base_url {
        match origin_of(url) {
            Some(origin) => match layer.clone().add_trusted_origin(&origin) {
                Ok(with_origin) => layer = with_origin,
                Err(error) => {
                    tracing::warn!(config.public_base_url = url, error = %error, "public_base_url not trusted")
                }
            },
            None => tracing::warn!(config.public_base_url = url, "public_base_url is not an http(s) address; ignored"),
        }
    }
    layer
}

/// `https://example.org` from `https://example.org/some/path`.
fn origin_of(url: &str) -> Option<String> {
    let uri: Uri = url.parse().ok()?;
    let scheme = uri.scheme_str().filter(|s| *s == "http" || *s == "https")?;
    Some(format!("{scheme}://{}", uri.authority()?))
}

/// A 404 for any path no router claims: JSON under `/api/`, a page elsewhere.
async fn not_found(request: Request<Body>) -> Response {
    let path = request.uri().path();
    if path == "/api" || path.starts_with("/api/") {
        ApiError::not_found(format!("no API route {} {path}; see the route list in the API docs", request.method()))
            .into_response()
    } else {
        PageError::NotFound.into_response()
    }
}

/// A handler panicked: the generic 500 page; the panic is logged by `PageError`.
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> Response {
    let detail = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    PageError::Internal(format!("a handler panicked: {detail}")).into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_trusted_origin_is_the_scheme_and_host_of_the_public_address() {
        assert_eq!(origin_of("https://plan.example.org/pcplan/"), Some(String::from("https://plan.example.org")));
        assert_eq!(origin_of("http://localhost:8080"), Some(String::from("http://localhost:8080")));
        assert_eq!(origin_of("ftp://example.org"), None);
        assert_eq!(origin_of("not a url"), None);
    }
}
