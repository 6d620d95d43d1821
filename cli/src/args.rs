//! The command-line interface, declared once: `--help`, completions and the man page are all
//! generated from these definitions.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

/// Rewrite Dockerfiles into hardened ones: non-root, distroless final stage, pinned base
/// images, and every change explained.
#[derive(Debug, Parser)]
#[command(name = "dfharden", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Print how a Dockerfile parses: instructions with line ranges, flags, values, heredocs.
    ///
    /// Useful to compare dfharden's reading of a file with Docker's. Exits 1 if the file has
    /// syntax errors (BuildKit would refuse it).
    Parse(ParseArgs),
}

#[derive(Debug, clap::Args)]
pub struct ParseArgs {
    /// The Dockerfile to read, or `-` for standard input.
    pub file: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = ParseFormat::Text)]
    pub format: ParseFormat,
    /// Shorthand for `--format json`.
    #[arg(long, conflicts_with = "format")]
    pub json: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ParseFormat {
    /// One line per instruction.
    Text,
    /// A JSON document with a `version` field.
    Json,
    /// BuildKit's own AST dump format (as in its `testfiles/*/result`).
    Buildkit,
}
