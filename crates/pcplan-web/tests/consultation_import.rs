//! Importing responses exported from other survey tools through the staff pages: the
//! upload, the mapping page and its guesses, the check of every row (bad rows by line
//! with the reason), the choice to leave bad rows out, the import in the background
//! with its progress page, and re-importing the same file.
//!
//! Each test walks the pages as a person would: it accepts the columns the mapping page
//! preselects (read from the page's `selected` options) unless it says otherwise, and
//! reads what was stored back from the store.

mod common;

use std::time::Duration;

use axum::http::StatusCode;
use chrono::{Days, NaiveDate};
use common::{TestApp, TestResponse, encode};
use pcplan_domain::consultation::{AnswerValue, Channel, ExerciseContent, ExerciseKind, QuestionContent, QuestionKind};
use pcplan_domain::{ExerciseId, QuestionId};
use pcplan_store::{Actor, ResponseRecord, Role};

const Q_FOCUS: QuestionId = QuestionId::from_u128(0xb1);
const Q_SAFE: QuestionId = QuestionId::from_u128(0xb2);

fn days_from_today(days: u64) -> (NaiveDate, NaiveDate) {
    let today = pcplan_web::today();
    (today.checked_sub_days(Days::new(days)).expect("a date"), today.checked_add_days(Days::new(days)).expect("a date"))
}

/// The demo body and an open exercise with a required free-text question and a
/// choice question; an editor's cookie.
async fn setup() -> (TestApp, ExerciseId, String) {
    let app = TestApp::with_demo().await;
    let actor = Actor::system("test");
    let (opens, closes) = days_from_today(20);
    let id = ExerciseId::new();
    let content = ExerciseContent {
        title: String::from("Partner survey"),
        kind: ExerciseKind::PartnerSubmissions,
        slug: String::from("partner-survey"),
        summary: String::from("Answers collected by partners with their own survey tools"),
        opens,
        closes,
        channels: vec![Channel::Imported, Channel::PartnerNetwork],
        privacy_notice: String::new(),
        plan: None,
        note: String::new(),
    };
    app.store.create_exercise(&actor, id, pcplan_demo::ids::BODY, &content).await.expect("exercise");
    let focus = QuestionContent {
        number: 1,
        text: String::from("What should the plan focus on?"),
        hint: String::new(),
        kind: QuestionKind::Open,
        options: Vec::new(),
        required: true,
        max_chars: 500,
    };
    let safe = QuestionContent {
        number: 2,
        text: String::from("How safe do you feel where you live?"),
        hint: String::new(),
        kind: QuestionKind::Single,
        options: vec![String::from("Very safe"), String::from("Fairly safe"), String::from("Not safe")],
        required: false,
        max_chars: 5_000,
    };
    app.store.add_question(&actor, id, Q_FOCUS, &focus).await.expect("question 1");
    app.store.add_question(&actor, id, Q_SAFE, &safe).await.expect("question 2");
    let cookie = app.signed_in(Role::Editor).await;
    (app, id, cookie)
}

fn import_path(id: ExerciseId) -> String {
    format!("/staff/consultations/{id}/import")
}

/// Uploads a file and returns the mapping page's address.
async fn upload(app: &TestApp, cookie: &str, id: ExerciseId, name: &str, bytes: &[u8]) -> String {
    let response = app.post_multipart(&import_path(id), &[("file", Some(name), bytes)], Some(cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.location().expect("a location").to_string();
    assert!(location.starts_with(&import_path(id)), "{location}");
    location
}

/// The `(name, value)` of each select of the mapping form with its selected option.
fn selected_mapping(html: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for part in html.split("<select").skip(1) {
        let Some(name) = part.split("name=\"").nth(1).and_then(|s| s.split('"').next()) else { continue };
        let options = part.split("</select>").next().unwrap_or("");
        let value = options
            .split("<option")
            .find(|o| o.contains(" selected>"))
            .and_then(|o| o.split("value=\"").nth(1))
            .and_then(|s| s.split('"').next())
            .unwrap_or("");
        out.push((name.to_string(), value.to_string()));
    }
    out
}

fn query(pairs: &[(String, String)]) -> String {
    pairs.iter().map(|(n, v)| format!("{}={}", encode(n), encode(v))).collect::<Vec<_>>().join("&")
}

/// The mapping page, then the check page with the columns it preselected; returns the
/// check page and the form fields that confirm it.
async fn check_with_guesses(app: &TestApp, cookie: &str, mapping_path: &str) -> (TestResponse, String) {
    let mapping = app.get(mapping_path, Some(cookie)).await;
    assert_eq!(mapping.status, StatusCode::OK, "{}", mapping.body);
    let mut pairs = selected_mapping(&mapping.body);
    pairs.push((String::from("mapped"), String::from("yes")));
    let fields = query(&pairs);
    let check = app.get(&format!("{mapping_path}/check?{fields}"), Some(cookie)).await;
    (check, fields)
}

/// Follows the import's progress page until it stops refreshing itself.
async fn finished(app: &TestApp, cookie: &str, job: &str) -> TestResponse {
    let started = std::time::Instant::now();
    while started.elapsed() < Duration::from_secs(300) {
        let page = app.get(job, Some(cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{}", page.body);
        if !page.body.contains("http-equiv=\"refresh\"") {
            return page;
        }
        assert!(page.body.contains("<progress"), "a running import shows its progress: {}", page.main());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the import did not finish");
}

/// Confirms the import and waits for it; returns the result page.
async fn import(app: &TestApp, cookie: &str, mapping_path: &str, fields: &str) -> TestResponse {
    let response = app.post_form(mapping_path, fields, Some(cookie)).await;
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let job = response.location().expect("the progress page").to_string();
    assert!(job.contains("/import/jobs/"), "{job}");
    finished(app, cookie, &job).await
}

async fn stored(app: &TestApp, id: ExerciseId) -> Vec<ResponseRecord> {
    let (_, page) = app.store.responses(id, 0, 1_000).await.expect("responses");
    let mut full = Vec::new();
    for r in page {
        full.push(app.store.response(r.id).await.expect("read").expect("the response"));
    }
    full.sort_by_key(|r| r.reference);
    full
}

fn text(record: &ResponseRecord) -> &str {
    match record.answers.get(&Q_FOCUS) {
        Some(AnswerValue::Text(t)) => t,
        other => panic!("no free-text answer: {other:?}"),
    }
}

#[tokio::test]
async fn a_csv_with_a_byte_order_mark_imports_with_its_text_intact() {
    let (app, id, cookie) = setup().await;
    let csv = "\u{feff}Response ID,What should the plan focus on?,How safe do you feel where you live?,Local authority,\
               May we publish quotes?\r\n\
               1,\"Café culture, and more patrols\r\non the high street\",Fairly safe,Birmingham,Yes\r\n\
               2,Knife crime – near schools,not safe,E08000026,No\r\n";
    let path = upload(&app, &cookie, id, "export.csv", csv.as_bytes()).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.body.contains("CSV, UTF-8 with byte order mark"), "{}", check.main());
    assert!(check.body.contains("Import 2 responses"), "{}", check.main());

    let result = import(&app, &cookie, &path, &fields).await;
    assert!(result.body.contains("Import finished"), "{}", result.main());
    assert!(result.body.contains("2 new response(s) stored."), "{}", result.main());

    let records = stored(&app, id).await;
    assert_eq!(records.len(), 2);
    assert_eq!(text(&records[0]), "Café culture, and more patrols\non the high street");
    assert_eq!(text(&records[1]), "Knife crime – near schools");
    assert_eq!(records[1].answers.get(&Q_SAFE), Some(&AnswerValue::Choices(vec![String::from("Not safe")])));
    assert_eq!(records[0].channel, Channel::Imported);
    assert_eq!(records[0].respondent.area.as_deref(), Some("E08000025"));
    assert_eq!(records[1].respondent.area.as_deref(), Some("E08000026"));
    assert_eq!(records[0].publish_consent, Some(true));
    assert_eq!(records[1].publish_consent, Some(false));
    assert_eq!(records[0].source_line, Some(2));
    assert_eq!(records[1].source_line, Some(4), "the quoted cell ran over lines 2 and 3");
    let imports = app.store.imports(id).await.expect("imports");
    assert_eq!(imports.len(), 1);
    assert_eq!(imports[0].summary["encoding"], "UTF-8 with byte order mark");
    assert_eq!(imports[0].summary["good_rows"], 2);
    assert!(imports[0].summary["consent"].as_str().unwrap_or("").contains("collected by the tool"));
}

#[tokio::test]
async fn a_windows_1252_file_imports_with_its_text_intact() {
    let (app, id, cookie) = setup().await;
    let bytes: &[u8] = b"What should the plan focus on?,Area\r\nCaf\xe9 owners\x92 worries about theft,Coventry\r\n";
    let path = upload(&app, &cookie, id, "excel.csv", bytes).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert!(check.body.contains("CSV, Windows-1252"), "{}", check.main());
    let result = import(&app, &cookie, &path, &fields).await;
    assert!(result.body.contains("1 new response(s) stored."), "{}", result.main());
    let records = stored(&app, id).await;
    assert_eq!(text(&records[0]), "Café owners’ worries about theft");
    assert_eq!(records[0].respondent.area.as_deref(), Some("E08000026"));
    assert_eq!(records[0].publish_consent, None, "the file has no consent column");
}

#[tokio::test]
async fn the_mapping_page_preselects_the_guessed_columns() {
    let (app, id, cookie) = setup().await;
    let csv = "Respondent ID,Are you responding as an individual or an organisation?,What should the plan focus on?,\
               How safe do you feel where you live?,Local authority,May we publish quotes?,Date submitted,Notes\n\
               17,Individual,More patrols,Very safe,Walsall,Yes,01/06/2021,none\n";
    let path = upload(&app, &cookie, id, "guess.csv", csv.as_bytes()).await;
    let page = app.get(&path, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("More patrols"), "the first rows are previewed");
    let selected = selected_mapping(&page.body);
    let chosen = |name: &str| selected.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("none");
    assert_eq!(chosen("map-respondent_id"), "0");
    assert_eq!(chosen("map-respondent_type"), "1");
    assert_eq!(chosen("map-q-1"), "2");
    assert_eq!(chosen("map-q-2"), "3");
    assert_eq!(chosen("map-area"), "4");
    assert_eq!(chosen("map-publish_consent"), "5");
    assert_eq!(chosen("map-received"), "6");
    assert_eq!(chosen("map-organisation"), "", "no column is the organisation");

    // The guesses import as they are: the date, the type and the area are read.
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert!(check.body.contains("Import 1 responses"), "{}", check.main());
    import(&app, &cookie, &path, &fields).await;
    let records = stored(&app, id).await;
    assert_eq!(records[0].respondent.kind, Some(pcplan_domain::consultation::RespondentType::Resident));
    assert_eq!(records[0].respondent.area.as_deref(), Some("E08000030"));
    assert_eq!(records[0].received_at.date_naive(), NaiveDate::from_ymd_opt(2021, 6, 1).expect("a date"));
}

#[tokio::test]
async fn a_header_row_given_by_hand_reads_the_file_again() {
    let (app, id, cookie) = setup().await;
    let csv = "Exported from another tool on 2 June 2021,,\n\
               1,2,3\n\
               ID,What should the plan focus on?,Area\n\
               9,Street lighting,Dudley\n";
    let path = upload(&app, &cookie, id, "titled.csv", csv.as_bytes()).await;
    let page = app.get(&format!("{path}?header_row=3"), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.main());
    assert!(page.body.contains("Line 3"), "{}", page.main());
    assert!(page.body.contains("Street lighting"));
    let missing = app.get(&format!("{path}?header_row=40"), Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("has no row on line 40"), "{}", missing.main());
}

const WITH_BAD_ROWS: &str = "Response ID,What should the plan focus on?,How safe do you feel where you live?,Local authority\n\
1,More patrols in the town centre,Fairly safe,Birmingham\n\
2,Too many cells here,Not safe,Coventry,extra\n\
3,,Very safe,Dudley\n\
4,Burglary in our street,Not safe,Atlantis\n\
5,\"A quoted answer\nover two lines\",Very safe,Solihull\n\
6,Speeding,Quite safe,Walsall\n";

#[tokio::test]
async fn bad_rows_are_reported_by_line_and_nothing_is_imported_unless_the_box_is_ticked() {
    let (app, id, cookie) = setup().await;
    let path = upload(&app, &cookie, id, "with-bad-rows.csv", WITH_BAD_ROWS.as_bytes()).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    let main = check.main();
    assert!(main.contains("id=\"good-rows\">2<"), "{main}");
    assert!(main.contains("id=\"bad-rows\">4<"), "{main}");
    let row = |line: usize, reason: &str| {
        format!("<td class=\"govuk-table__cell\">{line}</td>\n      <td class=\"govuk-table__cell\">{reason}")
    };
    for (line, reason) in [
        (3, "5 cells but the header has 4; check for an unquoted comma or a missing closing quote"),
        (4, "column `What should the plan focus on?` is empty, and it is required"),
        (5, "column `Local authority`: `Atlantis` is not one of the body&#39;s areas"),
        (8, "column `How safe do you feel where you live?`: `Quite safe` is not an option of question 2"),
    ] {
        assert!(main.contains(&row(line, reason)), "line {line}: {reason}\n{main}");
    }
    assert!(main.contains("Import the 2 good rows and leave out the 4 bad rows"), "{main}");

    // Every bad row in the download, as CSV.
    let csv_href =
        main.split("href=\"").skip(1).find_map(|s| s.split('"').next().filter(|h| h.contains("bad-rows.csv")));
    let csv_href = csv_href.expect("a download link").replace("&#38;", "&");
    let csv = app.get(&csv_href, Some(&cookie)).await;
    assert_eq!(csv.status, StatusCode::OK);
    assert_eq!(csv.header("content-type"), Some("text/csv; charset=utf-8"));
    // A byte order mark first, so Excel reads it as UTF-8; a cell is quoted only when
    // it holds a comma, quote or line break.
    let body = csv.body.strip_prefix('\u{feff}').expect("a byte order mark");
    assert!(body.starts_with("line,reason\r\n3,"), "{body}");
    assert!(body.contains("5 cells but the header has 4;"), "{body}");
    assert!(
        body.contains("\r\n5,") && body.contains("column `Local authority`: `Atlantis` is not one of the body's areas")
    );

    // Without the box ticked: refused, nothing stored, nothing audited.
    let audit = app.store.audit_log(1000, 0).await.expect("audit").len();
    let refused = app.post_form(&path, &fields, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Nothing was imported: 4 row(s) are bad"), "{}", refused.main());
    assert!(stored(&app, id).await.is_empty());
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit);

    // Ticked: exactly the good rows.
    let result = import(&app, &cookie, &path, &format!("{fields}&leave_out_bad=yes")).await;
    assert!(result.body.contains("2 new response(s) stored."), "{}", result.main());
    assert!(result.body.contains("4 bad row(s) were left out, as you chose."), "{}", result.main());
    let records = stored(&app, id).await;
    assert_eq!(records.iter().map(|r| r.source_line).collect::<Vec<_>>(), [Some(2), Some(6)]);
    assert_eq!(text(&records[1]), "A quoted answer\nover two lines");
    let summary = &app.store.imports(id).await.expect("imports")[0].summary;
    assert_eq!(summary["bad_rows_left_out"], 4);
    assert_eq!(summary["bad_lines"], serde_json::json!([3, 4, 5, 8]));
}

#[tokio::test]
async fn re_importing_the_same_file_stores_nothing_new() {
    let (app, id, cookie) = setup().await;
    let csv =
        "What should the plan focus on?,Area\nMore patrols,Birmingham\nMore patrols,Birmingham\nLighting,Dudley\n";
    let path = upload(&app, &cookie, id, "twice.csv", csv.as_bytes()).await;
    let (_, fields) = check_with_guesses(&app, &cookie, &path).await;
    let first = import(&app, &cookie, &path, &fields).await;
    assert!(first.body.contains("3 new response(s) stored."), "two respondents who wrote the same both count");

    let again = upload(&app, &cookie, id, "twice.csv", csv.as_bytes()).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &again).await;
    assert!(check.body.contains("This file was imported before"), "{}", check.main());
    assert!(check.body.contains("id=\"already-rows\">3<"), "known before importing: {}", check.main());
    let second = import(&app, &cookie, &again, &fields).await;
    assert!(second.body.contains("0 new response(s) stored."), "{}", second.main());
    assert!(second.body.contains("3 rows were already imported"), "{}", second.main());
    assert_eq!(stored(&app, id).await.len(), 3);
}

#[tokio::test]
async fn an_xlsx_workbook_imports_from_the_sheet_chosen() {
    let (app, id, cookie) = setup().await;
    let bytes: &[u8] = include_bytes!("../../pcplan-import/tests/data/qu_format_a_numeric.xlsx");
    let path = upload(&app, &cookie, id, "qu_format_a_numeric.xlsx", bytes).await;
    let first = app.get(&path, Some(&cookie)).await;
    assert!(first.body.contains("XLSX workbook, sheet `Demographic`"), "{}", first.main());

    // The free-text sheet, its question titles imported as answers.
    let options = pcplan_import::ReadOptions { sheet: Some(String::from("Open questions")), ..Default::default() };
    let table = pcplan_import::read("q.xlsx", bytes, &options, &mut |_| {}).expect("the fixture reads");
    let title = table.headers.iter().position(|h| h.starts_with("Title")).expect("a title column");
    let fields = format!("sheet=Open+questions&mapped=yes&map-q-1={title}&map-respondent_id=0");
    let check = app.get(&format!("{path}/check?{fields}"), Some(&cookie)).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.main());
    assert!(check.body.contains("XLSX workbook, sheet `Open questions`"), "{}", check.main());
    let result = import(&app, &cookie, &path, &fields).await;
    assert!(result.body.contains("3 new response(s) stored."), "{}", result.main());
    let mut texts: Vec<String> = stored(&app, id).await.iter().map(|r| text(r).to_string()).collect();
    let mut expected: Vec<String> = table.rows.iter().map(|r| r.cells[title].trim().to_string()).collect();
    texts.sort();
    expected.sort();
    assert_eq!(texts, expected);
}

#[tokio::test]
async fn a_file_that_is_no_table_is_refused_at_the_upload() {
    let (app, id, cookie) = setup().await;
    let response = app
        .post_multipart(&import_path(id), &[("file", Some("minutes.pdf"), b"%PDF-1.7 not a table")], Some(&cookie))
        .await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(response.body.contains("looks like a PDF document, not a CSV or XLSX file"), "{}", response.main());
    let empty = app.post_multipart(&import_path(id), &[("file", Some(""), b"")], Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Select a CSV or XLSX file of responses"));
}

#[tokio::test]
async fn an_upload_is_only_for_the_person_who_sent_it_and_viewers_cannot_import() {
    let (app, id, cookie) = setup().await;
    let path = upload(&app, &cookie, id, "mine.csv", b"What should the plan focus on?\nPatrols\n").await;
    let other = {
        app.user("other-editor", Role::Editor).await;
        app.sign_in("other-editor", common::PASSWORD).await.expect("sign in")
    };
    let theirs = app.get(&path, Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::SEE_OTHER, "another editor is sent to upload their own file");
    assert_eq!(theirs.location(), Some(format!("{}?done=expired", import_path(id)).as_str()));

    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get(&import_path(id), Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("type=\"file\""), "viewers see no upload form");
    let refused = app.post_multipart(&import_path(id), &[("file", Some("x.csv"), b"a\nb\n")], Some(&viewer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let confirm = app.post_form(&path, "mapped=yes&map-q-1=0", Some(&viewer)).await;
    assert_eq!(confirm.status, StatusCode::FORBIDDEN);
    assert!(stored(&app, id).await.is_empty());
}

#[tokio::test]
async fn an_upload_path_takes_files_larger_than_other_forms() {
    assert!(pcplan_web::is_upload_path("/staff/consultations/1234/import"));
    assert!(pcplan_web::is_import_path("/staff/consultations/1234/import"));
    assert!(!pcplan_web::is_import_path("/staff/consultations/1234/import/abc"));
    assert!(!pcplan_web::is_import_path("/staff/consultations//import"));
    assert!(!pcplan_web::is_upload_path("/staff/consultations/1234/representation"));
    let (app, id, cookie) = setup().await;
    // Three megabytes of answers: over the 2 MiB of ordinary forms.
    let mut csv = String::from("What should the plan focus on?,Area\n");
    let answer = "More patrols near the schools at home time, please, and better street lighting. ".repeat(4);
    let mut n = 0;
    while csv.len() < 3 * 1024 * 1024 {
        n += 1;
        csv.push_str(&format!("\"{answer} ({n})\",Birmingham\n"));
    }
    let path = upload(&app, &cookie, id, "large.csv", csv.as_bytes()).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert!(check.body.contains(&format!("Import {n} responses")), "{}", check.main());
    let result = import(&app, &cookie, &path, &fields).await;
    assert!(result.body.contains(&format!("{n} new responses from large.csv")), "{}", result.main());
}

/// 100,000 rows (about 10 MB) through every page: the check, the progress page and one
/// transaction. Slow in a debug build, so run on demand:
/// `cargo test -p pcplan-web --test consultation_import -- --ignored`.
#[tokio::test]
#[ignore = "imports 100,000 rows; run with --ignored"]
async fn a_hundred_thousand_rows_import_in_one_transaction_with_progress() {
    let (app, id, cookie) = setup().await;
    let areas = ["Birmingham", "Coventry", "Dudley", "Sandwell", "Solihull", "Walsall", "Wolverhampton"];
    let mut csv =
        String::from("Response ID,What should the plan focus on?,How safe do you feel where you live?,Area\n");
    for n in 0..100_000 {
        csv.push_str(&format!(
            "{n},\"More patrols near school {n}, and better lighting\non the walk home\",Fairly safe,{}\n",
            areas[n % areas.len()]
        ));
    }
    let started = std::time::Instant::now();
    let path = upload(&app, &cookie, id, "large.csv", csv.as_bytes()).await;
    let (check, fields) = check_with_guesses(&app, &cookie, &path).await;
    assert!(check.body.contains("Import 100000 responses"), "{}", check.main());
    let checked = started.elapsed();
    let response = app.post_form(&path, &fields, Some(&cookie)).await;
    let job = response.location().expect("the progress page").to_string();
    let first = app.get(&job, Some(&cookie)).await;
    assert!(first.body.contains("<progress"), "{}", first.main());
    let result = finished(&app, &cookie, &job).await;
    assert!(result.body.contains("100,000 new response(s) stored."), "{}", result.main());
    eprintln!("100,000 rows: upload and check {checked:?}, whole import {:?}", started.elapsed());
    let (total, _) = app.store.responses(id, 0, 1).await.expect("count");
    assert_eq!(total, 100_000);
}
