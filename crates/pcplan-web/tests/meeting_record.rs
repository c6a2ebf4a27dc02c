//! The staff meeting page's agenda items (change, confirm and remove, refused with
//! papers or a number already taken), attendance of every member in one form, the
//! refusal of a change based on an older revision (page and API), and the public
//! meeting page's clear-days sentence per paper.

mod common;

use axum::http::{Method, StatusCode};
use common::TestApp;
use pcplan_domain::meeting::Attended;
use pcplan_store::{Actor, NewPaper, Role};

fn staff() -> Actor {
    Actor::system("meeting record test")
}

/// The demo Panel, its members and the meeting of 3 February 2014 as held (items 1 to
/// 4, attendance), at revision 1.
async fn demo() -> TestApp {
    let app = TestApp::with_demo().await;
    app.store.create_meeting(&staff(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    for board in pcplan_demo::boards::boards() {
        if app.store.board(board.id).await.expect("read").is_some() {
            app.store.update_board(&staff(), &board).await.expect("board");
        } else {
            app.store.create_board(&staff(), &board).await.expect("board");
        }
    }
    for member in pcplan_demo::boards::panel_members() {
        app.store.add_member(&staff(), &member).await.expect("member");
    }
    let meeting = app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("stored");
    app.store.update_meeting(&staff(), &pcplan_demo::boards::meeting_held_2014(&meeting)).await.expect("record");
    app
}

fn path(rest: &str) -> String {
    format!("/staff/meetings/{}{rest}", pcplan_demo::ids::MEETING_2014)
}

async fn stored(app: &TestApp) -> pcplan_domain::meeting::Meeting {
    app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("stored")
}

async fn publish(app: &TestApp, title: &str, item: Option<&str>, on: (i32, u32, u32)) {
    let id = pcplan_domain::PaperId::new();
    let paper = NewPaper {
        id,
        meeting_id: pcplan_demo::ids::MEETING_2014,
        title,
        agenda_item: item,
        file_name: "paper.html",
        bytes: pcplan_demo::boards::AGENDA_HTML.as_bytes(),
        max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
    };
    app.store.upload_paper(&staff(), &paper).await.expect("upload");
    let on = chrono::NaiveDate::from_ymd_opt(on.0, on.1, on.2).expect("date");
    app.store.publish_paper(&staff(), id, on.and_hms_opt(12, 0, 0).expect("time").and_utc(), on).await.expect("pub");
}

#[tokio::test]
async fn an_agenda_item_is_changed_and_a_number_already_taken_is_refused_with_the_values_kept() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let page = app.get(&path(""), Some(&cookie)).await;
    assert!(page.main().contains(&format!("href=\"{}\"", path("/agenda/3"))), "a change link per item");
    let form = app.get(&path("/agenda/3"), Some(&cookie)).await;
    assert_eq!(form.status, StatusCode::OK);
    assert!(form.main().contains("Police and Crime Plan: proposed variations 2014"), "{}", form.main());

    let taken = app.post_form(&path("/agenda/3"), "revision=1&number=4&title=Typed+title", Some(&cookie)).await;
    assert_eq!(taken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(taken.main().contains("Item 4 is already on the agenda"), "{}", taken.main());
    assert!(taken.main().contains("value=\"Typed title\""), "typed values kept");

    let body =
        "revision=1&number=3a&title=Variations&paragraph=3&exempt_reason=Contract+prices&late_reason=Figures+came+late";
    let saved = app.post_form(&path("/agenda/3"), body, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let meeting = stored(&app).await;
    let item = meeting.agenda_item("3a").expect("renumbered");
    assert_eq!(item.exempt.as_ref().map(|e| e.paragraph), Some(3));
    assert_eq!(item.late_reason.as_deref(), Some("Figures came late"));
    assert_eq!(meeting.revision, 2);

    let bad = app.post_form(&path("/agenda/3a"), "revision=2&number=3a&title=T&paragraph=8", Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.main().contains("Select a paragraph of Schedule 12A from 1 to 7"));
    let no_reason = app.post_form(&path("/agenda/3a"), "revision=2&number=3a&title=T&paragraph=1", Some(&cookie)).await;
    assert!(no_reason.main().contains("Exempt_reason") || no_reason.main().contains("say why the item is exempt"));
}

#[tokio::test]
async fn removing_an_item_is_confirmed_and_refused_while_it_has_papers() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    publish(&app, "Report of the Commissioner", Some("3"), (2014, 1, 29)).await;
    let confirm = app.get(&path("/agenda/3/remove"), Some(&cookie)).await;
    assert_eq!(confirm.status, StatusCode::OK);
    assert!(confirm.main().contains("Report of the Commissioner"), "{}", confirm.main());
    assert!(!confirm.main().contains("govuk-button--warning"), "no button while it has papers");
    let refused = app.post_form(&path("/agenda/3/remove"), "revision=1", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.main().contains("Item 3 has papers (Report of the Commissioner)"), "{}", refused.main());
    assert!(stored(&app).await.agenda_item("3").is_some());

    let confirm = app.get(&path("/agenda/4/remove"), Some(&cookie)).await;
    assert!(confirm.main().contains("govuk-button--warning"), "{}", confirm.main());
    let removed = app.post_form(&path("/agenda/4/remove"), "revision=1", Some(&cookie)).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    assert!(stored(&app).await.agenda_item("4").is_none());
    assert_eq!(app.get(&path("/agenda/4"), Some(&cookie)).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn attendance_of_every_member_is_saved_in_one_go() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let members = pcplan_demo::boards::panel_members();
    let page = app.get(&path(""), Some(&cookie)).await;
    for m in &members {
        assert!(page.main().contains(&format!("name=\"attended-{}\"", m.id)), "{} listed", m.name);
    }
    let (a, b, c) = (members[0].id, members[1].id, members[2].id);
    let missing = format!("revision=1&attended-{a}=absent&attended-{b}=substitute&for-{b}=");
    let refused = app.post_form(&path("/attendance/all"), &missing, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.main().contains("Select the member Councillor Bains substituted for"), "{}", refused.main());
    let body = format!("revision=1&attended-{a}=absent&attended-{b}=substitute&for-{b}={c}&attended-{c}=apologies");
    let saved = app.post_form(&path("/attendance/all"), &body, Some(&cookie)).await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    let meeting = stored(&app).await;
    let of = |id| meeting.attendance.iter().find(|x| x.member_id == id).map(|x| x.attended);
    assert_eq!(of(a), Some(Attended::Absent));
    assert_eq!(of(b), Some(Attended::Substitute { for_member: c }));
    assert_eq!(of(c), Some(Attended::Apologies));
    assert_eq!(meeting.attendance.len(), 3, "members left not recorded are not recorded");
    let public = app.get(&format!("/meetings/{}", pcplan_demo::ids::MEETING_2014), None).await;
    assert!(public.main().contains("Absent"), "{}", public.main());
}

#[tokio::test]
async fn a_change_based_on_an_older_revision_is_refused_on_the_page_and_in_the_api() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    assert!(app.get(&path(""), Some(&cookie)).await.main().contains("name=\"revision\" value=\"1\""));
    // Someone else saves the place first.
    let first =
        app.post_form(&path("/details"), "revision=1&title=Panel&place=Room+6&status=held", Some(&cookie)).await;
    assert_eq!(first.status, StatusCode::SEE_OTHER);
    let stale = app.post_form(&path("/agenda"), "revision=1&number=9&title=Typed+item", Some(&cookie)).await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.main().contains(
            "This meeting was changed by someone else since you opened the page: reload it and make your change again"
        ),
        "{}",
        stale.main()
    );
    assert!(stale.main().contains("value=\"Typed item\""), "the form is kept");
    assert!(stored(&app).await.agenda_item("9").is_none());
    let removal = app.post_form(&path("/agenda/4/remove"), "revision=1", Some(&cookie)).await;
    assert_eq!(removal.status, StatusCode::CONFLICT);
    assert!(stored(&app).await.agenda_item("4").is_some());

    let api = format!("/api/v1/meetings/{}/record", pcplan_demo::ids::MEETING_2014);
    let json = serde_json::json!({"place": "Room 7", "revision": 1});
    let refused = app.send_json(Method::PUT, &api, &json, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::CONFLICT, "{}", refused.body);
    assert_eq!(refused.json()["error"]["code"], "conflict");
    let current = serde_json::json!({"place": "Room 7", "revision": 2});
    let ok = app.send_json(Method::PUT, &api, &current, Some(&cookie)).await;
    assert_eq!(ok.status, StatusCode::OK, "{}", ok.body);
    assert_eq!(ok.json()["meeting"]["revision"], 3);
    let unchecked = app.send_json(Method::PUT, &api, &serde_json::json!({"place": "Room 8"}), Some(&cookie)).await;
    assert_eq!(unchecked.status, StatusCode::OK);
}

#[tokio::test]
async fn the_public_page_says_whether_each_paper_was_on_time_and_never_shows_exempt_papers() {
    let app = demo().await;
    publish(&app, "Agenda", None, (2014, 1, 29)).await;
    publish(&app, "Report of the Commissioner", Some("3"), (2014, 1, 20)).await;
    let mut meeting = stored(&app).await;
    meeting.agenda.push(pcplan_domain::meeting::AgendaItem {
        number: String::from("5"),
        title: String::from("Complaint against a named officer"),
        exempt: Some(pcplan_domain::meeting::Exemption { paragraph: 1, reason: String::from("An individual") }),
        late_reason: None,
    });
    app.store.update_meeting(&staff(), &meeting).await.expect("exempt item");
    publish(&app, "Confidential report", Some("5"), (2014, 1, 20)).await;
    let page = app.get(&format!("/meetings/{}", pcplan_demo::ids::MEETING_2014), None).await;
    let main = page.main();
    assert!(
        main.contains("Published 29 January 2014: 2 clear working days before the meeting, where 5 were required"),
        "{main}"
    );
    assert!(main.contains("Late"));
    assert!(main.contains("Published 20 January 2014: 9 clear working days before the meeting"), "{main}");
    assert!(main.contains("On time"));
    assert!(!main.contains("Confidential report"), "exempt papers never appear");
}
