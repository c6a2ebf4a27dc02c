//! The record form engine: one description of the fields of each kind of record, and the
//! three things the staff pages do with it.
//!
//! - [`field_views`] turns the description, the values to show and any errors into the
//!   view the templates render (labels, hints, options, GOV.UK error messages).
//! - [`parse_item`] turns what a browser submitted into a [`Record`] with its parent,
//!   the objectives it serves and its illustrative flag, or into per-field errors in the
//!   GOV.UK style ("Enter the due date", "Due date must be a real date").
//! - [`item_values`] turns a stored [`Item`] back into form values, so an edit form
//!   starts from what is stored and `parse_item(item_values(item)) == item`.
//!
//! Submitted values are kept as the raw list of pairs `axum::Form` gives, because
//! checkboxes repeat their name once per ticked box and a map would keep only one.
//!
//! This module knows nothing of HTTP, the store or templates; it does not decide whether
//! the whole plan is consistent (that is `Plan::validate`, which the store runs on every
//! write), only whether each field is a value of the right type.

use std::fmt::Write as _;

use chrono::{Datelike, NaiveDate};
use pcplan_domain::check::{FurtherFunction, StatutoryElement};
use pcplan_domain::{
    Action, ActionPlan, Ambition, Area, Baseline, Commitment, Direction, FinancialYear, Frequency, Grant, Item, ItemId,
    LocalPlan, Measure, Milestone, Objective, ObjectiveGroup, Pence, Plan, Polarity, Priority, Record, RecordKind,
    Resource, Section, Status,
};

/// The values of a form as the browser sent them: name and value pairs, names repeated
/// for ticked checkboxes.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FormValues(pub Vec<(String, String)>);

impl FormValues {
    /// Wraps the pairs `axum::Form<Vec<(String, String)>>` gives.
    pub fn new(pairs: Vec<(String, String)>) -> Self {
        Self(pairs)
    }

    /// The first value given for `name`, or `""`.
    pub fn get(&self, name: &str) -> &str {
        self.0.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str()).unwrap_or("")
    }

    /// Every value given for `name`, in the order sent.
    pub fn all(&self, name: &str) -> Vec<&str> {
        self.0.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str()).collect()
    }

    /// Whether `name` was sent with a non-empty value (a ticked checkbox).
    pub fn is_set(&self, name: &str) -> bool {
        self.0.iter().any(|(n, v)| n == name && !v.is_empty())
    }

    /// Adds a value.
    pub fn push(&mut self, name: impl Into<String>, value: impl Into<String>) {
        self.0.push((name.into(), value.into()));
    }

    /// Adds the three boxes of a GOV.UK date input: `name-day`, `name-month`, `name-year`.
    pub fn push_date(&mut self, name: &str, date: Option<NaiveDate>) {
        let (day, month, year) = match date {
            Some(d) => (d.day().to_string(), d.month().to_string(), d.year().to_string()),
            None => (String::new(), String::new(), String::new()),
        };
        self.push(format!("{name}-day"), day);
        self.push(format!("{name}-month"), month);
        self.push(format!("{name}-year"), year);
    }
}

/// One problem with one field, worded for the person who typed it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name: `due`, `amount`, `target_value`.
    pub field: String,
    /// The id of the box the error summary links to: `due-day` for a date.
    pub anchor: String,
    /// `Enter the due date`.
    pub message: String,
}

/// Every problem with a submitted form, in the order the fields appear on the page, so
/// the error summary reads in the same order as the form.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(pub Vec<FieldError>);

impl FieldErrors {
    /// The message for a field, if it has one.
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|e| e.field == field).map(|e| e.message.as_str())
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// Every error, for the error summary.
    pub fn list(&self) -> &[FieldError] {
        &self.0
    }

    /// Adds an error linked to the field's own id.
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.add_at(field, field, message);
    }

    /// Adds an error linked to a particular box of the field (a date's month box).
    pub fn add_at(&mut self, field: &str, anchor: &str, message: impl Into<String>) {
        // One message per field: GOV.UK shows the first problem, fixed one at a time.
        if self.get(field).is_none() {
            self.0.push(FieldError { field: field.to_string(), anchor: anchor.to_string(), message: message.into() });
        }
    }
}

/// A fixed list of choices a select or a group of checkboxes offers.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Status,
    Polarity,
    Direction,
    Frequency,
    /// The body's local authority areas, given by the [`FormContext`].
    Area,
    StatutoryElement,
    FurtherFunction,
}

/// What kind of control a field is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Input {
    Text,
    Textarea,
    /// A GOV.UK date input: three boxes named `name-day`, `name-month`, `name-year`.
    Date,
    Select(Choice),
    /// One yes/no checkbox.
    Checkbox,
    /// Pounds, parsed by [`Pence::parse`].
    Money,
    /// A decimal number.
    Number,
    /// `2013/14`, parsed by `FinancialYear::from_str`.
    FinancialYear,
    /// Several checkboxes sharing one name.
    Checkboxes(Choice),
    /// Checkboxes of the plan's objectives (the `serves` links).
    Objectives,
    /// A select of the records this kind may sit under.
    Parent,
    /// A measure's ambition: radios "Target" (value, optional date) or "Direction of
    /// travel" (a select), each revealing its own fields.
    Ambition,
}

/// The description of one field of a record form.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: &'static str,
    pub input: Input,
    pub required: bool,
}

const fn field(name: &'static str, label: &'static str, hint: &'static str, input: Input, required: bool) -> Field {
    Field { name, label, hint, input, required }
}

const DATE_HINT: &str = "For example, 31 3 2014";
const TITLE: Field = field("title", "Title", "", Input::Text, true);
const DESCRIPTION: Field = field("description", "Description", "", Input::Textarea, false);
const SUMMARY: Field = field("summary", "Summary", "", Input::Textarea, false);
const STATUS: Field = field("status", "Status", "", Input::Select(Choice::Status), true);
const OWNER: Field = field(
    "owner",
    "Owner",
    "The person or post accountable, like Assistant Chief Constable (Local Policing)",
    Input::Text,
    false,
);
const AMOUNT: Field = field("amount", "Amount", "In pounds, like 1,250,000", Input::Money, true);
const FINANCIAL_YEAR: Field =
    field("financial_year", "Financial year", "For example, 2013/14", Input::FinancialYear, true);
const PARENT: Field = field("parent", "Where it sits in the plan", "", Input::Parent, true);
const SERVES: Field = field(
    "serves",
    "Objectives it also serves",
    "Beyond the objective it sits under. Select all that apply.",
    Input::Objectives,
    false,
);
const ILLUSTRATIVE: Field = field(
    "illustrative",
    "Illustrative content",
    "Tick if no real source gave this record (demo or sample content); it is shown with an illustrative tag",
    Input::Checkbox,
    false,
);

/// The fields of a kind's form, in the order the page shows them: where it sits, the
/// record's own fields, then the objectives it serves and the illustrative flag.
pub fn fields(kind: RecordKind) -> Vec<Field> {
    use RecordKind as K;
    let mut out = Vec::new();
    if kind.allowed_parents().iter().any(Option::is_some) {
        out.push(PARENT);
    }
    match kind {
        K::ObjectiveGroup => out.extend([TITLE, SUMMARY]),
        K::Objective => out.extend([
            field("reference", "Reference", "A short reference staff and the Panel use, like 1 or A3", Input::Text, false),
            TITLE,
            DESCRIPTION,
        ]),
        K::Priority => out.extend([TITLE, DESCRIPTION]),
        K::Commitment => out.extend([
            TITLE,
            DESCRIPTION,
            OWNER,
            field(
                "lead_organisation",
                "Lead organisation",
                "For example, West Midlands Police, the OPCC or a partner",
                Input::Text,
                false,
            ),
        ]),
        K::Milestone => out.extend([TITLE, field("due", "Due date", DATE_HINT, Input::Date, true), STATUS]),
        K::Measure => out.extend([
            TITLE,
            field(
                "definition",
                "Definition",
                "What is counted and how, like Recorded crimes of all types, excluding fraud",
                Input::Textarea,
                true,
            ),
            field("unit", "Unit", "For example, crimes, % or days", Input::Text, true),
            field("polarity", "Polarity", "Which way is better", Input::Select(Choice::Polarity), true),
            field("baseline_value", "Baseline value", "Leave blank if there is no baseline", Input::Number, false),
            field("baseline_period", "Baseline period", "The period the baseline covers, like 2012/13", Input::Text, false),
            field("ambition", "Ambition", "", Input::Ambition, true),
            field("frequency", "Reporting frequency", "", Input::Select(Choice::Frequency), true),
            field(
                "data_source",
                "Data source",
                "For example, police.uk street-level crime or the Crime Survey for England and Wales",
                Input::Text,
                true,
            ),
            field("by_area", "Reported for each local authority area", "", Input::Checkbox, false),
        ]),
        K::Resource => out.extend([
            field("line", "Budget line", "For example, Police officer pay or Commissioning budget", Input::Text, true),
            AMOUNT,
            FINANCIAL_YEAR,
            field(
                "to_chief_constable",
                "Provided to the Chief Constable",
                "Tick for resources given to the Chief Constable (PRSRA 2011 s.7(1)(c)); leave unticked for resources the body keeps",
                Input::Checkbox,
                false,
            ),
            field("notes", "Notes", "", Input::Textarea, false),
        ]),
        K::Grant => out.extend([
            field("recipient", "Recipient", "", Input::Text, true),
            field("purpose", "Purpose", "", Input::Textarea, true),
            AMOUNT,
            FINANCIAL_YEAR,
            field("conditions", "Conditions", "The conditions attached to the grant, if any (PRSRA 2011 s.9(2))", Input::Textarea, false),
        ]),
        K::LocalPlan => out.extend([
            field("area", "Local authority area", "", Input::Select(Choice::Area), true),
            TITLE,
            SUMMARY,
        ]),
        K::ActionPlan => out.extend([
            TITLE,
            field("source", "Source", "Where it came from, like Victims' Summit, January 2013", Input::Text, false),
            field("agreed_on", "Date agreed", DATE_HINT, Input::Date, false),
        ]),
        K::Action => out.extend([TITLE, OWNER, field("due", "Due date", DATE_HINT, Input::Date, false), STATUS]),
        K::Section => out.extend([
            TITLE,
            field("text", "Text", "", Input::Textarea, false),
            field(
                "elements",
                "Statutory elements this section covers",
                "PRSRA 2011 s.7(1). The contents check reads this mapping, never the text. Select all that apply.",
                Input::Checkboxes(Choice::StatutoryElement),
                false,
            ),
            field(
                "functions",
                "Further functions this section covers",
                "Select all that apply.",
                Input::Checkboxes(Choice::FurtherFunction),
                false,
            ),
        ]),
    }
    // An objective group gathers objectives; saying which objectives it serves would say
    // nothing. Its stored links, if an import gave any, are kept by `parse_item`.
    if kind != K::ObjectiveGroup {
        out.push(SERVES);
    }
    out.push(ILLUSTRATIVE);
    out
}

/// What a form needs to know about the plan around the record: the records it may sit
/// under, the objectives it may serve, the body's areas.
#[derive(Clone, Copy, Debug)]
pub struct FormContext<'a> {
    pub plan: &'a Plan,
    pub areas: &'a [Area],
    /// The item being edited; `None` on an add form. It is left out of its own parent
    /// and objective options, with everything under it.
    pub editing: Option<&'a Item>,
}

impl FormContext<'_> {
    fn excluded(&self, candidate: &Item) -> bool {
        let Some(editing) = self.editing else { return false };
        // The record itself and every record under it: sitting under your own
        // descendant would make a loop, which `Plan::validate` refuses anyway.
        let mut cursor = Some(candidate.id);
        let mut guard = 0;
        while let Some(id) = cursor {
            if id == editing.id {
                return true;
            }
            guard += 1;
            if guard > self.plan.items.len() {
                return false;
            }
            cursor = self.plan.item(id).and_then(|i| i.parent);
        }
        false
    }

    /// The records a `kind` may sit under, in plan order, as (value, label) options;
    /// `("", "Top level")` first when it may sit at the top level.
    pub fn parent_options(&self, kind: RecordKind) -> Vec<(String, String)> {
        let allowed = kind.allowed_parents();
        let mut out = Vec::new();
        if allowed.contains(&None) {
            out.push((String::new(), String::from("Top level of the plan")));
        }
        for item in &self.plan.items {
            let item_kind = item.record.kind();
            if allowed.contains(&Some(item_kind)) && !self.excluded(item) {
                out.push((item.id.to_string(), format!("{}: {}", capitalise(item_kind.label()), item.record.title())));
            }
        }
        out
    }

    /// The objectives a record may serve, as (value, label) options.
    pub fn objective_options(&self) -> Vec<(String, String)> {
        self.plan
            .of_kind(RecordKind::Objective)
            .filter(|item| self.editing.is_none_or(|e| e.id != item.id))
            .map(|item| {
                let label = match &item.record {
                    Record::Objective(o) if !o.reference.is_empty() => format!("{}: {}", o.reference, o.title),
                    record => record.title().to_string(),
                };
                (item.id.to_string(), label)
            })
            .collect()
    }

    fn choice_options(&self, choice: Choice) -> Vec<(String, String)> {
        fn pairs<T: Copy>(all: &[T], value: fn(&T) -> &'static str, label: fn(&T) -> String) -> Vec<(String, String)> {
            all.iter().map(|t| (value(t).to_string(), label(t))).collect()
        }
        match choice {
            Choice::Status => pairs(&Status::ALL, Status::as_str, |s| s.label().to_string()),
            Choice::Polarity => pairs(&Polarity::ALL, Polarity::as_str, |p| p.label().to_string()),
            Choice::Direction => pairs(&Direction::ALL, Direction::as_str, |d| capitalise(d.as_str())),
            Choice::Frequency => pairs(&Frequency::ALL, Frequency::as_str, |f| capitalise(f.as_str())),
            Choice::Area => self.areas.iter().map(|a| (a.code.clone(), format!("{} ({})", a.name, a.code))).collect(),
            Choice::StatutoryElement => pairs(&StatutoryElement::ALL, StatutoryElement::as_str, |e| {
                format!("{}: {}", e.reference(), capitalise(e.label()))
            }),
            Choice::FurtherFunction => pairs(&FurtherFunction::ALL, FurtherFunction::as_str, |f| f.label().to_string()),
        }
    }
}

/// A record as parsed from a form, with where it sits.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedItem {
    pub record: Record,
    pub parent: Option<ItemId>,
    pub serves: Vec<ItemId>,
    pub illustrative: bool,
}

impl ParsedItem {
    /// The item this becomes, with the given identity.
    pub fn into_item(self, id: ItemId) -> Item {
        Item { id, parent: self.parent, serves: self.serves, illustrative: self.illustrative, record: self.record }
    }
}

/// Reads typed values out of submitted form values, collecting GOV.UK-style errors. The
/// header and version forms use it directly for their own few fields.
pub struct FormReader<'v> {
    values: &'v FormValues,
    pub errors: FieldErrors,
}

impl<'v> FormReader<'v> {
    pub fn new(values: &'v FormValues) -> Self {
        Self { values, errors: FieldErrors::default() }
    }

    /// Trimmed text; "Enter the …" when required and empty.
    pub fn text(&mut self, name: &str, label: &str, required: bool) -> String {
        let value = self.values.get(name).trim().to_string();
        if required && value.is_empty() {
            self.errors.add(name, format!("Enter the {}", lower_first(label)));
        }
        value
    }

    /// A date from a GOV.UK date input. `None` when all three boxes are empty (an error
    /// too when required) or when the date is not real.
    pub fn date(&mut self, name: &str, label: &str, required: bool) -> Option<NaiveDate> {
        let parts = ["day", "month", "year"].map(|part| self.values.get(&format!("{name}-{part}")).trim().to_string());
        let missing: Vec<&str> =
            ["day", "month", "year"].into_iter().zip(&parts).filter(|(_, v)| v.is_empty()).map(|(p, _)| p).collect();
        if missing.len() == 3 {
            if required {
                self.errors.add_at(name, &format!("{name}-day"), format!("Enter the {}", lower_first(label)));
            }
            return None;
        }
        if !missing.is_empty() {
            let list = match missing.as_slice() {
                [one] => format!("a {one}"),
                [a, b] => format!("a {a} and {b}"),
                _ => String::from("a day, month and year"),
            };
            self.errors.add_at(name, &format!("{name}-{}", missing[0]), format!("{label} must include {list}"));
            return None;
        }
        let number = |s: &str| -> Option<u32> {
            if s.chars().all(|c| c.is_ascii_digit()) && s.len() <= 4 { s.parse().ok() } else { None }
        };
        let (day, month, year) = (number(&parts[0]), number(&parts[1]), number(&parts[2]));
        if parts[2].len() != 4 && year.is_some() {
            self.errors.add_at(name, &format!("{name}-year"), format!("{label} year must include 4 numbers"));
            return None;
        }
        let date = match (day, month, year) {
            (Some(d), Some(m), Some(y)) => i32::try_from(y).ok().and_then(|y| NaiveDate::from_ymd_opt(y, m, d)),
            _ => None,
        };
        if date.is_none() {
            self.errors.add_at(name, &format!("{name}-day"), format!("{label} must be a real date"));
        }
        date
    }

    /// An amount of money in pounds.
    pub fn money(&mut self, name: &str, label: &str) -> Option<Pence> {
        let raw = self.values.get(name).trim();
        if raw.is_empty() {
            self.errors.add(name, format!("Enter the {}", lower_first(label)));
            return None;
        }
        match Pence::parse(raw) {
            Ok(pence) => Some(pence),
            Err(_) => {
                self.errors.add(name, format!("{label} must be an amount of money, like 1,250,000"));
                None
            }
        }
    }

    /// A decimal number; `None` when empty (an error too when required).
    pub fn number(&mut self, name: &str, label: &str, required: bool) -> Option<f64> {
        let raw = self.values.get(name).trim();
        if raw.is_empty() {
            if required {
                self.errors.add(name, format!("Enter the {}", lower_first(label)));
            }
            return None;
        }
        let cleaned: String = raw.chars().filter(|c| *c != ',').collect();
        match cleaned.parse::<f64>() {
            Ok(n) if n.is_finite() => Some(n),
            _ => {
                self.errors.add(name, format!("{label} must be a number, like 42 or 12.5"));
                None
            }
        }
    }

    /// A financial year like `2013/14`.
    pub fn financial_year(&mut self, name: &str, label: &str) -> Option<FinancialYear> {
        let raw = self.values.get(name).trim();
        if raw.is_empty() {
            self.errors.add(name, format!("Enter the {}", lower_first(label)));
            return None;
        }
        match raw.parse::<FinancialYear>() {
            Ok(year) => Some(year),
            Err(_) => {
                self.errors.add(name, format!("{label} must be a financial year, like 2013/14"));
                None
            }
        }
    }

    /// One of a fixed set of values, parsed by `parse`.
    pub fn choice<T>(&mut self, name: &str, label: &str, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let raw = self.values.get(name).trim();
        let parsed = parse(raw);
        if parsed.is_none() {
            self.errors.add(name, format!("Select the {}", lower_first(label)));
        }
        parsed
    }

    /// A ticked checkbox.
    pub fn checkbox(&self, name: &str) -> bool {
        self.values.is_set(name)
    }

    /// Ticked boxes of a group, each parsed by `parse`; an unknown value is an error (a
    /// form from an older page, or a hand-made request).
    pub fn checkboxes<T: PartialEq>(&mut self, name: &str, label: &str, parse: impl Fn(&str) -> Option<T>) -> Vec<T> {
        let mut out = Vec::new();
        for raw in self.values.all(name) {
            match parse(raw) {
                Some(value) if !out.contains(&value) => out.push(value),
                Some(_) => {}
                None => self.errors.add(name, format!("Select {} from the list", lower_first(label))),
            }
        }
        out
    }
}

/// Parses a submitted record form of `kind`. On success the record, its parent, the
/// objectives it serves and its illustrative flag; otherwise every field's error, in
/// the order of the form.
pub fn parse_item(kind: RecordKind, values: &FormValues, ctx: &FormContext<'_>) -> Result<ParsedItem, FieldErrors> {
    let specs = fields(kind);
    let mut r = FormReader::new(values);
    let spec = |name: &str| specs.iter().find(|f| f.name == name).copied();
    let label = |name: &str| spec(name).map(|f| f.label).unwrap_or("value");
    let required = |name: &str| spec(name).is_some_and(|f| f.required);

    // Where it sits.
    let parent = if spec("parent").is_some() {
        let raw = values.get("parent").trim();
        let options = ctx.parent_options(kind);
        if options.iter().any(|(value, _)| value == raw) {
            raw.parse::<ItemId>().ok()
        } else {
            r.errors.add("parent", format!("Select where the {} sits in the plan", kind.label()));
            None
        }
    } else {
        None
    };

    let text = |r: &mut FormReader<'_>, name: &str| r.text(name, label(name), required(name));
    let record = match kind {
        RecordKind::ObjectiveGroup => {
            Record::ObjectiveGroup(ObjectiveGroup { title: text(&mut r, "title"), summary: text(&mut r, "summary") })
        }
        RecordKind::Objective => Record::Objective(Objective {
            reference: text(&mut r, "reference"),
            title: text(&mut r, "title"),
            description: text(&mut r, "description"),
        }),
        RecordKind::Priority => {
            Record::Priority(Priority { title: text(&mut r, "title"), description: text(&mut r, "description") })
        }
        RecordKind::Commitment => Record::Commitment(Commitment {
            title: text(&mut r, "title"),
            description: text(&mut r, "description"),
            owner: text(&mut r, "owner"),
            lead_organisation: text(&mut r, "lead_organisation"),
        }),
        RecordKind::Milestone => Record::Milestone(Milestone {
            title: text(&mut r, "title"),
            due: r.date("due", label("due"), true).unwrap_or_default(),
            status: r.choice("status", label("status"), Status::parse).unwrap_or_default(),
        }),
        RecordKind::Measure => {
            let title = text(&mut r, "title");
            let definition = text(&mut r, "definition");
            let unit = text(&mut r, "unit");
            let polarity = r.choice("polarity", label("polarity"), Polarity::parse);
            let baseline_value = r.number("baseline_value", label("baseline_value"), false);
            let baseline_period = values.get("baseline_period").trim().to_string();
            let baseline = match (baseline_value, baseline_period.is_empty()) {
                (Some(value), false) => Some(Baseline { value, period: baseline_period }),
                (Some(_), true) => {
                    r.errors.add("baseline_period", "Enter the baseline period, or leave the baseline value blank");
                    None
                }
                (None, false) if values.get("baseline_value").trim().is_empty() => {
                    r.errors.add("baseline_value", "Enter the baseline value, or leave the baseline period blank");
                    None
                }
                (None, _) => None,
            };
            let ambition = read_ambition(&mut r, values);
            let frequency = r.choice("frequency", label("frequency"), Frequency::parse);
            let data_source = text(&mut r, "data_source");
            let by_area = r.checkbox("by_area");
            Record::Measure(Measure {
                title,
                definition,
                unit,
                polarity: polarity.unwrap_or(Polarity::Neither),
                baseline,
                ambition: ambition.unwrap_or(Ambition::Direction { direction: Direction::Maintain }),
                frequency: frequency.unwrap_or(Frequency::Annual),
                data_source,
                by_area,
            })
        }
        RecordKind::Resource => Record::Resource(Resource {
            line: text(&mut r, "line"),
            amount: r.money("amount", label("amount")).unwrap_or_default(),
            financial_year: r.financial_year("financial_year", label("financial_year")).unwrap_or(FinancialYear(0)),
            to_chief_constable: r.checkbox("to_chief_constable"),
            notes: text(&mut r, "notes"),
        }),
        RecordKind::Grant => Record::Grant(Grant {
            recipient: text(&mut r, "recipient"),
            purpose: text(&mut r, "purpose"),
            amount: r.money("amount", label("amount")).unwrap_or_default(),
            financial_year: r.financial_year("financial_year", label("financial_year")).unwrap_or(FinancialYear(0)),
            conditions: text(&mut r, "conditions"),
        }),
        RecordKind::LocalPlan => Record::LocalPlan(LocalPlan {
            area: r
                .choice("area", label("area"), |code| ctx.areas.iter().find(|a| a.code == code).map(|a| a.code.clone()))
                .unwrap_or_default(),
            title: text(&mut r, "title"),
            summary: text(&mut r, "summary"),
        }),
        RecordKind::ActionPlan => Record::ActionPlan(ActionPlan {
            title: text(&mut r, "title"),
            source: text(&mut r, "source"),
            agreed_on: r.date("agreed_on", label("agreed_on"), false),
        }),
        RecordKind::Action => Record::Action(Action {
            title: text(&mut r, "title"),
            owner: text(&mut r, "owner"),
            due: r.date("due", label("due"), false),
            status: r.choice("status", label("status"), Status::parse).unwrap_or_default(),
        }),
        RecordKind::Section => Record::Section(Section {
            title: text(&mut r, "title"),
            text: text(&mut r, "text"),
            elements: r.checkboxes("elements", label("elements"), StatutoryElement::parse),
            functions: r.checkboxes("functions", label("functions"), FurtherFunction::parse),
        }),
    };

    let serves = if spec("serves").is_some() {
        let allowed = ctx.objective_options();
        r.checkboxes("serves", "objectives", |raw| {
            allowed.iter().any(|(value, _)| value == raw).then(|| raw.parse::<ItemId>().ok()).flatten()
        })
    } else {
        ctx.editing.map(|item| item.serves.clone()).unwrap_or_default()
    };
    let illustrative = r.checkbox("illustrative");

    if r.errors.is_empty() {
        Ok(ParsedItem { record, parent, serves, illustrative })
    } else {
        let mut errors = r.errors;
        // Errors come out in reading order; put them in the order the fields appear.
        let position = |field: &str| {
            let owner = match field {
                "target_value" | "target_by" | "direction" => "ambition",
                other => other,
            };
            specs.iter().position(|f| f.name == owner).unwrap_or(usize::MAX)
        };
        errors.0.sort_by_key(|e| position(&e.field));
        Err(errors)
    }
}

fn read_ambition(r: &mut FormReader<'_>, values: &FormValues) -> Option<Ambition> {
    match values.get("ambition") {
        "target" => {
            let value = r.number("target_value", "Target value", true);
            let by = r.date("target_by", "Target date", false);
            value.map(|value| Ambition::Target { value, by })
        }
        "direction" => r
            .choice("direction", "direction of travel", Direction::parse)
            .map(|direction| Ambition::Direction { direction }),
        _ => {
            r.errors.add_at("ambition", "ambition", "Select whether the measure has a target or a direction of travel");
            None
        }
    }
}

/// The form values that show a stored item, for its edit form.
pub fn item_values(item: &Item) -> FormValues {
    let mut v = FormValues::default();
    if item.record.kind().allowed_parents().iter().any(Option::is_some) {
        v.push("parent", item.parent.map(|p| p.to_string()).unwrap_or_default());
    }
    match &item.record {
        Record::ObjectiveGroup(r) => {
            v.push("title", &r.title);
            v.push("summary", &r.summary);
        }
        Record::Objective(r) => {
            v.push("reference", &r.reference);
            v.push("title", &r.title);
            v.push("description", &r.description);
        }
        Record::Priority(r) => {
            v.push("title", &r.title);
            v.push("description", &r.description);
        }
        Record::Commitment(r) => {
            v.push("title", &r.title);
            v.push("description", &r.description);
            v.push("owner", &r.owner);
            v.push("lead_organisation", &r.lead_organisation);
        }
        Record::Milestone(r) => {
            v.push("title", &r.title);
            v.push_date("due", Some(r.due));
            v.push("status", r.status.as_str());
        }
        Record::Measure(r) => {
            v.push("title", &r.title);
            v.push("definition", &r.definition);
            v.push("unit", &r.unit);
            v.push("polarity", r.polarity.as_str());
            if let Some(baseline) = &r.baseline {
                v.push("baseline_value", baseline.value.to_string());
                v.push("baseline_period", &baseline.period);
            }
            match &r.ambition {
                Ambition::Target { value, by } => {
                    v.push("ambition", "target");
                    v.push("target_value", value.to_string());
                    v.push_date("target_by", *by);
                }
                Ambition::Direction { direction } => {
                    v.push("ambition", "direction");
                    v.push("direction", direction.as_str());
                }
            }
            v.push("frequency", r.frequency.as_str());
            v.push("data_source", &r.data_source);
            if r.by_area {
                v.push("by_area", "yes");
            }
        }
        Record::Resource(r) => {
            v.push("line", &r.line);
            v.push("amount", money_value(r.amount));
            v.push("financial_year", r.financial_year.to_string());
            if r.to_chief_constable {
                v.push("to_chief_constable", "yes");
            }
            v.push("notes", &r.notes);
        }
        Record::Grant(r) => {
            v.push("recipient", &r.recipient);
            v.push("purpose", &r.purpose);
            v.push("amount", money_value(r.amount));
            v.push("financial_year", r.financial_year.to_string());
            v.push("conditions", &r.conditions);
        }
        Record::LocalPlan(r) => {
            v.push("area", &r.area);
            v.push("title", &r.title);
            v.push("summary", &r.summary);
        }
        Record::ActionPlan(r) => {
            v.push("title", &r.title);
            v.push("source", &r.source);
            v.push_date("agreed_on", r.agreed_on);
        }
        Record::Action(r) => {
            v.push("title", &r.title);
            v.push("owner", &r.owner);
            v.push_date("due", r.due);
            v.push("status", r.status.as_str());
        }
        Record::Section(r) => {
            v.push("title", &r.title);
            v.push("text", &r.text);
            for element in &r.elements {
                v.push("elements", element.as_str());
            }
            for function in &r.functions {
                v.push("functions", function.as_str());
            }
        }
    }
    if item.record.kind() != RecordKind::ObjectiveGroup {
        for objective in &item.serves {
            v.push("serves", objective.to_string());
        }
    }
    if item.illustrative {
        v.push("illustrative", "yes");
    }
    v
}

/// The values of an empty add form: under `parent` when given, milestones and actions
/// not started.
pub fn new_values(kind: RecordKind, parent: Option<ItemId>) -> FormValues {
    let mut v = FormValues::default();
    if let Some(parent) = parent {
        v.push("parent", parent.to_string());
    }
    if matches!(kind, RecordKind::Milestone | RecordKind::Action) {
        v.push("status", Status::NotStarted.as_str());
    }
    v
}

/// Pounds as staff type them: `1,250,000` or `-0.99`, without the `£` the input's
/// prefix already shows.
pub fn money_value(amount: Pence) -> String {
    amount.to_string().replace('£', "")
}

/// How a field is drawn.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Control {
    /// A text input (also money, numbers and financial years, with `inputmode`).
    Text,
    Textarea,
    Date,
    Select,
    /// One checkbox whose label is the field's label.
    Checkbox,
    /// A fieldset of checkboxes sharing a name.
    Checkboxes,
    /// A fieldset of radios, each option possibly revealing more fields.
    Radios,
}

/// One choice of a select, checkbox group or radio group.
#[derive(Clone, Debug, PartialEq)]
pub struct OptionView {
    pub value: String,
    pub label: String,
    pub hint: String,
    /// Selected or ticked.
    pub selected: bool,
    /// Fields revealed when a radio is chosen (a target's value and date).
    pub conditional: Vec<FieldView>,
}

/// One field as the template draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FieldView {
    pub name: String,
    /// The id of the control; a date's boxes are `{id}-day` and so on.
    pub id: String,
    pub label: String,
    pub hint: String,
    pub control: Control,
    /// What the text box or text area shows.
    pub value: String,
    pub day: String,
    pub month: String,
    pub year: String,
    pub options: Vec<OptionView>,
    pub error: Option<String>,
    /// `£` for money.
    pub prefix: String,
    /// `govuk-input--width-10` and the like; empty for full width.
    pub width_class: String,
    /// `decimal` for money and numbers, empty otherwise.
    pub inputmode: String,
}

impl FieldView {
    fn new(name: &str, label: &str, hint: &str, control: Control, values: &FormValues, errors: &FieldErrors) -> Self {
        FieldView {
            name: name.to_string(),
            id: name.to_string(),
            label: label.to_string(),
            hint: hint.to_string(),
            control,
            value: values.get(name).to_string(),
            day: values.get(&format!("{name}-day")).to_string(),
            month: values.get(&format!("{name}-month")).to_string(),
            year: values.get(&format!("{name}-year")).to_string(),
            options: Vec::new(),
            error: errors.get(name).map(str::to_string),
            prefix: String::new(),
            width_class: String::new(),
            inputmode: String::new(),
        }
    }

    /// A plain text field, for the header and version forms.
    pub fn text(name: &str, label: &str, hint: &str, values: &FormValues, errors: &FieldErrors) -> Self {
        Self::new(name, label, hint, Control::Text, values, errors)
    }

    /// A text area, for the header form.
    pub fn textarea(name: &str, label: &str, hint: &str, values: &FormValues, errors: &FieldErrors) -> Self {
        Self::new(name, label, hint, Control::Textarea, values, errors)
    }

    /// A GOV.UK date input, for the header and version forms.
    pub fn date(name: &str, label: &str, hint: &str, values: &FormValues, errors: &FieldErrors) -> Self {
        Self::new(name, label, hint, Control::Date, values, errors)
    }

    /// A radio group with its options given as (value, label, hint).
    pub fn radios(
        name: &str,
        label: &str,
        hint: &str,
        options: &[(String, String, String)],
        values: &FormValues,
        errors: &FieldErrors,
    ) -> Self {
        let mut view = Self::new(name, label, hint, Control::Radios, values, errors);
        let chosen = values.get(name).to_string();
        view.options = options
            .iter()
            .map(|(value, label, hint)| OptionView {
                value: value.clone(),
                label: label.clone(),
                hint: hint.clone(),
                selected: *value == chosen,
                conditional: Vec::new(),
            })
            .collect();
        view
    }

    /// The id the error summary links to: the day box of a date, the control itself
    /// otherwise (the first box of a group has the group's id, as in GOV.UK Frontend).
    pub fn anchor(&self) -> String {
        match self.control {
            Control::Date => format!("{}-day", self.id),
            _ => self.id.clone(),
        }
    }

    /// The id of option `index` (0-based) of a group: the group's id for the first.
    /// Takes a borrowed index too, because askama passes `loop.index0` by reference
    /// inside macros.
    pub fn option_id<I: std::borrow::Borrow<usize>>(&self, index: I) -> String {
        let index = *index.borrow();
        if index == 0 { self.id.clone() } else { format!("{}-{}", self.id, index + 1) }
    }

    pub fn is_text(&self) -> bool {
        self.control == Control::Text
    }

    pub fn is_textarea(&self) -> bool {
        self.control == Control::Textarea
    }

    pub fn is_date(&self) -> bool {
        self.control == Control::Date
    }

    pub fn is_select(&self) -> bool {
        self.control == Control::Select
    }

    pub fn is_checkbox(&self) -> bool {
        self.control == Control::Checkbox
    }

    pub fn is_checkboxes(&self) -> bool {
        self.control == Control::Checkboxes
    }

    pub fn is_radios(&self) -> bool {
        self.control == Control::Radios
    }

    /// Whether any box of this field, or of a field it reveals, shows an error.
    pub fn has_error(&self) -> bool {
        self.error.is_some()
    }

    /// The `aria-describedby` value: the hint and the error message, when present.
    pub fn described_by(&self) -> String {
        let mut out = String::new();
        if !self.hint.is_empty() {
            let _ = write!(out, "{}-hint", self.id);
        }
        if self.error.is_some() {
            if !out.is_empty() {
                out.push(' ');
            }
            let _ = write!(out, "{}-error", self.id);
        }
        out
    }
}

fn select_options(options: Vec<(String, String)>, chosen: &[&str], placeholder: Option<&str>) -> Vec<OptionView> {
    let mut out = Vec::new();
    if let Some(placeholder) = placeholder {
        out.push(OptionView {
            value: String::new(),
            label: placeholder.to_string(),
            hint: String::new(),
            selected: chosen.iter().all(|c| c.is_empty()),
            conditional: Vec::new(),
        });
    }
    out.extend(options.into_iter().map(|(value, label)| OptionView {
        selected: chosen.contains(&value.as_str()),
        value,
        label,
        hint: String::new(),
        conditional: Vec::new(),
    }));
    out
}

/// The fields of a kind's form as the template draws them, showing `values` and `errors`.
pub fn field_views(
    kind: RecordKind,
    ctx: &FormContext<'_>,
    values: &FormValues,
    errors: &FieldErrors,
) -> Vec<FieldView> {
    fields(kind)
        .into_iter()
        .map(|spec| {
            let (name, label, hint) = (spec.name, spec.label, spec.hint);
            match spec.input {
                Input::Text => FieldView::new(name, label, hint, Control::Text, values, errors),
                Input::Textarea => FieldView::new(name, label, hint, Control::Textarea, values, errors),
                Input::Date => FieldView::new(name, label, hint, Control::Date, values, errors),
                Input::Money => {
                    let mut view = FieldView::new(name, label, hint, Control::Text, values, errors);
                    view.prefix = String::from("£");
                    view.width_class = String::from("govuk-input--width-10");
                    view.inputmode = String::from("decimal");
                    view
                }
                Input::Number => {
                    let mut view = FieldView::new(name, label, hint, Control::Text, values, errors);
                    view.width_class = String::from("govuk-input--width-10");
                    view.inputmode = String::from("decimal");
                    view
                }
                Input::FinancialYear => {
                    let mut view = FieldView::new(name, label, hint, Control::Text, values, errors);
                    view.width_class = String::from("govuk-input--width-5");
                    view
                }
                Input::Checkbox => {
                    let mut view = FieldView::new(name, label, hint, Control::Checkbox, values, errors);
                    view.options = select_options(
                        vec![(String::from("yes"), label.to_string())],
                        &[if values.is_set(name) { "yes" } else { "" }],
                        None,
                    );
                    if let Some(option) = view.options.first_mut() {
                        option.hint = hint.to_string();
                    }
                    view
                }
                Input::Select(choice) => {
                    let mut view = FieldView::new(name, label, hint, Control::Select, values, errors);
                    let placeholder = (choice != Choice::Status).then_some("Choose one");
                    view.options = select_options(ctx.choice_options(choice), &[values.get(name)], placeholder);
                    view
                }
                Input::Checkboxes(choice) => {
                    let mut view = FieldView::new(name, label, hint, Control::Checkboxes, values, errors);
                    view.options = select_options(ctx.choice_options(choice), &values.all(name), None);
                    view
                }
                Input::Objectives => {
                    let mut view = FieldView::new(name, label, hint, Control::Checkboxes, values, errors);
                    view.options = select_options(ctx.objective_options(), &values.all(name), None);
                    view
                }
                Input::Parent => {
                    let mut view = FieldView::new(name, label, hint, Control::Select, values, errors);
                    let options = ctx.parent_options(kind);
                    let placeholder = (!kind.allowed_parents().contains(&None)).then_some("Choose one");
                    view.options = select_options(options, &[values.get(name)], placeholder);
                    view
                }
                Input::Ambition => {
                    let mut view = FieldView::radios(
                        name,
                        label,
                        "Panels often prefer a direction of travel to a numeric target",
                        &[
                            (String::from("target"), String::from("Target"), String::from("A number to reach")),
                            (
                                String::from("direction"),
                                String::from("Direction of travel"),
                                String::from("Increase, reduce or maintain, without a number"),
                            ),
                        ],
                        values,
                        errors,
                    );
                    let mut value = FieldView::new("target_value", "Target value", "", Control::Text, values, errors);
                    value.width_class = String::from("govuk-input--width-10");
                    value.inputmode = String::from("decimal");
                    let by =
                        FieldView::new("target_by", "Target date (optional)", DATE_HINT, Control::Date, values, errors);
                    let mut direction =
                        FieldView::new("direction", "Direction of travel", "", Control::Select, values, errors);
                    direction.options = select_options(
                        ctx.choice_options(Choice::Direction),
                        &[values.get("direction")],
                        Some("Choose one"),
                    );
                    for option in &mut view.options {
                        option.conditional = match option.value.as_str() {
                            "target" => vec![value.clone(), by.clone()],
                            _ => vec![direction.clone()],
                        };
                    }
                    view
                }
            }
        })
        .collect()
}

fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        // Keep acronyms and proper nouns (`OPCC`, `Chief Constable`) as written.
        Some(first) if chars.clone().next().is_some_and(|c| c.is_lowercase()) => {
            first.to_lowercase().chain(chars).collect()
        }
        Some(first) => std::iter::once(first).chain(chars).collect(),
        None => String::new(),
    }
}

/// `Objective group` from `objective group`.
pub fn capitalise(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> ItemId {
        ItemId::from_u128(n)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("valid test date")
    }

    fn item(n: u128, parent: Option<u128>, record: Record) -> Item {
        Item { id: id(n), parent: parent.map(id), serves: Vec::new(), illustrative: false, record }
    }

    fn areas() -> Vec<Area> {
        vec![
            Area { code: String::from("E08000025"), name: String::from("Birmingham") },
            Area { code: String::from("E08000026"), name: String::from("Coventry") },
        ]
    }

    /// A plan with one record of every kind, some with every optional field filled and
    /// some with none, so the round trip covers both.
    fn plan() -> Plan {
        let mut items = vec![
            item(
                1,
                None,
                Record::ObjectiveGroup(ObjectiveGroup { title: "Pride".into(), summary: "Ownership".into() }),
            ),
            item(
                2,
                Some(1),
                Record::Objective(Objective {
                    reference: "A1".into(),
                    title: "Reduce crime".into(),
                    description: "Less crime".into(),
                }),
            ),
            item(
                3,
                None,
                Record::Objective(Objective { reference: "".into(), title: "Victims".into(), description: "".into() }),
            ),
            item(4, Some(2), Record::Priority(Priority { title: "Burglary".into(), description: "Homes".into() })),
            item(
                5,
                Some(4),
                Record::Commitment(Commitment {
                    title: "Target offenders".into(),
                    description: "".into(),
                    owner: "ACC (Local Policing)".into(),
                    lead_organisation: "West Midlands Police".into(),
                }),
            ),
            item(
                6,
                Some(5),
                Record::Milestone(Milestone { title: "Launch".into(), due: date(2014, 3, 31), status: Status::AtRisk }),
            ),
            item(
                7,
                Some(2),
                Record::Measure(Measure {
                    title: "Total recorded crime".into(),
                    definition: "All crimes excluding fraud".into(),
                    unit: "crimes".into(),
                    polarity: Polarity::LowerIsBetter,
                    baseline: Some(Baseline { value: 123_456.5, period: "2012/13".into() }),
                    ambition: Ambition::Target { value: -2.25, by: Some(date(2015, 3, 31)) },
                    frequency: Frequency::Quarterly,
                    data_source: "police.uk".into(),
                    by_area: true,
                }),
            ),
            item(
                8,
                None,
                Record::Measure(Measure {
                    title: "Confidence".into(),
                    definition: "Survey".into(),
                    unit: "%".into(),
                    polarity: Polarity::Neither,
                    baseline: None,
                    ambition: Ambition::Direction { direction: Direction::Increase },
                    frequency: Frequency::Annual,
                    data_source: "CSEW".into(),
                    by_area: false,
                }),
            ),
            item(
                9,
                None,
                Record::Resource(Resource {
                    line: "Officer pay".into(),
                    amount: Pence(125_000_050),
                    financial_year: FinancialYear(2013),
                    to_chief_constable: true,
                    notes: "".into(),
                }),
            ),
            item(
                10,
                None,
                Record::Resource(Resource {
                    line: "Savings".into(),
                    amount: Pence(-99),
                    financial_year: FinancialYear(1999),
                    to_chief_constable: false,
                    notes: "Planned".into(),
                }),
            ),
            item(
                11,
                None,
                Record::Grant(Grant {
                    recipient: "Birmingham CSP".into(),
                    purpose: "Community safety".into(),
                    amount: Pence::pounds(1_250_000),
                    financial_year: FinancialYear(2013),
                    conditions: "Quarterly report".into(),
                }),
            ),
            item(
                12,
                None,
                Record::LocalPlan(LocalPlan {
                    area: "E08000025".into(),
                    title: "Birmingham".into(),
                    summary: "".into(),
                }),
            ),
            item(13, Some(12), Record::Priority(Priority { title: "Local burglary".into(), description: "".into() })),
            item(
                14,
                None,
                Record::ActionPlan(ActionPlan {
                    title: "Victims' summit".into(),
                    source: "Summit, January 2013".into(),
                    agreed_on: Some(date(2013, 1, 29)),
                }),
            ),
            item(
                15,
                None,
                Record::ActionPlan(ActionPlan { title: "Business".into(), source: "".into(), agreed_on: None }),
            ),
            item(
                16,
                Some(14),
                Record::Action(Action {
                    title: "Victims' charter".into(),
                    owner: "OPCC".into(),
                    due: Some(date(2013, 6, 1)),
                    status: Status::Complete,
                }),
            ),
            item(
                17,
                Some(15),
                Record::Action(Action {
                    title: "Survey".into(),
                    owner: "".into(),
                    due: None,
                    status: Status::NotStarted,
                }),
            ),
            item(
                18,
                None,
                Record::Section(Section {
                    title: "Resources".into(),
                    text: "The budget".into(),
                    elements: vec![StatutoryElement::Resources, StatutoryElement::Grants],
                    functions: vec![FurtherFunction::VictimsServices],
                }),
            ),
            item(
                19,
                None,
                Record::Section(Section {
                    title: "Empty".into(),
                    text: "".into(),
                    elements: vec![],
                    functions: vec![],
                }),
            ),
        ];
        items[5].serves = vec![id(3)];
        items[6].serves = vec![id(3)];
        items[15].serves = vec![id(2), id(3)];
        items[15].illustrative = true;
        items[1].illustrative = true;
        Plan {
            id: pcplan_domain::PlanId::from_u128(100),
            body_id: pcplan_domain::BodyId::from_u128(200),
            title: "Police and Crime Plan".into(),
            starts_on: date(2013, 4, 1),
            ends_on: date(2017, 3, 31),
            vision: "Pride in our Police".into(),
            items,
        }
    }

    #[test]
    fn every_kind_round_trips_from_item_to_form_values_and_back() {
        let plan = plan();
        let areas = areas();
        let mut kinds_seen = Vec::new();
        for item in &plan.items {
            let ctx = FormContext { plan: &plan, areas: &areas, editing: Some(item) };
            let values = item_values(item);
            let parsed = parse_item(item.record.kind(), &values, &ctx)
                .unwrap_or_else(|errors| panic!("{} did not parse: {errors:?}", item.record.title()));
            assert_eq!(&parsed.into_item(item.id), item, "{}", item.record.title());
            kinds_seen.push(item.record.kind());
        }
        for kind in RecordKind::ALL {
            assert!(kinds_seen.contains(&kind), "the round trip should cover {kind}");
        }
        plan.validate(&areas).expect("the test plan is consistent");
    }

    #[test]
    fn an_objective_group_keeps_the_links_its_form_does_not_show() {
        let plan = plan();
        let mut group = plan.items[0].clone();
        group.serves = vec![id(3)];
        let ctx = FormContext { plan: &plan, areas: &[], editing: Some(&group) };
        let parsed = parse_item(RecordKind::ObjectiveGroup, &item_values(&group), &ctx).expect("valid");
        assert_eq!(parsed.serves, vec![id(3)]);
    }

    /// One bad value per row: the kind, the field replaced, the value typed, and the
    /// field and message expected.
    #[test]
    fn bad_values_give_the_field_its_govuk_error() {
        let plan = plan();
        let areas = areas();
        let milestone = &plan.items[5];
        let measure = &plan.items[6];
        let resource = &plan.items[8];
        let local = &plan.items[11];
        let section = &plan.items[17];
        // (record, boxes replaced with what was typed, field expected, message expected)
        type Row<'a> = (&'a Item, &'a [(&'a str, &'a str)], &'a str, &'a str);
        let cases: &[Row<'_>] = &[
            (milestone, &[("due-day", ""), ("due-month", ""), ("due-year", "")], "due", "Enter the due date"),
            (
                milestone,
                &[("due-day", "31"), ("due-month", "2"), ("due-year", "2014")],
                "due",
                "Due date must be a real date",
            ),
            (milestone, &[("due-day", "x")], "due", "Due date must be a real date"),
            (milestone, &[("due-month", "")], "due", "Due date must include a month"),
            (milestone, &[("due-day", ""), ("due-year", "")], "due", "Due date must include a day and year"),
            (milestone, &[("due-year", "14")], "due", "Due date year must include 4 numbers"),
            (milestone, &[("title", "  ")], "title", "Enter the title"),
            (milestone, &[("status", "finished")], "status", "Select the status"),
            (milestone, &[("parent", "")], "parent", "Select where the milestone sits in the plan"),
            // A milestone may not sit under an objective group (allowed_parents).
            (
                milestone,
                &[("parent", "00000000-0000-0000-0000-000000000001")],
                "parent",
                "Select where the milestone sits in the plan",
            ),
            (
                milestone,
                &[("serves", "00000000-0000-0000-0000-000000000004")],
                "serves",
                "Select objectives from the list",
            ),
            (resource, &[("amount", "lots")], "amount", "Amount must be an amount of money, like 1,250,000"),
            (resource, &[("amount", "")], "amount", "Enter the amount"),
            (
                resource,
                &[("financial_year", "2013/15")],
                "financial_year",
                "Financial year must be a financial year, like 2013/14",
            ),
            (resource, &[("line", "")], "line", "Enter the budget line"),
            (measure, &[("target_value", "ten")], "target_value", "Target value must be a number, like 42 or 12.5"),
            (measure, &[("target_value", "")], "target_value", "Enter the target value"),
            (
                measure,
                &[("target_by-day", "30"), ("target_by-month", "2")],
                "target_by",
                "Target date must be a real date",
            ),
            (
                measure,
                &[("ambition", "")],
                "ambition",
                "Select whether the measure has a target or a direction of travel",
            ),
            (measure, &[("ambition", "direction")], "direction", "Select the direction of travel"),
            (
                measure,
                &[("baseline_period", "")],
                "baseline_period",
                "Enter the baseline period, or leave the baseline value blank",
            ),
            (
                measure,
                &[("baseline_value", "")],
                "baseline_value",
                "Enter the baseline value, or leave the baseline period blank",
            ),
            (measure, &[("polarity", "")], "polarity", "Select the polarity"),
            (measure, &[("frequency", "weekly")], "frequency", "Select the reporting frequency"),
            (local, &[("area", "E09000001")], "area", "Select the local authority area"),
            (section, &[("elements", "s7")], "elements", "Select statutory elements this section covers from the list"),
        ];
        for (item, replacements, field, message) in cases {
            let mut values = item_values(item);
            for (name, value) in *replacements {
                values.0.retain(|(n, _)| n != name);
                values.push(*name, *value);
            }
            let ctx = FormContext { plan: &plan, areas: &areas, editing: Some(item) };
            let errors = parse_item(item.record.kind(), &values, &ctx)
                .expect_err(&format!("{replacements:?} should be refused for {}", item.record.title()));
            assert_eq!(errors.get(field), Some(*message), "{replacements:?}: {errors:?}");
        }
    }

    #[test]
    fn errors_are_listed_in_the_order_of_the_form_and_link_to_the_first_box() {
        let plan = plan();
        let ctx = FormContext { plan: &plan, areas: &[], editing: None };
        let mut values = new_values(RecordKind::Milestone, Some(id(5)));
        values.push("due-day", "1");
        let errors = parse_item(RecordKind::Milestone, &values, &ctx).expect_err("title and date missing");
        let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["title", "due"]);
        assert_eq!(errors.0[1].anchor, "due-month");
        assert_eq!(errors.0[1].message, "Due date must include a month and year");
    }

    #[test]
    fn field_views_keep_what_was_typed_and_show_each_error_beside_its_field() {
        let plan = plan();
        let ctx = FormContext { plan: &plan, areas: &[], editing: None };
        let mut values = new_values(RecordKind::Milestone, Some(id(5)));
        values.push("title", "Open the hub");
        values.push("due-day", "31");
        values.push("due-month", "2");
        values.push("due-year", "2014");
        let errors = parse_item(RecordKind::Milestone, &values, &ctx).expect_err("31 February");
        let views = field_views(RecordKind::Milestone, &ctx, &values, &errors);
        let due = views.iter().find(|v| v.name == "due").expect("a due field");
        assert_eq!((due.day.as_str(), due.month.as_str(), due.year.as_str()), ("31", "2", "2014"));
        assert_eq!(due.error.as_deref(), Some("Due date must be a real date"));
        assert_eq!(due.anchor(), "due-day");
        let title = views.iter().find(|v| v.name == "title").expect("a title field");
        assert_eq!(title.value, "Open the hub");
        assert_eq!(title.error, None);
        let parent = views.iter().find(|v| v.name == "parent").expect("a parent field");
        let chosen: Vec<&str> = parent.options.iter().filter(|o| o.selected).map(|o| o.label.as_str()).collect();
        assert_eq!(chosen, ["Commitment: Target offenders"]);
    }

    #[test]
    fn parent_options_offer_only_allowed_kinds_and_never_the_record_itself() {
        let plan = plan();
        let ctx = FormContext { plan: &plan, areas: &[], editing: None };
        let labels = |kind| ctx.parent_options(kind).into_iter().map(|(_, l)| l).collect::<Vec<_>>();
        assert_eq!(labels(RecordKind::Action), ["Action plan: Victims' summit", "Action plan: Business"]);
        assert_eq!(labels(RecordKind::Objective), ["Top level of the plan", "Objective group: Pride"]);
        assert_eq!(
            labels(RecordKind::Priority),
            ["Objective: Reduce crime", "Objective: Victims", "Local plan: Birmingham"]
        );
        assert!(fields(RecordKind::Grant).iter().all(|f| f.name != "parent"), "grants sit at the top level only");

        let objective = &plan.items[1];
        let editing = FormContext { plan: &plan, areas: &[], editing: Some(objective) };
        let options = editing.parent_options(RecordKind::Milestone);
        for excluded in [2, 4, 5] {
            assert!(options.iter().all(|(v, _)| *v != id(excluded).to_string()), "{excluded} is under the objective");
        }
        assert!(editing.objective_options().iter().all(|(v, _)| *v != objective.id.to_string()));
    }

    #[test]
    fn money_shows_without_the_pound_sign_the_input_prefix_gives() {
        assert_eq!(money_value(Pence(125_000_000)), "1,250,000");
        assert_eq!(money_value(Pence(-99)), "-0.99");
        assert_eq!(Pence::parse(&money_value(Pence(-99))), Ok(Pence(-99)));
    }
}
