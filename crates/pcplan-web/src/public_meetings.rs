//! The public record of meetings, open to everyone without signing in:
//!
//! - `GET /meetings`: every board's meetings, upcoming and past;
//! - `GET /meetings/{id}`: one meeting: its agenda, published papers with size and type
//!   and whether each was published in time for the clear-days rule (the meeting's own
//!   check, as the staff page shows it: "Published 29 January 2014: 2 clear working days
//!   before the meeting, where 5 were required"), attendance, apologies and absences,
//!   and its minutes once approved;
//! - `GET /papers/{id}`: a published paper's bytes;
//! - `GET /papers.atom`: an Atom feed (RFC 4287, written by `public_feeds::AtomFeed`) of
//!   published papers.
//!
//! **Exempt items never leak.** An agenda item exempt under LGA 1972 Sch 12A shows its
//! number, title and paragraph only; its papers are left out of every page, the feed and
//! the download route, which answers 404 as if they did not exist. Draft and withdrawn
//! papers are left out the same way. [`public_papers`] is the one filter all four use.

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use pcplan_domain::meeting::{Attended, Meeting, MeetingStatus};
use pcplan_domain::paper::{self, Paper, PaperTiming, size_label};
use pcplan_domain::{MeetingId, PaperId};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::plan_view::long_date;
use crate::public_feeds::{AtomEntry, AtomFeed, AtomLink};
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/meetings", get(meetings))
        .route("/meetings/{id}", get(meeting))
        .route("/papers/{id}", get(download))
        .route("/papers.atom", get(atom))
}

/// The papers of `meeting` the public may see: published, not withdrawn, and not for an
/// exempt agenda item.
pub fn public_papers(meeting: &Meeting, papers: Vec<Paper>) -> Vec<Paper> {
    papers.into_iter().filter(|p| is_public(meeting, p)).collect()
}

fn is_public(meeting: &Meeting, paper: &Paper) -> bool {
    let exempt = paper.agenda_item.as_deref().and_then(|n| meeting.agenda_item(n)).is_some_and(|i| i.exempt.is_some());
    paper.is_public() && !exempt && paper.meeting_id == meeting.id
}

/// One meeting in a list.
pub struct MeetingLink {
    pub href: String,
    pub title: String,
    pub date: String,
    pub status: String,
}

pub struct BoardMeetings {
    pub name: String,
    pub upcoming: Vec<MeetingLink>,
    pub past: Vec<MeetingLink>,
}

#[derive(Template)]
#[template(path = "public/meetings.html")]
pub struct MeetingsPage {
    pub layout: Layout,
    pub boards: Vec<BoardMeetings>,
}

fn status_text(status: &MeetingStatus) -> String {
    match status {
        MeetingStatus::Cancelled { reason } => format!("Cancelled: {reason}"),
        other => other.label().to_string(),
    }
}

async fn meetings(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let today = crate::today();
    let mut boards = Vec::new();
    for board in state.store.boards(None).await? {
        let mut group = BoardMeetings { name: board.name.clone(), upcoming: Vec::new(), past: Vec::new() };
        for m in state.store.board_meetings(board.id).await? {
            let link = MeetingLink {
                href: format!("/meetings/{}", m.id),
                title: m.title.clone(),
                date: m.held_on.format("%A %-d %B %Y").to_string(),
                status: status_text(&m.status),
            };
            if m.held_on >= today { group.upcoming.push(link) } else { group.past.push(link) }
        }
        group.past.reverse();
        boards.push(group);
    }
    render(&MeetingsPage { layout: Layout::new("Meetings and papers", user.as_ref(), Nav::Meetings), boards })
}

#[derive(Clone)]
pub struct PaperLink {
    pub href: String,
    pub title: String,
    pub kind: &'static str,
    pub size: String,
    pub published: String,
    /// `On time`, `Late`, `Late urgent item`.
    pub timing_label: &'static str,
    pub timing_tag: &'static str,
    /// `Published 29 January 2014: 2 clear working days before the meeting, where 5
    /// were required`.
    pub timing: String,
}

pub struct ItemView {
    pub number: String,
    pub title: String,
    /// `Exempt: Local Government Act 1972, Schedule 12A, paragraph 1`.
    pub exempt: String,
    pub late_reason: String,
    pub papers: Vec<PaperLink>,
}

#[derive(Template)]
#[template(path = "public/meeting.html")]
pub struct MeetingPage {
    pub layout: Layout,
    pub board: String,
    pub title: String,
    pub date: String,
    pub place: String,
    pub status: String,
    pub items: Vec<ItemView>,
    pub other_papers: Vec<PaperLink>,
    pub present: Vec<String>,
    pub apologies: Vec<String>,
    pub absent: Vec<String>,
    pub minutes: String,
    pub minutes_approved: String,
}

/// `1 clear working day`, `2 clear working days`.
fn clear_days(n: u32, rule: &str) -> String {
    format!("{n} clear {rule} day{}", if n == 1 { "" } else { "s" })
}

/// A published paper's timing in words for the public: its label, tag and sentence.
fn public_timing(timing: &PaperTiming, published: &str, rule: &str) -> (&'static str, &'static str, String) {
    let before = |c: u32, r: u32| {
        let were = if r == 1 { "was" } else { "were" };
        format!("Published {published}: {} before the meeting, where {r} {were} required", clear_days(c, rule))
    };
    match timing {
        PaperTiming::OnTime { clear_days, required } => ("On time", "govuk-tag--green", before(*clear_days, *required)),
        PaperTiming::Late { clear_days, required } => ("Late", "govuk-tag--red", before(*clear_days, *required)),
        PaperTiming::AfterMeeting => {
            ("Late", "govuk-tag--red", format!("Published {published}: on or after the day of the meeting"))
        }
        PaperTiming::LateUrgent { reason } => (
            "Late urgent item",
            "govuk-tag--orange",
            format!("Published {published}: late, for a late urgent item ({reason})"),
        ),
        // Not public; listed for completeness only.
        PaperTiming::Draft | PaperTiming::Withdrawn => ("", "", format!("Published {published}")),
    }
}

fn paper_link(paper: &Paper, meeting: &Meeting, calendar: &pcplan_domain::Calendar) -> Result<PaperLink, PageError> {
    let published = paper.published_on.map(long_date).unwrap_or_default();
    let timing = paper::timing(paper, meeting, calendar).map_err(|e| PageError::Internal(e.to_string()))?;
    let (timing_label, timing_tag, timing) = public_timing(&timing, &published, meeting.day_rule.as_str());
    Ok(PaperLink {
        href: format!("/papers/{}", paper.id),
        title: paper.title.clone(),
        kind: paper.kind.label(),
        size: size_label(paper.size_bytes),
        published,
        timing_label,
        timing_tag,
        timing,
    })
}

async fn meeting(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(id): Path<String>,
) -> Result<Response, PageError> {
    let id: MeetingId = id.parse().map_err(|_| PageError::NotFound)?;
    let meeting = state.store.meeting(id).await?.ok_or(PageError::NotFound)?;
    let board = match meeting.board_id {
        Some(b) => state.store.board(b).await?.map(|b| b.name).unwrap_or_default(),
        None => String::new(),
    };
    let calendar = state.store.calendar().await?;
    let papers = public_papers(&meeting, state.store.papers(id).await?);
    let links = papers.iter().map(|p| paper_link(p, &meeting, &calendar)).collect::<Result<Vec<_>, _>>()?;
    let papers: Vec<(&Paper, &PaperLink)> = papers.iter().zip(&links).collect();
    let items = meeting
        .agenda
        .iter()
        .map(|item| ItemView {
            number: item.number.clone(),
            title: item.title.clone(),
            exempt: item
                .exempt
                .as_ref()
                .map(|e| {
                    format!(
                        "Exempt: not for publication (Local Government Act 1972, Schedule 12A, paragraph {})",
                        e.paragraph
                    )
                })
                .unwrap_or_default(),
            late_reason: item.late_reason.clone().unwrap_or_default(),
            // Exempt items' papers were filtered out above; this keeps the rule visible.
            papers: if item.exempt.is_some() {
                Vec::new()
            } else {
                papers
                    .iter()
                    .filter(|(p, _)| p.agenda_item.as_deref() == Some(item.number.as_str()))
                    .map(|(_, link)| (*link).clone())
                    .collect()
            },
        })
        .collect();
    let other_papers = papers
        .iter()
        .filter(|(p, _)| p.agenda_item.as_deref().is_none_or(|n| meeting.agenda_item(n).is_none()))
        .map(|(_, link)| (*link).clone())
        .collect();
    let mut present = Vec::new();
    let mut apologies = Vec::new();
    let mut absent = Vec::new();
    for a in &meeting.attendance {
        let name = state.store.member(a.member_id).await?.map(|m| m.name).unwrap_or_default();
        match a.attended {
            Attended::Present => present.push(name),
            Attended::Apologies => apologies.push(name),
            Attended::Absent => absent.push(name),
            Attended::Substitute { for_member } => {
                let other = state.store.member(for_member).await?.map(|m| m.name).unwrap_or_default();
                present.push(format!("{name} (substitute for {other})"));
            }
        }
    }
    // Minutes are public once approved at a later meeting; drafts stay with staff.
    let (minutes, minutes_approved) = match &meeting.minutes {
        Some(m) if m.approved_at.is_some() => {
            let at = match m.approved_at {
                Some(later) => state.store.meeting(later).await?.map(|l| long_date(l.held_on)).unwrap_or_default(),
                None => String::new(),
            };
            (m.text.clone(), at)
        }
        _ => (String::new(), String::new()),
    };
    render(&MeetingPage {
        layout: Layout::new(meeting.title.clone(), user.as_ref(), Nav::Meetings),
        board,
        title: meeting.title.clone(),
        date: meeting.held_on.format("%A %-d %B %Y").to_string(),
        place: meeting.place.clone(),
        status: status_text(&meeting.status),
        items,
        other_papers,
        present,
        apologies,
        absent,
        minutes,
        minutes_approved,
    })
}

async fn download(
    State(state): State<AppState>,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let id: PaperId = id.parse().map_err(|_| PageError::NotFound)?;
    let (paper, bytes) = state.store.paper_content(id).await?.ok_or(PageError::NotFound)?;
    let meeting = state.store.meeting(paper.meeting_id).await?.ok_or(PageError::NotFound)?;
    if !is_public(&meeting, &paper) {
        return Err(PageError::NotFound);
    }
    Ok(crate::papers::download(&paper, bytes, &headers, "public, max-age=300"))
}

/// How many papers the feed lists.
const FEED_ENTRIES: i64 = 100;

/// `GET /papers.atom`. Entry ids are `urn:uuid:` of the paper, so a reader never shows
/// a paper twice; links are relative to the site's public address when configured.
async fn atom(State(state): State<AppState>) -> Result<Response, PageError> {
    let base = state.config.public_base_url.clone().unwrap_or_default();
    let base = base.trim_end_matches('/');
    let mut entries = Vec::new();
    let mut updated = None;
    let mut meetings = std::collections::HashMap::new();
    for paper in state.store.published_papers(FEED_ENTRIES).await? {
        if !meetings.contains_key(&paper.meeting_id)
            && let Some(m) = state.store.meeting(paper.meeting_id).await?
        {
            meetings.insert(paper.meeting_id, m);
        }
        let Some(meeting) = meetings.get(&paper.meeting_id) else { continue };
        if !is_public(meeting, &paper) {
            continue;
        }
        let Some(at) = paper.published_at else { continue };
        updated = updated.max(Some(at));
        let summary = format!(
            "{} ({}, {}) for {} on {}",
            paper.title,
            paper.kind.label(),
            size_label(paper.size_bytes),
            meeting.title,
            long_date(meeting.held_on)
        );
        entries.push(AtomEntry {
            id: format!("urn:uuid:{}", paper.id),
            title: paper.title.clone(),
            updated: at,
            published: at,
            links: vec![
                AtomLink::new("alternate", Some(paper.kind.content_type()), format!("{base}/papers/{}", paper.id)),
                AtomLink::new("related", Some("text/html"), format!("{base}/meetings/{}", meeting.id)),
            ],
            summary,
        });
    }
    let feed = AtomFeed {
        id: format!("{}/papers.atom", if base.is_empty() { "urn:pcplan" } else { base }),
        title: String::from("Published meeting papers"),
        updated: updated.unwrap_or(chrono::DateTime::UNIX_EPOCH),
        author: String::from("pcplan"),
        links: vec![
            AtomLink::new("self", None, format!("{base}/papers.atom")),
            AtomLink::new("alternate", Some("text/html"), format!("{base}/meetings")),
        ],
        entries,
    };
    Ok(feed.into_response())
}
