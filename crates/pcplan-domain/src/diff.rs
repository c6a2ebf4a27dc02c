//! The summary of variations between two versions of a plan.
//!
//! Seed 000 presents a variation as "a summary of the variations which have been made to
//! the milestones and objectives", followed by the narrative. This module produces that
//! summary from two plans: every record added, removed, changed (field by field, old and
//! new value) or moved (to another parent, or out of its order among its siblings).
//!
//! Records are matched by identity, never by title: retitling an objective is a change
//! to that objective, not one removal and one addition. The order is stable: kinds in
//! [`RecordKind::ALL`] order, and within a kind the records in the newer plan's order,
//! then removed records in the older plan's order. Rendering to HTML belongs to the web
//! crate; this module gives the data and a plain-text form.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::ids::ItemId;
use crate::plan::{Item, Plan, RecordKind};

/// Everything that differs between two plans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VariationSummary {
    /// Changes to the plan's own fields: title, vision, period.
    pub plan_fields: Vec<FieldChange>,
    /// Changes to records, in the stable order described in the module docs.
    pub changes: Vec<Change>,
}

/// What happened to one record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub item: ItemId,
    pub kind: RecordKind,
    /// The record's title in the newer plan, or in the older one if it was removed.
    pub title: String,
    pub change: ChangeKind,
    /// Field-by-field differences, for changed records.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldChange>,
    /// Where it moved from and to, for moved records (a changed record can move too).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub moved: Option<Move>,
}

/// The kind of change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Added,
    Removed,
    /// Fields changed (and the record may also have moved).
    Changed,
    /// Only its place changed.
    Moved,
}

impl ChangeKind {
    pub fn label(&self) -> &'static str {
        match self {
            ChangeKind::Added => "Added",
            ChangeKind::Removed => "Removed",
            ChangeKind::Changed => "Changed",
            ChangeKind::Moved => "Moved",
        }
    }
}

/// One field's old and new value.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldChange {
    pub field: String,
    pub old: String,
    pub new: String,
}

/// A record's place before and after.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The title of the old parent; `None` for the top level.
    pub from_parent: Option<String>,
    pub to_parent: Option<String>,
    /// 1-based position among its siblings.
    pub from_position: usize,
    pub to_position: usize,
}

impl VariationSummary {
    /// True when the two plans have the same content.
    pub fn is_empty(&self) -> bool {
        self.plan_fields.is_empty() && self.changes.is_empty()
    }

    /// The changes to records of one kind.
    pub fn of_kind(&self, kind: RecordKind) -> impl Iterator<Item = &Change> {
        self.changes.iter().filter(move |c| c.kind == kind)
    }

    /// The kinds that have any change, in display order.
    pub fn kinds(&self) -> Vec<RecordKind> {
        RecordKind::ALL.into_iter().filter(|k| self.of_kind(*k).next().is_some()).collect()
    }

    /// How many changes of each kind of change: (added, removed, changed, moved).
    pub fn counts(&self) -> (usize, usize, usize, usize) {
        let count = |k: ChangeKind| self.changes.iter().filter(|c| c.change == k).count();
        (count(ChangeKind::Added), count(ChangeKind::Removed), count(ChangeKind::Changed), count(ChangeKind::Moved))
    }

    /// A plain-text summary, for the command line and for e-mail.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        if self.is_empty() {
            out.push_str("No variations: the two versions have the same content.\n");
            return out;
        }
        let (added, removed, changed, moved) = self.counts();
        out.push_str(&format!(
            "Summary of variations: {added} added, {removed} removed, {changed} changed, {moved} moved\n"
        ));
        if !self.plan_fields.is_empty() {
            out.push_str("\nThe plan\n");
            for f in &self.plan_fields {
                out.push_str(&format!("  {}: \"{}\" -> \"{}\"\n", f.field, f.old, f.new));
            }
        }
        for kind in self.kinds() {
            out.push_str(&format!("\n{}\n", capitalise(kind.plural())));
            for change in self.of_kind(kind) {
                out.push_str(&format!("  {:<8} \"{}\"\n", change.change.label(), change.title));
                for f in &change.fields {
                    out.push_str(&format!("           {}: \"{}\" -> \"{}\"\n", f.field, f.old, f.new));
                }
                if let Some(m) = &change.moved {
                    out.push_str(&format!(
                        "           moved from {} (position {}) to {} (position {})\n",
                        place(&m.from_parent),
                        m.from_position,
                        place(&m.to_parent),
                        m.to_position
                    ));
                }
            }
        }
        out
    }
}

fn place(parent: &Option<String>) -> String {
    match parent {
        Some(title) => format!("under \"{title}\""),
        None => String::from("the top level"),
    }
}

fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Compares an older plan with a newer one.
pub fn diff_plans(old: &Plan, new: &Plan) -> VariationSummary {
    let mut plan_fields = Vec::new();
    let mut field = |name: &str, a: String, b: String| {
        if a != b {
            plan_fields.push(FieldChange { field: name.to_string(), old: a, new: b });
        }
    };
    field("title", old.title.clone(), new.title.clone());
    field("vision", old.vision.clone(), new.vision.clone());
    field("starts on", old.starts_on.to_string(), new.starts_on.to_string());
    field("ends on", old.ends_on.to_string(), new.ends_on.to_string());

    let old_by_id: HashMap<ItemId, &Item> = old.items.iter().map(|i| (i.id, i)).collect();
    let new_by_id: HashMap<ItemId, &Item> = new.items.iter().map(|i| (i.id, i)).collect();
    let moved_in_order = reordered(old, new);

    let mut per_kind: HashMap<RecordKind, Vec<Change>> = HashMap::new();
    for item in &new.items {
        let kind = item.record.kind();
        let change = match old_by_id.get(&item.id) {
            None => Some(Change {
                item: item.id,
                kind,
                title: item.record.title().to_string(),
                change: ChangeKind::Added,
                fields: Vec::new(),
                moved: None,
            }),
            Some(before) => {
                let fields = field_changes(old, before, new, item);
                let moved = (before.parent != item.parent || moved_in_order.contains(&item.id)).then(|| Move {
                    from_parent: parent_title(old, before),
                    to_parent: parent_title(new, item),
                    from_position: sibling_position(old, before),
                    to_position: sibling_position(new, item),
                });
                let change = match (fields.is_empty(), moved.is_some()) {
                    (true, false) => None,
                    (true, true) => Some(ChangeKind::Moved),
                    (false, _) => Some(ChangeKind::Changed),
                };
                change.map(|change| Change {
                    item: item.id,
                    kind,
                    title: item.record.title().to_string(),
                    change,
                    fields,
                    moved,
                })
            }
        };
        if let Some(change) = change {
            per_kind.entry(kind).or_default().push(change);
        }
    }
    for item in &old.items {
        if !new_by_id.contains_key(&item.id) {
            let kind = item.record.kind();
            per_kind.entry(kind).or_default().push(Change {
                item: item.id,
                kind,
                title: item.record.title().to_string(),
                change: ChangeKind::Removed,
                fields: Vec::new(),
                moved: None,
            });
        }
    }
    let changes = RecordKind::ALL.into_iter().flat_map(|kind| per_kind.remove(&kind).unwrap_or_default()).collect();
    VariationSummary { plan_fields, changes }
}

fn field_changes(old_plan: &Plan, before: &Item, new_plan: &Plan, after: &Item) -> Vec<FieldChange> {
    let mut out = Vec::new();
    if before.record.kind() != after.record.kind() {
        out.push(FieldChange {
            field: String::from("kind"),
            old: before.record.kind().label().to_string(),
            new: after.record.kind().label().to_string(),
        });
    }
    let old_fields = before.record.fields();
    let new_fields = after.record.fields();
    for (name, new_value) in &new_fields {
        let old_value = old_fields.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone()).unwrap_or_default();
        if &old_value != new_value {
            out.push(FieldChange { field: name.to_string(), old: old_value, new: new_value.clone() });
        }
    }
    for (name, old_value) in &old_fields {
        if !new_fields.iter().any(|(n, _)| n == name) && !old_value.is_empty() {
            out.push(FieldChange { field: name.to_string(), old: old_value.clone(), new: String::new() });
        }
    }
    let serves = |plan: &Plan, item: &Item| -> String {
        item.serves
            .iter()
            .map(|id| plan.item(*id).map(|i| i.record.title().to_string()).unwrap_or_else(|| id.to_string()))
            .collect::<Vec<_>>()
            .join("; ")
    };
    let (old_serves, new_serves) = (serves(old_plan, before), serves(new_plan, after));
    if old_serves != new_serves {
        out.push(FieldChange { field: String::from("serves"), old: old_serves, new: new_serves });
    }
    if before.illustrative != after.illustrative {
        let yes_no = |b: bool| if b { "yes" } else { "no" }.to_string();
        out.push(FieldChange {
            field: String::from("illustrative"),
            old: yes_no(before.illustrative),
            new: yes_no(after.illustrative),
        });
    }
    out
}

fn parent_title(plan: &Plan, item: &Item) -> Option<String> {
    item.parent.map(|p| plan.item(p).map(|i| i.record.title().to_string()).unwrap_or_else(|| p.to_string()))
}

fn sibling_position(plan: &Plan, item: &Item) -> usize {
    plan.children(item.parent).position(|i| i.id == item.id).map(|p| p + 1).unwrap_or(0)
}

/// The records that kept their parent but changed their order relative to the siblings
/// present in both plans. The longest common subsequence of the two sibling orders is
/// what stayed in place; everything outside it moved. Comparing raw positions instead
/// would report every sibling after an insertion as moved.
fn reordered(old: &Plan, new: &Plan) -> HashSet<ItemId> {
    let mut moved = HashSet::new();
    let new_ids: HashSet<ItemId> = new.items.iter().map(|i| i.id).collect();
    let old_parent: HashMap<ItemId, Option<ItemId>> = old.items.iter().map(|i| (i.id, i.parent)).collect();
    let mut parents: Vec<Option<ItemId>> = Vec::new();
    for item in &new.items {
        if !parents.contains(&item.parent) {
            parents.push(item.parent);
        }
    }
    for parent in parents {
        let stays = |i: &&Item| old_parent.get(&i.id) == Some(&parent) && new_ids.contains(&i.id) && i.parent == parent;
        let before: Vec<ItemId> = old.children(parent).filter(stays).map(|i| i.id).collect();
        let after: Vec<ItemId> = new.children(parent).filter(stays).map(|i| i.id).collect();
        let kept: HashSet<ItemId> = lcs(&before, &after).into_iter().collect();
        moved.extend(after.into_iter().filter(|id| !kept.contains(id)));
    }
    moved
}

fn lcs(a: &[ItemId], b: &[ItemId]) -> Vec<ItemId> {
    let mut table = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for i in (0..a.len()).rev() {
        for j in (0..b.len()).rev() {
            table[i][j] = if a[i] == b[j] { table[i + 1][j + 1] + 1 } else { table[i + 1][j].max(table[i][j + 1]) };
        }
    }
    let (mut i, mut j, mut out) = (0, 0, Vec::new());
    while i < a.len() && j < b.len() {
        if a[i] == b[j] {
            out.push(a[i]);
            i += 1;
            j += 1;
        } else if table[i + 1][j] >= table[i][j + 1] {
            i += 1;
        } else {
            j += 1;
        }
    }
    out
}
