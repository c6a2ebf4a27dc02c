//! The board performance report through HTTP, on the demo plan (West Midlands, its
//! varied version in force): the report for a chosen period shows everything as it stood
//! at the period's end (a later figure or status update never leaks back), lists as
//! exceptions only a deterioration the control chart signals, a red grade and overdue
//! milestones, prints the same as a PDF with its charts, and is attached to a meeting as
//! a draft paper by editors only.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::{TestApp, TestResponse};
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MEA_VICTIM_SATISFACTION, MS_ESTATES};
use pcplan_domain::grade::GradeEntry;
use pcplan_domain::period::Period;
use pcplan_domain::plan::Status;
use pcplan_domain::rollup::StatusUpdate;
use pcplan_domain::{MeetingId, UpdateId};
use pcplan_store::{Actor, NewObservation, ObservationSource, Role};

const REPORT: &str = "/staff/performance/report";

/// Monthly whole-force figures of total recorded crime from April 2022: eight months
/// whose last (November, 95) is beyond the upper process limit of the series.
async fn monthly_figures(app: &TestApp) {
    let values = [52.0, 47.0, 60.0, 55.0, 49.0, 58.0, 51.0, 95.0];
    let mut period: Period = "2022-04".parse().expect("a month");
    let mut rows = Vec::new();
    for value in values {
        rows.push(NewObservation {
            period: period.to_string(),
            period_start: period.start(),
            area_code: String::new(),
            value,
            numerator: None,
            denominator: None,
            note: String::new(),
        });
        period = period.next().expect("a next month");
    }
    app.store
        .record_observations(&Actor::system("test"), BODY, MEA_TOTAL_CRIME, ObservationSource::Import, &rows)
        .await
        .expect("observations");
}

async fn grade_red(app: &TestApp, period: &str, narrative: &str) {
    let entry = GradeEntry {
        period: period.parse().expect("a period"),
        grade: String::from("red"),
        narrative: narrative.to_string(),
    };
    app.store
        .record_grade(&Actor::system("test"), BODY, MEA_VICTIM_SATISFACTION, "Red, Amber, Green", &entry)
        .await
        .expect("grade");
}

async fn late_update(app: &TestApp, on: NaiveDate, commentary: &str) {
    let update = StatusUpdate {
        date: on,
        status: Status::Late,
        commentary: commentary.to_string(),
        evidence: None,
        by: String::from("Estates lead"),
    };
    app.store
        .add_status_update(&Actor::system("test"), BODY, MS_ESTATES, UpdateId::new(), &update, on)
        .await
        .expect("update");
}

fn report_path(period: &str) -> String {
    format!("{REPORT}?body={BODY}&period={}", period.replace('/', "%2F").replace(' ', "+"))
}

async fn report(app: &TestApp, cookie: &str, period: &str) -> TestResponse {
    let page = app.get(&report_path(period), Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    page
}

/// The part of `body` from `start` to the end of the table it is in.
fn table_from<'a>(body: &'a str, start: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("`{start}` in the page"));
    let rest = &body[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn the_report_shows_the_period_as_it_stood_with_only_real_exceptions() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    monthly_figures(&app).await;
    grade_red(&app, "2022/23 Q3", "Satisfaction fell to 61% against a target of 85%.").await;
    late_update(&app, NaiveDate::from_ymd_opt(2022, 11, 15).expect("a date"), "The sale of two stations fell through")
        .await;

    // Q3 (October to December 2022): November's 95 signals; the red grade and the late
    // milestone are there.
    let q3 = report(&app, &cookie, "2022/23 Q3").await;
    let main = q3.main();
    assert!(main.contains("Performance report: West Midlands"), "{main}");
    assert!(main.contains("as it stood on 31 December 2022"), "{main}");
    let exceptions = table_from(main, "id=\"exceptions-table\"");
    assert!(exceptions.contains("Significant deterioration") && exceptions.contains("Total recorded crime"));
    assert!(exceptions.contains("November 2022: 95 crimes"), "{exceptions}");
    assert!(exceptions.contains("Graded red") && exceptions.contains("Satisfaction fell to 61%"), "{exceptions}");
    assert!(exceptions.contains("Milestone overdue"), "{exceptions}");
    assert!(main.contains("The sale of two stations fell through (Estates lead, 15 November 2022)"), "{main}");
    let svg = &main[main.find("<svg").expect("the measure's chart")..];
    assert!(svg.contains("<title id=\"report-") && svg.contains("Total recorded crime: whole force area</title>"));
    assert!(main.contains("Significant improvement at the latest point"));

    // Q2 (July to September 2022): the series ends at September (58), no signal; the
    // grade for Q3 and the November update did not exist yet.
    let q2 = report(&app, &cookie, "2022/23 Q2").await;
    let main = q2.main();
    assert!(main.contains("as it stood on 30 September 2022"), "{main}");
    assert!(main.contains("September 2022</strong>: 58 crimes"), "{main}");
    assert!(!main.contains("November 2022"), "nothing after the period leaks back: {main}");
    assert!(!main.contains("Satisfaction fell to 61%"), "{main}");
    assert!(!main.contains("The sale of two stations fell through"), "{main}");
    let exceptions = table_from(main, "id=\"exceptions-table\"");
    assert!(!exceptions.contains("Significant deterioration"), "{exceptions}");
    // Viewers read the report but get no form to attach it.
    assert!(!main.contains("Attach the report"));

    // A period that is not one is refused beside its field.
    let bad = app.get(&report_path("2022 Q9"), Some(&cookie)).await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"period-error\""), "{}", bad.main());
}

/// The text of a PDF, by `pdftotext -layout`.
fn pdf_text_of(bytes: &[u8]) -> String {
    common::pdf_text(bytes, &["-layout"]).expect("pdftotext (poppler-utils) is installed")
}

#[tokio::test]
async fn the_pdf_says_what_the_page_says_and_attaches_to_a_meeting_as_a_draft_paper() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    monthly_figures(&app).await;
    grade_red(&app, "2022/23 Q3", "Satisfaction fell to 61% against a target of 85%.").await;

    let pdf_path = report_path("2022/23 Q3").replace(REPORT, "/staff/performance/report.pdf");
    let pdf = app.get(&pdf_path, Some(&editor)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.header("content-type"), Some("application/pdf"));
    assert!(pdf.header("content-disposition").is_some_and(|d| d.contains("performance-report-2022-23-q3.pdf")));
    let text = pdf_text_of(&pdf.bytes);
    for expected in [
        "Performance report: West Midlands",
        "Exceptions",
        "Significant deterioration",
        "Satisfaction fell to 61%",
        "Total recorded crime: whole force area",
        "Process limits (24.6 to 92.2)",
        "Upper",
    ] {
        assert!(text.contains(expected), "`{expected}` in the PDF:\n{text}");
    }

    // The board meeting the report goes to.
    let meeting = app
        .store
        .schedule_meeting(
            &Actor::system("test"),
            MeetingId::new(),
            BODY,
            "Strategic Policing and Crime Board",
            NaiveDate::from_ymd_opt(2023, 1, 24).expect("a date"),
        )
        .await
        .expect("a meeting")
        .id;

    // A viewer may not attach it; an editor must choose a meeting.
    let viewer = app.signed_in(Role::Viewer).await;
    let form = |meeting: &str| {
        format!("body={BODY}&period=2022%2F23+Q3&meeting={meeting}&agenda_item=&title=Performance+report+Q3")
    };
    let refused = app.post_form("/staff/performance/report/attach", &form(&meeting.to_string()), Some(&viewer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let no_meeting = app.post_form("/staff/performance/report/attach", &form(""), Some(&editor)).await;
    assert_eq!(no_meeting.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_meeting.body.contains("Choose the meeting to attach the report to"), "{}", no_meeting.main());
    let papers_before = app.store.papers(meeting).await.expect("papers").len();

    let attached = app.post_form("/staff/performance/report/attach", &form(&meeting.to_string()), Some(&editor)).await;
    assert_eq!(attached.status, StatusCode::SEE_OTHER, "{}", attached.body);
    assert_eq!(attached.location(), Some(format!("/staff/meetings/{meeting}?done=uploaded").as_str()));
    let papers = app.store.papers(meeting).await.expect("papers");
    assert_eq!(papers.len(), papers_before + 1);
    let paper = papers.iter().find(|p| p.title == "Performance report Q3").expect("the new paper");
    assert!(paper.published_at.is_none(), "attached as a draft");
    assert_eq!(paper.file_name, "performance-report-2022-23-q3.pdf");
}
