use crate::fix::{Edit, Fix};
use crate::rules::helpers::{commands, exact_positions, mounts_cache_over};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags `apk add` without `--no-cache`.
    ///
    /// ## Why is this bad?
    /// Without `--no-cache`, Alpine's package manager keeps the downloaded package index under
    /// `/var/cache/apk`. It is dead weight in the layer: it makes the image bigger, and a stale
    /// index baked into an image gives a false sense of what is installable.
    ///
    /// ## Example
    /// ```dockerfile
    /// RUN apk update && apk add curl
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// RUN apk add --no-cache curl
    /// ```
    ///
    /// ## Fix safety
    /// Safe: `--no-cache` fetches a fresh index for this command and keeps none; the same
    /// packages are installed. An `apk update` earlier in the same `RUN` still leaves its index
    /// in `/var/cache/apk`: the message says to drop it (the fix leaves it, since removing a
    /// command from a chain of `&&` is an edit to read, not to make blind).
    ///
    /// In a stage the final image is not built on (a build stage it only copies artifacts
    /// from), the finding is reported but the fix is not offered: nothing left there ships, so
    /// the edit saves nothing, and it could change what the build has to work with.
    ///
    /// ## References
    /// - hadolint DL3019, Trivy DS025
    /// - Alpine wiki, "Alpine Package Keeper": the `--no-cache` option
    pub struct ApkAddWithoutNoCache {
        code: "DH305",
        name: "apk-add-without-no-cache",
        category: Hygiene,
        severity: Warning,
        fix: Sometimes,
        summary: "`apk add` keeps the package index in the image",
        aliases: [(Hadolint, "DL3019"), (Trivy, "DS025")],
    }
}

/// DH305
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    for index in 0..ctx.model.instructions.len() {
        // A cache or tmpfs mount over apk's cache keeps the index out of the layer as well.
        let cleans_cache = mounts_cache_over(ctx.model.instructions[index], "/var/cache/apk")
            || commands(ctx, index).any(|(_, c)| {
                c.program() == Some("rm") && c.args().iter().any(|w| w.text.starts_with("/var/cache/apk"))
            });
        let mut updated = false;
        for (script, command) in commands(ctx, index) {
            let Some(sub) = command.subcommand() else { continue };
            if command.program() == Some("apk") && sub.text == "update" {
                updated = true;
            }
            if command.program() != Some("apk") || sub.text != "add" || cleans_cache {
                continue;
            }
            if command.has_flag(&["--no-cache"]) {
                continue;
            }
            // `--no-cache` keeps no index of its own, but one that `apk update` fetched before
            // it in the same RUN stays.
            let message = if updated {
                "`apk add` without `--no-cache` leaves the package index in the layer; the `apk update` before it leaves one too: drop it, as `--no-cache` fetches a fresh index itself"
            } else {
                "`apk add` without `--no-cache` leaves the package index in the layer"
            };
            let mut finding = ctx.finding(&ApkAddWithoutNoCache::META, command.range, message);
            if exact_positions(script) {
                finding.fix = Some(Fix::safe(
                    "Add `--no-cache`",
                    vec![Edit::insert(sub.range.end, " --no-cache")],
                ));
            }
            findings.push(finding);
        }
    }
}
