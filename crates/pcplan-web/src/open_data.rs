//! Open data: every record type the public pages publish, as CSV and JSON files, one
//! zip of them all with a README describing every column, and a page that explains
//! them (issue 7).
//!
//! Routes: `GET /open-data` (the page), `GET /open-data.zip` and `GET
//! /open-data/{file}` (one member of the zip: `plan_versions.csv`, `README.md`...) for
//! the site body, and the same under `/bodies/{body}` for any other body.
//!
//! **One table of column specs per file.** Each file is a [`FileSpec`]: its name, what
//! it holds and its [`Column`]s (name, type, meaning, example). The CSV header, the keys
//! of each JSON object, the README's tables and the page's tables are all read from the
//! same spec, and every row is checked against it ([`Table::new`]) before anything is
//! written, so the README cannot disagree with the files.
//!
//! **Only what the public may see**, read through the lookups the public pages use:
//! issued and varied versions of the plan in force (`public::find_body_plan`,
//! `public::load_public_version`); signed decisions only, a confidential one as its
//! public stub (`Decision::notice` without the body); meetings as `/meetings` lists
//! them and papers through `public_meetings::public_papers` (published, not withdrawn,
//! not for an exempt item); Panel reports through `Report::public`, answers only once
//! the response is published; and the themes of public exercises whose "you said, we
//! did" is published, from each open question's latest final theme set, as that page
//! reads them. No answer a respondent wrote is read, only counts.
//!
//! **Reproducible.** The same records give the same bytes: rows in a fixed order, files
//! in a fixed order, every zip entry dated 1980-01-01 00:00 (the earliest date a zip can
//! hold) with fixed permissions and no extra fields, deflated at a fixed level. Nothing
//! in the files depends on the time of the request.
//!
//! Every CSV is written by `pcplan_import::export::Csv` (byte order mark, CRLF, quoting,
//! formula-injection guard); this module writes no CSV of its own. It does not publish
//! anything the pages do not (annual reports, attendance, quotes, staff names) and
//! keeps no copy: each request builds the files from the store.

use std::io::Write as _;

use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::header::{CACHE_CONTROL, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use chrono::NaiveDate;
use pcplan_domain::consultation::{QuestionKind, ThemeOutcome, ThemeSetState};
use pcplan_domain::decision::{DecisionStatus, Notice};
use pcplan_domain::paper::{self, PaperTiming, size_label};
use pcplan_domain::report::EntryKind;
use pcplan_domain::{Body, BodyId, Item, Plan, PlanVersion, Record, RecordKind};
use pcplan_import::export::Csv;
use pcplan_store::{DecisionFilter, Dimension, Store};
use serde::ser::{SerializeMap, Serializer};

use crate::AppState;
use crate::auth::MaybeUser;
use crate::error::PageError;
use crate::public::{PublicPlan, find_body_plan, load_public_version};
use crate::public_meetings::public_papers;
use crate::views::{Layout, Nav, render};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/open-data", get(site_page))
        .route("/open-data.zip", get(site_zip))
        .route("/open-data/{file}", get(site_file))
        .route("/bodies/{body}/open-data", get(body_page))
        .route("/bodies/{body}/open-data.zip", get(body_zip))
        .route("/bodies/{body}/open-data/{file}", get(body_file))
}

/// The licence the files are published under. English and Welsh public bodies publish
/// their information under the Open Government Licence; there is no per-body setting
/// for it, so every body's files carry this statement.
pub const LICENCE: &str = "Open Government Licence v3.0";

/// Where the licence is published.
pub const LICENCE_URL: &str = "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/";

/// The name the zip is downloaded as.
pub const ZIP_NAME: &str = "open-data.zip";

/// The name of the README in the zip.
pub const README_NAME: &str = "README.md";

// ---------------------------------------------------------------------------------------
// Column specs
// ---------------------------------------------------------------------------------------

/// The type of a column's values: how the CSV writes them and what JSON type they are.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ColumnType {
    /// A string in JSON.
    Text,
    /// A whole number (JSON number).
    Integer,
    /// A number that may have decimals (JSON number).
    Number,
    /// `true` or `false` (JSON boolean).
    Boolean,
    /// An ISO 8601 date, `2014-02-25` (a string in JSON).
    Date,
}

impl ColumnType {
    /// The name the README and the page give the type.
    pub fn label(&self) -> &'static str {
        match self {
            ColumnType::Text => "text",
            ColumnType::Integer => "integer",
            ColumnType::Number => "number",
            ColumnType::Boolean => "boolean",
            ColumnType::Date => "date",
        }
    }
}

/// One column of a file.
#[derive(Clone, Copy, Debug)]
pub struct Column {
    pub name: &'static str,
    pub kind: ColumnType,
    pub meaning: &'static str,
    pub example: &'static str,
}

const fn col(name: &'static str, kind: ColumnType, meaning: &'static str, example: &'static str) -> Column {
    Column { name, kind, meaning, example }
}

use ColumnType::{Boolean, Date, Integer, Number, Text};

/// One file of the open data: `{name}.csv` and `{name}.json`.
#[derive(Debug)]
pub struct FileSpec {
    /// `plan_versions`: the file names without their extension.
    pub name: &'static str,
    /// A heading for people: `Versions of the plan`.
    pub title: &'static str,
    /// What a row is and which records are in the file.
    pub about: &'static str,
    pub columns: &'static [Column],
}

impl FileSpec {
    pub fn csv_name(&self) -> String {
        format!("{}.csv", self.name)
    }

    pub fn json_name(&self) -> String {
        format!("{}.json", self.name)
    }

    /// The anchor of the file's column description on the page.
    pub fn anchor(&self) -> String {
        format!("columns-{}", self.name.replace('_', "-"))
    }
}

const VERSION: Column =
    col("version", Integer, "The number of the version of the plan the row belongs to (see plan_versions)", "2");
const ITEM_ID: Column = col(
    "item_id",
    Text,
    "The record's identity, the same in every version of the plan",
    "5eed0000-0000-4000-8000-000000000201",
);
const PARENT_ID: Column = col(
    "parent_id",
    Text,
    "The item_id of the record this one sits under; empty at the top level",
    "5eed0000-0000-4000-8000-000000000101",
);
const SERVES: Column = col(
    "serves",
    Text,
    "The item_ids of the objectives the record serves besides its parent, separated by `;`",
    "5eed0000-0000-4000-8000-000000000206",
);
const ILLUSTRATIVE: Column =
    col("illustrative", Boolean, "True for demonstration content that no real source gave", "false");

pub static PLAN_VERSIONS: FileSpec = FileSpec {
    name: "plan_versions",
    title: "Versions of the plan",
    about: "One row per issued or varied version of the police and crime plan in force. Drafts, drafts sent to the Panel and variation drafts are never published.",
    columns: &[
        col(
            "plan_id",
            Text,
            "The identity of the plan, the same in every version",
            "5eed0000-0000-4000-8000-000000000002",
        ),
        col(
            "version",
            Integer,
            "The version's number; versions are numbered in the order they were made, drafts included, so published numbers can skip",
            "2",
        ),
        col("kind", Text, "`issued` (the plan as issued) or `varied` (the plan as varied)", "issued"),
        col("label", Text, "The name of the version", "Plan as issued, 28 March 2013"),
        col("effective_on", Date, "The day the version took effect", "2013-03-28"),
        col("title", Text, "The plan's title", "Police and Crime Plan 2013-2017"),
        col("starts_on", Date, "The first day the plan has effect", "2013-04-01"),
        col("ends_on", Date, "The last day the plan has effect", "2017-03-31"),
        col("vision", Text, "The vision the objectives serve", "Pride in our Police"),
        col("elements", Integer, "How many records the version holds (its rows in plan_elements)", "214"),
        col(
            "content_hash",
            Text,
            "SHA-256 of the version's content as stored, to check a copy against",
            "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
        ),
        col("url", Text, "The version's page on this site", "/plan/versions/2"),
    ],
};

pub static PLAN_ELEMENTS: FileSpec = FileSpec {
    name: "plan_elements",
    title: "Records of the plan",
    about: "One row per record of every published version, in the order of the plan: objective groups, objectives, priorities, commitments, milestones, measures, resource lines, grants, local plans, action plans, actions and narrative sections. Columns that do not apply to a kind are empty.",
    columns: &[
        VERSION,
        ITEM_ID,
        col(
            "kind",
            Text,
            "objective_group, objective, priority, commitment, milestone, measure, resource, grant, local_plan, action_plan, action or section",
            "objective",
        ),
        PARENT_ID,
        col("position", Integer, "The record's place in the version, counting from 1", "12"),
        SERVES,
        ILLUSTRATIVE,
        col("reference", Text, "An objective's short reference", "A3"),
        col(
            "title",
            Text,
            "The record's name (a resource line's line, a grant's recipient)",
            "Reducing crime and offending",
        ),
        col(
            "description",
            Text,
            "The record's text: a description, summary, definition (measures), purpose (grants), notes (resource lines) or a section's text",
            "We will reduce crime by working with partners",
        ),
        col(
            "owner",
            Text,
            "The person or post accountable for a commitment or action",
            "Assistant Chief Constable (Local Policing)",
        ),
        col("lead_organisation", Text, "The organisation leading a commitment", "West Midlands Police"),
        col("due", Date, "When a milestone or action is due", "2014-03-31"),
        col(
            "status",
            Text,
            "A milestone's or action's status: not_started, on_track, at_risk, late, complete or withdrawn",
            "on_track",
        ),
        col("area_code", Text, "A local plan's local authority area (ONS code)", "E08000025"),
        col("source", Text, "Where an action plan came from", "Victims' Summit, January 2013"),
        col("agreed_on", Date, "When an action plan was agreed", "2013-01-23"),
        col("amount_pence", Integer, "A resource line's or grant's amount in pence", "125000000"),
        col("financial_year", Text, "The financial year of a resource line or grant", "2013/14"),
        col(
            "to_chief_constable",
            Boolean,
            "Whether a resource line is given to the Chief Constable (PRSRA 2011 s.7(1)(c))",
            "true",
        ),
        col(
            "conditions",
            Text,
            "The conditions attached to a grant (PRSRA 2011 s.9(2))",
            "Quarterly monitoring returns",
        ),
        col(
            "statutory_elements",
            Text,
            "The statutory elements (PRSRA 2011 s.7(1)) a section covers, separated by `, `",
            "s.7(1)(a), s.7(1)(b)",
        ),
        col("further_functions", Text, "The further functions a section covers, separated by `, `", "Community safety"),
    ],
};

pub static MEASURES: FileSpec = FileSpec {
    name: "measures",
    title: "Measures",
    about: "One row per measure of every published version: how the Chief Constable's performance is measured (PRSRA 2011 s.7(1)(e)), with its baseline and target or direction.",
    columns: &[
        VERSION,
        ITEM_ID,
        PARENT_ID,
        col("title", Text, "The measure's name", "All recorded crime"),
        col("definition", Text, "What is counted and how", "Recorded crimes of all types, excluding fraud"),
        col("unit", Text, "The unit of its figures", "crimes"),
        col("polarity", Text, "Which way is better: higher_is_better, lower_is_better or neither", "lower_is_better"),
        col("baseline_value", Number, "The starting point the measure is compared with", "125409"),
        col("baseline_period", Text, "The period the baseline covers", "2012/13"),
        col("ambition", Text, "`target` (a numeric target) or `direction` (a direction of travel)", "target"),
        col("target_value", Number, "The target, when there is one", "110000"),
        col("target_by", Date, "When the target is to be met", "2017-03-31"),
        col(
            "direction",
            Text,
            "The direction of travel, when there is no target: increase, reduce or maintain",
            "reduce",
        ),
        col("frequency", Text, "How often figures are reported: monthly, quarterly or annual", "monthly"),
        col("data_source", Text, "Where the figures come from", "police.uk street-level crime"),
        col("by_area", Boolean, "Whether figures are reported for each local authority area", "true"),
        SERVES,
        ILLUSTRATIVE,
    ],
};

pub static OBSERVATIONS: FileSpec = FileSpec {
    name: "observations",
    title: "Figures of the measures",
    about: "One row per figure recorded for a measure of a published version: a period and a place (the whole force area or one of the body's local authority areas).",
    columns: &[
        col("measure_id", Text, "The item_id of the measure (see measures)", "5eed0000-0000-4000-8000-000000000601"),
        col("measure", Text, "The measure's name in the latest version that has it", "All recorded crime"),
        col(
            "period",
            Text,
            "The period of the figure: a month (2014-01), a quarter (2013/14 Q4) or a year (2013/14)",
            "2014-01",
        ),
        col("period_start", Date, "The first day of the period", "2014-01-01"),
        col(
            "area_code",
            Text,
            "The place: empty for the whole force area, else the ONS code of one of the body's areas",
            "E08000025",
        ),
        col("area", Text, "The place's name", "Birmingham"),
        col("value", Number, "The figure", "1234"),
        col("numerator", Integer, "The count behind a share or rate, when given", "412"),
        col("denominator", Integer, "What the count is out of, when given", "1500"),
        col(
            "source",
            Text,
            "How it was recorded: manual (typed in), import (a spreadsheet) or computed (from police.uk crime data)",
            "computed",
        ),
    ],
};

pub static DECISIONS: FileSpec = FileSpec {
    name: "decisions",
    title: "Notices of Decision",
    about: "One row per signed decision. A confidential decision is published as its notice only: number, title, that it is confidential, the exemption relied on and the date; every other column is empty. Drafts and withdrawn drafts are not included.",
    columns: &[
        col("number", Text, "The decision's number in the register", "018/2013"),
        col("title", Text, "The decision's title", "Police and Crime Plan 2013-2017"),
        col("confidential", Boolean, "Whether only the notice of the decision is published", "false"),
        col("exemption", Text, "Why a confidential decision is not published in full", "Commercially sensitive"),
        col("signed_on", Date, "The day it was signed, which is when it was made and published", "2013-03-28"),
        col("signed_by", Text, "Who signed it", "Bob Jones"),
        col("decision_maker", Text, "The office that made the decision", "Police and Crime Commissioner"),
        col("executive_summary", Text, "The executive summary", "The Commissioner issues the plan"),
        col("decision", Text, "The decision itself", "I approve the Police and Crime Plan"),
        col("financial_implications", Text, "Its financial implications", "None beyond the budget"),
        col("legal_implications", Text, "Its legal implications", "PRSRA 2011 s.5"),
        col("equality_implications", Text, "Its equality implications", "An assessment was made"),
        col(
            "plan_version",
            Integer,
            "The version of the plan (see plan_versions) the decision concerns, when it is a published one",
            "2",
        ),
        col("url", Text, "The notice on this site", "/decisions/018-2013"),
    ],
};

pub static MEETINGS: FileSpec = FileSpec {
    name: "meetings",
    title: "Meetings",
    about: "One row per meeting of the Police and Crime Panel and the body's boards, past and to come.",
    columns: &[
        col("meeting_id", Text, "The meeting's identity", "5eed0000-0000-4000-8000-000000000003"),
        col("board", Text, "The board that meets", "West Midlands Police and Crime Panel"),
        col("held_on", Date, "The day of the meeting", "2014-02-03"),
        col("title", Text, "The meeting's title", "Police and Crime Panel: variation to the Police and Crime Plan"),
        col("place", Text, "Where it is held", "Committee Room 6, Council House, Birmingham"),
        col("status", Text, "scheduled, held or cancelled", "held"),
        col("cancelled_because", Text, "Why a cancelled meeting was called off", "Not quorate"),
        col("required_clear_days", Integer, "The clear days before the meeting its papers needed", "5"),
        col("papers_due_on", Date, "The last day the papers could be published in time", "2014-01-24"),
        col("agenda_items", Integer, "How many items the agenda has", "8"),
        col(
            "exempt_items",
            Integer,
            "How many of them are taken in private (LGA 1972 Sch 12A); their papers are not published",
            "1",
        ),
        col("papers", Integer, "How many of its papers are published (rows in papers)", "3"),
        col("minutes", Text, "The minutes, once approved at a later meeting; empty before", "Present: ..."),
        col("url", Text, "The meeting's page on this site", "/meetings/5eed0000-0000-4000-8000-000000000003"),
    ],
};

pub static PAPERS: FileSpec = FileSpec {
    name: "papers",
    title: "Meeting papers",
    about: "One row per published paper of a meeting in meetings. Papers not yet published, withdrawn papers and the papers of exempt agenda items are not included.",
    columns: &[
        col("paper_id", Text, "The paper's identity", "5eed0000-0000-4000-8000-000000000f01"),
        col("meeting_id", Text, "The meeting it is for (see meetings)", "5eed0000-0000-4000-8000-000000000003"),
        col("agenda_item", Text, "The number of the agenda item it belongs to; empty for the meeting as a whole", "3"),
        col("agenda_item_title", Text, "The title of that agenda item", "Variation to the Police and Crime Plan"),
        col("title", Text, "The paper's title", "Agenda"),
        col("type", Text, "pdf, docx or html", "pdf"),
        col("size_bytes", Integer, "The file's size in bytes", "48213"),
        col(
            "sha256",
            Text,
            "SHA-256 of the file, to check a download against",
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        ),
        col("published_on", Date, "The day it was published", "2014-01-29"),
        col(
            "timing",
            Text,
            "on_time, late, after_meeting (published on or after the day of the meeting) or late_urgent (for a late urgent item)",
            "late",
        ),
        col("clear_days", Integer, "The clear days between publication and the meeting, when published before it", "2"),
        col("url", Text, "The file on this site", "/papers/5eed0000-0000-4000-8000-000000000f01"),
    ],
};

pub static PANEL_RECOMMENDATIONS: FileSpec = FileSpec {
    name: "panel_recommendations",
    title: "Panel recommendations",
    about: "One row per recommendation in a report of the Police and Crime Panel, numbered across the report (R1, R2...).",
    columns: &[
        col("report_id", Text, "The report's identity", "5eed0000-0000-4000-8000-000000000e01"),
        col("report", Text, "The report's title", "Report on the proposed variation to the Police and Crime Plan"),
        col("received_on", Date, "The day the report was received", "2014-02-14"),
        col(
            "meeting_id",
            Text,
            "The Panel meeting that made the report (see meetings)",
            "5eed0000-0000-4000-8000-000000000003",
        ),
        col("section", Text, "The heading of the report's section", "Crime Solving / Detection rates"),
        col("number", Text, "The recommendation's number in the report", "R1"),
        col(
            "text",
            Text,
            "The recommendation in the Panel's words",
            "The Panel asked if you could include targets relating to prosecutions",
        ),
        col(
            "response_published",
            Boolean,
            "Whether the Commissioner's response has been published (see panel_responses)",
            "true",
        ),
        col("url", Text, "The report on this site", "/reports/5eed0000-0000-4000-8000-000000000e01"),
    ],
};

pub static PANEL_RESPONSES: FileSpec = FileSpec {
    name: "panel_responses",
    title: "Responses to the Panel's recommendations",
    about: "One row per recommendation the Commissioner's published response answers. Answers being drafted are not included.",
    columns: &[
        col("report_id", Text, "The report (see panel_recommendations)", "5eed0000-0000-4000-8000-000000000e01"),
        col("number", Text, "The recommendation answered", "R1"),
        col("stance", Text, "accepted, partly_accepted, not_accepted or already_addressed", "partly_accepted"),
        col("reasons", Text, "The reasons given", "Targets are set in the performance framework"),
        col(
            "plan_changes",
            Text,
            "The records of the plan the answer added or changed, as `kind: title`, separated by `; `",
            "commitment: Tackle knife crime",
        ),
        col("published_on", Date, "The day the response was published", "2014-02-21"),
        col(
            "url",
            Text,
            "The response document on this site",
            "/reports/5eed0000-0000-4000-8000-000000000e01/response",
        ),
    ],
};

pub static GRANTS: FileSpec = FileSpec {
    name: "grants",
    title: "Crime and disorder reduction grants",
    about: "One row per grant in every published version of the plan (PRSRA 2011 s.7(1)(f) and s.9).",
    columns: &[
        VERSION,
        ITEM_ID,
        col("recipient", Text, "Who receives the grant", "Birmingham Community Safety Partnership"),
        col("purpose", Text, "What it is for", "Reducing burglary"),
        col("amount_pence", Integer, "The amount in pence", "25000000"),
        col("financial_year", Text, "The financial year", "2013/14"),
        col("conditions", Text, "The conditions attached (PRSRA 2011 s.9(2))", "Quarterly monitoring returns"),
        col("decisions", Text, "The numbers of the published decisions about the grant, separated by `; `", "018/2013"),
        SERVES,
        ILLUSTRATIVE,
    ],
};

pub static CONSULTATION_THEMES: FileSpec = FileSpec {
    name: "consultation_themes",
    title: "Consultation themes",
    about: "One row per theme of an open question of a consultation whose \"you said, we did\" is published, from the question's final themes, with how many responses it holds and what it did to the plan. No respondent's words are included.",
    columns: &[
        col("exercise", Text, "The consultation's web address name", "call-for-evidence-2021"),
        col("exercise_title", Text, "The consultation's title", "Police and crime plan call for evidence"),
        col("opens", Date, "The day it opened", "2021-05-13"),
        col("closes", Date, "The day it closed", "2021-07-02"),
        col("published_on", Date, "The day \"you said, we did\" was published", "2021-09-01"),
        col("question_number", Integer, "The question's number", "1"),
        col("question", Text, "The question", "What should the plan focus on?"),
        col("answered", Integer, "How many responses answered the question", "329"),
        col("theme_position", Integer, "The theme's place in the question's themes, counting from 1", "1"),
        col("theme", Text, "The theme's name", "Visible policing"),
        col("description", Text, "What the theme covers", "Patrols and officers people can see"),
        col("responses", Integer, "How many responses are in the theme", "84"),
        col("share_percent", Integer, "responses as a whole percentage of answered, rounded half up", "26"),
        col(
            "outcome",
            Text,
            "shaped (it shaped the plan), not_changed (the plan did not change) or undecided",
            "shaped",
        ),
        col(
            "outcome_text",
            Text,
            "What was done, or why the plan did not change",
            "Neighbourhood patrols are a priority",
        ),
        col(
            "plan_items",
            Text,
            "The item_ids of the records of the plan in force it shaped, separated by `;`",
            "5eed0000-0000-4000-8000-000000000301",
        ),
        col("url", Text, "\"You said, we did\" on this site", "/consultations/call-for-evidence-2021/you-said-we-did"),
    ],
};

/// Every file, in the order of the zip, the README and the page.
pub static FILES: [&FileSpec; 11] = [
    &PLAN_VERSIONS,
    &PLAN_ELEMENTS,
    &MEASURES,
    &OBSERVATIONS,
    &DECISIONS,
    &MEETINGS,
    &PAPERS,
    &PANEL_RECOMMENDATIONS,
    &PANEL_RESPONSES,
    &GRANTS,
    &CONSULTATION_THEMES,
];

// ---------------------------------------------------------------------------------------
// Cells, rows and tables
// ---------------------------------------------------------------------------------------

/// One value of a row. `Empty` is an empty CSV cell and `null` in JSON.
#[derive(Clone, Debug, PartialEq)]
pub enum Cell {
    Empty,
    Text(String),
    Integer(i64),
    Number(f64),
    Boolean(bool),
    Date(NaiveDate),
}

impl Cell {
    fn fits(&self, kind: ColumnType) -> bool {
        matches!(
            (self, kind),
            (Cell::Empty, _)
                | (Cell::Text(_), Text)
                | (Cell::Integer(_), Integer)
                | (Cell::Number(_), Number)
                | (Cell::Boolean(_), Boolean)
                | (Cell::Date(_), Date)
        )
    }

    fn kind_name(&self) -> &'static str {
        match self {
            Cell::Empty => "empty",
            Cell::Text(_) => "text",
            Cell::Integer(_) => "an integer",
            Cell::Number(_) => "a number",
            Cell::Boolean(_) => "a boolean",
            Cell::Date(_) => "a date",
        }
    }

    /// The cell as the CSV writes it (before the formula guard).
    fn csv_text(&self) -> String {
        match self {
            Cell::Empty => String::new(),
            Cell::Text(text) => text.clone(),
            Cell::Integer(n) => n.to_string(),
            // Rust's shortest form that reads back as the same number: `12.5`, `1234`.
            Cell::Number(x) => x.to_string(),
            Cell::Boolean(b) => b.to_string(),
            Cell::Date(d) => d.format("%Y-%m-%d").to_string(),
        }
    }
}

impl From<&str> for Cell {
    fn from(text: &str) -> Cell {
        Cell::Text(text.to_string())
    }
}

impl From<String> for Cell {
    fn from(text: String) -> Cell {
        Cell::Text(text)
    }
}

impl From<&String> for Cell {
    fn from(text: &String) -> Cell {
        Cell::Text(text.clone())
    }
}

impl From<i64> for Cell {
    fn from(n: i64) -> Cell {
        Cell::Integer(n)
    }
}

impl From<u32> for Cell {
    fn from(n: u32) -> Cell {
        Cell::Integer(i64::from(n))
    }
}

impl From<usize> for Cell {
    fn from(n: usize) -> Cell {
        // A count of records: far below i64::MAX.
        Cell::Integer(i64::try_from(n).unwrap_or(i64::MAX))
    }
}

impl From<f64> for Cell {
    fn from(x: f64) -> Cell {
        Cell::Number(x)
    }
}

impl From<bool> for Cell {
    fn from(b: bool) -> Cell {
        Cell::Boolean(b)
    }
}

impl From<NaiveDate> for Cell {
    fn from(d: NaiveDate) -> Cell {
        Cell::Date(d)
    }
}

impl<T: Into<Cell>> From<Option<T>> for Cell {
    fn from(value: Option<T>) -> Cell {
        value.map_or(Cell::Empty, Into::into)
    }
}

/// A file's rows, checked against its spec.
#[derive(Debug)]
pub struct Table {
    pub spec: &'static FileSpec,
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    /// Refuses rows whose length or cell types disagree with the spec, naming the file,
    /// row and column: a writer that drifted from its spec is a bug to fix here, never
    /// a file to publish.
    pub fn new(spec: &'static FileSpec, rows: Vec<Vec<Cell>>) -> Result<Table, PageError> {
        for (index, row) in rows.iter().enumerate() {
            if row.len() != spec.columns.len() {
                return Err(PageError::Internal(format!(
                    "open data {}: row {} has {} cells where the spec has {} columns; make the writer follow the spec",
                    spec.csv_name(),
                    index + 1,
                    row.len(),
                    spec.columns.len()
                )));
            }
            for (cell, column) in row.iter().zip(spec.columns) {
                if !cell.fits(column.kind) {
                    return Err(PageError::Internal(format!(
                        "open data {}: row {} column `{}` is {} where the spec says {}; make the writer follow the spec",
                        spec.csv_name(),
                        index + 1,
                        column.name,
                        cell.kind_name(),
                        column.kind.label()
                    )));
                }
            }
        }
        Ok(Table { spec, rows })
    }

    /// The CSV file: a header of the column names, then one line per row.
    pub fn csv(&self) -> String {
        let mut csv = Csv::new();
        csv.row(self.spec.columns.iter().map(|c| c.name));
        for row in &self.rows {
            csv.row(row.iter().map(Cell::csv_text));
        }
        csv.finish()
    }

    /// The JSON file: an array of objects, one per row and one per line, keys in the
    /// order of the CSV's columns.
    pub fn json(&self) -> Result<String, PageError> {
        let mut lines = Vec::with_capacity(self.rows.len());
        for row in &self.rows {
            let object = JsonRow { columns: self.spec.columns, cells: row };
            lines.push(serde_json::to_string(&object).map_err(|e| {
                PageError::Internal(format!("open data {}: a row did not serialise: {e}", self.spec.json_name()))
            })?);
        }
        Ok(if lines.is_empty() { String::from("[]\n") } else { format!("[\n{}\n]\n", lines.join(",\n")) })
    }
}

/// A row as a JSON object with its keys in column order (a `serde_json::Map` would sort
/// them).
struct JsonRow<'a> {
    columns: &'a [Column],
    cells: &'a [Cell],
}

impl serde::Serialize for JsonRow<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.columns.len()))?;
        for (column, cell) in self.columns.iter().zip(self.cells) {
            match cell {
                Cell::Empty => map.serialize_entry(column.name, &())?,
                Cell::Text(text) => map.serialize_entry(column.name, text)?,
                Cell::Integer(n) => map.serialize_entry(column.name, n)?,
                Cell::Number(x) => map.serialize_entry(column.name, x)?,
                Cell::Boolean(b) => map.serialize_entry(column.name, b)?,
                Cell::Date(d) => map.serialize_entry(column.name, &d.format("%Y-%m-%d").to_string())?,
            }
        }
        map.end()
    }
}

// ---------------------------------------------------------------------------------------
// Gathering what the public may see
// ---------------------------------------------------------------------------------------

/// One body's open data, every table built.
pub struct OpenData {
    /// The body's name; empty when the site has no body yet.
    pub body_name: String,
    /// Where the body's pages start: `""` for the site body, `/bodies/{id}` otherwise.
    pub base: String,
    /// One table per spec of [`FILES`], in that order.
    pub tables: Vec<Table>,
}

/// Joins ids or labels with a separator.
fn joined<I: IntoIterator<Item = S>, S: ToString>(values: I, separator: &str) -> String {
    values.into_iter().map(|v| v.to_string()).collect::<Vec<_>>().join(separator)
}

/// Links on this site: absolute when the public address is configured.
struct Links {
    site: String,
}

impl Links {
    fn to(&self, path: &str) -> Cell {
        Cell::Text(format!("{}{path}", self.site))
    }
}

impl OpenData {
    /// Builds every table for `body` (none: the site has no body yet, and every file is
    /// its header alone).
    pub async fn gather(state: &AppState, body: Option<&Body>) -> Result<OpenData, PageError> {
        let store = &state.store;
        let links =
            Links { site: state.config.public_base_url.as_deref().unwrap_or("").trim_end_matches('/').to_string() };
        let Some(body) = body else {
            let tables = FILES.iter().map(|spec| Table::new(spec, Vec::new())).collect::<Result<_, _>>()?;
            return Ok(OpenData { body_name: String::new(), base: String::new(), tables });
        };
        let base =
            if store.site_body().await? == Some(body.id) { String::new() } else { format!("/bodies/{}", body.id) };
        let public = find_body_plan(store, body.id).await?;
        let mut versions: Vec<PlanVersion> = Vec::new();
        if let Some(public) = &public {
            for meta in &public.versions {
                if let Some(version) = load_public_version(store, public, meta.number).await? {
                    versions.push(version);
                }
            }
        }
        versions.sort_by_key(|v| v.meta.number);
        let decisions = store
            .decisions(&DecisionFilter {
                body: Some(body.id),
                statuses: vec![DecisionStatus::Signed],
                ..Default::default()
            })
            .await?;
        let mut decisions: Vec<_> = decisions.into_iter().filter(|d| d.is_published()).collect();
        decisions.sort_by_key(|d| d.number);

        let mut tables = vec![
            Table::new(&PLAN_VERSIONS, plan_versions(&versions, &base, &links))?,
            Table::new(&PLAN_ELEMENTS, plan_elements(&versions))?,
            Table::new(&MEASURES, measures(&versions))?,
            Table::new(&OBSERVATIONS, observations(store, body, &versions).await?)?,
            Table::new(&DECISIONS, decision_rows(&decisions, body, public.as_ref(), &links))?,
        ];
        let (meetings, papers) = meetings_and_papers(store, body, &links).await?;
        tables.push(Table::new(&MEETINGS, meetings)?);
        tables.push(Table::new(&PAPERS, papers)?);
        let (recommendations, responses) = panel_rows(store, body, &links).await?;
        tables.push(Table::new(&PANEL_RECOMMENDATIONS, recommendations)?);
        tables.push(Table::new(&PANEL_RESPONSES, responses)?);
        tables.push(Table::new(&GRANTS, grants(&versions, &decisions))?);
        let current = versions.last().map(|v| &v.plan);
        tables.push(Table::new(&CONSULTATION_THEMES, consultation_themes(store, body, current, &links).await?)?);
        Ok(OpenData { body_name: body.name.clone(), base, tables })
    }

    /// Every member of the zip, in order: the README, then each file's CSV and JSON.
    pub fn files(&self) -> Result<Vec<(String, Vec<u8>)>, PageError> {
        let mut files = vec![(README_NAME.to_string(), self.readme().into_bytes())];
        for table in &self.tables {
            files.push((table.spec.csv_name(), table.csv().into_bytes()));
            files.push((table.spec.json_name(), table.json()?.into_bytes()));
        }
        Ok(files)
    }

    /// The zip of [`OpenData::files`], byte for byte the same for the same records.
    pub fn zip(&self) -> Result<Vec<u8>, PageError> {
        zip_files(&self.files()?)
    }

    /// The README: the licence, the format, and every file's columns from its spec.
    pub fn readme(&self) -> String {
        let who = if self.body_name.is_empty() { String::from("the policing body") } else { self.body_name.clone() };
        let mut text = String::new();
        text.push_str(&format!("# Open data: {who}\n\n"));
        text.push_str(&format!(
            "What {who} publishes on its website, as data: the police and crime plan, its measures and their \
             figures, Notices of Decision, meetings and their papers, the Police and Crime Panel's \
             recommendations and the responses to them, crime and disorder reduction grants, and the themes \
             of consultations. Only what the website's public pages show is included.\n\n"
        ));
        text.push_str("## Licence\n\n");
        text.push_str(&format!(
            "{who} publishes these files under the {LICENCE} ({LICENCE_URL}). You may copy, publish, adapt \
             and use them, also commercially, if you acknowledge the source. Records marked `illustrative` are \
             demonstration content, not the body's own.\n\n"
        ));
        text.push_str("## Format\n\n");
        text.push_str(
            "Each file comes as CSV and as JSON with the same columns. CSV files are UTF-8 with a byte order \
             mark, comma separated, with CRLF line ends, quoted where a cell holds a comma, quote or line break \
             (RFC 4180), and a header row of the column names. A text cell that starts with `=`, `+`, `-` or \
             `@` has a `'` in front in the CSV, so a spreadsheet shows it as text rather than running it as a \
             formula; the JSON has the exact text. JSON files are an array of objects, one per row, with the \
             CSV's column names as keys; integers and numbers are JSON numbers, booleans are `true` or `false`, \
             dates are ISO 8601 (`2014-02-25`) and an empty cell is `null`. Identities (`..._id`) are UUIDs \
             that stay the same from one download to the next.\n\n",
        );
        text.push_str("## Files\n\n");
        for table in &self.tables {
            let spec = table.spec;
            let rows = match table.rows.len() {
                1 => String::from("1 row"),
                n => format!("{n} rows"),
            };
            text.push_str(&format!("- `{}` and `{}`: {} ({rows})\n", spec.csv_name(), spec.json_name(), spec.title));
        }
        text.push('\n');
        for table in &self.tables {
            let spec = table.spec;
            text.push_str(&format!("## {}: {}\n\n", spec.name, spec.title));
            text.push_str(&format!("Files `{}` and `{}`. {}\n\n", spec.csv_name(), spec.json_name(), spec.about));
            text.push_str("| Column | Type | Meaning | Example |\n");
            text.push_str("| --- | --- | --- | --- |\n");
            for column in spec.columns {
                text.push_str(&format!(
                    "| `{}` | {} | {} | {} |\n",
                    column.name,
                    column.kind.label(),
                    markdown_cell(column.meaning),
                    markdown_cell(column.example)
                ));
            }
            text.push('\n');
        }
        text.push_str(
            "## Reproducibility\n\nThe same records always give the same files and the same zip, byte for byte: \
             rows and files are in a fixed order and every file in the zip is dated 1 January 1980.\n",
        );
        text
    }
}

/// Text fit for a Markdown table cell.
fn markdown_cell(text: &str) -> String {
    text.replace('|', "\\|").replace(['\r', '\n'], " ")
}

/// Writes the zip: fixed order, fixed date, fixed permissions, fixed compression level,
/// no extra fields.
pub fn zip_files(files: &[(String, Vec<u8>)]) -> Result<Vec<u8>, PageError> {
    let failed = |e: &dyn std::fmt::Display| PageError::Internal(format!("writing the open data zip: {e}"));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .compression_level(Some(9))
        .last_modified_time(zip::DateTime::default())
        .unix_permissions(0o644)
        .system(zip::System::Unix);
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in files {
        writer.start_file(name.as_str(), options).map_err(|e| failed(&e))?;
        writer.write_all(bytes).map_err(|e| failed(&e))?;
    }
    Ok(writer.finish().map_err(|e| failed(&e))?.into_inner())
}

fn plan_versions(versions: &[PlanVersion], base: &str, links: &Links) -> Vec<Vec<Cell>> {
    versions
        .iter()
        .map(|v| {
            vec![
                v.meta.plan_id.to_string().into(),
                v.meta.number.0.into(),
                v.meta.kind.as_str().into(),
                (&v.meta.label).into(),
                v.meta.effective_on.into(),
                (&v.plan.title).into(),
                v.plan.starts_on.into(),
                v.plan.ends_on.into(),
                (&v.plan.vision).into(),
                v.plan.items.len().into(),
                (&v.meta.content_hash).into(),
                links.to(&format!("{base}/plan/versions/{}", v.meta.number)),
            ]
        })
        .collect()
}

fn parent(item: &Item) -> Cell {
    item.parent.map(|p| p.to_string()).into()
}

fn serves(item: &Item) -> Cell {
    joined(&item.serves, ";").into()
}

fn plan_elements(versions: &[PlanVersion]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for version in versions {
        for (index, item) in version.plan.items.iter().enumerate() {
            rows.push(element_row(version.meta.number.0, index + 1, item));
        }
    }
    rows
}

/// One record as a row of `plan_elements`; the columns a kind lacks stay empty.
fn element_row(version: u32, position: usize, item: &Item) -> Vec<Cell> {
    let mut reference = Cell::Empty;
    let mut description = Cell::Empty;
    let (mut owner, mut lead, mut due, mut status, mut area, mut source, mut agreed) =
        (Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty);
    let (mut amount, mut year, mut to_chief, mut conditions, mut elements, mut functions) =
        (Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty, Cell::Empty);
    match &item.record {
        Record::ObjectiveGroup(r) => description = (&r.summary).into(),
        Record::Objective(r) => {
            reference = (&r.reference).into();
            description = (&r.description).into();
        }
        Record::Priority(r) => description = (&r.description).into(),
        Record::Commitment(r) => {
            description = (&r.description).into();
            owner = (&r.owner).into();
            lead = (&r.lead_organisation).into();
        }
        Record::Milestone(r) => {
            due = r.due.into();
            status = r.status.as_str().into();
        }
        Record::Measure(r) => description = (&r.definition).into(),
        Record::Resource(r) => {
            description = (&r.notes).into();
            amount = r.amount.0.into();
            year = r.financial_year.to_string().into();
            to_chief = r.to_chief_constable.into();
        }
        Record::Grant(r) => {
            description = (&r.purpose).into();
            amount = r.amount.0.into();
            year = r.financial_year.to_string().into();
            conditions = (&r.conditions).into();
        }
        Record::LocalPlan(r) => {
            description = (&r.summary).into();
            area = (&r.area).into();
        }
        Record::ActionPlan(r) => {
            source = (&r.source).into();
            agreed = r.agreed_on.into();
        }
        Record::Action(r) => {
            owner = (&r.owner).into();
            due = r.due.into();
            status = r.status.as_str().into();
        }
        Record::Section(r) => {
            description = (&r.text).into();
            elements = joined(r.elements.iter().map(|e| e.reference()), ", ").into();
            functions = joined(r.functions.iter().map(|f| f.label()), ", ").into();
        }
    }
    vec![
        version.into(),
        item.id.to_string().into(),
        item.record.kind().as_str().into(),
        parent(item),
        position.into(),
        serves(item),
        item.illustrative.into(),
        reference,
        item.record.title().into(),
        description,
        owner,
        lead,
        due,
        status,
        area,
        source,
        agreed,
        amount,
        year,
        to_chief,
        conditions,
        elements,
        functions,
    ]
}

fn measures(versions: &[PlanVersion]) -> Vec<Vec<Cell>> {
    use pcplan_domain::plan::Ambition;
    let mut rows = Vec::new();
    for version in versions {
        for item in version.plan.of_kind(RecordKind::Measure) {
            let Record::Measure(m) = &item.record else { continue };
            let (ambition, target, by, direction) = match &m.ambition {
                Ambition::Target { value, by } => ("target", Cell::from(*value), Cell::from(*by), Cell::Empty),
                Ambition::Direction { direction } => ("direction", Cell::Empty, Cell::Empty, direction.as_str().into()),
            };
            rows.push(vec![
                version.meta.number.0.into(),
                item.id.to_string().into(),
                parent(item),
                (&m.title).into(),
                (&m.definition).into(),
                (&m.unit).into(),
                m.polarity.as_str().into(),
                m.baseline.as_ref().map(|b| b.value).into(),
                m.baseline.as_ref().map(|b| b.period.clone()).into(),
                ambition.into(),
                target,
                by,
                direction,
                m.frequency.as_str().into(),
                (&m.data_source).into(),
                m.by_area.into(),
                serves(item),
                item.illustrative.into(),
            ]);
        }
    }
    rows
}

async fn observations(store: &Store, body: &Body, versions: &[PlanVersion]) -> Result<Vec<Vec<Cell>>, PageError> {
    // The measures of the published versions, named as the latest version names them.
    let mut names = std::collections::BTreeMap::new();
    for version in versions {
        for item in version.plan.of_kind(RecordKind::Measure) {
            names.insert(item.id, item.record.title().to_string());
        }
    }
    if names.is_empty() {
        return Ok(Vec::new());
    }
    // The places the public pages show: the whole force area and the body's own areas.
    // Peers' figures are other forces' numbers typed in for comparison on the staff
    // pages; the public workbook leaves them out too (`workbook.rs`).
    let area_name = |code: &str| -> String {
        if code.is_empty() {
            return String::from("Whole force area");
        }
        body.area(code).map_or_else(|| code.to_string(), |area| area.name.clone())
    };
    let mut found: Vec<_> = store
        .body_observations(body.id)
        .await?
        .into_iter()
        .filter(|o| names.contains_key(&o.measure_id))
        .filter(|o| o.area_code.is_empty() || body.area(&o.area_code).is_some())
        .collect();
    found.sort_by(|a, b| {
        (a.measure_id.to_string(), a.period_start, &a.period, &a.area_code).cmp(&(
            b.measure_id.to_string(),
            b.period_start,
            &b.period,
            &b.area_code,
        ))
    });
    Ok(found
        .iter()
        .map(|o| {
            vec![
                o.measure_id.to_string().into(),
                names.get(&o.measure_id).cloned().unwrap_or_default().into(),
                (&o.period).into(),
                o.period_start.into(),
                (&o.area_code).into(),
                area_name(&o.area_code).into(),
                o.value.into(),
                o.numerator.into(),
                o.denominator.into(),
                o.source.as_str().into(),
            ]
        })
        .collect())
}

fn decision_rows(
    decisions: &[pcplan_domain::decision::Decision],
    body: &Body,
    public: Option<&PublicPlan>,
    links: &Links,
) -> Vec<Vec<Cell>> {
    decisions
        .iter()
        .map(|d| {
            // The public notice decides what may be shown: the stub of a confidential
            // decision, exactly as the public register builds it.
            let notice: Notice = d.notice(&body.name, false);
            let signed_on: Cell = d.published_on().into();
            let url = links.to(&format!("/decisions/{}", d.number.slug()));
            if notice.stub {
                let mut row = vec![Cell::Empty; DECISIONS.columns.len()];
                row[0] = d.number.to_string().into();
                row[1] = (&notice.title).into();
                row[2] = true.into();
                row[3] = (&notice.exemption).into();
                row[4] = signed_on;
                row[13] = url;
                return row;
            }
            let c = &d.content;
            let plan_version: Cell = c
                .plan
                .filter(|link| {
                    public.is_some_and(|p| p.plan_id == link.plan && p.public_version(link.version).is_some())
                })
                .map(|link| link.version.0)
                .into();
            vec![
                d.number.to_string().into(),
                (&c.title).into(),
                false.into(),
                Cell::Empty,
                signed_on,
                d.signature.as_ref().map(|s| s.signed_by.clone()).into(),
                (&c.decision_maker.office).into(),
                (&c.executive_summary).into(),
                (&c.decision).into(),
                (&c.financial_implications).into(),
                (&c.legal_implications).into(),
                (&c.equality_implications).into(),
                plan_version,
                url,
            ]
        })
        .collect()
}

type Rows = Vec<Vec<Cell>>;

async fn meetings_and_papers(store: &Store, body: &Body, links: &Links) -> Result<(Rows, Rows), PageError> {
    let calendar = store.calendar().await?;
    let mut meetings = Vec::new();
    let mut listed = Vec::new();
    // As `/meetings` lists them: every board's meetings.
    for board in store.boards(Some(body.id)).await? {
        for meeting in store.board_meetings(board.id).await? {
            listed.push((board.name.clone(), meeting));
        }
    }
    listed.sort_by_key(|(_, m)| (m.held_on, m.id.to_string()));
    let mut papers = Vec::new();
    for (board, meeting) in &listed {
        let mut public = public_papers(meeting, store.papers(meeting.id).await?);
        public.sort_by_key(|p| (p.published_on, p.id.to_string()));
        for p in &public {
            let timing = paper::timing(p, meeting, &calendar)
                .map_err(|e| PageError::Internal(format!("open data: timing of paper {}: {e}", p.id)))?;
            let (timing, clear_days) = match timing {
                PaperTiming::OnTime { clear_days, .. } => ("on_time", Some(clear_days)),
                PaperTiming::Late { clear_days, .. } => ("late", Some(clear_days)),
                PaperTiming::AfterMeeting => ("after_meeting", None),
                PaperTiming::LateUrgent { .. } => ("late_urgent", None),
                // `public_papers` let through only published papers, never these.
                PaperTiming::Draft | PaperTiming::Withdrawn => continue,
            };
            let item = p.agenda_item.as_deref().and_then(|n| meeting.agenda_item(n));
            papers.push(vec![
                p.id.to_string().into(),
                meeting.id.to_string().into(),
                p.agenda_item.clone().into(),
                item.map(|i| i.title.clone()).into(),
                (&p.title).into(),
                p.kind.as_str().into(),
                i64::try_from(p.size_bytes).unwrap_or(i64::MAX).into(),
                (&p.sha256).into(),
                p.published_on.into(),
                timing.into(),
                clear_days.into(),
                links.to(&format!("/papers/{}", p.id)),
            ]);
        }
        let cancelled_because = match &meeting.status {
            pcplan_domain::meeting::MeetingStatus::Cancelled { reason } => Cell::from(reason),
            _ => Cell::Empty,
        };
        // Minutes are public once approved at a later meeting, as on the meeting's page.
        let minutes = meeting.minutes.as_ref().filter(|m| m.approved_at.is_some()).map(|m| m.text.clone());
        meetings.push(vec![
            meeting.id.to_string().into(),
            board.into(),
            meeting.held_on.into(),
            (&meeting.title).into(),
            (&meeting.place).into(),
            meeting.status.as_str().into(),
            cancelled_because,
            meeting.required_clear_days.into(),
            meeting.papers_due_on.into(),
            meeting.agenda.len().into(),
            meeting.agenda.iter().filter(|i| i.exempt.is_some()).count().into(),
            public.len().into(),
            minutes.into(),
            links.to(&format!("/meetings/{}", meeting.id)),
        ]);
    }
    Ok((meetings, papers))
}

async fn panel_rows(store: &Store, body: &Body, links: &Links) -> Result<(Rows, Rows), PageError> {
    let mut reports = Vec::new();
    for report in store.reports().await? {
        // A report belongs to the body of the meeting that made it.
        let belongs = store.meeting(report.meeting_id).await?.is_some_and(|m| m.body_id == body.id);
        if belongs {
            reports.push(report.public());
        }
    }
    reports.sort_by_key(|r| (r.received_on, r.id.to_string()));
    let mut recommendations = Vec::new();
    let mut responses = Vec::new();
    for report in &reports {
        let url = links.to(&crate::public_reports::public_path(report.id));
        for section in &report.sections {
            for entry in section.entries.iter().filter(|e| e.kind == EntryKind::Recommendation) {
                let number = entry.number.clone().unwrap_or_default();
                recommendations.push(vec![
                    report.id.to_string().into(),
                    (&report.title).into(),
                    report.received_on.into(),
                    report.meeting_id.to_string().into(),
                    (&section.heading).into(),
                    (&number).into(),
                    (&entry.text).into(),
                    report.response_published_on.is_some().into(),
                    url.clone(),
                ]);
                // `Report::public` carries an answer only once the response is published.
                if let (Some(answer), Some(on)) = (&entry.answer, report.response_published_on) {
                    responses.push(vec![
                        report.id.to_string().into(),
                        number.into(),
                        answer.stance.as_str().into(),
                        (&answer.reasons).into(),
                        joined(answer.changes.iter().map(|c| format!("{}: {}", c.kind.as_str(), c.title)), "; ").into(),
                        on.into(),
                        links.to(&format!("{}/response", crate::public_reports::public_path(report.id))),
                    ]);
                }
            }
        }
    }
    Ok((recommendations, responses))
}

fn grants(versions: &[PlanVersion], decisions: &[pcplan_domain::decision::Decision]) -> Vec<Vec<Cell>> {
    let mut rows = Vec::new();
    for version in versions {
        for item in version.plan.of_kind(RecordKind::Grant) {
            let Record::Grant(g) = &item.record else { continue };
            // Only decisions published in full say which grants they concern.
            let about = decisions
                .iter()
                .filter(|d| !d.content.confidentiality.is_confidential() && d.content.grants.contains(&item.id))
                .map(|d| d.number.to_string());
            rows.push(vec![
                version.meta.number.0.into(),
                item.id.to_string().into(),
                (&g.recipient).into(),
                (&g.purpose).into(),
                g.amount.0.into(),
                g.financial_year.to_string().into(),
                (&g.conditions).into(),
                joined(about, "; ").into(),
                serves(item),
                item.illustrative.into(),
            ]);
        }
    }
    rows
}

/// A whole percentage rounded half up, as "you said, we did" shows a theme's share.
fn share_percent(size: i64, of: i64) -> Cell {
    if of <= 0 { Cell::Empty } else { Cell::Integer((size * 100 + of / 2) / of) }
}

async fn consultation_themes(
    store: &Store,
    body: &Body,
    current: Option<&Plan>,
    links: &Links,
) -> Result<Vec<Vec<Cell>>, PageError> {
    let mut rows = Vec::new();
    let mut exercises: Vec<_> = store
        .exercises(Some(body.id))
        .await?
        .into_iter()
        .filter(|e| e.public_at.is_some() && e.published_at.is_some())
        .collect();
    exercises.sort_by(|a, b| (a.content.opens, &a.content.slug).cmp(&(b.content.opens, &b.content.slug)));
    for exercise in &exercises {
        let Some(published_at) = exercise.published_at else { continue };
        let mut questions = store.questions(exercise.id).await?;
        questions.sort_by_key(|q| q.content.number);
        for question in questions.iter().filter(|q| q.content.kind == QuestionKind::Open) {
            // The latest final set, as "you said, we did" reads it (newest first).
            let latest_final =
                store.theme_sets(question.id).await?.into_iter().find(|s| s.state == ThemeSetState::Final);
            let Some(set) = latest_final else { continue };
            let Some((_, themes)) = store.theme_set(set.id).await? else { continue };
            // The breakdown's column totals count the responses that answered, without
            // reading an answer.
            let (_, totals) = store.theme_breakdown(set.id, Dimension::Channel).await?;
            let answered: i64 = totals.iter().map(|(_, n)| n).sum();
            for (index, theme) in themes.iter().enumerate() {
                let (outcome, text, items) = match &theme.outcome {
                    Some(ThemeOutcome::Shaped { items, note }) => {
                        // Only records of the plan in force, as the page links them.
                        let shown = items.iter().filter(|id| current.is_some_and(|p| p.item(**id).is_some()));
                        ("shaped", note.clone(), joined(shown, ";"))
                    }
                    Some(ThemeOutcome::NotChanged { reason }) => ("not_changed", reason.clone(), String::new()),
                    None => ("undecided", String::new(), String::new()),
                };
                rows.push(vec![
                    (&exercise.content.slug).into(),
                    (&exercise.content.title).into(),
                    exercise.content.opens.into(),
                    exercise.content.closes.into(),
                    published_at.date_naive().into(),
                    question.content.number.into(),
                    (&question.content.text).into(),
                    answered.into(),
                    (index + 1).into(),
                    (&theme.label).into(),
                    (&theme.description).into(),
                    theme.size.into(),
                    share_percent(theme.size, answered),
                    outcome.into(),
                    text.into(),
                    items.into(),
                    links.to(&format!("/consultations/{}/you-said-we-did", exercise.content.slug)),
                ]);
            }
        }
    }
    Ok(rows)
}

// ---------------------------------------------------------------------------------------
// Routes
// ---------------------------------------------------------------------------------------

/// The site body, if one is stored.
async fn site_body(store: &Store) -> Result<Option<Body>, PageError> {
    match store.site_body().await? {
        Some(id) => Ok(store.body(id).await?),
        None => Ok(None),
    }
}

/// The body named in a `/bodies/{id}` path; a 404 for anything else.
async fn named_body(store: &Store, raw: &str) -> Result<Body, PageError> {
    let id: BodyId = raw.parse().map_err(|_| PageError::NotFound)?;
    store.body(id).await?.ok_or(PageError::NotFound)
}

/// One column on the page.
struct ColumnView {
    name: &'static str,
    kind: &'static str,
    meaning: String,
    example: &'static str,
}

/// One file on the page.
struct FileView {
    title: &'static str,
    about: &'static str,
    csv: String,
    json: String,
    rows: usize,
    anchor: String,
    columns: Vec<ColumnView>,
}

#[derive(Template)]
#[template(path = "public/open_data.html")]
struct OpenDataPage {
    layout: Layout,
    body_name: String,
    base: String,
    licence: &'static str,
    licence_url: &'static str,
    zip_size: String,
    zip_name: &'static str,
    readme: &'static str,
    files: Vec<FileView>,
}

async fn page(state: &AppState, body: Option<Body>, user: Option<&pcplan_store::User>) -> Result<Response, PageError> {
    let data = OpenData::gather(state, body.as_ref()).await?;
    let zip = data.zip()?;
    let files = data
        .tables
        .iter()
        .map(|t| FileView {
            title: t.spec.title,
            about: t.spec.about,
            csv: t.spec.csv_name(),
            json: t.spec.json_name(),
            rows: t.rows.len(),
            anchor: t.spec.anchor(),
            columns: t
                .spec
                .columns
                .iter()
                .map(|c| ColumnView {
                    name: c.name,
                    kind: c.kind.label(),
                    // The README's Markdown marks names with backticks; the page shows them plainly.
                    meaning: c.meaning.replace('`', ""),
                    example: c.example,
                })
                .collect(),
        })
        .collect();
    render(&OpenDataPage {
        layout: Layout::new("Open data", user, Nav::None),
        body_name: data.body_name.clone(),
        base: data.base.clone(),
        licence: LICENCE,
        licence_url: LICENCE_URL,
        zip_size: size_label(zip.len() as u64),
        zip_name: ZIP_NAME,
        readme: README_NAME,
        files,
    })
}

/// A download: its type by extension, saved under its own name.
fn download(name: &str, bytes: Vec<u8>) -> Response {
    let content_type = match name.rsplit_once('.').map(|(_, ext)| ext) {
        Some("csv") => "text/csv; charset=utf-8",
        Some("json") => "application/json",
        Some("md") => "text/markdown; charset=utf-8",
        _ => "application/zip",
    };
    (
        [
            (CONTENT_TYPE, content_type.to_string()),
            (CONTENT_DISPOSITION, format!("attachment; filename=\"{name}\"")),
            (CACHE_CONTROL, String::from("public, max-age=300")),
        ],
        bytes,
    )
        .into_response()
}

async fn zip_response(state: &AppState, body: Option<Body>) -> Result<Response, PageError> {
    let data = OpenData::gather(state, body.as_ref()).await?;
    Ok(download(ZIP_NAME, data.zip()?))
}

async fn file_response(state: &AppState, body: Option<Body>, file: &str) -> Result<Response, PageError> {
    // Only the names of the zip's members: anything else is not found, before any work.
    let known = file == README_NAME || FILES.iter().any(|s| file == s.csv_name() || file == s.json_name());
    if !known {
        return Err(PageError::NotFound);
    }
    let data = OpenData::gather(state, body.as_ref()).await?;
    let (name, bytes) = data.files()?.into_iter().find(|(name, _)| name == file).ok_or(PageError::NotFound)?;
    Ok(download(&name, bytes))
}

async fn site_page(State(state): State<AppState>, MaybeUser(user): MaybeUser) -> Result<Response, PageError> {
    let body = site_body(&state.store).await?;
    page(&state, body, user.as_ref()).await
}

async fn body_page(
    State(state): State<AppState>,
    MaybeUser(user): MaybeUser,
    Path(body): Path<String>,
) -> Result<Response, PageError> {
    let body = named_body(&state.store, &body).await?;
    page(&state, Some(body), user.as_ref()).await
}

async fn site_zip(State(state): State<AppState>) -> Result<Response, PageError> {
    let body = site_body(&state.store).await?;
    zip_response(&state, body).await
}

async fn body_zip(State(state): State<AppState>, Path(body): Path<String>) -> Result<Response, PageError> {
    let body = named_body(&state.store, &body).await?;
    zip_response(&state, Some(body)).await
}

async fn site_file(State(state): State<AppState>, Path(file): Path<String>) -> Result<Response, PageError> {
    let body = site_body(&state.store).await?;
    file_response(&state, body, &file).await
}

async fn body_file(
    State(state): State<AppState>,
    Path((body, file)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let body = named_body(&state.store, &body).await?;
    file_response(&state, Some(body), &file).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_has_unique_column_names_and_an_example_for_each() {
        for spec in FILES {
            let mut names: Vec<&str> = spec.columns.iter().map(|c| c.name).collect();
            names.sort_unstable();
            let before = names.len();
            names.dedup();
            assert_eq!(names.len(), before, "{} repeats a column", spec.name);
            assert!(spec.columns.iter().all(|c| !c.meaning.is_empty() && !c.example.is_empty()), "{}", spec.name);
        }
    }

    #[test]
    fn a_row_that_disagrees_with_its_spec_is_refused_naming_the_column() {
        let short = Table::new(&GRANTS, vec![vec![Cell::Integer(1)]]);
        assert!(matches!(short, Err(PageError::Internal(ref m)) if m.contains("grants.csv: row 1 has 1 cells")));
        let mut row = vec![Cell::Empty; GRANTS.columns.len()];
        row[0] = Cell::Text(String::from("two"));
        let wrong = Table::new(&GRANTS, vec![row]);
        assert!(
            matches!(wrong, Err(PageError::Internal(ref m)) if m.contains("column `version` is text where the spec says integer")),
            "{wrong:?}"
        );
    }

    #[test]
    fn json_keeps_the_column_order_and_types_and_csv_guards_formulas() {
        let spec: &'static FileSpec = &PANEL_RESPONSES;
        let row = vec![
            Cell::from("r"),
            Cell::from("R1"),
            Cell::from("accepted"),
            Cell::from("=HYPERLINK(\"x\")"),
            Cell::Empty,
            Cell::from(NaiveDate::from_ymd_opt(2014, 2, 21).expect("a date")),
            Cell::from("/reports/r/response"),
        ];
        let table = Table::new(spec, vec![row]).expect("fits the spec");
        let json = table.json().expect("json");
        assert!(json.starts_with("[\n{\"report_id\":\"r\",\"number\":\"R1\",\"stance\":\"accepted\""), "{json}");
        assert!(
            json.contains(
                "\"reasons\":\"=HYPERLINK(\\\"x\\\")\",\"plan_changes\":null,\"published_on\":\"2014-02-21\""
            )
        );
        let csv = table.csv();
        assert!(csv.starts_with("\u{feff}report_id,number,stance,reasons,plan_changes,published_on,url\r\n"));
        assert!(csv.contains(",\"'=HYPERLINK(\"\"x\"\")\",,2014-02-21,"), "{csv}");
    }

    #[test]
    fn the_same_files_give_the_same_zip_bytes() {
        let files = vec![(String::from("a.csv"), b"x,y\r\n".to_vec()), (String::from("b.json"), b"[]\n".to_vec())];
        let first = zip_files(&files).expect("zip");
        let second = zip_files(&files).expect("zip");
        assert_eq!(first, second);
        // 1980-01-01 00:00 in MS-DOS form: time 0x0000, date 0x0021, in the first local header.
        assert_eq!(&first[10..14], &[0x00, 0x00, 0x21, 0x00]);
    }
}
