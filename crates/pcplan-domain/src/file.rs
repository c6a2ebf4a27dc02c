//! The plan file: the JSON form a plan takes on export and import.
//!
//! A plan file carries the body, the working draft and every version, so an export from
//! one installation imports into another and exports again byte for byte. Parsing is
//! strict: unknown fields are refused, and every problem names its path in the file
//! (`plan.items[12].record.due`), because these files are edited by hand and a silent
//! guess would corrupt a statutory record. This module parses and checks; it does not
//! write anything anywhere.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::body::Body;
use crate::ids::VersionNumber;
use crate::plan::{Plan, PlanProblem, PlanProblems};
use crate::version::PlanVersion;

/// The value of `format` in every plan file.
pub const FORMAT: &str = "pcplan-plan";
/// The version of the plan file format this code reads and writes.
pub const FORMAT_VERSION: u32 = 1;

/// A whole plan, with its body and history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanFile {
    pub format: String,
    pub format_version: u32,
    pub body: Body,
    /// The working draft.
    pub plan: Plan,
    /// Every version, oldest first.
    pub versions: Vec<PlanVersion>,
}

impl PlanFile {
    /// Builds a file from its parts.
    pub fn new(body: Body, plan: Plan, versions: Vec<PlanVersion>) -> Self {
        Self { format: FORMAT.to_string(), format_version: FORMAT_VERSION, body, plan, versions }
    }

    /// Parses and checks a plan file. Errors name the path and the problem.
    pub fn parse(text: &str) -> Result<Self, PlanProblems> {
        let mut deserializer = serde_json::Deserializer::from_str(text);
        let file: PlanFile = match Self::deserialize_with_path(&mut deserializer) {
            Ok(file) => file,
            Err(problem) => return Err(PlanProblems(vec![problem])),
        };
        file.check()?;
        Ok(file)
    }

    fn deserialize_with_path(
        deserializer: &mut serde_json::Deserializer<serde_json::de::StrRead<'_>>,
    ) -> Result<PlanFile, PlanProblem> {
        let value: serde_json::Value = serde_json::Value::deserialize(&mut *deserializer).map_err(|e| {
            PlanProblem::new(format!("line {}, column {}", e.line(), e.column()), format!("not valid JSON: {e}"))
        })?;
        deserializer.end().map_err(|e| {
            PlanProblem::new(format!("line {}", e.line()), format!("unexpected text after the plan: {e}"))
        })?;
        from_value_with_path(&value)
    }

    /// Checks the file's internal consistency: format, the draft and each version valid,
    /// versions numbered 1, 2, 3 and belonging to the plan, content hashes matching.
    pub fn check(&self) -> Result<(), PlanProblems> {
        let mut problems = Vec::new();
        if self.format != FORMAT {
            problems.push(PlanProblem::new("format", format!("is `{}`; a plan file says `{FORMAT}`", self.format)));
        }
        if self.format_version != FORMAT_VERSION {
            problems.push(PlanProblem::new(
                "format_version",
                format!("is {}; this pcplan reads version {FORMAT_VERSION}", self.format_version),
            ));
        }
        let mut codes = HashSet::new();
        for (i, area) in self.body.areas.iter().enumerate() {
            if !codes.insert(area.code.as_str()) {
                problems.push(PlanProblem::new(
                    format!("body.areas[{i}].code"),
                    format!("`{}` is listed twice", area.code),
                ));
            }
        }
        if self.plan.body_id != self.body.id {
            problems.push(PlanProblem::new(
                "plan.body_id",
                format!("is {} but the body in this file is {}", self.plan.body_id, self.body.id),
            ));
        }
        prefix(&mut problems, "plan.", self.plan.validate(&self.body.areas));
        for (i, version) in self.versions.iter().enumerate() {
            let path = format!("versions[{i}]");
            let expected = VersionNumber(i as u32 + 1);
            if version.meta.number != expected {
                problems.push(PlanProblem::new(
                    format!("{path}.meta.number"),
                    format!("is {}; versions must be numbered {expected} here, in order from 1", version.meta.number),
                ));
            }
            if version.meta.plan_id != self.plan.id || version.plan.id != self.plan.id {
                problems.push(PlanProblem::new(
                    format!("{path}.meta.plan_id"),
                    format!("belongs to another plan; this file's plan is {}", self.plan.id),
                ));
            }
            let hash = content_hash(&version.plan);
            if version.meta.content_hash != hash {
                problems.push(PlanProblem::new(
                    format!("{path}.meta.content_hash"),
                    "does not match the version's content; the version was edited after it was made, and versions cannot change",
                ));
            }
            prefix(&mut problems, &format!("{path}.plan."), version.plan.validate(&self.body.areas));
        }
        if problems.is_empty() { Ok(()) } else { Err(PlanProblems(problems)) }
    }

    /// The file as pretty JSON with a trailing newline: the exact form `export` writes.
    pub fn to_json(&self) -> String {
        let mut text = serde_json::to_string_pretty(self).unwrap_or_else(|e| {
            // Serialising plain structs with string keys cannot fail; if it ever does the
            // export must not silently produce an empty file.
            panic!("plan file could not be serialised: {e}")
        });
        text.push('\n');
        text
    }
}

fn prefix(problems: &mut Vec<PlanProblem>, prefix: &str, result: Result<(), PlanProblems>) {
    if let Err(PlanProblems(found)) = result {
        problems.extend(found.into_iter().map(|p| PlanProblem::new(format!("{prefix}{}", p.path), p.problem)));
    }
}

/// The SHA-256 of a plan's canonical JSON. Struct fields serialise in declaration order
/// and the model holds no maps, so the same content always gives the same hash.
pub fn content_hash(plan: &Plan) -> String {
    json_hash(plan)
}

/// The SHA-256, hex-encoded, of a value's JSON as serde writes it: the hash a published
/// document records and `pcplan audit verify` recomputes. Stable for types whose fields
/// serialise in declaration order and whose only maps are ordered (`BTreeMap`).
pub fn json_hash<T: Serialize + ?Sized>(value: &T) -> String {
    let bytes = serde_json::to_vec(value).unwrap_or_default();
    hex::encode(Sha256::digest(&bytes))
}

/// Deserialises a value, reporting the path of the first failure
/// (`plan.items[12].record.due`) rather than serde_json's line and column, which mean
/// little inside a large file.
fn from_value_with_path<T: serde::de::DeserializeOwned>(value: &serde_json::Value) -> Result<T, PlanProblem> {
    serde_path_to_error::deserialize(value).map_err(|error| {
        let path = error.path().to_string();
        // A record is an internally tagged enum (`"kind": "milestone"`): serde buffers it
        // before it knows the variant, so the path stops at the record
        // (`plan.items[12].record`) and an invalid date or an unknown field would be
        // reported without naming its field. Deserialising the record again as its own
        // type recovers the rest of the path.
        let inner = locate(value, error.path()).and_then(record_problem);
        let (path, problem) = match inner {
            Some((inner_path, problem)) if inner_path != "." => (format!("{path}.{inner_path}"), problem),
            Some((_, problem)) => (path, problem),
            None => (path, error.into_inner().to_string()),
        };
        let path = if path == "." { String::from("(file)") } else { path };
        PlanProblem::new(path, problem)
    })
}

/// The part of `value` at `path`, when the path leads to one.
fn locate<'v>(value: &'v serde_json::Value, path: &serde_path_to_error::Path) -> Option<&'v serde_json::Value> {
    use serde_path_to_error::Segment;
    path.iter().try_fold(value, |current, segment| match segment {
        Segment::Seq { index } => current.get(*index),
        Segment::Map { key } => current.get(key.as_str()),
        Segment::Enum { .. } | Segment::Unknown => None,
    })
}

/// When `value` is a record of a known kind that fails to deserialise, the path within
/// the record and the problem. `None` for anything that is not such a record.
fn record_problem(value: &serde_json::Value) -> Option<(String, String)> {
    use crate::plan::{
        Action, ActionPlan, Commitment, Grant, LocalPlan, Measure, Milestone, Objective, ObjectiveGroup, Priority,
        RecordKind, Resource, Section,
    };
    fn problem<T: serde::de::DeserializeOwned>(fields: &serde_json::Value) -> Option<(String, String)> {
        serde_path_to_error::deserialize::<_, T>(fields)
            .err()
            .map(|error| (error.path().to_string(), error.into_inner().to_string()))
    }
    let mut fields = value.as_object()?.clone();
    let kind = RecordKind::parse(fields.remove("kind")?.as_str()?)?;
    let fields = serde_json::Value::Object(fields);
    match kind {
        RecordKind::ObjectiveGroup => problem::<ObjectiveGroup>(&fields),
        RecordKind::Objective => problem::<Objective>(&fields),
        RecordKind::Priority => problem::<Priority>(&fields),
        RecordKind::Commitment => problem::<Commitment>(&fields),
        RecordKind::Milestone => problem::<Milestone>(&fields),
        RecordKind::Measure => problem::<Measure>(&fields),
        RecordKind::Resource => problem::<Resource>(&fields),
        RecordKind::Grant => problem::<Grant>(&fields),
        RecordKind::LocalPlan => problem::<LocalPlan>(&fields),
        RecordKind::ActionPlan => problem::<ActionPlan>(&fields),
        RecordKind::Action => problem::<Action>(&fields),
        RecordKind::Section => problem::<Section>(&fields),
    }
}
