//! The statutory contents check: does a plan contain what PRSRA 2011 s.7(1) requires,
//! and which of the usual further functions does it cover?
//!
//! The check reads records and the staff's mapping of narrative sections to elements and
//! functions. It never searches free text for keywords: a section counts for an element
//! only because a person said it does, so the result can be explained and challenged.
//! This module does not decide whether the content is good, only whether it is there.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::plan::{Plan, Record, RecordKind};

/// The six things a plan must contain, PRSRA 2011 s.7(1)(a)-(f).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StatutoryElement {
    /// (a) the body's police and crime objectives.
    Objectives,
    /// (b) the policing the Chief Constable is to provide.
    Policing,
    /// (c) the financial and other resources provided to the Chief Constable.
    Resources,
    /// (d) how the Chief Constable will report to the body.
    Reporting,
    /// (e) how the Chief Constable's performance will be measured.
    PerformanceMeasures,
    /// (f) the crime and disorder reduction grants and their conditions.
    Grants,
}

impl StatutoryElement {
    pub const ALL: [StatutoryElement; 6] = [
        StatutoryElement::Objectives,
        StatutoryElement::Policing,
        StatutoryElement::Resources,
        StatutoryElement::Reporting,
        StatutoryElement::PerformanceMeasures,
        StatutoryElement::Grants,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            StatutoryElement::Objectives => "objectives",
            StatutoryElement::Policing => "policing",
            StatutoryElement::Resources => "resources",
            StatutoryElement::Reporting => "reporting",
            StatutoryElement::PerformanceMeasures => "performance_measures",
            StatutoryElement::Grants => "grants",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|e| e.as_str() == name)
    }

    /// The statutory reference: `s.7(1)(a)`.
    pub fn reference(&self) -> &'static str {
        match self {
            StatutoryElement::Objectives => "s.7(1)(a)",
            StatutoryElement::Policing => "s.7(1)(b)",
            StatutoryElement::Resources => "s.7(1)(c)",
            StatutoryElement::Reporting => "s.7(1)(d)",
            StatutoryElement::PerformanceMeasures => "s.7(1)(e)",
            StatutoryElement::Grants => "s.7(1)(f)",
        }
    }

    /// What the element requires, in the Act's terms.
    pub fn label(&self) -> &'static str {
        match self {
            StatutoryElement::Objectives => "the police and crime objectives",
            StatutoryElement::Policing => "the policing the Chief Constable is to provide",
            StatutoryElement::Resources => "the financial and other resources provided to the Chief Constable",
            StatutoryElement::Reporting => "how the Chief Constable will report to the body",
            StatutoryElement::PerformanceMeasures => "how the Chief Constable's performance will be measured",
            StatutoryElement::Grants => "the crime and disorder reduction grants and their conditions",
        }
    }
}

impl fmt::Display for StatutoryElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.reference(), self.label())
    }
}

/// The further functions plans usually also cover (the 2021 West Midlands paper, para 4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FurtherFunction {
    CommunitySafety,
    VictimsServices,
    CriminalJustice,
    ViolenceReduction,
    PartnershipWork,
    CustodyVisiting,
    ComplaintsReviews,
    MisconductSupport,
    PensionForfeiture,
    BlueLightCollaboration,
    StrategicPolicingRequirement,
    ConsultationDuties,
    SafeguardingAndEquality,
    InspectorateRecommendations,
}

impl FurtherFunction {
    pub const ALL: [FurtherFunction; 14] = [
        FurtherFunction::CommunitySafety,
        FurtherFunction::VictimsServices,
        FurtherFunction::CriminalJustice,
        FurtherFunction::ViolenceReduction,
        FurtherFunction::PartnershipWork,
        FurtherFunction::CustodyVisiting,
        FurtherFunction::ComplaintsReviews,
        FurtherFunction::MisconductSupport,
        FurtherFunction::PensionForfeiture,
        FurtherFunction::BlueLightCollaboration,
        FurtherFunction::StrategicPolicingRequirement,
        FurtherFunction::ConsultationDuties,
        FurtherFunction::SafeguardingAndEquality,
        FurtherFunction::InspectorateRecommendations,
    ];

    pub fn as_str(&self) -> &'static str {
        match self {
            FurtherFunction::CommunitySafety => "community_safety",
            FurtherFunction::VictimsServices => "victims_services",
            FurtherFunction::CriminalJustice => "criminal_justice",
            FurtherFunction::ViolenceReduction => "violence_reduction",
            FurtherFunction::PartnershipWork => "partnership_work",
            FurtherFunction::CustodyVisiting => "custody_visiting",
            FurtherFunction::ComplaintsReviews => "complaints_reviews",
            FurtherFunction::MisconductSupport => "misconduct_support",
            FurtherFunction::PensionForfeiture => "pension_forfeiture",
            FurtherFunction::BlueLightCollaboration => "blue_light_collaboration",
            FurtherFunction::StrategicPolicingRequirement => "strategic_policing_requirement",
            FurtherFunction::ConsultationDuties => "consultation_duties",
            FurtherFunction::SafeguardingAndEquality => "safeguarding_and_equality",
            FurtherFunction::InspectorateRecommendations => "inspectorate_recommendations",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.as_str() == name)
    }

    pub fn label(&self) -> &'static str {
        match self {
            FurtherFunction::CommunitySafety => "Community safety",
            FurtherFunction::VictimsServices => "Services to victims of crime",
            FurtherFunction::CriminalJustice => "Efficiency and effectiveness of criminal justice",
            FurtherFunction::ViolenceReduction => "Violence reduction",
            FurtherFunction::PartnershipWork => "Other partnership work",
            FurtherFunction::CustodyVisiting => "Custody visiting and appropriate adults",
            FurtherFunction::ComplaintsReviews => "Complaints reviews and professional standards",
            FurtherFunction::MisconductSupport => "Support to police misconduct processes",
            FurtherFunction::PensionForfeiture => "Forfeiture of police pensions",
            FurtherFunction::BlueLightCollaboration => "Collaboration with fire and ambulance services",
            FurtherFunction::StrategicPolicingRequirement => "The Strategic Policing Requirement",
            FurtherFunction::ConsultationDuties => "Consultation and engagement duties",
            FurtherFunction::SafeguardingAndEquality => "Safeguarding and equality duties",
            FurtherFunction::InspectorateRecommendations => "Responding to HMICFRS and other inspectorates",
        }
    }
}

/// The result of the check for one statutory element.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ElementResult {
    pub element: StatutoryElement,
    pub reference: String,
    pub label: String,
    pub present: bool,
    /// What satisfies the element: `10 objectives`, `section "Resources"`.
    pub evidence: Vec<String>,
    /// When missing: what is missing and how to fix it.
    pub problem: Option<String>,
}

/// The result of the check for one further function.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FunctionResult {
    pub function: FurtherFunction,
    pub label: String,
    pub covered: bool,
    /// The sections mapped to it that have text.
    pub sections: Vec<String>,
}

/// The whole contents check of one plan or version.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ContentsReport {
    /// True when all six statutory elements are present.
    pub valid: bool,
    pub elements: Vec<ElementResult>,
    pub functions: Vec<FunctionResult>,
}

impl ContentsReport {
    /// The elements that are missing.
    pub fn missing(&self) -> impl Iterator<Item = &ElementResult> {
        self.elements.iter().filter(|e| !e.present)
    }

    /// A plain-text report for the command line.
    pub fn to_text(&self) -> String {
        let mut out = String::new();
        out.push_str(if self.valid {
            "Statutory contents (PRSRA 2011 s.7(1)): all six elements present\n"
        } else {
            "Statutory contents (PRSRA 2011 s.7(1)): NOT a valid plan, elements missing\n"
        });
        for e in &self.elements {
            if e.present {
                out.push_str(&format!("  ok       {} {}: {}\n", e.reference, e.label, e.evidence.join("; ")));
            } else {
                out.push_str(&format!(
                    "  MISSING  {} {}: {}\n",
                    e.reference,
                    e.label,
                    e.problem.as_deref().unwrap_or("missing")
                ));
            }
        }
        let covered = self.functions.iter().filter(|f| f.covered).count();
        out.push_str(&format!("Further functions: {covered} of {} covered\n", self.functions.len()));
        for f in &self.functions {
            if f.covered {
                out.push_str(&format!("  covered      {}: {}\n", f.label, f.sections.join("; ")));
            } else {
                out.push_str(&format!("  not covered  {}\n", f.label));
            }
        }
        out
    }
}

/// Runs the contents check. Each element's rule, and why:
///
/// - (a) needs at least one objective record: objectives are the plan's spine and a
///   section of prose cannot stand in for them.
/// - (b) and (d) are narrative by nature, so they need a section mapped to them that
///   has text.
/// - (c) needs a resource line marked as provided to the Chief Constable, or a mapped
///   section (some plans refer to the budget decision instead of listing lines).
/// - (e) needs a measure record or a mapped section.
/// - (f) needs a grant record or a mapped section: a plan that makes no grants must say
///   so, and a section saying so satisfies the element.
///
/// A further function is covered by a section mapped to it that has text; further
/// functions never make a plan invalid.
pub fn check_contents(plan: &Plan) -> ContentsReport {
    let sections: Vec<&crate::plan::Section> = plan
        .items
        .iter()
        .filter_map(|i| match &i.record {
            Record::Section(s) => Some(s),
            _ => None,
        })
        .collect();
    let mapped = |element: StatutoryElement| -> Vec<String> {
        sections
            .iter()
            .filter(|s| s.elements.contains(&element) && !s.text.trim().is_empty())
            .map(|s| format!("section \"{}\"", s.title))
            .collect()
    };
    let empty_mapped = |element: StatutoryElement| -> Vec<String> {
        sections
            .iter()
            .filter(|s| s.elements.contains(&element) && s.text.trim().is_empty())
            .map(|s| s.title.clone())
            .collect()
    };
    let count = |kind: RecordKind| plan.of_kind(kind).count();
    let counted = |n: usize, kind: RecordKind| -> String {
        if n == 1 { format!("1 {}", kind.label()) } else { format!("{n} {}", kind.plural()) }
    };

    let mut elements = Vec::new();
    for element in StatutoryElement::ALL {
        let mut evidence = Vec::new();
        let problem = match element {
            StatutoryElement::Objectives => {
                let n = count(RecordKind::Objective);
                if n > 0 {
                    evidence.push(counted(n, RecordKind::Objective));
                }
                evidence.extend(mapped(element));
                (n == 0).then(|| String::from("the plan has no objectives; add at least one objective"))
            }
            StatutoryElement::Policing | StatutoryElement::Reporting => {
                evidence.extend(mapped(element));
                evidence.is_empty().then(|| missing_section(element, &empty_mapped(element)))
            }
            StatutoryElement::Resources => {
                let n = plan
                    .items
                    .iter()
                    .filter(|i| matches!(&i.record, Record::Resource(r) if r.to_chief_constable))
                    .count();
                if n > 0 {
                    evidence.push(format!(
                        "{n} resource line{} provided to the Chief Constable",
                        if n == 1 { "" } else { "s" }
                    ));
                }
                evidence.extend(mapped(element));
                evidence.is_empty().then(|| {
                    format!(
                        "no resource line is marked as provided to the Chief Constable and {}; add a resource line or map a section to {}",
                        no_section_phrase(&empty_mapped(element)),
                        element.reference()
                    )
                })
            }
            StatutoryElement::PerformanceMeasures => {
                let n = count(RecordKind::Measure);
                if n > 0 {
                    evidence.push(counted(n, RecordKind::Measure));
                }
                evidence.extend(mapped(element));
                evidence.is_empty().then(|| {
                    format!(
                        "the plan has no measures and {}; add a measure or map a section to {}",
                        no_section_phrase(&empty_mapped(element)),
                        element.reference()
                    )
                })
            }
            StatutoryElement::Grants => {
                let n = count(RecordKind::Grant);
                if n > 0 {
                    evidence.push(counted(n, RecordKind::Grant));
                }
                evidence.extend(mapped(element));
                evidence.is_empty().then(|| {
                    format!(
                        "the plan has no grants and {}; add the grants, or map a section to {} that says no grants are made",
                        no_section_phrase(&empty_mapped(element)),
                        element.reference()
                    )
                })
            }
        };
        elements.push(ElementResult {
            element,
            reference: element.reference().to_string(),
            label: element.label().to_string(),
            present: problem.is_none(),
            evidence,
            problem,
        });
    }

    let functions = FurtherFunction::ALL
        .into_iter()
        .map(|function| {
            // A section counts only when it has text, as for the statutory elements: a
            // heading mapped to a function but not yet written covers nothing. (Counting it
            // reported "covered" for a plan that says nothing on the function.)
            let sections: Vec<String> = sections
                .iter()
                .filter(|s| s.functions.contains(&function) && !s.text.trim().is_empty())
                .map(|s| format!("section \"{}\"", s.title))
                .collect();
            FunctionResult { function, label: function.label().to_string(), covered: !sections.is_empty(), sections }
        })
        .collect();

    ContentsReport { valid: elements.iter().all(|e| e.present), elements, functions }
}

fn no_section_phrase(empty: &[String]) -> String {
    if empty.is_empty() {
        String::from("no section is mapped to it")
    } else {
        format!("the mapped section(s) {} have no text", quote_list(empty))
    }
}

fn missing_section(element: StatutoryElement, empty: &[String]) -> String {
    if empty.is_empty() {
        format!(
            "no section is mapped to {}; write a section on {} and map it to {}",
            element.reference(),
            element.label(),
            element.reference()
        )
    } else {
        format!(
            "the section(s) {} mapped to {} have no text; write {}",
            quote_list(empty),
            element.reference(),
            element.label()
        )
    }
}

fn quote_list(items: &[String]) -> String {
    items.iter().map(|s| format!("\"{s}\"")).collect::<Vec<_>>().join(", ")
}
