//! Recurring obligations, owners and the agenda, on every configured backend.

mod common;

use chrono::NaiveDate;
use pcplan_domain::agenda::Subject;
use pcplan_domain::obligation::{Completion, ObligationKind, Outcome};
use pcplan_store::{Actor, NewUser, Role, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn completion(outcome: Outcome, on: NaiveDate) -> Completion {
    Completion { outcome, on, by: String::from("OPCC Chief Executive"), note: String::new(), link: None }
}

#[tokio::test]
async fn obligations_are_added_once_keep_their_deadlines_and_close_with_evidence() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        let actor = Actor::system("obligations test");
        let body = pcplan_demo::body();
        store.create_body(&actor, &body).await.expect("body");
        let today = date(2014, 1, 10);

        let added = store.ensure_obligations(&actor, today).await.expect("ensure");
        assert!(!added.is_empty(), "{name}");
        assert!(store.ensure_obligations(&actor, today).await.expect("again").is_empty(), "{name}: idempotent");

        // A later change to the settings does not move a stored deadline.
        let annual = added.iter().find(|o| o.kind == ObligationKind::AnnualReport && o.cycle == 2013).expect("2013/14");
        assert_eq!(annual.due_on, date(2014, 9, 30), "{name}");
        let mut settings = store.clock_settings(body.id).await.expect("settings");
        settings.annual_report_months = 3;
        store.set_clock_settings(&actor, body.id, &settings).await.expect("settings");
        store.ensure_obligations(&actor, today).await.expect("after settings");
        let stored = store.obligation(annual.id).await.expect("load").expect("exists");
        assert_eq!(stored.due_on, date(2014, 9, 30), "{name}: the deadline stayed");

        // Completion: evidence, refusals with the field named, nothing half-written.
        let future =
            store.complete_obligation(&actor, annual.id, completion(Outcome::Done, date(2014, 2, 1)), today).await;
        assert!(matches!(&future, Err(StoreError::Fields(p)) if p.to_string().contains("on:")), "{name}: {future:?}");
        let not_required =
            store.complete_obligation(&actor, annual.id, completion(Outcome::NotRequired, today), today).await;
        assert!(
            matches!(&not_required, Err(StoreError::Fields(p)) if p.to_string().contains("always required")),
            "{name}: {not_required:?}"
        );
        assert_eq!(store.obligation(annual.id).await.expect("load").expect("exists").completion, None, "{name}");
        let revised =
            added.iter().find(|o| o.kind == ObligationKind::PreceptRevised && o.cycle == 2014).expect("revised");
        let closed = store
            .complete_obligation(&actor, revised.id, completion(Outcome::NotRequired, date(2014, 1, 9)), today)
            .await
            .expect("no veto, so no revised precept");
        assert_eq!(closed.completion.map(|c| c.outcome), Some(Outcome::NotRequired), "{name}");

        // Owners, and the agenda that shows them.
        let user = store
            .create_user(
                &actor,
                &NewUser {
                    username: String::from("scrutiny"),
                    display_name: String::from("Scrutiny Officer"),
                    role: Role::Editor,
                    password_hash: String::from("not a real hash"),
                    one_time_password: false,
                    email: None,
                },
            )
            .await
            .expect("user");
        let key = Subject::Obligation { obligation: annual.id }.key();
        store.set_owner(&actor, &key, Some(user.id)).await.expect("owner");
        let agenda = store.agenda(today).await.expect("agenda");
        let item = agenda.iter().find(|i| i.key == key).expect("on the agenda");
        assert_eq!((item.owner, item.due), (Some(user.id), date(2014, 9, 30)), "{name}");
        assert!(agenda.windows(2).all(|w| w[0].due <= w[1].due), "{name}: sorted by date");
        let revised_item = agenda.iter().find(|i| i.key == Subject::Obligation { obligation: revised.id }.key());
        assert!(revised_item.and_then(|i| i.done.as_ref()).is_some_and(|d| d.summary.starts_with("Not required")));
        store.set_owner(&actor, &key, None).await.expect("no owner");
        let agenda = store.agenda(today).await.expect("agenda");
        assert_eq!(agenda.iter().find(|i| i.key == key).and_then(|i| i.owner), None, "{name}");
        let missing = store.set_owner(&actor, &key, Some(pcplan_domain::UserId::from_u128(9))).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{name}");

        assert!(store.verify_audit().await.expect("verify").first_broken.is_none(), "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_process_step_fixes_the_deadlines_it_starts_with_the_settings_of_that_day() {
    use pcplan_demo::process::{panel_meeting_2014, variation_steps_2014};
    use pcplan_domain::process::{ProcessKind, Step};
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        let actor = Actor::system("obligations test");
        store.import_plan(&actor, &pcplan_demo::plan_file()).await.expect("demo");
        store.create_meeting(&actor, &panel_meeting_2014()).await.expect("meeting");
        let process = store
            .create_process(
                &actor,
                pcplan_demo::ids::VARIATION_2014,
                pcplan_demo::ids::PLAN,
                ProcessKind::Variation,
                Some(pcplan_demo::ids::MEETING_2014),
            )
            .await
            .expect("process");
        for (step, evidence) in variation_steps_2014().iter().take(3) {
            store.record_step(&actor, process.id, *step, evidence).await.expect("step");
        }
        // Sent to the Panel on 29 January 2014: the Panel's time (28 days) ends 26 February.
        let key = format!("process:{}:panel_report", process.id);
        let due = |items: Vec<pcplan_domain::agenda::DueItem>| items.into_iter().find(|i| i.key == key).map(|i| i.due);
        assert_eq!(due(store.agenda(date(2014, 2, 1)).await.expect("agenda")), Some(date(2014, 2, 26)), "{name}");
        let mut settings = store.clock_settings(pcplan_demo::ids::BODY).await.expect("settings");
        settings.panel_reasonable_time_days = 42;
        store.set_clock_settings(&actor, pcplan_demo::ids::BODY, &settings).await.expect("settings");
        assert_eq!(
            due(store.agenda(date(2014, 2, 1)).await.expect("agenda")),
            Some(date(2014, 2, 26)),
            "{name}: the deadline fixed on 29 January stays"
        );
        let stored = store.process(process.id).await.expect("load").expect("exists");
        assert_eq!(stored.process.fixed_due, vec![(Step::PanelReport, date(2014, 2, 26))], "{name}");
        db.finish().await;
    }
}
