use crate::fix::{Edit, Fix};
use crate::rules::helpers::{commands, exact_positions, program_args, program_word};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `wget` without `--progress` and without a quiet option (`-q`, `-nv`, `-o FILE`).
    ///
    /// ## Why is this bad?
    /// Without a terminal, `wget` prints its progress bar as a dot or line per few kilobytes:
    /// a large download fills the build log with thousands of lines that bury the output that
    /// matters. `--progress=dot:giga` prints one line per 32 MB. Off by default (style).
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN wget https://example.com/big.tar.gz
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN wget --progress=dot:giga https://example.com/big.tar.gz
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix adds `--progress=dot:giga` (GNU wget). BusyBox `wget` has no such
    /// option, so the fix is not offered in stages whose base is Alpine or BusyBox.
    ///
    /// ## References
    /// - hadolint DL3047
    pub struct WgetWithoutProgress {
        code: "DH807",
        name: "wget-without-progress",
        category: Style,
        severity: Info,
        fix: Sometimes,
        summary: "`wget` without `--progress` floods the build log",
        aliases: [(Hadolint, "DL3047")],
    }
}

const QUIET: &[&str] = &["-q", "--quiet", "-nv", "--no-verbose", "-o", "--output-file", "-a", "--append-output"];

/// DH807
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        let busybox = ctx.model.stage_of(index).is_some_and(|s| {
            let base = s.base.expanded.to_ascii_lowercase();
            base.contains("alpine") || base.contains("busybox")
        });
        for (script, command) in commands(ctx, index) {
            if command.runs_name() != Some("wget") {
                continue;
            }
            let quiet = program_args(command).iter().any(|w| {
                let t = w.text.as_str();
                t.starts_with("--progress") || QUIET.contains(&t) || t.starts_with("--output-file=") || t.starts_with("--append-output=")
            });
            if quiet {
                continue;
            }
            let Some(word) = program_word(command) else { continue };
            let mut finding = ctx.finding(&WgetWithoutProgress::META, word.range, "`wget` without `--progress` prints its progress bar into the build log line by line");
            if exact_positions(script) && !busybox {
                finding.fix = Some(Fix::safe("Add `--progress=dot:giga`", vec![Edit::insert(word.range.end, " --progress=dot:giga")]));
            }
            findings.push(finding);
        }
    }
}
