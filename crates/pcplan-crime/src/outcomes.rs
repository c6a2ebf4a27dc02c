//! The first pass: every crime's latest outcome, from the outcomes files.
//!
//! An outcomes file lists outcomes by the month they happened, each with its crime's
//! police.uk `Crime ID`. A crime's last outcome is the one of its latest month; two in
//! the same month are told apart by input order (files sorted by name), then line. Each
//! worker keeps its own table and the tables are merged by the same rule, so the result
//! does not depend on which worker read which file.

use std::sync::atomic::{AtomicBool, Ordering};

use crate::aggregate::parallel;
use crate::csv::{Reader, Record};
use crate::format::{Columns, check_shape, crime_key, header_names, month_number, month_reason, not_text};
use crate::intern::{FastMap, Interner, push_new, sorted};
use crate::report::{FileKind, FileReport, OutcomesJoin};
use crate::source::{Input, Opener};

/// A crime's latest outcome so far.
pub(crate) struct Latest {
    month: u32,
    /// Input number then line: the later of two outcomes in the same month wins.
    order: u64,
    pub outcome: u32,
}

/// Every crime's latest outcome, after the outcomes files are read.
pub(crate) struct OutcomeTable {
    /// By crime: the latest outcome, and whether a street row has claimed it.
    pub latest: FastMap<[u8; 32], (Latest, AtomicBool)>,
    /// Outcome texts by number.
    pub outcomes: Vec<String>,
    rows: u64,
}

#[derive(Default)]
struct OutcomeWorker {
    strings: Interner,
    latest: FastMap<[u8; 32], Latest>,
    reports: Vec<(usize, FileReport)>,
    buf: Vec<u8>,
    opener: Opener,
}

pub(crate) fn read_outcomes(
    inputs: &[Input],
    which: &[usize],
    threads: usize,
) -> (OutcomeTable, Vec<(usize, FileReport)>) {
    let workers = parallel(which.len(), threads, OutcomeWorker::default, |w, n| {
        let i = which[n];
        let report = w.file(&inputs[i], i);
        w.reports.push((i, report));
    });
    let mut table = OutcomeTable { latest: FastMap::default(), outcomes: Vec::new(), rows: 0 };
    let mut global = Interner::default();
    let mut reports = Vec::new();
    for w in workers {
        let ids: Vec<u32> = (0..w.strings.len()).map(|id| global.intern_str(w.strings.get(id))).collect();
        for (key, mut latest) in w.latest {
            latest.outcome = ids[latest.outcome as usize];
            match table.latest.get_mut(&key) {
                Some((known, _)) if (known.month, known.order) >= (latest.month, latest.order) => {}
                Some((known, _)) => *known = latest,
                None => {
                    table.latest.insert(key, (latest, AtomicBool::new(false)));
                }
            }
        }
        table.rows += w.reports.iter().map(|(_, r)| r.rows).sum::<u64>();
        reports.extend(w.reports);
    }
    table.outcomes = (0..global.len()).map(|id| global.get(id).to_owned()).collect();
    (table, reports)
}

impl OutcomeWorker {
    fn file(&mut self, input: &Input, index: usize) -> FileReport {
        let mut report = FileReport::new(input, FileKind::Outcomes);
        let mut buf = std::mem::take(&mut self.buf);
        match self.opener.bytes(input, &mut buf) {
            Err(e) => report.skipped = Some(format!("could not be read: {e}")),
            Ok(bytes) => self.records(bytes, index, &mut report),
        }
        self.buf = buf;
        report
    }

    fn records(&mut self, bytes: &[u8], index: usize, report: &mut FileReport) {
        let mut reader = Reader::new(bytes);
        let Some(header) = reader.next_record() else {
            report.skipped = Some("the file is empty".into());
            return;
        };
        let columns = match Columns::find(&header_names(&header), FileKind::Outcomes) {
            Ok(c) => c,
            Err(why) => {
                report.skipped = Some(why);
                return;
            }
        };
        let mut months = Vec::new();
        let mut forces = Vec::new();
        while let Some(record) = reader.next_record() {
            let line = record.line;
            match self.row(&record, &columns, index) {
                Ok((month, force)) => {
                    report.rows += 1;
                    push_new(&mut months, month);
                    if let Some(force) = force {
                        push_new(&mut forces, force);
                    }
                }
                Err(reason) => report.bad(line, reason),
            }
        }
        report.months = self.sorted_strings(months);
        report.forces = self.sorted_strings(forces);
    }

    /// Records one outcome; gives its month and force string numbers.
    fn row(&mut self, record: &Record<'_>, columns: &Columns, index: usize) -> Result<(u32, Option<u32>), String> {
        check_shape(record, columns.width)?;
        let id_cell = record.get(columns.crime_id.unwrap_or(usize::MAX));
        if id_cell.is_empty() {
            return Err("`Crime ID` is empty; an outcome needs the crime it belongs to".into());
        }
        let key = crime_key(id_cell).ok_or_else(|| {
            format!(
                "`Crime ID` is `{}`; expected police.uk's 64-character hexadecimal identifier",
                String::from_utf8_lossy(id_cell)
            )
        })?;
        let month_cell = record.get(columns.month);
        let month = month_number(month_cell).ok_or_else(|| month_reason(month_cell))?;
        let outcome_cell = record.get(columns.outcome).trim_ascii();
        if outcome_cell.is_empty() {
            return Err("`Outcome type` is empty".into());
        }
        let outcome = self.strings.intern(outcome_cell).map_err(|_| not_text("Outcome type"))?;
        let month_id = self.strings.intern(month_cell).map_err(|_| not_text("Month"))?;
        let force_cell = record.get(columns.force).trim_ascii();
        let force = if force_cell.is_empty() {
            None
        } else {
            Some(self.strings.intern(force_cell).map_err(|_| not_text("Falls within"))?)
        };
        let order = ((index as u64) << 32) | record.line;
        let latest = Latest { month, order, outcome };
        match self.latest.get_mut(&key) {
            Some(known) if (known.month, known.order) >= (month, order) => {}
            Some(known) => *known = latest,
            None => {
                self.latest.insert(key, latest);
            }
        }
        Ok((month_id, force))
    }

    fn sorted_strings(&self, ids: Vec<u32>) -> Vec<String> {
        sorted(&self.strings, ids)
    }
}

impl OutcomeTable {
    /// The join's figures, given the street rows that took an outcome from the table and
    /// how many of those it changed.
    pub fn join_counts(&self, street_rows_matched: u64, street_outcomes_changed: u64) -> OutcomesJoin {
        let claimed = self.latest.values().filter(|(_, seen)| seen.load(Ordering::Relaxed)).count() as u64;
        OutcomesJoin {
            outcome_rows: self.rows,
            crimes_with_outcomes: self.latest.len() as u64,
            street_rows_matched,
            street_outcomes_changed,
            crimes_not_in_street_files: self.latest.len() as u64 - claimed,
        }
    }
}
