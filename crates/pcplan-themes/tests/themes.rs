//! End-to-end tests of `analyse` on the fixed corpus in `corpus.rs`.

mod corpus;

use std::collections::BTreeMap;

use pcplan_themes::{Analysis, Flag, Options, Response, analyse};

fn all_responses() -> Vec<Response> {
    let mut r: Vec<Response> = corpus::topical().into_iter().map(|(r, _)| r).collect();
    r.extend(corpus::campaign());
    r
}

fn top_theme(a: &Analysis, id: &str) -> Option<usize> {
    a.assignments.iter().find(|x| x.response_id == id).and_then(|x| x.themes.first()).map(|s| s.theme)
}

#[test]
fn themes_recover_the_three_topics() {
    let responses = all_responses();
    let a = analyse(&responses, &Options::default());
    let topical = corpus::topical();

    // Majority topic of each theme, then agreement of each response's top theme.
    let mut votes: BTreeMap<usize, BTreeMap<&str, usize>> = BTreeMap::new();
    for (r, topic) in &topical {
        if let Some(t) = top_theme(&a, &r.id) {
            *votes.entry(t).or_default().entry(topic).or_default() += 1;
        }
    }
    let majority: BTreeMap<usize, &str> =
        votes.iter().filter_map(|(t, v)| v.iter().max_by_key(|(_, c)| **c).map(|(topic, _)| (*t, *topic))).collect();
    let agree =
        topical.iter().filter(|(r, topic)| top_theme(&a, &r.id).and_then(|t| majority.get(&t)) == Some(topic)).count();
    assert!(agree * 10 >= topical.len() * 9, "only {agree} of {} agree; themes: {:#?}", topical.len(), a.themes);
    assert_eq!(a.themes.len(), 3, "themes: {:#?}", a.themes);

    let phrases: Vec<String> = a.themes.iter().map(|t| t.key_phrases.join(" | ")).collect();
    for expected in ["anti social behaviour", "speeding", "domestic abuse"] {
        assert!(
            phrases.iter().any(|p| p.contains(expected)),
            "no theme has {expected:?} among its key phrases: {phrases:#?}"
        );
    }
    for theme in &a.themes {
        assert!(!theme.quotes.is_empty() && theme.quotes.len() <= 3);
        assert!(!theme.label.is_empty());
    }
}

#[test]
fn a_copy_paste_campaign_is_detected_and_counted_once() {
    let responses = all_responses();
    let a = analyse(&responses, &Options::default());
    assert_eq!(a.responses, 80);
    assert_eq!(a.distinct_responses, 61);
    let campaign: Vec<_> = a.duplicate_groups.iter().filter(|g| g.campaign).collect();
    assert_eq!(campaign.len(), 1, "{:#?}", a.duplicate_groups);
    assert_eq!(campaign[0].size, 20);
    assert_eq!(campaign[0].representative, "campaign-0");

    // Every copy shares the representative's assignment, and counts once in a theme.
    let rep = top_theme(&a, "campaign-0");
    for i in 1..20 {
        assert_eq!(top_theme(&a, &format!("campaign-{i}")), rep);
    }
    let total: usize = a.themes.iter().map(|t| t.size).sum();
    let with_copies: usize = a.themes.iter().map(|t| t.size_with_duplicates).sum();
    assert!(total <= 61 * 2, "sizes count distinct responses");
    assert!(with_copies >= total + 19, "copies are reported in size_with_duplicates");
    // No campaign copy appears twice among the quotes.
    for theme in &a.themes {
        let copies = theme.quotes.iter().filter(|q| q.response_id.starts_with("campaign")).count();
        assert!(copies <= 1);
    }
}

#[test]
fn the_same_seed_gives_the_same_result() {
    let responses = all_responses();
    let a = analyse(&responses, &Options::default());
    let b = analyse(&responses, &Options::default());
    assert_eq!(a, b);
    assert_eq!(serde_json::to_string(&a).ok(), serde_json::to_string(&b).ok());
}

#[test]
fn no_theme_holds_fewer_than_five_responses() {
    let mut responses = all_responses();
    for (i, text) in [
        "Fireworks set off in the street scare the dogs, ban fireworks sales.",
        "Fireworks at midnight in the street, ban fireworks.",
        "Fireworks thrown at cars in the street, ban fireworks sales.",
    ]
    .iter()
    .enumerate()
    {
        responses.push(Response { id: format!("fireworks-{i}"), text: (*text).to_owned() });
    }
    let a = analyse(&responses, &Options { themes: Some(4), ..Options::default() });
    assert!(a.themes.iter().all(|t| !t.label.contains("fireworks")), "themes: {:#?}", a.themes);
    for theme in &a.themes {
        let top_count = a
            .assignments
            .iter()
            .filter(|x| x.duplicate_of.is_none())
            .filter(|x| x.themes.first().map(|s| s.theme) == Some(theme.id))
            .count();
        assert!(top_count >= 5, "theme {} holds {top_count}", theme.label);
    }
}

#[test]
fn no_more_than_seventy_themes_even_when_asked_for_more() {
    let responses = all_responses();
    let a = analyse(&responses, &Options { themes: Some(200), min_theme_responses: 1, ..Options::default() });
    assert!(a.themes.len() <= 70);
}

#[test]
fn empty_and_one_response_inputs_give_no_themes_without_panicking() {
    let a = analyse(&[], &Options::default());
    assert!(a.themes.is_empty() && a.assignments.is_empty());
    let one = [Response { id: "1".to_owned(), text: "Speeding on my road".to_owned() }];
    let a = analyse(&one, &Options::default());
    assert!(a.themes.is_empty());
    assert_eq!(a.assignments.len(), 1);
    assert!(a.assignments[0].themes.is_empty());
    let blank = [Response { id: "1".to_owned(), text: "   ".to_owned() }];
    assert!(analyse(&blank, &Options::default()).themes.is_empty());
}

#[test]
fn themes_sharing_most_of_their_responses_are_flagged() {
    // Five responses only on street lighting, five only on speeding and twenty on
    // both: the two themes share twenty of their twenty-five responses. (This once
    // used the whole corpus with no assignment threshold, relying on multiplicative
    // updates leaving every weight above zero; the coordinate-descent fit sets the
    // weights of unrelated themes to exactly zero, as it should.)
    let places = [
        "Ashby",
        "Bexley",
        "Carlton",
        "Dunmore",
        "Elmfield",
        "Fernhill",
        "Glebe",
        "Hawthorn",
        "Ivydale",
        "Juniper",
        "Kingsway",
        "Larkhill",
        "Millbrook",
        "Northgate",
        "Oakley",
        "Parkside",
        "Queensway",
        "Rosedale",
        "Southfield",
        "Thornbury",
    ];
    let responses: Vec<Response> = (0..30)
        .map(|i| {
            let place = places[i % places.len()];
            let lights = format!("The street lights on {place} are broken and the pavement is dark at night.");
            let speeding = format!("Cars are speeding far too fast down {place}, it is a danger.");
            let text = match i {
                0..5 => lights,
                5..10 => speeding,
                _ => format!("{lights} {speeding}"),
            };
            Response { id: format!("r{i}"), text }
        })
        .collect();
    let a = analyse(&responses, &Options { themes: Some(2), ..Options::default() });
    assert_eq!(a.themes.len(), 2, "themes: {:#?}", a.themes);
    assert!(
        a.flags.iter().any(|f| matches!(f, Flag::ThemeOverlap { a: 0, b: 1, overlap } if *overlap > 0.7)),
        "flags: {:?}",
        a.flags
    );
}

#[test]
fn the_analysis_round_trips_through_json() {
    let a = analyse(&all_responses(), &Options::default());
    let json = serde_json::to_string(&a).expect("an analysis serialises");
    let back: Analysis = serde_json::from_str(&json).expect("and reads back");
    assert_eq!(a, back);
    let options: Options = serde_json::from_str(r#"{"themes": 3}"#).expect("partial options");
    assert_eq!(options.themes, Some(3));
    assert_eq!(options.max_themes, 70);
}
