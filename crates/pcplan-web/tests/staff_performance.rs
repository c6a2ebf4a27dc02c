//! The staff performance pages through HTTP, on the demo plan (West Midlands, its varied
//! version in force): police.uk street files uploaded, counted, reported by line and
//! replaced on a second upload; the LSOA lookup loaded and refused by line; a feed that
//! computes a measure; observations typed in (and a bad period refused beside its
//! field); grades; status updates of milestones; the dashboard's overdue milestones and
//! progress; the measure's chart as accessible SVG with its table; and viewers, who
//! read everything but see no form.

mod common;

use std::collections::BTreeMap;

use axum::http::StatusCode;
use common::{TestApp, TestResponse};
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MEA_VICTIM_SATISFACTION, MS_ESTATES, MS_SHARED_ASSESSMENTS, PLAN};
use pcplan_domain::rollup::roll_up;
use pcplan_domain::{ItemId, Plan, RecordKind, Status, VersionNumber};
use pcplan_store::{Actor, NewObservation, ObservationSource, Role};

/// The header of a police.uk street-level file.
const STREET_HEADER: &str = "Crime ID,Month,Reported by,Falls within,Longitude,Latitude,Location,LSOA code,LSOA name,\
                             Crime type,Last outcome category,Context";

/// A police.uk street file of two months. Line 5 has no such month (13), and line 6 is
/// a crime police.uk could not place. January: two burglaries in Birmingham and one
/// anti-social behaviour incident in Coventry; February: a vehicle crime with no
/// location and a violent crime in Coventry.
fn street_file() -> String {
    let id = |n: u32| format!("{n:064x}");
    [
        STREET_HEADER.to_string(),
        format!("{},2022-01,West Midlands Police,West Midlands Police,-1.89,52.48,On or near High Street,E01000001,Birmingham 001A,Burglary,Under investigation,", id(1)),
        format!("{},2022-01,West Midlands Police,West Midlands Police,-1.89,52.48,On or near Park Road,E01000002,Birmingham 002B,Burglary,Suspect charged,", id(2)),
        String::from(",2022-01,West Midlands Police,West Midlands Police,-1.51,52.41,On or near Station Road,E01000003,Coventry 003A,Anti-social behaviour,,"),
        format!("{},2022-13,West Midlands Police,West Midlands Police,-1.51,52.41,On or near Mill Lane,E01000003,Coventry 003A,Burglary,Under investigation,", id(3)),
        format!("{},2022-02,West Midlands Police,West Midlands Police,,,No Location,,,Vehicle crime,Under investigation,", id(4)),
        format!("{},2022-02,West Midlands Police,West Midlands Police,-1.51,52.41,On or near Mill Lane,E01000003,Coventry 003A,Violence and sexual offences,Unable to prosecute suspect,", id(5)),
    ]
    .join("\n")
        + "\n"
}

/// An ONS lookup for the three LSOAs of [`street_file`].
const LOOKUP: &str = "LSOA11CD,LSOA11NM,LAD22CD,LAD22NM\n\
                      E01000001,Birmingham 001A,E08000025,Birmingham\n\
                      E01000002,Birmingham 002B,E08000025,Birmingham\n\
                      E01000003,Coventry 003A,E08000026,Coventry\n";

async fn editor() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    (app, cookie)
}

/// The page a 303 leads to.
async fn follow(app: &TestApp, response: &TestResponse, cookie: &str) -> TestResponse {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.location().expect("a redirect has a location").to_string();
    let page = app.get(&location, Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{location}: {}", page.body);
    page
}

/// The demo's plan in force: version 4, as varied.
async fn plan_in_force(app: &TestApp) -> Plan {
    app.store.version(PLAN, VersionNumber(4)).await.expect("read").expect("version 4").plan
}

fn measure_path(id: ItemId) -> String {
    format!("/staff/performance/measures/{id}")
}

fn status_path(id: ItemId) -> String {
    format!("/staff/performance/items/{id}/status")
}

/// Text as the templates escape it.
fn html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&#34;").replace('\'', "&#39;")
}

/// The part of `body` from `start` to the end of the table it is in.
fn table_from<'a>(body: &'a str, start: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("`{start}` in the page"));
    let rest = &body[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

/// The row of a table whose heading cell holds `label`.
fn row<'a>(table: &'a str, label: &str) -> &'a str {
    let from = table.find(label).unwrap_or_else(|| panic!("row `{label}` in {table}"));
    let rest = &table[from..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

async fn upload_street_file(app: &TestApp, cookie: &str) -> TestResponse {
    let (file, body) = (street_file(), BODY.to_string());
    let parts: [(&str, Option<&str>, &[u8]); 2] =
        [("body", None, body.as_bytes()), ("files", Some("2022-01-west-midlands-street.csv"), file.as_bytes())];
    app.post_multipart("/staff/performance/crime", &parts, Some(cookie)).await
}

/// Crimes stored per month.
async fn stored_months(app: &TestApp) -> BTreeMap<String, i64> {
    app.store.crime_months(BODY).await.expect("months").into_iter().map(|m| (m.month, m.crimes)).collect()
}

#[tokio::test]
async fn street_files_are_counted_bad_rows_named_by_line_and_a_second_upload_replaces_the_months() {
    let (app, cookie) = editor().await;
    let empty = app.get("/staff/performance/crime", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.body.contains("No crime data has been uploaded yet"));

    let first = upload_street_file(&app, &cookie).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let main = first.main();
    assert!(main.contains("5 crimes and incidents counted"), "{main}");
    assert!(main.contains("2 months added, 0 replaced"), "{main}");
    assert!(
        main.contains("January 2022 (West Midlands Police)") && main.contains("February 2022 (West Midlands Police)")
    );
    assert!(
        main.contains("2022-01-west-midlands-street.csv:5: `Month` is `2022-13`; expected a month written YYYY-MM"),
        "the bad row is named by file and line: {main}"
    );
    // The upload folder never shows.
    assert!(!main.contains("pcplan-crime-"), "{main}");
    assert_eq!(stored_months(&app).await, BTreeMap::from([(String::from("2022-01"), 3), (String::from("2022-02"), 2)]));

    let second = upload_street_file(&app, &cookie).await;
    assert_eq!(second.status, StatusCode::OK, "{}", second.body);
    assert!(second.main().contains("0 months added, 2 replaced"), "{}", second.main());
    assert_eq!(
        stored_months(&app).await,
        BTreeMap::from([(String::from("2022-01"), 3), (String::from("2022-02"), 2)]),
        "the months are replaced, not added to"
    );

    let page = app.get("/staff/performance/crime", Some(&cookie)).await;
    let months = table_from(&page.body, "id=\"months-table\"");
    assert!(row(months, "January 2022").contains("West Midlands Police"), "{months}");
}

#[tokio::test]
async fn a_feed_set_on_a_measure_computes_its_figures_from_the_stored_months() {
    let (app, cookie) = editor().await;
    assert_eq!(upload_street_file(&app, &cookie).await.status, StatusCode::OK);
    let set = app
        .post_form(&format!("{}/feed", measure_path(MEA_TOTAL_CRIME)), "feed_kind=crimes&crime_type=", Some(&cookie))
        .await;
    let page = follow(&app, &set, &cookie).await;
    assert!(page.body.contains("Feed saved"));
    assert!(page.main().contains("Computed from police.uk data"));

    let got: BTreeMap<(String, String), (f64, ObservationSource)> = app
        .store
        .observations(MEA_TOTAL_CRIME)
        .await
        .expect("observations")
        .into_iter()
        .map(|o| ((o.period, o.area_code), (o.value, o.source)))
        .collect();
    // Anti-social behaviour is left out; the crime with no location counts force-wide only.
    let computed = ObservationSource::Computed;
    assert_eq!(
        got,
        BTreeMap::from([
            ((String::from("2022-01"), String::new()), (2.0, computed)),
            ((String::from("2022-01"), String::from("E08000025")), (2.0, computed)),
            ((String::from("2022-02"), String::new()), (2.0, computed)),
            ((String::from("2022-02"), String::from("E08000026")), (1.0, computed)),
        ])
    );

    // By area, with rates per 1,000 residents once a population table is loaded (small
    // populations here, so the rates are easy to check: 2 burglaries among 1,000).
    let populations = [("E08000025", "Birmingham", 1_000), ("E08000026", "Coventry", 500)].map(|(code, name, n)| {
        pcplan_store::Population { code: code.into(), name: name.into(), population: n, source: String::from("Test") }
    });
    app.store.load_populations(&Actor::system("test"), BODY, &populations).await.expect("populations");
    let page = app.get(&measure_path(MEA_TOTAL_CRIME), Some(&cookie)).await;
    let areas = table_from(page.main(), "Total recorded crime by area</caption>");
    assert!(areas.contains("Per 1,000 residents"), "{areas}");
    let birmingham = &areas[areas.find("Birmingham</th>").expect("Birmingham's rows")..];
    assert!(row(birmingham, "January 2022").contains(">2.00<"), "{birmingham}");
    let coventry = &areas[areas.find("Coventry</th>").expect("Coventry's rows")..];
    assert!(row(coventry, "February 2022").contains(">2.00<"), "{coventry}");

    // A crime type the measure cannot count alone is refused beside the field.
    let bad = app
        .post_form(
            &format!("{}/feed", measure_path(MEA_TOTAL_CRIME)),
            "feed_kind=crimes_of_type&crime_type=",
            Some(&cookie),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("id=\"crime_type-error\""), "{}", bad.main());
}

#[tokio::test]
async fn the_lookup_places_crimes_by_code_and_a_bad_one_is_refused_by_line() {
    let (app, cookie) = editor().await;
    let bad_lookup = "LSOA11CD,LAD22CD,LAD22NM\nE01000001,E08000025,Birmingham\nE01000001,E08000026,Coventry\n";
    let body = BODY.to_string();
    let refused = app
        .post_multipart(
            "/staff/performance/crime/lookup",
            &[("body", None, body.as_bytes()), ("file", Some("lookup.csv"), bad_lookup.as_bytes())],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("lookup.csv, line 3"), "{}", refused.main());
    assert!(app.store.lsoa_areas(BODY).await.expect("lookup").is_empty(), "nothing stored");

    let loaded = app
        .post_multipart(
            "/staff/performance/crime/lookup",
            &[("body", None, body.as_bytes()), ("file", Some("lookup.csv"), LOOKUP.as_bytes())],
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &loaded, &cookie).await;
    assert!(page.body.contains("LSOA lookup loaded") && page.body.contains("The lookup holds 3 LSOA codes"));
    assert!(row(table_from(&page.body, "id=\"lookup-table\""), "Birmingham").contains(">2<"));

    let result = upload_street_file(&app, &cookie).await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    assert!(result.main().contains("by the body&#39;s LSOA lookup (3 LSOA codes)"), "{}", result.main());
}

/// The CRC-32 (IEEE) of `bytes`, bit by bit: the checksum a zip entry carries.
fn crc32(bytes: &[u8]) -> u32 {
    let mut crc = !0u32;
    for byte in bytes {
        crc ^= u32::from(*byte);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A zip archive of one stored (uncompressed) entry, as police.uk's archives hold
/// monthly folders: the local header, the data, the central directory and its end.
fn zip_of(name: &str, data: &[u8]) -> Vec<u8> {
    let (crc, size, name_len) = (crc32(data), data.len() as u32, name.len() as u16);
    // 1 January 2022, 00:00, in MS-DOS form.
    let (time, date) = (0u16, ((2022 - 1980) << 9 | 1 << 5 | 1) as u16);
    let mut out = Vec::new();
    let common = |out: &mut Vec<u8>| {
        for half in [20u16, 0, 0, time, date] {
            out.extend_from_slice(&half.to_le_bytes());
        }
        for word in [crc, size, size] {
            out.extend_from_slice(&word.to_le_bytes());
        }
        out.extend_from_slice(&name_len.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
    };
    out.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    common(&mut out);
    out.extend_from_slice(name.as_bytes());
    out.extend_from_slice(data);
    let directory = out.len() as u32;
    out.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    out.extend_from_slice(&20u16.to_le_bytes());
    common(&mut out);
    for half in [0u16, 0, 0] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(&0u32.to_le_bytes());
    out.extend_from_slice(name.as_bytes());
    let directory_size = out.len() as u32 - directory;
    out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    for half in [0u16, 0, 1, 1] {
        out.extend_from_slice(&half.to_le_bytes());
    }
    out.extend_from_slice(&directory_size.to_le_bytes());
    out.extend_from_slice(&directory.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

#[tokio::test]
async fn a_police_uk_zip_archive_is_read_and_its_bad_rows_named_inside_it() {
    let (app, cookie) = editor().await;
    let archive = zip_of("2022-01/2022-01-west-midlands-street.csv", street_file().as_bytes());
    // A name that is not `.zip` does not matter: the archive is known by its first bytes.
    let result = app
        .post_multipart("/staff/performance/crime", &[("files", Some("download (1)"), &archive)], Some(&cookie))
        .await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.body);
    let main = result.main();
    assert!(main.contains("5 crimes and incidents counted") && main.contains("2 months added"), "{main}");
    assert!(
        main.contains("download__1_.zip:2022-01/2022-01-west-midlands-street.csv:5: `Month` is `2022-13`"),
        "{main}"
    );
    assert_eq!(stored_months(&app).await, BTreeMap::from([(String::from("2022-01"), 3), (String::from("2022-02"), 2)]));
}

#[tokio::test]
async fn a_year_of_files_is_larger_than_an_ordinary_form_and_is_still_accepted() {
    let (app, cookie) = editor().await;
    // 20,000 burglaries in Birmingham, about 3.6 MB: over the 2 MiB every other form
    // may send.
    let row = ",2022-03,West Midlands Police,West Midlands Police,-1.89,52.48,On or near a street with a long name,\
               E01000001,Birmingham 001A,Burglary,Investigation complete; no suspect identified,";
    let mut file = format!("{STREET_HEADER}\n");
    for _ in 0..20_000 {
        file.push_str(row);
        file.push('\n');
    }
    assert!(file.len() > pcplan_web::BODY_LIMIT_BYTES);
    let result = app
        .post_multipart("/staff/performance/crime", &[("files", Some("big.csv"), file.as_bytes())], Some(&cookie))
        .await;
    assert_eq!(result.status, StatusCode::OK, "{}", result.main());
    assert!(result.main().contains("20,000 crimes and incidents counted"), "{}", result.main());

    // A body declared larger than the upload limit is refused before anything is read.
    let too_large = pcplan_web::performance_work::CRIME_UPLOAD_MAX_BYTES + pcplan_web::UPLOAD_OVERHEAD_BYTES + 1;
    let declared = app
        .send(
            common::request(axum::http::Method::POST, "/staff/performance/crime", Some(&cookie))
                .header("content-type", "multipart/form-data; boundary=x")
                .header("content-length", too_large)
                .body(axum::body::Body::from("--x--\r\n"))
                .expect("request"),
        )
        .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn files_that_are_neither_csv_nor_zip_are_refused_and_nothing_is_stored() {
    let (app, cookie) = editor().await;
    let refused = app
        .post_multipart(
            "/staff/performance/crime",
            &[("files", Some("report.pdf"), b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")],
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("report.pdf is neither a CSV file nor a zip archive"), "{}", refused.main());
    assert!(stored_months(&app).await.is_empty());
}

#[tokio::test]
async fn an_observation_typed_in_shows_on_the_measure_page_with_its_count() {
    let (app, cookie) = editor().await;
    let posted = app
        .post_form(
            &format!("{}/observations", measure_path(MEA_VICTIM_SATISFACTION)),
            "period=2022%2F23+Q1&area=&value=85.2&numerator=852&denominator=1%2C000&note=",
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &posted, &cookie).await;
    let main = page.main();
    assert!(main.contains("Observation saved"));
    let observations = table_from(main, "id=\"observations-table\"");
    let saved = row(observations, "Q1 2022/23 (April to June 2022)");
    assert!(saved.contains("85.2%") && saved.contains("852 of 1,000") && saved.contains("Entered"), "{saved}");
    // The figure on the series always carries its counts.
    assert!(main.contains("Latest figure: 85.2%: 852 of 1,000 (85.2%, 95% interval 82.9% to 87.3%)."), "{main}");
}

#[tokio::test]
async fn a_bad_period_is_shown_beside_its_field_and_nothing_is_stored() {
    let (app, cookie) = editor().await;
    let refused = app
        .post_form(
            &format!("{}/observations", measure_path(MEA_TOTAL_CRIME)),
            "period=2022-4&area=E08000025&value=12&numerator=&denominator=",
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let main = refused.main();
    assert!(main.contains("There is a problem"));
    let error = main.find("id=\"period-error\"").expect("the error beside the period");
    assert!(main[error..].starts_with("id=\"period-error\" class=\"govuk-error-message\""));
    assert!(main.contains("`2022-4` is not a period; write a month like `2022-04`"), "{main}");
    assert!(main.contains("value=\"2022-4\""), "what was typed is kept");
    assert!(app.store.observations(MEA_TOTAL_CRIME).await.expect("read").is_empty());
}

#[tokio::test]
async fn a_grade_with_an_unknown_code_is_refused_and_a_good_one_is_in_the_history() {
    let (app, cookie) = editor().await;
    let path = format!("{}/grades", measure_path(MEA_TOTAL_CRIME));
    let refused = app
        .post_form(
            &path,
            "scale=Red%2C+Amber%2C+Green&grade_period=2022%2F23+Q1&grade=purple&narrative=Fine",
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"grade-error\""));
    assert!(
        refused
            .body
            .contains("is not in the scale `Red, Amber, Green`; use one of `green`, `amber`, `red`, `ungraded`")
    );
    assert!(app.store.grades(BODY).await.expect("grades").is_empty());

    let no_reason = app
        .post_form(&path, "scale=Red%2C+Amber%2C+Green&grade_period=2022%2F23+Q1&grade=amber&narrative=", Some(&cookie))
        .await;
    assert_eq!(no_reason.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(no_reason.body.contains("id=\"narrative-error\""));

    let good = app
        .post_form(
            &path,
            "scale=Red%2C+Amber%2C+Green&grade_period=2022%2F23+Q1&grade=amber&narrative=Burglary+rose+in+two+areas",
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &good, &cookie).await;
    let grades = table_from(page.main(), "id=\"grades-table\"");
    let given = row(grades, "Q1 2022/23 (April to June 2022)");
    assert!(
        given.contains("govuk-tag--orange\">Amber</strong>") && given.contains("Burglary rose in two areas"),
        "{given}"
    );
    let dashboard = app.get("/staff/performance", Some(&cookie)).await;
    assert!(row(&dashboard.body, "Total recorded crime").contains(">Amber</strong>"));
}

#[tokio::test]
async fn a_late_update_without_commentary_is_refused_and_a_good_one_is_in_the_history() {
    let (app, cookie) = editor().await;
    let today = pcplan_web::today();
    let date =
        format!("date-day={}&date-month={}&date-year={}", today.format("%-d"), today.format("%-m"), today.format("%Y"));
    let path = status_path(MS_ESTATES);
    let refused = app
        .post_form(
            &path,
            &format!("{date}&status=late&commentary=&evidence_url=&evidence_title=&by=Estates+lead"),
            Some(&cookie),
        )
        .await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("id=\"commentary-error\""));
    assert!(
        refused.body.contains("Commentary is empty; say why the status is late and what happens next"),
        "{}",
        refused.main()
    );
    assert!(app.store.status_updates(BODY).await.expect("updates").is_empty());

    let bad_link = app
        .post_form(
            &path,
            &format!(
                "{date}&status=late&commentary=Waiting&evidence_url=estates.pdf&evidence_title=Plan&by=Estates+lead"
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(bad_link.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad_link.body.contains("id=\"evidence_url-error\""));

    let good = app
        .post_form(
            &path,
            &format!(
                "{date}&status=late&commentary=The+sale+of+two+stations+fell+through&evidence_url=https%3A%2F%2Fexample.org%2Festates\
                 &evidence_title=Estates+report&by=Estates+lead"
            ),
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &good, &cookie).await;
    let history = table_from(page.main(), "id=\"updates-table\"");
    assert!(history.contains("The sale of two stations fell through"), "{history}");
    assert!(history.contains("href=\"https://example.org/estates\"") && history.contains("Estates report"));
    assert!(page.main().contains("Current status: <strong class=\"govuk-tag govuk-tag--red\">Late</strong>"));

    // A record that is neither a milestone nor a commitment has no status page.
    let measure = app.get(&status_path(MEA_TOTAL_CRIME), Some(&cookie)).await;
    assert_eq!(measure.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn the_dashboard_shows_overdue_milestones_and_progress_as_the_roll_up_gives_it() {
    let (app, cookie) = editor().await;
    let plan = plan_in_force(&app).await;
    let title = html(plan.item(MS_SHARED_ASSESSMENTS).expect("in the plan").record.title());
    let before = app.get("/staff/performance", Some(&cookie)).await;
    assert_eq!(before.status, StatusCode::OK);
    assert!(before.main().contains("Version 4"), "the plan in force is the varied version");
    let overdue = table_from(before.main(), "id=\"overdue-table\"");
    assert!(overdue.contains(&title), "{overdue}");
    assert!(overdue.contains(&status_path(MS_SHARED_ASSESSMENTS)));

    let today = pcplan_web::today();
    let complete = app
        .post_form(
            &status_path(MS_SHARED_ASSESSMENTS),
            &format!(
                "date-day={}&date-month={}&date-year={}&status=complete&commentary=Agreed&evidence_url=&evidence_title=&by=Lead",
                today.format("%-d"),
                today.format("%-m"),
                today.format("%Y")
            ),
            Some(&cookie),
        )
        .await;
    assert_eq!(complete.status, StatusCode::SEE_OTHER, "{}", complete.body);
    let after = app.get("/staff/performance", Some(&cookie)).await;
    assert!(!table_from(after.main(), "id=\"overdue-table\"").contains(&title), "a complete milestone is not overdue");

    // Each objective's figure is the domain's roll-up with the update's status.
    let statuses = BTreeMap::from([(MS_SHARED_ASSESSMENTS, Status::Complete)]);
    let rollup = roll_up(&plan, &statuses, &BTreeMap::new(), today).expect("a roll-up");
    let progress = table_from(after.main(), "id=\"progress-table\"");
    let mut checked = 0;
    for p in rollup.items.iter().filter(|p| p.kind == RecordKind::Objective) {
        let title = html(plan.item(p.item).expect("item").record.title());
        let shown = row(progress, &format!("Objective:</span> {title}"));
        match p.percent() {
            Some(percent) => {
                assert!(shown.contains(&format!(">{percent}%<")), "{title}: {shown}");
                checked += 1;
            }
            None => assert!(shown.contains("Nothing to roll up"), "{title}: {shown}"),
        }
    }
    assert!(checked > 0, "some objective has a progress figure");
    assert!(progress.contains("milestones complete"));
    let chart = after.main();
    assert!(chart.contains("id=\"milestone-status\"") && chart.contains("Milestones by objective and status"));
}

/// Stores monthly whole-force figures of total recorded crime, from April 2022.
async fn monthly_figures(app: &TestApp, values: &[f64]) {
    let mut period: pcplan_domain::period::Period = "2022-04".parse().expect("a month");
    let mut rows = Vec::new();
    for value in values {
        rows.push(NewObservation {
            period: period.to_string(),
            period_start: period.start(),
            area_code: String::new(),
            value: *value,
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

#[tokio::test]
async fn the_measure_page_draws_the_series_as_accessible_svg_with_its_table_and_reads_it() {
    let (app, cookie) = editor().await;
    monthly_figures(&app, &[52.0, 47.0, 60.0]).await;
    let few = app.get(&measure_path(MEA_TOTAL_CRIME), Some(&cookie)).await;
    assert!(
        few.main().contains("Process limits are not drawn: the series has 3 point(s); an XmR chart needs at least 6")
    );

    monthly_figures(&app, &[52.0, 47.0, 60.0, 55.0, 49.0, 58.0, 51.0, 95.0]).await;
    let page = app.get(&measure_path(MEA_TOTAL_CRIME), Some(&cookie)).await;
    let main = page.main();
    let svg = &main[main.find("<svg").expect("an SVG chart")..];
    assert!(svg.starts_with("<svg ") && svg.contains("role=\"img\""), "{svg}");
    assert!(svg.contains("<title id=\"measure-series-title\">Total recorded crime: whole force area</title>"), "{svg}");
    assert!(svg.contains("<desc"));
    let table = table_from(main, "Total recorded crime: whole force area</caption>");
    assert!(row(table, "November 2022").contains(">95<"), "{table}");
    assert!(table.contains("Upper process limit"));
    // 95 is beyond the upper limit of the eight months (92.2); more crime is worse.
    assert!(main.contains("The latest figure: Significant deterioration (above the upper process limit)."), "{main}");
    assert!(main.contains("The baseline (163,000 crimes for 2012/13) covers a different length of period"));

    let dashboard = app.get("/staff/performance", Some(&cookie)).await;
    let measure = row(&dashboard.body, "Total recorded crime");
    assert!(measure.contains("November 2022") && measure.contains("95 crimes"), "{measure}");
    assert!(measure.contains("Significant deterioration (above the upper process limit)"), "{measure}");
    assert!(measure.contains("No figure for November 2021"), "{measure}");
}

#[tokio::test]
async fn a_change_from_last_year_comes_with_its_counts_test_and_small_number_warning() {
    let (app, cookie) = editor().await;
    let rows: Vec<NewObservation> = [("2021-04", 4.0), ("2022-04", 7.0)]
        .into_iter()
        .map(|(p, v)| {
            let period: pcplan_domain::period::Period = p.parse().expect("a month");
            NewObservation {
                period: p.to_string(),
                period_start: period.start(),
                area_code: String::new(),
                value: v,
                numerator: None,
                denominator: None,
                note: String::new(),
            }
        })
        .collect();
    app.store
        .record_observations(&Actor::system("test"), BODY, MEA_TOTAL_CRIME, ObservationSource::Manual, &rows)
        .await
        .expect("observations");
    let dashboard = app.get("/staff/performance", Some(&cookie)).await;
    let measure = row(&dashboard.body, "Total recorded crime");
    assert!(measure.contains("April 2021: 7 against 4: up 3 (+75.0%), no significant change."), "{measure}");
    assert!(measure.contains("Numbers are too small for this change to mean anything: 4 then 7."), "{measure}");
}

#[tokio::test]
async fn viewers_read_every_performance_page_but_see_no_form() {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Viewer).await;
    for path in [
        String::from("/staff/performance"),
        measure_path(MEA_TOTAL_CRIME),
        status_path(MS_ESTATES),
        String::from("/staff/performance/crime"),
    ] {
        let page = app.get(&path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        assert!(!page.main().contains("<form"), "{path} shows a form to a viewer");
    }
    let staff = app.get("/staff", Some(&cookie)).await;
    assert!(staff.body.contains("href=\"/staff/performance\""), "the staff home links the dashboard");
}
