//! Full-text search over the records people look for, on both databases.
//!
//! **The index** is the table `search_documents` (migration 0013): one row per text of a
//! record as one [`Audience`] sees it, with the range of audiences it serves. What a row
//! holds and who may see it is worked out here, in Rust, from the record's state and the
//! rules the public pages use: issued or varied versions of each body's public plan;
//! signed decisions, a confidential one only as the stub `Decision::notice` gives the
//! public; every Panel report and, once published, the Commissioner's response; papers
//! that are published, not withdrawn and not for an exempt agenda item; public
//! consultations and their published "you said, we did"; published annual reports.
//! Staff rows add the working drafts, unsigned decisions, unpublished responses and
//! reports, withheld papers and draft consultations; a confidential decision's full text
//! is a row of its own for editors and administrators, who alone read it on the staff
//! pages.
//!
//! **The index is kept in step in the writer's transaction.** Every store write that
//! changes an indexed record calls one `refresh_*` function here before it commits, so a
//! decision that is withdrawn or a paper that is withdrawn leaves the public results in
//! the same commit, never later. [`Store::rebuild_search_index`] builds the same rows
//! from scratch; the store's first start after the migration runs it once, and tests
//! prove that the rows kept incrementally equal a rebuild.
//!
//! **Queries** are parsed once here ([`ParsedQuery`]) into words and "phrases", `OR`
//! between neighbours, and `-exclusions`, so that any text at all is a valid query and
//! both databases are asked the same question: SQLite's FTS5 gets every phrase
//! double-quoted (its syntax characters then mean nothing) and PostgreSQL gets one
//! `websearch_to_tsquery` per phrase, combined with the tsquery operators. Matches in
//! titles and snippets come back between [`MATCH_START`] and [`MATCH_END`], control
//! characters that indexed text never contains (it is cleaned on the way in), so the
//! web layer can escape the text and mark the matches itself.
//!
//! This module decides nothing about who a user is: callers pass the audience.

use std::fmt;

use chrono::NaiveDate;
use pcplan_domain::annual_report::{AnnualReport, ReportStatus};
use pcplan_domain::consultation::{QuestionKind, ThemeOutcome};
use pcplan_domain::decision::{Decision, DecisionStatus, Line, Notice, long_date};
use pcplan_domain::paper::Paper;
use pcplan_domain::report::Report;
use pcplan_domain::{BodyId, ExerciseId, MeetingId, PaperId, Plan, PlanId};
use serde::Serialize;

use crate::audit::{self, Actor, Change};
use crate::db::{Backend, Db, Tx, now, on_pool, on_tx, parse_date, timestamp};
use crate::error::{Result, StoreError, corrupt};
use crate::paper_text::{paper_text, tidy};
use crate::{Store, annual_reports, consultations, plans, processes};

/// Put before each match in a hit's title and snippet.
pub const MATCH_START: char = '\u{2}';
/// Put after each match in a hit's title and snippet.
pub const MATCH_END: char = '\u{3}';

/// The most words and phrases of a query that are used; the rest are ignored.
pub const MAX_TERMS: usize = 32;
/// The most words of one phrase that are used.
pub const MAX_PHRASE_WORDS: usize = 16;

/// Who is searching: what each may read follows the pages they may open.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    /// Anyone, signed in or not, on the public pages.
    Public,
    /// Staff who may read the staff pages (viewers).
    Staff,
    /// Editors and administrators, who also read confidential decisions.
    Editors,
}

impl Audience {
    fn level(self) -> i64 {
        match self {
            Audience::Public => 0,
            Audience::Staff => 1,
            Audience::Editors => 2,
        }
    }
}

/// What a search result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchKind {
    /// A version of a police and crime plan.
    Plan,
    /// A plan's working draft (staff only).
    PlanDraft,
    /// A Notice of Decision.
    Decision,
    /// A report of the Police and Crime Panel.
    PanelReport,
    /// The Commissioner's response to a Panel report.
    Response,
    /// A meeting paper.
    Paper,
    /// A consultation exercise.
    Consultation,
    /// A consultation's "you said, we did".
    YouSaidWeDid,
    /// An annual report.
    AnnualReport,
}

impl SearchKind {
    /// Every kind, in the order filters list them.
    pub const ALL: [SearchKind; 9] = [
        SearchKind::Plan,
        SearchKind::PlanDraft,
        SearchKind::Decision,
        SearchKind::PanelReport,
        SearchKind::Response,
        SearchKind::Paper,
        SearchKind::Consultation,
        SearchKind::YouSaidWeDid,
        SearchKind::AnnualReport,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            SearchKind::Plan => "plan",
            SearchKind::PlanDraft => "plan_draft",
            SearchKind::Decision => "decision",
            SearchKind::PanelReport => "panel_report",
            SearchKind::Response => "response",
            SearchKind::Paper => "paper",
            SearchKind::Consultation => "consultation",
            SearchKind::YouSaidWeDid => "you_said_we_did",
            SearchKind::AnnualReport => "annual_report",
        }
    }

    pub fn parse(name: &str) -> Option<SearchKind> {
        SearchKind::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// The kind for people: `Notice of Decision`.
    pub fn label(&self) -> &'static str {
        match self {
            SearchKind::Plan => "Police and crime plan",
            SearchKind::PlanDraft => "Working draft of a plan",
            SearchKind::Decision => "Notice of Decision",
            SearchKind::PanelReport => "Panel report",
            SearchKind::Response => "Response to the Panel",
            SearchKind::Paper => "Meeting paper",
            SearchKind::Consultation => "Consultation",
            SearchKind::YouSaidWeDid => "You said, we did",
            SearchKind::AnnualReport => "Annual report",
        }
    }

    /// Whether only staff ever see this kind.
    pub fn staff_only(&self) -> bool {
        matches!(self, SearchKind::PlanDraft)
    }
}

impl fmt::Display for SearchKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

// ---- queries ----

/// A word, or several that must appear together in order (a "phrase").
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Phrase(pub Vec<String>);

impl Phrase {
    /// The words as people typed them, lower-cased, quoted when more than one.
    pub fn display(&self) -> String {
        if self.0.len() == 1 { self.0[0].clone() } else { format!("\"{}\"", self.0.join(" ")) }
    }

    /// The phrase as an FTS5 string: double-quoted, any `"` doubled, so nothing in it
    /// is query syntax. (Words hold only letters and digits, so there is none; the
    /// doubling is the rule that keeps it so if that ever changes.)
    fn fts5(&self) -> String {
        format!("\"{}\"", self.0.join(" ").replace('"', "\"\""))
    }

    /// The phrase for `websearch_to_tsquery`: quoted, so that its words are a phrase.
    fn websearch(&self) -> String {
        format!("\"{}\"", self.0.join(" ").replace('"', " "))
    }
}

/// A query as both databases are asked it: every group must match (a group is one
/// phrase, or phrases joined by `OR`, any of which may match), and no excluded phrase
/// may.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ParsedQuery {
    pub groups: Vec<Vec<Phrase>>,
    pub excluded: Vec<Phrase>,
}

/// Why a query cannot be run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueryProblem {
    /// No letters or digits at all.
    NoWords,
    /// Only words to leave out, none to look for.
    OnlyExclusions,
}

impl fmt::Display for QueryProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            QueryProblem::NoWords => "enter a word to search for, like burglary",
            QueryProblem::OnlyExclusions => {
                "enter a word to search for as well as the words to leave out, like burglary -vehicle"
            }
        })
    }
}

impl ParsedQuery {
    /// Reads any text as a query; it never fails. Words are runs of letters and digits
    /// (anything else separates them); `"..."` is a phrase; `-word` or `-"a phrase"`
    /// (or `NOT` before it) leaves out what matches; `OR` between two words or phrases
    /// lets either match; `AND` is what words do anyway. Quotes left open run to the
    /// end. At most [`MAX_TERMS`] words and phrases are read.
    pub fn parse(text: &str) -> ParsedQuery {
        let mut query = ParsedQuery::default();
        let mut terms = 0;
        let mut or_pending = false;
        let mut negate = false;
        let mut chars = text.chars().peekable();
        while terms < MAX_TERMS {
            while chars.next_if(|c| c.is_whitespace()).is_some() {}
            let Some(&first) = chars.peek() else { break };
            let mut raw = String::new();
            let quoted = first == '"';
            if first == '-' {
                chars.next();
                // A lone `-` (or one before a space) negates nothing.
                if chars.peek().is_some_and(|c| !c.is_whitespace()) {
                    negate = true;
                }
                continue;
            }
            if quoted {
                chars.next();
                for c in chars.by_ref() {
                    if c == '"' {
                        break;
                    }
                    raw.push(c);
                }
            } else {
                while let Some(c) = chars.next_if(|c| !c.is_whitespace() && *c != '"') {
                    raw.push(c);
                }
            }
            if !quoted {
                match raw.as_str() {
                    "OR" | "or" | "Or" | "|" => {
                        or_pending = !query.groups.is_empty() && !negate;
                        continue;
                    }
                    "AND" | "&" => continue,
                    "NOT" => {
                        negate = true;
                        continue;
                    }
                    _ => {}
                }
            }
            let words: Vec<String> = raw
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .take(MAX_PHRASE_WORDS)
                .map(str::to_lowercase)
                .collect();
            if words.is_empty() {
                continue;
            }
            terms += 1;
            let phrase = Phrase(words);
            if negate {
                query.excluded.push(phrase);
            } else if or_pending && let Some(last) = query.groups.last_mut() {
                last.push(phrase);
            } else {
                query.groups.push(vec![phrase]);
            }
            negate = false;
            or_pending = false;
        }
        query
    }

    /// Whether the query can be run, and why not.
    pub fn problem(&self) -> Option<QueryProblem> {
        match (self.groups.is_empty(), self.excluded.is_empty()) {
            (true, true) => Some(QueryProblem::NoWords),
            (true, false) => Some(QueryProblem::OnlyExclusions),
            _ => None,
        }
    }

    /// The query as read, for "N results for ...": `police "crime plan" OR burglary -vehicle`.
    pub fn display(&self) -> String {
        let mut parts: Vec<String> =
            self.groups.iter().map(|g| g.iter().map(Phrase::display).collect::<Vec<_>>().join(" OR ")).collect();
        parts.extend(self.excluded.iter().map(|p| format!("-{}", p.display())));
        parts.join(" ")
    }

    /// The FTS5 query: `(("a") AND ("b c" OR "d")) NOT "e"`. Parenthesised throughout,
    /// because FTS5 gives AND precedence over OR and the groups must bind first.
    fn fts5(&self) -> String {
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| format!("({})", g.iter().map(Phrase::fts5).collect::<Vec<_>>().join(" OR ")))
            .collect();
        let mut expression = format!("({})", groups.join(" AND "));
        for phrase in &self.excluded {
            expression = format!("({expression} NOT {})", phrase.fts5());
        }
        expression
    }

    /// The PostgreSQL tsquery expression, with its parameters numbered from `first`,
    /// and the phrases to bind to them in order.
    fn tsquery(&self, first: usize) -> (String, Vec<String>) {
        let mut binds = Vec::new();
        let mut next = first;
        let mut one = |phrase: &Phrase, binds: &mut Vec<String>| {
            binds.push(phrase.websearch());
            let sql = format!("websearch_to_tsquery('english', ${next})");
            next += 1;
            sql
        };
        let groups: Vec<String> = self
            .groups
            .iter()
            .map(|g| format!("({})", g.iter().map(|p| one(p, &mut binds)).collect::<Vec<_>>().join(" || ")))
            .collect();
        let mut expression = format!("({})", groups.join(" && "));
        for phrase in &self.excluded {
            expression = format!("({expression} && (!! {}))", one(phrase, &mut binds));
        }
        (expression, binds)
    }
}

/// A search: the words, who is asking, and the filters.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SearchRequest {
    pub text: String,
    pub audience: Audience,
    /// Only these kinds; every kind when empty.
    pub kinds: Vec<SearchKind>,
    /// Only this body's records.
    pub body: Option<BodyId>,
    /// Dated on or after.
    pub from: Option<NaiveDate>,
    /// Dated on or before.
    pub to: Option<NaiveDate>,
    pub limit: i64,
    pub offset: i64,
}

impl SearchRequest {
    /// A search for `text` by `audience` with no filter, the first `limit` results.
    pub fn new(text: impl Into<String>, audience: Audience, limit: i64) -> SearchRequest {
        SearchRequest {
            text: text.into(),
            audience,
            kinds: Vec::new(),
            body: None,
            from: None,
            to: None,
            limit,
            offset: 0,
        }
    }
}

/// One result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SearchHit {
    pub kind: SearchKind,
    /// The record: a decision's, report's, paper's, exercise's or annual report's id, a
    /// plan's id for its draft, `plan-id/number` for a version.
    pub record_id: String,
    pub body_id: BodyId,
    /// What a link needs besides the id: a decision's number as in its address
    /// (`018-2013`), a version's number, an exercise's slug, an annual report's year
    /// (`2013-14`), a paper's meeting.
    pub locator: String,
    /// A line that places the record: `Decision 018/2013`, `Version 2: Plan as issued`.
    pub context: String,
    /// The date the record is filed under: signed, issued, published, received or held.
    pub date: NaiveDate,
    /// The title, matches marked with [`MATCH_START`] and [`MATCH_END`].
    pub title: String,
    /// A passage of the text around the matches, marked the same way.
    pub snippet: String,
}

/// A page of results and how many there are in all.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SearchResults {
    pub total: i64,
    pub hits: Vec<SearchHit>,
    pub query: ParsedQuery,
}

/// One row of the index, as tests compare it with a rebuild.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct SearchIndexRow {
    pub kind: String,
    pub record_id: String,
    pub audience_from: i64,
    pub audience_to: i64,
    pub body_id: String,
    pub locator: String,
    pub context: String,
    pub on_date: String,
    pub title: String,
    pub content: String,
}

/// A value bound to a search statement.
enum Bind {
    Text(String),
    Int(i64),
}

type HitRow = (String, String, String, String, String, String, Option<String>, Option<String>);

impl Store {
    /// Searches the index as `request.audience` may see it, best match first, then
    /// newest. A query with no word to look for is refused, naming the field `q`;
    /// anything else is a valid query.
    pub async fn search(&self, request: &SearchRequest) -> Result<SearchResults> {
        let query = ParsedQuery::parse(&request.text);
        if let Some(problem) = query.problem() {
            let problem = pcplan_domain::clock::FieldProblem::new("q", problem.to_string());
            return Err(pcplan_domain::clock::FieldProblems(vec![problem]).into());
        }
        let mut binds = Vec::new();
        let (from, matches, select, order) = match self.db.backend() {
            Backend::Sqlite => {
                binds.push(Bind::Text(query.fts5()));
                (
                    String::from("search_fts JOIN search_documents d ON d.id = search_fts.rowid"),
                    "search_fts MATCH $1",
                    "highlight(search_fts, 0, char(2), char(3)), snippet(search_fts, 1, char(2), char(3), '…', 40)",
                    "bm25(search_fts, 4.0, 1.0)",
                )
            }
            Backend::Postgres => {
                // The tsquery is built once per statement, in a one-row subquery, so
                // that matching, ranking and both headlines read the same one.
                let (expression, phrases) = query.tsquery(1);
                binds.extend(phrases.into_iter().map(Bind::Text));
                (
                    format!("search_documents d CROSS JOIN (SELECT {expression} AS query) q"),
                    "d.document @@ q.query",
                    "ts_headline('english', d.title, q.query, 'HighlightAll=true, StartSel=' || chr(2) || ', StopSel=' \
                     || chr(3)), ts_headline('english', d.content, q.query, 'MaxFragments=2, MaxWords=35, MinWords=15, \
                     FragmentDelimiter=\" … \", StartSel=' || chr(2) || ', StopSel=' || chr(3))",
                    "ts_rank(d.document, q.query) DESC",
                )
            }
        };
        let mut filters = String::new();
        binds.push(Bind::Int(request.audience.level()));
        let audience = binds.len();
        filters.push_str(&format!(" AND d.audience_from <= ${audience} AND d.audience_to >= ${audience}"));
        if !request.kinds.is_empty() {
            let mut marks = Vec::new();
            for kind in &request.kinds {
                binds.push(Bind::Text(kind.as_str().to_string()));
                marks.push(format!("${}", binds.len()));
            }
            filters.push_str(&format!(" AND d.kind IN ({})", marks.join(", ")));
        }
        if let Some(body) = request.body {
            binds.push(Bind::Text(body.to_string()));
            filters.push_str(&format!(" AND d.body_id = ${}", binds.len()));
        }
        if let Some(from) = request.from {
            binds.push(Bind::Text(from.to_string()));
            filters.push_str(&format!(" AND d.on_date >= ${}", binds.len()));
        }
        if let Some(to) = request.to {
            binds.push(Bind::Text(to.to_string()));
            filters.push_str(&format!(" AND d.on_date <= ${}", binds.len()));
        }
        let count_sql = format!("SELECT COUNT(*) FROM {from} WHERE {matches}{filters}");
        let page_sql = format!(
            "SELECT d.kind, d.record_id, d.body_id, d.locator, d.context, d.on_date, {select} FROM {from} \
             WHERE {matches}{filters} ORDER BY {order}, d.on_date DESC, d.id LIMIT ${} OFFSET ${}",
            binds.len() + 1,
            binds.len() + 2
        );
        // PostgreSQL refuses a negative LIMIT or OFFSET and SQLite reads a negative
        // LIMIT as none; clamped, both give the same bounded answer.
        let (limit, offset) = (request.limit.clamp(0, 1000), request.offset.max(0));
        let mut tx = self.db.begin_read().await?;
        let (total,): (i64,) = on_tx!(&mut tx, c => {
            let mut q = sqlx::query_as(&count_sql);
            for bind in &binds {
                q = match bind {
                    Bind::Text(t) => q.bind(t.as_str()),
                    Bind::Int(i) => q.bind(*i),
                };
            }
            q.fetch_one(&mut *c).await?
        });
        let rows: Vec<HitRow> = on_tx!(&mut tx, c => {
            let mut q = sqlx::query_as(&page_sql);
            for bind in &binds {
                q = match bind {
                    Bind::Text(t) => q.bind(t.as_str()),
                    Bind::Int(i) => q.bind(*i),
                };
            }
            q.bind(limit).bind(offset).fetch_all(&mut *c).await?
        });
        tx.commit().await?;
        let hits = rows.into_iter().map(hit).collect::<Result<Vec<_>>>()?;
        Ok(SearchResults { total, hits, query })
    }

    /// Builds the whole index again from the stored records, in one transaction, and
    /// returns how many rows it holds. The rows kept up to date by each write are the
    /// same; this is for `pcplan search reindex` after a restore or an upgrade that
    /// changes what is indexed.
    pub async fn rebuild_search_index(&self, actor: &Actor) -> Result<i64> {
        let mut tx = self.db.begin().await?;
        let rows = rebuild(&mut tx).await?;
        let change = Change {
            action: "reindex",
            entity: "search_index",
            entity_id: String::from("search_documents"),
            before: None,
            after: Some(serde_json::json!({ "documents": rows })),
        };
        audit::append(&mut tx, actor, change).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Every row of the index in a fixed order. For the tests that compare the index
    /// kept by each write with a rebuild.
    #[doc(hidden)]
    pub async fn search_index_rows(&self) -> Result<Vec<SearchIndexRow>> {
        type Row = (String, String, i64, i64, String, String, String, String, String, String);
        let rows: Vec<Row> = on_pool!(&self.db, pool => sqlx::query_as(
            "SELECT kind, record_id, audience_from, audience_to, body_id, locator, context, on_date, title, content \
             FROM search_documents")
            .fetch_all(pool).await?);
        let mut out: Vec<SearchIndexRow> = rows
            .into_iter()
            .map(|(kind, record_id, audience_from, audience_to, body_id, locator, context, on_date, title, content)| {
                SearchIndexRow {
                    kind,
                    record_id,
                    audience_from,
                    audience_to,
                    body_id,
                    locator,
                    context,
                    on_date,
                    title,
                    content,
                }
            })
            .collect();
        out.sort();
        Ok(out)
    }

    /// Checks that SQLite's FTS5 index agrees with the rows it indexes (FTS5's own
    /// `integrity-check`); PostgreSQL's `tsvector` is a generated column and cannot
    /// disagree. For tests.
    #[doc(hidden)]
    pub async fn check_search_index(&self) -> Result<()> {
        if let Db::Sqlite(pool) = &self.db {
            sqlx::query("INSERT INTO search_fts (search_fts, rank) VALUES ('integrity-check', 1)")
                .execute(pool)
                .await?;
        }
        Ok(())
    }
}

fn hit(row: HitRow) -> Result<SearchHit> {
    let (kind, record_id, body_id, locator, context, on_date, title, snippet) = row;
    Ok(SearchHit {
        kind: SearchKind::parse(&kind).ok_or_else(|| corrupt(format!("search row of {record_id}"), &kind))?,
        body_id: body_id.parse().map_err(|e| corrupt(format!("body of search row {record_id}"), e))?,
        record_id,
        locator,
        context,
        date: parse_date(&on_date)?,
        title: title.unwrap_or_default(),
        snippet: snippet.unwrap_or_default(),
    })
}

/// Builds the index once, on the first start after migration 0013, from whatever was
/// stored before it; later starts find it built and do nothing.
pub(crate) async fn ensure_built(db: &Db) -> Result<()> {
    let (built,): (Option<String>,) =
        on_pool!(db, pool => sqlx::query_as("SELECT built_at FROM search_state WHERE id = 1").fetch_one(pool).await?);
    if built.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    rebuild(&mut tx).await?;
    tx.commit().await
}

/// Empties the index and indexes every record, in the caller's transaction.
pub(crate) async fn rebuild(tx: &mut Tx) -> Result<i64> {
    on_tx!(&mut *tx, c => sqlx::query("DELETE FROM search_documents").execute(&mut *c).await?.rows_affected());
    let ids = |rows: Vec<(String,)>| rows.into_iter().map(|(id,)| id).collect::<Vec<_>>();
    let bodies: Vec<(String,)> =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM bodies ORDER BY id").fetch_all(&mut *c).await?);
    for id in ids(bodies) {
        refresh_body_plans(tx, id.parse().map_err(|e| corrupt(format!("body id `{id}`"), e))?).await?;
    }
    let decisions: Vec<(String, String)> =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT id, data FROM decisions ORDER BY id").fetch_all(&mut *c).await?);
    for (id, data) in decisions {
        let decision: Decision = serde_json::from_str(&data).map_err(|e| corrupt(format!("decision {id}"), e))?;
        refresh_decision(tx, &decision).await?;
    }
    let reports: Vec<(String, String)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT id, data FROM panel_reports ORDER BY id").fetch_all(&mut *c).await?);
    for (id, data) in reports {
        let report: Report = serde_json::from_str(&data).map_err(|e| corrupt(format!("panel report {id}"), e))?;
        refresh_report(tx, &report).await?;
    }
    let papers: Vec<(String,)> =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM papers ORDER BY id").fetch_all(&mut *c).await?);
    for id in ids(papers) {
        refresh_paper(tx, id.parse().map_err(|e| corrupt(format!("paper id `{id}`"), e))?).await?;
    }
    let exercises: Vec<(String,)> =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM exercises ORDER BY id").fetch_all(&mut *c).await?);
    for id in ids(exercises) {
        refresh_exercise(tx, id.parse().map_err(|e| corrupt(format!("exercise id `{id}`"), e))?).await?;
    }
    let annual: Vec<(String,)> =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM annual_reports ORDER BY id").fetch_all(&mut *c).await?);
    for id in ids(annual) {
        let report =
            annual_reports::load(tx, id.parse().map_err(|e| corrupt(format!("annual report id `{id}`"), e))?).await?;
        refresh_annual_report(tx, &report).await?;
    }
    if let Tx::Sqlite(t) = tx {
        // Rebuilding FTS5's own index from the rows repairs any drift in it as well.
        sqlx::query("INSERT INTO search_fts (search_fts) VALUES ('rebuild')").execute(&mut **t).await?;
    }
    on_tx!(&mut *tx, c => sqlx::query("UPDATE search_state SET built_at = $1 WHERE id = 1")
        .bind(timestamp(now())).execute(&mut *c).await?.rows_affected());
    let (rows,): (i64,) =
        on_tx!(&mut *tx, c => sqlx::query_as("SELECT COUNT(*) FROM search_documents").fetch_one(&mut *c).await?);
    Ok(rows)
}

// ---- the rows of each kind of record ----

/// One row to write.
struct Doc {
    kind: SearchKind,
    record_id: String,
    body_id: BodyId,
    /// The audiences served, from and to (inclusive).
    audience: (Audience, Audience),
    locator: String,
    context: String,
    on: NaiveDate,
    title: String,
    content: String,
}

async fn insert(tx: &mut Tx, doc: Doc) -> Result<()> {
    on_tx!(tx, c => sqlx::query(
        "INSERT INTO search_documents (kind, record_id, body_id, audience_from, audience_to, locator, context, \
         on_date, title, content) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(doc.kind.as_str())
        .bind(&doc.record_id)
        .bind(doc.body_id.to_string())
        .bind(doc.audience.0.level())
        .bind(doc.audience.1.level())
        .bind(&doc.locator)
        .bind(tidy(&doc.context))
        .bind(doc.on.to_string())
        .bind(tidy(&doc.title))
        .bind(tidy(&doc.content))
        .execute(&mut *c).await?.rows_affected());
    Ok(())
}

/// Replaces the rows of one record with `docs`.
async fn replace(tx: &mut Tx, kind: SearchKind, record_id: &str, docs: Vec<Doc>) -> Result<()> {
    on_tx!(&mut *tx, c => sqlx::query("DELETE FROM search_documents WHERE kind = $1 AND record_id = $2")
        .bind(kind.as_str()).bind(record_id).execute(&mut *c).await?.rows_affected());
    for doc in docs {
        insert(tx, doc).await?;
    }
    Ok(())
}

/// Joins non-empty parts with a space.
fn join<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    parts.into_iter().map(str::trim).filter(|p| !p.is_empty()).collect::<Vec<_>>().join(" ")
}

/// A plan's words: its vision and every field of every record.
fn plan_text(plan: &Plan) -> String {
    let mut parts = vec![plan.vision.clone()];
    for item in &plan.items {
        parts.extend(item.record.fields().into_iter().map(|(_, value)| value));
    }
    join(parts.iter().map(String::as_str))
}

/// Re-indexes one plan's working draft (after a change to its records).
pub(crate) async fn refresh_plan_draft(tx: &mut Tx, plan_id: PlanId) -> Result<()> {
    let Some(plan) = plans::load_plan(tx, plan_id).await? else {
        return replace(tx, SearchKind::PlanDraft, &plan_id.to_string(), Vec::new()).await;
    };
    let doc = draft_doc(&plan);
    replace(tx, SearchKind::PlanDraft, &plan_id.to_string(), vec![doc]).await
}

fn draft_doc(plan: &Plan) -> Doc {
    Doc {
        kind: SearchKind::PlanDraft,
        record_id: plan.id.to_string(),
        body_id: plan.body_id,
        audience: (Audience::Staff, Audience::Editors),
        locator: plan.id.to_string(),
        context: String::from("Working draft"),
        on: plan.starts_on,
        title: plan.title.clone(),
        content: plan_text(plan),
    }
}

/// Re-indexes every plan of a body, drafts and versions. Which plan the public sees
/// depends on the body's other plans (the latest-starting plan with an issued or
/// varied version, as `pcplan_web::public::find_body_plan` chooses), so a new version
/// or a changed start date of one plan re-indexes them all.
pub(crate) async fn refresh_body_plans(tx: &mut Tx, body: BodyId) -> Result<()> {
    on_tx!(&mut *tx, c => sqlx::query(
        "DELETE FROM search_documents WHERE body_id = $1 AND kind IN ('plan', 'plan_draft')")
        .bind(body.to_string()).execute(&mut *c).await?.rows_affected());
    let rows: Vec<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT id FROM plans WHERE body_id = $1 ORDER BY starts_on DESC, id")
        .bind(body.to_string()).fetch_all(&mut *c).await?);
    let mut public_plan: Option<PlanId> = None;
    let mut docs = Vec::new();
    for (id,) in rows {
        let plan_id: PlanId = id.parse().map_err(|e| corrupt(format!("plan id `{id}`"), e))?;
        let Some(plan) = plans::load_plan(tx, plan_id).await? else { continue };
        docs.push(draft_doc(&plan));
        let metas = plans::load_versions(tx, plan_id).await?;
        if public_plan.is_none() && metas.iter().any(|m| m.kind.is_public()) {
            public_plan = Some(plan_id);
        }
        for meta in metas {
            let Some(version) = plans::load_version(tx, plan_id, meta.number).await? else { continue };
            let public = public_plan == Some(plan_id) && meta.kind.is_public();
            docs.push(Doc {
                kind: SearchKind::Plan,
                record_id: format!("{plan_id}/{}", meta.number),
                body_id: body,
                audience: (if public { Audience::Public } else { Audience::Staff }, Audience::Editors),
                locator: meta.number.to_string(),
                context: format!("Version {}: {} ({})", meta.number, meta.label, meta.kind.label()),
                on: meta.effective_on.unwrap_or_else(|| meta.made_at.date_naive()),
                title: version.plan.title.clone(),
                content: plan_text(&version.plan),
            });
        }
    }
    for doc in docs {
        insert(tx, doc).await?;
    }
    Ok(())
}

/// A notice's words: every heading and line, without the body's name at its top
/// (every decision of a body has it, so it would only add noise).
fn notice_text(notice: &Notice) -> String {
    let mut parts = vec![notice.exemption.as_str()];
    for section in &notice.sections {
        parts.push(&section.heading);
        for line in &section.lines {
            match line {
                Line::Text(text) => parts.push(text),
                Line::Labelled { label, text } => {
                    parts.push(label);
                    parts.push(text);
                }
                Line::Numbered { text, bullets, .. } => {
                    parts.push(text);
                    parts.extend(bullets.iter().map(String::as_str));
                }
            }
        }
    }
    join(parts)
}

/// Re-indexes a decision: signed ones for everyone, others for staff; a confidential
/// one as its stub for all but editors and administrators.
pub(crate) async fn refresh_decision(tx: &mut Tx, decision: &Decision) -> Result<()> {
    let signed = decision.status == DecisionStatus::Signed;
    let confidential = decision.content.confidentiality.is_confidential();
    let first = if signed { Audience::Public } else { Audience::Staff };
    let context = match decision.status {
        DecisionStatus::Signed => format!("Decision {}", decision.number),
        DecisionStatus::Draft => format!("Decision {}, draft", decision.number),
        DecisionStatus::Withdrawn => format!("Decision {}, withdrawn before signature", decision.number),
    };
    let doc = |audience, full: bool| Doc {
        kind: SearchKind::Decision,
        record_id: decision.id.to_string(),
        body_id: decision.body_id,
        audience,
        locator: decision.number.slug(),
        context: context.clone(),
        on: decision.published_on().unwrap_or(decision.drafted_on),
        title: decision.content.title.clone(),
        content: notice_text(&decision.notice("", full)),
    };
    let docs = if confidential {
        vec![doc((first, Audience::Staff), false), doc((Audience::Editors, Audience::Editors), true)]
    } else {
        vec![doc((first, Audience::Editors), true)]
    };
    replace(tx, SearchKind::Decision, &decision.id.to_string(), docs).await
}

/// Re-indexes a Panel report (public as soon as it is stored: the Panel published it)
/// and the Commissioner's response (public once published, for staff before that,
/// and not at all while nothing of it is written).
pub(crate) async fn refresh_report(tx: &mut Tx, report: &Report) -> Result<()> {
    let mut parts = vec![
        report.letter.subject.as_str(),
        &report.letter.text,
        &report.letter.from,
        &report.letter.to,
        &report.members_present,
    ];
    for section in &report.sections {
        parts.push(&section.heading);
        parts.push(&section.text);
        parts.extend(section.entries.iter().map(|e| e.text.as_str()));
    }
    let panel = Doc {
        kind: SearchKind::PanelReport,
        record_id: report.id.to_string(),
        body_id: report.body_id,
        audience: (Audience::Public, Audience::Editors),
        locator: String::new(),
        context: format!("Received {}", long_date(report.received_on)),
        on: report.received_on,
        title: report.title.clone(),
        content: join(parts),
    };
    replace(tx, SearchKind::PanelReport, &report.id.to_string(), vec![panel]).await?;
    let published = report.response.published.as_ref();
    let letter = &report.response.letter;
    let mut parts = vec![letter.salutation.as_str(), &letter.text, &letter.signed];
    let mut answered = false;
    for section in &report.sections {
        for entry in &section.entries {
            // The public read an answer only once the response is published, which is
            // when this row becomes public, so staff and public rows hold the same words.
            if let Some(answer) = &entry.answer {
                answered = true;
                parts.push(&entry.text);
                parts.push(answer.stance.label());
                parts.push(&answer.reasons);
                parts.extend(answer.changes.iter().map(|c| c.title.as_str()));
            }
        }
    }
    let docs = if letter.text.trim().is_empty() && !answered {
        Vec::new()
    } else {
        vec![Doc {
            kind: SearchKind::Response,
            record_id: report.id.to_string(),
            body_id: report.body_id,
            audience: (if published.is_some() { Audience::Public } else { Audience::Staff }, Audience::Editors),
            locator: String::new(),
            context: match published {
                Some(p) => format!("Published {}", long_date(p.on)),
                None => String::from("Not published yet"),
            },
            on: published.map_or(report.received_on, |p| p.on),
            title: format!("Response to the Panel's report: {}", report.title),
            content: join(parts),
        }]
    };
    replace(tx, SearchKind::Response, &report.id.to_string(), docs).await
}

/// Re-indexes a paper: its title, its meeting and item, and the text of its file.
/// The public see it when it is published, not withdrawn and not for an exempt item
/// (the rule of `pcplan_web::public_meetings::public_papers`).
pub(crate) async fn refresh_paper(tx: &mut Tx, id: PaperId) -> Result<()> {
    let row: Option<(String, Vec<u8>)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT data, content FROM papers WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    let Some((data, bytes)) = row else { return replace(tx, SearchKind::Paper, &id.to_string(), Vec::new()).await };
    let paper: Paper = serde_json::from_str(&data).map_err(|e| corrupt(format!("paper {id}"), e))?;
    let meeting = processes::load_meeting(tx, paper.meeting_id)
        .await?
        .ok_or_else(|| corrupt(format!("paper {id}"), format!("its meeting {} is missing", paper.meeting_id)))?;
    let item = paper.agenda_item.as_deref().and_then(|n| meeting.agenda_item(n));
    let public = paper.is_public() && item.is_none_or(|i| i.exempt.is_none()) && paper.meeting_id == meeting.id;
    let item_line = item.map(|i| format!("Item {}: {}", i.number, i.title)).unwrap_or_default();
    let doc = Doc {
        kind: SearchKind::Paper,
        record_id: id.to_string(),
        body_id: meeting.body_id,
        audience: (if public { Audience::Public } else { Audience::Staff }, Audience::Editors),
        locator: meeting.id.to_string(),
        context: join([format!("{}, {}.", meeting.title, long_date(meeting.held_on)).as_str(), &item_line]),
        on: paper.published_on.unwrap_or_else(|| paper.uploaded_at.date_naive()),
        title: paper.title.clone(),
        content: join([item_line.as_str(), &paper_text(paper.kind, &bytes)]),
    };
    replace(tx, SearchKind::Paper, &id.to_string(), vec![doc]).await
}

/// Re-indexes every paper of a meeting (after its agenda, and so which items are
/// exempt, or its title changed).
pub(crate) async fn refresh_meeting_papers(tx: &mut Tx, meeting: MeetingId) -> Result<()> {
    let rows: Vec<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as("SELECT id FROM papers WHERE meeting_id = $1")
        .bind(meeting.to_string()).fetch_all(&mut *c).await?);
    for (id,) in rows {
        refresh_paper(tx, id.parse().map_err(|e| corrupt(format!("paper id `{id}`"), e))?).await?;
    }
    Ok(())
}

/// Re-indexes a consultation: the exercise (public once staff make it public) and its
/// "you said, we did" (once published), holding what that page shows: each open
/// question's themes from its latest final version, what each did to the plan, and
/// the published quotes not withdrawn. Respondents' own answers are never indexed.
pub(crate) async fn refresh_exercise(tx: &mut Tx, id: ExerciseId) -> Result<()> {
    let exercise = match consultations::load_exercise(tx, id).await {
        Ok(exercise) => exercise,
        Err(StoreError::NotFound { .. }) => {
            replace(tx, SearchKind::Consultation, &id.to_string(), Vec::new()).await?;
            return replace(tx, SearchKind::YouSaidWeDid, &id.to_string(), Vec::new()).await;
        }
        Err(e) => return Err(e),
    };
    let questions = consultations::load_questions(tx, id).await?;
    let content = &exercise.content;
    let mut parts = vec![content.summary.clone()];
    for q in &questions {
        parts.push(q.content.text.clone());
        parts.push(q.content.hint.clone());
        parts.extend(q.content.options.iter().cloned());
    }
    let public = exercise.public_at.is_some();
    let record = id.to_string();
    let doc = Doc {
        kind: SearchKind::Consultation,
        record_id: record.clone(),
        body_id: exercise.body_id,
        audience: (if public { Audience::Public } else { Audience::Staff }, Audience::Editors),
        locator: content.slug.clone(),
        context: format!("Open {} to {}", long_date(content.opens), long_date(content.closes)),
        on: content.opens,
        title: content.title.clone(),
        content: join(parts.iter().map(String::as_str)),
    };
    replace(tx, SearchKind::Consultation, &record, vec![doc]).await?;
    let mut docs = Vec::new();
    if let (Some(published_at), true) = (exercise.published_at, public) {
        let quotes: Vec<(String, String)> = on_tx!(&mut *tx, c => sqlx::query_as(
            "SELECT p.theme_id, p.text FROM published_quotes p JOIN responses r ON r.id = p.response_id \
             WHERE r.exercise_id = $1 AND p.withdrawn = 0 ORDER BY p.theme_id, p.position")
            .bind(record.clone()).fetch_all(&mut *c).await?);
        let mut parts = Vec::new();
        for q in questions.iter().filter(|q| q.content.kind == QuestionKind::Open) {
            parts.push(q.content.text.clone());
            let latest: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
                "SELECT id FROM theme_sets WHERE question_id = $1 AND state = 'final' ORDER BY version DESC LIMIT 1")
                .bind(q.id.to_string()).fetch_optional(&mut *c).await?);
            let Some((set,)) = latest else { continue };
            let set = set.parse().map_err(|e| corrupt(format!("theme set id `{set}`"), e))?;
            for theme in consultations::load_themes(tx, set).await? {
                parts.push(theme.label.clone());
                parts.push(theme.description.clone());
                match &theme.outcome {
                    Some(ThemeOutcome::Shaped { note, .. }) => parts.push(note.clone()),
                    Some(ThemeOutcome::NotChanged { reason }) => parts.push(reason.clone()),
                    None => {}
                }
                let theme_id = theme.id.to_string();
                parts.extend(quotes.iter().filter(|(t, _)| *t == theme_id).map(|(_, text)| text.clone()));
            }
        }
        docs.push(Doc {
            kind: SearchKind::YouSaidWeDid,
            record_id: record.clone(),
            body_id: exercise.body_id,
            audience: (Audience::Public, Audience::Editors),
            locator: content.slug.clone(),
            context: format!("Published {}", long_date(published_at.date_naive())),
            on: published_at.date_naive(),
            title: format!("You said, we did: {}", content.title),
            content: join(parts.iter().map(String::as_str)),
        });
    }
    replace(tx, SearchKind::YouSaidWeDid, &record, docs).await
}

/// Re-indexes the consultation a theme set version belongs to (it was made final).
pub(crate) async fn refresh_exercise_of_set(tx: &mut Tx, set: pcplan_domain::ThemeSetId) -> Result<()> {
    let row: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT q.exercise_id FROM theme_sets s JOIN questions q ON q.id = s.question_id WHERE s.id = $1")
        .bind(set.to_string()).fetch_optional(&mut *c).await?);
    match row {
        Some((id,)) => refresh_exercise(tx, id.parse().map_err(|e| corrupt(format!("exercise id `{id}`"), e))?).await,
        None => Ok(()),
    }
}

/// Re-indexes the consultation a theme belongs to (its outcome or a quote changed).
pub(crate) async fn refresh_exercise_of_theme(tx: &mut Tx, theme: pcplan_domain::ThemeId) -> Result<()> {
    let row: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT q.exercise_id FROM themes t JOIN theme_sets s ON s.id = t.set_id \
         JOIN questions q ON q.id = s.question_id WHERE t.id = $1")
        .bind(theme.to_string()).fetch_optional(&mut *c).await?);
    match row {
        Some((id,)) => refresh_exercise(tx, id.parse().map_err(|e| corrupt(format!("exercise id `{id}`"), e))?).await,
        None => Ok(()),
    }
}

/// Re-indexes an annual report: public once published, for staff before.
pub(crate) async fn refresh_annual_report(tx: &mut Tx, report: &AnnualReport) -> Result<()> {
    let status = report.status();
    let mut parts = Vec::new();
    for section in &report.sections {
        parts.push(section.heading.as_str());
        parts.push(&section.text);
    }
    let doc = Doc {
        kind: SearchKind::AnnualReport,
        record_id: report.id.to_string(),
        body_id: report.body_id,
        audience: (
            if status == ReportStatus::Published { Audience::Public } else { Audience::Staff },
            Audience::Editors,
        ),
        locator: report.slug(),
        context: match status {
            ReportStatus::Draft => String::from("Draft"),
            ReportStatus::Issued => String::from("Sent to the Panel, not published yet"),
            ReportStatus::Published => String::new(),
        },
        on: report
            .published
            .as_ref()
            .map(|p| p.on)
            .or(report.issued.as_ref().map(|i| i.on))
            .unwrap_or(report.facts_as_of),
        title: format!("Annual report {}", report.year),
        content: join(parts),
    };
    replace(tx, SearchKind::AnnualReport, &report.id.to_string(), vec![doc]).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(list: &[&str]) -> Phrase {
        Phrase(list.iter().map(|w| w.to_string()).collect())
    }

    #[test]
    fn words_phrases_exclusions_and_or_are_read_as_people_write_them() {
        let q = ParsedQuery::parse("Police \"crime  plan\" OR burglary -vehicle NOT \"car park\"");
        assert_eq!(q.groups, vec![vec![words(&["police"])], vec![words(&["crime", "plan"]), words(&["burglary"])]]);
        assert_eq!(q.excluded, vec![words(&["vehicle"]), words(&["car", "park"])]);
        assert_eq!(q.display(), "police \"crime plan\" OR burglary -vehicle -\"car park\"");
    }

    #[test]
    fn query_syntax_of_either_database_is_only_text() {
        let q = ParsedQuery::parse("NEAR(a b) col:umn * ^x)( \\ % _ 'quote' AND OR");
        assert_eq!(q.display(), "\"near a\" b \"col umn\" x quote");
        let hostile = ParsedQuery::parse("\" ' - : * )( \\ % _");
        assert_eq!(hostile.problem(), Some(QueryProblem::NoWords));
    }

    #[test]
    fn a_query_of_only_exclusions_or_no_words_cannot_run() {
        assert_eq!(ParsedQuery::parse("").problem(), Some(QueryProblem::NoWords));
        assert_eq!(ParsedQuery::parse("  -  OR ").problem(), Some(QueryProblem::NoWords));
        assert_eq!(ParsedQuery::parse("-burglary").problem(), Some(QueryProblem::OnlyExclusions));
        assert_eq!(ParsedQuery::parse("burglary").problem(), None);
    }

    #[test]
    fn an_unclosed_quote_runs_to_the_end_and_a_long_query_is_cut() {
        assert_eq!(ParsedQuery::parse("\"knife crime").groups, vec![vec![words(&["knife", "crime"])]]);
        let long = "police ".repeat(2000);
        assert_eq!(ParsedQuery::parse(&long).groups.len(), MAX_TERMS);
    }

    #[test]
    fn fts5_gets_every_phrase_quoted_and_groups_bracketed() {
        let q = ParsedQuery::parse("a \"b c\" OR d -e");
        assert_eq!(q.fts5(), "(((\"a\") AND (\"b c\" OR \"d\")) NOT \"e\")");
    }

    #[test]
    fn postgresql_gets_one_parameter_per_phrase() {
        let q = ParsedQuery::parse("a \"b c\" OR d -e");
        let (sql, binds) = q.tsquery(3);
        assert_eq!(
            sql,
            "(((websearch_to_tsquery('english', $3)) && (websearch_to_tsquery('english', $4) || \
             websearch_to_tsquery('english', $5))) && (!! websearch_to_tsquery('english', $6)))"
        );
        assert_eq!(binds, ["\"a\"", "\"b c\"", "\"d\"", "\"e\""]);
    }

    #[test]
    fn letters_of_any_script_are_words_and_emoji_are_not() {
        let q = ParsedQuery::parse("naïve Łódź 😀 ĉu");
        assert_eq!(q.display(), "naïve łódź ĉu");
        assert_eq!(ParsedQuery::parse("😀🚓").problem(), Some(QueryProblem::NoWords));
    }
}
