//! The command-line interface, declared once: `--help`, completions and the man page are all
//! generated from these definitions.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Rewrite Dockerfiles into hardened ones: non-root, distroless final stage, pinned base
/// images, and every change explained.
#[derive(Debug, Parser)]
#[command(name = "dfharden", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// When to use colours.
    #[arg(long, value_enum, default_value_t = ColorChoice::Auto, global = true)]
    pub color: ColorChoice,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Report what makes images unsafe. Exits 1 when there are findings.
    Check(CheckArgs),
    /// Rewrite Dockerfiles into hardened ones (to stdout, as a patch, or in place).
    Fix(FixArgs),
    /// Resolve base-image tags to digests, record them in dfharden.lock, and pin FROM lines.
    ///
    /// Digests come from the registries' OCI distribution API; for multi-platform images the
    /// index digest is kept so the pin works on every platform. `fix` then pins offline from
    /// the lock file.
    Pin(PinArgs),
    /// Print the `docker run` flags, a compose service and a Kubernetes securityContext that
    /// fit the hardened version of a Dockerfile.
    Runtime(RuntimeArgs),
    /// Explain a rule: what it flags, why, and how to fix it.
    Rule(RuleArgs),
    /// List every rule.
    Rules(RulesArgs),
    /// Print how a Dockerfile parses: instructions with line ranges, flags, values, heredocs.
    ///
    /// Useful to compare dfharden's reading of a file with Docker's. Exits 1 if the file has
    /// syntax errors (BuildKit would refuse it).
    Parse(ParseArgs),
    /// Generate shell completions or the man page.
    Generate(GenerateArgs),
    /// Write the dfharden.toml equivalent to another tool's configuration.
    Migrate(MigrateArgs),
    /// Run the language server (LSP) on standard input and output, for editors.
    ///
    /// Diagnostics for each open Dockerfile, a code action per fix (unsafe fixes say so), a
    /// "fix all" action, and the rule's explanation on hover. Settings come from the
    /// dfharden.toml found upwards from each document, read again on every change.
    Server,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    Auto,
    Always,
    Never,
}

/// Options shared by `check` and `fix`.
#[derive(Debug, Args, Clone, Default)]
pub struct SharedArgs {
    /// Files or directories (searched for Dockerfile, *.Dockerfile, Dockerfile.*,
    /// Containerfile; .gitignore is honoured). `-` reads standard input. Default: `.`
    pub paths: Vec<PathBuf>,
    /// The name to report and to find the configuration for, when reading standard input.
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,
    /// Rules to run: codes (DH101), prefixes (DH1), names, categories (privilege), other
    /// tools' ids (DL3002) or ALL. Default: every stable rule outside the style category.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub select: Vec<String>,
    /// Rules to run besides the selected ones (same forms): `--extend-select style` adds the
    /// rules that are off by default.
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub extend_select: Vec<String>,
    /// Rules not to run (same forms as --select).
    #[arg(long, value_delimiter = ',', value_name = "RULES")]
    pub ignore: Vec<String>,
    /// basic: safe fixes only; strict: the full hardening (default).
    #[arg(long, value_enum)]
    pub profile: Option<ProfileArg>,
    /// The non-root user to create and run as (default: nonroot).
    #[arg(long, value_name = "NAME")]
    pub user: Option<String>,
    /// Its uid and gid (default: 65532, as in distroless images).
    #[arg(long, value_name = "UID")]
    pub uid: Option<u32>,
    /// Trusted registries (replaces the configured list).
    #[arg(long, value_delimiter = ',', value_name = "HOSTS")]
    pub trusted_registries: Option<Vec<String>>,
    /// Digest lock file to pin from (default: dfharden.lock found upwards).
    #[arg(long, value_name = "FILE")]
    pub lock_file: Option<PathBuf>,
    /// Use this configuration file instead of the dfharden.toml found upwards.
    #[arg(long, value_name = "FILE", conflicts_with = "isolated")]
    pub config: Option<PathBuf>,
    /// Ignore configuration files.
    #[arg(long)]
    pub isolated: bool,
    /// Do not show a progress bar.
    #[arg(long)]
    pub quiet: bool,
    /// The build context (default: each Dockerfile's directory, as `docker build -f` from
    /// there). dfharden reads the start script an ENTRYPOINT or CMD runs from it, honouring
    /// .dockerignore, to see whether the image needs root to start.
    #[arg(long, value_name = "DIR")]
    pub context: Option<PathBuf>,
    /// Add a USER even where the start cannot be seen (an unread start script, no CMD or
    /// ENTRYPOINT). Check first that the image needs no root to start.
    #[arg(long)]
    pub force_user: bool,
    /// Answer end-of-life questions as of this day, YYYY-MM-DD (default: today, from the
    /// system clock). For reproducible CI runs.
    #[arg(long, value_name = "DATE", value_parser = parse_date)]
    pub today: Option<dfharden_core::knowledge::Date>,
}

fn parse_date(text: &str) -> Result<dfharden_core::knowledge::Date, String> {
    dfharden_core::knowledge::Date::parse(text)
        .filter(|_| text.trim().len() == 10)
        .ok_or_else(|| format!("`{text}` is not a date (YYYY-MM-DD)"))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ProfileArg {
    Basic,
    Strict,
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = OutputFormat::Text)]
    pub output_format: OutputFormat,
    /// Exit 0 even when there are findings.
    #[arg(long)]
    pub exit_zero: bool,
    /// The least severe finding that makes the run fail (exit 1); default: any finding, or the
    /// configuration's `failure-threshold`.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub failure_threshold: Option<crate::config::FailureThreshold>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// `path:line:col: CODE [severity] message`.
    Text,
    /// A JSON document with a `version` field.
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// GitHub Actions annotations.
    Github,
}

#[derive(Debug, Args)]
pub struct FixArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Print a unified patch (`git apply` accepts it) and write nothing. Exits 1 if there
    /// are changes.
    #[arg(long, conflicts_with_all = ["write", "check"])]
    pub diff: bool,
    /// Rewrite the files in place (atomically, keeping their permissions).
    #[arg(long, conflicts_with = "check")]
    pub write: bool,
    /// Write nothing; exit 1 if any file would change. For CI and pull requests.
    #[arg(long)]
    pub check: bool,
    /// Also print, for each change, the rules behind it and why.
    #[arg(long)]
    pub explain: bool,
    /// Apply unsafe fixes too (the strict profile does by default).
    #[arg(long, overrides_with = "no_unsafe_fixes")]
    pub unsafe_fixes: bool,
    /// Apply only safe fixes.
    #[arg(long, overrides_with = "unsafe_fixes")]
    pub no_unsafe_fixes: bool,
    /// Rewrite even files that have syntax errors.
    #[arg(long)]
    pub force: bool,
}

#[derive(Debug, Args)]
pub struct PinArgs {
    #[command(flatten)]
    pub shared: SharedArgs,
    /// Resolve again the images already in the lock file, and move existing pins to the
    /// digests the tags point at now.
    #[arg(long)]
    pub update: bool,
    /// Only write the lock file; leave the Dockerfiles alone.
    #[arg(long)]
    pub lock_only: bool,
    /// Allow plain HTTP to registries that are not on this machine.
    #[arg(long)]
    pub allow_insecure_http: bool,
    /// Seconds to wait for a registry answer.
    #[arg(long, default_value_t = 20)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct RuntimeArgs {
    /// The Dockerfile, or `-` for standard input.
    pub file: PathBuf,
    /// The image name to put in the snippets.
    #[arg(long, default_value = "app:latest")]
    pub image: String,
    /// Advise for the file as it is, not for its hardened version.
    #[arg(long)]
    pub as_is: bool,
    /// Output format.
    #[arg(long, value_enum, default_value_t = RuntimeFormat::Text)]
    pub format: RuntimeFormat,
    #[command(flatten)]
    pub shared: SharedArgs,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RuntimeFormat {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub struct RuleArgs {
    /// A rule code (DH101) or name (final-stage-runs-as-root).
    pub rule: String,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
    pub format: RulesFormat,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
    Markdown,
}

#[derive(Debug, Args)]
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

#[derive(Debug, Args)]
pub struct GenerateArgs {
    #[command(subcommand)]
    pub what: Generate,
}

#[derive(Debug, Subcommand)]
pub enum Generate {
    /// Shell completions for bash, zsh, fish, elvish or powershell.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// The man page (roff) on standard output.
    Man,
}

#[derive(Debug, Args)]
pub struct MigrateArgs {
    #[command(subcommand)]
    pub from: MigrateFrom,
}

#[derive(Debug, Subcommand)]
pub enum MigrateFrom {
    /// From `.hadolint.yaml`: hadolint's ids stay as they are (each names the dfharden rule
    /// that claims it); what has no equivalent is listed in comments.
    Hadolint {
        /// The hadolint configuration (default: .hadolint.yaml or .hadolint.yml here).
        path: Option<PathBuf>,
        /// Write dfharden.toml beside it (refused if one exists) instead of printing it.
        #[arg(long)]
        write: bool,
    },
}
