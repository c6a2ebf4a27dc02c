//! Turns a [`Plan`] and its [`Body`] into the view the plan pages render: objectives
//! under their groups with their priorities, commitments and milestones; measures,
//! resources, grants, local plans, action plans and narrative sections, each with the
//! words and formatted values a reader sees.
//!
//! Doing this in Rust rather than in the templates keeps the templates to loops and
//! fields, and makes the tree walking testable. The views hold strings, not domain
//! types, so a template cannot format a date or an amount two ways. This module does
//! no I/O and does not decide which version the public may see (`public` does).
//!
//! An area's page ([`AreaView`]) also carries each measure's figures for the area, read
//! from the figures a page loads once (`performance_view::BodyFigures`) and worded by
//! `performance_view`, so a figure reads the same here as on the staff pages; this module
//! only chooses which measures and areas to show and how the areas compare.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_charts::Options;
use pcplan_domain::period::Period;
use pcplan_domain::plan::Measure;
use pcplan_domain::{
    Ambition, Area, Body, FinancialYear, Item, ItemId, Pence, Plan, Polarity, Record, RecordKind, Status, VersionMeta,
};
use pcplan_store::Observation;

use crate::comparison::{AREAS, ComparisonView, Place, compare};
use crate::performance_view::{BodyFigures, series, series_chart, series_kind, summarise};

/// `28 March 2013`, the GOV.UK date style.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// The GOV.UK tag colour for a status.
pub fn status_tag_class(status: Status) -> &'static str {
    match status {
        Status::NotStarted => "govuk-tag--grey",
        Status::OnTrack => "govuk-tag--green",
        Status::AtRisk => "govuk-tag--yellow",
        Status::Late => "govuk-tag--red",
        Status::Complete => "govuk-tag--blue",
        Status::Withdrawn => "govuk-tag--purple",
    }
}

/// A status as the template shows it: the label and the tag colour.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatusView {
    pub label: &'static str,
    pub class: &'static str,
}

impl From<Status> for StatusView {
    fn from(status: Status) -> Self {
        Self { label: status.label(), class: status_tag_class(status) }
    }
}

/// A link to a record elsewhere on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LinkView {
    /// The fragment without `#`: `item-6f1c...`.
    pub anchor: String,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneView {
    pub anchor: String,
    pub title: String,
    pub due: String,
    /// `2014-03-31`, for the table's CSV download.
    pub due_iso: String,
    pub status: StatusView,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommitmentView {
    pub anchor: String,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub lead_organisation: String,
    pub milestones: Vec<MilestoneView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PriorityView {
    pub anchor: String,
    pub title: String,
    pub description: String,
    pub commitments: Vec<CommitmentView>,
    pub milestones: Vec<MilestoneView>,
    pub measures: Vec<LinkView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ObjectiveView {
    pub anchor: String,
    pub reference: String,
    pub title: String,
    pub description: String,
    pub priorities: Vec<PriorityView>,
    pub commitments: Vec<CommitmentView>,
    pub milestones: Vec<MilestoneView>,
    /// Measures under the objective or serving it, linked to the measures section.
    pub measures: Vec<LinkView>,
    pub illustrative: bool,
}

/// A heading over objectives. Objectives outside any group are gathered in a group
/// without a title, so the template has one shape to loop over.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupView {
    pub anchor: String,
    /// Empty for the objectives outside any group.
    pub title: String,
    pub summary: String,
    pub objectives: Vec<ObjectiveView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MeasureView {
    pub anchor: String,
    pub title: String,
    pub definition: String,
    pub unit: String,
    pub polarity: &'static str,
    /// `1,234 (2012/13)`, or empty when there is no baseline.
    pub baseline: String,
    /// `Target: 95 by 31 March 2014` or `Direction of travel: reduce`.
    pub ambition: String,
    pub frequency: &'static str,
    pub data_source: String,
    pub by_area: bool,
    pub objectives: Vec<LinkView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ResourceView {
    pub line: String,
    pub amount: String,
    /// `1250000.00`, for the table's CSV download.
    pub amount_csv: String,
    pub financial_year: String,
    pub to_chief_constable: bool,
    pub notes: String,
    pub illustrative: bool,
}

/// The total of the resource lines of one financial year.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct YearTotalView {
    pub financial_year: String,
    pub amount: String,
    /// `1250000.00`, for the table's CSV download.
    pub amount_csv: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GrantView {
    pub anchor: String,
    pub recipient: String,
    pub purpose: String,
    pub amount: String,
    pub financial_year: String,
    pub conditions: String,
    pub objectives: Vec<LinkView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LocalPlanView {
    pub anchor: String,
    pub area_code: String,
    pub area_name: String,
    pub title: String,
    pub summary: String,
    pub priorities: Vec<PriorityView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionView {
    pub title: String,
    pub owner: String,
    pub due: String,
    /// `2014-03-31`, or empty, for the table's CSV download.
    pub due_iso: String,
    pub status: StatusView,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ActionPlanView {
    pub anchor: String,
    pub title: String,
    pub source: String,
    pub agreed_on: String,
    pub actions: Vec<ActionView>,
    pub illustrative: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SectionView {
    pub anchor: String,
    pub title: String,
    /// The text split into paragraphs at blank lines.
    pub paragraphs: Vec<String>,
    /// `s.7(1)(b) the policing the Chief Constable is to provide`.
    pub elements: Vec<String>,
    pub illustrative: bool,
}

/// Which version a page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionView {
    pub number: u32,
    pub kind: &'static str,
    pub label: String,
    /// Empty when the version has no effective date.
    pub effective_on: String,
}

impl From<&VersionMeta> for VersionView {
    fn from(meta: &VersionMeta) -> Self {
        Self {
            number: meta.number.0,
            kind: meta.kind.label(),
            label: meta.label.clone(),
            effective_on: meta.effective_on.map(long_date).unwrap_or_default(),
        }
    }
}

/// A whole plan, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PlanView {
    pub title: String,
    pub body_name: String,
    pub office_title: String,
    pub force_name: String,
    /// `1 April 2013 to 31 March 2017`.
    pub period: String,
    pub vision: String,
    pub groups: Vec<GroupView>,
    pub measures: Vec<MeasureView>,
    pub resources: Vec<ResourceView>,
    pub resource_totals: Vec<YearTotalView>,
    pub grants: Vec<GrantView>,
    pub local_plans: Vec<LocalPlanView>,
    pub action_plans: Vec<ActionPlanView>,
    pub sections: Vec<SectionView>,
    /// Whether any record is marked illustrative, so the page explains the tag.
    pub has_illustrative: bool,
}

impl PlanView {
    /// Builds the view of `plan` for `body`.
    pub fn new(plan: &Plan, body: &Body) -> Self {
        let walker = Walker { plan, body };
        Self {
            title: plan.title.clone(),
            body_name: body.name.clone(),
            office_title: body.office_title.clone(),
            force_name: body.force_name.clone(),
            period: format!("{} to {}", long_date(plan.starts_on), long_date(plan.ends_on)),
            vision: plan.vision.clone(),
            groups: walker.groups(),
            measures: walker.measures(),
            resources: walker.resources(),
            resource_totals: walker.resource_totals(),
            grants: walker.grants(),
            local_plans: walker.local_plans(None),
            action_plans: walker.action_plans(),
            sections: walker.sections(),
            has_illustrative: plan.items.iter().any(|i| i.illustrative),
        }
    }

    /// Whether the plan has any content beyond its header.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
            && self.measures.is_empty()
            && self.resources.is_empty()
            && self.grants.is_empty()
            && self.local_plans.is_empty()
            && self.action_plans.is_empty()
            && self.sections.is_empty()
    }
}

/// One local authority area's part of a plan: its local plans with their priorities, and
/// each measure of the plan with the area's figures.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaView {
    pub code: String,
    pub name: String,
    pub local_plans: Vec<LocalPlanView>,
    /// The measures reported for each area, and any other measure with figures for this
    /// area, in plan order.
    pub measures: Vec<AreaMeasureView>,
}

/// One measure on an area's page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaMeasureView {
    /// `measure-1`: the section's id, unique on the page.
    pub id: String,
    pub measure: MeasureView,
    /// How the figures are computed from police.uk data, when they are; empty otherwise.
    pub feed: String,
    /// The area's figures; `None` when there are none yet, which the page says plainly.
    pub figures: Option<AreaFiguresView>,
}

/// One measure's figures for one area, each in words with the counts behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AreaFiguresView {
    /// The latest period with a figure: `October 2022`.
    pub period: String,
    /// `20 crimes (20.0 per 1,000 residents)`.
    pub latest: String,
    pub latest_warning: Option<String>,
    /// `October 2021: 20 against 5: up 15 (+300.0%), significantly higher.`
    pub last_year: String,
    pub change_warning: Option<String>,
    /// What the XmR chart says of the latest figure (or why no limits are drawn), where
    /// its limits come from, whether the process will meet a numeric target, and why a
    /// line is not drawn: `series_chart`'s notes, which already hold the latest figure's
    /// reading, so it is not repeated.
    pub chart_notes: Vec<String>,
    /// The `<svg>` of the area's series, with its title and description.
    pub chart_svg: String,
    /// The same figures as a GOV.UK table.
    pub chart_table: String,
    pub comparison: AreaComparisonView,
}

/// How an area compares with the body's other areas in one period.
pub type AreaComparisonView = ComparisonView;

impl AreaView {
    /// The view of one area with its figures, or `None` when `code` is not one of the
    /// body's areas. Only the measures of `plan` are shown, so observations of a measure
    /// that is only in a draft never appear.
    pub(crate) fn new(plan: &Plan, body: &Body, code: &str, figures: &BodyFigures) -> Option<Self> {
        let area = body.area(code)?;
        let walker = Walker { plan, body };
        let mut measures = Vec::new();
        for item in plan.of_kind(RecordKind::Measure) {
            let (Record::Measure(measure), Some(view)) = (&item.record, walker.measure(item)) else { continue };
            let own = figures.of_measure(item.id);
            let has_figures = own.iter().any(|o| o.area_code == area.code);
            if !measure.by_area && !has_figures {
                continue;
            }
            let number = measures.len() + 1;
            measures.push(AreaMeasureView {
                id: format!("measure-{number}"),
                measure: view,
                feed: figures.feeds.get(&item.id).cloned().unwrap_or_default(),
                figures: area_figures(measure, &own, body, area, figures, &format!("area-{number}")),
            });
        }
        Some(Self {
            code: area.code.clone(),
            name: area.name.clone(),
            local_plans: walker.local_plans(Some(code)),
            measures,
        })
    }
}

/// One measure's figures for `area`: its latest figure, the change from the same period
/// last year, its series charted with ids starting `chart_id`, and the
/// comparison with the other areas in the latest period. `None` when the area has no
/// figure in the periods the measure is charted in.
fn area_figures(
    measure: &Measure,
    own: &[&Observation],
    body: &Body,
    area: &Area,
    figures: &BodyFigures,
    chart_id: &str,
) -> Option<AreaFiguresView> {
    let summary = summarise(measure, own, &area.code, figures.population(body, &area.code), None);
    let period = summary.period?;
    let kind = series_kind(measure, own);
    let line = series(own, &area.code, kind);
    let (svg, chart_notes) = series_chart(measure, &line, kind, &area.name, &Options::page(chart_id));
    Some(AreaFiguresView {
        period: period.label(),
        latest: summary.latest,
        latest_warning: summary.latest_warning,
        last_year: summary.last_year,
        change_warning: summary.change_warning,
        chart_notes,
        chart_svg: svg.svg,
        chart_table: svg.table.to_html(),
        comparison: compare_areas(measure, own, body, area, figures, period),
    })
}

/// Every area of the body in `period`, against `chosen`, compared as
/// [`crate::comparison::compare`] compares places.
fn compare_areas(
    measure: &Measure,
    own: &[&Observation],
    body: &Body,
    chosen: &Area,
    figures: &BodyFigures,
    period: Period,
) -> AreaComparisonView {
    let places: Vec<Place<'_>> = body
        .areas
        .iter()
        .map(|a| Place {
            code: a.code.clone(),
            name: a.name.clone(),
            observation: own
                .iter()
                .find(|o| o.area_code == a.code && o.period.parse::<Period>().ok() == Some(period))
                .copied(),
            population: figures.populations.get(&a.code).copied(),
        })
        .collect();
    compare(measure, &places, &chosen.code, period, AREAS)
}

/// The fragment id of a record on the plan page.
pub fn anchor(id: ItemId) -> String {
    format!("item-{id}")
}

struct Walker<'a> {
    plan: &'a Plan,
    body: &'a Body,
}

impl<'a> Walker<'a> {
    fn children(&self, parent: ItemId, kind: RecordKind) -> impl Iterator<Item = &'a Item> + 'a {
        self.plan.children(Some(parent)).filter(move |i| i.record.kind() == kind)
    }

    fn link(&self, id: ItemId) -> Option<LinkView> {
        let item = self.plan.item(id)?;
        let text = match &item.record {
            Record::Objective(o) if !o.reference.is_empty() => format!("{} {}", o.reference, o.title),
            other => other.title().to_string(),
        };
        Some(LinkView { anchor: anchor(id), text })
    }

    fn objective_links(&self, item: &Item) -> Vec<LinkView> {
        self.plan.objectives_served(item).into_iter().filter_map(|id| self.link(id)).collect()
    }

    fn groups(&self) -> Vec<GroupView> {
        let mut groups = Vec::new();
        let mut ungrouped = Vec::new();
        for item in self.plan.children(None) {
            match &item.record {
                Record::ObjectiveGroup(group) => groups.push(GroupView {
                    anchor: anchor(item.id),
                    title: group.title.clone(),
                    summary: group.summary.clone(),
                    objectives: self.children(item.id, RecordKind::Objective).map(|o| self.objective(o)).collect(),
                    illustrative: item.illustrative,
                }),
                Record::Objective(_) => ungrouped.push(self.objective(item)),
                _ => {}
            }
        }
        if !ungrouped.is_empty() {
            groups.push(GroupView {
                anchor: String::from("objectives-other"),
                title: String::new(),
                summary: String::new(),
                objectives: ungrouped,
                illustrative: false,
            });
        }
        groups
    }

    fn objective(&self, item: &Item) -> ObjectiveView {
        let (reference, title, description) = match &item.record {
            Record::Objective(o) => (o.reference.clone(), o.title.clone(), o.description.clone()),
            other => (String::new(), other.title().to_string(), String::new()),
        };
        // Measures sit under an objective or serve it through their links.
        let measures = self
            .plan
            .of_kind(RecordKind::Measure)
            .filter(|m| self.plan.objectives_served(m).contains(&item.id))
            .filter_map(|m| self.link(m.id))
            .collect();
        ObjectiveView {
            anchor: anchor(item.id),
            reference,
            title,
            description,
            priorities: self.children(item.id, RecordKind::Priority).map(|p| self.priority(p)).collect(),
            commitments: self.children(item.id, RecordKind::Commitment).map(|c| self.commitment(c)).collect(),
            milestones: self.milestones(item.id),
            measures,
            illustrative: item.illustrative,
        }
    }

    fn priority(&self, item: &Item) -> PriorityView {
        let (title, description) = match &item.record {
            Record::Priority(p) => (p.title.clone(), p.description.clone()),
            other => (other.title().to_string(), String::new()),
        };
        PriorityView {
            anchor: anchor(item.id),
            title,
            description,
            commitments: self.children(item.id, RecordKind::Commitment).map(|c| self.commitment(c)).collect(),
            milestones: self.milestones(item.id),
            measures: self.children(item.id, RecordKind::Measure).filter_map(|m| self.link(m.id)).collect(),
            illustrative: item.illustrative,
        }
    }

    fn commitment(&self, item: &Item) -> CommitmentView {
        let (title, description, owner, lead_organisation) = match &item.record {
            Record::Commitment(c) => {
                (c.title.clone(), c.description.clone(), c.owner.clone(), c.lead_organisation.clone())
            }
            other => (other.title().to_string(), String::new(), String::new(), String::new()),
        };
        CommitmentView {
            anchor: anchor(item.id),
            title,
            description,
            owner,
            lead_organisation,
            milestones: self.milestones(item.id),
            illustrative: item.illustrative,
        }
    }

    fn milestones(&self, parent: ItemId) -> Vec<MilestoneView> {
        self.children(parent, RecordKind::Milestone)
            .filter_map(|item| match &item.record {
                Record::Milestone(m) => Some(MilestoneView {
                    anchor: anchor(item.id),
                    title: m.title.clone(),
                    due: long_date(m.due),
                    due_iso: m.due.to_string(),
                    status: m.status.into(),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }

    fn measures(&self) -> Vec<MeasureView> {
        self.plan.of_kind(RecordKind::Measure).filter_map(|item| self.measure(item)).collect()
    }

    /// The view of one measure; `None` when the item is not a measure.
    fn measure(&self, item: &Item) -> Option<MeasureView> {
        let Record::Measure(m) = &item.record else { return None };
        Some(MeasureView {
            anchor: anchor(item.id),
            title: m.title.clone(),
            definition: m.definition.clone(),
            unit: m.unit.clone(),
            polarity: polarity_label(m.polarity),
            baseline: m
                .baseline
                .as_ref()
                .map(|b| format!("{} {} ({})", number(b.value), m.unit, b.period))
                .unwrap_or_default(),
            ambition: ambition(&m.ambition, &m.unit),
            frequency: frequency_label(m.frequency),
            data_source: m.data_source.clone(),
            by_area: m.by_area,
            objectives: self.objective_links(item),
            illustrative: item.illustrative,
        })
    }

    fn resources(&self) -> Vec<ResourceView> {
        self.plan
            .of_kind(RecordKind::Resource)
            .filter_map(|item| match &item.record {
                Record::Resource(r) => Some(ResourceView {
                    line: r.line.clone(),
                    amount: r.amount.to_string(),
                    amount_csv: crate::table_csv::pounds(r.amount),
                    financial_year: r.financial_year.to_string(),
                    to_chief_constable: r.to_chief_constable,
                    notes: r.notes.clone(),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }

    /// Totals per financial year: adding lines of different years would mean nothing.
    fn resource_totals(&self) -> Vec<YearTotalView> {
        let mut totals: BTreeMap<FinancialYear, i64> = BTreeMap::new();
        for item in self.plan.of_kind(RecordKind::Resource) {
            if let Record::Resource(r) = &item.record {
                let total = totals.entry(r.financial_year).or_insert(0);
                *total = total.saturating_add(r.amount.0);
            }
        }
        totals
            .into_iter()
            .map(|(year, pence)| YearTotalView {
                financial_year: year.to_string(),
                amount: Pence(pence).to_string(),
                amount_csv: crate::table_csv::pounds(Pence(pence)),
            })
            .collect()
    }

    fn grants(&self) -> Vec<GrantView> {
        self.plan
            .of_kind(RecordKind::Grant)
            .filter_map(|item| match &item.record {
                Record::Grant(g) => Some(GrantView {
                    anchor: anchor(item.id),
                    recipient: g.recipient.clone(),
                    purpose: g.purpose.clone(),
                    amount: g.amount.to_string(),
                    financial_year: g.financial_year.to_string(),
                    conditions: g.conditions.clone(),
                    objectives: self.objective_links(item),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }

    /// Every local plan, or only those of one area.
    fn local_plans(&self, area: Option<&str>) -> Vec<LocalPlanView> {
        self.plan
            .of_kind(RecordKind::LocalPlan)
            .filter_map(|item| match &item.record {
                Record::LocalPlan(l) if area.is_none_or(|a| a == l.area) => Some(LocalPlanView {
                    anchor: anchor(item.id),
                    area_code: l.area.clone(),
                    area_name: self.body.area(&l.area).map(|a| a.name.clone()).unwrap_or_else(|| l.area.clone()),
                    title: l.title.clone(),
                    summary: l.summary.clone(),
                    priorities: self.children(item.id, RecordKind::Priority).map(|p| self.priority(p)).collect(),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }

    fn action_plans(&self) -> Vec<ActionPlanView> {
        self.plan
            .of_kind(RecordKind::ActionPlan)
            .filter_map(|item| match &item.record {
                Record::ActionPlan(a) => Some(ActionPlanView {
                    anchor: anchor(item.id),
                    title: a.title.clone(),
                    source: a.source.clone(),
                    agreed_on: a.agreed_on.map(long_date).unwrap_or_default(),
                    actions: self
                        .children(item.id, RecordKind::Action)
                        .filter_map(|action| match &action.record {
                            Record::Action(x) => Some(ActionView {
                                title: x.title.clone(),
                                owner: x.owner.clone(),
                                due: x.due.map(long_date).unwrap_or_default(),
                                due_iso: x.due.map(|d| d.to_string()).unwrap_or_default(),
                                status: x.status.into(),
                                illustrative: action.illustrative,
                            }),
                            _ => None,
                        })
                        .collect(),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }

    fn sections(&self) -> Vec<SectionView> {
        self.plan
            .of_kind(RecordKind::Section)
            .filter_map(|item| match &item.record {
                Record::Section(s) => Some(SectionView {
                    anchor: anchor(item.id),
                    title: s.title.clone(),
                    paragraphs: paragraphs(&s.text),
                    elements: s.elements.iter().map(|e| e.to_string()).collect(),
                    illustrative: item.illustrative,
                }),
                _ => None,
            })
            .collect()
    }
}

/// Splits text into paragraphs at blank lines, joining the lines within one.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.replace("\r\n", "\n")
        .split("\n\n")
        .map(|p| p.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" "))
        .filter(|p| !p.is_empty())
        .collect()
}

/// A number without a pointless `.0`: `1234`, `12.5`.
fn number(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 { format!("{}", value as i64) } else { format!("{value}") }
}

fn ambition(ambition: &Ambition, unit: &str) -> String {
    match ambition {
        Ambition::Target { value, by: Some(by) } => format!("Target: {} {unit} by {}", number(*value), long_date(*by)),
        Ambition::Target { value, by: None } => format!("Target: {} {unit}", number(*value)),
        Ambition::Direction { direction } => format!("Direction of travel: {}", direction.as_str()),
    }
}

fn polarity_label(polarity: Polarity) -> &'static str {
    polarity.label()
}

fn frequency_label(frequency: pcplan_domain::Frequency) -> &'static str {
    match frequency {
        pcplan_domain::Frequency::Monthly => "Monthly",
        pcplan_domain::Frequency::Quarterly => "Quarterly",
        pcplan_domain::Frequency::Annual => "Annual",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_split_into_paragraphs_at_blank_lines() {
        assert_eq!(paragraphs("One\nline.\n\nTwo.\n\n\n"), vec!["One line.", "Two."]);
        assert!(paragraphs("  \n").is_empty());
    }

    #[test]
    fn numbers_show_without_a_trailing_point_zero() {
        assert_eq!(number(1234.0), "1234");
        assert_eq!(number(12.5), "12.5");
    }
}
