//! `dfharden fix`: rewrite Dockerfiles, to standard output, as a patch, or in place.

use std::io::Write;

use anyhow::{bail, Result};
use dfharden_core::render::{attributed_hunks, unified_diff};
use dfharden_core::rules::rule_by_code;
use dfharden_core::{fix_checked, FixOutcome};

use super::{buffered, process_each, Stream};
use crate::args::FixArgs;
use crate::config::SettingsResolver;
use crate::discover::discover;
use crate::input::{read_target, Source};
use crate::paths::{display_path, patch_path};
use crate::write::write_atomically;
use crate::Outcome;

#[derive(Clone, Copy, PartialEq, Eq)]
enum Mode {
    Stdout,
    Diff,
    Write,
    Check,
}

struct Fixed {
    source: Source,
    outcome: FixOutcome,
}

impl Fixed {
    fn changed(&self) -> bool {
        self.outcome.output != self.source.text
    }

    fn codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = self.outcome.applied.iter().map(|a| a.code).collect();
        codes.sort_unstable();
        codes.dedup();
        codes
    }
}

pub fn run(args: &FixArgs) -> Result<Outcome> {
    let shared = &args.shared;
    let mode = match (args.diff, args.write, args.check) {
        (true, _, _) => Mode::Diff,
        (_, true, _) => Mode::Write,
        (_, _, true) => Mode::Check,
        _ => Mode::Stdout,
    };
    // Standard output takes one file: look at the first two before any is fixed.
    let mut found = discover(&shared.paths)?;
    let head: Vec<_> = found.by_ref().take(2).collect();
    if mode == Mode::Stdout && head.len() != 1 {
        let count = head.len() + found.count();
        bail!("{count} files to fix: choose --write, --diff or --check (standard output takes one file)");
    }
    let targets = head.into_iter().chain(found);
    let unsafe_fixes = match (args.unsafe_fixes, args.no_unsafe_fixes) {
        (true, _) => Some(true),
        (_, true) => Some(false),
        _ => None,
    };
    let resolver = SettingsResolver::new(shared, unsafe_fixes);
    let work = |target: &crate::discover::Target| -> Result<Fixed> {
        let source = read_target(target, shared.stdin_filename.as_deref())?;
        let name = display_path(&source.name);
        let resolved = resolver.for_file(&source.name)?;
        let settings = crate::context::with_context(
            &resolved.settings,
            &source.text,
            source.path.as_deref(),
            shared.context.as_deref(),
        );
        let Ok(outcome) = fix_checked(&source.text, &settings, args.force) else {
            bail!("{name}: not rewritten: it has syntax errors (BuildKit would refuse it; see `dfharden check`). Pass --force to rewrite anyway");
        };
        Ok(Fixed { source, outcome })
    };

    let mut failed = 0;
    let mut changed_files = 0;
    // Results are written as they arrive, in order: memory does not grow with the file count.
    // Each file's output is buffered and written at once; the streams are locked only while
    // writing, never while the workers (and the progress bar) run.
    let mut out = buffered(Stream::Stdout);
    let mut err = buffered(Stream::Stderr);
    process_each(targets, shared.quiet, work, |result| -> Result<()> {
        let fixed = match result {
            Ok(fixed) => fixed,
            Err(e) => {
                failed += 1;
                writeln!(err, "dfharden: error: {e:#}")?;
                err.flush()?;
                return Ok(());
            }
        };
        let name = display_path(&fixed.source.name);
        for dropped in &fixed.outcome.dropped {
            writeln!(
                err,
                "{name}: warning: {} fix \"{}\" not applied: {}",
                dropped.code, dropped.title, dropped.reason
            )?;
        }
        if !fixed.outcome.converged {
            writeln!(
                err,
                "{name}: warning: fixes did not settle after {} rounds; please report this file",
                fixed.outcome.rounds
            )?;
        }
        let changed = fixed.changed();
        changed_files += usize::from(changed);
        match mode {
            Mode::Stdout => out.write_all(fixed.outcome.output.as_bytes())?,
            Mode::Diff => {
                let path = match &fixed.source.path {
                    Some(path) => patch_path(path),
                    None => name.clone(),
                };
                out.write_all(
                    unified_diff(&fixed.source.text, &fixed.outcome.output, &path).as_bytes(),
                )?;
            }
            Mode::Check => {
                if changed {
                    writeln!(out, "would fix {name} ({})", fixed.codes().join(", "))?;
                }
            }
            Mode::Write => match (&fixed.source.path, changed) {
                (Some(path), true) => {
                    write_atomically(path, &fixed.outcome.output)?;
                    writeln!(err, "fixed {name} ({})", fixed.codes().join(", "))?;
                }
                (None, _) => out.write_all(fixed.outcome.output.as_bytes())?,
                (Some(_), false) => {}
            },
        }
        if args.explain {
            write_explanation(&mut err, &name, &fixed)?;
            write_not_done(
                &mut err,
                &name,
                &fixed,
                &settings_for_explain(&resolver, &fixed, shared)?,
            )?;
        }
        out.flush()?;
        err.flush()?;
        Ok(())
    })?;
    if failed > 0 {
        bail!("{failed} file(s) could not be fixed");
    }
    if mode == Mode::Write && changed_files > 0 {
        writeln!(
            anstream::stderr().lock(),
            "{changed_files} file(s) rewritten"
        )?;
    }
    let reports_changes = matches!(mode, Mode::Diff | Mode::Check) && changed_files > 0;
    Ok(if reports_changes {
        Outcome::Reported
    } else {
        Outcome::Clean
    })
}

fn settings_for_explain(
    resolver: &SettingsResolver,
    fixed: &Fixed,
    shared: &crate::args::SharedArgs,
) -> Result<dfharden_core::Settings> {
    let resolved = resolver.for_file(&fixed.source.name)?;
    Ok(crate::context::with_context(
        &resolved.settings,
        &fixed.source.text,
        fixed.source.path.as_deref(),
        shared.context.as_deref(),
    )
    .into_owned())
}

/// What the rewrite left: every finding still in the output, most severe first, each with
/// its reason (a decline says why it declined), so that an explanation never reads as if
/// everything were done.
fn write_not_done(
    out: &mut impl Write,
    name: &str,
    fixed: &Fixed,
    settings: &dfharden_core::Settings,
) -> Result<()> {
    let report = dfharden_core::check(&fixed.outcome.output, settings);
    if report.findings.is_empty() {
        writeln!(out, "\n{name}: nothing left to do")?;
        return Ok(());
    }
    let parsed = dfharden_core::syntax::parse(&fixed.outcome.output);
    let mut findings: Vec<_> = report.findings.iter().collect();
    findings.sort_by_key(|f| (std::cmp::Reverse(f.severity), f.range.start));
    writeln!(out, "\n{name}: not done ({} finding(s) remain in the rewritten file; `dfharden rule CODE` explains each):", findings.len())?;
    for finding in findings {
        let at = parsed.line_col(finding.range.start);
        let severity = serde_json::to_value(finding.severity)?;
        writeln!(
            out,
            "  {}:{} {} [{}] {}",
            at.line,
            at.column,
            finding.code,
            severity.as_str().unwrap_or_default(),
            finding.message
        )?;
    }
    Ok(())
}

/// For each changed hunk: the hunk, then each rule behind it with why it matters.
fn write_explanation(out: &mut impl Write, name: &str, fixed: &Fixed) -> Result<()> {
    let hunks = attributed_hunks(&fixed.source.text, &fixed.outcome);
    if hunks.is_empty() {
        return Ok(());
    }
    writeln!(out, "\n{name}: {} change(s)", hunks.len())?;
    // A fix that changes several places (a restructure: the FROM line and the new final stage)
    // is explained at its first hunk; later hunks name it and point back.
    let mut explained = std::collections::HashSet::new();
    for (n, hunk) in hunks.iter().enumerate() {
        writeln!(out, "\nChange {} of {}:", n + 1, hunks.len())?;
        out.write_all(hunk.text.as_bytes())?;
        for &i in &hunk.fixes {
            let applied = &fixed.outcome.applied[i];
            if !explained.insert(i) {
                writeln!(out, "  {} {}: (the same change as above)", applied.code, applied.name)?;
                continue;
            }
            writeln!(
                out,
                "  {} {}: {}",
                applied.code, applied.name, applied.title
            )?;
            if let Some(why) =
                rule_by_code(applied.code).and_then(|r| r.meta.section("Why is this bad?"))
            {
                for line in why.lines() {
                    writeln!(out, "    {line}")?;
                }
            }
        }
    }
    Ok(())
}
