//! The register of Notices of Decision on both backends: numbers given in the write
//! transaction are never shared, reused or skipped, even when many drafts are made at
//! once; a withdrawn draft keeps its number; a signed decision never changes; the year
//! basis is a stored setting; every change is audited.

mod common;

use chrono::NaiveDate;
use pcplan_domain::decision::{
    ContactOfficer, Correction, DecisionContent, DecisionMaker, DecisionNumber, DecisionStatus, RegisterSettings,
    Signature, Withdrawal, YearBasis,
};
use pcplan_domain::{BodyId, DecisionId};
use pcplan_store::{Actor, DecisionFilter, Store, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn actor() -> Actor {
    Actor::system("decisions test")
}

fn content(title: &str) -> DecisionContent {
    DecisionContent {
        title: title.to_string(),
        contact: ContactOfficer { name: String::from("Jacky Courtney"), ..Default::default() },
        executive_summary: String::from("Summary"),
        decision: String::from("That it is approved."),
        decision_maker: DecisionMaker {
            office: String::from("West Midlands Police and Crime Commissioner"),
            holder: String::from("Bob Jones"),
        },
        ..Default::default()
    }
}

/// Makes a draft of the demo body, drafted on `on`.
async fn draft(store: &Store, on: NaiveDate, title: &str) -> pcplan_store::Result<pcplan_domain::decision::Decision> {
    store.create_decision(&actor(), DecisionId::new(), pcplan_demo::ids::BODY, on, &content(title)).await
}

async fn with_body(store: &Store) -> BodyId {
    store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("import the demo");
    pcplan_demo::ids::BODY
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn drafts_made_at_once_get_every_number_once_with_none_skipped() {
    for db in common::databases().await {
        let body = with_body(&db.store).await;
        let mut tasks = Vec::new();
        for i in 0..24 {
            let store = db.store.clone();
            tasks.push(tokio::spawn(async move {
                store
                    .create_decision(&actor(), DecisionId::new(), body, date(2014, 2, 10), &content(&format!("D{i}")))
                    .await
            }));
        }
        let mut numbers = Vec::new();
        for task in tasks {
            numbers.push(task.await.expect("task").expect("created").number.seq);
        }
        numbers.sort_unstable();
        assert_eq!(numbers, (1..=24).collect::<Vec<u32>>(), "{}", db.name);
        let stored =
            db.store.decisions(&DecisionFilter { body: Some(body), ..Default::default() }).await.expect("list");
        assert_eq!(stored.len(), 24, "{}", db.name);
        assert_eq!(stored[0].number, DecisionNumber { year: 2014, seq: 24 }, "newest first");
        let log = db.store.audit_log(1000, 0).await.expect("log");
        assert_eq!(log.iter().filter(|e| e.entity == "decision" && e.action == "create").count(), 24);
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_withdrawn_draft_keeps_its_number_and_the_next_draft_takes_the_one_after() {
    for db in common::databases().await {
        let store = &db.store;
        with_body(store).await;
        let first = draft(store, date(2014, 1, 6), "One").await;
        let first = first.expect("created");
        assert_eq!(first.number.to_string(), "001/2014");
        let withdrawal =
            Withdrawal { on: date(2014, 1, 7), by: String::from("OPCC"), reason: String::from("Duplicate") };
        let withdrawn = store.withdraw_decision(&actor(), first.id, &withdrawal).await.expect("withdrawn");
        assert_eq!(withdrawn.status, DecisionStatus::Withdrawn);
        let second = draft(store, date(2014, 1, 8), "Two").await;
        assert_eq!(second.expect("created").number.to_string(), "002/2014", "{}", db.name);
        // A new year starts again at 1.
        let next_year = draft(store, date(2015, 1, 2), "Three");
        assert_eq!(next_year.await.expect("created").number.to_string(), "001/2015");
        let refused = store.update_decision(&actor(), first.id, &content("Changed")).await;
        assert!(matches!(refused, Err(StoreError::Conflict(_))), "{refused:?}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_signed_decision_is_frozen_and_takes_only_correction_notes() {
    for db in common::databases().await {
        let store = &db.store;
        with_body(store).await;
        let draft = draft(store, date(2014, 2, 20), "Plan");
        let draft = draft.await.expect("created");
        let updated = store.update_decision(&actor(), draft.id, &content("Plan as varied")).await.expect("updated");
        assert_eq!(updated.content.title, "Plan as varied");

        let mut bad = content("");
        bad.contact.email = String::from("nobody");
        match store.update_decision(&actor(), draft.id, &bad).await {
            Err(StoreError::Fields(problems)) => {
                let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
                assert_eq!(fields, ["title", "contact.email"]);
            }
            other => panic!("expected field problems, got {other:?}"),
        }

        let future = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2014, 3, 1) };
        let refused = store.sign_decision(&actor(), draft.id, &future, date(2014, 2, 25)).await;
        assert!(matches!(refused, Err(StoreError::Fields(_))), "{refused:?}");
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2014, 2, 25) };
        let signed = store.sign_decision(&actor(), draft.id, &signature, date(2014, 2, 25)).await.expect("signed");
        assert_eq!(signed.status, DecisionStatus::Signed);
        assert!(matches!(store.update_decision(&actor(), draft.id, &content("X")).await, Err(StoreError::Conflict(_))));
        let note = Correction { on: date(2014, 3, 3), by: String::from("OPCC"), text: String::from("Typo in para 2") };
        let corrected = store.correct_decision(&actor(), draft.id, &note).await.expect("corrected");
        assert_eq!(corrected.corrections, vec![note]);
        assert_eq!(corrected.content.title, "Plan as varied");

        let filter = DecisionFilter {
            statuses: vec![DecisionStatus::Signed],
            title: Some(String::from("VARIED plan")),
            signed_from: Some(date(2014, 2, 1)),
            signed_to: Some(date(2014, 2, 28)),
            ..Default::default()
        };
        assert_eq!(store.decisions(&filter).await.expect("search").len(), 1);
        let outside = DecisionFilter { signed_to: Some(date(2014, 2, 24)), ..filter };
        assert!(store.decisions(&outside).await.expect("search").is_empty());

        let actions: Vec<String> = store
            .audit_log(100, 0)
            .await
            .expect("log")
            .into_iter()
            .filter(|e| e.entity == "decision")
            .map(|e| e.action)
            .collect();
        assert_eq!(actions, ["correct", "sign", "update", "create"], "{}", db.name);
        db.finish().await;
    }
}

/// Signing records the content's hash; a change to a published document made behind the
/// application's back (straight into the database, where the audit chain never sees it)
/// is found by `verify_publications`, for decisions and plan versions alike.
#[tokio::test]
async fn a_published_document_changed_behind_the_registers_back_is_found() {
    for db in common::databases().await {
        let store = &db.store;
        store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("import the demo plan");
        let draft = draft(store, date(2014, 2, 20), "Grant to victims' services").await.expect("created");
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2014, 2, 25) };
        let signed = store.sign_decision(&actor(), draft.id, &signature, date(2014, 2, 25)).await.expect("signed");
        assert_eq!(signed.content_hash, Some(signed.content.hash()), "{}", db.name);
        // An imported signed decision gets its hash on the way in.
        for decision in pcplan_demo::decisions::decisions() {
            store.import_decision(&actor(), &decision).await.expect("import");
            let stored = store.decision(decision.id).await.expect("read").expect("stored");
            assert_eq!(stored.content_intact(), Some(true), "{}", decision.number);
        }
        let report = store.verify_publications().await.expect("verify");
        assert_eq!(report.checked, 4 + 3, "{}: four plan versions and three signed decisions", db.name);
        assert!(report.altered.is_empty(), "{:?}", report.altered);

        store
            .execute_raw(&format!(
                "UPDATE decisions SET data = replace(data, 'victims', 'victim''s') WHERE id = '{}'",
                draft.id
            ))
            .await
            .expect("tamper with the decision");
        let report = store.verify_publications().await.expect("verify");
        assert_eq!(report.altered.len(), 1, "{}", db.name);
        assert_eq!(report.altered[0].what, format!("decision {}", signed.number));
        assert_eq!(report.altered[0].recorded, signed.content.hash());
        assert!(store.verify_audit().await.expect("audit").first_broken.is_none(), "the audit chain cannot see it");
        db.finish().await;
    }
}

#[tokio::test]
async fn an_imported_decision_keeps_its_number_and_later_drafts_follow_it() {
    for db in common::databases().await {
        let store = &db.store;
        with_body(store).await;
        let decision = pcplan_demo::decisions::decision_018_2013();
        store.import_decision(&actor(), &decision).await.expect("imported");
        // Stored as given, with the hash of its published content recorded on the way in.
        let published =
            pcplan_domain::decision::Decision { content_hash: Some(decision.content.hash()), ..decision.clone() };
        assert_eq!(store.decision(decision.id).await.expect("read"), Some(published));
        let again = store.import_decision(&actor(), &decision).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
        let next = draft(store, date(2013, 4, 2), "Next");
        assert_eq!(next.await.expect("created").number.to_string(), "019/2013", "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn the_year_basis_is_stored_and_cannot_change_once_numbers_are_given() {
    for db in common::databases().await {
        let store = &db.store;
        let body = with_body(store).await;
        assert_eq!(store.register_settings(body).await.expect("read").year_basis, YearBasis::Calendar);
        let financial = RegisterSettings { year_basis: YearBasis::Financial };
        store.set_register_settings(&actor(), body, &financial).await.expect("saved");
        assert_eq!(store.register_settings(body).await.expect("read"), financial);
        let d = draft(store, date(2014, 2, 25), "FY").await;
        assert_eq!(d.expect("created").number.to_string(), "001/2013", "February 2014 is in 2013/14");
        let back = store.set_register_settings(&actor(), body, &RegisterSettings::default()).await;
        assert!(matches!(back, Err(StoreError::Conflict(_))), "{back:?}");
        let unknown = store.register_settings(BodyId::from_u128(9)).await;
        assert!(matches!(unknown, Err(StoreError::NotFound { .. })));
        db.finish().await;
    }
}
