use crate::fix::{Edit, Fix};
use crate::model::shell::Connector;
use crate::rules::helpers::{command_range, exact_positions, has_option, package_command, program_name, Manager, Verb};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `yum`, `dnf` and `zypper` installs without the option that answers their
    /// confirmation question (`-y`; for zypper also `-n`/`--non-interactive` before the
    /// subcommand). `microdnf` is not flagged: it never asks.
    ///
    /// ## Why is this bad?
    /// Without it the package manager asks "Is this ok [y/N]" and, with no terminal to answer,
    /// takes the default: no. The build stops there, or, where the step ignores errors, goes
    /// on without the packages.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install httpd && dnf clean all
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe, as for apt (DH312): the fix adds `-y` after the subcommand, and the package
    /// manager then carries out whatever the transaction needs, removals included, without
    /// stopping. Not offered for exec-form `RUN`.
    ///
    /// ## References
    /// - hadolint DL3030 (yum), DL3038 (dnf), DL3034 (zypper)
    pub struct RpmInstallWithoutYes {
        code: "DH314",
        name: "rpm-install-without-yes",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`dnf`/`yum`/`zypper install` can stop the build at a confirmation question",
        aliases: [(Hadolint, "DL3030"), (Hadolint, "DL3038"), (Hadolint, "DL3034")],
    }
}

/// DH314
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for script in &ctx.scripts[index] {
            for (position, command) in script.commands.iter().enumerate() {
                let Some(package) = package_command(command).filter(|p| p.verb() == Verb::Install) else { continue };
                let answered = match package.manager {
                    Manager::Yum | Manager::Dnf | Manager::Microdnf => has_option(package.args, &["-y", "--assumeyes"]),
                    Manager::Zypper => has_option(package.args, &["-y", "--no-confirm", "-n", "--non-interactive"]),
                    _ => continue,
                };
                let piped_yes = position.checked_sub(1).map(|p| &script.commands[p]).is_some_and(|previous| {
                    previous.connector == Connector::Pipe && program_name(previous) == Some("yes")
                });
                // microdnf never asks: it has no confirmation question.
                if answered || piped_yes || package.manager == Manager::Microdnf {
                    continue;
                }
                let sub = &package.subcommand;
                let mut finding = ctx.finding(
                    &RpmInstallWithoutYes::META,
                    command_range(command),
                    format!("`{} {}` without `-y` stops at its confirmation question, which nobody answers in a build", package.name, sub.text),
                );
                if exact_positions(script) {
                    finding.fix = Some(Fix::unsafe_edit("Add `-y`", vec![Edit::insert(sub.range.end, " -y")]));
                }
                findings.push(finding);
            }
        }
    }
}
