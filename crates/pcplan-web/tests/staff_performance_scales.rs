//! Grade scales through HTTP, on the demo plan (West Midlands): the preset until the body
//! sets its own; editors add a Blue, Green, Yellow, Red scale typed one grade per line,
//! a bad line refused by its number beside the field with nothing stored; a grade given
//! on a scale keeps its scale and its code (changing or removing them is refused and
//! says why); an unused scale is removed. Viewers read but change nothing.

mod common;

use axum::http::StatusCode;
use common::{TestApp, encode};
use pcplan_demo::ids::{BODY, MEA_VICTIM_SATISFACTION};
use pcplan_domain::grade::GradeEntry;
use pcplan_store::{Actor, Role};

const SCALES: &str = "/staff/performance/scales";

const COMMITMENTS: &str = "blue | Blue | blue | Delivered\n\
                           green | Green | green | On track to deliver as planned\n\
                           yellow | Yellow | yellow | Some slippage; expected to deliver with a revised date\n\
                           red | Red | red | Will not deliver without intervention";

fn form(original: &str, name: &str, grades: &str) -> String {
    format!("body={BODY}&original={}&name={}&grades={}", encode(original), encode(name), encode(grades))
}

#[tokio::test]
async fn editors_set_the_bodys_own_scales_and_grades_given_keep_theirs() {
    let app = TestApp::with_demo().await;
    let editor = app.signed_in(Role::Editor).await;
    let viewer = app.signed_in(Role::Viewer).await;

    let preset = app.get(&format!("{SCALES}?body={BODY}"), Some(&viewer)).await;
    assert_eq!(preset.status, StatusCode::OK);
    assert!(preset.main().contains("Red, Amber, Green") && preset.main().contains("<code>ungraded</code>"));
    assert!(!preset.main().contains("Add the scale"), "viewers get no form");
    let refused = app.post_form(SCALES, &form("", "Commitment status", COMMITMENTS), Some(&viewer)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);

    // A colour that is not one, and a line with too few parts, each named by its line.
    let bad = COMMITMENTS.replace("yellow | Yellow | yellow", "yellow | Yellow | magenta");
    let magenta = app.post_form(SCALES, &form("", "Commitment status", &bad), Some(&editor)).await;
    assert_eq!(magenta.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(magenta.body.contains("id=\"grades-error\""), "{}", magenta.main());
    assert!(magenta.main().contains("Line 3, colour: `magenta` is not one of the colours"), "{}", magenta.main());
    let short = app.post_form(SCALES, &form("", "Commitment status", "blue | Blue"), Some(&editor)).await;
    assert!(short.main().contains("Line 1 has 2 part(s)"), "{}", short.main());
    assert_eq!(app.store.grade_scales(BODY).await.expect("scales").len(), 1, "nothing stored");

    let added = app.post_form(SCALES, &form("", "Commitment status", COMMITMENTS), Some(&editor)).await;
    assert_eq!(added.status, StatusCode::SEE_OTHER, "{}", added.body);
    let scales = app.store.grade_scales(BODY).await.expect("scales");
    assert_eq!(scales.iter().map(|s| s.name()).collect::<Vec<_>>(), ["Red, Amber, Green", "Commitment status"]);
    assert_eq!(scales[1].codes(), ["blue", "green", "yellow", "red"]);
    let page = app.get(&format!("{SCALES}?body={BODY}&done=saved"), Some(&editor)).await;
    assert!(page.main().contains("Grade scale saved"));
    assert!(page.main().contains("govuk-tag--blue\">Blue</strong>"), "{}", page.main());

    // The measure page offers the new grades.
    let measure = app.get(&format!("/staff/performance/measures/{MEA_VICTIM_SATISFACTION}"), Some(&editor)).await;
    assert!(measure.main().contains("Blue (Commitment status)"), "{}", measure.main());

    // A grade given on it: its code and its scale are kept.
    let entry = GradeEntry {
        period: "2022/23 Q1".parse().expect("a period"),
        grade: String::from("blue"),
        narrative: String::from("Delivered in June"),
    };
    app.store
        .record_grade(&Actor::system("test"), BODY, MEA_VICTIM_SATISFACTION, "Commitment status", &entry)
        .await
        .expect("a grade");
    let without_blue = COMMITMENTS.lines().skip(1).collect::<Vec<_>>().join("\n");
    let dropped =
        app.post_form(SCALES, &form("Commitment status", "Commitment status", &without_blue), Some(&editor)).await;
    assert_eq!(dropped.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(dropped.main().contains("are `blue`; keep a grade with that code"), "{}", dropped.main());
    let removal = format!("body={BODY}&name={}", encode("Commitment status"));
    let in_use = app.post_form(&format!("{SCALES}/remove"), &removal, Some(&editor)).await;
    assert_eq!(in_use.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(in_use.main().contains("keep that scale"), "{}", in_use.main());
    assert_eq!(app.store.grade_scales(BODY).await.expect("scales")[1].codes().len(), 4, "unchanged");

    // The preset, with no grades given on it, can go.
    let gone = app
        .post_form(
            &format!("{SCALES}/remove"),
            &format!("body={BODY}&name={}", encode("Red, Amber, Green")),
            Some(&editor),
        )
        .await;
    assert_eq!(gone.status, StatusCode::SEE_OTHER, "{}", gone.body);
    let left = app.store.grade_scales(BODY).await.expect("scales");
    assert_eq!(left.iter().map(|s| s.name()).collect::<Vec<_>>(), ["Commitment status"]);
}
