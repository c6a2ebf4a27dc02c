//! The `pcplan` command as a library: configuration, the command line and each command.
//!
//! `main.rs` only parses arguments and prints errors; everything here can be called from
//! tests. Commands open the store, do one thing and close it. This crate holds no domain
//! rules and no SQL: it wires the domain, the store and the web crate together.

pub mod cli;
pub mod commands;
pub mod config;
pub mod crime;
pub mod demo_annual;
pub mod demo_consultation;
pub mod demo_llr;
pub mod demo_report;
pub mod records;
pub mod reminders;
pub mod themes;

use std::process::ExitCode;

use cli::{Cli, Command, ConfigCommand};
use config::Config;

/// Runs one command to completion.
pub fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    let config = Config::load(cli.config.as_deref())?;
    if let Command::Config(command) = &cli.command {
        match command {
            ConfigCommand::Example => print!("{}", config::EXAMPLE),
            ConfigCommand::Show => print!("{}", config.to_toml()),
        }
        return Ok(ExitCode::SUCCESS);
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(commands::dispatch(cli.command, config))
}

/// Sets up logging once per process: human-readable lines on standard error, filtered by
/// `RUST_LOG` or else the configured filter.
pub fn init_logging(filter: &str) {
    use tracing_subscriber::EnvFilter;
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new(filter));
    // A second call (tests run several commands in one process) keeps the first
    // subscriber, which is what we want.
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}
