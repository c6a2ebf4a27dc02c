//! The work behind crime data and computed measures, shared by the staff pages and the
//! command line: turning an aggregation of police.uk files into the months the store
//! keeps, and computing each fed measure's observations from the stored months.
//!
//! Areas: a count placed by the ONS lookup carries its area's code; one placed by the
//! LSOA name's prefix is matched to the body's area of that name. Crimes that fit no
//! area of the body (no location, or outside the body's areas) are kept under their own
//! name with no code: they count in the force-wide total (area code `""`) and in no
//! area's figure.
//!
//! The body's LSOA lookup is kept by the store as rows; [`stored_lookup`] turns them
//! back into the `pcplan_crime::Lookup` an aggregation uses, and [`lookup_rows`] reads
//! an uploaded ONS table into those rows. Nothing here reads HTTP or writes files.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use pcplan_crime::{Aggregate, Lookup, measures};
use pcplan_domain::feed::{ANTI_SOCIAL_BEHAVIOUR, MeasureFeed};
use pcplan_domain::{Body, BodyId, ItemId};
use pcplan_store::{
    Actor, CrimeCount, CrimeFilter, CrimeMonth, CrimeTotal, LsoaArea, NewObservation, ObservationChanges,
    ObservationSource, Store, StoreError,
};

/// The most an upload of crime files (or of an LSOA lookup) may hold, all files
/// together: a year of police.uk street-level files for a large force, zipped or not,
/// with room to spare.
pub const CRIME_UPLOAD_MAX_BYTES: usize = 200 * 1024 * 1024;

/// Whether a path takes uploads of crime data or of the LSOA lookup, the routes allowed
/// bodies of [`CRIME_UPLOAD_MAX_BYTES`].
pub fn is_crime_upload_path(path: &str) -> bool {
    path == "/staff/performance/crime" || path == "/staff/performance/crime/lookup"
}

/// The header of the lookup [`stored_lookup`] writes.
const STORED_LOOKUP_HEADER: &str = "LSOA11CD,LADCD,LADNM";

/// A CSV cell, quoted when it holds a comma, a quote or a line break.
fn csv_cell(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) { format!("\"{}\"", text.replace('"', "\"\"")) } else { text.to_string() }
}

/// The body's stored lookup as a `Lookup`, or `None` when none is stored. The rows are
/// written out as a small CSV (`LSOA11CD,LADCD,LADNM`) and read back by
/// `Lookup::from_bytes`, so the stored lookup obeys the same rules as an uploaded one;
/// an LSOA code of any vintage goes in the one column, since codes are matched as text.
pub fn stored_lookup(rows: &[LsoaArea]) -> Result<Option<Lookup>, pcplan_crime::Error> {
    if rows.is_empty() {
        return Ok(None);
    }
    let mut text = String::from(STORED_LOOKUP_HEADER);
    text.push('\n');
    for row in rows {
        text.push_str(&format!(
            "{},{},{}\n",
            csv_cell(&row.lsoa_code),
            csv_cell(&row.area_code),
            csv_cell(&row.area_name)
        ));
    }
    Lookup::from_bytes("the stored LSOA lookup", text.as_bytes()).map(Some)
}

/// Reads an ONS LSOA lookup (`file_name`, its bytes) into the rows the store keeps: one
/// per LSOA code (a table with 2011 and 2021 codes gives a row for each), with its
/// district's code and name. The table is first checked by `Lookup::from_bytes`, whose
/// errors name the line; the rows are that lookup's reading of every LSOA cell.
pub fn lookup_rows(file_name: &str, bytes: &[u8]) -> Result<(Lookup, Vec<LsoaArea>), String> {
    let lookup = Lookup::from_bytes(file_name, bytes).map_err(|e| e.to_string())?;
    let options = pcplan_import::ReadOptions { header_row: Some(1), delimiter: Some(b','), ..Default::default() };
    let table = pcplan_import::read(file_name, bytes, &options, &mut |_| {}).map_err(|e| e.to_string())?;
    let lsoa_columns: Vec<usize> =
        table.headers.iter().enumerate().filter(|(_, h)| is_lsoa_code_header(h)).map(|(i, _)| i).collect();
    let mut rows = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for row in &table.rows {
        for &column in &lsoa_columns {
            let code = row.cells.get(column).map(|c| c.trim()).unwrap_or_default();
            if code.is_empty() || !seen.insert(code.to_string()) {
                continue;
            }
            let Some(area) = lookup.area_of(code) else { continue };
            rows.push(LsoaArea {
                lsoa_code: code.to_string(),
                area_code: area.code.clone().unwrap_or_default(),
                area_name: area.name.clone(),
            });
        }
    }
    Ok((lookup, rows))
}

/// `LSOA11CD`, `LSOA21CD`, `lsoacd`: the header of an LSOA code column, as
/// `pcplan_crime` finds them.
fn is_lsoa_code_header(header: &str) -> bool {
    let upper = header.trim().to_ascii_uppercase();
    upper
        .strip_prefix("LSOA")
        .and_then(|rest| rest.strip_suffix("CD"))
        .is_some_and(|year| year.is_empty() || (year.len() == 2 && year.bytes().all(|b| b.is_ascii_digit())))
}

/// The months of an aggregation, as the store keeps them for `body`.
pub fn crime_months(body: &Body, aggregate: &Aggregate) -> Vec<CrimeMonth> {
    let by_name: BTreeMap<String, &str> = body.areas.iter().map(|a| (a.name.to_lowercase(), a.code.as_str())).collect();
    let mut months: BTreeMap<(String, String), Vec<CrimeCount>> = BTreeMap::new();
    for row in &aggregate.rows {
        let code = match &row.area_code {
            Some(code) => code.clone(),
            None => by_name.get(&row.area.to_lowercase()).map(|c| c.to_string()).unwrap_or_default(),
        };
        let area_name = body.areas.iter().find(|a| a.code == code).map_or_else(|| row.area.clone(), |a| a.name.clone());
        months.entry((row.force.clone(), row.month.clone())).or_default().push(CrimeCount {
            area_code: code,
            area_name,
            crime_type: row.crime_type.clone(),
            outcome: row.outcome.clone(),
            count: i64::try_from(row.count).unwrap_or(i64::MAX),
        });
    }
    months
        .into_iter()
        .map(|((force, month), counts)| {
            // The files whose good rows hold this force's month, whatever they are called.
            let files: Vec<&pcplan_crime::FileReport> =
                aggregate.files.iter().filter(|f| f.months.contains(&month) && f.forces.contains(&force)).collect();
            let malformed: u64 = files.iter().map(|f| f.malformed_total).sum();
            CrimeMonth {
                report: serde_json::json!({
                    "files": files.iter().map(|f| f.path.as_str()).collect::<Vec<_>>(),
                    "malformed_rows": malformed,
                    "area_rule": aggregate.area_rule,
                }),
                force,
                month,
                counts,
            }
        })
        .collect()
}

/// The first day of a `YYYY-MM` month.
fn month_start(month: &str) -> Option<NaiveDate> {
    NaiveDate::parse_from_str(&format!("{month}-01"), "%Y-%m-%d").ok()
}

/// What a feed computed for one measure.
#[derive(Debug, Default)]
pub struct Computed {
    pub measure: ItemId,
    pub changes: ObservationChanges,
    /// Observations computed (areas and force-wide totals).
    pub observations: usize,
}

/// The observations `feed` gives from the body's stored crime months: one per month
/// for each of the body's areas with crimes and one force-wide (area `""`).
pub async fn feed_observations(
    store: &Store,
    body: &Body,
    feed: &MeasureFeed,
) -> Result<Vec<NewObservation>, StoreError> {
    let asb = ANTI_SOCIAL_BEHAVIOUR.to_string();
    let filter = match feed {
        MeasureFeed::Crimes | MeasureFeed::ChargeShare => {
            CrimeFilter { exclude_types: vec![asb], ..CrimeFilter::default() }
        }
        MeasureFeed::CrimesOfType { crime_type } => {
            CrimeFilter { crime_type: Some(crime_type.clone()), ..CrimeFilter::default() }
        }
        MeasureFeed::AntiSocialBehaviour => CrimeFilter { crime_type: Some(asb), ..CrimeFilter::default() },
    };
    let totals = store.crime_totals(body.id, &filter).await?;
    let charged = if *feed == MeasureFeed::ChargeShare {
        let outcomes = measures::CHARGE_OR_SUMMONS.iter().map(|o| o.to_string()).collect();
        let charged = CrimeFilter { outcomes: Some(outcomes), ..filter.clone() };
        let open = CrimeFilter { outcomes: Some(vec![String::from(UNDER_INVESTIGATION)]), ..filter };
        Some(Outcomes {
            charged: store.crime_totals(body.id, &charged).await?,
            open: store.crime_totals(body.id, &open).await?,
        })
    } else {
        None
    };
    Ok(observations(body, &totals, charged.as_ref()))
}

/// police.uk's last outcome for a crime whose outcome is not known yet.
pub const UNDER_INVESTIGATION: &str = "Under investigation";

/// The share of a month's crimes still under investigation at or above which its charge
/// share carries a note that outcomes are still coming in. police.uk gives each crime
/// its latest outcome when the month is published and updates it in later releases, so
/// a recent month's share reads low until its outcomes arrive (in the demo's data half of
/// the latest month's crimes are still under investigation, none of those a year older).
pub const OPEN_OUTCOMES_NOTE_FROM: f64 = 0.05;

/// The outcome counts a charge share needs: crimes charged or summonsed, and crimes whose
/// outcome is not known yet.
struct Outcomes {
    charged: Vec<CrimeTotal>,
    open: Vec<CrimeTotal>,
}

/// The note a charge share carries when many of its crimes are still under investigation.
pub fn open_outcomes_note(open: i64, crimes: i64) -> Option<String> {
    if crimes <= 0 || (open as f64) < OPEN_OUTCOMES_NOTE_FROM * crimes as f64 {
        return None;
    }
    Some(format!(
        "Outcomes still coming in: {} of these {} crimes ({:.1}%) were still under investigation in the data \
         imported, so this share will rise as their outcomes are recorded.",
        pcplan_domain::stats::group_thousands(open.unsigned_abs()),
        pcplan_domain::stats::group_thousands(crimes.unsigned_abs()),
        100.0 * open as f64 / crimes as f64
    ))
}

/// Counts (or, with `charged`, charge shares) per month for the body's areas and for the
/// whole force area.
fn observations(body: &Body, totals: &[CrimeTotal], outcomes: Option<&Outcomes>) -> Vec<NewObservation> {
    let area = |code: &str| body.areas.iter().any(|a| a.code == code);
    // (month, area code) -> count; the force-wide total is under "".
    let sum = |rows: &[CrimeTotal]| {
        let mut out: BTreeMap<(String, String), i64> = BTreeMap::new();
        for t in rows {
            *out.entry((t.month.clone(), String::new())).or_default() += t.count;
            if area(&t.area_code) {
                *out.entry((t.month.clone(), t.area_code.clone())).or_default() += t.count;
            }
        }
        out
    };
    let all = sum(totals);
    let outcomes = outcomes.map(|o| (sum(&o.charged), sum(&o.open)));
    all.into_iter()
        .filter_map(|((month, area_code), count)| {
            let period_start = month_start(&month)?;
            let key = (month.clone(), area_code.clone());
            let (value, numerator, denominator, note) = match &outcomes {
                None => (count as f64, None, None, None),
                Some((charged, open)) => {
                    let n = charged.get(&key).copied().unwrap_or(0);
                    let share = if count > 0 { 100.0 * n as f64 / count as f64 } else { 0.0 };
                    let note = open_outcomes_note(open.get(&key).copied().unwrap_or(0), count);
                    (share, Some(n), Some(count), note)
                }
            };
            Some(NewObservation {
                period: month,
                period_start,
                area_code,
                value,
                numerator,
                denominator,
                note: note.unwrap_or_default(),
            })
        })
        .filter(|o| o.denominator != Some(0))
        .collect()
}

/// Recomputes every fed measure of the body from its stored crime months.
pub async fn recompute(store: &Store, actor: &Actor, body: BodyId) -> Result<Vec<Computed>, StoreError> {
    let Some(found) = store.body(body).await? else {
        return Err(StoreError::NotFound { what: format!("body {body}") });
    };
    let mut done = Vec::new();
    for (measure, feed) in store.measure_feeds(body).await? {
        let rows = feed_observations(store, &found, &feed).await?;
        let changes = store.record_observations(actor, body, measure, ObservationSource::Computed, &rows).await?;
        done.push(Computed { measure, changes, observations: rows.len() });
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pcplan_domain::{Area, Nation};

    fn body() -> Body {
        Body {
            id: BodyId::from_u128(1),
            name: String::from("Test"),
            office_title: String::from("Police and Crime Commissioner"),
            force_name: String::from("Leicestershire Police"),
            nation: Nation::England,
            areas: vec![
                Area { code: String::from("E06000016"), name: String::from("Leicester") },
                Area { code: String::from("E07000129"), name: String::from("Blaby") },
            ],
            terms: Vec::new(),
        }
    }

    fn total(month: &str, code: &str, count: i64) -> CrimeTotal {
        CrimeTotal { month: month.to_string(), area_code: code.to_string(), area_name: String::new(), count }
    }

    #[test]
    fn a_stored_lookup_reads_back_with_names_that_hold_commas() {
        let rows = [
            LsoaArea {
                lsoa_code: String::from("E01000001"),
                area_code: String::from("E06000023"),
                area_name: String::from("Bristol, City of"),
            },
            LsoaArea {
                lsoa_code: String::from("E01025631"),
                area_code: String::from("E06000016"),
                area_name: String::from("Leicester"),
            },
        ];
        let lookup = stored_lookup(&rows).expect("reads").expect("a lookup");
        assert_eq!(lookup.lsoas(), 2);
        assert_eq!(lookup.area_of("E01000001").map(|a| a.name.as_str()), Some("Bristol, City of"));
        assert!(stored_lookup(&[]).expect("reads").is_none());
    }

    #[test]
    fn an_ons_table_gives_a_row_for_each_lsoa_code_of_either_vintage() {
        let table = "LSOA11CD,LSOA21CD,LAD22CD,LAD22NM,LADCD,LADNM\n\
                     E01025631,E01033000,E06000016,Leicester,X,Old\n\
                     E01025632,,E07000129,Blaby,Y,Older\n";
        let (_, rows) = lookup_rows("lookup.csv", table.as_bytes()).expect("a good table");
        let got: Vec<(&str, &str)> = rows.iter().map(|r| (r.lsoa_code.as_str(), r.area_code.as_str())).collect();
        assert_eq!(got, [("E01025631", "E06000016"), ("E01033000", "E06000016"), ("E01025632", "E07000129")]);
        let bad = "LSOA11CD,LADCD,LADNM\nE01025631,E06000016,Leicester\nE01025631,E07000129,Blaby\n";
        let error = lookup_rows("bad.csv", bad.as_bytes()).expect_err("one LSOA in two districts");
        assert!(error.contains("line 3"), "{error}");
    }

    #[test]
    fn crime_upload_paths_are_the_two_upload_routes() {
        assert!(is_crime_upload_path("/staff/performance/crime"));
        assert!(is_crime_upload_path("/staff/performance/crime/lookup"));
        assert!(!is_crime_upload_path("/staff/performance"));
    }

    #[test]
    fn counts_are_given_per_area_and_force_wide_with_crimes_outside_the_areas_only_in_the_total() {
        let totals = [total("2022-03", "E06000016", 7), total("2022-03", "", 2), total("2022-03", "E07000129", 1)];
        let got: Vec<(String, f64)> =
            observations(&body(), &totals, None).into_iter().map(|o| (o.area_code, o.value)).collect();
        assert_eq!(got, [(String::new(), 10.0), (String::from("E06000016"), 7.0), (String::from("E07000129"), 1.0)]);
    }

    #[test]
    fn a_charge_share_carries_both_counts() {
        let totals = [total("2022-03", "E06000016", 8), total("2022-03", "E07000129", 2)];
        let outcomes = Outcomes { charged: vec![total("2022-03", "E06000016", 2)], open: Vec::new() };
        let got = observations(&body(), &totals, Some(&outcomes));
        let leicester = got.iter().find(|o| o.area_code == "E06000016").expect("Leicester");
        assert_eq!((leicester.value, leicester.numerator, leicester.denominator), (25.0, Some(2), Some(8)));
        let blaby = got.iter().find(|o| o.area_code == "E07000129").expect("Blaby");
        assert_eq!((blaby.value, blaby.numerator, blaby.denominator), (0.0, Some(0), Some(2)));
        let force = got.iter().find(|o| o.area_code.is_empty()).expect("force");
        assert_eq!((force.numerator, force.denominator), (Some(2), Some(10)));
        assert!(got.iter().all(|o| o.note.is_empty()), "no crime is under investigation");
    }

    #[test]
    fn a_share_with_many_crimes_under_investigation_says_its_outcomes_are_still_coming_in() {
        // October 2022 in the demo's data: 4,652 of 9,050 crimes under investigation.
        let note = open_outcomes_note(4_652, 9_050).expect("half are open");
        assert!(note.contains("4,652 of these 9,050 crimes (51.4%)"), "{note}");
        // Below one in twenty there is no note; at exactly one in twenty there is.
        assert_eq!(open_outcomes_note(49, 1_000), None);
        assert!(open_outcomes_note(50, 1_000).is_some());
        assert_eq!(open_outcomes_note(0, 0), None);
        let totals = [total("2022-10", "E06000016", 100), total("2022-10", "E07000129", 100)];
        let outcomes = Outcomes {
            charged: vec![total("2022-10", "E06000016", 3)],
            open: vec![total("2022-10", "E06000016", 40), total("2022-10", "E07000129", 2)],
        };
        let got = observations(&body(), &totals, Some(&outcomes));
        let note_of = |code: &str| got.iter().find(|o| o.area_code == code).map(|o| o.note.clone()).expect("a row");
        assert!(note_of("E06000016").contains("40 of these 100 crimes (40.0%)"));
        assert_eq!(note_of("E07000129"), "", "2 of 100 is under the threshold");
        assert!(note_of("").contains("42 of these 200 crimes (21.0%)"));
    }
}
