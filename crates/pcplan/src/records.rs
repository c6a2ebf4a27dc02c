//! `pcplan backup`, `pcplan restore` and `pcplan records export|import`: copies of the
//! database to keep, and every record moved between databases of either kind.
//!
//! A backup is a SQLite file, taken while pcplan runs (`VACUUM INTO`: one read
//! transaction, so writers carry on and the copy is of one moment), then opened and
//! checked: SQLite's integrity check and the audit chain, every link. Restoring checks
//! the backup the same way on a copy next to the database, then renames: the database it
//! replaces is kept beside it, so a restore loses nothing. PostgreSQL is backed up with
//! `pg_dump` (docs/operations.md), or with `pcplan records export`, which works on both.
//!
//! Nothing here writes over a file: the file a backup or an export writes must not exist,
//! and each is written under a temporary name first and renamed when complete, so a
//! file with the final name is always whole.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, bail};
use pcplan_store::{Actor, Store};

use crate::cli::RecordsCommand;
use crate::commands::open_store;
use crate::config::Config;

/// Runs a `records` command.
pub async fn run(command: RecordsCommand, config: Config) -> anyhow::Result<ExitCode> {
    match command {
        RecordsCommand::Export { to, store } => export(&config.with_store_args(&store), &to).await,
        RecordsCommand::Import { from, store } => import(&config.with_store_args(&store), &from).await,
    }
}

/// Refuses a path that exists: backups and exports never overwrite.
fn must_be_new(path: &Path) -> anyhow::Result<()> {
    if path.exists() {
        bail!("{} already exists; choose a new file name (a backup never writes over a file)", path.display());
    }
    Ok(())
}

/// `path` with `suffix` added to its file name.
fn beside(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_os_string();
    name.push(suffix);
    PathBuf::from(name)
}

/// The file of a `sqlite://` URL, or why there is none.
fn sqlite_file(url: &str, command: &str) -> anyhow::Result<PathBuf> {
    let Some(rest) = url.strip_prefix("sqlite:") else {
        bail!(
            "`pcplan {command}` works on the SQLite database; for PostgreSQL use pg_dump and pg_restore \
             (docs/operations.md), or `pcplan records export` and `import`"
        );
    };
    let path = rest.trim_start_matches("//");
    let path = path.split('?').next().unwrap_or(path);
    Ok(PathBuf::from(path))
}

/// Opens a database file and checks it: SQLite's integrity check and the audit chain.
/// Returns what to print about it. `restoring` also ends the sessions it holds, so a
/// restore never brings back a session ended since the backup.
async fn check(path: &Path, restoring: bool) -> anyhow::Result<String> {
    let store = Store::connect(&format!("sqlite://{}", path.display()))
        .await
        .with_context(|| format!("opening {} to check it", path.display()))?;
    let integrity = store.integrity_check().await;
    let audit = store.verify_audit().await;
    let ended = if restoring { store.end_all_sessions().await.map(Some) } else { Ok(None) };
    store.close().await;
    ended.context("ending the sessions the backup holds")?;
    let integrity = integrity.context("running SQLite's integrity check")?;
    if integrity != "ok" {
        bail!("{} fails SQLite's integrity check: {integrity}", path.display());
    }
    let audit = audit.context("verifying the audit chain")?;
    if let Some(broken) = audit.first_broken {
        bail!("{}: the audit chain is broken at entry {}: {}", path.display(), broken.seq, broken.reason);
    }
    Ok(format!("integrity ok, audit chain intact: {} entries, head {}", audit.entries, audit.head))
}

/// `pcplan backup --to FILE`.
pub async fn backup(config: &Config, to: &Path) -> anyhow::Result<ExitCode> {
    must_be_new(to)?;
    let url = config.database_url()?;
    sqlite_file(&url, "backup")?;
    let partial = beside(to, ".partial");
    if partial.exists() {
        std::fs::remove_file(&partial).with_context(|| format!("removing an unfinished {}", partial.display()))?;
    }
    let store = open_store(config).await?;
    let copied = store.backup_to(&partial).await;
    store.close().await;
    copied.with_context(|| format!("copying the database to {}", partial.display()))?;
    let checked = match check(&partial, false).await {
        Ok(checked) => checked,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(error.context("the copy failed its check and was removed; the database is unchanged"));
        }
    };
    std::fs::rename(&partial, to).with_context(|| format!("naming the backup {}", to.display()))?;
    let bytes = std::fs::metadata(to).map(|m| m.len()).unwrap_or(0);
    println!("backed up to {} ({bytes} bytes): {checked}", to.display());
    Ok(ExitCode::SUCCESS)
}

/// `pcplan restore --from FILE`.
pub async fn restore(config: &Config, from: &Path) -> anyhow::Result<ExitCode> {
    let url = config.database_url()?;
    let database = sqlite_file(&url, "restore")?;
    if !from.is_file() {
        bail!("{} is not a file; name the backup `pcplan backup` wrote", from.display());
    }
    // Check a copy, never the backup itself: opening a backup from an older pcplan
    // applies the newer migrations, which must not change the file kept as the backup.
    let incoming = beside(&database, ".restoring");
    for stale in [incoming.clone(), beside(&incoming, "-wal"), beside(&incoming, "-shm")] {
        if stale.exists() {
            std::fs::remove_file(&stale).with_context(|| format!("removing an unfinished {}", stale.display()))?;
        }
    }
    std::fs::copy(from, &incoming).with_context(|| format!("copying {} to {}", from.display(), incoming.display()))?;
    let checked = match check(&incoming, true).await {
        Ok(checked) => checked,
        Err(error) => {
            let _ = std::fs::remove_file(&incoming);
            return Err(error.context("the backup failed its check; nothing was restored"));
        }
    };
    let mut kept = None;
    if database.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = beside(&database, &format!(".before-restore-{stamp}"));
        // The write-ahead log belongs with its database, so it moves with it.
        for suffix in ["-wal", "-shm"] {
            let file = beside(&database, suffix);
            if file.exists() {
                std::fs::rename(&file, beside(&aside, suffix))
                    .with_context(|| format!("moving {} aside", file.display()))?;
            }
        }
        std::fs::rename(&database, &aside).with_context(|| format!("moving {} aside", database.display()))?;
        kept = Some(aside);
    }
    std::fs::rename(&incoming, &database)
        .with_context(|| format!("putting the backup in place as {}", database.display()))?;
    println!("restored {} from {}: {checked}", database.display(), from.display());
    if let Some(aside) = kept {
        println!("the database it replaced is kept as {}", aside.display());
    }
    Ok(ExitCode::SUCCESS)
}

/// `pcplan records export --to FILE`.
pub async fn export(config: &Config, to: &Path) -> anyhow::Result<ExitCode> {
    must_be_new(to)?;
    let partial = beside(to, ".partial");
    let store = open_store(config).await?;
    let file = std::fs::File::create(&partial).with_context(|| format!("creating {}", partial.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let report = store.export_records(&mut out).await;
    store.close().await;
    let report = match report {
        Ok(report) => report,
        Err(error) => {
            let _ = std::fs::remove_file(&partial);
            return Err(anyhow::Error::new(error).context("exporting the records"));
        }
    };
    let file = out.into_inner().map_err(|e| anyhow::anyhow!("writing {}: {}", partial.display(), e.error()))?;
    file.sync_all().with_context(|| format!("writing {} to disk", partial.display()))?;
    std::fs::rename(&partial, to).with_context(|| format!("naming the export {}", to.display()))?;
    println!("exported {} rows from {} tables to {}", report.rows, report.tables.len(), to.display());
    Ok(ExitCode::SUCCESS)
}

/// `pcplan records import --from FILE`.
pub async fn import(config: &Config, from: &Path) -> anyhow::Result<ExitCode> {
    let file = std::fs::File::open(from).with_context(|| format!("opening {}", from.display()))?;
    let mut input = std::io::BufReader::new(file);
    let store = open_store(config).await?;
    let report = store.import_records(&Actor::system("pcplan records import"), &mut input).await;
    store.close().await;
    let report = report.with_context(|| format!("importing {}; nothing was written", from.display()))?;
    println!("imported {} rows into {} tables; the search index is rebuilt", report.rows, report.tables.len());
    Ok(ExitCode::SUCCESS)
}
