//! Loads the demo's annual reports (PRSRA 2011 s.12), drafted from the demo's own records
//! by the same code as the staff page's "Draft a report" form
//! (`pcplan_web::staff::annual_reports::draft_annual_report`), so every figure in them is
//! what the records give, never text written here:
//!
//! - West Midlands on 2013/14: the year of the plan's variation, with its decision, the
//!   Panel's report and response and the Panel meeting. It is sent to the Panel and
//!   published, as a body would have done by the summer of 2014, which also records the
//!   body's `annual_report` obligation for 2013/14 as done.
//! - Leicester, Leicestershire and Rutland on 2022/23: left a draft, so staff see one whose
//!   measures section holds the figures computed from the police.uk data.
//!
//! It runs after the records it draws on are loaded. Each step is skipped when already
//! done (a report there is never drafted again nor refreshed), so running `pcplan demo`
//! again adds nothing. The dates of issue and publication are illustrative.

use anyhow::Context;
use chrono::NaiveDate;
use pcplan_demo::ids::{ANNUAL_REPORT_2013_14, BODY, LLR_ANNUAL_REPORT_2022_23, LLR_BODY};
use pcplan_domain::annual_report::{AnnualReport, Issue, Publication};
use pcplan_domain::ids::AnnualReportId;
use pcplan_domain::{BodyId, FinancialYear};
use pcplan_store::{Actor, Store};
use pcplan_web::staff::annual_reports::draft_annual_report;

/// West Midlands' report year: 1 April 2013 to 31 March 2014.
pub const WEST_MIDLANDS_YEAR: FinancialYear = FinancialYear(2013);
/// Leicester, Leicestershire and Rutland's report year: 1 April 2022 to 31 March 2023.
pub const LLR_YEAR: FinancialYear = FinancialYear(2022);

/// Who sent the West Midlands report to the Panel and published it: the officer who
/// reviewed the Commissioner's response to the Panel in the same year's records
/// (`pcplan_demo::report::REVIEWED_BY`).
pub const SENT_BY: &str = pcplan_demo::report::REVIEWED_BY;

/// When the West Midlands report went to the Panel (illustrative). The report is on the
/// whole year, so it can go only after 31 March 2014 (the store refuses earlier), and
/// the year-end figures and the decision register take some weeks to close. The default
/// deadline is six months after the year (30 September 2014, the "annual report months"
/// clock setting); a Monday in mid-June leaves the Panel the summer to review it.
pub fn sent_on() -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(2014, 6, 16).context("the demo's date of sending the annual report")
}

/// When the West Midlands report was published (illustrative): three weeks after it was
/// sent, once the Panel had reviewed it at a public meeting (PRSRA 2011 s.28(4)). The
/// demo holds no record of that meeting or of a Panel report on it, so the publication
/// names neither.
pub fn published_on() -> anyhow::Result<NaiveDate> {
    NaiveDate::from_ymd_opt(2014, 7, 8).context("the demo's date of publishing the annual report")
}

/// Loads whatever part of the two reports is missing.
pub async fn load(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    let today = pcplan_web::today();
    let west_midlands = drafted(store, actor, BODY, WEST_MIDLANDS_YEAR, ANNUAL_REPORT_2013_14).await?;
    if west_midlands.issued.is_none() {
        let issue = Issue { on: sent_on()?, by: SENT_BY.to_string() };
        store
            .issue_annual_report(actor, west_midlands.id, &issue, today)
            .await
            .with_context(|| format!("sending the demo's annual report on {WEST_MIDLANDS_YEAR} to the Panel"))?;
    }
    if west_midlands.published.is_none() {
        let publication =
            Publication { on: published_on()?, by: SENT_BY.to_string(), panel_meeting: None, panel_report: None };
        store
            .publish_annual_report(actor, west_midlands.id, &publication, today)
            .await
            .with_context(|| format!("publishing the demo's annual report on {WEST_MIDLANDS_YEAR}"))?;
    }
    drafted(store, actor, LLR_BODY, LLR_YEAR, LLR_ANNUAL_REPORT_2022_23).await?;
    Ok(())
}

/// The body's report on the year: the stored one, whatever its id and state, or one
/// drafted now with `id` from the records as they stand.
async fn drafted(
    store: &Store,
    actor: &Actor,
    body: BodyId,
    year: FinancialYear,
    id: AnnualReportId,
) -> anyhow::Result<AnnualReport> {
    if let Some(report) = store.annual_report_for(body, year).await? {
        return Ok(report);
    }
    let body = store.body(body).await?.with_context(|| format!("the demo's body {body} was not stored"))?;
    draft_annual_report(store, actor, id, &body, year)
        .await
        .with_context(|| format!("drafting the demo's annual report of {} on {year}", body.name))
}
