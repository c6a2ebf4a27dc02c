//! Calendar feeds (RFC 5545) that Outlook and other calendars can subscribe to:
//!
//! - `GET /bodies/{id}/deadlines.ics`: a body's Panel meetings and every dated item of
//!   its agenda (papers deadlines, process steps, plan expiry, annual reports, precept
//!   dates, equality publications). It is public: it holds only what published papers
//!   and the statutes already make public, and never who owns what.
//! - `GET /feeds/{token}/deadlines.ics`: one person's feed behind a secret link: the
//!   meetings of every body and the items that person owns. The link is made on
//!   `/account/calendar` and only its hash is stored.
//!
//! Every event is an all-day event whose `DTEND` is the day after (all-day ends are
//! exclusive), with a UID built from the item's stable key, so a calendar that refreshes
//! the feed updates an event instead of duplicating it. Done items stay in the feed,
//! marked done, so the calendar keeps the history. The text is written by hand; the
//! format is small and a dependency would add more than it saves.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Duration, NaiveDate, Utc};
use pcplan_domain::BodyId;
use pcplan_domain::agenda::DueItem;
use pcplan_domain::clock::PapersCheck;

use crate::AppState;
use crate::auth::session_hash;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/bodies/{id}/deadlines.ics", get(body_feed))
        .route("/feeds/{token}/deadlines.ics", get(personal_feed))
}

/// One all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub day: NaiveDate,
    pub summary: String,
    pub description: String,
}

/// The event of one agenda item. Only the key goes into the UID, so an item keeps its
/// event however its wording changes.
fn item_event(item: &DueItem) -> Event {
    let (summary, state) = match &item.done {
        Some(done) => (format!("Done: {}", item.what), format!("Done: {}.", done.summary)),
        None => (format!("Due: {}", item.what), String::from("Not yet recorded as done.")),
    };
    Event {
        uid: format!("{}@pcplan", item.key.replace(':', "-")),
        day: item.due,
        summary,
        description: format!("{}. {} ({}).", item.about, state, item.citation),
    }
}

/// The meetings of the given bodies as events on the day of each meeting.
async fn meeting_events(state: &AppState, bodies: &[BodyId]) -> Result<Vec<Event>, PageError> {
    let calendar = state.store.calendar().await?;
    let mut events = Vec::new();
    for body in bodies {
        for meeting in state.store.meetings(*body).await? {
            let warning = match meeting.papers_check(&calendar) {
                Ok(Some(PapersCheck::Late { clear_days, required })) => {
                    format!(" Papers were late: {clear_days} of {required} clear days.")
                }
                _ => String::new(),
            };
            events.push(Event {
                uid: format!("meeting-{}@pcplan", meeting.id),
                day: meeting.held_on,
                summary: meeting.title.clone(),
                description: format!("Panel meeting.{warning}"),
            });
        }
    }
    Ok(events)
}

fn respond(name: &str, mut events: Vec<Event>) -> Response {
    events.sort_by(|a, b| (a.day, &a.uid).cmp(&(b.day, &b.uid)));
    let text = calendar_text(name, &events, Utc::now());
    let mut response = text.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("private, max-age=900"));
    response
}

async fn body_feed(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let body_id: BodyId = id.parse().map_err(|_| PageError::NotFound)?;
    let body = state.store.body(body_id).await?.ok_or(PageError::NotFound)?;
    let mut events = meeting_events(&state, &[body_id]).await?;
    let agenda = state.store.agenda(crate::today()).await?;
    events.extend(agenda.iter().filter(|i| i.body_id == body_id).map(item_event));
    Ok(respond(&format!("{} deadlines", body.name), events))
}

async fn personal_feed(State(state): State<AppState>, Path(token): Path<String>) -> Result<Response, PageError> {
    // A wrong or revoked link is a page that does not exist, whatever it looks like.
    let user = state.store.feed_user(&session_hash(&token)).await?.ok_or(PageError::NotFound)?;
    let bodies: Vec<BodyId> = state.store.bodies().await?.into_iter().map(|b| b.id).collect();
    let mut events = meeting_events(&state, &bodies).await?;
    let agenda = state.store.agenda(crate::today()).await?;
    events.extend(agenda.iter().filter(|i| i.owner == Some(user.id)).map(item_event));
    Ok(respond(&format!("pcplan: {}", user.display_name), events))
}

/// The whole feed: CRLF line ends, folded lines, escaped text (RFC 5545 s.3.1, s.3.3.11).
pub fn calendar_text(name: &str, events: &[Event], stamp: chrono::DateTime<Utc>) -> String {
    let mut lines = vec![
        String::from("BEGIN:VCALENDAR"),
        String::from("VERSION:2.0"),
        String::from("PRODID:-//pcplan//statutory deadlines//EN"),
        String::from("CALSCALE:GREGORIAN"),
        String::from("METHOD:PUBLISH"),
        format!("X-WR-CALNAME:{}", escape(name)),
    ];
    let dtstamp = stamp.format("%Y%m%dT%H%M%SZ").to_string();
    for event in events {
        lines.push(String::from("BEGIN:VEVENT"));
        lines.push(format!("UID:{}", event.uid));
        lines.push(format!("DTSTAMP:{dtstamp}"));
        lines.push(format!("DTSTART;VALUE=DATE:{}", event.day.format("%Y%m%d")));
        // All-day events end the next day: DTEND is exclusive (RFC 5545 s.3.6.1).
        lines.push(format!("DTEND;VALUE=DATE:{}", (event.day + Duration::days(1)).format("%Y%m%d")));
        lines.push(format!("SUMMARY:{}", escape(&event.summary)));
        if !event.description.is_empty() {
            lines.push(format!("DESCRIPTION:{}", escape(&event.description)));
        }
        lines.push(String::from("TRANSP:TRANSPARENT"));
        lines.push(String::from("END:VEVENT"));
    }
    lines.push(String::from("END:VCALENDAR"));
    lines.iter().map(|l| fold(l)).collect::<Vec<_>>().join("")
}

fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace(';', "\\;").replace(',', "\\,").replace("\r\n", "\\n").replace('\n', "\\n")
}

/// Folds a content line at 75 octets, never inside a UTF-8 character, and ends it CRLF.
fn fold(line: &str) -> String {
    let mut out = String::new();
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_all_day_event_ends_the_next_day_and_text_is_escaped_and_folded() {
        let day = NaiveDate::from_ymd_opt(2014, 2, 3).expect("date");
        let stamp = chrono::DateTime::from_timestamp(0, 0).expect("epoch");
        let long = "Police and Crime Panel; proposed variations, and a very long title that needs folding";
        let events = [Event {
            uid: String::from("meeting-1@pcplan"),
            day,
            summary: String::from(long),
            description: String::from("Line one\nLine two"),
        }];
        let text = calendar_text("West Midlands", &events, stamp);
        assert!(text.contains("DTSTART;VALUE=DATE:20140203\r\n"));
        assert!(text.contains("DTEND;VALUE=DATE:20140204\r\n"), "exclusive end");
        assert!(text.contains("SUMMARY:Police and Crime Panel\\; proposed variations\\, and"), "{text}");
        assert!(text.contains("DESCRIPTION:Line one\\nLine two"));
        assert!(text.lines().all(|l| l.trim_end_matches('\r').len() <= 75), "folded at 75 octets");
        assert!(text.contains("\r\n "), "a folded line continues with a space");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\n") && text.ends_with("END:VCALENDAR\r\n"));
        assert!(!text.replace("\r\n", "").contains('\n'), "every line ends CRLF");
    }

    #[test]
    fn folding_never_splits_a_character() {
        let line = format!("SUMMARY:{}", "£".repeat(60));
        let folded = fold(&line);
        assert!(folded.split("\r\n").all(|part| part.len() <= 75));
        assert_eq!(folded.replace("\r\n ", "").trim_end(), line);
    }
}
