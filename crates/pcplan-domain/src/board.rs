//! Boards that meet, and their members: the Police and Crime Panel, the Commissioner's
//! Strategic Policing and Crime Board, an audit and risk panel (a joint audit committee)
//! and the local policing and crime boards of each local authority area.
//!
//! A member has a role (chair, vice-chair, member), sits as a councillor for a named
//! council or as an independent co-opted member, for a term, may substitute for another
//! member, and keeps a register of interests. This module holds the records and their
//! checks; who may change them is the web layer's business, and storing them the
//! store's. It does not decide who attended a meeting: `meeting` records that.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::clock::{FieldProblem, FieldProblems};
use crate::ids::{BoardId, BodyId, MemberId};

/// What kind of board it is. A local board names its local authority area by code.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum BoardKind {
    /// The Police and Crime Panel (PRSRA 2011 s.28): reviews the plan and scrutinises.
    PoliceAndCrimePanel,
    /// The Commissioner's Strategic Policing and Crime Board: monitors delivery.
    StrategicBoard,
    /// The audit and risk panel (joint audit committee) of the Commissioner and force.
    AuditCommittee,
    /// A local policing and crime board for one local authority area.
    LocalBoard { area_code: String },
}

impl BoardKind {
    /// The value forms and the API use.
    pub fn as_str(&self) -> &'static str {
        match self {
            BoardKind::PoliceAndCrimePanel => "police_and_crime_panel",
            BoardKind::StrategicBoard => "strategic_board",
            BoardKind::AuditCommittee => "audit_committee",
            BoardKind::LocalBoard { .. } => "local_board",
        }
    }

    /// The kind's name for people.
    pub fn label(&self) -> &'static str {
        match self {
            BoardKind::PoliceAndCrimePanel => "Police and Crime Panel",
            BoardKind::StrategicBoard => "Strategic Policing and Crime Board",
            BoardKind::AuditCommittee => "Audit and risk panel (joint audit committee)",
            BoardKind::LocalBoard { .. } => "Local policing and crime board",
        }
    }

    /// Parses [`BoardKind::as_str`]; a local board takes its area code.
    pub fn parse(name: &str, area_code: &str) -> Option<BoardKind> {
        match name {
            "police_and_crime_panel" => Some(BoardKind::PoliceAndCrimePanel),
            "strategic_board" => Some(BoardKind::StrategicBoard),
            "audit_committee" => Some(BoardKind::AuditCommittee),
            "local_board" => Some(BoardKind::LocalBoard { area_code: area_code.trim().to_string() }),
            _ => None,
        }
    }

    /// Every kind's value and label, in the order forms list them.
    pub const CHOICES: [(&'static str, &'static str); 4] = [
        ("police_and_crime_panel", "Police and Crime Panel"),
        ("strategic_board", "Strategic Policing and Crime Board"),
        ("audit_committee", "Audit and risk panel (joint audit committee)"),
        ("local_board", "Local policing and crime board"),
    ];
}

/// A board of a policing body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Board {
    pub id: BoardId,
    pub body_id: BodyId,
    pub kind: BoardKind,
    /// `West Midlands Police and Crime Panel`.
    pub name: String,
    /// Content a seed does not give (demo data), shown as such.
    #[serde(default)]
    pub illustrative: bool,
}

/// The first eight hex digits of the identity of a body's default Panel; the rest is
/// the body's own identity. Migration 0007 derives the same identity in SQL
/// (`'b0a4d000' || substr(body_id, 9)`) for meetings stored before boards existed.
const PANEL_PREFIX: u128 = 0xb0a4_d000;

impl Board {
    /// The identity of a body's Police and Crime Panel when it was made for the body
    /// rather than entered by staff: fixed by the body, so that meetings scheduled before
    /// boards existed, the migration and the store all name the same board.
    pub fn panel_id(body: BodyId) -> BoardId {
        let rest = body.as_uuid().as_u128() & ((1u128 << 96) - 1);
        BoardId::from(Uuid::from_u128((PANEL_PREFIX << 96) | rest))
    }

    /// The Panel a body gets when a meeting is scheduled for it with no board named.
    pub fn default_panel(body: BodyId) -> Board {
        Board {
            id: Board::panel_id(body),
            body_id: body,
            kind: BoardKind::PoliceAndCrimePanel,
            name: String::from("Police and Crime Panel"),
            illustrative: false,
        }
    }

    /// Checks the name and a local board's area (which must be one of the body's
    /// areas, given as codes).
    pub fn check(&self, area_codes: &[&str]) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push(FieldProblem::new("name", "is empty; name the board, like `Police and Crime Panel`"));
        }
        if let BoardKind::LocalBoard { area_code } = &self.kind
            && !area_codes.contains(&area_code.as_str())
        {
            let problem = if area_code.is_empty() {
                String::from("is empty; a local board names one of the body's areas")
            } else {
                format!("`{area_code}` is not one of the body's areas ({})", area_codes.join(", "))
            };
            problems.push(FieldProblem::new("area_code", problem));
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

/// A member's role on the board.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MemberRole {
    Chair,
    ViceChair,
    Member,
}

impl MemberRole {
    pub fn as_str(&self) -> &'static str {
        match self {
            MemberRole::Chair => "chair",
            MemberRole::ViceChair => "vice_chair",
            MemberRole::Member => "member",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            MemberRole::Chair => "Chair",
            MemberRole::ViceChair => "Vice-Chair",
            MemberRole::Member => "Member",
        }
    }

    pub fn parse(name: &str) -> Option<MemberRole> {
        [MemberRole::Chair, MemberRole::ViceChair, MemberRole::Member].into_iter().find(|r| r.as_str() == name)
    }
}

/// Why someone sits on the board: a councillor of a named council, or an independent
/// co-opted member (a Panel has at least two: PRSRA 2011 Sch 6 para 4).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Membership {
    Councillor { council: String },
    Independent,
}

/// What kind of interest a member declared.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum InterestKind {
    /// A disclosable pecuniary interest (Localism Act 2011 s.30).
    Pecuniary,
    /// Any other registrable interest: a membership, a gift, an appointment.
    Other,
}

impl InterestKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            InterestKind::Pecuniary => "pecuniary",
            InterestKind::Other => "other",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            InterestKind::Pecuniary => "Disclosable pecuniary interest",
            InterestKind::Other => "Other registrable interest",
        }
    }

    pub fn parse(name: &str) -> Option<InterestKind> {
        [InterestKind::Pecuniary, InterestKind::Other].into_iter().find(|k| k.as_str() == name)
    }
}

/// One entry of a member's register of interests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interest {
    pub declared_on: NaiveDate,
    pub interest: String,
    pub kind: InterestKind,
}

/// A member of a board.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Member {
    pub id: MemberId,
    pub board_id: BoardId,
    /// `Councillor Jess Phillips`, `Nick Drew`.
    pub name: String,
    pub role: MemberRole,
    pub membership: Membership,
    pub term_from: NaiveDate,
    /// The end of the term, when known.
    #[serde(default)]
    pub term_to: Option<NaiveDate>,
    /// The member this one substitutes for, for a named substitute.
    #[serde(default)]
    pub substitute_for: Option<MemberId>,
    /// The register of interests, oldest first.
    #[serde(default)]
    pub interests: Vec<Interest>,
    #[serde(default)]
    pub illustrative: bool,
}

impl Member {
    /// `Councillor, Birmingham City Council` or `Independent co-opted member`.
    pub fn membership_label(&self) -> String {
        match &self.membership {
            Membership::Councillor { council } => format!("Councillor, {council}"),
            Membership::Independent => String::from("Independent co-opted member"),
        }
    }

    /// Whether the member's term covers `day`.
    pub fn serves_on(&self, day: NaiveDate) -> bool {
        self.term_from <= day && self.term_to.is_none_or(|to| day <= to)
    }

    /// Checks the member's own fields: a name, a council for a councillor, a term that
    /// does not end before it starts, no substituting for oneself, and interests with
    /// text.
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        if self.name.trim().is_empty() {
            problems.push(FieldProblem::new("name", "is empty; give the member's name"));
        }
        if let Membership::Councillor { council } = &self.membership
            && council.trim().is_empty()
        {
            problems.push(FieldProblem::new("council", "is empty; name the councillor's council"));
        }
        if let Some(to) = self.term_to
            && to < self.term_from
        {
            problems.push(FieldProblem::new(
                "term_to",
                format!("{to} is before the start of the term ({})", self.term_from),
            ));
        }
        if self.substitute_for == Some(self.id) {
            problems.push(FieldProblem::new("substitute_for", "a member cannot substitute for themselves"));
        }
        for (n, interest) in self.interests.iter().enumerate() {
            if interest.interest.trim().is_empty() {
                problems.push(FieldProblem::new(format!("interests[{n}].interest"), "is empty; describe the interest"));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    #[test]
    fn the_default_panel_id_keeps_the_body_id_after_its_first_eight_digits() {
        let body: BodyId = "5eed0000-0000-4000-8000-000000000001".parse().expect("uuid");
        assert_eq!(Board::panel_id(body).to_string(), "b0a4d000-0000-4000-8000-000000000001");
    }

    #[test]
    fn a_local_board_must_name_one_of_the_bodys_areas() {
        let board = Board {
            id: BoardId::from_u128(1),
            body_id: BodyId::from_u128(2),
            kind: BoardKind::LocalBoard { area_code: String::from("E99") },
            name: String::from("Wolverhampton Local Policing and Crime Board"),
            illustrative: false,
        };
        let problems = board.check(&["E08000031"]).expect_err("refused");
        assert_eq!(problems.0[0].field, "area_code");
        let fine = Board { kind: BoardKind::LocalBoard { area_code: String::from("E08000031") }, ..board };
        assert!(fine.check(&["E08000031"]).is_ok());
    }

    #[test]
    fn a_term_that_ends_before_it_starts_and_a_self_substitute_are_refused() {
        let id = MemberId::from_u128(7);
        let member = Member {
            id,
            board_id: BoardId::from_u128(1),
            name: String::from("Councillor Smith"),
            role: MemberRole::Member,
            membership: Membership::Councillor { council: String::new() },
            term_from: date(2014, 5, 1),
            term_to: Some(date(2013, 5, 1)),
            substitute_for: Some(id),
            interests: vec![],
            illustrative: false,
        };
        let fields: Vec<String> = member.check().expect_err("refused").0.into_iter().map(|p| p.field).collect();
        assert_eq!(fields, ["council", "term_to", "substitute_for"]);
        assert!(!member.serves_on(date(2015, 1, 1)));
    }
}
