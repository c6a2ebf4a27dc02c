//! Grades: the judgement a body records for a measure or commitment each period, with
//! the narrative that explains it.
//!
//! A body grades on a [`GradeScale`]. The preset is [`GradeScale::rag`] (Green, Amber,
//! Red, Ungraded); a body may define its own, such as the Blue/Green/Yellow/Red scale
//! some offices use for commitments:
//!
//! ```
//! use pcplan_domain::grade::{GradeInput, GradeScale, GradeScaleInput};
//!
//! let grade = |code: &str, label: &str, meaning: &str, colour: &str| GradeInput {
//!     code: code.into(),
//!     label: label.into(),
//!     meaning: meaning.into(),
//!     colour: colour.into(),
//! };
//! let scale = GradeScale::parse(GradeScaleInput {
//!     name: "Commitment status".into(),
//!     grades: vec![
//!         grade("blue", "Blue", "Delivered", "blue"),
//!         grade("green", "Green", "On track to deliver as planned", "green"),
//!         grade("yellow", "Yellow", "Some slippage; expected to deliver with a revised date", "yellow"),
//!         grade("red", "Red", "Will not deliver without intervention", "red"),
//!     ],
//! })
//! .expect("a valid scale");
//! assert_eq!(scale.codes(), ["blue", "green", "yellow", "red"]);
//! ```
//!
//! A scale is only made through [`GradeScale::parse`] (and its serde form, which calls
//! it), so every scale in use has 2 to 8 grades with unique codes, labels and a colour
//! from [`Colour`], the palette pages map to GOV.UK tag classes. The colour is never the
//! only signal: pages print the label inside the tag. This module does not decide what
//! grade a figure deserves; people do, and [`GradeEntry`] records their judgement.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::period::Period;

/// The fewest grades a scale may have.
pub const MIN_GRADES: usize = 2;
/// The most grades a scale may have: more cannot be told apart at a glance.
pub const MAX_GRADES: usize = 8;
/// The longest a grade code may be.
pub const MAX_CODE_LEN: usize = 32;

/// The colours a grade may take: each has a GOV.UK tag class with accessible contrast.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Colour {
    Green,
    Amber,
    Red,
    Blue,
    Yellow,
    Grey,
    Purple,
    Turquoise,
    Pink,
}

impl Colour {
    pub const ALL: [Colour; 9] = [
        Colour::Green,
        Colour::Amber,
        Colour::Red,
        Colour::Blue,
        Colour::Yellow,
        Colour::Grey,
        Colour::Purple,
        Colour::Turquoise,
        Colour::Pink,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            Colour::Green => "green",
            Colour::Amber => "amber",
            Colour::Red => "red",
            Colour::Blue => "blue",
            Colour::Yellow => "yellow",
            Colour::Grey => "grey",
            Colour::Purple => "purple",
            Colour::Turquoise => "turquoise",
            Colour::Pink => "pink",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == name)
    }

    /// The GOV.UK Design System tag class. GOV.UK has no amber tag: its orange one is
    /// what amber means there.
    pub fn govuk_tag_class(&self) -> &'static str {
        match self {
            Colour::Green => "govuk-tag--green",
            Colour::Amber => "govuk-tag--orange",
            Colour::Red => "govuk-tag--red",
            Colour::Blue => "govuk-tag--blue",
            Colour::Yellow => "govuk-tag--yellow",
            Colour::Grey => "govuk-tag--grey",
            Colour::Purple => "govuk-tag--purple",
            Colour::Turquoise => "govuk-tag--turquoise",
            Colour::Pink => "govuk-tag--pink",
        }
    }

    fn names() -> String {
        Self::ALL.iter().map(|c| c.as_str()).collect::<Vec<_>>().join(", ")
    }
}

/// One grade of a scale.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Grade {
    /// What is stored with each entry: `green`, `blue`. Letters, digits, `-` and `_`.
    pub code: String,
    /// What people read: `Green`.
    pub label: String,
    /// What the grade means, shown in the key: `On track to deliver as planned`.
    pub meaning: String,
    pub colour: Colour,
}

/// A scale as typed or stored, before its checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeScaleInput {
    pub name: String,
    pub grades: Vec<GradeInput>,
}

/// A grade as typed or stored, before its checks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeInput {
    pub code: String,
    pub label: String,
    #[serde(default)]
    pub meaning: String,
    /// One of [`Colour`]'s names: `green`, `amber`.
    pub colour: String,
}

/// A checked scale of grades, in the order pages show them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "GradeScaleInput", into = "GradeScaleInput")]
pub struct GradeScale {
    name: String,
    grades: Vec<Grade>,
}

/// A problem with a scale, naming where it is: `grades[2].colour`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{path}: {problem}")]
pub struct GradeProblem {
    pub path: String,
    pub problem: String,
}

/// Every problem found in a scale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("the grade scale has {} problem(s): {}", .0.len(), .0.iter().map(|p| p.to_string()).collect::<Vec<_>>().join("; "))]
pub struct GradeScaleProblems(pub Vec<GradeProblem>);

impl GradeScale {
    /// Checks a scale, returning every problem at once.
    pub fn parse(input: GradeScaleInput) -> Result<Self, GradeScaleProblems> {
        let mut problems = Vec::new();
        let mut problem = |path: String, text: String| problems.push(GradeProblem { path, problem: text });
        let name = input.name.trim().to_string();
        if name.is_empty() {
            problem("name".into(), "is empty; give the scale a name such as `Commitment status`".into());
        }
        let count = input.grades.len();
        if !(MIN_GRADES..=MAX_GRADES).contains(&count) {
            problem(
                "grades".into(),
                format!("has {count} grade(s); a scale needs between {MIN_GRADES} and {MAX_GRADES}"),
            );
        }
        let mut grades = Vec::with_capacity(count);
        for (index, grade) in input.grades.into_iter().enumerate() {
            let code = grade.code.trim().to_string();
            let label = grade.label.trim().to_string();
            if code.is_empty() {
                problem(
                    format!("grades[{index}].code"),
                    "is empty; give the grade a short code such as `green`".into(),
                );
            } else if code.len() > MAX_CODE_LEN
                || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            {
                problem(
                    format!("grades[{index}].code"),
                    format!(
                        "`{code}` is not a code; use up to {MAX_CODE_LEN} letters, digits, `-` or `_`, such as `green`"
                    ),
                );
            } else if let Some(first) = grades.iter().position(|g: &Grade| g.code.eq_ignore_ascii_case(&code)) {
                problem(
                    format!("grades[{index}].code"),
                    format!("`{code}` is already the code of grades[{first}]; every grade needs its own code"),
                );
            }
            if label.is_empty() {
                problem(
                    format!("grades[{index}].label"),
                    "is empty; every grade needs a label, since colour alone is not enough to read it".into(),
                );
            }
            let colour = Colour::parse(grade.colour.trim());
            if colour.is_none() {
                problem(
                    format!("grades[{index}].colour"),
                    format!("`{}` is not one of the colours {}", grade.colour, Colour::names()),
                );
            }
            grades.push(Grade {
                code,
                label,
                meaning: grade.meaning.trim().to_string(),
                // A missing colour is already a problem, so this grade is never used.
                colour: colour.unwrap_or(Colour::Grey),
            });
        }
        if problems.is_empty() { Ok(GradeScale { name, grades }) } else { Err(GradeScaleProblems(problems)) }
    }

    /// The preset: Green, Amber, Red and Ungraded.
    pub fn rag() -> Self {
        let grade = |code: &str, label: &str, meaning: &str, colour| Grade {
            code: code.into(),
            label: label.into(),
            meaning: meaning.into(),
            colour,
        };
        GradeScale {
            name: String::from("Red, Amber, Green"),
            grades: vec![
                grade("green", "Green", "On track: performance meets the ambition", Colour::Green),
                grade("amber", "Amber", "Some concern: performance is at risk of missing the ambition", Colour::Amber),
                grade("red", "Red", "Off track: performance is missing the ambition", Colour::Red),
                grade("ungraded", "Ungraded", "Not graded this period: no data yet, or not assessable", Colour::Grey),
            ],
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    /// The grades, in the order pages show them.
    pub fn grades(&self) -> &[Grade] {
        &self.grades
    }

    /// The grade with this code (exactly as stored).
    pub fn grade(&self, code: &str) -> Option<&Grade> {
        self.grades.iter().find(|g| g.code == code)
    }

    pub fn codes(&self) -> Vec<&str> {
        self.grades.iter().map(|g| g.code.as_str()).collect()
    }
}

impl TryFrom<GradeScaleInput> for GradeScale {
    type Error = GradeScaleProblems;

    fn try_from(input: GradeScaleInput) -> Result<Self, Self::Error> {
        GradeScale::parse(input)
    }
}

impl From<GradeScale> for GradeScaleInput {
    fn from(scale: GradeScale) -> Self {
        GradeScaleInput {
            name: scale.name,
            grades: scale
                .grades
                .into_iter()
                .map(|g| GradeInput {
                    code: g.code,
                    label: g.label,
                    meaning: g.meaning,
                    colour: g.colour.as_str().to_string(),
                })
                .collect(),
        }
    }
}

/// The grade given to a measure or commitment for one period, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GradeEntry {
    pub period: Period,
    /// The code of a grade in the body's scale.
    pub grade: String,
    /// Why this grade: every grade needs one, since a colour without a reason tells a
    /// Panel nothing it can ask about.
    pub narrative: String,
}

/// Why a grade entry does not fit its scale.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum GradeEntryError {
    #[error("grade `{code}` for {period} is not in the scale `{scale}`; use one of {codes}")]
    UnknownGrade { code: String, period: Period, scale: String, codes: String },
    #[error("the narrative for {period} is empty; say why the grade is `{code}`")]
    NoNarrative { code: String, period: Period },
}

impl GradeEntry {
    /// Checks the entry against `scale`: the grade must be one of its codes and the
    /// narrative must not be empty.
    pub fn check(&self, scale: &GradeScale) -> Result<(), GradeEntryError> {
        if scale.grade(&self.grade).is_none() {
            return Err(GradeEntryError::UnknownGrade {
                code: self.grade.clone(),
                period: self.period,
                scale: scale.name.clone(),
                codes: scale.codes().iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", "),
            });
        }
        if self.narrative.trim().is_empty() {
            return Err(GradeEntryError::NoNarrative { code: self.grade.clone(), period: self.period });
        }
        Ok(())
    }
}

impl fmt::Display for Colour {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
