//! Progress on the plan's delivery: milestones roll up into commitments, commitments into
//! priorities, priorities into objectives, with the status updates owners give.
//!
//! The rule, in full (docs/performance-statistics.md says it in plain English):
//!
//! - **A milestone** is done or not: Complete counts 1, Not started, On track, At risk and
//!   Late count 0, Withdrawn is left out. Rejected alternative: partial credit for On
//!   track. "On track" is a forecast, not delivery, and giving it credit would let a plan
//!   show 50% progress with nothing delivered.
//! - **Every other item** (commitment, priority, local plan, objective, objective group)
//!   is the weighted mean of the items that feed it: the milestones, commitments and
//!   priorities directly under it and, for an objective, the ones that name it in their
//!   `serves` links (unless they already sit beneath it, which would count them twice).
//!   Objective groups are fed by their objectives, local plans by their priorities.
//!   Links from one objective to another feed nothing, which keeps the roll-up free of
//!   loops.
//! - **An item with nothing to roll up** has no progress (`None`), never a fake 0%. A
//!   commitment with no milestones may still carry its own status from an update, which
//!   then counts as a milestone's would.
//! - **Withdrawn** items (a milestone's status, or any item's latest update) are left out
//!   of their parent's mean, and an item whose feeders are all withdrawn has no progress.
//! - **Weights** are optional, per item, and default to 1. A weight applies wherever the
//!   item feeds (its parent and any objective it serves). A weight of 0 is allowed: the
//!   item is shown with its own progress but does not move its parent; an item whose
//!   feeders all weigh 0 has no progress. Negative or non-finite weights are refused.
//!
//! Milestone counts (complete, open, withdrawn, overdue) are of every milestone beneath
//! an item, each counted once, whatever the weights. A milestone is overdue as of a date
//! when its due date is before that date and it is neither Complete nor Withdrawn.
//!
//! [`StatusUpdate`] is what an owner records: date, status, commentary and evidence.
//! This module does not store updates or decide who may give them.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::plan::{Item, Plan, Record, RecordKind, Status};

// ---------------------------------------------------------------------------------------
// Status updates
// ---------------------------------------------------------------------------------------

/// What backs a status update up.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Evidence {
    /// A page elsewhere: `https://www.example.police.uk/news/new-hub-opens`.
    Link { url: String, title: String },
    /// A file the store keeps, named by the SHA-256 of its bytes.
    Document { file_name: String, sha256: String },
}

/// An owner's update on a milestone or commitment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct StatusUpdate {
    pub date: NaiveDate,
    pub status: Status,
    /// What has happened and what comes next. Required for At risk, Late and Withdrawn.
    #[serde(default)]
    pub commentary: String,
    #[serde(default)]
    pub evidence: Option<Evidence>,
    /// The person giving the update: `Chief Inspector A. Khan`.
    pub by: String,
}

/// A problem with a status update, naming the field.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {problem}")]
pub struct UpdateProblem {
    pub field: &'static str,
    pub problem: String,
}

/// Every problem found in a status update.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the status update has {} problem(s): {}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
pub struct UpdateProblems(pub Vec<UpdateProblem>);

impl StatusUpdate {
    /// Checks the update as of `today`: not dated in the future, commentary where the
    /// status needs an explanation (At risk and Late, and Withdrawn, since a withdrawn
    /// item leaves the roll-up and a Panel will ask why), a name, and well-formed evidence.
    pub fn check(&self, today: NaiveDate) -> Result<(), UpdateProblems> {
        let mut problems = Vec::new();
        let mut problem = |field: &'static str, text: String| problems.push(UpdateProblem { field, problem: text });
        if self.date > today {
            problem("date", format!("{} is in the future; date the update on or before {today}", self.date));
        }
        if matches!(self.status, Status::AtRisk | Status::Late | Status::Withdrawn) && self.commentary.trim().is_empty()
        {
            problem(
                "commentary",
                format!("is empty; say why the status is {} and what happens next", self.status.label().to_lowercase()),
            );
        }
        if self.by.trim().is_empty() {
            problem("by", String::from("is empty; name the person giving the update"));
        }
        match &self.evidence {
            Some(Evidence::Link { url, .. }) => {
                let url = url.trim();
                let scheme_ok = url.starts_with("https://") || url.starts_with("http://");
                if !scheme_ok || url.contains(char::is_whitespace) || url.len() <= "https://".len() {
                    problem(
                        "evidence.url",
                        format!("`{url}` is not a web address; give one starting `https://`, without spaces"),
                    );
                }
            }
            Some(Evidence::Document { file_name, sha256 }) => {
                if file_name.trim().is_empty() {
                    problem("evidence.file_name", String::from("is empty; give the document's file name"));
                }
                if sha256.len() != 64 || !sha256.chars().all(|c| c.is_ascii_digit() || ('a'..='f').contains(&c)) {
                    problem(
                        "evidence.sha256",
                        format!("`{sha256}` is not a SHA-256 digest; expected 64 lowercase hexadecimal characters"),
                    );
                }
            }
            None => {}
        }
        if problems.is_empty() { Ok(()) } else { Err(UpdateProblems(problems)) }
    }

    /// The latest of an item's updates: the latest date, and of several on that date the
    /// last given.
    pub fn latest(updates: &[StatusUpdate]) -> Option<&StatusUpdate> {
        updates.iter().enumerate().max_by_key(|(index, u)| (u.date, *index)).map(|(_, u)| u)
    }
}

// ---------------------------------------------------------------------------------------
// Roll-up
// ---------------------------------------------------------------------------------------

/// Why an item has no progress figure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoProgress {
    /// Nothing feeds it and it has no status of its own.
    NothingBeneath,
    /// The item itself is withdrawn.
    Withdrawn,
    /// Everything that feeds it is withdrawn or has no progress itself.
    NothingCounted,
    /// Everything that feeds it has weight 0.
    AllWeightsZero,
}

impl NoProgress {
    pub fn label(&self) -> &'static str {
        match self {
            NoProgress::NothingBeneath => "Nothing to measure progress by yet",
            NoProgress::Withdrawn => "Withdrawn",
            NoProgress::NothingCounted => "Nothing beneath it counts towards progress",
            NoProgress::AllWeightsZero => "Everything beneath it has weight 0",
        }
    }
}

/// How the milestones beneath an item stand.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MilestoneCounts {
    pub complete: usize,
    /// Not complete and not withdrawn.
    pub open: usize,
    pub withdrawn: usize,
    /// Open and due before the date the roll-up is made for.
    pub overdue: usize,
}

impl MilestoneCounts {
    /// The milestones that count: complete and open, withdrawn left out.
    pub fn total(&self) -> usize {
        self.complete + self.open
    }
}

/// One item's progress.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    pub item: ItemId,
    pub kind: RecordKind,
    /// 0 to 1; `None` when there is nothing to roll up, with the reason in `no_progress`.
    pub progress: Option<f64>,
    pub no_progress: Option<NoProgress>,
    /// The status used: the latest update's, or a milestone's own.
    pub status: Option<Status>,
    /// How many items feed this one (withdrawn ones included).
    pub feeders: usize,
    pub milestones: MilestoneCounts,
}

impl Progress {
    /// Progress as a whole percentage, for display: `Some(67)`.
    pub fn percent(&self) -> Option<u32> {
        self.progress.map(|p| (p * 100.0).round() as u32)
    }

    /// Whether the item is left out of its parent's mean.
    pub fn withdrawn(&self) -> bool {
        self.status == Some(Status::Withdrawn)
    }
}

/// The progress of every item that takes part in the roll-up, in plan order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rollup {
    pub as_of: NaiveDate,
    pub items: Vec<Progress>,
}

impl Rollup {
    pub fn get(&self, item: ItemId) -> Option<&Progress> {
        self.items.iter().find(|p| p.item == item)
    }
}

/// Why a roll-up could not be made.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum RollupError {
    #[error("the weight of {item} is {weight}; a weight must be a number of 0 or more")]
    BadWeight { item: ItemId, weight: f64 },
    #[error("a weight is given for {item}, which is not a record in this plan; remove it")]
    UnknownWeight { item: ItemId },
    #[error("a status is given for {item}, which is not a record in this plan; remove it")]
    UnknownStatus { item: ItemId },
}

/// The kinds that take part in the roll-up.
const ROLLUP_KINDS: [RecordKind; 6] = [
    RecordKind::ObjectiveGroup,
    RecordKind::Objective,
    RecordKind::LocalPlan,
    RecordKind::Priority,
    RecordKind::Commitment,
    RecordKind::Milestone,
];

/// Rolls progress up the plan as of `as_of`.
///
/// `statuses` holds each item's latest status from its updates ([`StatusUpdate::latest`]);
/// for a milestone it replaces the status stored in the plan. `weights` holds the weights
/// given; items without one weigh 1.
pub fn roll_up(
    plan: &Plan,
    statuses: &BTreeMap<ItemId, Status>,
    weights: &BTreeMap<ItemId, f64>,
    as_of: NaiveDate,
) -> Result<Rollup, RollupError> {
    for (item, weight) in weights {
        if plan.item(*item).is_none() {
            return Err(RollupError::UnknownWeight { item: *item });
        }
        if !weight.is_finite() || *weight < 0.0 {
            return Err(RollupError::BadWeight { item: *item, weight: *weight });
        }
    }
    if let Some(item) = statuses.keys().find(|id| plan.item(**id).is_none()) {
        return Err(RollupError::UnknownStatus { item: *item });
    }
    let feeders = feeders(plan);
    let mut walk = Walk { plan, statuses, weights, feeders: &feeders, as_of, done: HashMap::new() };
    let items = plan
        .items
        .iter()
        .filter(|item| ROLLUP_KINDS.contains(&item.record.kind()))
        .map(|item| walk.progress(item.id, 0).0)
        .collect();
    Ok(Rollup { as_of, items })
}

/// A milestone that is overdue, for the dashboard.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Overdue {
    pub item: ItemId,
    pub title: String,
    pub due: NaiveDate,
    pub status: Status,
    /// Days from the due date to the date asked about.
    pub days_overdue: i64,
}

/// Every milestone overdue as of `as_of`, most overdue first (then in plan order).
pub fn overdue_milestones(plan: &Plan, statuses: &BTreeMap<ItemId, Status>, as_of: NaiveDate) -> Vec<Overdue> {
    let mut overdue: Vec<Overdue> = plan
        .items
        .iter()
        .filter_map(|item| {
            let Record::Milestone(milestone) = &item.record else { return None };
            let status = statuses.get(&item.id).copied().unwrap_or(milestone.status);
            is_overdue(milestone.due, status, as_of).then(|| Overdue {
                item: item.id,
                title: milestone.title.clone(),
                due: milestone.due,
                status,
                days_overdue: (as_of - milestone.due).num_days(),
            })
        })
        .collect();
    overdue.sort_by_key(|o| o.due);
    overdue
}

fn is_overdue(due: NaiveDate, status: Status, as_of: NaiveDate) -> bool {
    due < as_of && !matches!(status, Status::Complete | Status::Withdrawn)
}

/// Which items feed each item, in plan order, without repeats.
fn feeders(plan: &Plan) -> HashMap<ItemId, Vec<ItemId>> {
    let mut out: HashMap<ItemId, Vec<ItemId>> = HashMap::new();
    let kind_of = |id: ItemId| plan.item(id).map(|i| i.record.kind());
    for item in &plan.items {
        let kind = item.record.kind();
        if !ROLLUP_KINDS.contains(&kind) || kind == RecordKind::ObjectiveGroup {
            continue;
        }
        if let Some(parent) = item.parent
            && kind_of(parent).is_some_and(|k| ROLLUP_KINDS.contains(&k))
        {
            push_unique(out.entry(parent).or_default(), item.id);
        }
        // Objectives feed their group only; a link from one objective to another would
        // let two objectives feed each other.
        if kind == RecordKind::Objective {
            continue;
        }
        for target in &item.serves {
            if kind_of(*target) == Some(RecordKind::Objective) && !is_beneath(plan, item, *target) {
                push_unique(out.entry(*target).or_default(), item.id);
            }
        }
    }
    out
}

fn push_unique(list: &mut Vec<ItemId>, id: ItemId) {
    if !list.contains(&id) {
        list.push(id);
    }
}

/// Whether `ancestor` is above `item` through its parents.
fn is_beneath(plan: &Plan, item: &Item, ancestor: ItemId) -> bool {
    let mut cursor = item.parent;
    let mut steps = 0;
    while let Some(id) = cursor {
        if id == ancestor {
            return true;
        }
        steps += 1;
        if steps > plan.items.len() {
            return false;
        }
        cursor = plan.item(id).and_then(|i| i.parent);
    }
    false
}

/// The recursive walk, remembering each item's result and the milestones beneath it.
struct Walk<'a> {
    plan: &'a Plan,
    statuses: &'a BTreeMap<ItemId, Status>,
    weights: &'a BTreeMap<ItemId, f64>,
    feeders: &'a HashMap<ItemId, Vec<ItemId>>,
    as_of: NaiveDate,
    done: HashMap<ItemId, (Progress, BTreeSet<ItemId>)>,
}

impl Walk<'_> {
    /// The item's progress and the set of milestones beneath it (itself, for a milestone).
    fn progress(&mut self, id: ItemId, depth: usize) -> (Progress, BTreeSet<ItemId>) {
        if let Some(done) = self.done.get(&id) {
            return done.clone();
        }
        let result = self.compute(id, depth);
        self.done.insert(id, result.clone());
        result
    }

    fn compute(&mut self, id: ItemId, depth: usize) -> (Progress, BTreeSet<ItemId>) {
        let kind = self.plan.item(id).map(|i| i.record.kind()).unwrap_or(RecordKind::Section);
        let own_status = self.statuses.get(&id).copied().or_else(|| match self.plan.item(id).map(|i| &i.record) {
            Some(Record::Milestone(m)) => Some(m.status),
            _ => None,
        });
        let mut progress = Progress {
            item: id,
            kind,
            progress: None,
            no_progress: None,
            status: own_status,
            feeders: 0,
            milestones: MilestoneCounts::default(),
        };
        let mut beneath = BTreeSet::new();

        if kind == RecordKind::Milestone {
            beneath.insert(id);
            progress.milestones = self.count(&beneath);
            (progress.progress, progress.no_progress) = status_progress(own_status.unwrap_or_default());
            return (progress, beneath);
        }

        let feeders = self.feeders.get(&id).cloned().unwrap_or_default();
        progress.feeders = feeders.len();
        let mut weighted = 0.0;
        let mut total_weight = 0.0;
        let mut counted = 0;
        // The plan's parents cannot loop (Plan::validate) and serves links only lead to
        // objectives, which only feed groups, so the depth never exceeds the number of
        // items; the guard keeps an invalid plan from recursing without end.
        if depth <= self.plan.items.len() {
            for feeder in feeders {
                let (fed, milestones) = self.progress(feeder, depth + 1);
                beneath.extend(milestones);
                if fed.withdrawn() {
                    continue;
                }
                if let Some(value) = fed.progress {
                    let weight = self.weights.get(&feeder).copied().unwrap_or(1.0);
                    weighted += weight * value;
                    total_weight += weight;
                    counted += 1;
                }
            }
        }
        progress.milestones = self.count(&beneath);

        (progress.progress, progress.no_progress) = if own_status == Some(Status::Withdrawn) {
            (None, Some(NoProgress::Withdrawn))
        } else if total_weight > 0.0 {
            (Some(weighted / total_weight), None)
        } else if counted > 0 {
            (None, Some(NoProgress::AllWeightsZero))
        } else if let Some(status) = own_status {
            // Nothing beneath counts, but the owner has reported on the item itself.
            status_progress(status)
        } else if progress.feeders > 0 {
            (None, Some(NoProgress::NothingCounted))
        } else {
            (None, Some(NoProgress::NothingBeneath))
        };
        (progress, beneath)
    }

    fn count(&self, milestones: &BTreeSet<ItemId>) -> MilestoneCounts {
        let mut counts = MilestoneCounts::default();
        for id in milestones {
            let Some(Record::Milestone(milestone)) = self.plan.item(*id).map(|i| &i.record) else { continue };
            let status = self.statuses.get(id).copied().unwrap_or(milestone.status);
            match status {
                Status::Complete => counts.complete += 1,
                Status::Withdrawn => counts.withdrawn += 1,
                _ => {
                    counts.open += 1;
                    if is_overdue(milestone.due, status, self.as_of) {
                        counts.overdue += 1;
                    }
                }
            }
        }
        counts
    }
}

/// A status as progress: Complete is 1, Withdrawn is left out, anything else is 0.
fn status_progress(status: Status) -> (Option<f64>, Option<NoProgress>) {
    match status {
        Status::Complete => (Some(1.0), None),
        Status::Withdrawn => (None, Some(NoProgress::Withdrawn)),
        Status::NotStarted | Status::OnTrack | Status::AtRisk | Status::Late => (Some(0.0), None),
    }
}
