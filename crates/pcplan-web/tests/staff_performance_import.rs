//! Importing figures of measures from a CSV or XLSX file through HTTP, on the demo plan
//! (West Midlands, its varied version in force): the page and its template; a good file
//! checked (areas by code and by name, a share with its counts), confirmed, stored as
//! imported, shown on the measure page and audited with its file; bad rows named by line
//! with nothing stored; the same file again changing nothing; a changed figure shown with
//! what it replaces; an XLSX workbook read like a CSV; and viewers refused.

mod common;

use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MEA_VICTIM_SATISFACTION};
use pcplan_domain::ItemId;
use pcplan_store::{Actor, NewObservation, ObservationSource, Role};

const PAGE: &str = "/staff/performance/import";

/// Total recorded crime for April 2022 (force-wide, Birmingham by code, Coventry by
/// name) and victim satisfaction for the first quarter of 2022/23 with its counts.
const FIGURES: &str = "Measure,Period,Area,Value,Count,Out of,Note\n\
                       Total recorded crime,2022-04,,520,,,\n\
                       Total recorded crime,2022-04,E08000025,210,,,\n\
                       total recorded CRIME,2022-04,Coventry,\"1,040\",,,Revised by the force\n\
                       Victim satisfaction,2022/23 Q1,,81.43,57,70,\n";

async fn editor() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    (app, cookie)
}

async fn upload(app: &TestApp, cookie: &str, name: &str, bytes: &[u8]) -> TestResponse {
    let body = BODY.to_string();
    app.post_multipart(PAGE, &[("body", None, body.as_bytes()), ("file", Some(name), bytes)], Some(cookie)).await
}

/// The value of the hidden `token` field of a check page.
fn token_of(page: &TestResponse) -> String {
    let at = page.body.find("name=\"token\" value=\"").unwrap_or_else(|| panic!("a token in {}", page.main()));
    let rest = &page.body[at + "name=\"token\" value=\"".len()..];
    rest[..rest.find('"').expect("the end of the token")].to_string()
}

/// Confirms the check page's import and follows the redirect to the result.
async fn confirm(app: &TestApp, cookie: &str, check: &TestResponse) -> TestResponse {
    let form = format!("token={}&body={BODY}", token_of(check));
    let stored = app.post_form(&format!("{PAGE}/confirm"), &form, Some(cookie)).await;
    assert_eq!(stored.status, StatusCode::SEE_OTHER, "{}", stored.body);
    let location = stored.location().expect("a redirect").to_string();
    assert!(location.starts_with(&format!("{PAGE}?body={BODY}&done=")), "{location}");
    let page = app.get(&location, Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

/// Every stored figure of a measure as (period, area, value, source).
async fn stored(app: &TestApp, measure: ItemId) -> Vec<(String, String, f64, ObservationSource)> {
    let mut rows: Vec<_> = app
        .store
        .observations(measure)
        .await
        .expect("observations")
        .into_iter()
        .map(|o| (o.period, o.area_code, o.value, o.source))
        .collect();
    rows.sort_by(|a, b| (&a.0, &a.1).cmp(&(&b.0, &b.1)));
    rows
}

#[tokio::test]
async fn the_page_explains_the_columns_and_the_template_lists_the_measures_and_areas() {
    let (app, cookie) = editor().await;
    let page = app.get(PAGE, Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    for expected in ["Out of", "2022/23 Q1", "E08000025", "Birmingham", "Total recorded crime", "Upload and check"] {
        assert!(main.contains(expected), "`{expected}` in {main}");
    }
    let dashboard = app.get("/staff/performance", Some(&cookie)).await;
    let link = format!("href=\"/staff/performance/import?body={BODY}\"");
    assert!(dashboard.body.contains(&link), "the dashboard links to the import of its body");

    let template = app.get(&format!("{PAGE}/template.csv?body={BODY}"), Some(&cookie)).await;
    assert_eq!(template.status, StatusCode::OK);
    assert_eq!(template.header("content-type"), Some("text/csv; charset=utf-8"));
    let text = template.body.trim_start_matches('\u{feff}');
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "Measure,Period,Area,Value,Count,Out of,Note");
    assert!(lines.contains(&"Total recorded crime,,,,,,"), "{text}");
    assert!(lines.contains(&"Total recorded crime,,Birmingham,,,,"), "a row per area when reported by area: {text}");
    assert!(lines.contains(&"Victim satisfaction,,,,,,"), "{text}");

    // The template uploaded as it is: every row lacks its period and value.
    let as_is = upload(&app, &cookie, "template.csv", template.body.as_bytes()).await;
    assert_eq!(as_is.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(as_is.main().contains("line 2: column `Period` is empty, and it is required"), "{}", as_is.main());
}

#[tokio::test]
async fn a_good_file_is_checked_then_stored_as_imported_and_shown_on_the_measure_page() {
    let (app, cookie) = editor().await;
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    let check = upload(&app, &cookie, "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    let main = check.main();
    assert!(main.contains("Nothing has been stored yet"), "{main}");
    assert!(main.contains("4 new, 0 changed, 0 unchanged"), "{main}");
    assert!(main.contains("81.43% (57 of 70)"), "the share with its counts: {main}");
    assert!(main.contains("Coventry") && main.contains("1,040 crimes"), "the area by name: {main}");
    assert!(stored(&app, MEA_TOTAL_CRIME).await.is_empty(), "nothing stored before the confirmation");
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before);

    let result = confirm(&app, &cookie, &check).await;
    assert!(
        result.main().contains("4 figures imported from figures.csv: 4 added, 0 changed, 0 unchanged"),
        "{}",
        result.main()
    );
    let import = ObservationSource::Import;
    assert_eq!(
        stored(&app, MEA_TOTAL_CRIME).await,
        [
            (String::from("2022-04"), String::new(), 520.0, import),
            (String::from("2022-04"), String::from("E08000025"), 210.0, import),
            (String::from("2022-04"), String::from("E08000026"), 1040.0, import),
        ]
    );
    let satisfaction = app.store.observations(MEA_VICTIM_SATISFACTION).await.expect("read");
    assert_eq!((satisfaction[0].numerator, satisfaction[0].denominator), (Some(57), Some(70)));
    let notes: Vec<String> =
        app.store.observations(MEA_TOTAL_CRIME).await.expect("read").into_iter().map(|o| o.note).collect();
    assert!(notes.contains(&String::from("Revised by the force")));

    let measure = app.get(&format!("/staff/performance/measures/{MEA_TOTAL_CRIME}"), Some(&cookie)).await;
    assert!(measure.main().contains("Imported"), "{}", measure.main());

    let log = app.store.audit_log(1000, 0).await.expect("audit");
    let entry = log.iter().find(|e| e.action == "import" && e.entity == "observations").expect("the import audited");
    let after = entry.after.as_ref().expect("what was imported");
    assert_eq!(after["file"], "figures.csv");
    assert_eq!(after["added"], 4);
    assert!(entry.actor.contains("test-editor"), "{}", entry.actor);
    assert_eq!(log.len(), audit_before + 3, "one entry per measure and one for the file");

    // The same confirmation posted again stores nothing more.
    let again = app.post_form(&format!("{PAGE}/confirm"), &format!("token={}", token_of(&check)), Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), log.len());
}

#[tokio::test]
async fn bad_rows_are_named_by_line_and_nothing_is_stored() {
    let (app, cookie) = editor().await;
    let audit_before = app.store.audit_log(1000, 0).await.expect("audit").len();
    let file = "Measure,Period,Area,Value,Count,Out of\n\
                Total recorded crime,2022-04,,520,,\n\
                Total crime,2022-04,,12,,\n\
                Total recorded crime,2022-13,Solihul,n/a,,\n\
                Victim satisfaction,2022/23 Q1,,81,80,70\n\
                Total recorded crime,2022-04,,530,,\n";
    let check = upload(&app, &cookie, "bad.csv", file.as_bytes()).await;
    assert_eq!(check.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", check.body);
    let main = check.main();
    assert!(main.contains("4 rows cannot be imported, so nothing will be imported"), "{main}");
    assert!(main.contains("line 3: measure `Total crime` is not a measure of the plan in force"), "{main}");
    assert!(main.contains("line 4: period `2022-13`: there is no month 13"), "{main}");
    assert!(main.contains("area `Solihul` is not one of the areas or peers of"), "{main}");
    assert!(main.contains("value `n/a` is not a number"), "{main}");
    assert!(main.contains("line 5: count 80 is more than out-of 70"), "{main}");
    assert!(main.contains("line 6: Total recorded crime for April 2022, Whole force area is also on line 2"), "{main}");
    assert!(!check.body.contains("name=\"token\""), "no confirmation is offered");
    assert!(stored(&app, MEA_TOTAL_CRIME).await.is_empty());
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit_before);

    // A file without a Value column is refused whole, beside the file field.
    let refused = upload(&app, &cookie, "odd.csv", b"Measure,Period,Figure2\nTotal recorded crime,2022-04,5\n").await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"file-error\""), "{}", refused.main());
    assert!(refused.main().contains("has no column headed `Value`"), "{}", refused.main());
}

#[tokio::test]
async fn the_same_file_again_changes_nothing_and_a_changed_figure_shows_what_it_replaces() {
    let (app, cookie) = editor().await;
    // A figure entered by staff for May, which a file then gives again.
    let may = NewObservation {
        period: String::from("2022-05"),
        period_start: chrono::NaiveDate::from_ymd_opt(2022, 5, 1).expect("a real date"),
        area_code: String::new(),
        value: 498.0,
        numerator: None,
        denominator: None,
        note: String::new(),
    };
    let manual = ObservationSource::Manual;
    app.store.record_observations(&Actor::system("test"), BODY, MEA_TOTAL_CRIME, manual, &[may]).await.expect("may");

    let first = upload(&app, &cookie, "figures.csv", FIGURES.as_bytes()).await;
    confirm(&app, &cookie, &first).await;
    let entries = app.store.audit_log(1000, 0).await.expect("audit").len();

    let again = upload(&app, &cookie, "figures.csv", FIGURES.as_bytes()).await;
    assert_eq!(again.status, StatusCode::OK, "{}", again.body);
    assert!(again.main().contains("0 new, 0 changed, 4 unchanged"), "{}", again.main());
    assert!(again.body.contains("id=\"nothing-to-do\""), "{}", again.main());
    assert!(!again.body.contains("name=\"token\""), "nothing to confirm");
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), entries);

    let changed = FIGURES.replace("Total recorded crime,2022-04,,520", "Total recorded crime,2022-04,,533")
        + "Total recorded crime,2022-05,,498,,,\n";
    let check = upload(&app, &cookie, "figures-v2.csv", changed.as_bytes()).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    let main = check.main();
    assert!(main.contains("0 new, 2 changed, 3 unchanged"), "{main}");
    assert!(main.contains("Replaces 520 crimes (imported)"), "{main}");
    assert!(main.contains("Same figure, until now entered: it becomes imported"), "{main}");
    let result = confirm(&app, &cookie, &check).await;
    assert!(result.main().contains("0 added, 2 changed, 3 unchanged"), "{}", result.main());
    let crime = stored(&app, MEA_TOTAL_CRIME).await;
    assert_eq!(crime[0], (String::from("2022-04"), String::new(), 533.0, ObservationSource::Import));
    assert_eq!(crime[3], (String::from("2022-05"), String::new(), 498.0, ObservationSource::Import));
}

#[tokio::test]
async fn an_xlsx_workbook_is_read_like_a_csv() {
    let (app, cookie) = editor().await;
    let rows: [&[Cell]; 3] = [
        &[Cell::Text("Area"), Cell::Text("Measure"), Cell::Text("Period"), Cell::Text("Value")],
        &[Cell::Text("Birmingham"), Cell::Text("Total recorded crime"), Cell::Text("2022-04"), Cell::Number(210.0)],
        &[Cell::Text(""), Cell::Text("Total recorded crime"), Cell::Text("2022-05"), Cell::Number(498.5)],
    ];
    let workbook = xlsx(&rows);
    let check = upload(&app, &cookie, "figures.xlsx", &workbook).await;
    assert_eq!(check.status, StatusCode::OK, "{}", check.body);
    assert!(check.main().contains("XLSX, sheet `Figures`"), "{}", check.main());
    assert!(check.main().contains("2 new, 0 changed, 0 unchanged"), "{}", check.main());
    confirm(&app, &cookie, &check).await;
    let import = ObservationSource::Import;
    assert_eq!(
        stored(&app, MEA_TOTAL_CRIME).await,
        [
            (String::from("2022-04"), String::from("E08000025"), 210.0, import),
            (String::from("2022-05"), String::new(), 498.5, import),
        ]
    );
}

#[tokio::test]
async fn viewers_read_the_page_but_cannot_upload_or_confirm() {
    let (app, cookie) = editor().await;
    let check = upload(&app, &cookie, "figures.csv", FIGURES.as_bytes()).await;
    let token = token_of(&check);

    let viewer = app.signed_in(Role::Viewer).await;
    let page = app.get(PAGE, Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Upload and check"), "no upload form for a viewer");
    assert_eq!(app.get(&format!("{PAGE}/template.csv"), Some(&viewer)).await.status, StatusCode::OK);

    assert_eq!(upload(&app, &viewer, "figures.csv", FIGURES.as_bytes()).await.status, StatusCode::FORBIDDEN);
    let confirmed = app.post_form(&format!("{PAGE}/confirm"), &format!("token={token}"), Some(&viewer)).await;
    assert_eq!(confirmed.status, StatusCode::FORBIDDEN);
    assert!(stored(&app, MEA_TOTAL_CRIME).await.is_empty());

    // Another editor cannot confirm rows someone else checked: they are sent to upload.
    app.user("other-editor", Role::Editor).await;
    let other = app.sign_in("other-editor", common::PASSWORD).await.expect("sign in");
    let theirs = app.post_form(&format!("{PAGE}/confirm"), &format!("token={token}&body={BODY}"), Some(&other)).await;
    assert_eq!(theirs.status, StatusCode::SEE_OTHER);
    assert_eq!(theirs.location(), Some(format!("{PAGE}?body={BODY}&expired=yes").as_str()));
    assert!(stored(&app, MEA_TOTAL_CRIME).await.is_empty());
}

// ---------------------------------------------------------------------------------------
// A small XLSX workbook, written here: the web crate has no spreadsheet writer, and an
// XLSX file is a zip archive of a few XML parts, which calamine reads stored uncompressed.
// ---------------------------------------------------------------------------------------

enum Cell {
    Text(&'static str),
    Number(f64),
}

/// A workbook of one sheet, `Figures`, holding `rows` from cell A1; text as inline
/// strings, so no shared-strings part is needed.
fn xlsx(rows: &[&[Cell]]) -> Vec<u8> {
    let mut sheet = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
         <worksheet xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\"><sheetData>",
    );
    for (r, cells) in rows.iter().enumerate() {
        sheet.push_str(&format!("<row r=\"{}\">", r + 1));
        for (c, cell) in cells.iter().enumerate() {
            let at = format!("{}{}", char::from(b'A' + c as u8), r + 1);
            match cell {
                Cell::Text("") => {}
                Cell::Text(text) => {
                    sheet.push_str(&format!("<c r=\"{at}\" t=\"inlineStr\"><is><t>{text}</t></is></c>"))
                }
                Cell::Number(n) => sheet.push_str(&format!("<c r=\"{at}\"><v>{n}</v></c>")),
            }
        }
        sheet.push_str("</row>");
    }
    sheet.push_str("</sheetData></worksheet>");
    let relationship = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    let parts: [(&str, String); 5] = [
        (
            "[Content_Types].xml",
            String::from(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
                 <Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
                 <Default Extension=\"xml\" ContentType=\"application/xml\"/>\
                 <Override PartName=\"/xl/workbook.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml\"/>\
                 <Override PartName=\"/xl/worksheets/sheet1.xml\" \
                 ContentType=\"application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml\"/>\
                 </Types>",
            ),
        ),
        (
            "_rels/.rels",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{relationship}/officeDocument\" Target=\"xl/workbook.xml\"/>\
                 </Relationships>"
            ),
        ),
        (
            "xl/workbook.xml",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" xmlns:r=\"{relationship}\">\
                 <sheets><sheet name=\"Figures\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>"
            ),
        ),
        (
            "xl/_rels/workbook.xml.rels",
            format!(
                "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\
                 <Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
                 <Relationship Id=\"rId1\" Type=\"{relationship}/worksheet\" Target=\"worksheets/sheet1.xml\"/>\
                 </Relationships>"
            ),
        ),
        ("xl/worksheets/sheet1.xml", sheet),
    ];
    stored_zip(&parts)
}

/// The CRC-32 (IEEE 802.3, reflected) each zip entry carries.
fn checksum(bytes: &[u8]) -> u32 {
    let mut crc = u32::MAX;
    for &byte in bytes {
        crc ^= u32::from(byte);
        for _ in 0..8 {
            let mask = (crc & 1).wrapping_neg();
            crc = (crc >> 1) ^ (0xEDB8_8320 & mask);
        }
    }
    !crc
}

/// A zip archive of uncompressed entries: each local header and its data, then the
/// central directory naming where each starts, then the end record.
fn stored_zip(entries: &[(&str, String)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut directory = Vec::new();
    for (name, data) in entries {
        let offset = out.len() as u32;
        let (crc, size) = (checksum(data.as_bytes()), data.len() as u32);
        // Version 2.0, no flags, stored, a zero time and 1 January 1980.
        let fixed = |with: &mut Vec<u8>| {
            for half in [20u16, 0, 0, 0, 0x21] {
                with.extend_from_slice(&half.to_le_bytes());
            }
            for word in [crc, size, size] {
                with.extend_from_slice(&word.to_le_bytes());
            }
            with.extend_from_slice(&(name.len() as u16).to_le_bytes());
            with.extend_from_slice(&0u16.to_le_bytes());
        };
        out.extend_from_slice(b"PK\x03\x04");
        fixed(&mut out);
        out.extend_from_slice(name.as_bytes());
        out.extend_from_slice(data.as_bytes());
        directory.extend_from_slice(b"PK\x01\x02");
        directory.extend_from_slice(&20u16.to_le_bytes());
        fixed(&mut directory);
        // No comment, disk 0, no internal or external attributes, then where the entry starts.
        directory.extend_from_slice(&[0; 10]);
        directory.extend_from_slice(&offset.to_le_bytes());
        directory.extend_from_slice(name.as_bytes());
    }
    let start = out.len() as u32;
    out.extend_from_slice(&directory);
    out.extend_from_slice(b"PK\x05\x06");
    let count = entries.len() as u16;
    for half in [0u16, 0, count, count] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    out.extend_from_slice(&start.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}
