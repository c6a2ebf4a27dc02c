//! `pcplan demo` loads the Panel's report of 14 February 2014 and publishes the
//! Commissioner's response, which records the variation's response steps; running it
//! again changes nothing, and a database whose process already records those steps
//! (loaded before Panel reports existed) gets the report linked to them.

use pcplan_demo::report::{PUBLISHED_ON, REPORT_2014};
use pcplan_domain::process::Step;

#[test]
fn the_demo_publishes_the_response_to_the_panels_report_through_the_clock() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = pcplan_store::Store::connect(&url).await.expect("open");
        pcplan::commands::load_demo(&store).await.expect("demo loads");
        let report = store.report(REPORT_2014).await.expect("read").expect("the report");
        assert_eq!(report.recommendations().len(), 7);
        assert_eq!(report.response.published.as_ref().map(|p| p.on), Some(PUBLISHED_ON));
        assert!(report.illustrative);
        let process = store.process(pcplan_demo::ids::VARIATION_2014).await.expect("read").expect("process");
        assert_eq!(process.process.steps.len(), 10);
        let published = process.process.evidence(Step::ResponsePublished).expect("recorded by publishing");
        assert_eq!(published.on, PUBLISHED_ON);
        assert_eq!(published.link.as_deref(), Some(pcplan::demo_report::public_path().as_str()));

        let audit = store.audit_log(10_000, 0).await.expect("audit").len();
        pcplan::commands::load_demo(&store).await.expect("demo loads again");
        let again = store.report(REPORT_2014).await.expect("read").expect("the report");
        assert_eq!(again, report, "running the demo again leaves the report as it was");
        // The second run sets a new one-time password (one entry) and nothing else.
        assert_eq!(store.audit_log(10_000, 0).await.expect("audit").len(), audit + 1);
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None);
        store.close().await;
    });
}

#[test]
fn a_database_whose_process_already_records_the_response_gets_the_report_linked_to_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("old.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = pcplan_store::Store::connect(&url).await.expect("open");
        let actor = pcplan_store::Actor::system("test");
        // As an earlier `pcplan demo` left it: the plan, the meeting and all ten steps.
        store.import_plan(&actor, &pcplan_demo::plan_file()).await.expect("plan");
        store.create_meeting(&actor, &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
        let process = store
            .create_process(
                &actor,
                pcplan_demo::ids::VARIATION_2014,
                pcplan_demo::ids::PLAN,
                pcplan_domain::process::ProcessKind::Variation,
                Some(pcplan_demo::ids::MEETING_2014),
            )
            .await
            .expect("process");
        for (step, evidence) in pcplan_demo::process::variation_steps_2014() {
            store.record_step(&actor, process.id, step, &evidence).await.expect("step");
        }
        pcplan::demo_report::load(&store, &actor).await.expect("the report loads");
        let report = store.report(REPORT_2014).await.expect("read").expect("the report");
        assert_eq!(report.response.published.as_ref().map(|p| p.on), Some(PUBLISHED_ON));
        let stored = store.process(process.id).await.expect("read").expect("process");
        assert_eq!(stored.process.steps.len(), 10, "no step recorded twice");
        store.close().await;
    });
}
