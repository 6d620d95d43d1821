//! `dfharden check`: report findings in text, JSON, SARIF or GitHub annotation form.

use std::io::Write;

use anstyle::{AnsiColor, Style};
use anyhow::Result;
use dfharden_core::render::{
    finding_line, github_annotation, sarif_log, FileReport, JsonReport, Location, SarifInput,
};
use dfharden_core::syntax::{LineIndex, Severity as SyntaxSeverity};
use dfharden_core::{check, Report, ALL_RULES};

use super::{buffered, process_each, Stream};
use crate::args::{CheckArgs, OutputFormat};
use crate::config::SettingsResolver;
use crate::discover::discover;
use crate::input::read_target;
use crate::paths::{display_path, patch_path};
use crate::Outcome;

struct Checked {
    name: String,
    /// The path relative to the repository root, which code scanning takes as `%SRCROOT%`.
    uri: String,
    text: String,
    report: Report,
    /// Whether a finding is at or above the failure threshold.
    fails: bool,
}

pub fn run(args: &CheckArgs) -> Result<Outcome> {
    let shared = &args.shared;
    let targets = discover(&shared.paths)?;
    let resolver = SettingsResolver::new(shared, None);
    let work = |target: &crate::discover::Target| -> Result<Checked> {
        let source = read_target(target, shared.stdin_filename.as_deref())?;
        let resolved = resolver.for_file(&source.name)?;
        let settings = crate::context::with_context(
            &resolved.settings,
            &source.text,
            source.path.as_deref(),
            shared.context.as_deref(),
        );
        let report = check(&source.text, &settings);
        let threshold = args.failure_threshold.unwrap_or(resolved.failure_threshold);
        let fails = report.findings.iter().any(|f| threshold.fails(f.severity));
        Ok(Checked {
            fails,
            uri: match &source.path {
                Some(path) => patch_path(path),
                None => display_path(&source.name),
            },
            name: display_path(&source.name),
            text: source.text,
            report,
        })
    };
    let mut failed = false;
    let mut any = false;
    let mut totals = Totals::default();
    let mut checked = Vec::new();
    // Text and annotations are written as results arrive, in order, so memory does not grow
    // with the number of files; JSON and SARIF are one document and collect every file.
    let streaming = matches!(
        args.output_format,
        OutputFormat::Text | OutputFormat::Github
    );
    // One buffered writer: a file's lines go out in one write (the stream is locked only then).
    let mut out = buffered(Stream::Stdout);
    process_each(targets, shared.quiet, work, |result| -> Result<()> {
        let c = match result {
            Ok(c) => c,
            Err(e) => {
                failed = true;
                eprintln!("dfharden: error: {e:#}");
                return Ok(());
            }
        };
        any |= c.fails
            || c.report
                .syntax_errors
                .iter()
                .any(|e| e.severity == SyntaxSeverity::Error);
        totals.files += 1;
        if streaming {
            match args.output_format {
                OutputFormat::Github => {
                    let index = LineIndex::new(&c.text);
                    for f in &c.report.findings {
                        writeln!(
                            out,
                            "{}",
                            github_annotation(&c.name, &Location::of(&c.text, &index, f.range), f)
                        )?;
                    }
                }
                _ => write_text(&mut out, &c, &mut totals)?,
            }
            out.flush()?;
        } else {
            checked.push(c);
        }
        Ok(())
    })?;
    match args.output_format {
        OutputFormat::Text => {
            if totals.findings > 0 {
                writeln!(
                    out,
                    "Found {} finding(s) in {} file(s); {} fixable with `dfharden fix`.",
                    totals.findings, totals.files, totals.fixable
                )?;
            }
        }
        OutputFormat::Github => {}
        OutputFormat::Json => {
            let files = checked
                .iter()
                .map(|c| {
                    FileReport::new(
                        &c.name,
                        &c.text,
                        &c.report.syntax_errors,
                        &c.report.findings,
                    )
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &JsonReport::new(files))?;
            writeln!(out)?;
        }
        OutputFormat::Sarif => {
            let rules: Vec<_> = ALL_RULES.iter().collect();
            let inputs: Vec<SarifInput> = checked
                .iter()
                .map(|c| SarifInput {
                    path: &c.uri,
                    text: &c.text,
                    findings: &c.report.findings,
                })
                .collect();
            serde_json::to_writer_pretty(&mut out, &sarif_log(&rules, &inputs))?;
            writeln!(out)?;
        }
    }
    out.flush()?;
    if failed {
        anyhow::bail!("some files could not be checked");
    }
    Ok(if any && !args.exit_zero {
        Outcome::Reported
    } else {
        Outcome::Clean
    })
}

/// Counts for the closing line of the text output.
#[derive(Default)]
struct Totals {
    files: usize,
    findings: usize,
    fixable: usize,
}

fn write_text(out: &mut impl Write, c: &Checked, totals: &mut Totals) -> Result<()> {
    let bold = Style::new().bold();
    let dim = Style::new().dimmed();
    let red = Style::new().fg_color(Some(AnsiColor::Red.into())).bold();
    let index = LineIndex::new(&c.text);
    for e in &c.report.syntax_errors {
        let at = Location::of(&c.text, &index, e.range);
        let kind = if e.severity == SyntaxSeverity::Error {
            "syntax error"
        } else {
            "syntax warning"
        };
        writeln!(
            out,
            "{bold}{}:{}:{}{bold:#}: {red}{kind}{red:#}: {}",
            c.name, at.line, at.column, e.message
        )?;
    }
    for f in &c.report.findings {
        let line = finding_line(&c.name, &Location::of(&c.text, &index, f.range), f);
        // Bold the location, dim the fix hint.
        match line.split_once(": ") {
            Some((location, rest)) => match rest.rsplit_once(" [") {
                Some((message, hint)) if hint.contains("fix") => writeln!(
                    out,
                    "{bold}{location}{bold:#}: {message} {dim}[{hint}{dim:#}"
                )?,
                _ => writeln!(out, "{bold}{location}{bold:#}: {rest}")?,
            },
            None => writeln!(out, "{line}")?,
        }
        totals.findings += 1;
        totals.fixable += usize::from(
            f.fix
                .as_ref()
                .is_some_and(|x| x.applicability != dfharden_core::Applicability::DisplayOnly),
        );
    }
    Ok(())
}
