//! `pcplan demo` loads two annual reports (PRSRA 2011 s.12), drafted from the demo's own
//! records: West Midlands' on 2013/14, sent to the Panel and published, whose decisions
//! and Panel reports are those the store holds for the year; and Leicester,
//! Leicestershire and Rutland's on 2022/23, a draft whose measures section gives the
//! recorded crime the police.uk data computed. Running the demo again changes nothing.

use chrono::NaiveDate;
use pcplan_demo::ids::{ANNUAL_REPORT_2013_14, BODY, LLR_ANNUAL_REPORT_2022_23, LLR_BODY, LLR21_MEA_CRIME};
use pcplan_domain::annual_report::{ReportStatus, SectionKey};
use pcplan_domain::decision::DecisionStatus;
use pcplan_domain::obligation::{ObligationKind, Outcome, obligation_id};
use pcplan_domain::period::Period;
use pcplan_store::{DecisionFilter, Store};

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

/// `9050` as `9,050`, written here rather than borrowed from the web crate's helper.
fn grouped(n: i64) -> String {
    let digits = n.to_string();
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

async fn open(dir: &tempfile::TempDir) -> Store {
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    Store::connect(&url).await.expect("open")
}

#[test]
fn the_demo_publishes_west_midlands_2013_14_and_drafts_leicestershire_2022_23() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = open(&dir).await;
        pcplan::commands::load_demo(&store).await.expect("demo loads");
        let (first, last) = (ymd(2013, 4, 1), ymd(2014, 3, 31));

        let wm = store.annual_report(ANNUAL_REPORT_2013_14).await.expect("read").expect("the 2013/14 report");
        assert_eq!((wm.body_id, wm.year.0), (BODY, 2013));
        assert_eq!(wm.status(), ReportStatus::Published);
        assert_eq!(wm.facts_as_of, last, "the year is over, so its facts are as at 31 March 2014");
        let issued = wm.issued.as_ref().expect("sent to the Panel");
        let published = wm.published.as_ref().expect("published");
        assert!(issued.on > last, "sent after the year ended: {}", issued.on);
        assert!(published.on >= issued.on && !published.by.is_empty());
        assert_eq!(wm.sections.len(), SectionKey::ALL.len());
        for section in &wm.sections {
            assert!(!section.text.trim().is_empty(), "{} has no text", section.heading);
            assert!(!section.facts.is_empty(), "{} has no facts", section.heading);
        }

        // The year's decisions, counted here from the whole register: signed, and signed
        // between 1 April 2013 and 31 March 2014 (018/2013, signed on 28 March 2013, is
        // the year before's).
        let register =
            store.decisions(&DecisionFilter { body: Some(BODY), ..Default::default() }).await.expect("decisions");
        let signed: Vec<String> = register
            .iter()
            .filter(|d| d.status == DecisionStatus::Signed)
            .filter(|d| d.signature.as_ref().is_some_and(|s| s.signed_on >= first && s.signed_on <= last))
            .map(|d| d.number.to_string())
            .collect();
        assert!(!signed.is_empty(), "the demo holds a decision of 2013/14");
        let decisions = wm.section(SectionKey::Decisions).expect("decisions section");
        let numbers: Vec<&str> = decisions.facts[0].rows.iter().map(|r| r[0].as_str()).collect();
        assert_eq!(numbers, signed);
        let reports: Vec<String> = store
            .reports()
            .await
            .expect("reports")
            .into_iter()
            .filter(|r| r.body_id == BODY && r.received_on >= first && r.received_on <= last)
            .map(|r| r.title)
            .collect();
        assert!(!reports.is_empty(), "the demo holds the Panel's report of February 2014");
        let panel = wm.section(SectionKey::PanelReports).expect("Panel reports section");
        assert_eq!(panel.facts[0].rows.iter().map(|r| r[1].clone()).collect::<Vec<_>>(), reports);

        // Sending it recorded the body's obligation for the year as done on that day.
        let obligation = store
            .obligation(obligation_id(BODY, ObligationKind::AnnualReport, 2013))
            .await
            .expect("read")
            .expect("the 2013/14 annual report obligation");
        let done = obligation.completion.expect("completed");
        assert_eq!((done.outcome, done.on), (Outcome::Done, issued.on));

        let llr = store.annual_report(LLR_ANNUAL_REPORT_2022_23).await.expect("read").expect("the 2022/23 report");
        assert_eq!((llr.body_id, llr.year.0), (LLR_BODY, 2022));
        assert_eq!(llr.status(), ReportStatus::Draft);
        assert!(llr.issued.is_none() && llr.published.is_none());
        // The latest force-wide recorded crime figure by 31 March 2023 is a month of 2022
        // (the data runs to October 2022); the measures section gives it.
        let crime = store.observations(LLR21_MEA_CRIME).await.expect("observations");
        let latest = crime
            .iter()
            .filter(|o| o.area_code.is_empty() && o.period_start <= ymd(2023, 3, 31))
            .max_by_key(|o| o.period_start)
            .expect("a force-wide figure");
        assert_eq!(latest.period_start.format("%Y").to_string(), "2022");
        let period: Period = latest.period.parse().expect("a period");
        let figure = format!("{} crimes", grouped(latest.value as i64));
        let measures = llr.section(SectionKey::Measures).expect("measures section");
        let row = measures.facts[0]
            .rows
            .iter()
            .find(|r| r[1].starts_with(&figure))
            .unwrap_or_else(|| panic!("no row gives {figure}: {:?}", measures.facts[0].rows));
        assert_eq!(row[2], period.label());
        assert!(measures.text.contains("performance measure"), "{}", measures.text);

        // A second run adds nothing but the demo password's reset, and changes neither report.
        let before = store.audit_log(1, 0).await.expect("audit")[0].seq;
        pcplan::commands::load_demo(&store).await.expect("demo loads again");
        let after = store.audit_log(1, 0).await.expect("audit")[0].seq;
        assert!(after - before <= 1, "{before} then {after}");
        assert_eq!(store.annual_report(ANNUAL_REPORT_2013_14).await.expect("read"), Some(wm));
        assert_eq!(store.annual_report(LLR_ANNUAL_REPORT_2022_23).await.expect("read"), Some(llr));
        assert_eq!(store.annual_reports(None).await.expect("reports").len(), 2);
    });
}
