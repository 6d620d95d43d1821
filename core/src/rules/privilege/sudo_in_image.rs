use crate::rules::helpers::{commands, final_chain_instructions, installed_packages, package_name};
use crate::rules::{rule, Context, Finding};
use crate::syntax::Keyword;

rule! {
    /// ## What it does
    /// Flags `sudo` installed into the final image by a package manager (`apt-get install sudo`,
    /// `apk add sudo`, `dnf install sudo`...), and `sudo` used to run a command in any `RUN`.
    ///
    /// ## Why is this bad?
    /// `sudo` exists to let a user become root. In an image that runs as a non-root user, it
    /// is a ready-made path back to root: a setuid-root program plus a configuration that
    /// says who may use it, and one mistake in that configuration (or a bug in `sudo`) hands
    /// root to an attacker. Containers do not need it: the Dockerfile chooses the user of
    /// every step with `USER`, and administrators can enter a running container as root with
    /// `docker exec --user root`.
    ///
    /// In a `RUN`, `sudo` is a sign of copied shell instructions: build steps already run as
    /// the current `USER`, so it either does nothing (as root) or only works because the image
    /// carries `sudo` and a rule that lets the user use it.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends sudo curl
    /// USER ubuntu
    /// RUN sudo apt-get install -y git
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM ubuntu:24.04
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl git
    /// USER ubuntu
    /// ```
    ///
    /// When a program must drop from root to another user at start-up, use a tool built for
    /// that one job, such as `gosu`, `su-exec` or `setpriv`.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1 "Ensure that a user for the container has been created"
    /// - hadolint DL3004, Trivy DS010, Checkov CKV2_DOCKER_1
    pub struct SudoInImage {
        code: "DH104",
        name: "sudo-in-image",
        category: Privilege,
        severity: Warning,
        fix: None,
        summary: "`sudo` is installed in the image or used in a build step",
        aliases: [(Hadolint, "DL3004"), (Trivy, "DS010"), (Checkov, "CKV2_DOCKER_1")],
    }
}

/// DH104
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let final_image: std::collections::HashSet<usize> = final_chain_instructions(ctx.model).into_iter().collect();
    for index in 0..ctx.model.instructions.len() {
        for (_, command) in commands(ctx, index) {
            // `ONBUILD RUN` installs into the images built from this one, not into this one.
            let onbuild = ctx.model.instructions[index].keyword == Keyword::Onbuild;
            if final_image.contains(&index) && !onbuild {
                for package in installed_packages(command).into_iter().filter(|p| is_sudo(&p.text)) {
                    let manager = command.program().unwrap_or_default();
                    findings.push(ctx.finding(
                        &SudoInImage::META,
                        package.range,
                        format!("`{manager}` installs `{}` into the final image", package.text),
                    ));
                }
            }
            if command.program() == Some("sudo") {
                let word = &command.words[command.program_index().unwrap_or_default()];
                let message = "`sudo` in a build step: steps already run as the current `USER`";
                findings.push(ctx.finding(&SudoInImage::META, word.range, message));
            }
        }
    }
}

/// `sudo`, `sudo=1.9.15p5-3`, `sudo-ldap`, or an RPM name with its version (`sudo-1.9.5p2`).
fn is_sudo(written: &str) -> bool {
    let name = package_name(written);
    name == "sudo"
        || name == "sudo-ldap"
        || name.strip_prefix("sudo-").is_some_and(|version| version.starts_with(|c: char| c.is_ascii_digit()))
}
