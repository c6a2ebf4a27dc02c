//! Every table a page shows, as a CSV download: `GET <page>?<its query>&csv=<table id>`.
//!
//! [`layer`] sits inside every other layer of [`crate::app`]. A GET request whose query
//! names a table (`csv=measures-table`) goes to the page's ordinary handler with that
//! one parameter removed, so who may see it, which body it is about and its filters are
//! exactly those of the page. When the handler answers with a 200 HTML page, the table
//! with that `id` is read out of the HTML ([`read_table`]) and sent as a CSV attachment
//! written by [`pcplan_import::export::Csv`] (byte order mark, CRLF, quoting and the
//! formula-injection guard); a page without that table is a 404 page, and any other
//! answer (a redirect to sign in, a 403, a 404) goes back unchanged, so the CSV is
//! refused exactly as the page is.
//!
//! Pages offer the download with `partials/csv_link.html`, whose link keeps the page's
//! current query string ([`href`]): the layer puts the request's query in a task-local
//! while the handler renders. The link is offered only on pages answering a GET
//! ([`offered`]): a page shown in answer to a form post cannot be fetched again by a
//! link.
//!
//! What a cell holds in the CSV: its `data-csv` attribute when it has one (templates put
//! raw values there, `9050` for `9,050`, `2022-10-01` for `1 October 2022`, or an empty
//! value for link-only "Change" cells); otherwise its accessible text, tags removed,
//! entities decoded, white space collapsed, `<br>` and the start and end of a block (a
//! paragraph, list item, heading, `<pre>`, summary) as line breaks, a `<pre>`'s own line breaks
//! kept, visually hidden text kept (it is what a screen reader says) and `aria-hidden`
//! text dropped. Header rows come from `<thead>` (a `colspan` header
//! is repeated over its columns), then the body rows, then the `<tfoot>` rows (a
//! `colspan` cell padded with empty cells); every row is padded to the widest, and a
//! column empty in every row, its header included, is left out.
//!
//! The HTML reader is deliberately small: it reads the well-formed output of our own
//! askama templates, not arbitrary HTML. It does not handle `rowspan` (no template uses
//! it), implied end tags or character references outside a short list of named ones.

use std::fmt::{Display, Write as _};

use axum::body::Body;
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderValue, Method, Request, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use pcplan_import::export::Csv;

use crate::error::PageError;

/// The query parameter naming the table to download.
pub const PARAMETER: &str = "csv";

/// The largest page whose table is read: far above any page pcplan renders.
const PAGE_LIMIT_BYTES: usize = 64 * 1024 * 1024;

/// What the templates need to know about the request being answered.
#[derive(Clone, Debug)]
struct PageRequest {
    /// The request is a GET, so a link can fetch the page again.
    get: bool,
    /// The query without any `csv` parameter, as sent (still percent-encoded).
    query: String,
}

tokio::task_local! {
    static PAGE: PageRequest;
}

/// Whether the page being rendered may offer CSV downloads of its tables: it answers a
/// GET request passing through [`layer`].
pub fn offered() -> bool {
    PAGE.try_with(|page| page.get).unwrap_or(false)
}

/// The link that downloads table `id` of the page being rendered: the page's own query
/// with `csv=<id>` added, relative to the page (`?body=…&csv=measures-table`).
pub fn href(id: impl Display) -> String {
    let id = encode(&id.to_string());
    let query = PAGE.try_with(|page| page.query.clone()).unwrap_or_default();
    if query.is_empty() { format!("?{PARAMETER}={id}") } else { format!("?{query}&{PARAMETER}={id}") }
}

/// A table written as HTML by Rust code (a chart's data table from `pcplan-charts`) with
/// `id` put on its `<table>` tag, so it can be downloaded like any other.
pub fn with_id(table_html: &str, id: impl Display) -> String {
    let id = id.to_string().replace('&', "&amp;").replace('"', "&#34;").replace('<', "&lt;");
    match table_html.find("<table") {
        Some(at) => format!("{}<table id=\"{id}\"{}", &table_html[..at], &table_html[at + "<table".len()..]),
        None => table_html.to_string(),
    }
}

/// An amount as a plain number of pounds for a `data-csv` value: `1250000.00`, `-12.50`.
pub fn pounds(amount: pcplan_domain::Pence) -> String {
    let sign = if amount.0 < 0 { "-" } else { "" };
    let pence = amount.0.unsigned_abs();
    format!("{sign}{}.{:02}", pence / 100, pence % 100)
}

/// A word for an id made from a heading: `who-responded` from `Who responded?`.
pub fn slug(text: impl Display) -> String {
    let mut out = String::new();
    for c in text.to_string().chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

/// The layer: see the module documentation.
pub async fn layer(mut request: Request<Body>, next: Next) -> Response {
    let get = request.method() == Method::GET;
    let (query, wanted) = split_query(request.uri().query().unwrap_or(""));
    let page = PageRequest { get, query: query.clone() };
    let Some(table) = wanted.filter(|_| get) else {
        return PAGE.scope(page, next.run(request)).await;
    };
    let path = request.uri().path().to_string();
    match without_query_parameter(request.uri(), &path, &query) {
        Ok(uri) => *request.uri_mut() = uri,
        Err(error) => return PageError::Internal(format!("rebuilding {path} without `csv`: {error}")).into_response(),
    }
    let response = PAGE.scope(page, next.run(request)).await;
    let is_html =
        response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|v| v.starts_with("text/html"));
    if response.status() != StatusCode::OK || !is_html {
        return response;
    }
    let (parts, body) = response.into_parts();
    let bytes = match axum::body::to_bytes(body, PAGE_LIMIT_BYTES).await {
        Ok(bytes) => bytes,
        Err(error) => {
            return PageError::Internal(format!("reading page {path} for table `{table}`: {error}")).into_response();
        }
    };
    let html = String::from_utf8_lossy(&bytes);
    let Some(rows) = read_table(&html, &table) else {
        tracing::info!(csv.path = %path, csv.table = %table, "no table with this id on the page");
        return PageError::NotFound.into_response();
    };
    let mut csv = Csv::new();
    for row in &rows {
        csv.row(row);
    }
    let mut response = csv.finish().into_response();
    let headers = response.headers_mut();
    headers.insert(CONTENT_TYPE, HeaderValue::from_static("text/csv; charset=utf-8"));
    if let Ok(value) = HeaderValue::from_str(&format!("attachment; filename=\"{}\"", file_name(&path, &table))) {
        headers.insert(CONTENT_DISPOSITION, value);
    }
    if is_staff_path(&path) {
        headers.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    } else if let Some(cache) = parts.headers.get(CACHE_CONTROL) {
        headers.insert(CACHE_CONTROL, cache.clone());
    }
    response
}

/// Pages only signed-in staff see: their tables must not stay in a shared cache.
fn is_staff_path(path: &str) -> bool {
    ["/staff", "/account"].iter().any(|p| path == *p || path.starts_with(&format!("{p}/")))
}

/// The query without its `csv` parameters, and the table the first one names.
fn split_query(query: &str) -> (String, Option<String>) {
    let mut kept = Vec::new();
    let mut wanted = None;
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        if decode(key) == PARAMETER {
            wanted.get_or_insert_with(|| decode(value));
        } else {
            kept.push(pair);
        }
    }
    (kept.join("&"), wanted)
}

/// `uri` with `query` in place of its own query.
fn without_query_parameter(uri: &Uri, path: &str, query: &str) -> Result<Uri, axum::http::Error> {
    let path_and_query = if query.is_empty() { path.to_string() } else { format!("{path}?{query}") };
    let mut parts = uri.clone().into_parts();
    parts.path_and_query = Some(path_and_query.parse()?);
    Ok(Uri::from_parts(parts)?)
}

/// `staff-performance-measures-table.csv` for table `measures-table` of
/// `/staff/performance`: the path's segments and the table's id, in letters, digits
/// and hyphens only.
fn file_name(path: &str, table: &str) -> String {
    let mut name = String::new();
    for part in path.split('/').filter(|s| !s.is_empty()).chain([table]) {
        for c in part.chars() {
            let c = if c.is_ascii_alphanumeric() || c == '_' { c.to_ascii_lowercase() } else { '-' };
            if !(c == '-' && (name.is_empty() || name.ends_with('-'))) {
                name.push(c);
            }
        }
        if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_end_matches('-');
    // A path of several identities makes a long name; the table's id is at the end,
    // so the start is what gets cut.
    let name = if name.len() > 120 { &name[name.len() - 120..] } else { name };
    format!("{}.csv", name.trim_start_matches('-'))
}

/// Percent-decodes a query key or value (`+` is a space).
fn decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                match std::str::from_utf8(&bytes[i + 1..i + 3]).ok().and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(byte) => {
                        out.push(byte);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes a table id for a query value.
fn encode(text: &str) -> String {
    let mut out = String::new();
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(byte));
        } else {
            let _ = write!(out, "%{byte:02X}");
        }
    }
    out
}

// ---------------------------------------------------------------------------------------
// Reading a table out of the page
// ---------------------------------------------------------------------------------------

/// A piece of the page.
#[derive(Debug, PartialEq, Eq)]
enum Token<'a> {
    /// `<name attributes>`; `attributes` is the raw text after the name.
    Start {
        name: &'a str,
        attributes: &'a str,
    },
    End {
        name: &'a str,
    },
    Text(&'a str),
}

/// The tokens of an HTML document: start and end tags and text; comments, doctypes and
/// processing instructions are skipped, and the contents of `script` and `style` are
/// one text token each.
struct Tokens<'a> {
    html: &'a str,
    at: usize,
    /// After `<script>` or `<style>`: the end tag that ends its raw text.
    raw_until: Option<&'static str>,
}

impl<'a> Tokens<'a> {
    fn new(html: &'a str) -> Self {
        Tokens { html, at: 0, raw_until: None }
    }
}

impl<'a> Iterator for Tokens<'a> {
    type Item = Token<'a>;

    fn next(&mut self) -> Option<Token<'a>> {
        loop {
            let rest = &self.html[self.at..];
            if rest.is_empty() {
                return None;
            }
            if let Some(end) = self.raw_until.take() {
                let stop = find_ignoring_case(rest, end).unwrap_or(rest.len());
                self.at += stop;
                if stop > 0 {
                    return Some(Token::Text(&rest[..stop]));
                }
                continue;
            }
            if !rest.starts_with('<') {
                let stop = rest.find('<').unwrap_or(rest.len());
                self.at += stop;
                return Some(Token::Text(&rest[..stop]));
            }
            if let Some(comment) = rest.strip_prefix("<!--") {
                self.at += 4 + comment.find("-->").map_or(comment.len(), |i| i + 3);
                continue;
            }
            if rest.starts_with("<!") || rest.starts_with("<?") {
                self.at += rest.find('>').map_or(rest.len(), |i| i + 1);
                continue;
            }
            if let Some(after) = rest.strip_prefix("</") {
                let close = after.find('>').map_or(after.len(), |i| i + 1);
                self.at += 2 + close;
                let name = after[..close].trim_end_matches('>').trim();
                return Some(Token::End { name });
            }
            let after = &rest[1..];
            if !after.starts_with(|c: char| c.is_ascii_alphabetic()) {
                // A stray `<` in text.
                self.at += 1;
                return Some(Token::Text(&rest[..1]));
            }
            let close = tag_end(after);
            self.at += 1 + close;
            let inside = after[..close].trim_end_matches('>').trim_end_matches('/');
            let name_end = inside.find(|c: char| c.is_ascii_whitespace()).unwrap_or(inside.len());
            let (name, attributes) = inside.split_at(name_end);
            if name.eq_ignore_ascii_case("script") {
                self.raw_until = Some("</script");
            } else if name.eq_ignore_ascii_case("style") {
                self.raw_until = Some("</style");
            }
            return Some(Token::Start { name, attributes });
        }
    }
}

/// The length of a start tag's text after its `<`, up to and including its `>`, which
/// may not be inside a quoted attribute value.
fn tag_end(after: &str) -> usize {
    let mut quote = None;
    for (i, c) in after.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), c) if c == q => quote = None,
            (None, '>') => return i + 1,
            _ => {}
        }
    }
    after.len()
}

fn find_ignoring_case(haystack: &str, needle: &str) -> Option<usize> {
    haystack.as_bytes().windows(needle.len()).position(|w| w.eq_ignore_ascii_case(needle.as_bytes()))
}

/// The value of attribute `wanted` in a start tag's attribute text, entities decoded;
/// `Some("")` for an attribute without a value.
fn attribute(attributes: &str, wanted: &str) -> Option<String> {
    let mut rest = attributes;
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return None;
        }
        let name_end = rest.find(|c: char| c.is_ascii_whitespace() || c == '=').unwrap_or(rest.len());
        let name = &rest[..name_end];
        rest = rest[name_end..].trim_start();
        let value = if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            match after.chars().next() {
                Some(q @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let stop = body.find(q).unwrap_or(body.len());
                    rest = body.get(stop + 1..).unwrap_or("");
                    &body[..stop]
                }
                _ => {
                    let stop = after.find(|c: char| c.is_ascii_whitespace()).unwrap_or(after.len());
                    rest = &after[stop..];
                    &after[..stop]
                }
            }
        } else {
            ""
        };
        if name.eq_ignore_ascii_case(wanted) {
            return Some(decode_entities(value));
        }
        if name.is_empty() {
            // Nothing readable is left (a stray `=`): stop rather than loop.
            return None;
        }
    }
}

/// Text with its character references decoded: every numeric one and the named ones
/// our templates and askama write; any other is kept as written.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let decoded = rest[1..].find(';').filter(|end| *end <= 10).and_then(|end| {
            let name = &rest[1..1 + end];
            character(name).map(|c| (c, end + 2))
        });
        match decoded {
            Some((c, length)) => {
                out.push(c);
                rest = &rest[length..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The character a reference names, without its `&` and `;`.
fn character(name: &str) -> Option<char> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => number.parse().ok()?,
        };
        return char::from_u32(code);
    }
    Some(match name {
        "amp" => '&',
        "lt" => '<',
        "gt" => '>',
        "quot" => '"',
        "apos" => '\'',
        "nbsp" => '\u{a0}',
        "pound" => '£',
        "euro" => '€',
        "ndash" => '–',
        "mdash" => '—',
        "lsquo" => '‘',
        "rsquo" => '’',
        "ldquo" => '“',
        "rdquo" => '”',
        "hellip" => '…',
        "middot" => '·',
        "rarr" => '→',
        "larr" => '←',
        "times" => '×',
        "copy" => '©',
        _ => return None,
    })
}

/// Elements whose start and end are line breaks in a cell's text.
const BLOCKS: [&str; 16] =
    ["p", "div", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4", "h5", "h6", "summary", "details", "dt", "dd"];

/// Elements without an end tag.
fn is_void(name: &str) -> bool {
    ["area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"]
        .iter()
        .any(|v| name.eq_ignore_ascii_case(v))
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    Head,
    Body,
    Foot,
}

/// A cell being read.
struct CellText {
    text: String,
    /// The `data-csv` value, which replaces the text.
    fixed: Option<String>,
    span: usize,
}

impl CellText {
    fn finish(self) -> (String, usize) {
        let value = self.fixed.unwrap_or_else(|| {
            self.text
                .split('\n')
                .map(|line| line.split_whitespace().collect::<Vec<_>>().join(" "))
                .filter(|line| !line.is_empty())
                .collect::<Vec<_>>()
                .join("\n")
        });
        (value, self.span)
    }
}

/// The rows of the table whose `id` is `id` on the page: header rows, body rows, footer
/// rows, each as wide as the widest; `None` when the page has no such table.
pub fn read_table(html: &str, id: &str) -> Option<Vec<Vec<String>>> {
    let mut tokens = Tokens::new(html);
    tokens.find(|t| match t {
        Token::Start { name, attributes } => {
            name.eq_ignore_ascii_case("table") && attribute(attributes, "id").as_deref() == Some(id)
        }
        _ => false,
    })?;
    let mut rows: Vec<(Section, Vec<(String, usize)>)> = Vec::new();
    let mut section = Section::Body;
    let mut row: Option<Vec<(String, usize)>> = None;
    let mut cell: Option<CellText> = None;
    let mut depth = 1;
    // Inside an `aria-hidden` element: its name and how many of that name are open.
    let mut hidden: Option<(&str, usize)> = None;
    // Inside `<pre>`, whose line breaks are the text's own.
    let mut pre = 0usize;
    for token in tokens {
        if let Some((name, open)) = &mut hidden {
            match token {
                Token::Start { name: n, .. } if n.eq_ignore_ascii_case(name) => *open += 1,
                Token::End { name: n } if n.eq_ignore_ascii_case(name) => {
                    *open -= 1;
                    if *open == 0 {
                        hidden = None;
                    }
                }
                _ => {}
            }
            continue;
        }
        match token {
            Token::Text(text) => {
                if let Some(cell) = cell.as_mut() {
                    let text = decode_entities(text);
                    if pre > 0 {
                        cell.text.push_str(&text.replace("\r\n", "\n"));
                    } else {
                        // A line break in the template's source is white space.
                        cell.text.extend(text.chars().map(|c| if c.is_whitespace() { ' ' } else { c }));
                    }
                }
            }
            Token::Start { name, attributes } => {
                let name_is = |n: &str| name.eq_ignore_ascii_case(n);
                if attribute(attributes, "aria-hidden").as_deref() == Some("true") && !is_void(name) {
                    hidden = Some((name, 1));
                } else if name_is("table") {
                    depth += 1;
                } else if depth > 1 {
                    // A table inside a cell is read as the cell's text.
                    if name_is("br")
                        && let Some(cell) = cell.as_mut()
                    {
                        cell.text.push('\n');
                    }
                } else if name_is("thead") {
                    section = Section::Head;
                } else if name_is("tbody") {
                    section = Section::Body;
                } else if name_is("tfoot") {
                    section = Section::Foot;
                } else if name_is("tr") {
                    end_row(&mut rows, &mut row, &mut cell, section);
                    row = Some(Vec::new());
                } else if name_is("th") || name_is("td") {
                    end_cell(&mut row, &mut cell);
                    let span = attribute(attributes, "colspan").and_then(|s| s.trim().parse().ok()).unwrap_or(1);
                    cell = Some(CellText {
                        text: String::new(),
                        fixed: attribute(attributes, "data-csv"),
                        span: span.clamp(1, 1000),
                    });
                } else if name_is("br")
                    && let Some(cell) = cell.as_mut()
                {
                    cell.text.push('\n');
                } else if BLOCKS.iter().any(|b| name_is(b))
                    && let Some(cell) = cell.as_mut()
                {
                    if name_is("pre") {
                        pre += 1;
                    }
                    cell.text.push('\n');
                }
            }
            Token::End { name } => {
                let name_is = |n: &str| name.eq_ignore_ascii_case(n);
                if name_is("table") {
                    depth -= 1;
                    if depth == 0 {
                        break;
                    }
                } else if depth > 1 {
                    continue;
                } else if name_is("th") || name_is("td") {
                    end_cell(&mut row, &mut cell);
                } else if name_is("tr") {
                    end_row(&mut rows, &mut row, &mut cell, section);
                } else if name_is("thead") || name_is("tbody") || name_is("tfoot") {
                    end_row(&mut rows, &mut row, &mut cell, section);
                    section = Section::Body;
                } else if BLOCKS.iter().any(|b| name_is(b))
                    && let Some(cell) = cell.as_mut()
                {
                    if name_is("pre") {
                        pre = pre.saturating_sub(1);
                    }
                    cell.text.push('\n');
                }
            }
        }
    }
    end_row(&mut rows, &mut row, &mut cell, section);
    Some(lay_out(rows))
}

fn end_cell(row: &mut Option<Vec<(String, usize)>>, cell: &mut Option<CellText>) {
    if let Some(done) = cell.take() {
        row.get_or_insert_with(Vec::new).push(done.finish());
    }
}

fn end_row(
    rows: &mut Vec<(Section, Vec<(String, usize)>)>,
    row: &mut Option<Vec<(String, usize)>>,
    cell: &mut Option<CellText>,
    section: Section,
) {
    end_cell(row, cell);
    if let Some(done) = row.take() {
        rows.push((section, done));
    }
}

/// Header rows first, then body rows, then footer rows; spans repeated in headers and
/// padded elsewhere; every row as wide as the widest; columns empty throughout dropped.
fn lay_out(rows: Vec<(Section, Vec<(String, usize)>)>) -> Vec<Vec<String>> {
    let mut out = Vec::new();
    for wanted in [Section::Head, Section::Body, Section::Foot] {
        for (section, cells) in rows.iter().filter(|(s, _)| *s == wanted) {
            let mut line = Vec::new();
            for (value, span) in cells {
                for i in 0..*span {
                    line.push(if i == 0 || *section == Section::Head { value.clone() } else { String::new() });
                }
            }
            out.push(line);
        }
    }
    let width = out.iter().map(Vec::len).max().unwrap_or(0);
    for line in &mut out {
        line.resize(width, String::new());
    }
    let keep: Vec<bool> = (0..width).map(|c| out.iter().any(|line| !line[c].is_empty())).collect();
    if keep.iter().any(|k| *k) {
        for line in &mut out {
            let mut column = 0;
            line.retain(|_| {
                column += 1;
                keep[column - 1]
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(html: &str, id: &str) -> Vec<Vec<String>> {
        read_table(html, id).expect("the table is on the page")
    }

    fn strings(rows: &[&[&str]]) -> Vec<Vec<String>> {
        rows.iter().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
    }

    #[test]
    fn a_table_is_read_by_its_id_with_header_body_and_footer_rows() {
        let html = r#"<!DOCTYPE html><html><head><style>td > p { color: red }</style><script src="/x.js"></script></head><body>
<!-- a <table id="t"> in a comment is not a table -->
<table class="govuk-table" id="other"><tbody><tr><td>Not this one</td></tr></tbody></table>
<table class="govuk-table" id="t">
  <caption class="govuk-table__caption">Budgets</caption>
  <thead><tr><th scope="col">Line</th><th scope="col" class="x">Amount</th></tr></thead>
  <tfoot><tr><th scope="row">Total</th><td>£3</td></tr></tfoot>
  <tbody>
    <tr><td>Officers</td><td>£1</td></tr>
    <tr><td>Staff</td><td>£2</td></tr>
  </tbody>
</table></body></html>"#;
        assert_eq!(
            rows(html, "t"),
            strings(&[&["Line", "Amount"], &["Officers", "£1"], &["Staff", "£2"], &["Total", "£3"]])
        );
        assert_eq!(rows(html, "other"), strings(&[&["Not this one"]]));
        assert_eq!(read_table(html, "missing"), None);
        assert_eq!(read_table(html, "T"), None, "ids are case-sensitive");
    }

    #[test]
    fn cell_text_is_the_accessible_text_with_entities_decoded_and_white_space_collapsed() {
        let html = r#"<table id="t"><thead><tr><th>Measure</th><th><span class="govuk-visually-hidden">Actions</span></th><th>Note</th></tr></thead>
<tbody><tr>
  <th scope="row"><a class="govuk-link" href="/m?a=1&amp;b=2">Burglary   &amp; theft</a><br><span class="govuk-body-s">Entered
     by staff</span></th>
  <td><a href="/edit">Change<span class="govuk-visually-hidden"> burglary</span></a></td>
  <td><span class="govuk-warning-text__icon" aria-hidden="true">!<b>!</b></span>Tom&#39;s &#34;note&#34; &ldquo;here&rdquo;&nbsp;&#x2014;&unknown; &lt;b&gt;<p>One</p><p>Two</p></td>
</tr></tbody></table>"#;
        assert_eq!(
            rows(html, "t"),
            strings(&[
                &["Measure", "Actions", "Note"],
                &[
                    "Burglary & theft\nEntered by staff",
                    "Change burglary",
                    "Tom's \"note\" “here” —&unknown; <b>\nOne\nTwo"
                ],
            ])
        );
    }

    #[test]
    fn source_line_breaks_are_spaces_but_blocks_and_pre_keep_their_lines() {
        let html = "<table id=\"t\"><tbody><tr><td>\n  plan <code>42</code>\n  <details><summary>Before\n and after</summary>\n<h3>After</h3><pre>{\n  \"a\": 1\n}</pre></details>\n</td></tr></tbody></table>";
        assert_eq!(rows(html, "t"), strings(&[&["plan 42\nBefore and after\nAfter\n{\n\"a\": 1\n}"]]));
    }

    #[test]
    fn data_csv_replaces_the_shown_text_and_empty_columns_are_left_out() {
        let html = r#"<table id="t"><thead><tr><th>Area</th><th>Count</th><th>Date</th><th data-csv=""><span class="govuk-visually-hidden">Change</span></th></tr></thead>
<tbody><tr><td>Birmingham</td><td data-csv="9050">9,050</td><td data-csv='2022-10-01'>1 October 2022</td><td data-csv=""><a href="/e">Change</a></td></tr>
<tr><td>Coventry</td><td data-csv="-3">−3</td><td data-csv="">Not given</td><td data-csv=""><a href="/e">Change</a></td></tr></tbody></table>"#;
        assert_eq!(
            rows(html, "t"),
            strings(&[&["Area", "Count", "Date"], &["Birmingham", "9050", "2022-10-01"], &["Coventry", "-3", ""]])
        );
    }

    #[test]
    fn spans_are_repeated_in_headers_and_padded_elsewhere_so_rows_are_as_wide_as_the_header() {
        let html = r#"<table id="t"><thead><tr><th>Item</th><th colspan="2">2013/14</th></tr>
<tr><th>Name</th><th>Budget</th><th>Spent</th></tr></thead>
<tbody><tr><td colspan="3">Nothing was recorded.</td></tr><tr><td>Short</td></tr></tbody>
<tfoot><tr><th colspan="2">Total</th><td>£5</td></tr></tfoot></table>"#;
        assert_eq!(
            rows(html, "t"),
            strings(&[
                &["Item", "2013/14", "2013/14"],
                &["Name", "Budget", "Spent"],
                &["Nothing was recorded.", "", ""],
                &["Short", "", ""],
                &["Total", "", "£5"],
            ])
        );
    }

    #[test]
    fn a_table_inside_a_cell_is_read_as_that_cells_text() {
        let html = r#"<table id="outer"><thead><tr><th>A</th><th>B</th></tr></thead><tbody>
<tr><td><table id="inner"><tr><td>x</td><td>y</td></tr></table></td><td>z</td></tr>
<tr><td>last</td><td>row</td></tr></tbody></table>"#;
        assert_eq!(rows(html, "outer"), strings(&[&["A", "B"], &["xy", "z"], &["last", "row"]]));
        assert_eq!(rows(html, "inner"), strings(&[&["x", "y"]]));
    }

    #[test]
    fn attributes_are_read_whatever_their_quoting() {
        assert_eq!(attribute(r#" class="a b" id='t>1' data-csv=raw hidden"#, "id").as_deref(), Some("t>1"));
        assert_eq!(attribute(r#" class="a b" id='t>1' data-csv=raw hidden"#, "data-csv").as_deref(), Some("raw"));
        assert_eq!(attribute(r#" class="a b" id='t>1' data-csv=raw hidden"#, "hidden").as_deref(), Some(""));
        assert_eq!(attribute(r#" title="x &amp; y""#, "title").as_deref(), Some("x & y"));
        assert_eq!(attribute(r#" class="a""#, "id"), None);
        let html = r#"<table title="a > b" id="t"><tbody><tr><td>ok</td></tr></tbody></table>"#;
        assert_eq!(rows(html, "t"), strings(&[&["ok"]]));
    }

    #[test]
    fn the_csv_parameter_is_taken_out_of_the_query_and_the_rest_kept_as_sent() {
        assert_eq!(
            split_query("body=abc&csv=measures-table"),
            (String::from("body=abc"), Some(String::from("measures-table")))
        );
        assert_eq!(split_query("csv=a%2Db&q=x+y&csv=second"), (String::from("q=x+y"), Some(String::from("a-b"))));
        assert_eq!(split_query("q=csv"), (String::from("q=csv"), None));
        assert_eq!(split_query(""), (String::new(), None));
        assert_eq!(decode("100%"), "100%");
        assert_eq!(decode("%e2%82%ac"), "€");
    }

    #[tokio::test]
    async fn the_link_keeps_the_query_of_the_page_being_rendered_and_shows_only_for_a_get() {
        assert!(!offered(), "outside a request nothing is offered");
        let page = PageRequest { get: true, query: String::from("body=abc&status=late") };
        let (shown, link) = PAGE.scope(page, async { (offered(), href("overdue-table")) }).await;
        assert!(shown);
        assert_eq!(link, "?body=abc&status=late&csv=overdue-table");
        let page = PageRequest { get: true, query: String::new() };
        assert_eq!(PAGE.scope(page, async { href("a b") }).await, "?csv=a%20b");
        let page = PageRequest { get: false, query: String::new() };
        assert!(!PAGE.scope(page, async { offered() }).await);
    }

    #[test]
    fn a_chart_table_gets_its_id_and_headings_make_plain_ids() {
        let table = "<table class=\"govuk-table\">\n<caption>x</caption></table>\n";
        assert_eq!(
            with_id(table, "series-table"),
            "<table id=\"series-table\" class=\"govuk-table\">\n<caption>x</caption></table>\n"
        );
        assert_eq!(read_table(&with_id(table, "a\"b"), "a\"b"), Some(Vec::new()));
        assert_eq!(slug("Who responded, as they described themselves?"), "who-responded-as-they-described-themselves");
        assert_eq!(slug("  2013/14 "), "2013-14");
        assert_eq!(pounds(pcplan_domain::Pence(125_000_050)), "1250000.50");
        assert_eq!(pounds(pcplan_domain::Pence(-1250)), "-12.50");
        assert_eq!(pounds(pcplan_domain::Pence(0)), "0.00");
    }

    #[test]
    fn file_names_come_from_the_path_and_the_table_id() {
        assert_eq!(file_name("/staff/performance", "measures-table"), "staff-performance-measures-table.csv");
        assert_eq!(file_name("/", "decisions"), "decisions.csv");
        assert_eq!(file_name("/plan/areas/E08000025", "area 1"), "plan-areas-e08000025-area-1.csv");
        let long = format!("/staff/{}", "x".repeat(300));
        assert!(file_name(&long, "t").ends_with("x-t.csv"));
        assert!(file_name(&long, "t").len() <= 124);
    }
}
