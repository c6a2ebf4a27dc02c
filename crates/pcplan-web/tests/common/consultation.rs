//! A small consultation for the web tests, stored through the store: an exercise of the
//! demo body linked to the demo plan, with a free-text question, a choice question, a
//! spare question nobody answered, one event, twelve responses with known respondent
//! types and areas, and two versions of themes of the free-text question (version 1
//! final, version 2 a draft), so every staff route of consultations has something to
//! read or change. It needs the demo plan (`TestApp::with_demo`).
//!
//! The store gives theme sets, themes and responses fresh identities, so [`fill`]
//! looks them up and puts them into a path or a form body.

use chrono::{NaiveDate, TimeZone, Utc};
use pcplan_domain::consultation::{
    AnswerValue, Channel, EventContent, ExerciseContent, ExerciseKind, QuestionContent, QuestionKind, Respondent,
    RespondentType, Submission,
};
use pcplan_domain::{EventId, ExerciseId, QuestionId, ResponseId, ThemeId, ThemeSetId};
use pcplan_store::{Actor, ImportBatch, NewResponse, NewTheme, NewThemeSet, Store, ThemeSetInfo};

pub const EXERCISE: ExerciseId = ExerciseId::from_u128(0xc0c0_0001);
pub const QUESTION: QuestionId = QuestionId::from_u128(0xc0c0_0101);
pub const CHOICE: QuestionId = QuestionId::from_u128(0xc0c0_0102);
pub const SPARE: QuestionId = QuestionId::from_u128(0xc0c0_0103);
pub const EVENT: EventId = EventId::from_u128(0xc0c0_0201);
pub const SLUG: &str = "test-call";

pub const BIRMINGHAM: &str = "E08000025";
pub const COVENTRY: &str = "E08000026";

/// The twelve answers to [`QUESTION`], in reference order, with who gave them.
pub const ANSWERS: [(&str, RespondentType, Option<&str>, Channel); 12] = [
    ("More police officers on the streets at night", RespondentType::Resident, Some(BIRMINGHAM), Channel::OnlineSurvey),
    ("Police patrols in the town centre", RespondentType::Resident, Some(COVENTRY), Channel::OnlineSurvey),
    ("Visible policing and patrols", RespondentType::YoungPerson, Some(BIRMINGHAM), Channel::OnlineSurvey),
    ("Officers walking the beat", RespondentType::Business, Some(BIRMINGHAM), Channel::OnlineSurvey),
    ("Speeding cars on residential roads", RespondentType::Resident, Some(COVENTRY), Channel::OnlineSurvey),
    ("Dangerous driving and speeding", RespondentType::YoungPerson, None, Channel::OnlineSurvey),
    ("Road safety near schools", RespondentType::Resident, Some(BIRMINGHAM), Channel::WrittenSubmission),
    ("Support for victims of domestic abuse", RespondentType::Resident, Some(COVENTRY), Channel::OnlineSurvey),
    (
        "Help victims of crime",
        RespondentType::VoluntaryOrCommunityOrganisation,
        Some(BIRMINGHAM),
        Channel::WrittenSubmission,
    ),
    ("Victims services", RespondentType::Resident, Some(COVENTRY), Channel::OnlineSurvey),
    ("Nothing to add", RespondentType::Resident, None, Channel::OnlineSurvey),
    ("Knife crime among young people", RespondentType::YoungPerson, Some(BIRMINGHAM), Channel::OnlineSurvey),
];

/// The themes of both versions: label and the references (from 1) of their responses.
pub const THEMES: [(&str, &[i64]); 3] =
    [("Visible policing", &[1, 2, 3, 4]), ("Road safety", &[5, 6, 7]), ("Victims", &[8, 9, 10])];

/// The identities the store gave.
pub struct Seeded {
    pub final_set: ThemeSetId,
    pub draft: ThemeSetId,
    /// The draft's themes, in order.
    pub themes: Vec<ThemeId>,
    /// By reference: `responses[0]` is reference 1.
    pub responses: Vec<ResponseId>,
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn actor() -> Actor {
    Actor::system("test")
}

pub fn exercise_content() -> ExerciseContent {
    ExerciseContent {
        title: String::from("Test call for evidence"),
        kind: ExerciseKind::CallForEvidence,
        slug: SLUG.to_string(),
        summary: String::from("Tell us what the plan should do"),
        opens: date(2021, 5, 13),
        closes: date(2021, 7, 2),
        channels: vec![Channel::OnlineSurvey, Channel::WrittenSubmission, Channel::Event],
        privacy_notice: String::from("The office keeps answers for two years."),
        plan: Some(pcplan_demo::ids::PLAN),
        note: String::new(),
    }
}

fn open_question(number: u32, text: &str) -> QuestionContent {
    QuestionContent {
        number,
        text: text.to_string(),
        hint: String::new(),
        kind: QuestionKind::Open,
        options: Vec::new(),
        required: false,
        max_chars: 2000,
    }
}

/// Stores `texts` as answers to question 1 of `exercise` (which exists), one response
/// each, all of residents of Birmingham through the online survey.
pub async fn store_answers(store: &Store, exercise: ExerciseId, question: QuestionId, texts: &[String]) {
    let rows = texts
        .iter()
        .enumerate()
        .map(|(i, text)| {
            let mut submission = Submission {
                consent: true,
                publish_consent: Some(i % 2 == 0),
                respondent: Respondent {
                    kind: Some(RespondentType::Resident),
                    area: Some(BIRMINGHAM.to_string()),
                    ..Respondent::default()
                },
                ..Submission::default()
            };
            submission.answers.insert(question, AnswerValue::Text(text.clone()));
            NewResponse {
                channel: Channel::OnlineSurvey,
                submission,
                fingerprint: format!("answer-{i}"),
                event: None,
                received_at: Utc.with_ymd_and_hms(2021, 6, 1, 9, 0, 0).single().expect("a real time"),
                source_line: Some(i as i64 + 2),
            }
        })
        .collect();
    let batch = ImportBatch {
        file_name: String::from("answers.csv"),
        sha256: String::from("0").repeat(64),
        summary: serde_json::json!({}),
        rows,
    };
    store.import_responses(&actor(), exercise, &batch).await.expect("import the answers");
}

/// A second exercise with one free-text question and `texts` as its answers, for the
/// analysis; returns the question.
pub async fn exercise_with_answers(store: &Store, slug: &str, texts: &[String]) -> (ExerciseId, QuestionId) {
    let exercise = ExerciseId::new();
    let content = ExerciseContent { slug: slug.to_string(), plan: None, ..exercise_content() };
    store.create_exercise(&actor(), exercise, pcplan_demo::ids::BODY, &content).await.expect("exercise");
    store.set_exercise_public(&actor(), exercise, true).await.expect("public");
    let question = QuestionId::new();
    store.add_question(&actor(), exercise, question, &open_question(1, "What should the plan do?")).await.expect("q");
    store_answers(store, exercise, question, texts).await;
    (exercise, question)
}

/// Sixty different answers on three subjects: patrols, roads and victims.
pub fn sixty_answers() -> Vec<String> {
    let openings = ["I think we need", "Please focus on", "My main worry is", "We want to see", "The priority is"];
    let subjects = [
        [
            "more police patrols on the streets",
            "visible police officers walking the beat",
            "police patrols in the town centre at night",
            "more officers on foot patrol in neighbourhoods",
        ],
        [
            "speeding cars and dangerous driving on our roads",
            "road safety and speeding near schools",
            "dangerous driving and speeding vehicles",
            "speed cameras to stop speeding on residential roads",
        ],
        [
            "support for victims of domestic abuse",
            "better help for victims of crime and abuse",
            "services for victims of domestic abuse and violence",
            "support for victims and survivors of abuse",
        ],
    ];
    let mut out = Vec::new();
    for subject in subjects {
        for opening in openings {
            for phrase in subject {
                out.push(format!("{opening} {phrase}"));
            }
        }
    }
    out
}

/// Stores the consultation described at the top of this file.
pub async fn seed(store: &Store) -> Seeded {
    let a = actor();
    store.create_exercise(&a, EXERCISE, pcplan_demo::ids::BODY, &exercise_content()).await.expect("exercise");
    store.set_exercise_public(&a, EXERCISE, true).await.expect("public");
    store.add_question(&a, EXERCISE, QUESTION, &open_question(1, "What should the plan focus on?")).await.expect("q1");
    let choice = QuestionContent {
        kind: QuestionKind::Single,
        options: vec![String::from("Safe"), String::from("Not safe")],
        max_chars: pcplan_domain::consultation::DEFAULT_MAX_CHARS,
        ..open_question(2, "How safe do you feel?")
    };
    store.add_question(&a, EXERCISE, CHOICE, &choice).await.expect("q2");
    store.add_question(&a, EXERCISE, SPARE, &open_question(3, "Anything else?")).await.expect("q3");
    let event = EventContent {
        title: String::from("Roundtable on neighbourhood policing"),
        held_on: date(2021, 6, 10),
        place: String::from("Lloyd House"),
        organisers: String::from("The OPCC"),
        chair: String::from("The Commissioner"),
        attendees: 18,
        attendee_groups: String::from("Councils and charities"),
        notes: String::from("Patrols came up most"),
    };
    store.save_event(&a, EXERCISE, EVENT, &event).await.expect("event");
    let rows = ANSWERS
        .iter()
        .enumerate()
        .map(|(i, (text, kind, area, channel))| {
            let mut submission = Submission {
                consent: true,
                publish_consent: Some(i != 1),
                respondent: Respondent { kind: Some(*kind), area: area.map(String::from), ..Respondent::default() },
                ..Submission::default()
            };
            submission.answers.insert(QUESTION, AnswerValue::Text(text.to_string()));
            submission.answers.insert(CHOICE, AnswerValue::Choices(vec![String::from("Safe")]));
            NewResponse {
                channel: *channel,
                submission,
                fingerprint: format!("seed-{i}"),
                event: None,
                received_at: Utc.with_ymd_and_hms(2021, 6, 1, 9, 0, 0).single().expect("a real time")
                    + chrono::Duration::minutes(i as i64),
                source_line: None,
            }
        })
        .collect();
    let batch = ImportBatch {
        file_name: String::from("seed.csv"),
        sha256: String::from("0").repeat(64),
        summary: serde_json::json!({}),
        rows,
    };
    store.import_responses(&a, EXERCISE, &batch).await.expect("responses");
    let responses = responses_by_reference(store).await;
    let new = NewThemeSet {
        info: ThemeSetInfo { method: String::from("tfidf-nmf"), seed: 42, responses: 12, ..ThemeSetInfo::default() },
        themes: THEMES
            .iter()
            .map(|(label, refs)| NewTheme {
                label: label.to_string(),
                key_phrases: vec![label.to_lowercase()],
                quotes: vec![responses[refs[0] as usize - 1]],
            })
            .collect(),
        assignments: THEMES
            .iter()
            .enumerate()
            .flat_map(|(t, (_, refs))| {
                refs.iter().enumerate().map(move |(i, r)| (t, r, 0.9 - 0.1 * i as f64)).collect::<Vec<_>>()
            })
            .map(|(t, r, score)| (t, responses[*r as usize - 1], score))
            .collect(),
    };
    let final_set = store.save_theme_set(&a, QUESTION, &new).await.expect("version 1");
    store.finalise_theme_set(&a, final_set.id).await.expect("final");
    store.save_theme_set(&a, QUESTION, &new).await.expect("version 2");
    seeded(store).await
}

async fn responses_by_reference(store: &Store) -> Vec<ResponseId> {
    let (_, mut records) = store.responses(EXERCISE, 0, 1000).await.expect("responses");
    records.sort_by_key(|r| r.reference);
    records.into_iter().map(|r| r.id).collect()
}

/// The identities of what [`seed`] stored.
pub async fn seeded(store: &Store) -> Seeded {
    let sets = store.theme_sets(QUESTION).await.expect("versions");
    let find = |version: i64| sets.iter().find(|s| s.version == version).map(|s| s.id).expect("seeded version");
    let (final_set, draft) = (find(1), find(2));
    let (_, themes) = store.theme_set(draft).await.expect("read").expect("draft");
    Seeded {
        final_set,
        draft,
        themes: themes.iter().map(|t| t.id).collect(),
        responses: responses_by_reference(store).await,
    }
}

/// Puts the seeded identities into a path or a form body: `{exercise}`, `{question}`,
/// `{choice}`, `{spare}`, `{event}`, `{draft_set}`, `{final_set}`, `{theme}` and
/// `{theme2}` (the draft's first two themes), `{response1}` (in the first theme) and
/// `{unthemed}` (reference 11, in no theme).
pub async fn fill(store: &Store, text: &str) -> String {
    if !text.contains('{') {
        return text.to_string();
    }
    let s = seeded(store).await;
    text.replace("{exercise}", &EXERCISE.to_string())
        .replace("{question}", &QUESTION.to_string())
        .replace("{choice}", &CHOICE.to_string())
        .replace("{spare}", &SPARE.to_string())
        .replace("{event}", &EVENT.to_string())
        .replace("{draft_set}", &s.draft.to_string())
        .replace("{final_set}", &s.final_set.to_string())
        .replace("{theme2}", &s.themes[1].to_string())
        .replace("{theme}", &s.themes[0].to_string())
        .replace("{response1}", &s.responses[0].to_string())
        .replace("{unthemed}", &s.responses[10].to_string())
}
