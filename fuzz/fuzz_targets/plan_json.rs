//! The plan file importer: bytes as `pcplan plan import FILE` reads them.
//!
//! The command reads the file as UTF-8 text (`read_to_string`, which refuses anything
//! else) and hands it to `PlanFile::parse`, which deserialises and checks it. A file it
//! accepts is then exported again by `pcplan plan export`, and the plan file's promise
//! is that export, import and export give the same bytes; this target checks that for
//! every accepted input, and runs the two rules every page of an imported plan runs
//! (`check_contents` on the draft and each version, `diff_plans` between consecutive
//! versions and from the last version to the draft).
//!
//! It does not touch the store: `Store::import_plan` is SQL, not parsing.

#![no_main]

use libfuzzer_sys::fuzz_target;
use pcplan_domain::{PlanFile, check_contents, diff_plans};

fuzz_target!(|data: &[u8]| {
    if data.len() > pcplan_fuzz::MAX_INPUT {
        return;
    }
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(file) = PlanFile::parse(text) else { return };

    let exported = file.to_json();
    let again = match PlanFile::parse(&exported) {
        Ok(again) => again,
        Err(problems) => panic!("an accepted plan file does not import after export: {problems:?}"),
    };
    assert_eq!(again.to_json(), exported, "export, import, export changed the file");

    let _ = check_contents(&file.plan);
    let mut previous = None;
    for version in &file.versions {
        let _ = check_contents(&version.plan);
        if let Some(before) = previous {
            let _ = diff_plans(before, &version.plan);
        }
        previous = Some(&version.plan);
    }
    if let Some(last) = previous {
        let _ = diff_plans(last, &file.plan);
    }
});
