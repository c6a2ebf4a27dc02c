//! Tests of the demo content: that every version is a consistent, statutorily complete
//! plan, that the plan file passes its own check, that the seeds' content is used as the
//! seeds give it, and snapshots of the 2014 summary of variations and the 2013 contents
//! check. These tests do not test the domain rules themselves; `pcplan-domain` does.

use pcplan_demo::{AREAS, body, history, ids, plan_2013, plan_2014, plan_file};
use pcplan_domain::{
    ChangeKind, Pence, PlanFile, Record, RecordKind, VersionKind, VersionMeta, VersionNumber, check_contents,
    check_next_version, diff_plans,
};

#[test]
fn every_demo_plan_is_a_consistent_plan_for_the_bodys_areas() {
    let body = body();
    for version in history() {
        if let Err(problems) = version.plan.validate(&body.areas) {
            panic!("{}: {problems}", version.label);
        }
    }
    plan_2013().validate(&body.areas).expect("the 2013 plan is consistent");
    plan_2014().validate(&body.areas).expect("the 2014 plan is consistent");
}

#[test]
fn the_demo_plan_file_passes_its_own_check_and_survives_a_round_trip() {
    let file = plan_file();
    file.check().expect("the demo file is consistent");
    let parsed = PlanFile::parse(&file.to_json()).expect("the exported demo parses");
    assert_eq!(parsed, file);
    assert_eq!(parsed.to_json(), file.to_json(), "export, import, export gives the same bytes");
}

#[test]
fn the_demo_is_the_same_on_every_call() {
    assert_eq!(plan_file().to_json(), plan_file().to_json());
}

#[test]
fn the_plan_file_holds_four_numbered_versions_and_the_varied_plan_as_its_draft() {
    let file = plan_file();
    assert_eq!(file.plan, plan_2014());
    let kinds: Vec<VersionKind> = file.versions.iter().map(|v| v.meta.kind).collect();
    assert_eq!(
        kinds,
        [VersionKind::SentToPanel, VersionKind::Issued, VersionKind::VariationDraft, VersionKind::Varied]
    );
    for (index, version) in file.versions.iter().enumerate() {
        assert_eq!(version.meta.number, VersionNumber(index as u32 + 1));
        assert_eq!(version.meta.plan_id, ids::PLAN);
        assert_eq!(version.meta.made_by, "Demo data");
        let effective = version.meta.effective_on.expect("every demo version has a date");
        assert_eq!(version.meta.made_at.date_naive(), effective);
        assert_eq!(version.meta.made_at.time().to_string(), "12:00:00");
    }
    let issued = &file.versions[1];
    assert_eq!(issued.meta.effective_on.map(|d| d.to_string()).as_deref(), Some("2013-03-28"));
    assert_eq!(issued.plan, plan_2013());
}

#[test]
fn the_versions_follow_each_other_as_the_statute_allows() {
    // PRSRA 2011 s.5: a plan is issued once and varied after that.
    let mut made: Vec<VersionMeta> = Vec::new();
    for version in plan_file().versions {
        check_next_version(&made, version.meta.kind).expect("each demo version may follow the ones before it");
        made.push(version.meta);
    }
}

#[test]
fn the_body_is_the_west_midlands_with_its_seven_areas_and_the_2012_term() {
    let body = body();
    let areas: Vec<(&str, &str)> = body.areas.iter().map(|a| (a.code.as_str(), a.name.as_str())).collect();
    assert_eq!(
        areas,
        [
            ("E08000025", "Birmingham"),
            ("E08000026", "Coventry"),
            ("E08000027", "Dudley"),
            ("E08000028", "Sandwell"),
            ("E08000029", "Solihull"),
            ("E08000030", "Walsall"),
            ("E08000031", "Wolverhampton"),
        ]
    );
    let [term] = body.terms.as_slice() else { panic!("one term: {:?}", body.terms) };
    assert_eq!(term.holder, "Bob Jones");
    assert_eq!(term.elected_on.to_string(), "2012-11-15");
    assert_eq!(term.starts_on.to_string(), "2012-11-22");
    assert_eq!(term.ends_on.to_string(), "2016-05-11");
}

#[test]
fn the_2013_plan_has_seed_001s_ten_objectives_in_two_groups_of_five() {
    // Seed 001, paras 7 and 8, word for word.
    let expected: [[&str; 5]; 2] = [
        [
            "Improving public confidence in policing",
            "Creating stronger partnerships",
            "Developing greater local identity across the West Midlands",
            "Demonstrating the Force's commitment to social responsibility",
            "Delivering better value for money",
        ],
        [
            "Reducing crime and offending",
            "Better protecting people from harm",
            "Improving the service the public receive from the police",
            "Supporting stronger communities",
            "Ensuring a more effective contribution to national policing",
        ],
    ];
    let plan = plan_2013();
    assert_eq!(plan.vision, "Pride in our Police");
    assert_eq!(plan.of_kind(RecordKind::Objective).count(), 10);
    let groups: Vec<_> = plan.of_kind(RecordKind::ObjectiveGroup).collect();
    assert_eq!(groups.len(), 2);
    for (group, titles) in groups.iter().zip(expected) {
        let objectives: Vec<&str> = plan.children(Some(group.id)).map(|i| i.record.title()).collect();
        assert_eq!(objectives, titles);
        assert!(plan.children(Some(group.id)).all(|i| i.record.kind() == RecordKind::Objective));
    }
    assert_eq!(pcplan_demo::OBJECTIVE_GROUPS.map(|(_, titles)| titles), expected);
}

#[test]
fn seed_content_is_not_illustrative_and_invented_content_is() {
    for plan in [plan_2013(), plan_2014()] {
        for item in &plan.items {
            match item.record.kind() {
                RecordKind::ObjectiveGroup | RecordKind::Objective | RecordKind::LocalPlan => {
                    assert!(!item.illustrative, "{} comes from the seeds", item.record.title())
                }
                RecordKind::Milestone | RecordKind::Measure | RecordKind::Resource | RecordKind::Grant => {
                    assert!(item.illustrative, "{} is invented and must say so", item.record.title())
                }
                _ => {}
            }
        }
    }
}

#[test]
fn every_version_contains_the_six_statutory_elements() {
    // PRSRA 2011 s.7(1)(a)-(f).
    for version in history() {
        let report = check_contents(&version.plan);
        assert!(report.valid, "{}:\n{}", version.label, report.to_text());
    }
}

#[test]
fn the_2013_plan_leaves_some_further_functions_uncovered() {
    let report = check_contents(&plan_2013());
    let covered = report.functions.iter().filter(|f| f.covered).count();
    assert!(covered >= 6, "{}", report.to_text());
    assert!(covered < report.functions.len(), "{}", report.to_text());
}

#[test]
fn each_area_has_one_local_plan_with_one_or_two_priorities() {
    for plan in [plan_2013(), plan_2014()] {
        let locals: Vec<_> = plan.of_kind(RecordKind::LocalPlan).collect();
        assert_eq!(locals.len(), 7);
        for (item, (code, name)) in locals.iter().zip(AREAS) {
            let Record::LocalPlan(local) = &item.record else { unreachable!("filtered by kind") };
            assert_eq!(local.area, code);
            assert!(local.title.starts_with(name), "{}", local.title);
            let priorities = plan.children(Some(item.id)).count();
            assert!((1..=2).contains(&priorities), "{name} has {priorities} priorities");
        }
    }
}

#[test]
fn the_plan_has_measures_resources_a_grant_and_a_summit_action_plan() {
    let plan = plan_2013();
    let count = |kind| plan.of_kind(kind).count();
    assert!((12..=20).contains(&count(RecordKind::Milestone)), "{} milestones", count(RecordKind::Milestone));
    assert!((6..=8).contains(&count(RecordKind::Measure)));
    assert!((3..=5).contains(&count(RecordKind::Resource)));
    assert_eq!(count(RecordKind::Grant), 1);
    assert_eq!(count(RecordKind::ActionPlan), 1);
    let victims = plan.item(ids::AP_VICTIMS).expect("the Victims' Summit action plan");
    assert!((3..=4).contains(&plan.children(Some(victims.id)).count()));
    let total: i64 = plan
        .items
        .iter()
        .filter_map(|i| match &i.record {
            Record::Resource(r) if r.to_chief_constable => Some(r.amount.0),
            _ => None,
        })
        .sum();
    // West Midlands Police's net budget was roughly £550m in 2013/14.
    assert!((Pence::pounds(500_000_000)..Pence::pounds(600_000_000)).contains(&Pence(total)), "{}", Pence(total));
}

#[test]
fn the_draft_sent_to_the_panel_differs_from_the_issued_plan_in_one_milestone_date() {
    let versions = history();
    let summary = diff_plans(&versions[0].plan, &versions[1].plan);
    let [change] = summary.changes.as_slice() else { panic!("{}", summary.to_text()) };
    assert_eq!(change.item, ids::MS_BOARDS_ESTABLISHED);
    assert_eq!(change.fields.len(), 1);
    assert_eq!(change.fields[0].field, "due");
}

#[test]
fn the_plan_as_varied_adds_what_the_panel_asked_for_to_the_variation_draft() {
    // Seed 004: knife crime, and referrals of domestic abuse to the CPS.
    let versions = history();
    let summary = diff_plans(&versions[2].plan, &versions[3].plan);
    let added: Vec<_> = summary.changes.iter().map(|c| (c.change, c.item)).collect();
    assert_eq!(
        added,
        [
            (ChangeKind::Added, ids::COM_KNIFE_CRIME),
            (ChangeKind::Added, ids::MS_KNIFE_AMNESTY),
            (ChangeKind::Added, ids::MEA_DA_CPS_REFERRALS),
        ]
    );
}

#[test]
fn the_2014_variation_changes_milestones_and_objectives_but_not_the_title_or_period() {
    let summary = diff_plans(&plan_2013(), &plan_2014());
    assert!(summary.plan_fields.is_empty(), "{:?}", summary.plan_fields);
    let change_of = |id| summary.changes.iter().find(|c| c.item == id).map(|c| c.change);
    assert_eq!(change_of(ids::OBJ_LOCAL_IDENTITY), Some(ChangeKind::Changed));
    assert_eq!(change_of(ids::PRI_YOUNG_PEOPLE), Some(ChangeKind::Moved));
    assert_eq!(change_of(ids::PRI_NEIGHBOURHOOD_BOUNDARIES), Some(ChangeKind::Removed));
    assert_eq!(change_of(ids::AP_PARTNERSHIP), Some(ChangeKind::Added));
    assert_eq!(change_of(ids::COM_KNIFE_CRIME), Some(ChangeKind::Added));
    assert_eq!(change_of(ids::MEA_DA_CPS_REFERRALS), Some(ChangeKind::Added));
    let milestones = summary.of_kind(RecordKind::Milestone).count();
    assert!(milestones >= 10, "{}", summary.to_text());
}

#[test]
fn the_2014_summary_of_variations_reads_as_expected() {
    insta::assert_snapshot!("variation_2013_to_2014", diff_plans(&plan_2013(), &plan_2014()).to_text());
}

#[test]
fn the_2014_summary_of_variations_serialises_as_expected() {
    insta::assert_json_snapshot!("variation_2013_to_2014_json", diff_plans(&plan_2013(), &plan_2014()));
}

#[test]
fn the_2013_contents_check_reads_as_expected() {
    insta::assert_snapshot!("contents_2013", check_contents(&plan_2013()).to_text());
}
