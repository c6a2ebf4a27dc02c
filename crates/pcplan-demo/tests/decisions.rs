//! The demo's Notices of Decision are valid, signed, numbered as the seeds number them,
//! and point at versions, objectives and grants that exist in the demo plan.

use pcplan_demo::decisions::{DECISION_VARIATION_2014, decisions};
use pcplan_domain::RecordKind;
use pcplan_domain::decision::DecisionStatus;
use pcplan_domain::process::Step;

#[test]
fn every_demo_decision_is_signed_valid_and_links_to_what_exists() {
    let file = pcplan_demo::plan_file();
    let numbers: Vec<String> = decisions().iter().map(|d| d.number.to_string()).collect();
    assert_eq!(numbers, ["018/2013", "011/2014"]);
    for decision in decisions() {
        decision.content.check().expect("valid content");
        assert_eq!(decision.status, DecisionStatus::Signed);
        let signed = decision.signature.as_ref().expect("signed");
        assert_eq!(signed.signed_by, "Bob Jones");
        let link = decision.content.plan.expect("linked to a version");
        let version = file.versions.iter().find(|v| v.meta.number == link.version).expect("the version exists");
        assert!(version.meta.kind.is_public(), "a decision issues an issued or varied version");
        assert_eq!(version.meta.effective_on, Some(signed.signed_on), "issued on the day it was signed");
        for id in &decision.content.objectives {
            let item = version.plan.items.iter().find(|i| i.id == *id).expect("objective exists");
            assert_eq!(item.record.kind(), RecordKind::Objective);
        }
        for id in &decision.content.grants {
            let item = version.plan.items.iter().find(|i| i.id == *id).expect("grant exists");
            assert_eq!(item.record.kind(), RecordKind::Grant);
        }
    }
}

#[test]
fn the_2014_variation_is_issued_by_its_decision() {
    let steps = pcplan_demo::process::variation_steps_2014();
    let issued = steps.iter().find(|(s, _)| *s == Step::PlanIssued).expect("issued step");
    assert_eq!(issued.1.decision, Some(DECISION_VARIATION_2014));
}
