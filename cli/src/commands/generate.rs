//! `dfharden generate`: shell completions and the man page, from the clap definitions.

use anyhow::Result;
use clap::CommandFactory;

use crate::args::{Cli, Generate, GenerateArgs};
use crate::Outcome;

pub fn run(args: &GenerateArgs) -> Result<Outcome> {
    let mut command = Cli::command();
    let mut out = std::io::stdout().lock();
    match &args.what {
        Generate::Completions { shell } => clap_complete::generate(*shell, &mut command, "dfharden", &mut out),
        Generate::Man => clap_mangen::Man::new(command).render(&mut out)?,
    }
    Ok(Outcome::Clean)
}
