//! The pure model of a police and crime plan.
//!
//! Everything here is data and rules: the body and its areas, the plan's records, its
//! versions, the statutory contents check (PRSRA 2011 s.7(1)), the summary of variations
//! between two versions, and the plan file format. Nothing here does I/O, reads a clock
//! or draws random numbers except [`ids`]' `new()` constructors, so every rule can be
//! tested with plain values and every result is reproducible.

pub mod agenda;
pub mod annual_report;
pub mod board;
pub mod body;
pub mod calendar;
pub mod check;
pub mod clock;
pub mod consultation;
pub mod decision;
pub mod diff;
pub mod election;
pub mod feed;
pub mod file;
pub mod grade;
pub mod ids;
pub mod meeting;
pub mod money;
pub mod obligation;
pub mod paper;
pub mod peer;
pub mod period;
pub mod plan;
pub mod process;
pub mod redact;
pub mod report;
pub mod representation;
pub mod rollup;
pub mod stats;
pub mod transparency;
pub mod version;

pub use body::{Area, Body, Nation, Term};
pub use calendar::{BankHoliday, Calendar, CalendarError, DayRule, HolidayOverride};
pub use check::{ContentsReport, FurtherFunction, StatutoryElement, check_contents};
pub use diff::{Change, ChangeKind, FieldChange, Move, VariationSummary, diff_plans};
pub use file::{PlanFile, content_hash, json_hash};
pub use ids::{
    BoardId, BodyId, DecisionId, EventId, ExerciseId, ItemId, MeetingId, MemberId, ObligationId, PaperId, PlanId,
    ProcessId, PublicationId, QuestionId, ReportId, ResponseId, ThemeId, ThemeSetId, UpdateId, UserId, VersionNumber,
};
pub use money::{FinancialYear, Pence};
pub use plan::{
    Action, ActionPlan, Ambition, Baseline, Commitment, Direction, Frequency, Grant, Item, LocalPlan, Measure,
    Milestone, Objective, ObjectiveGroup, Plan, PlanProblem, PlanProblems, Polarity, Priority, Record, RecordKind,
    Resource, Section, Status,
};
pub use version::{PlanVersion, VersionKind, VersionMeta, VersionRuleError, check_next_version, current_public};
