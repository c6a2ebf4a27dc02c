//! The demo's second body: the Leicester, Leicestershire and Rutland Police and Crime
//! Commissioner, with two plans and what the demo needs to monitor the second one
//! against a year of real police.uk street-level data (issue 6).
//!
//! Seed 003 (a report to the Joint Audit, Risk and Assurance Panel of 26 June 2013) gives
//! the first plan: the Police and Crime Plan 2013-17, published in March 2013 with six
//! themes and refreshed in 2013 around four key themes, 'Reducing Reoffending', 'Support
//! for Victims and Witnesses', 'Protecting Vulnerable People' and 'Making Communities
//! Safer', with the work-streams of 'Reducing All Crime' and 'Mental Health and
//! Wellbeing' folded into them. [`plan_2013`] is that refresh, kept modest: the seed's
//! themes, its financial context and its commissioning partners, and a little
//! illustrative content so that it is a complete plan.
//!
//! The police.uk data runs from October 2021 to October 2022, and a plan is monitored
//! while it is in force, so [`plan_2021`] is an **illustrative** plan for 2021-2025 that
//! keeps the four themes: its priorities, commitments, milestones, measures, money and
//! text were written for the demo, and every one of its records says so. Its measures
//! are those the street-level data can feed ([`COMPUTED_MEASURES`]) plus two that staff
//! enter by hand; its milestone statuses stand as they would on 31 October 2022.
//!
//! Like the rest of the crate this module builds values with fixed identities and does
//! no I/O: it does not read the police.uk files, compute any figure or load anything into
//! a store. The demo loader does that.

use chrono::NaiveDate;
use pcplan_domain::{
    Ambition, Area, Baseline, Body, Direction, Frequency, FurtherFunction as F, ItemId, Measure, Nation, Plan,
    PlanFile, Polarity, Record, Status, StatutoryElement as E, Term, VersionKind,
};

use crate::DemoVersion;
use crate::build::{Items, Source, commitment, grant, milestone, objective, priority, resource, section};
use crate::ids::*;

/// The nine local authority areas of the Leicestershire police force area, with their
/// ONS codes, in code order. The ONS LSOA (2011) to local authority lookup for the force
/// area names exactly these nine (`Leicester UA` and `Rutland UA` are unitary
/// authorities; the other seven are the districts of Leicestershire).
pub const AREAS: [(&str, &str); 9] = [
    ("E06000016", "Leicester"),
    ("E06000017", "Rutland"),
    ("E07000129", "Blaby"),
    ("E07000130", "Charnwood"),
    ("E07000131", "Harborough"),
    ("E07000132", "Hinckley and Bosworth"),
    ("E07000133", "Melton"),
    ("E07000134", "North West Leicestershire"),
    ("E07000135", "Oadby and Wigston"),
];

/// Census 2021 usual residents of the nine areas, rounded to the nearest hundred (ONS),
/// for rates per 1,000 residents. Same shape as the West Midlands table in
/// [`crate::consultation::POPULATIONS`].
pub const POPULATIONS: [(&str, &str, i64); 9] = [
    ("E06000016", "Leicester", 368_600),
    ("E06000017", "Rutland", 41_000),
    ("E07000129", "Blaby", 102_900),
    ("E07000130", "Charnwood", 183_900),
    ("E07000131", "Harborough", 97_600),
    ("E07000132", "Hinckley and Bosworth", 113_600),
    ("E07000133", "Melton", 51_800),
    ("E07000134", "North West Leicestershire", 104_700),
    ("E07000135", "Oadby and Wigston", 57_800),
];

/// Where the population figures come from, as the table records it.
pub const POPULATION_SOURCE: &str = "ONS Census 2021, usual residents, rounded to the nearest hundred (typed in for \
the demo)";

/// Forces to compare Leicestershire with, as police.uk names them. A demo choice of
/// neighbouring forces of broadly similar size, not HMICFRS's "most similar group".
pub const PEER_FORCES: [&str; 4] =
    ["Nottinghamshire Police", "Derbyshire Constabulary", "Northamptonshire Police", "Staffordshire Police"];

/// The force, as police.uk's `Reported by` column and the plans name it.
pub const FORCE: &str = "Leicestershire Police";
const OPCC: &str = "Office of the Police and Crime Commissioner";

/// The four key themes of the 2013 refresh, in seed 003's order and words (para 8). Both
/// plans have them as their objectives.
pub const THEMES: [&str; 4] = [
    "Reducing Reoffending",
    "Support for Victims and Witnesses",
    "Protecting Vulnerable People",
    "Making Communities Safer",
];

/// The two themes of the March 2013 plan that the refresh folded into the four, each with
/// the key theme the demo records it under. Seed 003 says only that their work-streams
/// "will be incorporated into the four remaining key themes"; which theme took which is
/// the demo's choice, and the records that carry them are marked illustrative.
pub const FOLDED_THEMES: [(&str, &str); 2] = [
    ("Reducing All Crime", "Making Communities Safer"),
    ("Mental Health and Wellbeing", "Protecting Vulnerable People"),
];

/// The day the 2021 plan's milestone statuses stand at: the end of the last month of
/// police.uk data the demo carries.
pub const PROGRESS_AS_AT: NaiveDate = ymd!(2022, 10, 31);

/// What the 2021 plan says about itself, shown as its first section.
pub const NOTE_2021: &str = "Illustrative: the four themes are those of the 2013 refresh (seed 003); the period, \
priorities, measures and milestones were written for the demo so that it can monitor a plan against real police.uk \
data for October 2021 to October 2022.";

// police.uk crime types, exactly as the `Crime type` column of the street files has them.
const VIOLENCE: &str = "Violence and sexual offences";
const BURGLARY: &str = "Burglary";
const VEHICLE_CRIME: &str = "Vehicle crime";
const SHOPLIFTING: &str = "Shoplifting";
/// The crime type the street files give anti-social behaviour incidents.
pub const ANTI_SOCIAL_BEHAVIOUR: &str = "Anti-social behaviour";

/// The 2021 plan's measures that police.uk street-level data feeds: (measure, feed kind,
/// police.uk crime type for the kinds that need one). The kinds are `crimes` (every
/// crime except anti-social behaviour), `crimes_of_type`, `anti_social_behaviour` and
/// `charge_share`; each is counted per month for each area of [`AREAS`].
pub const COMPUTED_MEASURES: &[(ItemId, &str, Option<&str>)] = &[
    (LLR21_MEA_CRIME, "crimes", None),
    (LLR21_MEA_VIOLENCE, "crimes_of_type", Some(VIOLENCE)),
    (LLR21_MEA_BURGLARY, "crimes_of_type", Some(BURGLARY)),
    (LLR21_MEA_VEHICLE_CRIME, "crimes_of_type", Some(VEHICLE_CRIME)),
    (LLR21_MEA_SHOPLIFTING, "crimes_of_type", Some(SHOPLIFTING)),
    (LLR21_MEA_ASB, "anti_social_behaviour", None),
    (LLR21_MEA_CHARGE_SHARE, "charge_share", None),
];

/// Values of `Last outcome category` that the charge share's definition quotes as
/// examples, each present in the Leicestershire street files for October 2021 to October
/// 2022. They illustrate the definition; they are not the set the computation counts,
/// which the police.uk aggregation decides.
pub const CHARGE_OUTCOME_EXAMPLES: [&str; 3] =
    ["Awaiting court outcome", "Court result unavailable", "Suspect charged as part of another case"];

const POLICE_UK: &str = "police.uk street-level crime";

/// The Leicester, Leicestershire and Rutland Police and Crime Commissioner.
pub fn body() -> Body {
    Body {
        id: LLR_BODY,
        // The statutory office is the Police and Crime Commissioner for Leicestershire
        // (seed 003's heading: "Police & Crime Commissioner for Leicestershire"), whose
        // police area includes Leicester and Rutland. Issue 6 names the body by all three
        // areas, and the name takes the West Midlands body's form.
        name: String::from("Leicester, Leicestershire and Rutland Police and Crime Commissioner"),
        office_title: String::from("Police and Crime Commissioner"),
        force_name: FORCE.to_string(),
        nation: Nation::England,
        areas: AREAS.iter().map(|(code, name)| Area { code: code.to_string(), name: name.to_string() }).collect(),
        // Holders take office on the seventh day after polling day, as in November 2012
        // (15 to 22) and May 2021 (6 to 13). The 12 May 2016 start and every end date are
        // derived from that rule, each term ending the day before the next begins; they
        // are not taken from a record of the office.
        terms: vec![
            Term {
                holder: String::from("Sir Clive Loader"),
                elected_on: ymd!(2012, 11, 15),
                starts_on: ymd!(2012, 11, 22),
                ends_on: ymd!(2016, 5, 11),
            },
            Term {
                holder: String::from("Sir Clive Loader"),
                // Re-elected on 5 May 2016; his term ran on to May 2021 because the May
                // 2020 elections were postponed (Coronavirus Act 2020 s.60).
                elected_on: ymd!(2016, 5, 5),
                starts_on: ymd!(2016, 5, 12),
                ends_on: ymd!(2021, 5, 12),
            },
            Term {
                holder: String::from("Rupert Matthews"),
                elected_on: ymd!(2021, 5, 6),
                starts_on: ymd!(2021, 5, 13),
                // The term as it stood on 31 October 2022: to the ordinary election of
                // 2 May 2024. The demo models nothing after October 2022.
                ends_on: ymd!(2024, 5, 8),
            },
        ],
    }
}

// ---- The Police and Crime Plan 2013-17, as refreshed in 2013 (seed 003) ----

/// The refreshed Police and Crime Plan 2013-17, as issued in October 2013.
pub fn plan_2013() -> Plan {
    use Source::{Illustrative, Seed};
    let mut items = Items::default();

    // Seed 003, paras 3-5 and 8.
    items.add(
        Seed,
        LLR13_SEC_REFRESH,
        None,
        section(
            "The 2013 refresh",
            "The Plan covers the Commissioner's period in office from 1 April 2013 to 31 March 2017. The first Plan \
             was drafted by the Office of the Police and Crime Commissioner with the Office of the Chief Constable, \
             consulted on with partners, the public and other interest groups, and published in March 2013 with six \
             themes. It committed the Commissioner to review and refresh it in October 2013, to reflect progress \
             towards its strategic priorities, the commissioning intentions and a balanced Medium Term Financial \
             Strategy. Engagement concluded that the Plan should focus on four key themes rather than six: Reducing \
             Reoffending, Support for Victims and Witnesses, Protecting Vulnerable People and Making Communities \
             Safer. The work-streams of the 'Reducing All Crime' and 'Mental Health and Wellbeing' themes are \
             incorporated into the four remaining key themes.",
            &[],
            &[],
        ),
    );
    let objectives = [LLR13_OBJ_REOFFENDING, LLR13_OBJ_VICTIMS, LLR13_OBJ_VULNERABLE, LLR13_OBJ_SAFER];
    for (number, (id, title)) in objectives.into_iter().zip(THEMES).enumerate() {
        items.add(Seed, id, None, objective(&(number + 1).to_string(), title, ""));
    }

    // 1. Reducing Reoffending. The partners are those seed 003 (para 9) names for
    // commissioning; the priority, commitment and milestone are the demo's.
    items.add(
        Illustrative,
        LLR13_PRI_OFFENDER_MANAGEMENT,
        Some(LLR13_OBJ_REOFFENDING),
        priority(
            "Integrated offender management",
            "Police, probation and partners manage together the offenders who cause most harm, overseen by the IOM \
             Steering Board.",
        ),
    );
    items.add(
        Illustrative,
        LLR13_COM_SUBSTANCE_MISUSE,
        Some(LLR13_PRI_OFFENDER_MANAGEMENT),
        commitment(
            "Commission treatment for offenders whose crime is driven by drugs or alcohol",
            "With the Sub Regional Criminal Justice Substance Misuse Commissioning Team and Board.",
            "Chief Executive, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        LLR13_MS_SUBSTANCE_MISUSE,
        Some(LLR13_COM_SUBSTANCE_MISUSE),
        milestone("Criminal justice substance misuse services recommissioned", ymd!(2014, 3, 31), Status::OnTrack),
    );
    items.add(
        Illustrative,
        LLR13_MEA_REOFFENDING,
        Some(LLR13_PRI_OFFENDER_MANAGEMENT),
        Record::Measure(Measure {
            title: String::from("Reoffending by the integrated offender management cohort"),
            definition: String::from(
                "Proven reoffending rate of the offenders managed under integrated offender management",
            ),
            unit: String::from("%"),
            polarity: Polarity::LowerIsBetter,
            baseline: None,
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Quarterly,
            data_source: String::from("Ministry of Justice proven reoffending statistics"),
            by_area: false,
        }),
    );

    // 2. Support for Victims and Witnesses.
    items.add(
        Illustrative,
        LLR13_PRI_VICTIM_SERVICES,
        Some(LLR13_OBJ_VICTIMS),
        priority(
            "Services for victims and witnesses commissioned locally",
            "Preparing for the Commissioner to commission the support victims and witnesses receive.",
        ),
    );
    items.add(
        Illustrative,
        LLR13_COM_VICTIM_REFERRAL,
        Some(LLR13_PRI_VICTIM_SERVICES),
        commitment(
            "Commission a local referral and support service for victims and witnesses",
            "",
            "Chief Executive, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        LLR13_MS_VICTIM_REFERRAL,
        Some(LLR13_COM_VICTIM_REFERRAL),
        milestone("Assessment of victims' needs complete", ymd!(2014, 6, 30), Status::NotStarted),
    );

    // 3. Protecting Vulnerable People, with the Mental Health and Wellbeing work-streams
    // (seed 003, para 8; which theme took them is the demo's choice, see FOLDED_THEMES).
    items
        .add(
            Illustrative,
            LLR13_PRI_MENTAL_HEALTH,
            Some(LLR13_OBJ_VULNERABLE),
            priority(
                "Mental health and wellbeing",
                "The work-streams of the 'Mental Health and Wellbeing' theme of the March 2013 plan, incorporated \
                 into this key theme when the Plan was refreshed.",
            ),
        )
        .serves = vec![LLR13_OBJ_VICTIMS];
    // Seed 003, para 9 names the city and county children and young people commissioning
    // teams, the Youth Offending Service and youth service providers.
    items
        .add(
            Illustrative,
            LLR13_COM_YOUNG_PEOPLE,
            Some(LLR13_OBJ_VULNERABLE),
            commitment(
                "Commission early help for young people at risk of offending or exploitation",
                "With the County and City Children and Young People Commissioning teams, the Youth Offending Service \
                 and youth service providers.",
                "Chief Executive, OPCC",
                OPCC,
            ),
        )
        .serves = vec![LLR13_OBJ_REOFFENDING];
    items.add(
        Illustrative,
        LLR13_MS_YOUNG_PEOPLE,
        Some(LLR13_COM_YOUNG_PEOPLE),
        milestone(
            "Commissioning plan for young people agreed with the city and county councils",
            ymd!(2014, 3, 31),
            Status::NotStarted,
        ),
    );

    // 4. Making Communities Safer, with the Reducing All Crime work-streams.
    items
        .add(
            Illustrative,
            LLR13_PRI_ALL_CRIME,
            Some(LLR13_OBJ_SAFER),
            priority(
                "Reducing all crime",
                "The work-streams of the 'Reducing All Crime' theme of the March 2013 plan, incorporated into this \
                 key theme when the Plan was refreshed.",
            ),
        )
        .serves = vec![LLR13_OBJ_REOFFENDING];
    items.add(
        Illustrative,
        LLR13_MEA_CRIME,
        Some(LLR13_OBJ_SAFER),
        Record::Measure(Measure {
            title: String::from("Total recorded crime"),
            definition: String::from("All crimes recorded by Leicestershire Police"),
            unit: String::from("crimes"),
            polarity: Polarity::LowerIsBetter,
            baseline: None,
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Monthly,
            data_source: String::from("Leicestershire Police crime recording system"),
            by_area: true,
        }),
    );

    // The statutory narrative, s.7(1)(b)-(f).
    items.add(
        Illustrative,
        LLR13_SEC_POLICING,
        None,
        section(
            "The policing the Chief Constable will provide",
            "Leicestershire Police will provide neighbourhood policing across Leicester, Leicestershire and Rutland, a \
             response to emergencies at all hours, the investigation of crime and the protection of vulnerable \
             people, and will deliver the priorities and commitments under each key theme.",
            &[E::Policing],
            &[],
        ),
    );
    // The Steering Group and the Joint Audit, Risk and Assurance Panel are seed 003's
    // (paras 1 and 6); how the Chief Constable reports is the demo's.
    items.add(
        Illustrative,
        LLR13_SEC_REPORTING,
        None,
        section(
            "How the Chief Constable will report",
            "The Chief Constable reports progress against the Plan to the Commissioner every quarter, and the \
             Commissioner publishes it. The Police and Crime Plan Steering Group follows delivery with partners, and \
             the Joint Audit, Risk and Assurance Panel receives updates on the Plan.",
            &[E::Reporting],
            &[],
        ),
    );
    // Seed 003, para 10.
    items.add(
        Seed,
        LLR13_SEC_RESOURCES,
        None,
        section(
            "Resources and the Medium Term Financial Strategy",
            "The Plan refers to the Medium Term Financial Strategy, which must meet a projected funding gap of £20m \
             to 2016/17. The Chief Constable's Change Programme sets out proposals to address it; the Plan describes \
             the change curve and the Chief Constable's ability to deliver against its priorities with reduced \
             resources. Commissioned services help to manage demand and so support the delivery of the Plan.",
            &[E::Resources],
            &[],
        ),
    );
    items.add(
        Illustrative,
        LLR13_SEC_MEASURES,
        None,
        section(
            "Measuring performance",
            "Each key theme has measures with a direction of travel rather than a numeric target. The Chief \
             Constable reports them with the counts behind them and, where the data allows, for each local authority \
             area.",
            &[E::PerformanceMeasures],
            &[],
        ),
    );
    // Seed 003, para 9: the Commissioning Intentions (due on 21 June 2013) and the
    // partners engaged on them. Mapping the section to s.7(1)(f) is the demo's.
    items.add(
        Seed,
        LLR13_SEC_COMMISSIONING,
        None,
        section(
            "Commissioning intentions",
            "The Commissioner's Commissioning Intentions, published in June 2013, set out what the Commissioner will \
             commission and fund in support of the Plan's priorities. They follow engagement with partners at \
             commissioning and provider levels: the IOM Steering Board, the County and City Children and Young People \
             Commissioning teams, the Sub Regional Criminal Justice Substance Misuse Commissioning Team and Board, \
             Public Health, Probation, the Youth Offending Service, Youth Service Providers and Community Safety \
             leads.",
            &[E::Grants],
            &[F::CommunitySafety],
        ),
    );
    // Seed 003, paras 6-7 and the equality implications.
    items.add(
        Seed,
        LLR13_SEC_PARTNERS,
        None,
        section(
            "Working with partners",
            "A Police and Crime Plan Steering Group co-ordinates a wide partnership engagement programme for the \
             Plan. Each partner has been asked to provide the local priorities and strategies that support its \
             delivery. An equality impact assessment has been undertaken on the Plan, and further assessments will \
             be carried out on future iterations.",
            &[],
            &[F::PartnershipWork, F::ConsultationDuties, F::SafeguardingAndEquality],
        ),
    );

    Plan {
        id: LLR_PLAN_2013,
        body_id: LLR_BODY,
        // Seed 003's subject line.
        title: String::from("Police and Crime Plan 2013-17"),
        // Seed 003, para 3: "the period in office from 1 April 2013 to 31 March 2017".
        starts_on: ymd!(2013, 4, 1),
        ends_on: ymd!(2017, 3, 31),
        // The seed gives no vision statement; the plan's header shows its four themes
        // rather than a vision the demo would have to invent.
        vision: themes_line(),
        items: items.into_vec(),
    }
}

fn themes_line() -> String {
    let [a, b, c, d] = THEMES;
    format!("Four key themes: {a}, {b}, {c} and {d}")
}

// ---- The illustrative Police and Crime Plan 2021-2025 ----

/// Where the 2021 plan's milestones stand: as issued, or as monitored.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Stage {
    Issued,
    AsAt31October2022,
}

/// One milestone of the 2021 plan, with its status when the plan was issued and on
/// [`PROGRESS_AS_AT`].
struct Step {
    id: ItemId,
    commitment: ItemId,
    title: &'static str,
    due: NaiveDate,
    at_issue: Status,
    now: Status,
}

/// Every milestone of the 2021 plan, in the order of their commitments. Due dates run
/// from December 2021 to June 2023; by 31 October 2022 five are complete, five on track,
/// one at risk, one late and one withdrawn.
const STEPS: [Step; 13] = [
    Step {
        id: LLR21_MS_IOM_COHORT,
        commitment: LLR21_COM_IOM,
        title: "Integrated offender management cohort refreshed to focus on neighbourhood crime",
        due: ymd!(2021, 12, 31),
        at_issue: Status::OnTrack,
        now: Status::Complete,
    },
    Step {
        id: LLR21_MS_DIVERSION_CONTRACT,
        commitment: LLR21_COM_DIVERSION,
        title: "Diversion service contract awarded",
        due: ymd!(2022, 4, 30),
        at_issue: Status::NotStarted,
        now: Status::Complete,
    },
    Step {
        id: LLR21_MS_DRUG_TESTING,
        commitment: LLR21_COM_DRUG_TESTING,
        title: "Drug testing on arrest running in every custody suite",
        due: ymd!(2022, 9, 30),
        at_issue: Status::NotStarted,
        now: Status::Late,
    },
    Step {
        id: LLR21_MS_VICTIM_SERVICE_LIVE,
        commitment: LLR21_COM_VICTIM_SERVICE,
        title: "Recommissioned victim referral and support service live",
        due: ymd!(2022, 4, 1),
        at_issue: Status::OnTrack,
        now: Status::Complete,
    },
    Step {
        id: LLR21_MS_VICTIMS_CODE_AUDIT,
        commitment: LLR21_COM_VICTIM_SERVICE,
        title: "Audit of compliance with the Victims' Code reported to the Commissioner",
        due: ymd!(2022, 12, 31),
        at_issue: Status::NotStarted,
        now: Status::OnTrack,
    },
    Step {
        id: LLR21_MS_WITNESS_REVIEW,
        commitment: LLR21_COM_WITNESS_CARE,
        title: "Review of how court delays affect victims and witnesses reported to the Local Criminal Justice Board",
        due: ymd!(2023, 3, 31),
        at_issue: Status::NotStarted,
        now: Status::OnTrack,
    },
    Step {
        id: LLR21_MS_PERPETRATOR_PROGRAMME,
        commitment: LLR21_COM_PERPETRATORS,
        title: "Domestic abuse perpetrator programme available in all nine areas",
        due: ymd!(2023, 3, 31),
        at_issue: Status::NotStarted,
        now: Status::AtRisk,
    },
    Step {
        id: LLR21_MS_TRIAGE_HOURS,
        commitment: LLR21_COM_MENTAL_HEALTH_TRIAGE,
        title: "Mental health triage extended to run around the clock",
        due: ymd!(2022, 6, 30),
        at_issue: Status::NotStarted,
        now: Status::Withdrawn,
    },
    Step {
        id: LLR21_MS_EXPLOITATION_HUB,
        commitment: LLR21_COM_EXPLOITATION_HUB,
        title: "Child exploitation hub opened with the city and county councils",
        due: ymd!(2023, 6, 30),
        at_issue: Status::NotStarted,
        now: Status::OnTrack,
    },
    Step {
        id: LLR21_MS_SAFER_STREETS,
        commitment: LLR21_COM_SAFER_STREETS,
        title: "Safer Streets crime prevention measures installed in the funded neighbourhoods",
        due: ymd!(2022, 3, 31),
        at_issue: Status::OnTrack,
        now: Status::Complete,
    },
    Step {
        id: LLR21_MS_VIOLENCE_ASSESSMENT,
        commitment: LLR21_COM_VIOLENCE_REDUCTION,
        title: "Serious violence strategic needs assessment refreshed",
        due: ymd!(2022, 1, 31),
        at_issue: Status::OnTrack,
        now: Status::Complete,
    },
    Step {
        id: LLR21_MS_VIOLENCE_DUTY,
        commitment: LLR21_COM_VIOLENCE_REDUCTION,
        title: "Partners' response strategy ready for the Serious Violence Duty",
        due: ymd!(2023, 1, 31),
        at_issue: Status::NotStarted,
        now: Status::OnTrack,
    },
    Step {
        id: LLR21_MS_BUSINESS_CRIME,
        commitment: LLR21_COM_BUSINESS_CRIME,
        title: "Shop theft reporting route agreed with town-centre retailers",
        due: ymd!(2022, 11, 30),
        at_issue: Status::NotStarted,
        now: Status::OnTrack,
    },
];

/// The illustrative Police and Crime Plan 2021-2025 as monitored: its working draft,
/// with milestone statuses as they stand on [`PROGRESS_AS_AT`].
pub fn plan_2021() -> Plan {
    build_2021(Stage::AsAt31October2022)
}

/// The illustrative Police and Crime Plan 2021-2025 as issued on 1 October 2021: the same
/// records, with milestone statuses as they stood then.
pub fn plan_2021_as_issued() -> Plan {
    build_2021(Stage::Issued)
}

fn build_2021(stage: Stage) -> Plan {
    // Every record of this plan is illustrative (NOTE_2021); only the themes' titles come
    // from a seed.
    use Source::Illustrative;
    let mut items = Items::default();

    items.add(Illustrative, LLR21_SEC_NOTE, None, section("About this plan", NOTE_2021, &[], &[]));
    let descriptions = [
        "Fewer people drawn back into crime: the offenders who cause most harm managed jointly, diversion for those \
         who can be turned away from it, and treatment where drugs or alcohol drive offending.",
        "Victims and witnesses supported from the first report to the end of the case, as the Victims' Code \
         requires.",
        "Protection for people at risk of harm: victims of domestic abuse, people in mental health crisis and \
         children at risk of exploitation.",
        "Less crime and anti-social behaviour in every neighbourhood of Leicester, Leicestershire and Rutland.",
    ];
    let objectives = [LLR21_OBJ_REOFFENDING, LLR21_OBJ_VICTIMS, LLR21_OBJ_VULNERABLE, LLR21_OBJ_SAFER];
    for (number, ((id, title), description)) in objectives.into_iter().zip(THEMES).zip(descriptions).enumerate() {
        items.add(Illustrative, id, None, objective(&(number + 1).to_string(), title, description));
    }

    // 1. Reducing Reoffending.
    items.add(
        Illustrative,
        LLR21_PRI_PROLIFIC_OFFENDERS,
        Some(LLR21_OBJ_REOFFENDING),
        priority("Managing the offenders who cause most harm", ""),
    );
    items.add(
        Illustrative,
        LLR21_COM_IOM,
        Some(LLR21_PRI_PROLIFIC_OFFENDERS),
        commitment(
            "Manage the most prolific neighbourhood offenders jointly with the Probation Service",
            "Integrated offender management focused on burglary, robbery and vehicle crime.",
            "Assistant Chief Constable (Crime)",
            FORCE,
        ),
    );
    items.add(
        Illustrative,
        LLR21_PRI_DIVERSION,
        Some(LLR21_OBJ_REOFFENDING),
        priority("Diverting people from crime", "Out-of-court disposals that address why someone offended."),
    );
    items.add(
        Illustrative,
        LLR21_COM_DIVERSION,
        Some(LLR21_PRI_DIVERSION),
        commitment(
            "Commission a diversion service for adults and young people given out-of-court disposals",
            "",
            "Head of Commissioning, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        LLR21_PRI_DRUGS_ALCOHOL,
        Some(LLR21_OBJ_REOFFENDING),
        priority("Treatment where drugs or alcohol drive offending", ""),
    );
    items.add(
        Illustrative,
        LLR21_COM_DRUG_TESTING,
        Some(LLR21_PRI_DRUGS_ALCOHOL),
        commitment(
            "Test people arrested for trigger offences for drugs and refer them to treatment",
            "With the city and county public health treatment services.",
            "Head of Criminal Justice",
            FORCE,
        ),
    );

    // 2. Support for Victims and Witnesses.
    items.add(
        Illustrative,
        LLR21_PRI_VICTIM_SERVICES,
        Some(LLR21_OBJ_VICTIMS),
        priority("Victims' services that meet the Victims' Code", ""),
    );
    items.add(
        Illustrative,
        LLR21_COM_VICTIM_SERVICE,
        Some(LLR21_PRI_VICTIM_SERVICES),
        commitment(
            "Recommission the victim referral and support service",
            "One service for every victim, whether or not they report the crime to the police.",
            "Head of Commissioning, OPCC",
            OPCC,
        ),
    );
    items.add(
        Illustrative,
        LLR21_MEA_VICTIM_SATISFACTION,
        Some(LLR21_PRI_VICTIM_SERVICES),
        Record::Measure(Measure {
            title: String::from("Victims satisfied with the service"),
            definition: String::from(
                "Victims of crime surveyed six to twelve weeks after reporting who were satisfied with the whole \
                 service they received from Leicestershire Police",
            ),
            unit: String::from("%"),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Baseline { value: 74.0, period: String::from("2020/21") }),
            ambition: Ambition::Direction { direction: Direction::Increase },
            frequency: Frequency::Quarterly,
            data_source: String::from("Leicestershire Police victim satisfaction survey"),
            by_area: false,
        }),
    );
    items
        .add(
            Illustrative,
            LLR21_PRI_JUSTICE,
            Some(LLR21_OBJ_VICTIMS),
            priority(
                "Bringing offenders to justice",
                "More crimes charged, and victims kept informed while they wait.",
            ),
        )
        .serves = vec![LLR21_OBJ_REOFFENDING];
    items.add(
        Illustrative,
        LLR21_COM_WITNESS_CARE,
        Some(LLR21_PRI_JUSTICE),
        commitment(
            "Keep victims and witnesses informed while their cases wait for court",
            "With the Crown Prosecution Service and the courts, through the Local Criminal Justice Board.",
            "Head of Criminal Justice",
            FORCE,
        ),
    );
    items.add(Illustrative, LLR21_MEA_CHARGE_SHARE, Some(LLR21_PRI_JUSTICE), charge_share());

    // 3. Protecting Vulnerable People.
    items.add(
        Illustrative,
        LLR21_PRI_DOMESTIC_ABUSE,
        Some(LLR21_OBJ_VULNERABLE),
        priority("Domestic abuse and violence against women and girls", ""),
    );
    items.add(
        Illustrative,
        LLR21_COM_PERPETRATORS,
        Some(LLR21_PRI_DOMESTIC_ABUSE),
        commitment("Commission a domestic abuse perpetrator programme", "", "Head of Commissioning, OPCC", OPCC),
    );
    items.add(
        Illustrative,
        LLR21_MEA_DA_REPEAT,
        Some(LLR21_PRI_DOMESTIC_ABUSE),
        Record::Measure(Measure {
            title: String::from("Repeat victims of domestic abuse"),
            definition: String::from(
                "Victims of a domestic abuse crime in the quarter who were also the victim of one in the previous \
                 twelve months, as a share of all victims of domestic abuse crime in the quarter",
            ),
            unit: String::from("%"),
            polarity: Polarity::LowerIsBetter,
            baseline: Some(Baseline { value: 29.0, period: String::from("2020/21") }),
            ambition: Ambition::Direction { direction: Direction::Reduce },
            frequency: Frequency::Quarterly,
            data_source: String::from("Leicestershire Police crime recording system"),
            by_area: false,
        }),
    );
    // Where the 2013 refresh put the 'Mental Health and Wellbeing' work-streams.
    items.add(
        Illustrative,
        LLR21_PRI_MENTAL_HEALTH,
        Some(LLR21_OBJ_VULNERABLE),
        priority("People in mental health crisis", "Care from health professionals, not a police cell."),
    );
    items.add(
        Illustrative,
        LLR21_COM_MENTAL_HEALTH_TRIAGE,
        Some(LLR21_PRI_MENTAL_HEALTH),
        commitment(
            "Send mental health nurses with officers to people in crisis",
            "A triage service run with the local NHS mental health trust.",
            "Superintendent, Mental Health Lead",
            FORCE,
        ),
    );
    items.add(
        Illustrative,
        LLR21_PRI_EXPLOITATION,
        Some(LLR21_OBJ_VULNERABLE),
        priority("Children at risk of exploitation", "Criminal and sexual exploitation, including county lines."),
    );
    items.add(
        Illustrative,
        LLR21_COM_EXPLOITATION_HUB,
        Some(LLR21_PRI_EXPLOITATION),
        commitment(
            "Bring police and children's services together in one child exploitation hub",
            "",
            "Head of Public Protection",
            FORCE,
        ),
    );

    // 4. Making Communities Safer, with the 'Reducing All Crime' work-streams of 2013.
    items.add(Illustrative, LLR21_MEA_CRIME, Some(LLR21_OBJ_SAFER), recorded_crime());
    items.add(
        Illustrative,
        LLR21_PRI_NEIGHBOURHOOD_CRIME,
        Some(LLR21_OBJ_SAFER),
        priority("Neighbourhood crime", "Burglary, robbery, vehicle crime and theft, which hit people at home."),
    );
    items.add(
        Illustrative,
        LLR21_COM_SAFER_STREETS,
        Some(LLR21_PRI_NEIGHBOURHOOD_CRIME),
        commitment(
            "Protect the neighbourhoods worst hit by burglary and vehicle crime with Safer Streets funding",
            "Lighting, alley gates and locks, chosen with residents.",
            "Head of Partnerships, OPCC",
            OPCC,
        ),
    );
    items.add(Illustrative, LLR21_MEA_BURGLARY, Some(LLR21_PRI_NEIGHBOURHOOD_CRIME), crimes_of_type(BURGLARY));
    items.add(
        Illustrative,
        LLR21_MEA_VEHICLE_CRIME,
        Some(LLR21_PRI_NEIGHBOURHOOD_CRIME),
        crimes_of_type(VEHICLE_CRIME),
    );
    items
        .add(
            Illustrative,
            LLR21_PRI_SERIOUS_VIOLENCE,
            Some(LLR21_OBJ_SAFER),
            priority("Serious violence", "Prevention with partners as well as enforcement."),
        )
        .serves = vec![LLR21_OBJ_VULNERABLE];
    items.add(
        Illustrative,
        LLR21_COM_VIOLENCE_REDUCTION,
        Some(LLR21_PRI_SERIOUS_VIOLENCE),
        commitment(
            "Lead partners' response to serious violence through the Violence Reduction Network",
            "",
            "Director, Violence Reduction Network",
            "Violence Reduction Network",
        ),
    );
    items.add(Illustrative, LLR21_MEA_VIOLENCE, Some(LLR21_PRI_SERIOUS_VIOLENCE), crimes_of_type(VIOLENCE));
    items.add(
        Illustrative,
        LLR21_PRI_ASB_BUSINESS,
        Some(LLR21_OBJ_SAFER),
        priority("Anti-social behaviour and crime against business", ""),
    );
    items.add(
        Illustrative,
        LLR21_COM_BUSINESS_CRIME,
        Some(LLR21_PRI_ASB_BUSINESS),
        commitment(
            "Work with retailers and business improvement districts against shop theft",
            "",
            "Head of Neighbourhood Policing",
            FORCE,
        ),
    );
    items.add(Illustrative, LLR21_MEA_SHOPLIFTING, Some(LLR21_PRI_ASB_BUSINESS), crimes_of_type(SHOPLIFTING));
    items.add(Illustrative, LLR21_MEA_ASB, Some(LLR21_PRI_ASB_BUSINESS), anti_social_behaviour());

    // The milestones, each under its commitment; records are shown under their parent,
    // so adding them last keeps the table of steps in one place.
    for step in &STEPS {
        let status = match stage {
            Stage::Issued => step.at_issue,
            Stage::AsAt31October2022 => step.now,
        };
        items.add(Illustrative, step.id, Some(step.commitment), milestone(step.title, step.due, status));
    }

    // The statutory narrative, s.7(1)(b)-(f), and the further functions.
    items.add(
        Illustrative,
        LLR21_SEC_POLICING,
        None,
        section(
            "The policing the Chief Constable will provide",
            "Leicestershire Police will provide neighbourhood policing teams in each of the nine local authority \
             areas, a response to emergencies at all hours, the investigation of crime and the protection of \
             vulnerable people, and will deliver the commitments and milestones under each of the four themes.",
            &[E::Policing],
            &[],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_REPORTING,
        None,
        section(
            "How the Chief Constable will report",
            "The Chief Constable reports to the Commissioner at a public accountability meeting every quarter, on \
             the milestones of this plan and on its measures. Figures from police.uk are reported every month for \
             each local authority area; the Commissioner publishes both and takes them to the Police and Crime \
             Panel.",
            &[E::Reporting],
            &[],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_RESOURCES,
        None,
        section(
            "Resources",
            "The Commissioner sets the budget and the precept each February. The lines below are the resources for \
             2021/22: most is provided to the Chief Constable; the Commissioner keeps the cost of the office and a \
             budget to commission services for victims, diversion and community safety.",
            &[E::Resources],
            &[],
        ),
    );
    items.add(
        Illustrative,
        LLR21_RES_FORCE_BUDGET,
        None,
        resource("Net revenue budget provided to the Chief Constable", 197_500_000, 2021, true, ""),
    );
    items.add(
        Illustrative,
        LLR21_RES_CAPITAL,
        None,
        resource("Capital programme: vehicles, buildings and technology", 11_800_000, 2021, true, ""),
    );
    items.add(
        Illustrative,
        LLR21_RES_OPCC,
        None,
        resource("Office of the Police and Crime Commissioner", 1_700_000, 2021, false, ""),
    );
    items.add(
        Illustrative,
        LLR21_RES_COMMISSIONING,
        None,
        resource(
            "Commissioning budget: victims' services, diversion and community safety",
            4_200_000,
            2021,
            false,
            "Includes the Ministry of Justice grant for victims' services.",
        ),
    );
    let [first_peer, second_peer, third_peer, fourth_peer] = PEER_FORCES;
    items.add(
        Illustrative,
        LLR21_SEC_MEASURES,
        None,
        section(
            "Measuring performance",
            &format!(
                "Recorded crime, anti-social behaviour and the share of crimes charged are taken each month from \
                 police.uk street-level data for each of the nine local authority areas, and shown as counts and as \
                 rates per 1,000 residents (ONS Census 2021), with comparisons with {first_peer}, {second_peer}, \
                 {third_peer} and {fourth_peer}. Victim satisfaction and repeat domestic abuse are reported every \
                 quarter. Every measure has a direction of travel rather than a numeric target."
            ),
            &[E::PerformanceMeasures],
            &[],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_GRANTS,
        None,
        section(
            "Crime and disorder reduction grants",
            "Under section 9 of the Police Reform and Social Responsibility Act 2011 the Commissioner makes crime and \
             disorder reduction grants to the community safety partnerships and, through a community safety fund, to \
             voluntary and community groups, on the conditions set out with each grant.",
            &[E::Grants],
            &[F::CommunitySafety],
        ),
    );
    items.add(
        Illustrative,
        LLR21_GRANT_CSPS,
        None,
        grant(
            "The community safety partnerships of Leicester, Leicestershire and Rutland",
            "Local work against the crime and anti-social behaviour that matter most in each area, in line with the \
             four themes of this plan",
            1_050_000,
            2021,
            "Each partnership agrees a spending plan with the Commissioner by 31 December 2021 and reports what the \
             grant achieved every six months. Money not spent by 31 March 2022 is returned.",
        ),
    );
    items.add(
        Illustrative,
        LLR21_GRANT_COMMUNITY_FUND,
        None,
        grant(
            "Voluntary and community groups, through the Commissioner's community safety fund",
            "Small projects that keep people safe in their neighbourhoods",
            250_000,
            2021,
            "Grants of up to £5,000 a project, decided twice a year; each group reports what its project achieved.",
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_SPR,
        None,
        section(
            "The Strategic Policing Requirement",
            "The Commissioner has regard to the Strategic Policing Requirement. Leicestershire Police meets its part \
             of the national threats (terrorism, serious and organised crime, civil emergencies, public disorder, \
             cyber incidents and child sexual abuse) with the other East Midlands forces through regional \
             collaboration.",
            &[],
            &[F::StrategicPolicingRequirement],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_VICTIMS_JUSTICE,
        None,
        section(
            "Victims and criminal justice",
            "The Commissioner commissions services for victims and chairs the Local Criminal Justice Board's work on \
             the time cases take to reach court.",
            &[],
            &[F::VictimsServices, F::CriminalJustice],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_VIOLENCE_REDUCTION,
        None,
        section(
            "Violence reduction and partnership",
            "The Violence Reduction Network brings the councils, health, education, probation and the police \
             together to prevent serious violence; the community safety partnerships plan with the police in each \
             area.",
            &[],
            &[F::ViolenceReduction, F::PartnershipWork],
        ),
    );
    items.add(
        Illustrative,
        LLR21_SEC_SAFEGUARDING,
        None,
        section(
            "Consultation, safeguarding and equality",
            "The Commissioner consulted residents, victims and partners on this plan and will report each year on \
             the equality objectives and on safeguarding with the children's and adults' safeguarding partnerships.",
            &[],
            &[F::ConsultationDuties, F::SafeguardingAndEquality],
        ),
    );

    Plan {
        id: LLR_PLAN_2021,
        body_id: LLR_BODY,
        title: String::from("Police and Crime Plan 2021-2025"),
        // Illustrative period: from 1 October 2021 to the end of the financial year after
        // the next ordinary election (2 May 2024), PRSRA 2011 s.5(3).
        starts_on: ymd!(2021, 10, 1),
        ends_on: ymd!(2025, 3, 31),
        vision: themes_line(),
        items: items.into_vec(),
    }
}

/// A monthly count of police.uk street-level records, by area, where fewer is better.
fn police_uk_count(title: &str, definition: String, unit: &str) -> Record {
    Record::Measure(Measure {
        title: title.to_string(),
        definition,
        unit: unit.to_string(),
        polarity: Polarity::LowerIsBetter,
        // The plan starts with the data: the first months are the comparison, and no
        // earlier figure is invented for the demo.
        baseline: None,
        ambition: Ambition::Direction { direction: Direction::Reduce },
        frequency: Frequency::Monthly,
        data_source: POLICE_UK.to_string(),
        by_area: true,
    })
}

fn recorded_crime() -> Record {
    police_uk_count(
        "Recorded crime (all types, excluding anti-social behaviour)",
        format!(
            "Crimes of every type recorded by {FORCE} in the month, except anti-social behaviour, for each local \
             authority area"
        ),
        "crimes",
    )
}

/// A count of one police.uk crime type, titled by the type's own name.
fn crimes_of_type(crime_type: &str) -> Record {
    police_uk_count(
        crime_type,
        format!(
            "Crimes of the police.uk type '{crime_type}' recorded by {FORCE} in the month, for each local \
             authority area"
        ),
        "crimes",
    )
}

fn anti_social_behaviour() -> Record {
    police_uk_count(
        "Anti-social behaviour incidents",
        format!(
            "Anti-social behaviour incidents (police.uk type '{ANTI_SOCIAL_BEHAVIOUR}') reported to {FORCE} in the \
             month, for each local authority area"
        ),
        "incidents",
    )
}

fn charge_share() -> Record {
    let [awaiting, unavailable, other_case] = CHARGE_OUTCOME_EXAMPLES;
    Record::Measure(Measure {
        title: String::from("Share of crimes with a charge or summons outcome"),
        definition: format!(
            "Crimes whose last recorded outcome is a charge or summons, or a court outcome that follows one, as a \
             share of crimes recorded in the month (anti-social behaviour excluded), for each local authority area. \
             The street-level files give the last outcome known when they were published: in {FORCE}'s files for \
             October 2021 to October 2022 such crimes show as '{awaiting}', '{unavailable}' or '{other_case}'. \
             Crimes still under investigation may be charged later, so the latest months understate the share."
        ),
        unit: String::from("%"),
        polarity: Polarity::HigherIsBetter,
        baseline: None,
        ambition: Ambition::Direction { direction: Direction::Increase },
        frequency: Frequency::Monthly,
        data_source: POLICE_UK.to_string(),
        by_area: true,
    })
}

// ---- Plan files ----

/// The 2013 plan's one version: the refresh as issued.
pub fn history_2013() -> Vec<DemoVersion> {
    vec![DemoVersion {
        kind: VersionKind::Issued,
        label: "Refreshed plan as issued, October 2013",
        // Illustrative date: seed 003 (para 11) plans the refreshed plan's publication by
        // 1 October 2013, after sign-off via the Police and Crime Panel; the seeds do not
        // say when it was issued.
        effective_on: ymd!(2013, 10, 1),
        plan: plan_2013(),
    }]
}

/// The 2021 plan's one version: the plan as issued, its milestones as they stood then.
pub fn history_2021() -> Vec<DemoVersion> {
    vec![DemoVersion {
        kind: VersionKind::Issued,
        label: "Plan as issued, 1 October 2021",
        // Illustrative, like the plan.
        effective_on: ymd!(2021, 10, 1),
        plan: plan_2021_as_issued(),
    }]
}

/// The refreshed 2013-17 plan as a plan file, for `pcplan plan import`.
pub fn plan_file_2013() -> PlanFile {
    PlanFile::new(body(), plan_2013(), crate::numbered(history_2013()))
}

/// The 2021-2025 plan as a plan file: the working draft as monitored on 31 October 2022
/// and the version issued on 1 October 2021.
pub fn plan_file_2021() -> PlanFile {
    PlanFile::new(body(), plan_2021(), crate::numbered(history_2021()))
}

/// Both plans of the body, oldest first. Each file carries the same body, so importing
/// the second after the first finds the body already stored and unchanged.
pub fn plan_files() -> [PlanFile; 2] {
    [plan_file_2013(), plan_file_2021()]
}
