//! The performance report for a board meeting: how the plan in force was being delivered
//! at the end of a chosen period (a month, a financial quarter or a year), objective by
//! objective, as the Strategic Policing and Crime Board or the Panel reads it.
//!
//! [`build`] assembles a [`BoardReport`] from what is stored, as it stood at the end of
//! the period: observations of periods ending by then, grades given for such periods,
//! and status updates dated on or before it. Nothing recorded later leaks back into an
//! earlier report, so the report for a quarter reads the same when it is made again a
//! year on (unless a figure for that quarter was corrected, which is the point).
//!
//! The report has three parts:
//!
//! - **Summary**: how many measures improved or deteriorated significantly on their XmR
//!   charts, how many show only common-cause variation, and the milestones by status.
//! - **Exceptions**: what a board should ask about first: a measure whose latest point is
//!   a significant deterioration, one whose process will not meet its target without a
//!   change, one graded red for the period, and every milestone overdue at the period's
//!   end. Ordinary movement is never an exception: that is the rule of
//!   docs/performance-statistics.md.
//! - **Objectives**: for each, its progress rolled up from its milestones, its measures
//!   (latest figure with counts, the same period last year with its test, what the chart
//!   says, the grade and its narrative, and the chart itself) and its milestones with
//!   their latest status and commentary.
//!
//! The staff page (`staff::performance::report`) shows the report as HTML, and
//! [`document`] writes the same model as a PDF, charts drawn from the same shapes as the
//! page's SVG; the PDF is what gets attached to a meeting as a paper.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_charts::{Options, Svg};
use pcplan_domain::grade::Colour;
use pcplan_domain::period::Period;
use pcplan_domain::rollup::{StatusUpdate, overdue_milestones, roll_up};
use pcplan_domain::stats::{Variation, group_thousands};
use pcplan_domain::{Item, ItemId, Plan, Record, RecordKind, Status};
use pcplan_pdf::{Block, Column, Document};
use pcplan_store::StoredUpdate;

use crate::comparison::{ComparisonView, with_peers};
use crate::performance_view::{
    BodyFigures, MeasureSummary, Monitored, ambition_words, objectives_of, series, series_chart, series_kind, summarise,
};

/// One line of the summary: `Measures showing a significant deterioration: 2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SummaryLine {
    pub label: String,
    pub value: String,
}

/// What an exception is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ExceptionKind {
    Deterioration,
    TargetAtRisk,
    RedGrade,
    OverdueMilestone,
}

impl ExceptionKind {
    pub fn label(&self) -> &'static str {
        match self {
            ExceptionKind::Deterioration => "Significant deterioration",
            ExceptionKind::TargetAtRisk => "Target will not be met without a change",
            ExceptionKind::RedGrade => "Graded red",
            ExceptionKind::OverdueMilestone => "Milestone overdue",
        }
    }
}

/// One thing a board should ask about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    pub kind: ExceptionKind,
    pub item: ItemId,
    pub title: String,
    /// The reason, in words: the chart's reading, the grade's narrative, the due date.
    pub detail: String,
}

/// The grade a measure was given for a period up to the report's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GradeLine {
    pub label: String,
    /// The GOV.UK tag class of its colour.
    pub class: &'static str,
    pub red: bool,
    pub period: String,
    pub narrative: String,
}

/// One measure in an objective's section.
#[derive(Clone, Debug)]
pub struct MeasureSection {
    pub item: ItemId,
    pub title: String,
    pub ambition: String,
    pub summary: MeasureSummary,
    pub grade: Option<GradeLine>,
    /// The force-wide series up to the period's end, when it has at least one figure.
    pub chart: Option<Svg>,
    pub notes: Vec<String>,
    /// The whole force area beside the body's peers in the latest period both have a
    /// figure for by the report's end; `None` when the body has chosen no peers.
    pub peers: Option<ComparisonView>,
}

/// One milestone in an objective's section.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MilestoneLine {
    pub item: ItemId,
    pub title: String,
    pub due: NaiveDate,
    pub status: Status,
    pub overdue: bool,
    /// The latest update's commentary, with who gave it and when; empty without one.
    pub commentary: String,
}

/// One objective's section; the last section, with no objective, holds measures that
/// serve none.
#[derive(Clone, Debug)]
pub struct ObjectiveSection {
    pub title: String,
    /// `50% of milestones complete (2 of 4; 1 overdue)`, or why progress cannot be given.
    pub progress: String,
    pub measures: Vec<MeasureSection>,
    pub milestones: Vec<MilestoneLine>,
}

/// The whole report.
#[derive(Clone, Debug)]
pub struct BoardReport {
    pub body_name: String,
    pub plan_title: String,
    /// Which version of the plan: `Version 2: Plan as issued (Issued, 1 October 2021)`.
    pub plan_label: String,
    pub draft_plan: bool,
    pub period: Period,
    /// The period's last day: everything in the report is as it stood then.
    pub as_at: NaiveDate,
    pub summary: Vec<SummaryLine>,
    pub exceptions: Vec<Exception>,
    pub objectives: Vec<ObjectiveSection>,
}

impl BoardReport {
    /// `Performance report: Leicestershire, 2022/23 Q2`.
    pub fn title(&self) -> String {
        format!("Performance report: {}, {}", self.body_name, self.period.label())
    }
}

/// The status of every item as its updates dated on or before `as_at` leave it.
fn statuses_at(plan: &Plan, updates: &[StoredUpdate], as_at: NaiveDate) -> BTreeMap<ItemId, (Status, StatusUpdate)> {
    let mut by_item: BTreeMap<ItemId, Vec<StatusUpdate>> = BTreeMap::new();
    for stored in updates.iter().filter(|u| u.update.date <= as_at && plan.item(u.item_id).is_some()) {
        by_item.entry(stored.item_id).or_default().push(stored.update.clone());
    }
    by_item
        .into_iter()
        .filter_map(|(id, list)| StatusUpdate::latest(&list).map(|u| (id, (u.status, u.clone()))))
        .collect()
}

/// The objectives a measure serves, or none.
fn objectives_of_measure(plan: &Plan, item: &Item) -> Vec<ItemId> {
    plan.objectives_served(item)
}

/// Builds the report for `period` from what is stored.
pub fn build(found: &Monitored, figures: &BodyFigures, updates: &[StoredUpdate], period: Period) -> BoardReport {
    let as_at = period.end();
    let plan = &found.plan;
    let with_updates = statuses_at(plan, updates, as_at);
    let statuses: BTreeMap<ItemId, Status> = with_updates.iter().map(|(id, (s, _))| (*id, *s)).collect();
    let population = figures.population(&found.body, "");

    // Every measure, summarised once.
    let mut measures: BTreeMap<ItemId, MeasureSection> = BTreeMap::new();
    let mut exceptions = Vec::new();
    let mut variations: BTreeMap<&'static str, usize> = BTreeMap::new();
    for (index, item) in found.items_of(RecordKind::Measure).enumerate() {
        let Record::Measure(measure) = &item.record else { continue };
        let own = figures.of_measure(item.id);
        let summary = summarise(measure, &own, "", population, Some(as_at));
        let kind = series_kind(measure, &own);
        let mut line = series(&own, "", kind);
        line.retain(|(p, _)| p.end() <= as_at);
        let (chart, notes) = if line.is_empty() {
            (None, Vec::new())
        } else {
            let (svg, notes) =
                series_chart(measure, &line, kind, "whole force area", &Options::page(format!("report-{}", index + 1)));
            (Some(svg), notes)
        };
        let grade = figures.latest_grade(item.id, Some(as_at)).map(|g| {
            let found = figures.scales.iter().find(|s| s.name() == g.scale).and_then(|s| s.grade(&g.entry.grade));
            GradeLine {
                label: found.map_or_else(|| g.entry.grade.clone(), |f| f.label.clone()),
                class: found.map_or("govuk-tag--grey", |f| f.colour.govuk_tag_class()),
                red: found.is_some_and(|f| f.colour == Colour::Red),
                period: g.entry.period.label(),
                narrative: g.entry.narrative.clone(),
            }
        });
        let bucket = match summary.variation {
            Some(Variation::SignificantImprovement) => "improving",
            Some(Variation::SignificantDeterioration) => "deteriorating",
            Some(Variation::SignificantChange) => "changing",
            Some(Variation::NoSignificantChange) => "common",
            None if summary.period.is_some() => "too_few",
            None => "none",
        };
        *variations.entry(bucket).or_default() += 1;
        if summary.variation == Some(Variation::SignificantDeterioration) {
            exceptions.push(Exception {
                kind: ExceptionKind::Deterioration,
                item: item.id,
                title: measure.title.clone(),
                detail: match &summary.latest_warning {
                    Some(warning) => {
                        format!("{}: {}. {}. {warning}", period_of(&summary), summary.latest, summary.reading)
                    }
                    None => format!("{}: {}. {}", period_of(&summary), summary.latest, summary.reading),
                },
            });
        }
        if let Some(assurance) = &summary.assurance
            && summary.assurance_fails
        {
            exceptions.push(Exception {
                kind: ExceptionKind::TargetAtRisk,
                item: item.id,
                title: measure.title.clone(),
                detail: format!("{} {assurance}.", ambition_words(measure)),
            });
        }
        if let Some(grade) = grade.as_ref().filter(|g| g.red) {
            exceptions.push(Exception {
                kind: ExceptionKind::RedGrade,
                item: item.id,
                title: measure.title.clone(),
                detail: format!("{} for {}: {}", grade.label, grade.period, grade.narrative),
            });
        }
        measures.insert(
            item.id,
            MeasureSection {
                item: item.id,
                title: measure.title.clone(),
                ambition: ambition_words(measure),
                summary,
                grade,
                chart,
                notes,
                peers: with_peers(&found.body, &found.peers, measure, &own, population, Some(as_at)),
            },
        );
    }

    let overdue = overdue_milestones(plan, &statuses, as_at);
    for o in &overdue {
        exceptions.push(Exception {
            kind: ExceptionKind::OverdueMilestone,
            item: o.item,
            title: o.title.clone(),
            detail: format!(
                "Due {}; {} day{} overdue at {}; status {}.",
                o.due.format("%-d %B %Y"),
                group_thousands(u64::try_from(o.days_overdue).unwrap_or(0)),
                if o.days_overdue == 1 { "" } else { "s" },
                as_at.format("%-d %B %Y"),
                o.status.label().to_lowercase()
            ),
        });
    }
    exceptions.sort_by_key(|e| e.kind);

    let rollup = roll_up(plan, &statuses, &BTreeMap::new(), as_at).ok();
    let mut milestone_counts: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut sections = Vec::new();
    let mut placed: Vec<ItemId> = Vec::new();
    for objective in found.items_of(RecordKind::Objective) {
        let title = match &objective.record {
            Record::Objective(o) if !o.reference.is_empty() => format!("{} {}", o.reference, o.title),
            other => other.title().to_string(),
        };
        let progress = rollup.as_ref().and_then(|r| r.get(objective.id)).map_or_else(
            || String::from("Progress could not be rolled up"),
            |p| {
                let m = p.milestones;
                let mut counts = format!("{} of {} milestones complete", m.complete, m.total());
                if m.overdue > 0 {
                    counts.push_str(&format!(", {} overdue", m.overdue));
                }
                match (p.percent(), p.no_progress) {
                    (Some(percent), _) => format!("{percent}% ({counts})"),
                    (None, Some(why)) => format!("No progress figure: {} ({counts})", why.label().to_lowercase()),
                    (None, None) => format!("No progress figure ({counts})"),
                }
            },
        );
        let own_measures: Vec<MeasureSection> = found
            .items_of(RecordKind::Measure)
            .filter(|m| objectives_of_measure(plan, m).contains(&objective.id))
            .filter_map(|m| {
                placed.push(m.id);
                measures.get(&m.id).cloned()
            })
            .collect();
        let milestones: Vec<MilestoneLine> = found
            .items_of(RecordKind::Milestone)
            .filter(|m| objectives_of(plan, m).contains(&objective.id))
            .filter_map(|m| milestone_line(m, &with_updates, &overdue))
            .collect();
        sections.push(ObjectiveSection { title, progress, measures: own_measures, milestones });
    }
    for m in found.items_of(RecordKind::Milestone) {
        if let Some(line) = milestone_line(m, &with_updates, &overdue) {
            *milestone_counts.entry(line.status.as_str()).or_default() += 1;
        }
    }
    let others: Vec<MeasureSection> =
        measures.values().filter(|m| !placed.contains(&m.item)).cloned().collect::<Vec<_>>();
    if !others.is_empty() {
        // In plan order, as the measures table is.
        let order: Vec<ItemId> = found.items_of(RecordKind::Measure).map(|m| m.id).collect();
        let mut others = others;
        others.sort_by_key(|m| order.iter().position(|id| *id == m.item));
        sections.push(ObjectiveSection {
            title: String::from("Measures serving no objective"),
            progress: String::new(),
            measures: others,
            milestones: Vec::new(),
        });
    }

    let count = |key: &str| variations.get(key).copied().unwrap_or(0);
    let mut summary = vec![
        SummaryLine { label: String::from("Measures"), value: measures.len().to_string() },
        SummaryLine {
            label: String::from("Significant improvement at the latest point"),
            value: count("improving").to_string(),
        },
        SummaryLine {
            label: String::from("Significant deterioration at the latest point"),
            value: count("deteriorating").to_string(),
        },
        SummaryLine {
            label: String::from("Only common-cause variation (no significant change)"),
            value: count("common").to_string(),
        },
    ];
    if count("changing") > 0 {
        summary.push(SummaryLine {
            label: String::from("Significant change on a context measure"),
            value: count("changing").to_string(),
        });
    }
    summary.push(SummaryLine {
        label: String::from("Too few figures for a control chart"),
        value: count("too_few").to_string(),
    });
    summary
        .push(SummaryLine { label: String::from("No figures by the period's end"), value: count("none").to_string() });
    let milestone_words: Vec<String> =
        [Status::Complete, Status::OnTrack, Status::AtRisk, Status::Late, Status::NotStarted, Status::Withdrawn]
            .iter()
            .filter_map(|s| milestone_counts.get(s.as_str()).map(|n| format!("{n} {}", s.label().to_lowercase())))
            .collect();
    summary.push(SummaryLine {
        label: String::from("Milestones"),
        value: if milestone_words.is_empty() { String::from("none in the plan") } else { milestone_words.join(", ") },
    });
    summary.push(SummaryLine { label: String::from("Milestones overdue"), value: overdue.len().to_string() });

    BoardReport {
        body_name: found.body.name.clone(),
        plan_title: plan.title.clone(),
        plan_label: found.label.clone(),
        draft_plan: found.draft,
        period,
        as_at,
        summary,
        exceptions,
        objectives: sections,
    }
}

/// `September 2022`, or `no figure` when the measure has none.
fn period_of(summary: &MeasureSummary) -> String {
    summary.period.map_or_else(|| String::from("No figure"), |p| p.label())
}

fn milestone_line(
    item: &Item,
    with_updates: &BTreeMap<ItemId, (Status, StatusUpdate)>,
    overdue: &[pcplan_domain::rollup::Overdue],
) -> Option<MilestoneLine> {
    let Record::Milestone(milestone) = &item.record else { return None };
    let latest = with_updates.get(&item.id);
    Some(MilestoneLine {
        item: item.id,
        title: milestone.title.clone(),
        due: milestone.due,
        status: latest.map_or(milestone.status, |(s, _)| *s),
        overdue: overdue.iter().any(|o| o.item == item.id),
        commentary: latest.map_or_else(String::new, |(_, u)| {
            let said =
                if u.commentary.trim().is_empty() { String::from("No commentary") } else { u.commentary.clone() };
            format!("{said} ({}, {})", u.by, u.date.format("%-d %B %Y"))
        }),
    })
}

// ---------------------------------------------------------------------------------------
// The PDF
// ---------------------------------------------------------------------------------------

/// The report as a printable document, charts drawn from the same shapes as the page's.
pub fn document(report: &BoardReport, generated_on: NaiveDate) -> Document {
    let mut blocks = vec![
        Block::heading(1, report.title()),
        Block::field("Plan: ", format!("{} ({})", report.plan_title, report.plan_label)),
        Block::field("Period: ", format!("{}, as it stood on {}", report.period.label(), long(report.as_at))),
        Block::field("Prepared: ", long(generated_on)),
    ];
    if report.draft_plan {
        blocks.push(Block::Strong(String::from(
            "Nothing has been issued yet, so this report is against the working draft of the plan.",
        )));
    }
    blocks.push(Block::paragraph(
        "Figures are shown with the counts behind them. A change is called significant only when a test or a \
         statistical process control (XmR) chart says so; other movement is the variation the process always \
         shows.",
    ));
    blocks.push(Block::heading(2, "Summary"));
    blocks.push(Block::Table {
        columns: vec![Column::new("", 3.0), Column::new("", 2.0)],
        rows: report.summary.iter().map(|l| vec![l.label.clone(), l.value.clone()]).collect(),
    });
    blocks.push(Block::heading(2, "Exceptions"));
    if report.exceptions.is_empty() {
        blocks.push(Block::paragraph("None: no measure signals a deterioration, misses its target by its process, or is graded red, and no milestone is overdue."));
    } else {
        blocks.push(Block::Table {
            columns: vec![Column::new("Exception", 2.0), Column::new("Record", 3.0), Column::new("Why", 5.0)],
            rows: report
                .exceptions
                .iter()
                .map(|e| vec![e.kind.label().to_string(), e.title.clone(), e.detail.clone()])
                .collect(),
        });
    }
    for section in &report.objectives {
        blocks.push(Block::heading(2, section.title.clone()));
        if !section.progress.is_empty() {
            blocks.push(Block::field("Progress: ", section.progress.clone()));
        }
        for measure in &section.measures {
            blocks.push(Block::heading(3, measure.title.clone()));
            blocks.push(Block::field("Ambition: ", measure.ambition.clone()));
            blocks.push(Block::field(
                "Latest: ",
                match measure.summary.period {
                    Some(p) => format!("{}: {}", p.label(), measure.summary.latest),
                    None => measure.summary.latest.clone(),
                },
            ));
            if let Some(warning) = &measure.summary.latest_warning {
                blocks.push(Block::paragraph(format!("Warning: {warning}")));
            }
            if !measure.summary.last_year.is_empty() {
                blocks.push(Block::field("Same period last year: ", measure.summary.last_year.clone()));
            }
            if let Some(warning) = &measure.summary.change_warning {
                blocks.push(Block::paragraph(format!("Warning: {warning}")));
            }
            if !measure.summary.reading.is_empty() {
                blocks.push(Block::field("Control chart: ", measure.summary.reading.clone()));
            }
            if let Some(grade) = &measure.grade {
                blocks.push(Block::field(format!("Grade for {}: ", grade.period), grade.label.clone()));
                blocks.push(Block::paragraph(grade.narrative.clone()));
            }
            if let Some(chart) = &measure.chart {
                blocks.extend(crate::pdf_chart::chart_block(chart));
            }
            if !measure.notes.is_empty() {
                blocks.push(Block::Bullets(measure.notes.clone()));
            }
            if let Some(peers) = &measure.peers {
                blocks.extend(peer_blocks(peers));
            }
        }
        if !section.milestones.is_empty() {
            blocks.push(Block::heading(3, "Milestones"));
            blocks.push(Block::Table {
                columns: vec![
                    Column::new("Milestone", 4.0),
                    Column::new("Due", 2.0),
                    Column::new("Status", 2.0),
                    Column::new("Latest update", 5.0),
                ],
                rows: section
                    .milestones
                    .iter()
                    .map(|m| {
                        let status = if m.overdue {
                            format!("{} (overdue)", m.status.label())
                        } else {
                            m.status.label().to_string()
                        };
                        vec![m.title.clone(), long(m.due), status, m.commentary.clone()]
                    })
                    .collect(),
            });
        }
    }
    Document {
        title: report.title(),
        author: report.body_name.clone(),
        subject: String::from("Performance report"),
        created: String::new(),
        footer: report.title(),
        body: report.body_name.clone(),
        date: long(generated_on),
        // Summary, exceptions, then one part per objective.
        contents: true,
        language: String::new(),
        blocks,
    }
}

/// The comparison with peers as the PDF shows it: the method, the position and the
/// table, with the same columns as the page.
fn peer_blocks(peers: &ComparisonView) -> Vec<Block> {
    let mut blocks = vec![Block::field(format!("Compared with peers, {}: ", peers.period), peers.method.clone())];
    if !peers.position.is_empty() {
        blocks.push(Block::paragraph(peers.position.clone()));
    }
    if peers.rows.is_empty() {
        return blocks;
    }
    let mut columns = vec![Column::new("Force or area", 4.0), Column::new("Figure", 3.0)];
    if peers.by_share {
        columns.push(Column::new("95% interval", 2.0));
    }
    if peers.by_rate {
        columns.push(Column::new("Residents", 2.0));
        columns.push(Column::new("Per 1,000", 2.0));
    }
    if peers.ranked {
        columns.push(Column::new("Rank", 1.5));
    }
    let rows = peers
        .rows
        .iter()
        .map(|row| {
            let mut cells = vec![
                if row.chosen { format!("{} (this force)", row.name) } else { row.name.clone() },
                row.figure.clone(),
            ];
            if peers.by_share {
                cells.push(row.interval.clone());
            }
            if peers.by_rate {
                cells.push(row.population.clone());
                cells.push(row.rate.clone());
            }
            if peers.ranked {
                cells.push(row.rank.clone());
            }
            cells
        })
        .collect();
    blocks.push(Block::Table { columns, rows });
    blocks
}

fn long(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}
