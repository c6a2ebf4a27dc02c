//! The plan as the staff pages lay it out: trees of records (objectives down to
//! milestones, local plans with their priorities, action plans with their actions) and
//! tables (resources with totals per financial year, grants, sections), each record with
//! what the page shows about it and which children may be added under it.
//!
//! The same outline draws the editable working draft and a read-only version; whether
//! the edit, move and delete controls show is the template's decision, from the page.
//! This module is pure: it reads a [`Plan`] and builds view data. It does not check the
//! plan (that is `Plan::validate` and `check_contents`).

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_domain::{Ambition, FinancialYear, Item, ItemId, Pence, Plan, Record, RecordKind, Status};

use super::forms::capitalise;

/// A link to add a record of some kind, under a parent or at the top level.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddLink {
    /// `milestone`, for the `kind` query parameter.
    pub kind: &'static str,
    /// `Add a milestone`.
    pub text: String,
    /// The parent's id, empty at the top level.
    pub parent: String,
}

impl AddLink {
    fn new(kind: RecordKind, parent: Option<ItemId>) -> Self {
        let label = kind.label();
        let article = if label.starts_with(['a', 'e', 'i', 'o', 'u']) { "an" } else { "a" };
        Self {
            kind: kind.as_str(),
            text: format!("Add {article} {label}"),
            parent: parent.map(|p| p.to_string()).unwrap_or_default(),
        }
    }

    /// The query string of the add form's address.
    pub fn query(&self) -> String {
        if self.parent.is_empty() {
            format!("kind={}", self.kind)
        } else {
            format!("kind={}&parent={}", self.kind, self.parent)
        }
    }
}

/// A coloured GOV.UK tag.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tag {
    pub text: String,
    /// `govuk-tag--green` and so on; empty for the default blue.
    pub class: &'static str,
}

/// The tag for a milestone's or action's status.
pub fn status_tag(status: Status) -> Tag {
    let class = match status {
        Status::NotStarted => "govuk-tag--grey",
        Status::OnTrack => "govuk-tag--green",
        Status::AtRisk => "govuk-tag--orange",
        Status::Late => "govuk-tag--red",
        Status::Complete => "govuk-tag--blue",
        Status::Withdrawn => "govuk-tag--purple",
    };
    Tag { text: status.label().to_string(), class }
}

/// A date as GOV.UK writes it: `31 March 2014`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// One record as a row of a tree or a table.
#[derive(Clone, Debug, PartialEq)]
pub struct Row {
    pub id: String,
    /// `Milestone`.
    pub kind_label: String,
    pub title: String,
    /// Short facts shown under the title: `Due 31 March 2014`, `Owner: OPCC`.
    pub details: Vec<String>,
    pub tags: Vec<Tag>,
    pub illustrative: bool,
    /// 0 for a root of its tree.
    pub depth: usize,
    /// How many nested lists end before this row (the template closes them).
    pub closes: usize,
    /// Whether a nested list of children follows this row.
    pub has_children: bool,
    pub can_move_up: bool,
    pub can_move_down: bool,
    /// The kinds that may be added under this record.
    pub add_links: Vec<AddLink>,
    /// The kinds of record under it, for the delete page's warning.
    pub child_count: usize,
    /// Extra columns for tables: amount, financial year.
    pub amount: String,
    pub year: String,
    /// Resource lines: provided to the Chief Constable.
    pub to_chief_constable: bool,
}

/// One tree: its rows in document order and how many lists stay open after the last.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Tree {
    pub rows: Vec<Row>,
    pub end_closes: usize,
}

impl Tree {
    pub fn is_empty(&self) -> bool {
        self.rows.is_empty()
    }
}

/// Resources added up for one financial year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearTotal {
    pub year: String,
    pub total: String,
    pub to_chief_constable: String,
    pub lines: usize,
}

/// The whole plan, laid out for a staff page.
#[derive(Clone, Debug, PartialEq)]
pub struct Outline {
    /// Objective groups and objectives, with everything under them.
    pub objectives: Tree,
    /// Measures at the top level (those under an objective are in its tree).
    pub measures: Tree,
    pub resources: Vec<Row>,
    pub resource_totals: Vec<YearTotal>,
    pub grants: Vec<Row>,
    pub local_plans: Tree,
    pub action_plans: Tree,
    pub sections: Tree,
    /// "Add" links for each kind that may sit at the top level, by section of the page.
    pub add_objective_group: AddLink,
    pub add_objective: AddLink,
    pub add_measure: AddLink,
    pub add_resource: AddLink,
    pub add_grant: AddLink,
    pub add_local_plan: AddLink,
    pub add_action_plan: AddLink,
    pub add_section: AddLink,
}

/// Lays out a plan.
pub fn outline(plan: &Plan) -> Outline {
    let top = |kinds: &[RecordKind]| -> Vec<&Item> {
        plan.children(None).filter(|i| kinds.contains(&i.record.kind())).collect()
    };
    let flat = |kind: RecordKind| -> Vec<Row> { top(&[kind]).into_iter().map(|i| row(plan, i, 0)).collect() };

    let resources = flat(RecordKind::Resource);
    let mut totals: BTreeMap<FinancialYear, (Pence, Pence, usize)> = BTreeMap::new();
    for item in plan.children(None) {
        if let Record::Resource(r) = &item.record {
            let entry = totals.entry(r.financial_year).or_default();
            entry.0 = Pence(entry.0.0.saturating_add(r.amount.0));
            if r.to_chief_constable {
                entry.1 = Pence(entry.1.0.saturating_add(r.amount.0));
            }
            entry.2 += 1;
        }
    }
    let resource_totals = totals
        .into_iter()
        .map(|(year, (total, to_cc, lines))| YearTotal {
            year: year.to_string(),
            total: total.to_string(),
            to_chief_constable: to_cc.to_string(),
            lines,
        })
        .collect();

    Outline {
        objectives: tree(plan, &top(&[RecordKind::ObjectiveGroup, RecordKind::Objective])),
        measures: tree(plan, &top(&[RecordKind::Measure])),
        resources,
        resource_totals,
        grants: flat(RecordKind::Grant),
        local_plans: tree(plan, &top(&[RecordKind::LocalPlan])),
        action_plans: tree(plan, &top(&[RecordKind::ActionPlan])),
        sections: tree(plan, &top(&[RecordKind::Section])),
        add_objective_group: AddLink::new(RecordKind::ObjectiveGroup, None),
        add_objective: AddLink::new(RecordKind::Objective, None),
        add_measure: AddLink::new(RecordKind::Measure, None),
        add_resource: AddLink::new(RecordKind::Resource, None),
        add_grant: AddLink::new(RecordKind::Grant, None),
        add_local_plan: AddLink::new(RecordKind::LocalPlan, None),
        add_action_plan: AddLink::new(RecordKind::ActionPlan, None),
        add_section: AddLink::new(RecordKind::Section, None),
    }
}

/// The rows of the trees under `roots`, depth first, with the list nesting worked out.
fn tree(plan: &Plan, roots: &[&Item]) -> Tree {
    fn walk(plan: &Plan, item: &Item, depth: usize, out: &mut Vec<Row>) {
        out.push(row(plan, item, depth));
        // Parent kinds make the tree at most five deep; the guard only protects the page
        // from a corrupt plan that `Plan::validate` would refuse.
        if depth > plan.items.len() {
            return;
        }
        for child in plan.children(Some(item.id)) {
            walk(plan, child, depth + 1, out);
        }
    }
    let mut rows = Vec::new();
    for root in roots {
        walk(plan, root, 0, &mut rows);
    }
    for index in 0..rows.len() {
        let next_depth = rows.get(index + 1).map(|r| r.depth);
        rows[index].has_children = next_depth.is_some_and(|d| d > rows[index].depth);
        if index > 0 && !rows[index - 1].has_children {
            rows[index].closes = rows[index - 1].depth.saturating_sub(rows[index].depth);
        }
    }
    let end_closes = rows.last().map(|r| r.depth).unwrap_or(0);
    Tree { rows, end_closes }
}

/// The kinds that may sit directly under a record of `kind`.
pub fn child_kinds(kind: RecordKind) -> Vec<RecordKind> {
    RecordKind::ALL.into_iter().filter(|k| k.allowed_parents().contains(&Some(kind))).collect()
}

fn row(plan: &Plan, item: &Item, depth: usize) -> Row {
    let siblings: Vec<ItemId> = plan.children(item.parent).map(|i| i.id).collect();
    let position = siblings.iter().position(|id| *id == item.id).unwrap_or(0);
    let mut details = Vec::new();
    let mut tags = Vec::new();
    let (mut amount, mut year, mut to_chief_constable) = (String::new(), String::new(), false);
    let mut detail = |label: &str, value: &str| {
        if !value.trim().is_empty() {
            details.push(format!("{label}: {value}"));
        }
    };
    match &item.record {
        Record::ObjectiveGroup(r) => detail("Summary", &r.summary),
        Record::Objective(r) => {
            detail("Reference", &r.reference);
            detail("Description", &r.description);
        }
        Record::Priority(r) => detail("Description", &r.description),
        Record::Commitment(r) => {
            detail("Owner", &r.owner);
            detail("Lead organisation", &r.lead_organisation);
        }
        Record::Milestone(r) => {
            detail("Due", &long_date(r.due));
            tags.push(status_tag(r.status));
        }
        Record::Measure(r) => {
            let ambition = match &r.ambition {
                Ambition::Target { value, by: Some(by) } => format!("target {value} {} by {}", r.unit, long_date(*by)),
                Ambition::Target { value, by: None } => format!("target {value} {}", r.unit),
                Ambition::Direction { direction } => format!("direction of travel: {}", direction.as_str()),
            };
            detail("Ambition", &ambition);
            if let Some(b) = &r.baseline {
                detail("Baseline", &format!("{} {} ({})", b.value, r.unit, b.period));
            }
            detail("Reported", &format!("{}{}", r.frequency.as_str(), if r.by_area { ", by area" } else { "" }));
            detail("Polarity", r.polarity.label());
        }
        Record::Resource(r) => {
            amount = r.amount.to_string();
            year = r.financial_year.to_string();
            to_chief_constable = r.to_chief_constable;
            detail("Notes", &r.notes);
        }
        Record::Grant(r) => {
            amount = r.amount.to_string();
            year = r.financial_year.to_string();
            detail("Purpose", &r.purpose);
            detail("Conditions", &r.conditions);
        }
        Record::LocalPlan(r) => detail("Area", &r.area),
        Record::ActionPlan(r) => {
            detail("Source", &r.source);
            if let Some(agreed) = r.agreed_on {
                detail("Agreed", &long_date(agreed));
            }
        }
        Record::Action(r) => {
            detail("Owner", &r.owner);
            if let Some(due) = r.due {
                detail("Due", &long_date(due));
            }
            tags.push(status_tag(r.status));
        }
        Record::Section(r) => {
            let elements: Vec<&str> = r.elements.iter().map(|e| e.reference()).collect();
            detail("Statutory elements", &elements.join(", "));
            let functions: Vec<&str> = r.functions.iter().map(|f| f.label()).collect();
            detail("Further functions", &functions.join("; "));
            if r.text.trim().is_empty() {
                tags.push(Tag { text: String::from("No text"), class: "govuk-tag--yellow" });
            }
        }
    }
    let serves: Vec<String> =
        item.serves.iter().filter_map(|id| plan.item(*id)).map(|o| o.record.title().to_string()).collect();
    detail("Also serves", &serves.join("; "));
    let kind = item.record.kind();
    Row {
        id: item.id.to_string(),
        kind_label: capitalise(kind.label()),
        title: item.record.title().to_string(),
        details,
        tags,
        illustrative: item.illustrative,
        depth,
        closes: 0,
        has_children: false,
        can_move_up: position > 0,
        can_move_down: position + 1 < siblings.len(),
        add_links: child_kinds(kind).into_iter().map(|k| AddLink::new(k, Some(item.id))).collect(),
        child_count: plan.children(Some(item.id)).count(),
        amount,
        year,
        to_chief_constable,
    }
}

#[cfg(test)]
mod tests {
    use pcplan_domain::{Milestone, Objective, ObjectiveGroup, Plan, Priority, Resource};

    use super::*;

    fn item(n: u128, parent: Option<u128>, record: Record) -> Item {
        Item {
            id: ItemId::from_u128(n),
            parent: parent.map(ItemId::from_u128),
            serves: Vec::new(),
            illustrative: false,
            record,
        }
    }

    fn objective(title: &str) -> Record {
        Record::Objective(Objective { reference: String::new(), title: title.into(), description: String::new() })
    }

    fn plan(items: Vec<Item>) -> Plan {
        let day = NaiveDate::from_ymd_opt(2013, 4, 1).expect("valid date");
        Plan {
            id: pcplan_domain::PlanId::from_u128(1),
            body_id: pcplan_domain::BodyId::from_u128(2),
            title: "Plan".into(),
            starts_on: day,
            ends_on: day,
            vision: String::new(),
            items,
        }
    }

    #[test]
    fn a_tree_closes_exactly_the_lists_it_opens() {
        let due = NaiveDate::from_ymd_opt(2014, 3, 31).expect("valid date");
        let p = plan(vec![
            item(1, None, Record::ObjectiveGroup(ObjectiveGroup { title: "Group".into(), summary: String::new() })),
            item(2, Some(1), objective("First")),
            item(3, Some(2), Record::Priority(Priority { title: "Priority".into(), description: String::new() })),
            item(4, Some(3), Record::Milestone(Milestone { title: "M".into(), due, status: Status::Late })),
            item(5, None, objective("Second")),
            item(6, Some(1), objective("Third")),
        ]);
        let tree = tree(&p, &p.children(None).collect::<Vec<_>>());
        let shape: Vec<(&str, usize, bool, usize)> =
            tree.rows.iter().map(|r| (r.title.as_str(), r.depth, r.has_children, r.closes)).collect();
        assert_eq!(
            shape,
            [
                ("Group", 0, true, 0),
                ("First", 1, true, 0),
                ("Priority", 2, true, 0),
                ("M", 3, false, 0),
                ("Third", 1, false, 2),
                ("Second", 0, false, 1),
            ]
        );
        let opened = tree.rows.iter().filter(|r| r.has_children).count();
        let closed: usize = tree.rows.iter().map(|r| r.closes).sum::<usize>() + tree.end_closes;
        assert_eq!(opened, closed);
        assert_eq!(tree.rows[3].details, ["Due: 31 March 2014"]);
        assert_eq!(tree.rows[3].tags, [Tag { text: "Late".into(), class: "govuk-tag--red" }]);
        assert!(!tree.rows[1].can_move_up && tree.rows[1].can_move_down);
        assert!(tree.rows[4].can_move_up && !tree.rows[4].can_move_down);
    }

    #[test]
    fn resources_are_totalled_per_financial_year() {
        let line = |n, pounds, year, to_cc| {
            item(
                n,
                None,
                Record::Resource(Resource {
                    line: format!("Line {n}"),
                    amount: Pence::pounds(pounds),
                    financial_year: FinancialYear(year),
                    to_chief_constable: to_cc,
                    notes: String::new(),
                }),
            )
        };
        let p = plan(vec![line(1, 1_000, 2014, true), line(2, 500, 2013, false), line(3, 250, 2014, false)]);
        let totals = outline(&p).resource_totals;
        let got: Vec<(&str, &str, &str)> =
            totals.iter().map(|t| (t.year.as_str(), t.total.as_str(), t.to_chief_constable.as_str())).collect();
        assert_eq!(got, [("2013/14", "£500", "£0"), ("2014/15", "£1,250", "£1,000")]);
    }

    #[test]
    fn add_links_offer_the_kinds_allowed_under_a_record() {
        let kinds: Vec<&str> = child_kinds(RecordKind::Objective).iter().map(|k| k.as_str()).collect();
        assert_eq!(kinds, ["priority", "commitment", "milestone", "measure"]);
        assert_eq!(AddLink::new(RecordKind::ActionPlan, None).text, "Add an action plan");
        assert_eq!(
            AddLink::new(RecordKind::Action, Some(ItemId::from_u128(1))).query(),
            format!("kind=action&parent={}", ItemId::from_u128(1))
        );
    }
}
