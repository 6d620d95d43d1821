use crate::fix::{Edit, Fix};
use crate::rules::helpers::{commands, package_command, program_word, Manager};
use crate::rules::{rule, Context, Finding};
use crate::syntax::TextRange;

rule! {
    /// ## What it does
    /// Flags `apt` (rather than `apt-get`) in a `RUN` step.
    ///
    /// ## Why is this bad?
    /// `apt` is the interactive front end: its output and behaviour may change between
    /// releases, and it warns "apt does not have a stable CLI interface. Use with caution in
    /// scripts." `apt-get` (and `apt-cache`) are the commands meant for scripts and keep their
    /// behaviour. `apt upgrade` also differs from `apt-get upgrade`: it installs new
    /// dependencies.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt update && apt install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe, for the subcommands that do the same under both names (`install`, `update`,
    /// `remove`, `purge`, `autoremove`, `clean`, `autoclean`): the fix writes `apt-get`.
    /// `upgrade`, `full-upgrade` and the commands only `apt` has (`list`, `search`, `show`)
    /// are reported without a fix.
    ///
    /// ## References
    /// - hadolint DL3027
    pub struct AptInsteadOfAptGet {
        code: "DH711",
        name: "apt-instead-of-apt-get",
        category: Correctness,
        severity: Warning,
        fix: Sometimes,
        summary: "`apt` in a build step, where `apt-get` is the stable command for scripts",
        aliases: [(Hadolint, "DL3027")],
    }
}

/// Subcommands that behave the same under `apt` and `apt-get`.
const SAME_UNDER_APT_GET: &[&str] = &["install", "update", "remove", "purge", "autoremove", "clean", "autoclean"];

/// DH711
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (script, command) in commands(ctx, index) {
            if command.runs_name() != Some("apt") {
                continue;
            }
            let Some(package) = package_command(command).filter(|p| p.manager == Manager::Apt) else { continue };
            let Some(word) = program_word(command) else { continue };
            let sub = package.subcommand.text.as_str();
            let mut finding = ctx.finding(&AptInsteadOfAptGet::META, word.range, format!("`apt {sub}`: `apt` has no stable interface for scripts; use `apt-get`"));
            let exact = crate::rules::helpers::exact_positions(script);
            if exact && SAME_UNDER_APT_GET.contains(&sub) && ctx.text(word.range).ends_with("apt") {
                let end = word.range.end;
                finding.fix = Some(Fix::safe("Write `apt-get`", vec![Edit::replace(TextRange::new(end - 3, end), "apt-get")]));
            }
            findings.push(finding);
        }
    }
}
