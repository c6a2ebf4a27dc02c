//! Importing observations of several measures at once, on both backends: one
//! transaction for the whole file (a bad row of one measure stores nothing of any), an
//! imported figure replacing an entered one and kept when the measure is computed again,
//! the same file twice adding and auditing nothing, and the audit naming the file.

mod common;

use chrono::NaiveDate;
use pcplan_demo::ids::{BODY, MEA_TOTAL_CRIME, MEA_VICTIM_SATISFACTION};
use pcplan_domain::UserId;
use pcplan_store::{
    Actor, ImportEffect, MeasureRows, NewObservation, ObservationSource, Store, StoreError, import_effect,
};

fn analyst() -> Actor {
    Actor { user: Some(UserId::from_u128(97)), name: "Performance analyst (analyst)".to_owned() }
}

fn observed(month: u32, area: &str, value: f64) -> NewObservation {
    NewObservation {
        period: format!("2022-{month:02}"),
        period_start: NaiveDate::from_ymd_opt(2022, month, 1).expect("a real date"),
        area_code: area.to_owned(),
        value,
        numerator: None,
        denominator: None,
        note: String::new(),
    }
}

fn share(month: u32, n: i64, d: i64) -> NewObservation {
    let mut row = observed(month, "", 100.0 * n as f64 / d as f64);
    row.numerator = Some(n);
    row.denominator = Some(d);
    row
}

/// The file of the tests: total recorded crime for two months (force-wide and
/// Birmingham) and victim satisfaction for one.
fn file() -> Vec<MeasureRows> {
    vec![
        MeasureRows {
            measure: MEA_TOTAL_CRIME,
            rows: vec![observed(4, "", 520.0), observed(4, "E08000025", 210.0), observed(5, "", 498.0)],
        },
        MeasureRows { measure: MEA_VICTIM_SATISFACTION, rows: vec![share(4, 57, 70)] },
    ]
}

async fn imports(store: &Store) -> usize {
    let log = store.audit_log(1000, 0).await.expect("audit");
    log.iter().filter(|e| e.action == "import" && e.entity == "observations").count()
}

#[tokio::test]
async fn a_file_of_several_measures_is_stored_whole_and_again_adds_nothing() {
    for db in common::databases().await {
        db.store.import_plan(&analyst(), &pcplan_demo::plan_file()).await.expect("the demo body");
        // A figure entered by staff for April, which the import replaces.
        let entered = [observed(4, "", 515.0)];
        db.store
            .record_observations(&analyst(), BODY, MEA_TOTAL_CRIME, ObservationSource::Manual, &entered)
            .await
            .expect("entered");
        let before = db.store.observations(MEA_TOTAL_CRIME).await.expect("read");
        assert_eq!(import_effect(before.first(), &file()[0].rows[0]), ImportEffect::Changed, "{}", db.name);

        let summary =
            db.store.import_observations(&analyst(), BODY, "figures.csv", "ab12", &file()).await.expect("imported");
        assert_eq!((summary.added, summary.changed, summary.unchanged), (3, 1, 0), "{}", db.name);
        assert_eq!(summary.measures.len(), 2);
        let crime = db.store.observations(MEA_TOTAL_CRIME).await.expect("read");
        assert_eq!(crime.len(), 3);
        assert!(crime.iter().all(|o| o.source == ObservationSource::Import), "{crime:?}");
        assert_eq!(crime[0].value, 520.0, "the imported figure replaced the entered one");
        let satisfaction = db.store.observations(MEA_VICTIM_SATISFACTION).await.expect("read");
        assert_eq!((satisfaction[0].numerator, satisfaction[0].denominator), (Some(57), Some(70)));

        let log = db.store.audit_log(1000, 0).await.expect("audit");
        let import = log.iter().find(|e| e.action == "import" && e.entity == "observations").expect("the import");
        let after = import.after.as_ref().expect("what was imported");
        assert_eq!(
            (after["file"].as_str(), after["rows"].as_u64(), after["added"].as_u64()),
            (Some("figures.csv"), Some(4), Some(3))
        );
        assert!(log.iter().any(|e| e.entity == "observations" && e.entity_id == MEA_VICTIM_SATISFACTION.to_string()));

        // The same file again: nothing changes and nothing more is audited.
        let entries = log.len();
        let again =
            db.store.import_observations(&analyst(), BODY, "figures.csv", "ab12", &file()).await.expect("again");
        assert_eq!((again.added, again.changed, again.unchanged), (0, 0, 4), "{}", db.name);
        assert_eq!(db.store.audit_log(1000, 0).await.expect("audit").len(), entries, "{}", db.name);

        // Computing the measure later keeps the imported figures.
        let computed = [observed(4, "", 530.0), observed(6, "", 480.0)];
        let changes = db
            .store
            .record_observations(&analyst(), BODY, MEA_TOTAL_CRIME, ObservationSource::Computed, &computed)
            .await
            .expect("computed");
        assert_eq!((changes.added, changes.kept), (1, 1));
        let april = db.store.observations(MEA_TOTAL_CRIME).await.expect("read");
        assert_eq!(april[0].value, 520.0, "{}: the imported figure stays", db.name);
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_bad_row_of_one_measure_stores_nothing_of_any() {
    for db in common::databases().await {
        db.store.import_plan(&analyst(), &pcplan_demo::plan_file()).await.expect("the demo body");
        let mut bad = file();
        // Victim satisfaction: 80 of 70 cannot be.
        bad[1].rows.push(share(5, 80, 70));
        let refused = db.store.import_observations(&analyst(), BODY, "figures.csv", "ab12", &bad).await;
        match &refused {
            Err(StoreError::Fields(problems)) => {
                let problem = &problems.0[0].problem;
                assert!(problem.starts_with(&format!("measure {MEA_VICTIM_SATISFACTION}: row 2")), "{problem}");
            }
            other => panic!("{}: expected the row refused, got {other:?}", db.name),
        }
        assert!(db.store.observations(MEA_TOTAL_CRIME).await.expect("read").is_empty(), "{}", db.name);
        assert_eq!(imports(&db.store).await, 0);

        let twice = [file()[0].clone(), file()[0].clone()];
        assert!(matches!(
            db.store.import_observations(&analyst(), BODY, "twice.csv", "cd34", &twice).await,
            Err(StoreError::Fields(_))
        ));
        let empty = [MeasureRows { measure: MEA_TOTAL_CRIME, rows: Vec::new() }];
        assert!(matches!(
            db.store.import_observations(&analyst(), BODY, "empty.csv", "ef56", &empty).await,
            Err(StoreError::Fields(_))
        ));
        let unknown = pcplan_domain::BodyId::from_u128(0xbad);
        assert!(matches!(
            db.store.import_observations(&analyst(), unknown, "figures.csv", "ab12", &file()).await,
            Err(StoreError::NotFound { .. })
        ));
        assert_eq!(db.store.body_observations(BODY).await.expect("read").len(), 0, "{}", db.name);
        db.finish().await;
    }
}
