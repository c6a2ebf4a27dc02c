//! Boards, their members, and the record of a meeting (place, status, agenda,
//! attendance, minutes).
//!
//! Boards (`boards`) and members (`board_members`) are JSON rows with the columns the
//! lookups need, as plan records are; each change is checked by the domain
//! (`Board::check`, `Member::check`, `Meeting::check_record`) inside the write
//! transaction, against what is stored, and written with its audit entry. A meeting
//! scheduled with no board belongs to its body's Panel, made on first use with the
//! identity migration 0007 gives it. Updating a meeting's record never touches its
//! dates or its papers deadline: those were fixed when it was scheduled. Each update
//! raises the record's `revision` by one; an update sent with the revision it was based
//! on is refused when that is no longer the stored one ([`MEETING_CHANGED`]), so two
//! editors never silently undo each other's change. An agenda item that has papers is
//! never removed (the papers are kept for six years and must keep their item); when
//! one is renumbered its papers move with it. This module decides no statutory rule.

use pcplan_domain::board::{Board, BoardKind, Member};
use pcplan_domain::meeting::Meeting;
use pcplan_domain::{BoardId, BodyId, MeetingId, MemberId};

use crate::audit::{self, Actor, Change};
use crate::db::{Db, Tx, audit_json, on_tx, timestamp, to_json};
use crate::error::{Result, StoreError, corrupt};
use crate::{papers, plans, processes};

fn parse<T: serde::de::DeserializeOwned>(what: String, data: &str) -> Result<T> {
    serde_json::from_str(data).map_err(|e| corrupt(what, e))
}

// ---- boards ----

pub(crate) async fn load_board(tx: &mut Tx, id: BoardId) -> Result<Option<Board>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM boards WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data,)| parse(format!("board {id}"), &data)).transpose()
}

/// Checks a board against its body's areas, naming the body when it is missing.
async fn check_board(tx: &mut Tx, board: &Board) -> Result<()> {
    let body = plans::load_body(tx, board.body_id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("body {}", board.body_id) })?;
    let codes: Vec<&str> = body.areas.iter().map(|a| a.code.as_str()).collect();
    board.check(&codes)?;
    Ok(())
}

async fn insert_board(tx: &mut Tx, actor: &Actor, board: &Board) -> Result<()> {
    let now = timestamp(crate::db::now());
    on_tx!(&mut *tx, c => sqlx::query(
        "INSERT INTO boards (id, body_id, kind, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $5)")
        .bind(board.id.to_string())
        .bind(board.body_id.to_string())
        .bind(board.kind.as_str())
        .bind(to_json(board)?)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "board",
        entity_id: board.id.to_string(),
        before: None,
        after: Some(audit_json(board)),
    };
    audit::append(tx, actor, change).await
}

pub(crate) async fn create_board(db: &Db, actor: &Actor, board: &Board) -> Result<()> {
    let board = Board { name: board.name.trim().to_string(), ..board.clone() };
    let mut tx = db.begin().await?;
    check_board(&mut tx, &board).await?;
    if load_board(&mut tx, board.id).await?.is_some() {
        return Err(StoreError::Conflict(format!("board {} already exists", board.id)));
    }
    insert_board(&mut tx, actor, &board).await?;
    tx.commit().await
}

pub(crate) async fn update_board(db: &Db, actor: &Actor, board: &Board) -> Result<()> {
    let board = Board { name: board.name.trim().to_string(), ..board.clone() };
    let mut tx = db.begin().await?;
    let before = load_board(&mut tx, board.id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("board {}", board.id) })?;
    if before.body_id != board.body_id {
        return Err(StoreError::Conflict(String::from("a board cannot move to another policing body")));
    }
    check_board(&mut tx, &board).await?;
    on_tx!(&mut tx, c => sqlx::query("UPDATE boards SET kind = $1, data = $2, updated_at = $3 WHERE id = $4")
        .bind(board.kind.as_str())
        .bind(to_json(&board)?)
        .bind(timestamp(crate::db::now()))
        .bind(board.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "update",
        entity: "board",
        entity_id: board.id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&board)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn board(db: &Db, id: BoardId) -> Result<Option<Board>> {
    let mut tx = db.begin_read().await?;
    let board = load_board(&mut tx, id).await?;
    tx.commit().await?;
    Ok(board)
}

/// A body's boards (every body's with `None`): the Panel first, then by kind and name.
pub(crate) async fn boards(db: &Db, body: Option<BodyId>) -> Result<Vec<Board>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data FROM boards WHERE ($1 = '' OR body_id = $1) ORDER BY created_at, id")
        .bind(body.map(|b| b.to_string()).unwrap_or_default()).fetch_all(&mut *c).await?);
    tx.commit().await?;
    let mut boards: Vec<Board> =
        rows.into_iter().map(|(id, data)| parse(format!("board {id}"), &data)).collect::<Result<_>>()?;
    let order = |b: &Board| BoardKind::CHOICES.iter().position(|(k, _)| *k == b.kind.as_str()).unwrap_or(9);
    boards.sort_by(|a, b| order(a).cmp(&order(b)).then_with(|| a.name.cmp(&b.name)));
    Ok(boards)
}

/// The board of a meeting stored without one: the body's first Panel, made (and
/// audited) when the body has none yet.
pub(crate) async fn panel_for(tx: &mut Tx, actor: &Actor, body: BodyId) -> Result<BoardId> {
    let row: Option<(String,)> = on_tx!(&mut *tx, c => sqlx::query_as(
        "SELECT id FROM boards WHERE body_id = $1 AND kind = 'police_and_crime_panel' ORDER BY created_at, id LIMIT 1")
        .bind(body.to_string()).fetch_optional(&mut *c).await?);
    if let Some((id,)) = row {
        return id.parse().map_err(|e| corrupt(format!("board id `{id}`"), e));
    }
    let panel = Board::default_panel(body);
    if load_board(tx, panel.id).await?.is_some() {
        // Staff changed the made Panel's kind; its identity still names the body's Panel.
        return Ok(panel.id);
    }
    insert_board(tx, actor, &panel).await?;
    Ok(panel.id)
}

// ---- members ----

async fn load_member(tx: &mut Tx, id: MemberId) -> Result<Option<Member>> {
    let row: Option<(String,)> = on_tx!(tx, c => sqlx::query_as("SELECT data FROM board_members WHERE id = $1")
        .bind(id.to_string()).fetch_optional(&mut *c).await?);
    row.map(|(data,)| parse(format!("member {id}"), &data)).transpose()
}

/// Checks a member and that the member they substitute for sits on the same board.
async fn check_member(tx: &mut Tx, member: &Member) -> Result<()> {
    if load_board(tx, member.board_id).await?.is_none() {
        return Err(StoreError::NotFound { what: format!("board {}", member.board_id) });
    }
    member.check()?;
    if let Some(other) = member.substitute_for {
        let found = load_member(tx, other).await?;
        if found.is_none_or(|m| m.board_id != member.board_id) {
            let problem = pcplan_domain::clock::FieldProblem::new("substitute_for", "is not a member of this board");
            return Err(pcplan_domain::clock::FieldProblems(vec![problem]).into());
        }
    }
    Ok(())
}

pub(crate) async fn add_member(db: &Db, actor: &Actor, member: &Member) -> Result<()> {
    let member = Member { name: member.name.trim().to_string(), ..member.clone() };
    let mut tx = db.begin().await?;
    check_member(&mut tx, &member).await?;
    let now = timestamp(crate::db::now());
    on_tx!(&mut tx, c => sqlx::query(
        "INSERT INTO board_members (id, board_id, data, created_at, updated_at) VALUES ($1, $2, $3, $4, $4)")
        .bind(member.id.to_string())
        .bind(member.board_id.to_string())
        .bind(to_json(&member)?)
        .bind(&now)
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "create",
        entity: "member",
        entity_id: member.id.to_string(),
        before: None,
        after: Some(audit_json(&member)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

/// Replaces a member's record (its register of interests included); the board stays.
pub(crate) async fn update_member(db: &Db, actor: &Actor, member: &Member) -> Result<()> {
    let member = Member { name: member.name.trim().to_string(), ..member.clone() };
    let mut tx = db.begin().await?;
    let before = load_member(&mut tx, member.id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("member {}", member.id) })?;
    if before.board_id != member.board_id {
        return Err(StoreError::Conflict(String::from("a member cannot move to another board; add them there")));
    }
    check_member(&mut tx, &member).await?;
    on_tx!(&mut tx, c => sqlx::query("UPDATE board_members SET data = $1, updated_at = $2 WHERE id = $3")
        .bind(to_json(&member)?)
        .bind(timestamp(crate::db::now()))
        .bind(member.id.to_string())
        .execute(&mut *c).await?.rows_affected());
    let change = Change {
        action: "update",
        entity: "member",
        entity_id: member.id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&member)),
    };
    audit::append(&mut tx, actor, change).await?;
    tx.commit().await
}

pub(crate) async fn member(db: &Db, id: MemberId) -> Result<Option<Member>> {
    let mut tx = db.begin_read().await?;
    let member = load_member(&mut tx, id).await?;
    tx.commit().await?;
    Ok(member)
}

/// A board's members: the chair, vice-chairs, then members, each by name.
pub(crate) async fn members(db: &Db, board: BoardId) -> Result<Vec<Member>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String, String)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id, data FROM board_members WHERE board_id = $1 ORDER BY created_at, id")
        .bind(board.to_string()).fetch_all(&mut *c).await?);
    tx.commit().await?;
    let mut members: Vec<Member> =
        rows.into_iter().map(|(id, data)| parse(format!("member {id}"), &data)).collect::<Result<_>>()?;
    members.sort_by(|a, b| (a.role as u8).cmp(&(b.role as u8)).then_with(|| a.name.cmp(&b.name)));
    Ok(members)
}

// ---- the record of a meeting ----

/// The refusal of a change based on an older revision of a meeting's record.
pub const MEETING_CHANGED: &str =
    "This meeting was changed by someone else since you opened the page: reload it and make your change again";

/// How a change of a meeting's record was made: the revision it was based on (`None`
/// for no check) and an agenda item renumbered by it (`(from, to)`), whose papers move
/// to the new number.
#[derive(Clone, Debug, Default)]
pub struct RecordChange<'a> {
    pub based_on: Option<u64>,
    pub renumbered: Option<(&'a str, &'a str)>,
}

/// Replaces what staff record about a meeting: title, place, status, agenda,
/// attendance and minutes. The identity, body, board, date, papers deadline and
/// publication date are kept as stored, whatever `meeting` says; the revision is the
/// stored one plus one.
pub(crate) async fn update_meeting(
    db: &Db,
    actor: &Actor,
    meeting: &Meeting,
    how: RecordChange<'_>,
) -> Result<Meeting> {
    use pcplan_domain::clock::{FieldProblem, FieldProblems};
    let mut tx = db.begin().await?;
    let before = processes::load_meeting(&mut tx, meeting.id)
        .await?
        .ok_or_else(|| StoreError::NotFound { what: format!("meeting {}", meeting.id) })?;
    if how.based_on.is_some_and(|r| r != before.revision) {
        return Err(StoreError::Conflict(MEETING_CHANGED.to_string()));
    }
    let after = Meeting {
        title: meeting.title.trim().to_string(),
        place: meeting.place.trim().to_string(),
        status: meeting.status.clone(),
        agenda: meeting.agenda.clone(),
        attendance: meeting.attendance.clone(),
        minutes: meeting.minutes.clone(),
        revision: before.revision + 1,
        ..before.clone()
    };
    let mut problems = Vec::new();
    if after.title.is_empty() {
        problems.push(FieldProblem::new("title", "is empty; name the meeting"));
    }
    if let Err(more) = after.check_record() {
        problems.extend(more.0);
    }
    let board = before.board_id;
    for (n, a) in after.attendance.iter().enumerate() {
        let mut ids = vec![a.member_id];
        if let pcplan_domain::meeting::Attended::Substitute { for_member } = a.attended {
            ids.push(for_member);
        }
        for id in ids {
            if load_member(&mut tx, id).await?.is_none_or(|m| Some(m.board_id) != board) {
                problems.push(FieldProblem::new(format!("attendance[{n}].member"), "is not a member of this board"));
            }
        }
    }
    if let Some(approved) = after.minutes.as_ref().and_then(|m| m.approved_at) {
        match processes::load_meeting(&mut tx, approved).await? {
            Some(later) if later.held_on > after.held_on && later.board_id == board => {}
            _ => problems.push(FieldProblem::new(
                "approved_at",
                "must be a later meeting of the same board, where the minutes were approved",
            )),
        }
    }
    // Papers keep their item: a renumbered item takes its papers along, and an item
    // with papers cannot leave the agenda.
    let mut moved = Vec::new();
    let mut orphans: Vec<(String, Vec<String>)> = Vec::new();
    for paper in papers::papers_in(&mut tx, before.id).await? {
        let Some(number) = paper.agenda_item.clone().filter(|n| before.agenda_item(n).is_some()) else { continue };
        let number = match how.renumbered {
            Some((from, to)) if from == number => {
                let mut changed = paper.clone();
                changed.agenda_item = Some(to.to_string());
                moved.push((paper.clone(), changed));
                to.to_string()
            }
            _ => number,
        };
        // An exempt item's papers never become public by a change that also swaps in
        // another item under its number: lifting an exemption is done on the item alone,
        // its title unchanged, so the papers cannot end up under someone else's heading.
        let (was, now) = (before.agenda_item(&number), after.agenda_item(&number));
        if let (Some(was), Some(now)) = (was, now)
            && was.exempt.is_some()
            && now.exempt.is_none()
            && was.title.trim() != now.title.trim()
            && how.renumbered.is_none()
            && !problems
                .iter()
                .any(|p: &FieldProblem| p.field == "agenda.exempt" && p.problem.starts_with(&format!("item {number} ")))
        {
            problems.push(FieldProblem::new(
                "agenda.exempt",
                format!(
                    "item {number} has exempt papers ({}); lift its exemption on its own, without changing its title, \
                     so its papers cannot become public under another item",
                    paper.title
                ),
            ));
        }
        if after.agenda_item(&number).is_none() {
            match orphans.iter_mut().find(|(n, _)| *n == number) {
                Some((_, titles)) => titles.push(paper.title.clone()),
                None => orphans.push((number, vec![paper.title.clone()])),
            }
        }
    }
    for (number, titles) in orphans {
        problems.push(FieldProblem::new(
            "agenda.number",
            format!(
                "item {number} has papers ({}), which are kept for six years with their item; it cannot be removed",
                titles.join(", ")
            ),
        ));
    }
    if !problems.is_empty() {
        return Err(FieldProblems(problems).into());
    }
    processes::write_meeting(&mut tx, &after).await?;
    let change = Change {
        action: "update",
        entity: "meeting",
        entity_id: after.id.to_string(),
        before: Some(audit_json(&before)),
        after: Some(audit_json(&after)),
    };
    audit::append(&mut tx, actor, change).await?;
    for (from, to) in moved {
        papers::write_paper(&mut tx, &to).await?;
        let change = Change {
            action: "update",
            entity: "paper",
            entity_id: to.id.to_string(),
            before: Some(audit_json(&from)),
            after: Some(audit_json(&to)),
        };
        audit::append(&mut tx, actor, change).await?;
    }
    // The agenda decides which papers are exempt, and the title is shown with each.
    crate::search::refresh_meeting_papers(&mut tx, after.id).await?;
    tx.commit().await?;
    Ok(after)
}

/// A board's meetings, by date.
pub(crate) async fn board_meetings(db: &Db, board: BoardId) -> Result<Vec<Meeting>> {
    let mut tx = db.begin_read().await?;
    let rows: Vec<(String,)> = on_tx!(&mut tx, c => sqlx::query_as(
        "SELECT id FROM meetings WHERE board_id = $1 ORDER BY held_on, id")
        .bind(board.to_string()).fetch_all(&mut *c).await?);
    let mut out = Vec::with_capacity(rows.len());
    for (id,) in rows {
        let id: MeetingId = id.parse().map_err(|e| corrupt(format!("meeting id `{id}`"), e))?;
        if let Some(meeting) = processes::load_meeting(&mut tx, id).await? {
            out.push(meeting);
        }
    }
    tx.commit().await?;
    Ok(out)
}
