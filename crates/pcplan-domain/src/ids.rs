//! Identifier newtypes for every stored thing.
//!
//! Identities are what the variation diff matches on, so they are stable for the life of
//! a record and never derived from a title. They are UUIDs rather than database
//! sequence numbers so that a plan file made on one installation imports into another
//! without renumbering. This module does not generate identities from randomness in
//! tests: tests and the demo build them from fixed values with `from_u128`.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};
use uuid::Uuid;

macro_rules! uuid_id {
    ($(#[$doc:meta])* $name:ident) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(Uuid);

        impl $name {
            /// A fresh random identity.
            pub fn new() -> Self {
                Self(Uuid::new_v4())
            }

            /// A fixed identity, for demo content and tests that need reproducible output.
            pub const fn from_u128(value: u128) -> Self {
                Self(Uuid::from_u128(value))
            }

            /// The underlying UUID.
            pub fn as_uuid(&self) -> Uuid {
                self.0
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl From<Uuid> for $name {
            fn from(value: Uuid) -> Self {
                Self(value)
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.0.fmt(f)
            }
        }

        impl FromStr for $name {
            type Err = uuid::Error;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// An elected local policing body (a PCC, a PFCC or a mayor with PCC functions).
    BodyId
);
uuid_id!(
    /// A police and crime plan, across all its versions.
    PlanId
);
uuid_id!(
    /// One record inside a plan: an objective, a milestone, a grant and so on.
    ItemId
);
uuid_id!(
    /// A staff account.
    UserId
);
uuid_id!(
    /// One issue or variation process of a plan.
    ProcessId
);
uuid_id!(
    /// A meeting of the Panel or another board.
    MeetingId
);

/// The number of a plan version: 1 for the first snapshot, counting up within one plan.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct VersionNumber(pub u32);

impl fmt::Display for VersionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}
uuid_id!(
    /// One recurring statutory obligation of a body in one cycle: an annual report, a
    /// precept date, equality publications, a plan to issue.
    ObligationId
);
uuid_id!(
    /// A board that meets: the Police and Crime Panel, the Strategic Policing and Crime
    /// Board, an audit and risk panel, a local policing and crime board.
    BoardId
);
uuid_id!(
    /// A member of a board.
    MemberId
);
uuid_id!(
    /// A paper published for a meeting: an agenda, a report, minutes.
    PaperId
);
uuid_id!(
    /// A report of the Panel to the Commissioner, with its recommendations.
    ReportId
);
uuid_id!(
    /// A Notice of Decision.
    DecisionId
);
uuid_id!(
    /// A consultation exercise: a call for evidence, a public survey, a round of events.
    ExerciseId
);
uuid_id!(
    /// A question of a consultation exercise.
    QuestionId
);
uuid_id!(
    /// One response to a consultation exercise, from one respondent through one channel.
    ResponseId
);
uuid_id!(
    /// A roundtable, public event or youth session held as part of an exercise.
    EventId
);
uuid_id!(
    /// One version of the themes found in the answers to one question.
    ThemeSetId
);
uuid_id!(
    /// A theme within a theme set.
    ThemeId
);
uuid_id!(
    /// An owner's status update on a milestone or commitment.
    UpdateId
);
uuid_id!(
    /// A body's annual report on one financial year (PRSRA 2011 s.12).
    AnnualReportId
);
uuid_id!(
    /// One publication recorded in a body's transparency log.
    PublicationId
);
