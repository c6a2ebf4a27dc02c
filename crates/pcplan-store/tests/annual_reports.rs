//! Annual reports in the store, on every configured backend: one per body and year,
//! drafted from the sources given; texts edited and facts refreshed while a draft, with
//! edits kept; sending it to the Panel fixes it (the store and the database's triggers
//! both refuse a change), completes the year's annual report obligation; publication
//! follows; every change is audited.

mod common;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_domain::annual_report::{Issue, Publication, ReportStatus, SectionKey, Sources};
use pcplan_domain::decision::{DecisionStatus, Signature};
use pcplan_domain::ids::AnnualReportId;
use pcplan_domain::obligation::{ObligationKind, Outcome, obligation_id};
use pcplan_domain::{FinancialYear, ReportId};
use pcplan_store::{Actor, Store, StoreError};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn staff() -> Actor {
    Actor::system("annual reports test")
}

const REPORT: AnnualReportId = AnnualReportId::from_u128(0xa22);

/// The demo's year 2013/14 as the web gathers it: the plan as issued, and the demo's
/// decisions (018/2013 signed on 28 March 2013, in the year before).
async fn sources(store: &Store) -> Sources {
    let body = store.body(pcplan_demo::ids::BODY).await.expect("read").expect("the demo body");
    let mut sources = Sources::empty(body.id, body.name, FinancialYear(2013), date(2014, 9, 1));
    let version = store.version(pcplan_demo::ids::PLAN, pcplan_domain::VersionNumber(2)).await.expect("read");
    let version = version.expect("the issued version");
    sources.plan = Some(pcplan_domain::annual_report::PlanSource {
        plan: version.plan,
        label: String::from("Version 2: Plan as issued"),
    });
    sources.decisions = store.decisions(&Default::default()).await.expect("register");
    sources
}

async fn demo(store: &Store) {
    store.import_plan(&staff(), &pcplan_demo::plan_file()).await.expect("plan");
    for decision in pcplan_demo::decisions::decisions() {
        store.import_decision(&staff(), &decision).await.expect("decision");
    }
}

fn texts(pairs: &[(SectionKey, &str)]) -> BTreeMap<SectionKey, String> {
    pairs.iter().map(|(k, t)| (*k, t.to_string())).collect()
}

#[tokio::test]
async fn a_draft_is_made_once_edited_refreshed_with_edits_kept_issued_and_then_fixed() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        let gathered = sources(store).await;
        let audit_before = store.audit_log(10_000, 0).await.expect("log").len();

        let report = store.create_annual_report(&staff(), REPORT, &gathered).await.expect("create");
        assert_eq!(report.sections.len(), SectionKey::ALL.len(), "{name}");
        assert_eq!(store.annual_report(REPORT).await.expect("read"), Some(report.clone()), "{name}");
        let by_year = store.annual_report_for(pcplan_demo::ids::BODY, FinancialYear(2013)).await.expect("read");
        assert_eq!(by_year.as_ref().map(|r| r.id), Some(REPORT), "{name}");
        assert_eq!(store.annual_reports(None).await.expect("list").len(), 1, "{name}");

        let second = store.create_annual_report(&staff(), AnnualReportId::new(), &gathered).await;
        let Err(StoreError::Conflict(message)) = second else { panic!("a second report is refused, {name}") };
        assert!(message.contains("already has an annual report on 2013/14"), "{message}");

        let edited = texts(&[(SectionKey::Decisions, "The decisions of the year, in our words.")]);
        let after_edit = store.set_annual_report_texts(&staff(), REPORT, &edited).await.expect("edit");
        let decisions = after_edit.section(SectionKey::Decisions).expect("section");
        assert!(decisions.edited(), "{name}");
        let unchanged = store.set_annual_report_texts(&staff(), REPORT, &edited).await.expect("same again");
        assert_eq!(unchanged, after_edit, "{name}");

        // A decision signed in the year arrives: the refresh keeps the edited text but
        // the facts change.
        let actor = staff();
        let mut content = pcplan_demo::decisions::decision_018_2013().content;
        content.title = String::from("Funding for the knife crime hubs");
        let drafted = store
            .create_decision(
                &actor,
                pcplan_domain::DecisionId::new(),
                pcplan_demo::ids::BODY,
                date(2013, 9, 2),
                &content,
            )
            .await
            .expect("draft");
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 9, 3) };
        let signed = store.sign_decision(&actor, drafted.id, &signature, date(2013, 9, 3)).await.expect("sign");
        assert_eq!(signed.status, DecisionStatus::Signed);
        let (refreshed, done) =
            store.refresh_annual_report(&staff(), REPORT, &sources(store).await).await.expect("refresh");
        assert!(done.facts_changed.contains(&SectionKey::Decisions), "{name}: {done:?}");
        assert_eq!(done.edits_kept, [SectionKey::Decisions], "{name}");
        let decisions = refreshed.section(SectionKey::Decisions).expect("section");
        assert_eq!(decisions.text, "The decisions of the year, in our words.", "{name}");
        assert!(decisions.facts[0].rows.iter().any(|r| r[2] == "Funding for the knife crime hubs"), "{name}");
        assert_eq!(store.annual_report(REPORT).await.expect("read"), Some(refreshed.clone()), "{name}");

        // Sent to the Panel: the obligation is done and nothing may change.
        let early = store
            .issue_annual_report(
                &staff(),
                REPORT,
                &Issue { on: date(2014, 3, 1), by: String::from("CEO") },
                date(2014, 9, 1),
            )
            .await;
        assert!(matches!(early, Err(StoreError::Fields(_))), "{name}: {early:?}");
        let issue = Issue { on: date(2014, 6, 30), by: String::from("Chief Executive") };
        let issued = store.issue_annual_report(&staff(), REPORT, &issue, date(2014, 9, 1)).await.expect("issue");
        assert_eq!(issued.status(), ReportStatus::Issued, "{name}");
        let obligation_id = obligation_id(pcplan_demo::ids::BODY, ObligationKind::AnnualReport, 2013);
        let obligation = store.obligation(obligation_id).await.expect("read").expect("stored with the issue");
        let completion = obligation.completion.expect("completed");
        assert_eq!((completion.outcome, completion.on), (Outcome::Done, date(2014, 6, 30)), "{name}");

        let refused = store.set_annual_report_texts(&staff(), REPORT, &texts(&[(SectionKey::Grants, "Changed")])).await;
        let Err(StoreError::Conflict(message)) = refused else { panic!("an issued report is fixed, {name}") };
        assert!(message.contains("was sent to the Panel on 30 June 2014"), "{message}");
        let refresh = store.refresh_annual_report(&staff(), REPORT, &sources(store).await).await;
        assert!(matches!(refresh, Err(StoreError::Conflict(_))), "{name}");
        assert_eq!(store.annual_report(REPORT).await.expect("read"), Some(issued.clone()), "{name}");

        // The database refuses too, whatever bypasses the store.
        let id = REPORT.to_string();
        assert!(store.execute_raw(&format!("DELETE FROM annual_reports WHERE id = '{id}'")).await.is_err(), "{name}");
        let rewrite = format!("UPDATE annual_reports SET sections = '[]' WHERE id = '{id}'");
        assert!(store.execute_raw(&rewrite).await.is_err(), "{name}");

        // Publication names the Panel's own records only.
        let foreign = Publication {
            on: date(2014, 8, 1),
            by: String::from("Communications"),
            panel_meeting: None,
            panel_report: Some(ReportId::new()),
        };
        let refused = store.publish_annual_report(&staff(), REPORT, &foreign, date(2014, 9, 1)).await;
        assert!(matches!(refused, Err(StoreError::Fields(_))), "{name}: {refused:?}");
        let publication = Publication { panel_report: None, ..foreign };
        let published =
            store.publish_annual_report(&staff(), REPORT, &publication, date(2014, 9, 1)).await.expect("publish");
        assert_eq!(published.status(), ReportStatus::Published, "{name}");
        let unpublish = format!("UPDATE annual_reports SET published_on = NULL WHERE id = '{id}'");
        assert!(store.execute_raw(&unpublish).await.is_err(), "{name}");
        // Its content hash is recorded, and a change the triggers let through (the day the
        // facts are as at, kept in `data`) is found by verify.
        assert_eq!(published.content_hash, Some(published.content_hash_now()), "{name}");
        let intact = store.verify_publications().await.expect("verify");
        assert!(intact.altered.is_empty(), "{name}: {:?}", intact.altered);
        let as_of = published.facts_as_of.to_string();
        let moved = format!(
            "UPDATE annual_reports SET data = replace(data, '\"facts_as_of\":\"{as_of}\"', \
             '\"facts_as_of\":\"2014-01-01\"') WHERE id = '{id}'"
        );
        store.execute_raw(&moved).await.expect("tamper with data");
        let found = store.verify_publications().await.expect("verify");
        assert_eq!(found.checked, intact.checked, "{name}");
        let what: Vec<&str> = found.altered.iter().map(|a| a.what.as_str()).collect();
        assert_eq!(what.len(), 1, "{name}: {what:?}");
        assert!(what[0].starts_with("the annual report on 2013/14"), "{name}: {what:?}");

        // Every change audited, in order, and the chain intact.
        let log = store.audit_log(10_000, 0).await.expect("log");
        let ours: Vec<(&str, &str)> = log[..log.len() - audit_before]
            .iter()
            .rev()
            .filter(|e| e.entity == "annual_report" || e.entity == "obligation")
            .map(|e| (e.entity.as_str(), e.action.as_str()))
            .collect();
        assert_eq!(
            ours,
            [
                ("annual_report", "create"),
                ("annual_report", "update_texts"),
                ("annual_report", "refresh"),
                ("annual_report", "issue"),
                ("obligation", "create"),
                ("annual_report", "publish"),
            ],
            "{name}"
        );
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None, "{name}");
        db.finish().await;
    }
}

#[tokio::test]
async fn issuing_completes_a_stored_obligation_and_leaves_a_closed_one_alone() {
    for db in common::databases().await {
        let (store, name) = (&db.store, &db.name);
        demo(store).await;
        // The obligations stored around 1 May 2014: the reports on 2013/14 and 2014/15.
        store.ensure_obligations(&staff(), date(2014, 5, 1)).await.expect("obligations");
        let id = obligation_id(pcplan_demo::ids::BODY, ObligationKind::AnnualReport, 2013);
        let due = store.obligation(id).await.expect("read").expect("stored").due_on;

        store.create_annual_report(&staff(), REPORT, &sources(store).await).await.expect("create");
        let issue = Issue { on: date(2014, 7, 1), by: String::from("Chief Executive") };
        store.issue_annual_report(&staff(), REPORT, &issue, date(2014, 9, 1)).await.expect("issue");
        let obligation = store.obligation(id).await.expect("read").expect("stored");
        assert_eq!(obligation.due_on, due, "the deadline fixed when it was added stays, {name}");
        assert_eq!(obligation.completion.map(|c| c.on), Some(date(2014, 7, 1)), "{name}");
        let log = store.audit_log(2, 0).await.expect("log");
        assert_eq!((log[0].entity.as_str(), log[0].action.as_str()), ("obligation", "complete"), "{name}");

        // The report on 2014/15 was recorded as sent before the report itself was kept
        // here: issuing it leaves that completion as it is.
        let next = obligation_id(pcplan_demo::ids::BODY, ObligationKind::AnnualReport, 2014);
        let earlier = pcplan_domain::obligation::Completion {
            outcome: Outcome::Done,
            on: date(2015, 6, 1),
            by: String::from("Chief Executive"),
            note: String::new(),
            link: None,
        };
        store.complete_obligation(&staff(), next, earlier, date(2015, 9, 1)).await.expect("complete");
        let following = Sources { year: FinancialYear(2014), today: date(2015, 9, 1), ..sources(store).await };
        let id_2014 = AnnualReportId::from_u128(0xa23);
        store.create_annual_report(&staff(), id_2014, &following).await.expect("create 2014/15");
        let issue = Issue { on: date(2015, 7, 1), by: String::from("Chief Executive") };
        store.issue_annual_report(&staff(), id_2014, &issue, date(2015, 9, 1)).await.expect("issue");
        let kept = store.obligation(next).await.expect("read").expect("stored");
        assert_eq!(kept.completion.map(|c| c.on), Some(date(2015, 6, 1)), "{name}");
        assert_eq!(store.audit_log(1, 0).await.expect("log")[0].action, "issue", "no obligation entry, {name}");
        db.finish().await;
    }
}
