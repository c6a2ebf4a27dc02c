//! The store story: every store method, driven against every configured backend.
//!
//! The same test body runs on SQLite and, when `PCPLAN_TEST_POSTGRES_URL` is set, on
//! PostgreSQL, so the two backends cannot drift apart. The demo plan file gives a real
//! plan with four versions.

mod common;

use chrono::{Duration, NaiveDate, Utc};
use pcplan_domain::{Item, ItemId, Milestone, Objective, Record, RecordKind, Status, VersionKind, VersionNumber};
use pcplan_store::{Actor, MoveDirection, NewUser, PlanHeader, Role, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn editor() -> Actor {
    Actor::system("story test")
}

#[tokio::test]
async fn the_whole_life_of_a_plan_is_stored_and_audited_on_every_backend() {
    for db in common::databases().await {
        let store = &db.store;
        let name = &db.name;
        let file = pcplan_demo::plan_file();
        let plan_id = file.plan.id;

        // Bodies and plans.
        store.create_body(&editor(), &file.body).await.expect("create body");
        assert_eq!(store.bodies().await.expect("bodies"), vec![file.body.clone()], "{name}");
        assert_eq!(store.body(file.body.id).await.expect("body"), Some(file.body.clone()), "{name}");
        let first = file.versions[0].plan.clone();
        store.create_plan(&editor(), &first).await.expect("create plan");
        assert_eq!(store.plan(plan_id).await.expect("plan"), Some(first.clone()), "{name}");
        let summaries = store.plans().await.expect("plans");
        assert_eq!(summaries.len(), 1);
        assert_eq!(summaries[0].versions, 0);
        assert_eq!(summaries[0].latest_public, None);

        // The header.
        let mut header = PlanHeader::of(&first);
        header.vision = String::from("Pride in our Police, and in our communities");
        store.update_plan_header(&editor(), plan_id, &header).await.expect("header");
        assert_eq!(store.plan(plan_id).await.expect("plan").expect("exists").vision, header.vision, "{name}");

        // Records: add, update, move, delete.
        let objective = first.of_kind(RecordKind::Objective).next().expect("objective").clone();
        let milestone = Item {
            id: ItemId::from_u128(0x5707),
            parent: Some(objective.id),
            serves: vec![],
            illustrative: true,
            record: Record::Milestone(Milestone {
                title: String::from("Story milestone"),
                due: date(2013, 12, 31),
                status: Status::NotStarted,
            }),
        };
        store.add_item(&editor(), plan_id, &milestone).await.expect("add");
        let plan = store.plan(plan_id).await.expect("plan").expect("exists");
        assert_eq!(plan.children(Some(objective.id)).last().map(|i| i.id), Some(milestone.id), "{name}");

        let mut changed = milestone.clone();
        if let Record::Milestone(m) = &mut changed.record {
            m.status = Status::Complete;
        }
        store.update_item(&editor(), plan_id, &changed).await.expect("update");
        let siblings_before: Vec<ItemId> = store
            .plan(plan_id)
            .await
            .expect("plan")
            .expect("exists")
            .children(Some(objective.id))
            .map(|i| i.id)
            .collect();
        store.move_item(&editor(), plan_id, milestone.id, MoveDirection::Up).await.expect("move");
        let siblings_after: Vec<ItemId> = store
            .plan(plan_id)
            .await
            .expect("plan")
            .expect("exists")
            .children(Some(objective.id))
            .map(|i| i.id)
            .collect();
        if siblings_before.len() > 1 {
            let n = siblings_before.len();
            assert_eq!(siblings_after[n - 2], milestone.id, "{name}: moved up one place");
            assert_eq!(siblings_after[n - 1], siblings_before[n - 2], "{name}");
        }
        store.delete_item(&editor(), plan_id, milestone.id).await.expect("delete");
        assert!(store.plan(plan_id).await.expect("plan").expect("exists").item(milestone.id).is_none(), "{name}");

        // Versions.
        let meta = store
            .make_version(&editor(), plan_id, VersionKind::SentToPanel, "Draft for the Panel", Some(date(2013, 2, 4)))
            .await
            .expect("version");
        assert_eq!(meta.number, VersionNumber(1));
        let refused = store.make_version(&editor(), plan_id, VersionKind::Varied, "", None).await;
        assert!(matches!(refused, Err(StoreError::VersionRule(_))), "{name}: a variation before issue is refused");
        let issued = store.make_version(&editor(), plan_id, VersionKind::Issued, "", None).await.expect("issue");
        assert_eq!(issued.number, VersionNumber(2));
        assert_eq!(store.versions(plan_id).await.expect("versions").len(), 2, "{name}");
        let stored = store.version(plan_id, VersionNumber(1)).await.expect("version").expect("exists");
        assert_eq!(stored.meta, meta, "{name}");
        assert_eq!(stored.meta.content_hash, pcplan_domain::content_hash(&stored.plan));
        assert_eq!(store.plans().await.expect("plans")[0].latest_public, Some(VersionNumber(2)), "{name}");

        // Export gives back what is stored.
        let export = store.export_plan(plan_id).await.expect("export").expect("exists");
        assert_eq!(export.versions.len(), 2);
        export.check().expect("an export is a valid plan file");

        // Users and sessions.
        let user = store
            .create_user(
                &editor(),
                &NewUser {
                    username: String::from("amy"),
                    display_name: String::from("Amy Policy"),
                    role: Role::Editor,
                    password_hash: String::from("$argon2id$fake"),
                    one_time_password: true,
                    email: None,
                },
            )
            .await
            .expect("user");
        let taken = store
            .create_user(
                &editor(),
                &NewUser {
                    username: String::from("amy"),
                    display_name: String::from("Another Amy"),
                    role: Role::Viewer,
                    password_hash: String::from("x"),
                    one_time_password: false,
                    email: None,
                },
            )
            .await;
        assert!(matches!(taken, Err(StoreError::Conflict(_))), "{name}");
        assert_eq!(store.user(user.id).await.expect("user"), Some(user.clone()));
        let (found, hash) = store.user_by_username("amy").await.expect("lookup").expect("exists");
        assert_eq!((found.id, hash.as_str()), (user.id, "$argon2id$fake"));
        store.set_user_role(&editor(), user.id, Role::Viewer).await.expect("role");
        assert!(user.must_change_password, "{name}: a generated password is one-time");
        store.set_user_password(&editor(), user.id, "$argon2id$new").await.expect("password");
        assert!(!store.user(user.id).await.expect("user").expect("exists").must_change_password, "{name}");
        store.set_one_time_password(&editor(), user.id, "$argon2id$reset").await.expect("reset");
        assert!(store.user(user.id).await.expect("user").expect("exists").must_change_password, "{name}");
        assert_eq!(store.users().await.expect("users")[0].role, Role::Viewer);

        let now = Utc::now();
        store.create_session("token-hash", user.id, now + Duration::hours(1)).await.expect("session");
        assert_eq!(store.session_user("token-hash", now).await.expect("session").map(|u| u.id), Some(user.id));
        assert_eq!(store.session_user("token-hash", now + Duration::hours(2)).await.expect("expired"), None, "{name}");
        store.create_session("second", user.id, now + Duration::hours(1)).await.expect("session");
        store.set_user_active(&editor(), user.id, false).await.expect("deactivate");
        assert_eq!(store.session_user("second", now).await.expect("inactive"), None, "{name}");
        store.set_user_active(&editor(), user.id, true).await.expect("activate");
        store.create_session("third", user.id, now + Duration::hours(1)).await.expect("session");
        store.delete_session("third").await.expect("sign out");
        assert_eq!(store.session_user("third", now).await.expect("deleted"), None);
        store.create_session("fourth", user.id, now + Duration::hours(1)).await.expect("session");
        assert_eq!(store.purge_sessions(now + Duration::hours(3)).await.expect("purge"), 1, "{name}");

        // The audit log saw every change, with before and after, and never a hash.
        let log = store.audit_log(100, 0).await.expect("log");
        let actions: Vec<(&str, &str)> = log.iter().rev().map(|e| (e.action.as_str(), e.entity.as_str())).collect();
        assert_eq!(
            actions,
            vec![
                ("create", "body"),
                ("create", "plan"),
                ("update", "plan"),
                ("create", "item"),
                ("update", "item"),
                ("move", "item"),
                ("delete", "item"),
                ("make_version", "version"),
                ("make_version", "version"),
                ("create", "user"),
                ("set_role", "user"),
                ("set_password", "user"),
                ("set_one_time_password", "user"),
                ("deactivate", "user"),
                ("activate", "user"),
            ],
            "{name}"
        );
        let update = log.iter().find(|e| e.action == "update" && e.entity == "item").expect("update entry");
        assert_eq!(update.before.as_ref().and_then(|b| b["record"]["status"].as_str()), Some("not_started"));
        assert_eq!(update.after.as_ref().and_then(|a| a["record"]["status"].as_str()), Some("complete"));
        let everything = serde_json::to_string(&log).expect("json");
        assert!(!everything.contains("argon2id"), "{name}: password hashes never reach the audit log");
        assert_eq!(store.audit_log(2, 1).await.expect("page").len(), 2);

        let report = store.verify_audit().await.expect("verify");
        assert_eq!(report.entries, 15);
        assert_eq!(report.first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_milestone_under_a_missing_objective_is_refused_and_nothing_is_written() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let entries = db.store.verify_audit().await.expect("verify").entries;
        let orphan = Item {
            id: ItemId::from_u128(0x0b0b),
            parent: Some(ItemId::from_u128(0xdead)),
            serves: vec![],
            illustrative: false,
            record: Record::Milestone(Milestone {
                title: String::from("Orphan"),
                due: date(2014, 1, 1),
                status: Status::NotStarted,
            }),
        };
        let result = db.store.add_item(&editor(), file.plan.id, &orphan).await;
        match result {
            Err(StoreError::Invalid(problems)) => {
                assert!(problems.0.iter().any(|p| p.path.ends_with(".parent")), "{}: {problems}", db.name)
            }
            other => panic!("{}: expected Invalid, got {other:?}", db.name),
        }
        assert_eq!(db.store.plan(file.plan.id).await.expect("plan"), Some(file.plan.clone()), "{}", db.name);
        assert_eq!(db.store.verify_audit().await.expect("verify").entries, entries, "{}: no audit entry", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_record_with_children_or_links_cannot_be_deleted() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let parent = file
            .plan
            .items
            .iter()
            .find(|i| i.record.kind() == RecordKind::Objective && file.plan.children(Some(i.id)).next().is_some())
            .expect("an objective with children");
        let err = db.store.delete_item(&editor(), file.plan.id, parent.id).await.expect_err("refused");
        assert!(matches!(&err, StoreError::Conflict(m) if m.contains("under it")), "{}: {err}", db.name);
        assert!(db.store.plan(file.plan.id).await.expect("plan").expect("exists").item(parent.id).is_some());
        db.finish().await;
    }
}

#[tokio::test]
async fn export_then_import_then_export_gives_the_same_file() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let exported = db.store.export_plan(file.plan.id).await.expect("export").expect("exists");
        assert_eq!(exported, file, "{}", db.name);
        assert_eq!(exported.to_json(), file.to_json(), "{}", db.name);

        // Importing the same plan again is a conflict and writes nothing.
        let entries = db.store.verify_audit().await.expect("verify").entries;
        let again = db.store.import_plan(&editor(), &file).await;
        assert!(matches!(again, Err(StoreError::Conflict(_))), "{}", db.name);
        assert_eq!(db.store.verify_audit().await.expect("verify").entries, entries);
        db.finish().await;
    }
}

#[tokio::test]
async fn versions_cannot_be_changed_or_deleted_even_with_raw_sql() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let update = db.store.execute_raw("UPDATE plan_versions SET label = 'tampered' WHERE number = 1").await;
        assert!(update.is_err(), "{}: versions are immutable", db.name);
        let delete = db.store.execute_raw("DELETE FROM plan_versions").await;
        assert!(delete.is_err(), "{}: versions cannot be deleted", db.name);
        let audit = db.store.execute_raw("DELETE FROM audit_log").await;
        assert!(audit.is_err(), "{}: the audit log is append-only", db.name);
        let version = db.store.version(file.plan.id, VersionNumber(1)).await.expect("read").expect("exists");
        assert_eq!(version, file.versions[0], "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn tampering_with_an_audit_entry_is_reported_at_that_entry() {
    for db in common::databases().await {
        let store = &db.store;
        let file = pcplan_demo::plan_file();
        store.import_plan(&editor(), &file).await.expect("import");
        let objective = file.plan.of_kind(RecordKind::Objective).next().expect("objective").clone();
        for n in 0..3 {
            let mut item = objective.clone();
            if let Record::Objective(o) = &mut item.record {
                o.description = format!("edit {n}");
            }
            store.update_item(&editor(), file.plan.id, &item).await.expect("update");
        }
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None);

        // Someone with database access rewrites entry 3 and its hash cannot be recomputed
        // without also rewriting every later entry.
        let drop = match store.backend() {
            pcplan_store::Backend::Sqlite => "DROP TRIGGER audit_log_no_update",
            pcplan_store::Backend::Postgres => "DROP TRIGGER audit_log_append_only ON audit_log",
        };
        store.execute_raw(drop).await.expect("drop trigger");
        store.execute_raw("UPDATE audit_log SET actor = 'someone else' WHERE seq = 3").await.expect("tamper");
        let report = store.verify_audit().await.expect("verify");
        let broken = report.first_broken.expect("tampering is found");
        assert_eq!(broken.seq, 3, "{}: {}", db.name, broken.reason);
        assert!(broken.reason.contains("changed"), "{}", broken.reason);
        db.finish().await;
    }
}

#[tokio::test]
async fn an_unknown_database_scheme_is_an_error_and_creates_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("mysql://{}/pcplan", dir.path().display());
    let err = pcplan_store::Store::connect(&url).await.expect_err("refused");
    assert!(matches!(&err, StoreError::UnknownScheme { scheme } if scheme == "mysql:"), "{err}");
    assert!(err.to_string().contains("sqlite://"), "the error says what to use: {err}");
    assert_eq!(std::fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[tokio::test]
async fn the_sqlite_and_postgres_schemas_have_the_same_tables_and_columns() {
    let Ok(url) = std::env::var("PCPLAN_TEST_POSTGRES_URL") else { return };
    let sqlite = common::TestDb::sqlite().await;
    let postgres = common::TestDb::postgres(url.trim()).await;
    let lite = sqlite.store.schema().await.expect("sqlite schema");
    let pg = postgres.store.schema().await.expect("postgres schema");
    assert_eq!(lite, pg);
    assert!(lite.iter().any(|(t, c)| t == "audit_log" && c == "prev_hash"));
    sqlite.finish().await;
    postgres.finish().await;
}

/// A new table must be carried by `pcplan records export` or left out on purpose.
#[tokio::test]
async fn every_table_is_carried_by_the_file_of_records_or_left_out_on_purpose() {
    for db in common::databases().await {
        let tables: std::collections::BTreeSet<String> =
            db.store.schema().await.expect("schema").into_iter().map(|(table, _)| table).collect();
        let named: std::collections::BTreeSet<String> =
            pcplan_store::RECORD_TABLES.iter().chain(pcplan_store::NOT_CARRIED).map(|t| t.to_string()).collect();
        assert_eq!(tables, named, "{}: tables vs transfer::TABLES and NOT_CARRIED", db.name);
        assert_eq!(named.len(), pcplan_store::RECORD_TABLES.len() + pcplan_store::NOT_CARRIED.len(), "no table twice");
        db.finish().await;
    }
}

#[tokio::test]
async fn an_objective_added_to_an_issued_plan_leaves_the_issued_version_unchanged() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let new = Item {
            id: ItemId::from_u128(0x0b1e),
            parent: None,
            serves: vec![],
            illustrative: true,
            record: Record::Objective(Objective {
                reference: String::from("11"),
                title: String::from("A new objective"),
                description: String::new(),
            }),
        };
        db.store.add_item(&editor(), file.plan.id, &new).await.expect("add");
        let issued = db.store.version(file.plan.id, VersionNumber(2)).await.expect("read").expect("exists");
        assert!(issued.plan.item(new.id).is_none(), "{}", db.name);
        assert_eq!(issued, file.versions[1]);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_meeting_keeps_its_papers_deadline_and_a_process_records_its_steps_in_order() {
    use pcplan_demo::process::{panel_meeting_2014, variation_steps_2014};
    use pcplan_domain::process::{ProcessKind, Step};
    for db in common::databases().await {
        let store = &db.store;
        let file = pcplan_demo::plan_file();
        store.import_plan(&editor(), &file).await.expect("import");
        let meeting = panel_meeting_2014();
        store.create_meeting(&editor(), &meeting).await.expect("meeting");
        assert_eq!(store.meetings(file.body.id).await.expect("meetings"), vec![meeting.clone()], "{}", db.name);
        let published = store.set_papers_published(&editor(), meeting.id, date(2014, 1, 30)).await.expect("papers");
        assert_eq!(published.papers_due_on, date(2014, 1, 24), "the deadline fixed at scheduling does not move");

        let process = store
            .create_process(
                &editor(),
                pcplan_demo::ids::VARIATION_2014,
                file.plan.id,
                ProcessKind::Variation,
                Some(meeting.id),
            )
            .await
            .expect("process");
        let steps = variation_steps_2014();
        // Out of order: the Panel step before the draft was sent is refused and not stored.
        let (panel_step, panel_evidence) = steps.iter().find(|(s, _)| *s == Step::PanelReport).expect("panel step");
        let refused = store.record_step(&editor(), process.id, *panel_step, panel_evidence).await;
        assert!(matches!(refused, Err(StoreError::Process(_))), "{}: {refused:?}", db.name);
        for (step, evidence) in &steps {
            store.record_step(&editor(), process.id, *step, evidence).await.expect("step in order");
        }
        let stored = store.process(process.id).await.expect("read").expect("exists");
        assert_eq!(stored.process.steps.len(), steps.len(), "{}", db.name);
        assert_eq!(store.processes(file.plan.id).await.expect("list"), vec![stored]);
        let log = store.audit_log(100, 0).await.expect("log");
        assert_eq!(log.iter().filter(|e| e.action == "record_step").count(), steps.len(), "every step audited");
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_queue_and_leave_one_whole_audit_chain() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let before = db.store.verify_audit().await.expect("verify").entries;

        // Eight records added at once: each write checks the plan and picks the next
        // position, so without serialised writers two could read the same state.
        let mut tasks = Vec::new();
        for n in 0..8_u128 {
            let store = db.store.clone();
            let plan_id = file.plan.id;
            tasks.push(tokio::spawn(async move {
                let item = Item {
                    id: ItemId::from_u128(0xc0c0_0000 + n),
                    parent: None,
                    serves: vec![],
                    illustrative: true,
                    record: Record::Objective(Objective {
                        reference: format!("C{n}"),
                        title: format!("Concurrent objective {n}"),
                        description: String::new(),
                    }),
                };
                store.add_item(&editor(), plan_id, &item).await
            }));
        }
        // And the same username claimed four times at once: exactly one may have it.
        let mut claims = Vec::new();
        for n in 0..4 {
            let store = db.store.clone();
            claims.push(tokio::spawn(async move {
                let user = NewUser {
                    username: String::from("sam"),
                    display_name: format!("Sam {n}"),
                    role: Role::Viewer,
                    password_hash: String::from("$argon2id$fake"),
                    one_time_password: false,
                    email: None,
                };
                store.create_user(&editor(), &user).await
            }));
        }
        for task in tasks {
            task.await.expect("task").expect("every add succeeds");
        }
        let mut won = 0;
        for claim in claims {
            match claim.await.expect("task") {
                Ok(_) => won += 1,
                Err(StoreError::Conflict(message)) => assert!(message.contains("sam"), "{message}"),
                Err(other) => panic!("{}: a taken username is a conflict, not {other:?}", db.name),
            }
        }
        assert_eq!(won, 1, "{}: one account per username", db.name);

        let plan = db.store.plan(file.plan.id).await.expect("plan").expect("exists");
        let added: Vec<&Item> = plan.children(None).filter(|i| i.record.title().starts_with("Concurrent")).collect();
        assert_eq!(added.len(), 8, "{}", db.name);
        let report = db.store.verify_audit().await.expect("verify");
        assert_eq!(report.first_broken, None, "{}", db.name);
        assert_eq!(report.entries, before + 8 + 1, "{}: one entry per change", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn sqlite_urls_open_the_named_file_in_every_spelling_and_a_url_without_a_scheme_is_refused() {
    let dir = tempfile::tempdir().expect("temp dir");
    for (n, prefix) in ["sqlite:", "sqlite://", "SQLite://"].into_iter().enumerate() {
        let path = dir.path().join(format!("spelling-{n}.db"));
        let store = pcplan_store::Store::connect(&format!("{prefix}{}", path.display())).await.expect(prefix);
        assert_eq!(store.backend(), pcplan_store::Backend::Sqlite);
        store.close().await;
        assert!(path.exists(), "{prefix} opens {}", path.display());
    }

    // Without a colon there is no scheme; sqlx alone would create a file by that name.
    let bare = "pcplan-store-test-no-scheme.db";
    let err = pcplan_store::Store::connect(bare).await.expect_err("refused");
    assert!(matches!(&err, StoreError::UnknownScheme { .. }), "{err}");
    assert!(!std::path::Path::new(bare).exists(), "no file is created for a URL without a scheme");
    // An SQLite URL naming no file would be a temporary database that vanishes.
    assert!(pcplan_store::Store::connect("sqlite://").await.is_err());
}

#[tokio::test]
async fn importing_a_plan_whose_body_differs_from_the_stored_body_is_a_conflict_and_writes_nothing() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        let mut stored = file.body.clone();
        stored.force_name = String::from("Another Police");
        db.store.create_body(&editor(), &stored).await.expect("body");
        let entries = db.store.verify_audit().await.expect("verify").entries;
        let err = db.store.import_plan(&editor(), &file).await.expect_err("conflict");
        assert!(matches!(&err, StoreError::Conflict(m) if m.contains("different details")), "{}: {err}", db.name);
        assert_eq!(db.store.plan(file.plan.id).await.expect("plan"), None, "{}", db.name);
        assert_eq!(db.store.body(file.body.id).await.expect("body"), Some(stored), "{}", db.name);
        assert_eq!(db.store.verify_audit().await.expect("verify").entries, entries, "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_header_that_ends_before_it_starts_is_refused_and_nothing_is_written() {
    for db in common::databases().await {
        let file = pcplan_demo::plan_file();
        db.store.import_plan(&editor(), &file).await.expect("import");
        let entries = db.store.verify_audit().await.expect("verify").entries;
        let mut header = PlanHeader::of(&file.plan);
        header.ends_on = header.starts_on - Duration::days(1);
        let err = db.store.update_plan_header(&editor(), file.plan.id, &header).await.expect_err("refused");
        assert!(matches!(&err, StoreError::Invalid(p) if p.0.iter().any(|p| p.path == "ends_on")), "{err}");
        assert_eq!(db.store.plan(file.plan.id).await.expect("plan"), Some(file.plan.clone()), "{}", db.name);
        assert_eq!(db.store.verify_audit().await.expect("verify").entries, entries, "{}", db.name);
        let missing = db.store.update_plan_header(&editor(), pcplan_domain::PlanId::new(), &header).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_negative_audit_page_is_empty_on_every_backend() {
    for db in common::databases().await {
        db.store.import_plan(&editor(), &pcplan_demo::plan_file()).await.expect("import");
        assert!(db.store.audit_log(-1, 0).await.expect("page").is_empty(), "{}", db.name);
        assert_eq!(db.store.audit_log(10, -5).await.expect("page").len(), 1, "{}", db.name);
        db.finish().await;
    }
}
