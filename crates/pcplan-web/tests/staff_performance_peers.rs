//! Peers through HTTP, on the demo plan (West Midlands): editors choose the forces the
//! body compares itself with (refused beside the field when a code is one of its own
//! areas or a population is not a number; viewers may not), a peer's figure is entered
//! on a measure's page like any other, and the measure page and the board report set the
//! whole force area beside its peers, ranked by count without populations and by rate
//! with them (which reorders them), shares by percentage with their intervals. Removing
//! a peer removes its figures. Runs on SQLite, and on PostgreSQL in CI's second leg.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MEA_VICTIM_SATISFACTION};
use pcplan_domain::period::Period;
use pcplan_store::{Actor, NewObservation, ObservationSource, Population, Role};

const PEERS: &str = "/staff/performance/peers";

fn figure(period: &str, area: &str, value: f64, counts: Option<(i64, i64)>) -> NewObservation {
    let parsed: Period = period.parse().expect("a period");
    NewObservation {
        period: period.to_string(),
        period_start: parsed.start(),
        area_code: area.to_string(),
        value,
        numerator: counts.map(|(n, _)| n),
        denominator: counts.map(|(_, d)| d),
        note: String::new(),
    }
}

async fn record(app: &TestApp, measure: pcplan_domain::ItemId, rows: &[NewObservation]) {
    app.store
        .record_observations(&Actor::system("test"), BODY, measure, ObservationSource::Import, rows)
        .await
        .expect("observations");
}

/// The part of `body` from `start` to the end of the table it is in.
fn table_from<'a>(body: &'a str, start: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("`{start}` in the page"));
    let rest = &body[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

/// The names in a comparison table, in the order shown, with their ranks.
fn ranked(table: &str) -> Vec<(String, String)> {
    table
        .split("<tr class=\"govuk-table__row\">")
        .skip(2)
        .map(|row| {
            let name = if row.contains("(this force)") {
                String::from("West Midlands Police")
            } else {
                let start = row.find("font-weight-regular\">").map(|i| i + "font-weight-regular\">".len()).unwrap_or(0);
                row[start..].split('<').next().unwrap_or_default().to_string()
            };
            let cells: Vec<&str> = row.split("govuk-table__cell--numeric\">").skip(1).collect();
            let rank = cells.last().and_then(|c| c.split('<').next()).unwrap_or_default().to_string();
            (name, rank)
        })
        .collect()
}

#[tokio::test]
async fn editors_choose_peers_and_pages_compare_the_force_with_them() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let viewer = app.signed_in(Role::Viewer).await;

    let empty = app.get(&format!("{PEERS}?body={BODY}"), Some(&viewer)).await;
    assert_eq!(empty.status, StatusCode::OK);
    assert!(empty.main().contains("No peers are chosen yet"), "{}", empty.main());
    assert!(!empty.main().contains("Save the peer"), "viewers get no form");
    let form = |code: &str, name: &str, population: &str| {
        format!("body={BODY}&code={code}&name={}&kind=force&population={population}&note=", name.replace(' ', "+"))
    };
    let refused = app.post_form(PEERS, &form("gmp", "Greater Manchester Police", ""), Some(&viewer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // Birmingham is one of the West Midlands' own areas; "lots" is not a population.
    let own = app.post_form(PEERS, &form("E08000025", "Birmingham", ""), Some(&editor)).await;
    assert_eq!(own.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(own.body.contains("id=\"code-error\""), "{}", own.main());
    assert!(own.main().contains("one of West Midlands"), "{}", own.main());
    let words = app.post_form(PEERS, &form("gmp", "Greater Manchester Police", "lots"), Some(&editor)).await;
    assert_eq!(words.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(words.body.contains("id=\"population-error\""), "{}", words.main());
    assert!(words.body.contains("value=\"Greater Manchester Police\""), "what was typed is kept");
    assert!(app.store.peers(BODY).await.expect("peers").is_empty(), "nothing stored");

    for (code, name, population) in
        [("gmp", "Greater Manchester Police", "2,870,000"), ("staffs", "Staffordshire Police", "1,130,000")]
    {
        let saved = app.post_form(PEERS, &form(code, name, population), Some(&editor)).await;
        assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    }
    let listed = app.get(&format!("{PEERS}?body={BODY}&done=saved"), Some(&editor)).await;
    assert!(listed.main().contains("Peer saved"));
    let table = table_from(listed.main(), "id=\"peers-table\"");
    assert!(table.contains("Greater Manchester Police") && table.contains("2,870,000"), "{table}");

    // November 2022: the force 95 crimes; Greater Manchester's typed on the measure
    // page (the area list offers the peers), Staffordshire's imported.
    record(&app, MEA_TOTAL_CRIME, &[figure("2022-10", "", 80.0, None), figure("2022-11", "", 95.0, None)]).await;
    let measure = format!("/staff/performance/measures/{MEA_TOTAL_CRIME}");
    let page = app.get(&measure, Some(&editor)).await;
    assert!(page.body.contains("<option value=\"gmp\">Greater Manchester Police (peer)</option>"), "{}", page.main());
    let typed = app
        .post_form(
            &format!("{measure}/observations"),
            "period=2022-11&area=gmp&value=300&numerator=&denominator=&note=",
            Some(&editor),
        )
        .await;
    assert_eq!(typed.status, StatusCode::SEE_OTHER, "{}", typed.body);
    record(&app, MEA_TOTAL_CRIME, &[figure("2022-11", "staffs", 60.0, None)]).await;

    // Without populations for the force's areas, counts are ranked: 300, 95, 60.
    let page = app.get(&measure, Some(&viewer)).await;
    let main = page.main();
    assert!(main.contains("Compared with peers"), "{main}");
    assert!(main.contains("no population figure for West Midlands Police"), "{main}");
    assert!(
        main.contains("In November 2022, West Midlands Police had a count of 95: within the range of its peers"),
        "{main}"
    );
    let by_count = ranked(table_from(main, "the force and its peers, November 2022"));
    assert_eq!(
        by_count,
        [
            (String::from("Greater Manchester Police"), String::from("1 of 3")),
            (String::from("West Midlands Police"), String::from("2 of 3")),
            (String::from("Staffordshire Police"), String::from("3 of 3")),
        ]
    );
    assert!(main.contains("Greater Manchester Police (peer)"), "the peer's figure is listed with the observations");

    // With 400,000 residents in each of the force's seven areas (2,800,000), rates
    // per 1,000: Greater Manchester 0.10, Staffordshire 0.05, the force 0.03.
    let areas = pcplan_demo::body().areas;
    let populations: Vec<Population> = areas
        .iter()
        .map(|a| Population {
            code: a.code.clone(),
            name: a.name.clone(),
            population: 400_000,
            source: String::from("test"),
        })
        .collect();
    app.store.load_populations(&Actor::system("test"), BODY, &populations).await.expect("populations");
    let page = app.get(&measure, Some(&viewer)).await;
    let main = page.main();
    assert!(main.contains("ranked by the rate per 1,000 residents"), "{main}");
    assert!(main.contains("had a rate of 0.03 per 1,000 residents: lower than every peer"), "{main}");
    let by_rate = ranked(table_from(main, "the force and its peers, November 2022"));
    let order: Vec<&str> = by_rate.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(order, ["Greater Manchester Police", "Staffordshire Police", "West Midlands Police"]);

    // Shares: satisfied of respondents, ranked by percentage with Wilson intervals
    // (61 of 100: 51.2% to 70.0%; 140 of 200: 63.3% to 75.9%; 30 of 60: 37.7% to 62.3%).
    record(
        &app,
        MEA_VICTIM_SATISFACTION,
        &[
            figure("2022/23 Q2", "", 61.0, Some((61, 100))),
            figure("2022/23 Q2", "gmp", 70.0, Some((140, 200))),
            figure("2022/23 Q2", "staffs", 50.0, Some((30, 60))),
        ],
    )
    .await;
    let shares = app.get(&format!("/staff/performance/measures/{MEA_VICTIM_SATISFACTION}"), Some(&viewer)).await;
    let main = shares.main();
    assert!(main.contains("ranked by the share"), "{main}");
    let table = table_from(main, "the force and its peers, Q2 2022/23");
    for cell in
        ["70%: 140 of 200", "63.3% to 75.9%", "61%: 61 of 100", "51.2% to 70.0%", "37.7% to 62.3%", "95% interval"]
    {
        assert!(table.contains(cell), "`{cell}` in {table}");
    }

    // The board report for 2022/23 Q3 sets November beside the peers; for Q2, October
    // has no peer figure, so the force's figure is shown with none beside it.
    let q3 = app.get(&format!("/staff/performance/report?body={BODY}&period=2022%2F23+Q3"), Some(&viewer)).await;
    assert_eq!(q3.status, StatusCode::OK);
    assert!(q3.main().contains("Compared with peers, November 2022"), "{}", q3.main());
    let pdf = app.get(&format!("/staff/performance/report.pdf?body={BODY}&period=2022%2F23+Q3"), Some(&viewer)).await;
    assert_eq!(pdf.status, StatusCode::OK);
    if let Some(text) = common::pdf_text(&pdf.bytes, &["-layout"]) {
        let text = common::squeeze(&text);
        for expected in [
            "Compared with peers, November 2022",
            "Greater Manchester Police",
            "West Midlands Police (this force)",
            "1 of 3",
        ] {
            assert!(text.contains(expected), "`{expected}` in the PDF: {text}");
        }
    }
    let q2 = app.get(&format!("/staff/performance/report?body={BODY}&period=2022%2F23+Q2"), Some(&viewer)).await;
    assert!(!q2.main().contains("November 2022"), "nothing after the period: {}", q2.main());

    // Removing a peer removes its figures.
    let removed = app.post_form(&format!("{PEERS}/remove"), &format!("body={BODY}&code=gmp"), Some(&editor)).await;
    assert_eq!(removed.status, StatusCode::SEE_OTHER);
    let left = app.store.observations(MEA_TOTAL_CRIME).await.expect("observations");
    assert!(left.iter().all(|o| o.area_code != "gmp"), "{left:?}");
    let page = app.get(&measure, Some(&viewer)).await;
    assert!(!page.main().contains("Greater Manchester"), "{}", page.main());
}
