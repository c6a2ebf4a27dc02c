//! Meetings and papers over HTTP: the clear-days status of each paper on the staff
//! meeting page (the demo meeting of 3 February 2014, papers published late on 29
//! January), uploads refused by type and size with the error beside the field, the
//! public pages and the Atom feed never showing an exempt item's papers, and downloads
//! served with their type, name and hash.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use pcplan_domain::PaperId;
use pcplan_domain::paper::sha256_hex;
use pcplan_store::{Actor, NewPaper, Role};

fn staff() -> Actor {
    Actor::system("meetings test")
}

/// The demo with its Panel meeting of 3 February 2014, boards and members.
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

fn meeting_path() -> String {
    format!("/staff/meetings/{}", pcplan_demo::ids::MEETING_2014)
}

async fn publish_html(app: &TestApp, title: &str, item: Option<&str>, html: &str, on: (i32, u32, u32)) -> PaperId {
    let id = PaperId::new();
    let paper = NewPaper {
        id,
        meeting_id: pcplan_demo::ids::MEETING_2014,
        title,
        agenda_item: item,
        file_name: "paper.html",
        bytes: html.as_bytes(),
        max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
    };
    app.store.upload_paper(&staff(), &paper).await.expect("upload");
    let on = chrono::NaiveDate::from_ymd_opt(on.0, on.1, on.2).expect("date");
    let at = on.and_hms_opt(12, 0, 0).expect("time").and_utc();
    app.store.publish_paper(&staff(), id, at, on).await.expect("publish");
    id
}

#[tokio::test]
async fn the_agenda_published_on_29_january_2014_shows_late_with_2_of_5_clear_working_days() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    publish_html(&app, "Agenda", None, pcplan_demo::boards::AGENDA_HTML, (2014, 1, 29)).await;
    let page = app.get(&meeting_path(), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    assert!(
        main.contains("24 January 2014 (5 clear working days before the meeting)"),
        "the deadline fixed at scheduling: {main}"
    );
    assert!(main.contains("Late: published 2 clear working days before the meeting, where 5 were due."), "{main}");
    assert!(main.contains("Councillor Jess Phillips: Present"), "attendance");
    assert!(!main.contains("Upload a paper"), "viewers see no forms");
    let list = app.get("/staff/meetings", Some(&cookie)).await;
    assert!(list.main().contains("Worst of 1 paper(s): Late: published 2 clear working days"), "{}", list.main());
}

#[tokio::test]
async fn an_upload_of_the_wrong_type_is_refused_beside_the_file_field_and_a_good_one_is_a_draft() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let uploads = format!("{}/uploads", meeting_path());
    let png: &[u8] = b"\x89PNG\r\n\x1a\nrest";
    let parts: [(&str, Option<&str>, &[u8]); 3] =
        [("title", None, b"Chart"), ("agenda_item", None, b"3"), ("file", Some("chart.pdf"), png)];
    let refused = app.post_multipart(&uploads, &parts, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Chart.pdf is not a PDF, Word document (DOCX) or HTML page: it is a PNG image"),
        "{}",
        refused.main()
    );
    assert!(refused.body.contains("id=\"file-error\""), "the error sits beside the file field");
    assert!(refused.body.contains("value=\"Chart\""), "the title typed is kept");
    assert!(app.store.papers(pcplan_demo::ids::MEETING_2014).await.expect("papers").is_empty());

    let html: &[u8] = b"<!DOCTYPE html><html><body>Report</body></html>";
    let parts: [(&str, Option<&str>, &[u8]); 3] =
        [("title", None, b"Report"), ("agenda_item", None, b"3"), ("file", Some("report.html"), html)];
    let stored = app.post_multipart(&uploads, &parts, Some(&cookie)).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let papers = app.store.papers(pcplan_demo::ids::MEETING_2014).await.expect("papers");
    assert_eq!(papers.len(), 1);
    assert_eq!(papers[0].sha256, sha256_hex(html));
    assert!(papers[0].published_on.is_none(), "uploaded as a draft");
    let page = app.get(&meeting_path(), Some(&cookie)).await;
    assert!(page.main().contains("Uploaded, not yet published."));
}

#[tokio::test]
async fn a_file_over_the_size_setting_is_refused_naming_the_limit() {
    let config = pcplan_web::WebConfig { max_paper_bytes: 64, ..common::test_config() };
    let app = TestApp::with_config(config).await;
    app.store.import_plan(&staff(), &pcplan_demo::plan_file()).await.expect("demo");
    app.store.create_meeting(&staff(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    let cookie = app.signed_in(Role::Editor).await;
    let big = format!("<!DOCTYPE html><p>{}</p>", "x".repeat(200));
    let parts: [(&str, Option<&str>, &[u8]); 2] = [("title", None, b"Big"), ("file", Some("big.html"), big.as_bytes())];
    let page = app.post_multipart(&format!("{}/uploads", meeting_path()), &parts, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.body.contains("big.html is larger than 64 bytes, the most a paper can be"), "{}", page.main());
    let api = app
        .post_multipart(&format!("/api/v1/meetings/{}/uploads", pcplan_demo::ids::MEETING_2014), &parts, Some(&cookie))
        .await;
    assert_eq!(api.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(api.json()["error"]["problems"][0]["path"], "file");
}

#[tokio::test]
async fn an_exempt_items_papers_never_reach_the_public_pages_the_feed_or_a_download() {
    let app = demo().await;
    let mut meeting = app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("stored");
    meeting.agenda.push(pcplan_domain::meeting::AgendaItem {
        number: String::from("7"),
        title: String::from("Complaint about a named officer"),
        exempt: Some(pcplan_domain::meeting::Exemption { paragraph: 1, reason: String::from("Names the complainant") }),
        late_reason: None,
    });
    app.store.update_meeting(&staff(), &meeting).await.expect("exempt item");
    let open =
        publish_html(&app, "Plan & <variation> report", Some("3"), "<!DOCTYPE html><p>Open</p>", (2014, 1, 24)).await;
    let secret =
        publish_html(&app, "Confidential complaint file", Some("7"), "<!DOCTYPE html><p>Secret</p>", (2014, 1, 24))
            .await;

    let page = app.get(&format!("/meetings/{}", pcplan_demo::ids::MEETING_2014), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    assert!(main.contains("Complaint about a named officer"), "the title shows");
    assert!(main.contains("Schedule 12A, paragraph 1"), "and its paragraph");
    assert!(!main.contains("Names the complainant"), "but not the reason");
    assert!(!main.contains("Confidential complaint file") && !main.contains(&secret.to_string()), "{main}");
    assert!(main.contains(&format!("/papers/{open}")), "the open paper is listed");
    assert!(main.contains("Nick Drew"), "attendance is public");

    let feed = app.get("/papers.atom", None).await;
    assert_eq!(feed.header("content-type"), Some("application/atom+xml; charset=utf-8"));
    assert!(feed.body.contains("<title>Plan &amp; &lt;variation&gt; report</title>"), "{}", feed.body);
    assert!(!feed.body.contains(&secret.to_string()) && !feed.body.contains("Confidential"), "{}", feed.body);
    assert!(feed.body.starts_with("<?xml") && feed.body.contains("<feed xmlns=\"http://www.w3.org/2005/Atom\">"));

    assert_eq!(app.get(&format!("/papers/{secret}"), None).await.status, StatusCode::NOT_FOUND);
    let list = app.get("/meetings", None).await;
    assert!(list.main().contains("West Midlands Police and Crime Panel"), "{}", list.main());
}

#[tokio::test]
async fn a_download_has_the_type_a_safe_name_and_the_hash_as_etag() {
    let app = demo().await;
    let html = "<!DOCTYPE html><p>Agenda</p>";
    let id = publish_html(&app, "Agenda", None, html, (2014, 1, 29)).await;
    let response = app.get(&format!("/papers/{id}"), None).await;
    assert_eq!(response.status, StatusCode::OK);
    assert_eq!(response.header("content-type"), Some("text/html; charset=utf-8"));
    assert_eq!(response.header("content-disposition"), Some("attachment; filename=\"paper.html\""));
    let etag = format!("\"{}\"", sha256_hex(html.as_bytes()));
    assert_eq!(response.header("etag"), Some(etag.as_str()));
    assert_eq!(response.body, html);
    let again = app
        .send(
            common::request(axum::http::Method::GET, &format!("/papers/{id}"), None)
                .header("if-none-match", &etag)
                .body(axum::body::Body::empty())
                .expect("request"),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);

    // Withdrawn: gone from the public, kept for staff.
    app.store.withdraw_paper(&staff(), id, "Replaced").await.expect("withdraw");
    assert_eq!(app.get(&format!("/papers/{id}"), None).await.status, StatusCode::NOT_FOUND);
    let cookie = app.signed_in(Role::Viewer).await;
    assert_eq!(app.get(&format!("/staff/papers/{id}"), Some(&cookie)).await.body, html);
}

#[tokio::test]
async fn the_api_lists_a_meetings_papers_with_their_timing_and_the_worst() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    publish_html(&app, "On time", None, "<!DOCTYPE html><p>1</p>", (2014, 1, 24)).await;
    publish_html(&app, "Late", None, "<!DOCTYPE html><p>2</p>", (2014, 1, 29)).await;
    let record = app.get(&format!("/api/v1/meetings/{}/record", pcplan_demo::ids::MEETING_2014), Some(&cookie)).await;
    let json = record.json();
    assert_eq!(json["papers"][0]["timing"]["timing"], "on_time");
    assert_eq!(json["papers"][1]["timing"]["timing"], "late");
    assert_eq!(json["papers"][1]["timing"]["clear_days"], 2);
    assert_eq!(json["worst"]["timing"], "late");
    assert_eq!(json["meeting"]["board_id"], pcplan_demo::boards::PANEL.to_string());
}

#[tokio::test]
async fn board_and_member_forms_keep_what_was_typed_and_put_errors_beside_fields() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    // A local board must name one of the body's areas.
    let refused =
        app.post_form("/staff/boards", "kind=local_board&name=Elsewhere+board&area_code=E99", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"area_code-error\""), "{}", refused.main());
    assert!(refused.body.contains("value=\"Elsewhere board\""), "kept");
    let added = app
        .post_form("/staff/boards", "kind=local_board&name=Wolverhampton+board&area_code=E08000031", Some(&cookie))
        .await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);

    // A member without a term start is refused beside the date; with one, added.
    let members = format!("/staff/boards/{}/members", pcplan_demo::boards::PANEL);
    let refused =
        app.post_form(&members, "name=Councillor+New&role=member&membership=independent", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Enter the term starts"), "{}", refused.main());
    assert!(refused.body.contains("value=\"Councillor New\""), "kept");

    // An interest is declared on the member's page and shows in the register.
    let member = pcplan_demo::boards::panel_members()[5].id;
    let body =
        "declared_on-day=1&declared_on-month=6&declared_on-year=2013&interest=Trustee+of+a+charity&interest_kind=other";
    let declared = app.post_form(&format!("/staff/members/{member}/interests"), body, Some(&cookie)).await;
    assert_eq!(declared.status, StatusCode::SEE_OTHER, "{}", declared.body);
    let page = app.get(&format!("/staff/members/{member}"), Some(&cookie)).await;
    assert!(page.main().contains("Trustee of a charity") && page.main().contains("Other registrable interest"));
}

#[tokio::test]
async fn only_the_upload_routes_accept_a_body_over_the_general_limit() {
    let app = demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    let mut pdf = b"%PDF-1.7\n".to_vec();
    pdf.resize(3 * 1024 * 1024, b' ');
    let parts: [(&str, Option<&str>, &[u8]); 2] = [("title", None, b"Large report"), ("file", Some("large.pdf"), &pdf)];
    let (content_type, body) = common::multipart(&parts);
    let send = |path: String| {
        common::request(axum::http::Method::POST, &path, Some(&cookie))
            .header("content-type", content_type.clone())
            .header("content-length", body.len())
            .body(axum::body::Body::from(body.clone()))
            .expect("request")
    };
    let uploaded = app.send(send(format!("/api/v1/meetings/{}/uploads", pcplan_demo::ids::MEETING_2014))).await;
    assert_eq!(uploaded.status, StatusCode::CREATED, "{}", uploaded.body);
    assert_eq!(uploaded.json()["kind"], "pdf");
    assert_eq!(uploaded.json()["size_bytes"], 3 * 1024 * 1024);
    let elsewhere = app.send(send(format!("/staff/meetings/{}/agenda", pcplan_demo::ids::MEETING_2014))).await;
    assert_eq!(elsewhere.status, StatusCode::PAYLOAD_TOO_LARGE);
}
