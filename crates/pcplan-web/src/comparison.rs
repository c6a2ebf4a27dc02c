//! One period's figure of a measure set beside the same figure for other places: an area
//! among the body's other areas (the public area pages), or the body's whole force area
//! among its chosen peers (the measure page and the board performance report).
//!
//! [`compare`] turns the places' observations into `stats::compare_with_peers`'s values
//! and words the result the same way wherever it is shown: counts ranked by rate per
//! 1,000 residents when every place has a population, else by count with a sentence
//! saying why; shares ranked by percentage, each with its 95% interval and both of its
//! counts; any other figure listed, not ranked. Places with no figure for the period are
//! listed last, so a reader sees who is missing rather than a shorter table.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use pcplan_domain::peer::Peer;
use pcplan_domain::period::Period;
use pcplan_domain::plan::Measure;
use pcplan_domain::stats::{PeerBasis, PeerError, PeerValue, compare_with_peers, format_rate, group_thousands};
use pcplan_domain::{Body, Polarity};
use pcplan_store::Observation;

use crate::performance_view::{as_count, figure, number, series, series_kind, share_of, with_unit};

/// One place compared: its code and name, its figure in the period (if any) and its
/// residents (if known).
pub(crate) struct Place<'a> {
    pub code: String,
    pub name: String,
    pub observation: Option<&'a Observation>,
    pub population: Option<u64>,
}

/// How the sentences name the places: `areas` and `the other areas`, or `forces and
/// areas` and `its peers`.
#[derive(Clone, Copy)]
pub(crate) struct Wording {
    /// All of the places, plural: `areas`.
    pub all: &'static str,
    /// The places other than the chosen one: `the other areas`.
    pub others: &'static str,
    /// One of those, when there is only one: `the other area`.
    pub other: &'static str,
}

pub(crate) const AREAS: Wording = Wording { all: "areas", others: "the other areas", other: "the other area" };
pub(crate) const PEERS: Wording = Wording { all: "places compared", others: "its peers", other: "its peer" };

/// How a place compares with the others in one period.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComparisonView {
    /// `October 2022`.
    pub period: String,
    /// How the places are compared, or why they are not.
    pub method: String,
    /// Where the chosen place stands against the others; empty when they are not ranked.
    pub position: String,
    /// Whether the table has a population and a rate per 1,000 residents.
    pub by_rate: bool,
    /// Whether the figures are shares, with an interval column.
    pub by_share: bool,
    /// Whether the places are ranked, or only listed.
    pub ranked: bool,
    /// Every place: those ranked first, highest first, then the others.
    pub rows: Vec<ComparisonRow>,
}

/// One place in a comparison.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ComparisonRow {
    pub name: String,
    /// The place the comparison is for.
    pub chosen: bool,
    /// The count, the share with its counts, the figure in words when it is neither,
    /// or `No figure for October 2022`.
    pub figure: String,
    pub population: String,
    pub rate: String,
    /// A share's 95% interval: `5.2% to 7.1%`.
    pub interval: String,
    /// `2 of 3`, `Not ranked`, or empty when nothing is ranked.
    pub rank: String,
}

/// `Blaby`, `Blaby and Melton`, `Blaby, Melton and Rutland`.
pub(crate) fn list_in_words(names: &[&str]) -> String {
    match names {
        [] => String::new(),
        [one] => one.to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

fn population_words(population: Option<u64>) -> String {
    population.map_or_else(|| String::from("No figure"), group_thousands)
}

/// The value a place is compared by, when its figure can be: a share's counts, or a
/// count (a whole number in a unit that is not a percentage).
fn value_of(place: &Place<'_>, observation: &Observation, unit: &str) -> Option<PeerValue> {
    let (count, out_of) = match share_of(observation) {
        Some(share) => (share.numerator, Some(share.denominator)),
        None => (as_count(observation.value, unit)?, None),
    };
    Some(PeerValue { code: place.code.clone(), name: place.name.clone(), count, population: place.population, out_of })
}

/// Compares the place `chosen` (a code among `places`) with the others in `period`.
pub(crate) fn compare(
    measure: &Measure,
    places: &[Place<'_>],
    chosen: &str,
    period: Period,
    wording: Wording,
) -> ComparisonView {
    let chosen_name = places.iter().find(|p| p.code == chosen).map_or(chosen, |p| p.name.as_str());
    let with_figures: Vec<(&Place<'_>, &Observation)> =
        places.iter().filter_map(|p| p.observation.map(|o| (p, o))).collect();
    let missing: Vec<&Place<'_>> = places.iter().filter(|p| p.observation.is_none()).collect();
    let mut view = ComparisonView { period: period.label(), ..ComparisonView::default() };
    let missing_row = |p: &Place<'_>, rank: &str| ComparisonRow {
        name: p.name.clone(),
        chosen: p.code == chosen,
        figure: format!("No figure for {}", period.label()),
        population: population_words(p.population),
        rank: rank.to_string(),
        ..ComparisonRow::default()
    };
    let values: Option<Vec<PeerValue>> = with_figures.iter().map(|(p, o)| value_of(p, o, &measure.unit)).collect();
    let values = match values {
        Some(values) if values.iter().all(|v| v.out_of.is_some()) || values.iter().all(|v| v.out_of.is_none()) => {
            values
        }
        _ => {
            view.method = format!(
                "These figures are not all counts or all shares of a total, so no rate per 1,000 residents is \
                 worked out and the {} are not ranked; each is shown with the counts behind it where they were given.",
                wording.all
            );
            view.rows = places
                .iter()
                .map(|p| match p.observation {
                    Some(o) => ComparisonRow {
                        name: p.name.clone(),
                        chosen: p.code == chosen,
                        figure: figure(o, &measure.unit, p.population).0,
                        population: population_words(p.population),
                        ..ComparisonRow::default()
                    },
                    None => missing_row(p, ""),
                })
                .collect();
            return view;
        }
    };
    let comparison = match compare_with_peers(chosen, &values) {
        Ok(comparison) => comparison,
        Err(PeerError::NoPeers { .. } | PeerError::ChosenMissing { .. }) => {
            view.method = if with_figures.iter().any(|(p, _)| p.code == chosen) {
                format!(
                    "None of {} has a figure for {}, so there is nothing to compare {chosen_name} with.",
                    wording.others,
                    period.label()
                )
            } else {
                format!("{chosen_name} has no figure for {}, so it cannot be compared.", period.label())
            };
            view.rows = places.iter().filter(|p| p.observation.is_none()).map(|p| missing_row(p, "")).collect();
            return view;
        }
        Err(e) => {
            view.method = crate::staff::sentence(&format!("the {} could not be compared: {e}", wording.all));
            return view;
        }
    };
    view.ranked = true;
    view.by_rate = comparison.basis == PeerBasis::RatePer1000;
    view.by_share = comparison.basis == PeerBasis::Share;
    let better = match measure.polarity {
        Polarity::HigherIsBetter => " For this measure a higher figure is better.",
        Polarity::LowerIsBetter => " For this measure a lower figure is better.",
        Polarity::Neither => " For this measure neither a higher nor a lower figure is better in itself.",
    };
    let all = wording.all;
    view.method = match comparison.basis {
        PeerBasis::RatePer1000 => format!(
            "The {all} are ranked by the rate per 1,000 residents, which allows for how many people live in each; \
             rank 1 is the highest rate.{better} This sets one period's figures side by side: it does not test \
             whether the differences are more than chance."
        ),
        PeerBasis::Share => format!(
            "The {all} are ranked by the share, each with both of its counts; rank 1 is the highest share.{better} \
             Each share has its 95% interval: where two intervals overlap, the difference between them may be chance."
        ),
        PeerBasis::Count => {
            let without: Vec<&str> =
                values.iter().filter(|v| v.population.is_none()).map(|v| v.name.as_str()).collect();
            format!(
                "Rates per 1,000 residents are not given because there is no population figure for {}, and ranking \
                 some {all} by rate and others by count would mix two scales. The {all} are ranked by count \
                 instead, which mostly reflects how big each is; rank 1 is the highest count.{better}",
                list_in_words(&without)
            )
        }
    };
    let of = comparison.rows.len();
    let value_words = |value: f64| match comparison.basis {
        PeerBasis::RatePer1000 => format!("{} per 1,000 residents", format_rate(value)),
        PeerBasis::Share => format!("{value:.1}%"),
        PeerBasis::Count => number(value),
    };
    if let Some(own) = comparison.chosen() {
        let others = if of == 2 {
            format!("{} with a figure had {}", wording.other, value_words(comparison.peer_low))
        } else {
            format!(
                "{} with a figure ranged from {} to {}",
                wording.others,
                value_words(comparison.peer_low),
                value_words(comparison.peer_high)
            )
        };
        let what = match comparison.basis {
            PeerBasis::RatePer1000 => "a rate",
            PeerBasis::Share => "a share",
            PeerBasis::Count => "a count",
        };
        view.position = format!(
            "In {}, {chosen_name} had {what} of {}: {} ({others}).",
            period.label(),
            value_words(own.value),
            comparison.position.label(),
        );
    }
    view.rows = comparison
        .rows
        .iter()
        .map(|row| ComparisonRow {
            name: row.name.clone(),
            chosen: row.chosen,
            figure: match row.out_of {
                Some(total) => format!(
                    "{}: {} of {}",
                    with_unit((row.value * 10.0).round() / 10.0, "%"),
                    group_thousands(row.rate.count),
                    group_thousands(total)
                ),
                None => group_thousands(row.rate.count),
            },
            population: population_words(row.rate.population),
            rate: row.rate.per_1000.filter(|_| row.out_of.is_none()).map_or_else(String::new, format_rate),
            interval: row.interval.map_or_else(String::new, |i| i.to_string()),
            rank: format!("{} of {of}", row.rank),
        })
        .collect();
    view.rows.extend(missing.iter().map(|p| missing_row(p, "Not ranked")));
    view
}

/// The whole force area's figure of a measure beside its peers', in the latest period
/// (of the measure's charted length, ending on or before `until` when given) in which
/// the force and at least one peer both have a figure, or else the force's latest
/// period; `None` when the body has no peers or the force no figure.
pub(crate) fn with_peers(
    body: &Body,
    peers: &[Peer],
    measure: &Measure,
    own: &[&Observation],
    force_population: Option<u64>,
    until: Option<NaiveDate>,
) -> Option<ComparisonView> {
    if peers.is_empty() {
        return None;
    }
    let kind = series_kind(measure, own);
    let in_range = |line: Vec<(Period, &Observation)>| -> BTreeSet<Period> {
        line.into_iter().map(|(p, _)| p).filter(|p| until.is_none_or(|d| p.end() <= d)).collect()
    };
    let force = in_range(series(own, "", kind));
    let peer_periods: BTreeSet<Period> = peers.iter().flat_map(|p| in_range(series(own, &p.code, kind))).collect();
    let period = force.intersection(&peer_periods).last().or_else(|| force.last()).copied()?;
    let in_period = |code: &str| {
        own.iter().find(|o| o.area_code == code && o.period.parse::<Period>().ok() == Some(period)).copied()
    };
    let mut places = vec![Place {
        code: String::new(),
        name: body.force_name.clone(),
        observation: in_period(""),
        population: force_population,
    }];
    places.extend(peers.iter().map(|p| Place {
        code: p.code.clone(),
        name: p.name.clone(),
        observation: in_period(&p.code),
        population: p.population,
    }));
    Some(compare(measure, &places, "", period, PEERS))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_listed_in_words() {
        assert_eq!(list_in_words(&[]), "");
        assert_eq!(list_in_words(&["Blaby"]), "Blaby");
        assert_eq!(list_in_words(&["Blaby", "Melton"]), "Blaby and Melton");
        assert_eq!(list_in_words(&["Blaby", "Melton", "Rutland"]), "Blaby, Melton and Rutland");
    }
}
