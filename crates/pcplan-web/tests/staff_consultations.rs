//! The staff consultation pages through HTTP: creating an exercise (errors beside the
//! fields), its questions with choice options, events and a response typed in by staff,
//! finding themes in sixty answers, reviewing them through the forms (rename, merge,
//! split, move, delete, each person's placing marked), making a version final and
//! starting a new draft, the breakdown tables, the link from a theme to the plan, and
//! viewers who read everything but change nothing.

mod common;

use axum::http::StatusCode;
use common::TestApp;
use common::consultation::{EVENT, EXERCISE, QUESTION, SPARE, Seeded, exercise_with_answers, seed, sixty_answers};
use pcplan_store::Role;

async fn editor() -> (TestApp, String) {
    let app = TestApp::with_demo().await;
    let cookie = app.signed_in(Role::Editor).await;
    (app, cookie)
}

async fn seeded_editor() -> (TestApp, String, Seeded) {
    let (app, cookie) = editor().await;
    let seeded = seed(&app.store).await;
    (app, cookie, seeded)
}

fn exercise_path() -> String {
    format!("/staff/consultations/{EXERCISE}")
}

/// The page a 303 leads to.
async fn follow(app: &TestApp, response: &common::TestResponse, cookie: &str) -> common::TestResponse {
    assert_eq!(response.status, StatusCode::SEE_OTHER, "{}", response.body);
    let location = response.location().expect("a redirect has a location").to_string();
    let page = app.get(&location, Some(cookie)).await;
    assert_eq!(page.status, StatusCode::OK, "{location}: {}", page.body);
    page
}

/// The value of the hidden input `name`.
fn hidden(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\" value=\"");
    let start = body.find(&marker).map(|i| i + marker.len()).expect("the hidden field");
    body[start..].split('"').next().unwrap_or_default().to_string()
}

/// The part of `body` from `start` to the end of the table it is in.
fn table_from<'a>(body: &'a str, start: &str) -> &'a str {
    let from = body.find(start).unwrap_or_else(|| panic!("`{start}` in the page"));
    let rest = &body[from..];
    &rest[..rest.find("</table>").unwrap_or(rest.len())]
}

/// The row of a table whose heading cell is `label`.
fn row<'a>(table: &'a str, label: &str) -> &'a str {
    let marker = format!("{label}</th>");
    let from = table.find(&marker).unwrap_or_else(|| panic!("row `{label}` in {table}"));
    let rest = &table[from..];
    &rest[..rest.find("</tr>").unwrap_or(rest.len())]
}

fn cells(values: &[&str]) -> String {
    values.iter().map(|v| format!("<td class=\"govuk-table__cell govuk-table__cell--numeric\">{v}</td>")).collect()
}

#[tokio::test]
async fn an_exercise_is_created_through_the_form_and_a_bad_one_is_shown_with_errors_beside_its_fields() {
    let (app, cookie) = editor().await;
    let list = app.get("/staff/consultations", Some(&cookie)).await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(list.body.contains("Create an exercise") && list.body.contains("There are no consultation exercises yet"));

    let bad = "title=&kind=public_survey&slug=Bad+Slug&summary=S&opens-day=2&opens-month=6&opens-year=2021\
               &closes-day=1&closes-month=6&closes-year=2021&channels=online_survey";
    let refused = app.post_form("/staff/consultations", bad, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    let main = refused.main();
    for text in [
        "Enter the title of the exercise",
        "is not a web address part",
        "The closing date (2021-06-01) must be on or after the opening date (2021-06-02)",
        "Enter the privacy notice respondents read before they submit",
        "href=\"#closes-day\"",
        "value=\"Bad Slug\"",
        "id=\"title-error\"",
    ] {
        assert!(main.contains(text), "`{text}` in {main}");
    }
    assert!(refused.body.contains("<title>Error: Consultations"));
    assert!(app.store.exercises(None).await.expect("read").is_empty(), "nothing stored");

    let plan = pcplan_demo::ids::PLAN;
    let good = format!(
        "title=Survey+2021&kind=public_survey&slug=survey-2021&summary=Tell+us&opens-day=1&opens-month=6\
         &opens-year=2021&closes-day=30&closes-month=6&closes-year=2021&channels=online_survey&channels=youth\
         &privacy_notice=We+keep+answers&plan={plan}"
    );
    let created = app.post_form("/staff/consultations", &good, Some(&cookie)).await;
    let page = follow(&app, &created, &cookie).await;
    for text in ["Exercise created", "Survey 2021", "open for 30 days", "at least 6 weeks (42 days)", "Youth channels"]
    {
        assert!(page.body.contains(text), "`{text}` in {}", page.main());
    }
    let stored = app.store.exercises(None).await.expect("read");
    assert_eq!(stored.len(), 1);
    let e = &stored[0];
    assert_eq!(e.content.plan, Some(plan));
    assert_eq!(
        e.content.channels,
        [pcplan_domain::consultation::Channel::OnlineSurvey, pcplan_domain::consultation::Channel::Youth]
    );
    let list = app.get("/staff/consultations", Some(&cookie)).await;
    assert!(list.body.contains("Survey 2021") && list.body.contains("Public survey"));

    let edit_path = format!("/staff/consultations/{}/edit", e.id);
    let form = app.get(&edit_path, Some(&cookie)).await;
    assert!(form.body.contains("value=\"survey-2021\""), "the edit form starts from what is stored");
    let longer = good
        .replace("closes-day=30&closes-month=6", "closes-day=31&closes-month=7")
        .replace("Survey+2021", "Survey+2021+extended");
    let saved = app.post_form(&edit_path, &longer, Some(&cookie)).await;
    let page = follow(&app, &saved, &cookie).await;
    assert!(page.body.contains("Survey 2021 extended") && !page.body.contains("open for 30 days"));
}

#[tokio::test]
async fn questions_with_options_events_and_a_typed_in_response_are_added_through_the_forms() {
    let (app, cookie, _) = seeded_editor().await;
    let base = exercise_path();

    let form = app.get(&format!("{base}/questions/new"), Some(&cookie)).await;
    assert!(form.body.contains("name=\"number\" type=\"text\" value=\"4\""), "the next number is offered");
    let refused =
        app.post_form(&format!("{base}/questions"), "number=4&text=&kind=single&options=Only", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Enter the question"));
    assert!(refused.body.contains("A choice question needs at least two options"));
    let added = app
        .post_form(
            &format!("{base}/questions"),
            "number=4&text=Which+matter+most&kind=multiple&options=Patrols%0D%0ARoads%0D%0AVictims&required=yes",
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &added, &cookie).await;
    assert!(page.body.contains("Question added") && page.body.contains("Question 4: Which matter most"));
    assert!(page.body.contains("<li>Roads</li>"));
    let questions = app.store.questions(EXERCISE).await.expect("questions");
    let q4 = questions.iter().find(|q| q.content.number == 4).expect("question 4");
    assert_eq!(q4.content.options, ["Patrols", "Roads", "Victims"]);
    assert!(q4.content.required);

    let change = app.get(&format!("{base}/questions/{}", q4.id), Some(&cookie)).await;
    assert!(change.body.contains("Patrols\nRoads\nVictims"), "options one per line");
    let saved = app
        .post_form(
            &format!("{base}/questions/{}", q4.id),
            "number=4&text=Which+matter+most+to+you&kind=multiple&options=Patrols%0ARoads%0AVictims",
            Some(&cookie),
        )
        .await;
    assert!(follow(&app, &saved, &cookie).await.body.contains("Which matter most to you"));

    let confirm = app.get(&format!("{base}/questions/{SPARE}/remove"), Some(&cookie)).await;
    assert!(confirm.body.contains("Remove question 3?"));
    let remove = format!("{base}/questions/{SPARE}/remove");
    let removed = app.send_empty(axum::http::Method::POST, &remove, Some(&cookie)).await;
    assert!(follow(&app, &removed, &cookie).await.body.contains("Question removed"));
    let remove = format!("{base}/questions/{QUESTION}/remove");
    let answered = app.send_empty(axum::http::Method::POST, &remove, Some(&cookie)).await;
    assert_eq!(answered.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(answered.body.contains("The question has 12 answer(s) and cannot be removed"));

    let event = "title=Youth+session&held_on-day=20&held_on-month=6&held_on-year=2021&place=Library&chair=Deputy\
                 &organisers=Youth+network&attendees=12&attendee_groups=Youth+council";
    let added = app.post_form(&format!("{base}/events"), event, Some(&cookie)).await;
    let page = follow(&app, &added, &cookie).await;
    assert!(page.body.contains("Youth session") && page.body.contains("Youth network"));
    let late = event.replace("held_on-year=2021", "held_on-year=2022");
    let refused = app.post_form(&format!("{base}/events"), &late, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("The event must be held while the exercise runs (2021-05-13 to 2021-07-02)"));
    assert!(refused.body.contains("href=\"#held_on-day\""));
    let changed = app
        .post_form(
            &format!("{base}/events/{EVENT}"),
            "title=Roundtable+on+patrols&held_on-day=10&held_on-month=6&held_on-year=2021",
            Some(&cookie),
        )
        .await;
    assert!(follow(&app, &changed, &cookie).await.body.contains("Roundtable on patrols"));

    let form = app.get(&format!("{base}/responses/new"), Some(&cookie)).await;
    assert!(form.body.contains("The respondent agreed to the privacy notice"));
    let token = hidden(&form.body, "token");
    let response = format!(
        "token={token}&channel=written_submission&received-day=2&received-month=6&received-year=2021\
         &q-1=Letter+about+burglary+in+Solihull&q-2=Not+safe&q-4=Roads&q-4=Victims&respondent_type=resident\
         &area=E08000029&organisation=&publish_consent=yes"
    );
    let refused = app.post_form(&format!("{base}/responses"), &response, Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Confirm that the respondent agreed to the privacy notice"));
    assert!(refused.body.contains("Letter about burglary in Solihull"), "what was typed is kept");
    assert_eq!(app.store.responses(EXERCISE, 0, 0).await.expect("count").0, 12, "nothing stored");
    let saved = app.post_form(&format!("{base}/responses"), &format!("{response}&consent=yes"), Some(&cookie)).await;
    let page = follow(&app, &saved, &cookie).await;
    for text in [
        "Response saved with reference 13",
        "Written submission",
        "Letter about burglary",
        "Solihull",
        "Roads; Victims",
    ] {
        assert!(page.body.contains(text), "`{text}` in {}", page.main());
    }
    let again = app.post_form(&format!("{base}/responses"), &format!("{response}&consent=yes"), Some(&cookie)).await;
    assert!(follow(&app, &again, &cookie).await.body.contains("This response was already saved, with reference 13"));
    assert_eq!(app.store.responses(EXERCISE, 0, 0).await.expect("count").0, 13, "a double click stores once");
    let notes = response.replace("channel=written_submission", "channel=event").replace(&token, "");
    let refused = app.post_form(&format!("{base}/responses"), &format!("{notes}&consent=yes"), Some(&cookie)).await;
    assert!(refused.body.contains("Select the event whose notes these are"), "{}", refused.main());

    let list = app.get(&format!("{base}/responses"), Some(&cookie)).await;
    assert!(list.body.contains("13 responses") && list.body.contains("Letter about burglary in Solihull"));
    let page = app.get(&base, Some(&cookie)).await;
    let channels = table_from(&page.body, "Responses by channel");
    let written = row(channels, "Written submission");
    assert!(written.contains(">3</td>") && written.contains(">23%</td>"), "{channels}");
}

#[tokio::test]
async fn sixty_answers_give_a_draft_version_whose_themes_staff_review_through_the_forms() {
    let (app, cookie) = editor().await;
    let (exercise, question) = exercise_with_answers(&app.store, "sixty", &sixty_answers()).await;
    let analyse = format!("/staff/consultations/{exercise}/questions/{question}/analyse");
    let refused = app.post_form(&analyse, "themes=many", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Number of themes must be a whole number from 1 to 70, or left empty"));

    let found = app.post_form(&analyse, "themes=", Some(&cookie)).await;
    let page = follow(&app, &found, &cookie).await;
    let sets = app.store.theme_sets(question).await.expect("versions");
    assert_eq!(sets.len(), 1);
    let (set, themes) = app.store.theme_set(sets[0].id).await.expect("read").expect("the version");
    assert!(themes.len() >= 3, "three subjects give at least three themes: {themes:?}");
    for text in [
        "Themes found and saved as a draft version",
        "Themes of question 1: version 1",
        "Draft",
        // What follows says why not embeddings, which depends on the build.
        "Themes were found with TF-IDF and NMF: ",
        "Responses in each theme by respondent type",
    ] {
        assert!(page.body.contains(text), "`{text}` in {}", page.main());
    }
    for theme in &themes {
        assert!(page.body.contains(&format!("{}. {}", theme.position, theme.label)), "{}", theme.label);
    }
    let exercise_page = app.get(&format!("/staff/consultations/{exercise}"), Some(&cookie)).await;
    assert!(exercise_page.body.contains("Version 1") && exercise_page.body.contains("Found by the machine"));
    let set_path = format!("/staff/theme-sets/{}", set.id);
    let theme_path = |i: usize| format!("/staff/themes/{}", themes[i].id);

    // Rename, and a name left empty.
    let rename = format!("{}/rename", theme_path(0));
    let renamed = app.post_form(&rename, "label=Police+patrols&description=Seen+on+foot", Some(&cookie)).await;
    let page = follow(&app, &renamed, &cookie).await;
    assert!(page.body.contains("1. Police patrols") && page.body.contains("Seen on foot"));
    let empty = app.post_form(&format!("{}/rename", theme_path(0)), "label=+&description=", Some(&cookie)).await;
    assert_eq!(empty.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(empty.body.contains("Enter a name for the theme") && empty.body.contains("href=\"#label-1\""));

    // Move the first response of theme 1 to theme 2: marked as a person's.
    let members = app.store.theme_members(themes[0].id).await.expect("members");
    let moving = &members[0];
    let moved = app
        .post_form(
            &format!("{}/move", theme_path(0)),
            &format!("response={}&to={}", moving.response, themes[1].id),
            Some(&cookie),
        )
        .await;
    assert!(follow(&app, &moved, &cookie).await.body.contains("Response moved"));
    let second = app.get(&theme_path(1), Some(&cookie)).await;
    let line = row(&second.body, &format!(">{}</a>", moving.reference));
    assert!(line.contains("Moved by a person (Test Editor)"), "{line}");
    assert!(second.body.contains("Machine, score"), "the machine's own are scored");

    // Split two responses of theme 2 off into a new theme.
    let members = app.store.theme_members(themes[1].id).await.expect("members");
    let split = format!("label=Speed+cameras&responses={}&responses={}", members[0].response, members[1].response);
    let done = app.post_form(&format!("{}/split", theme_path(1)), &split, Some(&cookie)).await;
    let page = follow(&app, &done, &cookie).await;
    assert!(page.body.contains("Speed cameras"), "{}", page.main());
    let (_, now) = app.store.theme_set(set.id).await.expect("read").expect("version");
    let new = now.iter().find(|t| t.label == "Speed cameras").expect("the new theme");
    let new_members = app.store.theme_members(new.id).await.expect("members");
    assert_eq!(new_members.len(), 2);
    assert!(new_members.iter().all(|m| m.assigned_by.is_some() && m.score.is_none()), "split is a person's placing");
    let none = app.post_form(&format!("{}/split", theme_path(1)), "label=Nothing", Some(&cookie)).await;
    assert_eq!(none.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(none.body.contains("Choose the responses that belong to the new theme"));

    // Merge theme 3 into theme 1.
    let merge = format!("{}/merge", theme_path(0));
    let merged = app.post_form(&merge, &format!("from={}", themes[2].id), Some(&cookie)).await;
    let page = follow(&app, &merged, &cookie).await;
    assert!(page.body.contains("Themes merged"), "{}", page.main());
    assert!(!page.body.contains(&format!(". {}</a></h3>", themes[2].label)), "{}", page.main());
    let (_, now) = app.store.theme_set(set.id).await.expect("read").expect("version");
    assert!(now.iter().all(|t| t.id != themes[2].id), "the merged theme is gone");

    // Delete the split-off theme after its confirmation: its answers go to Other.
    let delete = format!("/staff/themes/{}/delete", new.id);
    assert!(app.get(&delete, Some(&cookie)).await.body.contains("Delete the theme \u{201c}Speed cameras\u{201d}?"));
    let deleted = app.send_empty(axum::http::Method::POST, &delete, Some(&cookie)).await;
    let page = follow(&app, &deleted, &cookie).await;
    assert!(page.body.contains("Theme deleted") && !page.body.contains("Speed cameras"));
    let other = app.store.unthemed(set.id).await.expect("other");
    assert!(other.len() >= 2, "the split-off answers are in Other");

    // Add one back from Other.
    let other_page = app.get(&format!("{set_path}/other"), Some(&cookie)).await;
    assert!(other_page.body.contains("Answers in no theme (Other)") && other_page.body.contains("Add to theme"));
    let added = app
        .post_form(
            &format!("{set_path}/other"),
            &format!("response={}&to={}", other[0].response, themes[0].id),
            Some(&cookie),
        )
        .await;
    assert!(follow(&app, &added, &cookie).await.body.contains("Response added to the theme"));
    let first = app.store.theme_members(themes[0].id).await.expect("members");
    assert!(first.iter().any(|m| m.response == other[0].response && m.assigned_by.is_some()));
    assert_eq!(app.store.unthemed(set.id).await.expect("other").len(), other.len() - 1);
}

#[tokio::test]
async fn too_few_answers_find_no_themes_and_the_page_says_why() {
    let (app, cookie) = editor().await;
    let texts: Vec<String> = ["More patrols", "Fewer burglaries", "Safer roads"].map(String::from).to_vec();
    let (exercise, question) = exercise_with_answers(&app.store, "three", &texts).await;
    let page = app
        .post_form(&format!("/staff/consultations/{exercise}/questions/{question}/analyse"), "themes=", Some(&cookie))
        .await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("No themes were saved"));
    assert!(page.body.contains("Too few answers to find themes"), "{}", page.main());
    assert!(app.store.theme_sets(question).await.expect("versions").is_empty());
}

#[tokio::test]
async fn a_final_version_refuses_review_and_a_new_draft_can_be_started_from_it() {
    let (app, cookie, s) = seeded_editor().await;
    let draft = format!("/staff/theme-sets/{}", s.draft);
    let confirm = app.get(&format!("{draft}/final"), Some(&cookie)).await;
    assert!(confirm.body.contains("Make version 2 of these themes final?"));
    let made = app.send_empty(axum::http::Method::POST, &format!("{draft}/final"), Some(&cookie)).await;
    let page = follow(&app, &made, &cookie).await;
    assert!(page.body.contains("This version is final") && page.body.contains("Start a new draft from this version"));
    assert!(!page.body.contains("Rename<span"), "a final version has no review forms");

    let rename = app
        .post_form(&format!("/staff/themes/{}/rename", s.themes[0]), "label=Too+late&description=", Some(&cookie))
        .await;
    assert_eq!(rename.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(rename.body.contains("Version 2 of these themes is final and cannot change; start a new draft from it"));
    let (_, themes) = app.store.theme_set(s.draft).await.expect("read").expect("version");
    assert_eq!(themes[0].label, "Visible policing");

    let started = app.send_empty(axum::http::Method::POST, &format!("{draft}/draft"), Some(&cookie)).await;
    let page = follow(&app, &started, &cookie).await;
    for text in ["New draft version started", "version 3", "Version 2", "Copied from an earlier version", "Make final"]
    {
        assert!(page.body.contains(text), "`{text}` in {}", page.main());
    }
    let newest = app.store.theme_sets(QUESTION).await.expect("versions")[0].id;
    let discard = format!("/staff/theme-sets/{newest}/discard");
    assert!(app.get(&discard, Some(&cookie)).await.body.contains("Discard draft version 3 of these themes?"));
    let gone = app.send_empty(axum::http::Method::POST, &discard, Some(&cookie)).await;
    assert!(follow(&app, &gone, &cookie).await.body.contains("Draft version of the themes discarded"));
    assert_eq!(app.store.theme_sets(QUESTION).await.expect("versions").len(), 2);
}

#[tokio::test]
async fn the_breakdown_tables_give_each_themes_count_and_its_share_of_the_column() {
    let (app, cookie, s) = seeded_editor().await;
    let page = app.get(&format!("/staff/theme-sets/{}", s.draft), Some(&cookie)).await;
    assert_eq!(page.status, StatusCode::OK);
    let body = &page.body;

    let areas = table_from(body, "Responses in each theme by local authority area");
    assert!(areas.contains("Birmingham <span class=\"govuk-body-s\">(of 6)</span>"), "{areas}");
    assert!(areas.contains("Not given <span class=\"govuk-body-s\">(of 2)</span>"));
    // Columns by code: not given, Birmingham (E08000025), Coventry (E08000026).
    assert!(row(areas, "1. Visible policing").contains(&cells(&["0 (0%)", "3 (50%)", "1 (25%)"])), "{areas}");
    assert!(row(areas, "3. Victims").contains(&cells(&["0 (0%)", "1 (17%)", "2 (50%)"])));

    // Business, resident, voluntary or community organisation, young person.
    let types = table_from(body, "Responses in each theme by respondent type");
    assert!(row(types, "1. Visible policing").contains(&cells(&["1 (100%)", "2 (29%)", "0 (0%)", "1 (33%)"])));
    let channels = table_from(body, "Responses in each theme by channel");
    assert!(row(channels, "2. Road safety").contains(&cells(&["2 (20%)", "1 (50%)"])), "{channels}");
    assert!(body.contains("2 answers are in no theme (Other)"));
    assert!(body.contains("<caption class=\"govuk-table__caption govuk-table__caption--s\">Responses in each theme"));
}

#[tokio::test]
async fn a_theme_is_linked_to_the_plan_records_it_shaped_or_says_why_not() {
    let (app, cookie, s) = seeded_editor().await;
    let plan = pcplan_demo::plan_file().plan;
    let title = |id| plan.item(id).map(|i| i.record.title().to_string()).expect("a demo record");
    let (objective, priority) = (pcplan_demo::ids::OBJ_REDUCING_CRIME, pcplan_demo::ids::PRI_ACQUISITIVE_CRIME);
    let theme = format!("/staff/themes/{}", s.themes[0]);
    let page = app.get(&theme, Some(&cookie)).await;
    assert!(page.body.contains("It shaped the plan") && page.body.contains("Not recorded yet"));
    assert!(page.body.contains(&format!("Objective: {}", title(objective))));

    let refused = app.post_form(&format!("{theme}/outcome"), "outcome=shaped&note=", Some(&cookie)).await;
    assert_eq!(refused.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(refused.body.contains("Choose at least one part of the plan the theme shaped"));
    assert!(refused.body.contains("Say what the plan does in response"));
    let unchosen = app.post_form(&format!("{theme}/outcome"), "note=x", Some(&cookie)).await;
    assert!(unchosen.body.contains("Select whether the theme shaped the plan"));

    let shaped = format!("outcome=shaped&items={objective}&items={priority}&note=A+new+priority+on+patrols");
    let saved = app.post_form(&format!("{theme}/outcome"), &shaped, Some(&cookie)).await;
    let page = follow(&app, &saved, &cookie).await;
    assert!(page.body.contains("It shaped the plan. We did: A new priority on patrols"), "{}", page.main());
    assert!(page.body.contains(&title(priority)));
    let (_, themes) = app.store.theme_set(s.draft).await.expect("read").expect("version");
    assert_eq!(
        themes[0].outcome,
        Some(pcplan_domain::consultation::ThemeOutcome::Shaped {
            items: vec![objective, priority],
            note: String::from("A new priority on patrols"),
        })
    );

    // A final version's theme takes an outcome too: it is what the office did with it.
    let (_, final_themes) = app.store.theme_set(s.final_set).await.expect("read").expect("version");
    let not_changed = app
        .post_form(
            &format!("/staff/themes/{}/outcome", final_themes[1].id),
            "outcome=not_changed&reason=For+the+councils+to+lead",
            Some(&cookie),
        )
        .await;
    let page = follow(&app, &not_changed, &cookie).await;
    assert!(page.body.contains("It did not change the plan, because: For the councils to lead"));
    let set = app.get(&format!("/staff/theme-sets/{}", s.draft), Some(&cookie)).await;
    assert!(set.body.contains("Shaped 2 part(s) of the plan"));
}

#[tokio::test]
async fn viewers_read_every_consultation_page_and_are_refused_every_change() {
    let app = TestApp::with_demo().await;
    let s = seed(&app.store).await;
    let cookie = app.signed_in(Role::Viewer).await;
    let pages = [
        String::from("/staff/consultations"),
        exercise_path(),
        format!("{}/responses", exercise_path()),
        format!("/staff/responses/{}", s.responses[0]),
        format!("/staff/theme-sets/{}", s.draft),
        format!("/staff/theme-sets/{}/other", s.draft),
        format!("/staff/themes/{}", s.themes[0]),
    ];
    for path in &pages {
        let page = app.get(path, Some(&cookie)).await;
        assert_eq!(page.status, StatusCode::OK, "{path}");
        for control in
            ["Create the exercise", "Find themes", "Make final", "Rename<span", "Move response", "Add to theme<"]
        {
            assert!(!page.body.contains(control), "{path} offers `{control}` to a viewer");
        }
        assert_eq!(app.get(path, None).await.status, StatusCode::SEE_OTHER, "{path} needs a sign-in");
    }
    let audit = app.store.audit_log(1000, 0).await.expect("audit").len();
    for (path, body) in [
        (format!("/staff/consultations/{EXERCISE}/questions/{QUESTION}/analyse"), "themes="),
        (format!("/staff/themes/{}/rename", s.themes[0]), "label=Viewer"),
        (format!("/staff/themes/{}/outcome", s.themes[0]), "outcome=not_changed&reason=No"),
    ] {
        assert_eq!(app.post_form(&path, body, Some(&cookie)).await.status, StatusCode::FORBIDDEN, "{path}");
    }
    assert_eq!(app.store.audit_log(1000, 0).await.expect("audit").len(), audit, "nothing changed");
    let dashboard = app.get("/staff", Some(&cookie)).await;
    assert!(dashboard.body.contains("href=\"/staff/consultations\""));
}
