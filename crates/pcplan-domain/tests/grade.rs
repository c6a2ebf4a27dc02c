//! Grade scales: the Red, Amber, Green preset, a body's own scale (the Blue, Green,
//! Yellow, Red commitment statuses some offices use), the checks on a scale with errors
//! that name the grade and field, and grade entries checked against their scale.

use pcplan_domain::grade::{
    Colour, GradeEntry, GradeEntryError, GradeInput, GradeProblem, GradeScale, GradeScaleInput,
};
use pcplan_domain::period::Period;

fn input(code: &str, label: &str, colour: &str) -> GradeInput {
    GradeInput { code: code.into(), label: label.into(), meaning: String::new(), colour: colour.into() }
}

fn commitment_scale() -> GradeScaleInput {
    GradeScaleInput {
        name: "Commitment status".into(),
        grades: vec![
            input("blue", "Blue", "blue"),
            input("green", "Green", "green"),
            input("yellow", "Yellow", "yellow"),
            input("red", "Red", "red"),
        ],
    }
}

fn problems(scale: GradeScaleInput) -> Vec<GradeProblem> {
    GradeScale::parse(scale).expect_err("an invalid scale").0
}

fn problem(path: &str, text: &str) -> GradeProblem {
    GradeProblem { path: path.into(), problem: text.into() }
}

fn quarter() -> Period {
    "2023/24 Q2".parse().expect("a quarter")
}

#[test]
fn the_preset_is_green_amber_red_and_ungraded() {
    let rag = GradeScale::rag();
    assert_eq!(rag.codes(), ["green", "amber", "red", "ungraded"]);
    let colours: Vec<Colour> = rag.grades().iter().map(|g| g.colour).collect();
    assert_eq!(colours, [Colour::Green, Colour::Amber, Colour::Red, Colour::Grey]);
    assert!(rag.grades().iter().all(|g| !g.label.is_empty() && !g.meaning.is_empty()));
    // The preset passes its own checks.
    let round_trip: GradeScale =
        serde_json::from_value(serde_json::to_value(&rag).expect("serialises")).expect("reads back");
    assert_eq!(round_trip, rag);
}

#[test]
fn a_blue_green_yellow_red_commitment_scale_is_accepted() {
    let scale = GradeScale::parse(commitment_scale()).expect("a valid scale");
    assert_eq!(scale.name(), "Commitment status");
    assert_eq!(scale.codes(), ["blue", "green", "yellow", "red"]);
    assert_eq!(scale.grade("yellow").map(|g| g.colour.govuk_tag_class()), Some("govuk-tag--yellow"));
    assert_eq!(Colour::Amber.govuk_tag_class(), "govuk-tag--orange");
}

#[test]
fn scales_refuse_too_few_or_too_many_grades() {
    let one = GradeScaleInput { name: "One".into(), grades: vec![input("a", "A", "green")] };
    assert_eq!(problems(one), [problem("grades", "has 1 grade(s); a scale needs between 2 and 8")]);
    let nine = GradeScaleInput {
        name: "Nine".into(),
        grades: (0..9).map(|i| input(&format!("g{i}"), &format!("Grade {i}"), "grey")).collect(),
    };
    assert_eq!(problems(nine), [problem("grades", "has 9 grade(s); a scale needs between 2 and 8")]);
}

#[test]
fn every_problem_names_the_grade_index_and_field() {
    let mut scale = commitment_scale();
    scale.name = " ".into();
    scale.grades[1].code = "BLUE".into(); // same as grades[0], ignoring case
    scale.grades[2].label = "".into();
    scale.grades[3].colour = "teal".into();
    scale.grades.push(input("not a code", "Other", "grey"));
    assert_eq!(
        problems(scale),
        [
            problem("name", "is empty; give the scale a name such as `Commitment status`"),
            problem("grades[1].code", "`BLUE` is already the code of grades[0]; every grade needs its own code"),
            problem(
                "grades[2].label",
                "is empty; every grade needs a label, since colour alone is not enough to read it"
            ),
            problem(
                "grades[3].colour",
                "`teal` is not one of the colours green, amber, red, blue, yellow, grey, purple, turquoise, pink"
            ),
            problem(
                "grades[4].code",
                "`not a code` is not a code; use up to 32 letters, digits, `-` or `_`, such as `green`"
            ),
        ]
    );
}

#[test]
fn a_stored_scale_is_checked_when_read() {
    let json = serde_json::json!({
        "name": "Broken",
        "grades": [
            { "code": "a", "label": "A", "colour": "green" },
            { "code": "", "label": "B", "colour": "red" }
        ]
    });
    let error = serde_json::from_value::<GradeScale>(json).expect_err("an empty code");
    assert!(error.to_string().contains("grades[1].code: is empty"), "{error}");
}

#[test]
fn an_entry_must_use_a_code_of_its_scale_and_give_a_narrative() {
    let scale = GradeScale::parse(commitment_scale()).expect("a valid scale");
    let entry =
        GradeEntry { period: quarter(), grade: "yellow".into(), narrative: "Hub opening slipped to May".into() };
    assert_eq!(entry.check(&scale), Ok(()));

    let amber = GradeEntry { grade: "amber".into(), ..entry.clone() };
    let error = amber.check(&scale).expect_err("amber is not in this scale");
    assert_eq!(
        error.to_string(),
        "grade `amber` for 2023/24 Q2 is not in the scale `Commitment status`; use one of `blue`, `green`, `yellow`, `red`"
    );
    assert!(amber.check(&GradeScale::rag()).is_ok(), "the same entry fits the preset");

    let silent = GradeEntry { narrative: "  ".into(), ..entry };
    assert_eq!(silent.check(&scale), Err(GradeEntryError::NoNarrative { code: "yellow".into(), period: quarter() }));
}
