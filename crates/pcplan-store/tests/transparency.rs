//! A body's transparency log on both backends: a publication is recorded and read back,
//! refused with the field named and nothing written when it breaks a rule, and removed
//! with its audit entry keeping it whole; the agenda counts the duty's next date from the
//! latest publication, so an overdue duty reaches the compliance dashboard.

mod common;

use chrono::NaiveDate;
use pcplan_domain::agenda::Standing;
use pcplan_domain::transparency::NewPublication;
use pcplan_domain::{PublicationId, UserId};
use pcplan_store::{Actor, StoreError};

fn officer() -> Actor {
    Actor { user: Some(UserId::from_u128(97)), name: "Transparency officer (officer)".to_owned() }
}

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("a real date")
}

fn spending(on: NaiveDate, url: &str) -> NewPublication {
    NewPublication {
        id: PublicationId::new(),
        duty: String::from("spending_over_500"),
        published_on: on,
        url: url.to_owned(),
        note: String::from("Spending in the month before"),
    }
}

#[tokio::test]
async fn publications_are_recorded_refused_and_removed_and_drive_the_agenda() {
    for db in common::databases().await {
        let store = &db.store;
        store.import_plan(&officer(), &pcplan_demo::plan_file()).await.expect("the demo body");
        let body = pcplan_demo::ids::BODY;
        let today = d(2014, 3, 20);

        let first = store
            .record_publication(
                &officer(),
                body,
                spending(d(2014, 1, 10), "https://www.example-pcc.org.uk/spend/dec"),
                today,
            )
            .await
            .expect("a good record");
        let second = store
            .record_publication(
                &officer(),
                body,
                spending(d(2014, 2, 12), " https://www.example-pcc.org.uk/spend/jan "),
                today,
            )
            .await
            .expect("a second");
        assert_eq!(second.url, "https://www.example-pcc.org.uk/spend/jan", "{}: trimmed", db.name);
        // The same form sent twice records it once; the same identity with other details
        // is refused.
        let again = NewPublication {
            id: second.id,
            published_on: d(2014, 2, 12),
            url: second.url.clone(),
            ..spending(d(2014, 2, 12), "")
        };
        assert_eq!(store.record_publication(&officer(), body, again.clone(), today).await.expect("resent"), second);
        let other = NewPublication { note: String::from("Something else"), ..again };
        assert!(matches!(store.record_publication(&officer(), body, other, today).await, Err(StoreError::Conflict(_))));
        assert_eq!(second.recorded_by, "Transparency officer (officer)");
        let log = store.publications(body).await.expect("the log");
        assert_eq!(log.iter().map(|p| p.id).collect::<Vec<_>>(), [second.id, first.id], "{}: newest first", db.name);
        assert_eq!(log[1], first, "{}: read back exactly", db.name);
        let entry = &store.audit_log(1, 0).await.expect("audit")[0];
        assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("add", "publication"));
        assert_eq!(entry.after.as_ref().map(|a| a["url"].clone()), Some(serde_json::json!(second.url)));

        // Monthly: due a month after 12 February, so overdue on 20 March.
        let agenda = store.agenda(today).await.expect("agenda");
        let item =
            agenda.iter().find(|i| i.key == format!("transparency:{body}:spending_over_500")).expect("on the agenda");
        assert_eq!(item.due, d(2014, 3, 12), "{}", db.name);
        assert_eq!(item.standing(today, 30), Standing::Overdue);
        assert!(
            agenda.iter().all(|i| !i.key.contains(":contracts")),
            "{}: nothing recorded, no invented date",
            db.name
        );

        // Refusals name the field; nothing is written.
        let seq = store.audit_log(1, 0).await.expect("audit")[0].seq;
        for (record, field) in [
            (spending(d(2014, 3, 21), "https://www.example-pcc.org.uk/x"), "published_on"),
            (spending(d(2014, 3, 1), "www.example-pcc.org.uk/x"), "url"),
            (NewPublication { duty: String::from("decisions"), ..spending(d(2014, 3, 1), "https://x.org") }, "duty"),
            (NewPublication { duty: String::from("parking"), ..spending(d(2014, 3, 1), "https://x.org") }, "duty"),
        ] {
            match store.record_publication(&officer(), body, record, today).await {
                Err(StoreError::Fields(problems)) => assert_eq!(problems.0[0].field, field, "{}", db.name),
                other => panic!("{}: expected a refusal of {field}, got {other:?}", db.name),
            }
        }
        assert_eq!(store.audit_log(1, 0).await.expect("audit")[0].seq, seq, "{}: nothing written", db.name);
        assert_eq!(store.publications(body).await.expect("the log").len(), 2);

        // A body that does not exist.
        let nowhere = pcplan_domain::BodyId::from_u128(0xdead);
        assert!(matches!(
            store.record_publication(&officer(), nowhere, spending(d(2014, 3, 1), "https://x.org"), today).await,
            Err(StoreError::NotFound { .. })
        ));

        // Removing the later record moves the next date back to a month after the first.
        let removed = store.remove_publication(&officer(), body, second.id).await.expect("removed");
        assert_eq!(removed, second);
        let entry = &store.audit_log(1, 0).await.expect("audit")[0];
        assert_eq!((entry.action.as_str(), entry.entity.as_str()), ("remove", "publication"));
        assert_eq!(entry.before.as_ref().map(|b| b["published_on"].clone()), Some(serde_json::json!("2014-02-12")));
        let agenda = store.agenda(today).await.expect("agenda");
        let item = agenda.iter().find(|i| i.key.ends_with(":spending_over_500")).expect("still on the agenda");
        assert_eq!(item.due, d(2014, 2, 10), "{}", db.name);
        assert!(matches!(
            store.remove_publication(&officer(), body, second.id).await,
            Err(StoreError::NotFound { .. })
        ));
        db.finish().await;
    }
}
