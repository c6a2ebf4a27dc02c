//! Versions of a plan: immutable snapshots with a statutory meaning.
//!
//! A version is the whole plan as it stood when the version was made, plus what the
//! version is (a draft, the draft sent to the Panel, the plan as issued, a variation
//! draft, the plan as varied). The working draft keeps changing; versions never do.
//! This module decides which kind of version may follow which; it does not store them
//! and does not run the statutory workflow (consultation, Panel report), which later
//! builds on these versions.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::ids::{PlanId, VersionNumber};
use crate::plan::Plan;

/// What a version is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VersionKind {
    /// A draft kept for reference (consultation, the Chief Constable's comments).
    Draft,
    /// The draft sent to the Police and Crime Panel, PRSRA 2011 s.5(6)(c).
    SentToPanel,
    /// The plan as issued.
    Issued,
    /// A draft variation of an issued plan, s.5(8).
    VariationDraft,
    /// The plan as varied.
    Varied,
}

impl VersionKind {
    pub const ALL: [VersionKind; 5] = [
        VersionKind::Draft,
        VersionKind::SentToPanel,
        VersionKind::Issued,
        VersionKind::VariationDraft,
        VersionKind::Varied,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            VersionKind::Draft => "draft",
            VersionKind::SentToPanel => "sent_to_panel",
            VersionKind::Issued => "issued",
            VersionKind::VariationDraft => "variation_draft",
            VersionKind::Varied => "varied",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            VersionKind::Draft => "Draft",
            VersionKind::SentToPanel => "Draft sent to the Panel",
            VersionKind::Issued => "Issued",
            VersionKind::VariationDraft => "Variation draft",
            VersionKind::Varied => "Varied",
        }
    }

    /// Whether the public may read this version. Only a plan in force, issued or varied,
    /// is public here; drafts go to the Panel through its own papers.
    pub fn is_public(&self) -> bool {
        matches!(self, VersionKind::Issued | VersionKind::Varied)
    }
}

impl fmt::Display for VersionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label())
    }
}

/// What describes a version, without its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VersionMeta {
    pub plan_id: PlanId,
    pub number: VersionNumber,
    pub kind: VersionKind,
    /// A name for people: `Plan as issued, 28 March 2013`.
    pub label: String,
    /// The date the version took effect or was sent (issue date, date sent to the Panel).
    #[serde(default)]
    pub effective_on: Option<NaiveDate>,
    pub made_at: DateTime<Utc>,
    /// The display name of whoever made it.
    pub made_by: String,
    /// SHA-256 of the canonical JSON of the content, so a copy can be checked.
    pub content_hash: String,
}

/// A version with its content.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanVersion {
    pub meta: VersionMeta,
    pub plan: Plan,
}

/// Why a version of this kind cannot be made now.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VersionRuleError {
    #[error("a {kind} version needs an issued plan to vary; issue the plan first")]
    NothingToVary { kind: &'static str },
    #[error("the plan is already issued; make a variation draft and then a varied version instead of issuing again")]
    AlreadyIssued,
}

/// Checks that a version of `kind` may follow the versions already made. Variations need
/// an issued plan; a plan is issued once and varied after that. Statutory steps (the
/// Chief Constable consulted, the Panel's report answered) are checked by the workflow,
/// not here, so that this rule stays about the shape of the version history.
pub fn check_next_version(existing: &[VersionMeta], kind: VersionKind) -> Result<(), VersionRuleError> {
    let issued = existing.iter().any(|v| v.kind == VersionKind::Issued);
    match kind {
        VersionKind::Draft | VersionKind::SentToPanel => Ok(()),
        VersionKind::Issued if issued => Err(VersionRuleError::AlreadyIssued),
        VersionKind::Issued => Ok(()),
        VersionKind::VariationDraft | VersionKind::Varied if !issued => {
            Err(VersionRuleError::NothingToVary { kind: kind.as_str() })
        }
        VersionKind::VariationDraft | VersionKind::Varied => Ok(()),
    }
}

/// The version the public sees as the plan in force: the latest issued or varied one.
pub fn current_public(versions: &[VersionMeta]) -> Option<&VersionMeta> {
    versions.iter().filter(|v| v.kind.is_public()).max_by_key(|v| v.number)
}
