use crate::model::has_variables;
use crate::rules::helpers::user_of;
use crate::rules::{rule, Context, Finding};

rule! {
    /// ## What it does
    /// Flags the `USER` the final image ends with when it names the user (`USER app`) instead
    /// of its number (`USER 10001` or `USER 10001:10001`). Unlike hadolint, a named `USER` in
    /// a build stage, or one a later `USER` replaces, is not flagged: only the runtime's view
    /// of the image matters here.
    ///
    /// ## Why is this bad?
    /// Runtimes can only check a name against the image's `/etc/passwd` once the container
    /// starts. Kubernetes' `runAsNonRoot: true` refuses to start a container whose user is a
    /// name, because it cannot prove the name is not root ("container has runAsNonRoot and
    /// image has non-numeric user ... cannot verify user is non-root"), and admission
    /// policies that require a non-root uid cannot read one. A number says who runs, to
    /// every tool, before anything starts.
    ///
    /// ## Example
    /// ```dockerfile
    /// FROM node:24-slim
    /// USER node
    /// ```
    ///
    /// Use instead:
    /// ```dockerfile
    /// FROM node:24-slim
    /// USER 1000:1000
    /// ```
    ///
    /// ## References
    /// - hadolint DL3066
    /// - Kubernetes documentation, "Configure a Security Context for a Pod or Container"
    ///   (`runAsNonRoot`, `runAsUser`)
    pub struct UserNotNumeric {
        code: "DH108",
        name: "user-not-numeric",
        category: Privilege,
        severity: Info,
        fix: None,
        summary: "The image's `USER` is a name, which `runAsNonRoot` cannot verify",
        aliases: [(Hadolint, "DL3066")],
    }
}

/// DH108
pub fn check(ctx: &Context<'_>, findings: &mut Vec<Finding>) {
    let Some(stage) = ctx.model.final_stage() else { return };
    let chain = crate::rules::helpers::chain_instructions(ctx.model, stage.index);
    // The last USER of the final image is the one the container runs as.
    let Some(instruction) = chain.iter().rev().map(|&i| ctx.model.instructions[i]).find(|i| user_of(i).is_some()) else { return };
    let user = user_of(instruction).unwrap_or_default();
    if user.is_empty() || has_variables(user) || user.chars().all(|c| c.is_ascii_digit()) || user == "root" {
        return;
    }
    findings.push(ctx.finding(
        &UserNotNumeric::META,
        instruction.code_range(),
        format!("`USER {user}` is a name: Kubernetes' `runAsNonRoot` cannot verify it and refuses to start; write the uid (and gid)"),
    ));
}
