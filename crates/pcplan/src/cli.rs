//! The command line: every subcommand and flag, declared with clap.
//!
//! This module only describes the interface; what each command does is in the modules
//! named after it. Flags that also exist in the configuration file override it.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// pcplan runs the statutory life of a Police and Crime Plan: drafting, versions,
/// variations, the statutory contents check, and the public plan.
#[derive(Debug, Parser)]
#[command(name = "pcplan", version, about, long_about = None)]
pub struct Cli {
    /// A TOML configuration file (see `pcplan config example`).
    #[arg(long, global = true, env = "PCPLAN_CONFIG")]
    pub config: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve pcplan over HTTP.
    Serve(ServerArgs),
    /// Serve pcplan with the West Midlands demo plan loaded and print a demo sign-in.
    Demo(ServerArgs),
    /// Work with plans: check, diff, export, import.
    #[command(subcommand)]
    Plan(PlanCommand),
    /// Manage staff accounts.
    #[command(subcommand)]
    User(UserCommand),
    /// Inspect and verify the audit log.
    #[command(subcommand)]
    Audit(AuditCommand),
    /// The England and Wales working-day calendar.
    #[command(subcommand)]
    Calendar(CalendarCommand),
    /// Configuration helpers.
    #[command(subcommand)]
    Config(ConfigCommand),
    /// E-mail reminders of deadlines to their owners.
    #[command(subcommand)]
    Reminders(RemindersCommand),
    /// Theme analysis of consultation responses from a file, with no database.
    #[command(subcommand)]
    Themes(ThemesCommand),
    /// police.uk crime data from files, with no database.
    #[command(subcommand)]
    Crime(crate::crime::CrimeCommand),
    /// The full-text search index.
    #[command(subcommand)]
    Search(SearchCommand),
    /// Copy the SQLite database to a new file while pcplan runs, and check the copy.
    Backup {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Put a SQLite backup in place of the database, keeping the old file beside it.
    /// Stop the server first.
    Restore {
        /// The backup file `pcplan backup` wrote.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Every record as one file, and that file loaded into a new database of either
    /// kind (SQLite to PostgreSQL and back).
    #[command(subcommand)]
    Records(RecordsCommand),
}

/// The `records` commands.
#[derive(Debug, Subcommand)]
pub enum RecordsCommand {
    /// Write every record to a file (JSON Lines), from one consistent snapshot.
    Export {
        /// The file to write; it must not exist yet.
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Load a file of records into a new, empty database, in one transaction.
    Import {
        /// The file `pcplan records export` wrote.
        #[arg(long)]
        from: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The `search` commands.
#[derive(Debug, Subcommand)]
pub enum SearchCommand {
    /// Build the search index again from every stored record (after a restore, or if
    /// results ever look stale); each change keeps it up to date otherwise.
    Reindex {
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The `themes` commands. They read only the file they are given: no configuration
/// path, data directory or database is opened or created.
#[derive(Debug, Subcommand)]
pub enum ThemesCommand {
    /// Find the themes in the answers to one question and print them with each
    /// response's theme assignments and scores.
    Analyse {
        /// The responses: a CSV or XLSX export, or JSON Lines (`.jsonl`, one object a line).
        file: PathBuf,
        /// The column (CSV, XLSX) or key (JSON Lines) holding the answer text.
        #[arg(long)]
        text_column: String,
        /// The column or key holding each response's id; when left out, responses are
        /// numbered from 1 in file order.
        #[arg(long)]
        id_column: Option<String>,
        /// The number of themes to fit; chosen automatically when left out.
        #[arg(long)]
        themes: Option<usize>,
        /// The seed of the analysis: the same file and seed give the same themes.
        #[arg(long, default_value_t = 42)]
        seed: u64,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
        /// The sheet of an XLSX file; the first visible sheet when left out.
        #[arg(long)]
        sheet: Option<String>,
        /// The line (CSV) or row (XLSX) holding the column names; found automatically
        /// when left out.
        #[arg(long)]
        header_row: Option<usize>,
        /// Analyse the good rows when some rows are bad (listed on standard error)
        /// instead of stopping.
        #[arg(long)]
        skip_bad_rows: bool,
        /// A directory holding all-MiniLM-L6-v2 (`config.json`, `tokenizer.json`,
        /// `model.safetensors`): themes are then found from sentence embeddings, in a
        /// pcplan built with the `embeddings` feature. Without it, or when the model
        /// cannot be loaded, TF-IDF and NMF are used and the output says why.
        #[arg(long, env = "PCPLAN_EMBEDDING_MODEL")]
        model_dir: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemindersCommand {
    /// Send the reminders due today, each once (for cron; `pcplan serve` also does this).
    Send {
        /// The day to send for, `YYYY-MM-DD`; today when left out.
        #[arg(long)]
        today: Option<String>,
        /// Print what would be sent; send nothing and record nothing.
        #[arg(long)]
        dry_run: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List the newest reminders: sent, failed with the reason, or not confirmed.
    List {
        #[arg(long, default_value_t = 50)]
        limit: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// The calendar commands. `holidays` and `clear-days` apply the overrides stored in the
/// configured database when it exists, and the built-in calendar otherwise (they never
/// create a database).
#[derive(Debug, Subcommand)]
pub enum CalendarCommand {
    /// Print a year's England and Wales bank holidays, one ISO date a line.
    Holidays {
        /// A year from 2000 to 2100.
        year: i32,
        /// Print each holiday's name after its date.
        #[arg(long)]
        names: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the number of clear days between two dates (both ends excluded).
    ClearDays {
        /// The earlier date, `YYYY-MM-DD` (the day papers were published).
        from: String,
        /// The later date, `YYYY-MM-DD` (the day of the meeting).
        to: String,
        /// Count working days (weekdays that are not bank holidays) or every day.
        #[arg(long, value_enum, default_value_t = RuleArg::Working)]
        rule: RuleArg,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Staff overrides of the bank holidays: one-off days added, computed days removed.
    #[command(subcommand)]
    Override(OverrideCommand),
}

#[derive(Debug, Subcommand)]
pub enum OverrideCommand {
    /// Add a one-off bank holiday, or with `--remove` take away a day the rules give.
    Add {
        /// The date, `YYYY-MM-DD`.
        date: String,
        /// The occasion: `Coronation of King Charles III`.
        #[arg(long)]
        name: String,
        /// Remove the date from the bank holidays instead of adding it.
        #[arg(long)]
        remove: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print every override: date, `add` or `remove`, and the occasion, one a line.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Delete the override of a date.
    Remove {
        /// The date, `YYYY-MM-DD`.
        date: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RuleArg {
    Working,
    Calendar,
}

/// Where to store data; shared by every command that opens the database.
#[derive(Debug, Clone, Default, Args)]
pub struct StoreArgs {
    /// The directory for the SQLite database and other files (created if missing).
    #[arg(long)]
    pub data_dir: Option<PathBuf>,
    /// A database URL: `sqlite://path/to/file.db` or `postgres://user@host/db`.
    #[arg(long)]
    pub database_url: Option<String>,
}

#[derive(Debug, Clone, Args)]
pub struct ServerArgs {
    /// The address and port to listen on.
    #[arg(long)]
    pub listen: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Subcommand)]
pub enum PlanCommand {
    /// Run the statutory contents check (PRSRA 2011 s.7(1)) on a version or the working draft.
    Check {
        /// A version number; the working draft when left out.
        #[arg(long)]
        version: Option<u32>,
        #[command(flatten)]
        select: PlanSelect,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// Summarise the variations between two versions (`draft` for the working draft).
    Diff {
        /// The older version: a number or `draft`.
        from: String,
        /// The newer version: a number or `draft`.
        to: String,
        #[command(flatten)]
        select: PlanSelect,
        #[arg(long, value_enum, default_value_t = Format::Text)]
        format: Format,
    },
    /// List plans and their versions.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Write a plan, its body and all its versions as a plan file.
    Export {
        #[command(flatten)]
        select: PlanSelect,
        /// Only `json` is supported.
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        /// Write to this file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
    /// Read a plan file written by `export` into the database, all or nothing.
    Import {
        file: PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
}

/// Which plan a command works on.
#[derive(Debug, Clone, Default, Args)]
pub struct PlanSelect {
    /// The plan's id; may be left out when the database holds one plan.
    #[arg(long)]
    pub plan: Option<String>,
    #[command(flatten)]
    pub store: StoreArgs,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ExportFormat {
    Json,
}

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a staff account and print its one-time password.
    Add {
        username: String,
        /// The name shown in the audit log and on pages.
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long, value_enum, default_value_t = RoleArg::Editor)]
        role: RoleArg,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        /// Where reminders of the deadlines this person owns are sent.
        #[arg(long)]
        email: Option<String>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// List staff accounts.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RoleArg {
    Admin,
    Editor,
    Approver,
    Liaison,
    PanelOfficer,
    Viewer,
}

#[derive(Debug, Subcommand)]
pub enum AuditCommand {
    /// Recompute the hash chain and report the first broken link, if any.
    Verify {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Print the newest audit entries.
    Log {
        #[arg(long, default_value_t = 20)]
        limit: i64,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    /// Print a commented example configuration file.
    Example,
    /// Print the configuration in effect after files, environment and defaults.
    Show,
}
