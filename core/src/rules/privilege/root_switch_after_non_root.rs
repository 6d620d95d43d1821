use crate::rules::helpers::{final_chain_instructions, is_root_user, user_of};
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags a `USER root` (or `USER 0`) in the final image's build that comes after the
    /// build had already switched to a non-root user. A root `USER` that is the last one is
    /// left to DH101, which reports that the container runs as root.
    ///
    /// ## Why is this bad?
    /// Dropping privileges once, after all the work that needs root, is easy to check: every
    /// step below the `USER` line runs without root. Switching back to root undoes that. The
    /// steps that follow run as root on files the unprivileged user could write (downloaded
    /// dependencies, build output, scripts), so whatever that user's steps fetched can now
    /// change the image as root. It also makes the final user easy to get wrong: one missing
    /// `USER` line at the end and the container runs as root.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:22-bookworm-slim
    /// USER node
    /// COPY --chown=node . /app
    /// RUN cd /app && npm ci
    /// USER root
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// USER node
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:22-bookworm-slim
    /// RUN apt-get update && apt-get install -y --no-install-recommends curl
    /// USER node
    /// COPY --chown=node . /app
    /// RUN cd /app && npm ci
    /// CMD ["node", "/app/server.js"]
    /// ```
    ///
    /// No fix is offered: moving the root steps up changes the order of the build, which only
    /// a person can check.
    ///
    /// Images whose base already runs as a non-root user (Chainguard `-dev`, distroless
    /// `debug-nonroot`) need a `USER root` to install anything; that is not reported unless the
    /// Dockerfile itself switched to a non-root user before.
    ///
    /// ## References
    /// - CIS Docker Benchmark 4.1 "Ensure that a user for the container has been created"
    /// - DH101 (the final `USER` is root)
    pub struct RootSwitchAfterNonRoot {
        code: "DH102",
        name: "root-switch-after-non-root",
        category: Privilege,
        severity: Warning,
        fix: None,
        summary: "The build switches back to root after dropping to a non-root user",
        aliases: [(Cis, "4.1")],
    }
}

/// DH102
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let users: Vec<_> = final_chain_instructions(ctx.model)
        .into_iter()
        .map(|i| ctx.model.instructions[i])
        .filter_map(|i| user_of(i).map(|user| (i, user)))
        .collect();
    // The last USER decides who the container runs as: DH101's business when it is root.
    let Some((_, before_last)) = users.split_last() else { return };
    let mut non_root: Option<&str> = None;
    for &(instruction, user) in before_last {
        if is_root_user(user) {
            if let Some(previous) = non_root {
                findings.push(ctx.finding(
                    &RootSwitchAfterNonRoot::META,
                    instruction.code_range(),
                    format!("`USER {user}` switches back to root after `USER {previous}`"),
                ));
            }
        } else if !user.contains('$') && !user.is_empty() {
            non_root = Some(user);
        }
    }
}
