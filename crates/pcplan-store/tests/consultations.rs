//! Consultation records on both backends: exercises and questions with their rules,
//! responses stored whole and once per fingerprint, imports all or nothing, theme set
//! versions that never change once final, review changes recorded as a person's, the
//! audit log free of respondents' words, outcomes, published quotes and populations.

mod common;

use chrono::{NaiveDate, TimeZone, Utc};
use pcplan_domain::consultation::{
    AnswerValue, Channel, EventContent, ExerciseContent, ExerciseKind, QuestionContent, QuestionKind, Respondent,
    RespondentType, Submission, ThemeOutcome, ThemeSetState,
};
use pcplan_domain::{ExerciseId, QuestionId, UserId};
use pcplan_store::{
    Actor, Dimension, ImportBatch, NewResponse, NewTheme, NewThemeSet, Population, PublishedQuote, Store, StoreError,
    ThemeSetInfo,
};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real date")
}

fn staff() -> Actor {
    Actor { user: Some(UserId::from_u128(99)), name: "Analyst (analyst)".to_owned() }
}

fn exercise_content(slug: &str) -> ExerciseContent {
    ExerciseContent {
        title: "Call for evidence".to_owned(),
        kind: ExerciseKind::CallForEvidence,
        slug: slug.to_owned(),
        summary: "Tell us what matters".to_owned(),
        opens: date(2021, 6, 1),
        closes: date(2021, 7, 12),
        channels: vec![Channel::OnlineSurvey, Channel::Imported],
        privacy_notice: "We keep answers for two years.".to_owned(),
        plan: None,
        note: String::new(),
    }
}

fn open_question(number: u32) -> QuestionContent {
    QuestionContent {
        number,
        text: "What should the plan focus on?".to_owned(),
        hint: String::new(),
        kind: QuestionKind::Open,
        options: Vec::new(),
        required: true,
        max_chars: 2000,
    }
}

struct Setup {
    exercise: ExerciseId,
    open: QuestionId,
    choice: QuestionId,
}

async fn setup(store: &Store) -> Setup {
    store.import_plan(&staff(), &pcplan_demo::plan_file()).await.expect("import the demo");
    let exercise = ExerciseId::new();
    store
        .create_exercise(&staff(), exercise, pcplan_demo::ids::BODY, &exercise_content("call-2021"))
        .await
        .expect("exercise");
    let open = QuestionId::new();
    store.add_question(&staff(), exercise, open, &open_question(1)).await.expect("open question");
    let choice = QuestionId::new();
    let choice_content = QuestionContent {
        number: 2,
        kind: QuestionKind::Single,
        options: vec!["Safe".to_owned(), "Not safe".to_owned()],
        required: false,
        ..open_question(2)
    };
    store.add_question(&staff(), exercise, choice, &choice_content).await.expect("choice question");
    Setup { exercise, open, choice }
}

fn response(s: &Setup, text: &str, fingerprint: &str, area: Option<&str>, kind: Option<RespondentType>) -> NewResponse {
    let mut submission = Submission {
        consent: true,
        publish_consent: Some(true),
        respondent: Respondent { kind, area: area.map(str::to_owned), ..Respondent::default() },
        ..Submission::default()
    };
    submission.answers.insert(s.open, AnswerValue::Text(text.to_owned()));
    submission.answers.insert(s.choice, AnswerValue::Choices(vec!["Safe".to_owned()]));
    NewResponse {
        channel: Channel::OnlineSurvey,
        submission,
        fingerprint: fingerprint.to_owned(),
        event: None,
        received_at: Utc.with_ymd_and_hms(2021, 6, 10, 9, 0, 0).single().expect("a real time"),
        source_line: None,
    }
}

#[tokio::test]
async fn exercises_keep_their_web_address_free_and_fixed_once_answered() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let taken = db
            .store
            .create_exercise(&staff(), ExerciseId::new(), pcplan_demo::ids::BODY, &exercise_content("call-2021"))
            .await;
        assert!(matches!(taken, Err(StoreError::Fields(ref p)) if p.0[0].field == "slug"), "{}: {taken:?}", db.name);
        let found = db.store.exercise_by_slug("call-2021").await.expect("read").expect("found");
        assert_eq!(found.id, s.exercise);
        db.store
            .submit_response(
                &Actor::system("public survey"),
                s.exercise,
                &response(&s, "More patrols", "t1", None, None),
            )
            .await
            .expect("stored");
        let moved = db.store.update_exercise(&staff(), s.exercise, &exercise_content("call-2021-b")).await;
        assert!(matches!(moved, Err(StoreError::Fields(ref p)) if p.0[0].problem.contains("1 response")), "{moved:?}");
        let mut retitled = exercise_content("call-2021");
        retitled.title = "Call for evidence 2021".to_owned();
        db.store.update_exercise(&staff(), s.exercise, &retitled).await.expect("title changes");
        assert_eq!(db.store.exercises(Some(pcplan_demo::ids::BODY)).await.expect("list").len(), 1);
        db.finish().await;
    }
}

#[tokio::test]
async fn an_answered_question_keeps_its_kind_and_options_and_cannot_be_removed() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let dup = db.store.add_question(&staff(), s.exercise, QuestionId::new(), &open_question(1)).await;
        assert!(matches!(dup, Err(StoreError::Fields(_))), "{dup:?}");
        db.store
            .submit_response(
                &Actor::system("public survey"),
                s.exercise,
                &response(&s, "Knife crime", "t1", None, None),
            )
            .await
            .expect("stored");
        let narrowed = QuestionContent {
            number: 2,
            kind: QuestionKind::Single,
            options: vec!["Safe".to_owned(), "Unsafe".to_owned()],
            required: false,
            ..open_question(2)
        };
        let refused = db.store.update_question(&staff(), s.choice, &narrowed).await;
        assert!(
            matches!(refused, Err(StoreError::Fields(ref p)) if p.0[0].problem.contains("`Not safe` cannot be removed")),
            "{refused:?}"
        );
        assert!(matches!(db.store.delete_question(&staff(), s.open).await, Err(StoreError::Conflict(_))));
        let spare = QuestionId::new();
        db.store.add_question(&staff(), s.exercise, spare, &open_question(3)).await.expect("added");
        db.store.delete_question(&staff(), spare).await.expect("an unanswered question goes");
        assert_eq!(db.store.questions(s.exercise).await.expect("list").len(), 2);
        db.finish().await;
    }
}

#[tokio::test]
async fn a_response_is_stored_once_per_fingerprint_and_checked_whole() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let public = Actor::system("public survey");
        let first = db.store.submit_response(&public, s.exercise, &response(&s, "Roads", "t1", None, None)).await;
        let first = first.expect("stored");
        assert_eq!((first.reference, first.duplicate), (1, false));
        let again = db.store.submit_response(&public, s.exercise, &response(&s, "Roads", "t1", None, None)).await;
        let again = again.expect("same");
        assert_eq!((again.id, again.reference, again.duplicate), (first.id, 1, true));
        let mut bad = response(&s, "", "t2", Some("W06000015"), None);
        bad.submission.consent = false;
        let refused = db.store.submit_response(&public, s.exercise, &bad).await;
        let Err(StoreError::Fields(problems)) = refused else { panic!("refused: {refused:?}") };
        let fields: Vec<_> = problems.0.iter().map(|p| p.field.as_str()).collect();
        assert_eq!(fields, ["q-1", "area", "consent"], "{}", db.name);
        let (total, page) = db.store.responses(s.exercise, 0, 10).await.expect("page");
        assert_eq!((total, page.len()), (1, 1));
        let stored = db.store.response(first.id).await.expect("read").expect("found");
        assert_eq!(stored.answers.get(&s.open), Some(&AnswerValue::Text("Roads".to_owned())));
        assert_eq!(stored.answers.get(&s.choice), Some(&AnswerValue::Choices(vec!["Safe".to_owned()])));
        // The audit log says a response came, never what it said.
        let log = db.store.audit_log(100, 0).await.expect("log");
        let entry = log.iter().find(|e| e.entity == "response").expect("audited");
        assert!(!entry.after.as_ref().expect("after").to_string().contains("Roads"), "{entry:?}");
        assert_eq!(log.iter().filter(|e| e.entity == "response").count(), 1, "a duplicate is not audited again");
        db.finish().await;
    }
}

#[tokio::test]
async fn an_import_is_stored_whole_and_a_reimport_adds_nothing() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let rows: Vec<NewResponse> = (0..1200)
            .map(|i| {
                let mut r = response(&s, &format!("answer number {i}"), &format!("row-{i}"), Some("E08000025"), None);
                r.channel = Channel::Imported;
                r.source_line = Some(i + 2);
                r
            })
            .collect();
        let batch = ImportBatch {
            file_name: "export.csv".to_owned(),
            sha256: "ab".repeat(32),
            summary: serde_json::json!({"rows": 1200, "bad": 0}),
            rows,
        };
        let outcome = db.store.import_responses(&staff(), s.exercise, &batch).await.expect("imported");
        assert_eq!((outcome.stored, outcome.duplicates), (1200, 0), "{}", db.name);
        let again = db.store.import_responses(&staff(), s.exercise, &batch).await.expect("re-imported");
        assert_eq!((again.stored, again.duplicates), (0, 1200));
        assert_eq!(db.store.answer_texts(s.open).await.expect("texts").len(), 1200);
        assert_eq!(db.store.imports(s.exercise).await.expect("imports").len(), 2);
        let counts = db.store.response_counts(s.exercise, Dimension::Area).await.expect("counts");
        assert_eq!(counts, [("E08000025".to_owned(), 1200)]);
        db.finish().await;
    }
}

async fn themed(db: &common::TestDb, s: &Setup) -> pcplan_store::ThemeSet {
    let public = Actor::system("public survey");
    let mut ids = Vec::new();
    for (i, (text, kind)) in [
        ("speeding cars on our road", RespondentType::Resident),
        ("dangerous driving and speeding", RespondentType::Resident),
        ("knife crime among young people", RespondentType::YoungPerson),
        ("youth knife crime", RespondentType::YoungPerson),
        ("nothing to add", RespondentType::Business),
    ]
    .into_iter()
    .enumerate()
    {
        let stored = db
            .store
            .submit_response(&public, s.exercise, &response(s, text, &format!("t{i}"), Some("E08000025"), Some(kind)))
            .await
            .expect("stored");
        ids.push(stored.id);
    }
    let new = NewThemeSet {
        info: ThemeSetInfo { method: "tfidf-nmf".to_owned(), seed: 42, responses: 5, ..ThemeSetInfo::default() },
        themes: vec![
            NewTheme {
                label: "speeding, driving".to_owned(),
                key_phrases: vec!["speeding".to_owned()],
                quotes: vec![ids[0]],
            },
            NewTheme {
                label: "knife crime".to_owned(),
                key_phrases: vec!["knife crime".to_owned()],
                quotes: vec![ids[2]],
            },
        ],
        assignments: vec![(0, ids[0], 0.9), (0, ids[1], 0.8), (1, ids[2], 1.0), (1, ids[3], 0.7)],
    };
    db.store.save_theme_set(&staff(), s.open, &new).await.expect("saved")
}

#[tokio::test]
async fn a_final_theme_set_never_changes_and_review_starts_a_new_draft() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let set = themed(&db, &s).await;
        assert_eq!((set.version, set.state), (1, ThemeSetState::Draft));
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        let (exercise, question) = db.store.question(s.open).await.expect("read").expect("found");
        assert_eq!((exercise, question.content.number), (s.exercise, 1));
        assert_eq!(db.store.theme_set_of_theme(themes[0].id).await.expect("read"), Some(set.id));
        assert_eq!(db.store.theme_set_of_theme(pcplan_domain::ThemeId::new()).await.expect("read"), None);
        assert_eq!(
            themes.iter().map(|t| (t.label.as_str(), t.size)).collect::<Vec<_>>(),
            [("speeding, driving", 2), ("knife crime", 2)]
        );
        db.store.rename_theme(&staff(), themes[0].id, "Road safety", "Speeding and driving").await.expect("renamed");
        db.store.finalise_theme_set(&staff(), set.id).await.expect("final");
        let refused = db.store.rename_theme(&staff(), themes[0].id, "Roads", "").await;
        assert!(matches!(refused, Err(StoreError::Conflict(ref m)) if m.contains("version 1")), "{refused:?}");
        // The triggers refuse too, whoever writes.
        let sneaky = db.store.discard_draft(&staff(), set.id).await;
        assert!(matches!(sneaky, Err(StoreError::Conflict(_))));

        let draft = db.store.new_draft(&staff(), set.id).await.expect("new draft");
        assert_eq!((draft.version, draft.based_on), (2, Some(1)));
        let (_, copied) = db.store.theme_set(draft.id).await.expect("read").expect("found");
        assert_eq!(copied[0].label, "Road safety");
        assert_eq!(copied.iter().map(|t| t.size).sum::<i64>(), 4);
        let versions = db.store.theme_sets(s.open).await.expect("versions");
        assert_eq!(versions.iter().map(|v| v.version).collect::<Vec<_>>(), [2, 1]);
        db.finish().await;
    }
}

#[tokio::test]
async fn review_merges_splits_moves_and_deletes_as_a_person() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let set = themed(&db, &s).await;
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        let (roads, knives) = (themes[0].id, themes[1].id);
        let other = db.store.unthemed(set.id).await.expect("unthemed");
        assert_eq!(other.iter().map(|a| a.text.as_str()).collect::<Vec<_>>(), ["nothing to add"]);

        db.store.move_response(&staff(), set.id, other[0].response, None, Some(knives)).await.expect("moved in");
        let members = db.store.theme_members(knives).await.expect("members");
        let moved = members.iter().find(|m| m.response == other[0].response).expect("there");
        assert_eq!((moved.score, moved.assigned_by), (None, Some(UserId::from_u128(99))));

        let split =
            db.store.split_theme(&staff(), knives, "Nothing to add", &[other[0].response]).await.expect("split");
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        assert_eq!(
            themes.iter().map(|t| (t.label.as_str(), t.position)).collect::<Vec<_>>(),
            [("speeding, driving", 1), ("knife crime", 2), ("Nothing to add", 3)]
        );
        db.store.merge_themes(&staff(), roads, knives).await.expect("merged");
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        assert_eq!(
            themes.iter().map(|t| (t.label.as_str(), t.size, t.position)).collect::<Vec<_>>(),
            [("speeding, driving", 4, 1), ("Nothing to add", 1, 2)]
        );
        db.store.delete_theme(&staff(), split).await.expect("deleted");
        assert_eq!(db.store.unthemed(set.id).await.expect("unthemed").len(), 1);
        let by_type = db.store.theme_breakdown(set.id, Dimension::RespondentType).await.expect("breakdown");
        assert_eq!(
            by_type.0.iter().map(|(_, c, n)| (c.as_str(), *n)).collect::<Vec<_>>(),
            [("resident", 2), ("young_person", 2)]
        );
        assert_eq!(
            by_type.1.iter().map(|(c, n)| (c.as_str(), *n)).collect::<Vec<_>>(),
            [("business", 1), ("resident", 2), ("young_person", 2)]
        );
        let log = db.store.audit_log(200, 0).await.expect("log");
        for action in ["move", "split", "merge", "delete"] {
            assert!(log.iter().any(|e| e.action == action && e.actor == "Analyst (analyst)"), "{action} audited");
        }
        db.finish().await;
    }
}

#[tokio::test]
async fn outcomes_quotes_and_populations_are_kept_and_audited() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let set = themed(&db, &s).await;
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        let plan = pcplan_demo::plan_file();
        let items: Vec<_> = plan.plan.items.iter().map(|i| i.id).collect();
        let outcome = ThemeOutcome::Shaped { items: vec![items[0]], note: "A road safety objective".to_owned() };
        db.store.set_theme_outcome(&staff(), themes[0].id, &outcome, &items).await.expect("linked");
        let (_, themes) = db.store.theme_set(set.id).await.expect("read").expect("found");
        assert_eq!(themes[0].outcome.as_ref(), Some(&outcome));
        let empty = ThemeOutcome::NotChanged { reason: String::new() };
        assert!(db.store.set_theme_outcome(&staff(), themes[1].id, &empty, &items).await.is_err());

        let member = db.store.theme_members(themes[0].id).await.expect("members")[0].response;
        let quote = PublishedQuote {
            theme: themes[0].id,
            response: member,
            position: 1,
            text: "speeding cars on [street removed]".to_owned(),
            redactions: serde_json::json!([{"kind": "address", "start": 20, "end": 28}]),
            withdrawn: false,
        };
        // A new exercise is a draft only staff see: "you said, we did" waits for it.
        let draft = db.store.exercise(s.exercise).await.expect("read").expect("found");
        assert_eq!(draft.public_at, None);
        let refused = db.store.publish_you_said(&staff(), s.exercise, std::slice::from_ref(&quote)).await;
        assert!(matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("not public yet")), "{refused:?}");
        assert!(db.store.published_quotes(s.exercise).await.expect("quotes").is_empty(), "nothing half-published");
        let public = db.store.set_exercise_public(&staff(), s.exercise, true).await.expect("made public");
        let since = public.public_at.expect("public");
        let again = db.store.set_exercise_public(&staff(), s.exercise, true).await.expect("public again");
        assert_eq!(again.public_at, Some(since), "making it public twice keeps the first date");
        db.store.publish_you_said(&staff(), s.exercise, std::slice::from_ref(&quote)).await.expect("published");
        let published = db.store.exercise(s.exercise).await.expect("read").expect("found");
        assert!(published.published_at.is_some());
        assert_eq!(published.public_at, Some(since));
        let hide = db.store.set_exercise_public(&staff(), s.exercise, false).await;
        assert!(matches!(&hide, Err(StoreError::Conflict(m)) if m.contains("stays public")), "{hide:?}");
        db.store.withdraw_quote(&staff(), themes[0].id, member).await.expect("withdrawn");
        let quotes = db.store.published_quotes(s.exercise).await.expect("quotes");
        assert_eq!(quotes.len(), 1);
        assert!(quotes[0].withdrawn);

        let rows = vec![
            Population {
                code: "E08000025".to_owned(),
                name: "Birmingham".to_owned(),
                population: 1_144_900,
                source: "ONS".to_owned(),
            },
            Population {
                code: "E08000026".to_owned(),
                name: "Coventry".to_owned(),
                population: 345_300,
                source: "ONS".to_owned(),
            },
        ];
        db.store.load_populations(&staff(), pcplan_demo::ids::BODY, &rows).await.expect("loaded");
        let twice = [rows[0].clone(), rows[0].clone()];
        assert!(db.store.load_populations(&staff(), pcplan_demo::ids::BODY, &twice).await.is_err());
        assert_eq!(
            db.store.populations(pcplan_demo::ids::BODY).await.expect("read"),
            rows,
            "a refused load changes nothing"
        );
        assert_eq!(db.store.verify_audit().await.expect("verify").first_broken, None);
        db.finish().await;
    }
}

#[tokio::test]
async fn events_are_held_while_the_exercise_runs() {
    for db in common::databases().await {
        let s = setup(&db.store).await;
        let event = EventContent {
            title: "Roundtable with community safety partnerships".to_owned(),
            held_on: date(2021, 6, 15),
            place: "Lloyd House".to_owned(),
            organisers: "OPCC".to_owned(),
            chair: "The Commissioner".to_owned(),
            attendees: 24,
            attendee_groups: "Seven community safety partnerships".to_owned(),
            notes: "Partners asked for longer funding settlements.".to_owned(),
        };
        let id = pcplan_domain::EventId::new();
        db.store.save_event(&staff(), s.exercise, id, &event).await.expect("saved");
        let late = EventContent { held_on: date(2021, 8, 1), ..event.clone() };
        assert!(matches!(db.store.save_event(&staff(), s.exercise, id, &late).await, Err(StoreError::Fields(_))));
        let events = db.store.events(s.exercise).await.expect("events");
        assert_eq!(events.len(), 1);
        assert_eq!(events[0].content, event);
        db.finish().await;
    }
}
