use crate::fix::{Applicability, Fix};
use crate::rules::helpers::{
    append_command, command_range, commands_in_order, mounts_cache_over, package_command, removes_dir, Manager,
    PackageCommand, Verb,
};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `yum install`, `dnf install`, `microdnf install` and `zypper install` (`zypper in`)
    /// that are not followed, in the same `RUN`, by a cleanup of the package manager's cache:
    /// `yum clean all`, `dnf clean all`, `microdnf clean all`, `zypper clean`, or `rm -rf` of
    /// `/var/cache/yum`, `/var/cache/dnf` (`/var/cache/zypp` for zypper). A `RUN` that mounts a
    /// cache or tmpfs over that directory is not flagged.
    ///
    /// ## Why is this bad?
    /// Before installing, these package managers download the repositories' metadata, and often
    /// the packages themselves, into `/var/cache`. Once the install is done nothing in the image
    /// needs them, yet they stay in the layer: tens to hundreds of megabytes. Each `RUN` is frozen
    /// when it ends, so the cleanup only shrinks the image when it runs in the same `RUN` as the
    /// install.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN dnf install -y httpd
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN dnf install -y httpd && dnf clean all
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix appends `&& yum clean all` (`dnf`, `microdnf`; `zypper clean --all` for
    /// zypper) after the last command of a shell-form `RUN`, or adds it as the last line of a
    /// heredoc script. The installed packages are the same, and a later `RUN` that installs
    /// more downloads the metadata again by itself. In a heredoc without `set -e` the fix is
    /// unsafe: the script's exit status becomes that of the cleanup, so a failing last command
    /// would no longer fail the build. Not offered for exec-form `RUN` or under a non-POSIX
    /// `SHELL`.
    ///
    /// In a stage the final image is not built on (a build stage it only copies artifacts
    /// from), the finding is reported but the fix is not offered: nothing left there ships, so
    /// the edit saves nothing, and it could change what the build has to work with.
    ///
    /// ## References
    /// - hadolint DL3032 (yum), DL3040 (dnf, microdnf), DL3036 (zypper)
    /// - Trivy DS015 (yum), DS019 (dnf), DS020 (zypper)
    pub struct RpmCacheNotCleaned {
        code: "DH307",
        name: "rpm-cache-not-cleaned",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`yum`/`dnf`/`zypper install` leaves the package cache in the layer",
        aliases: [
            (Hadolint, "DL3032"),
            (Hadolint, "DL3040"),
            (Hadolint, "DL3036"),
            (Trivy, "DS015"),
            (Trivy, "DS019"),
            (Trivy, "DS020"),
        ],
    }
}

/// The cache directories of a package manager family.
fn cache_dirs(zypper: bool) -> &'static [&'static str] {
    if zypper {
        &["/var/cache/zypp"]
    } else {
        &["/var/cache/yum", "/var/cache/dnf", "/var/cache/libdnf5"]
    }
}

fn installs(command: &PackageCommand<'_>, zypper: bool) -> bool {
    if zypper {
        command.manager == Manager::Zypper && command.verb() == Verb::Install
    } else {
        command.manager.is_rpm() && command.verb() == Verb::Install
    }
}

/// `yum clean all` (any of the RPM managers), `zypper clean`/`zypper cc`.
fn cleans(command: &PackageCommand<'_>, zypper: bool) -> bool {
    if zypper {
        command.manager == Manager::Zypper && command.verb() == Verb::Clean
    } else {
        command.manager.is_rpm() && command.verb() == Verb::Clean && command.operands().iter().any(|w| w.text == "all")
    }
}

/// DH307
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        let all = commands_in_order(ctx, index);
        for zypper in [false, true] {
            let dirs = cache_dirs(zypper);
            if dirs.iter().any(|d| mounts_cache_over(instruction, d)) {
                continue;
            }
            let Some(last_install) =
                all.iter().rposition(|(_, c)| package_command(c).is_some_and(|p| installs(&p, zypper)))
            else {
                continue;
            };
            let cleaned = all[last_install..].iter().any(|(script, c)| {
                package_command(c).is_some_and(|p| cleans(&p, zypper))
                    || dirs.iter().any(|d| removes_dir(ctx, script, c, d))
            });
            if cleaned {
                continue;
            }
            let (_, install) = all[last_install];
            let Some(package) = package_command(install) else { continue };
            let manager = if zypper { "zypper" } else { package.name.as_str() };
            let clean = if zypper { "zypper clean --all".to_string() } else { format!("{manager} clean all") };
            let mut finding = ctx.finding(
                &RpmCacheNotCleaned::META,
                command_range(install),
                format!(
                    "`{} {}` without `{clean}` leaves the package cache in the layer",
                    package.name, package.subcommand.text
                ),
            );
            if let Some(appended) = append_command(ctx, index, &clean) {
                let applicability = if appended.keeps_failures { Applicability::Safe } else { Applicability::Unsafe };
                finding.fix =
                    Some(Fix::new(format!("Append `{clean}` to the `RUN`"), applicability, vec![appended.edit]));
            }
            findings.push(finding);
        }
    }
}
