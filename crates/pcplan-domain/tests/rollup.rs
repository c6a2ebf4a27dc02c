//! Progress roll-up from milestones to objectives, overdue milestones and status
//! updates. The tree is small enough that every expected figure is worked by hand in the
//! comment beside it.
//!
//! ```text
//! G  objective group
//! ├─ O1 objective
//! │  ├─ P1 priority
//! │  │  ├─ C1 commitment: M1 complete (due 2022-09-30), M2 not started (due 2023-01-31),
//! │  │  │                 M3 complete (due 2023-03-31)
//! │  │  └─ C2 commitment: M4 on track (due 2024-06-30), M5 withdrawn (due 2022-12-31)
//! │  └─ P2 priority
//! │     └─ C3 commitment: nothing beneath, no status
//! └─ O2 objective: nothing beneath
//! L  local plan
//! └─ P3 priority, serves O1
//!    └─ C5 commitment: no milestones, reported complete by its owner
//! ```

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_domain::rollup::{
    Evidence, MilestoneCounts, NoProgress, RollupError, StatusUpdate, UpdateProblem, UpdateProblems,
    overdue_milestones, roll_up,
};
use pcplan_domain::{
    BodyId, Commitment, Item, ItemId, LocalPlan, Milestone, Objective, ObjectiveGroup, Plan, PlanId, Priority, Record,
    RecordKind, Status,
};

const G: ItemId = ItemId::from_u128(0x01);
const O1: ItemId = ItemId::from_u128(0x10);
const O2: ItemId = ItemId::from_u128(0x11);
const P1: ItemId = ItemId::from_u128(0x20);
const P2: ItemId = ItemId::from_u128(0x21);
const P3: ItemId = ItemId::from_u128(0x22);
const C1: ItemId = ItemId::from_u128(0x30);
const C2: ItemId = ItemId::from_u128(0x31);
const C3: ItemId = ItemId::from_u128(0x32);
const C5: ItemId = ItemId::from_u128(0x34);
const M1: ItemId = ItemId::from_u128(0x41);
const M2: ItemId = ItemId::from_u128(0x42);
const M3: ItemId = ItemId::from_u128(0x43);
const M4: ItemId = ItemId::from_u128(0x44);
const M5: ItemId = ItemId::from_u128(0x45);
const L: ItemId = ItemId::from_u128(0x50);

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("test dates are valid")
}

/// The date the roll-up is made for.
fn as_of() -> NaiveDate {
    date(2023, 6, 1)
}

fn item(id: ItemId, parent: Option<ItemId>, record: Record) -> Item {
    Item { id, parent, serves: Vec::new(), illustrative: false, record }
}

fn objective(title: &str) -> Record {
    Record::Objective(Objective { reference: String::new(), title: title.into(), description: String::new() })
}

fn priority(title: &str) -> Record {
    Record::Priority(Priority { title: title.into(), description: String::new() })
}

fn commitment(title: &str) -> Record {
    Record::Commitment(Commitment {
        title: title.into(),
        description: String::new(),
        owner: String::new(),
        lead_organisation: String::new(),
    })
}

fn milestone(title: &str, due: NaiveDate, status: Status) -> Record {
    Record::Milestone(Milestone { title: title.into(), due, status })
}

fn tree() -> Plan {
    let mut p3 = item(P3, Some(L), priority("Town centres"));
    p3.serves = vec![O1];
    Plan {
        id: PlanId::from_u128(1),
        body_id: BodyId::from_u128(2),
        title: "Police and Crime Plan 2021-2025".into(),
        starts_on: date(2021, 7, 1),
        ends_on: date(2025, 3, 31),
        vision: "Safer streets".into(),
        items: vec![
            item(G, None, Record::ObjectiveGroup(ObjectiveGroup { title: "Safer".into(), summary: String::new() })),
            item(O1, Some(G), objective("Cut violence")),
            item(P1, Some(O1), priority("Knife crime")),
            item(C1, Some(P1), commitment("Knife arches")),
            item(M1, Some(C1), milestone("Buy arches", date(2022, 9, 30), Status::Complete)),
            item(M2, Some(C1), milestone("Train staff", date(2023, 1, 31), Status::NotStarted)),
            item(M3, Some(C1), milestone("Deploy", date(2023, 3, 31), Status::Complete)),
            item(C2, Some(P1), commitment("Schools programme")),
            item(M4, Some(C2), milestone("All schools", date(2024, 6, 30), Status::OnTrack)),
            item(M5, Some(C2), milestone("Pilot", date(2022, 12, 31), Status::Withdrawn)),
            item(P2, Some(O1), priority("Night-time economy")),
            item(C3, Some(P2), commitment("Licensing review")),
            item(O2, Some(G), objective("Support victims")),
            item(
                L,
                None,
                Record::LocalPlan(LocalPlan { area: "E1".into(), title: "Ashby".into(), summary: String::new() }),
            ),
            p3,
            item(C5, Some(P3), commitment("Town centre patrols")),
        ],
    }
}

/// C5 has no milestones; its owner reported it complete.
fn statuses() -> BTreeMap<ItemId, Status> {
    [(C5, Status::Complete)].into_iter().collect()
}

fn weights(pairs: &[(ItemId, f64)]) -> BTreeMap<ItemId, f64> {
    pairs.iter().copied().collect()
}

fn progress_of(
    plan: &Plan,
    statuses: &BTreeMap<ItemId, Status>,
    weights: &BTreeMap<ItemId, f64>,
    id: ItemId,
) -> Option<f64> {
    roll_up(plan, statuses, weights, as_of()).expect("a valid roll-up").get(id).expect("the item takes part").progress
}

fn assert_close(actual: Option<f64>, expected: f64, what: &str) {
    let actual = actual.unwrap_or_else(|| panic!("{what} has no progress"));
    assert!((actual - expected).abs() < 1e-12, "{what}: {actual} is not {expected}");
}

#[test]
fn the_test_tree_is_a_valid_plan() {
    tree().validate(&[]).expect("the tree is consistent");
}

#[test]
fn weighted_progress_rolls_up_to_the_objective_group() {
    let plan = tree();
    let weights = weights(&[(M1, 2.0), (C1, 3.0)]);
    let rollup = roll_up(&plan, &statuses(), &weights, as_of()).expect("a valid roll-up");
    // C1: M1 (1, weight 2), M2 (0), M3 (1) → (2 + 0 + 1) / 4 = 0.75
    assert_close(rollup.get(C1).and_then(|p| p.progress), 0.75, "C1");
    // C2: M4 (0); M5 withdrawn, left out → 0
    assert_close(rollup.get(C2).and_then(|p| p.progress), 0.0, "C2");
    // P1: C1 (0.75, weight 3), C2 (0) → 2.25 / 4 = 0.5625
    assert_close(rollup.get(P1).and_then(|p| p.progress), 0.5625, "P1");
    // P3: C5 reported complete → 1
    assert_close(rollup.get(P3).and_then(|p| p.progress), 1.0, "P3");
    // O1: P1 (0.5625), P2 (no progress, left out), P3 (1, by its serves link) → 0.78125
    assert_close(rollup.get(O1).and_then(|p| p.progress), 0.781_25, "O1");
    // G: O1 (0.78125), O2 (no progress) → 0.78125
    assert_close(rollup.get(G).and_then(|p| p.progress), 0.781_25, "G");
    assert_eq!(rollup.get(O1).map(|p| p.percent()), Some(Some(78)));
    assert_eq!(rollup.get(O1).map(|p| p.feeders), Some(3));
    assert_eq!(rollup.as_of, as_of());
}

#[test]
fn without_weights_every_item_counts_once() {
    let plan = tree();
    let none = BTreeMap::new();
    // C1: 2 of 3 complete; P1: (2/3 + 0) / 2 = 1/3; O1: (1/3 + 1) / 2 = 2/3
    assert_close(progress_of(&plan, &statuses(), &none, C1), 2.0 / 3.0, "C1");
    assert_close(progress_of(&plan, &statuses(), &none, P1), 1.0 / 3.0, "P1");
    assert_close(progress_of(&plan, &statuses(), &none, O1), 2.0 / 3.0, "O1");
}

#[test]
fn empty_branches_have_no_progress_rather_than_zero() {
    let rollup = roll_up(&tree(), &statuses(), &BTreeMap::new(), as_of()).expect("a valid roll-up");
    let reason = |id| rollup.get(id).map(|p| (p.progress, p.no_progress));
    assert_eq!(reason(C3), Some((None, Some(NoProgress::NothingBeneath))));
    assert_eq!(reason(P2), Some((None, Some(NoProgress::NothingCounted))), "its only commitment has no progress");
    assert_eq!(reason(O2), Some((None, Some(NoProgress::NothingBeneath))));
    assert_eq!(rollup.get(C3).map(|p| p.milestones), Some(MilestoneCounts::default()));
}

#[test]
fn withdrawn_items_leave_their_parents_mean() {
    let plan = tree();
    let mut statuses = statuses();
    statuses.insert(C2, Status::Withdrawn);
    let weights = weights(&[(M1, 2.0), (C1, 3.0)]);
    let rollup = roll_up(&plan, &statuses, &weights, as_of()).expect("a valid roll-up");
    // P1 is now C1 alone: 0.75, whatever C1's weight.
    assert_close(rollup.get(P1).and_then(|p| p.progress), 0.75, "P1");
    let c2 = rollup.get(C2).expect("C2");
    assert_eq!((c2.progress, c2.no_progress, c2.withdrawn()), (None, Some(NoProgress::Withdrawn), true));

    // A commitment whose every milestone is withdrawn has nothing counted.
    let mut both = statuses.clone();
    both.remove(&C2);
    both.insert(M4, Status::Withdrawn);
    let rollup = roll_up(&plan, &both, &BTreeMap::new(), as_of()).expect("a valid roll-up");
    assert_eq!(rollup.get(C2).map(|p| p.no_progress), Some(Some(NoProgress::NothingCounted)));
}

#[test]
fn weight_zero_shows_an_item_without_moving_its_parent() {
    let plan = tree();
    // C2 weighs 0: P1 is C1's 2/3 alone.
    let zero = weights(&[(C2, 0.0)]);
    assert_close(progress_of(&plan, &statuses(), &zero, P1), 2.0 / 3.0, "P1");
    assert_close(progress_of(&plan, &statuses(), &zero, C2), 0.0, "C2 keeps its own progress");
    // Both commitments weigh 0: P1 has nothing weighted to show.
    let all_zero = weights(&[(C1, 0.0), (C2, 0.0)]);
    let rollup = roll_up(&plan, &statuses(), &all_zero, as_of()).expect("a valid roll-up");
    assert_eq!(rollup.get(P1).map(|p| (p.progress, p.no_progress)), Some((None, Some(NoProgress::AllWeightsZero))));
}

#[test]
fn bad_weights_and_unknown_items_are_refused() {
    let plan = tree();
    for bad in [-1.0, f64::NAN, f64::INFINITY] {
        let error = roll_up(&plan, &statuses(), &weights(&[(C1, bad)]), as_of()).expect_err("a bad weight");
        assert!(matches!(error, RollupError::BadWeight { item: C1, .. }), "{bad}: {error}");
    }
    let stranger = ItemId::from_u128(0xdead);
    assert_eq!(
        roll_up(&plan, &statuses(), &weights(&[(stranger, 1.0)]), as_of()),
        Err(RollupError::UnknownWeight { item: stranger })
    );
    let mut statuses = statuses();
    statuses.insert(stranger, Status::Complete);
    assert_eq!(
        roll_up(&plan, &statuses, &BTreeMap::new(), as_of()),
        Err(RollupError::UnknownStatus { item: stranger })
    );
}

#[test]
fn milestone_counts_include_every_milestone_beneath_once() {
    let rollup = roll_up(&tree(), &statuses(), &BTreeMap::new(), as_of()).expect("a valid roll-up");
    // Beneath O1: M1, M3 complete; M2, M4 open; M5 withdrawn; M2 (due 2023-01-31) overdue.
    let expected = MilestoneCounts { complete: 2, open: 2, withdrawn: 1, overdue: 1 };
    assert_eq!(rollup.get(O1).map(|p| p.milestones), Some(expected));
    assert_eq!(rollup.get(G).map(|p| p.milestones), Some(expected));
    assert_eq!(expected.total(), 4);
    assert_eq!(rollup.get(C2).map(|p| p.milestones.overdue), Some(0), "M4 is not due yet; M5 is withdrawn");
}

#[test]
fn a_serves_link_to_an_objective_above_does_not_count_twice() {
    let mut plan = tree();
    let at = plan.position(C1).expect("C1");
    plan.items[at].serves = vec![O1];
    plan.validate(&[]).expect("still consistent");
    let rollup = roll_up(&plan, &statuses(), &BTreeMap::new(), as_of()).expect("a valid roll-up");
    assert_eq!(rollup.get(O1).map(|p| p.feeders), Some(3), "P1, P2 and P3; C1 already sits beneath O1");
    assert_close(rollup.get(O1).and_then(|p| p.progress), 2.0 / 3.0, "O1 as without the link");
}

#[test]
fn only_records_of_the_delivery_chain_take_part() {
    let rollup = roll_up(&tree(), &statuses(), &BTreeMap::new(), as_of()).expect("a valid roll-up");
    assert_eq!(rollup.items.len(), tree().items.len());
    assert!(rollup.items.iter().all(|p| p.kind != RecordKind::Measure));
    assert_eq!(rollup.get(M2).map(|p| (p.progress, p.status)), Some((Some(0.0), Some(Status::NotStarted))));
}

// ---------------------------------------------------------------------------------------
// Overdue milestones
// ---------------------------------------------------------------------------------------

#[test]
fn overdue_milestones_are_open_and_past_their_due_date() {
    let plan = tree();
    let overdue = overdue_milestones(&plan, &statuses(), as_of());
    assert_eq!(overdue.len(), 1);
    // 31 January to 1 June 2023: 28 + 31 + 30 + 31 + 1 = 121 days.
    assert_eq!((overdue[0].item, overdue[0].days_overdue, overdue[0].status), (M2, 121, Status::NotStarted));

    // A milestone due on the day asked about is not yet overdue.
    assert!(overdue_milestones(&plan, &statuses(), date(2023, 1, 31)).is_empty());
    // An update marking M2 complete clears it; a Late one keeps it.
    let mut updated = statuses();
    updated.insert(M2, Status::Complete);
    assert!(overdue_milestones(&plan, &updated, as_of()).is_empty());
    updated.insert(M2, Status::Late);
    assert_eq!(overdue_milestones(&plan, &updated, as_of()).len(), 1);
    // Later on, M4 joins, and the longest overdue comes first.
    let later = overdue_milestones(&plan, &statuses(), date(2024, 7, 1));
    assert_eq!(later.iter().map(|o| o.item).collect::<Vec<_>>(), [M2, M4]);
}

// ---------------------------------------------------------------------------------------
// Status updates
// ---------------------------------------------------------------------------------------

fn update(day: NaiveDate, status: Status, commentary: &str) -> StatusUpdate {
    StatusUpdate {
        date: day,
        status,
        commentary: commentary.into(),
        evidence: None,
        by: "Chief Inspector A. Khan".into(),
    }
}

#[test]
fn a_complete_update_with_evidence_is_accepted() {
    let mut done = update(date(2023, 5, 31), Status::Complete, "");
    done.evidence = Some(Evidence::Link {
        url: "https://www.example.police.uk/news/arches".into(),
        title: "Arches in every station".into(),
    });
    assert_eq!(done.check(as_of()), Ok(()));
    done.evidence = Some(Evidence::Document { file_name: "report.pdf".into(), sha256: "a".repeat(64) });
    assert_eq!(done.check(as_of()), Ok(()));
}

#[test]
fn updates_need_commentary_for_at_risk_late_and_withdrawn_and_no_future_date() {
    for status in [Status::AtRisk, Status::Late, Status::Withdrawn] {
        let problems = update(as_of(), status, "  ").check(as_of()).expect_err("no commentary");
        assert_eq!(problems.0.len(), 1, "{status:?}");
        assert_eq!(problems.0[0].field, "commentary");
    }
    assert_eq!(
        update(date(2023, 6, 2), Status::OnTrack, "").check(as_of()),
        Err(UpdateProblems(vec![UpdateProblem {
            field: "date",
            problem: "2023-06-02 is in the future; date the update on or before 2023-06-01".into(),
        }]))
    );
    let message = update(as_of(), Status::Late, "").check(as_of()).expect_err("late").to_string();
    assert_eq!(
        message,
        "the status update has 1 problem(s): commentary: is empty; say why the status is late and what happens next"
    );
}

#[test]
fn malformed_evidence_and_a_missing_name_are_named_by_field() {
    let mut bad = update(as_of(), Status::OnTrack, "");
    bad.by = " ".into();
    bad.evidence = Some(Evidence::Document { file_name: String::new(), sha256: "ABC".into() });
    let fields: Vec<&str> = bad.check(as_of()).expect_err("three problems").0.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["by", "evidence.file_name", "evidence.sha256"]);
    for url in ["www.example.org", "https://", "https://example.org/a page", "javascript:alert(1)"] {
        bad.by = "Owner".into();
        bad.evidence = Some(Evidence::Link { url: url.into(), title: String::new() });
        let problems = bad.check(as_of()).expect_err(url);
        assert_eq!(problems.0.iter().map(|p| p.field).collect::<Vec<_>>(), ["evidence.url"], "{url}");
    }
}

#[test]
fn the_latest_update_is_the_last_given_on_the_latest_date() {
    let updates = vec![
        update(date(2023, 5, 1), Status::OnTrack, ""),
        update(date(2023, 5, 20), Status::AtRisk, "Supplier late"),
        update(date(2023, 5, 20), Status::Late, "Supplier failed"),
        update(date(2023, 5, 2), Status::OnTrack, ""),
    ];
    assert_eq!(StatusUpdate::latest(&updates).map(|u| u.status), Some(Status::Late));
    assert_eq!(StatusUpdate::latest(&[]), None);
}
