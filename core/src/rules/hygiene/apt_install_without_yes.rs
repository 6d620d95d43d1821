use crate::fix::{Edit, Fix};
use crate::model::shell::{Connector, ShellWord};
use crate::rules::helpers::{
    apt_configuration, apt_setting, command_range, exact_positions, has_option, joined, package_command, program_name,
};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `apt-get install` and `apt install` without `-y` (`--yes`, `--assume-yes`). A quiet
    /// level of 2 (`-qq`, `-q=2`), which implies `-y`, the setting `APT::Get::Assume-Yes` (as an
    /// `-o` option or written earlier to an apt configuration file) and `yes | apt-get ...` also
    /// answer the question.
    ///
    /// ## Why is this bad?
    /// When an install needs more than the packages named (dependencies, almost always), apt asks
    /// "Do you want to continue? [Y/n]" and waits for an answer. A build has nobody to answer:
    /// apt reads end of input, prints `Abort.` and fails the step. Whether it asks depends on what
    /// the base image already contains, so a Dockerfile that builds today can stop building when
    /// the base image changes.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install --no-install-recommends git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends git
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix adds `-y` after `install`. apt then goes ahead with whatever the
    /// transaction needs without stopping, including removing installed packages that conflict
    /// with the new ones; a build that used to stop at the question now completes. Not offered
    /// for exec-form `RUN`.
    ///
    /// ## References
    /// - hadolint DL3014, Trivy DS021
    pub struct AptInstallWithoutYes {
        code: "DH312",
        name: "apt-install-without-yes",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`apt-get install` can stop the build at a confirmation question",
        aliases: [(Hadolint, "DL3014"), (Trivy, "DS021")],
    }
}

const SETTING: &str = "APT::Get::Assume-Yes";

/// `-qq`, `-q -q`, `-q=2`, `--quiet=2`: quiet level 2, which implies `-y`.
fn quiet_level_two(args: &[ShellWord]) -> bool {
    let short_qs: usize = args
        .iter()
        .filter(|w| w.text.starts_with('-') && !w.text.starts_with("--") && !w.text.contains('='))
        .map(|w| w.text.matches('q').count())
        .sum();
    short_qs >= 2 || args.iter().any(|w| matches!(w.text.as_str(), "-q=2" | "--quiet=2"))
}

/// DH312
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for script in &ctx.scripts[index] {
            for (position, command) in script.commands.iter().enumerate() {
                let Some(apt) = package_command(command).filter(|p| p.is_apt_install()) else { continue };
                let piped_yes = position.checked_sub(1).map(|p| &script.commands[p]).is_some_and(|previous| {
                    previous.connector == Connector::Pipe && program_name(previous) == Some("yes")
                });
                if piped_yes
                    || has_option(apt.args, &["-y", "--yes", "--assume-yes"])
                    || quiet_level_two(apt.args)
                    || apt_setting(&joined(apt.args), SETTING) == Some(true)
                    || apt_configuration(ctx, index, command.range.start, SETTING) == Some(true)
                {
                    continue;
                }
                let mut finding = ctx.finding(
                    &AptInstallWithoutYes::META,
                    command_range(command),
                    format!("`{} install` without `-y` fails the build when apt asks for confirmation", apt.name),
                );
                if exact_positions(script) {
                    finding.fix =
                        Some(Fix::unsafe_edit("Add `-y`", vec![Edit::insert(apt.subcommand.range.end, " -y")]));
                }
                findings.push(finding);
            }
        }
    }
}
