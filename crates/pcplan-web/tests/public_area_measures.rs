//! The public area page's figures, through the router: for each measure of the plan in
//! force reported by area, the area's latest figure with its count and rate per 1,000
//! residents, the change from the same period last year with its small-number warning,
//! what the XmR chart says, the chart as accessible SVG with a table of the same
//! numbers, and how the area compares with the body's other areas (by rate when every
//! area compared has a population, by count with a reason when not). An area with no
//! figures says so, another body's area is still sent to that body's page, and the
//! figures of a measure that is only in a draft never show.
//!
//! The data is small and made up so that every expected figure can be worked out by
//! hand; the workings are in the comments beside the assertions.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::TestApp;
use pcplan_domain::period::Period;
use pcplan_domain::plan::{Ambition, Direction, Frequency, Measure};
use pcplan_domain::{Area, Body, BodyId, Item, ItemId, Nation, Objective, Plan, PlanId, Polarity, Record, VersionKind};
use pcplan_store::{Actor, NewObservation, ObservationSource, Population};

const BODY: BodyId = BodyId::from_u128(0xa1ea_0001);
const PLAN: PlanId = PlanId::from_u128(0xa1ea_0002);
const OTHER_BODY: BodyId = BodyId::from_u128(0xa1ea_0003);
const OTHER_PLAN: PlanId = PlanId::from_u128(0xa1ea_0004);

const BURGLARY: ItemId = ItemId::from_u128(0xa1ea_0101);
const ASB: ItemId = ItemId::from_u128(0xa1ea_0102);
const SATISFACTION: ItemId = ItemId::from_u128(0xa1ea_0103);
const HATE_CRIME: ItemId = ItemId::from_u128(0xa1ea_0104);
const DRAFT_MEASURE: ItemId = ItemId::from_u128(0xa1ea_0105);

/// Atown: 1,000 residents.
const ATOWN: &str = "E06000101";
/// Btown: 2,000 residents.
const BTOWN: &str = "E06000102";
/// Cville: 500 residents.
const CVILLE: &str = "E06000103";
/// Dham: no population figure.
const DHAM: &str = "E06000104";
/// Emptyton: 3,000 residents and no figures at all.
const EMPTYTON: &str = "E06000105";
/// The other body's only area.
const OTHERTON: &str = "E06000201";

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn actor() -> Actor {
    Actor::system("test")
}

fn body(id: BodyId, name: &str, areas: &[(&str, &str)]) -> Body {
    Body {
        id,
        name: format!("{name} Police and Crime Commissioner"),
        office_title: String::from("Police and Crime Commissioner"),
        force_name: format!("{name} Police"),
        nation: Nation::England,
        areas: areas.iter().map(|(code, name)| Area { code: code.to_string(), name: name.to_string() }).collect(),
        terms: Vec::new(),
    }
}

fn measure(id: ItemId, title: &str, unit: &str, polarity: Polarity, frequency: Frequency, by_area: bool) -> Item {
    let direction = if polarity == Polarity::HigherIsBetter { Direction::Increase } else { Direction::Reduce };
    Item {
        id,
        parent: None,
        serves: Vec::new(),
        illustrative: false,
        record: Record::Measure(Measure {
            title: title.to_string(),
            definition: format!("{title}, as recorded by Testshire Police"),
            unit: unit.to_string(),
            polarity,
            baseline: None,
            ambition: Ambition::Direction { direction },
            frequency,
            data_source: String::from("Testshire Police records"),
            by_area,
        }),
    }
}

fn objective(id: u128, title: &str) -> Item {
    Item {
        id: ItemId::from_u128(id),
        parent: None,
        serves: Vec::new(),
        illustrative: false,
        record: Record::Objective(Objective {
            reference: String::from("1"),
            title: title.to_string(),
            description: String::new(),
        }),
    }
}

/// One observation: `period` as written, the area, the value and, for a share, its counts.
fn observation(period: &str, area: &str, value: f64, counts: Option<(i64, i64)>) -> NewObservation {
    let parsed: Period = period.parse().expect("a valid period");
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

async fn record(app: &TestApp, body: BodyId, measure: ItemId, rows: &[NewObservation]) {
    app.store
        .record_observations(&actor(), body, measure, ObservationSource::Manual, rows)
        .await
        .expect("observations");
}

/// The months October 2021 to October 2022.
fn thirteen_months() -> Vec<String> {
    let mut months: Vec<String> = (10..=12).map(|m| format!("2021-{m:02}")).collect();
    months.extend((1..=10).map(|m| format!("2022-{m:02}")));
    months
}

/// Testshire, the site body, with five areas and an issued plan of four measures, its
/// populations and observations; Otherland, a second body with one area; and, after
/// issue, a measure added to Testshire's working draft and a variation draft, with
/// figures of its own.
async fn testshire() -> TestApp {
    let app = TestApp::new().await;
    let testshire = body(
        BODY,
        "Testshire",
        &[(ATOWN, "Atown"), (BTOWN, "Btown"), (CVILLE, "Cville"), (DHAM, "Dham"), (EMPTYTON, "Emptyton")],
    );
    app.store.create_body(&actor(), &testshire).await.expect("body");
    let plan = Plan {
        id: PLAN,
        body_id: BODY,
        title: String::from("Testshire Police and Crime Plan 2022-2025"),
        starts_on: date(2022, 4, 1),
        ends_on: date(2025, 3, 31),
        vision: String::from("A safer Testshire"),
        items: vec![
            objective(0xa1ea_0100, "Fewer victims"),
            measure(BURGLARY, "Burglaries", "crimes", Polarity::LowerIsBetter, Frequency::Monthly, true),
            measure(ASB, "Anti-social behaviour", "incidents", Polarity::LowerIsBetter, Frequency::Monthly, true),
            measure(SATISFACTION, "Victims satisfied", "%", Polarity::HigherIsBetter, Frequency::Quarterly, false),
            measure(HATE_CRIME, "Hate crimes", "crimes", Polarity::LowerIsBetter, Frequency::Monthly, true),
        ],
    };
    app.store.create_plan(&actor(), &plan).await.expect("plan");
    app.store
        .make_version(&actor(), PLAN, VersionKind::Issued, "Plan as issued", Some(date(2022, 4, 1)))
        .await
        .expect("issue");

    let populations =
        [(ATOWN, "Atown", 1_000), (BTOWN, "Btown", 2_000), (CVILLE, "Cville", 500), (EMPTYTON, "Emptyton", 3_000)].map(
            |(code, name, population)| Population {
                code: code.to_string(),
                name: name.to_string(),
                population,
                source: String::from("Test census"),
            },
        );
    app.store.load_populations(&actor(), BODY, &populations).await.expect("populations");

    // Burglaries in Atown: 5 and 6 by turns for twelve months, then 20 in October 2022.
    let mut burglaries: Vec<NewObservation> = thirteen_months()
        .iter()
        .enumerate()
        .map(|(i, month)| observation(month, ATOWN, if i == 12 { 20.0 } else { 5.0 + (i % 2) as f64 }, None))
        .collect();
    burglaries.push(observation("2022-10", BTOWN, 12.0, None));
    burglaries.push(observation("2022-10", CVILLE, 5.0, None));
    record(&app, BODY, BURGLARY, &burglaries).await;
    // Anti-social behaviour: one month, in Atown and in Dham (which has no population).
    record(&app, BODY, ASB, &[observation("2022-10", ATOWN, 3.0, None), observation("2022-10", DHAM, 4.0, None)]).await;
    // Victims satisfied: shares with their counts, in a measure not reported by area.
    record(
        &app,
        BODY,
        SATISFACTION,
        &[
            observation("2022/23 Q2", ATOWN, 75.0, Some((30, 40))),
            observation("2022/23 Q2", BTOWN, 80.0, Some((8, 10))),
        ],
    )
    .await;

    // A measure added after issue: in the working draft and a variation draft only.
    let draft_only =
        measure(DRAFT_MEASURE, "Draft-only measure", "crimes", Polarity::LowerIsBetter, Frequency::Monthly, true);
    app.store.add_item(&actor(), PLAN, &draft_only).await.expect("add to the working draft");
    app.store.make_version(&actor(), PLAN, VersionKind::VariationDraft, "Variation draft", None).await.expect("draft");
    record(&app, BODY, DRAFT_MEASURE, &[observation("2022-10", ATOWN, 4242.0, None)]).await;

    let otherland = body(OTHER_BODY, "Otherland", &[(OTHERTON, "Otherton")]);
    app.store.create_body(&actor(), &otherland).await.expect("second body");
    let other_plan = Plan {
        id: OTHER_PLAN,
        body_id: OTHER_BODY,
        title: String::from("Otherland Police and Crime Plan"),
        starts_on: date(2022, 4, 1),
        ends_on: date(2025, 3, 31),
        vision: String::from("A safer Otherland"),
        items: vec![objective(0xa1ea_0200, "Safer streets")],
    };
    app.store.create_plan(&actor(), &other_plan).await.expect("second plan");
    app.store.make_version(&actor(), OTHER_PLAN, VersionKind::Issued, "", None).await.expect("issue the second plan");
    app
}

/// The section of the page for one measure, from its heading to the next section.
fn section<'a>(page: &'a str, title: &str) -> &'a str {
    let heading = format!(">{title}</a></h3>");
    let at = page.find(&heading).unwrap_or_else(|| panic!("a section for `{title}` in {page}"));
    let from = page[..at].rfind("<section").unwrap_or(at);
    let rest = &page[from..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

/// The comparison table of a section.
fn comparison(section: &str) -> &str {
    let from = section.find(": every area,").unwrap_or_else(|| panic!("a comparison table in {section}"));
    let rest = &section[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

/// The table row whose heading names `area`.
fn row<'a>(table: &'a str, area: &str) -> &'a str {
    let from = table.find(&format!("{area}</")).unwrap_or_else(|| panic!("a row for {area} in {table}"));
    let rest = &table[from..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

/// The cells of a table row, as text.
fn cells(row: &str) -> Vec<&str> {
    row.split("<td")
        .skip(1)
        .map(|cell| {
            let start = cell.find('>').map_or(0, |i| i + 1);
            &cell[start..cell.find("</td>").unwrap_or(cell.len())]
        })
        .collect()
}

#[tokio::test]
async fn the_area_page_shows_the_latest_figure_with_its_count_rate_change_and_control_chart_reading() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    let burglaries = section(main, "Burglaries");
    assert!(burglaries.contains(&format!("href=\"/plan#item-{BURGLARY}\"")), "the title links to the plan");
    assert!(burglaries.contains("Direction of travel: reduce"), "the ambition: {burglaries}");

    // 20 burglaries among 1,000 residents: 20 × 1,000 / 1,000 = 20.0 per 1,000.
    assert!(burglaries.contains("<strong>October 2022</strong>: 20 crimes (20.0 per 1,000 residents)"), "{burglaries}");
    // 20 against 5 in October 2021: up 15, +300.0%. The exact test: under equal rates,
    // 5 or fewer of 25 is Binomial(25, 1/2) ≤ 5 = 68,406 / 33,554,432 = 0.0020, so
    // p = 0.0041 < 0.05: significantly higher. 5 is below 10, so the warning says the
    // numbers are small.
    assert!(burglaries.contains("October 2021: 20 against 5: up 15 (+300.0%), significantly higher."), "{burglaries}");
    assert!(
        burglaries.contains(
            "Numbers are small (5 then 20): the difference is larger than chance usually gives, but the percentage \
             change is not a reliable guide to its size."
        ),
        "{burglaries}"
    );
    // The XmR chart of 13 months: mean 86 / 13 = 6.615; the moving ranges are eleven 1s
    // and 14, mean 25 / 12 = 2.083; upper limit 6.615 + 2.66 × 2.083 = 12.16. October's
    // 20 is above it, and lower is better: a significant deterioration.
    assert!(
        burglaries.contains("Significant deterioration (above the upper process limit)"),
        "the XmR reading: {burglaries}"
    );
    assert!(!burglaries.contains("govuk-tag--red") && !burglaries.contains("govuk-tag--green"), "no coloured tags");
}

#[tokio::test]
async fn the_area_chart_is_accessible_svg_with_a_table_of_the_same_numbers() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    let burglaries = section(page.main(), "Burglaries");
    assert!(burglaries.contains("<svg"), "{burglaries}");
    assert!(burglaries.contains("id=\"area-1\""), "the chart's ids are unique to its section");
    assert!(burglaries.contains("aria-labelledby=\"area-1-title area-1-desc\""));
    assert!(burglaries.contains("<title id=\"area-1-title\">Burglaries: Atown</title>"), "{burglaries}");
    assert!(burglaries.contains("<desc id=\"area-1-desc\">"));
    assert!(burglaries.contains("<details class=\"govuk-details\">"), "the table is in a disclosure");

    let from =
        burglaries.find("<caption class=\"govuk-table__caption govuk-table__caption--s\">Burglaries: Atown</caption>");
    let table = &burglaries[from.expect("the chart's table")..];
    let table = &table[..table.find("</table>").expect("the table ends")];
    // Centre line 6.6, lower limit 6.615 − 5.542 = 1.1, upper limit 12.2 (one decimal
    // more than the whole figures charted).
    let october = cells(row(table, "October 2022"));
    assert_eq!(&october[..4], ["20", "6.6", "1.1", "12.2"], "{table}");
    assert_eq!(cells(row(table, "October 2021"))[0], "5");
    assert_eq!(cells(row(table, "November 2021"))[0], "6");
    assert_eq!(table.matches("<tr class=\"govuk-table__row\">").count(), 14, "a header row and 13 months");

    // The second measure's chart has ids of its own.
    let asb = section(page.main(), "Anti-social behaviour");
    assert!(asb.contains("id=\"area-2\""), "{asb}");
}

#[tokio::test]
async fn the_areas_are_ranked_by_rate_when_every_area_compared_has_a_population() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    let burglaries = section(page.main(), "Burglaries");
    assert!(burglaries.contains("How Atown compares with the other areas"));
    assert!(burglaries.contains("ranked by the rate per 1,000 residents"), "{burglaries}");
    let table = comparison(burglaries);
    // October 2022: Atown 20 / 1,000 = 20.0, Btown 12 / 2,000 = 6.00, Cville 5 / 500 =
    // 10.0 per 1,000. By count Btown (12) would come before Cville (5); by rate Cville
    // comes first.
    let order: Vec<usize> = ["Atown", "Cville", "Btown", "Dham", "Emptyton"]
        .iter()
        .map(|a| table.find(&format!("{a}</")).expect(a))
        .collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "highest rate first, unranked areas last: {table}");
    assert_eq!(cells(row(table, "Atown")), ["20", "1,000", "20.0", "1 of 3"], "{table}");
    assert_eq!(cells(row(table, "Cville")), ["5", "500", "10.0", "2 of 3"]);
    assert_eq!(cells(row(table, "Btown")), ["12", "2,000", "6.00", "3 of 3"]);
    assert_eq!(cells(row(table, "Dham")), ["No figure for October 2022", "No figure", "", "Not ranked"]);
    assert_eq!(cells(row(table, "Emptyton")), ["No figure for October 2022", "3,000", "", "Not ranked"]);
    assert!(table.contains("<strong>Atown</strong> (this area)"), "the chosen area is marked: {table}");
    assert!(
        burglaries.contains(
            "In October 2022, Atown had a rate of 20.0 per 1,000 residents: higher than every peer (the other areas \
             with a figure ranged from 6.00 per 1,000 residents to 10.0 per 1,000 residents)."
        ),
        "{burglaries}"
    );

    // The same table on Cville's page marks Cville.
    let cville = app.get(&format!("/plan/areas/{CVILLE}"), None).await;
    let table = comparison(section(cville.main(), "Burglaries"));
    assert!(table.contains("<strong>Cville</strong> (this area)"), "{table}");
    assert!(!table.contains("<strong>Atown</strong>"));
}

#[tokio::test]
async fn without_a_population_for_every_area_compared_the_areas_are_ranked_by_count_and_the_page_says_why() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    let asb = section(page.main(), "Anti-social behaviour");
    // Atown has 1,000 residents: 3 incidents are 3.00 per 1,000; there is no October 2021.
    assert!(asb.contains("<strong>October 2022</strong>: 3 incidents (3.00 per 1,000 residents)"), "{asb}");
    assert!(asb.contains("No figure for October 2021"), "{asb}");
    assert!(asb.contains("Process limits are not drawn: the series has 1 point(s)"), "{asb}");
    assert!(
        asb.contains("Rates per 1,000 residents are not given because there is no population figure for Dham"),
        "{asb}"
    );
    let table = comparison(asb);
    assert!(!table.contains("Per 1,000 residents"), "no rate column: {table}");
    assert_eq!(cells(row(table, "Dham")), ["4", "1 of 2"], "{table}");
    assert_eq!(cells(row(table, "Atown")), ["3", "2 of 2"]);
    assert_eq!(cells(row(table, "Btown")), ["No figure for October 2022", "Not ranked"]);
    assert!(
        asb.contains(
            "In October 2022, Atown had a count of 3: lower than every peer (the other area with a figure had 4)."
        ),
        "{asb}"
    );
}

#[tokio::test]
async fn shares_are_ranked_by_share_with_their_counts_and_intervals() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    // Not reported by area in the plan, but it has figures for Atown, so it is shown.
    let satisfied = section(page.main(), "Victims satisfied");
    assert!(satisfied.contains("Q2 2022/23 (July to September 2022)"), "{satisfied}");
    assert!(satisfied.contains("The areas are ranked by the share"), "{satisfied}");
    assert!(satisfied.contains("Atown had a share of 75.0%: lower than every peer"), "{satisfied}");
    let table = comparison(satisfied);
    assert!(!table.contains("Per 1,000 residents"), "a share has no rate: {table}");
    // Wilson 95% intervals, computed by hand: 8 of 10 is 49.0% to 94.3%, 30 of 40 is
    // 59.8% to 85.8%: they overlap, as the method sentence warns.
    assert_eq!(cells(row(table, "Btown")), ["80%: 8 of 10", "49.0% to 94.3%", "1 of 2"], "{table}");
    assert_eq!(cells(row(table, "Atown")), ["75%: 30 of 40", "59.8% to 85.8%", "2 of 2"], "{table}");
}

#[tokio::test]
async fn an_area_with_no_figures_says_so_for_each_measure() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{EMPTYTON}"), None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    for title in ["Burglaries", "Anti-social behaviour", "Hate crimes"] {
        assert!(
            section(main, title).contains("There are no figures for Emptyton for this measure yet."),
            "{title}: {main}"
        );
    }
    assert!(!main.contains("<svg"), "no chart without figures");
    assert!(!main.contains(">Victims satisfied<"), "a measure not reported by area, without figures, is left out");

    // A measure reported by area with no figures anywhere says so on Atown's page too.
    let atown = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    assert!(section(atown.main(), "Hate crimes").contains("There are no figures for Atown for this measure yet."));
}

#[tokio::test]
async fn a_measure_only_in_a_draft_never_shows_its_figures() {
    let app = testshire().await;
    let page = app.get(&format!("/plan/areas/{ATOWN}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Draft-only measure"), "{}", page.main());
    assert!(!page.body.contains("4,242") && !page.body.contains("4242"), "the draft's figure");
    assert!(page.main().contains("From version 1 of the plan"), "the issued version, not the variation draft");
}

#[tokio::test]
async fn another_bodys_area_is_sent_to_that_bodys_page() {
    let app = testshire().await;
    let sent = app.get(&format!("/plan/areas/{OTHERTON}"), None).await;
    assert_eq!(sent.status, StatusCode::SEE_OTHER);
    let location = sent.location().expect("a redirect");
    assert_eq!(location, format!("/bodies/{OTHER_BODY}/plan/areas/{OTHERTON}"));
    let page = app.get(location, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.main().contains("No measure in the plan is reported area by area."), "{}", page.main());
    assert_eq!(app.get(&format!("/bodies/{OTHER_BODY}/plan/areas/{ATOWN}"), None).await.status, StatusCode::NOT_FOUND);
}
