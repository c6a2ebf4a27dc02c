//! The public consultation pages and the survey form: what a respondent sees, what is
//! stored (once, and only when it should be), the refusals of floods, oversized posts
//! and closed exercises, and "you said, we did", which shows what staff published and
//! never an answer itself.

mod common;

use std::net::SocketAddr;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::header::{CONTENT_LENGTH, CONTENT_TYPE};
use axum::http::{Method, StatusCode};
use chrono::{Days, NaiveDate};
use common::{TestApp, TestResponse, encode};
use pcplan_domain::consultation::{
    AnswerValue, Channel, EventContent, ExerciseContent, ExerciseKind, QuestionContent, QuestionKind, Submission,
    ThemeOutcome,
};
use pcplan_domain::{EventId, ExerciseId, QuestionId, ResponseId};
use pcplan_store::{Actor, NewResponse, NewTheme, NewThemeSet, PublishedQuote, Role, ThemeSetInfo};

/// Not the demo's own slug (`call-for-evidence-2021`), so the demo's consultation can
/// be loaded beside it one day without a clash.
const SLUG: &str = "have-your-say-2025";
const BIRMINGHAM: &str = "E08000025";
const Q_FOCUS: QuestionId = QuestionId::from_u128(0xa1);
const Q_SAFE: QuestionId = QuestionId::from_u128(0xa2);
const Q_CHANNELS: QuestionId = QuestionId::from_u128(0xa3);

fn actor() -> Actor {
    Actor::system("test")
}

fn today() -> NaiveDate {
    pcplan_web::today()
}

fn days_from_today(days: i64) -> NaiveDate {
    let today = today();
    if days >= 0 {
        today.checked_add_days(Days::new(days.unsigned_abs())).expect("a date")
    } else {
        today.checked_sub_days(Days::new(days.unsigned_abs())).expect("a date")
    }
}

fn exercise(slug: &str, opens: NaiveDate, closes: NaiveDate) -> ExerciseContent {
    ExerciseContent {
        title: String::from("Police and Crime Plan call for evidence"),
        kind: ExerciseKind::CallForEvidence,
        slug: slug.to_owned(),
        summary: String::from("Tell us what the new plan should focus on.\n\nEvery response is read."),
        opens,
        closes,
        channels: vec![Channel::OnlineSurvey, Channel::WrittenSubmission, Channel::Event],
        privacy_notice: String::from("The Commissioner's office holds your answers for two years to shape the plan."),
        plan: Some(pcplan_demo::ids::PLAN),
        note: String::from("Illustrative questions written for the demo"),
    }
}

/// The demo plan and body, and an exercise at `slug` with three questions: free text
/// (required, 100 characters), one choice and any choices.
async fn with_exercise(slug: &str, opens: NaiveDate, closes: NaiveDate) -> (TestApp, ExerciseId) {
    let app = TestApp::with_demo().await;
    let id = ExerciseId::new();
    app.store
        .create_exercise(&actor(), id, pcplan_demo::ids::BODY, &exercise(slug, opens, closes))
        .await
        .expect("exercise");
    app.store.set_exercise_public(&actor(), id, true).await.expect("public");
    let questions = [
        (
            Q_FOCUS,
            QuestionContent {
                number: 1,
                text: String::from("What should the plan focus on?"),
                hint: String::from("For example, crimes that worry you or services you use"),
                kind: QuestionKind::Open,
                options: Vec::new(),
                required: true,
                max_chars: 100,
            },
        ),
        (
            Q_SAFE,
            QuestionContent {
                number: 2,
                text: String::from("How safe do you feel where you live?"),
                hint: String::new(),
                kind: QuestionKind::Single,
                options: vec![String::from("Very safe"), String::from("Fairly safe"), String::from("Not safe")],
                required: false,
                max_chars: 5_000,
            },
        ),
        (
            Q_CHANNELS,
            QuestionContent {
                number: 3,
                text: String::from("How would you like to hear from us?"),
                hint: String::new(),
                kind: QuestionKind::Multiple,
                options: vec![String::from("E-mail"), String::from("Social media"), String::from("Post")],
                required: false,
                max_chars: 5_000,
            },
        ),
    ];
    for (qid, content) in &questions {
        app.store.add_question(&actor(), id, *qid, content).await.expect("question");
    }
    (app, id)
}

async fn open_exercise() -> (TestApp, ExerciseId) {
    with_exercise(SLUG, days_from_today(-7), days_from_today(30)).await
}

fn respond_path(slug: &str) -> String {
    format!("/consultations/{slug}/respond")
}

/// The one-time token from the form page.
fn token_of(form: &TestResponse) -> String {
    let marker = "name=\"token\" value=\"";
    let start = form.body.find(marker).expect("the form has a token") + marker.len();
    form.body[start..start + 32].to_owned()
}

async fn fresh_token(app: &TestApp) -> String {
    let form = app.get(&respond_path(SLUG), None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    token_of(&form)
}

/// A complete, valid response, form-encoded.
fn valid_body(token: &str) -> String {
    [
        ("token", token),
        ("q-1", "More officers on the street\r\nand faster answers to 101"),
        ("q-2", "Fairly safe"),
        ("q-3", "E-mail"),
        ("q-3", "Post"),
        ("respondent_type", "resident"),
        ("organisation", ""),
        ("area", BIRMINGHAM),
        ("age_band", "35 to 44"),
        ("publish_consent", "yes"),
        ("consent", "yes"),
    ]
    .iter()
    .map(|(k, v)| format!("{}={}", encode(k), encode(v)))
    .collect::<Vec<_>>()
    .join("&")
}

/// Posts a form body as a browser at `client` would (a peer address, as the server
/// gives handlers through `ConnectInfo`).
async fn post_from(app: &TestApp, client: &str, path: &str, body: String) -> TestResponse {
    let addr: SocketAddr = client.parse().expect("socket address");
    app.send(
        common::request(Method::POST, path, None)
            .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
            .extension(ConnectInfo(addr))
            .body(Body::from(body))
            .expect("request"),
    )
    .await
}

async fn stored(app: &TestApp, exercise: ExerciseId) -> i64 {
    app.store.responses(exercise, 0, 1).await.expect("responses").0
}

#[tokio::test]
async fn the_form_shows_the_privacy_notice_every_question_about_you_and_the_consent() {
    let (app, _) = open_exercise().await;
    let form = app.get(&respond_path(SLUG), None).await;
    assert_eq!(form.status, StatusCode::OK, "{}", form.body);
    assert_eq!(form.header("cache-control"), Some("private, no-cache"), "no shared cache hands out a token twice");
    let page = form.main();
    let privacy = page.find("The Commissioner&#39;s office holds your answers").expect("the privacy notice");
    let first_question = page.find("1. What should the plan focus on?").expect("question 1");
    assert!(privacy < first_question, "the privacy notice comes before the questions");
    for expected in [
        "<textarea class=\"govuk-textarea govuk-js-character-count\" id=\"q-1\" name=\"q-1\"",
        "data-maxlength=\"100\"",
        "You can enter up to 100 characters",
        "For example, crimes that worry you or services you use",
        "2. How safe do you feel where you live? (optional)",
        "id=\"q-2\" name=\"q-2\" type=\"radio\" value=\"Very safe\"",
        "id=\"q-2-3\" name=\"q-2\" type=\"radio\" value=\"Not safe\"",
        "3. How would you like to hear from us? (optional)",
        "name=\"q-3\" type=\"checkbox\" value=\"Social media\"",
        "Select all that apply.",
        "name=\"respondent_type\" type=\"radio\" value=\"victim_or_survivor\"",
        "<option value=\"E08000025\">Birmingham</option>",
        "What is your age? (optional)",
        "name=\"ethnic_group\" type=\"radio\" value=\"Prefer not to say\"",
        "name=\"publish_consent\" type=\"radio\" value=\"yes\"",
        "id=\"consent\" name=\"consent\" type=\"checkbox\" value=\"yes\"",
        "name=\"token\" value=\"",
    ] {
        assert!(page.contains(expected), "missing {expected}");
    }
    assert_eq!(token_of(&form).len(), 32);
    assert_ne!(token_of(&form), fresh_token(&app).await, "each form gets its own token");
}

#[tokio::test]
async fn a_valid_response_is_stored_once_even_when_posted_twice_with_the_same_token() {
    let (app, exercise) = open_exercise().await;
    let token = fresh_token(&app).await;
    let first = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), valid_body(&token)).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert!(first.main().contains("Response sent"));
    assert!(first.main().contains("<strong>HYS-000001</strong>"), "{}", first.main());
    let again = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), valid_body(&token)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert!(again.main().contains("<strong>HYS-000001</strong>"), "the same reference");
    assert!(again.main().contains("already been sent"));
    assert_eq!(stored(&app, exercise).await, 1);

    let (_, rows) = app.store.responses(exercise, 0, 10).await.expect("responses");
    let record = app.store.response(rows[0].id).await.expect("read").expect("stored");
    assert_eq!(record.channel, Channel::OnlineSurvey);
    assert_eq!(
        record.answers.get(&Q_FOCUS),
        Some(&AnswerValue::Text(String::from("More officers on the street\nand faster answers to 101"))),
        "line breaks are stored as one character each, as the character count counts them"
    );
    assert_eq!(
        record.answers.get(&Q_CHANNELS),
        Some(&AnswerValue::Choices(vec![String::from("E-mail"), String::from("Post")]))
    );
    assert_eq!(record.respondent.area.as_deref(), Some(BIRMINGHAM));
    assert_eq!(record.respondent.demographics.get("age_band").map(String::as_str), Some("35 to 44"));
    assert_eq!(record.publish_consent, Some(true));

    let second = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), valid_body(&fresh_token(&app).await)).await;
    assert!(second.main().contains("<strong>HYS-000002</strong>"), "a new form is a new response");
}

#[tokio::test]
async fn a_missing_consent_or_an_over_long_answer_is_shown_beside_its_field_and_nothing_is_stored() {
    let (app, exercise) = open_exercise().await;
    let token = fresh_token(&app).await;
    let long = "a".repeat(101);
    let body = format!(
        "token={token}&q-1={long}&q-2=Not+safe&organisation={}&area={BIRMINGHAM}&publish_consent=no",
        encode("Safer Streets Group")
    );
    let response = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), body).await;
    assert_eq!(response.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", response.body);
    assert!(response.body.contains("<title>Error: Respond: "), "the title says there is an error");
    let page = response.main();
    let summary = page.find("There is a problem").expect("an error summary");
    let q1 = page.find("<a href=\"#q-1\">Your answer is 101 characters; the limit is 100, so shorten it by 1</a>");
    let consent = page.find("<a href=\"#consent\">Confirm that you have read the privacy notice");
    assert!(q1.is_some() && consent.is_some(), "{page}");
    assert!(summary < q1.unwrap_or(0) && q1 < consent, "the summary lists the errors in page order");
    assert!(page.contains("<p id=\"q-1-error\" class=\"govuk-error-message\">"), "the message beside question 1");
    assert!(page.contains("<p id=\"consent-error\" class=\"govuk-error-message\">"), "the message beside consent");
    assert!(page.contains(&format!(">{long}</textarea>")), "the answer typed is kept");
    assert!(page.contains("value=\"Not safe\" checked"), "the choice made is kept");
    assert!(page.contains("value=\"Safer Streets Group\""));
    assert!(page.contains("<option value=\"E08000025\" selected>Birmingham</option>"));
    assert!(page.contains("value=\"no\" checked"));
    assert!(
        page.contains(&format!("name=\"token\" value=\"{token}\"")),
        "the same token, so the retry is one response"
    );
    assert_eq!(stored(&app, exercise).await, 0);

    let missing = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), format!("token={token}&consent=yes")).await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.main().contains("<a href=\"#q-1\">Answer this question; it is required</a>"));
    assert_eq!(stored(&app, exercise).await, 0);
}

#[tokio::test]
async fn an_oversized_post_is_refused_with_413_and_nothing_is_stored() {
    let (app, exercise) = open_exercise().await;
    let token = fresh_token(&app).await;
    let huge =
        format!("{}&q-1={}", valid_body(&token), "a".repeat(pcplan_web::public_consultations::SURVEY_BODY_LIMIT_BYTES));

    // Sent without a length (as a stream): counted as it arrives.
    let streamed = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), huge.clone()).await;
    assert_eq!(streamed.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", streamed.body);
    assert!(streamed.main().contains("Your response is too long to send here"));
    assert!(streamed.main().contains("e-mail it as a written submission"));

    // With its length declared: refused before a byte is read.
    let declared = app
        .send(
            common::request(Method::POST, &respond_path(SLUG), None)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(CONTENT_LENGTH, huge.len().to_string())
                .body(Body::from(huge))
                .expect("request"),
        )
        .await;
    assert_eq!(declared.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(declared.main().contains("Your response is too long to send here"));

    // Over the whole application's limit: the layer in front answers with the same page.
    let enormous = app
        .send(
            common::request(Method::POST, &respond_path(SLUG), None)
                .header(CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(CONTENT_LENGTH, (3 * 1024 * 1024).to_string())
                .body(Body::from("token=x"))
                .expect("request"),
        )
        .await;
    assert_eq!(enormous.status, StatusCode::PAYLOAD_TOO_LARGE);
    assert!(enormous.main().contains("Your response is too long to send here"));
    assert_eq!(stored(&app, exercise).await, 0);
}

#[tokio::test]
async fn the_eleventh_post_from_one_client_within_ten_minutes_gets_429_and_is_not_stored() {
    let (app, exercise) = open_exercise().await;
    for n in 1..=10 {
        let token = fresh_token(&app).await;
        let response = post_from(&app, "198.51.100.7:50000", &respond_path(SLUG), valid_body(&token)).await;
        assert_eq!(response.status, StatusCode::OK, "post {n}: {}", response.body);
    }
    let token = fresh_token(&app).await;
    let refused = post_from(&app, "198.51.100.7:50001", &respond_path(SLUG), valid_body(&token)).await;
    assert_eq!(refused.status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = refused.header("retry-after").expect("Retry-After").parse().expect("seconds");
    assert!((1..=600).contains(&retry), "{retry}");
    assert!(refused.main().contains("Too many responses have been sent from your internet connection"));
    assert!(refused.main().contains("Your answers have not been sent."));
    assert_eq!(stored(&app, exercise).await, 10);

    let other = post_from(&app, "198.51.100.8:50000", &respond_path(SLUG), valid_body(&token)).await;
    assert_eq!(other.status, StatusCode::OK, "another client is not held back");
    assert_eq!(stored(&app, exercise).await, 11);
}

#[tokio::test]
async fn the_limit_is_configurable_and_shared_by_clients_without_an_address() {
    let config = pcplan_web::WebConfig {
        survey_limits: pcplan_web::rate_limit::Limits { per_client: 1, ..pcplan_web::rate_limit::Limits::SURVEY },
        ..common::test_config()
    };
    let app = TestApp::with_config(config).await;
    app.store.import_plan(&actor(), &pcplan_demo::plan_file()).await.expect("demo");
    let id = ExerciseId::new();
    app.store
        .create_exercise(&actor(), id, pcplan_demo::ids::BODY, &exercise(SLUG, days_from_today(-1), days_from_today(1)))
        .await
        .expect("exercise");
    app.store.set_exercise_public(&actor(), id, true).await.expect("public");
    let first = app.post_form(&respond_path(SLUG), &format!("token={}&q-1=x&consent=yes", "1".repeat(32)), None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    let second = app.post_form(&respond_path(SLUG), &format!("token={}&q-1=y&consent=yes", "2".repeat(32)), None).await;
    assert_eq!(second.status, StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(stored(&app, id).await, 1);
}

#[tokio::test]
async fn a_closed_or_unopened_consultation_refuses_responses_and_stores_nothing() {
    let (app, exercise) = with_exercise(SLUG, days_from_today(-60), days_from_today(-1)).await;
    let form = app.get(&respond_path(SLUG), None).await;
    assert_eq!(form.status, StatusCode::GONE);
    assert!(form.main().contains("This consultation has closed"));
    let body = valid_body(&"a".repeat(32));
    let refused = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), body).await;
    assert_eq!(refused.status, StatusCode::GONE);
    assert!(refused.main().contains("Your answers have not been saved"));
    assert!(refused.main().contains("More officers on the street"), "the answers are given back to copy");
    assert_eq!(stored(&app, exercise).await, 0);
    let page = app.get(&format!("/consultations/{SLUG}"), None).await;
    assert!(page.main().contains("Responses can no longer be sent"));
    assert!(!page.main().contains("Start now"));

    let (app, exercise) = with_exercise("later", days_from_today(3), days_from_today(40)).await;
    assert_eq!(app.get(&respond_path("later"), None).await.status, StatusCode::FORBIDDEN);
    let refused = post_from(&app, "192.0.2.1:40000", &respond_path("later"), valid_body(&"b".repeat(32))).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(refused.main().contains("This consultation is not open yet"));
    assert_eq!(stored(&app, exercise).await, 0);
}

#[tokio::test]
async fn a_draft_exercise_is_on_no_public_page_and_takes_no_response_until_an_editor_makes_it_public() {
    let (app, exercise) = open_exercise().await;
    app.store.set_exercise_public(&actor(), exercise, false).await.expect("back to a draft");
    let list = app.get("/consultations", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(!list.body.contains(SLUG), "a draft is not listed");
    for path in [format!("/consultations/{SLUG}"), respond_path(SLUG), format!("/consultations/{SLUG}/you-said-we-did")]
    {
        assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND, "{path}");
    }
    let refused = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), valid_body(&"c".repeat(32))).await;
    assert_eq!(refused.status, StatusCode::NOT_FOUND);
    assert_eq!(stored(&app, exercise).await, 0);

    // The staff page says so, and the editor's button puts it on the public site.
    let staff = format!("/staff/consultations/{exercise}");
    let viewer = app.signed_in(Role::Viewer).await;
    let seen = app.get(&staff, Some(&viewer)).await;
    assert!(seen.main().contains("No: a draft only staff can see"));
    assert!(!seen.main().contains("Make the exercise public"), "a viewer has no button");
    assert_eq!(
        app.post_form(&format!("{staff}/public"), "public=yes", Some(&viewer)).await.status,
        StatusCode::FORBIDDEN
    );
    let editor = app.signed_in(Role::Approver).await;
    assert!(app.get(&staff, Some(&editor)).await.main().contains("Make the exercise public"));
    let odd = app.post_form(&format!("{staff}/public"), "public=maybe", Some(&editor)).await;
    assert_eq!(odd.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(odd.main().contains("Choose whether the exercise is on the public site"));
    let made = app.post_form(&format!("{staff}/public"), "public=yes", Some(&editor)).await;
    assert_eq!(made.status, StatusCode::SEE_OTHER);
    let page = app.get(made.location().expect("back to the exercise"), Some(&editor)).await;
    assert!(page.main().contains("The exercise is on the public site"));
    assert!(page.main().contains("Take the exercise off the public site"));
    assert_eq!(app.get(&format!("/consultations/{SLUG}"), None).await.status, StatusCode::OK);
    assert!(app.get("/consultations", None).await.body.contains(SLUG));
    assert!(app.store.exercise(exercise).await.expect("read").expect("found").public_at.is_some());
}

#[tokio::test]
async fn a_database_failure_says_the_answers_were_not_saved_and_gives_them_back() {
    let (app, _) = open_exercise().await;
    let token = fresh_token(&app).await;
    app.store.close().await;
    let response = post_from(&app, "192.0.2.1:40000", &respond_path(SLUG), valid_body(&token)).await;
    assert_eq!(response.status, StatusCode::SERVICE_UNAVAILABLE);
    let page = response.main();
    assert!(page.contains("your answers have not been saved"), "{page}");
    assert!(page.contains("More officers on the street\nand faster answers to 101</textarea>"), "to copy");
    assert!(page.contains(">E-mail; Post</textarea>"), "the options ticked, as one answer");
    assert!(page.contains(&format!("<input type=\"hidden\" name=\"token\" value=\"{token}\">")), "to send again");
    assert!(page.contains("Try sending again"));
}

#[tokio::test]
async fn the_list_and_the_exercise_page_show_dates_state_events_and_the_start_button() {
    let (app, exercise) = open_exercise().await;
    app.store
        .save_event(
            &actor(),
            exercise,
            EventId::new(),
            &EventContent {
                title: String::from("Roundtable with community safety partnerships"),
                held_on: today(),
                place: String::from("Lloyd House, Birmingham"),
                organisers: String::from("The OPCC"),
                chair: String::from("The Commissioner"),
                attendees: 24,
                attendee_groups: String::from("Community safety partnerships and councils"),
                notes: String::from("Private note: the chair of one partnership was critical"),
            },
        )
        .await
        .expect("event");
    let list = app.get("/consultations", None).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.main().contains("href=\"/consultations/have-your-say-2025\">Police and Crime Plan call for evidence"));
    assert!(list.body.contains("aria-current=\"true\">Consultations</a>"), "the navigation marks the section");

    let page = app.get(&format!("/consultations/{SLUG}"), None).await;
    assert_eq!(page.status, StatusCode::OK);
    let main = page.main();
    for expected in [
        "Every response is read.",
        "Illustrative questions written for the demo",
        "<strong class=\"govuk-tag govuk-tag--green\">Open</strong>",
        "Online survey",
        "href=\"/consultations/have-your-say-2025/respond\"",
        "Start now",
        "Roundtable with community safety partnerships",
        "Lloyd House, Birmingham",
        "The Commissioner",
        "24 people: Community safety partnerships and councils",
    ] {
        assert!(main.contains(expected), "missing {expected}");
    }
    assert!(!main.contains("Private note"), "an event's notes are for staff");
    assert!(!main.contains("you-said-we-did"), "no results link before publication");
    assert_eq!(app.get("/consultations/no-such-thing", None).await.status, StatusCode::NOT_FOUND);
    assert!(app.get("/", None).await.main().contains("href=\"/consultations\""));
}

/// Stores a response through the store, as an import or the form would.
async fn answer(app: &TestApp, exercise: ExerciseId, text: &str, consent: bool) -> ResponseId {
    let mut submission = Submission { consent: true, publish_consent: Some(consent), ..Submission::default() };
    submission.answers.insert(Q_FOCUS, AnswerValue::Text(text.to_owned()));
    app.store
        .submit_response(
            &actor(),
            exercise,
            &NewResponse {
                channel: Channel::OnlineSurvey,
                submission,
                fingerprint: format!("test:{text}"),
                event: None,
                received_at: chrono::Utc::now(),
                source_line: None,
            },
        )
        .await
        .expect("response")
        .id
}

#[tokio::test]
async fn you_said_we_did_is_hidden_until_published_then_shows_themes_counts_outcomes_and_redacted_quotes() {
    let (app, exercise) = open_exercise().await;
    let path = format!("/consultations/{SLUG}/you-said-we-did");
    assert_eq!(app.get(&path, None).await.status, StatusCode::NOT_FOUND);

    let a =
        answer(&app, exercise, "Domestic abuse victims need support, says Jane Quillfeather of Elm Road", true).await;
    let b = answer(&app, exercise, "More help for victims of domestic abuse", true).await;
    let c = answer(&app, exercise, "Fix the potholes on my road", false).await;
    let theme = |label: &str, quotes: Vec<ResponseId>| NewTheme {
        label: label.to_owned(),
        key_phrases: vec![label.to_lowercase()],
        quotes,
    };
    let set = app
        .store
        .save_theme_set(
            &actor(),
            Q_FOCUS,
            &NewThemeSet {
                info: ThemeSetInfo { method: String::from("tfidf-nmf"), responses: 3, ..ThemeSetInfo::default() },
                themes: vec![
                    theme("Support for victims of domestic abuse", vec![a, b]),
                    theme("Roads and potholes", vec![c]),
                    theme("Everything else", Vec::new()),
                ],
                assignments: vec![(0, a, 0.9), (0, b, 0.8), (1, c, 0.7), (2, c, 0.1)],
            },
        )
        .await
        .expect("themes");
    app.store.finalise_theme_set(&actor(), set.id).await.expect("final");
    let (_, themes) = app.store.theme_set(set.id).await.expect("read").expect("set");

    // The plan in force on the public site (the demo's varied version).
    let public = pcplan_web::public::find_public_plan(&app.store).await.expect("read").expect("issued");
    let current = public.current().expect("a version in force").number;
    let plan = app.store.version(public.plan_id, current).await.expect("read").expect("version").plan;
    let shaped = pcplan_demo::ids::PRI_DOMESTIC_ABUSE;
    let shaped_title = plan.item(shaped).expect("in the plan in force").record.title().to_owned();
    let plan_items: Vec<_> = plan.items.iter().map(|i| i.id).collect();
    app.store
        .set_theme_outcome(
            &actor(),
            themes[0].id,
            &ThemeOutcome::Shaped {
                items: vec![shaped],
                note: String::from("Support for victims is now a priority with its own measures"),
            },
            &plan_items,
        )
        .await
        .expect("outcome");
    app.store
        .set_theme_outcome(
            &actor(),
            themes[1].id,
            &ThemeOutcome::NotChanged { reason: String::from("Roads are the council's responsibility") },
            &plan_items,
        )
        .await
        .expect("outcome");
    let quote = |response, position, text: &str, withdrawn| PublishedQuote {
        theme: themes[0].id,
        response,
        position,
        text: text.to_owned(),
        redactions: serde_json::json!([{"kind": "name"}]),
        withdrawn,
    };
    app.store
        .publish_you_said(
            &actor(),
            exercise,
            &[
                quote(a, 1, "Domestic abuse victims need support, says [name removed] of [address removed]", false),
                quote(b, 2, "More help for victims of domestic abuse (withdrawn quote)", true),
            ],
        )
        .await
        .expect("publish");

    let page = app.get(&path, None).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    let main = page.main();
    for expected in [
        "You said, we did",
        "3 responses in all.",
        "<th scope=\"row\" class=\"govuk-table__header\">Online survey</th>",
        "<th scope=\"row\" class=\"govuk-table__header\">Not given</th>",
        "3 responses answered this question.",
        "Support for victims of domestic abuse",
        "2 responses (67% of those who answered)",
        "Support for victims is now a priority with its own measures",
        &format!("href=\"/plan#item-{shaped}\">{shaped_title}</a>"),
        "Roads and potholes",
        "Why it did not change the plan",
        "Roads are the council&#39;s responsibility",
        "Everything else",
        "Not yet decided",
        "Domestic abuse victims need support, says [name removed] of [address removed]",
    ] {
        assert!(main.contains(expected), "missing {expected}:\n{main}");
    }
    for never in ["Quillfeather", "Elm Road", "Fix the potholes on my road", "(withdrawn quote)"] {
        assert!(!main.contains(never), "{never} must not be published");
    }
    let exercise_page = app.get(&format!("/consultations/{SLUG}"), None).await;
    assert!(exercise_page.main().contains(&format!("href=\"{path}\"")), "the exercise page links to the results");
}
