//! One module per subcommand, and the parallel file loop they share.

mod check;
mod fix;
mod generate;
mod parse;
mod pin;
mod rules;
mod runtime;

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
    }
}

/// Runs `work` on every target in parallel and returns the results in the targets' order.
/// On a terminal, long runs show a progress bar on standard error.
pub fn process<T: Send>(targets: &[Target], quiet: bool, work: impl Fn(&Target) -> T + Sync) -> Vec<T> {
    let show = !quiet && targets.len() >= 50 && std::io::stderr().is_terminal();
    let bar = if show {
        let bar = indicatif::ProgressBar::new(targets.len() as u64);
        bar.set_style(
            indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} Dockerfiles ({elapsed})")
                .expect("valid template"),
        );
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let results = targets
        .par_iter()
        .map(|target| {
            let result = work(target);
            bar.inc(1);
            result
        })
        .collect();
    bar.finish_and_clear();
    results
}
