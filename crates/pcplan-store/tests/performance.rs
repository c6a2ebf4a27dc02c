//! Crime data and measure observations on both backends: a month imported again
//! replaces itself, totals group as asked, a bad batch stores nothing, a computed value
//! never overwrites a person's, and every change is audited.

mod common;

use chrono::NaiveDate;
use pcplan_domain::feed::MeasureFeed;
use pcplan_domain::{ItemId, UserId};
use pcplan_store::{
    Actor, CrimeCount, CrimeFilter, CrimeMonth, LsoaArea, NewObservation, ObservationSource, Store, StoreError,
};

const MEASURE: ItemId = ItemId::from_u128(0x77);

fn analyst() -> Actor {
    Actor { user: Some(UserId::from_u128(98)), name: "Performance analyst (analyst)".to_owned() }
}

fn count(area: &str, crime_type: &str, outcome: &str, n: i64) -> CrimeCount {
    let name = match area {
        "E06000016" => "Leicester",
        "E07000129" => "Blaby",
        _ => "Leicestershire Police (no location)",
    };
    CrimeCount {
        area_code: area.to_owned(),
        area_name: name.to_owned(),
        crime_type: crime_type.to_owned(),
        outcome: outcome.to_owned(),
        count: n,
    }
}

fn month(month: &str, counts: Vec<CrimeCount>) -> CrimeMonth {
    CrimeMonth {
        force: "Leicestershire Police".to_owned(),
        month: month.to_owned(),
        counts,
        report: serde_json::json!({"files": [format!("{month}-leicestershire-street.csv")], "malformed": 0}),
    }
}

async fn with_body(store: &Store) {
    store.import_plan(&analyst(), &pcplan_demo::plan_file()).await.expect("the demo body");
}

#[tokio::test]
async fn a_month_imported_again_replaces_itself_and_totals_group_by_month_and_area() {
    for db in common::databases().await {
        with_body(&db.store).await;
        let body = pcplan_demo::ids::BODY;
        let march = month(
            "2022-03",
            vec![
                count("E06000016", "Burglary", "Under investigation", 5),
                count("E06000016", "Burglary", "Awaiting court outcome", 2),
                count("E07000129", "Burglary", "Under investigation", 1),
                count("E06000016", "Anti-social behaviour", "", 9),
                count("", "Shoplifting", "Under investigation", 3),
            ],
        );
        let april = month("2022-04", vec![count("E06000016", "Burglary", "Under investigation", 4)]);
        let first = db.store.import_crime_months(&analyst(), body, &[march.clone(), april]).await.expect("import");
        assert_eq!(first.added.len(), 2);
        assert!(first.replaced.is_empty());
        assert_eq!(first.crimes, 24, "{}", db.name);

        let again = db.store.import_crime_months(&analyst(), body, &[march]).await.expect("again");
        assert_eq!(again.replaced, vec!["Leicestershire Police 2022-03".to_owned()]);
        let months = db.store.crime_months(body).await.expect("months");
        assert_eq!(
            months.iter().map(|m| (m.month.as_str(), m.crimes)).collect::<Vec<_>>(),
            [("2022-03", 20), ("2022-04", 4)]
        );
        assert_eq!(months[0].imported_by, "Performance analyst (analyst)");

        let burglary = CrimeFilter { crime_type: Some("Burglary".to_owned()), ..CrimeFilter::default() };
        let totals = db.store.crime_totals(body, &burglary).await.expect("totals");
        let got: Vec<_> = totals.iter().map(|t| (t.month.as_str(), t.area_code.as_str(), t.count)).collect();
        assert_eq!(got, [("2022-03", "E06000016", 7), ("2022-03", "E07000129", 1), ("2022-04", "E06000016", 4)]);

        let crimes = CrimeFilter { exclude_types: vec!["Anti-social behaviour".to_owned()], ..CrimeFilter::default() };
        let march_total: i64 = db
            .store
            .crime_totals(body, &crimes)
            .await
            .expect("crimes")
            .iter()
            .filter(|t| t.month == "2022-03")
            .map(|t| t.count)
            .sum();
        assert_eq!(march_total, 11, "anti-social behaviour left out; the crime without a location counted");
        let charged = CrimeFilter {
            outcomes: Some(vec!["Awaiting court outcome".to_owned()]),
            area_code: Some("E06000016".to_owned()),
            ..CrimeFilter::default()
        };
        let got = db.store.crime_totals(body, &charged).await.expect("charged");
        assert_eq!(got.iter().map(|t| t.count).collect::<Vec<_>>(), [2]);
        let (types, outcomes) = db.store.crime_categories(body).await.expect("categories");
        assert_eq!(types, ["Anti-social behaviour", "Burglary", "Shoplifting"]);
        assert_eq!(outcomes, ["", "Awaiting court outcome", "Under investigation"]);

        // A batch with a bad month changes nothing, even its good months.
        let bad = [month("2022-05", vec![count("E06000016", "Burglary", "", 1)]), month("2022-5", vec![])];
        assert!(matches!(db.store.import_crime_months(&analyst(), body, &bad).await, Err(StoreError::Fields(_))));
        assert_eq!(db.store.crime_months(body).await.expect("months").len(), 2);

        let lookup = [
            LsoaArea {
                lsoa_code: "E01013615".to_owned(),
                area_code: "E06000016".to_owned(),
                area_name: "Leicester".to_owned(),
            },
            LsoaArea {
                lsoa_code: "E01025617".to_owned(),
                area_code: "E07000129".to_owned(),
                area_name: "Blaby".to_owned(),
            },
        ];
        db.store.load_lsoa_areas(&analyst(), body, &lookup).await.expect("lookup");
        assert_eq!(db.store.lsoa_areas(body).await.expect("read"), lookup);
        let twice = [lookup[0].clone(), lookup[0].clone()];
        assert!(db.store.load_lsoa_areas(&analyst(), body, &twice).await.is_err());
        assert_eq!(db.store.lsoa_areas(body).await.expect("read").len(), 2, "a refused lookup changes nothing");
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}

fn observed(period: &str, start: (i32, u32), area: &str, value: f64) -> NewObservation {
    NewObservation {
        period: period.to_owned(),
        period_start: NaiveDate::from_ymd_opt(start.0, start.1, 1).expect("date"),
        area_code: area.to_owned(),
        value,
        numerator: None,
        denominator: None,
        note: String::new(),
    }
}

#[tokio::test]
async fn computed_observations_never_overwrite_a_persons_and_recomputing_replaces_the_series() {
    for db in common::databases().await {
        with_body(&db.store).await;
        let body = pcplan_demo::ids::BODY;
        let manual = [observed("2022-03", (2022, 3), "E08000025", 120.0)];
        let changes = db
            .store
            .record_observations(&analyst(), body, MEASURE, ObservationSource::Manual, &manual)
            .await
            .expect("entered");
        assert_eq!(changes.added, 1);

        let computed = [
            observed("2022-03", (2022, 3), "E08000025", 118.0),
            observed("2022-03", (2022, 3), "E08000026", 40.0),
            observed("2022-04", (2022, 4), "E08000026", 44.0),
        ];
        let changes = db
            .store
            .record_observations(&analyst(), body, MEASURE, ObservationSource::Computed, &computed)
            .await
            .expect("computed");
        assert_eq!((changes.added, changes.kept), (2, 1));
        let stored = db.store.observations(MEASURE).await.expect("read");
        assert_eq!(stored.len(), 3);
        assert_eq!(stored[0].value, 120.0, "the person's value stays");
        assert_eq!(stored[0].source, ObservationSource::Manual);

        // Recomputing with April gone removes it; the same values again change nothing.
        let changes = db
            .store
            .record_observations(&analyst(), body, MEASURE, ObservationSource::Computed, &computed[..2])
            .await
            .expect("recomputed");
        assert_eq!((changes.unchanged, changes.kept, changes.removed), (1, 1, 1));
        assert_eq!(db.store.observations(MEASURE).await.expect("read").len(), 2);

        let repeated = [computed[1].clone(), computed[1].clone()];
        let refused =
            db.store.record_observations(&analyst(), body, MEASURE, ObservationSource::Import, &repeated).await;
        assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");
        db.store.delete_observation(&analyst(), MEASURE, "2022-03", "E08000025").await.expect("deleted");
        assert!(db.store.delete_observation(&analyst(), MEASURE, "2022-03", "E08000025").await.is_err());
        assert_eq!(db.store.body_observations(body).await.expect("read").len(), 1);

        let feed = MeasureFeed::CrimesOfType { crime_type: "Burglary".to_owned() };
        db.store.set_measure_feed(&analyst(), body, MEASURE, Some(&feed)).await.expect("feed");
        assert_eq!(db.store.measure_feeds(body).await.expect("feeds"), [(MEASURE, feed)]);
        db.store.set_measure_feed(&analyst(), body, MEASURE, None).await.expect("cleared");
        assert!(db.store.measure_feeds(body).await.expect("feeds").is_empty());

        let audit = db.store.audit_log(100, 0).await.expect("audit");
        let entities: Vec<&str> = audit.iter().map(|e| e.entity.as_str()).collect();
        assert!(entities.contains(&"observations") && entities.contains(&"measure_feed"), "{entities:?}");
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}

#[tokio::test]
async fn grades_follow_the_bodys_scale_and_status_updates_are_kept_in_order() {
    use pcplan_domain::UpdateId;
    use pcplan_domain::grade::{GradeEntry, GradeInput, GradeScale, GradeScaleInput};
    use pcplan_domain::period::Period;
    use pcplan_domain::plan::Status;
    use pcplan_domain::rollup::{Evidence, StatusUpdate};

    for db in common::databases().await {
        with_body(&db.store).await;
        let body = pcplan_demo::ids::BODY;
        let scales = db.store.grade_scales(body).await.expect("scales");
        assert_eq!(scales, [GradeScale::rag()], "the preset until the body sets its own");
        let march = Period::month(2022, 3).expect("period");
        let entry = |grade: &str, narrative: &str| GradeEntry {
            period: march,
            grade: grade.to_owned(),
            narrative: narrative.to_owned(),
        };
        let rag = GradeScale::rag().name().to_owned();
        db.store
            .record_grade(&analyst(), body, MEASURE, &rag, &entry("amber", "Up on last March"))
            .await
            .expect("graded");
        db.store
            .record_grade(&analyst(), body, MEASURE, &rag, &entry("green", "Within the limits"))
            .await
            .expect("again");
        let grades = db.store.grades(body).await.expect("grades");
        assert_eq!(grades.len(), 1, "a period has one grade");
        assert_eq!(grades[0].entry.grade, "green");
        let refused = db.store.record_grade(&analyst(), body, MEASURE, &rag, &entry("purple", "x")).await;
        assert!(matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].problem.contains("`purple`")), "{refused:?}");

        let commitments = GradeScale::parse(GradeScaleInput {
            name: "Commitment status".to_owned(),
            grades: [("blue", "Complete"), ("green", "On track"), ("yellow", "Some slippage"), ("red", "Off track")]
                .into_iter()
                .map(|(code, label)| GradeInput {
                    code: code.to_owned(),
                    label: label.to_owned(),
                    meaning: String::new(),
                    colour: code.to_owned(),
                })
                .collect(),
        })
        .expect("scale");
        db.store.set_grade_scales(&analyst(), body, &[GradeScale::rag(), commitments.clone()]).await.expect("scales");
        assert_eq!(db.store.grade_scales(body).await.expect("read").len(), 2);
        let twice = [commitments.clone(), commitments];
        assert!(db.store.set_grade_scales(&analyst(), body, &twice).await.is_err());
        db.store
            .record_grade(&analyst(), body, MEASURE, "Commitment status", &entry("blue", "Delivered in March"))
            .await
            .expect("on the body's own scale");
        // A grade given keeps its scale and its code: neither can be taken away.
        let without = db.store.set_grade_scales(&analyst(), body, &[GradeScale::rag()]).await;
        match without {
            Err(StoreError::Fields(problems)) => {
                assert!(
                    problems.0[0].problem.contains("on the scale `Commitment status`; keep that scale"),
                    "{problems}"
                )
            }
            other => panic!("{}: expected a refusal, got {other:?}", db.name),
        }
        let mut no_blue = GradeScaleInput::from(db.store.grade_scales(body).await.expect("read")[1].clone());
        no_blue.grades.retain(|g| g.code != "blue");
        let no_blue = GradeScale::parse(no_blue).expect("three grades");
        let refused = db.store.set_grade_scales(&analyst(), body, &[GradeScale::rag(), no_blue]).await;
        assert!(matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].problem.contains("are `blue`")), "{refused:?}");
        assert_eq!(db.store.grade_scales(body).await.expect("read").len(), 2, "nothing changed");

        let today = NaiveDate::from_ymd_opt(2022, 10, 31).expect("date");
        let update = |on: u32, status: Status, commentary: &str| StatusUpdate {
            date: NaiveDate::from_ymd_opt(2022, on, 1).expect("date"),
            status,
            commentary: commentary.to_owned(),
            evidence: None,
            by: "Chief Inspector A. Khan".to_owned(),
        };
        let late = update(9, Status::Late, "");
        let refused = db.store.add_status_update(&analyst(), body, MEASURE, UpdateId::new(), &late, today).await;
        assert!(matches!(refused, Err(StoreError::Fields(_))), "Late needs a commentary");
        let mut done = update(10, Status::Complete, "Hub opened");
        done.evidence =
            Some(Evidence::Link { url: "https://example.police.uk/hub".to_owned(), title: "News".to_owned() });
        db.store.add_status_update(&analyst(), body, MEASURE, UpdateId::new(), &done, today).await.expect("complete");
        let risk = update(8, Status::AtRisk, "Contractor delay");
        db.store.add_status_update(&analyst(), body, MEASURE, UpdateId::new(), &risk, today).await.expect("at risk");
        let updates = db.store.status_updates(body).await.expect("updates");
        let statuses: Vec<Status> = updates.iter().map(|u| u.update.status).collect();
        assert_eq!(statuses, [Status::AtRisk, Status::Complete], "by date, not by the order given");
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}
