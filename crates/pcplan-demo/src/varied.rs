//! The February 2014 variation of the West Midlands plan, as edits to a clone of the plan
//! as issued.
//!
//! Seed 000 gives its shape: a variation of "the milestones and objectives", made after
//! the Partnership Summit of November 2013, with the summit action plans appended and the
//! plan underpinned by the local boards' plans. Seed 004 gives the Panel's report of
//! 14 February 2014, to which the plan as varied responds (knife crime, referrals to the
//! Crown Prosecution Service). Which milestones moved, which priority moved or went, and
//! every date and amount are the demo's own and marked illustrative. The title and the
//! period of the plan do not change. This module only edits values.

use pcplan_domain::{
    Ambition, Baseline, Direction, Frequency, Item, Measure, Objective, Plan, Polarity, Record, Section, Status,
};

use crate::build::{
    Source, action, action_plan, append, commitment, edit, milestone, priority, remove, reschedule, set_status,
};
use crate::ids::*;

/// The variation as drafted, consulted on with the Chief Constable and sent to the Panel
/// for its meeting on 3 February 2014 (seed 000).
pub(crate) fn apply_draft(plan: &mut Plan) {
    use Source::Illustrative;

    // Objective 3 now refers to the boards that exist (seed 000, para 8).
    if let Some(Item { record: Record::Objective(Objective { description, .. }), .. }) = edit(plan, OBJ_LOCAL_IDENTITY)
    {
        *description = String::from(
            "The Plan builds upon the strong sense of civic identity in each of the seven local authority areas \
             and their neighbourhoods. Local policing and crime boards have now been established in each of the \
             seven areas; the Plan is underpinned by the local police and crime plans they develop, so that its \
             priorities are driven from the bottom up by the public of the West Midlands.",
        );
    }

    // Milestones: what was done, what slipped, what is new for 2014-15.
    for done in [
        MS_AREA_INFORMATION,
        MS_TRUST_SUMMIT,
        MS_BOARDS_ESTABLISHED,
        MS_POSITIVE_ACTION,
        MS_BURGLARY_PLANS,
        MS_DA_CHAMPIONS,
        MS_CSE_PROTOCOL,
        MS_VICTIMS_CODE_AUDIT,
        MS_101_REVIEW,
        MS_YOUTH_SUMMIT,
        MS_CT_REVIEW,
        MS_REGIONAL_AGREEMENT,
    ] {
        set_status(plan, done, Status::Complete);
    }
    // The Partnership Summit was held in November 2013 (seed 000, para 5).
    reschedule(plan, MS_PARTNERSHIP_SUMMIT, ymd!(2013, 11, 30), Status::Complete);
    reschedule(plan, MS_SHARED_ASSESSMENTS, ymd!(2014, 3, 31), Status::OnTrack);
    // The boards' plans are appended once agreed locally (seed 000, para 8).
    reschedule(plan, MS_BOARD_PLANS, ymd!(2014, 6, 30), Status::OnTrack);
    reschedule(plan, MS_ESTATES, ymd!(2014, 5, 31), Status::AtRisk);
    set_status(plan, MS_CADETS, Status::OnTrack);
    set_status(plan, MS_IOM, Status::Late);
    append(
        plan,
        Illustrative,
        MS_BOARDS_REVIEW,
        Some(COM_ESTABLISH_BOARDS),
        milestone(
            "First year of the local policing and crime boards reviewed with each board",
            ymd!(2014, 9, 30),
            Status::NotStarted,
        ),
    );
    append(
        plan,
        Illustrative,
        MS_SAVINGS_2014,
        Some(COM_SAVINGS),
        milestone("2014/15 savings delivered", ymd!(2015, 3, 31), Status::NotStarted),
    );
    append(
        plan,
        Illustrative,
        MS_YOUTH_ACTION_PLAN,
        Some(COM_YOUTH_SUMMIT),
        milestone("Youth Action Plan agreed and appended to this Plan", ymd!(2014, 6, 30), Status::OnTrack),
    );

    // Working with young people is about protecting them as much as hearing them: the
    // priority moves from objective 9 to objective 7, keeping its commitment and milestones.
    if let Some(item) = edit(plan, PRI_YOUNG_PEOPLE) {
        item.parent = Some(OBJ_PROTECTING_FROM_HARM);
    }
    // Local policing units now match the seven areas, so the priority is done and goes.
    remove(plan, PRI_NEIGHBOURHOOD_BOUNDARIES);

    // The Commissioner's concern that targets distort policing (seed 004, "Targets and
    // Measures"): victim satisfaction becomes a direction of travel.
    if let Some(Item { record: Record::Measure(Measure { ambition, .. }), .. }) = edit(plan, MEA_VICTIM_SATISFACTION) {
        *ambition = Ambition::Direction { direction: Direction::Increase };
    }

    // Resources and the grant for 2014/15: the plan was varied in the context of the
    // budget (seed 000, para 9).
    for (id, pounds) in [
        (RES_OFFICER_PAY, 354_100_000),
        (RES_STAFF_PAY, 125_900_000),
        (RES_RUNNING_COSTS, 58_700_000),
        (RES_OPCC, 2_700_000),
    ] {
        if let Some(Item { record: Record::Resource(line), .. }) = edit(plan, id) {
            line.amount = pcplan_domain::Pence::pounds(pounds);
            line.financial_year = pcplan_domain::FinancialYear(2014);
        }
    }
    if let Some(Item { record: Record::Grant(grant), .. }) = edit(plan, GRANT_CSPS) {
        grant.amount = pcplan_domain::Pence::pounds(3_900_000);
        grant.financial_year = pcplan_domain::FinancialYear(2014);
        grant.conditions = String::from(
            "Allocated between the partnerships by population and need. Each partnership agrees its spending plan \
             with its local policing and crime board and sends it to the Commissioner by 30 June 2014, and reports \
             what the grant achieved every quarter to the Strategic Policing and Crime Board. Money not spent by \
             31 March 2015 is returned.",
        );
    }
    set_section_text(
        plan,
        SEC_RESOURCES,
        "The Plan has been varied in the context of the budget within which the Commissioner has to work. The \
         resource lines are the budget for 2014/15 set with the precept, which the Panel considers separately.",
    );
    set_section_text(
        plan,
        SEC_COMMUNITY_SAFETY,
        "The Plan draws on the strategic assessments of the seven community safety partnerships and on the issues \
         partners raised at the Partnership Summit held in November 2013. It is underpinned by the local police \
         and crime plans developed through the local policing and crime boards now established in each of the \
         seven local authority areas; those plans are appended once agreed locally.",
    );
    set_section_text(
        plan,
        SEC_VICTIMS,
        "The Victims' Summit heard what victims need from the police and the criminal justice system. The action \
         plans from the Commissioner's summits are appended to this Plan, which is the vehicle for monitoring \
         them, and further action plans will be added as they are agreed.",
    );

    // The boards' own plans are appended once agreed locally (seed 000, para 8), so the
    // Force's 2013-14 local plans stay as they are; Wolverhampton's board, the furthest on
    // (seed 004), has added a priority.
    append(
        plan,
        Illustrative,
        LPRI_WOLVERHAMPTON_GANGS,
        Some(LP_WOLVERHAMPTON),
        priority("Tackling gangs and youth violence", "Raised by the Wolverhampton local policing and crime board."),
    );

    // Victims' Summit actions move on.
    set_status(plan, ACT_SINGLE_CONTACT, Status::Complete);
    set_status(plan, ACT_VICTIMS_CHARTER, Status::Complete);
    set_status(plan, ACT_RESTORATIVE_JUSTICE, Status::Late);
    set_status(plan, ACT_HATE_CRIME_REPORTING, Status::OnTrack);

    // The Partnership Summit's action plan is appended (seed 000, paras 5 and 7); its
    // agreement date and actions are the demo's.
    append(
        plan,
        Illustrative,
        AP_PARTNERSHIP,
        None,
        action_plan("Partnership Summit action plan", "Partnership Summit, November 2013", Some(ymd!(2014, 1, 14))),
    );
    if let Some(item) = edit(plan, AP_PARTNERSHIP) {
        item.serves = vec![OBJ_PARTNERSHIPS, OBJ_LOCAL_IDENTITY];
    }
    append(
        plan,
        Illustrative,
        ACT_SUMMIT_ISSUES_TO_BOARDS,
        Some(AP_PARTNERSHIP),
        action(
            "Give each local policing and crime board the summit's issues for its area",
            "Head of Partnerships, OPCC",
            ymd!(2014, 2, 28),
            Status::OnTrack,
        ),
    );
    append(
        plan,
        Illustrative,
        ACT_JOINT_TASKING,
        Some(AP_PARTNERSHIP),
        action(
            "Joint tasking of neighbourhood teams and council services in every local policing unit",
            "Assistant Chief Constable (Local Policing)",
            ymd!(2014, 6, 30),
            Status::NotStarted,
        ),
    );
    append(
        plan,
        Illustrative,
        ACT_INFORMATION_SHARING,
        Some(AP_PARTNERSHIP),
        action(
            "One information sharing agreement across the seven community safety partnerships",
            "Head of Partnerships, OPCC",
            ymd!(2014, 9, 30),
            Status::NotStarted,
        ),
    );
}

/// What the plan as varied adds to the draft, having regard to the Panel's report of
/// 14 February 2014 (seed 004; PRSRA 2011 s.5(6)(d)).
pub(crate) fn apply_panel_response(plan: &mut Plan) {
    use Source::{Illustrative, Seed};

    // "The Panel considered that knife crime and firearms possession should have been
    // explicitly included in the Plan"; the Commissioner intended a knife surrender amnesty.
    append(
        plan,
        Seed,
        COM_KNIFE_CRIME,
        Some(OBJ_REDUCING_CRIME),
        commitment(
            "Tackle knife crime and firearms possession, including a knife surrender amnesty",
            "Includes an update to the Panel on knife crime and firearms trends over the past five years.",
            "",
            "West Midlands Police",
        ),
    );
    if let Some(item) = edit(plan, COM_KNIFE_CRIME) {
        item.serves = vec![OBJ_PROTECTING_FROM_HARM];
    }
    append(
        plan,
        Illustrative,
        MS_KNIFE_AMNESTY,
        Some(COM_KNIFE_CRIME),
        milestone("Knife surrender amnesty launched", ymd!(2014, 3, 31), Status::NotStarted),
    );

    // The Panel asked for measures of prosecutions for domestic violence, such as referrals
    // to the Crown Prosecution Service. A direction of travel rather than a numeric target,
    // which the Panel accepted distorts policing priorities.
    append(
        plan,
        Illustrative,
        MEA_DA_CPS_REFERRALS,
        Some(PRI_DOMESTIC_ABUSE),
        Record::Measure(Measure {
            title: String::from("Domestic abuse cases referred to the Crown Prosecution Service"),
            definition: String::from(
                "Domestic abuse crimes referred to the CPS for a charging decision, with the convictions that follow",
            ),
            unit: String::from("referrals"),
            polarity: Polarity::HigherIsBetter,
            baseline: Some(Baseline { value: 3_400.0, period: String::from("2012/13") }),
            ambition: Ambition::Direction { direction: Direction::Increase },
            frequency: Frequency::Quarterly,
            data_source: String::from("West Midlands Police and CPS West Midlands case data"),
            by_area: true,
        }),
    );
}

fn set_section_text(plan: &mut Plan, id: pcplan_domain::ItemId, new_text: &str) {
    if let Some(Item { record: Record::Section(Section { text, .. }), .. }) = edit(plan, id) {
        *text = new_text.to_string();
    }
}
