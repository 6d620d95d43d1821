//! The `dfharden` command line: glue between files, terminals and `dfharden-core`.
//!
//! `main` is the single place the program exits: 0 when all is well, 1 when findings or
//! changes were reported, 2 on an error. A closed pipe (`dfharden ... | head`) is not an error.

mod args;
mod commands;
mod config;
mod context;
mod discover;
mod hadolint;
mod input;
mod lockfile;
mod paths;
mod registry;
mod write;

use std::io::{self, Write};
use std::process::ExitCode;

use clap::Parser;

/// What a command reports back to `main`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Nothing to report.
    Clean,
    /// Findings, changes or syntax errors were reported.
    Reported,
}

fn main() -> ExitCode {
    let cli = args::Cli::parse();
    match commands::run(cli) {
        Ok(Outcome::Clean) => ExitCode::from(0),
        Ok(Outcome::Reported) => ExitCode::from(1),
        Err(error) => {
            if is_broken_pipe(&error) {
                return ExitCode::from(0);
            }
            let _ = writeln!(io::stderr(), "dfharden: error: {error:#}");
            ExitCode::from(2)
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        let kind = cause
            .downcast_ref::<io::Error>()
            .map(io::Error::kind)
            .or_else(|| {
                cause
                    .downcast_ref::<serde_json::Error>()
                    .and_then(|e| e.io_error_kind())
            });
        kind == Some(io::ErrorKind::BrokenPipe)
    })
}
