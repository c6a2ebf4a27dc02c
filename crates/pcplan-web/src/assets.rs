//! The vendored front-end files (govuk-frontend's CSS and JS, pcplan's own CSS, script
//! and icon), compiled into the binary and served under `/assets/`.
//!
//! Embedding them means a deployment is one file and nothing is fetched from a CDN or
//! read from disk at run time. The files never change within one build, so they are
//! served with a year-long `immutable` cache header; a new release is a new binary, and
//! each URL carries no version, so browsers revalidate after a release only when the
//! cache expires. That trade is accepted for an alpha: the alternative, fingerprinted
//! names, would need a build step. This module does not serve uploaded or generated
//! files. See `assets/README.md` for where each file came from and its licence.

use axum::Router;
use axum::extract::Path;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::AppState;
use crate::error::PageError;

/// One embedded file: its name under `/assets/`, content type and bytes.
struct Asset {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
}

/// Every file served. The CSS refers to nothing else under `/assets/` that a pcplan
/// page uses (see `assets/README.md` on the footer crest).
const ASSETS: &[Asset] = &[
    Asset {
        name: "govuk-frontend.min.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/govuk/govuk-frontend.min.css"),
    },
    Asset {
        name: "govuk-frontend.min.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/govuk/govuk-frontend.min.js"),
    },
    Asset {
        name: "govuk-frontend-LICENSE.txt",
        content_type: "text/plain; charset=utf-8",
        bytes: include_bytes!("../assets/govuk/LICENSE.txt"),
    },
    Asset {
        name: "pcplan.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/pcplan/pcplan.css"),
    },
    Asset {
        name: "init.js",
        content_type: "text/javascript; charset=utf-8",
        bytes: include_bytes!("../assets/pcplan/init.js"),
    },
    Asset {
        name: "print.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/pcplan/print.css"),
    },
    Asset {
        name: "decision-print.css",
        content_type: "text/css; charset=utf-8",
        bytes: include_bytes!("../assets/pcplan/decision-print.css"),
    },
    Asset { name: "favicon.svg", content_type: "image/svg+xml", bytes: include_bytes!("../assets/pcplan/favicon.svg") },
];

/// A year, the longest cache lifetime browsers honour.
const CACHE: &str = "public, max-age=31536000, immutable";

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/assets/{name}", get(asset))
        .route("/favicon.ico", get(|| asset(Path(String::from("favicon.svg")))))
}

async fn asset(Path(name): Path<String>) -> Response {
    match ASSETS.iter().find(|a| a.name == name) {
        Some(asset) => ([(CONTENT_TYPE, asset.content_type), (CACHE_CONTROL, CACHE)], asset.bytes).into_response(),
        None => PageError::NotFound.into_response(),
    }
}
