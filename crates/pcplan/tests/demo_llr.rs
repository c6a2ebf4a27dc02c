//! `pcplan demo` loads the second body, Leicester, Leicestershire and Rutland, with a
//! year of real police.uk crime data the way an analyst would: the months stored, the
//! plan's crime measures computed per month and area from them (counts beside the
//! charge share), the hand-entered survey figures kept apart, and the site body still
//! West Midlands. Running it again adds nothing.

use pcplan_demo::ids::{
    BODY, LLR_BODY, LLR_PANEL_PERFORMANCE_2023, LLR21_MEA_BURGLARY, LLR21_MEA_CHARGE_SHARE, LLR21_MEA_CRIME,
    LLR21_MEA_VICTIM_SATISFACTION,
};
use pcplan_store::{CrimeFilter, ObservationSource};

#[test]
fn the_demo_loads_a_year_of_leicestershire_crime_data_and_computes_its_measures() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = pcplan_store::Store::connect(&url).await.expect("open");
        pcplan::commands::load_demo(&store).await.expect("demo loads");
        assert_eq!(store.site_body().await.expect("site body"), Some(BODY), "West Midlands stays the site body");

        // 13 months, 2021-10 to 2022-10: 122,718 rows in the real files (pcplan-crime's
        // tests check the count against an independent one).
        let months = store.crime_months(LLR_BODY).await.expect("months");
        assert_eq!(months.len(), 13);
        assert_eq!(months.first().map(|m| m.month.as_str()), Some("2021-10"));
        assert_eq!(months.iter().map(|m| m.crimes).sum::<i64>(), 122_718);
        assert_eq!(store.lsoa_areas(LLR_BODY).await.expect("lookup").len(), 611);

        // All crime, force-wide, per month: what the crime data gives with anti-social
        // behaviour left out.
        let crime = store.observations(LLR21_MEA_CRIME).await.expect("observations");
        let force: Vec<_> = crime.iter().filter(|o| o.area_code.is_empty()).collect();
        assert_eq!(force.len(), 13);
        assert!(force.iter().all(|o| o.source == ObservationSource::Computed));
        let filter = CrimeFilter { exclude_types: vec!["Anti-social behaviour".to_owned()], ..CrimeFilter::default() };
        let totals = store.crime_totals(LLR_BODY, &filter).await.expect("totals");
        let october: i64 = totals.iter().filter(|t| t.month == "2022-10").map(|t| t.count).sum();
        let observed = force.iter().find(|o| o.period == "2022-10").expect("October 2022");
        assert_eq!(observed.value, october as f64);
        let areas: std::collections::BTreeSet<&str> =
            crime.iter().filter(|o| !o.area_code.is_empty()).map(|o| o.area_code.as_str()).collect();
        assert_eq!(areas.len(), 9, "every local authority area has its own series");
        assert!(!store.observations(LLR21_MEA_BURGLARY).await.expect("burglary").is_empty());

        // The charge share carries its counts, out of the month's crimes.
        let share = store.observations(LLR21_MEA_CHARGE_SHARE).await.expect("share");
        let october_share = share.iter().find(|o| o.period == "2022-10" && o.area_code.is_empty()).expect("share");
        assert_eq!(october_share.denominator, Some(october));
        let charged = october_share.numerator.expect("a count");
        assert!(charged > 0 && charged < october);
        assert!((october_share.value - 100.0 * charged as f64 / october as f64).abs() < 1e-9);
        // Half of October's crimes were still under investigation when police.uk published
        // it (4,652 of 9,050 by an independent count of the file), so its share says its
        // outcomes are still coming in; a year earlier none were, and it says nothing.
        assert!(october_share.note.contains("4,652 of these 9,050 crimes (51.4%)"), "{}", october_share.note);
        let a_year_before = share.iter().find(|o| o.period == "2021-10" && o.area_code.is_empty()).expect("2021-10");
        assert_eq!(a_year_before.note, "");

        let survey = store.observations(LLR21_MEA_VICTIM_SATISFACTION).await.expect("survey");
        assert_eq!(survey.len(), 3);
        assert!(survey.iter().all(|o| o.source == ObservationSource::Manual && o.numerator.is_some()));
        assert_eq!(store.grades(LLR_BODY).await.expect("grades").len(), 1);
        assert_eq!(store.status_updates(LLR_BODY).await.expect("updates").len(), 2);
        // The Panel meeting a board performance report can be attached to.
        let meetings = store.meetings(LLR_BODY).await.expect("meetings");
        assert_eq!(meetings.iter().map(|m| m.id).collect::<Vec<_>>(), vec![LLR_PANEL_PERFORMANCE_2023]);

        let entries = store.audit_log(1, 0).await.expect("audit")[0].seq;
        pcplan::commands::load_demo(&store).await.expect("demo loads again");
        let after = store.audit_log(1, 0).await.expect("audit")[0].seq;
        // A second run re-sets the demo password (one entry) and adds nothing else.
        assert!(after - entries <= 1, "{entries} then {after}");
        assert_eq!(store.crime_months(LLR_BODY).await.expect("months").len(), 13);
    });
}
