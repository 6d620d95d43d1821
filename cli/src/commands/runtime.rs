//! `dfharden runtime`: how to run the hardened image (docker run, compose, Kubernetes).

use std::io::Write;

use anyhow::Result;
use dfharden_core::fix;
use dfharden_core::harden::advise;
use dfharden_core::syntax::parse;

use crate::args::{RuntimeArgs, RuntimeFormat};
use crate::config::SettingsResolver;
use crate::input::read_source;
use crate::Outcome;

pub fn run(args: &RuntimeArgs) -> Result<Outcome> {
    let source = read_source(&args.file)?;
    let resolver = SettingsResolver::new(&args.shared, None);
    let resolved = resolver.for_file(&source.name)?;
    let settings = crate::context::with_context(
        &resolved.settings,
        &source.text,
        source.path.as_deref(),
        args.shared.context.as_deref(),
    );
    let text = if args.as_is { source.text.clone() } else { fix(&source.text, &settings).output };
    let advice = advise(&parse(&text), &args.image, &settings);
    let mut out = anstream::stdout().lock();
    match args.format {
        RuntimeFormat::Json => {
            serde_json::to_writer_pretty(
                &mut out,
                &serde_json::json!({ "version": 1, "advice": advice }),
            )?;
            writeln!(out)?;
        }
        RuntimeFormat::Text => {
            let basis = if args.as_is {
                "as it is"
            } else {
                "after `dfharden fix`"
            };
            writeln!(out, "# How to run {} ({basis})\n", source.name.display())?;
            for note in &advice.notes {
                writeln!(out, "- {note}")?;
            }
            writeln!(out, "\n## docker run\n\n{}\n", advice.docker_run)?;
            writeln!(out, "## compose.yaml\n\n{}", advice.compose)?;
            writeln!(out, "## Kubernetes\n\n{}", advice.kubernetes)?;
        }
    }
    Ok(Outcome::Clean)
}
