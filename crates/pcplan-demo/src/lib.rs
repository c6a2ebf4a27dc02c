//! Demo content: the West Midlands Police and Crime Commissioner, the police and crime plan
//! issued on 28 March 2013 and its February 2014 variation, as domain values.
//!
//! The content is drawn from the seed documents where they give it (the body, its seven
//! areas, the vision and the ten objectives, the shape of the variation and the Panel's
//! report) and is otherwise plausible content written for the demo; every record whose
//! content no seed gives is marked `illustrative`, so pages show it as such. The demo
//! is not the real plan and must not be quoted as its text.
//!
//! A second body, Leicester, Leicestershire and Rutland (module [`llr`]), holds the
//! refreshed 2013-17 plan of seed 003 and an illustrative 2021-2025 plan with the same
//! four key themes, so that the demo can monitor a plan against a year of real police.uk
//! crime data.
//!
//! The crate is pure: it builds values with fixed identities and fixed timestamps, so
//! every export, diff and snapshot made from it is the same on every run. It does no
//! I/O, reads no clock and draws no random numbers; loading the demo into a store is the
//! binary's job.

/// A date written in the demo content. The date is checked when the crate compiles (an
/// inline `const` block), so an impossible date such as 31 June is a build error rather
/// than a panic or an `Option` to unwrap at run time.
macro_rules! ymd {
    ($year:literal, $month:literal, $day:literal) => {
        const {
            match chrono::NaiveDate::from_ymd_opt($year, $month, $day) {
                Some(date) => date,
                None => panic!("impossible date in the demo content"),
            }
        }
    };
}

pub mod boards;
mod build;
pub mod consultation;
pub mod decisions;
pub mod ids;
mod issued;
pub mod llr;
pub mod process;
pub mod report;
mod varied;

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use pcplan_domain::{
    Area, Body, Nation, Plan, PlanFile, PlanVersion, Term, VersionKind, VersionMeta, VersionNumber, content_hash,
};

pub use issued::OBJECTIVE_GROUPS;

/// Who made every demo version, as a version's `made_by` shows it.
pub const MADE_BY: &str = "Demo data";

/// The seven local authority areas of the West Midlands police area, with their ONS codes
/// (seed 001, para 4; DOMAIN.md).
pub const AREAS: [(&str, &str); 7] = [
    ("E08000025", "Birmingham"),
    ("E08000026", "Coventry"),
    ("E08000027", "Dudley"),
    ("E08000028", "Sandwell"),
    ("E08000029", "Solihull"),
    ("E08000030", "Walsall"),
    ("E08000031", "Wolverhampton"),
];

/// The West Midlands Police and Crime Commissioner.
pub fn body() -> Body {
    Body {
        id: ids::BODY,
        name: String::from("West Midlands Police and Crime Commissioner"),
        office_title: String::from("Police and Crime Commissioner"),
        force_name: String::from("West Midlands Police"),
        nation: Nation::England,
        areas: AREAS.iter().map(|(code, name)| Area { code: code.to_string(), name: name.to_string() }).collect(),
        terms: vec![Term {
            holder: String::from("Bob Jones"),
            // The first PCC elections were held on Thursday 15 November 2012, and the
            // commissioners elected took office a week later, on 22 November.
            elected_on: ymd!(2012, 11, 15),
            starts_on: ymd!(2012, 11, 22),
            // The term as it stood while this plan was made: it was to run until the
            // holders elected in May 2016 took office on 12 May 2016. (Bob Jones died in
            // office in July 2014, after the last version in this demo; the demo stops
            // in February 2014 and does not model the by-election that followed.)
            ends_on: ymd!(2016, 5, 11),
        }],
    }
}

/// The plan as issued on 28 March 2013.
pub fn plan_2013() -> Plan {
    issued::plan()
}

/// The plan as varied in February 2014: the variation draft sent to the Panel, plus what
/// the Commissioner added having regard to the Panel's report of 14 February 2014.
pub fn plan_2014() -> Plan {
    let mut plan = variation_draft();
    varied::apply_panel_response(&mut plan);
    plan
}

/// The variation draft sent to the Panel for its meeting on 3 February 2014.
fn variation_draft() -> Plan {
    let mut plan = plan_2013();
    varied::apply_draft(&mut plan);
    plan
}

/// One version of the demo plan, before it is numbered into a plan file.
#[derive(Clone, Debug, PartialEq)]
pub struct DemoVersion {
    pub kind: VersionKind,
    pub label: &'static str,
    /// The day it was sent to the Panel, or took effect.
    pub effective_on: NaiveDate,
    pub plan: Plan,
}

/// The plan's versions, oldest first: the 2013 draft sent to the Panel, the plan as
/// issued, the 2014 variation draft sent to the Panel, and the plan as varied.
pub fn history() -> Vec<DemoVersion> {
    vec![
        DemoVersion {
            kind: VersionKind::SentToPanel,
            label: "Draft plan sent to the Panel, February 2013",
            // Illustrative: the seeds say only that the Panel reviewed the draft before issue.
            effective_on: ymd!(2013, 2, 25),
            plan: issued::draft_sent_to_panel(),
        },
        DemoVersion {
            kind: VersionKind::Issued,
            label: "Plan as issued, 28 March 2013",
            // Decision 018/2013, signed 28 March 2013 (seed 001); seed 000 calls it the plan
            // "issued on 28 March 2013".
            effective_on: ymd!(2013, 3, 28),
            plan: plan_2013(),
        },
        DemoVersion {
            kind: VersionKind::VariationDraft,
            label: "Variation draft sent to the Panel, January 2014",
            // Illustrative, and deliberately late: two clear working days before the
            // meeting on 3 February 2014, where five were due (seed 004's complaint).
            effective_on: ymd!(2014, 1, 29),
            plan: variation_draft(),
        },
        DemoVersion {
            kind: VersionKind::Varied,
            label: "Plan as varied, February 2014",
            // Illustrative: after the Panel's report of 14 February 2014 (seed 004).
            effective_on: ymd!(2014, 2, 25),
            plan: plan_2014(),
        },
    ]
}

/// The whole demo as a plan file: the body, the working draft (the plan as varied, the
/// last version) and the four versions, numbered from 1, each hashed and stamped at noon
/// UTC on its effective date.
pub fn plan_file() -> PlanFile {
    PlanFile::new(body(), plan_2014(), numbered(history()))
}

/// Versions numbered from 1 in the order given, each hashed and stamped at noon UTC on
/// its effective date; shared by both bodies' plan files.
pub(crate) fn numbered(history: Vec<DemoVersion>) -> Vec<PlanVersion> {
    history
        .into_iter()
        .enumerate()
        .map(|(index, version)| PlanVersion {
            meta: VersionMeta {
                plan_id: version.plan.id,
                number: VersionNumber(index as u32 + 1),
                kind: version.kind,
                label: version.label.to_string(),
                effective_on: Some(version.effective_on),
                made_at: noon_utc(version.effective_on),
                made_by: MADE_BY.to_string(),
                content_hash: content_hash(&version.plan),
            },
            plan: version.plan,
        })
        .collect()
}

fn noon_utc(date: NaiveDate) -> DateTime<Utc> {
    const NOON: NaiveTime = match NaiveTime::from_hms_opt(12, 0, 0) {
        Some(time) => time,
        None => panic!("12:00:00 is a time of day"),
    };
    date.and_time(NOON).and_utc()
}
