//! `GET /bodies/{id}/deadlines.ics`: a body's statutory deadlines and Panel meetings as
//! an iCalendar feed (RFC 5545) that Outlook and other calendars can subscribe to.
//!
//! Every event is an all-day event whose `DTEND` is the day after (all-day ends are
//! exclusive), with a UID built from the record and the rule, so a calendar that
//! refreshes the feed updates an event instead of duplicating it. The feed is public:
//! it holds only what a Panel's published papers and the statutes already make public
//! (meetings, papers deadlines, the plan's statutory steps). A per-person feed needs a
//! secret link and is not built yet. The text is written by hand; the format is small
//! and a dependency would add more than it saves.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::HeaderValue;
use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::{Datelike, Duration, NaiveDate, Utc};
use pcplan_domain::clock::{self, ClockSettings};
use pcplan_domain::process::Step;
use pcplan_domain::{BodyId, Calendar};

use crate::AppState;
use crate::error::PageError;

pub fn router() -> Router<AppState> {
    Router::new().route("/bodies/{id}/deadlines.ics", get(feed))
}

/// One all-day event.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    pub uid: String,
    pub day: NaiveDate,
    pub summary: String,
    pub description: String,
}

async fn feed(State(state): State<AppState>, Path(id): Path<String>) -> Result<Response, PageError> {
    let body_id: BodyId = id.parse().map_err(|_| PageError::NotFound)?;
    let body = state.store.body(body_id).await?.ok_or(PageError::NotFound)?;
    let settings = ClockSettings::default();
    let calendar = Calendar::default();
    let mut events = Vec::new();

    for meeting in state.store.meetings(body_id).await? {
        let warning = match meeting.papers_check(&calendar) {
            Ok(Some(clock::PapersCheck::Late { clear_days, required })) => {
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
        events.push(Event {
            uid: format!("papers-{}@pcplan", meeting.id),
            day: meeting.papers_due_on,
            summary: format!("Papers due: {}", meeting.title),
            description: format!(
                "Publish the agenda and reports {} clear {} days before the meeting on {}.",
                meeting.required_clear_days,
                meeting.day_rule.as_str(),
                meeting.held_on
            ),
        });
    }

    for plan in state.store.plans().await?.into_iter().filter(|p| p.body_id == body_id) {
        events.push(Event {
            uid: format!("plan-expiry-{}@pcplan", plan.id),
            day: plan.ends_on,
            summary: format!("{} expires", plan.title),
            description: String::from("The last day of the plan's period (PRSRA 2011 s.5(3))."),
        });
        for stored in state.store.processes(plan.id).await? {
            for (step, due) in stored.process.due_dates(&settings) {
                if stored.process.evidence(step).is_some() {
                    continue;
                }
                events.push(Event {
                    uid: format!("process-{}-{}@pcplan", stored.id, step.as_str()),
                    day: due,
                    summary: format!("Due: {}", step.label()),
                    description: format!("{} ({}), {}.", plan.title, step.citation(), step_note(step)),
                });
            }
        }
    }

    let year = Utc::now().year();
    for y in [year, year + 1] {
        for deadline in clock::precept_dates(y) {
            let rule = clock::rule(deadline.rule).map(|r| r.citation).unwrap_or_default();
            events.push(Event {
                uid: format!("{}-{y}-{}@pcplan", deadline.rule, body_id),
                day: deadline.due,
                summary: deadline.what.clone(),
                description: format!("{rule}."),
            });
        }
    }

    events.sort_by(|a, b| (a.day, &a.uid).cmp(&(b.day, &b.uid)));
    let text = calendar_text(&format!("{} deadlines", body.name), &events, Utc::now());
    let mut response = text.into_response();
    response.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static("text/calendar; charset=utf-8"));
    response.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("max-age=900"));
    Ok(response)
}

fn step_note(step: Step) -> &'static str {
    match step {
        Step::PanelReport => "the end of the Panel's time to consider the draft",
        Step::ResponseGiven | Step::ResponsePublished => "the response to the Panel's report",
        _ => "a step of the plan's statutory process",
    }
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
