//! Tests of the demo's second body, Leicester, Leicestershire and Rutland (issue 6): that
//! its two plans are consistent and statutorily complete plans whose files import as
//! `pcplan plan import` reads them, that the seed's themes are used as seed 003 gives
//! them and everything invented says so, and that what the demo claims about the real
//! data holds: the body's areas are the ONS lookup's local authorities, and the crime
//! types and outcomes the measures name are those of the police.uk files. The data is
//! the copy the demo ships in `data/policeuk/` (the police.uk archive and the ONS
//! lookup), read with `pcplan-crime`. These tests do not test the domain rules or the
//! police.uk aggregation.

use std::collections::{BTreeSet, HashSet};
use std::path::{Path, PathBuf};

use chrono::{Datelike, Duration};
use pcplan_demo::ids::*;
use pcplan_demo::llr::{
    self, AREAS, CHARGE_OUTCOME_EXAMPLES, COMPUTED_MEASURES, FOLDED_THEMES, NOTE_2021, PEER_FORCES, POPULATION_SOURCE,
    POPULATIONS, PROGRESS_AS_AT, THEMES,
};
use pcplan_domain::{
    Frequency, ItemId, Measure, Plan, PlanFile, Record, RecordKind, Status, VersionKind, VersionMeta, check_contents,
    check_next_version, diff_plans,
};

/// Every plan the module builds, with a name for failure messages.
fn all_plans() -> Vec<(&'static str, Plan)> {
    vec![("2013", llr::plan_2013()), ("2021 as issued", llr::plan_2021_as_issued()), ("2021", llr::plan_2021())]
}

fn measure(plan: &Plan, id: ItemId) -> &Measure {
    match plan.item(id).map(|i| &i.record) {
        Some(Record::Measure(measure)) => measure,
        other => panic!("{id} is not a measure of {}: {other:?}", plan.title),
    }
}

// ---- The plans and their files ----

#[test]
fn every_llr_plan_and_version_is_a_consistent_plan_for_the_bodys_areas() {
    let body = llr::body();
    for (name, plan) in all_plans() {
        if let Err(problems) = plan.validate(&body.areas) {
            panic!("{name}: {problems}");
        }
        assert_eq!(plan.body_id, body.id, "{name}");
    }
    for version in llr::history_2013().into_iter().chain(llr::history_2021()) {
        version.plan.validate(&body.areas).unwrap_or_else(|problems| panic!("{}: {problems}", version.label));
    }
}

#[test]
fn every_llr_plan_contains_the_six_statutory_elements() {
    // PRSRA 2011 s.7(1)(a)-(f).
    for (name, plan) in all_plans() {
        let report = check_contents(&plan);
        assert!(report.valid, "{name}:\n{}", report.to_text());
    }
}

#[test]
fn both_plan_files_pass_their_own_check_and_survive_a_round_trip() {
    // `pcplan plan import` parses the file with PlanFile::parse, which runs the check.
    for file in llr::plan_files() {
        file.check().unwrap_or_else(|problems| panic!("{}: {problems}", file.plan.title));
        let parsed = PlanFile::parse(&file.to_json()).expect("the exported file parses");
        assert_eq!(parsed, file);
        assert_eq!(parsed.to_json(), file.to_json(), "export, import, export gives the same bytes");
    }
}

#[test]
fn the_llr_demo_is_the_same_on_every_call() {
    for (first, second) in llr::plan_files().iter().zip(llr::plan_files()) {
        assert_eq!(first.to_json(), second.to_json());
    }
}

#[test]
fn each_file_holds_its_plan_issued_once_and_both_carry_the_same_body() {
    let [file_2013, file_2021] = llr::plan_files();
    // The store refuses a file whose body is stored with different details, so the
    // second import must find the body exactly as the first stored it.
    assert_eq!(file_2013.body, file_2021.body);
    assert_eq!(file_2013.body, llr::body());
    let expected = [(&file_2013, LLR_PLAN_2013, "2013-10-01"), (&file_2021, LLR_PLAN_2021, "2021-10-01")];
    for (file, plan_id, issued_on) in expected {
        assert_eq!(file.plan.id, plan_id);
        let [version] = file.versions.as_slice() else {
            panic!("{}: {} versions", file.plan.title, file.versions.len())
        };
        assert_eq!(version.meta.kind, VersionKind::Issued);
        assert_eq!(version.meta.effective_on.map(|d| d.to_string()).as_deref(), Some(issued_on));
        assert_eq!(version.meta.made_by, "Demo data");
        let made: Vec<VersionMeta> = Vec::new();
        check_next_version(&made, version.meta.kind).expect("a first version may be the plan as issued");
        let effective = version.meta.effective_on.expect("dated");
        assert!(file.plan.starts_on <= effective && effective <= file.plan.ends_on, "{}", file.plan.title);
    }
    assert_eq!(file_2013.plan, llr::plan_2013());
    assert_eq!(file_2013.versions[0].plan, llr::plan_2013());
    assert_eq!(file_2021.plan, llr::plan_2021());
    assert_eq!(file_2021.versions[0].plan, llr::plan_2021_as_issued());
}

#[test]
fn the_second_bodys_ids_collide_with_nothing_in_the_west_midlands_demo() {
    let west_midlands: HashSet<ItemId> =
        pcplan_demo::history().iter().flat_map(|v| v.plan.items.iter().map(|i| i.id)).collect();
    let ids_2013: HashSet<ItemId> = llr::plan_2013().items.iter().map(|i| i.id).collect();
    let ids_2021: HashSet<ItemId> = llr::plan_2021().items.iter().map(|i| i.id).collect();
    assert!(ids_2013.is_disjoint(&west_midlands));
    assert!(ids_2021.is_disjoint(&west_midlands));
    assert!(ids_2013.is_disjoint(&ids_2021), "the two plans are separate plans, not versions of one");
    assert_ne!(LLR_BODY, BODY);
    assert!(![PLAN, LLR_PLAN_2013].contains(&LLR_PLAN_2021) && PLAN != LLR_PLAN_2013);
    // The number range reads back from the UUID: 0x9_1NNN for 2013, 0x9_2NNN for 2021.
    assert!(ids_2013.iter().all(|id| id.to_string().starts_with("5eed0000-0000-4000-8000-00000009")));
    assert!(LLR21_MEA_CRIME.to_string().ends_with("092601"));
    assert!(LLR13_OBJ_REOFFENDING.to_string().ends_with("091201"));
}

// ---- The body ----

#[test]
fn the_body_is_leicestershire_with_its_three_terms_in_order() {
    let body = llr::body();
    assert_eq!(body.force_name, "Leicestershire Police");
    assert_eq!(body.office_title, "Police and Crime Commissioner");
    let holders: Vec<&str> = body.terms.iter().map(|t| t.holder.as_str()).collect();
    assert_eq!(holders, ["Sir Clive Loader", "Sir Clive Loader", "Rupert Matthews"]);
    for term in &body.terms {
        // Each holder takes office on the seventh day after polling day.
        assert_eq!(term.starts_on - term.elected_on, Duration::days(7), "{}", term.holder);
        assert!(term.starts_on < term.ends_on);
    }
    for pair in body.terms.windows(2) {
        assert_eq!(pair[0].ends_on + Duration::days(1), pair[1].starts_on, "terms follow each other without a gap");
    }
    let last = body.terms.last().expect("a current term");
    assert!(last.starts_on <= PROGRESS_AS_AT && PROGRESS_AS_AT <= last.ends_on, "Rupert Matthews held office then");
}

#[test]
fn the_bodys_areas_are_the_local_authorities_of_the_ons_lookup() {
    let lookup = pcplan_crime::Lookup::from_path(&shipped("lsoa11_to_lad_leicestershire-pfa.csv.gz"))
        .expect("the shipped lookup");
    // The lookup names the two unitary authorities `Leicester UA` and `Rutland UA`.
    let from_lookup: BTreeSet<(String, String)> = lookup
        .areas()
        .iter()
        .map(|a| (a.code.clone().unwrap_or_default(), a.name.trim_end_matches(" UA").to_string()))
        .collect();
    let body = llr::body();
    let ours: BTreeSet<(String, String)> = body.areas.iter().map(|a| (a.code.clone(), a.name.clone())).collect();
    assert_eq!(ours, from_lookup);
    assert_eq!(body.areas.len(), AREAS.len());
}

#[test]
fn the_population_table_covers_the_nine_areas_from_the_census() {
    let populations: Vec<(&str, &str)> = POPULATIONS.iter().map(|(code, name, _)| (*code, *name)).collect();
    assert_eq!(populations, AREAS);
    for (_, name, residents) in POPULATIONS {
        assert!(residents > 0 && residents % 100 == 0, "{name}: {residents} is not rounded to a hundred");
    }
    assert!(POPULATION_SOURCE.contains("Census 2021") && POPULATION_SOURCE.contains("rounded"));
    assert!(PEER_FORCES.iter().all(|force| !force.is_empty() && *force != llr::FORCE));
}

// ---- The 2013 refresh (seed 003) ----

#[test]
fn both_plans_have_seed_003s_four_key_themes_as_their_objectives_in_order() {
    // Seed 003, para 8, word for word.
    let expected = [
        "Reducing Reoffending",
        "Support for Victims and Witnesses",
        "Protecting Vulnerable People",
        "Making Communities Safer",
    ];
    assert_eq!(THEMES, expected);
    for (name, plan) in all_plans() {
        let titles: Vec<&str> = plan.of_kind(RecordKind::Objective).map(|i| i.record.title()).collect();
        assert_eq!(titles, expected, "{name}");
    }
    let plan = llr::plan_2013();
    assert_eq!(plan.title, "Police and Crime Plan 2013-17");
    assert_eq!((plan.starts_on.to_string(), plan.ends_on.to_string()), ("2013-04-01".into(), "2017-03-31".into()));
}

#[test]
fn the_folded_themes_are_recorded_under_the_key_theme_that_took_them() {
    // Seed 003, para 8: 'Reducing All Crime' and 'Mental Health and Wellbeing' were folded in.
    let plan = llr::plan_2013();
    for (folded, theme) in FOLDED_THEMES {
        let objective = plan
            .of_kind(RecordKind::Objective)
            .find(|i| i.record.title() == theme)
            .unwrap_or_else(|| panic!("no objective {theme}"));
        let carried = plan.children(Some(objective.id)).find(|i| match &i.record {
            Record::Priority(p) => p.description.contains(&format!("'{folded}'")),
            _ => false,
        });
        let carried = carried.unwrap_or_else(|| panic!("no priority under {theme} carries '{folded}'"));
        assert!(carried.illustrative, "which theme took '{folded}' is the demo's choice and must say so");
    }
}

#[test]
fn the_2013_plan_tags_what_the_seed_does_not_give_as_illustrative() {
    let plan = llr::plan_2013();
    for item in &plan.items {
        match item.record.kind() {
            RecordKind::Objective => assert!(!item.illustrative, "{} comes from seed 003", item.record.title()),
            RecordKind::Priority
            | RecordKind::Commitment
            | RecordKind::Milestone
            | RecordKind::Measure
            | RecordKind::Resource
            | RecordKind::Grant => {
                assert!(item.illustrative, "{} is not in seed 003 and must say so", item.record.title())
            }
            _ => {}
        }
    }
    // The refresh itself, its money and its commissioning partners are the seed's.
    for id in [LLR13_SEC_REFRESH, LLR13_SEC_RESOURCES, LLR13_SEC_COMMISSIONING, LLR13_SEC_PARTNERS] {
        assert!(!plan.item(id).expect("a section").illustrative);
    }
    let milestones: Vec<Status> = plan
        .items
        .iter()
        .filter_map(|i| match &i.record {
            Record::Milestone(m) => Some(m.status),
            _ => None,
        })
        .collect();
    assert!(!milestones.is_empty());
    assert!(
        milestones.iter().all(|s| matches!(s, Status::NotStarted | Status::OnTrack)),
        "issued in October 2013, nothing has finished or slipped yet: {milestones:?}"
    );
}

// ---- The illustrative 2021-2025 plan ----

#[test]
fn every_record_of_the_2021_plan_is_illustrative_and_its_first_section_says_why() {
    for (name, plan) in all_plans().into_iter().skip(1) {
        for item in &plan.items {
            assert!(item.illustrative, "{name}: {} must be tagged illustrative", item.record.title());
        }
        let Some(Record::Section(note)) = plan.items.first().map(|i| &i.record) else {
            panic!("{name}: the first record is the note")
        };
        assert_eq!(note.text, NOTE_2021);
        assert!(note.elements.is_empty(), "the note is not a statutory element");
    }
    assert!(NOTE_2021.starts_with("Illustrative:") && NOTE_2021.contains("seed 003"));
}

#[test]
fn the_2021_plan_runs_from_october_2021_to_the_year_after_the_2024_election() {
    let plan = llr::plan_2021();
    assert_eq!(plan.title, "Police and Crime Plan 2021-2025");
    assert_eq!(plan.starts_on.to_string(), "2021-10-01");
    // PRSRA 2011 s.5(3): to the end of the financial year after the next ordinary election.
    assert_eq!(plan.ends_on.to_string(), "2025-03-31");
    assert!(plan.starts_on < PROGRESS_AS_AT && PROGRESS_AS_AT < plan.ends_on, "in force while monitored");
}

#[test]
fn each_theme_has_two_or_three_priorities_and_every_commitment_an_owner_and_a_lead() {
    let plan = llr::plan_2021();
    for objective in plan.of_kind(RecordKind::Objective) {
        let priorities = plan.children(Some(objective.id)).filter(|i| i.record.kind() == RecordKind::Priority).count();
        assert!((2..=3).contains(&priorities), "{}: {priorities} priorities", objective.record.title());
    }
    for item in plan.of_kind(RecordKind::Commitment) {
        let Record::Commitment(c) = &item.record else { unreachable!("filtered by kind") };
        assert!(!c.owner.trim().is_empty() && !c.lead_organisation.trim().is_empty(), "{}", c.title);
        assert!(
            plan.children(Some(item.id)).any(|i| i.record.kind() == RecordKind::Milestone),
            "{} has a milestone",
            c.title
        );
    }
}

#[test]
fn milestone_statuses_stand_as_they_would_on_31_october_2022() {
    let plan = llr::plan_2021();
    let milestones: Vec<_> = plan
        .items
        .iter()
        .filter_map(|i| match &i.record {
            Record::Milestone(m) => Some(m),
            _ => None,
        })
        .collect();
    let count = |status: Status| milestones.iter().filter(|m| m.status == status).count();
    assert_eq!((count(Status::AtRisk), count(Status::Late), count(Status::Withdrawn)), (1, 1, 1));
    assert!(count(Status::Complete) >= 3 && count(Status::OnTrack) >= 3);
    assert_eq!(count(Status::NotStarted), 0, "a year in, every milestone has a status");
    for m in &milestones {
        match m.status {
            Status::Late => assert!(m.due < PROGRESS_AS_AT, "{} is late only after its date", m.title),
            Status::OnTrack | Status::AtRisk => assert!(m.due >= PROGRESS_AS_AT, "{} is overdue", m.title),
            _ => {}
        }
    }
    let years: BTreeSet<i32> = milestones.iter().map(|m| m.due.year()).collect();
    assert_eq!(years, BTreeSet::from([2021, 2022, 2023]));
}

#[test]
fn the_issued_plan_differs_from_the_monitored_one_only_in_milestone_statuses() {
    let issued = llr::plan_2021_as_issued();
    for item in &issued.items {
        if let Record::Milestone(m) = &item.record {
            assert!(matches!(m.status, Status::NotStarted | Status::OnTrack), "{} at issue: {:?}", m.title, m.status);
        }
    }
    let summary = diff_plans(&issued, &llr::plan_2021());
    assert!(summary.plan_fields.is_empty());
    assert!(!summary.changes.is_empty());
    for change in &summary.changes {
        assert_eq!(change.kind, RecordKind::Milestone, "{}", summary.to_text());
        let fields: Vec<&str> = change.fields.iter().map(|f| f.field.as_str()).collect();
        assert_eq!(fields, ["status"], "{}", change.title);
    }
}

// ---- Measures and the real police.uk data ----

#[test]
fn every_computed_measure_is_a_monthly_police_uk_measure_by_area_of_the_2021_plan() {
    let plan = llr::plan_2021();
    let kinds = ["crimes", "crimes_of_type", "anti_social_behaviour", "charge_share"];
    for (id, kind, crime_type) in COMPUTED_MEASURES {
        let m = measure(&plan, *id);
        assert!(kinds.contains(kind), "{}: unknown feed kind {kind}", m.title);
        assert_eq!(
            crime_type.is_some(),
            *kind == "crimes_of_type",
            "{}: a crime type only for crimes_of_type",
            m.title
        );
        if let Some(crime_type) = crime_type {
            assert_eq!(m.title, *crime_type, "a count of one type is titled by police.uk's name for it");
        }
        assert_eq!(m.data_source, "police.uk street-level crime", "{}", m.title);
        assert_eq!(m.frequency, Frequency::Monthly, "{}", m.title);
        assert!(m.by_area, "{}", m.title);
    }
    // And every police.uk measure of the plan is fed.
    let fed: HashSet<ItemId> = COMPUTED_MEASURES.iter().map(|(id, _, _)| *id).collect();
    for item in plan.of_kind(RecordKind::Measure) {
        let Record::Measure(m) = &item.record else { unreachable!("filtered by kind") };
        assert_eq!(m.data_source == "police.uk street-level crime", fed.contains(&item.id), "{}", m.title);
    }
    assert_eq!(fed.len(), COMPUTED_MEASURES.len(), "each measure is fed once");
    let charge = measure(&plan, LLR21_MEA_CHARGE_SHARE);
    assert_eq!(charge.unit, "%");
    // Issue 6's wording of what the share counts.
    assert!(
        charge.definition.to_lowercase().contains(
            "crimes whose last recorded outcome is a charge or summons, or a court outcome that follows one, as a \
             share of crimes recorded in the month (anti-social behaviour excluded)"
        ),
        "{}",
        charge.definition
    );
}

#[test]
fn the_plan_also_has_measures_staff_enter_by_hand_with_baselines() {
    let plan = llr::plan_2021();
    let by_hand: Vec<&Measure> =
        [LLR21_MEA_VICTIM_SATISFACTION, LLR21_MEA_DA_REPEAT].into_iter().map(|id| measure(&plan, id)).collect();
    for m in by_hand {
        assert_ne!(m.data_source, "police.uk street-level crime", "{}", m.title);
        assert_eq!(m.frequency, Frequency::Quarterly, "{}", m.title);
        assert!(m.baseline.is_some(), "{} has a baseline", m.title);
    }
}

#[test]
fn the_crime_types_and_outcomes_named_are_those_of_the_real_police_uk_files() {
    let (crime_types, outcomes, months) = read_street_files();
    for (_, _, crime_type) in COMPUTED_MEASURES {
        if let Some(crime_type) = crime_type {
            assert!(
                crime_types.contains(*crime_type),
                "`{crime_type}` is not a crime type of the files: {crime_types:?}"
            );
        }
    }
    assert!(crime_types.contains(llr::ANTI_SOCIAL_BEHAVIOUR), "{crime_types:?}");
    let charge = measure(&llr::plan_2021(), LLR21_MEA_CHARGE_SHARE).definition.clone();
    for example in CHARGE_OUTCOME_EXAMPLES {
        assert!(outcomes.contains(example), "`{example}` is not an outcome of the files: {outcomes:?}");
        assert!(charge.contains(&format!("'{example}'")), "the definition quotes `{example}`");
    }
    // The note and the definition speak of October 2021 to October 2022: so do the files.
    assert_eq!(months.first().map(String::as_str), Some("2021-10"));
    assert_eq!(months.last().map(String::as_str), Some("2022-10"));
    assert_eq!(months.len(), 13);
    assert!(PROGRESS_AS_AT.format("%Y-%m").to_string() == *months.last().expect("months"));
}

// ---- Reading the shipped data ----

/// A file of the police.uk data the demo ships.
fn shipped(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("data/policeuk").join(name)
}

/// The crime types, last outcomes and months of every Leicestershire street file in the
/// shipped archive.
fn read_street_files() -> (BTreeSet<String>, BTreeSet<String>, Vec<String>) {
    let archive = shipped("leicestershire-2021-10_2022-10.zip");
    let result = pcplan_crime::aggregate_paths(&[archive], &pcplan_crime::Options::default()).expect("the archive");
    assert_eq!(result.malformed(), 0, "the real files read whole");
    let types = result.rows.iter().map(|r| r.crime_type.clone()).collect();
    let outcomes = result.rows.iter().map(|r| r.outcome.clone()).collect();
    let months: BTreeSet<String> = result.rows.iter().map(|r| r.month.clone()).collect();
    (types, outcomes, months.into_iter().collect())
}
