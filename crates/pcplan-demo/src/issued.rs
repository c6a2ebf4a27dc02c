//! The West Midlands Police and Crime Plan as issued on 28 March 2013.
//!
//! What the seeds give is used as they give it: the vision, the ten objectives in two
//! groups of five with their exact titles (seed 001, paras 7-8), the local policing and
//! crime plans the Force developed for 2013-14 (para 3), the Strategic Policing
//! Requirement (para 10), the sources the plan drew on (para 4) and the Board's
//! monitoring role (para 12). Everything else (priorities, commitments, owners,
//! milestone dates and statuses, measures, amounts, grant conditions, summit actions)
//! is plausible content written for the demo and marked illustrative. It is not the real
//! plan's text and must never be quoted as such. This module only builds values.

use pcplan_domain::{
    Ambition, Baseline, Direction, Frequency, FurtherFunction as F, Measure, Plan, Polarity, Record, Status,
    StatutoryElement as E,
};

use crate::build::{
    Items, Source, action, action_plan, commitment, grant, group, local_plan, milestone, objective, priority, resource,
    section,
};
use crate::ids::*;

/// The title the plan keeps across every version.
pub(crate) const TITLE: &str = "West Midlands Police and Crime Plan";
/// The vision every objective serves (seed 001, para 7).
pub(crate) const VISION: &str = "Pride in our Police";

/// The two groups of five objectives, with their exact titles (seed 001, paras 7-8).
pub const OBJECTIVE_GROUPS: [(&str, [&str; 5]); 2] = [
    (
        "Ownership of the service by those to whom it is delivered",
        [
            "Improving public confidence in policing",
            "Creating stronger partnerships",
            "Developing greater local identity across the West Midlands",
            "Demonstrating the Force's commitment to social responsibility",
            "Delivering better value for money",
        ],
    ),
    (
        "Improved delivery of policing services",
        [
            "Reducing crime and offending",
            "Better protecting people from harm",
            "Improving the service the public receive from the police",
            "Supporting stronger communities",
            "Ensuring a more effective contribution to national policing",
        ],
    ),
];

/// The Force's name, used as the lead organisation of most commitments.
const WMP: &str = "West Midlands Police";
const OPCC: &str = "Office of the Police and Crime Commissioner";

pub(crate) fn plan() -> Plan {
    use Source::{Illustrative, Seed};
    let mut items = Items::default();

    // The vision and the objectives: seed 001, paras 7-8, word for word.
    items.add(
        Seed,
        SEC_VISION,
        None,
        section(
            "Our vision: Pride in our Police",
            "The Commissioner's vision is that all that work and live in the West Midlands will have 'Pride in our \
             Police'. Progress towards ownership of the service by those to whom it is delivered is supported by five \
             police and crime objectives. The second aspect of the vision recognises the importance of improved \
             delivery of policing services, underpinned by five further objectives.",
            &[E::Objectives],
            &[],
        ),
    );
    let [(first_group, first), (second_group, second)] = OBJECTIVE_GROUPS;
    items.add(
        Seed,
        GROUP_OWNERSHIP,
        None,
        group(
            first_group,
            "Progress towards ownership of the service by those to whom it is delivered will be supported by five \
             police and crime objectives.",
        ),
    );
    items.add(
        Seed,
        GROUP_DELIVERY,
        None,
        group(
            second_group,
            "The second aspect of the 'Pride in our Police' vision is to recognise the importance of improved \
             delivery of policing services.",
        ),
    );
    let objective_ids = [
        [OBJ_CONFIDENCE, OBJ_PARTNERSHIPS, OBJ_LOCAL_IDENTITY, OBJ_SOCIAL_RESPONSIBILITY, OBJ_VALUE_FOR_MONEY],
        [OBJ_REDUCING_CRIME, OBJ_PROTECTING_FROM_HARM, OBJ_SERVICE, OBJ_STRONGER_COMMUNITIES, OBJ_NATIONAL_POLICING],
    ];
    for (group_index, (group_id, titles)) in
        [(GROUP_OWNERSHIP, first), (GROUP_DELIVERY, second)].into_iter().enumerate()
    {
        for (index, title) in titles.into_iter().enumerate() {
            let number = group_index * 5 + index + 1;
            let description = match number {
                // Seed 001, para 2.
                3 => {
                    "The Plan builds upon the strong sense of civic identity in each of the seven local authority \
                     areas and their neighbourhoods. Local police and crime boards, a manifesto commitment of the \
                     Commissioner, will enable the public to shape police and crime priorities."
                }
                // Seed 001, para 10.
                10 => {
                    "As the largest force outside London, West Midlands Police contributes heavily to the safety \
                     of the whole country: it provides national counter terrorism capability and a large \
                     proportion of the operational assets that support UK policing at times of need."
                }
                _ => "",
            };
            items.add(
                Seed,
                objective_ids[group_index][index],
                Some(group_id),
                objective(&number.to_string(), title, description),
            );
        }
    }

    // 1. Improving public confidence in policing.
    items.add(
        Illustrative,
        PRI_NEIGHBOURHOOD_CONFIDENCE,
        Some(OBJ_CONFIDENCE),
        priority(
            "Understanding and improving confidence in local neighbourhoods",
            "Find out what drives confidence street by street and act on it with neighbourhood teams.",
        ),
    );
    items.add(
        Illustrative,
        COM_AREA_INFORMATION,
        Some(PRI_NEIGHBOURHOOD_CONFIDENCE),
        commitment(
            "Publish crime and performance information every month for each local authority area",
            "Figures people can check for their own area, with the counts behind every percentage.",
            "Assistant Chief Constable (Local Policing)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_AREA_INFORMATION,
        Some(COM_AREA_INFORMATION),
        milestone(
            "Monthly area performance information published on the Commissioner's website",
            ymd!(2013, 7, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        COM_TRUST_SUMMIT,
        Some(OBJ_CONFIDENCE),
        commitment(
            "Hold a Trust and Confidence Summit and agree an action plan from it",
            "One of the summits through which the Commissioner hears from the public.",
            "Chief Executive, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        MS_TRUST_SUMMIT,
        Some(COM_TRUST_SUMMIT),
        milestone("Trust and Confidence Summit held", ymd!(2013, 6, 30), Status::NotStarted),
    );

    // 2. Creating stronger partnerships.
    items.add(
        Illustrative,
        PRI_CSP_WORKING,
        Some(OBJ_PARTNERSHIPS),
        priority(
            "Joint working with the seven community safety partnerships",
            "Police and partners plan from the same assessment of need in each area.",
        ),
    );
    items.add(
        Illustrative,
        COM_SHARED_ASSESSMENTS,
        Some(PRI_CSP_WORKING),
        commitment(
            "Agree a shared strategic assessment with each community safety partnership",
            "",
            "Head of Partnerships, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        MS_SHARED_ASSESSMENTS,
        Some(COM_SHARED_ASSESSMENTS),
        milestone(
            "Shared strategic assessments agreed with all seven partnerships",
            ymd!(2013, 10, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        COM_PARTNERSHIP_SUMMIT,
        Some(OBJ_PARTNERSHIPS),
        commitment(
            "Hold a Partnership Summit with councils, health, probation and the voluntary sector",
            "",
            "Chief Executive, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        MS_PARTNERSHIP_SUMMIT,
        Some(COM_PARTNERSHIP_SUMMIT),
        milestone("Partnership Summit held", ymd!(2013, 9, 30), Status::NotStarted),
    );

    // 3. Developing greater local identity: the boards are the Commissioner's manifesto
    // commitment (seed 001, paras 2-3 and 5); the dates are the demo's.
    items.add(
        Seed,
        PRI_LOCAL_BOARDS,
        Some(OBJ_LOCAL_IDENTITY),
        priority(
            "Local policing and crime boards in every local authority area",
            "The establishment of local police and crime boards will enable the public to shape police and crime \
             priorities.",
        ),
    );
    items
        .add(
            Seed,
            COM_ESTABLISH_BOARDS,
            Some(PRI_LOCAL_BOARDS),
            commitment(
                "Establish a local policing and crime board in each of the seven local authority areas",
                "The boards will develop and own the local policing and crime plans during 2013-14.",
                "Chief Executive, OPCC",
                OPCC,
            ),
        )
        .serves = vec![OBJ_PARTNERSHIPS];
    items.add(
        Illustrative,
        MS_BOARDS_ESTABLISHED,
        Some(COM_ESTABLISH_BOARDS),
        milestone(
            "Local policing and crime boards established in all seven areas",
            ymd!(2013, 9, 30),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        MS_BOARD_PLANS,
        Some(COM_ESTABLISH_BOARDS),
        milestone(
            "Local policing and crime plans for 2014-15 developed and owned by the boards",
            ymd!(2014, 3, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        PRI_NEIGHBOURHOOD_BOUNDARIES,
        Some(OBJ_LOCAL_IDENTITY),
        priority(
            "Neighbourhood policing aligned to local authority boundaries",
            "Each local policing unit covers whole council wards, so that councillors and residents know who polices \
             their area.",
        ),
    );

    // 4. Demonstrating the Force's commitment to social responsibility.
    items.add(
        Illustrative,
        COM_WORKFORCE_DIVERSITY,
        Some(OBJ_SOCIAL_RESPONSIBILITY),
        commitment(
            "Recruit a workforce that better reflects the communities of the West Midlands",
            "Positive action to encourage applications from black and minority ethnic communities.",
            "Director of People",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_POSITIVE_ACTION,
        Some(COM_WORKFORCE_DIVERSITY),
        milestone("Positive action recruitment plan agreed", ymd!(2013, 12, 31), Status::NotStarted),
    );
    items.add(
        Illustrative,
        COM_VOLUNTEERS,
        Some(OBJ_SOCIAL_RESPONSIBILITY),
        commitment(
            "Expand volunteering through the Special Constabulary and Police Cadets",
            "",
            "Assistant Chief Constable (Local Policing)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_CADETS,
        Some(COM_VOLUNTEERS),
        milestone("A Police Cadets unit running in every local policing unit", ymd!(2014, 3, 31), Status::NotStarted),
    );

    // 5. Delivering better value for money.
    items.add(
        Illustrative,
        PRI_FUNDING_GAP,
        Some(OBJ_VALUE_FOR_MONEY),
        priority("Closing the funding gap while protecting neighbourhood policing", ""),
    );
    items.add(
        Illustrative,
        COM_SAVINGS,
        Some(PRI_FUNDING_GAP),
        commitment("Deliver the savings in the medium term financial plan", "", "Chief Finance Officer", OPCC),
    );
    items.add(
        Illustrative,
        MS_SAVINGS_2013,
        Some(COM_SAVINGS),
        milestone("2013/14 savings delivered", ymd!(2014, 3, 31), Status::OnTrack),
    );
    items.add(
        Illustrative,
        COM_ESTATES,
        Some(OBJ_VALUE_FOR_MONEY),
        commitment("Reduce the cost of the Force's buildings", "", "Director of Resources", WMP),
    );
    items.add(
        Illustrative,
        MS_ESTATES,
        Some(COM_ESTATES),
        milestone("Estates strategy agreed by the Commissioner", ymd!(2013, 11, 30), Status::NotStarted),
    );

    // 6. Reducing crime and offending.
    items.add(
        Illustrative,
        PRI_ACQUISITIVE_CRIME,
        Some(OBJ_REDUCING_CRIME),
        priority("Reducing burglary, robbery and vehicle crime", ""),
    );
    items.add(
        Illustrative,
        MS_BURGLARY_PLANS,
        Some(PRI_ACQUISITIVE_CRIME),
        milestone("Burglary reduction plan agreed in each local policing unit", ymd!(2013, 6, 30), Status::OnTrack),
    );
    items.add(
        Illustrative,
        PRI_REOFFENDING,
        Some(OBJ_REDUCING_CRIME),
        priority("Reducing reoffending", "Prolific offenders managed jointly by police, probation and partners."),
    );
    items.add(
        Illustrative,
        COM_IOM,
        Some(PRI_REOFFENDING),
        commitment(
            "Extend integrated offender management to all seven areas",
            "",
            "Assistant Chief Constable (Crime)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_IOM,
        Some(COM_IOM),
        milestone(
            "Integrated offender management operating in all seven areas",
            ymd!(2013, 12, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        MEA_REOFFENDING,
        Some(PRI_REOFFENDING),
        Record::Measure(Measure {
            title: String::from("Reoffending by offenders under integrated offender management"),
            definition: String::from("Proven reoffending rate of the integrated offender management cohort"),
            unit: String::from("%"),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Baseline { value: 36.0, period: String::from("2011/12") }),
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Quarterly,
            data_source: String::from("Ministry of Justice proven reoffending statistics"),
            by_area: false,
        }),
    );
    items.add(
        Illustrative,
        MEA_TOTAL_CRIME,
        Some(OBJ_REDUCING_CRIME),
        Record::Measure(Measure {
            title: String::from("Total recorded crime"),
            definition: String::from("All crimes recorded by West Midlands Police, as published on police.uk"),
            unit: String::from("crimes"),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Baseline { value: 163_000.0, period: String::from("2012/13") }),
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Monthly,
            data_source: String::from("police.uk street-level crime"),
            by_area: true,
        }),
    );

    // 7. Better protecting people from harm.
    items.add(
        Illustrative,
        PRI_DOMESTIC_ABUSE,
        Some(OBJ_PROTECTING_FROM_HARM),
        priority("Improving the response to domestic abuse", ""),
    );
    items.add(
        Illustrative,
        COM_DOMESTIC_ABUSE_RESPONSE,
        Some(PRI_DOMESTIC_ABUSE),
        commitment("Train a domestic abuse champion in every neighbourhood team", "", "Head of Public Protection", WMP),
    );
    items.add(
        Illustrative,
        MS_DA_CHAMPIONS,
        Some(COM_DOMESTIC_ABUSE_RESPONSE),
        milestone("Domestic abuse champion in every neighbourhood team", ymd!(2013, 9, 30), Status::NotStarted),
    );
    items.add(
        Illustrative,
        MEA_DA_REPEAT,
        Some(PRI_DOMESTIC_ABUSE),
        Record::Measure(Measure {
            title: String::from("Repeat victims of domestic abuse"),
            definition: String::from(
                "Victims of a domestic abuse crime who were also the victim of one in the previous twelve months",
            ),
            unit: String::from("%"),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Baseline { value: 27.0, period: String::from("2012/13") }),
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Quarterly,
            data_source: String::from("West Midlands Police crime recording system"),
            by_area: true,
        }),
    );
    items.add(
        Illustrative,
        PRI_VULNERABLE_PEOPLE,
        Some(OBJ_PROTECTING_FROM_HARM),
        priority("Protecting children and vulnerable adults", ""),
    );
    items.add(
        Illustrative,
        COM_CSE,
        Some(PRI_VULNERABLE_PEOPLE),
        commitment(
            "Work with the local safeguarding children boards to tackle child sexual exploitation",
            "",
            "Head of Public Protection",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_CSE_PROTOCOL,
        Some(COM_CSE),
        milestone(
            "Child sexual exploitation protocol agreed with all seven local safeguarding children boards",
            ymd!(2013, 12, 31),
            Status::NotStarted,
        ),
    );

    // 8. Improving the service the public receive from the police.
    items.add(
        Illustrative,
        PRI_VICTIMS,
        Some(OBJ_SERVICE),
        priority("Putting victims first", "Taking forward what victims told the Victims' Summit."),
    );
    items.add(
        Illustrative,
        COM_VICTIM_CONTACT,
        Some(PRI_VICTIMS),
        commitment(
            "Keep every victim informed as the Code of Practice for Victims of Crime requires",
            "",
            "Assistant Chief Constable (Crime)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_VICTIMS_CODE_AUDIT,
        Some(COM_VICTIM_CONTACT),
        milestone(
            "Audit of compliance with the Victims' Code reported to the Board",
            ymd!(2013, 12, 31),
            Status::NotStarted,
        ),
    );
    items.add(Illustrative, PRI_CONTACT, Some(OBJ_SERVICE), priority("Answering 999 and 101 calls promptly", ""));
    items.add(
        Illustrative,
        MS_101_REVIEW,
        Some(PRI_CONTACT),
        milestone("Review of 101 non-emergency call handling complete", ymd!(2013, 10, 31), Status::NotStarted),
    );
    items.add(
        Illustrative,
        MEA_EMERGENCY_CALLS,
        Some(PRI_CONTACT),
        Record::Measure(Measure {
            title: String::from("Emergency calls answered within 10 seconds"),
            definition: String::from("999 calls answered by the Force contact centre within 10 seconds"),
            unit: String::from("%"),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Baseline { value: 88.0, period: String::from("2012/13") }),
            ambition: Ambition::Target { value: 90.0, by: Some(ymd!(2014, 3, 31)) },
            frequency: Frequency::Monthly,
            data_source: String::from("Force contact management data"),
            by_area: false,
        }),
    );
    items.add(
        Illustrative,
        MEA_VICTIM_SATISFACTION,
        Some(OBJ_SERVICE),
        Record::Measure(Measure {
            title: String::from("Victim satisfaction"),
            definition: String::from(
                "Victims of burglary, vehicle crime and violence satisfied with their whole experience",
            ),
            unit: String::from("%"),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Baseline { value: 84.0, period: String::from("2012/13") }),
            ambition: Ambition::Target { value: 86.0, by: Some(ymd!(2014, 3, 31)) },
            frequency: Frequency::Quarterly,
            data_source: String::from("Victim satisfaction survey"),
            by_area: true,
        }),
    );

    // 9. Supporting stronger communities.
    items.add(
        Illustrative,
        PRI_ANTISOCIAL_BEHAVIOUR,
        Some(OBJ_STRONGER_COMMUNITIES),
        priority("Tackling anti-social behaviour with partners", ""),
    );
    items.add(
        Illustrative,
        MEA_ASB,
        Some(OBJ_STRONGER_COMMUNITIES),
        Record::Measure(Measure {
            title: String::from("Anti-social behaviour incidents"),
            definition: String::from("Anti-social behaviour incidents reported to the police"),
            unit: String::from("incidents"),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Baseline { value: 96_000.0, period: String::from("2012/13") }),
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Monthly,
            data_source: String::from("police.uk street-level crime"),
            by_area: true,
        }),
    );
    items.add(
        Illustrative,
        PRI_YOUNG_PEOPLE,
        Some(OBJ_STRONGER_COMMUNITIES),
        priority("Working with young people", "Young people have a voice in how they are policed."),
    );
    items.add(
        Illustrative,
        COM_YOUTH_SUMMIT,
        Some(PRI_YOUNG_PEOPLE),
        commitment("Hold a Youth Summit and develop a Youth Action Plan", "", "Chief Executive, OPCC", OPCC),
    );
    items.add(
        Illustrative,
        MS_YOUTH_SUMMIT,
        Some(COM_YOUTH_SUMMIT),
        milestone("Youth Summit held", ymd!(2013, 7, 31), Status::NotStarted),
    );

    // 10. Ensuring a more effective contribution to national policing: the Strategic
    // Policing Requirement (seed 001, para 10).
    items.add(
        Seed,
        PRI_SPR,
        Some(OBJ_NATIONAL_POLICING),
        priority(
            "Meeting the Strategic Policing Requirement",
            "Counter terrorism, civil contingencies, organised crime, public order and cyber-attacks.",
        ),
    );
    items.add(
        Illustrative,
        COM_COUNTER_TERRORISM,
        Some(PRI_SPR),
        commitment(
            "Maintain the national counter terrorism capability hosted by the Force",
            "",
            "Assistant Chief Constable (Security)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_CT_REVIEW,
        Some(COM_COUNTER_TERRORISM),
        milestone(
            "Counter terrorism capability reviewed against the Strategic Policing Requirement",
            ymd!(2013, 9, 30),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        COM_REGIONAL_COLLABORATION,
        Some(PRI_SPR),
        commitment(
            "Tackle serious organised crime with neighbouring forces through the regional organised crime unit",
            "",
            "Assistant Chief Constable (Crime)",
            WMP,
        ),
    );
    items.add(
        Illustrative,
        MS_REGIONAL_AGREEMENT,
        Some(COM_REGIONAL_COLLABORATION),
        milestone(
            "Regional organised crime unit collaboration agreement signed",
            ymd!(2013, 12, 31),
            Status::NotStarted,
        ),
    );

    // Confidence sits with objective 1 but is listed here with the other plan-wide measures.
    items.add(
        Illustrative,
        MEA_CONFIDENCE,
        Some(OBJ_CONFIDENCE),
        Record::Measure(Measure {
            title: String::from("Confidence in local policing"),
            definition: String::from(
                "Survey respondents who agree that the police in their area are doing a good or excellent job",
            ),
            unit: String::from("%"),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Baseline { value: 78.0, period: String::from("2012/13") }),
            ambition: Ambition::Direction { direction: Direction::Increase },
            frequency: Frequency::Quarterly,
            data_source: String::from("West Midlands Police public confidence survey"),
            by_area: true,
        }),
    );

    // The statutory narrative, s.7(1)(b)-(f).
    items.add(
        Illustrative,
        SEC_POLICING,
        None,
        section(
            "The policing the Chief Constable will provide",
            "West Midlands Police will provide neighbourhood policing teams in every local policing unit, a response \
             to emergencies around the clock, the investigation of crime and the protection of vulnerable people, and \
             the operational focus and resources needed to support operational policing, including its key work with \
             partners across the West Midlands. The Chief Constable will deliver the priorities, commitments and \
             milestones set out under each objective.",
            &[E::Policing],
            &[],
        ),
    );
    items.add(
        Illustrative,
        SEC_REPORTING,
        None,
        section(
            "How the Chief Constable will report",
            "The Chief Constable will report to the Commissioner's Strategic Policing and Crime Board, which monitors \
             and scrutinises the achievement of the objectives, deliverables and milestones in this Plan. The Board \
             receives a performance report every month and a progress report on the milestones every quarter; both \
             are published on the Commissioner's website.",
            &[E::Reporting],
            &[],
        ),
    );
    // Seed 001, paras 4 and 10 (financial implications).
    items.add(
        Seed,
        SEC_RESOURCES,
        None,
        section(
            "Resources",
            "The Plan has been drawn up in the context of the budget and precept set by the Commissioner, detailed in \
             decision 008/2013, and of the medium term financial prospects for the revenue and capital funding of \
             West Midlands Police.",
            &[E::Resources],
            &[],
        ),
    );
    items.add(
        Illustrative,
        RES_OFFICER_PAY,
        None,
        resource("Police officer pay and allowances", 362_400_000, 2013, true, ""),
    );
    items.add(
        Illustrative,
        RES_STAFF_PAY,
        None,
        resource("Police staff and police community support officer pay", 127_800_000, 2013, true, ""),
    );
    items.add(
        Illustrative,
        RES_RUNNING_COSTS,
        None,
        resource(
            "Running costs: premises, transport, supplies and services",
            59_300_000,
            2013,
            true,
            "Net of income from fees, charges and specific grants.",
        ),
    );
    items.add(
        Illustrative,
        RES_OPCC,
        None,
        resource(
            "Office of the Police and Crime Commissioner",
            2_800_000,
            2013,
            false,
            "Retained by the Commissioner; includes the costs of the Strategic Policing and Crime Board.",
        ),
    );
    items.add(
        Illustrative,
        SEC_MEASURES,
        None,
        section(
            "Measuring performance",
            "The Plan has West Midlands wide outcomes and measures and is built upon local policing and crime plans \
             for each area. Each measure states whether it has a target or a direction of travel; figures are \
             reported with the counts behind them and, where the data allows, for each local authority area.",
            &[E::PerformanceMeasures],
            &[],
        ),
    );
    items.add(
        Illustrative,
        SEC_GRANTS,
        None,
        section(
            "Crime and disorder reduction grants",
            "Under section 9 of the Police Reform and Social Responsibility Act 2011 the Commissioner will make crime \
             and disorder reduction grants to the seven community safety partnerships, on the conditions set out with \
             the grant below.",
            &[E::Grants],
            &[F::CommunitySafety],
        ),
    );
    items.add(
        Illustrative,
        GRANT_CSPS,
        None,
        grant(
            "The seven community safety partnerships (Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall, \
             Wolverhampton)",
            "Reducing crime and disorder in line with each partnership's strategic assessment and its local policing \
             and crime plan",
            4_100_000,
            2013,
            "Allocated between the partnerships by population and need. Each partnership sends the Commissioner a \
             spending plan by 30 June 2013 and reports what the grant achieved every quarter to the Strategic \
             Policing and Crime Board. Money not spent by 31 March 2014 is returned.",
        ),
    );

    // The further functions a plan usually covers. Custody visiting, complaints reviews,
    // misconduct support, pension forfeiture, blue-light collaboration, violence reduction
    // and inspectorate recommendations are left uncovered, as in many 2013 plans.
    items.add(
        Seed,
        SEC_SPR,
        None,
        section(
            "The Strategic Policing Requirement",
            "The Commissioner is required to have regard to the Strategic Policing Requirement issued by the Home \
             Secretary, which sets out the national threats the police must address: terrorism, civil contingencies, \
             organised crime, public order and cyber-attacks. West Midlands Police provides national counter \
             terrorism capability and a large proportion of the operational assets that support UK policing at times \
             of need. This part of the Plan sets out how the Commissioner will ensure that the Chief Constable can \
             meet this national requirement.",
            &[E::Policing],
            &[F::StrategicPolicingRequirement],
        ),
    );
    items.add(
        Seed,
        SEC_COMMUNITY_SAFETY,
        None,
        section(
            "Community safety and working with partners",
            "The Plan draws on the strategic assessments of community safety needs carried out by the community safety \
             partnerships in Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall and Wolverhampton, and on the \
             key work the Force does with partners across the West Midlands.",
            &[],
            &[F::CommunitySafety, F::PartnershipWork],
        ),
    );
    items.add(
        Illustrative,
        SEC_VICTIMS,
        None,
        section(
            "Victims of crime",
            "The Victims' Summit heard what victims need from the police and the criminal justice system. Its action \
             plan is appended to this Plan and its progress is reported to the Board.",
            &[],
            &[F::VictimsServices],
        ),
    );
    items.add(
        Illustrative,
        SEC_CRIMINAL_JUSTICE,
        None,
        section(
            "An efficient and effective criminal justice system",
            "The Commissioner will work with the Local Criminal Justice Board, the Crown Prosecution Service, the \
             courts and probation to bring offenders to justice more quickly and to keep victims and witnesses \
             informed.",
            &[],
            &[F::CriminalJustice],
        ),
    );
    // Seed 001, para 4 (the views of local people).
    items.add(
        Seed,
        SEC_CONSULTATION,
        None,
        section(
            "Listening to the public",
            "The Plan uses the views of local people, including victims of crime: the work of West Midlands Police \
             Authority, public engagement during the Commissioner's election campaign, engagement through social \
             media and a series of summits for victims, business, young people, partners and on trust and \
             confidence.",
            &[],
            &[F::ConsultationDuties],
        ),
    );
    items.add(
        Illustrative,
        SEC_EQUALITY_SAFEGUARDING,
        None,
        section(
            "Equality and safeguarding",
            "The Plan has been prepared to ensure equality of service provision for all, and equality of treatment \
             for officers and staff of the Force and the Commissioner's office. The Force works with the local \
             safeguarding children and adults boards in each area.",
            &[],
            &[F::SafeguardingAndEquality],
        ),
    );

    // Local policing and crime plans: developed by the Force for 2013-14 and to be owned
    // by the local boards (seed 001, para 3). Their priorities are the demo's.
    let local_summary = "Developed by West Midlands Police for use in 2013-14. During the year the plan will be \
                         developed and owned by the local policing and crime board being established in the area.";
    let locals = [
        (LP_BIRMINGHAM, "E08000025", "Birmingham"),
        (LP_COVENTRY, "E08000026", "Coventry"),
        (LP_DUDLEY, "E08000027", "Dudley"),
        (LP_SANDWELL, "E08000028", "Sandwell"),
        (LP_SOLIHULL, "E08000029", "Solihull"),
        (LP_WALSALL, "E08000030", "Walsall"),
        (LP_WOLVERHAMPTON, "E08000031", "Wolverhampton"),
    ];
    for (id, code, name) in locals {
        items
            .add(
                Seed,
                id,
                None,
                local_plan(code, &format!("{name} Local Policing and Crime Plan 2013-14"), local_summary),
            )
            .serves = vec![OBJ_LOCAL_IDENTITY];
    }
    let local_priorities = [
        (LPRI_BIRMINGHAM_NIGHT_TIME, LP_BIRMINGHAM, "Reducing violence in the night-time economy"),
        (LPRI_BIRMINGHAM_BURGLARY, LP_BIRMINGHAM, "Reducing burglary in student neighbourhoods"),
        (LPRI_COVENTRY_BURGLARY, LP_COVENTRY, "Reducing domestic burglary"),
        (LPRI_COVENTRY_ASB, LP_COVENTRY, "Reducing anti-social behaviour in the city centre"),
        (LPRI_DUDLEY_VEHICLE_CRIME, LP_DUDLEY, "Reducing vehicle crime"),
        (LPRI_SANDWELL_VIOLENCE, LP_SANDWELL, "Reducing violence with injury"),
        (LPRI_SANDWELL_DOMESTIC_ABUSE, LP_SANDWELL, "Supporting victims of domestic abuse"),
        (LPRI_SOLIHULL_BURGLARY, LP_SOLIHULL, "Reducing burglary"),
        (LPRI_SOLIHULL_BUSINESS_CRIME, LP_SOLIHULL, "Reducing crime against businesses"),
        (LPRI_WALSALL_ASB, LP_WALSALL, "Reducing anti-social behaviour"),
        (LPRI_WALSALL_CSE, LP_WALSALL, "Tackling child sexual exploitation"),
        (LPRI_WOLVERHAMPTON_VIOLENCE, LP_WOLVERHAMPTON, "Reducing violent crime"),
    ];
    for (id, parent, title) in local_priorities {
        items.add(Illustrative, id, Some(parent), priority(title, ""));
    }

    // The Victims' Summit was one of the Commissioner's summits (seed 001, para 4); its
    // date, actions and owners are the demo's.
    items
        .add(
            Illustrative,
            AP_VICTIMS,
            None,
            action_plan("Victims' Summit action plan", "Victims' Summit, January 2013", Some(ymd!(2013, 3, 12))),
        )
        .serves = vec![OBJ_SERVICE];
    items.add(
        Illustrative,
        ACT_SINGLE_CONTACT,
        Some(AP_VICTIMS),
        action(
            "A single named point of contact for each victim of serious crime",
            "Assistant Chief Constable (Crime)",
            ymd!(2013, 9, 30),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        ACT_VICTIMS_CHARTER,
        Some(AP_VICTIMS),
        action(
            "Publish a victims' charter for the West Midlands",
            "Chief Executive, OPCC",
            ymd!(2013, 12, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        ACT_RESTORATIVE_JUSTICE,
        Some(AP_VICTIMS),
        action(
            "Ask every victim who takes part in restorative justice for their views of it",
            "Head of Criminal Justice Services",
            ymd!(2013, 10, 31),
            Status::NotStarted,
        ),
    );
    items.add(
        Illustrative,
        ACT_HATE_CRIME_REPORTING,
        Some(AP_VICTIMS),
        action(
            "Open third-party reporting centres for hate crime in each local authority area",
            "Head of Partnerships, OPCC",
            ymd!(2014, 3, 31),
            Status::NotStarted,
        ),
    );

    Plan {
        id: PLAN,
        body_id: BODY,
        title: TITLE.to_string(),
        // The plan covers 2013/14 onwards and runs to the end of the financial year after
        // the next ordinary election (May 2016), PRSRA 2011 s.5(3): 31 March 2017.
        starts_on: ymd!(2013, 4, 1),
        ends_on: ymd!(2017, 3, 31),
        vision: VISION.to_string(),
        items: items.into_vec(),
    }
}

/// The draft sent to the Police and Crime Panel early in 2013 (PRSRA 2011 s.5(6)(c)). It
/// differs from the plan as issued in one milestone: the draft had the local boards in
/// place by 30 June 2013; after the Panel's comments that councils needed time to agree
/// their membership, the issued plan gave them until 30 September. The story is the
/// demo's own.
pub(crate) fn draft_sent_to_panel() -> Plan {
    let mut draft = plan();
    crate::build::reschedule(&mut draft, MS_BOARDS_ESTABLISHED, ymd!(2013, 6, 30), Status::NotStarted);
    draft
}
