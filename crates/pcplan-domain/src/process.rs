//! The statutory process for issuing or varying a plan, PRSRA 2011 s.5(6)-(8): its steps,
//! the order the law puts them in, the evidence each step leaves, and whether the plan
//! may be issued yet.
//!
//! The Panel has no veto over the plan: nothing here looks at what the Panel said, only
//! at whether each step happened. Issuing is refused only when a step is missing, and
//! the refusal names every missing step. This module does not store processes or send
//! reminders; it decides what is done, what is next and what is refused.

use std::fmt;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::VersionNumber;

/// Issue a new plan, or vary the plan in force.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProcessKind {
    Issue,
    Variation,
}

/// One step, in the order the Act sets them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Step {
    DraftPrepared,
    ChiefConstableConsulted,
    SentToPanel,
    PanelReport,
    ResponseGiven,
    ResponsePublished,
    ChiefConstableReconsulted,
    PlanIssued,
    PlanPublished,
    CopySentToChiefConstable,
}

impl Step {
    pub const ALL: [Step; 10] = [
        Step::DraftPrepared,
        Step::ChiefConstableConsulted,
        Step::SentToPanel,
        Step::PanelReport,
        Step::ResponseGiven,
        Step::ResponsePublished,
        Step::ChiefConstableReconsulted,
        Step::PlanIssued,
        Step::PlanPublished,
        Step::CopySentToChiefConstable,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Step::DraftPrepared => "draft_prepared",
            Step::ChiefConstableConsulted => "chief_constable_consulted",
            Step::SentToPanel => "sent_to_panel",
            Step::PanelReport => "panel_report",
            Step::ResponseGiven => "response_given",
            Step::ResponsePublished => "response_published",
            Step::ChiefConstableReconsulted => "chief_constable_reconsulted",
            Step::PlanIssued => "plan_issued",
            Step::PlanPublished => "plan_published",
            Step::CopySentToChiefConstable => "copy_sent_to_chief_constable",
        }
    }

    pub fn parse(name: &str) -> Option<Step> {
        Self::ALL.into_iter().find(|s| s.as_str() == name)
    }

    /// The step as a person would say it.
    pub fn label(&self) -> &'static str {
        match self {
            Step::DraftPrepared => "Draft prepared",
            Step::ChiefConstableConsulted => "Chief Constable consulted on the draft",
            Step::SentToPanel => "Draft sent to the Panel",
            Step::PanelReport => "Panel report or recommendations received, or the Panel's time ran out",
            Step::ResponseGiven => "Response given to the Panel",
            Step::ResponsePublished => "Response published",
            Step::ChiefConstableReconsulted => "Chief Constable consulted on the differences from the draft",
            Step::PlanIssued => "Plan issued",
            Step::PlanPublished => "Plan published",
            Step::CopySentToChiefConstable => "Copy, or the details of the variation, sent to the Chief Constable",
        }
    }

    /// Where the step comes from.
    pub fn citation(&self) -> &'static str {
        match self {
            Step::DraftPrepared => "PRSRA 2011 s.5(6)(a), s.5(8)",
            Step::ChiefConstableConsulted => "PRSRA 2011 s.5(6)(b)",
            Step::SentToPanel => "PRSRA 2011 s.5(6)(c)",
            Step::PanelReport => "PRSRA 2011 s.28(3)",
            Step::ResponseGiven => "PRSRA 2011 s.5(6)(d)-(e)",
            Step::ResponsePublished => "PRSRA 2011 s.5(6)(f)",
            Step::ChiefConstableReconsulted => "PRSRA 2011 s.5 (to confirm)",
            Step::PlanIssued => "PRSRA 2011 s.5(1), s.5(4)",
            Step::PlanPublished => "PRSRA 2011 s.5(7)",
            Step::CopySentToChiefConstable => "PRSRA 2011 s.5(7)",
        }
    }

    /// The steps that must be done before this one.
    pub fn after(&self) -> &'static [Step] {
        match self {
            Step::DraftPrepared => &[],
            Step::ChiefConstableConsulted => &[Step::DraftPrepared],
            Step::SentToPanel => &[Step::ChiefConstableConsulted],
            Step::PanelReport => &[Step::SentToPanel],
            Step::ResponseGiven => &[Step::PanelReport],
            Step::ResponsePublished => &[Step::ResponseGiven],
            Step::ChiefConstableReconsulted => &[Step::PanelReport],
            Step::PlanIssued => &[Step::PanelReport],
            Step::PlanPublished => &[Step::PlanIssued],
            Step::CopySentToChiefConstable => &[Step::PlanIssued],
        }
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What the Panel did with the draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PanelOutcome {
    /// A report or recommendations, which need a published response.
    Report,
    /// The Panel's reasonable time ran out without a report: nothing to respond to.
    NoReportInTime,
}

/// What shows a step happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    pub on: NaiveDate,
    /// Who did it or recorded it.
    pub by: String,
    #[serde(default)]
    pub note: String,
    /// A document or web page.
    #[serde(default)]
    pub link: Option<String>,
    /// The plan version the step concerns (the draft sent, the version issued).
    #[serde(default)]
    pub version: Option<VersionNumber>,
    /// For the Panel step only.
    #[serde(default)]
    pub panel_outcome: Option<PanelOutcome>,
    /// The Notice of Decision that issued the plan or variation (the "plan issued" step).
    /// Skipped when absent, so evidence recorded before decisions existed reads the same.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<crate::ids::DecisionId>,
}

/// A process and the steps recorded so far.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Process {
    pub kind: ProcessKind,
    pub steps: Vec<(Step, Evidence)>,
    /// Due dates fixed when the step they follow was recorded, with the settings then in
    /// force, so a later change to a setting never moves a deadline already set.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fixed_due: Vec<(Step, NaiveDate)>,
}

/// Why a step cannot be recorded, or the plan cannot be issued yet.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProcessError {
    #[error("{step} cannot be recorded yet: first {}", list(missing))]
    OutOfOrder { step: Step, missing: Vec<Step> },
    #[error("{step} is dated {on}, before {earlier} on {earlier_on}; check the dates")]
    DatedTooEarly { step: Step, on: NaiveDate, earlier: Step, earlier_on: NaiveDate },
    #[error("{step} is already recorded; correct its evidence instead of recording it twice")]
    AlreadyRecorded { step: Step },
    #[error("the Panel step needs its outcome: a report or recommendations, or no report in the time given")]
    PanelOutcomeMissing,
    #[error("the plan cannot be issued yet: {}", list(missing))]
    CannotIssue { missing: Vec<Step> },
}

fn list(steps: &[Step]) -> String {
    steps.iter().map(|s| s.label().to_lowercase()).collect::<Vec<_>>().join("; ")
}

impl Process {
    pub fn new(kind: ProcessKind) -> Process {
        Process { kind, steps: Vec::new(), fixed_due: Vec::new() }
    }

    /// The evidence for a step, if it is done.
    pub fn evidence(&self, step: Step) -> Option<&Evidence> {
        self.steps.iter().find(|(s, _)| *s == step).map(|(_, e)| e)
    }

    fn panel_reported(&self) -> bool {
        self.evidence(Step::PanelReport).and_then(|e| e.panel_outcome) == Some(PanelOutcome::Report)
    }

    /// Whether a step is required in this process. The response steps are needed only
    /// when the Panel reported; the second consultation of the Chief Constable only when
    /// the version to be issued differs from the draft sent to the Panel.
    pub fn required(&self, step: Step, differs_from_draft_sent: bool) -> bool {
        match step {
            Step::ResponseGiven | Step::ResponsePublished => {
                self.panel_reported() || self.evidence(Step::PanelReport).is_none()
            }
            Step::ChiefConstableReconsulted => differs_from_draft_sent,
            _ => true,
        }
    }

    /// Records a step, refusing one whose earlier steps are missing or later-dated.
    pub fn record(&mut self, step: Step, evidence: Evidence) -> Result<(), ProcessError> {
        if self.evidence(step).is_some() {
            return Err(ProcessError::AlreadyRecorded { step });
        }
        if step == Step::PanelReport && evidence.panel_outcome.is_none() {
            return Err(ProcessError::PanelOutcomeMissing);
        }
        let missing: Vec<Step> = step.after().iter().copied().filter(|s| self.evidence(*s).is_none()).collect();
        if !missing.is_empty() {
            return Err(ProcessError::OutOfOrder { step, missing });
        }
        for earlier in step.after() {
            if let Some(before) = self.evidence(*earlier)
                && evidence.on < before.on
            {
                return Err(ProcessError::DatedTooEarly {
                    step,
                    on: evidence.on,
                    earlier: *earlier,
                    earlier_on: before.on,
                });
            }
        }
        self.steps.push((step, evidence));
        self.steps.sort_by_key(|(s, _)| *s);
        Ok(())
    }

    /// Whether the plan may be issued now: every required step before issue is done.
    /// What the Panel said never matters here, only that each step happened.
    pub fn check_issue(&self, differs_from_draft_sent: bool) -> Result<(), ProcessError> {
        let missing: Vec<Step> = Step::ALL
            .into_iter()
            .take_while(|s| *s != Step::PlanIssued)
            .filter(|s| self.required(*s, differs_from_draft_sent) && self.evidence(*s).is_none())
            .collect();
        if missing.is_empty() { Ok(()) } else { Err(ProcessError::CannotIssue { missing }) }
    }

    /// The due dates the clock gives for the steps that follow recorded ones: the
    /// Panel's reasonable time after the draft is sent, and the response after the
    /// Panel's report (PRSRA 2011 s.5(6)(c)-(f); both periods are settings).
    /// Dates fixed by [`Process::fix_due_dates`] win over ones computed from `settings`.
    pub fn due_dates(&self, settings: &crate::clock::ClockSettings) -> Vec<(Step, NaiveDate)> {
        self.computed_due_dates(settings)
            .into_iter()
            .map(|(step, computed)| {
                let fixed = self.fixed_due.iter().find(|(s, _)| *s == step).map(|(_, d)| *d);
                (step, fixed.unwrap_or(computed))
            })
            .collect()
    }

    /// Fixes the due dates that the steps recorded so far give, with `settings`; dates
    /// already fixed stay. The store calls this each time it records a step.
    pub fn fix_due_dates(&mut self, settings: &crate::clock::ClockSettings) {
        for (step, due) in self.computed_due_dates(settings) {
            if !self.fixed_due.iter().any(|(s, _)| *s == step) {
                self.fixed_due.push((step, due));
            }
        }
    }

    fn computed_due_dates(&self, settings: &crate::clock::ClockSettings) -> Vec<(Step, NaiveDate)> {
        let mut due = Vec::new();
        if let Some(sent) = self.evidence(Step::SentToPanel) {
            due.push((Step::PanelReport, crate::clock::panel_reasonable_time(sent.on, settings).due));
        }
        if let Some(report) = self.evidence(Step::PanelReport) {
            let publish = crate::clock::response_publication(report.on, settings).due;
            due.push((Step::ResponseGiven, publish));
            due.push((Step::ResponsePublished, publish));
        }
        due
    }

    /// Each step with its state on `today`, given the due dates known for some steps.
    pub fn timeline(
        &self,
        today: NaiveDate,
        due: &[(Step, NaiveDate)],
        differs_from_draft_sent: bool,
    ) -> Vec<TimelineEntry> {
        Step::ALL
            .into_iter()
            .map(|step| {
                let due_on = due.iter().find(|(s, _)| *s == step).map(|(_, d)| *d);
                let evidence = self.evidence(step).cloned();
                let state = match (&evidence, due_on) {
                    (Some(_), _) => StepState::Done,
                    (None, _) if !self.required(step, differs_from_draft_sent) => StepState::NotRequired,
                    (None, Some(d)) if d < today => StepState::Overdue,
                    (None, Some(_)) => StepState::Due,
                    (None, None) => StepState::NotYetDue,
                };
                TimelineEntry { step, state, due: due_on, evidence }
            })
            .collect()
    }
}

/// Where a step stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StepState {
    Done,
    Due,
    Overdue,
    NotYetDue,
    NotRequired,
}

/// One line of a process timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TimelineEntry {
    pub step: Step,
    pub state: StepState,
    pub due: Option<NaiveDate>,
    pub evidence: Option<Evidence>,
}
