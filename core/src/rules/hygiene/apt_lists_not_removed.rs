use crate::fix::{Applicability, Fix};
use crate::model::shell::SimpleCommand;
use crate::rules::helpers::{
    append_command, command_range, commands, commands_in_order, mounts_cache_over, package_command, removes_dir,
    removes_dir_with_quoted_glob, stage_history, Manager,
};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `RUN` that installs packages with `apt-get install` (or `apt install`) but does not
    /// remove the package lists with `rm -rf /var/lib/apt/lists/*` after it, in the same `RUN`.
    /// A `RUN` that mounts a cache or tmpfs over `/var/lib/apt` (or its `lists`) is not flagged,
    /// nor one that runs `apt-get dist-clean` after the install (apt 2.7.8 and later, as in
    /// Debian 13: it removes the lists but for their Release files).
    ///
    /// ## Why is this bad?
    /// `apt-get update` downloads the index of every package in the configured repositories into
    /// `/var/lib/apt/lists`: often tens of megabytes. Once the packages are installed the index is
    /// useless in the image, and it goes stale anyway. Each `RUN` is a layer that is frozen when
    /// the step ends, so the index must be removed by the same `RUN` that installs: deleting it in
    /// a later step only hides the files, the earlier layer still ships them.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl \
    ///     && rm -rf /var/lib/apt/lists/*
    /// ```
    ///
    /// ## Fix safety
    /// Safe: the fix appends `&& rm -rf /var/lib/apt/lists/*` after the last command of a
    /// shell-form `RUN`, or adds it as the last line of a heredoc script; the installed packages
    /// are the same. In a heredoc without `set -e` the fix is unsafe: the script's exit status
    /// becomes that of `rm`, so a failing last command would no longer fail the build. Not
    /// offered when a later `RUN` built on this one installs packages without running
    /// `apt-get update` first (it needs these lists, and would fail without them), for exec-form
    /// `RUN`, or under a non-POSIX `SHELL`.
    ///
    /// In a stage the final image is not built on (a build stage it only copies artifacts
    /// from), the finding is reported but the fix is not offered: nothing left there ships, so
    /// the edit saves nothing, and it could change what the build has to work with.
    ///
    /// ## References
    /// - hadolint DL3009
    /// - Related: CIS Docker Benchmark 4.3 "Ensure that unnecessary packages are not installed in
    ///   the container" (keep the image to what it needs)
    pub struct AptListsNotRemoved {
        code: "DH302",
        name: "apt-lists-not-removed",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`apt-get install` leaves the package lists in the layer",
        aliases: [(Hadolint, "DL3009")],
    }
}

const LISTS: &str = "/var/lib/apt/lists";

fn is_apt_update(command: &SimpleCommand) -> bool {
    package_command(command).is_some_and(|p| p.manager == Manager::Apt && p.is(&["update"]))
}

/// `apt-get dist-clean` (apt 2.7.8 and later, Debian 13): removes the package lists too (all
/// but the Release files), as `rm -rf /var/lib/apt/lists/*` does.
fn is_apt_dist_clean(command: &SimpleCommand) -> bool {
    package_command(command).is_some_and(|p| p.manager == Manager::Apt && p.is(&["dist-clean", "distclean"]))
}

fn is_apt_install(command: &SimpleCommand) -> bool {
    package_command(command).is_some_and(|p| p.is_apt_install())
}

/// Whether a later RUN that builds on RUN `index` installs packages with the lists it leaves:
/// without an `apt-get update` of its own before the install, or in a RUN between the two.
fn later_install_needs_lists(ctx: &Context<'_>, index: usize) -> bool {
    (index + 1..ctx.model.instructions.len()).any(|later| {
        let history = stage_history(ctx, later);
        if !history.contains(&index) || mounts_cache_over(ctx.model.instructions[later], LISTS) {
            return false;
        }
        let order = commands_in_order(ctx, later);
        let Some(install) = order.iter().position(|(_, c)| is_apt_install(c)) else { return false };
        let refreshed_between =
            history.iter().filter(|&&i| i > index).any(|&i| commands(ctx, i).any(|(_, c)| is_apt_update(c)));
        !order[..install].iter().any(|(_, c)| is_apt_update(c)) && !refreshed_between
    })
}

/// DH302
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for (index, instruction) in ctx.model.instructions.iter().enumerate() {
        if mounts_cache_over(instruction, LISTS) {
            continue;
        }
        let all = commands_in_order(ctx, index);
        let Some(last_install) = all.iter().rposition(|(_, c)| is_apt_install(c)) else { continue };
        if all[last_install..].iter().any(|(script, c)| removes_dir(ctx, script, c, LISTS) || is_apt_dist_clean(c)) {
            continue;
        }
        let (_, install) = all[last_install];
        let name = package_command(install).map_or_else(String::new, |p| format!("{} {}", p.name, p.subcommand.text));
        let quoted = all[last_install..].iter().any(|(script, c)| removes_dir_with_quoted_glob(ctx, script, c, LISTS));
        let needed_later = later_install_needs_lists(ctx, index);
        let why = if quoted {
            "the quoted `\"/var/lib/apt/lists/*\"` removes nothing, as the shell expands `*` only outside quotes"
        } else if needed_later {
            "a later `RUN` installs with them; give it its own `apt-get update`, then remove the lists in each `RUN`"
        } else {
            "remove `/var/lib/apt/lists/*` in the same `RUN`"
        };
        let message = format!("`{name}` leaves the package lists in the layer: {why}");
        let mut finding = ctx.finding(&AptListsNotRemoved::META, command_range(install), message);
        if let Some(appended) = append_command(ctx, index, "rm -rf /var/lib/apt/lists/*").filter(|_| !needed_later) {
            let applicability = if appended.keeps_failures { Applicability::Safe } else { Applicability::Unsafe };
            finding.fix =
                Some(Fix::new("Append `rm -rf /var/lib/apt/lists/*` to the `RUN`", applicability, vec![appended.edit]));
        }
        findings.push(finding);
    }
}
