//! One module per subcommand.

mod parse;

use anyhow::Result;

use crate::args::{Cli, Command};
use crate::Outcome;

pub fn run(cli: Cli) -> Result<Outcome> {
    match cli.command {
        Command::Parse(args) => parse::run(&args),
    }
}
