//! After the responses are in: the population table and the representativeness of the
//! respondents area by area, and publishing "you said, we did" with its quotes redacted,
//! withdrawing a quote, and publishing again. Viewers are refused every change.

mod common;

use axum::http::StatusCode;
use chrono::{Days, Utc};
use common::{TestApp, encode};
use pcplan_domain::consultation::{AnswerValue, Channel, ExerciseContent, ExerciseKind, QuestionContent, QuestionKind};
use pcplan_domain::consultation::{Respondent, Submission};
use pcplan_domain::{ExerciseId, QuestionId, ResponseId};
use pcplan_store::{Actor, ImportBatch, NewResponse, NewTheme, NewThemeSet, Role, ThemeSetInfo};

const Q_FOCUS: QuestionId = QuestionId::from_u128(0xc1);
const SLUG: &str = "safer-streets-2025";

fn actor() -> Actor {
    Actor::system("test")
}

/// The demo body and an exercise open for another `days_left` days with one required
/// free-text question.
async fn exercise(days_left: u64) -> (TestApp, ExerciseId) {
    let app = TestApp::with_demo().await;
    let today = pcplan_web::today();
    let content = ExerciseContent {
        title: String::from("Safer streets survey"),
        kind: ExerciseKind::PublicSurvey,
        slug: String::from(SLUG),
        summary: String::from("What would make your streets safer?"),
        opens: today.checked_sub_days(Days::new(14)).expect("a date"),
        closes: today.checked_add_days(Days::new(days_left)).expect("a date"),
        channels: vec![Channel::Imported],
        privacy_notice: String::new(),
        plan: None,
        note: String::new(),
    };
    let id = ExerciseId::new();
    app.store.create_exercise(&actor(), id, pcplan_demo::ids::BODY, &content).await.expect("exercise");
    app.store.set_exercise_public(&actor(), id, true).await.expect("public");
    let question = QuestionContent {
        number: 1,
        text: String::from("What would make your streets safer?"),
        hint: String::new(),
        kind: QuestionKind::Open,
        options: Vec::new(),
        required: true,
        max_chars: 2_000,
    };
    app.store.add_question(&actor(), id, Q_FOCUS, &question).await.expect("question");
    (app, id)
}

/// Stores responses as one import: (text, area, publish consent).
async fn responses(app: &TestApp, id: ExerciseId, rows: &[(&str, Option<&str>, Option<bool>)]) -> Vec<ResponseId> {
    let rows: Vec<NewResponse> = rows
        .iter()
        .enumerate()
        .map(|(i, (text, area, consent))| {
            let mut submission = Submission {
                respondent: Respondent { area: area.map(str::to_string), ..Respondent::default() },
                consent: true,
                publish_consent: *consent,
                ..Submission::default()
            };
            submission.answers.insert(Q_FOCUS, AnswerValue::Text(text.to_string()));
            NewResponse {
                channel: Channel::Imported,
                submission,
                fingerprint: format!("test:{i}"),
                event: None,
                received_at: Utc::now(),
                source_line: None,
            }
        })
        .collect();
    let batch = ImportBatch {
        file_name: String::from("test.csv"),
        sha256: String::from("0"),
        summary: serde_json::json!({}),
        rows,
    };
    app.store.import_responses(&actor(), id, &batch).await.expect("import");
    app.store.answer_texts(Q_FOCUS).await.expect("answers").into_iter().map(|a| a.response).collect()
}

// ---- the population table and representativeness ----

fn population_path(id: ExerciseId) -> String {
    format!("/staff/consultations/{id}/representation")
}

/// The demo body's seven areas with their Census 2021 populations.
fn population_csv() -> String {
    let mut csv = String::from("code,name,population\n");
    for (code, name, population) in pcplan_demo::consultation::POPULATIONS {
        csv.push_str(&format!("{code},{name},\"{}\"\n", population));
    }
    csv
}

#[tokio::test]
async fn a_population_table_is_refused_by_line_then_loaded_and_under_represented_areas_are_flagged() {
    let (app, id) = exercise(12).await;
    let cookie = app.signed_in(Role::Editor).await;

    let bad = "code,name,population\nE08000025,Birmingham,1144900\nE08000026,Coventry,lots\n";
    let refused = app.post_form(&population_path(id), &format!("source=ONS&text={}", encode(bad)), Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        refused.body.contains("Line 3: population `lots` is not a whole number"),
        "the error names the line: {}",
        refused.main()
    );
    assert!(refused.body.contains("id=\"text-error\""), "beside the field");

    let short = "code,name,population\nE08000025,Birmingham,1144900\n";
    let parts: [(&str, Option<&str>, &[u8]); 2] =
        [("source", None, b"ONS"), ("file", Some("pop.csv"), short.as_bytes())];
    let missing = app.post_multipart(&population_path(id), &parts, Some(&cookie)).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.body.contains("has no line for `E08000026` (Coventry)"), "{}", missing.main());
    let no_source =
        app.post_form(&population_path(id), &format!("text={}", encode(&population_csv())), Some(&cookie)).await;
    assert!(no_source.body.contains("Enter where the figures come from"), "{}", no_source.main());
    assert!(app.store.populations(pcplan_demo::ids::BODY).await.expect("read").is_empty());

    let csv = population_csv();
    let parts: [(&str, Option<&str>, &[u8]); 2] =
        [("source", None, b"ONS Census 2021"), ("file", Some("pop.csv"), csv.as_bytes())];
    let loaded = app.post_multipart(&population_path(id), &parts, Some(&cookie)).await;
    assert_eq!(loaded.status, StatusCode::SEE_OTHER, "{}", loaded.body);
    assert_eq!(app.store.populations(pcplan_demo::ids::BODY).await.expect("read").len(), 7);

    // 150 responses from Birmingham, 30 from Solihull, 6 without an area.
    let mut rows: Vec<(&str, Option<&str>, Option<bool>)> = Vec::new();
    rows.extend(std::iter::repeat_n(("Patrols", Some("E08000025"), None), 150));
    rows.extend(std::iter::repeat_n(("Lighting", Some("E08000029"), None), 30));
    rows.extend(std::iter::repeat_n(("Speeding", None, None), 6));
    responses(&app, id, &rows).await;

    let page = app.get(&population_path(id), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    let inset =
        main.split("id=\"under-represented\"").nth(1).and_then(|s| s.split("</div>").next()).expect("the inset");
    assert!(inset.contains("13 days left, today included"), "{inset}");
    assert!(inset.contains("Coventry (E08000026)"), "{inset}");
    assert!(!inset.contains("Birmingham"), "{inset}");
    let coventry = main.split("Coventry <span").nth(1).and_then(|s| s.split("</tr>").next()).expect("Coventry's row");
    assert!(coventry.contains("govuk-tag--red\">Under-represented"), "{coventry}");
    let birmingham = main.split("Birmingham <span").nth(1).and_then(|s| s.split("</tr>").next()).expect("the row");
    assert!(birmingham.contains("Over-represented"), "{birmingham}");
    assert!(birmingham.contains(">150<"), "{birmingham}");
    assert!(main.contains("Responses with no area or an area not in the table: 6"), "{main}");
}

#[tokio::test]
async fn a_closed_exercise_has_no_call_to_promote_it() {
    let app = TestApp::with_demo().await;
    let today = pcplan_web::today();
    let content = ExerciseContent {
        title: String::from("Old survey"),
        kind: ExerciseKind::PublicSurvey,
        slug: String::from("old-survey"),
        summary: String::from("Closed last year"),
        opens: today.checked_sub_days(Days::new(400)).expect("a date"),
        closes: today.checked_sub_days(Days::new(350)).expect("a date"),
        channels: vec![Channel::Imported],
        privacy_notice: String::new(),
        plan: None,
        note: String::new(),
    };
    let id = ExerciseId::new();
    app.store.create_exercise(&actor(), id, pcplan_demo::ids::BODY, &content).await.expect("exercise");
    let cookie = app.signed_in(Role::Viewer).await;
    let page = app.get(&population_path(id), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("No population table is loaded"));
    assert!(!page.body.contains("id=\"under-represented\""));
    assert!(!page.body.contains("name=\"source\""), "viewers see no form");
}

// ---- you said, we did ----

const EMAIL: &str = "jane.doe@example.com";
const PHONE: &str = "07700 900123";

/// Three answers in one final theme: one with an e-mail address and a phone number,
/// one plain, one whose respondent refused publication.
async fn themed() -> (TestApp, ExerciseId, Vec<ResponseId>, pcplan_domain::ThemeSetId) {
    let (app, id) = exercise(5).await;
    let ids = responses(
        &app,
        id,
        &[
            (
                "Please contact me at jane.doe@example.com or 07700 900123 about the speeding on our road every night",
                Some("E08000025"),
                Some(true),
            ),
            ("More police patrols on the high street would make everyone feel much safer at night", None, Some(true)),
            ("Speeding cars are a real danger near the primary school every single morning", None, Some(false)),
        ],
    )
    .await;
    let set = NewThemeSet {
        info: ThemeSetInfo { method: String::from("test"), responses: 3, ..ThemeSetInfo::default() },
        themes: vec![NewTheme {
            label: String::from("Road safety and patrols"),
            key_phrases: vec![String::from("speeding")],
            quotes: vec![ids[0]],
        }],
        assignments: ids.iter().map(|r| (0, *r, 0.9)).collect(),
    };
    let saved = app.store.save_theme_set(&actor(), Q_FOCUS, &set).await.expect("theme set");
    (app, id, ids, saved.id)
}

fn publish_path(id: ExerciseId) -> String {
    format!("/staff/consultations/{id}/publish")
}

#[tokio::test]
async fn publishing_is_refused_until_a_version_of_the_themes_is_final() {
    let (app, id, _, _) = themed().await;
    let cookie = app.signed_in(Role::Approver).await;
    let page = app.get(&publish_path(id), Some(&cookie)).await;
    assert!(page.body.contains("No question has a final version of its themes yet"), "{}", page.main());
    let refused = app.post_form(&publish_path(id), "", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("nothing to publish"), "{}", refused.main());
    assert!(app.store.exercise(id).await.expect("read").expect("exercise").published_at.is_none());
}

#[tokio::test]
async fn the_preview_and_the_published_page_show_redacted_quotes_and_withdrawn_quotes_stay_withdrawn() {
    let (app, id, ids, set) = themed().await;
    app.store.finalise_theme_set(&actor(), set).await.expect("final");
    let cookie = app.signed_in(Role::Approver).await;

    let preview = app.get(&publish_path(id), Some(&cookie)).await;
    assert_eq!(preview.status, StatusCode::OK);
    let main = preview.main();
    assert!(main.contains("Please contact me at [email address removed] or [phone number removed]"), "{main}");
    assert!(main.contains("2 redactions: 1 e-mail address, 1 phone number"), "{main}");
    assert!(main.contains("More police patrols on the high street"), "{main}");
    assert!(main.contains("No outcome recorded yet"), "{main}");
    assert!(!main.contains(EMAIL) && !main.contains(PHONE), "the preview never shows the personal data");
    assert!(!main.contains("primary school"), "a respondent who refused publication is not quoted");

    let published = app.post_form(&publish_path(id), "", Some(&cookie)).await;
    assert_eq!(published.status, StatusCode::SEE_OTHER, "{}", published.body);
    let quotes = app.store.published_quotes(id).await.expect("quotes");
    assert_eq!(quotes.len(), 2);
    assert!(quotes.iter().all(|q| !q.text.contains(EMAIL) && !q.text.contains(PHONE)));
    let public = app.get(&format!("/consultations/{SLUG}/you-said-we-did"), None).await;
    assert_eq!(public.status, StatusCode::OK);
    assert!(public.body.contains("[email address removed]"), "{}", public.main());
    assert!(!public.body.contains(EMAIL) && !public.body.contains(PHONE));

    // Withdraw the quote with the markers: gone from the public page, kept as withdrawn.
    let after = app.get(&publish_path(id), Some(&cookie)).await;
    assert!(after.body.contains("Publish again"));
    let theme = quotes[0].theme;
    let body = format!("theme={theme}&response={}", ids[0]);
    let withdrawn = app.post_form(&format!("{}/withdraw", publish_path(id)), &body, Some(&cookie)).await;
    assert_eq!(withdrawn.status, StatusCode::SEE_OTHER);
    assert_eq!(withdrawn.location(), Some(format!("{}?done=withdrawn", publish_path(id)).as_str()));
    let public = app.get(&format!("/consultations/{SLUG}/you-said-we-did"), None).await;
    assert!(!public.body.contains("[email address removed]"), "{}", public.main());
    assert!(public.body.contains("More police patrols"));

    // Publishing again does not put it back.
    let again = app.post_form(&publish_path(id), "", Some(&cookie)).await;
    assert_eq!(again.status, StatusCode::SEE_OTHER);
    let quotes = app.store.published_quotes(id).await.expect("quotes");
    let first = quotes.iter().find(|q| q.response == ids[0]).expect("still listed");
    assert!(first.withdrawn, "a withdrawn quote stays withdrawn");
    let page = app.get(&publish_path(id), Some(&cookie)).await;
    assert!(page.body.contains("Withdrawn"), "{}", page.main());

    // A stale withdraw form is said to be stale, not an error.
    let stale = app.post_form(&format!("{}/withdraw", publish_path(id)), "theme=x&response=y", Some(&cookie)).await;
    assert_eq!(stale.location(), Some(format!("{}?done=gone", publish_path(id)).as_str()));
}

#[tokio::test]
async fn viewers_can_read_the_pages_but_are_refused_every_change() {
    let (app, id, ids, set) = themed().await;
    app.store.finalise_theme_set(&actor(), set).await.expect("final");
    let editor = app.signed_in(Role::Approver).await;
    assert_eq!(app.post_form(&publish_path(id), "", Some(&editor)).await.status, StatusCode::SEE_OTHER);
    let theme = app.store.published_quotes(id).await.expect("quotes")[0].theme;
    let viewer = app.signed_in(Role::Viewer).await;
    let audit = app.store.audit_log(1000, 0).await.expect("audit").len();

    let page = app.get(&publish_path(id), Some(&viewer)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("Withdraw<"), "no buttons for viewers");
    for (path, body) in [
        (publish_path(id), String::new()),
        (format!("{}/withdraw", publish_path(id)), format!("theme={theme}&response={}", ids[0])),
        (population_path(id), format!("source=ONS&text={}", encode(&population_csv()))),
    ] {
        let response = app.post_form(&path, &body, Some(&viewer)).await;
        assert_eq!(response.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit, "nothing changed");
    assert!(app.store.published_quotes(id).await.expect("quotes").iter().all(|q| !q.withdrawn));
}
