//! The elected local policing body, its local authority areas and its terms of office.
//!
//! The body is modelled generically: a Police and Crime Commissioner, a Police, Fire and
//! Crime Commissioner, a mayor with PCC functions or a successor body all fit, and the
//! title of the office is data, never assumed. This module does not compute statutory
//! deadlines from terms; the statutory clock does that.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::ids::BodyId;

/// An elected local policing body and the area it serves.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Body {
    pub id: BodyId,
    /// `West Midlands Police and Crime Commissioner`.
    pub name: String,
    /// The title of the office: `Police and Crime Commissioner`, `Mayor`, ...
    pub office_title: String,
    /// The force whose Chief Constable the body holds to account: `West Midlands Police`.
    pub force_name: String,
    /// England or Wales: some clocks differ (Panel papers: 5 clear days in England, 3 in Wales).
    pub nation: Nation,
    /// The local authority areas, each with its own local policing and crime plan.
    pub areas: Vec<Area>,
    /// Terms of office, oldest first.
    pub terms: Vec<Term>,
}

impl Body {
    /// The area with the given ONS code.
    pub fn area(&self, code: &str) -> Option<&Area> {
        self.areas.iter().find(|a| a.code == code)
    }
}

/// England or Wales.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Nation {
    England,
    Wales,
}

/// A local authority area, identified by its ONS code (`E08000025` is Birmingham).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Area {
    pub code: String,
    pub name: String,
}

/// One term of office of an elected holder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Term {
    /// The person elected: `Bob Jones`.
    pub holder: String,
    /// Polling day of the election that began the term.
    pub elected_on: NaiveDate,
    /// The day the holder took office.
    pub starts_on: NaiveDate,
    /// The day the term ends (the day before the next holder takes office).
    pub ends_on: NaiveDate,
}
