//! The computed measures, as pure functions of the aggregated rows.
//!
//! - [`by_area`]: the table, month x area x crime type x last outcome, summed
//!   over forces (what `pcplan crime aggregate` prints as CSV).
//! - [`crimes_by_type`]: recorded crimes by type per area per month.
//! - [`charge_share`]: the share of crimes with a charge or summons outcome per area per
//!   month, the Panel's request for prosecution figures. It always comes with its two
//!   counts, never as a bare percentage.
//!
//! **Charge or summons** is any last outcome that police.uk gives only after a suspect
//! was charged or summonsed ([`CHARGE_OR_SUMMONS`]): the charge itself, a case awaiting
//! or past its court hearing, and every court result. Cautions, drugs warnings, penalty
//! notices and local resolutions are out-of-court outcomes and do not count.
//! The denominator is every recorded crime except anti-social behaviour, which is an
//! incident, not a crime, and never has an outcome. Crimes still `Under investigation`
//! are in the denominator, so the latest months read low until their outcomes arrive.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::Row;

/// police.uk's crime type for anti-social behaviour incidents.
pub const ANTI_SOCIAL_BEHAVIOUR: &str = "Anti-social behaviour";

/// The last outcomes that mean a suspect was charged or summonsed: police.uk's outcome
/// categories (data.police.uk API documentation, "Outcomes for a specific crime"), and
/// the names the outcomes files used before the 2014 relabelling.
pub const CHARGE_OR_SUMMONS: &[&str] = &[
    "Suspect charged",
    "Suspect charged as part of another case",
    "Awaiting court outcome",
    "Court result unavailable",
    "Court case unable to proceed",
    "Defendant sent to Crown Court",
    "Defendant found not guilty",
    "Offender sent to prison",
    "Offender given suspended prison sentence",
    "Offender given community sentence",
    "Offender fined",
    "Offender given conditional discharge",
    "Offender given absolute discharge",
    "Offender ordered to pay compensation",
    "Offender deprived of property",
    "Offender otherwise dealt with",
    // Names before 2014.
    "Offender sentenced as part of another case",
    "Offender given community penalty",
    "Offender imprisoned",
    "Suspect found not guilty",
];

/// Whether a last outcome means the suspect was charged or summonsed.
pub fn is_charge_or_summons(outcome: &str) -> bool {
    CHARGE_OR_SUMMONS.iter().any(|o| o.eq_ignore_ascii_case(outcome))
}

/// One row of the table: [`Row`] summed over forces.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AreaRow {
    pub month: String,
    pub area_code: Option<String>,
    pub area: String,
    pub crime_type: String,
    pub outcome: String,
    pub count: u64,
}

/// Crimes of one type in one area and month, all outcomes together.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TypeCount {
    pub month: String,
    pub area_code: Option<String>,
    pub area: String,
    pub crime_type: String,
    pub crimes: u64,
}

/// The charge or summons share of one area and month, with both of its counts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ChargeShare {
    pub month: String,
    pub area_code: Option<String>,
    pub area: String,
    /// Recorded crimes other than anti-social behaviour: the denominator.
    pub crimes: u64,
    /// Of those, crimes whose last outcome is a charge or summons: the numerator.
    pub charged_or_summonsed: u64,
    /// `charged_or_summonsed / crimes`; `None` when there were no crimes.
    pub share: Option<f64>,
}

/// An area's code beside a running count.
type Sum<'a> = (Option<&'a str>, u64);

/// The rows summed over forces, sorted by month, area, crime type and outcome.
pub fn by_area(rows: &[Row]) -> Vec<AreaRow> {
    let mut sums: BTreeMap<(&str, &str, &str, &str), Sum<'_>> = BTreeMap::new();
    for r in rows {
        let key = (r.month.as_str(), r.area.as_str(), r.crime_type.as_str(), r.outcome.as_str());
        sums.entry(key).or_insert((r.area_code.as_deref(), 0)).1 += r.count;
    }
    sums.into_iter()
        .map(|((month, area, crime_type, outcome), (code, count))| AreaRow {
            month: month.to_owned(),
            area_code: code.map(str::to_owned),
            area: area.to_owned(),
            crime_type: crime_type.to_owned(),
            outcome: outcome.to_owned(),
            count,
        })
        .collect()
}

/// Recorded crimes by type per area per month, sorted by month, area and crime type.
pub fn crimes_by_type(rows: &[Row]) -> Vec<TypeCount> {
    let mut sums: BTreeMap<(&str, &str, &str), Sum<'_>> = BTreeMap::new();
    for r in rows {
        let key = (r.month.as_str(), r.area.as_str(), r.crime_type.as_str());
        sums.entry(key).or_insert((r.area_code.as_deref(), 0)).1 += r.count;
    }
    sums.into_iter()
        .map(|((month, area, crime_type), (code, crimes))| TypeCount {
            month: month.to_owned(),
            area_code: code.map(str::to_owned),
            area: area.to_owned(),
            crime_type: crime_type.to_owned(),
            crimes,
        })
        .collect()
}

/// The charge or summons share per area per month, sorted by month and area. Areas
/// whose only records are anti-social behaviour appear with 0 crimes and no share.
pub fn charge_share(rows: &[Row]) -> Vec<ChargeShare> {
    let mut sums: BTreeMap<(&str, &str), (Option<&str>, u64, u64)> = BTreeMap::new();
    for r in rows {
        let entry = sums.entry((r.month.as_str(), r.area.as_str())).or_insert((r.area_code.as_deref(), 0, 0));
        if r.crime_type.eq_ignore_ascii_case(ANTI_SOCIAL_BEHAVIOUR) {
            continue;
        }
        entry.1 += r.count;
        if is_charge_or_summons(&r.outcome) {
            entry.2 += r.count;
        }
    }
    sums.into_iter()
        .map(|((month, area), (code, crimes, charged))| ChargeShare {
            month: month.to_owned(),
            area_code: code.map(str::to_owned),
            area: area.to_owned(),
            crimes,
            charged_or_summonsed: charged,
            share: (crimes > 0).then(|| charged as f64 / crimes as f64),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(force: &str, area: &str, crime_type: &str, outcome: &str, count: u64) -> Row {
        Row {
            month: "2022-01".into(),
            force: force.into(),
            area_code: None,
            area: area.into(),
            crime_type: crime_type.into(),
            outcome: outcome.into(),
            count,
        }
    }

    #[test]
    fn the_share_leaves_out_anti_social_behaviour_and_counts_court_outcomes() {
        let rows = [
            row("F", "Blaby", "Burglary", "Awaiting court outcome", 3),
            row("F", "Blaby", "Burglary", "Offender given a caution", 2),
            row("F", "Blaby", "Robbery", "Suspect charged as part of another case", 1),
            row("F", "Blaby", "Robbery", "Under investigation", 4),
            row("F", "Blaby", ANTI_SOCIAL_BEHAVIOUR, crate::NO_OUTCOME, 50),
            row("F", "Melton", ANTI_SOCIAL_BEHAVIOUR, crate::NO_OUTCOME, 7),
        ];
        let shares = charge_share(&rows);
        assert_eq!(shares.len(), 2);
        assert_eq!((shares[0].area.as_str(), shares[0].crimes, shares[0].charged_or_summonsed), ("Blaby", 10, 4));
        assert_eq!(shares[0].share, Some(0.4));
        assert_eq!((shares[1].crimes, shares[1].share), (0, None));
    }

    #[test]
    fn out_of_court_outcomes_are_not_charges() {
        for outcome in ["Offender given a caution", "Local resolution", "Offender given a penalty notice", ""] {
            assert!(!is_charge_or_summons(outcome), "{outcome}");
        }
        assert!(is_charge_or_summons("Offender sent to prison"));
    }

    #[test]
    fn forces_are_summed_for_the_area_table_and_types_over_outcomes() {
        let rows = [
            row("Leicestershire Police", "Blaby", "Burglary", "Under investigation", 2),
            row("Leicestershire Police", "Blaby", "Burglary", "Local resolution", 1),
            row("Nottinghamshire Police", "Blaby", "Burglary", "Under investigation", 5),
        ];
        let table = by_area(&rows);
        assert_eq!(table.len(), 2);
        assert_eq!((table[1].outcome.as_str(), table[1].count), ("Under investigation", 7));
        let types = crimes_by_type(&rows);
        assert_eq!(types.len(), 1);
        assert_eq!(types[0].crimes, 8);
    }
}
