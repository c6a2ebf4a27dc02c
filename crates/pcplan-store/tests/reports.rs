//! Panel reports and responses in the store, on every configured backend: a report is
//! stored whole or refused with the field named; every change is audited; publishing
//! records the process's response steps in the same transaction, or nothing at all.

mod common;

use chrono::NaiveDate;
use pcplan_demo::report::{REPORT_2014, report_2014, response_edits_2014};
use pcplan_domain::process::{ProcessKind, Step};
use pcplan_domain::report::{Edit, EntryInput, EntryKind, Owner, Tracking};
use pcplan_domain::{MeetingId, ReportId, UserId};
use pcplan_store::{Actor, Store, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn staff() -> Actor {
    Actor::system("reports test")
}

/// The demo plan, its Panel meeting and its variation process with `steps` steps.
async fn demo(store: &Store, steps: usize) {
    store.import_plan(&staff(), &pcplan_demo::plan_file()).await.expect("plan");
    store.create_meeting(&staff(), &pcplan_demo::process::panel_meeting_2014()).await.expect("meeting");
    let process = store
        .create_process(
            &staff(),
            pcplan_demo::ids::VARIATION_2014,
            pcplan_demo::ids::PLAN,
            ProcessKind::Variation,
            Some(pcplan_demo::ids::MEETING_2014),
        )
        .await
        .expect("process");
    for (step, evidence) in pcplan_demo::process::variation_steps_2014().iter().take(steps) {
        store.record_step(&staff(), process.id, *step, evidence).await.expect("step");
    }
}

#[tokio::test]
async fn a_report_is_stored_whole_every_change_is_audited_and_publishing_records_the_steps() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store, 4).await;
        let report = store.create_report(&staff(), REPORT_2014, report_2014(), true).await.expect("create");
        assert_eq!(store.report(REPORT_2014).await.expect("read"), Some(report.clone()), "{name}");
        assert_eq!(report.sections.len(), 10, "{name}");
        let before = store.audit_log(1000, 0).await.expect("log").len();
        let edits = response_edits_2014(&report);
        let count = edits.len();
        for edit in edits {
            store.edit_report(&staff(), REPORT_2014, edit).await.expect("edit");
        }
        assert_eq!(store.audit_log(1000, 0).await.expect("log").len(), before + count, "one entry per change, {name}");
        let answered = store.report(REPORT_2014).await.expect("read").expect("stored");
        let r6 = &answered.recommendations()[5].2;
        let titles: Vec<&str> =
            r6.answer.as_ref().expect("answered").changes.iter().map(|c| c.title.as_str()).collect();
        assert_eq!(
            titles,
            [
                "Tackle knife crime and firearms possession, including a knife surrender amnesty",
                "Knife surrender amnesty launched"
            ],
            "titles filled from the plan, {name}"
        );

        let published = store
            .publish_response(&staff(), REPORT_2014, date(2014, 2, 21), date(2014, 2, 20), "/reports/x")
            .await
            .expect("publish");
        assert!(published.response.published.is_some());
        let process = store.process(pcplan_demo::ids::VARIATION_2014).await.expect("read").expect("process");
        assert_eq!(process.process.evidence(Step::ResponseGiven).map(|e| e.on), Some(date(2014, 2, 20)), "{name}");
        assert_eq!(process.process.evidence(Step::ResponsePublished).map(|e| e.on), Some(date(2014, 2, 21)), "{name}");
        let log = store.audit_log(3, 0).await.expect("log");
        let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
        assert_eq!(actions, ["publish_response", "record_step", "record_step"], "{name}");
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");

        // Tracking goes on after publication; the report itself is fixed.
        let rfi = published.entries().find(|(_, e)| e.kind.is_tracked()).map(|(_, e)| e.id).expect("a request");
        let tracking = Tracking { owner: Some(Owner::Officer(String::from("Someone"))), due_on: None, done: None };
        store.edit_report(&staff(), REPORT_2014, Edit::Track { entry: rfi, tracking }).await.expect("track");
        let refused = store
            .edit_report(&staff(), REPORT_2014, Edit::AddSection { heading: String::from("Late"), text: String::new() })
            .await;
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{name}: {refused:?}");

        // Publishing recorded the hash of what it made public; tracking, which is not
        // public, leaves it intact, and a change straight in the database is found.
        let tracked = store.report(REPORT_2014).await.expect("read").expect("stored");
        let recorded = tracked.response.content_hash.clone().expect("a hash recorded at publication");
        assert_eq!(recorded, published.public_hash(), "{name}");
        assert_eq!(tracked.response_intact(), Some(true), "{name}");
        let before = store.verify_publications().await.expect("verify");
        assert!(before.altered.is_empty(), "{name}: {:?}", before.altered);
        store
            .execute_raw(&format!(
                "UPDATE panel_reports SET data = replace(data, 'knife surrender amnesty', 'amnesty') WHERE id = '{}'",
                REPORT_2014
            ))
            .await
            .expect("tamper with the report");
        let after = store.verify_publications().await.expect("verify");
        assert_eq!(after.checked, before.checked, "{name}");
        assert_eq!(after.altered.len(), 1, "{name}: {:?}", after.altered);
        assert!(after.altered[0].what.starts_with("the response to the Panel report"), "{:?}", after.altered);
        assert_eq!(after.altered[0].recorded, recorded, "{name}");
        assert_ne!(after.altered[0].now, recorded, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn bad_input_is_refused_naming_the_field_and_nothing_is_written() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store, 4).await;
        let audit = store.audit_log(1000, 0).await.expect("log").len();
        let mut unknown_meeting = report_2014();
        unknown_meeting.meeting_id = MeetingId::from_u128(0xbad);
        let mut early = report_2014();
        early.received_on = date(2014, 1, 31);
        let mut untitled = report_2014();
        untitled.title = String::from("  ");
        untitled.sections[3].entries[0].text = String::new();
        for (input, fields) in [
            (unknown_meeting, vec!["meeting_id"]),
            (early, vec!["received_on"]),
            (untitled, vec!["title", "sections[3].entries[0].text"]),
        ] {
            match store.create_report(&staff(), ReportId::new(), input, false).await {
                Err(StoreError::Fields(problems)) => {
                    let named: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
                    assert_eq!(named, fields, "{name}");
                }
                other => panic!("{name}: expected field problems, got {other:?}"),
            }
        }
        let report = store.create_report(&staff(), REPORT_2014, report_2014(), false).await.expect("create");
        let section = report.sections[2].id;
        let owner_on_a_comment = EntryInput {
            id: None,
            kind: EntryKind::Comment,
            text: String::from("A comment"),
            owner: Some(Owner::Officer(String::from("Someone"))),
            due_on: None,
        };
        let refused =
            store.edit_report(&staff(), REPORT_2014, Edit::AddEntry { section, input: owner_on_a_comment }).await;
        assert!(
            matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].field.ends_with(".owner")),
            "{name}: {refused:?}"
        );
        let entry = report.entries().find(|(_, e)| e.kind.is_tracked()).map(|(_, e)| e.id).expect("a request");
        let ghost = Tracking { owner: Some(Owner::Staff(UserId::from_u128(0xdead))), due_on: None, done: None };
        let refused = store.edit_report(&staff(), REPORT_2014, Edit::Track { entry, tracking: ghost }).await;
        assert!(matches!(&refused, Err(StoreError::Fields(p)) if p.0[0].field == "owner"), "{name}: {refused:?}");
        // Publishing before review is refused and writes nothing, not even a step.
        let refused = store.publish_response(&staff(), REPORT_2014, date(2014, 2, 21), date(2014, 2, 21), "/r").await;
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{name}");
        assert_eq!(store.report(REPORT_2014).await.expect("read"), Some(report), "{name}");
        let process = store.process(pcplan_demo::ids::VARIATION_2014).await.expect("read").expect("process");
        assert!(process.process.evidence(Step::ResponseGiven).is_none(), "{name}");
        assert_eq!(store.audit_log(1000, 0).await.expect("log").len(), audit + 1, "only the good report, {name}");
        db.finish().await;
    }
}
