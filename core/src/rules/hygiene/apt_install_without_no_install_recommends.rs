use crate::fix::{Edit, Fix};
use crate::rules::helpers::{
    apt_configuration, apt_setting, command_range, commands, exact_positions, has_option, joined, package_command,
};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `apt-get install` and `apt install` without `--no-install-recommends`. The option
    /// `-o APT::Install-Recommends=false`, or the same setting written earlier to an apt
    /// configuration file (`APT::Install-Recommends "false";` in `/etc/apt/apt.conf.d/`), counts
    /// as the same thing.
    ///
    /// ## Why is this bad?
    /// Debian and Ubuntu packages list other packages they *recommend*: nice to have, not needed
    /// to work. By default apt installs them too, so asking for one tool can pull in dozens of
    /// packages nobody chose: more megabytes, more programs that can carry vulnerabilities, and a
    /// package set that changes when a recommendation changes upstream. Installing only what you
    /// name keeps the image small and its contents deliberate.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y curl && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Unsafe: the fix adds `--no-install-recommends` after `install`, so packages that were only
    /// installed as recommendations are gone. Most images never notice, but some do: without
    /// `ca-certificates` (recommended, not required, by `curl`) HTTPS downloads fail. Name such
    /// packages on the install line. Not offered for exec-form `RUN`.
    ///
    /// In a stage the final image is not built on (a build stage it only copies artifacts
    /// from), the finding is reported but the fix is not offered: nothing left there ships, so
    /// the edit saves nothing, and it could change what the build has to work with.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.3 "Ensure that unnecessary packages are not installed in the container"
    /// - hadolint DL3015, Trivy DS029
    pub struct AptInstallWithoutNoInstallRecommends {
        code: "DH301",
        name: "apt-install-without-no-install-recommends",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`apt-get install` also installs recommended packages",
        aliases: [(Hadolint, "DL3015"), (Trivy, "DS029"), (Cis, "4.3")],
    }
}

const SETTING: &str = "APT::Install-Recommends";

/// DH301
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (script, command) in commands(ctx, index) {
            let Some(apt) = package_command(command).filter(|p| p.is_apt_install()) else { continue };
            if has_option(apt.args, &["--no-install-recommends"])
                || apt_setting(&joined(apt.args), SETTING) == Some(false)
                || apt_configuration(ctx, index, command.range.start, SETTING) == Some(false)
            {
                continue;
            }
            let mut finding = ctx.finding(
                &AptInstallWithoutNoInstallRecommends::META,
                command_range(command),
                format!("`{} {}` without `--no-install-recommends` also installs recommended packages", apt.name, apt.subcommand.text),
            );
            if exact_positions(script) {
                finding.fix = Some(Fix::unsafe_edit(
                    "Add `--no-install-recommends`",
                    vec![Edit::insert(apt.subcommand.range.end, " --no-install-recommends")],
                ));
            }
            findings.push(finding);
        }
    }
}
