//! The transparency checklist: what an elected local policing body must publish, how
//! often, and how to tell when it last did.
//!
//! [`DUTIES`] is one table of the publication duties of the Elected Local Policing Bodies
//! (Specified Information) Order 2011 (as amended) and the related duties of the Police
//! Reform and Social Responsibility Act 2011 (PRSRA), the Police Act 1996 and the
//! Equality Act 2010. Each duty has a cadence and says where the evidence that it was met
//! comes from:
//!
//! - [`Evidence::Records`]: pcplan publishes it itself (the plan, Notices of Decision,
//!   Panel papers, responses to Panel reports, annual reports), so the date it was last
//!   published is read from those records and nobody types it in;
//! - [`Evidence::Obligation`]: it is one of the recurring obligations of the statutory
//!   clock (equality information, precept), whose completion is the evidence;
//! - [`Evidence::Log`]: it is published elsewhere (a finance page, a register of
//!   interests), so staff record each publication, with its date and address, in the
//!   body's publication log.
//!
//! [`standing`] turns a duty and the date it was last published into the date it is next
//! due and whether that date has passed. A duty published "as it happens" has no next
//! date of its own; one never published has no date to count from, and is reported as
//! such rather than given an invented deadline.
//!
//! The cadences are the Order's where it fixes one and otherwise the common practice
//! of offices in England and Wales; `docs/transparency.md` says which is which, and a
//! body's monitoring officer should confirm them against the Order as amended. This
//! module does no I/O: the store gives it the dates.

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::clock::{FieldProblem, FieldProblems};
use crate::ids::{BodyId, PublicationId};
use crate::obligation::ObligationKind;

/// How often a duty comes round.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cadence {
    Monthly,
    Quarterly,
    Annually,
    EveryFourYears,
    /// Each time the thing happens (a decision is made, a report is received); there is
    /// no calendar date to miss, only the record of each one.
    AsItHappens,
}

impl Cadence {
    /// The months from one publication to the next, for a periodic duty.
    pub fn months(&self) -> Option<u32> {
        match self {
            Cadence::Monthly => Some(1),
            Cadence::Quarterly => Some(3),
            Cadence::Annually => Some(12),
            Cadence::EveryFourYears => Some(48),
            Cadence::AsItHappens => None,
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Cadence::Monthly => "Every month",
            Cadence::Quarterly => "Every quarter",
            Cadence::Annually => "Every year",
            Cadence::EveryFourYears => "At least every four years",
            Cadence::AsItHappens => "As each one happens",
        }
    }
}

/// The records pcplan publishes itself, read for the date a duty was last met.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Published {
    /// Issued and varied versions of the police and crime plan.
    PlanVersions,
    /// Signed Notices of Decision on the public register.
    Decisions,
    /// Published Panel papers (agendas, reports and minutes).
    PanelPapers,
    /// Published responses to Panel reports.
    PanelResponses,
    /// Published annual reports.
    AnnualReports,
}

impl Published {
    /// The public page where the records are, relative to the site root.
    pub fn public_path(&self) -> &'static str {
        match self {
            Published::PlanVersions => "/plan",
            Published::Decisions => "/decisions",
            Published::PanelPapers => "/meetings",
            Published::PanelResponses => "/reports",
            Published::AnnualReports => "/annual-reports",
        }
    }

    pub fn label(&self) -> &'static str {
        match self {
            Published::PlanVersions => "the plan's issued and varied versions in pcplan",
            Published::Decisions => "the register of Notices of Decision in pcplan",
            Published::PanelPapers => "the Panel's published papers in pcplan",
            Published::PanelResponses => "the published responses to Panel reports in pcplan",
            Published::AnnualReports => "the published annual reports in pcplan",
        }
    }
}

/// Where the evidence that a duty was met comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "from", content = "what", rename_all = "snake_case")]
pub enum Evidence {
    Records(Published),
    Obligation(ObligationKind),
    /// Published outside pcplan: staff record each publication in the log.
    Log,
}

/// One publication duty.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Duty {
    /// Stable identity, stored with each logged publication; never renamed.
    pub key: &'static str,
    pub title: &'static str,
    /// What has to be published, in a sentence.
    pub what: &'static str,
    pub citation: &'static str,
    pub cadence: Cadence,
    /// Where the cadence comes from when the citation does not fix it.
    pub cadence_note: &'static str,
    pub evidence: Evidence,
}

const SIO: &str = "Elected Local Policing Bodies (Specified Information) Order 2011, Schedule";
const SIO_2021: &str = "Elected Local Policing Bodies (Specified Information) Order 2011, Schedule, as amended in 2021";
const PRACTICE: &str = "pcplan's default, following common practice; the Order says when it must be kept up to date";

/// Every duty on the checklist, in the order the checklist shows them.
pub const DUTIES: &[Duty] = &[
    Duty {
        key: "who_we_are",
        title: "Who we are",
        what: "The body's name, contact details, the Commissioner's and any deputy's names, and the office's \
               structure (an organisation chart)",
        citation: SIO,
        cadence: Cadence::Annually,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "senior_staff_pay",
        title: "Senior staff and pay",
        what: "The names, roles and salaries of senior staff above the Order's threshold, and the number of staff",
        citation: SIO,
        cadence: Cadence::Annually,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "commissioner_pay_expenses",
        title: "The Commissioner's pay, allowances and expenses",
        what: "The salary and allowances of the Commissioner and any deputy, and the expenses they claimed",
        citation: SIO,
        cadence: Cadence::Quarterly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "interests",
        title: "Registers of interests",
        what: "The disclosable interests of the Commissioner, any deputy and senior staff",
        citation: SIO,
        cadence: Cadence::Annually,
        cadence_note: "pcplan's default; a register is also updated as each interest changes",
        evidence: Evidence::Log,
    },
    Duty {
        key: "gifts_hospitality",
        title: "Gifts and hospitality",
        what: "The register of gifts and hospitality offered to and accepted by the Commissioner, any deputy and \
               senior staff",
        citation: SIO,
        cadence: Cadence::Quarterly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "budget",
        title: "Budget and precept",
        what: "The budget of the body and of the force, the precept, and the statement of accounts",
        citation: SIO,
        cadence: Cadence::Annually,
        cadence_note: "each financial year, with the precept (the clock's precept dates are on the compliance \
                       dashboard)",
        evidence: Evidence::Log,
    },
    Duty {
        key: "spending_over_500",
        title: "Spending over £500",
        what: "Each item of expenditure over £500: the supplier, the amount, the date and what it was for",
        citation: SIO,
        cadence: Cadence::Monthly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "contracts",
        title: "Contracts and tenders",
        what: "Contracts and invitations to tender above the Order's value threshold, with the supplier and value",
        citation: SIO,
        cadence: Cadence::Quarterly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "grants",
        title: "Grants made",
        what: "Each crime and disorder reduction grant: the recipient, the amount, the purpose and any conditions \
               (the plan's grants are also in the open data download)",
        citation: "PRSRA 2011 s.9; Elected Local Policing Bodies (Specified Information) Order 2011, Schedule",
        cadence: Cadence::Annually,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "decisions",
        title: "Decisions of significant public interest",
        what: "A record of each decision of significant public interest: the Notice of Decision, with a public \
               stub for a confidential one",
        citation: SIO,
        cadence: Cadence::AsItHappens,
        cadence_note: "each decision, when it is signed",
        evidence: Evidence::Records(Published::Decisions),
    },
    Duty {
        key: "meetings",
        title: "Agendas, reports and minutes",
        what: "The agendas, reports and minutes of the public meetings where the Commissioner is held to account, \
               including the Police and Crime Panel's",
        citation: "Elected Local Policing Bodies (Specified Information) Order 2011, Schedule; Local Government Act \
                   1972 s.100A",
        cadence: Cadence::AsItHappens,
        cadence_note: "for each meeting, with the papers deadline on the compliance dashboard",
        evidence: Evidence::Records(Published::PanelPapers),
    },
    Duty {
        key: "police_and_crime_plan",
        title: "The police and crime plan",
        what: "The plan in force, and each variation of it",
        citation: "PRSRA 2011 s.5(6)-(8)",
        cadence: Cadence::AsItHappens,
        cadence_note: "on issue and on each variation",
        evidence: Evidence::Records(Published::PlanVersions),
    },
    Duty {
        key: "panel_responses",
        title: "Responses to Panel reports",
        what: "The Commissioner's response to each report or recommendation of the Police and Crime Panel",
        citation: "PRSRA 2011 s.28(4)-(5)",
        cadence: Cadence::AsItHappens,
        cadence_note: "for each report of the Panel",
        evidence: Evidence::Records(Published::PanelResponses),
    },
    Duty {
        key: "annual_report",
        title: "Annual report",
        what: "The annual report on the exercise of the Commissioner's functions and progress against the plan",
        citation: "PRSRA 2011 s.12",
        cadence: Cadence::Annually,
        cadence_note: "after each financial year",
        evidence: Evidence::Records(Published::AnnualReports),
    },
    Duty {
        key: "national_measures",
        title: "The national crime and policing measures",
        what: "A statement of the force's contribution to the Government's national crime and policing measures",
        citation: SIO_2021,
        cadence: Cadence::Quarterly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "complaints",
        title: "Complaints",
        what: "Information about complaints against the force and the Chief Constable, and about the body's own \
               handling of complaints and reviews",
        citation: SIO_2021,
        cadence: Cadence::Quarterly,
        cadence_note: PRACTICE,
        evidence: Evidence::Log,
    },
    Duty {
        key: "inspection_comments",
        title: "Comments on inspection reports",
        what: "The Commissioner's comments on each report of His Majesty's Inspectorate of Constabulary and Fire & \
               Rescue Services about the force, within 56 days of the report",
        citation: "Police Act 1996 s.55",
        cadence: Cadence::AsItHappens,
        cadence_note: "within 56 days of each report",
        evidence: Evidence::Log,
    },
    Duty {
        key: "policies",
        title: "Policies and procedures",
        what: "The policies and procedures the body follows: complaints, freedom of information, data protection, \
               records management and whistleblowing",
        citation: SIO,
        cadence: Cadence::Annually,
        cadence_note: "pcplan's default: reviewed every year",
        evidence: Evidence::Log,
    },
    Duty {
        key: "equality_information",
        title: "Equality information",
        what: "Information showing how the body complies with the public sector equality duty",
        citation: "Equality Act 2010 s.149; Equality Act 2010 (Specific Duties and Public Authorities) Regulations \
                   2017",
        cadence: Cadence::Annually,
        cadence_note: "every year, as a recurring obligation on the compliance dashboard",
        evidence: Evidence::Obligation(ObligationKind::EqualityInformation),
    },
    Duty {
        key: "equality_objectives",
        title: "Equality objectives",
        what: "One or more specific and measurable equality objectives",
        citation: "Equality Act 2010 (Specific Duties and Public Authorities) Regulations 2017",
        cadence: Cadence::EveryFourYears,
        cadence_note: "at least every four years, as a recurring obligation on the compliance dashboard",
        evidence: Evidence::Obligation(ObligationKind::EqualityObjectives),
    },
];

/// The duty with this key.
pub fn duty(key: &str) -> Option<&'static Duty> {
    DUTIES.iter().find(|d| d.key == key)
}

/// One publication recorded in a body's log: a duty met outside pcplan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Publication {
    pub id: PublicationId,
    pub body_id: BodyId,
    pub duty: String,
    pub published_on: NaiveDate,
    /// Where the public can read it.
    pub url: String,
    pub note: String,
    /// Who recorded it, and when (RFC 3339).
    pub recorded_by: String,
    pub recorded_at: String,
}

/// A publication to record, as typed on the checklist page. Its identity is chosen when
/// the form is drawn, so sending the same form twice records it once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewPublication {
    pub id: PublicationId,
    pub duty: String,
    pub published_on: NaiveDate,
    pub url: String,
    pub note: String,
}

/// Why a publication cannot be recorded; [`PublicationError::field`] names the field to fix.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PublicationError {
    #[error("`{0}` is not on the checklist; choose one of its duties")]
    UnknownDuty(String),
    #[error("{0} is published by pcplan itself, so there is nothing to record by hand")]
    NotLogged(&'static str),
    #[error("{} is after today; record a publication once it is published", .0.format("%-d %B %Y"))]
    InTheFuture(NaiveDate),
    #[error("enter the address where the public can read it, starting with https:// or http://")]
    BadUrl,
}

impl PublicationError {
    /// The form field the problem is in.
    pub fn field(&self) -> &'static str {
        match self {
            PublicationError::UnknownDuty(_) | PublicationError::NotLogged(_) => "duty",
            PublicationError::InTheFuture(_) => "published_on",
            PublicationError::BadUrl => "url",
        }
    }
}

impl From<PublicationError> for FieldProblems {
    fn from(error: PublicationError) -> FieldProblems {
        FieldProblems(vec![FieldProblem::new(error.field(), error.to_string())])
    }
}

impl NewPublication {
    /// The publication, trimmed and checked: a duty kept in the log, a date not after
    /// `today`, and a web address the public can follow.
    pub fn checked(self, today: NaiveDate) -> Result<NewPublication, PublicationError> {
        let key = self.duty.trim();
        let duty = duty(key).ok_or_else(|| PublicationError::UnknownDuty(key.to_string()))?;
        if duty.evidence != Evidence::Log {
            return Err(PublicationError::NotLogged(duty.title));
        }
        if self.published_on > today {
            return Err(PublicationError::InTheFuture(self.published_on));
        }
        let url = self.url.trim();
        let host = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://")).unwrap_or("");
        if host.is_empty() || host.starts_with('/') || url.chars().any(char::is_whitespace) {
            return Err(PublicationError::BadUrl);
        }
        Ok(NewPublication {
            id: self.id,
            duty: duty.key.to_string(),
            published_on: self.published_on,
            url: url.to_string(),
            note: self.note.trim().to_string(),
        })
    }
}

/// The last time a duty was met, from whichever evidence it has.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LastPublished {
    pub on: NaiveDate,
    /// What was published, in a few words ("Decision 018/2013", "Version 3, varied").
    pub what: String,
    /// Where it can be read: a site-relative path for pcplan's own records, the
    /// recorded address for a logged one.
    pub href: String,
}

/// Where a duty stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "standing", content = "due", rename_all = "snake_case")]
pub enum Standing {
    /// Nothing recorded yet: there is no date to count from.
    NeverPublished,
    /// Published as each thing happens; nothing is due by the calendar.
    AsItHappens,
    UpToDate(NaiveDate),
    /// Due within the horizon.
    DueSoon(NaiveDate),
    Overdue(NaiveDate),
}

/// The date a periodic duty last met on `last` is next due: the same day `months` later
/// (the month's last day where that month is shorter).
pub fn next_due(cadence: Cadence, last: NaiveDate) -> Option<NaiveDate> {
    cadence.months().and_then(|m| last.checked_add_months(Months::new(m)))
}

/// Where a duty stands on `today`, given when it was last published.
pub fn standing(duty: &Duty, last: Option<NaiveDate>, today: NaiveDate, horizon_days: i64) -> Standing {
    let Some(last) = last else { return Standing::NeverPublished };
    match next_due(duty.cadence, last) {
        None => Standing::AsItHappens,
        Some(due) if due < today => Standing::Overdue(due),
        Some(due) if due <= today + chrono::Duration::days(horizon_days) => Standing::DueSoon(due),
        Some(due) => Standing::UpToDate(due),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("a test date")
    }

    #[test]
    fn every_duty_has_a_unique_key_a_citation_and_a_note_on_its_cadence() {
        for (i, duty) in DUTIES.iter().enumerate() {
            assert!(
                !duty.citation.is_empty() && !duty.cadence_note.is_empty() && !duty.what.is_empty(),
                "{}",
                duty.key
            );
            assert!(DUTIES[i + 1..].iter().all(|other| other.key != duty.key), "{} twice", duty.key);
            assert_eq!(self::duty(duty.key), Some(duty));
        }
    }

    #[test]
    fn the_next_date_follows_the_cadence_from_the_last_publication() {
        // One row per case: cadence, last published, next due.
        for (cadence, last, due) in [
            (Cadence::Monthly, "2024-01-15", Some("2024-02-15")),
            (Cadence::Monthly, "2024-01-31", Some("2024-02-29")),
            (Cadence::Quarterly, "2024-11-30", Some("2025-02-28")),
            (Cadence::Annually, "2024-02-29", Some("2025-02-28")),
            (Cadence::EveryFourYears, "2022-04-01", Some("2026-04-01")),
            (Cadence::AsItHappens, "2024-01-15", None),
        ] {
            assert_eq!(next_due(cadence, d(last)), due.map(d), "{cadence:?} from {last}");
        }
    }

    #[test]
    fn a_duty_is_overdue_only_once_its_next_date_has_passed() {
        let monthly = duty("spending_over_500").expect("on the checklist");
        let today = d("2026-11-30");
        assert_eq!(standing(monthly, None, today, 30), Standing::NeverPublished);
        assert_eq!(standing(monthly, Some(d("2026-10-29")), today, 30), Standing::Overdue(d("2026-11-29")));
        assert_eq!(standing(monthly, Some(d("2026-10-30")), today, 30), Standing::DueSoon(d("2026-11-30")));
        assert_eq!(standing(monthly, Some(d("2026-11-30")), today, 14), Standing::UpToDate(d("2026-12-30")));
        let decisions = duty("decisions").expect("on the checklist");
        assert_eq!(standing(decisions, Some(d("2014-01-01")), today, 30), Standing::AsItHappens);
    }

    #[test]
    fn a_publication_is_recorded_only_for_a_logged_duty_with_a_real_address_and_a_past_date() {
        let today = d("2026-11-30");
        let new = |duty: &str, on: &str, url: &str| NewPublication {
            id: PublicationId::from_u128(1),
            duty: duty.to_string(),
            published_on: d(on),
            url: url.to_string(),
            note: String::from("  October's spending  "),
        };
        let ok = new(" spending_over_500 ", "2026-11-12", " https://www.example-pcc.org.uk/spending ")
            .checked(today)
            .expect("a good record");
        assert_eq!(
            (ok.duty.as_str(), ok.url.as_str(), ok.note.as_str()),
            ("spending_over_500", "https://www.example-pcc.org.uk/spending", "October's spending")
        );
        for (record, expected) in [
            (new("parking", "2026-11-12", "https://x.org"), PublicationError::UnknownDuty(String::from("parking"))),
            (
                new("decisions", "2026-11-12", "https://x.org"),
                PublicationError::NotLogged("Decisions of significant public interest"),
            ),
            (new("contracts", "2026-12-01", "https://x.org"), PublicationError::InTheFuture(d("2026-12-01"))),
            (new("contracts", "2026-11-01", "www.x.org"), PublicationError::BadUrl),
            (new("contracts", "2026-11-01", "https://"), PublicationError::BadUrl),
            (new("contracts", "2026-11-01", "https://x.org/a b"), PublicationError::BadUrl),
            (new("contracts", "2026-11-01", "javascript:alert(1)"), PublicationError::BadUrl),
        ] {
            assert_eq!(record.checked(today), Err(expected));
        }
    }
}
