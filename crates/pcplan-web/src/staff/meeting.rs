//! One meeting in the staff pages, `GET /staff/meetings/{meeting}`: its board, date,
//! place and status, the papers deadline fixed when it was scheduled, the agenda, the
//! attendance and apologies, the minutes, and its papers, each with its clear-days
//! status (and the meeting with the worst of them). Editors change it with:
//!
//! - `POST /staff/meetings/{meeting}/details`: title, place, status (a cancellation
//!   needs its reason);
//! - `POST /staff/meetings/{meeting}/agenda`: adds an agenda item, exempt (LGA 1972
//!   Sch 12A paragraph and reason) or a late urgent item (with its reason);
//! - `GET/POST /staff/meetings/{meeting}/agenda/{number}`: changes an item (its number
//!   too: its papers move with it; a number already on the agenda is refused);
//! - `GET/POST /staff/meetings/{meeting}/agenda/{number}/remove`: confirms, then
//!   removes an item; one with papers is refused, naming them (papers are kept for six
//!   years with their item);
//! - `POST /staff/meetings/{meeting}/attendance`: records one member as present, with
//!   apologies, absent, or substituting for another member;
//! - `POST /staff/meetings/{meeting}/attendance/all`: every current member of the board
//!   (serving on the meeting's date) with a choice each, saved in one go;
//! - `POST /staff/meetings/{meeting}/minutes`: the minutes and the later meeting that
//!   approved them;
//! - `POST /staff/meetings/{meeting}/uploads`: a paper (multipart), stored as a draft;
//! - `POST /staff/papers/{paper}/publish` and `/withdraw`.
//!
//! Every form that changes the record sends the `revision` it was based on; the store
//! refuses a change based on an older one and the page comes back with 409, the form
//! as typed and [`pcplan_store::MEETING_CHANGED`] beside its first field.
//!
//! `GET /staff/papers/{paper}` downloads any paper, drafts included. There is no way to
//! delete a paper here: published papers are kept for six years and withdrawal keeps
//! the bytes. The clear-days check is the meeting's own (`paper::timing`).

use askama::Template;
use axum::extract::{Form, Multipart, Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use pcplan_domain::board::Member;
use pcplan_domain::meeting::{
    ATTENDED_CHOICES, AgendaItem, Attendance, Attended, Exemption, Meeting, MeetingStatus, Minutes, SCHEDULE_12A,
};
use pcplan_domain::paper::{self, Paper, PaperTiming, size_label};
use pcplan_domain::{MeetingId, MemberId, PaperId};
use pcplan_store::{MEETING_CHANGED, NewPaper, RecordChange, StoreError};

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{Crumb, DoneQuery, Refusal, refusal, require_editor, see_other, sentence};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::papers::timing_words;
use crate::views::{Layout, render, render_with_status};

/// Which form was sent and refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Which {
    Details,
    Agenda,
    Attendance,
    AttendanceAll,
    Minutes,
    Upload,
    Publish(PaperId),
    Withdraw(PaperId),
}

pub struct ItemRow {
    pub number: String,
    pub title: String,
    pub note: String,
    pub change_href: String,
    pub remove_href: String,
}

/// One current member in the attendance form: their choice and, for a substitute, the
/// member they stood in for.
pub struct AttendanceChoice {
    pub id: String,
    pub name: String,
    pub membership: String,
    /// (value, label, checked).
    pub options: Vec<(String, String, bool)>,
    /// (value, label, selected).
    pub for_options: Vec<(String, String, bool)>,
    pub error: Option<String>,
    pub for_error: Option<String>,
}

pub struct AttendanceRow {
    pub name: String,
    pub attended: String,
}

pub struct PaperRow {
    pub title: String,
    pub item: String,
    pub kind: &'static str,
    pub size: String,
    pub sha256: String,
    pub uploaded: String,
    pub label: &'static str,
    pub tag: &'static str,
    pub detail: String,
    pub href: String,
    pub publish_action: String,
    pub withdraw_action: String,
    pub publish_field: Option<FieldView>,
    pub withdraw_field: Option<FieldView>,
    pub withdrawn: String,
}

#[derive(Template)]
#[template(path = "staff/meeting.html")]
pub struct MeetingPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub errors: FieldErrors,
    pub id: String,
    pub title: String,
    pub board: String,
    pub date: String,
    pub place: String,
    pub status: String,
    pub due: String,
    pub worst_label: &'static str,
    pub worst_tag: &'static str,
    pub worst_detail: String,
    pub items: Vec<ItemRow>,
    pub attendance: Vec<AttendanceRow>,
    pub minutes: String,
    pub minutes_state: String,
    pub papers: Vec<PaperRow>,
    pub details_fields: Vec<FieldView>,
    pub agenda_fields: Vec<FieldView>,
    pub attendance_fields: Vec<FieldView>,
    pub attendance_all: Vec<AttendanceChoice>,
    pub revision: u64,
    pub minutes_fields: Vec<FieldView>,
    pub upload_fields: Vec<FieldView>,
    pub file_error: Option<String>,
    pub max_size: String,
    pub editable: bool,
    /// Publishes and withdraws papers: approvers and administrators.
    pub publishing: bool,
}

fn options(pairs: &[(&str, &str)]) -> Vec<(String, String, String)> {
    pairs.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect()
}

async fn build(
    state: &AppState,
    user: &CurrentUser,
    meeting: Meeting,
    failed: Option<(Which, &FormValues, FieldErrors)>,
    notice: Option<String>,
) -> Result<MeetingPage, PageError> {
    let calendar = state.store.calendar().await?;
    let board = match meeting.board_id {
        Some(b) => state.store.board(b).await?,
        None => None,
    };
    let members = match &board {
        Some(b) => state.store.members(b.id).await?,
        None => Vec::new(),
    };
    let name_of = |id: MemberId| members.iter().find(|m| m.id == id).map(|m| m.name.clone()).unwrap_or_default();
    let empty = FormValues::default();
    let none = FieldErrors::default();
    let errors = failed.as_ref().map(|(_, _, e)| e.clone()).unwrap_or_default();
    let form = failed.as_ref().map(|(w, _, _)| *w);
    let pick = |which: Which| match &failed {
        Some((w, values, errors)) if *w == which => (*values, errors),
        _ => (&empty, &none),
    };
    let rule = meeting.day_rule.as_str();

    // Papers and their clear-days status.
    let mut timings = Vec::new();
    let mut papers = Vec::new();
    for p in state.store.papers(meeting.id).await? {
        let timing = paper::timing(&p, &meeting, &calendar).map_err(|e| PageError::Internal(e.to_string()))?;
        let (label, tag, detail) = timing_words(&timing, rule);
        let (pv, pe) = pick(Which::Publish(p.id));
        let (wv, we) = pick(Which::Withdraw(p.id));
        let publish_field = (timing == PaperTiming::Draft).then(|| {
            let mut f = FieldView::date(
                "published_on",
                "Date published",
                "Leave empty for today; a past date records an earlier publication",
                pv,
                pe,
            );
            f.id = format!("publish-{}", p.id);
            f
        });
        let withdraw_field = p.withdrawn.is_none().then(|| {
            let mut f = FieldView::text("reason", "Reason for withdrawing", "", wv, we);
            f.id = format!("withdraw-{}", p.id);
            f
        });
        papers.push(PaperRow {
            title: p.title.clone(),
            item: p.agenda_item.clone().unwrap_or_default(),
            kind: p.kind.label(),
            size: size_label(p.size_bytes),
            sha256: p.sha256.clone(),
            uploaded: format!("{} by {}", p.uploaded_at.format("%-d %B %Y %H:%M UTC"), p.uploaded_by),
            label,
            tag,
            detail: match p.published_on {
                Some(on) => format!("Published {}. {detail}", long_date(on)),
                None => detail,
            },
            href: format!("/staff/papers/{}", p.id),
            publish_action: format!("/staff/papers/{}/publish", p.id),
            withdraw_action: format!("/staff/papers/{}/withdraw", p.id),
            publish_field,
            withdraw_field,
            withdrawn: p.withdrawn.as_ref().map(|w| format!("Withdrawn by {}: {}", w.by, w.reason)).unwrap_or_default(),
        });
        timings.push(timing);
    }
    let (worst_label, worst_tag, worst_detail) = match paper::worst(&timings) {
        Some(t) => timing_words(t, rule),
        None => ("No papers", "govuk-tag--grey", String::from("No paper has been uploaded yet.")),
    };

    // Details form.
    let mut stored = FormValues::default();
    stored.push("title", &meeting.title);
    stored.push("place", &meeting.place);
    stored.push("status", meeting.status.as_str());
    if let MeetingStatus::Cancelled { reason } = &meeting.status {
        stored.push("reason", reason);
    }
    let (dv, de) = if form == Some(Which::Details) { pick(Which::Details) } else { (&stored, &none) };
    let details_fields = vec![
        FieldView::text("title", "Title", "", dv, de),
        FieldView::text("place", "Place", "For example, Committee Room 6, Council House, Birmingham", dv, de),
        FieldView::radios(
            "status",
            "Status",
            "",
            &options(&[("scheduled", "Scheduled"), ("held", "Held"), ("cancelled", "Cancelled")]),
            dv,
            de,
        ),
        FieldView::text("reason", "Reason, if cancelled", "", dv, de),
    ];
    let (av, ae) = pick(Which::Agenda);
    let agenda_fields = agenda_item_fields(av, ae);
    let attendance_all = attendance_choices(&meeting, &members, pick(Which::AttendanceAll));
    let (tv, te) = pick(Which::Attendance);
    let member_options: Vec<(String, String, String)> =
        members.iter().map(|m| (m.id.to_string(), m.name.clone(), m.membership_label())).collect();
    let mut substitute_options = vec![(String::new(), String::from("Not a substitute"), String::new())];
    substitute_options.extend(members.iter().map(|m| (m.id.to_string(), m.name.clone(), String::new())));
    let attendance_fields = vec![
        FieldView::radios("member", "Member", "", &member_options, tv, te),
        FieldView::radios("attended", "Attendance", "", &options(&ATTENDED_CHOICES), tv, te),
        FieldView::radios("for_member", "Substituting for", "", &substitute_options, tv, te),
    ];
    let mut minutes_values = FormValues::default();
    if let Some(m) = &meeting.minutes {
        minutes_values.push("minutes", &m.text);
        minutes_values.push("approved_at", m.approved_at.map(|a| a.to_string()).unwrap_or_default());
    }
    let (nv, ne) = if form == Some(Which::Minutes) { pick(Which::Minutes) } else { (&minutes_values, &none) };
    let later = match meeting.board_id {
        Some(b) => state.store.board_meetings(b).await?.into_iter().filter(|m| m.held_on > meeting.held_on).collect(),
        None => Vec::new(),
    };
    let mut approved_options = vec![(String::new(), String::from("Not yet approved"), String::new())];
    approved_options.extend(
        later
            .iter()
            .map(|m: &Meeting| (m.id.to_string(), format!("{}, {}", m.title, long_date(m.held_on)), String::new())),
    );
    let minutes_fields = vec![
        FieldView::textarea("minutes", "Minutes", "", nv, ne),
        FieldView::radios(
            "approved_at",
            "Approved at",
            "The later meeting that approved these minutes",
            &approved_options,
            nv,
            ne,
        ),
    ];
    let (uv, ue) = pick(Which::Upload);
    let agenda_numbers: Vec<(String, String, String)> =
        std::iter::once((String::new(), String::from("No agenda item"), String::new()))
            .chain(
                meeting.agenda.iter().map(|i| (i.number.clone(), format!("{}. {}", i.number, i.title), String::new())),
            )
            .collect();
    let upload_fields = vec![
        FieldView::text("title", "Paper title", "For example, Agenda or Report of the Commissioner", uv, ue),
        FieldView::radios("agenda_item", "Agenda item", "", &agenda_numbers, uv, ue),
    ];

    let items = meeting
        .agenda
        .iter()
        .map(|i| ItemRow {
            number: i.number.clone(),
            title: i.title.clone(),
            note: match (&i.exempt, &i.late_reason) {
                (Some(e), _) => format!("Exempt, Schedule 12A paragraph {}: {}", e.paragraph, e.reason),
                (None, Some(r)) => format!("Late urgent item: {r}"),
                (None, None) => String::new(),
            },
            change_href: item_href(&meeting, &i.number),
            remove_href: format!("{}/remove", item_href(&meeting, &i.number)),
        })
        .collect();
    let attendance = meeting
        .attendance
        .iter()
        .map(|a| AttendanceRow {
            name: name_of(a.member_id),
            attended: match a.attended {
                Attended::Present => String::from("Present"),
                Attended::Apologies => String::from("Apologies"),
                Attended::Absent => String::from("Absent"),
                Attended::Substitute { for_member } => format!("Present, substituting for {}", name_of(for_member)),
            },
        })
        .collect();
    let (minutes, minutes_state) = match &meeting.minutes {
        Some(m) => {
            let state_text = match m.approved_at.and_then(|a| later.iter().find(|l| l.id == a)) {
                Some(l) => format!("Approved at the meeting of {}; published.", long_date(l.held_on)),
                None => String::from("Not yet approved; not published."),
            };
            (m.text.clone(), state_text)
        }
        None => (String::new(), String::new()),
    };
    let file_error = if form == Some(Which::Upload) { errors.get("file").map(str::to_string) } else { None };
    Ok(MeetingPage {
        layout: user.layout(meeting.title.clone()).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Panel meetings", "/staff/meetings")],
        notice,
        errors,
        id: meeting.id.to_string(),
        title: meeting.title.clone(),
        board: board.map(|b| b.name).unwrap_or_default(),
        date: meeting.held_on.format("%A %-d %B %Y").to_string(),
        place: meeting.place.clone(),
        status: match &meeting.status {
            MeetingStatus::Cancelled { reason } => format!("Cancelled: {reason}"),
            other => other.label().to_string(),
        },
        due: format!(
            "{} ({} clear {rule} days before the meeting)",
            long_date(meeting.papers_due_on),
            meeting.required_clear_days
        ),
        worst_label,
        worst_tag,
        worst_detail,
        items,
        attendance,
        minutes,
        minutes_state,
        papers,
        details_fields,
        agenda_fields,
        attendance_fields,
        attendance_all,
        revision: meeting.revision,
        minutes_fields,
        upload_fields,
        file_error,
        max_size: size_label(state.config.max_paper_bytes as u64),
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
        publishing: super::can_approve(&user.user),
    })
}

/// The fields of an agenda item, to add one or change one.
fn agenda_item_fields(values: &FormValues, errors: &FieldErrors) -> Vec<FieldView> {
    let mut paragraphs = vec![(String::new(), String::from("Not exempt"), String::new())];
    paragraphs.extend(
        SCHEDULE_12A
            .iter()
            .enumerate()
            .map(|(i, d)| ((i + 1).to_string(), format!("Paragraph {}", i + 1), d.to_string())),
    );
    vec![
        FieldView::text("number", "Item number", "For example, 5 or 5a", values, errors),
        FieldView::text("title", "Item title", "", values, errors),
        FieldView::radios(
            "paragraph",
            "Exempt under Schedule 12A?",
            "Local Government Act 1972",
            &paragraphs,
            values,
            errors,
        ),
        FieldView::text("exempt_reason", "Why the item is exempt", "Needed for an exempt item", values, errors),
        FieldView::text(
            "late_reason",
            "Reason, for a late urgent item",
            "Leave empty unless the item is late and urgent",
            values,
            errors,
        ),
    ]
}

/// An agenda item as its form shows it.
fn agenda_item_values(item: &AgendaItem) -> FormValues {
    let mut values = FormValues::default();
    values.push("number", &item.number);
    values.push("title", &item.title);
    if let Some(e) = &item.exempt {
        values.push("paragraph", e.paragraph.to_string());
        values.push("exempt_reason", &e.reason);
    }
    values.push("late_reason", item.late_reason.clone().unwrap_or_default());
    values
}

/// Reads an agenda item's form; the store checks the rest (a unique number, a reason
/// for an exempt item) against the whole agenda.
fn read_agenda_item(values: &FormValues) -> Result<AgendaItem, FieldErrors> {
    let mut reader = FormReader::new(values);
    let number = reader.text("number", "Item number", true);
    let title = reader.text("title", "Item title", true);
    let exempt_reason = reader.text("exempt_reason", "Why the item is exempt", false);
    let late_reason = reader.text("late_reason", "Reason", false);
    let exempt = match values.get("paragraph").trim() {
        "" => None,
        raw => match raw.parse::<u8>() {
            Ok(paragraph) if (1..=7).contains(&paragraph) => Some(Exemption { paragraph, reason: exempt_reason }),
            _ => {
                reader.errors.add("paragraph", "Select a paragraph of Schedule 12A from 1 to 7");
                None
            }
        },
    };
    if reader.errors.is_empty() {
        Ok(AgendaItem { number, title, exempt, late_reason: Some(late_reason).filter(|r| !r.is_empty()) })
    } else {
        Err(reader.errors)
    }
}

/// The form's `revision`: the revision of the record the page showed.
fn based_on(values: &FormValues) -> Option<u64> {
    values.get("revision").trim().parse().ok()
}

/// Whether the store refused a change for being based on an older revision.
fn is_stale(error: &StoreError) -> bool {
    matches!(error, StoreError::Conflict(m) if m == MEETING_CHANGED)
}

/// `/staff/meetings/{meeting}/agenda/{number}`, the number percent-encoded.
fn item_href(meeting: &Meeting, number: &str) -> String {
    let mut encoded = String::new();
    for b in number.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("/staff/meetings/{}/agenda/{encoded}", meeting.id)
}

/// The attendance form's rows: every member serving on the meeting's date, with the
/// choice sent (after a refusal) or recorded.
fn attendance_choices(
    meeting: &Meeting,
    members: &[Member],
    (sent, errors): (&FormValues, &FieldErrors),
) -> Vec<AttendanceChoice> {
    let current: Vec<&Member> = members.iter().filter(|m| m.serves_on(meeting.held_on)).collect();
    current
        .iter()
        .map(|m| {
            let recorded = meeting.attendance.iter().find(|a| a.member_id == m.id).map(|a| a.attended);
            let (choice, for_member) = if sent.0.is_empty() {
                let choice = match recorded {
                    Some(Attended::Present) => "present",
                    Some(Attended::Apologies) => "apologies",
                    Some(Attended::Absent) => "absent",
                    Some(Attended::Substitute { .. }) => "substitute",
                    None => "",
                };
                let for_member = match recorded {
                    Some(Attended::Substitute { for_member }) => Some(for_member),
                    _ => m.substitute_for,
                };
                (choice.to_string(), for_member.map(|f| f.to_string()).unwrap_or_default())
            } else {
                (sent.get(&format!("attended-{}", m.id)).to_string(), sent.get(&format!("for-{}", m.id)).to_string())
            };
            let mut options = vec![(String::new(), String::from("Not recorded"), choice.is_empty())];
            options.extend(ATTENDED_CHOICES.iter().map(|(v, l)| (v.to_string(), l.to_string(), *v == choice)));
            let mut for_options = vec![(String::new(), String::from("Not a substitute"), for_member.is_empty())];
            for_options.extend(
                members
                    .iter()
                    .filter(|o| o.id != m.id)
                    .map(|o| (o.id.to_string(), o.name.clone(), o.id.to_string() == for_member)),
            );
            AttendanceChoice {
                id: m.id.to_string(),
                name: m.name.clone(),
                membership: m.membership_label(),
                options,
                for_options,
                error: errors.get(&format!("attended-{}", m.id)).map(str::to_string),
                for_error: errors.get(&format!("for-{}", m.id)).map(str::to_string),
            }
        })
        .collect()
}

async fn load(state: &AppState, raw: &str) -> Result<Meeting, PageError> {
    let id: MeetingId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.meeting(id).await?.ok_or(PageError::NotFound)
}

/// `GET /staff/meetings/{meeting}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let meeting = load(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("scheduled") => Some("Meeting scheduled"),
        Some("details") => Some("Meeting saved"),
        Some("agenda") => Some("Agenda item added"),
        Some("item") => Some("Agenda item changed"),
        Some("removed") => Some("Agenda item removed"),
        Some("attendance") => Some("Attendance recorded"),
        Some("minutes") => Some("Minutes saved"),
        Some("uploaded") => Some("Paper uploaded as a draft; publish it when it is ready"),
        Some("published") => Some("Paper published"),
        Some("withdrawn") => Some("Paper withdrawn; it is kept but no longer public"),
        _ => None,
    };
    render(&build(&state, &user, meeting, None, notice.map(String::from)).await?)
}

/// A form of the meeting record as sent: which it is, its values, its fields (the first
/// takes any error without a field) and the banner to show after saving.
struct Sent<'a> {
    which: Which,
    values: &'a FormValues,
    fields: &'a [&'a str],
    done: &'a str,
}

/// Saves a changed meeting record, or re-renders the page with the form's errors.
async fn save(
    state: &AppState,
    user: &CurrentUser,
    before: Meeting,
    changed: Result<Meeting, FieldErrors>,
    sent: Sent<'_>,
) -> Result<Response, PageError> {
    let Sent { which, values, fields, done } = sent;
    let mut status = StatusCode::UNPROCESSABLE_ENTITY;
    let how = RecordChange { based_on: based_on(values), renumbered: None };
    let mut errors = match changed {
        Ok(meeting) => match state.store.update_meeting_record(&user.actor(), &meeting, how).await {
            Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done={done}", before.id))),
            Err(error) => {
                if is_stale(&error) {
                    status = StatusCode::CONFLICT;
                }
                let mut errors = FieldErrors::default();
                match refusal(error)? {
                    Refusal::Message(m) => errors.add(fields[0], m),
                    Refusal::Problems(problems) => {
                        for p in problems {
                            let last = p.path.rsplit('.').next().unwrap_or("");
                            let field =
                                fields.iter().find(|f| **f == last || **f == p.path).copied().unwrap_or(fields[0]);
                            errors.add(field, sentence(&p.problem));
                        }
                    }
                }
                errors
            }
        },
        Err(errors) => errors,
    };
    if errors.is_empty() {
        errors.add(fields[0], "Check the form");
    }
    let page = build(state, user, before, Some((which, values, errors)), None).await?;
    render_with_status(status, &page)
}

/// `POST /staff/meetings/{meeting}/details`.
pub async fn details(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let title = reader.text("title", "Title", true);
    let place = reader.text("place", "Place", false);
    let reason = values.get("reason").trim().to_string();
    let status = reader.choice("status", "status", |v| match v {
        "scheduled" => Some(MeetingStatus::Scheduled),
        "held" => Some(MeetingStatus::Held),
        "cancelled" => Some(MeetingStatus::Cancelled { reason: reason.clone() }),
        _ => None,
    });
    let changed = match (status, reader.errors.is_empty()) {
        (Some(status), true) => Ok(Meeting { title, place, status, ..before.clone() }),
        _ => Err(reader.errors),
    };
    save(
        &state,
        &user,
        before,
        changed,
        Sent {
            which: Which::Details,
            values: &values,
            fields: &["title", "place", "status", "reason"],
            done: "details",
        },
    )
    .await
}

/// `POST /staff/meetings/{meeting}/agenda`.
pub async fn agenda(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let changed = read_agenda_item(&values).map(|item| {
        let mut meeting = before.clone();
        meeting.agenda.push(item);
        meeting
    });
    let fields = ["number", "title", "paragraph", "exempt_reason", "late_reason"];
    save(
        &state,
        &user,
        before,
        changed,
        Sent { which: Which::Agenda, values: &values, fields: &fields, done: "agenda" },
    )
    .await
}

/// `POST /staff/meetings/{meeting}/attendance`: one member's attendance, replacing any
/// earlier entry for them.
pub async fn attendance(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let member = reader.choice("member", "member", |v| v.parse::<MemberId>().ok());
    let for_member = values.get("for_member").trim().parse::<MemberId>().ok();
    let attended = reader.choice("attended", "attendance", |v| match v {
        "present" => Some(Some(Attended::Present)),
        "apologies" => Some(Some(Attended::Apologies)),
        "absent" => Some(Some(Attended::Absent)),
        "substitute" => Some(for_member.map(|for_member| Attended::Substitute { for_member })),
        _ => None,
    });
    let attended = match attended {
        Some(None) => {
            reader.errors.add("for_member", "Select the member they substituted for");
            None
        }
        other => other.flatten(),
    };
    let changed = match (member, attended, reader.errors.is_empty()) {
        (Some(member_id), Some(attended), true) => {
            let mut meeting = before.clone();
            meeting.attendance.retain(|a| a.member_id != member_id);
            meeting.attendance.push(Attendance { member_id, attended });
            Ok(meeting)
        }
        _ => Err(reader.errors),
    };
    save(
        &state,
        &user,
        before,
        changed,
        Sent {
            which: Which::Attendance,
            values: &values,
            fields: &["member", "attended", "for_member"],
            done: "attendance",
        },
    )
    .await
}

/// `POST /staff/meetings/{meeting}/attendance/all`: `attended-{member}` (empty for not
/// recorded, `present`, `apologies`, `absent`, `substitute`) and `for-{member}` for
/// each member serving on the meeting's date, saved in one go. Entries of members not
/// serving then are kept.
pub async fn attendance_all(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let members = match before.board_id {
        Some(b) => state.store.members(b).await?,
        None => Vec::new(),
    };
    let current: Vec<&Member> = members.iter().filter(|m| m.serves_on(before.held_on)).collect();
    let mut errors = FieldErrors::default();
    let mut attendance = Vec::new();
    for m in &current {
        let field = format!("attended-{}", m.id);
        let for_field = format!("for-{}", m.id);
        let attended = match values.get(&field).trim() {
            "" => None,
            "present" => Some(Attended::Present),
            "apologies" => Some(Attended::Apologies),
            "absent" => Some(Attended::Absent),
            "substitute" => match values.get(&for_field).trim().parse::<MemberId>() {
                Ok(for_member) if for_member != m.id => Some(Attended::Substitute { for_member }),
                Ok(_) => {
                    errors.add(&for_field, format!("{} cannot substitute for themselves", m.name));
                    None
                }
                Err(_) => {
                    errors.add(&for_field, format!("Select the member {} substituted for", m.name));
                    None
                }
            },
            _ => {
                errors.add(&field, format!("Select how {} attended", m.name));
                None
            }
        };
        if let Some(attended) = attended {
            attendance.push(Attendance { member_id: m.id, attended });
        }
    }
    attendance.extend(before.attendance.iter().filter(|a| !current.iter().any(|m| m.id == a.member_id)).cloned());
    let changed = if errors.is_empty() { Ok(Meeting { attendance, ..before.clone() }) } else { Err(errors) };
    let first = current.first().map(|m| format!("attended-{}", m.id)).unwrap_or_else(|| String::from("attended"));
    save(
        &state,
        &user,
        before,
        changed,
        Sent { which: Which::AttendanceAll, values: &values, fields: &[first.as_str()], done: "attendance" },
    )
    .await
}

/// The page that changes one agenda item.
#[derive(Template)]
#[template(path = "staff/agenda_item.html")]
pub struct AgendaItemPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub errors: FieldErrors,
    pub meeting: String,
    pub number: String,
    pub fields: Vec<FieldView>,
    pub action: String,
    pub remove_href: String,
    pub cancel: String,
    pub revision: u64,
}

/// The confirmation before an agenda item is removed, or why it cannot be.
#[derive(Template)]
#[template(path = "staff/agenda_remove.html")]
pub struct AgendaRemovePage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub error: Option<String>,
    pub meeting: String,
    pub number: String,
    pub title: String,
    /// The titles of the papers that keep the item on the agenda.
    pub papers: Vec<String>,
    pub action: String,
    pub cancel: String,
    pub revision: u64,
    pub editable: bool,
}

fn meeting_crumbs(meeting: &Meeting) -> Vec<Crumb> {
    vec![
        Crumb::new("Staff", "/staff"),
        Crumb::new("Panel meetings", "/staff/meetings"),
        Crumb::new(meeting.title.clone(), format!("/staff/meetings/{}", meeting.id)),
    ]
}

async fn load_item(state: &AppState, raw: &str, number: &str) -> Result<(Meeting, usize), PageError> {
    let meeting = load(state, raw).await?;
    let index = meeting.agenda.iter().position(|i| i.number == number).ok_or(PageError::NotFound)?;
    Ok((meeting, index))
}

fn item_page(
    user: &CurrentUser,
    meeting: &Meeting,
    number: &str,
    values: &FormValues,
    errors: FieldErrors,
) -> AgendaItemPage {
    AgendaItemPage {
        layout: user.layout(format!("Change agenda item {number}")).with_errors(!errors.is_empty()),
        crumbs: meeting_crumbs(meeting),
        fields: agenda_item_fields(values, &errors),
        errors,
        meeting: meeting.title.clone(),
        number: number.to_string(),
        action: item_href(meeting, number),
        remove_href: format!("{}/remove", item_href(meeting, number)),
        cancel: format!("/staff/meetings/{}", meeting.id),
        revision: meeting.revision,
    }
}

/// `GET /staff/meetings/{meeting}/agenda/{number}`.
pub async fn item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (meeting, index) = load_item(&state, &id, &number).await?;
    let values = agenda_item_values(&meeting.agenda[index]);
    render(&item_page(&user, &meeting, &number, &values, FieldErrors::default()))
}

/// Turns a refused record change into the errors of a form with these fields.
fn record_errors(error: StoreError, fields: &[&str]) -> Result<FieldErrors, PageError> {
    let mut errors = FieldErrors::default();
    match refusal(error)? {
        Refusal::Message(m) => errors.add(fields[0], m),
        Refusal::Problems(problems) => {
            for p in problems {
                let last = p.path.rsplit('.').next().unwrap_or("");
                let field = fields.iter().find(|f| **f == last).copied().unwrap_or(fields[0]);
                errors.add(field, sentence(&p.problem));
            }
        }
    }
    Ok(errors)
}

/// `POST /staff/meetings/{meeting}/agenda/{number}`: changes an item; a new number
/// takes the item's papers along.
pub async fn change_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (before, index) = load_item(&state, &id, &number).await?;
    let values = FormValues::new(pairs);
    let fields = ["number", "title", "paragraph", "exempt_reason", "late_reason"];
    let (status, errors) = match read_agenda_item(&values) {
        Ok(item) => {
            let mut meeting = before.clone();
            let renumbered = (item.number != number).then(|| (number.clone(), item.number.clone()));
            meeting.agenda[index] = item;
            let how = RecordChange {
                based_on: based_on(&values),
                renumbered: renumbered.as_ref().map(|(a, b)| (a.as_str(), b.as_str())),
            };
            match state.store.update_meeting_record(&user.actor(), &meeting, how).await {
                Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done=item", before.id))),
                Err(error) => {
                    let status = if is_stale(&error) { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
                    (status, record_errors(error, &fields)?)
                }
            }
        }
        Err(errors) => (StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    render_with_status(status, &item_page(&user, &before, &number, &values, errors))
}

async fn remove_page(
    state: &AppState,
    user: &CurrentUser,
    meeting: &Meeting,
    index: usize,
    error: Option<String>,
) -> Result<AgendaRemovePage, PageError> {
    let item = &meeting.agenda[index];
    let papers = state
        .store
        .papers(meeting.id)
        .await?
        .into_iter()
        .filter(|p| p.agenda_item.as_deref() == Some(item.number.as_str()))
        .map(|p| p.title)
        .collect();
    Ok(AgendaRemovePage {
        layout: user.layout(format!("Remove agenda item {}", item.number)).with_errors(error.is_some()),
        crumbs: meeting_crumbs(meeting),
        error,
        meeting: meeting.title.clone(),
        number: item.number.clone(),
        title: item.title.clone(),
        papers,
        action: format!("{}/remove", item_href(meeting, &item.number)),
        cancel: format!("/staff/meetings/{}", meeting.id),
        revision: meeting.revision,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
    })
}

/// `GET /staff/meetings/{meeting}/agenda/{number}/remove`: the confirmation.
pub async fn confirm_remove(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let (meeting, index) = load_item(&state, &id, &number).await?;
    render(&remove_page(&state, &user, &meeting, index, None).await?)
}

/// `POST /staff/meetings/{meeting}/agenda/{number}/remove`.
pub async fn remove_item(
    State(state): State<AppState>,
    user: CurrentUser,
    Path((id, number)): Path<(String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (before, index) = load_item(&state, &id, &number).await?;
    let values = FormValues::new(pairs);
    let mut meeting = before.clone();
    meeting.agenda.remove(index);
    let how = RecordChange { based_on: based_on(&values), renumbered: None };
    let error = match state.store.update_meeting_record(&user.actor(), &meeting, how).await {
        Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done=removed", before.id))),
        Err(error) => error,
    };
    let status = if is_stale(&error) { StatusCode::CONFLICT } else { StatusCode::UNPROCESSABLE_ENTITY };
    let message = record_errors(error, &["remove"])?.list().iter().map(|e| e.message.clone()).collect::<Vec<_>>();
    let page = remove_page(&state, &user, &before, index, Some(message.join("; "))).await?;
    render_with_status(status, &page)
}

/// `POST /staff/meetings/{meeting}/minutes`.
pub async fn minutes(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let text = reader.text("minutes", "Minutes", true);
    let approved_at = values.get("approved_at").trim().parse::<MeetingId>().ok();
    let changed = if reader.errors.is_empty() {
        Ok(Meeting { minutes: Some(Minutes { text, approved_at }), ..before.clone() })
    } else {
        Err(reader.errors)
    };
    save(
        &state,
        &user,
        before,
        changed,
        Sent { which: Which::Minutes, values: &values, fields: &["minutes", "approved_at"], done: "minutes" },
    )
    .await
}

/// `POST /staff/meetings/{meeting}/uploads`: a multipart form with `title`,
/// `agenda_item` and `file`.
pub async fn upload(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    form: Multipart,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let meeting = load(&state, &id).await?;
    let limit = state.config.max_paper_bytes;
    let mut errors = FieldErrors::default();
    let upload = match crate::papers::read_upload(form, limit).await {
        Ok(upload) => upload,
        Err(reason) => {
            errors.add("file", format!("The upload could not be read ({reason}); choose the file again"));
            Default::default()
        }
    };
    let mut values = FormValues::default();
    values.push("title", &upload.title);
    values.push("agenda_item", &upload.agenda_item);
    if upload.too_large {
        errors.add("file", crate::papers::too_large_message(&upload.file_name, limit));
    } else if errors.is_empty() && upload.file_name.is_empty() && upload.bytes.is_empty() {
        errors.add("file", "Select a file to upload");
    }
    if errors.is_empty() {
        let new = NewPaper {
            id: PaperId::new(),
            meeting_id: meeting.id,
            title: &upload.title,
            agenda_item: Some(upload.agenda_item.as_str()),
            file_name: &upload.file_name,
            bytes: &upload.bytes,
            max_bytes: limit,
        };
        match state.store.upload_paper(&user.actor(), &new).await {
            Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done=uploaded", meeting.id))),
            Err(error) => match refusal(error)? {
                Refusal::Message(m) => errors.add("file", m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        let field =
                            if ["title", "agenda_item"].contains(&p.path.as_str()) { p.path.as_str() } else { "file" };
                        errors.add(field, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let page = build(&state, &user, meeting, Some((Which::Upload, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

async fn load_paper(state: &AppState, raw: &str) -> Result<(Paper, Meeting), PageError> {
    let id: PaperId = raw.parse().map_err(|_| PageError::NotFound)?;
    let paper = state.store.paper(id).await?.ok_or(PageError::NotFound)?;
    let meeting = state.store.meeting(paper.meeting_id).await?.ok_or(PageError::NotFound)?;
    Ok((paper, meeting))
}

/// `POST /staff/papers/{paper}/publish`: publishes a draft, today or on a past date.
pub async fn publish(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (paper, meeting) = load_paper(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let today = crate::today();
    let on = reader.date("published_on", "Date published", false).unwrap_or(today);
    let anchor = format!("publish-{}-day", paper.id);
    let mut errors = FieldErrors::default();
    for e in reader.errors.0 {
        errors.add_at("published_on", &anchor, e.message);
    }
    if errors.is_empty() && on > today {
        errors.add_at("published_on", &anchor, "Date published must be today or in the past");
    }
    if errors.is_empty() {
        match state.store.publish_paper(&user.actor(), paper.id, chrono::Utc::now(), on).await {
            Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done=published", meeting.id))),
            Err(error) => match refusal(error)? {
                Refusal::Message(m) => errors.add_at("published_on", &anchor, m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        errors.add_at("published_on", &anchor, sentence(&format!("Date {}", p.problem)));
                    }
                }
            },
        }
    }
    let page = build(&state, &user, meeting, Some((Which::Publish(paper.id), &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/papers/{paper}/withdraw`: hides a paper from the public, with a reason.
pub async fn withdraw(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let (paper, meeting) = load_paper(&state, &id).await?;
    let values = FormValues::new(pairs);
    let anchor = format!("withdraw-{}", paper.id);
    let mut errors = FieldErrors::default();
    let reason = values.get("reason").trim().to_string();
    if reason.is_empty() {
        errors.add_at("reason", &anchor, "Enter the reason for withdrawing the paper");
    } else {
        match state.store.withdraw_paper(&user.actor(), paper.id, &reason).await {
            Ok(_) => return Ok(see_other(&format!("/staff/meetings/{}?done=withdrawn", meeting.id))),
            Err(error) => match refusal(error)? {
                Refusal::Message(m) => errors.add_at("reason", &anchor, m),
                Refusal::Problems(problems) => {
                    for p in problems {
                        errors.add_at("reason", &anchor, sentence(&p.problem));
                    }
                }
            },
        }
    }
    let page = build(&state, &user, meeting, Some((Which::Withdraw(paper.id), &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `GET /staff/papers/{paper}`: any paper's bytes, for staff.
pub async fn download(
    State(state): State<AppState>,
    _user: CurrentUser,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<Response, PageError> {
    let id: PaperId = id.parse().map_err(|_| PageError::NotFound)?;
    let (paper, bytes) = state.store.paper_content(id).await?.ok_or(PageError::NotFound)?;
    Ok(crate::papers::download(&paper, bytes, &headers, "private, no-store"))
}
