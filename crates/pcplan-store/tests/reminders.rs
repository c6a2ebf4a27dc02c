//! E-mail reminders' bookkeeping and staff e-mail addresses, on every configured backend.
//!
//! The invariant under test: a reminder is claimed before it is sent, and a key can be
//! claimed once, except after a failure (which was never delivered). A claim left
//! unconfirmed by a crash is never claimed again.

mod common;

use chrono::NaiveDate;
use pcplan_domain::UserId;
use pcplan_store::{Actor, NewReminder, NewUser, ReminderState, Role, Store, StoreError};

fn admin() -> Actor {
    Actor::system("reminders test")
}

async fn user(store: &Store, username: &str, email: Option<&str>) -> pcplan_store::User {
    store
        .create_user(
            &admin(),
            &NewUser {
                username: username.to_string(),
                display_name: username.to_string(),
                role: Role::Editor,
                password_hash: String::from("$argon2id$test"),
                one_time_password: false,
                email: email.map(str::to_string),
            },
        )
        .await
        .expect("create user")
}

fn reminder(user: UserId, stage: &str) -> NewReminder {
    let item_key = String::from("meeting:5f0e4d8a-0000-4000-8000-000000000001:papers");
    NewReminder {
        key: format!("{item_key}|{user}|{stage}"),
        item_key,
        user_id: user,
        due_on: NaiveDate::from_ymd_opt(2014, 1, 24).expect("date"),
        stage: stage.to_string(),
    }
}

#[tokio::test]
async fn a_reminder_is_claimed_once_and_its_claim_and_result_are_audited() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        let owner = user(store, "owner", Some("owner@example.org")).await;
        let first = reminder(owner.id, "7d");
        assert!(store.claim_reminder(&first).await.expect("claim"), "{name}: the first claim wins");
        assert!(!store.claim_reminder(&first).await.expect("claim again"), "{name}: a second claim loses");
        let claimed = store.reminder(&first.key).await.expect("read").expect("stored");
        assert_eq!(claimed.state, ReminderState::Claimed, "{name}");
        assert_eq!(claimed.finished_at, None, "{name}");

        assert!(store.mark_reminder_sent(&first.key, "to owner@example.org").await.expect("mark"), "{name}");
        assert!(!store.claim_reminder(&first).await.expect("claim after sending"), "{name}: sent is final");
        assert!(!store.mark_reminder_sent(&first.key, "again").await.expect("mark again"), "{name}: marked once");
        assert!(!store.mark_reminder_failed(&first.key, "late").await.expect("fail"), "{name}: sent stays sent");
        let sent = store.reminder(&first.key).await.expect("read").expect("stored");
        assert_eq!(sent.state, ReminderState::Sent, "{name}");
        assert_eq!(sent.detail.as_deref(), Some("to owner@example.org"), "{name}");
        assert!(sent.finished_at.is_some(), "{name}");

        // Another stage of the same item is another reminder.
        assert!(store.claim_reminder(&reminder(owner.id, "1d")).await.expect("claim"), "{name}");
        let listed = store.reminders(10).await.expect("list");
        assert_eq!(listed.len(), 2, "{name}");

        let log = store.audit_log(20, 0).await.expect("log");
        let actions: Vec<&str> =
            log.iter().filter(|e| e.entity == "reminder").map(|e| e.action.as_str()).rev().collect();
        assert_eq!(actions, ["claim", "sent", "claim"], "{name}: refused claims and marks are not audited");
        assert!(log.iter().filter(|e| e.entity == "reminder").all(|e| e.actor == "pcplan reminders"), "{name}");
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_failed_reminder_may_be_claimed_again_but_an_unconfirmed_claim_never_is() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        let owner = user(store, "owner", Some("owner@example.org")).await;

        let refused = reminder(owner.id, "14d");
        assert!(store.claim_reminder(&refused).await.expect("claim"), "{name}");
        assert!(store.mark_reminder_failed(&refused.key, "550 mailbox unavailable").await.expect("fail"), "{name}");
        let failed = store.reminder(&refused.key).await.expect("read").expect("stored");
        assert_eq!(failed.state, ReminderState::Failed, "{name}");
        assert_eq!(failed.detail.as_deref(), Some("550 mailbox unavailable"), "{name}");
        assert!(store.claim_reminder(&refused).await.expect("retry"), "{name}: a failure may be retried");
        let retaken = store.reminder(&refused.key).await.expect("read").expect("stored");
        assert_eq!((retaken.state, retaken.detail), (ReminderState::Claimed, None), "{name}");
        assert!(!store.claim_reminder(&refused).await.expect("third"), "{name}: the retry is claimed once");

        // A crash between claim and send: the claim stays, unconfirmed, and is never
        // claimed again, so the message it may have sent is never repeated.
        let crashed = reminder(owner.id, "overdue");
        assert!(store.claim_reminder(&crashed).await.expect("claim"), "{name}");
        for _ in 0..3 {
            assert!(!store.claim_reminder(&crashed).await.expect("claim again"), "{name}");
        }
        let listed = store.reminders(10).await.expect("list");
        let left = listed.iter().find(|r| r.key == crashed.key).expect("listed");
        assert_eq!(left.state, ReminderState::Claimed, "{name}");
        assert_eq!(left.state.label(), "Not confirmed");
        assert!(!store.mark_reminder_sent("no such key", "x").await.expect("unknown"), "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn staff_e_mail_addresses_are_stored_checked_and_audited() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        let with = user(store, "with", Some("  with@example.org ")).await;
        assert_eq!(with.email.as_deref(), Some("with@example.org"), "{name}: trimmed");
        let without = user(store, "without", None).await;
        assert_eq!(store.user(without.id).await.expect("read").expect("exists").email, None, "{name}");

        store.set_user_email(&admin(), without.id, Some("new@example.org")).await.expect("set");
        let read = store.user(without.id).await.expect("read").expect("exists");
        assert_eq!(read.email.as_deref(), Some("new@example.org"), "{name}");
        let (by_name, _) = store.user_by_username("without").await.expect("read").expect("exists");
        assert_eq!(by_name.email.as_deref(), Some("new@example.org"), "{name}");
        assert!(store.users().await.expect("all").iter().any(|u| u.email.as_deref() == Some("with@example.org")));
        let entry = store.audit_log(1, 0).await.expect("log").remove(0);
        assert_eq!(entry.action, "set_email", "{name}");
        assert_eq!(entry.after.as_ref().map(|a| a["email"].clone()), Some("new@example.org".into()), "{name}");

        store.set_user_email(&admin(), without.id, Some("  ")).await.expect("clear with a blank");
        assert_eq!(store.user(without.id).await.expect("read").expect("exists").email, None, "{name}");

        for bad in
            ["no-at-sign", "two@@example.org", "a@b@c", "@example.org", "name@", "a b@example.org", "a@b\nBcc: x"]
        {
            match store.set_user_email(&admin(), with.id, Some(bad)).await {
                Err(StoreError::Fields(problems)) => {
                    assert_eq!(problems.0.len(), 1, "{name}: {bad:?}");
                    assert!(problems.to_string().contains("email"), "{name}: {bad:?} names the field: {problems}");
                }
                other => panic!("{name}: {bad:?} was not refused: {other:?}"),
            }
        }
        let unchanged = store.user(with.id).await.expect("read").expect("exists");
        assert_eq!(unchanged.email.as_deref(), Some("with@example.org"), "{name}: a refusal changes nothing");
        db.finish().await;
    }
}
