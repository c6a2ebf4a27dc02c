//! A body's peers: the other forces or areas it chooses to compare its figures with.
//!
//! Panels ask how the force compares with forces like it (HMICFRS and the Home Office
//! group forces into "most similar groups"), not only with itself a year ago. A body
//! keeps a set of peers, each with a code that names it in figures (`E23000021`, or a
//! short name such as `nottinghamshire`), a name, whether it is a force or an area, and
//! its population when known, so counts can be compared as rates per 1,000 residents.
//! A peer's figures are observations of the body's measures whose area is the peer's
//! code, so a code can never be one of the body's own areas or the whole force area's
//! `""`. The comparison itself is `stats::compare_with_peers`.

use serde::{Deserialize, Serialize};

use crate::Body;
use crate::clock::{FieldProblem, FieldProblems};

/// What a peer is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PeerKind {
    /// Another police force area (its Commissioner's whole area).
    Force,
    /// A local authority area outside the body's own.
    Area,
}

impl PeerKind {
    pub fn as_str(&self) -> &'static str {
        match self {
            PeerKind::Force => "force",
            PeerKind::Area => "area",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            PeerKind::Force => "Force",
            PeerKind::Area => "Area",
        }
    }

    pub fn parse(text: &str) -> Option<PeerKind> {
        match text.trim() {
            "force" => Some(PeerKind::Force),
            "area" => Some(PeerKind::Area),
            _ => None,
        }
    }
}

/// One peer of a body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Peer {
    /// How figures name it: an ONS code or a short name, unique among the body's peers.
    pub code: String,
    pub name: String,
    pub kind: PeerKind,
    /// Residents, when known (mid-year estimate or census); without it counts are
    /// compared as counts.
    pub population: Option<u64>,
    /// Where the peer and its population come from, or why it was chosen.
    pub note: String,
}

/// The longest code a peer may have; codes go into figures' area columns.
pub const MAX_CODE_CHARS: usize = 40;

impl Peer {
    /// The peer tidied (code and name trimmed) and checked against `body`: a code that is
    /// short, without spaces, not one of the body's areas; a name; a population above 0.
    pub fn checked(mut self, body: &Body) -> Result<Peer, FieldProblems> {
        self.code = self.code.trim().to_string();
        self.name = self.name.trim().to_string();
        self.note = self.note.trim().to_string();
        let mut problems = Vec::new();
        if self.code.is_empty() {
            problems.push(FieldProblem::new(
                "code",
                "Enter the code figures will name the peer by: its ONS code (E23000021) or a short name (nottinghamshire)",
            ));
        } else if self.code.chars().count() > MAX_CODE_CHARS || self.code.chars().any(char::is_whitespace) {
            problems.push(FieldProblem::new(
                "code",
                format!("Write the code without spaces, in at most {MAX_CODE_CHARS} characters"),
            ));
        } else if let Some(area) = body.areas.iter().find(|a| a.code.eq_ignore_ascii_case(&self.code)) {
            problems.push(FieldProblem::new(
                "code",
                format!(
                    "{} is {}, one of {}'s own areas: its figures are already the body's own; choose a place outside it",
                    self.code, area.name, body.name
                ),
            ));
        }
        if self.name.is_empty() {
            problems.push(FieldProblem::new("name", "Enter the peer's name, as pages will show it"));
        }
        if self.population == Some(0) {
            problems.push(FieldProblem::new("population", "Enter the number of residents, or leave it blank"));
        }
        if problems.is_empty() { Ok(self) } else { Err(FieldProblems(problems)) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{Area, BodyId, Nation};

    fn body() -> Body {
        Body {
            id: BodyId::from_u128(1),
            name: String::from("Leicestershire OPCC"),
            office_title: String::from("Police and Crime Commissioner"),
            force_name: String::from("Leicestershire Police"),
            nation: Nation::England,
            areas: vec![Area { code: String::from("E06000016"), name: String::from("Leicester") }],
            terms: Vec::new(),
        }
    }

    fn peer(code: &str, name: &str, population: Option<u64>) -> Peer {
        Peer { code: code.into(), name: name.into(), kind: PeerKind::Force, population, note: String::new() }
    }

    #[test]
    fn a_peer_is_trimmed_and_kept_when_every_field_is_good() {
        let got = peer(" nottinghamshire ", " Nottinghamshire ", Some(1_160_000)).checked(&body()).expect("good");
        assert_eq!((got.code.as_str(), got.name.as_str()), ("nottinghamshire", "Nottinghamshire"));
    }

    #[test]
    fn a_peer_is_refused_field_by_field() {
        let problems = peer("", "", Some(0)).checked(&body()).expect_err("three problems").0;
        let fields: Vec<&str> = problems.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["code", "name", "population"]);
        let own = peer("e06000016", "Leicester", None).checked(&body()).expect_err("own area").0;
        assert!(own[0].problem.contains("Leicester, one of Leicestershire OPCC's own areas"), "{}", own[0].problem);
        let spaced = peer("west midlands", "West Midlands", None).checked(&body()).expect_err("a space").0;
        assert!(spaced[0].problem.contains("without spaces"));
        assert_eq!(PeerKind::parse("area"), Some(PeerKind::Area));
        assert_eq!(PeerKind::parse("county"), None);
    }
}
