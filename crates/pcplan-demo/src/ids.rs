//! The fixed identities of every demo record.
//!
//! The variation diff matches records by identity, so a record keeps the same id in
//! every version of the demo plan, and the ids are constants so that exports, snapshots
//! and screenshots are the same on every run. Each id is a fixed prefix plus a number
//! whose first hex digit names the kind (`2xx` objectives, `5xx` milestones), which makes
//! a UUID in a log or a URL easy to trace back here. This module holds no content.

use pcplan_domain::ids::AnnualReportId;
use pcplan_domain::{BodyId, EventId, ExerciseId, ItemId, MeetingId, PlanId, ProcessId, QuestionId};

/// Shared by every demo id: reads as `5eed0000-0000-4000-8000-000000000NNN`, shaped like a
/// version 4 UUID so that nothing downstream mistakes it for a malformed one.
const PREFIX: u128 = 0x5eed_0000_0000_4000_8000_0000_0000_0000;

const fn item(n: u128) -> ItemId {
    ItemId::from_u128(PREFIX | n)
}

/// The West Midlands Police and Crime Commissioner.
pub const BODY: BodyId = BodyId::from_u128(PREFIX | 0x1);
/// The West Midlands Police and Crime Plan, across all its versions.
pub const PLAN: PlanId = PlanId::from_u128(PREFIX | 0x2);
/// The Panel meeting of 3 February 2014 that considered the variation (seed 004).
pub const MEETING_2014: MeetingId = MeetingId::from_u128(PREFIX | 0x3);
/// The process that varied the plan in February 2014 (seeds 000 and 004).
pub const VARIATION_2014: ProcessId = ProcessId::from_u128(PREFIX | 0x4);

// Objective groups: the two halves of the "Pride in our Police" vision (seed 001, paras 7-8).
pub const GROUP_OWNERSHIP: ItemId = item(0x101);
pub const GROUP_DELIVERY: ItemId = item(0x102);

// The ten objectives, in the order seed 001 lists them.
pub const OBJ_CONFIDENCE: ItemId = item(0x201);
pub const OBJ_PARTNERSHIPS: ItemId = item(0x202);
pub const OBJ_LOCAL_IDENTITY: ItemId = item(0x203);
pub const OBJ_SOCIAL_RESPONSIBILITY: ItemId = item(0x204);
pub const OBJ_VALUE_FOR_MONEY: ItemId = item(0x205);
pub const OBJ_REDUCING_CRIME: ItemId = item(0x206);
pub const OBJ_PROTECTING_FROM_HARM: ItemId = item(0x207);
pub const OBJ_SERVICE: ItemId = item(0x208);
pub const OBJ_STRONGER_COMMUNITIES: ItemId = item(0x209);
pub const OBJ_NATIONAL_POLICING: ItemId = item(0x20a);

// Priorities under objectives.
pub const PRI_NEIGHBOURHOOD_CONFIDENCE: ItemId = item(0x301);
pub const PRI_CSP_WORKING: ItemId = item(0x302);
pub const PRI_LOCAL_BOARDS: ItemId = item(0x303);
/// Removed by the February 2014 variation.
pub const PRI_NEIGHBOURHOOD_BOUNDARIES: ItemId = item(0x304);
pub const PRI_FUNDING_GAP: ItemId = item(0x305);
pub const PRI_ACQUISITIVE_CRIME: ItemId = item(0x306);
pub const PRI_REOFFENDING: ItemId = item(0x307);
pub const PRI_DOMESTIC_ABUSE: ItemId = item(0x308);
pub const PRI_VULNERABLE_PEOPLE: ItemId = item(0x309);
pub const PRI_VICTIMS: ItemId = item(0x30a);
pub const PRI_CONTACT: ItemId = item(0x30b);
pub const PRI_ANTISOCIAL_BEHAVIOUR: ItemId = item(0x30c);
/// Moved from "Supporting stronger communities" to "Better protecting people from harm" in 2014.
pub const PRI_YOUNG_PEOPLE: ItemId = item(0x30d);
pub const PRI_SPR: ItemId = item(0x30e);

// Priorities under the local plans, two digits per area: 0x31N Birmingham ... 0x37N Wolverhampton.
pub const LPRI_BIRMINGHAM_NIGHT_TIME: ItemId = item(0x311);
pub const LPRI_BIRMINGHAM_BURGLARY: ItemId = item(0x312);
pub const LPRI_COVENTRY_BURGLARY: ItemId = item(0x321);
pub const LPRI_COVENTRY_ASB: ItemId = item(0x322);
pub const LPRI_DUDLEY_VEHICLE_CRIME: ItemId = item(0x331);
pub const LPRI_SANDWELL_VIOLENCE: ItemId = item(0x341);
pub const LPRI_SANDWELL_DOMESTIC_ABUSE: ItemId = item(0x342);
pub const LPRI_SOLIHULL_BURGLARY: ItemId = item(0x351);
pub const LPRI_SOLIHULL_BUSINESS_CRIME: ItemId = item(0x352);
pub const LPRI_WALSALL_ASB: ItemId = item(0x361);
pub const LPRI_WALSALL_CSE: ItemId = item(0x362);
pub const LPRI_WOLVERHAMPTON_VIOLENCE: ItemId = item(0x371);
/// Added by the February 2014 variation, from the Wolverhampton board's plan.
pub const LPRI_WOLVERHAMPTON_GANGS: ItemId = item(0x372);

// Commitments.
pub const COM_AREA_INFORMATION: ItemId = item(0x401);
pub const COM_TRUST_SUMMIT: ItemId = item(0x402);
pub const COM_SHARED_ASSESSMENTS: ItemId = item(0x403);
pub const COM_PARTNERSHIP_SUMMIT: ItemId = item(0x404);
pub const COM_ESTABLISH_BOARDS: ItemId = item(0x405);
pub const COM_WORKFORCE_DIVERSITY: ItemId = item(0x406);
pub const COM_VOLUNTEERS: ItemId = item(0x407);
pub const COM_SAVINGS: ItemId = item(0x408);
pub const COM_ESTATES: ItemId = item(0x409);
pub const COM_IOM: ItemId = item(0x40a);
pub const COM_DOMESTIC_ABUSE_RESPONSE: ItemId = item(0x40b);
pub const COM_CSE: ItemId = item(0x40c);
pub const COM_VICTIM_CONTACT: ItemId = item(0x40d);
pub const COM_COUNTER_TERRORISM: ItemId = item(0x40e);
pub const COM_REGIONAL_COLLABORATION: ItemId = item(0x40f);
pub const COM_YOUTH_SUMMIT: ItemId = item(0x410);
/// Added when the plan was varied, in response to the Panel's report of 14 February 2014.
pub const COM_KNIFE_CRIME: ItemId = item(0x411);

// Milestones.
pub const MS_AREA_INFORMATION: ItemId = item(0x501);
pub const MS_TRUST_SUMMIT: ItemId = item(0x502);
pub const MS_SHARED_ASSESSMENTS: ItemId = item(0x503);
pub const MS_PARTNERSHIP_SUMMIT: ItemId = item(0x504);
/// The milestone whose date changed between the draft sent to the Panel and the plan as issued.
pub const MS_BOARDS_ESTABLISHED: ItemId = item(0x505);
pub const MS_BOARD_PLANS: ItemId = item(0x506);
pub const MS_POSITIVE_ACTION: ItemId = item(0x507);
pub const MS_CADETS: ItemId = item(0x508);
pub const MS_SAVINGS_2013: ItemId = item(0x509);
pub const MS_ESTATES: ItemId = item(0x50a);
pub const MS_BURGLARY_PLANS: ItemId = item(0x50b);
pub const MS_IOM: ItemId = item(0x50c);
pub const MS_DA_CHAMPIONS: ItemId = item(0x50d);
pub const MS_CSE_PROTOCOL: ItemId = item(0x50e);
pub const MS_VICTIMS_CODE_AUDIT: ItemId = item(0x50f);
pub const MS_101_REVIEW: ItemId = item(0x510);
pub const MS_YOUTH_SUMMIT: ItemId = item(0x511);
pub const MS_CT_REVIEW: ItemId = item(0x512);
pub const MS_REGIONAL_AGREEMENT: ItemId = item(0x513);
pub const MS_SAVINGS_2014: ItemId = item(0x514);
pub const MS_BOARDS_REVIEW: ItemId = item(0x515);
pub const MS_YOUTH_ACTION_PLAN: ItemId = item(0x516);
pub const MS_KNIFE_AMNESTY: ItemId = item(0x517);

// Measures.
pub const MEA_TOTAL_CRIME: ItemId = item(0x601);
pub const MEA_CONFIDENCE: ItemId = item(0x602);
pub const MEA_VICTIM_SATISFACTION: ItemId = item(0x603);
pub const MEA_EMERGENCY_CALLS: ItemId = item(0x604);
pub const MEA_ASB: ItemId = item(0x605);
pub const MEA_REOFFENDING: ItemId = item(0x606);
pub const MEA_DA_REPEAT: ItemId = item(0x607);
/// Added when the plan was varied, as the Panel asked (seed 004, "Crime Solving").
pub const MEA_DA_CPS_REFERRALS: ItemId = item(0x608);

// Resource lines.
pub const RES_OFFICER_PAY: ItemId = item(0x701);
pub const RES_STAFF_PAY: ItemId = item(0x702);
pub const RES_RUNNING_COSTS: ItemId = item(0x703);
pub const RES_OPCC: ItemId = item(0x704);

// Crime and disorder reduction grants.
pub const GRANT_CSPS: ItemId = item(0x801);

// Local policing and crime plans, one per area in ONS code order.
pub const LP_BIRMINGHAM: ItemId = item(0x901);
pub const LP_COVENTRY: ItemId = item(0x902);
pub const LP_DUDLEY: ItemId = item(0x903);
pub const LP_SANDWELL: ItemId = item(0x904);
pub const LP_SOLIHULL: ItemId = item(0x905);
pub const LP_WALSALL: ItemId = item(0x906);
pub const LP_WOLVERHAMPTON: ItemId = item(0x907);

// Summit action plans and their actions.
pub const AP_VICTIMS: ItemId = item(0xa01);
/// Appended by the February 2014 variation (seed 000, paras 5 and 7).
pub const AP_PARTNERSHIP: ItemId = item(0xa02);
pub const ACT_SINGLE_CONTACT: ItemId = item(0xb01);
pub const ACT_VICTIMS_CHARTER: ItemId = item(0xb02);
pub const ACT_RESTORATIVE_JUSTICE: ItemId = item(0xb03);
pub const ACT_HATE_CRIME_REPORTING: ItemId = item(0xb04);
pub const ACT_SUMMIT_ISSUES_TO_BOARDS: ItemId = item(0xb05);
pub const ACT_JOINT_TASKING: ItemId = item(0xb06);
pub const ACT_INFORMATION_SHARING: ItemId = item(0xb07);

// Narrative sections.
pub const SEC_VISION: ItemId = item(0xc01);
pub const SEC_POLICING: ItemId = item(0xc02);
pub const SEC_REPORTING: ItemId = item(0xc03);
pub const SEC_RESOURCES: ItemId = item(0xc04);
pub const SEC_MEASURES: ItemId = item(0xc05);
pub const SEC_GRANTS: ItemId = item(0xc06);
pub const SEC_SPR: ItemId = item(0xc07);
pub const SEC_COMMUNITY_SAFETY: ItemId = item(0xc08);
pub const SEC_VICTIMS: ItemId = item(0xc09);
pub const SEC_CRIMINAL_JUSTICE: ItemId = item(0xc0a);
pub const SEC_CONSULTATION: ItemId = item(0xc0b);
pub const SEC_EQUALITY_SAFEGUARDING: ItemId = item(0xc0c);

// The 2021 consultation (seed 002): the call for evidence and the roundtables.
pub const EXERCISE_CALL_2021: ExerciseId = ExerciseId::from_u128(PREFIX | 0x6);
pub const EXERCISE_ROUNDTABLES_2021: ExerciseId = ExerciseId::from_u128(PREFIX | 0x7);
/// The annual report on 2013/14 (PRSRA 2011 s.12), drafted from the demo's records of
/// that year, sent to the Panel and published.
pub const ANNUAL_REPORT_2013_14: AnnualReportId = AnnualReportId::from_u128(PREFIX | 0x8);
pub const Q_PRIORITIES: QuestionId = QuestionId::from_u128(PREFIX | 0x6d01);
pub const Q_SAFETY: QuestionId = QuestionId::from_u128(PREFIX | 0x6d02);
pub const Q_ANYTHING_ELSE: QuestionId = QuestionId::from_u128(PREFIX | 0x6d03);
pub const EVENT_SERIOUS_VIOLENCE: EventId = EventId::from_u128(PREFIX | 0x6e01);
pub const EVENT_VAWG: EventId = EventId::from_u128(PREFIX | 0x6e02);
pub const EVENT_DRUGS: EventId = EventId::from_u128(PREFIX | 0x6e03);
pub const EVENT_LOCAL_POLICING: EventId = EventId::from_u128(PREFIX | 0x6e04);

// ---- Leicester, Leicestershire and Rutland (issue 6): the demo's second body ----
//
// A range of their own, `0x9_PKNN`: P is the plan (1 for the refreshed 2013-17 plan, 2 for
// the 2021-2025 plan), K the kind digit as above (2 objectives, 3 priorities, 4
// commitments, 5 milestones, 6 measures, 7 resource lines, 8 grants, c sections) and NN the
// record's number in its kind. The two plans share no record.

/// The Leicester, Leicestershire and Rutland Police and Crime Commissioner.
pub const LLR_BODY: BodyId = BodyId::from_u128(PREFIX | 0x9_0001);
/// The refreshed Police and Crime Plan 2013-17 (seed 003).
pub const LLR_PLAN_2013: PlanId = PlanId::from_u128(PREFIX | 0x9_0002);
/// The illustrative Police and Crime Plan 2021-2025, monitored against police.uk data.
pub const LLR_PLAN_2021: PlanId = PlanId::from_u128(PREFIX | 0x9_0003);
/// The Panel's meeting that receives the performance report on October to December 2022
/// (illustrative): the meeting the board report can be attached to.
pub const LLR_PANEL_PERFORMANCE_2023: MeetingId = MeetingId::from_u128(PREFIX | 0x9_0004);
/// The draft annual report on 2022/23, drafted from the computed crime measures.
pub const LLR_ANNUAL_REPORT_2022_23: AnnualReportId = AnnualReportId::from_u128(PREFIX | 0x9_0005);

// The 2013-17 plan.
pub const LLR13_SEC_REFRESH: ItemId = item(0x9_1c01);
pub const LLR13_OBJ_REOFFENDING: ItemId = item(0x9_1201);
pub const LLR13_OBJ_VICTIMS: ItemId = item(0x9_1202);
pub const LLR13_OBJ_VULNERABLE: ItemId = item(0x9_1203);
pub const LLR13_OBJ_SAFER: ItemId = item(0x9_1204);
pub const LLR13_PRI_OFFENDER_MANAGEMENT: ItemId = item(0x9_1301);
pub const LLR13_COM_SUBSTANCE_MISUSE: ItemId = item(0x9_1401);
pub const LLR13_MS_SUBSTANCE_MISUSE: ItemId = item(0x9_1501);
pub const LLR13_MEA_REOFFENDING: ItemId = item(0x9_1601);
pub const LLR13_PRI_VICTIM_SERVICES: ItemId = item(0x9_1302);
pub const LLR13_COM_VICTIM_REFERRAL: ItemId = item(0x9_1402);
pub const LLR13_MS_VICTIM_REFERRAL: ItemId = item(0x9_1502);
pub const LLR13_PRI_MENTAL_HEALTH: ItemId = item(0x9_1303);
pub const LLR13_COM_YOUNG_PEOPLE: ItemId = item(0x9_1403);
pub const LLR13_MS_YOUNG_PEOPLE: ItemId = item(0x9_1503);
pub const LLR13_PRI_ALL_CRIME: ItemId = item(0x9_1304);
pub const LLR13_MEA_CRIME: ItemId = item(0x9_1602);
pub const LLR13_SEC_POLICING: ItemId = item(0x9_1c02);
pub const LLR13_SEC_REPORTING: ItemId = item(0x9_1c03);
pub const LLR13_SEC_RESOURCES: ItemId = item(0x9_1c04);
pub const LLR13_SEC_MEASURES: ItemId = item(0x9_1c05);
pub const LLR13_SEC_COMMISSIONING: ItemId = item(0x9_1c06);
pub const LLR13_SEC_PARTNERS: ItemId = item(0x9_1c07);

// The 2021-2025 plan.
pub const LLR21_MEA_CRIME: ItemId = item(0x9_2601);
pub const LLR21_MEA_VIOLENCE: ItemId = item(0x9_2602);
pub const LLR21_MEA_BURGLARY: ItemId = item(0x9_2603);
pub const LLR21_MEA_VEHICLE_CRIME: ItemId = item(0x9_2604);
pub const LLR21_MEA_SHOPLIFTING: ItemId = item(0x9_2605);
pub const LLR21_MEA_ASB: ItemId = item(0x9_2606);
pub const LLR21_MEA_CHARGE_SHARE: ItemId = item(0x9_2607);
pub const LLR21_MS_IOM_COHORT: ItemId = item(0x9_2501);
pub const LLR21_COM_IOM: ItemId = item(0x9_2401);
pub const LLR21_MS_DIVERSION_CONTRACT: ItemId = item(0x9_2502);
pub const LLR21_COM_DIVERSION: ItemId = item(0x9_2402);
pub const LLR21_MS_DRUG_TESTING: ItemId = item(0x9_2503);
pub const LLR21_COM_DRUG_TESTING: ItemId = item(0x9_2403);
pub const LLR21_MS_VICTIM_SERVICE_LIVE: ItemId = item(0x9_2504);
pub const LLR21_COM_VICTIM_SERVICE: ItemId = item(0x9_2404);
pub const LLR21_MS_VICTIMS_CODE_AUDIT: ItemId = item(0x9_2505);
pub const LLR21_MS_WITNESS_REVIEW: ItemId = item(0x9_2506);
pub const LLR21_COM_WITNESS_CARE: ItemId = item(0x9_2405);
pub const LLR21_MS_PERPETRATOR_PROGRAMME: ItemId = item(0x9_2507);
pub const LLR21_COM_PERPETRATORS: ItemId = item(0x9_2406);
pub const LLR21_MS_TRIAGE_HOURS: ItemId = item(0x9_2508);
pub const LLR21_COM_MENTAL_HEALTH_TRIAGE: ItemId = item(0x9_2407);
pub const LLR21_MS_EXPLOITATION_HUB: ItemId = item(0x9_2509);
pub const LLR21_COM_EXPLOITATION_HUB: ItemId = item(0x9_2408);
pub const LLR21_MS_SAFER_STREETS: ItemId = item(0x9_250a);
pub const LLR21_COM_SAFER_STREETS: ItemId = item(0x9_2409);
pub const LLR21_MS_VIOLENCE_ASSESSMENT: ItemId = item(0x9_250b);
pub const LLR21_COM_VIOLENCE_REDUCTION: ItemId = item(0x9_240a);
pub const LLR21_MS_VIOLENCE_DUTY: ItemId = item(0x9_250c);
pub const LLR21_MS_BUSINESS_CRIME: ItemId = item(0x9_250d);
pub const LLR21_COM_BUSINESS_CRIME: ItemId = item(0x9_240b);
pub const LLR21_SEC_NOTE: ItemId = item(0x9_2c01);
pub const LLR21_OBJ_REOFFENDING: ItemId = item(0x9_2201);
pub const LLR21_OBJ_VICTIMS: ItemId = item(0x9_2202);
pub const LLR21_OBJ_VULNERABLE: ItemId = item(0x9_2203);
pub const LLR21_OBJ_SAFER: ItemId = item(0x9_2204);
pub const LLR21_PRI_PROLIFIC_OFFENDERS: ItemId = item(0x9_2301);
pub const LLR21_PRI_DIVERSION: ItemId = item(0x9_2302);
pub const LLR21_PRI_DRUGS_ALCOHOL: ItemId = item(0x9_2303);
pub const LLR21_PRI_VICTIM_SERVICES: ItemId = item(0x9_2304);
pub const LLR21_MEA_VICTIM_SATISFACTION: ItemId = item(0x9_2608);
pub const LLR21_PRI_JUSTICE: ItemId = item(0x9_2305);
pub const LLR21_PRI_DOMESTIC_ABUSE: ItemId = item(0x9_2306);
pub const LLR21_MEA_DA_REPEAT: ItemId = item(0x9_2609);
pub const LLR21_PRI_MENTAL_HEALTH: ItemId = item(0x9_2307);
pub const LLR21_PRI_EXPLOITATION: ItemId = item(0x9_2308);
pub const LLR21_PRI_NEIGHBOURHOOD_CRIME: ItemId = item(0x9_2309);
pub const LLR21_PRI_SERIOUS_VIOLENCE: ItemId = item(0x9_230a);
pub const LLR21_PRI_ASB_BUSINESS: ItemId = item(0x9_230b);
pub const LLR21_SEC_POLICING: ItemId = item(0x9_2c02);
pub const LLR21_SEC_REPORTING: ItemId = item(0x9_2c03);
pub const LLR21_SEC_RESOURCES: ItemId = item(0x9_2c04);
pub const LLR21_RES_FORCE_BUDGET: ItemId = item(0x9_2701);
pub const LLR21_RES_CAPITAL: ItemId = item(0x9_2702);
pub const LLR21_RES_OPCC: ItemId = item(0x9_2703);
pub const LLR21_RES_COMMISSIONING: ItemId = item(0x9_2704);
pub const LLR21_SEC_MEASURES: ItemId = item(0x9_2c05);
pub const LLR21_SEC_GRANTS: ItemId = item(0x9_2c06);
pub const LLR21_GRANT_CSPS: ItemId = item(0x9_2801);
pub const LLR21_GRANT_COMMUNITY_FUND: ItemId = item(0x9_2802);
pub const LLR21_SEC_SPR: ItemId = item(0x9_2c07);
pub const LLR21_SEC_VICTIMS_JUSTICE: ItemId = item(0x9_2c08);
pub const LLR21_SEC_VIOLENCE_REDUCTION: ItemId = item(0x9_2c09);
pub const LLR21_SEC_SAFEGUARDING: ItemId = item(0x9_2c0a);
