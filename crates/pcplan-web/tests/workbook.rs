//! The XLSX workbook of a plan's measures, observations, milestones and grants, opened
//! and checked the way a spreadsheet would read it: calamine reads the cells back (a
//! date is a date cell, money and figures are numbers, one row per record) and the
//! workbook's own XML says the header is bold and frozen, every sheet has a filter and
//! the dates and money carry their number formats. Staff get the plan they monitor with
//! every figure and the latest statuses; the public get a published version with only
//! what the public pages show; a version that is not public is a 404.

mod common;

use std::io::Cursor;

use axum::http::StatusCode;
use calamine::{Data, Range, Reader, Xlsx};
use chrono::NaiveDate;
use common::{TestApp, TestResponse, zip_part};
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MS_ESTATES};
use pcplan_domain::rollup::StatusUpdate;
use pcplan_domain::{Plan, Record, RecordKind, Status, UpdateId};
use pcplan_store::{Actor, NewObservation, ObservationSource, Role};

/// Birmingham, one of the demo body's areas.
const BIRMINGHAM: &str = "E08000025";

const SHEETS: [&str; 4] = ["Measures", "Observations", "Milestones", "Grants"];

/// The workbook of a download, checked as a download.
fn opened(response: &TestResponse) -> Xlsx<Cursor<Vec<u8>>> {
    assert_eq!(response.status, StatusCode::OK, "{}", response.body);
    assert_eq!(
        response.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(response.header("content-disposition").is_some_and(|d| d.starts_with("attachment; filename=\"")));
    Xlsx::new(Cursor::new(response.bytes.clone())).expect("an XLSX workbook")
}

fn sheet(workbook: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    workbook.worksheet_range(name).unwrap_or_else(|e| panic!("sheet {name}: {e}"))
}

/// The header row as text.
fn headers(range: &Range<Data>) -> Vec<String> {
    range.rows().next().expect("a header row").iter().map(|c| c.to_string()).collect()
}

/// The column of a header.
fn column(range: &Range<Data>, header: &str) -> usize {
    headers(range).iter().position(|h| h == header).unwrap_or_else(|| panic!("no column {header}"))
}

/// The date a date cell holds (Excel's serial day, from 30 December 1899).
fn date_of(cell: &Data) -> NaiveDate {
    let Data::DateTime(value) = cell else { panic!("not a date cell: {cell:?}") };
    assert!(value.is_datetime(), "{value:?}");
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30).expect("a date");
    epoch + chrono::Days::new(value.as_f64().floor() as u64)
}

fn count(plan: &Plan, kind: RecordKind) -> usize {
    plan.items.iter().filter(|i| i.record.kind() == kind).count()
}

/// Figures of total recorded crime: three months force-wide, one for Birmingham.
async fn figures(app: &TestApp) {
    let row = |period: &str, area: &str, value: f64| NewObservation {
        period: period.to_string(),
        period_start: period.parse::<pcplan_domain::period::Period>().expect("a month").start(),
        area_code: area.to_string(),
        value,
        numerator: None,
        denominator: None,
        note: String::from("checked by the analyst"),
    };
    let rows = [
        row("2022-04", "", 9050.0),
        row("2022-05", "", 8700.5),
        row("2022-06", "", 9100.0),
        row("2022-04", BIRMINGHAM, 3100.0),
    ];
    app.store
        .record_observations(&Actor::system("test"), BODY, MEA_TOTAL_CRIME, ObservationSource::Import, &rows)
        .await
        .expect("observations");
}

#[tokio::test]
async fn staff_download_the_monitored_plan_as_four_sheets_of_typed_cells() {
    let app = TestApp::with_demo().await;
    figures(&app).await;
    let today = pcplan_web::today();
    let update = StatusUpdate {
        date: today,
        status: Status::Complete,
        commentary: String::new(),
        evidence: None,
        by: String::from("Chief Inspector A. Khan"),
    };
    let actor = Actor::system("test");
    app.store.add_status_update(&actor, BODY, MS_ESTATES, UpdateId::new(), &update, today).await.expect("update");
    let viewer = app.signed_in(Role::Viewer).await;

    let dashboard = app.get("/staff/performance", Some(&viewer)).await;
    assert!(dashboard.body.contains(&pcplan_web::workbook::staff_href(BODY)), "the dashboard links to the workbook");
    let response = app.get(&pcplan_web::workbook::staff_href(BODY), Some(&viewer)).await;
    assert_eq!(response.header("cache-control"), Some("no-store"));
    let mut workbook = opened(&response);
    assert_eq!(workbook.sheet_names(), SHEETS);

    // The plan monitored is the version in force.
    let plan_id = pcplan_demo::ids::PLAN;
    let versions = app.store.versions(plan_id).await.expect("versions");
    let current = versions.iter().filter(|v| v.kind.is_public()).map(|v| v.number).max().expect("a version in force");
    let plan = app.store.version(plan_id, current).await.expect("read").expect("the version").plan;

    let measures = sheet(&mut workbook, "Measures");
    assert_eq!(headers(&measures)[..4], ["Measure", "Definition", "Unit", "Which way is better"]);
    assert_eq!(measures.height(), 1 + count(&plan, RecordKind::Measure));

    let observations = sheet(&mut workbook, "Observations");
    assert_eq!(observations.height(), 1 + 4, "one row per observation");
    assert_eq!(
        headers(&observations),
        [
            "Measure",
            "Period",
            "Period start",
            "Area code",
            "Area",
            "Value",
            "Unit",
            "Numerator",
            "Denominator",
            "Source",
            "Note",
            "Recorded by",
            "Recorded at (UTC)"
        ]
    );
    let first = observations.rows().nth(1).expect("a first observation");
    assert_eq!(
        date_of(&first[column(&observations, "Period start")]),
        NaiveDate::from_ymd_opt(2022, 4, 1).expect("a date")
    );
    assert_eq!(first[column(&observations, "Value")], Data::Float(9050.0), "a figure is a number");
    assert_eq!(first[column(&observations, "Area")], Data::String(String::from("Whole force area")));
    assert!(matches!(first[column(&observations, "Recorded at (UTC)")], Data::DateTime(_)));
    assert_eq!(first[column(&observations, "Note")], Data::String(String::from("checked by the analyst")));
    let last = observations.rows().next_back().expect("the last observation");
    assert_eq!(last[column(&observations, "Area")], Data::String(String::from("Birmingham")), "areas after the force");

    let milestones = sheet(&mut workbook, "Milestones");
    assert_eq!(headers(&milestones), ["Milestone", "Part of", "Due", "Status"]);
    assert_eq!(milestones.height(), 1 + count(&plan, RecordKind::Milestone));
    let estates = plan.item(MS_ESTATES).expect("the estates milestone");
    let Record::Milestone(m) = &estates.record else { panic!("a milestone") };
    let row = milestones.rows().find(|r| r[0] == Data::String(m.title.clone())).expect("the estates row");
    assert_eq!(date_of(&row[2]), m.due, "a due date is a date cell");
    assert_eq!(row[3], Data::String(String::from("Complete")), "staff see the latest status update");

    let grants = sheet(&mut workbook, "Grants");
    assert_eq!(headers(&grants), ["Recipient", "Purpose", "Financial year", "Amount", "Conditions"]);
    assert_eq!(grants.height(), 1 + count(&plan, RecordKind::Grant));
    assert!(grants.height() > 1 && milestones.height() > 1 && measures.height() > 1, "the demo has all three");
    let amounts: Vec<f64> = plan
        .items
        .iter()
        .filter_map(|i| match &i.record {
            Record::Grant(g) => Some(g.amount.0 as f64 / 100.0),
            _ => None,
        })
        .collect();
    let shown: Vec<f64> = grants
        .rows()
        .skip(1)
        .map(|r| match r[3] {
            Data::Float(pounds) => pounds,
            ref other => panic!("an amount is a number: {other:?}"),
        })
        .collect();
    assert_eq!(shown, amounts, "money is a number of pounds");

    // The package itself: number formats, a bold frozen header and a filter per sheet.
    let styles = zip_part(&response.bytes, "xl/styles.xml");
    assert!(styles.contains("formatCode=\"dd/mm/yyyy\""), "{styles}");
    assert!(styles.contains("formatCode=\"£#,##0.00\""), "{styles}");
    assert!(styles.contains("<b/>"), "a bold font for the header: {styles}");
    for n in 1..=4 {
        let xml = zip_part(&response.bytes, &format!("xl/worksheets/sheet{n}.xml"));
        assert!(xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""), "sheet {n} freezes its header");
        assert!(xml.contains("<autoFilter ref=\"A1:"), "sheet {n} has a filter");
        assert!(xml.contains("<col "), "sheet {n} sets its widths");
    }
}

#[tokio::test]
async fn the_public_download_is_the_published_version_with_only_what_the_public_sees() {
    let app = TestApp::with_demo().await;
    figures(&app).await;
    let peer = pcplan_domain::peer::Peer {
        code: String::from("staffs"),
        name: String::from("Staffordshire Police"),
        kind: pcplan_domain::peer::PeerKind::Force,
        population: None,
        note: String::new(),
    };
    let actor = Actor::system("test");
    app.store.save_peer(&actor, BODY, peer).await.expect("peer");
    let peer_figure = NewObservation {
        period: String::from("2022-04"),
        period_start: NaiveDate::from_ymd_opt(2022, 4, 1).expect("a date"),
        area_code: String::from("staffs"),
        value: 5000.0,
        numerator: None,
        denominator: None,
        note: String::new(),
    };
    app.store
        .record_observations(&actor, BODY, MEA_TOTAL_CRIME, ObservationSource::Manual, &[peer_figure])
        .await
        .expect("a peer's figure");

    let page = app.get("/plan", None).await;
    let versions = app.store.versions(pcplan_demo::ids::PLAN).await.expect("versions");
    let current = versions.iter().filter(|v| v.kind.is_public()).map(|v| v.number).max().expect("in force");
    let href = pcplan_web::workbook::public_href("", current.0);
    assert!(page.body.contains(&href), "the plan page links to its version's workbook");
    let response = app.get(&href, None).await;
    assert!(response.header("cache-control").is_none_or(|c| c != "no-store"));
    let mut workbook = opened(&response);
    assert_eq!(workbook.sheet_names(), SHEETS);

    let observations = sheet(&mut workbook, "Observations");
    let header = headers(&observations);
    assert!(!header.iter().any(|h| h == "Note" || h == "Recorded by"), "no notes or names: {header:?}");
    assert_eq!(observations.height(), 1 + 4, "the force's and Birmingham's figures, not the peer's");
    assert!(!observations.rows().any(|r| r.iter().any(|c| c.to_string().contains("Staffordshire"))));

    let version = app.store.version(pcplan_demo::ids::PLAN, current).await.expect("read").expect("version");
    let milestones = sheet(&mut workbook, "Milestones");
    assert_eq!(milestones.height(), 1 + count(&version.plan, RecordKind::Milestone));
    let grants = sheet(&mut workbook, "Grants");
    assert_eq!(grants.height(), 1 + count(&version.plan, RecordKind::Grant));

    // An earlier public version has its own workbook; a draft has none.
    let draft = versions.iter().find(|v| !v.kind.is_public()).expect("the demo has a version that is not public");
    let refused = app.get(&pcplan_web::workbook::public_href("", draft.number.0), None).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get(&pcplan_web::workbook::public_href("", 99), None).await.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_staff_workbook_is_refused_to_the_public() {
    let app = TestApp::with_demo().await;
    let anonymous = app.get(&pcplan_web::workbook::staff_href(BODY), None).await;
    assert_eq!(anonymous.status, StatusCode::SEE_OTHER);
    assert!(anonymous.location().is_some_and(|l| l.starts_with("/sign-in")));
}
