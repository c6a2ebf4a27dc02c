//! The demo's Notices of Decision: decision 018/2013, which issued the 2013 plan, with
//! the text of seed 001, and a decision issuing the February 2014 variation, whose
//! number and content are the demo's own and say so in their note.
//!
//! Both are built as signed decisions with fixed identities and their own numbers, to be
//! stored with `Store::import_decision` (numbers 001/2013 to 017/2013 were given before
//! the register was kept here). This module builds values only.

use pcplan_domain::decision::{
    ContactOfficer, Decision, DecisionContent, DecisionMaker, DecisionNumber, DecisionStatus, PlanLink, Signature,
};
use pcplan_domain::{DecisionId, VersionNumber};

use crate::ids;

/// Decision 018/2013: the Police and Crime Plan approved for issue (seed 001).
pub const DECISION_018_2013: DecisionId = DecisionId::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0d01);
/// The decision issuing the February 2014 variation (illustrative).
pub const DECISION_VARIATION_2014: DecisionId = DecisionId::from_u128(0x5eed_0000_0000_4000_8000_0000_0000_0d02);

const OFFICE: &str = "West Midlands Police and Crime Commissioner";

const DECLARATION: &str = "I confirm that I do not have any disclosable pecuniary interests in this decision and \
take the decision in compliance with the Code of Conduct for the West Midlands Office for Policing and Crime. Any \
interests are indicated below.";

const PUBLIC_ACCESS: &str = "Information contained in this decision is subject to the Freedom of Information Act \
2000 and other legislation. This decision will be made available on the Commissioner's website.";

fn contact() -> ContactOfficer {
    ContactOfficer {
        name: String::from("Jacky Courtney"),
        telephone: String::from("0121 626 6060"),
        email: String::from("j.courtney@west-midlands.pnn.police.uk"),
    }
}

fn maker() -> DecisionMaker {
    DecisionMaker { office: String::from(OFFICE), holder: String::from("Bob Jones") }
}

/// The ten objectives of the plan, which both decisions concern.
const OBJECTIVES: [pcplan_domain::ItemId; 10] = [
    ids::OBJ_CONFIDENCE,
    ids::OBJ_PARTNERSHIPS,
    ids::OBJ_LOCAL_IDENTITY,
    ids::OBJ_SOCIAL_RESPONSIBILITY,
    ids::OBJ_VALUE_FOR_MONEY,
    ids::OBJ_REDUCING_CRIME,
    ids::OBJ_PROTECTING_FROM_HARM,
    ids::OBJ_SERVICE,
    ids::OBJ_STRONGER_COMMUNITIES,
    ids::OBJ_NATIONAL_POLICING,
];

/// Decision 018/2013 as seed 001 gives it, signed by Bob Jones on 28 March 2013 and
/// linked to version 2 of the plan (as issued). Paragraphs that the seed's page breaks
/// split are joined, and its duplicated paragraph number 10 is numbered in sequence.
pub fn decision_018_2013() -> Decision {
    let facts = [
        "The Police Reform and Social Responsibility Act 2011 requires the Commissioner to issue a police and crime \
         plan within the financial year in which the election for police and crime commissioners is held i.e. 31 \
         March 2013. The Plan covers the term of office of the Commissioner, although it is possible to vary the Plan.",
        "The Commissioner intends to review the Plan each year to ensure that it benefits from the work of partners \
         and other stakeholders to ensure that the Plan's milestones and deliverables meet the ongoing needs of the \
         public that live and work in the West Midlands. This approach will ensure that the Plan captures the voice \
         of the public in how it is set and develops. The Commissioner believes that it is vital that the Plan \
         enables effective local working and builds upon the strong sense of civic identity in each of the seven \
         local authority areas and their neighbourhoods. For this reason the Plan will have West Midlands wide \
         outcomes and measures but is built upon local policing and crime plans for each of the areas. The \
         establishment of local police and crime boards, a manifesto commitment by the Commissioner, will enable the \
         public to shape police and crime priorities.",
        "Local Policing and Crime Plans have been developed by the Force for use in 2013-14. During the next year \
         such plans will be developed and owned by the local policing and crime boards being established in each of \
         the local authority areas. These local plans will be critical to any review of the Plan in future years. \
         The local policing and crime plans will be owned locally and therefore are not required to be formally \
         approved by the Commissioner.",
        "The plan covers a range of factors. These are the:\n\
         - manifesto commitments of the Police and Crime Commissioner\n\
         - The assessment conducted by the Chief Constable which identifies the Force's strategic policing \
         priorities, based upon knowledge held by the Force\n\
         - strategic assessments of community safety needs carried out by the community safety partnerships in \
         Birmingham, Coventry, Dudley, Sandwell, Solihull, Walsall and Wolverhampton\n\
         - Strategic Policing Requirement which identifies national requirements set out by the Home Secretary to \
         which both the Chief Constable and the Police and Crime Commissioner must have regard\n\
         - medium term financial prospects for the revenue and capital funding for West Midlands Police\n\
         - the views of local people, including victims of crime, making use of the work done by West Midlands \
         Police Authority, public engagement during the Commissioner's election campaign and subsequent public \
         engagement through the social media and a series of summits targeted at victims, business, young people, \
         partners and trust and confidence issues",
        "Making use of all the information available the plan sets objectives across the Commissioner's term of \
         office. It will be refreshed each year to ensure it matches the public need and operational issues \
         identified by the police and partners. The plan has West Midlands wide outcomes and measures but will be \
         built upon local plans for each of the local authorities within the Force area. In the future this will \
         include the work carried out through local policing and crime boards, which was manifesto commitment of \
         the Commissioner.",
        "Prior to being finalised the plan has been reviewed and commented on by the West Midlands Police and Crime \
         Panel. This is the body established under the Police Reform and Social Responsibility Act 2011 with a \
         statutory role to support and review the work of the Commissioner. The Panel comprises twelve local \
         councillors from across the seven local authorities together with two independent members. The \
         Commissioner has given regard to the Panel's comments on the Plan.",
        "The plan sets out the detailed activities that will be undertaken by the Force, together with the \
         milestones they are expected to achieve. This activity is intended to achieve the Commissioner's vision \
         that all that work and live in the West Midlands will have 'Pride in our Police'. Progress towards \
         ownership of the service by those to whom it is delivered will be supported by five police and crime \
         objectives:\n\
         - Improving public confidence in policing\n\
         - Creating stronger partnerships\n\
         - Developing greater local identity across the West Midlands\n\
         - Demonstrating the Force's commitment to social responsibility\n\
         - Delivering better value for money",
        "The second aspect of the 'Pride in our Police' vision is to recognise the importance of improved delivery \
         of policing services. This ambition will also be underpinned by five further objectives:\n\
         - Reducing crime and offending\n\
         - Better protecting people from harm\n\
         - Improving the service the public receive from the police\n\
         - Supporting stronger communities\n\
         - Ensuring a more effective contribution to national policing",
        "The Commissioner and the Chief Constable believe that the Plan should also reflect the development of the \
         Force. Therefore the Plan reflects this together with the necessary operational focus and the resources \
         required to support operational policing. This includes the key work conducted by the Force with partners \
         across the West Midlands",
        "As the largest force outside of London, West Midlands Police contributes heavily to the safety of the whole \
         country not just the West Midlands. The Force provides national counter terrorism capability and a large \
         proportion of operational assets that support UK policing at times of need. The Commissioner is required \
         to have regard to the Strategic Policing Requirement (SPR) which is issued by the Home Secretary and sets \
         out her view of the national threats that the police must address. In addition to counter-terrorism the \
         SPR deals with civil contingencies, organised crime, public order and cyber-attacks. The Strategic \
         Policing Requirement aspect of the plan deals with how the Commissioner will ensure that the Chief \
         Constable can meet this national requirement.",
    ];
    Decision {
        id: DECISION_018_2013,
        body_id: ids::BODY,
        number: DecisionNumber { year: 2013, seq: 18 },
        status: DecisionStatus::Signed,
        drafted_on: ymd!(2013, 3, 28),
        content: DecisionContent {
            title: String::from("Police and Crime Plan"),
            confidentiality: Default::default(),
            contact: contact(),
            executive_summary: String::from(
                "The Commissioner, under the terms of the Police Reform and Social Responsibility Act 2011 is required \
                 to issue a police and crime plan which covers the term of his office. This Report outlines the \
                 process undertaken to produce the Plan and attaches the Plan for decision.",
            ),
            decision: String::from(
                "That the Police and Crime Plan as drafted, which is attached to this report, is approved for issue \
                 on 31 March 2013.",
            ),
            decision_maker: maker(),
            declaration: String::from(DECLARATION),
            facts_and_advice: facts.iter().map(|p| p.to_string()).collect(),
            financial_implications: String::from(
                "The Plan has been drawn in the context of the budget and precept set by the Commissioner. Details of \
                 this are included in decision 008/2013.",
            ),
            legal_implications: String::from(
                "As stated earlier in this decision report the statutory requirements for the Plan, and its \
                 consideration by the Police and Crime Panel, are laid out in the Police Reform and Social \
                 Responsibility Act 2011.",
            ),
            equality_implications: String::from(
                "The Plan has been prepared to ensure equality of service provision for all members and equality of \
                 treatment for officers and staff of the Force and the West Midlands Office for Policing and Crime. \
                 The Commissioner will, through the work of his Strategic Policing and Crime Board, monitor and \
                 scrutinise, the achievement of the objectives, deliverables and milestones contained within the \
                 Plan.",
            ),
            background_papers: vec![String::from("Police Reform and Social Responsibility Act 2011.")],
            public_access: String::from(PUBLIC_ACCESS),
            plan: Some(PlanLink { plan: ids::PLAN, version: VersionNumber(2) }),
            objectives: OBJECTIVES.to_vec(),
            grants: vec![ids::GRANT_CSPS],
            note: String::new(),
        },
        signature: Some(Signature { signed_by: String::from("Bob Jones"), signed_on: ymd!(2013, 3, 28) }),
        withdrawal: None,
        corrections: Vec::new(),
        content_hash: None,
    }
}

/// The decision issuing the plan as varied in February 2014 (version 4). Illustrative:
/// the seeds give the variation and the Panel's report, not this notice.
pub fn decision_variation_2014() -> Decision {
    let facts = [
        "The Police Reform and Social Responsibility Act 2011 allows the Commissioner to vary the police and crime \
         plan. Before varying it the Commissioner must consult the Chief Constable, send the draft variation to the \
         Police and Crime Panel, have regard to any report or recommendations of the Panel, and give and publish a \
         response to them.",
        "The Commissioner reviewed the Plan after the Partnership Summit of November 2013. The draft variation \
         updates the milestones and objectives, reflects the local policing and crime boards now established in each \
         of the seven local authority areas, and appends the action plans of the summits.",
        "The draft variation was sent to the Panel for its meeting on 3 February 2014. The Panel made its report on \
         14 February 2014, and also raised that the papers for the meeting were sent late. The Commissioner has \
         responded to each area of the report and published the response.",
        "Having regard to the Panel's report, the plan as varied adds measures on knife crime and on referrals to \
         the Crown Prosecution Service. Because the plan to be issued differs from the draft sent to the Panel, the \
         Chief Constable was consulted again on the differences.",
    ];
    Decision {
        id: DECISION_VARIATION_2014,
        body_id: ids::BODY,
        number: DecisionNumber { year: 2014, seq: 11 },
        status: DecisionStatus::Signed,
        drafted_on: ymd!(2014, 2, 24),
        content: DecisionContent {
            title: String::from("Variation of the Police and Crime Plan"),
            confidentiality: Default::default(),
            contact: contact(),
            executive_summary: String::from(
                "The Commissioner has reviewed the Police and Crime Plan issued on 28 March 2013. This report sets out \
                 the variations proposed, the Police and Crime Panel's report on them and the Commissioner's \
                 response, and attaches the Plan as varied for decision.",
            ),
            decision: String::from(
                "That the Police and Crime Plan as varied, which is attached to this report, is approved for issue \
                 on 25 February 2014.",
            ),
            decision_maker: maker(),
            declaration: String::from(DECLARATION),
            facts_and_advice: facts.iter().map(|p| p.to_string()).collect(),
            financial_implications: String::from(
                "The Plan has been varied in the context of the budget and precept for 2014/15 set by the \
                 Commissioner.",
            ),
            legal_implications: String::from(
                "The statutory requirements for varying the Plan, and its consideration by the Police and Crime \
                 Panel, are laid out in the Police Reform and Social Responsibility Act 2011.",
            ),
            equality_implications: String::from(
                "The variations have been considered for their effect on equality of service provision. The \
                 Strategic Policing and Crime Board will continue to monitor the achievement of the objectives and \
                 milestones of the Plan.",
            ),
            background_papers: vec![
                String::from("Police Reform and Social Responsibility Act 2011."),
                String::from("Report of the Commissioner to the Police and Crime Panel, 3 February 2014."),
                String::from("Report of the Police and Crime Panel, 14 February 2014."),
            ],
            public_access: String::from(PUBLIC_ACCESS),
            plan: Some(PlanLink { plan: ids::PLAN, version: VersionNumber(4) }),
            objectives: OBJECTIVES.to_vec(),
            grants: vec![ids::GRANT_CSPS],
            note: String::from(
                "Illustrative: the seeds give the variation and the Panel's report but not this notice; its number, \
                 date and text are written for the demo.",
            ),
        },
        signature: Some(Signature { signed_by: String::from("Bob Jones"), signed_on: ymd!(2014, 2, 25) }),
        withdrawal: None,
        corrections: Vec::new(),
        content_hash: None,
    }
}

/// Every demo decision, oldest first.
pub fn decisions() -> Vec<Decision> {
    vec![decision_018_2013(), decision_variation_2014()]
}
