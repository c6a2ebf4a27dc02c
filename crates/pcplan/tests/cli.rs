//! End-to-end tests of the `pcplan` command: the real binary, a real SQLite file.
//!
//! These run the built executable as a user would, so they catch argument parsing,
//! exit codes and what reaches standard output. They do not start the HTTP server;
//! the web crate's own tests cover the routes.

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

/// Writes the demo plan file and imports it into a fresh data directory.
fn imported_demo(dir: &Path) -> std::path::PathBuf {
    let file = dir.join("demo.json");
    std::fs::write(&file, pcplan_demo::plan_file().to_json()).expect("write demo file");
    let data = dir.join("data");
    let out = pcplan(&data, &["plan", "import", file.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "import failed: {}", text(&out.stderr));
    data
}

#[test]
fn export_of_an_imported_plan_gives_back_the_same_file_byte_for_byte() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = imported_demo(dir.path());
    let out = pcplan(&data, &["plan", "export", "--format", "json"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stdout), pcplan_demo::plan_file().to_json());

    // And the export imports again into another database, exporting identically.
    let again = dir.path().join("again.json");
    std::fs::write(&again, &out.stdout).expect("write export");
    let data2 = dir.path().join("data2");
    let imported = pcplan(&data2, &["plan", "import", again.to_str().expect("utf-8 path")]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let out2 = pcplan(&data2, &["plan", "export"]);
    assert_eq!(out2.stdout, out.stdout);
}

#[test]
fn the_contents_check_passes_on_the_issued_demo_plan_and_exits_zero() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = imported_demo(dir.path());
    let out = pcplan(&data, &["plan", "check", "--version", "2"]);
    assert!(out.status.success(), "{}{}", text(&out.stdout), text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("all six elements present"), "{stdout}");
    assert!(stdout.contains("s.7(1)(f)"), "{stdout}");

    let json = pcplan(&data, &["plan", "check", "--version", "2", "--format", "json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("check JSON");
    assert_eq!(report["valid"], serde_json::Value::Bool(true));
    assert_eq!(report["elements"].as_array().map(Vec::len), Some(6));
}

#[test]
fn the_diff_between_the_2013_plan_and_the_2014_variation_lists_changed_milestones_and_objectives() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = imported_demo(dir.path());
    let out = pcplan(&data, &["plan", "diff", "2", "4"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("Summary of variations"), "{stdout}");
    assert!(stdout.contains("Milestones"), "{stdout}");
    assert!(stdout.contains("Objectives"), "{stdout}");

    let json = pcplan(&data, &["plan", "diff", "2", "4", "--format", "json"]);
    let summary: serde_json::Value = serde_json::from_slice(&json.stdout).expect("diff JSON");
    assert!(summary["changes"].as_array().is_some_and(|c| !c.is_empty()));

    let same = pcplan(&data, &["plan", "diff", "4", "draft"]);
    assert!(text(&same.stdout).starts_with("No variations"), "{}", text(&same.stdout));
}

#[test]
fn an_unknown_version_is_an_error_that_says_how_to_list_versions() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = imported_demo(dir.path());
    let out = pcplan(&data, &["plan", "diff", "1", "99"]);
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("has no version 99"), "{}", text(&out.stderr));
}

#[test]
fn a_malformed_plan_file_is_refused_with_its_path_and_nothing_is_imported() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut file = pcplan_demo::plan_file();
    // A milestone whose parent does not exist.
    let milestone = file
        .plan
        .items
        .iter_mut()
        .find(|i| i.record.kind() == pcplan_domain::RecordKind::Milestone)
        .expect("the demo has milestones");
    milestone.parent = Some(pcplan_domain::ItemId::from_u128(0xdead));
    let path = dir.path().join("broken.json");
    std::fs::write(&path, file.to_json()).expect("write");
    let data = dir.path().join("data");
    let out = pcplan(&data, &["plan", "import", path.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("nothing was imported"), "{stderr}");
    assert!(stderr.contains("plan.items[") && stderr.contains("].parent"), "{stderr}");

    let list = pcplan(&data, &["plan", "list"]);
    assert_eq!(text(&list.stdout), "", "no plan may be stored after a refused import");
}

#[test]
fn bad_json_and_unknown_fields_name_the_line_or_the_path() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, "{\n  \"format\": \"pcplan-plan\",\n  oops\n}").expect("write");
    let out = pcplan(&data, &["plan", "import", bad.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("line 3"), "{}", text(&out.stderr));

    let mut value: serde_json::Value = serde_json::from_str(&pcplan_demo::plan_file().to_json()).expect("json");
    value["plan"]["items"][0]["record"]["colour"] = serde_json::Value::String("blue".into());
    let unknown = dir.path().join("unknown.json");
    std::fs::write(&unknown, value.to_string()).expect("write");
    let out = pcplan(&data, &["plan", "import", unknown.to_str().expect("utf-8 path")]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("plan.items[0].record") && stderr.contains("colour"), "{stderr}");
}

#[test]
fn an_unknown_database_url_scheme_is_an_error_and_creates_no_file() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .current_dir(dir.path())
        .args(["plan", "list", "--database-url", "mysql://localhost/pcplan"])
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(text(&out.stderr).contains("mysql"), "{}", text(&out.stderr));
    let entries: Vec<_> = std::fs::read_dir(dir.path()).expect("read dir").collect();
    assert!(entries.is_empty(), "no file may be created: {entries:?}");
}

#[test]
fn a_new_user_gets_a_one_time_password_and_the_audit_log_verifies() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let out = pcplan(&data, &["user", "add", "amy", "--role", "editor", "--display-name", "Amy Policy"]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(stdout.contains("one-time password: "), "{stdout}");

    let again = pcplan(&data, &["user", "add", "amy"]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("amy"), "{}", text(&again.stderr));

    let verify = pcplan(&data, &["audit", "verify"]);
    assert!(verify.status.success(), "{}", text(&verify.stdout));
    assert!(text(&verify.stdout).contains("audit log intact: 1 entry"), "{}", text(&verify.stdout));
}

#[test]
fn the_example_configuration_is_printed_with_comments() {
    let out = Command::new(env!("CARGO_BIN_EXE_pcplan")).args(["config", "example"]).output().expect("runs");
    assert!(out.status.success());
    let stdout = text(&out.stdout);
    assert!(stdout.starts_with("# pcplan configuration."));
    assert!(stdout.contains("database_url"));
}

/// A fresh PostgreSQL database for one test, dropped at the end; `None` without
/// `PCPLAN_TEST_POSTGRES_URL`.
struct PgDatabase {
    admin: String,
    name: String,
}

impl PgDatabase {
    fn create() -> Option<PgDatabase> {
        let admin = std::env::var("PCPLAN_TEST_POSTGRES_URL").ok().filter(|u| !u.trim().is_empty())?;
        let name = format!("pcplan_cli_test_{}", uuid::Uuid::new_v4().simple());
        let status = Command::new("psql")
            .args([admin.as_str(), "-qc", &format!("CREATE DATABASE {name}")])
            .status()
            .expect("psql runs");
        assert!(status.success(), "creating {name}");
        Some(PgDatabase { admin, name })
    }

    fn url(&self) -> String {
        let base = self.admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&self.admin);
        format!("{base}/{}", self.name)
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        let _ = Command::new("psql")
            .args([self.admin.as_str(), "-qc", &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name)])
            .status();
    }
}

#[test]
fn the_plan_file_round_trips_through_postgresql_too() {
    let Some(db) = PgDatabase::create() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("demo.json");
    std::fs::write(&file, pcplan_demo::plan_file().to_json()).expect("write demo file");
    let url = db.url();
    let run = |args: &[&str]| {
        Command::new(env!("CARGO_BIN_EXE_pcplan"))
            .args(args)
            .args(["--database-url", &url])
            .output()
            .expect("the pcplan binary runs")
    };
    let imported = run(&["plan", "import", file.to_str().expect("utf-8 path")]);
    assert!(imported.status.success(), "{}", text(&imported.stderr));
    let exported = run(&["plan", "export"]);
    assert_eq!(text(&exported.stdout), pcplan_demo::plan_file().to_json());
    let check = run(&["plan", "check", "--version", "4"]);
    assert!(check.status.success(), "{}", text(&check.stdout));
    let verify = run(&["audit", "verify"]);
    assert!(text(&verify.stdout).contains("audit log intact"), "{}", text(&verify.stdout));
}

#[test]
fn the_calendar_prints_a_years_bank_holidays_one_iso_date_a_line() {
    let out = Command::new(env!("CARGO_BIN_EXE_pcplan")).args(["calendar", "holidays", "2023"]).output().expect("runs");
    assert!(out.status.success());
    assert_eq!(
        text(&out.stdout),
        "2023-01-02\n2023-04-07\n2023-04-10\n2023-05-01\n2023-05-08\n2023-05-29\n2023-08-28\n2023-12-25\n2023-12-26\n"
    );
    let bad = Command::new(env!("CARGO_BIN_EXE_pcplan")).args(["calendar", "holidays", "1999"]).output().expect("runs");
    assert!(!bad.status.success());
    assert!(text(&bad.stderr).contains("2000 to 2100"), "{}", text(&bad.stderr));
}

#[test]
fn the_calendar_counts_clear_days_by_either_rule() {
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_pcplan")).args(args).output().expect("runs");
        (out.status.success(), text(&out.stdout), text(&out.stderr))
    };
    // Seed 004: the variation papers went out on 29 January for the meeting of 3 February 2014.
    assert_eq!(run(&["calendar", "clear-days", "2014-01-29", "2014-02-03"]).1, "2\n");
    assert_eq!(run(&["calendar", "clear-days", "2014-01-29", "2014-02-03", "--rule", "calendar"]).1, "4\n");
    let (ok, _, stderr) = run(&["calendar", "clear-days", "3 Feb 2014", "2014-02-10"]);
    assert!(!ok && stderr.contains("write it like 2014-02-03"), "{stderr}");
}

#[test]
fn the_demo_loads_the_plan_the_2014_variation_process_and_a_one_time_administrator() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("demo.db").display());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        let store = pcplan_store::Store::connect(&url).await.expect("open");
        let (username, first) = pcplan::commands::load_demo(&store).await.expect("demo loads");
        let processes = store.processes(pcplan_demo::ids::PLAN).await.expect("processes");
        assert_eq!(processes.len(), 1);
        assert_eq!(processes[0].process.steps.len(), 10);
        let meeting = store.meeting(pcplan_demo::ids::MEETING_2014).await.expect("read").expect("the Panel meeting");
        assert_eq!(meeting.papers_due_on.to_string(), "2014-01-24");
        let held = pcplan_demo::boards::meeting_held_2014(&pcplan_demo::process::panel_meeting_2014());
        // Scheduled (revision 0), then its record written once, as held (revision 1).
        assert_eq!(meeting.revision, 1);
        let held = pcplan_domain::meeting::Meeting { revision: meeting.revision, ..held };
        assert_eq!(meeting, held, "scheduled through the store, then recorded as held");
        // Its agenda paper, published on 29 January 2014: late, 2 of 5 clear working days.
        let papers = store.papers(meeting.id).await.expect("papers");
        assert_eq!(papers.len(), 1);
        let calendar = store.calendar().await.expect("calendar");
        let timing = pcplan_domain::paper::timing(&papers[0], &meeting, &calendar).expect("timing");
        assert_eq!(timing, pcplan_domain::paper::PaperTiming::Late { clear_days: 2, required: 5 });
        assert_eq!(store.members(pcplan_demo::boards::PANEL).await.expect("members").len(), 14);
        let (admin, _) = store.user_by_username(&username).await.expect("lookup").expect("admin");
        assert!(admin.must_change_password, "the printed password is one-time");

        // Running the demo again keeps the data and gives a fresh one-time password.
        let (_, second) = pcplan::commands::load_demo(&store).await.expect("demo loads again");
        assert_ne!(first, second);
        assert_eq!(store.processes(pcplan_demo::ids::PLAN).await.expect("processes").len(), 1);
        assert_eq!(store.papers(pcplan_demo::ids::MEETING_2014).await.expect("papers").len(), 1, "added once");
        // West Midlands' Panel and Board; the second body's Panel came with its meeting.
        assert_eq!(store.boards(Some(pcplan_demo::ids::BODY)).await.expect("boards").len(), 2, "added once");
        assert_eq!(store.boards(None).await.expect("boards").len(), 3, "added once");
        assert_eq!(store.verify_audit().await.expect("verify").first_broken, None);
        store.close().await;
    });
}

#[test]
fn calendar_overrides_are_added_listed_applied_and_removed_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    let database = data.join("pcplan.db");

    // No database yet: the built-in calendar answers, and no file is created to do it.
    let builtin = pcplan(&data, &["calendar", "clear-days", "2030-06-05", "2030-06-10"]);
    assert_eq!(text(&builtin.stdout), "2\n", "{}", text(&builtin.stderr));
    let empty = pcplan(&data, &["calendar", "override", "list"]);
    assert!(empty.status.success() && empty.stdout.is_empty(), "{}", text(&empty.stderr));
    assert!(!database.exists(), "reading the calendar creates no database");

    let added = pcplan(&data, &["calendar", "override", "add", "2030-06-07", "--name", "Royal occasion"]);
    assert!(added.status.success(), "{}", text(&added.stderr));
    let moved = pcplan(&data, &["calendar", "override", "add", "2030-05-27", "--name", "Moved", "--remove"]);
    assert!(moved.status.success(), "{}", text(&moved.stderr));
    let list = pcplan(&data, &["calendar", "override", "list"]);
    assert_eq!(text(&list.stdout), "2030-05-27 remove Moved\n2030-06-07 add Royal occasion\n");

    // The stored overrides now apply to the read-only commands.
    let holidays = text(&pcplan(&data, &["calendar", "holidays", "2030", "--names"]).stdout);
    assert!(holidays.contains("2030-06-07 Royal occasion\n"), "{holidays}");
    assert!(!holidays.contains("2030-05-27"), "{holidays}");
    let fewer = pcplan(&data, &["calendar", "clear-days", "2030-06-05", "2030-06-10"]);
    assert_eq!(text(&fewer.stdout), "1\n", "the new holiday is not a working day");

    let twice = pcplan(&data, &["calendar", "override", "add", "2030-06-07", "--name", "Again"]);
    assert!(!twice.status.success());
    assert!(text(&twice.stderr).contains("already has an override"), "{}", text(&twice.stderr));
    let bad = pcplan(&data, &["calendar", "override", "add", "7 June 2030", "--name", "x"]);
    assert!(!bad.status.success() && text(&bad.stderr).contains("write it like"), "{}", text(&bad.stderr));

    let removed = pcplan(&data, &["calendar", "override", "remove", "2030-06-07"]);
    assert!(removed.status.success(), "{}", text(&removed.stderr));
    let again = pcplan(&data, &["calendar", "override", "remove", "2030-06-07"]);
    assert!(!again.status.success() && text(&again.stderr).contains("not found"), "{}", text(&again.stderr));
    let list = pcplan(&data, &["calendar", "override", "list"]);
    assert_eq!(text(&list.stdout), "2030-05-27 remove Moved\n");
    let log = text(&pcplan(&data, &["audit", "log"]).stdout);
    assert_eq!(log.matches("holiday_override").count(), 3, "every change is audited: {log}");
}

#[test]
fn a_password_given_on_standard_input_must_pass_the_policy() {
    use std::io::Write;
    let dir = tempfile::tempdir().expect("temp dir");
    let add = |name: &str, password: &str| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_pcplan"))
            .args(["user", "add", name, "--password-stdin", "--data-dir"])
            .arg(dir.path())
            .env_remove("PCPLAN_DATABASE_URL")
            .env_remove("PCPLAN_CONFIG")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .expect("the pcplan binary runs");
        child.stdin.take().expect("stdin").write_all(format!("{password}\n").as_bytes()).expect("write");
        child.wait_with_output().expect("finishes")
    };
    let common = add("jsmith", "Password2024!");
    assert!(!common.status.success());
    assert!(text(&common.stderr).contains("common password with numbers or symbols added"), "{}", text(&common.stderr));
    let named = add("jsmith", "jsmith's own long phrase");
    assert!(text(&named.stderr).contains("must not contain your username"), "{}", text(&named.stderr));
    let good = add("jsmith", "lantern otter gravel seventeen");
    assert!(good.status.success(), "{}", text(&good.stderr));
    let list = pcplan(dir.path(), &["user", "list"]);
    assert!(text(&list.stdout).contains("jsmith"));
}

#[test]
fn backup_restore_and_a_file_of_records_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = imported_demo(dir.path());
    let backup = dir.path().join("backup.db");
    let out = pcplan(&data, &["backup", "--to", backup.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("integrity ok, audit chain intact"), "{}", text(&out.stdout));

    let restore = pcplan(&data, &["restore", "--from", backup.to_str().expect("utf-8 path")]);
    assert!(restore.status.success(), "{}", text(&restore.stderr));
    assert!(text(&restore.stdout).contains("the database it replaced is kept as"), "{}", text(&restore.stdout));

    let records = dir.path().join("records.jsonl");
    let out = pcplan(&data, &["records", "export", "--to", records.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let other = dir.path().join("other");
    let out = pcplan(&other, &["records", "import", "--from", records.to_str().expect("utf-8 path")]);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let list = pcplan(&other, &["plan", "list"]);
    assert!(text(&list.stdout).contains("version   4"), "{}", text(&list.stdout));
    // Into a database that holds records: refused, and it says why.
    let again = pcplan(&other, &["records", "import", "--from", records.to_str().expect("utf-8 path")]);
    assert!(!again.status.success());
    assert!(text(&again.stderr).contains("already holds records"), "{}", text(&again.stderr));
}

#[test]
fn oidc_settings_come_from_the_environment_and_the_client_secret_is_never_shown() {
    let out = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["config", "show"])
        .env_remove("PCPLAN_CONFIG")
        .env("PCPLAN_OIDC__ISSUER", "https://login.microsoftonline.com/tenant-1/v2.0")
        .env("PCPLAN_OIDC__CLIENT_ID", "client-1")
        .env("PCPLAN_OIDC__CLIENT_SECRET", "very-secret-value")
        .env("PCPLAN_OIDC__CLAIM", "preferred_username")
        .env("PCPLAN_OIDC__ALLOWED_DOMAINS", "example-pcc.police.uk,opcc.example.gov.uk")
        .output()
        .expect("the pcplan binary runs");
    assert!(out.status.success(), "{}", text(&out.stderr));
    let shown = text(&out.stdout);
    for expected in [
        "[oidc]",
        "issuer = \"https://login.microsoftonline.com/tenant-1/v2.0\"",
        "client_id = \"client-1\"",
        "client_secret = \"***\"",
        "claim = \"preferred_username\"",
        "allowed_domains = [\"example-pcc.police.uk\", \"opcc.example.gov.uk\"]",
    ] {
        assert!(shown.contains(expected), "{expected} in {shown}");
    }
    assert!(!shown.contains("very-secret-value"), "{shown}");
}

#[test]
fn the_server_does_not_start_with_oidc_settings_that_cannot_work_and_names_the_key() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pcplan"))
        .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
        .arg(dir.path().join("data"))
        .env_remove("PCPLAN_CONFIG")
        .env_remove("PCPLAN_DATABASE_URL")
        .env("PCPLAN_OIDC__ISSUER", "http://login.example.org/tenant-1/v2.0")
        .env("PCPLAN_OIDC__CLIENT_ID", "client-1")
        .env("PCPLAN_OIDC__CLIENT_SECRET", "very-secret-value")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("the pcplan binary runs");
    // It must stop by itself; a server that started is ended and the test fails.
    let started = std::time::Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if started.elapsed() > std::time::Duration::from_secs(30) {
            let _ = child.kill();
            panic!("pcplan serve started with a plain-http issuer");
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    let out = child.wait_with_output().expect("output");
    assert!(!out.status.success());
    let stderr = text(&out.stderr);
    assert!(stderr.contains("`oidc.issuer`") && stderr.contains("https"), "{stderr}");
    assert!(!stderr.contains("very-secret-value"), "{stderr}");
}
