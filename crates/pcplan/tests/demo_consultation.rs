//! `pcplan demo` loads the 2021 call for evidence in miniature the way staff would run
//! it: 329 responses, themes found by the analysis and reviewed into the seed's themes,
//! each linked to the plan, the population table with Solihull under-represented, and
//! "you said, we did" published with redacted quotes only. Running it again adds nothing.

use std::collections::BTreeMap;

use pcplan_demo::consultation::{RESPONSES, THEME_GUIDES};
use pcplan_demo::ids;
use pcplan_domain::consultation::ThemeSetState;
use pcplan_domain::representation::{AreaPopulation, Representation, RepresentationRules, representation};
use pcplan_store::Dimension;

#[test]
fn the_demo_runs_the_call_for_evidence_from_responses_to_you_said_we_did() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = pcplan_store::Store::connect(&url).await.expect("open");
        pcplan::commands::load_demo(&store).await.expect("demo loads");

        let (total, _) = store.responses(ids::EXERCISE_CALL_2021, 0, 1).await.expect("responses");
        assert_eq!(total, RESPONSES as i64);
        assert_eq!(store.events(ids::EXERCISE_ROUNDTABLES_2021).await.expect("events").len(), 4);

        let sets = store.theme_sets(ids::Q_PRIORITIES).await.expect("sets");
        assert_eq!(sets.len(), 1);
        assert_eq!(sets[0].state, ThemeSetState::Final);
        assert_eq!(sets[0].info.campaigns, 1, "the 15 copies are one campaign");
        let (_, themes) = store.theme_set(sets[0].id).await.expect("read").expect("the set");
        let guide_labels: Vec<&str> = THEME_GUIDES.iter().map(|g| g.label).collect();
        let named: Vec<&str> = themes.iter().map(|t| t.label.as_str()).filter(|l| guide_labels.contains(l)).collect();
        assert!(named.len() >= 5, "most of the seed's themes are found: {named:?}");
        assert!(named.contains(&"Reducing violence") && named.contains(&"Community and local policing"), "{named:?}");
        assert!(themes.iter().filter(|t| guide_labels.contains(&t.label.as_str())).all(|t| t.outcome.is_some()));

        let exercise = store.exercise(ids::EXERCISE_CALL_2021).await.expect("read").expect("exercise");
        assert!(exercise.published_at.is_some());
        let quotes = store.published_quotes(ids::EXERCISE_CALL_2021).await.expect("quotes");
        assert!(quotes.len() >= named.len(), "quotes for every named theme");
        for quote in &quotes {
            for personal in ["@example.org", "07700", "0121 496", "B23 6TH", "Daniel Hughes", "Sarah Whitfield"] {
                assert!(!quote.text.contains(personal), "{personal} published in {}", quote.text);
            }
        }

        let populations: Vec<AreaPopulation> = store
            .populations(ids::BODY)
            .await
            .expect("populations")
            .into_iter()
            .map(|p| AreaPopulation { code: p.code, name: p.name, population: p.population as u64 })
            .collect();
        let by_area: BTreeMap<String, u64> = store
            .response_counts(ids::EXERCISE_CALL_2021, Dimension::Area)
            .await
            .expect("counts")
            .into_iter()
            .map(|(area, n)| (area, n as u64))
            .collect();
        let report = representation(&populations, &by_area, &RepresentationRules::default());
        let solihull = report.areas.iter().find(|a| a.code == "E08000029").expect("Solihull");
        assert_eq!(solihull.status, Representation::Under);

        let audit = store.audit_log(100_000, 0).await.expect("audit").len();
        pcplan::commands::load_demo(&store).await.expect("demo loads again");
        let (again, _) = store.responses(ids::EXERCISE_CALL_2021, 0, 1).await.expect("responses");
        assert_eq!(again, total);
        // The second run sets a new one-time password (one entry) and nothing else.
        assert_eq!(store.audit_log(100_000, 0).await.expect("audit").len(), audit + 1);
        store.close().await;
    });
}
