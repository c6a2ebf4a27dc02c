//! Loads the demo's second body, Leicester, Leicestershire and Rutland
//! (`pcplan_demo::llr`), the way an analyst would set it up: both plans, the population
//! table, the ONS LSOA lookup, a year of real police.uk street-level crime data (the
//! archive the demo ships, read by `pcplan-crime` as an upload would be), the feeds that
//! compute the plan's crime measures, the computed observations, and a few illustrative
//! status updates and grades.
//!
//! Each step is skipped when its records are already there, so running `pcplan demo`
//! again adds nothing.

use anyhow::Context;
use pcplan_demo::ids::{
    LLR_BODY, LLR_PANEL_PERFORMANCE_2023, LLR21_MEA_VICTIM_SATISFACTION, LLR21_MS_DRUG_TESTING,
    LLR21_MS_PERPETRATOR_PROGRAMME,
};
use pcplan_demo::llr;
use pcplan_domain::feed::MeasureFeed;
use pcplan_domain::grade::{GradeEntry, GradeScale};
use pcplan_domain::period::Period;
use pcplan_domain::plan::Status;
use pcplan_domain::rollup::StatusUpdate;
use pcplan_domain::{ItemId, UpdateId};
use pcplan_store::{Actor, LsoaArea, NewObservation, ObservationSource, Population, Store};

/// The police.uk archive and the ONS lookup the demo ships, as police.uk and the ONS
/// serve them (`crates/pcplan-demo/data/policeuk/README.md` gives their sources and
/// licence).
const ARCHIVE: &[u8] = include_bytes!("../../pcplan-demo/data/policeuk/leicestershire-2021-10_2022-10.zip");
const LOOKUP: &[u8] = include_bytes!("../../pcplan-demo/data/policeuk/lsoa11_to_lad_leicestershire-pfa.csv.gz");

/// Loads whatever part of the second body is missing.
pub async fn load(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    for file in llr::plan_files() {
        if store.plan(file.plan.id).await?.is_none() {
            store
                .import_plan(actor, &file)
                .await
                .with_context(|| format!("loading the demo plan {}", file.plan.title))?;
        }
    }
    if store.populations(LLR_BODY).await?.is_empty() {
        let rows: Vec<Population> = llr::POPULATIONS
            .iter()
            .map(|(code, name, population)| Population {
                code: code.to_string(),
                name: name.to_string(),
                population: *population,
                source: llr::POPULATION_SOURCE.to_string(),
            })
            .collect();
        store.load_populations(actor, LLR_BODY, &rows).await?;
    }
    let scratch = Scratch::new()?;
    let lookup_path = scratch.write("lsoa11_to_lad_leicestershire-pfa.csv.gz", LOOKUP)?;
    let lookup = pcplan_crime::Lookup::from_path(&lookup_path).context("reading the demo's LSOA lookup")?;
    if store.lsoa_areas(LLR_BODY).await?.is_empty() {
        let rows: Vec<LsoaArea> = lookup
            .entries()
            .map(|(lsoa, area)| LsoaArea {
                lsoa_code: lsoa.to_string(),
                area_code: area.code.clone().unwrap_or_default(),
                area_name: area.name.clone(),
            })
            .collect();
        store.load_lsoa_areas(actor, LLR_BODY, &rows).await?;
    }
    let body = store.body(LLR_BODY).await?.context("the demo's second body was not stored")?;
    if store.crime_months(LLR_BODY).await?.is_empty() {
        let archive = scratch.write("leicestershire-2021-10_2022-10.zip", ARCHIVE)?;
        let options = pcplan_crime::Options { lookup: Some(&lookup), ..pcplan_crime::Options::default() };
        let aggregate = pcplan_crime::aggregate_paths(&[archive], &options).context("reading the demo's crime data")?;
        let months = pcplan_web::performance_work::crime_months(&body, &aggregate);
        store.import_crime_months(actor, LLR_BODY, &months).await.context("storing the demo's crime data")?;
    }
    if store.measure_feeds(LLR_BODY).await?.is_empty() {
        for (measure, kind, crime_type) in llr::COMPUTED_MEASURES {
            let feed = MeasureFeed::parse(kind, *crime_type).map_err(anyhow::Error::msg)?;
            store.set_measure_feed(actor, LLR_BODY, *measure, Some(&feed)).await?;
        }
        pcplan_web::performance_work::recompute(store, actor, LLR_BODY).await?;
    }
    entered_by_hand(store, actor).await?;
    if store.status_updates(LLR_BODY).await?.is_empty() {
        for (item, id, date, status, commentary) in status_updates() {
            let update = StatusUpdate {
                date,
                status,
                commentary: commentary.to_string(),
                evidence: None,
                by: String::from("Head of Performance, OPCC (illustrative)"),
            };
            store.add_status_update(actor, LLR_BODY, item, id, &update, llr::PROGRESS_AS_AT).await?;
        }
    }
    if store.meeting(LLR_PANEL_PERFORMANCE_2023).await?.is_none() {
        let held_on = chrono::NaiveDate::from_ymd_opt(2023, 2, 8).context("the demo meeting's date")?;
        store
            .schedule_meeting(
                actor,
                LLR_PANEL_PERFORMANCE_2023,
                LLR_BODY,
                "Police and Crime Panel: performance, October to December 2022 (illustrative)",
                held_on,
            )
            .await?;
    }
    Ok(())
}

/// The victim survey's quarterly figures and their grades: typed in by staff in the
/// pages; illustrative.
async fn entered_by_hand(store: &Store, actor: &Actor) -> anyhow::Result<()> {
    if !store.observations(LLR21_MEA_VICTIM_SATISFACTION).await?.is_empty() {
        return Ok(());
    }
    let quarters = [("2021/22 Q3", 73.0, 312, 427), ("2021/22 Q4", 75.0, 298, 397), ("2022/23 Q1", 71.0, 285, 401)];
    let mut rows = Vec::new();
    for (period, value, satisfied, asked) in quarters {
        let parsed: Period = period.parse().map_err(|e| anyhow::anyhow!("demo period {period}: {e}"))?;
        rows.push(NewObservation {
            period: parsed.to_string(),
            period_start: parsed.start(),
            area_code: String::new(),
            value,
            numerator: Some(satisfied),
            denominator: Some(asked),
            note: String::from("Illustrative: victim survey, whole force area"),
        });
    }
    store.record_observations(actor, LLR_BODY, LLR21_MEA_VICTIM_SATISFACTION, ObservationSource::Manual, &rows).await?;
    let rag = GradeScale::rag();
    let entry = GradeEntry {
        period: "2022/23 Q1".parse().map_err(|e| anyhow::anyhow!("demo period: {e}"))?,
        grade: String::from("amber"),
        narrative: String::from(
            "Illustrative: down four points on the quarter, within the survey's margin of error; the victim \
             service's call-back pilot starts in the next quarter",
        ),
    };
    store.record_grade(actor, LLR_BODY, LLR21_MEA_VICTIM_SATISFACTION, rag.name(), &entry).await?;
    Ok(())
}

/// Illustrative owners' updates behind two milestones' statuses.
fn status_updates() -> [(ItemId, UpdateId, chrono::NaiveDate, Status, &'static str); 2] {
    let date = |m, d| chrono::NaiveDate::from_ymd_opt(2022, m, d).unwrap_or(llr::PROGRESS_AS_AT);
    [
        (
            LLR21_MS_PERPETRATOR_PROGRAMME,
            UpdateId::from_u128(0x5eed_0000_0000_4000_8000_0000_0009_3001),
            date(9, 30),
            Status::AtRisk,
            "Illustrative: no provider has yet been found for Rutland and Melton; the programme reaches seven of \
             the nine areas, and a joint tender with Northamptonshire is being explored",
        ),
        (
            LLR21_MS_DRUG_TESTING,
            UpdateId::from_u128(0x5eed_0000_0000_4000_8000_0000_0009_3002),
            date(10, 14),
            Status::Late,
            "Illustrative: testing runs in two of the three custody suites; the third waits for the refit of its \
             booking-in area, now due in December",
        ),
    ]
}

/// A folder for the shipped files while they are read, removed afterwards.
struct Scratch(std::path::PathBuf);

impl Scratch {
    fn new() -> anyhow::Result<Scratch> {
        let mut bytes = [0u8; 8];
        getrandom::fill(&mut bytes).map_err(|e| anyhow::anyhow!("no randomness for a scratch folder: {e}"))?;
        let dir = std::env::temp_dir().join(format!("pcplan-demo-{}", hex::encode(bytes)));
        std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
        Ok(Scratch(dir))
    }

    fn write(&self, name: &str, bytes: &[u8]) -> anyhow::Result<std::path::PathBuf> {
        let path = self.0.join(name);
        std::fs::write(&path, bytes).with_context(|| format!("writing {}", path.display()))?;
        Ok(path)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
