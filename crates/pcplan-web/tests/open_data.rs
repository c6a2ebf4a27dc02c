//! Open data over HTTP: the zip holds exactly the README and a CSV and a JSON of each
//! file; each CSV's header is the README's columns for that file and each JSON has as
//! many records as its CSV, typed as the README says; drafts, unsigned decisions, exempt
//! or unpublished papers, unpublished answers and unpublished themes stay out until they
//! are published; a formula-looking title is guarded in the CSV and exact in the JSON;
//! the same data gives the same bytes; each file downloaded alone is its member of the
//! zip; and an unknown file is a 404.

mod common;

use std::collections::BTreeMap;
use std::io::Read as _;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::TestApp;
use pcplan_domain::decision::{Confidentiality, DecisionContent, Signature};
use pcplan_domain::plan::{Ambition, Direction, Frequency, Measure, Polarity, Section};
use pcplan_domain::{DecisionId, Item, ItemId, PaperId, Record, VersionKind};
use pcplan_store::{Actor, NewObservation, NewPaper, ObservationSource};

/// The members of the zip, in this order.
const MEMBERS: [&str; 23] = [
    "README.md",
    "plan_versions.csv",
    "plan_versions.json",
    "plan_elements.csv",
    "plan_elements.json",
    "measures.csv",
    "measures.json",
    "observations.csv",
    "observations.json",
    "decisions.csv",
    "decisions.json",
    "meetings.csv",
    "meetings.json",
    "papers.csv",
    "papers.json",
    "panel_recommendations.csv",
    "panel_recommendations.json",
    "panel_responses.csv",
    "panel_responses.json",
    "grants.csv",
    "grants.json",
    "consultation_themes.csv",
    "consultation_themes.json",
];

fn actor() -> Actor {
    Actor::system("open data test")
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// The zip's members by name, in the zip's order.
fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    let mut members = Vec::new();
    for index in 0..archive.len() {
        let mut file = archive.by_index(index).expect("a member");
        let mut content = Vec::new();
        file.read_to_end(&mut content).expect("read a member");
        members.push((file.name().expect("a UTF-8 name").to_string(), content));
    }
    members
}

fn member<'a>(members: &'a [(String, Vec<u8>)], name: &str) -> &'a [u8] {
    members.iter().find(|(n, _)| n == name).map(|(_, b)| b.as_slice()).unwrap_or_else(|| panic!("no {name}"))
}

fn text(bytes: &[u8]) -> &str {
    std::str::from_utf8(bytes).expect("UTF-8")
}

/// A CSV file read back with the importer's reader: the header and the rows' cells.
fn csv(name: &str, bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let options = pcplan_import::ReadOptions {
        header_row: Some(1),
        delimiter: Some(b','),
        ..pcplan_import::ReadOptions::default()
    };
    let table = pcplan_import::read(name, bytes, &options, &mut |_| {}).expect("the CSV reads back");
    (table.headers, table.rows.into_iter().map(|r| r.cells).collect())
}

fn json(bytes: &[u8]) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let value: serde_json::Value = serde_json::from_slice(bytes).expect("JSON");
    value.as_array().expect("an array").iter().map(|row| row.as_object().expect("an object per row").clone()).collect()
}

/// The README's columns for each file: `## name: Title` then a table whose rows start
/// with the column name in backticks, and its type.
fn readme_columns(readme: &str) -> BTreeMap<String, Vec<(String, String)>> {
    let mut files = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in readme.lines() {
        if let Some(heading) = line.strip_prefix("## ") {
            current = heading.split_once(':').map(|(name, _)| name.to_string());
            continue;
        }
        if let (Some(file), Some(rest)) = (&current, line.strip_prefix("| `")) {
            let (name, rest) = rest.split_once("` | ").expect("a column row");
            let kind = rest.split(" | ").next().expect("a type").to_string();
            files.entry(file.clone()).or_insert_with(Vec::new).push((name.to_string(), kind));
        }
    }
    files
}

/// Whether a JSON value has the README's type (or is null, an empty cell).
fn has_type(value: &serde_json::Value, kind: &str) -> bool {
    value.is_null()
        || match kind {
            "integer" => value.is_i64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            "date" => value.as_str().is_some_and(|s| NaiveDate::parse_from_str(s, "%Y-%m-%d").is_ok()),
            "text" => value.is_string(),
            other => panic!("the README names an unknown type {other}"),
        }
}

async fn zip_of(app: &TestApp, path: &str) -> Vec<(String, Vec<u8>)> {
    let response = app.get(path, None).await;
    assert_eq!(response.status, StatusCode::OK, "{path}: {}", response.body);
    assert_eq!(response.header("content-type"), Some("application/zip"));
    assert_eq!(response.header("content-disposition"), Some("attachment; filename=\"open-data.zip\""));
    unzip(&response.bytes)
}

/// The rows of one CSV of the site's zip, read back.
async fn rows_of(app: &TestApp, file: &str) -> Vec<Vec<String>> {
    let members = zip_of(app, "/open-data.zip").await;
    csv(file, member(&members, file)).1
}

fn decision_content(title: &str) -> DecisionContent {
    let mut content = pcplan_demo::decisions::decision_018_2013().content;
    content.title = title.to_string();
    content.plan = None;
    content.note = String::new();
    content
}

/// Stores a draft decision of the demo body; signs it when `sign`.
async fn decision(app: &TestApp, content: &DecisionContent, sign: bool) -> DecisionId {
    let today = pcplan_web::today();
    let draft = app
        .store
        .create_decision(&actor(), DecisionId::new(), pcplan_demo::ids::BODY, today, content)
        .await
        .expect("draft");
    if sign {
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
        app.store.sign_decision(&actor(), draft.id, &signature, today).await.expect("signed");
    }
    draft.id
}

/// The demo's Panel meeting of 3 February 2014 with its boards and members, held, with
/// an exempt item 7.
async fn meeting(app: &TestApp) {
    // The Panel report's process may have stored the meeting already.
    if app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").is_none() {
        app.store.create_meeting(&actor(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    }
    for board in pcplan_demo::boards::boards() {
        if app.store.board(board.id).await.expect("read").is_some() {
            app.store.update_board(&actor(), &board).await.expect("board");
        } else {
            app.store.create_board(&actor(), &board).await.expect("board");
        }
    }
    for member in pcplan_demo::boards::panel_members() {
        app.store.add_member(&actor(), &member).await.expect("member");
    }
    let stored = app.store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("stored");
    let mut held = pcplan_demo::boards::meeting_held_2014(&stored);
    held.agenda.push(pcplan_domain::meeting::AgendaItem {
        number: String::from("7"),
        title: String::from("Complaint about a named officer"),
        exempt: Some(pcplan_domain::meeting::Exemption { paragraph: 1, reason: String::from("Names the complainant") }),
        late_reason: None,
    });
    app.store.update_meeting(&actor(), &held).await.expect("the meeting's record");
}

/// Uploads an HTML paper for an agenda item; publishes it on 29 January 2014 when `publish`.
async fn paper(app: &TestApp, title: &str, item: &str, publish: bool) -> PaperId {
    let id = PaperId::new();
    let html = format!("<!DOCTYPE html><p>{title}</p>");
    let upload = NewPaper {
        id,
        meeting_id: pcplan_demo::ids::MEETING_2014,
        title,
        agenda_item: Some(item),
        file_name: "paper.html",
        bytes: html.as_bytes(),
        max_bytes: pcplan_domain::paper::DEFAULT_MAX_BYTES,
    };
    app.store.upload_paper(&actor(), &upload).await.expect("upload");
    if publish {
        publish_paper(app, id).await;
    }
    id
}

async fn publish_paper(app: &TestApp, id: PaperId) {
    let on = date(2014, 1, 29);
    let at = on.and_hms_opt(12, 0, 0).expect("a time").and_utc();
    app.store.publish_paper(&actor(), id, at, on).await.expect("publish");
}

/// The demo's Panel report, answered and reviewed; its response published when `publish`.
async fn report(app: &TestApp, publish: bool) {
    use pcplan_demo::report::{PUBLISHED_ON, REPORT_2014, report_2014, response_edits_2014};
    app.with_demo_process(4).await;
    let stored = app.store.create_report(&actor(), REPORT_2014, report_2014(), true).await.expect("report");
    for edit in response_edits_2014(&stored) {
        app.store.edit_report(&actor(), REPORT_2014, edit).await.expect("edit");
    }
    if publish {
        let link = format!("/reports/{REPORT_2014}");
        app.store.publish_response(&actor(), REPORT_2014, PUBLISHED_ON, PUBLISHED_ON, &link).await.expect("publish");
    }
}

/// The tests' consultation (public, themed) with "you said, we did" published.
async fn published_consultation(app: &TestApp) {
    common::consultation::seed(&app.store).await;
    app.store.publish_you_said(&actor(), common::consultation::EXERCISE, &[]).await.expect("publish");
}

/// The demo with a record of every kind the open data publishes.
async fn everything() -> TestApp {
    let app = TestApp::with_demo().await;
    decision(&app, &decision_content("Police and Crime Plan variation 2014"), true).await;
    report(&app, true).await;
    meeting(&app).await;
    paper(&app, "Proposed variations report", "3", true).await;
    published_consultation(&app).await;
    let observation = NewObservation {
        period: String::from("2013-04"),
        period_start: date(2013, 4, 1),
        area_code: String::new(),
        value: 20_512.0,
        numerator: None,
        denominator: None,
        note: String::from("Staff note: not for publication"),
    };
    app.store
        .record_observations(
            &actor(),
            pcplan_demo::ids::BODY,
            pcplan_demo::ids::MEA_TOTAL_CRIME,
            ObservationSource::Manual,
            &[observation],
        )
        .await
        .expect("an observation");
    app
}

#[tokio::test]
async fn the_zip_holds_exactly_the_readme_and_a_csv_and_a_json_of_each_file_in_order() {
    let app = TestApp::with_demo().await;
    let members = zip_of(&app, "/open-data.zip").await;
    let names: Vec<&str> = members.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, MEMBERS);
    // Every entry is dated 1 January 1980, the earliest a zip can hold.
    let bytes = app.get("/open-data.zip", None).await.bytes;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    for index in 0..archive.len() {
        let file = archive.by_index(index).expect("a member");
        let name = file.name().expect("a UTF-8 name").to_string();
        let modified = file.last_modified().expect("a date");
        assert_eq!((modified.year(), modified.month(), modified.day()), (1980, 1, 1), "{name}");
        assert_eq!(file.compression(), zip::CompressionMethod::Deflated, "{name}");
    }
}

#[tokio::test]
async fn each_csv_header_is_the_readmes_columns_and_each_json_has_as_many_records_typed_as_the_readme_says() {
    let app = everything().await;
    let members = zip_of(&app, "/open-data.zip").await;
    let readme = readme_columns(text(member(&members, "README.md")));
    assert_eq!(readme.len(), 11, "one column table per file: {:?}", readme.keys());
    for (file, columns) in &readme {
        let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        let csv_name = format!("{file}.csv");
        let (header, rows) = csv(&csv_name, member(&members, &csv_name));
        assert_eq!(header, names, "{csv_name}'s header is the README's columns");
        assert!(!rows.is_empty(), "{csv_name} has rows with everything stored");
        let json_name = format!("{file}.json");
        let records = json(member(&members, &json_name));
        assert_eq!(records.len(), rows.len(), "{json_name} has a record per row of {csv_name}");
        // Keys in the CSV's order, so the raw text starts with the first column.
        assert!(text(member(&members, &json_name)).starts_with(&format!("[\n{{\"{}\":", names[0])), "{json_name}");
        for (index, record) in records.iter().enumerate() {
            let keys: Vec<&String> = record.keys().collect();
            let mut expected: Vec<&String> = names.iter().collect();
            expected.sort();
            assert_eq!(keys, expected, "{json_name} record {index} has the README's columns as keys");
            for (name, kind) in columns {
                assert!(
                    has_type(&record[name], kind),
                    "{json_name} record {index} `{name}` is not {kind}: {}",
                    record[name]
                );
            }
        }
    }
    // The demo as published: versions 2 (issued) and 4 (varied) only.
    let versions = csv("plan_versions.csv", member(&members, "plan_versions.csv")).1;
    let kinds: Vec<(&str, &str)> = versions.iter().map(|r| (r[1].as_str(), r[2].as_str())).collect();
    assert_eq!(kinds, [("2", "issued"), ("4", "varied")]);
    assert!(versions[1][11].ends_with("/plan/versions/4"), "{:?}", versions[1]);
    let responses = csv("panel_responses.csv", member(&members, "panel_responses.csv")).1;
    assert_eq!(responses.len(), 7, "the seven recommendations answered");
    let observations = text(member(&members, "observations.csv"));
    assert!(observations.contains("20512") && !observations.contains("Staff note"), "{observations}");
}

#[tokio::test]
async fn a_draft_version_stays_out_until_the_plan_is_varied_and_its_measures_figures_with_it() {
    let app = TestApp::with_demo().await;
    let section = Item {
        id: ItemId::new(),
        parent: None,
        serves: Vec::new(),
        illustrative: false,
        record: Record::Section(Section {
            title: String::from("Rural crime: a new section"),
            text: String::new(),
            elements: Vec::new(),
            functions: Vec::new(),
        }),
    };
    let measure = Item {
        id: ItemId::new(),
        parent: None,
        serves: Vec::new(),
        illustrative: false,
        record: Record::Measure(Measure {
            title: String::from("Rural crimes recorded"),
            definition: String::from("Crimes on farms"),
            unit: String::from("crimes"),
            polarity: Polarity::LowerIsBetter,
            baseline: None,
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Monthly,
            data_source: String::from("Force systems"),
            by_area: false,
        }),
    };
    app.store.add_item(&actor(), pcplan_demo::ids::PLAN, &section).await.expect("section");
    app.store.add_item(&actor(), pcplan_demo::ids::PLAN, &measure).await.expect("measure");
    let figure = NewObservation {
        period: String::from("2014-04"),
        period_start: date(2014, 4, 1),
        area_code: String::new(),
        value: 31.0,
        numerator: None,
        denominator: None,
        note: String::new(),
    };
    app.store
        .record_observations(&actor(), pcplan_demo::ids::BODY, measure.id, ObservationSource::Manual, &[figure])
        .await
        .expect("a figure of the draft's measure");
    app.store
        .make_version(&actor(), pcplan_demo::ids::PLAN, VersionKind::VariationDraft, "Variation draft", None)
        .await
        .expect("a variation draft");

    let members = zip_of(&app, "/open-data.zip").await;
    let everything: String = members.iter().map(|(_, b)| text(b)).collect();
    assert!(!everything.contains("Rural crime"), "nothing of the draft is published");
    assert!(!everything.contains(&measure.id.to_string()), "nor its measure's figures");
    assert_eq!(csv("plan_versions.csv", member(&members, "plan_versions.csv")).1.len(), 2);

    app.store
        .make_version(&actor(), pcplan_demo::ids::PLAN, VersionKind::Varied, "Plan as varied", Some(date(2014, 6, 1)))
        .await
        .expect("varied");
    let versions = rows_of(&app, "plan_versions.csv").await;
    assert_eq!(versions.iter().map(|r| r[1].as_str()).collect::<Vec<_>>(), ["2", "4", "6"]);
    let elements = rows_of(&app, "plan_elements.csv").await;
    assert!(elements.iter().any(|r| r[0] == "6" && r[8] == "Rural crime: a new section" && r[2] == "section"));
    let measures = rows_of(&app, "measures.csv").await;
    assert!(measures.iter().any(|r| r[0] == "6" && r[1] == measure.id.to_string() && r[12] == "reduce"));
    let figures = rows_of(&app, "observations.csv").await;
    assert!(figures.iter().any(|r| r[0] == measure.id.to_string() && r[6] == "31" && r[5] == "Whole force area"));
}

#[tokio::test]
async fn a_decision_is_published_once_signed_and_a_confidential_one_as_its_notice_only() {
    let app = TestApp::with_demo().await;
    let draft = decision(&app, &decision_content("Community safety fund 2014"), false).await;
    let mut secret = decision_content("Estates: acquisition");
    secret.confidentiality = Confidentiality::Confidential { exemption: String::from("LGA 1972 Sch 12A para 3") };
    secret.decision = String::from("Buy the building at 1 Secret Street");
    decision(&app, &secret, true).await;

    let rows = rows_of(&app, "decisions.csv").await;
    assert!(!rows.iter().any(|r| r[1] == "Community safety fund 2014"), "a draft is not published");
    let stub = rows.iter().find(|r| r[1] == "Estates: acquisition").expect("the confidential decision's notice");
    assert_eq!(stub[2], "true");
    assert_eq!(stub[3], "LGA 1972 Sch 12A para 3");
    assert!(stub[5..13].iter().all(String::is_empty), "nothing of its body: {stub:?}");
    let members = zip_of(&app, "/open-data.zip").await;
    let everything: String = members.iter().map(|(_, b)| text(b)).collect();
    assert!(!everything.contains("Secret Street"), "the body of a confidential decision is never published");

    let today = pcplan_web::today();
    let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: today };
    app.store.sign_decision(&actor(), draft, &signature, today).await.expect("signed");
    let rows = rows_of(&app, "decisions.csv").await;
    let signed = rows.iter().find(|r| r[1] == "Community safety fund 2014").expect("published once signed");
    assert_eq!((signed[2].as_str(), signed[4].clone(), signed[5].as_str()), ("false", today.to_string(), "Bob Jones"));
}

#[tokio::test]
async fn an_exempt_items_paper_never_appears_and_a_paper_appears_once_published() {
    let app = TestApp::with_demo().await;
    meeting(&app).await;
    let exempt = paper(&app, "Complaint file", "7", true).await;
    let draft = paper(&app, "Work programme 2014", "4", false).await;
    let members = zip_of(&app, "/open-data.zip").await;
    let everything: String = members.iter().map(|(_, b)| text(b)).collect();
    assert!(!everything.contains(&exempt.to_string()) && !everything.contains("Complaint file"));
    assert!(!everything.contains(&draft.to_string()), "an unpublished paper is not listed");
    let meetings = csv("meetings.csv", member(&members, "meetings.csv")).1;
    assert_eq!(meetings.len(), 1);
    assert_eq!((meetings[0][10].as_str(), meetings[0][11].as_str()), ("1", "0"), "one exempt item, no papers yet");

    publish_paper(&app, draft).await;
    let papers = rows_of(&app, "papers.csv").await;
    assert_eq!(papers.len(), 1);
    let row = &papers[0];
    assert_eq!(row[0], draft.to_string());
    assert_eq!((row[2].as_str(), row[3].as_str(), row[5].as_str()), ("4", "Work programme", "html"));
    // Published on 29 January for 3 February: 2 clear working days where 5 were due.
    assert_eq!((row[8].as_str(), row[9].as_str(), row[10].as_str()), ("2014-01-29", "late", "2"));
}

#[tokio::test]
async fn answers_to_the_panel_are_published_only_with_the_response() {
    let app = TestApp::with_demo().await;
    report(&app, false).await;
    let recommendations = rows_of(&app, "panel_recommendations.csv").await;
    assert_eq!(
        recommendations.iter().map(|r| r[5].as_str()).collect::<Vec<_>>(),
        ["R1", "R2", "R3", "R4", "R5", "R6", "R7"]
    );
    assert!(recommendations.iter().all(|r| r[7] == "false"));
    let members = zip_of(&app, "/open-data.zip").await;
    assert_eq!(json(member(&members, "panel_responses.json")).len(), 0, "drafted answers stay out");
    let everything: String = members.iter().map(|(_, b)| text(b)).collect();
    assert!(!everything.contains("adds a commitment to tackle knife crime"), "a draft answer's words");
}

#[tokio::test]
async fn themes_are_published_with_you_said_we_did_and_the_draft_set_never() {
    let app = TestApp::with_demo().await;
    common::consultation::seed(&app.store).await;
    assert!(rows_of(&app, "consultation_themes.csv").await.is_empty(), "not published yet");
    app.store.publish_you_said(&actor(), common::consultation::EXERCISE, &[]).await.expect("publish");
    let themes = rows_of(&app, "consultation_themes.csv").await;
    let named: Vec<(&str, &str, &str)> =
        themes.iter().map(|r| (r[9].as_str(), r[11].as_str(), r[13].as_str())).collect();
    // Version 1, the final set, once: the draft version 2 is not read.
    assert_eq!(
        named,
        [("Visible policing", "4", "undecided"), ("Road safety", "3", "undecided"), ("Victims", "3", "undecided")]
    );
    assert!(themes.iter().all(|r| r[0] == common::consultation::SLUG && r[7] == "12"), "all 12 answered: {themes:?}");
    let members = zip_of(&app, "/open-data.zip").await;
    let everything: String = members.iter().map(|(_, b)| text(b)).collect();
    for (answer, _, _, _) in common::consultation::ANSWERS {
        assert!(!everything.contains(answer), "a respondent's words: {answer}");
    }
}

#[tokio::test]
async fn a_formula_looking_title_is_guarded_in_the_csv_and_exact_in_the_json() {
    let app = TestApp::with_demo().await;
    let title = "=HYPERLINK(\"http://evil.example\",\"Click\")";
    decision(&app, &decision_content(title), true).await;
    let members = zip_of(&app, "/open-data.zip").await;
    let raw = text(member(&members, "decisions.csv"));
    assert!(raw.contains("\"'=HYPERLINK(\"\"http://evil.example\"\",\"\"Click\"\")\""), "{raw}");
    let (_, rows) = csv("decisions.csv", member(&members, "decisions.csv"));
    let row = rows.iter().find(|r| r[1].contains("HYPERLINK")).expect("the decision");
    assert_eq!(row[1], format!("'{title}"));
    assert_eq!(pcplan_import::export::unguard(&row[1]), title);
    let records = json(member(&members, "decisions.json"));
    assert!(records.iter().any(|r| r["title"] == title), "exact in the JSON");
}

#[tokio::test]
async fn the_same_data_downloaded_twice_gives_the_same_bytes_and_each_file_alone_is_its_member() {
    let app = everything().await;
    let first = app.get("/open-data.zip", None).await;
    let second = app.get("/open-data.zip", None).await;
    assert_eq!(first.status, StatusCode::OK);
    assert!(first.bytes == second.bytes, "the zip differs between two downloads");
    for (name, bytes) in unzip(&first.bytes) {
        let alone = app.get(&format!("/open-data/{name}"), None).await;
        assert_eq!(alone.status, StatusCode::OK, "{name}");
        assert_eq!(alone.bytes, bytes, "{name} alone differs from the zip's");
        let expected = match name.rsplit_once('.').map(|(_, e)| e) {
            Some("csv") => "text/csv; charset=utf-8",
            Some("json") => "application/json",
            _ => "text/markdown; charset=utf-8",
        };
        assert_eq!(alone.header("content-type"), Some(expected), "{name}");
    }
    // The site body's data is the same under its own address.
    let under_body = app.get(&format!("/bodies/{}/open-data.zip", pcplan_demo::ids::BODY), None).await;
    assert!(under_body.bytes == first.bytes);
}

#[tokio::test]
async fn an_unknown_file_or_body_is_not_found() {
    let app = TestApp::with_demo().await;
    for path in [
        String::from("/open-data/secrets.csv"),
        String::from("/open-data/plan_versions.xml"),
        String::from("/open-data/..%2FCargo.toml"),
        format!("/bodies/{}/open-data.zip", uuid::Uuid::new_v4()),
        String::from("/bodies/not-a-body/open-data"),
    ] {
        assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
}

#[tokio::test]
async fn another_bodys_open_data_is_its_own() {
    let app = TestApp::with_demo().await;
    for file in pcplan_demo::llr::plan_files() {
        app.store.import_plan(&actor(), &file).await.expect("the second body's plans");
    }
    let base = format!("/bodies/{}", pcplan_demo::ids::LLR_BODY);
    let members = zip_of(&app, &format!("{base}/open-data.zip")).await;
    let versions = csv("plan_versions.csv", member(&members, "plan_versions.csv")).1;
    assert!(!versions.is_empty() && versions.iter().all(|r| r[5] == "Police and Crime Plan 2021-2025"), "{versions:?}");
    assert!(versions.iter().all(|r| r[11].starts_with(&format!("{base}/plan/versions/"))), "{versions:?}");
    assert!(text(member(&members, "README.md")).starts_with("# Open data: Leicester, Leicestershire and Rutland"));
    let page = app.get(&format!("{base}/open-data"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main().contains(&format!("href=\"{base}/open-data.zip\"")), "{}", page.main());
}

#[tokio::test]
async fn the_page_lists_each_file_with_its_rows_and_columns_and_the_zips_size_and_is_linked_from_home() {
    let app = TestApp::with_demo().await;
    let page = app.get("/open-data", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    let size = pcplan_domain::paper::size_label(app.get("/open-data.zip", None).await.bytes.len() as u64);
    assert!(main.contains(&format!("Download all files (ZIP, {size})")), "{main}");
    assert!(main.contains("Open Government Licence v3.0"));
    assert!(main.contains("West Midlands Police and Crime Commissioner publishes these files"));
    for name in MEMBERS.iter().filter(|n| n.ends_with(".csv") || n.ends_with(".json")) {
        assert!(main.contains(&format!("href=\"/open-data/{name}\"")), "{name}");
    }
    assert!(main.contains("href=\"#columns-plan-versions\"") && main.contains("id=\"columns-plan-versions\""));
    assert!(main.contains("<code>content_hash</code>"));
    assert_eq!(main.matches("Versions of the plan</th>").count(), 1, "one row per file");
    assert!(main.contains("<td class=\"govuk-table__cell govuk-table__cell--numeric\">2</td>"), "two public versions");
    let home = app.get("/", None).await;
    assert!(home.main().contains("href=\"/open-data\""), "the home page links to the open data");
    let footer = &home.body[home.body.find("<footer").expect("a footer")..];
    assert!(footer.contains("href=\"/open-data\">Open data</a>"), "and so does every page's footer");
}
