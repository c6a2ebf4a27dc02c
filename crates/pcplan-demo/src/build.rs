//! Small constructors that keep the demo content readable: one line per record instead
//! of a struct literal with every default spelled out, and edits by identity for the
//! variation.
//!
//! Every item is added with its [`Source`], so whether a record is illustrative is decided
//! where its content is written, next to the seed paragraph it comes from or the note that
//! it was invented. This module holds no content and does no I/O.

use chrono::NaiveDate;
use pcplan_domain::{
    Action, ActionPlan, Commitment, FinancialYear, FurtherFunction, Grant, Item, ItemId, LocalPlan, Milestone,
    Objective, ObjectiveGroup, Pence, Plan, Priority, Record, Resource, Section, Status, StatutoryElement,
};

/// Where a record's content comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    /// The seed documents give it (the paragraph is cited where the record is written).
    Seed,
    /// Plausible demo content that no seed gives: shown with an "illustrative" tag.
    Illustrative,
}

/// The items of a plan in display order, as they are written.
#[derive(Default)]
pub(crate) struct Items(Vec<Item>);

impl Items {
    /// Appends a record; siblings keep the order they are added in.
    pub(crate) fn add(&mut self, source: Source, id: ItemId, parent: Option<ItemId>, record: Record) -> &mut Item {
        self.0.push(Item { id, parent, serves: Vec::new(), illustrative: source == Source::Illustrative, record });
        let last = self.0.len() - 1;
        &mut self.0[last]
    }

    pub(crate) fn into_vec(self) -> Vec<Item> {
        self.0
    }
}

/// Appends a record to an existing plan, for records a variation adds.
pub(crate) fn append(plan: &mut Plan, source: Source, id: ItemId, parent: Option<ItemId>, record: Record) {
    debug_assert!(plan.item(id).is_none(), "demo id {id} is used twice");
    plan.items.push(Item { id, parent, serves: Vec::new(), illustrative: source == Source::Illustrative, record });
}

/// The item with this identity, for a variation to edit. The demo is written against its
/// own fixed ids, so a miss is a mistake in this crate: debug builds (and so the tests)
/// stop on it, and release builds leave the plan unchanged rather than panic in a server.
pub(crate) fn edit(plan: &mut Plan, id: ItemId) -> Option<&mut Item> {
    let found = plan.items.iter_mut().find(|i| i.id == id);
    debug_assert!(found.is_some(), "demo id {id} is not in the plan");
    found
}

/// Removes a record. Its children must have been removed or moved first.
pub(crate) fn remove(plan: &mut Plan, id: ItemId) {
    debug_assert!(plan.items.iter().all(|i| i.parent != Some(id)), "demo id {id} still has children");
    plan.items.retain(|i| i.id != id);
}

/// Sets a milestone's due date and status.
pub(crate) fn reschedule(plan: &mut Plan, id: ItemId, due: NaiveDate, status: Status) {
    if let Some(Item { record: Record::Milestone(milestone), .. }) = edit(plan, id) {
        milestone.due = due;
        milestone.status = status;
    }
}

/// Sets a milestone's or an action's status, keeping its date.
pub(crate) fn set_status(plan: &mut Plan, id: ItemId, status: Status) {
    match edit(plan, id) {
        Some(Item { record: Record::Milestone(milestone), .. }) => milestone.status = status,
        Some(Item { record: Record::Action(action), .. }) => action.status = status,
        _ => debug_assert!(false, "demo id {id} is not a milestone or an action"),
    }
}

pub(crate) fn group(title: &str, summary: &str) -> Record {
    Record::ObjectiveGroup(ObjectiveGroup { title: title.into(), summary: summary.into() })
}

pub(crate) fn objective(reference: &str, title: &str, description: &str) -> Record {
    Record::Objective(Objective { reference: reference.into(), title: title.into(), description: description.into() })
}

pub(crate) fn priority(title: &str, description: &str) -> Record {
    Record::Priority(Priority { title: title.into(), description: description.into() })
}

pub(crate) fn commitment(title: &str, description: &str, owner: &str, lead_organisation: &str) -> Record {
    Record::Commitment(Commitment {
        title: title.into(),
        description: description.into(),
        owner: owner.into(),
        lead_organisation: lead_organisation.into(),
    })
}

pub(crate) fn milestone(title: &str, due: NaiveDate, status: Status) -> Record {
    Record::Milestone(Milestone { title: title.into(), due, status })
}

pub(crate) fn resource(line: &str, pounds: i64, year: i32, to_chief_constable: bool, notes: &str) -> Record {
    Record::Resource(Resource {
        line: line.into(),
        amount: Pence::pounds(pounds),
        financial_year: FinancialYear(year),
        to_chief_constable,
        notes: notes.into(),
    })
}

pub(crate) fn grant(recipient: &str, purpose: &str, pounds: i64, year: i32, conditions: &str) -> Record {
    Record::Grant(Grant {
        recipient: recipient.into(),
        purpose: purpose.into(),
        amount: Pence::pounds(pounds),
        financial_year: FinancialYear(year),
        conditions: conditions.into(),
    })
}

pub(crate) fn local_plan(area: &str, title: &str, summary: &str) -> Record {
    Record::LocalPlan(LocalPlan { area: area.into(), title: title.into(), summary: summary.into() })
}

pub(crate) fn action_plan(title: &str, source: &str, agreed_on: Option<NaiveDate>) -> Record {
    Record::ActionPlan(ActionPlan { title: title.into(), source: source.into(), agreed_on })
}

pub(crate) fn action(title: &str, owner: &str, due: NaiveDate, status: Status) -> Record {
    Record::Action(Action { title: title.into(), owner: owner.into(), due: Some(due), status })
}

pub(crate) fn section(title: &str, text: &str, elements: &[StatutoryElement], functions: &[FurtherFunction]) -> Record {
    Record::Section(Section {
        title: title.into(),
        text: text.into(),
        elements: elements.to_vec(),
        functions: functions.to_vec(),
    })
}
