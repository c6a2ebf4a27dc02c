//! The public pages as anonymous visitors see them, kept once rendered.
//!
//! Nearly every request for the public plan, the home page or a decision notice comes from
//! someone not signed in, and the page is the same for all of them until a stored record
//! changes or the day turns (which version is in force, what is overdue, how many days a
//! consultation has left are read against today). So a page rendered for one anonymous
//! `GET` is kept, keyed by its path and query, and served to the next from memory.
//!
//! **When a kept page is used.** Each page is stamped with the store's generation (the
//! newest audit entry's number, [`pcplan_store::Store::generation`], read before the page
//! is rendered) and the local date. Every change to a stored record appends to the audit
//! log in its own transaction, whoever makes it (this server, `pcplan` on the command line,
//! another server on the same PostgreSQL), so a request that reads a different generation
//! or date drops every kept page and renders afresh. Each request needs the generation as
//! it stood when the request arrived or later: one read of one row, in place of the
//! dozen queries and the templating a page costs. Reads are shared: one read at a time,
//! and a request waiting for it takes the value of any read that *started* after the
//! request arrived (every change committed before the request arrived is in it), so under
//! load one read serves every request that queued behind the one before. A page rendered
//! while a change commits is stamped with the generation read before it, so it is only
//! ever served to requests that saw that older generation.
//!
//! **What is kept.** Only a `GET` without a session cookie or a condition (`If-None-Match`,
//! `If-Modified-Since`, `Range`), to a route the permissions table gives the public,
//! answered 200 with HTML, with its headers, and no cookie set and no sign of a file
//! (`Content-Disposition`, `ETag`, `Last-Modified`: a paper uploaded as HTML is a
//! download the handler validates itself), of at most
//! [`MAX_PAGE_BYTES`]; and not the pages that answer to what is typed (search) or take
//! part in a conversation with the visitor (surveys, signing in). The whole cache holds
//! at most [`MAX_TOTAL_BYTES`]; past that it starts again empty. Staff always get pages
//! rendered for them. A page served from the cache says `x-pcplan-cache: hit`, one just
//! rendered and kept `miss`; see docs/security.md ("Load").

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::header::{
    CONTENT_DISPOSITION, CONTENT_TYPE, COOKIE, ETAG, IF_MODIFIED_SINCE, IF_NONE_MATCH, LAST_MODIFIED, RANGE, SET_COOKIE,
};
use axum::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use chrono::NaiveDate;

use crate::AppState;
use crate::permissions::{Access, access_for_path};

/// The largest page kept (the demo's public plan is about 90 KB).
pub const MAX_PAGE_BYTES: usize = 2 * 1024 * 1024;

/// The most all kept pages together may take.
pub const MAX_TOTAL_BYTES: usize = 64 * 1024 * 1024;

/// Says whether the response came from the cache.
pub const CACHE_HEADER: HeaderName = HeaderName::from_static("x-pcplan-cache");

/// Public routes never kept: their pages answer the visitor's own input or carry a
/// conversation with them.
const NEVER: [&str; 4] = ["/search", "/consultations", "/sign-in", "/api/"];

/// The kept pages of one application.
#[derive(Debug, Default)]
pub struct PageCache {
    inner: Mutex<Kept>,
    /// The last generation read and when its read started.
    last_read: tokio::sync::Mutex<Option<(Instant, i64)>>,
}

#[derive(Debug, Default)]
struct Kept {
    generation: i64,
    day: Option<NaiveDate>,
    pages: HashMap<String, Page>,
    bytes: usize,
}

#[derive(Clone, Debug)]
struct Page {
    /// The response's headers as the handler gave them.
    headers: HeaderMap,
    body: Bytes,
}

impl PageCache {
    /// The store's generation as it stood at `arrived` or later: the last read's value if
    /// that read started after `arrived`, or a new read.
    async fn generation(&self, store: &pcplan_store::Store, arrived: Instant) -> pcplan_store::Result<i64> {
        let mut last = self.last_read.lock().await;
        if let Some((started, value)) = *last
            && started >= arrived
        {
            return Ok(value);
        }
        let started = Instant::now();
        let value = store.generation().await?;
        *last = Some((started, value));
        Ok(value)
    }

    /// The page kept for `key` when it was made at this generation and date. Anything
    /// kept at another generation or date is dropped first.
    fn get(&self, generation: i64, day: NaiveDate, key: &str) -> Option<Page> {
        let mut kept = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        kept.start_at(generation, day);
        kept.pages.get(key).cloned()
    }

    /// Keeps `page` for `key`, unless the cache has moved on to another generation or
    /// date since the page's was read (the page is then older than what is kept).
    fn put(&self, generation: i64, day: NaiveDate, key: String, page: Page) {
        let mut kept = self.inner.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        if kept.generation != generation || kept.day != Some(day) {
            return;
        }
        if kept.bytes + page.body.len() > MAX_TOTAL_BYTES {
            kept.pages.clear();
            kept.bytes = 0;
        }
        kept.bytes += page.body.len();
        if let Some(replaced) = kept.pages.insert(key, page) {
            kept.bytes -= replaced.body.len();
        }
    }
}

impl Kept {
    fn start_at(&mut self, generation: i64, day: NaiveDate) {
        if self.generation != generation || self.day != Some(day) {
            *self = Kept { generation, day: Some(day), ..Kept::default() };
        }
    }
}

/// Whether a request may be answered from, and its answer kept in, the cache.
fn cacheable(request: &Request) -> bool {
    if request.method() != Method::GET {
        return false;
    }
    let signed_in = request
        .headers()
        .get_all(COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .any(|cookies| cookies.split(';').any(|c| c.trim_start().starts_with(crate::auth::SESSION_COOKIE)));
    // A conditional or partial request is the handler's to answer (304, 206).
    let conditional = [IF_NONE_MATCH, IF_MODIFIED_SINCE, RANGE].iter().any(|h| request.headers().contains_key(h));
    if signed_in || conditional {
        return false;
    }
    let path = request.uri().path();
    if NEVER.iter().any(|prefix| path.starts_with(prefix)) {
        return false;
    }
    access_for_path("GET", path) == Some(Access::Public)
}

/// The middleware: answers a cacheable request from the cache, or renders it and keeps
/// the page.
pub async fn layer(State((state, cache)): State<(AppState, Arc<PageCache>)>, request: Request, next: Next) -> Response {
    if !cacheable(&request) {
        return next.run(request).await;
    }
    // A store that cannot be read is the handler's error to report, not the cache's.
    let Ok(generation) = cache.generation(&state.store, Instant::now()).await else {
        return next.run(request).await;
    };
    let day = chrono::Local::now().date_naive();
    let key = request.uri().to_string();
    if let Some(page) = cache.get(generation, day, &key) {
        return answer(page, "hit");
    }
    let response = next.run(request).await;
    // A page, not a file: files (a paper uploaded as HTML is a download) carry their own
    // validators and name, and the handler answers conditional requests for them.
    let headers = response.headers();
    let keep = response.status() == StatusCode::OK
        && [SET_COOKIE, CONTENT_DISPOSITION, ETAG, LAST_MODIFIED].iter().all(|h| !headers.contains_key(h))
        && headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if !keep {
        return response;
    }
    let (parts, body) = response.into_parts();
    // The page is sent whole either way; a rendered page's body is one buffer, so reading
    // it costs no more than sending it.
    match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => {
            if bytes.len() <= MAX_PAGE_BYTES {
                cache.put(generation, day, key, Page { headers: parts.headers.clone(), body: bytes.clone() });
            }
            let mut response = Response::from_parts(parts, Body::from(bytes));
            response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static("miss"));
            response
        }
        Err(error) => {
            tracing::error!(%error, "reading a rendered page failed");
            (StatusCode::INTERNAL_SERVER_ERROR, "the page could not be prepared; try again").into_response()
        }
    }
}

fn answer(page: Page, how: &'static str) -> Response {
    let mut response = Response::new(Body::from(page.body));
    *response.headers_mut() = page.headers;
    response.headers_mut().insert(CACHE_HEADER, HeaderValue::from_static(how));
    response
}

#[cfg(test)]
mod tests {
    use super::*;

    fn page(text: &'static str) -> Page {
        Page { headers: HeaderMap::new(), body: Bytes::from_static(text.as_bytes()) }
    }

    #[test]
    fn a_page_is_served_only_at_the_generation_and_day_it_was_made() {
        let cache = PageCache::default();
        let monday = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        let tuesday = monday.succ_opt().expect("date");
        assert!(cache.get(5, monday, "/plan").is_none());
        cache.put(5, monday, String::from("/plan"), page("five"));
        assert_eq!(cache.get(5, monday, "/plan").map(|p| p.body), Some(Bytes::from_static(b"five")));
        assert!(cache.get(5, monday, "/plan?x=1").is_none(), "the query is part of the key");
        assert!(cache.get(5, tuesday, "/plan").is_none(), "a new day drops it");
        assert!(cache.get(5, monday, "/plan").is_none(), "and it is gone");
        cache.put(5, monday, String::from("/plan"), page("five"));
        assert!(cache.get(6, monday, "/plan").is_none(), "a change drops it");
        // A page rendered from generation 5 arriving after the cache moved to 6 is not kept.
        cache.put(5, monday, String::from("/plan"), page("old"));
        assert!(cache.get(6, monday, "/plan").is_none());
    }

    #[test]
    fn the_cache_starts_again_when_full() {
        let cache = PageCache::default();
        let day = NaiveDate::from_ymd_opt(2026, 11, 30).expect("date");
        cache.get(1, day, "/");
        let big = Bytes::from(vec![b'x'; MAX_TOTAL_BYTES / 2 + 1]);
        let page = |body: &Bytes| Page { headers: HeaderMap::new(), body: body.clone() };
        cache.put(1, day, String::from("/a"), page(&big));
        cache.put(1, day, String::from("/b"), page(&big));
        assert!(cache.get(1, day, "/a").is_none(), "emptied to make room");
        assert!(cache.get(1, day, "/b").is_some());
        let kept = cache.inner.lock().expect("lock");
        assert_eq!(kept.bytes, big.len());
    }
}
