//! Notices of Decision: the register of what the Commissioner decided, in the shape of
//! West Midlands decision 018/2013 (seed 001), and the plain document a notice renders to.
//!
//! A [`Decision`] is a draft until it is signed; signing publishes it and freezes its
//! content, so a later correction is a new decision or an appended [`Correction`] note,
//! never an edit. A draft that will not be signed is withdrawn and keeps its number, so
//! the register never skips one. Numbers ([`DecisionNumber`], `018/2013`) run from 1 in
//! each numbering year of each body; the year is the calendar year or the financial year
//! that starts in it, as the body's [`YearBasis`] says. This module decides what a valid
//! decision is and what a notice shows; it does not give numbers (the store does, inside
//! its write transaction, so two drafts made at once can never share one) and it does
//! not render HTML or PDF: [`Decision::notice`] builds a [`Notice`] of heading lines,
//! labelled sections and numbered paragraphs that both renderers read.

use std::fmt;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::clock::{FieldProblem, FieldProblems};
use crate::ids::{BodyId, DecisionId, ItemId, PlanId, VersionNumber};

/// The number of a decision within its body's register: `018/2013`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct DecisionNumber {
    /// The numbering year: the calendar year, or the first year of the financial year.
    pub year: i32,
    /// 1 for the first decision of the year.
    pub seq: u32,
}

impl DecisionNumber {
    /// `018-2013`: the number as a URL path segment.
    pub fn slug(&self) -> String {
        format!("{:03}-{}", self.seq, self.year)
    }
}

impl fmt::Display for DecisionNumber {
    /// `018/2013`, three digits at least, as OPCC registers write it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:03}/{}", self.seq, self.year)
    }
}

impl FromStr for DecisionNumber {
    type Err = String;

    /// Accepts `018/2013`, `18/2013` and the URL form `018-2013`.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim();
        let bad = || format!("`{s}` is not a decision number; write it like `018/2013`");
        let (seq, year) = s.split_once(['/', '-']).ok_or_else(bad)?;
        let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
        if !digits(seq) || !digits(year) || year.len() != 4 {
            return Err(bad());
        }
        let seq: u32 = seq.parse().map_err(|_| bad())?;
        let year: i32 = year.parse().map_err(|_| bad())?;
        if seq == 0 {
            return Err(bad());
        }
        Ok(DecisionNumber { year, seq })
    }
}

/// Which year a decision's number counts in: a setting of the body, stored.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum YearBasis {
    /// January to December, as West Midlands numbered 018/2013.
    #[default]
    Calendar,
    /// April to March; the number carries the year the financial year starts in.
    Financial,
}

impl YearBasis {
    /// The numbering year a decision drafted on `date` counts in.
    pub fn year_of(&self, date: NaiveDate) -> i32 {
        match self {
            YearBasis::Calendar => date.year(),
            YearBasis::Financial => crate::FinancialYear::containing(date).0,
        }
    }

    pub fn as_str(&self) -> &'static str {
        match self {
            YearBasis::Calendar => "calendar",
            YearBasis::Financial => "financial",
        }
    }

    pub fn parse(name: &str) -> Option<YearBasis> {
        match name {
            "calendar" => Some(YearBasis::Calendar),
            "financial" => Some(YearBasis::Financial),
            _ => None,
        }
    }

    /// How a person would say it.
    pub fn label(&self) -> &'static str {
        match self {
            YearBasis::Calendar => "Calendar year (January to December)",
            YearBasis::Financial => "Financial year (April to March)",
        }
    }
}

/// The register's settings for one body.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterSettings {
    #[serde(default)]
    pub year_basis: YearBasis,
}

/// Whether the body of a notice may be published.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Confidentiality {
    /// The whole notice is published once signed.
    #[default]
    Public,
    /// Only a stub is published (title, number, date and this reason); the body is for
    /// staff with the editor or administrator role.
    Confidential {
        /// The exemption relied on: `Local Government Act 1972 Sch 12A para 3
        /// (financial or business affairs)`, or an FOI Act 2000 exemption.
        exemption: String,
    },
}

impl Confidentiality {
    pub fn is_confidential(&self) -> bool {
        matches!(self, Confidentiality::Confidential { .. })
    }

    /// The reason given for a confidential decision; empty for a public one.
    pub fn exemption(&self) -> &str {
        match self {
            Confidentiality::Public => "",
            Confidentiality::Confidential { exemption } => exemption,
        }
    }
}

/// Who to ask about the decision.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ContactOfficer {
    pub name: String,
    #[serde(default)]
    pub telephone: String,
    #[serde(default)]
    pub email: String,
}

/// The office that takes the decision and the person holding it.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionMaker {
    /// `West Midlands Police and Crime Commissioner`.
    pub office: String,
    /// `Bob Jones`.
    pub holder: String,
}

/// The plan version a decision concerns (the version it issues, for a plan or variation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanLink {
    pub plan: PlanId,
    pub version: VersionNumber,
}

impl DecisionContent {
    /// The SHA-256 of the content's canonical JSON, hex-encoded. Struct fields serialise in
    /// declaration order and the content holds no maps, so the same content always gives
    /// the same hash.
    pub fn hash(&self) -> String {
        crate::file::json_hash(self)
    }
}

/// Everything staff write in a notice: the part that may change while it is a draft.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecisionContent {
    pub title: String,
    #[serde(default)]
    pub confidentiality: Confidentiality,
    pub contact: ContactOfficer,
    pub executive_summary: String,
    /// The decision itself: `That the Police and Crime Plan ... is approved for issue`.
    pub decision: String,
    pub decision_maker: DecisionMaker,
    /// The declaration of disclosable pecuniary interests above the signature.
    #[serde(default)]
    pub declaration: String,
    /// Facts and advice, one entry per numbered paragraph. Lines of a paragraph that
    /// start with `- ` are a bulleted list inside it.
    #[serde(default)]
    pub facts_and_advice: Vec<String>,
    /// Each implication is one or more paragraphs separated by blank lines; each
    /// paragraph is numbered after the facts and advice.
    #[serde(default)]
    pub financial_implications: String,
    #[serde(default)]
    pub legal_implications: String,
    #[serde(default)]
    pub equality_implications: String,
    /// One background paper per entry.
    #[serde(default)]
    pub background_papers: Vec<String>,
    /// The public access note (Freedom of Information).
    #[serde(default)]
    pub public_access: String,
    #[serde(default)]
    pub plan: Option<PlanLink>,
    /// Objectives of the plan the decision concerns.
    #[serde(default)]
    pub objectives: Vec<ItemId>,
    /// Grants of the plan the decision concerns.
    #[serde(default)]
    pub grants: Vec<ItemId>,
    /// A note shown with the notice on staff pages and the public page, for content that
    /// no real source gave (the demo marks its illustrative decisions here).
    #[serde(default)]
    pub note: String,
}

/// The declaration of seed 001, offered as the default on a new draft.
pub const DEFAULT_DECLARATION: &str = "I confirm that I do not have any disclosable pecuniary interests in this \
decision and take the decision in compliance with the Code of Conduct. Any interests are indicated below.";

/// The public access note of seed 001, offered as the default on a new draft.
pub const DEFAULT_PUBLIC_ACCESS: &str = "Information contained in this decision is subject to the Freedom of \
Information Act 2000 and other legislation. This decision will be made available on the Commissioner's website.";

impl DecisionContent {
    /// Every field that breaks its rule, each named by its path (`contact.email`).
    pub fn check(&self) -> Result<(), FieldProblems> {
        let mut problems = Vec::new();
        let mut required = |field: &str, value: &str, what: &str| {
            if value.trim().is_empty() {
                problems.push(FieldProblem::new(field, format!("enter {what}")));
            }
        };
        required("title", &self.title, "the title");
        required("contact.name", &self.contact.name, "the contact officer's name");
        required("executive_summary", &self.executive_summary, "the executive summary");
        required("decision", &self.decision, "the decision");
        required("decision_maker.office", &self.decision_maker.office, "the office that takes the decision");
        required("decision_maker.holder", &self.decision_maker.holder, "the name of the person who holds the office");
        if let Confidentiality::Confidential { exemption } = &self.confidentiality
            && exemption.trim().is_empty()
        {
            problems.push(FieldProblem::new(
                "confidentiality.exemption",
                "enter the exemption that keeps the decision confidential, like Local Government Act 1972 Sch 12A \
                 para 3",
            ));
        }
        let email = self.contact.email.trim();
        if !email.is_empty() && !looks_like_email(email) {
            problems.push(FieldProblem::new(
                "contact.email",
                format!("`{email}` is not an e-mail address; write it like name@example.police.uk"),
            ));
        }
        let phone = self.contact.telephone.trim();
        if !phone.is_empty() && !phone.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) {
            problems.push(FieldProblem::new(
                "contact.telephone",
                format!("`{phone}` is not a telephone number; use digits and spaces, like 0121 626 6060"),
            ));
        }
        for (index, paragraph) in self.facts_and_advice.iter().enumerate() {
            if paragraph.trim().is_empty() {
                problems.push(FieldProblem::new(format!("facts_and_advice[{index}]"), "paragraph is empty"));
            }
        }
        for (index, paper) in self.background_papers.iter().enumerate() {
            if paper.trim().is_empty() {
                problems.push(FieldProblem::new(format!("background_papers[{index}]"), "background paper is empty"));
            }
        }
        if problems.is_empty() { Ok(()) } else { Err(FieldProblems(problems)) }
    }
}

fn looks_like_email(text: &str) -> bool {
    match text.split_once('@') {
        Some((local, domain)) => {
            !local.is_empty()
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
                && !text.chars().any(char::is_whitespace)
        }
        None => false,
    }
}

/// Where a decision stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionStatus {
    /// Being written; may change; not public.
    Draft,
    /// Signed and published; its content never changes.
    Signed,
    /// A draft that will not be signed. It keeps its number so none is skipped.
    Withdrawn,
}

impl DecisionStatus {
    pub fn as_str(&self) -> &'static str {
        match self {
            DecisionStatus::Draft => "draft",
            DecisionStatus::Signed => "signed",
            DecisionStatus::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(name: &str) -> Option<DecisionStatus> {
        match name {
            "draft" => Some(DecisionStatus::Draft),
            "signed" => Some(DecisionStatus::Signed),
            "withdrawn" => Some(DecisionStatus::Withdrawn),
            _ => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            DecisionStatus::Draft => "Draft",
            DecisionStatus::Signed => "Signed",
            DecisionStatus::Withdrawn => "Withdrawn",
        }
    }
}

/// The signature record: who signed and on which day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Signature {
    pub signed_by: String,
    pub signed_on: NaiveDate,
}

/// Why a draft was withdrawn.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Withdrawal {
    pub on: NaiveDate,
    pub by: String,
    pub reason: String,
}

/// A note appended to a signed decision: a slip corrected in the open, never an edit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Correction {
    pub on: NaiveDate,
    pub by: String,
    pub text: String,
}

/// A Notice of Decision as the register keeps it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Decision {
    pub id: DecisionId,
    pub body_id: BodyId,
    /// Given by the store when the draft is made.
    pub number: DecisionNumber,
    pub status: DecisionStatus,
    /// The day the draft was made, which decides the numbering year.
    pub drafted_on: NaiveDate,
    pub content: DecisionContent,
    #[serde(default)]
    pub signature: Option<Signature>,
    #[serde(default)]
    pub withdrawal: Option<Withdrawal>,
    #[serde(default)]
    pub corrections: Vec<Correction>,
    /// The SHA-256 of the content's canonical JSON ([`DecisionContent::hash`]) when it was
    /// signed and so published: the publication record's proof of what was published.
    /// `pcplan audit verify` recomputes it; a decision signed before this was kept has
    /// none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub content_hash: Option<String>,
}

/// Why a change to a decision is refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DecisionError {
    #[error("decision {number} is signed; its content cannot change: add a correction note or make a new decision")]
    Signed { number: DecisionNumber },
    #[error("decision {number} was withdrawn; make a new decision instead")]
    Withdrawn { number: DecisionNumber },
    #[error("decision {number} is a draft; only a signed decision takes a correction note")]
    NotSigned { number: DecisionNumber },
    #[error(transparent)]
    Fields(#[from] FieldProblems),
}

impl Decision {
    /// Replaces a draft's content; refused once signed or withdrawn.
    pub fn update(&mut self, content: DecisionContent) -> Result<(), DecisionError> {
        self.require_draft()?;
        content.check()?;
        self.content = content;
        Ok(())
    }

    fn require_draft(&self) -> Result<(), DecisionError> {
        match self.status {
            DecisionStatus::Draft => Ok(()),
            DecisionStatus::Signed => Err(DecisionError::Signed { number: self.number }),
            DecisionStatus::Withdrawn => Err(DecisionError::Withdrawn { number: self.number }),
        }
    }

    /// Signs and so publishes a draft. The signature may not be dated before the draft
    /// was made nor after `today`.
    pub fn sign(&mut self, signature: Signature, today: NaiveDate) -> Result<(), DecisionError> {
        self.require_draft()?;
        self.content.check()?;
        let mut problems = Vec::new();
        if signature.signed_by.trim().is_empty() {
            problems.push(FieldProblem::new("signed_by", "enter the name of the person who signed"));
        }
        if signature.signed_on > today {
            problems.push(FieldProblem::new(
                "signed_on",
                format!("{} is in the future: record the signature once it is signed", signature.signed_on),
            ));
        } else if signature.signed_on < self.drafted_on {
            problems.push(FieldProblem::new(
                "signed_on",
                format!("{} is before the draft was made on {}", signature.signed_on, self.drafted_on),
            ));
        }
        if !problems.is_empty() {
            return Err(FieldProblems(problems).into());
        }
        self.signature = Some(Signature { signed_by: signature.signed_by.trim().to_string(), ..signature });
        self.status = DecisionStatus::Signed;
        self.content_hash = Some(self.content.hash());
        Ok(())
    }

    /// Whether the content still has the hash recorded when it was signed; `None` when no
    /// hash was recorded (a draft, a withdrawn draft).
    pub fn content_intact(&self) -> Option<bool> {
        self.content_hash.as_ref().map(|hash| *hash == self.content.hash())
    }

    /// Withdraws a draft; its number stays in the register, marked withdrawn.
    pub fn withdraw(&mut self, withdrawal: Withdrawal) -> Result<(), DecisionError> {
        self.require_draft()?;
        let mut problems = Vec::new();
        if withdrawal.reason.trim().is_empty() {
            problems.push(FieldProblem::new("reason", "enter why the draft is withdrawn"));
        }
        if withdrawal.by.trim().is_empty() {
            problems.push(FieldProblem::new("by", "enter who withdrew it"));
        }
        if !problems.is_empty() {
            return Err(FieldProblems(problems).into());
        }
        self.withdrawal = Some(withdrawal);
        self.status = DecisionStatus::Withdrawn;
        Ok(())
    }

    /// Appends a correction note to a signed decision.
    pub fn correct(&mut self, correction: Correction) -> Result<(), DecisionError> {
        if self.status != DecisionStatus::Signed {
            return Err(DecisionError::NotSigned { number: self.number });
        }
        if correction.text.trim().is_empty() {
            return Err(FieldProblems(vec![FieldProblem::new("text", "enter the correction")]).into());
        }
        self.corrections.push(correction);
        Ok(())
    }

    /// Whether the public may see it at all: signed decisions only.
    pub fn is_published(&self) -> bool {
        self.status == DecisionStatus::Signed
    }

    /// The date the public register files it under: the signature's date.
    pub fn published_on(&self) -> Option<NaiveDate> {
        self.signature.as_ref().map(|s| s.signed_on)
    }

    /// The notice as a plain document. With `full` false, a confidential decision gives
    /// only its stub: heading, number, title, date and the exemption, never its body.
    /// A public decision always gives the whole notice.
    pub fn notice(&self, body_name: &str, full: bool) -> Notice {
        let confidential = self.content.confidentiality.is_confidential();
        let marking = if confidential { "CONFIDENTIAL" } else { "NON-CONFIDENTIAL" };
        let mut notice = Notice {
            heading: vec![body_name.to_uppercase(), format!("{marking} NOTICE OF DECISION"), self.number.to_string()],
            title: self.content.title.clone(),
            stub: confidential && !full,
            exemption: self.content.confidentiality.exemption().to_string(),
            sections: Vec::new(),
        };
        if notice.stub {
            let mut lines = vec![Line::Labelled {
                label: String::from("Reason it is not published"),
                text: notice.exemption.clone(),
            }];
            if let Some(signature) = &self.signature {
                lines.push(Line::Labelled { label: String::from("Date"), text: long_date(signature.signed_on) });
            }
            notice.sections.push(NoticeSection { heading: String::new(), lines });
            return notice;
        }
        let c = &self.content;
        let mut contact = vec![Line::Labelled { label: String::from("Contact Officer"), text: c.contact.name.clone() }];
        if !c.contact.telephone.is_empty() {
            contact.push(Line::Labelled { label: String::from("Telephone Number"), text: c.contact.telephone.clone() });
        }
        if !c.contact.email.is_empty() {
            contact.push(Line::Labelled { label: String::from("Email"), text: c.contact.email.clone() });
        }
        contact.push(Line::Labelled { label: String::from("Title"), text: c.title.clone() });
        notice.sections.push(NoticeSection { heading: String::new(), lines: contact });
        notice.sections.push(NoticeSection::text("EXECUTIVE SUMMARY", &c.executive_summary));
        notice.sections.push(NoticeSection::text("DECISION", &c.decision));
        let mut signed = vec![Line::Text(c.decision_maker.office.clone())];
        if !c.declaration.trim().is_empty() {
            signed.extend(paragraphs(&c.declaration).into_iter().map(Line::Text));
        }
        let (by, on) = match &self.signature {
            Some(s) => (s.signed_by.clone(), long_date(s.signed_on)),
            None => (String::from("(not signed: draft)"), String::from("(not signed: draft)")),
        };
        signed.push(Line::Labelled { label: String::from("Signature"), text: by });
        signed.push(Line::Labelled { label: String::from("Date"), text: on });
        notice.sections.push(NoticeSection { heading: String::from("DECLARATION"), lines: signed });

        let mut number = 0u32;
        let mut numbered = |text: &str| -> Line {
            number += 1;
            let (lead, bullets) = split_bullets(text);
            Line::Numbered { number, text: lead, bullets }
        };
        let facts_heading = format!("{marking} FACTS AND ADVICE TO THE {}", c.decision_maker.office.to_uppercase());
        let facts: Vec<Line> = c.facts_and_advice.iter().map(|p| numbered(p)).collect();
        if !facts.is_empty() {
            notice.sections.push(NoticeSection { heading: facts_heading, lines: facts });
        }
        for (heading, text) in [
            ("FINANCIAL IMPLICATIONS", &c.financial_implications),
            ("LEGAL IMPLICATIONS", &c.legal_implications),
            ("EQUALITY IMPLICATIONS", &c.equality_implications),
        ] {
            let lines: Vec<Line> = paragraphs(text).iter().map(|p| numbered(p)).collect();
            if !lines.is_empty() {
                notice.sections.push(NoticeSection { heading: heading.to_string(), lines });
            }
        }
        let papers: Vec<Line> = c.background_papers.iter().map(|p| numbered(p)).collect();
        if !papers.is_empty() {
            notice
                .sections
                .push(NoticeSection { heading: String::from("Schedule of Background Papers"), lines: papers });
        }
        let access: Vec<Line> = paragraphs(&c.public_access).iter().map(|p| numbered(p)).collect();
        if !access.is_empty() {
            notice
                .sections
                .push(NoticeSection { heading: String::from("Public Access to Information"), lines: access });
        }
        for correction in &self.corrections {
            notice.sections.push(NoticeSection {
                heading: format!("CORRECTION NOTE, {}", long_date(correction.on).to_uppercase()),
                lines: vec![
                    Line::Text(correction.text.clone()),
                    Line::Labelled { label: String::from("Recorded by"), text: correction.by.clone() },
                ],
            });
        }
        notice
    }
}

/// Paragraphs of a text: blocks separated by blank lines, trimmed, empties dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    let normalised = text.replace("\r\n", "\n");
    normalised.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).map(str::to_string).collect()
}

/// A paragraph's lead text and the `- ` bullets inside it.
fn split_bullets(text: &str) -> (String, Vec<String>) {
    let mut lead = Vec::new();
    let mut bullets = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if let Some(item) = trimmed.strip_prefix("- ") {
            bullets.push(item.trim().to_string());
        } else if !trimmed.is_empty() {
            if bullets.is_empty() {
                lead.push(trimmed);
            } else if let Some(last) = bullets.last_mut() {
                // A line after a bullet continues it.
                last.push(' ');
                last.push_str(trimmed);
            }
        }
    }
    (lead.join(" "), bullets)
}

/// `28 March 2013`.
pub fn long_date(date: NaiveDate) -> String {
    date.format("%-d %B %Y").to_string()
}

/// A notice as a plain document: what both the HTML page and the PDF show, in order.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Notice {
    /// The heading block: the body's name, the marking line, the number.
    pub heading: Vec<String>,
    pub title: String,
    /// True when only the public stub of a confidential decision is given.
    pub stub: bool,
    /// The exemption of a confidential decision; empty for a public one.
    pub exemption: String,
    pub sections: Vec<NoticeSection>,
}

/// One part of a notice, under an optional heading.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NoticeSection {
    /// Empty for the untitled block of contact details.
    pub heading: String,
    pub lines: Vec<Line>,
}

impl NoticeSection {
    fn text(heading: &str, text: &str) -> NoticeSection {
        NoticeSection { heading: heading.to_string(), lines: paragraphs(text).into_iter().map(Line::Text).collect() }
    }
}

/// One line or paragraph of a notice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Line {
    /// A plain paragraph.
    Text(String),
    /// `Contact Officer: Jacky Courtney`.
    Labelled { label: String, text: String },
    /// A numbered paragraph, numbered through the facts, implications, papers and access.
    Numbered { number: u32, text: String, bullets: Vec<String> },
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
    }

    fn content() -> DecisionContent {
        DecisionContent {
            title: String::from("Police and Crime Plan"),
            contact: ContactOfficer { name: String::from("Jacky Courtney"), ..Default::default() },
            executive_summary: String::from("Summary"),
            decision: String::from("Approve"),
            decision_maker: DecisionMaker { office: String::from("Commissioner"), holder: String::from("Bob Jones") },
            facts_and_advice: vec![String::from("First.\n- one\n- two"), String::from("Second.")],
            financial_implications: String::from("Money."),
            background_papers: vec![String::from("PRSRA 2011")],
            public_access: String::from("FOI."),
            ..Default::default()
        }
    }

    fn draft() -> Decision {
        Decision {
            id: DecisionId::from_u128(1),
            body_id: BodyId::from_u128(2),
            number: DecisionNumber { year: 2013, seq: 18 },
            status: DecisionStatus::Draft,
            drafted_on: date(2013, 3, 20),
            content: content(),
            signature: None,
            withdrawal: None,
            corrections: Vec::new(),
            content_hash: None,
        }
    }

    #[test]
    fn signing_records_the_hash_of_what_was_published_and_a_change_shows() {
        let mut d = draft();
        assert_eq!(d.content_intact(), None, "a draft has no hash");
        d.sign(Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 3, 28) }, date(2013, 4, 1))
            .expect("signs");
        assert_eq!(d.content_hash.as_deref().map(str::len), Some(64));
        assert_eq!(d.content_intact(), Some(true));
        d.content.title.push('!');
        assert_eq!(d.content_intact(), Some(false), "an edit behind the register's back is found");
    }

    #[test]
    fn numbers_read_and_write_as_registers_do() {
        let n: DecisionNumber = "018/2013".parse().expect("valid");
        assert_eq!(n, DecisionNumber { year: 2013, seq: 18 });
        assert_eq!(n.to_string(), "018/2013");
        assert_eq!(n.slug(), "018-2013");
        assert_eq!("18-2013".parse::<DecisionNumber>(), Ok(n));
        assert_eq!("1234/2014".parse::<DecisionNumber>().map(|n| n.to_string()), Ok(String::from("1234/2014")));
        for bad in ["", "018", "0/2013", "x/2013", "018/13", "018/2013/1"] {
            assert!(bad.parse::<DecisionNumber>().is_err(), "{bad}");
        }
    }

    #[test]
    fn the_numbering_year_follows_the_body_setting() {
        assert_eq!(YearBasis::Calendar.year_of(date(2014, 2, 25)), 2014);
        assert_eq!(YearBasis::Financial.year_of(date(2014, 2, 25)), 2013);
        assert_eq!(YearBasis::Financial.year_of(date(2014, 4, 1)), 2014);
    }

    #[test]
    fn each_missing_field_is_named() {
        let c = DecisionContent {
            confidentiality: Confidentiality::Confidential { exemption: String::new() },
            contact: ContactOfficer { email: String::from("not an address"), ..Default::default() },
            ..Default::default()
        };
        let fields: Vec<String> = c.check().expect_err("empty").0.into_iter().map(|p| p.field).collect();
        assert_eq!(
            fields,
            [
                "title",
                "contact.name",
                "executive_summary",
                "decision",
                "decision_maker.office",
                "decision_maker.holder",
                "confidentiality.exemption",
                "contact.email"
            ]
        );
    }

    #[test]
    fn a_signed_decision_cannot_change_but_takes_a_correction_note() {
        let mut d = draft();
        let signature = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 3, 28) };
        d.sign(signature.clone(), date(2013, 3, 28)).expect("signs");
        assert_eq!(d.status, DecisionStatus::Signed);
        assert_eq!(d.update(content()), Err(DecisionError::Signed { number: d.number }));
        assert!(d.sign(signature, date(2013, 3, 28)).is_err());
        let note = Correction { on: date(2013, 4, 2), by: String::from("OPCC"), text: String::from("Para 10 is 11.") };
        d.correct(note).expect("a note is appended");
        assert_eq!(d.corrections.len(), 1);
    }

    #[test]
    fn a_signature_in_the_future_or_before_the_draft_is_refused() {
        let mut d = draft();
        let early = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 3, 1) };
        let err = d.sign(early, date(2013, 3, 28)).expect_err("before the draft");
        assert!(matches!(err, DecisionError::Fields(ref p) if p.0[0].field == "signed_on"), "{err:?}");
        let late = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 4, 1) };
        assert!(d.sign(late, date(2013, 3, 28)).is_err());
        assert_eq!(d.status, DecisionStatus::Draft);
    }

    #[test]
    fn a_withdrawn_draft_keeps_its_number_and_cannot_be_signed() {
        let mut d = draft();
        let w = Withdrawal { on: date(2013, 3, 21), by: String::from("OPCC"), reason: String::from("Superseded") };
        d.withdraw(w).expect("withdrawn");
        assert_eq!(d.number.to_string(), "018/2013");
        let s = Signature { signed_by: String::from("Bob Jones"), signed_on: date(2013, 3, 28) };
        assert_eq!(d.sign(s, date(2013, 3, 28)), Err(DecisionError::Withdrawn { number: d.number }));
    }

    #[test]
    fn the_notice_numbers_paragraphs_through_every_section() {
        let notice = draft().notice("West Midlands Police and Crime Commissioner", false);
        assert_eq!(
            notice.heading,
            ["WEST MIDLANDS POLICE AND CRIME COMMISSIONER", "NON-CONFIDENTIAL NOTICE OF DECISION", "018/2013"]
        );
        let numbers: Vec<u32> = notice
            .sections
            .iter()
            .flat_map(|s| &s.lines)
            .filter_map(|l| match l {
                Line::Numbered { number, .. } => Some(*number),
                _ => None,
            })
            .collect();
        assert_eq!(numbers, [1, 2, 3, 4, 5]);
        let first = notice.sections.iter().flat_map(|s| &s.lines).find(|l| matches!(l, Line::Numbered { .. }));
        assert_eq!(
            first,
            Some(&Line::Numbered {
                number: 1,
                text: String::from("First."),
                bullets: vec![String::from("one"), String::from("two")]
            })
        );
    }

    #[test]
    fn a_confidential_stub_carries_no_body_text() {
        let mut d = draft();
        d.content.confidentiality = Confidentiality::Confidential { exemption: String::from("Sch 12A para 3") };
        d.content.decision = String::from("Buy the secret building");
        let stub = d.notice("Body", false);
        assert!(stub.stub);
        assert_eq!(stub.heading[1], "CONFIDENTIAL NOTICE OF DECISION");
        let text = serde_json::to_string(&stub).expect("json");
        assert!(!text.contains("secret building"), "{text}");
        assert!(d.notice("Body", true).sections.iter().any(|s| s.heading == "DECISION"));
    }
}
