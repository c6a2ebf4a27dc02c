//! Feeds of the public record that readers subscribe to, and the one Atom writer
//! (RFC 4287, written by hand) the hand-written feeds share:
//!
//! - `GET /plan/versions.atom`: the issued and varied versions of the site body's plan
//!   in force, newest first, each linking to its page at `/plan/versions/{n}`;
//! - `GET /bodies/{id}/plan/versions.atom`: the same for another body on the site,
//!   whose pages live under `/bodies/{id}` (see `public.rs`);
//! - `GET /deadlines.ics`: a stable address for the site body's deadlines calendar,
//!   which sends the reader on to `/bodies/{id}/deadlines.ics` (`feed.rs` writes it), so
//!   pages that do not know the body, such as `/meetings`, can link to it.
//!
//! **Only public versions.** The versions come from [`find_public_plan`] and
//! [`find_body_plan`], which drop every version that is not issued or varied, the same
//! functions the plan pages read; this module has no rule of its own about which
//! versions the public may see, so a draft can reach the feed no more than the page.
//!
//! [`AtomFeed`] writes the document; `/papers.atom` (in `public_meetings.rs`) uses it
//! too. It is deliberately small (ids, titles, dates, links and a plain-text summary,
//! nothing else of Atom), and it does not choose what goes into a feed: each route
//! filters its records first. The feed of decisions, `/decisions.atom`, is older and
//! still writes its own document in `public_decisions.rs`.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::get;
use chrono::{DateTime, NaiveTime, Utc};
use pcplan_domain::{BodyId, VersionMeta};
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::public::{PublicPlan, find_body_plan, find_public_plan, load_public_version};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/plan/versions.atom", get(site_plan_versions))
        .route("/bodies/{body}/plan/versions.atom", get(body_plan_versions))
        .route("/deadlines.ics", get(site_deadlines))
}

/// The media type every Atom feed here is served with.
pub const ATOM_CONTENT_TYPE: &str = "application/atom+xml; charset=utf-8";

/// Escapes text for XML content and attribute values.
pub fn xml_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // Characters XML 1.0 does not allow (controls other than tab and newlines, and
            // the two non-characters) are dropped: a stray one in a title must not make
            // the whole feed unreadable.
            c if c.is_control() && !matches!(c, '\t' | '\n' | '\r') => {}
            '\u{FFFE}' | '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
    out
}

/// An Atom date: `2014-02-25T12:00:00Z`.
fn stamp(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// A `<link>` of a feed or an entry.
pub struct AtomLink {
    /// `self`, `alternate`, `related`.
    pub rel: &'static str,
    /// The media type of what it points to; `None` leaves the attribute out.
    pub media_type: Option<String>,
    pub href: String,
}

impl AtomLink {
    pub fn new(rel: &'static str, media_type: Option<&str>, href: String) -> Self {
        Self { rel, media_type: media_type.map(String::from), href }
    }

    fn write(&self, indent: &str, out: &mut String) {
        out.push_str(&format!("{indent}<link rel=\"{}\"", self.rel));
        if let Some(media_type) = &self.media_type {
            out.push_str(&format!(" type=\"{}\"", xml_escape(media_type)));
        }
        out.push_str(&format!(" href=\"{}\"/>\n", xml_escape(&self.href)));
    }
}

/// One `<entry>`. Its text is plain text; the writer escapes it.
pub struct AtomEntry {
    /// A permanent URI, `urn:uuid:...` of the record, so a reader never shows an entry
    /// twice however its title changes.
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    pub published: DateTime<Utc>,
    pub links: Vec<AtomLink>,
    pub summary: String,
}

/// A whole feed, written by [`AtomFeed::to_xml`] with its elements in a fixed order
/// (id, title, updated, author, links, then the entries in the order given).
pub struct AtomFeed {
    pub id: String,
    pub title: String,
    pub updated: DateTime<Utc>,
    pub author: String,
    pub links: Vec<AtomLink>,
    pub entries: Vec<AtomEntry>,
}

impl AtomFeed {
    /// The document, UTF-8 with its XML declaration.
    pub fn to_xml(&self) -> String {
        let mut xml =
            String::from("<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n");
        xml.push_str(&format!("  <id>{}</id>\n", xml_escape(&self.id)));
        xml.push_str(&format!("  <title>{}</title>\n", xml_escape(&self.title)));
        xml.push_str(&format!("  <updated>{}</updated>\n", stamp(self.updated)));
        xml.push_str(&format!("  <author><name>{}</name></author>\n", xml_escape(&self.author)));
        for link in &self.links {
            link.write("  ", &mut xml);
        }
        for entry in &self.entries {
            xml.push_str("  <entry>\n");
            xml.push_str(&format!("    <id>{}</id>\n", xml_escape(&entry.id)));
            xml.push_str(&format!("    <title>{}</title>\n", xml_escape(&entry.title)));
            xml.push_str(&format!("    <updated>{}</updated>\n", stamp(entry.updated)));
            xml.push_str(&format!("    <published>{}</published>\n", stamp(entry.published)));
            for link in &entry.links {
                link.write("    ", &mut xml);
            }
            xml.push_str(&format!("    <summary>{}</summary>\n", xml_escape(&entry.summary)));
            xml.push_str("  </entry>\n");
        }
        xml.push_str("</feed>\n");
        xml
    }
}

impl IntoResponse for AtomFeed {
    /// The document as `application/atom+xml`, cacheable for five minutes: readers poll,
    /// and a new record can wait that long.
    fn into_response(self) -> Response {
        ([(CONTENT_TYPE, ATOM_CONTENT_TYPE), (CACHE_CONTROL, "public, max-age=300")], self.to_xml()).into_response()
    }
}

/// A UUID that is the same every time for the same parts: the first 16 bytes of their
/// SHA-256, marked as a custom (version 8) UUID. Plan versions have no UUID of their own
/// (they are numbered within their plan), and `uuid`'s name-based v5 is not built here.
fn derived_uuid(parts: &[&str]) -> uuid::Uuid {
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part.as_bytes());
        // A separator, so ("ab", "c") and ("a", "bc") differ.
        hasher.update([0u8]);
    }
    let digest = hasher.finalize();
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// The site's public address without its trailing `/`, or `""` for links relative to
/// the site, as the other feeds write them.
fn site_address(state: &AppState) -> String {
    state.config.public_base_url.as_deref().unwrap_or("").trim_end_matches('/').to_string()
}

/// `GET /plan/versions.atom`: a 404 until the site body has issued a plan, as there is
/// no plan page to subscribe to before then.
async fn site_plan_versions(State(state): State<AppState>) -> Result<Response, PageError> {
    let public = find_public_plan(&state.store).await?.ok_or(PageError::NotFound)?;
    plan_versions_feed(&state, &public, "").await
}

/// `GET /bodies/{id}/plan/versions.atom`: a 404 for a body with no public plan, as its
/// pages are.
async fn body_plan_versions(State(state): State<AppState>, Path(body): Path<String>) -> Result<Response, PageError> {
    let body: BodyId = body.parse().map_err(|_| PageError::NotFound)?;
    let public = find_body_plan(&state.store, body).await?.ok_or(PageError::NotFound)?;
    // The site body's pages are at the root, whichever address its feed was asked at:
    // the same choice `public.rs` makes for the pages' own links.
    let base = if state.store.site_body().await? == Some(body) { String::new() } else { format!("/bodies/{body}") };
    plan_versions_feed(&state, &public, &base).await
}

/// When a version took effect, for its entry: its effective date at midnight UTC, or
/// when it was made if it has none.
fn version_date(meta: &VersionMeta) -> DateTime<Utc> {
    meta.effective_on.map(|d| d.and_time(NaiveTime::MIN).and_utc()).unwrap_or(meta.made_at)
}

/// The feed of a public plan's versions; `base` is where the body's pages start (`""`
/// or `/bodies/{id}`).
async fn plan_versions_feed(state: &AppState, public: &PublicPlan, base: &str) -> Result<Response, PageError> {
    let site = site_address(state);
    // The feed's title names the plan in force; its versions are all of this plan.
    let current = public.current().ok_or(PageError::NotFound)?.number;
    let plan_title = load_public_version(&state.store, public, current)
        .await?
        .map(|v| v.plan.title)
        .unwrap_or_else(|| String::from("Police and crime plan"));
    let body_id = public.body.id.to_string();
    let plan_id = public.plan_id.to_string();
    // `public.versions` holds issued and varied versions only (see `find_body_plan`).
    let mut versions: Vec<&VersionMeta> = public.versions.iter().collect();
    versions.sort_by_key(|v| std::cmp::Reverse(v.number));
    let entries: Vec<AtomEntry> = versions
        .iter()
        .map(|meta| {
            let at = version_date(meta);
            let when = meta.effective_on.map(|d| format!(", in effect from {}", long_date(d))).unwrap_or_default();
            AtomEntry {
                id: format!(
                    "urn:uuid:{}",
                    derived_uuid(&["pcplan plan version", &plan_id, &meta.number.0.to_string()])
                ),
                title: format!("Version {}: {}", meta.number, meta.label),
                updated: at,
                published: at,
                // The numbered page rather than `/plan`: an entry's link must still lead
                // to this version once a later one is in force.
                links: vec![AtomLink::new(
                    "alternate",
                    Some("text/html"),
                    format!("{site}{base}/plan/versions/{}", meta.number),
                )],
                summary: format!("{}: version {} ({}{when}).", plan_title, meta.number, meta.kind.label()),
            }
        })
        .collect();
    let feed = AtomFeed {
        // From the body, not the plan, so the feed keeps its identity when a new term's
        // plan takes over the same address.
        id: format!("urn:uuid:{}", derived_uuid(&["pcplan plan versions feed", &body_id])),
        title: format!("{plan_title}: issued and varied versions"),
        updated: entries.iter().map(|e| e.updated).max().unwrap_or(DateTime::UNIX_EPOCH),
        author: public.body.name.clone(),
        links: vec![
            AtomLink::new("self", Some("application/atom+xml"), format!("{site}{base}/plan/versions.atom")),
            AtomLink::new("alternate", Some("text/html"), format!("{site}{base}/plan")),
        ],
        entries,
    };
    Ok(feed.into_response())
}

/// `GET /deadlines.ics`: on to the site body's calendar. A temporary redirect, because
/// which body is the site body is the installation's choice and may change.
async fn site_deadlines(State(state): State<AppState>) -> Result<Response, PageError> {
    let body = state.store.site_body().await?.ok_or(PageError::NotFound)?;
    Ok(Redirect::temporary(&format!("/bodies/{body}/deadlines.ics")).into_response())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_and_quotes_are_escaped_and_characters_xml_forbids_are_dropped() {
        assert_eq!(xml_escape("<script>&\"'\u{1}\u{FFFF}é\t"), "&lt;script&gt;&amp;&quot;&apos;é\t");
    }

    #[test]
    fn a_derived_uuid_is_stable_and_depends_on_where_the_parts_split() {
        let one = derived_uuid(&["plan", "1"]);
        assert_eq!(one, derived_uuid(&["plan", "1"]));
        assert_ne!(one, derived_uuid(&["plan", "2"]));
        assert_ne!(derived_uuid(&["ab", "c"]), derived_uuid(&["a", "bc"]));
        assert_eq!(one.get_version_num(), 8);
    }

    #[test]
    fn a_feed_writes_its_elements_in_order_and_escapes_every_text() {
        let at = DateTime::UNIX_EPOCH;
        let feed = AtomFeed {
            id: String::from("urn:x"),
            title: String::from("A & B"),
            updated: at,
            author: String::from("<me>"),
            links: vec![AtomLink::new("self", None, String::from("/f?a=1&b=2"))],
            entries: vec![AtomEntry {
                id: String::from("urn:y"),
                title: String::from("\"quoted\""),
                updated: at,
                published: at,
                links: vec![AtomLink::new("alternate", Some("text/html"), String::from("/e"))],
                summary: String::from("it's"),
            }],
        };
        let expected = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\">\n  \
             <id>urn:x</id>\n  <title>A &amp; B</title>\n  <updated>1970-01-01T00:00:00Z</updated>\n  \
             <author><name>&lt;me&gt;</name></author>\n  <link rel=\"self\" href=\"/f?a=1&amp;b=2\"/>\n  \
             <entry>\n    <id>urn:y</id>\n    <title>&quot;quoted&quot;</title>\n    \
             <updated>1970-01-01T00:00:00Z</updated>\n    <published>1970-01-01T00:00:00Z</published>\n    \
             <link rel=\"alternate\" type=\"text/html\" href=\"/e\"/>\n    <summary>it&apos;s</summary>\n  \
             </entry>\n</feed>\n";
        assert_eq!(feed.to_xml(), expected);
    }
}
