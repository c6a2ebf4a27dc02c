//! End-to-end tests of `analyse_with_vectors` on the fixed corpus of `corpus/mod.rs`,
//! with synthetic sentence vectors: each topic's responses point along their own axis
//! with seeded noise, as a sentence-embedding model places answers on one subject
//! near each other. No model is needed, so these run in every build.

mod corpus;

use std::collections::BTreeMap;

use pcplan_themes::{Analysis, EMBEDDINGS_METHOD, Flag, Options, Response, VectorsError, analyse_with_vectors};

const DIM: usize = 24;

/// A tiny seeded generator (xorshift64*), so the vectors are the same in every run.
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        let x = self.0.wrapping_mul(0x2545_f491_4f6c_dd1d);
        (x >> 40) as f32 / (1u64 << 24) as f32 - 0.5
    }
}

/// A vector along `axis` with noise of size `noise` in every coordinate.
fn vector(axis: usize, noise: f32, rng: &mut Noise) -> Vec<f32> {
    let mut v: Vec<f32> = (0..DIM).map(|_| rng.next() * noise).collect();
    v[axis] += 1.0;
    v
}

fn axis(topic: &str) -> usize {
    [corpus::ASB, corpus::ROADS, corpus::ABUSE].iter().position(|t| *t == topic).expect("a corpus topic")
}

/// The 60 topical responses and the 20-copy campaign (about speeding: the roads axis),
/// with their vectors.
fn corpus_with_vectors() -> (Vec<Response>, Vec<Vec<f32>>) {
    let mut rng = Noise(0x9e37_79b9_7f4a_7c15);
    let mut responses = Vec::new();
    let mut vectors = Vec::new();
    for (r, topic) in corpus::topical() {
        responses.push(r);
        vectors.push(vector(axis(topic), 0.6, &mut rng));
    }
    for r in corpus::campaign() {
        responses.push(r);
        vectors.push(vector(axis(corpus::ROADS), 0.6, &mut rng));
    }
    (responses, vectors)
}

fn analysed(options: &Options) -> Analysis {
    let (responses, vectors) = corpus_with_vectors();
    analyse_with_vectors(&responses, &vectors, options).expect("one vector per response")
}

fn top_theme(a: &Analysis, id: &str) -> Option<usize> {
    a.assignments.iter().find(|x| x.response_id == id).and_then(|x| x.themes.first()).map(|s| s.theme)
}

#[test]
fn three_separated_directions_give_the_three_topics_with_their_key_phrases() {
    let a = analysed(&Options::default());
    assert_eq!(a.method, EMBEDDINGS_METHOD);
    assert_eq!(a.themes.len(), 3, "themes: {:#?}", a.themes);
    let mut votes: BTreeMap<usize, BTreeMap<&str, usize>> = BTreeMap::new();
    let topical = corpus::topical();
    for (r, topic) in &topical {
        if let Some(t) = top_theme(&a, &r.id) {
            *votes.entry(t).or_default().entry(topic).or_default() += 1;
        }
    }
    let majority: BTreeMap<usize, &str> =
        votes.iter().filter_map(|(t, v)| v.iter().max_by_key(|(_, c)| **c).map(|(topic, _)| (*t, *topic))).collect();
    let agree =
        topical.iter().filter(|(r, topic)| top_theme(&a, &r.id).and_then(|t| majority.get(&t)) == Some(topic)).count();
    assert_eq!(agree, topical.len(), "themes: {:#?}", a.themes);

    // Labels come from the members' words, as in the TF-IDF path.
    let phrases: Vec<String> = a.themes.iter().map(|t| t.key_phrases.join(" | ")).collect();
    for expected in ["anti social behaviour", "speeding", "domestic abuse"] {
        assert!(phrases.iter().any(|p| p.contains(expected)), "no theme has {expected:?}: {phrases:#?}");
    }
    for theme in &a.themes {
        assert!(!theme.label.is_empty());
        assert!(!theme.quotes.is_empty() && theme.quotes.len() <= 3);
    }
}

#[test]
fn the_same_vectors_and_seed_give_the_same_analysis() {
    let options = Options::default();
    assert_eq!(analysed(&options), analysed(&options));
    let other = analysed(&Options { seed: 7, ..Options::default() });
    assert_eq!(other.seed, 7);
    assert_eq!(other.themes.len(), 3);
}

#[test]
fn a_campaign_is_one_group_counted_once_and_its_copies_share_its_themes() {
    let a = analysed(&Options::default());
    assert_eq!((a.responses, a.distinct_responses), (80, 61));
    let campaigns: Vec<_> = a.duplicate_groups.iter().filter(|g| g.campaign).collect();
    assert_eq!(campaigns.len(), 1, "{:#?}", a.duplicate_groups);
    assert_eq!((campaigns[0].size, campaigns[0].representative.as_str()), (20, "campaign-0"));
    let rep = top_theme(&a, "campaign-0");
    assert!(rep.is_some());
    for i in 1..20 {
        let copy = a.assignments.iter().find(|x| x.response_id == format!("campaign-{i}")).expect("assigned");
        assert_eq!(copy.themes.first().map(|s| s.theme), rep);
        assert_eq!(copy.duplicate_of.as_deref(), Some("campaign-0"));
    }
    let roads = a.themes.iter().find(|t| Some(t.id) == rep).expect("the campaign's theme");
    assert_eq!(roads.size_with_duplicates, roads.size + 19);
    for theme in &a.themes {
        assert!(theme.quotes.iter().filter(|q| q.response_id.starts_with("campaign")).count() <= 1);
    }
}

#[test]
fn too_many_themes_asked_for_are_dissolved_to_the_minimum_size() {
    let options = Options { themes: Some(12), ..Options::default() };
    let a = analysed(&options);
    assert_eq!(a.themes_fitted, 12);
    assert!(a.flags.iter().any(|f| matches!(f, Flag::ThemesDissolved { .. })), "{:?}", a.flags);
    for theme in &a.themes {
        let top = a
            .assignments
            .iter()
            .filter(|x| x.duplicate_of.is_none() && x.themes.first().map(|s| s.theme) == Some(theme.id));
        assert!(top.count() >= options.min_theme_responses, "theme {} is under the minimum size", theme.id);
    }
    let capped = analysed(&Options { themes: Some(3), max_themes: 2, ..Options::default() });
    assert!(capped.themes.len() <= 2, "{:#?}", capped.themes);
}

#[test]
fn scores_are_shares_and_a_response_near_two_themes_gets_both() {
    let (mut responses, mut vectors) = corpus_with_vectors();
    // Halfway between anti-social behaviour and roads.
    responses.push(Response { id: String::from("between"), text: String::from("Youths racing cars near the park") });
    let mut v = vec![0.0f32; DIM];
    (v[0], v[1]) = (1.0, 1.0);
    vectors.push(v);
    let a = analyse_with_vectors(&responses, &vectors, &Options::default()).expect("valid");
    let between = a.assignments.last().expect("assigned");
    assert_eq!(between.themes.len(), 2, "{between:?}");
    for x in &a.assignments {
        let total: f32 = x.themes.iter().map(|s| s.score).sum();
        assert!(total <= 1.0 + 1e-5 && x.themes.iter().all(|s| s.score > 0.0), "{x:?}");
        assert!(x.themes.windows(2).all(|w| w[0].score >= w[1].score));
    }
}

#[test]
fn blank_answers_and_unusable_vectors_fit_no_theme() {
    let (mut responses, mut vectors) = corpus_with_vectors();
    responses.push(Response { id: String::from("blank"), text: String::from("   ") });
    vectors.push(vec![1.0; DIM]);
    responses.push(Response { id: String::from("zero"), text: String::from("Something about speeding cars") });
    vectors.push(vec![0.0; DIM]);
    responses.push(Response { id: String::from("nan"), text: String::from("Speeding again") });
    vectors.push(vec![f32::NAN; DIM]);
    let a = analyse_with_vectors(&responses, &vectors, &Options::default()).expect("valid");
    for id in ["blank", "zero", "nan"] {
        assert!(top_theme(&a, id).is_none(), "{id} has a theme");
    }
    assert_eq!(a.themes.len(), 3);
}

#[test]
fn tiny_and_empty_input_give_no_themes_and_say_why() {
    let empty = analyse_with_vectors(&[], &[], &Options::default()).expect("valid");
    assert!(empty.themes.is_empty() && empty.assignments.is_empty());
    let one = [Response { id: String::from("1"), text: String::from("More patrols") }];
    let a = analyse_with_vectors(&one, &[vec![1.0, 0.0]], &Options::default()).expect("valid");
    assert!(a.themes.is_empty());
    assert!(matches!(a.flags.as_slice(), [Flag::TooFewResponses { usable: 1, needed: 5 }]), "{:?}", a.flags);
}

#[test]
fn vectors_that_do_not_match_the_responses_are_refused_naming_the_response() {
    let (responses, mut vectors) = corpus_with_vectors();
    let error = analyse_with_vectors(&responses, &vectors[1..], &Options::default()).expect_err("one missing");
    assert_eq!(error, VectorsError::Count { responses: 80, vectors: 79 });
    assert!(error.to_string().contains("79 vectors for 80 responses"), "{error}");
    vectors[5].push(0.5);
    let error = analyse_with_vectors(&responses, &vectors, &Options::default()).expect_err("one too long");
    assert_eq!(error, VectorsError::Dimension { id: String::from("asb-5"), expected: DIM, found: DIM + 1 });
    assert!(error.to_string().starts_with("the vector of response `asb-5` has 25 numbers but the first has 24"));
    vectors[5] = Vec::new();
    let error = analyse_with_vectors(&responses, &vectors, &Options::default()).expect_err("one empty");
    assert_eq!(error, VectorsError::Empty { id: String::from("asb-5") });
}
