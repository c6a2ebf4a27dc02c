//! The Panel's report of 14 February 2014 on the variation of the plan, exactly as seed
//! 004 gives it, and the Commissioner's response to it, which is written for the demo.
//!
//! The report's words are the seed's: the covering letter, the members present, each
//! topic section, and every recommendation, request for information, work programme
//! item and commitment of the Commissioner that the Panel noted (the seed's italic
//! passages). Where the seed's italic passage is also a request ("You agreed to share
//! information on the level of prosecutions with the Panel"), it is entered as the
//! request, so that it is tracked. Where one passage holds two asks, it is split at the
//! sentence, keeping the words. The response (its letter, each answer, the owners and
//! due dates of the requests, and the dates of review and publication) is illustrative.
//! This module builds values only; `pcplan demo` loads them through the store, and
//! publishing the response there records the variation's response steps.

use chrono::NaiveDate;
use pcplan_domain::report::{
    Answer, Done, Edit, EntryInput, EntryKind, Letter, Owner, PlanLink, Report, ReportInput, ResponseLetter, Review,
    SectionInput, Stance, Tracking,
};
use pcplan_domain::{ItemId, RecordKind, ReportId};

use crate::ids;

/// The report of 14 February 2014. Its number's first hex digit `f` is kept for Panel
/// reports, apart from the plan's records (see `ids`).
pub const REPORT_2014: ReportId = ReportId::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_f004);

/// When the response was marked reviewed (illustrative).
pub const REVIEWED_ON: NaiveDate = ymd!(2014, 2, 20);
/// Who reviewed it (illustrative).
pub const REVIEWED_BY: &str = "Chief Executive, OPCC";
/// When the response was given to the Panel and published: the dates of the variation's
/// response steps (`process::variation_steps_2014`), illustrative.
pub const PUBLISHED_ON: NaiveDate = ymd!(2014, 2, 21);

fn entry(kind: EntryKind, text: &str) -> EntryInput {
    EntryInput { id: None, kind, text: text.to_string(), owner: None, due_on: None }
}

fn recommendation(text: &str) -> EntryInput {
    entry(EntryKind::Recommendation, text)
}

fn noted(text: &str) -> EntryInput {
    entry(EntryKind::NotedCommitment, text)
}

fn section(heading: &str, text: &str, entries: Vec<EntryInput>) -> SectionInput {
    SectionInput { id: None, heading: heading.to_string(), text: text.to_string(), entries }
}

/// The report as seed 004 gives it.
pub fn report_2014() -> ReportInput {
    use EntryKind::{InformationRequest, WorkItem};
    ReportInput {
        meeting_id: ids::MEETING_2014,
        process_id: Some(ids::VARIATION_2014),
        received_on: ymd!(2014, 2, 14),
        title: String::from(
            "Report of the West Midlands Police and Crime Panel to the West Midlands Police and Crime Commissioner: \
             West Midlands Police and Crime Plan",
        ),
        letter: Letter {
            from: String::from(
                "Councillor Jess Phillips\nVice-Chair West Midlands Police and Crime Panel\nWMPCP\nScrutiny Office\n\
                 Birmingham Council House\nVictoria Square\nBirmingham\nB1 1BB",
            ),
            to: String::from(
                "Mr Bob Jones\nWest Midlands Police & Crime Commissioner\nLloyd House\nColmore Circus\nBirmingham\n\
                 B4 6NQ\ncc. Jacky Courtney,\nChief Executive, Office of the Police & Crime Commissioner",
            ),
            dated: ymd!(2014, 2, 14),
            subject: String::from("Variations to the West Midland Police and Crime Plan 2014"),
            text: String::from(
                "Dear Bob\n\n\
                 On behalf of the West Midlands Police and Crime Panel I would like to thank you and the Temporary \
                 Deputy Chief Constable Sharon Rowe for your attendance at the Panel Meeting on 3rd February 2014 to \
                 present and discuss your proposed changes to the West Midlands Police and Crime Plan.\n\n\
                 Please find attached the Panel's statutory report. We hope you find our comments helpful in updating \
                 your Plan.\n\n\
                 Whilst we fully understand the pressure you were under for producing the Plan, late papers make it \
                 more difficult for Panel Members to undertake their work. We sincerely hope the Panel's statutory \
                 requirement for publishing meeting papers 5 clear working days before meetings will be taken into \
                 account in the timetable for any future variations of the Plan.\n\n\
                 Yours sincerely\n\n\
                 Councillor Jess Phillips\nVice-Chair West Midlands Police and Crime Panel",
            ),
        },
        members_present: String::from(
            "Councillors Alden, Bains, Hosell, Jamieson, Meeson, Phillips, Rowley, Smith, Tyler Nick Drew and Lionel \
             Walker",
        ),
        sections: vec![
            section(
                "Introduction",
                "In accordance with section 28 (3) of the Police Reform and Social Responsibility Act 2011 the Panel \
                 must review any changes to the Police and Crime Plan and make a report to the PCC. The PCC must \
                 consider the Panel's report prior to publication of the Plan.\n\n\
                 On 3rd February 2014 the West Midlands Police and Crime Panel considered the Commissioner's proposed \
                 changes to the Police and Crime Plan.",
                Vec::new(),
            ),
            section(
                "Panel Decision",
                "The Police and Crime Plan is an important document that will set out the criteria by which the \
                 Panel will be holding the Commissioner to account in the coming year.\n\n\
                 Below are some areas which the Panel would like the Commissioner to consider when finalising and \
                 delivering the Plan.",
                Vec::new(),
            ),
            section(
                "Targets and Measures",
                "The Panel noted that perception figures can be difficult to interpret because it is generally \
                 unclear as to how interventions change perceptions.",
                vec![
                    noted(
                        "The Panel accepts the concerns you raised about how target setting can distort policing \
                         priorities and would not like to see that in the West Midlands.",
                    ),
                    noted(
                        "The Panel notes the work of Temporary Deputy Chief Constable Sharon Rowe is carrying out to \
                         better understand confidence in local neighbourhoods.",
                    ),
                ],
            ),
            section(
                "Crime Solving / Detection rates",
                "",
                vec![
                    recommendation(
                        "The Panel asked if you could include targets relating to prosecutions around areas such as \
                         domestic violence (such as referrals to the Crown Prosecution Service and convictions as a \
                         result).",
                    ),
                    noted(
                        "The Panel understands that you are learning from restorative justice projects and victims' views.",
                    ),
                    entry(
                        InformationRequest,
                        "You agreed to share information on the level of prosecutions with the Panel.",
                    ),
                ],
            ),
            section(
                "Harm",
                "The Panel was concerned that there was no mention of the Multi-Agency Safeguarding Hubs (MASHs) \
                 being set up. There was little additional information on children's safeguarding in this version of \
                 the Plan than last year when the Panel also raised concerns about this.",
                vec![
                    noted(
                        "However, you noted that MASHs are being embedded and that Stephen Rimmer has been employed as \
                         a regional lead on child safeguarding and his work is ongoing.",
                    ),
                    recommendation(
                        "The Panel would, therefore, expect significantly more detail in the 2015-16 Police and Crime \
                         Plan on children's safeguarding and children's sexual exploitation.",
                    ),
                    recommendation(
                        "As noted above, the Panel felt the emphasis on domestic violence is important and targets \
                         should be set about referrals to the CPS.",
                    ),
                ],
            ),
            section(
                "Neighbourhood Watch",
                "",
                vec![
                    recommendation(
                        "The Panel was concerned about the absence of Neighbourhood Watch schemes in the Plan. The \
                         suggestion was made that they could be better integrated with local Police and Crime Boards.",
                    ),
                    noted(
                        "The Panel noted that you held a summit on this topic and your agreement that you need to find \
                         a better way to support Neighbourhood Watch schemes.",
                    ),
                ],
            ),
            section(
                "Progress on Local Police and Crime Boards",
                "The Panel noted the section of the Plan on developing greater local identity across the West \
                 Midlands. It congratulates you on progress being made on bringing partners together in this way.",
                vec![
                    noted("You set out the progress of the Local Police and Crime Board in Wolverhampton."),
                    entry(
                        WorkItem,
                        "The Panel would like a formal report on progress elsewhere across the region and will add \
                         this to the work programme.",
                    ),
                ],
            ),
            section(
                "Young People",
                "",
                vec![
                    recommendation(
                        "The Panel would like to see you develop a broader strategy on working with young people as \
                         victims and perpetrators.",
                    ),
                    noted("You discussed the Youth Summit you held and the development of a Youth Action Plan."),
                    recommendation(
                        "The Panel considered that knife crime and firearms possession should have been explicitly \
                         included in the Plan.",
                    ),
                    noted("The Panel notes that you are intending to launch a knife surrender amnesty shortly."),
                    entry(
                        InformationRequest,
                        "The Panel would like to receive an update on knife crime and firearms trends over the past \
                         five years, including information on sentencing.",
                    ),
                    entry(
                        InformationRequest,
                        "The Panel would be interested in evidence on the benefits of knife surrender amnesties.",
                    ),
                ],
            ),
            section(
                "Magistrates",
                "",
                vec![
                    recommendation(
                        "The Panel noted the requirement of the PCC to work with local Criminal Justice Services and \
                         asked for details of how magistrates' views feed into this.",
                    ),
                    noted("You noted a summit to be held shortly to which magistrates have been invited."),
                    entry(InformationRequest, "The Panel would be interested in the arising action plan."),
                ],
            ),
            section(
                "Final Comments",
                "In conclusion and, subject to the above comments, the Panel is satisfied that the Police and Crime \
                 Plan is reflective of the current priorities across the West Midlands and that it will support the \
                 continuation of the existing work being undertaken by West Midlands Police and partner \
                 organisations to reduce crime and improve community safety.\n\n\
                 The Panel will publish this report on www.birmingham.gov.uk/wmpcp on 17th February 2014.\n\n\
                 The Panel looks forward to your response to this report and receipt of the final version of the \
                 amended Police and Crime Plan.",
                Vec::new(),
            ),
        ],
    }
}

/// The owner, due date and (for one) completion of each tracked entry, in the order of
/// the report: the prosecutions information, the Panel's report on the boards, the knife
/// crime trends, the evidence on amnesties and the magistrates' summit action plan.
/// Illustrative.
pub fn tracking_2014() -> Vec<Tracking> {
    let officer = |name: &str| Some(Owner::Officer(name.to_string()));
    vec![
        Tracking {
            owner: officer("Temporary Deputy Chief Constable"),
            due_on: Some(ymd!(2014, 3, 31)),
            done: Some(Done {
                on: ymd!(2014, 3, 24),
                provided: String::from(
                    "Briefing note to the Panel on prosecutions and CPS referrals for domestic violence, 2011/12 to \
                     2013/14 (illustrative).",
                ),
            }),
        },
        Tracking { owner: officer("Chief Executive, OPCC"), due_on: Some(ymd!(2014, 9, 30)), done: None },
        Tracking { owner: officer("Temporary Deputy Chief Constable"), due_on: Some(ymd!(2014, 6, 30)), done: None },
        Tracking { owner: officer("Chief Executive, OPCC"), due_on: Some(ymd!(2014, 6, 30)), done: None },
        Tracking { owner: officer("Chief Executive, OPCC"), due_on: Some(ymd!(2014, 5, 31)), done: None },
    ]
}

fn link(item: ItemId, kind: RecordKind) -> PlanLink {
    // The store fills in the title from the plan when the answer is saved.
    PlanLink { item, kind, title: String::new() }
}

fn answer(stance: Stance, reasons: &str, changes: Vec<PlanLink>) -> Answer {
    Answer { stance, reasons: reasons.to_string(), changes }
}

/// The answer to each recommendation, R1 to R7 in order. Illustrative.
pub fn answers_2014() -> Vec<Answer> {
    vec![
        answer(
            Stance::Accepted,
            "Illustrative. The varied plan adds a measure of domestic abuse cases referred to the Crown Prosecution \
             Service, with the convictions that follow, reported by area each quarter. It sets a direction of travel \
             rather than a numeric target, as the Panel accepted that targets can distort policing priorities.",
            vec![link(ids::MEA_DA_CPS_REFERRALS, RecordKind::Measure)],
        ),
        answer(
            Stance::Accepted,
            "Illustrative. The 2015-16 plan will set out the work of the Multi-Agency Safeguarding Hubs and the \
             regional lead on child safeguarding, with commitments and milestones on children's safeguarding and \
             child sexual exploitation. The current plan keeps its commitment on child sexual exploitation.",
            Vec::new(),
        ),
        answer(
            Stance::AlreadyAddressed,
            "Illustrative. Addressed by the new measure of referrals to the Crown Prosecution Service (see R1).",
            vec![link(ids::MEA_DA_CPS_REFERRALS, RecordKind::Measure)],
        ),
        answer(
            Stance::PartlyAccepted,
            "Illustrative. Following the summit, the Commissioner will ask each local policing and crime board to \
             set out how it works with Neighbourhood Watch schemes in its local plan. The plan itself is not \
             changed this year.",
            Vec::new(),
        ),
        answer(
            Stance::PartlyAccepted,
            "Illustrative. The Youth Action Plan arising from the Youth Summit is the first step towards a broader \
             strategy on young people as victims and perpetrators; the 2015-16 plan will build on it.",
            vec![link(ids::MS_YOUTH_ACTION_PLAN, RecordKind::Milestone)],
        ),
        answer(
            Stance::Accepted,
            "Illustrative. The varied plan adds a commitment to tackle knife crime and firearms possession, \
             including a knife surrender amnesty with its own milestone.",
            vec![
                link(ids::COM_KNIFE_CRIME, RecordKind::Commitment),
                link(ids::MS_KNIFE_AMNESTY, RecordKind::Milestone),
            ],
        ),
        answer(
            Stance::Accepted,
            "Illustrative. Magistrates have been invited to the criminal justice summit; the action plan that \
             arises from it will say how their views feed into the Commissioner's work with local criminal justice \
             services, and will be shared with the Panel.",
            Vec::new(),
        ),
    ]
}

/// The Commissioner's covering letter. Illustrative.
pub fn response_letter_2014() -> ResponseLetter {
    ResponseLetter {
        to: String::from(
            "Councillor Jess Phillips\nVice-Chair West Midlands Police and Crime Panel\nBirmingham Council House\n\
             Victoria Square\nBirmingham\nB1 1BB",
        ),
        salutation: String::from("Dear Jess"),
        text: String::from(
            "Illustrative response written for the pcplan demo; it is not the Commissioner's published text.\n\n\
             Thank you for the Panel's report of 14 February 2014 on the proposed variations to the West Midlands \
             Police and Crime Plan, and for the Panel's time at its meeting on 3 February.\n\n\
             I have had regard to the report in finalising the Plan. The table below gives my response to each of \
             the Panel's recommendations and the changes made to the Plan as a result. The information the Panel \
             asked for will follow as set out in the Panel's work programme.\n\n\
             I accept that the papers for the meeting reached the Panel late. The timetable for future variations \
             will allow five clear working days before the Panel meets.",
        ),
        signed: String::from("Bob Jones\nWest Midlands Police and Crime Commissioner"),
    }
}

/// The changes that take the stored report from received to reviewed, in order: the
/// tracking of each request and work item, the answer to each recommendation, the
/// response letter and the review. Publication is left to the caller, because it
/// records the clock's steps. `report` is the report as stored from [`report_2014`].
pub fn response_edits_2014(report: &Report) -> Vec<Edit> {
    let tracked = report.entries().filter(|(_, e)| e.kind.is_tracked()).map(|(_, e)| e.id);
    let mut edits: Vec<Edit> =
        tracked.zip(tracking_2014()).map(|(entry, tracking)| Edit::Track { entry, tracking }).collect();
    edits.extend(
        report
            .recommendations()
            .into_iter()
            .zip(answers_2014())
            .map(|((_, _, entry), answer)| Edit::Answer { entry: entry.id, answer }),
    );
    edits.push(Edit::ResponseLetter(response_letter_2014()));
    edits.push(Edit::Review(Review { by: REVIEWED_BY.to_string(), on: REVIEWED_ON }));
    edits
}
