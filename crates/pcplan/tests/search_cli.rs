//! `pcplan search reindex`, run as the built binary on a real SQLite file: it rebuilds
//! the index from the stored records, says how many entries it holds and leaves an
//! audit entry.

use std::path::Path;
use std::process::{Command, Output};

fn pcplan(data_dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(args)
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("PCPLAN_DATABASE_URL")
        .env_remove("PCPLAN_CONFIG")
        .output()
        .expect("the pcplan binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn reindex_rebuilds_the_index_of_the_stored_plan_and_is_audited() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("demo.json");
    std::fs::write(&file, pcplan_demo::plan_file().to_json()).expect("write the demo plan");
    let data = dir.path().join("data");
    let imported = pcplan(&data, &["plan", "import", file.to_str().expect("utf-8 path")]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));

    let out = pcplan(&data, &["search", "reindex"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    // The demo's four versions and its working draft.
    assert_eq!(text(&out.stdout), "search index rebuilt: 5 entries\n");

    let log = pcplan(&data, &["audit", "log", "--limit", "1"]);
    let last = text(&log.stdout);
    assert!(last.contains("pcplan search reindex") && last.contains("reindex"), "{last}");
}
