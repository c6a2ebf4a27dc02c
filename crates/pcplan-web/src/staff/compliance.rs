//! `GET /staff/compliance`: the compliance dashboard. Across every plan's issue and
//! variation processes and every Panel meeting: what is overdue, what is due in the next
//! 30 days, what comes later, and what was done, with its evidence. The page prints
//! cleanly (GOV.UK Frontend's print styles), for a board pack.
//!
//! Dates come from the domain's clock and the deadlines stored with meetings; this
//! module sorts them into the four lists. Precept dates and other calendar-only dates
//! are in the calendar feed, not here, because nothing records that they were met yet.

use askama::Template;
use axum::extract::State;
use axum::response::Response;
use chrono::{Duration, NaiveDate, Utc};
use pcplan_domain::Calendar;
use pcplan_domain::clock::{ClockSettings, PapersCheck};

use super::Crumb;
use super::outline::long_date;
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render};

/// One line of a list.
pub struct Line {
    pub date: String,
    pub what: String,
    pub about: String,
    pub href: String,
    pub evidence: String,
    sort: NaiveDate,
}

/// One of the four lists.
pub struct Section {
    pub heading: &'static str,
    pub tag: &'static str,
    pub empty: &'static str,
    pub lines: Vec<Line>,
}

#[derive(Template)]
#[template(path = "staff/compliance.html")]
pub struct CompliancePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub today: String,
    pub sections: Vec<Section>,
}

pub async fn page(State(state): State<AppState>, user: CurrentUser) -> Result<Response, PageError> {
    let today = Utc::now().date_naive();
    let horizon = today + Duration::days(30);
    let settings = ClockSettings::default();
    let calendar = Calendar::default();
    let (mut overdue, mut soon, mut later, mut done) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut open = |line: Line| {
        if line.sort < today {
            overdue.push(line);
        } else if line.sort <= horizon {
            soon.push(line);
        } else {
            later.push(line);
        }
    };

    for body in state.store.bodies().await? {
        for meeting in state.store.meetings(body.id).await? {
            let about = format!("{}, {}", meeting.title, long_date(meeting.held_on));
            let what = String::from("Publish the Panel papers");
            match meeting.papers_check(&calendar).map_err(|e| PageError::Internal(e.to_string()))? {
                None => open(Line {
                    date: long_date(meeting.papers_due_on),
                    what,
                    about,
                    href: String::new(),
                    evidence: String::new(),
                    sort: meeting.papers_due_on,
                }),
                Some(check) => {
                    let published = meeting.papers_published_on.map(long_date).unwrap_or_default();
                    let evidence = match check {
                        PapersCheck::OnTime { clear_days, .. } => {
                            format!("Published {published}, {clear_days} clear days before: on time")
                        }
                        PapersCheck::Late { clear_days, required } => {
                            format!("Published {published}, {clear_days} of {required} clear days: LATE")
                        }
                        PapersCheck::AfterMeeting => format!("Published {published}, after the meeting: LATE"),
                    };
                    done.push(Line {
                        date: long_date(meeting.papers_due_on),
                        what,
                        about,
                        href: String::new(),
                        evidence,
                        sort: meeting.papers_due_on,
                    });
                }
            }
        }
    }

    for plan in state.store.plans().await? {
        for stored in state.store.processes(plan.id).await? {
            let href = format!("/staff/plans/{}/processes/{}", plan.id, stored.id);
            let due_dates = stored.process.due_dates(&settings);
            for (step, evidence) in &stored.process.steps {
                let due = due_dates.iter().find(|(s, _)| s == step).map(|(_, d)| *d);
                let late = due.is_some_and(|d| evidence.on > d);
                done.push(Line {
                    date: due.map(long_date).unwrap_or_default(),
                    what: step.label().to_string(),
                    about: plan.title.clone(),
                    href: href.clone(),
                    evidence: format!(
                        "{}, {}{}",
                        long_date(evidence.on),
                        evidence.by,
                        if late { ": after the date due" } else { "" }
                    ),
                    sort: evidence.on,
                });
            }
            for (step, due) in due_dates {
                if stored.process.evidence(step).is_none() {
                    open(Line {
                        date: long_date(due),
                        what: step.label().to_string(),
                        about: plan.title.clone(),
                        href: href.clone(),
                        evidence: String::new(),
                        sort: due,
                    });
                }
            }
        }
        if plan.ends_on >= today {
            open(Line {
                date: long_date(plan.ends_on),
                what: String::from("The plan expires: a new plan must be in place"),
                about: plan.title.clone(),
                href: format!("/staff/plans/{}", plan.id),
                evidence: String::new(),
                sort: plan.ends_on,
            });
        }
    }

    for list in [&mut overdue, &mut soon, &mut later] {
        list.sort_by_key(|l| l.sort);
    }
    done.sort_by_key(|l| std::cmp::Reverse(l.sort));
    render(&CompliancePage {
        layout: user.layout("Compliance"),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        today: long_date(today),
        sections: vec![
            Section { heading: "Overdue", tag: "govuk-tag--red", empty: "Nothing is overdue.", lines: overdue },
            Section {
                heading: "Due in the next 30 days",
                tag: "govuk-tag--yellow",
                empty: "Nothing is due in the next 30 days.",
                lines: soon,
            },
            Section { heading: "Later", tag: "govuk-tag--grey", empty: "Nothing else is scheduled.", lines: later },
            Section { heading: "Done", tag: "govuk-tag--green", empty: "Nothing has been recorded yet.", lines: done },
        ],
    })
}
