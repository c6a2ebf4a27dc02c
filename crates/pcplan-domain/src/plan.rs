//! A police and crime plan as structured records.
//!
//! A plan is a header (title, period, vision) and an ordered list of [`Item`]s. Each item
//! has a stable identity, an optional parent, links to the objectives it serves and one
//! typed [`Record`]. The order of the list is the order of siblings under a parent, so a
//! plan needs no separate position numbers. One flat list, rather than a struct per kind
//! holding nested vectors, lets the diff, the store and the audit treat every record the
//! same way while the records themselves stay typed.
//!
//! [`Plan::validate`] is the single place that decides whether a set of records is a
//! consistent plan (parents exist and are of an allowed kind, links point at objectives,
//! identities are unique, dates are in order). The store calls it inside every write
//! transaction, the importer calls it before writing anything. This module does no I/O.

use std::collections::{HashMap, HashSet};
use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::check::{FurtherFunction, StatutoryElement};
use crate::ids::{BodyId, ItemId, PlanId};
use crate::money::{FinancialYear, Pence};

/// The working draft of a plan, or the content of one version of it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Plan {
    pub id: PlanId,
    pub body_id: BodyId,
    /// `Police and Crime Plan 2013-2017`.
    pub title: String,
    /// The first day the plan has effect.
    pub starts_on: NaiveDate,
    /// The last day the plan has effect (the end of the financial year after the next
    /// ordinary election, PRSRA 2011 s.5(3)).
    pub ends_on: NaiveDate,
    /// The vision the objectives serve: `Pride in our Police`.
    pub vision: String,
    /// Every record, siblings in display order.
    pub items: Vec<Item>,
}

/// One record inside a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Item {
    pub id: ItemId,
    /// The record this one sits under: a milestone under a commitment, an objective under
    /// its group. `None` for top-level records.
    #[serde(default)]
    pub parent: Option<ItemId>,
    /// The objectives this record serves, beyond its parent.
    #[serde(default)]
    pub serves: Vec<ItemId>,
    /// Demo or sample content that no real source gave: shown with an "illustrative" tag.
    #[serde(default)]
    pub illustrative: bool,
    pub record: Record,
}

/// The typed content of an item.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Record {
    ObjectiveGroup(ObjectiveGroup),
    Objective(Objective),
    Priority(Priority),
    Commitment(Commitment),
    Milestone(Milestone),
    Measure(Measure),
    Resource(Resource),
    Grant(Grant),
    LocalPlan(LocalPlan),
    ActionPlan(ActionPlan),
    Action(Action),
    Section(Section),
}

/// The kinds of record, in the order summaries and pages list them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecordKind {
    ObjectiveGroup,
    Objective,
    Priority,
    Commitment,
    Milestone,
    Measure,
    Resource,
    Grant,
    LocalPlan,
    ActionPlan,
    Action,
    Section,
}

impl RecordKind {
    /// Every kind, in display order.
    pub const ALL: [RecordKind; 12] = [
        RecordKind::ObjectiveGroup,
        RecordKind::Objective,
        RecordKind::Priority,
        RecordKind::Commitment,
        RecordKind::Milestone,
        RecordKind::Measure,
        RecordKind::Resource,
        RecordKind::Grant,
        RecordKind::LocalPlan,
        RecordKind::ActionPlan,
        RecordKind::Action,
        RecordKind::Section,
    ];

    /// The snake_case name used in JSON, URLs and the database.
    pub fn as_str(&self) -> &'static str {
        match self {
            RecordKind::ObjectiveGroup => "objective_group",
            RecordKind::Objective => "objective",
            RecordKind::Priority => "priority",
            RecordKind::Commitment => "commitment",
            RecordKind::Milestone => "milestone",
            RecordKind::Measure => "measure",
            RecordKind::Resource => "resource",
            RecordKind::Grant => "grant",
            RecordKind::LocalPlan => "local_plan",
            RecordKind::ActionPlan => "action_plan",
            RecordKind::Action => "action",
            RecordKind::Section => "section",
        }
    }

    /// Parses the snake_case name.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    /// A label for people: `objective group`, `local plan`.
    pub fn label(&self) -> &'static str {
        match self {
            RecordKind::ObjectiveGroup => "objective group",
            RecordKind::Objective => "objective",
            RecordKind::Priority => "priority",
            RecordKind::Commitment => "commitment",
            RecordKind::Milestone => "milestone",
            RecordKind::Measure => "measure",
            RecordKind::Resource => "resource line",
            RecordKind::Grant => "grant",
            RecordKind::LocalPlan => "local plan",
            RecordKind::ActionPlan => "action plan",
            RecordKind::Action => "action",
            RecordKind::Section => "section",
        }
    }

    /// The plural label: `objectives`, `local plans`.
    pub fn plural(&self) -> &'static str {
        match self {
            RecordKind::ObjectiveGroup => "objective groups",
            RecordKind::Objective => "objectives",
            RecordKind::Priority => "priorities",
            RecordKind::Commitment => "commitments",
            RecordKind::Milestone => "milestones",
            RecordKind::Measure => "measures",
            RecordKind::Resource => "resource lines",
            RecordKind::Grant => "grants",
            RecordKind::LocalPlan => "local plans",
            RecordKind::ActionPlan => "action plans",
            RecordKind::Action => "actions",
            RecordKind::Section => "sections",
        }
    }

    /// The kinds a record of this kind may sit under; an empty list means top level only.
    /// `None` in the list means it may also sit at the top level.
    pub fn allowed_parents(&self) -> &'static [Option<RecordKind>] {
        use RecordKind as K;
        match self {
            K::ObjectiveGroup => &[None],
            K::Objective => &[None, Some(K::ObjectiveGroup)],
            K::Priority => &[Some(K::Objective), Some(K::LocalPlan)],
            K::Commitment => &[Some(K::Objective), Some(K::Priority)],
            K::Milestone => &[Some(K::Objective), Some(K::Priority), Some(K::Commitment)],
            K::Measure => &[None, Some(K::Objective), Some(K::Priority)],
            K::Resource => &[None],
            K::Grant => &[None],
            K::LocalPlan => &[None],
            K::ActionPlan => &[None],
            K::Action => &[Some(K::ActionPlan)],
            K::Section => &[None],
        }
    }
}

impl fmt::Display for RecordKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// A heading that gathers objectives: "Pride in our Police: ownership by the public".
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ObjectiveGroup {
    pub title: String,
    #[serde(default)]
    pub summary: String,
}

/// A police and crime objective, PRSRA 2011 s.7(1)(a).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Objective {
    /// A short reference staff and the Panel use: `1`, `A3`.
    #[serde(default)]
    pub reference: String,
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// A priority under an objective or a local plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Priority {
    pub title: String,
    #[serde(default)]
    pub description: String,
}

/// A commitment or deliverable: something someone will do.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Commitment {
    pub title: String,
    #[serde(default)]
    pub description: String,
    /// The person or post accountable: `Assistant Chief Constable (Local Policing)`.
    #[serde(default)]
    pub owner: String,
    /// The organisation leading: `West Midlands Police`, `OPCC`, a partner.
    #[serde(default)]
    pub lead_organisation: String,
}

/// A dated milestone.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Milestone {
    pub title: String,
    pub due: NaiveDate,
    #[serde(default)]
    pub status: Status,
}

/// Where a milestone or action stands.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    #[default]
    NotStarted,
    OnTrack,
    AtRisk,
    Late,
    Complete,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 6] =
        [Status::NotStarted, Status::OnTrack, Status::AtRisk, Status::Late, Status::Complete, Status::Withdrawn];

    pub fn as_str(&self) -> &'static str {
        match self {
            Status::NotStarted => "not_started",
            Status::OnTrack => "on_track",
            Status::AtRisk => "at_risk",
            Status::Late => "late",
            Status::Complete => "complete",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::OnTrack => "On track",
            Status::AtRisk => "At risk",
            Status::Late => "Late",
            Status::Complete => "Complete",
            Status::Withdrawn => "Withdrawn",
        }
    }
}

/// How the Chief Constable's performance is measured, PRSRA 2011 s.7(1)(e).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Measure {
    pub title: String,
    /// What is counted and how: `Recorded crimes of all types, excluding fraud`.
    pub definition: String,
    /// `crimes`, `%`, `days`.
    pub unit: String,
    pub polarity: Polarity,
    #[serde(default)]
    pub baseline: Option<Baseline>,
    pub ambition: Ambition,
    pub frequency: Frequency,
    /// `police.uk street-level crime`, `Crime Survey for England and Wales`.
    pub data_source: String,
    /// Whether figures are reported for each local authority area.
    #[serde(default)]
    pub by_area: bool,
}

/// Which way is better.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Polarity {
    HigherIsBetter,
    LowerIsBetter,
    /// For context measures where neither direction is a success (demand, for example).
    Neither,
}

impl Polarity {
    pub const ALL: [Polarity; 3] = [Polarity::HigherIsBetter, Polarity::LowerIsBetter, Polarity::Neither];

    pub fn as_str(&self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "higher_is_better",
            Polarity::LowerIsBetter => "lower_is_better",
            Polarity::Neither => "neither",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            Polarity::HigherIsBetter => "Higher is better",
            Polarity::LowerIsBetter => "Lower is better",
            Polarity::Neither => "Neither (context)",
        }
    }
}

/// The starting point a measure is compared with.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Baseline {
    pub value: f64,
    /// The period the baseline covers: `2012/13`.
    pub period: String,
}

/// A numeric target, or only a direction of travel. Panels often distrust numeric
/// targets (seed 004), so a direction is a first-class choice, not a missing target.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum Ambition {
    Target {
        value: f64,
        #[serde(default)]
        by: Option<NaiveDate>,
    },
    Direction {
        direction: Direction,
    },
}

/// A direction of travel.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    Increase,
    Reduce,
    Maintain,
}

impl Direction {
    pub const ALL: [Direction; 3] = [Direction::Increase, Direction::Reduce, Direction::Maintain];

    pub fn as_str(&self) -> &'static str {
        match self {
            Direction::Increase => "increase",
            Direction::Reduce => "reduce",
            Direction::Maintain => "maintain",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// How often a measure is reported.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Frequency {
    Monthly,
    Quarterly,
    Annual,
}

impl Frequency {
    pub const ALL: [Frequency; 3] = [Frequency::Monthly, Frequency::Quarterly, Frequency::Annual];

    pub fn as_str(&self) -> &'static str {
        match self {
            Frequency::Monthly => "monthly",
            Frequency::Quarterly => "quarterly",
            Frequency::Annual => "annual",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }
}

/// A line of the financial and other resources given to the Chief Constable,
/// PRSRA 2011 s.7(1)(c), or retained by the body.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Resource {
    /// `Police officer pay`, `Commissioning budget`.
    pub line: String,
    pub amount: Pence,
    pub financial_year: FinancialYear,
    /// True when the line is provided to the Chief Constable (s.7(1)(c)); false for
    /// resources the body keeps (its office, commissioning).
    #[serde(default)]
    pub to_chief_constable: bool,
    #[serde(default)]
    pub notes: String,
}

/// A crime and disorder reduction grant, PRSRA 2011 s.7(1)(f) and s.9.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Grant {
    pub recipient: String,
    pub purpose: String,
    pub amount: Pence,
    pub financial_year: FinancialYear,
    /// The conditions attached, if any (s.9(2)).
    #[serde(default)]
    pub conditions: String,
}

/// The local policing and crime plan for one local authority area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LocalPlan {
    /// The ONS code of the area, one of the body's areas.
    pub area: String,
    pub title: String,
    #[serde(default)]
    pub summary: String,
}

/// An action plan appended to the plan, such as one agreed after a summit.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionPlan {
    pub title: String,
    /// Where it came from: `Victims' Summit, January 2013`.
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub agreed_on: Option<NaiveDate>,
}

/// One action in an action plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Action {
    pub title: String,
    #[serde(default)]
    pub owner: String,
    #[serde(default)]
    pub due: Option<NaiveDate>,
    #[serde(default)]
    pub status: Status,
}

/// A narrative section of the plan, mapped by staff to the statutory elements and
/// further functions it covers. The contents check reads this mapping, never the text.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Section {
    pub title: String,
    #[serde(default)]
    pub text: String,
    #[serde(default)]
    pub elements: Vec<StatutoryElement>,
    #[serde(default)]
    pub functions: Vec<FurtherFunction>,
}

impl Record {
    /// The kind of this record.
    pub fn kind(&self) -> RecordKind {
        match self {
            Record::ObjectiveGroup(_) => RecordKind::ObjectiveGroup,
            Record::Objective(_) => RecordKind::Objective,
            Record::Priority(_) => RecordKind::Priority,
            Record::Commitment(_) => RecordKind::Commitment,
            Record::Milestone(_) => RecordKind::Milestone,
            Record::Measure(_) => RecordKind::Measure,
            Record::Resource(_) => RecordKind::Resource,
            Record::Grant(_) => RecordKind::Grant,
            Record::LocalPlan(_) => RecordKind::LocalPlan,
            Record::ActionPlan(_) => RecordKind::ActionPlan,
            Record::Action(_) => RecordKind::Action,
            Record::Section(_) => RecordKind::Section,
        }
    }

    /// The name people know the record by.
    pub fn title(&self) -> &str {
        match self {
            Record::ObjectiveGroup(r) => &r.title,
            Record::Objective(r) => &r.title,
            Record::Priority(r) => &r.title,
            Record::Commitment(r) => &r.title,
            Record::Milestone(r) => &r.title,
            Record::Measure(r) => &r.title,
            Record::Resource(r) => &r.line,
            Record::Grant(r) => &r.recipient,
            Record::LocalPlan(r) => &r.title,
            Record::ActionPlan(r) => &r.title,
            Record::Action(r) => &r.title,
            Record::Section(r) => &r.title,
        }
    }

    /// Every field as a label and a display value, in a fixed order. The variation diff
    /// compares these, so a change shows as the words a reader of the plan would use.
    pub fn fields(&self) -> Vec<(&'static str, String)> {
        fn date(d: &Option<NaiveDate>) -> String {
            d.map(|d| d.to_string()).unwrap_or_default()
        }
        match self {
            Record::ObjectiveGroup(r) => vec![("title", r.title.clone()), ("summary", r.summary.clone())],
            Record::Objective(r) => vec![
                ("reference", r.reference.clone()),
                ("title", r.title.clone()),
                ("description", r.description.clone()),
            ],
            Record::Priority(r) => vec![("title", r.title.clone()), ("description", r.description.clone())],
            Record::Commitment(r) => vec![
                ("title", r.title.clone()),
                ("description", r.description.clone()),
                ("owner", r.owner.clone()),
                ("lead organisation", r.lead_organisation.clone()),
            ],
            Record::Milestone(r) => {
                vec![("title", r.title.clone()), ("due", r.due.to_string()), ("status", r.status.label().to_string())]
            }
            Record::Measure(r) => vec![
                ("title", r.title.clone()),
                ("definition", r.definition.clone()),
                ("unit", r.unit.clone()),
                ("polarity", r.polarity.label().to_string()),
                ("baseline", r.baseline.as_ref().map(|b| format!("{} ({})", b.value, b.period)).unwrap_or_default()),
                ("ambition", r.ambition.to_string()),
                ("frequency", r.frequency.as_str().to_string()),
                ("data source", r.data_source.clone()),
                ("by area", if r.by_area { "yes" } else { "no" }.to_string()),
            ],
            Record::Resource(r) => vec![
                ("line", r.line.clone()),
                ("amount", r.amount.to_string()),
                ("financial year", r.financial_year.to_string()),
                ("to the Chief Constable", if r.to_chief_constable { "yes" } else { "no" }.to_string()),
                ("notes", r.notes.clone()),
            ],
            Record::Grant(r) => vec![
                ("recipient", r.recipient.clone()),
                ("purpose", r.purpose.clone()),
                ("amount", r.amount.to_string()),
                ("financial year", r.financial_year.to_string()),
                ("conditions", r.conditions.clone()),
            ],
            Record::LocalPlan(r) => {
                vec![("area", r.area.clone()), ("title", r.title.clone()), ("summary", r.summary.clone())]
            }
            Record::ActionPlan(r) => {
                vec![("title", r.title.clone()), ("source", r.source.clone()), ("agreed on", date(&r.agreed_on))]
            }
            Record::Action(r) => vec![
                ("title", r.title.clone()),
                ("owner", r.owner.clone()),
                ("due", date(&r.due)),
                ("status", r.status.label().to_string()),
            ],
            Record::Section(r) => vec![
                ("title", r.title.clone()),
                ("text", r.text.clone()),
                ("statutory elements", r.elements.iter().map(|e| e.reference()).collect::<Vec<_>>().join(", ")),
                ("further functions", r.functions.iter().map(|f| f.label()).collect::<Vec<_>>().join(", ")),
            ],
        }
    }
}

impl fmt::Display for Ambition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Ambition::Target { value, by: Some(by) } => write!(f, "target {value} by {by}"),
            Ambition::Target { value, by: None } => write!(f, "target {value}"),
            Ambition::Direction { direction } => write!(f, "direction: {}", direction.as_str()),
        }
    }
}

/// A problem with a plan's records, naming where it is.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct PlanProblem {
    /// Where the problem is: `items[12].parent`, `title`.
    pub path: String,
    pub problem: String,
}

impl PlanProblem {
    pub fn new(path: impl Into<String>, problem: impl Into<String>) -> Self {
        Self { path: path.into(), problem: problem.into() }
    }
}

/// Every problem found in a plan, in the order of the records.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the plan has {} problem(s): {}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
pub struct PlanProblems(pub Vec<PlanProblem>);

impl Plan {
    /// The item with this identity.
    pub fn item(&self, id: ItemId) -> Option<&Item> {
        self.items.iter().find(|i| i.id == id)
    }

    /// The index of the item with this identity.
    pub fn position(&self, id: ItemId) -> Option<usize> {
        self.items.iter().position(|i| i.id == id)
    }

    /// The items directly under `parent` (`None`: the top level), in order.
    pub fn children(&self, parent: Option<ItemId>) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.parent == parent)
    }

    /// Every item of one kind, in order.
    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(move |i| i.record.kind() == kind)
    }

    /// The objectives an item serves: its own links, plus its nearest objective ancestor.
    pub fn objectives_served(&self, item: &Item) -> Vec<ItemId> {
        let mut out = Vec::new();
        let mut cursor = item.parent;
        let mut guard = 0;
        while let Some(parent_id) = cursor {
            guard += 1;
            let Some(parent) = self.item(parent_id) else { break };
            if parent.record.kind() == RecordKind::Objective {
                out.push(parent.id);
                break;
            }
            cursor = parent.parent;
            if guard > self.items.len() {
                break;
            }
        }
        for id in &item.serves {
            if !out.contains(id) {
                out.push(*id);
            }
        }
        out
    }

    /// Checks that the records form a consistent plan. Returns every problem found,
    /// each naming its path in the plan file (`items[3].parent`).
    pub fn validate(&self, areas: &[crate::body::Area]) -> Result<(), PlanProblems> {
        let mut problems = Vec::new();
        if self.title.trim().is_empty() {
            problems.push(PlanProblem::new("title", "is empty; give the plan a title"));
        }
        if self.ends_on < self.starts_on {
            problems.push(PlanProblem::new(
                "ends_on",
                format!("{} is before starts_on {}; the plan must end after it starts", self.ends_on, self.starts_on),
            ));
        }
        let mut kinds: HashMap<ItemId, RecordKind> = HashMap::new();
        for (index, item) in self.items.iter().enumerate() {
            if kinds.insert(item.id, item.record.kind()).is_some() {
                problems.push(PlanProblem::new(
                    format!("items[{index}].id"),
                    format!("{} is used by more than one record; every record needs its own id", item.id),
                ));
            }
        }
        for (index, item) in self.items.iter().enumerate() {
            let kind = item.record.kind();
            if item.record.title().trim().is_empty() {
                let field = if kind == RecordKind::Resource {
                    "line"
                } else if kind == RecordKind::Grant {
                    "recipient"
                } else {
                    "title"
                };
                problems.push(PlanProblem::new(
                    format!("items[{index}].record.{field}"),
                    format!("is empty; every {} needs a {field}", kind.label()),
                ));
            }
            let allowed = kind.allowed_parents();
            match item.parent {
                None if !allowed.contains(&None) => problems.push(PlanProblem::new(
                    format!("items[{index}].parent"),
                    format!("{} must sit under {}", with_article(kind), describe_parents(allowed)),
                )),
                None => {}
                Some(parent) => match kinds.get(&parent) {
                    None => problems.push(PlanProblem::new(
                        format!("items[{index}].parent"),
                        format!("{parent} is not a record in this plan; point it at an existing record or remove it"),
                    )),
                    Some(parent_kind) if !allowed.contains(&Some(*parent_kind)) => problems.push(PlanProblem::new(
                        format!("items[{index}].parent"),
                        format!(
                            "{} cannot sit under {}; it may sit under {}",
                            with_article(kind),
                            with_article(*parent_kind),
                            describe_parents(allowed)
                        ),
                    )),
                    Some(_) => {}
                },
            }
            let mut seen = HashSet::new();
            for (link_index, link) in item.serves.iter().enumerate() {
                let path = format!("items[{index}].serves[{link_index}]");
                match kinds.get(link) {
                    None => problems.push(PlanProblem::new(path, format!("{link} is not a record in this plan"))),
                    Some(RecordKind::Objective) => {}
                    Some(other) => problems.push(PlanProblem::new(
                        path,
                        format!("{link} is {}; records can only serve objectives", with_article(*other)),
                    )),
                }
                if !seen.insert(*link) {
                    problems.push(PlanProblem::new(
                        format!("items[{index}].serves[{link_index}]"),
                        format!("{link} is listed twice"),
                    ));
                }
            }
            match &item.record {
                Record::LocalPlan(local) if !areas.is_empty() && !areas.iter().any(|a| a.code == local.area) => {
                    problems.push(PlanProblem::new(
                        format!("items[{index}].record.area"),
                        format!(
                            "`{}` is not one of the body's areas ({})",
                            local.area,
                            areas.iter().map(|a| a.code.as_str()).collect::<Vec<_>>().join(", ")
                        ),
                    ));
                }
                Record::Measure(measure) => {
                    if let Some(baseline) = &measure.baseline
                        && !baseline.value.is_finite()
                    {
                        problems.push(PlanProblem::new(
                            format!("items[{index}].record.baseline.value"),
                            "is not a finite number",
                        ));
                    }
                    if let Ambition::Target { value, .. } = &measure.ambition
                        && !value.is_finite()
                    {
                        problems.push(PlanProblem::new(
                            format!("items[{index}].record.ambition.value"),
                            "is not a finite number",
                        ));
                    }
                }
                _ => {}
            }
        }
        // A parent chain that loops back on itself would make the plan impossible to
        // display; parent kinds already forbid most loops, but check rather than trust.
        for (index, item) in self.items.iter().enumerate() {
            let mut cursor = item.parent;
            let mut steps = 0;
            while let Some(p) = cursor {
                steps += 1;
                if p == item.id || steps > self.items.len() {
                    problems.push(PlanProblem::new(
                        format!("items[{index}].parent"),
                        "the record sits under itself; choose a different parent",
                    ));
                    break;
                }
                cursor = self.item(p).and_then(|i| i.parent);
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(PlanProblems(problems)) }
    }
}

/// The kind's label with its indefinite article: `an objective`, `a priority`. Error
/// messages used to write `a {label}` and so read "a objective" and "a action plan";
/// every label that starts with a vowel takes "an".
fn with_article(kind: RecordKind) -> String {
    let label = kind.label();
    let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
    format!("{article} {label}")
}

fn describe_parents(allowed: &[Option<RecordKind>]) -> String {
    let names: Vec<String> = allowed
        .iter()
        .map(|p| match p {
            None => String::from("the top level"),
            Some(kind) => with_article(*kind),
        })
        .collect();
    match names.as_slice() {
        [] => String::from("nothing"),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} or {last}", rest.join(", ")),
    }
}
