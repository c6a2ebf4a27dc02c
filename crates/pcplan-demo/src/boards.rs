//! The demo's boards, members, the Panel meeting of 3 February 2014 as it was held,
//! and its agenda paper.
//!
//! From the seeds: the West Midlands Police and Crime Panel has 12 councillors from the
//! 7 local authorities and 2 independent co-opted members (DOMAIN.md); seed 004 names the
//! members present on 3 February 2014 (Councillors Alden, Bains, Hosell, Jamieson,
//! Meeson, Phillips, Rowley, Smith and Tyler, and Nick Drew and Lionel Walker), that
//! Councillor Jess Phillips was Vice-Chair, that the meeting considered the proposed
//! variations to the plan, and that its papers came late (29 January, 2 clear working
//! days where 5 were due). Everything else here is illustrative and flagged so: which
//! council each councillor sat for, the three councillors who sent apologies and the
//! Chair among them, terms, the place, the rest of the agenda and the paper's text.
//! Values only, with fixed identities; loading them is the binary's job.

use chrono::{DateTime, NaiveDate, Utc};
use pcplan_domain::board::{Board, BoardKind, Member, MemberRole, Membership};
use pcplan_domain::meeting::{AgendaItem, Attendance, Attended, Meeting, MeetingStatus};
use pcplan_domain::{BoardId, MemberId, PaperId};

use crate::ids;

const PREFIX: u128 = 0x5eed_0000_0000_4000_8000_0000_0000_0000;

/// The Panel: the identity `Board::panel_id` gives the demo body, so meetings stored
/// before boards existed belong to it.
pub const PANEL: BoardId = BoardId::from_u128(0xb0a4_d000_0000_4000_8000_0000_0000_0001);
/// The Commissioner's Strategic Policing and Crime Board.
pub const STRATEGIC_BOARD: BoardId = BoardId::from_u128(PREFIX | 0xd01);
/// The agenda of 3 February 2014, published on 29 January 2014.
pub const AGENDA_PAPER_2014: PaperId = PaperId::from_u128(PREFIX | 0xf01);

const fn member_id(n: u128) -> MemberId {
    MemberId::from_u128(PREFIX | 0xe00 | n)
}

/// The two boards.
pub fn boards() -> Vec<Board> {
    vec![
        Board {
            id: PANEL,
            body_id: ids::BODY,
            kind: BoardKind::PoliceAndCrimePanel,
            name: String::from("West Midlands Police and Crime Panel"),
            illustrative: false,
        },
        Board {
            id: STRATEGIC_BOARD,
            body_id: ids::BODY,
            kind: BoardKind::StrategicBoard,
            name: String::from("Strategic Policing and Crime Board"),
            illustrative: false,
        },
    ]
}

/// (number, name, council, role, present on 3 February 2014). The names of those
/// present come from seed 004; the three absent councillors are illustrative.
const PANEL_MEMBERS: [(u128, &str, Option<&str>, MemberRole, bool); 14] = [
    (1, "Councillor Alden", Some("Birmingham City Council"), MemberRole::Member, true),
    (2, "Councillor Bains", Some("Sandwell Metropolitan Borough Council"), MemberRole::Member, true),
    (3, "Councillor Hosell", Some("Wolverhampton City Council"), MemberRole::Member, true),
    (4, "Councillor Jamieson", Some("Birmingham City Council"), MemberRole::Member, true),
    (5, "Councillor Meeson", Some("Solihull Metropolitan Borough Council"), MemberRole::Member, true),
    (6, "Councillor Jess Phillips", Some("Birmingham City Council"), MemberRole::ViceChair, true),
    (7, "Councillor Rowley", Some("Walsall Metropolitan Borough Council"), MemberRole::Member, true),
    (8, "Councillor Smith", Some("Coventry City Council"), MemberRole::Member, true),
    (9, "Councillor Tyler", Some("Dudley Metropolitan Borough Council"), MemberRole::Member, true),
    (10, "Councillor Ellis (illustrative)", Some("Birmingham City Council"), MemberRole::Chair, false),
    (11, "Councillor Khan (illustrative)", Some("Coventry City Council"), MemberRole::Member, false),
    (12, "Councillor Moore (illustrative)", Some("Wolverhampton City Council"), MemberRole::Member, false),
    (13, "Nick Drew", None, MemberRole::Member, true),
    (14, "Lionel Walker", None, MemberRole::Member, true),
];

/// The Panel's fourteen members. Every record is flagged illustrative, because the
/// councils and terms are, even where the name comes from seed 004.
pub fn panel_members() -> Vec<Member> {
    PANEL_MEMBERS
        .iter()
        .map(|&(n, name, council, role, _)| Member {
            id: member_id(n),
            board_id: PANEL,
            name: name.to_string(),
            role,
            membership: match council {
                Some(council) => Membership::Councillor { council: council.to_string() },
                None => Membership::Independent,
            },
            term_from: ymd!(2012, 11, 22),
            term_to: Some(ymd!(2016, 5, 11)),
            substitute_for: None,
            interests: Vec::new(),
            illustrative: true,
        })
        .collect()
}

/// The meeting of 3 February 2014 as held: place, agenda, attendance. Applied to the
/// stored meeting (which keeps its date and deadline) by the binary.
pub fn meeting_held_2014(scheduled: &Meeting) -> Meeting {
    let item = |number: &str, title: &str| AgendaItem {
        number: number.to_string(),
        title: title.to_string(),
        exempt: None,
        late_reason: None,
    };
    Meeting {
        place: String::from("Council House, Victoria Square, Birmingham B1 1BB (illustrative)"),
        status: MeetingStatus::Held,
        agenda: vec![
            item("1", "Apologies for absence and declarations of interest"),
            item("2", "Minutes of the previous meeting"),
            item("3", "Police and Crime Plan: proposed variations 2014"),
            item("4", "Work programme"),
        ],
        attendance: PANEL_MEMBERS
            .iter()
            .map(|&(n, _, _, _, present)| Attendance {
                member_id: member_id(n),
                attended: if present { Attended::Present } else { Attended::Apologies },
            })
            .collect(),
        ..scheduled.clone()
    }
}

/// The date the agenda was published (seed 004: the papers came late).
pub const AGENDA_PUBLISHED_ON: NaiveDate = ymd!(2014, 1, 29);

/// The instant recorded for its publication: noon on 29 January 2014.
pub fn agenda_published_at() -> DateTime<Utc> {
    AGENDA_PUBLISHED_ON.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc()
}

/// The agenda as a small HTML paper (its wording illustrative).
pub const AGENDA_HTML: &str = "<!DOCTYPE html>\n<html lang=\"en\">\n<head><meta charset=\"utf-8\">\
<title>West Midlands Police and Crime Panel: agenda, 3 February 2014</title></head>\n<body>\n\
<h1>West Midlands Police and Crime Panel</h1>\n<p>Monday 3 February 2014, Council House, Birmingham \
(illustrative)</p>\n<ol>\n<li>Apologies for absence and declarations of interest</li>\n\
<li>Minutes of the previous meeting</li>\n<li>Police and Crime Plan: proposed variations 2014</li>\n\
<li>Work programme</li>\n</ol>\n<p>This demo paper is illustrative; it is not the Panel's text.</p>\n\
</body>\n</html>\n";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_panel_is_the_board_the_body_gets_by_default() {
        assert_eq!(PANEL, Board::panel_id(ids::BODY));
    }

    #[test]
    fn twelve_councillors_from_seven_councils_and_two_independents_eleven_present() {
        let members = panel_members();
        let councils: std::collections::BTreeSet<String> = members
            .iter()
            .filter_map(|m| match &m.membership {
                Membership::Councillor { council } => Some(council.clone()),
                Membership::Independent => None,
            })
            .collect();
        assert_eq!(members.iter().filter(|m| matches!(m.membership, Membership::Councillor { .. })).count(), 12);
        assert_eq!(councils.len(), 7);
        assert_eq!(PANEL_MEMBERS.iter().filter(|m| m.4).count(), 11);
        assert!(members.iter().all(|m| m.check().is_ok()));
    }
}
