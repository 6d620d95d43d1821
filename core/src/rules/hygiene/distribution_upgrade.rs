use crate::rules::helpers::{command_range, commands, package_command, Manager, PackageCommand, Verb};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags commands that upgrade every installed package of the base image:
    /// `apt-get upgrade` (`dist-upgrade`, `full-upgrade`, and the same with `apt`),
    /// `apk upgrade`, `yum update`/`upgrade`, `dnf` and `microdnf` `upgrade`/`update`/`distro-sync`
    /// and `zypper update`/`dist-upgrade`, when they name no package.
    ///
    /// ## Why is this bad?
    /// An upgrade installs whatever versions the mirrors serve on the day of the build, so two
    /// builds of the same Dockerfile give different images, and an upstream regression can break
    /// a build nobody changed. The upgraded files also land in a new layer on top of the old ones,
    /// so the image grows. A maintained base image is rebuilt when fixes come out: moving to its
    /// newer tag (or digest) brings the same fixes, built and tested together, as a change you
    /// can review and undo.
    ///
    /// This is a trade-off rather than a mistake, hence the low severity: when the base you must
    /// use lags behind on security fixes, upgrading during the build is how you get them. Then
    /// rebuild regularly without the build cache, or the upgrade step is never run again.
    /// Upgrading one named package (`apt-get install --only-upgrade openssl`,
    /// `yum update openssl`) is not flagged.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM debian:12.5
    /// RUN apt-get update && apt-get -y upgrade && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM debian:12.8
    /// ```
    ///
    /// ## References
    /// - Trivy DS024 (`apt-get dist-upgrade`), hadolint DL3035 (`zypper dist-upgrade`)
    /// - hadolint used to flag `apt-get upgrade` as DL3005 (and `apk upgrade`, `yum update`,
    ///   `dnf upgrade` as DL3017, DL3031, DL3039). It stopped in 2021, when Docker's and OWASP's
    ///   guides withdrew their advice against upgrading in builds. dfharden still claims those
    ///   ids, so old `# hadolint ignore=DL3005` comments keep silencing this rule.
    /// - Related: CIS Docker Benchmark 4.4 "Ensure images are scanned and rebuilt to include
    ///   security patches"
    pub struct DistributionUpgrade {
        code: "DH303",
        name: "distribution-upgrade",
        category: Hygiene,
        severity: Info,
        fix: None,
        summary: "The build upgrades every package of the base image",
        aliases: [(Trivy, "DS024"), (Hadolint, "DL3035"), (Hadolint, "DL3005"), (Hadolint, "DL3017"), (Hadolint, "DL3031"), (Hadolint, "DL3039")],
    }
}

/// Whether `command` upgrades every package.
fn upgrades_everything(command: &PackageCommand<'_>) -> bool {
    command.manager != Manager::Pip && command.verb() == Verb::Upgrade && command.operands().is_empty()
}

/// DH303
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        for (_, command) in commands(ctx, index) {
            let Some(package) = package_command(command).filter(upgrades_everything) else { continue };
            findings.push(ctx.finding(
                &DistributionUpgrade::META,
                command_range(command),
                format!(
                    "`{} {}` upgrades every package at build time: use a newer base image instead",
                    package.name, package.subcommand.text
                ),
            ));
        }
    }
}
