//! The statutory clock's stored state: each body's clock settings, the holiday override
//! table, and scheduling a Panel meeting with both, on every configured backend.
//!
//! The point of storing a deadline with its meeting is that it never moves later: the
//! last test changes the settings and the calendar after scheduling and reads the
//! meeting back unchanged.

mod common;

use chrono::NaiveDate;
use pcplan_domain::clock::ClockSettings;
use pcplan_domain::{BodyId, DayRule, HolidayOverride, MeetingId};
use pcplan_store::{Actor, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn staff() -> Actor {
    Actor::system("clock test")
}

fn holiday(on: NaiveDate, name: &str) -> HolidayOverride {
    HolidayOverride { date: on, holiday: true, name: name.to_string() }
}

#[tokio::test]
async fn a_body_uses_the_default_settings_until_staff_change_them_and_every_change_is_audited() {
    for db in common::databases().await {
        let store = &db.store;
        let name = &db.name;
        let body = pcplan_demo::body();
        store.create_body(&staff(), &body).await.expect("body");
        assert_eq!(store.clock_settings(body.id).await.expect("read"), ClockSettings::default(), "{name}");

        let changed = ClockSettings {
            papers_clear_days_england: 3,
            papers_day_rule: DayRule::Calendar,
            panel_reasonable_time_days: 42,
            ..ClockSettings::default()
        };
        store.set_clock_settings(&staff(), body.id, &changed).await.expect("save");
        assert_eq!(store.clock_settings(body.id).await.expect("read"), changed, "{name}");
        // A second save replaces the row rather than adding one.
        let again = ClockSettings { survey_min_weeks: 8, ..changed.clone() };
        store.set_clock_settings(&staff(), body.id, &again).await.expect("save again");
        assert_eq!(store.clock_settings(body.id).await.expect("read"), again, "{name}");

        let log = store.audit_log(10, 0).await.expect("log");
        let entry = log.iter().find(|e| e.entity == "clock_settings").expect("audited");
        assert_eq!(entry.entity_id, body.id.to_string());
        assert_eq!(entry.before.as_ref().and_then(|b| b["survey_min_weeks"].as_u64()), Some(6), "{name}");
        assert_eq!(entry.after.as_ref().and_then(|a| a["survey_min_weeks"].as_u64()), Some(8), "{name}");
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn settings_out_of_range_are_refused_naming_each_field_and_nothing_is_written() {
    for db in common::databases().await {
        let store = &db.store;
        let body = pcplan_demo::body();
        store.create_body(&staff(), &body).await.expect("body");
        let entries = store.verify_audit().await.expect("verify").entries;
        let bad = ClockSettings {
            papers_clear_days_england: 31,
            panel_reasonable_time_days: 0,
            survey_min_weeks: 53,
            ..ClockSettings::default()
        };
        let err = store.set_clock_settings(&staff(), body.id, &bad).await.expect_err("refused");
        let StoreError::Fields(problems) = &err else { panic!("{}: {err:?}", db.name) };
        let fields: Vec<&str> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["papers_clear_days_england", "panel_reasonable_time_days", "survey_min_weeks"]);
        assert!(err.to_string().contains("papers_clear_days_england: must be from 0 to 30, not 31"), "{err}");
        assert_eq!(store.clock_settings(body.id).await.expect("read"), ClockSettings::default());
        assert_eq!(store.verify_audit().await.expect("verify").entries, entries, "nothing audited");

        let unknown = BodyId::from_u128(0xdead);
        assert!(matches!(store.clock_settings(unknown).await, Err(StoreError::NotFound { .. })), "{}", db.name);
        let refused = store.set_clock_settings(&staff(), unknown, &ClockSettings::default()).await;
        assert!(matches!(refused, Err(StoreError::NotFound { .. })), "{}", db.name);
        db.finish().await;
    }
}

#[tokio::test]
async fn holiday_overrides_are_added_listed_applied_and_removed_with_clear_refusals() {
    for db in common::databases().await {
        let store = &db.store;
        let name = &db.name;
        assert_eq!(store.holiday_overrides().await.expect("list"), vec![], "{name}");

        // A new one-off day, and a computed day moved away.
        let extra = holiday(date(2030, 6, 7), "Royal occasion");
        let moved = HolidayOverride { date: date(2030, 5, 27), holiday: false, name: String::from("Moved") };
        store.add_holiday_override(&staff(), &extra).await.expect("add");
        store.add_holiday_override(&staff(), &moved).await.expect("remove a computed day");
        assert_eq!(store.holiday_overrides().await.expect("list"), vec![moved.clone(), extra.clone()], "by date");
        let calendar = store.calendar().await.expect("calendar");
        assert!(calendar.is_holiday(extra.date), "{name}: the added day is a holiday");
        assert!(!calendar.is_holiday(moved.date), "{name}: the removed day is not");

        // A second override for the same date is refused, whichever way it goes.
        let duplicate = store.add_holiday_override(&staff(), &holiday(extra.date, "Again")).await;
        assert!(
            matches!(&duplicate, Err(StoreError::Conflict(m)) if m.contains("already has an override")),
            "{name}: {duplicate:?}"
        );
        // Adding a day that is already a bank holiday, or removing one that is not.
        let christmas = store.add_holiday_override(&staff(), &holiday(date(2030, 12, 25), "Christmas")).await;
        assert!(matches!(&christmas, Err(StoreError::Conflict(m)) if m.contains("already a bank holiday")), "{name}");
        let ordinary = HolidayOverride { date: date(2030, 7, 3), holiday: false, name: String::from("x") };
        let nothing = store.add_holiday_override(&staff(), &ordinary).await;
        assert!(matches!(&nothing, Err(StoreError::Conflict(m)) if m.contains("nothing to remove")), "{name}");
        // Bad fields are named.
        let bad = store.add_holiday_override(&staff(), &holiday(date(2101, 1, 2), " ")).await;
        match bad {
            Err(StoreError::Fields(p)) => {
                assert_eq!(p.0.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["date", "name"])
            }
            other => panic!("{name}: {other:?}"),
        }

        let removed = store.remove_holiday_override(&staff(), extra.date).await.expect("remove");
        assert_eq!(removed, extra);
        assert!(!store.calendar().await.expect("calendar").is_holiday(extra.date), "{name}");
        let missing = store.remove_holiday_override(&staff(), extra.date).await;
        assert!(matches!(missing, Err(StoreError::NotFound { .. })), "{name}");

        let log = store.audit_log(20, 0).await.expect("log");
        let actions: Vec<(&str, &str)> = log
            .iter()
            .filter(|e| e.entity == "holiday_override")
            .map(|e| (e.action.as_str(), e.entity_id.as_str()))
            .collect();
        assert_eq!(actions, [("delete", "2030-06-07"), ("create", "2030-05-27"), ("create", "2030-06-07")]);
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn a_scheduled_meeting_keeps_its_papers_deadline_when_the_settings_or_the_calendar_change() {
    for db in common::databases().await {
        let store = &db.store;
        let name = &db.name;
        let body = pcplan_demo::body();
        store.create_body(&staff(), &body).await.expect("body");
        let meeting_day = date(2014, 2, 3);

        // Defaults: 5 clear working days before Monday 3 February 2014 means Friday 24 January.
        let first = store
            .schedule_meeting(&staff(), MeetingId::new(), body.id, "  Police and Crime Panel ", meeting_day)
            .await
            .expect("schedule");
        assert_eq!(first.papers_due_on, date(2014, 1, 24), "{name}");
        assert_eq!(first.title, "Police and Crime Panel");

        // The body's own settings are used: 3 clear days means Tuesday 28 January.
        let three = ClockSettings { papers_clear_days_england: 3, ..ClockSettings::default() };
        store.set_clock_settings(&staff(), body.id, &three).await.expect("settings");
        let second =
            store.schedule_meeting(&staff(), MeetingId::new(), body.id, "Panel", meeting_day).await.expect("schedule");
        assert_eq!((second.papers_due_on, second.required_clear_days), (date(2014, 1, 28), 3), "{name}");

        // Change both the settings and the calendar afterwards.
        store.set_clock_settings(&staff(), body.id, &ClockSettings::default()).await.expect("settings back");
        store.add_holiday_override(&staff(), &holiday(date(2014, 1, 29), "Test day")).await.expect("override");
        let third =
            store.schedule_meeting(&staff(), MeetingId::new(), body.id, "Panel", meeting_day).await.expect("schedule");
        assert_eq!(third.papers_due_on, date(2014, 1, 23), "{name}: the new holiday is skipped");

        // The stored deadlines did not move.
        let stored = store.meetings(body.id).await.expect("meetings");
        let due = |id| stored.iter().find(|m| m.id == id).map(|m| (m.papers_due_on, m.required_clear_days));
        assert_eq!(due(first.id), Some((date(2014, 1, 24), 5)), "{name}");
        assert_eq!(due(second.id), Some((date(2014, 1, 28), 3)), "{name}");
        assert_eq!(due(third.id), Some((date(2014, 1, 23), 5)), "{name}");
        let log = store.audit_log(50, 0).await.expect("log");
        assert_eq!(log.iter().filter(|e| e.entity == "meeting" && e.action == "create").count(), 3, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn scheduling_refuses_an_empty_title_a_date_outside_the_calendar_and_an_unknown_body() {
    for db in common::databases().await {
        let store = &db.store;
        let body = pcplan_demo::body();
        store.create_body(&staff(), &body).await.expect("body");
        let err = store
            .schedule_meeting(&staff(), MeetingId::new(), body.id, " ", date(2101, 3, 1))
            .await
            .expect_err("refused");
        let StoreError::Fields(problems) = &err else { panic!("{}: {err:?}", db.name) };
        assert_eq!(problems.0.iter().map(|p| p.field.as_str()).collect::<Vec<_>>(), ["title", "held_on"]);
        // Counting back five working days from 4 January 2000 leaves the calendar's years.
        let early = store.schedule_meeting(&staff(), MeetingId::new(), body.id, "Panel", date(2000, 1, 4)).await;
        assert!(matches!(&early, Err(StoreError::Fields(p)) if p.0[0].field == "held_on"), "{early:?}");
        let unknown =
            store.schedule_meeting(&staff(), MeetingId::new(), BodyId::from_u128(1), "Panel", date(2014, 2, 3)).await;
        assert!(matches!(unknown, Err(StoreError::NotFound { .. })), "{}", db.name);
        assert_eq!(store.meetings(body.id).await.expect("meetings"), vec![], "nothing stored");

        // A publication date outside the calendar is refused too, naming the field.
        let meeting = store
            .schedule_meeting(&staff(), MeetingId::new(), body.id, "Panel", date(2014, 2, 3))
            .await
            .expect("schedule");
        let bad = store.set_papers_published(&staff(), meeting.id, date(1999, 12, 31)).await;
        assert!(matches!(&bad, Err(StoreError::Fields(p)) if p.0[0].field == "published_on"), "{bad:?}");
        db.finish().await;
    }
}
