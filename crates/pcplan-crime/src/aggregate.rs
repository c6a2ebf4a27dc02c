//! Reading street and outcomes files in parallel and counting crimes by month, force,
//! area, crime type and last outcome.
//!
//! It runs in two passes over the inputs, each spread over worker threads:
//! 1. the outcomes files, into one table of each crime's latest outcome (by `Crime ID`;
//!    `outcomes.rs`);
//! 2. the street files, each row counted under its area and its last outcome: the one
//!    from the outcomes table when the crime is in it, else the street file's own.
//!
//! Each worker counts into its own table of interned strings and merges once at the end,
//! so no lock is taken per row. The result is sorted and does not depend on the number
//! of threads or on which worker read which file.
//!
//! It does not store anything, and it does not decide which months a store should
//! replace: it says which forces and months it read (`Aggregate::coverage`).

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use crate::csv::{Reader, Record};
use crate::format::{Columns, check_shape, classify, crime_key, header_names, month_number, month_reason, not_text};
use crate::intern::{FastMap, Interner, push_new, sorted};
use crate::lookup::{Lookup, name_prefix, no_location_area};
use crate::outcomes::{OutcomeTable, read_outcomes};
use crate::report::{
    Aggregate, AreaRule, Coverage, FileKind, FileReport, NO_OUTCOME, OutcomesJoin, Row, UnmatchedLsoa,
};
use crate::source::{Input, Inputs, Opener};

/// How to aggregate.
#[derive(Debug, Default, Clone, Copy)]
pub struct Options<'a> {
    /// LSOA codes to local authority districts; without it, areas come from LSOA names.
    pub lookup: Option<&'a Lookup>,
    /// Keep each street file's `Last outcome category` even when outcomes files are given
    /// (the outcomes files are then listed as not used).
    pub ignore_outcomes_files: bool,
    /// Worker threads; the machine's available parallelism when `None`.
    pub threads: Option<usize>,
}

/// Reads every input and counts its crimes.
pub fn aggregate(inputs: Inputs, options: &Options<'_>) -> Aggregate {
    let Inputs { inputs, mut notes } = inputs;
    let threads = options.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let kinds = sniff(&inputs, threads);
    let mut reports: Vec<Option<FileReport>> = vec![None; inputs.len()];
    let is = |kind: FileKind| (0..inputs.len()).filter(|&i| kinds[i].0 == kind).collect::<Vec<_>>();

    let outcome_inputs = is(FileKind::Outcomes);
    let table = if options.ignore_outcomes_files || outcome_inputs.is_empty() {
        for &i in &outcome_inputs {
            let why = "outcomes files were not used: each crime keeps its street file's last outcome";
            reports[i] = Some(FileReport::skipped(&inputs[i], FileKind::Outcomes, why.into()));
        }
        None
    } else {
        let (table, done) = read_outcomes(&inputs, &outcome_inputs, threads);
        for (i, report) in done {
            reports[i] = Some(report);
        }
        Some(table)
    };

    let street_inputs = is(FileKind::Street);
    let context = Context { inputs: &inputs, lookup: options.lookup, outcomes: table.as_ref() };
    let workers = parallel(
        street_inputs.len(),
        threads,
        || StreetWorker::new(&context),
        |w, n| {
            w.file(street_inputs[n]);
        },
    );

    for (i, (kind, why)) in kinds.into_iter().enumerate() {
        if reports[i].is_none()
            && let Some(why) = why
        {
            reports[i] = Some(FileReport::skipped(&inputs[i], kind, why));
        }
    }
    if inputs.is_empty() {
        notes.push("no files were given".into());
    }
    let outcomes = table
        .as_ref()
        .map(|t| t.join_counts(workers.iter().map(|w| w.matched).sum(), workers.iter().map(|w| w.changed).sum()));
    finish(workers, reports, options.lookup, outcomes, notes)
}

/// Each input's kind from its header, and why it will not be read as a crime file.
fn sniff(inputs: &[Input], threads: usize) -> Vec<(FileKind, Option<String>)> {
    let mut found = vec![(FileKind::Unknown, None); inputs.len()];
    type Seen = (Vec<(usize, FileKind, Option<String>)>, Opener);
    let per_worker = parallel(inputs.len(), threads, Seen::default, |(seen, opener): &mut Seen, i| {
        let (kind, why) = match opener.head(&inputs[i]) {
            Err(e) => (FileKind::Unknown, Some(format!("could not be read: {e}"))),
            Ok(head) => {
                let mut reader = Reader::new(&head);
                match reader.next_record() {
                    None => (FileKind::Unknown, Some("the file is empty".into())),
                    Some(header) => classify(&header_names(&header)),
                }
            }
        };
        seen.push((i, kind, why));
    });
    for (i, kind, why) in per_worker.into_iter().flat_map(|(seen, _)| seen) {
        found[i] = (kind, why);
    }
    found
}

/// Runs `work` on items `0..count` over `threads` workers made by `make`, and returns
/// the workers. Items are handed out one at a time, so a large file does not hold up
/// the rest.
pub(crate) fn parallel<W: Send>(
    count: usize,
    threads: usize,
    make: impl Fn() -> W + Sync,
    work: impl Fn(&mut W, usize) + Sync,
) -> Vec<W> {
    let threads = threads.clamp(1, count.max(1));
    let next = AtomicUsize::new(0);
    let run = || {
        let mut worker = make();
        loop {
            let n = next.fetch_add(1, Ordering::Relaxed);
            if n >= count {
                return worker;
            }
            work(&mut worker, n);
        }
    };
    if threads == 1 {
        return vec![run()];
    }
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads).map(|_| scope.spawn(run)).collect();
        handles.into_iter().map(|h| h.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic))).collect()
    })
}

// ---------------------------------------------------------------------------------------
// Pass 2: street files.
// ---------------------------------------------------------------------------------------

/// What every street worker reads but none changes.
struct Context<'a> {
    inputs: &'a [Input],
    lookup: Option<&'a Lookup>,
    outcomes: Option<&'a OutcomeTable>,
}

/// The count key: month, force, area, crime type, outcome (string numbers).
type Key = [u32; 5];

/// The last month or force cell seen in a file, and its string number.
type Last = Option<(Vec<u8>, u32)>;

struct StreetWorker<'a> {
    context: &'a Context<'a>,
    strings: Interner,
    counts: FastMap<Key, u64>,
    /// LSOA code to area (a string number), or `None` when the lookup lacks the code.
    by_code: FastMap<Box<[u8]>, Option<u32>>,
    /// LSOA name to the area its prefix gives.
    by_name: FastMap<Box<[u8]>, u32>,
    /// Force to its no-location area.
    no_location: Vec<(u32, u32)>,
    /// (LSOA code, LSOA name) missing from the lookup, with their crimes.
    unmatched: FastMap<(u32, u32), u64>,
    /// Outcome number in the outcomes table to string number here.
    outcome_ids: Vec<Option<u32>>,
    /// A string number for the empty outcome.
    no_outcome: u32,
    matched: u64,
    changed: u64,
    reports: Vec<(usize, FileReport)>,
    buf: Vec<u8>,
    opener: Opener,
}

impl<'a> StreetWorker<'a> {
    fn new(context: &'a Context<'a>) -> StreetWorker<'a> {
        let mut strings = Interner::default();
        let no_outcome = strings.intern_str(NO_OUTCOME);
        StreetWorker {
            context,
            strings,
            counts: FastMap::default(),
            by_code: FastMap::default(),
            by_name: FastMap::default(),
            no_location: Vec::new(),
            unmatched: FastMap::default(),
            outcome_ids: vec![None; context.outcomes.map_or(0, |t| t.outcomes.len())],
            no_outcome,
            matched: 0,
            changed: 0,
            reports: Vec::new(),
            buf: Vec::new(),
            opener: Opener::default(),
        }
    }

    fn file(&mut self, index: usize) {
        let input = &self.context.inputs[index];
        let mut report = FileReport::new(input, FileKind::Street);
        let mut buf = std::mem::take(&mut self.buf);
        let mut opener = std::mem::take(&mut self.opener);
        match opener.bytes(input, &mut buf) {
            Err(e) => report.skipped = Some(format!("could not be read: {e}")),
            Ok(bytes) => self.records(bytes, &mut report),
        }
        self.opener = opener;
        self.buf = buf;
        self.reports.push((index, report));
    }

    fn records(&mut self, bytes: &[u8], report: &mut FileReport) {
        let mut reader = Reader::new(bytes);
        let Some(header) = reader.next_record() else {
            report.skipped = Some("the file is empty".into());
            return;
        };
        let columns = match Columns::find(&header_names(&header), FileKind::Street) {
            Ok(c) => c,
            Err(why) => {
                report.skipped = Some(why);
                return;
            }
        };
        let mut months = Vec::new();
        let mut forces = Vec::new();
        // Consecutive rows nearly always share month and force: compare bytes before hashing.
        let mut last_month: Last = None;
        let mut last_force: Last = None;
        while let Some(record) = reader.next_record() {
            let line = record.line;
            match self.row(&record, &columns, &mut last_month, &mut last_force) {
                Ok((month, force)) => {
                    report.rows += 1;
                    push_new(&mut months, month);
                    push_new(&mut forces, force);
                }
                Err(reason) => report.bad(line, reason),
            }
        }
        report.months = sorted(&self.strings, months);
        report.forces = sorted(&self.strings, forces);
    }

    /// Counts one crime; gives its month and force string numbers.
    fn row(
        &mut self,
        record: &Record<'_>,
        columns: &Columns,
        last_month: &mut Last,
        last_force: &mut Last,
    ) -> Result<(u32, u32), String> {
        check_shape(record, columns.width)?;
        let month_cell = record.get(columns.month);
        let month = match last_month {
            Some((bytes, id)) if bytes.as_slice() == month_cell => *id,
            _ => {
                month_number(month_cell).ok_or_else(|| month_reason(month_cell))?;
                let id = self.strings.intern(month_cell).map_err(|_| not_text("Month"))?;
                *last_month = Some((month_cell.to_vec(), id));
                id
            }
        };
        let force_cell = record.get(columns.force).trim_ascii();
        let force = match last_force {
            Some((bytes, id)) if bytes.as_slice() == force_cell => *id,
            _ => {
                if force_cell.is_empty() {
                    return Err("`Falls within` is empty; it names the force the crime belongs to".into());
                }
                let id = self.strings.intern(force_cell).map_err(|_| not_text("Falls within"))?;
                *last_force = Some((force_cell.to_vec(), id));
                id
            }
        };
        let type_cell = record.get(columns.crime_type).trim_ascii();
        if type_cell.is_empty() {
            return Err("`Crime type` is empty".into());
        }
        let crime_type = self.strings.intern(type_cell).map_err(|_| not_text("Crime type"))?;
        let area = self.area(force, record.get(columns.lsoa_code).trim_ascii(), record.get(columns.lsoa_name))?;
        let outcome = self.outcome(record, columns)?;
        *self.counts.entry([month, force, area, crime_type, outcome]).or_insert(0) += 1;
        Ok((month, force))
    }

    /// The last outcome: the outcomes files' latest for this crime, else the street file's.
    fn outcome(&mut self, record: &Record<'_>, columns: &Columns) -> Result<u32, String> {
        let own = record.get(columns.outcome).trim_ascii();
        if let (Some(table), Some(col)) = (self.context.outcomes, columns.crime_id)
            && let Some(key) = crime_key(record.get(col))
            && let Some((latest, seen)) = table.latest.get(&key)
        {
            seen.store(true, Ordering::Relaxed);
            self.matched += 1;
            let text = table.outcomes.get(latest.outcome as usize).map_or("", String::as_str);
            if text.as_bytes() != own {
                self.changed += 1;
            }
            let slot = latest.outcome as usize;
            return Ok(match self.outcome_ids.get(slot).copied().flatten() {
                Some(id) => id,
                None => {
                    let id = self.strings.intern_str(text);
                    if let Some(cached) = self.outcome_ids.get_mut(slot) {
                        *cached = Some(id);
                    }
                    id
                }
            });
        }
        if own.is_empty() {
            return Ok(self.no_outcome);
        }
        self.strings.intern(own).map_err(|_| not_text("Last outcome category"))
    }

    /// The area: the lookup's district for the LSOA code, else the LSOA name's prefix,
    /// else (no LSOA at all) the force's no-location area.
    fn area(&mut self, force: u32, code: &[u8], name: &[u8]) -> Result<u32, String> {
        let name = name.trim_ascii();
        if code.is_empty() && name.is_empty() {
            return Ok(self.no_location_area(force));
        }
        let lookup = self.context.lookup;
        if let Some(lookup) = lookup
            && !code.is_empty()
        {
            let hit = match self.by_code.get(code) {
                Some(&hit) => hit,
                None => {
                    let hit = lookup.index_of(code).map(|i| self.strings.intern_str(lookup.name_of(i)));
                    self.by_code.insert(code.into(), hit);
                    hit
                }
            };
            if let Some(area) = hit {
                return Ok(area);
            }
        }
        if name.is_empty() {
            return Err(format!(
                "`LSOA name` is empty and LSOA code `{}` is {}; the area cannot be found",
                String::from_utf8_lossy(code),
                if lookup.is_some() { "not in the lookup" } else { "not looked up (no lookup loaded)" }
            ));
        }
        let area = match self.by_name.get(name) {
            Some(&area) => area,
            None => {
                let text = std::str::from_utf8(name).map_err(|_| not_text("LSOA name"))?;
                let prefix = name_prefix(text);
                let area = match lookup.and_then(|l| l.index_of_name(prefix)) {
                    Some(i) => self.strings.intern_str(lookup.map_or("", |l| l.name_of(i))),
                    None => self.strings.intern_str(prefix),
                };
                self.by_name.insert(name.into(), area);
                area
            }
        };
        if lookup.is_some() {
            let code_id = self.strings.intern(code).map_err(|_| not_text("LSOA code"))?;
            let name_id = self.strings.intern(name).map_err(|_| not_text("LSOA name"))?;
            *self.unmatched.entry((code_id, name_id)).or_insert(0) += 1;
        }
        Ok(area)
    }

    fn no_location_area(&mut self, force: u32) -> u32 {
        if let Some(&(_, area)) = self.no_location.iter().find(|(f, _)| *f == force) {
            return area;
        }
        let area = self.strings.intern_str(&no_location_area(self.strings.get(force)));
        self.no_location.push((force, area));
        area
    }
}

// ---------------------------------------------------------------------------------------
// Merging.
// ---------------------------------------------------------------------------------------

fn finish(
    workers: Vec<StreetWorker<'_>>,
    mut reports: Vec<Option<FileReport>>,
    lookup: Option<&Lookup>,
    outcomes: Option<OutcomesJoin>,
    notes: Vec<String>,
) -> Aggregate {
    // Sorted by month, area, crime type, outcome, force.
    let mut counts: BTreeMap<[String; 5], u64> = BTreeMap::new();
    let mut unmatched: BTreeMap<(String, String), u64> = BTreeMap::new();
    for worker in workers {
        let s = &worker.strings;
        for ([month, force, area, crime_type, outcome], n) in worker.counts {
            let key = [month, area, crime_type, outcome, force].map(|id| s.get(id).to_owned());
            *counts.entry(key).or_insert(0) += n;
        }
        for ((code, name), n) in worker.unmatched {
            *unmatched.entry((s.get(code).to_owned(), s.get(name).to_owned())).or_insert(0) += n;
        }
        for (i, report) in worker.reports {
            reports[i] = Some(report);
        }
    }
    let mut coverage: BTreeMap<(String, String), u64> = BTreeMap::new();
    let rows: Vec<Row> = counts
        .into_iter()
        .map(|([month, area, crime_type, outcome, force], count)| {
            *coverage.entry((force.clone(), month.clone())).or_insert(0) += count;
            let area_code = lookup.and_then(|l| l.code_of(&area)).map(str::to_owned);
            Row { month, force, area_code, area, crime_type, outcome, count }
        })
        .collect();
    let area_rule = match lookup {
        Some(l) => {
            AreaRule::Lookup { source: l.source().to_owned(), columns: l.columns().to_owned(), lsoas: l.lsoas() }
        }
        None => AreaRule::NamePrefix,
    };
    Aggregate {
        rows,
        coverage: coverage.into_iter().map(|((force, month), crimes)| Coverage { force, month, crimes }).collect(),
        files: reports.into_iter().flatten().collect(),
        area_rule,
        unmatched_lsoas: unmatched
            .into_iter()
            .map(|((code, name), crimes)| UnmatchedLsoa { code, name, crimes })
            .collect(),
        outcomes,
        notes,
    }
}
