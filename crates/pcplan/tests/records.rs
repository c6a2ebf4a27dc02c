//! Backups and moving records between databases, on the full demo (`pcplan demo`'s
//! records: papers with their files, consultation responses, crime counts, the audit
//! chain):
//!
//! - `pcplan records export` then `import` round-trips exactly: SQLite to the second
//!   database (PostgreSQL when `PCPLAN_TEST_POSTGRES_URL` is set, as in CI's PostgreSQL
//!   leg; otherwise a second SQLite file) and back to SQLite again, every table equal
//!   row for row, the audit chain intact with the import as its one new entry;
//! - a damaged file, or a database that is not empty, is refused and nothing is written;
//! - `pcplan backup` copies a database in use and checks the copy; `pcplan restore` puts
//!   it back and keeps the replaced file;
//! - on PostgreSQL, the documented `pg_dump` and `pg_restore` give back the same records.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;

use pcplan::config::Config;
use pcplan_store::{Actor, NewUser, Role, Store};

/// A configuration that uses this database.
fn config_for(url: &str) -> Config {
    Config { database_url: Some(url.to_string()), ..Config::default() }
}

fn sqlite_url(dir: &Path, name: &str) -> String {
    format!("sqlite://{}", dir.join(name).display())
}

/// An empty database of the second kind: PostgreSQL in CI's leg, else SQLite.
struct Second {
    url: String,
    /// The database to drop afterwards, with the server's address.
    drop: Option<(String, String)>,
}

impl Second {
    fn new(dir: &Path, name: &str) -> Second {
        match std::env::var("PCPLAN_TEST_POSTGRES_URL") {
            Ok(admin) if !admin.trim().is_empty() => {
                let admin = admin.trim().to_string();
                let database = format!("pcplan_records_{}_{}", name, std::process::id());
                psql(&admin, &format!("DROP DATABASE IF EXISTS {database}"));
                psql(&admin, &format!("CREATE DATABASE {database}"));
                let base = admin.rsplit_once('/').map(|(b, _)| b.to_string()).expect("a URL with a database");
                Second { url: format!("{base}/{database}"), drop: Some((admin, database)) }
            }
            _ => Second { url: sqlite_url(dir, &format!("{name}.db")), drop: None },
        }
    }
}

impl Drop for Second {
    fn drop(&mut self) {
        if let Some((admin, database)) = &self.drop {
            psql(admin, &format!("DROP DATABASE IF EXISTS {database} WITH (FORCE)"));
        }
    }
}

fn psql(url: &str, sql: &str) {
    let status = Command::new("psql").args([url, "-q", "-v", "ON_ERROR_STOP=1", "-c", sql]).status().expect("run psql");
    assert!(status.success(), "psql {sql}");
}

/// A file of records as its tables: name to (columns line, sorted row lines).
fn tables(file: &Path) -> BTreeMap<String, (String, Vec<String>)> {
    let text = std::fs::read_to_string(file).expect("read the file of records");
    let mut lines = text.lines();
    let header: serde_json::Value = serde_json::from_str(lines.next().expect("a header")).expect("JSON");
    assert_eq!(header["format"], "pcplan-records");
    let mut out = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).expect("every line is JSON");
        if let Some(table) = value.get("table").and_then(|t| t.as_str()) {
            current = Some(table.to_string());
            out.insert(table.to_string(), (value["columns"].to_string(), Vec::new()));
        } else if value.get("end").is_some() {
            current = None;
        } else {
            let table = current.as_ref().expect("a row after its table line");
            out.get_mut(table).expect("table").1.push(line.to_string());
        }
    }
    out
}

/// Every table of `after` equals `before`'s, but for the audit log, which has `before`'s
/// entries and exactly one more: the import. Returns the number of rows compared.
fn same_records_plus_the_import(before: &Path, after: &Path) -> usize {
    let (before, after) = (tables(before), tables(after));
    assert_eq!(before.keys().collect::<Vec<_>>(), after.keys().collect::<Vec<_>>());
    let mut compared = 0;
    for (table, (columns, rows)) in &before {
        let (their_columns, their_rows) = &after[table];
        assert_eq!(columns, their_columns, "{table}'s columns");
        match table.as_str() {
            "audit_log" => {
                let extra: Vec<&String> = their_rows.iter().filter(|r| !rows.contains(r)).collect();
                assert_eq!(their_rows.len(), rows.len() + 1, "one new audit entry");
                assert_eq!(extra.len(), 1);
                assert!(extra[0].contains("\"import_records\""), "{}", extra[0]);
            }
            "audit_head" => assert_eq!(their_rows.len(), 1),
            _ => {
                let missing = rows.iter().find(|r| !their_rows.contains(r));
                let added = their_rows.iter().find(|r| !rows.contains(r));
                assert_eq!((rows.len(), missing, added), (their_rows.len(), None, None), "{table}'s rows");
                assert!(rows == their_rows, "{table}'s rows are in the same order");
            }
        }
        compared += rows.len();
    }
    compared
}

async fn demo_store(url: &str) -> Store {
    let store = Store::connect(url).await.expect("open");
    pcplan::commands::load_demo(&store).await.expect("demo loads");
    store
}

#[test]
fn the_demos_records_go_to_the_other_database_and_back_exactly() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let first = sqlite_url(dir.path(), "first.db");
        let store = demo_store(&first).await;
        let index = store.search_index_rows().await.expect("the search index");
        store.close().await;
        let exported = dir.path().join("first.jsonl");
        pcplan::records::export(&config_for(&first), &exported).await.expect("export");
        let counts = tables(&exported);
        for table in ["bodies", "plans", "decisions", "papers", "responses", "crime_counts", "audit_log"] {
            assert!(!counts[table].1.is_empty(), "the demo has {table}");
        }
        // An export never writes over a file.
        let again = pcplan::records::export(&config_for(&first), &exported).await.expect_err("refused");
        assert!(again.to_string().contains("already exists"), "{again}");

        let second = Second::new(dir.path(), "second");
        pcplan::records::import(&config_for(&second.url), &exported).await.expect("import into the second");
        let store = Store::connect(&second.url).await.expect("open the second");
        let audit = store.verify_audit().await.expect("verify");
        assert!(audit.first_broken.is_none(), "{:?}", audit.first_broken);
        assert!(!index.is_empty());
        assert_eq!(store.search_index_rows().await.expect("index"), index, "the search index is rebuilt on import");
        store.close().await;
        let from_second = dir.path().join("second.jsonl");
        pcplan::records::export(&config_for(&second.url), &from_second).await.expect("export the second");
        let rows = same_records_plus_the_import(&exported, &from_second);
        assert!(rows > 1_000, "{rows} rows compared");

        let third = sqlite_url(dir.path(), "third.db");
        pcplan::records::import(&config_for(&third), &from_second).await.expect("import into the third");
        let from_third = dir.path().join("third.jsonl");
        pcplan::records::export(&config_for(&third), &from_third).await.expect("export the third");
        same_records_plus_the_import(&from_second, &from_third);
        eprintln!("{rows} rows round-tripped through {}", second.url.split(':').next().unwrap_or_default());
    });
}

#[test]
fn a_damaged_file_or_a_database_in_use_is_refused_and_nothing_is_written() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let first = sqlite_url(dir.path(), "first.db");
        demo_store(&first).await.close().await;
        let exported = dir.path().join("first.jsonl");
        pcplan::records::export(&config_for(&first), &exported).await.expect("export");
        let text = std::fs::read_to_string(&exported).expect("read");
        let lines: Vec<&str> = text.lines().collect();

        // Cut short half way; then one value of the wrong type.
        let cut = dir.path().join("cut.jsonl");
        std::fs::write(&cut, lines[..lines.len() / 2].join("\n") + "\n").expect("write");
        let row = lines.iter().position(|l| l.contains("\"table\":\"bodies\"")).expect("the bodies table") + 1;
        let mut wrong: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
        let mut cells: Vec<serde_json::Value> = serde_json::from_str(lines[row]).expect("a row");
        cells[0] = serde_json::json!(12.5);
        wrong[row] = serde_json::Value::Array(cells).to_string();
        let typed = dir.path().join("typed.jsonl");
        std::fs::write(&typed, wrong.join("\n") + "\n").expect("write");

        let target = sqlite_url(dir.path(), "target.db");
        for (file, expected) in [(&cut, "cut short".to_string()), (&typed, format!("line {}", row + 1))] {
            let error = pcplan::records::import(&config_for(&target), file).await.expect_err("refused");
            let message = format!("{error:#}");
            assert!(message.contains(&expected), "{message}");
            assert!(message.contains("nothing was written"), "{message}");
            let store = Store::connect(&target).await.expect("open");
            assert!(store.bodies().await.expect("bodies").is_empty(), "nothing was written");
            assert_eq!(store.verify_audit().await.expect("verify").entries, 0);
            store.close().await;
        }

        // The demo's own database is not empty: importing into it is refused.
        let error = pcplan::records::import(&config_for(&first), &exported).await.expect_err("refused");
        assert!(format!("{error:#}").contains("already holds records"), "{error:#}");
    });
}

#[test]
fn a_backup_is_checked_and_a_restore_brings_it_back_keeping_the_replaced_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let url = sqlite_url(dir.path(), "pcplan.db");
        // The backup is taken while the database is open and in use.
        let store = demo_store(&url).await;
        let backup = dir.path().join("backup.db");
        pcplan::records::backup(&config_for(&url), &backup).await.expect("backup");
        assert!(backup.is_file());
        assert!(!dir.path().join("backup.db.partial").exists());
        let refused = pcplan::records::backup(&config_for(&url), &backup).await.expect_err("never overwrites");
        assert!(refused.to_string().contains("already exists"));

        // A change after the backup, which the restore takes away.
        let hash = pcplan_web::auth::hash_password("a long enough password", true).expect("hash");
        let user = NewUser {
            username: String::from("after-the-backup"),
            display_name: String::from("After the backup"),
            role: Role::Viewer,
            password_hash: hash,
            one_time_password: false,
            email: None,
        };
        store.create_user(&Actor::system("test"), &user).await.expect("add a user");
        let entries_after_change = store.verify_audit().await.expect("verify").entries;
        store.close().await;

        pcplan::records::restore(&config_for(&url), &backup).await.expect("restore");
        let store = Store::connect(&url).await.expect("open the restored database");
        assert!(store.user_by_username("after-the-backup").await.expect("read").is_none());
        let audit = store.verify_audit().await.expect("verify");
        assert!(audit.first_broken.is_none());
        assert_eq!(audit.entries + 1, entries_after_change, "the chain as it was at the backup");
        assert!(!store.bodies().await.expect("bodies").is_empty());
        store.close().await;
        let kept: Vec<_> = std::fs::read_dir(dir.path())
            .expect("list")
            .filter_map(|e| e.ok())
            .filter(|e| e.file_name().to_string_lossy().starts_with("pcplan.db.before-restore-"))
            .filter(|e| {
                !e.file_name().to_string_lossy().ends_with("-wal") && !e.file_name().to_string_lossy().ends_with("-shm")
            })
            .collect();
        assert_eq!(kept.len(), 1, "the replaced database is kept");
        let old = Store::connect(&format!("sqlite://{}", kept[0].path().display())).await.expect("open the kept file");
        assert!(old.user_by_username("after-the-backup").await.expect("read").is_some(), "nothing was lost");
        old.close().await;

        // A file that is not a database is refused before anything moves.
        let junk = dir.path().join("junk.db");
        std::fs::write(&junk, b"not a database").expect("write");
        assert!(pcplan::records::restore(&config_for(&url), &junk).await.is_err());
        let store = Store::connect(&url).await.expect("still the restored database");
        assert!(!store.bodies().await.expect("bodies").is_empty());
        store.close().await;
    });
}

#[test]
fn postgres_is_backed_up_with_pg_dump_and_restored_with_pg_restore() {
    let Ok(admin) = std::env::var("PCPLAN_TEST_POSTGRES_URL") else {
        eprintln!("PCPLAN_TEST_POSTGRES_URL is not set: the pg_dump test runs in CI's PostgreSQL leg");
        return;
    };
    if admin.trim().is_empty() {
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let source = Second::new(dir.path(), "dumped");
        demo_store(&source.url).await.close().await;
        // `pcplan backup` points PostgreSQL users at pg_dump.
        let refused =
            pcplan::records::backup(&config_for(&source.url), &dir.path().join("x.db")).await.expect_err("no");
        assert!(refused.to_string().contains("pg_dump"), "{refused}");

        // As docs/operations.md says.
        let dump = dir.path().join("pcplan.dump");
        let status = Command::new("pg_dump")
            .args(["--format=custom", "--no-owner", "--file"])
            .arg(&dump)
            .arg(&source.url)
            .status()
            .expect("run pg_dump");
        assert!(status.success());
        let restored = Second::new(dir.path(), "restored");
        let status = Command::new("pg_restore")
            .args(["--no-owner", "--exit-on-error", "--dbname", &restored.url])
            .arg(&dump)
            .status()
            .expect("run pg_restore");
        assert!(status.success());

        let store = Store::connect(&restored.url).await.expect("open the restored database");
        let audit = store.verify_audit().await.expect("verify");
        assert!(audit.first_broken.is_none());
        store.close().await;
        let (before, after) = (dir.path().join("before.jsonl"), dir.path().join("after.jsonl"));
        pcplan::records::export(&config_for(&source.url), &before).await.expect("export the source");
        pcplan::records::export(&config_for(&restored.url), &after).await.expect("export the restored");
        assert_eq!(tables(&before), tables(&after), "pg_restore gives back every record");
    });
}
