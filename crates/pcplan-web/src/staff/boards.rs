//! Boards and their members in the staff pages:
//!
//! - `GET /staff/boards`: every body's boards; `POST` adds one (kind, name, area for a
//!   local board);
//! - `GET /staff/boards/{board}`: the board, its members and its meetings, with forms to
//!   change the board (`POST` to the same path), add a member
//!   (`POST /staff/boards/{board}/members`) and schedule a meeting
//!   (`POST /staff/boards/{board}/meetings`, the deadline fixed as on /staff/meetings);
//! - `GET /staff/members/{member}`: one member and their register of interests, with
//!   forms to change the member (`POST` to the same path) and declare an interest
//!   (`POST /staff/members/{member}/interests`).
//!
//! Refused forms come back with 422, the error beside each field and the values typed.
//! The checks themselves are the domain's, run by the store.

use askama::Template;
use axum::extract::{Form, Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use pcplan_domain::board::{Board, BoardKind, Interest, InterestKind, Member, MemberRole, Membership};
use pcplan_domain::{BoardId, BodyId, MeetingId, MemberId};

use super::forms::{FieldErrors, FieldView, FormReader, FormValues};
use super::outline::long_date;
use super::{Crumb, DoneQuery, place_refusal, refusal, require_editor, see_other};
use crate::AppState;
use crate::auth::CurrentUser;
use crate::error::PageError;
use crate::views::{Layout, render, render_with_status};

/// The date fields of the board and member forms, anchored on their day box.
const BOARD_DATES: &[&str] = &["term_from", "term_to", "held_on", "declared_on"];

fn kind_options() -> Vec<(String, String, String)> {
    BoardKind::CHOICES.iter().map(|(v, l)| (v.to_string(), l.to_string(), String::new())).collect()
}

// ---- the list of boards ----

pub struct BoardRow {
    pub href: String,
    pub name: String,
    pub kind: String,
    pub body: String,
}

#[derive(Template)]
#[template(path = "staff/boards.html")]
pub struct BoardsPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub boards: Vec<BoardRow>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub only_body: Option<String>,
    pub editable: bool,
}

async fn boards_page(
    state: &AppState,
    user: &CurrentUser,
    values: &FormValues,
    errors: FieldErrors,
    notice: Option<String>,
) -> Result<BoardsPage, PageError> {
    let bodies = state.store.bodies().await?;
    let mut rows = Vec::new();
    for board in state.store.boards(None).await? {
        let body = bodies.iter().find(|b| b.id == board.body_id).map(|b| b.name.clone()).unwrap_or_default();
        let kind = match &board.kind {
            BoardKind::LocalBoard { area_code } => {
                let area = bodies
                    .iter()
                    .flat_map(|b| b.areas.iter())
                    .find(|a| &a.code == area_code)
                    .map_or(area_code.clone(), |a| a.name.clone());
                format!("{} ({area})", board.kind.label())
            }
            other => other.label().to_string(),
        };
        rows.push(BoardRow { href: format!("/staff/boards/{}", board.id), name: board.name, kind, body });
    }
    let mut fields = Vec::new();
    if bodies.len() > 1 {
        let options: Vec<(String, String, String)> =
            bodies.iter().map(|b| (b.id.to_string(), b.name.clone(), String::new())).collect();
        fields.push(FieldView::radios("body", "Which policing body?", "", &options, values, &errors));
    }
    fields.push(FieldView::radios("kind", "Kind of board", "", &kind_options(), values, &errors));
    fields.push(FieldView::text("name", "Name", "For example, Strategic Policing and Crime Board", values, &errors));
    fields.push(FieldView::text(
        "area_code",
        "Area code, for a local board",
        "The ONS code of the local authority area, for example E08000031",
        values,
        &errors,
    ));
    Ok(BoardsPage {
        layout: user.layout("Boards and members").with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff")],
        notice,
        boards: rows,
        errors,
        fields,
        only_body: match bodies.as_slice() {
            [only] => Some(only.id.to_string()),
            _ => None,
        },
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel) && !bodies.is_empty(),
    })
}

/// `GET /staff/boards`.
pub async fn list(
    State(state): State<AppState>,
    user: CurrentUser,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let notice = (done.done.as_deref() == Some("added")).then(|| String::from("Board added"));
    render(&boards_page(&state, &user, &FormValues::default(), FieldErrors::default(), notice).await?)
}

/// Reads the kind, name and area of a board form.
fn read_board(reader: &mut FormReader<'_>, values: &FormValues) -> (Option<BoardKind>, String) {
    let area = values.get("area_code").to_string();
    let kind = reader.choice("kind", "kind of board", |v| BoardKind::parse(v, &area));
    let name = reader.text("name", "Name", true);
    (kind, name)
}

/// `POST /staff/boards`.
pub async fn add(
    State(state): State<AppState>,
    user: CurrentUser,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let values = FormValues::new(pairs);
    let bodies = state.store.bodies().await?;
    let body = match (values.get("body").trim(), bodies.as_slice()) {
        ("", [only]) => Some(only.id),
        (raw, _) => raw.parse::<BodyId>().ok(),
    };
    let mut reader = FormReader::new(&values);
    if body.is_none() {
        reader.errors.add("body", "Select the policing body");
    }
    let (kind, name) = read_board(&mut reader, &values);
    let mut errors = reader.errors;
    if let (Some(body_id), Some(kind), true) = (body, kind, errors.is_empty()) {
        let board = Board { id: BoardId::new(), body_id, kind, name, illustrative: false };
        match state.store.create_board(&user.actor(), &board).await {
            Ok(()) => return Ok(see_other(&format!("/staff/boards/{}?done=added", board.id))),
            Err(error) => place_refusal(&mut errors, refusal(error)?, &["name", "area_code"], BOARD_DATES, "name"),
        }
    }
    let page = boards_page(&state, &user, &values, errors, None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---- one board ----

pub struct MemberRow {
    pub href: String,
    pub name: String,
    pub role: &'static str,
    pub membership: String,
    pub term: String,
    pub substitute_for: String,
    pub interests: usize,
    pub illustrative: bool,
}

pub struct MeetingRow {
    pub href: String,
    pub title: String,
    pub date: String,
    pub status: &'static str,
}

/// Which form on the board page was sent and refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum BoardForm {
    Board,
    Member,
    Meeting,
}

#[derive(Template)]
#[template(path = "staff/board.html")]
pub struct BoardPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub name: String,
    pub kind: &'static str,
    pub id: String,
    pub members: Vec<MemberRow>,
    pub meetings: Vec<MeetingRow>,
    pub errors: FieldErrors,
    pub board_fields: Vec<FieldView>,
    pub member_fields: Vec<FieldView>,
    pub meeting_fields: Vec<FieldView>,
    pub editable: bool,
}

fn term_text(member: &Member) -> String {
    match member.term_to {
        Some(to) => format!("{} to {}", long_date(member.term_from), long_date(to)),
        None => format!("From {}", long_date(member.term_from)),
    }
}

/// The member form's fields, shared by the board page (add) and the member page (edit).
fn member_fields(values: &FormValues, errors: &FieldErrors, others: &[Member]) -> Vec<FieldView> {
    let roles: Vec<(String, String, String)> = [MemberRole::Chair, MemberRole::ViceChair, MemberRole::Member]
        .iter()
        .map(|r| (r.as_str().to_string(), r.label().to_string(), String::new()))
        .collect();
    let memberships = [
        (String::from("councillor"), String::from("Councillor"), String::from("Give the council below")),
        (String::from("independent"), String::from("Independent co-opted member"), String::new()),
    ];
    let mut substitutes = vec![(String::new(), String::from("Not a substitute"), String::new())];
    substitutes.extend(others.iter().map(|m| (m.id.to_string(), m.name.clone(), String::new())));
    vec![
        FieldView::text("name", "Name", "For example, Councillor Jess Phillips", values, errors),
        FieldView::radios("role", "Role", "", &roles, values, errors),
        FieldView::radios("membership", "Sits as", "", &memberships, values, errors),
        FieldView::text("council", "Council, for a councillor", "For example, Birmingham City Council", values, errors),
        FieldView::date("term_from", "Term starts", "For example, 22 11 2012", values, errors),
        FieldView::date("term_to", "Term ends (optional)", "For example, 11 5 2016", values, errors),
        FieldView::radios(
            "substitute_for",
            "Substitute for",
            "A named substitute for another member",
            &substitutes,
            values,
            errors,
        ),
    ]
}

/// Reads the member form into a member of `board` with identity `id`.
fn read_member(
    values: &FormValues,
    id: MemberId,
    board: BoardId,
    interests: Vec<Interest>,
) -> Result<Member, FieldErrors> {
    let mut reader = FormReader::new(values);
    let name = reader.text("name", "Name", true);
    let role = reader.choice("role", "role", MemberRole::parse);
    let council = values.get("council").trim().to_string();
    let membership = reader.choice("membership", "how the member sits", |v| match v {
        "councillor" => Some(Membership::Councillor { council: council.clone() }),
        "independent" => Some(Membership::Independent),
        _ => None,
    });
    let term_from = reader.date("term_from", "Term starts", true);
    let term_to = reader.date("term_to", "Term ends", false);
    let substitute_for = match values.get("substitute_for").trim() {
        "" => None,
        raw => match raw.parse::<MemberId>() {
            Ok(m) => Some(m),
            Err(_) => {
                reader.errors.add("substitute_for", "Select the member this one substitutes for");
                None
            }
        },
    };
    let errors = reader.errors;
    match (role, membership, term_from, errors.is_empty()) {
        (Some(role), Some(membership), Some(term_from), true) => Ok(Member {
            id,
            board_id: board,
            name,
            role,
            membership,
            term_from,
            term_to,
            substitute_for,
            interests,
            illustrative: false,
        }),
        _ => Err(errors),
    }
}

const MEMBER_FIELDS: [&str; 7] = ["name", "role", "membership", "council", "term_from", "term_to", "substitute_for"];

async fn board_page(
    state: &AppState,
    user: &CurrentUser,
    board: Board,
    failed: Option<(BoardForm, &FormValues, FieldErrors)>,
    notice: Option<String>,
) -> Result<BoardPage, PageError> {
    let members = state.store.members(board.id).await?;
    let empty = FormValues::default();
    let none = FieldErrors::default();
    let (form, values, errors) = match &failed {
        Some((form, values, errors)) => (Some(*form), *values, errors.clone()),
        None => (None, &empty, none.clone()),
    };
    let for_form = |f: BoardForm| if form == Some(f) { (values, &errors) } else { (&empty, &none) };
    let mut board_values = FormValues::default();
    board_values.push("kind", board.kind.as_str());
    board_values.push("name", &board.name);
    if let BoardKind::LocalBoard { area_code } = &board.kind {
        board_values.push("area_code", area_code);
    }
    let (bv, be) = if form == Some(BoardForm::Board) { (values, &errors) } else { (&board_values, &none) };
    let board_fields = vec![
        FieldView::radios("kind", "Kind of board", "", &kind_options(), bv, be),
        FieldView::text("name", "Name", "", bv, be),
        FieldView::text("area_code", "Area code, for a local board", "", bv, be),
    ];
    let mut new_member = FormValues::default();
    new_member.push("role", "member");
    new_member.push("membership", "councillor");
    let (mv, me) = if form == Some(BoardForm::Member) { for_form(BoardForm::Member) } else { (&new_member, &none) };
    let member_fields = member_fields(mv, me, &members);
    let (tv, te) = for_form(BoardForm::Meeting);
    let meeting_fields = vec![
        FieldView::text("title", "Title", "For example, Strategic Policing and Crime Board", tv, te),
        FieldView::date("held_on", "Date of the meeting", "For example, 3 2 2014", tv, te),
        FieldView::text("place", "Place (optional)", "For example, Lloyd House, Birmingham", tv, te),
    ];
    let rows = members
        .iter()
        .map(|m| MemberRow {
            href: format!("/staff/members/{}", m.id),
            name: m.name.clone(),
            role: m.role.label(),
            membership: m.membership_label(),
            term: term_text(m),
            substitute_for: m
                .substitute_for
                .and_then(|s| members.iter().find(|o| o.id == s))
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            interests: m.interests.len(),
            illustrative: m.illustrative,
        })
        .collect();
    let meetings = state
        .store
        .board_meetings(board.id)
        .await?
        .into_iter()
        .map(|m| MeetingRow {
            href: format!("/staff/meetings/{}", m.id),
            title: m.title.clone(),
            date: long_date(m.held_on),
            status: m.status.label(),
        })
        .collect();
    Ok(BoardPage {
        layout: user.layout(board.name.clone()).with_errors(!errors.is_empty()),
        crumbs: vec![Crumb::new("Staff", "/staff"), Crumb::new("Boards and members", "/staff/boards")],
        notice,
        name: board.name.clone(),
        kind: board.kind.label(),
        id: board.id.to_string(),
        members: rows,
        meetings,
        errors,
        board_fields,
        member_fields,
        meeting_fields,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
    })
}

async fn load_board(state: &AppState, raw: &str) -> Result<Board, PageError> {
    let id: BoardId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.board(id).await?.ok_or(PageError::NotFound)
}

/// `GET /staff/boards/{board}`.
pub async fn page(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let board = load_board(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("added") => Some(String::from("Board added")),
        Some("saved") => Some(String::from("Board saved")),
        Some("member") => Some(String::from("Member added")),
        Some("scheduled") => Some(String::from("Meeting scheduled")),
        _ => None,
    };
    render(&board_page(&state, &user, board, None, notice).await?)
}

/// `POST /staff/boards/{board}`: changes the board's kind, name or area.
pub async fn save(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let board = load_board(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let (kind, name) = read_board(&mut reader, &values);
    let mut errors = reader.errors;
    if let (Some(kind), true) = (kind, errors.is_empty()) {
        let changed = Board { kind, name, ..board.clone() };
        match state.store.update_board(&user.actor(), &changed).await {
            Ok(()) => return Ok(see_other(&format!("/staff/boards/{}?done=saved", board.id))),
            Err(error) => place_refusal(&mut errors, refusal(error)?, &["name", "area_code"], BOARD_DATES, "name"),
        }
    }
    let page = board_page(&state, &user, board, Some((BoardForm::Board, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/boards/{board}/members`.
pub async fn add_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let board = load_board(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_member(&values, MemberId::new(), board.id, Vec::new()) {
        Ok(member) => match state.store.add_member(&user.actor(), &member).await {
            Ok(()) => return Ok(see_other(&format!("/staff/boards/{}?done=member", board.id))),
            Err(error) => {
                let mut errors = FieldErrors::default();
                place_refusal(&mut errors, refusal(error)?, &MEMBER_FIELDS, BOARD_DATES, "name");
                errors
            }
        },
        Err(errors) => errors,
    };
    let page = board_page(&state, &user, board, Some((BoardForm::Member, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/boards/{board}/meetings`: schedules a meeting of this board.
pub async fn schedule(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let board = load_board(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let title = reader.text("title", "Title", true);
    let held_on = reader.date("held_on", "Date of the meeting", true);
    let place = reader.text("place", "Place", false);
    let mut errors = reader.errors;
    if let (Some(held_on), true) = (held_on, errors.is_empty()) {
        let id = MeetingId::new();
        match state.store.schedule_board_meeting(&user.actor(), id, board.id, &title, held_on, &place).await {
            Ok(_) => return Ok(see_other(&format!("/staff/meetings/{id}?done=scheduled"))),
            Err(error) => place_refusal(&mut errors, refusal(error)?, &["title", "held_on"], BOARD_DATES, "held_on"),
        }
    }
    let page = board_page(&state, &user, board, Some((BoardForm::Meeting, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

// ---- one member ----

pub struct InterestRow {
    pub declared_on: String,
    pub interest: String,
    pub kind: &'static str,
}

#[derive(Template)]
#[template(path = "staff/member.html")]
pub struct MemberPage {
    pub layout: Layout,
    pub crumbs: Vec<Crumb>,
    pub notice: Option<String>,
    pub name: String,
    pub id: String,
    pub illustrative: bool,
    pub interests: Vec<InterestRow>,
    pub errors: FieldErrors,
    pub fields: Vec<FieldView>,
    pub interest_fields: Vec<FieldView>,
    pub editable: bool,
}

fn member_values(member: &Member) -> FormValues {
    let mut v = FormValues::default();
    v.push("name", &member.name);
    v.push("role", member.role.as_str());
    match &member.membership {
        Membership::Councillor { council } => {
            v.push("membership", "councillor");
            v.push("council", council);
        }
        Membership::Independent => v.push("membership", "independent"),
    }
    v.push_date("term_from", Some(member.term_from));
    v.push_date("term_to", member.term_to);
    v.push("substitute_for", member.substitute_for.map(|m| m.to_string()).unwrap_or_default());
    v
}

/// Which form on the member page was refused.
#[derive(Clone, Copy, PartialEq, Eq)]
enum MemberForm {
    Member,
    Interest,
}

async fn member_page(
    state: &AppState,
    user: &CurrentUser,
    member: Member,
    failed: Option<(MemberForm, &FormValues, FieldErrors)>,
    notice: Option<String>,
) -> Result<MemberPage, PageError> {
    let board = state.store.board(member.board_id).await?.ok_or(PageError::NotFound)?;
    let others: Vec<Member> = state.store.members(board.id).await?.into_iter().filter(|m| m.id != member.id).collect();
    let stored = member_values(&member);
    let empty = FormValues::default();
    let none = FieldErrors::default();
    let errors = failed.as_ref().map(|(_, _, e)| e.clone()).unwrap_or_default();
    let (mv, me) = match &failed {
        Some((MemberForm::Member, values, errors)) => (*values, errors),
        _ => (&stored, &none),
    };
    let (iv, ie) = match &failed {
        Some((MemberForm::Interest, values, errors)) => (*values, errors),
        _ => (&empty, &none),
    };
    let kinds: Vec<(String, String, String)> = [InterestKind::Pecuniary, InterestKind::Other]
        .iter()
        .map(|k| (k.as_str().to_string(), k.label().to_string(), String::new()))
        .collect();
    let interest_fields = vec![
        FieldView::date("declared_on", "Date declared", "For example, 1 6 2013", iv, ie),
        FieldView::textarea("interest", "Interest", "What the interest is", iv, ie),
        FieldView::radios("interest_kind", "Kind of interest", "", &kinds, iv, ie),
    ];
    Ok(MemberPage {
        layout: user.layout(member.name.clone()).with_errors(!errors.is_empty()),
        crumbs: vec![
            Crumb::new("Staff", "/staff"),
            Crumb::new("Boards and members", "/staff/boards"),
            Crumb::new(board.name.clone(), format!("/staff/boards/{}", board.id)),
        ],
        notice,
        name: member.name.clone(),
        id: member.id.to_string(),
        illustrative: member.illustrative,
        interests: member
            .interests
            .iter()
            .map(|i| InterestRow {
                declared_on: long_date(i.declared_on),
                interest: i.interest.clone(),
                kind: i.kind.label(),
            })
            .collect(),
        fields: member_fields(mv, me, &others),
        interest_fields,
        errors,
        editable: crate::permissions::may(Some(&user.user), crate::permissions::Access::Panel),
    })
}

async fn load_member(state: &AppState, raw: &str) -> Result<Member, PageError> {
    let id: MemberId = raw.parse().map_err(|_| PageError::NotFound)?;
    state.store.member(id).await?.ok_or(PageError::NotFound)
}

/// `GET /staff/members/{member}`.
pub async fn member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Query(done): Query<DoneQuery>,
) -> Result<Response, PageError> {
    let member = load_member(&state, &id).await?;
    let notice = match done.done.as_deref() {
        Some("saved") => Some(String::from("Member saved")),
        Some("interest") => Some(String::from("Interest recorded")),
        _ => None,
    };
    render(&member_page(&state, &user, member, None, notice).await?)
}

/// `POST /staff/members/{member}`: changes the member; the register stays.
pub async fn save_member(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load_member(&state, &id).await?;
    let values = FormValues::new(pairs);
    let errors = match read_member(&values, before.id, before.board_id, before.interests.clone()) {
        Ok(member) => {
            let member = Member { illustrative: before.illustrative, ..member };
            match state.store.update_member(&user.actor(), &member).await {
                Ok(()) => return Ok(see_other(&format!("/staff/members/{}?done=saved", member.id))),
                Err(error) => {
                    let mut errors = FieldErrors::default();
                    place_refusal(&mut errors, refusal(error)?, &MEMBER_FIELDS, BOARD_DATES, "name");
                    errors
                }
            }
        }
        Err(errors) => errors,
    };
    let page = member_page(&state, &user, before, Some((MemberForm::Member, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}

/// `POST /staff/members/{member}/interests`: adds an entry to the register.
pub async fn declare(
    State(state): State<AppState>,
    user: CurrentUser,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    require_editor(&user)?;
    let before = load_member(&state, &id).await?;
    let values = FormValues::new(pairs);
    let mut reader = FormReader::new(&values);
    let declared_on = reader.date("declared_on", "Date declared", true);
    let interest = reader.text("interest", "Interest", true);
    let kind = reader.choice("interest_kind", "kind of interest", InterestKind::parse);
    let mut errors = reader.errors;
    if let (Some(declared_on), Some(kind), true) = (declared_on, kind, errors.is_empty()) {
        let mut member = before.clone();
        member.interests.push(Interest { declared_on, interest, kind });
        match state.store.update_member(&user.actor(), &member).await {
            Ok(()) => return Ok(see_other(&format!("/staff/members/{}?done=interest", member.id))),
            Err(error) => place_refusal(&mut errors, refusal(error)?, &[], BOARD_DATES, "interest"),
        }
    }
    let page = member_page(&state, &user, before, Some((MemberForm::Interest, &values, errors)), None).await?;
    render_with_status(StatusCode::UNPROCESSABLE_ENTITY, &page)
}
