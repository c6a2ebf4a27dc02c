//! The `pcplan` binary: parses the command line and hands over to the library.
//!
//! Everything else lives in `lib.rs` so tests and other binaries can reuse it; this file
//! only prints the error chain and sets the exit code.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = pcplan::cli::Cli::parse();
    match pcplan::run(cli) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            for cause in error.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            ExitCode::from(2)
        }
    }
}
