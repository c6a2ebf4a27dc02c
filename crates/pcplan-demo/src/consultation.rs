//! The 2021 West Midlands consultation in miniature (seed 002): the call for evidence
//! opened on the Commissioner's first day (13 May 2021), 329 responses, and the
//! roundtables of July 2021 on its key themes.
//!
//! What the seed gives is used as given: the 329 responses, the four key themes and
//! three overarching priorities, the roundtables with their organisers and chairs, the
//! youth channels and partner networks. **Every response is illustrative**: the demo
//! writes them from sentence parts with a fixed pseudo-random sequence, so they are the
//! same on every run and read like survey answers, but no resident wrote them. A few
//! carry invented personal data (an e-mail address, a phone number, a postcode, a name)
//! so that the redaction before publication has something to remove; a copy-paste
//! campaign of 15 identical answers shows campaign detection. The populations are the
//! Census 2021 usual-resident figures rounded to the nearest hundred, typed in for the
//! demo.
//!
//! The theme guides say how the demo reviews the machine's themes: which words mark
//! each of the seed's seven themes, and what each did to the plan. The demo's plan is
//! the 2013 plan as varied in 2014, so the links show how a theme is recorded against a
//! plan, not what the 2021-25 plan says; they are marked illustrative.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use pcplan_domain::consultation::{
    AnswerValue, Channel, EventContent, ExerciseContent, ExerciseKind, Question, QuestionContent, QuestionKind,
    Respondent, RespondentType, Submission, ThemeOutcome,
};
use pcplan_domain::{EventId, ItemId};

use crate::ids;

/// The note every demo exercise carries, shown on its pages.
pub const NOTE: &str = "Illustrative: the exercise, its dates and channels follow seed 002 (Strategic Policing and \
Crime Board, 20 July 2021); every response was written by the demo, not by a resident.";

const PRIVACY: &str = "The Office of the West Midlands Police and Crime Commissioner holds your answers to prepare the \
Police and Crime Plan. We keep them for two years after the plan is issued, then delete them. We may publish short \
quotes with anything that could identify you removed, and only if you agree. You can ask to see, correct or delete \
your answers by writing to the Office. (Illustrative notice for the demo.)";

/// The call for evidence.
pub fn call_for_evidence() -> ExerciseContent {
    ExerciseContent {
        title: String::from("Police and Crime Plan 2021-25: call for evidence"),
        kind: ExerciseKind::CallForEvidence,
        slug: String::from("call-for-evidence-2021"),
        summary: String::from(
            "The Commissioner wants this to be the People's Police and Crime Plan. Tell us what the plan should \
             focus on, how safe you feel, and anything else you want the Commissioner to know. Residents, \
             organisations, charities and partners across the West Midlands can respond.",
        ),
        opens: ymd!(2021, 5, 13),
        closes: ymd!(2021, 6, 24),
        channels: vec![Channel::OnlineSurvey, Channel::WrittenSubmission, Channel::PartnerNetwork, Channel::Youth],
        privacy_notice: PRIVACY.to_string(),
        plan: Some(ids::PLAN),
        note: NOTE.to_string(),
    }
}

/// The second stage: roundtables on the key themes, 5 to 28 July 2021.
pub fn roundtables() -> ExerciseContent {
    ExerciseContent {
        title: String::from("Police and Crime Plan 2021-25: roundtable events"),
        kind: ExerciseKind::Events,
        slug: String::from("roundtables-2021"),
        summary: String::from(
            "Roundtables on the key themes of the call for evidence, with charities, partners and people affected \
             by crime, chaired by the Commissioner and his Assistant Commissioners.",
        ),
        opens: ymd!(2021, 7, 5),
        closes: ymd!(2021, 7, 28),
        channels: vec![Channel::Event],
        privacy_notice: String::new(),
        plan: Some(ids::PLAN),
        note: NOTE.to_string(),
    }
}

/// The questions of the call for evidence.
pub fn questions() -> Vec<Question> {
    vec![
        Question {
            id: ids::Q_PRIORITIES,
            content: QuestionContent {
                number: 1,
                text: String::from("What should the Commissioner's Police and Crime Plan focus on, and why?"),
                hint: String::from(
                    "Tell us about the issues that matter most to you, your family or your organisation.",
                ),
                kind: QuestionKind::Open,
                options: Vec::new(),
                required: true,
                max_chars: 5000,
            },
        },
        Question {
            id: ids::Q_SAFETY,
            content: QuestionContent {
                number: 2,
                text: String::from("How safe do you feel in your local area after dark?"),
                hint: String::new(),
                kind: QuestionKind::Single,
                options: SAFETY.iter().map(|s| s.to_string()).collect(),
                required: false,
                max_chars: 5000,
            },
        },
        Question {
            id: ids::Q_ANYTHING_ELSE,
            content: QuestionContent {
                number: 3,
                text: String::from("Is there anything else you would like the Commissioner to know?"),
                hint: String::new(),
                kind: QuestionKind::Open,
                options: Vec::new(),
                required: false,
                max_chars: 5000,
            },
        },
    ]
}

const SAFETY: [&str; 4] = ["Very safe", "Fairly safe", "A bit unsafe", "Very unsafe"];

/// The four roundtables of seed 002, paras 16-17.
pub fn events() -> Vec<(EventId, EventContent)> {
    let event = |title: &str, day: NaiveDate, organisers: &str, groups: &str, attendees: u32| EventContent {
        title: title.to_string(),
        held_on: day,
        place: String::from("Online"),
        organisers: organisers.to_string(),
        chair: String::from(
            "Simon Foster, Police and Crime Commissioner, with Assistant Commissioners Tom McNeil and Wasim Ali",
        ),
        attendees,
        attendee_groups: groups.to_string(),
        notes: String::from("Illustrative: the demo holds no notes of what was said."),
    };
    vec![
        (
            ids::EVENT_SERIOUS_VIOLENCE,
            event(
                "Roundtable: serious violence",
                ymd!(2021, 7, 5),
                "Clare Gollop, Director of the Violence Reduction Unit, and Carl Binns, Programme Manager",
                "Charities and organisations working to reduce gang tensions, empower young people and get weapons off \
                 the streets; people who had lost loved ones to violent crime",
                22,
            ),
        ),
        (
            ids::EVENT_VAWG,
            event(
                "Roundtable: violence against women and girls, and domestic abuse",
                ymd!(2021, 7, 13),
                "Harjeet Chakira, Policy Manager for Victims, and Jennifer Adler, Sexual Assault and Abuse Services \
                 Coordinator",
                "Specialist services for victims and survivors",
                18,
            ),
        ),
        (
            ids::EVENT_DRUGS,
            event(
                "Roundtable: drug harm reduction",
                ymd!(2021, 7, 20),
                "Dan Gordon, Policy Officer",
                "Treatment providers, public health and partners",
                15,
            ),
        ),
        (
            ids::EVENT_LOCAL_POLICING,
            event(
                "Roundtable: local policing",
                ymd!(2021, 7, 27),
                "Brendan Warner Southwell, Policy Manager",
                "Community safety partnerships and neighbourhood groups",
                20,
            ),
        ),
    ]
}

/// One of the seven themes of seed 002 (paras 14-15), the words that mark it, and what
/// the demo records it did to the plan.
pub struct ThemeGuide {
    pub label: &'static str,
    pub description: &'static str,
    /// Lowercase words; a machine theme whose key phrases hold more of them than any
    /// other guide's gets this label.
    pub keywords: &'static [&'static str],
    pub outcome: fn() -> ThemeOutcome,
}

const ILLUSTRATIVE_LINK: &str = " (Illustrative link to the demo's 2014 plan.)";

fn shaped(items: &[ItemId], note: &str) -> ThemeOutcome {
    ThemeOutcome::Shaped { items: items.to_vec(), note: format!("{note}{ILLUSTRATIVE_LINK}") }
}

pub const THEME_GUIDES: [ThemeGuide; 7] = [
    ThemeGuide {
        label: "Reducing violence",
        description: "Knife crime, gangs and serious violence, and stopping violence before it starts.",
        keywords: &["knife", "knives", "violence", "violent", "weapon", "gang", "stabbing"],
        outcome: || {
            shaped(
                &[ids::OBJ_REDUCING_CRIME, ids::LPRI_WOLVERHAMPTON_GANGS],
                "Reducing violence is a key theme of the plan, with the Violence Reduction Unit's work on prevention.",
            )
        },
    },
    ThemeGuide {
        label: "Drug harm reduction",
        description: "Open drug dealing, county lines exploitation, and treatment for addiction.",
        keywords: &["drug", "dealing", "dealer", "addiction", "cannabis", "county", "treatment"],
        outcome: || {
            shaped(
                &[ids::OBJ_PROTECTING_FROM_HARM],
                "The plan treats drug harm as a health and safety issue: treatment alongside enforcement.",
            )
        },
    },
    ThemeGuide {
        label: "Community and local policing",
        description: "Visible neighbourhood officers and PCSOs, answering 101, and coming when called.",
        keywords: &["neighbourhood", "patrol", "visible", "beat", "pcsos", "101", "station", "local", "officer"],
        outcome: || {
            shaped(
                &[ids::OBJ_LOCAL_IDENTITY, ids::PRI_NEIGHBOURHOOD_CONFIDENCE, ids::PRI_CONTACT],
                "Neighbourhood policing and answering calls are commitments of the plan.",
            )
        },
    },
    ThemeGuide {
        label: "Domestic abuse and violence against women and girls",
        description: "Women's safety in public places, domestic abuse services, and prosecuting offenders.",
        keywords: &["women", "girls", "domestic", "abuse", "harassment", "refuge", "coercive"],
        outcome: || {
            shaped(
                &[ids::PRI_DOMESTIC_ABUSE, ids::PRI_VICTIMS],
                "Domestic abuse and violence against women and girls is a key theme, with commissioned services for \
                 victims.",
            )
        },
    },
    ThemeGuide {
        label: "Confidence in policing",
        description: "Trust, fairness, accountability and keeping victims informed.",
        keywords: &["trust", "confidence", "fair", "fairly", "accountable", "informed", "respect"],
        outcome: || shaped(&[ids::OBJ_CONFIDENCE], "Confidence in policing is an overarching priority of the plan."),
    },
    ThemeGuide {
        label: "Young people",
        description: "Youth services, positive activities and keeping young people out of crime.",
        keywords: &["youth", "young", "club", "mentoring", "children", "activities"],
        outcome: || shaped(&[ids::PRI_YOUNG_PEOPLE], "Young people are an overarching priority of the plan."),
    },
    ThemeGuide {
        label: "Multi-agency working across the region",
        description: "Police, councils, health and partners working and sharing information together.",
        keywords: &["partner", "agencies", "agency", "council", "together", "sharing", "joint", "health"],
        outcome: || {
            shaped(
                &[ids::OBJ_PARTNERSHIPS, ids::PRI_CSP_WORKING],
                "Multi-agency working is an overarching priority, through the community safety partnerships.",
            )
        },
    },
];

/// A demo response, ready for the store.
pub struct DemoResponse {
    pub channel: Channel,
    pub submission: Submission,
    /// `demo-2021-NNN`: stable, so loading the demo twice stores each once.
    pub fingerprint: String,
    pub received_at: DateTime<Utc>,
}

/// How many responses seed 002 says the call for evidence received.
pub const RESPONSES: usize = 329;

/// Copies in the demo's copy-paste campaign.
pub const CAMPAIGN_COPIES: usize = 15;

/// A linear congruential sequence (Knuth's MMIX constants): fixed, so the demo's
/// responses are the same on every run, and no random source is read.
struct Sequence(u64);

impl Sequence {
    fn next(&mut self, below: usize) -> usize {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((self.0 >> 33) % below as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len())]
    }

    /// An index by weight.
    fn weighted(&mut self, weights: &[usize]) -> usize {
        let mut roll = self.next(weights.iter().sum());
        for (i, &w) in weights.iter().enumerate() {
            if roll < w {
                return i;
            }
            roll -= w;
        }
        weights.len() - 1
    }
}

/// Sentence parts per theme, in the order of [`THEME_GUIDES`]: problems, then asks.
const PARTS: [(&[&str], &[&str]); 7] = [
    (
        &[
            "knife crime is out of control and young men are carrying weapons",
            "there have been two stabbings near our estate this year",
            "gangs are fighting over territory and people are scared of the violence",
            "violent crime in the town centre at night keeps people away",
            "serious violence is ruining families who have lost sons to knives",
        ],
        &[
            "please put more effort into stopping violence before it starts",
            "fund the Violence Reduction Unit's work with schools and hospitals",
            "use stop and search to take weapons off the streets",
            "target the gangs that recruit teenagers into violence",
            "support families affected by knife crime",
        ],
    ),
    (
        &[
            "drug dealing happens openly in our park every evening",
            "county lines gangs are using local children to sell drugs",
            "people smoke cannabis outside the shops and nobody does anything",
            "drug addiction is behind most of the thefts on our street",
            "dealers use the alleyway behind our houses",
        ],
        &[
            "treat addiction as a health problem and fund treatment places",
            "close down the drug dealing and arrest the dealers",
            "protect children from being exploited by drug gangs",
            "invest in harm reduction so fewer people turn to crime to buy drugs",
            "act on the drug dealing intelligence residents keep reporting",
        ],
    ),
    (
        &[
            "we never see a police officer on the beat any more",
            "our local police station closed and the neighbourhood team was cut",
            "it takes forever to get through on 101 and nobody comes when called",
            "burglaries on our road were reported but no officer visited",
            "the PCSOs we used to know by name have gone",
        ],
        &[
            "bring back visible neighbourhood patrols",
            "give every neighbourhood a named officer and PCSOs",
            "answer 101 calls faster and come out when people need help",
            "put local officers back into the community",
            "keep neighbourhood policing teams in each area",
        ],
    ),
    (
        &[
            "women and girls do not feel safe walking home at night",
            "domestic abuse victims wait too long for help and refuge places",
            "sexual harassment on buses and in the street is an everyday experience for women",
            "coercive control is still not taken seriously enough",
            "violence against women and girls is too often treated as a private matter",
        ],
        &[
            "fund specialist domestic abuse services and refuges",
            "prosecute the men who harass and abuse women and girls",
            "train officers to recognise coercive control and domestic abuse",
            "make streets and public transport safer for women at night",
            "listen to survivors of domestic abuse when designing services",
        ],
    ),
    (
        &[
            "trust and confidence in the police has fallen in my community",
            "people feel stop and search is used unfairly on young black men",
            "victims are not kept informed about their cases",
            "complaints against officers are not dealt with openly",
            "residents do not believe reporting crime makes any difference",
        ],
        &[
            "make the police accountable and treat everyone fairly and with respect",
            "keep victims informed so confidence in policing improves",
            "publish how stop and search is used so trust can be rebuilt",
            "show residents what happens when they report a crime",
            "build trust with every community through fair policing",
        ],
    ),
    (
        &[
            "youth clubs have closed and young people have nothing to do",
            "teenagers hang around with nowhere to go in the evenings",
            "young people get drawn into crime because there are no activities",
            "children excluded from school are easy targets for criminals",
            "the youth service in our town was cut years ago",
        ],
        &[
            "invest in youth clubs, mentoring and positive activities",
            "give young people role models and somewhere safe to go",
            "fund youth workers to keep children out of crime",
            "work with schools to support young people at risk",
            "listen to young people about what would help",
        ],
    ),
    (
        &[
            "vulnerable people fall through the gaps between agencies",
            "the police cannot solve these problems without councils and health services",
            "mental health calls take officers away because other agencies are not available",
            "partners across the region do not share information well",
            "each agency works on its own and nobody joins things up",
        ],
        &[
            "make police, councils and health services work together on prevention",
            "share information between partner agencies so problems are caught early",
            "fund joint teams with councils and the health service",
            "use the community safety partnerships to join up local work",
            "agree shared priorities with partners across the West Midlands",
        ],
    ),
];

const OPENERS: [&str; 8] = [
    "",
    "As a resident for over twenty years, ",
    "Honestly, ",
    "My main concern is that ",
    "Speaking for our residents' association, ",
    "From what I see every day, ",
    "I think ",
    "The biggest issue is that ",
];

const CLOSERS: [&str; 6] = [
    "",
    " It has got worse over the last few years.",
    " Please act on this.",
    " Thank you for asking.",
    " This matters to everyone I know.",
    " We need to see real change.",
];

/// Theme weights (per 100): violence, drugs, local policing, VAWG, confidence, young
/// people, multi-agency working.
const THEME_WEIGHTS: [usize; 7] = [21, 14, 24, 16, 10, 9, 6];

/// Area weights (per 100) in the order of [`crate::AREAS`]: Solihull is deliberately
/// under-represented against its population, to show the representativeness check.
const AREA_WEIGHTS: [usize; 7] = [43, 14, 12, 12, 2, 10, 7];

const CAMPAIGN_TEXT: &str = "I am responding as part of the Safer Streets for Children campaign. Please keep youth \
centres open and fund youth workers in every neighbourhood so that young people are safe from exploitation.";

/// Answers with invented personal data, for the redaction to remove before publication.
const WITH_PERSONAL_DATA: [&str; 5] = [
    "Drug dealing outside 14 Wellington Road has gone on for months. Contact me at kay.morgan@example.org if you \
     need more detail.",
    "My name is Daniel Hughes and my car was broken into twice. Nobody from the neighbourhood team came. Ring me on \
     07700 900123.",
    "We need visible patrols around B23 6TH, where the burglaries are. Mrs Patel next door was burgled last month.",
    "Domestic abuse services helped my sister, but the refuge had no space for three weeks. I can be reached on \
     0121 496 0000.",
    "Knife crime near the school worries parents. Regards,\nSarah Whitfield",
];

fn sentence(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The 329 illustrative responses to the call for evidence.
pub fn responses() -> Vec<DemoResponse> {
    let mut seq = Sequence(2021);
    let start = crate::noon_utc(call_for_evidence().opens) - Duration::hours(3);
    let mut out = Vec::with_capacity(RESPONSES);
    for n in 0..RESPONSES {
        let area = crate::AREAS[seq.weighted(&AREA_WEIGHTS)].0;
        let channel_roll = seq.next(100);
        let (channel, kind) = match channel_roll {
            0..70 => (
                Channel::OnlineSurvey,
                // Most online respondents are residents, as in OPCC surveys.
                match seq.next(10) {
                    0 => RespondentType::Business,
                    1 | 2 => RespondentType::VictimOrSurvivor,
                    _ => RespondentType::Resident,
                },
            ),
            70..82 => (Channel::WrittenSubmission, RespondentType::VoluntaryOrCommunityOrganisation),
            82..92 => (Channel::PartnerNetwork, RespondentType::PublicSectorPartner),
            _ => (Channel::Youth, RespondentType::YoungPerson),
        };
        let text = if (40..40 + CAMPAIGN_COPIES).contains(&n) {
            CAMPAIGN_TEXT.to_string()
        } else if n % 64 == 7 && n / 64 < WITH_PERSONAL_DATA.len() {
            WITH_PERSONAL_DATA[n / 64].to_string()
        } else {
            let theme =
                if kind == RespondentType::YoungPerson && seq.next(2) == 0 { 5 } else { seq.weighted(&THEME_WEIGHTS) };
            let (problems, asks) = PARTS[theme];
            let opener = seq.pick(&OPENERS);
            let problem = seq.pick(problems);
            let first = if opener.is_empty() { sentence(problem) } else { format!("{opener}{problem}") };
            let mut text = format!("{first}. {}.", sentence(seq.pick(asks)));
            if seq.next(3) == 0 {
                // A second concern, as real answers often have.
                let (other, _) = PARTS[seq.weighted(&THEME_WEIGHTS)];
                text.push_str(&format!(" Also, {}.", seq.pick(other)));
            }
            text.push_str(seq.pick(&CLOSERS));
            text
        };
        let mut submission = Submission {
            consent: true,
            publish_consent: match seq.next(20) {
                0 | 1 => Some(false),
                2 => None,
                _ => Some(true),
            },
            respondent: Respondent {
                kind: Some(kind),
                organisation: match kind {
                    RespondentType::VoluntaryOrCommunityOrganisation => {
                        String::from("A community organisation (illustrative)")
                    }
                    RespondentType::PublicSectorPartner => {
                        String::from("A community safety partnership (illustrative)")
                    }
                    _ => String::new(),
                },
                area: Some(area.to_string()),
                demographics: Default::default(),
            },
            ..Submission::default()
        };
        if channel == Channel::OnlineSurvey && seq.next(2) == 0 {
            let bands = ["16 to 24", "25 to 34", "35 to 44", "45 to 54", "55 to 64", "65 to 74", "Prefer not to say"];
            submission.respondent.demographics.insert(String::from("age_band"), seq.pick(&bands).to_string());
        }
        submission.answers.insert(ids::Q_PRIORITIES, AnswerValue::Text(text));
        if channel == Channel::OnlineSurvey {
            submission.answers.insert(ids::Q_SAFETY, AnswerValue::Choices(vec![seq.pick(&SAFETY).to_string()]));
        }
        // Spread over the six weeks the call was open, in order.
        let minutes = (n as i64 * 42 * 24 * 60) / RESPONSES as i64 + seq.next(300) as i64;
        out.push(DemoResponse {
            channel,
            submission,
            fingerprint: format!("demo-2021-{:03}", n + 1),
            received_at: start + Duration::minutes(minutes),
        });
    }
    out
}

/// Census 2021 usual residents of the seven areas, rounded to the nearest hundred
/// (ONS), as the demo's population table.
pub const POPULATIONS: [(&str, &str, i64); 7] = [
    ("E08000025", "Birmingham", 1_144_900),
    ("E08000026", "Coventry", 345_300),
    ("E08000027", "Dudley", 323_500),
    ("E08000028", "Sandwell", 341_900),
    ("E08000029", "Solihull", 216_200),
    ("E08000030", "Walsall", 284_100),
    ("E08000031", "Wolverhampton", 263_700),
];

/// Where the population figures come from, as the table records it.
pub const POPULATION_SOURCE: &str = "ONS Census 2021, usual residents, rounded to the nearest hundred (typed in for \
the demo)";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_demo_has_the_seeds_329_responses_each_valid_and_stable() {
        let responses = responses();
        assert_eq!(responses.len(), RESPONSES);
        let questions = questions();
        let areas: Vec<&str> = crate::AREAS.iter().map(|(code, _)| *code).collect();
        for r in &responses {
            assert_eq!(r.submission.check(&questions, &areas), Ok(()), "{}", r.fingerprint);
        }
        let campaign = responses
            .iter()
            .filter(|r| r.submission.answers.get(&ids::Q_PRIORITIES) == Some(&AnswerValue::Text(CAMPAIGN_TEXT.into())))
            .count();
        assert_eq!(campaign, CAMPAIGN_COPIES);
        let again = super::responses();
        assert!(
            responses.iter().zip(&again).all(|(a, b)| a.submission == b.submission && a.received_at == b.received_at)
        );
        let last = responses.last().map(|r| r.received_at.date_naive());
        assert!(last.is_some_and(|d| d <= call_for_evidence().closes), "{last:?}");
    }

    #[test]
    fn the_exercises_events_and_questions_pass_their_checks() {
        assert_eq!(call_for_evidence().check(), Ok(()));
        assert_eq!(roundtables().check(), Ok(()));
        for q in questions() {
            assert_eq!(q.content.check(), Ok(()), "{}", q.content.text);
        }
        for (_, event) in events() {
            assert_eq!(event.check(&roundtables()), Ok(()), "{}", event.title);
        }
        for guide in &THEME_GUIDES {
            let items = [
                ids::OBJ_REDUCING_CRIME,
                ids::LPRI_WOLVERHAMPTON_GANGS,
                ids::OBJ_PROTECTING_FROM_HARM,
                ids::OBJ_LOCAL_IDENTITY,
                ids::PRI_NEIGHBOURHOOD_CONFIDENCE,
                ids::PRI_CONTACT,
                ids::PRI_DOMESTIC_ABUSE,
                ids::PRI_VICTIMS,
                ids::OBJ_CONFIDENCE,
                ids::PRI_YOUNG_PEOPLE,
                ids::OBJ_PARTNERSHIPS,
                ids::PRI_CSP_WORKING,
            ];
            assert_eq!((guide.outcome)().check(&items), Ok(()), "{}", guide.label);
        }
    }
}
