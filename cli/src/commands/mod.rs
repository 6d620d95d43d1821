//! One module per subcommand, and the parallel file loop they share.

mod check;
mod fix;
mod generate;
mod migrate;
mod parse;
mod pin;
mod rules;
mod runtime;
mod server;

use std::io::IsTerminal;

use anyhow::Result;
use rayon::prelude::*;

use crate::args::{Cli, ColorChoice, Command};
use crate::discover::Target;
use crate::Outcome;

pub fn run(cli: Cli) -> Result<Outcome> {
    let choice = match cli.color {
        ColorChoice::Auto => anstream::ColorChoice::Auto,
        ColorChoice::Always => anstream::ColorChoice::Always,
        ColorChoice::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    match cli.command {
        Command::Check(args) => check::run(&args),
        Command::Fix(args) => fix::run(&args),
        Command::Pin(args) => pin::run(&args),
        Command::Runtime(args) => runtime::run(&args),
        Command::Rule(args) => rules::rule(&args),
        Command::Rules(args) => rules::list(&args),
        Command::Parse(args) => parse::run(&args),
        Command::Generate(args) => generate::run(&args),
        Command::Migrate(args) => migrate::run(&args),
        Command::Server => server::run(),
    }
}

/// Standard output or error with the colour choice anstream makes for it, buffered: what a
/// file produces goes out in one write when flushed, not in a system call a line (anstream
/// writes through to the stream, which is line-buffered).
pub fn buffered(stream: Stream) -> anstream::AutoStream<Box<dyn std::io::Write + Send>> {
    let (choice, raw): (_, Box<dyn std::io::Write + Send>) = match stream {
        Stream::Stdout => (anstream::stdout().current_choice(), Box::new(std::io::BufWriter::new(std::io::stdout()))),
        Stream::Stderr => (anstream::stderr().current_choice(), Box::new(std::io::BufWriter::new(std::io::stderr()))),
    };
    anstream::AutoStream::new(raw, choice)
}

pub enum Stream {
    Stdout,
    Stderr,
}

/// How many files are in flight at once in [`process_each`]: enough to keep every core busy,
/// few enough that memory does not grow with the number of files.
const BATCH: usize = 256;

/// Runs `work` on every target in parallel, a batch at a time, and hands each result to
/// `sink` in the targets' order as soon as its batch is done: memory stays that of one batch
/// however many files there are (the targets themselves are read from the stream a batch at
/// a time). On a terminal, runs longer than a batch show a counter on standard error.
pub fn process_each<T: Send>(
    targets: impl Iterator<Item = Target>,
    quiet: bool,
    work: impl Fn(&Target) -> T + Sync,
    mut sink: impl FnMut(T) -> Result<()>,
) -> Result<()> {
    let mut targets = targets.peekable();
    let mut bar = indicatif::ProgressBar::hidden();
    let mut first = true;
    while targets.peek().is_some() {
        let batch: Vec<Target> = targets.by_ref().take(BATCH).collect();
        if first && targets.peek().is_some() && !quiet && std::io::stderr().is_terminal() {
            bar = indicatif::ProgressBar::new_spinner();
            bar.set_style(
                indicatif::ProgressStyle::with_template("{spinner} {pos} Dockerfiles ({elapsed})")
                    .expect("valid template"),
            );
        }
        first = false;
        let results: Vec<T> = batch
            .par_iter()
            .map(|target| {
                let result = work(target);
                bar.inc(1);
                result
            })
            .collect();
        for result in results {
            sink(result)?;
        }
    }
    bar.finish_and_clear();
    Ok(())
}
