//! Boards, members, meeting records and papers on every configured backend: each change
//! is checked and audited, a meeting without a board belongs to its body's Panel, and
//! papers keep their bytes and hash, are counted against the deadline fixed at
//! scheduling (with bank holidays), and cannot be deleted once published.

mod common;

use chrono::NaiveDate;
use pcplan_domain::board::{Board, BoardKind, Interest, InterestKind, Member, MemberRole, Membership};
use pcplan_domain::meeting::{AgendaItem, Attendance, Attended, Exemption, MeetingStatus, Minutes};
use pcplan_domain::paper::{self, PaperTiming};
use pcplan_domain::{BoardId, MeetingId, MemberId, PaperId};
use pcplan_store::{Actor, MEETING_CHANGED, NewPaper, RecordChange, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn clerk() -> Actor {
    Actor::system("boards test")
}

fn html(text: &str) -> Vec<u8> {
    format!("<!DOCTYPE html><html><body>{text}</body></html>").into_bytes()
}

fn new_paper<'a>(meeting: MeetingId, title: &'a str, item: Option<&'a str>, bytes: &'a [u8]) -> NewPaper<'a> {
    NewPaper {
        id: PaperId::new(),
        meeting_id: meeting,
        title,
        agenda_item: item,
        file_name: "paper.html",
        bytes,
        max_bytes: paper::DEFAULT_MAX_BYTES,
    }
}

fn member(board: BoardId, name: &str) -> Member {
    Member {
        id: MemberId::new(),
        board_id: board,
        name: name.to_string(),
        role: MemberRole::Member,
        membership: Membership::Councillor { council: String::from("Coventry City Council") },
        term_from: date(2012, 11, 22),
        term_to: None,
        substitute_for: None,
        interests: Vec::new(),
        illustrative: false,
    }
}

#[tokio::test]
async fn boards_and_members_are_checked_stored_and_audited() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let board = Board {
            id: BoardId::new(),
            body_id: pcplan_demo::ids::BODY,
            kind: BoardKind::LocalBoard { area_code: String::from("E08000031") },
            name: String::from("Wolverhampton Local Policing and Crime Board"),
            illustrative: false,
        };
        store.create_board(&clerk(), &board).await.expect("board");
        let elsewhere = Board {
            id: BoardId::new(),
            kind: BoardKind::LocalBoard { area_code: String::from("E09") },
            ..board.clone()
        };
        let refused = store.create_board(&clerk(), &elsewhere).await.expect_err("not an area");
        assert!(matches!(&refused, StoreError::Fields(p) if p.0[0].field == "area_code"), "{name}: {refused:?}");

        let chair = Member { role: MemberRole::Chair, ..member(board.id, "Councillor Hosell") };
        store.add_member(&clerk(), &chair).await.expect("chair");
        let substitute = Member { substitute_for: Some(chair.id), ..member(board.id, "Councillor Page") };
        store.add_member(&clerk(), &substitute).await.expect("substitute");
        let stranger = Member { substitute_for: Some(MemberId::new()), ..member(board.id, "Someone") };
        assert!(store.add_member(&clerk(), &stranger).await.is_err(), "{name}: substitute for a non-member");

        let mut declared = chair.clone();
        declared.interests.push(Interest {
            declared_on: date(2013, 6, 1),
            interest: String::from("Trustee of a victims' charity"),
            kind: InterestKind::Other,
        });
        store.update_member(&clerk(), &declared).await.expect("interest");
        let members = store.members(board.id).await.expect("members");
        assert_eq!(members, vec![declared.clone(), substitute.clone()], "{name}: chair first");
        let log = store.audit_log(10, 0).await.expect("log");
        assert_eq!(log[0].entity, "member");
        assert_eq!(log[0].after.as_ref().map(|a| a["interests"][0]["kind"].clone()), Some("other".into()));
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_meeting_scheduled_without_a_board_belongs_to_the_bodys_panel() {
    for db in common::databases().await {
        let store = &db.store;
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let meeting = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 3, 3))
            .await
            .expect("scheduled");
        let panel = Board::panel_id(pcplan_demo::ids::BODY);
        assert_eq!(meeting.board_id, Some(panel), "{}", db.name);
        let boards = store.boards(Some(pcplan_demo::ids::BODY)).await.expect("boards");
        assert_eq!(boards.len(), 1);
        assert_eq!(boards[0].kind, BoardKind::PoliceAndCrimePanel);
        // A second meeting finds the same Panel.
        let second = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 4, 7))
            .await
            .expect("scheduled");
        assert_eq!(second.board_id, Some(panel));
        assert_eq!(store.board_meetings(panel).await.expect("list").len(), 2, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_meeting_record_keeps_its_deadline_and_checks_agenda_attendance_and_minutes() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let first = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("first");
        let later = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 3, 3))
            .await
            .expect("later");
        let board = first.board_id.expect("a board");
        let present = member(board, "Councillor Alden");
        store.add_member(&clerk(), &present).await.expect("member");

        let mut record = first.clone();
        record.place = String::from("Council House");
        record.status = MeetingStatus::Held;
        record.held_on = date(2020, 1, 1); // ignored: the date stays as scheduled
        record.agenda = vec![AgendaItem {
            number: String::from("7"),
            title: String::from("Complaint against a named officer"),
            exempt: Some(Exemption { paragraph: 1, reason: String::from("Information about an individual") }),
            late_reason: None,
        }];
        record.attendance = vec![Attendance { member_id: present.id, attended: Attended::Present }];
        record.minutes = Some(Minutes { text: String::from("Minutes"), approved_at: Some(later.id) });
        let stored = store.update_meeting(&clerk(), &record).await.expect("record");
        assert_eq!((stored.held_on, stored.papers_due_on), (first.held_on, first.papers_due_on), "{name}");
        assert_eq!(store.meeting(first.id).await.expect("read").expect("exists"), stored);

        let mut bad = stored.clone();
        bad.agenda[0].exempt = Some(Exemption { paragraph: 8, reason: String::new() });
        bad.attendance.push(Attendance { member_id: MemberId::new(), attended: Attended::Apologies });
        bad.minutes = Some(Minutes { text: String::from("Minutes"), approved_at: Some(first.id) });
        let StoreError::Fields(problems) = store.update_meeting(&clerk(), &bad).await.expect_err("refused") else {
            panic!("{name}: field problems expected")
        };
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(
            fields,
            ["agenda[0].paragraph", "agenda[0].exempt_reason", "attendance[1].member", "approved_at"],
            "{name}"
        );
        db.finish().await;
    }
}

#[tokio::test]
async fn papers_keep_their_bytes_and_hash_and_are_counted_against_the_fixed_deadline() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        // The Panel meeting of Monday 3 February 2014 (seed 004): 5 clear working days
        // were due, so the papers were due by Friday 24 January.
        let meeting = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("scheduled");
        let mut with_items = meeting.clone();
        with_items.agenda = vec![
            AgendaItem {
                number: String::from("3"),
                title: String::from("Plan variation"),
                exempt: None,
                late_reason: None,
            },
            AgendaItem {
                number: String::from("9"),
                title: String::from("Urgent item"),
                exempt: None,
                late_reason: Some(String::from("The force's figures arrived on 30 January")),
            },
        ];
        let meeting = store.update_meeting(&clerk(), &with_items).await.expect("agenda");

        let bytes = html("Agenda");
        let draft =
            store.upload_paper(&clerk(), &new_paper(meeting.id, "Agenda", Some("3"), &bytes)).await.expect("upload");
        assert_eq!(draft.sha256, paper::sha256_hex(&bytes));
        assert_eq!(draft.size_bytes, bytes.len() as u64);
        let calendar = store.calendar().await.expect("calendar");
        assert_eq!(paper::timing(&draft, &meeting, &calendar).expect("timing"), PaperTiming::Draft);

        let at = date(2014, 1, 29).and_hms_opt(12, 0, 0).expect("time").and_utc();
        let published = store.publish_paper(&clerk(), draft.id, at, date(2014, 1, 29)).await.expect("publish");
        let meeting = store.meeting(meeting.id).await.expect("read").expect("exists");
        assert_eq!(meeting.papers_published_on, Some(date(2014, 1, 29)), "{name}: the meeting's papers date is set");
        assert_eq!(
            paper::timing(&published, &meeting, &calendar).expect("timing"),
            PaperTiming::Late { clear_days: 2, required: 5 },
            "{name}: 30 and 31 January are the only clear working days"
        );
        let urgent_bytes = html("Urgent");
        let urgent = store
            .upload_paper(&clerk(), &new_paper(meeting.id, "Urgent figures", Some("9"), &urgent_bytes))
            .await
            .expect("upload");
        let urgent = store.publish_paper(&clerk(), urgent.id, at, date(2014, 1, 31)).await.expect("publish");
        assert!(matches!(paper::timing(&urgent, &meeting, &calendar), Ok(PaperTiming::LateUrgent { .. })));

        let (read, content) = store.paper_content(published.id).await.expect("read").expect("exists");
        assert_eq!((read, content), (published.clone(), bytes.clone()), "{name}");
        let again = store.publish_paper(&clerk(), published.id, at, date(2014, 1, 30)).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{name}: published once");

        // The audit log has the record and the hash, never the bytes.
        let log = store.audit_log(20, 0).await.expect("log");
        let upload = log.iter().find(|e| e.action == "upload").expect("audited");
        let after = upload.after.as_ref().expect("after").to_string();
        assert!(after.contains(&paper::sha256_hex(&urgent_bytes)) && !after.contains("Urgent</body>"), "{after}");

        // Kept: no delete of a published paper, no change of bytes, even in raw SQL.
        let id = published.id;
        assert!(store.execute_raw(&format!("DELETE FROM papers WHERE id = '{id}'")).await.is_err(), "{name}");
        let rewrite = format!("UPDATE papers SET sha256 = 'x' WHERE id = '{id}'");
        assert!(store.execute_raw(&rewrite).await.is_err(), "{name}");
        let withdrawn = store.withdraw_paper(&clerk(), id, "Replaced by a corrected agenda").await.expect("withdraw");
        assert!(!withdrawn.is_public());
        assert_eq!(store.paper_content(id).await.expect("read").expect("kept").1, bytes, "{name}: bytes kept");
        assert_eq!(store.published_papers(10).await.expect("feed").len(), 2);
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn an_upload_of_the_wrong_type_or_size_or_for_a_missing_item_is_refused_and_nothing_is_stored() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let meeting = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("scheduled");
        let entries = store.verify_audit().await.expect("verify").entries;
        let png = b"\x89PNG\r\n\x1a\n....".to_vec();
        let refused = store
            .upload_paper(&clerk(), &NewPaper { file_name: "chart.pdf", ..new_paper(meeting.id, "Chart", None, &png) })
            .await;
        let Err(StoreError::Fields(problems)) = refused else { panic!("{name}: refused expected") };
        assert_eq!(problems.0[0].field, "file");
        assert!(problems.0[0].problem.contains("chart.pdf is not a PDF"), "{}", problems.0[0].problem);

        let big = html(&"x".repeat(200));
        let refused = store
            .upload_paper(&clerk(), &NewPaper { max_bytes: 100, ..new_paper(meeting.id, "Big", None, &big) })
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].problem.contains("at most 100 bytes")),
            "{refused:?}"
        );

        let fine = html("ok");
        let refused = store.upload_paper(&clerk(), &new_paper(meeting.id, "Item paper", Some("12"), &fine)).await;
        assert!(matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].field == "agenda_item"), "{refused:?}");
        assert!(store.papers(meeting.id).await.expect("papers").is_empty(), "{name}");
        assert_eq!(store.verify_audit().await.expect("verify").entries, entries, "{name}: nothing audited");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_change_based_on_an_older_revision_is_refused_and_items_with_papers_keep_them() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let scheduled = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("scheduled");
        assert_eq!(scheduled.revision, 0, "{name}");
        let item = |number: &str, title: &str| AgendaItem {
            number: number.to_string(),
            title: title.to_string(),
            exempt: None,
            late_reason: None,
        };
        // Two editors open the page at revision 0; the first saves the agenda.
        let mut first = scheduled.clone();
        first.agenda = vec![item("3", "Plan variation"), item("4", "Work programme")];
        let based_on = |r: u64| RecordChange { based_on: Some(r), renumbered: None };
        let stored = store.update_meeting_record(&clerk(), &first, based_on(0)).await.expect("first");
        assert_eq!(stored.revision, 1, "{name}");
        // The second, still based on revision 0, would lose the agenda: refused.
        let mut second = scheduled.clone();
        second.place = String::from("Council House");
        let entries = store.verify_audit().await.expect("verify").entries;
        let stale = store.update_meeting_record(&clerk(), &second, based_on(0)).await;
        assert!(matches!(&stale, Err(StoreError::Conflict(m)) if m == MEETING_CHANGED), "{name}: {stale:?}");
        assert_eq!(store.verify_audit().await.expect("verify").entries, entries, "{name}: nothing audited");
        let read = store.meeting(scheduled.id).await.expect("read").expect("exists");
        assert_eq!((read.revision, read.agenda.len(), read.place.as_str()), (1, 2, ""), "{name}");
        // Based on the current revision it is kept, and no check at all still works.
        let mut second = read.clone();
        second.place = String::from("Council House");
        assert_eq!(store.update_meeting_record(&clerk(), &second, based_on(1)).await.expect("current").revision, 2);
        assert_eq!(store.update_meeting(&clerk(), &second).await.expect("unchecked").revision, 3, "{name}");

        // Item 3 has a paper: removing it is refused, naming the paper.
        let bytes = html("Report");
        let paper = store
            .upload_paper(&clerk(), &new_paper(scheduled.id, "Report of the Commissioner", Some("3"), &bytes))
            .await
            .expect("upload");
        let mut removed = store.meeting(scheduled.id).await.expect("read").expect("exists");
        removed.agenda.retain(|i| i.number != "3");
        let StoreError::Fields(problems) =
            store.update_meeting_record(&clerk(), &removed, based_on(3)).await.expect_err("refused")
        else {
            panic!("{name}: field problems expected");
        };
        assert!(problems.to_string().contains("item 3 has papers (Report of the Commissioner)"), "{name}: {problems}");
        // Renumbering it takes the paper along; a duplicate number is refused.
        let mut renumbered = store.meeting(scheduled.id).await.expect("read").expect("exists");
        renumbered.agenda[0].number = String::from("4");
        let renumber = RecordChange { based_on: Some(3), renumbered: Some(("3", "4")) };
        let StoreError::Fields(problems) =
            store.update_meeting_record(&clerk(), &renumbered, renumber.clone()).await.expect_err("duplicate")
        else {
            panic!("{name}: field problems expected");
        };
        assert!(problems.to_string().contains("item 4 is already on the agenda"), "{name}: {problems}");
        renumbered.agenda[0].number = String::from("3a");
        let renumber = RecordChange { based_on: Some(3), renumbered: Some(("3", "3a")) };
        let stored = store.update_meeting_record(&clerk(), &renumbered, renumber).await.expect("renumbered");
        assert_eq!(stored.revision, 4, "{name}");
        let moved = store.paper(paper.id).await.expect("read").expect("exists");
        assert_eq!(moved.agenda_item.as_deref(), Some("3a"), "{name}: the paper keeps its item");
        // An item without papers goes.
        let mut without = stored.clone();
        without.agenda.retain(|i| i.number != "4");
        let stored = store.update_meeting_record(&clerk(), &without, based_on(4)).await.expect("removed");
        assert_eq!(stored.agenda.iter().map(|i| i.number.as_str()).collect::<Vec<_>>(), ["3a"], "{name}");
        assert!(store.verify_audit().await.expect("verify").first_broken.is_none(), "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn swapping_an_exempt_item_with_a_public_one_in_one_change_is_refused() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        store.create_body(&clerk(), &pcplan_demo::body()).await.expect("body");
        let mut meeting = store
            .schedule_meeting(&clerk(), MeetingId::new(), pcplan_demo::ids::BODY, "Panel", date(2014, 2, 3))
            .await
            .expect("scheduled");
        let exempt = Some(Exemption { paragraph: 3, reason: String::from("the financial affairs of a supplier") });
        meeting.agenda = vec![
            AgendaItem {
                number: String::from("3"),
                title: String::from("Estates contract"),
                exempt,
                late_reason: None,
            },
            AgendaItem {
                number: String::from("4"),
                title: String::from("Work programme"),
                exempt: None,
                late_reason: None,
            },
        ];
        let meeting = store.update_meeting(&clerk(), &meeting).await.expect("agenda");
        let bytes = html("Confidential tender prices");
        store
            .upload_paper(&clerk(), &new_paper(meeting.id, "Tender evaluation", Some("3"), &bytes))
            .await
            .expect("upload");
        // One full-agenda change that swaps the two items' numbers would leave the
        // exempt paper under a public item 3: refused, naming the paper.
        let mut swapped = meeting.clone();
        swapped.agenda[0].number = String::from("4");
        swapped.agenda[1].number = String::from("3");
        swapped.agenda.reverse();
        let refused = store.update_meeting(&clerk(), &swapped).await;
        let Err(StoreError::Fields(problems)) = refused else { panic!("{name}: refused expected, got {refused:?}") };
        assert!(problems.to_string().contains("item 3 has exempt papers (Tender evaluation)"), "{name}: {problems}");
        let read = store.meeting(meeting.id).await.expect("read").expect("exists");
        assert_eq!(read.agenda_item("3").map(|i| i.title.as_str()), Some("Estates contract"), "{name}: unchanged");
        // Lifting the exemption on its own, title unchanged, is allowed.
        let mut lifted = read.clone();
        lifted.agenda[0].exempt = None;
        store.update_meeting(&clerk(), &lifted).await.expect("lifted on its own");
        db.finish().await;
    }
}
