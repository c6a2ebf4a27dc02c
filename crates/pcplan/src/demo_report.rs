//! Loads the demo's Panel report of 14 February 2014 and publishes the Commissioner's
//! response, through the store as staff would: the report is entered, each request
//! tracked, each recommendation answered, the letter written, the response reviewed
//! and then published, which records the variation's "Response given to the Panel" and
//! "Response published" steps (or, in a database whose process already records them
//! on the same day, links the publication to them). The content is `pcplan_demo::report`'s;
//! this module only loads it.

use anyhow::Context;
use pcplan_store::{Actor, Store};

/// The public page of the demo report, which the publication step links to.
pub fn public_path() -> String {
    format!("/reports/{}", pcplan_demo::report::REPORT_2014)
}

/// Stores the report and publishes its response, unless the report is already stored.
pub async fn load(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    use pcplan_demo::report::{PUBLISHED_ON, REPORT_2014, report_2014, response_edits_2014};
    if store.report(REPORT_2014).await?.is_some() {
        return Ok(());
    }
    let report = store.create_report(actor, REPORT_2014, report_2014(), true).await.context("storing the report")?;
    for edit in response_edits_2014(&report) {
        let action = edit.action();
        store.edit_report(actor, REPORT_2014, edit).await.with_context(|| format!("{action} on the report"))?;
    }
    store
        .publish_response(actor, REPORT_2014, PUBLISHED_ON, PUBLISHED_ON, &public_path())
        .await
        .context("publishing the response")?;
    Ok(())
}
