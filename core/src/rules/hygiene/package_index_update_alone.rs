use crate::fix::{Applicability, Edit, Fix};
use crate::model::shell::{Connector, ScriptOrigin};
use crate::rules::helpers::{
    command_range, commands, package_command, posix_shell, program_index, PackageCommand, Verb,
};
use crate::rules::{rule, Context, Finding};
use crate::syntax::{Arguments, Keyword, TextRange};

rule! {
    /// ## What it does
    /// Flags a `RUN` whose only command refreshes the package index: `apt-get update`,
    /// `apt update`, `apk update`, `yum makecache`, `dnf makecache` or `zypper refresh`.
    ///
    /// ## Why is this bad?
    /// The build cache reuses a step as long as its text and everything before it are unchanged.
    /// `RUN apt-get update` never changes, so after its first build it is never run again: the
    /// index stays frozen at that day. When you later add a package to the next `RUN`, that step
    /// runs against the old index, and fails because the versions it lists are gone from the
    /// mirrors, or silently installs old versions. Refreshing the index in the same `RUN` that
    /// installs makes the two run together, every time the install line changes. The separate
    /// step also leaves a layer that holds nothing but the index.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update
    /// RUN apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// When the next instruction of the stage is a shell-form `RUN` (no flags, no heredoc, and
    /// nothing between the two lines), the fix merges the two: the line break and the second
    /// `RUN` keyword become ` && `. Safe when the second `RUN`'s commands are all joined by `&&`
    /// (or pipes): a failing update still stops the build. Unsafe when it uses `;`, `||` or `&`,
    /// where a failing update would no longer stop what follows. No fix otherwise.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.7 "Ensure update instructions are not used alone in the Dockerfile"
    /// - Trivy DS017, Checkov CKV_DOCKER_5
    pub struct PackageIndexUpdateAlone {
        code: "DH304",
        name: "package-index-update-alone",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "The package index is refreshed in a `RUN` of its own",
        aliases: [(Trivy, "DS017"), (Checkov, "CKV_DOCKER_5"), (Cis, "4.7")],
    }
}

/// Whether `command` only refreshes a package index.
fn refreshes_index(command: &PackageCommand<'_>) -> bool {
    command.verb() == Verb::RefreshIndex
}

/// DH304
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        // Commands that run something: a bare `<<EOF` is not one.
        let mut run = commands(ctx, index).filter(|(_, c)| program_index(c).is_some());
        let (Some((_, command)), None) = (run.next(), run.next()) else { continue };
        let Some(update) = package_command(command).filter(refreshes_index) else { continue };
        let mut finding = ctx.finding(
            &PackageIndexUpdateAlone::META,
            command_range(command),
            format!(
                "`{} {}` alone in a `RUN`: a later install step can reuse a stale cached index",
                update.name, update.subcommand.text
            ),
        );
        finding.fix = merge_with_next(ctx, index, command.range.end);
        findings.push(finding);
    }
}

/// Joins RUN `index`, whose command ends at `command_end`, with the next instruction.
fn merge_with_next(ctx: &Context<'_>, index: usize, command_end: usize) -> Option<Fix> {
    let this = ctx.model.instructions[index];
    let next = *ctx.model.instructions.get(index + 1)?;
    let plain_shell_run = |i: &crate::syntax::Instruction| {
        i.keyword == Keyword::Run
            && i.flags.is_empty()
            && i.heredocs.is_empty()
            && matches!(i.arguments, Arguments::Text(_))
    };
    if !plain_shell_run(this)
        || !plain_shell_run(next)
        || this.range.end != next.range.start
        || !posix_shell(ctx, index)
    {
        return None;
    }
    // Nothing but blanks may follow the update on its line: not a comment, `;` or `\`.
    if !ctx.source[command_end..this.code_range().end].trim().is_empty() {
        return None;
    }
    // Inside an open quote or backtick, the next RUN would become quoted text, not commands.
    let this_script = ctx.scripts[index].iter().find(|s| s.origin == ScriptOrigin::ShellForm)?;
    if crate::model::shell::ends_inside_quote(crate::model::shell::logical_text(this, this_script.range)?) {
        return None;
    }
    let script = ctx.scripts[index + 1].iter().find(|s| s.origin == ScriptOrigin::ShellForm)?;
    let chained =
        script.commands.iter().all(|c| matches!(c.connector, Connector::And | Connector::Pipe | Connector::End));
    let applicability = if chained { Applicability::Safe } else { Applicability::Unsafe };
    Some(Fix::new(
        "Merge into the next `RUN` with `&&`",
        applicability,
        vec![Edit::replace(TextRange::new(command_end, next.arguments_range.start), " && ")],
    ))
}
