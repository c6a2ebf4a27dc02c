//! Table-driven tests of the domain's rules: the statutory contents check, the summary of
//! variations, plan validation, the order of versions and plan file parsing.
//!
//! Each table has one row per case, with the statute or the documented rule it checks.
//! Every case starts from [`minimal_plan`], a small hand-built plan that is consistent and
//! contains the six statutory elements, and changes one thing. These tests use no demo
//! content, so a change to the demo can never hide a change to a rule.

use chrono::{NaiveDate, TimeZone, Utc};
use pcplan_domain::{
    Ambition, Area, Baseline, Body, BodyId, ChangeKind, Commitment, Direction, FinancialYear, Frequency,
    FurtherFunction, Grant, Item, ItemId, LocalPlan, Measure, Milestone, Nation, Objective, ObjectiveGroup, Pence,
    Plan, PlanFile, PlanId, PlanVersion, Polarity, Priority, Record, RecordKind, Resource, Section, Status,
    StatutoryElement, VersionKind, VersionMeta, VersionNumber, VersionRuleError, check_contents, check_next_version,
    content_hash, current_public, diff_plans,
};

// ---------------------------------------------------------------------------------------
// A minimal plan
// ---------------------------------------------------------------------------------------

const BODY: BodyId = BodyId::from_u128(0xb0d1);
const PLAN: PlanId = PlanId::from_u128(0x91a4);
const GROUP: ItemId = ItemId::from_u128(0x10);
const OBJ_A: ItemId = ItemId::from_u128(0x20);
const OBJ_B: ItemId = ItemId::from_u128(0x21);
const PRIORITY: ItemId = ItemId::from_u128(0x30);
const COMMITMENT: ItemId = ItemId::from_u128(0x40);
const MILESTONE_1: ItemId = ItemId::from_u128(0x51);
const MILESTONE_2: ItemId = ItemId::from_u128(0x52);
const MILESTONE_3: ItemId = ItemId::from_u128(0x53);
const MEASURE: ItemId = ItemId::from_u128(0x60);
const RESOURCE: ItemId = ItemId::from_u128(0x70);
const GRANT: ItemId = ItemId::from_u128(0x80);
const LOCAL: ItemId = ItemId::from_u128(0x90);
const POLICING: ItemId = ItemId::from_u128(0xc0);
const REPORTING: ItemId = ItemId::from_u128(0xc1);
const NEW: ItemId = ItemId::from_u128(0xf0);
const MISSING: ItemId = ItemId::from_u128(0xdead);

// Positions in `minimal_plan().items`, for the paths errors name.
const AT_OBJ_B: usize = 2;
const AT_PRIORITY: usize = 3;
const AT_MILESTONE_1: usize = 5;
const AT_MEASURE: usize = 8;
const AT_RESOURCE: usize = 9;
const AT_GRANT: usize = 10;
const AT_LOCAL: usize = 11;

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).expect("test dates are valid")
}

fn item(id: ItemId, parent: Option<ItemId>, record: Record) -> Item {
    Item { id, parent, serves: Vec::new(), illustrative: false, record }
}

fn milestone(title: &str, due: NaiveDate) -> Record {
    Record::Milestone(Milestone { title: title.into(), due, status: Status::NotStarted })
}

fn section(title: &str, text: &str, elements: &[StatutoryElement], functions: &[FurtherFunction]) -> Record {
    Record::Section(Section {
        title: title.into(),
        text: text.into(),
        elements: elements.to_vec(),
        functions: functions.to_vec(),
    })
}

fn areas() -> Vec<Area> {
    vec![
        Area { code: "E08000025".into(), name: "Birmingham".into() },
        Area { code: "E08000026".into(), name: "Coventry".into() },
    ]
}

fn body() -> Body {
    Body {
        id: BODY,
        name: "Test Police and Crime Commissioner".into(),
        office_title: "Police and Crime Commissioner".into(),
        force_name: "Test Police".into(),
        nation: Nation::England,
        areas: areas(),
        terms: Vec::new(),
    }
}

/// The smallest plan that is consistent and has all six statutory elements: objectives
/// (a), a policing section (b), a resource line to the Chief Constable (c), a reporting
/// section (d), a measure (e) and a grant (f).
fn minimal_plan() -> Plan {
    let items = vec![
        item(GROUP, None, Record::ObjectiveGroup(ObjectiveGroup { title: "Group".into(), summary: String::new() })),
        item(
            OBJ_A,
            Some(GROUP),
            Record::Objective(Objective {
                reference: "1".into(),
                title: "Objective A".into(),
                description: String::new(),
            }),
        ),
        item(
            OBJ_B,
            Some(GROUP),
            Record::Objective(Objective {
                reference: "2".into(),
                title: "Objective B".into(),
                description: String::new(),
            }),
        ),
        item(
            PRIORITY,
            Some(OBJ_A),
            Record::Priority(Priority { title: "Priority".into(), description: String::new() }),
        ),
        item(
            COMMITMENT,
            Some(PRIORITY),
            Record::Commitment(Commitment {
                title: "Commitment".into(),
                description: String::new(),
                owner: "Owner".into(),
                lead_organisation: "Test Police".into(),
            }),
        ),
        item(MILESTONE_1, Some(COMMITMENT), milestone("Milestone 1", date(2013, 9, 30))),
        item(MILESTONE_2, Some(COMMITMENT), milestone("Milestone 2", date(2013, 12, 31))),
        item(MILESTONE_3, Some(COMMITMENT), milestone("Milestone 3", date(2014, 3, 31))),
        item(
            MEASURE,
            Some(OBJ_A),
            Record::Measure(Measure {
                title: "Total recorded crime".into(),
                definition: "All recorded crime".into(),
                unit: "crimes".into(),
                polarity: Polarity::LowerIsBetter,
                baseline: Some(Baseline { value: 100.0, period: "2012/13".into() }),
                ambition: Ambition::Direction { direction: Direction::Reduce },
                frequency: Frequency::Monthly,
                data_source: "police.uk".into(),
                by_area: true,
            }),
        ),
        item(
            RESOURCE,
            None,
            Record::Resource(Resource {
                line: "Police officer pay".into(),
                amount: Pence::pounds(1_000_000),
                financial_year: FinancialYear(2013),
                to_chief_constable: true,
                notes: String::new(),
            }),
        ),
        item(
            GRANT,
            None,
            Record::Grant(Grant {
                recipient: "Community safety partnership".into(),
                purpose: "Crime reduction".into(),
                amount: Pence::pounds(10_000),
                financial_year: FinancialYear(2013),
                conditions: "Reports quarterly".into(),
            }),
        ),
        item(
            LOCAL,
            None,
            Record::LocalPlan(LocalPlan {
                area: "E08000025".into(),
                title: "Birmingham local plan".into(),
                summary: String::new(),
            }),
        ),
        item(POLICING, None, section("Policing", "The force will provide...", &[StatutoryElement::Policing], &[])),
        item(
            REPORTING,
            None,
            section("Reporting", "The Chief Constable will report...", &[StatutoryElement::Reporting], &[]),
        ),
    ];
    Plan {
        id: PLAN,
        body_id: BODY,
        title: "Test Police and Crime Plan".into(),
        starts_on: date(2013, 4, 1),
        ends_on: date(2017, 3, 31),
        vision: "A vision".into(),
        items,
    }
}

fn index_of(plan: &Plan, id: ItemId) -> usize {
    plan.position(id).expect("the minimal plan holds this record")
}

fn record_mut(plan: &mut Plan, id: ItemId) -> &mut Record {
    let index = index_of(plan, id);
    &mut plan.items[index].record
}

fn remove(plan: &mut Plan, id: ItemId) {
    plan.items.retain(|i| i.id != id);
}

fn set_text(plan: &mut Plan, id: ItemId, text: &str) {
    match record_mut(plan, id) {
        Record::Section(s) => s.text = text.into(),
        other => panic!("{id} is a {}, not a section", other.kind()),
    }
}

fn retitle(plan: &mut Plan, id: ItemId, title: &str) {
    match record_mut(plan, id) {
        Record::Objective(r) => r.title = title.into(),
        Record::Priority(r) => r.title = title.into(),
        Record::Milestone(r) => r.title = title.into(),
        other => panic!("retitle does not handle a {}", other.kind()),
    }
}

/// Moves a record to just before `before` in the list, keeping its parent.
fn move_before(plan: &mut Plan, id: ItemId, before: ItemId) {
    let moved = plan.items.remove(index_of(plan, id));
    let at = index_of(plan, before);
    plan.items.insert(at, moved);
}

// ---------------------------------------------------------------------------------------
// The statutory contents check, PRSRA 2011 s.7(1)
// ---------------------------------------------------------------------------------------

struct ContentsCase {
    /// The statute, and what the row checks.
    case: &'static str,
    edit: fn(&mut Plan),
    element: StatutoryElement,
    present: bool,
    /// Text the evidence (when present) or the problem (when missing) must contain.
    says: &'static str,
}

#[test]
fn each_statutory_element_is_found_or_reported_missing() {
    use StatutoryElement as E;
    let cases = [
        ContentsCase {
            case: "s.7(1)(a): objective records satisfy (a)",
            edit: |_| {},
            element: E::Objectives,
            present: true,
            says: "2 objectives",
        },
        ContentsCase {
            case: "s.7(1)(a): a section mapped to (a) cannot stand in for objective records",
            edit: |p| {
                p.items.retain(|i| i.record.kind() != RecordKind::Objective);
                p.items.push(item(NEW, None, section("Objectives", "We will...", &[E::Objectives], &[])));
            },
            element: E::Objectives,
            present: false,
            says: "the plan has no objectives; add at least one objective",
        },
        ContentsCase {
            case: "s.7(1)(b): a mapped section with text satisfies (b)",
            edit: |_| {},
            element: E::Policing,
            present: true,
            says: "section \"Policing\"",
        },
        ContentsCase {
            case: "s.7(1)(b): no section mapped to (b)",
            edit: |p| remove(p, POLICING),
            element: E::Policing,
            present: false,
            says: "no section is mapped to s.7(1)(b)",
        },
        ContentsCase {
            case: "s.7(1)(b): a mapped section without text is named as empty",
            edit: |p| set_text(p, POLICING, "  "),
            element: E::Policing,
            present: false,
            says: "the section(s) \"Policing\" mapped to s.7(1)(b) have no text",
        },
        ContentsCase {
            case: "s.7(1)(c): a resource line provided to the Chief Constable satisfies (c)",
            edit: |_| {},
            element: E::Resources,
            present: true,
            says: "1 resource line provided to the Chief Constable",
        },
        ContentsCase {
            case: "s.7(1)(c): a mapped section satisfies (c) without resource lines",
            edit: |p| {
                remove(p, RESOURCE);
                p.items.push(item(NEW, None, section("Resources", "See decision 008/2013.", &[E::Resources], &[])));
            },
            element: E::Resources,
            present: true,
            says: "section \"Resources\"",
        },
        ContentsCase {
            case: "s.7(1)(c): a line the body keeps is not provided to the Chief Constable",
            edit: |p| {
                if let Record::Resource(r) = record_mut(p, RESOURCE) {
                    r.to_chief_constable = false;
                }
            },
            element: E::Resources,
            present: false,
            says: "no resource line is marked as provided to the Chief Constable and no section is mapped to it",
        },
        ContentsCase {
            case: "s.7(1)(d): a mapped section with text satisfies (d)",
            edit: |_| {},
            element: E::Reporting,
            present: true,
            says: "section \"Reporting\"",
        },
        ContentsCase {
            case: "s.7(1)(d): no section mapped to (d)",
            edit: |p| remove(p, REPORTING),
            element: E::Reporting,
            present: false,
            says: "no section is mapped to s.7(1)(d)",
        },
        ContentsCase {
            case: "s.7(1)(e): a measure record satisfies (e)",
            edit: |_| {},
            element: E::PerformanceMeasures,
            present: true,
            says: "1 measure",
        },
        ContentsCase {
            case: "s.7(1)(e): a mapped section satisfies (e) without measures",
            edit: |p| {
                remove(p, MEASURE);
                p.items.push(item(
                    NEW,
                    None,
                    section("Performance", "Reported monthly.", &[E::PerformanceMeasures], &[]),
                ));
            },
            element: E::PerformanceMeasures,
            present: true,
            says: "section \"Performance\"",
        },
        ContentsCase {
            case: "s.7(1)(e): no measure and no section",
            edit: |p| remove(p, MEASURE),
            element: E::PerformanceMeasures,
            present: false,
            says: "the plan has no measures and no section is mapped to it",
        },
        ContentsCase {
            case: "s.7(1)(f): a grant record satisfies (f)",
            edit: |_| {},
            element: E::Grants,
            present: true,
            says: "1 grant",
        },
        ContentsCase {
            case: "s.7(1)(f): a section saying no grants are made satisfies (f)",
            edit: |p| {
                remove(p, GRANT);
                p.items.push(item(NEW, None, section("Grants", "No grants are made in 2013/14.", &[E::Grants], &[])));
            },
            element: E::Grants,
            present: true,
            says: "section \"Grants\"",
        },
        ContentsCase {
            case: "s.7(1)(f): no grant and an empty mapped section",
            edit: |p| {
                remove(p, GRANT);
                p.items.push(item(NEW, None, section("Grants", "", &[E::Grants], &[])));
            },
            element: E::Grants,
            present: false,
            says: "the plan has no grants and the mapped section(s) \"Grants\" have no text",
        },
    ];
    for case in cases {
        let mut plan = minimal_plan();
        (case.edit)(&mut plan);
        let report = check_contents(&plan);
        let result = report.elements.iter().find(|e| e.element == case.element).expect("every element is reported");
        assert_eq!(result.present, case.present, "{}:\n{}", case.case, report.to_text());
        assert_eq!(result.reference, case.element.reference(), "{}", case.case);
        if case.present {
            assert!(result.problem.is_none(), "{}", case.case);
            assert!(result.evidence.iter().any(|e| e.contains(case.says)), "{}: {:?}", case.case, result.evidence);
        } else {
            let problem = result.problem.as_deref().unwrap_or_default();
            assert!(problem.contains(case.says), "{}: {problem}", case.case);
        }
        // Every row touches one element only, so the plan is valid exactly when it is present.
        assert_eq!(report.valid, case.present, "{}:\n{}", case.case, report.to_text());
        assert_eq!(report.missing().count(), usize::from(!case.present), "{}", case.case);
    }
}

#[test]
fn further_functions_are_covered_only_by_sections_mapped_to_them() {
    use FurtherFunction as F;
    // (case, the sections added, the function, covered, the sections named)
    type FunctionCase = (&'static str, Vec<Record>, FurtherFunction, bool, Vec<&'static str>);
    let cases: Vec<FunctionCase> = vec![
        (
            "no section is mapped to the Strategic Policing Requirement",
            vec![],
            F::StrategicPolicingRequirement,
            false,
            vec![],
        ),
        (
            "a section with text mapped to the Strategic Policing Requirement",
            vec![section("SPR", "Counter terrorism...", &[], &[F::StrategicPolicingRequirement])],
            F::StrategicPolicingRequirement,
            true,
            vec!["section \"SPR\""],
        ),
        (
            "one section can cover two functions",
            vec![section("Partners", "With the partnerships...", &[], &[F::CommunitySafety, F::PartnershipWork])],
            F::PartnershipWork,
            true,
            vec!["section \"Partners\""],
        ),
        (
            "every section mapped to a function is named",
            vec![
                section("Victims", "Victims first.", &[], &[F::VictimsServices]),
                section("Justice", "Swifter justice.", &[], &[F::VictimsServices, F::CriminalJustice]),
            ],
            F::VictimsServices,
            true,
            vec!["section \"Victims\"", "section \"Justice\""],
        ),
        (
            "a mapped section without text covers nothing, as for the statutory elements",
            vec![section("Custody visiting", "", &[], &[F::CustodyVisiting])],
            F::CustodyVisiting,
            false,
            vec![],
        ),
    ];
    for (case, sections, function, covered, named) in cases {
        let mut plan = minimal_plan();
        for (n, record) in sections.into_iter().enumerate() {
            plan.items.push(item(ItemId::from_u128(0x100 + n as u128), None, record));
        }
        let report = check_contents(&plan);
        let result = report.functions.iter().find(|f| f.function == function).expect("every function is reported");
        assert_eq!(result.covered, covered, "{case}:\n{}", report.to_text());
        assert_eq!(result.sections, named, "{case}");
        assert!(report.valid, "{case}: further functions never make a plan invalid");
        assert_eq!(report.functions.len(), FurtherFunction::ALL.len(), "{case}");
    }
}

#[test]
fn a_plan_missing_elements_reads_as_not_valid_and_says_how_to_fix_it() {
    let mut plan = minimal_plan();
    remove(&mut plan, POLICING);
    remove(&mut plan, GRANT);
    let text = check_contents(&plan).to_text();
    assert!(text.starts_with("Statutory contents (PRSRA 2011 s.7(1)): NOT a valid plan, elements missing\n"), "{text}");
    assert!(text.contains("  MISSING  s.7(1)(b)"), "{text}");
    assert!(text.contains("  MISSING  s.7(1)(f)"), "{text}");
    assert!(text.contains("  ok       s.7(1)(a)"), "{text}");
    assert!(text.contains("Further functions: 0 of 14 covered"), "{text}");
}

// ---------------------------------------------------------------------------------------
// The summary of variations
// ---------------------------------------------------------------------------------------

/// What one change in the summary must be.
struct Expected {
    change: ChangeKind,
    item: ItemId,
    fields: &'static [(&'static str, &'static str, &'static str)],
    /// (from parent, to parent, from position, to position)
    moved: Option<(Option<&'static str>, Option<&'static str>, usize, usize)>,
}

const fn only(change: ChangeKind, item: ItemId) -> Expected {
    Expected { change, item, fields: &[], moved: None }
}

struct DiffCase {
    case: &'static str,
    /// Turns a copy of the minimal plan into the newer version.
    edit: fn(&mut Plan),
    expected: Vec<Expected>,
}

#[test]
fn the_summary_of_variations_reports_each_kind_of_change() {
    let cases = [
        DiffCase { case: "identical plans give an empty summary", edit: |_| {}, expected: vec![] },
        DiffCase {
            case: "a record added at the end of its siblings",
            edit: |p| p.items.push(item(NEW, Some(COMMITMENT), milestone("Milestone 4", date(2014, 6, 30)))),
            expected: vec![only(ChangeKind::Added, NEW)],
        },
        DiffCase {
            case: "a record inserted before its siblings does not make them moved",
            edit: |p| {
                let at = index_of(p, MILESTONE_1);
                p.items.insert(at, item(NEW, Some(COMMITMENT), milestone("Milestone 0", date(2013, 6, 30))));
            },
            expected: vec![only(ChangeKind::Added, NEW)],
        },
        DiffCase {
            case: "a record removed, without its later siblings reported as moved",
            edit: |p| remove(p, MILESTONE_2),
            expected: vec![only(ChangeKind::Removed, MILESTONE_2)],
        },
        DiffCase {
            case: "a changed record lists each changed field with its old and new value",
            edit: |p| {
                if let Record::Milestone(m) = record_mut(p, MILESTONE_1) {
                    m.due = date(2013, 11, 30);
                    m.status = Status::Complete;
                }
            },
            expected: vec![Expected {
                change: ChangeKind::Changed,
                item: MILESTONE_1,
                fields: &[("due", "2013-09-30", "2013-11-30"), ("status", "Not started", "Complete")],
                moved: None,
            }],
        },
        DiffCase {
            case: "a retitled record is matched by its id, not its title",
            edit: |p| retitle(p, OBJ_A, "Objective A, refined"),
            expected: vec![Expected {
                change: ChangeKind::Changed,
                item: OBJ_A,
                fields: &[("title", "Objective A", "Objective A, refined")],
                moved: None,
            }],
        },
        DiffCase {
            case: "a record moved to another parent",
            edit: |p| {
                let at = index_of(p, PRIORITY);
                p.items[at].parent = Some(OBJ_B);
            },
            expected: vec![Expected {
                change: ChangeKind::Moved,
                item: PRIORITY,
                fields: &[],
                moved: Some((Some("Objective A"), Some("Objective B"), 1, 1)),
            }],
        },
        DiffCase {
            case: "a record reordered among its siblings is the only one reported, not its shifted neighbours",
            edit: |p| move_before(p, MILESTONE_3, MILESTONE_1),
            expected: vec![Expected {
                change: ChangeKind::Moved,
                item: MILESTONE_3,
                fields: &[],
                moved: Some((Some("Commitment"), Some("Commitment"), 3, 1)),
            }],
        },
        DiffCase {
            case: "a record that changed and moved is a change that also says where it moved",
            edit: |p| {
                retitle(p, MILESTONE_2, "Milestone 2, moved");
                let at = index_of(p, MILESTONE_2);
                p.items[at].parent = Some(PRIORITY);
            },
            expected: vec![Expected {
                change: ChangeKind::Changed,
                item: MILESTONE_2,
                fields: &[("title", "Milestone 2", "Milestone 2, moved")],
                moved: Some((Some("Commitment"), Some("Priority"), 2, 2)),
            }],
        },
        DiffCase {
            case: "a change to the objectives a record serves names the objectives",
            edit: |p| {
                let at = index_of(p, MEASURE);
                p.items[at].serves = vec![OBJ_B];
            },
            expected: vec![Expected {
                change: ChangeKind::Changed,
                item: MEASURE,
                fields: &[("serves", "", "Objective B")],
                moved: None,
            }],
        },
        DiffCase {
            case: "marking a record illustrative is a change",
            edit: |p| {
                let at = index_of(p, GRANT);
                p.items[at].illustrative = true;
            },
            expected: vec![Expected {
                change: ChangeKind::Changed,
                item: GRANT,
                fields: &[("illustrative", "no", "yes")],
                moved: None,
            }],
        },
        DiffCase {
            case: "the order is stable: kinds in display order, then the newer plan's order, then removals",
            edit: |p| {
                p.items.push(item(ItemId::from_u128(0xf1), None, section("Victims", "Text", &[], &[])));
                remove(p, MILESTONE_1);
                p.items.push(item(NEW, Some(COMMITMENT), milestone("Milestone 4", date(2014, 6, 30))));
                retitle(p, OBJ_B, "Objective B, refined");
                if let Record::Milestone(m) = record_mut(p, MILESTONE_3) {
                    m.status = Status::OnTrack;
                }
            },
            expected: vec![
                Expected {
                    change: ChangeKind::Changed,
                    item: OBJ_B,
                    fields: &[("title", "Objective B", "Objective B, refined")],
                    moved: None,
                },
                Expected {
                    change: ChangeKind::Changed,
                    item: MILESTONE_3,
                    fields: &[("status", "Not started", "On track")],
                    moved: None,
                },
                only(ChangeKind::Added, NEW),
                only(ChangeKind::Removed, MILESTONE_1),
                only(ChangeKind::Added, ItemId::from_u128(0xf1)),
            ],
        },
    ];
    for case in cases {
        let old = minimal_plan();
        let mut new = old.clone();
        (case.edit)(&mut new);
        new.validate(&areas()).unwrap_or_else(|e| panic!("{}: the newer plan must be consistent: {e}", case.case));
        let summary = diff_plans(&old, &new);
        let got: Vec<(ChangeKind, ItemId)> = summary.changes.iter().map(|c| (c.change, c.item)).collect();
        let want: Vec<(ChangeKind, ItemId)> = case.expected.iter().map(|e| (e.change, e.item)).collect();
        assert_eq!(got, want, "{}:\n{}", case.case, summary.to_text());
        for (change, expected) in summary.changes.iter().zip(&case.expected) {
            let fields: Vec<(&str, &str, &str)> =
                change.fields.iter().map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str())).collect();
            assert_eq!(fields, expected.fields, "{}", case.case);
            let moved = change
                .moved
                .as_ref()
                .map(|m| (m.from_parent.as_deref(), m.to_parent.as_deref(), m.from_position, m.to_position));
            assert_eq!(moved, expected.moved, "{}", case.case);
            let record = new.item(change.item).or_else(|| old.item(change.item)).expect("a change names a record");
            assert_eq!(change.kind, record.record.kind(), "{}", case.case);
            assert_eq!(change.title, record.record.title(), "{}", case.case);
        }
        assert!(summary.plan_fields.is_empty(), "{}", case.case);
        assert_eq!(summary.is_empty(), case.expected.is_empty(), "{}", case.case);
        assert_eq!(diff_plans(&old, &new), summary, "{}: the same plans give the same summary", case.case);
    }
}

#[test]
fn identical_plans_read_as_no_variations() {
    let plan = minimal_plan();
    let summary = diff_plans(&plan, &plan.clone());
    assert!(summary.is_empty());
    assert_eq!(summary.counts(), (0, 0, 0, 0));
    assert_eq!(summary.to_text(), "No variations: the two versions have the same content.\n");
}

#[test]
fn changes_to_the_plans_own_fields_are_listed_before_its_records() {
    let old = minimal_plan();
    let mut new = old.clone();
    new.vision = "A new vision".into();
    new.ends_on = date(2018, 3, 31);
    let summary = diff_plans(&old, &new);
    let fields: Vec<(&str, &str, &str)> =
        summary.plan_fields.iter().map(|f| (f.field.as_str(), f.old.as_str(), f.new.as_str())).collect();
    assert_eq!(fields, [("vision", "A vision", "A new vision"), ("ends on", "2017-03-31", "2018-03-31")]);
    assert!(summary.changes.is_empty());
    assert!(!summary.is_empty());
}

#[test]
fn the_text_summary_counts_and_groups_changes_by_kind() {
    let old = minimal_plan();
    let mut new = old.clone();
    remove(&mut new, MEASURE);
    move_before(&mut new, MILESTONE_3, MILESTONE_1);
    retitle(&mut new, OBJ_A, "Objective A, refined");
    let text = diff_plans(&old, &new).to_text();
    assert_eq!(
        text,
        "Summary of variations: 0 added, 1 removed, 1 changed, 1 moved\n\
         \n\
         Objectives\n\
         \x20 Changed  \"Objective A, refined\"\n\
         \x20          title: \"Objective A\" -> \"Objective A, refined\"\n\
         \n\
         Milestones\n\
         \x20 Moved    \"Milestone 3\"\n\
         \x20          moved from under \"Commitment\" (position 3) to under \"Commitment\" (position 1)\n\
         \n\
         Measures\n\
         \x20 Removed  \"Total recorded crime\"\n"
    );
}

// ---------------------------------------------------------------------------------------
// Plan::validate
// ---------------------------------------------------------------------------------------

struct ValidateCase {
    case: &'static str,
    edit: fn(&mut Plan),
    path: String,
    says: &'static str,
}

#[test]
fn an_inconsistent_plan_is_refused_naming_the_path_of_each_problem() {
    let cases = [
        ValidateCase {
            case: "two records with one identity",
            edit: |p| p.items[AT_OBJ_B].id = OBJ_A,
            path: format!("items[{AT_OBJ_B}].id"),
            says: "is used by more than one record; every record needs its own id",
        },
        ValidateCase {
            case: "a parent that is not in the plan",
            edit: |p| p.items[AT_MILESTONE_1].parent = Some(MISSING),
            path: format!("items[{AT_MILESTONE_1}].parent"),
            says: "00000000-0000-0000-0000-00000000dead is not a record in this plan",
        },
        ValidateCase {
            case: "a parent of a kind the record may not sit under",
            edit: |p| p.items[AT_MILESTONE_1].parent = Some(RESOURCE),
            path: format!("items[{AT_MILESTONE_1}].parent"),
            says: "a milestone cannot sit under a resource line; it may sit under an objective, a priority or a \
                   commitment",
        },
        ValidateCase {
            case: "a record at the top level that must sit under a parent",
            edit: |p| p.items[AT_PRIORITY].parent = None,
            path: format!("items[{AT_PRIORITY}].parent"),
            says: "a priority must sit under an objective or a local plan",
        },
        ValidateCase {
            case: "a record under itself",
            edit: |p| p.items[AT_PRIORITY].parent = Some(PRIORITY),
            path: format!("items[{AT_PRIORITY}].parent"),
            says: "the record sits under itself",
        },
        ValidateCase {
            case: "serves pointing at a record that is not an objective",
            edit: |p| p.items[AT_MEASURE].serves = vec![PRIORITY],
            path: format!("items[{AT_MEASURE}].serves[0]"),
            says: "is a priority; records can only serve objectives",
        },
        ValidateCase {
            case: "serves pointing at a record that is not in the plan",
            edit: |p| p.items[AT_MEASURE].serves = vec![OBJ_B, MISSING],
            path: format!("items[{AT_MEASURE}].serves[1]"),
            says: "is not a record in this plan",
        },
        ValidateCase {
            case: "serves naming one objective twice",
            edit: |p| p.items[AT_MEASURE].serves = vec![OBJ_B, OBJ_B],
            path: format!("items[{AT_MEASURE}].serves[1]"),
            says: "is listed twice",
        },
        ValidateCase {
            case: "a local plan for an area the body does not have",
            edit: |p| {
                if let Record::LocalPlan(l) = &mut p.items[AT_LOCAL].record {
                    l.area = "E08000099".into();
                }
            },
            path: format!("items[{AT_LOCAL}].record.area"),
            says: "`E08000099` is not one of the body's areas (E08000025, E08000026)",
        },
        ValidateCase {
            case: "a plan without a title",
            edit: |p| p.title = "   ".into(),
            path: String::from("title"),
            says: "is empty; give the plan a title",
        },
        ValidateCase {
            case: "a record without a title",
            edit: |p| retitle(p, PRIORITY, ""),
            path: format!("items[{AT_PRIORITY}].record.title"),
            says: "is empty; every priority needs a title",
        },
        ValidateCase {
            case: "a resource line without a line, named by its own field",
            edit: |p| {
                if let Record::Resource(r) = &mut p.items[AT_RESOURCE].record {
                    r.line = String::new();
                }
            },
            path: format!("items[{AT_RESOURCE}].record.line"),
            says: "every resource line needs a line",
        },
        ValidateCase {
            case: "a grant without a recipient, named by its own field",
            edit: |p| {
                if let Record::Grant(g) = &mut p.items[AT_GRANT].record {
                    g.recipient = String::new();
                }
            },
            path: format!("items[{AT_GRANT}].record.recipient"),
            says: "every grant needs a recipient",
        },
        ValidateCase {
            case: "a plan that ends before it starts (PRSRA 2011 s.5(3))",
            edit: |p| p.ends_on = date(2013, 3, 31),
            path: String::from("ends_on"),
            says: "2013-03-31 is before starts_on 2013-04-01",
        },
        ValidateCase {
            case: "a measure whose baseline is not a number",
            edit: |p| {
                if let Record::Measure(m) = &mut p.items[AT_MEASURE].record {
                    m.baseline = Some(Baseline { value: f64::NAN, period: "2012/13".into() });
                }
            },
            path: format!("items[{AT_MEASURE}].record.baseline.value"),
            says: "is not a finite number",
        },
    ];
    minimal_plan().validate(&areas()).expect("the minimal plan is consistent");
    for case in cases {
        let mut plan = minimal_plan();
        (case.edit)(&mut plan);
        let problems = plan.validate(&areas()).expect_err(case.case).0;
        assert!(
            problems.iter().any(|p| p.path == case.path && p.problem.contains(case.says)),
            "{}: expected `{}: ...{}...`, got {problems:?}",
            case.case,
            case.path,
            case.says
        );
    }
}

#[test]
fn a_local_plan_is_not_checked_against_areas_when_none_are_given() {
    let mut plan = minimal_plan();
    if let Record::LocalPlan(l) = &mut plan.items[AT_LOCAL].record {
        l.area = "E08000099".into();
    }
    plan.validate(&[]).expect("with no areas to check against, any area code is accepted");
}

#[test]
fn every_problem_in_a_plan_is_reported_not_only_the_first() {
    let mut plan = minimal_plan();
    plan.title = String::new();
    plan.items[AT_MILESTONE_1].parent = Some(MISSING);
    plan.items[AT_MEASURE].serves = vec![PRIORITY];
    let problems = plan.validate(&areas()).expect_err("three problems").0;
    let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
    assert_eq!(paths, ["title", "items[5].parent", "items[8].serves[0]"]);
}

// ---------------------------------------------------------------------------------------
// The order of versions, PRSRA 2011 s.5
// ---------------------------------------------------------------------------------------

fn metas(kinds: &[VersionKind]) -> Vec<VersionMeta> {
    kinds
        .iter()
        .enumerate()
        .map(|(i, kind)| VersionMeta {
            plan_id: PLAN,
            number: VersionNumber(i as u32 + 1),
            kind: *kind,
            label: kind.label().into(),
            effective_on: None,
            made_at: Utc.with_ymd_and_hms(2013, 1, 1, 12, 0, 0).single().expect("a valid time"),
            made_by: "Test".into(),
            content_hash: String::new(),
        })
        .collect()
}

#[test]
fn each_kind_of_version_may_follow_only_the_versions_the_statute_allows() {
    use VersionKind as K;
    // (case, the versions already made, the next kind, the expected answer)
    type VersionCase = (&'static str, &'static [VersionKind], VersionKind, Result<(), VersionRuleError>);
    let cases: [VersionCase; 12] = [
        ("a first draft needs nothing before it", &[], K::Draft, Ok(())),
        ("s.5(6)(c): a draft may be sent to the Panel", &[K::Draft], K::SentToPanel, Ok(())),
        (
            "s.5(6): the plan may be issued after the draft went to the Panel",
            &[K::Draft, K::SentToPanel],
            K::Issued,
            Ok(()),
        ),
        ("the workflow, not this rule, checks the statutory steps before issue", &[], K::Issued, Ok(())),
        (
            "issued once, varied after (check_next_version): a second issue is refused",
            &[K::Issued],
            K::Issued,
            Err(VersionRuleError::AlreadyIssued),
        ),
        (
            "issued once, varied after (check_next_version): issuing again after a variation is refused",
            &[K::Issued, K::VariationDraft, K::Varied],
            K::Issued,
            Err(VersionRuleError::AlreadyIssued),
        ),
        (
            "s.5(8): a variation draft before any issue is refused",
            &[K::Draft, K::SentToPanel],
            K::VariationDraft,
            Err(VersionRuleError::NothingToVary { kind: "variation_draft" }),
        ),
        (
            "s.5(8): a variation before any issue is refused",
            &[],
            K::Varied,
            Err(VersionRuleError::NothingToVary { kind: "varied" }),
        ),
        ("s.5(8): an issued plan may have a variation drafted", &[K::Issued], K::VariationDraft, Ok(())),
        ("s.5(8): an issued plan may be varied", &[K::Issued, K::VariationDraft], K::Varied, Ok(())),
        ("s.5(8): a varied plan may be varied again", &[K::Issued, K::Varied], K::Varied, Ok(())),
        ("drafts may be kept at any time", &[K::Issued, K::Varied], K::Draft, Ok(())),
    ];
    for (case, existing, next, expected) in cases {
        assert_eq!(check_next_version(&metas(existing), next), expected, "{case}");
    }
}

#[test]
fn a_variation_draft_before_any_issue_is_refused() {
    let error = check_next_version(&metas(&[VersionKind::SentToPanel]), VersionKind::VariationDraft)
        .expect_err("nothing has been issued to vary");
    assert!(error.to_string().contains("issue the plan first"), "{error}");
}

#[test]
fn a_second_issue_is_refused() {
    let error = check_next_version(&metas(&[VersionKind::Issued]), VersionKind::Issued)
        .expect_err("the plan is already issued");
    assert!(error.to_string().contains("make a variation draft"), "{error}");
}

#[test]
fn the_public_see_the_latest_issued_or_varied_version() {
    use VersionKind as K;
    let cases: [(&str, &[VersionKind], Option<u32>); 4] = [
        ("nothing issued yet", &[K::Draft, K::SentToPanel], None),
        ("the plan as issued", &[K::SentToPanel, K::Issued], Some(2)),
        ("a variation draft is not in force", &[K::Issued, K::VariationDraft], Some(1)),
        ("the plan as varied replaces the issued plan", &[K::Issued, K::VariationDraft, K::Varied], Some(3)),
    ];
    for (case, kinds, expected) in cases {
        let versions = metas(kinds);
        assert_eq!(current_public(&versions).map(|v| v.number.0), expected, "{case}");
    }
}

// ---------------------------------------------------------------------------------------
// PlanFile::parse
// ---------------------------------------------------------------------------------------

/// A consistent plan file: the body, the minimal plan as its draft and one issued version.
fn plan_file() -> PlanFile {
    let plan = minimal_plan();
    let version = PlanVersion {
        meta: VersionMeta {
            plan_id: PLAN,
            number: VersionNumber(1),
            kind: VersionKind::Issued,
            label: "Plan as issued".into(),
            effective_on: Some(date(2013, 3, 28)),
            made_at: Utc.with_ymd_and_hms(2013, 3, 28, 12, 0, 0).single().expect("a valid time"),
            made_by: "Test".into(),
            content_hash: content_hash(&plan),
        },
        plan: plan.clone(),
    };
    PlanFile::new(body(), plan, vec![version])
}

fn plan_file_json() -> serde_json::Value {
    serde_json::from_str(&plan_file().to_json()).expect("the test file is JSON")
}

struct ParseCase {
    case: &'static str,
    text: String,
    path: String,
    says: &'static str,
}

fn edited(edit: impl FnOnce(&mut serde_json::Value)) -> String {
    let mut value = plan_file_json();
    edit(&mut value);
    serde_json::to_string_pretty(&value).expect("a JSON value serialises")
}

#[test]
fn a_consistent_plan_file_parses_and_round_trips() {
    let file = plan_file();
    let parsed = PlanFile::parse(&file.to_json()).expect("the test file is consistent");
    assert_eq!(parsed, file);
    assert_eq!(parsed.to_json(), file.to_json());
}

#[test]
fn a_bad_plan_file_is_refused_naming_the_path_of_the_problem() {
    let cases = [
        ParseCase {
            case: "not JSON: the line and column are named",
            text: String::from("{\n  \"format\": \"pcplan-plan\",\n  oops\n}"),
            path: String::from("line 3, column 3"),
            says: "not valid JSON",
        },
        ParseCase {
            case: "text after the JSON",
            text: format!("{}]", plan_file().to_json()),
            path: format!("line {}", plan_file().to_json().lines().count() + 1),
            says: "unexpected text after the plan",
        },
        ParseCase {
            case: "an unknown field in a record",
            text: edited(|v| v["plan"]["items"][AT_PRIORITY]["record"]["colour"] = "blue".into()),
            path: format!("plan.items[{AT_PRIORITY}].record.colour"),
            says: "unknown field `colour`",
        },
        ParseCase {
            case: "an unknown field in an item",
            text: edited(|v| v["plan"]["items"][AT_PRIORITY]["colour"] = "blue".into()),
            path: format!("plan.items[{AT_PRIORITY}].colour"),
            says: "unknown field `colour`",
        },
        ParseCase {
            case: "an invalid date in a record",
            text: edited(|v| v["plan"]["items"][AT_MILESTONE_1]["record"]["due"] = "2013-02-30".into()),
            path: format!("plan.items[{AT_MILESTONE_1}].record.due"),
            says: "input is out of range",
        },
        ParseCase {
            case: "a value that is not one of the allowed ones",
            text: edited(|v| v["plan"]["items"][AT_MILESTONE_1]["record"]["status"] = "finished".into()),
            path: format!("plan.items[{AT_MILESTONE_1}].record.status"),
            says: "unknown variant `finished`",
        },
        ParseCase {
            case: "an unknown field in a measure's ambition",
            text: edited(|v| v["plan"]["items"][AT_MEASURE]["record"]["ambition"]["colour"] = "blue".into()),
            path: format!("plan.items[{AT_MEASURE}].record.ambition"),
            says: "unknown field `colour`",
        },
        ParseCase {
            case: "a date in the wrong form",
            text: edited(|v| v["plan"]["starts_on"] = "01/04/2013".into()),
            path: String::from("plan.starts_on"),
            says: "input contains invalid characters",
        },
        ParseCase {
            case: "an unknown record kind",
            text: edited(|v| v["plan"]["items"][AT_PRIORITY]["record"]["kind"] = "wish".into()),
            path: format!("plan.items[{AT_PRIORITY}].record.kind"),
            says: "unknown variant `wish`",
        },
        ParseCase {
            case: "a missing required field",
            text: edited(|v| {
                v["plan"].as_object_mut().expect("plan is an object").remove("title");
            }),
            path: String::from("plan"),
            says: "missing field `title`",
        },
        ParseCase {
            case: "a milestone under an objective that is not in the file",
            text: edited(|v| v["plan"]["items"][AT_MILESTONE_1]["parent"] = MISSING.to_string().into()),
            path: format!("plan.items[{AT_MILESTONE_1}].parent"),
            says: "is not a record in this plan",
        },
        ParseCase {
            case: "two records with one identity",
            text: edited(|v| v["plan"]["items"][AT_OBJ_B]["id"] = OBJ_A.to_string().into()),
            path: format!("plan.items[{AT_OBJ_B}].id"),
            says: "is used by more than one record",
        },
        ParseCase {
            case: "a problem inside a version names the version",
            text: edited(|v| v["versions"][0]["plan"]["items"][AT_MILESTONE_1]["parent"] = MISSING.to_string().into()),
            path: format!("versions[0].plan.items[{AT_MILESTONE_1}].parent"),
            says: "is not a record in this plan",
        },
        ParseCase {
            case: "a version edited after it was made no longer matches its hash",
            text: edited(|v| v["versions"][0]["plan"]["title"] = "Edited".into()),
            path: String::from("versions[0].meta.content_hash"),
            says: "does not match the version's content",
        },
        ParseCase {
            case: "versions numbered out of order",
            text: edited(|v| v["versions"][0]["meta"]["number"] = 2.into()),
            path: String::from("versions[0].meta.number"),
            says: "versions must be numbered 1 here",
        },
        ParseCase {
            case: "a file that is not a plan file",
            text: edited(|v| v["format"] = "something-else".into()),
            path: String::from("format"),
            says: "a plan file says `pcplan-plan`",
        },
        ParseCase {
            case: "an area listed twice",
            text: edited(|v| v["body"]["areas"][1]["code"] = "E08000025".into()),
            path: String::from("body.areas[1].code"),
            says: "`E08000025` is listed twice",
        },
    ];
    let mut failures = Vec::new();
    for case in cases {
        let problems = PlanFile::parse(&case.text).expect_err(case.case).0;
        if !problems.iter().any(|p| p.path == case.path && p.problem.contains(case.says)) {
            failures.push(format!("{}: expected `{}: ...{}...`, got {problems:?}", case.case, case.path, case.says));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
